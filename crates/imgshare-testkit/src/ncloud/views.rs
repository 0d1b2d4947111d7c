//! How each image family looks on the wire (ncloud.md §3.7–§3.9, seeds
//! 000–002), as a [`Node`] ready for XML or JSON.

use super::render::Node;
use super::seed::{NcloudClassicImage, NcloudImage};

/// The login ids a caller sees in `sharedLoginIdList`: the owner sees all;
/// a recipient sees only itself (the fake's choice, §8 question 6).
pub(crate) fn visible_shares(shared: &[String], owner: &str, caller: &str) -> Vec<String> {
    if owner == caller {
        shared.to_vec()
    } else {
        shared.iter().filter(|l| *l == caller).cloned().collect()
    }
}

/// `shareStatus`: `SHARE` when the image is shared with anyone, else
/// `NULL` (§3.8, §3.9).
fn share_status(shared: &[String]) -> Node {
    if shared.is_empty() {
        Node::code("NULL", "NSI Share NULL State")
    } else {
        Node::code("SHARE", "NSI Share SHARE State")
    }
}

fn shared_login_id_list(ids: Vec<String>) -> Node {
    Node::list("sharedLoginId", ids.into_iter().map(Node::Text).collect())
}

/// `(codeName, statusName)` for an image status code (§3.8, §3.9; the
/// `INIT`/`CREFL` code names are the fake's, in the same style).
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

/// Classic `regionNo` → `(regionCode, regionName)` (§2.2 Classic table).
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

/// A VPC `ServerImage` (§3.8; field order as in seed 000).
pub(crate) fn server_image(image: &NcloudImage, caller: &str) -> Node {
    let shared = visible_shares(&image.shared_login_ids, &image.owner_login_id, caller);
    let (status_code_name, status_name) = status_names(&image.status);
    let volume = if image.hypervisor == "XEN" {
        Node::code("SSD", "SSD")
    } else {
        Node::code("CB1", "Common BlockStorage 1")
    };
    let mapping = Node::Object(vec![
        ("order", Node::number(0)),
        (
            "blockStorageSnapshotInstanceNo",
            Node::number(image.block_storage_snapshot_no),
        ),
        ("blockStorageSnapshotName", Node::text(image.name.clone())),
        ("blockStorageSize", Node::number(image.block_storage_size)),
        ("blockStorageVolumeType", volume),
        ("iops", Node::number(100)),
        ("throughput", Node::number(104_857_600)),
        ("isEncryptedVolume", Node::Bool(false)),
    ]);
    Node::Object(vec![
        ("serverImageNo", Node::text(image.image_no.clone())),
        ("serverImageName", Node::text(image.name.clone())),
        (
            "serverImageDescription",
            Node::text(image.description.clone()),
        ),
        ("serverImageType", Node::code("SELF", "SELF server image")),
        (
            "serverImageLifeCyclePhase",
            Node::code("IN_SERVICE", "In Service"),
        ),
        (
            "hypervisorType",
            Node::code(&image.hypervisor, &image.hypervisor),
        ),
        ("cpuArchitectureType", Node::code("X86_64", "x86 64bit")),
        (
            "osCategoryType",
            Node::code(&image.os_category, &image.os_category),
        ),
        ("osType", Node::code(&image.os_type, &image.os_type)),
        (
            "serverImageStatus",
            Node::code(&image.status, status_code_name),
        ),
        ("serverImageOperation", Node::code("NULL", "NSI NULL OP")),
        ("serverImageStatusName", Node::text(status_name)),
        ("shareStatus", share_status(&image.shared_login_ids)),
        (
            "blockStorageMappingList",
            Node::list("blockStorageMapping", vec![mapping]),
        ),
        ("sharedLoginIdList", shared_login_id_list(shared)),
        (
            "serverImageProductCode",
            Node::text(image.product_code.clone()),
        ),
        ("createDate", Node::text(image.create_date.clone())),
        (
            "platformCategoryCode",
            Node::text(image.platform_category_code.clone()),
        ),
    ])
}

/// A VPC `MemberServerImageInstance` (§3.8; field order as in seed 002).
pub(crate) fn member_server_image_instance(image: &NcloudImage, caller: &str) -> Node {
    let shared = visible_shares(&image.shared_login_ids, &image.owner_login_id, caller);
    let (status_code_name, status_name) = status_names(&image.status);
    Node::Object(vec![
        (
            "memberServerImageInstanceNo",
            Node::text(image.image_no.clone()),
        ),
        ("memberServerImageName", Node::text(image.name.clone())),
        (
            "memberServerImageDescription",
            Node::text(image.description.clone()),
        ),
        (
            "originalServerInstanceNo",
            Node::text(image.original_server_instance_no.clone()),
        ),
        (
            "originalServerImageProductCode",
            Node::text(image.product_code.clone()),
        ),
        (
            "memberServerImageInstanceStatus",
            Node::code(&image.status, status_code_name),
        ),
        (
            "memberServerImageInstanceOperation",
            Node::code("NULL", "NSI NULLOP"),
        ),
        (
            "memberServerImageInstanceStatusName",
            Node::text(status_name),
        ),
        ("createDate", Node::text(image.create_date.clone())),
        ("memberServerImageBlockStorageTotalRows", Node::number(1)),
        (
            "memberServerImageBlockStorageTotalSize",
            Node::number(image.block_storage_size),
        ),
        ("shareStatus", share_status(&image.shared_login_ids)),
        ("sharedLoginIdList", shared_login_id_list(shared)),
    ])
}

/// A Classic `MemberServerImage` (§3.7 XML example order, then the model's
/// remaining fields).
pub(crate) fn classic_member_server_image(image: &NcloudClassicImage, caller: &str) -> Node {
    let shared = visible_shares(&image.shared_login_ids, &image.owner_login_id, caller);
    let (status_code_name, status_name) = status_names(&image.status);
    let (region_code, region_name) = classic_region(&image.region_no).unwrap_or(("", ""));
    let disk_name = if image.disk_type == "LOCAL" {
        "Local Storage"
    } else {
        "Network Storage"
    };
    Node::Object(vec![
        ("memberServerImageNo", Node::text(image.image_no.clone())),
        ("memberServerImageName", Node::text(image.name.clone())),
        (
            "memberServerImageDescription",
            Node::text(image.description.clone()),
        ),
        (
            "originalServerInstanceNo",
            Node::text(image.original_server_instance_no.clone()),
        ),
        (
            "originalServerProductCode",
            Node::text(image.original_server_product_code.clone()),
        ),
        (
            "originalServerName",
            Node::text(image.original_server_name.clone()),
        ),
        (
            "originalBaseBlockStorageDiskType",
            Node::code(&image.disk_type, disk_name),
        ),
        (
            "originalServerImageProductCode",
            Node::text(image.original_server_image_product_code.clone()),
        ),
        (
            "originalOsInformation",
            Node::text(image.original_os_information.clone()),
        ),
        (
            "originalServerImageName",
            Node::text(image.original_server_image_name.clone()),
        ),
        ("memberServerImageStatusName", Node::text(status_name)),
        (
            "memberServerImageStatus",
            Node::code(&image.status, status_code_name),
        ),
        (
            "memberServerImageOperation",
            Node::code("NULL", "NSI NULLOP"),
        ),
        (
            "memberServerImagePlatformType",
            Node::code(
                &image.platform_type,
                platform_type_name(&image.platform_type),
            ),
        ),
        (
            "region",
            Node::Object(vec![
                ("regionNo", Node::text(image.region_no.clone())),
                ("regionCode", Node::text(region_code)),
                ("regionName", Node::text(region_name)),
            ]),
        ),
        (
            "zone",
            Node::Object(vec![
                ("zoneNo", Node::text(image.zone_no.clone())),
                ("zoneName", Node::text(image.zone_name.clone())),
                (
                    "zoneDescription",
                    Node::text(format!("{} zone", image.zone_name)),
                ),
            ]),
        ),
        ("createDate", Node::text(image.create_date.clone())),
        ("memberServerImageBlockStorageTotalRows", Node::number(1)),
        (
            "memberServerImageBlockStorageTotalSize",
            Node::number(image.block_storage_total_size),
        ),
        ("shareStatus", share_status(&image.shared_login_ids)),
        ("sharedLoginIdList", shared_login_id_list(shared)),
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
