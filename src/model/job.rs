//! `GET /v2/jobs/{JOB_ID}`: the asynchronous job a backup (or restore, export…) runs as.

use super::open_enum::open_enum;
use crate::error::{Error, ErrorKind};
use crate::json::{number_text, parse_number, Fields, FromJson, Obj, Path, Problem, ToJson, Value};
use crate::waiter::{Phase, Watched};
use crate::text::cat;

open_enum! {
    /// A job's status. Values this client does not know yet are kept verbatim, never an error.
    JobStatus {
        Pending = "PENDING",
        InProgress = "IN_PROGRESS",
        Successful = "SUCCESSFUL",
        Failed = "FAILED",
        Canceling = "CANCELING",
    }
}

impl JobStatus {
    /// SUCCESSFUL and FAILED are the only terminal statuses (there is no CANCELED).
    pub fn is_terminal(&self) -> bool {
        matches!(self, JobStatus::Successful | JobStatus::Failed)
    }
}

/// A job as the API describes it. `progress` arrives as a string ("45") and is a number here.
#[derive(Clone, Debug, PartialEq)]
pub struct Job {
    pub job_id: String,
    /// BACKUP, RESTORE, IMPORT… kept as the server's string: new types must not break decoding.
    pub job_type: Option<String>,
    pub status: JobStatus,
    pub progress: f64,
    pub start_time: Option<String>,
    pub end_time: Option<String>,
    pub reason: Option<String>,
}

impl FromJson for Job {
    fn from_json(value: &Value, at: Path) -> Result<Self, Problem> {
        let f = Fields::of(value, at)?;
        let job = Job {
            job_id: f.req("jobId"),
            job_type: f.opt("type"),
            status: f.req("status"),
            progress: progress_from_wire(f.value("progress")).unwrap_or_else(|p| {
                f.note("progress", &p);
                0.0
            }),
            start_time: f.opt("startTime"),
            end_time: f.opt("endTime"),
            reason: f.opt("reason"),
        };
        f.done(job)
    }
}

impl ToJson for Job {
    fn write_json(&self, out: &mut String) {
        Obj::write(out, |o| {
            o.field("jobId", &self.job_id)
                .field("type", &self.job_type)
                .field("status", &self.status)
                .field("progress", &self.progress)
                .field("startTime", &self.start_time)
                .field("endTime", &self.end_time)
                .field("reason", &self.reason);
        });
    }
}

impl Watched for Job {
    const NOUN: &'static str = "job";
    fn phase(&self) -> Phase {
        match self.status {
            JobStatus::Successful => Phase::Succeeded,
            JobStatus::Failed => Phase::Failed,
            _ => Phase::Running,
        }
    }
    /// Only a running job's progress measures its pace (a PENDING job's 0 says nothing).
    fn progress(&self) -> Option<f64> {
        (self.status != JobStatus::Pending).then_some(self.progress)
    }
    fn differs_from(&self, other: &Job) -> bool {
        self.status != other.status || self.progress != other.progress
    }
    fn summary(&self) -> String {
        cat(&[self.status.as_str(), " at ", &number_text(self.progress), "%"])
    }
    fn failure(self) -> Error {
        let reason = self.reason.as_deref().filter(|r| !r.is_empty()).unwrap_or("no reason given");
        let kind = self.job_type.as_deref().map(|t| cat(&[" (", t, ")"])).unwrap_or_default();
        let mut e = Error::new(ErrorKind::JobFailed, cat(&["job ", &self.job_id, &kind, " failed: ", reason]));
        e.job_id = Some(self.job_id.clone());
        e.job = Some(self);
        e
    }
}

/// Accepts "45", "45.5", "45%", 45, "" and null (the docs show a string; be liberal),
/// clamped to 0–100.
fn progress_from_wire(value: Option<&Value>) -> Result<f64, String> {
    let n = match value {
        None => return Ok(0.0),
        Some(Value::Number(n)) => *n,
        Some(Value::String(s)) if s.trim_ascii().is_empty() => return Ok(0.0),
        Some(Value::String(s)) => {
            let s = s.trim_ascii();
            parse_number(s.strip_suffix('%').unwrap_or(s)).ok_or_else(|| cat(&["invalid progress ", &crate::json::quote(s)]))?
        }
        Some(other) => return Err(cat(&["must be a progress percentage, not ", other.kind()])),
    };
    if n.is_finite() { Ok(n.max(0.0).min(100.0)) } else { Err("invalid progress".into()) }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::json;

    fn job(text: &str) -> Result<Job, String> {
        json::decode::<Job>(&json::parse(text)?)
    }

    #[test]
    fn decodes_the_documented_example() {
        let j = job(r#"{"jobId":"job-03e1eefbd82dmo2oeb8pe2","type":"MIGRATION","status":"SUCCESSFUL","progress":"100","startTime":"2024-07-30T16:49:50Z","endTime":"2024-07-30T17:30:50Z","reason":""}"#).unwrap();
        assert_eq!(j.job_id, "job-03e1eefbd82dmo2oeb8pe2");
        assert_eq!(j.job_type.as_deref(), Some("MIGRATION"));
        assert_eq!(j.status, JobStatus::Successful);
        assert!(j.status.is_terminal());
        assert_eq!(j.progress, 100.0);
        assert_eq!(j.end_time.as_deref(), Some("2024-07-30T17:30:50Z"));
    }

    #[test]
    fn progress_forms() {
        for (wire, want) in [("\"45\"", 45.0), ("\"45.5\"", 45.5), ("45", 45.0), ("\"\"", 0.0), ("null", 0.0), ("\"250\"", 100.0), ("\"-3\"", 0.0)] {
            let j = job(&format!(r#"{{"jobId":"j","status":"IN_PROGRESS","progress":{wire}}}"#)).unwrap();
            assert_eq!(j.progress, want, "{wire}");
        }
        assert!(job(r#"{"jobId":"j","status":"IN_PROGRESS","progress":"lots"}"#).is_err());
    }

    #[test]
    fn unknown_status_and_type_are_kept() {
        let j = job(r#"{"jobId":"j","type":"TELEPORT","status":"PAUSED_BY_OPERATOR","progress":"3","extra":{"x":1}}"#).unwrap();
        assert_eq!(j.status, JobStatus::Other("PAUSED_BY_OPERATOR".into()));
        assert_eq!(j.status.as_str(), "PAUSED_BY_OPERATOR");
        assert!(!j.status.is_terminal());
        assert_eq!(j.job_type.as_deref(), Some("TELEPORT"));
        assert!(!JobStatus::Canceling.is_terminal());
    }

    #[test]
    fn serializes_with_wire_names_and_numeric_progress() {
        let j = job(r#"{"jobId":"j","type":"BACKUP","status":"IN_PROGRESS","progress":"42"}"#).unwrap();
        let s = json::to_string(&j);
        assert_eq!(s, r#"{"jobId":"j","type":"BACKUP","status":"IN_PROGRESS","progress":42,"startTime":null,"endTime":null,"reason":null}"#);
    }
}
