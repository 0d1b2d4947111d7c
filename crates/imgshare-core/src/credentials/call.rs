//! Credentials from an operation call: a security-token service answering a role's temporary
//! keys. The provider crate declares the operation in its `api.toml` and says how the output
//! becomes [`Credentials`] ([`IntoCredentials`]); sending it at every refresh and turning its
//! failures into [`CredentialsError`]s is written here once.

use std::fmt;
use std::time::{SystemTime, UNIX_EPOCH};

use super::{BoxFuture, Credentials, CredentialsError, ProvideCredentials};
use crate::error::Error;
use crate::operation::{Execute, Operation};

/// An operation output that carries credentials (a security-token service's answer).
pub trait IntoCredentials {
    /// The credentials, their [`Credentials::source`] being `source`.
    ///
    /// # Errors
    ///
    /// When the answer's keys are empty or malformed.
    fn into_credentials(self, source: &'static str) -> Result<Credentials, CredentialsError>;
}

/// A failed call for credentials, as a credentials error naming `source` and `action`: the
/// service's refusal and bad settings are "invalid" (they stop a chain: the role the user asked
/// for cannot be had, and another identity must not be used instead); a transport failure is
/// "unreadable". A credentials failure of the call's own signing keys is passed on as it is.
pub fn call_failure(source: &str, action: &str, error: impl Into<Error>) -> CredentialsError {
    let error = error.into();
    match &error {
        Error::Credentials(inner) => inner.clone(),
        Error::Service(s) => CredentialsError::invalid(
            source,
            format!(
                "{action} failed: {}: {} (request id {})",
                s.code(),
                s.message(),
                s.request_id().unwrap_or("none")
            ),
        ),
        Error::InvalidInput(e) => CredentialsError::invalid(source, format!("{action}: {e}")),
        _ => CredentialsError::unreadable(source, format!("{action} failed: {error}")),
    }
}

/// Sends `Op` with `input` through `client` and reads the credentials in its answer.
///
/// # Errors
///
/// The call's failure as [`call_failure`] describes it, or the answer's as
/// [`IntoCredentials::into_credentials`] does.
pub async fn from_call<C, Op>(
    source: &'static str,
    client: &C,
    input: Op::Input,
) -> Result<Credentials, CredentialsError>
where
    C: Execute<Op>,
    C::Error: Into<Error>,
    Op: Operation,
    Op::Output: IntoCredentials,
{
    let output = client
        .execute(input)
        .await
        .map_err(|e| call_failure(source, Op::WIRE_NAME, e))?;
    output.into_credentials(source)
}

/// Credentials from one prepared call, sent again at every refresh (a client's identity cache
/// asks shortly before the answer's expiry). `Debug` shows the source, the operation, the input
/// and the client, which keep their secrets in [`SecretString`](crate::SecretString)s.
pub struct CallProvider<C, Op: Operation> {
    source: &'static str,
    client: C,
    input: Op::Input,
}

impl<C, Op: Operation> CallProvider<C, Op> {
    /// Sends `Op` with `input` through `client`; the credentials' source is `source`.
    pub fn new(source: &'static str, client: C, input: Op::Input) -> Self {
        Self {
            source,
            client,
            input,
        }
    }

    /// The input sent.
    pub fn input(&self) -> &Op::Input {
        &self.input
    }

    /// The client sending it.
    pub fn client(&self) -> &C {
        &self.client
    }
}

impl<C: fmt::Debug, Op: Operation> fmt::Debug for CallProvider<C, Op> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("CallProvider")
            .field("source", &self.source)
            .field("operation", &Op::NAME)
            .field("input", &self.input)
            .field("client", &self.client)
            .finish()
    }
}

impl<C, Op> ProvideCredentials for CallProvider<C, Op>
where
    C: Execute<Op> + fmt::Debug + Send + Sync,
    C::Error: Into<Error>,
    Op: Operation,
    Op::Input: Clone,
    Op::Output: IntoCredentials,
{
    fn provide_credentials(&self) -> BoxFuture<'_, Result<Credentials, CredentialsError>> {
        Box::pin(from_call::<C, Op>(
            self.source,
            &self.client,
            self.input.clone(),
        ))
    }
}

/// A role session name for this SDK, `imgshare-rust-sdk-<microseconds since 1970>`: the
/// services log it, so it says who asked, and it differs between sessions.
pub fn session_name() -> String {
    let micros = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map(|d| d.as_micros())
        .unwrap_or_default();
    format!("imgshare-rust-sdk-{micros}")
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;
    use crate::binding::{Body, HttpBinding, WireField};
    use crate::error::{DispatchError, ErrorKind, ServiceError};
    use crate::http::{HttpError, HttpErrorKind, Method, RequestSent};
    use crate::{CredentialsErrorKind, InvalidInput};

    /// An answer carrying keys.
    struct Keys(&'static str);
    impl IntoCredentials for Keys {
        fn into_credentials(self, source: &'static str) -> Result<Credentials, CredentialsError> {
            Credentials::new(self.0, "secret", None, source)
        }
    }

    struct GetKeys;
    impl Operation for GetKeys {
        const NAME: &'static str = "GetKeys";
        const WIRE_NAME: &'static str = "GetKeys";
        const BINDING: HttpBinding = HttpBinding {
            method: Method::Post,
            path: "/",
            body: Body::Json,
        };
        const IDEMPOTENT: bool = true;
        type Input = String;
        type Output = Keys;
        fn wire_fields(_input: &String) -> Vec<WireField> {
            Vec::new()
        }
    }

    /// Answers what the input names: keys, a refusal, a dropped connection, no source keys.
    #[derive(Debug)]
    struct Fake;
    impl Execute<GetKeys> for Fake {
        type Error = Error;
        async fn execute(&self, input: String) -> Result<Keys, Error> {
            let refused = ServiceError::new("RoleNotExist", "no role", 200, ErrorKind::Client);
            let dropped = HttpError::new(HttpErrorKind::Connect, RequestSent::No, "refused");
            match input.as_str() {
                "refuse" => Err(Error::Service(refused.with_request_id(Some("r-1".into())))),
                "drop" => Err(DispatchError {
                    source: dropped,
                    attempts: 3,
                }
                .into()),
                "no-source" => Err(CredentialsError::not_found("environment", "unset").into()),
                "bad" => Err(InvalidInput::new("role", "is empty").into()),
                _ => Ok(Keys("AKIDrole")),
            }
        }
    }

    async fn call(input: &str) -> Result<Credentials, CredentialsError> {
        CallProvider::<_, GetKeys>::new("sts", Fake, input.to_owned())
            .provide_credentials()
            .await
    }

    #[tokio::test]
    async fn an_answer_becomes_credentials_named_by_the_source() {
        let c = call("ok").await.unwrap();
        assert_eq!((c.access_id(), c.source()), ("AKIDrole", "sts"));
    }

    #[tokio::test]
    async fn failures_keep_their_meaning_for_a_chain() {
        // Catches a refusal or bad settings passed on as "not found" (a chain would then fall
        // through to another identity) and a transport failure reported as a refusal.
        let err = call("refuse").await.unwrap_err();
        assert_eq!(err.kind(), &CredentialsErrorKind::Invalid);
        let text = err.to_string();
        assert!(
            text.contains("GetKeys failed: RoleNotExist") && text.contains("r-1"),
            "{text}"
        );
        let err = call("bad").await.unwrap_err();
        assert_eq!(err.kind(), &CredentialsErrorKind::Invalid);
        assert_eq!(
            call("drop").await.unwrap_err().kind(),
            &CredentialsErrorKind::Unreadable
        );
        // The source's own failure is passed on as it is, naming the source.
        let err = call("no-source").await.unwrap_err();
        assert_eq!(err.source_name(), "environment");
    }
}
