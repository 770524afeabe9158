//! The journal: every committed change, appended to files beside the
//! database (`<db>.journal/`), so that a database sled can no longer open
//! is rebuilt from the newest backup plus the changes made since.
//!
//! ```text
//! segment file  <first change, 20 digits>.jrn
//!   "GRJOURNL"                 8 bytes
//!   format version             u16 LE
//!   journal id                 u64 LE (the database's meta "journal/id")
//!   first change number        u64 LE
//!   CRC-32 of the 26 bytes above
//!   records, each:
//!     "GRJR"                   4 bytes
//!     body length              u32 LE
//!     change number            u64 LE
//!     CRC-32                   u32 LE, of length, number and body
//!     body                     codec envelope of `Body` (time and ops)
//! ```
//!
//! Change numbers follow each other without a hole within a segment and
//! from one segment to the next. A record cut short at the end of the last
//! segment is a write that a crash interrupted (never acknowledged): it is
//! dropped. A bad record with a good one after it is damage, and reading
//! stops there with an error.
//!
//! A new segment starts with each backup (the backup records the last
//! change it holds) and when one grows past `SEGMENT_LIMIT`, so opening the
//! database reads at most one segment.

use super::codec;
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use std::fs::File;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex, MutexGuard};

const SEGMENT_MAGIC: &[u8; 8] = b"GRJOURNL";
const RECORD_MAGIC: &[u8; 4] = b"GRJR";
/// Bumped whenever the layout above changes.
pub const FORMAT: u16 = 1;
const BODY_SCHEMA: u16 = 1;
const HEADER_LEN: usize = 8 + 2 + 8 + 8 + 4;
const FRAME_LEN: usize = 4 + 4 + 8 + 4;
/// A segment past this size is closed and a new one begun. Opening reads
/// the newest segment whole, so this bounds what that costs a cold start
/// (16 MB took 5–18 ms on the benchmark machine).
const SEGMENT_LIMIT: u64 = 4 << 20;
/// No change comes near this; a larger length is damage.
const MAX_BODY: u32 = 1 << 30;
const EXT: &str = "jrn";

/// One write to one tree: a new value, or a removal.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Op {
    /// The tree's name (see `TREE_NAMES`).
    pub tree: String,
    pub key: Vec<u8>,
    /// `None`: the key was removed.
    pub value: Option<Vec<u8>>,
}

#[derive(Serialize, Deserialize)]
struct Body {
    at: DateTime<Utc>,
    ops: Vec<Op>,
}

/// One committed transaction, as the journal holds it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Change {
    pub number: u64,
    pub at: DateTime<Utc>,
    pub ops: Vec<Op>,
}

/// Which journal, and its last change held in a backup.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct JournalMark {
    pub id: u64,
    pub change: u64,
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum JournalError {
    #[error("{path}: {detail}")]
    Io { path: String, detail: String },
    #[error("{path} is damaged at byte {offset} ({detail})")]
    Damaged { path: String, offset: u64, detail: String },
    #[error("{path} was written by a newer guardroom (journal format {found}, this one reads up to {known})")]
    Newer { path: String, found: u16, known: u16 },
    #[error("the journal has no changes {from} to {to} (a segment is missing)")]
    Gap { from: u64, to: u64 },
}

impl JournalError {
    fn io(path: &Path, e: impl std::fmt::Display) -> Self {
        JournalError::Io { path: path.display().to_string(), detail: e.to_string() }
    }
    fn damaged(path: &Path, offset: usize, detail: impl Into<String>) -> Self {
        JournalError::Damaged { path: path.display().to_string(), offset: offset as u64, detail: detail.into() }
    }
}

/// The journal directory of the database at `db`.
pub fn dir_of(db: &Path) -> PathBuf {
    let mut name = db.file_name().map(|n| n.to_os_string()).unwrap_or_default();
    name.push(".journal");
    db.with_file_name(name)
}

/// Rename a journal directory out of the way (a journal is never deleted
/// for being unusable); returns where it went.
pub fn move_aside(dir: &Path) -> std::io::Result<Option<PathBuf>> {
    if !dir.exists() {
        return Ok(None);
    }
    let stamp = chrono::Local::now().format("%Y%m%d-%H%M%S");
    let mut name = dir.file_name().map(|n| n.to_os_string()).unwrap_or_default();
    name.push(format!(".old-{stamp}-{}", fastrand::u32(..)));
    let to = dir.with_file_name(name);
    std::fs::rename(dir, &to)?;
    tracing::warn!(from = %dir.display(), to = %to.display(), "journal moved aside");
    Ok(Some(to))
}

fn segment_name(first: u64) -> String {
    format!("{first:020}.{EXT}")
}

/// The segments in `dir`, by first change number.
pub fn segments(dir: &Path) -> Result<Vec<(u64, PathBuf)>, JournalError> {
    let entries = match std::fs::read_dir(dir) {
        Ok(e) => e,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(Vec::new()),
        Err(e) => return Err(JournalError::io(dir, e)),
    };
    let mut out = Vec::new();
    for entry in entries {
        let path = entry.map_err(|e| JournalError::io(dir, e))?.path();
        if path.extension().and_then(|e| e.to_str()) != Some(EXT) {
            continue;
        }
        if let Some(first) = path.file_stem().and_then(|s| s.to_str()).and_then(|s| s.parse::<u64>().ok()) {
            out.push((first, path));
        }
    }
    out.sort();
    Ok(out)
}

fn header_bytes(id: u64, first: u64) -> Vec<u8> {
    let mut h = Vec::with_capacity(HEADER_LEN);
    h.extend_from_slice(SEGMENT_MAGIC);
    h.extend_from_slice(&FORMAT.to_le_bytes());
    h.extend_from_slice(&id.to_le_bytes());
    h.extend_from_slice(&first.to_le_bytes());
    let crc = crc32fast::hash(&h);
    h.extend_from_slice(&crc.to_le_bytes());
    h
}

fn u64_at(b: &[u8], at: usize) -> u64 {
    u64::from_le_bytes(b[at..at + 8].try_into().unwrap_or([0; 8]))
}

fn u32_at(b: &[u8], at: usize) -> u32 {
    u32::from_le_bytes(b[at..at + 4].try_into().unwrap_or([0; 4]))
}

/// (journal id, first change) from a segment's header.
fn read_header(bytes: &[u8], path: &Path) -> Result<(u64, u64), JournalError> {
    if bytes.len() < HEADER_LEN || &bytes[..8] != SEGMENT_MAGIC {
        return Err(JournalError::damaged(path, 0, "not a journal segment"));
    }
    let format = u16::from_le_bytes([bytes[8], bytes[9]]);
    if crc32fast::hash(&bytes[..HEADER_LEN - 4]) != u32_at(bytes, HEADER_LEN - 4) {
        return Err(JournalError::damaged(path, 0, "header checksum mismatch"));
    }
    if format > FORMAT || format == 0 {
        return Err(JournalError::Newer { path: path.display().to_string(), found: format, known: FORMAT });
    }
    Ok((u64_at(bytes, 10), u64_at(bytes, 18)))
}

/// A whole record at `at`: (change number, body, end).
fn record_at(bytes: &[u8], at: usize) -> Option<(u64, &[u8], usize)> {
    let head = bytes.get(at..at + FRAME_LEN)?;
    if &head[..4] != RECORD_MAGIC {
        return None;
    }
    let len = u32_at(head, 4);
    if len > MAX_BODY {
        return None;
    }
    let end = at + FRAME_LEN + len as usize;
    let body = bytes.get(at + FRAME_LEN..end)?;
    let mut crc = crc32fast::Hasher::new();
    crc.update(&head[4..16]);
    crc.update(body);
    (crc.finalize() == u32_at(head, 16)).then_some((u64_at(head, 8), body, end))
}

fn encode_record(number: u64, at: DateTime<Utc>, ops: &[Op]) -> Vec<u8> {
    #[derive(Serialize)]
    struct BodyRef<'a> {
        at: DateTime<Utc>,
        ops: &'a [Op],
    }
    let body = codec::encode(BODY_SCHEMA, &BodyRef { at, ops });
    let mut out = Vec::with_capacity(FRAME_LEN + body.len());
    out.extend_from_slice(RECORD_MAGIC);
    out.extend_from_slice(&(body.len() as u32).to_le_bytes());
    out.extend_from_slice(&number.to_le_bytes());
    let mut crc = crc32fast::Hasher::new();
    crc.update(&out[4..16]);
    crc.update(&body);
    out.extend_from_slice(&crc.finalize().to_le_bytes());
    out.extend_from_slice(&body);
    out
}

/// What walking one segment found.
#[derive(Debug, Clone)]
pub struct SegmentEnd {
    pub id: u64,
    pub first: u64,
    /// The last change in it (`first - 1` when it holds none).
    pub last: u64,
    /// Where the last whole record ends.
    pub good_end: u64,
    /// Bytes after `good_end` that are a cut-short write, not damage.
    pub torn: bool,
}

/// Walk the records of one segment in order, handing each to `visit` with
/// its body (undecoded); see the module comment for torn tails and damage.
fn walk(path: &Path, mut visit: impl FnMut(u64, &[u8], usize) -> Result<(), JournalError>) -> Result<SegmentEnd, JournalError> {
    let bytes = std::fs::read(path).map_err(|e| JournalError::io(path, e))?;
    let (id, first) = read_header(&bytes, path)?;
    let mut at = HEADER_LEN;
    let mut expected = first;
    let mut torn = false;
    while at < bytes.len() {
        match record_at(&bytes, at) {
            Some((number, body, end)) => {
                if number != expected {
                    return Err(JournalError::damaged(path, at, format!("change {number} where {expected} was due")));
                }
                visit(number, body, at)?;
                expected += 1;
                at = end;
            }
            None => {
                // A whole record further on means this one is damage, not a
                // write cut short by a crash.
                let later = memchr::memmem::find_iter(&bytes[at + 1..], RECORD_MAGIC).any(|i| record_at(&bytes, at + 1 + i).is_some());
                if later {
                    return Err(JournalError::damaged(path, at, format!("the record after change {} is unreadable", expected - 1)));
                }
                torn = true;
                break;
            }
        }
    }
    Ok(SegmentEnd { id, first, last: expected - 1, good_end: at as u64, torn })
}

fn decode_body(path: &Path, number: u64, body: &[u8], offset: usize) -> Result<Change, JournalError> {
    let b: Body = codec::decode(BODY_SCHEMA, body).map_err(|e| match e {
        codec::CodecError::UnknownSchema { found, known } => JournalError::Newer { path: path.display().to_string(), found, known },
        other => JournalError::damaged(path, offset, other.to_string()),
    })?;
    Ok(Change { number, at: b.at, ops: b.ops })
}

/// What a journal directory holds, read without changing anything.
#[derive(Debug, Clone)]
pub struct Scan {
    pub id: u64,
    /// The first change still kept (older segments were removed with old backups).
    pub first: u64,
    /// The last whole change.
    pub last: u64,
    pub segments: Vec<(u64, PathBuf)>,
    pub tail: SegmentEnd,
}

/// Read the headers of every segment and the records of the last one.
/// `None` when there is no journal.
pub fn scan(dir: &Path) -> Result<Option<Scan>, JournalError> {
    let mut segs = segments(dir)?;
    // A segment whose header a crash cut short holds nothing yet.
    if let Some((_, last)) = segs.last() {
        if std::fs::metadata(last).map(|m| m.len() < HEADER_LEN as u64).unwrap_or(false) {
            std::fs::remove_file(last).map_err(|e| JournalError::io(last, e))?;
            segs.pop();
        }
    }
    let Some((_, last_path)) = segs.last() else { return Ok(None) };
    let tail = walk(last_path, |_, _, _| Ok(()))?;
    for (first, path) in &segs[..segs.len() - 1] {
        let head = read_head(path)?;
        if head.0 != tail.id || head.1 != *first {
            return Err(JournalError::damaged(path, 0, "a segment of another journal"));
        }
    }
    Ok(Some(Scan { id: tail.id, first: segs[0].0, last: tail.last, segments: segs, tail }))
}

fn read_head(path: &Path) -> Result<(u64, u64), JournalError> {
    let mut f = File::open(path).map_err(|e| JournalError::io(path, e))?;
    let mut b = [0u8; HEADER_LEN];
    std::io::Read::read_exact(&mut f, &mut b).map_err(|_| JournalError::damaged(path, 0, "the header is cut short"))?;
    read_header(&b, path)
}

/// Every change after `after`, in order, to `visit`; an error when one is
/// missing or damaged. Returns the number of changes visited.
pub fn for_each_after(scan: &Scan, after: u64, mut visit: impl FnMut(Change) -> Result<(), JournalError>) -> Result<u64, JournalError> {
    if scan.first > after + 1 {
        return Err(JournalError::Gap { from: after + 1, to: scan.first - 1 });
    }
    let mut next = after + 1;
    for (i, (first, path)) in scan.segments.iter().enumerate() {
        let end = scan.segments.get(i + 1).map(|(f, _)| *f);
        if end.is_some_and(|e| e <= next) {
            continue;
        }
        if *first > next {
            return Err(JournalError::Gap { from: next, to: first - 1 });
        }
        let seg = walk(path, |number, body, offset| {
            if number >= next {
                visit(decode_body(path, number, body, offset)?)?;
                next = number + 1;
            }
            Ok(())
        })?;
        // A torn tail is forgiven at the very end only.
        if seg.torn && end.is_some() {
            return Err(JournalError::damaged(path, seg.good_end as usize, "cut short before the next segment"));
        }
        if let Some(e) = end {
            if e != seg.last + 1 && e > next {
                return Err(JournalError::Gap { from: next, to: e - 1 });
            }
        }
    }
    Ok(next - after - 1)
}

/// The open journal of a database: appends under its lock, in commit order.
pub struct Journal {
    dir: PathBuf,
    id: u64,
    inner: Mutex<Inner>,
    /// The last change known to be on disk.
    synced: Mutex<u64>,
}

pub struct Inner {
    file: Arc<File>,
    path: PathBuf,
    first: u64,
    len: u64,
    last: u64,
    /// An append failed: the next change starts a new segment.
    broken: bool,
    /// The journal misses a change up to this one (an append failed, or it
    /// is new beside data already there): older backups plus the journal
    /// fall short until a backup holding it is taken.
    needs_base: Option<u64>,
}

fn sync_dir(dir: &Path) {
    if let Ok(d) = File::open(dir) {
        let _ = d.sync_all();
    }
}

fn new_segment(dir: &Path, id: u64, first: u64) -> std::io::Result<(File, PathBuf)> {
    std::fs::create_dir_all(dir)?;
    let path = dir.join(segment_name(first));
    let mut f = File::options().create(true).truncate(true).write(true).open(&path)?;
    f.write_all(&header_bytes(id, first))?;
    f.sync_all()?;
    sync_dir(dir);
    Ok((f, path))
}

impl Journal {
    /// A new journal whose first change will be `next`.
    pub fn create(dir: &Path, id: u64, next: u64, needs_base: bool) -> Result<Journal, JournalError> {
        let (file, path) = new_segment(dir, id, next).map_err(|e| JournalError::io(dir, e))?;
        let needs_base = needs_base.then_some(next - 1);
        Ok(Journal::with(
            dir,
            id,
            Inner { file: Arc::new(file), path, first: next, len: HEADER_LEN as u64, last: next - 1, broken: false, needs_base },
        ))
    }

    /// Go on appending to the journal `scan` read. A torn tail is cut off
    /// first. When the database is ahead of it (changes it never got),
    /// the next change starts a new segment and a backup is needed.
    pub fn resume(dir: &Path, scan: &Scan, db_change: u64) -> Result<Journal, JournalError> {
        let path = scan.segments.last().map(|(_, p)| p.clone()).unwrap_or_default();
        let file = File::options().append(true).open(&path).map_err(|e| JournalError::io(&path, e))?;
        if scan.tail.torn {
            tracing::warn!(segment = %path.display(), at = scan.tail.good_end, "dropping a journal record cut short by a crash");
            file.set_len(scan.tail.good_end).and_then(|_| file.sync_all()).map_err(|e| JournalError::io(&path, e))?;
        }
        let mut inner = Inner {
            file: Arc::new(file),
            path,
            first: scan.tail.first,
            len: scan.tail.good_end,
            last: scan.last,
            broken: false,
            needs_base: None,
        };
        if db_change > scan.last {
            tracing::warn!(db = db_change, journal = scan.last, "the database is ahead of its journal; a backup is needed");
            inner.last = db_change;
            inner.broken = true;
            inner.needs_base = Some(db_change);
        }
        Ok(Journal::with(dir, scan.id, inner))
    }

    fn with(dir: &Path, id: u64, inner: Inner) -> Journal {
        let synced = inner.last;
        Journal { dir: dir.to_path_buf(), id, inner: Mutex::new(inner), synced: Mutex::new(synced) }
    }

    pub fn id(&self) -> u64 {
        self.id
    }

    pub fn dir(&self) -> &Path {
        &self.dir
    }

    fn inner(&self) -> MutexGuard<'_, Inner> {
        // What it guards stays whole across a panic (appends are all-or-truncated).
        self.inner.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// Taken around a transaction's commit and its append, so changes are
    /// numbered and journaled in commit order.
    pub fn lock(&self) -> MutexGuard<'_, Inner> {
        self.inner()
    }

    /// The last change journaled, and whether a backup is needed before
    /// older backups plus the journal give back every change.
    pub fn state(&self) -> (u64, bool) {
        let i = self.inner();
        (i.last, i.needs_base.is_some())
    }

    /// A backup holding every change up to `mark` was written.
    pub fn based(&self, mark: JournalMark) {
        let mut i = self.inner();
        if mark.id == self.id && i.needs_base.is_some_and(|n| n <= mark.change) {
            i.needs_base = None;
        }
    }

    /// Write every appended change to disk, if another call has not already.
    pub fn sync_through(&self, number: u64) -> std::io::Result<()> {
        let mut synced = self.synced.lock().unwrap_or_else(|e| e.into_inner());
        if *synced >= number {
            return Ok(());
        }
        let (file, last) = {
            let i = self.inner();
            (Arc::clone(&i.file), i.last)
        };
        // Segments closed since were synced as they closed.
        file.sync_data()?;
        *synced = last;
        Ok(())
    }

    /// Close the current segment (if it holds anything) and begin the next:
    /// called with writes held off, as a backup is taken. Returns the mark
    /// the backup records.
    pub fn rotate(&self) -> Result<JournalMark, JournalError> {
        let mut i = self.inner();
        if i.last >= i.first || i.broken {
            i.file.sync_all().map_err(|e| JournalError::io(&i.path, e))?;
            let (file, path) = new_segment(&self.dir, self.id, i.last + 1).map_err(|e| JournalError::io(&self.dir, e))?;
            (i.file, i.path, i.first, i.len, i.broken) = (Arc::new(file), path, i.last + 1, HEADER_LEN as u64, false);
        }
        Ok(JournalMark { id: self.id, change: i.last })
    }

    /// Remove the segments holding only changes up to `through` (what the
    /// oldest kept backup already has). The current segment stays.
    pub fn prune_through(&self, through: u64) -> Result<usize, JournalError> {
        let _i = self.inner();
        let segs = segments(&self.dir)?;
        let mut removed = 0;
        for pair in segs.windows(2) {
            if pair[1].0 <= through + 1 {
                std::fs::remove_file(&pair[0].1).map_err(|e| JournalError::io(&pair[0].1, e))?;
                removed += 1;
            }
        }
        if removed > 0 {
            sync_dir(&self.dir);
        }
        Ok(removed)
    }
}

impl Inner {
    /// The number the next change gets.
    pub fn next(&self) -> u64 {
        self.last + 1
    }

    /// Append change `number` (the next one). The bytes reach the file (and
    /// so survive the process) before this returns; `sync_through` makes
    /// them survive the machine.
    pub fn append(&mut self, dir: &Path, id: u64, number: u64, ops: &[Op]) -> std::io::Result<()> {
        let record = encode_record(number, Utc::now(), ops);
        if self.broken || self.len >= SEGMENT_LIMIT {
            self.file.sync_all()?;
            let (file, path) = new_segment(dir, id, number)?;
            (self.file, self.path, self.first, self.len, self.broken) = (Arc::new(file), path, number, HEADER_LEN as u64, false);
        }
        let mut f: &File = &self.file;
        match f.write_all(&record) {
            Ok(()) => {
                self.len += record.len() as u64;
                self.last = number;
                Ok(())
            }
            Err(e) => {
                // Never leave half a record for the next one to follow.
                let _ = self.file.set_len(self.len);
                self.last = number;
                self.broken = true;
                self.needs_base = Some(number);
                Err(e)
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn op(k: &str) -> Op {
        Op { tree: "client".into(), key: k.as_bytes().to_vec(), value: Some(b"v".to_vec()) }
    }

    fn write(dir: &Path, n: u64) -> Journal {
        let j = Journal::create(dir, 7, 1, false).unwrap();
        for number in 1..=n {
            let mut i = j.lock();
            i.append(dir, 7, number, &[op(&number.to_string())]).unwrap();
        }
        j.sync_through(n).unwrap();
        j
    }

    fn numbers(dir: &Path, after: u64) -> Result<Vec<u64>, JournalError> {
        let scan = scan(dir)?.unwrap();
        let mut got = Vec::new();
        for_each_after(&scan, after, |c| {
            got.push(c.number);
            Ok(())
        })?;
        Ok(got)
    }

    #[test]
    fn changes_come_back_in_order_across_segments() {
        let dir = tempfile::tempdir().unwrap();
        let j = write(dir.path(), 3);
        assert_eq!(j.rotate().unwrap(), JournalMark { id: 7, change: 3 });
        j.lock().append(dir.path(), 7, 4, &[op("4")]).unwrap();
        assert_eq!(numbers(dir.path(), 0).unwrap(), [1, 2, 3, 4]);
        assert_eq!(numbers(dir.path(), 2).unwrap(), [3, 4]);
        assert_eq!(j.prune_through(3).unwrap(), 1);
        assert_eq!(numbers(dir.path(), 3).unwrap(), [4]);
        assert_eq!(numbers(dir.path(), 1).unwrap_err(), JournalError::Gap { from: 2, to: 3 });
    }

    #[test]
    fn a_cut_short_tail_is_dropped_but_damage_inside_is_an_error() {
        let dir = tempfile::tempdir().unwrap();
        write(dir.path(), 5);
        let seg = segments(dir.path()).unwrap()[0].1.clone();
        let whole = std::fs::read(&seg).unwrap();
        // Every cut inside the last record keeps the four before it.
        let last_start = whole.len() - (whole.len() - HEADER_LEN) / 5;
        for cut in last_start..whole.len() {
            std::fs::write(&seg, &whole[..cut]).unwrap();
            assert_eq!(numbers(dir.path(), 0).unwrap(), [1, 2, 3, 4], "cut at {cut}");
        }
        // Zeros after the end (a size grown before the data came) likewise.
        let mut zeros = whole.clone();
        zeros.extend_from_slice(&[0; 100]);
        std::fs::write(&seg, &zeros).unwrap();
        assert_eq!(numbers(dir.path(), 0).unwrap(), [1, 2, 3, 4, 5]);
        // A flipped byte in the second record is damage: the others follow it.
        let mut bad = whole.clone();
        bad[HEADER_LEN + (whole.len() - HEADER_LEN) / 5 + FRAME_LEN + 2] ^= 0x40;
        std::fs::write(&seg, &bad).unwrap();
        assert!(matches!(numbers(dir.path(), 0), Err(JournalError::Damaged { .. })));
        let mut header = whole;
        header[3] ^= 1;
        std::fs::write(&seg, &header).unwrap();
        assert!(matches!(scan(dir.path()), Err(JournalError::Damaged { .. })));
    }

    #[test]
    fn resuming_cuts_the_torn_tail_before_appending() {
        let dir = tempfile::tempdir().unwrap();
        write(dir.path(), 2);
        let seg = segments(dir.path()).unwrap()[0].1.clone();
        let whole = std::fs::read(&seg).unwrap();
        std::fs::write(&seg, &whole[..whole.len() - 3]).unwrap();
        let s = scan(dir.path()).unwrap().unwrap();
        assert!(s.tail.torn);
        let j = Journal::resume(dir.path(), &s, 1).unwrap();
        j.lock().append(dir.path(), 7, 2, &[op("again")]).unwrap();
        assert_eq!(numbers(dir.path(), 0).unwrap(), [1, 2]);
    }

    #[test]
    fn a_database_ahead_of_its_journal_starts_a_new_segment_and_needs_a_backup() {
        let dir = tempfile::tempdir().unwrap();
        write(dir.path(), 2);
        let s = scan(dir.path()).unwrap().unwrap();
        let j = Journal::resume(dir.path(), &s, 4).unwrap();
        assert_eq!(j.state(), (4, true));
        let mut i = j.lock();
        assert_eq!(i.next(), 5);
        i.append(dir.path(), 7, 5, &[op("5")]).unwrap();
        drop(i);
        assert_eq!(numbers(dir.path(), 4).unwrap(), [5]);
        assert_eq!(numbers(dir.path(), 0).unwrap_err(), JournalError::Gap { from: 3, to: 4 });
    }
}
