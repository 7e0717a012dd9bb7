//! The emulator's whole world: clusters, backups, jobs, fault rules, the request log and the runtime
//! configuration, behind ONE mutex (held only for short synchronous sections, never across an await).
//! Job progress is a pure function of elapsed time, so nothing runs in the background.

use std::collections::BTreeMap;

use serde_json::{json, Value};

use crate::clock::Clock;
use crate::faults::FaultRule;

pub const SEED_PROJECT_ID: &str = "proj-00000000000000000001";
pub const DEFAULT_REGION_ID: &str = "aws-us-west-2";
/// The request log is capped so a long-running emulator cannot grow without bound.
const MAX_LOGGED_REQUESTS: usize = 100_000;
const DEFAULT_FAIL_REASON: &str = "Backup job failed (injected by the emulator).";

/// Settings that tests may change at run time and that reset restores.
#[derive(Clone, PartialEq, Eq)]
pub struct RuntimeConfig {
    pub api_key: String,
    pub job_duration_ms: u64,
    /// The list's `count` is undocumented: the total (true, default) or this page's size.
    pub list_count_total: bool,
    /// Describe-backup contents: older docs' flat `collections` (false, default) or newer
    /// docs' `dbCollections: [{dbName, collections}]`.
    pub describe_grouped: bool,
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
    /// "BACKUP" for now; restore/export jobs reuse the same machinery later.
    pub job_type: String,
    pub cluster_id: String,
    pub backup_id: Option<String>,
    pub created_ms: u64,
    /// Snapshot of the configured duration when the job was created.
    pub duration_ms: u64,
    pub fail_plan: Option<FailPlan>,
    /// Set by the control API: failed at that instant with the progress it had then.
    pub forced_failure: Option<Failure>,
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
        let pending = self.duration_ms / 10;
        let running = self.duration_ms - pending;
        let natural = |elapsed: u64| -> JobView {
            if elapsed >= self.duration_ms {
                JobView {
                    status: JobStatus::Successful,
                    progress: 100,
                    end_ms: Some(self.created_ms + self.duration_ms),
                    reason: String::new(),
                }
            } else if elapsed < pending {
                JobView {
                    status: JobStatus::Pending,
                    progress: 0,
                    end_ms: None,
                    reason: String::new(),
                }
            } else {
                let p = ((elapsed - pending) * 100 / running.max(1)).min(99) as u8;
                JobView {
                    status: JobStatus::InProgress,
                    progress: p,
                    end_ms: None,
                    reason: String::new(),
                }
            }
        };
        // A scripted failure happens when progress reaches the planned value.
        if let Some(plan) = &self.fail_plan {
            let fail_after = pending + (running * u64::from(plan.at_progress)).div_ceil(100);
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
    pub requests: Vec<LoggedRequest>,
    pub policies: BTreeMap<String, Policy>,
    pub rng: Rng,
    seq: u64,
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
            requests: Vec::new(),
            policies: BTreeMap::new(),
            rng: Rng::seeded(),
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
            self.requests.remove(0);
        }
        self.requests.push(entry);
    }

    /// The one-manual-backup rule, as the docs state it: a manual backup cannot start while a
    /// manual backup job is pending or in progress on the cluster, nor while an automatic one runs.
    pub fn backup_running(&self, cluster_id: &str, now_ms: u64) -> bool {
        self.backups
            .values()
            .filter(|b| b.cluster_id == cluster_id && b.deleted_ms.is_none())
            .any(|b| {
                self.jobs
                    .get(&b.job_id)
                    .is_some_and(|j| !j.view(now_ms).status.is_terminal())
            })
    }

    /// CREATING while its job runs, AVAILABLE after success, FAILED when the job failed (a failed
    /// backup is kept for inspection but is not a usable backup), DELETED once deleted.
    pub fn backup_status(&self, backup: &Backup, now_ms: u64) -> &'static str {
        if backup.deleted_ms.is_some() {
            return "DELETED";
        }
        match self.jobs.get(&backup.job_id).map(|j| j.view(now_ms).status) {
            Some(JobStatus::Successful) | None => "AVAILABLE",
            Some(JobStatus::Failed) => "FAILED",
            Some(_) => "CREATING",
        }
    }

    /// Bytes: a fixed size per backup, growing with its job's progress while CREATING.
    pub fn backup_size(&self, backup: &Backup, now_ms: u64) -> u64 {
        let full = 64 * 1024 * 1024 * (1 + backup.seq % 16);
        let progress = self.jobs.get(&backup.job_id).map_or(100, |j| u64::from(j.view(now_ms).progress));
        full * progress / 100
    }

    /// Starts a job; returns its id. Every asynchronous operation (backup, restore, export) runs
    /// as one of these.
    pub fn start_job(&mut self, job_type: &str, cluster_id: &str, backup_id: Option<String>, fail_plan: Option<FailPlan>) -> String {
        let job_id = format!("job-{}", self.rng.string(LOWER_ALNUM, 22));
        let seq = self.next_seq();
        let now = self.now_ms();
        self.jobs.insert(
            job_id.clone(),
            Job {
                seq,
                job_id: job_id.clone(),
                job_type: job_type.into(),
                cluster_id: cluster_id.into(),
                backup_id,
                created_ms: now,
                duration_ms: self.config.job_duration_ms,
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
                    "createTime": self.clock.iso(b.created_ms),
                    "deleteTime": b.deleted_ms.map(|ms| self.clock.iso(ms)),
                    "expireTime": b.expire_ms.map(|ms| self.clock.iso(ms)),
                    "dbCollections": b.db_collections.iter().map(|(db, cols)| json!({
                        "dbName": db, "collectionNames": cols,
                    })).collect::<Vec<_>>(),
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
                v["durationMs"] = json!(j.duration_ms);
                v
            })
            .collect();
        let policies: Vec<Value> = self
            .policies
            .iter()
            .map(|(cluster_id, p)| json!({
                "clusterId": cluster_id, "enabled": p.enabled, "frequency": p.frequency,
                "startTime": p.start_time, "retentionDays": p.retention_days,
            }))
            .collect();
        json!({ "clusters": clusters, "backups": backups, "jobs": jobs, "policies": policies })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn job(duration_ms: u64) -> Job {
        Job {
            seq: 1,
            job_id: "job-x".into(),
            job_type: "BACKUP".into(),
            cluster_id: "c".into(),
            backup_id: None,
            created_ms: 1000,
            duration_ms,
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
}
