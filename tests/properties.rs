//! Property tests (proptest) of the native core through its public API:
//! - the poll schedule: no sleep past the deadline, request timeouts cut to it, every pause
//!   within [minIntervalMs, maxIntervalMs], the end seen within one pause, an abort honoured
//!   before the next request, and a wait resumed step by step (state through JSON) identical
//!   to one uninterrupted wait;
//! - request building: every valid input becomes exactly the JSON body / URL the API expects;
//!   every invalid one is refused with InvalidInput before anything is sent;
//! - JSON: our reader and writer (`src/json/`) agree with serde_json, an independent
//!   implementation, on arbitrary documents; broken text is refused by both.
//!
//! The crate's own test host (`src/test_support.rs`) is `cfg(test)`-only and refuses requests
//! after an abort by itself; `Probe` below only observes, so a client that sent a request after
//! the abort would be caught.
#![cfg(not(target_arch = "wasm32"))]

use std::cell::{Cell, RefCell};
use std::future::Future;
use std::pin::pin;
use std::task::{Context, Poll, Waker};

use proptest::prelude::*;
use serde_json::{json, Value};
use zilliz_cloud_backup::host::{Aborted, Host};
use zilliz_cloud_backup::http::{HttpRequest, HttpResponse, TransportError};
use zilliz_cloud_backup::model::backup::{CreateBackupRequest, CrossRegionCopy, DbCollections, ListBackupsQuery};
use zilliz_cloud_backup::model::job::Job;
use zilliz_cloud_backup::model::policy::{DayInput, FrequencyInput, PolicyInput};
use zilliz_cloud_backup::waiter::{Step, WaitOptions, WaitPolicy, WaitState};
use zilliz_cloud_backup::json;
use zilliz_cloud_backup::{Client, ClientConfig, ClientOptions, ErrorKind};

const START: f64 = 1_700_000_000_000.0;
const EPS: f64 = 1e-6;

/// Runs a future whose awaits all complete at once (the probe never pends).
fn block_on<F: Future>(f: F) -> F::Output {
    let mut f = pin!(f);
    match f.as_mut().poll(&mut Context::from_waker(Waker::noop())) {
        Poll::Ready(v) => v,
        Poll::Pending => panic!("the probe host never pends"),
    }
}

/// How the emulated job's progress rises.
#[derive(Clone, Copy, Debug)]
enum Curve {
    Linear,
    Stepwise,
    Stall,
}

/// A job that is PENDING for `pending_ms`, IN_PROGRESS until `duration_ms`, then SUCCESSFUL.
#[derive(Clone, Copy, Debug)]
struct JobPlan {
    pending_ms: f64,
    duration_ms: f64,
    curve: Curve,
}

impl JobPlan {
    fn body(&self, elapsed: f64) -> String {
        let (status, progress) = if elapsed >= self.duration_ms {
            ("SUCCESSFUL", 100.0)
        } else if elapsed < self.pending_ms {
            ("PENDING", 0.0)
        } else {
            let x = (elapsed - self.pending_ms) / (self.duration_ms - self.pending_ms);
            let p = match self.curve {
                Curve::Linear => x * 100.0,
                Curve::Stepwise => (x * 4.0).floor() * 25.0,
                Curve::Stall if x < 1.0 / 3.0 => x * 150.0,
                Curve::Stall if x < 2.0 / 3.0 => 50.0,
                Curve::Stall => 50.0 + (x - 2.0 / 3.0) * 150.0,
            };
            ("IN_PROGRESS", p.floor().min(99.0))
        };
        json!({"code": 0, "data": {"jobId": "job-p", "type": "BACKUP", "status": status, "progress": progress.to_string()}}).to_string()
    }
}

/// A request as sent: (at, timeout ms, url, body).
type Sent = (f64, f64, String, Option<String>);

/// An observing host: a virtual clock, a fixed random sequence, every sleep and request recorded
/// with the virtual time it started. A request takes `latency` ms (or its timeout, or until the
/// abort, whichever comes first).
struct Probe {
    now: Cell<f64>,
    randoms: Vec<f64>,
    next_random: Cell<usize>,
    latency: f64,
    job: JobPlan,
    /// (at, ms)
    sleeps: RefCell<Vec<(f64, f64)>>,
    sends: RefCell<Vec<Sent>>,
    /// Replies for non-job requests, in order.
    canned: RefCell<Vec<String>>,
}

impl Probe {
    fn new(latency: f64, job: JobPlan, randoms: Vec<f64>) -> Self {
        Probe {
            now: Cell::new(START),
            randoms,
            next_random: Cell::new(0),
            latency,
            job,
            sleeps: RefCell::default(),
            sends: RefCell::default(),
            canned: RefCell::default(),
        }
    }
}

/// The abort signal: fires at this virtual time.
struct AbortAt(f64);

// On a reference, so the test keeps the probe to read what it recorded.
impl Host for &Probe {
    type Signal = AbortAt;

    fn now_ms(&self) -> f64 {
        self.now.get()
    }
    fn random(&self) -> f64 {
        let i = self.next_random.get();
        self.next_random.set(i + 1);
        self.randoms[i % self.randoms.len()]
    }
    fn is_aborted(&self, signal: &AbortAt) -> bool {
        self.now.get() >= signal.0
    }
    async fn sleep(&self, ms: f64, signal: Option<&AbortAt>) -> Result<(), Aborted> {
        assert!(ms.is_finite() && ms >= 0.0, "sleep {ms}");
        self.sleeps.borrow_mut().push((self.now.get(), ms));
        let wake = self.now.get() + ms;
        match signal {
            Some(s) if s.0 <= wake => {
                self.now.set(self.now.get().max(s.0));
                Err(Aborted)
            }
            _ => {
                self.now.set(wake);
                Ok(())
            }
        }
    }
    async fn send(&self, request: &HttpRequest, timeout_ms: f64, signal: Option<&AbortAt>) -> Result<HttpResponse, TransportError> {
        let at = self.now.get();
        self.sends.borrow_mut().push((at, timeout_ms, request.url.clone(), request.body.clone()));
        let abort_in = signal.map_or(f64::INFINITY, |s| (s.0 - at).max(0.0));
        let took = self.latency.min(timeout_ms).min(abort_in);
        self.now.set(at + took);
        if took == abort_in && abort_in < self.latency.min(timeout_ms) {
            return Err(TransportError::Aborted);
        }
        if self.latency > timeout_ms {
            return Err(TransportError::Timeout);
        }
        let body = if request.url.contains("/v2/jobs/") {
            self.job.body(self.now.get() - START)
        } else {
            self.canned.borrow_mut().remove(0)
        };
        Ok(HttpResponse { status: 200, request_id: Some("req-p".into()), retry_after: None, body })
    }
}

fn client(host: &Probe) -> Client<&Probe> {
    let config = ClientConfig::new(ClientOptions {
        token: Some("sk-prop".into()),
        base_url: Some("https://api.example.com".into()),
        ..Default::default()
    })
    .unwrap();
    Client::new(host, config)
}

fn job_plan() -> impl Strategy<Value = JobPlan> {
    (0.0..3.0 * 3_600_000.0f64, 0.0..0.5f64, prop_oneof![Just(Curve::Linear), Just(Curve::Stepwise), Just(Curve::Stall)])
        .prop_map(|(duration_ms, pending, curve)| JobPlan { pending_ms: duration_ms * pending, duration_ms, curve })
}

fn wait_policy() -> impl Strategy<Value = WaitPolicy> {
    (10u32..5_000, 0u32..120_000, 1_000u32..4 * 3_600_000).prop_map(|(min, extra, timeout)| {
        WaitPolicy::new(WaitOptions {
            timeout_ms: Some(f64::from(timeout)),
            min_interval_ms: Some(f64::from(min)),
            max_interval_ms: Some(f64::from(min + extra)),
        })
        .unwrap()
    })
}

fn randoms() -> impl Strategy<Value = Vec<f64>> {
    prop::collection::vec(0.0..1.0f64, 1..16)
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 300, ..ProptestConfig::default() })]

    #[test]
    fn the_poll_schedule_keeps_its_bounds(
        policy in wait_policy(),
        job in job_plan(),
        latency in 0.0..3_000.0f64,
        randoms in randoms(),
        abort_after in prop::option::weighted(0.3, 0.0..5.0 * 3_600_000.0f64),
    ) {
        let probe = Probe::new(latency, job, randoms);
        let c = client(&probe);
        let signal = abort_after.map(|ms| AbortAt(START + ms));
        let result = block_on(c.wait_for_job("job-p", &policy, signal.as_ref(), &mut |_, _| {}));
        let end = probe.now.get();
        let deadline = START + policy.timeout_ms;
        let sends = probe.sends.borrow();
        prop_assert!(!sends.is_empty() || abort_after == Some(0.0), "the first poll goes out at once");

        // No sleep past the deadline; no request timeout past it; nothing sent at or after it.
        for (at, ms) in probe.sleeps.borrow().iter() {
            prop_assert!(at + ms <= deadline + EPS, "sleep {ms} at +{} ends past the deadline +{}", at - START, policy.timeout_ms);
        }
        for (at, timeout, _, _) in sends.iter() {
            prop_assert!(*at < deadline, "sent at the deadline");
            prop_assert!(at + timeout <= deadline + EPS, "request timeout {timeout} at +{} runs past the deadline", at - START);
        }
        // Every pause between a response and the next poll is within [min, max].
        for pair in sends.windows(2) {
            let answered = pair[0].0 + latency.min(pair[0].1);
            let pause = pair[1].0 - answered;
            prop_assert!(pause >= policy.min_interval_ms - EPS && pause <= policy.max_interval_ms + EPS,
                "pause {pause} outside [{}, {}]", policy.min_interval_ms, policy.max_interval_ms);
        }
        // An abort is honoured before the next request, and at once.
        if let Some(s) = &signal {
            prop_assert!(sends.iter().all(|(at, ..)| *at < s.0), "a request went out after the abort");
        }
        match result {
            Ok(done) => {
                prop_assert_eq!(done.status.as_str(), "SUCCESSFUL");
                // Seen done within one pause (plus the request's latency) of the end.
                let finished = START + job.duration_ms;
                prop_assert!(end >= finished - EPS);
                prop_assert!(end - finished <= policy.max_interval_ms + 2.0 * latency + EPS, "seen {} ms late", end - finished);
            }
            Err(e) => {
                prop_assert_eq!(e.job_id.as_deref(), Some("job-p"), "the error names the job");
                match e.kind {
                    ErrorKind::Aborted => {
                        let s = signal.as_ref().expect("aborted without a signal");
                        prop_assert!((end - s.0.max(START)).abs() <= EPS, "the abort ended the wait at once (+{} vs +{})", end - START, s.0 - START);
                    }
                    ErrorKind::Timeout => {
                        prop_assert!((end - deadline).abs() <= EPS, "a timeout ends exactly at the deadline (+{})", end - START);
                        prop_assert!(signal.as_ref().is_none_or(|s| s.0 > deadline - EPS));
                    }
                    other => prop_assert!(false, "unexpected {other:?}: {}", e.message),
                }
            }
        }
    }

    #[test]
    fn a_wait_resumed_in_steps_through_json_polls_exactly_like_one_wait(
        policy in wait_policy(),
        job in job_plan(),
        latency in 0.0..2_000.0f64,
        randoms in randoms(),
        budget in 1.0..600_000.0f64,
    ) {
        let first = Probe::new(latency, job, randoms.clone());
        let whole = client(&first);
        let one = block_on(whole.wait_for_job("job-p", &policy, None, &mut |_, _| {}));

        let second = Probe::new(latency, job, randoms);
        let stepped = client(&second);
        let mut state: WaitState<Job> = WaitState::new(&policy, START);
        let mut steps = 0;
        let last = loop {
            let until = second.now.get() + budget;
            let r = block_on(stepped.wait_for_job_step("job-p", &mut state, until, None, &mut |_, _| {}));
            match r {
                Ok(Step::Paused) => {
                    steps += 1;
                    prop_assert!(steps < 100_000, "no progress");
                    // Stored as JSON between invocations, and checked when it comes back.
                    let text = json::to_string(&state);
                    state = json::decode(&json::parse(&text).unwrap()).unwrap();
                    prop_assert!(state.check().is_ok());
                    // The worker wakes up when the next poll is due.
                    // The worker wakes when the next poll is due (advanced as a sleep would, so the
                    // float arithmetic is the same as in the uninterrupted wait).
                    let now = second.now.get();
                    let wake = state.next_poll_at.min(state.deadline).max(now);
                    second.now.set(now + (wake - now));
                }
                Ok(Step::Done(job)) => break Ok(job),
                Err(e) => break Err(e.kind),
            }
        };
        // The same polls at the same times. Not bit-for-bit: fractional times of 16–17 digits go
        // through JSON within an ulp (sub-microsecond at these values).
        let times = |p: &Probe| p.sends.borrow().iter().map(|s| s.0).collect::<Vec<_>>();
        let (a, b) = (times(&first), times(&second));
        prop_assert_eq!(a.len(), b.len(), "as many polls");
        for (x, y) in a.iter().zip(&b) {
            prop_assert!((x - y).abs() <= 1.0, "poll at +{} vs +{}", x - START, y - START);
        }
        prop_assert_eq!(one.map_err(|e| e.kind), last);
    }
}

// ---- request building ----

fn id() -> impl Strategy<Value = String> {
    "[A-Za-z0-9_-]{1,128}"
}

/// An id with at least one character that could change the URL (or is just not allowed).
fn bad_id() -> impl Strategy<Value = String> {
    prop_oneof![
        Just(String::new()),
        "[a-z0-9]{129,140}",
        ("[A-Za-z0-9_-]{0,8}", any::<char>().prop_filter("not an id character", |c| !(c.is_ascii_alphanumeric() || *c == '-' || *c == '_')), "[A-Za-z0-9_-]{0,8}")
            .prop_map(|(a, c, b)| format!("{a}{c}{b}")),
        prop::sample::select(vec!["..", "a/b", "a?b=1", "a#b", "%2F", "a@b", "a b", "a\u{ff0f}b", "\u{200b}", "a.b"]).prop_map(str::to_owned),
    ]
}

fn name() -> impl Strategy<Value = String> {
    "[A-Za-z_][A-Za-z0-9_]{0,254}"
}

fn bad_name() -> impl Strategy<Value = String> {
    prop_oneof![
        Just(String::new()),
        "[0-9][A-Za-z0-9_]{0,10}",
        "[A-Za-z_][A-Za-z0-9_]{255,260}",
        ("[A-Za-z_][A-Za-z0-9_]{0,5}", any::<char>().prop_filter("not a name character", |c| !(c.is_ascii_alphanumeric() || *c == '_')), "[A-Za-z0-9_]{0,5}")
            .prop_map(|(a, c, b)| format!("{a}{c}{b}")),
    ]
}

fn region() -> impl Strategy<Value = String> {
    "[a-z0-9-]{1,64}"
}

/// A valid create request and the JSON body the API expects for it (written from the API
/// reference, not from the client's types).
fn create_request() -> impl Strategy<Value = (CreateBackupRequest, Value)> {
    let regions = prop::option::of(prop::collection::btree_set(region(), 1..4));
    let cluster = regions.prop_map(|regions| {
        let mut body = json!({"backupType": "CLUSTER"});
        if let Some(r) = &regions {
            body["crossRegionCopies"] = r.iter().map(|id| json!({"regionId": id})).collect();
        }
        (CreateBackupRequest { backup_type: "CLUSTER".into(), db_collections: None, cross_region_copies: regions.map(|r| r.into_iter().map(|region_id| CrossRegionCopy { region_id }).collect()) }, body)
    });
    let collection = (prop::option::of(name()), prop::collection::btree_set(name(), 1..8), 0usize..8).prop_map(|(db, names, split)| {
        let names: Vec<String> = names.into_iter().collect();
        // One database, possibly over two entries (the API merges them; the client sends them as given).
        let split = split.min(names.len() - 1);
        let groups: Vec<Vec<String>> = if split == 0 { vec![names] } else { vec![names[..split].to_vec(), names[split..].to_vec()] };
        let entries: Vec<Value> = groups
            .iter()
            .map(|g| match &db {
                Some(d) => json!({"dbName": d, "collectionNames": g}),
                None => json!({"collectionNames": g}),
            })
            .collect();
        let request = CreateBackupRequest {
            backup_type: "COLLECTION".into(),
            db_collections: Some(groups.into_iter().map(|collection_names| DbCollections { db_name: db.clone(), collection_names }).collect()),
            cross_region_copies: None,
        };
        (request, json!({"backupType": "COLLECTION", "dbCollections": entries}))
    });
    prop_oneof![cluster, collection]
}

const CREATED: &str = r#"{"code":0,"data":{"backupId":"backup1_a","backupName":"n","jobId":"job-1"}}"#;

fn probe() -> Probe {
    Probe::new(0.0, JobPlan { pending_ms: 0.0, duration_ms: 0.0, curve: Curve::Linear }, vec![0.5])
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 500, ..ProptestConfig::default() })]

    #[test]
    fn a_valid_create_sends_exactly_the_documented_body((request, expected) in create_request(), cluster in id()) {
        let p = probe();
        let c = client(&p);
        p.canned.borrow_mut().push(CREATED.into());
        let created = block_on(c.create_backup(&cluster, &request, None));
        prop_assert!(created.is_ok(), "{:?}", created.err().map(|e| e.message.clone()));
        let sends = p.sends.borrow();
        prop_assert_eq!(sends.len(), 1);
        prop_assert_eq!(&sends[0].2, &format!("https://api.example.com/v2/clusters/{cluster}/backups/create"));
        let body: Value = serde_json::from_str(sends[0].3.as_deref().unwrap()).unwrap();
        prop_assert_eq!(body, expected);
    }

    #[test]
    fn a_bad_id_is_refused_before_anything_is_sent(bad in bad_id(), good in id(), which in 0usize..8) {
        let p = probe();
        let c = client(&p);
        let cluster = CreateBackupRequest { backup_type: "CLUSTER".into(), db_collections: None, cross_region_copies: None };
        let e = block_on(async {
            match which {
                0 => c.create_backup(&bad, &cluster, None).await.map(|_| ()),
                1 => c.describe_job(&bad, None).await.map(|_| ()),
                2 => c.describe_backup(&bad, &good, None).await.map(|_| ()),
                3 => c.describe_backup(&good, &bad, None).await.map(|_| ()),
                4 => c.delete_backup(&good, &bad, None).await.map(|_| ()),
                5 => c.get_backup_policy(&bad, None).await.map(|_| ()),
                6 => c.wait_for_job(&bad, &WaitPolicy::default(), None, &mut |_, _| {}).await.map(|_| ()),
                _ => c.list_backups(&ListBackupsQuery { cluster_id: Some(bad.clone()), ..Default::default() }, None).await.map(|_| ()),
            }
        }).unwrap_err();
        prop_assert_eq!(e.kind, ErrorKind::InvalidInput, "{}", e.message);
        prop_assert!(!e.retryable);
        prop_assert!(p.sends.borrow().is_empty(), "a request was sent");
    }

    #[test]
    fn a_bad_collection_or_database_name_is_refused(bad in bad_name(), good in name(), in_db in any::<bool>()) {
        let p = probe();
        let c = client(&p);
        let entry = if in_db {
            DbCollections { db_name: Some(bad), collection_names: vec![good] }
        } else {
            DbCollections { db_name: None, collection_names: vec![good, bad] }
        };
        let request = CreateBackupRequest { backup_type: "COLLECTION".into(), db_collections: Some(vec![entry]), cross_region_copies: None };
        let e = block_on(c.create_backup("in01-a", &request, None)).unwrap_err();
        prop_assert_eq!(e.kind, ErrorKind::InvalidInput, "{}", e.message);
        prop_assert!(p.sends.borrow().is_empty());
    }

    #[test]
    fn a_valid_policy_sends_the_normalised_body(
        days in prop::collection::btree_set(1u8..=7, 1..=7),
        as_names in any::<bool>(),
        hour in 0u32..24,
        full_window in any::<bool>(),
        retention in 1u32..=30,
        order in any::<u64>(),
    ) {
        const NAMES: [&str; 7] = ["MON", "tue", "Wed", "thursday", "FRI", "sat", "Sunday"];
        let mut given: Vec<u8> = days.iter().copied().collect();
        let turn = (order % given.len() as u64) as usize;
        given.rotate_left(turn);
        let frequency = FrequencyInput::Days(given.iter().map(|d| if as_names { DayInput::Name(NAMES[*d as usize - 1].into()) } else { DayInput::Number(f64::from(*d)) }).collect());
        let end = (hour + 2) % 24;
        let start_time = if full_window { format!("{hour:02}:00-{end:02}:00") } else { format!("{hour:02}:00") };
        let input = PolicyInput { enabled: true, frequency: Some(frequency), start_time: Some(start_time), retention_days: Some(f64::from(retention)), cross_region_copies: None };
        let p = probe();
        let c = client(&p);
        p.canned.borrow_mut().push(r#"{"code":0,"data":{"clusterId":"in01-a","status":"ENABLED"}}"#.into());
        prop_assert!(block_on(c.set_backup_policy("in01-a", &input, None)).is_ok());
        let sends = p.sends.borrow();
        let body: Value = serde_json::from_str(sends[0].3.as_deref().unwrap()).unwrap();
        let weekdays: Vec<String> = days.iter().map(u8::to_string).collect();
        prop_assert_eq!(body, json!({"enabled": true, "frequency": weekdays.join(","), "startTime": format!("{hour:02}:00-{end:02}:00"), "retentionDays": retention}));
    }

    #[test]
    fn a_valid_list_query_becomes_the_documented_url(
        cluster in prop::option::of(id()),
        method in prop::option::of(prop::sample::select(vec!["MANUAL", "AUTO"])),
        kind in prop::option::of(prop::sample::select(vec!["CLUSTER", "COLLECTION"])),
        size in prop::option::of(1u32..=100),
        page in prop::option::of(1u32..=1000),
        since in prop::option::of((2020u32..2030, 1u32..=12, 1u32..=28, 0u32..24)),
    ) {
        let start = since.map(|(y, m, d, h)| format!("{y}-{m:02}-{d:02}T{h:02}:00:00Z"));
        let query = ListBackupsQuery {
            cluster_id: cluster.clone(),
            creation_method: method.map(str::to_owned),
            backup_type: kind.map(str::to_owned),
            start_time: start.clone(),
            page_size: size.map(f64::from),
            current_page: page.map(f64::from),
            ..Default::default()
        };
        let p = probe();
        let c = client(&p);
        p.canned.borrow_mut().push(r#"{"code":0,"data":{"count":0,"currentPage":1,"pageSize":10,"backups":[]}}"#.into());
        prop_assert!(block_on(c.list_backups(&query, None)).is_ok());
        let mut params = Vec::new();
        if let Some(v) = &cluster { params.push(format!("clusterId={v}")); }
        if let Some(v) = method { params.push(format!("creationMethod={v}")); }
        if let Some(v) = kind { params.push(format!("backupType={v}")); }
        if let Some(v) = &start { params.push(format!("startTime={v}")); }
        if let Some(v) = size { params.push(format!("pageSize={v}")); }
        if let Some(v) = page { params.push(format!("currentPage={v}")); }
        let expected = if params.is_empty() { "https://api.example.com/v2/backups".to_owned() } else { format!("https://api.example.com/v2/backups?{}", params.join("&")) };
        prop_assert_eq!(&p.sends.borrow()[0].2, &expected);
    }
}

// ---- regressions from fuzzing (fuzz/regressions/) ----

/// The fuzzer's first base-URL "crash" was its own mistake, kept as a fact: an '@' in the path
/// is harmless (the host is what comes before the first '/'), and the library keeps the host.
#[test]
fn an_at_sign_in_the_base_url_path_keeps_the_host() {
    let url = zilliz_cloud_backup::config::base_url("https://api.clo//ahttXttttps://api.+ac@upTypeclpud.zom/x").unwrap();
    assert!(url.starts_with("https://api.clo/"), "{url}");
}

/// Library bug (reported; fuzz/regressions/decode_response/retry-after-300-digits): a
/// `Retry-After` of many digits is read as infinitely many milliseconds, which reaches JS as
/// `retryAfterMs: Infinity` (and `setTimeout(f, Infinity)` fires at once). It should be a finite
/// number, or ignored as unreadable.
#[test]
fn a_huge_retry_after_is_finite_or_ignored() {
    let value = "9".repeat(400);
    let ms = zilliz_cloud_backup::retry::parse_retry_after(&value, START);
    assert!(ms.is_none_or(f64::is_finite), "Retry-After {}… → {ms:?}", &value[..10]);
}

/// Library bug (reported; fuzz/regressions/validate_input/base-url-numeric-last-label): a base
/// URL whose last host label is all digits (`https://example.123`) is accepted, but WHATWG URL
/// (fetch) refuses it, so every request then fails as a retryable Network error instead of the
/// constructor throwing InvalidInput.
#[test]
fn a_base_url_fetch_cannot_parse_is_refused() {
    for bad in ["https://example.123", "https://1.2.3.4.5", "https://x66.6666666666666666666"] {
        assert!(zilliz_cloud_backup::config::base_url(bad).is_err(), "{bad} accepted");
    }
}

// ---- JSON against serde_json ----

/// Arbitrary JSON documents as serde_json builds them.
fn any_json() -> impl Strategy<Value = Value> {
    let number = prop_oneof![
        any::<i32>().prop_map(|n| json!(n)),
        (-1e15..1e15f64).prop_map(|n| json!(n.round())),
        (0u32..1_000_000, 0u32..4).prop_map(|(n, d)| json!(f64::from(n) / 10f64.powi(d as i32))),
        (-1e6..1e6f64).prop_map(|n| json!(n)),
    ];
    let leaf = prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::Bool),
        number,
        any::<String>().prop_map(Value::String),
    ];
    leaf.prop_recursive(4, 64, 8, |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..8).prop_map(Value::Array),
            prop::collection::vec(("[a-zA-Z_]{0,8}", inner), 0..8).prop_map(|fields| {
                Value::Object(fields.into_iter().collect())
            }),
        ]
    })
}

/// Our value → serde_json's, to compare the two readers.
fn to_serde(v: &json::Value) -> Value {
    match v {
        json::Value::Null => Value::Null,
        json::Value::Bool(b) => Value::Bool(*b),
        json::Value::Number(n) => json!(n),
        json::Value::String(s) => Value::String(s.to_string()),
        json::Value::Array(items) => Value::Array(items.iter().map(to_serde).collect()),
        json::Value::Object(fields) => Value::Object(fields.iter().map(|(k, v)| (k.to_string(), to_serde(v))).collect()),
    }
}

/// Numbers compared as f64, within an ulp (serde_json's float reading may round differently).
fn same(a: &Value, b: &Value) -> bool {
    match (a, b) {
        (Value::Number(x), Value::Number(y)) => {
            let (x, y) = (x.as_f64().unwrap(), y.as_f64().unwrap());
            x == y || (x - y).abs() <= x.abs().max(y.abs()) * 2.3e-16
        }
        (Value::Array(x), Value::Array(y)) => x.len() == y.len() && x.iter().zip(y).all(|(a, b)| same(a, b)),
        (Value::Object(x), Value::Object(y)) => x.len() == y.len() && x.iter().all(|(k, v)| y.get(k).is_some_and(|w| same(v, w))),
        _ => a == b,
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(512))]

    #[test]
    fn our_reader_reads_what_serde_json_writes(doc in any_json(), pretty in any::<bool>()) {
        let text = if pretty { serde_json::to_string_pretty(&doc).unwrap() } else { doc.to_string() };
        let ours = json::parse(&text).map_err(|e| TestCaseError::fail(format!("{e}: {text}")))?;
        prop_assert!(same(&to_serde(&ours), &doc), "{text}");
    }

    #[test]
    fn serde_json_reads_what_our_writer_writes(doc in any_json()) {
        let doc_text = doc.to_string();
        let ours = json::parse(&doc_text).unwrap();
        let text = json::to_string(&ours);
        let back: Value = serde_json::from_str(&text).map_err(|e| TestCaseError::fail(format!("{e}: {text}")))?;
        prop_assert!(same(&back, &doc), "{text}");
        // And our own reader gets exactly our value back.
        prop_assert_eq!(json::parse(&text).unwrap(), ours);
    }

    #[test]
    fn broken_text_is_refused_like_serde_json_refuses_it(doc in any_json(), cut in any::<prop::sample::Index>(), byte in any::<u8>()) {
        // Cut a document short or corrupt one byte: both readers must agree on whether it is JSON.
        let text = doc.to_string();
        let mut bytes = text.into_bytes();
        let i = cut.index(bytes.len().max(1)).min(bytes.len().saturating_sub(1));
        if byte % 2 == 0 { bytes.truncate(i) } else if !bytes.is_empty() { bytes[i] = b"{}[],:\"0-e.tnf x"[usize::from(byte) % 16] }
        if let Ok(text) = String::from_utf8(bytes) {
            let theirs = serde_json::from_str::<Value>(&text);
            // One known difference: serde_json refuses numbers past f64's range; `JSON.parse`,
            // and so ours, reads them as ±Infinity.
            let out_of_range = theirs.as_ref().is_err_and(|e| e.to_string().contains("out of range"));
            if !out_of_range {
                prop_assert_eq!(json::parse(&text).is_ok(), theirs.is_ok(), "{}", text);
            }
        }
    }
}
