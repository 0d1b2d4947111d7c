//! Keeps one Tencent Cloud image shared with exactly the accounts given on the command line:
//! shares the missing ones, unshares the others, and prints what it did. Running it again
//! changes nothing. A template for a periodic job.
//!
//! ```sh
//! export TENCENTCLOUD_SECRET_ID=... TENCENTCLOUD_SECRET_KEY=... TENCENTCLOUD_REGION=ap-guangzhou
//! cargo run --example reconcile -- img-6pb6lrmy 100000000002 100000000003
//! ```
//!
//! Against the local fake: `cargo run -p imgshare-fake -- serve --port 9000`, then
//! `IMGSHARE_ENDPOINT=http://127.0.0.1:9000` with the fake's TEST keys, e.g.
//! `cargo run --example reconcile -- img-demo0001 100000000002`.

use std::process::ExitCode;

use imgshare::connect::{self, Overrides};
use imgshare::plan::{ProviderKind, ProviderSpec};
use imgshare::sharing::reconcile;

#[tokio::main(flavor = "current_thread")]
async fn main() -> ExitCode {
    let mut args = std::env::args().skip(1);
    let (Some(image), accounts) = (args.next(), args.collect::<Vec<_>>()) else {
        eprintln!("usage: reconcile IMAGE_ID [ACCOUNT_ID...]   (no accounts: unshare all)");
        return ExitCode::from(2);
    };
    // The CLI's resolver: region and endpoint from the environment, else the defaults; the
    // default credentials chain (assuming TENCENTCLOUD_ROLE_ARN when set).
    let spec = ProviderSpec::new("tencent", ProviderKind::Tencent);
    let client = match connect::tencent(&spec, &Overrides::default()).await {
        Ok(connection) => {
            if let Some(notice) = connect::notice([&connection.target]) {
                eprintln!("reconcile: {notice}");
            }
            connection.client
        }
        Err(e) => {
            eprintln!("error: {e}");
            return ExitCode::from(2);
        }
    };
    match reconcile(&client, &image, &accounts).await {
        Ok(report) => {
            println!("added:     {:?}", report.added);
            println!("removed:   {:?}", report.removed);
            println!("unchanged: {:?}", report.unchanged);
            for failed in &report.failed {
                // The shares were read back: these accounts really are not as desired.
                eprintln!("failed {:?}: {}", failed.accounts, failed.error);
            }
            if report.is_complete() {
                ExitCode::SUCCESS
            } else {
                ExitCode::FAILURE
            }
        }
        Err(e) => {
            eprintln!("error: {e}");
            ExitCode::FAILURE
        }
    }
}
