//! Where nephos keeps things: the config file, the data dir (sandbox cloud, journal, inventory
//! snapshot) and the state dir (logs). Each can be moved with an environment variable, which is
//! how the tests keep to a temporary directory.
//!
//! Without a home directory there are no platform dirs. nephos then uses a private directory
//! of its own in the temporary directory, `nephos-<uid>`, made 0700; one that is already there
//! is used only if it is a real directory (not a symlink), owned by this user and 0700: anything
//! else could be another user's plant, and is refused with a message saying what to set.

use std::os::unix::fs::{DirBuilderExt, MetadataExt};
use std::path::{Path, PathBuf};

use crate::private_files;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Paths {
    pub config_file: PathBuf,
    /// True when the config path was named (`--config`, `NEPHOS_CONFIG`): then it must exist.
    pub config_named: bool,
    pub data_dir: PathBuf,
    pub state_dir: PathBuf,
}

/// The platform's dirs for nephos, when there is a home directory.
pub struct PlatformDirs {
    pub config: PathBuf,
    pub data: PathBuf,
    pub state: Option<PathBuf>,
}

impl Paths {
    /// `--config` beats `NEPHOS_CONFIG` beats the platform config dir; `NEPHOS_DATA_DIR` and
    /// `NEPHOS_STATE_DIR` beat the platform data and state dirs.
    pub fn resolve(config_flag: Option<PathBuf>) -> Result<Paths, String> {
        let dirs = directories::ProjectDirs::from("", "", "nephos").map(|d| PlatformDirs {
            config: d.config_dir().to_path_buf(),
            data: d.data_dir().to_path_buf(),
            state: d.state_dir().map(Path::to_path_buf),
        });
        let env = |k: &str| {
            std::env::var_os(k)
                .filter(|v| !v.is_empty())
                .map(PathBuf::from)
        };
        Paths::resolve_from(
            config_flag,
            dirs,
            env,
            &std::env::temp_dir(),
            private_files::current_uid(),
        )
    }

    /// [`Paths::resolve`] with what it reads from the system passed in.
    pub fn resolve_from(
        config_flag: Option<PathBuf>,
        dirs: Option<PlatformDirs>,
        env: impl Fn(&str) -> Option<PathBuf>,
        tmp: &Path,
        uid: u32,
    ) -> Result<Paths, String> {
        let mut own: Option<PathBuf> = None;
        let mut fallback = || -> Result<PathBuf, String> {
            if own.is_none() {
                own = Some(private_fallback(tmp, uid)?);
            }
            Ok(own.clone().expect("set above"))
        };
        let named = config_flag.or_else(|| env("NEPHOS_CONFIG"));
        let config_named = named.is_some();
        let config_file = match (named, &dirs) {
            (Some(p), _) => p,
            (None, Some(d)) => d.config.join("config.toml"),
            (None, None) => fallback()?.join("config.toml"),
        };
        let data_dir = match (env("NEPHOS_DATA_DIR"), &dirs) {
            (Some(p), _) => p,
            (None, Some(d)) => d.data.clone(),
            (None, None) => fallback()?,
        };
        let state_dir = env("NEPHOS_STATE_DIR")
            .or_else(|| dirs.as_ref().and_then(|d| d.state.clone()))
            .unwrap_or_else(|| data_dir.join("state"));
        Ok(Paths {
            config_file,
            config_named,
            data_dir,
            state_dir,
        })
    }

    pub fn journal(&self) -> PathBuf {
        self.data_dir.join("journal.jsonl")
    }

    pub fn sandbox_dir(&self) -> PathBuf {
        self.data_dir.join("sandbox")
    }

    pub fn log_dir(&self) -> PathBuf {
        self.state_dir.join("logs")
    }
}

/// `<tmp>/nephos-<uid>`, made private, or an error saying why it cannot be trusted.
fn private_fallback(tmp: &Path, uid: u32) -> Result<PathBuf, String> {
    let dir = tmp.join(format!("nephos-{uid}"));
    let fix = "set HOME, or NEPHOS_DATA_DIR and NEPHOS_CONFIG, to directories of your own";
    match std::fs::DirBuilder::new().mode(0o700).create(&dir) {
        Ok(()) => {}
        Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => {}
        Err(e) => {
            return Err(format!(
                "there is no home directory, and nephos cannot make its private directory {}: {e}; {fix}",
                dir.display()
            ))
        }
    }
    // lstat: a symlink is judged as itself, not as what it points to.
    let m =
        std::fs::symlink_metadata(&dir).map_err(|e| format!("{}: {e}; {fix}", dir.display()))?;
    let why = if m.file_type().is_symlink() {
        Some("it is a symlink".to_string())
    } else if !m.is_dir() {
        Some("it is not a directory".to_string())
    } else if m.uid() != uid {
        Some(format!(
            "it belongs to user {}, not to you ({uid})",
            m.uid()
        ))
    } else if m.mode() & 0o077 != 0 {
        Some(format!(
            "other users can reach it (mode {:o})",
            m.mode() & 0o777
        ))
    } else {
        None
    };
    match why {
        Some(why) => Err(format!(
            "there is no home directory, and nephos will not use {} in the shared temporary directory: {why}; {fix}",
            dir.display()
        )),
        None => Ok(dir),
    }
}

#[cfg(test)]
mod tests {
    use std::os::unix::fs::PermissionsExt;

    use super::*;

    fn no_env(_: &str) -> Option<PathBuf> {
        None
    }

    #[test]
    fn without_a_home_nephos_makes_a_private_dir_of_its_own() {
        let tmp = tempfile::tempdir().unwrap();
        let uid = private_files::current_uid();
        let p = Paths::resolve_from(None, None, no_env, tmp.path(), uid).unwrap();
        let own = tmp.path().join(format!("nephos-{uid}"));
        assert_eq!(p.data_dir, own);
        assert_eq!(p.config_file, own.join("config.toml"));
        let mode = std::fs::metadata(&own).unwrap().permissions().mode() & 0o777;
        assert_eq!(mode, 0o700);
        // A second run accepts what the first made.
        assert_eq!(
            Paths::resolve_from(None, None, no_env, tmp.path(), uid).unwrap(),
            p
        );
    }

    #[test]
    fn without_a_home_a_planted_symlink_is_refused_not_followed() {
        let tmp = tempfile::tempdir().unwrap();
        let theirs = tempfile::tempdir().unwrap();
        let uid = private_files::current_uid();
        for name in ["nephos".to_string(), format!("nephos-{uid}")] {
            std::os::unix::fs::symlink(theirs.path(), tmp.path().join(name)).unwrap();
        }
        let e = Paths::resolve_from(None, None, no_env, tmp.path(), uid).unwrap_err();
        assert!(e.contains("it is a symlink"), "{e}");
        assert!(e.contains("set HOME"), "{e}");
    }

    #[test]
    fn without_a_home_a_dir_others_can_reach_or_that_is_not_ours_is_refused() {
        let tmp = tempfile::tempdir().unwrap();
        let uid = private_files::current_uid();
        let own = tmp.path().join(format!("nephos-{uid}"));
        std::fs::create_dir(&own).unwrap();
        std::fs::set_permissions(&own, std::fs::Permissions::from_mode(0o777)).unwrap();
        let e = Paths::resolve_from(None, None, no_env, tmp.path(), uid).unwrap_err();
        assert!(e.contains("other users can reach it"), "{e}");
        std::fs::set_permissions(&own, std::fs::Permissions::from_mode(0o700)).unwrap();
        let e = Paths::resolve_from(None, None, no_env, tmp.path(), uid + 1).unwrap_err();
        assert!(e.contains("belongs to user"), "{e}");
    }

    #[test]
    fn named_dirs_need_no_home_and_no_fallback() {
        let tmp = tempfile::tempdir().unwrap();
        let env = |k: &str| match k {
            "NEPHOS_CONFIG" => Some(PathBuf::from("/c/config.toml")),
            "NEPHOS_DATA_DIR" => Some(PathBuf::from("/d")),
            _ => None,
        };
        let p = Paths::resolve_from(None, None, env, tmp.path(), 1).unwrap();
        assert_eq!(p.data_dir, PathBuf::from("/d"));
        assert_eq!(p.state_dir, PathBuf::from("/d/state"));
        assert_eq!(std::fs::read_dir(tmp.path()).unwrap().count(), 0);
    }
}
