//! The Bytecode component proven end to end: the bench workloads' contracts, bound to the
//! statement as public data, prove and verify; a verifier holding other code rejects the proof;
//! a trace that marks PUSH data as an opcode does not verify.

use zkevm_air::bytecode::{self, col};
use zkevm_air::{ComponentId, ComponentTrace};
use zkevm_field::Goldilocks;
use zkevm_prover::{prove_block_with_public, verify_block_for, BlockError, Profile};

const STATEMENT: &[u8] = b"bytecode of the bench workloads";
const FAST: &[Profile] = &[Profile::FastTest];

fn workload_codes() -> Vec<Vec<u8>> {
    let path = zkevm_evm_spec::workload::default_path().expect("fixtures directory");
    let workloads = zkevm_evm_spec::workload::load(&path).expect("bench workloads load");
    let mut codes: Vec<Vec<u8>> = workloads
        .iter()
        .flat_map(|w| w.pre.values().map(|a| a.code.to_vec()))
        .filter(|c| !c.is_empty())
        .collect();
    codes.sort();
    codes.dedup();
    codes
}

fn prove(columns: Vec<Vec<Goldilocks>>, codes: &[&[u8]]) -> Vec<u8> {
    let public = bytecode::public_messages(codes);
    let traces = vec![ComponentTrace {
        id: ComponentId::Bytecode,
        columns,
    }];
    prove_block_with_public(STATEMENT, &public, traces, Profile::FastTest)
        .expect("proving")
        .to_bytes()
}

#[test]
fn workload_contracts_prove_and_bind_to_the_statement() {
    let owned = workload_codes();
    let codes: Vec<&[u8]> = owned.iter().map(Vec::as_slice).collect();
    let bytes = prove(
        bytecode::trace(&codes, |_, _| bytecode::Uses::default()).expect("codes have bytes"),
        &codes,
    );
    let verified = verify_block_for(&bytes, STATEMENT, &bytecode::public_messages(&codes), FAST)
        .expect("honest bytecode proof verifies");
    assert_eq!(verified.components, vec![ComponentId::Bytecode]);

    // The verifier's statement has one byte changed, or one code less.
    let mut changed = owned.clone();
    changed[0][10] ^= 0x01;
    let changed: Vec<&[u8]> = changed.iter().map(Vec::as_slice).collect();
    let fewer = &codes[1..];
    for other in [changed.as_slice(), fewer] {
        let result = verify_block_for(&bytes, STATEMENT, &bytecode::public_messages(other), FAST);
        assert!(
            matches!(result, Err(BlockError::Unbalanced(_))),
            "{result:?}"
        );
    }
}

#[test]
fn push_data_marked_as_code_does_not_verify() {
    // PUSH1 0x5b JUMPDEST: the first 0x5b is data; the forged trace calls it code.
    let code: &[u8] = &[0x60, 0x5b, 0x5b, 0x00];
    let codes = [code];
    let mut forged =
        bytecode::trace(&codes, |_, _| bytecode::Uses::default()).expect("codes have bytes");
    forged[col::IS_CODE][1] = Goldilocks::ONE;
    forged[col::PUSH_LEFT][1] = Goldilocks::ZERO;
    forged[col::PUSH_LEFT_INV][1] = Goldilocks::ZERO;
    let public = bytecode::public_messages(&codes);
    let traces = vec![ComponentTrace {
        id: ComponentId::Bytecode,
        columns: forged,
    }];
    // Either the prover notices (debug builds check constraints) or the verifier rejects.
    let outcome = std::panic::catch_unwind(|| {
        prove_block_with_public(STATEMENT, &public, traces, Profile::FastTest)
    });
    if let Ok(Ok(proof)) = outcome {
        let result = verify_block_for(&proof.to_bytes(), STATEMENT, &public, FAST);
        assert!(
            matches!(result, Err(BlockError::Rejected { .. })),
            "{result:?}"
        );
    }
}
