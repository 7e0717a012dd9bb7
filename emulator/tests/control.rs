//! The test-only control API: request log, reset, config, clusters, job failures, state.

mod common;

use std::time::Duration;

use common::*;

#[test]
fn request_log_records_v2_requests_only() {
    let emu = start(1000);
    request(
        emu.addr(),
        "GET",
        "/v2/jobs/j?x=1&y=2",
        &[("Authorization", "Bearer abc")],
        None,
    );
    create_cluster_backup(&emu, "in01-0000000000000002");
    request(emu.addr(), "GET", "/v2/jobs/k", &[], None);
    control(&emu, "GET", "state", None);
    let log = control(&emu, "GET", "requests", None);
    let reqs = log["requests"].as_array().unwrap();
    assert_eq!(reqs.len(), 3, "{log}");
    assert_eq!(reqs[0]["method"], "GET");
    assert_eq!(reqs[0]["path"], "/v2/jobs/j");
    assert_eq!(reqs[0]["query"], "x=1&y=2");
    assert_eq!(reqs[0]["authorization"], "Bearer abc");
    assert_eq!(reqs[0]["body"], "");
    assert_eq!(reqs[1]["method"], "POST");
    assert_eq!(reqs[1]["body"], r#"{"backupType":"CLUSTER"}"#);
    assert!(reqs[2]["authorization"].is_null());
    assert_eq!(reqs[2]["query"], "");
    let at: Vec<u64> = reqs.iter().map(|r| r["at"].as_u64().unwrap()).collect();
    assert!(at.windows(2).all(|w| w[0] <= w[1]));
    control(&emu, "DELETE", "requests", None);
    assert_eq!(
        control(&emu, "GET", "requests", None)["requests"]
            .as_array()
            .unwrap()
            .len(),
        0
    );
}

#[test]
fn reset_restores_the_seed() {
    let emu = start(1000);
    cluster(&emu, "in01-extra");
    create_cluster_backup(&emu, "in01-extra");
    control(
        &emu,
        "POST",
        "config",
        Some(r#"{"apiKey":"other","jobDurationMs":5}"#),
    );
    control(&emu, "POST", "faults", Some(r#"{"fault":{"type":"drop"}}"#));
    control(&emu, "POST", "reset", None);
    let s = control(&emu, "GET", "state", None);
    let ids: Vec<&str> = s["clusters"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["clusterId"].as_str().unwrap())
        .collect();
    assert_eq!(
        ids,
        [
            "in01-0000000000000001",
            "in01-0000000000000002",
            "in03-0000000000000009"
        ]
    );
    assert_eq!(s["clusters"][0]["clusterName"], "Dedicated-01");
    assert_eq!(s["clusters"][0]["plan"], "Dedicated");
    assert_eq!(s["clusters"][2]["plan"], "Serverless");
    assert_eq!(
        s["clusters"][0]["databases"]["default"],
        serde_json::json!(["medium_articles", "books", "movies"])
    );
    assert_eq!(
        s["clusters"][0]["databases"]["analytics"],
        serde_json::json!(["events"])
    );
    assert_eq!(s["backups"].as_array().unwrap().len(), 0);
    assert_eq!(s["jobs"].as_array().unwrap().len(), 0);
    assert_eq!(
        control(&emu, "GET", "faults", None)["faults"]
            .as_array()
            .unwrap()
            .len(),
        0
    );
    assert_eq!(
        control(&emu, "GET", "requests", None)["requests"]
            .as_array()
            .unwrap()
            .len(),
        0
    );
    assert_eq!(control(&emu, "GET", "config", None)["jobDurationMs"], 1000);
    // The command-line key works again (no fault left either).
    let r = create_cluster_backup(&emu, "in01-0000000000000001");
    assert_eq!(r.code(), 0);
    assert_eq!(r.json()["data"]["backupName"], "Dedicated-01_backup1");
}

#[test]
fn config_changes_key_and_duration() {
    let emu = start(60_000);
    control(&emu, "POST", "config", Some(r#"{"apiKey":"rotated"}"#));
    assert_eq!(api(&emu, "GET", "/v2/jobs/j", None).code(), 21119);
    let r = request(
        emu.addr(),
        "GET",
        "/v2/jobs/j",
        &[("Authorization", "Bearer rotated")],
        None,
    );
    assert_eq!(r.code(), 80040);
    control(
        &emu,
        "POST",
        "config",
        Some(r#"{"apiKey":"test-key","jobDurationMs":0}"#),
    );
    let r = create_cluster_backup(&emu, "in01-0000000000000001");
    let d = job(&emu, r.json()["data"]["jobId"].as_str().unwrap());
    assert_eq!(
        (d["status"].as_str(), d["progress"].as_str()),
        (Some("SUCCESSFUL"), Some("100"))
    );
    let r = request(
        emu.addr(),
        "POST",
        "/__emulator/config",
        &[],
        Some(r#"{"jobDuration":1}"#),
    );
    assert_eq!(r.status, 400);
}

#[test]
fn add_cluster_validation() {
    let emu = start(1000);
    control(
        &emu,
        "POST",
        "clusters",
        Some(r#"{"clusterId":"in01-custom","clusterName":"Custom","databases":{"db1":["c1"]}}"#),
    );
    let r = api(
        &emu,
        "POST",
        "/v2/clusters/in01-custom/backups/create",
        Some(r#"{"backupType":"COLLECTION","dbCollections":[{"collectionNames":["books"]}]}"#),
    );
    assert_eq!(r.code(), 60004, "no default database on this cluster");
    let r = api(
        &emu,
        "POST",
        "/v2/clusters/in01-custom/backups/create",
        Some(
            r#"{"backupType":"COLLECTION","dbCollections":[{"dbName":"db1","collectionNames":["c1"]}]}"#,
        ),
    );
    assert_eq!(r.code(), 0);
    for (body, status) in [
        (r#"{"clusterId":"in01-custom"}"#, 409),
        (r#"{"clusterId":"in01-y","plan":"Enterprise"}"#, 400),
        (r#"{"clusterName":"x"}"#, 400),
        (r#"{"clusterId":""}"#, 400),
    ] {
        let r = request(emu.addr(), "POST", "/__emulator/clusters", &[], Some(body));
        assert_eq!(r.status, status, "{body}");
    }
}

#[test]
fn failing_a_job_from_the_control_api() {
    let emu = start(2000);
    let c = cluster(&emu, "in01-failjob");
    let r = create_cluster_backup(&emu, &c);
    let data = r.json()["data"].clone();
    let job_id = data["jobId"].as_str().unwrap();
    std::thread::sleep(Duration::from_millis(600));
    let failed = control(
        &emu,
        "POST",
        &format!("jobs/{job_id}/fail"),
        Some(r#"{"reason":"disk full"}"#),
    );
    assert_eq!(failed["status"], "FAILED");
    let d = job(&emu, job_id);
    assert_eq!(d["status"], "FAILED");
    assert_eq!(d["reason"], "disk full");
    assert!(d["endTime"].is_string());
    let p: u32 = d["progress"].as_str().unwrap().parse().unwrap();
    assert!((1..99).contains(&p), "progress frozen mid-way, got {p}");
    std::thread::sleep(Duration::from_millis(100));
    assert_eq!(job(&emu, job_id)["progress"], d["progress"]);
    assert_eq!(
        state_backup(&emu, data["backupId"].as_str().unwrap()).unwrap()["status"],
        "FAILED"
    );
    // The cluster is free again, a finished job cannot be failed, an unknown one is 404.
    assert_eq!(create_cluster_backup(&emu, &c).code(), 0);
    let r = request(
        emu.addr(),
        "POST",
        &format!("/__emulator/jobs/{job_id}/fail"),
        &[],
        None,
    );
    assert_eq!(r.status, 409);
    let r = request(
        emu.addr(),
        "POST",
        "/__emulator/jobs/job-nope/fail",
        &[],
        None,
    );
    assert_eq!(r.status, 404);
}

#[test]
fn fail_next_backup_at_progress() {
    let emu = start(500);
    let c = cluster(&emu, "in01-failnext");
    control(
        &emu,
        "POST",
        &format!("clusters/{c}/fail-next-backup"),
        Some(r#"{"reason":"quota","atProgress":30}"#),
    );
    let r = create_cluster_backup(&emu, &c);
    let job_id = r.json()["data"]["jobId"].as_str().unwrap().to_string();
    let seen = poll_to_end(&emu, &job_id, Duration::from_secs(5));
    let last = seen.last().unwrap();
    assert_eq!(
        (last["status"].as_str(), last["progress"].as_str()),
        (Some("FAILED"), Some("30"))
    );
    assert_eq!(last["reason"], "quota");
    assert!(seen
        .iter()
        .all(|d| d["progress"].as_str().unwrap().parse::<u32>().unwrap() <= 30));
    // Only the next one: the following backup succeeds.
    let r = create_cluster_backup(&emu, &c);
    let seen = poll_to_end(
        &emu,
        r.json()["data"]["jobId"].as_str().unwrap(),
        Duration::from_secs(5),
    );
    assert_eq!(seen.last().unwrap()["status"], "SUCCESSFUL");
    let r = request(
        emu.addr(),
        "POST",
        "/__emulator/clusters/in01-nope/fail-next-backup",
        &[],
        None,
    );
    assert_eq!(r.status, 404);
}

#[test]
fn state_snapshot_lists_jobs_with_their_backups() {
    let emu = start(1000);
    let r = create_cluster_backup(&emu, "in01-0000000000000001");
    let data = r.json()["data"].clone();
    let s = control(&emu, "GET", "state", None);
    let j = &s["jobs"][0];
    assert_eq!(j["jobId"], data["jobId"]);
    assert_eq!(j["backupId"], data["backupId"]);
    assert_eq!(j["clusterId"], "in01-0000000000000001");
    assert_eq!(j["durationMs"], 1000);
    let b = &s["backups"][0];
    assert_eq!(b["backupName"], "Dedicated-01_backup1");
    assert_eq!(b["creationMethod"], "MANUAL");
    assert_eq!(b["projectId"], "proj-00000000000000000001");
}
