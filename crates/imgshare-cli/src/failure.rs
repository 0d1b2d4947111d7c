//! Why a command failed: its class, which is the exit status, and its one-line message.

use std::process::ExitCode;

use imgshare::connect::ConnectError;
use imgshare::plan::PlanError;
use imgshare::{ErrorMetadata, SharingError};
use imgshare_core::Error;
use imgshare_scp::ScpError;
use imgshare_tencent::TencentError;
use serde::Serialize;

use crate::output::{OutputFormat, screen};

/// What kind of failure: its number is the exit status, its name the JSON `class`.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub(crate) enum Class {
    /// Anything else (e.g. stdout cannot be written).
    #[default]
    Other = 1,
    /// Bad arguments, a missing region, input rejected before sending.
    Usage = 2,
    /// The provider answered with an error code.
    Service = 3,
    /// The request could not be exchanged (connect, timeout, unreadable response).
    Network = 4,
    /// No usable credentials.
    Credentials = 5,
}

/// The class of an error of any provider.
impl From<&Error> for Class {
    fn from(e: &Error) -> Self {
        match e {
            Error::InvalidInput(_) => Class::Usage,
            Error::Credentials(_) => Class::Credentials,
            Error::Service(_) => Class::Service,
            Error::Timeout(_) | Error::Dispatch(_) | Error::Response(_) => Class::Network,
            _ => Class::Other,
        }
    }
}

/// A failed command.
#[derive(Debug, Default)]
pub(crate) struct Failure {
    class: Class,
    /// What failed, as the server and files said it: unscreened.
    what: String,
    /// What was applied before (`shared img-demo0001 with 100000000002`) and the step that
    /// then failed (`listing the shares`).
    applied: Option<(String, String)>,
    /// The provider's error, whose code, message, request id and hint the JSON shows.
    error: Option<Box<SharingError>>,
}

macro_rules! from_provider_error {
    ($($ty:ty),*) => {$(
        impl From<$ty> for Failure {
            fn from(e: $ty) -> Self {
                let error = SharingError::from(e);
                // The SDK's own line: the core error, NCP's gateway `details`, the hint.
                let (class, what) = (Class::from(error.as_core()), error.describe());
                Failure { class, what, error: Some(Box::new(error)), ..Failure::default() }
            }
        }
    )*};
}
from_provider_error!(TencentError, ScpError, SharingError);

/// A client that could not be built: bad settings (2) or credentials (5), naming the provider.
impl From<ConnectError> for Failure {
    fn from(e: ConnectError) -> Self {
        Failure::new(Class::from(e.error()), e.to_string())
    }
}

/// A plan that cannot be read or used (2), or whose providers cannot be connected.
impl From<PlanError> for Failure {
    fn from(e: PlanError) -> Self {
        match e {
            PlanError::Connect(e) => e.into(),
            e => Failure::usage(e.to_string()),
        }
    }
}

impl Failure {
    /// A failure of `class`, saying `what`.
    pub(crate) fn new(class: Class, what: impl Into<String>) -> Self {
        let what = what.into();
        Failure {
            class,
            what,
            ..Failure::default()
        }
    }

    /// Bad usage found after parsing (e.g. no region).
    pub(crate) fn usage(what: impl Into<String>) -> Self {
        Failure::new(Class::Usage, what)
    }

    /// Exit status 3 saying `message` when `failed` things failed (in a run that went on past
    /// them, whose output says which), else success.
    pub(crate) fn service_if_any(failed: usize, message: String) -> Result<(), Failure> {
        (failed == 0)
            .then_some(())
            .ok_or(Failure::new(Class::Service, message))
    }

    /// This failure, when `done` was applied before `step` began: the message says so first.
    pub(crate) fn after(mut self, done: &str, step: &str) -> Self {
        self.applied = Some(match self.applied {
            Some((first, step)) => (format!("{done}; {first}"), step),
            None => (done.to_owned(), step.to_owned()),
        });
        self
    }

    /// What failed (and what was applied first), on one line, unscreened.
    fn text(&self) -> String {
        one_line(&match &self.applied {
            Some((done, step)) => format!("{done}, but {step} failed: {}", self.what),
            None => self.what.clone(),
        })
    }

    /// The single line printed to stderr (without a trailing newline).
    fn line(&self) -> String {
        format!("error: {}", screen(&self.text()))
    }

    /// Prints the failure to stderr, as one JSON document with `--output json`, and returns
    /// the exit code.
    pub(crate) fn report_as(&self, output: OutputFormat) -> ExitCode {
        match output {
            OutputFormat::Text => eprintln!("{}", self.line()),
            OutputFormat::Json => eprintln!("{}", self.json()),
        }
        ExitCode::from(self.class as u8)
    }

    /// `{"error": {"exit_status", "class", "code", "message", "request_id", "hint",
    /// "description", "applied"}}`: `code`, `message`, `request_id` and `hint` are `null` unless
    /// the provider answered with an error; `description` is the text-mode line without
    /// `error: `; `applied` is set when something was done before the failure.
    fn json(&self) -> serde_json::Value {
        let error = self.error.as_deref();
        let service = error.and_then(|e| e.service_error());
        serde_json::json!({"error": {
            "exit_status": self.class as u8,
            "class": self.class,
            "code": service.map(|s| s.code()),
            "message": service.map(|s| one_line(s.message())),
            "request_id": service.and_then(|s| s.request_id()),
            "hint": error.and_then(|e| e.hint()),
            "description": screen(&self.text()),
            "applied": self.applied.as_ref().map(|a| &a.0),
        }})
    }
}

/// Folds line breaks so the message stays on one line whatever the server sent.
fn one_line(text: &str) -> String {
    text.split(['\r', '\n'])
        .map(str::trim)
        .filter(|part| !part.is_empty())
        .collect::<Vec<_>>()
        .join(" ")
}

#[cfg(test)]
mod tests {
    use imgshare_core::{ErrorKind, InvalidInput, ServiceError};
    use imgshare_ncloud::NcloudError;

    use super::*;

    #[test]
    fn service_errors_print_code_message_and_request_id() {
        let e = TencentError::from(Error::Service(
            ServiceError::new(
                "AuthFailure.SignatureFailure",
                "The provided credentials could not be validated.\nCheck the key.",
                200,
                ErrorKind::Client,
            )
            .with_request_id(Some("req-1".into())),
        ));
        let failure = Failure::from(e);
        assert_eq!(failure.class, Class::Service);
        assert_eq!(
            failure.line(),
            "error: service error: AuthFailure.SignatureFailure: The provided credentials could \
             not be validated. Check the key. (request id req-1); hint: check the secret key \
             (TENCENTCLOUD_SECRET_KEY or the profile's secret_key) for typos or stray spaces"
        );
    }

    /// Fails if an answer without a request id prints "(request id none)".
    #[test]
    fn no_request_id_is_left_out() {
        let e = NcloudError::from(imgshare_core::Error::Service(ServiceError::new(
            "300",
            "Not Found",
            404,
            ErrorKind::Client,
        )));
        let line = Failure::from(SharingError::from(e)).line();
        assert!(!line.contains("request id"), "{line}");
        assert!(
            line.starts_with("error: service error: 300: Not Found"),
            "{line}"
        );
    }

    /// Fails if the line loses NCP's gateway `details` or the clock skew the answer showed
    /// (the line is the core error's text, plus what only the CLI adds).
    #[test]
    fn gateway_details_and_clock_skew_are_kept() {
        let gateway = ServiceError::new("200", "Authentication Failed", 401, ErrorKind::Client)
            .with_origin(imgshare_core::ErrorOrigin::Gateway)
            .with_detail("details", "Invalid authentication information.");
        let line = Failure::from(SharingError::from(NcloudError::from(Error::Service(
            gateway,
        ))))
        .line();
        assert!(
            line.starts_with(
                "error: service error: 200: Authentication Failed (Invalid authentication \
                 information.)"
            ),
            "{line}"
        );
        let skewed = ServiceError::new(
            "AuthFailure.SignatureExpire",
            "expired",
            200,
            ErrorKind::Client,
        )
        .with_clock_skew_secs(400);
        let line = Failure::from(TencentError::from(Error::Service(skewed))).line();
        assert!(line.contains("the local clock is 400 s behind"), "{line}");
        assert!(line.contains("; hint: "), "{line}");
    }

    #[test]
    fn invalid_input_is_a_usage_error() {
        let e = TencentError::from(InvalidInput::new("image_id", "is bad"));
        let failure = Failure::from(e).after("shared img-demo0001 with 1", "listing the shares");
        assert_eq!(failure.class, Class::Usage);
        assert!(
            failure
                .line()
                .starts_with("error: shared img-demo0001 with 1, but listing")
        );
    }
}
