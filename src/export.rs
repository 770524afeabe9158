//! Files for people outside guardroom: a complaint as the filled-in register
//! form (客户投诉登记表) in plain text, and lists as CSV that Excel and WPS
//! open with Chinese intact (UTF-8 with a byte-order mark).

use crate::cells::{char_width, truncate, width};
use crate::domain::{Category, Choice, Complaint, Visit};
use crate::i18n::{Label, Lang, T};
use chrono::NaiveDateTime;

/// Total width of the text form's box, in cells.
const BOX: usize = 80;

fn pad(s: &str, cells: usize) -> String {
    let mut out = s.to_string();
    out.extend(std::iter::repeat_n(' ', cells.saturating_sub(width(s))));
    out
}

/// Break text into lines of at most `cells` cells (by width, never mid-character).
fn wrap(text: &str, cells: usize) -> Vec<String> {
    let mut out = Vec::new();
    for para in text.split('\n') {
        let mut line = String::new();
        let mut used = 0;
        for c in para.chars().filter(|c| !crate::domain::text::is_control(*c)) {
            let w = char_width(c);
            if used + w > cells {
                out.push(std::mem::take(&mut line));
                used = 0;
            }
            line.push(c);
            used += w;
        }
        out.push(line);
    }
    out
}

/// Rows of (label, value), drawn as a two-column box; `None` is a divider.
/// The label column is as wide as the widest label, so English fits too.
fn draw_box(rows: &[Option<(String, String)>]) -> String {
    let label = rows.iter().flatten().map(|(l, _)| width(l)).max().unwrap_or(8).min(24);
    let value = BOX - label - 7;
    let rule = |l: char, m: char, r: char| format!("{l}{}{m}{}{r}\n", "─".repeat(label + 2), "─".repeat(value + 2));
    let mut out = rule('┌', '┬', '┐');
    for r in rows {
        match r {
            None => out.push_str(&rule('├', '┼', '┤')),
            Some((l, v)) => {
                for (i, line) in wrap(v, value).iter().enumerate() {
                    let l = if i == 0 { l.as_str() } else { "" };
                    out.push_str(&format!("│ {} │ {} │\n", pad(&truncate(l, label), label), pad(line, value)));
                }
            }
        }
    }
    out.push_str(&rule('└', '┴', '┘'));
    out
}

fn dt(d: chrono::NaiveDateTime) -> String {
    d.format("%Y-%m-%d %H:%M").to_string()
}

/// The register form, filled in, laid out like the paper one. Starts with a
/// byte-order mark so Windows editors read it as UTF-8.
pub fn complaint_form(c: &Complaint, visit: Option<&Visit>, lang: Lang) -> String {
    let t = |k: T| k.get(lang).to_string();
    let d = &c.draft;
    let title = T::ExportFormTitle.get(lang);
    let cats: Vec<String> = Category::ALL
        .iter()
        .map(|k| {
            // ASCII marks: □/■ are ambiguous-width and shift in CJK fonts.
            let mark = if *k == d.category { "[x]" } else { "[ ]" };
            let amount = if *k == Category::FeeDeduction && d.category == Category::FeeDeduction {
                format!(" ¥{}", d.amount)
            } else {
                String::new()
            };
            format!("{mark} {}{amount}", k.label(lang))
        })
        .collect();
    let mut rows = vec![
        Some((t(T::CColNumber), c.number.clone())),
        Some((t(T::CFieldReceivedAt), dt(d.received_at))),
        Some((t(T::CFieldClientName), d.client_name.clone())),
        Some((t(T::CFieldAddress), d.address.clone())),
        Some((t(T::CFieldPhone), d.phone.clone())),
        Some((t(T::CFieldCause), d.cause.clone())),
        Some((t(T::CFieldDemand), d.demand.clone())),
        Some((t(T::CFieldReceivedBy), format!("{}  {} {}", d.received_by, t(T::CFieldChannel), d.channel.label(lang)))),
        Some((t(T::CFieldCategory), cats.join("  "))),
        Some((t(T::CFieldKind), d.kind.clone())),
        Some((t(T::CFieldRemarks), d.remarks.clone())),
        None,
        Some((t(T::CColStatus), format!("{}   {} {}", c.status.label(lang), t(T::CDetailDue), dt(c.due)))),
    ];
    for (_, step) in complaint_steps(c, visit, lang) {
        rows.extend(step.into_iter().map(Some));
    }
    let pad_left = " ".repeat(BOX.saturating_sub(width(title)) / 2);
    format!("\u{feff}{pad_left}{title}\n\n{}", draw_box(&rows))
}

/// A list of complaints as CSV, UTF-8 with BOM, headers in `lang`.
pub fn complaints_csv(rows: &[Complaint], lang: Lang, now: chrono::NaiveDateTime) -> Result<Vec<u8>, csv::Error> {
    let t = |k: T| k.get(lang);
    let mut w = csv::Writer::from_writer(vec![0xEF, 0xBB, 0xBF]);
    w.write_record([
        t(T::CColNumber),
        t(T::CColReceived),
        t(T::CColClient),
        t(T::CFieldChannel),
        t(T::CColCategory),
        t(T::CFieldAmount),
        t(T::CFieldKind),
        t(T::CFieldCause),
        t(T::CFieldDemand),
        t(T::CColStatus),
        t(T::CColDays),
        t(T::CColDue),
        t(T::CColResponsible),
        t(T::CFieldResolution),
        t(T::CFieldResAmount),
    ])?;
    for c in rows {
        let d = &c.draft;
        let res = c.resolution.as_ref();
        w.write_record([
            c.number.clone(),
            dt(d.received_at),
            d.client_name.clone(),
            d.channel.label(lang).to_string(),
            d.category.label(lang).to_string(),
            if d.category == Category::FeeDeduction { d.amount.to_string() } else { String::new() },
            d.kind.clone(),
            d.cause.clone(),
            d.demand.clone(),
            c.status.label(lang).to_string(),
            c.days_open(now).to_string(),
            dt(c.due),
            c.investigation.as_ref().map(|i| i.responsible.clone()).unwrap_or_default(),
            res.map(|r| r.text.clone()).unwrap_or_default(),
            res.map(|r| r.amount.to_string()).unwrap_or_default(),
        ])?;
    }
    w.into_inner().map_err(|e| e.into_error().into())
}

/// The monthly attendance summary as CSV, UTF-8 with BOM (opens in Excel and WPS).
pub fn attendance_csv(m: &crate::service::duty::MonthSummary, lang: Lang) -> Result<Vec<u8>, csv::Error> {
    let t = |k: T| k.get(lang);
    let mut w = csv::Writer::from_writer(vec![0xEF, 0xBB, 0xBF]);
    w.write_record([
        t(T::SummaryColMonth),
        t(T::StaffColNumber),
        t(T::StaffColName),
        t(T::SummaryColShifts),
        t(T::SummaryColDays),
        t(T::SummaryColHours),
        t(T::SummaryColLates),
        t(T::SummaryColLateMinutes),
        t(T::SummaryColEarly),
        t(T::SummaryColAbsent),
        t(T::SummaryColLeave),
    ])?;
    let month = m.first.format("%Y-%m").to_string();
    for r in &m.rows {
        let s = &r.summary;
        w.write_record([
            month.clone(),
            r.number.clone(),
            r.name.clone(),
            s.shifts.to_string(),
            s.days.to_string(),
            format!("{:.2}", s.minutes as f64 / 60.0),
            s.lates.to_string(),
            s.late_minutes.to_string(),
            s.early_leaves.to_string(),
            s.absences.to_string(),
            s.leaves.to_string(),
        ])?;
    }
    w.into_inner().map_err(|e| e.into_error().into())
}

/// Every vehicle's month for reimbursement (报销), UTF-8 with BOM.
pub fn vehicle_month_csv(
    month: chrono::NaiveDate,
    rows: &[crate::service::logistics::MonthRow],
    lang: Lang,
) -> Result<Vec<u8>, csv::Error> {
    let t = |k: T| k.get(lang);
    let mut w = csv::Writer::from_writer(vec![0xEF, 0xBB, 0xBF]);
    w.write_record([
        t(T::SummaryColMonth),
        t(T::VehFieldPlate),
        t(T::VehMonthTrips),
        t(T::VehMonthKm),
        t(T::VehMonthCost),
        t(T::VehMonthPerKm),
        t(T::VehMonthCheck),
    ])?;
    for r in rows {
        let check = match &r.check {
            Some(c) if c.draft.passed() => t(T::ChkPass).to_string(),
            Some(_) => t(T::ChkFail).to_string(),
            None => t(T::VehNoCheck).to_string(),
        };
        w.write_record([
            month.format("%Y-%m").to_string(),
            r.vehicle.draft.plate.clone(),
            r.totals.trips.to_string(),
            r.totals.distance.to_string(),
            r.totals.cost.to_string(),
            r.totals.per_km().map(|f| f.to_string()).unwrap_or_default(),
            check,
        ])?;
    }
    w.into_inner().map_err(|e| e.into_error().into())
}

/// A month's hygiene ranking as CSV, UTF-8 with BOM.
pub fn ranking_csv(month: chrono::NaiveDate, rows: &[crate::domain::dorm::RankRow], lang: Lang) -> Result<Vec<u8>, csv::Error> {
    let t = |k: T| k.get(lang);
    let mut w = csv::Writer::from_writer(vec![0xEF, 0xBB, 0xBF]);
    w.write_record([t(T::SummaryColMonth), t(T::RoomColRoom), t(T::RankColAverage), t(T::RankColChecks), t(T::RankColPrevious)])?;
    let tenths = |v: u32| format!("{:.1}", v as f64 / 10.0);
    for r in rows {
        let m = month.format("%Y-%m").to_string();
        w.write_record([
            m,
            r.label.clone(),
            tenths(r.average_tenths),
            r.inspections.to_string(),
            r.previous_tenths.map(tenths).unwrap_or_default(),
        ])?;
    }
    w.into_inner().map_err(|e| e.into_error().into())
}

/// Every step taken, oldest first, each as (label, value) lines; shared by
/// the detail pane and the exported form.
pub fn complaint_steps(c: &Complaint, visit: Option<&crate::domain::Visit>, lang: Lang) -> Vec<(NaiveDateTime, Vec<(String, String)>)> {
    let t = |k: T| k.get(lang).to_string();
    let stamp = |s: &crate::domain::Stamp| format!("{} {}", dt(s.at), s.by);
    let money = |f: crate::domain::Fen| if f.0 == 0 { String::new() } else { format!("  ¥{f}") };
    let mut out = Vec::new();
    if let Some(i) = &c.informed {
        out.push((i.stamp.at, vec![(t(T::CsInformed), format!("{}  {}", stamp(&i.stamp), i.how))]));
    }
    if let Some(i) = &c.investigation {
        out.push((
            i.stamp.at,
            vec![
                (t(T::CsInvestigating), format!("{}  {}", stamp(&i.stamp), i.investigator)),
                (t(T::CFieldResponsible), i.responsible.clone()),
                (t(T::CFieldCauseFound), i.cause_found.clone()),
                (t(T::CFieldMeasure), i.measure.clone()),
            ],
        ));
    }
    if let Some(a) = &c.approval {
        out.push((a.stamp.at, vec![(t(T::CDetailApproved), format!("{}  ¥{}", stamp(&a.stamp), a.amount))]));
    }
    for e in &c.escalations {
        let reason = if e.automatic { t(T::AutoEscalation) } else { e.reason.clone() };
        out.push((e.stamp.at, vec![(t(T::CDetailEscalated), format!("{}  {reason}", stamp(&e.stamp)))]));
    }
    if let Some(r) = &c.resolution {
        out.push((r.stamp.at, vec![(t(T::CsResolved), format!("{}  {}{}", stamp(&r.stamp), r.text, money(r.amount)))]));
    }
    if let Some((s, _)) = &c.follow_up {
        let mut rows = vec![(t(T::CsFollowedUp), stamp(s))];
        if let Some(v) = visit {
            let met = if v.draft.met.is_empty() { String::new() } else { format!("  {} {}", t(T::CFieldMet), v.draft.met) };
            rows[0].1 = format!("{}  {}{met}", stamp(s), v.draft.method.label(lang));
            rows.push((t(T::CFieldOpinions), v.draft.opinions.clone()));
        }
        out.push((s.at, rows));
    }
    if let Some(s) = &c.closed {
        out.push((s.at, vec![(t(T::CsClosed), stamp(s))]));
    }
    out.sort_by_key(|s| s.0);
    out
}
