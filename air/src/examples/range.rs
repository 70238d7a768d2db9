//! The 16-bit range table.
//!
//! Columns: `value`, `multiplicity`.
//! - transition: `value' − value − 1 = 0`;
//! - boundary: `value₀ = 0`, `value_{n−1} = 2¹⁶ − 1`, with `n = 2¹⁶` fixed, so the column is
//!   exactly `0 … 2¹⁶ − 1`;
//! - bus: provides `(RANGE16, value)` with multiplicity `multiplicity`.

use super::{column, RANGE16};
use crate::algebra::Algebra;
use crate::bus::{BusValues, Direction, Interaction};
use crate::component::{BoundaryRow, BoundaryValue, Component, Window};
use crate::registry::ComponentId;
use zkevm_field::Goldilocks;

const ROWS: usize = 1 << 16;

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
        vec![Interaction {
            bus: RANGE16,
            direction: Direction::Provide,
            num_fields: 1,
            multiplicity_degree: 1,
            field_degree: 1,
        }]
    }

    fn eval_interactions<V: Algebra>(&self, row: &[V], out: &mut [BusValues<V>]) {
        out[0] = BusValues::new(row[1], &[row[0]]);
    }
}

/// The table (`2¹⁶` rows) with multiplicities counting both limbs of every word.
pub fn trace(words: &[u32]) -> Vec<Vec<Goldilocks>> {
    let mut counts = vec![0u64; ROWS];
    for &w in words {
        counts[(w & 0xffff) as usize] += 1;
        counts[(w >> 16) as usize] += 1;
    }
    vec![column(0..ROWS as u64, ROWS), column(counts, ROWS)]
}
