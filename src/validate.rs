//! Every input check that runs before a request is sent. Each error names the field.

use crate::error::{Error, Result};
use crate::model::backup::CreateBackupRequest;
use std::collections::BTreeSet;

/// Longest id we accept; real ids are ~25 characters.
const MAX_ID_LEN: usize = 128;
/// Milvus: names of collections and databases are at most 255 characters.
const MAX_NAME_LEN: usize = 255;

/// A cluster, job or backup id. Ids go into the URL path, so only characters that can never
/// change the path, the query or the host are allowed (`in01-…`, `job-…`, `job_…`, `backup0_…`).
pub fn resource_id(field: &str, value: &str) -> Result<()> {
    if value.is_empty() {
        return Err(Error::invalid(field, "must not be empty"));
    }
    if value.len() > MAX_ID_LEN {
        return Err(Error::invalid(field, format!("is longer than {MAX_ID_LEN} characters")));
    }
    if let Some(c) = value.chars().find(|c| !(c.is_ascii_alphanumeric() || *c == '-' || *c == '_')) {
        return Err(Error::invalid(field, format!(
            "{} is not allowed in an id (only letters, digits, '-' and '_')",
            printable(c)
        )));
    }
    Ok(())
}

/// Milvus rules for collection and database names.
pub fn milvus_name(field: &str, value: &str) -> Result<()> {
    let mut chars = value.chars();
    match chars.next() {
        None => return Err(Error::invalid(field, "must not be empty")),
        Some(c) if !(c.is_ascii_alphabetic() || c == '_') => {
            return Err(Error::invalid(field, format!("{value:?} must start with a letter or '_'")))
        }
        _ => {}
    }
    if value.len() > MAX_NAME_LEN {
        return Err(Error::invalid(field, format!("is longer than {MAX_NAME_LEN} characters")));
    }
    if let Some(c) = chars.find(|c| !(c.is_ascii_alphanumeric() || *c == '_')) {
        return Err(Error::invalid(field, format!(
            "{value:?} contains {}; only letters, digits and '_' are allowed",
            printable(c)
        )));
    }
    Ok(())
}

/// A region id such as `aws-us-west-2` or `ali-cn-hangzhou`.
fn region_id(field: &str, value: &str) -> Result<()> {
    if value.is_empty() || value.len() > 64 || !value.chars().all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-') {
        return Err(Error::invalid(field, format!("{value:?} is not a region id (like \"aws-us-west-2\")")));
    }
    Ok(())
}

pub fn create_backup_request(req: &CreateBackupRequest) -> Result<()> {
    match req.backup_type.as_str() {
        "CLUSTER" => {
            if req.db_collections.is_some() {
                return Err(Error::invalid("request.dbCollections", "must be omitted when backupType is CLUSTER (a cluster backup includes every collection)"));
            }
        }
        "COLLECTION" => collections(req)?,
        other => {
            return Err(Error::invalid("request.backupType", format!("must be \"CLUSTER\" or \"COLLECTION\", not {other:?}")))
        }
    }
    if let Some(copies) = &req.cross_region_copies {
        let mut seen = BTreeSet::new();
        for (i, copy) in copies.iter().enumerate() {
            let field = format!("request.crossRegionCopies[{i}].regionId");
            region_id(&field, &copy.region_id)?;
            if !seen.insert(copy.region_id.as_str()) {
                return Err(Error::invalid(&field, format!("{:?} is listed twice", copy.region_id)));
            }
        }
    }
    Ok(())
}

fn collections(req: &CreateBackupRequest) -> Result<()> {
    let groups = match &req.db_collections {
        None => return Err(Error::invalid("request.dbCollections", "is required when backupType is COLLECTION")),
        Some(g) if g.is_empty() => return Err(Error::invalid("request.dbCollections", "must list at least one collection")),
        Some(g) => g,
    };
    let mut database: Option<&str> = None;
    let mut seen = BTreeSet::new();
    for (i, group) in groups.iter().enumerate() {
        let db = match &group.db_name {
            Some(name) => {
                milvus_name(&format!("request.dbCollections[{i}].dbName"), name)?;
                name.as_str()
            }
            None => "default",
        };
        match database {
            Some(first) if first != db => {
                return Err(Error::invalid(&format!("request.dbCollections[{i}].dbName"), format!(
                    "all collections must belong to one database; found {first:?} and {db:?}"
                )))
            }
            _ => database = Some(db),
        }
        if group.collection_names.is_empty() {
            return Err(Error::invalid(&format!("request.dbCollections[{i}].collectionNames"), "must list at least one collection"));
        }
        for (j, name) in group.collection_names.iter().enumerate() {
            let field = format!("request.dbCollections[{i}].collectionNames[{j}]");
            milvus_name(&field, name)?;
            if !seen.insert(name.as_str()) {
                return Err(Error::invalid(&field, format!("{name:?} is listed twice")));
            }
        }
    }
    Ok(())
}

/// The API key: sent only as `Authorization: Bearer <token>`. Error messages never quote it.
pub fn token(value: &str) -> Result<()> {
    if value.is_empty() {
        return Err(Error::invalid("token", "is required (a Zilliz Cloud API key)"));
    }
    if value.len() > 4096 {
        return Err(Error::invalid("token", "is longer than 4096 characters"));
    }
    if value.chars().any(|c| c.is_whitespace() || c.is_control() || !c.is_ascii()) {
        return Err(Error::invalid("token", "contains whitespace, control or non-ASCII characters (check for a stray newline when reading it from a file)"));
    }
    Ok(())
}

/// A whole number of milliseconds in `min..=max`.
pub fn millis(field: &str, value: f64, min: f64, max: f64) -> Result<f64> {
    if !value.is_finite() || value.fract() != 0.0 {
        return Err(Error::invalid(field, format!("must be a whole number of milliseconds, not {value}")));
    }
    if value < min || value > max {
        return Err(Error::invalid(field, format!("must be between {min} and {max} milliseconds, not {value}")));
    }
    Ok(value)
}

pub fn count(field: &str, value: f64, max: u32) -> Result<u32> {
    if !value.is_finite() || value.fract() != 0.0 || value < 0.0 || value > max as f64 {
        return Err(Error::invalid(field, format!("must be a whole number from 0 to {max}, not {value}")));
    }
    Ok(value as u32)
}

/// An extra header. `Authorization` is ours; names and values must be valid HTTP.
pub fn header(name: &str, value: &str) -> Result<()> {
    let field = format!("headers[{name:?}]");
    if name.is_empty() || !name.bytes().all(|b| b.is_ascii_alphanumeric() || b"!#$%&'*+-.^_`|~".contains(&b)) {
        return Err(Error::invalid(&field, "is not a valid HTTP header name"));
    }
    if name.eq_ignore_ascii_case("authorization") {
        return Err(Error::invalid(&field, "cannot be set: the client sends the token itself"));
    }
    if value.chars().any(|c| (c.is_control() && c != '\t') || !c.is_ascii()) {
        return Err(Error::invalid(&field, "has a value with control or non-ASCII characters"));
    }
    Ok(())
}

fn printable(c: char) -> String {
    if c.is_whitespace() || c.is_control() {
        format!("the character U+{:04X}", c as u32)
    } else {
        format!("'{c}'")
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::error::ErrorKind;
    use crate::json;

    fn request(text: &str) -> Result<()> {
        let req: CreateBackupRequest = json::decode(&json::parse(text).unwrap()).map_err(|e| Error::invalid("request", e))?;
        create_backup_request(&req)
    }

    fn refused(r: Result<()>, field: &str) {
        let e = r.expect_err("should be refused");
        assert_eq!(e.kind, ErrorKind::InvalidInput);
        assert!(e.message.starts_with(field), "{:?} should name {field}", e.message);
    }

    #[test]
    fn ids_that_could_change_the_url_are_refused() {
        for bad in ["", "a/b", "..", "a?b", "a#b", "a%2F", " in01", "in01 ", "in01\n", "a\u{0}", "ü", "a.b", &"x".repeat(129)] {
            refused(resource_id("clusterId", bad), "clusterId");
        }
        for good in ["in01-3e5ad8adc38xxxx", "job-031a8e3587ba7zqkadxxxx", "job_x", "backup0_c7b18539b97xxxx"] {
            resource_id("jobId", good).unwrap();
        }
    }

    #[test]
    fn milvus_names() {
        for good in ["medium_articles", "_x", "A1", &"a".repeat(255)] {
            milvus_name("n", good).unwrap();
        }
        for bad in ["", "1abc", "a-b", "a b", "a.b", "名字", &"a".repeat(256)] {
            refused(milvus_name("n", bad), "n");
        }
    }

    #[test]
    fn valid_requests_pass() {
        request(r#"{"backupType":"CLUSTER"}"#).unwrap();
        request(r#"{"backupType":"COLLECTION","dbCollections":[{"collectionNames":["medium_articles"]}]}"#).unwrap();
        request(r#"{"backupType":"COLLECTION","dbCollections":[{"dbName":"default","collectionNames":["a","b"]},{"collectionNames":["c"]}]}"#).unwrap();
        request(r#"{"backupType":"CLUSTER","crossRegionCopies":[{"regionId":"aws-us-west-2"}]}"#).unwrap();
    }

    #[test]
    fn bad_requests_name_the_field() {
        refused(request(r#"{"backupType":"SNAPSHOT"}"#), "request.backupType");
        refused(request(r#"{"backupType":"cluster"}"#), "request.backupType");
        refused(request(r#"{"backupType":"CLUSTER","dbCollections":[]}"#), "request.dbCollections");
        refused(request(r#"{"backupType":"COLLECTION"}"#), "request.dbCollections");
        refused(request(r#"{"backupType":"COLLECTION","dbCollections":[]}"#), "request.dbCollections");
        refused(request(r#"{"backupType":"COLLECTION","dbCollections":[{"collectionNames":[]}]}"#), "request.dbCollections[0].collectionNames");
        refused(request(r#"{"backupType":"COLLECTION","dbCollections":[{"collectionNames":[""]}]}"#), "request.dbCollections[0].collectionNames[0]");
        refused(request(r#"{"backupType":"COLLECTION","dbCollections":[{"collectionNames":["a","9b"]}]}"#), "request.dbCollections[0].collectionNames[1]");
        refused(request(r#"{"backupType":"COLLECTION","dbCollections":[{"collectionNames":["a","a"]}]}"#), "request.dbCollections[0].collectionNames[1]");
        refused(request(r#"{"backupType":"COLLECTION","dbCollections":[{"collectionNames":["a"]},{"collectionNames":["a"]}]}"#), "request.dbCollections[1].collectionNames[0]");
        refused(request(r#"{"backupType":"COLLECTION","dbCollections":[{"dbName":"x","collectionNames":["a"]},{"dbName":"y","collectionNames":["b"]}]}"#), "request.dbCollections[1].dbName");
        refused(request(r#"{"backupType":"COLLECTION","dbCollections":[{"collectionNames":["a"]},{"dbName":"y","collectionNames":["b"]}]}"#), "request.dbCollections[1].dbName");
        refused(request(r#"{"backupType":"COLLECTION","dbCollections":[{"dbName":"bad-db","collectionNames":["a"]}]}"#), "request.dbCollections[0].dbName");
        refused(request(r#"{"backupType":"CLUSTER","crossRegionCopies":[{"regionId":"AWS US"}]}"#), "request.crossRegionCopies[0].regionId");
        refused(request(r#"{"backupType":"CLUSTER","crossRegionCopies":[{"regionId":"a"},{"regionId":"a"}]}"#), "request.crossRegionCopies[1].regionId");
        refused(request(r#"{"backupTyp":"CLUSTER"}"#), "request");
    }

    #[test]
    fn tokens() {
        token("db_0123456789abcdef:secret").unwrap();
        for bad in ["", "a b", "abc\n", "abc\r", "a\tb", "\u{7f}x", "clé"] {
            let e = token(bad).unwrap_err();
            assert_eq!(e.kind, ErrorKind::InvalidInput);
            assert!(e.message.starts_with("token"));
            if !bad.is_empty() {
                assert!(!e.message.contains(bad), "message quotes the token");
            }
        }
    }

    #[test]
    fn numbers() {
        assert_eq!(millis("timeoutMs", 1000.0, 1.0, 600_000.0).unwrap(), 1000.0);
        for bad in [0.0, -1.0, 1.5, f64::NAN, f64::INFINITY, 600_001.0] {
            refused(millis("timeoutMs", bad, 1.0, 600_000.0).map(drop), "timeoutMs");
        }
        assert_eq!(count("maxRetries", 3.0, 10).unwrap(), 3);
        for bad in [-1.0, 11.0, 0.5, f64::NAN] {
            refused(count("maxRetries", bad, 10).map(drop), "maxRetries");
        }
    }

    #[test]
    fn headers() {
        header("X-Trace", "abc").unwrap();
        refused(header("Authorization", "Bearer x"), "headers");
        refused(header("authorization", "x"), "headers");
        refused(header("Bad Name", "x"), "headers");
        refused(header("X-A", "a\nb"), "headers");
    }
}
