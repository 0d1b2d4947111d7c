//! The CVM API as the fake models it, read once from `api.toml`: its regions, the common
//! parameters, each action's parameters and their rules, `DescribeImages`' filters and the
//! documented values of image fields.

use std::collections::{BTreeMap, HashMap};
use std::sync::OnceLock;

use serde::Deserialize;

use super::params::Param;

/// `api.toml`.
#[derive(Debug, Default, Deserialize)]
pub(crate) struct Api {
    regions: Vec<String>,
    no_sharing_regions: Vec<String>,
    pub(crate) common_params: Vec<String>,
    /// Each action's parameters (and a filter's), in the order they are checked.
    pub(crate) params: HashMap<String, Vec<Param>>,
    /// The rule each filter's values follow, by filter name.
    pub(crate) filters: HashMap<String, Param>,
    /// Image fields, by their seed name, and the values they may take.
    pub(crate) image_values: BTreeMap<String, Vec<String>>,
}

/// The model; the tests fail if `api.toml` does not parse.
pub(crate) fn api() -> &'static Api {
    static API: OnceLock<Api> = OnceLock::new();
    API.get_or_init(|| toml::from_str(include_str!("api.toml")).unwrap_or_default())
}

impl Api {
    /// A CVM region (any other is `InvalidRegion.NotFound`).
    pub(crate) fn is_region(&self, region: &str) -> bool {
        self.regions.iter().any(|r| r == region)
    }

    /// A CVM region where the share APIs are offered.
    pub(crate) fn shares_in(&self, region: &str) -> bool {
        self.is_region(region) && !self.no_sharing_regions.iter().any(|r| r == region)
    }
}

#[cfg(test)]
mod tests {
    use super::api;

    #[test]
    fn the_model_parses() {
        let api = api();
        assert_eq!((api.regions.len(), api.no_sharing_regions.len()), (22, 4));
        assert!(api.is_region("ap-guangzhou") && api.shares_in("ap-guangzhou"));
        assert!(api.is_region("ap-mumbai") && !api.shares_in("ap-mumbai"));
        assert!(!api.is_region("mars-1") && !api.shares_in("mars-1"));
        assert_eq!(api.common_params.len(), 11);
        assert_eq!((api.params.len(), api.filters.len()), (4, 8));
        assert_eq!(api.image_values.len(), 5);
    }
}
