//! The sandbox cloud on disk: one file in the data dir, replaced atomically on every change,
//! with a lock file so the console and headless commands can change it at the same time.

use std::fs::{self, File, OpenOptions};
use std::io::Write;
use std::os::unix::fs::MetadataExt;
use std::path::{Path, PathBuf};

use super::generate;
use super::world::{World, FORMAT};
use crate::providers::{ErrorKind, ProviderError};

const MAGIC: &[u8; 8] = b"NEPHOS-W";

/// Identifies one version of the file: a rename gives a new inode.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Stamp {
    ino: u64,
    mtime_ns: i64,
    len: u64,
}

pub struct Store {
    dir: PathBuf,
    world: Option<(World, Stamp)>,
}

fn io_err(path: &Path, what: &str, e: impl std::fmt::Display) -> ProviderError {
    ProviderError::new(
        ErrorKind::Unavailable,
        format!("sandbox state {}: {what}: {e}", path.display()),
    )
}

impl Store {
    pub fn new(dir: PathBuf) -> Self {
        Store { dir, world: None }
    }

    pub fn path(&self) -> PathBuf {
        self.dir.join("world.bin")
    }

    fn stamp(&self) -> Option<Stamp> {
        let m = fs::metadata(self.path()).ok()?;
        Some(Stamp {
            ino: m.ino(),
            mtime_ns: m.mtime() * 1_000_000_000 + m.mtime_nsec(),
            len: m.len(),
        })
    }

    fn lock(&self) -> Result<File, ProviderError> {
        fs::create_dir_all(&self.dir).map_err(|e| io_err(&self.dir, "cannot create", e))?;
        let path = self.dir.join("world.lock");
        let f = OpenOptions::new()
            .create(true)
            .truncate(false)
            .write(true)
            .open(&path)
            .map_err(|e| io_err(&path, "cannot open lock", e))?;
        f.lock().map_err(|e| io_err(&path, "cannot lock", e))?;
        Ok(f)
    }

    fn read(&self) -> Result<World, ProviderError> {
        let path = self.path();
        let bytes = fs::read(&path).map_err(|e| io_err(&path, "cannot read", e))?;
        let incompatible = |why: String| {
            ProviderError::new(
                ErrorKind::Invalid,
                format!("sandbox state {}: {why}", path.display()),
            )
            .with_hint("run `nephos sandbox reset` to make a new one")
        };
        if bytes.len() < 12 || &bytes[..8] != MAGIC {
            return Err(incompatible("not a nephos sandbox file".into()));
        }
        let format = u32::from_le_bytes(bytes[8..12].try_into().expect("4 bytes"));
        if format != FORMAT {
            return Err(incompatible(format!(
                "written by another version of nephos (format {format}, this one reads {FORMAT})"
            )));
        }
        postcard::from_bytes(&bytes[12..]).map_err(|e| incompatible(format!("damaged: {e}")))
    }

    fn write(&self, world: &World) -> Result<(), ProviderError> {
        let path = self.path();
        let tmp = self
            .dir
            .join(format!("world.bin.{}.tmp", std::process::id()));
        let body = postcard::to_stdvec(world).map_err(|e| io_err(&path, "cannot encode", e))?;
        let mut f = File::create(&tmp).map_err(|e| io_err(&tmp, "cannot create", e))?;
        f.write_all(MAGIC)
            .and_then(|_| f.write_all(&FORMAT.to_le_bytes()))
            .and_then(|_| f.write_all(&body))
            .and_then(|_| f.sync_all())
            .map_err(|e| io_err(&tmp, "cannot write", e))?;
        fs::rename(&tmp, &path).map_err(|e| io_err(&path, "cannot replace", e))
    }

    /// The current world, reloaded if another process changed it; a default one is made the
    /// first time.
    pub fn current(&mut self) -> Result<&mut World, ProviderError> {
        self.load(false)
    }

    /// `locked`: the caller holds the lock already (a second `flock` from this process on
    /// another descriptor would wait for itself).
    fn load(&mut self, locked: bool) -> Result<&mut World, ProviderError> {
        let stamp = self.stamp();
        let fresh = matches!((&self.world, stamp), (Some((_, s)), Some(now)) if *s == now);
        if !fresh {
            let world = match stamp {
                Some(_) => self.read()?,
                None => {
                    let _lock = if locked { None } else { Some(self.lock()?) };
                    if self.stamp().is_none() {
                        let w =
                            generate::generate(generate::DEFAULT_INSTANCES, generate::DEFAULT_SEED);
                        self.write(&w)?;
                        w
                    } else {
                        self.read()?
                    }
                }
            };
            let stamp = self
                .stamp()
                .ok_or_else(|| io_err(&self.path(), "vanished", "after write"))?;
            self.world = Some((world, stamp));
        }
        Ok(&mut self.world.as_mut().expect("loaded above").0)
    }

    /// The world as last loaded, without looking at the file.
    pub fn loaded(&self) -> Option<&World> {
        self.world.as_ref().map(|(w, _)| w)
    }

    /// Change the world under the lock: reload, apply `f`, write back if `f` succeeded.
    pub fn mutate<R>(
        &mut self,
        f: impl FnOnce(&mut World) -> Result<R, ProviderError>,
    ) -> Result<R, ProviderError> {
        let _lock = self.lock()?;
        self.load(true)?;
        let (world, _) = self.world.as_mut().expect("loaded above");
        let mut draft = world.clone();
        let out = f(&mut draft)?;
        self.write(&draft)?;
        let stamp = self
            .stamp()
            .ok_or_else(|| io_err(&self.path(), "vanished", "after write"))?;
        self.world = Some((draft, stamp));
        Ok(out)
    }

    pub fn replace(&mut self, world: World) -> Result<(), ProviderError> {
        let _lock = self.lock()?;
        self.write(&world)?;
        let stamp = self
            .stamp()
            .ok_or_else(|| io_err(&self.path(), "vanished", "after write"))?;
        self.world = Some((world, stamp));
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_first_change_makes_the_default_world_without_waiting_on_itself() {
        let dir = tempfile::tempdir().unwrap();
        let mut store = Store::new(dir.path().to_path_buf());
        let n = store.mutate(|w| Ok(w.instances.len())).unwrap();
        assert_eq!(n, generate::DEFAULT_INSTANCES);
        assert!(store.path().exists());
    }

    #[test]
    fn another_process_change_is_picked_up() {
        let dir = tempfile::tempdir().unwrap();
        let mut a = Store::new(dir.path().to_path_buf());
        let mut b = Store::new(dir.path().to_path_buf());
        a.current().unwrap();
        b.mutate(|w| {
            w.instances.truncate(3);
            Ok(())
        })
        .unwrap();
        assert_eq!(a.current().unwrap().instances.len(), 3);
    }

    #[test]
    fn a_foreign_file_is_refused_with_a_hint() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("world.bin"), b"hello").unwrap();
        let e = Store::new(dir.path().to_path_buf()).current().unwrap_err();
        assert!(e.to_string().contains("not a nephos sandbox file"), "{e}");
        assert!(e.to_string().contains("nephos sandbox reset"), "{e}");
    }
}
