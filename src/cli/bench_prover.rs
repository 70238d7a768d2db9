//! `zkevm bench prover`: our prover against stock winterfell on the same AIR and options.

use super::bench::ProverArgs;
use serde::Serialize;
use std::collections::BTreeMap;
use std::time::Duration;
use zkevm::bench::{measure, prover as workload};
use zkevm_prover::Profile;

/// One line of the report.
#[derive(Debug, Serialize)]
struct ProverComparison {
    rows: usize,
    columns: usize,
    threads: usize,
    ours_ms: f64,
    peer: &'static str,
    peer_ms: f64,
    speedup: f64,
    ours_phases_ms: BTreeMap<&'static str, f64>,
    peer_phases_ms: BTreeMap<&'static str, f64>,
    /// Every span's total time, by name (finer than the phases).
    ours_spans_ms: BTreeMap<&'static str, f64>,
    peer_spans_ms: BTreeMap<&'static str, f64>,
    ours_peak_mib: Option<f64>,
    peer_peak_mib: Option<f64>,
    ours_proof_bytes: usize,
    peer_proof_bytes: usize,
    conjectured_security_bits: u32,
}

fn spans_ms(phases: &workload::Phases) -> BTreeMap<&'static str, f64> {
    phases
        .iter()
        .map(|(name, d)| (*name, d.as_secs_f64() * 1e3))
        .collect()
}

fn mib(bytes: Option<u64>) -> Option<f64> {
    bytes.map(|b| b as f64 / (1 << 20) as f64)
}

pub fn run(args: &ProverArgs) -> anyhow::Result<()> {
    if args.threads == 0 {
        anyhow::bail!("--threads must be at least 1");
    }
    if let Some(bad) = args.log_rows.iter().find(|l| !(3..=24).contains(*l)) {
        anyhow::bail!("--log-rows {bad} is outside 3 … 24");
    }
    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(args.threads)
        .build()?;
    let bar = super::output::spinner(args.json)?;
    let mut results = Vec::new();
    for &log in &args.log_rows {
        let rows = 1usize << log;
        let columns = workload::COLUMNS;
        let report = pool.install(|| -> anyhow::Result<ProverComparison> {
            bar.set_message(format!("{columns} × 2^{log}: checking both proofs verify"));
            let (ours_bytes, peer_bytes) =
                workload::check(columns, rows).map_err(anyhow::Error::msg)?;
            let mut case = workload::cases(&[log]).remove(0);
            let (peer_name, peer_run) = &mut case.peers[0];
            bar.set_message(format!("{columns} × 2^{log}: timing"));
            let budget = Duration::from_millis(1);
            let ours = measure(&mut case.ours, args.runs.max(1), budget);
            let peer = measure(peer_run, args.runs.max(1), budget);
            bar.set_message(format!("{columns} × 2^{log}: profiling phases"));
            let (_, ours_phases, ours_peak) = workload::profile(&mut case.ours);
            let (_, peer_phases, peer_peak) = workload::profile(peer_run);
            Ok(ProverComparison {
                rows,
                columns,
                threads: args.threads,
                ours_ms: ours.as_secs_f64() * 1e3,
                peer: peer_name,
                peer_ms: peer.as_secs_f64() * 1e3,
                speedup: peer.as_secs_f64() / ours.as_secs_f64(),
                ours_phases_ms: workload::phase_ms(&ours_phases),
                peer_phases_ms: workload::phase_ms(&peer_phases),
                ours_spans_ms: spans_ms(&ours_phases),
                peer_spans_ms: spans_ms(&peer_phases),
                ours_peak_mib: mib(ours_peak),
                peer_peak_mib: mib(peer_peak),
                ours_proof_bytes: ours_bytes,
                peer_proof_bytes: peer_bytes,
                conjectured_security_bits: Profile::Default.conjectured_security_bits(),
            })
        })?;
        results.push(report);
    }
    bar.finish_and_clear();
    if args.json {
        for r in &results {
            println!("{}", serde_json::to_string(r)?);
        }
    } else {
        print_table(&results);
    }
    Ok(())
}

fn print_table(results: &[ProverComparison]) {
    println!("options: {}", Profile::Default.describe());
    println!("packed backend: {}", zkevm_field::packed::BACKEND);
    for r in results {
        println!(
            "\n{} columns × {} rows, {} threads: ours {:.0} ms, {} {:.0} ms → {:.2}× faster",
            r.columns, r.rows, r.threads, r.ours_ms, r.peer, r.peer_ms, r.speedup
        );
        println!("  {:<12} {:>10} {:>10}", "phase", "ours ms", "peer ms");
        for (phase, ours) in &r.ours_phases_ms {
            let peer = r.peer_phases_ms.get(phase).copied().unwrap_or(0.0);
            println!("  {phase:<12} {ours:>10.0} {peer:>10.0}");
        }
        let show = |m: Option<f64>| m.map_or("n/a".to_string(), |m| format!("{m:.0} MiB"));
        println!(
            "  peak memory: ours {}, peer {}; proof: ours {} B, peer {} B",
            show(r.ours_peak_mib),
            show(r.peer_peak_mib),
            r.ours_proof_bytes,
            r.peer_proof_bytes
        );
    }
}
