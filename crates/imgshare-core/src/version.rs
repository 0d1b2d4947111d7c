//! `major.minor` API versions that a client pins on every request, and a provider's policy for
//! them, described as data: which versions are no longer served (refused before anything is
//! sent), whose minimum support guarantee has ended (used, with a warning), and which this SDK was
//! checked against (newer ones are used, with a warning).

use std::fmt;

use time::Date;

use crate::error::InvalidInput;

/// A `major.minor` version.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Version {
    major: u16,
    minor: u16,
}

impl Version {
    /// `major.minor`.
    pub const fn new(major: u16, minor: u16) -> Self {
        Self { major, minor }
    }

    /// The major number.
    pub fn major(self) -> u16 {
        self.major
    }

    /// The minor number.
    pub fn minor(self) -> u16 {
        self.minor
    }
}

impl fmt::Display for Version {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}.{}", self.major, self.minor)
    }
}

/// A provider's policy for one product's API versions.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct VersionPolicy {
    /// The provider, as messages name it (`SCP`).
    pub provider: &'static str,
    /// The product, written before the number (`virtualserver 1.3`).
    pub product: &'static str,
    /// The version used when none is chosen, and recommended by every message.
    pub default: Version,
    /// The oldest version still served: older ones are past their Not Before dates.
    pub oldest_served: Version,
    /// Versions whose minimum support guarantee ends, with the last day it covers.
    pub support_ends: &'static [(Version, Date)],
    /// What this SDK checked for each version (`image-member schemas`).
    pub verified: &'static str,
    /// The oldest version this SDK was checked against.
    pub verified_from: Version,
    /// The newest version this SDK was checked against.
    pub verified_to: Version,
}

impl VersionPolicy {
    /// Parses `1.3`, `v1.3` or `<product> 1.3`, refusing versions no longer served.
    ///
    /// # Errors
    ///
    /// [`InvalidInput`] naming `field`: malformed, or older than
    /// [`oldest_served`](Self::oldest_served).
    pub fn parse(&self, field: &'static str, text: &str) -> Result<Version, InvalidInput> {
        let t = text.trim();
        let t = t.strip_prefix(self.product).map_or(t, str::trim_start);
        let t = t.strip_prefix('v').unwrap_or(t);
        let parsed = t
            .split_once('.')
            .and_then(|(a, b)| Some(Version::new(a.parse().ok()?, b.parse().ok()?)));
        let Some(version) = parsed else {
            let example = self.default;
            return Err(InvalidInput::new(
                field,
                format!("must look like {example}, got {text:?}"),
            ));
        };
        if version < self.oldest_served {
            let (product, provider, default) = (self.product, self.provider, self.default);
            let mut message = format!(
                "{product} {version} is deprecated and past its Not Before date, so {provider} no \
                 longer serves it: use {default}"
            );
            if self.oldest_served != default {
                message.push_str(&format!(" (or {})", self.oldest_served));
            }
            return Err(InvalidInput::new(field, message));
        }
        Ok(version)
    }

    /// The value sent: `<product> <version>`.
    pub fn header_value(&self, version: Version) -> String {
        format!("{} {version}", self.product)
    }

    /// Why using `version` on `today` is risky, if it is: its support guarantee has ended, or
    /// it is newer than the versions this SDK was checked against.
    pub fn warning(&self, version: Version, today: Date) -> Option<String> {
        let (product, provider, default) = (self.product, self.provider, self.default);
        let ended = self
            .support_ends
            .iter()
            .find(|(v, last_day)| *v == version && today > *last_day);
        if let Some((_, last_day)) = ended {
            return Some(format!(
                "{product} {version}'s minimum support guarantee ended {last_day}; {provider} may \
                 retire it at any time: use {default}"
            ));
        }
        (version > self.verified_to).then(|| {
            format!(
                "{} were verified for {product} {} to {} only",
                self.verified, self.verified_from, self.verified_to
            )
        })
    }

    /// Logs [`VersionPolicy::warning`] for today (UTC) as a `tracing` warning.
    pub fn warn_if_risky(&self, version: Version) {
        let today = time::OffsetDateTime::now_utc().date();
        if let Some(warning) = self.warning(version, today) {
            tracing::warn!(api_version = %version, "{warning}");
        }
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;
    use time::macros::date;

    const POLICY: VersionPolicy = VersionPolicy {
        provider: "Example",
        product: "compute",
        default: Version::new(1, 3),
        oldest_served: Version::new(1, 2),
        support_ends: &[(Version::new(1, 2), date!(2026 - 08 - 31))],
        verified: "schemas",
        verified_from: Version::new(1, 0),
        verified_to: Version::new(1, 3),
    };

    #[test]
    fn parses_bare_prefixed_and_product_forms() {
        for text in ["1.3", "v1.3", "compute 1.3", " compute  v1.3 "] {
            assert_eq!(
                POLICY.parse("v", text).unwrap(),
                Version::new(1, 3),
                "{text}"
            );
        }
        assert_eq!(POLICY.parse("v", "1.10").unwrap(), Version::new(1, 10));
        for bad in ["x", "1", "1.x", "1.3.1", "other 1.3"] {
            assert_eq!(POLICY.parse("v", bad).unwrap_err().field(), "v", "{bad}");
        }
    }

    #[test]
    fn versions_no_longer_served_are_refused_naming_the_way_out() {
        // Catches a comparison on the minor number alone (0.9 < 1.2 but 9 > 2).
        for old in ["1.1", "0.9"] {
            let e = POLICY.parse("v", old).unwrap_err();
            assert!(
                e.message()
                    .contains("Example no longer serves it: use 1.3 (or 1.2)"),
                "{e}"
            );
        }
    }

    #[test]
    fn warns_after_the_last_supported_day_and_beyond_what_was_verified() {
        // Catches an off-by-one day: the guarantee covers its last day.
        let v12 = Version::new(1, 2);
        assert_eq!(POLICY.warning(v12, date!(2026 - 08 - 31)), None);
        let w = POLICY.warning(v12, date!(2026 - 09 - 01)).unwrap();
        assert!(w.contains("ended 2026-08-31"), "{w}");
        assert_eq!(
            POLICY.warning(Version::new(1, 3), date!(2030 - 01 - 01)),
            None
        );
        let w = POLICY
            .warning(Version::new(1, 4), date!(2026 - 01 - 01))
            .unwrap();
        assert_eq!(w, "schemas were verified for compute 1.0 to 1.3 only");
        assert_eq!(POLICY.header_value(Version::new(1, 3)), "compute 1.3");
    }
}
