//! Per-call cost of one `DescribeImageSharePermission`: imgshare's Tencent client next to the
//! official Tencent Cloud Python SDK, both many sequential calls against the same in-process
//! Tencent fake (rate limit off, TC3 signatures checked), in one run. Prints each side's per-call
//! median, p90 and p99 and the ratio of the medians. Both sides pay the same fake and loopback
//! cost, so the ratio understates the difference in client overhead.
//!
//! Needs `pip install tencentcloud-sdk-python-common tencentcloud-sdk-python-cvm` for the
//! interpreter named by `IMGSHARE_BENCH_PYTHON` (default `python3`). Not a timed test: run it by
//! hand, `cargo run --release -p imgshare-bench --example sdk_compare [-- CALLS]` (default 2,000
//! timed calls per side after 50 untimed ones).

#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::process::Command;
use std::time::{Duration, Instant};

use imgshare_core::Credentials;
use imgshare_tencent::{Client, Config};
use imgshare_testkit::{TencentFake, TencentSeed};

const WARMUP: usize = 50;
const SCRIPT: &str = concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/py/describe_share_permission.py"
);

#[derive(Debug, Clone, Copy)]
struct Figures {
    median_us: f64,
    p90_us: f64,
    p99_us: f64,
}

fn figures(mut samples: Vec<Duration>) -> Figures {
    samples.sort();
    let pct = |p: f64| {
        samples
            .get(((samples.len() as f64 - 1.0) * p) as usize)
            .map_or(0.0, |d| d.as_secs_f64() * 1e6)
    };
    let median_us = if samples.len().is_multiple_of(2) && !samples.is_empty() {
        let n = samples.len();
        (samples[n / 2 - 1] + samples[n / 2]).as_secs_f64() * 1e6 / 2.0
    } else {
        pct(0.5)
    };
    Figures {
        median_us,
        p90_us: pct(0.90),
        p99_us: pct(0.99),
    }
}

#[tokio::main(flavor = "multi_thread")]
async fn main() {
    let calls: usize = std::env::args()
        .nth(1)
        .and_then(|a| a.parse().ok())
        .unwrap_or(2000);

    let mut seed = TencentSeed::demo();
    let owner = seed.accounts[0].clone();
    let image = "img-demo0001".to_owned();
    // A listing with two shares, so both clients decode a non-empty answer.
    seed.shares
        .push((image.clone(), seed.accounts[1].account_id.clone()));
    seed.shares
        .push((image.clone(), seed.accounts[2].account_id.clone()));
    let fake = TencentFake::start_with_seed(seed).await;
    fake.set_rate_limit(None);

    // imgshare: one client, sequential calls.
    let client = Client::new(
        Config::builder()
            .region("ap-guangzhou")
            .endpoint_url(fake.uri())
            .credentials(
                Credentials::new(&owner.secret_id, owner.secret_key.as_str(), None, "bench")
                    .unwrap(),
            )
            .build()
            .unwrap(),
    )
    .unwrap();
    let mut samples = Vec::with_capacity(calls);
    for i in 0..WARMUP + calls {
        let started = Instant::now();
        let listing = client
            .describe_image_share_permission()
            .image_id(&image)
            .send()
            .await
            .unwrap();
        let elapsed = started.elapsed();
        assert_eq!(listing.share_permissions.len(), 2);
        if i >= WARMUP {
            samples.push(elapsed);
        }
    }
    let ours = figures(samples);
    let before_python = fake.request_count();

    // The Python SDK, in a child process, against the same fake (which keeps serving on this
    // runtime's workers meanwhile).
    let python = std::env::var("IMGSHARE_BENCH_PYTHON").unwrap_or_else(|_| "python3".into());
    let endpoint = fake.address().to_string();
    let output = tokio::task::spawn_blocking(move || {
        Command::new(python)
            .arg(SCRIPT)
            .env("IMGSHARE_BENCH_ENDPOINT", endpoint)
            .env("IMGSHARE_BENCH_SECRET_ID", &owner.secret_id)
            .env("IMGSHARE_BENCH_SECRET_KEY", &owner.secret_key)
            .env("IMGSHARE_BENCH_IMAGE", "img-demo0001")
            .env("IMGSHARE_BENCH_CALLS", calls.to_string())
            .env("IMGSHARE_BENCH_WARMUP", WARMUP.to_string())
            .output()
    })
    .await
    .unwrap();

    println!(
        "DescribeImageSharePermission, {calls} sequential calls per client after {WARMUP} untimed, against the in-process Tencent fake (TC3 checked, rate limit off):"
    );
    println!(
        "  imgshare (Rust):    median {:.1} us, p90 {:.1} us, p99 {:.1} us",
        ours.median_us, ours.p90_us, ours.p99_us
    );
    let output = match output {
        Ok(o) if o.status.success() => o,
        Ok(o) => {
            println!(
                "  Python SDK: failed ({}): {}",
                o.status,
                String::from_utf8_lossy(&o.stderr).trim()
            );
            return;
        }
        Err(e) => {
            println!("  Python SDK: could not start the interpreter: {e}");
            return;
        }
    };
    let line = String::from_utf8_lossy(&output.stdout);
    let theirs: serde_json::Value = serde_json::from_str(line.trim()).unwrap();
    let get = |k: &str| theirs[k].as_f64().unwrap_or(f64::NAN);
    println!(
        "  Python SDK:         median {:.1} us, p90 {:.1} us, p99 {:.1} us ({} calls, {} failures)",
        get("median_us"),
        get("p90_us"),
        get("p99_us"),
        theirs["calls"],
        theirs["failures"]
    );
    if let Some(e) = theirs["first_error"].as_str() {
        println!("  Python SDK first error: {e}");
    }
    let python_requests = fake.request_count() - before_python;
    let errors = fake
        .received()
        .iter()
        .filter(|r| r.error_code.is_some())
        .count();
    println!(
        "  median ratio imgshare / Python SDK: {:.3} (Python SDK / imgshare: {:.1}x)",
        ours.median_us / get("median_us"),
        get("median_us") / ours.median_us
    );
    println!(
        "  requests the fake received: {} (Python: {python_requests}), error answers: {errors}",
        fake.request_count()
    );
}
