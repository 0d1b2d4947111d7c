//! Credentials from environment variables, described by data: which variables hold the access
//! id, the secret and the session token, with alternative names tried in order.

use std::fmt;
use std::marker::PhantomData;

use super::{BoxFuture, Credentials, CredentialsError, Env, ProvideCredentials};
use crate::secret::SecretString;

/// The variables a provider's credentials live in.
///
/// For each of the access id and the secret, the first variable set wins (NCP reads
/// `NCLOUD_ACCESS_KEY_ID`, else `NCLOUD_ACCESS_KEY`). Session-token variables must agree when
/// several are set: a token that does not match the keys would only fail at the server.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct EnvSpec {
    /// The source named in errors and in [`Credentials::source`], e.g. `"environment"`.
    pub source: &'static str,
    /// Variables holding the access id, tried in order.
    pub access_id: &'static [&'static str],
    /// Variables holding the secret, tried in order.
    pub secret: &'static [&'static str],
    /// Variables holding an optional session token; empty values are ignored.
    pub session_token: &'static [&'static str],
    /// Whether a variable set to the empty string counts as unset. When `false`, an empty access
    /// id or secret is an error rather than a reason to try the next source.
    pub empty_is_unset: bool,
}

/// A provider's description of its environment variables; implemented by a marker type per
/// provider, so `EnvironmentProvider<Marker>::new()` needs no arguments.
pub trait DescribeEnv: Send + Sync + 'static {
    /// The variables.
    const ENV: EnvSpec;
}

/// Reads the variables described by `D` (see [`EnvSpec`]).
///
/// Nothing set is "not found" (a chain moves on); one of the access id and the secret without
/// the other, or session-token variables that disagree, is "invalid" (a chain stops).
pub struct EnvironmentProvider<D> {
    env: Env,
    describe: PhantomData<fn() -> D>,
}

impl<D: DescribeEnv> EnvironmentProvider<D> {
    /// Reads the process environment.
    pub fn new() -> Self {
        Self {
            env: Env::process(),
            describe: PhantomData,
        }
    }

    /// Reads `env` instead (tests).
    pub fn with_env(mut self, env: Env) -> Self {
        self.env = env;
        self
    }

    /// The first variable of `names` that is set, with its name.
    fn first(&self, names: &[&'static str]) -> Option<(&'static str, String)> {
        names.iter().find_map(|&name| {
            let value = self.env.var(name)?;
            (!(D::ENV.empty_is_unset && value.is_empty())).then_some((name, value))
        })
    }

    fn session_token(&self) -> Result<Option<SecretString>, CredentialsError> {
        let mut found: Option<(&str, String)> = None;
        for &name in D::ENV.session_token {
            let Some(value) = self.env.var(name).filter(|v| !v.is_empty()) else {
                continue;
            };
            if super::has_control(&value) {
                return Err(control_in::<D>(name));
            }
            match &found {
                None => found = Some((name, value)),
                Some((first, kept)) if *kept != value => {
                    return Err(CredentialsError::invalid(
                        D::ENV.source,
                        format!("{first} and {name} are both set, to different values"),
                    ));
                }
                Some(_) => {}
            }
        }
        Ok(found.map(|(_, value)| SecretString::new(value)))
    }

    fn resolve(&self) -> Result<Credentials, CredentialsError> {
        let spec = D::ENV;
        let (ids, secrets) = (spec.access_id.join(" / "), spec.secret.join(" / "));
        match (self.first(spec.access_id), self.first(spec.secret)) {
            (None, None) => Err(CredentialsError::not_found(
                spec.source,
                format!("{ids} and {secrets} are not set"),
            )),
            (Some((name, _)), None) => Err(CredentialsError::invalid(
                spec.source,
                format!("{name} is set but {secrets} is not"),
            )),
            (None, Some((name, _))) => Err(CredentialsError::invalid(
                spec.source,
                format!("{name} is set but {ids} is not"),
            )),
            (Some((id_name, id)), Some((secret_name, secret))) => {
                // Named alone, so the message says which variable to fix.
                if super::has_control(&id) {
                    return Err(control_in::<D>(id_name));
                }
                if super::has_control(&secret) {
                    return Err(control_in::<D>(secret_name));
                }
                let token = self.session_token()?;
                Credentials::new(id, SecretString::new(secret), token, spec.source).map_err(|e| {
                    CredentialsError::invalid(
                        spec.source,
                        format!("{id_name}/{secret_name}: {}", e.reason()),
                    )
                })
            }
        }
    }
}

/// `name` holds a control character; its value is never quoted.
fn control_in<D: DescribeEnv>(name: &str) -> CredentialsError {
    CredentialsError::invalid(
        D::ENV.source,
        format!("{name} holds a line break or another control character"),
    )
}

impl<D: DescribeEnv> Default for EnvironmentProvider<D> {
    fn default() -> Self {
        Self::new()
    }
}

impl<D> Clone for EnvironmentProvider<D> {
    fn clone(&self) -> Self {
        Self {
            env: self.env.clone(),
            describe: PhantomData,
        }
    }
}

impl<D: DescribeEnv> fmt::Debug for EnvironmentProvider<D> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("EnvironmentProvider")
            .field("access_id", &D::ENV.access_id)
            .field("secret", &D::ENV.secret)
            .field("env", &self.env)
            .finish()
    }
}

impl<D: DescribeEnv> ProvideCredentials for EnvironmentProvider<D> {
    fn provide_credentials(&self) -> BoxFuture<'_, Result<Credentials, CredentialsError>> {
        let result = self.resolve();
        Box::pin(async move { result })
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;
    use crate::CredentialsErrorKind;

    struct Two;
    impl DescribeEnv for Two {
        const ENV: EnvSpec = EnvSpec {
            source: "environment",
            access_id: &["ID_A", "ID_B"],
            secret: &["SECRET_A", "SECRET_B"],
            session_token: &["TOKEN_A", "TOKEN_B"],
            empty_is_unset: true,
        };
    }

    struct Strict;
    impl DescribeEnv for Strict {
        const ENV: EnvSpec = EnvSpec {
            empty_is_unset: false,
            ..Two::ENV
        };
    }

    async fn resolve<D: DescribeEnv>(
        vars: &[(&str, &str)],
    ) -> Result<Credentials, CredentialsError> {
        EnvironmentProvider::<D>::new()
            .with_env(Env::from_vars(vars.iter().copied()))
            .provide_credentials()
            .await
    }

    #[tokio::test]
    async fn alternatives_are_tried_in_order() {
        // Catches reading only the first name, or preferring the later one.
        let c = resolve::<Two>(&[("ID_B", "b"), ("SECRET_B", "sb")])
            .await
            .unwrap();
        assert_eq!((c.access_id(), c.secret().expose_secret()), ("b", "sb"));
        let c = resolve::<Two>(&[("ID_A", "a"), ("ID_B", "b"), ("SECRET_B", "sb")])
            .await
            .unwrap();
        assert_eq!(c.access_id(), "a");
        assert_eq!(c.source(), "environment");
    }

    #[tokio::test]
    async fn nothing_set_is_not_found_and_half_set_is_invalid() {
        // Catches a half-set pair falling through to the next source (another account's keys).
        let err = resolve::<Two>(&[]).await.unwrap_err();
        assert_eq!(err.kind(), &CredentialsErrorKind::NotFound);
        assert!(err.to_string().contains("ID_A / ID_B"), "{err}");
        let err = resolve::<Two>(&[("ID_B", "b")]).await.unwrap_err();
        assert_eq!(err.kind(), &CredentialsErrorKind::Invalid);
        assert!(
            err.to_string()
                .contains("ID_B is set but SECRET_A / SECRET_B"),
            "{err}"
        );
        let err = resolve::<Two>(&[("SECRET_A", "s")]).await.unwrap_err();
        assert_eq!(err.kind(), &CredentialsErrorKind::Invalid);
    }

    #[tokio::test]
    async fn empty_values_follow_the_spec() {
        // Catches ignoring `empty_is_unset` either way.
        let err = resolve::<Two>(&[("ID_A", ""), ("SECRET_A", "")])
            .await
            .unwrap_err();
        assert_eq!(err.kind(), &CredentialsErrorKind::NotFound);
        let err = resolve::<Strict>(&[("ID_A", ""), ("SECRET_A", "s")])
            .await
            .unwrap_err();
        assert_eq!(err.kind(), &CredentialsErrorKind::Invalid);
        assert!(
            err.to_string()
                .contains("ID_A/SECRET_A: the access id is empty"),
            "{err}"
        );
    }

    #[tokio::test]
    async fn session_tokens_must_agree_and_are_never_shown() {
        let keys = [("ID_A", "a"), ("SECRET_A", "s")];
        let with = |extra: &[(&'static str, &'static str)]| {
            let mut v = keys.to_vec();
            v.extend_from_slice(extra);
            v
        };
        let c = resolve::<Two>(&with(&[("TOKEN_B", "tok")])).await.unwrap();
        assert_eq!(c.session_token().unwrap().expose_secret(), "tok");
        let c = resolve::<Two>(&with(&[("TOKEN_A", "tok"), ("TOKEN_B", "tok")]))
            .await
            .unwrap();
        assert_eq!(c.session_token().unwrap().expose_secret(), "tok");
        // Catches a silent first-wins, which would sign with a token not matching the keys.
        let err = resolve::<Two>(&with(&[
            ("TOKEN_A", "one-secret"),
            ("TOKEN_B", "two-secret"),
        ]))
        .await
        .unwrap_err();
        assert_eq!(err.kind(), &CredentialsErrorKind::Invalid);
        let text = format!("{err} {err:?}");
        assert!(text.contains("different values"), "{text}");
        assert!(
            !text.contains("one-secret") && !text.contains("two-secret"),
            "{text}"
        );
    }

    #[test]
    fn debug_names_the_variables_not_their_values() {
        // Catches a Debug that prints the environment's values.
        let env = Env::from_vars([("ID_A", "a"), ("SECRET_A", "debug-secret")]);
        let shown = format!("{:?}", EnvironmentProvider::<Two>::new().with_env(env));
        assert!(shown.contains("SECRET_A"), "{shown}");
        assert!(!shown.contains("debug-secret"), "{shown}");
    }

    #[tokio::test]
    async fn padded_secret_error_does_not_echo_it() {
        // Catches an error message that quotes the variable's value.
        let err = resolve::<Two>(&[("ID_A", "a"), ("SECRET_A", " padded-secret ")])
            .await
            .unwrap_err();
        assert!(!format!("{err} {err:?}").contains("padded-secret"), "{err}");
    }

    #[tokio::test]
    async fn a_line_break_names_its_variable_only() {
        // Catches a CR/LF accepted (it would fail later as an unsendable header) or quoted.
        for (bad, vars) in [
            (
                "ID_A",
                [("ID_A", "a\r\nb"), ("SECRET_A", "s"), ("TOKEN_A", "t")],
            ),
            (
                "SECRET_A",
                [("ID_A", "a"), ("SECRET_A", "s\nx"), ("TOKEN_A", "t")],
            ),
            (
                "TOKEN_A",
                [("ID_A", "a"), ("SECRET_A", "s"), ("TOKEN_A", "t\rx")],
            ),
        ] {
            let err = resolve::<Two>(&vars).await.unwrap_err();
            let text = format!("{err} {err:?}");
            assert!(text.contains(bad) && text.contains("line break"), "{text}");
            assert!(!text.contains('\n') && !text.contains('\r'), "{text}");
        }
        let err =
            Credentials::new("a", "s", Some(SecretString::new("t\n".to_owned())), "x").unwrap_err();
        assert!(err.to_string().contains("session token"), "{err}");
    }
}
