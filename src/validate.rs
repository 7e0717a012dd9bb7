//! Every input check that runs before a request is sent. Each error names the field.

use crate::error::{Error, Result};
use crate::json::{number_text, quote};
use crate::text::{cat, int, list, parse_u8, split_once, Parts};
use crate::model::backup::{CreateBackupRequest, ListBackupsQuery};
use crate::model::export::ExportInput;
use crate::model::policy::{DayInput, FrequencyInput, PolicyBody, PolicyInput};
use crate::model::restore::{RestoreClusterInput, RestoreCollectionInput};

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
        return Err(Error::invalid(field, cat(&["is longer than ", &int(MAX_ID_LEN), " characters"])));
    }
    // Bytes: an id is ASCII, so a good one never decodes a character (nor compiles that code:
    // cold start). A non-ASCII byte fails too, so the first bad byte starts the bad character.
    match value.bytes().position(|b| !(b.is_ascii_alphanumeric() || b == b'-' || b == b'_')) {
        None => Ok(()),
        Some(at) => Err(bad_id_character(field, &value[at..])),
    }
}

/// `from` starts with the character an id may not hold.
#[cold]
#[inline(never)]
fn bad_id_character(field: &str, from: &str) -> Error {
    let c = from.chars().next().unwrap_or_default();
    Error::invalid(field, cat(&[&printable(c), " is not allowed in an id (only letters, digits, '-' and '_')"]))
}

/// Milvus rules for collection and database names.
pub fn milvus_name(field: &str, value: &str) -> Result<()> {
    let mut chars = value.chars();
    match chars.next() {
        None => return Err(Error::invalid(field, "must not be empty")),
        Some(c) if !(c.is_ascii_alphabetic() || c == '_') => {
            return Err(Error::invalid(field, cat(&[&quote(value), " must start with a letter or '_'"])))
        }
        _ => {}
    }
    if value.len() > MAX_NAME_LEN {
        return Err(Error::invalid(field, cat(&["is longer than ", &int(MAX_NAME_LEN), " characters"])));
    }
    if let Some(c) = chars.find(|c| !(c.is_ascii_alphanumeric() || *c == '_')) {
        return Err(Error::invalid(field, cat(&[&quote(value), " contains ", &printable(c), "; only letters, digits and '_' are allowed"])));
    }
    Ok(())
}

/// A region id such as `aws-us-west-2` or `ali-cn-hangzhou`.
fn region_id(field: &str, value: &str) -> Result<()> {
    if value.is_empty() || value.len() > 64 || !value.chars().all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-') {
        return Err(Error::invalid(field, cat(&[&quote(value), " is not a region id (like \"aws-us-west-2\")"])));
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
            return Err(Error::invalid("request.backupType", cat(&["must be \"CLUSTER\" or \"COLLECTION\", not ", &quote(other)])))
        }
    }
    if let Some(copies) = &req.cross_region_copies {
        let mut seen = Seen::default();
        for (i, copy) in copies.iter().enumerate() {
            let field = cat(&["request.crossRegionCopies[", &int(i), "].regionId"]);
            region_id(&field, &copy.region_id)?;
            if !seen.insert(copy.region_id.as_str()) {
                return Err(Error::invalid(&field, cat(&[&quote(&copy.region_id), " is listed twice"])));
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
    let mut seen = Seen::default();
    for (i, group) in groups.iter().enumerate() {
        let db = match &group.db_name {
            Some(name) => {
                milvus_name(&cat(&["request.dbCollections[", &int(i), "].dbName"]), name)?;
                name.as_str()
            }
            None => "default",
        };
        match database {
            Some(first) if first != db => {
                let found = cat(&["all collections must belong to one database; found ", &quote(first), " and ", &quote(db)]);
                return Err(Error::invalid(&cat(&["request.dbCollections[", &int(i), "].dbName"]), found));
            }
            _ => database = Some(db),
        }
        if group.collection_names.is_empty() {
            return Err(Error::invalid(&cat(&["request.dbCollections[", &int(i), "].collectionNames"]), "must list at least one collection"));
        }
        for (j, name) in group.collection_names.iter().enumerate() {
            let field = cat(&["request.dbCollections[", &int(i), "].collectionNames[", &int(j), "]"]);
            milvus_name(&field, name)?;
            if !seen.insert(name.as_str()) {
                return Err(Error::invalid(&field, cat(&[&quote(name), " is listed twice"])));
            }
        }
    }
    Ok(())
}

/// Names seen so far, for refusing a repeat. A linear scan: the lists are short (collections of
/// one backup, regions), and a set type would add its machinery to the .wasm.
#[derive(Default)]
struct Seen<'a>(Vec<&'a str>);

impl<'a> Seen<'a> {
    /// `false` if `name` was seen before.
    fn insert(&mut self, name: &'a str) -> bool {
        let new = !self.0.contains(&name);
        if new {
            self.0.push(name);
        }
        new
    }
}

fn one_of(field: &str, value: &str, allowed: &[&str]) -> Result<()> {
    if allowed.contains(&value) {
        Ok(())
    } else {
        Err(Error::invalid(field, cat(&["must be one of ", &list(allowed), ", not ", &quote(value)])))
    }
}

/// A whole number in `min..=max`.
pub fn whole(field: &str, value: f64, min: u32, max: u32) -> Result<u32> {
    if !value.is_finite() || value.fract() != 0.0 || value < min as f64 || value > max as f64 {
        return Err(Error::invalid(field, cat(&["must be a whole number from ", &int(min as usize), " to ", &int(max as usize), ", not ", &number_text(value)])));
    }
    Ok(value as u32)
}

/// `YYYY-MM-DDTHH:MM:SSZ` (ISO-8601 UTC, optional fraction), the API's time format.
fn iso_time(field: &str, value: &str) -> Result<()> {
    let b = value.as_bytes();
    let digits = |r: std::ops::Range<usize>| r.clone().all(|i| b.get(i).is_some_and(|c| c.is_ascii_digit()));
    let ok = b.len() >= 20
        && digits(0..4) && b[4] == b'-' && digits(5..7) && b[7] == b'-' && digits(8..10) && b[10] == b'T'
        && digits(11..13) && b[13] == b':' && digits(14..16) && b[16] == b':' && digits(17..19)
        && value.ends_with('Z')
        && (b.len() == 20 || (b[19] == b'.' && digits(20..b.len() - 1)));
    if ok { Ok(()) } else { Err(Error::invalid(field, cat(&["must be an ISO-8601 UTC time like 2024-07-30T16:49:50Z, not ", &quote(value)]))) }
}

pub const MAX_PAGE_SIZE: u32 = 100;

/// Checks list filters; returns them as query parameters, in a stable order.
pub fn list_query(q: &ListBackupsQuery) -> Result<Vec<(&'static str, String)>> {
    let mut params = Vec::new();
    if let Some(v) = &q.project_id {
        resource_id("query.projectId", v)?;
        params.push(("projectId", v.clone()));
    }
    if let Some(v) = &q.cluster_id {
        resource_id("query.clusterId", v)?;
        params.push(("clusterId", v.clone()));
    }
    if let Some(v) = &q.creation_method {
        one_of("query.creationMethod", v, &["MANUAL", "AUTO"])?;
        params.push(("creationMethod", v.clone()));
    }
    if let Some(v) = &q.backup_type {
        one_of("query.backupType", v, &["CLUSTER", "COLLECTION"])?;
        params.push(("backupType", v.clone()));
    }
    if let Some(v) = &q.start_time {
        iso_time("query.startTime", v)?;
        params.push(("startTime", v.clone()));
    }
    if let Some(v) = &q.end_time {
        iso_time("query.endTime", v)?;
        params.push(("endTime", v.clone()));
    }
    if let (Some(start), Some(end)) = (&q.start_time, &q.end_time) {
        if start > end {
            return Err(Error::invalid("query.endTime", "must not be before startTime"));
        }
    }
    if let Some(v) = q.page_size {
        params.push(("pageSize", int(whole("query.pageSize", v, 1, MAX_PAGE_SIZE)? as usize)));
    }
    if let Some(v) = q.current_page {
        params.push(("currentPage", int(whole("query.currentPage", v, 1, 1_000_000)? as usize)));
    }
    Ok(params)
}

/// Cluster names as the console accepts them: letters, digits, '-' and '_' (and spaces inside).
fn cluster_name(field: &str, value: &str) -> Result<()> {
    // ASCII trimming is enough: any other character is refused below.
    let ok = !value.trim_ascii().is_empty()
        && value.len() <= 64
        && value.trim_ascii() == value
        && value.chars().all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_' || c == ' ');
    if ok { Ok(()) } else { Err(Error::invalid(field, cat(&[&quote(value), " is not a valid cluster name (letters, digits, '-', '_', spaces inside; at most 64)"]))) }
}

pub fn restore_cluster(input: &RestoreClusterInput) -> Result<()> {
    resource_id("options.targetProjectId", &input.target_project_id)?;
    cluster_name("options.clusterName", &input.cluster_name)?;
    whole("options.cuSize", input.cu_size, 1, 256)?;
    if let Some(v) = &input.collection_status {
        one_of("options.collectionStatus", v, &["KEEP", "RELEASE"])?;
    }
    if let Some(v) = &input.restore_version_policy {
        one_of("options.restoreVersionPolicy", v, &["ORIGINAL", "LATEST"])?;
    }
    Ok(())
}

pub fn restore_collection(input: &RestoreCollectionInput) -> Result<()> {
    resource_id("options.destClusterId", &input.dest_cluster_id)?;
    let total: usize = input.db_collections.iter().map(|g| g.collections.len()).sum();
    if total != 1 {
        return Err(Error::invalid("options.dbCollections", cat(&["must name exactly one collection (one per request), not ", &int(total)])));
    }
    for (i, group) in input.db_collections.iter().enumerate() {
        let group_field = cat(&["options.dbCollections[", &int(i), "]"]);
        if let Some(db) = &group.db_name {
            milvus_name(&cat(&[&group_field, ".dbName"]), db)?;
        }
        if let Some(db) = &group.dest_db_name {
            milvus_name(&cat(&[&group_field, ".destDbName"]), db)?;
        }
        for (j, c) in group.collections.iter().enumerate() {
            let field = cat(&[&group_field, ".collections[", &int(j), "]"]);
            milvus_name(&cat(&[&field, ".collectionName"]), &c.collection_name)?;
            if let Some(dest) = &c.dest_collection_name {
                milvus_name(&cat(&[&field, ".destCollectionName"]), dest)?;
            }
            if let Some(status) = &c.dest_collection_status {
                one_of(&cat(&[&field, ".destCollectionStatus"]), status, &["LOADED", "UNLOADED"])?;
            }
        }
    }
    Ok(())
}

pub fn export(input: &ExportInput) -> Result<()> {
    resource_id("options.integrationId", &input.integration_id)?;
    if let Some(dir) = &input.directory {
        let bad = dir.is_empty()
            || dir.len() > 1024
            || dir.chars().any(|c| c.is_control() || c == '\\')
            || Parts::new(dir, b'/').any(|segment| segment == "..");
        if bad {
            return Err(Error::invalid("options.directory", "must be a relative path without '..', control characters or backslashes"));
        }
    }
    Ok(())
}

const DAY_NAMES: [&str; 7] = ["MONDAY", "TUESDAY", "WEDNESDAY", "THURSDAY", "FRIDAY", "SATURDAY", "SUNDAY"];

/// Weekday forms → sorted, distinct 1–7 (1 = Monday).
fn weekdays(input: &FrequencyInput) -> Result<Vec<u8>> {
    let field = "policy.frequency";
    let day = |name: &str| -> Result<u8> {
        let upper = name.trim_ascii().to_ascii_uppercase();
        if let Some(n) = parse_u8(&upper) {
            return if (1..=7).contains(&n) { Ok(n) } else { Err(Error::invalid(field, cat(&["weekday ", &int(n.into()), " is not 1 (Monday) to 7 (Sunday)"]))) };
        }
        // A day's name or any start of it of three letters or more ("WED", "Wednes"). Compared
        // as bytes: a name cut inside a multi-byte character must be refused, not panic.
        DAY_NAMES
            .iter()
            .position(|d| upper.len() >= 3 && d.as_bytes().starts_with(upper.as_bytes()))
            .map(|i| i as u8 + 1)
            .ok_or_else(|| Error::invalid(field, cat(&[&quote(name), " is not a weekday (1–7, MON–SUN, \"daily\", \"weekdays\", \"weekends\")"])))
    };
    let mut days: Vec<u8> = match input {
        FrequencyInput::Text(t) => match t.trim_ascii().to_ascii_lowercase().as_str() {
            "daily" | "everyday" | "every day" => vec![1, 2, 3, 4, 5, 6, 7],
            "weekdays" => vec![1, 2, 3, 4, 5],
            "weekends" => vec![6, 7],
            _ => {
                let mut days = Vec::new();
                for name in Parts::new(t, b',') {
                    days.push(day(name)?);
                }
                days
            }
        },
        FrequencyInput::Days(list) => {
            let mut days = Vec::with_capacity(list.len());
            for d in list {
                days.push(match d {
                    DayInput::Number(n) if n.fract() == 0.0 && (1.0..=7.0).contains(n) => *n as u8,
                    DayInput::Number(n) => return Err(Error::invalid(field, cat(&["weekday ", &number_text(*n), " is not 1 (Monday) to 7 (Sunday)"]))),
                    DayInput::Name(s) => day(s)?,
                });
            }
            days
        }
    };
    if days.is_empty() {
        return Err(Error::invalid(field, "must name at least one weekday"));
    }
    // A bit per weekday: sorted and distinct without a sort (no sort machinery in the .wasm).
    let mut mask = 0u8;
    for &d in &days {
        if mask & (1 << d) != 0 {
            return Err(Error::invalid(field, "names a weekday twice"));
        }
        mask |= 1 << d;
    }
    days.clear();
    for d in 1..=7 {
        if mask & (1 << d) != 0 {
            days.push(d);
        }
    }
    Ok(days)
}

/// `"HH:00-HH:00"` (a two-hour UTC window) or its start `"HH:00"` → the window.
fn backup_window(value: &str) -> Result<String> {
    let field = "policy.startTime";
    let hour = |s: &str| -> Option<u8> {
        let (h, m) = split_once(s, b':')?;
        (h.len() == 2 && m == "00").then(|| parse_u8(h)).flatten().filter(|h| *h < 24)
    };
    let bad = || Error::invalid(field, cat(&["must be a two-hour UTC window like \"02:00-04:00\" (or its start \"02:00\"), not ", &quote(value)]));
    let (start, end) = match split_once(value, b'-') {
        Some((a, b)) => (hour(a).ok_or_else(bad)?, Some(hour(b).ok_or_else(bad)?)),
        None => (hour(value).ok_or_else(bad)?, None),
    };
    let expected_end = (start + 2) % 24;
    // "HH:00-HH:00".
    let mut window = String::with_capacity(11);
    for h in [start, expected_end] {
        if !window.is_empty() {
            window.push('-');
        }
        window.push(char::from(b'0' + h / 10));
        window.push(char::from(b'0' + h % 10));
        window.push_str(":00");
    }
    if end.is_some_and(|e| e != expected_end) {
        return Err(Error::invalid(field, cat(&["the window must last two hours: ", &window])));
    }
    Ok(window)
}

/// Checks and normalises a policy into the body sent.
pub fn policy(input: &PolicyInput) -> Result<PolicyBody> {
    if !input.enabled {
        if input.frequency.is_some() || input.start_time.is_some() || input.retention_days.is_some() || input.cross_region_copies.is_some() {
            return Err(Error::invalid("policy", "{ enabled: false } disables automatic backups and takes no other field"));
        }
        return Ok(PolicyBody { enabled: false, frequency: None, start_time: None, retention_days: None, cross_region_copies: None });
    }
    let frequency = match &input.frequency {
        // Days are 1–7: one digit each, "1,3,5".
        Some(f) => Some(weekdays(f)?.iter().map(|&d| char::from(b'0' + d)).fold(String::new(), |mut days, d| {
            if !days.is_empty() {
                days.push(',');
            }
            days.push(d);
            days
        })),
        None => None,
    };
    let start_time = input.start_time.as_deref().map(backup_window).transpose()?;
    let retention_days = input.retention_days.map(|d| whole("policy.retentionDays", d, 1, 30)).transpose()?;
    if let Some(copies) = &input.cross_region_copies {
        let mut seen = Seen::default();
        for (i, c) in copies.iter().enumerate() {
            let copy_field = cat(&["policy.crossRegionCopies[", &int(i), "]"]);
            region_id(&cat(&[&copy_field, ".regionId"]), &c.region_id)?;
            if let Some(d) = c.retention_days {
                whole(&cat(&[&copy_field, ".retentionDays"]), d, 1, 30)?;
            }
            if !seen.insert(c.region_id.as_str()) {
                return Err(Error::invalid(&cat(&[&copy_field, ".regionId"]), "is listed twice"));
            }
        }
    }
    Ok(PolicyBody { enabled: true, frequency, start_time, retention_days, cross_region_copies: input.cross_region_copies.clone() })
}

/// The API key: sent only as `Authorization: Bearer <token>`. Error messages never quote it.
pub fn token(value: &str) -> Result<()> {
    if value.is_empty() {
        return Err(Error::invalid("token", "is required (a Zilliz Cloud API key)"));
    }
    if value.len() > 4096 {
        return Err(Error::invalid("token", "is longer than 4096 characters"));
    }
    // Printable ASCII only (0x21–0x7E): no whitespace, control or non-ASCII character.
    if !value.bytes().all(|b| b.is_ascii_graphic()) {
        return Err(Error::invalid("token", "contains whitespace, control or non-ASCII characters (check for a stray newline when reading it from a file)"));
    }
    Ok(())
}

/// A whole number of milliseconds in `min..=max`.
pub fn millis(field: &str, value: f64, min: f64, max: f64) -> Result<f64> {
    if !value.is_finite() || value.fract() != 0.0 {
        return Err(Error::invalid(field, cat(&["must be a whole number of milliseconds, not ", &number_text(value)])));
    }
    if value < min || value > max {
        return Err(Error::invalid(field, cat(&["must be between ", &number_text(min), " and ", &number_text(max), " milliseconds, not ", &number_text(value)])));
    }
    Ok(value)
}

pub fn count(field: &str, value: f64, max: u32) -> Result<u32> {
    if !value.is_finite() || value.fract() != 0.0 || value < 0.0 || value > max as f64 {
        return Err(Error::invalid(field, cat(&["must be a whole number from 0 to ", &int(max as usize), ", not ", &number_text(value)])));
    }
    Ok(value as u32)
}

/// An extra header. `Authorization` is ours; names and values must be valid HTTP.
pub fn header(name: &str, value: &str) -> Result<()> {
    let field = cat(&["headers[", &quote(name), "]"]);
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
    let mut out = String::new();
    if c.is_whitespace() || c.is_control() {
        // "U+000A": at least four upper-case hex digits.
        out.push_str("the character U+");
        let code = c as u32;
        let digits = (32 - code.leading_zeros()).div_ceil(4).max(4);
        for shift in (0..digits).rev() {
            out.push(char::from(b"0123456789ABCDEF"[(code >> (shift * 4)) as usize & 15]));
        }
    } else {
        out.push('\'');
        out.push(c);
        out.push('\'');
    }
    out
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
        // The message names the first character refused, a non-ASCII one whole.
        for (bad, named) in [("in01-ü/x", "ü"), ("in 01", "U+0020"), ("a/b", "/")] {
            let e = resource_id("clusterId", bad).unwrap_err();
            assert!(e.message.contains(named) && e.message.contains("is not allowed in an id"), "{bad}: {}", e.message);
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

    fn decode<T: crate::json::FromJson>(text: &str) -> T {
        json::decode(&json::parse(text).unwrap()).unwrap()
    }

    #[test]
    fn list_queries() {
        let q: ListBackupsQuery = decode(r#"{"clusterId":"in01-a","creationMethod":"MANUAL","pageSize":50,"currentPage":2,"startTime":"2024-07-30T16:49:50Z"}"#);
        assert_eq!(list_query(&q).unwrap(), vec![
            ("clusterId", "in01-a".to_owned()), ("creationMethod", "MANUAL".into()), ("startTime", "2024-07-30T16:49:50Z".into()),
            ("pageSize", "50".into()), ("currentPage", "2".into()),
        ]);
        for (bad, field) in [
            (r#"{"clusterId":"a/b"}"#, "query.clusterId"),
            (r#"{"creationMethod":"manual"}"#, "query.creationMethod"),
            (r#"{"backupType":"ALL"}"#, "query.backupType"),
            (r#"{"pageSize":0}"#, "query.pageSize"),
            (r#"{"pageSize":101}"#, "query.pageSize"),
            (r#"{"currentPage":1.5}"#, "query.currentPage"),
            (r#"{"startTime":"yesterday"}"#, "query.startTime"),
            (r#"{"startTime":"2024-07-31T00:00:00Z","endTime":"2024-07-30T00:00:00Z"}"#, "query.endTime"),
        ] {
            refused(list_query(&decode(bad)).map(drop), field);
        }
    }

    #[test]
    fn restores_and_exports() {
        restore_cluster(&decode(r#"{"targetProjectId":"proj-1","clusterName":"Restored 1","cuSize":2,"collectionStatus":"RELEASE","restoreVersionPolicy":"LATEST"}"#)).unwrap();
        for (bad, field) in [
            (r#"{"targetProjectId":"proj 1","clusterName":"a","cuSize":1}"#, "options.targetProjectId"),
            (r#"{"targetProjectId":"p","clusterName":"","cuSize":1}"#, "options.clusterName"),
            (r#"{"targetProjectId":"p","clusterName":"a","cuSize":0}"#, "options.cuSize"),
            (r#"{"targetProjectId":"p","clusterName":"a","cuSize":1,"collectionStatus":"keep"}"#, "options.collectionStatus"),
            (r#"{"targetProjectId":"p","clusterName":"a","cuSize":1,"restoreVersionPolicy":"NEWEST"}"#, "options.restoreVersionPolicy"),
        ] {
            refused(restore_cluster(&decode(bad)), field);
        }
        restore_collection(&decode(r#"{"destClusterId":"in01-b","dbCollections":[{"dbName":"default","collections":[{"collectionName":"a","destCollectionName":"a_copy","destCollectionStatus":"LOADED"}]}]}"#)).unwrap();
        for (bad, field) in [
            (r#"{"destClusterId":"in01-b","dbCollections":[]}"#, "options.dbCollections"),
            (r#"{"destClusterId":"in01-b","dbCollections":[{"collections":[{"collectionName":"a"},{"collectionName":"b"}]}]}"#, "options.dbCollections"),
            (r#"{"destClusterId":"in01/b","dbCollections":[{"collections":[{"collectionName":"a"}]}]}"#, "options.destClusterId"),
            (r#"{"destClusterId":"in01-b","dbCollections":[{"collections":[{"collectionName":"a","destCollectionStatus":"HOT"}]}]}"#, "options.dbCollections[0].collections[0].destCollectionStatus"),
            (r#"{"destClusterId":"in01-b","dbCollections":[{"collections":[{"collectionName":"a-b"}]}]}"#, "options.dbCollections[0].collections[0].collectionName"),
        ] {
            refused(restore_collection(&decode(bad)), field);
        }
        export(&decode(r#"{"integrationId":"integ-abc","directory":"backups/2024"}"#)).unwrap();
        refused(export(&decode(r#"{"integrationId":"integ abc"}"#)), "options.integrationId");
        refused(export(&decode(r#"{"integrationId":"integ-a","directory":"../etc"}"#)), "options.directory");
    }

    #[test]
    fn policies_are_normalised() {
        let body = policy(&decode(r#"{"enabled":true,"frequency":["wed","MON",5],"startTime":"02:00","retentionDays":7}"#)).unwrap();
        assert_eq!(json::to_string(&body), r#"{"enabled":true,"frequency":"1,3,5","startTime":"02:00-04:00","retentionDays":7}"#);
        for (freq, want) in [(r#""daily""#, "1,2,3,4,5,6,7"), (r#""weekdays""#, "1,2,3,4,5"), (r#""weekends""#, "6,7"), (r#""1,2,5""#, "1,2,5"), (r#"["Sunday","tuesday"]"#, "2,7")] {
            let body = policy(&decode(&format!(r#"{{"enabled":true,"frequency":{freq}}}"#))).unwrap();
            assert_eq!(body.frequency.as_deref(), Some(want), "{freq}");
        }
        assert_eq!(policy(&decode(r#"{"enabled":true,"startTime":"23:00-01:00"}"#)).unwrap().start_time.as_deref(), Some("23:00-01:00"));
        assert_eq!(json::to_string(&policy(&decode(r#"{"enabled":false}"#)).unwrap()), r#"{"enabled":false}"#);
        for (bad, field) in [
            (r#"{"enabled":true,"frequency":[8]}"#, "policy.frequency"),
            (r#"{"enabled":true,"frequency":[0]}"#, "policy.frequency"),
            (r#"{"enabled":true,"frequency":["MON","mon"]}"#, "policy.frequency"),
            (r#"{"enabled":true,"frequency":["Funday"]}"#, "policy.frequency"),
            // Non-ASCII where a weekday's first three letters are compared: refused, not a panic.
            (r#"{"enabled":true,"frequency":["MOé"]}"#, "policy.frequency"),
            (r#"{"enabled":true,"frequency":"TUé,WED"}"#, "policy.frequency"),
            (r#"{"enabled":true,"startTime":"0é:00"}"#, "policy.startTime"),
            (r#"{"enabled":true,"frequency":[]}"#, "policy.frequency"),
            (r#"{"enabled":true,"startTime":"02:00-05:00"}"#, "policy.startTime"),
            (r#"{"enabled":true,"startTime":"02:30-04:30"}"#, "policy.startTime"),
            (r#"{"enabled":true,"startTime":"24:00"}"#, "policy.startTime"),
            (r#"{"enabled":true,"retentionDays":0}"#, "policy.retentionDays"),
            (r#"{"enabled":true,"retentionDays":31}"#, "policy.retentionDays"),
            (r#"{"enabled":false,"retentionDays":3}"#, "policy"),
            (r#"{"enabled":true,"crossRegionCopies":[{"regionId":"aws-us-west-2","retentionDays":40}]}"#, "policy.crossRegionCopies[0].retentionDays"),
        ] {
            let r: PolicyInput = decode(bad);
            refused(policy(&r).map(drop), field);
        }
    }

    #[test]
    fn printable_is_what_format_gave() {
        for c in ['a', 'é', '\n', '\t', ' ', '\u{0}', '\u{85}', '\u{a0}', '\u{2028}', '\u{3000}', '😀', '\u{e0001}'] {
            let old = if c.is_whitespace() || c.is_control() { format!("the character U+{:04X}", c as u32) } else { format!("'{c}'") };
            assert_eq!(printable(c), old, "{c:?}");
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
