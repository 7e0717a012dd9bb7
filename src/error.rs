//! The one error type every operation returns, and its kinds.
//!
//! JavaScript sees these as `Error` objects whose `kind` string comes from [`ErrorKind::as_str`]
//! (callers branch on `kind`, never on the message). The message may quote the server's own text
//! but never the API key: the key is only ever written into the `Authorization` header.

use crate::model::job::Job;
use std::fmt;

/// What went wrong, as a stable machine-readable value.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ErrorKind {
    /// Bad input caught before any request was sent.
    InvalidInput,
    /// HTTP 401, or an API code that means the key is wrong (21119, 80001).
    Unauthorized,
    /// HTTP 403.
    Forbidden,
    /// HTTP 404.
    NotFound,
    /// HTTP 429 that outlived the retries.
    RateLimited,
    /// HTTP 5xx (including a proxy's HTML error page).
    Server,
    /// The request did not complete: connection refused or dropped, per-request timeout.
    Network,
    /// The response could not be understood (not JSON, wrong shape, a redirect).
    Protocol,
    /// Any other non-zero API `code`, including business errors under HTTP 200.
    Api,
    /// The wait's deadline passed before the job finished.
    Timeout,
    /// The caller's `AbortSignal` fired.
    Aborted,
    /// The job finished as FAILED.
    JobFailed,
}

impl ErrorKind {
    pub fn as_str(self) -> &'static str {
        match self {
            ErrorKind::InvalidInput => "InvalidInput",
            ErrorKind::Unauthorized => "Unauthorized",
            ErrorKind::Forbidden => "Forbidden",
            ErrorKind::NotFound => "NotFound",
            ErrorKind::RateLimited => "RateLimited",
            ErrorKind::Server => "Server",
            ErrorKind::Network => "Network",
            ErrorKind::Protocol => "Protocol",
            ErrorKind::Api => "Api",
            ErrorKind::Timeout => "Timeout",
            ErrorKind::Aborted => "Aborted",
            ErrorKind::JobFailed => "JobFailed",
        }
    }
}

/// An error with everything a caller needs to decide what to do next. Boxed: errors are rare,
/// and every `Result` held across an `await` is then a pointer wide, not hundreds of bytes —
/// thousands of concurrent waits each hold their futures in memory (BENCHMARKS.md, the fleet).
/// Read and write its fields through `Deref` (`e.kind`, `e.job_id`).
#[derive(Clone, Debug, PartialEq)]
pub struct Error(Box<ErrorDetails>);

#[derive(Clone, Debug, PartialEq)]
pub struct ErrorDetails {
    pub kind: ErrorKind,
    pub message: String,
    /// The API's body `code`, when the server sent one.
    pub code: Option<i64>,
    pub http_status: Option<u16>,
    /// The `RequestId` response header, when sent.
    pub request_id: Option<String>,
    /// Whether the same call may succeed if made again later.
    pub retryable: bool,
    /// The job this error is about (wait outcomes, create-and-wait); never lost on failure.
    pub job_id: Option<String>,
    /// The backup this error is about (create-and-wait failures after the create).
    pub backup_id: Option<String>,
    /// The last job state seen (always set for `JobFailed`, set for `Timeout` when a poll succeeded).
    pub job: Option<Job>,
    /// How long the server asked us to wait (429 `Retry-After`), in milliseconds.
    pub retry_after_ms: Option<f64>,
    /// The backup already running on a busy cluster (the one-manual-job rule).
    pub running_backup_id: Option<String>,
    /// The server's own `message`, word for word (at most 1000 characters), for showing to people.
    pub server_message: Option<String>,
}

impl Error {
    pub fn new(kind: ErrorKind, message: impl Into<String>) -> Self {
        Self::with_message(kind, message.into())
    }

    // Errors are the cold path: built out of line, so the code of every call that can fail
    // stays small, and a runtime that compiles wasm lazily (V8) compiles this only when an
    // error happens, not before the first request (BENCHMARKS.md, cold start).
    #[cold]
    #[inline(never)]
    fn with_message(kind: ErrorKind, message: String) -> Self {
        Error(Box::new(ErrorDetails {
            kind,
            message,
            code: None,
            http_status: None,
            request_id: None,
            retryable: false,
            job_id: None,
            backup_id: None,
            job: None,
            retry_after_ms: None,
            running_backup_id: None,
            server_message: None,
        }))
    }

    /// Bad input: `field` is named first so the message says what to fix.
    #[cold]
    #[inline(never)]
    pub fn invalid(field: &str, problem: impl AsRef<str>) -> Self {
        Error::new(ErrorKind::InvalidInput, crate::text::cat(&[field, ": ", problem.as_ref()]))
    }

    pub fn retryable(mut self, retryable: bool) -> Self {
        self.retryable = retryable;
        self
    }

    /// Attaches the job so a failure while following it never loses it.
    pub fn for_job(mut self, job_id: &str) -> Self {
        if self.job_id.is_none() {
            self.job_id = Some(job_id.to_owned());
        }
        self
    }

    pub fn for_backup(mut self, backup_id: &str) -> Self {
        if self.backup_id.is_none() {
            self.backup_id = Some(backup_id.to_owned());
        }
        self
    }
}

impl std::ops::Deref for Error {
    type Target = ErrorDetails;
    fn deref(&self) -> &ErrorDetails {
        &self.0
    }
}

impl std::ops::DerefMut for Error {
    fn deref_mut(&mut self) -> &mut ErrorDetails {
        &mut self.0
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for Error {}

pub type Result<T, E = Error> = std::result::Result<T, E>;
