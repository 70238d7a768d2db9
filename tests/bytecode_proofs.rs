//! The Bytecode component proven end to end with the sponge, Keccak and AND components that
//! hash its codes: the bench workloads' contracts, bound to the statement by their code hashes,
//! prove and verify; a verifier holding another hash, another length or one code less rejects
//! the proof; a trace that marks PUSH data as an opcode does not verify.

use zkevm_air::bytecode::{self, col, CodeHash};
use zkevm_air::{keccak, sponge, ComponentId, ComponentTrace, PublicMessage};
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

/// A Bytecode table (`columns`, of `codes`) with the tables hashing `codes`, and the number of
/// permutations they run.
fn traces(codes: &[&[u8]], columns: Vec<Vec<Goldilocks>>) -> (Vec<ComponentTrace>, usize) {
    let (mut traces, permutations) =
        sponge::hashing_tables(&bytecode::hashes(codes), [], zkevm_air::keccak::SHARD_ROWS);
    traces.push(ComponentTrace {
        id: ComponentId::Bytecode,
        columns,
    });
    (traces, permutations)
}

/// What a verifier holding `statement` puts on the bus (the round table for `permutations`).
fn public(statement: &[CodeHash], permutations: usize) -> Vec<PublicMessage> {
    let mut messages = bytecode::public_messages(statement);
    messages.extend(keccak::round_messages(permutations));
    messages
}

#[test]
fn workload_contracts_prove_and_bind_to_their_hashes() {
    let owned = workload_codes();
    let codes: Vec<&[u8]> = owned.iter().map(Vec::as_slice).collect();
    let columns = bytecode::trace(&codes, |_, _| bytecode::Uses::default()).expect("codes");
    let (traces, n) = traces(&codes, columns);
    assert_eq!(
        n,
        codes
            .iter()
            .map(|c| c.len() / sponge::RATE + 1)
            .sum::<usize>()
    );
    let statement: Vec<CodeHash> = codes.iter().map(|c| CodeHash::of(c)).collect();
    let bytes =
        prove_block_with_public(STATEMENT, &public(&statement, n), traces, Profile::FastTest)
            .expect("proving")
            .to_bytes();
    let verified = verify_block_for(&bytes, STATEMENT, &public(&statement, n), FAST)
        .expect("honest bytecode proof verifies");
    assert!(verified.components.contains(&ComponentId::Bytecode));

    // The verifier's statement has one hash bit changed, a length one off, or one code less.
    let mut hash = statement.clone();
    hash[0].hash[10] ^= 0x01;
    let mut len = statement.clone();
    len[1].len += 1;
    let fewer = statement[1..].to_vec();
    for other in [hash, len, fewer] {
        let result = verify_block_for(&bytes, STATEMENT, &public(&other, n), FAST);
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
    let (traces, n) = traces(&codes, forged);
    let public = public(&[CodeHash::of(code)], n);
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
