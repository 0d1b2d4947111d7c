//! The facade end to end: `imgshare::tencent` against the signature-checking fake, as a user's
//! service would call it, plus a check that every re-export a user names resolves.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use imgshare::tencent::{Client, Config, Filter, ImageType};
use imgshare::{Credentials, RetryConfig};
use imgshare_testkit::{TencentFake, TencentSeed};

fn client(fake: &TencentFake, account: usize, seed: &TencentSeed) -> Client {
    let a = &seed.accounts[account];
    Client::new(
        Config::builder()
            .region("ap-guangzhou")
            .endpoint_url(fake.uri())
            .credentials(
                Credentials::new(&a.secret_id, a.secret_key.as_str(), None, "test").unwrap(),
            )
            .retry(RetryConfig::disabled())
            .build()
            .unwrap(),
    )
    .unwrap()
}

#[tokio::test]
async fn share_is_visible_to_the_recipient_and_gone_after_unshare() {
    let seed = TencentSeed::demo();
    let fake = TencentFake::start_with_seed(seed.clone()).await;
    let owner = client(&fake, 0, &seed);
    let recipient = client(&fake, 1, &seed);
    let image = &seed.images[1].image_id;
    let recipient_id = &seed.accounts[1].account_id;

    owner
        .share_image()
        .image_id(image)
        .account_id(recipient_id)
        .send()
        .await
        .unwrap();
    assert_eq!(
        fake.shared_accounts(image),
        std::slice::from_ref(recipient_id)
    );

    let shared = recipient
        .describe_images()
        .filter(Filter::image_type(ImageType::Shared))
        .send()
        .await
        .unwrap();
    assert_eq!(shared.total_count, 1);
    assert_eq!(&shared.images[0].image_id, image);
    assert_eq!(shared.images[0].image_type, ImageType::Shared);

    owner
        .unshare_image()
        .image_id(image)
        .account_id(recipient_id)
        .send()
        .await
        .unwrap();
    let shared = recipient
        .describe_images()
        .filter(Filter::image_type(ImageType::Shared))
        .send()
        .await
        .unwrap();
    assert!(shared.images.is_empty());
}

#[tokio::test]
async fn errors_convert_to_the_core_error() {
    let seed = TencentSeed::demo();
    let fake = TencentFake::start_with_seed(seed.clone()).await;
    let err = client(&fake, 1, &seed)
        .share_image()
        .image_id(&seed.images[0].image_id)
        .account_id("100000000009")
        .send()
        .await
        .unwrap_err();
    assert!(err.is_image_not_owned(), "{err}");
    let core: imgshare::Error = err.into();
    assert_eq!(
        core.code(),
        Some("UnauthorizedOperation.ImageNotBelongToAccount")
    );
    assert!(core.request_id().is_some());
}
