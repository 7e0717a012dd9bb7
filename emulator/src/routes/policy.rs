//! The automatic-backup policy: `GET`/`POST /v2/clusters/{CLUSTER_ID}/backups/policy`.
//! Enabling triggers one automatic backup at once.

use serde_json::{json, Value};

use super::backups::{dedicated_cluster, start_backup};
use crate::envelope::ApiError;
use crate::state::{Policy, State};

pub fn get(state: &State, cluster_id: &str) -> Result<Value, ApiError> {
    dedicated_cluster(state, cluster_id)?;
    let p = state.policies.get(cluster_id).cloned().unwrap_or_default();
    let mut v = json!({
        "clusterId": cluster_id,
        "status": if p.enabled { "ENABLED" } else { "DISABLED" },
        "startTime": if p.enabled { json!(p.start_time) } else { Value::Null },
        "frequency": if p.enabled { json!(p.frequency) } else { Value::Null },
        "retentionDays": if p.enabled { p.retention_days } else { 0 },
    });
    if p.enabled && !p.cross_region_copies.is_empty() {
        v["crossRegionCopies"] = json!(p.cross_region_copies);
    }
    Ok(v)
}

/// Body: `enabled` (required), `frequency?`, `startTime?`, `retentionDays?` (1–30),
/// `crossRegionCopies?: [{regionId, retentionDays?}]`. Fields left out keep their previous value
/// (defaults: every day, `00:00-02:00`, 7 days). Switching from disabled to enabled triggers one
/// automatic backup at once; `{"enabled": false}` disables (other fields are then ignored).
pub fn set(state: &mut State, cluster_id: &str, body: &[u8]) -> Result<Value, ApiError> {
    dedicated_cluster(state, cluster_id)?;
    let m = match serde_json::from_slice::<Value>(body) {
        Ok(Value::Object(m)) => m,
        Ok(_) => return Err(ApiError::invalid_json("the body must be a JSON object")),
        Err(e) => return Err(ApiError::invalid_json(&e.to_string())),
    };
    let enabled = m
        .get("enabled")
        .and_then(Value::as_bool)
        .ok_or_else(|| ApiError::invalid_parameter("enabled (a boolean) is required"))?;
    let previous = state.policies.get(cluster_id).cloned().unwrap_or_default();
    if !enabled {
        state.policies.insert(
            cluster_id.to_string(),
            Policy {
                enabled: false,
                ..previous
            },
        );
        return Ok(json!({ "clusterId": cluster_id, "status": "DISABLED" }));
    }
    let frequency = match m.get("frequency").filter(|v| !v.is_null()) {
        None => previous
            .frequency
            .clone()
            .unwrap_or_else(|| "1,2,3,4,5,6,7".to_string()),
        Some(Value::String(f)) => weekdays(f)?,
        Some(_) => {
            return Err(ApiError::invalid_parameter(
                "frequency must be a string such as \"1,3,5\"",
            ))
        }
    };
    let start_time = match m.get("startTime").filter(|v| !v.is_null()) {
        None => previous
            .start_time
            .clone()
            .unwrap_or_else(|| "00:00-02:00".to_string()),
        Some(Value::String(w)) => window(w)?,
        Some(_) => {
            return Err(ApiError::invalid_parameter(
                "startTime must be a string such as \"02:00-04:00\"",
            ))
        }
    };
    let retention_days = match m.get("retentionDays").filter(|v| !v.is_null()) {
        None if previous.retention_days > 0 => previous.retention_days,
        None => 7,
        Some(v) => retention(v, "retentionDays")?,
    };
    let cross_region_copies = match m.get("crossRegionCopies").filter(|v| !v.is_null()) {
        None => previous.cross_region_copies.clone(),
        Some(Value::Array(items)) => {
            let mut copies = Vec::new();
            for item in items {
                let region = item
                    .get("regionId")
                    .and_then(Value::as_str)
                    .filter(|r| !r.is_empty())
                    .ok_or_else(|| {
                        ApiError::invalid_parameter(
                            "crossRegionCopies[].regionId (a string) is required",
                        )
                    })?;
                let days = match item.get("retentionDays").filter(|v| !v.is_null()) {
                    None => retention_days,
                    Some(v) => retention(v, "crossRegionCopies[].retentionDays")?,
                };
                copies.push(json!({ "regionId": region, "retentionDays": days }));
            }
            copies
        }
        Some(_) => {
            return Err(ApiError::invalid_parameter(
                "crossRegionCopies must be an array",
            ))
        }
    };
    state.policies.insert(
        cluster_id.to_string(),
        Policy {
            enabled: true,
            frequency: Some(frequency),
            start_time: Some(start_time),
            retention_days,
            cross_region_copies,
        },
    );
    if !previous.enabled {
        // "Enabling triggers one backup immediately": an automatic CLUSTER backup that expires
        // with the retention. It is not subject to the one-manual-job rule.
        let now = state.now_ms();
        let expire = now + u64::from(retention_days) * 86_400_000;
        let fail_plan = state
            .clusters
            .get_mut(cluster_id)
            .and_then(|c| c.fail_next_backup.take());
        start_backup(
            state,
            cluster_id,
            "AUTO",
            None,
            Vec::new(),
            fail_plan,
            Some(expire),
        );
    }
    Ok(json!({ "clusterId": cluster_id, "status": "ENABLED" }))
}

fn retention(v: &Value, field: &str) -> Result<u32, ApiError> {
    match v.as_u64() {
        Some(d) if (1..=30).contains(&d) => Ok(d as u32),
        _ => Err(ApiError::invalid_parameter(format!(
            "{field} must be an integer from 1 to 30, got {v}"
        ))),
    }
}

/// "1,3,5": weekdays 1 (Monday) to 7, no duplicates; returned sorted.
fn weekdays(f: &str) -> Result<String, ApiError> {
    let mut days = Vec::new();
    for part in f.split(',') {
        match part.trim().parse::<u8>() {
            Ok(d) if (1..=7).contains(&d) && !days.contains(&d) => days.push(d),
            _ => {
                return Err(ApiError::invalid_parameter(format!(
                    "frequency must list distinct weekdays 1-7, got '{f}'"
                )))
            }
        }
    }
    days.sort_unstable();
    Ok(days.iter().map(u8::to_string).collect::<Vec<_>>().join(","))
}

/// "HH:00-HH:00", a two-hour UTC window.
fn window(w: &str) -> Result<String, ApiError> {
    let bad = || {
        ApiError::invalid_parameter(format!(
            "startTime must be a two-hour window HH:00-HH:00, got '{w}'"
        ))
    };
    let (a, b) = w.split_once('-').ok_or_else(bad)?;
    let hour = |s: &str| -> Option<u32> {
        s.strip_suffix(":00")
            .filter(|h| h.len() == 2)
            .and_then(|h| h.parse().ok())
            .filter(|h| *h < 24)
    };
    let (start, end) = (hour(a).ok_or_else(bad)?, hour(b).ok_or_else(bad)?);
    if (start + 2) % 24 != end {
        return Err(bad());
    }
    Ok(w.to_string())
}
