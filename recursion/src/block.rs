//! A block proof's components through the verifier circuit.
//!
//! A block proof in the wrap profile is one STARK per component, committed with Poseidon, all
//! bound by the block's LogUp challenges `(γ, β)` (drawn from the block transcript over the
//! statement and every component's main-trace root) and a bus that balances across them.
//! Each component proof becomes its own circuit here, with statement `[γ, β, claim]`: the
//! block's own two checks — the challenges' derivation and the balance of the claims — are
//! left to the native block verifier. [`crate::aggregate`] puts everything in one circuit;
//! these per-component circuits are for blocks too large for that.

use crate::verifier::{VerifierCircuit, WrapError};
use crate::wrap::{WrapFailure, WrappedAir};
use crate::PoseidonBn254;
use ark_bn254::Fr;
use ark_relations::gr1cs::{ConstraintSynthesizer, ConstraintSystem};
use winterfell::Proof;
use zkevm_air::air::trace_info;
use zkevm_air::bus::{build_aux_columns, claim_of};
use zkevm_air::{
    shard_offsets, with_component, Component, ComponentAir, ComponentId, ComponentInputs,
    PublicMessage,
};
use zkevm_field::{Goldilocks, Quadratic};
use zkevm_prover::prover::{MainTrace, ZkProver};
use zkevm_prover::{verify_block_hashed, BlockProof, Profile};

/// One component proof of a block, ready for its circuit.
#[derive(Debug, Clone)]
pub struct ComponentProofCircuit {
    pub id: ComponentId,
    pub rows: usize,
    pub circuit: VerifierCircuit,
    /// The STARK proof (for wrapping it later).
    pub proof: Proof,
}

impl ComponentProofCircuit {
    /// How the wrapped-proof file names this component.
    pub fn air(&self) -> WrappedAir {
        WrappedAir::Component(self.id)
    }
}

/// Refuses a block listing a sharded component more than once: the circuit verifies every
/// trace at shard offset 0 (`ComponentInputs::to_elements` carries no offset), where two Keccak
/// shards would share their bus tags.
pub fn refuse_shards(components: &[(ComponentId, u8)]) -> Result<(), WrapError> {
    let offsets = shard_offsets(components.iter().map(|&(id, log)| (id, 1usize << log)));
    match (components.iter().zip(offsets)).find(|&(_, offset)| offset != 0) {
        Some(((id, _), _)) => Err(WrapError::Unsupported(format!(
            "a block whose {} table is split into shards: wrapping holds one trace per component",
            id.name()
        ))),
        None => Ok(()),
    }
}

/// The circuits of a wrap-profile block proof's components, once the native block verifier
/// accepts the proof (for `public`, the bus messages its statement implies).
pub fn component_circuits(
    bytes: &[u8],
    public: &[PublicMessage],
) -> Result<Vec<ComponentProofCircuit>, WrapFailure> {
    let block = BlockProof::from_bytes(bytes)?;
    if block.profile != Profile::Wrap {
        return Err(WrapError::Unsupported(format!(
            "a block proof of profile {}: only wrap-profile proofs (Poseidon commitments) are \
             wrapped; prove with --profile wrap",
            block.profile.name()
        ))
        .into());
    }
    let verified =
        verify_block_hashed::<PoseidonBn254>(bytes, &block.statement, public, &[Profile::Wrap])?;
    let (gamma, beta) = verified.challenges;
    let ids: Vec<(ComponentId, u8)> = (block.components.iter())
        .map(|c| (c.id, c.log_trace_len))
        .collect();
    refuse_shards(&ids)?;
    block
        .components
        .iter()
        .map(|c| {
            // The block verifier parsed every proof already.
            let proof = Proof::from_bytes(&c.proof)
                .map_err(|e| WrapError::Malformed(format!("{}: {e}", c.id.name())))?;
            let inputs = ComponentInputs {
                gamma,
                beta,
                claim: c.claim,
                offset: 0,
            };
            let circuit = with_component!(c.id, C => {
                VerifierCircuit::for_proof::<ComponentAir<C>>(&proof, inputs)
            })?;
            Ok(ComponentProofCircuit {
                id: c.id,
                rows: 1 << c.log_trace_len,
                circuit,
                proof,
            })
        })
        .collect()
}

/// Proves one component's trace alone in the wrap profile, with challenges `(γ, β)` chosen by
/// the caller (a block draws them from its transcript): for tests and measurements of a single
/// component's circuit. Returns the proof and its public inputs.
pub fn prove_component<C: Component>(
    columns: Vec<Vec<Goldilocks>>,
    gamma: Quadratic,
    beta: Quadratic,
) -> Result<(Proof, ComponentInputs), WrapFailure> {
    let component = C::default();
    let failed = |e: String| WrapFailure::Wrap(WrapError::Rejected(e));
    let rows = component
        .check_trace(&columns)
        .map_err(|e| failed(e.to_string()))?;
    let aux =
        build_aux_columns(&component, &columns, gamma, beta).map_err(|e| failed(e.to_string()))?;
    let inputs = ComponentInputs {
        gamma,
        beta,
        claim: claim_of(&aux),
        offset: 0,
    };
    let info = trace_info(&component, rows);
    let proof = ZkProver::<ComponentAir<C>, PoseidonBn254>::new(crate::wrap_options(), inputs)
        .with_aux(aux)
        .prove_trace(MainTrace::new(info, columns))
        .map_err(failed)?;
    Ok((proof, inputs))
}

/// A small wrap-profile block of the example components, for tests and demonstrations: the
/// [`Limbs`](zkevm_air::examples::Limbs) of `words` and, if `summed > 0`, an
/// [`Accumulator`](zkevm_air::examples::Accumulator) of the first `summed` words; public
/// messages provide each word's two 16-bit limbs (standing in for the range table) and consume
/// the words not summed. Returns the proof's bytes and its public messages.
pub fn example_block(
    statement: &[u8],
    words: &[u32],
    summed: usize,
) -> Result<(Vec<u8>, Vec<PublicMessage>), WrapFailure> {
    use zkevm_air::examples::{accumulator_trace, limbs_trace, RANGE16, WORDS};
    use zkevm_air::ComponentTrace;
    if words.is_empty() || summed > words.len() {
        return Err(WrapError::Unsupported(
            "an example block needs a word, and sums at most all of them".into(),
        )
        .into());
    }
    let word = |x: u32| [Goldilocks::new(x.into())];
    let limb = |x: u32| PublicMessage::provide(RANGE16, &word(x));
    let mut public: Vec<PublicMessage> = words
        .iter()
        .flat_map(|&w| [limb(w & 0xffff), limb(w >> 16)])
        .collect();
    public.extend(words[summed..].iter().map(|&w| PublicMessage {
        direction: zkevm_air::bus::Direction::Consume,
        ..PublicMessage::provide(WORDS, &word(w))
    }));
    let mut traces = vec![ComponentTrace {
        id: ComponentId::Limbs,
        columns: limbs_trace(words),
    }];
    if summed > 0 {
        traces.push(ComponentTrace {
            id: ComponentId::Accumulator,
            columns: accumulator_trace(&words[..summed]),
        });
    }
    let proof = zkevm_prover::prove_block_hashed::<PoseidonBn254>(
        statement,
        &public,
        traces,
        Profile::Wrap,
    )?;
    Ok((proof.to_bytes(), public))
}

/// Synthesizes `circuit` with its witness: its constraint count and whether it is satisfied.
pub fn check_circuit(circuit: &VerifierCircuit) -> Result<(usize, bool), WrapFailure> {
    let cs = ConstraintSystem::<Fr>::new_ref();
    circuit
        .clone()
        .generate_constraints(cs.clone())
        .map_err(|e| WrapFailure::Unsatisfied(e.to_string()))?;
    let satisfied = cs
        .is_satisfied()
        .map_err(|e| WrapFailure::Unsatisfied(e.to_string()))?;
    Ok((cs.num_constraints(), satisfied))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_block_with_keccak_shards_is_not_wrapped() {
        let keccak = ComponentId::Keccak;
        // A shard of 2^8 rows spans one permutation: the second starts at offset 25.
        let refused = refuse_shards(&[(keccak, 8), (ComponentId::AndTable, 16), (keccak, 8)]);
        assert!(
            matches!(refused, Err(WrapError::Unsupported(_))),
            "{refused:?}"
        );
        let shape = crate::aggregate::BlockShape::of(b"s", &[], &[(keccak, 8), (keccak, 9)]);
        assert!(matches!(shape, Err(WrapError::Unsupported(_))));
        refuse_shards(&[(keccak, 8), (ComponentId::AndTable, 16)]).unwrap();
    }
}
