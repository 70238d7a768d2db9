//! Proving a single AIR over Goldilocks with our backend (SIMD LDE, parallel Merkle tree), no
//! bus: for AIRs outside the component registry, for benchmarks against stock winterfell, and
//! (with another hasher) for proofs meant to be verified in a circuit.

use crate::merkle::MerkleVc;
use crate::prover::{panic_message, MainTrace, ZkProver};
use crate::Hash;
use winter_crypto::{DefaultRandomCoin, ElementHasher};
use winterfell::{AcceptableOptions, Air, Proof, ProofOptions, TraceInfo};
use zkevm_air::lane_eval::LaneAir;
use zkevm_field::Goldilocks;

/// Proves `columns` (a single-segment trace, power-of-two length ≥ 8) against `A`, committing
/// with Blake3.
pub fn prove_air<A>(
    columns: Vec<Vec<Goldilocks>>,
    inputs: A::PublicInputs,
    options: ProofOptions,
) -> Result<Proof, String>
where
    A: LaneAir + 'static,
    A::PublicInputs: Clone + Send,
{
    prove_air_with::<A, Hash>(columns, inputs, options)
}

/// [`prove_air`] committing with `H` (its Merkle trees and its Fiat–Shamir coin).
pub fn prove_air_with<A, H>(
    columns: Vec<Vec<Goldilocks>>,
    inputs: A::PublicInputs,
    options: ProofOptions,
) -> Result<Proof, String>
where
    A: LaneAir + 'static,
    A::PublicInputs: Clone + Send,
    H: ElementHasher<BaseField = Goldilocks> + Send + Sync + 'static,
{
    let rows = columns.first().map_or(0, Vec::len);
    if columns.is_empty() || rows < 8 || !rows.is_power_of_two() {
        return Err(format!(
            "{} columns of {rows} rows is not a valid trace",
            columns.len()
        ));
    }
    let info = TraceInfo::new(columns.len(), rows);
    ZkProver::<A, H>::new(options, inputs).prove_trace(MainTrace::new(info, columns))
}

/// Verifies a proof made by [`prove_air`].
pub fn verify_air<A>(
    proof: Proof,
    inputs: A::PublicInputs,
    options: ProofOptions,
) -> Result<(), String>
where
    A: Air<BaseField = Goldilocks>,
{
    verify_air_with::<A, Hash>(proof, inputs, options)
}

/// Verifies a proof made by [`prove_air_with`] with the same hasher.
pub fn verify_air_with<A, H>(
    proof: Proof,
    inputs: A::PublicInputs,
    options: ProofOptions,
) -> Result<(), String>
where
    A: Air<BaseField = Goldilocks>,
    H: ElementHasher<BaseField = Goldilocks> + Sync + 'static,
{
    let acceptable = AcceptableOptions::OptionSet(vec![options]);
    std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
        winterfell::verify::<A, H, DefaultRandomCoin<H>, MerkleVc<H>>(proof, inputs, &acceptable)
    }))
    .map_err(|payload| panic_message(&payload))?
    .map_err(|e| e.to_string())
}
