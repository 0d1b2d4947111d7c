//! The metadata-service provider over real loopback HTTP (wiremock): two services shaped like
//! Tencent's CVM and NCP's Server Role, plus one with an IMDSv2-style session token; endpoint
//! overrides and their limits; no secret in any error.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::time::{Duration, SystemTime, UNIX_EPOCH};

use imgshare_core::credentials::{
    DescribeMetadata, Env, ExpiryFormat, MetadataProvider, MetadataSession, MetadataSpec, RoleName,
};
use imgshare_core::{CredentialsError, CredentialsErrorKind, ProvideCredentials};
use serde_json::json;
use wiremock::matchers::{header, method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

const SECRET: &str = "role-secret-never-print-me";

/// Shaped like Tencent's CVM role service.
struct Cvm;
impl DescribeMetadata for Cvm {
    const METADATA: MetadataSpec = MetadataSpec {
        source: "cvm instance role",
        endpoint: "http://metadata.invalid/latest/meta-data/",
        endpoint_vars: &["TEST_CVM_ENDPOINT"],
        path: "cam/security-credentials/",
        role: RoleName::FirstListed,
        access_id: "TmpSecretId",
        secret: "TmpSecretKey",
        session_token: Some("Token"),
        expiry: "ExpiredTime",
        expiry_format: ExpiryFormat::UnixSeconds,
        status: Some(("Code", "Success")),
        message: None,
        no_role: "no CAM role is bound to this instance",
        off_platform: "not a CVM instance?",
        timeout: Duration::from_secs(1),
        session: None,
    };
}

/// Shaped like NCP's Server Role service.
struct ServerRole;
impl DescribeMetadata for ServerRole {
    const METADATA: MetadataSpec = MetadataSpec {
        source: "server role",
        endpoint: "http://169.254.169.254",
        endpoint_vars: &["TEST_API_ENDPOINT", "TEST_ENDPOINT"],
        path: "/latest/meta-data/iam/security-credentials/",
        role: RoleName::FirstListed,
        access_id: "AccessKeyId",
        secret: "SecretAccessKey",
        session_token: None,
        expiry: "Expiration",
        expiry_format: ExpiryFormat::Rfc3339,
        status: Some(("Code", "success")),
        message: Some("Message"),
        no_role: "no Server Role is attached to this server",
        off_platform: "not an NCP VPC server?",
        timeout: Duration::from_secs(2),
        session: None,
    };
}

/// A service that wants a session token first, with a fixed role.
struct Tokened;
impl DescribeMetadata for Tokened {
    const METADATA: MetadataSpec = MetadataSpec {
        source: "tokened",
        role: RoleName::Fixed("fixed-role"),
        session: Some(MetadataSession {
            path: "/latest/api/token",
            ttl_header: "x-test-token-ttl-seconds",
            ttl_seconds: 21600,
            header: "x-test-token",
        }),
        ..ServerRole::METADATA
    };
}

const CVM: &str = "/latest/meta-data/cam/security-credentials/";
const NCP: &str = "/latest/meta-data/iam/security-credentials/";

fn now() -> u64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .unwrap()
        .as_secs()
}

async fn serve(server: &MockServer, at: &str, status: u16, body: impl Into<String>) {
    Mock::given(method("GET"))
        .and(path(at))
        .respond_with(ResponseTemplate::new(status).set_body_string(body.into()))
        .mount(server)
        .await;
}

fn cvm(server: &MockServer) -> MetadataProvider<Cvm> {
    MetadataProvider::<Cvm>::new().with_endpoint(format!("{}/latest/meta-data/", server.uri()))
}

fn assert_no_secret(err: &CredentialsError) {
    let shown = format!("{err} {err:?}");
    assert!(!shown.contains("never-print-me"), "{shown}");
}

#[tokio::test]
async fn reads_the_listed_role_with_token_and_expiry() {
    let server = MockServer::start().await;
    let expires = now() + 7200;
    serve(&server, CVM, 200, "share-role\nother-role\n").await;
    let doc = json!({"TmpSecretId": "AKIDtmp", "TmpSecretKey": SECRET, "Token": "tmp-token",
                     "ExpiredTime": expires, "Code": "Success"});
    serve(&server, &format!("{CVM}share-role"), 200, doc.to_string()).await;
    let c = cvm(&server).provide_credentials().await.unwrap();
    assert_eq!(c.access_id(), "AKIDtmp");
    assert_eq!(c.secret().expose_secret(), SECRET);
    assert_eq!(c.session_token().unwrap().expose_secret(), "tmp-token");
    // Catches temporary keys without their expiry (cached forever by the identity cache).
    assert_eq!(c.expiry(), Some(UNIX_EPOCH + Duration::from_secs(expires)));
    assert_eq!(c.source(), "cvm instance role");
    assert!(!format!("{c:?}").contains("never-print-me"));
}

#[tokio::test]
async fn a_bare_host_endpoint_gets_the_path_and_an_rfc3339_expiry() {
    let server = MockServer::start().await;
    serve(&server, NCP, 200, "image-sharer\n").await;
    let doc = json!({"AccessKeyId": "ROLEKEY", "SecretAccessKey": SECRET,
                     "Expiration": "2099-12-31T08:53:47+0900", "Code": "Success", "Message": ""});
    serve(&server, &format!("{NCP}image-sharer"), 200, doc.to_string()).await;
    let c = MetadataProvider::<ServerRole>::new()
        .with_endpoint(server.uri())
        .provide_credentials()
        .await
        .unwrap();
    assert_eq!(c.access_id(), "ROLEKEY");
    assert_eq!(c.session_token(), None);
    assert!(c.expiry().unwrap() > SystemTime::now());
}

#[tokio::test]
async fn no_role_and_no_service_are_not_found() {
    let server = MockServer::start().await;
    serve(&server, CVM, 404, "").await;
    let err = cvm(&server).provide_credentials().await.unwrap_err();
    assert_eq!(err.kind(), &CredentialsErrorKind::NotFound, "{err}");
    assert!(err.to_string().contains("no CAM role is bound"), "{err}");

    let empty = MockServer::start().await;
    serve(&empty, NCP, 200, "\n  \n").await;
    let err = MetadataProvider::<ServerRole>::new()
        .with_endpoint(empty.uri())
        .provide_credentials()
        .await
        .unwrap_err();
    assert_eq!(err.kind(), &CredentialsErrorKind::NotFound, "{err}");
    assert!(err.to_string().contains("no Server Role"), "{err}");

    // Nothing listening: a closed loopback port.
    let closed = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let port = closed.local_addr().unwrap().port();
    drop(closed);
    let err = MetadataProvider::<Cvm>::new()
        .with_endpoint(format!("http://127.0.0.1:{port}/latest/meta-data/"))
        .provide_credentials()
        .await
        .unwrap_err();
    // Catches an off-platform machine stopping the chain instead of moving on.
    assert_eq!(err.kind(), &CredentialsErrorKind::NotFound, "{err}");
    assert!(err.to_string().contains("not a CVM instance?"), "{err}");
}

#[tokio::test]
async fn a_silent_service_is_not_found_within_the_timeout() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .respond_with(ResponseTemplate::new(200).set_delay(Duration::from_secs(30)))
        .mount(&server)
        .await;
    let started = std::time::Instant::now();
    let err = cvm(&server)
        .with_timeout(Duration::from_millis(200))
        .provide_credentials()
        .await
        .unwrap_err();
    // Catches a metadata request without a time limit (a chain would hang off the platform).
    assert!(started.elapsed() < Duration::from_secs(5));
    assert_eq!(err.kind(), &CredentialsErrorKind::NotFound, "{err}");
}

#[tokio::test]
async fn failures_stop_the_chain_without_quoting_secrets() {
    let server = MockServer::start().await;
    serve(&server, NCP, 200, "r").await;
    let cases = [
        (
            json!({"AccessKeyId": "AK", "SecretAccessKey": SECRET, "Code": "Fail", "Message": "role detached"})
                .to_string(),
            "Code \"Fail\": role detached",
        ),
        (
            json!({"AccessKeyId": "AK", "SecretAccessKey": SECRET, "Code": "Success"}).to_string(),
            "Expiration is missing",
        ),
        (
            json!({"AccessKeyId": "AK", "SecretAccessKey": SECRET, "Expiration": "tomorrow"})
                .to_string(),
            "Expiration is missing or not Rfc3339",
        ),
        (
            json!({"SecretAccessKey": SECRET, "Expiration": "2099-01-01T00:00:00Z"}).to_string(),
            "lacks AccessKeyId or SecretAccessKey",
        ),
        (format!("{{\"SecretAccessKey\": \"{SECRET}\""), "not JSON"),
        (format!("[\"{SECRET}\"]"), "not a JSON object"),
    ];
    for (body, reason) in cases {
        server.reset().await;
        serve(&server, NCP, 200, "r").await;
        serve(&server, &format!("{NCP}r"), 200, body).await;
        let err = MetadataProvider::<ServerRole>::new()
            .with_endpoint(server.uri())
            .provide_credentials()
            .await
            .unwrap_err();
        assert_eq!(err.kind(), &CredentialsErrorKind::Unreadable, "{err}");
        assert!(err.to_string().contains(reason), "{reason}: {err}");
        assert_no_secret(&err);
    }
    server.reset().await;
    serve(&server, NCP, 500, "").await;
    let err = MetadataProvider::<ServerRole>::new()
        .with_endpoint(server.uri())
        .provide_credentials()
        .await
        .unwrap_err();
    assert_eq!(err.kind(), &CredentialsErrorKind::Unreadable, "{err}");
    assert!(err.to_string().contains("HTTP 500"), "{err}");
}

#[tokio::test]
async fn a_listed_role_cannot_leave_the_credentials_path() {
    let server = MockServer::start().await;
    serve(&server, NCP, 200, "../../user-data\n").await;
    let doc =
        json!({"AccessKeyId": "AK", "SecretAccessKey": "s", "Expiration": "2099-01-01T00:00:00Z"});
    serve(
        &server,
        &format!("{NCP}..%2F..%2Fuser-data"),
        200,
        doc.to_string(),
    )
    .await;
    // Catches joining the role name raw, which would request /latest/user-data.
    let c = MetadataProvider::<ServerRole>::new()
        .with_endpoint(server.uri())
        .provide_credentials()
        .await
        .unwrap();
    assert_eq!(c.access_id(), "AK");
}

#[tokio::test]
async fn endpoint_variables_are_read_through_env_in_order() {
    let first = MockServer::start().await;
    let second = MockServer::start().await;
    for server in [&first, &second] {
        serve(server, NCP, 200, "r").await;
    }
    let doc = |id: &str| {
        json!({"AccessKeyId": id, "SecretAccessKey": "s", "Expiration": "2099-01-01T00:00:00Z"})
            .to_string()
    };
    serve(&first, &format!("{NCP}r"), 200, doc("FIRST")).await;
    serve(&second, &format!("{NCP}r"), 200, doc("SECOND")).await;
    let env = Env::from_vars([
        ("TEST_API_ENDPOINT", first.uri()),
        ("TEST_ENDPOINT", second.uri()),
    ]);
    let c = MetadataProvider::<ServerRole>::new()
        .with_env(env)
        .provide_credentials()
        .await
        .unwrap();
    assert_eq!(c.access_id(), "FIRST");
    let env = Env::from_vars([("TEST_ENDPOINT", second.uri())]);
    let c = MetadataProvider::<ServerRole>::new()
        .with_env(env)
        .provide_credentials()
        .await
        .unwrap();
    assert_eq!(c.access_id(), "SECOND");
}

#[tokio::test]
async fn overrides_off_the_local_link_over_http_are_refused() {
    // Catches an override that sends the keys' request across a network in clear. Nothing is
    // sent: these hosts do not exist, and the check comes first.
    for (url, says) in [
        (
            "http://metadata.example.invalid/",
            "metadata.example.invalid is neither",
        ),
        ("http://10.1.2.3/", "10.1.2.3 is neither"),
        ("ftp://127.0.0.1/", "must be http or https"),
    ] {
        let err = MetadataProvider::<Cvm>::new()
            .with_env(Env::from_vars([("TEST_CVM_ENDPOINT", url)]))
            .provide_credentials()
            .await
            .unwrap_err();
        assert_eq!(err.kind(), &CredentialsErrorKind::Invalid, "{err}");
        let text = err.to_string();
        assert!(
            text.contains("TEST_CVM_ENDPOINT") && text.contains(says),
            "{text}"
        );
    }
    // User info is refused and not echoed.
    let err = MetadataProvider::<Cvm>::new()
        .with_endpoint("http://user:pa55-never-print-me@127.0.0.1:9/")
        .provide_credentials()
        .await
        .unwrap_err();
    assert_eq!(err.kind(), &CredentialsErrorKind::Invalid, "{err}");
    assert!(err.to_string().contains("user info"), "{err}");
    assert_no_secret(&err);
}

#[tokio::test]
async fn a_session_token_is_fetched_first_and_sent_with_each_request() {
    let server = MockServer::start().await;
    Mock::given(method("PUT"))
        .and(path("/latest/api/token"))
        .and(header("x-test-token-ttl-seconds", "21600"))
        .respond_with(ResponseTemplate::new(200).set_body_string("session-abc"))
        .expect(1)
        .mount(&server)
        .await;
    let doc =
        json!({"AccessKeyId": "AK", "SecretAccessKey": "s", "Expiration": "2099-01-01T00:00:00Z"});
    Mock::given(method("GET"))
        .and(path(format!("{NCP}fixed-role")))
        .and(header("x-test-token", "session-abc"))
        .respond_with(ResponseTemplate::new(200).set_body_string(doc.to_string()))
        .expect(1)
        .mount(&server)
        .await;
    // Catches a forgotten token header (the service would answer 401) or listing a fixed role.
    let c = MetadataProvider::<Tokened>::new()
        .with_endpoint(server.uri())
        .provide_credentials()
        .await
        .unwrap();
    assert_eq!(c.source(), "tokened");
    server.verify().await;
}

#[tokio::test]
async fn an_explicit_role_name_skips_the_listing() {
    let server = MockServer::start().await;
    let doc = json!({"TmpSecretId": "AKID", "TmpSecretKey": "k", "ExpiredTime": now() + 60});
    serve(&server, &format!("{CVM}given"), 200, doc.to_string()).await;
    let c = cvm(&server)
        .with_role_name("given")
        .provide_credentials()
        .await
        .unwrap();
    assert_eq!(c.access_id(), "AKID");
    assert_eq!(server.received_requests().await.unwrap().len(), 1);
}
