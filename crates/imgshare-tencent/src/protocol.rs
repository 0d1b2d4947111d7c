//! Tencent's envelopes: `{"Response": {..., "RequestId"}}` on success and
//! `{"Response": {"Error": {"Code", "Message"}, "RequestId"}}` on failure, both with HTTP 200.
//! Always look for `Response.Error`, whatever the status and Content-Type say (the Python SDK
//! misses errors sent as `application/json; charset=utf-8`).

use imgshare_core::client::{Protocol, header_request_id, unreadable};
use imgshare_core::decode::{self, DecodeError};
use imgshare_core::error::ServiceError;
use imgshare_core::{Error, HttpResponse};
use serde::Deserialize;

use crate::Config;

use crate::error::classify_code;

#[derive(Deserialize)]
struct Envelope<T> {
    #[serde(rename = "Response")]
    response: T,
}

#[derive(Deserialize)]
struct ErrorProbe {
    #[serde(rename = "Error")]
    error: Option<ErrorDetail>,
    #[serde(rename = "RequestId")]
    request_id: Option<String>,
}

#[derive(Deserialize)]
struct ErrorDetail {
    #[serde(rename = "Code", default)]
    code: String,
    #[serde(rename = "Message", default)]
    message: String,
}

const HEADERS: &[&str] = Config::REQUEST_ID_HEADERS;

/// Tells a success from an error (see the module docs).
pub(crate) fn check(response: &HttpResponse) -> Result<(), Error> {
    let probe: Result<Envelope<ErrorProbe>, DecodeError> =
        decode::decode_as(decode::Format::Json, &response.body);
    match probe {
        Ok(Envelope {
            response:
                ErrorProbe {
                    error: Some(e),
                    request_id,
                },
        }) => Err(Error::Service(
            ServiceError::new(
                e.code.as_str(),
                e.message,
                response.status,
                classify_code(&e.code),
            )
            .with_request_id(request_id.or_else(|| header_request_id(response, HEADERS))),
        )),
        Ok(_) if response.status == 200 => Ok(()),
        Ok(_) => Err(unreadable(
            response,
            HEADERS,
            format!("HTTP {} without a Tencent error", response.status),
            None,
        )),
        Err(e) => {
            let reason = if response.status == 200 {
                format!("not a Tencent API response: {}", e.reason())
            } else {
                format!("HTTP {} and not a Tencent API response", response.status)
            };
            // Classified by status: a 5xx page from a proxy stays retryable for reads.
            Err(unreadable(response, HEADERS, reason, Some(e)))
        }
    }
}
