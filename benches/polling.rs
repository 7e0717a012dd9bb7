//! Polling efficiency: requests sent while waiting, and how late the end is seen (job end → the
//! wait resolving), for our waiter and the schedules other clients use — on a virtual clock, so a
//! 30-minute job takes microseconds and every number is exact for its seed.
//!
//! Jobs: 10 s, 1 min, 5 min, 30 min; progress linear, stepwise (0→25→50→75 in jumps), or stalling
//! at 50% for the middle 40% of the run. Schedules: ours (the real `waiter::run`, defaults 1 s →
//! 60 s, ETA-driven), a fixed 1 s poll (Weaviate's client), the AWS SDK waiter (2 s → 120 s,
//! attempt n waits uniform(min, min·2ⁿ⁻¹) capped), Google's LRO poller (100 ms × 1.3 → 60 s).
//! Each request is assumed to take 50 ms (the job is observed when the response is built).
//!
//! Run: `cargo bench --bench polling` (prints a table; writes bench/results/polling.json).

use std::cell::Cell;
use std::fmt::Write as _;
use zilliz_cloud_backup::error::Result;
use zilliz_cloud_backup::host::{Aborted, Host};
use zilliz_cloud_backup::http::{HttpRequest, HttpResponse, TransportError};
use zilliz_cloud_backup::model::job::{Job, JobStatus};
use zilliz_cloud_backup::waiter::{self, Step, WaitPolicy, WaitState};

const RTT_MS: f64 = 50.0;
const SEEDS: u64 = 20;

#[derive(Clone, Copy)]
enum Curve {
    Linear,
    Stepwise,
    Stall,
}

impl Curve {
    fn name(self) -> &'static str {
        match self {
            Curve::Linear => "linear",
            Curve::Stepwise => "stepwise",
            Curve::Stall => "stall",
        }
    }
    /// Progress 0–100 at fraction `f` of the run (the job ends at f = 1).
    fn progress(self, f: f64) -> f64 {
        let p = match self {
            Curve::Linear => f * 100.0,
            Curve::Stepwise => (f * 4.0).floor() * 25.0,
            Curve::Stall if f < 0.3 => f / 0.3 * 50.0,
            Curve::Stall if f < 0.7 => 50.0,
            Curve::Stall => 50.0 + (f - 0.7) / 0.3 * 50.0,
        };
        p.clamp(0.0, 99.0).floor()
    }
}

/// The job as the server would report it `elapsed` ms after it started.
fn observe(curve: Curve, duration: f64, elapsed: f64) -> Job {
    let done = elapsed >= duration;
    Job {
        job_id: "job-1".into(),
        job_type: Some("BACKUP".into()),
        status: JobStatus::parse(if done { "SUCCESSFUL" } else { "IN_PROGRESS" }),
        progress: if done { 100.0 } else { curve.progress(elapsed / duration) },
        start_time: None,
        end_time: None,
        reason: None,
    }
}

/// A virtual clock: sleeping advances it; jitter comes from a seeded generator.
struct SimHost {
    now: Cell<f64>,
    seed: Cell<u64>,
}

impl Host for SimHost {
    type Signal = ();
    fn now_ms(&self) -> f64 {
        self.now.get()
    }
    fn random(&self) -> f64 {
        // xorshift64*: deterministic per seed, good enough for jitter.
        let mut x = self.seed.get();
        x ^= x >> 12;
        x ^= x << 25;
        x ^= x >> 27;
        self.seed.set(x);
        (x.wrapping_mul(0x2545_F491_4F6C_DD1D) >> 11) as f64 / (1u64 << 53) as f64
    }
    fn is_aborted(&self, _: &()) -> bool {
        false
    }
    async fn sleep(&self, ms: f64, _: Option<&()>) -> std::result::Result<(), Aborted> {
        self.now.set(self.now.get() + ms);
        Ok(())
    }
    async fn send(&self, _: &HttpRequest, _: f64, _: Option<&()>) -> std::result::Result<HttpResponse, TransportError> {
        unreachable!("the simulation polls through the waiter's closure")
    }
}

struct Outcome {
    requests: f64,
    delay_ms: f64,
}

fn ours(curve: Curve, duration: f64, seed: u64) -> Outcome {
    let host = SimHost { now: Cell::new(0.0), seed: Cell::new(seed * 2_654_435_761 + 1) };
    let mut state = WaitState::new(&WaitPolicy::default(), 0.0);
    let until = state.deadline;
    let polls = Cell::new(0u32);
    let poll = |_deadline: f64, _priority: f64| {
        polls.set(polls.get() + 1);
        host.now.set(host.now.get() + RTT_MS);
        let job = observe(curve, duration, host.now.get() - RTT_MS / 2.0);
        std::future::ready(Ok::<Job, zilliz_cloud_backup::Error>(job))
    };
    let step: Result<Step<Job>> = block_on(waiter::run(&host, &mut state, until, None, "job job-1", poll, &mut |_, _| {}));
    assert!(matches!(step, Ok(Step::Done(_))), "our wait did not finish");
    Outcome { requests: polls.get() as f64, delay_ms: host.now.get() - duration }
}

/// A schedule given as "the pause before poll n" (n from 1), the first poll at once.
fn scheduled(curve: Curve, duration: f64, mut pause: impl FnMut(u32) -> f64) -> Outcome {
    let (mut now, mut n) = (0.0, 0u32);
    loop {
        now += RTT_MS;
        n += 1;
        if observe(curve, duration, now - RTT_MS / 2.0).status == JobStatus::parse("SUCCESSFUL") {
            return Outcome { requests: n as f64, delay_ms: now - duration };
        }
        now += pause(n);
    }
}

fn fixed_1s(curve: Curve, duration: f64) -> Outcome {
    scheduled(curve, duration, |_| 1_000.0)
}

fn aws(curve: Curve, duration: f64, seed: u64) -> Outcome {
    let host = SimHost { now: Cell::new(0.0), seed: Cell::new(seed * 40_503 + 7) };
    scheduled(curve, duration, |n| {
        let (min, max) = (2_000.0, 120_000.0);
        let ceiling = (min * 2f64.powi(n as i32 - 1)).min(max);
        min + host.random() * (ceiling - min)
    })
}

fn google_lro(curve: Curve, duration: f64) -> Outcome {
    scheduled(curve, duration, |n| (100.0 * 1.3f64.powi(n as i32 - 1)).min(60_000.0))
}

fn mean(outcomes: &[Outcome]) -> Outcome {
    let n = outcomes.len() as f64;
    Outcome {
        requests: outcomes.iter().map(|o| o.requests).sum::<f64>() / n,
        delay_ms: outcomes.iter().map(|o| o.delay_ms).sum::<f64>() / n,
    }
}

fn block_on<F: std::future::Future>(f: F) -> F::Output {
    let mut f = std::pin::pin!(f);
    let mut cx = std::task::Context::from_waker(std::task::Waker::noop());
    match f.as_mut().poll(&mut cx) {
        std::task::Poll::Ready(v) => v,
        std::task::Poll::Pending => unreachable!("the simulated host never pends"),
    }
}

fn main() {
    let durations = [("10 s", 10_000.0), ("1 min", 60_000.0), ("5 min", 300_000.0), ("30 min", 1_800_000.0)];
    let curves = [Curve::Linear, Curve::Stepwise, Curve::Stall];
    let mut rows = Vec::new();
    let mut worst_vs_fixed = f64::MIN;
    println!("{:<8} {:<9} | {:>17} | {:>17} | {:>17} | {:>17}", "job", "progress", "ours req / delay", "fixed 1 s", "AWS waiter", "Google LRO");
    for (label, duration) in durations {
        for curve in curves {
            let ours_all: Vec<Outcome> = (0..SEEDS).map(|s| ours(curve, duration, s)).collect();
            let ours_max_delay = ours_all.iter().map(|o| o.delay_ms).fold(0.0, f64::max);
            let ours = mean(&ours_all);
            let fixed = fixed_1s(curve, duration);
            let aws = mean(&(0..SEEDS).map(|s| aws(curve, duration, s)).collect::<Vec<_>>());
            let google = google_lro(curve, duration);
            worst_vs_fixed = worst_vs_fixed.max(ours_all.iter().map(|o| o.requests - fixed.requests).fold(f64::MIN, f64::max));
            let cell = |o: &Outcome| format!("{:>6.1} / {:>6.2} s", o.requests, o.delay_ms / 1000.0);
            println!("{label:<8} {:<9} | {} | {} | {} | {}", curve.name(), cell(&ours), cell(&fixed), cell(&aws), cell(&google));
            rows.push(format!(
                "[\"{label}\",\"{}\",{:.1},{:.2},{:.2},{:.0},{:.2},{:.1},{:.2},{:.0},{:.2}]",
                curve.name(), ours.requests, ours.delay_ms / 1000.0, ours_max_delay / 1000.0,
                fixed.requests, fixed.delay_ms / 1000.0, aws.requests, aws.delay_ms / 1000.0, google.requests, google.delay_ms / 1000.0
            ));
        }
    }
    println!("ours sends at most {worst_vs_fixed:+.0} requests compared with the fixed 1 s poll in any case and seed (negative = fewer)");
    let mut json = String::new();
    let _ = write!(
        json,
        "{{\"title\":\"Polling efficiency (virtual clock, {SEEDS} seeds, {RTT_MS} ms per request): requests / detection delay (s)\",\
         \"columns\":[\"job\",\"progress\",\"ours requests\",\"ours delay s\",\"ours max delay s\",\"fixed 1 s requests\",\"fixed 1 s delay s\",\
         \"AWS requests\",\"AWS delay s\",\"Google LRO requests\",\"Google LRO delay s\"],\"rows\":[{}],\
         \"oursMinusFixedWorst\":{worst_vs_fixed}}}",
        rows.join(",")
    );
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("bench/results");
    std::fs::create_dir_all(&dir).expect("bench/results");
    std::fs::write(dir.join("polling.json"), json).expect("write polling.json");
    println!("wrote bench/results/polling.json");
}
