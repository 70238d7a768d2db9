//! Values computed from a main row, remembered for the next time the prover meets that row.
//!
//! The prover evaluates the constraints of window `(row i, row i + 1)` of the trace at every
//! point of the constraint domain, and winterfell walks a fragment of that domain in order:
//! the next row of point `i` is the current row of point `i + b` (`b` the constraint-domain
//! blowup, at most 8 at degree ≤ 9). Whatever a constraint computes from one row alone (the
//! bus fractions, the row constraints) is therefore computed twice, `b` points apart. A
//! [`RowMemo`] keeps such values for the last [`SLOTS`] rows a thread computed them for,
//! keyed by everything they are a function of: the component, the challenges and the row's
//! values. A row found there reuses them; any other is computed. The key is the whole input,
//! so the result never depends on whether a row was found: a memo saves time and cannot
//! change a single value.

use core::any::TypeId;
use zkevm_field::{Goldilocks, Quadratic};

/// Next rows remembered per thread (≥ the largest constraint-domain blowup, 8, with room).
const SLOTS: usize = 16;

/// Values computed from one main row, and what they were computed from.
struct Entry<T> {
    /// The component's type.
    component: TypeId,
    /// The challenges the values depend on (none for the row constraints).
    challenges: [Quadratic; 2],
    row: Vec<Goldilocks>,
    values: Vec<T>,
}

/// The values of the last [`SLOTS`] rows a thread computed, newest last in a ring.
pub(crate) struct RowMemo<T> {
    entries: Vec<Entry<T>>,
    newest: usize,
}

impl<T: Copy> RowMemo<T> {
    pub(crate) const fn new() -> Self {
        Self {
            entries: Vec::new(),
            newest: 0,
        }
    }

    /// The remembered values of `row` under these inputs, if any. Newest first: the row `b`
    /// points back is found after `b` comparisons, most of which fail on the row's first value.
    pub(crate) fn find(
        &self,
        component: TypeId,
        challenges: [Quadratic; 2],
        row: &[Goldilocks],
    ) -> Option<&[T]> {
        let slots = self.entries.len();
        (0..slots)
            .map(|back| &self.entries[(self.newest + slots - back) % slots])
            .find(|e| e.row == row && e.challenges == challenges && e.component == component)
            .map(|e| e.values.as_slice())
    }

    /// Remembers the `values` computed from `row` under these inputs, in the oldest slot.
    /// (Values are copied in only once computed: a computation that panics leaves no entry.)
    pub(crate) fn remember(
        &mut self,
        component: TypeId,
        challenges: [Quadratic; 2],
        row: &[Goldilocks],
        values: &[T],
    ) {
        if self.entries.len() < SLOTS {
            self.entries.push(Entry {
                component,
                challenges,
                row: Vec::new(),
                values: Vec::new(),
            });
            self.newest = self.entries.len() - 1;
        } else {
            self.newest = (self.newest + 1) % SLOTS;
        }
        let entry = &mut self.entries[self.newest];
        entry.component = component;
        entry.challenges = challenges;
        entry.row.clear();
        entry.row.extend_from_slice(row);
        entry.values.clear();
        entry.values.extend_from_slice(values);
    }
}
