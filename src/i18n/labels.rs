//! Labels for the domain's choice values and field problems.

use super::{fill, Lang, T};
use crate::domain::{
    Attendance, Brigade, Category, Channel, ClientKind, ClientStatus, ComplaintStatus, Invalid, LegalReview, Rating, Role, Services,
    StaffRole, StaffStatus, SwapStatus, Tier, VisitMethod,
};

pub trait Label {
    fn label(&self, lang: Lang) -> &'static str;
}

macro_rules! labels {
    ($ty:ty { $($var:path => $t:expr),+ $(,)? }) => {
        impl Label for $ty {
            fn label(&self, lang: Lang) -> &'static str {
                match self { $($var => $t.get(lang)),+ }
            }
        }
    };
}

labels!(ClientKind { ClientKind::Enterprise => T::KindEnterprise, ClientKind::Individual => T::KindIndividual });
labels!(Services { Services::Guarding => T::ServicesGuarding, Services::CloseProtection => T::ServicesCloseProtection, Services::Both => T::ServicesBoth });
labels!(Tier { Tier::Key => T::TierKey, Tier::Regular => T::TierRegular, Tier::Prospect => T::TierProspect });
labels!(ClientStatus {
    ClientStatus::Prospect => T::StatusProspect,
    ClientStatus::Active => T::StatusActive,
    ClientStatus::Suspended => T::StatusSuspended,
    ClientStatus::Ended => T::StatusEnded,
});
labels!(LegalReview {
    LegalReview::NotSubmitted => T::LegalNotSubmitted,
    LegalReview::Pending => T::LegalPending,
    LegalReview::Approved => T::LegalApproved,
    LegalReview::Rejected => T::LegalRejected,
});
labels!(Channel { Channel::Phone => T::ChannelPhone, Channel::Visit => T::ChannelVisit, Channel::Letter => T::ChannelLetter, Channel::Other => T::ChannelOther });
labels!(Category { Category::General => T::CatGeneral, Category::FeeDeduction => T::CatFee, Category::Unjustified => T::CatUnjustified });
labels!(ComplaintStatus {
    ComplaintStatus::Registered => T::CsRegistered,
    ComplaintStatus::Informed => T::CsInformed,
    ComplaintStatus::Investigating => T::CsInvestigating,
    ComplaintStatus::Resolved => T::CsResolved,
    ComplaintStatus::FollowedUp => T::CsFollowedUp,
    ComplaintStatus::Closed => T::CsClosed,
});
labels!(Role {
    Role::Admin => T::RoleAdmin,
    Role::Manager => T::RoleManager,
    Role::CustomerService => T::RoleCustomerService,
    Role::Sales => T::RoleSales,
    Role::Legal => T::RoleLegal,
    Role::Captain => T::RoleCaptain,
    Role::PostOperator => T::RolePostOperator,
});
labels!(Brigade { Brigade::Guard => T::BrigadeGuard, Brigade::CloseProtection => T::BrigadeCloseProtection, Brigade::Office => T::BrigadeOffice });
labels!(StaffRole {
    StaffRole::Guard => T::SroleGuard,
    StaffRole::Captain => T::SroleCaptain,
    StaffRole::Driver => T::SroleDriver,
    StaffRole::CustomerService => T::SroleCustomerService,
    StaffRole::Sales => T::SroleSales,
    StaffRole::Legal => T::SroleLegal,
    StaffRole::Coach => T::SroleCoach,
    StaffRole::Manager => T::SroleManager,
});
labels!(StaffStatus { StaffStatus::Active => T::SstatusActive, StaffStatus::OnLeave => T::SstatusOnLeave, StaffStatus::Left => T::SstatusLeft });
labels!(Attendance {
    Attendance::Scheduled => T::AttScheduled,
    Attendance::OnDuty => T::AttOnDuty,
    Attendance::Late => T::AttLate,
    Attendance::Absent => T::AttAbsent,
    Attendance::Relieved => T::AttRelieved,
    Attendance::OnLeave => T::AttOnLeave,
});
labels!(SwapStatus { SwapStatus::Pending => T::SwapPending, SwapStatus::Approved => T::SwapApproved, SwapStatus::Refused => T::SwapRefused });

/// 周一 … 周日 / Mon … Sun.
pub fn weekday(w: chrono::Weekday, lang: Lang) -> &'static str {
    let i = w.num_days_from_monday() as usize;
    match lang {
        Lang::Zh => ["周一", "周二", "周三", "周四", "周五", "周六", "周日"][i],
        Lang::En => ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"][i],
    }
}

labels!(VisitMethod { VisitMethod::OnSite => T::MethodOnSite, VisitMethod::Phone => T::MethodPhone });

impl Label for Rating {
    fn label(&self, _lang: Lang) -> &'static str {
        match self {
            Rating::A => "A",
            Rating::B => "B",
            Rating::C => "C",
            Rating::D => "D",
        }
    }
}

/// The sentence shown beside a refused field.
pub fn invalid_text(reason: &Invalid, lang: Lang) -> String {
    match reason {
        Invalid::Required => T::InvRequired.get(lang).into(),
        Invalid::TooLong { max } => fill(T::InvTooLong.get(lang), &[&max.to_string()]),
        Invalid::Phone => T::InvPhone.get(lang).into(),
        Invalid::Date => T::InvDate.get(lang).into(),
        Invalid::DateTime => T::InvDateTime.get(lang).into(),
        Invalid::EndBeforeStart => T::InvEndBeforeStart.get(lang).into(),
        Invalid::Money => T::InvMoney.get(lang).into(),
        Invalid::NotNegative => T::InvNotNegative.get(lang).into(),
        Invalid::Positive => T::InvPositive.get(lang).into(),
        Invalid::Range { min, max } => fill(T::InvRange.get(lang), &[&min.to_string(), &max.to_string()]),
        Invalid::KeyClientInterval => T::InvKeyInterval.get(lang).into(),
        Invalid::Future => T::InvFuture.get(lang).into(),
        Invalid::FutureTime => T::InvFutureTime.get(lang).into(),
        Invalid::PromiseLine { line } => fill(T::InvPromiseLine.get(lang), &[&line.to_string()]),
        Invalid::PromiseDate { line } => fill(T::InvPromiseDate.get(lang), &[&line.to_string()]),
        Invalid::DueBeforeVisit => T::InvDueBeforeVisit.get(lang).into(),
        Invalid::NotPicked => T::InvNotPicked.get(lang).into(),
        Invalid::FixedAfterResolution => T::InvFixedAfterResolution.get(lang).into(),
        Invalid::FixedAfterRegistration => T::InvFixedAfterRegistration.get(lang).into(),
        Invalid::AfterResolution => T::InvAfterResolution.get(lang).into(),
        Invalid::ShiftLine { line } => fill(T::InvShiftLine.get(lang), &[&line.to_string()]),
        Invalid::ShiftSameTimes { line } => fill(T::InvShiftSameTimes.get(lang), &[&line.to_string()]),
        Invalid::Headcount { line } => fill(T::InvHeadcount.get(lang), &[&line.to_string(), &crate::domain::MAX_HEADCOUNT.to_string()]),
        Invalid::ShiftNameTwice { line } => fill(T::InvShiftNameTwice.get(lang), &[&line.to_string()]),
        Invalid::TooMany { max } => fill(T::InvTooMany.get(lang), &[&max.to_string()]),
        Invalid::OfficeBrigade => T::InvOfficeBrigade.get(lang).into(),
        Invalid::RestDays(word) => fill(T::InvRestDays.get(lang), &[word]),
        Invalid::Time => T::InvTime.get(lang).into(),
        Invalid::UnknownAccount(a) => fill(T::InvUnknownAccount.get(lang), &[a]),
        Invalid::Twice => T::InvTwice.get(lang).into(),
        Invalid::OverCapacity { capacity } => fill(T::InvOverCapacity.get(lang), &[&capacity.to_string()]),
        Invalid::ReasonRequired => T::InvReasonRequired.get(lang).into(),
        Invalid::OdometerBackwards => T::InvOdometerBackwards.get(lang).into(),
        Invalid::Plate => T::InvPlate.get(lang).into(),
        Invalid::UnknownPerson(who) => fill(T::RoomUnknownPerson.get(lang), &[who]),
        Invalid::BeforeCheck => T::InvBeforeCheck.get(lang).into(),
        Invalid::ReportedBeforeAccident => T::InvReportedBefore.get(lang).into(),
    }
}
