//! Test helper: starts an emulator on 127.0.0.1:0 and talks to it with a tiny blocking HTTP/1.1
//! client on std's TcpStream (so the tests also exercise the server's byte-level behaviour).
#![allow(dead_code)]

use std::io::{Read, Write};
use std::net::{SocketAddr, TcpStream};
use std::time::{Duration, Instant};

use serde_json::Value;
use zilliz_cloud_emulator::{Config, EmulatorHandle};

pub const KEY: &str = "test-key";

pub fn start(job_duration_ms: u64) -> EmulatorHandle {
    EmulatorHandle::start(Config {
        api_key: KEY.into(),
        job_duration_ms,
        ..Config::default()
    })
    .unwrap()
}

#[derive(Debug)]
pub struct Resp {
    pub status: u16,
    pub headers: Vec<(String, String)>,
    pub body: String,
}

impl Resp {
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(n, _)| n.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }

    pub fn json(&self) -> Value {
        serde_json::from_str(&self.body).unwrap_or_else(|e| panic!("not JSON ({e}): {}", self.body))
    }

    /// The envelope's `code`.
    pub fn code(&self) -> i64 {
        self.json()["code"].as_i64().expect("code")
    }
}

/// How reading a response ended when it did not end well.
#[derive(Debug, PartialEq, Eq)]
pub enum Failure {
    /// The server closed without sending a byte.
    ClosedEmpty,
    /// The server announced `expected` body bytes and closed after `got`.
    Truncated {
        expected: usize,
        got: usize,
    },
    Other(String),
}

/// One keep-alive connection.
pub struct Conn {
    stream: TcpStream,
    buf: Vec<u8>,
}

impl Conn {
    pub fn open(addr: SocketAddr) -> Conn {
        let stream = TcpStream::connect(addr).unwrap();
        stream
            .set_read_timeout(Some(Duration::from_secs(10)))
            .unwrap();
        Conn {
            stream,
            buf: Vec::new(),
        }
    }

    pub fn send(&mut self, method: &str, path: &str, headers: &[(&str, &str)], body: Option<&str>) {
        let mut req = format!("{method} {path} HTTP/1.1\r\nHost: test\r\n");
        for (n, v) in headers {
            req.push_str(&format!("{n}: {v}\r\n"));
        }
        if let Some(b) = body {
            req.push_str(&format!(
                "Content-Type: application/json\r\nContent-Length: {}\r\n",
                b.len()
            ));
        }
        req.push_str("\r\n");
        req.push_str(body.unwrap_or(""));
        self.stream.write_all(req.as_bytes()).unwrap();
    }

    fn fill(&mut self) -> usize {
        let mut chunk = [0u8; 8192];
        match self.stream.read(&mut chunk) {
            Ok(n) => {
                self.buf.extend_from_slice(&chunk[..n]);
                n
            }
            Err(_) => 0,
        }
    }

    pub fn read(&mut self) -> Result<Resp, Failure> {
        let head_end = loop {
            if let Some(i) = self.buf.windows(4).position(|w| w == b"\r\n\r\n") {
                break i;
            }
            if self.fill() == 0 {
                return Err(if self.buf.is_empty() {
                    Failure::ClosedEmpty
                } else {
                    Failure::Other("closed inside the head".into())
                });
            }
        };
        let head = String::from_utf8(self.buf[..head_end].to_vec()).unwrap();
        let mut lines = head.split("\r\n");
        let status: u16 = lines
            .next()
            .unwrap()
            .split(' ')
            .nth(1)
            .unwrap()
            .parse()
            .unwrap();
        let headers: Vec<(String, String)> = lines
            .map(|l| {
                let (n, v) = l.split_once(':').unwrap();
                (n.to_string(), v.trim().to_string())
            })
            .collect();
        let len: usize = headers
            .iter()
            .find(|(n, _)| n.eq_ignore_ascii_case("content-length"))
            .map_or(0, |(_, v)| v.parse().unwrap());
        let start = head_end + 4;
        while self.buf.len() < start + len {
            if self.fill() == 0 {
                return Err(Failure::Truncated {
                    expected: len,
                    got: self.buf.len() - start,
                });
            }
        }
        let body = String::from_utf8_lossy(&self.buf[start..start + len]).into_owned();
        self.buf.drain(..start + len);
        Ok(Resp {
            status,
            headers,
            body,
        })
    }

    /// True if the server has closed the connection (read returns EOF).
    pub fn is_closed(&mut self) -> bool {
        self.fill() == 0
    }
}

pub fn try_request(
    addr: SocketAddr,
    method: &str,
    path: &str,
    headers: &[(&str, &str)],
    body: Option<&str>,
) -> Result<Resp, Failure> {
    let mut conn = Conn::open(addr);
    conn.send(method, path, headers, body);
    conn.read()
}

pub fn request(
    addr: SocketAddr,
    method: &str,
    path: &str,
    headers: &[(&str, &str)],
    body: Option<&str>,
) -> Resp {
    try_request(addr, method, path, headers, body).unwrap()
}

const AUTH: &str = "Bearer test-key";

/// An authenticated `/v2/` call.
pub fn api(emu: &EmulatorHandle, method: &str, path: &str, body: Option<&str>) -> Resp {
    request(emu.addr(), method, path, &[("Authorization", AUTH)], body)
}

pub fn try_api(
    emu: &EmulatorHandle,
    method: &str,
    path: &str,
    body: Option<&str>,
) -> Result<Resp, Failure> {
    try_request(emu.addr(), method, path, &[("Authorization", AUTH)], body)
}

/// A control-API call that must succeed; returns its JSON.
pub fn control(emu: &EmulatorHandle, method: &str, path: &str, body: Option<&str>) -> Value {
    let r = request(
        emu.addr(),
        method,
        &format!("/__emulator/{path}"),
        &[],
        body,
    );
    assert_eq!(r.status, 200, "{method} {path}: {}", r.body);
    r.json()
}

/// Adds a fresh Dedicated cluster so tests do not share the one-job rule.
pub fn cluster(emu: &EmulatorHandle, id: &str) -> String {
    control(
        emu,
        "POST",
        "clusters",
        Some(&format!(
            r#"{{"clusterId":"{id}","clusterName":"{id}-name"}}"#
        )),
    );
    id.to_string()
}

pub fn create_cluster_backup(emu: &EmulatorHandle, cluster_id: &str) -> Resp {
    api(
        emu,
        "POST",
        &format!("/v2/clusters/{cluster_id}/backups/create"),
        Some(r#"{"backupType":"CLUSTER"}"#),
    )
}

pub fn job(emu: &EmulatorHandle, job_id: &str) -> Value {
    let r = api(emu, "GET", &format!("/v2/jobs/{job_id}"), None);
    assert_eq!((r.status, r.code()), (200, 0), "{}", r.body);
    r.json()["data"].clone()
}

/// Polls until the job is terminal; returns every observed `data`.
pub fn poll_to_end(emu: &EmulatorHandle, job_id: &str, timeout: Duration) -> Vec<Value> {
    let deadline = Instant::now() + timeout;
    let mut seen = Vec::new();
    loop {
        let d = job(emu, job_id);
        let done = matches!(d["status"].as_str(), Some("SUCCESSFUL") | Some("FAILED"));
        seen.push(d);
        if done {
            return seen;
        }
        assert!(
            Instant::now() < deadline,
            "job {job_id} did not finish: {seen:?}"
        );
        std::thread::sleep(Duration::from_millis(25));
    }
}

/// Every backup the emulator holds, from its control API's state.
pub fn state_backups(emu: &EmulatorHandle) -> Vec<Value> {
    match control(emu, "GET", "state", None)["backups"].take() {
        Value::Array(backups) => backups,
        other => panic!("state has no backups list: {other}"),
    }
}

pub fn state_backup(emu: &EmulatorHandle, backup_id: &str) -> Option<Value> {
    state_backups(emu)
        .into_iter()
        .find(|b| b["backupId"] == backup_id)
}
