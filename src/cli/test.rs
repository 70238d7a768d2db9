//! `zkevm test <file-or-dir>… [--filter SUBSTR] [--json]`: runs EEST state tests (Osaka).

use clap::Args;
use std::path::PathBuf;
use std::time::Instant;
use zkevm_evm_spec::fixture::fixtures_dir;
use zkevm_evm_spec::runner::{collect_files, run_files, Status};

#[derive(Debug, Args)]
pub struct TestArgs {
    /// Fixture files or directories (default: `<fixtures>/eest`, fixtures from `ZKEVM_FIXTURES`
    /// or `../shared/fixtures`).
    pub paths: Vec<PathBuf>,
    /// Only run cases whose id or file path contains this string.
    #[arg(long)]
    pub filter: Option<String>,
    /// Print `{"total":…,"passed":…,"failed":…,"skipped":…,"cases":[…]}`.
    #[arg(long)]
    pub json: bool,
}

pub fn run(args: &TestArgs) -> anyhow::Result<()> {
    let paths = if args.paths.is_empty() {
        vec![fixtures_dir()?.join("eest")]
    } else {
        args.paths.clone()
    };
    let files = collect_files(&paths)?;
    let started = Instant::now();
    let json = args.json;
    let summary = run_files(&files, args.filter.as_deref(), |case| {
        if json {
            return;
        }
        match case.status {
            Status::Passed => {}
            Status::Failed => println!(
                "FAIL {} ({}): {}",
                case.id,
                case.file,
                case.reason.as_deref().unwrap_or("")
            ),
            Status::Skipped => println!(
                "SKIP {} ({}): {}",
                case.id,
                case.file,
                case.reason.as_deref().unwrap_or("")
            ),
        }
    });
    if json {
        println!("{}", serde_json::to_string(&summary)?);
    } else {
        println!(
            "{} passed, {} failed, {} skipped ({} cases in {} files, {:.2}s)",
            summary.passed,
            summary.failed,
            summary.skipped,
            summary.total,
            files.len(),
            started.elapsed().as_secs_f64()
        );
    }
    if summary.failed > 0 {
        anyhow::bail!("{} of {} cases failed", summary.failed, summary.total);
    }
    Ok(())
}
