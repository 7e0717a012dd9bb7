//! [`Error`] → a JS `Error` with `name`, `kind` and the details as own properties.

use super::globals::set_property;
use super::js_value::to_js;
use crate::error::{Error, ErrorKind};
use wasm_bindgen::JsValue;

pub fn to_js_error(e: &Error) -> JsValue {
    let js = js_sys::Error::new(&e.message);
    let set = |key: &str, value: JsValue| {
        let _ = set_property(&js, &JsValue::from_str(key), &value);
    };
    // Aborts follow the platform convention (`AbortError`) so generic abort handling works.
    set("name", (if e.kind == ErrorKind::Aborted { "AbortError" } else { "ZillizError" }).into());
    set("kind", e.kind.as_str().into());
    set("retryable", e.retryable.into());
    if let Some(code) = e.code {
        set("code", (code as f64).into());
    }
    if let Some(status) = e.http_status {
        set("httpStatus", status.into());
    }
    if let Some(id) = &e.request_id {
        set("requestId", id.into());
    }
    if let Some(id) = &e.job_id {
        set("jobId", id.into());
    }
    if let Some(id) = &e.backup_id {
        set("backupId", id.into());
    }
    if let Some(job) = &e.job {
        set("job", to_js(job));
    }
    if let Some(ms) = e.retry_after_ms {
        set("retryAfterMs", ms.into());
    }
    if let Some(id) = &e.running_backup_id {
        set("runningBackupId", id.into());
    }
    if let Some(text) = &e.server_message {
        set("serverMessage", text.into());
    }
    js.into()
}
