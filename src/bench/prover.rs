//! Prover workload: the same 64-column AIR proven by stock winterfell (its `f64` field,
//! `DefaultTraceLde`, winterfell's Merkle tree) and by our backend (Goldilocks, SIMD LDE, own
//! `TraceLde` and Merkle tree), with identical options: Blake3-256, blowup 8, 32 queries,
//! 16 bits of grinding, quadratic extension, FRI folding 8 (the `default` profile).
//!
//! The AIR: `w` columns, `x_i' = x_i² + x_{(i+1) mod w}` (degree 2), `x_0[0]` asserted.

use super::Case;
use std::collections::BTreeMap;
use std::time::Duration;
use winter_math::fields::f64::BaseElement as F64;
use winter_math::{ExtensibleField, StarkField, ToElements};
use winterfell::crypto::{hashers::Blake3_256, DefaultRandomCoin, MerkleTree};
use winterfell::matrix::ColMatrix;
use winterfell::{
    AcceptableOptions, Air, AirContext, Assertion, AuxRandElements, CompositionPoly,
    CompositionPolyTrace, ConstraintCompositionCoefficients, DefaultConstraintCommitment,
    DefaultConstraintEvaluator, DefaultTraceLde, EvaluationFrame, PartitionOptions, Proof,
    ProofOptions, Prover, StarkDomain, TraceInfo, TracePolyTable, TraceTable,
    TransitionConstraintDegree,
};
use zkevm_field::Goldilocks;
use zkevm_prover::standalone::{prove_air, verify_air};
use zkevm_prover::Profile;

/// Columns of the benchmark AIR.
pub const COLUMNS: usize = 64;

/// Public inputs: the first cell.
#[derive(Debug, Clone, Copy)]
pub struct BenchInputs<B> {
    pub first: B,
}

impl<B: StarkField> ToElements<B> for BenchInputs<B> {
    fn to_elements(&self) -> Vec<B> {
        vec![self.first]
    }
}

/// The benchmark AIR over any winterfell base field.
pub struct BenchAir<B: StarkField> {
    context: AirContext<B>,
    first: B,
}

/// Proven with winterfell's constraint evaluator by both provers (the comparison is of the
/// backends: field, LDE, trees).
impl zkevm_air::lane_eval::LaneAir for BenchAir<Goldilocks> {}

impl<B> Air for BenchAir<B>
where
    B: StarkField + ExtensibleField<2> + ExtensibleField<3>,
{
    type BaseField = B;
    type PublicInputs = BenchInputs<B>;

    fn new(trace_info: TraceInfo, inputs: BenchInputs<B>, options: ProofOptions) -> Self {
        let width = trace_info.main_trace_width();
        let degrees = vec![TransitionConstraintDegree::new(2); width];
        Self {
            context: AirContext::new(trace_info, degrees, 1, options),
            first: inputs.first,
        }
    }

    fn context(&self) -> &AirContext<B> {
        &self.context
    }

    fn evaluate_transition<E: winter_math::FieldElement<BaseField = B> + From<B>>(
        &self,
        frame: &EvaluationFrame<E>,
        _periodic_values: &[E],
        result: &mut [E],
    ) {
        let (current, next) = (frame.current(), frame.next());
        let w = current.len();
        for i in 0..w {
            result[i] = next[i] - (current[i] * current[i] + current[(i + 1) % w]);
        }
    }

    fn get_assertions(&self) -> Vec<Assertion<B>> {
        vec![Assertion::single(0, 0, self.first)]
    }
}

/// The benchmark trace, column-major.
pub fn bench_trace<B: StarkField>(columns: usize, rows: usize) -> Vec<Vec<B>> {
    let mut out: Vec<Vec<B>> = (0..columns).map(|_| Vec::with_capacity(rows)).collect();
    let mut row: Vec<B> = (0..columns).map(|i| B::from(i as u32 + 1)).collect();
    let mut next = row.clone();
    for _ in 0..rows {
        for (column, &value) in out.iter_mut().zip(&row) {
            column.push(value);
        }
        for i in 0..columns {
            next[i] = row[i] * row[i] + row[(i + 1) % columns];
        }
        std::mem::swap(&mut row, &mut next);
    }
    out
}

type PeerHash = Blake3_256<F64>;
type PeerVc = MerkleTree<PeerHash>;

/// Stock winterfell: `f64`, `DefaultTraceLde`, `MerkleTree`.
struct PeerProver {
    options: ProofOptions,
}

impl Prover for PeerProver {
    type BaseField = F64;
    type Air = BenchAir<F64>;
    type Trace = TraceTable<F64>;
    type HashFn = PeerHash;
    type VC = PeerVc;
    type RandomCoin = DefaultRandomCoin<PeerHash>;
    type TraceLde<E: winter_math::FieldElement<BaseField = F64>> =
        DefaultTraceLde<E, PeerHash, PeerVc>;
    type ConstraintCommitment<E: winter_math::FieldElement<BaseField = F64>> =
        DefaultConstraintCommitment<E, PeerHash, PeerVc>;
    type ConstraintEvaluator<'a, E: winter_math::FieldElement<BaseField = F64>> =
        DefaultConstraintEvaluator<'a, BenchAir<F64>, E>;

    fn get_pub_inputs(&self, trace: &TraceTable<F64>) -> BenchInputs<F64> {
        BenchInputs {
            first: trace.get(0, 0),
        }
    }

    fn options(&self) -> &ProofOptions {
        &self.options
    }

    fn new_trace_lde<E: winter_math::FieldElement<BaseField = F64>>(
        &self,
        trace_info: &TraceInfo,
        main_trace: &ColMatrix<F64>,
        domain: &StarkDomain<F64>,
        partition_option: PartitionOptions,
    ) -> (Self::TraceLde<E>, TracePolyTable<E>) {
        DefaultTraceLde::new(trace_info, main_trace, domain, partition_option)
    }

    fn build_constraint_commitment<E: winter_math::FieldElement<BaseField = F64>>(
        &self,
        composition_poly_trace: CompositionPolyTrace<E>,
        num_constraint_composition_columns: usize,
        domain: &StarkDomain<F64>,
        partition_options: PartitionOptions,
    ) -> (Self::ConstraintCommitment<E>, CompositionPoly<E>) {
        DefaultConstraintCommitment::new(
            composition_poly_trace,
            num_constraint_composition_columns,
            domain,
            partition_options,
        )
    }

    fn new_evaluator<'a, E: winter_math::FieldElement<BaseField = F64>>(
        &self,
        air: &'a BenchAir<F64>,
        aux_rand_elements: Option<AuxRandElements<E>>,
        composition_coefficients: ConstraintCompositionCoefficients<E>,
    ) -> Self::ConstraintEvaluator<'a, E> {
        DefaultConstraintEvaluator::new(air, aux_rand_elements, composition_coefficients)
    }
}

/// The options both provers use.
pub fn options() -> ProofOptions {
    Profile::Default.options()
}

/// Proves the benchmark trace with our backend.
pub fn prove_ours(trace: Vec<Vec<Goldilocks>>) -> Proof {
    let inputs = BenchInputs { first: trace[0][0] };
    prove_air::<BenchAir<Goldilocks>>(trace, inputs, options()).expect("our prover failed")
}

/// Proves the benchmark trace with stock winterfell.
pub fn prove_peer(trace: Vec<Vec<F64>>) -> Proof {
    PeerProver { options: options() }
        .prove(TraceTable::init(trace))
        .expect("winterfell failed")
}

/// Proves and verifies once with each prover; an error if either proof does not verify.
pub fn check(columns: usize, rows: usize) -> Result<(usize, usize), String> {
    let ours = bench_trace::<Goldilocks>(columns, rows);
    let first = ours[0][0];
    let proof = prove_ours(ours);
    let ours_bytes = proof.to_bytes().len();
    verify_air::<BenchAir<Goldilocks>>(proof, BenchInputs { first }, options())?;
    let peer = bench_trace::<F64>(columns, rows);
    let first = peer[0][0];
    let proof = prove_peer(peer);
    let peer_bytes = proof.to_bytes().len();
    let acceptable = AcceptableOptions::OptionSet(vec![options()]);
    winterfell::verify::<BenchAir<F64>, PeerHash, DefaultRandomCoin<PeerHash>, PeerVc>(
        proof,
        BenchInputs { first },
        &acceptable,
    )
    .map_err(|e| e.to_string())?;
    Ok((ours_bytes, peer_bytes))
}

/// One case per size: ours against stock winterfell, traces prepared outside the timing
/// (each call clones its input, which both sides pay alike).
pub fn cases(log_rows: &[u32]) -> Vec<Case> {
    log_rows
        .iter()
        .map(|&log| {
            let rows = 1usize << log;
            let ours_trace = bench_trace::<Goldilocks>(COLUMNS, rows);
            let peer_trace = bench_trace::<F64>(COLUMNS, rows);
            Case {
                name: format!("prove_{COLUMNS}x2^{log}"),
                elements: 1,
                ours: Box::new(move || {
                    std::hint::black_box(prove_ours(ours_trace.clone()));
                }),
                peers: vec![(
                    "winterfell f64",
                    Box::new(move || {
                        std::hint::black_box(prove_peer(peer_trace.clone()));
                    }),
                )],
            }
        })
        .collect()
}

pub use crate::profiling::{profile, Phases};

/// The phases reported, in pipeline order: `(label, span names)`. Our main-trace spans are
/// `interpolate_main`, `extend_main` (row-major LDE), `hash_main` (Blake3 row hashes) and
/// `commit_main` (Merkle tree); winterfell's are
/// `extend_execution_trace` and `compute_execution_trace_commitment` (row hashes and tree).
pub const PHASES: &[(&str, &[&str])] = &[
    (
        "lde",
        &["interpolate_main", "extend_main", "extend_execution_trace"],
    ),
    (
        "commit",
        &[
            "hash_main",
            "commit_main",
            "compute_execution_trace_commitment",
        ],
    ),
    ("constraints", &["evaluate_constraints"]),
    (
        "composition",
        &[
            "commit_to_constraint_evaluations",
            "build_deep_composition_poly",
            "evaluate_deep_composition_poly",
        ],
    ),
    ("fri", &["compute_fri_layers"]),
    (
        "queries",
        &["determine_query_positions", "build_proof_object"],
    ),
];

/// Milliseconds per reported phase.
pub fn phase_ms(phases: &Phases) -> BTreeMap<&'static str, f64> {
    PHASES
        .iter()
        .map(|(label, names)| {
            let total: Duration = names.iter().filter_map(|n| phases.get(n)).sum();
            (*label, total.as_secs_f64() * 1e3)
        })
        .collect()
}
