//! Restores and exports: `…/backups/{BACKUP_ID}/restoreCluster` (a CLUSTER backup into a NEW
//! cluster), `…/restoreCollection` (one collection into an EXISTING cluster), `…/export` (the
//! backup's files to object storage). Each starts a job.

use serde_json::{json, Map, Value};

use super::backups::find;
use crate::envelope::ApiError;
use crate::state::{Cluster, Effect, State, HEX};

fn object(body: &[u8]) -> Result<Map<String, Value>, ApiError> {
    match serde_json::from_slice::<Value>(body) {
        Ok(Value::Object(m)) => Ok(m),
        Ok(_) => Err(ApiError::invalid_json("the body must be a JSON object")),
        Err(e) => Err(ApiError::invalid_json(&e.to_string())),
    }
}

fn string<'a>(m: &'a Map<String, Value>, key: &str) -> Option<&'a str> {
    m.get(key).and_then(Value::as_str).filter(|s| !s.is_empty())
}

/// The backup must exist on that cluster and be AVAILABLE.
fn available<'a>(
    state: &'a State,
    cluster_id: &str,
    backup_id: &str,
) -> Result<&'a crate::state::Backup, ApiError> {
    let b = find(state, cluster_id, backup_id)?;
    match state.backup_status(b, state.now_ms()) {
        "AVAILABLE" => Ok(b),
        "DELETED" => Err(ApiError::backup_not_found(backup_id)),
        other => Err(ApiError::backup_not_available(
            backup_id,
            &format!("its status is {other}"),
        )),
    }
}

/// Body: `targetProjectId` (older, global docs) or `projectId` (newer docs), `clusterName`,
/// `cuSize` ≥ 1, `collectionStatus` KEEP | RELEASE, optional `restoreVersionPolicy`.
pub fn restore_cluster(
    state: &mut State,
    cluster_id: &str,
    backup_id: &str,
    body: &[u8],
) -> Result<Value, ApiError> {
    let m = object(body)?;
    let project_id = string(&m, "targetProjectId")
        .or_else(|| string(&m, "projectId"))
        .ok_or_else(|| ApiError::invalid_parameter("targetProjectId (or projectId) is required"))?
        .to_string();
    let name = string(&m, "clusterName")
        .ok_or_else(|| ApiError::invalid_parameter("clusterName is required"))?
        .to_string();
    match m.get("cuSize").and_then(Value::as_u64) {
        Some(n) if n >= 1 => {}
        _ => {
            return Err(ApiError::invalid_parameter(
                "cuSize must be an integer of at least 1",
            ))
        }
    }
    match string(&m, "collectionStatus") {
        Some("KEEP") | Some("RELEASE") => {}
        _ => {
            return Err(ApiError::invalid_parameter(
                "collectionStatus must be KEEP or RELEASE",
            ))
        }
    }
    if let Some(v) = m.get("restoreVersionPolicy").filter(|v| !v.is_null()) {
        if !matches!(v.as_str(), Some("ORIGINAL") | Some("LATEST")) {
            return Err(ApiError::invalid_parameter(
                "restoreVersionPolicy must be ORIGINAL or LATEST",
            ));
        }
    }
    let b = available(state, cluster_id, backup_id)?;
    if b.backup_type != "CLUSTER" {
        return Err(ApiError::wrong_backup_type("CLUSTER"));
    }
    if state.clusters.values().any(|c| c.cluster_name == name) {
        return Err(ApiError::cluster_name_exists());
    }
    let databases = b.contents.iter().cloned().collect();
    let source = state
        .clusters
        .get(cluster_id)
        .cloned()
        .expect("checked by find");
    let new_id = format!("in01-{}", state.rng.string(HEX, 16));
    // Shown once, never logged: letters and digits plus a guaranteed digit and symbol.
    let password = format!(
        "{}{}!",
        state.rng.string(
            b"ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz23456789",
            18
        ),
        state.rng.string(b"23456789", 1)
    );
    // A new Dedicated cluster in the same region with the same plan, holding the backup's
    // databases; it exists at once (CREATING in the state snapshot until the job succeeds).
    let job_id = state.start_job("RESTORE", cluster_id, Some(backup_id.to_string()), None);
    state.add_cluster(Cluster {
        cluster_id: new_id.clone(),
        cluster_name: name,
        project_id,
        databases,
        backup_seq: 0,
        fail_next_backup: None,
        fail_next_job: None,
        restored_from: Some((
            cluster_id.to_string(),
            backup_id.to_string(),
            job_id.clone(),
        )),
        ..source
    });
    if let Some(j) = state.jobs.get_mut(&job_id) {
        j.target_cluster_id = Some(new_id.clone());
    }
    Ok(
        json!({ "clusterId": new_id, "username": "db_admin", "password": password, "jobId": job_id }),
    )
}

/// One collection into an existing cluster. Current docs: `destClusterId`, `dbCollections:
/// [{dbName?, destDbName?, collections: [{collectionName, destCollectionName,
/// destCollectionStatus}]}]`; older docs: `targetClusterId` (+ `targetProjectId`) with
/// `collections: [{collectionName, targetCollectionName, targetCollectionStatus}]` (or those
/// three fields at the top level). Both generations are accepted, and their field names mixed.
pub fn restore_collection(
    state: &mut State,
    cluster_id: &str,
    backup_id: &str,
    body: &[u8],
) -> Result<Value, ApiError> {
    let m = object(body)?;
    let dest_cluster = string(&m, "destClusterId")
        .or_else(|| string(&m, "targetClusterId"))
        .ok_or_else(|| {
            ApiError::invalid_parameter("destClusterId (or targetClusterId) is required")
        })?
        .to_string();
    let target_project = string(&m, "targetProjectId")
        .or_else(|| string(&m, "projectId"))
        .map(str::to_string);
    // Normalise both generations to groups of (dbName, destDbName, collections).
    let groups: Vec<Value> = match (
        m.get("dbCollections"),
        m.get("collections"),
        m.get("collectionName"),
    ) {
        (Some(Value::Array(g)), _, _) => g.clone(),
        (Some(_), _, _) => {
            return Err(ApiError::invalid_parameter(
                "dbCollections must be an array",
            ))
        }
        (None, Some(Value::Array(cols)), _) => vec![
            json!({ "dbName": m.get("dbName"), "destDbName": m.get("destDbName"), "collections": cols }),
        ],
        (None, Some(_), _) => {
            return Err(ApiError::invalid_parameter("collections must be an array"))
        }
        (None, None, Some(_)) => vec![
            json!({ "dbName": m.get("dbName"), "destDbName": m.get("destDbName"), "collections": [Value::Object(m.clone())] }),
        ],
        (None, None, None) => {
            return Err(ApiError::invalid_parameter(
                "dbCollections (or collections) is required",
            ))
        }
    };
    let mut items = Vec::new();
    for g in &groups {
        let db = g
            .get("dbName")
            .and_then(Value::as_str)
            .filter(|s| !s.is_empty())
            .unwrap_or("default")
            .to_string();
        let dest_db = g
            .get("destDbName")
            .and_then(Value::as_str)
            .filter(|s| !s.is_empty())
            .unwrap_or(&db)
            .to_string();
        let Some(Value::Array(cols)) = g.get("collections") else {
            return Err(ApiError::invalid_parameter(
                "dbCollections[].collections must be an array",
            ));
        };
        for c in cols {
            let name = c
                .get("collectionName")
                .and_then(Value::as_str)
                .filter(|s| !s.is_empty())
                .ok_or_else(|| ApiError::invalid_parameter("collectionName is required"))?;
            let dest = c
                .get("destCollectionName")
                .or_else(|| c.get("targetCollectionName"));
            let dest = match dest {
                None | Some(Value::Null) => name,
                Some(Value::String(d)) if valid_name(d) => d.as_str(),
                Some(d) => {
                    return Err(ApiError::invalid_parameter(format!(
                        "destCollectionName {d} is not a valid collection name"
                    )))
                }
            };
            let status = c
                .get("destCollectionStatus")
                .or_else(|| c.get("targetCollectionStatus"));
            match status {
                None | Some(Value::Null) => {}
                Some(Value::String(s)) if s == "LOADED" || s == "UNLOADED" => {}
                Some(_) => {
                    return Err(ApiError::invalid_parameter(
                        "destCollectionStatus must be LOADED or UNLOADED",
                    ))
                }
            }
            items.push((
                db.clone(),
                name.to_string(),
                dest_db.clone(),
                dest.to_string(),
            ));
        }
    }
    if items.len() != 1 {
        return Err(ApiError::invalid_parameter(format!(
            "exactly one collection can be restored per request, got {}",
            items.len()
        )));
    }
    let (db, name, dest_db, dest) = items.remove(0);
    let b = available(state, cluster_id, backup_id)?;
    if !b
        .contents
        .iter()
        .any(|(d, cols)| *d == db && cols.contains(&name))
    {
        return Err(ApiError::collection_not_found(&db, &name));
    }
    let target = state
        .clusters
        .get(&dest_cluster)
        .ok_or_else(|| ApiError::cluster_not_found(&dest_cluster))?;
    if target_project
        .as_ref()
        .is_some_and(|p| *p != target.project_id)
    {
        return Err(ApiError::cluster_not_found(&dest_cluster));
    }
    if target.plan != "Dedicated" {
        return Err(ApiError::plan_not_supported(&target.plan));
    }
    if target
        .databases
        .get(&dest_db)
        .is_some_and(|cols| cols.contains(&dest))
        || state.collection_reserved(&dest_cluster, &dest_db, &dest)
    {
        return Err(ApiError::collection_exists(&dest_db, &dest));
    }
    // The collection appears in the destination when the job succeeds (`State::settle`); a
    // running restore already claims the name.
    let job_id = state.start_job("RESTORE", cluster_id, Some(backup_id.to_string()), None);
    let job = state.jobs.get_mut(&job_id).expect("just started");
    job.target_cluster_id = Some(dest_cluster.clone());
    job.effect = Some(Effect::AddCollection {
        cluster_id: dest_cluster,
        db: dest_db,
        collection: dest,
    });
    state.pending_effects.push(job_id.clone());
    Ok(json!({ "jobId": job_id }))
}

/// Milvus names: letters, digits and `_`, starting with a letter or `_`, at most 255 characters.
fn valid_name(s: &str) -> bool {
    let mut chars = s.chars();
    chars
        .next()
        .is_some_and(|c| c.is_ascii_alphabetic() || c == '_')
        && s.len() <= 255
        && chars.all(|c| c.is_ascii_alphanumeric() || c == '_')
}

/// `integrationId` (`integ-…`, required), optional `directory`; the backup must be AVAILABLE.
pub fn export(
    state: &mut State,
    cluster_id: &str,
    backup_id: &str,
    body: &[u8],
) -> Result<Value, ApiError> {
    let m = object(body)?;
    let integration = string(&m, "integrationId")
        .ok_or_else(|| ApiError::invalid_parameter("integrationId is required"))?;
    if integration.len() <= "integ-".len() || !integration.starts_with("integ-") {
        return Err(ApiError::integration_not_found(integration));
    }
    if m.get("directory")
        .is_some_and(|d| !d.is_null() && !d.is_string())
    {
        return Err(ApiError::invalid_parameter("directory must be a string"));
    }
    available(state, cluster_id, backup_id)?;
    let job_id = state.start_job("EXPORT", cluster_id, Some(backup_id.to_string()), None);
    Ok(json!({ "jobId": job_id }))
}
