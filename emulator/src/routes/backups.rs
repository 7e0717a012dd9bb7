//! `POST /v2/clusters/{CLUSTER_ID}/backups/create` (list/describe/delete come later, here).

use std::collections::BTreeMap;

use serde_json::{json, Value};

use crate::envelope::ApiError;
use crate::state::{Backup, Job, State, HEX, LOWER_ALNUM};

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

    let cluster = state
        .clusters
        .get(cluster_id)
        .ok_or_else(|| ApiError::cluster_not_found(cluster_id))?;
    if cluster.plan != "Dedicated" {
        return Err(ApiError::plan_not_supported(&cluster.plan));
    }
    if let Some((db, names)) = &params.collections {
        let existing = cluster
            .databases
            .get(db)
            .ok_or_else(|| ApiError::database_not_found(db))?;
        if let Some(missing) = names.iter().find(|n| !existing.contains(n)) {
            return Err(ApiError::collection_not_found(db, missing));
        }
    }
    if state.manual_backup_running(cluster_id, now) {
        return Err(ApiError::backup_job_running());
    }

    let duration_ms = state.config.job_duration_ms;
    let backup_hex = state.rng.string(HEX, 15);
    let job_id = format!("job-{}", state.rng.string(LOWER_ALNUM, 22));
    let seq = state.next_seq();
    let cluster = state
        .clusters
        .get_mut(cluster_id)
        .expect("looked up above under the same lock");
    cluster.backup_seq += 1;
    let n = cluster.backup_seq;
    let fail_plan = cluster.fail_next_backup.take();
    let backup_id = format!("backup{n}_{backup_hex}");
    let (backup_type, backup_name, db_collections) = match params.collections {
        None => (
            "CLUSTER",
            format!("{}_backup{n}", cluster.cluster_name),
            Vec::new(),
        ),
        Some((db, names)) => (
            "COLLECTION",
            format!("{}_backup{n}", names[0]),
            vec![(db, names)],
        ),
    };

    state.jobs.insert(
        job_id.clone(),
        Job {
            seq,
            job_id: job_id.clone(),
            job_type: "BACKUP".into(),
            cluster_id: cluster_id.to_string(),
            backup_id: Some(backup_id.clone()),
            created_ms: now,
            duration_ms,
            fail_plan,
            forced_failure: None,
        },
    );
    state.backups.insert(
        backup_id.clone(),
        Backup {
            seq,
            backup_id: backup_id.clone(),
            backup_name: backup_name.clone(),
            cluster_id: cluster_id.to_string(),
            backup_type: backup_type.into(),
            creation_method: "MANUAL".into(),
            db_collections,
            cross_region_copies: params.cross_region_copies,
            job_id: job_id.clone(),
            created_ms: now,
        },
    );
    Ok(json!({ "backupId": backup_id, "backupName": backup_name, "jobId": job_id }))
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
