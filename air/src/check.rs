//! Evaluating a component's constraints on a trace directly, without proving.
//!
//! Proving a trace that breaks a constraint yields a proof the verifier rejects, but only after
//! the whole proof is built, and without saying where. [`check_constraints`] evaluates the same
//! definitions row by row over the base field and names the first violated constraint: trace
//! builders use it in tests, and soundness tests use it to show which constraint catches a
//! tampered cell. (The bus is checked separately: its balance is a property of the block.)

use crate::component::{shard_offsets, BoundaryRow, Component, ComponentTrace, Window};
use crate::error::AirError;
use std::fmt;
use zkevm_field::Goldilocks;

/// Which kind of constraint failed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ConstraintKind {
    /// A transition constraint between `row` and `row + 1`.
    Transition,
    /// A row constraint at `row`.
    Row,
    /// A boundary value of a column.
    Boundary,
}

/// The first constraint a trace violates.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Violation {
    pub component: &'static str,
    pub kind: ConstraintKind,
    /// Index of the constraint within its kind (for boundaries: the column).
    pub index: usize,
    pub row: usize,
}

impl fmt::Display for Violation {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{}: {:?} constraint {} fails at row {}",
            self.component, self.kind, self.index, self.row
        )
    }
}

/// Why a trace is not a valid witness of its component.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum CheckError {
    Shape(AirError),
    Violated(Violation),
}

impl fmt::Display for CheckError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            CheckError::Shape(e) => write!(f, "{e}"),
            CheckError::Violated(v) => write!(f, "{v}"),
        }
    }
}

impl std::error::Error for CheckError {}

/// Evaluates every boundary, row and transition constraint of `component` on `columns`, a
/// trace at shard offset 0.
pub fn check_constraints<C: Component>(
    component: &C,
    columns: &[Vec<Goldilocks>],
) -> Result<(), CheckError> {
    check_shard_constraints(component, columns, 0)
}

/// [`check_constraints`] for a trace at shard offset `offset`.
pub fn check_shard_constraints<C: Component>(
    component: &C,
    columns: &[Vec<Goldilocks>],
    offset: u64,
) -> Result<(), CheckError> {
    let n = component.check_trace(columns).map_err(CheckError::Shape)?;
    let violation = |kind, index, row| {
        CheckError::Violated(Violation {
            component: C::NAME,
            kind,
            index,
            row,
        })
    };
    for b in component.boundary() {
        let row = match b.row {
            BoundaryRow::First => 0,
            BoundaryRow::Last => n - 1,
        };
        if columns[b.column][row] != b.value_at(offset) {
            return Err(violation(ConstraintKind::Boundary, b.column, row));
        }
    }
    let width = columns.len();
    let mut current = vec![Goldilocks::ZERO; width];
    let mut next = vec![Goldilocks::ZERO; width];
    let mut row_out = vec![Goldilocks::ZERO; component.row_degrees().len()];
    let mut transition_out = vec![Goldilocks::ZERO; component.transition_degrees().len()];
    let load = |row: usize, into: &mut [Goldilocks]| {
        for (value, column) in into.iter_mut().zip(columns) {
            *value = column[row];
        }
    };
    for r in 0..n {
        load(r, &mut current);
        component.eval_row(&current, &mut row_out);
        if let Some(i) = row_out.iter().position(|v| *v != Goldilocks::ZERO) {
            return Err(violation(ConstraintKind::Row, i, r));
        }
        if r + 1 < n {
            load(r + 1, &mut next);
            let window = Window {
                current: &current,
                next: &next,
            };
            component.eval_transition(&window, &mut transition_out);
            if let Some(i) = transition_out.iter().position(|v| *v != Goldilocks::ZERO) {
                return Err(violation(ConstraintKind::Transition, i, r));
            }
        }
    }
    Ok(())
}

/// Every component's constraints on its trace, in block order: the first violation found.
pub fn check_block(traces: &[ComponentTrace]) -> Result<(), CheckError> {
    let offsets = shard_offsets(traces.iter().map(|t| (t.id, t.len())));
    for (t, offset) in traces.iter().zip(offsets) {
        crate::with_component!(t.id, C => check_shard_constraints(&C::default(), &t.columns, offset))?;
    }
    Ok(())
}
