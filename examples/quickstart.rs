//! Quickstart: starts the imgshare fake of Tencent Cloud in this process and runs
//! share → list → (recipient sees it) → unshare → list against it, over real HTTP with real
//! TC3 signatures. Needs no cloud account and no network.
//!
//! ```sh
//! cargo run --example quickstart
//! ```
//!
//! Against the real cloud, drop the fake and the endpoint, and take keys from the environment
//! (see `examples/tencent_share.rs`).

use std::process::ExitCode;

use imgshare::Credentials;
use imgshare::tencent::{Client, Config, Filter, ImageType, TencentError};
use imgshare_testkit::{Seed, TencentFake};

fn client_for(
    fake: &TencentFake,
    secret_id: &str,
    secret_key: &str,
) -> Result<Client, TencentError> {
    let credentials = Credentials::new(secret_id, secret_key, None, "quickstart")
        .map_err(imgshare::Error::from)?;
    Client::new(
        Config::builder()
            .region("ap-guangzhou")
            .endpoint_url(fake.uri())
            .credentials(credentials)
            .build()?,
    )
}

async fn run() -> Result<(), TencentError> {
    let seed = Seed::demo();
    let fake = TencentFake::start_with_seed(seed.clone()).await;
    let owner = &seed.accounts[0];
    let recipient = &seed.accounts[1];
    let image = &seed.images[0].image_id;
    println!("fake Tencent Cloud CVM API at {}", fake.uri());
    println!(
        "owner account {}, recipient account {}\n",
        owner.account_id, recipient.account_id
    );

    let owner_client = client_for(&fake, &owner.secret_id, &owner.secret_key)?;
    let recipient_client = client_for(&fake, &recipient.secret_id, &recipient.secret_key)?;

    let out = owner_client
        .share_image()
        .image_id(image)
        .account_id(&recipient.account_id)
        .send()
        .await?;
    println!(
        "1. shared {image} with {} (request id {})",
        recipient.account_id, out.request_id
    );

    let list = owner_client
        .describe_image_share_permission()
        .image_id(image)
        .send()
        .await?;
    println!("2. {image} is shared with:");
    for share in &list.share_permissions {
        println!(
            "     {} since {}",
            share.account_id,
            share.created_time.as_deref().unwrap_or("?")
        );
    }

    let seen = recipient_client
        .describe_images()
        .filter(Filter::image_type(ImageType::Shared))
        .into_paginator()
        .collect_all()
        .await?;
    println!("3. the recipient sees {} shared image(s):", seen.len());
    for img in &seen {
        println!(
            "     {} {:?} ({})",
            img.image_id, img.image_name, img.image_type
        );
    }

    owner_client
        .unshare_image()
        .image_id(image)
        .account_id(&recipient.account_id)
        .send()
        .await?;
    println!("4. unshared {image} from {}", recipient.account_id);

    let list = owner_client
        .describe_image_share_permission()
        .image_id(image)
        .send()
        .await?;
    println!(
        "5. {image} is now shared with {} account(s)",
        list.share_permissions.len()
    );

    // Errors carry Tencent's code, message and request id.
    let err = owner_client
        .describe_image_share_permission()
        .image_id("img-missing1")
        .send()
        .await
        .err();
    if let Some(e) = err {
        println!("6. a missing image gives a typed error: {e}");
    }
    Ok(())
}

#[tokio::main]
async fn main() -> ExitCode {
    match run().await {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("error: {e}");
            ExitCode::FAILURE
        }
    }
}
