//! An import's findings as sentences in the user's language: what is wrong
//! with the file, or with a row, and what to do about it.

use super::columns::{choice_labels, columns, title};
use super::{FileProblem, ImportReport, Kind, Problem, MAX_IMPORT_BYTES};
use crate::domain::fleet::MayNotDrive;
use crate::i18n::{fill, invalid_text, Lang, T};

fn mb(bytes: u64) -> String {
    format!("{:.1}", bytes as f64 / (1024.0 * 1024.0))
}

/// The sentence for a file that cannot be read.
pub fn file_problem(kind: Kind, p: &FileProblem, lang: Lang) -> String {
    let t = |k: T| k.get(lang);
    match p {
        FileProblem::Empty => t(T::XferEmpty).into(),
        FileProblem::NoRows => t(T::XferNoRows).into(),
        FileProblem::TooLarge { bytes } => fill(t(T::XferTooLarge), &[&mb(*bytes), &mb(MAX_IMPORT_BYTES)]),
        FileProblem::Encoding => t(T::XferEncoding).into(),
        FileProblem::Utf16 => t(T::XferUtf16).into(),
        FileProblem::Header { missing, unknown, twice } => {
            let mut parts = Vec::new();
            let names = |fields: &[String]| fields.iter().map(|f| title(kind, f, lang)).collect::<Vec<_>>().join(t(T::XferListSep));
            if !missing.is_empty() {
                parts.push(fill(t(T::XferMissingColumns), &[&names(missing)]));
            }
            if !unknown.is_empty() {
                parts.push(fill(t(T::XferUnknownColumns), &[&unknown.join(t(T::XferListSep))]));
            }
            if !twice.is_empty() {
                parts.push(fill(t(T::XferTwiceColumns), &[&twice.join(t(T::XferListSep))]));
            }
            let expected: Vec<String> = columns(kind)
                .iter()
                .map(|c| if c.required { format!("{}*", c.title.get(lang)) } else { c.title.get(lang).to_string() })
                .collect();
            parts.push(fill(t(T::XferExpectedColumns), &[&expected.join(t(T::XferListSep))]));
            parts.join(" ")
        }
    }
}

/// The sentence for one problem of a row.
pub fn problem(kind: Kind, p: &Problem, lang: Lang) -> String {
    let t = |k: T| k.get(lang);
    match p {
        Problem::Field { field, reason } => fill(t(T::XferFieldProblem), &[&title(kind, field, lang), &invalid_text(reason, lang)]),
        Problem::Choice { field, value } => {
            fill(t(T::XferChoice), &[&title(kind, field, lang), value, &choice_labels(kind, field, lang).join(t(T::XferListSep))])
        }
        Problem::NumberForm { value, example } => fill(t(T::XferNumberForm), &[value, example]),
        Problem::NumberUsed(n) => fill(t(T::XferNumberUsed), &[n]),
        Problem::Twice { value, first_line } => fill(t(T::XferTwice), &[value, &first_line.to_string()]),
        Problem::PlateTaken(p) => fill(t(T::XferPlateTaken), &[p]),
        Problem::UnknownClient(c) => fill(t(T::XferUnknownClient), &[c]),
        Problem::AmbiguousClient(c) => fill(t(T::XferAmbiguousClient), &[c]),
        Problem::UnknownStaff(s) => fill(t(T::XferUnknownStaff), &[s]),
        Problem::AmbiguousStaff(s) => fill(t(T::XferAmbiguousStaff), &[s]),
        Problem::Driver { who, why: MayNotDrive::NoPermit } => fill(t(T::RefNoPermit), &[who]),
        Problem::Driver { who, why: MayNotDrive::PermitExpired(d) } => fill(t(T::RefPermitExpired), &[who, &d.to_string()]),
        Problem::Cells { found, expected } => fill(t(T::XferCells), &[&found.to_string(), &expected.to_string()]),
    }
}

/// One line per bad row: "line 7: …; …".
pub fn bad_lines(r: &ImportReport, lang: Lang) -> Vec<String> {
    r.bad
        .iter()
        .map(|b| {
            let reasons: Vec<String> = b.problems.iter().map(|p| problem(r.kind, p, lang)).collect();
            format!("{}{}", fill(T::XferLine.get(lang), &[&b.line.to_string()]), reasons.join(T::XferReasonSep.get(lang)))
        })
        .collect()
}

/// "Read 120 rows: 118 good, 2 with problems." (or the file's problem).
pub fn summary(r: &ImportReport, lang: Lang) -> String {
    match &r.file {
        Some(p) => file_problem(r.kind, p, lang),
        None => fill(T::XferSummary.get(lang), &[&r.rows.to_string(), &r.good.to_string(), &r.bad.len().to_string(), &r.encoding]),
    }
}
