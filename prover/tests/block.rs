//! Honest blocks verify; each kind of cheating is rejected.

use crate::common::*;
use zkevm_air::examples::example_block;
use zkevm_field::{FieldElement, Goldilocks, Quadratic};
use zkevm_prover::{
    prove_block, prove_block_with_challenges, prove_block_with_public, verify_block,
    verify_block_for, BlockError, Profile,
};

const FAST: &[Profile] = &[Profile::FastTest];

fn verify(block: &zkevm_prover::BlockProof) -> Result<(), BlockError> {
    verify_block(&block.to_bytes(), FAST).map(|_| ())
}

#[test]
fn honest_block_proves_and_verifies() {
    let block = honest(Profile::FastTest);
    let verified = verify_block_for(&block.to_bytes(), STATEMENT, &[], FAST).unwrap();
    assert_eq!(verified.components.len(), 3);
    assert!(block.components.iter().all(|c| c.claim != Quadratic::ZERO));
    // The same bytes are about this statement only, and need an accepted profile.
    assert!(matches!(
        verify_block_for(&block.to_bytes(), b"another", &[], FAST),
        Err(BlockError::StatementMismatch)
    ));
    assert!(matches!(
        verify_block(&block.to_bytes(), &[Profile::Default]),
        Err(BlockError::ProfileNotAccepted(_))
    ));
}

#[test]
fn honest_block_verifies_with_the_default_profile() {
    let block = honest(Profile::Default);
    assert!(Profile::Default.conjectured_security_bits() >= 100);
    verify_block(&block.to_bytes(), &[Profile::Default]).unwrap();
    for c in &block.components {
        let proof = winterfell::Proof::from_bytes(&c.proof).unwrap();
        let bits = proof.conjectured_security::<zkevm_prover::Hash>().bits();
        assert_eq!(bits, Profile::Default.conjectured_security_bits());
    }
}

#[test]
fn value_missing_from_the_table_is_rejected() {
    let words = words();
    let mut traces = traces(&words, &words, &words);
    // Row 0 of the limbs component claims word 0 = 65536 + 2^16·(−1): the low limb 65536 is
    // not a 16-bit value, the table cannot provide it.
    let limbs = &mut traces[1].columns;
    limbs[0][0] = Goldilocks::new(0);
    limbs[1][0] = Goldilocks::new(65_536);
    limbs[2][0] = -Goldilocks::ONE;
    let block = prove_block(STATEMENT, traces, Profile::FastTest).unwrap();
    assert!(matches!(verify(&block), Err(BlockError::Unbalanced(_))));
}

#[test]
fn message_sent_but_not_received_is_rejected() {
    let words = words();
    let block = prove_block(
        STATEMENT,
        traces(&words, &words, &words[..words.len() - 1]),
        Profile::FastTest,
    )
    .unwrap();
    assert!(matches!(verify(&block), Err(BlockError::Unbalanced(_))));
}

#[test]
fn wrong_multiplicity_is_rejected() {
    let words = words();
    let mut traces = traces(&words, &words, &words);
    traces[0].columns[1][7] += Goldilocks::ONE;
    let block = prove_block(STATEMENT, traces, Profile::FastTest).unwrap();
    assert!(matches!(verify(&block), Err(BlockError::Unbalanced(_))));
}

#[test]
fn wrong_claimed_sums_are_rejected() {
    let block = honest(Profile::FastTest);
    let delta = Quadratic::new(Goldilocks::new(5), Goldilocks::new(9));

    // One claim off: the bus does not balance.
    let mut one = block.clone();
    one.components[2].claim += delta;
    assert!(matches!(verify(&one), Err(BlockError::Unbalanced(_))));

    // Two claims off so that they still cancel: the boundary assertion on the running sum
    // rejects the component proofs.
    let mut two = block.clone();
    two.components[1].claim += delta;
    two.components[2].claim -= delta;
    assert!(matches!(verify(&two), Err(BlockError::Rejected { .. })));
}

#[test]
fn challenges_not_derived_from_the_roots_are_rejected() {
    let gamma = Quadratic::new(Goldilocks::new(11), Goldilocks::new(12));
    let beta = Quadratic::new(Goldilocks::new(13), Goldilocks::new(14));
    let block = prove_block_with_challenges(
        STATEMENT,
        example_block(&words()),
        Profile::FastTest,
        gamma,
        beta,
    )
    .unwrap();
    // The bus balances under the chosen challenges, but they are not the block's.
    assert!(matches!(verify(&block), Err(BlockError::Rejected { .. })));
}

#[test]
fn swapped_and_reordered_proofs_are_rejected() {
    let block = honest(Profile::FastTest);

    let mut swapped = block.clone();
    let (a, b) = (
        swapped.components[1].proof.clone(),
        swapped.components[2].proof.clone(),
    );
    swapped.components[1].proof = b;
    swapped.components[2].proof = a;
    assert!(matches!(
        verify(&swapped),
        Err(BlockError::MalformedComponent { .. })
    ));

    let mut reordered = block.clone();
    reordered.components.swap(1, 2);
    assert!(matches!(
        verify(&reordered),
        Err(BlockError::Rejected { .. })
    ));

    let mut restated = block.clone();
    restated.statement = b"something else".to_vec();
    assert!(matches!(
        verify(&restated),
        Err(BlockError::Rejected { .. })
    ));
}

#[test]
fn malformed_traces_are_errors() {
    let mut traces = example_block(&[1, 2, 3]);
    traces[1].columns.pop();
    assert!(matches!(
        prove_block(STATEMENT, traces, Profile::FastTest),
        Err(BlockError::Air(_))
    ));
    assert!(matches!(
        prove_block(STATEMENT, Vec::new(), Profile::FastTest),
        Err(BlockError::ComponentCount { .. })
    ));
}

#[test]
fn keccak_permutations_prove_and_a_wrong_output_is_rejected() {
    use zkevm_air::keccak::{permutation_block, public_messages, LANES};
    let inputs: Vec<[u64; LANES]> = vec![
        [0; LANES],
        core::array::from_fn(|i| (i as u64 + 1).wrapping_mul(0x9e37_79b9_7f4a_7c15)),
    ];
    let (traces, outputs) = permutation_block(&inputs);
    let public = public_messages(&inputs, &outputs);
    let block = prove_block_with_public(b"keccak", &public, traces, Profile::FastTest).unwrap();
    let bytes = block.to_bytes();
    let verified = verify_block_for(&bytes, b"keccak", &public, FAST).unwrap();
    assert_eq!(verified.components.len(), 2);
    zkevm_air::keccak::check_permutation_components(&verified.components).unwrap();
    // The proof is of these outputs only.
    let mut wrong = outputs.clone();
    wrong[1][0] ^= 1;
    let claimed = public_messages(&inputs, &wrong);
    assert!(verify_block_for(&bytes, b"keccak", &claimed, FAST).is_err());
}

#[test]
fn keccak_joined_with_its_and_table_proves_as_one_component() {
    use zkevm_air::keccak::{join, public_messages, trace, LANES};
    use zkevm_air::{ComponentId, ComponentTrace};
    let inputs: Vec<[u64; LANES]> = vec![core::array::from_fn(|i| i as u64 * 0x0101_0101)];
    let keccak = trace(&inputs);
    let and = zkevm_air::and_table::trace(keccak.and_pairs);
    let traces = vec![ComponentTrace {
        id: ComponentId::KeccakAnd,
        columns: join(keccak.columns, and),
    }];
    let public = public_messages(&inputs, &keccak.outputs);
    let block = prove_block_with_public(b"keccak", &public, traces, Profile::FastTest).unwrap();
    let bytes = block.to_bytes();
    let verified = verify_block_for(&bytes, b"keccak", &public, FAST).unwrap();
    assert_eq!(verified.components, [ComponentId::KeccakAnd]);
    zkevm_air::keccak::check_permutation_components(&verified.components).unwrap();
    let mut wrong = keccak.outputs.clone();
    wrong[0][24] ^= 1 << 63;
    let claimed = public_messages(&inputs, &wrong);
    assert!(verify_block_for(&bytes, b"keccak", &claimed, FAST).is_err());
}
