//! The sandbox cloud on disk: one file in the data dir, replaced atomically on every change,
//! with a lock file so the console and headless commands can change it at the same time.
//!
//! A change is written to `world.bin.<pid>.tmp`, fsynced, renamed over `world.bin`, and the
//! directory fsynced, so a crash leaves the old world or the new one. A write that fails removes
//! its temporary file; one left by a killed process (its pid no longer runs) is removed the next
//! time a store takes the lock. Every file is private (0600, in a 0700 directory).

use std::collections::HashMap;
use std::fs::{self, File};
use std::io::Write;
use std::os::unix::fs::MetadataExt;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::OnceLock;

use super::world::{VmRec, World};
use super::{generate, world_file};
use crate::domain::fnv::Fnv;
use crate::domain::{ProviderKind, Str};
use crate::private_files;
use crate::providers::{ErrorKind, ProviderError};

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
    /// The disks and load balancers of a world read instances first, still in the file:
    /// `world` holds none until [`Store::current`] decodes them.
    rest: Option<world_file::Rest>,
    /// Stale temporary files have been looked for (once per store, under the lock).
    swept: AtomicBool,
    /// Read off `world` when first asked for, forgotten whenever it changes: every list call
    /// asked for them, and at 100k instances each was a walk over the whole world.
    derived: Derived,
}

#[derive(Default)]
struct Derived {
    /// [`World::next_event_ms`].
    next_event: OnceLock<Option<i64>>,
    /// Each provider's instances by the world's own id: their positions in `World::instances`.
    vms: OnceLock<[HashMap<Str, u32, Fnv>; 3]>,
}

fn provider_slot(p: ProviderKind) -> usize {
    match p {
        ProviderKind::Aws => 0,
        ProviderKind::Gcp => 1,
        ProviderKind::Azure => 2,
    }
}

/// The pid in a temporary file's name (`world.bin.<pid>.tmp`).
fn tmp_pid(name: &str) -> Option<u32> {
    name.strip_prefix("world.bin.")?
        .strip_suffix(".tmp")?
        .parse()
        .ok()
}

/// Does process `pid` still run? (A pid that exists but is not ours to signal runs too.)
fn running(pid: u32) -> bool {
    let Ok(pid) = libc::pid_t::try_from(pid) else {
        return false;
    };
    // SAFETY: signal 0 only checks that the process exists; nothing is sent.
    let r = unsafe { libc::kill(pid, 0) };
    r == 0 || std::io::Error::last_os_error().raw_os_error() == Some(libc::EPERM)
}

/// Removes the temporary file unless the write got as far as renaming it.
struct TmpFile<'a> {
    path: &'a Path,
    keep: bool,
}

impl Drop for TmpFile<'_> {
    fn drop(&mut self) {
        if !self.keep {
            let _ = fs::remove_file(self.path);
        }
    }
}

pub(super) fn io_err(path: &Path, what: &str, e: impl std::fmt::Display) -> ProviderError {
    ProviderError::new(
        ErrorKind::Unavailable,
        format!("sandbox state {}: {what}: {e}", path.display()),
    )
}

impl Store {
    pub fn new(dir: PathBuf) -> Self {
        Store {
            dir,
            world: None,
            rest: None,
            swept: AtomicBool::new(false),
            derived: Derived::default(),
        }
    }

    /// Remove the temporary files of writers that no longer run (killed mid-write). Called with
    /// the lock held, so no writer of ours is mid-write; this process's own pid counts as gone.
    fn sweep(&self) {
        if self.swept.swap(true, Ordering::Relaxed) {
            return;
        }
        let Ok(entries) = fs::read_dir(&self.dir) else {
            return;
        };
        for e in entries.flatten() {
            let name = e.file_name();
            let Some(pid) = name.to_str().and_then(tmp_pid) else {
                continue;
            };
            if pid == std::process::id() || !running(pid) {
                match fs::remove_file(e.path()) {
                    Ok(()) => {
                        tracing::info!(file = %e.path().display(), "removed a stale sandbox write")
                    }
                    Err(err) => {
                        tracing::warn!(file = %e.path().display(), "cannot remove a stale sandbox write: {err}")
                    }
                }
            }
        }
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
        private_files::create_dir(&self.dir).map_err(|e| io_err(&self.dir, "cannot create", e))?;
        let path = self.dir.join("world.lock");
        let f = private_files::options()
            .create(true)
            .truncate(false)
            .write(true)
            .open(&path)
            .map_err(|e| io_err(&path, "cannot open lock", e))?;
        f.lock().map_err(|e| io_err(&path, "cannot lock", e))?;
        self.sweep();
        Ok(f)
    }

    /// Read the file: whole, or its instances first (the rest kept in `self.rest`).
    fn read(&mut self, whole: bool) -> Result<World, ProviderError> {
        let opened = world_file::open(&self.path(), whole)?;
        self.derived = Derived::default();
        if let Some(next) = opened.next_event {
            self.derived.next_event = OnceLock::from(next);
        }
        self.rest = opened.rest;
        Ok(opened.world)
    }

    fn write(&self, world: &World) -> Result<(), ProviderError> {
        let path = self.path();
        let tmp = self
            .dir
            .join(format!("world.bin.{}.tmp", std::process::id()));
        let body = world_file::encode(world).map_err(|e| io_err(&path, "cannot encode", e))?;
        let mut guard = TmpFile {
            path: &tmp,
            keep: false,
        };
        let mut f = private_files::options()
            .write(true)
            .create(true)
            .truncate(true)
            .open(&tmp)
            .map_err(|e| io_err(&tmp, "cannot create", e))?;
        body.iter()
            .try_for_each(|b| f.write_all(b))
            .and_then(|_| f.sync_all())
            .map_err(|e| io_err(&tmp, "cannot write", e))?;
        drop(f);
        fs::rename(&tmp, &path).map_err(|e| io_err(&path, "cannot replace", e))?;
        guard.keep = true;
        // The rename is durable only once the directory is.
        File::open(&self.dir)
            .and_then(|d| d.sync_all())
            .map_err(|e| io_err(&self.dir, "cannot sync", e))
    }

    /// The current world, whole, reloaded if another process changed it; a default one is made
    /// the first time.
    pub fn current(&mut self) -> Result<&World, ProviderError> {
        self.load(false, true).map(|w| &*w)
    }

    /// The current world's instances: the file is read instances first when it has changed, its
    /// disks and load balancers left to decode when [`current`](Self::current) is next asked.
    pub fn current_instances(&mut self) -> Result<&[VmRec], ProviderError> {
        self.load(false, false).map(|w| &w.instances[..])
    }

    /// The world is loaded and the file has not changed since (another process's change).
    pub fn fresh(&self) -> bool {
        matches!((&self.world, self.stamp()), (Some((_, s)), Some(now)) if *s == now)
    }

    /// The loaded world has its disks and load balancers too.
    pub fn whole(&self) -> bool {
        self.world.is_some() && self.rest.is_none()
    }

    /// When the loaded world next changes by itself (a transition lands), if ever.
    pub fn next_event_ms(&self) -> Option<i64> {
        let (world, _) = self.world.as_ref()?;
        *self
            .derived
            .next_event
            .get_or_init(|| world.next_event_ms())
    }

    /// Apply the loaded world's changes whose time has come (in memory: every process that
    /// loads the file settles it the same way).
    pub fn settle(&mut self, now_ms: i64) {
        debug_assert!(self.rest.is_none(), "settled a world read instances first");
        if self.next_event_ms().is_none_or(|t| t > now_ms) {
            return;
        }
        if let Some((world, _)) = self.world.as_mut() {
            world.settle(now_ms);
            self.derived = Derived::default();
        }
    }

    /// Provider `p`'s instance whose world id is `id`, through an index made once per version
    /// of the world (a scan for each of a list's rows would be quadratic).
    pub fn vm(&self, p: ProviderKind, id: &str) -> Option<&VmRec> {
        let instances = self.instances()?;
        let index = self.derived.vms.get_or_init(|| {
            let mut maps: [HashMap<Str, u32, Fnv>; 3] = Default::default();
            for (i, v) in instances.iter().enumerate() {
                maps[provider_slot(v.provider)].insert(v.id.clone(), i as u32);
            }
            maps
        });
        let &i = index[provider_slot(p)].get(id)?;
        instances.get(i as usize)
    }

    /// `locked`: the caller holds the lock already (a second `flock` from this process on
    /// another descriptor would wait for itself). `whole`: with its disks and load balancers.
    fn load(&mut self, locked: bool, whole: bool) -> Result<&mut World, ProviderError> {
        let stamp = self.stamp();
        let fresh = matches!((&self.world, stamp), (Some((_, s)), Some(now)) if *s == now);
        if !fresh {
            (self.world, self.rest) = (None, None);
            let world = match stamp {
                Some(_) => self.read(whole)?,
                None => {
                    let _lock = if locked { None } else { Some(self.lock()?) };
                    if self.stamp().is_none() {
                        let w =
                            generate::generate(generate::DEFAULT_INSTANCES, generate::DEFAULT_SEED);
                        self.write(&w)?;
                        self.rest = None;
                        self.derived = Derived::default();
                        w
                    } else {
                        self.read(whole)?
                    }
                }
            };
            let stamp = self
                .stamp()
                .ok_or_else(|| io_err(&self.path(), "vanished", "after write"))?;
            self.world = Some((world, stamp));
        }
        if whole {
            if let Some(rest) = self.rest.take() {
                let began = std::time::Instant::now();
                let decoded = rest.decode().map_err(|e| {
                    self.world = None;
                    world_file::incompatible(&self.path(), format!("damaged: {e}"))
                })?;
                let (world, _) = self.world.as_mut().expect("loaded above");
                (world.disks, world.lbs) = decoded;
                tracing::debug!(
                    decoded_ms = began.elapsed().as_secs_f64() * 1e3,
                    "sandbox disks and load balancers read"
                );
            }
        }
        Ok(&mut self.world.as_mut().expect("loaded above").0)
    }

    /// The world as last loaded, without looking at the file; none while its disks and load
    /// balancers are still to decode.
    pub fn loaded(&self) -> Option<&World> {
        match (&self.world, &self.rest) {
            (Some((w, _)), None) => Some(w),
            _ => None,
        }
    }

    /// The instances of the world as last loaded, whole or instances first.
    pub fn instances(&self) -> Option<&[VmRec]> {
        self.world.as_ref().map(|(w, _)| &w.instances[..])
    }

    /// Change the world under the lock: reload, apply `f`, write back if `f` succeeded.
    pub fn mutate<R>(
        &mut self,
        f: impl FnOnce(&mut World) -> Result<R, ProviderError>,
    ) -> Result<R, ProviderError> {
        let _lock = self.lock()?;
        self.load(true, true)?;
        let (world, _) = self.world.as_mut().expect("loaded above");
        let mut draft = world.clone();
        let out = f(&mut draft)?;
        self.write(&draft)?;
        let stamp = self
            .stamp()
            .ok_or_else(|| io_err(&self.path(), "vanished", "after write"))?;
        self.world = Some((draft, stamp));
        self.derived = Derived::default();
        Ok(out)
    }

    pub fn replace(&mut self, world: World) -> Result<(), ProviderError> {
        let _lock = self.lock()?;
        self.write(&world)?;
        let stamp = self
            .stamp()
            .ok_or_else(|| io_err(&self.path(), "vanished", "after write"))?;
        self.world = Some((world, stamp));
        self.rest = None;
        self.derived = Derived::default();
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

    fn tmp_files(dir: &Path) -> Vec<String> {
        let mut names: Vec<String> = fs::read_dir(dir)
            .unwrap()
            .flatten()
            .map(|e| e.file_name().to_string_lossy().into_owned())
            .filter(|n| n.ends_with(".tmp"))
            .collect();
        names.sort();
        names
    }

    #[test]
    fn a_failed_write_leaves_no_temporary_file() {
        let dir = tempfile::tempdir().unwrap();
        // world.bin is a directory with something in it: the rename over it fails.
        fs::create_dir_all(dir.path().join("world.bin/x")).unwrap();
        let mut store = Store::new(dir.path().to_path_buf());
        let e = store
            .replace(generate::generate(3, 1))
            .expect_err("cannot rename over a directory");
        assert!(e.to_string().contains("cannot replace"), "{e}");
        assert_eq!(tmp_files(dir.path()), Vec::<String>::new());
    }

    #[test]
    fn a_dead_writers_temporary_file_is_swept_and_a_live_ones_kept() {
        let dir = tempfile::tempdir().unwrap();
        // Linux pids stop at 2^22: this one never runs. Pid 1 always does.
        let dead = "world.bin.999999999.tmp";
        let live = "world.bin.1.tmp";
        for name in [dead, live] {
            fs::write(dir.path().join(name), b"half a world").unwrap();
        }
        let mut store = Store::new(dir.path().to_path_buf());
        store.mutate(|w| Ok(w.instances.len())).unwrap();
        assert_eq!(tmp_files(dir.path()), [live]);
    }

    #[test]
    fn the_world_and_its_lock_are_private() {
        use std::os::unix::fs::PermissionsExt;
        let dir = tempfile::tempdir().unwrap();
        let sandbox = dir.path().join("data/sandbox");
        let mut store = Store::new(sandbox.clone());
        store.current().unwrap();
        let mode = |p: &Path| fs::metadata(p).unwrap().permissions().mode() & 0o777;
        assert_eq!(mode(&store.path()), 0o600);
        assert_eq!(mode(&sandbox.join("world.lock")), 0o600);
        assert_eq!(mode(&sandbox), 0o700);
        assert_eq!(mode(&dir.path().join("data")), 0o700);
    }

    #[test]
    fn a_world_reads_back_as_written_and_a_cut_file_is_damaged() {
        let dir = tempfile::tempdir().unwrap();
        let mut w = generate::generate(40, 7);
        w.serial = 99;
        Store::new(dir.path().to_path_buf())
            .replace(w.clone())
            .unwrap();
        let mut store = Store::new(dir.path().to_path_buf());
        assert_eq!(*store.current().unwrap(), w);
        let id = w.instances[3].id.clone();
        assert_eq!(
            store.vm(w.instances[3].provider, &id),
            Some(&w.instances[3])
        );
        assert_eq!(store.vm(w.instances[3].provider, "no-such-id"), None);
        let bytes = fs::read(store.path()).unwrap();
        fs::write(store.path(), &bytes[..bytes.len() - 10]).unwrap();
        let e = Store::new(dir.path().to_path_buf()).current().unwrap_err();
        assert!(e.to_string().contains("damaged: cut short"), "{e}");
    }

    #[test]
    fn a_world_read_instances_first_is_whole_once_asked() {
        let dir = tempfile::tempdir().unwrap();
        let w = generate::generate(9_000, 4);
        Store::new(dir.path().to_path_buf())
            .replace(w.clone())
            .unwrap();
        let mut store = Store::new(dir.path().to_path_buf());
        assert_eq!(store.current_instances().unwrap(), &w.instances[..]);
        assert!(!store.whole() && store.fresh());
        assert!(store.loaded().is_none(), "no world without its disks");
        assert_eq!(
            store.next_event_ms(),
            w.next_event_ms(),
            "from the file's head"
        );
        let v = &w.instances[100];
        assert_eq!(store.vm(v.provider, &v.id), Some(v));
        assert_eq!(*store.current().unwrap(), w);
        assert!(store.whole());

        // Another process's change after an instances-first read: the next read sees it.
        store.current_instances().unwrap();
        let mut other = Store::new(dir.path().to_path_buf());
        other
            .mutate(|w| {
                w.disks.truncate(5);
                Ok(())
            })
            .unwrap();
        assert!(!store.fresh());
        store.current_instances().unwrap();
        assert!(!store.whole());
        assert_eq!(store.current().unwrap().disks.len(), 5);
    }

    #[test]
    fn the_indexes_follow_a_change_and_a_settle() {
        let dir = tempfile::tempdir().unwrap();
        let mut store = Store::new(dir.path().to_path_buf());
        store.replace(generate::generate(30, 3)).unwrap();
        let v = store.current().unwrap().instances[0].clone();
        assert!(store.vm(v.provider, &v.id).is_some());
        store
            .mutate(|w| {
                w.instances.remove(0);
                // Nothing else pending, so the one transition below is the next event.
                for v in &mut w.instances {
                    (v.next, v.terminated_ms) = (None, None);
                }
                w.disks.iter_mut().for_each(|d| d.until_ms = None);
                w.lbs
                    .iter_mut()
                    .flat_map(|l| &mut l.targets)
                    .for_each(|t| t.draining_until = None);
                w.instances[0].next = Some(super::super::world::Transition {
                    to: "stopped".into(),
                    at_ms: 5,
                    deletes: false,
                });
                Ok(())
            })
            .unwrap();
        assert_eq!(store.vm(v.provider, &v.id), None, "removed");
        assert_eq!(store.next_event_ms(), Some(5));
        store.settle(10);
        assert_eq!(store.next_event_ms(), None, "settled");
        assert_eq!(store.current().unwrap().instances[0].state, "stopped");
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
