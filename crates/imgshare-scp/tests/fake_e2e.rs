#![allow(clippy::unwrap_used, clippy::expect_used)]
//! End to end against the testkit's stateful, signature-checking SCP fake
//! (`imgshare_testkit::ScpFake`) over real loopback HTTP. The fake verifies `Scp-Signature` with
//! its own verifier and requires `Scp-Api-Version` and `Accept-Language`, so every successful
//! call also proves the signer and the pinned headers agree with it.

use std::time::Duration;

use imgshare_core::{Credentials, RetryConfig, SecretString};
use imgshare_scp::{
    ApiVersion, Client, Config, ErrorMetadata, MemberStatus, ScpError, ShareOutcome, Visibility,
};
use imgshare_testkit::{Fault, ScpAccount, ScpFake, ScpFault, ScpImage, ScpSeed};

const OWNER: &str = "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa1";
const RECIPIENT: &str = "bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb2";
const OTHER: &str = "ccccccccccccccccccccccccccccccc3";
const SHARED_IMAGE: &str = "00000000-0000-4000-8000-0000000000a1";
const PRIVATE_IMAGE: &str = "00000000-0000-4000-8000-0000000000a3";

fn fast_retry() -> RetryConfig {
    RetryConfig::standard()
        .with_initial_backoff(Duration::from_millis(1))
        .with_max_backoff(Duration::from_millis(5))
}

fn account(id: &str) -> ScpAccount {
    ScpSeed::demo()
        .accounts
        .into_iter()
        .find(|a| a.account_id == id)
        .expect("demo account")
}

fn client_for(fake: &ScpFake, id: &str) -> Client {
    client_with(fake, id, |b| b)
}

fn client_with(
    fake: &ScpFake,
    id: &str,
    tweak: impl FnOnce(imgshare_scp::ConfigBuilder) -> imgshare_scp::ConfigBuilder,
) -> Client {
    let a = account(id);
    let builder = Config::builder()
        .endpoint_url(fake.uri())
        .account_id(&a.account_id)
        .credentials(
            Credentials::new(a.access_key, SecretString::new(a.secret_key), None, "test").unwrap(),
        )
        .retry(fast_retry());
    Client::new(tweak(builder).build().unwrap()).unwrap()
}

async fn demo() -> ScpFake {
    ScpFake::start_with_seed(ScpSeed::demo()).await
}

#[tokio::test]
async fn owner_shares_recipient_accepts_owner_lists_and_unshares() {
    let fake = demo().await;
    let owner = client_for(&fake, OWNER);
    let recipient = client_for(&fake, RECIPIENT);

    let outcome = owner.share(SHARED_IMAGE, RECIPIENT).await.unwrap();
    assert!(outcome.is_newly_added());
    assert_eq!(outcome.member().status, MemberStatus::Pending);
    assert!(outcome.member().created_at.is_some());

    let pending = recipient.list_pending_images().send().await.unwrap();
    assert_eq!(
        pending
            .images
            .iter()
            .map(|i| i.id.as_str())
            .collect::<Vec<_>>(),
        [SHARED_IMAGE]
    );
    let accepted = recipient.accept_share(SHARED_IMAGE).await.unwrap();
    assert_eq!(accepted.status, MemberStatus::Accepted);
    assert!(
        recipient
            .list_pending_images()
            .send()
            .await
            .unwrap()
            .images
            .is_empty()
    );

    let members = owner
        .list_image_members()
        .image_id(SHARED_IMAGE)
        .send()
        .await
        .unwrap();
    assert_eq!(members.members.len(), 1);
    assert_eq!(members.members[0].member_id, RECIPIENT);
    assert_eq!(members.members[0].status, MemberStatus::Accepted);

    // The recipient now sees the image.
    let seen = recipient
        .show_image()
        .image_id(SHARED_IMAGE)
        .send()
        .await
        .unwrap();
    assert_eq!(seen.owner, OWNER);

    // Sharing again: 409, checked, reported as already a member.
    let again = owner.share(SHARED_IMAGE, RECIPIENT).await.unwrap();
    assert!(
        matches!(again, ShareOutcome::AlreadyMember(ref m) if m.status == MemberStatus::Accepted)
    );

    let () = owner
        .delete_image_member()
        .image_id(SHARED_IMAGE)
        .member_id(RECIPIENT)
        .send()
        .await
        .unwrap();
    assert!(fake.members(SHARED_IMAGE).is_empty());
    let gone = owner
        .show_image_member()
        .image_id(SHARED_IMAGE)
        .member_id(RECIPIENT)
        .send()
        .await
        .unwrap_err();
    assert!(gone.is_not_found(), "{gone}");

    // Every request carried the pinned version.
    for r in fake.received() {
        assert_eq!(r.api_version.as_deref(), Some("virtualserver 1.3"), "{r:?}");
    }
}

#[tokio::test]
async fn recipient_rejects_and_private_images_need_visibility_first() {
    let fake = demo().await;
    let owner = client_for(&fake, OWNER);
    let recipient = client_for(&fake, RECIPIENT);

    let e = owner.share(PRIVATE_IMAGE, RECIPIENT).await.unwrap_err();
    // SCP documents the 403 by status only; the hint names the visibility.
    assert!(e.is_forbidden(), "{e}");
    assert!(e.to_string().contains("Visibility::Shared"), "{e}");

    let image = owner
        .update_image()
        .image_id(PRIVATE_IMAGE)
        .visibility(Visibility::Shared)
        .send()
        .await
        .unwrap();
    assert_eq!(image.visibility, Visibility::Shared);
    owner.share(PRIVATE_IMAGE, RECIPIENT).await.unwrap();
    let rejected = recipient.reject_share(PRIVATE_IMAGE).await.unwrap();
    assert_eq!(rejected.status, MemberStatus::Rejected);

    // The owner cannot answer for the recipient.
    let e = owner
        .update_image_member()
        .image_id(PRIVATE_IMAGE)
        .member_id(RECIPIENT)
        .status(MemberStatus::Accepted)
        .send()
        .await
        .unwrap_err();
    assert!(e.is_forbidden(), "{e}");
    // An outsider cannot list the members.
    let outsider = client_for(&fake, OTHER);
    let e = outsider
        .list_image_members()
        .image_id(PRIVATE_IMAGE)
        .send()
        .await
        .unwrap_err();
    assert!(e.is_forbidden() || e.is_not_found(), "{e}");
}

#[tokio::test]
async fn images_paginate_through_the_fake() {
    let fake = demo().await;
    for n in 0..7 {
        fake.add_image(
            ScpImage::new(format!("00000000-0000-4000-8000-0000000001{n:02}"), OWNER)
                .with_name(format!("extra-{n}")),
        );
    }
    let owner = client_for(&fake, OWNER);
    let all = owner
        .list_images()
        .limit(3)
        .into_paginator()
        .collect_all()
        .await
        .unwrap();
    // 3 demo images of the owner + 7 extra.
    assert_eq!(
        all.len(),
        10,
        "{:?}",
        all.iter().map(|i| &i.id).collect::<Vec<_>>()
    );
    let pages = fake
        .received()
        .iter()
        .filter(|r| r.path == "/v1/images")
        .count();
    assert_eq!(pages, 4);
}

#[tokio::test]
async fn version_1_2_is_served_and_an_unserved_version_is_reported() {
    let fake = demo().await;
    let owner = client_with(&fake, OWNER, |b| b.api_version(ApiVersion::V1_2));
    owner
        .list_image_members()
        .image_id(SHARED_IMAGE)
        .send()
        .await
        .unwrap();
    assert_eq!(
        fake.received()[0].api_version.as_deref(),
        Some("virtualserver 1.2")
    );
    fake.set_supported_versions(["1.3"]);
    let e = owner
        .list_image_members()
        .image_id(SHARED_IMAGE)
        .send()
        .await
        .unwrap_err();
    assert!(e.is_version_unsupported(), "{e}");
}

#[tokio::test]
async fn wrong_secret_is_a_signature_failure_and_unknown_key_too() {
    let fake = demo().await;
    let bad = Client::new(
        Config::builder()
            .endpoint_url(fake.uri())
            .credentials(
                Credentials::new(
                    account(OWNER).access_key,
                    SecretString::new("not-the-secret"),
                    None,
                    "test",
                )
                .unwrap(),
            )
            .retry(fast_retry())
            .build()
            .unwrap(),
    )
    .unwrap();
    let e: ScpError = bad
        .list_image_members()
        .image_id(SHARED_IMAGE)
        .send()
        .await
        .unwrap_err();
    assert!(
        e.is_signature_failure() && e.is_auth_failure() && e.is_gateway(),
        "{e}"
    );
    assert!(!e.to_string().contains("not-the-secret"));
    assert_eq!(fake.request_count(), 1, "a 401 is not retried");
}

#[tokio::test]
async fn signed_account_id_is_accepted_by_the_fake() {
    let fake = demo().await;
    let owner = client_with(&fake, OWNER, |b| b.sign_account_id(true));
    owner
        .list_image_members()
        .image_id(SHARED_IMAGE)
        .send()
        .await
        .unwrap();
}

#[tokio::test]
async fn faults_reads_retry_writes_do_not() {
    let fake = demo().await;
    let owner = client_for(&fake, OWNER);

    fake.inject(Fault::Status(503), 1);
    fake.inject(ScpFault::Throttle, 1);
    owner
        .list_image_members()
        .image_id(SHARED_IMAGE)
        .send()
        .await
        .unwrap();
    assert_eq!(fake.request_count(), 3);

    fake.inject(Fault::Html502, 1);
    let e = owner
        .create_image_member()
        .image_id(SHARED_IMAGE)
        .member_id(RECIPIENT)
        .send()
        .await
        .unwrap_err();
    assert_eq!(e.http_status(), Some(502));
    assert_eq!(fake.request_count(), 4, "the POST is not repeated");

    fake.inject(ScpFault::WafBlock, 1);
    let e = owner
        .show_image()
        .image_id(SHARED_IMAGE)
        .send()
        .await
        .unwrap_err();
    assert!(e.is_waf_blocked(), "{e}");

    fake.inject(ScpFault::InternalError, 3);
    let e = owner
        .show_image()
        .image_id(SHARED_IMAGE)
        .send()
        .await
        .unwrap_err();
    assert_eq!(e.code(), Some("ContactAdminForAssistance"));
    assert_eq!(e.detail_lines().len(), 1);

    fake.inject(ScpFault::MalformedBody, 1);
    let e = owner
        .list_image_members()
        .image_id(SHARED_IMAGE)
        .send()
        .await
        .unwrap_err();
    assert!(e.is_transport(), "{e}");

    fake.inject(Fault::DropConnection, 1);
    let e = owner
        .create_image_member()
        .image_id(SHARED_IMAGE)
        .member_id(RECIPIENT)
        .send()
        .await
        .unwrap_err();
    assert!(e.is_transport(), "{e}");
    // The dropped add may or may not have been applied: share says which.
    let outcome = owner.share(SHARED_IMAGE, RECIPIENT).await.unwrap();
    assert_eq!(outcome.member().member_id, RECIPIENT);
}

#[tokio::test]
async fn create_sharing_image_answers_202() {
    let fake = demo().await;
    let owner = client_for(&fake, OWNER);
    let () = owner
        .create_sharing_image()
        .image_id(SHARED_IMAGE)
        .send()
        .await
        .unwrap();
    let r = fake.received();
    assert_eq!(r[0].status, Some(202));
}
