//! The thirteen image-sharing actions of the three API families: add, remove and set shares,
//! list and show images.

use super::NcloudFamily::{self, Classic, VpcMemberServerImage, VpcServerImage};
use super::errors::{ApiError, err, fail};
use super::params::{Paging, Params, check_number, sort};
use super::render::Node;
use super::seed::{NcloudClassicImage, NcloudImage};
use super::state::Ncloud;
use super::views;
use crate::harness::ensure;

/// The region VPC calls use when `regionCode` is absent: "the first Region of the
/// getRegionList result", `KR` in every doc example.
pub(crate) const DEFAULT_REGION: &str = "KR";
/// Classic `platformTypeCodeList.N`: at most five values.
const CLASSIC_MAX_PLATFORM_TYPES: usize = 5;
const STATUS_CODES: &[&str] = &["INIT", "CREAT", "CREFL"];
const PLATFORM_TYPES: &[&str] = &["LNX32", "LNX64", "WND32", "WND64", "UBD64", "UBS64"];

/// What an action does.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Op {
    Add,
    Remove,
    Set,
    List,
    Detail,
}

/// Every family's actions, in path order: the VPC server-image API has no `set`, Classic no
/// detail.
const ACTIONS: [(NcloudFamily, &[Op]); 3] = [
    (VpcServerImage, &[Op::Add, Op::Remove, Op::List, Op::Detail]),
    (
        VpcMemberServerImage,
        &[Op::Add, Op::Remove, Op::Set, Op::List, Op::Detail],
    ),
    (Classic, &[Op::Add, Op::Remove, Op::Set, Op::List]),
];

/// What a family's images are called on the wire: `{base}No` is the number parameter,
/// `{base}List` the answer's list of `{base}` items.
pub(crate) fn base(family: NcloudFamily) -> &'static str {
    match family {
        VpcServerImage => "serverImage",
        VpcMemberServerImage => "memberServerImageInstance",
        Classic => "memberServerImage",
    }
}

/// An action's name, the last path segment: the names follow one pattern, e.g.
/// `addServerImageSharingPermission`, `getMemberServerImageInstanceList`.
fn name(family: NcloudFamily, op: Op) -> String {
    let noun = if family == VpcServerImage {
        "ServerImage"
    } else {
        "MemberServerImage"
    };
    let base = base(family);
    let capitalised = format!("{}{}", base[..1].to_uppercase(), &base[1..]);
    match op {
        Op::Add => format!("add{noun}SharingPermission"),
        Op::Remove => format!("remove{noun}SharingPermission"),
        Op::Set => format!("set{noun}SharingPermission"),
        Op::List => format!("get{capitalised}List"),
        Op::Detail => format!("get{capitalised}Detail"),
    }
}

/// Every action's name, for rate limits.
pub(crate) fn names() -> Vec<String> {
    let ops = ACTIONS
        .iter()
        .flat_map(|(family, ops)| ops.iter().map(|op| name(*family, *op)));
    ops.collect()
}

/// The action `name` under `/server/v2/` (`classic`) or `/vserver/v2/`, if the fake serves it.
pub(crate) fn route(classic: bool, action: &str) -> Option<(NcloudFamily, Op)> {
    let families = ACTIONS
        .iter()
        .filter(|(family, _)| (*family == Classic) == classic);
    let mut actions = families.flat_map(|(family, ops)| ops.iter().map(|op| (*family, *op)));
    actions.find(|(family, op)| name(*family, *op) == action)
}

/// A successful answer's payload: `totalRows` and the family's list.
#[derive(Debug)]
pub(crate) struct Listing(pub(crate) usize, pub(crate) String, pub(crate) Node);

fn listing(family: NcloudFamily, total_rows: usize, items: Vec<Node>) -> Listing {
    let base = base(family);
    Listing(total_rows, format!("{base}List"), Node::List(items))
}

/// Runs one authenticated, admitted request for `caller` (a login id).
pub(crate) fn dispatch(
    state: &mut Ncloud,
    (family, op): (NcloudFamily, Op),
    caller: &str,
    params: &Params,
) -> Result<Listing, ApiError> {
    match (family, op) {
        (Classic, Op::List) => list_classic(state, caller, params),
        (Classic, op) => change_classic(state, caller, params, op),
        (family, Op::List) => list_vpc(state, caller, params, family),
        (family, Op::Detail) => {
            let no = params.require(&format!("{}No", base(family)))?;
            let image = visible_vpc(state, caller, no, &region(params), family)?;
            Ok(listing(family, 1, vec![views::vpc(family, image, caller)]))
        }
        (family, op) => change_vpc(state, caller, params, family, op),
    }
}

fn region(params: &Params) -> String {
    params
        .get("regionCode")
        .unwrap_or(DEFAULT_REGION)
        .to_owned()
}

// ---- sharing -------------------------------------------------------------

/// `targetLoginIdList.N`: required for add and remove, optional for set (omitted = remove
/// everyone); never duplicated. For add and set every id must be a known account other than
/// the caller.
fn targets(state: &Ncloud, caller: &str, params: &Params, op: Op) -> Result<Vec<String>, ApiError> {
    let ids = params.list("targetLoginIdList")?;
    if ids.is_empty() && op != Op::Set {
        return fail("missing", &[&"targetLoginIdList.N"]);
    }
    if let Some((_, id)) = ids
        .iter()
        .enumerate()
        .find(|(i, id)| ids[..*i].contains(id))
    {
        return fail("duplicated_login_id", &[id]);
    }
    for id in ids.iter().filter(|_| op != Op::Remove) {
        ensure(id != caller, || err("self_share", &[]))?;
        ensure(state.login_exists(id), || err("login_id_not_found", &[id]))?;
    }
    Ok(ids)
}

/// Add appends ids not yet present (already-shared ids are ignored), remove drops the listed
/// ids (ids not shared are ignored), set replaces the list.
fn apply(shared: &mut Vec<String>, op: Op, ids: Vec<String>) {
    match op {
        Op::Add => shared.extend(
            ids.into_iter()
                .filter(|id| !shared.contains(id))
                .collect::<Vec<_>>(),
        ),
        Op::Remove => shared.retain(|s| !ids.contains(s)),
        _ => *shared = ids,
    }
}

/// Only the owner of a created (`CREAT`) image changes its sharing.
fn check_owner_and_status(owner: &str, status: &str, caller: &str) -> Result<(), ApiError> {
    ensure(owner == caller, || err("not_owner", &[]))?;
    ensure(status == "CREAT", || err("image_not_shareable", &[&status]))
}

fn can_see(owner: &str, shared: &[String], caller: &str) -> bool {
    owner == caller || shared.iter().any(|s| s == caller)
}

fn not_found<T>(family: NcloudFamily) -> Result<T, ApiError> {
    let what = match family {
        VpcServerImage => "server image",
        VpcMemberServerImage => "member server image instance",
        Classic => "member server image",
    };
    fail("image_not_found", &[&what])
}

// ---- VPC (server image and member server image instance) -----------------

/// An image in `region` the caller owns or has been shared; through the member API it must
/// be XEN (one store serves both VPC APIs).
fn visible_vpc<'a>(
    state: &'a Ncloud,
    caller: &str,
    no: &str,
    region: &str,
    family: NcloudFamily,
) -> Result<&'a NcloudImage, ApiError> {
    check_number(&format!("{}No", base(family)), no)?;
    let visible = |i: &&NcloudImage| {
        i.region_code == region && can_see(&i.owner_login_id, &i.shared_login_ids, caller)
    };
    let Some(image) = state.image(no).filter(visible) else {
        return not_found(family);
    };
    let xen = family != VpcMemberServerImage || image.hypervisor == "XEN";
    ensure(xen, || err("kvm_not_supported", &[&no, &image.hypervisor]))?;
    Ok(image)
}

fn change_vpc(
    state: &mut Ncloud,
    caller: &str,
    params: &Params,
    family: NcloudFamily,
    op: Op,
) -> Result<Listing, ApiError> {
    let no = params.require(&format!("{}No", base(family)))?.to_owned();
    let image = visible_vpc(state, caller, &no, &region(params), family)?;
    check_owner_and_status(&image.owner_login_id, &image.status, caller)?;
    let ids = targets(state, caller, params, op)?;
    let Some(image) = state.image_mut(&no) else {
        return not_found(VpcServerImage);
    };
    apply(&mut image.shared_login_ids, op, ids);
    Ok(listing(family, 1, vec![views::vpc(family, image, caller)]))
}

/// A field of an image a list filter compares.
type Field = fn(&NcloudImage) -> &str;

/// `getServerImageList` and `getMemberServerImageInstanceList` (XEN images only).
fn list_vpc(
    state: &Ncloud,
    caller: &str,
    params: &Params,
    family: NcloudFamily,
) -> Result<Listing, ApiError> {
    let region = region(params);
    let (member, base) = (family == VpcMemberServerImage, base(family));
    let name = if member {
        "memberServerImageName"
    } else {
        "serverImageName"
    };
    let nos = params.checked_list(&format!("{base}NoList"), None)?;
    let wanted_name = params.get(name);
    let status = params.code(&format!("{base}StatusCode"), STATUS_CODES)?;
    let list = |name: &str, allowed: &[&str]| params.checked_list(name, Some(allowed));
    let filters: Vec<(Vec<String>, Field)> = if member {
        vec![(list("platformTypeCodeList", PLATFORM_TYPES)?, |i| {
            &i.platform_type
        })]
    } else {
        let os_types = ["CENTOS", "UBUNTU", "WINDOWS", "ROCKY", "NAVIX"];
        let categories = ["OS", "APP", "DBMS", "GPU"];
        vec![
            // Every image the fake holds is a SELF (custom) image.
            (
                list("serverImageTypeCodeList", &["SELF", "NCP"])?,
                |_| "SELF",
            ),
            (
                list("hypervisorTypeCodeList", &["XEN", "KVM", "RHV"])?,
                |i| &i.hypervisor,
            ),
            (list("osTypeCodeList", &os_types)?, |i| &i.os_type),
            (list("platformCategoryCodeList", &categories)?, |i| {
                &i.platform_category_code
            }),
        ]
    };
    let paging = Paging::vpc(params)?;

    let wanted = |list: &[String], value: &str| list.is_empty() || list.iter().any(|v| v == value);
    let matches = |i: &&NcloudImage| {
        let shown = i.region_code == region && (!member || i.hypervisor == "XEN");
        let seen = can_see(&i.owner_login_id, &i.shared_login_ids, caller);
        let named = wanted(&nos, &i.image_no) && wanted_name.is_none_or(|n| i.name == n);
        let filtered = filters.iter().all(|(list, field)| wanted(list, field(i)));
        shown && seen && named && status.is_none_or(|s| i.status == s) && filtered
    };
    let found = state.images.iter().filter(matches);
    let mut found: Vec<_> = found
        .map(|i| (i.image_no.as_str(), i.name.as_str(), i))
        .collect();
    sort(
        &mut found,
        params,
        [&format!("{base}No"), name],
        ["ASC", "DESC"],
    )?;
    let total_rows = found.len();
    let items = paging
        .apply(found)
        .into_iter()
        .map(|(_, _, i)| views::vpc(family, i, caller));
    Ok(listing(family, total_rows, items.collect()))
}

// ---- Classic -------------------------------------------------------------

fn change_classic(
    state: &mut Ncloud,
    caller: &str,
    params: &Params,
    op: Op,
) -> Result<Listing, ApiError> {
    let no = check_number(
        "memberServerImageNo",
        params.require("memberServerImageNo")?,
    )?;
    let no = no.to_owned();
    let visible = |i: &&NcloudClassicImage| can_see(&i.owner_login_id, &i.shared_login_ids, caller);
    let Some(image) = state.classic_image(&no).filter(visible) else {
        return not_found(Classic);
    };
    check_owner_and_status(&image.owner_login_id, &image.status, caller)?;
    let ids = targets(state, caller, params, op)?;
    let Some(image) = state.classic_image_mut(&no) else {
        return not_found(Classic);
    };
    apply(&mut image.shared_login_ids, op, ids);
    Ok(listing(Classic, 1, vec![views::classic(image, caller)]))
}

fn list_classic(state: &Ncloud, caller: &str, params: &Params) -> Result<Listing, ApiError> {
    let nos = params.checked_list("memberServerImageNoList", None)?;
    let platforms = params.checked_list("platformTypeCodeList", Some(PLATFORM_TYPES))?;
    let most = CLASSIC_MAX_PLATFORM_TYPES;
    ensure(platforms.len() <= most, || {
        err("too_many_platform_types", &[&most])
    })?;
    let region_no = params.get("regionNo");
    if let Some(no) = region_no.filter(|no| views::classic_region(no).is_none()) {
        return fail("not_a_classic_region", &[&no]);
    }
    let paging = Paging::classic(params)?;

    let wanted = |list: &[String], value: &str| list.is_empty() || list.iter().any(|v| v == value);
    let matches = |i: &&NcloudClassicImage| {
        let seen = can_see(&i.owner_login_id, &i.shared_login_ids, caller);
        let listed = wanted(&nos, &i.image_no) && wanted(&platforms, &i.platform_type);
        seen && listed && region_no.is_none_or(|r| i.region_no == r)
    };
    let found = state.classic_images.iter().filter(matches);
    let mut found: Vec<_> = found
        .map(|i| (i.image_no.as_str(), i.name.as_str(), i))
        .collect();
    let keys = ["memberServerImageNo", "memberServerImageName"];
    sort(&mut found, params, keys, ["ascending", "descending"])?;
    let total_rows = found.len();
    let items = paging
        .apply(found)
        .into_iter()
        .map(|(_, _, i)| views::classic(i, caller));
    Ok(listing(Classic, total_rows, items.collect()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn routes() {
        let member = route(false, "addMemberServerImageSharingPermission");
        assert_eq!(member, Some((VpcMemberServerImage, Op::Add)));
        let classic = route(true, "addMemberServerImageSharingPermission");
        assert_eq!(classic, Some((Classic, Op::Add)));
        assert_eq!(
            route(false, "getServerImageDetail"),
            Some((VpcServerImage, Op::Detail))
        );
        assert_eq!(
            route(true, "getMemberServerImageList"),
            Some((Classic, Op::List))
        );
        assert_eq!(
            route(false, "getMemberServerImageInstanceList"),
            Some((VpcMemberServerImage, Op::List))
        );
        // No set… in the VPC server-image API, no Classic server image API.
        assert_eq!(route(false, "setServerImageSharingPermission"), None);
        assert_eq!(route(true, "getServerImageList"), None);
        assert_eq!(route(true, "getMemberServerImageDetail"), None);
        assert_eq!(names().len(), 13);
    }

    #[test]
    fn changes() {
        let mut shared = vec!["a".to_owned()];
        apply(&mut shared, Op::Add, vec!["b".into(), "a".into()]);
        assert_eq!(shared, ["a", "b"]);
        apply(&mut shared, Op::Remove, vec!["a".into(), "z".into()]);
        assert_eq!(shared, ["b"]);
        apply(&mut shared, Op::Set, vec!["c".into()]);
        assert_eq!(shared, ["c"]);
        apply(&mut shared, Op::Set, vec![]);
        assert!(shared.is_empty());
    }
}
