//! Credentials and the providers that resolve them.
//!
//! Credentials are explicit per client (one client per account is the cross-account use case).
//! [`CredentialsChain`] tries several providers in order and, when all fail, says which source
//! failed and why.
//!
//! The sources every provider crate has are written here once and described by data in each
//! provider crate: [`EnvironmentProvider`] ([`EnvSpec`]), [`ProfileFileProvider`]
//! ([`ProfileFileSpec`], INI or JSON), [`MetadataProvider`] ([`MetadataSpec`], an instance
//! metadata service) and [`WebIdentityProvider`] ([`WebIdentitySpec`], a workload's token
//! exchanged at the provider's token service), and [`AssumeRoleProvider`] ([`AssumeRoleSpec`],
//! a role taken with another source's credentials). Each reads the environment and finds the
//! home directory through an [`Env`], which tests replace. A security-token service's answer
//! becomes credentials through [`CallProvider`] ([`IntoCredentials`]).

use std::fmt;
use std::future::Future;
use std::pin::Pin;
use std::sync::Arc;
use std::time::SystemTime;

use crate::secret::SecretString;

mod assume_role;
mod call;
mod env;
mod environment;
mod file;
mod ini;
mod metadata;
mod profile;
mod web_identity;

pub use assume_role::{
    AssumeRoleProvider, AssumeRoleProviderBuilder, AssumeRoleSpec, DescribeAssumeRole, RoleSession,
};
pub use call::{CallProvider, IntoCredentials, call_failure, from_call, session_name};
pub use env::Env;
pub use environment::{DescribeEnv, EnvSpec, EnvironmentProvider};
pub use file::{
    MAX_FILE_BYTES, read_config_file, read_credentials_file, read_file_off_thread, read_json_file,
    read_token_file,
};
pub use metadata::{
    DescribeMetadata, ExpiryFormat, MetadataProvider, MetadataSession, MetadataSpec, RoleName,
};
pub use profile::{DescribeProfileFile, FileFormat, ProfileFileProvider, ProfileFileSpec};
pub use web_identity::{
    DescribeWebIdentity, WebIdentityProvider, WebIdentitySpec, WebIdentityVars,
};

/// A boxed, sendable future, as returned by the object-safe traits of this crate.
pub type BoxFuture<'a, T> = Pin<Box<dyn Future<Output = T> + Send + 'a>>;

/// An access id, its secret and an optional session token.
///
/// `Debug` shows the access id and the source but never the secret or the token.
#[derive(Clone, PartialEq, Eq)]
pub struct Credentials {
    access_id: String,
    secret: SecretString,
    session_token: Option<SecretString>,
    source: &'static str,
    expiry: Option<SystemTime>,
}

/// Why an access id is refused: it holds a control character.
const CONTROL_IN_ACCESS_ID: &str = "the access id holds a line break or another control character";
/// Why a secret is refused: it holds a control character.
const CONTROL_IN_SECRET: &str = "the secret holds a line break or another control character";
/// Why a session token is refused: it holds a control character.
const CONTROL_IN_TOKEN: &str = "the session token holds a line break or another control character";

/// Whether `text` holds a character no key, secret or token has: CR, LF, tab, NUL, DEL, …
pub(crate) fn has_control(text: &str) -> bool {
    text.chars().any(char::is_control)
}

impl Credentials {
    /// Builds credentials, checking that neither the access id nor the secret is empty or padded
    /// with white space (a common copy-paste mistake that otherwise surfaces as a signature
    /// failure on the server), and that none of the three holds a control character (a CR or LF
    /// pasted inside would otherwise fail as an unsendable header, a transport error).
    pub fn new(
        access_id: impl Into<String>,
        secret: impl Into<SecretString>,
        session_token: Option<SecretString>,
        source: &'static str,
    ) -> Result<Self, CredentialsError> {
        let access_id = access_id.into();
        let secret = secret.into();
        let invalid = |reason: &str| CredentialsError::invalid(source, reason);
        if access_id.is_empty() {
            return Err(invalid("the access id is empty"));
        }
        if access_id.trim() != access_id {
            return Err(invalid("the access id has leading or trailing white space"));
        }
        if secret.is_empty() {
            return Err(invalid("the secret is empty"));
        }
        if secret.expose_secret().trim() != secret.expose_secret() {
            return Err(invalid("the secret has leading or trailing white space"));
        }
        if has_control(&access_id) {
            return Err(invalid(CONTROL_IN_ACCESS_ID));
        }
        if has_control(secret.expose_secret()) {
            return Err(invalid(CONTROL_IN_SECRET));
        }
        let session_token = session_token.filter(|t| !t.is_empty());
        if session_token
            .as_ref()
            .is_some_and(|t| has_control(t.expose_secret()))
        {
            return Err(invalid(CONTROL_IN_TOKEN));
        }
        Ok(Self {
            access_id,
            secret,
            session_token,
            source,
            expiry: None,
        })
    }

    /// Sets when temporary credentials stop working; the [`IdentityCache`](crate::IdentityCache)
    /// refreshes them shortly before.
    pub fn with_expiry(mut self, expiry: SystemTime) -> Self {
        self.expiry = Some(expiry);
        self
    }

    /// When these credentials stop working; `None` for long-lived keys.
    pub fn expiry(&self) -> Option<SystemTime> {
        self.expiry
    }

    /// The access id (Tencent SecretId, NCP access key, SCP access key).
    pub fn access_id(&self) -> &str {
        &self.access_id
    }

    /// The secret (Tencent SecretKey, NCP/SCP secret key).
    pub fn secret(&self) -> &SecretString {
        &self.secret
    }

    /// The session token of temporary credentials, if any.
    pub fn session_token(&self) -> Option<&SecretString> {
        self.session_token.as_ref()
    }

    /// Where these credentials came from, e.g. `"static"` or `"environment"`.
    pub fn source(&self) -> &'static str {
        self.source
    }

    /// Credentials for tests and examples: access id `AKIDTEST`, secret `test-secret`.
    #[cfg(any(test, feature = "test-util"))]
    pub fn for_tests() -> Self {
        Self {
            access_id: "AKIDTEST".into(),
            secret: SecretString::new("test-secret"),
            session_token: None,
            source: "test",
            expiry: None,
        }
    }
}

impl fmt::Debug for Credentials {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Credentials")
            .field("access_id", &self.access_id)
            .field("secret", &self.secret)
            .field("session_token", &self.session_token)
            .field("source", &self.source)
            .field("expiry", &self.expiry)
            .finish()
    }
}

/// Why credentials could not be had.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum CredentialsErrorKind {
    /// The source has nothing (variable unset, file absent): a chain moves on to the next source.
    NotFound,
    /// The source has credentials, but they are unusable (empty, malformed): a chain stops here.
    Invalid,
    /// The source could not be read (I/O error, unreadable file).
    Unreadable,
}

/// A credentials failure that names the source and the reason.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{}", self.render())]
pub struct CredentialsError {
    source_name: String,
    kind: CredentialsErrorKind,
    reason: String,
    tried: Vec<CredentialsError>,
}

impl CredentialsError {
    /// The source has no credentials.
    pub fn not_found(source: impl Into<String>, reason: impl Into<String>) -> Self {
        Self::with_kind(source, CredentialsErrorKind::NotFound, reason)
    }

    /// The source has unusable credentials.
    pub fn invalid(source: impl Into<String>, reason: impl Into<String>) -> Self {
        Self::with_kind(source, CredentialsErrorKind::Invalid, reason)
    }

    /// The source could not be read.
    pub fn unreadable(source: impl Into<String>, reason: impl Into<String>) -> Self {
        Self::with_kind(source, CredentialsErrorKind::Unreadable, reason)
    }

    fn with_kind(
        source: impl Into<String>,
        kind: CredentialsErrorKind,
        reason: impl Into<String>,
    ) -> Self {
        Self {
            source_name: source.into(),
            kind,
            reason: reason.into(),
            tried: Vec::new(),
        }
    }

    /// The source that failed (`"environment"`, `"profile file ~/.tencentcloud/credentials"`, …).
    pub fn source_name(&self) -> &str {
        &self.source_name
    }

    /// What kind of failure this is.
    pub fn kind(&self) -> &CredentialsErrorKind {
        &self.kind
    }

    /// Why it failed.
    pub fn reason(&self) -> &str {
        &self.reason
    }

    /// For a chain: each source tried, in order, with its own failure. When a source stops the
    /// chain (an error other than [`CredentialsErrorKind::NotFound`]), this error is that
    /// source's, and these are the empty sources tried before it.
    pub fn tried(&self) -> &[CredentialsError] {
        &self.tried
    }

    fn render(&self) -> String {
        let mut out = format!(
            "no usable credentials from {}: {}",
            self.source_name, self.reason
        );
        for t in &self.tried {
            out.push_str(&format!("; {}: {}", t.source_name, t.reason));
        }
        out
    }
}

/// Resolves credentials, possibly asynchronously (files, metadata services).
pub trait ProvideCredentials: Send + Sync + fmt::Debug {
    /// Returns credentials, or says which source failed and why.
    fn provide_credentials(&self) -> BoxFuture<'_, Result<Credentials, CredentialsError>>;
}

impl<T: ProvideCredentials + ?Sized> ProvideCredentials for Arc<T> {
    fn provide_credentials(&self) -> BoxFuture<'_, Result<Credentials, CredentialsError>> {
        (**self).provide_credentials()
    }
}

/// Always the same credentials.
#[derive(Debug, Clone)]
pub struct StaticProvider {
    credentials: Credentials,
}

impl StaticProvider {
    /// Wraps fixed credentials.
    pub fn new(credentials: Credentials) -> Self {
        Self { credentials }
    }
}

impl From<Credentials> for StaticProvider {
    fn from(credentials: Credentials) -> Self {
        Self::new(credentials)
    }
}

impl ProvideCredentials for StaticProvider {
    fn provide_credentials(&self) -> BoxFuture<'_, Result<Credentials, CredentialsError>> {
        let credentials = self.credentials.clone();
        Box::pin(async move { Ok(credentials) })
    }
}

impl ProvideCredentials for Credentials {
    fn provide_credentials(&self) -> BoxFuture<'_, Result<Credentials, CredentialsError>> {
        let credentials = self.clone();
        Box::pin(async move { Ok(credentials) })
    }
}

/// The identity of requests sent unsigned ([`Unsigned`](crate::sign::unsigned::Unsigned)): a
/// placeholder that satisfies the runtime, which resolves an identity before every signing,
/// and that no signer sends.
#[derive(Debug, Clone, Copy, Default)]
pub struct Anonymous;

impl ProvideCredentials for Anonymous {
    fn provide_credentials(&self) -> BoxFuture<'_, Result<Credentials, CredentialsError>> {
        Box::pin(async { Credentials::new("anonymous", "anonymous", None, "anonymous") })
    }
}

/// Tries providers in order and returns the first credentials found.
///
/// A source that reports [`CredentialsErrorKind::NotFound`] passes to the next one; any other
/// failure stops the chain, since falling through to another account's keys would be worse than
/// failing; that error still lists the empty sources tried before it. When every source is
/// empty, the error lists each source and its reason.
#[derive(Debug, Clone, Default)]
pub struct CredentialsChain {
    providers: Vec<Arc<dyn ProvideCredentials>>,
}

impl CredentialsChain {
    /// An empty chain (fails with "no sources configured").
    pub fn new() -> Self {
        Self::default()
    }

    /// Appends a provider.
    pub fn or_else(mut self, provider: impl ProvideCredentials + 'static) -> Self {
        self.providers.push(Arc::new(provider));
        self
    }
}

impl ProvideCredentials for CredentialsChain {
    fn provide_credentials(&self) -> BoxFuture<'_, Result<Credentials, CredentialsError>> {
        Box::pin(async move {
            let mut tried = Vec::new();
            for provider in &self.providers {
                match provider.provide_credentials().await {
                    Ok(credentials) => return Ok(credentials),
                    Err(e) if e.kind == CredentialsErrorKind::NotFound => tried.push(e),
                    // The error that stops the chain still names the sources that were empty,
                    // so a failing last source does not hide where else it looked.
                    Err(mut e) => {
                        tried.append(&mut e.tried);
                        e.tried = tried;
                        return Err(e);
                    }
                }
            }
            let mut error = CredentialsError::not_found(
                "credentials chain",
                if tried.is_empty() {
                    "no sources configured"
                } else {
                    "every source was empty"
                },
            );
            error.tried = tried;
            Err(error)
        })
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    #[test]
    fn rejects_empty_and_padded_values() {
        assert_eq!(
            Credentials::new("", "s", None, "static")
                .unwrap_err()
                .kind(),
            &CredentialsErrorKind::Invalid
        );
        assert!(Credentials::new("id", "", None, "static").is_err());
        assert!(Credentials::new(" id", "s", None, "static").is_err());
        let err = Credentials::new("id", "s\n", None, "static").unwrap_err();
        assert!(err.to_string().contains("static"), "{err}");
        assert!(err.to_string().contains("white space"), "{err}");
    }

    #[tokio::test]
    async fn anonymous_is_a_usable_placeholder() {
        // Catches a placeholder the credentials checks refuse, which would fail every unsigned
        // call before it is sent.
        let c = Anonymous.provide_credentials().await.unwrap();
        assert_eq!((c.access_id(), c.source()), ("anonymous", "anonymous"));
        assert_eq!(c.expiry(), None);
    }

    #[tokio::test]
    async fn chain_skips_empty_sources_and_reports_each() {
        #[derive(Debug)]
        struct Empty(&'static str);
        impl ProvideCredentials for Empty {
            fn provide_credentials(&self) -> BoxFuture<'_, Result<Credentials, CredentialsError>> {
                let name = self.0;
                Box::pin(async move { Err(CredentialsError::not_found(name, "variable unset")) })
            }
        }
        let chain = CredentialsChain::new()
            .or_else(Empty("environment"))
            .or_else(Empty("profile file"));
        let err = chain.provide_credentials().await.unwrap_err();
        let text = err.to_string();
        assert!(text.contains("environment: variable unset"), "{text}");
        assert!(text.contains("profile file: variable unset"), "{text}");
        assert_eq!(err.tried().len(), 2);

        let chain = CredentialsChain::new()
            .or_else(Empty("environment"))
            .or_else(StaticProvider::new(Credentials::for_tests()));
        assert_eq!(
            chain.provide_credentials().await.unwrap().access_id(),
            "AKIDTEST"
        );
    }

    #[tokio::test]
    async fn a_source_that_stops_the_chain_keeps_the_empty_ones_before_it() {
        #[derive(Debug)]
        struct Source(&'static str, CredentialsErrorKind);
        impl ProvideCredentials for Source {
            fn provide_credentials(&self) -> BoxFuture<'_, Result<Credentials, CredentialsError>> {
                let error = CredentialsError::with_kind(self.0, self.1.clone(), "no");
                Box::pin(async move { Err(error) })
            }
        }
        let chain = CredentialsChain::new()
            .or_else(Source("environment", CredentialsErrorKind::NotFound))
            .or_else(Source("metadata", CredentialsErrorKind::Unreadable))
            .or_else(Source("never asked", CredentialsErrorKind::NotFound));
        let err = chain.provide_credentials().await.unwrap_err();
        assert_eq!(err.source_name(), "metadata");
        assert_eq!(err.kind(), &CredentialsErrorKind::Unreadable);
        let tried: Vec<&str> = err.tried().iter().map(|t| t.source_name()).collect();
        assert_eq!(tried, ["environment"]);
        assert_eq!(
            err.to_string(),
            "no usable credentials from metadata: no; environment: no"
        );
    }
}
