//! The thirteen image-sharing actions of the three API families
//! (ncloud.md §3.2–§3.7).

use std::cmp::Ordering;

use super::NcloudFamily;
use super::errors::{ApiError, codes};
use super::params::Params;
use super::render::Node;
use super::seed::{NcloudClassicImage, NcloudImage};
use super::state::Ncloud;
use super::views;

/// The region VPC calls use when `regionCode` is absent: "the first Region
/// of the getRegionList result" (§2.2), `KR` in every doc example.
pub(crate) const DEFAULT_REGION: &str = "KR";
/// VPC `pageSize` range (§3.3, §3.6).
const VPC_MAX_PAGE_SIZE: u64 = 1000;
/// Classic `pageNo`/`pageSize` maximum (§3.7).
const CLASSIC_MAX_PAGE: u64 = 2_147_483_647;
/// Classic `platformTypeCodeList.N`: at most five values (§3.7, §5).
const CLASSIC_MAX_PLATFORM_TYPES: usize = 5;

const STATUS_CODES: &[&str] = &["INIT", "CREAT", "CREFL"];
const PLATFORM_TYPES: &[&str] = &["LNX32", "LNX64", "WND32", "WND64", "UBD64", "UBS64"];

/// The action names the fake serves (the path's last segment), for rate limits.
pub(crate) const ACTION_NAMES: &[&str] = &[
    "addServerImageSharingPermission",
    "removeServerImageSharingPermission",
    "getServerImageList",
    "getServerImageDetail",
    "addMemberServerImageSharingPermission",
    "removeMemberServerImageSharingPermission",
    "setMemberServerImageSharingPermission",
    "getMemberServerImageInstanceList",
    "getMemberServerImageInstanceDetail",
    "getMemberServerImageList",
];

/// The actions the fake implements.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Action {
    AddServerImageSharingPermission,
    RemoveServerImageSharingPermission,
    GetServerImageList,
    GetServerImageDetail,
    VpcAddMemberServerImageSharingPermission,
    VpcRemoveMemberServerImageSharingPermission,
    VpcSetMemberServerImageSharingPermission,
    GetMemberServerImageInstanceList,
    GetMemberServerImageInstanceDetail,
    ClassicAddMemberServerImageSharingPermission,
    ClassicRemoveMemberServerImageSharingPermission,
    ClassicSetMemberServerImageSharingPermission,
    GetMemberServerImageList,
}

/// Which gateway path an action arrived under.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Api {
    /// `/vserver/v2/`
    Vpc,
    /// `/server/v2/`
    Classic,
}

impl Action {
    /// The action named `name` under `api`, if the fake implements it.
    pub(crate) fn route(api: Api, name: &str) -> Option<Action> {
        use Action::*;
        Some(match (api, name) {
            (Api::Vpc, "addServerImageSharingPermission") => AddServerImageSharingPermission,
            (Api::Vpc, "removeServerImageSharingPermission") => RemoveServerImageSharingPermission,
            (Api::Vpc, "getServerImageList") => GetServerImageList,
            (Api::Vpc, "getServerImageDetail") => GetServerImageDetail,
            (Api::Vpc, "addMemberServerImageSharingPermission") => {
                VpcAddMemberServerImageSharingPermission
            }
            (Api::Vpc, "removeMemberServerImageSharingPermission") => {
                VpcRemoveMemberServerImageSharingPermission
            }
            (Api::Vpc, "setMemberServerImageSharingPermission") => {
                VpcSetMemberServerImageSharingPermission
            }
            (Api::Vpc, "getMemberServerImageInstanceList") => GetMemberServerImageInstanceList,
            (Api::Vpc, "getMemberServerImageInstanceDetail") => GetMemberServerImageInstanceDetail,
            (Api::Classic, "addMemberServerImageSharingPermission") => {
                ClassicAddMemberServerImageSharingPermission
            }
            (Api::Classic, "removeMemberServerImageSharingPermission") => {
                ClassicRemoveMemberServerImageSharingPermission
            }
            (Api::Classic, "setMemberServerImageSharingPermission") => {
                ClassicSetMemberServerImageSharingPermission
            }
            (Api::Classic, "getMemberServerImageList") => GetMemberServerImageList,
            _ => return None,
        })
    }

    /// The action's name as it appears in the path (and, plus `Response`,
    /// as the response root).
    pub(crate) fn name(self) -> &'static str {
        use Action::*;
        match self {
            AddServerImageSharingPermission => "addServerImageSharingPermission",
            RemoveServerImageSharingPermission => "removeServerImageSharingPermission",
            GetServerImageList => "getServerImageList",
            GetServerImageDetail => "getServerImageDetail",
            VpcAddMemberServerImageSharingPermission
            | ClassicAddMemberServerImageSharingPermission => {
                "addMemberServerImageSharingPermission"
            }
            VpcRemoveMemberServerImageSharingPermission
            | ClassicRemoveMemberServerImageSharingPermission => {
                "removeMemberServerImageSharingPermission"
            }
            VpcSetMemberServerImageSharingPermission
            | ClassicSetMemberServerImageSharingPermission => {
                "setMemberServerImageSharingPermission"
            }
            GetMemberServerImageInstanceList => "getMemberServerImageInstanceList",
            GetMemberServerImageInstanceDetail => "getMemberServerImageInstanceDetail",
            GetMemberServerImageList => "getMemberServerImageList",
        }
    }

    pub(crate) fn family(self) -> NcloudFamily {
        use Action::*;
        match self {
            AddServerImageSharingPermission
            | RemoveServerImageSharingPermission
            | GetServerImageList
            | GetServerImageDetail => NcloudFamily::VpcServerImage,
            VpcAddMemberServerImageSharingPermission
            | VpcRemoveMemberServerImageSharingPermission
            | VpcSetMemberServerImageSharingPermission
            | GetMemberServerImageInstanceList
            | GetMemberServerImageInstanceDetail => NcloudFamily::VpcMemberServerImage,
            ClassicAddMemberServerImageSharingPermission
            | ClassicRemoveMemberServerImageSharingPermission
            | ClassicSetMemberServerImageSharingPermission
            | GetMemberServerImageList => NcloudFamily::Classic,
        }
    }
}

/// A successful answer's payload: `totalRows` and the named list.
#[derive(Debug)]
pub(crate) struct Listing {
    pub(crate) total_rows: usize,
    pub(crate) key: &'static str,
    pub(crate) list: Node,
}

/// Runs one authenticated, admitted request for `caller` (a login id).
pub(crate) fn dispatch(
    state: &mut Ncloud,
    action: Action,
    caller: &str,
    params: &Params,
) -> Result<Listing, ApiError> {
    use Action::*;
    match action {
        AddServerImageSharingPermission => {
            change_vpc(state, caller, params, Via::ServerImage, ChangeKind::Add)
        }
        RemoveServerImageSharingPermission => {
            change_vpc(state, caller, params, Via::ServerImage, ChangeKind::Remove)
        }
        GetServerImageList => get_server_image_list(state, caller, params),
        GetServerImageDetail => {
            let region = region(params);
            let no = params.require("serverImageNo")?;
            let image = visible_vpc(state, caller, no, &region, Via::ServerImage)?;
            Ok(one(Via::ServerImage, image, caller))
        }
        VpcAddMemberServerImageSharingPermission => {
            change_vpc(state, caller, params, Via::Member, ChangeKind::Add)
        }
        VpcRemoveMemberServerImageSharingPermission => {
            change_vpc(state, caller, params, Via::Member, ChangeKind::Remove)
        }
        VpcSetMemberServerImageSharingPermission => {
            change_vpc(state, caller, params, Via::Member, ChangeKind::Set)
        }
        GetMemberServerImageInstanceList => {
            get_member_server_image_instance_list(state, caller, params)
        }
        GetMemberServerImageInstanceDetail => {
            let region = region(params);
            let no = params.require("memberServerImageInstanceNo")?;
            let image = visible_vpc(state, caller, no, &region, Via::Member)?;
            Ok(one(Via::Member, image, caller))
        }
        ClassicAddMemberServerImageSharingPermission => {
            change_classic(state, caller, params, ChangeKind::Add)
        }
        ClassicRemoveMemberServerImageSharingPermission => {
            change_classic(state, caller, params, ChangeKind::Remove)
        }
        ClassicSetMemberServerImageSharingPermission => {
            change_classic(state, caller, params, ChangeKind::Set)
        }
        GetMemberServerImageList => get_member_server_image_list(state, caller, params),
    }
}

// ---- parameter helpers ---------------------------------------------------

/// Image numbers are decimal digits (every `*No` in the docs is numeric).
fn check_number<'a>(name: &str, value: &'a str) -> Result<&'a str, ApiError> {
    if !value.is_empty() && value.len() <= 19 && value.bytes().all(|b| b.is_ascii_digit()) {
        Ok(value)
    } else {
        Err(ApiError::invalid(format!(
            "`{name}` must be a number, not `{value}`."
        )))
    }
}

fn region(params: &Params) -> String {
    params
        .get("regionCode")
        .unwrap_or(DEFAULT_REGION)
        .to_owned()
}

fn check_code(name: &str, value: &str, allowed: &[&str]) -> Result<(), ApiError> {
    if allowed.contains(&value) {
        Ok(())
    } else {
        Err(ApiError::invalid(format!(
            "`{name}` must be one of {}, not `{value}`.",
            allowed.join(" | ")
        )))
    }
}

fn code_list(params: &Params, name: &str, allowed: &[&str]) -> Result<Vec<String>, ApiError> {
    let values = params.list(name)?;
    for value in &values {
        check_code(name, value, allowed)?;
    }
    Ok(values)
}

fn number_list(params: &Params, name: &str) -> Result<Vec<String>, ApiError> {
    let values = params.list(name)?;
    for value in &values {
        check_number(name, value)?;
    }
    Ok(values)
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

/// `pageNo`/`pageSize`: page 0 and 1 are both the first page (§5); no
/// `pageSize` (or Classic's `0`) means every row.
#[derive(Debug, Clone, Copy)]
struct Paging {
    page_no: u64,
    page_size: Option<u64>,
}

impl Paging {
    /// VPC: `pageNo` ≥ 0, `pageSize` 1–1000 and required with `pageNo`
    /// (§3.3, §3.6).
    fn vpc(params: &Params) -> Result<Paging, ApiError> {
        let page_no = integer(params, "pageNo", 0, u64::from(u32::MAX))?;
        let page_size = integer(params, "pageSize", 1, VPC_MAX_PAGE_SIZE)?;
        if page_no.is_some() && page_size.is_none() {
            return Err(ApiError::new(
                codes::MISSING_PARAMETER,
                "`pageSize` is required when `pageNo` is given.",
            ));
        }
        Ok(Paging {
            page_no: page_no.unwrap_or(0),
            page_size,
        })
    }

    /// Classic: both 0–2147483647 (§3.7).
    fn classic(params: &Params) -> Result<Paging, ApiError> {
        let page_no = integer(params, "pageNo", 0, CLASSIC_MAX_PAGE)?;
        let page_size = integer(params, "pageSize", 0, CLASSIC_MAX_PAGE)?.filter(|s| *s > 0);
        Ok(Paging {
            page_no: page_no.unwrap_or(0),
            page_size,
        })
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

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum SortKey {
    No,
    Name,
}

/// `sortedBy` (matched case-insensitively, as Classic documents) and
/// `sortingOrder` (`ASC`/`DESC` for VPC, `ascending`/`descending` for
/// Classic, also case-insensitive). Default: by number, ascending.
fn sorting(
    params: &Params,
    keys: &[(&str, SortKey)],
    orders: (&str, &str),
) -> Result<(SortKey, bool), ApiError> {
    let key = match params.get("sortedBy") {
        None => SortKey::No,
        Some(by) => keys
            .iter()
            .find(|(name, _)| name.eq_ignore_ascii_case(by))
            .map(|(_, key)| *key)
            .ok_or_else(|| {
                let names: Vec<&str> = keys.iter().map(|(n, _)| *n).collect();
                ApiError::invalid(format!(
                    "`sortedBy` must be one of {}, not `{by}`.",
                    names.join(" | ")
                ))
            })?,
    };
    let descending = match params.get("sortingOrder") {
        None => false,
        Some(o) if o.eq_ignore_ascii_case(orders.0) => false,
        Some(o) if o.eq_ignore_ascii_case(orders.1) => true,
        Some(o) => {
            return Err(ApiError::invalid(format!(
                "`sortingOrder` must be {} or {}, not `{o}`.",
                orders.0, orders.1
            )));
        }
    };
    Ok((key, descending))
}

/// Numbers compare numerically (digit strings without leading zeros).
fn cmp_no(a: &str, b: &str) -> Ordering {
    a.len().cmp(&b.len()).then_with(|| a.cmp(b))
}

fn sort_by<T>(
    items: &mut [&T],
    key: SortKey,
    descending: bool,
    fields: impl Fn(&T) -> (&str, &str),
) {
    items.sort_by(|a, b| {
        let (a_no, a_name) = fields(a);
        let (b_no, b_name) = fields(b);
        let ord = match key {
            SortKey::No => cmp_no(a_no, b_no),
            SortKey::Name => a_name.cmp(b_name).then_with(|| cmp_no(a_no, b_no)),
        };
        if descending { ord.reverse() } else { ord }
    });
}

// ---- sharing -------------------------------------------------------------

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum ChangeKind {
    Add,
    Remove,
    Set,
}

/// `targetLoginIdList.N`: required for add and remove, optional for set
/// (omitted = remove everyone, §3.6, §3.7); never duplicated (§3.7). For add
/// and set every id must be a known account other than the caller.
fn targets(
    state: &Ncloud,
    caller: &str,
    params: &Params,
    kind: ChangeKind,
) -> Result<Vec<String>, ApiError> {
    const NAME: &str = "targetLoginIdList";
    let ids = params.list(NAME)?;
    if ids.is_empty() && kind != ChangeKind::Set {
        return Err(ApiError::missing("targetLoginIdList.N"));
    }
    for (i, id) in ids.iter().enumerate() {
        if ids[..i].contains(id) {
            return Err(ApiError::new(
                codes::DUPLICATED_LOGIN_ID,
                format!("The login ID `{id}` appears more than once in targetLoginIdList."),
            ));
        }
    }
    if kind != ChangeKind::Remove {
        for id in &ids {
            if id == caller {
                return Err(ApiError::new(
                    codes::SELF_SHARE,
                    "You cannot share an image with your own account.",
                ));
            }
            if !state.login_exists(id) {
                return Err(ApiError::new(
                    codes::LOGIN_ID_NOT_FOUND,
                    format!("The login ID `{id}` does not exist."),
                ));
            }
        }
    }
    Ok(ids)
}

/// Add appends ids not yet present (already-shared ids are ignored), remove
/// drops the listed ids (ids not shared are ignored), set replaces the list.
fn apply(shared: &mut Vec<String>, kind: ChangeKind, ids: Vec<String>) {
    match kind {
        ChangeKind::Add => {
            for id in ids {
                if !shared.contains(&id) {
                    shared.push(id);
                }
            }
        }
        ChangeKind::Remove => shared.retain(|s| !ids.contains(s)),
        ChangeKind::Set => *shared = ids,
    }
}

fn check_owner_and_status(owner: &str, status: &str, caller: &str) -> Result<(), ApiError> {
    if owner != caller {
        return Err(ApiError::new(
            codes::NOT_OWNER,
            "Only the owner of the image can change its sharing permission.",
        ));
    }
    if status != "CREAT" {
        return Err(ApiError::new(
            codes::IMAGE_NOT_SHAREABLE,
            format!(
                "The image is in status `{status}`; only created (CREAT) images can be shared."
            ),
        ));
    }
    Ok(())
}

// ---- VPC (server image and member server image instance) -----------------

/// The two VPC APIs over one image store.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Via {
    /// `serverImageNo`, XEN and KVM (§3.2–§3.4).
    ServerImage,
    /// `memberServerImageInstanceNo`, XEN only (§3.6).
    Member,
}

impl Via {
    fn number_param(self) -> &'static str {
        match self {
            Via::ServerImage => "serverImageNo",
            Via::Member => "memberServerImageInstanceNo",
        }
    }
}

fn can_see(owner: &str, shared: &[String], caller: &str) -> bool {
    owner == caller || shared.iter().any(|s| s == caller)
}

/// An image in `region` the caller owns or has been shared; through the
/// member API it must be XEN.
fn visible_vpc<'a>(
    state: &'a Ncloud,
    caller: &str,
    no: &str,
    region: &str,
    via: Via,
) -> Result<&'a NcloudImage, ApiError> {
    check_number(via.number_param(), no)?;
    let image = state
        .image(no)
        .filter(|i| {
            i.region_code == region && can_see(&i.owner_login_id, &i.shared_login_ids, caller)
        })
        .ok_or_else(|| {
            let what = match via {
                Via::ServerImage => "server image",
                Via::Member => "member server image instance",
            };
            ApiError::new(
                codes::IMAGE_NOT_FOUND,
                format!("The {what} could not be found."),
            )
        })?;
    if via == Via::Member && image.hypervisor != "XEN" {
        return Err(ApiError::new(
            codes::KVM_NOT_SUPPORTED,
            format!(
                "KVM-based server images are not supported (image {no} is {}); use the server image API.",
                image.hypervisor
            ),
        ));
    }
    Ok(image)
}

fn one(via: Via, image: &NcloudImage, caller: &str) -> Listing {
    match via {
        Via::ServerImage => Listing {
            total_rows: 1,
            key: "serverImageList",
            list: Node::list("serverImage", vec![views::server_image(image, caller)]),
        },
        Via::Member => Listing {
            total_rows: 1,
            key: "memberServerImageInstanceList",
            list: Node::list(
                "memberServerImageInstance",
                vec![views::member_server_image_instance(image, caller)],
            ),
        },
    }
}

fn change_vpc(
    state: &mut Ncloud,
    caller: &str,
    params: &Params,
    via: Via,
    kind: ChangeKind,
) -> Result<Listing, ApiError> {
    let region = region(params);
    let no = params.require(via.number_param())?.to_owned();
    let image = visible_vpc(state, caller, &no, &region, via)?;
    check_owner_and_status(&image.owner_login_id, &image.status, caller)?;
    let ids = targets(state, caller, params, kind)?;
    let image = state.image_mut(&no).ok_or_else(|| {
        ApiError::new(
            codes::IMAGE_NOT_FOUND,
            "The server image could not be found.",
        )
    })?;
    apply(&mut image.shared_login_ids, kind, ids);
    let image = image.clone();
    Ok(one(via, &image, caller))
}

fn get_server_image_list(
    state: &Ncloud,
    caller: &str,
    params: &Params,
) -> Result<Listing, ApiError> {
    let region = region(params);
    let nos = number_list(params, "serverImageNoList")?;
    let name = params.get("serverImageName");
    let status = params.get("serverImageStatusCode");
    if let Some(status) = status {
        check_code("serverImageStatusCode", status, STATUS_CODES)?;
    }
    let types = code_list(params, "serverImageTypeCodeList", &["SELF", "NCP"])?;
    let hypervisors = code_list(params, "hypervisorTypeCodeList", &["XEN", "KVM", "RHV"])?;
    let os_types = code_list(
        params,
        "osTypeCodeList",
        &["CENTOS", "UBUNTU", "WINDOWS", "ROCKY", "NAVIX"],
    )?;
    let categories = code_list(
        params,
        "platformCategoryCodeList",
        &["OS", "APP", "DBMS", "GPU"],
    )?;
    let paging = Paging::vpc(params)?;
    let (key, descending) = sorting(
        params,
        &[
            ("serverImageNo", SortKey::No),
            ("serverImageName", SortKey::Name),
        ],
        ("ASC", "DESC"),
    )?;

    let wanted = |list: &[String], value: &str| list.is_empty() || list.iter().any(|v| v == value);
    let mut found: Vec<&NcloudImage> = state
        .images
        .iter()
        .filter(|i| i.region_code == region)
        .filter(|i| can_see(&i.owner_login_id, &i.shared_login_ids, caller))
        .filter(|i| wanted(&nos, &i.image_no))
        .filter(|i| name.is_none_or(|n| i.name == n))
        .filter(|i| status.is_none_or(|s| i.status == s))
        // Every image the fake holds is a SELF (custom) image.
        .filter(|_| wanted(&types, "SELF"))
        .filter(|i| wanted(&hypervisors, &i.hypervisor))
        .filter(|i| wanted(&os_types, &i.os_type))
        .filter(|i| wanted(&categories, &i.platform_category_code))
        .collect();
    sort_by(&mut found, key, descending, |i| (&i.image_no, &i.name));
    let total_rows = found.len();
    let items = paging
        .apply(found)
        .into_iter()
        .map(|i| views::server_image(i, caller))
        .collect();
    Ok(Listing {
        total_rows,
        key: "serverImageList",
        list: Node::list("serverImage", items),
    })
}

fn get_member_server_image_instance_list(
    state: &Ncloud,
    caller: &str,
    params: &Params,
) -> Result<Listing, ApiError> {
    let region = region(params);
    let nos = number_list(params, "memberServerImageInstanceNoList")?;
    let name = params.get("memberServerImageName");
    let status = params.get("memberServerImageInstanceStatusCode");
    if let Some(status) = status {
        check_code("memberServerImageInstanceStatusCode", status, STATUS_CODES)?;
    }
    let platforms = code_list(params, "platformTypeCodeList", PLATFORM_TYPES)?;
    let paging = Paging::vpc(params)?;
    let (key, descending) = sorting(
        params,
        &[
            ("memberServerImageName", SortKey::Name),
            ("memberServerImageInstanceNo", SortKey::No),
        ],
        ("ASC", "DESC"),
    )?;

    let wanted = |list: &[String], value: &str| list.is_empty() || list.iter().any(|v| v == value);
    let mut found: Vec<&NcloudImage> = state
        .images
        .iter()
        .filter(|i| i.hypervisor == "XEN" && i.region_code == region)
        .filter(|i| can_see(&i.owner_login_id, &i.shared_login_ids, caller))
        .filter(|i| wanted(&nos, &i.image_no))
        .filter(|i| name.is_none_or(|n| i.name == n))
        .filter(|i| status.is_none_or(|s| i.status == s))
        .filter(|i| wanted(&platforms, &i.platform_type))
        .collect();
    sort_by(&mut found, key, descending, |i| (&i.image_no, &i.name));
    let total_rows = found.len();
    let items = paging
        .apply(found)
        .into_iter()
        .map(|i| views::member_server_image_instance(i, caller))
        .collect();
    Ok(Listing {
        total_rows,
        key: "memberServerImageInstanceList",
        list: Node::list("memberServerImageInstance", items),
    })
}

// ---- Classic -------------------------------------------------------------

fn classic_listing(images: Vec<&NcloudClassicImage>, total_rows: usize, caller: &str) -> Listing {
    Listing {
        total_rows,
        key: "memberServerImageList",
        list: Node::list(
            "memberServerImage",
            images
                .into_iter()
                .map(|i| views::classic_member_server_image(i, caller))
                .collect(),
        ),
    }
}

fn change_classic(
    state: &mut Ncloud,
    caller: &str,
    params: &Params,
    kind: ChangeKind,
) -> Result<Listing, ApiError> {
    let no = check_number(
        "memberServerImageNo",
        params.require("memberServerImageNo")?,
    )?
    .to_owned();
    let not_found = || {
        ApiError::new(
            codes::IMAGE_NOT_FOUND,
            "The member server image could not be found.",
        )
    };
    let image = state
        .classic_image(&no)
        .filter(|i| can_see(&i.owner_login_id, &i.shared_login_ids, caller))
        .ok_or_else(not_found)?;
    check_owner_and_status(&image.owner_login_id, &image.status, caller)?;
    let ids = targets(state, caller, params, kind)?;
    let image = state.classic_image_mut(&no).ok_or_else(not_found)?;
    apply(&mut image.shared_login_ids, kind, ids);
    let image = image.clone();
    Ok(classic_listing(vec![&image], 1, caller))
}

fn get_member_server_image_list(
    state: &Ncloud,
    caller: &str,
    params: &Params,
) -> Result<Listing, ApiError> {
    let nos = number_list(params, "memberServerImageNoList")?;
    let platforms = code_list(params, "platformTypeCodeList", PLATFORM_TYPES)?;
    if platforms.len() > CLASSIC_MAX_PLATFORM_TYPES {
        return Err(ApiError::invalid(format!(
            "`platformTypeCodeList` takes at most {CLASSIC_MAX_PLATFORM_TYPES} values."
        )));
    }
    let region_no = params.get("regionNo");
    if let Some(no) = region_no
        && views::classic_region(no).is_none()
    {
        return Err(ApiError::invalid(format!(
            "`regionNo` `{no}` is not a Classic region."
        )));
    }
    let paging = Paging::classic(params)?;
    let (key, descending) = sorting(
        params,
        &[
            ("memberServerImageName", SortKey::Name),
            ("memberServerImageNo", SortKey::No),
        ],
        ("ascending", "descending"),
    )?;

    let wanted = |list: &[String], value: &str| list.is_empty() || list.iter().any(|v| v == value);
    let mut found: Vec<&NcloudClassicImage> = state
        .classic_images
        .iter()
        .filter(|i| can_see(&i.owner_login_id, &i.shared_login_ids, caller))
        .filter(|i| wanted(&nos, &i.image_no))
        .filter(|i| wanted(&platforms, &i.platform_type))
        .filter(|i| region_no.is_none_or(|r| i.region_no == r))
        .collect();
    sort_by(&mut found, key, descending, |i| (&i.image_no, &i.name));
    let total_rows = found.len();
    Ok(classic_listing(paging.apply(found), total_rows, caller))
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
        assert_eq!(
            Action::route(Api::Vpc, "addMemberServerImageSharingPermission"),
            Some(Action::VpcAddMemberServerImageSharingPermission)
        );
        assert_eq!(
            Action::route(Api::Classic, "addMemberServerImageSharingPermission"),
            Some(Action::ClassicAddMemberServerImageSharingPermission)
        );
        // No set… in the VPC server-image API (§3.1), no Classic server image API.
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
        apply(&mut shared, ChangeKind::Add, vec!["b".into(), "a".into()]);
        assert_eq!(shared, ["a", "b"]);
        apply(
            &mut shared,
            ChangeKind::Remove,
            vec!["a".into(), "z".into()],
        );
        assert_eq!(shared, ["b"]);
        apply(&mut shared, ChangeKind::Set, vec!["c".into()]);
        assert_eq!(shared, ["c"]);
        apply(&mut shared, ChangeKind::Set, vec![]);
        assert!(shared.is_empty());
    }

    #[test]
    fn numbers_sort_numerically() {
        assert_eq!(cmp_no("9", "10"), Ordering::Less);
        assert_eq!(cmp_no("10", "10"), Ordering::Equal);
    }
}
