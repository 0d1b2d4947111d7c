//! NCP's envelopes and error classification.
//!
//! Whatever format was asked for, the body is decoded as what it is (Content-Type, then
//! sniffing: [`imgshare_core::decode::decode_root`]), JSON or XML alike:
//!
//! - success: one root `{action}Response` (not keyed on its name: NCP's docs show other roots
//!   for some actions) holding `returnCode` `0`;
//! - API error: root `responseError {returnCode, returnMessage}` (also `responseCode` /
//!   `responseMessage`, seen on a private site), at any status, **including 200**;
//!   a non-zero `returnCode` in a success-shaped root at 200 is an error too;
//! - gateway error: root `error {errorCode, message, details, requestId?}` → origin
//!   [`ErrorOrigin::Gateway`].
//!
//! Anything else at a non-200 status is a [`ResponseError`] classified by status (a 502 page
//! from a proxy stays retryable for reads).

use imgshare_core::client::unreadable;
use imgshare_core::decode::{self, lenient};
use imgshare_core::error::ServiceError;
use imgshare_core::{Error, ErrorOrigin, HttpResponse};
use serde::Deserialize;

use crate::error::{classify_api, classify_gateway};

/// Every field any envelope may carry, all optional.
#[derive(Deserialize, Default)]
struct Probe {
    #[serde(
        rename = "returnCode",
        alias = "responseCode",
        default,
        deserialize_with = "lenient::opt_string"
    )]
    return_code: Option<String>,
    #[serde(
        rename = "returnMessage",
        alias = "responseMessage",
        default,
        deserialize_with = "lenient::opt_string"
    )]
    return_message: Option<String>,
    #[serde(
        rename = "requestId",
        default,
        deserialize_with = "lenient::opt_string"
    )]
    request_id: Option<String>,
    #[serde(
        rename = "errorCode",
        default,
        deserialize_with = "lenient::opt_string"
    )]
    error_code: Option<String>,
    #[serde(rename = "message", default, deserialize_with = "lenient::opt_string")]
    message: Option<String>,
    #[serde(rename = "details", default, deserialize_with = "lenient::opt_string")]
    details: Option<String>,
}

fn gateway_error(response: &HttpResponse, probe: Probe) -> Error {
    let code = probe.error_code.unwrap_or_default();
    let mut error = ServiceError::new(
        code.as_str(),
        probe.message.unwrap_or_default(),
        response.status,
        classify_gateway(&code, response.status),
    )
    .with_origin(ErrorOrigin::Gateway)
    .with_request_id(probe.request_id);
    if let Some(details) = probe.details.filter(|d| !d.is_empty()) {
        error = error.with_detail("details", details);
    }
    Error::Service(error)
}

fn api_error(response: &HttpResponse, probe: Probe) -> Error {
    let code = probe.return_code.unwrap_or_default();
    Error::Service(
        ServiceError::new(
            code.as_str(),
            probe
                .return_message
                .unwrap_or_default()
                .trim_end()
                .to_owned(),
            response.status,
            classify_api(&code, response.status),
        )
        .with_request_id(probe.request_id),
    )
}

/// Tells a success from an error (see the module docs).
pub(crate) fn check(response: &HttpResponse) -> Result<(), Error> {
    match decode::decode_root::<Probe>(response.content_type(), &response.body) {
        Ok((root, probe)) if root == "error" && probe.error_code.is_some() => {
            Err(gateway_error(response, probe))
        }
        Ok((root, probe)) if root == "responseError" => Err(api_error(response, probe)),
        Ok((_, probe)) => match probe.return_code.as_deref() {
            Some(code) if code != "0" => Err(api_error(response, probe)),
            _ if response.status == 200 => Ok(()),
            _ => Err(unreadable(
                response,
                &[],
                format!("HTTP {} without an NCP error", response.status),
                None,
            )),
        },
        Err(e) => {
            let reason = if response.status == 200 {
                format!("not an NCP API response: {}", e.reason())
            } else {
                format!("HTTP {} and not an NCP API response", response.status)
            };
            Err(unreadable(response, &[], reason, Some(e)))
        }
    }
}
