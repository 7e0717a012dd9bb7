//! Every endpoint as a [`Call`]: its method, path and body, and what a failure may have done,
//! built synchronously with every input checked, so nothing is sent for a bad one.
//!
//! The client sends any `Call` through one request loop (`Client::send_value`); the JS surface
//! sends the simple ones the same way, so one async path serves them all in the .wasm.

use crate::error::Result;
use crate::http::Method;
use crate::json::{self, ToJson};
use crate::model::backup::{CreateBackupRequest, ListBackupsQuery};
use crate::model::export::ExportInput;
use crate::model::policy::PolicyInput;
use crate::model::restore::{RestoreClusterBody, RestoreClusterInput, RestoreCollectionInput};
use crate::retry::Operation;
use crate::validate;

/// A request ready to send.
#[derive(Clone, Debug, PartialEq)]
pub struct Call {
    pub method: Method,
    /// From the API root: `/v2/…`, query included.
    pub path: String,
    /// The endpoint as the server counts requests against its rate limit: the method and the
    /// path's template, ids as `{id}`, no query (`"GET /v2/jobs/{id}"`). The limiter's key;
    /// written here once per endpoint rather than worked out from the path before every request.
    pub endpoint: &'static str,
    pub body: Option<String>,
    pub op: Operation,
}

pub const CREATE: Operation = Operation::Write("the backup may have been created");
pub const DEFAULT_PAGE_SIZE: u32 = 10;

impl Call {
    fn read(endpoint: &'static str, path: String) -> Call {
        Call { method: Method::Get, path, endpoint, body: None, op: Operation::Read }
    }

    fn write(method: Method, endpoint: &'static str, path: String, body: Option<&dyn ToJson>, effect: &'static str) -> Call {
        Call { method, path, endpoint, body: body.map(json::to_string), op: Operation::Write(effect) }
    }

    /// Starts a backup. Sent once; re-sent only after a 429 (see `retry`).
    pub fn create_backup(cluster_id: &str, request: &CreateBackupRequest) -> Result<Call> {
        validate::resource_id("clusterId", cluster_id)?;
        validate::create_backup_request(request)?;
        let mut call = Call::write(Method::Post, "POST /v2/clusters/{id}/backups/create", cluster_path(cluster_id, "/backups/create"), Some(request), "");
        call.op = CREATE;
        Ok(call)
    }

    /// One page of `GET /v2/backups`.
    pub fn list_backups(query: &ListBackupsQuery) -> Result<Call> {
        let mut path = String::from("/v2/backups");
        for (i, (key, value)) in validate::list_query(query)?.iter().enumerate() {
            path.push_str(if i == 0 { "?" } else { "&" });
            path.push_str(key);
            path.push('=');
            encode_query_value(value, &mut path);
        }
        Ok(Call::read("GET /v2/backups", path))
    }

    pub fn describe_backup(cluster_id: &str, backup_id: &str) -> Result<Call> {
        Ok(Call::read("GET /v2/clusters/{id}/backups/{id}", backup_path(cluster_id, backup_id, "")?))
    }

    pub fn delete_backup(cluster_id: &str, backup_id: &str) -> Result<Call> {
        Ok(Call::write(Method::Delete, "DELETE /v2/clusters/{id}/backups/{id}", backup_path(cluster_id, backup_id, "")?, None, "the backup may have been deleted"))
    }

    /// Restores a CLUSTER backup into a new cluster.
    pub fn restore_cluster(cluster_id: &str, backup_id: &str, input: &RestoreClusterInput) -> Result<Call> {
        let path = backup_path(cluster_id, backup_id, "/restoreCluster")?;
        validate::restore_cluster(input)?;
        Ok(Call::write(Method::Post, "POST /v2/clusters/{id}/backups/{id}/restoreCluster", path, Some(&RestoreClusterBody::new(input)), "the restore may have started (a new cluster may exist)"))
    }

    pub fn restore_collection(cluster_id: &str, backup_id: &str, input: &RestoreCollectionInput) -> Result<Call> {
        let path = backup_path(cluster_id, backup_id, "/restoreCollection")?;
        validate::restore_collection(input)?;
        Ok(Call::write(Method::Post, "POST /v2/clusters/{id}/backups/{id}/restoreCollection", path, Some(&input.body()), "the restore may have started"))
    }

    pub fn export_backup(cluster_id: &str, backup_id: &str, input: &ExportInput) -> Result<Call> {
        let path = backup_path(cluster_id, backup_id, "/export")?;
        validate::export(input)?;
        Ok(Call::write(Method::Post, "POST /v2/clusters/{id}/backups/{id}/export", path, Some(input), "the export may have started"))
    }

    pub fn get_backup_policy(cluster_id: &str) -> Result<Call> {
        validate::resource_id("clusterId", cluster_id)?;
        Ok(Call::read("GET /v2/clusters/{id}/backups/policy", cluster_path(cluster_id, "/backups/policy")))
    }

    /// Enabling also starts one backup at once (the server does), so it is a write.
    pub fn set_backup_policy(cluster_id: &str, input: &PolicyInput) -> Result<Call> {
        validate::resource_id("clusterId", cluster_id)?;
        let body = validate::policy(input)?;
        Ok(Call::write(Method::Post, "POST /v2/clusters/{id}/backups/policy", cluster_path(cluster_id, "/backups/policy"), Some(&body), "the policy may have been changed"))
    }

    pub fn describe_job(job_id: &str) -> Result<Call> {
        validate::resource_id("jobId", job_id)?;
        Ok(Call::read("GET /v2/jobs/{id}", join(&["/v2/jobs/", job_id])))
    }
}

/// Strings end to end, without `format!` or `concat` (their generic machinery is compiled on
/// first use by a lazily compiling runtime: cold start, BENCHMARKS.md).
pub fn join(parts: &[&str]) -> String {
    let mut out = String::with_capacity(parts.iter().map(|p| p.len()).sum());
    for part in parts {
        out.push_str(part);
    }
    out
}

/// `/v2/clusters/{cluster}{suffix}` (the id already checked).
fn cluster_path(cluster_id: &str, suffix: &str) -> String {
    join(&["/v2/clusters/", cluster_id, suffix])
}

/// `/v2/clusters/{cluster}/backups/{backup}{suffix}`, both ids checked.
pub fn backup_path(cluster_id: &str, backup_id: &str, suffix: &str) -> Result<String> {
    validate::resource_id("clusterId", cluster_id)?;
    validate::resource_id("backupId", backup_id)?;
    Ok(join(&["/v2/clusters/", cluster_id, "/backups/", backup_id, suffix]))
}

/// Query values are validated to safe characters already; encode anything else anyway.
fn encode_query_value(v: &str, out: &mut String) {
    const HEX: &[u8; 16] = b"0123456789ABCDEF";
    for b in v.bytes() {
        match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' | b':' => out.push(char::from(b)),
            _ => {
                out.push('%');
                out.push(char::from(HEX[usize::from(b >> 4)]));
                out.push(char::from(HEX[usize::from(b & 15)]));
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn query_values_are_percent_encoded_beyond_the_safe_set() {
        let mut out = String::new();
        encode_query_value("a b/é:2024-07-30T16:49:50Z", &mut out);
        assert_eq!(out, "a%20b%2F%C3%A9:2024-07-30T16:49:50Z");
    }

    #[test]
    fn calls_carry_their_path_body_and_effect() {
        let c = Call::describe_job("job-1").unwrap();
        assert_eq!((c.method, c.path.as_str(), c.body, c.op), (Method::Get, "/v2/jobs/job-1", None, Operation::Read));
        let c = Call::delete_backup("in01-a", "backup1_x").unwrap();
        assert_eq!((c.method, c.path.as_str()), (Method::Delete, "/v2/clusters/in01-a/backups/backup1_x"));
        assert!(matches!(c.op, Operation::Write(_)));
        assert!(Call::describe_backup("in01-a", "../x").is_err());
    }

    fn decode<T: json::FromJson>(text: &str) -> T {
        json::decode(&json::parse(text).unwrap()).unwrap()
    }

    /// The rate limit's endpoint worked out from a request as the server counts it: the path
    /// without its query, and a segment after `clusters` or `jobs`, or after `backups` unless it
    /// is `create` or `policy`, as `{id}`.
    fn counted_as(method: Method, path: &str) -> String {
        let path = path.split('?').next().unwrap();
        let mut previous = "";
        let segments: Vec<&str> = path
            .split('/')
            .map(|segment| {
                let is_id = matches!(previous, "clusters" | "jobs") || (previous == "backups" && !matches!(segment, "create" | "policy"));
                previous = segment;
                if is_id { "{id}" } else { segment }
            })
            .collect();
        format!("{} {}", method.as_str(), segments.join("/"))
    }

    #[test]
    fn every_call_names_the_endpoint_its_request_is_counted_against() {
        let (c, b) = ("in01-a", "backup-1");
        let calls = [
            Call::create_backup(c, &decode(r#"{"backupType":"CLUSTER"}"#)),
            Call::list_backups(&decode(r#"{"clusterId":"in01-a","pageSize":5}"#)),
            Call::describe_backup(c, b),
            Call::delete_backup(c, b),
            Call::restore_cluster(c, b, &decode(r#"{"targetProjectId":"proj-1","clusterName":"r","cuSize":2}"#)),
            Call::restore_collection(c, b, &decode(r#"{"destClusterId":"in01-b","dbCollections":[{"collections":[{"collectionName":"a"}]}]}"#)),
            Call::export_backup(c, b, &decode(r#"{"integrationId":"integ-abc"}"#)),
            Call::get_backup_policy(c),
            Call::set_backup_policy(c, &decode(r#"{"enabled":false}"#)),
            Call::describe_job("job-1"),
        ];
        for call in calls {
            let call = call.unwrap();
            assert_eq!(call.endpoint, counted_as(call.method, &call.path), "{}", call.path);
        }
        assert_eq!(counted_as(Method::Get, "/v2/backups?clusterId=a&pageSize=5"), "GET /v2/backups");
        assert_eq!(counted_as(Method::Post, "/v2/clusters/c/backups/b/restoreCollection"), "POST /v2/clusters/{id}/backups/{id}/restoreCollection");
    }
}
