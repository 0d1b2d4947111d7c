//! How each image family looks on the wire: the documented examples' shapes, field for field
//! and in their order, are templates in `shapes.json`, filled in here from an image.

use std::collections::HashMap;
use std::sync::OnceLock;

use serde::{Deserialize, Serialize};
use serde_json::Value;

use super::NcloudFamily;
use super::render::Node;
use super::seed::{NcloudClassicImage, NcloudImage};
use crate::harness::wire::fill;

/// `shapes.json`: one template per family, and the code names the templates use.
#[derive(Debug, Default, Deserialize)]
#[serde(rename_all = "camelCase")]
struct Shapes {
    server_image: Node,
    member_server_image_instance: Node,
    member_server_image: Node,
    /// Status code → `(codeName, statusName)`.
    status: HashMap<String, (String, String)>,
    platform_type: HashMap<String, String>,
    /// Classic `regionNo` → `(regionCode, regionName)`.
    classic_region: HashMap<String, (String, String)>,
    /// Hypervisor → its disk's `(code, codeName)`.
    volume_type: HashMap<String, (String, String)>,
}

fn shapes() -> &'static Shapes {
    static SHAPES: OnceLock<Shapes> = OnceLock::new();
    // The tests of every family's answers fail if the file does not parse.
    SHAPES.get_or_init(|| serde_json::from_str(include_str!("shapes.json")).unwrap_or_default())
}

/// Classic `regionNo` → `(regionCode, regionName)`.
pub(crate) fn classic_region(region_no: &str) -> Option<&'static (String, String)> {
    shapes().classic_region.get(region_no)
}

/// The login ids a caller sees in `sharedLoginIdList`: the owner sees all; a recipient sees
/// only itself (the fake's choice; the docs do not say).
pub(crate) fn visible_shares(shared: &[String], owner: &str, caller: &str) -> Vec<String> {
    let visible = shared.iter().filter(|l| owner == caller || *l == caller);
    visible.cloned().collect()
}

/// `shape` filled from `image`'s fields and `more`: `shareStatus` is `SHARE` when the image is
/// shared with anyone, else `NULL`.
fn view(shape: &Node, image: &impl Serialize, shared: Vec<String>, more: &[(&str, &str)]) -> Node {
    let mut vars: HashMap<String, String> = match serde_json::to_value(image) {
        Ok(Value::Object(fields)) => fields
            .into_iter()
            .filter_map(|(k, v)| Some((k, v.as_str()?.to_owned())))
            .collect(),
        _ => HashMap::new(),
    };
    let status = vars
        .get("status")
        .and_then(|s| shapes().status.get(s))
        .cloned();
    let (code_name, name) = status.unwrap_or_else(|| ("NSI state".into(), "unknown".into()));
    vars.extend([
        ("status_code_name".into(), code_name),
        ("status_name".into(), name),
    ]);
    let share_status = if shared.is_empty() { "NULL" } else { "SHARE" };
    vars.insert("share_status".into(), share_status.into());
    vars.extend(more.iter().map(|(k, v)| ((*k).to_owned(), (*v).to_owned())));
    shape.map(&|text| match text {
        "{shared}" => Node::List(shared.iter().cloned().map(Node::Text).collect()),
        text => Node::Text(fill(text, |name| vars.get(name).cloned())),
    })
}

/// A VPC image as its family shows it: a `ServerImage` or a `MemberServerImageInstance`.
pub(crate) fn vpc(family: NcloudFamily, image: &NcloudImage, caller: &str) -> Node {
    let shared = visible_shares(&image.shared_login_ids, &image.owner_login_id, caller);
    if family == NcloudFamily::VpcMemberServerImage {
        return view(&shapes().member_server_image_instance, image, shared, &[]);
    }
    let category = if image.os_type == "WINDOWS" {
        "WINDOWS"
    } else {
        "LINUX"
    };
    let volumes = &shapes().volume_type;
    let volume = volumes
        .get(&image.hypervisor)
        .or_else(|| volumes.get("KVM"));
    let (code, name) = volume.map_or(("", ""), |(c, n)| (c.as_str(), n.as_str()));
    let more = [
        ("os_category", category),
        ("volume_code", code),
        ("volume_name", name),
    ];
    view(&shapes().server_image, image, shared, &more)
}

/// A Classic `MemberServerImage`.
pub(crate) fn classic(image: &NcloudClassicImage, caller: &str) -> Node {
    let shared = visible_shares(&image.shared_login_ids, &image.owner_login_id, caller);
    let region = classic_region(&image.region_no);
    let (code, name) = region.map_or(("", ""), |(c, n)| (c.as_str(), n.as_str()));
    let platform = shapes().platform_type.get(&image.platform_type);
    let platform = platform.map_or("", String::as_str);
    let more = [
        ("region_code", code),
        ("region_name", name),
        ("platform_type_name", platform),
    ];
    view(&shapes().member_server_image, image, shared, &more)
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
    fn the_shapes_parse() {
        assert!(matches!(&shapes().server_image, Node::Object(fields) if fields.len() == 18));
        assert_eq!(classic_region("7").map(|r| r.0.as_str()), Some("SGN"));
    }
}
