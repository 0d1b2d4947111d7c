//! The `imgshare` binary against a hostile endpoint: a loopback server that answers
//! `200 application/json` with a chunked body that never ends. For each provider's `list`, the
//! binary must stop at the response limit (16 MiB), exit non-zero with an error naming the
//! limit, send the request once (a body past the limit is never retried), and keep its peak
//! resident memory under 64 MiB.
//!
//! Peak memory is read from `/usr/bin/time -v` ("Maximum resident set size") when it exists,
//! else by polling `/proc/<pid>/status` (`VmHWM`) while the binary runs; where neither exists
//! the memory check is skipped with a note on stderr.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::io::{Read, Write};
use std::net::{TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::thread;
use std::time::{Duration, Instant};

/// The default response limit of the binary, in bytes.
const LIMIT: usize = 16 * 1024 * 1024;
/// The peak resident memory allowed, in KiB.
const MAX_RSS_KIB: u64 = 64 * 1024;

/// Variables that must not leak in from the test's environment.
const SCRUBBED: &[&str] = &[
    "TENCENTCLOUD_SECRET_ID",
    "TENCENTCLOUD_SECRET_KEY",
    "TENCENTCLOUD_SESSION_TOKEN",
    "TENCENTCLOUD_TOKEN",
    "TENCENTCLOUD_REGION",
    "TENCENTCLOUD_CREDENTIALS_FILE",
    "TENCENTCLOUD_ROLE_ARN",
    "TKE_REGION",
    "TKE_PROVIDER_ID",
    "TKE_WEB_IDENTITY_TOKEN_FILE",
    "TKE_ROLE_ARN",
    "NCLOUD_ACCESS_KEY_ID",
    "NCLOUD_ACCESS_KEY",
    "NCLOUD_SECRET_ACCESS_KEY",
    "NCLOUD_SECRET_KEY",
    "NCLOUD_API_GW",
    "NCLOUD_REGION",
    "NCLOUD_SITE",
    "NCLOUD_METADATA_API_ENDPOINT",
    "NCLOUD_METADATA_ENDPOINT",
    "SCP_ACCESS_KEY",
    "SCP_SECRET_KEY",
    "SCP_TF_ACCESS_KEY",
    "SCP_TF_SECRET_KEY",
    "SCP_REGION",
    "SCP_TF_DEFAULT_REGION",
    "SCP_ENVIRONMENT",
    "SCP_ENV",
    "SCP_TF_AUTH_URL",
    "SCP_ENDPOINT_OVERRIDE",
    "SCP_TF_ENDPOINT_OVERRIDE",
    "SCP_ACCOUNT_ID",
    "SCP_TF_ACCOUNT_ID",
    "SCP_API_VERSION",
    "SCP_LANGUAGE",
    "IMGSHARE_ENDPOINT",
    "IMGSHARE_TENCENT_METADATA_ENDPOINT",
    "RUST_LOG",
    "USERPROFILE",
    "HOME",
];

/// A loopback server whose every answer is `200 application/json` with an endless chunked body.
struct Endless {
    port: u16,
    requests: Arc<AtomicUsize>,
}

impl Endless {
    fn start() -> Self {
        let listener = TcpListener::bind("127.0.0.1:0").unwrap();
        let port = listener.local_addr().unwrap().port();
        let requests = Arc::new(AtomicUsize::new(0));
        let counter = requests.clone();
        thread::spawn(move || {
            for stream in listener.incoming().flatten() {
                let counter = counter.clone();
                thread::spawn(move || serve(stream, &counter));
            }
        });
        Self { port, requests }
    }

    fn uri(&self) -> String {
        format!("http://127.0.0.1:{}", self.port)
    }
}

fn serve(mut stream: TcpStream, requests: &AtomicUsize) {
    stream
        .set_read_timeout(Some(Duration::from_secs(10)))
        .unwrap();
    let mut head = Vec::new();
    let mut byte = [0u8; 1];
    while !head.ends_with(b"\r\n\r\n") {
        match stream.read(&mut byte) {
            Ok(1) => head.push(byte[0]),
            _ => return,
        }
    }
    let head = String::from_utf8_lossy(&head).to_ascii_lowercase();
    let length: usize = head
        .lines()
        .find_map(|l| l.strip_prefix("content-length:"))
        .and_then(|v| v.trim().parse().ok())
        .unwrap_or(0);
    let mut body = vec![0u8; length];
    if stream.read_exact(&mut body).is_err() {
        return;
    }
    requests.fetch_add(1, Ordering::SeqCst);
    let header =
        "HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ntransfer-encoding: chunked\r\n\r\n";
    if stream.write_all(header.as_bytes()).is_err() || stream.write_all(b"1\r\n[\r\n").is_err() {
        return;
    }
    // "0," forever: valid JSON so far, and never finished.
    let payload = b"0,".repeat(32 * 1024);
    let mut chunk = format!("{:x}\r\n", payload.len()).into_bytes();
    chunk.extend_from_slice(&payload);
    chunk.extend_from_slice(b"\r\n");
    let deadline = Instant::now() + Duration::from_secs(120);
    while Instant::now() < deadline {
        if stream.write_all(&chunk).is_err() {
            return;
        }
    }
}

/// An empty directory used as `$HOME`.
struct TempHome(PathBuf);

impl TempHome {
    fn new(name: &str) -> Self {
        let dir = std::env::temp_dir().join(format!(
            "imgshare-cli-hostile-{}-{name}",
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

struct Run {
    code: Option<i32>,
    stdout: String,
    stderr: String,
    /// Peak resident memory in KiB, when it could be measured.
    peak_rss_kib: Option<u64>,
}

const TIME: &str = "/usr/bin/time";

/// Runs the binary with `env` and `args`, measuring its peak resident memory.
fn run(home: &Path, env: &[(&str, &str)], args: &[&str]) -> Run {
    let use_time = Path::new(TIME).exists();
    let mut command = if use_time {
        let mut c = Command::new(TIME);
        c.arg("-v").arg(env!("CARGO_BIN_EXE_imgshare"));
        c
    } else {
        Command::new(env!("CARGO_BIN_EXE_imgshare"))
    };
    for var in SCRUBBED {
        command.env_remove(var);
    }
    command
        .env("HOME", home)
        // Never reach for a real metadata service: a closed loopback port fails at once.
        .env("IMGSHARE_TENCENT_METADATA_ENDPOINT", "http://127.0.0.1:9")
        .env("NCLOUD_METADATA_API_ENDPOINT", "http://127.0.0.1:9")
        .envs(env.iter().copied())
        .args(args)
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    let mut child = command.spawn().unwrap();
    let pid = child.id();
    // Read the pipes on threads so the child never blocks on a full pipe.
    let mut out_pipe = child.stdout.take().unwrap();
    let mut err_pipe = child.stderr.take().unwrap();
    let out = thread::spawn(move || {
        let mut s = String::new();
        let _ = out_pipe.read_to_string(&mut s);
        s
    });
    let err = thread::spawn(move || {
        let mut s = String::new();
        let _ = err_pipe.read_to_string(&mut s);
        s
    });
    // Without /usr/bin/time: poll VmHWM (a high-water mark, so the last sample is the peak so
    // far) until the process exits.
    let mut polled: Option<u64> = None;
    let deadline = Instant::now() + Duration::from_secs(120);
    let status = loop {
        if !use_time
            && let Ok(text) = std::fs::read_to_string(format!("/proc/{pid}/status"))
            && let Some(kib) = text
                .lines()
                .find_map(|l| l.strip_prefix("VmHWM:"))
                .and_then(|v| v.trim().trim_end_matches("kB").trim().parse::<u64>().ok())
        {
            polled = Some(polled.map_or(kib, |p| p.max(kib)));
        }
        if let Some(status) = child.try_wait().unwrap() {
            break status;
        }
        if Instant::now() > deadline {
            let _ = child.kill();
            panic!("imgshare {args:?} still running after 120 s");
        }
        thread::sleep(Duration::from_millis(2));
    };
    let stdout = out.join().unwrap();
    let stderr = err.join().unwrap();
    let peak_rss_kib = if use_time {
        stderr
            .lines()
            .find_map(|l| l.trim().strip_prefix("Maximum resident set size (kbytes):"))
            .and_then(|v| v.trim().parse().ok())
    } else {
        polled
    };
    let code = if use_time {
        stderr
            .lines()
            .find_map(|l| l.trim().strip_prefix("Exit status:"))
            .and_then(|v| v.trim().parse().ok())
    } else {
        status.code()
    };
    Run {
        code,
        stdout,
        stderr,
        peak_rss_kib,
    }
}

fn check(name: &str, env: &[(&str, &str)], args: &[&str]) {
    let server = Endless::start();
    let home = TempHome::new(name);
    let uri = server.uri();
    let mut all = vec!["--endpoint", uri.as_str()];
    all.extend_from_slice(args);
    let run = run(&home.0, env, &all);
    assert!(
        matches!(run.code, Some(c) if c != 0),
        "{name}: exit {:?}\nstdout: {}\nstderr: {}",
        run.code,
        run.stdout,
        run.stderr
    );
    assert!(
        run.stderr.contains(&format!("{LIMIT}-byte limit")),
        "{name}: the error must name the limit\nstderr: {}",
        run.stderr
    );
    // The secret never appears in what the binary prints.
    for (_, value) in env {
        if value.contains("SECRET") {
            assert!(!run.stderr.contains(value) && !run.stdout.contains(value));
        }
    }
    assert_eq!(
        server.requests.load(Ordering::SeqCst),
        1,
        "{name}: a body past the limit is never retried"
    );
    match run.peak_rss_kib {
        Some(kib) => {
            eprintln!("{name}: peak RSS {kib} KiB (limit {MAX_RSS_KIB} KiB)");
            assert!(
                kib < MAX_RSS_KIB,
                "{name}: peak RSS {kib} KiB is over {MAX_RSS_KIB} KiB"
            );
        }
        None => eprintln!(
            "{name}: peak RSS not measured (neither {TIME} nor /proc/<pid>/status is available)"
        ),
    }
}

#[test]
fn tencent_list_stops_at_the_limit() {
    check(
        "tencent",
        &[
            ("TENCENTCLOUD_SECRET_ID", "AKIDhostileTESTonly"),
            ("TENCENTCLOUD_SECRET_KEY", "hostile-SECRET-test-only"),
        ],
        &[
            "--region",
            "ap-guangzhou",
            "tencent",
            "list",
            "--image",
            "img-6pb6lrmy",
        ],
    );
}

#[test]
fn ncloud_list_stops_at_the_limit() {
    check(
        "ncloud",
        &[
            ("NCLOUD_ACCESS_KEY_ID", "hostileTESTonlyAccessKey"),
            ("NCLOUD_SECRET_ACCESS_KEY", "hostile-SECRET-test-only"),
        ],
        &["ncloud", "list", "--image", "10000001"],
    );
}

#[test]
fn scp_list_stops_at_the_limit() {
    check(
        "scp",
        &[
            ("SCP_ACCESS_KEY", "hostileTESTonlyAccessKey"),
            ("SCP_SECRET_KEY", "hostile-SECRET-test-only"),
        ],
        &[
            "scp",
            "list",
            "--image",
            "70a599e0-31e7-49b7-b260-868f441e862b",
        ],
    );
}
