//! A two-column Fibonacci AIR, the smallest real winterfell AIR: the demo proves it, and the
//! recursion crate proves it with other hashers.
//!
//! Trace: two columns `(a, b)`, each row advancing the sequence by two terms:
//! `a' = a + b`, `b' = b + a'`. Boundary: `a₀ = b₀ = 1`, and the last `b` equals the claimed
//! result (a public input).

use crate::algebra::Algebra;
use winter_air::{
    Air, AirContext, Assertion, EvaluationFrame, ProofOptions, TraceInfo,
    TransitionConstraintDegree,
};
use winter_math::ToElements;
use zkevm_field::{FieldElement, Goldilocks};

/// The public statement: the Fibonacci term the trace ends on.
#[derive(Debug, Clone, Copy)]
pub struct FibInputs {
    pub result: Goldilocks,
}

impl FibInputs {
    /// The statement `trace` (from [`fib_trace`]) proves: its last `b` (1, the first, for an
    /// empty trace).
    pub fn of(trace: &[Vec<Goldilocks>]) -> Self {
        FibInputs {
            result: trace[1].last().copied().unwrap_or(Goldilocks::ONE),
        }
    }
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

/// Proven with winterfell's constraint evaluator.
impl crate::lane_eval::LaneAir for FibAir {}

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
        result.copy_from_slice(&fib_transition(frame.current(), frame.next()));
    }

    fn get_assertions(&self) -> Vec<Assertion<Goldilocks>> {
        let last = self.trace_length() - 1;
        let cells = [(0, 0), (1, 0), (1, last)];
        let values = fib_assertion_values(&[self.result]);
        (cells.into_iter().zip(values))
            .map(|((column, step), value)| Assertion::single(column, step, value))
            .collect()
    }
}

/// The transition constraints on two consecutive rows (`a' = a + b`, `b' = b + a'`), over any
/// [`Algebra`]: winterfell evaluates them on field elements, the recursion circuit records them.
pub fn fib_transition<T: Algebra>(current: &[T], next: &[T]) -> [T; 2] {
    [
        next[0] - (current[0] + current[1]),
        next[1] - (current[1] + next[0]),
    ]
}

/// The values [`FibAir`] asserts, in the order of its assertions, from the statement's
/// elements (`[result]`): `a₀ = 1`, `b₀ = 1`, last `b` = result.
pub fn fib_assertion_values<T: Algebra>(inputs: &[T]) -> Vec<T> {
    vec![T::one(), T::one(), inputs[0]]
}

/// Builds the two-column Fibonacci trace of `rows` rows, column-major.
pub fn fib_trace(rows: usize) -> Vec<Vec<Goldilocks>> {
    let (mut a, mut b) = (Goldilocks::ONE, Goldilocks::ONE);
    let mut columns = vec![Vec::with_capacity(rows), Vec::with_capacity(rows)];
    for _ in 0..rows {
        columns[0].push(a);
        columns[1].push(b);
        a += b;
        b += a;
    }
    columns
}
