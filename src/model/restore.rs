//! Restores: a cluster backup into a NEW cluster (`…/restoreCluster`), a collection into an
//! EXISTING cluster (`…/restoreCollection`). Both run as jobs.

use serde::{Deserialize, Serialize};
use std::fmt;

/// `restoreCluster` options as the caller gives them.
#[derive(Clone, Debug, PartialEq, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct RestoreClusterInput {
    pub target_project_id: String,
    pub cluster_name: String,
    pub cu_size: f64,
    /// KEEP (default) or RELEASE.
    #[serde(default)]
    pub collection_status: Option<String>,
    /// ORIGINAL or LATEST.
    #[serde(default)]
    pub restore_version_policy: Option<String>,
}

/// The body sent. The docs disagree on the project field's name (`targetProjectId` in the older
/// and global pages, `projectId` in a newer one), so both are sent with the same value.
#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
pub struct RestoreClusterBody<'a> {
    pub target_project_id: &'a str,
    pub project_id: &'a str,
    pub cluster_name: &'a str,
    pub cu_size: u32,
    pub collection_status: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
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

/// The new cluster. The password is shown only once: it is returned to the caller and appears
/// nowhere else (`Debug` redacts it).
#[derive(Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct RestoredCluster {
    pub cluster_id: String,
    #[serde(default)]
    pub username: Option<String>,
    #[serde(default)]
    pub password: Option<String>,
    /// Newer docs only.
    #[serde(default)]
    pub job_id: Option<String>,
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
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct RestoreCollectionInput {
    pub dest_cluster_id: String,
    pub db_collections: Vec<RestoreDbCollections>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct RestoreDbCollections {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub db_name: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub dest_db_name: Option<String>,
    pub collections: Vec<RestoreCollectionItem>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct RestoreCollectionItem {
    pub collection_name: String,
    /// Defaults to `collectionName`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub dest_collection_name: Option<String>,
    /// LOADED or UNLOADED (default).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub dest_collection_status: Option<String>,
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
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct StartedJob {
    pub job_id: String,
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::json;

    #[test]
    fn cluster_body_sends_both_project_field_names_and_defaults() {
        let input: RestoreClusterInput = json::decode(&json::parse(r#"{"targetProjectId":"proj-1","clusterName":"restored","cuSize":2}"#).unwrap()).unwrap();
        assert_eq!(
            json::to_string(&RestoreClusterBody::new(&input)).unwrap(),
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
            json::to_string(&input.body()).unwrap(),
            r#"{"destClusterId":"in01-b","dbCollections":[{"collections":[{"collectionName":"a","destCollectionName":"a","destCollectionStatus":"UNLOADED"}]}]}"#
        );
    }
}
