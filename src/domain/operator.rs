//! Operators: the OS accounts that may use guardroom, and what each may do.

use super::audit::{Fielded, Meta};
use super::client::{choice, Choice};
use serde::{Deserialize, Serialize};

choice!(Role {
    Admin = "admin",
    Manager = "manager",
    CustomerService = "customer_service",
    Sales = "sales",
    Legal = "legal",
    Captain = "captain",
    PostOperator = "post_operator",
});

/// What an operation needs.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum Right {
    ReadClients,
    /// Contract terms and fees.
    ReadContracts,
    EditClients,
    ReadComplaints,
    /// Register, inform, resolve, follow up, close, escalate, correct.
    HandleComplaints,
    /// Record the investigation (人防部).
    Investigate,
    /// Approve deductions and compensation (核决权限).
    Approve,
    ManageOperators,
    LoadData,
    /// The audit trail of every change.
    ReadAudit,
    /// Staff, posts and rosters.
    ReadRosters,
    /// Keep staff and posts, plan rosters, request swaps.
    EditRosters,
    /// A post's screen: check in and out, handover, patrols.
    WorkPost,
    /// Correct attendance, mark a day audited, approve swaps (考勤审核).
    AuditAttendance,
    /// Dorm rooms and room checks, vehicles, trips, checks and accidents.
    DormVehicles,
    /// Write a backup of the whole database (admins only).
    Backup,
}

impl Right {
    pub const ALL: [Right; 16] = [
        Right::ReadClients,
        Right::ReadContracts,
        Right::EditClients,
        Right::ReadComplaints,
        Right::HandleComplaints,
        Right::Investigate,
        Right::Approve,
        Right::ManageOperators,
        Right::LoadData,
        Right::ReadAudit,
        Right::ReadRosters,
        Right::EditRosters,
        Right::WorkPost,
        Right::AuditAttendance,
        Right::DormVehicles,
        Right::Backup,
    ];
}

impl Role {
    pub fn may(self, right: Right) -> bool {
        use Right::*;
        use Role::*;
        match self {
            Admin => true,
            Manager => !matches!(right, ManageOperators | Backup),
            CustomerService => matches!(right, ReadClients | ReadContracts | EditClients | ReadComplaints | HandleComplaints),
            Sales => matches!(right, ReadClients | ReadContracts | EditClients | ReadComplaints),
            Legal => matches!(right, ReadClients | ReadContracts | ReadComplaints),
            Captain => matches!(
                right,
                ReadClients | ReadComplaints | Investigate | ReadRosters | EditRosters | WorkPost | AuditAttendance | DormVehicles
            ),
            // A post operator works the posts that name its account; it never sees contracts.
            PostOperator => matches!(right, WorkPost),
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Operator {
    pub id: u64,
    /// The OS account name.
    pub account: String,
    pub role: Role,
    pub active: bool,
    pub meta: Meta,
}

impl Fielded for Operator {
    fn fields(&self) -> Vec<(&'static str, String)> {
        vec![("account", self.account.clone()), ("role", self.role.code().into()), ("active", self.active.to_string())]
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_admins_manage_operators_and_post_operators_see_no_contracts() {
        for r in Role::ALL {
            assert_eq!(r.may(Right::ManageOperators), *r == Role::Admin, "{r:?}");
            assert_eq!(r.may(Right::Backup), *r == Role::Admin, "{r:?}");
        }
        assert!(!Role::PostOperator.may(Right::ReadContracts));
        assert!(Role::Manager.may(Right::Approve));
        assert!(!Role::CustomerService.may(Right::Approve));
        assert!(Role::Legal.may(Right::ReadContracts) && !Role::Legal.may(Right::EditClients));
        assert!(Role::Captain.may(Right::Investigate) && !Role::Captain.may(Right::ReadContracts));
        let auditors: Vec<Role> = Role::ALL.iter().copied().filter(|r| r.may(Right::ReadAudit)).collect();
        assert_eq!(auditors, [Role::Admin, Role::Manager]);
        let planners: Vec<Role> = Role::ALL.iter().copied().filter(|r| r.may(Right::EditRosters)).collect();
        assert_eq!(planners, [Role::Admin, Role::Manager, Role::Captain]);
        assert!(Role::PostOperator.may(Right::WorkPost) && !Role::PostOperator.may(Right::ReadClients));
    }
}
