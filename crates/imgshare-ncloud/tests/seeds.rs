#![allow(clippy::unwrap_used, clippy::expect_used)]
//! The bodies we came from, decoded into this crate's public types through the real client:
//! NAVER Cloud's documented response examples for `addServerImageSharingPermission`,
//! `removeServerImageSharingPermission` (JSON) and `addMemberServerImageSharingPermission` (XML,
//! with its empty `<requestId/>`), verbatim; and
//! our own bodies of the shapes NCP was seen to send (the official Go SDK's XML with tab
//! indentation and unquoted numbers, `<responseError>` with a multi-line message, a VPC
//! `responseError` in an odd layout, the API Gateway's `{"error":{…}}`).

use std::sync::Arc;
use std::time::{Duration, UNIX_EPOCH};

use imgshare_core::{Credentials, FixedClock, RetryConfig, SecretString};
use imgshare_ncloud::types::{BlockStorageVolumeType, DiskType, PlatformType};
use imgshare_ncloud::{
    Client, Config, ErrorMetadata, HypervisorType, ImageStatus, ResponseFormat, ShareStatus,
};
use wiremock::matchers::any;
use wiremock::{Mock, MockServer, ResponseTemplate};

/// The documented response example of `addServerImageSharingPermission`, verbatim: the page
/// masks `blockStorageSnapshotInstanceNo` as `*****4697`, unquoted, which no JSON reader
/// accepts (see [`masked_json`]).
const SEED_ADD: &str = r##"{
    "addServerImageSharingPermissionResponse": {
        "totalRows": 1,
        "serverImageList": [
            {
                "serverImageNo": "*****3135",
                "serverImageName": "test-***",
                "serverImageType": {
                    "code": "SELF",
                    "codeName": "SELF server image"
                },
                "serverImageLifeCyclePhase": {
                    "code": "IN_SERVICE",
                    "codeName": "In Service"
                },
                "hypervisorType": {
                    "code": "KVM",
                    "codeName": "KVM"
                },
                "cpuArchitectureType": {
                    "code": "X86_64",
                    "codeName": "x86 64bit"
                },
                "osCategoryType": {
                    "code": "LINUX",
                    "codeName": "LINUX"
                },
                "osType": {
                    "code": "UBUNTU",
                    "codeName": "UBUNTU"
                },
                "serverImageStatus": {
                    "code": "CREAT",
                    "codeName": "NSI CREATED state"
                },
                "serverImageOperation": {
                    "code": "NULL",
                    "codeName": "NSI NULL OP"
                },
                "serverImageStatusName": "created",
                "shareStatus": {
                    "code": "SHARE",
                    "codeName": "NSI Share SHARE State"
                },
                "blockStorageMappingList": [
                    {
                        "order": 0,
                        "blockStorageSnapshotInstanceNo": *****4697,
                        "blockStorageSnapshotName": "test-***",
                        "blockStorageSize": 10737418240,
                        "blockStorageVolumeType": {
                            "code": "CB1",
                            "codeName": "Common BlockStorage 1"
                        },
                        "iops": 100,
                        "throughput": 104857600,
                        "isEncryptedVolume": false
                    }
                ],
                "sharedLoginIdList": [
                    "test-***@naver.com"
                ],
                "serverImageProductCode": "SW.VSVR.OS.LNX64.UBNTU.SVR24.G003",
                "createDate": "2025-06-20T09:59:39+0900",
                "platformCategoryCode": "OS"
            }
        ],
        "requestId": "d4fcece2-935a-4c91-bf35-54347eb900ad",
        "returnCode": "0",
        "returnMessage": "success"
    }
}"##;

/// The documented response example of `removeServerImageSharingPermission`, verbatim.
const SEED_REMOVE: &str = r##"{
    "removeServerImageSharingPermissionResponse": {
        "totalRows": 1,
        "serverImageList": [
            {
                "serverImageNo": "*****3135",
                "serverImageName": "test-***",
                "serverImageType": {
                    "code": "SELF",
                    "codeName": "SELF server image"
                },
                "serverImageLifeCyclePhase": {
                    "code": "IN_SERVICE",
                    "codeName": "In Service"
                },
                "hypervisorType": {
                    "code": "KVM",
                    "codeName": "KVM"
                },
                "cpuArchitectureType": {
                    "code": "X86_64",
                    "codeName": "x86 64bit"
                },
                "osCategoryType": {
                    "code": "LINUX",
                    "codeName": "LINUX"
                },
                "osType": {
                    "code": "UBUNTU",
                    "codeName": "UBUNTU"
                },
                "serverImageStatus": {
                    "code": "CREAT",
                    "codeName": "NSI CREATED state"
                },
                "serverImageOperation": {
                    "code": "NULL",
                    "codeName": "NSI NULL OP"
                },
                "serverImageStatusName": "created",
                "shareStatus": {
                    "code": "NULL",
                    "codeName": "NSI Share NULL State"
                },
                "blockStorageMappingList": [
                    {
                        "order": 0,
                        "blockStorageSnapshotInstanceNo": *****4697,
                        "blockStorageSnapshotName": "test-***",
                        "blockStorageSize": 10737418240,
                        "blockStorageVolumeType": {
                            "code": "CB1",
                            "codeName": "Common BlockStorage 1"
                        },
                        "iops": 100,
                        "throughput": 104857600,
                        "isEncryptedVolume": false
                    }
                ],
                "sharedLoginIdList": [],
                "serverImageProductCode": "SW.VSVR.OS.LNX64.UBNTU.SVR24.G003",
                "createDate": "2025-06-20T09:59:39+0900",
                "platformCategoryCode": "OS"
            }
        ],
        "requestId": "973f85fe-5051-4de2-886f-cb0c955ab9e1",
        "returnCode": "0",
        "returnMessage": "success"
    }
}"##;

/// The documented response example of `addMemberServerImageSharingPermission` (member server
/// image instances), verbatim but for the page's own 4-space indentation.
const SEED_CLASSIC_ADD: &str = r##"<addMemberServerImageSharingPermissionResponse>
  <requestId/>
  <returnCode>0</returnCode>
  <returnMessage>success</returnMessage>
  <totalRows>1</totalRows>
  <memberServerImageInstanceList>
    <memberServerImageInstance>
      <memberServerImageInstanceNo>***4605</memberServerImageInstanceNo>
      <memberServerImageName>test-***</memberServerImageName>
      <memberServerImageDescription/>
      <originalServerInstanceNo>***4594</originalServerInstanceNo>
      <originalServerImageProductCode>SW.VSVR.OS.LNX64.CNTOS.0703.B050</originalServerImageProductCode>
      <memberServerImageInstanceStatus>
        <code>CREAT</code>
        <codeName>NSI CREATED state</codeName>
      </memberServerImageInstanceStatus>
      <memberServerImageInstanceOperation>
        <code>NULL</code>
        <codeName>NSI NULLOP</codeName>
      </memberServerImageInstanceOperation>
      <memberServerImageInstanceStatusName>created</memberServerImageInstanceStatusName>
      <createDate>2021-01-15T08:56:24+0900</createDate>
      <shareStatus>
        <code>SHARE</code>
        <codeName>NSI Share SHARE State</codeName>
      </shareStatus>
      <sharedLoginIdList>
        <sharedLoginId>test-***@naver.com</sharedLoginId>
      </sharedLoginIdList>
    </memberServerImageInstance>
  </memberServerImageInstanceList>
</addMemberServerImageSharingPermissionResponse>"##;

/// The one masked number in the VPC examples, as a number: the only change made to them.
fn masked_json(seed: &str) -> String {
    assert_eq!(seed.matches("*****4697,").count(), 1);
    seed.replace("*****4697,", "4697,")
}

async fn client_answering(status: u16, body: &str, content_type: &str) -> (MockServer, Client) {
    let server = MockServer::start().await;
    Mock::given(any())
        .respond_with(ResponseTemplate::new(status).set_body_raw(body.to_owned(), content_type))
        .mount(&server)
        .await;
    let credentials = Credentials::new(
        "TestAccessKey",
        SecretString::new("TestSecretKey"),
        None,
        "test",
    )
    .unwrap();
    let config = Config::builder()
        .endpoint_url(server.uri())
        .region_code("KR")
        .response_format(ResponseFormat::Json)
        .credentials(credentials)
        .retry(RetryConfig::standard().with_max_attempts(1))
        .clock(Arc::new(FixedClock(
            UNIX_EPOCH + Duration::from_millis(1_234_567_890_123),
        )))
        .build()
        .unwrap();
    (server, Client::new(config).unwrap())
}

const JSON: &str = "application/json;charset=UTF-8";
const XML: &str = "application/xml;charset=UTF-8";

#[tokio::test]
async fn the_documented_vpc_add_example_decodes() {
    // As printed, the masked number is not JSON: a clear error, not a panic.
    let (_server, client) = client_answering(200, SEED_ADD, JSON).await;
    let add = client
        .add_server_image_sharing_permission()
        .server_image_no("3135")
        .target_login_id("test@naver.com");
    let e = add.send().await.unwrap_err();
    assert!(e.is_transport(), "{e}");

    let (_server, client) = client_answering(200, &masked_json(SEED_ADD), JSON).await;
    let out = client
        .add_server_image_sharing_permission()
        .server_image_no("3135")
        .target_login_id("test@naver.com")
        .send()
        .await
        .unwrap();
    assert_eq!(out.request_id, "d4fcece2-935a-4c91-bf35-54347eb900ad");
    assert_eq!((out.return_code.as_str(), out.total_rows), ("0", 1));
    let image = &out.server_image_list[0];
    assert_eq!(image.server_image_no, "*****3135");
    assert_eq!(image.share_status(), Some(&ShareStatus::Share));
    assert_eq!(image.hypervisor(), Some(&HypervisorType::Kvm));
    assert_eq!(image.shared_login_id_list, ["test-***@naver.com"]);
    assert_eq!(
        image.create_date.as_deref(),
        Some("2025-06-20T09:59:39+0900")
    );
    assert!(image.created_at().is_some());
    let disk = &image.block_storage_mapping_list[0];
    assert_eq!(
        disk.block_storage_snapshot_instance_no.as_deref(),
        Some("4697")
    );
    assert_eq!(disk.block_storage_size, Some(10_737_418_240));
    assert_eq!(
        disk.block_storage_volume_type.as_ref().map(|c| &c.code),
        Some(&BlockStorageVolumeType::Cb1)
    );
}

#[tokio::test]
async fn the_documented_vpc_remove_example_decodes() {
    let (_server, client) = client_answering(200, &masked_json(SEED_REMOVE), JSON).await;
    let out = client
        .remove_server_image_sharing_permission()
        .server_image_no("3135")
        .target_login_id("test@naver.com")
        .send()
        .await
        .unwrap();
    assert_eq!(out.request_id, "973f85fe-5051-4de2-886f-cb0c955ab9e1");
    let image = &out.server_image_list[0];
    assert_eq!(image.share_status(), Some(&ShareStatus::Null));
    assert!(image.shared_login_id_list.is_empty());
}

// Catches: the empty `<requestId/>` failing the answer, or `<sharedLoginIdList>`'s one child
// lost.
#[tokio::test]
async fn the_documented_member_add_example_decodes_verbatim() {
    let (_server, client) = client_answering(200, SEED_CLASSIC_ADD, XML).await;
    let out = client
        .add_member_server_image_sharing_permission()
        .member_server_image_instance_no("4605")
        .target_login_id("test@naver.com")
        .send()
        .await
        .unwrap();
    assert_eq!(out.request_id, "");
    assert_eq!((out.return_code.as_str(), out.total_rows), ("0", 1));
    let image = &out.member_server_image_instance_list[0];
    assert_eq!(image.member_server_image_instance_no, "***4605");
    assert_eq!(image.member_server_image_description, None);
    assert_eq!(
        image.original_server_instance_no.as_deref(),
        Some("***4594")
    );
    assert_eq!(
        image
            .member_server_image_instance_status
            .as_ref()
            .map(|c| &c.code),
        Some(&ImageStatus::Created)
    );
    assert_eq!(image.share_status(), Some(&ShareStatus::Share));
    assert_eq!(image.shared_login_id_list, ["test-***@naver.com"]);
    assert!(image.created_at().is_some());
}

#[tokio::test]
async fn the_go_sdks_xml_shape_decodes() {
    // Tab indentation, unquoted numbers, no shareStatus or sharedLoginIdList, a zone offset
    // without a colon.
    let body = "<getMemberServerImageListResponse>\n\t\t\t\t\t<requestId>5e0c8a41-7f0d-4c55-9a3e-2b6f1d9c0a17</requestId>\n\t\t\t\t\t<returnCode>0</returnCode>\n\t\t\t\t\t<returnMessage>success</returnMessage>\n\t\t\t\t\t<totalRows>1</totalRows>\n\t\t\t\t\t<memberServerImageList>\n\t\t\t\t\t\t<memberServerImage>\n\t\t\t\t\t\t\t<memberServerImageNo>3571</memberServerImageNo>\n\t\t\t\t\t\t\t<memberServerImageName>web-base</memberServerImageName>\n\t\t\t\t\t\t\t<memberServerImageDescription>base</memberServerImageDescription>\n\t\t\t\t\t\t\t<originalServerInstanceNo>412345</originalServerInstanceNo>\n\t\t\t\t\t\t\t<originalBaseBlockStorageDiskType>\n\t\t\t\t\t\t\t\t<code>NET</code>\n\t\t\t\t\t\t\t\t<codeName>Network Storage</codeName>\n\t\t\t\t\t\t\t</originalBaseBlockStorageDiskType>\n\t\t\t\t\t\t\t<memberServerImageStatus>\n\t\t\t\t\t\t\t\t<code>CREAT</code>\n\t\t\t\t\t\t\t\t<codeName>NSI CREATED State</codeName>\n\t\t\t\t\t\t\t</memberServerImageStatus>\n\t\t\t\t\t\t\t<memberServerImagePlatformType>\n\t\t\t\t\t\t\t\t<code>LNX64</code>\n\t\t\t\t\t\t\t\t<codeName>Linux 64 Bit</codeName>\n\t\t\t\t\t\t\t</memberServerImagePlatformType>\n\t\t\t\t\t\t\t<createDate>2018-03-14T10:20:30+0900</createDate>\n\t\t\t\t\t\t\t<region>\n\t\t\t\t\t\t\t\t<regionNo>1</regionNo>\n\t\t\t\t\t\t\t\t<regionCode>KR</regionCode>\n\t\t\t\t\t\t\t</region>\n\t\t\t\t\t\t\t<memberServerImageBlockStorageTotalRows>1</memberServerImageBlockStorageTotalRows>\n\t\t\t\t\t\t\t<memberServerImageBlockStorageTotalSize>53687091200</memberServerImageBlockStorageTotalSize>\n\t\t\t\t\t\t</memberServerImage>\n\t\t\t\t\t</memberServerImageList>\n\t\t\t\t</getMemberServerImageListResponse>";
    let (_server, client) = client_answering(200, body, XML).await;
    let out = client
        .classic_get_member_server_image_list()
        .send()
        .await
        .unwrap();
    let image = &out.member_server_image_list[0];
    assert_eq!(image.member_server_image_no, "3571");
    assert_eq!(
        image.member_server_image_block_storage_total_size,
        Some(53_687_091_200)
    );
    assert_eq!(
        image
            .original_base_block_storage_disk_type
            .as_ref()
            .map(|c| &c.code),
        Some(&DiskType::Net)
    );
    assert_eq!(
        image
            .member_server_image_platform_type
            .as_ref()
            .map(|c| &c.code),
        Some(&PlatformType::Lnx64)
    );
    assert_eq!(image.share_status(), None);
    assert!(image.shared_login_id_list.is_empty());
    assert!(image.created_at().is_some());
}

#[tokio::test]
async fn ncps_error_shapes_keep_code_and_message() {
    let multiline = "<responseError>\n\t\t\t\t\t\t<returnCode>1300</returnCode>\n\t\t\t\t\t\t<returnMessage>Please try your call again later.\n\t\t\t\t\tTemporarily out of service.</returnMessage>\n\t\t\t\t\t</responseError>";
    let odd_layout = "{\"responseError\": {\n  \"returnCode\": \"1007009\",\n  \"returnMessage\": \"The settings are being changed.\"\n}}";
    let gateway = r#"{"error":{"errorCode":"500","message":"Endpoint Error","details":""}}"#;
    for (status, body, content_type, code, message) in [
        (
            500,
            multiline,
            XML,
            "1300",
            "Please try your call again later.",
        ),
        (
            400,
            odd_layout,
            JSON,
            "1007009",
            "The settings are being changed.",
        ),
        (503, gateway, JSON, "500", "Endpoint Error"),
    ] {
        let (_server, client) = client_answering(status, body, content_type).await;
        let e = client
            .classic_get_member_server_image_list()
            .send()
            .await
            .unwrap_err();
        assert_eq!(e.code(), Some(code), "{body}");
        assert!(e.message().unwrap().starts_with(message), "{e}");
        assert_eq!(e.http_status(), Some(status));
    }
}
