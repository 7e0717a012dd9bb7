//! Random faults (`randomFaults` in the control API's config): rate, determinism for a seed,
//! "after" faults that let the server act, stats, reset. Over real TCP.

mod common;

use common::*;
use serde_json::Value;

/// What a client saw for one request, in a form comparable across runs (request ids differ).
fn outcome(r: Result<Resp, Failure>) -> String {
    match r {
        Ok(r) => {
            let code = serde_json::from_str::<Value>(&r.body)
                .ok()
                .and_then(|v| v["code"].as_i64());
            format!("{} {:?} {}", r.status, code, r.body.len())
        }
        Err(Failure::Truncated { expected, got }) => format!("truncated {expected}/{got}"),
        Err(f) => format!("{f:?}"),
    }
}

fn configure(emu: &zilliz_cloud_emulator::EmulatorHandle, rate: f64, seed: u64) {
    let body = format!(
        r#"{{"randomFaults":{{"rate":{rate},"seed":{seed},"delayMs":20,"bigBytes":2000}}}}"#
    );
    let cfg = control(emu, "POST", "config", Some(&body));
    assert_eq!(cfg["randomFaults"]["seed"], seed);
}

/// The outcomes of 200 requests with 30% random faults, the stats, and the unfaulted outcome.
fn run(seed: u64) -> (Vec<String>, Value, String) {
    let emu = start(1000);
    let normal = outcome(try_api(&emu, "GET", "/v2/jobs/job-x", None));
    configure(&emu, 0.3, seed);
    let seen = (0..200)
        .map(|_| outcome(try_api(&emu, "GET", "/v2/jobs/job-x", None)))
        .collect();
    (
        seen,
        control(&emu, "GET", "stats", None)["randomFaults"].clone(),
        normal,
    )
}

#[test]
fn a_seed_gives_the_same_faults_and_stats_count_them() {
    let (a, stats, normal) = run(11);
    let (b, stats_b, _) = run(11);
    assert_eq!(a, b, "same seed, same requests: same outcomes");
    assert_eq!(stats, stats_b);
    let (c, _, _) = run(12);
    assert_ne!(a, c, "another seed, other faults");

    // The normal answer is 200 + code 80040 (unknown job); a delay ends in it too.
    assert!(normal.starts_with("200 Some(80040)"), "{normal}");
    let normal = &a.iter().filter(|o| **o == normal).count();
    let faulted = stats["faulted"].as_u64().unwrap();
    let delays: u64 = ["before delay", "after delay"]
        .iter()
        .map(|k| stats["byKind"][k].as_u64().unwrap_or(0))
        .sum();
    assert_eq!(stats["considered"], 200);
    assert_eq!(200 - *normal as u64 + delays, faulted, "{stats}");
    assert!((30..90).contains(&faulted), "about 30% of 200: {faulted}");
    let kinds = stats["byKind"].as_object().unwrap();
    assert!(kinds.len() >= 15, "many kinds drawn: {kinds:?}");
}

#[test]
fn after_faults_let_the_server_act_and_before_faults_do_not() {
    let emu = start(60_000);
    configure(&emu, 1.0, 5);
    let n = 80;
    for i in 0..n {
        let c = cluster(&emu, &format!("in01-random{i:03}"));
        let _ = try_api(
            &emu,
            "POST",
            &format!("/v2/clusters/{c}/backups/create"),
            Some(r#"{"backupType":"CLUSTER"}"#),
        );
    }
    let stats = control(&emu, "GET", "stats", None)["randomFaults"].clone();
    assert_eq!(stats["faulted"], n, "rate 1: every request");
    let by = stats["byKind"].as_object().unwrap();
    let acted: u64 = by
        .iter()
        // A "before" delay stalls, then answers normally: the server acts too.
        .filter(|(k, _)| k.starts_with("after ") || *k == "before delay")
        .map(|(_, v)| v.as_u64().unwrap())
        .sum();
    assert!(acted > 0 && acted < n, "{by:?}");
    let backups = state_backups(&emu).len() as u64;
    assert_eq!(
        backups, acted,
        "exactly the after-faulted creates made backups: {by:?}"
    );
}

#[test]
fn config_shows_it_rate_zero_and_reset_turn_it_off_bad_values_are_refused() {
    let emu = start(1000);
    assert_eq!(
        control(&emu, "GET", "config", None)["randomFaults"],
        Value::Null
    );
    configure(&emu, 1.0, 3);
    assert_eq!(
        control(&emu, "GET", "config", None)["randomFaults"]["rate"],
        1.0
    );
    // Control requests and preflights are never faulted.
    let pre = request(
        emu.addr(),
        "OPTIONS",
        "/v2/jobs/x",
        &[("Origin", "http://a")],
        None,
    );
    assert_eq!(pre.status, 204);
    // Scripted rules win over random faults.
    control(
        &emu,
        "POST",
        "faults",
        Some(r#"{"fault":{"type":"business","code":777}}"#),
    );
    assert_eq!(api(&emu, "GET", "/v2/jobs/job-x", None).code(), 777);
    control(
        &emu,
        "POST",
        "config",
        Some(r#"{"randomFaults":{"rate":0}}"#),
    );
    assert_eq!(
        control(&emu, "GET", "config", None)["randomFaults"],
        Value::Null
    );
    for _ in 0..20 {
        assert_eq!(api(&emu, "GET", "/v2/jobs/job-x", None).code(), 80040);
    }
    configure(&emu, 1.0, 3);
    control(&emu, "POST", "reset", None);
    assert_eq!(
        control(&emu, "GET", "stats", None)["randomFaults"],
        Value::Null
    );
    assert_eq!(api(&emu, "GET", "/v2/jobs/job-x", None).code(), 80040);
    for bad in [
        r#"{"randomFaults":{"rate":1.5}}"#,
        r#"{"randomFaults":{"rate":-0.1}}"#,
        r#"{"randomFaults":{"rate":0.1,"sed":1}}"#,
        r#"{"randomFaults":{"rate":0.1,"bigBytes":999999999999}}"#,
    ] {
        let r = request(emu.addr(), "POST", "/__emulator/config", &[], Some(bad));
        assert_eq!(r.status, 400, "{bad}: {}", r.body);
    }
    assert_eq!(
        control(&emu, "GET", "config", None)["randomFaults"],
        Value::Null
    );
}

#[test]
fn a_retry_after_date_is_an_imf_fixdate_in_the_future() {
    let emu = start(1000);
    let mut dates = 0;
    for seed in 0..400 {
        configure(&emu, 1.0, seed);
        let r = try_api(&emu, "GET", "/v2/jobs/job-x", None);
        if let Ok(r) = r {
            if let Some(v) = r.header("Retry-After").filter(|v| v.ends_with(" GMT")) {
                assert_eq!(r.status, 429);
                assert_eq!(v.len(), "Sun, 06 Nov 1994 08:49:37 GMT".len(), "{v}");
                dates += 1;
            }
        }
        if dates >= 2 {
            return;
        }
    }
    panic!("no Retry-After date drawn in 400 seeds");
}
