#![allow(clippy::unwrap_used, clippy::expect_used)]
//! End to end against the testkit's stateful, signature-checking NCP fake
//! (`imgshare_testkit::NcloudFake`): every family's share / list / set / unshare, in JSON and
//! XML, login ids that need encoding, injected faults, and Server Role keys.

use std::time::Duration;

use imgshare_core::{Credentials, RetryConfig, SecretString};
use imgshare_ncloud::credentials::ServerRoleProvider;
use imgshare_ncloud::{
    Client, Config, ErrorMetadata, HypervisorType, ImageStatus, ResponseFormat, ShareStatus,
};
use imgshare_testkit::{Fault, NcloudAccount, NcloudFake, NcloudFault, NcloudSeed};
use wiremock::matchers::{method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

const OWNER: &str = "owner@imgshare.test";
const RECIPIENT: &str = "recipient@imgshare.test";
const OWNER_KEY: &str = "NCPFAKEOWNER00000000";
const OWNER_SECRET: &str = "fake-ncp-secret-owner-000000000000000000";
const RECIPIENT_KEY: &str = "NCPFAKERECIPIENT0000";
const RECIPIENT_SECRET: &str = "fake-ncp-secret-recipient-00000000000000";

fn fast_retry() -> RetryConfig {
    RetryConfig::standard()
        .with_initial_backoff(Duration::from_millis(1))
        .with_max_backoff(Duration::from_millis(5))
}

fn client(fake: &NcloudFake, key: &str, secret: &str, format: ResponseFormat) -> Client {
    Client::new(
        Config::builder()
            .endpoint_url(fake.uri())
            .response_format(format)
            .credentials(Credentials::new(key, SecretString::new(secret), None, "test").unwrap())
            .retry(fast_retry())
            .build()
            .unwrap(),
    )
    .unwrap()
}

fn owner(fake: &NcloudFake, format: ResponseFormat) -> Client {
    client(fake, OWNER_KEY, OWNER_SECRET, format)
}

async fn demo() -> NcloudFake {
    NcloudFake::start_with_seed(NcloudSeed::demo()).await
}

#[tokio::test]
async fn vpc_server_image_share_list_unshare_in_both_formats() {
    for format in [ResponseFormat::Json, ResponseFormat::Xml] {
        let fake = demo().await;
        let owner = owner(&fake, format.clone());
        let out = owner
            .add_server_image_sharing_permission()
            .server_image_no("10000001")
            .target_login_id(RECIPIENT)
            .send()
            .await
            .unwrap();
        let image = &out.server_image_list[0];
        assert_eq!(image.share_status(), Some(&ShareStatus::Share), "{format}");
        assert_eq!(image.shared_login_id_list, vec![RECIPIENT]);
        assert_eq!(image.hypervisor(), Some(&HypervisorType::Kvm));
        assert!(image.created_at().is_some());
        assert_eq!(fake.shared_login_ids("10000001"), vec![RECIPIENT]);

        let detail = owner
            .get_server_image_detail()
            .server_image_no("10000001")
            .send()
            .await
            .unwrap();
        assert_eq!(
            detail.server_image_list[0].shared_login_id_list,
            vec![RECIPIENT]
        );

        // The recipient sees it.
        let seen = client(&fake, RECIPIENT_KEY, RECIPIENT_SECRET, format.clone())
            .get_server_image_list()
            .into_paginator()
            .collect_all()
            .await
            .unwrap();
        assert!(
            seen.iter().any(|i| i.server_image_no == "10000001"),
            "{seen:?}"
        );

        let out = owner
            .remove_server_image_sharing_permission()
            .server_image_no("10000001")
            .target_login_id(RECIPIENT)
            .send()
            .await
            .unwrap();
        assert_eq!(
            out.server_image_list[0].share_status(),
            Some(&ShareStatus::Null)
        );
        assert!(fake.shared_login_ids("10000001").is_empty());

        // Every request was signed over the bare path and carried the format.
        for r in fake
            .received()
            .iter()
            .filter(|r| r.login_id.as_deref() == Some(OWNER))
        {
            assert_eq!(r.status, Some(200), "{r:?}");
            assert!(!r.request_target.contains('?'), "{r:?}");
            assert!(
                r.body.contains(&format!("responseFormatType={format}")),
                "{r:?}"
            );
        }
    }
}

#[tokio::test]
async fn vpc_member_image_add_set_remove_and_kvm_refusal() {
    for format in [ResponseFormat::Json, ResponseFormat::Xml] {
        let fake = demo().await;
        let owner = owner(&fake, format.clone());
        let out = owner
            .add_member_server_image_sharing_permission()
            .member_server_image_instance_no("10000002")
            .target_login_id(RECIPIENT)
            .send()
            .await
            .unwrap();
        assert_eq!(
            out.member_server_image_instance_list[0].shared_login_id_list,
            vec![RECIPIENT]
        );
        let out = owner
            .set_member_server_image_sharing_permission()
            .member_server_image_instance_no("10000002")
            .send()
            .await
            .unwrap();
        assert!(
            out.member_server_image_instance_list[0]
                .shared_login_id_list
                .is_empty()
        );
        owner
            .set_member_server_image_sharing_permission()
            .member_server_image_instance_no("10000002")
            .target_login_id(RECIPIENT)
            .send()
            .await
            .unwrap();
        assert_eq!(fake.shared_login_ids("10000002"), vec![RECIPIENT]);
        let list = owner
            .get_member_server_image_instance_list()
            .into_paginator()
            .collect_all()
            .await
            .unwrap();
        assert!(
            list.iter()
                .all(|i| !i.member_server_image_instance_no.is_empty())
        );
        let detail = owner
            .get_member_server_image_instance_detail()
            .member_server_image_instance_no("10000002")
            .send()
            .await
            .unwrap();
        let image = &detail.member_server_image_instance_list[0];
        assert_eq!(image.share_status(), Some(&ShareStatus::Share));
        assert_eq!(
            image
                .member_server_image_instance_status
                .as_ref()
                .unwrap()
                .code,
            ImageStatus::Created
        );
        owner
            .remove_member_server_image_sharing_permission()
            .member_server_image_instance_no("10000002")
            .target_login_id(RECIPIENT)
            .send()
            .await
            .unwrap();
        assert!(fake.shared_login_ids("10000002").is_empty());

        // A KVM image through the XEN-only member API is a service error.
        let err = owner
            .add_member_server_image_sharing_permission()
            .member_server_image_instance_no("10000001")
            .target_login_id(RECIPIENT)
            .send()
            .await
            .unwrap_err();
        assert_eq!(
            err.code(),
            Some(imgshare_testkit::ncloud::codes::KVM_NOT_SUPPORTED),
            "{err}"
        );
        assert!(!err.is_gateway());
    }
}

#[tokio::test]
async fn classic_add_set_remove_list() {
    for format in [ResponseFormat::Json, ResponseFormat::Xml] {
        let fake = demo().await;
        let owner = owner(&fake, format.clone());
        owner
            .classic_add_member_server_image_sharing_permission()
            .member_server_image_no("20000001")
            .target_login_id(RECIPIENT)
            .send()
            .await
            .unwrap();
        assert_eq!(fake.classic_shared_login_ids("20000001"), vec![RECIPIENT]);
        owner
            .classic_set_member_server_image_sharing_permission()
            .member_server_image_no("20000001")
            .send()
            .await
            .unwrap();
        assert!(fake.classic_shared_login_ids("20000001").is_empty());
        owner
            .classic_set_member_server_image_sharing_permission()
            .member_server_image_no("20000001")
            .target_login_id(RECIPIENT)
            .send()
            .await
            .unwrap();
        let list = owner
            .classic_get_member_server_image_list()
            .member_server_image_no("20000001")
            .send()
            .await
            .unwrap();
        let image = &list.member_server_image_list[0];
        assert_eq!(image.shared_login_id_list, vec![RECIPIENT], "{format}");
        assert_eq!(image.share_status(), Some(&ShareStatus::Share));
        owner
            .classic_remove_member_server_image_sharing_permission()
            .member_server_image_no("20000001")
            .target_login_id(RECIPIENT)
            .send()
            .await
            .unwrap();
        assert!(fake.classic_shared_login_ids("20000001").is_empty());
        let all = owner
            .classic_get_member_server_image_list()
            .page_size(1)
            .into_paginator()
            .collect_all()
            .await
            .unwrap();
        assert_eq!(all.len(), 2);
    }
}

#[tokio::test]
async fn login_ids_that_need_encoding_are_shared() {
    let fake = demo().await;
    let ids = [
        "first+tag@example.com",
        "john doe@example.com",
        "홍길동@예시.kr",
    ];
    for (i, id) in ids.iter().enumerate() {
        fake.add_account(NcloudAccount::new(
            *id,
            format!("NCPFAKEEXTRA{i:08}"),
            format!("fake-extra-secret-{i}"),
        ));
    }
    owner(&fake, ResponseFormat::Json)
        .add_server_image_sharing_permission()
        .server_image_no("10000001")
        .set_target_login_ids(Some(ids.iter().map(|s| s.to_string()).collect()))
        .send()
        .await
        .unwrap();
    assert_eq!(fake.shared_login_ids("10000001"), ids);
}

#[tokio::test]
async fn service_and_gateway_errors() {
    let fake = demo().await;
    let owner = owner(&fake, ResponseFormat::Xml);
    let err = owner
        .get_server_image_detail()
        .server_image_no("99999999")
        .send()
        .await
        .unwrap_err();
    assert!(err.is_image_not_found(), "{err}");
    assert!(err.request_id().is_none() || !err.request_id().unwrap().is_empty());

    let err = owner
        .add_server_image_sharing_permission()
        .server_image_no("10000001")
        .target_login_id("nobody@imgshare.test")
        .send()
        .await
        .unwrap_err();
    assert_eq!(
        err.code(),
        Some(imgshare_testkit::ncloud::codes::LOGIN_ID_NOT_FOUND),
        "{err}"
    );

    let wrong = client(&fake, OWNER_KEY, "wrong-secret", ResponseFormat::Json);
    let err = wrong.get_server_image_list().send().await.unwrap_err();
    assert!(err.is_auth_failure() && err.is_gateway(), "{err}");
    assert!(err.hint().is_some());
    assert!(!format!("{err:?} {err}").contains("wrong-secret"));
}

#[tokio::test]
async fn injected_faults_are_retried_as_classified() {
    let fake = demo().await;
    let owner = owner(&fake, ResponseFormat::Json);
    for fault in [
        NcloudFault::ThrottleLimited,
        NcloudFault::RateLimited,
        NcloudFault::QuotaExceeded,
    ] {
        fake.inject(fault, 1);
        owner
            .add_server_image_sharing_permission()
            .server_image_no("10000001")
            .target_login_id(RECIPIENT)
            .send()
            .await
            .unwrap();
    }
    for fault in [
        NcloudFault::EndpointError.into(),
        NcloudFault::EndpointTimeout.into(),
        NcloudFault::TryAgainLater.into(),
        Fault::Html502,
    ] {
        fake.inject(fault.clone(), 1);
        owner
            .get_server_image_list()
            .send()
            .await
            .unwrap_or_else(|e| panic!("{fault:?}: {e}"));
    }
    // Not repeated: a share that may have been applied.
    fake.inject(NcloudFault::EndpointError, 1);
    let err = owner
        .remove_server_image_sharing_permission()
        .server_image_no("10000001")
        .target_login_id(RECIPIENT)
        .send()
        .await
        .unwrap_err();
    assert!(err.is_endpoint_error(), "{err}");
    assert_eq!(fake.shared_login_ids("10000001"), vec![RECIPIENT]);
}

#[tokio::test]
async fn server_role_keys_from_metadata_sign_requests() {
    let fake = demo().await;
    let metadata = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/latest/meta-data/iam/security-credentials/"))
        .respond_with(ResponseTemplate::new(200).set_body_string("imgshare-role\n"))
        .mount(&metadata)
        .await;
    Mock::given(method("GET"))
        .and(path("/latest/meta-data/iam/security-credentials/imgshare-role"))
        .respond_with(ResponseTemplate::new(200).set_body_string(
            r#"{"AccessKeyId":"NCPFAKESERVERROLE000","SecretAccessKey":"fake-ncp-secret-server-role-000000000000","Expiration":"2099-12-31T23:59:59Z","Code":"Success","Message":""}"#,
        ))
        .mount(&metadata)
        .await;
    let client = Client::new(
        Config::builder()
            .endpoint_url(fake.uri())
            .credentials_provider(ServerRoleProvider::new().with_endpoint(metadata.uri()))
            .build()
            .unwrap(),
    )
    .unwrap();
    client.get_server_image_list().send().await.unwrap();
    client.get_server_image_list().send().await.unwrap();
    // The identity cache keeps unexpired keys: the metadata service was asked once.
    assert_eq!(metadata.received_requests().await.unwrap().len(), 2);
    assert_eq!(
        fake.received()[0].login_id.as_deref(),
        Some("server-role@imgshare.test")
    );
}
