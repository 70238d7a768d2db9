//! Every witness of the EEST state tests lays out as tables that satisfy the EVM components'
//! constraints: its stack, memory and call-context log as an RW table (reads see the last
//! write, stack and call context written first, fresh memory reads zero) and its executed codes
//! as a Bytecode table. Proving them all would take minutes; the constraints are the same.

use zkevm_air::bytecode::{self, Bytecode};
use zkevm_air::check_constraints;
use zkevm_air::rw::{self, ReadWrite};
use zkevm_evm_spec::fixture::{fixtures_dir, load_file};
use zkevm_evm_spec::runner::{collect_files, trace_case};
use zkevm_evm_spec::witness::Witness;

/// Runs `check` on every state-test witness; returns (cases, failures naming the case).
fn for_every_witness(check: impl Fn(&Witness) -> Result<(), String>) -> (usize, Vec<String>) {
    let dir = fixtures_dir().expect("fixtures directory").join("eest");
    let (mut cases, mut failures) = (0usize, Vec::new());
    for file in collect_files(&[dir]).expect("fixture files") {
        let loaded = load_file(&file).expect("fixture file loads");
        for (id, case) in loaded.cases {
            let case = case.expect("case parses");
            for post in &case.post {
                let witness = trace_case(&case, post).unwrap_or_else(|e| panic!("{id}: {e}"));
                cases += 1;
                if let Err(e) = check(&witness) {
                    failures.push(format!("{id}: {e}"));
                }
            }
        }
    }
    (cases, failures)
}

fn assert_all_pass(cases: usize, failures: &[String]) {
    assert!(cases >= 1_595, "only {cases} cases");
    assert!(
        failures.is_empty(),
        "{} of {cases} witnesses rejected:\n{}",
        failures.len(),
        failures[..failures.len().min(20)].join("\n")
    );
}

#[test]
fn every_state_test_witness_satisfies_the_rw_constraints() {
    let (cases, failures) = for_every_witness(|witness| {
        let (list, _) = rw::accesses(witness).map_err(|e| e.to_string())?;
        if list.is_empty() {
            return Ok(());
        }
        let table = rw::trace(&list).map_err(|e| e.to_string())?;
        check_constraints(&ReadWrite, &table.columns).map_err(|e| e.to_string())
    });
    assert_all_pass(cases, &failures);
}

#[test]
fn every_state_test_code_satisfies_the_bytecode_constraints() {
    let (cases, failures) = for_every_witness(|witness| {
        let codes: Vec<&[u8]> = witness.bytecodes.iter().map(|c| c.code.as_ref()).collect();
        if codes.iter().all(|c| c.is_empty()) {
            return Ok(());
        }
        let columns =
            bytecode::trace(&codes, |_, _| bytecode::Uses::default()).map_err(|e| e.to_string())?;
        check_constraints(&Bytecode, &columns).map_err(|e| e.to_string())
    });
    assert_all_pass(cases, &failures);
}
