//! The prover's evaluation of the auxiliary constraints, computing each LDE row's helper
//! fractions once instead of twice ([`crate::row_memo`]): the constraints of a window need the
//! fractions of its current and of its next main row ([`super::eval_aux_constraints`]), and a
//! thread remembers the fractions of the next rows it computed, keyed by the component's type,
//! the challenges and the row.

use super::{assemble_aux_constraints, group_fractions, BetaPowers, BusValues, Interaction};
use crate::component::Component;
use crate::row_memo::RowMemo;
use core::any::TypeId;
use core::cell::RefCell;
use core::ops::Range;
use winter_math::FieldElement;
use zkevm_field::{Goldilocks, Quadratic};

/// A thread's memo of bus fractions and its scratch.
struct Memo {
    fractions: RowMemo<(Quadratic, Quadratic)>,
    /// Scratch: the interactions of the row being computed, the current and the next row's
    /// fractions, the constraints.
    values: Vec<BusValues<Goldilocks>>,
    current: Vec<(Quadratic, Quadratic)>,
    next: Vec<(Quadratic, Quadratic)>,
    constraints: Vec<Quadratic>,
}

thread_local! {
    static MEMO: RefCell<Memo> = const {
        RefCell::new(Memo {
            fractions: RowMemo::new(),
            values: Vec::new(),
            current: Vec::new(),
            next: Vec::new(),
            constraints: Vec::new(),
        })
    };
}

/// Everything one component's fractions depend on besides the row.
pub(crate) struct FractionInputs<'a, C> {
    pub component: &'a C,
    pub interactions: &'a [Interaction],
    pub groups: &'a [Range<usize>],
    pub gamma: Quadratic,
    pub beta: &'a BetaPowers<Quadratic>,
}

impl<C: Component> FractionInputs<'_, C> {
    fn compute(
        &self,
        row: &[Goldilocks],
        values: &mut [BusValues<Goldilocks>],
        out: &mut [(Quadratic, Quadratic)],
    ) {
        self.component.eval_interactions(row, values);
        group_fractions(
            self.interactions,
            self.groups,
            values,
            self.gamma,
            self.beta,
            out,
        );
    }
}

/// [`super::eval_aux_constraints`] with base-field main rows and quadratic-extension
/// auxiliary values (the prover's case), every row's fractions computed once per thread.
/// The constraints are written into `out` lifted to winterfell's extension `E` (the
/// quadratic one: the caller checks its degree).
pub(crate) fn eval_aux_constraints_base<C: Component, E: FieldElement<BaseField = Goldilocks>>(
    inputs: &FractionInputs<'_, C>,
    main_current: &[Goldilocks],
    main_next: &[Goldilocks],
    aux_current: &[Quadratic],
    aux_next: &[Quadratic],
    out: &mut [E],
) {
    let k = inputs.interactions.len();
    if k == 0 {
        return;
    }
    let g = inputs.groups.len();
    let challenges = [inputs.gamma, inputs.beta.0[0]];
    MEMO.with(|memo| {
        let memo = &mut *memo.borrow_mut();
        let component = TypeId::of::<C>();
        let unit = (Quadratic::ZERO, Quadratic::ONE);
        // `values` is overwritten whole by every `eval_interactions` (its contract), so it is
        // not reset: 148 entries of 33 elements would cost a 39 KB clear per row at Keccak.
        memo.values.resize(k, BusValues::zero());
        memo.current.clear();
        memo.current.resize(g, unit);
        memo.next.clear();
        memo.next.resize(g, unit);
        match memo.fractions.find(component, challenges, main_current) {
            Some(fractions) => memo.current.copy_from_slice(fractions),
            None => inputs.compute(main_current, &mut memo.values, &mut memo.current),
        }
        inputs.compute(main_next, &mut memo.values, &mut memo.next);
        (memo.fractions).remember(component, challenges, main_next, &memo.next);
        memo.constraints.resize(out.len(), Quadratic::ZERO);
        assemble_aux_constraints(
            aux_current,
            aux_next,
            &memo.current,
            &memo.next,
            &mut memo.constraints,
        );
        for (slot, value) in out.iter_mut().zip(&memo.constraints) {
            *slot = crate::air::lift_quadratic(*value);
        }
    });
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::bus::{aux_degrees, eval_aux_constraints, helper_groups};
    use crate::test_support::{challenges, pseudo_random};

    /// The memoized constraints equal [`eval_aux_constraints`] on windows that share rows
    /// (where the memo answers) and on windows it has never seen, for two components and two
    /// sets of challenges (a memo entry of another component or challenge never answers).
    fn agrees_with_the_generic_evaluation<C: Component>(component: C) {
        let interactions = component.interactions();
        let groups = helper_groups(&component);
        let aux_width = groups.len() + 2;
        let constraints = aux_degrees(&component).len();
        let rows: Vec<Vec<Goldilocks>> = (0..12)
            .map(|r| pseudo_random(component.width(), 7 + r))
            .collect();
        let aux: Vec<Vec<Quadratic>> = (0..12)
            .map(|r| {
                let base = pseudo_random(2 * aux_width, 1000 + r);
                Quadratic::slice_from_base_elements(&base).to_vec()
            })
            .collect();
        let (gamma, beta) = challenges();
        for (gamma, beta) in [
            (gamma, beta),
            (gamma + Quadratic::ONE, beta),
            (gamma, beta + Quadratic::ONE),
        ] {
            let powers = BetaPowers::new(beta);
            let inputs = FractionInputs {
                component: &component,
                interactions: &interactions,
                groups: &groups,
                gamma,
                beta: &powers,
            };
            // Consecutive windows (each current row was the previous window's next row), then
            // windows four apart (as at blowup 4), then a window out of order.
            let windows = (0..11)
                .map(|r| (r, r + 1))
                .chain([(0, 4), (4, 8), (8, 11), (3, 2)]);
            for (c, n) in windows {
                let mut expected = vec![Quadratic::ZERO; constraints];
                eval_aux_constraints(
                    &component,
                    &interactions,
                    &groups,
                    &rows[c],
                    &rows[n],
                    &aux[c],
                    &aux[n],
                    gamma,
                    &powers,
                    &mut expected,
                );
                let mut got = vec![Quadratic::ZERO; constraints];
                eval_aux_constraints_base(&inputs, &rows[c], &rows[n], &aux[c], &aux[n], &mut got);
                assert_eq!(got, expected, "{} window ({c}, {n})", C::NAME);
            }
        }
    }

    #[test]
    fn memoized_constraints_equal_the_generic_ones() {
        agrees_with_the_generic_evaluation(crate::keccak::Keccak);
        agrees_with_the_generic_evaluation(crate::arithmetic::Arithmetic);
        agrees_with_the_generic_evaluation(crate::keccak::Keccak);
    }
}
