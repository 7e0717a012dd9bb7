//! Plain HTTP request/response values: what the core asks the host to send, and what came back.

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Method {
    Get,
    Post,
    Delete,
}

impl Method {
    pub fn as_str(self) -> &'static str {
        match self {
            Method::Get => "GET",
            Method::Post => "POST",
            Method::Delete => "DELETE",
        }
    }
}

/// A request's header set, shared: a client sends the same two sets (with and without a body)
/// every time.
pub type Headers = std::rc::Rc<[(String, String)]>;

#[derive(Clone, Debug, PartialEq)]
pub struct HttpRequest {
    pub method: Method,
    pub url: String,
    pub headers: Headers,
    pub body: Option<String>,
}

#[derive(Clone, Debug, PartialEq)]
pub struct HttpResponse {
    pub status: u16,
    /// The `RequestId` header.
    pub request_id: Option<String>,
    /// The raw `Retry-After` header.
    pub retry_after: Option<String>,
    pub body: String,
}

/// A body's bytes as `Response.text()` reads them: UTF-8, a leading byte order mark dropped,
/// invalid sequences replaced (U+FFFD). The body crosses from JS as bytes (one copy).
pub fn body_text(bytes: Vec<u8>) -> String {
    let mut text = String::from_utf8(bytes).unwrap_or_else(|e| lossy(e.as_bytes()));
    if text.starts_with('\u{feff}') {
        text.drain(..3);
    }
    text
}

/// Bad UTF-8 is rare: out of line, and compiled (by a lazily compiling runtime) only when met.
#[cold]
#[inline(never)]
fn lossy(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

/// Why no response arrived.
#[derive(Clone, Debug, PartialEq)]
pub enum TransportError {
    /// The per-request timeout fired.
    Timeout,
    /// The caller's signal fired.
    Aborted,
    /// Anything else: refused, reset, dropped mid-body, DNS, CORS… (the runtime's own words).
    Network(String),
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn body_text_reads_as_response_text_does() {
        assert_eq!(body_text(b"{\"a\":1}".to_vec()), "{\"a\":1}");
        assert_eq!(body_text("\u{feff}{}".as_bytes().to_vec()), "{}");
        // Only a leading mark is dropped; a bad sequence becomes U+FFFD, as TextDecoder does.
        assert_eq!(body_text("x\u{feff}".as_bytes().to_vec()), "x\u{feff}");
        assert_eq!(body_text(vec![b'"', 0xff, b'"']), "\"\u{fffd}\"");
        assert_eq!(body_text(vec![0xe2, 0x82]), "\u{fffd}");
    }
}
