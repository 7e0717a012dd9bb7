//! The exported `BackupClient` in a real JS runtime against the emulator on loopback.
//! Run by `make test` in Node, in headless Chromium and in a dedicated Web Worker (which has no
//! `window`: proof that only globals are used). The emulator's URL is compiled in
//! (`ZCB_EMULATOR_URL`), since a browser test cannot read the environment.
#![cfg(target_arch = "wasm32")]

use js_sys::{Function, Reflect};
use wasm_bindgen::prelude::*;
use wasm_bindgen_futures::JsFuture;
use wasm_bindgen_test::*;
use zilliz_cloud_backup::wasm::BackupClient;

const KEY: &str = "emulator-api-key";

#[allow(clippy::option_env_unwrap)] // a missing URL should fail the test run loudly
fn emulator() -> &'static str {
    option_env!("ZCB_EMULATOR_URL").expect("build with ZCB_EMULATOR_URL set to a running emulator")
}

#[wasm_bindgen(inline_js = r#"
export async function control(url, method, body) {
  const r = await fetch(url, { method, headers: { "content-type": "application/json" }, body: body === undefined ? undefined : JSON.stringify(body) });
  if (!r.ok) throw new Error(`control ${method} ${url}: HTTP ${r.status} ${await r.text()}`);
  return r.json();
}
export function obj(json) { return JSON.parse(json); }
export function counter() { const f = (...a) => { f.calls.push(a[0]); }; f.calls = []; return f; }
export function countingFetch() { const f = (req) => { f.count++; return fetch(req); }; f.count = 0; return f; }
export function abortAfter(ms) { const c = new AbortController(); setTimeout(() => c.abort(), ms); return c.signal; }
export function now() { return Date.now(); }
"#)]
extern "C" {
    #[wasm_bindgen(catch)]
    async fn control(url: &str, method: &str, body: JsValue) -> Result<JsValue, JsValue>;
    fn obj(json: &str) -> JsValue;
    fn counter() -> Function;
    #[wasm_bindgen(js_name = countingFetch)]
    fn counting_fetch() -> Function;
    #[wasm_bindgen(js_name = abortAfter)]
    fn abort_after(ms: f64) -> JsValue;
    fn now() -> f64;
}

fn get(v: &JsValue, key: &str) -> JsValue {
    Reflect::get(v, &key.into()).unwrap()
}
fn get_str(v: &JsValue, key: &str) -> String {
    get(v, key).as_string().unwrap_or_else(|| panic!("{key} is not a string"))
}

async fn ctl(method: &str, path: &str, body: &str) -> JsValue {
    let body = if body.is_empty() { JsValue::UNDEFINED } else { obj(body) };
    control(&format!("{}/__emulator{path}", emulator()), method, body).await.expect("emulator control call")
}

/// A fresh cluster per test, so tests never meet the one-backup-job-per-cluster rule. Tests
/// run concurrently and the job duration is emulator-wide, so every test sets the same one.
async fn new_cluster(name: &str) -> String {
    ctl("POST", "/config", r#"{"jobDurationMs":600}"#).await;
    let id = format!("in01-wasm{name}{}", (now() as u64) % 1_000_000_000);
    ctl("POST", "/clusters", &format!(r#"{{"clusterId":"{id}"}}"#)).await;
    id
}

async fn requests_to(path_prefix: &str) -> usize {
    let log = ctl("GET", "/requests", "").await;
    let list: js_sys::Array = get(&log, "requests").into();
    // Browsers add CORS preflights (OPTIONS): count only the API calls themselves.
    list.iter().filter(|r| get_str(r, "method") != "OPTIONS" && get_str(r, "path").starts_with(path_prefix)).count()
}

fn client(extra: &str) -> BackupClient {
    let opts = obj(&format!(r#"{{"token":"{KEY}","baseUrl":"{}"{extra}}}"#, emulator()));
    BackupClient::new(opts).unwrap_or_else(|e| panic!("{e:?}"))
}

async fn settle(p: js_sys::Promise) -> Result<JsValue, JsValue> {
    JsFuture::from(p).await
}

const CLUSTER: &str = r#"{"backupType":"CLUSTER"}"#;
const FAST_WAIT: &str = r#"{"minIntervalMs":20,"maxIntervalMs":100,"timeoutMs":20000}"#;

#[wasm_bindgen_test]
async fn creates_a_backup_and_follows_it_to_success() {
    let cluster = new_cluster("ok").await;
    let c = client("");
    let created = settle(c.create_backup(cluster.clone().into(), obj(CLUSTER), JsValue::UNDEFINED)).await.unwrap();
    let job_id = get_str(&created, "jobId");
    assert!(get_str(&created, "backupId").starts_with("backup"));

    let seen = counter();
    let opts = obj(FAST_WAIT);
    Reflect::set(&opts, &"onProgress".into(), &seen).unwrap();
    let job = settle(c.wait_for_job(job_id.clone().into(), opts)).await.unwrap();
    assert_eq!(get_str(&job, "status"), "SUCCESSFUL");
    assert_eq!(get(&job, "progress").as_f64(), Some(100.0), "progress is a number");

    let calls: js_sys::Array = get(&seen, "calls").into();
    assert!(calls.length() >= 2, "onProgress saw at least a running and the final state");
    let progress: Vec<f64> = calls.iter().map(|j| get(&j, "progress").as_f64().unwrap()).collect();
    assert!(progress.windows(2).all(|w| w[0] <= w[1]), "{progress:?}");
    assert_eq!(get_str(&calls.get(calls.length() - 1), "status"), "SUCCESSFUL");
}

#[wasm_bindgen_test]
async fn create_and_wait_collection_backup() {
    let cluster = new_cluster("coll").await;
    let req = obj(r#"{"backupType":"COLLECTION","dbCollections":[{"dbName":"default","collectionNames":["medium_articles"]}]}"#);
    let out = settle(client("").create_backup_and_wait(cluster.into(), req, obj(FAST_WAIT))).await.unwrap();
    assert_eq!(get_str(&get(&out, "job"), "status"), "SUCCESSFUL");
    assert_eq!(get_str(&get(&out, "job"), "jobId"), get_str(&out, "jobId"));
}

#[wasm_bindgen_test]
async fn bad_input_is_refused_before_any_request() {
    let before = requests_to("/v2/").await;
    let c = client("");
    for (cluster, req) in [
        ("in01/../x", CLUSTER),
        ("", CLUSTER),
        ("in01-a?b", CLUSTER),
        ("in01-a", r#"{"backupType":"SNAPSHOT"}"#),
        ("in01-a", r#"{"backupType":"CLUSTER","dbCollection":[]}"#),
        ("in01-a", r#"{"backupType":"COLLECTION","dbCollections":[{"collectionNames":["1bad"]}]}"#),
    ] {
        let e = settle(c.create_backup(cluster.into(), obj(req), JsValue::UNDEFINED)).await.unwrap_err();
        assert_eq!(get_str(&e, "name"), "ZillizError");
        assert_eq!(get_str(&e, "kind"), "InvalidInput", "{cluster} {req}");
    }
    let e = settle(c.wait_for_job("job-1".into(), obj(r#"{"minIntervalMs":1}"#))).await.unwrap_err();
    assert!(get_str(&e, "message").starts_with("minIntervalMs"));
    assert_eq!(requests_to("/v2/").await, before, "nothing was sent");

    let e = BackupClient::new(obj(r#"{"token":"a b"}"#)).err().unwrap();
    assert_eq!(get_str(&e, "kind"), "InvalidInput");
    let e = BackupClient::new(obj(r#"{"token":"k","baseUrl":"http://example.com"}"#)).err().unwrap();
    assert!(get_str(&e, "message").starts_with("baseUrl"));
}

#[wasm_bindgen_test]
async fn a_wrong_key_is_unauthorized_and_never_echoed() {
    let c = BackupClient::new(obj(&format!(r#"{{"token":"sk-LEAKCHECK-wasm","baseUrl":"{}"}}"#, emulator()))).unwrap();
    let e = settle(c.describe_job("job-nope".into(), JsValue::UNDEFINED)).await.unwrap_err();
    assert_eq!(get_str(&e, "kind"), "Unauthorized");
    assert_eq!(get(&e, "code").as_f64(), Some(21119.0));
    assert_eq!(get(&e, "httpStatus").as_f64(), Some(401.0));
    assert!(get(&e, "requestId").as_string().is_some(), "the RequestId header is readable (CORS exposes it)");
    let text = js_sys::JSON::stringify(&e).unwrap().as_string().unwrap() + &get_str(&e, "message") + &get_str(&e, "stack");
    assert!(!text.contains("LEAKCHECK"), "{text}");
}

#[wasm_bindgen_test]
async fn reads_are_retried_after_5xx() {
    let cluster = new_cluster("retry").await;
    let c = client(r#","maxRetries":3"#);
    let created = settle(c.create_backup(cluster.into(), obj(CLUSTER), JsValue::UNDEFINED)).await.unwrap();
    let job_id = get_str(&created, "jobId");
    let path = format!("/v2/jobs/{job_id}");
    ctl("POST", "/faults", &format!(r#"{{"pathPrefix":"{path}","times":2,"fault":{{"type":"status","status":503}}}}"#)).await;
    let job = settle(c.describe_job(job_id.into(), JsValue::UNDEFINED)).await.unwrap();
    assert!(get(&job, "progress").as_f64().is_some());
    assert_eq!(requests_to(&path).await, 3, "two 503s, then the answer");
}

#[wasm_bindgen_test]
async fn a_stalled_response_times_out_and_a_create_is_not_resent() {
    let cluster = new_cluster("stall").await;
    let path = format!("/v2/clusters/{cluster}/backups/create");
    ctl("POST", "/faults", &format!(r#"{{"pathPrefix":"{path}","fault":{{"type":"delay","ms":3000}}}}"#)).await;
    let c = client(r#","timeoutMs":300"#);
    // Without reconciling: rejected, never re-sent (reconciling is tested through the package).
    let e = settle(c.create_backup(cluster.into(), obj(CLUSTER), obj(r#"{"reconcile":false}"#))).await.unwrap_err();
    assert_eq!(get_str(&e, "kind"), "Network");
    assert_eq!(get(&e, "retryable").as_bool(), Some(false));
    assert!(get_str(&e, "message").contains("may have been created"));
    assert_eq!(requests_to(&path).await, 1);
}

#[wasm_bindgen_test]
async fn abort_stops_a_wait_at_once() {
    let cluster = new_cluster("abort").await;
    let c = client("");
    let created = settle(c.create_backup(cluster.into(), obj(CLUSTER), JsValue::UNDEFINED)).await.unwrap();
    let job_id = get_str(&created, "jobId");
    let opts = obj(r#"{"minIntervalMs":5000}"#);
    Reflect::set(&opts, &"signal".into(), &abort_after(150.0)).unwrap();
    let started = now();
    let e = settle(c.wait_for_job(job_id.clone().into(), opts)).await.unwrap_err();
    assert_eq!(get_str(&e, "name"), "AbortError");
    assert_eq!(get_str(&e, "kind"), "Aborted");
    assert_eq!(get_str(&e, "jobId"), job_id);
    assert!(now() - started < 4000.0, "did not sit out the 5 s pause");
    ctl("POST", &format!("/jobs/{job_id}/fail"), r#"{"reason":"test cleanup"}"#).await;
}

#[wasm_bindgen_test]
async fn a_failed_job_rejects_with_the_job() {
    let cluster = new_cluster("fail").await;
    ctl("POST", &format!("/clusters/{cluster}/fail-next-backup"), r#"{"reason":"disk quota exceeded","atProgress":30}"#).await;
    let e = settle(client("").create_backup_and_wait(cluster.into(), obj(CLUSTER), obj(FAST_WAIT))).await.unwrap_err();
    assert_eq!(get_str(&e, "kind"), "JobFailed");
    assert!(get_str(&e, "message").contains("disk quota exceeded"));
    assert_eq!(get_str(&get(&e, "job"), "status"), "FAILED");
    assert!(get_str(&e, "backupId").starts_with("backup"));
}

#[wasm_bindgen_test]
async fn a_custom_fetch_is_used() {
    let f = counting_fetch();
    let opts = obj(&format!(r#"{{"token":"{KEY}","baseUrl":"{}"}}"#, emulator()));
    Reflect::set(&opts, &"fetch".into(), &f).unwrap();
    let c = BackupClient::new(opts).unwrap();
    let e = settle(c.describe_job("job-doesnotexist".into(), JsValue::UNDEFINED)).await.unwrap_err();
    assert_ne!(get_str(&e, "kind"), "InvalidInput");
    assert_eq!(get(&f, "count").as_f64(), Some(1.0));
}
