//! How many requests the server runs at once. Reads that search thousands of
//! records are CPU work; fifty of them at once on a two-core machine make
//! every runnable thread wait its turn for a core, and a save, which wakes
//! several times (transaction, flush, journal sync), pays that wait at each
//! wake: measured, 50 sessions made a save take 97 ms at the median. So reads
//! pass through a gate as wide as the machine has cores, in the order they
//! came; saves (mostly a wait for the disk), answers that take no work, and
//! the rare long writes (a backup, an import) go straight on (a save then
//! took 4.4 ms at the median under that load).

use std::collections::VecDeque;
use std::sync::{Arc, Condvar, Mutex, MutexGuard};

pub struct Gate {
    places: Mutex<Places>,
}

struct Places {
    free: usize,
    /// Waiting in the order they came; a place given back goes to the first.
    queue: VecDeque<Arc<Turn>>,
}

/// One waiter's turn: set when a place is handed to it.
#[derive(Default)]
struct Turn {
    given: Mutex<bool>,
    woken: Condvar,
}

/// One request's place through the gate, given back when dropped.
pub struct Place<'a>(&'a Gate);

/// Counters and flags stay whole after any panic.
fn lock<T>(m: &Mutex<T>) -> MutexGuard<'_, T> {
    m.lock().unwrap_or_else(|e| e.into_inner())
}

impl Gate {
    pub fn new(width: usize) -> Gate {
        Gate { places: Mutex::new(Places { free: width.max(1), queue: VecDeque::new() }) }
    }

    /// As wide as the cores this process may use.
    pub fn for_this_machine() -> Gate {
        Gate::new(std::thread::available_parallelism().map_or(2, |n| n.get()))
    }

    /// Wait for a place; those who came first get one first.
    pub fn enter(&self) -> Place<'_> {
        let turn = {
            let mut p = lock(&self.places);
            if p.free > 0 && p.queue.is_empty() {
                p.free -= 1;
                return Place(self);
            }
            let turn = Arc::new(Turn::default());
            p.queue.push_back(Arc::clone(&turn));
            turn
        };
        let mut given = lock(&turn.given);
        while !*given {
            given = turn.woken.wait(given).unwrap_or_else(|e| e.into_inner());
        }
        Place(self)
    }

    /// Requests waiting for a place (tests watch it).
    #[cfg(test)]
    pub fn waiting(&self) -> usize {
        lock(&self.places).queue.len()
    }
}

impl Drop for Place<'_> {
    /// The place goes straight to the first in the queue, so one arriving
    /// just now cannot take it first.
    fn drop(&mut self) {
        let mut p = lock(&self.0.places);
        match p.queue.pop_front() {
            Some(next) => {
                *lock(&next.given) = true;
                next.woken.notify_one();
            }
            None => p.free += 1,
        }
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
    fn places_go_in_the_order_requests_came() {
        let gate = Gate::new(1);
        let first = gate.enter();
        let order = Mutex::new(Vec::new());
        std::thread::scope(|s| {
            for n in 0..5 {
                // Each queued before the next comes.
                s.spawn({
                    let (gate, order) = (&gate, &order);
                    move || {
                        let _place = gate.enter();
                        lock(order).push(n);
                    }
                });
                until_waiting(&gate, n + 1);
            }
            // One coming just as a place is given back waits its turn too.
            drop(first);
            let _place = gate.enter();
            lock(&order).push(99);
        });
        assert_eq!(*lock(&order), vec![0, 1, 2, 3, 4, 99]);
        // A place given back with nobody waiting is free for the next.
        drop(gate.enter());
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
