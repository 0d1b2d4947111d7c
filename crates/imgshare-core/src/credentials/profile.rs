//! Credentials from a profile file, described by data: where the file is (a variable naming it,
//! a path under the home directory, a system-wide path), whether it is INI or JSON, and which
//! keys hold the access id, the secret and the session token.

use std::fmt;
use std::marker::PhantomData;
use std::path::PathBuf;

use serde_json::Value;

use super::ini::Ini;
use super::{BoxFuture, Credentials, CredentialsError, Env, ProvideCredentials};
use crate::secret::SecretString;

/// How a profile file is written.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FileFormat {
    /// `key = value` lines under `[section]` headers. With `section: None` the keys are looked up
    /// in any section (files that are flat lists, perhaps under a `[DEFAULT]` header).
    Ini {
        /// The section holding the keys.
        section: Option<&'static str>,
    },
    /// A JSON object of strings.
    Json,
}

/// Where a provider's profile file is and what it holds.
///
/// The file read is, in order: the one given to [`ProfileFileProvider::with_path`]; the one
/// named by `path_var` (then a missing file is an error, not a reason to use other keys); the
/// first of `home_path` and `system_path` that exists.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ProfileFileSpec {
    /// The source named in errors (followed by the path) and in [`Credentials::source`].
    pub source: &'static str,
    /// An environment variable naming the file.
    pub path_var: Option<&'static str>,
    /// The file under the home directory, `/`-separated (`.tencentcloud/credentials`).
    pub home_path: &'static str,
    /// A system-wide file tried when the home one does not exist.
    pub system_path: Option<&'static str>,
    /// INI or JSON.
    pub format: FileFormat,
    /// The key holding the access id.
    pub access_id: &'static str,
    /// The key holding the secret.
    pub secret: &'static str,
    /// The key holding an optional session token.
    pub session_token: Option<&'static str>,
}

/// A provider's description of its profile file; implemented by a marker type per provider, so
/// `ProfileFileProvider<Marker>::new()` needs no arguments.
pub trait DescribeProfileFile: Send + Sync + 'static {
    /// The file.
    const PROFILE_FILE: ProfileFileSpec;
}

/// Reads the profile file described by `D` (see [`ProfileFileSpec`]), through
/// [`read_credentials_file`](super::read_credentials_file): off the async runtime's threads,
/// size-limited, refused when other users can write it.
///
/// No file is "not found"; a file without both keys, or one that cannot be read, stops a chain.
pub struct ProfileFileProvider<D> {
    path: Option<PathBuf>,
    env: Env,
    describe: PhantomData<fn() -> D>,
}

impl<D: DescribeProfileFile> ProfileFileProvider<D> {
    /// The files named in [`ProfileFileSpec`], found through the process environment.
    pub fn new() -> Self {
        Self {
            path: None,
            env: Env::process(),
            describe: PhantomData,
        }
    }

    /// Reads this file only (a missing file is then "not found").
    pub fn with_path(path: impl Into<PathBuf>) -> Self {
        Self {
            path: Some(path.into()),
            ..Self::new()
        }
    }

    /// Finds the file through `env` (its path variable and home directory) instead (tests).
    pub fn with_env(mut self, env: Env) -> Self {
        self.env = env;
        self
    }

    /// The files to try, in order, and whether the only one was named by the path variable.
    fn candidates(&self) -> (Vec<PathBuf>, Option<&'static str>) {
        let spec = D::PROFILE_FILE;
        if let Some(path) = &self.path {
            return (vec![path.clone()], None);
        }
        if let Some(var) = spec.path_var
            && let Some(path) = self.env.var_os(var).filter(|p| !p.is_empty())
        {
            return (vec![PathBuf::from(path)], Some(var));
        }
        let home = self
            .env
            .home_dir()
            .map(|home| spec.home_path.split('/').fold(home, |p, part| p.join(part)));
        let system = spec.system_path.map(PathBuf::from);
        (home.into_iter().chain(system).collect(), None)
    }

    async fn resolve(&self) -> Result<Credentials, CredentialsError> {
        let spec = D::PROFILE_FILE;
        let (candidates, named_by) = self.candidates();
        for path in &candidates {
            let source = format!("{} {}", spec.source, path.display());
            match super::read_credentials_file(path).await {
                Ok(Some(text)) => {
                    return credentials(&spec, text.expose_secret())
                        .map_err(|reason| CredentialsError::invalid(source, reason));
                }
                Ok(None) => {
                    if let Some(var) = named_by {
                        return Err(CredentialsError::invalid(
                            source,
                            format!("{var} names this file, which does not exist"),
                        ));
                    }
                }
                Err(e) => return Err(CredentialsError::unreadable(source, e.to_string())),
            }
        }
        let reason = match candidates.as_slice() {
            [] => "no home directory to look in".to_owned(),
            [one] => format!("{} does not exist", one.display()),
            many => {
                let shown: Vec<String> = many.iter().map(|p| p.display().to_string()).collect();
                format!("none of {} exists", shown.join(", "))
            }
        };
        Err(CredentialsError::not_found(spec.source, reason))
    }
}

/// The credentials in a file's text, or why there are none. The reason never quotes the text.
fn credentials(spec: &ProfileFileSpec, text: &str) -> Result<Credentials, String> {
    let (id, secret, token) = match spec.format {
        FileFormat::Ini { section } => {
            let ini = Ini::parse(text);
            let get = |key: &str| ini.get(section, key).map(str::to_owned);
            (
                get(spec.access_id),
                get(spec.secret),
                spec.session_token.and_then(get),
            )
        }
        FileFormat::Json => {
            // serde_json's syntax errors say where, never what, so no secret is echoed.
            let doc: Value = serde_json::from_str(text).map_err(|e| {
                format!(
                    "the file is not JSON (line {}, column {})",
                    e.line(),
                    e.column()
                )
            })?;
            let Some(object) = doc.as_object() else {
                return Err("the file is not a JSON object".to_owned());
            };
            let get = |key: &str| match object.get(key) {
                None | Some(Value::Null) => Ok(None),
                Some(Value::String(s)) => Ok(Some(s.clone())),
                Some(_) => Err(format!("{key} is not a string")),
            };
            let token = match spec.session_token {
                Some(key) => get(key)?,
                None => None,
            };
            (get(spec.access_id)?, get(spec.secret)?, token)
        }
    };
    let (Some(id), Some(secret)) = (
        id.filter(|v| !v.is_empty()),
        secret.filter(|v| !v.is_empty()),
    ) else {
        let section = match spec.format {
            FileFormat::Ini {
                section: Some(name),
            } => format!("the [{name}] section "),
            _ => String::new(),
        };
        return Err(format!(
            "{section}needs both {} and {}",
            spec.access_id, spec.secret
        ));
    };
    Credentials::new(
        id,
        SecretString::new(secret),
        token.map(SecretString::new),
        spec.source,
    )
    .map_err(|e| e.reason().to_owned())
}

impl<D: DescribeProfileFile> Default for ProfileFileProvider<D> {
    fn default() -> Self {
        Self::new()
    }
}

impl<D> Clone for ProfileFileProvider<D> {
    fn clone(&self) -> Self {
        Self {
            path: self.path.clone(),
            env: self.env.clone(),
            describe: PhantomData,
        }
    }
}

impl<D: DescribeProfileFile> fmt::Debug for ProfileFileProvider<D> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ProfileFileProvider")
            .field("source", &D::PROFILE_FILE.source)
            .field("path", &self.path)
            .field("env", &self.env)
            .finish()
    }
}

impl<D: DescribeProfileFile> ProvideCredentials for ProfileFileProvider<D> {
    fn provide_credentials(&self) -> BoxFuture<'_, Result<Credentials, CredentialsError>> {
        Box::pin(self.resolve())
    }
}
