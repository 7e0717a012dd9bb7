//! The emulator's whole world: clusters, backups, jobs, fault rules, the request log and the runtime
//! configuration, behind ONE mutex (held only for short synchronous sections, never across an await).
//! Job progress is a pure function of elapsed time, so nothing runs in the background.

use std::collections::{BTreeMap, HashMap, VecDeque};

use serde_json::{json, Value};

use crate::clock::Clock;
use crate::faults::FaultRule;

pub const SEED_PROJECT_ID: &str = "proj-00000000000000000001";
pub const DEFAULT_REGION_ID: &str = "aws-us-west-2";
/// The request log is capped so a long-running emulator cannot grow without bound.
const MAX_LOGGED_REQUESTS: usize = 100_000;
const DEFAULT_FAIL_REASON: &str = "Backup job failed (injected by the emulator).";

/// Settings that tests may change at run time and that reset restores.
#[derive(Clone, PartialEq)]
pub struct RuntimeConfig {
    pub api_key: String,
    pub job_duration_ms: u64,
    /// The list's `count` is undocumented: the total (true, default) or this page's size.
    pub list_count_total: bool,
    /// Describe-backup contents: older docs' flat `collections` (false, default) or newer
    /// docs' `dbCollections: [{dbName, collections}]`.
    pub describe_grouped: bool,
    /// Requests per second per API key per endpoint; 0 = no limit.
    pub rate_limit_per_second: u32,
    /// Jobs run this many times faster (their duration is divided by it when they are created).
    pub time_scale: f64,
    pub progress_curve: Curve,
}

impl RuntimeConfig {
    pub fn new(api_key: String, job_duration_ms: u64) -> Self {
        RuntimeConfig {
            api_key,
            job_duration_ms,
            list_count_total: true,
            describe_grouped: false,
            rate_limit_per_second: 0,
            time_scale: 1.0,
            progress_curve: Curve::Linear,
        }
    }
}

/// How a job's progress rises while IN_PROGRESS.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Curve {
    /// Linearly, capped at 99.
    Linear,
    /// The linear value rounded down to a multiple of 25 (0, 25, 50, 75).
    Stepwise,
    /// 0 → 50 until a third of the duration, stuck at 50 for the middle third, then 50 → 99.
    Stall,
}

impl Curve {
    pub fn as_str(self) -> &'static str {
        match self {
            Curve::Linear => "linear",
            Curve::Stepwise => "stepwise",
            Curve::Stall => "stall",
        }
    }

    pub fn parse(s: &str) -> Option<Curve> {
        match s {
            "linear" => Some(Curve::Linear),
            "stepwise" => Some(Curve::Stepwise),
            "stall" => Some(Curve::Stall),
            _ => None,
        }
    }
}

#[derive(Debug, Clone)]
pub struct Cluster {
    pub cluster_id: String,
    pub cluster_name: String,
    /// "Dedicated" | "Serverless" | "Free".
    pub plan: String,
    pub project_id: String,
    pub region_id: String,
    pub databases: BTreeMap<String, Vec<String>>,
    /// Numbers the backups of this cluster (`backup<N>_…`, `…_backup<N>`).
    pub backup_seq: u64,
    pub fail_next_backup: Option<FailPlan>,
    /// Scripted failure of the next RESTORE/EXPORT job started from this cluster's backups
    /// (`None` type = either).
    pub fail_next_job: Option<(Option<String>, FailPlan)>,
    /// Clusters made by restoreCluster: where they came from (source cluster, backup, job).
    pub restored_from: Option<(String, String, String)>,
}

/// A scripted failure: the job fails when its progress reaches `at_progress`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FailPlan {
    pub at_progress: u8,
    pub reason: String,
}

#[derive(Debug, Clone)]
pub struct Backup {
    /// Creation order across the emulator (maps are keyed by id, snapshots sort by this).
    pub seq: u64,
    pub backup_id: String,
    pub backup_name: String,
    pub cluster_id: String,
    /// "CLUSTER" | "COLLECTION".
    pub backup_type: String,
    /// "MANUAL" (automatic backups come later with the policy endpoints).
    pub creation_method: String,
    /// COLLECTION backups: one database and its collections.
    pub db_collections: Vec<(String, Vec<String>)>,
    /// What the backup holds (databases and collections as they were when it was created).
    pub contents: Vec<(String, Vec<String>)>,
    pub cross_region_copies: Vec<String>,
    pub job_id: String,
    pub created_ms: u64,
    /// Set by DELETE; the backup is then DELETED (still described, never listed).
    pub deleted_ms: Option<u64>,
    /// AUTO backups expire with the policy's retention; MANUAL ones never do.
    pub expire_ms: Option<u64>,
}

/// A cluster's automatic-backup policy.
#[derive(Debug, Clone, Default)]
pub struct Policy {
    pub enabled: bool,
    /// "1,3,5" (1 = Monday).
    pub frequency: Option<String>,
    /// "HH:00-HH:00", a two-hour UTC window.
    pub start_time: Option<String>,
    pub retention_days: u32,
    pub cross_region_copies: Vec<Value>,
}

#[derive(Debug, Clone)]
pub struct Job {
    pub seq: u64,
    pub job_id: String,
    /// "BACKUP" | "RESTORE" | "EXPORT".
    pub job_type: String,
    /// The cluster the request named (a restore's or export's source cluster).
    pub cluster_id: String,
    pub backup_id: Option<String>,
    /// Restores: the cluster restored into.
    pub target_cluster_id: Option<String>,
    /// Applied once the job is SUCCESSFUL (see `State::settle`).
    pub effect: Option<Effect>,
    pub curve: Curve,
    pub created_ms: u64,
    /// Snapshot of the configured duration when the job was created.
    pub duration_ms: u64,
    pub fail_plan: Option<FailPlan>,
    /// Set by the control API: failed at that instant with the progress it had then.
    pub forced_failure: Option<Failure>,
}

/// What a job changes when it succeeds.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Effect {
    /// restoreCollection: the collection appears in the destination cluster.
    AddCollection {
        cluster_id: String,
        db: String,
        collection: String,
    },
}

#[derive(Debug, Clone)]
pub struct Failure {
    pub at_ms: u64,
    pub progress: u8,
    pub reason: String,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum JobStatus {
    Pending,
    InProgress,
    Successful,
    Failed,
}

impl JobStatus {
    pub fn as_str(self) -> &'static str {
        match self {
            JobStatus::Pending => "PENDING",
            JobStatus::InProgress => "IN_PROGRESS",
            JobStatus::Successful => "SUCCESSFUL",
            JobStatus::Failed => "FAILED",
        }
    }

    pub fn is_terminal(self) -> bool {
        matches!(self, JobStatus::Successful | JobStatus::Failed)
    }
}

/// A job as seen at one instant.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct JobView {
    pub status: JobStatus,
    pub progress: u8,
    pub end_ms: Option<u64>,
    pub reason: String,
}

impl Job {
    /// Where the job stands at `now_ms`: PENDING for the first 10% of its duration (progress 0),
    /// then IN_PROGRESS with progress rising linearly (capped at 99), then SUCCESSFUL at 100 —
    /// unless a fail plan or a forced failure cuts it short.
    pub fn view(&self, now_ms: u64) -> JobView {
        let elapsed = now_ms.saturating_sub(self.created_ms);
        let natural = |elapsed: u64| -> JobView {
            if elapsed >= self.duration_ms {
                JobView {
                    status: JobStatus::Successful,
                    progress: 100,
                    end_ms: Some(self.created_ms + self.duration_ms),
                    reason: String::new(),
                }
            } else if elapsed < self.duration_ms / 10 {
                JobView {
                    status: JobStatus::Pending,
                    progress: 0,
                    end_ms: None,
                    reason: String::new(),
                }
            } else {
                JobView {
                    status: JobStatus::InProgress,
                    progress: self.progress_at(elapsed),
                    end_ms: None,
                    reason: String::new(),
                }
            }
        };
        // A scripted failure happens when progress reaches the planned value.
        if let Some(plan) = &self.fail_plan {
            let fail_after = self.reaches(plan.at_progress);
            if elapsed >= fail_after {
                let at_ms = self.created_ms + fail_after;
                if self.forced_failure.as_ref().is_none_or(|f| f.at_ms > at_ms) {
                    return JobView {
                        status: JobStatus::Failed,
                        progress: plan.at_progress,
                        end_ms: Some(at_ms),
                        reason: plan.reason.clone(),
                    };
                }
            }
        }
        if let Some(f) = &self.forced_failure {
            if now_ms >= f.at_ms {
                return JobView {
                    status: JobStatus::Failed,
                    progress: f.progress,
                    end_ms: Some(f.at_ms),
                    reason: f.reason.clone(),
                };
            }
        }
        natural(elapsed)
    }

    /// Progress while IN_PROGRESS (`duration/10 <= elapsed < duration`), following the curve.
    fn progress_at(&self, elapsed: u64) -> u8 {
        let d = self.duration_ms;
        let pending = d / 10;
        let ramp = |from: u64, to: u64, p0: u64, p1: u64| -> u64 {
            p0 + elapsed.saturating_sub(from) * (p1 - p0) / to.saturating_sub(from).max(1)
        };
        let p = match self.curve {
            Curve::Linear => ramp(pending, d, 0, 100),
            Curve::Stepwise => ramp(pending, d, 0, 100).min(99) / 25 * 25,
            Curve::Stall => {
                let (a, b) = (d / 3, 2 * d / 3);
                if elapsed < a {
                    ramp(pending, a, 0, 50).min(50)
                } else if elapsed < b {
                    50
                } else {
                    ramp(b, d, 50, 100)
                }
            }
        };
        p.min(99) as u8
    }

    /// Elapsed ms at which progress first reaches `p` (the duration for 100).
    fn reaches(&self, p: u8) -> u64 {
        let (mut lo, mut hi) = (self.duration_ms / 10, self.duration_ms);
        if p >= 100 {
            return hi;
        }
        // Progress is non-decreasing in time: binary search for the first instant >= p.
        while lo < hi {
            let mid = lo + (hi - lo) / 2;
            if self.progress_at(mid) >= p {
                hi = mid;
            } else {
                lo = mid + 1;
            }
        }
        lo
    }
}

/// A request to `/v2/` as it arrived (faulted ones included).
#[derive(Debug, Clone)]
pub struct LoggedRequest {
    pub method: String,
    pub path: String,
    pub query: String,
    pub authorization: Option<String>,
    pub body: String,
    pub at_ms: u64,
}

/// splitmix64: small, seedable, good enough for identifiers (not for secrets).
#[derive(Debug, Clone)]
pub struct Rng(u64);

impl Rng {
    pub fn seeded() -> Self {
        let nanos = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map(|d| d.as_nanos() as u64)
            .unwrap_or(0);
        Rng(nanos ^ (u64::from(std::process::id()) << 32))
    }

    /// A fixed seed: the same sequence every time (random faults).
    pub fn with_seed(seed: u64) -> Self {
        Rng(seed)
    }

    pub fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// `len` characters drawn from `alphabet`.
    pub fn string(&mut self, alphabet: &[u8], len: usize) -> String {
        (0..len)
            .map(|_| alphabet[(self.next_u64() % alphabet.len() as u64) as usize] as char)
            .collect()
    }
}

pub const HEX: &[u8] = b"0123456789abcdef";
pub const LOWER_ALNUM: &[u8] = b"0123456789abcdefghijklmnopqrstuvwxyz";

pub struct State {
    pub clock: Clock,
    /// The command-line values, restored by reset.
    pub defaults: RuntimeConfig,
    pub config: RuntimeConfig,
    pub clusters: BTreeMap<String, Cluster>,
    pub backups: BTreeMap<String, Backup>,
    pub jobs: BTreeMap<String, Job>,
    pub faults: Vec<FaultRule>,
    /// A ring: once full, the oldest entry goes at O(1) per request. (A `Vec` with `remove(0)`
    /// moved all 100,000 entries, about 12.8 MB, on every request past the cap, under the
    /// state's lock: past 100,000 requests the emulator served 6,200 a second instead of about
    /// 50,000, bench/HISTORY.md twenty-sixth round. The benchmarks clear the log after every
    /// batch, so they never met it; an emulator serving a dashboard or a load test for long did.)
    pub requests: VecDeque<LoggedRequest>,
    pub policies: BTreeMap<String, Policy>,
    /// Jobs whose effect is not applied yet (applied by `settle` once they succeed).
    pub pending_effects: Vec<String>,
    /// Rate limiter: (API key, endpoint) → instants (ms) of the requests admitted in the last second.
    pub rate_windows: HashMap<(String, String), VecDeque<u64>>,
    pub stats: Stats,
    pub rng: Rng,
    /// `randomFaults` (control API config), off until set.
    pub random_faults: Option<crate::faults::RandomFaults>,
    /// Backups seeded through the control API with an age: backupId → createTime as wall-clock
    /// ms (they may predate the emulator, which `created_ms` cannot express).
    pub backdated: HashMap<String, u64>,
    seq: u64,
}

/// `GET /__emulator/stats`: `/v2/` requests and 429s, in total and per endpoint.
#[derive(Debug, Clone, Default)]
pub struct Stats {
    pub requests: u64,
    pub rate_limited: u64,
    /// endpoint ("GET /v2/jobs/{id}") → (requests, rate limited).
    pub by_endpoint: BTreeMap<String, (u64, u64)>,
}

pub fn seed_databases() -> BTreeMap<String, Vec<String>> {
    let mut dbs = BTreeMap::new();
    dbs.insert(
        "default".to_string(),
        vec!["medium_articles".into(), "books".into(), "movies".into()],
    );
    dbs.insert("analytics".to_string(), vec!["events".into()]);
    dbs
}

impl State {
    pub fn new(defaults: RuntimeConfig) -> Self {
        let mut state = State {
            clock: Clock::new(),
            config: defaults.clone(),
            defaults,
            clusters: BTreeMap::new(),
            backups: BTreeMap::new(),
            jobs: BTreeMap::new(),
            faults: Vec::new(),
            requests: VecDeque::new(),
            policies: BTreeMap::new(),
            pending_effects: Vec::new(),
            rate_windows: HashMap::new(),
            stats: Stats::default(),
            rng: Rng::seeded(),
            random_faults: None,
            backdated: HashMap::new(),
            seq: 0,
        };
        state.reset();
        state
    }

    /// Seed clusters, no backups/jobs/faults, empty request log, command-line config.
    /// The clock keeps running so request-log timestamps stay monotonic across resets.
    pub fn reset(&mut self) {
        self.config = self.defaults.clone();
        self.clusters.clear();
        self.backups.clear();
        self.jobs.clear();
        self.faults.clear();
        self.requests.clear();
        self.policies.clear();
        self.pending_effects.clear();
        self.rate_windows.clear();
        self.stats = Stats::default();
        self.random_faults = None;
        self.backdated.clear();
        for (id, name, plan) in [
            ("in01-0000000000000001", "Dedicated-01", "Dedicated"),
            ("in01-0000000000000002", "Dedicated-02", "Dedicated"),
            ("in03-0000000000000009", "Serverless-09", "Serverless"),
        ] {
            self.add_cluster(Cluster {
                cluster_id: id.into(),
                cluster_name: name.into(),
                plan: plan.into(),
                project_id: SEED_PROJECT_ID.into(),
                region_id: DEFAULT_REGION_ID.into(),
                databases: seed_databases(),
                backup_seq: 0,
                fail_next_backup: None,
                fail_next_job: None,
                restored_from: None,
            });
        }
    }

    pub fn now_ms(&self) -> u64 {
        self.clock.now_ms()
    }

    pub fn next_seq(&mut self) -> u64 {
        self.seq += 1;
        self.seq
    }

    pub fn add_cluster(&mut self, cluster: Cluster) {
        self.clusters.insert(cluster.cluster_id.clone(), cluster);
    }

    pub fn log_request(&mut self, entry: LoggedRequest) {
        if self.requests.len() >= MAX_LOGGED_REQUESTS {
            self.requests.pop_front();
        }
        self.requests.push_back(entry);
    }

    /// The one-manual-backup rule, as the docs state it: a manual backup cannot start while a
    /// manual backup job is pending or in progress on the cluster, nor while an automatic one
    /// runs. Returns the creation method of a running backup job ("MANUAL" first), if any.
    pub fn running_backup(&self, cluster_id: &str, now_ms: u64) -> Option<&'static str> {
        let running = |method: &str| {
            self.backups
                .values()
                .filter(|b| b.cluster_id == cluster_id && b.creation_method == method)
                .any(|b| {
                    self.jobs
                        .get(&b.job_id)
                        .is_some_and(|j| !j.view(now_ms).status.is_terminal())
                })
        };
        if running("MANUAL") {
            Some("MANUAL")
        } else if running("AUTO") {
            Some("AUTO")
        } else {
            None
        }
    }

    /// Applies the effects of jobs that have succeeded since the last call (a restored collection
    /// appears in its cluster); drops those of failed jobs. Called whenever the lock is taken.
    pub fn settle(&mut self) {
        if self.pending_effects.is_empty() {
            return;
        }
        let now = self.now_ms();
        let mut still = Vec::new();
        for job_id in std::mem::take(&mut self.pending_effects) {
            let Some(job) = self.jobs.get(&job_id) else {
                continue;
            };
            match job.view(now).status {
                JobStatus::Successful => {
                    if let Some(Effect::AddCollection {
                        cluster_id,
                        db,
                        collection,
                    }) = job.effect.clone()
                    {
                        if let Some(c) = self.clusters.get_mut(&cluster_id) {
                            let cols = c.databases.entry(db).or_default();
                            if !cols.contains(&collection) {
                                cols.push(collection);
                            }
                        }
                    }
                }
                JobStatus::Failed => {}
                _ => still.push(job_id),
            }
        }
        self.pending_effects = still;
    }

    /// Is a running job about to create this collection (so the name is taken)?
    pub fn collection_reserved(&self, cluster_id: &str, db: &str, collection: &str) -> bool {
        let want = Effect::AddCollection {
            cluster_id: cluster_id.into(),
            db: db.into(),
            collection: collection.into(),
        };
        self.pending_effects
            .iter()
            .filter_map(|id| self.jobs.get(id))
            .any(|j| j.effect.as_ref() == Some(&want))
    }

    /// Rate limiting: admits the request or returns the seconds to wait (for `Retry-After`).
    /// A sliding one-second window per (API key, endpoint).
    pub fn rate_limit(&mut self, key: &str, endpoint: &str) -> Result<(), u64> {
        let limit = self.config.rate_limit_per_second as usize;
        if limit == 0 {
            return Ok(());
        }
        let now = self.now_ms();
        let window = self
            .rate_windows
            .entry((key.to_string(), endpoint.to_string()))
            .or_default();
        while window
            .front()
            .is_some_and(|t| now.saturating_sub(*t) >= 1000)
        {
            window.pop_front();
        }
        if window.len() >= limit {
            let oldest = *window.front().expect("full window");
            let wait_ms = (oldest + 1000).saturating_sub(now);
            self.stats.rate_limited += 1;
            self.stats
                .by_endpoint
                .entry(endpoint.to_string())
                .or_default()
                .1 += 1;
            return Err(wait_ms.div_ceil(1000).max(1));
        }
        window.push_back(now);
        Ok(())
    }

    pub fn count_request(&mut self, endpoint: &str) {
        self.stats.requests += 1;
        self.stats
            .by_endpoint
            .entry(endpoint.to_string())
            .or_default()
            .0 += 1;
    }

    pub fn stats_json(&self) -> Value {
        let by: serde_json::Map<String, Value> = self
            .stats
            .by_endpoint
            .iter()
            .map(|(k, (n, limited))| (k.clone(), json!({ "requests": n, "rateLimited": limited })))
            .collect();
        let random = self
            .random_faults
            .as_ref()
            .map(crate::faults::RandomFaults::stats_json);
        json!({ "requests": self.stats.requests, "rateLimited": self.stats.rate_limited, "byEndpoint": by, "randomFaults": random })
    }

    /// CREATING while its job runs, AVAILABLE after success, FAILED when the job failed (a failed
    /// backup is kept for inspection but is not a usable backup), DELETED once deleted.
    pub fn backup_status(&self, backup: &Backup, now_ms: u64) -> &'static str {
        // Automatic backups also go when their retention runs out (real days, not time-scaled).
        if backup.deleted_ms.is_some() || backup.expire_ms.is_some_and(|e| e <= now_ms) {
            return "DELETED";
        }
        match self.jobs.get(&backup.job_id).map(|j| j.view(now_ms).status) {
            Some(JobStatus::Successful) | None => "AVAILABLE",
            Some(JobStatus::Failed) => "FAILED",
            Some(_) => "CREATING",
        }
    }

    /// A backup's createTime as wall-clock ms (seeded backups may be older than the emulator).
    pub fn backup_created_wall_ms(&self, backup: &Backup) -> u64 {
        self.backdated
            .get(&backup.backup_id)
            .copied()
            .unwrap_or_else(|| self.clock.wall_ms(backup.created_ms))
    }

    /// A backup's createTime as the API shows it (`2024-07-30T16:49:50Z`).
    pub fn backup_create_time(&self, backup: &Backup) -> String {
        crate::clock::iso_from_unix_secs(self.backup_created_wall_ms(backup) / 1000)
    }

    /// Bytes: a fixed size per backup, growing with its job's progress while CREATING.
    pub fn backup_size(&self, backup: &Backup, now_ms: u64) -> u64 {
        let full = 64 * 1024 * 1024 * (1 + backup.seq % 16);
        let progress = self
            .jobs
            .get(&backup.job_id)
            .map_or(100, |j| u64::from(j.view(now_ms).progress));
        full * progress / 100
    }

    /// Starts a job; returns its id. Every asynchronous operation (backup, restore, export) runs
    /// as one of these, with the configured duration divided by the time scale, and the
    /// configured progress curve. RESTORE/EXPORT jobs take the cluster's `fail_next_job` plan.
    pub fn start_job(
        &mut self,
        job_type: &str,
        cluster_id: &str,
        backup_id: Option<String>,
        mut fail_plan: Option<FailPlan>,
    ) -> String {
        let job_id = format!("job-{}", self.rng.string(LOWER_ALNUM, 22));
        let seq = self.next_seq();
        let now = self.now_ms();
        if job_type != "BACKUP" {
            if let Some(c) = self.clusters.get_mut(cluster_id) {
                if c.fail_next_job
                    .as_ref()
                    .is_some_and(|(t, _)| t.as_deref().is_none_or(|t| t == job_type))
                {
                    fail_plan = c.fail_next_job.take().map(|(_, plan)| plan);
                }
            }
        }
        let duration_ms =
            (self.config.job_duration_ms as f64 / self.config.time_scale).round() as u64;
        self.jobs.insert(
            job_id.clone(),
            Job {
                seq,
                job_id: job_id.clone(),
                job_type: job_type.into(),
                cluster_id: cluster_id.into(),
                backup_id,
                target_cluster_id: None,
                effect: None,
                curve: self.config.progress_curve,
                created_ms: now,
                duration_ms,
                fail_plan,
                forced_failure: None,
            },
        );
        job_id
    }

    pub fn default_fail_reason() -> String {
        DEFAULT_FAIL_REASON.into()
    }

    /// Fails a job from now on, freezing its progress. Err if it is unknown or already finished.
    pub fn fail_job(&mut self, job_id: &str, reason: Option<String>) -> Result<JobView, String> {
        let now = self.now_ms();
        let job = self
            .jobs
            .get_mut(job_id)
            .ok_or_else(|| format!("job {job_id} not found"))?;
        let view = job.view(now);
        if view.status.is_terminal() {
            return Err(format!(
                "job {job_id} already finished as {}",
                view.status.as_str()
            ));
        }
        job.forced_failure = Some(Failure {
            at_ms: now,
            progress: view.progress,
            reason: reason.unwrap_or_else(Self::default_fail_reason),
        });
        Ok(job.view(now))
    }

    /// The describe-job payload as the API returns it.
    pub fn job_json(&self, job: &Job, now_ms: u64) -> Value {
        let v = job.view(now_ms);
        json!({
            "jobId": job.job_id,
            "type": job.job_type,
            "status": v.status.as_str(),
            "progress": v.progress.to_string(),
            "startTime": self.clock.iso(job.created_ms),
            // Documented choice: null until the job is finished.
            "endTime": v.end_ms.map(|ms| self.clock.iso(ms)),
            "reason": v.reason,
        })
    }

    /// Everything, for `GET /__emulator/state`.
    pub fn snapshot(&self) -> Value {
        let now = self.now_ms();
        let clusters: Vec<Value> = self
            .clusters
            .values()
            .map(|c| {
                json!({
                    "clusterId": c.cluster_id,
                    "clusterName": c.cluster_name,
                    "plan": c.plan,
                    "projectId": c.project_id,
                    "regionId": c.region_id,
                    "databases": c.databases,
                    "failNextBackup": c.fail_next_backup.as_ref().map(|p| json!({
                        "atProgress": p.at_progress, "reason": p.reason,
                    })),
                    "failNextJob": c.fail_next_job.as_ref().map(|(t, p)| json!({
                        "type": t, "atProgress": p.at_progress, "reason": p.reason,
                    })),
                    // Clusters made by restoreCluster: CREATING while the restore job runs, then
                    // RUNNING (or RESTORE_FAILED).
                    "status": match &c.restored_from {
                        None => "RUNNING",
                        Some((_, _, job_id)) => match self.jobs.get(job_id).map(|j| j.view(now).status) {
                            Some(JobStatus::Successful) | None => "RUNNING",
                            Some(JobStatus::Failed) => "RESTORE_FAILED",
                            Some(_) => "CREATING",
                        },
                    },
                    "restoredFrom": c.restored_from.as_ref().map(|(cluster, backup, job)| json!({
                        "clusterId": cluster, "backupId": backup, "jobId": job,
                    })),
                })
            })
            .collect();
        let mut backups: Vec<&Backup> = self.backups.values().collect();
        backups.sort_by_key(|b| b.seq);
        let backups: Vec<Value> = backups
            .into_iter()
            .map(|b| {
                let cluster = self.clusters.get(&b.cluster_id);
                json!({
                    "backupId": b.backup_id,
                    "backupName": b.backup_name,
                    "backupType": b.backup_type,
                    "creationMethod": b.creation_method,
                    "status": self.backup_status(b, now),
                    "clusterId": b.cluster_id,
                    "clusterName": cluster.map(|c| c.cluster_name.clone()),
                    "projectId": cluster.map(|c| c.project_id.clone()),
                    "jobId": b.job_id,
                    "createTime": self.backup_create_time(b),
                    "deleteTime": b.deleted_ms.map(|ms| self.clock.iso(ms)),
                    "expireTime": b.expire_ms.map(|ms| self.clock.iso(ms)),
                    "dbCollections": b.db_collections.iter().map(|(db, cols)| json!({
                        "dbName": db, "collectionNames": cols,
                    })).collect::<Vec<_>>(),
                    "contents": b.contents.iter().map(|(db, cols)| json!({
                        "dbName": db, "collectionNames": cols,
                    })).collect::<Vec<_>>(),
                    "size": self.backup_size(b, now),
                    "crossRegionCopies": b.cross_region_copies.iter().map(|r| json!({ "regionId": r }))
                        .collect::<Vec<_>>(),
                })
            })
            .collect();
        let mut jobs: Vec<&Job> = self.jobs.values().collect();
        jobs.sort_by_key(|j| j.seq);
        let jobs: Vec<Value> = jobs
            .into_iter()
            .map(|j| {
                let mut v = self.job_json(j, now);
                v["clusterId"] = json!(j.cluster_id);
                v["backupId"] = json!(j.backup_id);
                v["targetClusterId"] = json!(j.target_cluster_id);
                v["progressCurve"] = json!(j.curve.as_str());
                v["durationMs"] = json!(j.duration_ms);
                v
            })
            .collect();
        let policies: Vec<Value> = self
            .policies
            .iter()
            .map(|(cluster_id, p)| {
                json!({
                    "clusterId": cluster_id, "enabled": p.enabled, "frequency": p.frequency,
                    "startTime": p.start_time, "retentionDays": p.retention_days,
                    "crossRegionCopies": p.cross_region_copies,
                })
            })
            .collect();
        json!({ "clusters": clusters, "backups": backups, "jobs": jobs, "policies": policies })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_request_log_keeps_the_newest_entries_in_order() {
        let mut state = State::new(RuntimeConfig::new("key".into(), 1000));
        let logged = |at_ms| LoggedRequest {
            method: "GET".into(),
            path: "/v2/jobs/j".into(),
            query: String::new(),
            authorization: None,
            body: String::new(),
            at_ms,
        };
        for at_ms in 0..MAX_LOGGED_REQUESTS as u64 + 3 {
            state.log_request(logged(at_ms));
        }
        assert_eq!(state.requests.len(), MAX_LOGGED_REQUESTS);
        assert_eq!(state.requests.front().map(|r| r.at_ms), Some(3));
        assert_eq!(
            state.requests.back().map(|r| r.at_ms),
            Some(MAX_LOGGED_REQUESTS as u64 + 2)
        );
        assert!(state
            .requests
            .iter()
            .zip(state.requests.iter().skip(1))
            .all(|(a, b)| a.at_ms + 1 == b.at_ms));
    }

    fn job(duration_ms: u64) -> Job {
        Job {
            seq: 1,
            job_id: "job-x".into(),
            job_type: "BACKUP".into(),
            cluster_id: "c".into(),
            backup_id: None,
            created_ms: 1000,
            duration_ms,
            target_cluster_id: None,
            effect: None,
            curve: Curve::Linear,
            fail_plan: None,
            forced_failure: None,
        }
    }

    #[test]
    fn job_moves_through_its_states() {
        let j = job(1000);
        assert_eq!(j.view(1000).status, JobStatus::Pending);
        assert_eq!(j.view(1099).progress, 0);
        let v = j.view(1100);
        assert_eq!((v.status, v.progress), (JobStatus::InProgress, 0));
        assert_eq!(j.view(1550).progress, 50);
        assert_eq!(j.view(1999).progress, 99);
        let v = j.view(2000);
        assert_eq!(
            (v.status, v.progress, v.end_ms),
            (JobStatus::Successful, 100, Some(2000))
        );
        assert_eq!(job(0).view(1000).status, JobStatus::Successful);
    }

    #[test]
    fn planned_and_forced_failures() {
        let mut j = job(1000);
        j.fail_plan = Some(FailPlan {
            at_progress: 50,
            reason: "boom".into(),
        });
        assert_eq!(j.view(1549).status, JobStatus::InProgress);
        let v = j.view(5000);
        assert_eq!(
            (v.status, v.progress, v.end_ms, v.reason.as_str()),
            (JobStatus::Failed, 50, Some(1550), "boom")
        );

        let mut j = job(1000);
        j.forced_failure = Some(Failure {
            at_ms: 1300,
            progress: 22,
            reason: "r".into(),
        });
        assert_eq!(j.view(1200).status, JobStatus::InProgress);
        let v = j.view(9000);
        assert_eq!(
            (v.status, v.progress, v.end_ms),
            (JobStatus::Failed, 22, Some(1300))
        );
    }

    #[test]
    fn progress_curves() {
        let mut j = job(1200); // pending until 1120, done at 2200
        j.curve = Curve::Stepwise;
        let seen: Vec<u8> = (1120..2200)
            .step_by(10)
            .map(|t| j.view(t).progress)
            .collect();
        assert!(seen.iter().all(|p| p % 25 == 0), "{seen:?}");
        assert!(seen.contains(&75) && seen.contains(&0));
        assert_eq!(j.view(2200).progress, 100);

        j.curve = Curve::Stall; // a third = 1400, two thirds = 1800
        assert_eq!(j.view(1400).progress, 50);
        assert_eq!(j.view(1600).progress, 50);
        assert_eq!(j.view(1799).progress, 50);
        assert!(j.view(1300).progress < 50 && j.view(1300).progress > 0);
        assert!(j.view(2000).progress > 50);
        assert!(j.view(2199).progress <= 99);
        let mut last = 0;
        for t in 1000..2300 {
            let p = j.view(t).progress;
            assert!(p >= last);
            last = p;
        }
        // A scripted failure at 50 happens when the stall starts.
        j.fail_plan = Some(FailPlan {
            at_progress: 50,
            reason: "r".into(),
        });
        let v = j.view(5000);
        assert_eq!(
            (v.status, v.progress, v.end_ms),
            (JobStatus::Failed, 50, Some(1400))
        );
    }
}
