//! Client options, validated once when the client is made.

use crate::error::{Error, Result};
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
pub fn base_url(value: &str) -> Result<String> {
    let bad = |why: &str| Error::invalid("baseUrl", format!("{why} (got {q_value})", q_value = crate::json::quote(value)));
    if value.chars().any(|c| c.is_whitespace() || c.is_control() || !c.is_ascii()) {
        return Err(bad("must not contain whitespace, control or non-ASCII characters"));
    }
    let (scheme, rest) = value.split_once("://").ok_or_else(|| bad("must be an absolute URL such as https://api.cloud.zilliz.com"))?;
    let scheme = scheme.to_ascii_lowercase();
    if rest.contains(['?', '#']) {
        return Err(bad("must not have a query or fragment"));
    }
    let (authority, path) = match rest.find('/') {
        Some(i) => rest.split_at(i),
        None => (rest, ""),
    };
    if authority.contains('@') {
        return Err(bad("must not contain credentials"));
    }
    let (host, port) = split_host_port(authority).ok_or_else(|| bad("has an invalid host or port"))?;
    let host = host.to_ascii_lowercase();
    match scheme.as_str() {
        "https" => {}
        "http" if is_loopback(&host) => {}
        "http" => return Err(bad("must use https (plain http is allowed only for localhost, 127.0.0.0/8 and [::1])")),
        _ => return Err(bad("must use https")),
    }
    if path.contains("/../") || path.ends_with("/..") || path.contains('\\') || path.contains('%') {
        return Err(bad("has an invalid path"));
    }
    let port = port.map(|p| format!(":{p}")).unwrap_or_default();
    Ok(format!("{scheme}://{host}{port}{}", path.trim_end_matches('/')))
}

/// `a.b.c.d`, each 0–255 in plain decimal without leading zeros.
fn is_dotted_quad(host: &str) -> bool {
    let parts: Vec<&str> = host.split('.').collect();
    parts.len() == 4 && parts.iter().all(|p| !p.is_empty() && p.len() <= 3 && p.bytes().all(|b| b.is_ascii_digit()) && (p.len() == 1 || !p.starts_with('0')) && p.parse::<u16>().is_ok_and(|n| n <= 255))
}

fn split_host_port(authority: &str) -> Option<(&str, Option<u16>)> {
    let (host, port) = if let Some(rest) = authority.strip_prefix('[') {
        let end = rest.find(']')?;
        let host = &authority[..end + 2];
        let after = &rest[end + 1..];
        if !host[1..host.len() - 1].chars().all(|c| c.is_ascii_hexdigit() || c == ':' || c == '.') {
            return None;
        }
        match after {
            "" => (host, None),
            p => (host, Some(p.strip_prefix(':')?)),
        }
    } else {
        match authority.rsplit_once(':') {
            Some((h, p)) => (h, Some(p)),
            None => (authority, None),
        }
    };
    if !host.starts_with('[')
        && (host.is_empty() || !host.chars().all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '.') || host.starts_with(['.', '-']))
    {
        return None;
    }
    // WHATWG URL (what fetch parses with) reads a host whose last label is numeric (or 0x…) as
    // an IPv4 address and refuses it unless it is one: accept only a plain dotted quad then.
    if !host.starts_with('[') {
        let last = host.trim_end_matches('.').rsplit('.').next().unwrap_or("");
        let numeric = !last.is_empty() && (last.bytes().all(|b| b.is_ascii_digit()) || last.starts_with("0x") || last.starts_with("0X"));
        if numeric && !is_dotted_quad(host.trim_end_matches('.')) {
            return None;
        }
    }
    let port = match port {
        None => None,
        Some(p) if !p.is_empty() && p.len() <= 5 && p.bytes().all(|b| b.is_ascii_digit()) => Some(p.parse::<u16>().ok().filter(|p| *p > 0)?),
        Some(_) => return None,
    };
    Some((host, port))
}

fn is_loopback(host: &str) -> bool {
    if host == "localhost" || host == "[::1]" {
        return true;
    }
    let octets: Vec<&str> = host.split('.').collect();
    octets.len() == 4 && octets[0] == "127" && octets.iter().all(|o| !o.is_empty() && o.len() <= 3 && o.parse::<u8>().is_ok())
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
        ] {
            assert_eq!(base_url(input).unwrap(), want, "{input}");
        }
        for bad in [
            "", "api.cloud.zilliz.com", "http://api.cloud.zilliz.com", "http://10.0.0.1", "http://127.0.0.1.evil.com",
            "ftp://x.com", "https://user:pw@x.com", "https://x.com?a=1", "https://x.com/#f", "https://x .com",
            "https://x.com:0", "https://x.com:70000", "https://x.com:", "https://", "https://x.com/a/../b", "https://-x.com",
            "javascript://x.com", "https://x.com\n",
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
