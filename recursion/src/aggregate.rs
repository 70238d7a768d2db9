//! One circuit for a whole block: every component's verifier, the block transcript that gives
//! their LogUp challenges, and the bus balance.
//!
//! A wrap-profile block proof is one STARK per component, bound together by the challenges
//! `(γ, β)` that the block transcript ([`zkevm_prover::transcript`], winterfell's coin over
//! [`PoseidonBn254`]) draws after absorbing the statement, its public bus messages and every
//! main-trace root. The circuit replays exactly that:
//! 1. the seed elements (statement bytes, public messages, component ids and trace lengths)
//!    hash to the public input — the block statement hash, the seed of the block coin, which a
//!    verifier recomputes from the statement ([`block_statement`]);
//! 2. the coin reseeds with each component's main-trace root (the same cell its proof's
//!    Merkle paths climb to) and draws `γ`, `β`;
//! 3. each component proof is verified with public inputs `[γ, β, claim]`, its claim a
//!    witness;
//! 4. `Σ claims + Σ ±m/(γ − fingerprint)` over the public messages (multiplicities and fields
//!    read from the seed cells) is zero.
//!
//! So one Groth16 proof with one public input stands for the whole block: nothing about the
//! block is checked natively any more.

use crate::block::component_circuits;
use crate::circuit::hash_elements_var;
use crate::goldilocks::{GoldilocksVar, QuadraticVar};
use crate::groth16::PROOF_BYTES;
use crate::transcript::CoinVar;
use crate::verifier::{verify_proof_vars, ProofVars, ProofWitness, Shape, WrapError};
use crate::wrap::{
    prove_circuit, verify_circuit_proof, CircuitShape, Reader, WrapFailure, WrapReport, WrappedAir,
};
use crate::PoseidonBn254;
use ark_bn254::Fr;
use ark_r1cs_std::fields::fp::FpVar;
use ark_r1cs_std::prelude::*;
use ark_relations::gr1cs::{
    ConstraintSynthesizer, ConstraintSystem, ConstraintSystemRef, SynthesisError,
};
use std::path::Path;
use winter_crypto::ElementHasher;
use zkevm_air::bus::{BusId, Direction};
use zkevm_air::{ComponentId, PublicMessage};
use zkevm_field::{FieldElement, Goldilocks, Quadratic};
use zkevm_prover::transcript::{seed_cells, seed_elements, SeedCell};
use zkevm_prover::{BlockProof, Profile};

/// A public message's place in the seed: its bus and direction are constants, its multiplicity
/// and fields are seed cells (indices into the seed).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MessageCells {
    pub bus: BusId,
    pub direction: Direction,
    pub multiplicity: usize,
    pub fields: Vec<usize>,
}

/// One component of the block circuit.
#[derive(Debug, Clone)]
pub struct Part {
    pub id: ComponentId,
    pub log_trace_len: u8,
    pub shape: Shape,
}

/// Everything the block circuit's structure depends on: the seed's layout (its constants fixed,
/// its statement cells free), the public messages' layout and the components' shapes.
#[derive(Debug, Clone)]
pub struct BlockShape {
    /// `Some` where the shape fixes the seed element, `None` where the statement fills it in.
    pub seed: Vec<Option<Goldilocks>>,
    pub messages: Vec<MessageCells>,
    pub parts: Vec<Part>,
}

impl BlockShape {
    /// The shape of wrap-profile blocks with `statement`'s length, `public`'s layout and these
    /// components.
    pub fn of(
        statement: &[u8],
        public: &[PublicMessage],
        components: &[(ComponentId, u8)],
    ) -> Result<Self, WrapError> {
        if components.is_empty() || components.len() > zkevm_prover::format::MAX_COMPONENTS {
            return Err(WrapError::Malformed(format!(
                "a block of {} components",
                components.len()
            )));
        }
        crate::block::refuse_shards(components)?;
        for m in public {
            m.check().map_err(|e| WrapError::Malformed(e.to_string()))?;
        }
        let cells = seed_cells(statement, Profile::Wrap.id(), public, components);
        let mut messages: Vec<MessageCells> = public
            .iter()
            .map(|m| MessageCells {
                bus: m.bus,
                direction: m.direction,
                multiplicity: 0,
                fields: vec![0; m.fields.len()],
            })
            .collect();
        let mut seed = Vec::with_capacity(cells.len());
        for (index, (value, kind)) in cells.into_iter().enumerate() {
            seed.push(match kind {
                SeedCell::Fixed => Some(value),
                SeedCell::Statement => None,
                SeedCell::Multiplicity(m) => {
                    messages[m].multiplicity = index;
                    None
                }
                SeedCell::Field(m, j) => {
                    messages[m].fields[j] = index;
                    None
                }
            });
        }
        let parts = components
            .iter()
            .map(|&(id, log_trace_len)| {
                Ok(Part {
                    id,
                    log_trace_len,
                    shape: WrappedAir::Component(id).shape(log_trace_len)?,
                })
            })
            .collect::<Result<Vec<_>, WrapError>>()?;
        Ok(BlockShape {
            seed,
            messages,
            parts,
        })
    }
}

/// The block statement hash (the block circuit's only public input): the block coin's seed,
/// the Poseidon digest of the seed elements of `statement`, `public` and the components.
pub fn block_statement(
    statement: &[u8],
    public: &[PublicMessage],
    components: &[(ComponentId, u8)],
) -> Fr {
    let elements = seed_elements(statement, Profile::Wrap.id(), public, components);
    PoseidonBn254::hash_elements(&elements).element()
}

/// What one block proof hands the circuit.
#[derive(Debug, Clone)]
pub struct BlockWitness {
    /// The seed elements (all of them; the circuit reads the free ones).
    pub seed: Vec<Goldilocks>,
    /// One per part, in block order.
    pub proofs: Vec<ProofWitness>,
}

/// The block circuit; without a witness it only fixes the structure (key generation).
#[derive(Debug, Clone)]
pub struct BlockCircuit {
    pub shape: BlockShape,
    pub witness: Option<BlockWitness>,
}

impl CircuitShape for BlockShape {
    type Circuit = BlockCircuit;

    fn blank(&self) -> BlockCircuit {
        BlockCircuit {
            shape: self.clone(),
            witness: None,
        }
    }
}

impl BlockCircuit {
    /// The circuit of a wrap-profile block proof (`public`: the bus messages its statement
    /// implies), with its witness, once the native block verifier accepts it.
    pub fn for_block(bytes: &[u8], public: &[PublicMessage]) -> Result<Self, WrapFailure> {
        let circuits = component_circuits(bytes, public)?;
        let block = BlockProof::from_bytes(bytes)?;
        let components: Vec<(ComponentId, u8)> = (block.components.iter())
            .map(|c| (c.id, c.log_trace_len))
            .collect();
        let shape = BlockShape::of(&block.statement, public, &components)?;
        let proofs = circuits
            .into_iter()
            .map(|c| {
                c.circuit
                    .witness
                    .ok_or_else(|| WrapError::Malformed("a component without a witness".into()))
            })
            .collect::<Result<Vec<_>, WrapError>>()?;
        Ok(BlockCircuit {
            shape,
            witness: Some(BlockWitness {
                seed: seed_elements(&block.statement, Profile::Wrap.id(), public, &components),
                proofs,
            }),
        })
    }

    /// The circuit's public input for this witness.
    pub fn statement(&self) -> Option<Fr> {
        (self.witness.as_ref()).map(|w| PoseidonBn254::hash_elements(&w.seed).element())
    }

    /// Synthesizes the circuit with its witness: constraints per part (the block transcript
    /// and balance first, then each component) and whether it is satisfied.
    pub fn check(&self) -> Result<(Vec<usize>, bool), WrapFailure> {
        self.check_against(self.statement().ok_or(WrapFailure::Invalid)?)
    }

    /// [`Self::check`] with `statement` as the public input.
    pub fn check_against(&self, statement: Fr) -> Result<(Vec<usize>, bool), WrapFailure> {
        let cs = ConstraintSystem::<Fr>::new_ref();
        let counts = synthesize(
            cs.clone(),
            &self.shape,
            self.witness.as_ref(),
            Some(statement),
        )
        .map_err(|e| WrapFailure::Unsatisfied(e.to_string()))?;
        let satisfied = cs
            .is_satisfied()
            .map_err(|e| WrapFailure::Unsatisfied(e.to_string()))?;
        Ok((counts, satisfied))
    }
}

impl ConstraintSynthesizer<Fr> for BlockCircuit {
    fn generate_constraints(self, cs: ConstraintSystemRef<Fr>) -> Result<(), SynthesisError> {
        let statement = self.statement();
        synthesize(cs, &self.shape, self.witness.as_ref(), statement).map(|_| ())
    }
}

/// Builds the block circuit (see the module docs); returns the constraints of the block's own
/// checks, then of each component's verifier.
fn synthesize(
    cs: ConstraintSystemRef<Fr>,
    shape: &BlockShape,
    witness: Option<&BlockWitness>,
    statement: Option<Fr>,
) -> Result<Vec<usize>, SynthesisError> {
    let statement = FpVar::new_input(cs.clone(), || {
        statement.ok_or(SynthesisError::AssignmentMissing)
    })?;
    let seed = (shape.seed.iter().enumerate())
        .map(|(i, fixed)| match fixed {
            Some(value) => Ok(GoldilocksVar::constant(*value)),
            None => GoldilocksVar::new_witness(
                cs.clone(),
                witness.map(|w| w.seed.get(i).copied().unwrap_or_default()),
            ),
        })
        .collect::<Result<Vec<_>, SynthesisError>>()?;
    hash_elements_var(&seed)?.enforce_equal(&statement)?;

    let proof_of = |k: usize| witness.and_then(|w| w.proofs.get(k));
    let mut coin = CoinVar::new(statement);
    let mut roots = Vec::with_capacity(shape.parts.len());
    for k in 0..shape.parts.len() {
        let root = FpVar::new_witness(cs.clone(), || {
            proof_of(k)
                .map(|w| w.trace_root)
                .ok_or(SynthesisError::AssignmentMissing)
        })?;
        coin.reseed(&root)?;
        roots.push(root);
    }
    let gamma = coin.draw()?;
    let beta = coin.draw()?;

    let mut claims = Vec::with_capacity(shape.parts.len());
    let mut total = public_sum(&shape.messages, &seed, &gamma, &beta)?;
    let mut counts = Vec::with_capacity(shape.parts.len() + 1);
    for k in 0..shape.parts.len() {
        let claim = QuadraticVar::witness_of(cs.clone(), proof_of(k).map(|w| claim_of(&w.inputs)))?;
        total = total.add(&claim)?;
        claims.push(claim);
    }
    total.enforce_equal(&QuadraticVar::constant(Goldilocks::ZERO))?;
    counts.push(cs.num_constraints());

    for (k, (part, (root, claim))) in
        (shape.parts.iter().zip(roots.into_iter().zip(claims))).enumerate()
    {
        let before = cs.num_constraints();
        let inputs = [&gamma, &beta, &claim]
            .iter()
            .flat_map(|q| q.0.iter().cloned())
            .collect();
        let vars = ProofVars {
            inputs,
            trace_root: root,
        };
        // The component's own seed (context ‖ [γ, β, claim]) stays inside its transcript.
        let _seed = verify_proof_vars(cs.clone(), &part.shape, proof_of(k), &vars)?;
        counts.push(cs.num_constraints() - before);
    }
    Ok(counts)
}

/// A component proof's claim: the last two of its statement's elements `[γ, β, claim]`.
fn claim_of(inputs: &[Goldilocks]) -> Quadratic {
    match inputs {
        [.., c0, c1] => Quadratic::new(*c0, *c1),
        _ => Quadratic::ZERO,
    }
}

/// `Σ ±m/(γ − v)` over the public messages, `v = bus + Σⱼ βʲ⁺¹·fⱼ` (as
/// [`zkevm_air::bus::public_sum`] computes it natively); each denominator proven invertible.
fn public_sum(
    messages: &[MessageCells],
    seed: &[GoldilocksVar],
    gamma: &QuadraticVar,
    beta: &QuadraticVar,
) -> Result<QuadraticVar, SynthesisError> {
    let most_fields = messages.iter().map(|m| m.fields.len()).max().unwrap_or(0);
    let mut powers = Vec::with_capacity(most_fields);
    let mut power = beta.clone();
    for _ in 0..most_fields {
        powers.push(power.clone());
        power = power.mul(beta)?;
    }
    let cell = |i: usize| seed.get(i).cloned().ok_or(SynthesisError::Unsatisfiable);
    let mut sum = QuadraticVar::constant(Goldilocks::ZERO);
    for m in messages {
        let mut fingerprint = QuadraticVar::constant(Goldilocks::new(m.bus));
        for (&field, power) in m.fields.iter().zip(&powers) {
            fingerprint = fingerprint.add(&power.mul_base(&cell(field)?)?)?;
        }
        let term = QuadraticVar::from_base(cell(m.multiplicity)?).div(&gamma.sub(&fingerprint)?)?;
        sum = match m.direction {
            Direction::Provide => sum.add(&term)?,
            Direction::Consume => sum.sub(&term)?,
        };
    }
    Ok(sum)
}

/// A wrapped block: its statement, its components and one Groth16 proof.
///
/// File (integers little endian): magic `"ZKWB"`, version `u16` 1, the statement (`u32`
/// length, bytes), the component count (`u16`), per component its registry id (`u16`) and log₂
/// of its trace length (`u8`), then the 256-byte Groth16 proof. The public input is
/// recomputed from the statement (and the messages a verifier derives from it), never read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WrappedBlock {
    pub statement: Vec<u8>,
    pub components: Vec<(ComponentId, u8)>,
    pub proof: [u8; PROOF_BYTES],
}

const BLOCK_MAGIC: [u8; 4] = *b"ZKWB";
const BLOCK_VERSION: u16 = 1;
/// Longest statement a wrapped block file may carry.
pub const MAX_STATEMENT_BYTES: usize = 1 << 24;

impl WrappedBlock {
    pub fn to_bytes(&self) -> Vec<u8> {
        let mut out = BLOCK_MAGIC.to_vec();
        out.extend(BLOCK_VERSION.to_le_bytes());
        out.extend((self.statement.len() as u32).to_le_bytes());
        out.extend(&self.statement);
        out.extend((self.components.len() as u16).to_le_bytes());
        for (id, log_len) in &self.components {
            out.extend(id.to_u16().to_le_bytes());
            out.push(*log_len);
        }
        out.extend(self.proof);
        out
    }

    pub fn from_bytes(bytes: &[u8]) -> Result<Self, WrapFailure> {
        let mut r = Reader::new(bytes);
        r.header(BLOCK_MAGIC, BLOCK_VERSION, "a wrapped block")?;
        let len = r.u32()? as usize;
        if len > MAX_STATEMENT_BYTES {
            return Err(WrapFailure::Format("a statement too long".into()));
        }
        let statement = r.take(len)?.to_vec();
        let count = r.u16()? as usize;
        if count > zkevm_prover::format::MAX_COMPONENTS {
            return Err(WrapFailure::Format("too many components".into()));
        }
        let components = (0..count)
            .map(|_| {
                let id = ComponentId::from_u16(r.u16()?)
                    .map_err(|_| WrapFailure::Format("an unknown component".into()))?;
                Ok((id, r.u8()?))
            })
            .collect::<Result<Vec<_>, WrapFailure>>()?;
        let proof: [u8; PROOF_BYTES] = r.take(PROOF_BYTES)?.try_into().unwrap_or([0; PROOF_BYTES]);
        r.end()?;
        Ok(WrappedBlock {
            statement,
            components,
            proof,
        })
    }

    /// Whether `bytes` start like a wrapped block.
    pub fn is_wrapped_block(bytes: &[u8]) -> bool {
        bytes.starts_with(&BLOCK_MAGIC)
    }
}

/// Proves `circuit` (built by [`BlockCircuit::for_block`] from a block proof about
/// `statement`, whose public messages are `public`) with one Groth16 proof, with the keys in
/// `key_dir` (made first if absent).
pub fn wrap_block(
    circuit: BlockCircuit,
    statement: &[u8],
    public: &[PublicMessage],
    key_dir: &Path,
) -> Result<(WrappedBlock, WrapReport), WrapFailure> {
    let components: Vec<(ComponentId, u8)> = (circuit.shape.parts.iter())
        .map(|p| (p.id, p.log_trace_len))
        .collect();
    let hash = block_statement(statement, public, &components);
    if circuit.statement() != Some(hash) {
        return Err(WrapError::Malformed(
            "the circuit's witness is not about this statement and its public messages".into(),
        )
        .into());
    }
    let shape = circuit.shape.clone();
    let (proof, report) = prove_circuit(&shape, circuit, hash, 0.0, key_dir)?;
    Ok((
        WrappedBlock {
            statement: statement.to_vec(),
            components,
            proof,
        },
        report,
    ))
}

/// Checks a wrapped block (`public`: the messages its statement implies) against the cached
/// verifying key of its shape; returns its statement hash.
pub fn verify_wrapped_block(
    wrapped: &WrappedBlock,
    public: &[PublicMessage],
    key_dir: &Path,
) -> Result<Fr, WrapFailure> {
    let shape = BlockShape::of(&wrapped.statement, public, &wrapped.components)?;
    let statement = block_statement(&wrapped.statement, public, &wrapped.components);
    verify_circuit_proof(&shape, statement, &wrapped.proof, key_dir)
}
