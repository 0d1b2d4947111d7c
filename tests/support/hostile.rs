//! A small hostile HTTP/1.1 server on a loopback port, written on raw `std::net` sockets so it
//! can do what no well-behaved server (and no fake built on one) does: reset a connection
//! before or in the middle of a response, send a body past any limit or forever, trickle a body
//! byte by byte, never answer, or redirect to another host.
//!
//! Every request it receives is recorded (method, target, headers) before it misbehaves, so a
//! test can count exactly how many requests a client sent. Each connection gets its own thread
//! and is closed after one exchange (`Connection: close`).

use std::io::{Read, Write};
use std::net::{SocketAddr, TcpListener, TcpStream};
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::thread;
use std::time::{Duration, Instant};

/// Whether the fault applies to the first request only (later ones get the success answer) or
/// to every request.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Times {
    /// The first request only.
    Once,
    /// Every request.
    Always,
}

/// A complete answer.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Resolved {
    /// The status.
    pub(crate) status: u16,
    /// The `Content-Type`, if any.
    pub(crate) content_type: Option<&'static str>,
    /// The body (sent with a `Content-Length`).
    pub(crate) body: Vec<u8>,
    /// Whether to add `Retry-After: 1`.
    pub(crate) retry_after: bool,
}

/// What the server does with a request.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Behaviour {
    /// Reads the request, then resets the connection (RST, `SO_LINGER` 0) without answering.
    Reset,
    /// Sends the success answer's headers and half its body, then resets the connection.
    ResetMidBody,
    /// Sends the success answer's headers and half its body, then closes the connection (FIN).
    CloseMidBody,
    /// Sends this answer.
    Respond(Resolved),
    /// Declares a 10 MiB `Content-Length` and streams it.
    DeclaredTooLarge,
    /// `200 application/json` with a chunked body that never ends.
    EndlessChunked,
    /// Declares a 1,000-byte body and sends one byte every 50 ms.
    TrickleBody,
    /// Reads the request and never answers.
    NoAnswer,
    /// Answers this 3xx status with `Location` on the other host.
    Redirect(u16),
}

/// A request as received.
#[derive(Debug, Clone)]
pub(crate) struct Received {
    /// The method.
    pub(crate) method: String,
    /// The request target.
    pub(crate) target: String,
    /// Headers, names lowercased.
    pub(crate) headers: Vec<(String, String)>,
    /// The body (as far as its `Content-Length` says), for the signature checks.
    pub(crate) body: Vec<u8>,
}

impl Received {
    /// The first value of a (lowercase) header.
    pub(crate) fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, v)| v.as_str())
    }
}

/// How long a misbehaving connection is kept up at most.
const HOLD: Duration = Duration::from_secs(20);

struct Shared {
    fault: Behaviour,
    times: Times,
    success: Resolved,
    other: SocketAddr,
    received: Mutex<Vec<Received>>,
    stop: AtomicBool,
}

/// The server. Dropping it stops accepting connections.
pub(crate) struct Hostile {
    addr: SocketAddr,
    shared: Arc<Shared>,
}

impl Hostile {
    /// Starts a server that answers as `fault` (once or always) and with `success` otherwise;
    /// redirects point at `other`.
    pub(crate) fn start(
        fault: Behaviour,
        times: Times,
        success: Resolved,
        other: SocketAddr,
    ) -> Self {
        let listener = TcpListener::bind("127.0.0.1:0").unwrap();
        let addr = listener.local_addr().unwrap();
        let shared = Arc::new(Shared {
            fault,
            times,
            success,
            other,
            received: Mutex::new(Vec::new()),
            stop: AtomicBool::new(false),
        });
        let accept = shared.clone();
        thread::spawn(move || {
            for stream in listener.incoming() {
                if accept.stop.load(Ordering::SeqCst) {
                    break;
                }
                let Ok(stream) = stream else { continue };
                let shared = accept.clone();
                thread::spawn(move || serve(stream, &shared));
            }
        });
        Self { addr, shared }
    }

    /// Starts the "other host" of a redirect: it only counts connections.
    pub(crate) fn start_other_host() -> OtherHost {
        OtherHost::start()
    }

    /// `http://127.0.0.1:port`.
    pub(crate) fn uri(&self) -> String {
        format!("http://{}", self.addr)
    }

    /// The requests received so far.
    pub(crate) fn received(&self) -> Vec<Received> {
        self.shared.received.lock().unwrap().clone()
    }
}

impl Drop for Hostile {
    fn drop(&mut self) {
        self.shared.stop.store(true, Ordering::SeqCst);
        // Wake the accept loop so its thread ends.
        let _ = TcpStream::connect(self.addr);
    }
}

/// The other host of a redirect: counts every connection it accepts.
pub(crate) struct OtherHost {
    addr: SocketAddr,
    connections: Arc<AtomicUsize>,
    stop: Arc<AtomicBool>,
}

impl OtherHost {
    fn start() -> Self {
        let listener = TcpListener::bind("127.0.0.1:0").unwrap();
        let addr = listener.local_addr().unwrap();
        let connections = Arc::new(AtomicUsize::new(0));
        let stop = Arc::new(AtomicBool::new(false));
        let (count, stopped) = (connections.clone(), stop.clone());
        thread::spawn(move || {
            for stream in listener.incoming() {
                if stopped.load(Ordering::SeqCst) {
                    break;
                }
                if stream.is_ok() {
                    count.fetch_add(1, Ordering::SeqCst);
                }
            }
        });
        Self {
            addr,
            connections,
            stop,
        }
    }

    /// Its address.
    pub(crate) fn addr(&self) -> SocketAddr {
        self.addr
    }

    /// Connections accepted so far.
    pub(crate) fn connections(&self) -> usize {
        self.connections.load(Ordering::SeqCst)
    }
}

impl Drop for OtherHost {
    fn drop(&mut self) {
        self.stop.store(true, Ordering::SeqCst);
        let _ = TcpStream::connect(self.addr);
    }
}

/// Reads one request (headers and a `Content-Length` body); `None` if the peer closed first.
fn read_request(stream: &mut TcpStream) -> Option<Received> {
    stream
        .set_read_timeout(Some(Duration::from_secs(10)))
        .ok()?;
    let mut buf = Vec::new();
    let mut chunk = [0u8; 4096];
    let head_end = loop {
        if let Some(at) = buf.windows(4).position(|w| w == b"\r\n\r\n") {
            break at + 4;
        }
        let n = stream.read(&mut chunk).ok()?;
        if n == 0 {
            return None;
        }
        buf.extend_from_slice(&chunk[..n]);
    };
    let head = String::from_utf8_lossy(&buf[..head_end]).into_owned();
    let mut lines = head.split("\r\n");
    let mut request_line = lines.next()?.split(' ');
    let method = request_line.next()?.to_owned();
    let target = request_line.next()?.to_owned();
    let headers: Vec<(String, String)> = lines
        .filter_map(|l| l.split_once(':'))
        .map(|(n, v)| (n.trim().to_ascii_lowercase(), v.trim().to_owned()))
        .collect();
    let length: usize = headers
        .iter()
        .find(|(n, _)| n == "content-length")
        .and_then(|(_, v)| v.parse().ok())
        .unwrap_or(0);
    while buf.len() - head_end < length {
        let n = stream.read(&mut chunk).ok()?;
        if n == 0 {
            return None;
        }
        buf.extend_from_slice(&chunk[..n]);
    }
    let body = buf[head_end..].iter().copied().take(length).collect();
    Some(Received {
        method,
        target,
        headers,
        body,
    })
}

fn head(status: u16, headers: &[(&str, String)]) -> Vec<u8> {
    let mut out = format!("HTTP/1.1 {status} Scripted\r\nconnection: close\r\n");
    for (name, value) in headers {
        out.push_str(&format!("{name}: {value}\r\n"));
    }
    out.push_str("\r\n");
    out.into_bytes()
}

fn reset(stream: TcpStream) {
    let _ = socket2::SockRef::from(&stream).set_linger(Some(Duration::ZERO));
    drop(stream);
}

fn serve(mut stream: TcpStream, shared: &Shared) {
    let Some(request) = read_request(&mut stream) else {
        return;
    };
    let behaviour = {
        let mut received = shared.received.lock().unwrap();
        received.push(request);
        if shared.times == Times::Always || received.len() == 1 {
            shared.fault.clone()
        } else {
            Behaviour::Respond(shared.success.clone())
        }
    };
    let half_success = |stream: &mut TcpStream| {
        let body = &shared.success.body;
        let mut out = head(
            200,
            &[
                ("content-type", "application/json".to_owned()),
                ("content-length", body.len().to_string()),
            ],
        );
        out.extend_from_slice(&body[..body.len() / 2]);
        let _ = stream.write_all(&out);
        let _ = stream.flush();
        thread::sleep(Duration::from_millis(20));
    };
    let deadline = Instant::now() + HOLD;
    match behaviour {
        Behaviour::Reset => reset(stream),
        Behaviour::ResetMidBody => {
            half_success(&mut stream);
            reset(stream);
        }
        Behaviour::CloseMidBody => {
            half_success(&mut stream);
            let _ = stream.shutdown(std::net::Shutdown::Both);
        }
        Behaviour::Respond(r) => {
            let mut headers = vec![("content-length", r.body.len().to_string())];
            if let Some(ct) = r.content_type {
                headers.push(("content-type", ct.to_owned()));
            }
            if r.retry_after {
                headers.push(("retry-after", "1".to_owned()));
            }
            let mut out = head(r.status, &headers);
            out.extend_from_slice(&r.body);
            let _ = stream.write_all(&out);
        }
        Behaviour::DeclaredTooLarge => {
            let total = 10 * 1024 * 1024;
            let out = head(
                200,
                &[
                    ("content-type", "application/json".to_owned()),
                    ("content-length", total.to_string()),
                ],
            );
            if stream.write_all(&out).is_err() {
                return;
            }
            let block = vec![b' '; 16 * 1024];
            let mut sent = 0;
            while sent < total && Instant::now() < deadline {
                if stream.write_all(&block).is_err() {
                    return;
                }
                sent += block.len();
            }
        }
        Behaviour::EndlessChunked => {
            let out = head(
                200,
                &[
                    ("content-type", "application/json".to_owned()),
                    ("transfer-encoding", "chunked".to_owned()),
                ],
            );
            if stream.write_all(&out).is_err() || stream.write_all(b"1\r\n[\r\n").is_err() {
                return;
            }
            let mut chunk = format!("{:x}\r\n", 16 * 1024).into_bytes();
            chunk.extend(std::iter::repeat_n(b' ', 16 * 1024));
            chunk.extend_from_slice(b"\r\n");
            while Instant::now() < deadline {
                if stream.write_all(&chunk).is_err() {
                    return;
                }
            }
        }
        Behaviour::TrickleBody => {
            let out = head(
                200,
                &[
                    ("content-type", "application/json".to_owned()),
                    ("content-length", "1000".to_owned()),
                ],
            );
            if stream.write_all(&out).is_err() {
                return;
            }
            while Instant::now() < deadline && !shared.stop.load(Ordering::SeqCst) {
                if stream.write_all(b" ").is_err() {
                    return;
                }
                thread::sleep(Duration::from_millis(50));
            }
        }
        Behaviour::NoAnswer => {
            while Instant::now() < deadline && !shared.stop.load(Ordering::SeqCst) {
                thread::sleep(Duration::from_millis(50));
            }
        }
        Behaviour::Redirect(status) => {
            let out = head(
                status,
                &[
                    (
                        "location",
                        format!("http://{}/stolen?from=imgshare", shared.other),
                    ),
                    ("content-length", "0".to_owned()),
                ],
            );
            let _ = stream.write_all(&out);
        }
    }
}
