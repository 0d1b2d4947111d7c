//! Shares a Tencent Cloud image with the accounts given on the command line, then prints who
//! the image is shared with. A template to copy into your service.
//!
//! ```sh
//! export TENCENTCLOUD_SECRET_ID=AKID... TENCENTCLOUD_SECRET_KEY=...   # or ~/.tencentcloud/credentials
//! export TENCENTCLOUD_REGION=ap-guangzhou
//! cargo run --example tencent_share -- img-6pb6lrmy 100000000002 100000000003
//! ```
//!
//! Set `IMGSHARE_ENDPOINT=http://127.0.0.1:PORT` to aim it at `imgshare fake serve`.

use std::process::ExitCode;

use imgshare::tencent::{Client, Config, TencentError};

async fn run(image_id: String, accounts: Vec<String>) -> Result<(), TencentError> {
    // Region from TENCENTCLOUD_REGION, credentials from the environment or the profile file.
    let mut config = Config::from_env();
    if let Ok(endpoint) = std::env::var("IMGSHARE_ENDPOINT") {
        config = config.endpoint_url(endpoint);
    }
    let client = Client::new(config.build()?)?;

    let shared = client
        .share_image()
        .image_id(&image_id)
        .set_account_ids(Some(accounts))
        .send()
        .await?;
    println!("shared {image_id} (request id {})", shared.request_id);

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
