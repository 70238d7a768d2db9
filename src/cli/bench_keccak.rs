//! `zkevm bench keccak`: Keccak-f permutations proven by our Keccak component and by Plonky3's
//! `p3-keccak-air`, same inputs, same run.

use serde::Serialize;
use std::collections::BTreeMap;
use zkevm::bench::keccak::{inputs, prove_ours, prove_plonky3, queries_for, Run};
use zkevm::profiling::{profile_run, Phases};
use zkevm_prover::Profile;

#[derive(Debug, clap::Args)]
pub struct KeccakArgs {
    /// Permutations per proof (327 fill 2^16 of our rows and 2^13 of Plonky3's; at most 1,310,
    /// 2^18 of ours, whose LDE then takes about 5 GB).
    #[arg(long, default_value_t = 327)]
    pub permutations: usize,
    /// Threads to run on.
    #[arg(long, default_value_t = 2)]
    pub threads: usize,
    /// Timed proofs per prover (the fastest counts), after one untimed proof each.
    #[arg(long, default_value_t = 2)]
    pub runs: usize,
    /// Print one JSON object per comparison instead of a table.
    #[arg(long)]
    pub json: bool,
}

/// One comparison: our default profile against one Plonky3 setting.
#[derive(Debug, Serialize)]
struct KeccakComparison {
    permutations: usize,
    threads: usize,
    peer: String,
    perms_per_s: f64,
    peer_perms_per_s: f64,
    /// `perms_per_s / peer_perms_per_s`: above 1 means we are faster.
    speedup: f64,
    proof_bytes: usize,
    peer_proof_bytes: usize,
    cells_per_perm: usize,
    peer_cells_per_perm: usize,
    trace_cells_per_perm: usize,
    peer_trace_cells_per_perm: usize,
    security_bits: u32,
    peer_security_bits: u32,
    /// Where our fastest proof spent its time: every span's total, by name (ms).
    spans_ms: BTreeMap<&'static str, f64>,
}

/// The fastest of `runs` proofs, with the time of every span it entered, after one untimed
/// proof.
///
/// The untimed proof grows the process's heap to the prover's peak. The CLI keeps freed
/// memory in the heap (`zkevm::allocator`), so whichever prover ran first would otherwise pay
/// alone for the kernel's first touch of about 3 GB, and the next one reuse it: with one
/// timed run each and no warm-up, ours (which runs first) measured 72 perm/s, against 145 at
/// its best of three.
fn best(
    runs: usize,
    mut prove: impl FnMut() -> Result<Run, String>,
) -> anyhow::Result<(Run, Phases)> {
    prove().map_err(anyhow::Error::msg)?;
    let mut best: Option<(Run, Phases)> = None;
    for _ in 0..runs.max(1) {
        let (run, profile) = profile_run(&mut prove);
        let run = run.map_err(anyhow::Error::msg)?;
        if best.as_ref().is_none_or(|(b, _)| run.time < b.time) {
            best = Some((run, profile.phases));
        }
    }
    Ok(best.expect("at least one run"))
}

pub fn run(args: &KeccakArgs) -> anyhow::Result<()> {
    if args.threads == 0 {
        anyhow::bail!("--threads must be at least 1");
    }
    if !(1..=1_310).contains(&args.permutations) {
        anyhow::bail!("--permutations must be between 1 and 1310");
    }
    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(args.threads)
        .build()?;
    let bar = super::output::spinner(args.json)?;
    let states = inputs(args.permutations, 0x6b65_6363_616b);
    let profile = Profile::Default;
    let bits = profile.conjectured_security_bits();
    let grinding = 16;
    // Plonky3 at our blowup, then at its fastest: blowup 2 (its constraints are degree 3),
    // each with the fewest queries that reach our conjectured security.
    let peers = [
        ("p3-keccak-air, blowup 8", 3, queries_for(bits, 3, grinding)),
        ("p3-keccak-air, blowup 2", 1, queries_for(bits, 1, grinding)),
    ];
    let results = pool.install(|| -> anyhow::Result<Vec<KeccakComparison>> {
        bar.set_message(format!("ours: {} permutations", args.permutations));
        let (ours, our_spans) = best(args.runs, || prove_ours(&states, profile))?;
        let spans_ms: BTreeMap<&'static str, f64> = (our_spans.iter())
            .map(|(name, time)| (*name, time.as_secs_f64() * 1e3))
            .collect();
        let mut out = Vec::new();
        for (name, log_blowup, queries) in peers {
            bar.set_message(format!("{name}: {} permutations", args.permutations));
            let (peer, _) = best(args.runs, || {
                prove_plonky3(&states, log_blowup, queries, grinding)
            })?;
            let rate = |r: &Run| args.permutations as f64 / r.time.as_secs_f64();
            out.push(KeccakComparison {
                permutations: args.permutations,
                threads: args.threads,
                peer: name.to_string(),
                perms_per_s: rate(&ours),
                peer_perms_per_s: rate(&peer),
                speedup: rate(&ours) / rate(&peer),
                proof_bytes: ours.proof_bytes,
                peer_proof_bytes: peer.proof_bytes,
                cells_per_perm: ours.cells_per_permutation,
                peer_cells_per_perm: peer.cells_per_permutation,
                trace_cells_per_perm: ours.trace_cells_per_permutation,
                peer_trace_cells_per_perm: peer.trace_cells_per_permutation,
                security_bits: ours.conjectured_security_bits,
                peer_security_bits: peer.conjectured_security_bits,
                spans_ms: spans_ms.clone(),
            });
        }
        Ok(out)
    })?;
    bar.finish_and_clear();
    if args.json {
        for r in &results {
            println!("{}", serde_json::to_string(r)?);
        }
        return Ok(());
    }
    println!("ours: {}", profile.describe());
    if let Some(first) = results.first() {
        // Components prove in parallel, so span times overlap; the longest ones first.
        let mut spans: Vec<_> = first.spans_ms.iter().collect();
        spans.sort_by(|a, b| b.1.total_cmp(a.1));
        let top: Vec<String> = (spans.iter().take(12))
            .map(|(name, ms)| format!("{name} {ms:.0} ms"))
            .collect();
        println!(
            "our slowest spans (each summed over the components): {}",
            top.join(", ")
        );
    }
    for r in &results {
        println!(
            "\n{} permutations, {} threads: ours {:.1} perm/s, {} {:.1} perm/s → {:.2}×",
            r.permutations, r.threads, r.perms_per_s, r.peer, r.peer_perms_per_s, r.speedup
        );
        println!(
            "  proof: ours {} B, peer {} B ({:.2}× the size)",
            r.proof_bytes,
            r.peer_proof_bytes,
            r.proof_bytes as f64 / r.peer_proof_bytes as f64
        );
        println!(
            "  cells per permutation: ours {} (with padding and the AND table {}), peer {} ({})",
            r.cells_per_perm,
            r.trace_cells_per_perm,
            r.peer_cells_per_perm,
            r.peer_trace_cells_per_perm
        );
        println!(
            "  conjectured security: ours {} bits, peer {} bits",
            r.security_bits, r.peer_security_bits
        );
    }
    Ok(())
}
