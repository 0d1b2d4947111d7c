//! tccli's named profiles: `~/.tccli/NAME.credential` and `~/.tccli/NAME.configure`, both JSON,
//! as `tccli configure --profile NAME` writes them.
//!
//! - `NAME.credential`: `secretId`, `secretKey`, optional `token`; `"type": "cvm-role"` for the
//!   instance role; `role-arn` (+ `role-session-name`) to assume a role with those keys.
//! - `NAME.configure`: `_sys_param.region`, `_sys_param.language`, and `cvm.endpoint` (a host
//!   name such as `cvm.tencentcloudapi.com`).

use std::fmt;
use std::path::Path;
use std::sync::Arc;

use imgshare_core::credentials::{Env, read_config_file, read_credentials_file};
use imgshare_core::{Credentials, CredentialsError, ProvideCredentials, SecretString};
use serde_json::Value;

use super::{AssumeRoleProvider, CvmRoleProvider};
use crate::config::Language;
use crate::error::TencentError;

/// A tccli profile, loaded with [`TccliProfile::load`]. `Debug` leaves out the credentials.
#[derive(Clone)]
pub struct TccliProfile {
    name: String,
    credential: Option<Value>,
    region: Option<String>,
    language: Option<Language>,
    endpoint: Option<String>,
}

fn text(doc: &Value, key: &str) -> Option<String> {
    doc.get(key)
        .and_then(Value::as_str)
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .map(str::to_owned)
}

impl TccliProfile {
    /// Loads profile `name` from `~/.tccli`. Either file may be absent, not both.
    pub async fn load(name: &str) -> Result<TccliProfile, CredentialsError> {
        let home = Env::process().home_dir().ok_or_else(|| {
            CredentialsError::not_found("tccli profile", "no home directory to look in")
        })?;
        Self::load_from(home.join(".tccli"), name).await
    }

    /// Loads profile `name` from `dir` (tccli's `~/.tccli`).
    pub async fn load_from(
        dir: impl AsRef<Path>,
        name: &str,
    ) -> Result<TccliProfile, CredentialsError> {
        let source = format!("tccli profile {name:?}");
        if name.is_empty() || name.contains(['/', '\\']) || name.starts_with('.') {
            return Err(CredentialsError::invalid(
                source,
                "a profile name is a plain file-name stem",
            ));
        }
        let dir = dir.as_ref();
        // The credential file holds keys; the configure file picks the endpoint they go to.
        let path = dir.join(format!("{name}.credential"));
        let credential = match read_credentials_file(&path).await {
            Ok(text) => text.map(|t| parse_json(&path, &source, t.expose_secret())),
            Err(e) => Some(Err(unreadable(&path, &source, e))),
        }
        .transpose()?;
        let path = dir.join(format!("{name}.configure"));
        let configure = match read_config_file(&path).await {
            Ok(text) => text.map(|t| parse_json(&path, &source, &t)),
            Err(e) => Some(Err(unreadable(&path, &source, e))),
        }
        .transpose()?;
        if credential.is_none() && configure.is_none() {
            return Err(CredentialsError::not_found(
                source,
                format!(
                    "neither {0}.credential nor {0}.configure exists in {1}",
                    name,
                    dir.display()
                ),
            ));
        }
        let sys = configure
            .as_ref()
            .and_then(|c| c.get("_sys_param"))
            .cloned()
            .unwrap_or(Value::Null);
        let language = match text(&sys, "language") {
            None => None,
            Some(l) => match Language::from(l.as_str()) {
                Language::Unknown(_) => {
                    return Err(CredentialsError::invalid(
                        source,
                        format!("language {l:?} in {name}.configure is not zh-CN or en-US"),
                    ));
                }
                known => Some(known),
            },
        };
        let endpoint = configure
            .as_ref()
            .and_then(|c| c.get("cvm"))
            .and_then(|cvm| text(cvm, "endpoint"))
            .map(|e| {
                if e.contains("://") {
                    e
                } else {
                    format!("https://{e}/")
                }
            });
        Ok(TccliProfile {
            name: name.to_owned(),
            credential,
            region: text(&sys, "region"),
            language,
            endpoint,
        })
    }

    /// The profile's name.
    pub fn name(&self) -> &str {
        &self.name
    }

    /// `_sys_param.region` of `NAME.configure`.
    pub fn region(&self) -> Option<&str> {
        self.region.as_deref()
    }

    /// `_sys_param.language` of `NAME.configure`.
    pub fn language(&self) -> Option<Language> {
        self.language.clone()
    }

    /// `cvm.endpoint` of `NAME.configure`, as a URL.
    pub fn endpoint(&self) -> Option<&str> {
        self.endpoint.as_deref()
    }

    /// The credentials `NAME.credential` describes: its keys (with `token`), the instance role
    /// (`"type": "cvm-role"`), or a role assumed with its keys (`role-arn`).
    pub fn credentials_provider(&self) -> Result<Arc<dyn ProvideCredentials>, TencentError> {
        let source = format!("tccli profile {:?}", self.name);
        let Some(cred) = &self.credential else {
            return Err(CredentialsError::not_found(
                source,
                format!("{}.credential does not exist", self.name),
            )
            .into());
        };
        if text(cred, "type").as_deref() == Some("cvm-role") {
            return Ok(Arc::new(CvmRoleProvider::new()));
        }
        let (Some(id), Some(key)) = (text(cred, "secretId"), text(cred, "secretKey")) else {
            return Err(CredentialsError::invalid(
                source,
                format!("{}.credential needs secretId and secretKey", self.name),
            )
            .into());
        };
        let keys = Credentials::new(
            id,
            SecretString::new(key),
            text(cred, "token").map(SecretString::new),
            "tccli profile",
        )?;
        match text(cred, "role-arn") {
            None => Ok(Arc::new(keys)),
            Some(arn) => {
                let mut builder = AssumeRoleProvider::builder(arn).source(keys);
                if let Some(name) = text(cred, "role-session-name") {
                    builder = builder.session_name(name);
                }
                Ok(Arc::new(builder.build()?))
            }
        }
    }
}

fn parse_json(path: &Path, source: &str, text: &str) -> Result<Value, CredentialsError> {
    // serde_json's syntax errors say where, never what, so no secret is echoed.
    serde_json::from_str(text).map_err(|e| {
        CredentialsError::invalid(source, format!("{} is not JSON: {e}", path.display()))
    })
}

fn unreadable(path: &Path, source: &str, e: std::io::Error) -> CredentialsError {
    CredentialsError::unreadable(source, format!("{}: {e}", path.display()))
}

impl fmt::Debug for TccliProfile {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("TccliProfile")
            .field("name", &self.name)
            .field("has_credential", &self.credential.is_some())
            .field("region", &self.region)
            .field("language", &self.language)
            .field("endpoint", &self.endpoint)
            .finish()
    }
}
