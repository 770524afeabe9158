//! Reading a CSV file into drafts: the header is matched to the kind's
//! columns, each row is parsed cell by cell and checked with the same rules
//! the forms use. Every row keeps the line of the file it starts on (a
//! quoted cell may hold line breaks, so that is not its row number).
//! Rules that look at other records (numbers taken, unknown clients) are
//! the service's (`service::import`).

use super::columns::{choice, columns, field_of};
use super::decode::decode;
use super::{BadRow, FileProblem, Kind, Problem};
use crate::domain::fleet::VehicleDraft;
use crate::domain::validate::parse_date;
use crate::domain::{parse_shifts, ClientDraft, Credential, Fen, FieldError, Invalid, PostDraft, RestDays, StaffDraft};
use chrono::NaiveDate;
use std::collections::HashMap;

/// One row read into a draft, with what still needs other records.
#[derive(Debug, Clone, PartialEq)]
pub enum Draft {
    Client(ClientDraft),
    Staff(StaffDraft),
    /// `client` is the number or name written; `client_id` is set by the service.
    Post {
        draft: PostDraft,
        client: String,
        closed: Option<NaiveDate>,
    },
    /// `drivers` are the staff numbers or names written.
    Vehicle {
        draft: VehicleDraft,
        drivers: Vec<String>,
    },
}

#[derive(Debug, Clone, PartialEq)]
pub struct Row {
    pub line: u64,
    /// The cells as written, for the preview.
    pub cells: Vec<String>,
    /// The number written, in guardroom's form, and its sequence value.
    pub number: Option<(String, u64)>,
    pub draft: Draft,
}

#[derive(Debug, Default)]
pub struct Parsed {
    pub encoding: &'static str,
    pub header: Vec<String>,
    /// Data rows read (blank rows are not counted).
    pub total: usize,
    pub rows: Vec<Row>,
    pub bad: Vec<BadRow>,
}

/// Read `bytes` as a file of `kind`. `progress` hears (bytes read, bytes in
/// all) every so often; `today` is for the rules that need it.
pub fn parse(kind: Kind, bytes: &[u8], today: NaiveDate, progress: &mut dyn FnMut(u64, u64)) -> Result<Parsed, FileProblem> {
    let (text, encoding) = decode(bytes)?;
    if text.trim().is_empty() {
        return Err(FileProblem::Empty);
    }
    let mut reader = csv::ReaderBuilder::new().has_headers(false).flexible(true).from_reader(text.as_bytes());
    let mut records = reader.records();
    let header: Vec<String> = match records.next() {
        Some(Ok(r)) => r.iter().map(|c| c.trim().to_string()).collect(),
        // Reading from text, the csv crate only fails on invalid UTF-8.
        Some(Err(_)) => return Err(FileProblem::Encoding),
        None => return Err(FileProblem::Empty),
    };
    let fields = match_header(kind, &header)?;
    let total_bytes = text.len() as u64;
    let mut out = Parsed { encoding, header: header.clone(), ..Default::default() };
    for (i, record) in records.enumerate() {
        let record = record.map_err(|_| FileProblem::Encoding)?;
        let line = record.position().map(|p| p.line()).unwrap_or(0);
        if i % 1000 == 0 {
            progress(record.position().map(|p| p.byte()).unwrap_or(0), total_bytes);
        }
        if record.iter().all(|c| c.trim().is_empty()) {
            continue;
        }
        out.total += 1;
        let cells: Vec<String> = record.iter().map(str::to_string).collect();
        if cells.len() != header.len() {
            out.bad.push(BadRow { line, problems: vec![Problem::Cells { found: cells.len(), expected: header.len() }] });
            continue;
        }
        let values: HashMap<&str, &str> = fields.iter().zip(&cells).map(|(f, c)| (*f, c.trim())).collect();
        match read_row(kind, &values, today) {
            Ok((number, draft)) => out.rows.push(Row { line, cells, number, draft }),
            Err(problems) => out.bad.push(BadRow { line, problems }),
        }
    }
    progress(total_bytes, total_bytes);
    if out.total == 0 {
        return Err(FileProblem::NoRows);
    }
    Ok(out)
}

/// The field each header cell names; refuses unknown, repeated and missing columns.
fn match_header(kind: Kind, header: &[String]) -> Result<Vec<&'static str>, FileProblem> {
    let (mut fields, mut unknown, mut twice) = (Vec::new(), Vec::new(), Vec::new());
    for cell in header {
        match field_of(kind, cell) {
            Some(f) if fields.contains(&f) => twice.push(cell.clone()),
            Some(f) => fields.push(f),
            None => unknown.push(cell.clone()),
        }
    }
    let missing: Vec<String> =
        columns(kind).iter().filter(|c| c.required && !fields.contains(&c.field)).map(|c| c.field.to_string()).collect();
    if missing.is_empty() && unknown.is_empty() && twice.is_empty() {
        Ok(fields)
    } else {
        Err(FileProblem::Header { missing, unknown, twice })
    }
}

/// Cells of one row by field, parsed; each problem is kept, not just the first.
struct Cells<'a> {
    values: &'a HashMap<&'a str, &'a str>,
    problems: Vec<Problem>,
}

impl<'a> Cells<'a> {
    fn text(&self, field: &str) -> String {
        self.values.get(field).copied().unwrap_or("").to_string()
    }

    fn bad(&mut self, field: &str, reason: Invalid) {
        self.problems.push(Problem::Field { field: field.into(), reason });
    }

    fn choice<C: crate::domain::Choice + crate::i18n::Label>(&mut self, field: &str, default: C) -> C {
        let s = self.text(field);
        if s.is_empty() {
            return default;
        }
        match choice::<C>(&s) {
            Some(v) => v,
            None => {
                self.problems.push(Problem::Choice { field: field.into(), value: s });
                default
            }
        }
    }

    fn date(&mut self, field: &str) -> Option<NaiveDate> {
        let s = self.text(field);
        if s.is_empty() {
            return None;
        }
        let d = parse_date(&s);
        if d.is_none() {
            self.bad(field, Invalid::Date);
        }
        d
    }

    fn money(&mut self, field: &str) -> Fen {
        let s = self.text(field);
        if s.is_empty() {
            return Fen(0);
        }
        Fen::parse_yuan(&s).unwrap_or_else(|| {
            self.bad(field, Invalid::Money);
            Fen(0)
        })
    }

    /// A whole number in `min..=max`; empty gives `default`.
    fn whole(&mut self, field: &str, default: i64, min: i64, max: i64) -> i64 {
        let s = self.text(field).replace([',', '，'], "");
        if s.is_empty() {
            return default;
        }
        match s.parse::<i64>() {
            Ok(v) if (min..=max).contains(&v) => v,
            _ => {
                self.bad(field, Invalid::Range { min, max });
                default
            }
        }
    }

    /// The number column, in the form `prefix-0001` that `format` gives.
    fn number(&mut self, prefix: &str, format: fn(u64) -> String) -> Option<(String, u64)> {
        let s = self.text("number");
        if s.is_empty() {
            return None;
        }
        let digits = s.get(..prefix.len()).filter(|p| p.eq_ignore_ascii_case(prefix)).map(|_| &s[prefix.len()..]);
        match digits.filter(|d| !d.is_empty() && d.len() <= 9 && d.chars().all(|c| c.is_ascii_digit())).and_then(|d| d.parse().ok()) {
            Some(n) if n > 0 => Some((format(n), n)),
            _ => {
                self.problems.push(Problem::NumberForm { value: s, example: format(1) });
                None
            }
        }
    }

    fn done<T>(mut self, value: T, errors: Vec<FieldError>) -> Result<T, Vec<Problem>> {
        for e in errors {
            // A cell that did not parse is said once, not again by the rule on its default.
            if !self.problems.iter().any(|p| matches!(p, Problem::Field { field, .. } | Problem::Choice { field, .. } if *field == e.field))
            {
                self.problems.push(Problem::Field { field: e.field, reason: e.reason });
            }
        }
        if self.problems.is_empty() {
            Ok(value)
        } else {
            Err(self.problems)
        }
    }
}

type Read = Result<(Option<(String, u64)>, Draft), Vec<Problem>>;

fn read_row(kind: Kind, values: &HashMap<&str, &str>, today: NaiveDate) -> Read {
    let mut c = Cells { values, problems: Vec::new() };
    match kind {
        Kind::Clients => {
            let number = c.number("KH-", crate::domain::client_number);
            let mut d = ClientDraft {
                name: c.text("name"),
                kind: c.choice("kind", crate::domain::ClientKind::Enterprise),
                services: c.choice("services", crate::domain::Services::Guarding),
                address: c.text("address"),
                contact: c.text("contact"),
                contact_title: c.text("contact_title"),
                phone: c.text("phone"),
                rating: c.choice("rating", crate::domain::Rating::B),
                tier: c.choice("tier", crate::domain::Tier::Regular),
                status: c.choice("status", crate::domain::ClientStatus::Active),
                notes: c.text("notes"),
                ..Default::default()
            };
            d.contract.number = c.text("contract.number");
            d.contract.start = c.date("contract.start");
            d.contract.end = c.date("contract.end");
            d.contract.monthly_fee = c.money("contract.monthly_fee");
            d.contract.legal_review = c.choice("contract.legal_review", crate::domain::LegalReview::NotSubmitted);
            d.visit_interval_days = c.whole("visit_interval_days", 30, 1, crate::domain::MAX_INTERVAL as i64) as u16;
            let d = d.cleaned();
            let errors = d.validate();
            c.done((number, Draft::Client(d)), errors)
        }
        Kind::Staff => {
            let number = c.number("RY-", crate::domain::staff_number);
            let rest = c.text("rest_days");
            let rest_days = RestDays::parse(&rest).unwrap_or_else(|word| {
                c.bad("rest_days", Invalid::RestDays(word));
                RestDays::default()
            });
            let d = StaffDraft {
                name: c.text("name"),
                brigade: c.choice("brigade", crate::domain::Brigade::Guard),
                role: c.choice("role", crate::domain::StaffRole::Guard),
                phone: c.text("phone"),
                hire_date: c.date("hire_date"),
                licence: Credential { number: c.text("licence.number"), expires: c.date("licence.expires") },
                permit: Credential { number: c.text("permit.number"), expires: c.date("permit.expires") },
                dorm_room: c.text("dorm_room"),
                status: c.choice("status", crate::domain::StaffStatus::Active),
                rest_days,
                notes: c.text("notes"),
            }
            .cleaned();
            let errors = d.validate(today);
            c.done((number, Draft::Staff(d)), errors)
        }
        Kind::Posts => {
            let number = c.number("GW-", crate::domain::post_number);
            let shifts = parse_shifts(&c.text("shifts"), &[]).unwrap_or_else(|reason| {
                c.bad("shifts", reason);
                vec![]
            });
            let operators =
                c.text("operators").split(|ch: char| ch.is_whitespace() || ",，、;；".contains(ch)).map(str::to_string).collect();
            let client = c.text("client");
            let d = PostDraft {
                // Resolved against the clients by the service; 1 stands in so
                // the form's own rules do not call it unpicked.
                client_id: if client.is_empty() { 0 } else { 1 },
                site: c.text("site"),
                address: c.text("address"),
                brigade: c.choice("brigade", crate::domain::Brigade::Guard),
                shifts,
                orders: c.text("orders"),
                operators,
            }
            .cleaned();
            let closed = c.date("closed");
            let mut errors = d.validate();
            // "client" is the column here, not a picker.
            for e in errors.iter_mut().filter(|e| e.field == "client") {
                e.reason = Invalid::Required;
            }
            c.done((number, Draft::Post { draft: PostDraft { client_id: 0, ..d }, client, closed }), errors)
        }
        Kind::Vehicles => {
            let drivers = c
                .text("drivers")
                .split(|ch: char| ch.is_whitespace() || ",，、;；".contains(ch))
                .filter(|s| !s.is_empty())
                .map(str::to_string)
                .collect();
            let d = VehicleDraft {
                plate: c.text("plate"),
                model: c.text("model"),
                seats: c.whole("seats", 0, 1, 60) as u8,
                odometer: c.whole("odometer", 0, 0, u32::MAX as i64) as u32,
                insurance_due: c.date("insurance_due"),
                inspection_due: c.date("inspection_due"),
                drivers: vec![],
                notes: c.text("notes"),
            }
            .cleaned();
            let errors = d.validate();
            c.done((None, Draft::Vehicle { draft: d, drivers }), errors)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn today() -> NaiveDate {
        NaiveDate::from_ymd_opt(2026, 11, 23).unwrap()
    }

    fn parse_str(kind: Kind, s: &str) -> Result<Parsed, FileProblem> {
        parse(kind, s.as_bytes(), today(), &mut |_, _| {})
    }

    #[test]
    fn lines_count_quoted_line_breaks() {
        let file = "客户名称,备注,电话\n甲公司,\"第一行\n第二行\",\n乙公司,,12345\n丙公司,,\n";
        let p = parse_str(Kind::Clients, file).unwrap();
        assert_eq!(p.total, 3);
        assert_eq!(p.rows.iter().map(|r| r.line).collect::<Vec<_>>(), [2, 5]);
        assert_eq!(p.bad, [BadRow { line: 4, problems: vec![Problem::Field { field: "phone".into(), reason: Invalid::Phone }] }]);
        let Draft::Client(d) = &p.rows[0].draft else { panic!() };
        assert_eq!(d.notes, "第一行\n第二行");
    }

    #[test]
    fn header_problems_name_the_columns() {
        let e = parse_str(Kind::Clients, "Name,Colour,Name\nA,red,B\n").unwrap_err();
        assert_eq!(e, FileProblem::Header { missing: vec![], unknown: vec!["Colour".into()], twice: vec!["Name".into()] });
        let e = parse_str(Kind::Vehicles, "车型\n金杯\n").unwrap_err();
        assert_eq!(e, FileProblem::Header { missing: vec!["plate".into(), "seats".into()], unknown: vec![], twice: vec![] });
        assert_eq!(parse_str(Kind::Clients, "").unwrap_err(), FileProblem::Empty);
        assert_eq!(parse_str(Kind::Clients, "\u{feff}\n  \n").unwrap_err(), FileProblem::Empty);
        assert_eq!(parse_str(Kind::Clients, "客户名称\n,\n").unwrap_err(), FileProblem::NoRows);
    }

    #[test]
    fn every_problem_of_a_row_is_reported() {
        let file = "No.,Name,Tier,Visit every (days),Contract start,Contract end\nKH-x,,vip,45,2026-13-01,\n";
        let p = parse_str(Kind::Clients, file).unwrap();
        assert_eq!(p.bad.len(), 1);
        let problems = &p.bad[0].problems;
        assert!(problems.contains(&Problem::NumberForm { value: "KH-x".into(), example: "KH-0001".into() }), "{problems:?}");
        assert!(problems.contains(&Problem::Field { field: "name".into(), reason: Invalid::Required }));
        assert!(problems.contains(&Problem::Choice { field: "tier".into(), value: "vip".into() }));
        assert!(problems.contains(&Problem::Field { field: "contract.start".into(), reason: Invalid::Date }));
        let short = parse_str(Kind::Clients, "Name,Phone\nA\n").unwrap();
        assert_eq!(short.bad[0].problems, [Problem::Cells { found: 1, expected: 2 }]);
    }

    #[test]
    fn numbers_are_written_one_way() {
        let p = parse_str(Kind::Staff, "编号,姓名\nry-12,王建国\n,李四\n").unwrap();
        assert_eq!(p.rows[0].number, Some(("RY-0012".into(), 12)));
        assert_eq!(p.rows[1].number, None);
    }
}
