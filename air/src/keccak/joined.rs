//! Keccak and its AND table side by side in one trace.
//!
//! Every component is a STARK of its own: its own Merkle trees, composition polynomial, FRI
//! layers and query openings. A block of permutations alone has two components, Keccak and the
//! AND table, and past 163 permutations both have 2¹⁶ rows (χ's near-random lookups fill the
//! AND table by then). [`KeccakAnd`] puts the AND table's 17 columns beside Keccak's 194 in
//! one 211-column trace: each row is a Keccak row and an AND-table row, each half under its own
//! constraints and bus messages, unchanged; only the commitments and queries are shared (a
//! third of the proof at 327 permutations: see [`crate::keccak`]'s cost figures).
//!
//! [`join`] pads the shorter half: the AND table with zero rows (every bit zero, multiplicity
//! zero, a true triple that provides nothing), the Keccak trace with copies of its last row,
//! which is a padding row (`live = 0`; the pass counter keeps its final value). Padding the
//! Keccak half costs 194 columns a row, so [`super::permutation_block`] joins only when the
//! AND table is no longer than the Keccak trace.

use super::{Keccak, AND_LOOKUPS, ROWS_PER_PASS};
use crate::algebra::Algebra;
use crate::and_table::AndTable;
use crate::bus::{BusValues, Interaction};
use crate::component::{joined_names, BoundaryValue, Component, Window};
use crate::registry::ComponentId;
use zkevm_field::Goldilocks;

/// The Keccak half's width: its columns come first.
const KECCAK_WIDTH: usize = super::col::WIDTH;
/// The AND table's width.
const AND_WIDTH: usize = crate::and_table::col::MULTIPLICITY + 1;
/// Keccak's row constraints (booleanity of `live`, `first` and `last` only on live rows).
const KECCAK_ROW_CONSTRAINTS: usize = 3;
/// Keccak's interactions: AND lookups, the round lookup, a provide and a consume per rotation
/// class on TRANSFER, the two WRAP messages and the input/output message.
const KECCAK_INTERACTIONS: usize = AND_LOOKUPS + 1 + 2 * ROWS_PER_PASS + 2 + 1;

/// A Keccak trace and an AND table of the same length as one component.
#[derive(Debug, Default, Clone, Copy)]
pub struct KeccakAnd;

impl Component for KeccakAnd {
    const ID: ComponentId = ComponentId::KeccakAnd;
    const NAME: &'static str = "keccak+and8";
    const COLUMNS: &'static [&'static str] =
        &joined_names::<{ KECCAK_WIDTH + AND_WIDTH }>(Keccak::COLUMNS, AndTable::COLUMNS);
    const GROUPING_DEGREE: usize = Keccak::GROUPING_DEGREE;

    fn transition_degrees(&self) -> Vec<usize> {
        // The AND table has none.
        Keccak.transition_degrees()
    }

    fn eval_transition<V: Algebra>(&self, w: &Window<'_, V>, out: &mut [V]) {
        let keccak = Window {
            current: &w.current[..KECCAK_WIDTH],
            next: &w.next[..KECCAK_WIDTH],
        };
        Keccak.eval_transition(&keccak, out);
    }

    fn row_degrees(&self) -> Vec<usize> {
        let mut degrees = Keccak.row_degrees();
        degrees.extend(AndTable.row_degrees());
        degrees
    }

    fn eval_row<V: Algebra>(&self, r: &[V], out: &mut [V]) {
        let (keccak, and) = r.split_at(KECCAK_WIDTH);
        let (keccak_out, and_out) = out.split_at_mut(KECCAK_ROW_CONSTRAINTS);
        Keccak.eval_row(keccak, keccak_out);
        AndTable.eval_row(and, and_out);
    }

    fn boundary(&self) -> Vec<BoundaryValue> {
        let mut values = Keccak.boundary();
        values.extend(AndTable.boundary().into_iter().map(|v| BoundaryValue {
            column: KECCAK_WIDTH + v.column,
            ..v
        }));
        values
    }

    fn interactions(&self) -> Vec<Interaction> {
        let mut shapes = Keccak.interactions();
        shapes.extend(AndTable.interactions());
        shapes
    }

    fn eval_interactions<V: Algebra>(&self, r: &[V], out: &mut [BusValues<V>]) {
        let (keccak, and) = r.split_at(KECCAK_WIDTH);
        let (keccak_out, and_out) = out.split_at_mut(KECCAK_INTERACTIONS);
        Keccak.eval_interactions(keccak, keccak_out);
        AndTable.eval_interactions(and, and_out);
    }
}

/// The [`KeccakAnd`] trace of a Keccak trace and an AND table (each column-major, as their
/// trace functions give them), at the longer one's length.
pub fn join(
    mut keccak: Vec<Vec<Goldilocks>>,
    mut and: Vec<Vec<Goldilocks>>,
) -> Vec<Vec<Goldilocks>> {
    let rows = keccak[0].len().max(and[0].len());
    for column in &mut keccak {
        let last = *column.last().expect("a Keccak trace has rows");
        column.resize(rows, last);
    }
    for column in &mut and {
        column.resize(rows, Goldilocks::ZERO);
    }
    keccak.append(&mut and);
    keccak
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::bus::aux_width;
    use crate::component::ComponentTrace;
    use crate::keccak::{public_messages, trace, LANES};
    use crate::test_support::{assert_changed_message_fields_rejected, TamperBench};

    /// One permutation's Keccak trace (256 rows) joined with its AND table (2¹⁵ rows: a
    /// permutation's 25,600 lookups hit about 21,000 pairs), and the verifier's messages.
    fn joined_block() -> (Vec<ComponentTrace>, Vec<crate::bus::PublicMessage>) {
        let input: [u64; LANES] =
            core::array::from_fn(|i| (i as u64 + 3).wrapping_mul(0x9e37_79b9_7f4a_7c15));
        let keccak = trace(&[input]);
        let and = crate::and_table::trace(keccak.and_pairs);
        assert!(
            and[0].len() > keccak.columns[0].len(),
            "the Keccak half is padded"
        );
        let traces = vec![ComponentTrace {
            id: ComponentId::KeccakAnd,
            columns: join(keccak.columns, and),
        }];
        (traces, public_messages(&[input], &keccak.outputs))
    }

    #[test]
    fn the_halves_keep_their_layouts_and_fit_winterfell() {
        assert_eq!(AND_WIDTH, AndTable.width());
        assert_eq!(KECCAK_ROW_CONSTRAINTS, Keccak.row_degrees().len());
        assert_eq!(KECCAK_INTERACTIONS, Keccak.interactions().len());
        assert_eq!(KeccakAnd.width(), 211);
        assert_eq!(KeccakAnd::COLUMNS[KECCAK_WIDTH], AndTable::COLUMNS[0]);
        // The AND table's provide takes one more helper column.
        assert_eq!(aux_width(&KeccakAnd), aux_width(&Keccak) + 1);
        assert!(KeccakAnd.width() + aux_width(&KeccakAnd) <= 255);
    }

    #[test]
    fn a_joined_block_balances_and_a_tampered_cell_of_either_half_is_rejected() {
        let (traces, messages) = joined_block();
        let bench = TamperBench::new(&traces, &messages);
        let columns = &traces[0].columns;
        // A live Keccak row (pass 1, row 1), one column of every kind.
        let keccak_columns = (0..KECCAK_WIDTH)
            .filter(|&c| c == 0 || KeccakAnd::COLUMNS[c] != KeccakAnd::COLUMNS[c - 1]);
        // An AND row holding a looked-up pair, and the first row (pinned to the pair (0, 0)).
        let and_row = (1..columns[0].len())
            .find(|&r| columns[KECCAK_WIDTH + crate::and_table::col::MULTIPLICITY][r].as_u64() > 1)
            .expect("a pair looked up twice");
        let cells = keccak_columns
            .map(|c| (c, ROWS_PER_PASS + 1))
            .chain((KECCAK_WIDTH..KeccakAnd.width()).map(|c| (c, and_row)))
            .chain([(KECCAK_WIDTH, 0)]);
        let mut tampered = columns.clone();
        for (column, row) in cells {
            tampered[column][row] += Goldilocks::ONE;
            assert!(
                bench.rejects(0, &tampered),
                "{} ({column}) at row {row} accepted",
                KeccakAnd::COLUMNS[column]
            );
            tampered[column][row] -= Goldilocks::ONE;
        }
        assert_changed_message_fields_rejected(&traces, &messages);
    }
}
