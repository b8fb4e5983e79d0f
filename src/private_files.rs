//! Files only the user can read: nephos's data, state and logs (the journal, the sandbox world,
//! the logs, refreshed prices) are created 0600, in directories created 0700. A directory that
//! already exists keeps its mode: the files in it are private anyway.

use std::fs::{DirBuilder, File, OpenOptions};
use std::io::Write;
use std::os::unix::fs::{DirBuilderExt, MetadataExt, OpenOptionsExt, PermissionsExt};
use std::path::Path;

pub const FILE_MODE: u32 = 0o600;
pub const DIR_MODE: u32 = 0o700;

/// `create_dir_all`, with every directory it makes 0700.
pub fn create_dir(dir: &Path) -> std::io::Result<()> {
    DirBuilder::new().recursive(true).mode(DIR_MODE).create(dir)
}

/// Options that create a file 0600.
pub fn options() -> OpenOptions {
    let mut o = OpenOptions::new();
    o.mode(FILE_MODE);
    o
}

/// A file nephos made before files were private: take group and other access away (only from
/// a regular file that is ours; a device, or a file someone else owns, is left as it is).
pub fn tighten(f: &File) -> std::io::Result<()> {
    let m = f.metadata()?;
    if m.is_file() && m.mode() & 0o077 != 0 && m.uid() == current_uid() {
        f.set_permissions(std::fs::Permissions::from_mode(m.mode() & 0o700))?;
    }
    Ok(())
}

/// Write `bytes` to a new private file at `path` (replacing one that is there).
pub fn write(path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    if let Some(dir) = path.parent() {
        create_dir(dir)?;
    }
    let mut f = options()
        .write(true)
        .create(true)
        .truncate(true)
        .open(path)?;
    tighten(&f)?;
    f.write_all(bytes)
}

/// The (effective) user id this process runs as.
pub fn current_uid() -> u32 {
    // SAFETY: geteuid has no preconditions and cannot fail.
    unsafe { libc::geteuid() }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn made_files_and_dirs_are_private() {
        let tmp = tempfile::tempdir().unwrap();
        let file = tmp.path().join("a/b/f.txt");
        write(&file, b"x").unwrap();
        let mode = |p: &Path| std::fs::metadata(p).unwrap().mode() & 0o777;
        assert_eq!(mode(&file), 0o600);
        assert_eq!(mode(&tmp.path().join("a")), 0o700);
        assert_eq!(mode(&tmp.path().join("a/b")), 0o700);
    }

    #[test]
    fn an_old_open_file_is_tightened() {
        let tmp = tempfile::tempdir().unwrap();
        let file = tmp.path().join("old.jsonl");
        std::fs::write(&file, b"x").unwrap();
        std::fs::set_permissions(&file, std::fs::Permissions::from_mode(0o644)).unwrap();
        write(&file, b"y").unwrap();
        assert_eq!(std::fs::metadata(&file).unwrap().mode() & 0o777, 0o600);
    }
}
