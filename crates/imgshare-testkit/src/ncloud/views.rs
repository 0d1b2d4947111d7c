//! How each image family looks on the wire, field for field in the order of the documented
//! examples, as a [`Node`] ready for XML or JSON.

use super::NcloudFamily;
use super::render::{Node, code, list, number, object, text};
use super::seed::{NcloudClassicImage, NcloudImage};

/// The fixed parts of every image: the fake models what sharing needs (numbers, owners,
/// names, regions, hypervisors, platforms, statuses, shares), not disks or source servers.
const PRODUCT_CODE: &str = "SW.VSVR.OS.LNX64.UBNTU.SVR24.G003";
const SERVER_INSTANCE_NO: &str = "3004594";
const DISK_SIZE: u64 = 10_737_418_240;
const CLASSIC_DISK_SIZE: u64 = 107_374_182_400;

/// The login ids a caller sees in `sharedLoginIdList`: the owner sees all; a recipient sees
/// only itself (the fake's choice; the docs do not say).
pub(crate) fn visible_shares(shared: &[String], owner: &str, caller: &str) -> Vec<String> {
    let visible = shared.iter().filter(|l| owner == caller || *l == caller);
    visible.cloned().collect()
}

/// `shareStatus` and `sharedLoginIdList`: `SHARE` when the image is shared with anyone, else
/// `NULL`.
fn shares(shared: &[String], owner: &str, caller: &str) -> [(&'static str, Node); 2] {
    let status = if shared.is_empty() { "NULL" } else { "SHARE" };
    let ids = visible_shares(shared, owner, caller)
        .into_iter()
        .map(Node::Text);
    [
        (
            "shareStatus",
            code(status, &format!("NSI Share {status} State")),
        ),
        ("sharedLoginIdList", list("sharedLoginId", ids.collect())),
    ]
}

/// `(codeName, statusName)` for an image status code (the `INIT`/`CREFL` code names are the
/// fake's, in the documented style).
fn status_names(code: &str) -> (&'static str, &'static str) {
    match code {
        "INIT" => ("NSI INIT state", "initialized"),
        "CREAT" => ("NSI CREATED state", "created"),
        "CREFL" => ("NSI CREATE FAILED state", "createFailed"),
        _ => ("NSI state", "unknown"),
    }
}

fn platform_type_name(code: &str) -> &'static str {
    match code {
        "LNX32" => "Linux 32 Bit",
        "LNX64" => "Linux 64 Bit",
        "WND32" => "Windows 32 Bit",
        "WND64" => "Windows 64 Bit",
        "UBD64" => "Ubuntu Desktop 64 Bit",
        "UBS64" => "Ubuntu Server 64 Bit",
        _ => "",
    }
}

/// Classic `regionNo` → `(regionCode, regionName)`.
pub(crate) fn classic_region(region_no: &str) -> Option<(&'static str, &'static str)> {
    Some(match region_no {
        "1" => ("KR", "Korea"),
        "2" => ("USW", "US-West(Old)"),
        "3" => ("HK", "HongKong"),
        "6" => ("DE", "Germany(Old)"),
        "7" => ("SGN", "Singapore(New)"),
        "8" => ("JPN", "Japan(New)"),
        "9" => ("USWN", "US-West(New)"),
        "10" => ("DEN", "Germany(New)"),
        _ => return None,
    })
}

/// A VPC image as its family shows it: a `ServerImage` or a `MemberServerImageInstance`.
pub(crate) fn vpc(family: NcloudFamily, image: &NcloudImage, caller: &str) -> Node {
    match family {
        NcloudFamily::VpcMemberServerImage => member_server_image_instance(image, caller),
        _ => server_image(image, caller),
    }
}

/// A VPC `ServerImage`.
fn server_image(image: &NcloudImage, caller: &str) -> Node {
    let (status_code_name, status_name) = status_names(&image.status);
    let category = if image.os_type == "WINDOWS" {
        "WINDOWS"
    } else {
        "LINUX"
    };
    let volume = match image.hypervisor.as_str() {
        "XEN" => code("SSD", "SSD"),
        _ => code("CB1", "Common BlockStorage 1"),
    };
    let mapping = object(vec![
        ("order", number(0)),
        ("blockStorageSnapshotInstanceNo", number(104_630_229)),
        ("blockStorageSnapshotName", text(&image.name)),
        ("blockStorageSize", number(DISK_SIZE)),
        ("blockStorageVolumeType", volume),
        ("iops", number(100)),
        ("throughput", number(104_857_600)),
        ("isEncryptedVolume", Node::Bool(false)),
    ]);
    let [share_status, shared] = shares(&image.shared_login_ids, &image.owner_login_id, caller);
    object(vec![
        ("serverImageNo", text(&image.image_no)),
        ("serverImageName", text(&image.name)),
        ("serverImageDescription", text(&image.description)),
        ("serverImageType", code("SELF", "SELF server image")),
        (
            "serverImageLifeCyclePhase",
            code("IN_SERVICE", "In Service"),
        ),
        ("hypervisorType", code(&image.hypervisor, &image.hypervisor)),
        ("cpuArchitectureType", code("X86_64", "x86 64bit")),
        ("osCategoryType", code(category, category)),
        ("osType", code(&image.os_type, &image.os_type)),
        ("serverImageStatus", code(&image.status, status_code_name)),
        ("serverImageOperation", code("NULL", "NSI NULL OP")),
        ("serverImageStatusName", text(status_name)),
        share_status,
        (
            "blockStorageMappingList",
            list("blockStorageMapping", vec![mapping]),
        ),
        shared,
        ("serverImageProductCode", text(PRODUCT_CODE)),
        ("createDate", text(&image.create_date)),
        ("platformCategoryCode", text(&image.platform_category_code)),
    ])
}

/// A VPC `MemberServerImageInstance`.
fn member_server_image_instance(image: &NcloudImage, caller: &str) -> Node {
    let (status_code_name, status_name) = status_names(&image.status);
    let [share_status, shared] = shares(&image.shared_login_ids, &image.owner_login_id, caller);
    object(vec![
        ("memberServerImageInstanceNo", text(&image.image_no)),
        ("memberServerImageName", text(&image.name)),
        ("memberServerImageDescription", text(&image.description)),
        ("originalServerInstanceNo", text(SERVER_INSTANCE_NO)),
        ("originalServerImageProductCode", text(PRODUCT_CODE)),
        (
            "memberServerImageInstanceStatus",
            code(&image.status, status_code_name),
        ),
        (
            "memberServerImageInstanceOperation",
            code("NULL", "NSI NULLOP"),
        ),
        ("memberServerImageInstanceStatusName", text(status_name)),
        ("createDate", text(&image.create_date)),
        ("memberServerImageBlockStorageTotalRows", number(1)),
        ("memberServerImageBlockStorageTotalSize", number(DISK_SIZE)),
        share_status,
        shared,
    ])
}

/// A Classic `MemberServerImage` (the documented XML example's order, then the model's
/// remaining fields).
pub(crate) fn classic(image: &NcloudClassicImage, caller: &str) -> Node {
    let (status_code_name, status_name) = status_names(&image.status);
    let (region_code, region_name) = classic_region(&image.region_no).unwrap_or(("", ""));
    let platform = code(
        &image.platform_type,
        platform_type_name(&image.platform_type),
    );
    let region = object(vec![
        ("regionNo", text(&image.region_no)),
        ("regionCode", text(region_code)),
        ("regionName", text(region_name)),
    ]);
    let zone = object(vec![
        ("zoneNo", text("2")),
        ("zoneName", text("KR-1")),
        ("zoneDescription", text("KR-1 zone")),
    ]);
    let [share_status, shared] = shares(&image.shared_login_ids, &image.owner_login_id, caller);
    object(vec![
        ("memberServerImageNo", text(&image.image_no)),
        ("memberServerImageName", text(&image.name)),
        ("memberServerImageDescription", text(&image.description)),
        ("originalServerInstanceNo", text(SERVER_INSTANCE_NO)),
        ("originalServerProductCode", text("SPSVRSSD00000003")),
        ("originalServerName", text("imgshare-test-server")),
        (
            "originalBaseBlockStorageDiskType",
            code("NET", "Network Storage"),
        ),
        ("originalServerImageProductCode", text("SPSW0LINUX000046")),
        ("originalOsInformation", text("CentOS 7.3 (64-bit)")),
        ("originalServerImageName", text("centos-7.3-64")),
        ("memberServerImageStatusName", text(status_name)),
        (
            "memberServerImageStatus",
            code(&image.status, status_code_name),
        ),
        ("memberServerImageOperation", code("NULL", "NSI NULLOP")),
        ("memberServerImagePlatformType", platform),
        ("region", region),
        ("zone", zone),
        ("createDate", text(&image.create_date)),
        ("memberServerImageBlockStorageTotalRows", number(1)),
        (
            "memberServerImageBlockStorageTotalSize",
            number(CLASSIC_DISK_SIZE),
        ),
        share_status,
        shared,
    ])
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
}
