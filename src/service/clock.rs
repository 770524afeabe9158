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

/// A clock tests move by hand (shared: keep one handle, give the service another).
pub struct ManualClock(std::sync::Mutex<DateTime<Utc>>);

impl ManualClock {
    pub fn new(at: DateTime<Utc>) -> std::sync::Arc<ManualClock> {
        std::sync::Arc::new(ManualClock(std::sync::Mutex::new(at)))
    }
    pub fn set(&self, at: DateTime<Utc>) {
        if let Ok(mut t) = self.0.lock() {
            *t = at;
        }
    }
    fn get(&self) -> DateTime<Utc> {
        self.0.lock().map(|t| *t).unwrap_or_else(|p| *p.into_inner())
    }
}

/// Like `FixedClock`, its time reads as local time.
impl Clock for std::sync::Arc<ManualClock> {
    fn now(&self) -> DateTime<Utc> {
        self.get()
    }
    fn today(&self) -> NaiveDate {
        self.get().date_naive()
    }
    fn local_now(&self) -> NaiveDateTime {
        self.get().naive_utc()
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
