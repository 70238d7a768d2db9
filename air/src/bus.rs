//! The LogUp bus.
//!
//! A message is a tuple `(bus, f₀, …, f_{k−1})`, fingerprinted with the challenge β as
//! `v = bus + Σⱼ βʲ⁺¹·fⱼ`. An interaction with multiplicity `m` contributes `±m/(γ − v)`:
//! `+` for what a component provides, `−` for what it consumes. Over a whole block the
//! contributions cancel exactly when every consumed message is provided with the same total
//! multiplicity (up to a probability of about (rows·fields)/|F²| over γ, β).
//!
//! Auxiliary columns of a component (all in the quadratic extension): one helper `h_g` per
//! *group* of consecutive interactions ([`helper_groups`]), then `t` (running sum, inclusive)
//! and `u` (running sum, exclusive). A helper holds its group's whole contribution
//! `h_g = Σ_{i∈g} sᵢ·mᵢ/(γ − vᵢ)` (`sᵢ = ±1`), so with `H(r) = Σ_g h_g(r)`:
//!
//! 1. `h_g·Π_{i∈g}(γ − vᵢ) − Σ_{i∈g} sᵢ·mᵢ·Π_{j∈g, j≠i}(γ − vⱼ) = 0` on the current row and on
//!    the next row (so on every row). Where every `γ − vᵢ ≠ 0` this is exactly the sum above;
//!    a row with `γ = vᵢ` is a fingerprint collision, which happens with negligible probability
//!    because γ, β are drawn after every main trace is committed (an honest prover that hits one
//!    reports it instead of building the column);
//! 2. `t' − t − H(next) = 0` (rows 1 … n − 1 accumulate);
//! 3. `t − u − H(current) = 0` with the assertion `u₀ = 0`, so `t₀ = H(0)`;
//! 4. assertion `t_{n−1} = claim`, the claim being a public input.
//!
//! Hence `claim = Σ_r H(r)` over all rows.
//!
//! Grouping saves one extension column (two base columns of LDE, commitment and queries) per
//! interaction folded into another's helper. A group's constraint has degree
//! `max(1 + Σ dᵢ, maxᵢ(mdᵢ + Σ_{j≠i} dⱼ))` (`d` the fingerprints' degrees, `md` the
//! multiplicities'), and groups are formed only within the degree the component's constraints
//! already reach, so grouping never raises the composition polynomial's degree.
//!
//! A group whose interactions all count the same multiplicity `m` in the same direction
//! (declared by [`Interaction::shares_multiplicity`], as the Keccak component's AND lookups all
//! count `live`) has the same constraint written with `m` factored out of its numerator,
//! `m·Σ_{i∈g} Π_{j≠i}(γ − vⱼ)`: one base product for the group instead of one per interaction
//! (the fraction is the same pair of values either way).
//!
//! **Public messages.** Data the verifier knows from the statement (a bytecode bound to the
//! statement, pre-state values, the transaction) enters the bus as [`PublicMessage`]s whose
//! terms the verifier computes itself ([`public_sum`]). A block balances when
//! `Σ claims + public_sum = 0`, so a component that consumes public data must hold exactly it.

use crate::algebra::{Algebra, Extends};
use crate::component::Component;
use crate::error::AirError;
use crate::lanes::{Lanes, QuadraticLanes, WIDTH};
use core::ops::Range;
use rayon::prelude::*;

use winter_math::{batch_inversion, FieldElement};
use zkevm_field::{Goldilocks, Quadratic};

/// Identifier of a logical bus; the constant first element of every message on it.
pub type BusId = u64;

/// Most fields a message may carry.
pub const MAX_FIELDS: usize = 32;

/// Whether a component provides (adds) or consumes (subtracts) a message.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Direction {
    Provide,
    Consume,
}

impl Direction {
    fn apply<V: Algebra>(self, value: V) -> V {
        match self {
            Direction::Provide => value,
            Direction::Consume => -value,
        }
    }
}

/// The static shape of one interaction.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Interaction {
    pub bus: BusId,
    pub direction: Direction,
    pub num_fields: usize,
    /// Degree of the multiplicity expression in the trace columns.
    pub multiplicity_degree: usize,
    /// Highest degree of a field expression in the trace columns.
    pub field_degree: usize,
    /// The multiplicity is the same expression as the previous interaction's (a promise the
    /// component makes, checked on random rows by this module's tests). A helper group whose
    /// interactions all share one multiplicity and direction factors it out,
    /// `Σ m/(γ − vᵢ) = m·Σ 1/(γ − vᵢ)`: the same constraint, with one base product per group
    /// instead of one per interaction ([`group_fractions`]).
    pub shares_multiplicity: bool,
}

impl Interaction {
    /// An interaction whose multiplicity and fields are all degree-1 expressions (columns or
    /// linear combinations of them): the common case.
    pub fn linear(bus: BusId, direction: Direction, num_fields: usize) -> Self {
        Self {
            bus,
            direction,
            num_fields,
            multiplicity_degree: 1,
            field_degree: 1,
            shares_multiplicity: false,
        }
    }

    /// This interaction, declared to have the previous interaction's multiplicity
    /// ([`Interaction::shares_multiplicity`]).
    pub fn sharing_multiplicity(self) -> Self {
        Self {
            shares_multiplicity: true,
            ..self
        }
    }

    /// Degree of the helper constraint `h·(γ − v) − m` of this interaction alone.
    pub fn helper_degree(&self) -> usize {
        group_degree(core::slice::from_ref(self))
    }

    /// Degree of the fingerprint `v` in the trace columns.
    fn fingerprint_degree(&self) -> usize {
        if self.num_fields == 0 {
            0
        } else {
            self.field_degree
        }
    }
}

/// Degree of the helper constraint of a group of interactions (module docs).
fn group_degree(shapes: &[Interaction]) -> usize {
    let total: usize = shapes.iter().map(Interaction::fingerprint_degree).sum();
    let numerator = shapes
        .iter()
        .map(|s| s.multiplicity_degree + total - s.fingerprint_degree())
        .max()
        .unwrap_or(0);
    (1 + total).max(numerator)
}

/// The groups of consecutive interactions that share a helper column: greedily as many as fit
/// in the highest degree the component's constraints reach without them (its main constraints
/// and its ungrouped helpers), or its [`Component::GROUPING_DEGREE`] if higher.
pub fn helper_groups<C: Component>(component: &C) -> Vec<Range<usize>> {
    let interactions = component.interactions();
    let main = (component.transition_degrees().into_iter())
        .chain(component.row_degrees())
        .max()
        .unwrap_or(0);
    let bound = (interactions.iter())
        .map(Interaction::helper_degree)
        .fold(main.max(C::GROUPING_DEGREE), usize::max);
    let mut groups: Vec<Range<usize>> = Vec::new();
    for i in 0..interactions.len() {
        match groups.last_mut() {
            Some(g) if group_degree(&interactions[g.start..=i]) <= bound => g.end = i + 1,
            _ => groups.push(i..i + 1),
        }
    }
    groups
}

/// Multiplicity and fields of one interaction at one row.
///
/// Invariant: `fields[len..]` are zero, so an interaction with fewer fields than its shape
/// reads zeros past them, whichever row the values were last set for.
#[derive(Debug, Clone, Copy)]
pub struct BusValues<V> {
    pub multiplicity: V,
    pub fields: [V; MAX_FIELDS],
    /// How many leading fields may be nonzero.
    len: usize,
}

impl<V: Algebra> BusValues<V> {
    /// Values with multiplicity `multiplicity` and the given fields (at most [`MAX_FIELDS`]).
    pub fn new(multiplicity: V, fields: &[V]) -> Self {
        Self::concat(multiplicity, &[fields])
    }

    /// Values whose fields are `parts` one after another (at most [`MAX_FIELDS`] in all),
    /// built without allocating: interactions are evaluated at every row of the LDE.
    pub fn concat(multiplicity: V, parts: &[&[V]]) -> Self {
        let mut values = Self {
            multiplicity,
            fields: [V::zero(); MAX_FIELDS],
            len: 0,
        };
        values.set_parts(multiplicity, parts);
        values
    }

    /// Overwrites these values with [`BusValues::new`]'s, in place: only the given fields and
    /// the ones the previous values used are written. The prover's hot loops use this instead
    /// of `new`, which fills and moves all [`MAX_FIELDS`] fields per message.
    #[inline]
    pub fn set(&mut self, multiplicity: V, fields: &[V]) {
        self.set_parts(multiplicity, &[fields]);
    }

    /// [`BusValues::concat`] in place, as [`BusValues::set`].
    #[inline]
    pub fn set_parts(&mut self, multiplicity: V, parts: &[&[V]]) {
        self.multiplicity = multiplicity;
        let mut at = 0;
        for part in parts {
            self.fields[at..at + part.len()].copy_from_slice(part);
            at += part.len();
        }
        if self.len > at {
            self.fields[at..self.len].fill(V::zero());
        }
        self.len = at;
    }

    pub(crate) fn zero() -> Self {
        Self::new(V::zero(), &[])
    }
}

/// A message the verifier itself puts on the bus, derived from the statement.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PublicMessage {
    pub bus: BusId,
    /// `Provide` when the statement provides the message and a component consumes it.
    pub direction: Direction,
    pub multiplicity: Goldilocks,
    /// At most [`MAX_FIELDS`].
    pub fields: Vec<Goldilocks>,
}

impl PublicMessage {
    /// A message the statement provides once.
    pub fn provide(bus: BusId, fields: &[Goldilocks]) -> Self {
        Self {
            bus,
            direction: Direction::Provide,
            multiplicity: Goldilocks::ONE,
            fields: fields.to_vec(),
        }
    }

    /// An error when the message carries more than [`MAX_FIELDS`] fields.
    pub fn check(&self) -> Result<(), AirError> {
        if self.fields.len() > MAX_FIELDS {
            return Err(AirError::Input(format!(
                "a public message on bus {} has {} fields, at most {MAX_FIELDS} are allowed",
                self.bus,
                self.fields.len()
            )));
        }
        Ok(())
    }

    /// Canonical bytes, for transcripts: bus (u64), direction (u8: 0 provide, 1 consume),
    /// multiplicity (u64), field count (u8), fields (u64 each), little endian.
    pub fn to_bytes(&self) -> Vec<u8> {
        let mut out = Vec::with_capacity(18 + 8 * self.fields.len());
        out.extend(self.bus.to_le_bytes());
        out.push(match self.direction {
            Direction::Provide => 0,
            Direction::Consume => 1,
        });
        out.extend(self.multiplicity.as_u64().to_le_bytes());
        out.push(self.fields.len() as u8);
        for f in &self.fields {
            out.extend(f.as_u64().to_le_bytes());
        }
        out
    }
}

/// `Σ ±m/(γ − v)` over public messages: what the statement adds to the bus.
pub fn public_sum(
    messages: &[PublicMessage],
    gamma: Quadratic,
    beta: Quadratic,
) -> Result<Quadratic, AirError> {
    let mut denominators = Vec::with_capacity(messages.len());
    for m in messages {
        m.check()?;
        let fields: Vec<Quadratic> = m.fields.iter().map(|&f| Quadratic::from(f)).collect();
        let denominator = gamma - fingerprint(m.bus, &fields, beta);
        if denominator == Quadratic::ZERO {
            return Err(AirError::ChallengeCollision {
                component: "public messages",
            });
        }
        denominators.push(denominator);
    }
    let inverses = batch_inversion(&denominators);
    Ok(messages
        .iter()
        .zip(inverses)
        .fold(Quadratic::ZERO, |sum, (m, inverse)| {
            sum + m.direction.apply(inverse * Quadratic::from(m.multiplicity))
        }))
}

/// `v = bus + Σⱼ βʲ⁺¹·fⱼ`.
pub fn fingerprint<V: Algebra>(bus: BusId, fields: &[V], beta: V) -> V {
    let mut value = V::from_u64(bus);
    let mut power = beta;
    for &field in fields {
        value = value + power * field;
        power = power * beta;
    }
    value
}

/// The powers `β¹ … β^MAX_FIELDS`, computed once so that a fingerprint costs one
/// base-by-extension product per field ([`fingerprint`] recomputes them and multiplies in the
/// extension: the prover evaluates fingerprints at every row of the constraint domain).
#[derive(Debug, Clone, Copy)]
pub struct BetaPowers<E>([E; MAX_FIELDS]);

impl<E: Algebra> BetaPowers<E> {
    pub fn new(beta: E) -> Self {
        let mut powers = [beta; MAX_FIELDS];
        for j in 1..MAX_FIELDS {
            powers[j] = powers[j - 1] * beta;
        }
        Self(powers)
    }

    /// The same powers in another field (the extension lifted into winterfell's generic one).
    pub fn map<T: Copy>(&self, lift: impl Fn(E) -> T) -> BetaPowers<T> {
        BetaPowers(self.0.map(lift))
    }

    /// [`fingerprint`] of fields given in a field `F` that `E` extends (the base field while
    /// proving, `E` itself at the verifier's out-of-domain point).
    #[inline]
    pub fn fingerprint<F: Copy>(&self, bus: BusId, fields: &[F]) -> E
    where
        E: Extends<F>,
    {
        fields
            .iter()
            .zip(&self.0)
            .fold(E::from_u64(bus), |value, (&field, &power)| {
                value + power.mul_base(field)
            })
    }
}

/// Number of auxiliary (extension) columns of a component: one per helper group, `t` and `u`;
/// 0 without interactions.
pub fn aux_width<C: Component>(component: &C) -> usize {
    match helper_groups(component).len() {
        0 => 0,
        groups => groups + 2,
    }
}

/// Degrees of the auxiliary constraints, in the order [`eval_aux_constraints`] writes them.
pub fn aux_degrees<C: Component>(component: &C) -> Vec<usize> {
    let interactions = component.interactions();
    let groups = helper_groups(component);
    if groups.is_empty() {
        return Vec::new();
    }
    let helpers: Vec<usize> = (groups.iter())
        .map(|g| group_degree(&interactions[g.clone()]))
        .collect();
    let mut degrees = helpers.clone();
    degrees.extend(helpers);
    degrees.extend([1, 1]);
    degrees
}

fn row_values<C: Component, V: Algebra>(
    component: &C,
    row: &[V],
    count: usize,
) -> Vec<BusValues<V>> {
    let mut out = vec![BusValues::zero(); count];
    component.eval_interactions(row, &mut out);
    out
}

/// Evaluates the auxiliary constraints (module docs) at one window. The main rows stay in
/// their own algebra `F` (the base field in winterfell's own evaluator, the extension at the
/// out-of-domain point); the auxiliary values are in the extension `E`. Over [`Algebra`], so the
/// recursion circuit records these very constraints.
#[allow(clippy::too_many_arguments)]
pub fn eval_aux_constraints<C, F, E>(
    component: &C,
    interactions: &[Interaction],
    groups: &[Range<usize>],
    main_current: &[F],
    main_next: &[F],
    aux_current: &[E],
    aux_next: &[E],
    gamma: E,
    beta: &BetaPowers<E>,
    out: &mut [E],
) where
    C: Component,
    F: Algebra,
    E: Extends<F>,
{
    let k = interactions.len();
    if k == 0 {
        return;
    }
    let fractions = |row: &[F]| {
        let values = row_values(component, row, k);
        let mut fractions = vec![(E::zero(), E::one()); groups.len()];
        group_fractions(interactions, groups, &values, gamma, beta, &mut fractions);
        fractions
    };
    let (current, next) = (fractions(main_current), fractions(main_next));
    assemble_aux_constraints(aux_current, aux_next, &current, &next, out);
}

/// One row's helper values as fractions: for every group, `Σ_{i∈g} sᵢ·mᵢ/(γ − vᵢ)` as
/// `(numerator, denominator)`, built without division (the constraints multiply through).
/// `values` are the row's interactions ([`Component::eval_interactions`]).
pub(crate) fn group_fractions<F: Algebra, E: Extends<F>>(
    interactions: &[Interaction],
    groups: &[Range<usize>],
    values: &[BusValues<F>],
    gamma: E,
    beta: &BetaPowers<E>,
    out: &mut [(E, E)],
) {
    // Interaction `i`'s `γ − vᵢ` and signed multiplicity.
    let denominator = |i: usize| {
        let shape = &interactions[i];
        gamma - beta.fingerprint(shape.bus, &values[i].fields[..shape.num_fields])
    };
    let multiplicity = |i: usize| interactions[i].direction.apply(values[i].multiplicity);
    for (fraction, group) in out.iter_mut().zip(groups) {
        let first = &interactions[group.start];
        let shared = (interactions[group.start + 1..group.end].iter())
            .all(|shape| shape.shares_multiplicity && shape.direction == first.direction);
        *fraction = if shared && group.len() > 1 {
            // `m·Σᵢ Πⱼ≠ᵢ tⱼ / Πᵢ tᵢ`: the first two terms' numerator is `t₀ + t₁`, no product.
            let (t0, t1) = (denominator(group.start), denominator(group.start + 1));
            let mut numerator = t0 + t1;
            let mut product = t0 * t1;
            for i in group.start + 2..group.end {
                let t = denominator(i);
                numerator = numerator * t + product;
                product = product * t;
            }
            (numerator.mul_base(multiplicity(group.start)), product)
        } else {
            // The first term is the fraction `m₀ / t₀` as it stands: no product with 0 and 1.
            let mut numerator = E::lift(multiplicity(group.start));
            let mut product = denominator(group.start);
            for i in group.start + 1..group.end {
                let t = denominator(i);
                numerator = numerator * t + product.mul_base(multiplicity(i));
                product = product * t;
            }
            (numerator, product)
        };
    }
}

/// The auxiliary constraints (module docs) from the helper fractions of the current and the
/// next main row ([`group_fractions`]).
pub(crate) fn assemble_aux_constraints<E: Algebra>(
    aux_current: &[E],
    aux_next: &[E],
    current: &[(E, E)],
    next: &[(E, E)],
    out: &mut [E],
) {
    let g = current.len();
    let mut sum_current = E::zero();
    let mut sum_next = E::zero();
    for j in 0..g {
        let (numerator, denominator) = current[j];
        out[j] = aux_current[j] * denominator - numerator;
        let (numerator, denominator) = next[j];
        out[g + j] = aux_next[j] * denominator - numerator;
        sum_current = sum_current + aux_current[j];
        sum_next = sum_next + aux_next[j];
    }
    let (t, u) = (g, g + 1);
    out[2 * g] = aux_next[t] - aux_current[t] - sum_next;
    out[2 * g + 1] = aux_current[t] - aux_current[u] - sum_current;
}

/// Builds the auxiliary columns (module docs) of a main trace; returns them column-major.
/// The claim is the last value of column `t`, after the helpers (see [`claim_of`]).
///
/// Rows are evaluated [`WIDTH`] at a time on [`Lanes`] (consecutive rows, one per lane), each
/// helper as its group's fraction ([`group_fractions`]) times its denominator's inverse.
pub fn build_aux_columns<C: Component>(
    component: &C,
    columns: &[Vec<Goldilocks>],
    gamma: Quadratic,
    beta: Quadratic,
) -> Result<Vec<Vec<Quadratic>>, AirError> {
    let interactions = component.interactions();
    let k = interactions.len();
    if k == 0 {
        return Ok(Vec::new());
    }
    let n = component.check_trace(columns)?;
    let groups = helper_groups(component);
    let g = groups.len();
    let gamma = QuadraticLanes::broadcast(gamma);
    let beta = BetaPowers::new(beta).map(QuadraticLanes::broadcast);
    // The helpers, row-major, built block by block in parallel; each block inverts its own
    // denominators in one batch.
    let mut helpers = vec![Quadratic::ZERO; n * g];
    helpers
        .par_chunks_mut(AUX_BLOCK_ROWS * g)
        .enumerate()
        .try_for_each(|(block, chunk)| {
            let first = block * AUX_BLOCK_ROWS;
            let rows = chunk.len() / g;
            let steps = rows.div_ceil(WIDTH);
            let mut main = vec![Lanes::zero(); columns.len()];
            let mut values = vec![BusValues::zero(); k];
            let unit = (QuadraticLanes::zero(), QuadraticLanes::one());
            let mut fractions = vec![unit; steps * g];
            for (step, out) in fractions.chunks_exact_mut(g).enumerate() {
                for (lanes, column) in main.iter_mut().zip(columns) {
                    *lanes = Lanes::from_column(column, first + step * WIDTH);
                }
                component.eval_interactions(&main, &mut values);
                group_fractions(&interactions, &groups, &values, gamma, &beta, out);
            }
            let denominators: Vec<QuadraticLanes> = fractions.iter().map(|f| f.1).collect();
            // A zero denominator is a message equal to γ: these challenges cannot prove it.
            let inverses = crate::lanes::batch_inverse(&denominators)
                .ok_or(AirError::ChallengeCollision { component: C::NAME })?;
            for (step, (fraction, inverse)) in fractions
                .chunks_exact(g)
                .zip(inverses.chunks_exact(g))
                .enumerate()
            {
                for (j, (&(numerator, _), &inverse)) in fraction.iter().zip(inverse).enumerate() {
                    let helper = (numerator * inverse).to_array();
                    for (lane, &value) in helper.iter().enumerate() {
                        let r = step * WIDTH + lane;
                        if r < rows {
                            chunk[r * g + j] = value;
                        }
                    }
                }
            }
            Ok(())
        })?;
    let mut aux: Vec<Vec<Quadratic>> = (0..g + 2).map(|_| vec![Quadratic::ZERO; n]).collect();
    let mut running = Quadratic::ZERO;
    for (r, row) in helpers.chunks_exact(g).enumerate() {
        let mut step = Quadratic::ZERO;
        for (column, &h) in aux.iter_mut().zip(row) {
            column[r] = h;
            step += h;
        }
        running += step;
        aux[g][r] = running;
        aux[g + 1][r] = running - step;
    }
    Ok(aux)
}

/// Rows whose helpers one task of [`build_aux_columns`] builds (their denominators, up to a
/// few hundred interactions a row, stay within a few MiB).
const AUX_BLOCK_ROWS: usize = 256;

/// What a block adds to the bus under the challenges `γ`, `β`: every component's claim plus
/// the public messages; zero when the block balances.
pub fn block_imbalance(
    traces: &[crate::ComponentTrace],
    messages: &[PublicMessage],
    gamma: Quadratic,
    beta: Quadratic,
) -> Result<Quadratic, AirError> {
    traces
        .iter()
        .try_fold(public_sum(messages, gamma, beta)?, |sum, t| {
            let aux = crate::with_component!(t.id, C => {
                build_aux_columns(&C::default(), &t.columns, gamma, beta)
            })?;
            Ok(sum + claim_of(&aux))
        })
}

/// The claimed sum carried by an auxiliary trace built by [`build_aux_columns`]: zero when the
/// component has no interactions.
pub fn claim_of<E: FieldElement>(aux: &[Vec<E>]) -> E {
    if aux.len() < 2 {
        return E::ZERO;
    }
    let t = &aux[aux.len() - 2];
    t.last().copied().unwrap_or(E::ZERO)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::arithmetic::Arithmetic;
    use crate::cpu::Cpu;
    use crate::test_support::{block, challenges};

    #[test]
    fn values_set_in_place_equal_fresh_values() {
        let g = |v: u64| Goldilocks::new(v);
        let mut values = BusValues::new(g(9), &[g(1), g(2), g(3), g(4), g(5)]);
        values.set(g(7), &[g(6), g(8)]);
        let fresh = BusValues::new(g(7), &[g(6), g(8)]);
        assert_eq!(values.multiplicity, fresh.multiplicity);
        assert_eq!(values.fields, fresh.fields);
        values.set_parts(g(1), &[&[g(2)], &[g(3), g(4)]]);
        assert_eq!(
            values.fields,
            BusValues::new(g(1), &[g(2), g(3), g(4)]).fields
        );
    }

    /// The auxiliary constraints on every window of `aux` (built from `columns`), with the main
    /// rows in the base field (as winterfell's own evaluator has them) or lifted to the extension
    /// (as the verifier does at the out-of-domain point); the first row where one is not zero.
    fn first_violation<C: Component>(
        component: &C,
        columns: &[Vec<Goldilocks>],
        aux: &[Vec<Quadratic>],
        lifted: bool,
    ) -> Option<usize> {
        let (gamma, beta) = challenges();
        let beta = BetaPowers::new(beta);
        let interactions = component.interactions();
        let groups = helper_groups(component);
        let mut out = vec![Quadratic::ZERO; aux_degrees(component).len()];
        let n = columns[0].len();
        let row = |r: usize| columns.iter().map(|c| c[r]).collect::<Vec<_>>();
        let aux_row = |r: usize| aux.iter().map(|c| c[r]).collect::<Vec<_>>();
        (0..n - 1).find(|&r| {
            let (current, next) = (row(r), row(r + 1));
            let (aux_c, aux_n) = (aux_row(r), aux_row(r + 1));
            if lifted {
                let lift = |v: &[Goldilocks]| v.iter().map(|&x| Quadratic::from(x)).collect();
                let (c, n): (Vec<Quadratic>, Vec<Quadratic>) = (lift(&current), lift(&next));
                let args = (&c[..], &n[..], &aux_c[..], &aux_n[..]);
                eval_aux_constraints(
                    component,
                    &interactions,
                    &groups,
                    args.0,
                    args.1,
                    args.2,
                    args.3,
                    gamma,
                    &beta,
                    &mut out,
                );
            } else {
                eval_aux_constraints(
                    component,
                    &interactions,
                    &groups,
                    &current,
                    &next,
                    &aux_c,
                    &aux_n,
                    gamma,
                    &beta,
                    &mut out,
                );
            }
            out.iter().any(|v| *v != Quadratic::ZERO)
        })
    }

    #[test]
    fn grouped_helpers_satisfy_their_constraints_and_reject_a_changed_helper() {
        let alu = crate::cpu::tests::alu_program();
        let evm = block(&alu);
        let table = evm
            .traces
            .iter()
            .find(|t| t.id == crate::ComponentId::Arithmetic)
            .unwrap();
        let component = Arithmetic;
        let groups = helper_groups(&component);
        let k = component.interactions().len();
        // ALU message (field degree 2) alone, then the 20 linear range lookups in pairs.
        assert_eq!(groups.len(), 1 + (k - 1) / 2, "{groups:?}");
        assert_eq!(aux_width(&component), groups.len() + 2);
        let (gamma, beta) = challenges();
        let aux = build_aux_columns(&component, &table.columns, gamma, beta).unwrap();
        assert_eq!(aux.len(), aux_width(&component));
        for lifted in [false, true] {
            assert_eq!(
                first_violation(&component, &table.columns, &aux, lifted),
                None
            );
        }
        // A helper moved by one, or moved together with the running sums: caught on its row.
        for g in 0..groups.len() {
            let mut changed = aux.clone();
            changed[g][1] += Quadratic::ONE;
            assert!(first_violation(&component, &table.columns, &changed, false).is_some());
        }
        // The claim is the sum of every row's contributions, as without grouping.
        let expected = (0..table.columns[0].len()).fold(Quadratic::ZERO, |sum, r| {
            let row: Vec<Goldilocks> = table.columns.iter().map(|c| c[r]).collect();
            let mut values = vec![BusValues::zero(); k];
            component.eval_interactions(&row, &mut values);
            (component.interactions().iter().zip(&values)).fold(sum, |sum, (shape, value)| {
                let fields: Vec<Quadratic> = value.fields[..shape.num_fields]
                    .iter()
                    .map(|&f| Quadratic::from(f))
                    .collect();
                let term = Quadratic::from(value.multiplicity)
                    / (gamma - fingerprint(shape.bus, &fields, beta));
                sum + shape.direction.apply(term)
            })
        });
        assert_eq!(claim_of(&aux), expected);
    }

    /// Every group's fraction, however [`group_fractions`] builds it (multiplicities factored
    /// out or not), is the pair the plain fold `(n, d) ← (n·tᵢ + d·sᵢmᵢ, d·tᵢ)` gives, so the
    /// same value of the same degree, and its value is the sum of the terms `sᵢmᵢ/tᵢ`; on
    /// random rows, so a component that declares a shared multiplicity it does not have fails.
    fn fractions_are_the_sums_of_their_terms<C: Component>() {
        let component = C::default();
        let interactions = component.interactions();
        let groups = helper_groups(&component);
        let (gamma, beta) = challenges();
        let powers = BetaPowers::new(beta);
        for seed in 0..4 {
            let row = crate::test_support::pseudo_random(component.width(), 300 + seed);
            let mut values = vec![BusValues::zero(); interactions.len()];
            component.eval_interactions(&row, &mut values);
            let mut fractions = vec![(Quadratic::ZERO, Quadratic::ONE); groups.len()];
            group_fractions(
                &interactions,
                &groups,
                &values,
                gamma,
                &powers,
                &mut fractions,
            );
            // Interaction `i`'s signed multiplicity and denominator, computed afresh.
            let term = |i: usize| {
                let shape = &interactions[i];
                let fields: Vec<Quadratic> = values[i].fields[..shape.num_fields]
                    .iter()
                    .map(|&f| Quadratic::from(f))
                    .collect();
                let m = shape
                    .direction
                    .apply(Quadratic::from(values[i].multiplicity));
                (m, gamma - fingerprint(shape.bus, &fields, beta))
            };
            for (group, fraction) in groups.iter().zip(fractions) {
                let (m, t) = term(group.start);
                let fold = (group.start + 1..group.end).fold((m, t), |(n, d), i| {
                    let (m, t) = term(i);
                    (n * t + d * m, d * t)
                });
                assert_eq!(fraction, fold, "{} {group:?}", C::NAME);
                let sum = group
                    .clone()
                    .map(term)
                    .fold(Quadratic::ZERO, |s, (m, t)| s + m / t);
                assert_eq!(fraction.0 / fraction.1, sum, "{} {group:?}", C::NAME);
            }
        }
    }

    #[test]
    fn every_components_fractions_are_the_sums_of_their_terms() {
        for id in crate::ComponentId::ALL {
            crate::with_component!(id, C => fractions_are_the_sums_of_their_terms::<C>());
        }
        // The Keccak component has groups of several interactions sharing one multiplicity,
        // so the test above saw the factored form.
        let keccak = crate::keccak::Keccak.interactions();
        let factored = helper_groups(&crate::keccak::Keccak)
            .into_iter()
            .filter(|g| {
                g.len() > 1
                    && keccak[g.start + 1..g.end]
                        .iter()
                        .all(|s| s.shares_multiplicity)
            });
        assert!(factored.count() >= 32);
    }

    #[test]
    fn grouping_never_raises_a_components_degree_beyond_its_own() {
        for id in crate::ComponentId::ALL {
            let (main, ungrouped, grouped, allowed) = crate::with_component!(id, C => {
                let c = C::default();
                let main = c.transition_degrees().into_iter().chain(c.row_degrees()).max();
                let ungrouped = c.interactions().iter().map(Interaction::helper_degree).max();
                (main, ungrouped, aux_degrees(&c).into_iter().max(), C::GROUPING_DEGREE)
            });
            let before = main.unwrap_or(0).max(ungrouped.unwrap_or(0)).max(allowed);
            assert!(grouped.unwrap_or(0) <= before, "{id:?}");
        }
        // The CPU's interactions share helpers: fewer aux columns than interactions.
        assert!(aux_width(&Cpu) < Cpu.interactions().len());
    }
}
