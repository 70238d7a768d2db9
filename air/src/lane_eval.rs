//! The prover's evaluation of a component's transition constraints at [`WIDTH`] points of the
//! constraint domain at once, over [`Lanes`] (the same constraint code as everywhere else,
//! instantiated with SIMD values).
//!
//! The prover walks the windows `(row t, row t + 1)` of [`WIDTH`] chains at once, lane `i`
//! on its own chain, so a block of rows loaded as the *next* rows of one step is the *current*
//! rows of the following step: whatever depends on one row only (row constraints, the bus
//! fractions, the most expensive part) is computed once per row, in [`LaneEvaluate::load`],
//! and [`LaneEvaluate::combine`] only adds the parts that need both rows.

use crate::air::ComponentAir;
use crate::algebra::{Algebra, Extends};
use crate::bus::{self, BetaPowers, BusValues, Interaction};
use crate::component::{Component, Window};
use crate::lanes::{Lanes, QuadraticLanes, WIDTH};
use core::ops::Range;
use winter_air::Air;
use zkevm_field::{Goldilocks, Quadratic};

/// An AIR whose transition constraints the prover can evaluate on lanes.
pub trait LaneAir: Air<BaseField = Goldilocks> {
    /// An evaluator of `Σ αᵢ·Cᵢ` over the main transition constraints (coefficients
    /// `main_coefficients`, in the AIR's order) and the auxiliary ones (`aux_coefficients`);
    /// `None` when the AIR has no lane evaluation (winterfell's evaluator is used instead).
    fn lane_evaluator(
        &self,
        _main_coefficients: &[Quadratic],
        _aux_coefficients: &[Quadratic],
    ) -> Option<Box<dyn LaneEvaluate + '_>> {
        None
    }
}

/// [`WIDTH`] rows, lane `i` holding row `i`, with what the constraints need of them alone.
pub struct LaneRows {
    main: Vec<Lanes>,
    aux: Vec<QuadraticLanes>,
    /// The component's row constraints on these rows.
    row_values: Vec<Lanes>,
    /// Every helper group's fraction `(numerator, denominator)` on these rows.
    fractions: Vec<(QuadraticLanes, QuadraticLanes)>,
}

/// Working space of [`LaneEvaluate`], one per thread.
pub struct LaneScratch {
    interactions: Vec<BusValues<Lanes>>,
    main: Vec<Lanes>,
    aux: Vec<QuadraticLanes>,
}

/// Transition constraints of one AIR, with their combination coefficients, on lanes.
pub trait LaneEvaluate: Sync {
    fn new_rows(&self) -> LaneRows;
    fn new_scratch(&self) -> LaneScratch;
    /// Loads main row `main[i]` and auxiliary row `aux[i]` (base elements, an extension
    /// element's two in a row) into lane `i`, and evaluates what depends on them alone.
    fn load(
        &self,
        rows: &mut LaneRows,
        main: &[&[Goldilocks]; WIDTH],
        aux: &[&[Goldilocks]; WIDTH],
        scratch: &mut LaneScratch,
    );
    /// `Σ αᵢ·Cᵢ` of the window (lane `i` of `current`, lane `i` of `next`), per lane.
    fn combine(
        &self,
        current: &LaneRows,
        next: &LaneRows,
        scratch: &mut LaneScratch,
    ) -> [Quadratic; WIDTH];
}

/// A component's constraints on lanes.
struct ComponentLanes<'a, C: Component> {
    air: &'a ComponentAir<C>,
    interactions: Vec<Interaction>,
    groups: Vec<Range<usize>>,
    /// The number of transition constraints (asked once: components build their degree lists).
    transitions: usize,
    main_coefficients: Vec<QuadraticLanes>,
    aux_coefficients: Vec<QuadraticLanes>,
    gamma: QuadraticLanes,
    beta: BetaPowers<QuadraticLanes>,
}

impl<C: Component> LaneAir for ComponentAir<C> {
    fn lane_evaluator(
        &self,
        main_coefficients: &[Quadratic],
        aux_coefficients: &[Quadratic],
    ) -> Option<Box<dyn LaneEvaluate + '_>> {
        // γ and β are the component's own inputs (the block's challenges): they are what
        // `get_aux_rand_elements` hands winterfell, not values drawn from its coin.
        let inputs = self.inputs();
        Some(Box::new(ComponentLanes {
            air: self,
            interactions: self.component().interactions(),
            groups: bus::helper_groups(self.component()),
            transitions: self.component().transition_degrees().len(),
            main_coefficients: main_coefficients.iter().map(broadcast).collect(),
            aux_coefficients: aux_coefficients.iter().map(broadcast).collect(),
            gamma: QuadraticLanes::broadcast(inputs.gamma),
            beta: BetaPowers::new(inputs.beta).map(QuadraticLanes::broadcast),
        }))
    }
}

fn broadcast(value: &Quadratic) -> QuadraticLanes {
    QuadraticLanes::broadcast(*value)
}

/// Column `column` of `WIDTH` rows as one lane value.
#[inline(always)]
fn gather(rows: &[&[Goldilocks]; WIDTH], column: usize) -> Lanes {
    Lanes::from_array(core::array::from_fn(|i| rows[i][column]))
}

impl<C: Component> LaneEvaluate for ComponentLanes<'_, C> {
    fn new_rows(&self) -> LaneRows {
        let unit = (QuadraticLanes::zero(), QuadraticLanes::one());
        LaneRows {
            main: vec![Lanes::zero(); self.air.component().width()],
            aux: vec![QuadraticLanes::zero(); bus::aux_width(self.air.component())],
            row_values: vec![Lanes::zero(); self.air.component().row_degrees().len()],
            fractions: vec![unit; self.groups.len()],
        }
    }

    fn new_scratch(&self) -> LaneScratch {
        LaneScratch {
            interactions: vec![BusValues::zero(); self.interactions.len()],
            main: vec![Lanes::zero(); self.main_coefficients.len()],
            aux: vec![QuadraticLanes::zero(); self.aux_coefficients.len()],
        }
    }

    fn load(
        &self,
        rows: &mut LaneRows,
        main: &[&[Goldilocks]; WIDTH],
        aux: &[&[Goldilocks]; WIDTH],
        scratch: &mut LaneScratch,
    ) {
        for (column, slot) in rows.main.iter_mut().enumerate() {
            *slot = gather(main, column);
        }
        for (column, slot) in rows.aux.iter_mut().enumerate() {
            *slot = QuadraticLanes {
                c0: gather(aux, 2 * column),
                c1: gather(aux, 2 * column + 1),
            };
        }
        // Reset, so that a slot a component leaves unwritten reads 0, not another row's.
        rows.row_values.fill(Lanes::zero());
        let component = self.air.component();
        component.eval_row(&rows.main, &mut rows.row_values);
        if !self.interactions.is_empty() {
            // Every entry is set at every row ([`Component::eval_interactions`]' contract).
            component.eval_interactions(&rows.main, &mut scratch.interactions);
            bus::group_fractions(
                &self.interactions,
                &self.groups,
                &scratch.interactions,
                self.gamma,
                &self.beta,
                &mut rows.fractions,
            );
        }
    }

    fn combine(
        &self,
        current: &LaneRows,
        next: &LaneRows,
        scratch: &mut LaneScratch,
    ) -> [Quadratic; WIDTH] {
        let component = self.air.component();
        // Main constraints in `main_degrees`' order: transitions, row constraints on the
        // current row, then on the next row.
        let transitions = self.transitions;
        let rows = current.row_values.len();
        // Reset what `eval_transition` writes (a slot it leaves unwritten must read 0); the
        // row-constraint slots are copied over whole below.
        scratch.main[..transitions].fill(Lanes::zero());
        let window = Window {
            current: &current.main,
            next: &next.main,
        };
        component.eval_transition(&window, &mut scratch.main[..transitions]);
        scratch.main[transitions..transitions + rows].copy_from_slice(&current.row_values);
        scratch.main[transitions + rows..].copy_from_slice(&next.row_values);
        let mut sum = QuadraticLanes::zero();
        for (coefficient, value) in self.main_coefficients.iter().zip(&scratch.main) {
            sum = sum + coefficient.mul_base(*value);
        }
        if !self.groups.is_empty() {
            bus::assemble_aux_constraints(
                &current.aux,
                &next.aux,
                &current.fractions,
                &next.fractions,
                &mut scratch.aux,
            );
            for (coefficient, value) in self.aux_coefficients.iter().zip(&scratch.aux) {
                sum = sum + *coefficient * *value;
            }
        }
        sum.to_array()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::air::{main_degrees, trace_info};
    use crate::bus::aux_degrees;
    use crate::test_support::{challenges, pseudo_random};
    use crate::ComponentInputs;
    use winter_air::{BatchingMethod, FieldExtension, ProofOptions};
    use winter_math::FieldElement;

    /// The lanes' combination equals, lane by lane, the scalar constraints (the ones the
    /// verifier evaluates) combined with the same coefficients.
    fn agrees_with_the_scalar_constraints<C: Component>() {
        let component = C::default();
        let (gamma, beta) = challenges();
        let inputs = ComponentInputs {
            gamma,
            beta,
            claim: Quadratic::ZERO,
            offset: 0,
        };
        let (linear, quadratic) = (BatchingMethod::Linear, FieldExtension::Quadratic);
        let options = ProofOptions::new(32, 8, 0, quadratic, 8, 31, linear, linear);
        let air = ComponentAir::<C>::new(trace_info(&component, 1 << 10), inputs, options);
        let main_count = main_degrees(&component).len();
        let aux_count = aux_degrees(&component).len();
        let coefficients = |count: usize, seed: u64| -> Vec<Quadratic> {
            Quadratic::slice_from_base_elements(&pseudo_random(2 * count, seed)).to_vec()
        };
        let (main_alpha, aux_alpha) = (coefficients(main_count, 5), coefficients(aux_count, 6));
        let lanes = air.lane_evaluator(&main_alpha, &aux_alpha).unwrap();
        let aux_width = bus::aux_width(&component);
        // Two blocks of rows: lane i's window is (block 0 row i, block 1 row i).
        let main: Vec<Vec<Goldilocks>> = (0..2 * WIDTH as u64)
            .map(|r| pseudo_random(component.width(), 100 + r))
            .collect();
        let aux: Vec<Vec<Goldilocks>> = (0..2 * WIDTH as u64)
            .map(|r| pseudo_random(2 * aux_width, 200 + r))
            .collect();
        fn block(rows: &[Vec<Goldilocks>], b: usize) -> [&[Goldilocks]; WIDTH] {
            core::array::from_fn(|i| rows[b * WIDTH + i].as_slice())
        }
        let mut scratch = lanes.new_scratch();
        let (mut current, mut next) = (lanes.new_rows(), lanes.new_rows());
        lanes.load(
            &mut current,
            &block(&main, 0),
            &block(&aux, 0),
            &mut scratch,
        );
        lanes.load(&mut next, &block(&main, 1), &block(&aux, 1), &mut scratch);
        let combined = lanes.combine(&current, &next, &mut scratch);
        let beta_powers = BetaPowers::new(beta);
        for i in 0..WIDTH {
            let (m0, m1) = (&main[i], &main[WIDTH + i]);
            let mut main_values = vec![Goldilocks::ZERO; main_count];
            air.main_constraints(m0, m1, &mut main_values);
            let a0 = Quadratic::slice_from_base_elements(&aux[i]);
            let a1 = Quadratic::slice_from_base_elements(&aux[WIDTH + i]);
            let mut aux_values = vec![Quadratic::ZERO; aux_count];
            air.aux_constraints(m0, m1, a0, a1, gamma, &beta_powers, &mut aux_values);
            let expected = (main_alpha.iter().zip(&main_values))
                .map(|(a, v)| *a * Quadratic::from(*v))
                .chain(aux_alpha.iter().zip(&aux_values).map(|(a, v)| *a * *v))
                .fold(Quadratic::ZERO, |s, t| s + t);
            assert_eq!(combined[i], expected, "{} lane {i}", C::NAME);
        }
    }

    #[test]
    fn lane_evaluation_equals_the_scalar_constraints_of_every_component() {
        for id in crate::ComponentId::ALL {
            crate::with_component!(id, C => agrees_with_the_scalar_constraints::<C>());
        }
    }
}
