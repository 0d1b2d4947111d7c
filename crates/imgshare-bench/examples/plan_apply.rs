//! Plan apply against the rate limit: a sharing plan of 100 Tencent images x 5 accounts, generated
//! here, applied with `Plan::apply` against the in-process Tencent fake with its documented
//! limits on (10 requests/s per action and account for `DescribeImageSharePermission` and
//! `ModifyImageSharePermission`). Prints the wall time of `apply`, the calls the fake received per
//! action, the rate-limit bound (the busiest action's calls / its limit: no client that stays
//! under the limit can be faster), wall / bound, and how many `RequestLimitExceeded` answers the
//! fake gave (the goal is none: throttling avoided, not retried).
//!
//! Not a timed test: run it by hand,
//! `cargo run --release -p imgshare-bench --example plan_apply [-- RUNS [IMAGES [ACCOUNTS [CONCURRENCY]]]]`
//! (defaults 1 run, 100 images, 5 accounts, the default `ApplyOptions` concurrency of 4). Each
//! run starts from the same fake state (no shares).

#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::time::Instant;

use imgshare::plan::{ApplyOptions, Plan};
use imgshare_testkit::{TencentAccount, TencentFake, TencentImage, TencentSeed};

const OWNER_ID: &str = "100000000001";
const OWNER_SECRET_ID: &str = "AKIDBENCHOWNER0000000000000000000000";
/// A test key, accepted only by the fake.
const OWNER_SECRET_KEY: &str = "bench-secret-owner-00000000000000";
const ID_VAR: &str = "IMGSHARE_BENCH_TENCENT_SECRET_ID";
const KEY_VAR: &str = "IMGSHARE_BENCH_TENCENT_SECRET_KEY";

fn image_id(i: usize) -> String {
    format!("img-b{i:07}")
}

fn account_id(k: usize) -> String {
    format!("{}", 200_000_000_001u64 + k as u64)
}

/// The plan: one Tencent provider pointing at the fake, credentials from two environment
/// variables, every image shared with the same `accounts` accounts.
fn plan_toml(endpoint: &str, images: usize, accounts: usize) -> String {
    let list: Vec<String> = (0..accounts)
        .map(|k| format!("\"{}\"", account_id(k)))
        .collect();
    let list = list.join(", ");
    let mut text = format!(
        "[providers.tencent]\nregion = \"ap-guangzhou\"\nendpoint = \"{endpoint}\"\n\
         credentials = {{ access_key_env = \"{ID_VAR}\", secret_key_env = \"{KEY_VAR}\" }}\n\
         allowed_accounts = [{list}]\n"
    );
    for i in 0..images {
        write!(
            text,
            "\n[[images]]\nprovider = \"tencent\"\nimage = \"{}\"\naccounts = [{list}]\n",
            image_id(i)
        )
        .unwrap();
    }
    text
}

fn limit_text(fake: &TencentFake, action: &str) -> String {
    fake.rate_limit_for(action)
        .map_or_else(|| "unlimited".to_owned(), |l| l.to_string())
}

fn main() {
    let args: Vec<usize> = std::env::args()
        .skip(1)
        .filter_map(|a| a.parse().ok())
        .collect();
    let runs = args.first().copied().unwrap_or(1).max(1);
    let images = args.get(1).copied().unwrap_or(100);
    let accounts = args.get(2).copied().unwrap_or(5);
    let concurrency = args
        .get(3)
        .copied()
        .unwrap_or(ApplyOptions::default().concurrency);

    // SAFETY: set before the runtime (and any other thread) starts; nothing reads the environment
    // concurrently.
    unsafe {
        std::env::set_var(ID_VAR, OWNER_SECRET_ID);
        std::env::set_var(KEY_VAR, OWNER_SECRET_KEY);
    }

    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .unwrap();
    runtime.block_on(run(runs, images, accounts, concurrency));
}

async fn run(runs: usize, images: usize, accounts: usize, concurrency: usize) {
    let seed = TencentSeed {
        accounts: vec![TencentAccount::new(
            OWNER_ID,
            OWNER_SECRET_ID,
            OWNER_SECRET_KEY,
        )],
        images: (0..images)
            .map(|i| TencentImage::new(image_id(i), OWNER_ID))
            .collect(),
        shares: Vec::new(),
    };
    let fake = TencentFake::start_with_seed(seed).await;
    fake.use_documented_rate_limits();

    let text = plan_toml(&fake.uri(), images, accounts);
    let plan = Plan::parse(&text, "<generated plan>").unwrap();
    println!(
        "plan: {images} Tencent images x {accounts} accounts ({} bytes of TOML), concurrency \
         {concurrency}, fake limits: DescribeImageSharePermission {}/s, \
         ModifyImageSharePermission {}/s",
        text.len(),
        limit_text(&fake, "DescribeImageSharePermission"),
        limit_text(&fake, "ModifyImageSharePermission"),
    );

    let mut ratios = Vec::with_capacity(runs);
    for run in 1..=runs {
        // Same starting state every run: the seed's images, no shares, no requests, fresh
        // rate-limit windows.
        fake.reset();
        fake.use_documented_rate_limits();

        let connected = plan.connect().await.unwrap();
        let options = ApplyOptions::default().concurrency(concurrency);
        let started = Instant::now();
        let report = plan.apply(&connected, &options).await.unwrap();
        let wall = started.elapsed().as_secs_f64();

        let received = fake.received();
        let mut per_action: BTreeMap<String, usize> = BTreeMap::new();
        let mut errors: BTreeMap<String, usize> = BTreeMap::new();
        for r in &received {
            *per_action
                .entry(r.action.clone().unwrap_or_else(|| "(none)".into()))
                .or_default() += 1;
            if let Some(code) = &r.error_code {
                *errors.entry(code.clone()).or_default() += 1;
            }
        }
        let throttled = errors.get("RequestLimitExceeded").copied().unwrap_or(0);
        // The bound: the action whose calls take longest at its documented limit.
        let (busiest, bound) = per_action
            .iter()
            .filter_map(|(action, calls)| {
                let limit = fake.rate_limit_for(action)?;
                Some((action.clone(), *calls as f64 / f64::from(limit)))
            })
            .fold((String::new(), 0.0_f64), |best, (action, secs)| {
                if secs > best.1 { (action, secs) } else { best }
            });
        let ratio = wall / bound;
        ratios.push(ratio);

        let complete = report.is_complete();
        let shared_ok = (0..images).all(|i| fake.shared_accounts(&image_id(i)).len() == accounts);
        println!("run {run}/{runs}:");
        println!("  wall time of Plan::apply: {wall:.3} s");
        println!("  calls the fake received: {} in all", received.len());
        for (action, calls) in &per_action {
            println!(
                "    {action}: {calls} (limit {}/s)",
                limit_text(&fake, action)
            );
        }
        println!(
            "  rate-limit bound: {busiest} {} calls / {}/s = {bound:.3} s",
            per_action.get(&busiest).copied().unwrap_or(0),
            limit_text(&fake, &busiest)
        );
        println!(
            "  wall / bound: {ratio:.3} (goal <= 1.05: {})",
            if ratio <= 1.05 { "met" } else { "NOT met" }
        );
        println!(
            "  RequestLimitExceeded answers: {throttled} (goal 0: {})",
            if throttled == 0 { "met" } else { "NOT met" }
        );
        if errors.len() > usize::from(throttled > 0) {
            println!("  other error answers: {errors:?}");
        }
        println!(
            "  report complete: {complete}; every image shared with {accounts} accounts: {shared_ok}"
        );
    }
    if runs > 1 {
        ratios.sort_by(f64::total_cmp);
        println!(
            "wall / bound over {runs} runs: min {:.3}, median {:.3}, max {:.3}",
            ratios[0],
            ratios[runs / 2],
            ratios[runs - 1]
        );
    }
}
