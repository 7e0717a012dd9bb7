//! Routing. `/v2/` routes live in one file per resource; `control` is the test-only `/__emulator/` API.
//! Handlers are synchronous functions over `&mut State` (the caller holds the lock), returning
//! `Result<data, ApiError>`; `envelope::respond` is the only place that turns them into responses.

pub mod backups;
pub mod control;
pub mod jobs;
pub mod policy;
pub mod restores;

use serde_json::Value;

use crate::envelope::{self, ApiError};
use crate::http::{Request, Response};
use crate::state::State;

/// Answers an authenticated-or-not `/v2/` request (faults have already been considered).
pub fn api(state: &mut State, req: &Request) -> Response {
    if let Err(e) = authenticate(state, req) {
        return e.to_response();
    }
    let endpoint = endpoint(&req.method, &req.path);
    let key = bearer_token(req).unwrap_or_default().to_string();
    if let Err(retry_after) = state.rate_limit(&key, &endpoint) {
        let mut resp =
            ApiError::rate_limited(state.config.rate_limit_per_second, &endpoint).to_response();
        resp.set_header("Retry-After", retry_after.to_string());
        return resp;
    }
    envelope::respond(route(state, req))
}

/// The endpoint a request is counted and rate-limited under: method + route pattern, e.g.
/// `GET /v2/jobs/{id}`. Paths that match no route count as `<METHOD> (unknown)`.
pub fn endpoint(method: &str, path: &str) -> String {
    let rest = path.strip_prefix("/v2/").unwrap_or("");
    let segments: Vec<&str> = rest.split('/').collect();
    let pattern = match segments.as_slice() {
        ["backups"] => "/v2/backups",
        ["clusters", c, "backups", "create"] if !c.is_empty() => {
            "/v2/clusters/{clusterId}/backups/create"
        }
        ["clusters", c, "backups", "policy"] if !c.is_empty() => {
            "/v2/clusters/{clusterId}/backups/policy"
        }
        ["clusters", c, "backups", b] if !c.is_empty() && !b.is_empty() => {
            "/v2/clusters/{clusterId}/backups/{backupId}"
        }
        ["clusters", c, "backups", b, "restoreCluster"] if !c.is_empty() && !b.is_empty() => {
            "/v2/clusters/{clusterId}/backups/{backupId}/restoreCluster"
        }
        ["clusters", c, "backups", b, "restoreCollection"] if !c.is_empty() && !b.is_empty() => {
            "/v2/clusters/{clusterId}/backups/{backupId}/restoreCollection"
        }
        ["clusters", c, "backups", b, "export"] if !c.is_empty() && !b.is_empty() => {
            "/v2/clusters/{clusterId}/backups/{backupId}/export"
        }
        ["jobs", j] if !j.is_empty() => "/v2/jobs/{id}",
        _ => "(unknown)",
    };
    format!("{method} {pattern}")
}

fn bearer_token(req: &Request) -> Option<&str> {
    req.header("authorization")?
        .split_once(' ')
        .map(|(_, t)| t.trim())
}

/// `Authorization: Bearer <key>`: missing or not Bearer → 80001, wrong key → 21119 (both HTTP 401).
fn authenticate(state: &State, req: &Request) -> Result<(), ApiError> {
    let header = req
        .header("authorization")
        .ok_or_else(ApiError::invalid_token)?;
    let (scheme, token) = header.split_once(' ').ok_or_else(ApiError::invalid_token)?;
    let token = token.trim();
    if !scheme.eq_ignore_ascii_case("bearer") || token.is_empty() {
        return Err(ApiError::invalid_token());
    }
    if token != state.config.api_key {
        return Err(ApiError::apikey_illegal());
    }
    Ok(())
}

fn route(state: &mut State, req: &Request) -> Result<Value, ApiError> {
    let rest = req.path.strip_prefix("/v2/").unwrap_or("");
    let segments: Vec<&str> = rest.split('/').collect();
    let method = req.method.as_str();
    let wrong_method = || Err(ApiError::method_not_allowed(method, &req.path));
    match segments.as_slice() {
        ["backups"] => match method {
            "GET" => backups::list(state, &req.query),
            _ => wrong_method(),
        },
        ["clusters", cluster_id, "backups", "create"] if !cluster_id.is_empty() => match method {
            "POST" => backups::create(state, cluster_id, &req.body),
            _ => wrong_method(),
        },
        ["clusters", cluster_id, "backups", "policy"] if !cluster_id.is_empty() => match method {
            "GET" => policy::get(state, cluster_id),
            "POST" => policy::set(state, cluster_id, &req.body),
            _ => wrong_method(),
        },
        ["clusters", cluster_id, "backups", backup_id]
            if !cluster_id.is_empty() && !backup_id.is_empty() =>
        {
            match method {
                "GET" => backups::describe(state, cluster_id, backup_id),
                "DELETE" => backups::delete(state, cluster_id, backup_id),
                _ => wrong_method(),
            }
        }
        ["clusters", cluster_id, "backups", backup_id, action]
            if !cluster_id.is_empty() && !backup_id.is_empty() =>
        {
            match (*action, method) {
                ("restoreCluster", "POST") => {
                    restores::restore_cluster(state, cluster_id, backup_id, &req.body)
                }
                ("restoreCollection", "POST") => {
                    restores::restore_collection(state, cluster_id, backup_id, &req.body)
                }
                ("export", "POST") => restores::export(state, cluster_id, backup_id, &req.body),
                ("restoreCluster" | "restoreCollection" | "export", _) => wrong_method(),
                _ => Err(ApiError::not_found(&req.path)),
            }
        }
        ["jobs", job_id] if !job_id.is_empty() => match method {
            "GET" => jobs::describe(state, job_id),
            _ => wrong_method(),
        },
        _ => Err(ApiError::not_found(&req.path)),
    }
}
