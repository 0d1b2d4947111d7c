//! A property/mutation fuzz run on the stable toolchain (no cargo-fuzz, no AFL): feeds generated
//! and mutated bodies to everything that reads bytes from the network or from a client, and
//! catches panics.
//!
//! Inputs are seeded from the providers' fixtures (`crates/imgshare-core/tests/fixtures/decode/`,
//! `crates/imgshare-ncloud/tests/fixtures/`, `crates/imgshare-tencent/tests/fixtures/`, SCP
//! bodies written here), then mutated: truncations, byte and bit flips, inserted tokens,
//! deleted and duplicated ranges, splices of two seeds, a BOM, plus random bytes and nesting
//! bombs (JSON arrays and objects, XML elements, inside and outside a real envelope).
//!
//! Targets (see `TARGETS`):
//! - the core decoders, `imgshare_core::decode::{decode, decode_root, decode_output}`, into the
//!   providers' public output types, with a JSON, an XML, or a missing or wrong Content-Type;
//! - each provider's envelope check and output decoding through the public client path: a
//!   custom `HttpClient` answers every request with the generated response (random status,
//!   Content-Type, `Date` and `Retry-After` headers);
//! - the fakes' signature verifiers: `imgshare_testkit::tc3` (parse and verify),
//!   `imgshare_testkit::tencent_v1::verify`, `imgshare_testkit::ncloud::signature`.
//!
//! Not a test (CI does not run it): run it by hand, optimised,
//! `cargo run --profile fuzz -p imgshare-bench --example fuzz -- [TOTAL_INPUTS] [SEED]`
//! (the `fuzz` profile keeps unwinding, which `catch_unwind` needs; `release` aborts on panic;
//! default 10,000,000 inputs, split between the targets by weight, seed 1). It prints
//! executions, time and panics per target; every panicking input is written to
//! `target/fuzz-crashes/` and the run exits non-zero.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::panic::{self, AssertUnwindSafe};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use imgshare_core::credentials::BoxFuture;
use imgshare_core::decode;
use imgshare_core::http::{HttpClient, HttpError, HttpRequest, HttpResponse};
use imgshare_core::{Credentials, RetryConfig, SecretString, TimeoutConfig};
use serde::Deserialize;
use serde::de::DeserializeOwned;

// ---- inputs ------------------------------------------------------------------------------

/// Seeds: every fixture file under the given directories (recursively), plus inline bodies.
fn corpus(root: &Path) -> Vec<Vec<u8>> {
    let mut out = Vec::new();
    for dir in [
        "crates/imgshare-core/tests/fixtures/decode",
        "crates/imgshare-ncloud/tests/fixtures",
        "crates/imgshare-tencent/tests/fixtures",
    ] {
        collect(&root.join(dir), &mut out);
    }
    for inline in SCP_SEEDS {
        out.push(inline.as_bytes().to_vec());
    }
    assert!(
        out.len() > 20,
        "fixtures not found under {}",
        root.display()
    );
    out
}

fn collect(dir: &Path, out: &mut Vec<Vec<u8>>) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    let mut paths: Vec<PathBuf> = entries.filter_map(|e| e.ok().map(|e| e.path())).collect();
    paths.sort();
    for path in paths {
        if path.is_dir() {
            collect(&path, out);
        } else if let Ok(bytes) = std::fs::read(&path) {
            out.push(bytes);
        }
    }
}

const SCP_SEEDS: &[&str] = &[
    r#"{"members":[{"created_at":"2025-07-22T09:00:00Z","image_id":"70a599e0-31e7-49b7-b260-868f441e862b","member_id":"a8f10467abfc4b87b64614ab36eb9ae4","status":"pending","updated_at":"2025-07-26T12:00:00Z"}]}"#,
    r#"{"created_at":"2025-07-22T09:00:00Z","image_id":"70a599e0-31e7-49b7-b260-868f441e862b","member_id":"a8f10467abfc4b87b64614ab36eb9ae4","status":"accepted","updated_at":null}"#,
    r#"{"images":[{"checksum":null,"container_format":"bare","created_at":"2025-07-01T08:00:00Z","disk_format":"qcow2","id":"70a599e0-31e7-49b7-b260-868f441e862b","min_disk":0,"min_ram":0,"name":"demo","os_distro":"ubuntu","os_hidden":false,"owner":"f39c460fade34fecb05ede8f904b24b7","protected":false,"scp_image_type":"custom","scp_os_version":"22.04","size":2361393152,"status":"active","updated_at":"2025-07-01T08:00:00","visibility":"shared"}],"count":1}"#,
    r#"{"errors":[{"detail":["a","b"],"status":409,"request_id":"req-1","global_request_id":"req-2","links":[],"response":null}]}"#,
    r#"{"timestamp":"2025-07-22T09:00:00.000+00:00","path":"/v1/images","status":404,"error":"Not Found","requestId":"abc"}"#,
    r#"{"status":"UNAUTHORIZED","name":"HmacValidFail","message":"HmacValidFail: signature mismatch"}"#,
    r#"[{"loc":["body","member_id"],"msg":"field required","type":"value_error.missing"}]"#,
    r#"{"code":"E1","message":"other back-end"}"#,
    "<html><head><title>Request Rejected</title></head><body>Your Support ID is: 1234567890</body></html>",
    r#"{"Response":{"Error":{"Code":"RequestLimitExceeded","Message":"slow down"},"RequestId":"x"}}"#,
    r#"{"Response":{"Error":{"Code":"AuthFailure.SignatureExpire","Message":"expired"},"RequestId":"x"}}"#,
    r#"{"error":{"errorCode":"420","message":"Rate Limited","details":""}}"#,
    "<responseError><returnCode>1000</returnCode><returnMessage>Please try again</returnMessage></responseError>",
];

const TOKENS: &[&[u8]] = &[
    b"{",
    b"}",
    b"[",
    b"]",
    b"\"",
    b":",
    b",",
    b"null",
    b"true",
    b"-1",
    b"0",
    b"1e999",
    b"-9223372036854775809",
    b"18446744073709551616",
    b"\"\\ud800\"",
    b"\"\\u0000\"",
    b"\\",
    b"<",
    b">",
    b"</",
    b"/>",
    b"<a>",
    b"</a>",
    b"<![CDATA[",
    b"]]>",
    b"<!--",
    b"-->",
    b"<?xml version=\"1.0\"?>",
    b"<!DOCTYPE html>",
    b"&amp;",
    b"&#xFFFFFF;",
    b"&#0;",
    b"&unknown;",
    b"\xEF\xBB\xBF",
    b"\xFF\xFE",
    b"\xC3",
    b"\x00",
    b"\r\n",
    b"  ",
    b"returnCode",
    b"Response",
    b"Error",
    b"errors",
    b"members",
    b"serverImageList",
    b"xmlns:a=\"b\"",
    b"a:b",
];

struct Gen {
    rng: fastrand::Rng,
    corpus: Arc<Vec<Vec<u8>>>,
}

impl Gen {
    fn pick(&mut self) -> Vec<u8> {
        self.corpus[self.rng.usize(..self.corpus.len())].clone()
    }

    fn random_bytes(&mut self, max: usize) -> Vec<u8> {
        let len = self.rng.usize(..=max);
        (0..len).map(|_| self.rng.u8(..)).collect()
    }

    fn bomb(&mut self) -> Vec<u8> {
        let depth = match self.rng.u8(..4) {
            0 => self.rng.usize(100..200),
            1 => self.rng.usize(200..2_000),
            _ => self.rng.usize(2_000..60_000),
        };
        let (open, close, prefix, suffix): (&[u8], &[u8], &[u8], &[u8]) = match self.rng.u8(..8) {
            0 => (b"[", b"]", b"", b""),
            1 => (b"{\"a\":", b"}", b"", b""),
            2 => (b"<a>", b"</a>", b"", b""),
            3 => (b"[", b"]", b"{\"Response\":{\"SharePermissionSet\":", b"}}"),
            4 => (b"{\"x\":", b"}", b"{\"getServerImageListResponse\":", b"}"),
            5 => (
                b"<serverImage>",
                b"</serverImage>",
                b"<getServerImageListResponse><serverImageList>",
                b"</serverImageList></getServerImageListResponse>",
            ),
            6 => (b"[", b"]", b"{\"members\":", b"}"),
            _ => (b"<a x=\"1\">", b"", b"", b""),
        };
        let mut out = prefix.to_vec();
        for _ in 0..depth {
            out.extend_from_slice(open);
        }
        if self.rng.bool() {
            for _ in 0..depth {
                out.extend_from_slice(close);
            }
            out.extend_from_slice(suffix);
        }
        out
    }

    fn mutate(&mut self, body: &mut Vec<u8>) {
        let len = body.len();
        match self.rng.u8(..10) {
            0 if len > 0 => body.truncate(self.rng.usize(..len)),
            1 if len > 0 => {
                for _ in 0..self.rng.usize(1..=8) {
                    let at = self.rng.usize(..len);
                    body[at] = self.rng.u8(..);
                }
            }
            2 if len > 0 => {
                let at = self.rng.usize(..len);
                body[at] ^= 1 << self.rng.u8(..8);
            }
            3 => {
                let token = TOKENS[self.rng.usize(..TOKENS.len())];
                let at = self.rng.usize(..=len);
                body.splice(at..at, token.iter().copied());
            }
            4 if len > 0 => {
                let from = self.rng.usize(..len);
                let to = (from + self.rng.usize(1..=64)).min(len);
                body.drain(from..to);
            }
            5 if len > 0 => {
                let from = self.rng.usize(..len);
                let to = (from + self.rng.usize(1..=256)).min(len);
                let copy = body[from..to].to_vec();
                let at = self.rng.usize(..=len);
                body.splice(at..at, copy);
            }
            6 => {
                let other = self.pick();
                if !other.is_empty() && len > 0 {
                    let cut = self.rng.usize(..len);
                    let from = self.rng.usize(..other.len());
                    body.truncate(cut);
                    body.extend_from_slice(&other[from..]);
                }
            }
            7 => body
                .splice(0..0, b"\xEF\xBB\xBF".iter().copied())
                .for_each(drop),
            8 if len > 0 => {
                // Replace a digit run or a quoted value with an extreme one.
                let at = self.rng.usize(..len);
                let extreme: &[u8] = match self.rng.u8(..4) {
                    0 => b"99999999999999999999999999",
                    1 => b"-0.0e-400",
                    2 => b"\"\"",
                    _ => b"NaN",
                };
                let end = (at + self.rng.usize(1..=12)).min(len);
                body.splice(at..end, extreme.iter().copied());
            }
            _ => {
                let at = self.rng.usize(..=len);
                let junk = self.random_bytes(16);
                body.splice(at..at, junk);
            }
        }
    }

    /// One generated body.
    fn body(&mut self) -> Vec<u8> {
        match self.rng.u8(..100) {
            0..=4 => self.random_bytes(512),
            5..=7 => self.bomb(),
            8..=11 => self.pick(),
            _ => {
                let mut body = self.pick();
                for _ in 0..self.rng.usize(1..=4) {
                    self.mutate(&mut body);
                }
                body
            }
        }
    }

    fn text(&mut self, seeds: &[&str]) -> String {
        let mut bytes = seeds[self.rng.usize(..seeds.len())].as_bytes().to_vec();
        for _ in 0..self.rng.usize(0..=3) {
            self.mutate(&mut bytes);
        }
        String::from_utf8_lossy(&bytes).into_owned()
    }

    fn content_type(&mut self) -> Option<String> {
        let options = [
            "application/json",
            "application/json;charset=UTF-8",
            "application/xml",
            "text/xml; charset=utf-8",
            "text/html",
            "text/plain",
            "application/problem+json",
            "application/atom+xml",
            "",
            ";;;",
        ];
        match self.rng.u8(..12) {
            0 => None,
            1 => Some(String::from_utf8_lossy(&self.random_bytes(24)).into_owned()),
            n => Some(options[usize::from(n) % options.len()].to_owned()),
        }
    }

    fn response(&mut self) -> HttpResponse {
        const STATUSES: &[u16] = &[
            200, 200, 200, 200, 201, 202, 204, 301, 302, 307, 400, 401, 403, 404, 409, 413, 417,
            429, 500, 502, 503, 504, 599, 0, 999,
        ];
        let mut response =
            HttpResponse::new(STATUSES[self.rng.usize(..STATUSES.len())]).with_body(self.body());
        if let Some(ct) = self.content_type() {
            response = response.with_header("content-type", ct);
        }
        if self.rng.u8(..8) == 0 {
            let date = self.text(&[
                "Tue, 01 Dec 2026 11:00:00 GMT",
                "Thu, 01 Jan 1970 00:00:00 GMT",
                "Fri, 31 Dec 9999 23:59:59 GMT",
            ]);
            response = response.with_header("date", date);
        }
        if self.rng.u8(..8) == 0 {
            let after = self.text(&[
                "0",
                "1",
                "18446744073709551615",
                "Wed, 21 Oct 2015 07:28:00 GMT",
            ]);
            response = response.with_header("retry-after", after);
        }
        if self.rng.u8(..8) == 0 {
            response = response.with_header("x-tc-requestid", self.text(&["req-1"]));
        }
        response
    }
}

// ---- the client path -----------------------------------------------------------------------

/// Answers every request with the response put in its slot.
#[derive(Debug, Default)]
struct Scripted {
    next: Mutex<Option<HttpResponse>>,
    /// Requests that reached the HTTP layer (passed validation, signed, sent).
    sent: AtomicU64,
}

impl HttpClient for Scripted {
    fn send(
        &self,
        _request: HttpRequest,
        _timeout: Option<Duration>,
    ) -> BoxFuture<'_, Result<HttpResponse, HttpError>> {
        self.sent.fetch_add(1, Ordering::Relaxed);
        let response = self
            .next
            .lock()
            .unwrap()
            .take()
            .unwrap_or_else(|| HttpResponse::new(500));
        Box::pin(async move { Ok(response) })
    }
}

fn credentials() -> Credentials {
    Credentials::new(
        "AKIDfuzzEXAMPLE",
        SecretString::new("fuzz-secret-EXAMPLE"),
        None,
        "fuzz",
    )
    .unwrap()
}

fn timeouts() -> TimeoutConfig {
    TimeoutConfig::default()
        .with_attempt(None)
        .with_operation(None)
}

struct Clients {
    http: Arc<Scripted>,
    tencent: imgshare_tencent::Client,
    ncloud: imgshare_ncloud::Client,
    scp: imgshare_scp::Client,
    rt: tokio::runtime::Runtime,
}

impl Clients {
    fn new() -> Self {
        let http = Arc::new(Scripted::default());
        let tencent = imgshare_tencent::Client::new(
            imgshare_tencent::Config::builder()
                .region("ap-guangzhou")
                .endpoint_url("http://127.0.0.1:9")
                .credentials(credentials())
                .retry(RetryConfig::disabled())
                .timeouts(timeouts())
                .http_client(http.clone())
                .build()
                .unwrap(),
        )
        .unwrap();
        let ncloud = imgshare_ncloud::Client::new(
            imgshare_ncloud::Config::builder()
                .endpoint_url("http://127.0.0.1:9")
                .region_code("KR")
                .credentials(credentials())
                .retry(RetryConfig::disabled())
                .timeouts(timeouts())
                .http_client(http.clone())
                .build()
                .unwrap(),
        )
        .unwrap();
        let scp = imgshare_scp::Client::new(
            imgshare_scp::Config::builder()
                .endpoint_url("http://127.0.0.1:9")
                .credentials(credentials())
                .retry(RetryConfig::disabled())
                .timeouts(timeouts())
                .http_client(http.clone())
                .build()
                .unwrap(),
        )
        .unwrap();
        let rt = tokio::runtime::Builder::new_current_thread()
            .enable_time()
            .build()
            .unwrap();
        Self {
            http,
            tencent,
            ncloud,
            scp,
            rt,
        }
    }

    /// Runs one call; its result is only looked at (Display, metadata), never trusted.
    fn run(&self, target: Target, op: u8, response: HttpResponse) {
        *self.http.next.lock().unwrap() = Some(response);
        let text = match target {
            Target::TencentClient => {
                let c = &self.tencent;
                self.rt.block_on(async {
                    match op % 3 {
                        0 => show(
                            c.describe_image_share_permission()
                                .image_id("img-6pb6lrmy")
                                .send()
                                .await,
                        ),
                        1 => show(c.describe_images().send().await),
                        _ => show(
                            c.share_image()
                                .image_id("img-6pb6lrmy")
                                .account_id("100000000002")
                                .send()
                                .await,
                        ),
                    }
                })
            }
            Target::NcloudClient => {
                let c = &self.ncloud;
                self.rt.block_on(async {
                    match op % 4 {
                        0 => show(c.get_server_image_list().send().await),
                        1 => show(
                            c.add_server_image_sharing_permission()
                                .server_image_no("10000001")
                                .target_login_id("recipient@example.com")
                                .send()
                                .await,
                        ),
                        2 => show(c.get_member_server_image_instance_list().send().await),
                        _ => show(c.classic_get_member_server_image_list().send().await),
                    }
                })
            }
            Target::ScpClient => {
                let c = &self.scp;
                const IMAGE: &str = "70a599e0-31e7-49b7-b260-868f441e862b";
                const MEMBER: &str = "a8f10467abfc4b87b64614ab36eb9ae4";
                self.rt.block_on(async {
                    match op % 5 {
                        0 => show(c.list_image_members().image_id(IMAGE).send().await),
                        1 => show(
                            c.create_image_member()
                                .image_id(IMAGE)
                                .member_id(MEMBER)
                                .send()
                                .await,
                        ),
                        2 => show(c.show_image().image_id(IMAGE).send().await),
                        3 => show(c.list_images().send().await),
                        _ => show(
                            c.delete_image_member()
                                .image_id(IMAGE)
                                .member_id(MEMBER)
                                .send()
                                .await,
                        ),
                    }
                })
            }
            _ => unreachable!(),
        };
        std::hint::black_box(text);
    }
}

/// Formats a result the way a caller would print it (exercises Display and the metadata).
fn show<T: std::fmt::Debug, E: imgshare_core::ErrorMetadata + std::fmt::Display>(
    result: Result<T, E>,
) -> usize {
    match result {
        Ok(v) => format!("{v:?}").len(),
        Err(e) => {
            let text = e.to_string();
            assert!(
                !text.contains("fuzz-secret-EXAMPLE"),
                "an error quotes the secret"
            );
            text.len() + e.code().map_or(0, str::len) + usize::from(e.is_retryable())
        }
    }
}

// ---- the decoders --------------------------------------------------------------------------

#[derive(Debug, Deserialize)]
#[allow(dead_code)]
struct Envelope<T> {
    #[serde(rename = "Response")]
    response: T,
}

fn decode_into<T: DeserializeOwned + std::fmt::Debug>(ct: Option<&str>, body: &[u8], how: u8) {
    let text = match how % 3 {
        0 => decode::decode::<T>(ct, body).map(|v| format!("{v:?}")),
        1 => decode::decode_root::<T>(ct, body).map(|(root, v)| format!("{root}{v:?}")),
        _ => decode::decode_output::<T>(ct, body).map(|v| format!("{v:?}")),
    };
    let text = match text {
        Ok(t) => t,
        Err(e) => format!("{e}{}{:?}", e.reason(), e.format()),
    };
    std::hint::black_box(text);
}

fn decode_any(ct: Option<&str>, body: &[u8], which: u8) {
    use imgshare_ncloud::types as n;
    use imgshare_scp::types as s;
    use imgshare_tencent::types as t;
    let how = which / 16;
    match which % 16 {
        0 => decode_into::<Envelope<t::DescribeImageSharePermissionOutput>>(ct, body, how),
        1 => decode_into::<Envelope<t::DescribeImagesOutput>>(ct, body, how),
        2 => decode_into::<Envelope<t::ModifyImageSharePermissionOutput>>(ct, body, how),
        3 => decode_into::<t::DescribeImagesOutput>(ct, body, how),
        4 => decode_into::<n::ServerImageListOutput>(ct, body, how),
        5 => decode_into::<n::MemberServerImageInstanceListOutput>(ct, body, how),
        6 => decode_into::<n::MemberServerImageListOutput>(ct, body, how),
        7 => decode_into::<s::ListImageMembersOutput>(ct, body, how),
        8 => decode_into::<s::ImageMember>(ct, body, how),
        9 => decode_into::<s::Image>(ct, body, how),
        10 => decode_into::<s::ListImagesOutput>(ct, body, how),
        11 => decode_into::<serde_json::Value>(ct, body, how),
        12 => decode_into::<()>(ct, body, how),
        13 => decode_into::<std::collections::BTreeMap<String, String>>(ct, body, how),
        14 => {
            let f = decode::detect_format(ct, body);
            let e = imgshare_core::error::body_excerpt(body);
            std::hint::black_box((f, e));
        }
        _ => decode_into::<n::ServerImageListOutput>(ct, body, how),
    }
}

// ---- the verifiers -------------------------------------------------------------------------

fn tc3_once(g: &mut Gen) {
    use imgshare_testkit::tc3;
    let header = g.text(&[
        "TC3-HMAC-SHA256 Credential=AKIDz8krbsJ5yKBZQpn74WFkmLPx3EXAMPLE/2019-02-25/cvm/tc3_request, SignedHeaders=content-type;host, Signature=2230eefd229f582d8b1b891af7107b91597240707d778ab3738f756258d7652c",
        "TC3-HMAC-SHA256 Credential=a/b/c/tc3_request,SignedHeaders=host;content-type;x-tc-action,Signature=00",
        "TC3-HMAC-SHA256 ",
    ]);
    let Ok(auth) = tc3::parse_authorization(&header) else {
        return;
    };
    std::hint::black_box(auth.credential_scope());
    let body = g.body();
    let ct = g.content_type().unwrap_or_default();
    let host = g.text(&["cvm.tencentcloudapi.com", "127.0.0.1:1"]);
    let action = g.text(&["DescribeImages"]);
    let headers = [
        ("Content-Type", ct.as_str()),
        ("Host", host.as_str()),
        ("X-TC-Action", action.as_str()),
    ];
    let timestamp = g.text(&["1551113065", "-1", "99999999999999999999", "253402300800"]);
    let query = g.text(&["", "Action=DescribeImages&Limit=1"]);
    let path = g.text(&["/"]);
    let request = tc3::SignedRequest {
        method: if g.rng.bool() { "POST" } else { "GET" },
        path: &path,
        query: &query,
        headers: &headers,
        body: &body,
        timestamp: &timestamp,
    };
    let now = match g.rng.u8(..3) {
        0 => 1_551_113_065,
        1 => i64::MIN,
        _ => g.rng.i64(..),
    };
    let result = tc3::verify(
        &request,
        &auth,
        "Gu5t9xGARNpq86cd98joQYCN3EXAMPLE",
        "cvm",
        now,
    );
    if let Err(e) = result {
        std::hint::black_box((e.code(), e.to_string()));
    }
    std::hint::black_box(tc3::utc_date(g.rng.i64(..)));
}

fn v1_once(g: &mut Gen) {
    use imgshare_testkit::tencent_v1;
    let names = [
        "Action",
        "Timestamp",
        "Nonce",
        "SecretId",
        "Signature",
        "SignatureMethod",
        "Region",
        "",
    ];
    let count = g.rng.usize(..8);
    let pairs: Vec<(String, String)> = (0..count)
        .map(|_| {
            let name = names[g.rng.usize(..names.len())].to_owned();
            let value = g.text(&[
                "1551113065",
                "HmacSHA256",
                "HmacSHA1",
                "x",
                "",
                "-9223372036854775808",
            ]);
            (name, value)
        })
        .collect();
    let params: Vec<(&str, &str)> = pairs
        .iter()
        .map(|(n, v)| (n.as_str(), v.as_str()))
        .collect();
    let host = g.text(&["cvm.tencentcloudapi.com"]);
    let path = g.text(&["/", ""]);
    let now = if g.rng.bool() {
        1_551_113_065
    } else {
        g.rng.i64(..)
    };
    let method = if g.rng.bool() { "GET" } else { "POST" };
    if let Err(e) = tencent_v1::verify(method, &host, &path, &params, "secret", now) {
        std::hint::black_box((e.code(), e.to_string()));
    }
    std::hint::black_box(tencent_v1::SignatureMethod::from_param(
        params.first().map(|(_, v)| *v),
    ));
}

fn ncloud_sig_once(g: &mut Gen) {
    use imgshare_testkit::ncloud::signature as sig;
    let ts = g.text(&[
        "1234567890123",
        "0",
        "18446744073709551615",
        "9999999999999999",
    ]);
    let parsed = sig::parse_timestamp_ms(&ts);
    let now = if g.rng.bool() {
        1_234_567_890_123
    } else {
        g.rng.u64(..)
    };
    if let Some(ms) = parsed {
        std::hint::black_box(sig::timestamp_fresh(ms, now));
    }
    std::hint::black_box(sig::timestamp_fresh(g.rng.u64(..), g.rng.u64(..)));
    let target = g.text(&["/vserver/v2/getServerImageList?responseFormatType=json"]);
    let key = g.text(&["TestAccessKey"]);
    let sts = sig::string_to_sign("POST", &target, &ts, &key);
    let signature = sig::sign(&g.text(&["TestSecretKey", ""]), &sts);
    let received = g.text(&[signature.as_str()]);
    std::hint::black_box(sig::signatures_match(&signature, &received));
}

// ---- the run -------------------------------------------------------------------------------

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Target {
    DecodeJson,
    DecodeXml,
    DecodeSniff,
    TencentClient,
    NcloudClient,
    ScpClient,
    Tc3,
    TencentV1,
    NcloudSignature,
}

/// Each target and its share of the inputs (in thousandths).
const TARGETS: &[(Target, &str, u64)] = &[
    (Target::DecodeJson, "core decode, JSON Content-Type", 150),
    (Target::DecodeXml, "core decode, XML Content-Type", 150),
    (
        Target::DecodeSniff,
        "core decode, missing/wrong Content-Type",
        120,
    ),
    (
        Target::TencentClient,
        "tencent client (check + decode)",
        120,
    ),
    (Target::NcloudClient, "ncloud client (check + decode)", 120),
    (Target::ScpClient, "scp client (check + decode)", 120),
    (Target::Tc3, "testkit tc3 parse + verify", 80),
    (Target::TencentV1, "testkit tencent_v1 verify", 60),
    (Target::NcloudSignature, "testkit ncloud signature", 80),
];

#[derive(Default)]
struct Tally {
    executions: AtomicU64,
    /// For the client targets: calls whose request reached the HTTP layer.
    sent: AtomicU64,
    panics: AtomicU64,
    nanos: AtomicU64,
}

fn run_target(
    target: Target,
    name: &str,
    count: u64,
    seed: u64,
    corpus: Arc<Vec<Vec<u8>>>,
    tally: &Tally,
    crashes: &Path,
) {
    let mut g = Gen {
        rng: fastrand::Rng::with_seed(seed),
        corpus,
    };
    let clients = matches!(
        target,
        Target::TencentClient | Target::NcloudClient | Target::ScpClient
    )
    .then(Clients::new);
    let started = Instant::now();
    for i in 0..count {
        // Everything random is drawn before the call, so a crash can be written out.
        let (input, outcome) = match target {
            Target::DecodeJson | Target::DecodeXml | Target::DecodeSniff => {
                let body = g.body();
                let ct = match target {
                    Target::DecodeJson => Some("application/json".to_owned()),
                    Target::DecodeXml => Some("application/xml".to_owned()),
                    _ => g.content_type(),
                };
                let which = g.rng.u8(..48);
                let outcome = panic::catch_unwind(|| decode_any(ct.as_deref(), &body, which));
                (body, outcome)
            }
            Target::TencentClient | Target::NcloudClient | Target::ScpClient => {
                let response = g.response();
                let op = g.rng.u8(..);
                let body = response.body.clone();
                let clients = clients.as_ref().unwrap();
                let outcome =
                    panic::catch_unwind(AssertUnwindSafe(|| clients.run(target, op, response)));
                (body, outcome)
            }
            Target::Tc3 | Target::TencentV1 | Target::NcloudSignature => {
                // The verifiers draw their inputs as they go: record the RNG seed instead.
                let state = g.rng.get_seed();
                let outcome = panic::catch_unwind(AssertUnwindSafe(|| match target {
                    Target::Tc3 => tc3_once(&mut g),
                    Target::TencentV1 => v1_once(&mut g),
                    _ => ncloud_sig_once(&mut g),
                }));
                (format!("rng seed {state}").into_bytes(), outcome)
            }
        };
        tally.executions.fetch_add(1, Ordering::Relaxed);
        if let Err(payload) = outcome {
            let n = tally.panics.fetch_add(1, Ordering::Relaxed);
            let message = payload
                .downcast_ref::<String>()
                .cloned()
                .or_else(|| payload.downcast_ref::<&str>().map(|s| (*s).to_owned()))
                .unwrap_or_default();
            let file = crashes.join(format!("{name}-{i}.bin"));
            let _ = std::fs::create_dir_all(crashes);
            let _ = std::fs::write(&file, &input);
            if n < 20 {
                eprintln!(
                    "PANIC in {name} (input {i}): {message} -> {}",
                    file.display()
                );
            }
        }
    }
    tally
        .nanos
        .store(started.elapsed().as_nanos() as u64, Ordering::Relaxed);
    if let Some(c) = &clients {
        tally
            .sent
            .store(c.http.sent.load(Ordering::Relaxed), Ordering::Relaxed);
    }
}

fn main() {
    let args: Vec<u64> = std::env::args()
        .skip(1)
        .filter_map(|a| a.replace('_', "").parse().ok())
        .collect();
    let total = args.first().copied().unwrap_or(10_000_000);
    let seed = args.get(1).copied().unwrap_or(1);
    let threads = std::thread::available_parallelism()
        .map_or(2, |n| n.get())
        .min(4);

    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../..");
    let crashes = root.join("target/fuzz-crashes");
    let corpus = Arc::new(corpus(&root));
    // Panics are counted and written out; the default hook would print each one.
    panic::set_hook(Box::new(|_| {}));

    println!(
        "imgshare fuzz: {total} inputs, seed {seed}, {} seeds, {threads} threads",
        corpus.len()
    );
    let weights: u64 = TARGETS.iter().map(|t| t.2).sum();
    let tallies: Vec<Tally> = TARGETS.iter().map(|_| Tally::default()).collect();
    let next = AtomicU64::new(0);
    let started = Instant::now();
    std::thread::scope(|scope| {
        for _ in 0..threads {
            scope.spawn(|| {
                loop {
                    let i = next.fetch_add(1, Ordering::SeqCst) as usize;
                    let Some(&(target, name, weight)) = TARGETS.get(i) else {
                        break;
                    };
                    let count = total * weight / weights;
                    run_target(
                        target,
                        &format!("{target:?}").to_lowercase(),
                        count,
                        seed.wrapping_mul(1000).wrapping_add(i as u64),
                        corpus.clone(),
                        &tallies[i],
                        &crashes,
                    );
                    let t = &tallies[i];
                    println!(
                        "  done: {name}: {} executions ({} sent to the HTTP layer) in {:.1} s, {} panics",
                        t.executions.load(Ordering::Relaxed),
                        t.sent.load(Ordering::Relaxed),
                        t.nanos.load(Ordering::Relaxed) as f64 / 1e9,
                        t.panics.load(Ordering::Relaxed)
                    );
                }
            });
        }
    });
    let elapsed = started.elapsed();
    let _ = panic::take_hook();

    println!("\n| target | executions | time (s) | exec/s | panics |");
    println!("|---|---:|---:|---:|---:|");
    let (mut all, mut panics) = (0, 0);
    for ((_, name, _), t) in TARGETS.iter().zip(&tallies) {
        let (e, p) = (
            t.executions.load(Ordering::Relaxed),
            t.panics.load(Ordering::Relaxed),
        );
        let secs = t.nanos.load(Ordering::Relaxed) as f64 / 1e9;
        println!(
            "| {name} | {e} | {secs:.1} | {:.0} | {p} |",
            e as f64 / secs.max(1e-9)
        );
        all += e;
        panics += p;
    }
    println!(
        "| **total** | **{all}** | **{:.1}** (wall, {threads} threads) | | **{panics}** |",
        elapsed.as_secs_f64()
    );
    if panics > 0 {
        eprintln!("{panics} panicking inputs written to {}", crashes.display());
        std::process::exit(1);
    }
}
