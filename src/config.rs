//! Client options, validated once when the client is made.

use crate::error::{Error, Result};
use crate::text::{find, split_exact};
use crate::validate;
use std::fmt;
use crate::http::Headers;

pub const DEFAULT_BASE_URL: &str = "https://api.cloud.zilliz.com";
pub const DEFAULT_TIMEOUT_MS: f64 = 30_000.0;
pub const MAX_TIMEOUT_MS: f64 = 600_000.0;
pub const DEFAULT_MAX_RETRIES: u32 = 3;
pub const MAX_RETRIES: u32 = 10;

/// Options as the caller gave them (every field optional but the token).
#[derive(Default)]
pub struct ClientOptions {
    pub token: Option<String>,
    pub base_url: Option<String>,
    pub timeout_ms: Option<f64>,
    pub max_retries: Option<f64>,
    pub headers: Vec<(String, String)>,
    pub requests_per_second: Option<f64>,
}

/// The validated configuration. Its `Debug` never shows the token.
#[derive(Clone)]
pub struct ClientConfig {
    /// `scheme://host[:port][/path]`, no trailing slash.
    pub base_url: String,
    token: String,
    pub timeout_ms: f64,
    pub max_retries: u32,
    pub headers: Vec<(String, String)>,
    /// Per endpoint, shared by every call on the client; 0 = no limit.
    pub requests_per_second: u32,
    /// What every request carries, without and with a JSON body: built once.
    request_headers: [Headers; 2],
}

impl ClientConfig {
    pub fn new(options: ClientOptions) -> Result<Self> {
        let token = options.token.ok_or_else(|| Error::invalid("token", "is required (a Zilliz Cloud API key)"))?;
        validate::token(&token)?;
        let base_url = match options.base_url {
            Some(url) => base_url(&url)?,
            None => DEFAULT_BASE_URL.to_owned(),
        };
        let timeout_ms = match options.timeout_ms {
            Some(ms) => validate::millis("timeoutMs", ms, 1.0, MAX_TIMEOUT_MS)?,
            None => DEFAULT_TIMEOUT_MS,
        };
        let max_retries = match options.max_retries {
            Some(n) => validate::count("maxRetries", n, MAX_RETRIES)?,
            None => DEFAULT_MAX_RETRIES,
        };
        for (name, value) in &options.headers {
            validate::header(name, value)?;
        }
        let requests_per_second = match options.requests_per_second {
            Some(n) => validate::count("requestsPerSecond", n, crate::limiter::MAX_PER_SECOND)?,
            None => crate::limiter::DEFAULT_PER_SECOND,
        };
        let request_headers = [false, true].map(|with_body| {
            let mut set = vec![
                ("Authorization".to_owned(), authorization(&token)),
                ("Accept".to_owned(), "application/json".to_owned()),
            ];
            if with_body {
                set.push(("Content-Type".to_owned(), "application/json".to_owned()));
            }
            set.extend(options.headers.iter().cloned());
            Headers::from(set)
        });
        Ok(ClientConfig { base_url, token, timeout_ms, max_retries, headers: options.headers, requests_per_second, request_headers })
    }

    /// The headers of a request, `Authorization` first.
    pub fn request_headers(&self, with_body: bool) -> Headers {
        self.request_headers[usize::from(with_body)].clone()
    }

    /// The `Authorization` header value.
    pub fn authorization(&self) -> String {
        authorization(&self.token)
    }
}

/// `Bearer <token>`: the only place the token is read.
fn authorization(token: &str) -> String {
    let mut value = String::with_capacity(7 + token.len());
    value.push_str("Bearer ");
    value.push_str(token);
    value
}

impl fmt::Debug for ClientConfig {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ClientConfig")
            .field("base_url", &self.base_url)
            .field("token", &"<redacted>")
            .field("timeout_ms", &self.timeout_ms)
            .field("max_retries", &self.max_retries)
            .field("headers", &self.headers)
            .finish()
    }
}

/// Checks and normalises `baseUrl`: https, or http only to a loopback host (a local emulator);
/// no credentials, query or fragment, since they would be sent along with every request.
///
/// Byte loops rather than `str` patterns and `format!`: this runs when a client is made, before
/// its first request, and a runtime that compiles wasm lazily (V8) compiles what runs then
/// (string searchers and the formatting machinery were a third of it; bench/HISTORY.md, cold
/// start). Every byte is ASCII once the first check has passed.
pub fn base_url(value: &str) -> Result<String> {
    if value.bytes().any(|b| b <= b' ' || b >= 0x7f) {
        return Err(bad_base_url(value, "must not contain whitespace, control or non-ASCII characters"));
    }
    let Some(scheme_end) = find(value, "://") else {
        return Err(bad_base_url(value, "must be an absolute URL such as https://api.cloud.zilliz.com"));
    };
    let scheme = &value[..scheme_end];
    let rest = &value[scheme_end + 3..];
    if rest.bytes().any(|b| b == b'?' || b == b'#') {
        return Err(bad_base_url(value, "must not have a query or fragment"));
    }
    let (authority, path) = rest.split_at(rest.bytes().position(|b| b == b'/').unwrap_or(rest.len()));
    if authority.bytes().any(|b| b == b'@') {
        return Err(bad_base_url(value, "must not contain credentials"));
    }
    let Some((host, port)) = split_host_port(authority) else {
        return Err(bad_base_url(value, "has an invalid host or port"));
    };
    let https = scheme.eq_ignore_ascii_case("https");
    if !https {
        if !scheme.eq_ignore_ascii_case("http") {
            return Err(bad_base_url(value, "must use https"));
        }
        if !is_loopback(host) {
            return Err(bad_base_url(value, "must use https (plain http is allowed only for localhost, 127.0.0.0/8 and [::1])"));
        }
    }
    let dot_dot = find(path, "/../").is_some() || path.as_bytes().ends_with(b"/..");
    if dot_dot || path.bytes().any(|b| b == b'\\' || b == b'%') {
        return Err(bad_base_url(value, "has an invalid path"));
    }
    let path = &path[..path.bytes().rposition(|b| b != b'/').map_or(0, |i| i + 1)];
    let mut url = String::with_capacity(value.len() + 1);
    url.push_str(if https { "https://" } else { "http://" });
    let host_start = url.len();
    url.push_str(host);
    url[host_start..].make_ascii_lowercase();
    if let Some(port) = port {
        url.push(':');
        crate::json::format_number(f64::from(port), &mut url);
    }
    url.push_str(path);
    Ok(url)
}

#[cold]
#[inline(never)]
fn bad_base_url(value: &str, why: &str) -> Error {
    Error::invalid("baseUrl", crate::text::cat(&[why, " (got ", &crate::json::quote(value), ")"]))
}

/// `digits` as a number when it is 1 to `max_len` ASCII digits.
fn decimal(digits: &str, max_len: usize) -> Option<u32> {
    if digits.is_empty() || digits.len() > max_len || !digits.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    Some(digits.bytes().fold(0, |n, b| n * 10 + u32::from(b - b'0')))
}

/// `a.b.c.d`, each 0–255 in plain decimal without leading zeros.
fn is_dotted_quad(host: &str) -> bool {
    let Some(parts) = split_exact::<4>(host, b'.') else { return false };
    parts.iter().all(|p| (p.len() == 1 || !p.starts_with('0')) && decimal(p, 3).is_some_and(|n| n <= 255))
}

fn split_host_port(authority: &str) -> Option<(&str, Option<u16>)> {
    let bytes = authority.as_bytes();
    let (host, port) = if bytes.first() == Some(&b'[') {
        let end = bytes.iter().position(|&b| b == b']')?;
        let (host, after) = authority.split_at(end + 1);
        if !host[1..end].bytes().all(|b| b.is_ascii_hexdigit() || b == b':' || b == b'.') {
            return None;
        }
        match after {
            "" => (host, None),
            p => (host, Some(p.strip_prefix(':')?)),
        }
    } else {
        match bytes.iter().rposition(|&b| b == b':') {
            Some(i) => (&authority[..i], Some(&authority[i + 1..])),
            None => (authority, None),
        }
    };
    if !host.starts_with('[') {
        let valid = !host.is_empty()
            && host.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'.')
            && !host.starts_with('.')
            && !host.starts_with('-');
        if !valid {
            return None;
        }
        // WHATWG URL (what fetch parses with) reads a host whose last label is numeric (or 0x…)
        // as an IPv4 address and refuses it unless it is one: accept only a plain dotted quad then.
        let trimmed = &host[..host.bytes().rposition(|b| b != b'.').map_or(0, |i| i + 1)];
        let last = &trimmed[trimmed.bytes().rposition(|b| b == b'.').map_or(0, |i| i + 1)..];
        let numeric = !last.is_empty()
            && (last.bytes().all(|b| b.is_ascii_digit()) || last.starts_with("0x") || last.starts_with("0X"));
        if numeric && !is_dotted_quad(trimmed) {
            return None;
        }
    }
    let port = match port {
        None => None,
        Some(p) => Some(decimal(p, 5).filter(|n| (1..=65535).contains(n))? as u16),
    };
    Some((host, port))
}

fn is_loopback(host: &str) -> bool {
    if host.eq_ignore_ascii_case("localhost") || host == "[::1]" {
        return true;
    }
    split_exact::<4>(host, b'.').is_some_and(|octets| octets[0] == "127" && octets.iter().all(|o| decimal(o, 3).is_some_and(|n| n <= 255)))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::error::ErrorKind;

    #[test]
    fn base_urls() {
        for (input, want) in [
            ("https://api.cloud.zilliz.com", "https://api.cloud.zilliz.com"),
            ("https://api.cloud.zilliz.com/", "https://api.cloud.zilliz.com"),
            ("HTTPS://API.cloud.zilliz.com.cn", "https://api.cloud.zilliz.com.cn"),
            ("https://proxy.example.com:8443/zilliz/", "https://proxy.example.com:8443/zilliz"),
            ("http://127.0.0.1:8787", "http://127.0.0.1:8787"),
            ("http://localhost:3000", "http://localhost:3000"),
            ("http://[::1]:9000", "http://[::1]:9000"),
            ("HTTP://LocalHost:08080//", "http://localhost:8080"),
            ("https://x.com:65535/a/./b", "https://x.com:65535/a/./b"),
            ("https://[fe80::1]", "https://[fe80::1]"),
        ] {
            assert_eq!(base_url(input).unwrap(), want, "{input}");
        }
        for bad in [
            "", "api.cloud.zilliz.com", "http://api.cloud.zilliz.com", "http://10.0.0.1", "http://127.0.0.1.evil.com",
            "ftp://x.com", "https://user:pw@x.com", "https://x.com?a=1", "https://x.com/#f", "https://x .com",
            "https://x.com:0", "https://x.com:70000", "https://x.com:", "https://", "https://x.com/a/../b", "https://-x.com",
            "javascript://x.com", "https://x.com\n", "https://x.com:65536", "https://x.com:123456", "https://01.2.3.4",
            "https://x.0x1", "https://1.2.3", "https://1.2.3.256", "https://[g::1]", "https://[::1", "https://[::1]x", "http://127.0.0", "http://127.0.0.1.:1",
            "https://x.com/a\\b", "https://x.com/a%20", "https://x.com/..", "https:/x.com", "https://.x.com", "https://é.com",
        ] {
            let e = base_url(bad).unwrap_err();
            assert_eq!(e.kind, ErrorKind::InvalidInput, "{bad}");
            assert!(e.message.starts_with("baseUrl"), "{bad}");
        }
    }

    #[test]
    fn defaults_and_redaction() {
        let c = ClientConfig::new(ClientOptions { token: Some("sk-SECRET".into()), ..Default::default() }).unwrap();
        assert_eq!(c.base_url, DEFAULT_BASE_URL);
        assert_eq!(c.timeout_ms, DEFAULT_TIMEOUT_MS);
        assert_eq!(c.max_retries, DEFAULT_MAX_RETRIES);
        assert_eq!(c.authorization(), "Bearer sk-SECRET");
        assert!(!format!("{c:?}").contains("sk-SECRET"));
    }

    #[test]
    fn missing_token_is_refused() {
        let e = ClientConfig::new(ClientOptions::default()).unwrap_err();
        assert!(e.message.starts_with("token"));
    }
}
