//! Scripted faults: each type, `times`, `after`, matching, logging.

mod common;

use std::time::{Duration, Instant};

use common::*;

fn fault(emu: &zilliz_cloud_emulator::EmulatorHandle, spec: &str) -> String {
    control(emu, "POST", "faults", Some(spec))["faultId"]
        .as_str()
        .unwrap()
        .to_string()
}

#[test]
fn status_fault_with_headers_and_default_body() {
    let emu = start(1000);
    fault(
        &emu,
        r#"{"fault":{"type":"status","status":429,"headers":{"Retry-After":"2"}}}"#,
    );
    let r = api(&emu, "GET", "/v2/jobs/job-x", None);
    assert_eq!(r.status, 429);
    assert_eq!(r.header("Retry-After"), Some("2"));
    assert_eq!(
        r.json(),
        serde_json::json!({"code": 429, "message": "Too Many Requests"})
    );
    assert!(r.header("RequestId").is_some());
    assert_eq!(
        r.header("Access-Control-Expose-Headers"),
        Some("RequestId, Retry-After")
    );
    // Used once (default times = 1): the next call is real.
    assert_eq!(api(&emu, "GET", "/v2/jobs/job-x", None).code(), 80040);

    fault(
        &emu,
        r#"{"fault":{"type":"status","status":503,"body":"upstream overloaded"}}"#,
    );
    let r = api(&emu, "GET", "/v2/jobs/job-x", None);
    assert_eq!((r.status, r.body.as_str()), (503, "upstream overloaded"));
    assert!(r.header("Content-Type").unwrap().starts_with("text/plain"));
}

#[test]
fn html_fault() {
    let emu = start(1000);
    fault(&emu, r#"{"fault":{"type":"html","status":504}}"#);
    let r = api(&emu, "GET", "/v2/jobs/job-x", None);
    assert_eq!(r.status, 504);
    assert_eq!(r.header("Content-Type"), Some("text/html"));
    assert!(r.body.contains("<h1>504 Gateway Timeout</h1>"));
    fault(&emu, r#"{"fault":{"type":"html"}}"#);
    assert_eq!(api(&emu, "GET", "/v2/jobs/job-x", None).status, 502);
}

#[test]
fn business_fault() {
    let emu = start(1000);
    fault(
        &emu,
        r#"{"fault":{"type":"business","code":40013,"message":"The specified cluster name already exists."}}"#,
    );
    let r = api(&emu, "GET", "/v2/jobs/job-x", None);
    assert_eq!((r.status, r.code()), (200, 40013));
    assert_eq!(
        r.json()["message"],
        "The specified cluster name already exists."
    );
}

#[test]
fn delay_fault_stalls_then_answers() {
    let emu = start(1000);
    fault(&emu, r#"{"fault":{"type":"delay","ms":300}}"#);
    let t = Instant::now();
    let r = api(&emu, "GET", "/v2/jobs/job-x", None);
    assert!(t.elapsed() >= Duration::from_millis(300));
    assert_eq!(r.code(), 80040);
    // The stall holds no lock: other requests are served meanwhile.
    fault(&emu, r#"{"fault":{"type":"delay","ms":1500}}"#);
    let addr = emu.addr();
    let slow = std::thread::spawn(move || {
        try_request(
            addr,
            "GET",
            "/v2/jobs/job-x",
            &[("Authorization", "Bearer test-key")],
            None,
        )
        .unwrap()
    });
    std::thread::sleep(Duration::from_millis(100));
    let t = Instant::now();
    assert_eq!(api(&emu, "GET", "/v2/jobs/job-y", None).code(), 80040);
    assert!(t.elapsed() < Duration::from_millis(1000));
    assert_eq!(slow.join().unwrap().code(), 80040);
}

#[test]
fn malformed_fault() {
    let emu = start(1000);
    fault(&emu, r#"{"fault":{"type":"malformed"}}"#);
    let r = api(&emu, "GET", "/v2/jobs/job-x", None);
    assert_eq!(r.status, 200);
    assert_eq!(r.header("Content-Type"), Some("application/json"));
    assert!(serde_json::from_str::<serde_json::Value>(&r.body).is_err());
}

#[test]
fn truncated_fault() {
    let emu = start(1000);
    fault(&emu, r#"{"fault":{"type":"truncated"}}"#);
    match try_api(&emu, "GET", "/v2/jobs/job-x", None) {
        Err(Failure::Truncated { expected, got }) => assert!(got < expected, "{got} < {expected}"),
        other => panic!("expected a truncated body, got {other:?}"),
    }
}

#[test]
fn drop_fault() {
    let emu = start(1000);
    fault(&emu, r#"{"method":"POST","fault":{"type":"drop"}}"#);
    let r = try_api(
        &emu,
        "POST",
        "/v2/clusters/in01-0000000000000001/backups/create",
        Some(r#"{"backupType":"CLUSTER"}"#),
    );
    assert_eq!(r.unwrap_err(), Failure::ClosedEmpty);
    // Before-faults skip the handler: nothing was created.
    assert_eq!(state_backups(&emu).len(), 0);
}

#[test]
fn after_fault_acts_then_fails_the_response() {
    let emu = start(5000);
    let c = cluster(&emu, "in01-after");
    fault(
        &emu,
        r#"{"method":"POST","pathPrefix":"/v2/clusters/","after":true,"fault":{"type":"status","status":500}}"#,
    );
    let r = create_cluster_backup(&emu, &c);
    assert_eq!(r.status, 500);
    // The server acted: the backup exists, and the one-job rule now refuses a retry.
    let state = control(&emu, "GET", "state", None);
    let backups = state["backups"].as_array().unwrap();
    assert_eq!(backups.len(), 1);
    assert_eq!(backups[0]["clusterId"], c.as_str());
    assert_eq!(backups[0]["status"], "CREATING");
    assert_eq!(create_cluster_backup(&emu, &c).code(), 80030);

    // after + drop / truncated also act first.
    let c2 = cluster(&emu, "in01-after2");
    fault(&emu, r#"{"after":true,"fault":{"type":"drop"}}"#);
    assert_eq!(
        create_cluster_backup_try(&emu, &c2),
        Err(Failure::ClosedEmpty)
    );
    let c3 = cluster(&emu, "in01-after3");
    fault(&emu, r#"{"after":true,"fault":{"type":"truncated"}}"#);
    assert!(matches!(
        create_cluster_backup_try(&emu, &c3),
        Err(Failure::Truncated { .. })
    ));
    assert_eq!(state_backups(&emu).len(), 3);
}

fn create_cluster_backup_try(
    emu: &zilliz_cloud_emulator::EmulatorHandle,
    c: &str,
) -> Result<i64, Failure> {
    try_api(
        emu,
        "POST",
        &format!("/v2/clusters/{c}/backups/create"),
        Some(r#"{"backupType":"CLUSTER"}"#),
    )
    .map(|r| r.code())
}

#[test]
fn times_matching_and_order() {
    let emu = start(1000);
    fault(
        &emu,
        r#"{"method":"GET","pathPrefix":"/v2/jobs/","times":2,"fault":{"type":"status","status":503}}"#,
    );
    fault(
        &emu,
        r#"{"pathPrefix":"/v2/jobs/","fault":{"type":"status","status":502}}"#,
    );
    // Not matched: wrong method / path.
    assert_eq!(create_cluster_backup(&emu, "in01-nope").code(), 80010);
    assert_eq!(api(&emu, "GET", "/v2/jobs/j", None).status, 503);
    assert_eq!(api(&emu, "GET", "/v2/jobs/j", None).status, 503);
    assert_eq!(api(&emu, "GET", "/v2/jobs/j", None).status, 502);
    assert_eq!(api(&emu, "GET", "/v2/jobs/j", None).status, 200);
    // Preflights are not faulted unless asked for.
    fault(&emu, r#"{"fault":{"type":"drop"}}"#);
    assert_eq!(
        request(emu.addr(), "OPTIONS", "/v2/jobs/j", &[], None).status,
        204
    );
    assert_eq!(
        control(&emu, "GET", "faults", None)["faults"]
            .as_array()
            .unwrap()
            .len(),
        1
    );
    control(&emu, "DELETE", "faults", None);
    assert_eq!(api(&emu, "GET", "/v2/jobs/j", None).status, 200);
    // Faults never apply to the control API.
    fault(
        &emu,
        r#"{"pathPrefix":"/","times":5,"fault":{"type":"drop"}}"#,
    );
    control(&emu, "GET", "state", None);
}

#[test]
fn faulted_requests_are_logged() {
    let emu = start(1000);
    fault(&emu, r#"{"times":2,"fault":{"type":"drop"}}"#);
    let _ = try_api(&emu, "GET", "/v2/jobs/j1", None);
    let _ = try_api(&emu, "GET", "/v2/jobs/j2", None);
    let log = control(&emu, "GET", "requests", None);
    let paths: Vec<&str> = log["requests"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["path"].as_str().unwrap())
        .collect();
    assert_eq!(paths, ["/v2/jobs/j1", "/v2/jobs/j2"]);
}

#[test]
fn bad_fault_specs_are_rejected() {
    let emu = start(1000);
    for spec in [
        r#"{"fault":{"type":"explode"}}"#,
        r#"{"fault":{"type":"status"}}"#,
        r#"{"fault":{"type":"status","status":999}}"#,
        r#"{"times":0,"fault":{"type":"drop"}}"#,
        r#"{"fault":{"type":"drop"},"unknown":1}"#,
        "not json",
    ] {
        let r = request(emu.addr(), "POST", "/__emulator/faults", &[], Some(spec));
        assert_eq!((r.status, r.code()), (400, 400), "{spec}");
    }
}
