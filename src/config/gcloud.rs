//! A GCP account's project when the config names none, found where Google's own tools look:
//! the `GOOGLE_CLOUD_PROJECT` / `CLOUDSDK_CORE_PROJECT` variables, the credentials file's
//! `project_id` (a service-account key) or `quota_project_id` (a user's ADC file) — the
//! account's `credentials_file`, else `GOOGLE_APPLICATION_CREDENTIALS`, else the gcloud ADC file —
//! and last gcloud's active configuration (`[core] project`). Only the project is read from
//! those files: nothing secret is kept or printed.

use std::path::{Path, PathBuf};

/// Where a project came from, for `nephos accounts` and messages.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Found {
    pub project: String,
    pub from: String,
}

/// What the resolution may look at: the environment and the home directory, given so tests
/// need neither.
pub struct Env<'a> {
    pub var: &'a dyn Fn(&str) -> Option<String>,
    pub home: Option<PathBuf>,
}

impl Env<'_> {
    pub fn process() -> Env<'static> {
        Env {
            var: &|k| std::env::var(k).ok().filter(|v| !v.is_empty()),
            home: std::env::var_os("HOME").map(PathBuf::from),
        }
    }

    /// gcloud's configuration directory: `CLOUDSDK_CONFIG`, else `~/.config/gcloud`.
    fn gcloud_dir(&self) -> Option<PathBuf> {
        (self.var)("CLOUDSDK_CONFIG")
            .map(PathBuf::from)
            .or_else(|| self.home.as_ref().map(|h| h.join(".config/gcloud")))
    }
}

/// The project for an account with no `project`, or None when nothing names one.
pub fn find_project(credentials_file: Option<&Path>, env: &Env) -> Option<Found> {
    for var in ["GOOGLE_CLOUD_PROJECT", "CLOUDSDK_CORE_PROJECT"] {
        if let Some(p) = (env.var)(var) {
            return Some(Found {
                project: p,
                from: format!("${var}"),
            });
        }
    }
    let adc = credentials_file
        .map(Path::to_path_buf)
        .or_else(|| (env.var)("GOOGLE_APPLICATION_CREDENTIALS").map(PathBuf::from))
        .or_else(|| {
            env.gcloud_dir()
                .map(|d| d.join("application_default_credentials.json"))
        });
    if let Some(found) = adc.as_deref().and_then(from_credentials) {
        return Some(found);
    }
    from_gcloud_config(env)
}

fn from_credentials(path: &Path) -> Option<Found> {
    let text = std::fs::read_to_string(path).ok()?;
    let v: serde_json::Value = serde_json::from_str(&text).ok()?;
    ["project_id", "quota_project_id"].iter().find_map(|k| {
        v.get(k)
            .and_then(|p| p.as_str())
            .filter(|p| !p.is_empty())
            .map(|p| Found {
                project: p.to_string(),
                from: format!("{k} in {}", path.display()),
            })
    })
}

/// `[core] project` of gcloud's active configuration (`CLOUDSDK_ACTIVE_CONFIG_NAME`, else the
/// name in `active_config`, else `default`).
fn from_gcloud_config(env: &Env) -> Option<Found> {
    let dir = env.gcloud_dir()?;
    let name = (env.var)("CLOUDSDK_ACTIVE_CONFIG_NAME")
        .or_else(|| {
            std::fs::read_to_string(dir.join("active_config"))
                .ok()
                .map(|s| s.trim().to_string())
                .filter(|s| !s.is_empty())
        })
        .unwrap_or_else(|| "default".into());
    let path = dir.join("configurations").join(format!("config_{name}"));
    let text = std::fs::read_to_string(&path).ok()?;
    let mut section = String::new();
    for line in text.lines() {
        let line = line.trim();
        if let Some(s) = line.strip_prefix('[').and_then(|l| l.strip_suffix(']')) {
            section = s.trim().to_string();
        } else if section == "core" {
            if let Some((k, v)) = line.split_once('=') {
                if k.trim() == "project" && !v.trim().is_empty() {
                    return Some(Found {
                        project: v.trim().to_string(),
                        from: format!("gcloud configuration '{name}' ({})", path.display()),
                    });
                }
            }
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashMap;

    fn env<'a>(vars: &'a HashMap<&'a str, String>, home: &Path) -> Env<'a> {
        Env {
            var: Box::leak(Box::new(move |k: &str| vars.get(k).cloned())),
            home: Some(home.to_path_buf()),
        }
    }

    #[test]
    fn the_project_is_found_where_googles_tools_look_in_their_order() {
        let home = tempfile::tempdir().unwrap();
        let gcloud = home.path().join(".config/gcloud");
        std::fs::create_dir_all(gcloud.join("configurations")).unwrap();
        let mut vars = HashMap::new();
        assert_eq!(find_project(None, &env(&vars, home.path())), None);

        // gcloud's active configuration, last.
        std::fs::write(gcloud.join("active_config"), "work\n").unwrap();
        std::fs::write(
            gcloud.join("configurations/config_work"),
            "[compute]\nproject = not-this\n[core]\naccount = me@example.com\nproject = from-gcloud\n",
        )
        .unwrap();
        let f = find_project(None, &env(&vars, home.path())).unwrap();
        assert_eq!(f.project, "from-gcloud");
        assert!(f.from.contains("'work'"), "{}", f.from);

        // The ADC file's quota project comes before it.
        std::fs::write(
            gcloud.join("application_default_credentials.json"),
            r#"{"type":"authorized_user","refresh_token":"SECRET","quota_project_id":"from-adc"}"#,
        )
        .unwrap();
        let f = find_project(None, &env(&vars, home.path())).unwrap();
        assert_eq!(f.project, "from-adc");
        assert!(!f.from.contains("SECRET"));

        // The account's own key file before that.
        let key = home.path().join("sa.json");
        std::fs::write(
            &key,
            r#"{"type":"service_account","project_id":"from-key","private_key":"SECRET"}"#,
        )
        .unwrap();
        assert_eq!(
            find_project(Some(&key), &env(&vars, home.path()))
                .unwrap()
                .project,
            "from-key"
        );

        // And the environment before everything.
        vars.insert("GOOGLE_CLOUD_PROJECT", "from-env".to_string());
        let f = find_project(Some(&key), &env(&vars, home.path())).unwrap();
        assert_eq!(
            (f.project.as_str(), f.from.as_str()),
            ("from-env", "$GOOGLE_CLOUD_PROJECT")
        );
    }
}
