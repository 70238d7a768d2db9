//! Runs every EEST state test in the fixtures directory and requires all of them to pass.

use zkevm_evm_spec::fixture::fixtures_dir;
use zkevm_evm_spec::runner::{collect_files, run_files, Status};

#[test]
fn all_eest_state_tests_pass() {
    let dir = match fixtures_dir() {
        Ok(d) => d.join("eest"),
        Err(e) => panic!("{e}"),
    };
    let files = collect_files(&[dir]).unwrap_or_else(|e| panic!("{e}"));
    let summary = run_files(&files, None, |_| {});
    let failures: Vec<String> = summary
        .cases
        .iter()
        .filter(|c| c.status != Status::Passed)
        .take(20)
        .map(|c| format!("{} [{}]: {:?}", c.id, c.file, c.reason))
        .collect();
    assert!(
        failures.is_empty(),
        "{} failed, {} skipped:\n{}",
        summary.failed,
        summary.skipped,
        failures.join("\n")
    );
    // The fixture README documents 1,595 cases; fewer means the runner dropped some.
    assert_eq!(summary.total, 1595);
    assert_eq!(summary.passed, 1595);
}
