//! Operators and their roles.

use super::{Result, Service, ServiceError};
use crate::domain::{Meta, Operator, Right, Role};
use crate::store::{tx::abort, StoreError};

impl Service {
    pub fn operators(&self) -> Result<Vec<Operator>> {
        Ok(self.store.all::<Operator>()?)
    }

    /// The active operator behind an OS account, or a sentence saying how to become one.
    pub fn operator_for(&self, account: &str) -> Result<Operator> {
        match self.store.operator_by_account(account)? {
            Some(o) if o.active => Ok(o),
            _ => Err(ServiceError::NotOperator(account.to_string())),
        }
    }

    /// On a database without operators, `account` becomes its admin (the
    /// first OS account to open a new database). Returns whether it did.
    pub fn bootstrap_admin(&self, account: &str) -> Result<bool> {
        if self.store.count::<Operator>() > 0 {
            return Ok(false);
        }
        let now = self.clock.now();
        self.store
            .write(|tx| {
                if tx.next_seq("operator_bootstrap")? > 1 {
                    return Ok(false);
                }
                let o = Operator { id: 0, account: account.to_string(), role: Role::Admin, active: true, meta: Meta::new(account, now) };
                tx.insert(account, now, o)?;
                Ok(true)
            })
            .map_err(Into::into)
    }

    fn require(&self, actor: &str, right: Right) -> Result<Operator> {
        let me = self.operator_for(actor)?;
        if me.role.may(right) {
            Ok(me)
        } else {
            Err(ServiceError::Forbidden { role: me.role, right })
        }
    }

    /// Add or update an operator (admins only).
    pub fn set_operator(&self, actor: &str, account: &str, role: Role, active: bool) -> Result<Operator> {
        self.require(actor, Right::ManageOperators)?;
        let account = crate::domain::text::clean(account, false);
        if account.is_empty() {
            return Err(ServiceError::Invalid(vec![crate::domain::FieldError::new("account", crate::domain::Invalid::Required)]));
        }
        let mut errors = Vec::new();
        crate::domain::validate::check_len(&mut errors, "account", &account, crate::domain::limits::ACCOUNT);
        if !errors.is_empty() {
            return Err(ServiceError::Invalid(errors));
        }
        let now = self.clock.now();
        let existing = self.store.operator_by_account(&account)?;
        let admins = self.operators()?.iter().filter(|o| o.active && o.role == Role::Admin && o.account != account).count();
        if admins == 0 && (role != Role::Admin || !active) && existing.as_ref().is_some_and(|o| o.role == Role::Admin) {
            return Err(ServiceError::LastAdmin);
        }
        Ok(self.store.write(|tx| match &existing {
            Some(o) => {
                let Some(mut cur) = tx.get::<Operator>(o.id)? else {
                    return abort(StoreError::NotFound { kind: "operator", id: o.id });
                };
                cur.role = role;
                cur.active = active;
                tx.update(actor, now, cur)
            }
            None => tx.insert(actor, now, Operator { id: 0, account: account.clone(), role, active, meta: Meta::new(actor, now) }),
        })?)
    }
}
