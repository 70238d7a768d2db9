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

/// Applies `mutate` to a copy of `w` and requires the checker to reject it naming a step.
fn assert_rejected(
    w: &Witness,
    what: &str,
    mutate: impl FnOnce(&mut Witness),
) -> Result<(), String> {
    let mut bad = w.clone();
    mutate(&mut bad);
    if bad == *w {
        return Ok(());
    }
    match check_witness(&bad) {
        Ok(_) => Err(format!("{what}: accepted")),
        Err(e) if e.step.is_none() && e.rw.is_none() => {
            Err(format!("{what}: rejected without naming a step: {e}"))
        }
        Err(_) => Ok(()),
    }
}

/// A sample of witnesses: every 40th state test and the fib/keccak/sstore loops with small n.
fn sample() -> Vec<(String, Witness)> {
    let mut out: Vec<(String, Witness)> = all_fixture_witnesses().into_iter().step_by(40).collect();
    let path = workload::default_path().unwrap_or_else(|e| panic!("{e}"));
    let all = workload::load(&path).unwrap_or_else(|e| panic!("{e}"));
    for name in ["fib_loop", "keccak_loop", "sstore_loop"] {
        let mut w = workload::find(all.clone(), name).unwrap_or_else(|e| panic!("{e}"));
        // n = 5 iterations keeps every mutation position cheap to check.
        let mut data = vec![0u8; 32];
        data[31] = 5;
        w.calldata = data.into();
        let (_, witness) = w.trace().unwrap_or_else(|e| panic!("{e}"));
        out.push((name.to_string(), witness));
    }
    out
}

#[test]
fn every_single_value_mutation_is_rejected() {
    let mut escapes = Vec::new();
    let mut tried = 0usize;
    for (id, w) in sample() {
        assert!(check_witness(&w).is_ok(), "{id}: honest witness rejected");
        // Every RW value of the kinds the AIRs constrain: stack, memory, storage.
        for (i, rw) in w.rw.iter().enumerate() {
            let kind = match rw.target {
                RwTarget::Stack { .. } => "stack word",
                RwTarget::Memory { .. } => "memory word",
                RwTarget::Storage { .. } | RwTarget::StorageOriginal { .. } => "storage value",
                RwTarget::Log { .. } => "log field",
                _ => continue,
            };
            tried += 1;
            let what = format!("{id}: {kind} rw {i} ({:?})", rw.target);
            if let Err(e) = assert_rejected(&w, &what, |b| {
                b.rw[i].value ^= alloy_primitives::U256::from(1)
            }) {
                escapes.push(e);
            }
        }
        for (i, s) in w.steps.iter().enumerate() {
            tried += 3;
            let what = format!("{id}: step {i} gas");
            if let Err(e) = assert_rejected(&w, &what, |b| b.steps[i].gas += 1) {
                escapes.push(e);
            }
            if s.error.is_none() {
                let what = format!("{id}: step {i} gas cost");
                if let Err(e) = assert_rejected(&w, &what, |b| b.steps[i].gas_cost += 1) {
                    escapes.push(e);
                }
            }
            let what = format!("{id}: step {i} opcode");
            if let Err(e) =
                assert_rejected(&w, &what, |b| b.steps[i].opcode = s.opcode.wrapping_add(1))
            {
                escapes.push(e);
            }
        }
    }
    assert!(tried > 1000, "too few mutations tried: {tried}");
    assert!(
        escapes.is_empty(),
        "{} of {tried} mutations accepted:\n{}",
        escapes.len(),
        escapes
            .iter()
            .take(40)
            .cloned()
            .collect::<Vec<_>>()
            .join("\n")
    );
}
