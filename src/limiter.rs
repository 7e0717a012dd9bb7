//! A request budget per endpoint, shared by every call and every wait on one client.
//!
//! Zilliz Cloud allows 20 requests per second per API key and endpoint. A dashboard or worker that
//! follows thousands of jobs at once must share that budget rather than collect 429s, so every
//! request first takes a slot here:
//! - A slot is held from its grant until one window ([`WINDOW_MS`], a second and a little) after
//!   the request's *answer*: the server counted the request when it arrived, which is no later
//!   than the answer, however late a busy event loop actually sent it. So any `per_second + 1`
//!   requests arrive more than a second apart, and at most `per_second` are in flight at once.
//! - Waiting requests are served in priority order, lowest first. Waits pass the time their job is
//!   expected to end (else the time the poll fell due) and one-off calls pass "now", so polls of
//!   jobs near their ETA go first and nobody starves (a due time only gets older).
//! - Nothing here owns a timer. The first request in line that cannot be served yet sleeps
//!   (through the host) until a slot is estimated to free, then checks again; the ones behind it
//!   park without a timer and are woken when the line moves (a grant, an answer, a request
//!   leaving). So 10,000 queued polls cost 10,000 parked futures, not 10,000 timers firing. A
//!   request with an abort signal always sleeps on a timer instead (so the abort is heard at once).
//!   A request whose wait ends (granted, aborted, dropped) leaves the queue at once.
//!
//! Pure and single-threaded (wasm has one thread): unit-tested with the fake host.

use crate::host::{Aborted, Host};
use std::cell::RefCell;
use std::future::poll_fn;
use std::task::{Poll, Waker};

pub const DEFAULT_PER_SECOND: u32 = 20;
pub const MAX_PER_SECOND: u32 = 10_000;
/// One second, and a margin for timer and clock granularity.
pub const WINDOW_MS: f64 = 1_010.0;

pub struct Limiter {
    per_second: u32,
    state: RefCell<State>,
}

#[derive(Default)]
struct State {
    endpoints: Vec<Endpoint>,
    next_ticket: u64,
}

struct Endpoint {
    name: String,
    /// The slots held: `(ticket, answered at)`, `None` while the request is in flight.
    held: Vec<(u64, Option<f64>)>,
    /// `(priority, ticket, waker of a parked request)`, sorted: the first is served first.
    waiting: Vec<(f64, u64, Option<Waker>)>,
}

impl Limiter {
    /// `per_second == 0` turns the limiter off.
    pub fn new(per_second: u32) -> Self {
        Limiter { per_second, state: RefCell::default() }
    }

    pub fn per_second(&self) -> u32 {
        self.per_second
    }

    /// Waits for a slot on `endpoint` (e.g. `"GET /v2/jobs/{id}"`). Call [`Slot::answered`] when
    /// the request ends, however it ends.
    pub async fn acquire<H: Host>(&self, host: &H, endpoint: &str, priority: f64, signal: Option<&H::Signal>) -> Result<Slot<'_>, Aborted> {
        if self.per_second == 0 {
            return Ok(Slot { held: None });
        }
        let ticket = self.enqueue(endpoint, priority);
        let _leave = Leave { limiter: self, endpoint, ticket };
        loop {
            let now = host.now_ms();
            match self.try_take(endpoint, ticket, now) {
                None => {
                    self.wake_front(endpoint); // the next in line may be served too, or take the timer
                    return Ok(Slot { held: Some((self, endpoint.to_owned(), ticket, now)) });
                }
                Some((at, 0)) => host.sleep((at - now).max(1.0), signal).await?,
                Some((at, _)) if signal.is_some() => host.sleep((at - now).max(1.0), signal).await?,
                Some(_) => self.park(endpoint, ticket).await,
            }
        }
    }

    /// Waits without a timer until `wake_front` reaches this ticket.
    async fn park(&self, endpoint: &str, ticket: u64) {
        let mut registered = false;
        poll_fn(|cx| {
            let mut state = self.state.borrow_mut();
            let entry = state.endpoints.iter_mut().find(|e| e.name == endpoint).and_then(|e| e.waiting.iter_mut().find(|w| w.1 == ticket));
            match entry {
                // Woken: `wake_front` took the waker.
                Some(w) if registered && w.2.is_none() => Poll::Ready(()),
                Some(w) => {
                    w.2 = Some(cx.waker().clone());
                    registered = true;
                    Poll::Pending
                }
                None => Poll::Ready(()),
            }
        })
        .await
    }

    /// Wakes the parked requests at the front of the line: as many as could be served now, and
    /// one more to sleep until the next slot frees.
    fn wake_front(&self, endpoint: &str) {
        let wakers: Vec<Waker> = {
            let mut state = self.state.borrow_mut();
            let Some(e) = state.endpoints.iter_mut().find(|e| e.name == endpoint) else { return };
            let free = (self.per_second as usize).saturating_sub(e.held.len());
            let mut wakers = Vec::new();
            for w in e.waiting.iter_mut().take(free + 1) {
                wakers.extend(w.2.take());
            }
            wakers
        };
        // Outside the borrow: a waker may poll at once on some executors.
        for waker in wakers {
            waker.wake();
        }
    }

    fn answered(&self, endpoint: &str, ticket: u64, now: f64) {
        {
            let mut state = self.state.borrow_mut();
            if let Some(e) = state.endpoints.iter_mut().find(|e| e.name == endpoint) {
                if let Some(held) = e.held.iter_mut().find(|(t, _)| *t == ticket) {
                    held.1 = Some(now);
                }
            }
        }
        // When the slot frees is known now: the first in line may sleep for a shorter time.
        self.wake_front(endpoint);
    }

    /// How many requests are waiting for a slot now (all endpoints).
    pub fn queued(&self) -> usize {
        self.state.borrow().endpoints.iter().map(|e| e.waiting.len()).sum()
    }

    fn enqueue(&self, endpoint: &str, priority: f64) -> u64 {
        let mut state = self.state.borrow_mut();
        let ticket = state.next_ticket;
        state.next_ticket += 1;
        let index = match state.endpoints.iter().position(|e| e.name == endpoint) {
            Some(i) => i,
            None => {
                state.endpoints.push(Endpoint { name: endpoint.to_owned(), held: Vec::new(), waiting: Vec::new() });
                state.endpoints.len() - 1
            }
        };
        let waiting = &mut state.endpoints[index].waiting;
        // After every equal priority: first come, first served among equals.
        let at = waiting.partition_point(|w| w.0 <= priority);
        waiting.insert(at, (priority, ticket, None));
        ticket
    }

    /// Takes the slot (`None`) if this ticket's turn has come, else says when to look again and
    /// how many stand between it and the next slot to free (0: it is next).
    fn try_take(&self, endpoint: &str, ticket: u64, now: f64) -> Option<(f64, usize)> {
        let mut state = self.state.borrow_mut();
        let e = state.endpoints.iter_mut().find(|e| e.name == endpoint)?;
        e.held.retain(|&(_, answered)| answered.is_none_or(|t| t > now - WINDOW_MS));
        let rank = e.waiting.iter().position(|w| w.1 == ticket)?;
        let free_now = (self.per_second as usize).saturating_sub(e.held.len());
        if rank < free_now {
            e.waiting.remove(rank);
            e.held.push((ticket, None));
            return None;
        }
        // The (rank - free_now)-th slot to free up: answered ones in order, one window after their
        // answer; beyond those (requests still in flight), a guess of one spacing each.
        let j = rank - free_now;
        // Kept sorted as they are collected (a handful of slots; no sort machinery in the .wasm).
        let mut frees: Vec<f64> = Vec::with_capacity(e.held.len());
        for free in e.held.iter().filter_map(|&(_, answered)| answered.map(|t| t + WINDOW_MS)) {
            frees.insert(frees.partition_point(|&f| f <= free), free);
        }
        let spacing = WINDOW_MS / self.per_second as f64;
        let at = match frees.get(j) {
            Some(&t) => t,
            None => frees.last().copied().unwrap_or(now + WINDOW_MS) + (j + 1 - frees.len()) as f64 * spacing,
        };
        Some((at.max(now + 1.0), j))
    }

    fn leave(&self, endpoint: &str, ticket: u64) {
        let was_waiting = {
            let mut state = self.state.borrow_mut();
            match state.endpoints.iter_mut().find(|e| e.name == endpoint) {
                Some(e) => {
                    let before = e.waiting.len();
                    e.waiting.retain(|w| w.1 != ticket);
                    e.waiting.len() != before
                }
                None => false,
            }
        };
        // An aborted request may have been the one holding the timer for those behind it.
        if was_waiting {
            self.wake_front(endpoint);
        }
    }
}

/// A granted slot (nothing when the limiter is off). Say when the request was answered; dropped
/// without that (the request never went out), it counts as answered when it was granted.
#[must_use = "call Slot::answered when the request ends"]
pub struct Slot<'a> {
    held: Option<(&'a Limiter, String, u64, f64)>,
}

impl Slot<'_> {
    /// The request got its answer (or failed) at `now`: the slot frees one window later.
    pub fn answered(mut self, now: f64) {
        if let Some((limiter, endpoint, ticket, _)) = self.held.take() {
            limiter.answered(&endpoint, ticket, now);
        }
    }
}

impl Drop for Slot<'_> {
    fn drop(&mut self) {
        if let Some((limiter, endpoint, ticket, granted_at)) = self.held.take() {
            limiter.answered(&endpoint, ticket, granted_at);
        }
    }
}

/// Leaves the queue however the wait ends (granted, aborted, or the future dropped).
struct Leave<'a> {
    limiter: &'a Limiter,
    endpoint: &'a str,
    ticket: u64,
}

impl Drop for Leave<'_> {
    fn drop(&mut self) {
        self.limiter.leave(self.endpoint, self.ticket);
    }
}

/// The endpoint a path belongs to, as the server counts them: ids become `{id}`, the query goes.
pub fn endpoint_of(method: &str, path: &str) -> String {
    // Byte loops, not `split`: this runs before every request (and a lazily compiling runtime
    // compiles `str` searchers on first use: cold start, BENCHMARKS.md).
    let path = &path[..path.bytes().position(|b| b == b'?').unwrap_or(path.len())];
    let mut out = String::with_capacity(method.len() + 1 + path.len());
    out.push_str(method);
    out.push(' ');
    let (mut previous, mut rest) = ("", path);
    loop {
        let end = rest.bytes().position(|b| b == b'/').unwrap_or(rest.len());
        let segment = &rest[..end];
        let is_id = matches!(previous, "clusters" | "jobs") || (previous == "backups" && !matches!(segment, "create" | "policy"));
        out.push_str(if is_id && !segment.is_empty() { "{id}" } else { segment });
        if end == rest.len() {
            return out;
        }
        out.push('/');
        (previous, rest) = (segment, &rest[end + 1..]);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::test_support::{block_on, FakeHost};

    #[test]
    fn endpoints_are_named_as_the_server_counts_them() {
        assert_eq!(endpoint_of("GET", "/v2/jobs/job-1"), "GET /v2/jobs/{id}");
        assert_eq!(endpoint_of("GET", "/v2/backups?clusterId=a&pageSize=5"), "GET /v2/backups");
        assert_eq!(endpoint_of("POST", "/v2/clusters/in01-1/backups/create"), "POST /v2/clusters/{id}/backups/create");
        assert_eq!(endpoint_of("GET", "/v2/clusters/in01-1/backups/policy"), "GET /v2/clusters/{id}/backups/policy");
        assert_eq!(endpoint_of("DELETE", "/v2/clusters/in01-1/backups/b1"), "DELETE /v2/clusters/{id}/backups/{id}");
        assert_eq!(endpoint_of("POST", "/v2/clusters/c/backups/b/restoreCollection"), "POST /v2/clusters/{id}/backups/{id}/restoreCollection");
    }

    #[test]
    fn at_most_per_second_slots_in_any_window() {
        let host = FakeHost::new(0.5);
        let limiter = Limiter::new(5);
        let mut times = Vec::new();
        let mut answers = Vec::new();
        for _ in 0..23 {
            let slot = block_on(limiter.acquire(&host, "GET /v2/jobs/{id}", host.now_ms(), None)).unwrap();
            times.push(host.now_ms() - host.start);
            host.sleep_for(30.0); // the request takes 30 ms
            answers.push(host.now_ms() - host.start);
            slot.answered(host.now_ms());
        }
        // Five at once (each answered 30 ms later), then each slot one window after the answer
        // of the request whose slot it takes: requests 6 apart arrive more than a second apart.
        assert_eq!(times[4], 120.0);
        for (i, t) in times.iter().enumerate().skip(5) {
            assert!(t - answers[i - 5] >= WINDOW_MS, "slot {i} at {t} is within a window of answer {}", i - 5);
        }
        assert_eq!(limiter.queued(), 0);
    }

    #[test]
    fn endpoints_have_separate_budgets() {
        let host = FakeHost::new(0.5);
        let limiter = Limiter::new(2);
        for endpoint in ["GET /v2/jobs/{id}", "GET /v2/jobs/{id}", "GET /v2/backups", "GET /v2/backups"] {
            let _in_flight = block_on(limiter.acquire(&host, endpoint, host.now_ms(), None)).unwrap();
        }
        assert_eq!(host.now_ms(), host.start, "four slots on two endpoints need no wait");
    }

    #[test]
    fn off_when_zero() {
        let host = FakeHost::new(0.5);
        let limiter = Limiter::new(0);
        for _ in 0..1000 {
            let _ = block_on(limiter.acquire(&host, "GET /v2/jobs/{id}", 0.0, None)).unwrap();
        }
        assert_eq!(host.now_ms(), host.start);
    }

    #[test]
    fn the_lowest_priority_value_is_served_first() {
        let host = FakeHost::new(0.5);
        let limiter = Limiter::new(1);
        let slot = block_on(limiter.acquire(&host, "e", 0.0, None)).unwrap(); // uses the slot
        let now = host.now_ms();
        slot.answered(now);
        let late = limiter.enqueue("e", 500.0);
        let early = limiter.enqueue("e", 100.0);
        assert!(limiter.try_take("e", late, now).is_some() && limiter.try_take("e", early, now).is_some());
        let next_window = now + WINDOW_MS;
        assert!(limiter.try_take("e", late, next_window).is_some(), "the later priority waits");
        assert_eq!(limiter.try_take("e", early, next_window), None, "the earlier priority goes first");
        limiter.answered("e", early, next_window);
        assert_eq!(limiter.try_take("e", late, next_window + WINDOW_MS), None);
    }

    #[test]
    fn a_request_in_flight_holds_its_slot() {
        let host = FakeHost::new(0.5);
        let limiter = Limiter::new(1);
        let slot = block_on(limiter.acquire(&host, "e", 0.0, None)).unwrap();
        let next = limiter.enqueue("e", 0.0);
        // However long the answer takes, the next request waits for it (and a window more).
        assert!(limiter.try_take("e", next, host.now_ms() + 60_000.0).is_some());
        slot.answered(host.now_ms() + 60_000.0);
        assert!(limiter.try_take("e", next, host.now_ms() + 60_000.0 + WINDOW_MS - 1.0).is_some());
        assert_eq!(limiter.try_take("e", next, host.now_ms() + 60_000.0 + WINDOW_MS), None);
    }

    #[test]
    fn an_aborted_wait_leaves_the_queue() {
        let host = FakeHost::new(0.5);
        let limiter = Limiter::new(1);
        let _in_flight = block_on(limiter.acquire(&host, "e", 0.0, None)).unwrap();
        let signal = crate::test_support::FakeSignal::at(host.now_ms() + 10.0);
        assert!(matches!(block_on(limiter.acquire(&host, "e", 0.0, Some(&signal))), Err(Aborted)));
        assert_eq!(limiter.queued(), 0);
    }
}
