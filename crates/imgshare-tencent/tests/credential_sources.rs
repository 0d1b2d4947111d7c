#![allow(clippy::unwrap_used, clippy::expect_used)]
//! Each credential source over loopback HTTP: the CVM metadata service and STS (`AssumeRole`,
//! `AssumeRoleWithWebIdentity`) as wiremock servers, the API as the testkit's `TencentFake`;
//! the environment and profile file through a fixed `Env`; the default chain's order; expiry
//! and refresh through the client's identity cache; tccli profiles.

use std::path::PathBuf;
use std::sync::{Arc, Mutex};
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use imgshare_core::credentials::Env;
use imgshare_core::{Clock, Credentials, CredentialsErrorKind, IdentityCache, ProvideCredentials};
use imgshare_tencent::credentials::{
    AssumeRoleProvider, CvmRoleProvider, ENV_CREDENTIALS_FILE, ENV_METADATA_ENDPOINT,
    ENV_SECRET_ID, ENV_SECRET_KEY, ENV_SESSION_TOKEN, ENV_TKE_PROVIDER_ID, ENV_TKE_REGION,
    ENV_TKE_ROLE_ARN, ENV_TKE_WEB_IDENTITY_TOKEN_FILE, ENV_TOKEN, EnvironmentProvider,
    ProfileFileProvider, TccliProfile, WebIdentityProvider, default_chain_with_env,
};
use imgshare_tencent::{Client, Config, ErrorMetadata, Language};
use imgshare_testkit::{TencentFake, TencentSeed};
use serde_json::{Value, json};
use wiremock::matchers::{header, method, path};
use wiremock::{Mock, MockServer, Request, ResponseTemplate};

const META: &str = "/latest/meta-data/cam/security-credentials/";

fn now_secs() -> u64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .unwrap()
        .as_secs()
}

/// The demo seed's temporary account: its keys are accepted only with its session token.
fn temporary() -> (String, String, String) {
    let a = TencentSeed::demo()
        .accounts
        .into_iter()
        .find(|a| a.session_token.is_some())
        .unwrap();
    (a.secret_id, a.secret_key, a.session_token.unwrap())
}

fn role_document(id: &str, key: &str, token: &str, expires: u64) -> Value {
    json!({
        "TmpSecretId": id,
        "TmpSecretKey": key,
        "Token": token,
        "ExpiredTime": expires,
        "Expiration": "2030-01-01T00:00:00Z",
        "Code": "Success",
    })
}

/// A metadata server with role `share-role` whose credentials expire at `expires`.
async fn metadata(id: &str, key: &str, token: &str, expires: u64) -> MockServer {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path(META))
        .respond_with(ResponseTemplate::new(200).set_body_string("share-role"))
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path(format!("{META}share-role")))
        .respond_with(
            ResponseTemplate::new(200).set_body_json(role_document(id, key, token, expires)),
        )
        .mount(&server)
        .await;
    server
}

fn metadata_url(server: &MockServer) -> String {
    format!("{}/latest/meta-data/", server.uri())
}

fn temp_dir(name: &str) -> PathBuf {
    let nanos = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .unwrap()
        .as_nanos();
    let dir = std::env::temp_dir().join(format!(
        "imgshare-tc-cred-{}-{name}-{nanos}",
        std::process::id()
    ));
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

fn metadata_requests(received: &[Request]) -> usize {
    received
        .iter()
        .filter(|r| r.url.path() == format!("{META}share-role"))
        .count()
}

// ---- CVM instance role ---------------------------------------------------------------

#[tokio::test]
async fn cvm_role_reads_the_bound_role_with_its_expiry() {
    let expires = now_secs() + 7200;
    let server = metadata("AKIDtmp", "tmp-key", "tmp-token", expires).await;
    let c = CvmRoleProvider::new()
        .with_endpoint(metadata_url(&server))
        .provide_credentials()
        .await
        .unwrap();
    assert_eq!(c.access_id(), "AKIDtmp");
    assert_eq!(c.secret().expose_secret(), "tmp-key");
    assert_eq!(c.session_token().unwrap().expose_secret(), "tmp-token");
    assert_eq!(c.expiry(), Some(UNIX_EPOCH + Duration::from_secs(expires)));
    assert_eq!(c.source(), "cvm instance role");
    let shown = format!("{c:?}");
    assert!(
        !shown.contains("tmp-key") && !shown.contains("tmp-token"),
        "{shown}"
    );
}

#[tokio::test]
async fn cvm_role_without_a_role_or_off_cvm_is_not_found() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path(META))
        .respond_with(ResponseTemplate::new(404))
        .mount(&server)
        .await;
    let err = CvmRoleProvider::new()
        .with_endpoint(metadata_url(&server))
        .provide_credentials()
        .await
        .unwrap_err();
    assert_eq!(err.kind(), &CredentialsErrorKind::NotFound, "{err}");
    assert!(err.to_string().contains("no CAM role"), "{err}");

    // Nothing listening: a closed loopback port.
    let closed = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let port = closed.local_addr().unwrap().port();
    drop(closed);
    let err = CvmRoleProvider::new()
        .with_endpoint(format!("http://127.0.0.1:{port}/latest/meta-data/"))
        .provide_credentials()
        .await
        .unwrap_err();
    assert_eq!(err.kind(), &CredentialsErrorKind::NotFound, "{err}");
}

#[tokio::test]
async fn cvm_role_failure_code_is_an_error() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path(META))
        .respond_with(ResponseTemplate::new(200).set_body_string("share-role\n"))
        .mount(&server)
        .await;
    let mut doc = role_document("AKIDtmp", "k", "t", now_secs() + 7200);
    doc["Code"] = json!("Failed");
    Mock::given(method("GET"))
        .and(path(format!("{META}share-role")))
        .respond_with(ResponseTemplate::new(200).set_body_json(doc))
        .mount(&server)
        .await;
    let err = CvmRoleProvider::new()
        .with_endpoint(metadata_url(&server))
        .provide_credentials()
        .await
        .unwrap_err();
    assert_eq!(err.kind(), &CredentialsErrorKind::Unreadable, "{err}");
    assert!(err.to_string().contains("Failed"), "{err}");
}

#[tokio::test]
async fn cvm_role_credentials_work_end_to_end_and_are_cached_until_near_expiry() {
    let fake = TencentFake::start_with_seed(TencentSeed::demo()).await;
    fake.set_rate_limit(None);
    let (id, key, token) = temporary();

    // An hour left: resolved once for several calls.
    let server = metadata(&id, &key, &token, now_secs() + 3600).await;
    let client = Client::new(
        Config::builder()
            .region("ap-guangzhou")
            .endpoint_url(fake.uri())
            .credentials_provider(CvmRoleProvider::new().with_endpoint(metadata_url(&server)))
            .build()
            .unwrap(),
    )
    .unwrap();
    for _ in 0..3 {
        client.describe_images().send().await.unwrap();
    }
    assert_eq!(
        metadata_requests(&server.received_requests().await.unwrap()),
        1
    );
    // The fake accepted the temporary keys only because X-TC-Token carried the token.
    assert!(
        fake.received()
            .iter()
            .all(|r| { r.account_id.as_deref() == Some("100000000003") && r.error_code.is_none() })
    );

    // Less than the 5-minute refresh buffer left: asked again for every call.
    let server = metadata(&id, &key, &token, now_secs() + 120).await;
    let client = Client::new(
        Config::builder()
            .region("ap-guangzhou")
            .endpoint_url(fake.uri())
            .credentials_provider(CvmRoleProvider::new().with_endpoint(metadata_url(&server)))
            .build()
            .unwrap(),
    )
    .unwrap();
    for _ in 0..2 {
        client.describe_images().send().await.unwrap();
    }
    assert_eq!(
        metadata_requests(&server.received_requests().await.unwrap()),
        2
    );
}

/// A clock the test moves.
#[derive(Debug)]
struct Manual(Mutex<SystemTime>);

impl Clock for Manual {
    fn now(&self) -> SystemTime {
        *self.0.lock().unwrap()
    }
}

#[tokio::test]
async fn cvm_role_is_refreshed_five_minutes_before_expired_time() {
    let start = now_secs();
    let expires = start + 3600;
    let server = metadata("AKIDtmp", "k", "t", expires).await;
    let clock = Arc::new(Manual(Mutex::new(UNIX_EPOCH + Duration::from_secs(start))));
    let cache = IdentityCache::new(Arc::new(
        CvmRoleProvider::new().with_endpoint(metadata_url(&server)),
    ))
    .with_clock(clock.clone());
    cache.provide_credentials().await.unwrap();
    *clock.0.lock().unwrap() = UNIX_EPOCH + Duration::from_secs(expires - 301);
    cache.provide_credentials().await.unwrap();
    assert_eq!(
        metadata_requests(&server.received_requests().await.unwrap()),
        1
    );
    *clock.0.lock().unwrap() = UNIX_EPOCH + Duration::from_secs(expires - 299);
    cache.provide_credentials().await.unwrap();
    assert_eq!(
        metadata_requests(&server.received_requests().await.unwrap()),
        2
    );
}

// ---- environment, profile file, chain order --------------------------------------

/// Writes a credentials file only its owner can read, whatever the umask.
fn write_private(path: &std::path::Path, text: &str) {
    std::fs::write(path, text).unwrap();
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt as _;
        std::fs::set_permissions(path, std::fs::Permissions::from_mode(0o600)).unwrap();
    }
}

async fn from_env(vars: &[(&str, &str)]) -> Result<Credentials, imgshare_core::CredentialsError> {
    EnvironmentProvider::new()
        .with_env(Env::from_vars(vars.iter().copied()))
        .provide_credentials()
        .await
}

#[tokio::test]
async fn environment_reads_the_official_variables() {
    let keys = [(ENV_SECRET_ID, "AKIDx"), (ENV_SECRET_KEY, "key")];
    for token_var in [ENV_TOKEN, ENV_SESSION_TOKEN] {
        let mut vars = keys.to_vec();
        vars.push((token_var, "tok"));
        let c = from_env(&vars).await.unwrap();
        assert_eq!(c.access_id(), "AKIDx");
        assert_eq!(c.session_token().unwrap().expose_secret(), "tok");
    }

    let err = from_env(&[(ENV_SECRET_ID, "x")]).await.unwrap_err();
    assert_eq!(err.kind(), &CredentialsErrorKind::Invalid);
    assert!(err.to_string().contains(ENV_SECRET_KEY), "{err}");

    // Set but empty is an error (as in the Go SDK), not a reason to try the next source.
    let err = from_env(&[(ENV_SECRET_ID, ""), (ENV_SECRET_KEY, "")])
        .await
        .unwrap_err();
    assert_eq!(err.kind(), &CredentialsErrorKind::Invalid, "{err}");

    let mut both = keys.to_vec();
    both.extend([(ENV_TOKEN, "one-token"), (ENV_SESSION_TOKEN, "two-token")]);
    let err = from_env(&both).await.unwrap_err();
    assert!(err.to_string().contains("different values"), "{err}");
    assert!(!err.to_string().contains("one-token"), "{err}");
}

#[tokio::test]
async fn profile_file_reads_the_default_section() {
    let dir = temp_dir("profile");
    let path = dir.join("credentials");
    write_private(
        &path,
        "[other]\nsecret_id = no\nsecret_key = no\n\n[default]\n# comment\nsecret_id = AKIDp\nsecret_key = pkey\n",
    );
    let c = ProfileFileProvider::with_path(&path)
        .provide_credentials()
        .await
        .unwrap();
    assert_eq!(c.access_id(), "AKIDp");
    assert_eq!(c.secret().expose_secret(), "pkey");
    assert_eq!(c.source(), "profile file");

    write_private(&path, "[default]\nsecret_id = AKIDp\n");
    let err = ProfileFileProvider::with_path(&path)
        .provide_credentials()
        .await
        .unwrap_err();
    assert!(err.to_string().contains("secret_key"), "{err}");

    // TENCENTCLOUD_CREDENTIALS_FILE naming a missing file stops the chain.
    let env = Env::from_vars([(ENV_CREDENTIALS_FILE, dir.join("absent").to_str().unwrap())]);
    let err = ProfileFileProvider::new()
        .with_env(env)
        .provide_credentials()
        .await
        .unwrap_err();
    assert_eq!(err.kind(), &CredentialsErrorKind::Invalid, "{err}");
    assert!(err.to_string().contains(ENV_CREDENTIALS_FILE), "{err}");
    std::fs::remove_dir_all(&dir).unwrap();
}

#[tokio::test]
async fn the_default_chain_takes_environment_then_profile_then_instance_role() {
    let server = metadata("AKIDrole", "role-key", "role-token", now_secs() + 3600).await;
    let home = temp_dir("chain");
    let env = |keys: bool, profile: bool| {
        let home = if profile {
            home.clone()
        } else {
            home.join("empty")
        };
        let mut vars = vec![
            ("HOME".to_owned(), home.to_str().unwrap().to_owned()),
            (ENV_METADATA_ENDPOINT.to_owned(), metadata_url(&server)),
        ];
        if keys {
            vars.push((ENV_SECRET_ID.to_owned(), "AKIDenv".to_owned()));
            vars.push((ENV_SECRET_KEY.to_owned(), "env-key".to_owned()));
        }
        Env::from_vars(vars)
    };
    std::fs::create_dir_all(home.join(".tencentcloud")).unwrap();
    write_private(
        &home.join(".tencentcloud").join("credentials"),
        "[default]\nsecret_id = AKIDprofile\nsecret_key = pkey\n",
    );
    let got = |env: Env| async move {
        let c = default_chain_with_env(env).provide_credentials().await;
        c.unwrap().access_id().to_owned()
    };
    assert_eq!(got(env(true, true)).await, "AKIDenv");
    assert_eq!(got(env(false, true)).await, "AKIDprofile");
    assert_eq!(got(env(false, false)).await, "AKIDrole");
    // The instance role was asked only when both earlier sources were empty.
    assert_eq!(
        metadata_requests(&server.received_requests().await.unwrap()),
        1
    );
    std::fs::remove_dir_all(&home).unwrap();
}

#[tokio::test]
async fn the_default_chain_reads_tke_oidc_through_the_env_it_is_given() {
    // Catches the TKE OIDC source reading the process environment instead of the chain's Env:
    // here only the given Env names a token file, so reaching it proves the Env was used.
    let home = temp_dir("chain-tke");
    let closed = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let port = closed.local_addr().unwrap().port();
    drop(closed);
    let metadata = format!("http://127.0.0.1:{port}/latest/meta-data/");
    let token_file = home.join("absent-token");
    let env = Env::from_vars([
        ("HOME", home.to_str().unwrap()),
        (ENV_METADATA_ENDPOINT, metadata.as_str()),
        (ENV_TKE_REGION, "ap-guangzhou"),
        (ENV_TKE_PROVIDER_ID, "tke-provider"),
        (
            ENV_TKE_WEB_IDENTITY_TOKEN_FILE,
            token_file.to_str().unwrap(),
        ),
        (ENV_TKE_ROLE_ARN, "qcs::cam::uin/1:roleName/pod"),
    ]);
    let err = default_chain_with_env(env)
        .provide_credentials()
        .await
        .unwrap_err();
    assert_eq!(err.kind(), &CredentialsErrorKind::Invalid, "{err}");
    assert_eq!(err.source_name(), "tke oidc", "{err}");
    assert!(err.to_string().contains("absent-token"), "{err}");
    std::fs::remove_dir_all(&home).unwrap();
}

// ---- STS AssumeRole -----------------------------------------------------------------

/// Checks the TC3 signature of a request with the testkit's own verifier.
fn verify_sts_signature(request: &Request, secret_key: &str) {
    let headers: Vec<(String, String)> = request
        .headers
        .iter()
        .map(|(n, v)| (n.as_str().to_owned(), v.to_str().unwrap().to_owned()))
        .collect();
    let pairs: Vec<(&str, &str)> = headers
        .iter()
        .map(|(n, v)| (n.as_str(), v.as_str()))
        .collect();
    let find = |name: &str| {
        headers
            .iter()
            .find(|(n, _)| n.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.clone())
            .unwrap()
    };
    let auth = imgshare_testkit::tc3::parse_authorization(&find("authorization")).unwrap();
    assert_eq!(auth.service, "sts");
    let timestamp = find("x-tc-timestamp");
    let signed = imgshare_testkit::tc3::SignedRequest {
        method: "POST",
        path: request.url.path(),
        query: request.url.query().unwrap_or(""),
        headers: &pairs,
        body: &request.body,
        timestamp: &timestamp,
    };
    imgshare_testkit::tc3::verify(&signed, &auth, secret_key, "sts", now_secs() as i64).unwrap();
}

#[tokio::test]
async fn assume_role_signs_with_the_source_keys_and_returns_expiring_credentials() {
    let sts = MockServer::start().await;
    let expires = now_secs() + 7200;
    Mock::given(method("POST"))
        .and(path("/"))
        .and(header("x-tc-action", "AssumeRole"))
        .and(header("x-tc-version", "2018-08-13"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({
            "Response": {
                "Credentials": {"Token": "sts-token", "TmpSecretId": "AKIDsts", "TmpSecretKey": "sts-key"},
                "ExpiredTime": expires,
                "Expiration": "2030-01-01T00:00:00Z",
                "RequestId": "req-sts-1"
            }
        })))
        .mount(&sts)
        .await;
    let source = Credentials::new("AKIDbase", "base-key", None, "test").unwrap();
    let provider = AssumeRoleProvider::builder("qcs::cam::uin/100000000001:roleName/share")
        .source(source)
        .session_name("imgshare-test")
        .duration(Duration::from_secs(900))
        .endpoint_url(sts.uri())
        .build()
        .unwrap();
    let c = provider.provide_credentials().await.unwrap();
    assert_eq!(c.access_id(), "AKIDsts");
    assert_eq!(c.session_token().unwrap().expose_secret(), "sts-token");
    assert_eq!(c.expiry(), Some(UNIX_EPOCH + Duration::from_secs(expires)));
    assert!(!format!("{provider:?}").contains("base-key"));

    let received = sts.received_requests().await.unwrap();
    assert_eq!(received.len(), 1);
    let body: Value = serde_json::from_slice(&received[0].body).unwrap();
    assert_eq!(
        body,
        json!({
            "RoleArn": "qcs::cam::uin/100000000001:roleName/share",
            "RoleSessionName": "imgshare-test",
            "DurationSeconds": 900
        })
    );
    let auth = received[0]
        .headers
        .get("authorization")
        .unwrap()
        .to_str()
        .unwrap();
    assert!(auth.contains("Credential=AKIDbase/"), "{auth}");
    verify_sts_signature(&received[0], "base-key");
}

#[tokio::test]
async fn assume_role_error_names_the_code_and_stops_the_chain() {
    let sts = MockServer::start().await;
    Mock::given(method("POST"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({
            "Response": {
                "Error": {"Code": "InvalidParameter.RoleNotExist", "Message": "role not exist"},
                "RequestId": "req-sts-2"
            }
        })))
        .mount(&sts)
        .await;
    let provider = AssumeRoleProvider::builder("qcs::cam::uin/1:roleName/absent")
        .source(Credentials::new("AKIDbase", "base-key", None, "test").unwrap())
        .endpoint_url(sts.uri())
        .build()
        .unwrap();
    let err = provider.provide_credentials().await.unwrap_err();
    assert_eq!(err.kind(), &CredentialsErrorKind::Invalid, "{err}");
    let text = err.to_string();
    assert!(
        text.contains("InvalidParameter.RoleNotExist") && text.contains("req-sts-2"),
        "{text}"
    );

    // Through a client, it is a credentials error before anything reaches the API.
    let client = Client::new(
        Config::builder()
            .region("ap-guangzhou")
            .endpoint_url("http://127.0.0.1:9/")
            .credentials_provider(provider)
            .build()
            .unwrap(),
    )
    .unwrap();
    let err = client
        .describe_image_share_permission()
        .image_id("img-demo0001")
        .send()
        .await
        .unwrap_err();
    assert!(err.as_core().is_credentials(), "{err}");
}

#[tokio::test]
async fn assume_role_asks_in_the_region_it_is_given() {
    // Catches the builder's region dropped on the way to the STS client (the official SDKs'
    // ap-guangzhou would be sent instead).
    let sts = MockServer::start().await;
    Mock::given(method("POST"))
        .and(header("x-tc-region", "ap-singapore"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({
            "Response": {
                "Credentials": {"Token": "t", "TmpSecretId": "AKIDsg", "TmpSecretKey": "k"},
                "ExpiredTime": now_secs() + 3600,
                "RequestId": "req-sg"
            }
        })))
        .mount(&sts)
        .await;
    let c = AssumeRoleProvider::builder("qcs::cam::uin/1:roleName/share")
        .source(Credentials::new("AKIDbase", "base-key", None, "test").unwrap())
        .region("ap-singapore")
        .endpoint_url(sts.uri())
        .build()
        .unwrap()
        .provide_credentials()
        .await
        .unwrap();
    assert_eq!(c.access_id(), "AKIDsg");
}

#[test]
fn assume_role_checks_its_settings() {
    let err = AssumeRoleProvider::builder("arn")
        .source(Credentials::new("AKIDbase", "base-key", None, "test").unwrap())
        .session_name("has space")
        .build()
        .unwrap_err();
    assert_eq!(err.invalid_input().unwrap().field(), "role_session_name");
    let err = AssumeRoleProvider::builder("arn")
        .duration(Duration::from_secs(50_000))
        .build()
        .unwrap_err();
    assert_eq!(err.invalid_input().unwrap().field(), "duration");
}

// ---- TKE OIDC ----------------------------------------------------------------------

#[tokio::test]
async fn web_identity_presents_the_token_file_unsigned() {
    let sts = MockServer::start().await;
    Mock::given(method("POST"))
        .and(header("x-tc-action", "AssumeRoleWithWebIdentity"))
        .and(header("authorization", "SKIP"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({
            "Response": {
                "Credentials": {"Token": "oidc-token", "TmpSecretId": "AKIDoidc", "TmpSecretKey": "oidc-key"},
                "ExpiredTime": now_secs() + 7200,
                "Expiration": "2030-01-01T00:00:00Z",
                "RequestId": "req-oidc"
            }
        })))
        .mount(&sts)
        .await;
    let dir = temp_dir("oidc");
    let token_file = dir.join("token");
    std::fs::write(&token_file, "eyJhbGciOi.jwt\n").unwrap();
    let env = Env::from_vars([
        (ENV_TKE_REGION, "ap-guangzhou"),
        (ENV_TKE_PROVIDER_ID, "tke-provider"),
        (
            ENV_TKE_WEB_IDENTITY_TOKEN_FILE,
            token_file.to_str().unwrap(),
        ),
        (ENV_TKE_ROLE_ARN, "qcs::cam::uin/1:roleName/pod"),
    ]);
    let c = WebIdentityProvider::new()
        .with_env(env)
        .with_endpoint(sts.uri())
        .provide_credentials()
        .await
        .unwrap();
    assert_eq!(c.access_id(), "AKIDoidc");
    assert!(c.expiry().is_some());
    let received = sts.received_requests().await.unwrap();
    let body: Value = serde_json::from_slice(&received[0].body).unwrap();
    assert_eq!(body["WebIdentityToken"], "eyJhbGciOi.jwt");
    assert_eq!(body["ProviderId"], "tke-provider");
    assert_eq!(body["RoleArn"], "qcs::cam::uin/1:roleName/pod");
    assert_eq!(
        received[0]
            .headers
            .get("x-tc-region")
            .unwrap()
            .to_str()
            .unwrap(),
        "ap-guangzhou"
    );
    std::fs::remove_dir_all(&dir).unwrap();
}

// ---- tccli profiles ---------------------------------------------------------------

#[tokio::test]
async fn tccli_profile_gives_keys_region_language_and_endpoint() {
    let dir = temp_dir("tccli");
    std::fs::write(
        dir.join("work.credential"),
        r#"{"secretId": "AKIDtccli", "secretKey": "tccli-key", "token": "tccli-token"}"#,
    )
    .unwrap();
    std::fs::write(
        dir.join("work.configure"),
        r#"{"_sys_param": {"region": "ap-singapore", "output": "json", "language": "en-US"},
            "cvm": {"endpoint": "cvm.ap-singapore.tencentcloudapi.com", "version": "2017-03-12"}}"#,
    )
    .unwrap();
    let profile = TccliProfile::load_from(&dir, "work").await.unwrap();
    // Catches a derived Debug, which printed the credential file's secretKey.
    let shown = format!("{profile:?}");
    assert!(
        !shown.contains("tccli-key") && !shown.contains("tccli-token"),
        "{shown}"
    );
    assert_eq!(profile.region(), Some("ap-singapore"));
    assert_eq!(profile.language(), Some(Language::EnUs));
    assert_eq!(
        profile.endpoint(),
        Some("https://cvm.ap-singapore.tencentcloudapi.com/")
    );
    let c = profile
        .credentials_provider()
        .unwrap()
        .provide_credentials()
        .await
        .unwrap();
    assert_eq!(c.access_id(), "AKIDtccli");
    assert_eq!(c.session_token().unwrap().expose_secret(), "tccli-token");

    let err = TccliProfile::load_from(&dir, "absent").await.unwrap_err();
    assert!(err.to_string().contains("absent.credential"), "{err}");
    std::fs::write(dir.join("broken.credential"), r#"{"secretId": "AKIDonly"}"#).unwrap();
    let err = TccliProfile::load_from(&dir, "broken")
        .await
        .unwrap()
        .credentials_provider()
        .unwrap_err();
    assert!(err.to_string().contains("secretKey"), "{err}");
    std::fs::remove_dir_all(&dir).unwrap();
}
