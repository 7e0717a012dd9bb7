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
    pub body: Option<String>,
    pub op: Operation,
}

pub const CREATE: Operation = Operation::Write("the backup may have been created");
pub const DEFAULT_PAGE_SIZE: u32 = 10;

impl Call {
    fn read(path: String) -> Call {
        Call { method: Method::Get, path, body: None, op: Operation::Read }
    }

    fn write(method: Method, path: String, body: Option<&dyn ToJson>, effect: &'static str) -> Call {
        Call { method, path, body: body.map(json::to_string), op: Operation::Write(effect) }
    }

    /// Starts a backup. Sent once; re-sent only after a 429 (see `retry`).
    pub fn create_backup(cluster_id: &str, request: &CreateBackupRequest) -> Result<Call> {
        validate::resource_id("clusterId", cluster_id)?;
        validate::create_backup_request(request)?;
        let mut call = Call::write(Method::Post, cluster_path(cluster_id, "/backups/create"), Some(request), "");
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
        Ok(Call::read(path))
    }

    pub fn describe_backup(cluster_id: &str, backup_id: &str) -> Result<Call> {
        Ok(Call::read(backup_path(cluster_id, backup_id, "")?))
    }

    pub fn delete_backup(cluster_id: &str, backup_id: &str) -> Result<Call> {
        Ok(Call::write(Method::Delete, backup_path(cluster_id, backup_id, "")?, None, "the backup may have been deleted"))
    }

    /// Restores a CLUSTER backup into a new cluster.
    pub fn restore_cluster(cluster_id: &str, backup_id: &str, input: &RestoreClusterInput) -> Result<Call> {
        let path = backup_path(cluster_id, backup_id, "/restoreCluster")?;
        validate::restore_cluster(input)?;
        Ok(Call::write(Method::Post, path, Some(&RestoreClusterBody::new(input)), "the restore may have started (a new cluster may exist)"))
    }

    pub fn restore_collection(cluster_id: &str, backup_id: &str, input: &RestoreCollectionInput) -> Result<Call> {
        let path = backup_path(cluster_id, backup_id, "/restoreCollection")?;
        validate::restore_collection(input)?;
        Ok(Call::write(Method::Post, path, Some(&input.body()), "the restore may have started"))
    }

    pub fn export_backup(cluster_id: &str, backup_id: &str, input: &ExportInput) -> Result<Call> {
        let path = backup_path(cluster_id, backup_id, "/export")?;
        validate::export(input)?;
        Ok(Call::write(Method::Post, path, Some(input), "the export may have started"))
    }

    pub fn get_backup_policy(cluster_id: &str) -> Result<Call> {
        validate::resource_id("clusterId", cluster_id)?;
        Ok(Call::read(cluster_path(cluster_id, "/backups/policy")))
    }

    /// Enabling also starts one backup at once (the server does), so it is a write.
    pub fn set_backup_policy(cluster_id: &str, input: &PolicyInput) -> Result<Call> {
        validate::resource_id("clusterId", cluster_id)?;
        let body = validate::policy(input)?;
        Ok(Call::write(Method::Post, cluster_path(cluster_id, "/backups/policy"), Some(&body), "the policy may have been changed"))
    }

    pub fn describe_job(job_id: &str) -> Result<Call> {
        validate::resource_id("jobId", job_id)?;
        Ok(Call::read(join(&["/v2/jobs/", job_id])))
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
}
