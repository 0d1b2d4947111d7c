//! Shares a NAVER Cloud Platform VPC server image with the accounts (login ids) given on the
//! command line, then prints whom the image is shared with. A template to copy into your
//! service.
//!
//! ```sh
//! export NCLOUD_ACCESS_KEY_ID=... NCLOUD_SECRET_ACCESS_KEY=...   # or ~/.ncloud/configure
//! export NCLOUD_REGION=KR                                          # optional
//! cargo run --features ncloud --example ncloud_share -- 10000001 user@example.com
//! ```
//!
//! Set `IMGSHARE_ENDPOINT` (or `NCLOUD_API_GW`, as the official SDKs read it) to
//! `http://127.0.0.1:PORT` to aim it at a local NCP fake (`imgshare-fake serve`).

use std::process::ExitCode;

use imgshare::ncloud::{Client, Config, NcloudError};

async fn run(image_no: String, login_ids: Vec<String>) -> Result<(), NcloudError> {
    // Endpoint from NCLOUD_API_GW (or NCLOUD_SITE), region from NCLOUD_REGION, credentials from
    // the environment, ~/.ncloud/configure or the server's Server Role.
    let client = Client::new(Config::from_env().build()?)?;

    let shared = match client
        .add_server_image_sharing_permission()
        .server_image_no(&image_no)
        .set_target_login_ids(Some(login_ids))
        .send()
        .await
    {
        Ok(out) => out,
        // Branch on what the caller can fix.
        Err(e) if e.is_auth_failure() => {
            eprintln!("check NCLOUD_ACCESS_KEY_ID / NCLOUD_SECRET_ACCESS_KEY");
            return Err(e);
        }
        Err(e) if e.is_image_not_found() => {
            eprintln!("no image {image_no} in this region");
            return Err(e);
        }
        Err(e) => return Err(e),
    };
    println!("shared {image_no} (request id {})", shared.request_id);

    let detail = client
        .get_server_image_detail()
        .server_image_no(&image_no)
        .send()
        .await?;
    for image in &detail.server_image_list {
        println!(
            "{} ({}) is shared with {} account(s):",
            image.server_image_no,
            image.server_image_name,
            image.shared_login_id_list.len()
        );
        for id in &image.shared_login_id_list {
            println!("  {id}");
        }
    }
    if let Some(code) = detail
        .server_image_list
        .first()
        .and_then(|i| i.share_status())
    {
        println!("share status: {code}");
    }
    Ok(())
}

#[tokio::main(flavor = "current_thread")]
async fn main() -> ExitCode {
    let mut args = std::env::args().skip(1);
    let (Some(image_no), login_ids) = (args.next(), args.collect::<Vec<_>>()) else {
        eprintln!("usage: ncloud_share IMAGE_NO LOGIN_ID...");
        return ExitCode::from(2);
    };
    match run(image_no, login_ids).await {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            // Display carries NCP's code, message and request id (and a hint when the fix is
            // usually on the caller's side).
            eprintln!("error: {e}");
            ExitCode::FAILURE
        }
    }
}
