//! The hang timeout: a thread that watches every target's current input and ends the run when
//! one takes longer than the limit. A stuck call cannot be interrupted from inside (a decoder
//! in a loop never yields), so the watchdog writes the input out and exits the process.

use std::path::Path;
use std::sync::Mutex;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::time::{Duration, Instant};

/// The exit status of a run stopped by a hang.
pub(crate) const HANG_EXIT: i32 = 3;

/// What one target is running now.
#[derive(Default)]
pub(crate) struct Current {
    /// When the input started, in nanoseconds since the watchdog's epoch; 0 when idle.
    started: AtomicU64,
    index: AtomicU64,
    input: Mutex<Vec<u8>>,
}

impl Current {
    /// Marks `input` (number `index`) as running.
    pub(crate) fn begin(&self, epoch: Instant, index: u64, input: &[u8]) {
        {
            let mut slot = self.input.lock().unwrap_or_else(|p| p.into_inner());
            slot.clear();
            slot.extend_from_slice(input);
        }
        self.index.store(index, Ordering::Relaxed);
        let now = epoch.elapsed().as_nanos() as u64;
        self.started.store(now.max(1), Ordering::Release);
    }

    /// Marks the input as done.
    pub(crate) fn end(&self) {
        self.started.store(0, Ordering::Release);
    }
}

/// Watches `current` (one per target, named by `names`) until `done`; on an input older than
/// `limit`, writes it to `crashes` and exits with [`HANG_EXIT`].
pub(crate) fn watch(
    epoch: Instant,
    limit: Duration,
    names: &[String],
    current: &[Current],
    done: &AtomicBool,
    crashes: &Path,
) {
    let tick = (limit / 10).clamp(Duration::from_millis(10), Duration::from_millis(250));
    while !done.load(Ordering::Acquire) {
        std::thread::sleep(tick);
        let now = epoch.elapsed().as_nanos() as u64;
        for (name, c) in names.iter().zip(current) {
            let started = c.started.load(Ordering::Acquire);
            if started == 0 || now.saturating_sub(started) <= limit.as_nanos() as u64 {
                continue;
            }
            let index = c.index.load(Ordering::Relaxed);
            let file = crashes.join(format!("{name}-hang-{index}.bin"));
            let input = c.input.lock().unwrap_or_else(|p| p.into_inner()).clone();
            let _ = std::fs::create_dir_all(crashes);
            let _ = std::fs::write(&file, input);
            eprintln!(
                "HANG in {name} (input {index}): still running after {:.1} s (limit {} s) -> {}",
                (now - started) as f64 / 1e9,
                limit.as_secs_f64(),
                file.display()
            );
            std::process::exit(HANG_EXIT);
        }
    }
}
