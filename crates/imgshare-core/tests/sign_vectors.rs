//! Signer test vectors: one test per folder under `tests/vectors/<scheme>/<case>/`, checked at
//! every stage, plus a tamper test per case proving that changing one byte of any input changes
//! the signature. A new vector is a new folder; no code changes.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::fs;
use std::path::{Path, PathBuf};
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use imgshare_core::Credentials;
use imgshare_core::sign::{SignableRequest, Signer, ncp, scp, tc3};
use libtest_mimic::{Arguments, Failed, Trial};
use serde_json::Value;
use url::Url;

type TestResult = Result<(), Failed>;

fn read(dir: &Path, file: &str) -> String {
    fs::read_to_string(dir.join(file)).unwrap_or_else(|e| panic!("{}/{file}: {e}", dir.display()))
}

fn context(dir: &Path) -> Value {
    serde_json::from_str(&read(dir, "context.json")).unwrap()
}

fn check(dir: &Path, stage: &str, actual: &str) -> TestResult {
    let expected = read(dir, stage);
    if expected == actual {
        Ok(())
    } else {
        Err(format!("stage {stage} differs\n expected: {expected:?}\n   actual: {actual:?}").into())
    }
}

fn s<'a>(ctx: &'a Value, key: &str) -> &'a str {
    ctx[key]
        .as_str()
        .unwrap_or_else(|| panic!("context.{key} missing"))
}

struct Tc3Case {
    method: String,
    url: Url,
    headers: Vec<(String, String)>,
    signed: Vec<String>,
    secret_id: String,
    secret_key: String,
    timestamp: u64,
    service: String,
    body: Vec<u8>,
}

impl Tc3Case {
    fn load(dir: &Path) -> Self {
        let ctx = context(dir);
        Self {
            method: s(&ctx, "method").to_owned(),
            url: Url::parse(s(&ctx, "url")).unwrap(),
            headers: ctx["headers"]
                .as_array()
                .unwrap()
                .iter()
                .map(|h| {
                    (
                        h[0].as_str().unwrap().to_owned(),
                        h[1].as_str().unwrap().to_owned(),
                    )
                })
                .collect(),
            signed: ctx["signed_headers"]
                .as_array()
                .unwrap()
                .iter()
                .map(|v| v.as_str().unwrap().to_owned())
                .collect(),
            secret_id: s(&ctx, "secret_id").to_owned(),
            secret_key: s(&ctx, "secret_key").to_owned(),
            timestamp: ctx["timestamp"].as_u64().unwrap(),
            service: s(&ctx, "service").to_owned(),
            body: fs::read(dir.join("body.txt")).unwrap(),
        }
    }

    /// The signature through the [`Signer`] front door.
    fn sign(&self) -> Result<String, imgshare_core::sign::SigningError> {
        let signer = tc3::Tc3Signer::new(&self.service)
            .sign_action(self.signed.iter().any(|h| h == "x-tc-action"));
        let mut req = SignableRequest::new(&self.method, &self.url, &self.body);
        for (n, v) in &self.headers {
            req = req.header(n, v)?;
        }
        let creds = Credentials::new(&self.secret_id, self.secret_key.as_str(), None, "test")
            .expect("credentials");
        let out = signer.sign(
            &req,
            &creds,
            UNIX_EPOCH + Duration::from_secs(self.timestamp),
        )?;
        assert_eq!(
            out.header("X-TC-Timestamp"),
            Some(self.timestamp.to_string().as_str())
        );
        Ok(out.header("Authorization").unwrap().to_owned())
    }
}

fn tc3_stages(dir: &Path) -> TestResult {
    let c = Tc3Case::load(dir);
    let headers: Vec<(&str, &str)> = c
        .headers
        .iter()
        .map(|(n, v)| (n.as_str(), v.as_str()))
        .collect();
    let signed: Vec<&str> = c.signed.iter().map(String::as_str).collect();

    let payload = tc3::hashed_payload(&c.body);
    check(dir, "hashed-payload.txt", &payload)?;
    let (block, signed_headers) = tc3::canonical_headers(&headers, &signed)?;
    let canonical = tc3::canonical_request(
        &c.method,
        c.url.path(),
        c.url.query().unwrap_or(""),
        &block,
        &signed_headers,
        &payload,
    );
    check(dir, "canonical-request.txt", &canonical)?;
    check(
        dir,
        "hashed-canonical-request.txt",
        &imgshare_core::sign::sha256_hex(canonical.as_bytes()),
    )?;
    let date = tc3::utc_date(c.timestamp)?;
    check(dir, "date.txt", &date)?;
    let scope = tc3::credential_scope(&date, &c.service);
    check(dir, "credential-scope.txt", &scope)?;
    let sts = tc3::string_to_sign(c.timestamp, &scope, &canonical);
    check(dir, "string-to-sign.txt", &sts)?;
    let k_date = tc3::secret_date(&c.secret_key, &date);
    check(dir, "secret-date.txt", &hex::encode(k_date.as_bytes()))?;
    let k_service = tc3::secret_service(&k_date, &c.service);
    check(
        dir,
        "secret-service.txt",
        &hex::encode(k_service.as_bytes()),
    )?;
    let k_signing = tc3::secret_signing(&k_service);
    check(
        dir,
        "secret-signing.txt",
        &hex::encode(k_signing.as_bytes()),
    )?;
    let sig = tc3::signature(&k_signing, &sts);
    check(dir, "signature.txt", &sig)?;
    let auth = tc3::authorization(&c.secret_id, &scope, &signed_headers, &sig);
    check(dir, "authorization.txt", &auth)?;
    // The whole signer, end to end, agrees with the stages.
    check(dir, "authorization.txt", &c.sign()?)
}

fn tc3_tamper(dir: &Path) -> TestResult {
    let base = Tc3Case::load(dir);
    let reference = base.sign()?;
    let mut variants: Vec<(&str, Tc3Case)> = Vec::new();
    let mut v = Tc3Case::load(dir);
    v.body[0] ^= 1;
    variants.push(("body", v));
    let mut v = Tc3Case::load(dir);
    let mut key = v.secret_key.into_bytes();
    key[0] ^= 1;
    v.secret_key = String::from_utf8(key).unwrap();
    variants.push(("secret key", v));
    let mut v = Tc3Case::load(dir);
    v.timestamp += 1;
    variants.push(("timestamp", v));
    let mut v = Tc3Case::load(dir);
    v.method = "GET".into();
    variants.push(("method", v));
    let mut v = Tc3Case::load(dir);
    v.url = Url::parse("https://cvm.tencentcloudapi.com/?a=1").unwrap();
    variants.push(("query", v));
    let mut v = Tc3Case::load(dir);
    v.service = "cvn".into();
    variants.push(("service", v));
    for i in 0..base.headers.len() {
        let mut v = Tc3Case::load(dir);
        if v.signed.contains(&v.headers[i].0.to_ascii_lowercase()) {
            v.headers[i].1.push('x');
            variants.push(("signed header value", v));
        }
    }
    for (what, variant) in variants {
        let sig = variant.sign()?;
        if sig == reference {
            return Err(format!("changing the {what} left the signature unchanged").into());
        }
    }
    Ok(())
}

fn millis(ctx: &Value) -> SystemTime {
    UNIX_EPOCH + Duration::from_millis(s(ctx, "timestamp_ms").parse().unwrap())
}

fn ncp_stages(dir: &Path) -> TestResult {
    let ctx = context(dir);
    let url = Url::parse(s(&ctx, "url")).unwrap();
    let target = ncp::request_target(&url);
    check(dir, "request-target.txt", &target)?;
    let sts = ncp::string_to_sign(
        s(&ctx, "method"),
        &target,
        s(&ctx, "timestamp_ms"),
        s(&ctx, "access_key"),
    );
    check(dir, "string-to-sign.txt", &sts)?;
    check(
        dir,
        "signature.txt",
        &ncp::signature(s(&ctx, "secret_key"), &sts),
    )?;
    let creds = Credentials::new(s(&ctx, "access_key"), s(&ctx, "secret_key"), None, "test")?;
    let req = SignableRequest::new(s(&ctx, "method"), &url, b"ignored: the body is not signed");
    let out = ncp::NcpSigner::new().sign(&req, &creds, millis(&ctx))?;
    check(
        dir,
        "signature.txt",
        out.header(ncp::SIGNATURE_HEADER).unwrap(),
    )?;
    assert_eq!(
        out.header(ncp::TIMESTAMP_HEADER),
        Some(s(&ctx, "timestamp_ms"))
    );
    assert_eq!(
        out.header(ncp::ACCESS_KEY_HEADER),
        Some(s(&ctx, "access_key"))
    );
    Ok(())
}

fn scp_stages(dir: &Path) -> TestResult {
    let ctx = context(dir);
    let account = ctx["account_id"].as_str();
    let sts = scp::string_to_sign(
        s(&ctx, "method"),
        s(&ctx, "url"),
        s(&ctx, "timestamp_ms"),
        s(&ctx, "access_key"),
        account,
        s(&ctx, "client_type"),
    );
    check(dir, "string-to-sign.txt", &sts)?;
    check(
        dir,
        "signature.txt",
        &scp::signature(s(&ctx, "secret_key"), &sts),
    )?;
    let url = Url::parse(s(&ctx, "url")).unwrap();
    let creds = Credentials::new(s(&ctx, "access_key"), s(&ctx, "secret_key"), None, "test")?;
    let signer = match account {
        Some(a) => scp::ScpSigner::new().account_id(a),
        None => scp::ScpSigner::new(),
    };
    let req = SignableRequest::new(s(&ctx, "method"), &url, b"");
    let out = signer.sign(&req, &creds, millis(&ctx))?;
    check(
        dir,
        "signature.txt",
        out.header(scp::SIGNATURE_HEADER).unwrap(),
    )?;
    assert_eq!(out.header(scp::CLIENT_TYPE_HEADER), Some("Openapi"));
    assert_eq!(out.header(scp::ACCOUNT_ID_HEADER), account);
    Ok(())
}

/// An NCP or SCP case: what their signatures cover (method, URL, timestamp, keys and SCP's
/// account id; never the body).
#[derive(Clone)]
struct GatewayCase {
    method: String,
    url: String,
    timestamp_ms: u64,
    access_key: String,
    secret_key: String,
    account: Option<String>,
}

impl GatewayCase {
    fn load(dir: &Path) -> Self {
        let ctx = context(dir);
        Self {
            method: s(&ctx, "method").to_owned(),
            url: s(&ctx, "url").to_owned(),
            timestamp_ms: s(&ctx, "timestamp_ms").parse().unwrap(),
            access_key: s(&ctx, "access_key").to_owned(),
            secret_key: s(&ctx, "secret_key").to_owned(),
            account: ctx["account_id"].as_str().map(str::to_owned),
        }
    }

    /// The signature header through the [`Signer`] front door.
    fn sign(&self, scheme: &str) -> Result<String, Failed> {
        let url = Url::parse(&self.url).map_err(|e| format!("{}: {e}", self.url))?;
        let creds = Credentials::new(&self.access_key, self.secret_key.as_str(), None, "test")?;
        let req = SignableRequest::new(&self.method, &url, b"");
        let at = UNIX_EPOCH + Duration::from_millis(self.timestamp_ms);
        let (out, header) = if scheme == "ncp" {
            (
                ncp::NcpSigner::new().sign(&req, &creds, at)?,
                ncp::SIGNATURE_HEADER,
            )
        } else {
            let signer = match &self.account {
                Some(a) => scp::ScpSigner::new().account_id(a),
                None => scp::ScpSigner::new(),
            };
            (signer.sign(&req, &creds, at)?, scp::SIGNATURE_HEADER)
        };
        Ok(out.header(header).ok_or("no signature header")?.to_owned())
    }
}

/// `text` with byte `i` replaced by another of the same class (a digit by a digit, a letter by
/// a letter of the same case), or by `x` for punctuation, so the text stays a valid URL or key.
fn with_byte_changed(text: &str, i: usize) -> String {
    let mut bytes = text.as_bytes().to_vec();
    let b = bytes[i];
    bytes[i] = match b {
        b'0'..=b'9' => b'0' + (b - b'0' + 1) % 10,
        b'a'..=b'z' => b'a' + (b - b'a' + 1) % 26,
        b'A'..=b'Z' => b'A' + (b - b'A' + 1) % 26,
        _ => b'x',
    };
    String::from_utf8(bytes).unwrap()
}

/// Changing any one byte of the method, the path, the query, the timestamp, either key or
/// (SCP) the account id changes the signature; so does adding a query where there is none.
fn gateway_tamper(scheme: &'static str, dir: &Path) -> TestResult {
    let base = GatewayCase::load(dir);
    let reference = base.sign(scheme)?;
    let mut variants: Vec<(String, GatewayCase)> = Vec::new();
    for i in 0..base.method.len() {
        let mut v = base.clone();
        v.method = with_byte_changed(&base.method, i);
        variants.push((format!("method byte {i}"), v));
    }
    // Every byte after the host: the path and the query as sent.
    let url = Url::parse(&base.url).unwrap();
    let target_start = base.url.len() - url[url::Position::BeforePath..].len();
    for i in target_start..base.url.len() {
        let mut v = base.clone();
        v.url = with_byte_changed(&base.url, i);
        let part = if i < base.url.find('?').unwrap_or(base.url.len()) {
            "path"
        } else {
            "query"
        };
        variants.push((format!("{part} byte {}", i - target_start), v));
    }
    if url.query().is_none() {
        let mut v = base.clone();
        v.url.push_str("?a=1");
        variants.push(("query (one added where there was none)".into(), v));
    }
    // One step in each decimal digit of the millisecond timestamp.
    for digit in 0..base.timestamp_ms.to_string().len() {
        let mut v = base.clone();
        v.timestamp_ms += 10u64.pow(u32::try_from(digit).unwrap());
        variants.push((format!("timestamp digit {digit}"), v));
    }
    for i in 0..base.access_key.len() {
        let mut v = base.clone();
        v.access_key = with_byte_changed(&base.access_key, i);
        variants.push((format!("access key byte {i}"), v));
    }
    for i in 0..base.secret_key.len() {
        let mut v = base.clone();
        v.secret_key = with_byte_changed(&base.secret_key, i);
        variants.push((format!("secret key byte {i}"), v));
    }
    if let Some(account) = &base.account {
        for i in 0..account.len() {
            let mut v = base.clone();
            v.account = Some(with_byte_changed(account, i));
            variants.push((format!("account id byte {i}"), v));
        }
    }
    for (what, variant) in variants {
        if variant.sign(scheme)? == reference {
            return Err(format!("changing the {what} left the signature unchanged").into());
        }
    }
    Ok(())
}

fn ncp_tamper(dir: &Path) -> TestResult {
    gateway_tamper("ncp", dir)
}

fn scp_tamper(dir: &Path) -> TestResult {
    gateway_tamper("scp", dir)
}

fn cases(scheme: &str) -> Vec<PathBuf> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/vectors")
        .join(scheme);
    let mut dirs: Vec<PathBuf> = fs::read_dir(&root)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.join("context.json").is_file())
        .collect();
    dirs.sort();
    assert!(!dirs.is_empty(), "no vectors under {}", root.display());
    dirs
}

fn trial(name: String, dir: PathBuf, f: fn(&Path) -> TestResult) -> Trial {
    Trial::test(name, move || f(&dir))
}

fn main() {
    let args = Arguments::from_args();
    let mut trials = Vec::new();
    for dir in cases("tc3") {
        let case = dir.file_name().unwrap().to_string_lossy().into_owned();
        trials.push(trial(
            format!("tc3::{case}::stages"),
            dir.clone(),
            tc3_stages,
        ));
        trials.push(trial(format!("tc3::{case}::tamper"), dir, tc3_tamper));
    }
    for dir in cases("ncp") {
        let case = dir.file_name().unwrap().to_string_lossy().into_owned();
        trials.push(trial(
            format!("ncp::{case}::stages"),
            dir.clone(),
            ncp_stages,
        ));
        trials.push(trial(format!("ncp::{case}::tamper"), dir, ncp_tamper));
    }
    for dir in cases("scp") {
        let case = dir.file_name().unwrap().to_string_lossy().into_owned();
        trials.push(trial(
            format!("scp::{case}::stages"),
            dir.clone(),
            scp_stages,
        ));
        trials.push(trial(format!("scp::{case}::tamper"), dir, scp_tamper));
    }
    libtest_mimic::run(&args, trials).exit();
}
