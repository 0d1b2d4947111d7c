//! The thirteen image-sharing actions of the three API families, one handler per operation
//! for all three: add, remove and set shares, show an image, list images. What tells the
//! families apart is data ([`Family`]).

use std::collections::HashSet;

use super::NcloudFamily::VpcMemberServerImage;
use super::errors::{ApiError, err, fail};
use super::families::{Family, Op, is_classic_region};
use super::params::{Paging, Params, check_number, cmp_no};
use super::render::Node;
use super::state::{Ncloud, Row};
use crate::harness::ensure;

/// The region VPC calls use when `regionCode` is absent: "the first Region of the
/// getRegionList result", `KR` in every doc example.
const DEFAULT_REGION: &str = "KR";

/// Runs one authenticated, admitted request for `caller` (a login id): `totalRows` and the
/// images of the answer's list.
pub(crate) fn dispatch(
    state: &mut Ncloud,
    (family, op): (&Family, Op),
    caller: &str,
    params: &Params,
) -> Result<(usize, Vec<Node>), ApiError> {
    if op == Op::List {
        return list(state, family, caller, params);
    }
    let number = format!("{}No", family.base);
    let no = check_number(&number, params.require(&number)?)?;
    let region = region(family, op, params)?;
    let mut rows = state.rows(family.id).into_iter();
    let found = rows.find(|r| r.get("image_no") == no && in_region(r, region) && r.seen_by(caller));
    let Some(mut row) = found else {
        return fail("image_not_found", &[&family.what]);
    };
    // One store serves both VPC APIs; the member API reaches XEN images only.
    let hypervisor = row.get("hypervisor");
    if family.id == VpcMemberServerImage && hypervisor != "XEN" {
        return fail("kvm_not_supported", &[&no, &hypervisor]);
    }
    if op != Op::Detail {
        // Only the owner of a created (`CREAT`) image changes its sharing.
        let owner = row.get("owner_login_id");
        ensure(owner == caller, || err("not_owner", &[]))?;
        let status = row.get("status");
        ensure(status == "CREAT", || err("image_not_shareable", &[&status]))?;
        let ids = targets(state, caller, params, op)?;
        if let Some(shared) = state.shares_mut(family.id, no) {
            apply(shared, op, ids);
            row.shared.clone_from(shared);
        }
    }
    Ok((1, vec![family.view(&row, caller)]))
}

/// The region an action looks in, as `(field, value)`: VPC actions in `regionCode` (default
/// `KR`, any code accepted); Classic lists in `regionNo` when given, which must be a Classic
/// region; other Classic actions in every region.
fn region<'a>(family: &Family, op: Op, params: &'a Params) -> Result<Region<'a>, ApiError> {
    if !family.classic {
        let code = params.get("regionCode").unwrap_or(DEFAULT_REGION);
        return Ok(Some(("region_code", code)));
    }
    match params.get("regionNo").filter(|_| op == Op::List) {
        Some(no) if !is_classic_region(no) => fail("not_a_classic_region", &[&no]),
        no => Ok(no.map(|no| ("region_no", no))),
    }
}

/// A region as the seed field and the value an image must have; `None`: every region.
type Region<'a> = Option<(&'static str, &'a str)>;

fn in_region(row: &Row, region: Region<'_>) -> bool {
    region.is_none_or(|(field, value)| row.get(field) == value)
}

/// The images the caller may see that pass the family's filters, sorted and paged (`totalRows`
/// counts them all); the member API lists XEN images only.
fn list(
    state: &Ncloud,
    family: &Family,
    caller: &str,
    params: &Params,
) -> Result<(usize, Vec<Node>), ApiError> {
    let filters = family.filters.iter().map(|f| Ok((f, f.wanted(params)?)));
    let filters = filters.collect::<Result<Vec<_>, ApiError>>()?;
    let region = region(family, Op::List, params)?;
    let paging = if family.classic {
        Paging::classic(params)?
    } else {
        Paging::vpc(params)?
    };
    let listed = |row: &Row| {
        let xen = family.id != VpcMemberServerImage || row.get("hypervisor") == "XEN";
        let filtered = filters.iter().all(|(f, wanted)| f.passes(wanted, row));
        xen && in_region(row, region) && row.seen_by(caller) && filtered
    };
    let mut found: Vec<Row> = state.rows(family.id).into_iter().filter(listed).collect();
    // By number unless `sortedBy` names the name; ascending unless `sortingOrder` says not.
    let by_name = params.second_of("sortedBy", &family.sorted_by)?;
    let descending = params.second_of("sortingOrder", &family.sorting_order)?;
    found.sort_by(|a, b| {
        let by_no = cmp_no(a.get("image_no"), b.get("image_no"));
        let ord = if by_name {
            a.get("name").cmp(b.get("name")).then(by_no)
        } else {
            by_no
        };
        if descending { ord.reverse() } else { ord }
    });
    let total_rows = found.len();
    let page = paging.apply(found);
    Ok((
        total_rows,
        page.iter().map(|row| family.view(row, caller)).collect(),
    ))
}

/// `targetLoginIdList.N`: required for add and remove, optional for set (omitted = remove
/// everyone); never duplicated. For add and set every id must be a known account other than
/// the caller.
fn targets(state: &Ncloud, caller: &str, params: &Params, op: Op) -> Result<Vec<String>, ApiError> {
    let ids = params.list("targetLoginIdList")?;
    if ids.is_empty() && op != Op::Set {
        return fail("missing", &[&"targetLoginIdList.N"]);
    }
    let mut seen = HashSet::new();
    if let Some(id) = ids.iter().find(|id| !seen.insert(*id)) {
        return fail("duplicated_login_id", &[id]);
    }
    for id in ids.iter().filter(|_| op != Op::Remove) {
        ensure(id != caller, || err("self_share", &[]))?;
        let known = state.data.accounts.iter().any(|a| a.login_id == *id);
        ensure(known, || err("login_id_not_found", &[id]))?;
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

#[cfg(test)]
mod tests {
    use super::*;

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
