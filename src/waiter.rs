//! The poll loop that follows a job (or a backup) to its end: pure, knowing nothing of HTTP.
//!
//! Schedule. The first poll goes out at once. While nothing tells how far the job is, the pause
//! starts at `minIntervalMs` and doubles per poll up to `maxIntervalMs`. Once the running job's
//! progress has moved by at least [`MIN_PROGRESS_SPAN`] points (fewer give a rate too coarse to
//! trust: progress comes in whole percents), the rate gives an ETA and the pause is 70 % of the
//! time left (never below the minimum nor above the maximum): few polls while far from the end,
//! dense ones near it, so the end is seen within about `minIntervalMs`. A job past its ETA
//! (stalled, or slower than estimated) falls back to a pause restarted at the minimum and
//! doubling while nothing moves. Every pause gets ±20 % jitter so waits started together
//! spread out. Defaults: 1 s → 60 s; a 5-minute backup then costs ~15 requests and is seen done
//! about a second late.
//!
//! Guarantees: no sleep extends past the deadline (`timeoutMs`, default 1 h) and each request's
//! timeout is cut to the time left; the abort signal is checked before every poll and every
//! sleep, and interrupts both; every error carries the id of what was followed.
//!
//! Resumable: all the loop knows lives in [`WaitState`] (JSON-serialisable), so a short-lived
//! worker can poll within a time budget, store the state, and continue in a later invocation.

use crate::error::{Error, ErrorKind, Result};
use crate::host::Host;
use crate::validate;
use crate::json::{number_text, Fields, FromJson, Obj, Path, Problem, ToJson, Value};
use crate::text::cat;
use std::future::Future;

pub const DEFAULT_WAIT_TIMEOUT_MS: f64 = 3_600_000.0;
pub const MAX_WAIT_TIMEOUT_MS: f64 = 7.0 * 24.0 * 3_600_000.0;
pub const DEFAULT_MIN_INTERVAL_MS: f64 = 1_000.0;
pub const DEFAULT_MAX_INTERVAL_MS: f64 = 60_000.0;
/// Below this a poll loop is a busy loop (and the API allows 20 requests/s).
pub const MIN_INTERVAL_FLOOR_MS: f64 = 10.0;
pub const MAX_INTERVAL_CEILING_MS: f64 = 600_000.0;
pub const GROWTH: f64 = 2.0;
pub const JITTER: f64 = 0.2;
/// With an ETA, pause for this share of the time left (with +20 % jitter still below 1).
pub const ETA_SHARE: f64 = 0.7;
/// Progress points the rate must span before it is trusted.
pub const MIN_PROGRESS_SPAN: f64 = 5.0;
/// Progress points kept for the ETA (the most recent ones: the rate may change).
pub const HISTORY_LEN: usize = 8;

/// Where a followed thing stands.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Phase {
    Running,
    Succeeded,
    Failed,
}

/// Something a wait can follow: a job (with progress) or a backup (status only).
pub trait Watched: Clone {
    /// What it is, for messages: "job", "backup".
    const NOUN: &'static str;
    fn phase(&self) -> Phase;
    /// 0–100 when the server reports it.
    fn progress(&self) -> Option<f64>;
    /// Whether a progress display would show something new.
    fn differs_from(&self, other: &Self) -> bool;
    /// "IN_PROGRESS at 45%", for messages.
    fn summary(&self) -> String;
    /// The error for `Phase::Failed`.
    fn failure(self) -> Error;
}

/// Wait options as the caller gave them.
#[derive(Default, Clone, Copy)]
pub struct WaitOptions {
    pub timeout_ms: Option<f64>,
    pub min_interval_ms: Option<f64>,
    pub max_interval_ms: Option<f64>,
}

/// Validated once, before the first poll.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct WaitPolicy {
    pub timeout_ms: f64,
    pub min_interval_ms: f64,
    pub max_interval_ms: f64,
}

impl WaitPolicy {
    pub fn new(options: WaitOptions) -> Result<Self> {
        let timeout_ms = match options.timeout_ms {
            Some(ms) => validate::millis("timeoutMs", ms, 1.0, MAX_WAIT_TIMEOUT_MS)?,
            None => DEFAULT_WAIT_TIMEOUT_MS,
        };
        let (min_interval_ms, max_interval_ms) = intervals(options.min_interval_ms, options.max_interval_ms)?;
        Ok(WaitPolicy { timeout_ms, min_interval_ms, max_interval_ms })
    }
}

fn intervals(min: Option<f64>, max: Option<f64>) -> Result<(f64, f64)> {
    let min = match min {
        Some(ms) => validate::millis("minIntervalMs", ms, MIN_INTERVAL_FLOOR_MS, MAX_INTERVAL_CEILING_MS)?,
        None => DEFAULT_MIN_INTERVAL_MS,
    };
    let max = match max {
        Some(ms) => validate::millis("maxIntervalMs", ms, MIN_INTERVAL_FLOOR_MS, MAX_INTERVAL_CEILING_MS)?,
        // Only the minimum given: keep the default ceiling, but never below the minimum.
        None => DEFAULT_MAX_INTERVAL_MS.max(min),
    };
    if max < min {
        return Err(Error::invalid("maxIntervalMs", cat(&["must be at least minIntervalMs (", &number_text(min), "), not ", &number_text(max)])));
    }
    Ok((min, max))
}

impl Default for WaitPolicy {
    fn default() -> Self {
        // Built directly, not through `new`: an `expect` here would pull error formatting into the .wasm.
        WaitPolicy { timeout_ms: DEFAULT_WAIT_TIMEOUT_MS, min_interval_ms: DEFAULT_MIN_INTERVAL_MS, max_interval_ms: DEFAULT_MAX_INTERVAL_MS }
    }
}

/// Everything a wait knows: pass it back to continue exactly where it stopped.
/// Times are milliseconds since the Unix epoch.
#[derive(Clone, Debug, PartialEq)]
pub struct WaitState<T> {
    pub started_at: f64,
    pub deadline: f64,
    pub next_poll_at: f64,
    pub min_interval_ms: f64,
    pub max_interval_ms: f64,
    pub polls: u32,
    /// Polls since the progress last changed.
    pub unchanged_polls: u32,
    /// The last pause, for the doubling while there is no ETA.
    pub last_interval_ms: f64,
    /// `[time, progress]` where the progress changed, oldest first, the last [`HISTORY_LEN`].
    pub history: Vec<[f64; 2]>,
    pub last: Option<T>,
}

/// Only for a field that failed to decode (`Fields::req`), never used.
impl<T> Default for WaitState<T> {
    fn default() -> Self {
        WaitState { started_at: 0.0, deadline: 0.0, next_poll_at: 0.0, min_interval_ms: 0.0, max_interval_ms: 0.0, polls: 0, unchanged_polls: 0, last_interval_ms: 0.0, history: Vec::new(), last: None }
    }
}

impl<T: ToJson> ToJson for WaitState<T> {
    fn write_json(&self, out: &mut String) {
        Obj::write(out, |o| {
            o.field("startedAt", &self.started_at)
                .field("deadline", &self.deadline)
                .field("nextPollAt", &self.next_poll_at)
                .field("minIntervalMs", &self.min_interval_ms)
                .field("maxIntervalMs", &self.max_interval_ms)
                .field("polls", &self.polls)
                .field("unchangedPolls", &self.unchanged_polls)
                .field("lastIntervalMs", &self.last_interval_ms)
                .field("history", &self.history)
                .field("last", &self.last);
        });
    }
}

impl<T: FromJson> FromJson for WaitState<T> {
    fn from_json(value: &Value, at: Path) -> std::result::Result<Self, Problem> {
        let f = Fields::of(value, at)?;
        let points: Vec<Vec<f64>> = f.req("history");
        let mut history = Vec::with_capacity(points.len());
        for p in points {
            match p[..] {
                [t, progress] => history.push([t, progress]),
                _ => f.note("history", "must hold [time, progress] pairs"),
            }
        }
        let state = WaitState {
            started_at: f.req("startedAt"),
            deadline: f.req("deadline"),
            next_poll_at: f.req("nextPollAt"),
            min_interval_ms: f.req("minIntervalMs"),
            max_interval_ms: f.req("maxIntervalMs"),
            polls: f.req("polls"),
            unchanged_polls: f.req("unchangedPolls"),
            last_interval_ms: f.req("lastIntervalMs"),
            history,
            last: f.opt("last"),
        };
        f.done(state)
    }
}

impl<T> WaitState<T> {
    pub fn new(policy: &WaitPolicy, now: f64) -> Self {
        WaitState {
            started_at: now,
            deadline: now + policy.timeout_ms,
            next_poll_at: now,
            min_interval_ms: policy.min_interval_ms,
            max_interval_ms: policy.max_interval_ms,
            polls: 0,
            unchanged_polls: 0,
            last_interval_ms: 0.0,
            history: Vec::new(),
            last: None,
        }
    }

    /// Checks a state that came back from outside (JSON from storage).
    pub fn check(&self) -> Result<()> {
        let times = [self.started_at, self.deadline, self.next_poll_at];
        if times.iter().any(|t| !t.is_finite() || *t < 0.0) || self.deadline < self.started_at {
            return Err(Error::invalid("state", "has invalid times"));
        }
        intervals(Some(self.min_interval_ms), Some(self.max_interval_ms)).map_err(|e| Error::invalid("state", &e.message))?;
        if !self.last_interval_ms.is_finite() || self.history.iter().any(|[t, p]| !t.is_finite() || !(0.0..=100.0).contains(p)) {
            return Err(Error::invalid("state.history", "has invalid points"));
        }
        Ok(())
    }

    /// Milliseconds until the job should end, from the recent progress rate; `None` while
    /// unknown (the progress has not yet moved [`MIN_PROGRESS_SPAN`] points), negative when
    /// overdue.
    pub fn eta_ms(&self, now: f64) -> Option<f64> {
        let ([t0, p0], [t1, p1]) = (self.history.first()?, self.history.last()?);
        if t1 <= t0 || p1 - p0 < MIN_PROGRESS_SPAN {
            return None;
        }
        let rate = (p1 - p0) / (t1 - t0);
        Some((100.0 - p1) / rate - (now - t1))
    }

    fn observe(&mut self, now: f64, progress: Option<f64>, changed: bool) {
        self.polls += 1;
        if changed {
            self.unchanged_polls = 0;
        } else {
            self.unchanged_polls += 1;
        }
        if let Some(p) = progress {
            if self.history.last().is_none_or(|[_, last]| *last != p) {
                self.history.push([now, p]);
                if self.history.len() > HISTORY_LEN {
                    self.history.remove(0);
                }
            }
        }
    }
}

/// The pause before the next poll (whole milliseconds), before the deadline cut.
pub fn next_interval<T>(state: &WaitState<T>, now: f64, random: f64) -> f64 {
    let (min, max) = (state.min_interval_ms, state.max_interval_ms);
    let base = match state.eta_ms(now) {
        Some(eta) if eta > 0.0 => eta * ETA_SHARE,
        // Overdue: the job stalled or slowed down. Look again soon, less often while stuck.
        Some(_) => min * GROWTH.powi(state.unchanged_polls.saturating_sub(1).min(64) as i32),
        None if state.last_interval_ms <= 0.0 => min,
        None => state.last_interval_ms * GROWTH,
    };
    let jittered = base.min(max) * (1.0 - JITTER + 2.0 * JITTER * random.max(0.0).min(1.0));
    jittered.round().max(min).min(max)
}

/// Extra facts for `onProgress`.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct ProgressInfo {
    /// Estimated milliseconds to the end, when the progress rate allows an estimate.
    pub eta_ms: Option<f64>,
    pub elapsed_ms: f64,
    pub polls: u32,
}

impl ToJson for ProgressInfo {
    fn write_json(&self, out: &mut String) {
        Obj::write(out, |o| {
            o.field("etaMs", &self.eta_ms).field("elapsedMs", &self.elapsed_ms).field("polls", &self.polls);
        });
    }
}

/// How one call of [`run`] ended.
#[derive(Debug, PartialEq)]
pub enum Step<T> {
    Done(T),
    /// The budget ended before the next poll was due: continue later with the state.
    Paused,
}

/// Polls until the followed thing succeeds (Ok), fails (its `failure()`), the deadline passes
/// (`Timeout`), the signal fires (`Aborted`), or the next poll would fall after `until` (Paused).
/// `id` names it in messages (after `T::NOUN`). `poll` is given the deadline, so it can cut its
/// own timeouts, and a priority for the request limiter (when the job is expected to end, else
/// when the poll fell due); `on_progress` sees each new state once.
///
/// An `async` block, not an `async fn`: an `async fn` keeps a second copy of its arguments in
/// its future, and thousands of waits can be alive at once (fleet bench, BENCHMARKS.md).
#[allow(clippy::too_many_arguments, clippy::manual_async_fn)]
pub fn run<'a, H, T, P, F>(
    host: &'a H,
    state: &'a mut WaitState<T>,
    until: f64,
    signal: Option<&'a H::Signal>,
    id: &'a str,
    mut poll: P,
    on_progress: &'a mut dyn FnMut(&T, &ProgressInfo),
) -> impl Future<Output = Result<Step<T>>> + 'a
where
    H: Host,
    T: Watched + 'a,
    P: FnMut(f64, f64) -> F + 'a,
    F: Future<Output = Result<T>>,
{
    async move {
        loop {
            if signal.is_some_and(|s| host.is_aborted(s)) {
                return Err(aborted(id, state));
            }
            let now = host.now_ms();
            if now >= state.deadline {
                return Err(timed_out(id, state, None));
            }
            if state.next_poll_at > now {
                let wake = state.next_poll_at.min(state.deadline);
                if wake > until {
                    return Ok(Step::Paused);
                }
                if host.sleep(wake - now, signal).await.is_err() {
                    return Err(aborted(id, state));
                }
                continue;
            }
            let priority = poll_priority(state, now);
            let seen = match poll(state.deadline, priority).await {
                Ok(seen) => seen,
                Err(e) if e.kind == ErrorKind::Aborted => return Err(aborted(id, state)),
                // The request's timeout was cut to the deadline: report the wait's timeout.
                Err(e) if host.now_ms() >= state.deadline => return Err(timed_out(id, state, Some(e))),
                Err(e) => return Err(e),
            };
            let now = host.now_ms();
            let changed = state.last.as_ref().is_none_or(|l| seen.differs_from(l));
            state.observe(now, seen.progress(), changed);
            if changed {
                let info = ProgressInfo { eta_ms: state.eta_ms(now).map(|e| e.max(0.0).round()), elapsed_ms: now - state.started_at, polls: state.polls };
                on_progress(&seen, &info);
            }
            match seen.phase() {
                Phase::Succeeded => return Ok(Step::Done(seen)),
                Phase::Failed => return Err(seen.failure()),
                Phase::Running => {}
            }
            state.last = Some(seen);
            state.last_interval_ms = next_interval(state, now, host.random());
            state.next_poll_at = now + state.last_interval_ms;
        }
    }
}

/// The limiter serves polls of jobs expected to end soonest first: the ETA from the progress
/// rate when there is one; else, from the last progress seen, as if it grew steadily since the
/// wait began; else (no progress yet) as long again as the wait has run. (Measured in the fleet
/// bench: with the due time alone, 10,000 waits at 20/s were polled in rounds and each finished
/// job waited a round.)
fn poll_priority<T: Watched>(state: &WaitState<T>, now: f64) -> f64 {
    if let Some(eta) = state.eta_ms(now) {
        return now + eta.max(0.0);
    }
    match state.history.last() {
        Some(&[at, progress]) if progress > 0.0 && progress < 100.0 && at > state.started_at => {
            at + (at - state.started_at) * (100.0 - progress) / progress
        }
        _ => state.next_poll_at + (now - state.started_at),
    }
}

fn seen<T: Watched>(state: &WaitState<T>) -> String {
    match &state.last {
        Some(t) => cat(&[" (last seen ", &t.summary(), ")"]),
        None => String::new(),
    }
}

pub fn aborted<T: Watched>(id: &str, state: &WaitState<T>) -> Error {
    Error::new(ErrorKind::Aborted, cat(&["waiting for ", T::NOUN, " ", id, " was aborted", &seen(state), "; it goes on on the server"]))
}

fn timed_out<T: Watched>(id: &str, state: &WaitState<T>, cause: Option<Error>) -> Error {
    let cause = cause.map(|c| cat(&["; the last poll failed: ", &c.message])).unwrap_or_default();
    let within = number_text(state.deadline - state.started_at);
    Error::new(ErrorKind::Timeout, cat(&[T::NOUN, " ", id, " did not finish within ", &within, " ms", &seen(state), &cause, "; it may still finish: wait again with its id"]))
    .retryable(true)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::job::Job;
    use crate::test_support::{block_on, job, FakeHost, FakeSignal};
    use std::cell::RefCell;

    fn policy(timeout: f64, min: f64, max: f64) -> WaitPolicy {
        WaitPolicy::new(WaitOptions { timeout_ms: Some(timeout), min_interval_ms: Some(min), max_interval_ms: Some(max) }).unwrap()
    }

    /// Runs a whole wait (the budget is the deadline), as `waitForJob` does.
    fn wait<P, F>(host: &FakeHost, policy: &WaitPolicy, signal: Option<&FakeSignal>, poll: P, on_progress: &mut dyn FnMut(&Job, &ProgressInfo)) -> Result<Job>
    where
        P: FnMut(f64, f64) -> F,
        F: Future<Output = Result<Job>>,
    {
        let mut state = WaitState::new(policy, host.now_ms());
        let until = state.deadline;
        match block_on(run(host, &mut state, until, signal, "job-1", poll, on_progress))? {
            Step::Done(j) => Ok(j),
            Step::Paused => unreachable!("a whole wait never pauses"),
        }
    }

    #[test]
    fn policy_defaults_and_checks() {
        let p = WaitPolicy::default();
        assert_eq!((p.timeout_ms, p.min_interval_ms, p.max_interval_ms), (3_600_000.0, 1000.0, 60_000.0));
        let p = WaitPolicy::new(WaitOptions { min_interval_ms: Some(90_000.0), ..Default::default() }).unwrap();
        assert_eq!(p.max_interval_ms, 90_000.0);
        for (opts, field) in [
            (WaitOptions { timeout_ms: Some(0.0), ..Default::default() }, "timeoutMs"),
            (WaitOptions { timeout_ms: Some(MAX_WAIT_TIMEOUT_MS + 1.0), ..Default::default() }, "timeoutMs"),
            (WaitOptions { min_interval_ms: Some(5.0), ..Default::default() }, "minIntervalMs"),
            (WaitOptions { max_interval_ms: Some(f64::NAN), ..Default::default() }, "maxIntervalMs"),
            (WaitOptions { min_interval_ms: Some(500.0), max_interval_ms: Some(100.0), ..Default::default() }, "maxIntervalMs"),
        ] {
            let e = WaitPolicy::new(opts).unwrap_err();
            assert!(e.message.starts_with(field), "{}", e.message);
        }
    }

    #[test]
    fn blind_interval_doubles_within_bounds_with_jitter() {
        let mut s: WaitState<Job> = WaitState::new(&policy(3_600_000.0, 1000.0, 10_000.0), 0.0);
        let mut seq = Vec::new();
        for _ in 0..6 {
            s.last_interval_ms = next_interval(&s, 0.0, 0.5);
            seq.push(s.last_interval_ms);
        }
        assert_eq!(seq, vec![1000.0, 2000.0, 4000.0, 8000.0, 10_000.0, 10_000.0]);
        s.last_interval_ms = 2000.0;
        assert_eq!(next_interval(&s, 0.0, 0.0), 3200.0);
        assert_eq!(next_interval(&s, 0.0, 1.0), 4800.0);
        s.last_interval_ms = 0.0;
        assert_eq!(next_interval(&s, 0.0, 0.0), 1000.0, "never below the minimum");
        s.last_interval_ms = 1e9;
        assert_eq!(next_interval(&s, 0.0, 1.0), 10_000.0, "never above the maximum");
    }

    #[test]
    fn poll_priority_is_the_expected_end() {
        let mut state: WaitState<Job> = WaitState::new(&WaitPolicy::default(), 0.0);
        state.next_poll_at = 500.0;
        assert_eq!(poll_priority(&state, 2_000.0), 2_500.0, "nothing seen yet: as long again as it has run");
        state.history.push([1_000.0, 10.0]);
        assert_eq!(poll_priority(&state, 2_000.0), 10_000.0, "10 % after 1 s: the end at 10 s");
        state.history.push([3_000.0, 30.0]);
        let from_rate = 2_000.0 + state.eta_ms(2_000.0).unwrap();
        assert_eq!(poll_priority(&state, 2_000.0), from_rate, "a rate: its ETA");
    }

    #[test]
    fn eta_from_the_progress_rate() {
        let mut s: WaitState<Job> = WaitState::new(&WaitPolicy::default(), 0.0);
        assert_eq!(s.eta_ms(0.0), None);
        s.history = vec![[0.0, 0.0]];
        assert_eq!(s.eta_ms(0.0), None, "one point gives no rate");
        s.history = vec![[0.0, 10.0], [5_000.0, 14.0]];
        assert_eq!(s.eta_ms(5_000.0), None, "4 points of progress are too coarse a rate");
        s.history = vec![[0.0, 0.0], [10_000.0, 10.0]];
        assert_eq!(s.eta_ms(10_000.0), Some(90_000.0));
        assert_eq!(s.eta_ms(40_000.0), Some(60_000.0), "time since the last point counts");
        assert_eq!(next_interval(&s, 10_000.0, 0.5), 60_000.0, "70 % of the time left, capped at the maximum");
        assert_eq!(next_interval(&s, 40_000.0, 0.5), 42_000.0, "70 % of the time left");
        assert_eq!(s.eta_ms(200_000.0), Some(-100_000.0), "overdue");
        assert_eq!(next_interval(&s, 200_000.0, 0.5), 1000.0, "overdue: back to the minimum");
        s.unchanged_polls = 3;
        assert_eq!(next_interval(&s, 200_000.0, 0.5), 4000.0, "and less often while stuck");
    }

    /// A job that is PENDING for the first tenth, then IN_PROGRESS with linear whole-percent
    /// progress, then `end` at `done_at` ms after the start.
    fn linear<'a>(host: &'a FakeHost, done_at: f64, end: &str) -> impl FnMut(f64, f64) -> std::future::Ready<Result<Job>> + 'a {
        let end = end.to_owned();
        move |_deadline, _| {
            let t = host.now_ms() - host.start;
            let j = if t >= done_at {
                job("job-1", &end, 100.0)
            } else if t < done_at / 10.0 {
                job("job-1", "PENDING", 0.0)
            } else {
                job("job-1", "IN_PROGRESS", (t / done_at * 100.0).floor())
            };
            std::future::ready(Ok(j))
        }
    }

    #[test]
    fn a_five_minute_job_costs_few_polls_and_is_seen_done_promptly() {
        let host = FakeHost::new(0.5);
        let polls = RefCell::new(Vec::new());
        let mut poll = linear(&host, 300_000.0, "SUCCESSFUL");
        let out = wait(&host, &WaitPolicy::default(), None, |d, _| {
            polls.borrow_mut().push(host.now_ms() - host.start);
            poll(d, 0.0)
        }, &mut |_, _| {});
        assert!(out.is_ok());
        let polls = polls.into_inner();
        let seen_done = polls.last().unwrap() - 300_000.0;
        assert!(polls.len() <= 15, "{} polls: {polls:?}", polls.len());
        assert!((0.0..=2_000.0).contains(&seen_done), "seen {seen_done} ms late: {polls:?}");
    }

    #[test]
    fn a_short_job_is_seen_done_promptly_despite_a_coarse_early_rate() {
        // 8 s, PENDING for the first 0.8 s: the first IN_PROGRESS poll sees a few percent only.
        let host = FakeHost::new(0.5);
        let mut last = 0.0;
        let mut poll = linear(&host, 8_000.0, "SUCCESSFUL");
        let out = wait(&host, &WaitPolicy::default(), None, |d, _| {
            last = host.now_ms() - host.start;
            poll(d, 0.0)
        }, &mut |_, _| {});
        assert!(out.is_ok());
        assert!(last - 8_000.0 <= 1_500.0, "seen done {} ms late", last - 8_000.0);
    }

    #[test]
    fn each_new_state_is_reported_once_with_an_eta() {
        let host = FakeHost::new(0.5);
        let seen = RefCell::new(Vec::new());
        let out = wait(&host, &policy(3_600_000.0, 1000.0, 10_000.0), None, linear(&host, 30_000.0, "SUCCESSFUL"), &mut |j, info| {
            seen.borrow_mut().push((j.status.as_str().to_owned(), j.progress, info.eta_ms))
        });
        assert!(out.is_ok());
        let seen = seen.into_inner();
        assert_eq!(seen.first().unwrap().0, "PENDING");
        assert_eq!(seen.first().unwrap().2, None, "no ETA before the progress moves");
        assert_eq!((seen.last().unwrap().0.as_str(), seen.last().unwrap().1), ("SUCCESSFUL", 100.0));
        assert!(seen.iter().any(|s| s.2.is_some()), "an ETA once the progress moved: {seen:?}");
        assert!(seen.windows(2).all(|w| (&w[0].0, w[0].1) != (&w[1].0, w[1].1)), "each state once: {seen:?}");
    }

    #[test]
    fn unchanged_states_are_not_reported_twice() {
        let host = FakeHost::new(0.5);
        let mut calls = 0;
        let mut n = 0;
        let out = wait(&host, &policy(60_000.0, 100.0, 100.0), None, |_, _| {
            n += 1;
            std::future::ready(Ok(if n < 5 { job("job-1", "IN_PROGRESS", 10.0) } else { job("job-1", "SUCCESSFUL", 100.0) }))
        }, &mut |_, _| calls += 1);
        assert!(out.is_ok());
        assert_eq!(calls, 2);
    }

    #[test]
    fn a_failed_job_is_an_error_carrying_the_job() {
        let host = FakeHost::new(0.5);
        let out = wait(&host, &policy(60_000.0, 100.0, 100.0), None, |_, _| {
            let mut j = job("job-1", "FAILED", 40.0);
            j.reason = Some("disk quota exceeded".into());
            std::future::ready(Ok(j))
        }, &mut |_, _| {});
        let e = out.unwrap_err();
        assert_eq!(e.kind, ErrorKind::JobFailed);
        assert_eq!(e.job_id.as_deref(), Some("job-1"));
        assert_eq!(e.job.as_ref().unwrap().progress, 40.0);
        assert!(e.message.contains("disk quota exceeded"));
    }

    #[test]
    fn unknown_statuses_keep_the_wait_going() {
        let host = FakeHost::new(0.5);
        let mut n = 0;
        let out = wait(&host, &policy(60_000.0, 100.0, 100.0), None, |_, _| {
            n += 1;
            std::future::ready(Ok(match n { 1 => job("job-1", "CANCELING", 5.0), 2 => job("job-1", "QUEUED_V3", 5.0), _ => job("job-1", "SUCCESSFUL", 100.0) }))
        }, &mut |_, _| {});
        assert!(out.is_ok());
        assert_eq!(n, 3);
    }

    #[test]
    fn never_sleeps_past_the_deadline() {
        let host = FakeHost::new(1.0);
        let p = policy(10_000.0, 1000.0, 4000.0);
        let e = wait(&host, &p, None, |_, _| std::future::ready(Ok(job("job-1", "PENDING", 0.0))), &mut |_, _| {}).unwrap_err();
        assert_eq!(e.kind, ErrorKind::Timeout);
        assert!(e.retryable);
        assert!(e.message.contains("last seen PENDING"), "{}", e.message);
        assert_eq!(host.now_ms() - host.start, 10_000.0, "rejects exactly at the deadline");
        // ×1.2 jitter: 1200, 2880, capped at 4000, then cut to the 1920 ms left.
        assert_eq!(host.sleeps(), vec![1200.0, 2880.0, 4000.0, 1920.0]);
    }

    #[test]
    fn abort_before_the_first_poll_sends_nothing() {
        let host = FakeHost::new(0.5);
        let signal = FakeSignal::at(host.start);
        let mut polls = 0;
        let e = wait(&host, &WaitPolicy::default(), Some(&signal), |_, _| {
            polls += 1;
            std::future::ready(Ok(job("job-1", "PENDING", 0.0)))
        }, &mut |_, _| {})
        .unwrap_err();
        assert_eq!((e.kind, polls), (ErrorKind::Aborted, 0));
    }

    #[test]
    fn abort_interrupts_a_sleep_at_once() {
        let host = FakeHost::new(0.5);
        let signal = FakeSignal::at(host.start + 1500.0);
        let mut polls = 0;
        let e = wait(&host, &WaitPolicy::default(), Some(&signal), |_, _| {
            polls += 1;
            std::future::ready(Ok(job("job-1", "IN_PROGRESS", 10.0)))
        }, &mut |_, _| {})
        .unwrap_err();
        assert_eq!(e.kind, ErrorKind::Aborted);
        assert_eq!(polls, 2, "polls at 0 and 1000; the abort at 1500 cuts the 2000 ms pause");
        assert_eq!(host.now_ms() - host.start, 1500.0);
        assert!(e.message.contains("last seen IN_PROGRESS at 10%"), "{}", e.message);
    }

    #[test]
    fn a_budget_pauses_and_the_state_resumes_exactly() {
        let host = FakeHost::new(0.5);
        let policy = WaitPolicy::default();
        let mut state: WaitState<Job> = WaitState::new(&policy, host.now_ms());
        let mut invocations = 0;
        let mut total_polls = 0;
        let done = loop {
            invocations += 1;
            // Each "invocation" may poll for 10 s, then stores the state as JSON.
            let until = host.now_ms() + 10_000.0;
            let mut poll = linear(&host, 120_000.0, "SUCCESSFUL");
            let step = block_on(run(&host, &mut state, until, None, "job-1", |d, _| { total_polls += 1; poll(d, 0.0) }, &mut |_, _| {})).unwrap();
            match step {
                Step::Done(job) => break job,
                Step::Paused => {
                    let text = crate::json::to_string(&state);
                    state = crate::json::decode(&crate::json::parse(&text).unwrap()).unwrap();
                    state.check().unwrap();
                    assert!(state.next_poll_at > until, "paused only when the next poll is past the budget");
                    // Time passes until the next invocation (a cron tick): at the next poll time.
                    let gap = state.next_poll_at - host.now_ms();
                    block_on(crate::host::Host::sleep(&host, gap, None)).unwrap();
                }
            }
        };
        assert_eq!(done.progress, 100.0);
        assert!(invocations > 1 && total_polls <= 16, "{invocations} invocations, {total_polls} polls");
        assert!(state.history.len() >= 2);
    }

    #[test]
    fn the_default_policy_is_what_new_makes_of_no_options() {
        assert_eq!(WaitPolicy::default(), WaitPolicy::new(WaitOptions::default()).unwrap());
    }

    #[test]
    fn a_state_from_outside_is_checked() {
        let mut s: WaitState<Job> = WaitState::new(&WaitPolicy::default(), 1000.0);
        s.check().unwrap();
        s.deadline = f64::NAN;
        assert!(s.check().is_err());
        let mut s: WaitState<Job> = WaitState::new(&WaitPolicy::default(), 1000.0);
        s.min_interval_ms = 1.0;
        assert_eq!(s.check().unwrap_err().kind, ErrorKind::InvalidInput);
    }
}
