//! Requests shaped as the official SDKs send them (the Go, Python
//! and Node SDKs' request code), signed by code written here from Tencent's signature pages
//! (v3: <https://cloud.tencent.com/document/api/213/30654>; v1: the "Signature" page beside it):
//! no `imgshare_testkit::{tc3, tencent_v1}`, no imgshare-core.

use base64::Engine as _;
use hmac::{Hmac, Mac};
use imgshare_testkit::{TencentAccount, TencentFake};
use serde_json::Value;
use sha2::{Digest, Sha256};

use super::{Reply, http_client, now};

/// Go `url.QueryEscape` / Python `quote_plus`: letters, digits and `-_.~`
/// stay, a space is `+`, every other byte is `%XY` in upper case (signature v1's encoding step).
pub fn query_escape(text: &str) -> String {
    let mut out = String::new();
    for b in text.bytes() {
        match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' => {
                out.push(b as char)
            }
            b' ' => out.push('+'),
            _ => out.push_str(&format!("%{b:02X}")),
        }
    }
    out
}

/// `name=value&...` with escaped values, in the given order.
pub fn encode_pairs(pairs: &[(String, String)]) -> String {
    pairs
        .iter()
        .map(|(k, v)| format!("{}={}", query_escape(k), query_escape(v)))
        .collect::<Vec<_>>()
        .join("&")
}

/// Go `flatStructure` / Python `_format_params`: arrays as `Name.<i>` from 0,
/// objects with dots (signature v1's flattening). Keeps the JSON object's key order (Python's
/// dict order); sort the result for Go's `url.Values.Encode()`.
pub fn flatten(params: &Value) -> Vec<(String, String)> {
    fn walk(prefix: &str, value: &Value, out: &mut Vec<(String, String)>) {
        match value {
            Value::Object(map) => {
                for (k, v) in map {
                    let name = if prefix.is_empty() {
                        k.clone()
                    } else {
                        format!("{prefix}.{k}")
                    };
                    walk(&name, v, out);
                }
            }
            Value::Array(items) => {
                for (i, v) in items.iter().enumerate() {
                    walk(&format!("{prefix}.{i}"), v, out);
                }
            }
            Value::String(s) => out.push((prefix.to_owned(), s.clone())),
            Value::Null => {}
            other => out.push((prefix.to_owned(), other.to_string())),
        }
    }
    let mut out = Vec::new();
    walk("", params, &mut out);
    out
}

fn sha256_hex(data: &[u8]) -> String {
    hex::encode(Sha256::digest(data))
}

fn hmac256(key: &[u8], msg: &[u8]) -> Vec<u8> {
    let mut mac = Hmac::<Sha256>::new_from_slice(key).unwrap();
    mac.update(msg);
    mac.finalize().into_bytes().to_vec()
}

fn utc_date(ts: i64) -> String {
    let t = time::OffsetDateTime::from_unix_timestamp(ts).unwrap();
    format!("{:04}-{:02}-{:02}", t.year(), t.month() as u8, t.day())
}

/// A TC3 request over GET (params in the query) or POST with a form or JSON
/// body, signing `content-type;host` as the Go/Python/Node SDKs do.
#[derive(Clone)]
pub struct Tc3 {
    pub account: TencentAccount,
    pub method: &'static str,
    pub host: String,
    pub action: String,
    pub region: String,
    pub timestamp: i64,
    pub content_type: String,
    pub query: String,
    pub body: Vec<u8>,
    /// `X-TC-Content-SHA256: UNSIGNED-PAYLOAD` and the literal's hash (TC3's documented option).
    pub unsigned_payload: bool,
    pub extra_headers: Vec<(String, String)>,
}

impl Tc3 {
    fn base(
        fake: &TencentFake,
        account: &TencentAccount,
        method: &'static str,
        action: &str,
    ) -> Tc3 {
        Tc3 {
            account: account.clone(),
            method,
            host: fake.address().to_string(),
            action: action.into(),
            region: "ap-guangzhou".into(),
            timestamp: now(),
            content_type: String::new(),
            query: String::new(),
            body: Vec::new(),
            unsigned_payload: false,
            extra_headers: vec![("X-TC-RequestClient".into(), "SDK_GO_1.3.166".into())],
        }
    }

    /// Go SDK GET: `url.Values.Encode()` (sorted keys), form content type, empty body.
    pub fn go_get(
        fake: &TencentFake,
        account: &TencentAccount,
        action: &str,
        params: &Value,
    ) -> Tc3 {
        let mut pairs = flatten(params);
        pairs.sort();
        let mut call = Tc3::base(fake, account, "GET", action);
        call.content_type = "application/x-www-form-urlencoded".into();
        call.query = encode_pairs(&pairs);
        call
    }

    /// Python SDK GET: `urlencode(params)` in dict order (unsorted).
    pub fn python_get(
        fake: &TencentFake,
        account: &TencentAccount,
        action: &str,
        params: &Value,
    ) -> Tc3 {
        let mut call = Tc3::go_get(fake, account, action, params);
        call.query = encode_pairs(&flatten(params));
        call.extra_headers = vec![
            ("X-TC-RequestClient".into(), "SDK_PYTHON_3.1.162".into()),
            (
                "X-TC-TraceId".into(),
                "5d3f0b9e-2f4c-4c1e-9a55-0e4f8b8f7a11".into(),
            ),
        ];
        call
    }

    /// POST with the flattened params as an `application/x-www-form-urlencoded` body.
    pub fn form_post(
        fake: &TencentFake,
        account: &TencentAccount,
        action: &str,
        params: &Value,
    ) -> Tc3 {
        let mut call = Tc3::base(fake, account, "POST", action);
        call.content_type = "application/x-www-form-urlencoded".into();
        call.body = encode_pairs(&flatten(params)).into_bytes();
        call
    }

    /// Go SDK POST: plain `application/json`, compact JSON with raw UTF-8.
    pub fn go_json(
        fake: &TencentFake,
        account: &TencentAccount,
        action: &str,
        params: &Value,
    ) -> Tc3 {
        let mut call = Tc3::base(fake, account, "POST", action);
        call.content_type = "application/json".into();
        call.body = serde_json::to_vec(params).unwrap();
        call
    }

    pub fn signature(&self) -> String {
        let payload_hash = if self.unsigned_payload {
            sha256_hex(b"UNSIGNED-PAYLOAD")
        } else {
            sha256_hex(&self.body)
        };
        let canonical = format!(
            "{}\n/\n{}\ncontent-type:{}\nhost:{}\n\ncontent-type;host\n{payload_hash}",
            self.method,
            self.query,
            self.content_type.trim().to_lowercase(),
            self.host.trim().to_lowercase()
        );
        let date = utc_date(self.timestamp);
        let sts = format!(
            "TC3-HMAC-SHA256\n{}\n{date}/cvm/tc3_request\n{}",
            self.timestamp,
            sha256_hex(canonical.as_bytes())
        );
        let k = hmac256(
            format!("TC3{}", self.account.secret_key).as_bytes(),
            date.as_bytes(),
        );
        let k = hmac256(&k, b"cvm");
        let k = hmac256(&k, b"tc3_request");
        hex::encode(hmac256(&k, sts.as_bytes()))
    }

    pub fn headers(&self) -> Vec<(String, String)> {
        let mut h = vec![
            (
                "Authorization".to_string(),
                format!(
                    "TC3-HMAC-SHA256 Credential={}/{}/cvm/tc3_request, SignedHeaders=content-type;host, Signature={}",
                    self.account.secret_id,
                    utc_date(self.timestamp),
                    self.signature()
                ),
            ),
            ("Content-Type".into(), self.content_type.clone()),
            ("Host".into(), self.host.clone()),
            ("X-TC-Action".into(), self.action.clone()),
            ("X-TC-Timestamp".into(), self.timestamp.to_string()),
            ("X-TC-Version".into(), "2017-03-12".into()),
            ("X-TC-Region".into(), self.region.clone()),
            ("X-TC-Language".into(), "zh-CN".into()),
        ];
        if let Some(token) = &self.account.session_token {
            h.push(("X-TC-Token".into(), token.clone()));
        }
        if self.unsigned_payload {
            h.push(("X-TC-Content-SHA256".into(), "UNSIGNED-PAYLOAD".into()));
        }
        h.extend(self.extra_headers.iter().cloned());
        h
    }

    pub async fn send(&self, fake: &TencentFake) -> Reply {
        send_to(
            fake,
            self.method,
            &self.query,
            &self.headers(),
            self.body.clone(),
        )
        .await
    }
}

/// Signature v1 (Tencent's "Signature" page, beside signature v3): every parameter in the query (GET) or form body (POST).
#[derive(Clone)]
pub struct V1 {
    pub method: &'static str,
    pub host: String,
    /// Every parameter but `Signature`, in the order the SDK adds them.
    pub params: Vec<(String, String)>,
    pub secret_key: String,
    /// `None`: no `SignatureMethod` parameter (HmacSHA1).
    pub signature_method: Option<&'static str>,
}

impl V1 {
    /// The params the Go SDK's `sendWithSignatureV1` sends, plus the action's flattened ones.
    pub fn new(
        fake: &TencentFake,
        account: &TencentAccount,
        method: &'static str,
        action: &str,
        params: &Value,
        signature_method: Option<&'static str>,
    ) -> V1 {
        let mut all = flatten(params);
        for (k, v) in [
            ("Action", action.to_string()),
            ("Version", "2017-03-12".into()),
            ("Region", "ap-guangzhou".into()),
            ("Timestamp", now().to_string()),
            ("Nonce", fastrand_nonce().to_string()),
            ("SecretId", account.secret_id.clone()),
            ("RequestClient", "SDK_GO_1.3.166".into()),
            ("Language", "en-US".into()),
        ] {
            all.push((k.into(), v));
        }
        if let Some(token) = &account.session_token {
            all.push(("Token".into(), token.clone()));
        }
        if let Some(m) = signature_method {
            all.push(("SignatureMethod".into(), m.into()));
        }
        V1 {
            method,
            host: fake.address().to_string(),
            params: all,
            secret_key: account.secret_key.clone(),
            signature_method,
        }
    }

    pub fn set(&mut self, name: &str, value: Option<&str>) {
        self.params.retain(|(k, _)| k != name);
        if let Some(v) = value {
            self.params.push((name.into(), v.into()));
        }
    }

    pub fn string_to_sign(&self) -> String {
        v1_string_to_sign(self.method, &self.host, &self.params)
    }

    pub fn signature(&self) -> String {
        v1_sign(
            self.signature_method,
            &self.secret_key,
            &self.string_to_sign(),
        )
    }

    /// The wire form: every value escaped, `Signature` last.
    pub fn encoded(&self) -> String {
        let mut pairs = self.params.clone();
        pairs.push(("Signature".into(), self.signature()));
        encode_pairs(&pairs)
    }

    pub async fn send(&self, fake: &TencentFake) -> Reply {
        self.send_encoded(fake, self.encoded()).await
    }

    pub async fn send_encoded(&self, fake: &TencentFake, encoded: String) -> Reply {
        if self.method == "GET" {
            send_to(fake, "GET", &encoded, &[], Vec::new()).await
        } else {
            let headers = vec![(
                "Content-Type".to_string(),
                "application/x-www-form-urlencoded".to_string(),
            )];
            send_to(fake, "POST", "", &headers, encoded.into_bytes()).await
        }
    }
}

fn fastrand_nonce() -> u32 {
    // Any positive integer (the documented `Nonce`).
    (now() as u32 % 100_000) + 1
}

/// `METHOD + host + "/" + "?" + sorted raw pairs` (signature v1, steps 1–3).
pub fn v1_string_to_sign(method: &str, host: &str, params: &[(String, String)]) -> String {
    let mut sorted: Vec<&(String, String)> =
        params.iter().filter(|(k, _)| k != "Signature").collect();
    sorted.sort_by(|a, b| a.0.as_bytes().cmp(b.0.as_bytes()));
    let joined: Vec<String> = sorted.iter().map(|(k, v)| format!("{k}={v}")).collect();
    format!("{method}{host}/?{}", joined.join("&"))
}

/// `base64(HMAC(key, sts))`; HmacSHA256 only for exactly `HmacSHA256` (the documented
/// `SignatureMethod` values).
pub fn v1_sign(method: Option<&str>, key: &str, sts: &str) -> String {
    let mac = if method == Some("HmacSHA256") {
        hmac256(key.as_bytes(), sts.as_bytes())
    } else {
        hmac_sha1(key.as_bytes(), sts.as_bytes()).to_vec()
    };
    base64::engine::general_purpose::STANDARD.encode(mac)
}

/// SHA-1 per FIPS 180-4, for HmacSHA1 (the testkit has no SHA-1 crate).
pub fn sha1(message: &[u8]) -> [u8; 20] {
    let mut state = [
        0x67452301u32,
        0xEFCDAB89,
        0x98BADCFE,
        0x10325476,
        0xC3D2E1F0,
    ];
    let mut padded = message.to_vec();
    padded.push(0x80);
    padded.resize(padded.len() + (64 + 56 - padded.len() % 64) % 64, 0);
    padded.extend_from_slice(&((message.len() as u64) * 8).to_be_bytes());
    for chunk in padded.chunks(64) {
        let mut w: Vec<u32> = chunk
            .chunks(4)
            .map(|b| u32::from_be_bytes(b.try_into().unwrap()))
            .collect();
        for t in 16..80 {
            let x = w[t - 3] ^ w[t - 8] ^ w[t - 14] ^ w[t - 16];
            w.push(x.rotate_left(1));
        }
        let (mut a, mut b, mut c, mut d, mut e) =
            (state[0], state[1], state[2], state[3], state[4]);
        for (t, wt) in w.iter().enumerate() {
            let (f, k) = if t < 20 {
                ((b & c) ^ (!b & d), 0x5A827999u32)
            } else if t < 40 {
                (b ^ c ^ d, 0x6ED9EBA1)
            } else if t < 60 {
                ((b & c) ^ (b & d) ^ (c & d), 0x8F1BBCDC)
            } else {
                (b ^ c ^ d, 0xCA62C1D6)
            };
            let tmp = a
                .rotate_left(5)
                .wrapping_add(f)
                .wrapping_add(e)
                .wrapping_add(k)
                .wrapping_add(*wt);
            (e, d, c, b, a) = (d, c, b.rotate_left(30), a, tmp);
        }
        for (s, v) in state.iter_mut().zip([a, b, c, d, e]) {
            *s = s.wrapping_add(v);
        }
    }
    let mut out = [0u8; 20];
    for (i, s) in state.iter().enumerate() {
        out[i * 4..i * 4 + 4].copy_from_slice(&s.to_be_bytes());
    }
    out
}

/// RFC 2104 HMAC over [`sha1`].
pub fn hmac_sha1(key: &[u8], message: &[u8]) -> [u8; 20] {
    let mut k = if key.len() > 64 {
        sha1(key).to_vec()
    } else {
        key.to_vec()
    };
    k.resize(64, 0);
    let ipad: Vec<u8> = k
        .iter()
        .map(|b| b ^ 0x36)
        .chain(message.iter().copied())
        .collect();
    let inner = sha1(&ipad);
    let opad: Vec<u8> = k.iter().map(|b| b ^ 0x5c).chain(inner).collect();
    sha1(&opad)
}

/// Sends to `/?query` (or `/`), with these headers and body.
pub async fn send_to(
    fake: &TencentFake,
    method: &str,
    query: &str,
    headers: &[(String, String)],
    body: Vec<u8>,
) -> Reply {
    let url = if query.is_empty() {
        format!("{}/", fake.uri())
    } else {
        format!("{}/?{query}", fake.uri())
    };
    let mut req = http_client().request(method.parse().unwrap(), url);
    for (name, value) in headers {
        req = req.header(name, value);
    }
    let resp = req.body(body).send().await.unwrap();
    let status = resp.status().as_u16();
    let content_type = resp
        .headers()
        .get("content-type")
        .map(|v| v.to_str().unwrap().to_owned())
        .unwrap_or_default();
    let text = resp.text().await.unwrap();
    Reply {
        status,
        content_type,
        text,
    }
}
