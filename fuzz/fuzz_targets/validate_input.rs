//! Any bytes as caller input: ids, names, base URLs, tokens, headers, and JSON for the create
//! request, the list query and the policy. Validation may refuse (InvalidInput, never a panic);
//! what it accepts must be safe to put into a URL or a body.
#![no_main]

use libfuzzer_sys::fuzz_target;
use zilliz_cloud_backup::config;
use zilliz_cloud_backup::model::backup::{CreateBackupRequest, ListBackupsQuery};
use zilliz_cloud_backup::model::policy::PolicyInput;
use zilliz_cloud_backup::{json, validate, ErrorKind};

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else { return };

    if refused_or(validate::resource_id("id", text)) {
        // It goes into the URL path as it is.
        assert!(!text.is_empty() && text.len() <= 128, "{text:?}");
        assert!(text.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_'), "{text:?}");
    }
    if refused_or(validate::milvus_name("name", text)) {
        assert!(text.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'_'), "{text:?}");
    }
    if let Ok(base) = config::base_url(text) {
        // What fetch will do with it (WHATWG URL, as the `url` crate implements it): the same
        // host with every path appended, https or loopback http, nothing sent along.
        let parsed = url::Url::parse(&base).unwrap_or_else(|e| panic!("{base:?} accepted but unparsable: {e}"));
        let full = url::Url::parse(&format!("{base}/v2/jobs/job-1?x=1")).unwrap();
        assert_eq!(full.host_str(), parsed.host_str(), "{base}");
        assert_eq!(full.port_or_known_default(), parsed.port_or_known_default(), "{base}");
        assert!(parsed.username().is_empty() && parsed.password().is_none(), "{base}");
        assert!(parsed.query().is_none() && parsed.fragment().is_none(), "{base}");
        assert!(full.path().ends_with("/v2/jobs/job-1"), "{base} → {}", full.path());
        match parsed.scheme() {
            "https" => {}
            "http" => {
                let loopback = match parsed.host() {
                    Some(url::Host::Domain(d)) => d == "localhost",
                    Some(url::Host::Ipv4(ip)) => ip.is_loopback(),
                    Some(url::Host::Ipv6(ip)) => ip.is_loopback(),
                    None => false,
                };
                assert!(loopback, "plain http to {:?}", parsed.host_str());
            }
            other => panic!("scheme {other} accepted: {base}"),
        }
    }
    if refused_or(validate::token(text)) {
        assert!(text.bytes().all(|b| b.is_ascii_graphic()), "token {text:?}");
    }
    if let Some((name, value)) = text.split_once(':') {
        if refused_or(validate::header(name, value)) {
            assert!(!name.eq_ignore_ascii_case("authorization"));
            assert!(!value.contains(['\r', '\n']), "{value:?}");
        }
    }

    // The same bytes as JSON input for each request kind.
    if let Some(request) = decode::<CreateBackupRequest>(text) {
        if refused_or(validate::create_backup_request(&request)) {
            assert!(request.backup_type == "CLUSTER" || request.backup_type == "COLLECTION");
            let body = json::to_string(&request);
            assert_eq!(decode::<CreateBackupRequest>(&body), Some(request), "the body round-trips");
        }
    }
    if let Some(query) = decode::<ListBackupsQuery>(text) {
        if let Ok(params) = refused_or_value(validate::list_query(&query)) {
            for (_, v) in params {
                assert!(v.bytes().all(|b| b.is_ascii_alphanumeric() || b"-_:.".contains(&b)), "query value {v:?}");
            }
        }
    }
    if let Some(policy) = decode::<PolicyInput>(text) {
        if let Ok(body) = refused_or_value(validate::policy(&policy)) {
            if let Some(f) = &body.frequency {
                let days: Vec<u8> = f.split(',').map(|d| d.parse().unwrap()).collect();
                assert!(days.windows(2).all(|w| w[0] < w[1]) && days.iter().all(|d| (1..=7).contains(d)), "{f}");
            }
            if let Some(w) = &body.start_time {
                let (a, b) = w.split_once('-').unwrap();
                let h = |s: &str| s[..2].parse::<u32>().unwrap();
                assert_eq!((h(a) + 2) % 24, h(b), "{w}");
            }
            assert!(body.retention_days.is_none_or(|d| (1..=30).contains(&d)));
        }
    }
});

/// True when accepted; a refusal must be InvalidInput.
fn refused_or(r: zilliz_cloud_backup::error::Result<()>) -> bool {
    refused_or_value(r).is_ok()
}

fn refused_or_value<T>(r: zilliz_cloud_backup::error::Result<T>) -> Result<T, ()> {
    match r {
        Ok(v) => Ok(v),
        Err(e) => {
            assert_eq!(e.kind, ErrorKind::InvalidInput, "{}", e.message);
            assert!(e.message.contains(':'), "the message names the field: {}", e.message);
            Err(())
        }
    }
}

/// Caller input as the JS layer reads it: JSON, then the type's strict decoder.
fn decode<T: json::FromJson>(text: &str) -> Option<T> {
    json::decode(&json::parse(text).ok()?).ok()
}
