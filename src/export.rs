//! Files for people outside guardroom: a complaint as the filled-in register
//! form (客户投诉登记表) in plain text, and lists as CSV that Excel and WPS
//! open with Chinese intact (UTF-8 with a byte-order mark).

use crate::domain::{Category, Choice, Complaint, Visit};
use crate::i18n::{Label, Lang, T};
use crate::ui::text::{char_width, width};

/// Label column and value column widths of the text form, in cells.
const LABEL: usize = 14;
const VALUE: usize = 58;

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

fn rule(left: char, mid: char, right: char) -> String {
    format!("{left}{}{mid}{}{right}\n", "─".repeat(LABEL + 2), "─".repeat(VALUE + 2))
}

fn row(out: &mut String, label: &str, value: &str) {
    for (i, line) in wrap(value, VALUE).iter().enumerate() {
        let l = if i == 0 { label } else { "" };
        out.push_str(&format!("│ {} │ {} │\n", pad(l, LABEL), pad(line, VALUE)));
    }
}

fn dt(d: chrono::NaiveDateTime) -> String {
    d.format("%Y-%m-%d %H:%M").to_string()
}

/// The register form, filled in, laid out like the paper one.
pub fn complaint_form(c: &Complaint, visit: Option<&Visit>, lang: Lang) -> String {
    let t = |k: T| k.get(lang);
    let d = &c.draft;
    let mut out = String::new();
    let title = match lang {
        Lang::Zh => "客 户 投 诉 登 记 表",
        Lang::En => "CLIENT COMPLAINT REGISTER FORM",
    };
    let total = LABEL + VALUE + 7;
    out.push_str(&format!("{}{title}\n\n", " ".repeat((total.saturating_sub(width(title))) / 2)));
    out.push_str(&rule('┌', '┬', '┐'));
    row(&mut out, t(T::CColNumber), &c.number);
    row(&mut out, t(T::CFieldReceivedAt), &dt(d.received_at));
    row(&mut out, t(T::CFieldClientName), &d.client_name);
    row(&mut out, t(T::CFieldAddress), &d.address);
    row(&mut out, t(T::CFieldPhone), &d.phone);
    row(&mut out, t(T::CFieldCause), &d.cause);
    row(&mut out, t(T::CFieldDemand), &d.demand);
    row(&mut out, t(T::CFieldReceivedBy), &format!("{}  {} {}", d.received_by, t(T::CFieldChannel), d.channel.label(lang)));
    let cats: Vec<String> = Category::ALL
        .iter()
        .map(|k| {
            let mark = if *k == d.category { "■" } else { "□" };
            let amount = if *k == Category::FeeDeduction && d.category == Category::FeeDeduction {
                format!(" ¥{}", d.amount)
            } else {
                String::new()
            };
            format!("{mark} {}{amount}", k.label(lang))
        })
        .collect();
    row(&mut out, t(T::CFieldCategory), &cats.join("  "));
    row(&mut out, t(T::CFieldKind), &d.kind);
    row(&mut out, t(T::CFieldRemarks), &d.remarks);
    out.push_str(&rule('├', '┼', '┤'));
    row(&mut out, t(T::CColStatus), &format!("{}   {} {}", c.status.label(lang), t(T::CDetailDue), dt(c.due)));
    if let Some(i) = &c.informed {
        row(&mut out, t(T::StepInform), &format!("{} {}  {}", dt(i.stamp.at), i.stamp.by, i.how));
    }
    if let Some(i) = &c.investigation {
        row(&mut out, t(T::StepInvestigate), &format!("{} {}  {}", dt(i.stamp.at), i.stamp.by, i.investigator));
        row(&mut out, t(T::CFieldResponsible), &i.responsible);
        row(&mut out, t(T::CFieldCauseFound), &i.cause_found);
        row(&mut out, t(T::CFieldMeasure), &i.measure);
    }
    if let Some(a) = &c.approval {
        row(&mut out, t(T::CDetailApproved), &format!("{} {}  ¥{}", a.stamp.by, dt(a.stamp.at), a.amount));
    }
    if let Some(r) = &c.resolution {
        row(&mut out, t(T::StepResolve), &format!("{} {}  {}  ¥{}", dt(r.stamp.at), r.stamp.by, r.text, r.amount));
    }
    if let Some((s, _)) = &c.follow_up {
        let opinion = visit.map(|v| v.draft.opinions.as_str()).unwrap_or("");
        row(&mut out, t(T::StepFollowUp), &format!("{} {}  {}", dt(s.at), s.by, opinion));
    }
    for e in &c.escalations {
        row(&mut out, t(T::CDetailEscalated), &format!("{} {}  {}", dt(e.stamp.at), e.stamp.by, e.reason));
    }
    if let Some(s) = &c.closed {
        row(&mut out, t(T::StepClose), &format!("{} {}", dt(s.at), s.by));
    }
    out.push_str(&rule('└', '┴', '┘'));
    out
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
            d.amount.to_string(),
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
