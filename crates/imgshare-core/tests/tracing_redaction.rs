//! The runtime logs one span per operation and one event per attempt, and none of it, at any
//! level, carries the secret, the signature, the string to sign or the Authorization header.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::io::Write;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use imgshare_core::error::{ErrorKind, ServiceError};
use imgshare_core::sign::tc3::Tc3Signer;
use imgshare_core::{
    Credentials, Error, HttpRequest, HttpResponse, Method, OperationCall, RetryConfig, Runtime,
    SecretString, StaticProvider,
};
use wiremock::matchers::any;
use wiremock::{Mock, MockServer, ResponseTemplate};

const SECRET: &str = "S3CR3T-never-log-me";
const TOKEN: &str = "T0KEN-never-log-me";

#[derive(Clone, Default)]
struct Buffer(Arc<Mutex<Vec<u8>>>);

impl Write for Buffer {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.0.lock().unwrap().extend_from_slice(buf);
        Ok(buf.len())
    }
    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

fn check(resp: &HttpResponse) -> Result<(), Error> {
    let body = String::from_utf8_lossy(&resp.body);
    if body.contains("RequestLimitExceeded") {
        return Err(Error::Service(
            ServiceError::new(
                "RequestLimitExceeded",
                "slow down",
                resp.status,
                ErrorKind::Throttling,
            )
            .with_request_id(Some("req-1".into())),
        ));
    }
    Ok(())
}

#[tokio::test]
async fn logs_attempts_without_secrets() {
    let buffer = Buffer::default();
    let writer = buffer.clone();
    let subscriber = tracing_subscriber::fmt()
        .with_max_level(tracing::Level::TRACE)
        .with_ansi(false)
        .with_writer(move || writer.clone())
        .finish();
    let _guard = tracing::subscriber::set_default(subscriber);

    let server = MockServer::start().await;
    Mock::given(any())
        .respond_with(
            ResponseTemplate::new(200)
                .set_body_string(r#"{"Response":{"Error":{"Code":"RequestLimitExceeded"}}}"#),
        )
        .up_to_n_times(1)
        .mount(&server)
        .await;
    Mock::given(any())
        .respond_with(ResponseTemplate::new(200).set_body_string(r#"{"Response":{}}"#))
        .mount(&server)
        .await;

    let creds = Credentials::new(
        "AKIDLOGTEST",
        SECRET,
        Some(SecretString::new(TOKEN)),
        "test",
    )
    .unwrap();
    let runtime = Runtime::builder(
        "test",
        Arc::new(StaticProvider::new(creds)),
        Arc::new(Tc3Signer::new("cvm")),
    )
    .retry(RetryConfig::standard().with_initial_backoff(Duration::from_millis(1)))
    .build()
    .unwrap();
    let request = HttpRequest::new(Method::Post, server.uri().parse().unwrap())
        .with_header("Content-Type", "application/json")
        .with_header("X-TC-Action", "DescribeImages")
        .with_body(b"{}".to_vec());
    runtime
        .invoke(
            OperationCall {
                name: "DescribeImages",
                idempotent: true,
                request,
            },
            &check,
        )
        .await
        .unwrap();

    let sent = server.received_requests().await.unwrap();
    let authorization = sent[1]
        .headers
        .get("authorization")
        .unwrap()
        .to_str()
        .unwrap()
        .to_owned();
    let signature = authorization.rsplit("Signature=").next().unwrap();

    let logs = String::from_utf8(buffer.0.lock().unwrap().clone()).unwrap();
    assert!(logs.contains("imgshare.operation"), "{logs}");
    assert!(logs.contains("attempt failed; retrying"), "{logs}");
    assert!(logs.contains("attempt succeeded"), "{logs}");
    assert!(logs.contains("RequestLimitExceeded"), "{logs}");
    for forbidden in [SECRET, TOKEN, signature, "TC3-HMAC-SHA256", "tc3_request"] {
        assert!(
            !logs.contains(forbidden),
            "logs contain {forbidden:?}:\n{logs}"
        );
    }
}
