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
use crate::goldilocks::{combine, InCircuit, LazyInCircuit, LazyQuadratic, QuadraticVar};
use ark_relations::gr1cs::SynthesisError;
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
    pub fn transcript_cells(&self) -> Vec<crate::goldilocks::GoldilocksVar> {
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
/// elements `inputs` and the composition coefficients.
pub fn check(
    shape: &Shape,
    z: &QuadraticVar,
    ood: &OodVars,
    inputs: &[crate::goldilocks::GoldilocksVar],
    coefficients: &[QuadraticVar],
) -> Result<(), SynthesisError> {
    let n = shape.trace_length;
    let g = Goldilocks::get_root_of_unity(n.ilog2());
    let transitions = shape.transitions.outputs();
    if coefficients.len() != transitions + shape.assertions.len() {
        return Err(SynthesisError::Unsatisfiable);
    }
    let (transition_coefficients, assertion_coefficients) = coefficients.split_at(transitions);

    // Transitions: recorded once from the AIR's own definition, evaluated lazily at z.
    let cells: Vec<LazyQuadratic> = (ood.trace_current.iter())
        .chain(&ood.trace_next)
        .map(LazyQuadratic::from_reduced)
        .collect();
    let values = shape.transitions.evaluate(&cells, &mut LazyInCircuit)?;
    let combined = combine(&values, transition_coefficients)?;
    let zn = square_times(z, n.ilog2())?;
    let one = QuadraticVar::constant(Goldilocks::ONE);
    let mut exempt = one.clone();
    for step in n - shape.exemptions..n {
        exempt = exempt.mul(&minus_constant(z, g.exp(step as u64))?)?;
    }
    let mut total = combined.mul(&exempt)?.div(&zn.sub(&one)?)?;

    // Assertions: values from the statement, grouped by step (one division per step).
    let input_cells: Vec<QuadraticVar> = (inputs.iter())
        .map(|i| QuadraticVar::from_base(i.clone()))
        .collect();
    let asserted = shape
        .assertion_values
        .evaluate(&input_cells, &mut InCircuit)?;
    let mut group: Option<(usize, Vec<LazyQuadratic>, Vec<QuadraticVar>)> = None;
    let mut groups = Vec::new();
    for (a, coefficient) in shape.assertions.iter().zip(assertion_coefficients) {
        let column = ood
            .trace_current
            .get(a.column)
            .ok_or(SynthesisError::Unsatisfiable)?;
        let value = asserted.get(a.value).ok_or(SynthesisError::Unsatisfiable)?;
        let difference =
            LazyQuadratic::from_reduced(column).difference(&LazyQuadratic::from_reduced(value))?;
        match &mut group {
            Some((step, terms, cs)) if *step == a.step => {
                terms.push(difference);
                cs.push(coefficient.clone());
            }
            _ => {
                groups.extend(group.take());
                group = Some((a.step, vec![difference], vec![coefficient.clone()]));
            }
        }
    }
    groups.extend(group);
    for (step, terms, cs) in groups {
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
