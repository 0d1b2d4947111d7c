//! Shares a Samsung Cloud Platform v2 image with the accounts given on the command line, then
//! prints the image's members. A template to copy into your service.
//!
//! ```sh
//! export SCP_ACCESS_KEY=... SCP_SECRET_KEY=...   # or ~/.scpconf/credentials.json
//! export SCP_REGION=kr-west1 SCP_ENVIRONMENT=e   # or default-region in ~/.scpconf/config.json
//! cargo run --features scp --example scp_share -- 70a599e0-31e7-49b7-b260-868f441e862b a8f10467abfc4b87b64614ab36eb9ae4
//! ```
//!
//! Set `IMGSHARE_ENDPOINT` (or `SCP_ENDPOINT_OVERRIDE`) to `http://127.0.0.1:PORT` to aim it at
//! a local fake (`imgshare-fake serve`), with that fake's test keys in `SCP_ACCESS_KEY` /
//! `SCP_SECRET_KEY`.

use std::process::ExitCode;

use imgshare::scp::{Client, Config, ErrorMetadata, ScpError, ShareOutcome, Visibility};

async fn run(image_id: String, accounts: Vec<String>) -> Result<(), ScpError> {
    // Region, environment, endpoint override and API version from the environment, then
    // ~/.scpconf/config.json; credentials from the default chain.
    let client = Client::new(Config::load().await?.build()?)?;

    // SCP shares only images whose visibility is `shared`.
    let image = client.show_image().image_id(&image_id).send().await?;
    if image.visibility != Visibility::Shared {
        client
            .update_image()
            .image_id(&image_id)
            .visibility(Visibility::Shared)
            .send()
            .await?;
        println!("set {image_id} visibility to shared");
    }

    for account in &accounts {
        // `share` never repeats the add after an ambiguous failure, and reports a 409 as
        // "already a member" once show member confirms it: safe to call again.
        match client.share(&image_id, account).await {
            Ok(ShareOutcome::Added(m)) => println!("shared with {} ({})", m.member_id, m.status),
            Ok(outcome) => println!(
                "{} already is a member ({})",
                account,
                outcome.member().status
            ),
            Err(e) if e.is_throttling() => {
                eprintln!("throttled sharing with {account}; try again later: {e}");
                return Err(e);
            }
            Err(e) => return Err(e),
        }
    }

    let members = client
        .list_image_members()
        .image_id(&image_id)
        .send()
        .await?;
    println!("{image_id} has {} member(s):", members.members.len());
    for m in &members.members {
        println!("  {}  {}", m.member_id, m.status);
    }
    Ok(())
}

#[tokio::main(flavor = "current_thread")]
async fn main() -> ExitCode {
    let mut args = std::env::args().skip(1);
    let (Some(image_id), accounts) = (args.next(), args.collect::<Vec<_>>()) else {
        eprintln!("usage: scp_share IMAGE_ID ACCOUNT_ID...");
        return ExitCode::from(2);
    };
    match run(image_id, accounts).await {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            // Display carries SCP's code, detail and request id, and a hint where one helps.
            eprintln!("error: {e}");
            ExitCode::FAILURE
        }
    }
}
