//! The `{code, data, message}` envelope every endpoint answers with.
//!
//! This is the only place that turns an HTTP response into data or an [`Error`]: HTTP status,
//! then the body's `code` (business errors arrive under HTTP 200 with a non-zero code).

use crate::error::{Error, ErrorKind, Result};
use crate::http::HttpResponse;
use crate::json::{self, number_text, FromJson, Path, Problem, Value};
use crate::text::{cat, int};

/// API codes that mean the key itself is wrong (seen under HTTP 401 and 200).
const UNAUTHORIZED_CODES: [i64; 2] = [21119, 80001];

/// Decodes a response into `T` (the envelope's `data`) or the error it describes.
pub fn decode<T: FromJson>(response: &HttpResponse) -> Result<T> {
    let data = open(response)?;
    decode_data(&data, response.status, response.request_id.as_deref())
}

/// The envelope's `data` as a JSON value, or the error the response describes. Not generic, so
/// the request loop that calls it exists once in the .wasm, not once per response type.
#[inline(never)]
pub fn open(response: &HttpResponse) -> Result<Value<'_>> {
    let status = response.status;
    let parsed = json::parse(&response.body);
    let (code, server_message) = match &parsed {
        Ok(v) => (
            v.get("code").and_then(Value::as_f64).filter(|c| c.fract() == 0.0 && c.abs() < 1e15).map(|c| c as i64),
            v.get("message").and_then(Value::as_str).map(str::to_owned),
        ),
        Err(_) => (None, None),
    };

    if !(200..300).contains(&status) {
        return Err(http_error(response, code, server_message));
    }
    let mut value = parsed.map_err(|e| protocol(response, cat(&["the response is not JSON (", &e, ")"])))?;
    match code {
        Some(0) => value.take("data").ok_or_else(|| protocol(response, "the response has no `data`".into())),
        Some(code) => Err(api_error(response, code, server_message)),
        None => Err(protocol(response, "the response has no `code`".into())),
    }
}

/// `data` as `T`; a mismatch is a protocol error.
pub fn decode_data<T: FromJson>(data: &Value, status: u16, request_id: Option<&str>) -> Result<T> {
    T::from_json(data, Path::Root("")).map_err(|e| unreadable_data(e, status, request_id))
}

/// Not generic, so it exists once in the .wasm rather than once per response type.
#[cold]
#[inline(never)]
fn unreadable_data(e: Problem, status: u16, request_id: Option<&str>) -> Error {
    let message = cat(&["Zilliz Cloud sent an unreadable response (HTTP ", &int(status.into()), "): unexpected response data: ", &e.into_message()]);
    let mut err = Error::new(ErrorKind::Protocol, message);
    err.http_status = Some(status);
    err.request_id = request_id.map(str::to_owned);
    err
}

fn base(response: &HttpResponse, kind: ErrorKind, message: String) -> Error {
    let mut e = Error::new(kind, message);
    e.http_status = Some(response.status);
    e.request_id = response.request_id.clone();
    e
}

#[cold]
#[inline(never)]
fn protocol(response: &HttpResponse, what: String) -> Error {
    base(response, ErrorKind::Protocol, cat(&["Zilliz Cloud sent an unreadable response (HTTP ", &int(response.status.into()), "): ", &what]))
}

/// A server message kept for display, cut (on a character boundary) if absurdly long.
fn capped(mut message: String) -> String {
    if let Some((i, _)) = message.char_indices().nth(1000) {
        message.truncate(i);
    }
    message
}

#[cold]
#[inline(never)]
fn api_error(response: &HttpResponse, code: i64, message: Option<String>) -> Error {
    let kind = if UNAUTHORIZED_CODES.contains(&code) { ErrorKind::Unauthorized } else { ErrorKind::Api };
    let text = message.clone().unwrap_or_else(|| "no message".into());
    let mut e = base(response, kind, cat(&["Zilliz Cloud API error ", &number_text(code as f64), ": ", &text]));
    e.code = Some(code);
    e.server_message = message.map(capped);
    e
}

#[cold]
#[inline(never)]
fn http_error(response: &HttpResponse, code: Option<i64>, message: Option<String>) -> Error {
    let status = response.status;
    let kind = match status {
        0 | 300..=399 => {
            // fetch runs with `redirect: "manual"`: a redirect is never followed (it could carry
            // the key to another origin), and the API never redirects, so it is a protocol error.
            return base(response, ErrorKind::Protocol, cat(&["Zilliz Cloud answered with a redirect (HTTP ", &int(status.into()), "), which is not followed"]));
        }
        401 => ErrorKind::Unauthorized,
        403 => ErrorKind::Forbidden,
        404 => ErrorKind::NotFound,
        429 => ErrorKind::RateLimited,
        500..=599 => ErrorKind::Server,
        _ => match code {
            Some(c) if UNAUTHORIZED_CODES.contains(&c) => ErrorKind::Unauthorized,
            _ => ErrorKind::Api,
        },
    };
    let server_message = message.clone().map(capped);
    let detail = match (&code, message) {
        (Some(c), Some(m)) => cat(&[": API error ", &number_text(*c as f64), ": ", &m]),
        (None, Some(m)) => cat(&[": ", &m]),
        (Some(c), None) => cat(&[": API error ", &number_text(*c as f64)]),
        (None, None) if response.body.trim_ascii_start().starts_with('<') => {
            ": the body is an HTML page (likely from a proxy or gateway)".to_owned()
        }
        (None, None) => String::new(),
    };
    let mut e = base(response, kind, cat(&["Zilliz Cloud answered HTTP ", &int(status.into()), &detail]));
    e.code = code;
    e.server_message = server_message;
    e.retryable = matches!(kind, ErrorKind::RateLimited | ErrorKind::Server);
    e
}

#[cfg(test)]
mod tests {
    use super::*;

    fn resp(status: u16, body: &str) -> HttpResponse {
        HttpResponse { status, body: body.into(), request_id: Some("req-1".into()), retry_after: None }
    }

    #[derive(Debug, PartialEq)]
    struct Thing {
        a: u32,
    }

    impl FromJson for Thing {
        fn from_json(value: &Value, at: Path) -> std::result::Result<Self, json::Problem> {
            let f = json::Fields::of(value, at)?;
            let thing = Thing { a: f.req("a") };
            f.done(thing)
        }
    }

    #[test]
    fn success_returns_data() {
        let t: Thing = decode(&resp(200, r#"{"code":0,"data":{"a":7,"extra":true}}"#)).unwrap();
        assert_eq!(t, Thing { a: 7 });
    }

    #[test]
    fn business_error_under_http_200_is_an_error() {
        let e = decode::<Thing>(&resp(200, r#"{"code":40013,"message":"The specified cluster name already exists."}"#)).unwrap_err();
        assert_eq!(e.kind, ErrorKind::Api);
        assert_eq!(e.code, Some(40013));
        assert_eq!(e.http_status, Some(200));
        assert_eq!(e.request_id.as_deref(), Some("req-1"));
        assert!(e.message.contains("The specified cluster name already exists."));
        assert_eq!(e.server_message.as_deref(), Some("The specified cluster name already exists."));
        assert!(!e.retryable);
    }

    #[test]
    fn bad_key_is_unauthorized_whatever_the_status() {
        let e = decode::<Thing>(&resp(401, r#"{"code":21119,"message":"The apikey is illegal"}"#)).unwrap_err();
        assert_eq!((e.kind, e.code, e.http_status), (ErrorKind::Unauthorized, Some(21119), Some(401)));
        assert!(e.message.contains("The apikey is illegal"));
        let e = decode::<Thing>(&resp(200, r#"{"code":80001,"message":"invalid token"}"#)).unwrap_err();
        assert_eq!(e.kind, ErrorKind::Unauthorized);
    }

    #[test]
    fn statuses_map_to_kinds() {
        for (status, kind, retryable) in [
            (403, ErrorKind::Forbidden, false),
            (404, ErrorKind::NotFound, false),
            (429, ErrorKind::RateLimited, true),
            (500, ErrorKind::Server, true),
            (503, ErrorKind::Server, true),
            (400, ErrorKind::Api, false),
            (302, ErrorKind::Protocol, false),
            (0, ErrorKind::Protocol, false),
        ] {
            let e = decode::<Thing>(&resp(status, "")).unwrap_err();
            assert_eq!((e.kind, e.retryable), (kind, retryable), "status {status}");
        }
    }

    #[test]
    fn html_error_page_is_a_server_error_that_says_so() {
        let e = decode::<Thing>(&resp(502, "<html><body>Bad Gateway</body></html>")).unwrap_err();
        assert_eq!(e.kind, ErrorKind::Server);
        assert!(e.message.contains("HTML"), "{}", e.message);
    }

    #[test]
    fn unreadable_bodies_are_protocol_errors() {
        for body in ["not json", "{\"code\":0}", "{\"data\":{}}", "{\"code\":0,\"data\":{\"a\":\"x\"}}", "{\"code\":0,\"da"] {
            let e = decode::<Thing>(&resp(200, body)).unwrap_err();
            assert_eq!(e.kind, ErrorKind::Protocol, "{body}");
        }
    }
}
