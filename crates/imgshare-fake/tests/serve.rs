//! `imgshare-fake serve` as a user runs it: one address, three providers, each answering its own
//! paths with its own checks (here: the refusal of an unsigned request, which each provider
//! words differently).

#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::process::{Child, Command, Stdio};

struct Server(Child);

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

fn start() -> (Server, serde_json::Value) {
    let mut child = Command::new(env!("CARGO_BIN_EXE_imgshare-fake"))
        .args(["serve", "--output", "json"])
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let mut line = String::new();
    BufReader::new(child.stdout.take().unwrap())
        .read_line(&mut line)
        .unwrap();
    let document = serde_json::from_str(&line).unwrap();
    (Server(child), document)
}

/// One raw HTTP/1.1 exchange: the status line and the body.
fn exchange(endpoint: &str, method: &str, path: &str, body: &str) -> (String, String) {
    let address = endpoint.trim_start_matches("http://");
    let mut stream = TcpStream::connect(address).unwrap();
    write!(
        stream,
        "{method} {path} HTTP/1.1\r\nHost: {address}\r\nContent-Type: application/json\r\n\
         Content-Length: {}\r\nConnection: close\r\n\r\n{body}",
        body.len()
    )
    .unwrap();
    let mut response = String::new();
    stream.read_to_string(&mut response).unwrap();
    let status = response.lines().next().unwrap_or_default().to_owned();
    let body = response
        .split_once("\r\n\r\n")
        .map(|(_, b)| b.to_owned())
        .unwrap_or_default();
    (status, body)
}

#[test]
fn one_address_serves_all_three_providers() {
    let (_server, document) = start();
    let endpoint = document["endpoint"].as_str().unwrap();
    assert!(endpoint.starts_with("http://127.0.0.1:"), "{document}");
    assert!(!document["accounts"].as_array().unwrap().is_empty());
    assert_eq!(document["ncloud"]["endpoint"], endpoint);
    assert!(
        !document["ncloud"]["seed"]["accounts"]
            .as_array()
            .unwrap()
            .is_empty()
    );
    assert!(
        !document["scp"]["seed"]["accounts"]
            .as_array()
            .unwrap()
            .is_empty()
    );

    // Tencent: an unsigned POST / is answered in Tencent's envelope, with HTTP 200.
    let (status, body) = exchange(endpoint, "POST", "/", "{}");
    assert!(status.contains(" 200"), "{status}");
    assert!(body.contains("\"Error\""), "{body}");

    // NAVER Cloud: the API Gateway refuses a request without its signature headers.
    let (status, body) = exchange(endpoint, "GET", "/vserver/v2/getServerImageList", "");
    assert!(status.contains(" 401"), "{status} {body}");
    assert!(body.contains("errorCode"), "{body}");

    // SCP: the gateway answers 404 with its own shape when the auth headers are missing.
    let (status, body) = exchange(endpoint, "GET", "/v1/images", "");
    assert!(status.contains(" 404"), "{status} {body}");
    assert!(
        body.contains("requestId") || body.contains("request_id"),
        "{body}"
    );
}

#[test]
fn an_unreadable_seed_is_a_usage_error() {
    let output = Command::new(env!("CARGO_BIN_EXE_imgshare-fake"))
        .args(["serve", "--scp-seed", "/nonexistent/seed.json"])
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&output.stderr).contains("seed"));
}
