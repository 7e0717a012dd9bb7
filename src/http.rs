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
