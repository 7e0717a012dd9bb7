//! Restores: a cluster backup into a NEW cluster (`…/restoreCluster`), a collection into an
//! EXISTING cluster (`…/restoreCollection`). Both run as jobs.

use crate::json::{Fields, FromJson, Obj, Path, Problem, ToJson, Value};
use std::fmt;

/// `restoreCluster` options as the caller gives them.
#[derive(Clone, Debug, PartialEq)]
pub struct RestoreClusterInput {
    pub target_project_id: String,
    pub cluster_name: String,
    pub cu_size: f64,
    /// KEEP (default) or RELEASE.
    pub collection_status: Option<String>,
    /// ORIGINAL or LATEST.
    pub restore_version_policy: Option<String>,
}

impl FromJson for RestoreClusterInput {
    fn from_json(value: &Value, at: Path) -> Result<Self, Problem> {
        let f = Fields::strict(value, at, &["targetProjectId", "clusterName", "cuSize", "collectionStatus", "restoreVersionPolicy"])?;
        let input = RestoreClusterInput {
            target_project_id: f.req("targetProjectId"),
            cluster_name: f.req("clusterName"),
            cu_size: f.req("cuSize"),
            collection_status: f.opt("collectionStatus"),
            restore_version_policy: f.opt("restoreVersionPolicy"),
        };
        f.done(input)
    }
}

/// The body sent. The docs disagree on the project field's name (`targetProjectId` in the older
/// and global pages, `projectId` in a newer one), so both are sent with the same value.
pub struct RestoreClusterBody<'a> {
    pub target_project_id: &'a str,
    pub project_id: &'a str,
    pub cluster_name: &'a str,
    pub cu_size: u32,
    pub collection_status: &'a str,
    pub restore_version_policy: Option<&'a str>,
}

impl<'a> RestoreClusterBody<'a> {
    pub fn new(input: &'a RestoreClusterInput) -> Self {
        RestoreClusterBody {
            target_project_id: &input.target_project_id,
            project_id: &input.target_project_id,
            cluster_name: &input.cluster_name,
            cu_size: input.cu_size as u32,
            collection_status: input.collection_status.as_deref().unwrap_or("KEEP"),
            restore_version_policy: input.restore_version_policy.as_deref(),
        }
    }
}

impl ToJson for RestoreClusterBody<'_> {
    fn write_json(&self, out: &mut String) {
        Obj::write(out, |o| {
            o.field("targetProjectId", &self.target_project_id)
                .field("projectId", &self.project_id)
                .field("clusterName", &self.cluster_name)
                .field("cuSize", &self.cu_size)
                .field("collectionStatus", &self.collection_status)
                .field_if("restoreVersionPolicy", &self.restore_version_policy);
        });
    }
}

/// The new cluster. The password is shown only once: it is returned to the caller and appears
/// nowhere else (`Debug` redacts it).
#[derive(Clone, PartialEq)]
pub struct RestoredCluster {
    pub cluster_id: String,
    pub username: Option<String>,
    pub password: Option<String>,
    /// Newer docs only.
    pub job_id: Option<String>,
}

impl FromJson for RestoredCluster {
    fn from_json(value: &Value, at: Path) -> Result<Self, Problem> {
        let f = Fields::of(value, at)?;
        let restored = RestoredCluster { cluster_id: f.req("clusterId"), username: f.opt("username"), password: f.opt("password"), job_id: f.opt("jobId") };
        f.done(restored)
    }
}

impl ToJson for RestoredCluster {
    fn write_json(&self, out: &mut String) {
        Obj::write(out, |o| {
            o.field("clusterId", &self.cluster_id).field("username", &self.username).field("password", &self.password).field("jobId", &self.job_id);
        });
    }
}

impl fmt::Debug for RestoredCluster {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("RestoredCluster")
            .field("cluster_id", &self.cluster_id)
            .field("username", &self.username)
            .field("password", &self.password.as_ref().map(|_| "<redacted>"))
            .field("job_id", &self.job_id)
            .finish()
    }
}

/// `restoreCollection` options (the current docs' field names). One collection per request.
#[derive(Clone, Debug, PartialEq)]
pub struct RestoreCollectionInput {
    pub dest_cluster_id: String,
    pub db_collections: Vec<RestoreDbCollections>,
}

impl FromJson for RestoreCollectionInput {
    fn from_json(value: &Value, at: Path) -> Result<Self, Problem> {
        let f = Fields::strict(value, at, &["destClusterId", "dbCollections"])?;
        let input = RestoreCollectionInput { dest_cluster_id: f.req("destClusterId"), db_collections: f.req("dbCollections") };
        f.done(input)
    }
}

impl ToJson for RestoreCollectionInput {
    fn write_json(&self, out: &mut String) {
        Obj::write(out, |o| {
            o.field("destClusterId", &self.dest_cluster_id).field("dbCollections", &self.db_collections);
        });
    }
}

#[derive(Clone, Debug, PartialEq)]
pub struct RestoreDbCollections {
    pub db_name: Option<String>,
    pub dest_db_name: Option<String>,
    pub collections: Vec<RestoreCollectionItem>,
}

impl FromJson for RestoreDbCollections {
    fn from_json(value: &Value, at: Path) -> Result<Self, Problem> {
        let f = Fields::strict(value, at, &["dbName", "destDbName", "collections"])?;
        let db = RestoreDbCollections { db_name: f.opt("dbName"), dest_db_name: f.opt("destDbName"), collections: f.req("collections") };
        f.done(db)
    }
}

impl ToJson for RestoreDbCollections {
    fn write_json(&self, out: &mut String) {
        Obj::write(out, |o| {
            o.field_if("dbName", &self.db_name).field_if("destDbName", &self.dest_db_name).field("collections", &self.collections);
        });
    }
}

#[derive(Clone, Debug, PartialEq)]
pub struct RestoreCollectionItem {
    pub collection_name: String,
    /// Defaults to `collectionName`.
    pub dest_collection_name: Option<String>,
    /// LOADED or UNLOADED (default).
    pub dest_collection_status: Option<String>,
}

impl FromJson for RestoreCollectionItem {
    fn from_json(value: &Value, at: Path) -> Result<Self, Problem> {
        let f = Fields::strict(value, at, &["collectionName", "destCollectionName", "destCollectionStatus"])?;
        let item = RestoreCollectionItem {
            collection_name: f.req("collectionName"),
            dest_collection_name: f.opt("destCollectionName"),
            dest_collection_status: f.opt("destCollectionStatus"),
        };
        f.done(item)
    }
}

impl ToJson for RestoreCollectionItem {
    fn write_json(&self, out: &mut String) {
        Obj::write(out, |o| {
            o.field("collectionName", &self.collection_name)
                .field_if("destCollectionName", &self.dest_collection_name)
                .field_if("destCollectionStatus", &self.dest_collection_status);
        });
    }
}

impl RestoreCollectionInput {
    /// The body sent: defaults filled in so the server gets every documented field.
    pub fn body(&self) -> RestoreCollectionInput {
        let mut body = self.clone();
        for group in &mut body.db_collections {
            for c in &mut group.collections {
                c.dest_collection_name.get_or_insert_with(|| c.collection_name.clone());
                c.dest_collection_status.get_or_insert_with(|| "UNLOADED".to_owned());
            }
        }
        body
    }
}

/// A restore or export that runs as a job.
#[derive(Clone, Debug, PartialEq)]
pub struct StartedJob {
    pub job_id: String,
}

impl FromJson for StartedJob {
    fn from_json(value: &Value, at: Path) -> Result<Self, Problem> {
        let f = Fields::of(value, at)?;
        let started = StartedJob { job_id: f.req("jobId") };
        f.done(started)
    }
}

impl ToJson for StartedJob {
    fn write_json(&self, out: &mut String) {
        Obj::write(out, |o| {
            o.field("jobId", &self.job_id);
        });
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::json;

    #[test]
    fn cluster_body_sends_both_project_field_names_and_defaults() {
        let input: RestoreClusterInput = json::decode(&json::parse(r#"{"targetProjectId":"proj-1","clusterName":"restored","cuSize":2}"#).unwrap()).unwrap();
        assert_eq!(
            json::to_string(&RestoreClusterBody::new(&input)),
            r#"{"targetProjectId":"proj-1","projectId":"proj-1","clusterName":"restored","cuSize":2,"collectionStatus":"KEEP"}"#
        );
    }

    #[test]
    fn the_password_never_shows_in_debug() {
        let r: RestoredCluster = json::decode(&json::parse(r#"{"clusterId":"in01-x","username":"db_admin","password":"Pa55-SECRET","jobId":"job-1"}"#).unwrap()).unwrap();
        assert_eq!(r.password.as_deref(), Some("Pa55-SECRET"));
        assert!(!format!("{r:?}").contains("SECRET"));
    }

    #[test]
    fn collection_body_fills_defaults() {
        let input: RestoreCollectionInput = json::decode(&json::parse(r#"{"destClusterId":"in01-b","dbCollections":[{"collections":[{"collectionName":"a"}]}]}"#).unwrap()).unwrap();
        assert_eq!(
            json::to_string(&input.body()),
            r#"{"destClusterId":"in01-b","dbCollections":[{"collections":[{"collectionName":"a","destCollectionName":"a","destCollectionStatus":"UNLOADED"}]}]}"#
        );
    }
}
