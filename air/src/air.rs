//! [`ComponentAir`]: a [`Component`] as a winterfell [`Air`], with the LogUp auxiliary segment.

use crate::algebra::{Algebra, Extends};
use crate::bus::{self, BetaPowers, Interaction};
use crate::component::{BoundaryRow, Component, Window};
use core::marker::PhantomData;
use core::ops::Range;
use winter_air::{
    Air, AirContext, Assertion, AuxRandElements, EvaluationFrame, ProofOptions, TraceInfo,
    TransitionConstraintDegree,
};
use winter_crypto::{RandomCoin, RandomCoinError};
use winter_math::{ExtensionOf, FieldElement, ToElements};
use zkevm_field::{Goldilocks, Quadratic};

/// Public inputs of one component proof: the block's bus challenges, the component's claimed
/// bus sum and its shard offset. The challenges are not drawn by winterfell's coin: the block
/// transcript derives them from every component's main-trace root and the statement, and the
/// block verifier re-derives them.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ComponentInputs {
    pub gamma: Quadratic,
    pub beta: Quadratic,
    pub claim: Quadratic,
    /// [`crate::component::shard_offsets`]' offset of this trace (0 unless the block holds
    /// several traces of a sharded component).
    pub offset: u64,
}

impl ToElements<Goldilocks> for ComponentInputs {
    /// The challenges and the claim. The offset is left out: it is a function of the block's
    /// component list, which the block transcript binds before it draws the challenges, so the
    /// challenges already commit to it (and proofs wrapped by the recursion circuit, which
    /// holds one trace per component, keep their elements).
    fn to_elements(&self) -> Vec<Goldilocks> {
        [self.gamma, self.beta, self.claim]
            .iter()
            .flat_map(|q| q.to_base_elements())
            .collect()
    }
}

/// Lifts a quadratic-extension value into winterfell's generic `E` (which is the quadratic
/// extension whenever the proof options ask for it; for any other `E` the value is truncated
/// and the proof simply fails to verify).
pub fn lift_quadratic<E: FieldElement<BaseField = Goldilocks>>(value: Quadratic) -> E {
    let base = value.to_base_elements();
    if E::EXTENSION_DEGREE == 2 {
        E::slice_from_base_elements(&base)[0]
    } else {
        E::from(base[0])
    }
}

/// The trace shape of a component of `length` rows.
pub fn trace_info<C: Component>(component: &C, length: usize) -> TraceInfo {
    let aux = bus::aux_width(component);
    if aux == 0 {
        TraceInfo::new(component.width(), length)
    } else {
        TraceInfo::new_multi_segment(component.width(), aux, 2, length, Vec::new())
    }
}

/// Degrees of the main constraints: transitions, then row constraints on the current row, then
/// on the next row.
pub fn main_degrees<C: Component>(component: &C) -> Vec<usize> {
    let rows = component.row_degrees();
    let mut degrees = component.transition_degrees();
    degrees.extend(&rows);
    degrees.extend(&rows);
    degrees
}

/// A component as a winterfell AIR.
pub struct ComponentAir<C: Component> {
    context: AirContext<Goldilocks>,
    component: C,
    inputs: ComponentInputs,
    /// The component's interactions and `β`'s powers, computed once: winterfell's own
    /// evaluator (where the lane evaluator does not apply) evaluates the aux constraints at
    /// every point of the constraint domain.
    interactions: Vec<Interaction>,
    helper_groups: Vec<Range<usize>>,
    beta_powers: BetaPowers<Quadratic>,
    /// The numbers of transition constraints and of row constraints (each evaluated on the
    /// current and on the next row).
    transitions: usize,
    row_constraints: usize,
    _c: PhantomData<C>,
}

impl<C: Component> ComponentAir<C> {
    /// The component this AIR describes.
    pub fn component(&self) -> &C {
        &self.component
    }

    /// The public inputs.
    pub fn inputs(&self) -> &ComponentInputs {
        &self.inputs
    }

    /// The main constraints on a window, in [`main_degrees`]' order: transitions, then row
    /// constraints on the current row, then on the next row. Over any [`Algebra`]: winterfell
    /// evaluates them on field elements, the recursion circuit records them.
    pub fn main_constraints<T: Algebra>(&self, current: &[T], next: &[T], out: &mut [T]) {
        let (t, rest) = out.split_at_mut(self.transitions);
        let (on_current, on_next) = rest.split_at_mut(self.row_constraints);
        self.component.eval_transition(&Window { current, next }, t);
        self.component.eval_row(current, on_current);
        self.component.eval_row(next, on_next);
    }

    /// The auxiliary (LogUp) constraints on a window with challenges `gamma` and `β`'s
    /// powers, in [`bus::aux_degrees`]' order.
    #[allow(clippy::too_many_arguments)]
    pub fn aux_constraints<F: Algebra, E: Extends<F>>(
        &self,
        main_current: &[F],
        main_next: &[F],
        aux_current: &[E],
        aux_next: &[E],
        gamma: E,
        beta: &BetaPowers<E>,
        out: &mut [E],
    ) {
        bus::eval_aux_constraints(
            &self.component,
            &self.interactions,
            &self.helper_groups,
            main_current,
            main_next,
            aux_current,
            aux_next,
            gamma,
            beta,
            out,
        );
    }

    /// The values of [`Air::get_aux_assertions`], in its order, from the statement's
    /// extension elements `[γ, β, claim]`: the exclusive running sum starts at 0, the running
    /// sum ends at the claim.
    pub fn aux_assertion_values<T: Algebra>(&self, statement: &[T]) -> Vec<T> {
        if self.helper_groups.is_empty() {
            return Vec::new();
        }
        vec![T::zero(), statement[2]]
    }
}

fn degrees(list: Vec<usize>) -> Vec<TransitionConstraintDegree> {
    list.into_iter()
        .map(TransitionConstraintDegree::new)
        .collect()
}

impl<C: Component> Air for ComponentAir<C> {
    type BaseField = Goldilocks;
    type PublicInputs = ComponentInputs;

    fn new(trace_info: TraceInfo, inputs: ComponentInputs, options: ProofOptions) -> Self {
        let component = C::default();
        let main = degrees(main_degrees(&component));
        let num_main_assertions = component.boundary().len();
        let context = if trace_info.is_multi_segment() {
            let aux = degrees(bus::aux_degrees(&component));
            AirContext::new_multi_segment(trace_info, main, aux, num_main_assertions, 2, options)
        } else {
            AirContext::new(trace_info, main, num_main_assertions, options)
        };
        Self {
            context,
            interactions: component.interactions(),
            helper_groups: bus::helper_groups(&component),
            transitions: component.transition_degrees().len(),
            row_constraints: component.row_degrees().len(),
            component,
            beta_powers: BetaPowers::new(inputs.beta),
            inputs,
            _c: PhantomData,
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
        self.main_constraints(frame.current(), frame.next(), result);
    }

    fn evaluate_aux_transition<F, E>(
        &self,
        main_frame: &EvaluationFrame<F>,
        aux_frame: &EvaluationFrame<E>,
        _periodic_values: &[F],
        aux_rand_elements: &AuxRandElements<E>,
        result: &mut [E],
    ) where
        F: FieldElement<BaseField = Goldilocks>,
        E: FieldElement<BaseField = Goldilocks> + ExtensionOf<F>,
    {
        // The challenges are the public inputs' (`get_aux_rand_elements` hands out the same).
        let gamma = aux_rand_elements.rand_elements()[0];
        let beta = self.beta_powers.map(lift_quadratic::<E>);
        self.aux_constraints(
            main_frame.current(),
            main_frame.next(),
            aux_frame.current(),
            aux_frame.next(),
            gamma,
            &beta,
            result,
        );
    }

    fn get_assertions(&self) -> Vec<Assertion<Goldilocks>> {
        let last = self.trace_length() - 1;
        self.component
            .boundary()
            .into_iter()
            .map(|b| {
                let row = match b.row {
                    BoundaryRow::First => 0,
                    BoundaryRow::Last => last,
                };
                Assertion::single(b.column, row, b.value_at(self.inputs.offset))
            })
            .collect()
    }

    fn get_aux_assertions<E: FieldElement<BaseField = Goldilocks>>(
        &self,
        _aux_rand_elements: &AuxRandElements<E>,
    ) -> Vec<Assertion<E>> {
        // Columns after the helpers: t (running sum), u (exclusive running sum).
        let t = self.helper_groups.len();
        if t == 0 {
            return Vec::new();
        }
        let last = self.trace_length() - 1;
        let statement =
            [self.inputs.gamma, self.inputs.beta, self.inputs.claim].map(lift_quadratic);
        let values = self.aux_assertion_values::<E>(&statement);
        vec![
            Assertion::single(t + 1, 0, values[0]),
            Assertion::single(t, last, values[1]),
        ]
    }

    fn get_aux_rand_elements<E, R>(
        &self,
        _public_coin: &mut R,
    ) -> Result<AuxRandElements<E>, RandomCoinError>
    where
        E: FieldElement<BaseField = Goldilocks>,
        R: RandomCoin<BaseField = Goldilocks>,
    {
        Ok(AuxRandElements::new(vec![
            lift_quadratic(self.inputs.gamma),
            lift_quadratic(self.inputs.beta),
        ]))
    }
}
