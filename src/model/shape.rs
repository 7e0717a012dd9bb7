//! The field names of request types, for refusing unknown (misspelled) fields in JS input.
//!
//! serde's `deny_unknown_fields` does this for JSON text, but `serde-wasm-bindgen` reads only
//! the fields a struct names and never sees the others, so the JS layer walks the object with
//! these shapes first. Unit tests check each shape against its serde type, so they cannot drift.

/// What a JS value must look like, as far as field names go.
pub enum Shape {
    /// Any value (its type is checked by serde afterwards).
    Value,
    /// An object with only these fields.
    Object(&'static [(&'static str, Shape)]),
    /// An array whose items have this shape.
    List(&'static Shape),
}

impl Shape {
    pub fn field_names(&self) -> Vec<&'static str> {
        match self {
            Shape::Object(fields) => fields.iter().map(|(name, _)| *name).collect(),
            _ => Vec::new(),
        }
    }
}

const DB_COLLECTIONS: Shape = Shape::Object(&[("dbName", Shape::Value), ("collectionNames", Shape::Value)]);
const CROSS_REGION_COPY: Shape = Shape::Object(&[("regionId", Shape::Value)]);

/// [`crate::model::backup::CreateBackupRequest`].
pub const CREATE_BACKUP_REQUEST: Shape = Shape::Object(&[
    ("backupType", Shape::Value),
    ("dbCollections", Shape::List(&DB_COLLECTIONS)),
    ("crossRegionCopies", Shape::List(&CROSS_REGION_COPY)),
]);

/// [`crate::model::backup::ListBackupsQuery`].
pub const LIST_BACKUPS_QUERY: Shape = Shape::Object(&[
    ("projectId", Shape::Value),
    ("clusterId", Shape::Value),
    ("creationMethod", Shape::Value),
    ("backupType", Shape::Value),
    ("startTime", Shape::Value),
    ("endTime", Shape::Value),
    ("pageSize", Shape::Value),
    ("currentPage", Shape::Value),
]);

/// [`crate::model::restore::RestoreClusterInput`].
pub const RESTORE_CLUSTER: Shape = Shape::Object(&[
    ("targetProjectId", Shape::Value),
    ("clusterName", Shape::Value),
    ("cuSize", Shape::Value),
    ("collectionStatus", Shape::Value),
    ("restoreVersionPolicy", Shape::Value),
]);

const RESTORE_ITEM: Shape = Shape::Object(&[
    ("collectionName", Shape::Value),
    ("destCollectionName", Shape::Value),
    ("destCollectionStatus", Shape::Value),
]);
const RESTORE_GROUP: Shape = Shape::Object(&[
    ("dbName", Shape::Value),
    ("destDbName", Shape::Value),
    ("collections", Shape::List(&RESTORE_ITEM)),
]);

/// [`crate::model::restore::RestoreCollectionInput`].
pub const RESTORE_COLLECTION: Shape = Shape::Object(&[("destClusterId", Shape::Value), ("dbCollections", Shape::List(&RESTORE_GROUP))]);

/// [`crate::model::export::ExportInput`].
pub const EXPORT: Shape = Shape::Object(&[("integrationId", Shape::Value), ("directory", Shape::Value)]);

const CROSS_REGION_COPY_POLICY: Shape = Shape::Object(&[("regionId", Shape::Value), ("retentionDays", Shape::Value)]);

/// [`crate::model::policy::PolicyInput`] (`frequency` takes several forms: its items are values).
pub const POLICY: Shape = Shape::Object(&[
    ("enabled", Shape::Value),
    ("frequency", Shape::Value),
    ("startTime", Shape::Value),
    ("retentionDays", Shape::Value),
    ("crossRegionCopies", Shape::List(&CROSS_REGION_COPY_POLICY)),
]);

#[cfg(test)]
mod tests {
    use super::*;
    use crate::json;
    use crate::model::backup::{CreateBackupRequest, ListBackupsQuery};
    use crate::model::export::ExportInput;
    use crate::model::policy::PolicyInput;
    use crate::model::restore::{RestoreClusterInput, RestoreCollectionInput};

    /// serde lists a type's fields when it refuses an unknown one: compare with the shape.
    fn serde_fields<T: serde::de::DeserializeOwned>(json_with_unknown_field: &str) -> Vec<String> {
        let err = json::decode::<T>(&json::parse(json_with_unknown_field).unwrap()).err().unwrap();
        // "expected `a`", "expected `a` or `b`", "expected one of `a`, `b`, `c`"
        let list = err.split("expected ").nth(1).unwrap_or_else(|| panic!("{err}"));
        let list = list.trim_start_matches("one of ").replace(" or ", ", ");
        list.split(", ").map(|f| f.trim_matches(|c: char| !c.is_alphanumeric()).to_owned()).collect()
    }

    fn nested<'a>(shape: &'a Shape, name: &str) -> &'a Shape {
        match shape {
            Shape::Object(fields) => match &fields.iter().find(|(n, _)| *n == name).unwrap().1 {
                Shape::List(item) => item,
                other => other,
            },
            _ => panic!(),
        }
    }

    #[test]
    fn create_backup_request_shape_matches_serde() {
        let top = serde_fields::<CreateBackupRequest>(r#"{"backupType":"CLUSTER","zzz":1}"#);
        assert_eq!(top, CREATE_BACKUP_REQUEST.field_names());
        let db = serde_fields::<CreateBackupRequest>(r#"{"backupType":"C","dbCollections":[{"collectionNames":[],"zzz":1}]}"#);
        assert_eq!(db, nested(&CREATE_BACKUP_REQUEST, "dbCollections").field_names());
        let region = serde_fields::<CreateBackupRequest>(r#"{"backupType":"C","crossRegionCopies":[{"regionId":"a","zzz":1}]}"#);
        assert_eq!(region, nested(&CREATE_BACKUP_REQUEST, "crossRegionCopies").field_names());
    }

    #[test]
    fn the_other_shapes_match_serde() {
        assert_eq!(serde_fields::<ListBackupsQuery>(r#"{"zzz":1}"#), LIST_BACKUPS_QUERY.field_names());
        assert_eq!(serde_fields::<RestoreClusterInput>(r#"{"zzz":1}"#), RESTORE_CLUSTER.field_names());
        assert_eq!(serde_fields::<RestoreCollectionInput>(r#"{"zzz":1}"#), RESTORE_COLLECTION.field_names());
        let group = serde_fields::<RestoreCollectionInput>(r#"{"destClusterId":"a","dbCollections":[{"zzz":1}]}"#);
        assert_eq!(group, nested(&RESTORE_COLLECTION, "dbCollections").field_names());
        let item = serde_fields::<RestoreCollectionInput>(r#"{"destClusterId":"a","dbCollections":[{"collections":[{"zzz":1}]}]}"#);
        assert_eq!(item, nested(nested(&RESTORE_COLLECTION, "dbCollections"), "collections").field_names());
        assert_eq!(serde_fields::<ExportInput>(r#"{"zzz":1}"#), EXPORT.field_names());
        assert_eq!(serde_fields::<PolicyInput>(r#"{"enabled":true,"zzz":1}"#), POLICY.field_names());
        let copy = serde_fields::<PolicyInput>(r#"{"enabled":true,"crossRegionCopies":[{"regionId":"a","zzz":1}]}"#);
        assert_eq!(copy, nested(&POLICY, "crossRegionCopies").field_names());
    }
}
