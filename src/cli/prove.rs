//! `zkevm prove [FIXTURE] [--case ID] [--out FILE] [--profile NAME] [--json]`: proves one
//! execution end to end (witness, tables, block proof), verifies the proof, and prints what it
//! did. Without a fixture it proves the built-in program.

use anyhow::Context;
use clap::Args;
use indicatif::{ProgressBar, ProgressStyle};
use serde::Serialize;
use std::path::PathBuf;
use std::time::{Duration, Instant};
use zkevm::evm::{builtin_program, prove, trace_program, verify, Proven};
use zkevm::profiling::profile_run;
use zkevm_prover::Profile;

#[derive(Debug, Args)]
pub struct ProveArgs {
    /// A state-test fixture file; without one, the built-in program is proven.
    pub fixture: Option<PathBuf>,
    /// Test id (or a unique substring; `ID#i` for the i-th expectation). Default: the first.
    #[arg(long)]
    pub case: Option<String>,
    /// Basic blocks of the built-in program (15 steps each).
    #[arg(long, default_value_t = 1000, value_parser = clap::value_parser!(u32).range(1..=1800))]
    pub blocks: u32,
    /// Write the proof here (atomically).
    #[arg(long)]
    pub out: Option<PathBuf>,
    /// Proof-option profile: `default` (≥ 100 conjectured bits) or `fast-test`.
    #[arg(long, default_value = "default", value_parser = parse_profile)]
    pub profile: Profile,
    /// Print one JSON object instead of the table.
    #[arg(long)]
    pub json: bool,
}

impl Default for ProveArgs {
    fn default() -> Self {
        Self {
            fixture: None,
            case: None,
            blocks: 1000,
            out: None,
            profile: Profile::Default,
            json: false,
        }
    }
}

/// Parses a profile name for clap.
pub fn parse_profile(name: &str) -> Result<Profile, String> {
    Profile::from_name(name).ok_or_else(|| {
        let names: Vec<&str> = Profile::ALL.iter().map(|p| p.name()).collect();
        format!("unknown profile {name:?}; known: {}", names.join(", "))
    })
}

#[derive(Serialize)]
struct ComponentReport {
    name: &'static str,
    rows: usize,
    columns: usize,
    /// Wall time of the component's proving task (tasks run in parallel).
    prove_ms: f64,
}

#[derive(Serialize)]
struct Report {
    workload: String,
    verified: bool,
    profile: &'static str,
    security_bits: u32,
    proof_bytes: usize,
    trace_ms: f64,
    prove_ms: f64,
    verify_ms: f64,
    gas: u64,
    steps: u64,
    gas_per_second: f64,
    steps_per_second: f64,
    peak_memory_bytes: Option<u64>,
    components: Vec<ComponentReport>,
    unproven: &'static str,
}

fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1e3
}

pub fn run(args: &ProveArgs) -> anyhow::Result<()> {
    let (workload, witness) = match &args.fixture {
        Some(path) => super::trace::case_witness(path, args.case.as_deref())?,
        None => (
            format!("built-in program ({} blocks)", args.blocks),
            trace_program(&builtin_program(args.blocks as usize))?,
        ),
    };
    let spinner = (!args.json).then(|| {
        let bar = ProgressBar::new_spinner().with_message(format!(
            "proving {workload}: {} steps ({} profile)",
            witness.steps.len(),
            args.profile.name()
        ));
        bar.set_style(ProgressStyle::with_template("{spinner} {msg} {elapsed}").unwrap());
        bar.enable_steady_tick(Duration::from_millis(120));
        bar
    });
    let (proven, profile) = profile_run(|| prove(&witness, args.profile));
    if let Some(bar) = &spinner {
        bar.finish_and_clear();
    }
    let proven: Proven = proven.with_context(|| format!("{workload}: not proven"))?;
    let started = Instant::now();
    verify(&proven.proof, &[args.profile]).context("the fresh proof did not verify")?;
    let verify_time = started.elapsed();
    if let Some(out) = &args.out {
        super::output::write_atomic(out, &proven.proof)?;
    }
    let gas = proven.statement.gas_used();
    let steps = proven.statement.steps();
    let total = proven.trace_time + proven.prove_time;
    let report = Report {
        workload,
        verified: true,
        profile: args.profile.name(),
        security_bits: args.profile.conjectured_security_bits(),
        proof_bytes: proven.proof.len(),
        trace_ms: ms(proven.trace_time),
        prove_ms: ms(proven.prove_time),
        verify_ms: ms(verify_time),
        gas,
        steps,
        gas_per_second: gas as f64 / total.as_secs_f64(),
        steps_per_second: steps as f64 / total.as_secs_f64(),
        peak_memory_bytes: profile.peak_memory,
        components: proven
            .tables
            .iter()
            .map(|t| ComponentReport {
                name: t.name,
                rows: t.rows,
                columns: t.columns,
                prove_ms: profile.components.get(t.name).copied().map_or(0.0, ms),
            })
            .collect(),
        unproven: "the transaction envelope (intrinsic gas, fees, nonce) and the state outside \
                   the frame are not proven yet",
    };
    if args.json {
        println!("{}", serde_json::to_string(&report)?);
        return Ok(());
    }
    println!("zkevm prove: {}", report.workload);
    println!(
        "  execution      {steps} steps, {gas} gas (one call frame; gas at entry {}, left {})",
        proven.statement.gas, proven.statement.gas_left
    );
    println!("  component      rows       columns  prove (ms, parallel tasks)");
    for c in &report.components {
        println!(
            "  {:<14} {:<10} {:<8} {:.1}",
            c.name, c.rows, c.columns, c.prove_ms
        );
    }
    println!(
        "  time           trace {:.1} ms, prove {:.1} ms, verify {:.1} ms",
        report.trace_ms, report.prove_ms, report.verify_ms
    );
    println!(
        "  throughput     {:.0} gas/s, {:.0} steps/s",
        report.gas_per_second, report.steps_per_second
    );
    if let Some(peak) = report.peak_memory_bytes {
        println!("  peak memory    {:.1} MiB", peak as f64 / (1 << 20) as f64);
    }
    println!("  proof          {} bytes", report.proof_bytes);
    println!(
        "  security       {} bits conjectured ({})",
        report.security_bits,
        args.profile.describe()
    );
    println!("  verified       yes");
    println!("  not proven     {}", report.unproven);
    if let Some(out) = &args.out {
        println!("  written        {}", out.display());
    }
    Ok(())
}
