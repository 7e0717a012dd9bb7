//! The poll loop that follows a job to its end: pure, knowing nothing of HTTP.
//!
//! Schedule: the first poll goes out at once (a failed validation on the server side shows up
//! immediately); then the interval starts at `minIntervalMs` and grows ×1.5 per poll up to
//! `maxIntervalMs`, each jittered ±20 % so many waits started together spread out.
//! Defaults: 1 s → 10 s. 1 s because small collection backups finish in seconds; 10 s because a
//! typical backup (≈ 5 min for 120 M vectors on 4 CU) then costs ~35 requests and is seen done at
//! most ~10 s late, far inside the API's 20 requests/s budget.
//! Guarantees: no sleep extends past the deadline (`timeoutMs`, default 1 h) and each request's
//! timeout is cut to the time left; the abort signal is checked before every poll and every
//! sleep, and interrupts both; every error carries the job id.

use crate::error::{Error, ErrorKind, Result};
use crate::host::Host;
use crate::model::job::{Job, JobStatus};
use crate::validate;
use std::future::Future;

pub const DEFAULT_WAIT_TIMEOUT_MS: f64 = 3_600_000.0;
pub const MAX_WAIT_TIMEOUT_MS: f64 = 7.0 * 24.0 * 3_600_000.0;
pub const DEFAULT_MIN_INTERVAL_MS: f64 = 1_000.0;
pub const DEFAULT_MAX_INTERVAL_MS: f64 = 10_000.0;
/// Below this a poll loop is a busy loop (and the API allows 20 requests/s).
pub const MIN_INTERVAL_FLOOR_MS: f64 = 10.0;
pub const MAX_INTERVAL_CEILING_MS: f64 = 600_000.0;
pub const GROWTH: f64 = 1.5;
pub const JITTER: f64 = 0.2;

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
        let min_interval_ms = match options.min_interval_ms {
            Some(ms) => validate::millis("minIntervalMs", ms, MIN_INTERVAL_FLOOR_MS, MAX_INTERVAL_CEILING_MS)?,
            None => DEFAULT_MIN_INTERVAL_MS,
        };
        let max_interval_ms = match options.max_interval_ms {
            Some(ms) => validate::millis("maxIntervalMs", ms, MIN_INTERVAL_FLOOR_MS, MAX_INTERVAL_CEILING_MS)?,
            // Only the minimum given: keep the default ceiling, but never below the minimum.
            None => DEFAULT_MAX_INTERVAL_MS.max(min_interval_ms),
        };
        if max_interval_ms < min_interval_ms {
            return Err(Error::invalid("maxIntervalMs", format!(
                "must be at least minIntervalMs ({min_interval_ms}), not {max_interval_ms}"
            )));
        }
        Ok(WaitPolicy { timeout_ms, min_interval_ms, max_interval_ms })
    }
}

impl Default for WaitPolicy {
    fn default() -> Self {
        WaitPolicy::new(WaitOptions::default()).expect("defaults are valid")
    }
}

/// The pause after the `polls_done`-th poll (1-based), before the deadline cut.
pub fn poll_interval(polls_done: u32, policy: &WaitPolicy, random: f64) -> f64 {
    let steps = polls_done.saturating_sub(1).min(64) as i32;
    let base = (policy.min_interval_ms * GROWTH.powi(steps)).min(policy.max_interval_ms);
    let jittered = base * (1.0 - JITTER + 2.0 * JITTER * random.clamp(0.0, 1.0));
    // Whole milliseconds: what timers take, and exact sequences in tests.
    jittered.round().clamp(policy.min_interval_ms, policy.max_interval_ms)
}

/// Polls `poll` (given the deadline, so it can cut its own timeouts) until the job is terminal.
/// `on_progress` sees each new state (status or progress changed) once.
pub async fn wait_for<H, P, F>(
    host: &H,
    policy: &WaitPolicy,
    signal: Option<&H::Signal>,
    job_id: &str,
    mut poll: P,
    on_progress: &mut dyn FnMut(&Job),
) -> Result<Job>
where
    H: Host,
    P: FnMut(f64) -> F,
    F: Future<Output = Result<Job>>,
{
    let deadline = host.now_ms() + policy.timeout_ms;
    let mut last: Option<Job> = None;
    let mut polls = 0;
    loop {
        if signal.is_some_and(|s| host.is_aborted(s)) {
            return Err(aborted(job_id, last));
        }
        if host.now_ms() >= deadline {
            return Err(timed_out(job_id, policy, last, None));
        }
        let job = match poll(deadline).await {
            Ok(job) => job,
            Err(e) if e.kind == ErrorKind::Aborted => return Err(aborted(job_id, last)),
            // The request's timeout was cut to the deadline: report the wait's timeout.
            Err(e) if host.now_ms() >= deadline => return Err(timed_out(job_id, policy, last, Some(e))),
            Err(e) => {
                let mut e = e.for_job(job_id);
                e.job = e.job.or(last);
                return Err(e);
            }
        };
        polls += 1;
        if last.as_ref().is_none_or(|l| job.differs_from(l)) {
            on_progress(&job);
        }
        match job.status {
            JobStatus::Successful => return Ok(job),
            JobStatus::Failed => return Err(failed(job)),
            _ => {}
        }
        last = Some(job);
        let left = (deadline - host.now_ms()).max(0.0);
        let pause = poll_interval(polls, policy, host.random()).min(left);
        if host.sleep(pause, signal).await.is_err() {
            return Err(aborted(job_id, last));
        }
    }
}

fn seen(last: &Option<Job>) -> String {
    match last {
        Some(j) => format!(" (last seen {} at {}%)", j.status.as_str(), j.progress),
        None => String::new(),
    }
}

pub fn aborted(job_id: &str, last: Option<Job>) -> Error {
    let mut e = Error::new(ErrorKind::Aborted, format!("waiting for job {job_id} was aborted{}; the job goes on on the server", seen(&last)));
    e.job_id = Some(job_id.to_owned());
    e.job = last;
    e
}

fn timed_out(job_id: &str, policy: &WaitPolicy, last: Option<Job>, cause: Option<Error>) -> Error {
    let cause = cause.map(|c| format!("; the last poll failed: {}", c.message)).unwrap_or_default();
    let mut e = Error::new(ErrorKind::Timeout, format!(
        "job {job_id} did not finish within {} ms{}{cause}; it may still finish: wait again with its id",
        policy.timeout_ms,
        seen(&last)
    ))
    .retryable(true);
    e.job_id = Some(job_id.to_owned());
    e.job = last;
    e
}

fn failed(job: Job) -> Error {
    let reason = job.reason.as_deref().filter(|r| !r.is_empty()).unwrap_or("no reason given");
    let kind = job.job_type.as_deref().map(|t| format!(" ({t})")).unwrap_or_default();
    let mut e = Error::new(ErrorKind::JobFailed, format!("job {}{kind} failed: {reason}", job.job_id));
    e.job_id = Some(job.job_id.clone());
    e.job = Some(job);
    e
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::test_support::{block_on, job, FakeHost, FakeSignal};
    use std::cell::RefCell;

    fn policy(timeout: f64, min: f64, max: f64) -> WaitPolicy {
        WaitPolicy::new(WaitOptions { timeout_ms: Some(timeout), min_interval_ms: Some(min), max_interval_ms: Some(max) }).unwrap()
    }

    #[test]
    fn policy_defaults_and_checks() {
        let p = WaitPolicy::default();
        assert_eq!((p.timeout_ms, p.min_interval_ms, p.max_interval_ms), (3_600_000.0, 1000.0, 10_000.0));
        let p = WaitPolicy::new(WaitOptions { min_interval_ms: Some(20_000.0), ..Default::default() }).unwrap();
        assert_eq!(p.max_interval_ms, 20_000.0);
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
    fn interval_grows_within_bounds_with_jitter() {
        let p = policy(3_600_000.0, 1000.0, 10_000.0);
        let mid: Vec<f64> = (1..=8).map(|n| poll_interval(n, &p, 0.5)).collect();
        assert_eq!(mid, vec![1000.0, 1500.0, 2250.0, 3375.0, 5063.0, 7594.0, 10_000.0, 10_000.0]);
        assert_eq!(poll_interval(3, &p, 0.0), 2250.0 * 0.8);
        assert_eq!(poll_interval(3, &p, 1.0), 2250.0 * 1.2);
        assert_eq!(poll_interval(1, &p, 0.0), 1000.0, "never below the minimum");
        assert_eq!(poll_interval(100, &p, 1.0), 10_000.0, "never above the maximum");
    }

    /// A job that is PENDING, then IN_PROGRESS with rising progress, then `end` at `done_at` ms.
    fn scripted<'a>(host: &'a FakeHost, done_at: f64, end: &str) -> impl FnMut(f64) -> std::future::Ready<Result<Job>> + 'a {
        let end = end.to_owned();
        move |_deadline| {
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
    fn follows_a_job_to_success_with_the_exact_schedule() {
        let host = FakeHost::new(0.5);
        let seen = RefCell::new(Vec::new());
        let p = policy(3_600_000.0, 1000.0, 10_000.0);
        let out = block_on(wait_for(&host, &p, None, "job-1", scripted(&host, 30_000.0, "SUCCESSFUL"), &mut |j: &Job| {
            seen.borrow_mut().push((j.status.as_str().to_owned(), j.progress))
        }));
        assert_eq!(out.unwrap().status, JobStatus::Successful);
        // Polls at 0, 1000, 2500, 4750, 8125, 13188, 20782, 30782 (the first one past 30 s).
        assert_eq!(host.sleeps(), vec![1000.0, 1500.0, 2250.0, 3375.0, 5063.0, 7594.0, 10_000.0]);
        let seen = seen.into_inner();
        assert_eq!(seen.first().unwrap().0, "PENDING");
        assert_eq!(seen.last().unwrap(), &("SUCCESSFUL".to_owned(), 100.0));
        assert!(seen.windows(2).all(|w| w[0] != w[1]), "each state reported once: {seen:?}");
    }

    #[test]
    fn unchanged_states_are_not_reported_twice() {
        let host = FakeHost::new(0.5);
        let mut calls = 0;
        let mut n = 0;
        let out = block_on(wait_for(&host, &policy(60_000.0, 100.0, 100.0), None, "job-1", |_| {
            n += 1;
            std::future::ready(Ok(if n < 5 { job("job-1", "IN_PROGRESS", 10.0) } else { job("job-1", "SUCCESSFUL", 100.0) }))
        }, &mut |_| calls += 1));
        assert!(out.is_ok());
        assert_eq!(calls, 2);
    }

    #[test]
    fn a_failed_job_is_an_error_carrying_the_job() {
        let host = FakeHost::new(0.5);
        let out = block_on(wait_for(&host, &policy(60_000.0, 100.0, 100.0), None, "job-1", |_| {
            let mut j = job("job-1", "FAILED", 40.0);
            j.reason = Some("disk quota exceeded".into());
            std::future::ready(Ok(j))
        }, &mut |_| {}));
        let e = out.unwrap_err();
        assert_eq!(e.kind, ErrorKind::JobFailed);
        assert_eq!(e.job_id.as_deref(), Some("job-1"));
        assert_eq!(e.job.unwrap().progress, 40.0);
        assert!(e.message.contains("disk quota exceeded"));
    }

    #[test]
    fn unknown_statuses_keep_the_wait_going() {
        let host = FakeHost::new(0.5);
        let mut n = 0;
        let out = block_on(wait_for(&host, &policy(60_000.0, 100.0, 100.0), None, "job-1", |_| {
            n += 1;
            std::future::ready(Ok(match n { 1 => job("job-1", "CANCELING", 5.0), 2 => job("job-1", "QUEUED_V3", 5.0), _ => job("job-1", "SUCCESSFUL", 100.0) }))
        }, &mut |_| {}));
        assert!(out.is_ok());
        assert_eq!(n, 3);
    }

    #[test]
    fn never_sleeps_past_the_deadline() {
        let host = FakeHost::new(1.0);
        let p = policy(10_000.0, 1000.0, 4000.0);
        let out = block_on(wait_for(&host, &p, None, "job-1", scripted(&host, 50_000.0, "SUCCESSFUL"), &mut |_| {}));
        let e = out.unwrap_err();
        assert_eq!(e.kind, ErrorKind::Timeout);
        assert!(e.retryable);
        assert_eq!(e.job_id.as_deref(), Some("job-1"));
        assert_eq!(e.job.unwrap().status, JobStatus::InProgress);
        assert_eq!(host.now_ms() - host.start, 10_000.0, "rejects exactly at the deadline");
        // ×1.2 jitter: 1200, 1800, 2700, capped at 4000, then cut to the 300 ms left.
        assert_eq!(host.sleeps(), vec![1200.0, 1800.0, 2700.0, 4000.0, 300.0]);
    }

    #[test]
    fn abort_before_the_first_poll_sends_nothing() {
        let host = FakeHost::new(0.5);
        let signal = FakeSignal::at(host.start);
        let mut polls = 0;
        let e = block_on(wait_for(&host, &WaitPolicy::default(), Some(&signal), "job-1", |_| {
            polls += 1;
            std::future::ready(Ok(job("job-1", "PENDING", 0.0)))
        }, &mut |_| {}))
        .unwrap_err();
        assert_eq!((e.kind, polls), (ErrorKind::Aborted, 0));
        assert_eq!(e.job_id.as_deref(), Some("job-1"));
    }

    #[test]
    fn abort_interrupts_a_sleep_at_once() {
        let host = FakeHost::new(0.5);
        let signal = FakeSignal::at(host.start + 1500.0);
        let mut polls = 0;
        let e = block_on(wait_for(&host, &WaitPolicy::default(), Some(&signal), "job-1", |_| {
            polls += 1;
            std::future::ready(Ok(job("job-1", "IN_PROGRESS", 10.0)))
        }, &mut |_| {}))
        .unwrap_err();
        assert_eq!(e.kind, ErrorKind::Aborted);
        assert_eq!(polls, 2, "polls at 0 and 1000; the abort at 1500 cuts the 1500 ms pause");
        assert_eq!(host.now_ms() - host.start, 1500.0);
        assert_eq!(e.job.unwrap().progress, 10.0);
    }

    #[test]
    fn a_poll_error_carries_the_job_id() {
        let host = FakeHost::new(0.5);
        let e = block_on(wait_for(&host, &WaitPolicy::default(), None, "job-9", |_| {
            std::future::ready(Err(Error::new(ErrorKind::Server, "HTTP 503").retryable(true)))
        }, &mut |_| {}))
        .unwrap_err();
        assert_eq!((e.kind, e.job_id.as_deref()), (ErrorKind::Server, Some("job-9")));
    }
}
