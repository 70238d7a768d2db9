//! `zkevm test <file-or-dir>… [--filter SUBSTR] [--prove [--profile NAME]] [--json]`: runs EEST
//! state tests (Osaka); with `--prove`, also proves and verifies every passing case whose
//! execution the prover covers, and reports the others as unsupported, naming why.

use clap::Args;
use std::path::PathBuf;
use std::time::Instant;
use zkevm::evm::prove_case;
use zkevm_evm_spec::fixture::fixtures_dir;
use zkevm_evm_spec::runner::{collect_files, run_files_with, verdict_of, Status};
use zkevm_prover::Profile;

#[derive(Debug, Args)]
pub struct TestArgs {
    /// Fixture files or directories (default: `<fixtures>/eest`, fixtures from `ZKEVM_FIXTURES`
    /// or `../shared/fixtures`).
    pub paths: Vec<PathBuf>,
    /// Only run cases whose id or file path contains this string.
    #[arg(long)]
    pub filter: Option<String>,
    /// Prove and verify each passing case (status `proved`, or `unsupported` with the reason).
    #[arg(long)]
    pub prove: bool,
    /// Proof-option profile for `--prove`.
    #[arg(long, default_value = "default", value_parser = super::prove::parse_profile)]
    pub profile: Profile,
    /// Print `{"total":…,"passed":…,"failed":…,"skipped":…,"cases":[…]}` (with `--prove`
    /// also `"proved"`, `"unsupported"` and `"unsupported_by_reason":[{"reason":…,"count":…}]`).
    #[arg(long)]
    pub json: bool,
}

/// The `--json` output: the summary, and with `--prove` the unsupported cases by reason.
#[derive(serde::Serialize)]
struct Report<'a> {
    #[serde(flatten)]
    summary: &'a zkevm_evm_spec::runner::Summary,
    #[serde(skip_serializing_if = "Option::is_none")]
    unsupported_by_reason: Option<Vec<ReasonCount<'a>>>,
}

#[derive(serde::Serialize)]
struct ReasonCount<'a> {
    reason: &'a str,
    count: usize,
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
    let profile = args.profile;
    let judge = |case: &_, post: &_| {
        if args.prove {
            prove_case(case, post, profile)
        } else {
            verdict_of(case, post)
        }
    };
    let summary = run_files_with(&files, args.filter.as_deref(), judge, |case| {
        if json {
            return;
        }
        let label = match case.status {
            // (Proving, a passed case is one with nothing to prove: an invalid transaction.)
            Status::Passed if args.prove => "PASSED (nothing to prove)",
            Status::Passed | Status::Proved => return,
            Status::Failed => "FAIL",
            Status::Skipped => "SKIP",
            Status::Unsupported => "UNSUPPORTED",
        };
        println!(
            "{label} {} ({}): {}",
            case.id,
            case.file,
            case.reason.as_deref().unwrap_or("")
        );
    });
    let by_reason = summary.unsupported_by_reason();
    if json {
        let report = Report {
            summary: &summary,
            unsupported_by_reason: args.prove.then(|| {
                (by_reason.iter())
                    .map(|(reason, count)| ReasonCount {
                        reason,
                        count: *count,
                    })
                    .collect()
            }),
        };
        println!("{}", serde_json::to_string(&report)?);
    } else {
        if !by_reason.is_empty() {
            println!("unsupported, by reason:");
            for (reason, count) in &by_reason {
                println!("{count:6}  {reason}");
            }
        }
        let proving = match (summary.proved, summary.unsupported) {
            (None, None) => String::new(),
            (proved, unsupported) => format!(
                "{} proved, {} unsupported, ",
                proved.unwrap_or(0),
                unsupported.unwrap_or(0)
            ),
        };
        println!(
            "{proving}{} passed, {} failed, {} skipped ({} cases in {} files, {:.2}s)",
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
