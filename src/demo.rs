//! The built-in demo: a Fibonacci AIR proven by winterfell over our Goldilocks field.
//!
//! It stands in for the EVM workload until EVM proving lands, and exercises the whole stack
//! the EVM proofs will use: our field (scalar, packed, extensions) inside winterfell's prover
//! with our backend ([`zkevm_prover::standalone`]: SIMD LDE, constraint commitment, parallel
//! Blake3 Merkle tree), FRI, and the verifier's canonical-encoding checks.
//! The AIR is [`zkevm_air::examples::fibonacci`].

use std::time::{Duration, Instant};
use thiserror::Error;
use winterfell::{AcceptableOptions, BatchingMethod, FieldExtension, Proof, ProofOptions};
pub use zkevm_air::examples::fibonacci::{fib_trace, FibAir, FibInputs};
use zkevm_prover::merkle::MerkleVc;
use zkevm_prover::{Coin, Hash};

/// What can go wrong proving or verifying the demo.
#[derive(Debug, Error)]
pub enum DemoError {
    #[error("trace length must be a power of two ≥ 8, got {0}")]
    BadLength(usize),
    #[error("proving failed: {0}")]
    Prove(String),
    #[error("proof rejected: {0}")]
    Verify(#[from] winterfell::VerifierError),
    #[error("malformed proof bytes: {0}")]
    Decode(#[from] winter_utils::DeserializationError),
}

/// Proof options of the demo: blowup 8, 40 queries, 16 bits of grinding, FRI folding 8.
pub fn demo_options(extension: FieldExtension) -> ProofOptions {
    ProofOptions::new(
        40,
        8,
        16,
        extension,
        8,
        31,
        BatchingMethod::Linear,
        BatchingMethod::Linear,
    )
}

/// The least conjectured security, in bits, that the demo's verifier accepts.
pub const MIN_SECURITY_BITS: u32 = 100;

/// A proven demo statement.
pub struct DemoProof {
    pub inputs: FibInputs,
    pub proof: Proof,
}

/// Figures of one demo run.
#[derive(Debug, Clone, serde::Serialize)]
pub struct DemoReport {
    pub rows: usize,
    pub columns: usize,
    pub extension: String,
    pub prove_time: Duration,
    pub verify_time: Duration,
    pub proof_bytes: usize,
    pub conjectured_security_bits: u32,
    pub result: u64,
}

/// Proves the Fibonacci statement for a trace of `rows` rows.
pub fn prove(rows: usize, extension: FieldExtension) -> Result<DemoProof, DemoError> {
    if rows < 8 || !rows.is_power_of_two() {
        return Err(DemoError::BadLength(rows));
    }
    let trace = fib_trace(rows);
    let inputs = FibInputs::of(&trace);
    let proof =
        zkevm_prover::standalone::prove_air::<FibAir>(trace, inputs, demo_options(extension))
            .map_err(DemoError::Prove)?;
    Ok(DemoProof { inputs, proof })
}

/// Verifies serialized proof bytes against the claimed result. Malformed bytes are an error.
pub fn verify_bytes(
    bytes: &[u8],
    inputs: FibInputs,
    min_security_bits: u32,
) -> Result<(), DemoError> {
    let proof = Proof::from_bytes(bytes)?;
    let acceptable = AcceptableOptions::MinConjecturedSecurity(min_security_bits);
    winterfell::verify::<FibAir, Hash, Coin, MerkleVc<Hash>>(proof, inputs, &acceptable)?;
    Ok(())
}

/// Conjectured security of a proof, in bits.
pub fn security_bits(proof: &Proof) -> u32 {
    proof.conjectured_security::<Hash>().bits()
}

/// Proves, serializes and verifies; reports sizes and times.
pub fn run(rows: usize, extension: FieldExtension) -> Result<DemoReport, DemoError> {
    let start = Instant::now();
    let DemoProof { inputs, proof } = prove(rows, extension)?;
    let prove_time = start.elapsed();
    let bits = security_bits(&proof);
    let bytes = proof.to_bytes();
    let start = Instant::now();
    verify_bytes(&bytes, inputs, MIN_SECURITY_BITS)?;
    let verify_time = start.elapsed();
    Ok(DemoReport {
        rows,
        columns: 2,
        extension: format!("{extension:?}"),
        prove_time,
        verify_time,
        proof_bytes: bytes.len(),
        conjectured_security_bits: bits,
        result: inputs.result.as_u64(),
    })
}
