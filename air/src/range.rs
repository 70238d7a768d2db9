//! The 16-bit range table.
//!
//! Columns: `value`, `multiplicity`.
//! - transition: `value' − value − 1 = 0`;
//! - boundary: `value₀ = 0`, `value_{n−1} = 2¹⁶ − 1`, with `n = 2¹⁶` fixed, so the column is
//!   exactly `0 … 2¹⁶ − 1`;
//! - bus: provides `(RANGE16, value)` with multiplicity `multiplicity`.
//!
//! Every component that splits a value into 16-bit pieces consumes one `(RANGE16, piece)` per
//! piece; the table's multiplicities count them ([`trace_of`]).

use crate::algebra::Algebra;
use crate::bus::{BusId, BusValues, Direction, Interaction};
use crate::component::{BoundaryRow, BoundaryValue, Component, Window};
use crate::registry::ComponentId;
use zkevm_field::Goldilocks;

/// Bus of 16-bit range checks: messages `(RANGE16, value)`.
pub const RANGE16: BusId = 1;

const ROWS: usize = 1 << 16;

/// The interaction of a component that range-checks one degree-1 expression with a degree-1
/// multiplicity: consumes `(RANGE16, value)`.
pub fn lookup() -> Interaction {
    Interaction::linear(RANGE16, Direction::Consume, 1)
}

/// The table of all 16-bit values with lookup multiplicities.
#[derive(Debug, Default, Clone, Copy)]
pub struct RangeTable;

impl Component for RangeTable {
    const ID: ComponentId = ComponentId::Range16;
    const NAME: &'static str = "range16";
    const COLUMNS: &'static [&'static str] = &["value", "multiplicity"];
    const FIXED_LENGTH: Option<usize> = Some(ROWS);

    fn transition_degrees(&self) -> Vec<usize> {
        vec![1]
    }

    fn eval_transition<V: Algebra>(&self, w: &Window<'_, V>, out: &mut [V]) {
        out[0] = w.next[0] - w.current[0] - V::one();
    }

    fn boundary(&self) -> Vec<BoundaryValue> {
        vec![
            BoundaryValue {
                column: 0,
                row: BoundaryRow::First,
                value: Goldilocks::ZERO,
            },
            BoundaryValue {
                column: 0,
                row: BoundaryRow::Last,
                value: Goldilocks::new(ROWS as u64 - 1),
            },
        ]
    }

    fn interactions(&self) -> Vec<Interaction> {
        vec![Interaction::linear(RANGE16, Direction::Provide, 1)]
    }

    fn eval_interactions<V: Algebra>(&self, row: &[V], out: &mut [BusValues<V>]) {
        out[0] = BusValues::new(row[1], &[row[0]]);
    }
}

/// The table (`2¹⁶` rows) with multiplicities counting both limbs of every word.
pub fn trace(words: &[u32]) -> Vec<Vec<Goldilocks>> {
    trace_of(words.iter().flat_map(|&w| [w as u16, (w >> 16) as u16]))
}

/// The table with multiplicities counting each looked-up value.
pub fn trace_of(values: impl IntoIterator<Item = u16>) -> Vec<Vec<Goldilocks>> {
    let mut counts = vec![0u64; ROWS];
    for v in values {
        counts[v as usize] += 1;
    }
    vec![
        (0..ROWS as u64).map(Goldilocks::new).collect(),
        counts.into_iter().map(Goldilocks::new).collect(),
    ]
}
