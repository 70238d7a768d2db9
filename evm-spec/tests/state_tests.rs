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

#[test]
fn revm_validity_accepts_exactly_the_transactions_the_fixtures_expect_to_run() {
    // `exec::validity` (revm's own checks, without executing) on every case's pre-state: the
    // fixtures' valid transactions pass, and each one they expect rejected is refused.
    let dir = fixtures_dir()
        .unwrap_or_else(|e| panic!("{e}"))
        .join("eest");
    let files = collect_files(&[dir]).unwrap_or_else(|e| panic!("{e}"));
    let (mut valid, mut invalid) = (0, 0);
    for file in &files {
        let loaded = zkevm_evm_spec::fixture::load_file(file).unwrap_or_else(|e| panic!("{e}"));
        for (id, case) in loaded.cases {
            let case = case.unwrap_or_else(|e| panic!("{id}: {e}"));
            let chain = zkevm_evm_spec::runner::chain_config(&case);
            for post in &case.post {
                let verdict = zkevm_evm_spec::exec::state_test_tx(&case, post)
                    .map_err(|e| e.to_string())
                    .and_then(|tx| {
                        zkevm_evm_spec::exec::validity(&case.pre, &case.env, &chain, tx)
                    });
                match (&post.expect_exception, verdict) {
                    (None, Ok(())) => valid += 1,
                    (Some(_), Err(_)) => invalid += 1,
                    (expected, verdict) => panic!("{id}: expected {expected:?}, got {verdict:?}"),
                }
            }
        }
    }
    assert_eq!((valid, invalid), (1594, 1));
}

#[test]
fn a_transaction_refused_for_another_reason_than_the_fixture_names_fails() {
    // stExample/invalidTr: the fixture expects INTRINSIC_GAS_TOO_LOW, and revm refuses the
    // transaction for its intrinsic gas. Named otherwise, the same refusal is a failure.
    let file = fixtures_dir()
        .unwrap_or_else(|e| panic!("{e}"))
        .join("eest/state_tests/static/state_tests/stExample/invalidTr.json");
    let loaded = zkevm_evm_spec::fixture::load_file(&file).unwrap_or_else(|e| panic!("{e}"));
    let (id, case) = loaded
        .cases
        .into_iter()
        .next()
        .expect("invalidTr has a case");
    let case = case.unwrap_or_else(|e| panic!("{id}: {e}"));
    let post = case
        .post
        .first()
        .expect("invalidTr has a post-state")
        .clone();
    let expected = post.expect_exception.clone();
    assert_eq!(
        expected.as_deref(),
        Some("TransactionException.INTRINSIC_GAS_TOO_LOW")
    );
    zkevm_evm_spec::runner::run_case(&case, &post).unwrap_or_else(|e| panic!("{e}"));
    zkevm_evm_spec::runner::trace_case(&case, &post).unwrap_or_else(|e| panic!("{e}"));
    for named in [
        "TransactionException.INSUFFICIENT_ACCOUNT_FUNDS",
        "TransactionException.NONCE_MISMATCH_TOO_LOW",
    ] {
        let mut other = post.clone();
        other.expect_exception = Some(named.into());
        for verdict in [
            zkevm_evm_spec::runner::run_case(&case, &other),
            zkevm_evm_spec::runner::trace_case(&case, &other).map(|_| ()),
        ] {
            let why = verdict.unwrap_err();
            assert!(
                why.contains("INTRINSIC_GAS_TOO_LOW") && why.contains(named),
                "{named}: {why}"
            );
        }
    }
    // Listed among alternatives, the right name suffices.
    let mut either = post.clone();
    either.expect_exception = Some(format!(
        "TransactionException.INSUFFICIENT_ACCOUNT_FUNDS|{}",
        expected.unwrap()
    ));
    zkevm_evm_spec::runner::run_case(&case, &either).unwrap_or_else(|e| panic!("{e}"));
}
