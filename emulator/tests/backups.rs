//! List, describe, delete, restore (cluster and collection), export and the automatic-backup
//! policy, over real TCP.

mod common;

use std::time::Duration;

use serde_json::Value;

use common::*;

const D1: &str = "in01-0000000000000001";
const D2: &str = "in01-0000000000000002";
const SERVERLESS: &str = "in03-0000000000000009";

fn ok(r: &Resp) -> Value {
    assert_eq!((r.status, r.code()), (200, 0), "{}", r.body);
    r.json()["data"].clone()
}

/// A business error: HTTP 200, that code, a message.
fn err(r: &Resp, code: i64) {
    assert_eq!((r.status, r.code()), (200, code), "{}", r.body);
    assert!(r.json()["message"].as_str().is_some_and(|m| !m.is_empty()));
}

fn set_duration(emu: &zilliz_cloud_emulator::EmulatorHandle, ms: u64) {
    control(
        emu,
        "POST",
        "config",
        Some(&format!(r#"{{"jobDurationMs":{ms}}}"#)),
    );
}

/// A finished CLUSTER backup; returns its id.
fn available_backup(emu: &zilliz_cloud_emulator::EmulatorHandle, cluster: &str) -> String {
    let d = ok(&create_cluster_backup(emu, cluster));
    poll_to_end(emu, d["jobId"].as_str().unwrap(), Duration::from_secs(5));
    d["backupId"].as_str().unwrap().to_string()
}

fn collection_backup(
    emu: &zilliz_cloud_emulator::EmulatorHandle,
    cluster: &str,
    db: &str,
    coll: &str,
) -> String {
    let body = format!(
        r#"{{"backupType":"COLLECTION","dbCollections":[{{"dbName":"{db}","collectionNames":["{coll}"]}}]}}"#
    );
    let d = ok(&api(
        emu,
        "POST",
        &format!("/v2/clusters/{cluster}/backups/create"),
        Some(&body),
    ));
    poll_to_end(emu, d["jobId"].as_str().unwrap(), Duration::from_secs(5));
    d["backupId"].as_str().unwrap().to_string()
}

fn list(emu: &zilliz_cloud_emulator::EmulatorHandle, query: &str) -> Value {
    ok(&api(emu, "GET", &format!("/v2/backups{query}"), None))
}

fn ids(page: &Value) -> Vec<String> {
    page["backups"]
        .as_array()
        .unwrap()
        .iter()
        .map(|b| b["backupId"].as_str().unwrap().to_string())
        .collect()
}

fn backup_path(cluster: &str, backup: &str) -> String {
    format!("/v2/clusters/{cluster}/backups/{backup}")
}

#[test]
fn list_pages_newest_first_with_both_count_modes() {
    let emu = start(0);
    let mut made = Vec::new();
    for _ in 0..5 {
        made.push(available_backup(&emu, D1));
    }
    for _ in 0..2 {
        made.push(available_backup(&emu, D2));
    }
    made.reverse(); // newest first
    let p1 = list(&emu, "?pageSize=3");
    assert_eq!(
        (
            p1["count"].as_u64(),
            p1["currentPage"].as_u64(),
            p1["pageSize"].as_u64()
        ),
        (Some(7), Some(1), Some(3))
    );
    let p2 = list(&emu, "?pageSize=3&currentPage=2");
    let p3 = list(&emu, "?pageSize=3&currentPage=3");
    let p4 = list(&emu, "?pageSize=3&currentPage=4");
    let all: Vec<String> = [&p1, &p2, &p3].iter().flat_map(|p| ids(p)).collect();
    assert_eq!(all, made);
    assert_eq!(
        (p3["count"].as_u64(), ids(&p3).len(), ids(&p4).len()),
        (Some(7), 1, 0)
    );
    // The same order on every call.
    assert_eq!(ids(&list(&emu, "?pageSize=3&currentPage=2")), ids(&p2));
    // Defaults: page 1, size 10.
    let d = list(&emu, "");
    assert_eq!(
        (
            d["currentPage"].as_u64(),
            d["pageSize"].as_u64(),
            ids(&d).len()
        ),
        (Some(1), Some(10), 7)
    );

    control(&emu, "POST", "config", Some(r#"{"listCountMode":"page"}"#));
    assert_eq!(
        control(&emu, "GET", "config", None)["listCountMode"],
        "page"
    );
    assert_eq!(list(&emu, "?pageSize=3")["count"], 3);
    assert_eq!(list(&emu, "?pageSize=3&currentPage=3")["count"], 1);
    assert_eq!(list(&emu, "?pageSize=3&currentPage=9")["count"], 0);
    control(&emu, "POST", "config", Some(r#"{"listCountMode":"total"}"#));
    assert_eq!(list(&emu, "?pageSize=3&currentPage=3")["count"], 7);
    let r = request(
        emu.addr(),
        "POST",
        "/__emulator/config",
        &[],
        Some(r#"{"listCountMode":"all"}"#),
    );
    assert_eq!(r.status, 400);
}

#[test]
fn list_items_and_filters() {
    let emu = start(0);
    cluster(&emu, "in01-other");
    control(
        &emu,
        "POST",
        "clusters",
        Some(r#"{"clusterId":"in01-proj2","projectId":"proj-2"}"#),
    );
    let b1 = available_backup(&emu, D1);
    let c1 = collection_backup(&emu, D1, "default", "books");
    let o1 = available_backup(&emu, "in01-other");
    let p2 = available_backup(&emu, "in01-proj2");
    let item = list(&emu, &format!("?clusterId={D1}&backupType=CLUSTER"))["backups"][0].clone();
    assert_eq!(item["backupId"], b1.as_str());
    for k in [
        "projectId",
        "backupName",
        "backupType",
        "creationMethod",
        "size",
        "expireTime",
        "clusterId",
        "clusterName",
        "createTime",
        "status",
    ] {
        assert!(item.get(k).is_some(), "{k} missing: {item}");
    }
    assert_eq!(
        (item["status"].as_str(), item["creationMethod"].as_str()),
        (Some("AVAILABLE"), Some("MANUAL"))
    );
    assert!(item["size"].as_u64().unwrap() > 0);
    assert!(item["expireTime"].is_null());
    assert_eq!(item["clusterName"], "Dedicated-01");
    assert_eq!(item["projectId"], "proj-00000000000000000001");

    assert_eq!(
        ids(&list(&emu, &format!("?clusterId={D1}"))),
        vec![c1.clone(), b1.clone()]
    );
    assert_eq!(ids(&list(&emu, "?backupType=COLLECTION")), vec![c1.clone()]);
    assert_eq!(ids(&list(&emu, "?projectId=proj-2")), vec![p2.clone()]);
    assert_eq!(ids(&list(&emu, "?creationMethod=MANUAL")).len(), 4);
    assert_eq!(ids(&list(&emu, "?creationMethod=AUTO")).len(), 0);
    assert_eq!(
        ids(&list(&emu, "?clusterId=in01-other&creationMethod=MANUAL")),
        vec![o1]
    );
    // Time window on createTime (inclusive, whole seconds; `%3A` decoded).
    let created = item["createTime"].as_str().unwrap().to_string();
    assert_eq!(
        ids(&list(
            &emu,
            &format!("?startTime={created}&endTime={created}&clusterId={D1}&backupType=CLUSTER")
        )),
        vec![b1.clone()]
    );
    let enc = created.replace(':', "%3A");
    assert_eq!(
        ids(&list(
            &emu,
            &format!("?startTime={enc}&backupType=CLUSTER&clusterId={D1}")
        ))
        .len(),
        1
    );
    assert_eq!(ids(&list(&emu, "?endTime=2000-01-01T00:00:00Z")).len(), 0);
    assert_eq!(ids(&list(&emu, "?startTime=2999-01-01T00:00:00Z")).len(), 0);
    assert_eq!(
        ids(&list(&emu, "?startTime=2000-01-01T00:00:00.000Z")).len(),
        4
    );

    for bad in [
        "?creationMethod=manual",
        "?backupType=DATABASE",
        "?pageSize=0",
        "?pageSize=101",
        "?pageSize=ten",
        "?currentPage=0",
        "?currentPage=-1",
        "?startTime=yesterday",
        "?endTime=2024-13-01T00:00:00Z",
        "?startTime=2024-07-30%2016:49:50",
    ] {
        err(&api(&emu, "GET", &format!("/v2/backups{bad}"), None), 60002);
    }
    assert_eq!(list(&emu, "?pageSize=100")["pageSize"], 100);
}

#[test]
fn list_shows_only_available_and_creating() {
    let emu = start(0);
    let available = available_backup(&emu, D1);
    let deleted = available_backup(&emu, D1);
    ok(&api(&emu, "DELETE", &backup_path(D1, &deleted), None));
    // A failed backup is not listed.
    control(
        &emu,
        "POST",
        &format!("clusters/{D1}/fail-next-backup"),
        Some(r#"{"atProgress":0}"#),
    );
    set_duration(&emu, 100);
    let failed = ok(&create_cluster_backup(&emu, D1));
    poll_to_end(
        &emu,
        failed["jobId"].as_str().unwrap(),
        Duration::from_secs(5),
    );
    // A running manual backup is listed as CREATING (how a client finds the backup behind 80030).
    set_duration(&emu, 60_000);
    let running = ok(&create_cluster_backup(&emu, D1));
    err(&create_cluster_backup(&emu, D1), 80030);
    let page = list(&emu, &format!("?clusterId={D1}"));
    assert_eq!(
        ids(&page),
        vec![running["backupId"].as_str().unwrap().to_string(), available]
    );
    assert_eq!(page["count"], 2);
    assert_eq!(page["backups"][0]["status"], "CREATING");
    assert_eq!(page["backups"][1]["status"], "AVAILABLE");
    let size = page["backups"][0]["size"].as_u64().unwrap();
    assert!(size < page["backups"][1]["size"].as_u64().unwrap() || size == 0);
}

#[test]
fn describe_in_both_shapes() {
    let emu = start(0);
    let b = available_backup(&emu, D1);
    let d = ok(&api(&emu, "GET", &backup_path(D1, &b), None));
    for k in [
        "clusterId",
        "clusterName",
        "projectId",
        "regionId",
        "backupId",
        "backupName",
        "backupType",
        "creationMethod",
        "status",
        "size",
        "createTime",
        "expireTime",
    ] {
        assert!(d.get(k).is_some(), "{k} missing: {d}");
    }
    assert_eq!(
        (d["status"].as_str(), d["regionId"].as_str()),
        (Some("AVAILABLE"), Some("aws-us-west-2"))
    );
    let names: Vec<&str> = d["collections"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["collectionName"].as_str().unwrap())
        .collect();
    assert_eq!(names.len(), 4, "{d}");
    assert!(names.contains(&"events") && names.contains(&"books"));
    let c = &d["collections"][0];
    assert!(
        c["description"].is_string()
            && ["LOADED", "UNLOADED"].contains(&c["status"].as_str().unwrap())
    );
    assert!(d.get("dbCollections").is_none());

    control(
        &emu,
        "POST",
        "config",
        Some(r#"{"describeBackupShape":"dbCollections"}"#),
    );
    let d = ok(&api(&emu, "GET", &backup_path(D1, &b), None));
    assert!(d.get("collections").is_none());
    let groups = d["dbCollections"].as_array().unwrap();
    let analytics = groups.iter().find(|g| g["dbName"] == "analytics").unwrap();
    assert_eq!(analytics["collections"][0]["collectionName"], "events");
    assert_eq!(
        groups.iter().find(|g| g["dbName"] == "default").unwrap()["collections"]
            .as_array()
            .unwrap()
            .len(),
        3
    );

    let c = collection_backup(&emu, D1, "analytics", "events");
    let d = ok(&api(&emu, "GET", &backup_path(D1, &c), None));
    assert_eq!(d["backupType"], "COLLECTION");
    assert_eq!(d["dbCollections"].as_array().unwrap().len(), 1);
    control(
        &emu,
        "POST",
        "config",
        Some(r#"{"describeBackupShape":"collections"}"#),
    );
    let d = ok(&api(&emu, "GET", &backup_path(D1, &c), None));
    assert_eq!(d["collections"].as_array().unwrap().len(), 1);

    // Another cluster's backup, unknown ids, non-Dedicated clusters.
    err(&api(&emu, "GET", &backup_path(D2, &b), None), 80050);
    err(
        &api(&emu, "GET", &backup_path(D1, "backup9_nope"), None),
        80050,
    );
    err(
        &api(&emu, "GET", &backup_path("in01-nope", &b), None),
        80010,
    );
    err(&api(&emu, "GET", &backup_path(SERVERLESS, &b), None), 80020);
    let r = request(
        emu.addr(),
        "POST",
        "/__emulator/config",
        &[],
        Some(r#"{"describeBackupShape":"flat"}"#),
    );
    assert_eq!(r.status, 400);
}

#[test]
fn delete_backups() {
    let emu = start(0);
    let b = available_backup(&emu, D1);
    let name = list(&emu, "")["backups"][0]["backupName"]
        .as_str()
        .unwrap()
        .to_string();
    let d = ok(&api(&emu, "DELETE", &backup_path(D1, &b), None));
    assert_eq!(
        (d["backupId"].as_str(), d["backupName"].as_str()),
        (Some(b.as_str()), Some(name.as_str()))
    );
    // Still described, as DELETED; no longer listed; a second delete is refused.
    assert_eq!(
        ok(&api(&emu, "GET", &backup_path(D1, &b), None))["status"],
        "DELETED"
    );
    assert_eq!(list(&emu, "")["count"], 0);
    err(&api(&emu, "DELETE", &backup_path(D1, &b), None), 80050);
    assert_eq!(state_backup(&emu, &b).unwrap()["status"], "DELETED");
    assert!(state_backup(&emu, &b).unwrap()["deleteTime"].is_string());
    // Not from another cluster, not while CREATING.
    let other = available_backup(&emu, D2);
    err(&api(&emu, "DELETE", &backup_path(D1, &other), None), 80050);
    set_duration(&emu, 60_000);
    let running = ok(&create_cluster_backup(&emu, D1));
    err(
        &api(
            &emu,
            "DELETE",
            &backup_path(D1, running["backupId"].as_str().unwrap()),
            None,
        ),
        80051,
    );
    // A deleted backup cannot be restored or exported.
    err(
        &api(
            &emu,
            "POST",
            &format!("{}/export", backup_path(D1, &b)),
            Some(r#"{"integrationId":"integ-1"}"#),
        ),
        80050,
    );
    // Wrong method on the backup path.
    assert_eq!(
        api(&emu, "POST", &backup_path(D1, &b), Some("{}")).status,
        405
    );
}

#[test]
fn restore_cluster_with_both_field_generations() {
    let emu = start(200);
    let b = available_backup(&emu, D1);
    let path = format!("{}/restoreCluster", backup_path(D1, &b));
    let body = r#"{"targetProjectId":"proj-00000000000000000001","clusterName":"restored-a","cuSize":2,"collectionStatus":"KEEP"}"#;
    let d = ok(&api(&emu, "POST", &path, Some(body)));
    let new_id = d["clusterId"].as_str().unwrap().to_string();
    let hex = new_id.strip_prefix("in01-").unwrap();
    assert!(
        hex.len() == 16 && hex.chars().all(|c| c.is_ascii_hexdigit()),
        "{new_id}"
    );
    assert_eq!(d["username"], "db_admin");
    assert!(d["password"].as_str().unwrap().len() >= 16);
    let job_id = d["jobId"].as_str().unwrap().to_string();
    assert_eq!(job(&emu, &job_id)["type"], "RESTORE");
    let s = control(&emu, "GET", "state", None);
    let c = s["clusters"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["clusterId"] == new_id.as_str())
        .unwrap()
        .clone();
    assert_eq!(
        (c["plan"].as_str(), c["clusterName"].as_str()),
        (Some("Dedicated"), Some("restored-a"))
    );
    assert_eq!(c["databases"]["analytics"][0], "events");
    assert_eq!(c["restoredFrom"]["backupId"], b.as_str());
    let seen = poll_to_end(&emu, &job_id, Duration::from_secs(5));
    assert!(seen
        .iter()
        .any(|j| j["status"] == "IN_PROGRESS" || j["status"] == "PENDING"));
    assert_eq!(seen.last().unwrap()["status"], "SUCCESSFUL");
    // The new cluster is usable: it can be backed up.
    ok(&create_cluster_backup(&emu, &new_id));

    // The newer field name, and the optional version policy.
    let body = r#"{"projectId":"proj-00000000000000000001","clusterName":"restored-b","cuSize":1,"collectionStatus":"RELEASE","restoreVersionPolicy":"LATEST"}"#;
    let d2 = ok(&api(&emu, "POST", &path, Some(body)));
    assert_ne!(d2["clusterId"], d["clusterId"]);
    assert_ne!(d2["password"], d["password"]);

    // Validation.
    for bad in [
        r#"{"clusterName":"x","cuSize":1,"collectionStatus":"KEEP"}"#,
        r#"{"projectId":"proj-1","cuSize":1,"collectionStatus":"KEEP"}"#,
        r#"{"projectId":"proj-1","clusterName":"x","cuSize":0,"collectionStatus":"KEEP"}"#,
        r#"{"projectId":"proj-1","clusterName":"x","cuSize":"2","collectionStatus":"KEEP"}"#,
        r#"{"projectId":"proj-1","clusterName":"x","cuSize":1,"collectionStatus":"LOAD"}"#,
        r#"{"projectId":"proj-1","clusterName":"x","cuSize":1,"collectionStatus":"KEEP","restoreVersionPolicy":"NEWEST"}"#,
    ] {
        err(&api(&emu, "POST", &path, Some(bad)), 60002);
    }
    err(&api(&emu, "POST", &path, Some("[1]")), 60001);
    // The cluster name must be new (the docs' example error).
    err(
        &api(
            &emu,
            "POST",
            &path,
            Some(
                r#"{"projectId":"p","clusterName":"Dedicated-02","cuSize":1,"collectionStatus":"KEEP"}"#,
            ),
        ),
        40013,
    );
    // Only CLUSTER backups, only AVAILABLE ones.
    let c = collection_backup(&emu, D2, "default", "books");
    let cpath = format!("{}/restoreCluster", backup_path(D2, &c));
    err(
        &api(
            &emu,
            "POST",
            &cpath,
            Some(r#"{"projectId":"p","clusterName":"y","cuSize":1,"collectionStatus":"KEEP"}"#),
        ),
        80052,
    );
    set_duration(&emu, 60_000);
    let running = ok(&create_cluster_backup(&emu, D2));
    let rpath = format!(
        "{}/restoreCluster",
        backup_path(D2, running["backupId"].as_str().unwrap())
    );
    err(
        &api(
            &emu,
            "POST",
            &rpath,
            Some(r#"{"projectId":"p","clusterName":"z","cuSize":1,"collectionStatus":"KEEP"}"#),
        ),
        80051,
    );
    assert_eq!(api(&emu, "GET", &path, None).status, 405);
}

fn restore_collection(
    emu: &zilliz_cloud_emulator::EmulatorHandle,
    cluster: &str,
    backup: &str,
    body: &str,
) -> Resp {
    api(
        emu,
        "POST",
        &format!("{}/restoreCollection", backup_path(cluster, backup)),
        Some(body),
    )
}

fn has_collection(
    emu: &zilliz_cloud_emulator::EmulatorHandle,
    cluster: &str,
    db: &str,
    coll: &str,
) -> bool {
    let s = control(emu, "GET", "state", None);
    let c = s["clusters"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["clusterId"] == cluster)
        .unwrap()
        .clone();
    c["databases"][db]
        .as_array()
        .is_some_and(|cols| cols.iter().any(|x| x == coll))
}

#[test]
fn restore_collection_current_generation() {
    let emu = start(0);
    let b = available_backup(&emu, D1);
    set_duration(&emu, 300);
    let body = format!(
        r#"{{"destClusterId":"{D2}","dbCollections":[{{"dbName":"default","destDbName":"default","collections":[{{"collectionName":"books","destCollectionName":"books_copy","destCollectionStatus":"LOADED"}}]}}]}}"#
    );
    let d = ok(&restore_collection(&emu, D1, &b, &body));
    let job_id = d["jobId"].as_str().unwrap();
    assert_eq!(job(&emu, job_id)["type"], "RESTORE");
    // Not there until the job succeeds; the name is claimed meanwhile.
    assert!(!has_collection(&emu, D2, "default", "books_copy"));
    err(&restore_collection(&emu, D1, &b, &body), 60006);
    let seen = poll_to_end(&emu, job_id, Duration::from_secs(5));
    assert_eq!(seen.last().unwrap()["status"], "SUCCESSFUL");
    assert!(has_collection(&emu, D2, "default", "books_copy"));
    // Now it exists: a second restore under that name is refused; the restored collection can be backed up.
    err(&restore_collection(&emu, D1, &b, &body), 60006);
    let c = ok(&api(
        &emu,
        "POST",
        &format!("/v2/clusters/{D2}/backups/create"),
        Some(r#"{"backupType":"COLLECTION","dbCollections":[{"collectionNames":["books_copy"]}]}"#),
    ));
    poll_to_end(&emu, c["jobId"].as_str().unwrap(), Duration::from_secs(5));

    // A collection of another database, restored into a new database.
    set_duration(&emu, 0);
    let body = format!(
        r#"{{"destClusterId":"{D2}","dbCollections":[{{"dbName":"analytics","destDbName":"archive","collections":[{{"collectionName":"events","destCollectionName":"events_2024","destCollectionStatus":"UNLOADED"}}]}}]}}"#
    );
    let d = ok(&restore_collection(&emu, D1, &b, &body));
    poll_to_end(&emu, d["jobId"].as_str().unwrap(), Duration::from_secs(5));
    assert!(has_collection(&emu, D2, "archive", "events_2024"));

    // Rules.
    let one = |coll: &str, dest: &str, dest_cluster: &str| {
        format!(
            r#"{{"destClusterId":"{dest_cluster}","dbCollections":[{{"collections":[{{"collectionName":"{coll}","destCollectionName":"{dest}","destCollectionStatus":"LOADED"}}]}}]}}"#
        )
    };
    err(
        &restore_collection(&emu, D1, &b, &one("movies", "movies", D1)),
        60006,
    ); // exists in the destination
    err(
        &restore_collection(&emu, D1, &b, &one("nope", "x1", D2)),
        60005,
    ); // not in the backup
    err(
        &restore_collection(&emu, D1, &b, &one("books", "x2", "in01-nope")),
        80010,
    );
    err(
        &restore_collection(&emu, D1, &b, &one("books", "x3", SERVERLESS)),
        80020,
    );
    err(
        &restore_collection(&emu, D1, &b, &one("books", "9bad-name", D2)),
        60002,
    );
    let two = format!(
        r#"{{"destClusterId":"{D2}","dbCollections":[{{"collections":[{{"collectionName":"books","destCollectionName":"a"}},{{"collectionName":"movies","destCollectionName":"b"}}]}}]}}"#
    );
    err(&restore_collection(&emu, D1, &b, &two), 60002);
    let two_groups = format!(
        r#"{{"destClusterId":"{D2}","dbCollections":[{{"collections":[{{"collectionName":"books","destCollectionName":"a"}}]}},{{"dbName":"analytics","collections":[{{"collectionName":"events","destCollectionName":"b"}}]}}]}}"#
    );
    err(&restore_collection(&emu, D1, &b, &two_groups), 60002);
    err(
        &restore_collection(&emu, D1, &b, &format!(r#"{{"destClusterId":"{D2}"}}"#)),
        60002,
    );
    err(
        &restore_collection(&emu, D1, &b, r#"{"dbCollections":[]}"#),
        60002,
    );
    // A COLLECTION backup only holds its collection.
    let c = collection_backup(&emu, D1, "default", "movies");
    err(
        &restore_collection(&emu, D1, &c, &one("books", "books_from_c", D2)),
        60005,
    );
    ok(&restore_collection(
        &emu,
        D1,
        &c,
        &one("movies", "movies_from_c", D2),
    ));
    // The backup must be AVAILABLE.
    set_duration(&emu, 60_000);
    let running = ok(&create_cluster_backup(&emu, "in01-0000000000000002"));
    err(
        &restore_collection(
            &emu,
            D2,
            running["backupId"].as_str().unwrap(),
            &one("books", "q", D1),
        ),
        80051,
    );
}

#[test]
fn restore_collection_older_generation() {
    let emu = start(0);
    let b = available_backup(&emu, D1);
    let body = format!(
        r#"{{"targetProjectId":"proj-00000000000000000001","targetClusterId":"{D2}","collections":[{{"collectionName":"books","targetCollectionName":"books_old","targetCollectionStatus":"UNLOADED"}}]}}"#
    );
    let d = ok(&restore_collection(&emu, D1, &b, &body));
    poll_to_end(&emu, d["jobId"].as_str().unwrap(), Duration::from_secs(5));
    assert!(has_collection(&emu, D2, "default", "books_old"));
    // The fields at the top level.
    let body = format!(
        r#"{{"targetClusterId":"{D2}","collectionName":"movies","targetCollectionName":"movies_old","targetCollectionStatus":"LOADED"}}"#
    );
    let d = ok(&restore_collection(&emu, D1, &b, &body));
    poll_to_end(&emu, d["jobId"].as_str().unwrap(), Duration::from_secs(5));
    assert!(has_collection(&emu, D2, "default", "movies_old"));
    // A project that does not hold the target cluster.
    let body = format!(
        r#"{{"targetProjectId":"proj-elsewhere","targetClusterId":"{D2}","collections":[{{"collectionName":"books","targetCollectionName":"b3"}}]}}"#
    );
    err(&restore_collection(&emu, D1, &b, &body), 80010);
    let body = format!(
        r#"{{"targetClusterId":"{D2}","collections":[{{"collectionName":"books","targetCollectionName":"b4","targetCollectionStatus":"HOT"}}]}}"#
    );
    err(&restore_collection(&emu, D1, &b, &body), 60002);
}

#[test]
fn a_failed_restore_leaves_no_collection() {
    let emu = start(0);
    let b = available_backup(&emu, D1);
    set_duration(&emu, 200);
    let r = request(
        emu.addr(),
        "POST",
        &format!("/__emulator/clusters/{D1}/fail-next-job"),
        &[],
        Some(r#"{"type":"BACKUP"}"#),
    );
    assert_eq!(r.status, 400);
    let armed = control(
        &emu,
        "POST",
        &format!("clusters/{D1}/fail-next-job"),
        Some(r#"{"type":"RESTORE","reason":"disk full","atProgress":40}"#),
    );
    assert_eq!(armed["atProgress"], 40);
    // An export does not consume a RESTORE plan.
    let e = ok(&api(
        &emu,
        "POST",
        &format!("{}/export", backup_path(D1, &b)),
        Some(r#"{"integrationId":"integ-abc"}"#),
    ));
    let body = format!(
        r#"{{"destClusterId":"{D2}","dbCollections":[{{"collections":[{{"collectionName":"books","destCollectionName":"doomed"}}]}}]}}"#
    );
    let d = ok(&restore_collection(&emu, D1, &b, &body));
    let seen = poll_to_end(&emu, d["jobId"].as_str().unwrap(), Duration::from_secs(5));
    let last = seen.last().unwrap();
    assert_eq!(
        (
            last["status"].as_str(),
            last["progress"].as_str(),
            last["reason"].as_str()
        ),
        (Some("FAILED"), Some("40"), Some("disk full"))
    );
    assert!(last["endTime"].is_string());
    assert!(!has_collection(&emu, D2, "default", "doomed"));
    assert_eq!(
        poll_to_end(&emu, e["jobId"].as_str().unwrap(), Duration::from_secs(5))
            .last()
            .unwrap()["status"],
        "SUCCESSFUL"
    );
    // The name is free again.
    set_duration(&emu, 0);
    let d = ok(&restore_collection(&emu, D1, &b, &body));
    poll_to_end(&emu, d["jobId"].as_str().unwrap(), Duration::from_secs(5));
    assert!(has_collection(&emu, D2, "default", "doomed"));
    // The generic job-fail control works on restore jobs too.
    set_duration(&emu, 60_000);
    let body = r#"{"projectId":"p","clusterName":"never","cuSize":1,"collectionStatus":"KEEP"}"#;
    let d = ok(&api(
        &emu,
        "POST",
        &format!("{}/restoreCluster", backup_path(D1, &b)),
        Some(body),
    ));
    let failed = control(
        &emu,
        "POST",
        &format!("jobs/{}/fail", d["jobId"].as_str().unwrap()),
        Some(r#"{"reason":"quota"}"#),
    );
    assert_eq!(
        (failed["type"].as_str(), failed["status"].as_str()),
        (Some("RESTORE"), Some("FAILED"))
    );
    let s = control(&emu, "GET", "state", None);
    let c = s["clusters"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["clusterId"] == d["clusterId"])
        .unwrap()
        .clone();
    assert_eq!(c["status"], "RESTORE_FAILED");
}

#[test]
fn export_jobs() {
    let emu = start(0);
    let b = available_backup(&emu, D1);
    set_duration(&emu, 200);
    let path = format!("{}/export", backup_path(D1, &b));
    let d = ok(&api(
        &emu,
        "POST",
        &path,
        Some(r#"{"integrationId":"integ-0123456789abcdef","directory":"exports/2024"}"#),
    ));
    let job_id = d["jobId"].as_str().unwrap();
    assert!(job_id.starts_with("job-"));
    let seen = poll_to_end(&emu, job_id, Duration::from_secs(5));
    assert!(seen.iter().all(|j| j["type"] == "EXPORT"));
    assert_eq!(seen.last().unwrap()["status"], "SUCCESSFUL");
    ok(&api(
        &emu,
        "POST",
        &path,
        Some(r#"{"integrationId":"integ-x"}"#),
    ));
    err(&api(&emu, "POST", &path, Some("{}")), 60002);
    err(
        &api(
            &emu,
            "POST",
            &path,
            Some(r#"{"integrationId":"integ-1","directory":5}"#),
        ),
        60002,
    );
    err(
        &api(
            &emu,
            "POST",
            &path,
            Some(r#"{"integrationId":"s3-bucket"}"#),
        ),
        80060,
    );
    err(&api(&emu, "POST", &path, Some("nope")), 60001);
    err(
        &api(
            &emu,
            "POST",
            &format!("{}/export", backup_path(D1, "backup7_nope")),
            Some(r#"{"integrationId":"integ-1"}"#),
        ),
        80050,
    );
    // fail-next-job with no type takes the next RESTORE or EXPORT job.
    control(
        &emu,
        "POST",
        &format!("clusters/{D1}/fail-next-job"),
        Some(r#"{"atProgress":0}"#),
    );
    let d = ok(&api(
        &emu,
        "POST",
        &path,
        Some(r#"{"integrationId":"integ-1"}"#),
    ));
    let last = poll_to_end(&emu, d["jobId"].as_str().unwrap(), Duration::from_secs(5))
        .pop()
        .unwrap();
    assert_eq!(
        (last["status"].as_str(), last["progress"].as_str()),
        (Some("FAILED"), Some("0"))
    );
    assert!(!last["reason"].as_str().unwrap().is_empty());
    // Unknown sub-resource of a backup.
    assert_eq!(
        api(
            &emu,
            "POST",
            &format!("{}/copy", backup_path(D1, &b)),
            Some("{}")
        )
        .status,
        404
    );
}

#[test]
fn policy_get_set_and_validation() {
    let emu = start(60_000);
    let path = format!("/v2/clusters/{D1}/backups/policy");
    let d = ok(&api(&emu, "GET", &path, None));
    assert_eq!(d["clusterId"], D1);
    assert_eq!(
        (d["status"].as_str(), d["retentionDays"].as_u64()),
        (Some("DISABLED"), Some(0))
    );
    assert!(d["startTime"].is_null() && d["frequency"].is_null());

    for bad in [
        r#"{}"#,
        r#"{"enabled":"true"}"#,
        r#"{"enabled":true,"frequency":"1,8"}"#,
        r#"{"enabled":true,"frequency":"0"}"#,
        r#"{"enabled":true,"frequency":"1,1"}"#,
        r#"{"enabled":true,"frequency":"mon"}"#,
        r#"{"enabled":true,"frequency":""}"#,
        r#"{"enabled":true,"frequency":[1,2]}"#,
        r#"{"enabled":true,"startTime":"02:00-05:00"}"#,
        r#"{"enabled":true,"startTime":"02:30-04:30"}"#,
        r#"{"enabled":true,"startTime":"24:00-02:00"}"#,
        r#"{"enabled":true,"startTime":"2:00-4:00"}"#,
        r#"{"enabled":true,"retentionDays":0}"#,
        r#"{"enabled":true,"retentionDays":31}"#,
        r#"{"enabled":true,"retentionDays":1.5}"#,
        r#"{"enabled":true,"crossRegionCopies":[{}]}"#,
        r#"{"enabled":true,"crossRegionCopies":[{"regionId":"aws-us-east-1","retentionDays":40}]}"#,
    ] {
        err(&api(&emu, "POST", &path, Some(bad)), 60002);
    }
    err(&api(&emu, "POST", &path, Some("[]")), 60001);
    err(
        &api(
            &emu,
            "GET",
            &format!("/v2/clusters/{SERVERLESS}/backups/policy"),
            None,
        ),
        80020,
    );
    err(
        &api(
            &emu,
            "POST",
            "/v2/clusters/in01-nope/backups/policy",
            Some(r#"{"enabled":true}"#),
        ),
        80010,
    );
    // Nothing was recorded or triggered by the refused calls.
    assert_eq!(list(&emu, "")["count"], 0);

    let d = ok(&api(
        &emu,
        "POST",
        &path,
        Some(
            r#"{"enabled":true,"frequency":"5,1,3","startTime":"23:00-01:00","retentionDays":30,"crossRegionCopies":[{"regionId":"aws-us-east-1","retentionDays":3}]}"#,
        ),
    ));
    assert_eq!(
        (d["clusterId"].as_str(), d["status"].as_str()),
        (Some(D1), Some("ENABLED"))
    );
    let d = ok(&api(&emu, "GET", &path, None));
    assert_eq!(
        (
            d["status"].as_str(),
            d["frequency"].as_str(),
            d["startTime"].as_str(),
            d["retentionDays"].as_u64()
        ),
        (
            Some("ENABLED"),
            Some("1,3,5"),
            Some("23:00-01:00"),
            Some(30)
        )
    );
    assert_eq!(d["crossRegionCopies"][0]["regionId"], "aws-us-east-1");
    // A partial update keeps the other fields and does not trigger another backup.
    ok(&api(
        &emu,
        "POST",
        &path,
        Some(r#"{"enabled":true,"retentionDays":7}"#),
    ));
    let d = ok(&api(&emu, "GET", &path, None));
    assert_eq!(
        (d["frequency"].as_str(), d["retentionDays"].as_u64()),
        (Some("1,3,5"), Some(7))
    );
    assert_eq!(list(&emu, "?creationMethod=AUTO")["count"], 1);
    let s = control(&emu, "GET", "state", None);
    assert_eq!(s["policies"][0]["clusterId"], D1);

    let d = ok(&api(&emu, "POST", &path, Some(r#"{"enabled":false}"#)));
    assert_eq!(d["status"], "DISABLED");
    let d = ok(&api(&emu, "GET", &path, None));
    assert_eq!(
        (d["status"].as_str(), d["retentionDays"].as_u64()),
        (Some("DISABLED"), Some(0))
    );
    assert!(d["startTime"].is_null() && d["frequency"].is_null());
    assert_eq!(api(&emu, "DELETE", &path, None).status, 405);
}

#[test]
fn enabling_a_policy_triggers_one_automatic_backup() {
    let emu = start(300);
    let path = format!("/v2/clusters/{D1}/backups/policy");
    // A running manual backup does not stop the automatic one.
    let manual = ok(&create_cluster_backup(&emu, D1));
    ok(&api(
        &emu,
        "POST",
        &path,
        Some(r#"{"enabled":true,"retentionDays":3}"#),
    ));
    let autos = list(&emu, "?creationMethod=AUTO");
    assert_eq!(autos["count"], 1);
    let a = autos["backups"][0].clone();
    assert_eq!(
        (
            a["backupType"].as_str(),
            a["status"].as_str(),
            a["clusterId"].as_str()
        ),
        (Some("CLUSTER"), Some("CREATING"), Some(D1))
    );
    // expireTime = createTime + retention.
    let created = a["createTime"].as_str().unwrap();
    let expire = a["expireTime"].as_str().unwrap();
    let day = |s: &str| s[8..10].parse::<u32>().unwrap();
    assert!(
        expire > created && (day(expire) + 31 - day(created)) % 31 >= 2,
        "{created} {expire}"
    );
    assert_eq!(&expire[10..], &created[10..]);
    let state_auto = state_backup(&emu, a["backupId"].as_str().unwrap()).unwrap();
    let auto_job = state_auto["jobId"].as_str().unwrap().to_string();
    assert_eq!(job(&emu, &auto_job)["type"], "BACKUP");
    poll_to_end(
        &emu,
        manual["jobId"].as_str().unwrap(),
        Duration::from_secs(5),
    );
    poll_to_end(&emu, &auto_job, Duration::from_secs(5));
    assert_eq!(
        list(&emu, "?creationMethod=AUTO")["backups"][0]["status"],
        "AVAILABLE"
    );

    // A manual create while an automatic backup runs is refused (a code of its own).
    ok(&api(&emu, "POST", &path, Some(r#"{"enabled":false}"#)));
    set_duration(&emu, 60_000);
    ok(&api(&emu, "POST", &path, Some(r#"{"enabled":true}"#)));
    err(&create_cluster_backup(&emu, D1), 80031);
    // Other clusters are not affected.
    ok(&create_cluster_backup(&emu, D2));
    assert_eq!(list(&emu, "?creationMethod=AUTO")["count"], 2);
}
