//! Groth16 over BN254 with ark-groth16: circuit-specific keys, proofs, verification, the proof's
//! 256-byte form the Solidity verifier takes, and that verifier's source.
//!
//! The keys come from a local setup whose randomness this process draws and forgets: fine for
//! development and measurement, not a ceremony. The Solidity verifier is rendered from the
//! verifying key with `taceo-groth16-sol` (gnark's template): `verifyProof(uint256[8] proof,
//! uint256[n] input)` returns nothing and reverts on a bad proof or an unreduced input.

use ark_bn254::{Bn254, Fq, Fq2, Fr, G1Affine, G2Affine};
use ark_ec::AffineRepr;
use ark_ff::{BigInteger, PrimeField};
use ark_groth16::{Groth16, Proof, ProvingKey, VerifyingKey};
use ark_relations::gr1cs::ConstraintSynthesizer;
use ark_snark::SNARK;
use ark_std::rand::{CryptoRng, RngCore};
use taceo_groth16_sol::askama::Template;
use taceo_groth16_sol::{SolidityVerifierConfig, SolidityVerifierContext};

/// Bytes of a proof in the verifier contract's encoding.
pub const PROOF_BYTES: usize = 256;

/// What can go wrong.
#[derive(Debug, thiserror::Error)]
pub enum Groth16Error {
    #[error("the circuit could not be synthesized: {0}")]
    Synthesis(#[from] ark_relations::gr1cs::SynthesisError),
    #[error("a proof is {PROOF_BYTES} bytes, got {0}")]
    ProofLength(usize),
    #[error("proof bytes: {0}")]
    BadPoint(&'static str),
    #[error("rendering the Solidity verifier: {0}")]
    Render(String),
}

/// Proving and verifying keys of one circuit.
pub fn setup<C, R>(circuit: C, rng: &mut R) -> Result<ProvingKey<Bn254>, Groth16Error>
where
    C: ConstraintSynthesizer<Fr>,
    R: RngCore + CryptoRng,
{
    let (pk, _) = Groth16::<Bn254>::circuit_specific_setup(circuit, rng)?;
    Ok(pk)
}

/// A proof that `circuit` (with its witness) is satisfied.
pub fn prove<C, R>(
    pk: &ProvingKey<Bn254>,
    circuit: C,
    rng: &mut R,
) -> Result<Proof<Bn254>, Groth16Error>
where
    C: ConstraintSynthesizer<Fr>,
    R: RngCore + CryptoRng,
{
    Ok(Groth16::<Bn254>::prove(pk, circuit, rng)?)
}

/// Whether `proof` verifies for `inputs` (the circuit's public inputs, in allocation order).
pub fn verify(
    vk: &VerifyingKey<Bn254>,
    inputs: &[Fr],
    proof: &Proof<Bn254>,
) -> Result<bool, Groth16Error> {
    Ok(Groth16::<Bn254>::verify(vk, inputs, proof)?)
}

/// A base- or scalar-field element as the EVM encodes it: 32 big-endian bytes.
fn be_bytes<F: PrimeField>(x: &F) -> [u8; 32] {
    let mut out = [0u8; 32];
    out.copy_from_slice(&x.into_bigint().to_bytes_be());
    out
}

fn fq_from(bytes: &[u8]) -> Result<Fq, Groth16Error> {
    let x = Fq::from_be_bytes_mod_order(bytes);
    if be_bytes(&x).as_slice() != bytes {
        return Err(Groth16Error::BadPoint(
            "a coordinate at or above the base field modulus",
        ));
    }
    Ok(x)
}

/// The proof as the contract takes it: `A.x, A.y, B.x.c1, B.x.c0, B.y.c1, B.y.c0, C.x, C.y`,
/// 32 big-endian bytes each (EIP-197's encoding; the point at infinity as zeros).
pub fn proof_bytes(proof: &Proof<Bn254>) -> [u8; PROOF_BYTES] {
    let (ax, ay) = proof.a.xy().unwrap_or_default();
    let (bx, by) = proof.b.xy().unwrap_or_default();
    let (cx, cy) = proof.c.xy().unwrap_or_default();
    let words = [ax, ay, bx.c1, bx.c0, by.c1, by.c0, cx, cy];
    let mut out = [0u8; PROOF_BYTES];
    for (slot, x) in out.chunks_exact_mut(32).zip(words) {
        slot.copy_from_slice(&be_bytes(&x));
    }
    out
}

/// Parses [`proof_bytes`]; every point must be on its curve and in the prime-order subgroup
/// (or be the point at infinity, all zeros).
pub fn proof_from_bytes(bytes: &[u8]) -> Result<Proof<Bn254>, Groth16Error> {
    if bytes.len() != PROOF_BYTES {
        return Err(Groth16Error::ProofLength(bytes.len()));
    }
    let w: Vec<Fq> = bytes
        .chunks_exact(32)
        .map(fq_from)
        .collect::<Result<_, _>>()?;
    // The point at infinity is all zeros (EIP-197), as `proof_bytes` writes it.
    let zero = Fq::from(0u64);
    let g1 = |x: Fq, y: Fq| -> Result<G1Affine, Groth16Error> {
        if x == zero && y == zero {
            return Ok(G1Affine::identity());
        }
        let p = G1Affine::new_unchecked(x, y);
        if p.is_on_curve() && p.is_in_correct_subgroup_assuming_on_curve() {
            Ok(p)
        } else {
            Err(Groth16Error::BadPoint(
                "a G1 point off the curve or its subgroup",
            ))
        }
    };
    let b = if w[2..6].iter().all(|x| *x == zero) {
        G2Affine::identity()
    } else {
        G2Affine::new_unchecked(Fq2::new(w[3], w[2]), Fq2::new(w[5], w[4]))
    };
    if !(b.is_on_curve() && b.is_in_correct_subgroup_assuming_on_curve()) {
        return Err(Groth16Error::BadPoint(
            "a G2 point off the curve or its subgroup",
        ));
    }
    Ok(Proof {
        a: g1(w[0], w[1])?,
        b,
        c: g1(w[6], w[7])?,
    })
}

/// Solidity source of the verifier of `vk`.
pub fn solidity_verifier(vk: &VerifyingKey<Bn254>) -> Result<String, Groth16Error> {
    let context = SolidityVerifierContext {
        vk: vk.clone(),
        config: SolidityVerifierConfig::default(),
    };
    context
        .render()
        .map_err(|e| Groth16Error::Render(e.to_string()))
}

/// A public input in the contract's encoding (32 big-endian bytes).
pub fn input_bytes(x: &Fr) -> [u8; 32] {
    be_bytes(x)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::circuit::MerklePathCircuit;
    use ark_std::rand::{rngs::StdRng, SeedableRng};

    #[test]
    fn proofs_verify_round_trip_in_256_bytes_and_reject_other_inputs() {
        let mut rng = StdRng::seed_from_u64(7);
        let circuit = MerklePathCircuit::sample(4, 6, &mut rng);
        let pk = setup(circuit.clone(), &mut rng).unwrap();
        let proof = prove(&pk, circuit.clone(), &mut rng).unwrap();
        assert!(verify(&pk.vk, &[circuit.root], &proof).unwrap());
        assert!(!verify(&pk.vk, &[circuit.root + Fr::from(1u64)], &proof).unwrap());
        let bytes = proof_bytes(&proof);
        assert_eq!(proof_from_bytes(&bytes).unwrap(), proof);
        // A flipped bit in any coordinate: refused, or a different proof that fails.
        for word in 0..8 {
            let mut bad = bytes;
            bad[32 * word + 31] ^= 1;
            let accepted = proof_from_bytes(&bad)
                .is_ok_and(|p| verify(&pk.vk, &[circuit.root], &p).unwrap_or(false));
            assert!(!accepted, "word {word}");
        }
        assert!(matches!(
            proof_from_bytes(&bytes[..255]),
            Err(Groth16Error::ProofLength(255))
        ));
        let source = solidity_verifier(&pk.vk).unwrap();
        assert!(source.contains("function verifyProof("));
        assert!(source.contains("uint256[1] calldata input"));
    }
}
