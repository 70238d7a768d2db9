//! The Copy component: CALLDATACOPY, CODECOPY and MCOPY, one row per byte copied into memory.
//!
//! The CPU provides `(ctr, ctx, dest, src, size, opcode)` on bus [`COPY_OP`] for each copy of
//! `size > 0` bytes (an empty copy touches nothing). An operation occupies `size` consecutive
//! rows: row `i` takes source byte `src + i` from the verifier and writes it to memory byte
//! `dest + i` (RW counter `ctr + i`).
//!
//! The source is public data: calldata and the executing code are in the statement, so the
//! verifier provides `(opcode, index, byte)` on bus [`COPY_SOURCE`] for every index the
//! statement says is copied, with the byte it computes itself (0 past the end, as the EVM
//! pads) and the claimed number of copies as multiplicity (a hint: wrong counts unbalance the
//! bus).
//!
//! MCOPY's source is memory itself: its row `i` reads byte `src + i` (RW counter `ctr + i`)
//! and writes it to `dest + i` (counter `ctr + size + i`), so every read comes before every
//! write and overlapping ranges copy as the EVM's memmove does. `is_mcopy` is pinned by the
//! opcode: `(opcode − 0x37)(opcode − 0x39) = is_mcopy·(0x5e − 0x37)(0x5e − 0x39)` on live rows
//! (the CPU's message fixes the opcode to one of the three), and 0 on padding rows.
//!
//! Layout: `live`, `first`, `ctx`, `ctr`, `dest`, `src`, `size`, `opcode`, `index`, `byte`,
//! `is_mcopy`.
//! - row: `live`, `first` boolean; `first → live`, `first → index = 0`;
//! - transition into a row continuing an operation (`cont = live′·(1 − first′)`): `ctx`,
//!   `dest`, `src`, `size`, `opcode` stay, `index′ = index + 1`, `ctr′ = ctr + 1`;
//! - transition out of a live row no next row continues: `index = size − 1`;
//! - boundary: row 0 starts an operation; the last row is padding.
//!
//! So each operation is exactly `size` rows. Bytes written are below 2⁸ (the verifier's), as
//! the Memory component's invariant requires; addresses stay below 2³² because the CPU bounds
//! `dest + size` by the memory size.

use crate::algebra::Algebra;
use crate::bus::{BusId, BusValues, Direction, Interaction, PublicMessage};
use crate::component::{padded_len, BoundaryValue, Component, Window};
use crate::registry::ComponentId;
use crate::rw::{Access, Kind, RW};
use zkevm_field::Goldilocks;

/// Bus of copies, provided by the CPU: `(ctr, ctx, dest, src, size, opcode)`.
pub const COPY_OP: BusId = 32;
/// Bus of copied source bytes, provided by the verifier: `(opcode, index, byte)`.
pub const COPY_SOURCE: BusId = 33;

/// Column indices.
pub mod col {
    pub const LIVE: usize = 0;
    pub const FIRST: usize = 1;
    pub const CTX: usize = 2;
    pub const CTR: usize = 3;
    pub const DEST: usize = 4;
    pub const SRC: usize = 5;
    pub const SIZE: usize = 6;
    pub const OPCODE: usize = 7;
    pub const INDEX: usize = 8;
    pub const BYTE: usize = 9;
    pub const IS_MCOPY: usize = 10;
}

const CALLDATACOPY: u64 = 0x37;
const CODECOPY: u64 = 0x39;
/// MCOPY's opcode.
pub const MCOPY: u8 = 0x5e;

/// Byte copies from calldata or code into memory.
#[derive(Debug, Default, Clone, Copy)]
pub struct Copy;

impl Component for Copy {
    const ID: ComponentId = ComponentId::Copy;
    const NAME: &'static str = "copy";
    const COLUMNS: &'static [&'static str] = &[
        "live", "first", "ctx", "ctr", "dest", "src", "size", "opcode", "index", "byte", "is_mcopy",
    ];

    fn transition_degrees(&self) -> Vec<usize> {
        vec![2, 3, 3, 3, 3, 3, 3, 3, 4]
    }

    fn eval_transition<V: Algebra>(&self, w: &Window<'_, V>, out: &mut [V]) {
        let (c, n) = (w.current, w.next);
        let one = V::one();
        let cont = n[col::LIVE] * (one - n[col::FIRST]);
        out[0] = (one - c[col::LIVE]) * n[col::LIVE];
        for (k, column) in [col::CTX, col::DEST, col::SRC, col::SIZE, col::OPCODE]
            .into_iter()
            .enumerate()
        {
            out[1 + k] = cont * (n[column] - c[column]);
        }
        out[6] = cont * (n[col::INDEX] - c[col::INDEX] - one);
        out[7] = cont * (n[col::CTR] - c[col::CTR] - one);
        out[8] = c[col::LIVE] * (one - cont) * (c[col::SIZE] - c[col::INDEX] - one);
    }

    fn row_degrees(&self) -> Vec<usize> {
        vec![2, 2, 2, 2, 2, 2, 2]
    }

    fn eval_row<V: Algebra>(&self, r: &[V], out: &mut [V]) {
        out[0] = r[col::LIVE].booleanity();
        out[1] = r[col::FIRST].booleanity();
        out[2] = r[col::FIRST] * (V::one() - r[col::LIVE]);
        out[3] = r[col::FIRST] * r[col::INDEX];
        let opcode = r[col::OPCODE];
        let not_mcopy = (opcode - V::from_u64(CALLDATACOPY)) * (opcode - V::from_u64(CODECOPY));
        let mcopy = V::from_u64((MCOPY as u64 - CALLDATACOPY) * (MCOPY as u64 - CODECOPY));
        let padding = (V::one() - r[col::LIVE]) * V::from_u64(CALLDATACOPY * CODECOPY);
        out[4] = not_mcopy - r[col::IS_MCOPY] * mcopy - padding;
        // On padding rows the opcode is free: keep is_mcopy a bit, and 0 there.
        out[5] = r[col::IS_MCOPY].booleanity();
        out[6] = (V::one() - r[col::LIVE]) * r[col::IS_MCOPY];
    }

    fn boundary(&self) -> Vec<BoundaryValue> {
        vec![
            BoundaryValue::first(col::FIRST, 1),
            BoundaryValue::last(col::LIVE, 0),
        ]
    }

    fn interactions(&self) -> Vec<Interaction> {
        vec![
            Interaction::linear(COPY_OP, Direction::Consume, 6),
            Interaction::linear(COPY_SOURCE, Direction::Consume, 3),
            Interaction {
                field_degree: 2,
                ..Interaction::linear(RW, Direction::Provide, 6)
            },
            Interaction::linear(RW, Direction::Provide, 6),
        ]
    }

    fn eval_interactions<V: Algebra>(&self, r: &[V], out: &mut [BusValues<V>]) {
        let live = r[col::LIVE];
        let (ctx, ctr, opcode) = (r[col::CTX], r[col::CTR], r[col::OPCODE]);
        out[0] = BusValues::new(
            r[col::FIRST],
            &[ctr, ctx, r[col::DEST], r[col::SRC], r[col::SIZE], opcode],
        );
        let (index, byte, mcopy) = (r[col::INDEX], r[col::BYTE], r[col::IS_MCOPY]);
        let source = r[col::SRC] + index;
        out[1] = BusValues::new(live - mcopy, &[opcode, source, byte]);
        let memory = V::from_u64(Kind::Memory as u64);
        let addr = r[col::DEST] + index;
        let write_ctr = ctr + mcopy * r[col::SIZE];
        out[2] = BusValues::new(live, &[write_ctr, memory, ctx, addr, V::one(), byte]);
        out[3] = BusValues::new(mcopy, &[ctr, memory, ctx, source, V::zero(), byte]);
    }
}

/// One copy of the CPU: the bytes it copies, from `src` in the source to `dest` in memory.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CopyOp {
    /// RW counter of the first byte written (MCOPY: of the first byte read; its writes
    /// follow all its reads).
    pub ctr: u32,
    pub ctx: u32,
    pub dest: u32,
    /// The source offset; [`FAR_SOURCE`] for a CALLDATACOPY / CODECOPY from 2³² or beyond.
    pub src: u64,
    pub opcode: u8,
    /// Not empty (empty copies send nothing).
    pub bytes: Vec<u8>,
}

impl CopyOp {
    /// The CPU's message for it.
    pub fn fields(&self) -> [Goldilocks; 6] {
        [
            self.ctr as u64,
            self.ctx as u64,
            self.dest as u64,
            self.src,
            self.bytes.len() as u64,
            self.opcode as u64,
        ]
        .map(Goldilocks::new)
    }

    /// Its memory accesses: MCOPY's reads of its source bytes, then the writes of every copy.
    pub fn accesses(&self) -> impl Iterator<Item = Access> + '_ {
        let len = self.bytes.len() as u32;
        let reads = match self.opcode == MCOPY {
            true => len,
            false => 0,
        };
        let read = self.bytes.iter().take(reads as usize).enumerate();
        let read = read.map(move |(i, &byte)| {
            let i = i as u32;
            // MCOPY's source is memory, below 2³² (the CPU bounds it by the memory size).
            Access::memory_byte(self.ctr + i, self.ctx, self.src as u32 + i, false, byte)
        });
        let write = self.bytes.iter().enumerate().map(move |(i, &byte)| {
            let i = i as u32;
            Access::memory_byte(self.ctr + reads + i, self.ctx, self.dest + i, true, byte)
        });
        read.chain(write)
    }
}

/// The table of `ops` (at least one), in order, padding rows after.
pub fn trace(ops: &[CopyOp]) -> Vec<Vec<Goldilocks>> {
    let used: usize = ops.iter().map(|o| o.bytes.len()).sum();
    let rows = padded_len(used);
    let mut columns = vec![vec![Goldilocks::ZERO; rows]; Copy::COLUMNS.len()];
    columns[col::FIRST][0] = Goldilocks::ONE;
    let mut r = 0;
    for op in ops {
        for (i, &byte) in op.bytes.iter().enumerate() {
            let mut set = |column: usize, value: u64| columns[column][r] = Goldilocks::new(value);
            set(col::LIVE, 1);
            set(col::FIRST, (i == 0) as u64);
            set(col::CTX, op.ctx as u64);
            set(col::CTR, (op.ctr + i as u32) as u64);
            set(col::DEST, op.dest as u64);
            set(col::SRC, op.src);
            set(col::SIZE, op.bytes.len() as u64);
            set(col::OPCODE, op.opcode as u64);
            set(col::INDEX, i as u64);
            set(col::BYTE, byte as u64);
            set(col::IS_MCOPY, (op.opcode == MCOPY) as u64);
            r += 1;
        }
    }
    columns
}

/// The source offset the CPU names for a CALLDATACOPY or CODECOPY whose offset is 2³² or more
/// (its row proves that). Calldata and code are shorter than 2³² bytes, so every byte from
/// here on is past their end and reads as 0, which is what the EVM copies from such an offset.
pub const FAR_SOURCE: u64 = 1 << 32;

/// The source byte the EVM copies from `data` at `index`: 0 past the end.
pub fn source_byte(data: &[u8], index: u64) -> u8 {
    usize::try_from(index)
        .ok()
        .and_then(|i| data.get(i))
        .copied()
        .unwrap_or(0)
}

/// What the verifier provides for the copied bytes: `(opcode, index, byte)` with the claimed
/// count, the byte taken from `source(opcode)`.
pub fn public_messages<'a>(
    reads: &'a [(u8, u64, u64)],
    source: impl Fn(u8) -> &'a [u8] + 'a,
) -> impl Iterator<Item = PublicMessage> + 'a {
    reads.iter().map(move |&(opcode, index, count)| {
        let byte = source_byte(source(opcode), index);
        PublicMessage {
            multiplicity: Goldilocks::new(count),
            ..PublicMessage::provide(
                COPY_SOURCE,
                &[
                    Goldilocks::new(opcode as u64),
                    Goldilocks::new(index),
                    Goldilocks::new(byte as u64),
                ],
            )
        }
    })
}

#[cfg(test)]
mod tests;
