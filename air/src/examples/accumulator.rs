//! Receives words and sums them.
//!
//! Columns: `word`, `selector`, `acc`.
//! - row: `selector·(selector − 1) = 0`;
//! - transition: `acc' − acc − selector·word = 0`;
//! - boundary: `acc₀ = 0`;
//! - bus: consumes `(WORDS, word)` with multiplicity `selector`.

use super::{column, padded_len, WORDS};
use crate::algebra::Algebra;
use crate::bus::{BusValues, Direction, Interaction};
use crate::component::{BoundaryValue, Component, Window};
use crate::registry::ComponentId;
use zkevm_field::Goldilocks;

/// The word consumer.
#[derive(Debug, Default, Clone, Copy)]
pub struct Accumulator;

impl Component for Accumulator {
    const ID: ComponentId = ComponentId::Accumulator;
    const NAME: &'static str = "accumulator";
    const COLUMNS: &'static [&'static str] = &["word", "selector", "acc"];

    fn transition_degrees(&self) -> Vec<usize> {
        vec![2]
    }

    fn eval_transition<V: Algebra>(&self, w: &Window<'_, V>, out: &mut [V]) {
        out[0] = w.next[2] - w.current[2] - w.current[1] * w.current[0];
    }

    fn row_degrees(&self) -> Vec<usize> {
        vec![2]
    }

    fn eval_row<V: Algebra>(&self, row: &[V], out: &mut [V]) {
        out[0] = row[1].booleanity();
    }

    fn boundary(&self) -> Vec<BoundaryValue> {
        vec![BoundaryValue::first(2, 0)]
    }

    fn interactions(&self) -> Vec<Interaction> {
        vec![Interaction::linear(WORDS, Direction::Consume, 1)]
    }

    fn eval_interactions<V: Algebra>(&self, row: &[V], out: &mut [BusValues<V>]) {
        out[0].set(row[1], &[row[0]]);
    }
}

/// One row per word (selector 1) with the running sum, then padding rows.
pub fn trace(words: &[u32]) -> Vec<Vec<Goldilocks>> {
    let n = padded_len(words.len());
    let mut acc = Vec::with_capacity(n);
    let mut sum = Goldilocks::ZERO;
    for r in 0..n {
        acc.push(sum);
        if let Some(&w) = words.get(r) {
            sum += Goldilocks::new(w as u64);
        }
    }
    vec![
        column(words.iter().map(|&w| w as u64), n),
        column(words.iter().map(|_| 1), n),
        acc,
    ]
}
