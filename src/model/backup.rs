//! Backups: create (`POST …/backups/create`), list (`GET /v2/backups`), describe and delete
//! (`GET`/`DELETE /v2/clusters/{CLUSTER_ID}/backups/{BACKUP_ID}`).

use super::open_enum::open_enum;
use crate::error::{Error, ErrorKind};
use crate::waiter::{Phase, Watched};
use serde::{Deserialize, Serialize};

/// What to back up. `backupType` is kept as a string so a wrong value gets our own message
/// (naming the field and the allowed values) from `validate`, not a generic decoding error.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct CreateBackupRequest {
    pub backup_type: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub db_collections: Option<Vec<DbCollections>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cross_region_copies: Option<Vec<CrossRegionCopy>>,
}

/// Collections of one database. A missing `dbName` means the `default` database.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct DbCollections {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub db_name: Option<String>,
    pub collection_names: Vec<String>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct CrossRegionCopy {
    pub region_id: String,
}

/// The backup the server started, and the job that builds it.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct CreatedBackup {
    pub backup_id: String,
    pub backup_name: String,
    pub job_id: String,
}

open_enum! {
    /// A backup's status (lists show only CREATING and AVAILABLE).
    BackupStatus {
        Creating = "CREATING",
        Available = "AVAILABLE",
        Deleted = "DELETED",
    }
}

/// A backup, from the list or from describe. Fields the list omits are `None`.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", from = "RawBackup")]
pub struct Backup {
    pub backup_id: String,
    pub backup_name: Option<String>,
    pub backup_type: Option<String>,
    /// MANUAL or AUTO.
    pub creation_method: Option<String>,
    pub status: BackupStatus,
    /// Bytes.
    pub size: Option<f64>,
    pub create_time: Option<String>,
    pub expire_time: Option<String>,
    pub cluster_id: Option<String>,
    pub cluster_name: Option<String>,
    pub project_id: Option<String>,
    pub region_id: Option<String>,
    /// What the backup holds (describe only), flattened from either documented shape.
    pub collections: Option<Vec<BackupCollection>>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct BackupCollection {
    /// `None` when the server used the older, ungrouped shape.
    #[serde(default)]
    pub db_name: Option<String>,
    pub collection_name: String,
    #[serde(default)]
    pub description: Option<String>,
    /// LOADED or UNLOADED.
    #[serde(default)]
    pub status: Option<String>,
}

/// Both documented shapes of describe-backup contents: older docs list `collections`, newer
/// ones group them as `dbCollections: [{dbName, collections}]`.
#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct RawBackup {
    backup_id: String,
    #[serde(default)]
    backup_name: Option<String>,
    #[serde(default)]
    backup_type: Option<String>,
    #[serde(default)]
    creation_method: Option<String>,
    status: BackupStatus,
    #[serde(default)]
    size: Option<f64>,
    #[serde(default)]
    create_time: Option<String>,
    #[serde(default)]
    expire_time: Option<String>,
    #[serde(default)]
    cluster_id: Option<String>,
    #[serde(default)]
    cluster_name: Option<String>,
    #[serde(default)]
    project_id: Option<String>,
    #[serde(default)]
    region_id: Option<String>,
    #[serde(default)]
    collections: Option<Vec<BackupCollection>>,
    #[serde(default)]
    db_collections: Option<Vec<RawDbCollections>>,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct RawDbCollections {
    #[serde(default)]
    db_name: Option<String>,
    #[serde(default)]
    collections: Vec<BackupCollection>,
}

impl From<RawBackup> for Backup {
    fn from(r: RawBackup) -> Self {
        let grouped = r.db_collections.map(|groups| {
            groups
                .into_iter()
                .flat_map(|g| {
                    let db = g.db_name;
                    g.collections.into_iter().map(move |c| BackupCollection { db_name: c.db_name.or_else(|| db.clone()), ..c })
                })
                .collect()
        });
        Backup {
            backup_id: r.backup_id,
            backup_name: r.backup_name,
            backup_type: r.backup_type,
            creation_method: r.creation_method,
            status: r.status,
            size: r.size,
            create_time: r.create_time,
            expire_time: r.expire_time,
            cluster_id: r.cluster_id,
            cluster_name: r.cluster_name,
            project_id: r.project_id,
            region_id: r.region_id,
            collections: grouped.or(r.collections),
        }
    }
}

impl Watched for Backup {
    fn phase(&self) -> Phase {
        match self.status {
            BackupStatus::Available => Phase::Succeeded,
            BackupStatus::Deleted => Phase::Failed,
            _ => Phase::Running,
        }
    }
    fn progress(&self) -> Option<f64> {
        None
    }
    fn differs_from(&self, other: &Self) -> bool {
        self.status != other.status || self.size != other.size
    }
    fn summary(&self) -> String {
        self.status.as_str().to_owned()
    }
    fn failure(self) -> Error {
        let mut e = Error::new(ErrorKind::JobFailed, format!("backup {} was deleted before it became available", self.backup_id));
        e.backup_id = Some(self.backup_id);
        e
    }
}

/// One page of `GET /v2/backups`.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct BackupPage {
    /// The docs do not say whether this is the total or this page's count.
    #[serde(default)]
    pub count: f64,
    #[serde(default)]
    pub current_page: u32,
    #[serde(default)]
    pub page_size: u32,
    #[serde(default)]
    pub backups: Vec<Backup>,
}

impl BackupPage {
    /// The page to ask for next, or `None` after the last one. `count` may be the total or
    /// this page's size (undocumented): a short page is always the last; a count larger than
    /// the page is a total; a full page whose count equals its size is ambiguous, so the next
    /// page is asked for (an empty page then ends the listing: one extra request at most).
    pub fn next_page(&self, requested_page: u32, requested_size: u32) -> Option<u32> {
        let got = self.backups.len() as f64;
        let size = requested_size.max(1) as f64;
        if got < size {
            return None;
        }
        if self.count > got && requested_page as f64 * size >= self.count {
            return None;
        }
        Some(requested_page + 1)
    }
}

/// `DELETE …/backups/{BACKUP_ID}`.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct DeletedBackup {
    pub backup_id: String,
    #[serde(default)]
    pub backup_name: Option<String>,
}

/// Filters of `GET /v2/backups`, as the caller gives them (checked by `validate`).
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct ListBackupsQuery {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub project_id: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cluster_id: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub creation_method: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub backup_type: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub start_time: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub end_time: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub page_size: Option<f64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub current_page: Option<f64>,
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::json;

    #[test]
    fn request_round_trips_with_wire_names() {
        let text = r#"{"backupType":"COLLECTION","dbCollections":[{"dbName":"default","collectionNames":["medium_articles"]}]}"#;
        let req: CreateBackupRequest = json::decode(&json::parse(text).unwrap()).unwrap();
        assert_eq!(json::to_string(&req).unwrap(), text);
        let cluster = CreateBackupRequest { backup_type: "CLUSTER".into(), db_collections: None, cross_region_copies: None };
        assert_eq!(json::to_string(&cluster).unwrap(), r#"{"backupType":"CLUSTER"}"#);
    }

    #[test]
    fn misspelled_fields_are_refused() {
        for text in [
            r#"{"backupType":"CLUSTER","dbCollection":[]}"#,
            r#"{"backupTyp":"CLUSTER"}"#,
            r#"{"backupType":"COLLECTION","dbCollections":[{"dbname":"x","collectionNames":["a"]}]}"#,
            r#"{"backupType":"CLUSTER","crossRegionCopies":[{"region":"aws-us-west-2"}]}"#,
        ] {
            let err = json::decode::<CreateBackupRequest>(&json::parse(text).unwrap()).unwrap_err();
            assert!(err.contains("unknown field") || err.contains("missing field"), "{text}: {err}");
        }
    }

    fn backup(text: &str) -> Backup {
        json::decode(&json::parse(text).unwrap()).unwrap()
    }

    #[test]
    fn describe_accepts_both_content_shapes() {
        let old = backup(r#"{"backupId":"b1","status":"AVAILABLE","size":112,"collections":[{"collectionName":"a","description":"","status":"LOADED"}]}"#);
        let c = old.collections.unwrap();
        assert_eq!((c[0].collection_name.as_str(), c[0].db_name.as_deref()), ("a", None));
        let new = backup(r#"{"backupId":"b1","status":"AVAILABLE","dbCollections":[{"dbName":"default","collections":[{"collectionName":"a","status":"UNLOADED"},{"collectionName":"b"}]},{"dbName":"x","collections":[{"collectionName":"c"}]}]}"#);
        let names: Vec<(String, String)> = new.collections.unwrap().into_iter().map(|c| (c.db_name.unwrap(), c.collection_name)).collect();
        assert_eq!(names, vec![("default".into(), "a".into()), ("default".into(), "b".into()), ("x".into(), "c".into())]);
    }

    #[test]
    fn list_example_and_unknown_status() {
        let page: BackupPage = json::decode(&json::parse(r#"{"count":1,"currentPage":1,"pageSize":10,"backups":[{"projectId":"proj-x","backupId":"backupx_x","backupName":"Dedicated-01_backup1","backupType":"CLUSTER","creationMethod":"AUTO","size":112,"expireTime":"2024-08-30T16:49:50Z","clusterId":"inxx-x","clusterName":"Dedicated-01","createTime":"2024-07-30T16:49:50Z","status":"AVAILABLE"}]}"#).unwrap()).unwrap();
        assert_eq!(page.backups[0].status, BackupStatus::Available);
        assert_eq!(page.backups[0].size, Some(112.0));
        assert_eq!(backup(r#"{"backupId":"b","status":"ARCHIVING"}"#).status.as_str(), "ARCHIVING");
    }

    fn page(count: f64, n: usize) -> BackupPage {
        let b = backup(r#"{"backupId":"b","status":"AVAILABLE"}"#);
        BackupPage { count, current_page: 0, page_size: 0, backups: vec![b; n] }
    }

    #[test]
    fn paging_stops_on_the_last_page_whatever_count_means() {
        // count is the total (25 backups, pages of 10)
        assert_eq!(page(25.0, 10).next_page(1, 10), Some(2));
        assert_eq!(page(25.0, 10).next_page(2, 10), Some(3));
        assert_eq!(page(25.0, 5).next_page(3, 10), None);
        assert_eq!(page(20.0, 10).next_page(2, 10), None, "a total that ends on a page boundary");
        // count is the page's size
        assert_eq!(page(10.0, 10).next_page(1, 10), Some(2), "ambiguous: ask for the next page");
        assert_eq!(page(5.0, 5).next_page(2, 10), None);
        assert_eq!(page(0.0, 0).next_page(3, 10), None, "an empty page ends it");
    }

    #[test]
    fn response_decodes_the_documented_example() {
        let text = r#"{"backupId":"backup0_c7b18539b97xxxx","backupName":"Dedicated-01_backup2","jobId":"job-031a8e3587ba7zqkadxxxx"}"#;
        let b: CreatedBackup = json::decode(&json::parse(text).unwrap()).unwrap();
        assert_eq!(b.job_id, "job-031a8e3587ba7zqkadxxxx");
        assert_eq!(b.backup_name, "Dedicated-01_backup2");
    }
}
