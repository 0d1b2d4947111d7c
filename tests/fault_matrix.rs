#![allow(clippy::unwrap_used, clippy::expect_used)]
//! One fault matrix, every provider: each case of [`cases`] is played against a read and a
//! mutation of the Tencent, NCP and SCP clients, through a hostile loopback server
//! ([`support::hostile`]) that answers the first request (or every request) with the fault and
//! the rest with the provider's real success body.
//!
//! For every case, provider and operation it checks: a typed error or a correct success (never a
//! panic or a hang), how many requests the server received (reads are retried as the rules say;
//! a mutation is never repeated once it may have been applied), that every request it received
//! carries a signature that verifies (checked by the testkit's independent verifiers, never the
//! client's signer), and that a redirect to another host is not followed (the other host
//! receives nothing, so no credential header can reach it).
//!
//! The table and the expected outcomes are also in docs/RELIABILITY.md; keep them in step.

mod support;

use std::sync::{Arc, OnceLock};
use std::time::Duration;

use imgshare_core::http::HttpErrorKind;
use imgshare_core::{
    Credentials, Error, ErrorKind, ReqwestClient, RetryConfig, SecretString, TimeoutConfig,
};
use imgshare_tencent::ErrorMetadata;
use support::hostile::{Behaviour, Hostile, Received, Resolved, Times};

/// The response body limit of every client in the matrix.
const LIMIT: usize = 64 * 1024;
/// Attempts per operation (the first included).
const ATTEMPTS: usize = 3;

/// What a body is, resolved per provider and operation by [`Provider::body`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Body {
    /// The provider's real success body for the operation.
    Success,
    /// The success body behind a UTF-8 byte-order mark.
    SuccessWithBom,
    /// The first half of the success body (truncated JSON).
    TruncatedJson,
    /// A truncated XML document (NCP's XML answer cut short).
    TruncatedXml,
    /// The provider's throttling answer number `n` (status, content type and body).
    Throttle(usize),
    /// The provider's own server-error answer (Tencent `InternalError`, NCP gateway 503 `500`
    /// Endpoint Error, SCP 500 `ContactAdminForAssistance`).
    ServerError,
    /// A fixed body.
    Literal(&'static str),
}

/// A scripted answer whose body depends on the provider.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Reply {
    /// The status (unless the provider's body brings its own).
    pub(crate) status: u16,
    /// The `Content-Type` (unless the provider's body brings its own).
    pub(crate) content_type: Option<&'static str>,
    /// The body.
    pub(crate) body: Body,
}

/// What the hostile server does in a case (see [`Behaviour`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Step {
    /// [`Behaviour::Reset`].
    Reset,
    /// [`Behaviour::ResetMidBody`].
    ResetMidBody,
    /// [`Behaviour::CloseMidBody`].
    CloseMidBody,
    /// An answer built from the provider's bodies.
    Reply(Reply),
    /// An answer entirely the provider's (its own status and content type).
    Provider(Body),
    /// [`Behaviour::DeclaredTooLarge`].
    DeclaredTooLarge,
    /// [`Behaviour::EndlessChunked`].
    EndlessChunked,
    /// [`Behaviour::TrickleBody`].
    TrickleBody,
    /// [`Behaviour::NoAnswer`].
    NoAnswer,
    /// [`Behaviour::Redirect`].
    Redirect(u16),
}

/// The outcome a case expects.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Want {
    /// A decoded success.
    Ok,
    /// A transport error (the connection broke).
    Transport,
    /// A timeout.
    Timeout,
    /// `ResponseTooLarge`, never retried.
    TooLarge,
    /// An error classified as throttling.
    Throttled,
    /// An error classified as a server error.
    Server,
    /// An error classified as a client error (not retried), with this HTTP status.
    Client(u16),
}

/// One row of the matrix.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Case {
    /// Its name, as in docs/RELIABILITY.md.
    pub(crate) name: &'static str,
    /// What the hostile server does.
    pub(crate) step: Step,
    /// Whether it does it once (then answers with success) or to every request.
    pub(crate) times: Times,
    /// A per-attempt timeout other than the default 10 s.
    pub(crate) attempt_timeout: Option<Duration>,
    /// The outcome of a read, and how many requests it sends.
    pub(crate) read: (Want, usize),
    /// The outcome of a mutation, and how many requests it sends.
    pub(crate) mutation: (Want, usize),
}

const fn case(
    name: &'static str,
    step: Step,
    times: Times,
    read: (Want, usize),
    mutation: (Want, usize),
) -> Case {
    Case {
        name,
        step,
        times,
        attempt_timeout: None,
        read,
        mutation,
    }
}

const fn reply(status: u16, content_type: Option<&'static str>, body: Body) -> Step {
    Step::Reply(Reply {
        status,
        content_type,
        body,
    })
}

const JSON: Option<&str> = Some("application/json");
const A: usize = ATTEMPTS;

/// The matrix.
pub(crate) fn cases() -> Vec<Case> {
    use Times::{Always, Once};
    use Want::*;
    let html = "<html>\r\n<head><title>502 Bad Gateway</title></head>\r\n<body>\r\n<center><h1>502 \
                Bad Gateway</h1></center>\r\n<hr><center>nginx</center>\r\n</body>\r\n</html>\r\n";
    let slow = Duration::from_secs(1);
    vec![
        // -- the connection breaks ---------------------------------------------------------
        case(
            "reset before the response, once",
            Step::Reset,
            Once,
            (Ok, 2),
            (Transport, 1),
        ),
        case(
            "reset before the response, always",
            Step::Reset,
            Always,
            (Transport, A),
            (Transport, 1),
        ),
        case(
            "reset in the middle of the body, once",
            Step::ResetMidBody,
            Once,
            (Ok, 2),
            (Transport, 1),
        ),
        case(
            "closed in the middle of the body, always",
            Step::CloseMidBody,
            Always,
            (Transport, A),
            (Transport, 1),
        ),
        // -- 5xx -------------------------------------------------------------------------------
        case(
            "503 text/plain, once",
            reply(
                503,
                Some("text/plain"),
                Body::Literal("503 upstream error\n"),
            ),
            Once,
            (Ok, 2),
            (Server, 1),
        ),
        case(
            "500 text/plain, always",
            reply(
                500,
                Some("text/plain"),
                Body::Literal("500 upstream error\n"),
            ),
            Always,
            (Server, A),
            (Server, 1),
        ),
        case(
            "the provider's own server error, once",
            Step::Provider(Body::ServerError),
            Once,
            (Ok, 2),
            (Server, 1),
        ),
        case(
            "HTML 502 from a proxy, once",
            reply(502, Some("text/html"), Body::Literal(html)),
            Once,
            (Ok, 2),
            (Server, 1),
        ),
        case(
            "HTML 502 from a proxy, always",
            reply(502, Some("text/html"), Body::Literal(html)),
            Always,
            (Server, A),
            (Server, 1),
        ),
        case(
            "504 with no body, once",
            reply(504, None, Body::Literal("")),
            Once,
            (Ok, 2),
            (Server, 1),
        ),
        // -- throttling: nothing was applied, so mutations are retried too ---------------------
        case(
            "throttled (first answer), once",
            Step::Provider(Body::Throttle(0)),
            Once,
            (Ok, 2),
            (Ok, 2),
        ),
        case(
            "throttled (second answer), once",
            Step::Provider(Body::Throttle(1)),
            Once,
            (Ok, 2),
            (Ok, 2),
        ),
        case(
            "throttled, always",
            Step::Provider(Body::Throttle(0)),
            Always,
            (Throttled, A),
            (Throttled, A),
        ),
        // -- bodies that are not what they claim -----------------------------------------------
        case(
            "truncated JSON at 200",
            reply(200, JSON, Body::TruncatedJson),
            Always,
            (Client(200), 1),
            (Client(200), 1),
        ),
        case(
            "truncated XML at 200",
            reply(200, Some("application/xml"), Body::TruncatedXml),
            Always,
            (Client(200), 1),
            (Client(200), 1),
        ),
        case(
            "empty body at 200",
            reply(200, JSON, Body::Literal("")),
            Always,
            (Client(200), 1),
            (Client(200), 1),
        ),
        case(
            "HTML page at 200",
            reply(200, Some("text/html"), Body::Literal(html)),
            Always,
            (Client(200), 1),
            (Client(200), 1),
        ),
        case(
            "UTF-8 BOM before the body",
            reply(200, JSON, Body::SuccessWithBom),
            Always,
            (Ok, 1),
            (Ok, 1),
        ),
        case(
            "wrong Content-Type (text/html)",
            reply(200, Some("text/html"), Body::Success),
            Always,
            (Ok, 1),
            (Ok, 1),
        ),
        case(
            "wrong Content-Type (application/xml on JSON)",
            reply(200, Some("application/xml"), Body::Success),
            Always,
            (Ok, 1),
            (Ok, 1),
        ),
        case(
            "no Content-Type",
            reply(200, None, Body::Success),
            Always,
            (Ok, 1),
            (Ok, 1),
        ),
        // -- bodies past the limit: never retried ----------------------------------------------
        case(
            "Content-Length past the limit",
            Step::DeclaredTooLarge,
            Always,
            (TooLarge, 1),
            (TooLarge, 1),
        ),
        case(
            "endless chunked body",
            Step::EndlessChunked,
            Always,
            (TooLarge, 1),
            (TooLarge, 1),
        ),
        // -- too slow --------------------------------------------------------------------------
        Case {
            attempt_timeout: Some(slow),
            ..case(
                "body trickling past the timeout",
                Step::TrickleBody,
                Always,
                (Timeout, A),
                (Timeout, 1),
            )
        },
        Case {
            attempt_timeout: Some(slow),
            ..case(
                "no answer at all",
                Step::NoAnswer,
                Always,
                (Timeout, A),
                (Timeout, 1),
            )
        },
        Case {
            attempt_timeout: Some(slow),
            ..case(
                "slow once, then fine",
                Step::NoAnswer,
                Once,
                (Ok, 2),
                (Timeout, 1),
            )
        },
        // -- redirects are never followed ------------------------------------------------------
        case(
            "302 to another host",
            Step::Redirect(302),
            Always,
            (Client(302), 1),
            (Client(302), 1),
        ),
        case(
            "307 to another host",
            Step::Redirect(307),
            Always,
            (Client(307), 1),
            (Client(307), 1),
        ),
        case(
            "308 to another host",
            Step::Redirect(308),
            Always,
            (Client(308), 1),
            (Client(308), 1),
        ),
    ]
}

// ---- providers ---------------------------------------------------------------------------

/// The operation a run exercises.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Op {
    Read,
    Mutation,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Provider {
    Tencent,
    Ncloud,
    Scp,
}

const PROVIDERS: [Provider; 3] = [Provider::Tencent, Provider::Ncloud, Provider::Scp];

/// The fake credentials' access id and secret.
const ACCESS_ID: &str = "AKIDfaultmatrixEXAMPLE";
const SECRET: &str = "fault-matrix-secret-EXAMPLE";

const TC_DESCRIBE: &str = include_str!(
    "../crates/imgshare-tencent/tests/fixtures/DescribeImageSharePermission/success.json"
);
const TC_MODIFY: &str = include_str!(
    "../crates/imgshare-tencent/tests/fixtures/ModifyImageSharePermission/success.json"
);
const NCP_LIST: &str =
    include_str!("../crates/imgshare-ncloud/tests/fixtures/getServerImageList.json");
const NCP_LIST_XML: &str =
    include_str!("../crates/imgshare-ncloud/tests/fixtures/getServerImageList.xml");
const NCP_ADD: &str =
    include_str!("../crates/imgshare-ncloud/tests/fixtures/addServerImageSharingPermission.json");
const SCP_IMAGE: &str = "70a599e0-31e7-49b7-b260-868f441e862b";
const SCP_MEMBER: &str = "a8f10467abfc4b87b64614ab36eb9ae4";
const SCP_MEMBER_JSON: &str = r#"{"created_at":"2025-07-22T09:00:00Z","image_id":"70a599e0-31e7-49b7-b260-868f441e862b","member_id":"a8f10467abfc4b87b64614ab36eb9ae4","status":"pending","updated_at":"2025-07-26T12:00:00Z"}"#;

impl Provider {
    fn name(self) -> &'static str {
        match self {
            Provider::Tencent => "tencent",
            Provider::Ncloud => "ncloud",
            Provider::Scp => "scp",
        }
    }

    /// Checks a received request's signature with the testkit's independent verifiers (written
    /// from the providers' documentation, sharing no code with the clients' signers): the
    /// signature must verify under the matrix's secret, over the request as it arrived.
    fn verify_signature(self, r: &Received) -> Result<(), String> {
        let need = |name: &str| r.header(name).ok_or_else(|| format!("no {name} header"));
        let now_ms = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .unwrap()
            .as_millis();
        match self {
            Provider::Tencent => {
                use imgshare_testkit::tc3;
                let auth = tc3::parse_authorization(need("authorization")?)
                    .map_err(|e| format!("Authorization: {e:?}"))?;
                let (path, query) = r.target.split_once('?').unwrap_or((&r.target, ""));
                let headers: Vec<(&str, &str)> = r
                    .headers
                    .iter()
                    .map(|(n, v)| (n.as_str(), v.as_str()))
                    .collect();
                let request = tc3::SignedRequest {
                    method: &r.method,
                    path,
                    query,
                    headers: &headers,
                    body: &r.body,
                    timestamp: need("x-tc-timestamp")?,
                };
                let now = i64::try_from(now_ms / 1000).unwrap();
                tc3::verify(&request, &auth, SECRET, "cvm", now).map_err(|e| e.to_string())
            }
            Provider::Ncloud => {
                use imgshare_testkit::ncloud::signature as sig;
                let timestamp = need(sig::TIMESTAMP_HEADER)?;
                let ms = sig::parse_timestamp_ms(timestamp)
                    .ok_or_else(|| format!("timestamp {timestamp:?} is not milliseconds"))?;
                if !sig::timestamp_fresh(ms, u64::try_from(now_ms).unwrap()) {
                    return Err(format!("timestamp {timestamp} is stale"));
                }
                let key = need(sig::ACCESS_KEY_HEADER)?;
                let sts = sig::string_to_sign(&r.method, &r.target, timestamp, key);
                let sent = need(sig::SIGNATURE_HEADER)?;
                if key == ACCESS_ID && sig::signatures_match(&sig::sign(SECRET, &sts), sent) {
                    Ok(())
                } else {
                    Err(format!("signature {sent} does not verify over {sts:?}"))
                }
            }
            Provider::Scp => {
                use imgshare_testkit::scp::signature as sig;
                if need("scp-clienttype")? != sig::CLIENT_TYPE {
                    return Err("Scp-ClientType is not Openapi".into());
                }
                let key = need("scp-accesskey")?;
                let url = format!("http://{}{}", need("host")?, r.target);
                let account = r.header("scp-accountid").filter(|v| !v.is_empty());
                let message =
                    sig::signing_string(&r.method, &url, need("scp-timestamp")?, key, account);
                let sent = need("scp-signature")?;
                if key == ACCESS_ID && sig::verify(SECRET, &message, sent) {
                    Ok(())
                } else {
                    Err(format!("signature {sent} does not verify over {message:?}"))
                }
            }
        }
    }

    /// Whether a received request is this provider's request for `op`.
    fn is_request_for(self, op: Op, r: &Received) -> bool {
        match (self, op) {
            (Provider::Tencent, Op::Read) => {
                r.method == "POST"
                    && r.header("x-tc-action") == Some("DescribeImageSharePermission")
            }
            (Provider::Tencent, Op::Mutation) => {
                r.method == "POST" && r.header("x-tc-action") == Some("ModifyImageSharePermission")
            }
            (Provider::Ncloud, Op::Read) => r.target.starts_with("/vserver/v2/getServerImageList"),
            (Provider::Ncloud, Op::Mutation) => r
                .target
                .starts_with("/vserver/v2/addServerImageSharingPermission"),
            (Provider::Scp, Op::Read) => {
                r.method == "GET" && r.target == format!("/v1/images/{SCP_IMAGE}/members")
            }
            (Provider::Scp, Op::Mutation) => {
                r.method == "POST" && r.target == format!("/v1/images/{SCP_IMAGE}/members")
            }
        }
    }

    fn success(self, op: Op) -> String {
        match (self, op) {
            (Provider::Tencent, Op::Read) => TC_DESCRIBE.to_owned(),
            (Provider::Tencent, Op::Mutation) => TC_MODIFY.to_owned(),
            (Provider::Ncloud, Op::Read) => NCP_LIST.to_owned(),
            (Provider::Ncloud, Op::Mutation) => NCP_ADD.to_owned(),
            (Provider::Scp, Op::Read) => format!(r#"{{"members":[{SCP_MEMBER_JSON}]}}"#),
            (Provider::Scp, Op::Mutation) => SCP_MEMBER_JSON.to_owned(),
        }
    }

    /// `(status, content type, body)` of an answer.
    fn body(self, op: Op, body: Body) -> (Option<u16>, Option<&'static str>, Vec<u8>) {
        let tc_error = |code: &str| {
            format!(
                r#"{{"Response":{{"Error":{{"Code":"{code}","Message":"scripted {code}"}},"RequestId":"8d5e5e0a-0000-4000-8000-000000000001"}}}}"#
            )
        };
        let ncp_gateway = |code: &str, message: &str| {
            format!(r#"{{"error":{{"errorCode":"{code}","message":"{message}","details":""}}}}"#)
        };
        let scp_error = |status: u16, code: &str| {
            format!(
                r#"{{"errors":[{{"code":"{code}","title":"{code}","detail":"scripted {code}","status":{status},"request_id":"req-00000000-0000-4000-8000-000000000001"}}]}}"#
            )
        };
        const NCP_JSON: Option<&str> = Some("application/json;charset=UTF-8");
        match body {
            Body::Success => (None, None, self.success(op).into_bytes()),
            Body::SuccessWithBom => {
                let mut bytes = b"\xEF\xBB\xBF".to_vec();
                bytes.extend_from_slice(self.success(op).as_bytes());
                (None, None, bytes)
            }
            Body::TruncatedJson => {
                let s = self.success(op);
                (None, None, s.as_bytes()[..s.len() / 2].to_vec())
            }
            Body::TruncatedXml => (
                None,
                None,
                NCP_LIST_XML.as_bytes()[..NCP_LIST_XML.len() / 2].to_vec(),
            ),
            Body::Literal(text) => (None, None, text.as_bytes().to_vec()),
            Body::Throttle(n) => match (self, n) {
                (Provider::Tencent, 0) => {
                    (Some(200), JSON, tc_error("RequestLimitExceeded").into())
                }
                (Provider::Tencent, _) => (
                    Some(200),
                    JSON,
                    tc_error("RequestLimitExceeded.UinLimitExceeded").into(),
                ),
                (Provider::Ncloud, 0) => (
                    Some(429),
                    NCP_JSON,
                    ncp_gateway("420", "Rate Limited").into(),
                ),
                (Provider::Ncloud, _) => (
                    Some(429),
                    NCP_JSON,
                    ncp_gateway("410", "Throttle Limited").into(),
                ),
                // No 429 code was ever seen from SCP: the envelope carries none.
                (Provider::Scp, 0) => (
                    Some(429),
                    JSON,
                    r#"{"errors":[{"detail":"scripted 429","status":429,"request_id":"req-00000000-0000-4000-8000-000000000001"}]}"#.into(),
                ),
                // A 429 with a Retry-After the runtime caps at the configured maximum backoff.
                (Provider::Scp, _) => {
                    (Some(429), Some("text/plain"), b"Too Many Requests".to_vec())
                }
            },
            Body::ServerError => match self {
                Provider::Tencent => (Some(200), JSON, tc_error("InternalError").into()),
                Provider::Ncloud => (
                    Some(503),
                    NCP_JSON,
                    ncp_gateway("500", "Endpoint Error").into(),
                ),
                Provider::Scp => (
                    Some(500),
                    JSON,
                    scp_error(500, "ContactAdminForAssistance").into(),
                ),
            },
        }
    }
}

/// The client settings every run shares: tiny backoff, the small body limit, fake credentials.
struct Settings {
    endpoint: String,
    http: Arc<dyn imgshare_core::HttpClient>,
    retry: RetryConfig,
    timeouts: TimeoutConfig,
}

impl Settings {
    fn new(endpoint: String, attempt_timeout: Option<Duration>) -> Self {
        // One HTTP client for the whole matrix, as a program would share one: building one
        // per cell costs more than the cell. Every answer closes its connection, so no cell
        // reuses another's.
        static HTTP: OnceLock<Arc<ReqwestClient>> = OnceLock::new();
        let http = HTTP.get_or_init(|| {
            let client = ReqwestClient::with_connect_timeout(Duration::from_secs(5))
                .unwrap()
                .with_max_response_bytes(LIMIT);
            Arc::new(client)
        });
        Self {
            endpoint,
            http: http.clone(),
            retry: RetryConfig::standard()
                .with_max_attempts(ATTEMPTS as u32)
                .with_initial_backoff(Duration::from_millis(1))
                .with_max_backoff(Duration::from_millis(5)),
            timeouts: TimeoutConfig::default()
                .with_attempt(Some(attempt_timeout.unwrap_or(Duration::from_secs(10))))
                .with_operation(None),
        }
    }

    fn credentials() -> Credentials {
        Credentials::new(ACCESS_ID, SecretString::new(SECRET), None, "fault-matrix").unwrap()
    }
}

/// What the matrix keeps of an error: its category, HTTP status and Display text.
#[derive(Debug)]
struct Failure {
    seen: Seen,
    status: Option<u16>,
    text: String,
}

fn failure<E: ErrorMetadata + std::fmt::Display>(e: E) -> Failure {
    let core = e.as_core();
    Failure {
        seen: observed(core),
        status: core.http_status(),
        text: e.to_string(),
    }
}

/// Runs `op` once against the provider's client; `Ok(())` for a decoded success.
async fn run(provider: Provider, op: Op, s: Settings) -> Result<(), Failure> {
    match provider {
        Provider::Tencent => {
            let config = imgshare_tencent::Config::builder()
                .region("ap-guangzhou")
                .endpoint_url(s.endpoint)
                .credentials(Settings::credentials())
                .retry(s.retry)
                .timeouts(s.timeouts)
                .http_client(s.http)
                .build()
                .unwrap();
            let client = imgshare_tencent::Client::new(config).unwrap();
            match op {
                Op::Read => {
                    let out = client
                        .describe_image_share_permission()
                        .image_id("img-6pb6lrmy")
                        .send()
                        .await
                        .map_err(failure)?;
                    assert_eq!(out.share_permissions.len(), 2, "decoded the fixture");
                }
                Op::Mutation => {
                    client
                        .share_image()
                        .image_id("img-6pb6lrmy")
                        .account_id("100000000002")
                        .send()
                        .await
                        .map_err(failure)?;
                }
            }
        }
        Provider::Ncloud => {
            let config = imgshare_ncloud::Config::builder()
                .endpoint_url(s.endpoint)
                .region_code("KR")
                .response_format(imgshare_ncloud::ResponseFormat::Json)
                .credentials(Settings::credentials())
                .retry(s.retry)
                .timeouts(s.timeouts)
                .http_client(s.http)
                .build()
                .unwrap();
            let client = imgshare_ncloud::Client::new(config).unwrap();
            match op {
                Op::Read => {
                    let out = client
                        .get_server_image_list()
                        .send()
                        .await
                        .map_err(failure)?;
                    assert_eq!(out.server_image_list.len(), 1, "decoded the fixture");
                }
                Op::Mutation => {
                    let out = client
                        .add_server_image_sharing_permission()
                        .server_image_no("10000001")
                        .target_login_id("recipient@example.com")
                        .send()
                        .await
                        .map_err(failure)?;
                    assert_eq!(out.return_code, "0");
                }
            }
        }
        Provider::Scp => {
            let config = imgshare_scp::Config::builder()
                .endpoint_url(s.endpoint)
                .credentials(Settings::credentials())
                .retry(s.retry)
                .timeouts(s.timeouts)
                .http_client(s.http)
                .build()
                .unwrap();
            let client = imgshare_scp::Client::new(config).unwrap();
            match op {
                Op::Read => {
                    let out = client
                        .list_image_members()
                        .image_id(SCP_IMAGE)
                        .send()
                        .await
                        .map_err(failure)?;
                    assert_eq!(out.members.len(), 1, "decoded the body");
                    assert_eq!(out.members[0].member_id, SCP_MEMBER);
                }
                Op::Mutation => {
                    let out = client
                        .create_image_member()
                        .image_id(SCP_IMAGE)
                        .member_id(SCP_MEMBER)
                        .send()
                        .await
                        .map_err(failure)?;
                    assert_eq!(out.member_id, SCP_MEMBER);
                }
            }
        }
    }
    Ok(())
}

/// The category of an error.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Seen {
    Transport,
    Timeout,
    TooLarge,
    Throttled,
    Server,
    Client,
    Other,
}

fn observed(e: &Error) -> Seen {
    match e {
        Error::Dispatch(d) => match d.source.kind() {
            HttpErrorKind::ResponseTooLarge => Seen::TooLarge,
            HttpErrorKind::Timeout => Seen::Timeout,
            HttpErrorKind::Io | HttpErrorKind::Connect => Seen::Transport,
            _ => Seen::Other,
        },
        Error::Timeout(_) => Seen::Timeout,
        _ => match e.kind() {
            Some(ErrorKind::Throttling) => Seen::Throttled,
            Some(ErrorKind::Server) => Seen::Server,
            Some(ErrorKind::Client) => Seen::Client,
            _ => Seen::Other,
        },
    }
}

fn check(want: Want, result: &Result<(), Failure>) -> Result<(), String> {
    let f = match result {
        Ok(()) if want == Want::Ok => return Ok(()),
        Ok(()) => return Err(format!("succeeded, wanted {want:?}")),
        Err(f) => f,
    };
    if f.text.contains(SECRET) {
        return Err(format!("the error quotes the secret: {}", f.text));
    }
    let fits = match want {
        Want::Ok => false,
        Want::Transport => f.seen == Seen::Transport,
        Want::Timeout => f.seen == Seen::Timeout,
        Want::TooLarge => f.seen == Seen::TooLarge && f.text.contains(&LIMIT.to_string()),
        Want::Throttled => f.seen == Seen::Throttled,
        Want::Server => f.seen == Seen::Server,
        Want::Client(s) => f.seen == Seen::Client && f.status == Some(s),
    };
    if fits {
        Ok(())
    } else {
        Err(format!(
            "wanted {want:?}, got {:?} (status {:?}): {}",
            f.seen, f.status, f.text
        ))
    }
}

/// One cell: a fresh hostile server (and "other host") per run, so counts are exact.
async fn cell(case: &Case, provider: Provider, op: Op) -> Result<(), String> {
    let other = Hostile::start_other_host();
    let resolve = |status: u16, content_type: Option<&'static str>, body: Body| {
        let (s, ct, b) = provider.body(op, body);
        Resolved {
            status: s.unwrap_or(status),
            content_type: ct.or(content_type),
            body: b,
            // SCP's second throttling answer carries a Retry-After (capped by the max backoff).
            retry_after: provider == Provider::Scp && body == Body::Throttle(1),
        }
    };
    let fault = match case.step {
        Step::Reset => Behaviour::Reset,
        Step::ResetMidBody => Behaviour::ResetMidBody,
        Step::CloseMidBody => Behaviour::CloseMidBody,
        Step::Reply(r) => Behaviour::Respond(resolve(r.status, r.content_type, r.body)),
        Step::Provider(body) => Behaviour::Respond(resolve(200, None, body)),
        Step::DeclaredTooLarge => Behaviour::DeclaredTooLarge,
        Step::EndlessChunked => Behaviour::EndlessChunked,
        Step::TrickleBody => Behaviour::TrickleBody,
        Step::NoAnswer => Behaviour::NoAnswer,
        Step::Redirect(status) => Behaviour::Redirect(status),
    };
    let success = Resolved {
        status: 200,
        content_type: Some("application/json"),
        body: provider.success(op).into_bytes(),
        retry_after: false,
    };
    let server = Hostile::start(fault, case.times, success, other.addr());
    let settings = Settings::new(server.uri(), case.attempt_timeout);
    let outcome = tokio::time::timeout(Duration::from_secs(30), run(provider, op, settings))
        .await
        .map_err(|_| "hung for 30 s".to_owned())?;
    let (want, count) = match op {
        Op::Read => case.read,
        Op::Mutation => case.mutation,
    };
    let mut problems = Vec::new();
    if let Err(p) = check(want, &outcome) {
        problems.push(p);
    }
    let received = server.received();
    if received.len() != count {
        problems.push(format!(
            "{} requests received, wanted {count}",
            received.len()
        ));
    }
    for r in &received {
        if !provider.is_request_for(op, r) {
            problems.push(format!("an unexpected request: {} {}", r.method, r.target));
        }
        if let Err(why) = provider.verify_signature(r) {
            problems.push(format!("{} {}: {why}", r.method, r.target));
        }
    }
    if other.connections() != 0 {
        problems.push(format!(
            "the other host received {} connection(s)",
            other.connections()
        ));
    }
    if problems.is_empty() {
        Ok(())
    } else {
        Err(problems.join("; "))
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn every_case_against_every_provider() {
    let mut failures = Vec::new();
    let mut total = 0;
    // The cases that wait for a timeout run second, on a quiet machine, so that the request
    // itself is always sent well within the attempt timeout.
    for slow in [false, true] {
        let mut runs = Vec::new();
        for case in cases()
            .into_iter()
            .filter(|c| c.attempt_timeout.is_some() == slow)
        {
            for provider in PROVIDERS {
                for op in [Op::Read, Op::Mutation] {
                    runs.push(tokio::spawn(async move {
                        let result = cell(&case, provider, op).await;
                        (case.name, provider, op, result)
                    }));
                }
            }
        }
        total += runs.len();
        for run in runs {
            let (name, provider, op, result) = run.await.expect("no panic in a cell");
            if let Err(problem) = result {
                failures.push(format!("[{}] {name} / {op:?}: {problem}", provider.name()));
            }
        }
    }
    assert!(
        failures.is_empty(),
        "{} of {total} cells failed:\n{}",
        failures.len(),
        failures.join("\n")
    );
}

#[test]
fn the_table_has_every_required_case() {
    let names: Vec<&str> = cases().iter().map(|c| c.name).collect();
    for needle in [
        "reset before",
        "reset in the middle",
        "503",
        "throttled",
        "HTML 502",
        "truncated JSON",
        "truncated XML",
        "BOM",
        "wrong Content-Type",
        "no Content-Type",
        "past the limit",
        "endless",
        "past the timeout",
        "to another host",
    ] {
        assert!(
            names.iter().any(|n| n.contains(needle)),
            "no case for {needle}"
        );
    }
}
