//! `zkevm bench exec [--json]`: plain revm execution against execution with witness recording,
//! on the benchmark workloads, in one run. Wire as a `BenchCommand::Exec(ExecArgs)` variant
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
            "{:<18} {:>10} {:>10} {:>10} {:>10} {:>9} {:>10} {:>9} {:>12} {:>12} {:>8}",
            "workload",
            "steps",
            "revm s",
            "noop-insp s",
            "traced s",
            "overhead",
            "reused s",
            "overhead",
            "mem B/step",
            "enc B/step",
            "rw/step"
        );
    }
    for mut w in selected {
        scale_burntpix(&mut w, args.burntpix_iterations);
        let f = measure(&w, args.repeat)?;
        if !args.json {
            println!(
                "{:<18} {:>10} {:>10.4} {:>10.4} {:>10.4} {:>8.2}x {:>10.4} {:>8.2}x {:>12.1} {:>12.1} {:>8.2}",
                f.workload,
                f.steps,
                f.plain_secs,
                f.noop_inspector_secs,
                f.traced_secs,
                f.overhead,
                f.traced_reused_secs,
                f.overhead_reused,
                f.memory_per_step,
                f.encoded_per_step,
                f.rw_per_step
            );
        }
        results.push(f);
    }
    if args.json {
        println!("{}", serde_json::json!({ "results": results }));
    }
    Ok(())
}
