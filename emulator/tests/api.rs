//! The `/v2/` API as documented: create backup, describe job, auth, business errors, the one-job rule,
//! CORS, keep-alive.

mod common;

use std::collections::HashSet;
use std::time::Duration;

use common::*;

fn is_iso_utc(s: &str) -> bool {
    let b = s.as_bytes();
    b.len() == 20
        && b[4] == b'-'
        && b[7] == b'-'
        && b[10] == b'T'
        && b[13] == b':'
        && b[16] == b':'
        && b[19] == b'Z'
        && s.chars()
            .enumerate()
            .all(|(i, c)| [4, 7, 10, 13, 16, 19].contains(&i) || c.is_ascii_digit())
}

#[test]
fn create_then_poll_until_successful() {
    let emu = start(600);
    let c = cluster(&emu, "in01-poll");
    let r = create_cluster_backup(&emu, &c);
    assert_eq!((r.status, r.code()), (200, 0), "{}", r.body);
    let data = &r.json()["data"];
    let backup_id = data["backupId"].as_str().unwrap();
    let job_id = data["jobId"].as_str().unwrap();
    assert_eq!(data["backupName"], "in01-poll-name_backup1");
    let (prefix, hex) = backup_id.split_once('_').unwrap();
    assert_eq!(prefix, "backup1");
    assert!(
        hex.len() == 15 && hex.chars().all(|c| c.is_ascii_hexdigit()),
        "{backup_id}"
    );
    let job_suffix = job_id.strip_prefix("job-").unwrap();
    assert!(
        job_suffix.len() == 22 && job_suffix.chars().all(|c| c.is_ascii_alphanumeric()),
        "{job_id}"
    );
    assert_eq!(state_backup(&emu, backup_id).unwrap()["status"], "CREATING");

    let seen = poll_to_end(&emu, job_id, Duration::from_secs(5));
    let mut last = 0;
    let mut statuses = HashSet::new();
    for d in &seen {
        assert_eq!(d["jobId"], job_id);
        assert_eq!(d["type"], "BACKUP");
        let progress: u32 = d["progress"]
            .as_str()
            .expect("progress is a string")
            .parse()
            .unwrap();
        assert!(progress >= last, "progress went down: {seen:?}");
        last = progress;
        assert!(is_iso_utc(d["startTime"].as_str().unwrap()), "{d}");
        statuses.insert(d["status"].as_str().unwrap().to_string());
        match d["status"].as_str().unwrap() {
            "PENDING" => assert_eq!(
                (d["progress"].as_str(), d["endTime"].is_null()),
                (Some("0"), true)
            ),
            "IN_PROGRESS" => assert!(progress <= 99 && d["endTime"].is_null()),
            "SUCCESSFUL" => {
                assert_eq!(d["progress"], "100");
                assert!(is_iso_utc(d["endTime"].as_str().unwrap()));
                assert_eq!(d["reason"], "");
            }
            other => panic!("unexpected status {other}"),
        }
    }
    assert!(
        statuses.contains("IN_PROGRESS") && statuses.contains("SUCCESSFUL"),
        "{statuses:?}"
    );
    let mid: Vec<u32> = seen
        .iter()
        .filter_map(|d| d["progress"].as_str()?.parse().ok())
        .collect();
    assert!(
        mid.iter().any(|p| *p > 0 && *p < 100),
        "progress never rose gradually: {mid:?}"
    );
    assert_eq!(
        state_backup(&emu, backup_id).unwrap()["status"],
        "AVAILABLE"
    );
}

#[test]
fn auth_errors_are_http_401() {
    let emu = start(1000);
    let addr = emu.addr();
    let r = request(
        addr,
        "GET",
        "/v2/jobs/job-x",
        &[("Authorization", "Bearer wrong")],
        None,
    );
    assert_eq!((r.status, r.code()), (401, 21119));
    assert_eq!(r.json()["message"], "The apikey is illegal");
    for headers in [
        vec![],
        vec![("Authorization", "Basic dGVzdA==")],
        vec![("Authorization", "Bearer ")],
    ] {
        let r = request(addr, "GET", "/v2/jobs/job-x", &headers, None);
        assert_eq!((r.status, r.code()), (401, 80001), "{headers:?}");
    }
    // Auth is checked before the cluster exists or the body is valid.
    let r = request(
        addr,
        "POST",
        "/v2/clusters/nope/backups/create",
        &[("Authorization", "Bearer x")],
        Some("{"),
    );
    assert_eq!((r.status, r.code()), (401, 21119));
}

#[test]
fn every_response_has_a_unique_request_id() {
    let emu = start(1000);
    let mut ids = HashSet::new();
    for path in [
        "/v2/jobs/a",
        "/v2/jobs/b",
        "/v2/nope",
        "/__emulator/state",
        "/elsewhere",
    ] {
        let r = api(&emu, "GET", path, None);
        assert!(ids.insert(r.header("RequestId").expect("RequestId").to_string()));
    }
    let r = request(emu.addr(), "GET", "/v2/jobs/a", &[], None);
    assert!(ids.insert(r.header("RequestId").unwrap().to_string()));
}

#[test]
fn business_errors_are_http_200_with_a_code() {
    let emu = start(1000);
    let create = |cluster: &str, body: &str| {
        let r = api(
            &emu,
            "POST",
            &format!("/v2/clusters/{cluster}/backups/create"),
            Some(body),
        );
        assert_eq!(r.status, 200, "{}", r.body);
        assert!(r.json()["message"].as_str().is_some_and(|m| !m.is_empty()));
        r.code()
    };
    let d = "in01-0000000000000001";
    assert_eq!(create(d, "{not json"), 60001);
    assert_eq!(create(d, "{}"), 60002);
    assert_eq!(create(d, r#"{"backupType":"DATABASE"}"#), 60002);
    assert_eq!(create(d, r#"{"backupType":"COLLECTION"}"#), 60002);
    assert_eq!(
        create(
            d,
            r#"{"backupType":"COLLECTION","dbCollections":[{"collectionNames":[]}]}"#
        ),
        60002
    );
    assert_eq!(
        create(
            d,
            r#"{"backupType":"COLLECTION","dbCollections":[{"collectionNames":["books"]},{"dbName":"analytics","collectionNames":["events"]}]}"#
        ),
        60003
    );
    assert_eq!(
        create(
            d,
            r#"{"backupType":"COLLECTION","dbCollections":[{"dbName":"nope","collectionNames":["books"]}]}"#
        ),
        60004
    );
    assert_eq!(
        create(
            d,
            r#"{"backupType":"COLLECTION","dbCollections":[{"collectionNames":["nope"]}]}"#
        ),
        60005
    );
    // `events` lives in `analytics`, not in `default`.
    assert_eq!(
        create(
            d,
            r#"{"backupType":"COLLECTION","dbCollections":[{"collectionNames":["events"]}]}"#
        ),
        60005
    );
    assert_eq!(create("in01-unknown", r#"{"backupType":"CLUSTER"}"#), 80010);
    assert_eq!(
        create("in03-0000000000000009", r#"{"backupType":"CLUSTER"}"#),
        80020
    );
    let r = api(&emu, "GET", "/v2/jobs/job-doesnotexist", None);
    assert_eq!((r.status, r.code()), (200, 80040));
    // None of the refused creates left anything behind.
    assert_eq!(state_backups(&emu).len(), 0);
}

#[test]
fn free_and_serverless_clusters_are_refused() {
    let emu = start(1000);
    control(
        &emu,
        "POST",
        "clusters",
        Some(r#"{"clusterId":"in05-free","plan":"Free"}"#),
    );
    for c in ["in05-free", "in03-0000000000000009"] {
        let r = create_cluster_backup(&emu, c);
        assert_eq!((r.status, r.code()), (200, 80020));
    }
}

#[test]
fn collection_backups() {
    let emu = start(1000);
    let c = cluster(&emu, "in01-coll");
    let r = api(
        &emu,
        "POST",
        &format!("/v2/clusters/{c}/backups/create"),
        Some(
            r#"{"backupType":"COLLECTION","dbCollections":[{"dbName":"analytics","collectionNames":["events"]}],"crossRegionCopies":[{"regionId":"aws-us-east-1"}]}"#,
        ),
    );
    assert_eq!(r.code(), 0, "{}", r.body);
    let data = &r.json()["data"];
    assert_eq!(data["backupName"], "events_backup1");
    let b = state_backup(&emu, data["backupId"].as_str().unwrap()).unwrap();
    assert_eq!(b["backupType"], "COLLECTION");
    assert_eq!(
        b["dbCollections"],
        serde_json::json!([{"dbName":"analytics","collectionNames":["events"]}])
    );
    assert_eq!(
        b["crossRegionCopies"],
        serde_json::json!([{"regionId":"aws-us-east-1"}])
    );
}

#[test]
fn one_manual_backup_job_per_cluster() {
    let emu = start(400);
    let c = cluster(&emu, "in01-onejob");
    let first = create_cluster_backup(&emu, &c);
    assert_eq!(first.code(), 0);
    let second = create_cluster_backup(&emu, &c);
    assert_eq!((second.status, second.code()), (200, 80030));
    // A collection backup counts too, and other clusters are not affected.
    let r = api(
        &emu,
        "POST",
        &format!("/v2/clusters/{c}/backups/create"),
        Some(r#"{"backupType":"COLLECTION","dbCollections":[{"collectionNames":["books"]}]}"#),
    );
    assert_eq!(r.code(), 80030);
    assert_eq!(
        create_cluster_backup(&emu, "in01-0000000000000002").code(),
        0
    );

    poll_to_end(
        &emu,
        first.json()["data"]["jobId"].as_str().unwrap(),
        Duration::from_secs(5),
    );
    let third = create_cluster_backup(&emu, &c);
    assert_eq!(third.code(), 0, "{}", third.body);
    assert_eq!(
        third.json()["data"]["backupName"],
        "in01-onejob-name_backup2"
    );
}

#[test]
fn concurrent_creates_admit_exactly_one() {
    let emu = start(5000);
    let c = cluster(&emu, "in01-race");
    let addr = emu.addr();
    let barrier = std::sync::Arc::new(std::sync::Barrier::new(8));
    let threads: Vec<_> = (0..8)
        .map(|_| {
            let (c, barrier) = (c.clone(), barrier.clone());
            std::thread::spawn(move || {
                let mut conn = Conn::open(addr);
                barrier.wait();
                conn.send(
                    "POST",
                    &format!("/v2/clusters/{c}/backups/create"),
                    &[("Authorization", "Bearer test-key")],
                    Some(r#"{"backupType":"CLUSTER"}"#),
                );
                conn.read().unwrap().code()
            })
        })
        .collect();
    let mut codes: Vec<i64> = threads.into_iter().map(|t| t.join().unwrap()).collect();
    codes.sort();
    assert_eq!(codes, [0, 80030, 80030, 80030, 80030, 80030, 80030, 80030]);
}

#[test]
fn unknown_routes_and_wrong_methods() {
    let emu = start(1000);
    let r = api(
        &emu,
        "GET",
        "/v2/clusters/in01-0000000000000001/backups/create",
        None,
    );
    assert_eq!((r.status, r.code()), (405, 405));
    let r = api(&emu, "DELETE", "/v2/jobs/job-x", None);
    assert_eq!(r.status, 405);
    let r = api(&emu, "GET", "/v2/nothing/here", None);
    assert_eq!((r.status, r.code()), (404, 404));
    let r = request(emu.addr(), "GET", "/", &[], None);
    assert_eq!((r.status, r.code()), (404, 404));
    let r = request(emu.addr(), "GET", "/__emulator/nothing", &[], None);
    assert_eq!(r.status, 404);
    let r = request(emu.addr(), "GET", "/__emulator/reset", &[], None);
    assert_eq!(r.status, 405);
}

#[test]
fn cors_preflight_and_headers() {
    let emu = start(1000);
    for path in [
        "/v2/clusters/x/backups/create",
        "/v2/jobs/j",
        "/__emulator/faults",
        "/anything",
    ] {
        let r = request(
            emu.addr(),
            "OPTIONS",
            path,
            &[
                ("Origin", "http://localhost:5173"),
                ("Access-Control-Request-Method", "POST"),
                (
                    "Access-Control-Request-Headers",
                    "authorization,content-type",
                ),
            ],
            None,
        );
        assert_eq!(r.status, 204, "{path}");
        assert_eq!(
            r.header("Access-Control-Allow-Origin"),
            Some("http://localhost:5173")
        );
        assert_eq!(
            r.header("Access-Control-Allow-Methods"),
            Some("GET, POST, DELETE, OPTIONS")
        );
        assert_eq!(
            r.header("Access-Control-Allow-Headers"),
            Some("authorization,content-type")
        );
        assert_eq!(r.header("Access-Control-Max-Age"), Some("600"));
    }
    let r = request(emu.addr(), "OPTIONS", "/v2/jobs/j", &[], None);
    assert_eq!(
        r.header("Access-Control-Allow-Headers"),
        Some("Authorization, Content-Type, Accept")
    );
    assert_eq!(r.header("Access-Control-Allow-Origin"), Some("*"));

    let r = request(
        emu.addr(),
        "GET",
        "/v2/jobs/j",
        &[("Origin", "https://app.example")],
        None,
    );
    assert_eq!(r.status, 401);
    assert_eq!(
        r.header("Access-Control-Allow-Origin"),
        Some("https://app.example")
    );
    assert_eq!(
        r.header("Access-Control-Expose-Headers"),
        Some("RequestId, Retry-After")
    );
    let r = request(emu.addr(), "GET", "/__emulator/state", &[], None);
    assert_eq!(r.header("Access-Control-Allow-Origin"), Some("*"));
}

#[test]
fn keep_alive_and_connection_close() {
    let emu = start(1000);
    let mut conn = Conn::open(emu.addr());
    for _ in 0..3 {
        conn.send(
            "GET",
            "/v2/jobs/job-x",
            &[("Authorization", "Bearer test-key")],
            None,
        );
        assert_eq!(conn.read().unwrap().code(), 80040);
    }
    // Pipelined: two requests in one write, two answers in order.
    conn.send(
        "GET",
        "/v2/jobs/a",
        &[("Authorization", "Bearer test-key")],
        None,
    );
    conn.send(
        "GET",
        "/v2/jobs/b",
        &[("Authorization", "Bearer wrong")],
        None,
    );
    assert_eq!(conn.read().unwrap().status, 200);
    assert_eq!(conn.read().unwrap().status, 401);
    conn.send(
        "GET",
        "/v2/jobs/job-x",
        &[
            ("Authorization", "Bearer test-key"),
            ("Connection", "close"),
        ],
        None,
    );
    let r = conn.read().unwrap();
    assert_eq!(r.header("Connection"), Some("close"));
    assert!(conn.is_closed());
}
