//! The SSH public key a new VM gets: a file the user names, else `~/.ssh/id_ed25519.pub`, then
//! `~/.ssh/id_rsa.pub`. Only public keys are taken; a private key given by mistake is refused
//! without its text ever being shown.

use std::path::{Path, PathBuf};

use super::{ErrorKind, ProviderError, Result};

/// The files tried, in order, when no key is named.
pub const DEFAULT_FILES: [&str; 2] = ["id_ed25519.pub", "id_rsa.pub"];

/// The key in `path`, checked to be one OpenSSH public-key line.
pub fn read(path: &Path) -> Result<String> {
    let text = std::fs::read_to_string(path).map_err(|e| {
        ProviderError::new(
            ErrorKind::Invalid,
            format!("cannot read the SSH public key {}: {e}", path.display()),
        )
    })?;
    public_key(&text, &path.display().to_string())
}

/// The first default file under `home`/.ssh that exists; an error naming both when none does.
pub fn default_key(home: Option<&Path>) -> Result<String> {
    let dir = home.map(|h| h.join(".ssh"));
    if let Some(d) = &dir {
        for f in DEFAULT_FILES {
            let p = d.join(f);
            if p.exists() {
                return read(&p);
            }
        }
    }
    let shown: Vec<String> = DEFAULT_FILES
        .iter()
        .map(|f| match &dir {
            Some(d) => d.join(f).display().to_string(),
            None => format!("~/.ssh/{f}"),
        })
        .collect();
    Err(ProviderError::new(
        ErrorKind::Invalid,
        format!(
            "a new VM needs an SSH public key: neither {} nor {} exists",
            shown[0], shown[1]
        ),
    )
    .with_hint("name one with --ssh-key PATH, or create one with `ssh-keygen -t ed25519`"))
}

/// `$HOME`, when set.
pub fn home() -> Option<PathBuf> {
    std::env::var_os("HOME")
        .filter(|h| !h.is_empty())
        .map(PathBuf::from)
}

/// One public-key line (`ssh-ed25519 AAAA… comment`, `ssh-rsa`, `ecdsa-sha2-…`, `sk-…`).
pub fn public_key(text: &str, source: &str) -> Result<String> {
    if text.contains("PRIVATE KEY") {
        return Err(ProviderError::new(
            ErrorKind::Invalid,
            format!(
                "{source} is a private key: give the public one (usually the same name + .pub)"
            ),
        ));
    }
    let line = text
        .lines()
        .map(str::trim)
        .find(|l| !l.is_empty() && !l.starts_with('#'))
        .unwrap_or_default();
    let mut words = line.split_whitespace();
    let kind = words.next().unwrap_or_default();
    let body = words.next().unwrap_or_default();
    let known = kind.starts_with("ssh-") || kind.starts_with("ecdsa-") || kind.starts_with("sk-");
    if !known || body.len() < 16 {
        return Err(ProviderError::new(
            ErrorKind::Invalid,
            format!("{source} is not an OpenSSH public key (expected a line like `ssh-ed25519 AAAA… user@host`)"),
        ));
    }
    Ok(line.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_public_key_line_is_taken_and_anything_else_refused() {
        let k = "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIBtestkeyonly me@host\n";
        assert_eq!(public_key(k, "f").unwrap(), k.trim());
        let e = public_key("-----BEGIN OPENSSH PRIVATE KEY-----\nb3BlbnNz\n", "f").unwrap_err();
        assert!(e.message.contains("private key"), "{}", e.message);
        assert!(
            !e.message.contains("b3BlbnNz"),
            "the key's text is never shown"
        );
        assert!(public_key("hello world", "f").is_err());
        assert!(public_key("", "f").is_err());
    }

    #[test]
    fn the_defaults_are_tried_in_order_and_both_named_when_missing() {
        let dir = std::env::temp_dir().join(format!("nephos-ssh-{}", std::process::id()));
        let ssh = dir.join(".ssh");
        std::fs::create_dir_all(&ssh).unwrap();
        let e = default_key(Some(&dir)).unwrap_err();
        assert!(
            e.message.contains("id_ed25519.pub") && e.message.contains("id_rsa.pub"),
            "{}",
            e.message
        );
        let rsa = "ssh-rsa AAAAB3NzaC1yc2EAAAADAQABAAABAQ rsa@host";
        std::fs::write(ssh.join("id_rsa.pub"), rsa).unwrap();
        assert_eq!(default_key(Some(&dir)).unwrap(), rsa);
        let ed = "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIBtestkeyonly ed@host";
        std::fs::write(ssh.join("id_ed25519.pub"), ed).unwrap();
        assert_eq!(default_key(Some(&dir)).unwrap(), ed);
        std::fs::remove_dir_all(&dir).unwrap();
    }
}
