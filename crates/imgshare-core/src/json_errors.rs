//! Errors answered inside a JSON envelope, described by data: where the error object sits, and
//! which of its members hold the code, the message and the request id. A provider whose API
//! answers `{"Response": {"Error": {"Code", "Message"}, "RequestId"}}` declares one
//! [`JsonErrors`] constant and calls [`JsonErrors::check`] from its
//! [`Protocol::check`](crate::Protocol::check).
//!
//! The body decides, whatever the status and Content-Type say: such APIs answer errors with
//! HTTP 200, and some clients miss errors sent as `application/json; charset=utf-8`.

use serde_json::Value;

use crate::client::{header_request_id, unreadable};
use crate::decode::{self, DecodeError, Format};
use crate::error::{Error, ErrorKind, ServiceError};
use crate::http::HttpResponse;

/// Where a provider's JSON answers keep their error.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct JsonErrors {
    /// The provider's name in reasons: "not a `provider` API response".
    pub provider: &'static str,
    /// The member wrapping every answer (`Response`), or `None` when the parts are top-level.
    pub member: Option<&'static str>,
    /// The member holding the error object; an answer is an error when it is present.
    pub error: &'static str,
    /// The error object's code (empty when absent).
    pub code: &'static str,
    /// The error object's message (empty when absent).
    pub message: &'static str,
    /// The request id, beside the error object.
    pub request_id: &'static str,
}

/// An error's code, message and request id.
type Found = (String, String, Option<String>);

impl JsonErrors {
    /// Tells a success from an error: an error object is an [`Error::Service`] classified by
    /// `classify` (its request id from the body, else from the first of `request_id_headers`);
    /// no error object at HTTP 200 is a success; anything else is an unreadable response,
    /// classified by its status (a 5xx page from a proxy stays retryable for reads).
    ///
    /// # Errors
    ///
    /// The service error, or the unreadable response.
    pub fn check(
        &self,
        response: &HttpResponse,
        request_id_headers: &[&str],
        classify: fn(&str) -> ErrorKind,
    ) -> Result<(), Error> {
        let body = &response.body;
        let found =
            decode::decode_as::<Value>(Format::Json, body).and_then(|v| self.find(&v, body));
        let provider = self.provider;
        match found {
            Ok(Some((code, message, request_id))) => {
                let kind = classify(&code);
                let request_id =
                    request_id.or_else(|| header_request_id(response, request_id_headers));
                let error = ServiceError::new(code, message, response.status, kind);
                Err(Error::Service(error.with_request_id(request_id)))
            }
            Ok(None) if response.status == 200 => Ok(()),
            Ok(None) => Err(unreadable(
                response,
                request_id_headers,
                format!("HTTP {} without a {provider} error", response.status),
                None,
            )),
            Err(e) => {
                let reason = if response.status == 200 {
                    format!("not a {provider} API response: {}", e.reason())
                } else {
                    format!("HTTP {} and not a {provider} API response", response.status)
                };
                Err(unreadable(response, request_id_headers, reason, Some(e)))
            }
        }
    }

    /// The error in `doc`, if any; a document not shaped like the envelope is a decode error.
    fn find(&self, doc: &Value, body: &[u8]) -> Result<Option<Found>, DecodeError> {
        let shape = |reason: String| DecodeError::new(Some(Format::Json), reason, body);
        let answer = match self.member {
            Some(member) => doc
                .get(member)
                .ok_or_else(|| shape(format!("missing field `{member}`")))?,
            None => doc,
        };
        let object = |value: &Value, what: &str| {
            if value.is_object() {
                Ok(())
            } else {
                Err(shape(format!("`{what}` is not an object")))
            }
        };
        object(answer, self.member.unwrap_or("the body"))?;
        let Some(error) = answer.get(self.error).filter(|e| !e.is_null()) else {
            return Ok(None);
        };
        object(error, self.error)?;
        let text = |value: &Value, key: &str| match value.get(key) {
            None | Some(Value::Null) => Ok(None),
            Some(Value::String(s)) => Ok(Some(s.clone())),
            Some(_) => Err(shape(format!("`{key}` is not a string"))),
        };
        Ok(Some((
            text(error, self.code)?.unwrap_or_default(),
            text(error, self.message)?.unwrap_or_default(),
            text(answer, self.request_id)?,
        )))
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;
    use crate::error::ErrorKind;

    const ERRORS: JsonErrors = JsonErrors {
        provider: "Example",
        member: Some("Response"),
        error: "Error",
        code: "Code",
        message: "Message",
        request_id: "RequestId",
    };

    fn check(status: u16, body: &str) -> Result<(), Error> {
        let response = HttpResponse::new(status).with_body(body);
        let classify = |code: &str| {
            if code == "Throttled" {
                ErrorKind::Throttling
            } else {
                ErrorKind::Client
            }
        };
        ERRORS.check(&response, &["x-request-id"], classify)
    }

    #[test]
    fn an_error_object_is_an_error_at_any_status() {
        // Catches trusting HTTP 200, which such APIs answer errors with.
        let body = r#"{"Response":{"Error":{"Code":"Throttled","Message":"slow down"},"RequestId":"r-1"}}"#;
        for status in [200, 400, 503] {
            let Err(Error::Service(e)) = check(status, body) else {
                panic!("expected a service error at {status}");
            };
            assert_eq!((e.code(), e.message()), ("Throttled", "slow down"));
            assert_eq!(e.request_id(), Some("r-1"));
            assert_eq!(e.kind(), ErrorKind::Throttling);
        }
    }

    #[test]
    fn success_only_at_200_and_other_bodies_are_unreadable() {
        assert!(check(200, r#"{"Response":{"RequestId":"r-2","Error":null}}"#).is_ok());
        // Catches a success without the error object taken at any status.
        let err = check(502, r#"{"Response":{"RequestId":"r-3"}}"#).unwrap_err();
        assert!(err.to_string().contains("without a Example error"), "{err}");
        for body in [
            "<html>",
            "[]",
            r#"{"Other":{}}"#,
            r#"{"Response":{"Error":"x"}}"#,
        ] {
            let err = check(200, body).unwrap_err();
            assert!(matches!(err, Error::Response(_)), "{body}: {err:?}");
            assert!(
                err.to_string().contains("not a Example API response"),
                "{err}"
            );
        }
    }
}
