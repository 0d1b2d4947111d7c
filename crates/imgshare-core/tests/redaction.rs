//! A known secret and session token never appear in any `Debug` or `Display` output of the
//! types that hold or derive from them.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::fmt::{Debug, Display};
use std::sync::Arc;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use imgshare_core::error::{DispatchError, DisplayErrorContext};
use imgshare_core::http::HttpErrorKind;
use imgshare_core::secret::REDACTED;
use imgshare_core::sign::ncp::NcpSigner;
use imgshare_core::sign::scp::ScpSigner;
use imgshare_core::sign::tc3::{self, Tc3Signer};
use imgshare_core::sign::{SignableRequest, Signer, SigningError, SigningInstructions};
use imgshare_core::{
    Credentials, CredentialsChain, Error, ErrorKind, HttpError, HttpRequest, HttpResponse,
    InvalidInput, Method, OperationCall, RequestSent, ResponseError, RetryConfig, Runtime,
    SecretString, ServiceError, StaticProvider, TimeoutConfig, TimeoutError, TimeoutKind,
};
use url::Url;
use wiremock::matchers::method;
use wiremock::{Mock, MockServer, ResponseTemplate};

const SECRET: &str = "S3CR3T-never-print-me";
const TOKEN: &str = "T0KEN-never-print-me-either";
const ACCESS_ID: &str = "AKIDredactiontest";

fn time() -> SystemTime {
    UNIX_EPOCH + Duration::from_millis(1_700_000_000_123)
}

fn credentials() -> Credentials {
    Credentials::new(ACCESS_ID, SECRET, None, "static").unwrap()
}

fn credentials_with_token() -> Credentials {
    Credentials::new(ACCESS_ID, SECRET, Some(SecretString::new(TOKEN)), "static").unwrap()
}

/// What each signer can sign with: TC3 carries a session token; NCP and SCP refuse one.
fn credentials_for(signer: &str) -> Credentials {
    match signer {
        "tc3" => credentials_with_token(),
        _ => Credentials::new(ACCESS_ID, SECRET, None, "static").unwrap(),
    }
}

fn assert_clean(what: &str, text: &str, also_absent: &[&str]) {
    assert!(!text.contains(SECRET), "{what} shows the secret: {text}");
    assert!(
        !text.contains(TOKEN),
        "{what} shows the session token: {text}"
    );
    for s in also_absent {
        assert!(!text.contains(s), "{what} shows {s:?}: {text}");
    }
}

fn assert_debug_clean<T: Debug + ?Sized>(what: &str, value: &T, also_absent: &[&str]) {
    assert_clean(what, &format!("{value:?}"), also_absent);
    assert_clean(what, &format!("{value:#?}"), also_absent);
}

fn assert_all_clean<T: Debug + Display + ?Sized>(what: &str, value: &T, also_absent: &[&str]) {
    assert_debug_clean(what, value, also_absent);
    assert_clean(what, &value.to_string(), also_absent);
}

fn assert_error_clean(what: &str, error: &Error) {
    assert_all_clean(what, error, &[]);
    assert_clean(what, &DisplayErrorContext(error).to_string(), &[]);
}

fn url() -> Url {
    Url::parse("https://cvm.tencentcloudapi.com/").unwrap()
}

const BODY: &[u8] = br#"{"ImageId":"img-12345678"}"#;

fn signable(url: &Url) -> SignableRequest<'_> {
    SignableRequest::new("POST", url, BODY)
        .header("Content-Type", "application/json")
        .unwrap()
        .header("X-TC-Action", "DescribeImages")
        .unwrap()
}

fn signers() -> Vec<(&'static str, Box<dyn Signer>, &'static str)> {
    vec![
        ("tc3", Box::new(Tc3Signer::new("cvm")), "Authorization"),
        (
            "ncp",
            Box::new(NcpSigner::new()),
            imgshare_core::sign::ncp::SIGNATURE_HEADER,
        ),
        (
            "scp",
            Box::new(ScpSigner::new().account_id("acct-1")),
            imgshare_core::sign::scp::SIGNATURE_HEADER,
        ),
    ]
}

/// The bare signature inside a signature header value.
fn bare_signature(value: &str) -> &str {
    value.rsplit("Signature=").next().unwrap()
}

#[test]
fn secret_string_shows_only_the_marker() {
    let s = SecretString::new(SECRET);
    assert_eq!(format!("{s:?}"), format!("SecretString({REDACTED})"));
    assert_eq!(format!("{s:#?}"), format!("SecretString({REDACTED})"));
    assert_eq!(s.to_string(), REDACTED);
    assert_eq!(REDACTED, "** redacted **");
    assert_all_clean("SecretString", &s, &[]);
    assert_all_clean(
        "SecretString from String",
        &SecretString::from(SECRET.to_owned()),
        &[],
    );
    assert_eq!(s.expose_secret(), SECRET);
}

#[test]
fn credentials_show_the_marker_instead_of_secret_and_token() {
    let plain = credentials();
    let text = format!("{plain:?}");
    assert!(text.contains(REDACTED), "{text}");
    assert!(text.contains(ACCESS_ID), "{text}");
    assert_debug_clean("Credentials", &plain, &[]);

    let with_token = credentials_with_token();
    let text = format!("{with_token:?}");
    assert_eq!(
        text.matches(REDACTED).count(),
        2,
        "secret and token both redacted: {text}"
    );
    assert_debug_clean("Credentials with token", &with_token, &[]);
    assert_eq!(with_token.session_token().unwrap().expose_secret(), TOKEN);
}

#[test]
fn credentials_errors_do_not_echo_the_secret() {
    let cases = [
        Credentials::new(ACCESS_ID, format!(" {SECRET}"), None, "static"),
        Credentials::new(ACCESS_ID, format!("{SECRET}\n"), None, "static"),
        Credentials::new(ACCESS_ID, format!("\t{SECRET}"), None, "environment"),
        Credentials::new("", SECRET, None, "static"),
        Credentials::new(format!("{ACCESS_ID} "), SECRET, None, "static"),
    ];
    for case in cases {
        let err = case.unwrap_err();
        assert_all_clean("CredentialsError", &err, &[]);
        assert_error_clean("Error::Credentials", &Error::from(err));
    }
}

#[test]
fn providers_do_not_show_the_secret() {
    let provider = StaticProvider::new(credentials_with_token());
    assert_debug_clean("StaticProvider", &provider, &[]);
    assert!(format!("{provider:?}").contains(REDACTED));
    let chain = CredentialsChain::new()
        .or_else(StaticProvider::new(credentials_with_token()))
        .or_else(credentials_with_token());
    assert_debug_clean("CredentialsChain", &chain, &[]);
}

#[test]
fn signable_request_redacts_authorization_like_headers() {
    let url = url();
    let bearer = format!("Bearer {SECRET}");
    let request = signable(&url)
        .header("Authorization", &bearer)
        .unwrap()
        .header("x-tc-token", TOKEN)
        .unwrap()
        .header("COOKIE", SECRET)
        .unwrap();
    let text = format!("{request:?}");
    assert!(text.contains(REDACTED), "{text}");
    assert!(text.contains("application/json"), "{text}");
    assert_debug_clean("SignableRequest", &request, &[]);
}

#[test]
fn signing_instructions_of_every_signer_are_redacted() {
    let url = url();
    let request = signable(&url);
    for (name, signer, signature_header) in signers() {
        let instructions = signer
            .sign(&request, &credentials_for(name), time())
            .unwrap();
        let signature = bare_signature(instructions.header(signature_header).unwrap());
        assert_debug_clean(
            &format!("{name} SigningInstructions"),
            &instructions,
            &[signature],
        );
        assert!(format!("{instructions:?}").contains(REDACTED));
        // The signer itself, after signing (Tc3Signer caches the derived key).
        assert_debug_clean(&format!("{name} signer"), &signer, &[]);
    }
}

#[test]
fn tc3_token_header_is_redacted_in_instructions() {
    let url = url();
    let instructions = Tc3Signer::new("cvm")
        .sign(&signable(&url), &credentials_with_token(), time())
        .unwrap();
    // The token is really there, and really hidden.
    assert_eq!(instructions.header("X-TC-Token"), Some(TOKEN));
    assert_debug_clean("SigningInstructions", &instructions, &[]);
    let cloned: SigningInstructions = instructions.clone();
    assert_debug_clean("cloned SigningInstructions", &cloned, &[]);
}

#[test]
fn signed_http_request_is_redacted() {
    for (name, signer, signature_header) in signers() {
        let mut request = HttpRequest::new(Method::Post, url())
            .with_header("Content-Type", "application/json")
            .with_header("X-TC-Action", "DescribeImages")
            .with_body(BODY);
        let instructions = {
            let mut signable = SignableRequest::new("POST", &request.url, &request.body);
            for (n, v) in &request.headers {
                signable = signable.header(n, v).unwrap();
            }
            signer
                .sign(&signable, &credentials_for(name), time())
                .unwrap()
        };
        let signature = bare_signature(instructions.header(signature_header).unwrap()).to_owned();
        for (n, v) in instructions.into_headers() {
            request.headers.push((n.to_owned(), v));
        }
        assert_debug_clean(&format!("{name} HttpRequest"), &request, &[&signature]);
        assert!(format!("{request:?}").contains(REDACTED));
    }
}

#[test]
fn http_response_redacts_cookies() {
    let response = HttpResponse::new(200)
        .with_header("Set-Cookie", format!("session={SECRET}"))
        .with_body(b"{}".to_vec());
    assert_debug_clean("HttpResponse", &response, &[]);
}

#[test]
fn every_error_variant_is_clean() {
    let errors = vec![
        (
            "service",
            Error::Service(
                ServiceError::new(
                    "AuthFailure.SignatureFailure",
                    "The provided credentials could not be validated.",
                    200,
                    ErrorKind::Client,
                )
                .with_request_id(Some("req-1".to_owned())),
            ),
        ),
        (
            "credentials",
            Error::from(
                Credentials::new(ACCESS_ID, format!("{SECRET} "), None, "static").unwrap_err(),
            ),
        ),
        (
            "invalid input",
            Error::from(InvalidInput::new("secret_key", "must not be padded")),
        ),
        (
            "missing input",
            Error::from(InvalidInput::missing("image_id")),
        ),
        (
            "signing",
            Error::from(
                signable(&url())
                    .header("Authorization", &format!("{SECRET}\n"))
                    .unwrap_err(),
            ),
        ),
        (
            "signing non-UTF-8",
            Error::from(
                signable(&url())
                    .header_bytes("X-TC-Token", b"T0KEN-never-print-me-either\xff")
                    .unwrap_err(),
            ),
        ),
        ("signing time", Error::from(SigningError::InvalidTime)),
        (
            "timeout",
            Error::from(TimeoutError {
                kind: TimeoutKind::Attempt,
                after: Duration::from_millis(200),
                attempts: 3,
            }),
        ),
        (
            "dispatch",
            Error::from(DispatchError {
                source: HttpError::new(HttpErrorKind::Io, RequestSent::Maybe, "connection reset"),
                attempts: 3,
            }),
        ),
        (
            "response",
            Error::from(ResponseError {
                status: 502,
                content_type: Some("text/html".to_owned()),
                reason: "the body is not JSON".to_owned(),
                body_excerpt: "<html>Bad Gateway</html>".to_owned(),
                request_id: None,
                decode_error: None,
            }),
        ),
    ];
    for (what, error) in &errors {
        assert_error_clean(what, error);
    }
}

#[test]
fn signing_key_is_redacted() {
    let key = tc3::derive_signing_key(SECRET, "2023-11-14", "cvm");
    let hex_key = hex_of(key.as_bytes());
    assert_eq!(format!("{key:?}"), format!("SigningKey({REDACTED})"));
    assert_debug_clean("SigningKey", &key, &[&hex_key]);
    let date_key = tc3::secret_date(SECRET, "2023-11-14");
    assert_debug_clean("secret_date", &date_key, &[&hex_of(date_key.as_bytes())]);
}

fn hex_of(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

fn check(resp: &HttpResponse) -> Result<(), Error> {
    if resp.status == 200 {
        Ok(())
    } else {
        Err(Error::Service(
            ServiceError::new(
                "AuthFailure",
                "signature mismatch",
                resp.status,
                ErrorKind::Client,
            )
            .with_request_id(Some("req-auth".to_owned())),
        ))
    }
}

fn runtime() -> Runtime {
    Runtime::builder(
        "test",
        Arc::new(StaticProvider::new(credentials_with_token())),
        Arc::new(Tc3Signer::new("cvm")),
    )
    .retry(RetryConfig::standard().with_initial_backoff(Duration::from_millis(1)))
    .timeouts(TimeoutConfig::default().with_attempt(Some(Duration::from_secs(5))))
    .build()
    .unwrap()
}

fn call(url: &str) -> OperationCall {
    OperationCall {
        name: "DescribeImages",
        idempotent: true,
        request: HttpRequest::new(Method::Post, Url::parse(url).unwrap())
            .with_header("Content-Type", "application/json")
            .with_header("X-TC-Action", "DescribeImages")
            .with_body(BODY),
    }
}

#[tokio::test]
async fn runtime_and_its_results_are_clean_after_real_calls() {
    let runtime = runtime();
    assert_debug_clean("Runtime", &runtime, &[]);
    assert!(format!("{runtime:?}").contains(REDACTED));

    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .respond_with(ResponseTemplate::new(200).set_body_string("{}"))
        .up_to_n_times(1)
        .mount(&server)
        .await;
    Mock::given(method("POST"))
        .respond_with(ResponseTemplate::new(401).set_body_string("{}"))
        .mount(&server)
        .await;

    let call = call(&server.uri());
    assert_debug_clean("OperationCall", &call, &[]);
    let response = runtime.invoke(call.clone(), &check).await.unwrap();
    assert_debug_clean("HttpResponse", &response, &[]);
    let err = runtime.invoke(call, &check).await.unwrap_err();
    assert_error_clean("runtime service error", &err);

    // The token really went out, and the signature is not printed anywhere.
    let received = server.received_requests().await.unwrap();
    let sent = &received[0];
    assert_eq!(sent.headers.get("x-tc-token").unwrap(), TOKEN);
    let authorization = sent.headers.get("authorization").unwrap().to_str().unwrap();
    let signature = bare_signature(authorization);
    assert_debug_clean("Runtime after signing", &runtime, &[signature]);

    // A transport failure from a real (refused) connection.
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let addr = listener.local_addr().unwrap();
    drop(listener);
    let err = runtime
        .invoke(self::call(&format!("http://{addr}/")), &check)
        .await
        .unwrap_err();
    assert!(matches!(err, Error::Dispatch(_)), "{err:?}");
    assert_error_clean("runtime dispatch error", &err);
}

/// A signed request must not carry its credentials to another origin. reqwest follows
/// redirects by default and strips only `Authorization`/`Cookie` when the origin changes, so a
/// 307 from the API host would hand the session token (`X-TC-Token`, or NCP/SCP's access key and
/// signature headers) to whatever host the `Location` names.
#[tokio::test]
async fn credentials_are_not_forwarded_to_a_redirect_target() {
    let elsewhere = MockServer::start().await;
    Mock::given(method("POST"))
        .respond_with(ResponseTemplate::new(200).set_body_string("{}"))
        .mount(&elsewhere)
        .await;
    let api = MockServer::start().await;
    Mock::given(method("POST"))
        .respond_with(
            ResponseTemplate::new(307).insert_header("Location", format!("{}/", elsewhere.uri())),
        )
        .mount(&api)
        .await;

    let result = runtime().invoke(call(&api.uri()), &check).await;
    assert_eq!(api.received_requests().await.unwrap().len(), 1);
    let leaked: Vec<String> = elsewhere
        .received_requests()
        .await
        .unwrap()
        .iter()
        .flat_map(|r| r.headers.iter())
        .filter(|(_, v)| {
            v.to_str()
                .is_ok_and(|v| v.contains(TOKEN) || v.contains(ACCESS_ID))
        })
        .map(|(n, _)| n.to_string())
        .collect();
    assert!(
        leaked.is_empty(),
        "credential headers sent to the redirect target: {leaked:?}"
    );
    // The redirect is the API's answer, handed to the check (which rejects it here).
    assert!(result.is_err(), "{result:?}");
}

#[test]
fn signers_without_a_token_header_refuse_a_session_token() {
    let url = url();
    for (name, signer, _) in signers().into_iter().filter(|(n, _, _)| *n != "tc3") {
        let err = signer
            .sign(&signable(&url), &credentials_with_token(), time())
            .unwrap_err();
        assert!(
            matches!(
                err,
                imgshare_core::sign::SigningError::SessionTokenUnsupported { .. }
            ),
            "{name}: {err}"
        );
        assert_clean(&format!("{name} error"), &err.to_string(), &[]);
    }
}
