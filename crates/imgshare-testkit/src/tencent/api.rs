//! The CVM API as the fake models it, read once from `model.toml`: its regions, the common
//! parameters, each action's parameters and their rules, `DescribeImages`' filters and the
//! documented values of image fields.

use std::collections::{BTreeMap, HashMap};
use std::sync::OnceLock;

use serde::Deserialize;

use super::errors::{ApiError, ensure, err};
use super::params::Param;

/// `model.toml`.
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

/// The model; the tests fail if `model.toml` does not parse.
pub(crate) fn api() -> &'static Api {
    static API: OnceLock<Api> = OnceLock::new();
    API.get_or_init(|| toml::from_str(include_str!("model.toml")).unwrap_or_default())
}

impl Api {
    /// A CVM region (any other is `InvalidRegion.NotFound`).
    pub(crate) fn is_region(&self, region: &str) -> bool {
        self.regions.iter().any(|r| r == region)
    }

    /// Checks that `region` is a CVM region and offers `action`: the share APIs are missing
    /// from a few.
    pub(crate) fn check_region(&self, region: &str, action: &str) -> Result<(), ApiError> {
        ensure(self.is_region(region), || {
            err("region_not_found", &[&region])
        })?;
        let no_sharing = self.no_sharing_regions.iter().any(|r| r == region);
        let unsupported = no_sharing && action != "DescribeImages";
        ensure(!unsupported, || {
            err("unsupported_region", &[&action, &region])
        })
    }
}

#[cfg(test)]
mod tests {
    use super::api;

    #[test]
    fn the_model_parses() {
        let api = api();
        assert_eq!((api.regions.len(), api.no_sharing_regions.len()), (22, 4));
        let code = |region, action| api.check_region(region, action).map_err(|e| e.code);
        let share = "ModifyImageSharePermission";
        assert_eq!(code("ap-guangzhou", share), Ok(()));
        assert_eq!(code("ap-mumbai", "DescribeImages"), Ok(()));
        assert_eq!(code("ap-mumbai", share), Err("UnsupportedRegion"));
        assert_eq!(
            code("mars-1", "DescribeImages"),
            Err("InvalidRegion.NotFound")
        );
        assert_eq!(api.common_params.len(), 11);
        assert_eq!((api.params.len(), api.filters.len()), (4, 8));
        assert_eq!(api.image_values.len(), 5);
    }
}
