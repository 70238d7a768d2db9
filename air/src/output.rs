//! The Output component: the bytes RETURN or REVERT hands back, read from memory and bound to
//! the statement's output.
//!
//! Only the transaction's own frame's RETURN or REVERT is read here: every frame's goes out
//! on [`OUTPUT_OP`] keyed by its frame id, and the header's `ctx` is 0, the transaction's own
//! frame's (the statement fixes it; a callee's id is its call's counter plus one, and its Call
//! row consumes its message). That frame ends at most once, so the table holds at most one
//! operation: a header row (row 0)
//! consuming the CPU's message `(ctr, ctx, offset, size)` on bus [`OUTPUT_OP`], then one row
//! per byte `i < size`, which reads memory byte `offset + i` from the RW table (counter
//! `ctr + i`) and consumes `(i, byte)` on bus [`OUTPUT`], where the verifier provides each byte
//! of the statement's output once. So the statement's output is exactly the `size` memory
//! bytes from `offset`, no more and no fewer.
//!
//! Layout: `live`, `header`, `ctx`, `ctr`, `offset`, `size`, `index`, `byte`.
//! - boundary: `header₀ = 1`, `index₀ = 0`; the last row is padding;
//! - row: `live`, `header` boolean, `header → live`, the header holds no byte;
//! - transition into a live row: no header again; `ctx`, `offset`, `size` stay; `index` and
//!   `ctr` advance by one after each byte row (`+ (1 − header)`);
//! - transition out of the last live row: `size = index + 1 − header` (the header alone when
//!   `size = 0`);
//! - live rows form a prefix.
//!
//! Bytes need no range check here: memory bytes are below 2⁸ (the Memory component checks
//! every write), and the statement's are bytes.

use crate::algebra::Algebra;
use crate::bus::{BusId, BusValues, Direction, Interaction, PublicMessage};
use crate::component::{padded_len, BoundaryValue, Component, Window};
use crate::registry::ComponentId;
use crate::rw::{Kind, RW};
use zkevm_field::Goldilocks;

/// Bus of the transaction's frame's RETURN or REVERT, provided by the CPU: `(ctr, ctx, offset,
/// size)`.
pub const OUTPUT_OP: BusId = 30;
/// Bus of output bytes, provided by the verifier from the statement: `(index, byte)`.
pub const OUTPUT: BusId = 31;

/// Column indices.
pub mod col {
    pub const LIVE: usize = 0;
    pub const HEADER: usize = 1;
    pub const CTX: usize = 2;
    pub const CTR: usize = 3;
    pub const OFFSET: usize = 4;
    pub const SIZE: usize = 5;
    pub const INDEX: usize = 6;
    pub const BYTE: usize = 7;
}

/// The bytes a RETURN or REVERT reads from memory.
#[derive(Debug, Default, Clone, Copy)]
pub struct Output;

impl Component for Output {
    const ID: ComponentId = ComponentId::Output;
    const NAME: &'static str = "output";
    const COLUMNS: &'static [&'static str] = &[
        "live", "header", "ctx", "ctr", "offset", "size", "index", "byte",
    ];

    fn transition_degrees(&self) -> Vec<usize> {
        vec![2, 1, 2, 2, 2, 3, 3, 3]
    }

    fn eval_transition<V: Algebra>(&self, w: &Window<'_, V>, out: &mut [V]) {
        let (c, n) = (w.current, w.next);
        let one = V::one();
        let live_next = n[col::LIVE];
        out[0] = (one - c[col::LIVE]) * live_next;
        out[1] = n[col::HEADER];
        out[2] = live_next * (n[col::CTX] - c[col::CTX]);
        out[3] = live_next * (n[col::OFFSET] - c[col::OFFSET]);
        out[4] = live_next * (n[col::SIZE] - c[col::SIZE]);
        let step = one - c[col::HEADER];
        out[5] = live_next * (n[col::INDEX] - c[col::INDEX] - step);
        out[6] = live_next * (n[col::CTR] - c[col::CTR] - step);
        let last = c[col::LIVE] * (one - live_next);
        out[7] = last * (c[col::SIZE] - c[col::INDEX] - step);
    }

    fn row_degrees(&self) -> Vec<usize> {
        vec![2, 2, 2, 2]
    }

    fn eval_row<V: Algebra>(&self, r: &[V], out: &mut [V]) {
        out[0] = r[col::LIVE].booleanity();
        out[1] = r[col::HEADER].booleanity();
        out[2] = r[col::HEADER] * (V::one() - r[col::LIVE]);
        out[3] = r[col::HEADER] * r[col::BYTE];
    }

    fn boundary(&self) -> Vec<BoundaryValue> {
        vec![
            BoundaryValue::first(col::HEADER, 1),
            BoundaryValue::first(col::INDEX, 0),
            BoundaryValue::first(col::CTX, 0),
            BoundaryValue::last(col::LIVE, 0),
        ]
    }

    fn interactions(&self) -> Vec<Interaction> {
        vec![
            Interaction::linear(OUTPUT_OP, Direction::Consume, 4),
            Interaction::linear(RW, Direction::Provide, 6),
            Interaction::linear(OUTPUT, Direction::Consume, 2),
        ]
    }

    fn eval_interactions<V: Algebra>(&self, r: &[V], out: &mut [BusValues<V>]) {
        let header = r[col::HEADER];
        let byte_row = r[col::LIVE] - header;
        let (ctx, ctr) = (r[col::CTX], r[col::CTR]);
        out[0].set(header, &[ctr, ctx, r[col::OFFSET], r[col::SIZE]]);
        let addr = r[col::OFFSET] + r[col::INDEX];
        let memory = V::from_u64(Kind::Memory as u64);
        out[1].set(byte_row, &[ctr, memory, ctx, addr, V::zero(), r[col::BYTE]]);
        out[2].set(byte_row, &[r[col::INDEX], r[col::BYTE]]);
    }
}

/// A frame's RETURN or REVERT: where its output came from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OutputOp {
    /// RW counter of the first byte read.
    pub ctr: u32,
    pub ctx: u32,
    pub offset: u32,
    pub bytes: Vec<u8>,
}

impl OutputOp {
    /// The CPU's message for it.
    pub fn fields(&self) -> [Goldilocks; 4] {
        [
            self.ctr as u64,
            self.ctx as u64,
            self.offset as u64,
            self.bytes.len() as u64,
        ]
        .map(Goldilocks::new)
    }

    /// The memory reads of its bytes.
    pub fn accesses(&self) -> impl Iterator<Item = crate::rw::Access> + '_ {
        self.bytes.iter().enumerate().map(|(i, &byte)| {
            let i = i as u32;
            crate::rw::Access::memory_byte(self.ctr + i, self.ctx, self.offset + i, false, byte)
        })
    }
}

/// The table of one operation.
pub fn trace(op: &OutputOp) -> Vec<Vec<Goldilocks>> {
    let rows = padded_len(op.bytes.len() + 1);
    let mut columns = vec![vec![Goldilocks::ZERO; rows]; Output::COLUMNS.len()];
    #[allow(clippy::needless_range_loop)] // a row index into several columns
    for r in 0..=op.bytes.len() {
        let mut set = |column: usize, value: u64| columns[column][r] = Goldilocks::new(value);
        let index = r.saturating_sub(1);
        set(col::LIVE, 1);
        set(col::HEADER, (r == 0) as u64);
        set(col::CTX, op.ctx as u64);
        set(col::CTR, (op.ctr + index as u32) as u64);
        set(col::OFFSET, op.offset as u64);
        set(col::SIZE, op.bytes.len() as u64);
        set(col::INDEX, index as u64);
        if r > 0 {
            set(col::BYTE, op.bytes[index] as u64);
        }
    }
    columns
}

/// What the verifier provides for an output: `(i, byte)` for each byte.
pub fn public_messages(output: &[u8]) -> impl Iterator<Item = PublicMessage> + '_ {
    output.iter().enumerate().map(|(i, &byte)| {
        PublicMessage::provide(
            OUTPUT,
            &[Goldilocks::new(i as u64), Goldilocks::new(byte as u64)],
        )
    })
}

#[cfg(test)]
mod tests;
