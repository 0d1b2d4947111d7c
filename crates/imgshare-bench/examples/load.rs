//! Load: one client shared by many tasks. 1,000 tasks run at once, each making 3
//! `DescribeImageSharePermission` calls one after another, against the Tencent fake (rate limit
//! off) over loopback; prints the wall time, latency percentiles, failures, retries (requests the
//! fake received beyond one per call: a call that succeeded on a retry is no failure, but it is
//! not free either), the TCP connections the client opened, and the process's peak resident
//! memory. Not a timed test: run it by hand,
//! `cargo run --release -p imgshare-bench --example load [-- TASKS CALLS_PER_TASK]`.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::time::{Duration, Instant};

use imgshare_core::Credentials;
use imgshare_tencent::{Client, Config};
use imgshare_testkit::{TencentFake, TencentSeed};

#[tokio::main(flavor = "multi_thread")]
async fn main() {
    let args: Vec<usize> = std::env::args()
        .skip(1)
        .filter_map(|a| a.parse().ok())
        .collect();
    let tasks = args.first().copied().unwrap_or(1000);
    let calls = args.get(1).copied().unwrap_or(3);

    let seed = TencentSeed::demo();
    let fake = TencentFake::start_with_seed(seed.clone()).await;
    fake.set_rate_limit(None);
    let owner = &seed.accounts[0];
    let image = seed
        .images
        .iter()
        .find(|i| i.owner_account_id == owner.account_id)
        .unwrap()
        .image_id
        .clone();
    let client = Client::new(
        Config::builder()
            .region("ap-guangzhou")
            .endpoint_url(fake.uri())
            .credentials(
                Credentials::new(&owner.secret_id, owner.secret_key.as_str(), None, "test")
                    .unwrap(),
            )
            .build()
            .unwrap(),
    )
    .unwrap();

    let started = Instant::now();
    let mut handles = Vec::with_capacity(tasks);
    for _ in 0..tasks {
        let client = client.clone();
        let image = image.clone();
        handles.push(tokio::spawn(async move {
            let mut latencies = Vec::with_capacity(calls);
            let mut failures = 0usize;
            for _ in 0..calls {
                let t = Instant::now();
                match client
                    .describe_image_share_permission()
                    .image_id(&image)
                    .send()
                    .await
                {
                    Ok(_) => latencies.push(t.elapsed()),
                    Err(_) => failures += 1,
                }
            }
            (latencies, failures)
        }));
    }
    let mut latencies: Vec<Duration> = Vec::with_capacity(tasks * calls);
    let mut failures = 0;
    for handle in handles {
        let (l, f) = handle.await.unwrap();
        latencies.extend(l);
        failures += f;
    }
    let wall = started.elapsed();
    latencies.sort();
    let pct = |p: f64| {
        latencies
            .get(((latencies.len() as f64 - 1.0) * p) as usize)
            .copied()
            .unwrap_or_default()
    };
    let port = fake.address().port();
    // Every attempt reaches the fake's log, so attempts beyond one per call are retries.
    let retries = fake.request_count().saturating_sub(tasks * calls);
    println!(
        "calls {} ({} tasks x {}), failures {}, retries {}, wall {:.2} s, {:.0} calls/s",
        tasks * calls,
        tasks,
        calls,
        failures,
        retries,
        wall.as_secs_f64(),
        (tasks * calls) as f64 / wall.as_secs_f64()
    );
    println!(
        "latency p50 {:.1} ms, p99 {:.1} ms, max {:.1} ms",
        pct(0.50).as_secs_f64() * 1e3,
        pct(0.99).as_secs_f64() * 1e3,
        pct(1.0).as_secs_f64() * 1e3
    );
    println!(
        "client TCP connections to the fake still open (pooled): {}",
        connections_to(port)
    );
    println!(
        "peak resident memory of the process (fake included): {} KiB",
        peak_rss_kib()
    );
    println!("requests the fake received: {}", fake.request_count());
}

/// Established TCP sockets whose remote port is `port` (Linux `/proc/net/tcp`): the client's
/// side of each connection to the fake.
fn connections_to(port: u16) -> usize {
    let table = std::fs::read_to_string("/proc/net/tcp").unwrap_or_default();
    let wanted = format!(":{port:04X}");
    table
        .lines()
        .skip(1)
        .filter(|line| {
            let cols: Vec<&str> = line.split_whitespace().collect();
            cols.len() > 3 && cols[2].ends_with(&wanted) && cols[3] == "01"
        })
        .count()
}

/// `VmHWM` from `/proc/self/status`.
fn peak_rss_kib() -> u64 {
    std::fs::read_to_string("/proc/self/status")
        .unwrap_or_default()
        .lines()
        .find_map(|l| l.strip_prefix("VmHWM:"))
        .and_then(|v| v.trim().trim_end_matches("kB").trim().parse().ok())
        .unwrap_or(0)
}
