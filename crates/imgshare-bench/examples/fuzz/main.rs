//! A property/mutation fuzz run on the stable toolchain (no cargo-fuzz, no AFL): feeds generated
//! and mutated inputs to everything that reads bytes from the network or from a client, and
//! fails on a panic, a hang, or an input that did not get where it was aimed.
//!
//! Inputs (`inputs`) are seeded from the providers' fixtures (`crates/imgshare-core/tests/
//! fixtures/decode/`, `crates/imgshare-ncloud/tests/fixtures/`, `crates/imgshare-tencent/tests/
//! fixtures/`, SCP bodies written here), then mutated: truncations, byte and bit flips, inserted
//! tokens, deleted and duplicated ranges, splices of two seeds, a BOM, plus random bytes and
//! nesting bombs (JSON arrays and objects, XML elements, inside and outside a real envelope).
//!
//! Targets (see `TARGETS`):
//! - the core decoders (`decoders`), `imgshare_core::decode::{decode, decode_root,
//!   decode_output}`, into the providers' public output types, with a JSON, an XML, or a missing
//!   or wrong Content-Type;
//! - each provider's envelope check and output decoding through the public client path
//!   (`clients`): a custom `HttpClient` answers every request with the generated response
//!   (random status, Content-Type, `Date` and `Retry-After` headers) and counts the requests
//!   that reached it: every call must send exactly one;
//! - the fakes' signature verifiers (`verifiers`): `imgshare_testkit::tc3` (parse and verify),
//!   `imgshare_testkit::tencent_v1::verify`, `imgshare_testkit::ncloud::signature`,
//!   `imgshare_testkit::scp::signature`, each on inputs valid up to a chosen stage and broken
//!   there, so that every stage is reached; the verdicts are counted per stage.
//!
//! `cargo run --profile fuzz -p imgshare-bench --example fuzz -- [TOTAL_INPUTS] [SEED]
//! [TIMEOUT_SECS]` (the `fuzz` profile keeps unwinding, which `catch_unwind` needs; `release`
//! aborts on panic; defaults: 10,000,000 inputs split between the targets by weight, seed 1, a
//! 10 s limit per input). It prints executions, time, panics and reach per target and stage,
//! and exits non-zero when an input panicked (written to `target/fuzz-crashes/`), a client call
//! did not reach the HTTP layer (the first ones are named), a verifier stage was never reached
//! or a verdict could not be placed, and with status 3 as soon as one input runs past the limit
//! (written to `target/fuzz-crashes/*-hang-*.bin`).

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod clients;
mod decoders;
mod inputs;
mod verifiers;
mod watchdog;

use std::panic::{self, AssertUnwindSafe};
use std::path::Path;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::time::{Duration, Instant};

use clients::Clients;
use inputs::Gen;
use verifiers::Verifier;
use watchdog::Current;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Target {
    DecodeJson,
    DecodeXml,
    DecodeSniff,
    TencentClient,
    NcloudClient,
    ScpClient,
    Tc3,
    TencentV1,
    NcloudSignature,
    ScpSignature,
}

impl Target {
    fn verifier(self) -> Option<&'static Verifier> {
        match self {
            Target::Tc3 => Some(&verifiers::TC3),
            Target::TencentV1 => Some(&verifiers::TENCENT_V1),
            Target::NcloudSignature => Some(&verifiers::NCLOUD),
            Target::ScpSignature => Some(&verifiers::SCP),
            _ => None,
        }
    }

    fn is_client(self) -> bool {
        matches!(
            self,
            Target::TencentClient | Target::NcloudClient | Target::ScpClient
        )
    }
}

/// Each target and its share of the inputs (in thousandths).
const TARGETS: &[(Target, &str, u64)] = &[
    (Target::DecodeJson, "core decode, JSON Content-Type", 150),
    (Target::DecodeXml, "core decode, XML Content-Type", 150),
    (
        Target::DecodeSniff,
        "core decode, missing/wrong Content-Type",
        120,
    ),
    (
        Target::TencentClient,
        "tencent client (check + decode)",
        120,
    ),
    (Target::NcloudClient, "ncloud client (check + decode)", 120),
    (Target::ScpClient, "scp client (check + decode)", 120),
    (Target::Tc3, "testkit tc3 parse + verify", 60),
    (Target::TencentV1, "testkit tencent_v1 verify", 50),
    (Target::NcloudSignature, "testkit ncloud signature", 50),
    (Target::ScpSignature, "testkit scp signature", 30),
];

/// The most stages a verifier has, plus one for "accepted".
const MAX_VERDICTS: usize = 16;

/// How many client calls that missed the HTTP layer are printed.
const SHOWN: u64 = 10;

#[derive(Default)]
struct Tally {
    executions: AtomicU64,
    /// For the client targets: calls whose request reached the HTTP layer exactly once.
    sent: AtomicU64,
    /// For the client targets: calls that sent no request (or more than one).
    unsent: AtomicU64,
    /// For the verifiers: inputs refused at each stage; the last used slot is "accepted".
    verdicts: [AtomicU64; MAX_VERDICTS],
    /// For the verifiers: answers no stage explains.
    unplaced: AtomicU64,
    panics: AtomicU64,
    nanos: AtomicU64,
}

/// What every target's run shares.
struct Run<'a> {
    seed: u64,
    corpus: Arc<Vec<Vec<u8>>>,
    crashes: &'a Path,
    epoch: Instant,
}

fn run_target(target: Target, name: &str, count: u64, run: &Run<'_>, tally: &Tally, now: &Current) {
    let mut g = Gen {
        rng: fastrand::Rng::with_seed(run.seed),
        corpus: run.corpus.clone(),
    };
    let clients = target.is_client().then(Clients::new);
    let started = Instant::now();
    for i in 0..count {
        // Everything random is drawn before the call, so a crash or hang can be written out.
        let (input, outcome) = match target {
            Target::DecodeJson | Target::DecodeXml | Target::DecodeSniff => {
                let body = g.body();
                let ct = match target {
                    Target::DecodeJson => Some("application/json".to_owned()),
                    Target::DecodeXml => Some("application/xml".to_owned()),
                    _ => g.content_type(),
                };
                let which = g.rng.u8(..48);
                now.begin(run.epoch, i, &body);
                let outcome = panic::catch_unwind(|| {
                    decoders::decode_any(ct.as_deref(), &body, which);
                });
                (body, outcome)
            }
            Target::TencentClient | Target::NcloudClient | Target::ScpClient => {
                let response = g.response();
                let op = g.rng.u8(..);
                let body = response.body.clone();
                let clients = clients.as_ref().unwrap();
                now.begin(run.epoch, i, &body);
                let before = clients.http.sent.load(Ordering::Relaxed);
                let outcome =
                    panic::catch_unwind(AssertUnwindSafe(|| clients.run(target, op, response)));
                let sent = clients.http.sent.load(Ordering::Relaxed) - before;
                if sent == 1 {
                    tally.sent.fetch_add(1, Ordering::Relaxed);
                } else if let Ok((op, error)) = &outcome {
                    let n = tally.unsent.fetch_add(1, Ordering::Relaxed);
                    if n < SHOWN {
                        eprintln!(
                            "NOT SENT in {name} (input {i}): {op} sent {sent} requests; error: {:?}",
                            error.as_deref().unwrap_or("none")
                        );
                    }
                }
                (body, outcome.map(drop))
            }
            _ => {
                // The verifiers draw their inputs as they go: record the RNG seed instead.
                let state = format!("rng seed {}", g.rng.get_seed()).into_bytes();
                let verifier = target.verifier().unwrap();
                now.begin(run.epoch, i, &state);
                let outcome = panic::catch_unwind(AssertUnwindSafe(|| (verifier.run)(&mut g)));
                let outcome = outcome.map(|verdict| match verdict {
                    Ok(stage) => {
                        tally.verdicts[stage].fetch_add(1, Ordering::Relaxed);
                    }
                    Err(why) => {
                        if tally.unplaced.fetch_add(1, Ordering::Relaxed) < SHOWN {
                            eprintln!("UNPLACED verdict in {name} (input {i}): {why}");
                        }
                    }
                });
                (state, outcome)
            }
        };
        now.end();
        tally.executions.fetch_add(1, Ordering::Relaxed);
        if let Err(payload) = outcome {
            let n = tally.panics.fetch_add(1, Ordering::Relaxed);
            let message = payload
                .downcast_ref::<String>()
                .cloned()
                .or_else(|| payload.downcast_ref::<&str>().map(|s| (*s).to_owned()))
                .unwrap_or_default();
            let file = run.crashes.join(format!("{name}-{i}.bin"));
            let _ = std::fs::create_dir_all(run.crashes);
            let _ = std::fs::write(&file, &input);
            if n < 20 {
                eprintln!(
                    "PANIC in {name} (input {i}): {message} -> {}",
                    file.display()
                );
            }
        }
    }
    tally
        .nanos
        .store(started.elapsed().as_nanos() as u64, Ordering::Relaxed);
}

/// Prints reach per target and stage; returns the problems (a client call that missed the HTTP
/// layer, a stage never reached, an unplaced verdict).
fn report_reach(tallies: &[Tally]) -> Vec<String> {
    let mut problems = Vec::new();
    println!("\n| target | reached the HTTP layer | missed it |");
    println!("|---|---:|---:|");
    for ((target, name, _), t) in TARGETS.iter().zip(tallies) {
        if !target.is_client() {
            continue;
        }
        let (sent, unsent) = (
            t.sent.load(Ordering::Relaxed),
            t.unsent.load(Ordering::Relaxed),
        );
        println!("| {name} | {sent} | {unsent} |");
        if unsent > 0 || sent == 0 {
            problems.push(format!(
                "{name}: {unsent} calls did not reach the HTTP layer"
            ));
        }
    }
    println!("\n| verifier | stage | reached | refused here |");
    println!("|---|---|---:|---:|");
    for ((target, name, _), t) in TARGETS.iter().zip(tallies) {
        let Some(verifier) = target.verifier() else {
            continue;
        };
        let counts: Vec<u64> = (0..=verifier.stages.len())
            .map(|s| t.verdicts[s].load(Ordering::Relaxed))
            .collect();
        let stages = verifier.stages.iter().chain(["accepted"].iter());
        for (s, stage) in stages.enumerate() {
            let reached: u64 = counts[s..].iter().sum();
            let here = counts[s];
            if s < verifier.stages.len() {
                println!("| {name} | {stage} | {reached} | {here} |");
            } else {
                println!("| {name} | {stage} | {reached} | |");
            }
            if here == 0 {
                problems.push(format!(
                    "{name}: no input was {}",
                    verdict(stage, s, verifier)
                ));
            }
        }
        let unplaced = t.unplaced.load(Ordering::Relaxed);
        if unplaced > 0 {
            problems.push(format!("{name}: {unplaced} verdicts no stage explains"));
        }
    }
    problems
}

fn verdict(stage: &str, s: usize, verifier: &Verifier) -> String {
    if s == verifier.stages.len() {
        "accepted".to_owned()
    } else {
        format!("refused at stage {stage:?}")
    }
}

fn main() {
    let args: Vec<u64> = std::env::args()
        .skip(1)
        .filter_map(|a| a.replace('_', "").parse().ok())
        .collect();
    let total = args.first().copied().unwrap_or(10_000_000);
    let seed = args.get(1).copied().unwrap_or(1);
    let limit = Duration::from_secs(args.get(2).copied().unwrap_or(10).max(1));
    let threads = std::thread::available_parallelism()
        .map_or(2, |n| n.get())
        .min(4);

    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../..");
    let crashes = root.join("target/fuzz-crashes");
    let corpus = Arc::new(inputs::corpus(&root));
    // Panics are counted and written out; the default hook would print each one.
    panic::set_hook(Box::new(|_| {}));

    println!(
        "imgshare fuzz: {total} inputs, seed {seed}, {} seeds, {threads} threads, {} s per input at most",
        corpus.len(),
        limit.as_secs()
    );
    let weights: u64 = TARGETS.iter().map(|t| t.2).sum();
    let tallies: Vec<Tally> = TARGETS.iter().map(|_| Tally::default()).collect();
    let current: Vec<Current> = TARGETS.iter().map(|_| Current::default()).collect();
    let names: Vec<String> = TARGETS
        .iter()
        .map(|(t, _, _)| format!("{t:?}").to_lowercase())
        .collect();
    let next = AtomicU64::new(0);
    let done = AtomicBool::new(false);
    let epoch = Instant::now();
    std::thread::scope(|scope| {
        scope.spawn(|| watchdog::watch(epoch, limit, &names, &current, &done, &crashes));
        let workers: Vec<_> = (0..threads)
            .map(|_| {
                scope.spawn(|| {
                    loop {
                        let i = next.fetch_add(1, Ordering::SeqCst) as usize;
                        let Some(&(target, name, weight)) = TARGETS.get(i) else {
                            break;
                        };
                        let run = Run {
                            seed: seed.wrapping_mul(1000).wrapping_add(i as u64),
                            corpus: corpus.clone(),
                            crashes: &crashes,
                            epoch,
                        };
                        let count = total * weight / weights;
                        run_target(target, &names[i], count, &run, &tallies[i], &current[i]);
                        let t = &tallies[i];
                        println!(
                            "  done: {name}: {} executions in {:.1} s, {} panics",
                            t.executions.load(Ordering::Relaxed),
                            t.nanos.load(Ordering::Relaxed) as f64 / 1e9,
                            t.panics.load(Ordering::Relaxed)
                        );
                    }
                })
            })
            .collect();
        for worker in workers {
            let _ = worker.join();
        }
        done.store(true, Ordering::Release);
    });
    let elapsed = epoch.elapsed();
    let _ = panic::take_hook();

    println!("\n| target | executions | time (s) | exec/s | panics |");
    println!("|---|---:|---:|---:|---:|");
    let (mut all, mut panics) = (0, 0);
    for ((_, name, _), t) in TARGETS.iter().zip(&tallies) {
        let (e, p) = (
            t.executions.load(Ordering::Relaxed),
            t.panics.load(Ordering::Relaxed),
        );
        let secs = t.nanos.load(Ordering::Relaxed) as f64 / 1e9;
        println!(
            "| {name} | {e} | {secs:.1} | {:.0} | {p} |",
            e as f64 / secs.max(1e-9)
        );
        all += e;
        panics += p;
    }
    println!(
        "| **total** | **{all}** | **{:.1}** (wall, {threads} threads) | | **{panics}** |",
        elapsed.as_secs_f64()
    );
    let mut problems = report_reach(&tallies);
    if panics > 0 {
        problems.push(format!(
            "{panics} panicking inputs written to {}",
            crashes.display()
        ));
    }
    if !problems.is_empty() {
        eprintln!("\nFAILED:");
        for p in &problems {
            eprintln!("- {p}");
        }
        std::process::exit(1);
    }
    println!(
        "\nno panic, no hang; every client call reached the HTTP layer; every verifier stage was reached"
    );
}
