//! `imgshare fake serve`: the testkit's Tencent CVM fake as a standalone server.

use std::net::TcpListener;
use std::path::Path;

use imgshare_core::DisplayErrorContext;
use imgshare_testkit::{Seed, TencentFake};
use serde_json::{Value, json};

use crate::cli::{Cli, OutputFormat};
use crate::failure::{EXIT_OTHER, EXIT_USAGE, Failure};
use crate::output::{emit, json_line, table};

/// The region printed for clients to use; the fake accepts any region.
const DEFAULT_REGION: &str = "ap-guangzhou";

/// What the printout says about the keys.
const TEST_KEYS_NOTE: &str =
    "TEST keys, accepted only by this local fake; they are not Tencent Cloud credentials";

/// Starts the fake, prints where it listens and what it holds, then serves until Ctrl-C or
/// SIGTERM.
pub(crate) async fn serve(cli: &Cli, port: u16, seed_file: Option<&Path>) -> Result<(), Failure> {
    let seed = match seed_file {
        Some(path) => Seed::from_json_file(path)
            .map_err(|e| Failure::Other(EXIT_USAGE, DisplayErrorContext(&e).to_string()))?,
        None => Seed::demo(),
    };
    let listener = TcpListener::bind(("127.0.0.1", port)).map_err(|e| {
        Failure::Other(
            EXIT_OTHER,
            format!("cannot listen on 127.0.0.1:{port}: {e}"),
        )
    })?;
    let fake = TencentFake::start_on(listener, seed).await;
    let region = cli
        .region
        .as_deref()
        .filter(|r| !r.is_empty())
        .unwrap_or(DEFAULT_REGION);
    let text = match cli.output {
        OutputFormat::Json => json_line(&document(&fake, region)),
        OutputFormat::Text => text(&fake, region),
    };
    emit(&text)?;
    tracing::info!(endpoint = %fake.uri(), "fake Tencent CVM endpoint ready");
    shutdown_signal().await?;
    eprintln!(
        "imgshare fake: stopping after {} request(s)",
        fake.request_count()
    );
    Ok(())
}

/// `{"endpoint", "region", "note", "accounts", "images", "shares"}`: the seed's fields with the
/// endpoint in front.
fn document(fake: &TencentFake, region: &str) -> Value {
    let mut document = serde_json::Map::new();
    document.insert("endpoint".into(), json!(fake.uri()));
    document.insert("region".into(), json!(region));
    document.insert("note".into(), json!(TEST_KEYS_NOTE));
    match serde_json::to_value(fake.seed()) {
        Ok(Value::Object(seed)) => document.extend(seed),
        // A Seed always serializes to an object; keep the document valid regardless.
        Ok(other) => {
            document.insert("seed".into(), other);
        }
        Err(e) => {
            document.insert("seed_error".into(), json!(e.to_string()));
        }
    }
    Value::Object(document)
}

/// The human-readable printout.
fn text(fake: &TencentFake, region: &str) -> String {
    let seed = fake.seed();
    let endpoint = fake.uri();
    let mut out = format!(
        "Fake Tencent CVM endpoint: {endpoint}\n\
         Region: any is accepted; use {region}\n\n"
    );
    if seed.accounts.is_empty() {
        out.push_str("Accounts: none\n");
    } else {
        out.push_str(&format!("Accounts ({TEST_KEYS_NOTE}):\n"));
        let rows: Vec<Vec<String>> = seed
            .accounts
            .iter()
            .map(|a| {
                let mut row = vec![
                    format!("  {}", a.account_id),
                    format!("secret id {}", a.secret_id),
                    format!("secret key {}", a.secret_key),
                ];
                if let Some(token) = &a.session_token {
                    row.push(format!("session token {token}"));
                }
                row
            })
            .collect();
        out.push_str(&table(&rows));
    }
    if seed.images.is_empty() {
        out.push_str("\nImages: none\n");
    } else {
        out.push_str("\nImages:\n");
        let rows: Vec<Vec<String>> = seed
            .images
            .iter()
            .map(|i| {
                vec![
                    format!("  {}", i.image_id),
                    format!("owner {}", i.owner_account_id),
                    i.state.clone(),
                    i.name.clone(),
                ]
            })
            .collect();
        out.push_str(&table(&rows));
    }
    if seed.shares.is_empty() {
        out.push_str("\nShares: none\n");
    } else {
        out.push_str("\nShares:\n");
        for (image, account) in &seed.shares {
            out.push_str(&format!("  {image} -> {account}\n"));
        }
    }
    if let (Some(account), Some(image)) = (
        seed.accounts.iter().find(|a| a.session_token.is_none()),
        seed.images.first(),
    ) {
        out.push_str(&format!(
            "\nTry:\n  TENCENTCLOUD_SECRET_ID={} TENCENTCLOUD_SECRET_KEY={} \\\n    \
             imgshare --endpoint {endpoint} --region {region} tencent list --image {}\n",
            account.secret_id, account.secret_key, image.image_id
        ));
    }
    out.push_str("\nServing until Ctrl-C.\n");
    out
}

/// Waits for Ctrl-C, or SIGTERM on Unix.
async fn shutdown_signal() -> Result<(), Failure> {
    let cannot = |e: std::io::Error| {
        Failure::Other(
            EXIT_OTHER,
            format!("cannot wait for a shutdown signal: {e}"),
        )
    };
    #[cfg(unix)]
    {
        use tokio::signal::unix::{SignalKind, signal};
        let mut terminate = signal(SignalKind::terminate()).map_err(cannot)?;
        tokio::select! {
            result = tokio::signal::ctrl_c() => result.map_err(cannot),
            _ = terminate.recv() => Ok(()),
        }
    }
    #[cfg(not(unix))]
    {
        tokio::signal::ctrl_c().await.map_err(cannot)
    }
}
