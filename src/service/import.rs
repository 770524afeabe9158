//! CSV import through the service: the rules that look across records
//! (numbers never reused, a number or plate twice, a post's client, a
//! vehicle's drivers and their permits, post operators' accounts), then every
//! good row stored in ONE transaction with its index keys, counters and audit
//! entry — or nothing, as the user chose.

use super::{Result, Service, ServiceError};
use crate::domain::fleet::{may_drive, Vehicle};
use crate::domain::{client_number, post_number, staff_number, Client, Invalid, Meta, Post, Staff};
use crate::store::tx::abort;
use crate::store::StoreError;
use crate::transfer::csv_in::{parse, Draft, Row};
use crate::transfer::{BadRow, ImportMode, ImportReport, Kind, Problem, PREVIEW_ROWS};
use std::cell::RefCell;
use std::collections::HashMap;

/// Where an import is, for a progress bar: (stage, done, of).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Stage {
    /// Bytes of the file read and checked.
    Reading,
    /// Rows stored.
    Storing,
}

/// Names and numbers looked up by what a cell may hold.
struct Lookup {
    by_number: HashMap<String, u64>,
    by_name: HashMap<String, Vec<u64>>,
}

impl Lookup {
    fn new(items: impl Iterator<Item = (u64, String, String)>) -> Lookup {
        let mut l = Lookup { by_number: HashMap::new(), by_name: HashMap::new() };
        for (id, number, name) in items {
            l.by_number.insert(number.to_ascii_uppercase(), id);
            l.by_name.entry(name).or_default().push(id);
        }
        l
    }

    /// Ok(id), Err(true) when the name is shared, Err(false) when unknown.
    fn find(&self, cell: &str, normalize: fn(&str) -> Option<String>) -> std::result::Result<u64, bool> {
        let key = normalize(cell).unwrap_or_else(|| cell.to_ascii_uppercase());
        if let Some(id) = self.by_number.get(&key) {
            return Ok(*id);
        }
        match self.by_name.get(cell).map(Vec::as_slice) {
            Some([id]) => Ok(*id),
            Some([_, _, ..]) => Err(true),
            _ => Err(false),
        }
    }
}

/// "kh-7" → "KH-0007", so a number is found however it was typed.
fn normal_number(cell: &str, prefix: &str, format: fn(u64) -> String) -> Option<String> {
    let head = cell.get(..prefix.len())?;
    let n: u64 = head.eq_ignore_ascii_case(prefix).then(|| cell[prefix.len()..].parse().ok()).flatten()?;
    Some(format(n))
}

/// The sequence a kind's numbers come from.
fn seq_name(kind: Kind) -> Option<&'static str> {
    match kind {
        Kind::Clients => Some("client_number"),
        Kind::Staff => Some("staff_number"),
        Kind::Posts => Some("post_number"),
        Kind::Vehicles => None,
    }
}

impl Service {
    /// Read a CSV file of `kind`, check it, and in `GoodRows` or
    /// `AllOrNothing` mode store what may be stored, all in one transaction.
    pub fn import_csv(
        &self,
        actor: &str,
        kind: Kind,
        bytes: &[u8],
        mode: ImportMode,
        progress: &mut dyn FnMut(Stage, u64, u64),
    ) -> Result<ImportReport> {
        let today = self.clock.today();
        let parsed = match parse(kind, bytes, today, &mut |done, of| progress(Stage::Reading, done, of)) {
            Ok(p) => p,
            Err(problem) => return Ok(ImportReport::failed(kind, problem)),
        };
        // Rules across records read the store as it is; the roster lock keeps
        // staff, posts and the other imports from changing under the check.
        let _lock = self.roster_lock();
        let mut bad = parsed.bad;
        let mut good = Vec::new();
        let mut seen: HashMap<String, u64> = HashMap::new();
        let checker = self.cross_checker(kind)?;
        for mut row in parsed.rows {
            let mut problems = Vec::new();
            if let Some((number, n)) = &row.number {
                if *n <= checker.seq {
                    problems.push(Problem::NumberUsed(number.clone()));
                }
            }
            let unique = match (&row.number, &row.draft) {
                (_, Draft::Vehicle { draft, .. }) => Some(draft.plate.clone()),
                (Some((number, _)), _) => Some(number.clone()),
                _ => None,
            };
            if let Some(u) = unique {
                match seen.get(&u) {
                    Some(first) => problems.push(Problem::Twice { value: u, first_line: *first }),
                    None => {
                        seen.insert(u, row.line);
                    }
                }
            }
            checker.check(self, &mut row, today, &mut problems)?;
            if problems.is_empty() {
                good.push(row);
            } else {
                bad.push(BadRow { line: row.line, problems });
            }
        }
        bad.sort_by_key(|b| b.line);
        let mut report = ImportReport::new(kind);
        report.encoding = parsed.encoding.to_string();
        report.header = parsed.header;
        report.rows = parsed.total;
        report.good = good.len();
        report.preview = good.iter().take(PREVIEW_ROWS).map(|r| r.cells.clone()).collect();
        report.bad = bad;
        let store_it = match mode {
            ImportMode::Preview => false,
            ImportMode::GoodRows => true,
            ImportMode::AllOrNothing => report.bad.is_empty(),
        };
        if store_it && !good.is_empty() {
            report.imported = self.store_rows(actor, kind, &good, progress)?;
        }
        Ok(report)
    }

    fn cross_checker(&self, kind: Kind) -> Result<Checker> {
        let seq = match seq_name(kind) {
            Some(name) => self.store.seq(name)?,
            None => 0,
        };
        let mut c = Checker { kind, seq, clients: None, staff: None, operators: vec![] };
        match kind {
            Kind::Posts => {
                c.clients = Some(Lookup::new(self.store.all::<Client>()?.into_iter().map(|c| (c.id, c.number, c.draft.name))));
                c.operators = self.store.all::<crate::domain::Operator>()?.into_iter().filter(|o| o.active).map(|o| o.account).collect();
            }
            Kind::Vehicles => {
                c.staff = Some(Lookup::new(self.store.all::<Staff>()?.into_iter().map(|s| (s.id, s.number, s.draft.name))));
            }
            Kind::Clients | Kind::Staff => {}
        }
        Ok(c)
    }

    /// Store the rows in one transaction; numbers written in the file are
    /// kept and the sequence moves past them.
    fn store_rows(&self, actor: &str, kind: Kind, rows: &[Row], progress: &mut dyn FnMut(Stage, u64, u64)) -> Result<usize> {
        let now = self.clock.now();
        let total = rows.len() as u64;
        let explicit: Vec<u64> = rows.iter().filter_map(|r| r.number.as_ref().map(|n| n.1)).collect();
        let progress = RefCell::new(progress);
        let stored: Vec<Option<Client>> = self.store.write(|tx| {
            if let (Some(name), Some(max), Some(min)) = (seq_name(kind), explicit.iter().max(), explicit.iter().min()) {
                // Someone took numbers since the check: start again from a preview.
                if tx.raise_seq(name, *max)? >= *min {
                    return abort(StoreError::Storage(crate::i18n::T::XferNumbersMoved.get(crate::i18n::Lang::En).into()));
                }
            }
            let mut out = Vec::with_capacity(rows.len());
            for (i, row) in rows.iter().enumerate() {
                let given = row.number.as_ref().map(|n| n.0.clone());
                let meta = Meta::new(actor, now);
                match &row.draft {
                    Draft::Client(d) => {
                        let number = match given {
                            Some(n) => n,
                            None => client_number(tx.next_seq("client_number")?),
                        };
                        let c = Client { id: 0, number, draft: d.clone(), reviews: vec![], last_visit: None, meta };
                        out.push(Some(tx.insert(actor, now, c)?));
                    }
                    Draft::Staff(d) => {
                        let number = match given {
                            Some(n) => n,
                            None => staff_number(tx.next_seq("staff_number")?),
                        };
                        tx.insert(actor, now, Staff { id: 0, number, draft: d.clone(), meta })?;
                        out.push(None);
                    }
                    Draft::Post { draft, closed, .. } => {
                        let number = match given {
                            Some(n) => n,
                            None => post_number(tx.next_seq("post_number")?),
                        };
                        tx.insert(actor, now, Post { id: 0, number, draft: draft.clone(), closed: *closed, retired: vec![], meta })?;
                        out.push(None);
                    }
                    Draft::Vehicle { draft, .. } => {
                        tx.insert(actor, now, Vehicle { id: 0, draft: draft.clone(), meta })?;
                        out.push(None);
                    }
                }
                if i % 1000 == 999 {
                    (progress.borrow_mut())(Stage::Storing, i as u64 + 1, total);
                }
            }
            Ok(out)
        })?;
        (progress.borrow_mut())(Stage::Storing, total, total);
        // The lists show the new rows.
        for c in stored.iter().flatten() {
            self.cache_put(c);
        }
        if matches!(kind, Kind::Staff | Kind::Posts) {
            self.roster_refs.forget();
        }
        Ok(rows.len())
    }
}

/// What the rules across records need, read once per import.
struct Checker {
    kind: Kind,
    /// The kind's number sequence now: numbers up to it were given before.
    seq: u64,
    clients: Option<Lookup>,
    staff: Option<Lookup>,
    operators: Vec<String>,
}

impl Checker {
    fn check(&self, service: &Service, row: &mut Row, today: chrono::NaiveDate, problems: &mut Vec<Problem>) -> Result<()> {
        match (&mut row.draft, self.kind) {
            (Draft::Post { draft, client, .. }, _) => {
                let clients = self.clients.as_ref().ok_or(ServiceError::NotFound)?;
                match clients.find(client, |c| normal_number(c, "KH-", client_number)) {
                    Ok(id) => draft.client_id = id,
                    Err(true) => problems.push(Problem::AmbiguousClient(client.clone())),
                    Err(false) => problems.push(Problem::UnknownClient(client.clone())),
                }
                if let Some(a) = draft.operators.iter().find(|a| !self.operators.contains(a)) {
                    problems.push(Problem::Field { field: "operators".into(), reason: Invalid::UnknownAccount(a.clone()) });
                }
            }
            (Draft::Vehicle { draft, drivers }, _) => {
                if !service.store.index_ids(&crate::store::vehicle_plate_key(&draft.plate))?.is_empty() {
                    problems.push(Problem::PlateTaken(draft.plate.clone()));
                }
                let staff = self.staff.as_ref().ok_or(ServiceError::NotFound)?;
                for who in drivers.iter() {
                    match staff.find(who, |c| normal_number(c, "RY-", staff_number)) {
                        Ok(id) => {
                            let person = service.store.get::<Staff>(id)?.ok_or(ServiceError::NotFound)?;
                            match may_drive(&person, today) {
                                Ok(()) if !draft.drivers.contains(&id) => draft.drivers.push(id),
                                Ok(()) => {}
                                Err(why) => problems.push(Problem::Driver { who: person.display(), why }),
                            }
                        }
                        Err(true) => problems.push(Problem::AmbiguousStaff(who.clone())),
                        Err(false) => problems.push(Problem::UnknownStaff(who.clone())),
                    }
                }
            }
            (Draft::Client(_) | Draft::Staff(_), _) => {}
        }
        Ok(())
    }
}
