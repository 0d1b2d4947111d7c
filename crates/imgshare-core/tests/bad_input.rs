//! Bad input gives typed errors, never a panic: credentials, header values, signing times,
//! missing fields, and the same through the runtime (nothing is sent, nothing is retried).

#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::sync::Arc;
use std::time::{Duration, UNIX_EPOCH};

use imgshare_core::sign::ncp::NcpSigner;
use imgshare_core::sign::scp::ScpSigner;
use imgshare_core::sign::tc3::{self, Tc3Signer};
use imgshare_core::sign::{SignableRequest, Signer, SigningError, unix_millis, unix_seconds};
use imgshare_core::{
    BoxFuture, Credentials, CredentialsError, CredentialsErrorKind, Error, HttpRequest,
    HttpResponse, InvalidInput, Method, OperationCall, ProvideCredentials, RequestSent,
    RetryConfig, Runtime, SecretString, StaticProvider, TimeoutConfig,
};
use url::Url;
use wiremock::matchers::any;
use wiremock::{Mock, MockServer, ResponseTemplate};

fn invalid(result: Result<Credentials, CredentialsError>) -> CredentialsError {
    let err = result.unwrap_err();
    assert_eq!(err.kind(), &CredentialsErrorKind::Invalid, "{err}");
    err
}

fn credentials() -> Credentials {
    Credentials::new("AKIDbadinput", "bad-input-secret", None, "static").unwrap()
}

fn signers() -> Vec<Box<dyn Signer>> {
    vec![
        Box::new(Tc3Signer::new("cvm")),
        Box::new(NcpSigner::new()),
        Box::new(ScpSigner::new().account_id("acct-1")),
    ]
}

// ---------------------------------------------------------------------------------------------
// Credentials
// ---------------------------------------------------------------------------------------------

#[test]
fn empty_access_id_is_invalid() {
    let err = invalid(Credentials::new("", "secret", None, "static"));
    assert_eq!(err.source_name(), "static");
    assert!(err.reason().contains("access id"), "{err}");
    assert!(err.to_string().contains("static"), "{err}");
}

#[test]
fn empty_secret_is_invalid() {
    let err = invalid(Credentials::new("AKID", "", None, "environment"));
    assert_eq!(err.source_name(), "environment");
    assert!(err.reason().contains("secret"), "{err}");
    let err = invalid(Credentials::new(
        "AKID",
        SecretString::new(""),
        None,
        "static",
    ));
    assert!(err.reason().contains("empty"), "{err}");
}

#[test]
fn padded_secret_or_access_id_is_invalid() {
    for secret in [
        " secret",
        "secret ",
        "secret\n",
        "\tsecret",
        "secret\r\n",
        "\u{a0}secret",
    ] {
        let err = invalid(Credentials::new("AKID", secret, None, "static"));
        assert!(err.reason().contains("white space"), "{secret:?}: {err}");
    }
    for id in [" AKID", "AKID ", "AKID\n"] {
        let err = invalid(Credentials::new(id, "secret", None, "static"));
        assert!(err.reason().contains("white space"), "{id:?}: {err}");
    }
    // A secret that is only white space is padded, not accepted.
    invalid(Credentials::new("AKID", "   ", None, "static"));
}

#[test]
fn empty_session_token_means_no_token() {
    let c = Credentials::new("AKID", "secret", Some(SecretString::new("")), "static").unwrap();
    assert!(c.session_token().is_none());
}

#[test]
fn credentials_error_converts_to_a_credentials_error() {
    let err = Error::from(invalid(Credentials::new("", "s", None, "static")));
    assert!(err.is_credentials());
    assert_eq!(err.kind(), None);
    assert!(!err.is_retryable());
    assert_eq!(err.request_sent(), RequestSent::No);
}

// ---------------------------------------------------------------------------------------------
// Header values
// ---------------------------------------------------------------------------------------------

fn url() -> Url {
    Url::parse("https://cvm.tencentcloudapi.com/").unwrap()
}

#[test]
fn non_utf8_header_value_is_a_typed_error() {
    let url = url();
    let err = SignableRequest::new("POST", &url, b"")
        .header_bytes("X-TC-Action", b"Describe\xffImages")
        .unwrap_err();
    assert!(
        matches!(&err, SigningError::InvalidHeaderValue { name, .. } if name == "X-TC-Action"),
        "{err:?}"
    );
    assert!(err.to_string().contains("X-TC-Action"), "{err}");
    assert!(err.to_string().contains("UTF-8"), "{err}");
}

#[test]
fn line_breaks_and_nul_in_header_values_are_typed_errors() {
    let url = url();
    for value in [
        "application/json\nX-Injected: 1",
        "a\rb",
        "a\r\nb",
        "\n",
        "a\0b",
    ] {
        let err = SignableRequest::new("POST", &url, b"")
            .header("Content-Type", value)
            .unwrap_err();
        assert!(
            matches!(&err, SigningError::InvalidHeaderValue { name, .. } if name == "Content-Type"),
            "{value:?}: {err:?}"
        );
        // The same through the raw-bytes entry point.
        let err = SignableRequest::new("POST", &url, b"")
            .header_bytes("Content-Type", value.as_bytes())
            .unwrap_err();
        assert!(
            matches!(err, SigningError::InvalidHeaderValue { .. }),
            "{err:?}"
        );
    }
}

#[test]
fn tc3_without_content_type_is_a_missing_header_error() {
    let url = url();
    let request = SignableRequest::new("POST", &url, b"{}");
    let err = Tc3Signer::new("cvm")
        .sign(
            &request,
            &credentials(),
            UNIX_EPOCH + Duration::from_secs(1),
        )
        .unwrap_err();
    assert_eq!(
        err,
        SigningError::MissingHeader {
            name: "content-type",
            scheme: tc3::ALGORITHM
        }
    );
}

#[test]
fn tc3_with_a_hostless_url_is_an_invalid_url_error() {
    let url = Url::parse("data:text/plain,hello").unwrap();
    let request = SignableRequest::new("POST", &url, b"{}")
        .header("Content-Type", "application/json")
        .unwrap();
    let err = Tc3Signer::new("cvm")
        .sign(
            &request,
            &credentials(),
            UNIX_EPOCH + Duration::from_secs(1),
        )
        .unwrap_err();
    assert!(matches!(err, SigningError::InvalidUrl { .. }), "{err:?}");
}

// ---------------------------------------------------------------------------------------------
// Signing time
// ---------------------------------------------------------------------------------------------

#[test]
fn time_before_1970_is_invalid_for_every_signer() {
    let url = url();
    let request = SignableRequest::new("POST", &url, b"{}")
        .header("Content-Type", "application/json")
        .unwrap();
    let before = UNIX_EPOCH - Duration::from_secs(1);
    for signer in signers() {
        let err = signer.sign(&request, &credentials(), before).unwrap_err();
        assert_eq!(err, SigningError::InvalidTime, "{signer:?}");
        // The epoch itself is fine.
        signer.sign(&request, &credentials(), UNIX_EPOCH).unwrap();
    }
    assert_eq!(unix_seconds(before), Err(SigningError::InvalidTime));
    assert_eq!(
        unix_millis(UNIX_EPOCH - Duration::from_millis(1)),
        Err(SigningError::InvalidTime)
    );
    let err = Error::from(SigningError::InvalidTime);
    assert!(err.to_string().contains("1970"), "{err}");
}

#[test]
fn tc3_time_after_year_9999_is_invalid() {
    let url = url();
    let request = SignableRequest::new("POST", &url, b"{}")
        .header("Content-Type", "application/json")
        .unwrap();
    let after = UNIX_EPOCH + Duration::from_secs(253_402_300_800);
    let err = Tc3Signer::new("cvm")
        .sign(&request, &credentials(), after)
        .unwrap_err();
    assert_eq!(err, SigningError::InvalidTime);
}

// ---------------------------------------------------------------------------------------------
// Invalid input
// ---------------------------------------------------------------------------------------------

#[test]
fn missing_field_names_the_field() {
    let err = Error::from(InvalidInput::missing("image_id"));
    let text = err.to_string();
    assert!(text.contains("`image_id`"), "{text}");
    assert!(text.contains("required"), "{text}");
    assert!(err.is_invalid_input());
    assert_eq!(err.kind(), None);
    assert!(!err.is_retryable());
    assert_eq!(err.request_sent(), RequestSent::No);
    let Error::InvalidInput(input) = &err else {
        panic!("{err:?}")
    };
    assert_eq!(input.field(), "image_id");

    let err = Error::from(InvalidInput::new(
        format!("account_ids[{}]", 3),
        "must be 12 digits",
    ));
    let text = err.to_string();
    assert!(text.contains("account_ids[3]"), "{text}");
    assert!(text.contains("must be 12 digits"), "{text}");
}

// ---------------------------------------------------------------------------------------------
// The same through the runtime, over loopback: nothing sent, nothing retried.
// ---------------------------------------------------------------------------------------------

fn check(resp: &HttpResponse) -> Result<(), Error> {
    assert_eq!(resp.status, 200);
    Ok(())
}

fn runtime_with(credentials: Arc<dyn ProvideCredentials>) -> Runtime {
    Runtime::builder("test", credentials, Arc::new(Tc3Signer::new("cvm")))
        .retry(RetryConfig::standard().with_initial_backoff(Duration::from_millis(1)))
        .timeouts(TimeoutConfig::default().with_attempt(Some(Duration::from_secs(5))))
        .build()
        .unwrap()
}

fn runtime() -> Runtime {
    runtime_with(Arc::new(StaticProvider::new(credentials())))
}

fn call(request: HttpRequest) -> OperationCall {
    OperationCall {
        name: "ModifyImageSharePermission",
        idempotent: true,
        request,
    }
}

fn request(url: &str) -> HttpRequest {
    HttpRequest::new(Method::Post, Url::parse(url).unwrap())
        .with_header("Content-Type", "application/json")
        .with_body("{}")
}

async fn server() -> MockServer {
    let server = MockServer::start().await;
    Mock::given(any())
        .respond_with(ResponseTemplate::new(200).set_body_string("{}"))
        .mount(&server)
        .await;
    server
}

#[tokio::test]
async fn runtime_reports_an_unsignable_header_without_sending() {
    let server = server().await;
    let err = runtime()
        .invoke(
            call(request(&server.uri()).with_header("X-TC-Action", "Describe\nImages")),
            &check,
        )
        .await
        .unwrap_err();
    assert!(
        matches!(err, Error::Signing(SigningError::InvalidHeaderValue { .. })),
        "{err:?}"
    );
    assert!(!err.is_retryable());
    assert_eq!(err.request_sent(), RequestSent::No);
    assert!(server.received_requests().await.unwrap().is_empty());
}

#[tokio::test]
async fn runtime_reports_a_missing_content_type_without_sending() {
    let server = server().await;
    let bare = HttpRequest::new(Method::Post, Url::parse(&server.uri()).unwrap());
    let err = runtime().invoke(call(bare), &check).await.unwrap_err();
    assert!(
        matches!(err, Error::Signing(SigningError::MissingHeader { .. })),
        "{err:?}"
    );
    assert!(server.received_requests().await.unwrap().is_empty());
}

#[derive(Debug)]
struct NoCredentials;

impl ProvideCredentials for NoCredentials {
    fn provide_credentials(&self) -> BoxFuture<'_, Result<Credentials, CredentialsError>> {
        Box::pin(async { Err(CredentialsError::not_found("environment", "variable unset")) })
    }
}

#[tokio::test]
async fn runtime_reports_missing_credentials_without_sending() {
    let server = server().await;
    let err = runtime_with(Arc::new(NoCredentials))
        .invoke(call(request(&server.uri())), &check)
        .await
        .unwrap_err();
    assert!(err.is_credentials(), "{err:?}");
    assert!(err.to_string().contains("environment"), "{err}");
    assert!(server.received_requests().await.unwrap().is_empty());
}

/// A request that signs fine but that no HTTP stack can send (a control character in a header
/// value, a header name with a space, a non-HTTP URL) can never succeed: it should fail once,
/// as a non-retryable error, instead of being retried with backoff as if the network failed.
#[tokio::test]
async fn unsendable_request_is_not_retried() {
    let server = server().await;
    let cases = [
        request(&server.uri()).with_header("X-TC-Action", "Describe\u{1}Images"),
        request(&server.uri()).with_header("Bad Name", "value"),
        request("ftp://127.0.0.1:9/"),
    ];
    let mut failures = Vec::new();
    for request in cases {
        let shown = format!("{request:?}");
        let err = runtime().invoke(call(request), &check).await.unwrap_err();
        let attempts = match &err {
            Error::Dispatch(dispatch) => dispatch.attempts,
            _ => 1,
        };
        if err.is_retryable() || attempts != 1 {
            failures.push(format!("{shown}: {attempts} attempts, {err:?}"));
        }
    }
    assert!(server.received_requests().await.unwrap().is_empty());
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}
