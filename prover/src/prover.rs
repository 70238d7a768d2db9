//! Our winterfell prover: any AIR over Goldilocks with our trace LDE, constraint commitment,
//! Merkle tree and prove loop ([`crate::protocol`], whose out-of-domain frame and DEEP
//! polynomial are ours). A block component hands it the main commitment built before the bus
//! challenges and its LogUp columns; a standalone AIR hands it nothing and it builds the LDE
//! itself.

use crate::composition::ZkConstraintCommitment;
use crate::evaluator::ZkConstraintEvaluator;
use crate::lde::{MainCommitment, RowsSlot, ZkTraceLde};
use crate::merkle::MerkleVc;
use crate::Hash;
use std::marker::PhantomData;
use std::sync::Mutex;
use winter_crypto::{DefaultRandomCoin, ElementHasher};
use winterfell::matrix::ColMatrix;
use winterfell::{
    Air, AuxRandElements, CompositionPoly, CompositionPolyTrace, ConstraintCompositionCoefficients,
    EvaluationFrame, PartitionOptions, Proof, ProofOptions, Prover, ProverError, StarkDomain,
    Trace, TraceInfo, TracePolyTable,
};
use zkevm_air::lane_eval::LaneAir;
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

/// winterfell prover of `A` on our backend, committing with `H` (Blake3 by default; the
/// recursion crate's Poseidon for proofs meant to be verified in a circuit), whose
/// Fiat–Shamir coin is winterfell's over the same hasher. Precomputed parts (the main
/// commitment, the auxiliary columns) are taken by the prove loop's calls to the `Prover`
/// methods ([`crate::protocol`]) instead of being recomputed.
pub struct ZkProver<A: Air<BaseField = Goldilocks>, H: ElementHasher = Hash> {
    options: ProofOptions,
    inputs: A::PublicInputs,
    main: Mutex<Option<MainCommitment<H>>>,
    aux: Mutex<Option<Vec<Vec<Quadratic>>>>,
    /// The trace LDE's rows, from its creation to the constraint evaluator's.
    rows: RowsSlot,
    hasher: PhantomData<H>,
}

impl<A: Air<BaseField = Goldilocks>, H: ElementHasher> ZkProver<A, H> {
    /// A prover that builds everything itself.
    pub fn new(options: ProofOptions, inputs: A::PublicInputs) -> Self {
        Self {
            options,
            inputs,
            main: Mutex::new(None),
            aux: Mutex::new(None),
            rows: RowsSlot::default(),
            hasher: PhantomData,
        }
    }

    /// Uses `main` (built from the same trace) as the main-trace LDE and commitment.
    pub fn with_main(self, main: MainCommitment<H>) -> Self {
        Self {
            main: Mutex::new(Some(main)),
            ..self
        }
    }

    /// Supplies the auxiliary segment (required when the AIR has one).
    pub fn with_aux(self, aux: Vec<Vec<Quadratic>>) -> Self {
        Self {
            aux: Mutex::new(Some(aux)),
            ..self
        }
    }

    /// Proves `trace`; panics inside winterfell become errors.
    pub fn prove_trace(self, trace: MainTrace) -> Result<Proof, String>
    where
        A: LaneAir + 'static,
        A::PublicInputs: Clone + Send,
        H: ElementHasher<BaseField = Goldilocks> + Send + Sync + 'static,
    {
        std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| self.prove(trace)))
            .map_err(|payload| panic_message(&payload))?
            .map_err(|e| e.to_string())
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

impl<A, H> Prover for ZkProver<A, H>
where
    A: LaneAir + 'static,
    A::PublicInputs: Clone + Send,
    H: ElementHasher<BaseField = Goldilocks> + Send + Sync + 'static,
{
    type BaseField = Goldilocks;
    type Air = A;
    type Trace = MainTrace;
    type HashFn = H;
    type VC = MerkleVc<H>;
    type RandomCoin = DefaultRandomCoin<H>;
    type TraceLde<E: FieldElement<BaseField = Goldilocks>> = ZkTraceLde<E, H>;
    type ConstraintCommitment<E: FieldElement<BaseField = Goldilocks>> =
        ZkConstraintCommitment<E, H>;
    type ConstraintEvaluator<'a, E: FieldElement<BaseField = Goldilocks>> =
        ZkConstraintEvaluator<'a, A, E>;

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
        let cached = self.main.lock().map(|mut m| m.take()).unwrap_or(None);
        let main = cached.unwrap_or_else(|| {
            let columns: Vec<&[Goldilocks]> = main_trace.columns().collect();
            MainCommitment::build(&columns, domain.trace_to_lde_blowup())
        });
        let (lde, polys) = ZkTraceLde::new(main, trace_info);
        (lde.sharing_rows(RowsSlot::clone(&self.rows)), polys)
    }

    fn build_aux_trace<E: FieldElement<BaseField = Goldilocks>>(
        &self,
        _main_trace: &MainTrace,
        _aux_rand_elements: &AuxRandElements<E>,
    ) -> ColMatrix<E> {
        // winterfell's interface cannot fail here; the panic is caught by `prove_trace`.
        let cached = self.aux.lock().map(|mut a| a.take()).unwrap_or(None);
        let columns = cached
            .and_then(cast_columns::<E>)
            .expect("auxiliary columns in the quadratic extension must be supplied");
        ColMatrix::new(columns)
    }

    fn build_constraint_commitment<E: FieldElement<BaseField = Goldilocks>>(
        &self,
        composition_poly_trace: CompositionPolyTrace<E>,
        num_constraint_composition_columns: usize,
        domain: &StarkDomain<Goldilocks>,
        _partition_options: PartitionOptions,
    ) -> (Self::ConstraintCommitment<E>, CompositionPoly<E>) {
        ZkConstraintCommitment::new(
            composition_poly_trace,
            num_constraint_composition_columns,
            domain,
        )
    }

    /// winterfell's protocol run by [`crate::protocol::prove`], whose out-of-domain frame and
    /// DEEP polynomial are ours; winterfell's verifier checks the proof as before.
    fn generate_proof<E>(&self, trace: MainTrace) -> Result<Proof, ProverError>
    where
        E: FieldElement<BaseField = Goldilocks>,
        A::PublicInputs: Send,
    {
        crate::protocol::prove::<Self, E>(self, trace)
    }

    fn new_evaluator<'a, E: FieldElement<BaseField = Goldilocks>>(
        &self,
        air: &'a A,
        aux_rand_elements: Option<AuxRandElements<E>>,
        composition_coefficients: ConstraintCompositionCoefficients<E>,
    ) -> Self::ConstraintEvaluator<'a, E> {
        // Taken, not cloned: the rows go back to the pool when the prove loop drops the trace
        // LDE and the evaluator, not when the prover is dropped.
        let rows = self.rows.lock().map(|mut r| r.take()).unwrap_or(None);
        ZkConstraintEvaluator::new(air, aux_rand_elements, composition_coefficients)
            .reading_rows(rows)
    }
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
