//! The AND table: byte triples `(a, b, a AND b)` for the [`crate::bitwise::Bitwise`] component.
//!
//! A row holds the bits `x₀…x₇` of `a`, `y₀…y₇` of `b` and a multiplicity `m`, and provides
//! `(a, b, n)` on bus [`BYTE_AND`] with multiplicity `m`, where `a = Σ 2ⁱ·xᵢ`, `b = Σ 2ⁱ·yᵢ`
//! and `n = Σ 2ⁱ·xᵢ·yᵢ`. The only constraints are the sixteen booleanities: every row, whatever
//! its multiplicity, is a true triple of bytes, so the table needs no ordering and holds only the
//! pairs a block uses (one row per distinct pair, padding rows of zeros with `m = 0`): a block
//! with few bitwise operations pays for a few rows, not for all 65,536 pairs.
//!
//! The first row is always the pair (0, 0) (with `m = 0` if no lookup uses it), which gives
//! winterfell the assertion it needs (`x₀ = 0` there) without a padding row: a block that uses
//! all 65,536 pairs (a few dozen Keccak permutations do) fits 2¹⁶ rows instead of 2¹⁷.

use crate::algebra::Algebra;
use crate::bitwise::BYTE_AND;
use crate::bus::{BusValues, Direction, Interaction};
use crate::component::{BoundaryValue, Component, Window};
use crate::registry::ComponentId;
use zkevm_field::Goldilocks;

/// winterfell's shortest trace.
const MIN_ROWS: usize = 8;

/// Column indices.
pub mod col {
    /// Bit `i` of `a` at `X + i`.
    pub const X: usize = 0;
    /// Bit `i` of `b` at `Y + i`.
    pub const Y: usize = 8;
    pub const MULTIPLICITY: usize = 16;
}

/// Byte pairs with their AND, provided to the Bitwise component.
#[derive(Debug, Default, Clone, Copy)]
pub struct AndTable;

fn byte<V: Algebra>(bit: impl Fn(usize) -> V) -> V {
    (0..8)
        .rev()
        .fold(V::zero(), |sum, i| sum * V::from_u64(2) + bit(i))
}

impl Component for AndTable {
    const ID: ComponentId = ComponentId::AndTable;
    const NAME: &'static str = "and8";
    const COLUMNS: &'static [&'static str] = &[
        "x0",
        "x1",
        "x2",
        "x3",
        "x4",
        "x5",
        "x6",
        "x7",
        "y0",
        "y1",
        "y2",
        "y3",
        "y4",
        "y5",
        "y6",
        "y7",
        "multiplicity",
    ];

    fn transition_degrees(&self) -> Vec<usize> {
        Vec::new()
    }

    fn eval_transition<V: Algebra>(&self, _w: &Window<'_, V>, _out: &mut [V]) {}

    fn row_degrees(&self) -> Vec<usize> {
        vec![2; 16]
    }

    fn eval_row<V: Algebra>(&self, r: &[V], out: &mut [V]) {
        for (i, o) in out.iter_mut().enumerate() {
            *o = r[col::X + i].booleanity();
        }
    }

    fn boundary(&self) -> Vec<BoundaryValue> {
        // Winterfell needs an assertion; the first row is always the pair (0, 0). (Nothing
        // depends on it: every row is a true triple anyway.)
        vec![BoundaryValue::first(col::X, 0)]
    }

    fn interactions(&self) -> Vec<Interaction> {
        vec![Interaction {
            field_degree: 2,
            ..Interaction::linear(BYTE_AND, Direction::Provide, 3)
        }]
    }

    fn eval_interactions<V: Algebra>(&self, r: &[V], out: &mut [BusValues<V>]) {
        let a = byte(|i| r[col::X + i]);
        let b = byte(|i| r[col::Y + i]);
        let n = byte(|i| r[col::X + i] * r[col::Y + i]);
        out[0].set(r[col::MULTIPLICITY], &[a, b, n]);
    }
}

/// The table of the distinct pairs in `lookups` and (0, 0), each with its number of lookups,
/// in order.
pub fn trace(lookups: impl IntoIterator<Item = (u8, u8)>) -> Vec<Vec<Goldilocks>> {
    // Counts indexed by `256·a + b`: the pairs in (a, b) order, without a map (Keccak blocks
    // look up millions of pairs).
    let mut counts = vec![0u64; 1 << 16];
    for (a, b) in lookups {
        counts[usize::from(a) << 8 | usize::from(b)] += 1;
    }
    let kept = |&(pair, &count): &(usize, &u64)| pair == 0 || count != 0;
    let used = counts.iter().enumerate().filter(kept).count();
    let rows = used.next_power_of_two().max(MIN_ROWS);
    let mut columns = vec![vec![Goldilocks::ZERO; rows]; AndTable::COLUMNS.len()];
    let pairs = counts.iter().enumerate().filter(kept);
    for (r, (pair, &count)) in pairs.enumerate() {
        let (a, b) = (pair >> 8, pair & 0xff);
        for i in 0..8 {
            columns[col::X + i][r] = Goldilocks::new((a >> i & 1) as u64);
            columns[col::Y + i][r] = Goldilocks::new((b >> i & 1) as u64);
        }
        columns[col::MULTIPLICITY][r] = Goldilocks::new(count);
    }
    columns
}
