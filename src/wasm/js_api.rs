//! The exported JavaScript surface: `new BackupClient(options)` and its async methods.
//!
//! Each method converts its JS arguments (bad ones become `InvalidInput` before anything is
//! sent), calls the plain-Rust [`Client`], and turns the result or [`Error`] into JS values.

use super::host::WasmHost;
use super::js_error::to_js_error;
use super::js_input::{request, string_arg, Options};
use super::js_value::to_js;
use crate::client::Client;
use crate::config::{ClientConfig, ClientOptions};
use crate::error::{Error, Result};
use crate::model::backup::{CreateBackupRequest, CreatedBackup};
use crate::model::job::Job;
use crate::model::shape::CREATE_BACKUP_REQUEST;
use crate::waiter::{ProgressInfo, WaitOptions, WaitPolicy};
use js_sys::{Function, Promise};
use serde::Serialize;
use std::future::Future;
use std::rc::Rc;
use wasm_bindgen::prelude::*;
use web_sys::AbortSignal;

const CLIENT_OPTIONS: &[&str] = &["token", "baseUrl", "timeoutMs", "maxRetries", "headers", "fetch"];
const CALL_OPTIONS: &[&str] = &["signal"];
const WAIT_OPTIONS: &[&str] = &["timeoutMs", "minIntervalMs", "maxIntervalMs", "signal", "onProgress"];

/// A Zilliz Cloud backup client. Holds the API key: create it where the key may live (a
/// server or an edge worker), not in a browser page.
#[wasm_bindgen]
pub struct BackupClient {
    inner: Rc<Client<WasmHost>>,
}

#[wasm_bindgen]
impl BackupClient {
    /// Throws a `ZillizError` (`kind: "InvalidInput"`) on bad options.
    #[wasm_bindgen(constructor)]
    pub fn new(options: JsValue) -> std::result::Result<BackupClient, JsValue> {
        Self::build(&options).map_err(|e| to_js_error(&e))
    }

    /// `createBackup(clusterId, request, { signal }?)` → `{ backupId, backupName, jobId }`.
    #[wasm_bindgen(js_name = createBackup)]
    pub fn create_backup(&self, cluster_id: JsValue, request_value: JsValue, options: JsValue) -> Promise {
        let client = self.inner.clone();
        run(async move {
            let cluster_id = string_arg(&cluster_id, "clusterId")?;
            let req: CreateBackupRequest = request(&request_value, "request", &CREATE_BACKUP_REQUEST)?;
            let signal = Options::read(&options, "options", CALL_OPTIONS)?.signal("signal")?;
            let created = client.create_backup(&cluster_id, &req, signal.as_ref()).await?;
            output(&created)
        })
    }

    /// `describeJob(jobId, { signal }?)` → `{ jobId, type, status, progress, startTime, endTime, reason }`.
    #[wasm_bindgen(js_name = describeJob)]
    pub fn describe_job(&self, job_id: JsValue, options: JsValue) -> Promise {
        let client = self.inner.clone();
        run(async move {
            let job_id = string_arg(&job_id, "jobId")?;
            let signal = Options::read(&options, "options", CALL_OPTIONS)?.signal("signal")?;
            output(&client.describe_job(&job_id, signal.as_ref()).await?)
        })
    }

    /// `waitForJob(jobId, { timeoutMs, minIntervalMs, maxIntervalMs, signal, onProgress }?)`
    /// → the job, once SUCCESSFUL.
    #[wasm_bindgen(js_name = waitForJob)]
    pub fn wait_for_job(&self, job_id: JsValue, options: JsValue) -> Promise {
        let client = self.inner.clone();
        run(async move {
            let job_id = string_arg(&job_id, "jobId")?;
            let wait = Wait::read(&options)?;
            let job = client.wait_for_job(&job_id, &wait.policy, wait.signal.as_ref(), &mut wait.reporter()).await?;
            output(&job)
        })
    }

    /// `createBackupAndWait(clusterId, request, waitOptions?)` → `{ backupId, backupName, jobId, job }`.
    #[wasm_bindgen(js_name = createBackupAndWait)]
    pub fn create_backup_and_wait(&self, cluster_id: JsValue, request_value: JsValue, options: JsValue) -> Promise {
        let client = self.inner.clone();
        run(async move {
            let cluster_id = string_arg(&cluster_id, "clusterId")?;
            let req: CreateBackupRequest = request(&request_value, "request", &CREATE_BACKUP_REQUEST)?;
            let wait = Wait::read(&options)?;
            let (created, job) = client
                .create_backup_and_wait(&cluster_id, &req, &wait.policy, wait.signal.as_ref(), &mut wait.reporter())
                .await?;
            output(&CreatedAndDone { created: &created, job: &job })
        })
    }
}

impl BackupClient {
    fn build(options: &JsValue) -> Result<BackupClient> {
        if options.is_undefined() || options.is_null() {
            return Err(Error::invalid("options", "are required: new BackupClient({ token })"));
        }
        let o = Options::read(options, "options", CLIENT_OPTIONS)?;
        let config = ClientConfig::new(ClientOptions {
            token: o.string("token").map_err(|_| Error::invalid("token", "must be a string"))?,
            base_url: o.string("baseUrl")?,
            timeout_ms: o.number("timeoutMs")?,
            max_retries: o.number("maxRetries")?,
            headers: o.string_map("headers")?,
        })?;
        let host = WasmHost { fetch: o.function("fetch")? };
        Ok(BackupClient { inner: Rc::new(Client::new(host, config)) })
    }
}

/// Wait options read from JS.
struct Wait {
    policy: WaitPolicy,
    signal: Option<AbortSignal>,
    on_progress: Option<Function>,
}

impl Wait {
    fn read(options: &JsValue) -> Result<Wait> {
        let o = Options::read(options, "options", WAIT_OPTIONS)?;
        let policy = WaitPolicy::new(WaitOptions {
            timeout_ms: o.number("timeoutMs")?,
            min_interval_ms: o.number("minIntervalMs")?,
            max_interval_ms: o.number("maxIntervalMs")?,
        })?;
        Ok(Wait { policy, signal: o.signal("signal")?, on_progress: o.function("onProgress")? })
    }

    /// Calls `onProgress(job, { etaMs, elapsedMs, polls })`. A throwing callback must not end
    /// the wait (the job goes on regardless), so what it throws is ignored.
    fn reporter(&self) -> impl FnMut(&Job, &ProgressInfo) + '_ {
        move |job: &Job, info: &ProgressInfo| {
            if let (Some(f), Ok(job), Ok(info)) = (&self.on_progress, to_js(job), to_js(info)) {
                let _ = f.call2(&JsValue::UNDEFINED, &job, &info);
            }
        }
    }
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct CreatedAndDone<'a> {
    #[serde(flatten)]
    created: &'a CreatedBackup,
    job: &'a Job,
}

fn output<T: Serialize + ?Sized>(value: &T) -> Result<JsValue> {
    to_js(value).map_err(|e| Error::new(crate::error::ErrorKind::Protocol, super::js_value::describe(&e)))
}

fn run(f: impl Future<Output = Result<JsValue>> + 'static) -> Promise {
    wasm_bindgen_futures::future_to_promise(async move { f.await.map_err(|e| to_js_error(&e)) })
}
