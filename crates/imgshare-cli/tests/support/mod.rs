//! Shared by the CLI tests that need a hand-made loopback server: a server giving one canned
//! answer to every request, an empty `$HOME`, and the binary run with every provider's
//! (fake) keys and nothing else from the test's environment.

// Each test binary uses part of this.
#![allow(dead_code, unreachable_pub)]

use std::io::{BufRead, BufReader, Read, Write};
use std::net::{TcpListener, TcpStream};
use std::path::PathBuf;
use std::process::{Command, Output};
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::thread;

/// Variables that must not leak in from the test's environment.
pub const SCRUBBED: &[&str] = &[
    "TENCENTCLOUD_SECRET_ID",
    "TENCENTCLOUD_SECRET_KEY",
    "TENCENTCLOUD_SESSION_TOKEN",
    "TENCENTCLOUD_TOKEN",
    "TENCENTCLOUD_REGION",
    "TENCENTCLOUD_CREDENTIALS_FILE",
    "TENCENTCLOUD_ROLE_ARN",
    "NCLOUD_ACCESS_KEY_ID",
    "NCLOUD_ACCESS_KEY",
    "NCLOUD_SECRET_ACCESS_KEY",
    "NCLOUD_SECRET_KEY",
    "NCLOUD_API_GW",
    "NCLOUD_REGION",
    "NCLOUD_SITE",
    "SCP_ACCESS_KEY",
    "SCP_SECRET_KEY",
    "SCP_TF_ACCESS_KEY",
    "SCP_TF_SECRET_KEY",
    "SCP_REGION",
    "SCP_ENDPOINT_OVERRIDE",
    "SCP_TF_ENDPOINT_OVERRIDE",
    "SCP_ACCOUNT_ID",
    "IMGSHARE_ENDPOINT",
    "RUST_LOG",
    "HTTP_PROXY",
    "HTTPS_PROXY",
    "ALL_PROXY",
    "http_proxy",
    "https_proxy",
    "all_proxy",
    "NO_PROXY",
    "no_proxy",
    "USERPROFILE",
    "HOME",
];

/// The secret keys the binary is given: no output may ever hold one.
pub const TENCENT_SECRET: &str = "tencent-secret-never-printed-0001";
pub const NCLOUD_SECRET: &str = "ncloud-secret-never-printed-0002";
pub const SCP_SECRET: &str = "scp-secret-never-printed-0003";

/// A loopback server answering every request with `status`, `content_type` and `body`.
#[derive(Debug)]
pub struct Canned {
    port: u16,
    requests: Arc<AtomicUsize>,
}

impl Canned {
    /// Listens on a free loopback port, answering from a thread per connection.
    pub fn start(status: u16, content_type: &'static str, body: impl Into<String>) -> Self {
        let body: String = body.into();
        let listener = TcpListener::bind("127.0.0.1:0").unwrap();
        let port = listener.local_addr().unwrap().port();
        let requests = Arc::new(AtomicUsize::new(0));
        let counted = requests.clone();
        thread::spawn(move || {
            for stream in listener.incoming() {
                let Ok(stream) = stream else { continue };
                counted.fetch_add(1, Ordering::SeqCst);
                let body = body.clone();
                thread::spawn(move || answer(stream, status, content_type, &body));
            }
        });
        Canned { port, requests }
    }

    /// `http://127.0.0.1:PORT`.
    pub fn uri(&self) -> String {
        format!("http://127.0.0.1:{}", self.port)
    }

    /// How many connections it accepted.
    pub fn requests(&self) -> usize {
        self.requests.load(Ordering::SeqCst)
    }
}

fn answer(stream: TcpStream, status: u16, content_type: &str, body: &str) {
    let mut reader = BufReader::new(stream);
    let mut length = 0usize;
    loop {
        let mut line = String::new();
        if reader.read_line(&mut line).unwrap_or(0) == 0 {
            return;
        }
        let line = line.trim_end();
        if line.is_empty() {
            break;
        }
        if let Some((name, value)) = line.split_once(':')
            && name.eq_ignore_ascii_case("content-length")
        {
            length = value.trim().parse().unwrap_or(0);
        }
    }
    let mut request_body = vec![0u8; length];
    let _ = reader.read_exact(&mut request_body);
    let mut stream = reader.into_inner();
    let head = format!(
        "HTTP/1.1 {status} X\r\ncontent-type: {content_type}\r\ncontent-length: {}\r\n\
         connection: close\r\n\r\n",
        body.len()
    );
    let _ = stream.write_all(head.as_bytes());
    let _ = stream.write_all(body.as_bytes());
}

/// An empty directory used as `$HOME`, so no real profile or configuration file is read.
#[derive(Debug)]
pub struct TempHome(PathBuf);

impl TempHome {
    /// A fresh directory under the system temporary directory.
    pub fn new(name: &str) -> Self {
        let nanos = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .unwrap()
            .as_nanos();
        let dir = std::env::temp_dir().join(format!(
            "imgshare-cli-edges-{}-{name}-{nanos}",
            std::process::id()
        ));
        std::fs::create_dir_all(&dir).unwrap();
        TempHome(dir)
    }

    /// The directory.
    pub fn path(&self) -> &std::path::Path {
        &self.0
    }
}

impl Drop for TempHome {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

/// Runs `imgshare --endpoint URI ARGS` with every provider's keys set and nothing else.
pub fn imgshare(home: &TempHome, uri: &str, env: &[(&str, &str)], args: &[&str]) -> Output {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_imgshare"));
    for var in SCRUBBED {
        cmd.env_remove(var);
    }
    cmd.env("HOME", &home.0)
        .env(
            "TENCENTCLOUD_SECRET_ID",
            "AKIDEDGES00000000000000000000000000",
        )
        .env("TENCENTCLOUD_SECRET_KEY", TENCENT_SECRET)
        .env("TENCENTCLOUD_REGION", "ap-guangzhou")
        .env("NCLOUD_ACCESS_KEY_ID", "EDGESACCESSKEY000001")
        .env("NCLOUD_SECRET_ACCESS_KEY", NCLOUD_SECRET)
        .env("NCLOUD_METADATA_API_ENDPOINT", "http://127.0.0.1:9")
        .env("SCP_ACCESS_KEY", "edgesaccesskey00000000000000000003")
        .env("SCP_SECRET_KEY", SCP_SECRET);
    for (k, v) in env {
        cmd.env(k, v);
    }
    cmd.arg("--endpoint").arg(uri).args(args);
    cmd.output().unwrap()
}
