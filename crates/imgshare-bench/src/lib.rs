//! Benchmarks of imgshare; nothing to use.
//!
//! Run them with `cargo bench -p imgshare-bench`; `docs/PERFORMANCE.md` records the results.
