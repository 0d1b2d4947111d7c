//! Test-only TC3 signer and HTTP helpers.
//!
//! The signer is deliberately written again here, straight from Tencent's
//! signature v3 page (<https://cloud.tencent.com/document/api/213/30654>), without `imgshare_testkit::tc3` or imgshare-core: the tests must not
//! share code with the verifier they test.
#![allow(clippy::unwrap_used, clippy::expect_used, dead_code, unreachable_pub)]

pub mod sdk;

use hmac::{Hmac, Mac};
use imgshare_testkit::{TencentAccount, TencentFake, TencentImage, TencentSeed};
use serde_json::Value;
use sha2::{Digest, Sha256};

pub const OWNER: &str = "100000000001";
pub const RECIPIENT: &str = "100000000002";
pub const OTHER: &str = "100000000003";

pub fn owner() -> TencentAccount {
    TencentAccount::new(OWNER, "AKIDTESTOWNER", "test-secret-owner")
}
pub fn recipient() -> TencentAccount {
    TencentAccount::new(RECIPIENT, "AKIDTESTRECIPIENT", "test-secret-recipient")
}
pub fn other() -> TencentAccount {
    TencentAccount::new(OTHER, "AKIDTESTOTHER", "test-secret-other")
}
pub fn temporary() -> TencentAccount {
    TencentAccount::new(OTHER, "AKIDTESTTEMP", "test-secret-temp")
        .with_session_token("test-token-1")
}

/// Owner has img-aaaa0001 (NORMAL) and img-aaaa0002 (CREATING); other has img-bbbb0001.
pub fn seed() -> TencentSeed {
    TencentSeed {
        accounts: vec![owner(), recipient(), other(), temporary()],
        images: vec![
            TencentImage::new("img-aaaa0001", OWNER).with_name("web-server"),
            TencentImage::new("img-aaaa0002", OWNER)
                .with_name("db-server")
                .with_state("CREATING"),
            TencentImage::new("img-bbbb0001", OTHER).with_name("other-web"),
        ],
        shares: vec![],
    }
}

pub async fn fake() -> TencentFake {
    TencentFake::start_with_seed(seed()).await
}

pub fn now() -> i64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_secs() as i64
}

fn hmac(key: &[u8], msg: &str) -> Vec<u8> {
    let mut mac = Hmac::<Sha256>::new_from_slice(key).unwrap();
    mac.update(msg.as_bytes());
    mac.finalize().into_bytes().to_vec()
}

fn sha_hex(data: &[u8]) -> String {
    hex::encode(Sha256::digest(data))
}

/// What to put in a request; tests tweak fields before `headers()`.
#[derive(Clone)]
pub struct Call {
    pub account: TencentAccount,
    pub host: String,
    pub action: String,
    pub version: String,
    pub region: Option<String>,
    pub content_type: String,
    pub timestamp: i64,
    pub service: String,
    /// Also sign `x-tc-action`, like the current Chinese signature page's example.
    pub sign_action: bool,
    pub body: Vec<u8>,
}

impl Call {
    pub fn new(fake: &TencentFake, account: &TencentAccount, action: &str, body: Value) -> Call {
        Call {
            account: account.clone(),
            host: fake.address().to_string(),
            action: action.into(),
            version: "2017-03-12".into(),
            region: Some("ap-guangzhou".into()),
            content_type: "application/json".into(),
            timestamp: now(),
            service: "cvm".into(),
            sign_action: false,
            body: body.to_string().into_bytes(),
        }
    }

    pub fn date(&self) -> String {
        let t = time::OffsetDateTime::from_unix_timestamp(self.timestamp).unwrap();
        format!("{:04}-{:02}-{:02}", t.year(), t.month() as u8, t.day())
    }

    pub fn signature(&self) -> String {
        let mut canonical_headers = format!(
            "content-type:{}\nhost:{}\n",
            self.content_type.to_lowercase(),
            self.host.to_lowercase()
        );
        let mut signed = "content-type;host".to_string();
        if self.sign_action {
            canonical_headers.push_str(&format!("x-tc-action:{}\n", self.action.to_lowercase()));
            signed.push_str(";x-tc-action");
        }
        let creq = format!(
            "POST\n/\n\n{canonical_headers}\n{signed}\n{}",
            sha_hex(&self.body)
        );
        let scope = format!("{}/{}/tc3_request", self.date(), self.service);
        let sts = format!(
            "TC3-HMAC-SHA256\n{}\n{scope}\n{}",
            self.timestamp,
            sha_hex(creq.as_bytes())
        );
        let k_date = hmac(
            format!("TC3{}", self.account.secret_key).as_bytes(),
            &self.date(),
        );
        let k_service = hmac(&k_date, &self.service);
        let k_signing = hmac(&k_service, "tc3_request");
        hex::encode(hmac(&k_signing, &sts))
    }

    pub fn authorization(&self) -> String {
        let signed = if self.sign_action {
            "content-type;host;x-tc-action"
        } else {
            "content-type;host"
        };
        format!(
            "TC3-HMAC-SHA256 Credential={}/{}/{}/tc3_request, SignedHeaders={signed}, Signature={}",
            self.account.secret_id,
            self.date(),
            self.service,
            self.signature()
        )
    }

    /// Every header of a correctly signed request (reqwest adds Host).
    pub fn headers(&self) -> Vec<(String, String)> {
        let mut h = vec![
            ("Content-Type".to_string(), self.content_type.clone()),
            ("X-TC-Action".into(), self.action.clone()),
            ("X-TC-Version".into(), self.version.clone()),
            ("X-TC-Timestamp".into(), self.timestamp.to_string()),
            ("Authorization".into(), self.authorization()),
        ];
        if let Some(region) = &self.region {
            h.push(("X-TC-Region".into(), region.clone()));
        }
        if let Some(token) = &self.account.session_token {
            h.push(("X-TC-Token".into(), token.clone()));
        }
        h
    }

    pub async fn send(&self, fake: &TencentFake) -> Reply {
        send_raw(fake, "POST", &self.headers(), self.body.clone()).await
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
    /// `Response.Error.Code`, asserting the Tencent envelope shape.
    pub fn code(&self) -> Option<String> {
        assert_eq!(self.status, 200, "{}", self.text);
        assert_eq!(self.content_type, "application/json");
        let json = self.json();
        let response = &json["Response"];
        assert!(
            response["RequestId"].is_string(),
            "no RequestId: {}",
            self.text
        );
        response["Error"]["Code"].as_str().map(str::to_owned)
    }
    /// The `Response` object of a success; panics on an error envelope.
    pub fn ok(&self) -> Value {
        assert_eq!(self.code(), None, "unexpected error: {}", self.text);
        self.json()["Response"].clone()
    }
}

pub async fn send_raw(
    fake: &TencentFake,
    method: &str,
    headers: &[(String, String)],
    body: Vec<u8>,
) -> Reply {
    try_send_raw(fake, method, headers, body).await.unwrap()
}

pub async fn try_send_raw(
    fake: &TencentFake,
    method: &str,
    headers: &[(String, String)],
    body: Vec<u8>,
) -> Result<Reply, reqwest::Error> {
    let client = http_client();
    let mut req = client.request(method.parse().unwrap(), format!("{}/", fake.uri()));
    for (name, value) in headers {
        req = req.header(name, value);
    }
    let resp = req.body(body).send().await?;
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

/// Sends a correctly signed call and returns the reply.
pub async fn call(
    fake: &TencentFake,
    account: &TencentAccount,
    action: &str,
    body: Value,
) -> Reply {
    Call::new(fake, account, action, body).send(fake).await
}

/// A plain-HTTP reqwest client. Installs ring as the process-wide rustls provider first: in a
/// workspace build reqwest's features unify with `rustls-no-provider`, and reqwest panics when
/// building a client without one.
pub fn http_client() -> reqwest::Client {
    let _ = rustls::crypto::ring::default_provider().install_default();
    reqwest::Client::builder().no_proxy().build().unwrap()
}
