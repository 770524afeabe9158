//! The backup file:
//!
//! ```text
//! "GUARDROOM-BACKUP"                 16 bytes
//! format version                     u16 LE
//! header length, header              u32 LE, a codec envelope of `Header`
//! entries, each:                     tree number u8 (a position in header.trees),
//!                                    key length u32 LE, key, value length u32 LE, value
//! end mark                           0xFF
//! entries per tree                   u64 LE for each of header.trees
//! CRC-32 of every byte above         u32 LE
//! ```
//!
//! Entries are the raw bytes of the trees named in the header (records,
//! audit log, counters; since format 2 not the index, which a restore
//! makes again from the records and the audit log, key for key), so a
//! restore gives back exactly the database that was copied. Trees are
//! named in the header, so a later guardroom with more or reordered trees
//! still reads an older backup.

use super::{known_schema, BackupError};
use crate::store::codec;
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use std::io::{Read, Write};

pub const MAGIC: &[u8; 16] = b"GUARDROOM-BACKUP";
/// Bumped whenever the layout above changes. 2: the index tree is left out
/// (a restore builds it from the records and the audit log); a file of
/// format 1 still restores, its index made again the same way.
pub const FORMAT: u16 = 2;
/// 2: the header names the journal and its last change the backup holds.
const HEADER_SCHEMA: u16 = 2;
const END: u8 = 0xFF;
/// No key or value in a guardroom database comes near this; a larger
/// length is damage, not a reason to allocate.
const MAX_ENTRY: u32 = 256 << 20;

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Header {
    pub created_at: DateTime<Utc>,
    /// The guardroom version that wrote it.
    pub app_version: String,
    /// The trees, in the order their entries are numbered.
    pub trees: Vec<String>,
    /// The schema of each record kind's envelopes, and of "audit".
    pub schemas: Vec<(String, u16)>,
    /// Records per kind, as the store's counters said at the snapshot.
    pub records: Vec<(String, u64)>,
    /// The journal of the database copied and the last change in the copy:
    /// `guardroom recover` replays the journal's changes after it.
    pub journal: Option<crate::store::JournalMark>,
}

/// The header as schema 1 wrote it (before the journal).
#[derive(Deserialize)]
struct HeaderV1 {
    created_at: DateTime<Utc>,
    app_version: String,
    trees: Vec<String>,
    schemas: Vec<(String, u16)>,
    records: Vec<(String, u64)>,
}

fn decode_header(body: &[u8]) -> Result<Header, codec::CodecError> {
    if codec::envelope_schema(body) == Some(1) {
        let h: HeaderV1 = codec::decode(1, body)?;
        return Ok(Header {
            created_at: h.created_at,
            app_version: h.app_version,
            trees: h.trees,
            schemas: h.schemas,
            records: h.records,
            journal: None,
        });
    }
    codec::decode(HEADER_SCHEMA, body)
}

/// Writes a backup to `out`, keeping the checksum and the counts.
pub struct Writer<W: Write> {
    out: W,
    crc: crc32fast::Hasher,
    counts: Vec<u64>,
    bytes: u64,
}

impl<W: Write> Writer<W> {
    pub fn new(out: W, header: &Header) -> std::io::Result<Self> {
        let mut w = Writer { out, crc: crc32fast::Hasher::new(), counts: vec![0; header.trees.len()], bytes: 0 };
        let body = codec::encode(HEADER_SCHEMA, header);
        w.put(MAGIC)?;
        w.put(&FORMAT.to_le_bytes())?;
        w.put(&(body.len() as u32).to_le_bytes())?;
        w.put(&body)?;
        Ok(w)
    }

    fn put(&mut self, bytes: &[u8]) -> std::io::Result<()> {
        self.crc.update(bytes);
        self.bytes += bytes.len() as u64;
        self.out.write_all(bytes)
    }

    pub fn entry(&mut self, tree: usize, key: &[u8], value: &[u8]) -> std::io::Result<()> {
        let mut encoded = Vec::with_capacity(9 + key.len() + value.len());
        encode_entry(&mut encoded, tree, key, value)?;
        self.put(&encoded)?;
        self.counts[tree] += 1;
        Ok(())
    }

    /// `n` entries of `tree` already laid out by `encode_entry` (a tree
    /// read on another thread into a file of its own).
    pub fn encoded_entries(&mut self, tree: usize, n: u64, mut encoded: impl Read) -> std::io::Result<()> {
        let mut buf = vec![0u8; 1 << 20];
        loop {
            let got = encoded.read(&mut buf)?;
            if got == 0 {
                break;
            }
            self.put(&buf[..got])?;
        }
        self.counts[tree] += n;
        Ok(())
    }

    /// Write the end mark, the counts and the checksum; returns the output,
    /// the entries per tree and the file's size.
    pub fn finish(mut self) -> std::io::Result<(W, Vec<u64>, u64)> {
        self.put(&[END])?;
        for n in self.counts.clone() {
            self.put(&n.to_le_bytes())?;
        }
        let crc = self.crc.clone().finalize();
        self.out.write_all(&crc.to_le_bytes())?;
        self.out.flush()?;
        Ok((self.out, self.counts, self.bytes + 4))
    }
}

/// An entry as the file holds it: tree number, key length, key, value length, value.
pub fn encode_entry(out: &mut impl Write, tree: usize, key: &[u8], value: &[u8]) -> std::io::Result<()> {
    out.write_all(&[tree as u8])?;
    out.write_all(&(key.len() as u32).to_le_bytes())?;
    out.write_all(key)?;
    out.write_all(&(value.len() as u32).to_le_bytes())?;
    out.write_all(value)
}

/// One entry read back: its tree's name, key and value.
pub type Entry<'a> = (&'a str, Vec<u8>, Vec<u8>);

/// Reads a backup entry by entry, checking as it goes; the checksum and
/// the counts are checked when the end is reached, so nothing read is to
/// be trusted before `next_entry` has returned `Ok(None)`.
pub struct Reader<R: Read> {
    input: R,
    path: String,
    crc: crc32fast::Hasher,
    pub header: Header,
    counts: Vec<u64>,
    /// The first envelope of a newer schema, or not an envelope: reported
    /// once the checksum is known good (a damaged byte is "damaged", not "newer").
    doubt: Option<BackupError>,
}

impl<R: Read> Reader<R> {
    pub fn open(mut input: R, path: &str) -> Result<Self, BackupError> {
        let mut crc = crc32fast::Hasher::new();
        let mut magic = [0u8; 16];
        read_exact(&mut input, &mut magic, &mut crc, path).map_err(|e| match e {
            BackupError::Truncated { .. } => BackupError::NotABackup { path: path.into() },
            other => other,
        })?;
        if &magic != MAGIC {
            return Err(BackupError::NotABackup { path: path.into() });
        }
        let mut v = [0u8; 2];
        read_exact(&mut input, &mut v, &mut crc, path)?;
        let found = u16::from_le_bytes(v);
        if found > FORMAT || found == 0 {
            return Err(BackupError::Newer { path: path.into(), found, known: FORMAT });
        }
        let len = read_u32(&mut input, &mut crc, path)?;
        if len > MAX_ENTRY {
            return Err(BackupError::Damaged { path: path.into() });
        }
        let mut body = vec![0u8; len as usize];
        read_exact(&mut input, &mut body, &mut crc, path)?;
        let header: Header = decode_header(&body).map_err(|e| match e {
            codec::CodecError::UnknownSchema { found, known } => BackupError::Newer { path: path.into(), found, known },
            _ => BackupError::Damaged { path: path.into() },
        })?;
        for tree in &header.trees {
            if !crate::store::TREE_NAMES.contains(&tree.as_str()) {
                return Err(BackupError::UnknownKind { path: path.into(), kind: tree.clone() });
            }
        }
        for (kind, found) in &header.schemas {
            match known_schema(kind) {
                None => return Err(BackupError::UnknownKind { path: path.into(), kind: kind.clone() }),
                Some(known) if *found > known => {
                    return Err(BackupError::NewerKind { path: path.into(), kind: kind.clone(), found: *found, known })
                }
                Some(_) => {}
            }
        }
        let counts = vec![0; header.trees.len()];
        Ok(Reader { input, path: path.into(), crc, header, counts, doubt: None })
    }

    /// The next entry as (tree name, key, value); `None` after the end,
    /// once the checksum and the counts have been checked.
    pub fn next_entry(&mut self) -> Result<Option<Entry<'_>>, BackupError> {
        let mut tag = [0u8; 1];
        read_exact(&mut self.input, &mut tag, &mut self.crc, &self.path)?;
        if tag[0] == END {
            self.finish()?;
            return Ok(None);
        }
        let tree = tag[0] as usize;
        if tree >= self.header.trees.len() {
            return Err(BackupError::Damaged { path: self.path.clone() });
        }
        let key = self.read_blob()?;
        let value = self.read_blob()?;
        self.counts[tree] += 1;
        let name = self.header.trees[tree].as_str();
        if self.doubt.is_none() {
            self.doubt = check_envelope(name, &value, &self.path);
        }
        Ok(Some((name, key, value)))
    }

    fn read_blob(&mut self) -> Result<Vec<u8>, BackupError> {
        let len = read_u32(&mut self.input, &mut self.crc, &self.path)?;
        if len > MAX_ENTRY {
            return Err(BackupError::Damaged { path: self.path.clone() });
        }
        let mut b = vec![0u8; len as usize];
        read_exact(&mut self.input, &mut b, &mut self.crc, &self.path)?;
        Ok(b)
    }

    fn finish(&mut self) -> Result<(), BackupError> {
        let path = self.path.clone();
        let mut written = Vec::with_capacity(self.counts.len());
        for _ in 0..self.counts.len() {
            let mut n = [0u8; 8];
            read_exact(&mut self.input, &mut n, &mut self.crc, &path)?;
            written.push(u64::from_le_bytes(n));
        }
        let expected = self.crc.clone().finalize();
        let mut c = [0u8; 4];
        self.input.read_exact(&mut c).map_err(|e| eof_or_io(e, &path))?;
        if u32::from_le_bytes(c) != expected {
            return Err(BackupError::Damaged { path });
        }
        let mut extra = [0u8; 1];
        if self.input.read(&mut extra).map_err(|e| BackupError::Io { path: path.clone(), detail: e.to_string() })? != 0 {
            return Err(BackupError::Damaged { path });
        }
        if let Some(doubt) = self.doubt.take() {
            return Err(doubt);
        }
        if written != self.counts {
            return Err(BackupError::Inconsistent { path, detail: format!("entries {:?}, footer {:?}", self.counts, written) });
        }
        for (kind, n) in &self.header.records {
            let found = self.header.trees.iter().position(|t| t == kind).map(|i| self.counts[i]).unwrap_or(0);
            if found != *n {
                return Err(BackupError::Inconsistent { path, detail: format!("{kind}: {found} records, the counter says {n}") });
            }
        }
        Ok(())
    }

    /// Entries read per tree (complete once `next_entry` returned `None`).
    pub fn counts(&self) -> impl Iterator<Item = (&str, u64)> {
        self.header.trees.iter().map(String::as_str).zip(self.counts.iter().copied())
    }
}

/// A record or audit value must be an envelope of a schema this guardroom reads.
fn check_envelope(tree: &str, value: &[u8], path: &str) -> Option<BackupError> {
    let known = match tree {
        "meta" | "index" => return None,
        other => known_schema(other)?,
    };
    match codec::envelope_schema(value) {
        None => Some(BackupError::Inconsistent { path: path.into(), detail: format!("a {tree} entry is not a record") }),
        Some(found) if found > known => Some(BackupError::NewerKind { path: path.into(), kind: tree.into(), found, known }),
        Some(_) => None,
    }
}

fn eof_or_io(e: std::io::Error, path: &str) -> BackupError {
    if e.kind() == std::io::ErrorKind::UnexpectedEof {
        BackupError::Truncated { path: path.into() }
    } else {
        BackupError::Io { path: path.into(), detail: e.to_string() }
    }
}

fn read_exact(r: &mut impl Read, buf: &mut [u8], crc: &mut crc32fast::Hasher, path: &str) -> Result<(), BackupError> {
    r.read_exact(buf).map_err(|e| eof_or_io(e, path))?;
    crc.update(buf);
    Ok(())
}

fn read_u32(r: &mut impl Read, crc: &mut crc32fast::Hasher, path: &str) -> Result<u32, BackupError> {
    let mut b = [0u8; 4];
    read_exact(r, &mut b, crc, path)?;
    Ok(u32::from_le_bytes(b))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn header() -> Header {
        Header {
            created_at: chrono::TimeZone::with_ymd_and_hms(&Utc, 2026, 11, 23, 9, 0, 0).unwrap(),
            app_version: "test".into(),
            trees: vec!["meta".into(), "client".into()],
            schemas: vec![("client".into(), 1)],
            records: vec![("client".into(), 1)],
            journal: Some(crate::store::JournalMark { id: 9, change: 41 }),
        }
    }

    #[test]
    fn a_header_of_schema_1_still_reads() {
        let h = header();
        let v1 = (h.created_at, h.app_version.clone(), h.trees.clone(), h.schemas.clone(), h.records.clone());
        let decoded = decode_header(&codec::encode(1, &v1)).unwrap();
        assert_eq!(decoded, Header { journal: None, ..h.clone() });
        assert_eq!(decode_header(&codec::encode(HEADER_SCHEMA, &h)).unwrap(), h);
    }

    fn sample() -> Vec<u8> {
        let mut w = Writer::new(Vec::new(), &header()).unwrap();
        w.entry(0, b"count/client", &1u64.to_be_bytes()).unwrap();
        w.entry(1, &1u64.to_be_bytes(), &codec::encode(1, &"华贸")).unwrap();
        let (bytes, counts, size) = w.finish().unwrap();
        assert_eq!(counts, [1, 1]);
        assert_eq!(size as usize, bytes.len());
        bytes
    }

    type Owned = (String, Vec<u8>, Vec<u8>);

    fn read_all(bytes: &[u8]) -> Result<Vec<Owned>, BackupError> {
        let mut r = Reader::open(bytes, "b")?;
        let mut out = Vec::new();
        while let Some((t, k, v)) = r.next_entry()? {
            out.push((t.to_string(), k, v));
        }
        Ok(out)
    }

    #[test]
    fn entries_come_back_as_written() {
        let got = read_all(&sample()).unwrap();
        assert_eq!(got.len(), 2);
        assert_eq!(got[1].0, "client");
        assert_eq!(codec::decode::<String>(1, &got[1].2).unwrap(), "华贸");
    }

    #[test]
    fn every_cut_and_every_flipped_byte_is_refused() {
        let bytes = sample();
        for cut in 0..bytes.len() {
            assert!(read_all(&bytes[..cut]).is_err(), "cut at {cut} accepted");
        }
        for i in 0..bytes.len() {
            let mut b = bytes.clone();
            b[i] ^= 0x20;
            assert!(read_all(&b).is_err(), "flip at {i} accepted");
        }
        let mut longer = bytes.clone();
        longer.push(0);
        assert_eq!(read_all(&longer).unwrap_err(), BackupError::Damaged { path: "b".into() });
    }

    #[test]
    fn counts_that_disagree_with_the_counters_are_refused() {
        let mut h = header();
        h.records = vec![("client".into(), 2)];
        let mut w = Writer::new(Vec::new(), &h).unwrap();
        w.entry(1, &1u64.to_be_bytes(), &codec::encode(1, &"x")).unwrap();
        let (bytes, _, _) = w.finish().unwrap();
        assert!(matches!(read_all(&bytes), Err(BackupError::Inconsistent { .. })));
    }

    #[test]
    fn newer_formats_and_schemas_are_refused_before_reading_on() {
        let mut bytes = sample();
        bytes[16] = 9;
        assert_eq!(read_all(&bytes).unwrap_err(), BackupError::Newer { path: "b".into(), found: 9, known: FORMAT });
        let mut h = header();
        h.schemas = vec![("client".into(), 7)];
        let (bytes, _, _) = Writer::new(Vec::new(), &h).unwrap().finish().unwrap();
        assert_eq!(read_all(&bytes).unwrap_err(), BackupError::NewerKind { path: "b".into(), kind: "client".into(), found: 7, known: 1 });
        let mut h = header();
        h.trees.push("spaceship".into());
        let (bytes, _, _) = Writer::new(Vec::new(), &h).unwrap().finish().unwrap();
        assert_eq!(read_all(&bytes).unwrap_err(), BackupError::UnknownKind { path: "b".into(), kind: "spaceship".into() });
    }
}
