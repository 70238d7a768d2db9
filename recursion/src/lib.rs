//! Wrapping zkevm STARK proofs for verification on Ethereum.
//!
//! A proof meant to be verified inside a BN254 circuit (and from there by a Groth16 proof on
//! L1) must commit with a hash that is cheap in that circuit: [`PoseidonBn254`], Poseidon over
//! BN254's scalar field with circomlib's parameters ([`poseidon`]), as a winterfell hasher, so
//! the prover's Merkle trees and winterfell's Fiat–Shamir coin run on it unchanged.
//!
//! On the SNARK side: the same permutation as an R1CS gadget ([`circuit`]), Goldilocks and
//! extension arithmetic with canonical elements ([`goldilocks`]), components' constraints
//! recorded from their own definitions ([`symbolic`], [`wrappable`]), the Fiat–Shamir
//! transcript in-circuit ([`transcript`]), and the whole STARK verifier as a circuit
//! ([`verifier`]); Groth16 over BN254 with its Solidity verifier ([`groth16`]), cached keys and
//! the wrapped-proof files ([`wrap`]); a whole block proof as one circuit — the block transcript,
//! the bus balance and every component's verifier — and one Groth16 proof ([`aggregate`]), or
//! per component for blocks too large for one circuit ([`block`]).

pub mod hasher;
pub mod poseidon;

pub use hasher::{Bn254Digest, PoseidonBn254};

use winterfell::ProofOptions;

/// Options of proofs meant for wrapping: [`zkevm_prover::Profile::Wrap`]'s (blowup 64, 15
/// queries, 16 bits of grinding, quadratic extension, FRI folding 8 down to a degree-7
/// remainder: 105 bits conjectured, [`wrap_security_bits`]).
pub fn wrap_options() -> ProofOptions {
    zkevm_prover::Profile::Wrap.options()
}

/// Conjectured security of [`wrap_options`] with [`PoseidonBn254`].
pub fn wrap_security_bits() -> u32 {
    zkevm_prover::options::conjectured_security_bits_with::<PoseidonBn254>(&wrap_options())
}

pub mod aggregate;
pub mod block;
pub mod circuit;
pub mod goldilocks;
pub mod groth16;
pub mod symbolic;
pub mod transcript;
pub mod verifier;
pub mod wrap;
pub mod wrappable;
