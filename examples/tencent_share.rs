//! Shares a Tencent Cloud image with the accounts given on the command line, then prints who
//! the image is shared with. A template to copy into your service.
//!
//! ```sh
//! export TENCENTCLOUD_SECRET_ID=AKID... TENCENTCLOUD_SECRET_KEY=...   # or ~/.tencentcloud/credentials
//! export TENCENTCLOUD_REGION=ap-guangzhou
//! cargo run --example tencent_share -- img-6pb6lrmy 100000000002 100000000003
//! ```
//!
//! Set `IMGSHARE_ENDPOINT=http://127.0.0.1:PORT` to aim it at `imgshare-fake serve` (read by
//! `Config::from_env`, as by the CLI). Safe to re-run: accounts already shared with are reported.

use std::process::ExitCode;

use imgshare::tencent::{Client, Config, TencentError};

async fn run(image_id: String, accounts: Vec<String>) -> Result<(), TencentError> {
    // Region from TENCENTCLOUD_REGION, endpoint from IMGSHARE_ENDPOINT, credentials from the
    // default chain (environment, profile file, CVM instance role, TKE OIDC).
    let client = Client::new(Config::from_env().build()?)?;

    let outcome = client.share_image_with(&image_id, accounts).await?;
    println!(
        "shared {image_id} with {:?}; already shared with {:?}",
        outcome.newly_shared, outcome.already_shared
    );

    let list = client
        .describe_image_share_permission()
        .image_id(&image_id)
        .send()
        .await?;
    println!(
        "{image_id} is shared with {} account(s):",
        list.share_permissions.len()
    );
    for share in &list.share_permissions {
        println!(
            "  {}  since {}",
            share.account_id,
            share.created_time.as_deref().unwrap_or("?")
        );
    }
    Ok(())
}

#[tokio::main(flavor = "current_thread")]
async fn main() -> ExitCode {
    let mut args = std::env::args().skip(1);
    let (Some(image_id), accounts) = (args.next(), args.collect::<Vec<_>>()) else {
        eprintln!("usage: tencent_share IMAGE_ID ACCOUNT_ID...");
        return ExitCode::from(2);
    };
    match run(image_id, accounts).await {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            // Display carries Tencent's code, message and request id.
            eprintln!("error: {e}");
            ExitCode::FAILURE
        }
    }
}
