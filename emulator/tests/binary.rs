//! The real binary: the ready line on stdout, env configuration, clean exits.

mod common;

use std::io::{BufRead, BufReader, Read};
use std::net::SocketAddr;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use common::request;

fn spawn(args: &[&str], env: &[(&str, &str)]) -> (Child, SocketAddr) {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_zilliz-cloud-emulator"));
    cmd.args(args)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::null());
    for (k, v) in env {
        cmd.env(k, v);
    }
    let mut child = cmd.spawn().unwrap();
    let mut line = String::new();
    BufReader::new(child.stdout.as_mut().unwrap())
        .read_line(&mut line)
        .unwrap();
    let url = line
        .strip_suffix('\n')
        .and_then(|l| l.strip_prefix("zilliz-cloud-emulator listening on http://127.0.0.1:"))
        .unwrap_or_else(|| panic!("unexpected ready line {line:?}"));
    let port: u16 = url.parse().unwrap();
    assert_ne!(port, 0);
    (child, SocketAddr::from(([127, 0, 0, 1], port)))
}

fn wait_exit(child: &mut Child, within: Duration) -> std::process::ExitStatus {
    let deadline = Instant::now() + within;
    loop {
        if let Some(status) = child.try_wait().unwrap() {
            return status;
        }
        if Instant::now() > deadline {
            let _ = child.kill();
            panic!("the emulator did not exit");
        }
        std::thread::sleep(Duration::from_millis(20));
    }
}

#[test]
fn exits_on_stdin_eof_and_reads_env() {
    let (mut child, addr) = spawn(
        &["--exit-on-stdin-eof"],
        &[
            ("EMULATOR_API_KEY", "env-key"),
            ("EMULATOR_JOB_DURATION_MS", "1234"),
            ("EMULATOR_PORT", "0"),
        ],
    );
    let r = request(
        addr,
        "GET",
        "/v2/jobs/j",
        &[("Authorization", "Bearer env-key")],
        None,
    );
    assert_eq!(r.code(), 80040);
    let r = request(addr, "GET", "/__emulator/config", &[], None);
    assert_eq!(r.json()["jobDurationMs"], 1234);
    // Keep a connection open: shutdown must not wait for idle keep-alive clients.
    let _idle = std::net::TcpStream::connect(addr).unwrap();
    drop(child.stdin.take());
    assert!(wait_exit(&mut child, Duration::from_secs(5)).success());
    // Nothing else was printed on stdout.
    let mut rest = String::new();
    child
        .stdout
        .take()
        .unwrap()
        .read_to_string(&mut rest)
        .unwrap();
    assert_eq!(rest, "");
}

#[cfg(unix)]
#[test]
fn exits_on_sigterm() {
    let (mut child, addr) = spawn(&["--api-key", "k", "--job-duration-ms=10"], &[]);
    let r = request(
        addr,
        "GET",
        "/v2/jobs/j",
        &[("Authorization", "Bearer k")],
        None,
    );
    assert_eq!(r.code(), 80040);
    let killed = Command::new("kill")
        .args(["-TERM", &child.id().to_string()])
        .status()
        .unwrap();
    assert!(killed.success());
    assert!(wait_exit(&mut child, Duration::from_secs(5)).success());
}

#[test]
fn bad_arguments_exit_with_status_2() {
    let out = Command::new(env!("CARGO_BIN_EXE_zilliz-cloud-emulator"))
        .arg("--port=x")
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(out.stdout.is_empty());
}
