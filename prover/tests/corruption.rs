//! Corrupted block proofs are errors, never panics or aborts.

use crate::common::*;
use rayon::prelude::*;
use std::time::Instant;
use winter_utils::Serializable;
use zkevm_prover::{verify_block, BlockError, Profile};

const FAST: &[Profile] = &[Profile::FastTest];

/// Verifies every corrupted variant (in parallel) and requires each to be an error.
fn all_rejected(variants: Vec<(usize, Vec<u8>)>, what: &str) {
    let accepted: Vec<usize> = variants
        .par_iter()
        .filter(|(_, bytes)| verify_block(bytes, FAST).is_ok())
        .map(|(position, _)| *position)
        .collect();
    assert!(accepted.is_empty(), "{what}: accepted at {accepted:?}");
}

#[test]
fn flipped_bytes_are_rejected() {
    let bytes = honest(Profile::FastTest).to_bytes();
    verify_block(&bytes, FAST).unwrap();
    let start = Instant::now();
    // Every 7th byte, alternating the flip pattern; plus every byte of the container header
    // and of the first component's context and commitments.
    let positions: Vec<usize> = (0..bytes.len()).step_by(7).chain(0..300).collect();
    let variants = positions
        .iter()
        .enumerate()
        .map(|(i, &p)| {
            let mut b = bytes.clone();
            b[p] ^= if i % 2 == 0 { 0x01 } else { 0xff };
            (p, b)
        })
        .collect();
    all_rejected(variants, "flipped byte");
    eprintln!(
        "{} flips of a {}-byte proof rejected in {:?}",
        positions.len(),
        bytes.len(),
        start.elapsed()
    );
}

#[test]
fn truncations_are_rejected() {
    let block = honest(Profile::FastTest);
    let bytes = block.to_bytes();
    let variants = (0..bytes.len())
        .step_by(11)
        .chain(bytes.len() - 16..bytes.len())
        .map(|len| (len, bytes[..len].to_vec()))
        .collect();
    all_rejected(variants, "truncated block");

    // Truncated component proofs inside a well-formed container.
    let mut variants = Vec::new();
    for (c, component) in block.components.iter().enumerate() {
        for len in (0..component.proof.len()).step_by(97) {
            let mut cut = block.clone();
            cut.components[c].proof.truncate(len);
            variants.push((c * 1_000_000 + len, cut.to_bytes()));
        }
    }
    all_rejected(variants, "truncated component proof");
}

#[test]
fn container_damage_is_rejected() {
    let bytes = honest(Profile::FastTest).to_bytes();
    let with = |f: &dyn Fn(&mut Vec<u8>)| {
        let mut b = bytes.clone();
        f(&mut b);
        verify_block(&b, FAST)
    };
    assert!(matches!(
        with(&|b| b[0] = b'X'),
        Err(BlockError::Malformed(_))
    ));
    // Another version: a newer one, version 2 (the Blake3 block transcript before the random
    // coin) and version 1 (one helper column per interaction).
    assert!(matches!(with(&|b| b[4] = 4), Err(BlockError::Version(4))));
    assert!(matches!(with(&|b| b[4] = 2), Err(BlockError::Version(2))));
    assert!(matches!(with(&|b| b[4] = 1), Err(BlockError::Version(1))));
    assert!(matches!(
        with(&|b| b[6] = 99),
        Err(BlockError::UnknownProfile(99))
    ));
    assert!(matches!(
        with(&|b| b.push(0)),
        Err(BlockError::Malformed(_))
    ));
    assert!(with(&|b| b.truncate(0)).is_err());
    // Statement length larger than the input.
    assert!(matches!(
        with(&|b| b[10] = 0x7f),
        Err(BlockError::Malformed(_))
    ));
    // Unknown component id (the first component's id follows the statement and count).
    let id_at = 7 + 4 + STATEMENT.len() + 2;
    assert!(matches!(
        with(&|b| b[id_at] = 0xee),
        Err(BlockError::Air(_))
    ));
    for seed in 0..64u64 {
        let garbage: Vec<u8> = (0..(seed * 37) as usize)
            .map(|i| (i as u64).wrapping_mul(0x9e37_79b9_7f4a_7c15 ^ seed) as u8)
            .collect();
        assert!(verify_block(&garbage, FAST).is_err());
    }
}

/// The lengths that abort winterfell's own parser (`Vec::with_capacity` of a length read from
/// the bytes) are refused before winterfell sees them.
#[test]
fn huge_length_fields_are_rejected_without_aborting() {
    let block = honest(Profile::FastTest);
    let proof = winterfell::Proof::from_bytes(&block.components[0].proof).unwrap();
    let queries_at = proof.context.to_bytes().len() + 1 + proof.commitments.to_bytes().len();
    let huge: [u8; 9] = [0, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x0f];
    for offset in [0, 1, 2, 3] {
        let mut bad = block.clone();
        let p = &mut bad.components[0].proof;
        // The values length of the main-trace queries, and a few bytes after it.
        p[queries_at + offset..queries_at + offset + 9].copy_from_slice(&huge);
        let result = verify_block(&bad.to_bytes(), FAST);
        if offset == 0 {
            assert!(matches!(result, Err(BlockError::MalformedComponent { .. })));
        } else {
            assert!(result.is_err());
        }
    }
}

#[test]
fn corrupted_default_profile_proofs_are_rejected() {
    let bytes = honest(Profile::Default).to_bytes();
    let default = &[Profile::Default];
    verify_block(&bytes, default).unwrap();
    let variants: Vec<(usize, Vec<u8>)> = (0..bytes.len())
        .step_by(61)
        .map(|p| {
            let mut b = bytes.clone();
            b[p] ^= 0x80;
            (p, b)
        })
        .collect();
    let accepted: Vec<usize> = variants
        .par_iter()
        .filter(|(_, b)| verify_block(b, default).is_ok())
        .map(|(p, _)| *p)
        .collect();
    assert!(accepted.is_empty(), "accepted at {accepted:?}");
}
