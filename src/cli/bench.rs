//! `zkevm bench …`: our components against their peers, same input, same run.

use clap::{Args, Subcommand};
use std::time::Duration;
use zkevm::bench::{self, field::FieldSuite, Comparison};

#[derive(Debug, Subcommand)]
pub enum BenchCommand {
    /// Goldilocks arithmetic, NTT and LDE against winter-math and Plonky3.
    Field(FieldArgs),
    /// A 64-column AIR proven by our backend and by stock winterfell (f64), same options.
    Prover(ProverArgs),
    /// Keccak-f permutations proven by our Keccak component and by Plonky3's p3-keccak-air
    /// (blowup 8 and blowup 2, same conjectured security): permutations/s, proof size, cells.
    Keccak(super::bench_keccak::KeccakArgs),
    /// Plain revm execution against execution with witness recording, on the bench workloads.
    Exec(super::bench_exec::ExecArgs),
    /// Prove an EVM execution (default: the built-in fib_loop) and report gas/s, steps/s,
    /// rows, cells per step and time per component, peak memory, against plain revm.
    Prove(super::prove::ProveArgs),
    /// Wrap STARK proofs into Groth16: constraints, setup and prove time, peak memory, proof
    /// size and on-chain verification gas, against the STARK proof and its native check.
    Wrap(super::wrap::BenchWrapArgs),
}

#[derive(Debug, Args)]
pub struct ProverArgs {
    /// Threads to run on.
    #[arg(long, default_value_t = 2)]
    pub threads: usize,
    /// log₂ of the trace lengths to prove.
    #[arg(long, value_delimiter = ',', default_values_t = [16u32, 18])]
    pub log_rows: Vec<u32>,
    /// Timed proofs per prover and size (after one profiled run).
    #[arg(long, default_value_t = 2)]
    pub runs: usize,
    /// Print one JSON object per size instead of a table.
    #[arg(long)]
    pub json: bool,
}

#[derive(Debug, Args)]
pub struct FieldArgs {
    /// Threads to run on; by default 1 and then all available cores.
    #[arg(long)]
    pub threads: Option<usize>,
    /// Also run NTT 2^22.
    #[arg(long)]
    pub large: bool,
    /// Only run workloads whose name contains this text.
    #[arg(long)]
    pub filter: Option<String>,
    /// Time budget per measurement, in milliseconds.
    #[arg(long, default_value_t = 1000)]
    pub budget_ms: u64,
    /// Print `{"results":[…]}` as JSON instead of a table.
    #[arg(long)]
    pub json: bool,
}

pub fn run(command: BenchCommand) -> anyhow::Result<()> {
    match command {
        BenchCommand::Field(args) => field(&args),
        BenchCommand::Prover(args) => super::bench_prover::run(&args),
        BenchCommand::Exec(args) => super::bench_exec::run(&args),
        BenchCommand::Keccak(args) => super::bench_keccak::run(&args),
        BenchCommand::Wrap(args) => super::wrap::bench(&args),
        BenchCommand::Prove(args) => super::prove::run(&super::prove::ProveArgs {
            compare_revm: true,
            ..args
        }),
    }
}

fn thread_counts(requested: Option<usize>) -> anyhow::Result<Vec<usize>> {
    let cores = std::thread::available_parallelism().map_or(1, |n| n.get());
    match requested {
        Some(0) => anyhow::bail!("--threads must be at least 1"),
        Some(n) => Ok(vec![n]),
        None if cores > 1 => Ok(vec![1, cores]),
        None => Ok(vec![1]),
    }
}

fn field(args: &FieldArgs) -> anyhow::Result<()> {
    let mut results: Vec<Comparison> = Vec::new();
    let budget = Duration::from_millis(args.budget_ms);
    for threads in thread_counts(args.threads)? {
        let pool = rayon::ThreadPoolBuilder::new()
            .num_threads(threads)
            .build()?;
        let bar = super::output::spinner(args.json)?;
        let rows = pool.install(|| {
            let mut cases = bench::field::cases(FieldSuite { large: args.large });
            if let Some(filter) = &args.filter {
                cases.retain(|case| case.name.contains(filter.as_str()));
            }
            bench::compare(&mut cases, threads, budget, |name| {
                bar.set_message(format!("{threads} thread(s): {name}"))
            })
        });
        bar.finish_and_clear();
        results.extend(rows);
    }
    if args.json {
        println!(
            "{}",
            serde_json::to_string_pretty(&serde_json::json!({ "results": results }))?
        );
    } else {
        print_table(&results);
    }
    Ok(())
}

fn format_ns(ns: f64) -> String {
    if ns >= 1e6 {
        format!("{:.2} ms", ns / 1e6)
    } else if ns >= 1e3 {
        format!("{:.2} µs", ns / 1e3)
    } else {
        format!("{ns:.3} ns")
    }
}

fn print_table(results: &[Comparison]) {
    println!(
        "packed backend: {}   (per-element figures for *_mul rows; whole-transform times otherwise)",
        zkevm_field::packed::BACKEND
    );
    println!(
        "{:<44} {:>3} {:>12}  {:<24} {:>12} {:>8}",
        "workload", "thr", "ours", "peer", "peer", "speedup"
    );
    for r in results {
        println!(
            "{:<44} {:>3} {:>12}  {:<24} {:>12} {:>7.2}×",
            r.name,
            r.threads,
            format_ns(r.ours_ns),
            r.peer,
            format_ns(r.peer_ns),
            r.speedup
        );
    }
}
