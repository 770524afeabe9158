//! The register form (客户投诉登记表) and the forms of the workflow steps.

use crate::domain::limits;
use crate::domain::validate::parse_date;
use crate::domain::{Category, Channel, Choice, ComplaintDraft, Fen, FieldError, Invalid, VisitMethod};
use crate::i18n::{fill, Label, Lang, T};
use crate::service::Step;
use crate::ui::widgets::form::{FieldSpec, Form};
use chrono::NaiveDateTime;

fn choice<C: Choice + Label>(id: &'static str, label: T, lang: Lang) -> FieldSpec {
    FieldSpec::choice(id, label.get(lang), C::ALL.iter().map(|c| c.label(lang).to_string()).collect())
}

fn pick<C: Choice>(form: &Form, id: &str) -> C {
    C::ALL[form.choice(id).min(C::ALL.len() - 1)]
}

/// `2026-11-23 09:30`, `2026/11/23 9:30` or a bare date (00:00).
pub fn parse_datetime(s: &str) -> Option<NaiveDateTime> {
    let t = s.trim();
    let (date, time) = t.split_once(char::is_whitespace).unwrap_or((t, "00:00"));
    let d = parse_date(date)?;
    let tm = chrono::NaiveTime::parse_from_str(time.trim(), "%H:%M").ok()?;
    Some(d.and_time(tm))
}

pub fn datetime_text(d: NaiveDateTime) -> String {
    d.format("%Y-%m-%d %H:%M").to_string()
}

pub fn register_form(lang: Lang, title: String, d: &ComplaintDraft, clients: Vec<(u64, String)>) -> Form {
    let t = |k: T| k.get(lang);
    let specs = vec![
        FieldSpec::lookup("client", t(T::CFieldClient), clients).hint(t(T::CHintClient)),
        FieldSpec::text("client_name", t(T::CFieldClientName), limits::complaint::CLIENT_NAME),
        FieldSpec::text("address", t(T::CFieldAddress), limits::complaint::ADDRESS),
        FieldSpec::text("phone", t(T::CFieldPhone), limits::PHONE),
        FieldSpec::text("received_at", t(T::CFieldReceivedAt), limits::DATE_TIME).hint(t(T::CHintDateTime)),
        FieldSpec::text("received_by", t(T::CFieldReceivedBy), limits::complaint::RECEIVED_BY),
        choice::<Channel>("channel", T::CFieldChannel, lang),
        choice::<Category>("category", T::CFieldCategory, lang),
        FieldSpec::text("amount", t(T::CFieldAmount), limits::AMOUNT).hint(t(T::CHintAmount)),
        FieldSpec::text("kind", t(T::CFieldKind), limits::complaint::KIND),
        FieldSpec::multiline("cause", t(T::CFieldCause), limits::complaint::CAUSE, 3),
        FieldSpec::multiline("demand", t(T::CFieldDemand), limits::complaint::DEMAND, 2),
        FieldSpec::multiline("remarks", t(T::CFieldRemarks), limits::complaint::REMARKS, 2),
    ];
    let mut f = Form::new(title, specs);
    if d.client_id != 0 {
        f.set_picked("client", d.client_id);
    }
    f.set_text("client_name", &d.client_name);
    f.set_text("address", &d.address);
    f.set_text("phone", &d.phone);
    f.set_text("received_at", &datetime_text(d.received_at));
    f.set_text("received_by", &d.received_by);
    f.set_choice("channel", d.channel.index());
    f.set_choice("category", d.category.index());
    if d.amount.0 != 0 {
        f.set_text("amount", &d.amount.to_string());
    }
    f.set_text("kind", &d.kind);
    f.set_text("cause", &d.cause);
    f.set_text("demand", &d.demand);
    f.set_text("remarks", &d.remarks);
    f.mark_clean();
    f
}

pub fn read_register(form: &Form, now: NaiveDateTime) -> Result<ComplaintDraft, Vec<FieldError>> {
    let mut errors = Vec::new();
    let client_id = form.picked("client").unwrap_or_else(|| {
        let typed = !form.text("client").trim().is_empty();
        errors.push(FieldError::new("client", if typed { Invalid::NotPicked } else { Invalid::Required }));
        0
    });
    let received_at = parse_datetime(&form.text("received_at")).unwrap_or_else(|| {
        errors.push(FieldError::new("received_at", Invalid::DateTime));
        now
    });
    let category: Category = pick(form, "category");
    let amount_text = form.text("amount");
    let amount = if amount_text.trim().is_empty() {
        Fen(0)
    } else {
        Fen::parse_yuan(&amount_text).unwrap_or_else(|| {
            errors.push(FieldError::new("amount", Invalid::Money));
            Fen(0)
        })
    };
    let d = ComplaintDraft {
        client_id,
        client_name: form.text("client_name"),
        address: form.text("address"),
        phone: form.text("phone"),
        received_at,
        received_by: form.text("received_by"),
        channel: pick(form, "channel"),
        cause: form.text("cause"),
        demand: form.text("demand"),
        category,
        // Only a fee deduction carries an amount.
        amount: if category == Category::FeeDeduction { amount } else { Fen(0) },
        kind: form.text("kind"),
        remarks: form.text("remarks"),
    }
    .cleaned();
    for e in d.validate(now) {
        if !errors.iter().any(|x| x.field == e.field) {
            errors.push(e);
        }
    }
    if errors.is_empty() {
        Ok(d)
    } else {
        Err(errors)
    }
}

/// Period and client filters of the list.
pub fn filter_form(lang: Lang, q: &crate::service::ComplaintQuery, clients: Vec<(u64, String)>) -> Form {
    let t = |k: T| k.get(lang);
    let specs = vec![
        FieldSpec::text("from", t(T::CFieldFrom), limits::DATE).hint(t(T::CHintOptional)),
        FieldSpec::text("to", t(T::CFieldTo), limits::DATE).hint(t(T::CHintOptional)),
        FieldSpec::lookup("client", t(T::CFieldClient), clients).hint(t(T::CHintOptional)),
    ];
    let mut f = Form::new(t(T::CFormFilters).into(), specs);
    let d = |x: Option<chrono::NaiveDate>| x.map(|d| d.format("%Y-%m-%d").to_string()).unwrap_or_default();
    f.set_text("from", &d(q.from));
    f.set_text("to", &d(q.to));
    if let Some(id) = q.client_id {
        f.set_picked("client", id);
    }
    // Nothing is lost by closing a filter: Esc just closes it.
    f.confirm_discard = false;
    f.mark_clean();
    f
}

type Filters = (Option<chrono::NaiveDate>, Option<chrono::NaiveDate>, Option<u64>);

pub fn read_filters(form: &Form) -> Result<Filters, Vec<FieldError>> {
    let mut errors = Vec::new();
    let mut date = |id: &str| {
        let s = form.text(id);
        if s.trim().is_empty() {
            return None;
        }
        let d = parse_date(&s);
        if d.is_none() {
            errors.push(FieldError::new(id, Invalid::Date));
        }
        d
    };
    let (from, to) = (date("from"), date("to"));
    if let (Some(a), Some(b)) = (from, to) {
        if b < a {
            errors.push(FieldError::new("to", Invalid::EndBeforeStart));
        }
    }
    if form.picked("client").is_none() && !form.text("client").trim().is_empty() {
        errors.push(FieldError::new("client", Invalid::NotPicked));
    }
    if errors.is_empty() {
        Ok((from, to, form.picked("client")))
    } else {
        Err(errors)
    }
}

/// The steps that have a form (approve and close are a yes/no question).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum StepForm {
    Approve,
    Inform,
    Investigate,
    Resolve,
    FollowUp,
    Escalate,
}

pub fn step_form(lang: Lang, which: StepForm, label: &str, contact: &str) -> Form {
    let t = |k: T| k.get(lang);
    let (title, specs) = match which {
        StepForm::Approve => {
            (T::CFormApprove, vec![FieldSpec::text("amount", t(T::CFieldApprovedAmount), limits::AMOUNT).hint(t(T::CHintApprove))])
        }
        StepForm::Inform => (T::CFormInform, vec![FieldSpec::multiline("how", t(T::CFieldHow), limits::complaint::HOW, 2)]),
        StepForm::Investigate => (
            T::CFormInvestigate,
            vec![
                FieldSpec::text("investigator", t(T::CFieldInvestigator), limits::complaint::INVESTIGATOR),
                FieldSpec::text("responsible", t(T::CFieldResponsible), limits::complaint::RESPONSIBLE),
                FieldSpec::multiline("cause_found", t(T::CFieldCauseFound), limits::complaint::CAUSE_FOUND, 3),
                FieldSpec::multiline("measure", t(T::CFieldMeasure), limits::complaint::MEASURE, 3),
            ],
        ),
        StepForm::Resolve => (
            T::CFormResolve,
            vec![
                FieldSpec::multiline("resolution", t(T::CFieldResolution), limits::complaint::RESOLUTION, 3),
                FieldSpec::text("amount", t(T::CFieldResAmount), limits::AMOUNT),
            ],
        ),
        StepForm::FollowUp => (
            T::CFormFollowUp,
            vec![
                choice::<VisitMethod>("method", T::FieldMethod, lang),
                FieldSpec::text("met", t(T::CFieldMet), limits::complaint::MET),
                FieldSpec::multiline("opinions", t(T::CFieldOpinions), limits::complaint::OPINIONS, 3),
            ],
        ),
        StepForm::Escalate => {
            (T::CFormEscalate, vec![FieldSpec::multiline("reason", t(T::CFieldReason), limits::complaint::ESCALATION_REASON, 3)])
        }
    };
    let mut f = Form::new(fill(title.get(lang), &[label]), specs);
    if which == StepForm::FollowUp {
        f.set_text("met", contact);
        f.focus_on("opinions");
    }
    f.mark_clean();
    f
}

pub fn read_step(form: &Form, which: StepForm) -> Result<Step, Vec<FieldError>> {
    let amount = |id: &str| -> Result<Fen, Vec<FieldError>> {
        let text = form.text(id);
        if text.trim().is_empty() {
            return Ok(Fen(0));
        }
        Fen::parse_yuan(&text).ok_or_else(|| vec![FieldError::new(id, Invalid::Money)])
    };
    Ok(match which {
        StepForm::Approve => Step::Approve { amount: amount("amount")? },
        StepForm::Inform => Step::Inform { how: form.text("how") },
        StepForm::Investigate => Step::Investigate {
            investigator: form.text("investigator"),
            responsible: form.text("responsible"),
            cause_found: form.text("cause_found"),
            measure: form.text("measure"),
        },
        StepForm::Resolve => Step::Resolve { text: form.text("resolution"), amount: amount("amount")? },
        StepForm::FollowUp => Step::FollowUp { method: pick(form, "method"), met: form.text("met"), opinions: form.text("opinions") },
        StepForm::Escalate => Step::Escalate { reason: form.text("reason") },
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn date_times_in_common_shapes() {
        let want = NaiveDateTime::parse_from_str("2026-11-23 09:30", "%Y-%m-%d %H:%M").unwrap();
        assert_eq!(parse_datetime("2026-11-23 09:30"), Some(want));
        assert_eq!(parse_datetime("2026/11/23  9:30"), Some(want));
        // As shown under the other date formats, so it can be typed back.
        for f in crate::i18n::dates::DateFormat::ALL {
            assert_eq!(parse_datetime(&f.date_time(want)), Some(want), "{f:?}");
        }
        assert_eq!(parse_datetime("2026-11-23").map(|d| d.format("%H:%M").to_string()), Some("00:00".into()));
        assert_eq!(parse_datetime("2026-11-23 25:00"), None);
        assert_eq!(parse_datetime("昨天"), None);
    }
}
