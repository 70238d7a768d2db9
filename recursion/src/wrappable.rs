//! Which AIRs the verifier circuit can check: those whose constraints are written once over the
//! air crate's [`Algebra`], so that the circuit records the very definitions the prover
//! evaluates ([`crate::symbolic`]) instead of a second copy.

use winterfell::Air;
use zkevm_air::air::ComponentAir;
use zkevm_air::algebra::{Algebra, Extends};
use zkevm_air::bus::{aux_degrees, BetaPowers};
use zkevm_air::component::Component;
use zkevm_air::examples::fibonacci::{fib_assertion_values, fib_transition, FibAir};
use zkevm_field::Goldilocks;

/// An AIR whose proofs [`crate::verifier`] checks in a circuit.
///
/// The auxiliary segment's constraints and assertions read the statement as extension
/// elements: consecutive pairs of `PublicInputs::to_elements`.
pub trait WrappableAir: Air<BaseField = Goldilocks>
where
    Self::PublicInputs: Clone,
{
    /// The main-trace transition constraints on two consecutive rows, in the order
    /// `evaluate_transition` writes them.
    fn transitions<T: Algebra>(&self, current: &[T], next: &[T]) -> Vec<T>;

    /// The values `get_assertions` asserts, in its order, from the statement's elements: the
    /// circuit takes them from its public statement.
    fn assertion_values<T: Algebra>(&self, inputs: &[T]) -> Vec<T>;

    /// The auxiliary transition constraints (`evaluate_aux_transition`'s order) on the main
    /// and auxiliary windows, from the statement's extension elements.
    fn aux_transitions<T: Extends<T>>(
        &self,
        _main: [&[T]; 2],
        _aux: [&[T]; 2],
        _statement: &[T],
    ) -> Vec<T> {
        Vec::new()
    }

    /// The values `get_aux_assertions` asserts, in its order, from the statement's extension
    /// elements.
    fn aux_assertion_values<T: Algebra>(&self, _statement: &[T]) -> Vec<T> {
        Vec::new()
    }
}

impl WrappableAir for FibAir {
    fn transitions<T: Algebra>(&self, current: &[T], next: &[T]) -> Vec<T> {
        fib_transition(current, next).to_vec()
    }

    fn assertion_values<T: Algebra>(&self, inputs: &[T]) -> Vec<T> {
        fib_assertion_values(inputs)
    }
}

/// An EVM component's proof: the statement is `[γ, β, claim]` (the block's LogUp challenges and
/// the component's bus sum).
impl<C: Component> WrappableAir for ComponentAir<C> {
    fn transitions<T: Algebra>(&self, current: &[T], next: &[T]) -> Vec<T> {
        let mut out = vec![T::zero(); self.context().num_main_transition_constraints()];
        self.main_constraints(current, next, &mut out);
        out
    }

    fn assertion_values<T: Algebra>(&self, _inputs: &[T]) -> Vec<T> {
        // A component's boundary values are its own constants.
        (self.get_assertions().iter())
            .map(|a| T::constant(a.values()[0]))
            .collect()
    }

    fn aux_transitions<T: Extends<T>>(
        &self,
        main: [&[T]; 2],
        aux: [&[T]; 2],
        statement: &[T],
    ) -> Vec<T> {
        let mut out = vec![T::zero(); aux_degrees(self.component()).len()];
        let beta = BetaPowers::new(statement[1]);
        self.aux_constraints(
            main[0],
            main[1],
            aux[0],
            aux[1],
            statement[0],
            &beta,
            &mut out,
        );
        out
    }

    fn aux_assertion_values<T: Algebra>(&self, statement: &[T]) -> Vec<T> {
        ComponentAir::aux_assertion_values(self, statement)
    }
}
