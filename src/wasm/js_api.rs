//! The exported JavaScript surface: `new BackupClient(options)` and its async methods, which
//! JavaScript reaches through one export, `_call(name, …)` (`pkg/common.js` names them).
//!
//! Each method converts its JS arguments (bad ones become `InvalidInput` before anything is
//! sent), calls the plain-Rust [`Client`], and turns the result or [`Error`] into JS values.
//! `listAllBackups` (an async generator over `listBackups`) lives in `pkg/common.js`.

use super::executor;
use super::host::WasmHost;
use super::js_error::to_js_error;
use super::js_input::{request, strict, string_arg, Options};
use super::js_value::to_js;
use crate::client::Client;
use crate::endpoints::Call;
use crate::model::envelope;
use crate::config::{ClientConfig, ClientOptions};
use crate::error::{Error, Result};
use crate::json::{Fields, FromJson, Obj, Path, Problem, ToJson, Value};
use crate::flows::{CreateHow, WhenBusy};
use crate::model::backup::{Backup, CreateBackupRequest, DeletedBackup, ListBackupsQuery};
use crate::model::job::Job;
use crate::model::policy::{Policy, PolicyStatus};
use crate::model::restore::{RestoreClusterInput, RestoreCollectionInput, RestoredCluster, StartedJob};
use crate::waiter::{ProgressInfo, Step, WaitOptions, WaitPolicy, WaitState, MAX_WAIT_TIMEOUT_MS};
use js_sys::{Function, Promise};
use std::future::Future;
use std::rc::Rc;
use wasm_bindgen::prelude::*;
use web_sys::AbortSignal;

const CLIENT_OPTIONS: &[&str] = &["token", "baseUrl", "timeoutMs", "maxRetries", "headers", "fetch", "requestsPerSecond"];
const CALL_OPTIONS: &[&str] = &["signal"];
const CREATE_OPTIONS: &[&str] = &["signal", "whenBusy", "reconcile"];
const WAIT_OPTIONS: &[&str] = &["timeoutMs", "minIntervalMs", "maxIntervalMs", "signal", "onProgress"];
const CREATE_AND_WAIT_OPTIONS: &[&str] = &["timeoutMs", "minIntervalMs", "maxIntervalMs", "signal", "onProgress", "whenBusy", "reconcile"];
const STEP_OPTIONS: &[&str] = &["budgetMs", "timeoutMs", "minIntervalMs", "maxIntervalMs", "signal", "onProgress"];

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

    /// Every method, by name: `pkg/common.js` defines each as a one-line call of this. One
    /// export instead of sixteen: wasm-bindgen's argument glue was about 450 bytes of wasm per
    /// exported method (bench/HISTORY.md, seventh round). Arguments a method does not take are
    /// `undefined`.
    #[wasm_bindgen(js_name = "_call")]
    pub fn call(&self, method: &str, a: JsValue, b: JsValue, c: JsValue, d: JsValue) -> Promise {
        match method {
            "createBackup" => self.create_backup(a, b, c),
            "createBackupAndWait" => self.create_backup_and_wait(a, b, c),
            "describeJob" => self.describe_job(a, b),
            "waitForJob" => self.wait_for_job(a, b),
            "waitForJobStep" => self.wait_for_job_step(a, b),
            "listBackups" => self.list_backups(a, b),
            "describeBackup" => self.describe_backup(a, b, c),
            "deleteBackup" => self.delete_backup(a, b, c),
            "waitForBackup" => self.wait_for_backup(a, b, c),
            "restoreCluster" => self.restore_cluster(a, b, c, d),
            "restoreClusterAndWait" => self.restore_cluster_and_wait(a, b, c, d),
            "restoreCollection" => self.restore_collection(a, b, c, d),
            "restoreCollectionAndWait" => self.restore_collection_and_wait(a, b, c, d),
            "exportBackup" => self.export_backup(a, b, c, d),
            "getBackupPolicy" => self.get_backup_policy(a, b),
            "setBackupPolicy" => self.set_backup_policy(a, b, c),
            _ => Promise::reject(&to_js_error(&Error::invalid("method", "is not a BackupClient method"))),
        }
    }
}

/// The methods, as `_call` dispatches them (and as Rust tests call them).
impl BackupClient {
    /// `createBackup(clusterId, request, { signal, whenBusy, reconcile }?)`
    /// → `{ backupId, backupName, jobId, reconciled }`.
    pub fn create_backup(&self, cluster_id: JsValue, request_value: JsValue, options: JsValue) -> Promise {
        self.run(move |c| async move {
            let cluster_id = string_arg(&cluster_id, "clusterId")?;
            let req: CreateBackupRequest = request(&request_value, "request")?;
            let o = Options::read(&options, "options", CREATE_OPTIONS)?;
            let how = create_how(&o)?;
            let signal = o.signal("signal")?;
            output(&c.create_backup_safely(&cluster_id, &req, how, &WaitPolicy::default(), signal.as_ref()).await?)
        })
    }

    /// `describeJob(jobId, { signal }?)` → `{ jobId, type, status, progress, startTime, endTime, reason }`.
    pub fn describe_job(&self, job_id: JsValue, options: JsValue) -> Promise {
        let prepared = (|| Ok((Call::describe_job(&string_arg(&job_id, "jobId")?)?, call_signal(&options, "options")?)))();
        self.simple(prepared, as_js::<Job>)
    }

    /// `waitForJob(jobId, { timeoutMs, minIntervalMs, maxIntervalMs, signal, onProgress }?)`
    /// → the job, once SUCCESSFUL.
    pub fn wait_for_job(&self, job_id: JsValue, options: JsValue) -> Promise {
        // Read now, so the wait's future holds what it needs and not the caller's JS values
        // (thousands of waits can be alive at once: fleet bench, BENCHMARKS.md).
        let read: Result<_> = (|| Ok((string_arg(&job_id, "jobId")?, Wait::read(&options, WAIT_OPTIONS)?)))();
        self.run(move |c| async move {
            // By reference: moving them out would keep a second copy in the future.
            let (job_id, wait) = match read {
                Ok(ref read) => read,
                Err(e) => return Err(e),
            };
            let job = c.wait_for_job(job_id, &wait.policy, wait.signal.as_ref(), &mut wait.reporter()).await?;
            output(&job)
        })
    }

    /// `waitForJobStep(jobIdOrState, { budgetMs, timeoutMs, minIntervalMs, maxIntervalMs, signal, onProgress })`
    /// → `{ done: true, job }` or `{ done: false, state }`: polls within `budgetMs`; pass `state`
    /// (plain JSON) back later to continue where it stopped.
    pub fn wait_for_job_step(&self, job_or_state: JsValue, options: JsValue) -> Promise {
        // Read now, as `waitForJob` does; the async part only polls.
        let read: Result<_> = (|| {
            let o = Options::read(&options, "options", STEP_OPTIONS)?;
            let wait = Wait::of(&o)?;
            let budget = o.number("budgetMs")?.ok_or_else(|| Error::invalid("options.budgetMs", "is required"))?;
            let budget = crate::validate::millis("options.budgetMs", budget, 1.0, MAX_WAIT_TIMEOUT_MS)?;
            let now = js_sys::Date::now();
            let resume = if let Some(job_id) = job_or_state.as_string() {
                ResumeState { job_id, wait: WaitState::new(&wait.policy, now) }
            } else {
                if o.get("timeoutMs").is_some() || o.get("minIntervalMs").is_some() || o.get("maxIntervalMs").is_some() {
                    return Err(Error::invalid("options", "a resumed wait keeps the timeout and intervals it started with"));
                }
                decode(&job_or_state, "state")?
            };
            Ok((resume, now + budget, wait))
        })();
        self.run(move |c| async move {
            let (mut resume, until, wait) = read?;
            let step = c.wait_for_job_step(&resume.job_id, &mut resume.wait, until, wait.signal.as_ref(), &mut wait.reporter()).await?;
            match step {
                Step::Done(job) => output(&StepOut { done: true, key: "job", value: &job }),
                Step::Paused => output(&StepOut { done: false, key: "state", value: &resume }),
            }
        })
    }

    /// `createBackupAndWait(clusterId, request, { ...waitOptions, whenBusy, reconcile }?)`
    /// → `{ backupId, backupName, jobId, reconciled, job, backup }`.
    pub fn create_backup_and_wait(&self, cluster_id: JsValue, request_value: JsValue, options: JsValue) -> Promise {
        self.run(move |c| async move {
            let cluster_id = string_arg(&cluster_id, "clusterId")?;
            let req: CreateBackupRequest = request(&request_value, "request")?;
            let how = create_how(&Options::read(&options, "options", CREATE_AND_WAIT_OPTIONS)?)?;
            let wait = Wait::read(&options, CREATE_AND_WAIT_OPTIONS)?;
            let out = c.create_backup_and_wait_safely(&cluster_id, &req, how, &wait.policy, wait.signal.as_ref(), &mut wait.reporter()).await?;
            output(&out)
        })
    }

    /// `listBackups({ clusterId, projectId, backupType, creationMethod, startTime, endTime, pageSize, currentPage }?, { signal }?)`
    /// → `{ count, currentPage, pageSize, backups, nextPage }` (`nextPage` null on the last page).
    pub fn list_backups(&self, query: JsValue, options: JsValue) -> Promise {
        self.run(move |c| async move {
            let query: ListBackupsQuery = if query.is_undefined() || query.is_null() { ListBackupsQuery::default() } else { request(&query, "query")? };
            let signal = Options::read(&options, "options", CALL_OPTIONS)?.signal("signal")?;
            let (page, next_page) = c.list_backups(&query, signal.as_ref()).await?;
            output(&With { value: &page, key: "nextPage", extra: &next_page })
        })
    }

    /// `describeBackup(clusterId, backupId, { signal }?)` → the backup (status CREATING | AVAILABLE | DELETED).
    pub fn describe_backup(&self, cluster_id: JsValue, backup_id: JsValue, options: JsValue) -> Promise {
        let prepared = (|| {
            let call = Call::describe_backup(&string_arg(&cluster_id, "clusterId")?, &string_arg(&backup_id, "backupId")?)?;
            Ok((call, call_signal(&options, "options")?))
        })();
        self.simple(prepared, as_js::<Backup>)
    }

    /// `deleteBackup(clusterId, backupId, { signal }?)` → `{ backupId, backupName }`.
    pub fn delete_backup(&self, cluster_id: JsValue, backup_id: JsValue, options: JsValue) -> Promise {
        let prepared = (|| {
            let call = Call::delete_backup(&string_arg(&cluster_id, "clusterId")?, &string_arg(&backup_id, "backupId")?)?;
            Ok((call, call_signal(&options, "options")?))
        })();
        self.simple(prepared, as_js::<DeletedBackup>)
    }

    /// `waitForBackup(clusterId, backupId, waitOptions?)` → the backup once AVAILABLE.
    pub fn wait_for_backup(&self, cluster_id: JsValue, backup_id: JsValue, options: JsValue) -> Promise {
        // Read now, as `waitForJob` does.
        let read: Result<_> = (|| Ok((string_arg(&cluster_id, "clusterId")?, string_arg(&backup_id, "backupId")?, Wait::read(&options, WAIT_OPTIONS)?)))();
        self.run(move |c| async move {
            let (cluster_id, backup_id, wait) = match read {
                Ok(ref read) => read,
                Err(e) => return Err(e),
            };
            let backup = c.wait_for_backup(cluster_id, backup_id, &wait.policy, wait.signal.as_ref(), &mut wait.backup_reporter()).await?;
            output(&backup)
        })
    }

    /// `restoreCluster(clusterId, backupId, { targetProjectId, clusterName, cuSize, collectionStatus, restoreVersionPolicy }, { signal }?)`
    /// → `{ clusterId, username, password, jobId }`. The password is shown only once.
    pub fn restore_cluster(&self, cluster_id: JsValue, backup_id: JsValue, restore: JsValue, options: JsValue) -> Promise {
        let prepared = (|| {
            let (cluster_id, backup_id) = (string_arg(&cluster_id, "clusterId")?, string_arg(&backup_id, "backupId")?);
            let call = Call::restore_cluster(&cluster_id, &backup_id, &request(&restore, "options")?)?;
            Ok((call, call_signal(&options, "callOptions")?))
        })();
        self.simple(prepared, as_js::<RestoredCluster>)
    }

    /// `restoreClusterAndWait(clusterId, backupId, restoreOptions, waitOptions?)` → the restore's result and `job`.
    pub fn restore_cluster_and_wait(&self, cluster_id: JsValue, backup_id: JsValue, restore: JsValue, options: JsValue) -> Promise {
        let prepared = (|| {
            let (cluster_id, backup_id) = (string_arg(&cluster_id, "clusterId")?, string_arg(&backup_id, "backupId")?);
            let input: RestoreClusterInput = request(&restore, "options")?;
            let wait = Wait::read(&options, WAIT_OPTIONS)?;
            Ok((Call::restore_cluster(&cluster_id, &backup_id, &input)?, wait))
        })();
        self.and_wait(prepared, started::<RestoredCluster>)
    }

    /// `restoreCollection(clusterId, backupId, { destClusterId, dbCollections }, { signal }?)` → `{ jobId }`.
    pub fn restore_collection(&self, cluster_id: JsValue, backup_id: JsValue, restore: JsValue, options: JsValue) -> Promise {
        let prepared = (|| {
            let (cluster_id, backup_id) = (string_arg(&cluster_id, "clusterId")?, string_arg(&backup_id, "backupId")?);
            let call = Call::restore_collection(&cluster_id, &backup_id, &request(&restore, "options")?)?;
            Ok((call, call_signal(&options, "callOptions")?))
        })();
        self.simple(prepared, as_js::<StartedJob>)
    }

    /// `restoreCollectionAndWait(clusterId, backupId, restoreOptions, waitOptions?)` → `{ jobId, job }`.
    pub fn restore_collection_and_wait(&self, cluster_id: JsValue, backup_id: JsValue, restore: JsValue, options: JsValue) -> Promise {
        let prepared = (|| {
            let (cluster_id, backup_id) = (string_arg(&cluster_id, "clusterId")?, string_arg(&backup_id, "backupId")?);
            let input: RestoreCollectionInput = request(&restore, "options")?;
            let wait = Wait::read(&options, WAIT_OPTIONS)?;
            Ok((Call::restore_collection(&cluster_id, &backup_id, &input)?, wait))
        })();
        self.and_wait(prepared, started::<StartedJob>)
    }

    /// `exportBackup(clusterId, backupId, { integrationId, directory }, { signal }?)` → `{ jobId }`.
    pub fn export_backup(&self, cluster_id: JsValue, backup_id: JsValue, export: JsValue, options: JsValue) -> Promise {
        let prepared = (|| {
            let (cluster_id, backup_id) = (string_arg(&cluster_id, "clusterId")?, string_arg(&backup_id, "backupId")?);
            let call = Call::export_backup(&cluster_id, &backup_id, &request(&export, "options")?)?;
            Ok((call, call_signal(&options, "callOptions")?))
        })();
        self.simple(prepared, as_js::<StartedJob>)
    }

    /// `getBackupPolicy(clusterId, { signal }?)` → `{ clusterId, status, frequency: [1..7], startTime, retentionDays, crossRegionCopies }`.
    pub fn get_backup_policy(&self, cluster_id: JsValue, options: JsValue) -> Promise {
        let prepared = (|| Ok((Call::get_backup_policy(&string_arg(&cluster_id, "clusterId")?)?, call_signal(&options, "options")?)))();
        self.simple(prepared, as_js::<Policy>)
    }

    /// `setBackupPolicy(clusterId, { enabled, frequency, startTime, retentionDays, crossRegionCopies }, { signal }?)`
    /// → `{ clusterId, status }`. Enabling also starts one backup at once.
    pub fn set_backup_policy(&self, cluster_id: JsValue, policy: JsValue, options: JsValue) -> Promise {
        let prepared = (|| {
            let cluster_id = string_arg(&cluster_id, "clusterId")?;
            let call = Call::set_backup_policy(&cluster_id, &request(&policy, "policy")?)?;
            Ok((call, call_signal(&options, "options")?))
        })();
        self.simple(prepared, as_js::<PolicyStatus>)
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
            requests_per_second: o.number("requestsPerSecond")?,
        })?;
        let host = WasmHost { fetch: o.function("fetch")?, headers: Default::default(), timers: Default::default() };
        Ok(BackupClient { inner: Rc::new(Client::new(host, config)) })
    }

    /// Runs one call: a shared handle on the client (the JS object may be freed meanwhile),
    /// errors turned into JS errors.
    fn run<F, Fut>(&self, call: F) -> Promise
    where
        F: FnOnce(Rc<Client<WasmHost>>) -> Fut,
        Fut: Future<Output = Result<JsValue>> + 'static,
    {
        executor::spawn(Box::pin(call(self.inner.clone())))
    }
}

/// A simple call (one request, its `data` handed back) read from JS: the call, and the signal.
type Prepared = Result<(Call, Option<AbortSignal>)>;

impl BackupClient {
    /// Every simple method shares this one async path: the arguments were read (and refused)
    /// synchronously; here the call is sent and its `data` turned into the result by `convert`.
    fn simple(&self, prepared: Prepared, convert: fn(&Value, Option<&str>) -> Result<JsValue>) -> Promise {
        self.run(move |c| async move {
            let (call, signal) = prepared?;
            let mut result = JsValue::UNDEFINED;
            c.send_value(&call, signal.as_ref(), &mut |data, request_id| {
                result = convert(data, request_id)?;
                Ok(())
            })
            .await?;
            Ok(result)
        })
    }

    /// Every `…AndWait` of a call that starts a job shares this one async path: the call's
    /// result, with the `job` it started followed to its end (none from API versions that
    /// start no job).
    fn and_wait(&self, prepared: Result<(Call, Wait)>, decode: DecodeStarted) -> Promise {
        self.run(move |c| async move {
            let (call, wait) = prepared?;
            let mut started = None;
            c.send_value(&call, wait.signal.as_ref(), &mut |data, request_id| {
                started = Some(decode(data, request_id)?);
                Ok(())
            })
            .await?;
            let started = started.ok_or_else(crate::client::not_decoded)?;
            let job = match started.job_id() {
                Some(job_id) => Some(wait.follow(&c, job_id).await?),
                None => None,
            };
            output(&With { value: started.as_ref(), key: "job", extra: &job })
        })
    }
}

/// Decodes a call's `data` (with the response's request id) as the answer that started a job.
type DecodeStarted = fn(&Value, Option<&str>) -> Result<Box<dyn Started>>;

/// The answer of a call that starts a job.
trait Started: ToJson {
    fn job_id(&self) -> Option<&str>;
}

impl Started for RestoredCluster {
    fn job_id(&self) -> Option<&str> {
        self.job_id.as_deref()
    }
}

impl Started for StartedJob {
    fn job_id(&self) -> Option<&str> {
        Some(&self.job_id)
    }
}

/// `data` decoded as the answer of a call that starts a job.
fn started<T: Started + FromJson + 'static>(data: &Value, request_id: Option<&str>) -> Result<Box<dyn Started>> {
    Ok(Box::new(envelope::decode_data::<T>(data, 200, request_id)?))
}

/// `data` decoded as `T` (a mismatch is a protocol error), then as a JS value.
fn as_js<T: FromJson + ToJson>(data: &Value, request_id: Option<&str>) -> Result<JsValue> {
    Ok(to_js(&envelope::decode_data::<T>(data, 200, request_id)?))
}

/// `{ signal }?`, the only option of a simple call.
fn call_signal(options: &JsValue, what: &'static str) -> Result<Option<AbortSignal>> {
    Options::read(options, what, CALL_OPTIONS)?.signal("signal")
}

fn create_how(o: &Options) -> Result<CreateHow> {
    let when_busy = match o.string("whenBusy")?.as_deref() {
        None | Some("fail") => WhenBusy::Fail,
        Some("wait") => WhenBusy::Wait,
        Some(other) => return Err(Error::invalid("options.whenBusy", crate::text::cat(&["must be \"fail\" or \"wait\", not ", &crate::json::quote(other)]))),
    };
    let reconcile = match o.get("reconcile") {
        None => true,
        Some(v) => v.as_bool().ok_or_else(|| Error::invalid("options.reconcile", "must be a boolean"))?,
    };
    Ok(CreateHow { when_busy, reconcile })
}

/// Wait options read from JS.
struct Wait {
    policy: WaitPolicy,
    signal: Option<AbortSignal>,
    on_progress: Option<Function>,
}

impl Wait {
    fn read(options: &JsValue, allowed: &[&str]) -> Result<Wait> {
        Wait::of(&Options::read(options, "options", allowed)?)
    }

    fn of(o: &Options) -> Result<Wait> {
        let policy = WaitPolicy::new(WaitOptions {
            timeout_ms: o.number("timeoutMs")?,
            min_interval_ms: o.number("minIntervalMs")?,
            max_interval_ms: o.number("maxIntervalMs")?,
        })?;
        Ok(Wait { policy, signal: o.signal("signal")?, on_progress: o.function("onProgress")? })
    }

    async fn follow(&self, c: &Client<WasmHost>, job_id: &str) -> Result<Job> {
        c.wait_for_job(job_id, &self.policy, self.signal.as_ref(), &mut self.reporter()).await
    }

    /// Calls `onProgress(job, { etaMs, elapsedMs, polls })`. A throwing callback must not end
    /// the wait (the job goes on regardless), so what it throws is ignored.
    fn reporter(&self) -> impl FnMut(&Job, &ProgressInfo) + '_ {
        move |job: &Job, info: &ProgressInfo| self.report(job, info)
    }

    fn backup_reporter(&self) -> impl FnMut(&Backup, &ProgressInfo) + '_ {
        move |backup: &Backup, info: &ProgressInfo| self.report(backup, info)
    }

    fn report(&self, value: &dyn ToJson, info: &ProgressInfo) {
        if let Some(f) = &self.on_progress {
            let _ = f.call2(&JsValue::UNDEFINED, &to_js(value), &to_js(info));
        }
    }
}

/// A resumable wait as JSON: the job id and the waiter's state.
struct ResumeState {
    job_id: String,
    wait: WaitState<Job>,
}

impl FromJson for ResumeState {
    fn from_json(value: &Value, at: Path) -> std::result::Result<Self, Problem> {
        let f = Fields::strict(value, at, &["jobId", "wait"])?;
        let state = ResumeState { job_id: f.req("jobId"), wait: f.req("wait") };
        f.done(state)
    }
}

impl ToJson for ResumeState {
    fn write_json(&self, out: &mut String) {
        Obj::write(out, |o| {
            o.field("jobId", &self.job_id).field("wait", &self.wait);
        });
    }
}

/// `{ done, job }` or `{ done, state }`.
struct StepOut<'a> {
    done: bool,
    key: &'static str,
    value: &'a dyn ToJson,
}

impl ToJson for StepOut<'_> {
    fn write_json(&self, out: &mut String) {
        Obj::write(out, |o| {
            o.field("done", &self.done).field(self.key, self.value);
        });
    }
}

/// An object's JSON with one more field (`{...restored, job}`).
struct With<'a> {
    value: &'a dyn ToJson,
    key: &'static str,
    extra: &'a dyn ToJson,
}

impl ToJson for With<'_> {
    fn write_json(&self, out: &mut String) {
        self.value.write_json(out);
        // Every value given here is an object: reopen it to add the field.
        if out.ends_with('}') {
            out.pop();
            if !out.ends_with('{') {
                out.push(',');
            }
            Obj::write_field(out, self.key, self.extra);
            out.push('}');
        }
    }
}

fn decode<T: FromJson>(value: &JsValue, field: &str) -> Result<T> {
    if !value.is_object() {
        return Err(Error::invalid(field, "must be a job id or a state returned by waitForJobStep"));
    }
    strict(value, field)
}

fn output(value: &dyn ToJson) -> Result<JsValue> {
    Ok(to_js(value))
}
