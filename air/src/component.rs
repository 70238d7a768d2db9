//! The component abstraction: a column layout, constraints over the [`Algebra`], boundary
//! values and bus interactions. One component is one winterfell AIR with its own trace length.
//!
//! Constraint kinds:
//! - **transition** constraints read the current and the next row; winterfell enforces them on
//!   rows `0 … n − 2`;
//! - **row** constraints read a single row and are enforced on *every* row (the framework
//!   evaluates them on the current row and on the next row of each transition), so a component
//!   cannot forget the last row;
//! - **boundary** values pin a column at the first or last row.

use crate::algebra::Algebra;
use crate::bus::{BusValues, Interaction};
use crate::error::AirError;
use crate::registry::ComponentId;
use zkevm_field::Goldilocks;

/// The current and next rows of a trace, as seen by a transition constraint.
#[derive(Debug, Clone, Copy)]
pub struct Window<'a, V> {
    pub current: &'a [V],
    pub next: &'a [V],
}

/// Which row a boundary value pins.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BoundaryRow {
    First,
    Last,
}

/// `column[row] = value`, plus the trace's shard offset when `shifted` (see
/// [`Component::shard_span`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct BoundaryValue {
    pub column: usize,
    pub row: BoundaryRow,
    pub value: Goldilocks,
    pub shifted: bool,
}

impl BoundaryValue {
    /// `column[0] = value`.
    pub fn first(column: usize, value: u64) -> Self {
        Self {
            column,
            row: BoundaryRow::First,
            value: Goldilocks::new(value),
            shifted: false,
        }
    }

    /// `column[n − 1] = value`.
    pub fn last(column: usize, value: u64) -> Self {
        Self {
            column,
            row: BoundaryRow::Last,
            value: Goldilocks::new(value),
            shifted: false,
        }
    }

    /// `column[0] = offset`, the trace's shard offset ([`shard_offsets`]).
    pub fn first_at_shard_offset(column: usize) -> Self {
        Self {
            shifted: true,
            ..Self::first(column, 0)
        }
    }

    /// The value the trace must hold for a shard at `offset`.
    pub fn value_at(&self, offset: u64) -> Goldilocks {
        if self.shifted {
            self.value + Goldilocks::new(offset)
        } else {
            self.value
        }
    }
}

/// The shard offset of each trace of a block, given as `(component, rows)` in block order:
/// the sum of [`Component::shard_span`] over the earlier traces of the same component. Prover
/// and verifier both compute it from the block's component list (which the block transcript
/// binds before the bus challenges are drawn), so a shard cannot choose its own offset.
pub fn shard_offsets(traces: impl IntoIterator<Item = (ComponentId, usize)>) -> Vec<u64> {
    let mut next: Vec<(ComponentId, u64)> = Vec::new();
    traces
        .into_iter()
        .map(|(id, rows)| {
            let span = crate::with_component!(id, C => C::default().shard_span(rows));
            match next.iter_mut().find(|(seen, _)| *seen == id) {
                Some((_, offset)) => {
                    let here = *offset;
                    *offset = offset.saturating_add(span);
                    here
                }
                None => {
                    next.push((id, span));
                    0
                }
            }
        })
        .collect()
}

/// One table of the block: layout, constraints and bus interactions.
///
/// A component is stateless (`Default`): everything the verifier needs is its type, the trace
/// length and the public inputs. Implementations must declare the exact degree of every
/// constraint: the composition polynomial is built from the declarations, and a test holds
/// every component to the bounds [`crate::degree`] computes from the constraints themselves.
pub trait Component: Default + Send + Sync + 'static {
    /// Registry identifier, written into block proofs.
    const ID: ComponentId;
    /// Human-readable name.
    const NAME: &'static str;
    /// Main-trace column names; the width is their number.
    const COLUMNS: &'static [&'static str];
    /// A trace length the component requires, if any (e.g. a table of all 16-bit values).
    const FIXED_LENGTH: Option<usize> = None;
    /// The constraint degree the bus's helper columns may reach, when higher than the
    /// component's own constraints (0: no higher). Interactions are grouped into fewer helper
    /// columns the higher it is, at the cost of a larger composition polynomial; a component
    /// with many lookups raises it to stay within winterfell's 255 columns.
    const GROUPING_DEGREE: usize = 0;

    /// Degrees of the constraints written by [`Component::eval_transition`], in order.
    fn transition_degrees(&self) -> Vec<usize>;

    /// `out[i] = 0` on every valid pair of consecutive rows.
    fn eval_transition<V: Algebra>(&self, window: &Window<'_, V>, out: &mut [V]);

    /// Degrees of the constraints written by [`Component::eval_row`], in order.
    fn row_degrees(&self) -> Vec<usize> {
        Vec::new()
    }

    /// `out[i] = 0` on every valid row (all rows, the last included).
    fn eval_row<V: Algebra>(&self, _row: &[V], _out: &mut [V]) {}

    /// Boundary values of the main trace; winterfell needs at least one.
    fn boundary(&self) -> Vec<BoundaryValue> {
        Vec::new()
    }

    /// How far past this trace's shard offset the next trace of the same component in a block
    /// starts, for a trace of `rows` rows ([`shard_offsets`]): the range of tags a trace this
    /// long can use, for a component whose table may be split into shards that tag their bus
    /// messages from [`BoundaryValue::first_at_shard_offset`]. 0 (every trace at offset 0) for
    /// the others, which a block must hold at most once.
    fn shard_span(&self, _rows: usize) -> u64 {
        0
    }

    /// The shapes of the bus interactions, in the order [`Component::eval_interactions`]
    /// writes them.
    fn interactions(&self) -> Vec<Interaction>;

    /// Multiplicity and fields of each interaction at one row; `out.len()` equals the number
    /// of interactions. Every entry must be set at every row, with [`BusValues::set`] or
    /// [`BusValues::set_parts`] (the prover reuses `out` from row to row; setting clears the
    /// fields the previous row used, so an entry is never another row's).
    fn eval_interactions<V: Algebra>(&self, row: &[V], out: &mut [BusValues<V>]);

    /// Number of main-trace columns.
    fn width(&self) -> usize {
        Self::COLUMNS.len()
    }

    /// Checks a trace's shape against the layout.
    fn check_trace(&self, columns: &[Vec<Goldilocks>]) -> Result<usize, AirError> {
        if columns.len() != self.width() {
            return Err(AirError::Width {
                component: Self::NAME,
                expected: self.width(),
                got: columns.len(),
            });
        }
        let len = columns.first().map_or(0, Vec::len);
        if columns.iter().any(|c| c.len() != len) {
            return Err(AirError::Ragged {
                component: Self::NAME,
            });
        }
        if len < 8 || !len.is_power_of_two() {
            return Err(AirError::Length {
                component: Self::NAME,
                len,
            });
        }
        if let Some(expected) = Self::FIXED_LENGTH {
            if len != expected {
                return Err(AirError::FixedLength {
                    component: Self::NAME,
                    expected,
                    got: len,
                });
            }
        }
        Ok(len)
    }
}

/// Rows for `used` real rows plus at least one padding row (so that selector columns are never
/// constant), at least 8, a power of two.
pub fn padded_len(used: usize) -> usize {
    (used + 1).next_power_of_two().max(8)
}

/// Column names from `(first column, count, name)` groups, in a `const` context: every column
/// of a group takes the group's name, columns in no group take `default`.
pub const fn column_names<const W: usize>(
    default: &'static str,
    groups: &[(usize, usize, &'static str)],
) -> [&'static str; W] {
    let mut names = [default; W];
    let mut g = 0;
    while g < groups.len() {
        let (start, len, name) = groups[g];
        let mut i = 0;
        while i < len {
            names[start + i] = name;
            i += 1;
        }
        g += 1;
    }
    names
}

/// The column names of two layouts side by side, in a `const` context: a component made of two
/// others names its columns by theirs.
pub const fn joined_names<const W: usize>(
    first: &[&'static str],
    second: &[&'static str],
) -> [&'static str; W] {
    assert!(first.len() + second.len() == W, "the joined width");
    let mut names = [""; W];
    let mut i = 0;
    while i < W {
        names[i] = if i < first.len() {
            first[i]
        } else {
            second[i - first.len()]
        };
        i += 1;
    }
    names
}

/// A component's main trace, column-major, tagged with its registry id.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ComponentTrace {
    pub id: ComponentId,
    pub columns: Vec<Vec<Goldilocks>>,
}

impl ComponentTrace {
    /// Number of rows.
    pub fn len(&self) -> usize {
        self.columns.first().map_or(0, Vec::len)
    }

    /// True when the trace has no rows.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }
}
