//! Operations of SCP's shape (path labels, a JSON body of body fields only, `DELETE` answering
//! 204) and of NCP's (a `name.N` list in a form body and in a query), declared in
//! `tests/http_bindings/api.toml` and generated like a provider's, sent through the runtime with
//! the real signers: on the wire each request is exactly what the provider documents.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    missing_docs,
    unreachable_pub
)]

// Generated code: not every accessor is exercised here.
#[allow(dead_code)]
#[path = "http_bindings/operation.rs"]
mod operation;

use std::sync::Arc;
use std::time::Duration;

use imgshare_core::binding::encode_request;
use imgshare_core::decode;
use imgshare_core::operation::{Execute, Operation};
use imgshare_core::runtime::OperationCall;
use imgshare_core::sign::Signer;
use imgshare_core::sign::ncp::NcpSigner;
use imgshare_core::sign::scp::ScpSigner;
use imgshare_core::wire::ListBase;
use imgshare_core::{
    Credentials, Error, ErrorKind, HttpResponse, ResponseError, RetryConfig, Runtime, ServiceError,
};
use serde::Deserialize;
use url::Url;
use wiremock::matchers::{method, path};
use wiremock::{Mock, MockServer, Request, ResponseTemplate};

/// A client of either shape: the generic `Execute` every provider writes once.
#[derive(Debug, Clone)]
pub struct Client {
    endpoint: Url,
    runtime: Runtime,
    list_base: ListBase,
}

/// SCP's member, as decoded from the add-member answer.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
pub struct ImageMember {
    pub image_id: String,
    pub member_id: String,
    pub status: String,
}

fn check(response: &HttpResponse) -> Result<(), Error> {
    match response.status {
        200..=299 => Ok(()),
        429 => Err(Error::Service(ServiceError::new(
            "Throttled",
            "slow down",
            429,
            ErrorKind::Throttling,
        ))),
        status => Err(Error::Response(ResponseError::from_response(
            response,
            format!("HTTP {status}"),
        ))),
    }
}

impl<Op> Execute<Op> for Client
where
    Op: Operation,
    Op::Output: serde::de::DeserializeOwned + Send,
{
    type Error = Error;

    async fn execute(&self, input: Op::Input) -> Result<Op::Output, Error> {
        let fields = Op::wire_fields(&input);
        let request = encode_request(&self.endpoint, &Op::BINDING, &fields, self.list_base)?;
        let call = OperationCall {
            name: Op::NAME,
            idempotent: Op::IDEMPOTENT,
            request,
        };
        let response = self.runtime.invoke(call, &check).await?;
        decode::decode_output(response.content_type(), &response.body).map_err(|e| {
            Error::Response(
                ResponseError::from_response(&response, "bad body").with_decode_error(e),
            )
        })
    }
}

impl Client {
    fn new(server: &MockServer, signer: Arc<dyn Signer>, list_base: ListBase) -> Self {
        let credentials = Credentials::new("AKTEST", "test-secret", None, "test").unwrap();
        let runtime = Runtime::builder("test", Arc::new(credentials), signer)
            .retry(
                RetryConfig::standard()
                    .with_initial_backoff(Duration::from_millis(1))
                    .with_max_backoff(Duration::from_millis(50)),
            )
            .build()
            .unwrap();
        Self {
            endpoint: Url::parse(&server.uri()).unwrap(),
            runtime,
            list_base,
        }
    }

    fn add_image_member(&self) -> operation::AddImageMemberFluentBuilder {
        operation::AddImageMemberFluentBuilder::new(self.clone())
    }

    fn delete_image_member(&self) -> operation::DeleteImageMemberFluentBuilder {
        operation::DeleteImageMemberFluentBuilder::new(self.clone())
    }

    fn add_server_image_sharing_permission(
        &self,
    ) -> operation::AddServerImageSharingPermissionFluentBuilder {
        operation::AddServerImageSharingPermissionFluentBuilder::new(self.clone())
    }

    fn get_server_image_list(&self) -> operation::GetServerImageListFluentBuilder {
        operation::GetServerImageListFluentBuilder::new(self.clone())
    }
}

const IMAGE: &str = "6f9a2c1e-0b4d-4e8a-9c3f-2d1e0a9b8c7d";

fn header<'a>(request: &'a Request, name: &str) -> &'a str {
    request
        .headers
        .get(name)
        .map(|v| v.to_str().unwrap())
        .unwrap_or_else(|| panic!("no {name} header"))
}

/// The full URL as sent (what SCP signs), rebuilt from the request wiremock received.
fn sent_url(server: &MockServer, request: &Request) -> String {
    let target = match request.url.query() {
        Some(q) => format!("{}?{q}", request.url.path()),
        None => request.url.path().to_owned(),
    };
    format!("{}{target}", server.uri())
}

#[tokio::test]
async fn scp_shape_labels_and_a_json_body_of_body_fields_only() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path(format!("/v1/images/{IMAGE}/members")))
        .respond_with(ResponseTemplate::new(201).set_body_json(serde_json::json!({
            "image_id": IMAGE, "member_id": "acct-2", "status": "pending"
        })))
        .mount(&server)
        .await;
    let client = Client::new(
        &server,
        Arc::new(ScpSigner::new().account_id("acct-1")),
        ListBase::One,
    );
    let member = client
        .add_image_member()
        .image_id(IMAGE)
        .member_id("acct-2")
        .send()
        .await
        .unwrap();
    assert_eq!(member.status, "pending");

    let received = server.received_requests().await.unwrap();
    let request = &received[0];
    assert_eq!(request.url.path(), format!("/v1/images/{IMAGE}/members"));
    assert_eq!(request.url.query(), None);
    // Only the body field: the label stays out of the body (additionalProperties: false).
    assert_eq!(request.body, br#"{"member_id":"acct-2"}"#);
    assert_eq!(header(request, "content-type"), "application/json");
    // Signed over the full URL exactly as sent; checked by the testkit's verifier, written from
    // SCP's documentation, so a bug in our signer cannot hide in the check too.
    let timestamp = header(request, "scp-timestamp");
    let message = imgshare_testkit::scp::signature::signing_string(
        "POST",
        &sent_url(&server, request),
        timestamp,
        "AKTEST",
        Some("acct-1"),
    );
    assert!(
        imgshare_testkit::scp::signature::verify(
            "test-secret",
            &message,
            header(request, "scp-signature")
        ),
        "signature of `{message}`"
    );
}

#[tokio::test]
async fn scp_shape_delete_answers_204_into_a_unit_output() {
    let server = MockServer::start().await;
    Mock::given(method("DELETE"))
        .and(path(format!("/v1/images/{IMAGE}/members/acct-2")))
        .respond_with(ResponseTemplate::new(204))
        .mount(&server)
        .await;
    let client = Client::new(
        &server,
        Arc::new(ScpSigner::new().account_id("acct-1")),
        ListBase::One,
    );
    client
        .delete_image_member()
        .image_id(IMAGE)
        .member_id("acct-2")
        .api_version("virtualserver 1.3")
        .send()
        .await
        .unwrap();
    let received = server.received_requests().await.unwrap();
    let request = &received[0];
    assert_eq!(request.method.as_str(), "DELETE");
    assert!(request.body.is_empty());
    assert!(request.headers.get("content-type").is_none());
    assert_eq!(header(request, "scp-api-version"), "virtualserver 1.3");
}

#[tokio::test]
async fn a_label_that_walks_the_path_is_refused_before_sending() {
    let server = MockServer::start().await;
    let client = Client::new(
        &server,
        Arc::new(ScpSigner::new().account_id("acct-1")),
        ListBase::One,
    );
    for bad in ["..", ".", ""] {
        let err = client
            .delete_image_member()
            .image_id(bad)
            .member_id("acct-2")
            .send()
            .await
            .unwrap_err();
        assert_eq!(
            err.as_invalid_input().unwrap().field(),
            "image_id",
            "{bad:?}"
        );
    }
    // `../x` is one escaped segment: it can only ever name an image called `../x`.
    Mock::given(method("DELETE"))
        .respond_with(ResponseTemplate::new(204))
        .mount(&server)
        .await;
    client
        .delete_image_member()
        .image_id("../x")
        .member_id("a/b")
        .send()
        .await
        .unwrap();
    let received = server.received_requests().await.unwrap();
    assert_eq!(received.len(), 1, "only the escaped request was sent");
    assert_eq!(received[0].url.path(), "/v1/images/..%2Fx/members/a%2Fb");
}

#[tokio::test]
async fn ncp_shape_form_list_is_one_based_and_the_query_is_signed_as_sent() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path("/vserver/v2/addServerImageSharingPermission"))
        .respond_with(ResponseTemplate::new(200))
        .mount(&server)
        .await;
    let client = Client::new(&server, Arc::new(NcpSigner::new()), ListBase::One);
    client
        .add_server_image_sharing_permission()
        .region_code("KR")
        .server_image_no("12345678")
        .login_id("a+b@example.com")
        .login_id("김 철수@example.com")
        .response_format_type("json")
        .send()
        .await
        .unwrap();
    let received = server.received_requests().await.unwrap();
    let request = &received[0];
    assert_eq!(
        header(request, "content-type"),
        "application/x-www-form-urlencoded"
    );
    assert_eq!(
        String::from_utf8_lossy(&request.body),
        "regionCode=KR&serverImageNo=12345678\
         &targetLoginIdList.1=a%2Bb%40example.com\
         &targetLoginIdList.2=%EA%B9%80+%EC%B2%A0%EC%88%98%40example.com"
    );
    assert_eq!(request.url.query(), Some("responseFormatType=json"));
    let expected = imgshare_testkit::ncloud::signature::sign(
        "test-secret",
        &imgshare_testkit::ncloud::signature::string_to_sign(
            "POST",
            "/vserver/v2/addServerImageSharingPermission?responseFormatType=json",
            header(request, "x-ncp-apigw-timestamp"),
            "AKTEST",
        ),
    );
    assert_eq!(header(request, "x-ncp-apigw-signature-v2"), expected);
}

#[tokio::test]
async fn ncp_shape_query_list_is_encoded_once_and_signed_byte_for_byte() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .respond_with(ResponseTemplate::new(200))
        .mount(&server)
        .await;
    let client = Client::new(&server, Arc::new(NcpSigner::new()), ListBase::One);
    client
        .get_server_image_list()
        .server_image_no("1")
        .server_image_no("2 3")
        .page_size(50)
        .send()
        .await
        .unwrap();
    let received = server.received_requests().await.unwrap();
    let request = &received[0];
    let query = "serverImageNoList.1=1&serverImageNoList.2=2%203&pageSize=50";
    assert_eq!(request.url.query(), Some(query));
    assert!(request.body.is_empty());
    let expected = imgshare_testkit::ncloud::signature::sign(
        "test-secret",
        &imgshare_testkit::ncloud::signature::string_to_sign(
            "GET",
            &format!("/vserver/v2/getServerImageList?{query}"),
            header(request, "x-ncp-apigw-timestamp"),
            "AKTEST",
        ),
    );
    assert_eq!(header(request, "x-ncp-apigw-signature-v2"), expected);
}

/// Answers a 429 carrying `Retry-After: {retry_after}`, then 200s, at once and in memory, so
/// that under paused tokio time the only thing that moves the clock is the runtime's wait.
#[derive(Debug)]
struct ThrottleOnce {
    retry_after: &'static str,
    sent: std::sync::Mutex<u32>,
}

impl imgshare_core::HttpClient for ThrottleOnce {
    fn send(
        &self,
        _request: imgshare_core::HttpRequest,
        _timeout: Option<Duration>,
    ) -> imgshare_core::credentials::BoxFuture<'_, Result<HttpResponse, imgshare_core::HttpError>>
    {
        let mut sent = self.sent.lock().unwrap();
        *sent += 1;
        let response = if *sent == 1 {
            HttpResponse::new(429).with_header("Retry-After", self.retry_after)
        } else {
            HttpResponse::new(200)
        };
        Box::pin(std::future::ready(Ok(response)))
    }
}

/// How long (in paused, virtual time) one call waited between a throttled attempt answering
/// `Retry-After: {retry_after}` and its retry, with the backoff capped at `cap` and our own
/// backoff at most `initial` (so a runtime that ignored the header would wait ≤ `initial`).
async fn wait_after_throttle(
    retry_after: &'static str,
    initial: Duration,
    cap: Duration,
) -> Duration {
    let http = Arc::new(ThrottleOnce {
        retry_after,
        sent: std::sync::Mutex::new(0),
    });
    let credentials = Credentials::new("AKTEST", "test-secret", None, "test").unwrap();
    let runtime = Runtime::builder("test", Arc::new(credentials), Arc::new(NcpSigner::new()))
        .retry(
            RetryConfig::standard()
                .with_initial_backoff(initial)
                .with_max_backoff(cap),
        )
        .http_client(http.clone())
        .build()
        .unwrap();
    let client = Client {
        endpoint: Url::parse("http://127.0.0.1:9").unwrap(),
        runtime,
        list_base: ListBase::One,
    };
    let started = tokio::time::Instant::now();
    client.get_server_image_list().send().await.unwrap();
    assert_eq!(
        *http.sent.lock().unwrap(),
        2,
        "one throttled attempt, one retry"
    );
    started.elapsed()
}

#[tokio::test(start_paused = true)]
async fn retry_after_below_the_cap_is_waited_exactly() {
    // Our own backoff would wait at most 10 ms; the server asked for 7 s, under the 60 s cap.
    let waited = wait_after_throttle("7", Duration::from_millis(10), Duration::from_secs(60)).await;
    assert!(
        waited >= Duration::from_secs(7) && waited < Duration::from_millis(7_010),
        "waited {waited:?}, not the 7 s Retry-After asked for"
    );
}

#[tokio::test(start_paused = true)]
async fn retry_after_above_the_cap_waits_the_cap() {
    // An hour was asked for; the 5 s cap wins (our own backoff would wait at most 10 ms).
    let waited =
        wait_after_throttle("3600", Duration::from_millis(10), Duration::from_secs(5)).await;
    assert!(
        waited >= Duration::from_secs(5) && waited < Duration::from_millis(5_010),
        "waited {waited:?}, not the 5 s cap"
    );
}

#[test]
fn retry_after_reads_seconds_and_http_dates() {
    use imgshare_core::runtime::retry_after;
    let now = std::time::UNIX_EPOCH + Duration::from_secs(784_111_777);
    let seconds = HttpResponse::new(429).with_header("Retry-After", "7");
    assert_eq!(retry_after(&seconds, || now), Some(Duration::from_secs(7)));
    let date = HttpResponse::new(503).with_header("Retry-After", "Sun, 06 Nov 1994 08:49:47 GMT");
    assert_eq!(retry_after(&date, || now), Some(Duration::from_secs(10)));
    let junk = HttpResponse::new(503).with_header("Retry-After", "soon");
    assert_eq!(retry_after(&junk, || now), None);
}

#[test]
fn builders_have_getters_and_set_replaces() {
    let builder = operation::GetServerImageListInput::builder()
        .server_image_no("1")
        .server_image_no("2")
        .page_size(10);
    assert_eq!(builder.get_server_image_nos(), ["1", "2"]);
    assert_eq!(builder.get_page_size(), Some(10));
    let input = builder
        .set_server_image_nos(Some(vec!["3".into()]))
        .set_page_size(None)
        .build()
        .unwrap();
    assert_eq!(input.server_image_nos(), ["3"]);
    assert_eq!(input.page_size(), None);
    let err = operation::DeleteImageMemberInput::builder()
        .image_id(IMAGE)
        .build()
        .unwrap_err();
    assert_eq!(err.field(), "member_id");
}
