//! The out-of-domain check in the circuit: the constraints, evaluated at `z` on the claimed
//! trace frame and divided by their divisors, combine to what the composition polynomial's
//! claimed columns give at `z`.
//!
//! With `n` the trace length, `g` its domain's generator and `αᵢ` the composition
//! coefficients (transitions first, then assertions in winterfell's order):
//!
//! `Σ αᵢ·Cᵢ(z) · Π_exempt (z − gᵏ) / (zⁿ − 1)  +  Σ_steps (Σ_{a at s} α_a·(T_a(z) − v_a)) / (z − gˢ)`
//! `= Σⱼ (zⁿ)ʲ · Hⱼ(z)`.
//!
//! Each division is a witness quotient proven by one product.

use super::witness::Shape;
use crate::goldilocks::GoldilocksVar;
use crate::goldilocks::{combine, InCircuit, LazyInCircuit, LazyQuadratic, QuadraticVar};
use ark_relations::gr1cs::SynthesisError;
use std::collections::BTreeMap;
use zkevm_field::{FieldElement, Goldilocks, StarkField};

/// The claimed out-of-domain frame as circuit variables.
pub struct OodVars {
    pub trace_current: Vec<QuadraticVar>,
    pub trace_next: Vec<QuadraticVar>,
    pub quotient_current: Vec<QuadraticVar>,
    pub quotient_next: Vec<QuadraticVar>,
}

impl OodVars {
    /// The cells the transcript hashes, in its order: trace then composition at `z`, then
    /// both at `z·g`.
    pub fn transcript_cells(&self) -> Vec<GoldilocksVar> {
        let ordered: Vec<QuadraticVar> = (self.trace_current.iter())
            .chain(&self.quotient_current)
            .chain(&self.trace_next)
            .chain(&self.quotient_next)
            .cloned()
            .collect();
        super::flatten(&ordered)
    }
}

/// `z − c` for a base-field constant `c`.
fn minus_constant(z: &QuadraticVar, c: Goldilocks) -> Result<QuadraticVar, SynthesisError> {
    z.sub(&QuadraticVar::constant(c))
}

/// `z^(2^k)`.
pub fn square_times(z: &QuadraticVar, k: u32) -> Result<QuadraticVar, SynthesisError> {
    (0..k).try_fold(z.clone(), |acc, _| acc.mul(&acc))
}

/// Enforces the out-of-domain check (module docs) for the claimed frame `ood`, the statement's
/// elements `inputs` and the composition coefficients (main transitions, auxiliary
/// transitions, main assertions, auxiliary assertions).
pub fn check(
    shape: &Shape,
    z: &QuadraticVar,
    ood: &OodVars,
    inputs: &[GoldilocksVar],
    coefficients: &[QuadraticVar],
) -> Result<(), SynthesisError> {
    let n = shape.trace_length;
    let g = Goldilocks::get_root_of_unity(n.ilog2());
    let w = shape.width;
    let transitions = shape.transitions.outputs() + shape.aux_transitions.outputs();
    if coefficients.len() != transitions + shape.assertions.len() + shape.aux_assertions.len()
        || ood.trace_current.len() != w + shape.aux_width
        || ood.trace_next.len() != w + shape.aux_width
    {
        return Err(SynthesisError::Unsatisfiable);
    }
    let (transition_coefficients, assertion_coefficients) = coefficients.split_at(transitions);
    let lazy = |values: &[&[QuadraticVar]]| -> Vec<LazyQuadratic> {
        values
            .iter()
            .flat_map(|v| v.iter().map(LazyQuadratic::from_reduced))
            .collect()
    };
    let (main_current, aux_current) = ood.trace_current.split_at(w);
    let (main_next, aux_next) = ood.trace_next.split_at(w);
    // The statement as extension elements (consecutive pairs), for the auxiliary segment.
    let statement: Vec<QuadraticVar> = (inputs.chunks_exact(2))
        .map(|p| QuadraticVar([p[0].clone(), p[1].clone()]))
        .collect();

    // Transitions: recorded once from the AIR's own definitions, evaluated lazily at z.
    let mut values = shape
        .transitions
        .evaluate(&lazy(&[main_current, main_next]), &mut LazyInCircuit)?;
    if shape.aux_transitions.outputs() > 0 {
        let cells = lazy(&[main_current, main_next, aux_current, aux_next, &statement]);
        values.extend(shape.aux_transitions.evaluate(&cells, &mut LazyInCircuit)?);
    }
    let combined = combine(&values, transition_coefficients)?;
    let zn = square_times(z, n.ilog2())?;
    let one = QuadraticVar::constant(Goldilocks::ONE);
    let mut exempt = one.clone();
    for step in n - shape.exemptions..n {
        exempt = exempt.mul(&minus_constant(z, g.exp(step as u64))?)?;
    }
    let mut total = combined.mul(&exempt)?.div(&zn.sub(&one)?)?;

    // Assertions: main values from the statement's elements, auxiliary ones from its
    // extension elements; all terms of one step share one division.
    let input_cells: Vec<QuadraticVar> = (inputs.iter())
        .map(|i| QuadraticVar::from_base(i.clone()))
        .collect();
    let main_values = shape
        .assertion_values
        .evaluate(&input_cells, &mut InCircuit)?;
    let aux_values = shape
        .aux_assertion_values
        .evaluate(&statement, &mut InCircuit)?;
    let placed = (shape
        .assertions
        .iter()
        .map(|a| (a, main_current, &main_values)))
    .chain(
        shape
            .aux_assertions
            .iter()
            .map(|a| (a, aux_current, &aux_values)),
    );
    let mut by_step: BTreeMap<usize, (Vec<LazyQuadratic>, Vec<QuadraticVar>)> = BTreeMap::new();
    for ((a, columns, values), coefficient) in placed.zip(assertion_coefficients) {
        let column = columns.get(a.column).ok_or(SynthesisError::Unsatisfiable)?;
        let value = values.get(a.value).ok_or(SynthesisError::Unsatisfiable)?;
        let difference =
            LazyQuadratic::from_reduced(column).difference(&LazyQuadratic::from_reduced(value))?;
        let group = by_step.entry(a.step).or_default();
        group.0.push(difference);
        group.1.push(coefficient.clone());
    }
    for (step, (terms, cs)) in by_step {
        let numerator = combine(&terms, &cs)?;
        total = total.add(&numerator.div(&minus_constant(z, g.exp(step as u64))?)?)?;
    }

    // The composition polynomial at z: Σⱼ (zⁿ)ʲ·Hⱼ(z), by Horner.
    let mut h = QuadraticVar::constant(Goldilocks::ZERO);
    for column in ood.quotient_current.iter().rev() {
        h = h.mul(&zn)?.add(column)?;
    }
    total.enforce_equal(&h)
}
