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
    /// Prove and verify the built-in demo workload (the default when no subcommand is given).
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
    let cli = Cli::parse();
    let result = match cli.command {
        None => cli::demo::run(&cli::demo::DemoArgs::default()),
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
