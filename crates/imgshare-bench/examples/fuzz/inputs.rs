//! The fuzz run's inputs: the seed corpus and the generator that mutates it.

use std::path::{Path, PathBuf};
use std::sync::Arc;

use imgshare_core::http::HttpResponse;

/// Seeds: every fixture file under the given directories (recursively), plus inline bodies.
pub(crate) fn corpus(root: &Path) -> Vec<Vec<u8>> {
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

pub(crate) struct Gen {
    pub(crate) rng: fastrand::Rng,
    pub(crate) corpus: Arc<Vec<Vec<u8>>>,
}

impl Gen {
    pub(crate) fn pick(&mut self) -> Vec<u8> {
        self.corpus[self.rng.usize(..self.corpus.len())].clone()
    }

    pub(crate) fn random_bytes(&mut self, max: usize) -> Vec<u8> {
        let len = self.rng.usize(..=max);
        (0..len).map(|_| self.rng.u8(..)).collect()
    }

    pub(crate) fn bomb(&mut self) -> Vec<u8> {
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

    pub(crate) fn mutate(&mut self, body: &mut Vec<u8>) {
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
    pub(crate) fn body(&mut self) -> Vec<u8> {
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

    /// One of `seeds`, with 0 to 3 mutations.
    pub(crate) fn text(&mut self, seeds: &[&str]) -> String {
        let mut bytes = seeds[self.rng.usize(..seeds.len())].as_bytes().to_vec();
        for _ in 0..self.rng.usize(0..=3) {
            self.mutate(&mut bytes);
        }
        String::from_utf8_lossy(&bytes).into_owned()
    }

    /// `seed` with at least one mutation, and different from it.
    pub(crate) fn changed(&mut self, seed: &str) -> String {
        for _ in 0..8 {
            let text = self.text(&[seed]);
            if text != seed {
                return text;
            }
        }
        format!("{seed}\u{1}")
    }

    pub(crate) fn content_type(&mut self) -> Option<String> {
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

    pub(crate) fn response(&mut self) -> HttpResponse {
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
