//! The `zkevm` command-line tool. Each subcommand lives in its own module under `src/cli/`.

use clap::{Parser, Subcommand};
use std::process::ExitCode;

mod cli;

#[derive(Parser)]
#[command(
    name = "zkevm",
    version,
    about = "Prove Ethereum execution with STARKs over a SIMD Goldilocks field"
)]
struct Cli {
    #[command(subcommand)]
    command: Option<Command>,
}

#[derive(Subcommand)]
enum Command {
    /// Prove one EVM execution end to end and verify it (the default when no subcommand is
    /// given: the built-in program).
    Prove(cli::prove::ProveArgs),
    /// Verify a proof written by `zkevm prove --out` or `zkevm wrap --out`.
    Verify(cli::verify::VerifyArgs),
    /// Compress a STARK proof into a 256-byte Groth16 proof over BN254 (default: a built-in
    /// Fibonacci proof, proven first).
    Wrap(cli::wrap::WrapArgs),
    /// Write the Solidity contract that verifies wrapped proofs.
    ExportVerifier(cli::wrap::ExportArgs),
    /// Prove and verify a Fibonacci AIR with winterfell over our field (the field and prover
    /// without the EVM).
    Demo(cli::demo::DemoArgs),
    /// Measure our components against their peers in one run.
    #[command(subcommand)]
    Bench(cli::bench::BenchCommand),
    /// Run EEST state tests (Osaka) and check post state, logs and state root.
    Test(cli::test::TestArgs),
    /// Record the witness of one state-test case.
    Trace(cli::trace::TraceArgs),
    /// Execute a benchmark workload with witness recording.
    Run(cli::run::RunArgs),
}

fn main() -> ExitCode {
    // Large buffers are recycled instead of faulted in afresh (see `zkevm::allocator`).
    zkevm::allocator::keep_freed_memory();
    let cli = Cli::parse();
    let result = match cli.command {
        None => cli::prove::run(&cli::prove::ProveArgs::default()),
        Some(Command::Prove(args)) => cli::prove::run(&args),
        Some(Command::Verify(args)) => cli::verify::run(&args),
        Some(Command::Wrap(args)) => cli::wrap::run(&args),
        Some(Command::ExportVerifier(args)) => cli::wrap::export(&args),
        Some(Command::Demo(args)) => cli::demo::run(&args),
        Some(Command::Bench(cmd)) => cli::bench::run(cmd),
        Some(Command::Test(args)) => cli::test::run(&args),
        Some(Command::Trace(args)) => cli::trace::run(&args),
        Some(Command::Run(args)) => cli::run::run(&args),
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(err) => {
            eprintln!("error: {err:#}");
            ExitCode::FAILURE
        }
    }
}
