//! Timing by the benchmark thread's CPU time (`CLOCK_THREAD_CPUTIME_ID`) instead of the wall
//! clock. The machines these benches run on are shared: under load the wall clock also counts the
//! time other processes hold the core, which moved the per-call figures by half from one run to
//! the next, while the thread's CPU time counts only the work measured. On an idle machine the
//! two agree for a single-threaded loop like these.

use std::hint::black_box;
use std::time::Duration;

use criterion::Bencher;

/// The CPU time this thread has used so far.
pub(crate) fn thread_cpu_time() -> Duration {
    let mut now = libc::timespec {
        tv_sec: 0,
        tv_nsec: 0,
    };
    // SAFETY: `now` is a valid timespec to write to, and the clock id is a constant.
    let rc = unsafe { libc::clock_gettime(libc::CLOCK_THREAD_CPUTIME_ID, &mut now) };
    assert_eq!(rc, 0, "clock_gettime(CLOCK_THREAD_CPUTIME_ID) failed");
    Duration::new(
        u64::try_from(now.tv_sec).unwrap(),
        u32::try_from(now.tv_nsec).unwrap(),
    )
}

/// Times `routine` run back to back, by this thread's CPU time; its output is dropped inside
/// the timing, as `Bencher::iter` does.
pub(crate) fn iter_cpu<O>(b: &mut Bencher<'_>, mut routine: impl FnMut() -> O) {
    b.iter_custom(|iters| {
        let start = thread_cpu_time();
        for _ in 0..iters {
            black_box(routine());
        }
        thread_cpu_time() - start
    });
}

/// Times `routine` on inputs made by `setup`, by this thread's CPU time, leaving `setup` out:
/// inputs are made 1,000 at a time, outside the timing.
pub(crate) fn iter_cpu_batched<I, O>(
    b: &mut Bencher<'_>,
    mut setup: impl FnMut() -> I,
    mut routine: impl FnMut(I) -> O,
) {
    b.iter_custom(|iters| {
        let mut spent = Duration::ZERO;
        let mut left = iters;
        while left > 0 {
            let batch = left.min(1_000);
            let inputs: Vec<I> = (0..batch).map(|_| setup()).collect();
            let start = thread_cpu_time();
            for input in inputs {
                black_box(routine(input));
            }
            spent += thread_cpu_time() - start;
            left -= batch;
        }
        spent
    });
}
