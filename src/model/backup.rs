//! Backups: create (`POST …/backups/create`), list (`GET /v2/backups`), describe and delete
//! (`GET`/`DELETE /v2/clusters/{CLUSTER_ID}/backups/{BACKUP_ID}`).

use super::open_enum::open_enum;
use crate::error::{Error, ErrorKind};
use crate::json::{Fields, FromJson, Obj, Path, Problem, ToJson, Value};
use crate::waiter::{Phase, Watched};

/// What to back up. `backupType` is kept as a string so a wrong value gets our own message
/// (naming the field and the allowed values) from `validate`, not a generic decoding error.
#[derive(Clone, Debug, PartialEq)]
pub struct CreateBackupRequest {
    pub backup_type: String,
    pub db_collections: Option<Vec<DbCollections>>,
    pub cross_region_copies: Option<Vec<CrossRegionCopy>>,
}

impl FromJson for CreateBackupRequest {
    fn from_json(value: &Value, at: Path) -> Result<Self, Problem> {
        let f = Fields::strict(value, at, &["backupType", "dbCollections", "crossRegionCopies"])?;
        let request = CreateBackupRequest { backup_type: f.req("backupType"), db_collections: f.opt("dbCollections"), cross_region_copies: f.opt("crossRegionCopies") };
        f.done(request)
    }
}

impl ToJson for CreateBackupRequest {
    fn write_json(&self, out: &mut String) {
        Obj::write(out, |o| {
            o.field("backupType", &self.backup_type).field_if("dbCollections", &self.db_collections).field_if("crossRegionCopies", &self.cross_region_copies);
        });
    }
}

/// Collections of one database. A missing `dbName` means the `default` database.
#[derive(Clone, Debug, PartialEq)]
pub struct DbCollections {
    pub db_name: Option<String>,
    pub collection_names: Vec<String>,
}

impl FromJson for DbCollections {
    fn from_json(value: &Value, at: Path) -> Result<Self, Problem> {
        let f = Fields::strict(value, at, &["dbName", "collectionNames"])?;
        let db = DbCollections { db_name: f.opt("dbName"), collection_names: f.req("collectionNames") };
        f.done(db)
    }
}

impl ToJson for DbCollections {
    fn write_json(&self, out: &mut String) {
        Obj::write(out, |o| {
            o.field_if("dbName", &self.db_name).field("collectionNames", &self.collection_names);
        });
    }
}

#[derive(Clone, Debug, PartialEq)]
pub struct CrossRegionCopy {
    pub region_id: String,
}

impl FromJson for CrossRegionCopy {
    fn from_json(value: &Value, at: Path) -> Result<Self, Problem> {
        let f = Fields::strict(value, at, &["regionId"])?;
        let copy = CrossRegionCopy { region_id: f.req("regionId") };
        f.done(copy)
    }
}

impl ToJson for CrossRegionCopy {
    fn write_json(&self, out: &mut String) {
        Obj::write(out, |o| {
            o.field("regionId", &self.region_id);
        });
    }
}

/// The backup the server started, and the job that builds it.
#[derive(Clone, Debug, PartialEq)]
pub struct CreatedBackup {
    pub backup_id: String,
    pub backup_name: String,
    pub job_id: String,
}

impl FromJson for CreatedBackup {
    fn from_json(value: &Value, at: Path) -> Result<Self, Problem> {
        let f = Fields::of(value, at)?;
        let created = CreatedBackup { backup_id: f.req("backupId"), backup_name: f.req("backupName"), job_id: f.req("jobId") };
        f.done(created)
    }
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
#[derive(Clone, Debug, PartialEq)]
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

impl FromJson for Backup {
    /// Both documented shapes of describe-backup contents: older docs list `collections`,
    /// newer ones group them as `dbCollections: [{dbName, collections}]`.
    fn from_json(value: &Value, at: Path) -> Result<Self, Problem> {
        let f = Fields::of(value, at)?;
        let grouped = match f.value("dbCollections") {
            Some(groups) => Some(flatten_groups(groups, Path::Key(&at, "dbCollections"))?),
            None => None,
        };
        let backup = Backup {
            backup_id: f.req("backupId"),
            backup_name: f.opt("backupName"),
            backup_type: f.opt("backupType"),
            creation_method: f.opt("creationMethod"),
            status: f.req("status"),
            size: f.opt("size"),
            create_time: f.opt("createTime"),
            expire_time: f.opt("expireTime"),
            cluster_id: f.opt("clusterId"),
            cluster_name: f.opt("clusterName"),
            project_id: f.opt("projectId"),
            region_id: f.opt("regionId"),
            collections: match grouped {
                Some(g) => Some(g),
                None => f.opt("collections"),
            },
        };
        f.done(backup)
    }
}

/// `[{dbName, collections: [...]}]` → one list, each collection with its database's name.
fn flatten_groups(groups: &Value, at: Path) -> Result<Vec<BackupCollection>, Problem> {
    let Value::Array(groups) = groups else { return Err(Problem::wrong_type(at, "a list", groups)) };
    let mut all = Vec::new();
    for (i, group) in groups.iter().enumerate() {
        let at = Path::Index(&at, i);
        let g = Fields::of(group, at)?;
        let db: Option<String> = g.opt("dbName");
        let collections: Option<Vec<BackupCollection>> = g.opt("collections");
        for c in g.done(collections)?.unwrap_or_default() {
            all.push(BackupCollection { db_name: c.db_name.or_else(|| db.clone()), ..c });
        }
    }
    Ok(all)
}

impl ToJson for Backup {
    fn write_json(&self, out: &mut String) {
        Obj::write(out, |o| {
            o.field("backupId", &self.backup_id)
                .field("backupName", &self.backup_name)
                .field("backupType", &self.backup_type)
                .field("creationMethod", &self.creation_method)
                .field("status", &self.status)
                .field("size", &self.size)
                .field("createTime", &self.create_time)
                .field("expireTime", &self.expire_time)
                .field("clusterId", &self.cluster_id)
                .field("clusterName", &self.cluster_name)
                .field("projectId", &self.project_id)
                .field("regionId", &self.region_id)
                .field("collections", &self.collections);
        });
    }
}

#[derive(Clone, Debug, PartialEq)]
pub struct BackupCollection {
    /// `None` when the server used the older, ungrouped shape.
    pub db_name: Option<String>,
    pub collection_name: String,
    pub description: Option<String>,
    /// LOADED or UNLOADED.
    pub status: Option<String>,
}

impl FromJson for BackupCollection {
    fn from_json(value: &Value, at: Path) -> Result<Self, Problem> {
        let f = Fields::of(value, at)?;
        let collection = BackupCollection { db_name: f.opt("dbName"), collection_name: f.req("collectionName"), description: f.opt("description"), status: f.opt("status") };
        f.done(collection)
    }
}

impl ToJson for BackupCollection {
    fn write_json(&self, out: &mut String) {
        Obj::write(out, |o| {
            o.field("dbName", &self.db_name).field("collectionName", &self.collection_name).field("description", &self.description).field("status", &self.status);
        });
    }
}

impl Watched for Backup {
    const NOUN: &'static str = "backup";
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
        let mut e = Error::new(ErrorKind::JobFailed, crate::text::cat(&["backup ", &self.backup_id, " was deleted before it became available"]));
        e.backup_id = Some(self.backup_id);
        e
    }
}

/// One page of `GET /v2/backups`.
#[derive(Clone, Debug, PartialEq)]
pub struct BackupPage {
    /// The docs do not say whether this is the total or this page's count.
    pub count: f64,
    pub current_page: u32,
    pub page_size: u32,
    pub backups: Vec<Backup>,
}

impl FromJson for BackupPage {
    fn from_json(value: &Value, at: Path) -> Result<Self, Problem> {
        let f = Fields::of(value, at)?;
        // A page always says what it holds: one without `backups` (`{}` from a proxy or a broken
        // answer) must not read as "no backups", or reconciling a create would send it again
        // (the soak found that: a duplicate backup). `null` is taken as none.
        if !f.has("backups") {
            return Err(Problem::at(&f.path("backups"), "is missing"));
        }
        let page = BackupPage {
            count: f.opt("count").unwrap_or(0.0),
            current_page: f.opt("currentPage").unwrap_or(0),
            page_size: f.opt("pageSize").unwrap_or(0),
            backups: f.opt("backups").unwrap_or_default(),
        };
        f.done(page)
    }
}

impl ToJson for BackupPage {
    fn write_json(&self, out: &mut String) {
        Obj::write(out, |o| {
            o.field("count", &self.count).field("currentPage", &self.current_page).field("pageSize", &self.page_size).field("backups", &self.backups);
        });
    }
}

impl BackupPage {    /// The page to ask for next, or `None` after the last one. `count` may be the total or
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
#[derive(Clone, Debug, PartialEq)]
pub struct DeletedBackup {
    pub backup_id: String,
    pub backup_name: Option<String>,
}

impl FromJson for DeletedBackup {
    fn from_json(value: &Value, at: Path) -> Result<Self, Problem> {
        let f = Fields::of(value, at)?;
        let deleted = DeletedBackup { backup_id: f.req("backupId"), backup_name: f.opt("backupName") };
        f.done(deleted)
    }
}

impl ToJson for DeletedBackup {
    fn write_json(&self, out: &mut String) {
        Obj::write(out, |o| {
            o.field("backupId", &self.backup_id).field("backupName", &self.backup_name);
        });
    }
}

/// Filters of `GET /v2/backups`, as the caller gives them (checked by `validate`).
#[derive(Clone, Debug, Default, PartialEq)]
pub struct ListBackupsQuery {
    pub project_id: Option<String>,
    pub cluster_id: Option<String>,
    pub creation_method: Option<String>,
    pub backup_type: Option<String>,
    pub start_time: Option<String>,
    pub end_time: Option<String>,
    pub page_size: Option<f64>,
    pub current_page: Option<f64>,
}

impl FromJson for ListBackupsQuery {
    fn from_json(value: &Value, at: Path) -> Result<Self, Problem> {
        let f = Fields::strict(value, at, &["projectId", "clusterId", "creationMethod", "backupType", "startTime", "endTime", "pageSize", "currentPage"])?;
        let query = ListBackupsQuery {
            project_id: f.opt("projectId"),
            cluster_id: f.opt("clusterId"),
            creation_method: f.opt("creationMethod"),
            backup_type: f.opt("backupType"),
            start_time: f.opt("startTime"),
            end_time: f.opt("endTime"),
            page_size: f.opt("pageSize"),
            current_page: f.opt("currentPage"),
        };
        f.done(query)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::json;

    #[test]
    fn request_round_trips_with_wire_names() {
        let text = r#"{"backupType":"COLLECTION","dbCollections":[{"dbName":"default","collectionNames":["medium_articles"]}]}"#;
        let req: CreateBackupRequest = json::decode(&json::parse(text).unwrap()).unwrap();
        assert_eq!(json::to_string(&req), text);
        let cluster = CreateBackupRequest { backup_type: "CLUSTER".into(), db_collections: None, cross_region_copies: None };
        assert_eq!(json::to_string(&cluster), r#"{"backupType":"CLUSTER"}"#);
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
            assert!(err.contains("is not a known field") || err.contains("is required"), "{text}: {err}");
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
    fn a_page_must_say_what_it_holds() {
        let e = json::decode::<BackupPage>(&json::parse(r#"{"count":0}"#).unwrap()).unwrap_err();
        assert_eq!(e, "backups: is missing");
        let empty: BackupPage = json::decode(&json::parse(r#"{"backups":null}"#).unwrap()).unwrap();
        assert!(empty.backups.is_empty());
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
