//! What an image entry's `accounts` may hold beyond plain ids: `"@group"` names of a provider's
//! `groups`, and `{ account = "…", expires = "RFC 3339" }` tables; the `mode` that says
//! whether unnamed accounts are removed; and each provider's image-id shape.

use std::collections::BTreeMap;
use std::fmt;

use serde::{Deserialize, Serialize};
use time::OffsetDateTime;
use time::format_description::well_known::Rfc3339;
use toml::Spanned;

use super::ProviderKind;

/// Whether an image's shares are exactly its `accounts`, or at least them.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
#[non_exhaustive]
pub enum Mode {
    /// Exactly the named accounts: any other account loses the image (the default).
    #[default]
    Exact,
    /// At least the named accounts: an account the plan does not name is never removed (it is
    /// reported as unmanaged). Named accounts whose expiry has passed are still removed.
    AtLeast,
}

impl Mode {
    /// `exact` or `at-least`, as plans spell it.
    pub fn as_str(self) -> &'static str {
        match self {
            Mode::Exact => "exact",
            Mode::AtLeast => "at-least",
        }
    }
}

/// A mode that is neither `exact` nor `at-least`.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{0:?}: use \"exact\" or \"at-least\"")]
pub struct UnknownMode(pub String);

/// `exact` or `at-least`, as plans spell it (so a command line can take a mode too).
impl std::str::FromStr for Mode {
    type Err = UnknownMode;

    fn from_str(text: &str) -> Result<Mode, UnknownMode> {
        match text {
            "exact" => Ok(Mode::Exact),
            "at-least" => Ok(Mode::AtLeast),
            _ => Err(UnknownMode(text.to_owned())),
        }
    }
}

impl fmt::Display for Mode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// One item of `accounts`: an id or `@group`, bare or with an expiry.
#[derive(Deserialize)]
#[serde(untagged)]
pub(super) enum RawAccount {
    Plain(String),
    Table(RawAccountTable),
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct RawAccountTable {
    pub(super) account: String,
    pub(super) expires: Option<RawTime>,
}

/// An expiry, quoted (`"2026-01-01T00:00:00Z"`) or as a TOML offset date-time.
#[derive(Deserialize)]
#[serde(untagged)]
pub(super) enum RawTime {
    Text(String),
    Toml(toml::value::Datetime),
}

impl RawAccount {
    pub(super) fn name(&self) -> &str {
        match self {
            RawAccount::Plain(a) => a,
            RawAccount::Table(t) => &t.account,
        }
    }

    /// The expiry, parsed; an error says what an expiry must look like.
    pub(super) fn expires(&self) -> Result<Option<OffsetDateTime>, String> {
        let RawAccount::Table(RawAccountTable {
            expires: Some(raw), ..
        }) = self
        else {
            return Ok(None);
        };
        let text = match raw {
            RawTime::Text(t) => t.clone(),
            RawTime::Toml(t) => t.to_string(),
        };
        OffsetDateTime::parse(&text, &Rfc3339)
            .map(Some)
            .map_err(|_| {
                format!(
                    "expiry {text:?} is not an RFC 3339 date-time with an offset (e.g. \
                     \"2026-01-31T00:00:00Z\")"
                )
            })
    }
}

/// A provider's named account groups, as written (`groups = { ops = ["…"] }`).
pub(super) type RawGroups = BTreeMap<String, Vec<Spanned<String>>>;

/// Checks `image` against `kind`'s documented image-id shape, so a malformed id is refused
/// with the plan's line rather than at apply.
#[cfg_attr(
    not(any(feature = "tencent", feature = "ncloud", feature = "scp")),
    allow(unused_variables)
)]
pub(super) fn check_image_id(kind: ProviderKind, image: &str) -> Result<(), String> {
    let result: Result<(), imgshare_core::InvalidInput> = match kind {
        #[cfg(feature = "tencent")]
        ProviderKind::Tencent => imgshare_tencent::validate::IMAGE_ID.check("image", image),
        #[cfg(feature = "ncloud")]
        ProviderKind::Ncloud => imgshare_ncloud::validate::image_no("image", image),
        #[cfg(feature = "scp")]
        ProviderKind::Scp => imgshare_scp::validate::image_id("image", image),
        #[allow(unreachable_patterns)]
        _ => Ok(()),
    };
    result.map_err(|e| e.message().to_owned())
}

impl super::ImageSpec {
    /// Named accounts whose expiry is at or before `now`.
    pub fn expired_at(&self, now: OffsetDateTime) -> Vec<String> {
        self.accounts
            .iter()
            .filter(|a| self.expires.get(*a).is_some_and(|at| *at <= now))
            .cloned()
            .collect()
    }

    /// What [`Plan::apply`](super::Plan::apply) makes the image's shares at `now`: the named
    /// accounts, exactly or at least (the entry's mode), with expired ones removed.
    pub fn desired_at(&self, now: OffsetDateTime) -> crate::sharing::Desired {
        use crate::sharing::Desired;
        let accounts = self.accounts.clone();
        let desired = match self.mode {
            Mode::Exact => Desired::exact(accounts),
            Mode::AtLeast => Desired::at_least(accounts),
        };
        desired.revoking(self.expired_at(now))
    }
}
