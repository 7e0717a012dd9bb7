//! `POST /__emulator/clusters/{id}/backups`: backups seeded with an age (for retention tests).

mod common;

use std::time::{SystemTime, UNIX_EPOCH};

use common::*;
use zilliz_cloud_emulator::clock::iso_from_unix_secs;
use zilliz_cloud_emulator::routes::backups::parse_iso_ms;

const DAY_MS: u64 = 86_400_000;

fn now_wall_ms() -> u64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .unwrap()
        .as_millis() as u64
}

fn seed(emu: &zilliz_cloud_emulator::EmulatorHandle, cluster_id: &str, body: &str) -> Resp {
    request(
        emu.addr(),
        "POST",
        &format!("/__emulator/clusters/{cluster_id}/backups"),
        &[("Content-Type", "application/json")],
        Some(body),
    )
}

#[test]
fn a_seeded_backup_is_listed_described_and_deleted_with_its_age() {
    let emu = start(1000);
    let c = cluster(&emu, "in01-seeded");
    let before = now_wall_ms();
    let r = seed(&emu, &c, r#"{"ageMs": 864000000}"#); // 10 days
    assert_eq!(r.status, 200, "{}", r.body);
    let b = r.json();
    assert_eq!(b["status"], "AVAILABLE");
    assert_eq!(b["creationMethod"], "MANUAL");
    assert_eq!(b["backupType"], "CLUSTER");
    assert_eq!(b["clusterId"], c.as_str());
    assert_eq!(b["backupName"], "in01-seeded-name_backup1");
    assert!(b["expireTime"].is_null());
    let created = parse_iso_ms(b["createTime"].as_str().unwrap()).unwrap();
    let expected = before - 10 * DAY_MS;
    assert!(
        created + 2000 >= expected && created <= now_wall_ms() - 10 * DAY_MS,
        "{b}"
    );

    // The list shows it exactly as the seed answered, and its time filters see the old createTime.
    let id = b["backupId"].as_str().unwrap();
    let list = api(&emu, "GET", &format!("/v2/backups?clusterId={c}"), None).json();
    assert_eq!(list["data"]["backups"][0], b);
    let end = iso_from_unix_secs((now_wall_ms() - 9 * DAY_MS) / 1000);
    let old = api(
        &emu,
        "GET",
        &format!("/v2/backups?clusterId={c}&endTime={end}"),
        None,
    )
    .json();
    assert_eq!(old["data"]["count"], 1, "{old}");
    let start = iso_from_unix_secs((now_wall_ms() - DAY_MS) / 1000);
    let recent = api(
        &emu,
        "GET",
        &format!("/v2/backups?clusterId={c}&startTime={start}"),
        None,
    )
    .json();
    assert_eq!(recent["data"]["count"], 0, "{recent}");

    // It needs no job: describable, and the cluster is not busy (a create is accepted).
    let d = api(&emu, "GET", &format!("/v2/clusters/{c}/backups/{id}"), None).json();
    assert_eq!(d["data"]["status"], "AVAILABLE");
    assert_eq!(d["data"]["createTime"], b["createTime"]);
    assert_eq!(create_cluster_backup(&emu, &c).code(), 0);
    let del = api(
        &emu,
        "DELETE",
        &format!("/v2/clusters/{c}/backups/{id}"),
        None,
    )
    .json();
    assert_eq!(del["code"], 0, "{del}");
    let s = control(&emu, "GET", "state", None);
    let in_state = s["backups"]
        .as_array()
        .unwrap()
        .iter()
        .find(|x| x["backupId"] == id)
        .unwrap();
    assert_eq!(in_state["status"], "DELETED");
    assert_eq!(in_state["createTime"], b["createTime"]);
}

#[test]
fn seeded_auto_and_collection_backups() {
    let emu = start(1000);
    let c = cluster(&emu, "in01-seeded2");
    let b = seed(&emu, &c, r#"{"ageMs": 1000, "creationMethod": "AUTO", "backupType": "COLLECTION", "status": "AVAILABLE"}"#).json();
    assert_eq!(b["creationMethod"], "AUTO");
    assert_eq!(b["backupType"], "COLLECTION");
    assert_eq!(b["backupName"], "medium_articles_auto1");
    let auto = api(
        &emu,
        "GET",
        &format!("/v2/backups?clusterId={c}&creationMethod=AUTO"),
        None,
    )
    .json();
    assert_eq!(auto["data"]["count"], 1);
    let manual = api(
        &emu,
        "GET",
        &format!("/v2/backups?clusterId={c}&creationMethod=MANUAL"),
        None,
    )
    .json();
    assert_eq!(manual["data"]["count"], 0);
    // Gone after a reset, like every backup.
    control(&emu, "POST", "reset", None);
    assert_eq!(state_backups(&emu).len(), 0);
}

#[test]
fn bad_seeds_are_refused() {
    let emu = start(1000);
    let c = cluster(&emu, "in01-seeded3");
    for (body, status) in [
        (r#"{}"#, 400),                                 // ageMs is required
        (r#"{"ageMs": 5, "status": "CREATING"}"#, 400), // only AVAILABLE
        (r#"{"ageMs": 5, "backupType": "FULL"}"#, 400),
        (r#"{"ageMs": 5, "creationMethod": "manual"}"#, 400),
        (r#"{"ageMs": 5, "agems": 5}"#, 400), // unknown field
        (r#"{"ageMs": 18446744073709551615}"#, 400), // before 1970
    ] {
        let r = seed(&emu, &c, body);
        assert_eq!(r.status, status, "{body}: {}", r.body);
        assert_eq!(r.json()["code"], status);
    }
    assert_eq!(seed(&emu, "in01-nope", r#"{"ageMs": 5}"#).status, 404);
    let r = request(
        emu.addr(),
        "GET",
        &format!("/__emulator/clusters/{c}/backups"),
        &[],
        None,
    );
    assert_eq!(r.status, 405);
    assert_eq!(state_backups(&emu).len(), 0);
}
