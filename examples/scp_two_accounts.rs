//! The whole SCP v2 sharing flow with two accounts: the owner shares an image, the recipient
//! finds it among its pending images and accepts it, the owner sees the member accepted.
//!
//! ```sh
//! export SCP_REGION=kr-west1
//! export OWNER_ACCESS_KEY=... OWNER_SECRET_KEY=...
//! export RECIPIENT_ACCESS_KEY=... RECIPIENT_SECRET_KEY=... RECIPIENT_ACCOUNT_ID=...
//! cargo run --features scp --example scp_two_accounts -- IMAGE_ID
//! ```
//!
//! Without arguments it starts the testkit's SCP fake with its demo seed and runs against it,
//! so `cargo run --features scp --example scp_two_accounts` works offline. With an image id, the
//! endpoint comes from `SCP_REGION` / `SCP_ENVIRONMENT`, or `SCP_ENDPOINT_OVERRIDE` (e.g. a fake
//! started elsewhere).

use std::process::ExitCode;

use imgshare::scp::{Client, Config, MemberStatus, ScpError};
use imgshare::{Credentials, SecretString};
use imgshare_testkit::{ScpFake, ScpSeed};

fn env(name: &str) -> Option<String> {
    std::env::var(name).ok().filter(|v| !v.is_empty())
}

fn client(
    endpoint: Option<&str>,
    access_key: &str,
    secret_key: &str,
    account_id: Option<&str>,
) -> Result<Client, ScpError> {
    let mut config = Config::from_env().credentials(Credentials::new(
        access_key,
        SecretString::new(secret_key),
        None,
        "example",
    )?);
    if let Some(endpoint) = endpoint {
        config = config.endpoint_url(endpoint);
    }
    if let Some(id) = account_id {
        config = config.account_id(id);
    }
    Client::new(config.build()?)
}

async fn flow(owner: &Client, recipient: &Client, image_id: &str) -> Result<(), ScpError> {
    let recipient_id = recipient
        .config()
        .account_id()
        .unwrap_or_default()
        .to_owned();

    let outcome = owner.share(image_id, &recipient_id).await?;
    println!(
        "owner: shared {image_id} with {recipient_id} (newly added: {}, status {})",
        outcome.is_newly_added(),
        outcome.member().status
    );

    let pending = recipient.list_pending_images().send().await?;
    println!("recipient: {} pending image(s)", pending.images.len());
    for image in pending.images.iter().filter(|i| i.id == image_id) {
        let member = recipient.accept_share(&image.id).await?;
        println!(
            "recipient: {} {} from {}",
            member.status, image.id, image.owner
        );
    }

    let members = owner.list_image_members().image_id(image_id).send().await?;
    for m in &members.members {
        println!("owner: member {} is {}", m.member_id, m.status);
    }
    let accepted = members
        .members
        .iter()
        .any(|m| m.member_id == recipient_id && m.status == MemberStatus::Accepted);
    println!("accepted: {accepted}");
    Ok(())
}

#[tokio::main(flavor = "current_thread")]
async fn main() -> ExitCode {
    let image_arg = std::env::args().nth(1);
    let result = match image_arg {
        Some(image_id) => {
            let (Some(oak), Some(osk), Some(rak), Some(rsk), Some(rid)) = (
                env("OWNER_ACCESS_KEY"),
                env("OWNER_SECRET_KEY"),
                env("RECIPIENT_ACCESS_KEY"),
                env("RECIPIENT_SECRET_KEY"),
                env("RECIPIENT_ACCOUNT_ID"),
            ) else {
                eprintln!(
                    "set OWNER_ACCESS_KEY, OWNER_SECRET_KEY, RECIPIENT_ACCESS_KEY, \
                     RECIPIENT_SECRET_KEY and RECIPIENT_ACCOUNT_ID"
                );
                return ExitCode::from(2);
            };
            async {
                let owner = client(None, &oak, &osk, None)?;
                let recipient = client(None, &rak, &rsk, Some(&rid))?;
                flow(&owner, &recipient, &image_id).await
            }
            .await
        }
        None => {
            // Offline: the testkit's fake and its demo TEST keys (valid only there).
            let fake = ScpFake::start_with_seed(ScpSeed::demo()).await;
            let seed = ScpSeed::demo();
            let (o, r) = (&seed.accounts[0], &seed.accounts[1]);
            println!("using the SCP fake at {}", fake.uri());
            async {
                let uri = fake.uri();
                let owner = client(Some(&uri), &o.access_key, &o.secret_key, None)?;
                let recipient = client(
                    Some(&uri),
                    &r.access_key,
                    &r.secret_key,
                    Some(&r.account_id),
                )?;
                flow(&owner, &recipient, &seed.images[0].id).await
            }
            .await
        }
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("error: {e}");
            ExitCode::FAILURE
        }
    }
}
