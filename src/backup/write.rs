//! Writing a backup of a live store: a snapshot streamed into a temporary
//! file beside the target, synced, then moved into place, so a backup file
//! under its final name is always whole.

use super::format::{Header, Writer};
use super::{known_schema, BackupError, Summary};
use crate::store::{Store, TREE_NAMES};
use std::fs::File;
use std::io::BufWriter;
use std::path::{Path, PathBuf};

/// Write a backup of `store` to `path` (absolute). An existing file is
/// refused unless `overwrite`. Writes wait while it runs; reads go on.
pub fn write_backup(store: &Store, path: &Path, overwrite: bool) -> Result<Summary, BackupError> {
    if !path.is_absolute() {
        return Err(BackupError::NotAbsolute { path: path.display().to_string() });
    }
    if !overwrite && path.exists() {
        return Err(BackupError::FileExists { path: path.display().to_string() });
    }
    let tmp = temp_beside(path, "tmp");
    let result = write_to(store, path, &tmp, overwrite);
    if result.is_err() {
        std::fs::remove_file(&tmp).ok();
    }
    result
}

fn write_to(store: &Store, path: &Path, tmp: &Path, overwrite: bool) -> Result<Summary, BackupError> {
    let file = File::options().write(true).create_new(true).open(tmp).map_err(|e| BackupError::io(path, e))?;
    let (summary, file) = {
        let snapshot = store.snapshot();
        // Writes are held off: the journal goes on in a new segment from here.
        let journal = snapshot.rotate_journal()?;
        let records: Vec<(String, u64)> = snapshot.record_counts().into_iter().map(|(k, n)| (k.to_string(), n)).collect();
        let header = Header {
            created_at: chrono::Utc::now(),
            app_version: env!("CARGO_PKG_VERSION").into(),
            trees: copied().map(|(_, t)| t.to_string()).collect(),
            schemas: TREE_NAMES.iter().filter_map(|t| known_schema(t).map(|s| (t.to_string(), s))).collect(),
            records: records.clone(),
            journal,
        };
        let mut w = Writer::new(BufWriter::with_capacity(1 << 20, file), &header).map_err(|e| BackupError::io(path, e))?;
        for part in read_trees_aside(&snapshot, path)? {
            let file = File::open(&part.path).map_err(|e| BackupError::io(path, e))?;
            let input = std::io::BufReader::with_capacity(1 << 20, file);
            w.encoded_entries(part.tree, part.entries, input).map_err(|e| BackupError::io(path, e))?;
        }
        let (out, counts, bytes) = w.finish().map_err(|e| BackupError::io(path, e))?;
        let audit = TREE_NAMES.iter().position(|t| *t == "audit").map(|i| counts[i]).unwrap_or(0);
        let file = out.into_inner().map_err(|e| BackupError::io(path, e.error()))?;
        let summary = Summary {
            path: path.display().to_string(),
            created_at: header.created_at,
            records,
            audit_entries: audit,
            bytes,
            journal: header.journal,
        };
        (summary, file)
        // The snapshot ends here: writes go on while the file is synced.
    };
    file.sync_all().map_err(|e| BackupError::io(path, e))?;
    drop(file);
    if overwrite {
        std::fs::rename(tmp, path).map_err(|e| BackupError::io(path, e))?;
    } else {
        // A link fails when the name is taken, even by a file made since the
        // check above; rename would replace it.
        std::fs::hard_link(tmp, path).map_err(|e| match e.kind() {
            std::io::ErrorKind::AlreadyExists => BackupError::FileExists { path: path.display().to_string() },
            _ => BackupError::io(path, e),
        })?;
        std::fs::remove_file(tmp).ok();
    }
    sync_dir(path);
    if let Some(mark) = summary.journal {
        store.journal_based(mark);
    }
    tracing::info!(path = %path.display(), bytes = summary.bytes, "backup written");
    Ok(summary)
}

/// One tree's entries, encoded as the backup lays them out, in a file of its
/// own beside the target; removed when dropped.
struct Part {
    tree: usize,
    path: PathBuf,
    entries: u64,
}

impl Drop for Part {
    fn drop(&mut self) {
        std::fs::remove_file(&self.path).ok();
    }
}

/// The trees a backup holds, with their positions in `TREE_NAMES`: all but
/// the index, which is made from the records and the audit log alone, so a
/// restore builds it again (it is most of the keys, and most of the time a
/// backup would hold off writes).
fn copied() -> impl Iterator<Item = (usize, &'static str)> {
    TREE_NAMES.iter().copied().enumerate().filter(|(_, t)| *t != "index")
}

/// Trees keyed by a number (records by id, the audit log by sequence) are
/// cut into this many equal stretches of numbers.
const NUMBER_CUTS: u64 = 4;

/// A stretch of one tree to read: (its number in the file, its position in
/// `TREE_NAMES`, first key, end key).
type Piece = (usize, usize, Vec<u8>, Option<Vec<u8>>);

/// The pieces to read, in file order: tree by tree, each in key order. Any
/// cut points give the same entries in the same order; cutting just shares
/// the work out (sled reads a tree on one core).
fn pieces(snapshot: &crate::store::Snapshot) -> Result<Vec<Piece>, crate::store::StoreError> {
    let mut out = Vec::new();
    for (n, (t, _)) in copied().enumerate() {
        let cuts: Vec<Vec<u8>> = match snapshot.key_bounds(t)? {
            Some((first, last)) if first.len() == 8 && last.len() == 8 => {
                let number = |k: &[u8]| u64::from_be_bytes(k.try_into().unwrap_or([0; 8]));
                let (a, b) = (number(&first), number(&last));
                let step = (b - a.min(b)) / NUMBER_CUTS;
                (1..NUMBER_CUTS).filter(|_| step > 0).map(|i| (a + i * step).to_be_bytes().to_vec()).collect()
            }
            _ => vec![],
        };
        let mut from: Vec<u8> = Vec::new();
        for cut in cuts {
            out.push((n, t, std::mem::replace(&mut from, cut.clone()), Some(cut)));
        }
        out.push((n, t, from, None));
    }
    Ok(out)
}

/// Read every tree of the snapshot, several pieces at once: sled reads a
/// tree on one core, and a large database has a few large trees (the index
/// above all). Each piece goes to a file of its own, so memory stays small;
/// they are then joined in order.
fn read_trees_aside(snapshot: &crate::store::Snapshot, target: &Path) -> Result<Vec<Part>, BackupError> {
    use std::io::Write as _;
    use std::sync::atomic::{AtomicUsize, Ordering};
    let pieces = pieces(snapshot)?;
    let next = AtomicUsize::new(0);
    let workers = std::thread::available_parallelism().map_or(2, |n| n.get()).clamp(1, 4);
    let read_one = |i: usize| -> Result<Part, BackupError> {
        let (n, t, from, to) = &pieces[i];
        let (n, t) = (*n, *t);
        let part = Part { tree: n, path: temp_beside(target, &format!("part{i}")), entries: 0 };
        let file = File::options().write(true).create_new(true).open(&part.path).map_err(|e| BackupError::io(target, e))?;
        let mut out = BufWriter::with_capacity(1 << 20, file);
        let mut part = part;
        snapshot.for_each_in(t, from, to.as_deref(), |k, v| {
            part.entries += 1;
            super::format::encode_entry(&mut out, n, k, v).map_err(|e| BackupError::io(target, e))
        })?;
        out.flush().map_err(|e| BackupError::io(target, e))?;
        Ok(part)
    };
    let results: Vec<Vec<(usize, Result<Part, BackupError>)>> = std::thread::scope(|s| {
        let handles: Vec<_> = (0..workers)
            .map(|_| {
                s.spawn(|| {
                    let mut done = Vec::new();
                    loop {
                        let i = next.fetch_add(1, Ordering::Relaxed);
                        if i >= pieces.len() {
                            break done;
                        }
                        done.push((i, read_one(i)));
                    }
                })
            })
            .collect();
        handles.into_iter().map(|h| h.join().unwrap_or_default()).collect()
    });
    let mut parts: Vec<Option<Part>> = (0..pieces.len()).map(|_| None).collect();
    for (i, r) in results.into_iter().flatten() {
        parts[i] = Some(r?);
    }
    // A worker that panicked left its trees out: never write a backup without them.
    parts.into_iter().map(|p| p.ok_or_else(|| BackupError::io(target, std::io::Error::other("a tree could not be read")))).collect()
}

/// A name in the target's directory that nothing else uses.
pub fn temp_beside(path: &Path, tag: &str) -> PathBuf {
    let name = path.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
    let nanos = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map(|d| d.subsec_nanos()).unwrap_or(0);
    path.with_file_name(format!(".{name}.{tag}-{}-{nanos}", std::process::id()))
}

/// Make a rename in the directory durable (best effort: some file systems
/// cannot sync a directory).
pub(crate) fn sync_dir(path: &Path) {
    if let Some(dir) = path.parent() {
        if let Ok(d) = File::open(if dir.as_os_str().is_empty() { Path::new(".") } else { dir }) {
            let _ = d.sync_all();
        }
    }
}
