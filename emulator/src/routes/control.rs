//! The test-only control API under `/__emulator/`: no auth, plain JSON in and out (no envelope on
//! success), errors as `{"code": <http status>, "message"}` with that HTTP status.

use std::collections::BTreeMap;

use serde::Deserialize;
use serde_json::{json, Value};

use crate::envelope::status_envelope;
use crate::faults::{FaultSpec, RandomFaults, RandomFaultsSpec};
use crate::http::{Request, Response};
use crate::routes::backups::backup_json;
use crate::state::{
    seed_databases, Backup, Cluster, Curve, FailPlan, State, DEFAULT_REGION_ID, HEX,
    SEED_PROJECT_ID,
};

type ControlResult = Result<Value, (u16, String)>;

pub fn handle(state: &mut State, req: &Request) -> Response {
    let rest = req.path.strip_prefix("/__emulator/").unwrap_or("");
    let segments: Vec<&str> = rest.trim_end_matches('/').split('/').collect();
    let method = req.method.as_str();
    let body = &req.body;
    let result = match (segments.as_slice(), method) {
        (["reset"], "POST") => reset(state),
        (["config"], "GET") => Ok(config_json(state)),
        (["config"], "POST") => set_config(state, body),
        (["clusters"], "POST") => add_cluster(state, body),
        (["clusters", id, "fail-next-backup"], "POST") => fail_next_backup(state, id, body),
        (["clusters", id, "fail-next-job"], "POST") => fail_next_job(state, id, body),
        (["clusters", id, "backups"], "POST") => seed_backup(state, id, body),
        (["stats"], "GET") => Ok(state.stats_json()),
        (["stats"], "DELETE") => {
            state.stats = Default::default();
            Ok(json!({}))
        }
        (["faults"], "GET") => Ok(json!({ "faults": state.faults })),
        (["faults"], "POST") => add_fault(state, body),
        (["faults"], "DELETE") => {
            state.faults.clear();
            Ok(json!({}))
        }
        (["requests"], "GET") => Ok(requests_json(state)),
        (["requests"], "DELETE") => {
            state.requests.clear();
            Ok(json!({}))
        }
        (["jobs", id, "fail"], "POST") => fail_job(state, id, body),
        (["state"], "GET") => Ok(state.snapshot()),
        (
            ["reset"]
            | ["config"]
            | ["clusters"]
            | ["clusters", _, "fail-next-backup"]
            | ["clusters", _, "fail-next-job"]
            | ["clusters", _, "backups"]
            | ["stats"]
            | ["faults"]
            | ["requests"]
            | ["jobs", _, "fail"]
            | ["state"],
            _,
        ) => Err((
            405,
            format!("Method {method} is not allowed on {}", req.path),
        )),
        _ => Err((404, format!("No control route for {}", req.path))),
    };
    match result {
        Ok(v) => Response::json(200, &v),
        Err((status, message)) => Response::json(status, &status_envelope(status, &message)),
    }
}

/// Parses a JSON body; an empty body means `{}` (every control body has only optional fields or says so).
fn body_as<T: for<'de> Deserialize<'de>>(body: &[u8]) -> Result<T, (u16, String)> {
    let body = if body.iter().all(u8::is_ascii_whitespace) {
        b"{}".as_slice()
    } else {
        body
    };
    serde_json::from_slice(body).map_err(|e| (400, format!("invalid body: {e}")))
}

fn reset(state: &mut State) -> ControlResult {
    state.reset();
    Ok(json!({}))
}

fn config_json(state: &State) -> Value {
    json!({
        "jobDurationMs": state.config.job_duration_ms,
        "apiKey": state.config.api_key,
        "listCountMode": if state.config.list_count_total { "total" } else { "page" },
        "describeBackupShape": if state.config.describe_grouped { "dbCollections" } else { "collections" },
        "rateLimitPerSecond": state.config.rate_limit_per_second,
        "timeScale": state.config.time_scale,
        "progressCurve": state.config.progress_curve.as_str(),
        "randomFaults": state.random_faults.as_ref().map(|r| &r.spec),
    })
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
struct ConfigBody {
    job_duration_ms: Option<u64>,
    api_key: Option<String>,
    list_count_mode: Option<String>,
    describe_backup_shape: Option<String>,
    rate_limit_per_second: Option<u32>,
    time_scale: Option<f64>,
    progress_curve: Option<String>,
    random_faults: Option<RandomFaultsSpec>,
}

fn set_config(state: &mut State, body: &[u8]) -> ControlResult {
    let b: ConfigBody = body_as(body)?;
    // Validate everything before changing anything.
    if b.time_scale.is_some_and(|t| !(t.is_finite() && t > 0.0)) {
        return Err((400, "timeScale must be a positive number".into()));
    }
    let curve = match b.progress_curve.as_deref() {
        None => None,
        Some(c) => Some(Curve::parse(c).ok_or((
            400,
            format!("progressCurve must be \"linear\", \"stepwise\" or \"stall\", not {c:?}"),
        ))?),
    };
    // Rate 0 turns them off; a new spec restarts the sequence from its seed.
    let random = match b.random_faults {
        None => None,
        Some(spec) if spec.rate == 0.0 => Some(None),
        Some(spec) => Some(Some(RandomFaults::new(spec).map_err(|e| (400, e))?)),
    };
    if let Some(r) = random {
        state.random_faults = r;
    }
    if let Some(t) = b.time_scale {
        state.config.time_scale = t;
    }
    if let Some(c) = curve {
        state.config.progress_curve = c;
    }
    if let Some(n) = b.rate_limit_per_second {
        state.config.rate_limit_per_second = n;
        state.rate_windows.clear();
    }
    if let Some(key) = b.api_key {
        if key.is_empty() {
            return Err((400, "apiKey must not be empty".into()));
        }
        state.config.api_key = key;
    }
    if let Some(ms) = b.job_duration_ms {
        state.config.job_duration_ms = ms;
    }
    match b.list_count_mode.as_deref() {
        None => {}
        Some("total") => state.config.list_count_total = true,
        Some("page") => state.config.list_count_total = false,
        Some(other) => {
            return Err((
                400,
                format!("listCountMode must be \"total\" or \"page\", not {other:?}"),
            ))
        }
    }
    match b.describe_backup_shape.as_deref() {
        None => {}
        Some("collections") => state.config.describe_grouped = false,
        Some("dbCollections") => state.config.describe_grouped = true,
        Some(other) => {
            return Err((
                400,
                format!(
                "describeBackupShape must be \"collections\" or \"dbCollections\", not {other:?}"
            ),
            ))
        }
    }
    Ok(config_json(state))
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
struct ClusterBody {
    cluster_id: String,
    cluster_name: Option<String>,
    plan: Option<String>,
    project_id: Option<String>,
    region_id: Option<String>,
    databases: Option<BTreeMap<String, Vec<String>>>,
}

fn add_cluster(state: &mut State, body: &[u8]) -> ControlResult {
    let b: ClusterBody = body_as(body)?;
    if b.cluster_id.is_empty() || b.cluster_id.contains('/') {
        return Err((400, "clusterId must be non-empty and contain no '/'".into()));
    }
    let plan = b.plan.unwrap_or_else(|| "Dedicated".into());
    if !["Dedicated", "Serverless", "Free"].contains(&plan.as_str()) {
        return Err((
            400,
            format!("plan must be Dedicated, Serverless or Free, got '{plan}'"),
        ));
    }
    if state.clusters.contains_key(&b.cluster_id) {
        return Err((409, format!("cluster {} already exists", b.cluster_id)));
    }
    let cluster_name = b.cluster_name.unwrap_or_else(|| b.cluster_id.clone());
    state.add_cluster(Cluster {
        cluster_id: b.cluster_id.clone(),
        cluster_name,
        plan,
        project_id: b.project_id.unwrap_or_else(|| SEED_PROJECT_ID.into()),
        region_id: b.region_id.unwrap_or_else(|| DEFAULT_REGION_ID.into()),
        databases: b.databases.unwrap_or_else(seed_databases),
        backup_seq: 0,
        fail_next_backup: None,
        fail_next_job: None,
        restored_from: None,
    });
    Ok(json!({ "clusterId": b.cluster_id }))
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
struct FailNextBody {
    reason: Option<String>,
    at_progress: Option<u8>,
}

fn fail_next_backup(state: &mut State, cluster_id: &str, body: &[u8]) -> ControlResult {
    let b: FailNextBody = body_as(body)?;
    let at_progress = b.at_progress.unwrap_or(50);
    if at_progress > 100 {
        return Err((400, "atProgress must be between 0 and 100".into()));
    }
    let cluster = state
        .clusters
        .get_mut(cluster_id)
        .ok_or((404, format!("cluster {cluster_id} not found")))?;
    let reason = b.reason.unwrap_or_else(State::default_fail_reason);
    cluster.fail_next_backup = Some(FailPlan {
        at_progress,
        reason,
    });
    Ok(json!({ "clusterId": cluster_id, "atProgress": at_progress }))
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
struct FailNextJobBody {
    #[serde(rename = "type")]
    job_type: Option<String>,
    reason: Option<String>,
    at_progress: Option<u8>,
}

/// The next RESTORE or EXPORT job (of `type`, else either) started from this cluster's backups
/// fails at `atProgress`.
fn fail_next_job(state: &mut State, cluster_id: &str, body: &[u8]) -> ControlResult {
    let b: FailNextJobBody = body_as(body)?;
    let at_progress = b.at_progress.unwrap_or(50);
    if at_progress > 100 {
        return Err((400, "atProgress must be between 0 and 100".into()));
    }
    if let Some(t) = b.job_type.as_deref() {
        if !["RESTORE", "EXPORT"].contains(&t) {
            return Err((
                400,
                format!(
                    "type must be RESTORE or EXPORT (use fail-next-backup for backups), got {t:?}"
                ),
            ));
        }
    }
    let cluster = state
        .clusters
        .get_mut(cluster_id)
        .ok_or((404, format!("cluster {cluster_id} not found")))?;
    let reason = b
        .reason
        .unwrap_or_else(|| "Job failed (injected by the emulator).".into());
    cluster.fail_next_job = Some((
        b.job_type.clone(),
        FailPlan {
            at_progress,
            reason,
        },
    ));
    Ok(json!({ "clusterId": cluster_id, "type": b.job_type, "atProgress": at_progress }))
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
struct SeedBackupBody {
    backup_type: Option<String>,
    creation_method: Option<String>,
    age_ms: u64,
    status: Option<String>,
}

/// A finished backup made `ageMs` ago (possibly before the emulator started), with no job: for
/// tests of retention. Answers the backup as the list shows it.
fn seed_backup(state: &mut State, cluster_id: &str, body: &[u8]) -> ControlResult {
    let b: SeedBackupBody = body_as(body)?;
    let backup_type = b.backup_type.unwrap_or_else(|| "CLUSTER".into());
    if !["CLUSTER", "COLLECTION"].contains(&backup_type.as_str()) {
        return Err((
            400,
            format!("backupType must be CLUSTER or COLLECTION, got {backup_type:?}"),
        ));
    }
    let creation_method = b.creation_method.unwrap_or_else(|| "MANUAL".into());
    if !["MANUAL", "AUTO"].contains(&creation_method.as_str()) {
        return Err((
            400,
            format!("creationMethod must be MANUAL or AUTO, got {creation_method:?}"),
        ));
    }
    if let Some(s) = b.status.as_deref().filter(|s| *s != "AVAILABLE") {
        return Err((
            400,
            format!("status must be AVAILABLE (a seeded backup has no job), got {s:?}"),
        ));
    }
    let now = state.now_ms();
    let created_wall = state
        .clock
        .wall_ms(now)
        .checked_sub(b.age_ms)
        .ok_or((400, "ageMs reaches before 1970".to_string()))?;
    let hex = state.rng.string(HEX, 15);
    let cluster = state
        .clusters
        .get_mut(cluster_id)
        .ok_or((404, format!("cluster {cluster_id} not found")))?;
    cluster.backup_seq += 1;
    let n = cluster.backup_seq;
    let kind = if creation_method == "AUTO" {
        "auto"
    } else {
        "backup"
    };
    let (backup_name, db_collections, contents) = if backup_type == "CLUSTER" {
        let contents: Vec<(String, Vec<String>)> = cluster
            .databases
            .iter()
            .map(|(db, cols)| (db.clone(), cols.clone()))
            .collect();
        (
            format!("{}_{kind}{n}", cluster.cluster_name),
            Vec::new(),
            contents,
        )
    } else {
        // The first collection of `default` (else of the first database).
        let (db, cols) = cluster
            .databases
            .get_key_value("default")
            .filter(|(_, c)| !c.is_empty())
            .or_else(|| cluster.databases.iter().find(|(_, c)| !c.is_empty()))
            .ok_or((
                400,
                format!("cluster {cluster_id} has no collection to back up"),
            ))?;
        let picked = vec![(db.clone(), vec![cols[0].clone()])];
        (format!("{}_{kind}{n}", cols[0]), picked.clone(), picked)
    };
    let backup = Backup {
        seq: state.next_seq(),
        backup_id: format!("backup{n}_{hex}"),
        backup_name,
        cluster_id: cluster_id.to_string(),
        backup_type,
        creation_method,
        db_collections,
        contents,
        cross_region_copies: Vec::new(),
        job_id: String::new(), // no job: AVAILABLE
        created_ms: now,
        deleted_ms: None,
        expire_ms: None,
    };
    state
        .backdated
        .insert(backup.backup_id.clone(), created_wall);
    state
        .backups
        .insert(backup.backup_id.clone(), backup.clone());
    Ok(backup_json(state, &backup, now))
}

fn add_fault(state: &mut State, body: &[u8]) -> ControlResult {
    let spec: FaultSpec =
        serde_json::from_slice(body).map_err(|e| (400, format!("invalid fault: {e}")))?;
    let fault_id = format!("fault-{}", state.next_seq());
    let rule = spec.into_rule(fault_id.clone()).map_err(|e| (400, e))?;
    state.faults.push(rule);
    Ok(json!({ "faultId": fault_id }))
}

fn requests_json(state: &State) -> Value {
    let requests: Vec<Value> = state
        .requests
        .iter()
        .map(|r| {
            json!({
                "method": r.method,
                "path": r.path,
                "query": r.query,
                "authorization": r.authorization,
                "body": r.body,
                "at": r.at_ms,
            })
        })
        .collect();
    json!({ "requests": requests })
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
struct FailJobBody {
    reason: Option<String>,
}

fn fail_job(state: &mut State, job_id: &str, body: &[u8]) -> ControlResult {
    let b: FailJobBody = body_as(body)?;
    match state.fail_job(job_id, b.reason) {
        Ok(_) => {
            let now = state.now_ms();
            let job = state.jobs.get(job_id).expect("just failed");
            Ok(state.job_json(job, now))
        }
        Err(e) if state.jobs.contains_key(job_id) => Err((409, e)),
        Err(e) => Err((404, e)),
    }
}
