//! Proves and verifies zkevm blocks: one winterfell STARK per component, all bound to one
//! LogUp bus through challenges drawn from every component's main-trace commitment.
//!
//! Pipeline of [`prove_block`]: build each component's main-trace LDE and Merkle tree (kept
//! for the proof), derive the bus challenges from all roots and the statement
//! ([`transcript`]), then prove the components one after another (auxiliary traces, then
//! winterfell's protocol run by our own loop with our [`lde::ZkTraceLde`], [`merkle::MerkleVc`],
//! constraint evaluator ([`evaluator::ZkConstraintEvaluator`], which evaluates a component's
//! constraints on SIMD lanes of LDE points) and DEEP step).
//! [`verify_block`] checks the bytes' structure before winterfell parses them, re-derives the
//! challenges, verifies each component and checks that the bus balances.

pub mod blake3_lanes;
mod channel;
pub mod composition;
mod deep;
mod error;
pub mod evaluator;
pub mod files;
pub mod lde;
pub mod merkle;
pub mod options;
pub mod pool;
mod protocol;
pub mod prover;
pub mod row_hash;
pub mod transcript;

pub use error::BlockError;
pub use options::Profile;

/// The hash of every commitment: Blake3 with 256-bit digests.
pub type Hash = winter_crypto::hashers::Blake3_256<zkevm_field::Goldilocks>;
/// winterfell's Fiat–Shamir coin over [`Hash`].
pub type Coin = winter_crypto::DefaultRandomCoin<Hash>;
mod block;
pub mod format;
mod validate;

pub use block::{
    main_lde_budget, prove_block, prove_block_hashed, prove_block_with_challenges,
    prove_block_with_public, verify_block, verify_block_for, verify_block_hashed, BlockHasher,
    VerifiedBlock, MAX_LOG_TRACE_LEN,
};
pub use format::{BlockProof, ComponentProof};
pub mod standalone;
