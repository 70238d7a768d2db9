//! `zkevm demo` (and plain `zkevm`): prove and verify the built-in workload, print its figures.

use anyhow::Context;
use clap::{Args, ValueEnum};
use zkevm::demo;

/// Field extension used for the demo's random challenges.
#[derive(Debug, Clone, Copy, ValueEnum)]
pub enum Extension {
    Quadratic,
    Cubic,
}

#[derive(Debug, Args)]
pub struct DemoArgs {
    /// log₂ of the trace length (rows).
    #[arg(long, default_value_t = 18, value_parser = clap::value_parser!(u32).range(3..=26))]
    pub log_rows: u32,
    /// Extension field for challenges.
    #[arg(long, value_enum, default_value_t = Extension::Quadratic)]
    pub extension: Extension,
    /// Print the figures as one JSON object.
    #[arg(long)]
    pub json: bool,
}

impl Default for DemoArgs {
    fn default() -> Self {
        Self {
            log_rows: 18,
            extension: Extension::Quadratic,
            json: false,
        }
    }
}

pub fn run(args: &DemoArgs) -> anyhow::Result<()> {
    let extension = match args.extension {
        Extension::Quadratic => winterfell::FieldExtension::Quadratic,
        Extension::Cubic => winterfell::FieldExtension::Cubic,
    };
    let rows = 1usize << args.log_rows;
    if !args.json {
        println!(
            "zkevm demo: proving a Fibonacci AIR ({rows} rows × 2 columns) with winterfell over our \
             Goldilocks field (packed backend: {})",
            zkevm_field::packed::BACKEND
        );
    }
    let report = demo::run(rows, extension).context("demo proof failed")?;
    if args.json {
        println!("{}", serde_json::to_string(&report)?);
    } else {
        println!(
            "  trace          {} rows × {} columns",
            report.rows, report.columns
        );
        println!("  extension      {}", report.extension);
        println!(
            "  prove time     {:.1} ms",
            report.prove_time.as_secs_f64() * 1e3
        );
        println!(
            "  verify time    {:.2} ms",
            report.verify_time.as_secs_f64() * 1e3
        );
        println!("  proof size     {} bytes", report.proof_bytes);
        println!(
            "  security       {} bits (conjectured)",
            report.conjectured_security_bits
        );
        println!("  result         F(2·{rows}) mod p = {}", report.result);
        println!(
            "  verified       yes (minimum {} bits required)",
            demo::MIN_SECURITY_BITS
        );
    }
    Ok(())
}
