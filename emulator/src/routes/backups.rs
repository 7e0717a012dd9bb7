//! Backups: create (`POST …/backups/create`), list (`GET /v2/backups`), describe and delete
//! (`GET`/`DELETE /v2/clusters/{CLUSTER_ID}/backups/{BACKUP_ID}`).

use std::collections::BTreeMap;

use serde_json::{json, Value};

use crate::envelope::ApiError;
use crate::state::{Backup, Cluster, State, HEX};

/// What a create request asks for, after parameter validation (before any state is consulted).
#[derive(Debug, PartialEq, Eq)]
struct CreateParams {
    /// `None` for a CLUSTER backup; the database and its collections for a COLLECTION backup.
    collections: Option<(String, Vec<String>)>,
    cross_region_copies: Vec<String>,
}

/// Checks the body the way a request binder would: JSON shape and required fields first.
fn parse_create(body: &[u8]) -> Result<CreateParams, ApiError> {
    let value: Value =
        serde_json::from_slice(body).map_err(|e| ApiError::invalid_json(&e.to_string()))?;
    let obj = value
        .as_object()
        .ok_or_else(|| ApiError::invalid_json("the body must be a JSON object"))?;

    let backup_type = match obj.get("backupType") {
        None | Some(Value::Null) => {
            return Err(ApiError::invalid_parameter("backupType is required"))
        }
        Some(Value::String(s)) => s.as_str(),
        Some(_) => return Err(ApiError::invalid_parameter("backupType must be a string")),
    };

    let cross_region_copies = match obj.get("crossRegionCopies") {
        None | Some(Value::Null) => Vec::new(),
        Some(Value::Array(items)) => items
            .iter()
            .map(|item| match item.get("regionId") {
                Some(Value::String(r)) if !r.is_empty() => Ok(r.clone()),
                _ => Err(ApiError::invalid_parameter(
                    "crossRegionCopies[].regionId must be a non-empty string",
                )),
            })
            .collect::<Result<_, _>>()?,
        Some(_) => {
            return Err(ApiError::invalid_parameter(
                "crossRegionCopies must be an array",
            ))
        }
    };

    let collections = match backup_type {
        "CLUSTER" => None,
        "COLLECTION" => Some(parse_db_collections(obj.get("dbCollections"))?),
        other => {
            return Err(ApiError::invalid_parameter(format!(
                "backupType must be CLUSTER or COLLECTION, got '{other}'"
            )))
        }
    };
    Ok(CreateParams {
        collections,
        cross_region_copies,
    })
}

/// `dbCollections: [{dbName?, collectionNames: [..]}]`, all in ONE database (missing/empty dbName = `default`).
fn parse_db_collections(value: Option<&Value>) -> Result<(String, Vec<String>), ApiError> {
    let items = match value {
        Some(Value::Array(items)) if !items.is_empty() => items,
        None | Some(Value::Null) | Some(Value::Array(_)) => {
            return Err(ApiError::invalid_parameter(
                "dbCollections is required for a COLLECTION backup",
            ))
        }
        Some(_) => {
            return Err(ApiError::invalid_parameter(
                "dbCollections must be an array",
            ))
        }
    };
    let mut by_db: BTreeMap<String, Vec<String>> = BTreeMap::new();
    for item in items {
        let obj = item
            .as_object()
            .ok_or_else(|| ApiError::invalid_parameter("dbCollections[] must be objects"))?;
        let db = match obj.get("dbName") {
            None | Some(Value::Null) => "default",
            Some(Value::String(s)) if s.is_empty() => "default",
            Some(Value::String(s)) => s.as_str(),
            Some(_) => return Err(ApiError::invalid_parameter("dbName must be a string")),
        };
        let names =
            match obj.get("collectionNames") {
                Some(Value::Array(names)) if !names.is_empty() => names,
                _ => return Err(ApiError::invalid_parameter(
                    "dbCollections[].collectionNames must be a non-empty array of collection names",
                )),
            };
        let entry = by_db.entry(db.to_string()).or_default();
        for name in names {
            match name {
                Value::String(n) if !n.is_empty() => {
                    if !entry.contains(n) {
                        entry.push(n.clone());
                    }
                }
                _ => {
                    return Err(ApiError::invalid_parameter(
                        "collectionNames[] must be non-empty strings",
                    ))
                }
            }
        }
    }
    if by_db.len() > 1 {
        return Err(ApiError::multiple_databases());
    }
    Ok(by_db
        .into_iter()
        .next()
        .expect("at least one entry was checked above"))
}

/// Validates, then checks the one-manual-job rule and inserts the backup and its job under the same
/// lock (the caller holds it for the whole call), so two racing creates cannot both pass.
pub fn create(state: &mut State, cluster_id: &str, body: &[u8]) -> Result<Value, ApiError> {
    let params = parse_create(body)?;
    let now = state.now_ms();

    let cluster = dedicated_cluster(state, cluster_id)?;
    if let Some((db, names)) = &params.collections {
        let existing = cluster
            .databases
            .get(db)
            .ok_or_else(|| ApiError::database_not_found(db))?;
        if let Some(missing) = names.iter().find(|n| !existing.contains(n)) {
            return Err(ApiError::collection_not_found(db, missing));
        }
    }
    match state.running_backup(cluster_id, now) {
        Some("MANUAL") => return Err(ApiError::backup_job_running()),
        Some(_) => return Err(ApiError::auto_backup_running()),
        None => {}
    }
    let fail_plan = state
        .clusters
        .get_mut(cluster_id)
        .and_then(|c| c.fail_next_backup.take());
    let b = start_backup(
        state,
        cluster_id,
        "MANUAL",
        params.collections,
        params.cross_region_copies,
        fail_plan,
        None,
    );
    Ok(json!({ "backupId": b.backup_id, "backupName": b.backup_name, "jobId": b.job_id }))
}

/// Inserts a backup (manual or automatic) and the job that builds it.
pub fn start_backup(
    state: &mut State,
    cluster_id: &str,
    creation_method: &str,
    collections: Option<(String, Vec<String>)>,
    cross_region_copies: Vec<String>,
    fail_plan: Option<crate::state::FailPlan>,
    expire_ms: Option<u64>,
) -> Backup {
    let now = state.now_ms();
    let backup_hex = state.rng.string(HEX, 15);
    let cluster = state
        .clusters
        .get_mut(cluster_id)
        .expect("the caller checked the cluster under the same lock");
    cluster.backup_seq += 1;
    let n = cluster.backup_seq;
    let backup_id = format!("backup{n}_{backup_hex}");
    let auto = if creation_method == "AUTO" {
        "auto"
    } else {
        "backup"
    };
    let (backup_type, backup_name, db_collections) = match collections {
        None => (
            "CLUSTER",
            format!("{}_{auto}{n}", cluster.cluster_name),
            Vec::new(),
        ),
        Some((db, names)) => (
            "COLLECTION",
            format!("{}_{auto}{n}", names[0]),
            vec![(db, names)],
        ),
    };
    // What the backup holds, frozen now: later changes to the cluster do not alter it.
    let contents = if backup_type == "CLUSTER" {
        cluster
            .databases
            .iter()
            .map(|(db, cols)| (db.clone(), cols.clone()))
            .collect()
    } else {
        db_collections.clone()
    };
    let job_id = state.start_job("BACKUP", cluster_id, Some(backup_id.clone()), fail_plan);
    let seq = state.jobs[&job_id].seq;
    let backup = Backup {
        seq,
        backup_id: backup_id.clone(),
        backup_name,
        cluster_id: cluster_id.to_string(),
        backup_type: backup_type.into(),
        creation_method: creation_method.into(),
        db_collections,
        contents,
        cross_region_copies,
        job_id,
        created_ms: now,
        deleted_ms: None,
        expire_ms,
    };
    state.backups.insert(backup_id, backup.clone());
    backup
}

/// A backup as list and describe show it (describe adds its contents).
pub(crate) fn backup_json(state: &State, b: &Backup, now: u64) -> Value {
    let cluster = state.clusters.get(&b.cluster_id);
    json!({
        "projectId": cluster.map(|c| c.project_id.clone()),
        "backupId": b.backup_id,
        "backupName": b.backup_name,
        "backupType": b.backup_type,
        "creationMethod": b.creation_method,
        "size": state.backup_size(b, now),
        "expireTime": b.expire_ms.map(|ms| state.clock.iso(ms)),
        "clusterId": b.cluster_id,
        "clusterName": cluster.map(|c| c.cluster_name.clone()),
        "createTime": state.backup_create_time(b),
        "status": state.backup_status(b, now),
    })
}

/// `GET /v2/backups`: AVAILABLE and CREATING backups only, newest first, filtered and paged.
pub fn list(state: &State, query: &str) -> Result<Value, ApiError> {
    let q = parse_query(query);
    let get = |k: &str| q.iter().find(|(key, _)| key == k).map(|(_, v)| v.as_str());
    let one_of = |k: &str, allowed: &[&str]| -> Result<Option<String>, ApiError> {
        match get(k) {
            None => Ok(None),
            Some(v) if allowed.contains(&v) => Ok(Some(v.to_string())),
            Some(v) => Err(ApiError::invalid_parameter(format!(
                "{k} must be one of {}, got '{v}'",
                allowed.join(", ")
            ))),
        }
    };
    let creation_method = one_of("creationMethod", &["MANUAL", "AUTO"])?;
    let backup_type = one_of("backupType", &["CLUSTER", "COLLECTION"])?;
    let number = |k: &str, default: u64, max: u64| -> Result<u64, ApiError> {
        match get(k) {
            None => Ok(default),
            Some(v) => match v.parse::<u64>() {
                Ok(n) if (1..=max).contains(&n) => Ok(n),
                _ => Err(ApiError::invalid_parameter(format!(
                    "{k} must be an integer from 1 to {max}, got '{v}'"
                ))),
            },
        }
    };
    let page_size = number("pageSize", 10, 100)?;
    let current_page = number("currentPage", 1, u64::MAX)?;
    let time = |k: &str| -> Result<Option<u64>, ApiError> {
        match get(k) {
            None => Ok(None),
            Some(v) => parse_iso_ms(v).map(Some).ok_or_else(|| {
                ApiError::invalid_parameter(format!(
                    "{k} must be an ISO-8601 UTC time such as 2024-07-30T16:49:50Z, got '{v}'"
                ))
            }),
        }
    };
    let (start, end) = (time("startTime")?, time("endTime")?);
    let now = state.now_ms();
    let mut rows: Vec<&Backup> = state
        .backups
        .values()
        .filter(|b| matches!(state.backup_status(b, now), "AVAILABLE" | "CREATING"))
        .filter(|b| get("clusterId").is_none_or(|c| c == b.cluster_id))
        .filter(|b| {
            get("projectId").is_none_or(|p| {
                state
                    .clusters
                    .get(&b.cluster_id)
                    .is_some_and(|c| c.project_id == p)
            })
        })
        .filter(|b| {
            creation_method
                .as_deref()
                .is_none_or(|m| m == b.creation_method)
        })
        .filter(|b| backup_type.as_deref().is_none_or(|t| t == b.backup_type))
        .filter(|b| {
            // createTime as shown (whole seconds), inclusive at both ends.
            let created = state.backup_created_wall_ms(b) / 1000 * 1000;
            start.is_none_or(|s| created >= s) && end.is_none_or(|e| created <= e)
        })
        .collect();
    rows.sort_by_key(|b| std::cmp::Reverse(b.seq));
    let total = rows.len();
    let page: Vec<Value> = rows
        .into_iter()
        .skip(((current_page - 1).saturating_mul(page_size)) as usize)
        .take(page_size as usize)
        .map(|b| backup_json(state, b, now))
        .collect();
    let count = if state.config.list_count_total {
        total
    } else {
        page.len()
    };
    Ok(
        json!({ "count": count, "currentPage": current_page, "pageSize": page_size, "backups": page }),
    )
}

/// `GET /v2/clusters/{CLUSTER_ID}/backups/{BACKUP_ID}`.
pub fn describe(state: &State, cluster_id: &str, backup_id: &str) -> Result<Value, ApiError> {
    let now = state.now_ms();
    let b = find(state, cluster_id, backup_id)?;
    let cluster = state.clusters.get(&b.cluster_id);
    let mut v = backup_json(state, b, now);
    v["regionId"] = json!(cluster.map(|c| c.region_id.clone()));
    // Contents: a COLLECTION backup's collections, a CLUSTER backup's whole cluster (as they
    // were when the backup was made).
    let groups = &b.contents;
    let item =
        |name: &String| json!({ "collectionName": name, "description": "", "status": "LOADED" });
    if state.config.describe_grouped {
        v["dbCollections"] = json!(groups
            .iter()
            .map(|(db, cols)| json!({ "dbName": db, "collections": cols.iter().map(item).collect::<Vec<_>>() }))
            .collect::<Vec<_>>());
    } else {
        v["collections"] = json!(groups
            .iter()
            .flat_map(|(_, cols)| cols.iter().map(item))
            .collect::<Vec<_>>());
    }
    Ok(v)
}

/// `DELETE /v2/clusters/{CLUSTER_ID}/backups/{BACKUP_ID}`.
pub fn delete(state: &mut State, cluster_id: &str, backup_id: &str) -> Result<Value, ApiError> {
    let now = state.now_ms();
    let b = find(state, cluster_id, backup_id)?;
    match state.backup_status(b, now) {
        "DELETED" => return Err(ApiError::backup_not_found(backup_id)),
        "CREATING" => {
            return Err(ApiError::backup_not_available(
                backup_id,
                "it is still being created",
            ))
        }
        _ => {}
    }
    let name = b.backup_name.clone();
    if let Some(b) = state.backups.get_mut(backup_id) {
        b.deleted_ms = Some(now);
    }
    Ok(json!({ "backupId": backup_id, "backupName": name }))
}

/// The backup, if it exists and belongs to the cluster.
pub fn find<'a>(
    state: &'a State,
    cluster_id: &str,
    backup_id: &str,
) -> Result<&'a Backup, ApiError> {
    dedicated_cluster(state, cluster_id)?;
    state
        .backups
        .get(backup_id)
        .filter(|b| b.cluster_id == cluster_id)
        .ok_or_else(|| ApiError::backup_not_found(backup_id))
}

/// The cluster, if it exists and is Dedicated (every backup endpoint's first check).
pub fn dedicated_cluster<'a>(state: &'a State, cluster_id: &str) -> Result<&'a Cluster, ApiError> {
    let cluster = state
        .clusters
        .get(cluster_id)
        .ok_or_else(|| ApiError::cluster_not_found(cluster_id))?;
    if cluster.plan != "Dedicated" {
        return Err(ApiError::plan_not_supported(&cluster.plan));
    }
    Ok(cluster)
}

/// `a=1&b=2` → percent-decoded pairs (`+` is a space); empty values count as absent.
fn parse_query(query: &str) -> Vec<(String, String)> {
    query
        .split('&')
        .filter(|p| !p.is_empty())
        .map(|p| {
            let (k, v) = p.split_once('=').unwrap_or((p, ""));
            (percent_decode(k), percent_decode(v))
        })
        .filter(|(_, v)| !v.is_empty())
        .collect()
}

fn percent_decode(s: &str) -> String {
    let b = s.as_bytes();
    let mut out = Vec::with_capacity(b.len());
    let mut i = 0;
    while i < b.len() {
        match b[i] {
            b'+' => out.push(b' '),
            b'%' => match s
                .get(i + 1..i + 3)
                .and_then(|h| u8::from_str_radix(h, 16).ok())
            {
                Some(x) => {
                    out.push(x);
                    i += 2;
                }
                None => out.push(b'%'),
            },
            c => out.push(c),
        }
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

/// `YYYY-MM-DDTHH:MM:SS[.fff]Z` → Unix ms; `None` if malformed.
pub fn parse_iso_ms(v: &str) -> Option<u64> {
    let b = v.as_bytes();
    let digits = |r: std::ops::Range<usize>| -> Option<u64> {
        let s = v.get(r)?;
        (!s.is_empty() && s.bytes().all(|c| c.is_ascii_digit())).then(|| s.parse().ok())?
    };
    if b.len() < 20
        || b[4] != b'-'
        || b[7] != b'-'
        || b[10] != b'T'
        || b[13] != b':'
        || b[16] != b':'
        || !v.ends_with('Z')
    {
        return None;
    }
    let (y, mo, d) = (digits(0..4)?, digits(5..7)?, digits(8..10)?);
    let (h, mi, sec) = (digits(11..13)?, digits(14..16)?, digits(17..19)?);
    let frac_ms = match &v[19..v.len() - 1] {
        "" => 0,
        f if f.starts_with('.') && f.len() >= 2 => {
            let ms = format!("{:0<3}", &f[1..f.len().min(4)]);
            digits(20..v.len() - 1)?;
            ms.parse::<u64>().ok()?
        }
        _ => return None,
    };
    if !(1..=12).contains(&mo)
        || !(1..=31).contains(&d)
        || h > 23
        || mi > 59
        || sec > 59
        || y < 1970
    {
        return None;
    }
    let days = crate::clock::days_from_civil(y as i64, mo as u32, d as u32);
    if days < 0 {
        return None;
    }
    Some(((days as u64 * 86_400) + h * 3600 + mi * 60 + sec) * 1000 + frac_ms)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::envelope::codes;

    fn code(body: &str) -> i64 {
        parse_create(body.as_bytes()).unwrap_err().code
    }

    #[test]
    fn validates_bodies() {
        assert_eq!(code("{"), codes::INVALID_JSON);
        assert_eq!(code("[]"), codes::INVALID_JSON);
        assert_eq!(code("{}"), codes::INVALID_PARAMETER);
        assert_eq!(
            code(r#"{"backupType":"DATABASE"}"#),
            codes::INVALID_PARAMETER
        );
        assert_eq!(
            code(r#"{"backupType":"COLLECTION"}"#),
            codes::INVALID_PARAMETER
        );
        assert_eq!(
            code(r#"{"backupType":"COLLECTION","dbCollections":[]}"#),
            codes::INVALID_PARAMETER
        );
        assert_eq!(
            code(
                r#"{"backupType":"COLLECTION","dbCollections":[{"collectionNames":["a"]},{"dbName":"x","collectionNames":["b"]}]}"#
            ),
            codes::MULTIPLE_DATABASES
        );
        assert_eq!(
            code(r#"{"backupType":"CLUSTER","crossRegionCopies":[{"region":"x"}]}"#),
            codes::INVALID_PARAMETER
        );
    }

    #[test]
    fn default_database_and_merging() {
        let p = parse_create(
            br#"{"backupType":"COLLECTION","dbCollections":[{"collectionNames":["a","a"]},{"dbName":"default","collectionNames":["b"]}]}"#,
        )
        .unwrap();
        assert_eq!(
            p.collections,
            Some(("default".into(), vec!["a".into(), "b".into()]))
        );
        let p = parse_create(
            br#"{"backupType":"CLUSTER","crossRegionCopies":[{"regionId":"aws-us-east-1"}]}"#,
        )
        .unwrap();
        assert_eq!(
            (p.collections, p.cross_region_copies),
            (None, vec!["aws-us-east-1".to_string()])
        );
    }
}
