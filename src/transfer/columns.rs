//! The columns of each importable kind, named in both languages, and the
//! choice values a cell may hold (code, Chinese or English label). Export
//! writes these headers, so an exported file imports back in either language.

use super::Kind;
use crate::domain::{Brigade, Choice, ClientKind, ClientStatus, LegalReview, Rating, Services, StaffRole, StaffStatus, Tier};
use crate::i18n::{Label, Lang, T};

pub struct Column {
    /// The field id forms and the audit log use.
    pub field: &'static str,
    pub title: T,
    /// A file without this column cannot be imported.
    pub required: bool,
}

const fn col(field: &'static str, title: T, required: bool) -> Column {
    Column { field, title, required }
}

static CLIENTS: &[Column] = &[
    col("number", T::ColNumber, false),
    col("name", T::FieldName, true),
    col("kind", T::FieldKind, false),
    col("services", T::FieldServices, false),
    col("address", T::FieldAddress, false),
    col("contact", T::FieldContact, false),
    col("contact_title", T::FieldContactTitle, false),
    col("phone", T::FieldPhone, false),
    col("rating", T::FieldRating, false),
    col("tier", T::FieldTier, false),
    col("status", T::FieldStatus, false),
    col("contract.number", T::FieldContractNumber, false),
    col("contract.start", T::FieldContractStart, false),
    col("contract.end", T::FieldContractEnd, false),
    col("contract.monthly_fee", T::FieldMonthlyFee, false),
    col("contract.legal_review", T::FieldLegalReview, false),
    col("visit_interval_days", T::FieldInterval, false),
    col("notes", T::FieldNotes, false),
];

static STAFF: &[Column] = &[
    col("number", T::StaffColNumber, false),
    col("name", T::StaffColName, true),
    col("brigade", T::StaffFieldBrigade, false),
    col("role", T::StaffFieldRole, false),
    col("phone", T::FieldPhone, false),
    col("hire_date", T::StaffFieldHired, false),
    col("licence.number", T::StaffFieldLicence, false),
    col("licence.expires", T::StaffFieldLicenceExpires, false),
    col("permit.number", T::StaffFieldPermit, false),
    col("permit.expires", T::StaffFieldPermitExpires, false),
    col("dorm_room", T::StaffFieldDorm, false),
    col("status", T::FieldStatus, false),
    col("rest_days", T::StaffFieldRest, false),
    col("notes", T::FieldNotes, false),
];

static POSTS: &[Column] = &[
    col("number", T::ColNumber, false),
    col("client", T::XferColClientNo, true),
    col("site", T::PostFieldSite, true),
    col("address", T::FieldAddress, false),
    col("brigade", T::StaffFieldBrigade, false),
    col("shifts", T::PostFieldShifts, true),
    col("orders", T::PostFieldOrders, false),
    col("operators", T::PostFieldOperators, false),
    col("closed", T::XferColClosed, false),
];

static VEHICLES: &[Column] = &[
    col("plate", T::VehFieldPlate, true),
    col("model", T::VehFieldModel, false),
    col("seats", T::VehFieldSeats, true),
    col("odometer", T::VehFieldOdometer, false),
    col("insurance_due", T::VehFieldInsurance, false),
    col("inspection_due", T::VehFieldInspection, false),
    col("drivers", T::XferColDrivers, false),
    col("notes", T::FieldNotes, false),
];

pub fn columns(kind: Kind) -> &'static [Column] {
    match kind {
        Kind::Clients => CLIENTS,
        Kind::Staff => STAFF,
        Kind::Posts => POSTS,
        Kind::Vehicles => VEHICLES,
    }
}

/// A column's header in `lang`, or the field id when the kind has no such column.
pub fn title(kind: Kind, field: &str, lang: Lang) -> String {
    columns(kind).iter().find(|c| c.field == field).map(|c| c.title.get(lang).to_string()).unwrap_or_else(|| field.to_string())
}

/// The header line export writes.
pub fn header(kind: Kind, lang: Lang) -> Vec<&'static str> {
    columns(kind).iter().map(|c| c.title.get(lang)).collect()
}

/// Which field a header cell names: its Chinese or English title or its
/// field id, ignoring case and surrounding spaces.
pub fn field_of(kind: Kind, cell: &str) -> Option<&'static str> {
    let c = cell.trim().trim_start_matches('\u{feff}').trim();
    columns(kind)
        .iter()
        .find(|col| [col.title.get(Lang::Zh), col.title.get(Lang::En), col.field].iter().any(|t| t.eq_ignore_ascii_case(c)))
        .map(|col| col.field)
}

/// A choice value from its code or its label in either language.
pub fn choice<C: Choice + Label>(cell: &str) -> Option<C> {
    let s = cell.trim();
    C::ALL.iter().copied().find(|v| v.code().eq_ignore_ascii_case(s) || v.label(Lang::Zh) == s || v.label(Lang::En).eq_ignore_ascii_case(s))
}

fn labels<C: Choice + Label>(lang: Lang) -> Vec<&'static str> {
    C::ALL.iter().map(|v| v.label(lang)).collect()
}

/// The values a choice column accepts, as shown to the user.
pub fn choice_labels(kind: Kind, field: &str, lang: Lang) -> Vec<&'static str> {
    match (kind, field) {
        (Kind::Clients, "kind") => labels::<ClientKind>(lang),
        (Kind::Clients, "services") => labels::<Services>(lang),
        (Kind::Clients, "rating") => labels::<Rating>(lang),
        (Kind::Clients, "tier") => labels::<Tier>(lang),
        (Kind::Clients, "status") => labels::<ClientStatus>(lang),
        (Kind::Clients, "contract.legal_review") => labels::<LegalReview>(lang),
        (Kind::Staff | Kind::Posts, "brigade") => labels::<Brigade>(lang),
        (Kind::Staff, "role") => labels::<StaffRole>(lang),
        (Kind::Staff, "status") => labels::<StaffStatus>(lang),
        _ => vec![],
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn headers_are_distinct_and_found_in_both_languages() {
        for kind in Kind::ALL {
            for lang in [Lang::Zh, Lang::En] {
                let h = header(kind, lang);
                for (i, cell) in h.iter().enumerate() {
                    assert!(!h[..i].contains(cell), "{kind:?} {lang:?}: {cell} twice");
                    assert_eq!(field_of(kind, cell), Some(columns(kind)[i].field), "{kind:?} {cell}");
                }
            }
        }
        assert_eq!(field_of(Kind::Clients, " contract.monthly_fee "), Some("contract.monthly_fee"));
        assert_eq!(field_of(Kind::Clients, "客户名"), None);
    }

    #[test]
    fn choices_by_code_or_label() {
        assert_eq!(choice::<Tier>("大客户"), Some(Tier::Key));
        assert_eq!(choice::<Tier>("key"), Some(Tier::Key));
        assert_eq!(choice::<Brigade>("特卫大队"), Some(Brigade::CloseProtection));
        assert_eq!(choice::<Tier>("vip"), None);
    }
}
