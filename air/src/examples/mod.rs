//! Example components that exercise the bus: a 16-bit range table, a component that splits
//! 32-bit words into range-checked 16-bit limbs and sends each word, and a consumer that
//! receives the words and sums them. [`example_block`] builds consistent traces for all three.

mod accumulator;
pub mod fibonacci;
mod limbs;

pub use crate::range::{trace as range_trace, RangeTable, RANGE16};
pub use accumulator::{trace as accumulator_trace, Accumulator};
pub use limbs::{trace as limbs_trace, Limbs};

use crate::bus::BusId;
use crate::component::ComponentTrace;
use crate::registry::ComponentId;
use zkevm_field::Goldilocks;

/// Bus of 32-bit words sent by [`Limbs`] and consumed by [`Accumulator`]: `(WORDS, word)`.
pub const WORDS: BusId = 2;

pub use crate::component::padded_len;

/// Traces of a block proving that `words` were split into 16-bit limbs and summed:
/// `[Range16, Limbs, Accumulator]`.
pub fn example_block(words: &[u32]) -> Vec<ComponentTrace> {
    vec![
        ComponentTrace {
            id: ComponentId::Range16,
            columns: range_trace(words),
        },
        ComponentTrace {
            id: ComponentId::Limbs,
            columns: limbs_trace(words),
        },
        ComponentTrace {
            id: ComponentId::Accumulator,
            columns: accumulator_trace(words),
        },
    ]
}

fn column(values: impl IntoIterator<Item = u64>, len: usize) -> Vec<Goldilocks> {
    let mut out: Vec<Goldilocks> = values.into_iter().map(Goldilocks::new).collect();
    out.resize(len, Goldilocks::ZERO);
    out
}

#[cfg(test)]
mod tests;
