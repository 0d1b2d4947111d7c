//! Test-only NCP signer, request builder and XML reader.
//!
//! The signer is written again here, straight from NCP's documented string to sign
//! (<https://api.ncloud-docs.com/docs/en/common-ncpapi>), without
//! `imgshare_testkit::ncloud::signature` or imgshare-core: the tests must not
//! share code with the verifier they test.
#![allow(clippy::unwrap_used, clippy::expect_used, dead_code, unreachable_pub)]

use base64::Engine as _;
use hmac::{Hmac, Mac};
use imgshare_testkit::{NcloudAccount, NcloudClassicImage, NcloudFake, NcloudImage, NcloudSeed};
use serde_json::Value;
use sha2::Sha256;

pub const OWNER: &str = "owner@ncp.test";
pub const RECIPIENT: &str = "recipient@ncp.test";
pub const OTHER: &str = "other@ncp.test";
pub const PAGER: &str = "pager@ncp.test";
/// `+`, `@`, a space and a non-ASCII letter.
pub const ODD: &str = "jö e+share@ncp.test";

pub fn owner() -> NcloudAccount {
    NcloudAccount::new(OWNER, "AKTESTOWNER", "test-secret-owner")
}
pub fn recipient() -> NcloudAccount {
    NcloudAccount::new(RECIPIENT, "AKTESTRECIPIENT", "test-secret-recipient")
}
pub fn other() -> NcloudAccount {
    NcloudAccount::new(OTHER, "AKTESTOTHER", "test-secret-other")
}
pub fn pager() -> NcloudAccount {
    NcloudAccount::new(PAGER, "AKTESTPAGER", "test-secret-pager")
}
pub fn odd() -> NcloudAccount {
    NcloudAccount::new(ODD, "AKTESTODD", "test-secret-odd")
}
pub fn expired_role() -> NcloudAccount {
    NcloudAccount::new(OWNER, "AKTESTROLEEXPIRED", "test-secret-role-1")
        .with_expiration("2020-12-31T08:53:47Z")
}
pub fn live_role() -> NcloudAccount {
    NcloudAccount::new(OWNER, "AKTESTROLELIVE", "test-secret-role-2")
        .with_expiration("2999-01-01T00:00:00Z")
}

/// VPC: owner has 30000001 (KVM), 30000002 (XEN), 30000003 (KVM, INIT),
/// 30000005 (KVM, SGN); other has 30000004; pager has 31000001..=31000005.
/// Classic: owner has 40000001 (LNX64), 40000002 (WND64), 40000004 (INIT);
/// other has 40000003.
pub fn seed() -> NcloudSeed {
    let mut images = vec![
        NcloudImage::new("30000001", OWNER).with_name("web-kvm"),
        NcloudImage::new("30000002", OWNER)
            .with_name("web-xen")
            .with_hypervisor("XEN")
            .with_os_type("CENTOS"),
        NcloudImage::new("30000003", OWNER)
            .with_name("db-init")
            .with_status("INIT"),
        NcloudImage::new("30000004", OTHER).with_name("other-kvm"),
        NcloudImage::new("30000005", OWNER)
            .with_name("sgn-kvm")
            .with_region_code("SGN"),
    ];
    for (i, name) in ["e", "c", "a", "d", "b"].iter().enumerate() {
        images.push(
            NcloudImage::new(format!("3100000{}", i + 1), PAGER)
                .with_name(format!("page-{name}"))
                .with_hypervisor(if i % 2 == 0 { "KVM" } else { "XEN" }),
        );
    }
    NcloudSeed {
        accounts: vec![
            owner(),
            recipient(),
            other(),
            pager(),
            odd(),
            expired_role(),
            live_role(),
        ],
        images,
        classic_images: vec![
            NcloudClassicImage::new("40000001", OWNER).with_name("classic-lnx"),
            NcloudClassicImage::new("40000002", OWNER)
                .with_name("classic-wnd")
                .with_platform_type("WND64")
                .with_region_no("7"),
            NcloudClassicImage::new("40000003", OTHER).with_name("classic-other"),
            NcloudClassicImage::new("40000004", OWNER)
                .with_name("classic-init")
                .with_status("INIT"),
        ],
    }
}

pub async fn fake() -> NcloudFake {
    NcloudFake::start_with_seed(seed()).await
}

pub fn now_ms() -> u64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_millis() as u64
}

/// Base64(HMAC-SHA256(secret, "METHOD URI\nTS\nAK")), as NCP documents it.
pub fn ncp_sign(
    secret: &str,
    method: &str,
    uri: &str,
    timestamp: &str,
    access_key: &str,
) -> String {
    let message = format!("{method} {uri}\n{timestamp}\n{access_key}");
    let mut mac = Hmac::<Sha256>::new_from_slice(secret.as_bytes()).unwrap();
    mac.update(message.as_bytes());
    base64::engine::general_purpose::STANDARD.encode(mac.finalize().into_bytes())
}

/// Percent-encodes everything but RFC 3986 unreserved characters.
pub fn enc(s: &str) -> String {
    let mut out = String::new();
    for b in s.bytes() {
        if b.is_ascii_alphanumeric() || b"-._~".contains(&b) {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

/// `a=1&b=2`, names and values percent-encoded.
pub fn qs(pairs: &[(&str, &str)]) -> String {
    pairs
        .iter()
        .map(|(k, v)| format!("{}={}", enc(k), enc(v)))
        .collect::<Vec<_>>()
        .join("&")
}

/// One request; tests tweak fields before `send`.
#[derive(Clone)]
pub struct Req {
    pub method: String,
    pub path: String,
    /// Raw (already encoded) query, without `?`.
    pub query: Option<String>,
    /// Raw form body (POST).
    pub body: Option<String>,
    pub content_type: Option<String>,
    pub account: NcloudAccount,
    pub timestamp: String,
    /// Sign this target instead of the one sent.
    pub signed_target: Option<String>,
    pub signature_header: String,
    /// Header names to leave out.
    pub omit: Vec<String>,
    pub secret_override: Option<String>,
}

impl Req {
    /// GET `path?query` with every parameter in the query.
    pub fn get(account: &NcloudAccount, path: &str, params: &[(&str, &str)]) -> Req {
        Req {
            method: "GET".into(),
            path: path.into(),
            query: Some(qs(params)).filter(|q| !q.is_empty()),
            body: None,
            content_type: None,
            account: account.clone(),
            timestamp: now_ms().to_string(),
            signed_target: None,
            signature_header: "x-ncp-apigw-signature-v2".into(),
            omit: vec![],
            secret_override: None,
        }
    }

    /// POST `path` with every parameter in a form body (the Go SDK way).
    pub fn post(account: &NcloudAccount, path: &str, params: &[(&str, &str)]) -> Req {
        let mut req = Req::get(account, path, &[]);
        req.method = "POST".into();
        req.body = Some(qs(params));
        req.content_type = Some("application/x-www-form-urlencoded".into());
        req
    }

    pub fn target(&self) -> String {
        match &self.query {
            Some(q) => format!("{}?{q}", self.path),
            None => self.path.clone(),
        }
    }

    pub fn signature(&self) -> String {
        let target = self.signed_target.clone().unwrap_or_else(|| self.target());
        let secret = self
            .secret_override
            .clone()
            .unwrap_or_else(|| self.account.secret_key.clone());
        ncp_sign(
            &secret,
            &self.method,
            &target,
            &self.timestamp,
            &self.account.access_key,
        )
    }

    pub fn headers(&self) -> Vec<(String, String)> {
        let mut h = vec![
            ("x-ncp-apigw-timestamp".to_string(), self.timestamp.clone()),
            (
                "x-ncp-iam-access-key".to_string(),
                self.account.access_key.clone(),
            ),
            (self.signature_header.clone(), self.signature()),
        ];
        if let Some(ct) = &self.content_type {
            h.push(("content-type".into(), ct.clone()));
        }
        h.retain(|(n, _)| !self.omit.contains(n));
        h
    }

    pub async fn try_send(&self, base: &str) -> Result<Reply, reqwest::Error> {
        let client = http_client();
        let url = format!("{base}{}", self.target());
        let mut req = client.request(self.method.parse().unwrap(), url);
        for (name, value) in self.headers() {
            req = req.header(name, value);
        }
        if let Some(body) = &self.body {
            req = req.body(body.clone());
        }
        let resp = req.send().await?;
        let status = resp.status().as_u16();
        let content_type = resp
            .headers()
            .get("content-type")
            .map(|v| v.to_str().unwrap().to_owned())
            .unwrap_or_default();
        let text = resp.text().await?;
        Ok(Reply {
            status,
            content_type,
            text,
        })
    }

    pub async fn send(&self, fake: &NcloudFake) -> Reply {
        self.try_send(&fake.uri()).await.unwrap()
    }
}

#[derive(Debug)]
pub struct Reply {
    pub status: u16,
    pub content_type: String,
    pub text: String,
}

impl Reply {
    pub fn json(&self) -> Value {
        serde_json::from_str(&self.text).unwrap_or_else(|e| panic!("not JSON ({e}): {}", self.text))
    }

    pub fn xml(&self) -> El {
        parse_xml(&self.text)
    }

    /// The gateway envelope's errorCode, asserting its shape.
    pub fn gateway_error(&self, status: u16) -> String {
        assert_eq!(self.status, status, "{}", self.text);
        assert!(
            self.content_type.starts_with("application/json"),
            "{self:?}"
        );
        let v = self.json();
        let e = &v["error"];
        assert!(e["message"].is_string() && e["details"].is_string(), "{v}");
        assert_eq!(v.as_object().unwrap().len(), 1);
        e["errorCode"].as_str().unwrap().to_owned()
    }

    /// The `responseError.returnCode` of a JSON service error.
    pub fn json_error(&self) -> String {
        assert!(
            self.content_type.starts_with("application/json"),
            "{self:?}"
        );
        let v = self.json();
        let e = &v["responseError"];
        assert!(e["returnMessage"].is_string(), "{v}");
        e["returnCode"].as_str().unwrap().to_owned()
    }

    /// The `responseError/returnCode` of an XML service error.
    pub fn xml_error(&self) -> String {
        assert!(self.content_type.starts_with("application/xml"), "{self:?}");
        let x = self.xml();
        assert_eq!(x.name, "responseError", "{}", self.text);
        assert!(!x.text_of("returnMessage").is_empty());
        x.text_of("returnCode").to_owned()
    }

    /// The inner object of a JSON success, asserting the common fields.
    pub fn json_ok(&self, action: &str) -> Value {
        assert_eq!(self.status, 200, "{}", self.text);
        assert!(
            self.content_type.starts_with("application/json"),
            "{self:?}"
        );
        let v = self.json();
        let root = format!("{action}Response");
        let r = v[&root].clone();
        assert!(r.is_object(), "no {root}: {}", self.text);
        assert_eq!(r["returnCode"], "0");
        assert_eq!(r["returnMessage"], "success");
        assert_eq!(r["requestId"].as_str().unwrap().len(), 36);
        assert!(r["totalRows"].is_u64(), "totalRows must be a number");
        r
    }

    /// The root of an XML success, asserting the common fields.
    pub fn xml_ok(&self, action: &str) -> El {
        assert_eq!(self.status, 200, "{}", self.text);
        assert!(self.content_type.starts_with("application/xml"), "{self:?}");
        let x = self.xml();
        assert_eq!(x.name, format!("{action}Response"), "{}", self.text);
        assert_eq!(x.text_of("returnCode"), "0");
        assert_eq!(x.text_of("returnMessage"), "success");
        assert_eq!(x.text_of("requestId").len(), 36);
        x
    }
}

/// A minimal XML element tree.
#[derive(Debug, Clone, Default)]
pub struct El {
    pub name: String,
    pub text: String,
    pub children: Vec<El>,
}

impl El {
    pub fn child(&self, name: &str) -> &El {
        self.children
            .iter()
            .find(|c| c.name == name)
            .unwrap_or_else(|| panic!("<{}> has no <{name}>", self.name))
    }
    pub fn has(&self, name: &str) -> bool {
        self.children.iter().any(|c| c.name == name)
    }
    pub fn text_of(&self, name: &str) -> &str {
        &self.child(name).text
    }
    pub fn all(&self, name: &str) -> Vec<&El> {
        self.children.iter().filter(|c| c.name == name).collect()
    }
}

pub fn parse_xml(text: &str) -> El {
    use quick_xml::Reader;
    use quick_xml::events::Event;

    let mut reader = Reader::from_str(text);
    let mut stack: Vec<El> = vec![El::default()];
    loop {
        match reader
            .read_event()
            .unwrap_or_else(|e| panic!("bad XML ({e}): {text}"))
        {
            Event::Start(e) => stack.push(El {
                name: String::from_utf8(e.name().as_ref().to_vec()).unwrap(),
                ..El::default()
            }),
            Event::Empty(e) => {
                let el = El {
                    name: String::from_utf8(e.name().as_ref().to_vec()).unwrap(),
                    ..El::default()
                };
                stack.last_mut().unwrap().children.push(el);
            }
            Event::Text(t) => stack
                .last_mut()
                .unwrap()
                .text
                .push_str(&t.decode().unwrap()),
            Event::GeneralRef(r) => {
                let c = match r.resolve_char_ref().unwrap() {
                    Some(c) => c,
                    None => match r.decode().unwrap().as_ref() {
                        "amp" => '&',
                        "lt" => '<',
                        "gt" => '>',
                        "quot" => '"',
                        "apos" => '\'',
                        other => panic!("unknown entity {other}"),
                    },
                };
                stack.last_mut().unwrap().text.push(c);
            }
            Event::End(_) => {
                let mut el = stack.pop().unwrap();
                if !el.children.is_empty() {
                    assert!(el.text.trim().is_empty(), "mixed content in <{}>", el.name);
                    el.text.clear();
                }
                stack.last_mut().unwrap().children.push(el);
            }
            Event::Eof => break,
            Event::Decl(_) => panic!("the fake sends no XML declaration"),
            _ => {}
        }
    }
    let mut doc = stack.pop().unwrap();
    assert!(stack.is_empty(), "unclosed elements in {text}");
    assert_eq!(doc.children.len(), 1, "one root element: {text}");
    doc.children.pop().unwrap()
}

/// A plain-HTTP reqwest client (installs ring as the rustls provider first;
/// see tests/support/mod.rs).
pub fn http_client() -> reqwest::Client {
    let _ = rustls::crypto::ring::default_provider().install_default();
    reqwest::Client::builder().no_proxy().build().unwrap()
}

pub const VPC: &str = "/vserver/v2/";
pub const CLASSIC: &str = "/server/v2/";

pub fn vpc(action: &str) -> String {
    format!("{VPC}{action}")
}
pub fn classic(action: &str) -> String {
    format!("{CLASSIC}{action}")
}
