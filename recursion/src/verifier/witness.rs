//! What the verifier circuit is built for, its [`Shape`] (fixed when its keys are made), and
//! what one proof hands it, its [`ProofWitness`] (read from a proof the native verifier
//! accepts).

use super::WrapError;
use crate::symbolic::{record, sample_points, Expressions, Native};
use crate::transcript::{transcript_of, QueryDraw};
use crate::wrappable::WrappableAir;
use crate::{Bn254Digest, PoseidonBn254};
use ark_bn254::Fr;
use winter_crypto::{ElementHasher, RandomCoin};
use winterfell::math::ToElements;
use winterfell::{BatchingMethod, FieldExtension, Proof, ProofOptions};
use zkevm_field::{FieldElement, Goldilocks, Quadratic, StarkField};
use zkevm_prover::merkle::{paths, MerkleVc, Opening};
use zkevm_prover::standalone::verify_air_with;

type H = PoseidonBn254;

/// One assertion, in the order winterfell pairs assertions with composition coefficients
/// (by step, then column, for single-step assertions).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Asserted {
    pub column: usize,
    pub step: usize,
    /// Its index among [`WrappableAir::assertion_values`].
    pub value: usize,
}

/// Everything the circuit's structure depends on: the AIR, the trace length and the proof
/// options. Two proofs of one shape are checked by the same circuit and the same keys.
#[derive(Debug, Clone)]
pub struct Shape {
    /// The proof context's elements (trace shape, field, constraint count, options): constants
    /// of the circuit, hashed into the statement.
    pub context: Vec<Goldilocks>,
    /// How many elements the public inputs have.
    pub num_inputs: usize,
    /// Main-trace columns.
    pub width: usize,
    /// Auxiliary-trace columns (extension elements; 0 without an auxiliary segment).
    pub aux_width: usize,
    /// Columns of the composition polynomial (extension elements).
    pub quotients: usize,
    pub trace_length: usize,
    pub draw: QueryDraw,
    pub folding: usize,
    pub fri_layers: usize,
    /// Coefficients of the FRI remainder polynomial.
    pub remainder_len: usize,
    pub domain_offset: Goldilocks,
    /// Trailing rows the transition constraints skip.
    pub exemptions: usize,
    /// The transition constraints, over the current row's cells then the next row's.
    pub transitions: Expressions,
    /// The asserted values, over the statement's elements.
    pub assertion_values: Expressions,
    pub assertions: Vec<Asserted>,
    /// The auxiliary transition constraints, over the main rows (current, next), the
    /// auxiliary rows (current, next) and the statement's extension elements.
    pub aux_transitions: Expressions,
    /// The auxiliary asserted values, over the statement's extension elements.
    pub aux_assertion_values: Expressions,
    pub aux_assertions: Vec<Asserted>,
}

impl Shape {
    /// The shape of `air`'s proofs (`inputs` only fix how many statement elements there are).
    pub fn of<A>(air: &A, inputs: &A::PublicInputs) -> Result<Shape, WrapError>
    where
        A: WrappableAir,
        A::PublicInputs: Clone,
    {
        let unsupported = |what: &str| Err(WrapError::Unsupported(what.to_string()));
        let options = air.options();
        let info = air.trace_info();
        if options.field_extension() != FieldExtension::Quadratic {
            return unsupported("only proofs over the quadratic extension are wrapped");
        }
        if options.constraint_batching_method() != BatchingMethod::Linear
            || options.deep_poly_batching_method() != BatchingMethod::Linear
        {
            return unsupported("only linear batching of constraints and DEEP terms is wrapped");
        }
        if !air.get_periodic_column_values().is_empty() {
            return unsupported("periodic columns are not wrapped yet");
        }
        let fri = options.to_fri_options();
        let trace_length = info.length();
        let domain = trace_length * options.blowup_factor();
        let folding = fri.folding_factor();
        let fri_layers = fri.num_fri_layers(domain);
        let remainder_domain = domain / folding.pow(fri_layers as u32);
        let draw = QueryDraw {
            num_queries: options.num_queries(),
            log_domain: domain.ilog2(),
            grinding: options.grinding_factor(),
        };
        if draw.log_domain > 32 || draw.num_queries >= domain || draw.grinding > 32 {
            return unsupported("an LDE domain beyond 2³², too many queries or too much grinding");
        }
        let width = info.main_trace_width();
        let transitions = record(2 * width, |cells, out| {
            out.extend(air.transitions(&cells[..width], &cells[width..]))
        });
        if transitions.outputs() != air.context().num_main_transition_constraints() {
            return Err(WrapError::Malformed(format!(
                "{} transition constraints recorded, the AIR declares {}",
                transitions.outputs(),
                air.context().num_main_transition_constraints()
            )));
        }
        let num_inputs = inputs.to_elements().len();
        let assertion_values = record(num_inputs, |elements, out| {
            out.extend(air.assertion_values(elements))
        });
        let assertions = placed(&air.get_assertions(), &assertion_values)?;
        let aux_width = info.aux_segment_width();
        if aux_width > 0 && num_inputs % 2 != 0 {
            return unsupported("an auxiliary segment with a statement of odd length");
        }
        let statement_len = num_inputs / 2;
        let aux_transitions = record(2 * width + 2 * aux_width + statement_len, |cells, out| {
            let (main, rest) = cells.split_at(2 * width);
            let (aux, statement) = rest.split_at(2 * aux_width);
            out.extend(air.aux_transitions(
                [&main[..width], &main[width..]],
                [&aux[..aux_width], &aux[aux_width..]],
                statement,
            ))
        });
        if aux_transitions.outputs() != air.context().num_aux_transition_constraints() {
            return Err(WrapError::Malformed(format!(
                "{} auxiliary constraints recorded, the AIR declares {}",
                aux_transitions.outputs(),
                air.context().num_aux_transition_constraints()
            )));
        }
        let aux_assertion_values = record(statement_len, |statement, out| {
            out.extend(air.aux_assertion_values(statement))
        });
        let aux_assertions = if aux_width > 0 {
            // The auxiliary random elements are the statement's (never the coin's) for the
            // AIRs wrapped here; placing assertions needs only their positions.
            let rand = winter_air::AuxRandElements::new(vec![Quadratic::ZERO; 2]);
            placed(
                &air.get_aux_assertions::<Quadratic>(&rand),
                &aux_assertion_values,
            )?
        } else {
            Vec::new()
        };
        // The composition coefficients are drawn per declared assertion.
        if assertions.len() + aux_assertions.len() != air.context().num_assertions() {
            return Err(WrapError::Malformed(
                "the AIR's assertions do not match the count it declares".into(),
            ));
        }
        let num_constraints =
            air.context().num_assertions() + air.context().num_transition_constraints();
        let context = winter_air::proof::Context::new::<Goldilocks>(
            info.clone(),
            options.clone(),
            num_constraints,
        )
        .to_elements();
        Ok(Shape {
            context,
            num_inputs,
            width,
            aux_width,
            quotients: air.context().num_constraint_composition_columns(),
            trace_length,
            draw,
            folding,
            fri_layers,
            remainder_len: remainder_domain / options.blowup_factor(),
            domain_offset: options.domain_offset(),
            exemptions: air.context().num_transition_exemptions(),
            transitions,
            assertion_values,
            assertions,
            aux_transitions,
            aux_assertion_values,
            aux_assertions,
        })
    }

    /// The statement hash (the circuit's only public input) of proofs with public inputs
    /// `inputs`: the Poseidon digest of the context and the inputs, the seed of the proof's
    /// Fiat–Shamir transcript.
    pub fn statement(&self, inputs: &[Goldilocks]) -> Fr {
        let mut elements = self.context.clone();
        elements.extend_from_slice(inputs);
        PoseidonBn254::hash_elements(&elements).element()
    }

    /// The size of the LDE domain.
    pub fn domain(&self) -> usize {
        1 << self.draw.log_domain
    }

    /// Merkle depth of the trace and composition commitments.
    pub fn depth(&self) -> usize {
        self.draw.log_domain as usize
    }
}

/// Assertions as the circuit places them: single-step only, sorted by step then column (the
/// order winterfell pairs them with coefficients), each naming its value among `values`.
fn placed<E: FieldElement>(
    assertions: &[winter_air::Assertion<E>],
    values: &Expressions,
) -> Result<Vec<Asserted>, WrapError> {
    if assertions.len() != values.outputs() {
        return Err(WrapError::Malformed(
            "the recorded assertion values do not give one value per assertion".into(),
        ));
    }
    let mut placed = Vec::with_capacity(assertions.len());
    for (value, assertion) in assertions.iter().enumerate() {
        if !assertion.is_single() {
            return Err(WrapError::Unsupported(
                "only single-step assertions are wrapped".into(),
            ));
        }
        placed.push(Asserted {
            column: assertion.column(),
            step: assertion.first_step(),
            value,
        });
    }
    placed.sort_by_key(|a| (a.step, a.column));
    // winterfell refuses overlapping assertions (it panics building the AIR); so does this.
    if placed
        .windows(2)
        .any(|w| (w[0].step, w[0].column) == (w[1].step, w[1].column))
    {
        return Err(WrapError::Malformed("two assertions on one cell".into()));
    }
    Ok(placed)
}

/// Values opened at one position and the authentication path of their leaf.
#[derive(Debug, Clone, PartialEq)]
pub struct Opened<T> {
    pub values: Vec<T>,
    pub path: Vec<Fr>,
}

/// What one drawn query position opens: the trace row, the composition row, and the
/// `folding` values (and path) of each FRI layer's coset through it.
#[derive(Debug, Clone, PartialEq)]
pub struct QueryWitness {
    pub trace: Opened<Goldilocks>,
    /// The auxiliary row (empty without an auxiliary segment).
    pub aux: Opened<Quadratic>,
    pub quotients: Opened<Quadratic>,
    pub layers: Vec<Opened<Quadratic>>,
}

/// The out-of-domain evaluations: every trace column (main, then auxiliary) and composition
/// column at `z` and `z·g`.
#[derive(Debug, Clone, PartialEq)]
pub struct OodFrame {
    pub trace_current: Vec<Quadratic>,
    pub trace_next: Vec<Quadratic>,
    pub quotient_current: Vec<Quadratic>,
    pub quotient_next: Vec<Quadratic>,
}

/// One proof, as the circuit reads it.
#[derive(Debug, Clone, PartialEq)]
pub struct ProofWitness {
    /// The statement's elements (public inputs).
    pub inputs: Vec<Goldilocks>,
    pub trace_root: Fr,
    /// The auxiliary trace's root (zero without an auxiliary segment).
    pub aux_root: Fr,
    pub constraint_root: Fr,
    pub ood: OodFrame,
    /// The FRI layer roots, then the remainder's commitment.
    pub fri_roots: Vec<Fr>,
    /// The remainder polynomial's coefficients, highest degree first (as sent).
    pub remainder: Vec<Quadratic>,
    pub nonce: u64,
    /// One per drawn position, in draw order (repeats included).
    pub queries: Vec<QueryWitness>,
}

impl ProofWitness {
    /// Reads `proof` (of `A`, shape `shape`, statement `inputs`) after the native verifier
    /// accepts it.
    pub fn of<A>(shape: &Shape, proof: &Proof, inputs: A::PublicInputs) -> Result<Self, WrapError>
    where
        A: WrappableAir,
        A::PublicInputs: Clone,
    {
        let input_elements = inputs.to_elements();
        let context: Vec<Goldilocks> = proof.context.to_elements();
        if context != shape.context || input_elements.len() != shape.num_inputs {
            return Err(WrapError::Malformed(
                "the proof's context or statement does not have the circuit's shape".into(),
            ));
        }
        let options: ProofOptions = proof.options().clone();
        verify_air_with::<A, H>(proof.clone(), inputs.clone(), options.clone())
            .map_err(WrapError::Rejected)?;
        // The statement's asserted values, as the circuit computes them, are the AIR's.
        let air = A::new(proof.trace_info().clone(), inputs.clone(), options);
        let asserted: Vec<Goldilocks> = shape
            .assertion_values
            .evaluate(&input_elements, &mut Native)
            .map_err(|e| match e {})?;
        let native: Vec<Goldilocks> = air.get_assertions().iter().map(|a| a.values()[0]).collect();
        let statement: Vec<Quadratic> = (input_elements.chunks_exact(2))
            .map(|p| Quadratic::new(p[0], p[1]))
            .collect();
        let aux_asserted: Vec<Quadratic> = shape
            .aux_assertion_values
            .evaluate(&statement, &mut Native)
            .map_err(|e| match e {})?;
        let rand = winter_air::AuxRandElements::new(vec![Quadratic::ZERO; 2]);
        let aux_native: Vec<Quadratic> = if shape.aux_width > 0 {
            (air.get_aux_assertions::<Quadratic>(&rand).iter())
                .map(|a| a.values()[0])
                .collect()
        } else {
            Vec::new()
        };
        if asserted != native || aux_asserted != aux_native {
            return Err(WrapError::Malformed(
                "the recorded assertion values disagree with the AIR's assertions".into(),
            ));
        }
        agrees_with_air(shape, &air, &statement)?;
        let transcript = transcript_of::<A>(proof, inputs).map_err(WrapError::Malformed)?;
        let drawn = transcript
            .positions()
            .ok_or_else(|| WrapError::Malformed("the proof of work falls short".into()))?;
        let mut distinct = drawn.clone();
        distinct.sort_unstable();
        distinct.dedup();
        let malformed = |e: &dyn std::fmt::Display| WrapError::Malformed(e.to_string());

        let fri_layers = shape.fri_layers;
        let segments = if shape.aux_width > 0 { 2 } else { 1 };
        let (trace_roots, constraint_root, fri_roots) = (proof.commitments.clone())
            .parse::<H>(segments, fri_layers)
            .map_err(|e| malformed(&e))?;
        let (trace_frame, quotient_frame) = (proof.ood_frame.clone())
            .parse::<Quadratic>(shape.width, shape.aux_width, shape.quotients)
            .map_err(|e| malformed(&e))?;
        let ood = OodFrame {
            trace_current: trace_frame.current_row().to_vec(),
            trace_next: trace_frame.next_row().to_vec(),
            quotient_current: quotient_frame.current_row().to_vec(),
            quotient_next: quotient_frame.next_row().to_vec(),
        };

        let domain = shape.domain();
        let (trace_opening, trace_table) = (proof.trace_queries[0].clone())
            .parse::<Goldilocks, H, MerkleVc<H>>(domain, distinct.len(), shape.width)
            .map_err(|e| malformed(&e))?;
        let trace_rows: Vec<Vec<Goldilocks>> = trace_table.rows().map(<[_]>::to_vec).collect();
        let trace_paths = open_paths(&distinct, &trace_rows, &trace_opening)?;
        let (aux_rows, aux_paths) = if shape.aux_width > 0 {
            let (opening, table) = (proof.trace_queries.get(1).cloned())
                .ok_or_else(|| WrapError::Malformed("no auxiliary trace openings".into()))?
                .parse::<Quadratic, H, MerkleVc<H>>(domain, distinct.len(), shape.aux_width)
                .map_err(|e| malformed(&e))?;
            let rows: Vec<Vec<Quadratic>> = table.rows().map(<[_]>::to_vec).collect();
            let paths = open_paths(&distinct, &rows, &opening)?;
            (rows, paths)
        } else {
            (
                vec![Vec::new(); distinct.len()],
                vec![Vec::new(); distinct.len()],
            )
        };
        let (quotient_opening, quotient_table) = (proof.constraint_queries.clone())
            .parse::<Quadratic, H, MerkleVc<H>>(domain, distinct.len(), shape.quotients)
            .map_err(|e| malformed(&e))?;
        let quotient_rows: Vec<Vec<Quadratic>> = quotient_table.rows().map(<[_]>::to_vec).collect();
        let quotient_paths = open_paths(&distinct, &quotient_rows, &quotient_opening)?;

        if proof.fri_proof.num_partitions() != 1 {
            return Err(WrapError::Unsupported("partitioned FRI layers".into()));
        }
        let remainder: Vec<Quadratic> =
            (proof.fri_proof.parse_remainder()).map_err(|e| malformed(&e))?;
        if remainder.len() != shape.remainder_len {
            return Err(WrapError::Malformed("a remainder of another degree".into()));
        }
        let (layer_values, layer_openings) = (proof.fri_proof.clone())
            .parse_layers::<Quadratic, H, MerkleVc<H>>(domain, shape.folding)
            .map_err(|e| malformed(&e))?;
        // Each layer's cosets, in the order winterfell opens them, with their paths.
        let mut layers = Vec::with_capacity(fri_layers);
        let mut positions = distinct.clone();
        let mut layer_domain = domain;
        for (values, opening) in layer_values.iter().zip(&layer_openings) {
            let rows_len = layer_domain / shape.folding;
            let mut folded: Vec<usize> = Vec::new();
            for p in &positions {
                if !folded.contains(&(p % rows_len)) {
                    folded.push(p % rows_len);
                }
            }
            let rows: Vec<Vec<Quadratic>> =
                values.chunks(shape.folding).map(<[_]>::to_vec).collect();
            let paths = open_paths(&folded, &rows, opening)?;
            layers.push((rows_len, folded.clone(), rows, paths));
            positions = folded;
            layer_domain = rows_len;
        }

        let queries = drawn
            .iter()
            .map(|&position| {
                let at = distinct.binary_search(&position).unwrap_or(0);
                let layers = layers
                    .iter()
                    .map(|(rows_len, folded, rows, paths)| {
                        let at = (folded.iter())
                            .position(|&f| f == position % rows_len)
                            .unwrap_or(0);
                        Opened {
                            values: rows[at].clone(),
                            path: paths[at].clone(),
                        }
                    })
                    .collect();
                QueryWitness {
                    trace: Opened {
                        values: trace_rows[at].clone(),
                        path: trace_paths[at].clone(),
                    },
                    aux: Opened {
                        values: aux_rows[at].clone(),
                        path: aux_paths[at].clone(),
                    },
                    quotients: Opened {
                        values: quotient_rows[at].clone(),
                        path: quotient_paths[at].clone(),
                    },
                    layers,
                }
            })
            .collect();
        Ok(ProofWitness {
            inputs: input_elements,
            trace_root: trace_roots[0].element(),
            aux_root: trace_roots
                .get(1)
                .map_or(Fr::from(0u64), Bn254Digest::element),
            constraint_root: constraint_root.element(),
            ood,
            fri_roots: fri_roots.iter().map(Bn254Digest::element).collect(),
            remainder,
            nonce: proof.pow_nonce,
            queries,
        })
    }
}

/// Whether the recorded constraints evaluate as the AIR's own `evaluate_transition` and
/// `evaluate_aux_transition` at a pseudo-random extension point: the circuit must check the
/// constraints the native verifier checks, whatever `WrappableAir` implementation recorded
/// them.
fn agrees_with_air<A>(shape: &Shape, air: &A, statement: &[Quadratic]) -> Result<(), WrapError>
where
    A: WrappableAir,
    A::PublicInputs: Clone,
{
    let mut seed = 0x2545_f491_4f6c_dd1du64;
    let mut point = |n: usize| {
        seed = seed.wrapping_mul(0x9e37_79b9_7f4a_7c15).wrapping_add(1);
        sample_points(n, seed)
    };
    let (w, a) = (shape.width, shape.aux_width);
    let (current, next) = (point(w), point(w));
    let main = winter_air::EvaluationFrame::from_rows(current.clone(), next.clone());
    let mut native = vec![Quadratic::ZERO; shape.transitions.outputs()];
    air.evaluate_transition(&main, &[], &mut native);
    let cells = [current.clone(), next.clone()].concat();
    let recorded = shape
        .transitions
        .evaluate(&cells, &mut Native)
        .map_err(|e| match e {})?;
    let mut agree = recorded == native;
    if a > 0 {
        let (aux_current, aux_next) = (point(a), point(a));
        let aux = winter_air::EvaluationFrame::from_rows(aux_current.clone(), aux_next.clone());
        let mut coin = winter_crypto::DefaultRandomCoin::<H>::new(&[]);
        let rand = air
            .get_aux_rand_elements::<Quadratic, _>(&mut coin)
            .map_err(|e| WrapError::Malformed(e.to_string()))?;
        let mut native = vec![Quadratic::ZERO; shape.aux_transitions.outputs()];
        air.evaluate_aux_transition(&main, &aux, &[], &rand, &mut native);
        let cells = [current, next, aux_current, aux_next, statement.to_vec()].concat();
        let recorded = (shape.aux_transitions)
            .evaluate(&cells, &mut Native)
            .map_err(|e| match e {})?;
        agree &= recorded == native;
    }
    if agree {
        Ok(())
    } else {
        Err(WrapError::Malformed(
            "the recorded constraints disagree with the AIR's own evaluation".into(),
        ))
    }
}

/// The authentication path of each row (hashed as the prover hashes rows) at `positions`,
/// from their batch opening.
fn open_paths<E: FieldElement<BaseField = Goldilocks>>(
    positions: &[usize],
    rows: &[Vec<E>],
    opening: &Opening<Bn254Digest>,
) -> Result<Vec<Vec<Fr>>, WrapError> {
    let leaves: Vec<Bn254Digest> = rows.iter().map(|r| H::hash_elements(r)).collect();
    let paths = paths::<H>(positions, &leaves, opening)
        .map_err(|e| WrapError::Malformed(format!("an opening: {e}")))?;
    Ok(paths
        .into_iter()
        .map(|p| p.iter().map(Bn254Digest::element).collect())
        .collect())
}

/// The generator of the LDE domain of `shape`.
pub fn lde_generator(shape: &Shape) -> Goldilocks {
    Goldilocks::get_root_of_unity(shape.draw.log_domain)
}
