//! `zkevm prove [FIXTURE] [--case ID] [--out FILE] [--profile NAME] [--json] [--check]`: proves
//! one execution end to end (witness, tables, block proof), verifies the proof, and prints what
//! it did (`--check`: checks the tables' constraints and bus balance instead of proving).
//! Without a fixture it proves the built-in `fib_loop` program, or a bench workload, or one of
//! the built-in programs of `zkevm::programs` (`--blocks`, `--calls`, `--depth`).

use anyhow::Context;
use clap::Args;
use indicatif::{ProgressBar, ProgressStyle};
use serde::Serialize;
use std::path::PathBuf;
use std::time::{Duration, Instant};
use zkevm::evm::{prove, verify, Proven};
use zkevm::programs::{
    call_loop, calldata_word, fib_loop_program, nested_calls, straight_line_program, Program,
    MAX_NESTED_DEPTH,
};

/// fib_loop's loop count when none is given: the bench workload's (150,016 steps, about a
/// minute to prove here).
pub const FIB_LOOP_N: u64 = 10_000;
use zkevm::profiling::profile_run;
use zkevm_prover::Profile;

#[derive(Debug, Args)]
pub struct ProveArgs {
    /// A state-test fixture file; without one, the built-in program is proven.
    pub fixture: Option<PathBuf>,
    /// Test id (or a unique substring; `ID#i` for the i-th expectation). Default: the first.
    #[arg(long)]
    pub case: Option<String>,
    /// Prove a bench workload from `<fixtures>/bench/workloads.json` instead (fib_loop,
    /// sstore_loop, …).
    #[arg(long, conflicts_with = "fixture")]
    pub workload: Option<String>,
    /// The loop count, as calldata word 0: of the built-in fib_loop (default 10000: 150,016
    /// steps) or of a workload (fib_loop, keccak_loop, sstore_loop; default: its own calldata).
    #[arg(long)]
    pub n: Option<u64>,
    /// Prove the built-in straight-line program of this many basic blocks (15 steps each)
    /// instead of fib_loop.
    #[arg(long, conflicts_with_all = ["fixture", "workload", "n"],
          value_parser = clap::value_parser!(u32).range(1..=1800))]
    pub blocks: Option<u32>,
    /// Prove the built-in call-heavy program instead: this many calls into a contract that
    /// counts them in transient storage (26 steps per call).
    #[arg(long, conflicts_with_all = ["fixture", "workload", "n", "blocks"],
          value_parser = clap::value_parser!(u64).range(1..=1_000_000))]
    pub calls: Option<u64>,
    /// Prove the built-in nested calls instead: a contract calling itself this many frames
    /// deep (the EVM's 1,024 is out of reach of the 63/64 gas rule within 2³² gas).
    #[arg(long, conflicts_with_all = ["fixture", "workload", "n", "blocks", "calls"],
          value_parser = clap::value_parser!(u16).range(1..=MAX_NESTED_DEPTH as i64))]
    pub depth: Option<u16>,
    /// Write the proof here (atomically).
    #[arg(long)]
    pub out: Option<PathBuf>,
    /// Proof-option profile: `default` (≥ 100 conjectured bits), `fast-test`, or `wrap` (Poseidon
    /// commitments and blowup 64, for `zkevm wrap`; slow: small programs only).
    #[arg(long, default_value = "default", value_parser = parse_profile)]
    pub profile: Profile,
    /// Print one JSON object instead of the table.
    #[arg(long)]
    pub json: bool,
    /// Check every table's constraints and the bus balance, naming the first violation,
    /// instead of proving (fast; for debugging trace builders).
    #[arg(long)]
    pub check: bool,
    /// Also time plain revm execution of the same transaction (`zkevm bench prove`).
    #[arg(skip)]
    pub compare_revm: bool,
}

impl Default for ProveArgs {
    fn default() -> Self {
        Self {
            fixture: None,
            workload: None,
            n: None,
            case: None,
            blocks: None,
            calls: None,
            depth: None,
            out: None,
            profile: Profile::Default,
            json: false,
            check: false,
            compare_revm: false,
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
    /// Auxiliary (quadratic-extension) columns: LogUp helpers and running sums.
    aux_columns: usize,
    /// Wall time of the component's proof (after the block's main-trace commitments; the
    /// components prove one after another).
    prove_ms: f64,
    /// Main-trace cells per executed step.
    cells_per_step: f64,
    /// Main and auxiliary cells per executed step, an extension cell counted as two.
    all_cells_per_step: f64,
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
    /// Calls the execution made (CALL, CALLCODE, DELEGATECALL, STATICCALL into code), and
    /// all tables' rows (padded to powers of two) per call.
    calls: u64,
    rows_per_call: Option<f64>,
    gas_per_second: f64,
    steps_per_second: f64,
    peak_memory_bytes: Option<u64>,
    components: Vec<ComponentReport>,
    /// The peer: plain revm executing the same transaction (best of 5), and how many times
    /// longer witness recording plus proving took.
    revm_execution_ms: Option<f64>,
    prove_over_revm: Option<f64>,
    unproven: &'static str,
}

fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1e3
}

/// A bench workload, with its loop count replaced by `n` if given, and its label.
fn find_workload(
    name: &str,
    n: Option<u64>,
) -> anyhow::Result<(String, zkevm_evm_spec::workload::Workload)> {
    use zkevm_evm_spec::workload;
    let mut w = workload::find(workload::load(&workload::default_path()?)?, name)?;
    let label = match n {
        Some(n) => {
            w.calldata = calldata_word(n).into();
            format!("{name} (n = {n})")
        }
        None => name.to_string(),
    };
    Ok((label, w))
}

/// The built-in program the arguments name, and its label.
fn builtin(args: &ProveArgs) -> (String, Program) {
    match (args.blocks, args.calls, args.depth) {
        (Some(blocks), _, _) => (
            format!("built-in straight-line program ({blocks} blocks)"),
            Program::new(straight_line_program(blocks as usize), Vec::new()),
        ),
        (_, Some(calls), _) => (
            format!("built-in call_loop ({calls} calls)"),
            call_loop(calls),
        ),
        (_, _, Some(depth)) => (
            format!("built-in nested_calls ({depth} frames deep)"),
            nested_calls(depth),
        ),
        (None, None, None) => {
            let n = args.n.unwrap_or(FIB_LOOP_N);
            (
                format!("built-in fib_loop (n = {n})"),
                Program::new(fib_loop_program(), calldata_word(n)),
            )
        }
    }
}

/// Best of five wall times of `run`.
fn best_of_five(run: &dyn Fn()) -> Duration {
    (0..5)
        .map(|_| {
            let started = Instant::now();
            run();
            started.elapsed()
        })
        .min()
        .unwrap_or_default()
}

pub fn run(args: &ProveArgs) -> anyhow::Result<()> {
    // The witness, and (for `bench prove`) how to run the same transaction on plain revm.
    let (workload, witness, plain): (String, _, Option<Box<dyn Fn()>>) =
        match (&args.fixture, &args.workload) {
            (Some(path), _) => {
                let (label, witness) = super::trace::case_witness(path, args.case.as_deref())?;
                (label, witness, None)
            }
            (None, Some(name)) => {
                let (label, w) = find_workload(name, args.n)?;
                let (_, witness) = w.trace().with_context(|| format!("executing {name}"))?;
                let run = move || drop(w.run());
                (label, witness, Some(Box::new(run)))
            }
            (None, None) => {
                let (label, program) = builtin(args);
                let witness = program.trace()?;
                let run = move || drop(program.execute());
                (label, witness, Some(Box::new(run)))
            }
        };
    if args.check {
        let tables = zkevm::evm::check(&witness).with_context(|| format!("{workload}: check"))?;
        if args.json {
            let report = serde_json::json!({"workload": workload, "holds": true, "tables": tables});
            println!("{report}");
        } else {
            println!("zkevm prove --check: {workload}");
            for t in &tables {
                println!(
                    "  {:<14} {:<10} rows: every constraint holds",
                    t.name, t.rows
                );
            }
            println!("  bus            balances with the statement's public messages");
        }
        return Ok(());
    }
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
    // (A call halting on its costs counts: its step decodes through the call's own row.)
    let calls: u64 = zkevm_air::call::OPCODES
        .map(|opcode| proven.statement.count_of(opcode))
        .iter()
        .sum();
    let rows: usize = proven.tables.iter().map(|t| t.rows).sum();
    let total = proven.trace_time + proven.prove_time;
    let revm = plain
        .filter(|_| args.compare_revm)
        .map(|run| best_of_five(&*run));
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
        calls,
        rows_per_call: (calls > 0).then(|| rows as f64 / calls as f64),
        gas_per_second: gas as f64 / total.as_secs_f64(),
        steps_per_second: steps as f64 / total.as_secs_f64(),
        peak_memory_bytes: profile.peak_memory,
        components: proven
            .tables
            .iter()
            .enumerate()
            .map(|(i, t)| ComponentReport {
                name: t.name,
                rows: t.rows,
                columns: t.columns,
                aux_columns: t.aux_columns,
                // The i-th proof is the i-th table's (a sharded table's name repeats).
                prove_ms: (profile.components.get(i))
                    .filter(|(name, _)| *name == t.name)
                    .map_or(0.0, |&(_, time)| ms(time)),
                cells_per_step: (t.rows * t.columns) as f64 / steps.max(1) as f64,
                all_cells_per_step: (t.rows * (t.columns + 2 * t.aux_columns)) as f64
                    / steps.max(1) as f64,
            })
            .collect(),
        revm_execution_ms: revm.map(ms),
        prove_over_revm: revm.map(|r| total.as_secs_f64() / r.as_secs_f64().max(1e-9)),
        unproven: "the transaction envelope (intrinsic gas, fees, nonce) and the state outside \
                   the frames' accounts are checked only against a fixture's post-state \
                   (zkevm test --prove)",
    };
    if args.json {
        println!("{}", serde_json::to_string(&report)?);
        return Ok(());
    }
    println!("zkevm prove: {}", report.workload);
    println!(
        "  execution      {steps} steps, {gas} gas (gas at entry {}, left {})",
        proven.statement.gas, proven.statement.gas_left
    );
    if let Some(per_call) = report.rows_per_call {
        println!("  calls          {calls}: {per_call:.1} rows per call (all tables, padded)");
    }
    println!("  outcome        {}", outcome(&proven.statement));
    println!("  component      rows       columns  aux  cells/step (main, all)  prove (ms)");
    for c in &report.components {
        let cells = format!("{:.1}, {:.1}", c.cells_per_step, c.all_cells_per_step);
        println!(
            "  {:<14} {:<10} {:<8} {:<4} {:<22} {:.1}",
            c.name, c.rows, c.columns, c.aux_columns, cells, c.prove_ms
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
    if let (Some(revm), Some(ratio)) = (report.revm_execution_ms, report.prove_over_revm) {
        println!(
            "  vs revm        plain execution {revm:.2} ms (best of 5); recording + proving takes \
             {ratio:.0}× as long"
        );
    }
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

/// How the frame ended, with its output.
fn outcome(statement: &zkevm_air::evm::Statement) -> String {
    let how = match (statement.halt, statement.reverted) {
        (Some(halt), _) => {
            let why = match halt.kind {
                zkevm_air::cpu::HaltKind::Stack => "stack",
                zkevm_air::cpu::HaltKind::OutOfGas => "out of gas",
                zkevm_air::cpu::HaltKind::Invalid => "invalid opcode",
                zkevm_air::cpu::HaltKind::FarMemory { .. } if halt.opcode == 0x3e => {
                    "a RETURNDATACOPY far past the return data (or to a far destination)"
                }
                zkevm_air::cpu::HaltKind::FarMemory { .. } => "out of gas expanding memory",
                zkevm_air::cpu::HaltKind::FarJump => "a jump far past the code",
                zkevm_air::cpu::HaltKind::DynamicCost => "out of gas on its dynamic cost",
                zkevm_air::cpu::HaltKind::StaticWrite => "a state change in a static frame",
                zkevm_air::cpu::HaltKind::InvalidJump => "a jump to no JUMPDEST",
                zkevm_air::cpu::HaltKind::ReturnDataOutOfBounds => {
                    "a RETURNDATACOPY past the return data"
                }
                zkevm_air::cpu::HaltKind::StaticCallValue => {
                    "a CALL moving value in a static frame"
                }
            };
            return format!("halted at opcode 0x{:02x} ({why})", halt.opcode);
        }
        (None, true) => "reverted",
        (None, false) => "succeeded",
    };
    match statement.output.len() {
        0 => format!("{how}, no output"),
        len if len <= 64 => format!("{how}, output 0x{}", super::output::hex(&statement.output)),
        len => format!("{how}, output {len} bytes"),
    }
}
