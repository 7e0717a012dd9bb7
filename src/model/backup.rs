//! `POST /v2/clusters/{CLUSTER_ID}/backups/create`: request and response.

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

    #[test]
    fn response_decodes_the_documented_example() {
        let text = r#"{"backupId":"backup0_c7b18539b97xxxx","backupName":"Dedicated-01_backup2","jobId":"job-031a8e3587ba7zqkadxxxx"}"#;
        let b: CreatedBackup = json::decode(&json::parse(text).unwrap()).unwrap();
        assert_eq!(b.job_id, "job-031a8e3587ba7zqkadxxxx");
        assert_eq!(b.backup_name, "Dedicated-01_backup2");
    }
}
