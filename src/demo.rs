//! The built-in demo: a Fibonacci AIR proven by winterfell over our Goldilocks field.
//!
//! It stands in for the EVM workload until EVM proving lands, and exercises the whole stack
//! the EVM proofs will use: our field (scalar, packed, extensions) inside winterfell's prover,
//! Blake3 Merkle commitments, FRI, and the verifier's canonical-encoding checks.
//!
//! Trace: two columns `(a, b)`, each row advancing the sequence by two terms:
//! `a' = a + b`, `b' = b + a'`. Boundary: `a₀ = b₀ = 1`, and the last `b` equals the claimed
//! result (a public input).

use std::time::{Duration, Instant};
use thiserror::Error;
use winterfell::crypto::{hashers::Blake3_256, DefaultRandomCoin, MerkleTree};
use winterfell::math::ToElements;
use winterfell::matrix::ColMatrix;
use winterfell::{
    AcceptableOptions, Air, AirContext, Assertion, AuxRandElements, BatchingMethod,
    CompositionPoly, CompositionPolyTrace, ConstraintCompositionCoefficients,
    DefaultConstraintCommitment, DefaultConstraintEvaluator, DefaultTraceLde, EvaluationFrame,
    FieldExtension, PartitionOptions, Proof, ProofOptions, Prover, StarkDomain, Trace, TraceInfo,
    TracePolyTable, TraceTable, TransitionConstraintDegree,
};
use zkevm_field::{FieldElement, Goldilocks};

/// The hash used for commitments in the demo.
pub type DemoHash = Blake3_256<Goldilocks>;
type DemoVc = MerkleTree<DemoHash>;
type DemoCoin = DefaultRandomCoin<DemoHash>;

/// What can go wrong proving or verifying the demo.
#[derive(Debug, Error)]
pub enum DemoError {
    #[error("trace length must be a power of two ≥ 8, got {0}")]
    BadLength(usize),
    #[error("proving failed: {0}")]
    Prove(#[from] winterfell::ProverError),
    #[error("proof rejected: {0}")]
    Verify(#[from] winterfell::VerifierError),
    #[error("malformed proof bytes: {0}")]
    Decode(#[from] winter_utils::DeserializationError),
}

/// The public statement: the Fibonacci term the trace ends on.
#[derive(Debug, Clone, Copy)]
pub struct FibInputs {
    pub result: Goldilocks,
}

impl ToElements<Goldilocks> for FibInputs {
    fn to_elements(&self) -> Vec<Goldilocks> {
        vec![self.result]
    }
}

/// The Fibonacci AIR described in the module docs.
pub struct FibAir {
    context: AirContext<Goldilocks>,
    result: Goldilocks,
}

impl Air for FibAir {
    type BaseField = Goldilocks;
    type PublicInputs = FibInputs;

    fn new(trace_info: TraceInfo, inputs: FibInputs, options: ProofOptions) -> Self {
        let degrees = vec![
            TransitionConstraintDegree::new(1),
            TransitionConstraintDegree::new(1),
        ];
        Self {
            context: AirContext::new(trace_info, degrees, 3, options),
            result: inputs.result,
        }
    }

    fn context(&self) -> &AirContext<Goldilocks> {
        &self.context
    }

    fn evaluate_transition<E: FieldElement<BaseField = Goldilocks> + From<Goldilocks>>(
        &self,
        frame: &EvaluationFrame<E>,
        _periodic_values: &[E],
        result: &mut [E],
    ) {
        let (current, next) = (frame.current(), frame.next());
        // a' = a + b; b' = b + a'
        result[0] = next[0] - (current[0] + current[1]);
        result[1] = next[1] - (current[1] + next[0]);
    }

    fn get_assertions(&self) -> Vec<Assertion<Goldilocks>> {
        let last = self.trace_length() - 1;
        vec![
            Assertion::single(0, 0, Goldilocks::ONE),
            Assertion::single(1, 0, Goldilocks::ONE),
            Assertion::single(1, last, self.result),
        ]
    }
}

/// Builds the two-column Fibonacci trace of `rows` rows.
pub fn fib_trace(rows: usize) -> TraceTable<Goldilocks> {
    let mut trace = TraceTable::new(2, rows);
    trace.fill(
        |state| {
            state[0] = Goldilocks::ONE;
            state[1] = Goldilocks::ONE;
        },
        |_, state| {
            state[0] += state[1];
            state[1] += state[0];
        },
    );
    trace
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

struct FibProver {
    options: ProofOptions,
}

impl Prover for FibProver {
    type BaseField = Goldilocks;
    type Air = FibAir;
    type Trace = TraceTable<Goldilocks>;
    type HashFn = DemoHash;
    type VC = DemoVc;
    type RandomCoin = DemoCoin;
    type TraceLde<E: FieldElement<BaseField = Goldilocks>> = DefaultTraceLde<E, DemoHash, DemoVc>;
    type ConstraintCommitment<E: FieldElement<BaseField = Goldilocks>> =
        DefaultConstraintCommitment<E, DemoHash, DemoVc>;
    type ConstraintEvaluator<'a, E: FieldElement<BaseField = Goldilocks>> =
        DefaultConstraintEvaluator<'a, FibAir, E>;

    fn get_pub_inputs(&self, trace: &Self::Trace) -> FibInputs {
        FibInputs {
            result: trace.get(1, trace.length() - 1),
        }
    }

    fn options(&self) -> &ProofOptions {
        &self.options
    }

    fn new_trace_lde<E: FieldElement<BaseField = Goldilocks>>(
        &self,
        trace_info: &TraceInfo,
        main_trace: &ColMatrix<Goldilocks>,
        domain: &StarkDomain<Goldilocks>,
        partition_option: PartitionOptions,
    ) -> (Self::TraceLde<E>, TracePolyTable<E>) {
        DefaultTraceLde::new(trace_info, main_trace, domain, partition_option)
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
        air: &'a FibAir,
        aux_rand_elements: Option<AuxRandElements<E>>,
        composition_coefficients: ConstraintCompositionCoefficients<E>,
    ) -> Self::ConstraintEvaluator<'a, E> {
        DefaultConstraintEvaluator::new(air, aux_rand_elements, composition_coefficients)
    }
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
    let prover = FibProver {
        options: demo_options(extension),
    };
    let trace = fib_trace(rows);
    let inputs = prover.get_pub_inputs(&trace);
    let proof = prover.prove(trace)?;
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
    winterfell::verify::<FibAir, DemoHash, DemoCoin, DemoVc>(proof, inputs, &acceptable)?;
    Ok(())
}

/// Conjectured security of a proof, in bits.
pub fn security_bits(proof: &Proof) -> u32 {
    proof.conjectured_security::<DemoHash>().bits()
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
