//! Why a command failed, its exit status and its one-line message.

use std::process::ExitCode;

use imgshare::{ErrorMetadata, SharingError};
use imgshare_core::Error;
use imgshare_ncloud::NcloudError;
use imgshare_scp::ScpError;
use imgshare_tencent::TencentError;

use crate::output::{OutputFormat, screen};

/// Exit status: a usage error (bad arguments, missing region, input rejected before sending).
pub(crate) const EXIT_USAGE: u8 = 2;
/// Exit status: the provider answered with an error code.
pub(crate) const EXIT_SERVICE: u8 = 3;
/// Exit status: the request could not be exchanged (connect, timeout, unreadable response).
pub(crate) const EXIT_NETWORK: u8 = 4;
/// Exit status: no usable credentials.
pub(crate) const EXIT_CREDENTIALS: u8 = 5;
/// Exit status: anything else.
pub(crate) const EXIT_OTHER: u8 = 1;

/// The JSON `class` of each exit status, by number.
const CLASSES: [&str; 6] = [
    "other",
    "other",
    "usage",
    "service",
    "network",
    "credentials",
];

/// A failed command.
#[derive(Debug)]
pub(crate) enum Failure {
    /// Bad usage found after parsing (e.g. no region).
    Usage(String),
    /// Any other failure, with its exit status.
    Other(u8, String),
    /// An operation of any provider failed. When something was applied first, `applied` says
    /// what (`shared img-demo0001 with 100000000002`) and which step then failed (`listing the
    /// shares`).
    Provider {
        applied: Option<(String, String)>,
        error: Box<SharingError>,
    },
}

macro_rules! from_provider_error {
    ($($ty:ty),*) => {$(
        impl From<$ty> for Failure {
            fn from(e: $ty) -> Self {
                Failure::Provider { applied: None, error: Box::new(e.into()) }
            }
        }
    )*};
}
from_provider_error!(TencentError, NcloudError, ScpError, SharingError);

/// A client that could not be built: bad settings (2) or credentials (5), naming the provider.
impl From<imgshare::connect::ConnectError> for Failure {
    fn from(e: imgshare::connect::ConnectError) -> Self {
        Failure::Other(status_of(e.error()), e.to_string())
    }
}

impl Failure {
    /// `applied` was done, then `step` failed with `error`.
    pub(crate) fn partial(
        applied: impl Into<String>,
        step: impl Into<String>,
        error: impl Into<SharingError>,
    ) -> Self {
        let applied = Some((applied.into(), step.into()));
        let error = Box::new(error.into());
        Failure::Provider { applied, error }
    }

    /// This failure, when `done` was applied before `step` began: the message says so first.
    pub(crate) fn after(self, done: &str, step: &str) -> Self {
        match self {
            Failure::Provider { applied, error } => {
                let (applied, step) = match applied {
                    Some((first, step)) => (format!("{done}; {first}"), step),
                    None => (done.to_owned(), step.to_owned()),
                };
                Failure::partial(applied, step, *error)
            }
            other => Failure::Other(
                other.exit_status(),
                format!("{done}, but {step} failed: {}", other.text()),
            ),
        }
    }

    /// The process exit status.
    pub(crate) fn exit_status(&self) -> u8 {
        match self {
            Failure::Usage(_) => EXIT_USAGE,
            Failure::Provider { error, .. } => status_of(error.as_core()),
            Failure::Other(status, _) => *status,
        }
    }

    /// What failed (and what was applied first), as the server and files said it: unscreened.
    fn text(&self) -> String {
        match self {
            Failure::Usage(m) | Failure::Other(_, m) => m.clone(),
            Failure::Provider { applied, error } => match applied {
                Some((done, step)) => format!("{done}, but {step} failed: {}", describe(error)),
                None => describe(error),
            },
        }
    }

    /// The single line printed to stderr (without a trailing newline).
    pub(crate) fn line(&self) -> String {
        format!("error: {}", screen(&one_line(&self.text())))
    }

    /// Prints the failure to stderr, as one JSON document with `--output json`, and returns
    /// the exit code.
    pub(crate) fn report_as(&self, output: OutputFormat) -> ExitCode {
        match output {
            OutputFormat::Text => eprintln!("{}", self.line()),
            OutputFormat::Json => eprintln!("{}", self.json()),
        }
        ExitCode::from(self.exit_status())
    }

    /// `{"error": {"exit_status", "class", "code", "message", "request_id", "hint",
    /// "description", "applied"}}`: `code`, `message`, `request_id` and `hint` are `null` unless
    /// the provider answered with an error; `description` is the text-mode line without
    /// `error: `; `applied` is set when something was done before the failure.
    pub(crate) fn json(&self) -> serde_json::Value {
        let status = self.exit_status();
        let (error, applied) = match self {
            Failure::Provider { applied, error } => (Some(error), applied.as_ref().map(|a| &a.0)),
            _ => (None, None),
        };
        let service = error.and_then(|e| e.service_error());
        serde_json::json!({"error": {
            "exit_status": status,
            "class": CLASSES.get(usize::from(status)).unwrap_or(&"other"),
            "code": service.map(|s| s.code()),
            "message": service.map(|s| one_line(s.message())),
            "request_id": service.and_then(|s| s.request_id()),
            "hint": error.and_then(|e| e.hint()),
            "description": screen(&one_line(&self.text())),
            "applied": applied,
        }})
    }
}

/// The exit status for an error of any provider.
fn status_of(e: &Error) -> u8 {
    match e {
        Error::InvalidInput(_) => EXIT_USAGE,
        Error::Credentials(_) => EXIT_CREDENTIALS,
        Error::Service(_) => EXIT_SERVICE,
        Error::Timeout(_) | Error::Dispatch(_) | Error::Response(_) => EXIT_NETWORK,
        _ => EXIT_OTHER,
    }
}

/// The core error's own text (for service errors `service error: <code>: <message>[ (request
/// id <id>)]`, with the clock skew the answer showed), then NCP's gateway `details` when sent,
/// then the provider's hint (`; hint: …`).
fn describe(e: &SharingError) -> String {
    let details = e.service_error().and_then(|s| s.detail("details"));
    let details = details.map(|d| format!(" ({d})")).unwrap_or_default();
    let hint = e.hint().map(|h| format!("; hint: {h}")).unwrap_or_default();
    format!("{}{details}{hint}", e.as_core())
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
        assert_eq!(failure.exit_status(), EXIT_SERVICE);
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
        let e = imgshare_ncloud::NcloudError::from(imgshare_core::Error::Service(
            ServiceError::new("300", "Not Found", 404, ErrorKind::Client),
        ));
        let line = Failure::from(e).line();
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
        let line = Failure::from(NcloudError::from(Error::Service(gateway))).line();
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
        let failure = Failure::partial("shared img-demo0001 with 1", "listing the shares", e);
        assert_eq!(failure.exit_status(), EXIT_USAGE);
        assert!(
            failure
                .line()
                .starts_with("error: shared img-demo0001 with 1, but listing")
        );
    }
}
