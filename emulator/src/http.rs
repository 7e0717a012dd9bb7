//! A deliberately tiny HTTP/1.1 server on tokio's TCP: request line, headers, `Content-Length` bodies,
//! keep-alive (pipelining falls out of keeping unread bytes), `Connection: close`, `Expect: 100-continue`.
//! Hand-written so that faults can write exactly the bytes they want (or none) and close the socket.

use std::future::Future;
use std::sync::Arc;
use std::time::Duration;

use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;

const MAX_HEAD_BYTES: usize = 64 * 1024;
const MAX_BODY_BYTES: usize = 4 * 1024 * 1024;
/// Idle keep-alive connections are closed after this. Long on purpose: clients such as undici reuse
/// sockets, and a server-side close racing a reuse shows up as a spurious ECONNRESET in client tests.
const IDLE_TIMEOUT: Duration = Duration::from_secs(300);

#[derive(Debug, Clone)]
pub struct Request {
    pub method: String,
    /// Path without the query string, as sent (no percent-decoding: ids never need it).
    pub path: String,
    /// Raw query string without `?`; empty when absent.
    pub query: String,
    /// Header names lower-cased, in arrival order.
    pub headers: Vec<(String, String)>,
    pub body: Vec<u8>,
    http10: bool,
}

impl Request {
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(n, _)| n.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }

    /// Whether the client wants the connection closed after this exchange.
    pub fn wants_close(&self) -> bool {
        let conn = self.header("connection").unwrap_or("").to_ascii_lowercase();
        let has = |t: &str| conn.split(',').any(|x| x.trim() == t);
        if self.http10 {
            !has("keep-alive")
        } else {
            has("close")
        }
    }
}

#[derive(Debug, Clone)]
pub struct Response {
    pub status: u16,
    pub headers: Vec<(String, String)>,
    pub body: Vec<u8>,
}

impl Response {
    pub fn new(status: u16, content_type: &str, body: impl Into<Vec<u8>>) -> Self {
        Response {
            status,
            headers: vec![("Content-Type".into(), content_type.into())],
            body: body.into(),
        }
    }

    pub fn json(status: u16, value: &serde_json::Value) -> Self {
        Self::new(status, "application/json", value.to_string())
    }

    pub fn empty(status: u16) -> Self {
        Response {
            status,
            headers: Vec::new(),
            body: Vec::new(),
        }
    }

    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(n, _)| n.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }

    /// Sets a header, replacing any header of the same name.
    pub fn set_header(&mut self, name: &str, value: impl Into<String>) {
        self.headers.retain(|(n, _)| !n.eq_ignore_ascii_case(name));
        self.headers.push((name.to_string(), value.into()));
    }

    /// Sets a header only if the response does not carry it yet (fault scripts may set their own).
    pub fn default_header(&mut self, name: &str, value: impl Into<String>) {
        if self.header(name).is_none() {
            self.headers.push((name.to_string(), value.into()));
        }
    }

    /// The status line and headers, with `Content-Length: content_length` (unless the status forbids a body).
    pub fn encode_head(&self, content_length: usize, close: bool) -> Vec<u8> {
        let mut head = format!(
            "HTTP/1.1 {} {}\r\n",
            self.status,
            reason_phrase(self.status)
        );
        for (n, v) in &self.headers {
            if n.eq_ignore_ascii_case("content-length") || n.eq_ignore_ascii_case("connection") {
                continue;
            }
            // Header values come from our own code or test scripts; strip CR/LF so neither can split the head.
            let v: String = v.chars().filter(|c| *c != '\r' && *c != '\n').collect();
            head.push_str(&format!("{n}: {v}\r\n"));
        }
        if !(self.status == 204 || self.status == 304 || (100..200).contains(&self.status)) {
            head.push_str(&format!("Content-Length: {content_length}\r\n"));
        }
        if close {
            head.push_str("Connection: close\r\n");
        }
        head.push_str("\r\n");
        head.into_bytes()
    }
}

/// What to do with the connection after a request: fault types other than plain responses live here.
#[derive(Debug)]
pub enum Reply {
    /// Write the whole response.
    Send(Response),
    /// Write the head announcing the full body, then only part of the body, then close.
    Truncate(Response),
    /// Close without writing anything.
    Drop,
}

pub fn reason_phrase(status: u16) -> &'static str {
    match status {
        100 => "Continue",
        200 => "OK",
        201 => "Created",
        202 => "Accepted",
        204 => "No Content",
        301 => "Moved Permanently",
        302 => "Found",
        303 => "See Other",
        304 => "Not Modified",
        307 => "Temporary Redirect",
        308 => "Permanent Redirect",
        400 => "Bad Request",
        401 => "Unauthorized",
        403 => "Forbidden",
        404 => "Not Found",
        405 => "Method Not Allowed",
        408 => "Request Timeout",
        409 => "Conflict",
        411 => "Length Required",
        413 => "Payload Too Large",
        415 => "Unsupported Media Type",
        422 => "Unprocessable Entity",
        429 => "Too Many Requests",
        431 => "Request Header Fields Too Large",
        500 => "Internal Server Error",
        501 => "Not Implemented",
        502 => "Bad Gateway",
        503 => "Service Unavailable",
        504 => "Gateway Timeout",
        505 => "HTTP Version Not Supported",
        _ => "Unknown",
    }
}

/// Why a request could not be read. `status` is what we answer before closing, if anything.
#[derive(Debug)]
enum ReadError {
    /// The peer closed or the socket failed: nothing to answer.
    Gone,
    Bad(u16, &'static str),
}

/// Serves one connection until the client closes, asks to close, a fault closes it, or it idles out.
pub async fn serve_connection<F, Fut>(mut stream: TcpStream, handler: Arc<F>)
where
    F: Fn(Request) -> Fut + Send + Sync + 'static,
    Fut: Future<Output = Reply> + Send,
{
    let _ = stream.set_nodelay(true);
    // Bytes read but not consumed yet (the start of a pipelined request).
    let mut buf: Vec<u8> = Vec::with_capacity(8192);
    loop {
        let req =
            match tokio::time::timeout(IDLE_TIMEOUT, read_request(&mut stream, &mut buf)).await {
                Err(_) | Ok(Ok(None)) | Ok(Err(ReadError::Gone)) => return,
                Ok(Err(ReadError::Bad(status, message))) => {
                    let body = serde_json::json!({ "code": status, "message": message });
                    let resp = Response::json(status, &body);
                    let _ = write_response(&mut stream, &resp, true).await;
                    return;
                }
                Ok(Ok(Some(req))) => req,
            };
        let close = req.wants_close();
        match handler(req).await {
            Reply::Send(resp) => {
                if write_response(&mut stream, &resp, close).await.is_err() || close {
                    return;
                }
            }
            Reply::Truncate(resp) => {
                let cut = resp.body.len() / 2;
                let mut bytes = resp.encode_head(resp.body.len(), false);
                bytes.extend_from_slice(&resp.body[..cut]);
                let _ = stream.write_all(&bytes).await;
                let _ = stream.flush().await;
                let _ = stream.shutdown().await;
                return;
            }
            Reply::Drop => return,
        }
    }
}

async fn write_response(
    stream: &mut TcpStream,
    resp: &Response,
    close: bool,
) -> std::io::Result<()> {
    let mut bytes = resp.encode_head(resp.body.len(), close);
    bytes.extend_from_slice(&resp.body);
    stream.write_all(&bytes).await?;
    stream.flush().await
}

/// Reads one request; `Ok(None)` when the peer closed cleanly between requests.
async fn read_request(
    stream: &mut TcpStream,
    buf: &mut Vec<u8>,
) -> Result<Option<Request>, ReadError> {
    loop {
        // Tolerate stray CRLFs between requests (RFC 9112 §2.2).
        let skip = buf
            .iter()
            .take_while(|b| **b == b'\r' || **b == b'\n')
            .count();
        buf.drain(..skip);
        if let Some(head_end) = find(buf, b"\r\n\r\n") {
            let (mut req, content_length) = parse_head(&buf[..head_end])?;
            let body_start = head_end + 4;
            let expect_continue = req
                .header("expect")
                .is_some_and(|v| v.eq_ignore_ascii_case("100-continue"));
            if expect_continue && buf.len() < body_start + content_length {
                stream
                    .write_all(b"HTTP/1.1 100 Continue\r\n\r\n")
                    .await
                    .map_err(|_| ReadError::Gone)?;
            }
            while buf.len() < body_start + content_length {
                if read_more(stream, buf).await? == 0 {
                    return Err(ReadError::Gone);
                }
            }
            req.body = buf[body_start..body_start + content_length].to_vec();
            buf.drain(..body_start + content_length);
            return Ok(Some(req));
        }
        if buf.len() > MAX_HEAD_BYTES {
            return Err(ReadError::Bad(431, "request head too large"));
        }
        if read_more(stream, buf).await? == 0 {
            return if buf.is_empty() {
                Ok(None)
            } else {
                Err(ReadError::Gone)
            };
        }
    }
}

async fn read_more(stream: &mut TcpStream, buf: &mut Vec<u8>) -> Result<usize, ReadError> {
    let mut chunk = [0u8; 8192];
    let n = stream.read(&mut chunk).await.map_err(|_| ReadError::Gone)?;
    buf.extend_from_slice(&chunk[..n]);
    Ok(n)
}

fn find(haystack: &[u8], needle: &[u8]) -> Option<usize> {
    haystack.windows(needle.len()).position(|w| w == needle)
}

/// Parses the request line and headers; returns the request (empty body) and its Content-Length.
fn parse_head(head: &[u8]) -> Result<(Request, usize), ReadError> {
    let head =
        std::str::from_utf8(head).map_err(|_| ReadError::Bad(400, "request head is not UTF-8"))?;
    let mut lines = head.split("\r\n");
    let request_line = lines.next().unwrap_or("");
    let mut parts = request_line.split(' ');
    let (method, target, version) = match (parts.next(), parts.next(), parts.next(), parts.next()) {
        (Some(m), Some(t), Some(v), None) if !m.is_empty() && !t.is_empty() => (m, t, v),
        _ => return Err(ReadError::Bad(400, "malformed request line")),
    };
    let http10 = match version {
        "HTTP/1.1" => false,
        "HTTP/1.0" => true,
        _ => {
            return Err(ReadError::Bad(
                505,
                "only HTTP/1.0 and HTTP/1.1 are supported",
            ))
        }
    };
    let mut headers = Vec::new();
    for line in lines {
        let (name, value) = line
            .split_once(':')
            .ok_or(ReadError::Bad(400, "malformed header line"))?;
        if name.is_empty() || name.contains(' ') {
            return Err(ReadError::Bad(400, "malformed header name"));
        }
        headers.push((name.to_ascii_lowercase(), value.trim().to_string()));
    }
    if headers.iter().any(|(n, _)| n == "transfer-encoding") {
        return Err(ReadError::Bad(
            501,
            "chunked request bodies are not supported; send Content-Length",
        ));
    }
    let mut content_length: Option<usize> = None;
    for (_, v) in headers.iter().filter(|(n, _)| n == "content-length") {
        let n: usize = v
            .parse()
            .map_err(|_| ReadError::Bad(400, "invalid Content-Length"))?;
        if content_length.is_some_and(|c| c != n) {
            return Err(ReadError::Bad(400, "conflicting Content-Length headers"));
        }
        content_length = Some(n);
    }
    let content_length = content_length.unwrap_or(0);
    if content_length > MAX_BODY_BYTES {
        return Err(ReadError::Bad(413, "request body too large"));
    }
    // Origin-form is what clients send; tolerate absolute-form by dropping scheme and authority.
    let target = match target.find("://") {
        Some(i) => target[i + 3..]
            .find('/')
            .map_or("/", |j| &target[i + 3 + j..]),
        None => target,
    };
    let (path, query) = target.split_once('?').unwrap_or((target, ""));
    Ok((
        Request {
            method: method.to_string(),
            path: path.to_string(),
            query: query.to_string(),
            headers,
            body: Vec::new(),
            http10,
        },
        content_length,
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_a_head() {
        let (r, cl) = parse_head(
            b"POST /v2/x?a=1 HTTP/1.1\r\nHost: h\r\nContent-Length: 12\r\nConnection: keep-alive, close",
        )
        .unwrap();
        assert_eq!(
            (r.method.as_str(), r.path.as_str(), r.query.as_str(), cl),
            ("POST", "/v2/x", "a=1", 12)
        );
        assert_eq!(r.header("HOST"), Some("h"));
        assert!(r.wants_close());
    }

    #[test]
    fn http10_closes_by_default() {
        let (r, _) = parse_head(b"GET / HTTP/1.0\r\nHost: h").unwrap();
        assert!(r.wants_close());
        let (r, _) = parse_head(b"GET / HTTP/1.1\r\nHost: h").unwrap();
        assert!(!r.wants_close());
    }

    #[test]
    fn rejects_chunked_and_garbage() {
        assert!(matches!(
            parse_head(b"POST / HTTP/1.1\r\nTransfer-Encoding: chunked"),
            Err(ReadError::Bad(501, _))
        ));
        assert!(matches!(
            parse_head(b"NONSENSE"),
            Err(ReadError::Bad(400, _))
        ));
        assert!(matches!(
            parse_head(b"GET / HTTP/2"),
            Err(ReadError::Bad(505, _))
        ));
    }

    #[test]
    fn no_content_length_on_204() {
        let head = String::from_utf8(Response::empty(204).encode_head(0, false)).unwrap();
        assert!(!head.contains("Content-Length"));
        let head = String::from_utf8(Response::empty(200).encode_head(0, true)).unwrap();
        assert!(head.contains("Content-Length: 0\r\n") && head.contains("Connection: close\r\n"));
    }
}
