#![allow(clippy::unwrap_used, clippy::expect_used)]
//! Safe re-runs of `share_image_with` and the paginator streams, against the testkit's fake.

use futures_util::{StreamExt as _, TryStreamExt as _};
use imgshare_core::Credentials;
use imgshare_tencent::{Client, Config};
use imgshare_testkit::{TencentFake, TencentImage, TencentSeed};

const OWNER: &str = "100000000001";
const IMAGE: &str = "img-demo0001";

fn owner_client(fake: &TencentFake) -> Client {
    let a = TencentSeed::demo()
        .accounts
        .into_iter()
        .find(|a| a.account_id == OWNER)
        .unwrap();
    Client::new(
        Config::builder()
            .region("ap-guangzhou")
            .endpoint_url(fake.uri())
            .credentials(Credentials::new(a.secret_id, a.secret_key, None, "test").unwrap())
            .build()
            .unwrap(),
    )
    .unwrap()
}

#[tokio::test]
async fn share_image_with_is_safe_to_repeat() {
    let fake = TencentFake::start_with_seed(TencentSeed::demo()).await;
    fake.set_rate_limit(None);
    let client = owner_client(&fake);

    let first = client
        .share_image_with(IMAGE, ["100000000002", "100000000004"])
        .await
        .unwrap();
    assert_eq!(first.newly_shared, ["100000000002", "100000000004"]);
    assert!(first.already_shared.is_empty());
    assert!(first.request_id.is_some());

    // The same call again (say its answer was lost): nothing changes, and it succeeds.
    let before = fake.shared_accounts(IMAGE);
    let again = client
        .share_image_with(IMAGE, ["100000000002", "100000000004"])
        .await
        .unwrap();
    assert!(again.newly_shared.is_empty());
    assert_eq!(again.already_shared, ["100000000002", "100000000004"]);
    assert_eq!(again.request_id, None);
    assert_eq!(fake.shared_accounts(IMAGE), before);

    // A mix: Tencent refuses the whole call; only the missing account is shared.
    let mixed = client
        .share_image_with(IMAGE, ["100000000004", "100000000005", "100000000005"])
        .await
        .unwrap();
    assert_eq!(mixed.newly_shared, ["100000000005"]);
    assert_eq!(mixed.already_shared, ["100000000004"]);
    let mut shared = fake.shared_accounts(IMAGE);
    shared.sort();
    assert_eq!(shared, ["100000000002", "100000000004", "100000000005"]);

    // Other errors are still errors.
    let err = client
        .share_image_with("img-nothere1", ["100000000002"])
        .await
        .unwrap_err();
    assert_eq!(
        imgshare_tencent::ErrorMetadata::code(&err),
        Some("InvalidImageId.NotFound")
    );
}

#[tokio::test]
async fn paginator_streams_pages_and_items_100_at_a_time() {
    let mut seed = TencentSeed::demo();
    for n in 0..230 {
        seed.images
            .push(TencentImage::new(format!("img-strm{n:04}"), OWNER));
    }
    let fake = TencentFake::start_with_seed(seed).await;
    fake.set_rate_limit(None);
    let client = owner_client(&fake);

    let before = fake.request_count();
    let pages: Vec<_> = client
        .describe_images()
        .filter(imgshare_tencent::Filter::image_type(
            imgshare_tencent::ImageType::Private,
        ))
        .into_paginator()
        .pages()
        .try_collect()
        .await
        .unwrap();
    let sizes: Vec<usize> = pages.iter().map(|p| p.images.len()).collect();
    assert_eq!(sizes, [100, 100, 33]);
    assert_eq!(fake.request_count() - before, 3);
    assert!(
        fake.received()
            .iter()
            .rev()
            .take(3)
            .all(|r| r.body.contains("\"Limit\":100")),
        "asks for 100 per page"
    );

    let ids: Vec<String> = client
        .describe_images()
        .filter(imgshare_tencent::Filter::image_type(
            imgshare_tencent::ImageType::Private,
        ))
        .into_paginator()
        .page_size(50)
        .items()
        .map(|r| r.map(|i| i.image_id))
        .try_collect()
        .await
        .unwrap();
    assert_eq!(ids.len(), 233);
    let mut unique = ids.clone();
    unique.sort();
    unique.dedup();
    assert_eq!(unique.len(), 233, "no image twice");

    // The inherent `next` works without StreamExt too.
    let mut items = client.describe_images().limit(2).into_paginator().items();
    let mut n = 0;
    while let Some(item) = items.next().await {
        item.unwrap();
        n += 1;
    }
    assert!(n >= 233);
}
