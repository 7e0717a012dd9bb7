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
use std::future::Future;
use std::pin::Pin;
use std::task::{Context, Poll, Waker};

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
    name: &'static str,
    /// The slots held: `(ticket, answered at)`, `None` while the request is in flight.
    held: Vec<(u64, Option<f64>)>,
    /// `(priority, ticket, waker of a parked request)`, sorted: the first is served first.
    waiting: Vec<(f64, u64, Option<Waker>)>,
}

impl Endpoint {
    /// Frees the slots whose window after their answer has passed (one in flight stays held).
    fn release_expired(&mut self, now: f64) {
        self.held.retain(|&(_, answered)| answered.is_none_or(|t| t > now - WINDOW_MS));
    }
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
    /// the request ends, however it ends. The slot is taken at once when nobody is in line for
    /// it and one is free (most requests of a client that is not busy); else the request joins
    /// the line at once.
    pub fn acquire<'a: 's, 's, H: Host>(&'a self, host: &'a H, endpoint: &'static str, priority: f64, signal: Option<&'s H::Signal>) -> Acquire<'a, 's, H> {
        let mut acquire = Acquire { limiter: self, host, signal, queued: None, granted: false, parked: false, sleep: None };
        if self.per_second != 0 {
            let (index, ticket) = self.ticket(endpoint);
            acquire.granted = self.take_if_free(index, ticket, host.now_ms());
            if !acquire.granted {
                self.join_line(index, ticket, priority);
            }
            acquire.queued = Some((index, ticket));
        }
        acquire
    }

    /// Wakes the parked requests at the front of the line: as many as could be served now, and
    /// one more to sleep until the next slot frees.
    fn wake_front(&self, endpoint: usize) {
        let wakers: Vec<Waker> = {
            let mut state = self.state.borrow_mut();
            let e = &mut state.endpoints[endpoint];
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

    fn answered(&self, endpoint: usize, ticket: u64, now: f64) {
        let line_waits = {
            let e = &mut self.state.borrow_mut().endpoints[endpoint];
            if let Some(held) = e.held.iter_mut().find(|(t, _)| *t == ticket) {
                held.1 = Some(now);
            }
            !e.waiting.is_empty()
        };
        // When the slot frees is known now: the first in line may sleep for a shorter time.
        if line_waits {
            self.wake_front(endpoint);
        }
    }

    /// How many requests are waiting for a slot now (all endpoints).
    pub fn queued(&self) -> usize {
        self.state.borrow().endpoints.iter().map(|e| e.waiting.len()).sum()
    }

    /// A new ticket and the endpoint's id: `(endpoint id, ticket)`. Endpoints are interned and
    /// never removed, so a queued request and a slot hold an index, not the name.
    fn ticket(&self, endpoint: &'static str) -> (usize, u64) {
        let mut state = self.state.borrow_mut();
        let ticket = state.next_ticket;
        state.next_ticket += 1;
        let index = match state.endpoints.iter().position(|e| e.name == endpoint) {
            Some(i) => i,
            None => {
                state.endpoints.push(Endpoint { name: endpoint, held: Vec::new(), waiting: Vec::new() });
                state.endpoints.len() - 1
            }
        };
        (index, ticket)
    }

    /// Takes a slot for `ticket` if nobody is in line and one is free. Its own small function,
    /// apart from `try_take` and the line: V8 compiles a wasm function whole on its first call,
    /// and a client's first request takes this path (cold start, BENCHMARKS.md).
    fn take_if_free(&self, endpoint: usize, ticket: u64, now: f64) -> bool {
        let e = &mut self.state.borrow_mut().endpoints[endpoint];
        if !e.waiting.is_empty() {
            return false;
        }
        e.release_expired(now);
        let free = e.held.len() < self.per_second as usize;
        if free {
            e.held.push((ticket, None));
        }
        free
    }

    /// Joins the line, after every equal priority: first come, first served among equals.
    fn join_line(&self, endpoint: usize, ticket: u64, priority: f64) {
        let waiting = &mut self.state.borrow_mut().endpoints[endpoint].waiting;
        let at = waiting.partition_point(|w| w.0 <= priority);
        waiting.insert(at, (priority, ticket, None));
    }

    /// Joins the line (`ticket` and `join_line`), for the tests.
    #[cfg(test)]
    fn enqueue(&self, endpoint: &'static str, priority: f64) -> (usize, u64) {
        let (index, ticket) = self.ticket(endpoint);
        self.join_line(index, ticket, priority);
        (index, ticket)
    }

    /// Takes the slot (`None`) if this ticket's turn has come, else says when to look again and
    /// how many stand between it and the next slot to free (0: it is next).
    fn try_take(&self, endpoint: usize, ticket: u64, now: f64) -> Option<(f64, usize)> {
        let mut state = self.state.borrow_mut();
        let e = &mut state.endpoints[endpoint];
        e.release_expired(now);
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

    fn leave(&self, endpoint: usize, ticket: u64) {
        let was_waiting = {
            let waiting = &mut self.state.borrow_mut().endpoints[endpoint].waiting;
            let before = waiting.len();
            waiting.retain(|w| w.1 != ticket);
            waiting.len() != before
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
    held: Option<(&'a Limiter, usize, u64, f64)>,
}

impl Slot<'_> {
    /// The request got its answer (or failed) at `now`: the slot frees one window later.
    pub fn answered(mut self, now: f64) {
        if let Some((limiter, endpoint, ticket, _)) = self.held.take() {
            limiter.answered(endpoint, ticket, now);
        }
    }
}

impl Drop for Slot<'_> {
    fn drop(&mut self) {
        if let Some((limiter, endpoint, ticket, granted_at)) = self.held.take() {
            limiter.answered(endpoint, ticket, granted_at);
        }
    }
}

/// The future of [`Limiter::acquire`], written out by hand: thousands of requests can wait in
/// line at once (a fleet of waits), and an `async fn` kept its arguments and both ways of
/// waiting side by side (184 bytes in wasm32, against 40 here). The first in line, and a
/// request with a signal, sleep through the host until a slot is estimated to free; the others
/// park without a timer until `wake_front` takes their waker. Dropped while in line (aborted,
/// or its caller gone), it leaves the line.
pub struct Acquire<'a, 's, H: Host> {
    limiter: &'a Limiter,
    host: &'a H,
    signal: Option<&'s H::Signal>,
    /// `(endpoint id, ticket)` while in line or granted; `None` once served, or when the
    /// limiter is off.
    queued: Option<(usize, u64)>,
    /// The slot was free when asked for: taken already, handed over on the first poll (which
    /// counts as its grant: a `Slot` dropped unanswered frees a window after that).
    granted: bool,
    /// A waker is registered in the line (parked).
    parked: bool,
    /// Boxed: only the first in line sleeps, so the parked ones keep no room for a sleep.
    sleep: Option<Sleep<'s>>,
}

type Sleep<'s> = Pin<Box<dyn Future<Output = Result<(), Aborted>> + 's>>;

impl<'a: 's, 's, H: Host> Future for Acquire<'a, 's, H> {
    type Output = Result<Slot<'a>, Aborted>;

    fn poll(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Self::Output> {
        let this = &mut *self; // Unpin: every field is
        match this.queued {
            None => Poll::Ready(Ok(Slot { held: None })),
            Some((endpoint, ticket)) if this.granted => {
                this.queued = None;
                Poll::Ready(Ok(Slot { held: Some((this.limiter, endpoint, ticket, this.host.now_ms())) }))
            }
            Some(_) => this.poll_in_line(cx),
        }
    }
}

impl<'a: 's, 's, H: Host> Acquire<'a, 's, H> {
    /// Waiting in line: apart from `poll`, so a request that found its slot free never
    /// compiles it (V8 compiles a wasm function whole on its first call).
    #[inline(never)]
    fn poll_in_line(&mut self, cx: &mut Context<'_>) -> Poll<<Self as Future>::Output> {
        let this = self;
        // `poll` called this only while queued; if not, there is nothing to wait for.
        let Some((endpoint, ticket)) = this.queued else {
            return Poll::Ready(Ok(Slot { held: None }));
        };
        let limiter = this.limiter;
        loop {
            if let Some(sleep) = &mut this.sleep {
                match sleep.as_mut().poll(cx) {
                    Poll::Pending => return Poll::Pending,
                    Poll::Ready(woke) => {
                        this.sleep = None;
                        woke?; // aborted: leaves the line when dropped
                    }
                }
            }
            if this.parked {
                let mut state = limiter.state.borrow_mut();
                if let Some(w) = state.endpoints[endpoint].waiting.iter_mut().find(|w| w.1 == ticket) {
                    // Still parked (polled for another reason): keep the newest waker.
                    if let Some(waker) = &mut w.2 {
                        waker.clone_from(cx.waker());
                        return Poll::Pending;
                    }
                }
                this.parked = false; // woken: `wake_front` took the waker
            }
            let now = this.host.now_ms();
            match limiter.try_take(endpoint, ticket, now) {
                None => {
                    this.queued = None;
                    limiter.wake_front(endpoint); // the next in line may be served too, or take the timer
                    return Poll::Ready(Ok(Slot { held: Some((limiter, endpoint, ticket, now)) }));
                }
                Some((at, rank)) if rank == 0 || this.signal.is_some() => {
                    this.sleep = Some(Box::pin(this.host.sleep((at - now).max(1.0), this.signal)));
                }
                Some(_) => {
                    let mut state = limiter.state.borrow_mut();
                    match state.endpoints[endpoint].waiting.iter_mut().find(|w| w.1 == ticket) {
                        Some(w) => {
                            w.2 = Some(cx.waker().clone());
                            this.parked = true;
                            return Poll::Pending;
                        }
                        None => continue, // not in line (cannot happen while queued): look again
                    }
                }
            }
        }
    }
}

impl<H: Host> Drop for Acquire<'_, '_, H> {
    fn drop(&mut self) {
        match self.queued.take() {
            // Granted but never handed over: the request never went out.
            Some((endpoint, ticket)) if self.granted => self.limiter.answered(endpoint, ticket, self.host.now_ms()),
            Some((endpoint, ticket)) => {
                self.sleep = None; // before leaving: a sleep may wake the line
                self.limiter.leave(endpoint, ticket);
            }
            None => {}
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::test_support::{block_on, FakeHost};

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
        let (e, late) = limiter.enqueue("e", 500.0);
        let (_, early) = limiter.enqueue("e", 100.0);
        assert!(limiter.try_take(e, late, now).is_some() && limiter.try_take(e, early, now).is_some());
        let next_window = now + WINDOW_MS;
        assert!(limiter.try_take(e, late, next_window).is_some(), "the later priority waits");
        assert_eq!(limiter.try_take(e, early, next_window), None, "the earlier priority goes first");
        limiter.answered(e, early, next_window);
        assert_eq!(limiter.try_take(e, late, next_window + WINDOW_MS), None);
    }

    #[test]
    fn a_request_in_flight_holds_its_slot() {
        let host = FakeHost::new(0.5);
        let limiter = Limiter::new(1);
        let slot = block_on(limiter.acquire(&host, "e", 0.0, None)).unwrap();
        let (e, next) = limiter.enqueue("e", 0.0);
        // However long the answer takes, the next request waits for it (and a window more).
        assert!(limiter.try_take(e, next, host.now_ms() + 60_000.0).is_some());
        slot.answered(host.now_ms() + 60_000.0);
        assert!(limiter.try_take(e, next, host.now_ms() + 60_000.0 + WINDOW_MS - 1.0).is_some());
        assert_eq!(limiter.try_take(e, next, host.now_ms() + 60_000.0 + WINDOW_MS), None);
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

    #[test]
    fn a_free_slot_is_taken_at_once_but_never_ahead_of_the_line() {
        let host = FakeHost::new(0.5);
        let limiter = Limiter::new(1);
        let first = block_on(limiter.acquire(&host, "e", 0.0, None)).unwrap();
        assert_eq!((host.now_ms(), limiter.queued()), (host.start, 0), "a free slot: no wait, no line");
        let waiting = limiter.acquire(&host, "e", 0.0, None);
        assert_eq!(limiter.queued(), 1, "no free slot: in line at once");
        first.answered(host.now_ms());
        host.sleep_for(WINDOW_MS); // the slot is free again, but one request is in line for it
        let late = limiter.acquire(&host, "e", 0.0, None);
        assert_eq!(limiter.queued(), 2, "a free slot does not let a newcomer pass the line");
        drop((waiting, late));
        assert_eq!(limiter.queued(), 0);
    }

    #[test]
    fn a_slot_granted_but_never_handed_over_frees_a_window_later() {
        let host = FakeHost::new(0.5);
        let limiter = Limiter::new(1);
        drop(limiter.acquire(&host, "e", 0.0, None)); // granted at once, then its caller went away
        let (e, next) = limiter.enqueue("e", 0.0);
        assert!(limiter.try_take(e, next, host.now_ms() + WINDOW_MS - 1.0).is_some(), "held as if it had been sent");
        assert_eq!(limiter.try_take(e, next, host.now_ms() + WINDOW_MS), None);
    }

    /// A waker that counts its wakes.
    struct Count(std::sync::atomic::AtomicUsize);
    impl std::task::Wake for Count {
        fn wake(self: std::sync::Arc<Self>) {
            self.0.fetch_add(1, std::sync::atomic::Ordering::SeqCst);
        }
    }

    #[test]
    fn those_behind_the_first_park_without_a_timer_and_are_woken_in_turn() {
        use std::sync::{atomic::Ordering, Arc};
        let host = FakeHost::new(0.5);
        let limiter = Limiter::new(1);
        block_on(limiter.acquire(&host, "e", 0.0, None)).unwrap().answered(host.now_ms());
        let (second_woken, third_woken) = (Arc::new(Count(0.into())), Arc::new(Count(0.into())));
        let (second_waker, third_waker) = (second_woken.clone().into(), third_woken.clone().into());
        let mut second = Box::pin(limiter.acquire(&host, "e", 1.0, None));
        let mut third = Box::pin(limiter.acquire(&host, "e", 2.0, None));
        let mut fourth = Box::pin(limiter.acquire(&host, "e", 3.0, None));
        // Third and fourth in line: parked, no sleep (the fake host would record one).
        assert!(third.as_mut().poll(&mut Context::from_waker(&third_waker)).is_pending());
        assert!(third.as_mut().poll(&mut Context::from_waker(&third_waker)).is_pending(), "a second poll while parked stays parked");
        assert!(fourth.as_mut().poll(&mut Context::from_waker(&third_waker)).is_pending());
        assert!(host.sleeps().is_empty());
        // A parked request that goes away leaves the line.
        drop(fourth);
        assert_eq!(limiter.queued(), 2);
        // The first in line sleeps until the slot frees, takes it, and wakes the next.
        let Poll::Ready(Ok(slot)) = second.as_mut().poll(&mut Context::from_waker(&second_waker)) else { panic!("the first in line is served") };
        assert_eq!(host.sleeps().len(), 1);
        assert_eq!(third_woken.0.load(Ordering::SeqCst), 1, "the next in line is woken");
        assert_eq!(second_woken.0.load(Ordering::SeqCst), 0);
        slot.answered(host.now_ms());
        let Poll::Ready(Ok(slot)) = third.as_mut().poll(&mut Context::from_waker(&third_waker)) else { panic!("the woken request is served") };
        slot.answered(host.now_ms());
        assert_eq!(limiter.queued(), 0);
    }

    /// A queued request is what thousands of waits hold at once (BENCHMARKS.md, fleet).
    #[test]
    fn a_request_in_line_is_small() {
        let host = FakeHost::new(0.5);
        let limiter = Limiter::new(1);
        let _in_flight = limiter.acquire(&host, "e", 0.0, None);
        let queued = limiter.acquire(&host, "e", 0.0, None);
        // 64-bit; 48 bytes in wasm32. The `async fn` it replaced: 256 (184 in wasm32).
        assert!(std::mem::size_of_val(&queued) <= 72, "{} bytes", std::mem::size_of_val(&queued));
    }
}
