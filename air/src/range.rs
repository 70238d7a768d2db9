//! The range table: every 16-bit value, and which of them are bytes.
//!
//! Columns: `value`, `multiplicity`, `is_byte`, `byte_multiplicity`.
//! - transition: `value' − value − 1 = 0`; `is_byte` never turns back on
//!   (`(1 − is_byte)·is_byte' = 0`) and turns off only after 255
//!   (`(is_byte − is_byte')·(value − 255) = 0`);
//! - row: `is_byte` is boolean; `(1 − is_byte)·byte_multiplicity = 0`;
//! - boundary: `value₀ = 0`, `value_{n−1} = 2¹⁶ − 1`, with `n = 2¹⁶` fixed, so the column is
//!   exactly `0 … 2¹⁶ − 1`; `is_byte₀ = 1`, `is_byte_{n−1} = 0`, so `is_byte = [value < 256]`;
//! - bus: provides `(RANGE16, value)` with multiplicity `multiplicity` and `(RANGE8, value)`
//!   with multiplicity `byte_multiplicity` (zero above 255).
//!
//! Every component that splits a value into 16-bit pieces consumes one `(RANGE16, piece)` per
//! piece, and one `(RANGE8, byte)` per byte; the table's multiplicities count them
//! ([`trace_of`], [`trace_with_bytes`]).

use crate::algebra::Algebra;
use crate::bus::{BusId, BusValues, Direction, Interaction};
use crate::component::{BoundaryValue, Component, Window};
use crate::registry::ComponentId;
use zkevm_field::Goldilocks;

/// Bus of 16-bit range checks: messages `(RANGE16, value)`.
pub const RANGE16: BusId = 1;
/// Bus of byte range checks: messages `(RANGE8, value)`.
pub const RANGE8: BusId = 3;

const ROWS: usize = 1 << 16;

/// The interaction of a component that range-checks one degree-1 expression with a degree-1
/// multiplicity: consumes `(RANGE16, value)`.
pub fn lookup() -> Interaction {
    Interaction::linear(RANGE16, Direction::Consume, 1)
}

/// The interaction of a component that checks one degree-1 expression is a byte, with a
/// degree-1 multiplicity: consumes `(RANGE8, value)`.
pub fn byte_lookup() -> Interaction {
    Interaction::linear(RANGE8, Direction::Consume, 1)
}

/// Column indices.
mod col {
    pub const VALUE: usize = 0;
    pub const MULTIPLICITY: usize = 1;
    pub const IS_BYTE: usize = 2;
    pub const BYTE_MULTIPLICITY: usize = 3;
}

/// The table of all 16-bit values with lookup multiplicities.
#[derive(Debug, Default, Clone, Copy)]
pub struct RangeTable;

impl Component for RangeTable {
    const ID: ComponentId = ComponentId::Range16;
    const NAME: &'static str = "range16";
    const COLUMNS: &'static [&'static str] =
        &["value", "multiplicity", "is_byte", "byte_multiplicity"];
    const FIXED_LENGTH: Option<usize> = Some(ROWS);

    fn transition_degrees(&self) -> Vec<usize> {
        vec![1, 2, 2]
    }

    fn eval_transition<V: Algebra>(&self, w: &Window<'_, V>, out: &mut [V]) {
        let (c, n) = (w.current, w.next);
        let one = V::one();
        out[0] = n[col::VALUE] - c[col::VALUE] - one;
        out[1] = (one - c[col::IS_BYTE]) * n[col::IS_BYTE];
        out[2] = (c[col::IS_BYTE] - n[col::IS_BYTE]) * (c[col::VALUE] - V::from_u64(255));
    }

    fn row_degrees(&self) -> Vec<usize> {
        vec![2, 2]
    }

    fn eval_row<V: Algebra>(&self, r: &[V], out: &mut [V]) {
        out[0] = r[col::IS_BYTE].booleanity();
        out[1] = (V::one() - r[col::IS_BYTE]) * r[col::BYTE_MULTIPLICITY];
    }

    fn boundary(&self) -> Vec<BoundaryValue> {
        vec![
            BoundaryValue::first(col::VALUE, 0),
            BoundaryValue::last(col::VALUE, ROWS as u64 - 1),
            BoundaryValue::first(col::IS_BYTE, 1),
            BoundaryValue::last(col::IS_BYTE, 0),
        ]
    }

    fn interactions(&self) -> Vec<Interaction> {
        vec![
            Interaction::linear(RANGE16, Direction::Provide, 1),
            Interaction::linear(RANGE8, Direction::Provide, 1),
        ]
    }

    fn eval_interactions<V: Algebra>(&self, row: &[V], out: &mut [BusValues<V>]) {
        out[0].set(row[col::MULTIPLICITY], &[row[col::VALUE]]);
        out[1].set(row[col::BYTE_MULTIPLICITY], &[row[col::VALUE]]);
    }
}

/// The table (`2¹⁶` rows) with multiplicities counting both limbs of every word.
pub fn trace(words: &[u32]) -> Vec<Vec<Goldilocks>> {
    trace_of(words.iter().flat_map(|&w| [w as u16, (w >> 16) as u16]))
}

/// The table with multiplicities counting each looked-up 16-bit value (and no bytes).
pub fn trace_of(values: impl IntoIterator<Item = u16>) -> Vec<Vec<Goldilocks>> {
    trace_with_bytes(values, [])
}

/// The table with multiplicities counting each looked-up 16-bit value and each looked-up byte.
pub fn trace_with_bytes(
    values: impl IntoIterator<Item = u16>,
    bytes: impl IntoIterator<Item = u8>,
) -> Vec<Vec<Goldilocks>> {
    let mut counts = vec![0u64; ROWS];
    for v in values {
        counts[v as usize] += 1;
    }
    let mut byte_counts = vec![0u64; ROWS];
    for b in bytes {
        byte_counts[b as usize] += 1;
    }
    let as_column = |counts: Vec<u64>| counts.into_iter().map(Goldilocks::new).collect();
    vec![
        (0..ROWS as u64).map(Goldilocks::new).collect(),
        as_column(counts),
        (0..ROWS)
            .map(|v| Goldilocks::new((v < 256) as u64))
            .collect(),
        as_column(byte_counts),
    ]
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::check::check_constraints;
    use crate::test_support::claim;
    use zkevm_field::{FieldElement, Quadratic};

    #[test]
    fn the_byte_flag_marks_exactly_the_bytes() {
        let table = trace_with_bytes([7, 300], [0, 255, 255]);
        check_constraints(&RangeTable, &table).unwrap();
        // The flag switching off early or late, or a byte multiplicity above 255.
        for row in [255, 256] {
            let mut t = table.clone();
            let flipped = Goldilocks::ONE - t[col::IS_BYTE][row];
            t[col::IS_BYTE][row] = flipped;
            assert!(check_constraints(&RangeTable, &t).is_err(), "row {row}");
        }
        let mut t = table.clone();
        t[col::BYTE_MULTIPLICITY][256] = Goldilocks::ONE;
        assert!(check_constraints(&RangeTable, &t).is_err());
        // Lookups of 255 twice and 0 once, on the byte bus only.
        let mut other = table.clone();
        other[col::BYTE_MULTIPLICITY][255] = Goldilocks::ONE;
        assert_ne!(claim(&RangeTable, &table), claim(&RangeTable, &other));
        assert_ne!(claim(&RangeTable, &table), Quadratic::ZERO);
    }
}
