use chrono::{DateTime, Local, NaiveDate, NaiveDateTime, Utc};

/// Time as the service sees it; tests fix it.
pub trait Clock: Send + Sync {
    fn now(&self) -> DateTime<Utc>;
    fn today(&self) -> NaiveDate;
    /// Wall-clock time where the operators are (complaint times are local).
    fn local_now(&self) -> NaiveDateTime;
}

pub struct SystemClock;

impl Clock for SystemClock {
    fn now(&self) -> DateTime<Utc> {
        Utc::now()
    }
    fn today(&self) -> NaiveDate {
        Local::now().date_naive()
    }
    fn local_now(&self) -> NaiveDateTime {
        Local::now().naive_local()
    }
}

pub struct FixedClock(pub DateTime<Utc>);

impl Clock for FixedClock {
    fn now(&self) -> DateTime<Utc> {
        self.0
    }
    fn today(&self) -> NaiveDate {
        self.0.date_naive()
    }
    /// A fixed clock reads its time as local time.
    fn local_now(&self) -> NaiveDateTime {
        self.0.naive_utc()
    }
}
