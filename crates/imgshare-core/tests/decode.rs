//! `imgshare_core::decode`: NCP responses in JSON and XML decode into the same serde types.
//!
//! The fixtures in `tests/fixtures/decode/` are the documented NCP examples (seeds 000–002, masked
//! values made valid) and their hand-written twins in the other format. The models below mirror
//! their shapes only to exercise core's decoder, since core knows no provider; the examples are
//! decoded verbatim into NCP's real public types in `crates/imgshare-ncloud/tests/seeds.rs`.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use imgshare_core::decode::{
    self, DecodeError, Format, decode, decode_as, decode_root, detect_format, lenient,
};
use imgshare_core::error::BODY_EXCERPT_LEN;
use serde::Deserialize;

// ---- test-only models mirroring the seed shapes -------------------------------------------------

#[derive(Debug, Clone, PartialEq, Eq, Default, Deserialize)]
struct CommonCode {
    #[serde(default, deserialize_with = "lenient::string")]
    code: String,
    #[serde(rename = "codeName", default, deserialize_with = "lenient::string")]
    code_name: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Default, Deserialize)]
struct BlockStorageMapping {
    #[serde(default, deserialize_with = "lenient::number")]
    order: u32,
    // A JSON number on the wire although every other `*No` is a string (documented as a
    // String; a live number broke the Go SDK's v1.6.29, cloud-barista/cb-spider#1760).
    #[serde(
        rename = "blockStorageSnapshotInstanceNo",
        default,
        deserialize_with = "lenient::opt_number"
    )]
    block_storage_snapshot_instance_no: Option<u64>,
    #[serde(
        rename = "blockStorageSnapshotName",
        default,
        deserialize_with = "lenient::opt_string"
    )]
    block_storage_snapshot_name: Option<String>,
    #[serde(
        rename = "blockStorageSize",
        default,
        deserialize_with = "lenient::number"
    )]
    block_storage_size: u64,
    #[serde(rename = "blockStorageVolumeType", default)]
    block_storage_volume_type: Option<CommonCode>,
    #[serde(default, deserialize_with = "lenient::number")]
    iops: u64,
    #[serde(default, deserialize_with = "lenient::opt_number")]
    throughput: Option<u64>,
    #[serde(
        rename = "isEncryptedVolume",
        default,
        deserialize_with = "lenient::bool"
    )]
    is_encrypted_volume: bool,
}

#[derive(Debug, Clone, PartialEq, Eq, Default, Deserialize)]
struct ServerImage {
    #[serde(
        rename = "serverImageNo",
        default,
        deserialize_with = "lenient::string"
    )]
    server_image_no: String,
    #[serde(
        rename = "serverImageName",
        default,
        deserialize_with = "lenient::string"
    )]
    server_image_name: String,
    #[serde(
        rename = "serverImageDescription",
        default,
        deserialize_with = "lenient::opt_string"
    )]
    server_image_description: Option<String>,
    #[serde(rename = "serverImageType", default)]
    server_image_type: CommonCode,
    #[serde(rename = "shareStatus", default)]
    share_status: CommonCode,
    #[serde(
        rename = "sharedLoginIdList",
        default,
        deserialize_with = "lenient::list"
    )]
    shared_login_id_list: Vec<String>,
    #[serde(
        rename = "blockStorageMappingList",
        default,
        deserialize_with = "lenient::list"
    )]
    block_storage_mapping_list: Vec<BlockStorageMapping>,
    #[serde(
        rename = "createDate",
        default,
        deserialize_with = "lenient::opt_string"
    )]
    create_date: Option<String>,
    #[serde(
        rename = "platformCategoryCode",
        default,
        deserialize_with = "lenient::opt_string"
    )]
    platform_category_code: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Default, Deserialize)]
struct ServerImageListResponse {
    #[serde(
        rename = "requestId",
        default,
        deserialize_with = "lenient::opt_string"
    )]
    request_id: Option<String>,
    #[serde(rename = "returnCode", default, deserialize_with = "lenient::string")]
    return_code: String,
    #[serde(
        rename = "returnMessage",
        default,
        deserialize_with = "lenient::string"
    )]
    return_message: String,
    #[serde(rename = "totalRows", default, deserialize_with = "lenient::number")]
    total_rows: u32,
    #[serde(
        rename = "serverImageList",
        default,
        deserialize_with = "lenient::list"
    )]
    server_image_list: Vec<ServerImage>,
}

#[derive(Debug, Clone, PartialEq, Eq, Default, Deserialize)]
struct MemberServerImageInstance {
    #[serde(
        rename = "memberServerImageInstanceNo",
        default,
        deserialize_with = "lenient::string"
    )]
    member_server_image_instance_no: String,
    #[serde(
        rename = "memberServerImageName",
        default,
        deserialize_with = "lenient::string"
    )]
    member_server_image_name: String,
    #[serde(
        rename = "memberServerImageDescription",
        default,
        deserialize_with = "lenient::opt_string"
    )]
    member_server_image_description: Option<String>,
    #[serde(rename = "shareStatus", default)]
    share_status: CommonCode,
    #[serde(
        rename = "sharedLoginIdList",
        default,
        deserialize_with = "lenient::list"
    )]
    shared_login_id_list: Vec<String>,
    #[serde(
        rename = "createDate",
        default,
        deserialize_with = "lenient::opt_string"
    )]
    create_date: Option<String>,
    #[serde(rename = "memberServerImageInstanceStatus", default)]
    member_server_image_instance_status: CommonCode,
}

#[derive(Debug, Clone, PartialEq, Eq, Default, Deserialize)]
struct MemberServerImageInstanceListResponse {
    #[serde(
        rename = "requestId",
        default,
        deserialize_with = "lenient::opt_string"
    )]
    request_id: Option<String>,
    #[serde(rename = "returnCode", default, deserialize_with = "lenient::number")]
    return_code: u32,
    #[serde(
        rename = "returnMessage",
        default,
        deserialize_with = "lenient::string"
    )]
    return_message: String,
    #[serde(rename = "totalRows", default, deserialize_with = "lenient::number")]
    total_rows: u64,
    #[serde(
        rename = "memberServerImageInstanceList",
        default,
        deserialize_with = "lenient::list"
    )]
    member_server_image_instance_list: Vec<MemberServerImageInstance>,
}

// ---- helpers ------------------------------------------------------------------------------------

const JSON: Option<&str> = Some("application/json;charset=UTF-8");
const XML: Option<&str> = Some("application/xml");

fn fixture(name: &str) -> Vec<u8> {
    let path = format!(
        "{}/tests/fixtures/decode/{name}",
        env!("CARGO_MANIFEST_DIR")
    );
    std::fs::read(&path).unwrap_or_else(|e| panic!("{path}: {e}"))
}

/// Decodes a twin pair with `decode_root`, checks both give the same root and value, returns it.
fn twins<T>(stem: &str, root: &str) -> T
where
    T: serde::de::DeserializeOwned + PartialEq + std::fmt::Debug,
{
    let (json_root, from_json) = decode_root::<T>(JSON, &fixture(&format!("{stem}.json")))
        .unwrap_or_else(|e| panic!("{stem}.json: {e}"));
    let (xml_root, from_xml) = decode_root::<T>(XML, &fixture(&format!("{stem}.xml")))
        .unwrap_or_else(|e| panic!("{stem}.xml: {e}"));
    assert_eq!(json_root, root, "{stem}.json root");
    assert_eq!(xml_root, root, "{stem}.xml root");
    assert_eq!(from_json, from_xml, "{stem}: JSON and XML twins differ");
    from_json
}

fn with_bom(body: &[u8]) -> Vec<u8> {
    [&b"\xEF\xBB\xBF"[..], body].concat()
}

fn share_status(code: &str, code_name: &str) -> CommonCode {
    CommonCode {
        code: code.into(),
        code_name: code_name.into(),
    }
}

// ---- the seed twins -----------------------------------------------------------------------------

#[test]
fn seed_000_json_and_xml_twins_are_equal() {
    let r: ServerImageListResponse = twins("seed-000", "addServerImageSharingPermissionResponse");
    assert_eq!(
        r.request_id.as_deref(),
        Some("d4fcece2-935a-4c91-bf35-54347eb900ad")
    );
    assert_eq!(r.return_code, "0");
    assert_eq!(r.return_message, "success");
    assert_eq!(r.total_rows, 1);
    assert_eq!(r.server_image_list.len(), 1);

    let image = &r.server_image_list[0];
    assert_eq!(image.server_image_no, "12343135");
    assert_eq!(image.server_image_name, "test-user");
    assert_eq!(image.server_image_description, None);
    assert_eq!(
        image.server_image_type,
        share_status("SELF", "SELF server image")
    );
    assert_eq!(image.share_status.code, "SHARE");
    assert_eq!(
        image.share_status,
        share_status("SHARE", "NSI Share SHARE State")
    );
    assert_eq!(image.shared_login_id_list, ["test-user@naver.com"]);
    assert_eq!(
        image.create_date.as_deref(),
        Some("2025-06-20T09:59:39+0900")
    );
    assert_eq!(image.platform_category_code.as_deref(), Some("OS"));
    assert_eq!(
        image.block_storage_mapping_list,
        [BlockStorageMapping {
            order: 0,
            block_storage_snapshot_instance_no: Some(12_344_697),
            block_storage_snapshot_name: Some("test-user".into()),
            block_storage_size: 10_737_418_240,
            block_storage_volume_type: Some(share_status("CB1", "Common BlockStorage 1")),
            iops: 100,
            throughput: Some(104_857_600),
            is_encrypted_volume: false,
        }]
    );
}

#[test]
fn seed_001_twins_are_equal_and_the_share_list_is_empty() {
    let r: ServerImageListResponse =
        twins("seed-001", "removeServerImageSharingPermissionResponse");
    assert_eq!(
        r.request_id.as_deref(),
        Some("973f85fe-5051-4de2-886f-cb0c955ab9e1")
    );
    assert_eq!(r.total_rows, 1);
    let image = &r.server_image_list[0];
    assert_eq!(
        image.share_status,
        share_status("NULL", "NSI Share NULL State")
    );
    // `[]` in JSON, `<sharedLoginIdList/>` in XML.
    assert!(image.shared_login_id_list.is_empty());
    assert_eq!(image.block_storage_mapping_list.len(), 1);
    assert_eq!(image.block_storage_mapping_list[0].iops, 100);
}

#[test]
fn seed_002_xml_and_its_json_twin_are_equal() {
    let r: MemberServerImageInstanceListResponse =
        twins("seed-002", "addMemberServerImageSharingPermissionResponse");
    // `<requestId/>` and `"requestId": ""` are both absent.
    assert_eq!(r.request_id, None);
    assert_eq!(r.return_code, 0);
    assert_eq!(r.total_rows, 1);
    assert_eq!(
        r.member_server_image_instance_list,
        [MemberServerImageInstance {
            member_server_image_instance_no: "12344605".into(),
            member_server_image_name: "test-user".into(),
            member_server_image_description: None,
            share_status: share_status("SHARE", "NSI Share SHARE State"),
            // One `<sharedLoginId>` child: still a list.
            shared_login_id_list: vec!["test-user@naver.com".into()],
            create_date: Some("2021-01-15T08:56:24+0900".into()),
            member_server_image_instance_status: share_status("CREAT", "NSI CREATED state"),
        }]
    );
}

#[test]
fn seed_fixtures_decode_without_a_content_type_and_as_values() {
    for name in [
        "seed-000.json",
        "seed-000.xml",
        "seed-001.json",
        "seed-001.xml",
        "seed-002.json",
        "seed-002.xml",
    ] {
        let body = fixture(name);
        let want = if name.ends_with(".json") {
            Format::Json
        } else {
            Format::Xml
        };
        assert_eq!(detect_format(None, &body), Some(want), "{name}");
        let value: serde_json::Value =
            decode(None, &body).unwrap_or_else(|e| panic!("{name}: {e}"));
        assert!(value.is_object(), "{name}: {value}");
    }
}

// ---- format detection ---------------------------------------------------------------------------

#[test]
fn utf8_bom_before_json() {
    let body = with_bom(&fixture("seed-000.json"));
    assert_eq!(decode::sniff(&body), Some(Format::Json));
    let (root, r) = decode_root::<ServerImageListResponse>(JSON, &body).unwrap();
    assert_eq!(root, "addServerImageSharingPermissionResponse");
    assert_eq!(r.server_image_list[0].server_image_no, "12343135");
}

#[test]
fn utf8_bom_before_xml() {
    // seed-000.xml also starts with an XML declaration.
    let body = with_bom(&fixture("seed-000.xml"));
    assert_eq!(decode::sniff(&body), Some(Format::Xml));
    let (root, r) = decode_root::<ServerImageListResponse>(XML, &body).unwrap();
    assert_eq!(root, "addServerImageSharingPermissionResponse");
    assert_eq!(
        r.server_image_list[0].shared_login_id_list,
        ["test-user@naver.com"]
    );
    // And without the root wrapper.
    let r: ServerImageListResponse = decode(XML, &body).unwrap();
    assert_eq!(r.total_rows, 1);
}

#[test]
fn strip_bom_removes_only_a_leading_bom() {
    assert_eq!(decode::strip_bom(b"\xEF\xBB\xBF{}"), b"{}");
    assert_eq!(decode::strip_bom(b"{}\xEF\xBB\xBF"), b"{}\xEF\xBB\xBF");
    assert_eq!(decode::strip_bom(b"\xEF\xBB"), b"\xEF\xBB");
}

#[test]
fn content_type_saying_json_over_an_xml_body() {
    let body = fixture("seed-001.xml");
    assert_eq!(detect_format(JSON, &body), Some(Format::Xml));
    let (root, r) = decode_root::<ServerImageListResponse>(JSON, &body).unwrap();
    assert_eq!(root, "removeServerImageSharingPermissionResponse");
    assert_eq!(r.server_image_list[0].server_image_no, "12343135");
}

#[test]
fn content_type_saying_xml_over_a_json_body() {
    let body = fixture("seed-001.json");
    assert_eq!(
        detect_format(Some("text/xml; charset=utf-8"), &body),
        Some(Format::Json)
    );
    let (root, r) = decode_root::<ServerImageListResponse>(Some("text/xml"), &body).unwrap();
    assert_eq!(root, "removeServerImageSharingPermissionResponse");
    assert_eq!(r.return_message, "success");
}

#[test]
fn missing_content_type_is_sniffed() {
    let (_, from_json) =
        decode_root::<MemberServerImageInstanceListResponse>(None, &fixture("seed-002.json"))
            .unwrap();
    let (_, from_xml) =
        decode_root::<MemberServerImageInstanceListResponse>(None, &fixture("seed-002.xml"))
            .unwrap();
    assert_eq!(from_json, from_xml);
}

#[test]
fn text_plain_content_type_with_a_json_body() {
    let body = fixture("seed-000.json");
    assert_eq!(detect_format(Some("text/plain"), &body), Some(Format::Json));
    let (_, r) = decode_root::<ServerImageListResponse>(Some("text/plain"), &body).unwrap();
    assert_eq!(r.server_image_list[0].share_status.code, "SHARE");
}

#[test]
fn a_json_scalar_needs_a_json_content_type() {
    assert_eq!(decode::<String>(JSON, b"\"ok\"").unwrap(), "ok");
    assert_eq!(decode::<u32>(JSON, b" 12").unwrap(), 12);
    let err = decode::<u32>(None, b"12").unwrap_err();
    assert_eq!(err.format(), None);
    assert!(err.reason().contains("neither JSON nor XML"), "{err}");
}

// ---- lenient fields -----------------------------------------------------------------------------

#[test]
fn numbers_as_strings_and_strings_as_numbers() {
    // `returnCode` is a string in the model, `totalRows` a number; the wire swaps both.
    let body = br#"{"getServerImageListResponse": {"returnCode": 0, "totalRows": "1",
        "serverImageList": [{"serverImageNo": 12343135, "blockStorageMappingList": [
            {"blockStorageSnapshotInstanceNo": "12344697", "blockStorageSize": "10737418240",
             "iops": "100", "isEncryptedVolume": "FALSE", "order": 1}]}]}}"#;
    let (_, r) = decode_root::<ServerImageListResponse>(JSON, body).unwrap();
    assert_eq!(r.return_code, "0");
    assert_eq!(r.total_rows, 1);
    let image = &r.server_image_list[0];
    assert_eq!(image.server_image_no, "12343135");
    let mapping = &image.block_storage_mapping_list[0];
    assert_eq!(mapping.block_storage_snapshot_instance_no, Some(12_344_697));
    assert_eq!(mapping.block_storage_size, 10_737_418_240);
    assert_eq!(mapping.iops, 100);
    assert_eq!(mapping.order, 1);
    assert!(!mapping.is_encrypted_volume);

    // And `"returnCode": "0"` into a number field.
    let (_, r) = decode_root::<MemberServerImageInstanceListResponse>(
        JSON,
        br#"{"x": {"returnCode": "0", "totalRows": 3}}"#,
    )
    .unwrap();
    assert_eq!((r.return_code, r.total_rows), (0, 3));
    let (_, r) = decode_root::<MemberServerImageInstanceListResponse>(
        JSON,
        br#"{"x": {"returnCode": 0, "totalRows": "3"}}"#,
    )
    .unwrap();
    assert_eq!((r.return_code, r.total_rows), (0, 3));
}

#[test]
fn bool_strings_in_any_case() {
    for (text, want) in [
        ("true", true),
        ("TRUE", true),
        ("False", false),
        ("false", false),
    ] {
        let xml = format!("<r><isEncryptedVolume>{text}</isEncryptedVolume></r>");
        let m: BlockStorageMapping = decode(XML, xml.as_bytes()).unwrap();
        assert_eq!(m.is_encrypted_volume, want, "{text}");
        let json = format!(r#"{{"isEncryptedVolume": "{text}"}}"#);
        let m: BlockStorageMapping = decode(JSON, json.as_bytes()).unwrap();
        assert_eq!(m.is_encrypted_volume, want, "{text}");
    }
    let m: BlockStorageMapping = decode(JSON, br#"{"isEncryptedVolume": true}"#).unwrap();
    assert!(m.is_encrypted_volume);
}

#[test]
fn absent_lists_are_empty() {
    let (_, from_json) = decode_root::<ServerImageListResponse>(
        JSON,
        br#"{"getServerImageListResponse": {"returnCode": "0", "serverImageList": [{}]}}"#,
    )
    .unwrap();
    let (_, from_xml) = decode_root::<ServerImageListResponse>(
        XML,
        b"<getServerImageListResponse><returnCode>0</returnCode>\
          <serverImageList><serverImage/></serverImageList></getServerImageListResponse>",
    )
    .unwrap();
    assert_eq!(from_json, from_xml);
    let image = &from_json.server_image_list[0];
    assert_eq!(image, &ServerImage::default());
    assert!(image.shared_login_id_list.is_empty());
    assert!(image.block_storage_mapping_list.is_empty());

    let (_, r) = decode_root::<ServerImageListResponse>(JSON, br#"{"r": {}}"#).unwrap();
    assert!(r.server_image_list.is_empty());
}

#[test]
fn null_and_empty_lists_are_empty() {
    for body in [
        &br#"{"r": {"serverImageList": null}}"#[..],
        br#"{"r": {"serverImageList": []}}"#,
        br#"{"r": {"serverImageList": ""}}"#,
        b"<r><serverImageList/></r>",
        b"<r><serverImageList></serverImageList></r>",
        b"<r><serverImageList>\n  </serverImageList></r>",
    ] {
        let (_, r) = decode_root::<ServerImageListResponse>(None, body).unwrap();
        assert!(
            r.server_image_list.is_empty(),
            "{}",
            String::from_utf8_lossy(body)
        );
    }
}

#[test]
fn single_child_xml_lists() {
    let xml = b"<getServerImageListResponse><serverImageList><serverImage>\
        <serverImageNo>1</serverImageNo>\
        <sharedLoginIdList><sharedLoginId>a@x.com</sharedLoginId></sharedLoginIdList>\
        <blockStorageMappingList><blockStorageMapping><iops>7</iops></blockStorageMapping>\
        </blockStorageMappingList>\
        </serverImage></serverImageList></getServerImageListResponse>";
    let (_, r) = decode_root::<ServerImageListResponse>(XML, xml).unwrap();
    assert_eq!(r.server_image_list.len(), 1);
    let image = &r.server_image_list[0];
    assert_eq!(image.server_image_no, "1");
    assert_eq!(image.shared_login_id_list, ["a@x.com"]);
    assert_eq!(image.block_storage_mapping_list.len(), 1);
    assert_eq!(image.block_storage_mapping_list[0].iops, 7);
}

#[test]
fn many_child_xml_lists_keep_their_order() {
    let xml = b"<r><serverImageList>\
        <serverImage><serverImageNo>1</serverImageNo>\
          <sharedLoginIdList><sharedLoginId>a</sharedLoginId><sharedLoginId>b</sharedLoginId>\
          <sharedLoginId>c&amp;d</sharedLoginId></sharedLoginIdList></serverImage>\
        <serverImage><serverImageNo>2</serverImageNo><sharedLoginIdList/></serverImage>\
        </serverImageList></r>";
    let (_, r) = decode_root::<ServerImageListResponse>(XML, xml).unwrap();
    let nos: Vec<_> = r
        .server_image_list
        .iter()
        .map(|i| i.server_image_no.as_str())
        .collect();
    assert_eq!(nos, ["1", "2"]);
    assert_eq!(
        r.server_image_list[0].shared_login_id_list,
        ["a", "b", "c&d"]
    );
    assert!(r.server_image_list[1].shared_login_id_list.is_empty());
}

#[test]
fn unknown_fields_are_ignored() {
    let (_, from_json) = decode_root::<ServerImageListResponse>(
        JSON,
        br#"{"r": {"returnCode": "0", "brandNew": {"deep": [1, {"x": null}]}, "another": 1}}"#,
    )
    .unwrap();
    let (_, from_xml) = decode_root::<ServerImageListResponse>(
        XML,
        b"<r><brandNew><deep>1</deep><deep><x/></deep></brandNew><returnCode>0</returnCode></r>",
    )
    .unwrap();
    assert_eq!(from_json, from_xml);
    assert_eq!(from_json.return_code, "0");
}

#[test]
fn a_bad_number_is_an_error_naming_the_field_value() {
    let err = decode_root::<ServerImageListResponse>(JSON, br#"{"r": {"totalRows": "many"}}"#)
        .unwrap_err();
    assert_eq!(err.format(), Some(Format::Json));
    assert!(err.reason().contains("\"many\""), "{err}");
    assert!(err.reason().contains("line 1 column"), "{err}");

    let err = decode_root::<ServerImageListResponse>(XML, b"<r><totalRows>many</totalRows></r>")
        .unwrap_err();
    assert_eq!(err.format(), Some(Format::Xml));
    assert!(err.reason().contains("\"many\""), "{err}");
    assert!(err.reason().contains("at byte"), "{err}");
}

// ---- errors -------------------------------------------------------------------------------------

#[test]
fn an_html_error_page_is_neither_json_nor_xml() {
    // Not well-formed XML either (`<meta>` and `<br>` are never closed).
    let page =
        b"<!DOCTYPE html>\n<html><head><meta charset=\"utf-8\"><title>502 Bad Gateway</title>\
        </head><body><h1>502 Bad Gateway</h1><br></body></html>";
    assert_eq!(decode::sniff(page), None);
    assert_eq!(detect_format(XML, page), None);
    assert_eq!(detect_format(JSON, page), None);
    for content_type in [Some("text/html; charset=utf-8"), None, JSON, XML] {
        let err = decode_root::<ServerImageListResponse>(content_type, page).unwrap_err();
        assert_eq!(err.format(), None, "{content_type:?}");
        let shown = err.to_string();
        assert!(shown.contains("neither JSON nor XML"), "{shown}");
        assert!(shown.contains("<!DOCTYPE html>"), "{shown}");
        assert!(err.body_excerpt().starts_with("<!DOCTYPE html>"));
    }
    // XHTML behind an XML declaration is still a web page.
    let xhtml =
        b"<?xml version=\"1.0\"?>\n<html xmlns=\"http://www.w3.org/1999/xhtml\"><body/></html>";
    let err = decode::<ServerImageListResponse>(XML, xhtml).unwrap_err();
    assert!(err.to_string().contains("neither JSON nor XML"), "{err}");
}

#[test]
fn a_plain_text_body_is_neither_json_nor_xml() {
    let body = b"Service Unavailable: upstream connect error";
    for content_type in [Some("text/plain"), None, JSON, XML] {
        let err = decode::<serde_json::Value>(content_type, body).unwrap_err();
        assert_eq!(err.format(), None);
        let shown = err.to_string();
        assert!(shown.contains("neither JSON nor XML"), "{shown}");
        assert!(shown.contains("Service Unavailable: upstream"), "{shown}");
        assert_eq!(err.body_excerpt(), String::from_utf8_lossy(body));
    }
}

#[test]
fn a_long_body_is_cut_to_the_excerpt_length() {
    let mut page = b"<html><body>".to_vec();
    page.extend(std::iter::repeat_n(b'x', 5 * BODY_EXCERPT_LEN));
    page.extend(b"</body></html>");
    let err = decode::<serde_json::Value>(Some("text/html"), &page).unwrap_err();
    let excerpt = err.body_excerpt();
    assert!(excerpt.starts_with("<html><body>xxx"), "{excerpt}");
    assert!(excerpt.ends_with('…'), "{excerpt}");
    assert_eq!(excerpt.len(), BODY_EXCERPT_LEN + '…'.len_utf8());
    assert!(err.to_string().len() < 2 * BODY_EXCERPT_LEN, "{err}");
    assert!(!err.to_string().contains("</html>"));
}

#[test]
fn truncated_json_is_a_json_error() {
    let body = fixture("seed-000.json");
    let cut = &body[..body.len() / 2];
    let err = decode_root::<ServerImageListResponse>(JSON, cut).unwrap_err();
    assert_eq!(err.format(), Some(Format::Json));
    let shown = err.to_string();
    assert!(shown.contains("JSON"), "{shown}");
    assert!(shown.contains("EOF while parsing"), "{shown}");
    assert!(
        shown.contains("addServerImageSharingPermissionResponse"),
        "{shown}"
    );
}

#[test]
fn truncated_xml_is_an_xml_error() {
    let body = fixture("seed-000.xml");
    let cut = &body[..body.len() / 2];
    let err = decode_root::<ServerImageListResponse>(XML, cut).unwrap_err();
    assert_eq!(err.format(), Some(Format::Xml));
    assert!(err.to_string().contains("XML"), "{err}");
}

#[test]
fn malformed_xml_reports_a_position() {
    let err = decode::<serde_json::Value>(XML, b"<r><a>1</b></r>").unwrap_err();
    assert_eq!(err.format(), Some(Format::Xml));
    assert!(err.reason().contains("at byte"), "{err}");
}

#[test]
fn an_empty_body_says_so() {
    let err = decode::<serde_json::Value>(JSON, b"  \n").unwrap_err();
    assert_eq!(err.format(), Some(Format::Json));
    assert!(err.reason().contains("empty"), "{err}");
    let err = decode::<serde_json::Value>(None, b"").unwrap_err();
    assert_eq!(err.format(), None);
    assert!(err.reason().contains("neither JSON nor XML"), "{err}");
}

#[test]
fn a_json_root_needs_exactly_one_member() {
    let err = decode_root::<serde_json::Value>(JSON, br#"{"a": {}, "b": {}}"#).unwrap_err();
    assert!(err.reason().contains("`a` and `b`"), "{err}");
    let err = decode_root::<serde_json::Value>(JSON, b"{}").unwrap_err();
    assert!(err.reason().contains("empty"), "{err}");
    let err = decode_root::<serde_json::Value>(JSON, b"[1]").unwrap_err();
    assert!(err.reason().contains("one member"), "{err}");
    let err = decode_root::<serde_json::Value>(JSON, br#"{"a": 1} {"b": 2}"#).unwrap_err();
    assert!(err.reason().contains("trailing"), "{err}");
}

#[test]
fn invalid_utf8_xml_is_an_error() {
    let err = decode::<serde_json::Value>(XML, b"<r>\xFF\xFE</r>").unwrap_err();
    assert_eq!(err.format(), Some(Format::Xml));
    assert!(err.reason().contains("UTF-8"), "{err}");
}

#[test]
fn deep_nesting_is_refused_not_a_stack_overflow() {
    let depth = 100_000;
    let xml = format!("{}{}", "<a>".repeat(depth), "</a>".repeat(depth));
    let err = decode::<serde_json::Value>(None, xml.as_bytes()).unwrap_err();
    assert!(err.reason().contains("nest deeper"), "{err}");
    let json = format!("{}{}", "[".repeat(depth), "]".repeat(depth));
    let err = decode::<serde_json::Value>(None, json.as_bytes()).unwrap_err();
    assert_eq!(err.format(), Some(Format::Json));
    assert!(err.reason().contains("recursion limit"), "{err}");
}

#[test]
fn decode_as_ignores_the_content_type_machinery() {
    let r: MemberServerImageInstanceListResponse =
        decode_as(Format::Xml, &fixture("seed-002.xml")).unwrap();
    assert_eq!(r.member_server_image_instance_list.len(), 1);
    let err =
        decode_as::<MemberServerImageInstanceListResponse>(Format::Json, &fixture("seed-002.xml"))
            .unwrap_err();
    assert_eq!(err.format(), Some(Format::Json));
    assert!(
        err.to_string()
            .starts_with("could not decode the JSON body"),
        "{err}"
    );
}

#[test]
fn decode_error_accessors_and_constructor() {
    let err = DecodeError::new(
        Some(Format::Xml),
        "no responseError envelope",
        b"\xEF\xBB\xBF<x/>",
    );
    assert_eq!(err.format(), Some(Format::Xml));
    assert_eq!(err.reason(), "no responseError envelope");
    assert_eq!(err.body_excerpt(), "<x/>");
    assert_eq!(
        err.to_string(),
        "could not decode the XML body: no responseError envelope; body starts: \"<x/>\""
    );
    assert_eq!(Format::Json.to_string(), "JSON");
}
