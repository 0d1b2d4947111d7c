//! The three API families as data: `families.json` names each family's actions, parameters,
//! list filters and sort values, and gives its answers' shape, field for field and in the
//! order of the documented examples, as a template filled in here from an image.

use std::collections::HashMap;
use std::sync::OnceLock;

use serde::Deserialize;

use super::NcloudFamily;
use super::errors::{ApiError, err};
use super::params::{Params, check_code, check_number};
use super::render::Node;
use super::state::Row;
use crate::harness::ensure;
use crate::harness::wire::fill;

/// `families.json`.
#[derive(Debug, Default, Deserialize)]
struct Api {
    families: Vec<Family>,
    /// Seed field → its value (or `*`, any other) → texts the templates show for it.
    derived: HashMap<String, HashMap<String, HashMap<String, String>>>,
}

/// What an action does.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
pub(crate) enum Op {
    Add,
    Remove,
    Set,
    List,
    Detail,
}

/// One API family.
#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
pub(crate) struct Family {
    pub(crate) id: NcloudFamily,
    /// Served under `/server/v2/`, not `/vserver/v2/`; Classic also pages differently.
    pub(crate) classic: bool,
    /// Every action's name, the last path segment, and what it does.
    actions: HashMap<String, Op>,
    /// `{base}No` is the number parameter, `{base}List` the answer's list of `{base}` items.
    pub(crate) base: String,
    /// The image "could not be found".
    pub(crate) what: String,
    /// The list action's filters, in the order they are checked.
    pub(crate) filters: Vec<Filter>,
    /// `sortedBy`: by number (the default) or by name.
    pub(crate) sorted_by: [String; 2],
    /// `sortingOrder`: ascending (the default) or descending.
    pub(crate) sorting_order: [String; 2],
    /// An image in an answer: `{field}` is filled from the image, `{shared}` is the list of
    /// login ids the caller may see.
    shape: Node,
}

/// A list filter: an image is listed when the filter's parameter is absent or one of its
/// values equals `matches` filled from the image.
#[derive(Debug, Deserialize)]
pub(crate) struct Filter {
    /// A name ending in `List` is a list, sent as `{param}.N`; any other is one value.
    param: String,
    /// What a value must equal: a text, `{field}` filled from the image.
    matches: String,
    /// The values allowed; without them a list holds image numbers, and one value is free.
    #[serde(default)]
    codes: Option<Vec<String>>,
    /// At most this many values.
    max: Option<usize>,
}

fn api() -> &'static Api {
    static API: OnceLock<Api> = OnceLock::new();
    // The tests of every family's answers fail if the file does not parse.
    API.get_or_init(|| serde_json::from_str(include_str!("families.json")).unwrap_or_default())
}

/// Every action's name, for rate limits.
pub(crate) fn names() -> Vec<String> {
    let families = api().families.iter();
    families.flat_map(|f| f.actions.keys().cloned()).collect()
}

/// The action `name` under `/server/v2/` (`classic`) or `/vserver/v2/`, if the fake serves it.
pub(crate) fn route(classic: bool, name: &str) -> Option<(&'static Family, Op)> {
    let mut families = api().families.iter().filter(|f| f.classic == classic);
    families.find_map(|f| Some((f, *f.actions.get(name)?)))
}

/// Whether `region_no` is a Classic region.
pub(crate) fn is_classic_region(region_no: &str) -> bool {
    let regions = api().derived.get("region_no");
    regions.is_some_and(|r| r.contains_key(region_no))
}

impl Filter {
    /// The values the request asks for (none: every image), checked.
    pub(crate) fn wanted(&self, params: &Params) -> Result<Vec<String>, ApiError> {
        let (name, list) = (self.param.as_str(), self.param.ends_with("List"));
        let values = if list {
            params.list(name)?
        } else {
            params.get(name).into_iter().map(str::to_owned).collect()
        };
        for value in &values {
            match &self.codes {
                Some(codes) => check_code(name, value, codes)?,
                None if list => drop(check_number(name, value)?),
                None => {}
            }
        }
        let most = self.max.unwrap_or(usize::MAX);
        ensure(values.len() <= most, || {
            err("too_many_values", &[&name, &most])
        })?;
        Ok(values)
    }

    /// Whether `row` passes, given the values `wanted` returned.
    pub(crate) fn passes(&self, wanted: &[String], row: &Row) -> bool {
        let value = fill(&self.matches, |field| Some(row.get(field).to_owned()));
        wanted.is_empty() || wanted.contains(&value)
    }
}

/// The login ids a caller sees in `sharedLoginIdList`: the owner sees all; a recipient sees
/// only itself (the fake's choice; the docs do not say).
pub(crate) fn visible_shares(shared: &[String], owner: &str, caller: &str) -> Vec<String> {
    let visible = shared.iter().filter(|l| owner == caller || *l == caller);
    visible.cloned().collect()
}

impl Family {
    /// `row` as this family shows it to `caller`: `shareStatus` is `SHARE` when the caller
    /// sees it shared with anyone, else `NULL`.
    pub(crate) fn view(&self, row: &Row, caller: &str) -> Node {
        let shared = visible_shares(&row.shared, row.get("owner_login_id"), caller);
        let share_status = if shared.is_empty() { "NULL" } else { "SHARE" };
        let derived = |name: &str| {
            let mut tables = api().derived.iter();
            tables.find_map(|(field, texts)| {
                let texts = texts.get(row.get(field)).or_else(|| texts.get("*"))?;
                texts.get(name).map(String::as_str)
            })
        };
        // A seed field, else a text derived from one; empty when nothing gives it (an
        // unknown region or platform).
        let var = |name: &str| {
            let text = match name {
                "share_status" => Some(share_status),
                _ => row
                    .fields
                    .get(name)
                    .map(String::as_str)
                    .or_else(|| derived(name)),
            };
            Some(text.unwrap_or_default().to_owned())
        };
        self.shape.map(&|text| match text {
            "{shared}" => Node::List(shared.iter().cloned().map(Node::Text).collect()),
            text => Node::Text(fill(text, var)),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn recipients_see_only_themselves() {
        let shared = vec!["a@x.test".to_owned(), "b@x.test".to_owned()];
        assert_eq!(visible_shares(&shared, "o@x.test", "o@x.test"), shared);
        assert_eq!(
            visible_shares(&shared, "o@x.test", "b@x.test"),
            ["b@x.test"]
        );
    }

    #[test]
    fn the_families_parse() {
        let parsed = serde_json::from_str::<Api>(include_str!("families.json"));
        assert!(parsed.is_ok(), "{parsed:?}");
        assert_eq!(api().families.len(), 3);
        let vpc = route(false, "getServerImageDetail").map(|(f, _)| &f.shape);
        assert!(matches!(vpc, Some(Node::Object(fields)) if fields.len() == 18));
        assert!(is_classic_region("7") && !is_classic_region("4"));
    }

    #[test]
    fn routes() {
        let id = |classic, name| route(classic, name).map(|(f, op)| (f.id, op));
        let member = id(false, "addMemberServerImageSharingPermission");
        assert_eq!(member, Some((NcloudFamily::VpcMemberServerImage, Op::Add)));
        let classic = id(true, "addMemberServerImageSharingPermission");
        assert_eq!(classic, Some((NcloudFamily::Classic, Op::Add)));
        assert_eq!(
            id(false, "getServerImageDetail"),
            Some((NcloudFamily::VpcServerImage, Op::Detail))
        );
        assert_eq!(
            id(true, "getMemberServerImageList"),
            Some((NcloudFamily::Classic, Op::List))
        );
        assert_eq!(
            id(false, "getMemberServerImageInstanceList"),
            Some((NcloudFamily::VpcMemberServerImage, Op::List))
        );
        // No set… in the VPC server-image API, no Classic server image API.
        assert_eq!(id(false, "setServerImageSharingPermission"), None);
        assert_eq!(id(true, "getServerImageList"), None);
        assert_eq!(id(true, "getMemberServerImageDetail"), None);
        assert_eq!(names().len(), 13);
    }
}
