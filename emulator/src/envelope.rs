//! The API's JSON envelope: `{"code":0,"data":{…}}` on success, `{"code":<int>,"message":"…"}` on
//! failure. Every `/v2/` error is built here, so codes, messages and HTTP statuses stay in one table
//! (mirrored in README.md).

use serde_json::{json, Value};

use crate::http::Response;

/// A failed API call: the HTTP status it travels with, the envelope code and message.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ApiError {
    pub http_status: u16,
    pub code: i64,
    pub message: String,
}

/// Error codes. 21119 and 80001 are the real service's (documented); the rest are the emulator's own
/// choice because the real ones are undocumented. Business errors travel with HTTP 200, as in the real API.
pub mod codes {
    pub const APIKEY_ILLEGAL: i64 = 21119;
    pub const INVALID_TOKEN: i64 = 80001;
    pub const INVALID_JSON: i64 = 60001;
    pub const INVALID_PARAMETER: i64 = 60002;
    pub const MULTIPLE_DATABASES: i64 = 60003;
    pub const DATABASE_NOT_FOUND: i64 = 60004;
    pub const COLLECTION_NOT_FOUND: i64 = 60005;
    pub const CLUSTER_NOT_FOUND: i64 = 80010;
    pub const PLAN_NOT_SUPPORTED: i64 = 80020;
    pub const BACKUP_JOB_RUNNING: i64 = 80030;
    pub const AUTO_BACKUP_RUNNING: i64 = 80031;
    pub const JOB_NOT_FOUND: i64 = 80040;
    pub const BACKUP_NOT_FOUND: i64 = 80050;
    pub const BACKUP_NOT_AVAILABLE: i64 = 80051;
    pub const WRONG_BACKUP_TYPE: i64 = 80052;
    pub const CLUSTER_NAME_EXISTS: i64 = 40013;
    pub const COLLECTION_EXISTS: i64 = 60006;
    pub const INTEGRATION_NOT_FOUND: i64 = 80060;
    pub const RATE_LIMITED: i64 = 80429;
    /// Unknown route / wrong method: the code mirrors the HTTP status.
    pub const NOT_FOUND: i64 = 404;
    pub const METHOD_NOT_ALLOWED: i64 = 405;
}

impl ApiError {
    fn business(code: i64, message: impl Into<String>) -> Self {
        ApiError {
            http_status: 200,
            code,
            message: message.into(),
        }
    }

    pub fn apikey_illegal() -> Self {
        ApiError {
            http_status: 401,
            code: codes::APIKEY_ILLEGAL,
            message: "The apikey is illegal".into(),
        }
    }

    pub fn invalid_token() -> Self {
        ApiError {
            http_status: 401,
            code: codes::INVALID_TOKEN,
            message: "invalid token".into(),
        }
    }

    pub fn invalid_json(detail: &str) -> Self {
        Self::business(
            codes::INVALID_JSON,
            format!("Invalid JSON request body: {detail}"),
        )
    }

    pub fn invalid_parameter(detail: impl Into<String>) -> Self {
        Self::business(
            codes::INVALID_PARAMETER,
            format!("Invalid parameter: {}", detail.into()),
        )
    }

    pub fn multiple_databases() -> Self {
        Self::business(
            codes::MULTIPLE_DATABASES,
            "All collections in a backup must belong to the same database.",
        )
    }

    pub fn database_not_found(db: &str) -> Self {
        Self::business(
            codes::DATABASE_NOT_FOUND,
            format!("Database '{db}' does not exist."),
        )
    }

    pub fn collection_not_found(db: &str, collection: &str) -> Self {
        Self::business(
            codes::COLLECTION_NOT_FOUND,
            format!("Collection '{collection}' does not exist in database '{db}'."),
        )
    }

    pub fn cluster_not_found(cluster_id: &str) -> Self {
        Self::business(
            codes::CLUSTER_NOT_FOUND,
            format!(
                "Cluster '{cluster_id}' does not exist or you do not have permission to access it."
            ),
        )
    }

    pub fn plan_not_supported(plan: &str) -> Self {
        Self::business(
            codes::PLAN_NOT_SUPPORTED,
            format!(
                "Backups are only available for Dedicated clusters; this cluster's plan is {plan}."
            ),
        )
    }

    pub fn backup_job_running() -> Self {
        Self::business(
            codes::BACKUP_JOB_RUNNING,
            "A manual backup job is already pending or in progress for this cluster. \
             Wait for it to finish before creating another backup.",
        )
    }

    pub fn auto_backup_running() -> Self {
        Self::business(
            codes::AUTO_BACKUP_RUNNING,
            "An automatic backup job is in progress for this cluster. \
             A manual backup cannot start until it finishes.",
        )
    }

    pub fn rate_limited(limit: u32, endpoint: &str) -> Self {
        ApiError {
            http_status: 429,
            code: codes::RATE_LIMITED,
            message: format!(
                "Too many requests: at most {limit} per second per API key for {endpoint}."
            ),
        }
    }

    pub fn job_not_found(job_id: &str) -> Self {
        Self::business(
            codes::JOB_NOT_FOUND,
            format!("Job '{job_id}' does not exist."),
        )
    }

    pub fn backup_not_found(backup_id: &str) -> Self {
        Self::business(
            codes::BACKUP_NOT_FOUND,
            format!("Backup '{backup_id}' does not exist in this cluster."),
        )
    }

    pub fn backup_not_available(backup_id: &str, why: &str) -> Self {
        Self::business(
            codes::BACKUP_NOT_AVAILABLE,
            format!("Backup '{backup_id}' is not available: {why}."),
        )
    }

    pub fn wrong_backup_type(expected: &str) -> Self {
        Self::business(
            codes::WRONG_BACKUP_TYPE,
            format!("This operation needs a {expected} backup."),
        )
    }

    pub fn cluster_name_exists() -> Self {
        // The one business error the docs show verbatim.
        Self::business(
            codes::CLUSTER_NAME_EXISTS,
            "The specified cluster name already exists.",
        )
    }

    pub fn collection_exists(db: &str, collection: &str) -> Self {
        Self::business(
            codes::COLLECTION_EXISTS,
            format!("Collection '{collection}' already exists in database '{db}'."),
        )
    }

    pub fn integration_not_found(id: &str) -> Self {
        Self::business(
            codes::INTEGRATION_NOT_FOUND,
            format!("Integration '{id}' does not exist."),
        )
    }

    pub fn not_found(path: &str) -> Self {
        ApiError {
            http_status: 404,
            code: codes::NOT_FOUND,
            message: format!("No route for {path}"),
        }
    }

    pub fn method_not_allowed(method: &str, path: &str) -> Self {
        ApiError {
            http_status: 405,
            code: codes::METHOD_NOT_ALLOWED,
            message: format!("Method {method} is not allowed on {path}"),
        }
    }

    /// The body the real service would send: `{"code", "message"}`.
    pub fn to_json(&self) -> Value {
        json!({ "code": self.code, "message": self.message })
    }

    pub fn to_response(&self) -> Response {
        Response::json(self.http_status, &self.to_json())
    }
}

/// `{"code":0,"data":…}` with HTTP 200.
pub fn ok(data: Value) -> Response {
    Response::json(200, &json!({ "code": 0, "data": data }))
}

/// Turns a handler result into the wire response: the single exit for every `/v2/` answer.
pub fn respond(result: Result<Value, ApiError>) -> Response {
    match result {
        Ok(data) => ok(data),
        Err(e) => e.to_response(),
    }
}

/// `{"code": status, "message": reason}`: the default body of scripted status faults and of control-API errors.
pub fn status_envelope(status: u16, message: &str) -> Value {
    json!({ "code": status, "message": message })
}
