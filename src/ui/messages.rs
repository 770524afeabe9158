//! Service errors as one sentence that says what to do.

use crate::domain::{ComplaintStatus, StepRefused};
use crate::i18n::{fill, Label, Lang, T};
use crate::service::ServiceError;

/// The action that moves a complaint into `s`, as a user would name it.
pub fn step_name(s: ComplaintStatus) -> T {
    match s {
        ComplaintStatus::Registered => T::StepRegister,
        ComplaintStatus::Informed => T::StepInform,
        ComplaintStatus::Investigating => T::StepInvestigate,
        ComplaintStatus::Resolved => T::StepResolve,
        ComplaintStatus::FollowedUp => T::StepFollowUp,
        ComplaintStatus::Closed => T::StepClose,
    }
}

fn right_text(r: crate::domain::Right) -> T {
    use crate::domain::Right::*;
    match r {
        ReadClients => T::RightReadClients,
        ReadContracts => T::RightReadContracts,
        EditClients => T::RightEditClients,
        ReadComplaints => T::RightReadComplaints,
        HandleComplaints => T::RightHandleComplaints,
        Investigate => T::RightInvestigate,
        Approve => T::RightApprove,
        ManageOperators => T::RightManageOperators,
        LoadData => T::RightLoadData,
        ReadAudit => T::RightReadAudit,
        ReadRosters => T::RightReadRosters,
        EditRosters => T::RightEditRosters,
        WorkPost => T::RightWorkPost,
        AuditAttendance => T::RightAuditAttendance,
        DormVehicles => T::RightDormVehicles,
        Backup => T::RightBackup,
    }
}

pub fn refusal(r: &StepRefused, lang: Lang) -> String {
    match r {
        StepRefused::NeedsStep(s) => fill(T::RefNeedsStep.get(lang), &[step_name(*s).get(lang)]),
        StepRefused::AlreadyDone(s) => fill(T::RefAlreadyDone.get(lang), &[step_name(*s).get(lang)]),
        StepRefused::NeedsApproval => T::RefNeedsApproval.get(lang).into(),
        StepRefused::AlreadyApproved => T::RefAlreadyApproved.get(lang).into(),
        StepRefused::Closed => T::RefClosed.get(lang).into(),
    }
}

/// A complaint field id (as the audit log records it) as people name it.
pub fn complaint_field(field: &str, lang: Lang) -> String {
    let t = match field {
        "number" => T::CColNumber,
        "client_id" | "client_name" => T::CFieldClientName,
        "address" => T::CFieldAddress,
        "phone" => T::CFieldPhone,
        "received_at" => T::CFieldReceivedAt,
        "received_by" => T::CFieldReceivedBy,
        "channel" => T::CFieldChannel,
        "cause" => T::CFieldCause,
        "demand" => T::CFieldDemand,
        "category" => T::CFieldCategory,
        "amount" => T::CFieldAmount,
        "kind" => T::CFieldKind,
        "remarks" => T::CFieldRemarks,
        "status" => T::CColStatus,
        "due" => T::CColDue,
        "informed" => T::CsInformed,
        "investigator" => T::CFieldInvestigator,
        "responsible" => T::CFieldResponsible,
        "cause_found" => T::CFieldCauseFound,
        "measure" => T::CFieldMeasure,
        "approval" => T::CDetailApproved,
        "resolution" => T::CFieldResolution,
        "resolution_amount" => T::CFieldResAmount,
        "follow_up" => T::CsFollowedUp,
        "closed" => T::CsClosed,
        "escalations" => T::CDetailEscalated,
        other => return other.to_string(),
    };
    t.get(lang).to_string()
}

/// A value as the audit log records it (codes for choices), as people read it.
pub fn complaint_value(field: &str, value: &str, lang: Lang) -> String {
    use crate::domain::{Category, Channel, Choice};
    use crate::i18n::Label;
    let label = match field {
        "channel" => Channel::from_code(value).map(|c| c.label(lang)),
        "category" => Category::from_code(value).map(|c| c.label(lang)),
        "status" => ComplaintStatus::from_code(value).map(|c| c.label(lang)),
        _ => None,
    };
    label.map(str::to_string).unwrap_or_else(|| value.to_string())
}

/// A dorm or vehicle rule, as one sentence that says what to do.
pub fn logistics_refusal(r: &crate::service::logistics::LogisticsRefused, lang: Lang) -> String {
    use crate::domain::fleet::MayNotDrive;
    use crate::service::logistics::LogisticsRefused as L;
    match r {
        L::OccupantElsewhere { who, room } => fill(T::RefOccupantElsewhere.get(lang), &[who, room]),
        L::OccupantLeft { who } => fill(T::RefOccupantLeft.get(lang), &[who]),
        L::InspectedAlready { by } => fill(T::RefInspectedAlready.get(lang), &[by]),
        L::CheckedAlready { by } => fill(T::RefCheckedAlready.get(lang), &[by]),
        L::Driver { who, why: MayNotDrive::NoPermit } => fill(T::RefNoPermit.get(lang), &[who]),
        L::Driver { who, why: MayNotDrive::PermitExpired(d) } => fill(T::RefPermitExpired.get(lang), &[who, &d.to_string()]),
        L::PlateTaken => T::RefPlateTaken.get(lang).into(),
    }
}

/// A field of any record kind as the audit trail names it.
pub fn audit_field(kind: &str, field: &str, lang: Lang) -> String {
    let t = match (kind, field) {
        ("staff", "number") | ("post", "number") => T::StaffColNumber,
        ("staff", "name") => T::StaffColName,
        ("staff" | "post", "brigade") => T::StaffFieldBrigade,
        ("staff", "role") => T::StaffColRole,
        ("staff", "phone") => T::FieldPhone,
        ("staff", "hire_date") => T::StaffFieldHired,
        ("staff", "licence.number") => T::StaffFieldLicence,
        ("staff", "licence.expires") => T::StaffFieldLicenceExpires,
        ("staff", "permit.number") => T::StaffFieldPermit,
        ("staff", "permit.expires") => T::StaffFieldPermitExpires,
        ("staff", "dorm_room") => T::StaffFieldDorm,
        ("staff" | "swap", "status") => T::AuditColStatus,
        ("staff", "rest_days") => T::StaffFieldRest,
        ("staff", "notes") => T::FieldNotes,
        ("post", "client") => T::PostFieldClient,
        ("post", "site") | ("postday", "post") => T::PostFieldSite,
        ("post", "address") => T::FieldAddress,
        ("post" | "postday", "shifts") => T::PostFieldShifts,
        ("post", "orders") => T::PostFieldOrders,
        ("post", "operators") => T::PostColOperators,
        ("post", "closed") => T::AuditPostClosed,
        ("postday", "date") => T::GuardColDate,
        ("postday", "handover") => T::KeyHandover,
        ("postday", "patrols") => T::PostPatrols,
        ("postday", "audited") => T::KeyDayAudit,
        ("swap", "a") => T::SwapColA,
        ("swap", "b") => T::SwapColB,
        ("swap", "reason") => T::AuditReason,
        ("swap", "decided_by") => T::AuditSwapDecidedBy,
        ("operator", "account") => T::OpFieldAccount,
        ("operator", "role") => T::OpFieldRole,
        ("operator", "active") => T::OpColActive,
        _ => return complaint_field(field, lang),
    };
    t.get(lang).to_string()
}

/// A value as the audit trail records it (codes for choices), as people read it.
pub fn audit_value(kind: &str, field: &str, value: &str, lang: Lang) -> String {
    use crate::domain::{Brigade, Choice, Role, StaffRole, StaffStatus, SwapStatus};
    let label = match (kind, field) {
        ("staff" | "post", "brigade") => Brigade::from_code(value).map(|c| c.label(lang)),
        ("staff", "role") => StaffRole::from_code(value).map(|c| c.label(lang)),
        ("staff", "status") => StaffStatus::from_code(value).map(|c| c.label(lang)),
        ("swap", "status") => SwapStatus::from_code(value).map(|c| c.label(lang)),
        ("operator", "role") => Role::from_code(value).map(|c| c.label(lang)),
        ("client" | "complaint" | "visit", _) => return complaint_value(field, value, lang),
        _ => None,
    };
    label.map(str::to_string).unwrap_or_else(|| value.to_string())
}

/// Field errors as (field, sentence) pairs for a form.
pub fn field_messages(errors: &[crate::domain::FieldError], lang: Lang) -> Vec<(String, String)> {
    errors.iter().map(|e| (e.field.clone(), crate::i18n::invalid_text(&e.reason, lang))).collect()
}

pub fn service_error(e: &ServiceError, lang: Lang) -> String {
    match e {
        ServiceError::Conflict { label, by, at } => {
            let at = crate::i18n::dates::show_time(at.with_timezone(&chrono::Local).naive_local());
            fill(T::StatusConflict.get(lang), &[label, by, &at])
        }
        ServiceError::NotFound => T::StatusNotFound.get(lang).to_string(),
        ServiceError::Invalid(v) => fill(T::StatusFormErrors.get(lang), &[&v.len().to_string()]),
        ServiceError::Denied { managers, .. } if managers.is_empty() => T::DeniedNoManagers.get(lang).into(),
        ServiceError::Denied { managers, .. } => fill(T::DeniedApprove.get(lang), &[&managers.join(", ")]),
        ServiceError::Refused(r) => refusal(r, lang),
        ServiceError::NotOperator(account) => fill(T::ErrNotOperator.get(lang), &[account]),
        ServiceError::Forbidden { role, right } => fill(T::ErrForbidden.get(lang), &[role.label(lang), right_text(*right).get(lang)]),
        ServiceError::LastAdmin => T::ErrLastAdmin.get(lang).into(),
        ServiceError::NotDurable(d) => fill(T::StatusNotDurable.get(lang), &[d]),
        ServiceError::Store(s) => fill(T::StatusStoreError.get(lang), &[s]),
        ServiceError::Duty(r) => duty_refusal(r, lang),
        ServiceError::Logistics(r) => logistics_refusal(r, lang),
        ServiceError::Backup(e) => e.message(lang),
        ServiceError::DiskFull => T::StatusDiskFull.get(lang).into(),
        ServiceError::TooLarge { bytes, limit } => {
            use crate::server::protocol::megabytes;
            fill(T::StatusTooLarge.get(lang), &[&megabytes(*bytes), &megabytes(*limit)])
        }
    }
}

/// "夜班 2026-11-30 20:00–08:00 at GW-003 大门岗", naming a clashing shift.
fn shift_ref(s: &crate::domain::ShiftRef, lang: Lang) -> String {
    fill(
        T::DutyShiftRef.get(lang),
        &[&s.shift, &crate::i18n::dates::show(s.date), &s.start.format("%H:%M").to_string(), &s.end.format("%H:%M").to_string(), &s.post],
    )
}

pub fn ineligible(why: crate::domain::Ineligible, lang: Lang) -> String {
    use crate::domain::Ineligible as I;
    match why {
        I::OnLeave => T::InelOnLeave.get(lang).into(),
        I::Left => T::InelLeft.get(lang).into(),
        I::Brigade(b) => fill(T::InelBrigade.get(lang), &[b.label(lang)]),
        I::NoLicence => T::InelNoLicence.get(lang).into(),
        I::LicenceExpired(d) => fill(T::InelLicenceExpired.get(lang), &[&crate::i18n::dates::show(d)]),
        I::RestDay(w) => fill(T::InelRestDay.get(lang), &[crate::i18n::weekday(w, lang)]),
    }
}

/// A roster or attendance rule, as one sentence that names the rule (and the
/// clashing shift) and what to do.
pub fn duty_refusal(r: &crate::domain::DutyRefused, lang: Lang) -> String {
    use crate::domain::DutyRefused as D;
    match r {
        D::Ineligible { guard, why } => fill(T::RefIneligible.get(lang), &[guard, &ineligible(*why, lang)]),
        D::Overlap { guard, other } => fill(T::RefOverlap.get(lang), &[guard, &shift_ref(other, lang)]),
        D::Rest { guard, other, hours, gap_minutes } => {
            let gap = format!("{}:{:02}", gap_minutes / 60, gap_minutes % 60);
            fill(T::RefRest.get(lang), &[guard, &shift_ref(other, lang), &gap, &hours.to_string()])
        }
        D::AlreadyOnShift { guard } => fill(T::RefAlreadyOnShift.get(lang), &[guard]),
        D::NotOnShift { guard } => fill(T::RefNotOnShift.get(lang), &[guard]),
        D::OutOfRange { from, to } => fill(T::RefOutOfRange.get(lang), &[&from.to_string(), &to.to_string()]),
        D::NoSuchShift => T::RefNoSuchShift.get(lang).into(),
        D::CheckOutBeforeCheckIn => T::RefCheckOutBeforeIn.get(lang).into(),
        D::NotCheckedIn { guard } => fill(T::RefNotCheckedIn.get(lang), &[guard]),
        D::AlreadyCheckedIn { guard, at } => fill(T::RefAlreadyCheckedIn.get(lang), &[guard, &at.format("%H:%M").to_string()]),
        D::AlreadyCheckedOut { guard, at } => fill(T::RefAlreadyCheckedOut.get(lang), &[guard, &at.format("%H:%M").to_string()]),
        D::FutureTime => T::InvFutureTime.get(lang).into(),
        D::NotNow { now } => fill(T::RefNotNow.get(lang), &[&now.format("%H:%M").to_string()]),
        D::ShiftInUse { shift, count } => fill(T::RefShiftInUse.get(lang), &[shift, &count.to_string()]),
        D::ReasonRequired => T::RefReasonRequired.get(lang).into(),
        D::Changed { by } => fill(T::RefChanged.get(lang), &[by]),
        D::DayNotOver { until } => fill(T::RefDayNotOver.get(lang), &[&until.format("%m-%d %H:%M").to_string()]),
        D::Audited { by } => fill(T::RefAudited.get(lang), &[by]),
        D::AttendanceRecorded { guard } => fill(T::RefAttendanceRecorded.get(lang), &[guard]),
        D::TimeOutsideShift { from, to } => {
            fill(T::RefTimeOutsideShift.get(lang), &[&from.format("%m-%d %H:%M").to_string(), &to.format("%m-%d %H:%M").to_string()])
        }
        D::NotStarted { start } => fill(T::RefNotStarted.get(lang), &[&start.format("%m-%d %H:%M").to_string()]),
        D::BadSwap => T::RefBadSwap.get(lang).into(),
        D::SwapStarted { date, shift } => fill(T::RefSwapStarted.get(lang), &[&date.format("%m-%d").to_string(), shift]),
        D::SwapDecided => T::RefSwapDecided.get(lang).into(),
    }
}

/// The rule in two or three words, for a greyed entry in the pick list.
pub fn duty_rule_name(r: &crate::domain::DutyRefused, lang: Lang) -> String {
    use crate::domain::{DutyRefused as D, Ineligible as I};
    let t = match r {
        D::Ineligible { why, .. } => match why {
            I::OnLeave => T::RuleOnLeave,
            I::Left => T::RuleLeft,
            I::Brigade(_) => T::RuleBrigade,
            I::NoLicence => T::RuleNoLicence,
            I::LicenceExpired(_) => T::RuleLicenceExpired,
            I::RestDay(_) => T::RuleRestDay,
        },
        D::Overlap { .. } => T::RuleOverlap,
        D::Rest { .. } => T::RuleRest,
        _ => T::RuleOther,
    };
    t.get(lang).to_string()
}
