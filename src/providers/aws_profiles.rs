//! Whether a named AWS profile exists in the shared config files, so an account whose `profile`
//! is misspelt or missing is told that, naming the profile and the files read, instead of the
//! last error of the SDK's credentials chain (the instance metadata service, which nobody
//! outside EC2 expects to hear of). Plain text parsing, no SDK: it builds and is tested without
//! the `aws` feature.

use std::path::{Path, PathBuf};

/// The section names of an INI-style AWS file, trimmed (`[profile prod]` → `profile prod`).
fn sections(text: &str) -> impl Iterator<Item = &str> {
    text.lines().filter_map(|l| {
        let l = l.trim();
        l.strip_prefix('[')
            .and_then(|r| r.strip_suffix(']'))
            .map(str::trim)
    })
}

/// `profile` is defined in the config file's text (`[profile NAME]`, or `[default]`) or the
/// credentials file's (`[NAME]`), as the AWS CLI reads them.
pub fn defined_in(profile: &str, config: &str, credentials: &str) -> bool {
    let in_config = sections(config).any(|s| {
        let name = s
            .strip_prefix("profile")
            .filter(|rest| rest.starts_with(char::is_whitespace))
            .map(str::trim);
        name == Some(profile) || (profile == "default" && s == "default")
    });
    in_config || sections(credentials).any(|s| s == profile)
}

/// The sentence for a profile found in none of `files` (each with whether it exists).
pub fn missing_message(profile: &str, files: &[(PathBuf, bool)]) -> String {
    let read: Vec<String> = files
        .iter()
        .map(|(p, exists)| {
            if *exists {
                p.display().to_string()
            } else {
                format!("{} (no such file)", p.display())
            }
        })
        .collect();
    format!(
        "AWS profile `{profile}` is not defined in {}: add it (`aws configure --profile {profile}`, or `aws configure sso --profile {profile}`) or correct the account's `profile`",
        read.join(" or ")
    )
}

/// The files the AWS CLI reads profiles from: `only` when given (hermetic tests), else
/// AWS_CONFIG_FILE and AWS_SHARED_CREDENTIALS_FILE, else ~/.aws/config and ~/.aws/credentials.
fn profile_files(only: Option<&Path>) -> Vec<PathBuf> {
    if let Some(f) = only {
        return vec![f.to_path_buf()];
    }
    let home = std::env::var_os("HOME").map(PathBuf::from);
    let pick = |var: &str, name: &str| {
        std::env::var_os(var)
            .map(PathBuf::from)
            .or_else(|| home.as_ref().map(|h| h.join(".aws").join(name)))
    };
    [
        pick("AWS_CONFIG_FILE", "config"),
        pick("AWS_SHARED_CREDENTIALS_FILE", "credentials"),
    ]
    .into_iter()
    .flatten()
    .collect()
}

/// When `profile` is in none of the files it would be read from: the message saying so.
pub fn check(profile: &str, only: Option<&Path>) -> Option<String> {
    let files = profile_files(only);
    let texts: Vec<Option<String>> = files
        .iter()
        .map(|f| std::fs::read_to_string(f).ok())
        .collect();
    let config = texts.first().cloned().flatten().unwrap_or_default();
    let credentials = if only.is_some() {
        String::new()
    } else {
        texts.get(1).cloned().flatten().unwrap_or_default()
    };
    if defined_in(profile, &config, &credentials) {
        return None;
    }
    let listed: Vec<(PathBuf, bool)> = files
        .into_iter()
        .zip(&texts)
        .map(|(f, t)| (f, t.is_some()))
        .collect();
    Some(missing_message(profile, &listed))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn profiles_are_found_as_the_aws_cli_names_them() {
        let config = "[default]\nregion = us-east-1\n\n[profile prod-admin]\nsso_session = x\n[ profile  spaced ]\n";
        let creds = "[ci]\naws_access_key_id = AKIA…\n";
        assert!(defined_in("default", config, ""));
        assert!(defined_in("prod-admin", config, ""));
        assert!(defined_in("spaced", config, ""));
        assert!(defined_in("ci", "", creds), "credentials use bare names");
        assert!(!defined_in("prod", config, creds));
        assert!(
            !defined_in("prod-admin", "", "[profile prod-admin]\n"),
            "not a credentials section name"
        );
        assert!(
            !defined_in("ci", "[ci]\n", ""),
            "config sections need `profile `"
        );
    }

    #[test]
    fn a_missing_profile_is_named_with_the_files_read() {
        let dir = tempfile::tempdir().unwrap();
        let cfg = dir.path().join("config");
        std::fs::write(&cfg, "[profile dev]\nregion = eu-west-1\n").unwrap();
        assert_eq!(check("dev", Some(&cfg)), None);
        let m = check("prod", Some(&cfg)).expect("missing");
        assert!(
            m.starts_with("AWS profile `prod` is not defined in "),
            "{m}"
        );
        assert!(m.contains(&cfg.display().to_string()), "{m}");
        assert!(!m.to_lowercase().contains("metadata"), "{m}");
        let gone = dir.path().join("nope");
        let m = check("prod", Some(&gone)).unwrap();
        assert!(m.contains("(no such file)"), "{m}");
    }
}
