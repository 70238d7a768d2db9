//! Which AIRs the verifier circuit can check: those whose constraints are written once over the
//! air crate's [`Algebra`], so that the circuit records the very definitions the prover
//! evaluates ([`crate::symbolic`]) instead of a second copy.

use winterfell::Air;
use zkevm_air::algebra::Algebra;
use zkevm_air::examples::fibonacci::{fib_assertion_values, fib_transition, FibAir};
use zkevm_field::Goldilocks;

/// An AIR whose proofs [`crate::verifier`] checks in a circuit.
pub trait WrappableAir: Air<BaseField = Goldilocks>
where
    Self::PublicInputs: Clone,
{
    /// The main-trace transition constraints on two consecutive rows, in the order
    /// `evaluate_transition` writes them.
    fn transitions<T: Algebra>(&self, current: &[T], next: &[T]) -> Vec<T>;

    /// The values `get_assertions` asserts, in its order, from the statement's elements
    /// (`PublicInputs::to_elements`): the circuit takes them from its public statement.
    fn assertion_values<T: Algebra>(&self, inputs: &[T]) -> Vec<T>;
}

impl WrappableAir for FibAir {
    fn transitions<T: Algebra>(&self, current: &[T], next: &[T]) -> Vec<T> {
        fib_transition(current, next).to_vec()
    }

    fn assertion_values<T: Algebra>(&self, inputs: &[T]) -> Vec<T> {
        fib_assertion_values(inputs)
    }
}
