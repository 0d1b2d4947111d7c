//! The one client path every provider runs on: build → encode → invoke → check → decode.
//!
//! A provider describes its differences once, as a [`Protocol`] implemented by its `Config`
//! (signer, the fields and headers every call carries, how a success is told from an error,
//! where the output sits in the body, how lists are numbered). Its generated `Client` wraps a
//! [`ServiceClient`] and adds one accessor per operation; nothing else of the path is written
//! per provider. The anchor is aws-smithy-runtime's orchestrator: one generic operation path,
//! thin service crates.

use std::fmt;
use std::sync::Arc;

use serde::de::DeserializeOwned;
use url::Url;

use crate::binding::{WireField, encode_request};
use crate::config::ClientConfig;
use crate::credentials::ProvideCredentials;
use crate::decode::{self, DecodeError};
use crate::error::{Error, ResponseError};
use crate::http::HttpResponse;
use crate::operation::Operation;
use crate::runtime::{OperationCall, Runtime};
use crate::sign::Signer;
use crate::wire::ListBase;

/// Where a successful operation's output sits in the response body.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum OutputShape {
    /// The whole body is the output (SCP).
    Body,
    /// The output is this member of a top-level object (Tencent's `Response`).
    Member(&'static str),
    /// The output is the content of the document's single root, whatever it is named: JSON
    /// `{"fooResponse": {…}}` or XML `<fooResponse>…</fooResponse>` (NCP).
    Root,
}

/// What a provider tells the client about itself; implemented by the provider's `Config`.
pub trait Protocol: fmt::Debug + Send + Sync + 'static {
    /// A short name for logs: `tencent`, `ncloud`, `scp`.
    const PROVIDER: &'static str;
    /// Appended to the `User-Agent`: the provider crate's `name/version`.
    const USER_AGENT: &'static str;
    /// How `name.N` list indexes start in queries and forms.
    const LIST_BASE: ListBase;
    /// Where the output sits in a successful body.
    const OUTPUT: OutputShape;
    /// Response headers that carry a request id when the body has none, in order.
    const REQUEST_ID_HEADERS: &'static [&'static str];

    /// The settings every provider shares.
    fn shared(&self) -> &ClientConfig;

    /// The base URL requests go to.
    fn endpoint(&self) -> &Url;

    /// The signer, built once per client.
    fn signer(&self) -> Arc<dyn Signer>;

    /// The credentials used when the config names none: the provider's default chain.
    fn default_credentials(&self) -> Arc<dyn ProvideCredentials>;

    /// Adds the fields and headers every call of `Op` carries (a `Location::Header` field is
    /// a header). The default adds nothing.
    fn common_fields<Op: Operation>(&self, fields: &mut Vec<WireField>) {
        let _ = fields;
    }

    /// Tells a success from an error: `Ok(())`, or an [`Error::Service`] or
    /// [`Error::Response`] whose kind drives the retry decision.
    fn check(&self, response: &HttpResponse) -> Result<(), Error>;
}

/// The request id a response's headers carry, from the first of `headers` present.
pub fn header_request_id(response: &HttpResponse, headers: &[&str]) -> Option<String> {
    headers
        .iter()
        .find_map(|h| response.header(h))
        .map(str::to_owned)
}

/// An unreadable-response error for `response`: its status, an excerpt of its body, the
/// request id from `headers`, and the decode error behind it.
pub fn unreadable(
    response: &HttpResponse,
    headers: &[&str],
    reason: String,
    cause: Option<DecodeError>,
) -> Error {
    let error = ResponseError::from_response(response, reason)
        .with_request_id(header_request_id(response, headers));
    Error::Response(match cause {
        Some(cause) => error.with_decode_error(cause),
        None => error,
    })
}

/// Decodes a successful response's output as `shape` says, JSON or XML alike; an empty body
/// (a 204) becomes a unit output.
///
/// # Errors
///
/// An unreadable-response error naming what was wrong with the body.
pub fn decode_output<T: DeserializeOwned>(
    response: &HttpResponse,
    shape: OutputShape,
    request_id_headers: &[&str],
) -> Result<T, Error> {
    let content_type = response.content_type();
    let body = &response.body[..];
    let decoded = match shape {
        OutputShape::Body => decode::decode_output::<T>(content_type, body),
        OutputShape::Root => decode::decode_root::<T>(content_type, body).map(|(_, v)| v),
        OutputShape::Member(name) => decode::decode_member::<T>(content_type, body, name),
    };
    decoded.map_err(|e| {
        let reason = format!("unexpected response shape: {}", e.reason());
        unreadable(response, request_id_headers, reason, Some(e))
    })
}

/// The generic client a provider's generated `Client` wraps: one per account and endpoint;
/// cheap to clone.
pub struct ServiceClient<P> {
    inner: Arc<Inner<P>>,
}

struct Inner<P> {
    config: P,
    runtime: Runtime,
}

impl<P> Clone for ServiceClient<P> {
    fn clone(&self) -> Self {
        Self {
            inner: self.inner.clone(),
        }
    }
}

impl<P: fmt::Debug> fmt::Debug for ServiceClient<P> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ServiceClient")
            .field("config", &self.inner.config)
            .field("runtime", &self.inner.runtime)
            .finish()
    }
}

impl<P: Protocol> ServiceClient<P> {
    /// A client for `config`: the runtime (HTTP client, identity cache, retries, timeouts)
    /// is built from its shared settings.
    ///
    /// # Errors
    ///
    /// When the default HTTP client cannot be built.
    pub fn new(config: P) -> Result<Self, Error> {
        let shared = config.shared();
        let credentials = shared
            .credentials()
            .cloned()
            .unwrap_or_else(|| config.default_credentials());
        let user_agent = match shared.user_agent_suffix() {
            Some(extra) => format!("{} {extra}", P::USER_AGENT),
            None => P::USER_AGENT.to_owned(),
        };
        let mut builder = Runtime::builder(P::PROVIDER, credentials, config.signer())
            .user_agent_suffix(user_agent)
            .retry(shared.retry().clone())
            .timeouts(shared.timeouts().clone());
        if let Some(http) = shared.http_client() {
            builder = builder.http_client(http.clone());
        }
        if let Some(clock) = shared.clock() {
            builder = builder.clock(clock.clone());
        }
        if let Some(limit) = shared.max_response_bytes() {
            builder = builder.max_response_bytes(limit);
        }
        builder = builder.no_proxy(shared.no_proxy());
        Ok(Self {
            inner: Arc::new(Inner {
                runtime: builder.build()?,
                config,
            }),
        })
    }

    /// The client's settings.
    pub fn config(&self) -> &P {
        &self.inner.config
    }

    /// The runtime every call runs through.
    pub fn runtime(&self) -> &Runtime {
        &self.inner.runtime
    }

    /// Encodes, signs, sends (with retries) and checks `Op`, then decodes its output.
    ///
    /// # Errors
    ///
    /// Bad input (before anything is sent), and every error class of [`Error`].
    pub async fn execute<Op>(&self, input: &Op::Input) -> Result<Op::Output, Error>
    where
        Op: Operation,
        Op::Output: DeserializeOwned,
    {
        let config = &self.inner.config;
        let mut fields = Op::wire_fields(input);
        config.common_fields::<Op>(&mut fields);
        let request = encode_request(config.endpoint(), &Op::BINDING, &fields, P::LIST_BASE)?;
        let call = OperationCall {
            name: Op::WIRE_NAME,
            idempotent: Op::IDEMPOTENT,
            request,
        };
        let check = |response: &HttpResponse| config.check(response);
        let response = self.inner.runtime.invoke(call, &check).await?;
        decode_output(&response, P::OUTPUT, P::REQUEST_ID_HEADERS)
    }
}
