//! [`ReplayClient`]: an in-memory [`HttpClient`] for users' unit tests. It answers from a script
//! and records every request it gets, so code that calls imgshare can be tested without a
//! server, a port or the network.
//!
//! It never sends anything: a request the script has no answer for fails its call with a
//! [`ReplayError`] (a transport error of kind [`HttpErrorKind::Request`], which is never
//! retried), rather than falling through to a real HTTP client. The anchor is aws-smithy's
//! `StaticReplayClient`, with `aws-smithy-mocks`' two rule modes: answers in order, and
//! standing answers matched by method and path.
//!
//! A client needs nothing real to run against it: static fake credentials
//! ([`Credentials::for_tests`](crate::Credentials::for_tests)) keep the default credentials
//! chain (environment, profile files, instance metadata) out of the test, and a
//! [`FixedClock`](crate::FixedClock) makes every signature and timestamp repeatable.
//!
//! ```
//! use imgshare_core::test_util::{ReplayClient, json_response};
//! use imgshare_core::{HttpClient, HttpRequest, Method};
//!
//! # tokio::runtime::Builder::new_current_thread().build().unwrap().block_on(async {
//! let replay = ReplayClient::new()
//!     .respond_to(Method::Post, "/", json_response(200, r#"{"Response":{"RequestId":"r-1"}}"#));
//!
//! let url = "https://cvm.tencentcloudapi.com/".parse().unwrap();
//! let request = HttpRequest::new(Method::Post, url)
//!     .with_header("X-TC-Action", "DescribeImageSharePermission")
//!     .with_body(r#"{"ImageId":"img-6pb6lrmy"}"#);
//! let response = replay.send(request, None).await.unwrap();
//! assert_eq!(response.status, 200);
//!
//! // Every request is recorded as it was handed over: method, URL, headers, body.
//! let sent = replay.requests();
//! assert_eq!(sent[0].header("x-tc-action"), Some("DescribeImageSharePermission"));
//! assert_eq!(sent[0].body, br#"{"ImageId":"img-6pb6lrmy"}"#);
//!
//! // The script is used up: a further request fails, it is not sent anywhere.
//! let again = HttpRequest::new(Method::Post, "https://cvm.tencentcloudapi.com/".parse().unwrap());
//! assert!(replay.send(again, None).await.is_err());
//! assert!(replay.verify().is_err());
//! # });
//! ```

use std::collections::VecDeque;
use std::fmt;
use std::sync::{Mutex, MutexGuard, PoisonError};
use std::time::Duration;

use crate::credentials::BoxFuture;
use crate::http::{
    HttpClient, HttpError, HttpErrorKind, HttpRequest, HttpResponse, Method, RequestSent,
};

/// A response with `Content-Type: application/json` and `body` (for scripts).
pub fn json_response(status: u16, body: impl Into<Vec<u8>>) -> HttpResponse {
    HttpResponse::new(status)
        .with_header("content-type", "application/json")
        .with_body(body)
}

/// An [`HttpClient`] that answers from a script and records every request; it never touches
/// the network.
///
/// Script it with:
/// - [`respond`](Self::respond) / [`respond_to`](Self::respond_to) /
///   [`fail`](Self::fail): the next answer in order, each used once; `respond_to` also
///   requires the request's method and path, and fails the call on a mismatch;
/// - [`always`](Self::always): a standing answer to every request with this method and path,
///   in any order and any number of times (reads that are polled, benchmarks).
///
/// A request is answered by the first `always` route it matches, else by the next answer in
/// order; with neither, its call fails with [`ReplayError::Unexpected`]. Share it with a client
/// through an `Arc`: `config.http_client(replay.clone())` with `replay: Arc<ReplayClient>`,
/// then read [`requests`](Self::requests) and call [`verify`](Self::verify) after the code
/// under test has run.
pub struct ReplayClient {
    state: Mutex<State>,
}

#[derive(Default)]
struct State {
    script: VecDeque<Step>,
    routes: Vec<Route>,
    requests: Vec<HttpRequest>,
    problems: Vec<ReplayError>,
    scripted: usize,
}

/// One answer in order, used once.
struct Step {
    expect: Option<(Method, String)>,
    reply: Reply,
}

/// A standing answer to one method and path.
struct Route {
    method: Method,
    path: String,
    response: HttpResponse,
}

enum Reply {
    Response(HttpResponse),
    Failure(HttpErrorKind, RequestSent),
}

impl Default for ReplayClient {
    fn default() -> Self {
        Self::new()
    }
}

impl fmt::Debug for ReplayClient {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let state = self.lock();
        f.debug_struct("ReplayClient")
            .field("answers_left", &state.script.len())
            .field("routes", &state.routes.len())
            .field("requests", &state.requests.len())
            .field("problems", &state.problems)
            .finish()
    }
}

impl ReplayClient {
    /// A client with an empty script: every request fails until answers are added.
    pub fn new() -> Self {
        Self {
            state: Mutex::new(State::default()),
        }
    }

    /// Adds the next answer in order, given to whatever request comes.
    pub fn respond(self, response: HttpResponse) -> Self {
        self.push(None, Reply::Response(response))
    }

    /// Adds the next answer in order, for a request with this method and URL path
    /// (`/`, `/v1/images/…/members`; the query is not compared). Another request gets
    /// [`ReplayError::Mismatch`] and uses up the answer.
    pub fn respond_to(
        self,
        method: Method,
        path: impl Into<String>,
        response: HttpResponse,
    ) -> Self {
        self.push(Some((method, path.into())), Reply::Response(response))
    }

    /// Adds the next answer in order: a transport failure of `kind`, as a dropped connection
    /// ([`HttpErrorKind::Io`]) or a timeout ([`HttpErrorKind::Timeout`]) would give, to test
    /// retries. `sent` says whether the request may have reached the server, which decides
    /// whether a mutating call is retried.
    pub fn fail(self, kind: HttpErrorKind, sent: RequestSent) -> Self {
        self.push(None, Reply::Failure(kind, sent))
    }

    /// Answers every request with this method and URL path with `response`, any number of
    /// times, before the answers in order are consulted.
    pub fn always(self, method: Method, path: impl Into<String>, response: HttpResponse) -> Self {
        self.lock().routes.push(Route {
            method,
            path: path.into(),
            response,
        });
        self
    }

    /// Every request received so far, in order, as handed to the client (signed headers
    /// included), also those that failed for want of an answer.
    pub fn requests(&self) -> Vec<HttpRequest> {
        self.lock().requests.clone()
    }

    /// How many answers in order are still unused.
    pub fn answers_left(&self) -> usize {
        self.lock().script.len()
    }

    /// Checks that the script went as planned: no request came unexpected or mismatched (even
    /// if the code under test swallowed the error it got), and every answer in order was used.
    ///
    /// # Errors
    ///
    /// The first unexpected or mismatched request, else [`ReplayError::Unused`].
    pub fn verify(&self) -> Result<(), ReplayError> {
        let state = self.lock();
        if let Some(problem) = state.problems.first() {
            return Err(problem.clone());
        }
        match state.script.front() {
            None => Ok(()),
            Some(next) => Err(ReplayError::Unused {
                count: state.script.len(),
                next: match &next.expect {
                    Some((method, path)) => format!("{method} {path}"),
                    None => "any request".to_owned(),
                },
            }),
        }
    }

    fn push(self, expect: Option<(Method, String)>, reply: Reply) -> Self {
        {
            let mut state = self.lock();
            state.script.push_back(Step { expect, reply });
            state.scripted += 1;
        }
        self
    }

    // A panic in another test thread must not hide this client's record.
    fn lock(&self) -> MutexGuard<'_, State> {
        self.state.lock().unwrap_or_else(PoisonError::into_inner)
    }

    fn answer(&self, request: HttpRequest) -> Result<HttpResponse, HttpError> {
        let mut state = self.lock();
        let number = state.requests.len() + 1;
        let method = request.method;
        let path = request.url.path().to_owned();
        let url = request.url.to_string();
        state.requests.push(request);

        let route = state
            .routes
            .iter()
            .find(|r| r.method == method && r.path == path);
        if let Some(route) = route {
            return Ok(route.response.clone());
        }
        let problem = match state.script.pop_front() {
            Some(Step {
                expect: Some((m, p)),
                ..
            }) if m != method || p != path => ReplayError::Mismatch {
                request: number,
                expected: format!("{m} {p}"),
                got: format!("{method} {path}"),
            },
            Some(Step { reply, .. }) => {
                return match reply {
                    Reply::Response(response) => Ok(response),
                    Reply::Failure(kind, sent) => Err(HttpError::new(
                        kind,
                        sent,
                        "a failure scripted on the ReplayClient",
                    )),
                };
            }
            None => ReplayError::Unexpected {
                request: number,
                method,
                url,
                scripted: state.scripted,
            },
        };
        state.problems.push(problem.clone());
        // `Request`: the runtime never retries it, so one stray request fails its call at once.
        Err(HttpError::new(
            HttpErrorKind::Request,
            RequestSent::No,
            "the ReplayClient has no answer for this request",
        )
        .with_source(problem))
    }
}

impl HttpClient for ReplayClient {
    fn send(
        &self,
        request: HttpRequest,
        _timeout: Option<Duration>,
    ) -> BoxFuture<'_, Result<HttpResponse, HttpError>> {
        let outcome = self.answer(request);
        Box::pin(std::future::ready(outcome))
    }
}

/// Why a [`ReplayClient`] refused a request, or why [`ReplayClient::verify`] failed.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum ReplayError {
    /// A request came when no `always` route matched it and every answer in order was used.
    #[error(
        "request #{request} ({method} {url}) has no answer: {scripted} answer(s) in order were \
         scripted and all are used, and no `always` route matches it"
    )]
    Unexpected {
        /// The request's number, from 1.
        request: usize,
        /// Its method.
        method: Method,
        /// Its URL.
        url: String,
        /// How many answers in order were scripted in all.
        scripted: usize,
    },
    /// The next answer in order was scripted for another method or path.
    #[error("request #{request} is {got}, but the next answer is scripted for {expected}")]
    Mismatch {
        /// The request's number, from 1.
        request: usize,
        /// The method and path the answer was scripted for.
        expected: String,
        /// The request's method and path.
        got: String,
    },
    /// Answers in order were scripted but never asked for: the code sent fewer requests than
    /// the test expected.
    #[error("{count} answer(s) in order were never used; the next is for {next}")]
    Unused {
        /// How many are left.
        count: usize,
        /// What the first of them was scripted for.
        next: String,
    },
}
