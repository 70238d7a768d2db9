//! Our constraint evaluator: the composition polynomial's values over the constraint domain,
//! `H(x) = Σ αᵢ·Cᵢ(x)/z(x) + Σ_groups Σ βⱼ·(fⱼ(x) − bⱼ(x))/z_group(x)`, exactly what
//! winterfell's `DefaultConstraintEvaluator` computes (the verifier checks `H` at one point
//! against winterfell's own formula), with the transition constraints evaluated on SIMD lanes
//! ([`zkevm_air::lane_eval`]).
//!
//! # Order of evaluation
//! With constraint-domain blowup `b`, the window of domain point `p` pairs the LDE rows of
//! points `p` and `p + b`, so the points of one residue `r = p mod b` form a cycle of `n`
//! (trace length) windows. Lane `j` walks positions `t + j·n/WIDTH` of a cycle: the rows loaded
//! as the next rows of step `t` are the current rows of step `t + 1`, and everything that
//! depends on one row alone is computed once per row. The rows are read in place from the
//! LDE our prover lends ([`crate::lde::LdeRows`]); given only winterfell's `TraceLde`, each
//! lane's frame (current and next row) is copied out of it instead, which cost the Keccak
//! bench's 211 + 78-column rows about 15–30 ms of its ~330 ms pass.
//!
//! The divisors are inverted per point in a second pass, in batches: `1/z = exemptions(x) /
//! numerator(x)`, one field inversion per batch.
//!
//! AIRs without a lane evaluation, or proofs in another extension than the quadratic one, use
//! winterfell's evaluator.

use crate::lde::LdeRows;
use rayon::prelude::*;
use std::marker::PhantomData;
use tracing::info_span;
use winter_air::{
    BoundaryConstraintGroup, BoundaryConstraints, ConstraintDivisor, TransitionConstraints,
};
use winter_crypto::Digest;
use winter_math::ExtensionOf;
use winterfell::{
    AuxRandElements, CompositionPolyTrace, ConstraintCompositionCoefficients, ConstraintEvaluator,
    DefaultConstraintEvaluator, EvaluationFrame, StarkDomain, TraceLde,
};
use zkevm_air::air::lift_quadratic;
use zkevm_air::lane_eval::{LaneAir, LaneEvaluate};
use zkevm_air::lanes::WIDTH;
use zkevm_field::{batch_inverse, mul_by_base, FieldElement, Goldilocks, Quadratic};

/// Positions of one cycle evaluated by one task (at most).
const POSITIONS_PER_TASK: usize = 256;
/// Domain points whose divisors are inverted together.
const POINTS_PER_BATCH: usize = 4096;

/// Our [`ConstraintEvaluator`]: on lanes when the AIR allows it.
pub enum ZkConstraintEvaluator<'a, A: LaneAir, E: FieldElement<BaseField = Goldilocks>> {
    Lanes(LaneConstraintEvaluator<'a, A, E>),
    Default(DefaultConstraintEvaluator<'a, A, E>),
}

impl<'a, A: LaneAir, E: FieldElement<BaseField = Goldilocks>> ZkConstraintEvaluator<'a, A, E> {
    pub fn new(
        air: &'a A,
        aux_rand_elements: Option<AuxRandElements<E>>,
        coefficients: ConstraintCompositionCoefficients<E>,
    ) -> Self {
        let lanes_apply = E::EXTENSION_DEGREE == 2
            && air.get_periodic_column_values().is_empty()
            && air.trace_length().is_multiple_of(WIDTH);
        if lanes_apply {
            let transition = air.get_transition_constraints(&coefficients.transition);
            let main = as_quadratic(&transition.main_constraint_coef());
            let aux = as_quadratic(&transition.aux_constraint_coef());
            if let Some(lanes) = air.lane_evaluator(&main, &aux) {
                let boundary = air
                    .get_boundary_constraints(aux_rand_elements.as_ref(), &coefficients.boundary);
                return Self::Lanes(LaneConstraintEvaluator {
                    lanes,
                    transition,
                    boundary,
                    rows: None,
                    _air: PhantomData,
                });
            }
        }
        Self::Default(DefaultConstraintEvaluator::new(
            air,
            aux_rand_elements,
            coefficients,
        ))
    }
}

impl<A: LaneAir, E: FieldElement<BaseField = Goldilocks>> ZkConstraintEvaluator<'_, A, E> {
    /// Reads the trace's rows from `rows` in place, when they are the rows of the trace it is
    /// given (checked by its main root and shape when it evaluates), instead of copying frames
    /// out of it.
    pub fn reading_rows(mut self, rows: Option<LdeRows>) -> Self {
        if let Self::Lanes(evaluator) = &mut self {
            evaluator.rows = rows;
        }
        self
    }
}

/// `E` elements as quadratic ones (the caller checked the degree).
fn as_quadratic<E: FieldElement<BaseField = Goldilocks>>(values: &[E]) -> Vec<Quadratic> {
    Quadratic::slice_from_base_elements(E::slice_as_base_elements(values)).to_vec()
}

impl<A: LaneAir, E: FieldElement<BaseField = Goldilocks>> ConstraintEvaluator<E>
    for ZkConstraintEvaluator<'_, A, E>
{
    type Air = A;

    fn evaluate<T: TraceLde<E>>(
        self,
        trace: &T,
        domain: &StarkDomain<Goldilocks>,
    ) -> CompositionPolyTrace<E> {
        match self {
            Self::Lanes(evaluator) => evaluator.evaluate(trace, domain),
            Self::Default(evaluator) => evaluator.evaluate(trace, domain),
        }
    }
}

/// The lane evaluator with the AIR's combined constraints.
pub struct LaneConstraintEvaluator<'a, A, E: FieldElement> {
    lanes: Box<dyn LaneEvaluate + 'a>,
    transition: TransitionConstraints<E>,
    boundary: BoundaryConstraints<E>,
    /// The rows to read in place, if the prover lent them.
    rows: Option<LdeRows>,
    _air: PhantomData<&'a A>,
}

/// The trace columns the boundary constraints read, main and auxiliary.
struct BoundaryColumns {
    main: Vec<usize>,
    aux: Vec<usize>,
}

impl<A: LaneAir, E: FieldElement<BaseField = Goldilocks>> LaneConstraintEvaluator<'_, A, E> {
    fn boundary_columns(&self) -> BoundaryColumns {
        BoundaryColumns {
            main: columns_read(self.boundary.main_constraints()),
            aux: columns_read(self.boundary.aux_constraints()),
        }
    }

    fn evaluate<T: TraceLde<E>>(
        self,
        trace: &T,
        domain: &StarkDomain<Goldilocks>,
    ) -> CompositionPolyTrace<E> {
        let _span = info_span!(
            "evaluate_constraints",
            ce_domain_size = domain.ce_domain_size()
        )
        .entered();
        let columns = self.boundary_columns();
        let passes = self.transitions_and_boundary_values(trace, domain, &columns);
        CompositionPolyTrace::new(self.compose(domain, &columns, passes))
    }

    /// Pass 1: `Σ αᵢ·Cᵢ` at every domain point and the values of the boundary columns, in
    /// task order (see [`point_of`]).
    fn transitions_and_boundary_values<T: TraceLde<E>>(
        &self,
        trace: &T,
        domain: &StarkDomain<Goldilocks>,
        columns: &BoundaryColumns,
    ) -> PassOne<E> {
        let _span = info_span!("evaluate_transitions").entered();
        let geometry = Geometry::new(domain);
        let size = domain.ce_domain_size();
        let (mc, ac) = (columns.main.len(), columns.aux.len());
        let mut transitions = vec![Quadratic::ZERO; size];
        let mut main_values = vec![Goldilocks::ZERO; size * mc.max(1)];
        let mut aux_values = vec![E::ZERO; size * ac.max(1)];
        let task_points = geometry.task_positions * WIDTH;
        let info = trace.trace_info();
        let (main_width, aux_width) = (info.main_trace_width(), info.aux_segment_width());
        // Lent rows serve only if they are the trace's (its main root) and have its shape;
        // otherwise frames are copied.
        let lent = self.rows.as_ref().filter(|rows| {
            let aux_base_width = aux_width * E::EXTENSION_DEGREE;
            rows.main_root == trace.get_main_trace_commitment().as_bytes()
                && rows.main.rows() == trace.trace_len()
                && rows.main.width() == main_width
                && match &rows.aux {
                    Some(aux) => aux.rows() == trace.trace_len() && aux.width() == aux_base_width,
                    None => aux_width == 0,
                }
        });
        (transitions.par_chunks_mut(task_points))
            .zip(main_values.par_chunks_mut(task_points * mc.max(1)))
            .zip(aux_values.par_chunks_mut(task_points * ac.max(1)))
            .enumerate()
            .for_each(|(task, ((out, main_out), aux_out))| {
                let mut frames = LaneFrames::<E>::new(main_width, aux_width, lent);
                let mut scratch = self.lanes.new_scratch();
                let (mut current, mut next) = (self.lanes.new_rows(), self.lanes.new_rows());
                let (residue, first) = geometry.task_start(task);
                frames.read(trace, &geometry, residue, first);
                let (main, aux) = frames.rows();
                self.lanes.load(&mut current, &main, &aux, &mut scratch);
                for step in 0..geometry.task_positions {
                    // The boundary columns of this position, read while its rows are loaded.
                    let (main_rows, aux_rows) = frames.rows();
                    for lane in 0..WIDTH {
                        let at = step * WIDTH + lane;
                        for (k, &c) in columns.main.iter().enumerate() {
                            main_out[at * mc + k] = main_rows[lane][c];
                        }
                        let aux = E::slice_from_base_elements(aux_rows[lane]);
                        for (k, &c) in columns.aux.iter().enumerate() {
                            aux_out[at * ac + k] = aux[c];
                        }
                    }
                    frames.read(trace, &geometry, residue, first + step + 1);
                    let (main, aux) = frames.rows();
                    self.lanes.load(&mut next, &main, &aux, &mut scratch);
                    let sums = self.lanes.combine(&current, &next, &mut scratch);
                    out[step * WIDTH..(step + 1) * WIDTH].copy_from_slice(&sums);
                    core::mem::swap(&mut current, &mut next);
                }
            });
        PassOne {
            geometry,
            transitions,
            main_values,
            aux_values,
        }
    }

    /// Pass 2: divides by the divisors and adds the boundary constraints, in domain order.
    fn compose(
        &self,
        domain: &StarkDomain<Goldilocks>,
        columns: &BoundaryColumns,
        pass: PassOne<E>,
    ) -> Vec<E> {
        let _span = info_span!("divide_and_add_boundaries").entered();
        let size = domain.ce_domain_size();
        let generator = domain.ce_domain_generator();
        let (mc, ac) = (columns.main.len(), columns.aux.len());
        let main_groups = self.boundary.main_constraints();
        let aux_groups = self.boundary.aux_constraints();
        let divisors: Vec<&ConstraintDivisor<Goldilocks>> =
            core::iter::once(self.transition.divisor())
                .chain(main_groups.iter().map(|g| g.divisor()))
                .chain(aux_groups.iter().map(|g| g.divisor()))
                .collect();
        let main_slots = slots(main_groups, &columns.main);
        let aux_slots = slots(aux_groups, &columns.aux);
        let mut composition = vec![E::ZERO; size];
        composition
            .par_chunks_mut(POINTS_PER_BATCH)
            .enumerate()
            .for_each(|(batch, out)| {
                let start = batch * POINTS_PER_BATCH;
                let mut x = domain.get_ce_x_at(start);
                let mut xs = Vec::with_capacity(out.len());
                for _ in 0..out.len() {
                    xs.push(x);
                    x *= generator;
                }
                // 1/z for every divisor at every point: exemptions(x) / numerator(x).
                let mut numerators = Vec::with_capacity(divisors.len() * xs.len());
                for divisor in &divisors {
                    numerators.extend(divisor_numerators(divisor, &xs, generator));
                }
                let inverses = batch_inverse(&numerators);
                let inverse = |d: usize, i: usize| {
                    inverses[d * xs.len() + i] * divisors[d].evaluate_exemptions_at(xs[i])
                };
                for (i, slot) in out.iter_mut().enumerate() {
                    let p = start + i;
                    let at = pass.geometry.task_index(p);
                    let x = E::from(xs[i]);
                    let transitions =
                        mul_by_base(lift_quadratic::<E>(pass.transitions[at]), inverse(0, i));
                    let main = boundary_sum(
                        main_groups,
                        &main_slots,
                        &pass.main_values[at * mc..],
                        x,
                        |g| inverse(1 + g, i),
                    );
                    let aux = boundary_sum(
                        aux_groups,
                        &aux_slots,
                        &pass.aux_values[at * ac..],
                        x,
                        |g| inverse(1 + main_groups.len() + g, i),
                    );
                    *slot = transitions + main + aux;
                }
            });
        composition
    }
}

/// The columns `groups` read, in order, once each: the values pass 1 records.
fn columns_read<F, E>(groups: &[BoundaryConstraintGroup<F, E>]) -> Vec<usize>
where
    F: FieldElement,
    E: FieldElement<BaseField = F::BaseField> + ExtensionOf<F>,
{
    let mut columns: Vec<usize> = (groups.iter())
        .flat_map(|g| g.constraints().iter().map(|c| c.column()))
        .collect();
    columns.sort_unstable();
    columns.dedup();
    columns
}

/// Where each constraint of each group finds its column among the `recorded` ones.
fn slots<F, E>(groups: &[BoundaryConstraintGroup<F, E>], recorded: &[usize]) -> Vec<Vec<usize>>
where
    F: FieldElement,
    E: FieldElement<BaseField = F::BaseField> + ExtensionOf<F>,
{
    (groups.iter())
        .map(|g| {
            (g.constraints().iter())
                .map(|c| {
                    recorded
                        .binary_search(&c.column())
                        .expect("a recorded column")
                })
                .collect()
        })
        .collect()
}

/// `Σ_groups Σ cc·(value − asserted) / z_group` at point `x`, from the point's recorded
/// column values (`slots` as [`slots`] gives them) and each group's `1/z` (`inverse(g)`).
fn boundary_sum<F, E>(
    groups: &[BoundaryConstraintGroup<F, E>],
    slots: &[Vec<usize>],
    values: &[F],
    x: E,
    inverse: impl Fn(usize) -> Goldilocks,
) -> E
where
    F: FieldElement<BaseField = Goldilocks>,
    E: FieldElement<BaseField = Goldilocks> + ExtensionOf<F>,
{
    let mut sum = E::ZERO;
    for (g, (group, slots)) in groups.iter().zip(slots).enumerate() {
        let mut numerator = E::ZERO;
        for (constraint, &k) in group.constraints().iter().zip(slots) {
            numerator += match constraint.poly() {
                // A single or periodic assertion asserts a constant of F: `cc·(value − c)` takes
                // one product by an element of F (two base products for a main column) instead
                // of an extension product.
                [asserted] => constraint.cc().mul_base(values[k] - *asserted),
                _ => constraint.evaluate_at(x, E::from(values[k])) * *constraint.cc(),
            };
        }
        sum += mul_by_base(numerator, inverse(g));
    }
    sum
}

/// `Π (x^d − c)` over a divisor's numerator terms at consecutive points `xs` (each the one
/// before times `generator`): `x^d` is stepped by `generator^d`, one product a point instead
/// of an exponentiation.
fn divisor_numerators(
    divisor: &ConstraintDivisor<Goldilocks>,
    xs: &[Goldilocks],
    generator: Goldilocks,
) -> Vec<Goldilocks> {
    let mut values = vec![Goldilocks::ONE; xs.len()];
    let Some(&first) = xs.first() else {
        return values;
    };
    for &(degree, constant) in divisor.numerator() {
        let step = generator.exp(degree as u64);
        let mut power = first.exp(degree as u64);
        for value in &mut values {
            *value *= power - constant;
            power *= step;
        }
    }
    values
}

/// The rows of one position on every lane: borrowed from lent [`LdeRows`], or copied out of
/// winterfell's `TraceLde` (current and next rows: the trait reads whole frames).
struct LaneFrames<'r, E: FieldElement> {
    lent: Option<&'r LdeRows>,
    /// Each lane's LDE row.
    steps: [usize; WIDTH],
    main: Vec<EvaluationFrame<Goldilocks>>,
    aux: Vec<EvaluationFrame<E>>,
    aux_width: usize,
}

impl<'r, E: FieldElement<BaseField = Goldilocks>> LaneFrames<'r, E> {
    fn new(main_width: usize, aux_width: usize, lent: Option<&'r LdeRows>) -> Self {
        let copies = if lent.is_some() { 0 } else { WIDTH };
        Self {
            lent,
            steps: [0; WIDTH],
            main: vec![EvaluationFrame::new(main_width); copies],
            aux: vec![EvaluationFrame::new(aux_width.max(1)); copies],
            aux_width,
        }
    }

    /// Reads position `t` of cycle `residue`, lane by lane.
    fn read<T: TraceLde<E>>(&mut self, trace: &T, geometry: &Geometry, residue: usize, t: usize) {
        for lane in 0..WIDTH {
            self.steps[lane] = geometry.point(residue, t, lane) << geometry.lde_shift;
        }
        if self.lent.is_some() {
            return;
        }
        for (lane, &step) in self.steps.iter().enumerate() {
            trace.read_main_trace_frame_into(step, &mut self.main[lane]);
            if self.aux_width > 0 {
                trace.read_aux_trace_frame_into(step, &mut self.aux[lane]);
            }
        }
    }

    /// The rows read, main and auxiliary (in base elements; empty without an auxiliary
    /// segment).
    fn rows(&self) -> ([&[Goldilocks]; WIDTH], [&[Goldilocks]; WIDTH]) {
        match self.lent {
            Some(rows) => (
                core::array::from_fn(|lane| rows.main.row(self.steps[lane])),
                core::array::from_fn(|lane| {
                    rows.aux
                        .as_ref()
                        .map_or(&[][..], |aux| aux.row(self.steps[lane]))
                }),
            ),
            None => (
                core::array::from_fn(|lane| self.main[lane].current()),
                core::array::from_fn(|lane| {
                    if self.aux_width > 0 {
                        E::slice_as_base_elements(self.aux[lane].current())
                    } else {
                        &[]
                    }
                }),
            ),
        }
    }
}

/// What pass 1 leaves for pass 2, in task order.
struct PassOne<E> {
    geometry: Geometry,
    transitions: Vec<Quadratic>,
    main_values: Vec<Goldilocks>,
    aux_values: Vec<E>,
}

/// How domain points map to cycles, lanes and tasks.
#[derive(Debug, Clone, Copy)]
struct Geometry {
    /// Constraint-domain blowup: the number of cycles.
    blowup: usize,
    /// Trace length: the positions of a cycle.
    trace_len: usize,
    /// Positions per lane: a cycle is `WIDTH` stretches of this many.
    stretch: usize,
    task_positions: usize,
    lde_shift: u32,
}

impl Geometry {
    fn new(domain: &StarkDomain<Goldilocks>) -> Self {
        Self::of(
            domain.trace_to_ce_blowup(),
            domain.trace_length(),
            domain.ce_to_lde_blowup().trailing_zeros(),
        )
    }

    fn of(blowup: usize, trace_len: usize, lde_shift: u32) -> Self {
        let stretch = trace_len / WIDTH;
        Self {
            blowup,
            trace_len,
            stretch,
            task_positions: stretch.min(POSITIONS_PER_TASK),
            lde_shift,
        }
    }

    /// Tasks per cycle.
    fn tasks_per_cycle(&self) -> usize {
        self.stretch / self.task_positions
    }

    /// The cycle and the first position of task `task`.
    fn task_start(&self, task: usize) -> (usize, usize) {
        let per_cycle = self.tasks_per_cycle();
        (task / per_cycle, (task % per_cycle) * self.task_positions)
    }

    /// The domain point at position `t` (of `0..=stretch`) of lane `lane` in cycle `residue`.
    fn point(&self, residue: usize, t: usize, lane: usize) -> usize {
        let row = (t + lane * self.stretch) % self.trace_len;
        residue + self.blowup * row
    }

    /// Where pass 1 left domain point `p`: the inverse of [`Self::point`] in task order
    /// (tasks of one cycle are consecutive, each `task_positions × WIDTH` entries, position
    /// by position, lane by lane).
    fn task_index(&self, p: usize) -> usize {
        let (residue, row) = (p % self.blowup, p / self.blowup);
        let (lane, t) = (row / self.stretch, row % self.stretch);
        let (task, step) = (t / self.task_positions, t % self.task_positions);
        let per_cycle = self.tasks_per_cycle();
        (((residue * per_cycle + task) * self.task_positions + step) * WIDTH) + lane
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every domain point is evaluated exactly once, and pass 2 finds it where pass 1 left it.
    #[test]
    fn task_order_covers_every_point_once() {
        for (blowup, trace_len) in [(2, 8), (4, 64), (8, 1 << 12), (2, 1 << 11)] {
            let geometry = Geometry::of(blowup, trace_len, 0);
            let size = blowup * trace_len;
            let mut seen = vec![false; size];
            let tasks = size / (geometry.task_positions * WIDTH);
            for task in 0..tasks {
                let (residue, first) = geometry.task_start(task);
                for step in 0..geometry.task_positions {
                    for lane in 0..WIDTH {
                        let p = geometry.point(residue, first + step, lane);
                        let at = (task * geometry.task_positions + step) * WIDTH + lane;
                        assert_eq!(geometry.task_index(p), at);
                        assert!(!seen[p], "point {p} twice");
                        seen[p] = true;
                    }
                }
            }
            assert!(seen.iter().all(|&s| s));
        }
    }

    /// The rows the prover lends are, lane by lane and position by position, the current rows
    /// winterfell's `TraceLde` copies out: main and auxiliary, at every residue of the
    /// constraint domain and across the wrap to the first row.
    #[test]
    fn lent_rows_are_the_frames_the_trace_lde_copies() {
        // Rows padded to whole cache lines: 30 main columns to 32, 15 extension (30 base) to 32.
        let (n, blowup, ce_blowup) = (64, 8, 4);
        let (main_width, aux_width) = (30, 15);
        let (lde, slot, _, _) = crate::lde::tests::trace_lde(n, main_width, aux_width);
        let rows = slot.lock().expect("slot").take().expect("rows lent");
        assert_eq!(
            (rows.main.stride(), rows.aux.as_ref().map(|a| a.stride())),
            (32, Some(32))
        );

        let geometry = Geometry::of(ce_blowup, n, (blowup / ce_blowup).trailing_zeros());
        let mut lent = LaneFrames::<Quadratic>::new(main_width, aux_width, Some(&rows));
        let mut copied = LaneFrames::<Quadratic>::new(main_width, aux_width, None);
        for residue in 0..ce_blowup {
            for t in 0..=geometry.stretch {
                lent.read(&lde, &geometry, residue, t);
                copied.read(&lde, &geometry, residue, t);
                assert_eq!(
                    lent.rows(),
                    copied.rows(),
                    "residue {residue}, position {t}"
                );
                assert_eq!(lent.rows().1[0].len(), 2 * aux_width);
            }
        }
    }
}
