//! Requests sent without a signature, described by data. Some APIs take a few calls unsigned
//! (exchanging a workload's token for credentials) yet want a marker where the signature would
//! be, and the request time.

use std::time::SystemTime;

use super::{SignableRequest, Signer, SigningError, SigningInstructions, unix_seconds};
use crate::credentials::Credentials;

/// A signer that signs nothing: it adds `headers` as they are and, when `unix_time_header` is
/// set, the signing time in Unix seconds under that name. The credentials are not used.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Unsigned {
    /// Headers sent as they are (`Authorization: SKIP`, say).
    pub headers: &'static [(&'static str, &'static str)],
    /// The header carrying the request time, if the API checks it.
    pub unix_time_header: Option<&'static str>,
}

impl Signer for Unsigned {
    fn sign(
        &self,
        _request: &SignableRequest<'_>,
        _credentials: &Credentials,
        time: SystemTime,
    ) -> Result<SigningInstructions, SigningError> {
        let mut out = SigningInstructions::default();
        for (name, value) in self.headers {
            out.push(name, (*value).to_owned());
        }
        if let Some(name) = self.unix_time_header {
            out.push(name, unix_seconds(time)?.to_string());
        }
        Ok(out)
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;
    use std::time::{Duration, UNIX_EPOCH};
    use url::Url;

    #[test]
    fn adds_the_marker_and_the_time_and_no_signature() {
        // Catches a signature or the key id leaking into a request meant to carry none.
        let signer = Unsigned {
            headers: &[("Authorization", "SKIP")],
            unix_time_header: Some("X-Time"),
        };
        let url = Url::parse("https://sts.example.com/").unwrap();
        let request = SignableRequest::new("POST", &url, b"{}");
        let time = UNIX_EPOCH + Duration::from_secs(1_700_000_000);
        let out = signer
            .sign(&request, &Credentials::for_tests(), time)
            .unwrap();
        assert_eq!(out.header("Authorization"), Some("SKIP"));
        assert_eq!(out.header("X-Time"), Some("1700000000"));
        assert_eq!(out.headers().len(), 2);
        assert!(!format!("{:?}", out.headers()).contains("AKIDTEST"));
    }
}
