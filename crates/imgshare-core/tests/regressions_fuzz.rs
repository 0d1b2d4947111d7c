//! Crashes and hangs found by the fuzz run (`cargo run --profile fuzz -p imgshare-bench --example
//! fuzz`: the `fuzz` profile unwinds, as its `catch_unwind` needs; `--release` aborts on the first
//! panic), kept as regression tests. See docs/RELIABILITY.md.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::collections::BTreeMap;
use std::sync::{Arc, Mutex};
use std::time::{Duration, SystemTime};

use imgshare_core::credentials::BoxFuture;
use imgshare_core::decode::{self, Format};
use imgshare_core::http::{HttpClient, HttpError};
use imgshare_core::runtime::{OperationCall, server_skew_ms};
use imgshare_core::sign::Signer;
use imgshare_core::sign::ncp::NcpSigner;
use imgshare_core::sign::tc3::Tc3Signer;
use imgshare_core::{Credentials, Error, HttpRequest, HttpResponse, Method, RetryConfig, Runtime};
use serde::Deserialize;

#[derive(Debug, Deserialize)]
#[allow(dead_code)]
struct ResponseError {
    #[serde(rename = "returnCode", default)]
    return_code: Option<String>,
    #[serde(rename = "returnMessage", default)]
    return_message: Option<String>,
}

/// Inputs from the run (seed 1): a `<!DOCTYPE` inside an element made quick-xml's
/// deserializer hit `unreachable!()`, a panic in every decoder entry point and in each NCP
/// client call that received such a body (a proxy page spliced into an answer would do it).
const DOCTYPE_INSIDE: &[&str] = &[
    "<responseError><returnCode>1000</returnCode><returnMessage>Please tr<!DOCTYPE html>y again</returnMessage></responseError>",
    "<error><errorCode>200</errorCode><message>Authentication Failed</message><details>This account is n<!DOCTYPE html>ot allowed.</details></error>",
    "\u{FEFF}<error><errorCode>200</errorCode><message>Authentication Failed</message><details>This account is not allo<!DOCTYPE html>wed.</details></error>",
    "<responseError>\n  <returnCode>1104037</returnCode>\n  <returnMessage>The server image <!DOCTYPE html>could not be found.</returnMessage>\n</responseError>\n",
    "<a><!DOCTYPE x></a>",
    "<a/><!DOCTYPE x>",
];

#[test]
fn a_doctype_inside_the_document_is_a_decode_error_not_a_panic() {
    for body in DOCTYPE_INSIDE {
        let body = body.as_bytes();
        for ct in [Some("application/xml"), Some("application/json"), None] {
            let result = std::panic::catch_unwind(|| {
                let a = decode::decode::<ResponseError>(ct, body).is_err();
                let b = decode::decode_root::<ResponseError>(ct, body).is_err();
                let c = decode::decode_output::<BTreeMap<String, String>>(ct, body).is_err();
                let d = decode::decode_as::<ResponseError>(Format::Xml, body).is_err();
                (a, b, c, d)
            });
            let errors = result
                .unwrap_or_else(|_| panic!("panicked on {:?}", String::from_utf8_lossy(body)));
            assert_eq!(
                errors,
                (true, true, true, true),
                "{:?}",
                String::from_utf8_lossy(body)
            );
        }
    }
    // Other markup that splits a text node is legal XML and decodes.
    for body in [
        "<responseError><returnMessage>tr<?pi x?>y</returnMessage></responseError>",
        "<responseError><returnMessage>tr<!-- c -->y</returnMessage></responseError>",
        "<responseError><returnMessage>tr<?xml version=\"1.0\"?>y</returnMessage></responseError>",
        "<responseError><returnMessage>tr<![CDATA[x]]>y</returnMessage></responseError>",
    ] {
        let result = std::panic::catch_unwind(|| {
            decode::decode_root::<ResponseError>(None, body.as_bytes()).map(|(_, v)| v)
        });
        assert!(result.is_ok(), "panicked on {body:?}");
    }
    // A DOCTYPE before the root stays fine.
    let (root, value) = decode::decode_root::<ResponseError>(
        None,
        b"<?xml version=\"1.0\"?><!DOCTYPE responseError><responseError><returnCode>1</returnCode></responseError>",
    )
    .unwrap();
    assert_eq!(
        (root.as_str(), value.return_code.as_deref()),
        ("responseError", Some("1"))
    );
}

/// Answers with the scripted responses in turn and counts what it was sent.
#[derive(Debug, Default)]
struct Scripted {
    responses: Mutex<Vec<HttpResponse>>,
    sent: Mutex<u32>,
}

impl HttpClient for Scripted {
    fn send(
        &self,
        _request: HttpRequest,
        _timeout: Option<Duration>,
    ) -> BoxFuture<'_, Result<HttpResponse, HttpError>> {
        *self.sent.lock().unwrap() += 1;
        let response = self.responses.lock().unwrap().remove(0);
        Box::pin(async move { Ok(response) })
    }
}

fn ok() -> HttpResponse {
    HttpResponse::new(200).with_body(b"{}".to_vec())
}

/// Found by the client-path target: one answer whose `Date` lies before 1970 (or after 9999)
/// taught the runtime a skew that put every later signing time out of the signers' range, so
/// every later call failed with `SigningError::InvalidTime` before sending anything, and with
/// nothing sent no later `Date` could ever correct it: one bad header disabled the client for
/// good. Such a `Date` is now ignored.
#[tokio::test]
async fn a_date_header_outside_the_signable_range_does_not_disable_the_client() {
    let signers: [Arc<dyn Signer>; 2] =
        [Arc::new(Tc3Signer::new("cvm")), Arc::new(NcpSigner::new())];
    for signer in signers {
        for date in [
            "Wed, 31 Dec 1969 23:00:00 GMT",
            "Thu, 01 Jan 1970 00:00:00 +0100",
            "Fri, 01 Jan 1960 00:00:00 GMT",
            "Fri, 31 Dec 9999 23:59:59 -2300",
        ] {
            let http = Arc::new(Scripted::default());
            *http.responses.lock().unwrap() = vec![ok().with_header("date", date), ok(), ok()];
            let credentials = Credentials::new("AKIDTEST", "test-secret", None, "test").unwrap();
            let runtime = Runtime::builder("test", Arc::new(credentials), signer.clone())
                .retry(RetryConfig::disabled())
                .http_client(http.clone())
                .build()
                .unwrap();
            let call = OperationCall {
                name: "Test",
                idempotent: true,
                request: HttpRequest::new(Method::Post, "http://127.0.0.1:9/".parse().unwrap())
                    .with_header("Content-Type", "application/json")
                    .with_body(b"{}".to_vec()),
            };
            let check = |_: &HttpResponse| -> Result<(), Error> { Ok(()) };
            for attempt in 0..3 {
                let result = runtime.invoke(call.clone(), &check).await;
                assert!(
                    result.is_ok(),
                    "{signer:?}, Date {date:?}, call {attempt}: {:?}",
                    result.err()
                );
            }
            assert_eq!(*http.sent.lock().unwrap(), 3, "{date}");
        }
    }
    // Such a date teaches nothing; a real one still does.
    let now = SystemTime::now();
    for date in [
        "Wed, 31 Dec 1969 23:00:00 GMT",
        "Fri, 31 Dec 9999 23:59:59 -2300",
    ] {
        assert_eq!(
            server_skew_ms(&ok().with_header("date", date), now),
            None,
            "{date}"
        );
    }
    assert!(
        server_skew_ms(
            &ok().with_header("date", "Thu, 01 Jan 2026 00:00:00 GMT"),
            now
        )
        .is_some()
    );
}
