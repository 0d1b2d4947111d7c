//! The `imgshare` binary against a loopback server that gives one canned answer to every
//! request: what a hostile or broken endpoint can make it print, and how it exits.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::io::{BufRead, BufReader, Read, Write};
use std::net::{TcpListener, TcpStream};
use std::path::PathBuf;
use std::process::{Command, Output};
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::thread;

/// Variables that must not leak in from the test's environment.
const SCRUBBED: &[&str] = &[
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

const TENCENT_SECRET: &str = "tencent-secret-never-printed-0001";
const NCLOUD_SECRET: &str = "ncloud-secret-never-printed-0002";
const SCP_SECRET: &str = "scp-secret-never-printed-0003";

/// A loopback server answering every request with `status`, `content_type` and `body`.
#[derive(Debug)]
struct Canned {
    port: u16,
    requests: Arc<AtomicUsize>,
}

impl Canned {
    fn start(status: u16, content_type: &'static str, body: impl Into<String>) -> Self {
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

    fn uri(&self) -> String {
        format!("http://127.0.0.1:{}", self.port)
    }

    fn requests(&self) -> usize {
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
struct TempHome(PathBuf);

impl TempHome {
    fn new(name: &str) -> Self {
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
}

impl Drop for TempHome {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

/// Runs `imgshare --endpoint URI ARGS` with every provider's keys set and nothing else.
fn imgshare(home: &TempHome, uri: &str, env: &[(&str, &str)], args: &[&str]) -> Output {
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

/// The listings of every provider, with valid arguments.
const LISTINGS: &[&[&str]] = &[
    &["tencent", "list", "--image", "img-6pb6lrmy"],
    &["tencent", "images"],
    &["ncloud", "list", "--image", "10000001"],
    &["ncloud", "images"],
    &[
        "ncloud",
        "list",
        "--api",
        "member-image",
        "--image",
        "10000001",
    ],
    &["ncloud", "images", "--api", "member-image"],
    &["ncloud", "list", "--api", "classic", "--image", "10000001"],
    &["ncloud", "images", "--api", "classic"],
    &[
        "scp",
        "list",
        "--image",
        "70a599e0-31e7-49b7-b260-868f441e862b",
    ],
    &["scp", "images"],
    &["scp", "pending"],
];

#[test]
fn every_listing_refuses_an_unrelated_answer() {
    let home = TempHome::new("unrelated");
    for body in [
        r#"{"hello":"world"}"#,
        "{}",
        r#"{"Response":{"RequestId":"r"}}"#,
        r#"{"anyResponse":{"returnCode":"0"}}"#,
    ] {
        let server = Canned::start(200, "application/json", body);
        for args in LISTINGS {
            let out = imgshare(&home, &server.uri(), &[], args);
            let stderr = String::from_utf8_lossy(&out.stderr);
            assert_eq!(out.status.code(), Some(4), "{args:?} with {body}: {stderr}");
            assert!(
                stderr.contains("unreadable response"),
                "{args:?} with {body}: {stderr}"
            );
            assert!(out.stdout.is_empty(), "{args:?} with {body}");
        }
        assert!(server.requests() >= LISTINGS.len(), "every listing asked");
    }
}

/// What a terminal would act on: ESC, BEL, a CSI in 8 bits.
fn assert_inert(what: &str, text: &str) {
    for c in ['\u{1b}', '\u{7}', '\u{9b}', '\r'] {
        assert!(!text.contains(c), "{what} holds {c:?}: {text:?}");
    }
}

#[test]
fn a_server_error_message_reaches_the_terminal_escaped() {
    let home = TempHome::new("escape");
    let body = r#"{"Response":{"Error":{"Code":"InvalidParameter\u001b]0;pwned\u0007","Message":"bad \u001b[2J\u001b[H cleared\nerror: forged line"},"RequestId":"r\r\u009b2J"}}"#;
    let server = Canned::start(200, "application/json", body);
    let out = imgshare(
        &home,
        &server.uri(),
        &[],
        &["tencent", "list", "--image", "img-6pb6lrmy"],
    );
    let stderr = String::from_utf8(out.stderr).unwrap();
    assert_eq!(out.status.code(), Some(3), "{stderr}");
    assert_inert("stderr", &stderr);
    let error = stderr.lines().last().unwrap();
    assert_eq!(
        stderr.lines().filter(|l| l.starts_with("error:")).count(),
        1,
        "{stderr}"
    );
    assert!(error.contains(r"bad \u{1b}[2J\u{1b}[H cleared"), "{error}");
    assert!(
        error.contains(r"InvalidParameter\u{1b}]0;pwned\u{7}"),
        "{error}"
    );

    // JSON stays as serde_json writes it: escaped by JSON's own rules, the value intact.
    let out = imgshare(
        &home,
        &server.uri(),
        &[],
        &[
            "--output",
            "json",
            "tencent",
            "list",
            "--image",
            "img-6pb6lrmy",
        ],
    );
    let stderr = String::from_utf8(out.stderr).unwrap();
    for c in ['\u{1b}', '\u{7}', '\r'] {
        assert!(!stderr.contains(c), "JSON escapes {c:?}: {stderr:?}");
    }
    let doc: serde_json::Value = serde_json::from_str(stderr.lines().last().unwrap()).unwrap();
    assert!(
        doc["error"]["message"]
            .as_str()
            .unwrap()
            .contains("\u{1b}[2J"),
        "{doc}"
    );
}

#[test]
fn names_in_tables_cannot_forge_rows_or_move_the_cursor() {
    let home = TempHome::new("table");
    let body = r#"{"Response":{"ImageSet":[{"ImageId":"img-6pb6lrmy","ImageName":"evil\u001b[2J\nimg-forged01  PRIVATE_IMAGE  forged","ImageType":"PRIVATE_IMAGE"}],"TotalCount":1,"RequestId":"r"}}"#;
    let server = Canned::start(200, "application/json", body);
    let out = imgshare(&home, &server.uri(), &[], &["tencent", "images"]);
    let stdout = String::from_utf8(out.stdout).unwrap();
    assert_eq!(out.status.code(), Some(0), "{stdout}");
    assert_inert("stdout", &stdout);
    assert!(
        !stdout.lines().any(|l| l.starts_with("img-forged01")),
        "{stdout}"
    );
    assert!(stdout.contains(r"evil\u{1b}[2J\nimg-forged01"), "{stdout}");
}
