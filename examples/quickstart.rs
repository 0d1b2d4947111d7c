//! Quickstart: starts the imgshare fakes of Tencent Cloud, NAVER Cloud and SCP in this process
//! (one address) and, on each, shares an image, lists its shares and unshares it, over real
//! HTTP with real signatures; then applies a sharing plan across all three twice (the second
//! run must change nothing). Needs no cloud account and no network.
//!
//! Every step checks its result: the process exits non-zero when any step fails or a listing
//! does not show what the step before it did, so CI running it is a test.
//!
//! ```sh
//! cargo run --example quickstart
//! ```
//!
//! Against the real cloud, drop the fake and the endpoint, and take keys from the environment
//! (see `examples/tencent_share.rs`).

use std::process::ExitCode;
use std::sync::Arc;

use imgshare::plan::{ApplyOptions, ApplyReport, Connected, Plan};
use imgshare::tencent::{Client, Config, Filter, ImageType};
use imgshare::{Credentials, ImageSharing};
use imgshare_testkit::{NcloudFake, NcloudSeed, ScpFake, ScpSeed, TencentFake, TencentSeed};

/// Any failed step; `main` prints it and exits non-zero.
type Failure = Box<dyn std::error::Error>;

/// Fails the run with `what` unless `ok`: a listing that contradicts the step before it is a
/// failure even though no call returned an error.
fn check(ok: bool, what: impl Into<String>) -> Result<(), Failure> {
    if ok { Ok(()) } else { Err(what.into().into()) }
}

fn key(id: &str, secret: &str) -> Result<Credentials, Failure> {
    Ok(Credentials::new(id, secret, None, "quickstart").map_err(imgshare::Error::from)?)
}

fn client_for(fake: &TencentFake, secret_id: &str, secret_key: &str) -> Result<Client, Failure> {
    Ok(Client::new(
        Config::builder()
            .region("ap-guangzhou")
            .endpoint_url(fake.uri())
            .credentials(key(secret_id, secret_key)?)
            .build()?,
    )?)
}

async fn run() -> Result<(), Failure> {
    let seed = TencentSeed::demo();
    let fake = TencentFake::start_with_seed(seed.clone()).await;
    let ncloud_seed = NcloudSeed::demo();
    let scp_seed = ScpSeed::demo();
    let server = fake
        .mock_server()
        .ok_or("the Tencent fake has no server to mount the other fakes on")?;
    let _ncloud_fake = NcloudFake::mount_on(server, ncloud_seed.clone()).await;
    let _scp_fake = ScpFake::mount_on(server, scp_seed.clone()).await;
    println!(
        "fake Tencent Cloud, NAVER Cloud and SCP APIs at {}\n",
        fake.uri()
    );

    let owner_client = tencent(&fake, &seed).await?;

    let n = &ncloud_seed.accounts[0];
    let ncloud = imgshare::sharing::NcloudServerImages(imgshare::ncloud::Client::new(
        imgshare::ncloud::Config::builder()
            .endpoint_url(fake.uri())
            .credentials(key(&n.access_key, &n.secret_key)?)
            .build()?,
    )?);
    let s = &scp_seed.accounts[0];
    let scp = imgshare::scp::Client::new(
        imgshare::scp::Config::builder()
            .endpoint_url(fake.uri())
            .credentials(key(&s.access_key, &s.secret_key)?)
            .build()?,
    )?;
    // NAVER Cloud and SCP through the provider-neutral interface (the same three calls).
    round_trip(
        "NAVER Cloud",
        &ncloud,
        &ncloud_seed.images[0].image_no,
        &ncloud_seed.accounts[1].login_id,
    )
    .await?;
    round_trip(
        "SCP",
        &scp,
        &scp_seed.images[0].id,
        &scp_seed.accounts[1].account_id,
    )
    .await?;

    let connected = Connected::new()
        .with_sharing("tencent", Arc::new(owner_client), 10.0)
        .with_sharing("ncloud", Arc::new(ncloud), 10.0)
        .with_sharing("scp", Arc::new(scp), 10.0);
    plan_across_clouds(&connected).await
}

/// Tencent with its own typed client: share → list → the recipient sees it → unshare → list.
async fn tencent(fake: &TencentFake, seed: &TencentSeed) -> Result<Client, Failure> {
    let owner = &seed.accounts[0];
    let recipient = &seed.accounts[1];
    let image = &seed.images[0].image_id;
    println!(
        "Tencent: owner account {}, recipient account {}",
        owner.account_id, recipient.account_id
    );

    let owner_client = client_for(fake, &owner.secret_id, &owner.secret_key)?;
    let recipient_client = client_for(fake, &recipient.secret_id, &recipient.secret_key)?;

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
    check(
        list.share_permissions
            .iter()
            .any(|p| p.account_id == recipient.account_id),
        format!(
            "tencent: {image}'s shares do not list {}",
            recipient.account_id
        ),
    )?;

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
    check(
        seen.iter().any(|i| &i.image_id == image),
        format!("tencent: the recipient does not see {image}"),
    )?;

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
    check(
        list.share_permissions.is_empty(),
        format!("tencent: {image} is still shared after the unshare"),
    )?;

    // Errors carry Tencent's code, message and request id.
    match owner_client
        .describe_image_share_permission()
        .image_id("img-missing1")
        .send()
        .await
    {
        Err(e) => println!("6. a missing image gives a typed error: {e}\n"),
        Ok(_) => return Err("tencent: a missing image was answered without an error".into()),
    }
    Ok(owner_client)
}

/// Share → list → unshare → list on one provider through [`ImageSharing`].
async fn round_trip(
    name: &str,
    sharing: &dyn ImageSharing,
    image: &str,
    account: &str,
) -> Result<(), Failure> {
    let accounts = [account.to_owned()];
    sharing.share(image, &accounts).await?;
    println!("{name}: 1. shared {image} with {account}");
    let shares = sharing.list_shares(image).await?;
    for share in &shares {
        println!("     {} ({:?})", share.account, share.state);
    }
    check(
        shares.iter().any(|s| s.account == account),
        format!("{name}: {image}'s shares do not list {account}"),
    )?;
    sharing.unshare(image, &accounts).await?;
    let shares = sharing.list_shares(image).await?;
    println!(
        "{name}: 2. unshared it; {image} is now shared with {} account(s)\n",
        shares.len()
    );
    check(
        !shares.iter().any(|s| s.account == account),
        format!("{name}: {image} is still shared with {account} after the unshare"),
    )
}

/// A sharing plan (docs/PLANS.md) applied across all three clouds' fakes, twice: the first run
/// must reach the plan, the second must find nothing to change.
async fn plan_across_clouds(connected: &Connected) -> Result<(), Failure> {
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
    // `plan.connect()` builds the clients from the plan (credentials from the environment or a
    // profile); here they are the clients above, with the fakes' TEST keys.
    let plan = Plan::parse(text, "quickstart plan")?;
    let first = plan.apply(connected, &ApplyOptions::default()).await?;
    print_report("7. a plan across three clouds", &first);
    check(
        first.is_complete(),
        "plan: the first run left images incomplete",
    )?;
    check(
        first.images.iter().all(|i| !i.added.is_empty()),
        "plan: the first run shared nothing on some image",
    )?;
    let second = plan.apply(connected, &ApplyOptions::default()).await?;
    print_report("8. the same plan again", &second);
    check(
        second.is_complete(),
        "plan: the second run left images incomplete",
    )?;
    check(!second.changed(), "plan: the second run changed something")?;
    check(
        second
            .images
            .iter()
            .zip(&first.images)
            .all(|(again, once)| again.unchanged.len() == once.added.len()),
        "plan: the second run does not find the first run's shares",
    )
}

fn print_report(round: &str, report: &ApplyReport) {
    println!("{round}:");
    for i in &report.images {
        println!(
            "     {} {}: added {:?}, removed {:?}, unchanged {:?}, failed {}{}",
            i.provider,
            i.image,
            i.added,
            i.removed,
            i.unchanged,
            i.failed.len(),
            i.error
                .as_deref()
                .map(|e| format!(" ({e})"))
                .unwrap_or_default()
        );
    }
}

#[tokio::main]
async fn main() -> ExitCode {
    match run().await {
        Ok(()) => {
            println!("\nevery step succeeded");
            ExitCode::SUCCESS
        }
        Err(e) => {
            eprintln!("error: {e}");
            ExitCode::FAILURE
        }
    }
}
