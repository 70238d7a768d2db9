//! Public bus messages: data the verifier derives from the statement and puts on the bus
//! itself. A component that consumes them must hold exactly that data.

use crate::common::*;
use zkevm_air::examples::{accumulator_trace, WORDS};
use zkevm_air::{ComponentId, ComponentTrace, PublicMessage};
use zkevm_field::Goldilocks;
use zkevm_prover::{
    prove_block_with_public, verify_block, verify_block_for, BlockError, BlockProof, Profile,
};

const FAST: &[Profile] = &[Profile::FastTest];

/// The statement provides each word once; the accumulator consumes them.
fn public_words(words: &[u32]) -> Vec<PublicMessage> {
    words
        .iter()
        .map(|&w| PublicMessage::provide(WORDS, &[Goldilocks::new(w as u64)]))
        .collect()
}

fn prove(trace_words: &[u32], public: &[PublicMessage]) -> BlockProof {
    let traces = vec![ComponentTrace {
        id: ComponentId::Accumulator,
        columns: accumulator_trace(trace_words),
    }];
    prove_block_with_public(STATEMENT, public, traces, Profile::FastTest).unwrap()
}

fn is_rejection(result: &Result<zkevm_prover::VerifiedBlock, BlockError>) -> bool {
    matches!(
        result,
        Err(BlockError::Unbalanced(_)) | Err(BlockError::Rejected { .. })
    )
}

#[test]
fn a_component_holding_the_public_data_verifies() {
    let words = words();
    let public = public_words(&words);
    let bytes = prove(&words, &public).to_bytes();
    verify_block_for(&bytes, STATEMENT, &public, FAST).unwrap();
    assert!(matches!(
        verify_block_for(&bytes, b"another statement", &public, FAST),
        Err(BlockError::StatementMismatch)
    ));
}

#[test]
fn the_verifier_public_data_must_be_the_provers() {
    let words = words();
    let public = public_words(&words);
    let bytes = prove(&words, &public).to_bytes();

    // Without the public messages the component's consumption is unmatched.
    assert!(matches!(
        verify_block(&bytes, FAST),
        Err(BlockError::Unbalanced(_))
    ));
    // One word different, one word missing, one word extra.
    let mut changed = words.clone();
    changed[3] ^= 1;
    let missing = &words[..words.len() - 1];
    let mut extra = words.clone();
    extra.push(99);
    for other in [changed.as_slice(), missing, extra.as_slice()] {
        let result = verify_block_for(&bytes, STATEMENT, &public_words(other), FAST);
        assert!(is_rejection(&result), "{other:?}: {result:?}");
    }
}

#[test]
fn a_trace_that_differs_from_the_public_data_is_rejected() {
    let words = words();
    let public = public_words(&words);
    // The prover commits to the public list but its trace consumes another word.
    let mut forged = words.clone();
    forged[0] = 12_345;
    let bytes = prove(&forged, &public).to_bytes();
    let result = verify_block_for(&bytes, STATEMENT, &public, FAST);
    assert!(
        matches!(result, Err(BlockError::Unbalanced(_))),
        "{result:?}"
    );
    // A multiplicity of two for a word the trace holds once.
    let mut doubled = public.clone();
    doubled[2].multiplicity = Goldilocks::new(2);
    let bytes = prove(&words, &doubled).to_bytes();
    let result = verify_block_for(&bytes, STATEMENT, &doubled, FAST);
    assert!(
        matches!(result, Err(BlockError::Unbalanced(_))),
        "{result:?}"
    );
}

#[test]
fn oversized_public_messages_are_errors() {
    let words = words();
    let public = public_words(&words);
    let bytes = prove(&words, &public).to_bytes();
    let mut wide = public.clone();
    wide[0].fields = vec![Goldilocks::ONE; zkevm_air::bus::MAX_FIELDS + 1];
    assert!(matches!(
        verify_block_for(&bytes, STATEMENT, &wide, FAST),
        Err(BlockError::Air(_))
    ));
    // The prover refuses them too, before any work.
    let traces = vec![ComponentTrace {
        id: ComponentId::Accumulator,
        columns: accumulator_trace(&words),
    }];
    assert!(matches!(
        prove_block_with_public(STATEMENT, &wide, traces, Profile::FastTest),
        Err(BlockError::Air(_))
    ));
}
