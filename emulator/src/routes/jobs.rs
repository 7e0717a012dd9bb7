//! `GET /v2/jobs/{JOB_ID}`.

use serde_json::Value;

use crate::envelope::ApiError;
use crate::state::State;

pub fn describe(state: &mut State, job_id: &str) -> Result<Value, ApiError> {
    let now = state.now_ms();
    let job = state
        .jobs
        .get(job_id)
        .ok_or_else(|| ApiError::job_not_found(job_id))?;
    Ok(state.job_json(job, now))
}
