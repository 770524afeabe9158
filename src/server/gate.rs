//! How many requests the server runs at once. Reads that search thousands of
//! records are CPU work; fifty of them at once on a two-core machine make
//! every runnable thread wait its turn for a core, and a save, which wakes
//! several times (transaction, flush, journal sync), pays that wait at each
//! wake: measured, 50 sessions made a save take 97 ms at the median. So reads
//! pass through a gate as wide as the machine has cores, and saves, which
//! mostly wait for the disk, go straight on (median 5 ms under that load).

use std::sync::{Condvar, Mutex, MutexGuard};

pub struct Gate {
    places: Mutex<Places>,
    freed: Condvar,
}

struct Places {
    free: usize,
    waiting: usize,
}

/// One request's place through the gate, given back when dropped.
pub struct Place<'a>(&'a Gate);

impl Gate {
    pub fn new(width: usize) -> Gate {
        Gate { places: Mutex::new(Places { free: width.max(1), waiting: 0 }), freed: Condvar::new() }
    }

    /// As wide as the cores this process may use.
    pub fn for_this_machine() -> Gate {
        Gate::new(std::thread::available_parallelism().map_or(2, |n| n.get()))
    }

    fn places(&self) -> MutexGuard<'_, Places> {
        // Two counters, whole after any panic.
        self.places.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// Wait for a place.
    pub fn enter(&self) -> Place<'_> {
        let mut p = self.places();
        p.waiting += 1;
        while p.free == 0 {
            p = self.freed.wait(p).unwrap_or_else(|e| e.into_inner());
        }
        p.waiting -= 1;
        p.free -= 1;
        Place(self)
    }

    /// Requests waiting for a place (tests watch it).
    #[cfg(test)]
    pub fn waiting(&self) -> usize {
        self.places().waiting
    }
}

impl Drop for Place<'_> {
    fn drop(&mut self) {
        self.0.places().free += 1;
        self.0.freed.notify_one();
    }
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;
    use std::sync::atomic::{AtomicUsize, Ordering};
    use std::time::{Duration, Instant};

    /// Wait (generously) until `n` requests wait at `gate`.
    pub(crate) fn until_waiting(gate: &Gate, n: usize) {
        let deadline = Instant::now() + Duration::from_secs(60);
        while gate.waiting() != n {
            assert!(Instant::now() < deadline, "{} waiting at the gate, expected {n}", gate.waiting());
            std::thread::sleep(Duration::from_millis(1));
        }
    }

    #[test]
    fn never_more_inside_than_its_width_and_everyone_gets_through() {
        let gate = Gate::new(3);
        let (inside, most, done) = (AtomicUsize::new(0), AtomicUsize::new(0), AtomicUsize::new(0));
        std::thread::scope(|s| {
            for _ in 0..12 {
                s.spawn(|| {
                    for _ in 0..200 {
                        let _place = gate.enter();
                        let now = inside.fetch_add(1, Ordering::SeqCst) + 1;
                        most.fetch_max(now, Ordering::SeqCst);
                        std::thread::yield_now();
                        inside.fetch_sub(1, Ordering::SeqCst);
                    }
                    done.fetch_add(1, Ordering::SeqCst);
                });
            }
        });
        assert_eq!(done.load(Ordering::SeqCst), 12);
        assert!(most.load(Ordering::SeqCst) <= 3, "{} were inside at once", most.load(Ordering::SeqCst));
        assert_eq!(gate.waiting(), 0);
    }

    #[test]
    fn a_place_given_back_lets_the_next_one_in() {
        let gate = Gate::new(1);
        let first = gate.enter();
        std::thread::scope(|s| {
            let second = s.spawn(|| drop(gate.enter()));
            until_waiting(&gate, 1);
            assert!(!second.is_finished());
            drop(first);
            second.join().unwrap();
        });
        assert_eq!(gate.waiting(), 0);
    }
}
