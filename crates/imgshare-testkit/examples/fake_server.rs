//! Runs the Tencent CVM fake with the demo seed until Ctrl-C.
//!
//! `cargo run -p imgshare-testkit --example fake_server`
//!
//! The keys printed are test keys that only this fake accepts.

use imgshare_testkit::{TencentFake, TencentSeed};

#[tokio::main(flavor = "current_thread")]
async fn main() {
    let seed = TencentSeed::demo();
    let fake = TencentFake::start_with_seed(seed.clone()).await;
    println!("Tencent CVM fake listening on {}", fake.uri());
    println!("Test accounts (not real credentials):");
    for account in &seed.accounts {
        let token = account.session_token.as_deref().unwrap_or("-");
        println!(
            "  {}  SecretId={}  SecretKey={}  Token={token}",
            account.account_id, account.secret_id, account.secret_key
        );
    }
    for image in &seed.images {
        println!("  {} owned by {}", image.image_id, image.owner_account_id);
    }
    println!("Press Ctrl-C to stop.");
    if let Err(e) = tokio::signal::ctrl_c().await {
        eprintln!("cannot wait for Ctrl-C: {e}");
    }
    println!("{} requests served.", fake.request_count());
}
