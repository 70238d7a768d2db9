//! Splits 32-bit words into 16-bit limbs and sends each word.
//!
//! Columns: `word`, `lo`, `hi`, `selector`. Row constraints (every row):
//! - `word − lo − 2¹⁶·hi = 0`;
//! - `selector·(selector − 1) = 0`.
//!
//! Boundary: `selector_{n−1} = 0` (the last row is padding).
//!
//! Bus, each with multiplicity `selector`: consumes `(RANGE16, lo)` and `(RANGE16, hi)`,
//! provides `(WORDS, word)`. With both limbs in `[0, 2¹⁶)`, `word < 2³²`.

use super::{column, padded_len, WORDS};
use crate::algebra::Algebra;
use crate::bus::{BusValues, Direction, Interaction};
use crate::component::{BoundaryValue, Component, Window};
use crate::registry::ComponentId;
use zkevm_field::Goldilocks;

/// The limb decomposition component.
#[derive(Debug, Default, Clone, Copy)]
pub struct Limbs;

impl Component for Limbs {
    const ID: ComponentId = ComponentId::Limbs;
    const NAME: &'static str = "limbs";
    const COLUMNS: &'static [&'static str] = &["word", "lo", "hi", "selector"];

    fn transition_degrees(&self) -> Vec<usize> {
        Vec::new()
    }

    fn eval_transition<V: Algebra>(&self, _w: &Window<'_, V>, _out: &mut [V]) {}

    fn row_degrees(&self) -> Vec<usize> {
        vec![1, 2]
    }

    fn eval_row<V: Algebra>(&self, row: &[V], out: &mut [V]) {
        let (word, lo, hi, selector) = (row[0], row[1], row[2], row[3]);
        out[0] = word - lo - V::from_u64(1 << 16) * hi;
        out[1] = selector.booleanity();
    }

    fn boundary(&self) -> Vec<BoundaryValue> {
        vec![BoundaryValue::last(3, 0)]
    }

    fn interactions(&self) -> Vec<Interaction> {
        let range = crate::range::lookup();
        vec![
            range,
            range,
            Interaction::linear(WORDS, Direction::Provide, 1),
        ]
    }

    fn eval_interactions<V: Algebra>(&self, row: &[V], out: &mut [BusValues<V>]) {
        let selector = row[3];
        out[0].set(selector, &[row[1]]);
        out[1].set(selector, &[row[2]]);
        out[2].set(selector, &[row[0]]);
    }
}

/// One row per word (selector 1), then zero padding rows.
pub fn trace(words: &[u32]) -> Vec<Vec<Goldilocks>> {
    let n = padded_len(words.len());
    vec![
        column(words.iter().map(|&w| w as u64), n),
        column(words.iter().map(|&w| (w & 0xffff) as u64), n),
        column(words.iter().map(|&w| (w >> 16) as u64), n),
        column(words.iter().map(|_| 1), n),
    ]
}
