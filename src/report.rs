//! The monthly department report as text (columns lined up by display
//! width, so Chinese and Latin text align in a terminal or a fixed font)
//! and as CSV for Excel (UTF-8 with BOM). Both come from the same rows.

use crate::cells::width;
use crate::i18n::{fill, Label, Lang, T};
use crate::service::report::MonthReport;

/// One part of the report: a heading, figures as (label, value), and an
/// optional table.
struct Part {
    title: String,
    figures: Vec<(String, String)>,
    table: Option<(Vec<String>, Vec<Vec<String>>)>,
}

fn percent(done: usize, of: usize) -> String {
    if of == 0 {
        "—".into()
    } else {
        format!("{:.0}%", done as f64 * 100.0 / of as f64)
    }
}

fn share(v: Option<f64>) -> String {
    v.map(|x| format!("{:.0}%", x * 100.0)).unwrap_or_else(|| "—".into())
}

fn yuan(fen: i64) -> String {
    format!("{}", crate::domain::Fen(fen))
}

fn tenths(v: u32) -> String {
    format!("{:.1}", v as f64 / 10.0)
}

fn parts(r: &MonthReport, lang: Lang) -> Vec<Part> {
    let t = |k: T| k.get(lang).to_string();
    let n = |v: usize| v.to_string();
    let mut out = Vec::new();
    if let Some(c) = &r.complaints {
        let mut figures = vec![(t(T::RpReceived), n(c.total))];
        for (cat, k) in &c.by_category {
            figures.push((format!("  {}", cat.label(lang)), n(*k)));
        }
        figures.push((t(T::RpResolved), n(c.resolved)));
        figures.push((t(T::RpWithinLimit), share(c.within_limit)));
        figures.push((t(T::RpFollowUpRate), format!("{} ({}/{})", share(c.follow_up_rate), c.followed_up, c.resolved)));
        out.push(Part { title: t(T::RpComplaints), figures, table: None });
    }
    if let Some(v) = &r.visits {
        let figures = vec![
            (t(T::RpVisits), n(v.visits)),
            (t(T::RpKeyCovered), format!("{} / {} ({})", v.key_visited, v.key_clients, percent(v.key_visited, v.key_clients))),
            (t(T::RpKeyOverdue), n(v.key_overdue)),
            (t(T::RpPromises), format!("{} / {}", v.promises_kept, v.promises_made)),
        ];
        out.push(Part { title: t(T::RpVisitsTitle), figures, table: None });
    }
    if let Some(a) = &r.attendance {
        let figures = vec![
            (t(T::RpPeople), n(a.people)),
            (t(T::RpShifts), a.shifts.to_string()),
            (t(T::RpHours), a.hours.to_string()),
            (t(T::RpLates), format!("{} ({} min)", a.lates, a.late_minutes)),
            (t(T::RpEarly), a.early_leaves.to_string()),
            (t(T::RpAbsences), a.absences.to_string()),
            (t(T::RpLeaves), a.leaves.to_string()),
            (t(T::RpCurfew), n(a.curfew_absences)),
        ];
        let table = (!a.worst.is_empty()).then(|| {
            let rows = a.worst.iter().map(|(who, l, ab)| vec![who.clone(), l.to_string(), ab.to_string()]).collect();
            (vec![t(T::RpWorst), t(T::RpLates), t(T::RpAbsences)], rows)
        });
        out.push(Part { title: t(T::RpAttendance), figures, table });
    }
    if let Some(rows) = &r.hygiene {
        let table_rows = rows
            .iter()
            .enumerate()
            .map(|(i, x)| {
                vec![
                    (i + 1).to_string(),
                    x.label.clone(),
                    tenths(x.average_tenths),
                    x.inspections.to_string(),
                    x.previous_tenths.map(tenths).unwrap_or_default(),
                ]
            })
            .collect::<Vec<_>>();
        let figures = if rows.is_empty() { vec![(t(T::RpNoChecks), String::new())] } else { vec![] };
        let head = vec![t(T::RpRank), t(T::RoomColRoom), t(T::RankColAverage), t(T::RankColChecks), t(T::RankColPrevious)];
        out.push(Part { title: t(T::RpHygiene), figures, table: (!rows.is_empty()).then_some((head, table_rows)) });
    }
    if let Some(vs) = &r.vehicles {
        let (trips, km, cost) = vs.iter().fold((0, 0, 0), |(a, b, c), v| (a + v.trips, b + v.km, c + v.cost));
        let figures = vec![(t(T::RpTrips), trips.to_string()), (t(T::RpKm), km.to_string()), (t(T::RpCost), yuan(cost))];
        let yes_no = |b: bool| if b { t(T::RpYes) } else { t(T::RpNo) };
        let rows =
            vs.iter().map(|v| vec![v.plate.clone(), v.trips.to_string(), v.km.to_string(), yuan(v.cost), yes_no(v.checked)]).collect();
        let head = vec![t(T::VehFieldPlate), t(T::RpTrips), t(T::RpKm), t(T::RpCost), t(T::RpChecked)];
        out.push(Part { title: t(T::RpVehicles), figures, table: (!vs.is_empty()).then_some((head, rows)) });
    }
    out
}

fn title(r: &MonthReport, lang: Lang) -> String {
    let month = match lang {
        Lang::Zh => r.month.format("%Y年%m月").to_string(),
        Lang::En => r.month.format("%B %Y").to_string(),
    };
    fill(T::RpTitle.get(lang), &[&month])
}

/// `s` padded with spaces to `w` display columns (numbers to the right).
fn pad(s: &str, w: usize, right: bool) -> String {
    let fill = " ".repeat(w.saturating_sub(width(s)));
    if right {
        fill + s
    } else {
        s.to_string() + &fill
    }
}

fn numeric(s: &str) -> bool {
    !s.is_empty() && s.chars().all(|c| c.is_ascii_digit() || matches!(c, '.' | ',' | '%' | '-' | '¥'))
}

/// The report as plain text; columns line up by display width.
pub fn text(r: &MonthReport, lang: Lang) -> String {
    let mut out = String::new();
    let head = title(r, lang);
    out.push_str(&head);
    out.push('\n');
    out.push_str(&"=".repeat(width(&head)));
    out.push('\n');
    let parts = parts(r, lang);
    if parts.is_empty() {
        out.push_str(T::RpNothing.get(lang));
        out.push('\n');
    }
    for p in parts {
        out.push('\n');
        out.push_str(&p.title);
        out.push('\n');
        let lw = p.figures.iter().map(|f| width(&f.0)).max().unwrap_or(0);
        for (label, value) in &p.figures {
            out.push_str(format!("  {}  {}", pad(label, lw, false), value).trim_end());
            out.push('\n');
        }
        if let Some((head, rows)) = &p.table {
            let cols = head.len();
            let widths: Vec<usize> =
                (0..cols).map(|i| rows.iter().map(|r| width(&r[i])).chain([width(&head[i])]).max().unwrap_or(0)).collect();
            let line = |cells: &[String], header: bool| {
                let s: Vec<String> = cells.iter().enumerate().map(|(i, c)| pad(c, widths[i], !header && numeric(c))).collect();
                format!("  {}", s.join("  ")).trim_end().to_string() + "\n"
            };
            out.push('\n');
            out.push_str(&line(head, true));
            for row in rows {
                out.push_str(&line(row, false));
            }
        }
    }
    out
}

/// The report as CSV (UTF-8 with BOM): section, item, value, then a table's
/// further columns.
pub fn csv(r: &MonthReport, lang: Lang) -> Result<Vec<u8>, csv::Error> {
    let mut w = csv::WriterBuilder::new().flexible(true).from_writer(vec![0xEF, 0xBB, 0xBF]);
    w.write_record([title(r, lang)])?;
    for p in parts(r, lang) {
        for (label, value) in &p.figures {
            w.write_record([p.title.as_str(), label.trim(), value.as_str()])?;
        }
        if let Some((head, rows)) = &p.table {
            w.write_record(std::iter::once(p.title.as_str()).chain(head.iter().map(String::as_str)))?;
            for row in rows {
                w.write_record(std::iter::once(p.title.as_str()).chain(row.iter().map(String::as_str)))?;
            }
        }
    }
    w.into_inner().map_err(|e| e.into_error().into())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn padding_counts_display_columns() {
        assert_eq!(pad("王伟", 6, false), "王伟  ");
        assert_eq!(pad("12", 4, true), "  12");
        assert!(numeric("98%") && numeric("¥1,200.00") && !numeric("RY-0001 王伟"));
    }
}
