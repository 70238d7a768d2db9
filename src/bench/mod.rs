//! Benchmarks that compare our components with their peers on the same input in the same run.
//!
//! Each suite builds [`Case`]s: one closure for our code and one per peer, all over identical
//! inputs prepared outside the timed region. The `zkevm bench` CLI times them with [`measure`];
//! the criterion benches in `benches/` time the very same closures, so there is one definition
//! of every workload.

pub mod field;
pub mod keccak;
pub mod prover;

use serde::Serialize;
use std::time::{Duration, Instant};

/// One timed call of a workload; inputs are captured, prepared outside the timed region.
pub type Workload = Box<dyn FnMut() + Send>;

/// A workload run by us and by each peer.
pub struct Case {
    /// Short name, e.g. `ntt_2^20`.
    pub name: String,
    /// Elements processed per call; per-element figures divide by it (1 for whole transforms).
    pub elements: u64,
    /// Our implementation.
    pub ours: Workload,
    /// `(peer name, peer implementation)`.
    pub peers: Vec<(&'static str, Workload)>,
}

/// One comparison line of a report.
#[derive(Debug, Clone, Serialize)]
pub struct Comparison {
    pub name: String,
    pub threads: usize,
    /// Nanoseconds per call, or per element when `elements > 1`.
    pub ours_ns: f64,
    pub peer: String,
    pub peer_ns: f64,
    /// `peer_ns / ours_ns`: above 1 means we are faster.
    pub speedup: f64,
}

/// Median wall time of `f` over repeated calls: one warm-up, then at least `min_runs` calls
/// and until `budget` has elapsed (at most 200 calls).
pub fn measure(f: &mut dyn FnMut(), min_runs: usize, budget: Duration) -> Duration {
    f();
    let mut samples = Vec::new();
    let start = Instant::now();
    while samples.len() < min_runs || (start.elapsed() < budget && samples.len() < 200) {
        let t = Instant::now();
        f();
        samples.push(t.elapsed());
    }
    samples.sort();
    samples[samples.len() / 2]
}

/// Runs every case and returns one comparison per (case, peer).
pub fn compare(
    cases: &mut [Case],
    threads: usize,
    budget: Duration,
    mut progress: impl FnMut(&str),
) -> Vec<Comparison> {
    let mut out = Vec::new();
    for case in cases.iter_mut() {
        progress(&case.name);
        let per = case.elements.max(1) as f64;
        let ours = measure(&mut case.ours, 3, budget).as_nanos() as f64 / per;
        for (peer, run) in case.peers.iter_mut() {
            let theirs = measure(run, 3, budget).as_nanos() as f64 / per;
            out.push(Comparison {
                name: case.name.clone(),
                threads,
                ours_ns: ours,
                peer: peer.to_string(),
                peer_ns: theirs,
                speedup: theirs / ours,
            });
        }
    }
    out
}
