//! One path from settings to a client, for every provider: the CLI's provider commands,
//! `plan diff|apply`, `inventory` and [`Plan::connect`](crate::plan::Plan::connect) all build
//! their clients here, so they agree on where requests go.
//!
//! # Precedence
//!
//! Each setting (endpoint, region, …) comes from the first of these that has it:
//!
//! 1. [`Overrides`]: the command line (`--endpoint`, `--region`, …) or a program's own choice;
//! 2. the plan's provider entry ([`ProviderSpec`]: `endpoint`, `region`, …);
//! 3. the environment: [`ENV_ENDPOINT`] (`IMGSHARE_ENDPOINT`) for every provider, then the
//!    provider's own variables (`TENCENTCLOUD_REGION`; `NCLOUD_API_GW`, `NCLOUD_SITE`,
//!    `NCLOUD_REGION`; `SCP_ENDPOINT_OVERRIDE`, `SCP_REGION`, …);
//! 4. a profile file: tccli's `~/.tccli/NAME.configure` for a tencent `profile`, SCP's
//!    `~/.scpconf/config.json`;
//! 5. the provider's default.
//!
//! as `aws --endpoint-url` beats `AWS_ENDPOINT_URL`, which beats `~/.aws/config`. An endpoint
//! that is set but empty is refused ([`InvalidInput`] for `endpoint`) rather than read as "the
//! default": an empty variable is more often a broken script than a wish for production.
//!
//! Every connection reports its [`Target`]: the endpoint and where it came from, so a command
//! can say when it is not sending to the provider's default ([`notice`]).

// A build without any provider has nothing to resolve; its helpers are then unused.
#![cfg_attr(
    not(any(feature = "tencent", feature = "ncloud", feature = "scp")),
    allow(dead_code, unused_imports, unused_macros)
)]

use std::fmt;
use std::sync::Arc;

#[cfg(feature = "tencent")]
use imgshare_core::ProvideCredentials;
use imgshare_core::credentials::CredentialsError;
use imgshare_core::{Credentials, Error, InvalidInput, RetryConfig, TimeoutConfig};

use crate::plan::{Connected, CredentialSource, ProviderKind, ProviderSpec};
use crate::sharing::ImageSharing;

/// imgshare's own endpoint variable, read for every provider (below the command line and the
/// plan, above each provider's own variables).
pub const ENV_ENDPOINT: &str = "IMGSHARE_ENDPOINT";

/// Settings that beat every other source: the command line's flags, or a program's explicit
/// choice. `None` leaves the setting to the plan entry, the environment, profile files and
/// defaults, in that order.
#[derive(Debug, Clone, Default)]
#[non_exhaustive]
pub struct Overrides {
    /// The endpoint URL (`--endpoint`), for every provider.
    pub endpoint: Option<String>,
    /// The region (`--region`): tencent `ap-guangzhou`, ncloud `KR` (upper-cased), scp
    /// `kr-west1`.
    pub region: Option<String>,
    /// The language of error messages: tencent `zh-CN` or `en-US`; scp's `Accept-Language`.
    pub language: Option<String>,
    /// Retry settings.
    pub retry: Option<RetryConfig>,
    /// Timeouts.
    pub timeouts: Option<TimeoutConfig>,
    /// SCP: the environment, `s`, `g` or `e`.
    pub environment: Option<String>,
    /// SCP: the API version, `1.3` or `1.2`.
    pub api_version: Option<String>,
    /// SCP: the caller's own account id (to accept or reject shares).
    pub account_id: Option<String>,
    /// Connect directly (`--no-proxy`), ignoring `HTTP_PROXY`, `HTTPS_PROXY` and `ALL_PROXY`;
    /// `false` honours them, with `NO_PROXY`'s exceptions.
    pub no_proxy: bool,
}

/// Where an endpoint came from.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum Origin {
    /// [`Overrides::endpoint`]: the command line's `--endpoint`.
    Flag,
    /// The `endpoint` of the plan's provider entry (the entry's name).
    Plan(String),
    /// An environment variable (its name).
    Env(&'static str),
    /// A profile or configuration file (which one).
    Profile(String),
    /// The provider's default.
    Default,
}

impl fmt::Display for Origin {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Origin::Flag => f.write_str("--endpoint"),
            Origin::Plan(name) => write!(f, "plan: providers.{name}.endpoint"),
            Origin::Env(var) => f.write_str(var),
            Origin::Profile(file) => f.write_str(file),
            Origin::Default => f.write_str("default"),
        }
    }
}

/// Where a connected client sends its requests, and why.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Target {
    provider: String,
    endpoint: String,
    origin: Origin,
    default: bool,
}

impl Target {
    /// The provider entry's name.
    pub fn provider(&self) -> &str {
        &self.provider
    }

    /// The endpoint URL, as the client uses it.
    pub fn endpoint(&self) -> &str {
        &self.endpoint
    }

    /// Where the endpoint came from.
    pub fn origin(&self) -> &Origin {
        &self.origin
    }

    /// Whether it is the provider's own endpoint for the configured region and site.
    pub fn is_default(&self) -> bool {
        self.default
    }
}

/// A client and where it sends.
#[derive(Debug, Clone)]
#[non_exhaustive]
pub struct Connection<C> {
    /// The client.
    pub client: C,
    /// Its endpoint and where that came from.
    pub target: Target,
}

/// A provider entry whose client could not be built: a setting is missing or malformed
/// ([`Error::InvalidInput`]) or its credentials cannot be read ([`Error::Credentials`]).
/// Nothing was sent.
#[derive(Debug, thiserror::Error)]
#[error("provider `{provider}`: {error}")]
pub struct ConnectError {
    provider: String,
    // Boxed: the core error is large, and this one travels in every `Result` of a plan.
    error: Box<Error>,
}

impl ConnectError {
    /// The provider entry's name.
    pub fn provider(&self) -> &str {
        &self.provider
    }

    /// Why (its variant tells bad settings from missing credentials).
    pub fn error(&self) -> &Error {
        &self.error
    }
}

/// `sending to URL (ORIGIN)` when every target leaves the providers' defaults for one endpoint
/// from one source, `sending tencent to URL (ORIGIN); scp to URL (ORIGIN)` when they differ;
/// `None` when every target is a default.
pub fn notice<'a>(targets: impl IntoIterator<Item = &'a Target>) -> Option<String> {
    let all: Vec<&Target> = targets.into_iter().collect();
    let away: Vec<&Target> = all.iter().copied().filter(|t| !t.default).collect();
    let first = away.first()?;
    if away.len() == all.len()
        && away
            .iter()
            .all(|t| t.endpoint == first.endpoint && t.origin == first.origin)
    {
        return Some(format!("sending to {} ({})", first.endpoint, first.origin));
    }
    let each: Vec<String> = away
        .iter()
        .map(|t| format!("{} to {} ({})", t.provider, t.endpoint, t.origin))
        .collect();
    Some(format!("sending {}", each.join("; ")))
}

/// One provider entry's layers.
struct Layers<'a> {
    spec: &'a ProviderSpec,
    overrides: &'a Overrides,
}

impl Layers<'_> {
    fn fail(&self, error: impl Into<Error>) -> ConnectError {
        ConnectError {
            provider: self.spec.name.clone(),
            error: Box::new(error.into()),
        }
    }

    fn expect(&self, kind: ProviderKind) -> Result<(), ConnectError> {
        if self.spec.kind == kind {
            return Ok(());
        }
        Err(self.fail(InvalidInput::new(
            "type",
            format!("is {}, not {kind}", self.spec.kind),
        )))
    }

    /// The flag's, else the plan entry's (empty counts as unset, as `--region ""` always has).
    fn region(&self) -> Option<&str> {
        [&self.overrides.region, &self.spec.region]
            .into_iter()
            .flatten()
            .map(String::as_str)
            .find(|r| !r.is_empty())
    }

    /// The flag's, else the plan entry's, else `IMGSHARE_ENDPOINT`; the first one set decides,
    /// and an empty one is refused.
    fn endpoint(&self) -> Result<Option<(String, Origin)>, ConnectError> {
        let (url, origin) = if let Some(url) = &self.overrides.endpoint {
            (url.clone(), Origin::Flag)
        } else if let Some(url) = &self.spec.endpoint {
            (url.clone(), Origin::Plan(self.spec.name.clone()))
        } else {
            match std::env::var(ENV_ENDPOINT) {
                Ok(url) => (url, Origin::Env(ENV_ENDPOINT)),
                Err(std::env::VarError::NotPresent) => return Ok(None),
                Err(std::env::VarError::NotUnicode(_)) => {
                    return Err(self.fail(InvalidInput::new(
                        "endpoint",
                        format!("from {ENV_ENDPOINT} is not UTF-8"),
                    )));
                }
            }
        };
        if url.trim().is_empty() {
            return Err(self.fail(InvalidInput::new(
                "endpoint",
                format!(
                    "is empty (from {origin}): give a URL such as http://127.0.0.1:PORT, or \
                     leave it out for the provider's default endpoint"
                ),
            )));
        }
        Ok(Some((url.trim().to_owned(), origin)))
    }

    /// The keys in the two variables a plan entry names. Errors name the plan's field, not the
    /// variable: a key pasted where a name belongs must not be printed.
    fn env_credentials(&self, access: &str, secret: &str) -> Result<Credentials, ConnectError> {
        let read = |var: &str, field: &str| {
            std::env::var(var).map_err(|_| {
                self.fail(CredentialsError::not_found(
                    "plan environment",
                    format!(
                        "the variable that providers.{}.credentials.{field} names is not set (or \
                         not UTF-8)",
                        self.spec.name
                    ),
                ))
            })
        };
        Credentials::new(
            read(access, "access_key_env")?,
            read(secret, "secret_key_env")?,
            None,
            "plan environment",
        )
        .map_err(|e| self.fail(e))
    }

    fn wrong_credentials(&self, what: &str) -> ConnectError {
        self.fail(CredentialsError::invalid(
            "plan",
            format!("{} credentials come from {what}", self.spec.kind),
        ))
    }

    /// `chosen` is the origin of an endpoint the resolver set; without one the provider's own
    /// settings decided, and `theirs` says which of them when the result is not the default.
    fn target(
        &self,
        endpoint: &str,
        default: &str,
        chosen: Option<Origin>,
        theirs: impl FnOnce() -> Origin,
    ) -> Target {
        let default = endpoint.trim_end_matches('/') == default.trim_end_matches('/');
        let origin = match chosen {
            Some(origin) => origin,
            None if default => Origin::Default,
            None => theirs(),
        };
        Target {
            provider: self.spec.name.clone(),
            endpoint: endpoint.to_owned(),
            origin,
            default,
        }
    }
}

/// The steps every provider's builder takes alike (the builders share method names, not a
/// trait): the endpoint the resolver chose, retries, timeouts, the proxy opt-out, keys from
/// named variables.
/// Evaluates to the chosen endpoint's origin.
macro_rules! common_settings {
    ($builder:ident, $at:ident, $endpoint:expr) => {{
        let mut chosen = None;
        if let Some((url, origin)) = $endpoint {
            $builder = $builder.endpoint_url(url);
            chosen = Some(origin);
        }
        if let Some(retry) = &$at.overrides.retry {
            $builder = $builder.retry(retry.clone());
        }
        if let Some(timeouts) = &$at.overrides.timeouts {
            $builder = $builder.timeouts(timeouts.clone());
        }
        if $at.overrides.no_proxy {
            $builder = $builder.no_proxy(true);
        }
        if let CredentialSource::Env {
            access_key_env,
            secret_key_env,
        } = &$at.spec.credentials
        {
            $builder = $builder.credentials($at.env_credentials(access_key_env, secret_key_env)?);
        }
        chosen
    }};
}

/// The first of `vars` set to something other than blanks.
#[cfg(feature = "ncloud")]
fn first_set(vars: &[&'static str]) -> Option<&'static str> {
    vars.iter()
        .copied()
        .find(|v| std::env::var(v).is_ok_and(|s| !s.trim().is_empty()))
}

/// A Tencent Cloud client for `spec` (a `tencent` entry) under `overrides`.
///
/// Region: flag, plan, `TENCENTCLOUD_REGION`, the tccli profile's; required. Endpoint: flag,
/// plan, `IMGSHARE_ENDPOINT`, the profile's `cvm.endpoint`, `cvm.tencentcloudapi.com`.
/// Credentials: the entry's source; the default chain assumes `TENCENTCLOUD_ROLE_ARN` when set,
/// as tccli does.
///
/// # Errors
///
/// [`ConnectError`]: no region, an empty or malformed endpoint, an unreadable profile, an unset
/// credentials variable.
#[cfg(feature = "tencent")]
pub async fn tencent(
    spec: &ProviderSpec,
    overrides: &Overrides,
) -> Result<Connection<imgshare_tencent::Client>, ConnectError> {
    use imgshare_tencent::credentials::{
        AssumeRoleProvider, ENV_REGION, TccliProfile, default_chain,
    };
    use imgshare_tencent::{Client, Config, Language};

    let at = Layers { spec, overrides };
    at.expect(ProviderKind::Tencent)?;
    let explicit = at.endpoint()?;
    let fail = |e: imgshare_tencent::TencentError| at.fail(e.into_core());
    let profile = match &spec.credentials {
        CredentialSource::Profile(name) => Some(
            TccliProfile::load(name)
                .await
                .map_err(|e| at.fail(Error::Credentials(e)))?,
        ),
        _ => None,
    };
    let env_region = std::env::var(ENV_REGION).ok().filter(|r| !r.is_empty());
    let region = at
        .region()
        .map(str::to_owned)
        .or(env_region)
        .or_else(|| profile.as_ref().and_then(|p| p.region().map(str::to_owned)))
        .ok_or_else(|| {
            at.fail(InvalidInput::new(
                "region",
                "is required by the CVM API: pass --region (e.g. --region ap-guangzhou), set \
                 `region` in the plan entry, set TENCENTCLOUD_REGION, or use a tccli profile \
                 with a region",
            ))
        })?;
    let mut builder = Config::builder().region(region);
    let endpoint = match explicit {
        Some(chosen) => Some(chosen),
        None => profile.as_ref().and_then(|p| {
            let origin = Origin::Profile(format!("tccli profile {}", p.name()));
            p.endpoint().map(|url| (url.to_owned(), origin))
        }),
    };
    let chosen = common_settings!(builder, at, endpoint);
    let language = match &overrides.language {
        Some(l) => Some(Language::from(l.as_str())),
        None => profile.as_ref().and_then(TccliProfile::language),
    };
    if let Some(language) = language {
        builder = builder.language(language);
    }
    let credentials: Option<Arc<dyn ProvideCredentials>> = match (&spec.credentials, &profile) {
        (CredentialSource::Default, _) => match AssumeRoleProvider::from_env(default_chain()) {
            Some(assumed) => Some(Arc::new(assumed.map_err(fail)?)),
            None => None,
        },
        (CredentialSource::Profile(_), Some(p)) => Some(p.credentials_provider().map_err(fail)?),
        (CredentialSource::File(_), _) => {
            return Err(at.wrong_credentials("a tccli profile or the environment"));
        }
        _ => None,
    };
    if let Some(credentials) = credentials {
        builder = builder.credentials_provider(credentials);
    }
    let client = Client::new(builder.build().map_err(fail)?).map_err(fail)?;
    let target = at.target(
        client.config().endpoint().as_str(),
        imgshare_tencent::config::DEFAULT_ENDPOINT,
        chosen,
        || Origin::Default,
    );
    Ok(Connection { client, target })
}

/// A NAVER Cloud client for `spec` (an `ncloud` entry) under `overrides`.
///
/// Region: flag, plan, `NCLOUD_REGION` (upper-cased). Endpoint: flag, plan,
/// `IMGSHARE_ENDPOINT`, `NCLOUD_API_GW`, `NCLOUD_SITE`, the public site. Credentials: the
/// entry's source (the default chain: environment, `~/.ncloud/configure`, Server Role).
///
/// # Errors
///
/// [`ConnectError`]: an empty or malformed endpoint or region, an unset credentials variable.
#[cfg(feature = "ncloud")]
pub async fn ncloud(
    spec: &ProviderSpec,
    overrides: &Overrides,
) -> Result<Connection<imgshare_ncloud::Client>, ConnectError> {
    use imgshare_ncloud::config::{ENV_API_GW, ENV_SITE, PUBLIC_ENDPOINT};
    use imgshare_ncloud::credentials::ConfigFileProvider;
    use imgshare_ncloud::{Client, Config};

    let at = Layers { spec, overrides };
    at.expect(ProviderKind::Ncloud)?;
    let explicit = at.endpoint()?;
    let fail = |e: imgshare_ncloud::NcloudError| at.fail(e.into_core());
    // The environment and files first; the plan's and the flag's settings then replace theirs.
    let mut builder = Config::from_env();
    if let Some(region) = at.region() {
        builder = builder.region_code(region.to_ascii_uppercase());
    }
    let chosen = common_settings!(builder, at, explicit);
    match &spec.credentials {
        CredentialSource::File(path) => {
            builder = builder.credentials_provider(ConfigFileProvider::with_path(path));
        }
        CredentialSource::Profile(_) => {
            return Err(at.wrong_credentials("a file or the environment"));
        }
        _ => {}
    }
    let client = Client::new(builder.build().map_err(fail)?).map_err(fail)?;
    let target = at.target(
        client.config().endpoint().as_str(),
        PUBLIC_ENDPOINT,
        chosen,
        || first_set(&[ENV_API_GW, ENV_SITE]).map_or(Origin::Default, Origin::Env),
    );
    Ok(Connection { client, target })
}

/// A Samsung Cloud Platform client for `spec` (an `scp` entry) under `overrides`.
///
/// Region, environment, account id: flag, plan, the `SCP_*` variables,
/// `~/.scpconf/config.json`. Endpoint: flag, plan, `IMGSHARE_ENDPOINT`,
/// `SCP_ENDPOINT_OVERRIDE`, `SCP_TF_ENDPOINT_OVERRIDE`, `config.json`'s `endpoint-override`,
/// the region's endpoint. Credentials: the entry's source.
///
/// # Errors
///
/// [`ConnectError`]: an empty or malformed endpoint, no region, an unknown environment or API
/// version, a malformed `config.json`, an unset credentials variable.
#[cfg(feature = "scp")]
pub async fn scp(
    spec: &ProviderSpec,
    overrides: &Overrides,
) -> Result<Connection<imgshare_scp::Client>, ConnectError> {
    use imgshare_scp::config::endpoint_for;
    use imgshare_scp::credentials::ProfileFileProvider;
    use imgshare_scp::{ApiVersion, Client, Config, Environment};

    let at = Layers { spec, overrides };
    at.expect(ProviderKind::Scp)?;
    let explicit = at.endpoint()?;
    let fail = |e: imgshare_scp::ScpError| at.fail(e.into_core());
    // The environment, then config.json; the plan's and the flag's settings then replace theirs.
    let mut builder = Config::load().await.map_err(fail)?;
    if let Some(region) = at.region() {
        builder = builder.region(region);
    }
    if let Some(e) = overrides.environment.as_ref().or(spec.environment.as_ref()) {
        builder = builder.environment(Environment::parse(e).map_err(|e| at.fail(e))?);
    }
    if let Some(account) = overrides.account_id.as_ref().or(spec.account_id.as_ref()) {
        builder = builder.account_id(account);
    }
    if let Some(v) = &overrides.api_version {
        builder = builder.api_version(ApiVersion::parse(v).map_err(|e| at.fail(e))?);
    }
    if let Some(language) = &overrides.language {
        builder = builder.language(language);
    }
    let chosen = common_settings!(builder, at, explicit);
    match &spec.credentials {
        CredentialSource::File(path) => {
            builder = builder.credentials_provider(ProfileFileProvider::with_path(path));
        }
        CredentialSource::Profile(_) => {
            return Err(at.wrong_credentials("a file or the environment"));
        }
        _ => {}
    }
    let client = Client::new(builder.build().map_err(fail)?).map_err(fail)?;
    let config = client.config();
    let default = config
        .region()
        .map(|r| endpoint_for(config.environment(), r))
        .unwrap_or_default();
    let target = at.target(config.endpoint().as_str(), &default, chosen, || {
        // The config knows where its override came from: a variable, or config.json's key.
        match config.shared().endpoint_source() {
            Some(name) if name.starts_with("SCP_") => Origin::Env(name),
            _ => Origin::Profile("~/.scpconf/config.json".to_owned()),
        }
    });
    Ok(Connection { client, target })
}

/// The [`ImageSharing`] of any provider entry (for NAVER Cloud, of its API family).
///
/// # Errors
///
/// As [`tencent`], [`ncloud`] and [`scp`]; also a provider this build has no feature for.
pub async fn sharing(
    spec: &ProviderSpec,
    overrides: &Overrides,
) -> Result<Connection<Arc<dyn ImageSharing>>, ConnectError> {
    match spec.kind {
        #[cfg(feature = "tencent")]
        ProviderKind::Tencent => {
            let Connection { client, target } = tencent(spec, overrides).await?;
            Ok(Connection {
                client: Arc::new(client),
                target,
            })
        }
        #[cfg(feature = "ncloud")]
        ProviderKind::Ncloud => {
            use crate::plan::NcloudApi;
            use crate::sharing::{NcloudClassic, NcloudMemberImages, NcloudServerImages};
            let Connection { client, target } = ncloud(spec, overrides).await?;
            let client: Arc<dyn ImageSharing> = match spec.ncloud_api {
                NcloudApi::ServerImage => Arc::new(NcloudServerImages(client)),
                NcloudApi::MemberImage => Arc::new(NcloudMemberImages(client)),
                NcloudApi::Classic => Arc::new(NcloudClassic(client)),
            };
            Ok(Connection { client, target })
        }
        #[cfg(feature = "scp")]
        ProviderKind::Scp => {
            let Connection { client, target } = scp(spec, overrides).await?;
            Ok(Connection {
                client: Arc::new(client),
                target,
            })
        }
        #[allow(unreachable_patterns)]
        other => Err(Layers { spec, overrides }.fail(InvalidInput::new(
            "type",
            format!("this build of imgshare has no `{other}` feature"),
        ))),
    }
}

/// The variables that say a provider is configured in the environment: Tencent's region (every
/// call needs one), NAVER Cloud's and SCP's access keys.
const CONFIGURED_BY: [(ProviderKind, &[&str]); 3] = [
    (ProviderKind::Tencent, &["TENCENTCLOUD_REGION"]),
    (
        ProviderKind::Ncloud,
        &["NCLOUD_ACCESS_KEY_ID", "NCLOUD_ACCESS_KEY"],
    ),
    (ProviderKind::Scp, &["SCP_ACCESS_KEY"]),
];

/// One entry per provider the environment is set up for (`TENCENTCLOUD_REGION`;
/// `NCLOUD_ACCESS_KEY_ID` or `NCLOUD_ACCESS_KEY`; `SCP_ACCESS_KEY`; set and not empty), each
/// named after its kind with every other setting left to the resolver, which reads the rest of
/// the environment when it connects ([`connect_all`]). For "whatever this machine is configured
/// for", as `imgshare inventory` without a plan; empty when nothing is set.
pub fn providers_from_env() -> Vec<ProviderSpec> {
    providers_from(|name| std::env::var(name).ok())
}

/// [`providers_from_env`], reading each variable with `var` instead of the environment.
pub fn providers_from(var: impl Fn(&str) -> Option<String>) -> Vec<ProviderSpec> {
    let set = |names: &[&str]| names.iter().any(|n| var(n).is_some_and(|v| !v.is_empty()));
    CONFIGURED_BY
        .into_iter()
        .filter(|(_, names)| set(names))
        .map(|(kind, _)| ProviderSpec::new(kind.as_str(), kind))
        .collect()
}

/// Connects every entry of `specs` (nothing is sent yet), each behind its rate limiters; the
/// result's [`Connected::targets`] say where each sends.
///
/// # Errors
///
/// The first entry that cannot be connected.
pub async fn connect_all<'a>(
    specs: impl IntoIterator<Item = &'a ProviderSpec>,
    overrides: &Overrides,
) -> Result<Connected, ConnectError> {
    let mut connected = Connected::new();
    for spec in specs {
        let c = sharing(spec, overrides).await?;
        connected = connected
            .with_sharing(&spec.name, c.client, spec.rate_limit)
            .with_target(c.target);
    }
    Ok(connected)
}

#[cfg(test)]
mod tests;
