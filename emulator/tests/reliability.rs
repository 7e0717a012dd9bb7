//! Reliability and performance knobs: redirect and big faults, rate limiting with stats, the
//! time scale and progress curves.

mod common;

use std::time::{Duration, Instant};

use common::*;

const D1: &str = "in01-0000000000000001";

fn fault(emu: &zilliz_cloud_emulator::EmulatorHandle, spec: &str) {
    control(emu, "POST", "faults", Some(spec));
}

#[test]
fn redirect_fault() {
    let emu = start(1000);
    fault(
        &emu,
        r#"{"pathPrefix":"/v2/jobs/","fault":{"type":"redirect","status":302,"location":"http://127.0.0.1:1/elsewhere"}}"#,
    );
    let r = api(&emu, "GET", "/v2/jobs/job-x", None);
    assert_eq!(r.status, 302);
    assert_eq!(r.header("Location"), Some("http://127.0.0.1:1/elsewhere"));
    assert!(r.header("RequestId").is_some());
    // Spent: the next call is answered normally.
    assert_eq!(api(&emu, "GET", "/v2/jobs/job-x", None).code(), 80040);
    // Default status 302; other 3xx allowed; a 2xx is not a redirect.
    fault(
        &emu,
        r#"{"fault":{"type":"redirect","location":"/v2/elsewhere"}}"#,
    );
    assert_eq!(api(&emu, "GET", "/v2/jobs/job-x", None).status, 302);
    fault(
        &emu,
        r#"{"fault":{"type":"redirect","status":307,"location":"/v2/elsewhere"}}"#,
    );
    let r = create_cluster_backup(&emu, D1);
    assert_eq!(
        (r.status, r.header("Location")),
        (307, Some("/v2/elsewhere"))
    );
    assert_eq!(state_backups(&emu).len(), 0);
    let r = request(
        emu.addr(),
        "POST",
        "/__emulator/faults",
        &[],
        Some(r#"{"fault":{"type":"redirect","status":200,"location":"/x"}}"#),
    );
    assert_eq!(r.status, 400);
}

#[test]
fn big_fault() {
    let emu = start(1000);
    fault(
        &emu,
        r#"{"pathPrefix":"/v2/jobs/","fault":{"type":"big","bytes":10485760}}"#,
    );
    let r = api(&emu, "GET", "/v2/jobs/job-x", None);
    assert_eq!((r.status, r.body.len()), (200, 10_485_760));
    assert_eq!(r.header("Content-Type"), Some("application/json"));
    assert_eq!(r.json()["code"], 0);
    // With `after: true` the real answer is kept and padded.
    fault(
        &emu,
        r#"{"after":true,"fault":{"type":"big","bytes":100000}}"#,
    );
    let r = create_cluster_backup(&emu, D1);
    assert_eq!(r.body.len(), 100_000);
    let job_id = r.json()["data"]["jobId"].as_str().unwrap().to_string();
    assert_eq!(job(&emu, &job_id)["type"], "BACKUP");
}

#[test]
fn rate_limit_bursts_get_429_with_retry_after() {
    let emu = start(1000);
    assert_eq!(
        control(&emu, "GET", "config", None)["rateLimitPerSecond"],
        0
    );
    // Off by default: a burst of 40 is served.
    for _ in 0..40 {
        assert_eq!(api(&emu, "GET", "/v2/jobs/job-x", None).status, 200);
    }
    control(&emu, "DELETE", "stats", None);
    control(&emu, "POST", "config", Some(r#"{"rateLimitPerSecond":20}"#));
    let started = Instant::now();
    let mut limited = Vec::new();
    for _ in 0..30 {
        let r = api(&emu, "GET", "/v2/jobs/job-x", None);
        if r.status == 429 {
            limited.push(r);
        } else {
            assert_eq!(r.code(), 80040);
        }
    }
    assert!(
        started.elapsed() < Duration::from_millis(900),
        "the burst was too slow to test"
    );
    assert_eq!(limited.len(), 10);
    for r in &limited {
        assert_eq!(r.code(), 80429);
        assert!(r.json()["message"]
            .as_str()
            .unwrap()
            .contains("GET /v2/jobs/{id}"));
        let secs: u64 = r.header("Retry-After").unwrap().parse().unwrap();
        assert!((1..=1).contains(&secs));
    }
    // Per endpoint: another route is not affected by the jobs burst.
    assert_eq!(api(&emu, "GET", "/v2/backups", None).code(), 0);
    // Per API key: a request with another (wrong) key is answered 401, not 429.
    let r = request(
        emu.addr(),
        "GET",
        "/v2/jobs/job-x",
        &[("Authorization", "Bearer other")],
        None,
    );
    assert_eq!(r.status, 401);
    let stats = control(&emu, "GET", "stats", None);
    assert_eq!(stats["rateLimited"], 10);
    assert_eq!(stats["requests"], 32);
    assert_eq!(stats["byEndpoint"]["GET /v2/jobs/{id}"]["requests"], 31);
    assert_eq!(stats["byEndpoint"]["GET /v2/jobs/{id}"]["rateLimited"], 10);
    assert_eq!(stats["byEndpoint"]["GET /v2/backups"]["rateLimited"], 0);
    // After the window has passed, requests are served again.
    std::thread::sleep(Duration::from_millis(1000));
    assert_eq!(api(&emu, "GET", "/v2/jobs/job-x", None).status, 200);
}

#[test]
fn rate_limit_spread_out_gets_none() {
    let emu = start(1000);
    control(&emu, "POST", "config", Some(r#"{"rateLimitPerSecond":10}"#));
    // 25 requests, one every 110 ms: never more than 10 in any second.
    for _ in 0..25 {
        let r = api(&emu, "GET", "/v2/jobs/job-x", None);
        assert_eq!(r.status, 200, "{}", r.body);
        std::thread::sleep(Duration::from_millis(110));
    }
    assert_eq!(control(&emu, "GET", "stats", None)["rateLimited"], 0);
    // Turning it off again.
    control(&emu, "POST", "config", Some(r#"{"rateLimitPerSecond":0}"#));
    for _ in 0..30 {
        assert_eq!(api(&emu, "GET", "/v2/jobs/job-x", None).status, 200);
    }
    // Reset restores the default (off) and clears the stats.
    control(&emu, "POST", "config", Some(r#"{"rateLimitPerSecond":1}"#));
    control(&emu, "POST", "reset", None);
    assert_eq!(control(&emu, "GET", "stats", None)["requests"], 0);
    for _ in 0..5 {
        assert_eq!(api(&emu, "GET", "/v2/jobs/job-x", None).status, 200);
    }
}

#[test]
fn rate_limited_keys_are_separate() {
    let emu = start(1000);
    control(&emu, "POST", "config", Some(r#"{"rateLimitPerSecond":2}"#));
    for _ in 0..2 {
        assert_eq!(api(&emu, "GET", "/v2/backups", None).status, 200);
    }
    assert_eq!(api(&emu, "GET", "/v2/backups", None).status, 429);
    // The key is rotated: the new key has its own budget.
    control(
        &emu,
        "POST",
        "config",
        Some(r#"{"apiKey":"second-key","rateLimitPerSecond":2}"#),
    );
    let r = request(
        emu.addr(),
        "GET",
        "/v2/backups",
        &[("Authorization", "Bearer second-key")],
        None,
    );
    assert_eq!(r.status, 200);
}

#[test]
fn time_scale_speeds_jobs_up() {
    let emu = start(1000);
    // A 30-minute job at scale 3600 takes half a second.
    control(
        &emu,
        "POST",
        "config",
        Some(r#"{"jobDurationMs":1800000,"timeScale":3600}"#),
    );
    let cfg = control(&emu, "GET", "config", None);
    assert_eq!(
        (cfg["timeScale"].as_f64(), cfg["jobDurationMs"].as_u64()),
        (Some(3600.0), Some(1_800_000))
    );
    let started = Instant::now();
    let r = create_cluster_backup(&emu, D1);
    let job_id = r.json()["data"]["jobId"].as_str().unwrap().to_string();
    let seen = poll_to_end(&emu, &job_id, Duration::from_secs(5));
    assert_eq!(seen.last().unwrap()["status"], "SUCCESSFUL");
    assert!(started.elapsed() < Duration::from_secs(3));
    assert!(started.elapsed() >= Duration::from_millis(450));
    assert_eq!(
        control(&emu, "GET", "state", None)["jobs"][0]["durationMs"],
        500
    );
    for bad in [
        r#"{"timeScale":0}"#,
        r#"{"timeScale":-2}"#,
        r#"{"timeScale":"fast"}"#,
        r#"{"progressCurve":"exp"}"#,
    ] {
        let r = request(emu.addr(), "POST", "/__emulator/config", &[], Some(bad));
        assert_eq!(r.status, 400, "{bad}");
    }
}

fn progress_seen(
    emu: &zilliz_cloud_emulator::EmulatorHandle,
    curve: &str,
    cluster: &str,
) -> Vec<(String, u32, u128)> {
    control(
        emu,
        "POST",
        "config",
        Some(&format!(
            r#"{{"jobDurationMs":900,"progressCurve":"{curve}"}}"#
        )),
    );
    let started = Instant::now();
    let r = create_cluster_backup(emu, cluster);
    let job_id = r.json()["data"]["jobId"].as_str().unwrap().to_string();
    let mut seen = Vec::new();
    loop {
        let d = job(emu, &job_id);
        let p: u32 = d["progress"].as_str().unwrap().parse().unwrap();
        let status = d["status"].as_str().unwrap().to_string();
        seen.push((status.clone(), p, started.elapsed().as_millis()));
        if status == "SUCCESSFUL" {
            return seen;
        }
        std::thread::sleep(Duration::from_millis(10));
    }
}

#[test]
fn progress_curves() {
    let emu = start(1000);
    let stepwise = progress_seen(&emu, "stepwise", D1);
    let in_progress: Vec<u32> = stepwise
        .iter()
        .filter(|s| s.0 == "IN_PROGRESS")
        .map(|s| s.1)
        .collect();
    assert!(in_progress.iter().all(|p| p % 25 == 0), "{stepwise:?}");
    assert!(in_progress.iter().any(|p| *p >= 50), "{stepwise:?}");

    let stall = progress_seen(&emu, "stall", "in01-0000000000000002");
    // Progress 50 for about the middle third (300 ms of 900).
    let at_50: Vec<u128> = stall.iter().filter(|s| s.1 == 50).map(|s| s.2).collect();
    let span = at_50.last().unwrap() - at_50.first().unwrap();
    assert!(span >= 200, "{stall:?}");
    assert!(
        stall.iter().any(|s| s.1 > 50 && s.0 == "IN_PROGRESS"),
        "{stall:?}"
    );
    let mut last = 0;
    for s in &stall {
        assert!(s.1 >= last, "{stall:?}");
        last = s.1;
    }
    assert_eq!(
        control(&emu, "GET", "config", None)["progressCurve"],
        "stall"
    );
    control(&emu, "POST", "reset", None);
    assert_eq!(
        control(&emu, "GET", "config", None)["progressCurve"],
        "linear"
    );
}
