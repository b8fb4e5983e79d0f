//! The sandbox world's file: how a [`World`] is laid out on disk, and how it is read back
//! instances first.
//!
//! After the magic and the format number (4 bytes, little-endian) come parts, each a postcard
//! blob after its length (8 bytes, little-endian):
//!
//! 1. the head: the world's small fields, its next event, and how many instances and disks
//!    follow, in parts of `chunk` records;
//! 2. the instances, `chunk` records to a part, the records one after another;
//! 3. the disks, the same way;
//! 4. the load balancers, one `Vec`.
//!
//! At 100k instances the file is 54 MB and a start waits on it: so it is mapped, not read (read
//! into fresh memory it cost ~80 ms of page faults here, mapped ~1 ms); the instances are decoded
//! first, their parts side by side on every core, each record written straight to its place in
//! the one `Vec`; and the disks and load balancers can wait in the mapped file ([`Rest`]) until
//! something asks for them, so the rows a start shows first are not held up by the others.
//! Format 4 (four parts: head, instances, disks, load balancers) is still read, whole.

use std::mem::MaybeUninit;
use std::ops::Range;
use std::path::Path;

use serde::de::DeserializeOwned;
use serde::{Deserialize, Serialize};

use super::net_world::NetWorld;
use super::world::{DiskRec, LbRec, OpRec, VmRec, World, FORMAT};
use crate::providers::{ErrorKind, ProviderError};

const MAGIC: &[u8; 8] = b"NEPHOS-W";

/// Records in each instance or disk part: 100k instances make 25 parts, so the cores' shares
/// differ by one part at most (with 16,384 a part, two cores got 65k and 35k records).
const CHUNK: usize = 4_096;

/// The world's small fields, and what the parts after it hold.
#[derive(Serialize)]
struct HeadOut<'a> {
    format: u32,
    seed: u64,
    serial: u64,
    ops: &'a [OpRec],
    nets: &'a NetWorld,
    /// [`World::next_event_ms`], so a world read instances first knows whether it must settle.
    next_event: Option<i64>,
    chunk: u32,
    instances: u64,
    disks: u64,
}

#[derive(Deserialize)]
struct HeadIn {
    format: u32,
    seed: u64,
    serial: u64,
    ops: Vec<OpRec>,
    nets: NetWorld,
    next_event: Option<i64>,
    chunk: u32,
    instances: u64,
    disks: u64,
}

/// Format 4's head: the small fields only.
#[derive(Deserialize)]
struct HeadV4 {
    format: u32,
    seed: u64,
    serial: u64,
    ops: Vec<OpRec>,
    nets: NetWorld,
}

fn part(bytes: &[u8]) -> [Vec<u8>; 2] {
    [(bytes.len() as u64).to_le_bytes().to_vec(), bytes.to_vec()]
}

/// The file's bytes, in pieces to write one after another.
pub fn encode(w: &World) -> Result<Vec<Vec<u8>>, postcard::Error> {
    let head = HeadOut {
        format: FORMAT,
        seed: w.seed,
        serial: w.serial,
        ops: &w.ops,
        nets: &w.nets,
        next_event: w.next_event_ms(),
        chunk: CHUNK as u32,
        instances: w.instances.len() as u64,
        disks: w.disks.len() as u64,
    };
    let mut out = vec![MAGIC.to_vec(), FORMAT.to_le_bytes().to_vec()];
    out.extend(part(&postcard::to_stdvec(&head)?));
    fn records<T: Serialize>(out: &mut Vec<Vec<u8>>, list: &[T]) -> Result<(), postcard::Error> {
        for chunk in list.chunks(CHUNK) {
            let mut blob = Vec::new();
            for r in chunk {
                blob = postcard::to_extend(r, blob)?;
            }
            out.extend(part(&blob));
        }
        Ok(())
    }
    records(&mut out, &w.instances)?;
    records(&mut out, &w.disks)?;
    out.extend(part(&postcard::to_stdvec(&w.lbs)?));
    Ok(out)
}

/// A world read instances first: what is still to decode, in the mapped file.
pub struct Rest {
    map: memmap2::Mmap,
    disks: Vec<Range<usize>>,
    disk_count: usize,
    chunk: usize,
    lbs: Range<usize>,
}

impl Rest {
    /// The disks (their parts on every core) and, beside them, the load balancers, on threads
    /// of lower priority: the console's own threads go first (they are still showing the
    /// instances when this starts).
    pub fn decode(self) -> Result<(Vec<DiskRec>, Vec<LbRec>), String> {
        let parts: Vec<&[u8]> = self.disks.iter().map(|r| &self.map[r.clone()]).collect();
        let lbs = &self.map[self.lbs.clone()];
        std::thread::scope(|s| {
            let lbs = s.spawn(|| {
                crate::low_priority::lower_this_thread();
                de::<Vec<LbRec>>(lbs)
            });
            let disks = records::<DiskRec>(&parts, self.chunk, self.disk_count, Priority::Low);
            let lbs = lbs
                .join()
                .unwrap_or_else(|_| Err("decoder panicked".into()));
            Ok((disks?, lbs?))
        })
    }
}

/// A file as read: the world, whole or with its disks and load balancers still to decode (then
/// empty in `world` and held in `rest`), and its next event where the file says.
pub struct Opened {
    pub world: World,
    pub next_event: Option<Option<i64>>,
    pub rest: Option<Rest>,
}

fn de<'a, T: Deserialize<'a>>(b: &'a [u8]) -> Result<T, String> {
    postcard::from_bytes(b).map_err(|e| e.to_string())
}

/// The file's parts after the format number, as ranges of `bytes`.
struct Parts<'a> {
    bytes: &'a [u8],
    at: usize,
}

impl Parts<'_> {
    fn next(&mut self) -> Result<Range<usize>, String> {
        let rest = &self.bytes[self.at..];
        let (len, _) = rest.split_first_chunk::<8>().ok_or("cut short")?;
        let len = usize::try_from(u64::from_le_bytes(*len)).map_err(|e| e.to_string())?;
        if rest.len() - 8 < len {
            return Err("cut short".into());
        }
        let start = self.at + 8;
        self.at = start + len;
        Ok(start..self.at)
    }

    fn take(&mut self, n: usize) -> Result<Vec<Range<usize>>, String> {
        (0..n).map(|_| self.next()).collect()
    }

    fn end(&self) -> Result<(), String> {
        if self.at == self.bytes.len() {
            Ok(())
        } else {
            Err("bytes after the end".into())
        }
    }
}

/// The file at `path` cannot be used as a world (foreign, another version's, or damaged).
pub fn incompatible(path: &Path, why: String) -> ProviderError {
    ProviderError::new(
        ErrorKind::Invalid,
        format!("sandbox state {}: {why}", path.display()),
    )
    .with_hint("run `nephos sandbox reset` to make a new one")
}

/// Read the world at `path`: whole, or (`whole` false, format 5) its instances only, the rest
/// left in [`Opened::rest`].
pub fn open(path: &Path, whole: bool) -> Result<Opened, ProviderError> {
    let file =
        std::fs::File::open(path).map_err(|e| super::store::io_err(path, "cannot read", e))?;
    // SAFETY: nephos never changes the file in place: a change is written to a temporary file
    // and renamed over it, so the mapped inode keeps its bytes for as long as the map lives.
    // Another program truncating the file under us would be a SIGBUS, as with any map.
    let map = unsafe { memmap2::Mmap::map(&file) }
        .map_err(|e| super::store::io_err(path, "cannot read", e))?;
    let incompatible = |why: String| incompatible(path, why);
    if map.len() < 12 || &map[..8] != MAGIC {
        return Err(incompatible("not a nephos sandbox file".into()));
    }
    let format = u32::from_le_bytes(map[8..12].try_into().expect("4 bytes"));
    let began = std::time::Instant::now();
    let opened = match format {
        FORMAT => read_v5(map, whole),
        4 => read_v4(&map),
        _ => {
            return Err(incompatible(format!(
                "written by another version of nephos (format {format}, this one reads {FORMAT})"
            )))
        }
    }
    .map_err(|e| incompatible(format!("damaged: {e}")))?;
    tracing::debug!(
        format,
        whole = opened.rest.is_none(),
        decoded_ms = began.elapsed().as_secs_f64() * 1e3,
        "sandbox world read"
    );
    Ok(opened)
}

fn read_v5(map: memmap2::Mmap, whole: bool) -> Result<Opened, String> {
    let mut parts = Parts {
        bytes: &map,
        at: 12,
    };
    let head: HeadIn = de(&map[parts.next()?])?;
    let chunk = usize::try_from(head.chunk).map_err(|e| e.to_string())?;
    let count = |n: u64| usize::try_from(n).map_err(|e| e.to_string());
    let (vm_count, disk_count) = (count(head.instances)?, count(head.disks)?);
    if chunk == 0 && vm_count + disk_count > 0 {
        return Err("records in parts of none".into());
    }
    let vm_parts = parts.take(vm_count.div_ceil(chunk.max(1)))?;
    let disk_parts = parts.take(disk_count.div_ceil(chunk.max(1)))?;
    let lbs = parts.next()?;
    parts.end()?;
    let slices: Vec<&[u8]> = vm_parts.iter().map(|r| &map[r.clone()]).collect();
    let instances = records::<VmRec>(&slices, chunk, vm_count, Priority::Same)?;
    let mut world = World {
        format: head.format,
        seed: head.seed,
        serial: head.serial,
        instances,
        disks: Vec::new(),
        lbs: Vec::new(),
        ops: head.ops,
        nets: head.nets,
    };
    let rest = Rest {
        map,
        disks: disk_parts,
        disk_count,
        chunk,
        lbs,
    };
    let rest = if whole {
        (world.disks, world.lbs) = rest.decode()?;
        None
    } else {
        Some(rest)
    };
    Ok(Opened {
        world,
        next_event: Some(head.next_event),
        rest,
    })
}

fn read_v4(map: &[u8]) -> Result<Opened, String> {
    let mut parts = Parts { bytes: map, at: 12 };
    let ranges = parts.take(4)?;
    parts.end()?;
    let head: HeadV4 = de(&map[ranges[0].clone()])?;
    Ok(Opened {
        world: World {
            format: head.format,
            seed: head.seed,
            serial: head.serial,
            instances: de(&map[ranges[1].clone()])?,
            disks: de(&map[ranges[2].clone()])?,
            lbs: de(&map[ranges[3].clone()])?,
            ops: head.ops,
            nets: head.nets,
        },
        next_event: None,
        rest: None,
    })
}

/// `total` records from `parts` (`chunk` to a part, the last one the remainder) into one `Vec`:
/// the parts shared among the cores, each thread decoding straight into its own stretch of the
/// `Vec`'s memory, so nothing is copied after.
fn records<T: DeserializeOwned + Send>(
    parts: &[&[u8]],
    chunk: usize,
    total: usize,
    priority: Priority,
) -> Result<Vec<T>, String> {
    if parts.len() != total.div_ceil(chunk.max(1)) {
        return Err("parts and records disagree".into());
    }
    let mut all: Vec<T> = Vec::with_capacity(total);
    let threads = std::thread::available_parallelism()
        .map_or(1, |n| n.get())
        .clamp(1, parts.len().max(1));
    let per_thread = parts.len().div_ceil(threads).max(1);
    // Smaller shares first: the calling thread takes the last (and shortest) one.
    let results: Vec<Result<(), String>> = std::thread::scope(|s| {
        let mut slots = &mut all.spare_capacity_mut()[..total];
        let mut work = Vec::new();
        for (i, group) in parts.chunks(per_thread).enumerate() {
            let first = i * per_thread * chunk;
            let n = (first + group.len() * chunk).min(total) - first;
            let (mine, others) = std::mem::take(&mut slots).split_at_mut(n);
            slots = others;
            work.push((group, mine));
        }
        // At the caller's priority the caller takes a share itself; it cannot lower its own (a
        // thread cannot raise it back, and the caller is the runtime's).
        let last = if priority == Priority::Same {
            work.pop()
        } else {
            None
        };
        let handles: Vec<_> = work
            .into_iter()
            .map(|(group, mine)| {
                s.spawn(move || {
                    if priority == Priority::Low {
                        crate::low_priority::lower_this_thread();
                    }
                    fill(group, mine)
                })
            })
            .collect();
        let mut results: Vec<Result<(), String>> = last
            .map(|(group, mine)| fill(group, mine))
            .into_iter()
            .collect();
        results.extend(
            handles
                .into_iter()
                .map(|h| h.join().unwrap_or_else(|_| Err("decoder panicked".into()))),
        );
        results
    });
    results.into_iter().collect::<Result<Vec<()>, String>>()?;
    // SAFETY: the slots 0..total were shared out whole among the groups, and each group's
    // `fill` returned Ok only after writing every one of its slots. (On an error the records
    // written so far are leaked, not dropped: the Vec's length is never set.)
    unsafe { all.set_len(total) };
    Ok(all)
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Priority {
    /// The caller's own.
    Same,
    /// Below it: work that must not hold up what the user sees.
    Low,
}

/// Decode the records of `parts`, one after another, into `slots`, which they must fill exactly.
fn fill<T: DeserializeOwned>(parts: &[&[u8]], slots: &mut [MaybeUninit<T>]) -> Result<(), String> {
    let mut at = 0;
    for part in parts {
        let mut bytes = *part;
        while !bytes.is_empty() {
            let slot = slots.get_mut(at).ok_or("more records than counted")?;
            let (record, rest) = postcard::take_from_bytes(bytes).map_err(|e| e.to_string())?;
            slot.write(record);
            bytes = rest;
            at += 1;
        }
    }
    if at == slots.len() {
        Ok(())
    } else {
        Err("fewer records than counted".into())
    }
}

#[cfg(test)]
mod tests {
    use super::super::generate;
    use super::*;

    fn file(w: &World) -> Vec<u8> {
        encode(w).unwrap().concat()
    }

    fn write(dir: &Path, bytes: &[u8]) -> std::path::PathBuf {
        let path = dir.join("world.bin");
        std::fs::write(&path, bytes).unwrap();
        path
    }

    #[test]
    fn a_world_of_many_parts_reads_back_whole_and_instances_first() {
        let dir = tempfile::tempdir().unwrap();
        // More than one part of each, the last one short: 10,000 instances, ~12k disks.
        let mut w = generate::generate(10_000, 11);
        w.format = FORMAT;
        assert!(w.instances.len() > 2 * CHUNK && w.disks.len() > 2 * CHUNK);
        let path = write(dir.path(), &file(&w));

        let whole = open(&path, true).unwrap();
        assert!(whole.rest.is_none());
        assert_eq!(whole.next_event, Some(w.next_event_ms()));
        assert!(whole.world == w, "the whole world reads back as written");

        let first = open(&path, false).unwrap();
        assert_eq!(first.world.instances, w.instances);
        assert!(first.world.disks.is_empty() && first.world.lbs.is_empty());
        let (disks, lbs) = first.rest.expect("the rest is left").decode().unwrap();
        assert!(disks == w.disks && lbs == w.lbs);
    }

    #[test]
    fn an_empty_world_and_a_format_4_file_read_back() {
        let dir = tempfile::tempdir().unwrap();
        let empty = World::empty(3);
        let path = write(dir.path(), &file(&empty));
        assert_eq!(open(&path, true).unwrap().world, empty);

        // Format 4, as nephos wrote it before: head, instances, disks, load balancers.
        #[derive(Serialize)]
        struct V4<'a> {
            format: u32,
            seed: u64,
            serial: u64,
            ops: &'a [OpRec],
            nets: &'a NetWorld,
        }
        let mut w = generate::generate(50, 2);
        w.format = 4;
        let head = V4 {
            format: 4,
            seed: w.seed,
            serial: w.serial,
            ops: &w.ops,
            nets: &w.nets,
        };
        let mut bytes = MAGIC.to_vec();
        bytes.extend(4u32.to_le_bytes());
        for p in [
            postcard::to_stdvec(&head).unwrap(),
            postcard::to_stdvec(&w.instances).unwrap(),
            postcard::to_stdvec(&w.disks).unwrap(),
            postcard::to_stdvec(&w.lbs).unwrap(),
        ] {
            bytes.extend(part(&p).concat());
        }
        let path = write(dir.path(), &bytes);
        let old = open(&path, false).unwrap();
        assert!(old.rest.is_none(), "format 4 is read whole");
        assert_eq!(old.world, w);
    }

    #[test]
    fn a_damaged_file_is_an_error_not_a_partial_world() {
        let dir = tempfile::tempdir().unwrap();
        let w = generate::generate(5_000, 5);
        let bytes = file(&w);
        let path = write(dir.path(), &bytes[..bytes.len() - 10]);
        let e = open(&path, true).err().expect("cut short");
        assert!(e.to_string().contains("damaged: cut short"), "{e}");

        // A count in the head that the parts do not hold: one record too many is claimed.
        let mut head: HeadIn = postcard::take_from_bytes(&bytes[20..]).unwrap().0;
        head.instances += 1;
        let out = HeadOut {
            format: head.format,
            seed: head.seed,
            serial: head.serial,
            ops: &head.ops,
            nets: &head.nets,
            next_event: head.next_event,
            chunk: head.chunk,
            instances: head.instances,
            disks: head.disks,
        };
        let old_len = u64::from_le_bytes(bytes[12..20].try_into().unwrap()) as usize;
        let mut changed = bytes[..12].to_vec();
        changed.extend(part(&postcard::to_stdvec(&out).unwrap()).concat());
        changed.extend(&bytes[20 + old_len..]);
        let path = write(dir.path(), &changed);
        let e = open(&path, false).err().expect("a record short");
        assert!(e.to_string().contains("fewer records than counted"), "{e}");
    }
}
