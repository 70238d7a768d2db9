//! `zkevm run --workload NAME [--json]`: executes a benchmark workload while recording its
//! witness, and checks gas and output against the figures in `workloads.json`.

use clap::Args;
use std::path::PathBuf;
use std::time::Instant;
use zkevm_evm_spec::exec::Outcome;
use zkevm_evm_spec::workload;

#[derive(Debug, Args)]
pub struct RunArgs {
    /// Workload name (snailtracer, analysis, burntpix, fib_loop, keccak_loop, sstore_loop).
    #[arg(long)]
    pub workload: String,
    /// Workloads file (default: `<fixtures>/bench/workloads.json`).
    #[arg(long)]
    pub file: Option<PathBuf>,
    /// Also write the witness (postcard) to this file.
    #[arg(long)]
    pub out: Option<PathBuf>,
    /// Print the figures as JSON.
    #[arg(long)]
    pub json: bool,
}

pub fn run(args: &RunArgs) -> anyhow::Result<()> {
    let path = match &args.file {
        Some(p) => p.clone(),
        None => workload::default_path()?,
    };
    let w = workload::find(workload::load(&path)?, &args.workload)?;
    let spinner = indicatif::ProgressBar::new_spinner();
    spinner.set_message(format!("executing {} with witness recording", w.name));
    spinner.enable_steady_tick(std::time::Duration::from_millis(120));
    let started = Instant::now();
    let traced = w.trace();
    let elapsed = started.elapsed();
    spinner.finish_and_clear();
    let (outcome, witness) = traced?;
    let check = w.check(&outcome);
    let bytes = witness.to_bytes()?;
    if let Some(out) = &args.out {
        super::output::write_atomic(out, &bytes)?;
    }
    let (gas_used, output_len) = match &outcome {
        Outcome::Executed {
            gas_used, output, ..
        } => (*gas_used, output.len()),
        Outcome::Invalid(_) => (0, 0),
    };
    if args.json {
        let v = serde_json::json!({
            "workload": w.name,
            "gas_used": gas_used,
            "expected_gas_used": w.measured.tx_gas_used,
            "steps": witness.steps.len(),
            "expected_steps": w.measured.steps,
            "rw": witness.rw.len(),
            "output_len": output_len,
            "witness_bytes": bytes.len(),
            "seconds": elapsed.as_secs_f64(),
            "matches_recorded": check.is_ok(),
        });
        println!("{v}");
    } else {
        println!(
            "{}: gas used {gas_used} (recorded {}), {} steps (recorded {}), {} rw, output {output_len} bytes, witness {} bytes, {:.2}s",
            w.name,
            w.measured.tx_gas_used,
            witness.steps.len(),
            w.measured.steps,
            witness.rw.len(),
            bytes.len(),
            elapsed.as_secs_f64()
        );
    }
    check.map_err(|e| anyhow::anyhow!(e))?;
    if witness.steps.len() as u64 != w.measured.steps {
        anyhow::bail!(
            "step count {} differs from the recorded {}",
            witness.steps.len(),
            w.measured.steps
        );
    }
    Ok(())
}
