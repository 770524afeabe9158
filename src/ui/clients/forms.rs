//! The client, visit and review forms: field lists, filling a form from a
//! record and reading a record back (with a reason for each bad field).

use crate::domain::limits;
use crate::domain::validate::parse_date;
use crate::domain::{
    Choice, ClientDraft, ClientKind, ClientStatus, Fen, FieldError, Invalid, LegalReview, Promise, Rating, Services, Tier, VisitDraft,
    VisitMethod,
};
use crate::i18n::{Label, Lang, T};
use crate::ui::widgets::form::{FieldSpec, Form};
use chrono::NaiveDate;

fn choice<C: Choice + Label>(id: &'static str, label: T, lang: Lang) -> FieldSpec {
    FieldSpec::choice(id, label.get(lang), C::ALL.iter().map(|c| c.label(lang).to_string()).collect())
}

fn date_text(d: Option<NaiveDate>) -> String {
    d.map(|d| d.format("%Y-%m-%d").to_string()).unwrap_or_default()
}

pub fn client_form(lang: Lang, title: String, d: &ClientDraft) -> Form {
    let t = |k: T| k.get(lang);
    let specs = vec![
        FieldSpec::text("name", t(T::FieldName), limits::client::NAME),
        choice::<ClientKind>("kind", T::FieldKind, lang),
        choice::<Services>("services", T::FieldServices, lang),
        FieldSpec::text("address", t(T::FieldAddress), limits::client::ADDRESS),
        FieldSpec::text("contact", t(T::FieldContact), limits::client::CONTACT),
        FieldSpec::text("contact_title", t(T::FieldContactTitle), limits::client::CONTACT_TITLE),
        FieldSpec::text("phone", t(T::FieldPhone), limits::PHONE),
        choice::<Tier>("tier", T::FieldTier, lang),
        choice::<Rating>("rating", T::FieldRating, lang),
        choice::<ClientStatus>("status", T::FieldStatus, lang),
        FieldSpec::text("contract.number", t(T::FieldContractNumber), limits::client::CONTRACT_NUMBER),
        FieldSpec::text("contract.start", t(T::FieldContractStart), limits::DATE).hint(t(T::HintDate)),
        FieldSpec::text("contract.end", t(T::FieldContractEnd), limits::DATE).hint(t(T::HintDate)),
        FieldSpec::text("contract.monthly_fee", t(T::FieldMonthlyFee), limits::AMOUNT),
        choice::<LegalReview>("contract.legal_review", T::FieldLegalReview, lang),
        FieldSpec::text("visit_interval_days", t(T::FieldInterval), limits::client::VISIT_INTERVAL),
        FieldSpec::multiline("notes", t(T::FieldNotes), limits::client::NOTES, 4),
    ];
    let mut f = Form::new(title, specs);
    f.set_text("name", &d.name);
    f.set_choice("kind", d.kind.index());
    f.set_choice("services", d.services.index());
    f.set_text("address", &d.address);
    f.set_text("contact", &d.contact);
    f.set_text("contact_title", &d.contact_title);
    f.set_text("phone", &d.phone);
    f.set_choice("tier", d.tier.index());
    f.set_choice("rating", d.rating.index());
    f.set_choice("status", d.status.index());
    f.set_text("contract.number", &d.contract.number);
    f.set_text("contract.start", &date_text(d.contract.start));
    f.set_text("contract.end", &date_text(d.contract.end));
    if d.contract.monthly_fee.0 != 0 {
        f.set_text("contract.monthly_fee", &d.contract.monthly_fee.to_string());
    }
    f.set_choice("contract.legal_review", d.contract.legal_review.index());
    f.set_text("visit_interval_days", &d.visit_interval_days.to_string());
    f.set_text("notes", &d.notes);
    f.focus_on("name");
    f.mark_clean();
    f
}

fn pick<C: Choice>(form: &Form, id: &str) -> C {
    C::ALL[form.choice(id).min(C::ALL.len() - 1)]
}

fn optional_date(form: &Form, id: &str, errors: &mut Vec<FieldError>) -> Option<NaiveDate> {
    let s = form.text(id);
    if s.trim().is_empty() {
        return None;
    }
    let d = parse_date(&s);
    if d.is_none() {
        errors.push(FieldError::new(id, Invalid::Date));
    }
    d
}

/// Read the form into a draft: parse errors first, then the record's rules.
pub fn read_client(form: &Form) -> Result<ClientDraft, Vec<FieldError>> {
    let mut errors = Vec::new();
    let mut d = ClientDraft {
        name: form.text("name"),
        kind: pick(form, "kind"),
        services: pick(form, "services"),
        address: form.text("address"),
        contact: form.text("contact"),
        contact_title: form.text("contact_title"),
        phone: form.text("phone"),
        rating: pick(form, "rating"),
        tier: pick(form, "tier"),
        status: pick(form, "status"),
        notes: form.text("notes"),
        ..Default::default()
    };
    d.contract.number = form.text("contract.number");
    d.contract.start = optional_date(form, "contract.start", &mut errors);
    d.contract.end = optional_date(form, "contract.end", &mut errors);
    let fee = form.text("contract.monthly_fee");
    d.contract.monthly_fee = if fee.trim().is_empty() {
        Fen(0)
    } else {
        Fen::parse_yuan(&fee).unwrap_or_else(|| {
            errors.push(FieldError::new("contract.monthly_fee", Invalid::Money));
            Fen(0)
        })
    };
    d.contract.legal_review = pick(form, "contract.legal_review");
    match form.text("visit_interval_days").trim().parse::<u16>() {
        Ok(n) => d.visit_interval_days = n,
        Err(_) => errors.push(FieldError::new("visit_interval_days", Invalid::Range { min: 1, max: 365 })),
    }
    let d = d.cleaned();
    let rules = d.validate();
    finish(d, errors, rules)
}

/// Parse errors first, then the record's own rules, one reason per field.
fn finish<T>(value: T, mut errors: Vec<FieldError>, rules: Vec<FieldError>) -> Result<T, Vec<FieldError>> {
    for e in rules {
        if !errors.iter().any(|x| x.field == e.field) {
            errors.push(e);
        }
    }
    if errors.is_empty() {
        Ok(value)
    } else {
        Err(errors)
    }
}

pub fn visit_form(lang: Lang, client: &str, d: &VisitDraft) -> Form {
    let t = |k: T| k.get(lang);
    let specs = vec![
        FieldSpec::text("date", t(T::FieldVisitDate), limits::DATE).hint(t(T::HintDate)),
        FieldSpec::text("by", t(T::FieldVisitBy), limits::visit::BY),
        choice::<VisitMethod>("method", T::FieldMethod, lang),
        FieldSpec::text("met", t(T::FieldMet), limits::visit::MET),
        FieldSpec::text("purpose", t(T::FieldPurpose), limits::visit::PURPOSE),
        FieldSpec::multiline("opinions", t(T::FieldOpinions), limits::visit::OPINIONS, 4),
        FieldSpec::multiline("promises", t(T::FieldPromises), limits::visit::PROMISES, 3).hint(t(T::HintPromises)),
    ];
    let mut f = Form::new(crate::i18n::fill(t(T::FormNewVisit), &[client]), specs);
    f.set_text("date", &d.date.format("%Y-%m-%d").to_string());
    f.set_text("by", &d.by);
    f.set_choice("method", d.method.index());
    f.set_text("met", &d.met);
    f.set_text("purpose", &d.purpose);
    f.set_text("opinions", &d.opinions);
    f.focus_on("met");
    f.mark_clean();
    f
}

/// One promise per line: due date first, then the text.
pub fn parse_promises(text: &str) -> Result<Vec<Promise>, Invalid> {
    let mut out = Vec::new();
    for (n, line) in text.lines().enumerate().map(|(n, l)| (n + 1, l.trim())).filter(|(_, l)| !l.is_empty()) {
        let (date, rest) = line.split_once(char::is_whitespace).unwrap_or((line, ""));
        let due = match parse_date(date) {
            Some(d) => d,
            // Digits and separators only: meant as a date, but not a real one.
            None if !date.is_empty() && date.chars().all(|c| c.is_ascii_digit() || "-/.".contains(c)) => {
                return Err(Invalid::PromiseDate { line: n })
            }
            None => return Err(Invalid::PromiseLine { line: n }),
        };
        if rest.trim().is_empty() {
            return Err(Invalid::PromiseLine { line: n });
        }
        out.push(Promise { text: rest.trim().to_string(), due, done: None });
    }
    Ok(out)
}

pub fn read_visit(form: &Form, today: NaiveDate) -> Result<VisitDraft, Vec<FieldError>> {
    let mut errors = Vec::new();
    let date = parse_date(&form.text("date")).unwrap_or_else(|| {
        errors.push(FieldError::new("date", Invalid::Date));
        today
    });
    let promises = parse_promises(&form.text("promises")).unwrap_or_else(|e| {
        errors.push(FieldError::new("promises", e));
        vec![]
    });
    let d = VisitDraft {
        date,
        by: form.text("by"),
        method: pick(form, "method"),
        met: form.text("met"),
        purpose: form.text("purpose"),
        opinions: form.text("opinions"),
        promises,
    }
    .cleaned();
    let rules = d.validate(today);
    finish(d, errors, rules)
}

pub fn review_form(lang: Lang, client: &str, current: Rating) -> Form {
    let specs = vec![
        choice::<Rating>("rating", T::FieldNewRating, lang),
        FieldSpec::text("reason", T::FieldReason.get(lang), limits::client::REVIEW_REASON),
    ];
    let mut f = Form::new(crate::i18n::fill(T::FormReview.get(lang), &[client]), specs);
    f.set_choice("rating", current.index());
    f.mark_clean();
    f
}

pub fn read_review(form: &Form) -> Result<(Rating, String), Vec<FieldError>> {
    let reason = crate::domain::text::clean(&form.text("reason"), false);
    if reason.is_empty() {
        return Err(vec![FieldError::new("reason", Invalid::Required)]);
    }
    Ok((pick(form, "rating"), reason))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn client_form_round_trips_a_draft() {
        let mut d = ClientDraft { name: "苏州恒达物业".into(), phone: "0512-66881234".into(), tier: Tier::Key, ..Default::default() };
        d.contract.start = NaiveDate::from_ymd_opt(2026, 1, 1);
        d.contract.monthly_fee = Fen(3_800_050);
        d.notes = "第一行\n第二行".into();
        let f = client_form(Lang::Zh, "t".into(), &d);
        assert!(!f.is_dirty());
        assert_eq!(read_client(&f), Ok(d));
    }

    #[test]
    fn bad_fields_are_all_reported() {
        let mut f = client_form(Lang::En, "t".into(), &ClientDraft::default());
        f.set_text("contract.start", "2026-13-01");
        f.set_text("contract.monthly_fee", "lots");
        f.set_text("phone", "12");
        let fields: Vec<String> = read_client(&f).unwrap_err().into_iter().map(|e| e.field).collect();
        assert_eq!(fields, ["contract.start", "contract.monthly_fee", "name", "phone"]);
    }

    #[test]
    fn promise_lines_need_a_date_and_text() {
        let p = parse_promises("2026-12-01 增派夜班一人\n\n 2026/12/15  更换对讲机 ").unwrap();
        assert_eq!(p.len(), 2);
        assert_eq!(p[1].text, "更换对讲机");
        assert_eq!(parse_promises("下周 增派"), Err(Invalid::PromiseLine { line: 1 }));
        assert_eq!(parse_promises("2026-12-01 a\n\n2026-12-01"), Err(Invalid::PromiseLine { line: 3 }));
        assert_eq!(parse_promises("2026-12-01 a\n2026-13-01 错误日期"), Err(Invalid::PromiseDate { line: 2 }));
    }
}
