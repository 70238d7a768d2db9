//! `zkevm bench exec [--json]`: plain revm execution against execution with witness recording,
//! on the benchmark workloads, in one run. Columns: plain revm; revm's no-op inspector;
//! recording the witness's tape into reused buffers (the steady state, target ≤ 3× revm) and
//! into fresh memory; expanding the tape into the per-row witness, and fresh recording plus
//! expansion against revm; the share of detailed steps; tape, witness and postcard bytes per
//! step. Wire as a `BenchCommand::Exec(ExecArgs)` variant
//! calling [`run`].

use clap::Args;
use zkevm_evm_spec::bench::{measure, scale_burntpix};
use zkevm_evm_spec::workload;

#[derive(Debug, Args)]
pub struct ExecArgs {
    /// Workloads to run (default: all; burntpix is scaled, see --burntpix-iterations).
    #[arg(long = "workload")]
    pub workloads: Vec<String>,
    /// Iterations for burntpix (the recorded 20,000 take ~10.5 GB of memory when recorded).
    #[arg(long, default_value_t = 100)]
    pub burntpix_iterations: u64,
    /// Runs per measurement; the best is kept.
    #[arg(long, default_value_t = 3)]
    pub repeat: usize,
    /// Print `{"results":[…]}` as JSON instead of a table.
    #[arg(long)]
    pub json: bool,
}

pub fn run(args: &ExecArgs) -> anyhow::Result<()> {
    let all = workload::load(&workload::default_path()?)?;
    let selected: Vec<_> = if args.workloads.is_empty() {
        all
    } else {
        args.workloads
            .iter()
            .map(|n| workload::find(all.clone(), n))
            .collect::<Result<_, _>>()?
    };
    let mut results = Vec::new();
    if !args.json {
        println!(
            "{:<16} {:>9} {:>8} {:>8} {:>9} {:>7} {:>9} {:>7} {:>8} {:>7} {:>6} {:>7} {:>7} {:>7}",
            "workload",
            "steps",
            "revm s",
            "noop s",
            "record s",
            "ratio",
            "fresh s",
            "ratio",
            "expand s",
            "+exp",
            "det %",
            "tape B",
            "wit B",
            "enc B",
        );
    }
    for mut w in selected {
        scale_burntpix(&mut w, args.burntpix_iterations);
        let f = measure(&w, args.repeat)?;
        if !args.json {
            println!(
                "{:<16} {:>9} {:>8.4} {:>8.4} {:>9.4} {:>6.2}x {:>9.4} {:>6.2}x {:>8.4} {:>6.2}x {:>6.1} {:>7.1} {:>7.1} {:>7.1}",
                f.workload,
                f.steps,
                f.plain_secs,
                f.noop_inspector_secs,
                f.record_secs,
                f.overhead,
                f.record_fresh_secs,
                f.overhead_fresh,
                f.expand_secs,
                f.overhead_witness,
                100.0 * f.detailed_share,
                f.tape_per_step,
                f.memory_per_step,
                f.encoded_per_step,
            );
        }
        results.push(f);
    }
    if args.json {
        println!("{}", serde_json::json!({ "results": results }));
    }
    Ok(())
}
