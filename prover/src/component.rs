//! Proving one component with winterfell, given its main commitment built earlier and the
//! block's bus challenges.

use crate::lde::{MainCommitment, ZkTraceLde};
use crate::merkle::MerkleVc;
use crate::{Coin, Hash};
use std::marker::PhantomData;
use std::sync::Mutex;
use winterfell::matrix::ColMatrix;
use winterfell::{
    AuxRandElements, CompositionPoly, CompositionPolyTrace, ConstraintCompositionCoefficients,
    DefaultConstraintCommitment, DefaultConstraintEvaluator, EvaluationFrame, PartitionOptions,
    Proof, ProofOptions, Prover, StarkDomain, Trace, TraceInfo, TracePolyTable,
};
use zkevm_air::bus::build_aux_columns;
use zkevm_air::{Component, ComponentAir, ComponentInputs};
use zkevm_field::{FieldElement, Goldilocks, Quadratic};

/// A component's main trace in winterfell's form.
pub struct MainTrace {
    info: TraceInfo,
    main: ColMatrix<Goldilocks>,
}

impl MainTrace {
    pub fn new(info: TraceInfo, columns: Vec<Vec<Goldilocks>>) -> Self {
        Self {
            info,
            main: ColMatrix::new(columns),
        }
    }
}

impl Trace for MainTrace {
    type BaseField = Goldilocks;

    fn info(&self) -> &TraceInfo {
        &self.info
    }

    fn main_segment(&self) -> &ColMatrix<Goldilocks> {
        &self.main
    }

    fn read_main_frame(&self, row_idx: usize, frame: &mut EvaluationFrame<Goldilocks>) {
        let next = (row_idx + 1) % self.main.num_rows();
        self.main.read_row_into(row_idx, frame.current_mut());
        self.main.read_row_into(next, frame.next_mut());
    }
}

/// winterfell prover of one component. The main commitment and the auxiliary columns were
/// computed by the block prover; winterfell's callbacks take them instead of recomputing.
pub struct ComponentProver<C: Component> {
    options: ProofOptions,
    inputs: ComponentInputs,
    main: Mutex<Option<MainCommitment<Hash>>>,
    aux: Mutex<Option<Vec<Vec<Quadratic>>>>,
    _c: PhantomData<C>,
}

impl<C: Component> ComponentProver<C> {
    pub fn new(
        options: ProofOptions,
        inputs: ComponentInputs,
        main: MainCommitment<Hash>,
        aux: Vec<Vec<Quadratic>>,
    ) -> Self {
        Self {
            options,
            inputs,
            main: Mutex::new(Some(main)),
            aux: Mutex::new(Some(aux)),
            _c: PhantomData,
        }
    }
}

/// Reinterprets quadratic-extension columns as winterfell's `E` (the same type whenever the
/// options use the quadratic extension).
fn cast_columns<E: FieldElement<BaseField = Goldilocks>>(
    columns: Vec<Vec<Quadratic>>,
) -> Option<Vec<Vec<E>>> {
    if E::EXTENSION_DEGREE != 2 {
        return None;
    }
    Some(
        columns
            .iter()
            .map(|c| E::slice_from_base_elements(Quadratic::slice_as_base_elements(c)).to_vec())
            .collect(),
    )
}

impl<C: Component> Prover for ComponentProver<C> {
    type BaseField = Goldilocks;
    type Air = ComponentAir<C>;
    type Trace = MainTrace;
    type HashFn = Hash;
    type VC = MerkleVc<Hash>;
    type RandomCoin = Coin;
    type TraceLde<E: FieldElement<BaseField = Goldilocks>> = ZkTraceLde<E, Hash>;
    type ConstraintCommitment<E: FieldElement<BaseField = Goldilocks>> =
        DefaultConstraintCommitment<E, Hash, MerkleVc<Hash>>;
    type ConstraintEvaluator<'a, E: FieldElement<BaseField = Goldilocks>> =
        DefaultConstraintEvaluator<'a, ComponentAir<C>, E>;

    fn get_pub_inputs(&self, _trace: &MainTrace) -> ComponentInputs {
        self.inputs
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
        let cached = self.main.lock().map(|mut m| m.take()).unwrap_or(None);
        let main = cached.unwrap_or_else(|| {
            let columns: Vec<Vec<Goldilocks>> = main_trace.columns().map(<[_]>::to_vec).collect();
            MainCommitment::build(&columns, domain.trace_to_lde_blowup())
        });
        ZkTraceLde::new(main, trace_info)
    }

    fn build_aux_trace<E: FieldElement<BaseField = Goldilocks>>(
        &self,
        main_trace: &MainTrace,
        aux_rand_elements: &AuxRandElements<E>,
    ) -> ColMatrix<E> {
        let cached = self.aux.lock().map(|mut a| a.take()).unwrap_or(None);
        if let Some(columns) = cached.and_then(cast_columns::<E>) {
            return ColMatrix::new(columns);
        }
        let rand = aux_rand_elements.rand_elements();
        let columns: Vec<Vec<Goldilocks>> =
            main_trace.main.columns().map(<[_]>::to_vec).collect();
        let aux = build_aux_columns(&C::default(), &columns, rand[0], rand[1])
            .unwrap_or_else(|e| panic!("auxiliary trace: {e}"));
        ColMatrix::new(aux)
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
        air: &'a ComponentAir<C>,
        aux_rand_elements: Option<AuxRandElements<E>>,
        composition_coefficients: ConstraintCompositionCoefficients<E>,
    ) -> Self::ConstraintEvaluator<'a, E> {
        DefaultConstraintEvaluator::new(air, aux_rand_elements, composition_coefficients)
    }
}

/// Proves one component; panics inside winterfell become errors.
pub fn prove_component<C: Component>(
    prover: ComponentProver<C>,
    trace: MainTrace,
) -> Result<Proof, String> {
    std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| prover.prove(trace)))
        .map_err(|payload| panic_message(&payload))?
        .map_err(|e| e.to_string())
}

/// The text of a caught panic.
pub fn panic_message(payload: &Box<dyn std::any::Any + Send>) -> String {
    if let Some(s) = payload.downcast_ref::<&str>() {
        format!("panic: {s}")
    } else if let Some(s) = payload.downcast_ref::<String>() {
        format!("panic: {s}")
    } else {
        "panic".to_string()
    }
}
