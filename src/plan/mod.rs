//! Sharing plans: a TOML file that says, per provider, where credentials come from and which
//! accounts each image should be shared with (exactly, or at least: [`Mode`]), with groups,
//! expiries and guard rails; [`Plan::preview`] shows what would change and whether it can
//! (preflight), [`Plan::apply`] makes it so (optionally waiting, confirming and journaling), and
//! [`import`] writes a plan from the live shares. The format is documented in `docs/PLANS.md`.
//!
//! ```toml
//! [providers.tencent]                  # the name; `type` defaults to it
//! region = "ap-guangzhou"
//! credentials = { access_key_env = "TENCENTCLOUD_SECRET_ID", secret_key_env = "TENCENTCLOUD_SECRET_KEY" }
//! allowed_accounts = ["100000000002", "100000000003"]
//!
//! [[images]]
//! provider = "tencent"
//! image = "img-demo0001"
//! accounts = ["100000000002"]
//! ```
//!
//! A plan is checked whole before anything is sent: a malformed plan, a plan holding a secret,
//! or a share outside a provider's `allowed_accounts` is refused with file, line and field
//! ([`PlanError::Invalid`]).

mod answers;
mod apply;
mod diff;
mod entries;
mod import;
mod inventory;
mod journal;
mod limiter;
mod text;

use std::collections::{BTreeMap, BTreeSet};
use std::fmt;
use std::path::{Path, PathBuf};
use std::time::Duration;

use entries::{RawAccount, RawGroups, check_image_id};
use serde::Deserialize;
use time::OffsetDateTime;
use toml::Spanned;
use toml::de::{DeTable, DeValue};

pub use answers::{AnswerDiff, AnswerReport, AnswerSpec, SharedWithMe, shared_with_me};
pub use apply::{AccountFailure, ApplyOptions, ApplyReport, Connected, ImageReport, Progress};
pub use diff::{EXPIRY_WARNING, Expiring, ImageDiff, PlanDiff};
pub use entries::{Mode, UnknownMode};
pub use import::{ImportOptions, Imported, import};
pub use inventory::{InventoryRow, inventory};
pub use journal::{Journal, JournalEntry};
pub use limiter::RateLimiter;

/// Tencent's documented limit for `ModifyImageSharePermission` and
/// `DescribeImageSharePermission`: 10 requests per second.
pub const TENCENT_SHARE_RATE: f64 = 10.0;
/// The default rate for NAVER Cloud and SCP, which publish no limit: 10 requests per second per
/// action (set `rate_limit` to change it).
pub const DEFAULT_RATE: f64 = 10.0;

/// Why a plan was refused or could not be run.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum PlanError {
    /// The plan file could not be read.
    #[error("{file}: cannot read the plan: {source}")]
    Io {
        /// The file.
        file: String,
        /// Why.
        source: std::io::Error,
    },
    /// The plan is malformed (or holds a secret, or shares outside an allow-list); nothing was
    /// sent.
    #[error("{file}:{line}:{column}: `{field}`: {message}")]
    Invalid {
        /// The file (or `<plan>` for text).
        file: String,
        /// 1-based line.
        line: usize,
        /// 1-based column.
        column: usize,
        /// The field, as a dotted path (`providers.tencent.region`, `images[2].accounts`).
        field: String,
        /// What is wrong.
        message: String,
    },
    /// Applying the plan was refused before any change (a guard rail).
    #[error("refused: {0}")]
    Refused(String),
    /// A provider entry is missing from the connected providers.
    #[error("provider `{provider}`: {message}")]
    Provider {
        /// The provider's name in the plan.
        provider: String,
        /// Why.
        message: String,
    },
    /// A provider's client could not be built (an empty or malformed endpoint, no region, an
    /// unset credentials variable, …); nothing was sent.
    #[error(transparent)]
    Connect(#[from] crate::connect::ConnectError),
}

impl PlanError {
    /// The field a [`PlanError::Invalid`] names.
    pub fn field(&self) -> Option<&str> {
        match self {
            PlanError::Invalid { field, .. } => Some(field),
            _ => None,
        }
    }

    /// The line a [`PlanError::Invalid`] points at.
    pub fn line(&self) -> Option<usize> {
        match self {
            PlanError::Invalid { line, .. } => Some(*line),
            _ => None,
        }
    }
}

/// The cloud behind a provider entry.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
#[non_exhaustive]
pub enum ProviderKind {
    /// Tencent Cloud CVM.
    Tencent,
    /// NAVER Cloud (one API family per entry, see [`NcloudApi`]).
    Ncloud,
    /// Samsung Cloud Platform v2.
    Scp,
}

impl ProviderKind {
    fn parse(text: &str) -> Option<Self> {
        match text {
            "tencent" => Some(ProviderKind::Tencent),
            "ncloud" => Some(ProviderKind::Ncloud),
            "scp" => Some(ProviderKind::Scp),
            _ => None,
        }
    }

    /// `tencent`, `ncloud` or `scp`.
    pub fn as_str(self) -> &'static str {
        match self {
            ProviderKind::Tencent => "tencent",
            ProviderKind::Ncloud => "ncloud",
            ProviderKind::Scp => "scp",
        }
    }
}

/// The NAVER Cloud API family of an `ncloud` entry.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum NcloudApi {
    /// VPC server images (`serverImageNo`), the default.
    ServerImage,
    /// VPC member server image instances (`memberServerImageInstanceNo`).
    MemberImage,
    /// Classic member server images (`memberServerImageNo`).
    Classic,
}

impl NcloudApi {
    /// `server-image`, `member-image` or `classic`, as plans and the CLI's `--api` spell it.
    pub fn as_str(self) -> &'static str {
        match self {
            NcloudApi::ServerImage => "server-image",
            NcloudApi::MemberImage => "member-image",
            NcloudApi::Classic => "classic",
        }
    }
}

impl fmt::Display for NcloudApi {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// Parses the spelling [`NcloudApi::as_str`] gives; the error names the accepted ones.
impl std::str::FromStr for NcloudApi {
    type Err = String;

    fn from_str(text: &str) -> Result<Self, String> {
        [
            NcloudApi::ServerImage,
            NcloudApi::MemberImage,
            NcloudApi::Classic,
        ]
        .into_iter()
        .find(|api| api.as_str() == text)
        .ok_or_else(|| format!("{text:?}: use server-image, member-image or classic"))
    }
}

/// Where a provider's credentials come from. Never the secret itself.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum CredentialSource {
    /// The provider's default chain (environment, files, instance role), as its CLI reads it.
    Default,
    /// Tencent only: tccli's profile `~/.tccli/NAME.credential`.
    Profile(String),
    /// NAVER Cloud (`~/.ncloud/configure` format) or SCP (`credentials.json` format): a file.
    File(PathBuf),
    /// Two environment variables holding the access key and the secret key.
    Env {
        /// The variable holding the access key id.
        access_key_env: String,
        /// The variable holding the secret key.
        secret_key_env: String,
    },
}

/// One provider entry of a plan.
#[derive(Debug, Clone)]
#[non_exhaustive]
pub struct ProviderSpec {
    /// The entry's name (`[providers.NAME]`), which images refer to.
    pub name: String,
    /// The cloud.
    pub kind: ProviderKind,
    /// Where credentials come from.
    pub credentials: CredentialSource,
    /// The region (Tencent `ap-guangzhou`, NAVER Cloud `KR`, SCP `kr-west1`).
    pub region: Option<String>,
    /// An endpoint override (a proxy, a local fake).
    pub endpoint: Option<String>,
    /// The only accounts this provider may ever share with, when set.
    pub allowed_accounts: Option<BTreeSet<String>>,
    /// Requests per second per action.
    pub rate_limit: f64,
    /// NAVER Cloud: the API family.
    pub ncloud_api: NcloudApi,
    /// SCP: the environment (`e`, `s`, `g`).
    pub environment: Option<String>,
    /// SCP: the own account id (lets inventories keep only owned images).
    pub account_id: Option<String>,
    /// The mode of this provider's images that do not set their own.
    pub mode: Mode,
    /// Named account groups, used as `"@NAME"` in an image's `accounts`.
    pub groups: BTreeMap<String, Vec<String>>,
}

impl ProviderSpec {
    /// An entry named `name` that sets nothing: default credentials, and no region or endpoint
    /// of its own (the environment, profile files and defaults then decide, see
    /// [`connect`](crate::connect)); the provider's default rate.
    pub fn new(name: impl Into<String>, kind: ProviderKind) -> Self {
        ProviderSpec {
            name: name.into(),
            kind,
            credentials: CredentialSource::Default,
            region: None,
            endpoint: None,
            allowed_accounts: None,
            rate_limit: if kind == ProviderKind::Tencent {
                TENCENT_SHARE_RATE
            } else {
                DEFAULT_RATE
            },
            ncloud_api: NcloudApi::ServerImage,
            environment: None,
            account_id: None,
            mode: Mode::Exact,
            groups: BTreeMap::new(),
        }
    }

    /// The pause between two requests of one action.
    pub fn interval(&self) -> Duration {
        Duration::from_secs_f64(1.0 / self.rate_limit)
    }
}

/// One image of a plan and the accounts it should be shared with.
#[derive(Debug, Clone)]
#[non_exhaustive]
pub struct ImageSpec {
    /// The provider entry's name.
    pub provider: String,
    /// The image id.
    pub image: String,
    /// The accounts that should have it, groups expanded, in plan order (with
    /// [`Mode::Exact`], no others).
    pub accounts: Vec<String>,
    /// Exact, or at least the accounts (the image's `mode`, else its provider's).
    pub mode: Mode,
    /// When an account's share ends; past it, apply removes the share.
    pub expires: BTreeMap<String, OffsetDateTime>,
    /// Whether an empty `accounts` may remove every share of the image.
    pub remove_all: bool,
    /// The line of the image's `image` key.
    pub line: usize,
}

/// A parsed, checked sharing plan.
#[derive(Debug, Clone)]
pub struct Plan {
    file: String,
    providers: BTreeMap<String, ProviderSpec>,
    images: Vec<ImageSpec>,
    answers: Vec<AnswerSpec>,
}

/// Keys that would hold a secret: refused anywhere in a plan.
const SECRET_KEYS: [&str; 12] = [
    "secret",
    "secret_key",
    "secret_id",
    "secret_access_key",
    "access_key",
    "access_key_id",
    "password",
    "token",
    "session_token",
    "private_key",
    "api_key",
    "credential",
];

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawPlan {
    #[serde(default)]
    providers: BTreeMap<String, Spanned<RawProvider>>,
    #[serde(default)]
    images: Vec<Spanned<RawImage>>,
    #[serde(default)]
    answers: Vec<Spanned<answers::RawAnswer>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawProvider {
    #[serde(rename = "type")]
    kind: Option<Spanned<String>>,
    credentials: Option<Spanned<RawCredentials>>,
    region: Option<String>,
    endpoint: Option<Spanned<String>>,
    allowed_accounts: Option<Vec<Spanned<String>>>,
    rate_limit: Option<Spanned<f64>>,
    api: Option<Spanned<String>>,
    environment: Option<String>,
    account_id: Option<String>,
    mode: Option<Spanned<String>>,
    groups: Option<Spanned<RawGroups>>,
}

#[derive(Deserialize)]
#[serde(untagged)]
enum RawCredentials {
    Named(String),
    Table(RawCredentialTable),
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawCredentialTable {
    profile: Option<String>,
    file: Option<PathBuf>,
    access_key_env: Option<String>,
    secret_key_env: Option<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawImage {
    provider: Spanned<String>,
    image: Spanned<String>,
    accounts: Spanned<Vec<Spanned<RawAccount>>>,
    #[serde(default)]
    remove_all: bool,
    mode: Option<Spanned<String>>,
}

/// Line and column (1-based) of byte `offset` in `text`.
fn position(text: &str, offset: usize) -> (usize, usize) {
    let before = &text[..offset.min(text.len())];
    let line = before.matches('\n').count() + 1;
    let column = before.rsplit('\n').next().map_or(0, |l| l.chars().count()) + 1;
    (line, column)
}

struct Checker<'a> {
    file: &'a str,
    text: &'a str,
}

impl Checker<'_> {
    fn invalid(
        &self,
        span: std::ops::Range<usize>,
        field: impl Into<String>,
        message: impl Into<String>,
    ) -> PlanError {
        let (line, column) = position(self.text, span.start);
        PlanError::Invalid {
            file: self.file.to_owned(),
            line,
            column,
            field: field.into(),
            message: message.into(),
        }
    }
}

impl Checker<'_> {
    fn mode(
        &self,
        raw: Option<&Spanned<String>>,
        field: String,
    ) -> Result<Option<Mode>, PlanError> {
        let Some(raw) = raw else { return Ok(None) };
        let mode = raw.get_ref().parse::<Mode>();
        mode.map(Some)
            .map_err(|e| self.invalid(raw.span(), field, e.to_string()))
    }

    /// A provider's groups: named `[A-Za-z0-9_-]+`, members non-empty, once each, and inside
    /// the provider's allow-list.
    fn groups(
        &self,
        raw: Spanned<RawGroups>,
        provider: &str,
        allowed: Option<&BTreeSet<String>>,
    ) -> Result<BTreeMap<String, Vec<String>>, PlanError> {
        let span = raw.span();
        let mut out = BTreeMap::new();
        for (name, members) in raw.into_inner() {
            let field = format!("providers.{provider}.groups.{name}");
            let named = !name.is_empty()
                && name
                    .bytes()
                    .all(|b| b.is_ascii_alphanumeric() || b == b'_' || b == b'-');
            if !named {
                let message = "a group's name is letters, digits, `_` and `-`";
                return Err(self.invalid(span, field, message));
            }
            let mut list: Vec<String> = Vec::new();
            for (j, m) in members.into_iter().enumerate() {
                let at = format!("{field}[{j}]");
                let account = m.get_ref();
                let problem = if account.trim().is_empty() || account.starts_with('@') {
                    Some("empty account, or a group inside a group".to_owned())
                } else if list.contains(account) {
                    Some(format!("{account:?} is listed twice"))
                } else if allowed.is_some_and(|a| !a.contains(account)) {
                    Some(format!(
                        "{account:?} is not in providers.{provider}.allowed_accounts"
                    ))
                } else {
                    None
                };
                if let Some(message) = problem {
                    return Err(self.invalid(m.span(), at, message));
                }
                list.push(m.into_inner());
            }
            out.insert(name, list);
        }
        Ok(out)
    }

    /// An image's accounts, `@group`s expanded, each checked against the allow-list, with
    /// their expiries. An account reached twice (two groups) counts once, with one expiry.
    fn accounts(
        &self,
        raw: &Spanned<Vec<Spanned<RawAccount>>>,
        i: usize,
        spec: &ProviderSpec,
    ) -> Result<(Vec<String>, BTreeMap<String, OffsetDateTime>), PlanError> {
        let provider = &spec.name;
        let mut accounts: Vec<String> = Vec::new();
        let mut expires = BTreeMap::new();
        let mut written = BTreeSet::new();
        for (j, a) in raw.get_ref().iter().enumerate() {
            let field = format!("images[{i}].accounts[{j}]");
            let entry = a.get_ref();
            let name = entry.name();
            let fail = |message: String| self.invalid(a.span(), field.clone(), message);
            if name.trim().is_empty() {
                return Err(fail("empty account".into()));
            }
            if !written.insert(name) {
                return Err(fail(format!("{name:?} is listed twice")));
            }
            let expiry = entry.expires().map_err(&fail)?;
            let members: Vec<String> = match name.strip_prefix('@') {
                Some(group) => spec.groups.get(group).cloned().ok_or_else(|| {
                    fail(format!(
                        "no group {group:?} in providers.{provider}.groups (defined: {})",
                        spec.groups.keys().cloned().collect::<Vec<_>>().join(", ")
                    ))
                })?,
                None => vec![name.to_owned()],
            };
            for account in members {
                if let Some(allowed) = &spec.allowed_accounts
                    && !allowed.contains(&account)
                {
                    return Err(fail(format!(
                        "{account:?} is not in providers.{provider}.allowed_accounts: \
                         provider {provider:?} may share only with the accounts listed there"
                    )));
                }
                if accounts.contains(&account) {
                    if expires.get(&account) != expiry.as_ref() {
                        return Err(fail(format!(
                            "{account:?} is reached twice with different expiries"
                        )));
                    }
                    continue;
                }
                if let Some(at) = expiry {
                    expires.insert(account.clone(), at);
                }
                accounts.push(account);
            }
        }
        Ok((accounts, expires))
    }
}

/// Every key of the document: dotted path, key span, value span.
fn all_keys(
    table: &DeTable<'_>,
    prefix: &str,
    out: &mut Vec<(String, std::ops::Range<usize>, std::ops::Range<usize>)>,
) {
    for (key, value) in table {
        let path = if prefix.is_empty() {
            key.get_ref().to_string()
        } else {
            format!("{prefix}.{}", key.get_ref())
        };
        out.push((path.clone(), key.span(), value.span()));
        all_values(value.get_ref(), &path, out);
    }
}

fn all_values(
    value: &DeValue<'_>,
    path: &str,
    out: &mut Vec<(String, std::ops::Range<usize>, std::ops::Range<usize>)>,
) {
    match value {
        DeValue::Table(t) => all_keys(t, path, out),
        DeValue::Array(items) => {
            for (i, item) in items.iter().enumerate() {
                let here = format!("{path}[{i}]");
                out.push((here.clone(), item.span(), item.span()));
                all_values(item.get_ref(), &here, out);
            }
        }
        _ => {}
    }
}

/// The dotted path of the key (or the narrowest value) at byte `offset`.
fn field_at(table: &DeTable<'_>, offset: usize) -> Option<String> {
    let mut keys = Vec::new();
    all_keys(table, "", &mut keys);
    if let Some((path, _, _)) = keys.iter().find(|(_, k, _)| k.contains(&offset)) {
        return Some(path.clone());
    }
    keys.iter()
        .filter(|(_, _, v)| v.contains(&offset))
        .min_by_key(|(_, _, v)| v.len())
        .map(|(path, _, _)| path.clone())
}

/// Refuses any key naming a secret, wherever it is.
fn find_secret(table: &DeTable<'_>, prefix: &str) -> Option<(std::ops::Range<usize>, String)> {
    for (key, value) in table {
        let path = if prefix.is_empty() {
            key.get_ref().to_string()
        } else {
            format!("{prefix}.{}", key.get_ref())
        };
        let name = key.get_ref().to_ascii_lowercase();
        if SECRET_KEYS.contains(&name.as_str()) {
            return Some((key.span(), path));
        }
        let nested =
            match value.get_ref() {
                DeValue::Table(t) => find_secret(t, &path),
                DeValue::Array(items) => items.iter().enumerate().find_map(|(i, item)| match item
                    .get_ref()
                {
                    DeValue::Table(t) => find_secret(t, &format!("{path}[{i}]")),
                    _ => None,
                }),
                _ => None,
            };
        if nested.is_some() {
            return nested;
        }
    }
    None
}

impl Plan {
    /// Reads and checks a plan file.
    ///
    /// # Errors
    ///
    /// [`PlanError::Io`], or [`PlanError::Invalid`] with file, line and field.
    pub fn from_file(path: impl AsRef<Path>) -> Result<Plan, PlanError> {
        let path = path.as_ref();
        let file = path.display().to_string();
        let text = read_bounded(path).map_err(|source| PlanError::Io {
            file: file.clone(),
            source,
        })?;
        Plan::parse(&text, &file)
    }

    /// Parses and checks plan text; `file` names it in errors.
    ///
    /// # Errors
    ///
    /// [`PlanError::Invalid`] with file, line and field for the first problem found.
    pub fn parse(text: &str, file: &str) -> Result<Plan, PlanError> {
        let check = Checker { file, text };
        let doc = DeTable::parse(text).map_err(|e| {
            let span = e.span().unwrap_or(0..0);
            check.invalid(span, "(syntax)", e.message().to_owned())
        })?;
        if let Some((span, field)) = find_secret(doc.get_ref(), "") {
            return Err(check.invalid(
                span,
                field,
                "plans never hold secrets (a plan is reviewed, committed and shared): say where \
                 the keys come from instead, with `credentials = \"default\"`, \
                 `credentials = { profile = \"NAME\" }` (tencent), `credentials = { file = \
                 \"PATH\" }` (ncloud, scp) or `credentials = { access_key_env = \"VAR\", \
                 secret_key_env = \"VAR\" }`",
            ));
        }
        let raw: RawPlan = toml::from_str(text).map_err(|e| {
            let span = e.span().unwrap_or(0..0);
            let field = field_at(doc.get_ref(), span.start).unwrap_or_else(|| "(plan)".into());
            check.invalid(span, field, e.message().to_owned())
        })?;
        Plan::check(raw, &check)
    }

    fn check(raw: RawPlan, check: &Checker<'_>) -> Result<Plan, PlanError> {
        let mut providers = BTreeMap::new();
        for (name, entry) in raw.providers {
            let span = entry.span();
            let p = entry.into_inner();
            let at = |f: &str| format!("providers.{name}.{f}");
            let (kind, kind_span) = match &p.kind {
                Some(k) => (k.get_ref().as_str(), k.span()),
                None => (name.as_str(), span.clone()),
            };
            let kind = ProviderKind::parse(kind).ok_or_else(|| {
                check.invalid(
                    kind_span,
                    at("type"),
                    format!(
                        "unknown provider type {kind:?}: use tencent, ncloud or scp (`type` \
                         defaults to the entry's name)"
                    ),
                )
            })?;
            let credentials = match p.credentials {
                None => CredentialSource::Default,
                Some(c) => {
                    let cspan = c.span();
                    let field = at("credentials");
                    match c.into_inner() {
                        RawCredentials::Named(n) if n == "default" => CredentialSource::Default,
                        RawCredentials::Named(n) => {
                            return Err(check.invalid(
                                cspan,
                                field,
                                // Not echoed: a pasted key is the likeliest mistake here.
                                format!(
                                    "is not a credentials source ({} characters; the value is not \
                                     shown, in case it is a key): use \"default\" or a table \
                                     with profile, file, or access_key_env and secret_key_env \
                                     (never the keys themselves)",
                                    n.chars().count()
                                ),
                            ));
                        }
                        RawCredentials::Table(t) => {
                            credential_table(t, kind).map_err(|m| check.invalid(cspan, field, m))?
                        }
                    }
                }
            };
            let rate_limit = match &p.rate_limit {
                None if kind == ProviderKind::Tencent => TENCENT_SHARE_RATE,
                None => DEFAULT_RATE,
                Some(r) => {
                    let rate = *r.get_ref();
                    let max = if kind == ProviderKind::Tencent {
                        TENCENT_SHARE_RATE
                    } else {
                        1000.0
                    };
                    if !(MIN_RATE..=max).contains(&rate) {
                        return Err(check.invalid(
                            r.span(),
                            at("rate_limit"),
                            format!(
                                "requests per second must be at least {MIN_RATE} (one request \
                                 every 100 s; less would make `plan apply` wait for hours) and \
                                 at most {max} (Tencent documents 10/s for the share APIs)"
                            ),
                        ));
                    }
                    rate
                }
            };
            let ncloud_api = match &p.api {
                None => NcloudApi::ServerImage,
                Some(a) if kind != ProviderKind::Ncloud => {
                    return Err(check.invalid(
                        a.span(),
                        at("api"),
                        "only ncloud entries have an API family",
                    ));
                }
                Some(a) => (a.get_ref().parse())
                    .map_err(|message| check.invalid(a.span(), at("api"), message))?,
            };
            if kind != ProviderKind::Scp && (p.environment.is_some() || p.account_id.is_some()) {
                return Err(check.invalid(
                    span,
                    at("environment"),
                    "`environment` and `account_id` are for scp entries only",
                ));
            }
            if kind == ProviderKind::Tencent && p.region.is_none() {
                return Err(check.invalid(
                    span,
                    at("region"),
                    "tencent entries need a region (e.g. ap-guangzhou)",
                ));
            }
            if let Some(e) = &p.endpoint
                && e.get_ref().trim().is_empty()
            {
                return Err(check.invalid(
                    e.span(),
                    at("endpoint"),
                    "empty endpoint: give a URL, or leave the key out for the provider's default",
                ));
            }
            let mut allowed = None;
            if let Some(list) = p.allowed_accounts {
                let mut set = BTreeSet::new();
                for (i, a) in list.into_iter().enumerate() {
                    if a.get_ref().trim().is_empty() {
                        return Err(check.invalid(
                            a.span(),
                            format!("providers.{name}.allowed_accounts[{i}]"),
                            "empty account",
                        ));
                    }
                    set.insert(a.into_inner());
                }
                allowed = Some(set);
            }
            let mode = check.mode(p.mode.as_ref(), at("mode"))?.unwrap_or_default();
            let groups = match p.groups {
                None => BTreeMap::new(),
                Some(g) => check.groups(g, &name, allowed.as_ref())?,
            };
            providers.insert(
                name.clone(),
                ProviderSpec {
                    name,
                    kind,
                    credentials,
                    region: p.region,
                    endpoint: p.endpoint.map(Spanned::into_inner),
                    allowed_accounts: allowed,
                    rate_limit,
                    ncloud_api,
                    environment: p.environment,
                    account_id: p.account_id,
                    mode,
                    groups,
                },
            );
        }
        let mut images: Vec<ImageSpec> = Vec::new();
        let mut seen = BTreeSet::new();
        for (i, entry) in raw.images.into_iter().enumerate() {
            let img = entry.into_inner();
            let at = |f: &str| format!("images[{i}].{f}");
            let provider = img.provider.get_ref();
            let Some(spec) = providers.get(provider) else {
                return Err(check.invalid(
                    img.provider.span(),
                    at("provider"),
                    format!(
                        "no provider {provider:?} in [providers] (defined: {})",
                        providers.keys().cloned().collect::<Vec<_>>().join(", ")
                    ),
                ));
            };
            let image = img.image.get_ref();
            if image.trim().is_empty() {
                return Err(check.invalid(img.image.span(), at("image"), "empty image id"));
            }
            check_image_id(spec.kind, image).map_err(|m| {
                check.invalid(
                    img.image.span(),
                    at("image"),
                    format!("not a {} image id: {m}", spec.kind),
                )
            })?;
            if !seen.insert((provider.clone(), image.clone())) {
                return Err(check.invalid(
                    img.image.span(),
                    at("image"),
                    format!("image {image:?} of provider {provider:?} is listed twice"),
                ));
            }
            let mode = check
                .mode(img.mode.as_ref(), at("mode"))?
                .unwrap_or(spec.mode);
            let (accounts, expires) = check.accounts(&img.accounts, i, spec)?;
            let (line, _) = position(check.text, img.image.span().start);
            images.push(ImageSpec {
                provider: provider.clone(),
                image: image.clone(),
                accounts,
                mode,
                expires,
                remove_all: img.remove_all,
                line,
            });
        }
        let answers = answers::check(raw.answers, &providers, check)?;
        Ok(Plan {
            file: check.file.to_owned(),
            providers,
            images,
            answers,
        })
    }

    /// The file the plan came from.
    pub fn file(&self) -> &str {
        &self.file
    }

    /// The provider entries, by name.
    pub fn providers(&self) -> impl Iterator<Item = &ProviderSpec> {
        self.providers.values()
    }

    /// A provider entry.
    pub fn provider(&self, name: &str) -> Option<&ProviderSpec> {
        self.providers.get(name)
    }

    /// The images, in file order.
    pub fn images(&self) -> &[ImageSpec] {
        &self.images
    }

    /// The recipient's answers (`[[answers]]`), in file order.
    pub fn answers(&self) -> &[AnswerSpec] {
        &self.answers
    }

    /// The images that would lose every share (empty `accounts`) without saying
    /// `remove_all = true`; [`Plan::apply`] refuses them unless
    /// [`ApplyOptions::allow_remove_all`] is set.
    pub fn unguarded_removals(&self) -> Vec<&ImageSpec> {
        self.images
            .iter()
            .filter(|i| i.mode == Mode::Exact && i.accounts.is_empty() && !i.remove_all)
            .collect()
    }
}

fn credential_table(t: RawCredentialTable, kind: ProviderKind) -> Result<CredentialSource, String> {
    match (t.profile, t.file, t.access_key_env, t.secret_key_env) {
        (Some(p), None, None, None) => {
            if kind == ProviderKind::Tencent {
                Ok(CredentialSource::Profile(p))
            } else {
                Err(format!(
                    "profiles are tccli's (tencent only); for {} use `file` or the environment",
                    kind.as_str()
                ))
            }
        }
        (None, Some(f), None, None) => {
            if kind == ProviderKind::Tencent {
                Err("for tencent use `profile` (tccli) or the environment".into())
            } else {
                Ok(CredentialSource::File(f))
            }
        }
        (None, None, Some(a), Some(s)) => {
            env_name(&a, "access_key_env")?;
            env_name(&s, "secret_key_env")?;
            Ok(CredentialSource::Env {
                access_key_env: a,
                secret_key_env: s,
            })
        }
        (None, None, Some(_), None) | (None, None, None, Some(_)) => {
            Err("give both access_key_env and secret_key_env".into())
        }
        _ => Err("give exactly one of profile, file, or access_key_env with secret_key_env".into()),
    }
}

/// The slowest rate a plan may ask for, in requests per second.
pub const MIN_RATE: f64 = 0.01;

/// The largest plan file read: thousands of images fit; `/dev/zero` or a log file given by
/// mistake is refused before it fills memory.
pub const MAX_PLAN_BYTES: u64 = 4 * 1024 * 1024;

/// Reads at most [`MAX_PLAN_BYTES`] (and one byte more, to tell a file that is too large).
fn read_bounded(path: &Path) -> std::io::Result<String> {
    use std::io::Read as _;
    let mut bytes = Vec::new();
    std::fs::File::open(path)?
        .take(MAX_PLAN_BYTES + 1)
        .read_to_end(&mut bytes)?;
    if bytes.len() as u64 > MAX_PLAN_BYTES {
        return Err(std::io::Error::new(
            std::io::ErrorKind::InvalidData,
            format!("the file is larger than {MAX_PLAN_BYTES} bytes"),
        ));
    }
    String::from_utf8(bytes).map_err(|_| {
        std::io::Error::new(
            std::io::ErrorKind::InvalidData,
            "the file is not UTF-8 text",
        )
    })
}

/// The longest variable name a plan may give; names are short, keys pasted by mistake long.
const MAX_ENV_NAME: usize = 128;

/// `name` must look like an environment variable's name (`[A-Za-z_][A-Za-z0-9_]*`, at most
/// [`MAX_ENV_NAME`]); the error names the field and never the value, which may be a key pasted
/// where its variable's name belongs.
fn env_name(name: &str, field: &str) -> Result<(), String> {
    let shaped = name.len() <= MAX_ENV_NAME
        && name.starts_with(|c: char| c.is_ascii_alphabetic() || c == '_')
        && name.chars().all(|c| c.is_ascii_alphanumeric() || c == '_');
    if shaped {
        return Ok(());
    }
    Err(format!(
        "`{field}` must be the name of an environment variable (letters, digits and `_`, at most \
         {MAX_ENV_NAME}; the value is not shown, in case it is a key)"
    ))
}

impl fmt::Display for ProviderKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

#[cfg(test)]
mod tests;
