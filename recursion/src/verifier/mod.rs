//! The STARK verifier as a BN254 circuit: it accepts exactly what winterfell's verifier
//! accepts for a [`WrappableAir`] proof committed with [`crate::PoseidonBn254`], and its only
//! public input is the statement hash ([`Shape::statement`]).
//!
//! In the order the native verifier runs:
//! 1. the statement: the context (constants) and the public inputs hash to the public input,
//!    which seeds the coin;
//! 2. the transcript: reseed with the trace root, draw the composition coefficients; reseed
//!    with the composition root, draw `z`; reseed with the hash of the out-of-domain frame,
//!    draw the DEEP coefficients; reseed with each FRI root, draw its `α`; the nonce's proof of
//!    work and the query positions ([`crate::transcript`]);
//! 3. the out-of-domain check ([`ood`]): the recorded transition constraints and the
//!    assertions at `z`, divided by their divisors and combined, equal the composition
//!    polynomial's columns combined at `z`;
//! 4. per drawn position: the trace and composition rows climb their Merkle paths (the
//!    position's bits steer them), the DEEP composition at `x = offset·ω^position` is the
//!    first FRI layer's value there, each layer's coset opens against its root and folds
//!    into the next layer's value ([`fri`]), and the last value is the remainder polynomial
//!    at its point.
//!
//! One check is stricter than winterfell 0.13's verifier: the remainder must hash to the
//! last FRI commitment (the prover commits it so; the native verifier does not compare).
//! A proof whose coin would have drawn again (a digest word not below p, probability ≈ 2⁻³¹
//! per draw) is refused rather than followed.

pub mod fri;
pub mod ood;
pub mod witness;

use crate::circuit::{hash_elements_var, path_root_var};
use crate::goldilocks::{GoldilocksVar, QuadraticVar};
use crate::transcript::{positions_var, CoinVar};
use crate::wrappable::WrappableAir;
use ark_bn254::Fr;
use ark_r1cs_std::fields::fp::FpVar;
use ark_r1cs_std::prelude::*;
use ark_relations::gr1cs::{ConstraintSynthesizer, ConstraintSystemRef, SynthesisError};
use winterfell::Proof;
use zkevm_field::{Goldilocks, Quadratic};

pub use witness::{OodFrame, Opened, ProofWitness, QueryWitness, Shape};

/// Why a proof cannot be wrapped.
#[derive(Debug, thiserror::Error)]
pub enum WrapError {
    #[error("the proof does not verify: {0}")]
    Rejected(String),
    #[error("malformed proof: {0}")]
    Malformed(String),
    #[error("not supported: {0}")]
    Unsupported(String),
}

/// The verifier circuit for one [`Shape`]; without a witness it only fixes the structure (key
/// generation).
#[derive(Debug, Clone)]
pub struct VerifierCircuit {
    pub shape: Shape,
    pub witness: Option<ProofWitness>,
}

impl VerifierCircuit {
    /// The circuit of `proof`'s shape, with its witness (after the native verifier accepts it).
    pub fn for_proof<A>(proof: &Proof, inputs: A::PublicInputs) -> Result<Self, WrapError>
    where
        A: WrappableAir,
        A::PublicInputs: Clone,
    {
        // Building the AIR and recording its constraints index by the AIR's declared shape: a
        // proof of another shape (a narrower trace, say) must be refused, not panic.
        let shape = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
            let info = proof.trace_info().clone();
            let air = A::new(info, inputs.clone(), proof.options().clone());
            Shape::of(&air, &inputs)
        }))
        .map_err(|_| WrapError::Malformed("the proof's shape does not fit the AIR".into()))??;
        let witness = ProofWitness::of::<A>(&shape, proof, inputs)?;
        Ok(VerifierCircuit {
            shape,
            witness: Some(witness),
        })
    }

    /// The circuit's public input for this witness.
    pub fn statement(&self) -> Option<Fr> {
        (self.witness.as_ref()).map(|w| self.shape.statement(&w.inputs))
    }
}

impl ConstraintSynthesizer<Fr> for VerifierCircuit {
    fn generate_constraints(self, cs: ConstraintSystemRef<Fr>) -> Result<(), SynthesisError> {
        let statement = self.statement();
        verify_in_circuit(cs, &self.shape, self.witness.as_ref(), statement)
    }
}

/// Allocates witness variables from the witness when there is one.
pub(crate) struct Alloc<'a> {
    cs: ConstraintSystemRef<Fr>,
    witness: Option<&'a ProofWitness>,
}

impl<'a> Alloc<'a> {
    pub(crate) fn scalar(
        &self,
        f: impl FnOnce(&ProofWitness) -> Fr,
    ) -> Result<FpVar<Fr>, SynthesisError> {
        let value = self.witness.map(f);
        FpVar::new_witness(self.cs.clone(), || {
            value.ok_or(SynthesisError::AssignmentMissing)
        })
    }

    /// `n` variables made by `make` from the witness's values `f` picks (missing values
    /// count as zero: a short witness leaves the circuit unsatisfied, it does not panic).
    fn cells<T: Copy + Default, V>(
        &self,
        n: usize,
        f: impl Fn(&ProofWitness) -> &[T],
        make: impl Fn(Option<T>) -> Result<V, SynthesisError>,
    ) -> Result<Vec<V>, SynthesisError> {
        (0..n)
            .map(|i| {
                make(
                    self.witness
                        .map(|w| f(w).get(i).copied().unwrap_or_default()),
                )
            })
            .collect()
    }

    pub(crate) fn scalars(
        &self,
        n: usize,
        f: impl Fn(&ProofWitness) -> &[Fr],
    ) -> Result<Vec<FpVar<Fr>>, SynthesisError> {
        self.cells(n, f, |value| {
            FpVar::new_witness(self.cs.clone(), || {
                value.ok_or(SynthesisError::AssignmentMissing)
            })
        })
    }

    pub(crate) fn base(
        &self,
        n: usize,
        f: impl Fn(&ProofWitness) -> &[Goldilocks],
    ) -> Result<Vec<GoldilocksVar>, SynthesisError> {
        self.cells(n, f, |value| {
            GoldilocksVar::new_witness(self.cs.clone(), value)
        })
    }

    pub(crate) fn extension(
        &self,
        n: usize,
        f: impl Fn(&ProofWitness) -> &[Quadratic],
    ) -> Result<Vec<QuadraticVar>, SynthesisError> {
        self.cells(n, f, |value| {
            QuadraticVar::witness_of(self.cs.clone(), value)
        })
    }
}

/// The base-field cells of extension values (for hashing, as the prover hashes them).
pub(crate) fn flatten(values: &[QuadraticVar]) -> Vec<GoldilocksVar> {
    values.iter().flat_map(|v| v.0.iter().cloned()).collect()
}

/// Builds the whole verifier into `cs` (see the module docs for the order), with `statement`
/// as the public input (the witness's own statement hash, for an honest prover).
pub fn verify_in_circuit(
    cs: ConstraintSystemRef<Fr>,
    shape: &Shape,
    witness: Option<&ProofWitness>,
    statement: Option<Fr>,
) -> Result<(), SynthesisError> {
    let statement = FpVar::new_input(cs.clone(), || {
        statement.ok_or(SynthesisError::AssignmentMissing)
    })?;
    let part = ProofVars::allocate(cs.clone(), shape, witness)?;
    verify_proof_vars(cs, shape, witness, &part)?.enforce_equal(&statement)
}

/// The cells of one proof a larger circuit shares: its public inputs and its main-trace root
/// (a block's transcript absorbs the root and gives the inputs' challenges).
pub struct ProofVars {
    pub inputs: Vec<GoldilocksVar>,
    pub trace_root: FpVar<Fr>,
}

impl ProofVars {
    /// Both as fresh witness cells.
    pub fn allocate(
        cs: ConstraintSystemRef<Fr>,
        shape: &Shape,
        witness: Option<&ProofWitness>,
    ) -> Result<Self, SynthesisError> {
        let alloc = Alloc { cs, witness };
        Ok(ProofVars {
            inputs: alloc.base(shape.num_inputs, |w| &w.inputs)?,
            trace_root: alloc.scalar(|w| w.trace_root)?,
        })
    }
}

/// The verifier of one proof whose public inputs and main-trace root are `vars`; returns its
/// transcript's seed (the hash of the context and the inputs: the statement hash of a lone
/// proof).
pub fn verify_proof_vars(
    cs: ConstraintSystemRef<Fr>,
    shape: &Shape,
    witness: Option<&ProofWitness>,
    vars: &ProofVars,
) -> Result<FpVar<Fr>, SynthesisError> {
    let alloc = Alloc { cs, witness };
    let inputs = &vars.inputs;
    if inputs.len() != shape.num_inputs {
        return Err(SynthesisError::Unsatisfiable);
    }
    let seed_cells: Vec<GoldilocksVar> = (shape.context.iter())
        .map(|&e| GoldilocksVar::constant(e))
        .chain(inputs.iter().cloned())
        .collect();
    let seed = hash_elements_var(&seed_cells)?;
    let mut coin = CoinVar::new(seed.clone());

    let trace_root = vars.trace_root.clone();
    coin.reseed(&trace_root)?;
    // The auxiliary segment's random elements are the statement's (draws would not move the
    // seed anyway); its root is reseeded.
    let aux_root = if shape.aux_width > 0 {
        let root = alloc.scalar(|w| w.aux_root)?;
        coin.reseed(&root)?;
        Some(root)
    } else {
        None
    };
    let num_coefficients = shape.transitions.outputs()
        + shape.aux_transitions.outputs()
        + shape.assertions.len()
        + shape.aux_assertions.len();
    let composition_coefficients = (0..num_coefficients)
        .map(|_| coin.draw())
        .collect::<Result<Vec<_>, _>>()?;
    let constraint_root = alloc.scalar(|w| w.constraint_root)?;
    coin.reseed(&constraint_root)?;
    let z = coin.draw()?;

    let ood = ood::OodVars {
        trace_current: alloc.extension(shape.width + shape.aux_width, |w| &w.ood.trace_current)?,
        trace_next: alloc.extension(shape.width + shape.aux_width, |w| &w.ood.trace_next)?,
        quotient_current: alloc.extension(shape.quotients, |w| &w.ood.quotient_current)?,
        quotient_next: alloc.extension(shape.quotients, |w| &w.ood.quotient_next)?,
    };
    ood::check(shape, &z, &ood, inputs, &composition_coefficients)?;
    coin.reseed(&hash_elements_var(&ood.transcript_cells())?)?;
    let deep_coefficients = (0..shape.width + shape.aux_width + shape.quotients)
        .map(|_| coin.draw())
        .collect::<Result<Vec<_>, _>>()?;

    let fri_roots = alloc.scalars(shape.fri_layers + 1, |w| &w.fri_roots)?;
    let mut alphas = Vec::with_capacity(shape.fri_layers);
    for root in &fri_roots[..shape.fri_layers] {
        coin.reseed(root)?;
        alphas.push(coin.draw()?);
    }
    // The remainder's commitment is reseeded too (its α is never used).
    coin.reseed(&fri_roots[shape.fri_layers])?;
    let remainder = alloc.extension(shape.remainder_len, |w| &w.remainder)?;
    hash_elements_var(&flatten(&remainder))?.enforce_equal(&fri_roots[shape.fri_layers])?;

    let nonce = alloc.scalar(|w| Fr::from(w.nonce))?;
    let drawn = positions_var(&coin.seed, &[], &nonce, shape.draw)?;

    let deep = fri::DeepPoint::new(shape, &z, &ood, &deep_coefficients)?;
    for (k, bits) in drawn.iter().enumerate() {
        fn query(w: &ProofWitness, k: usize) -> Option<&QueryWitness> {
            w.queries.get(k)
        }
        // Trace and composition rows at the position, against their roots.
        let trace_row = alloc.base(shape.width, |w| {
            query(w, k).map_or(&[][..], |q| &q.trace.values)
        })?;
        let trace_path = alloc.scalars(shape.depth(), |w| {
            query(w, k).map_or(&[][..], |q| &q.trace.path)
        })?;
        path_root_var(&hash_elements_var(&trace_row)?, &trace_path, bits)?
            .enforce_equal(&trace_root)?;
        let aux_row = alloc.extension(shape.aux_width, |w| {
            query(w, k).map_or(&[][..], |q| &q.aux.values)
        })?;
        if let Some(aux_root) = &aux_root {
            let aux_path = alloc.scalars(shape.depth(), |w| {
                query(w, k).map_or(&[][..], |q| &q.aux.path)
            })?;
            path_root_var(&hash_elements_var(&flatten(&aux_row))?, &aux_path, bits)?
                .enforce_equal(aux_root)?;
        }
        let quotient_row = alloc.extension(shape.quotients, |w| {
            query(w, k).map_or(&[][..], |q| &q.quotients.values)
        })?;
        let quotient_path = alloc.scalars(shape.depth(), |w| {
            query(w, k).map_or(&[][..], |q| &q.quotients.path)
        })?;
        let quotient_leaf = hash_elements_var(&flatten(&quotient_row))?;
        path_root_var(&quotient_leaf, &quotient_path, bits)?.enforce_equal(&constraint_root)?;
        let value = deep.at(shape, bits, &trace_row, &aux_row, &quotient_row)?;
        fri::check_query(
            shape, &alloc, k, bits, value, &fri_roots, &alphas, &remainder,
        )?;
    }
    Ok(seed)
}
