//! Test-only SCP v2 signer and HTTP helpers.
//!
//! The signer is written again here, straight from the formula every working SCP v2 client uses
//! (`METHOD + URL + timestamp + access key + "Openapi"`), without the
//! fake's verifier or imgshare-core: the tests must not share code with the
//! verifier they test.
#![allow(clippy::unwrap_used, clippy::expect_used, dead_code, unreachable_pub)]

use base64::Engine;
use hmac::{Hmac, Mac};
use imgshare_testkit::{ScpAccount, ScpFake, ScpImage, ScpSeed, ScpVisibility};
use serde_json::Value;
use sha2::Sha256;

pub const OWNER: &str = "a8f10467abfc4b87b64614ab36eb0001";
pub const RECIPIENT: &str = "a8f10467abfc4b87b64614ab36eb0002";
pub const OTHER: &str = "a8f10467abfc4b87b64614ab36eb0003";

/// Owner's shared, active image.
pub const SHARED_IMG: &str = "70a599e0-31e7-49b7-b260-868f441e0001";
/// Owner's private image.
pub const PRIVATE_IMG: &str = "70a599e0-31e7-49b7-b260-868f441e0002";
/// Owner's shared image still `queued`.
pub const QUEUED_IMG: &str = "70a599e0-31e7-49b7-b260-868f441e0003";
/// OTHER's shared image.
pub const OTHER_IMG: &str = "70a599e0-31e7-49b7-b260-868f441e0004";
/// A UUID no image has.
pub const UNKNOWN_IMG: &str = "70a599e0-31e7-49b7-b260-868f441effff";

pub fn owner() -> ScpAccount {
    ScpAccount::new(
        OWNER,
        "testowneraccesskey000000000000001",
        "test-secret-owner",
    )
}
pub fn recipient() -> ScpAccount {
    ScpAccount::new(
        RECIPIENT,
        "testrecipientaccesskey0000000002",
        "test-secret-recipient",
    )
}
pub fn other() -> ScpAccount {
    ScpAccount::new(
        OTHER,
        "testotheraccesskey000000000000003",
        "test-secret-other",
    )
}

pub fn seed() -> ScpSeed {
    ScpSeed {
        accounts: vec![owner(), recipient(), other()],
        images: vec![
            ScpImage::new(SHARED_IMG, OWNER)
                .with_name("web-server")
                .with_visibility(ScpVisibility::Shared)
                .with_created_at("2025-07-01T00:00:00Z"),
            ScpImage::new(PRIVATE_IMG, OWNER)
                .with_name("db-server")
                .with_created_at("2025-07-02T00:00:00Z"),
            ScpImage::new(QUEUED_IMG, OWNER)
                .with_name("importing")
                .with_visibility(ScpVisibility::Shared)
                .with_status("queued")
                .with_created_at("2025-07-03T00:00:00Z"),
            ScpImage::new(OTHER_IMG, OTHER)
                .with_name("other-web")
                .with_visibility(ScpVisibility::Shared)
                .with_created_at("2025-07-04T00:00:00Z"),
        ],
        members: vec![],
    }
}

pub async fn fake() -> ScpFake {
    ScpFake::start_with_seed(seed()).await
}

pub fn now_ms() -> i64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_millis() as i64
}

/// `Base64_std(HMAC-SHA256(secret, METHOD + URL + ts + accessKey [+ accountId] + "Openapi"))`.
pub fn sign(
    secret: &str,
    method: &str,
    url: &str,
    timestamp: &str,
    access_key: &str,
    account_id: &str,
) -> String {
    let message = format!("{method}{url}{timestamp}{access_key}{account_id}Openapi");
    let mut mac = Hmac::<Sha256>::new_from_slice(secret.as_bytes()).unwrap();
    mac.update(message.as_bytes());
    base64::engine::general_purpose::STANDARD.encode(mac.finalize().into_bytes())
}

/// One request; tests tweak fields before `send`.
#[derive(Clone)]
pub struct Call {
    pub method: String,
    /// The URL sent.
    pub url: String,
    /// The URL signed; `None` = the URL sent.
    pub signed_url: Option<String>,
    pub account: ScpAccount,
    pub timestamp: String,
    pub client_type: Option<String>,
    pub api_version: Option<String>,
    pub accept_language: Option<String>,
    /// Sent as `Scp-AccountId` and, when `sign_account_id`, signed too.
    pub account_id_header: Option<String>,
    pub sign_account_id: bool,
    /// Send no Scp-* authentication headers at all.
    pub no_auth: bool,
    /// Replaces the computed signature.
    pub signature: Option<String>,
    pub content_type: Option<String>,
    pub body: Option<Vec<u8>>,
}

impl Call {
    pub fn new(fake: &ScpFake, account: &ScpAccount, method: &str, path_and_query: &str) -> Call {
        Call {
            method: method.into(),
            url: format!("{}{path_and_query}", fake.uri()),
            signed_url: None,
            account: account.clone(),
            timestamp: now_ms().to_string(),
            client_type: Some("Openapi".into()),
            api_version: Some("virtualserver 1.3".into()),
            accept_language: Some("en-US".into()),
            account_id_header: None,
            sign_account_id: false,
            no_auth: false,
            signature: None,
            content_type: None,
            body: None,
        }
    }

    pub fn json(mut self, body: Value) -> Call {
        self.content_type = Some("application/json".into());
        self.body = Some(body.to_string().into_bytes());
        self
    }

    pub fn version(mut self, version: Option<&str>) -> Call {
        self.api_version = version.map(str::to_owned);
        self
    }

    pub fn signature(&self) -> String {
        if let Some(s) = &self.signature {
            return s.clone();
        }
        let account_id = match (&self.account_id_header, self.sign_account_id) {
            (Some(id), true) => id.as_str(),
            _ => "",
        };
        sign(
            &self.account.secret_key,
            &self.method,
            self.signed_url.as_deref().unwrap_or(&self.url),
            &self.timestamp,
            &self.account.access_key,
            account_id,
        )
    }

    pub fn headers(&self) -> Vec<(String, String)> {
        let mut h = Vec::new();
        if !self.no_auth {
            h.push(("Scp-Accesskey".to_string(), self.account.access_key.clone()));
            h.push(("Scp-Signature".into(), self.signature()));
            h.push(("Scp-Timestamp".into(), self.timestamp.clone()));
            if let Some(ct) = &self.client_type {
                h.push(("Scp-ClientType".into(), ct.clone()));
            }
        }
        if let Some(v) = &self.api_version {
            h.push(("Scp-Api-Version".into(), v.clone()));
        }
        if let Some(l) = &self.accept_language {
            h.push(("Accept-Language".into(), l.clone()));
        }
        if let Some(id) = &self.account_id_header {
            h.push(("Scp-AccountId".into(), id.clone()));
        }
        if let Some(ct) = &self.content_type {
            h.push(("Content-Type".into(), ct.clone()));
        }
        h.push(("Accept".into(), "application/json".into()));
        h
    }

    pub async fn try_send(&self) -> Result<Reply, reqwest::Error> {
        let client = http_client();
        let mut req = client.request(self.method.parse().unwrap(), &self.url);
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

    pub async fn send(&self) -> Reply {
        self.try_send().await.unwrap()
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

    /// The body of a success with `status`.
    pub fn ok(&self, status: u16) -> Value {
        assert_eq!(self.status, status, "{}", self.text);
        assert_eq!(self.content_type, "application/json");
        self.json()
    }

    /// The `errors[0]` element, asserting the service's `{"errors":[…]}` envelope shape.
    pub fn error(&self, status: u16) -> Value {
        assert_eq!(self.status, status, "{}", self.text);
        assert_eq!(self.content_type, "application/json");
        let json = self.json();
        let errors = json["errors"].as_array().expect("errors array");
        assert_eq!(errors.len(), 1, "{}", self.text);
        let e = errors[0].clone();
        assert_eq!(e["status"], status, "status is a number equal to HTTP");
        assert_eq!(e["title"], e["code"]);
        assert!(e["request_id"].as_str().unwrap().starts_with("req-"));
        assert!(e["global_request_id"].as_str().unwrap().starts_with("req-"));
        assert!(e["detail"].is_string() || e["detail"].is_array());
        e
    }

    /// `errors[0].detail` of an error SCP documents by its status only, asserting the envelope
    /// has no `code` and no `title` (none was ever seen for it, so the fake invents none).
    pub fn uncoded(&self, status: u16) -> String {
        let e = self.error(status);
        assert!(e.get("code").is_none(), "{}", self.text);
        assert!(e.get("title").is_none(), "{}", self.text);
        e["detail"].as_str().expect("detail").to_owned()
    }

    /// `errors[0].code` after checking the envelope.
    pub fn code(&self, status: u16) -> String {
        self.error(status)["code"].as_str().unwrap().to_owned()
    }

    /// Asserts the gateway's Spring-style 404 (what it answers without Scp-* headers).
    pub fn assert_gateway_404(&self, path: &str) {
        assert_eq!(self.status, 404, "{}", self.text);
        let json = self.json();
        let obj = json.as_object().unwrap();
        let mut keys: Vec<&str> = obj.keys().map(String::as_str).collect();
        keys.sort_unstable();
        assert_eq!(keys, ["error", "path", "requestId", "status", "timestamp"]);
        assert_eq!(json["status"], 404);
        assert_eq!(json["error"], "Not Found");
        assert_eq!(json["path"], path);
        let ts = json["timestamp"].as_str().unwrap();
        assert!(ts.ends_with("+00:00") && ts.len() == 29, "{ts}");
        assert!(json["requestId"].as_str().unwrap().contains('-'));
        assert!(json.get("errors").is_none());
    }

    /// Asserts the gateway's 401 mentioning `HmacValidFail` (a refused signature).
    pub fn assert_hmac_401(&self) {
        assert_eq!(self.status, 401, "{}", self.text);
        assert!(self.text.contains("HmacValidFail"), "{}", self.text);
        let json = self.json();
        assert_eq!(json["status"], "UNAUTHORIZED");
    }
}

/// A plain-HTTP reqwest client. Installs ring as the process-wide rustls provider first: in a
/// workspace build reqwest's features unify with `rustls-no-provider`, and reqwest panics when
/// building a client without one.
pub fn http_client() -> reqwest::Client {
    let _ = rustls::crypto::ring::default_provider().install_default();
    reqwest::Client::builder().no_proxy().build().unwrap()
}

pub fn members_path(image: &str) -> String {
    format!("/v1/images/{image}/members")
}

pub fn member_path(image: &str, member: &str) -> String {
    format!("/v1/images/{image}/members/{member}")
}
