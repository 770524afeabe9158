//! The portable dump: JSON lines, readable by other tools and by later
//! guardroom versions whatever their binary encoding.
//!
//! ```text
//! {"kind":"guardroom-dump","format":1,"app":"0.1.0","created_at":"…","schemas":{"client":1,…,"audit":1}}
//! {"kind":"meta","key":"seq/client","value":40}             counters and sequences
//! {"kind":"audit","schema":1,"seq":1,"record":{…}}           the audit log, in order
//! {"kind":"client","schema":1,"id":1,"record":{…}}           every record of every kind
//! {"kind":"end","lines":1234}                                lines before this one
//! ```
//!
//! The index is not written: a load rebuilds it from the records and the
//! audit log, exactly as the store writes it.

use super::aside::{build_aside, check_target, Replace};
use super::write::{sync_dir, temp_beside};
use super::{known_schema, BackupError, Summary};
use crate::domain::AuditEntry;
use crate::store::{audit_by_record_key, codec, with_kind, KeyValue, KindVisitor, Record, Store, AUDIT_SCHEMA, KIND_NAMES, TREE_NAMES};
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use std::fs::File;
use std::io::{BufRead, BufReader, BufWriter, Write};
use std::path::Path;

pub const DUMP_FORMAT: u16 = 1;
const HEADER_KIND: &str = "guardroom-dump";

/// One line of a dump; which fields are present depends on `kind`.
#[derive(Debug, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct Line {
    kind: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    format: Option<u16>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    app: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    created_at: Option<DateTime<Utc>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    schemas: Option<BTreeMap<String, u16>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    schema: Option<u16>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    id: Option<u64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    seq: Option<u64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    key: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    value: Option<u64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    lines: Option<u64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    record: Option<serde_json::Value>,
}

const META: usize = 0;
const AUDIT: usize = 1;
const INDEX: usize = 2;

/// Write every record, the audit log and the counters of `store` to `path`
/// as JSON lines, from one snapshot. Returns what was written and the
/// number of lines.
pub fn dump(store: &Store, path: &Path, overwrite: bool) -> Result<(Summary, u64), BackupError> {
    if !overwrite && path.exists() {
        return Err(BackupError::FileExists { path: path.display().to_string() });
    }
    let tmp = temp_beside(path, "tmp");
    let result = dump_to(store, path, &tmp, overwrite);
    if result.is_err() {
        std::fs::remove_file(&tmp).ok();
    }
    result
}

fn dump_to(store: &Store, path: &Path, tmp: &Path, overwrite: bool) -> Result<(Summary, u64), BackupError> {
    let io = |e: std::io::Error| BackupError::io(path, e);
    let file = File::options().write(true).create_new(true).open(tmp).map_err(io)?;
    let mut out = BufWriter::with_capacity(1 << 20, file);
    let created_at = Utc::now();
    let mut counts = vec![0u64; TREE_NAMES.len()];
    let mut lines = 0u64;
    {
        let snapshot = store.snapshot();
        let schemas = TREE_NAMES.iter().filter_map(|t| known_schema(t).map(|s| (t.to_string(), s))).collect();
        let header = Line {
            kind: HEADER_KIND.into(),
            format: Some(DUMP_FORMAT),
            app: Some(env!("CARGO_PKG_VERSION").into()),
            created_at: Some(created_at),
            schemas: Some(schemas),
            ..Line::default()
        };
        write_line(&mut out, &header).map_err(io)?;
        snapshot.for_each(|tree, k, v| {
            let line = match tree {
                // The index is left out, and so is which layout it had:
                // a load builds it anew.
                META if k == crate::store::INDEX_LAYOUT_KEY => return Ok(()),
                META => meta_line(k, v)?,
                AUDIT => {
                    let seq = crate::store::key_id(k);
                    let entry: AuditEntry =
                        codec::decode(AUDIT_SCHEMA, v).map_err(|e| BackupError::Store(format!("audit entry {seq}: {e}")))?;
                    Line {
                        kind: "audit".into(),
                        schema: Some(AUDIT_SCHEMA),
                        seq: Some(seq),
                        record: Some(serde_json::to_value(&entry).map_err(|e| BackupError::Store(e.to_string()))?),
                        ..Line::default()
                    }
                }
                INDEX => return Ok(()),
                _ => record_line(TREE_NAMES[tree], crate::store::key_id(k), v)?,
            };
            write_line(&mut out, &line).map_err(io)?;
            counts[tree] += 1;
            lines += 1;
            Ok::<(), BackupError>(())
        })?;
        // The snapshot ends here.
    }
    write_line(&mut out, &Line { kind: "end".into(), lines: Some(lines), ..Line::default() }).map_err(io)?;
    let file = out.into_inner().map_err(|e| io(e.into_error()))?;
    file.sync_all().map_err(io)?;
    let bytes = file.metadata().map_err(io)?.len();
    drop(file);
    if overwrite {
        std::fs::rename(tmp, path).map_err(io)?;
    } else {
        std::fs::hard_link(tmp, path).map_err(|e| match e.kind() {
            std::io::ErrorKind::AlreadyExists => BackupError::FileExists { path: path.display().to_string() },
            _ => io(e),
        })?;
        std::fs::remove_file(tmp).ok();
    }
    sync_dir(path);
    Ok((summary(path, created_at, &counts, bytes), lines + 2))
}

fn summary(path: &Path, created_at: DateTime<Utc>, counts: &[u64], bytes: u64) -> Summary {
    Summary {
        path: path.display().to_string(),
        created_at,
        records: KIND_NAMES.iter().enumerate().map(|(i, k)| (k.to_string(), counts[3 + i])).collect(),
        audit_entries: counts[AUDIT],
        bytes,
        journal: None,
    }
}

fn write_line(out: &mut impl Write, line: &Line) -> std::io::Result<()> {
    serde_json::to_writer(&mut *out, line)?;
    out.write_all(b"\n")
}

fn meta_line(k: &[u8], v: &[u8]) -> Result<Line, BackupError> {
    let key = String::from_utf8(k.to_vec()).map_err(|_| BackupError::Store(format!("a counter's name is not text: {k:?}")))?;
    let value: [u8; 8] = v.try_into().map_err(|_| BackupError::Store(format!("the counter {key} is not a number")))?;
    Ok(Line { kind: "meta".into(), key: Some(key), value: Some(u64::from_be_bytes(value)), ..Line::default() })
}

fn record_line(kind: &str, id: u64, bytes: &[u8]) -> Result<Line, BackupError> {
    struct ToJson<'a>(u64, &'a [u8]);
    impl KindVisitor for ToJson<'_> {
        type Out = Result<(u16, serde_json::Value), String>;
        fn visit<R: Record>(self) -> Self::Out {
            let rec = codec::decode::<R>(R::SCHEMA, self.1).map_err(|e| format!("{} {}: {e}", R::KIND, self.0))?;
            Ok((R::SCHEMA, serde_json::to_value(&rec).map_err(|e| e.to_string())?))
        }
    }
    let (schema, record) = with_kind(kind, ToJson(id, bytes))
        .ok_or_else(|| BackupError::Store(format!("unknown tree {kind}")))?
        .map_err(BackupError::Store)?;
    Ok(Line { kind: kind.into(), schema: Some(schema), id: Some(id), record: Some(record), ..Line::default() })
}

/// A record read back from its line: its stored bytes and index entries.
type Decoded = (Vec<u8>, Vec<KeyValue>);

fn decode_record(kind: &str, id: u64, value: serde_json::Value) -> Option<Result<Decoded, String>> {
    struct FromJson(u64, serde_json::Value);
    impl KindVisitor for FromJson {
        type Out = Result<Decoded, String>;
        fn visit<R: Record>(self) -> Self::Out {
            let rec: R = serde_json::from_value(self.1).map_err(|e| e.to_string())?;
            if rec.id() != self.0 {
                return Err(format!("\"id\" is {} but the record says {}", self.0, rec.id()));
            }
            let index = rec
                .index_keys()
                .into_iter()
                .map(|k| {
                    let v = rec.index_value(&k);
                    (k, v)
                })
                .collect();
            Ok((codec::encode(R::SCHEMA, &rec), index))
        }
    }
    with_kind(kind, FromJson(id, value))
}

/// Load a dump into a new database at `target`, which must not exist or
/// be empty. The database is built aside and moved into place only when
/// every line has been read and the counts add up.
pub fn load(file: &Path, target: &Path) -> Result<Summary, BackupError> {
    check_target(target, Replace::EmptyDatabase)?;
    let shown = file.display().to_string();
    let f = File::open(file).map_err(|e| BackupError::io(file, e))?;
    let bytes = f.metadata().map_err(|e| BackupError::io(file, e))?.len();
    build_aside(target, |store| {
        let mut loader = Loader::new(store, &shown);
        for (n, line) in BufReader::with_capacity(1 << 20, f).lines().enumerate() {
            let line = line.map_err(|e| BackupError::io(file, e))?;
            loader.line(n as u64 + 1, &line)?;
        }
        let (created_at, counts) = loader.finish()?;
        Ok(summary(file, created_at, &counts, bytes))
    })
}

struct Loader<'a> {
    store: &'a Store,
    path: &'a str,
    created_at: Option<DateTime<Utc>>,
    ended: bool,
    lines: u64,
    counts: Vec<u64>,
    counters: BTreeMap<String, u64>,
    batches: Vec<Vec<KeyValue>>,
    pending: usize,
}

impl<'a> Loader<'a> {
    fn new(store: &'a Store, path: &'a str) -> Self {
        Loader {
            store,
            path,
            created_at: None,
            ended: false,
            lines: 0,
            counts: vec![0; TREE_NAMES.len()],
            counters: BTreeMap::new(),
            batches: vec![Vec::new(); TREE_NAMES.len()],
            pending: 0,
        }
    }

    fn bad(&self, line: u64, detail: impl Into<String>) -> BackupError {
        BackupError::DumpLine { path: self.path.into(), line, detail: detail.into() }
    }

    fn line(&mut self, n: u64, text: &str) -> Result<(), BackupError> {
        if self.ended {
            return Err(self.bad(n, "a line after the end line"));
        }
        let line: Line = serde_json::from_str(text).map_err(|e| self.bad(n, e.to_string()))?;
        if self.created_at.is_none() {
            return self.header(n, line);
        }
        let need = |v: Option<u64>, what: &str| v.ok_or_else(|| self.bad(n, format!("\"{what}\" is missing")));
        match line.kind.as_str() {
            "end" => {
                if need(line.lines, "lines")? != self.lines {
                    return Err(BackupError::Inconsistent {
                        path: self.path.into(),
                        detail: format!("{} lines, the end line says {:?}", self.lines, line.lines),
                    });
                }
                self.ended = true;
                return Ok(());
            }
            "meta" => {
                let key = line.key.ok_or_else(|| self.bad(n, "\"key\" is missing"))?;
                let value = need(line.value, "value")?;
                self.counters.insert(key.clone(), value);
                self.push(META, key.into_bytes(), value.to_be_bytes().to_vec())?;
            }
            "audit" => {
                self.check_schema(n, "audit", line.schema)?;
                let seq = need(line.seq, "seq")?;
                let entry: AuditEntry = serde_json::from_value(line.record.ok_or_else(|| self.bad(n, "\"record\" is missing"))?)
                    .map_err(|e| self.bad(n, e.to_string()))?;
                if let Some(key) = audit_by_record_key(&entry.kind, entry.record_id, seq) {
                    self.push(INDEX, key, Vec::new())?;
                }
                self.push(AUDIT, seq.to_be_bytes().to_vec(), codec::encode(AUDIT_SCHEMA, &entry))?;
            }
            kind => {
                let Some(tree) = TREE_NAMES.iter().skip(3).position(|t| *t == kind).map(|i| i + 3) else {
                    return Err(BackupError::UnknownKind { path: self.path.into(), kind: kind.into() });
                };
                self.check_schema(n, kind, line.schema)?;
                let id = need(line.id, "id")?;
                let record = line.record.ok_or_else(|| self.bad(n, "\"record\" is missing"))?;
                let (bytes, index) = match decode_record(kind, id, record) {
                    Some(Ok(d)) => d,
                    Some(Err(e)) => return Err(self.bad(n, e)),
                    None => return Err(BackupError::UnknownKind { path: self.path.into(), kind: kind.into() }),
                };
                for (k, v) in index {
                    self.push(INDEX, k, v)?;
                }
                self.push(tree, id.to_be_bytes().to_vec(), bytes)?;
            }
        }
        self.lines += 1;
        Ok(())
    }

    fn header(&mut self, n: u64, line: Line) -> Result<(), BackupError> {
        if line.kind != HEADER_KIND {
            return Err(BackupError::NotABackup { path: self.path.into() });
        }
        let found = line.format.ok_or_else(|| self.bad(n, "\"format\" is missing"))?;
        if found > DUMP_FORMAT || found == 0 {
            return Err(BackupError::Newer { path: self.path.into(), found, known: DUMP_FORMAT });
        }
        for (kind, schema) in line.schemas.unwrap_or_default() {
            self.check_schema(n, &kind, Some(schema))?;
        }
        self.created_at = Some(line.created_at.ok_or_else(|| self.bad(n, "\"created_at\" is missing"))?);
        Ok(())
    }

    fn check_schema(&self, n: u64, kind: &str, found: Option<u16>) -> Result<(), BackupError> {
        let found = found.ok_or_else(|| self.bad(n, "\"schema\" is missing"))?;
        match known_schema(kind) {
            None => Err(BackupError::UnknownKind { path: self.path.into(), kind: kind.into() }),
            Some(known) if found > known => Err(BackupError::NewerKind { path: self.path.into(), kind: kind.into(), found, known }),
            Some(_) => Ok(()),
        }
    }

    fn push(&mut self, tree: usize, k: Vec<u8>, v: Vec<u8>) -> Result<(), BackupError> {
        if tree != INDEX {
            self.counts[tree] += 1;
        }
        self.batches[tree].push((k, v));
        self.pending += 1;
        if self.pending >= 20_000 {
            self.flush()?;
        }
        Ok(())
    }

    fn flush(&mut self) -> Result<(), BackupError> {
        for (t, batch) in self.batches.iter_mut().enumerate() {
            if !batch.is_empty() {
                self.store.load_raw(t, batch)?;
                batch.clear();
            }
        }
        self.pending = 0;
        Ok(())
    }

    /// Check the end line was there and every kind's counter matches the
    /// records loaded.
    fn finish(mut self) -> Result<(DateTime<Utc>, Vec<u64>), BackupError> {
        let (Some(created_at), true) = (self.created_at, self.ended) else {
            return Err(BackupError::DumpIncomplete { path: self.path.into() });
        };
        for (i, kind) in KIND_NAMES.iter().enumerate() {
            let said = self.counters.get(&format!("count/{kind}")).copied().unwrap_or(0);
            if said != self.counts[3 + i] {
                return Err(BackupError::Inconsistent {
                    path: self.path.into(),
                    detail: format!("{kind}: {} records, the counter says {said}", self.counts[3 + i]),
                });
            }
        }
        self.flush()?;
        Ok((created_at, self.counts))
    }
}
