//! tccli's named profiles: `~/.tccli/NAME.credential` and `~/.tccli/NAME.configure`, both JSON,
//! as `tccli configure --profile NAME` writes them.
//!
//! - `NAME.credential`: `secretId`, `secretKey`, optional `token`; `"type": "cvm-role"` for the
//!   instance role; `role-arn` (+ `role-session-name`) to assume a role with those keys.
//! - `NAME.configure`: `_sys_param.region`, `_sys_param.language`, and `cvm.endpoint` (a host
//!   name such as `cvm.tencentcloudapi.com`).

use std::path::Path;
use std::sync::Arc;

use imgshare_core::credentials::{Env, read_json_file};
use imgshare_core::decode::json_text as text;
use imgshare_core::{Credentials, CredentialsError, ProvideCredentials, Redacted, SecretString};
use serde_json::Value;

use super::{AssumeRoleProvider, CvmRoleProvider};
use crate::config::Language;
use crate::error::TencentError;

/// A tccli profile, loaded with [`TccliProfile::load`]. `Debug` leaves out the credentials.
#[derive(Debug, Clone)]
pub struct TccliProfile {
    name: String,
    credential: Option<Redacted<Value>>,
    region: Option<String>,
    language: Option<Language>,
    endpoint: Option<String>,
}

impl TccliProfile {
    /// Loads profile `name` from `~/.tccli`. Either file may be absent, not both.
    pub async fn load(name: &str) -> Result<TccliProfile, CredentialsError> {
        let no_home =
            || CredentialsError::not_found("tccli profile", "no home directory to look in");
        let home = Env::process().home_dir().ok_or_else(no_home)?;
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
        let read =
            |ext: &str, secret| read_json_file(&source, dir.join(format!("{name}.{ext}")), secret);
        let credential = read("credential", true).await?;
        let configure = read("configure", false).await?;
        if credential.is_none() && configure.is_none() {
            let reason = format!(
                "neither {name}.credential nor {name}.configure exists in {}",
                dir.display()
            );
            return Err(CredentialsError::not_found(source, reason));
        }
        let configure = configure.unwrap_or_default();
        let sys = &configure["_sys_param"];
        let language = text(sys, "language").map(Language::from);
        if let Some(Language::Unknown(l)) = &language {
            let reason = format!("language {l:?} in {name}.configure is not zh-CN or en-US");
            return Err(CredentialsError::invalid(source, reason));
        }
        // tccli writes a host name (`cvm.tencentcloudapi.com`); a URL is taken as it is.
        let endpoint = text(&configure["cvm"], "endpoint").map(|e| {
            if e.contains("://") {
                e.to_owned()
            } else {
                format!("https://{e}/")
            }
        });
        Ok(TccliProfile {
            name: name.to_owned(),
            credential: credential.map(Redacted),
            region: text(sys, "region").map(str::to_owned),
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
        let Some(Redacted(cred)) = &self.credential else {
            let reason = format!("{}.credential does not exist", self.name);
            return Err(CredentialsError::not_found(source, reason).into());
        };
        if text(cred, "type") == Some("cvm-role") {
            return Ok(Arc::new(CvmRoleProvider::new()));
        }
        let (Some(id), Some(key)) = (text(cred, "secretId"), text(cred, "secretKey")) else {
            let reason = format!("{}.credential needs secretId and secretKey", self.name);
            return Err(CredentialsError::invalid(source, reason).into());
        };
        let token = text(cred, "token").map(SecretString::new);
        let keys = Credentials::new(id, SecretString::new(key), token, "tccli profile")?;
        let Some(arn) = text(cred, "role-arn") else {
            return Ok(Arc::new(keys));
        };
        let mut builder = AssumeRoleProvider::builder(arn).source(keys);
        if let Some(name) = text(cred, "role-session-name") {
            builder = builder.session_name(name);
        }
        Ok(Arc::new(builder.build()?))
    }
}
