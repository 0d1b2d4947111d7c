//! The thirteen image-sharing actions of the three API families: add, remove and set shares,
//! list and show images.

use std::cmp::Ordering;

use super::NcloudFamily::{self, Classic, VpcMemberServerImage, VpcServerImage};
use super::errors::{ApiError, codes};
use super::params::Params;
use super::render::{Node, list};
use super::seed::{NcloudClassicImage, NcloudImage};
use super::state::Ncloud;
use super::views;

/// The region VPC calls use when `regionCode` is absent: "the first Region of the
/// getRegionList result", `KR` in every doc example.
pub(crate) const DEFAULT_REGION: &str = "KR";
/// VPC `pageSize` range.
const VPC_MAX_PAGE_SIZE: u64 = 1000;
/// Classic `pageNo`/`pageSize` maximum.
const CLASSIC_MAX_PAGE: u64 = 2_147_483_647;
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

/// Which gateway path an action arrived under.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Api {
    /// `/vserver/v2/`
    Vpc,
    /// `/server/v2/`
    Classic,
}

/// Every action the fake serves: its path, its name (also the response root, plus
/// `Response`), its family and what it does. The VPC server-image API has no `set`.
pub(crate) const ACTIONS: [(Api, &str, NcloudFamily, Op); 13] = [
    (
        Api::Vpc,
        "addServerImageSharingPermission",
        VpcServerImage,
        Op::Add,
    ),
    (
        Api::Vpc,
        "removeServerImageSharingPermission",
        VpcServerImage,
        Op::Remove,
    ),
    (Api::Vpc, "getServerImageList", VpcServerImage, Op::List),
    (Api::Vpc, "getServerImageDetail", VpcServerImage, Op::Detail),
    (
        Api::Vpc,
        "addMemberServerImageSharingPermission",
        VpcMemberServerImage,
        Op::Add,
    ),
    (
        Api::Vpc,
        "removeMemberServerImageSharingPermission",
        VpcMemberServerImage,
        Op::Remove,
    ),
    (
        Api::Vpc,
        "setMemberServerImageSharingPermission",
        VpcMemberServerImage,
        Op::Set,
    ),
    (
        Api::Vpc,
        "getMemberServerImageInstanceList",
        VpcMemberServerImage,
        Op::List,
    ),
    (
        Api::Vpc,
        "getMemberServerImageInstanceDetail",
        VpcMemberServerImage,
        Op::Detail,
    ),
    (
        Api::Classic,
        "addMemberServerImageSharingPermission",
        Classic,
        Op::Add,
    ),
    (
        Api::Classic,
        "removeMemberServerImageSharingPermission",
        Classic,
        Op::Remove,
    ),
    (
        Api::Classic,
        "setMemberServerImageSharingPermission",
        Classic,
        Op::Set,
    ),
    (Api::Classic, "getMemberServerImageList", Classic, Op::List),
];

/// One of [`ACTIONS`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Action {
    pub(crate) name: &'static str,
    pub(crate) family: NcloudFamily,
    op: Op,
}

impl Action {
    /// The action named `name` under `api`, if the fake implements it.
    pub(crate) fn route(api: Api, name: &str) -> Option<Action> {
        let (_, name, family, op) = ACTIONS.into_iter().find(|a| a.0 == api && a.1 == name)?;
        Some(Action { name, family, op })
    }
}

/// The wire names of a family's images.
struct Names {
    /// The number parameter, e.g. `serverImageNo`.
    no: &'static str,
    /// The answer's list and its items, e.g. `serverImageList` of `serverImage`.
    list: &'static str,
    item: &'static str,
    /// "The … could not be found."
    what: &'static str,
}

fn names(family: NcloudFamily) -> Names {
    let (no, list, item, what) = match family {
        VpcServerImage => (
            "serverImageNo",
            "serverImageList",
            "serverImage",
            "server image",
        ),
        VpcMemberServerImage => (
            "memberServerImageInstanceNo",
            "memberServerImageInstanceList",
            "memberServerImageInstance",
            "member server image instance",
        ),
        Classic => (
            "memberServerImageNo",
            "memberServerImageList",
            "memberServerImage",
            "member server image",
        ),
    };
    Names {
        no,
        list,
        item,
        what,
    }
}

/// A successful answer's payload: `totalRows` and the named list.
#[derive(Debug)]
pub(crate) struct Listing {
    pub(crate) total_rows: usize,
    pub(crate) key: &'static str,
    pub(crate) list: Node,
}

impl Listing {
    fn new(family: NcloudFamily, total_rows: usize, items: Vec<Node>) -> Listing {
        let names = names(family);
        let list = list(names.item, items);
        Listing {
            total_rows,
            key: names.list,
            list,
        }
    }
}

/// Runs one authenticated, admitted request for `caller` (a login id).
pub(crate) fn dispatch(
    state: &mut Ncloud,
    action: Action,
    caller: &str,
    params: &Params,
) -> Result<Listing, ApiError> {
    match (action.family, action.op) {
        (Classic, Op::List) => list_classic(state, caller, params),
        (Classic, op) => change_classic(state, caller, params, op),
        (family, Op::List) => list_vpc(state, caller, params, family),
        (family, Op::Detail) => {
            let no = params.require(names(family).no)?;
            let image = visible_vpc(state, caller, no, &region(params), family)?;
            Ok(Listing::new(
                family,
                1,
                vec![views::vpc(family, image, caller)],
            ))
        }
        (family, op) => change_vpc(state, caller, params, family, op),
    }
}

// ---- parameters ------------------------------------------------------------

/// Image numbers are decimal digits (every `*No` in the docs is numeric).
fn check_number<'a>(name: &str, value: &'a str) -> Result<&'a str, ApiError> {
    if !value.is_empty() && value.len() <= 19 && value.bytes().all(|b| b.is_ascii_digit()) {
        return Ok(value);
    }
    Err(ApiError::invalid(format!(
        "`{name}` must be a number, not `{value}`."
    )))
}

fn region(params: &Params) -> String {
    params
        .get("regionCode")
        .unwrap_or(DEFAULT_REGION)
        .to_owned()
}

fn check_code(name: &str, value: &str, allowed: &[&str]) -> Result<(), ApiError> {
    if allowed.contains(&value) {
        return Ok(());
    }
    let allowed = allowed.join(" | ");
    Err(ApiError::invalid(format!(
        "`{name}` must be one of {allowed}, not `{value}`."
    )))
}

/// The list `name.N`, every value checked: against `allowed` codes, or as numbers when `None`.
fn checked_list(
    params: &Params,
    name: &str,
    allowed: Option<&[&str]>,
) -> Result<Vec<String>, ApiError> {
    let values = params.list(name)?;
    for value in &values {
        match allowed {
            Some(allowed) => check_code(name, value, allowed)?,
            None => check_number(name, value).map(drop)?,
        }
    }
    Ok(values)
}

/// An optional code parameter, checked against `allowed`.
fn code<'a>(params: &'a Params, name: &str, allowed: &[&str]) -> Result<Option<&'a str>, ApiError> {
    let value = params.get(name);
    value.map(|v| check_code(name, v, allowed)).transpose()?;
    Ok(value)
}

fn integer(params: &Params, name: &str, min: u64, max: u64) -> Result<Option<u64>, ApiError> {
    let Some(text) = params.get(name) else {
        return Ok(None);
    };
    match text.parse::<u64>() {
        Ok(n) if text.bytes().all(|b| b.is_ascii_digit()) && (min..=max).contains(&n) => {
            Ok(Some(n))
        }
        _ => Err(ApiError::invalid(format!(
            "`{name}` must be an integer from {min} to {max}, not `{text}`."
        ))),
    }
}

/// `pageNo`/`pageSize`: page 0 and 1 are both the first page; no `pageSize` (or Classic's
/// `0`) means every row.
#[derive(Debug, Clone, Copy)]
struct Paging {
    page_no: u64,
    page_size: Option<u64>,
}

impl Paging {
    /// VPC: `pageNo` ≥ 0, `pageSize` 1–1000 and required with `pageNo`.
    fn vpc(params: &Params) -> Result<Paging, ApiError> {
        let page_no = integer(params, "pageNo", 0, u64::from(u32::MAX))?;
        let page_size = integer(params, "pageSize", 1, VPC_MAX_PAGE_SIZE)?;
        if page_no.is_some() && page_size.is_none() {
            let message = "`pageSize` is required when `pageNo` is given.";
            return Err(ApiError::new(codes::MISSING_PARAMETER, message));
        }
        let page_no = page_no.unwrap_or(0);
        Ok(Paging { page_no, page_size })
    }

    /// Classic: both 0–2147483647.
    fn classic(params: &Params) -> Result<Paging, ApiError> {
        let page_no = integer(params, "pageNo", 0, CLASSIC_MAX_PAGE)?.unwrap_or(0);
        let page_size = integer(params, "pageSize", 0, CLASSIC_MAX_PAGE)?.filter(|s| *s > 0);
        Ok(Paging { page_no, page_size })
    }

    fn apply<T>(self, items: Vec<T>) -> Vec<T> {
        let Some(size) = self.page_size else {
            return items;
        };
        let skip = self.page_no.max(1).saturating_sub(1).saturating_mul(size);
        let skip = usize::try_from(skip).unwrap_or(usize::MAX);
        let take = usize::try_from(size).unwrap_or(usize::MAX);
        items.into_iter().skip(skip).take(take).collect()
    }
}

/// Numbers compare numerically (digit strings without leading zeros).
fn cmp_no(a: &str, b: &str) -> Ordering {
    a.len().cmp(&b.len()).then_with(|| a.cmp(b))
}

/// Sorts `(number, name)` rows by `sortedBy` (the number or the name parameter, matched
/// case-insensitively, as Classic documents) and `sortingOrder` (`orders`, also
/// case-insensitive); by default by number, ascending.
fn sort<T>(
    items: &mut [(&str, &str, T)],
    params: &Params,
    keys: (&str, &str),
    orders: (&str, &str),
) -> Result<(), ApiError> {
    let by_name = match params.get("sortedBy") {
        None => false,
        Some(by) if by.eq_ignore_ascii_case(keys.0) => false,
        Some(by) if by.eq_ignore_ascii_case(keys.1) => true,
        Some(by) => {
            let (no, name) = keys;
            let message = format!("`sortedBy` must be one of {name} | {no}, not `{by}`.");
            return Err(ApiError::invalid(message));
        }
    };
    let descending = match params.get("sortingOrder") {
        None => false,
        Some(o) if o.eq_ignore_ascii_case(orders.0) => false,
        Some(o) if o.eq_ignore_ascii_case(orders.1) => true,
        Some(o) => {
            let (asc, desc) = orders;
            let message = format!("`sortingOrder` must be {asc} or {desc}, not `{o}`.");
            return Err(ApiError::invalid(message));
        }
    };
    items.sort_by(|(a_no, a_name, _), (b_no, b_name, _)| {
        let by_no = cmp_no(a_no, b_no);
        let ord = if by_name {
            a_name.cmp(b_name).then(by_no)
        } else {
            by_no
        };
        if descending { ord.reverse() } else { ord }
    });
    Ok(())
}

// ---- sharing -------------------------------------------------------------

/// `targetLoginIdList.N`: required for add and remove, optional for set (omitted = remove
/// everyone); never duplicated. For add and set every id must be a known account other than
/// the caller.
fn targets(state: &Ncloud, caller: &str, params: &Params, op: Op) -> Result<Vec<String>, ApiError> {
    let ids = params.list("targetLoginIdList")?;
    if ids.is_empty() && op != Op::Set {
        return Err(ApiError::missing("targetLoginIdList.N"));
    }
    let mut repeated = ids
        .iter()
        .enumerate()
        .filter(|(i, id)| ids[..*i].contains(id));
    if let Some((_, id)) = repeated.next() {
        let message = format!("The login ID `{id}` appears more than once in targetLoginIdList.");
        return Err(ApiError::new(codes::DUPLICATED_LOGIN_ID, message));
    }
    for id in ids.iter().filter(|_| op != Op::Remove) {
        if id == caller {
            let message = "You cannot share an image with your own account.";
            return Err(ApiError::new(codes::SELF_SHARE, message));
        }
        if !state.login_exists(id) {
            let message = format!("The login ID `{id}` does not exist.");
            return Err(ApiError::new(codes::LOGIN_ID_NOT_FOUND, message));
        }
    }
    Ok(ids)
}

/// Add appends ids not yet present (already-shared ids are ignored), remove drops the listed
/// ids (ids not shared are ignored), set replaces the list.
fn apply(shared: &mut Vec<String>, op: Op, ids: Vec<String>) {
    match op {
        Op::Add => {
            for id in ids {
                if !shared.contains(&id) {
                    shared.push(id);
                }
            }
        }
        Op::Remove => shared.retain(|s| !ids.contains(s)),
        _ => *shared = ids,
    }
}

/// Only the owner of a created (`CREAT`) image changes its sharing.
fn check_owner_and_status(owner: &str, status: &str, caller: &str) -> Result<(), ApiError> {
    if owner != caller {
        let message = "Only the owner of the image can change its sharing permission.";
        return Err(ApiError::new(codes::NOT_OWNER, message));
    }
    if status != "CREAT" {
        let message = format!(
            "The image is in status `{status}`; only created (CREAT) images can be shared."
        );
        return Err(ApiError::new(codes::IMAGE_NOT_SHAREABLE, message));
    }
    Ok(())
}

fn can_see(owner: &str, shared: &[String], caller: &str) -> bool {
    owner == caller || shared.iter().any(|s| s == caller)
}

fn not_found(family: NcloudFamily) -> ApiError {
    let message = format!("The {} could not be found.", names(family).what);
    ApiError::new(codes::IMAGE_NOT_FOUND, message)
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
    check_number(names(family).no, no)?;
    let image = (state.image(no))
        .filter(|i| {
            i.region_code == region && can_see(&i.owner_login_id, &i.shared_login_ids, caller)
        })
        .ok_or_else(|| not_found(family))?;
    if family == VpcMemberServerImage && image.hypervisor != "XEN" {
        let message = format!(
            "KVM-based server images are not supported (image {no} is {}); use the server image API.",
            image.hypervisor
        );
        return Err(ApiError::new(codes::KVM_NOT_SUPPORTED, message));
    }
    Ok(image)
}

fn change_vpc(
    state: &mut Ncloud,
    caller: &str,
    params: &Params,
    family: NcloudFamily,
    op: Op,
) -> Result<Listing, ApiError> {
    let no = params.require(names(family).no)?.to_owned();
    let image = visible_vpc(state, caller, &no, &region(params), family)?;
    check_owner_and_status(&image.owner_login_id, &image.status, caller)?;
    let ids = targets(state, caller, params, op)?;
    let image = state
        .image_mut(&no)
        .ok_or_else(|| not_found(VpcServerImage))?;
    apply(&mut image.shared_login_ids, op, ids);
    Ok(Listing::new(
        family,
        1,
        vec![views::vpc(family, image, caller)],
    ))
}

/// `getServerImageList` and `getMemberServerImageInstanceList` (XEN images only).
fn list_vpc(
    state: &Ncloud,
    caller: &str,
    params: &Params,
    family: NcloudFamily,
) -> Result<Listing, ApiError> {
    let region = region(params);
    let member = family == VpcMemberServerImage;
    let (no, name, status) = match member {
        false => ("serverImageNo", "serverImageName", "serverImageStatusCode"),
        true => (
            "memberServerImageInstanceNo",
            "memberServerImageName",
            "memberServerImageInstanceStatusCode",
        ),
    };
    let nos = checked_list(params, &format!("{no}List"), None)?;
    let wanted_name = params.get(name);
    let status = code(params, status, STATUS_CODES)?;
    let list = |name: &str, allowed: &[&str]| checked_list(params, name, Some(allowed));
    let filters: Vec<(Vec<String>, fn(&NcloudImage) -> &str)> = if member {
        vec![(list("platformTypeCodeList", PLATFORM_TYPES)?, |i| {
            &i.platform_type
        })]
    } else {
        let os_types = ["CENTOS", "UBUNTU", "WINDOWS", "ROCKY", "NAVIX"];
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
            (
                list("platformCategoryCodeList", &["OS", "APP", "DBMS", "GPU"])?,
                |i| &i.platform_category_code,
            ),
        ]
    };
    let paging = Paging::vpc(params)?;

    let wanted = |list: &[String], value: &str| list.is_empty() || list.iter().any(|v| v == value);
    let mut found: Vec<(&str, &str, &NcloudImage)> = (state.images.iter())
        .filter(|i| i.region_code == region && (!member || i.hypervisor == "XEN"))
        .filter(|i| can_see(&i.owner_login_id, &i.shared_login_ids, caller))
        .filter(|i| wanted(&nos, &i.image_no) && wanted_name.is_none_or(|n| i.name == n))
        .filter(|i| status.is_none_or(|s| i.status == s))
        .filter(|i| filters.iter().all(|(list, field)| wanted(list, field(i))))
        .map(|i| (i.image_no.as_str(), i.name.as_str(), i))
        .collect();
    sort(&mut found, params, (no, name), ("ASC", "DESC"))?;
    let total_rows = found.len();
    let items = paging.apply(found).into_iter();
    let items = items
        .map(|(_, _, i)| views::vpc(family, i, caller))
        .collect();
    Ok(Listing::new(family, total_rows, items))
}

// ---- Classic -------------------------------------------------------------

fn change_classic(
    state: &mut Ncloud,
    caller: &str,
    params: &Params,
    op: Op,
) -> Result<Listing, ApiError> {
    let no = params.require("memberServerImageNo")?;
    let no = check_number("memberServerImageNo", no)?.to_owned();
    let image = (state.classic_image(&no))
        .filter(|i| can_see(&i.owner_login_id, &i.shared_login_ids, caller))
        .ok_or_else(|| not_found(Classic))?;
    check_owner_and_status(&image.owner_login_id, &image.status, caller)?;
    let ids = targets(state, caller, params, op)?;
    let image = state
        .classic_image_mut(&no)
        .ok_or_else(|| not_found(Classic))?;
    apply(&mut image.shared_login_ids, op, ids);
    Ok(Listing::new(
        Classic,
        1,
        vec![views::classic(image, caller)],
    ))
}

fn list_classic(state: &Ncloud, caller: &str, params: &Params) -> Result<Listing, ApiError> {
    let nos = checked_list(params, "memberServerImageNoList", None)?;
    let platforms = checked_list(params, "platformTypeCodeList", Some(PLATFORM_TYPES))?;
    if platforms.len() > CLASSIC_MAX_PLATFORM_TYPES {
        let message =
            format!("`platformTypeCodeList` takes at most {CLASSIC_MAX_PLATFORM_TYPES} values.");
        return Err(ApiError::invalid(message));
    }
    let region_no = params.get("regionNo");
    if let Some(no) = region_no.filter(|no| views::classic_region(no).is_none()) {
        return Err(ApiError::invalid(format!(
            "`regionNo` `{no}` is not a Classic region."
        )));
    }
    let paging = Paging::classic(params)?;

    let wanted = |list: &[String], value: &str| list.is_empty() || list.iter().any(|v| v == value);
    let mut found: Vec<(&str, &str, &NcloudClassicImage)> = (state.classic_images.iter())
        .filter(|i| can_see(&i.owner_login_id, &i.shared_login_ids, caller))
        .filter(|i| wanted(&nos, &i.image_no) && wanted(&platforms, &i.platform_type))
        .filter(|i| region_no.is_none_or(|r| i.region_no == r))
        .map(|i| (i.image_no.as_str(), i.name.as_str(), i))
        .collect();
    let keys = ("memberServerImageNo", "memberServerImageName");
    sort(&mut found, params, keys, ("ascending", "descending"))?;
    let total_rows = found.len();
    let items = paging.apply(found).into_iter();
    let items = items.map(|(_, _, i)| views::classic(i, caller)).collect();
    Ok(Listing::new(Classic, total_rows, items))
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::expect_used)]

    use super::*;
    use crate::ncloud::params::parse_urlencoded;

    fn params(q: &str) -> Params {
        Params::new(parse_urlencoded(q).unwrap())
    }

    #[test]
    fn routes() {
        let member = Action::route(Api::Vpc, "addMemberServerImageSharingPermission").unwrap();
        assert_eq!((member.family, member.op), (VpcMemberServerImage, Op::Add));
        let classic = Action::route(Api::Classic, "addMemberServerImageSharingPermission").unwrap();
        assert_eq!((classic.family, classic.op), (Classic, Op::Add));
        // No set… in the VPC server-image API, no Classic server image API.
        assert_eq!(
            Action::route(Api::Vpc, "setServerImageSharingPermission"),
            None
        );
        assert_eq!(Action::route(Api::Classic, "getServerImageList"), None);
    }

    #[test]
    fn paging() {
        let items: Vec<u32> = (1..=5).collect();
        let p = Paging::vpc(&params("pageNo=0&pageSize=2")).unwrap();
        assert_eq!(p.apply(items.clone()), [1, 2]);
        let p = Paging::vpc(&params("pageNo=1&pageSize=2")).unwrap();
        assert_eq!(p.apply(items.clone()), [1, 2]);
        let p = Paging::vpc(&params("pageNo=3&pageSize=2")).unwrap();
        assert_eq!(p.apply(items.clone()), [5]);
        assert!(Paging::vpc(&params("pageNo=1")).is_err());
        assert!(Paging::vpc(&params("pageNo=1&pageSize=0")).is_err());
        assert!(Paging::vpc(&params("pageSize=1001")).is_err());
        assert!(Paging::vpc(&params("pageSize=-1")).is_err());
        let p = Paging::classic(&params("pageNo=2&pageSize=0")).unwrap();
        assert_eq!(p.apply(items), [1, 2, 3, 4, 5]);
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

    #[test]
    fn numbers_sort_numerically() {
        assert_eq!(cmp_no("9", "10"), Ordering::Less);
        assert_eq!(cmp_no("10", "10"), Ordering::Equal);
    }
}
