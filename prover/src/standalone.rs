//! Proving a single AIR over Goldilocks with our backend (SIMD LDE, parallel Merkle tree), no
//! bus: for AIRs outside the component registry and for benchmarks against stock winterfell.

use crate::component::{panic_message, MainTrace};
use crate::lde::{MainCommitment, ZkTraceLde};
use crate::merkle::MerkleVc;
use crate::{Coin, Hash};
use std::marker::PhantomData;
use winterfell::matrix::ColMatrix;
use winterfell::{
    AcceptableOptions, Air, AuxRandElements, CompositionPoly, CompositionPolyTrace,
    ConstraintCompositionCoefficients, DefaultConstraintCommitment, DefaultConstraintEvaluator,
    PartitionOptions, Proof, ProofOptions, Prover, StarkDomain, TraceInfo, TracePolyTable,
};
use zkevm_field::{FieldElement, Goldilocks};

/// winterfell prover of any single-segment AIR `A` with our trace LDE and commitments.
pub struct StandaloneProver<A: Air<BaseField = Goldilocks> + 'static> {
    options: ProofOptions,
    inputs: A::PublicInputs,
    _a: PhantomData<A>,
}

impl<A> Prover for StandaloneProver<A>
where
    A: Air<BaseField = Goldilocks> + 'static,
    A::PublicInputs: Clone + Send,
{
    type BaseField = Goldilocks;
    type Air = A;
    type Trace = MainTrace;
    type HashFn = Hash;
    type VC = MerkleVc<Hash>;
    type RandomCoin = Coin;
    type TraceLde<E: FieldElement<BaseField = Goldilocks>> = ZkTraceLde<E, Hash>;
    type ConstraintCommitment<E: FieldElement<BaseField = Goldilocks>> =
        DefaultConstraintCommitment<E, Hash, MerkleVc<Hash>>;
    type ConstraintEvaluator<'a, E: FieldElement<BaseField = Goldilocks>> =
        DefaultConstraintEvaluator<'a, A, E>;

    fn get_pub_inputs(&self, _trace: &MainTrace) -> A::PublicInputs {
        self.inputs.clone()
    }

    fn options(&self) -> &ProofOptions {
        &self.options
    }

    fn new_trace_lde<E: FieldElement<BaseField = Goldilocks>>(
        &self,
        trace_info: &TraceInfo,
        main_trace: &ColMatrix<Goldilocks>,
        domain: &StarkDomain<Goldilocks>,
        _partition_option: PartitionOptions,
    ) -> (Self::TraceLde<E>, TracePolyTable<E>) {
        let columns: Vec<Vec<Goldilocks>> = main_trace.columns().map(<[_]>::to_vec).collect();
        let main = MainCommitment::build(&columns, domain.trace_to_lde_blowup());
        ZkTraceLde::new(main, trace_info)
    }

    fn build_constraint_commitment<E: FieldElement<BaseField = Goldilocks>>(
        &self,
        composition_poly_trace: CompositionPolyTrace<E>,
        num_constraint_composition_columns: usize,
        domain: &StarkDomain<Goldilocks>,
        partition_options: PartitionOptions,
    ) -> (Self::ConstraintCommitment<E>, CompositionPoly<E>) {
        DefaultConstraintCommitment::new(
            composition_poly_trace,
            num_constraint_composition_columns,
            domain,
            partition_options,
        )
    }

    fn new_evaluator<'a, E: FieldElement<BaseField = Goldilocks>>(
        &self,
        air: &'a A,
        aux_rand_elements: Option<AuxRandElements<E>>,
        composition_coefficients: ConstraintCompositionCoefficients<E>,
    ) -> Self::ConstraintEvaluator<'a, E> {
        DefaultConstraintEvaluator::new(air, aux_rand_elements, composition_coefficients)
    }
}

/// Proves `columns` (a single-segment trace, power-of-two length ≥ 8) against `A`.
pub fn prove_air<A>(
    columns: Vec<Vec<Goldilocks>>,
    inputs: A::PublicInputs,
    options: ProofOptions,
) -> Result<Proof, String>
where
    A: Air<BaseField = Goldilocks> + 'static,
    A::PublicInputs: Clone + Send,
{
    let rows = columns.first().map_or(0, Vec::len);
    if columns.is_empty() || rows < 8 || !rows.is_power_of_two() {
        return Err(format!("{} columns of {rows} rows is not a valid trace", columns.len()));
    }
    let info = TraceInfo::new(columns.len(), rows);
    let prover = StandaloneProver::<A> {
        options,
        inputs,
        _a: PhantomData,
    };
    std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
        prover.prove(MainTrace::new(info, columns))
    }))
    .map_err(|payload| panic_message(&payload))?
    .map_err(|e| e.to_string())
}

/// Verifies a proof made by [`prove_air`].
pub fn verify_air<A>(proof: Proof, inputs: A::PublicInputs, options: ProofOptions) -> Result<(), String>
where
    A: Air<BaseField = Goldilocks>,
{
    let acceptable = AcceptableOptions::OptionSet(vec![options]);
    std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
        winterfell::verify::<A, Hash, Coin, MerkleVc<Hash>>(proof, inputs, &acceptable)
    }))
    .map_err(|payload| panic_message(&payload))?
    .map_err(|e| e.to_string())
}
