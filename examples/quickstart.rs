//! Quickstart: starts the imgshare fake of Tencent Cloud in this process and runs
//! share → list → (recipient sees it) → unshare → list against it, over real HTTP with real
//! TC3 signatures; then applies a sharing plan across fakes of all three clouds (Tencent,
//! NAVER Cloud, SCP) on the same address. Needs no cloud account and no network.
//!
//! ```sh
//! cargo run --example quickstart
//! ```
//!
//! Against the real cloud, drop the fake and the endpoint, and take keys from the environment
//! (see `examples/tencent_share.rs`).

use std::process::ExitCode;

use imgshare::Credentials;
use imgshare::plan::{ApplyOptions, Connected, Plan};
use imgshare::tencent::{Client, Config, Filter, ImageType, TencentError};
use imgshare_testkit::{NcloudFake, NcloudSeed, ScpFake, ScpSeed, TencentFake, TencentSeed};

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
    let seed = TencentSeed::demo();
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

    plan_across_clouds(&fake, &owner_client).await;
    Ok(())
}

/// A sharing plan (docs/PLANS.md) applied across all three clouds' fakes, twice.
async fn plan_across_clouds(fake: &TencentFake, tencent: &Client) {
    let ncloud_seed = NcloudSeed::demo();
    let scp_seed = ScpSeed::demo();
    let Some(server) = fake.mock_server() else {
        return;
    };
    let _ncloud = NcloudFake::mount_on(server, ncloud_seed.clone()).await;
    let _scp = ScpFake::mount_on(server, scp_seed.clone()).await;
    let text = r#"
        [providers.tencent]
        region = "ap-guangzhou"
        allowed_accounts = ["100000000002", "100000000003"]
        [providers.ncloud]
        [providers.scp]

        [[images]]
        provider = "tencent"
        image = "img-demo0002"
        accounts = ["100000000002", "100000000003"]
        [[images]]
        provider = "ncloud"
        image = "10000001"
        accounts = ["recipient@imgshare.test"]
        [[images]]
        provider = "scp"
        image = "00000000-0000-4000-8000-0000000000a1"
        accounts = ["bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb2"]
    "#;
    let plan = match Plan::parse(text, "quickstart plan") {
        Ok(plan) => plan,
        Err(e) => return eprintln!("plan: {e}"),
    };
    // `plan.connect()` builds the clients from the plan (credentials from the environment or a
    // profile); here they get the fakes' TEST keys directly.
    let n = &ncloud_seed.accounts[0];
    let s = &scp_seed.accounts[0];
    let clients = (|| -> Result<Connected, String> {
        let key = |id: &str, secret: &str| {
            Credentials::new(id, secret, None, "quickstart").map_err(|e| e.to_string())
        };
        let ncloud = imgshare::ncloud::Client::new(
            imgshare::ncloud::Config::builder()
                .endpoint_url(fake.uri())
                .credentials(key(&n.access_key, &n.secret_key)?)
                .build()
                .map_err(|e| e.to_string())?,
        )
        .map_err(|e| e.to_string())?;
        let scp = imgshare::scp::Client::new(
            imgshare::scp::Config::builder()
                .endpoint_url(fake.uri())
                .credentials(key(&s.access_key, &s.secret_key)?)
                .build()
                .map_err(|e| e.to_string())?,
        )
        .map_err(|e| e.to_string())?;
        Ok(Connected::new()
            .with_sharing("tencent", std::sync::Arc::new(tencent.clone()), 10.0)
            .with_sharing(
                "ncloud",
                std::sync::Arc::new(imgshare::sharing::NcloudServerImages(ncloud)),
                10.0,
            )
            .with_sharing("scp", std::sync::Arc::new(scp), 10.0))
    })();
    let connected = match clients {
        Ok(c) => c,
        Err(e) => return eprintln!("plan: {e}"),
    };
    for round in ["7. a plan across three clouds", "8. the same plan again"] {
        match plan.apply(&connected, &ApplyOptions::default()).await {
            Ok(report) => {
                println!("{round}:");
                for i in &report.images {
                    println!(
                        "     {} {}: added {:?}, unchanged {:?}",
                        i.provider, i.image, i.added, i.unchanged
                    );
                }
            }
            Err(e) => eprintln!("plan: {e}"),
        }
    }
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
