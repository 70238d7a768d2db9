//! The Copy component: CALLDATACOPY, CODECOPY and MCOPY, one row per byte copied into memory;
//! KECCAK256, one row per byte of its padded message.
//!
//! The CPU provides `(ctr, ctx, dest, src, size, opcode)` on bus [`COPY_OP`] for each copy of
//! `size > 0` bytes (an empty copy touches nothing) and each KECCAK256 (below). A copy
//! occupies `size` consecutive rows: row `i` takes source byte `src + i` (below) and writes it
//! to memory byte `dest + i` (RW counter `ctr + i`).
//!
//! The source arrives as `(opcode, index, byte)` on bus [`COPY_SOURCE`]: for calldata (in the
//! statement) and for code bytes past the code's end (zeros, as the EVM pads) the verifier
//! provides it for every index the statement says is copied, computing the byte itself, with
//! the claimed number of copies as multiplicity (a hint: wrong counts unbalance the bus); the
//! code's own bytes come from the [`crate::bytecode::Bytecode`] component, whose bytes the
//! statement's code hash pins. CODECOPY's source index names its code: the CPU sends the
//! source offset as [`code_source`]`(code_id, offset)`, so a CODECOPY copies only the code
//! its frame runs (a transaction's own, or a callee's), an EXTCODECOPY only the code the
//! statement gives its address (as a CODECOPY of it; id 0 for none), and past its end the
//! verifier's zeros for that code.
//!
//! MCOPY's source is memory itself: its row `i` reads byte `src + i` (RW counter `ctr + i`)
//! and writes it to `dest + i` (counter `ctr + size + i`), so every read comes before every
//! write and overlapping ranges copy as the EVM's memmove does.
//!
//! A call's copies are MCOPYs between frames, provided by its Call row as `(ctr, ctx, dest,
//! src, size, src_ctx)` on bus [`RETURN_COPY`] (`ctx` the frame written, `src_ctx` the frame
//! read): the argument copy, from the caller's argument window into the callee's memory at
//! [`crate::cpu::CALLDATA_BASE`] (its calldata), before the callee's first step; and the
//! return copy, when a callee's RETURN or REVERT hands back bytes and the caller's return
//! window is not empty, from the callee's output into that window (`size` the lesser of
//! the two sizes, `ctr` the counter after the callee's last step). A RETURNDATACOPY step
//! provides the same message from its CPU row (from the last callee's output). Its rows carry MCOPY's opcode and `is_return`,
//! and read from `src_ctx`; every other operation reads from its own frame (`src_ctx =
//! ctx`) and consumes the CPU's message instead. `is_mcopy` is pinned by the
//! opcode: `P(opcode) = is_mcopy·P(0x5e)` with `P(x) = (x − 0x37)(x − 0x39)(x − 0x20)` on
//! live rows (the CPU's message fixes the opcode to one of the four), and 0 on padding rows;
//! `is_keccak` likewise, by the polynomial vanishing on the other three opcodes.
//!
//! KECCAK256's source is memory too, and it writes nothing: the CPU provides `(ctr, ctx, 0,
//! offset, size, 0x20)`, and the operation spans `span = 136·(⌊size/136⌋ + 1)` rows, the
//! padded message. Row `i` provides `(ctr, i, byte)` on [`SPONGE_BYTES`]; while `is_data`
//! (`i < size`) the byte is read from memory at `offset + i` (RW counter `ctr + i`), after
//! that it is the padding: `pad_start` (1 at `i = size`) plus `0x80` on the operation's last
//! row. `is_data` only falls, falls where `index = size` (the row marked `pad_start`), and is
//! 0 on the last row; the sponge consumes whole blocks, so `span` is a multiple of 136, and
//! `(136 + size − span)·2⁸` is range-checked, so `span − size ≤ 136`: `span` is the one
//! multiple of 136 in `(size, size + 136]`. (`span < 2³²` counts rows and `size < 2²¹` is
//! bounded by the CPU, so a negative difference would be far outside the range.)
//!
//! Layout: `live`, `first`, `ctx`, `ctr`, `dest`, `src`, `size`, `opcode`, `index`, `byte`,
//! `is_mcopy`, `is_keccak`, `is_data`, `pad_start`, `span`, `src_ctx`, `is_return`.
//! - row: `live`, `first` boolean; `first → live`, `first → index = 0`; `span = size` except
//!   for KECCAK256;
//! - transition into a row continuing an operation (`cont = live′·(1 − first′)`): `ctx`,
//!   `dest`, `src`, `size`, `opcode`, `span`, `src_ctx`, `is_return` stay, `index′ = index + 1`, `ctr′ = ctr + 1`;
//! - transition out of a live row no next row continues: `index = span − 1`;
//! - boundary: row 0 starts an operation; the last row is padding.
//!
//! So each operation is exactly `span` rows. Bytes written are below 2⁸ (the verifier's), as
//! the Memory component's invariant requires; a step's written addresses stay below 2²¹
//! because the CPU bounds `dest + size` by the memory size (a return copy's by the caller's
//! window, which its call row grew memory to), and an argument copy writes from
//! [`crate::cpu::CALLDATA_BASE`] up, below 2³² (arguments are below 2²¹ bytes).

use crate::algebra::Algebra;
use crate::bus::{BusId, BusValues, Direction, Interaction, PublicMessage};
use crate::component::{padded_len, BoundaryValue, Component, Window};
use crate::registry::ComponentId;
use crate::rw::{Access, Kind, RW};
use crate::sponge::{self, RATE, SPONGE_BYTES};
use std::borrow::Cow;
use zkevm_field::Goldilocks;

/// Bus of copies, provided by the CPU: `(ctr, ctx, dest, src, size, opcode)`.
pub const COPY_OP: BusId = 32;
/// Bus of copied source bytes, provided by the verifier: `(opcode, index, byte)`.
pub const COPY_SOURCE: BusId = 33;
/// Bus of return copies, provided by the Call component: `(ctr, ctx, dest, src, size,
/// src_ctx)`.
pub const RETURN_COPY: BusId = 51;

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
    pub const IS_KECCAK: usize = 11;
    pub const IS_DATA: usize = 12;
    pub const PAD_START: usize = 13;
    pub const SPAN: usize = 14;
    /// The frame read from: `ctx` except for a return copy, which reads its callee's memory.
    pub const SRC_CTX: usize = 15;
    pub const IS_RETURN: usize = 16;
}

/// CALLDATACOPY's opcode (the verifier provides its source bytes from the calldata).
pub const CALLDATACOPY: u64 = 0x37;
/// CODECOPY's opcode (the Bytecode component provides its in-code source bytes).
pub const CODECOPY: u64 = 0x39;
/// MCOPY's opcode.
pub const MCOPY: u8 = 0x5e;
/// KECCAK256's opcode.
pub const KECCAK256: u8 = 0x20;

/// `(x − a)(x − b)(x − c)` for the three opcodes other than `x`'s own.
fn vanishing<V: Algebra>(x: V, others: [u64; 3]) -> V {
    others
        .into_iter()
        .fold(V::one(), |product, o| product * (x - V::from_u64(o)))
}

const NOT_MCOPY: [u64; 3] = [CALLDATACOPY, CODECOPY, KECCAK256 as u64];
const NOT_KECCAK: [u64; 3] = [CALLDATACOPY, CODECOPY, MCOPY as u64];
/// `(136 + size − span)` is range-checked shifted left by this: below 2⁸.
const SPAN_SHIFT: u32 = 8;

/// Byte copies from calldata or code into memory, and KECCAK256's message bytes.
#[derive(Debug, Default, Clone, Copy)]
pub struct Copy;

impl Component for Copy {
    const ID: ComponentId = ComponentId::Copy;
    const NAME: &'static str = "copy";
    const COLUMNS: &'static [&'static str] = &[
        "live",
        "first",
        "ctx",
        "ctr",
        "dest",
        "src",
        "size",
        "opcode",
        "index",
        "byte",
        "is_mcopy",
        "is_keccak",
        "is_data",
        "pad_start",
        "span",
        "src_ctx",
        "is_return",
    ];

    fn transition_degrees(&self) -> Vec<usize> {
        vec![2, 3, 3, 3, 3, 3, 3, 3, 3, 4, 4, 3, 3, 4, 3, 3]
    }

    fn eval_transition<V: Algebra>(&self, w: &Window<'_, V>, out: &mut [V]) {
        let (c, n) = (w.current, w.next);
        let one = V::one();
        let cont = n[col::LIVE] * (one - n[col::FIRST]);
        out[0] = (one - c[col::LIVE]) * n[col::LIVE];
        for (k, column) in [
            col::CTX,
            col::DEST,
            col::SRC,
            col::SIZE,
            col::OPCODE,
            col::SPAN,
        ]
        .into_iter()
        .enumerate()
        {
            out[1 + k] = cont * (n[column] - c[column]);
        }
        out[7] = cont * (n[col::INDEX] - c[col::INDEX] - one);
        out[8] = cont * (n[col::CTR] - c[col::CTR] - one);
        out[9] = c[col::LIVE] * (one - cont) * (c[col::SPAN] - c[col::INDEX] - one);
        // KECCAK256: the data rows, then the padding, which starts where `is_data` falls and
        // ends on the operation's last row.
        let (data, data_next) = (c[col::IS_DATA], n[col::IS_DATA]);
        out[10] = cont * data_next * (one - data);
        out[11] = cont * (n[col::PAD_START] - data + data_next);
        out[12] = (one - cont) * data;
        let last_byte = (one - cont) * V::from_u64(0x80);
        out[13] = c[col::IS_KECCAK] * (one - data) * (c[col::BYTE] - c[col::PAD_START] - last_byte);
        for (k, column) in [col::SRC_CTX, col::IS_RETURN].into_iter().enumerate() {
            out[14 + k] = cont * (n[column] - c[column]);
        }
    }

    fn row_degrees(&self) -> Vec<usize> {
        vec![2, 2, 2, 2, 3, 3, 2, 2, 2, 2, 2, 2, 3, 2, 2, 2, 2, 2]
    }

    fn eval_row<V: Algebra>(&self, r: &[V], out: &mut [V]) {
        out[0] = r[col::LIVE].booleanity();
        out[1] = r[col::FIRST].booleanity();
        out[2] = r[col::FIRST] * (V::one() - r[col::LIVE]);
        out[3] = r[col::FIRST] * r[col::INDEX];
        let (one, live) = (V::one(), r[col::LIVE]);
        let opcode = r[col::OPCODE];
        let (mcopy, keccak) = (r[col::IS_MCOPY], r[col::IS_KECCAK]);
        // On padding rows the opcode is 0 (or another root), and both flags 0.
        let pinned = [(mcopy, NOT_MCOPY, MCOPY), (keccak, NOT_KECCAK, KECCAK256)];
        for (k, (flag, others, own)) in pinned.into_iter().enumerate() {
            let at_zero = vanishing(V::zero(), others);
            let at_own = vanishing(V::from_u64(own as u64), others);
            out[4 + k] = vanishing(opcode, others) - flag * at_own - (one - live) * at_zero;
        }
        out[6] = mcopy.booleanity();
        out[7] = (one - live) * mcopy;
        out[8] = keccak.booleanity();
        out[9] = (one - live) * keccak;
        out[10] = r[col::IS_DATA].booleanity();
        out[11] = (one - keccak) * r[col::IS_DATA];
        // A KECCAK256 of nothing starts with its padding.
        out[12] = r[col::FIRST] * (r[col::PAD_START] - keccak * (one - r[col::IS_DATA]));
        out[13] = r[col::PAD_START] * (r[col::INDEX] - r[col::SIZE]);
        out[14] = (live - keccak) * (r[col::SPAN] - r[col::SIZE]);
        // A return copy is an MCOPY from another frame; every other operation reads its own.
        let is_return = r[col::IS_RETURN];
        out[15] = is_return.booleanity();
        out[16] = is_return * (one - mcopy);
        out[17] = (one - is_return) * (r[col::SRC_CTX] - r[col::CTX]);
    }

    fn boundary(&self) -> Vec<BoundaryValue> {
        vec![
            BoundaryValue::first(col::FIRST, 1),
            BoundaryValue::last(col::LIVE, 0),
        ]
    }

    fn interactions(&self) -> Vec<Interaction> {
        vec![
            Interaction {
                multiplicity_degree: 2,
                ..Interaction::linear(COPY_OP, Direction::Consume, 6)
            },
            Interaction::linear(COPY_SOURCE, Direction::Consume, 3),
            Interaction {
                field_degree: 2,
                ..Interaction::linear(RW, Direction::Provide, 6)
            },
            Interaction::linear(RW, Direction::Provide, 6),
            Interaction::linear(SPONGE_BYTES, Direction::Provide, 3),
            Interaction {
                multiplicity_degree: 2,
                ..crate::range::lookup()
            },
            Interaction {
                multiplicity_degree: 2,
                ..Interaction::linear(RETURN_COPY, Direction::Consume, 6)
            },
        ]
    }

    fn eval_interactions<V: Algebra>(&self, r: &[V], out: &mut [BusValues<V>]) {
        let live = r[col::LIVE];
        let (ctx, ctr, opcode) = (r[col::CTX], r[col::CTR], r[col::OPCODE]);
        let (first, is_return, src_ctx) = (r[col::FIRST], r[col::IS_RETURN], r[col::SRC_CTX]);
        let (dest, src, size) = (r[col::DEST], r[col::SRC], r[col::SIZE]);
        out[0].set(
            first * (V::one() - is_return),
            &[ctr, ctx, dest, src, size, opcode],
        );
        out[6].set(first * is_return, &[ctr, ctx, dest, src, size, src_ctx]);
        let (index, byte, mcopy) = (r[col::INDEX], r[col::BYTE], r[col::IS_MCOPY]);
        let keccak = r[col::IS_KECCAK];
        let source = r[col::SRC] + index;
        out[1].set(live - mcopy - keccak, &[opcode, source, byte]);
        let memory = V::from_u64(Kind::Memory as u64);
        let addr = r[col::DEST] + index;
        let write_ctr = ctr + mcopy * r[col::SIZE];
        out[2].set(
            live - keccak,
            &[write_ctr, memory, ctx, addr, V::one(), byte],
        );
        // MCOPY reads every byte, KECCAK256 its data bytes.
        let reads = mcopy + r[col::IS_DATA];
        out[3].set(reads, &[ctr, memory, src_ctx, source, V::zero(), byte]);
        out[4].set(keccak, &[ctr - index, index, byte]);
        let excess = V::from_u64(RATE as u64) + r[col::SIZE] - r[col::SPAN];
        out[5].set(
            r[col::FIRST] * keccak,
            &[excess * V::from_u64(1 << SPAN_SHIFT)],
        );
    }
}

/// One copy of the CPU: the bytes it copies, from `src` in the source to `dest` in memory;
/// or a KECCAK256: the bytes it hashes, from `src` in memory (`dest` 0).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CopyOp {
    /// RW counter of the first byte written (MCOPY, KECCAK256: of the first byte read; MCOPY's
    /// writes follow all its reads).
    pub ctr: u32,
    pub ctx: u32,
    /// The frame whose memory an MCOPY reads: `ctx`, or for a call's return copy its callee.
    pub src_ctx: u32,
    pub dest: u32,
    /// The source offset; [`FAR_SOURCE`] for a CALLDATACOPY / CODECOPY from 2³² or beyond;
    /// CODECOPY's keyed by its code ([`code_source`]).
    pub src: u64,
    pub opcode: u8,
    /// Not empty (empty copies send nothing), except for KECCAK256.
    pub bytes: Vec<u8>,
}

impl CopyOp {
    /// A call's return copy: reads another frame's memory (its message comes from the call).
    pub fn is_return(&self) -> bool {
        self.src_ctx != self.ctx
    }

    /// Its message: the CPU's, or for a return copy the Call row's.
    pub fn fields(&self) -> [Goldilocks; 6] {
        let last = match self.is_return() {
            true => self.src_ctx as u64,
            false => self.opcode as u64,
        };
        [
            self.ctr as u64,
            self.ctx as u64,
            self.dest as u64,
            self.src,
            self.bytes.len() as u64,
            last,
        ]
        .map(Goldilocks::new)
    }

    /// The bytes its rows carry: the copied bytes, or KECCAK256's padded message.
    pub fn row_bytes(&self) -> Cow<'_, [u8]> {
        match self.opcode {
            KECCAK256 => Cow::Owned(sponge::padded(&self.bytes)),
            _ => Cow::Borrowed(&self.bytes),
        }
    }

    /// Its rows, `span`: the size, or KECCAK256's padded length.
    pub fn span(&self) -> usize {
        match self.opcode {
            KECCAK256 => sponge::padded_size(self.bytes.len()),
            _ => self.bytes.len(),
        }
    }

    /// Its memory accesses: MCOPY's and KECCAK256's reads of their source bytes, then the
    /// writes of every copy (none for KECCAK256).
    pub fn accesses(&self) -> impl Iterator<Item = Access> + '_ {
        let len = self.bytes.len() as u32;
        let reads = match self.opcode {
            MCOPY | KECCAK256 => len,
            _ => 0,
        };
        let writes = match self.opcode {
            KECCAK256 => 0,
            _ => len as usize,
        };
        let read = self.bytes.iter().take(reads as usize).enumerate();
        let read = read.map(move |(i, &byte)| {
            let i = i as u32;
            // MCOPY's source is memory, below 2³² (the CPU bounds it by the memory size).
            Access::memory_byte(self.ctr + i, self.src_ctx, self.src as u32 + i, false, byte)
        });
        let write = self.bytes.iter().take(writes).enumerate();
        let write = write.map(move |(i, &byte)| {
            let i = i as u32;
            Access::memory_byte(self.ctr + reads + i, self.ctx, self.dest + i, true, byte)
        });
        read.chain(write)
    }
}

/// The 16-bit values the KECCAK256 operations among `ops` look up: `(136 + size − span)·2⁸`.
pub fn range_lookups(ops: &[CopyOp]) -> impl Iterator<Item = u16> + '_ {
    ops.iter().filter(|op| op.opcode == KECCAK256).map(|op| {
        let excess = RATE + op.bytes.len() - op.span();
        (excess << SPAN_SHIFT) as u16
    })
}

/// The table of `ops` (at least one), in order, padding rows after.
pub fn trace(ops: &[CopyOp]) -> Vec<Vec<Goldilocks>> {
    let rows = padded_len(ops.iter().map(CopyOp::span).sum());
    let mut columns = vec![vec![Goldilocks::ZERO; rows]; Copy::COLUMNS.len()];
    columns[col::FIRST][0] = Goldilocks::ONE;
    let mut r = 0;
    for op in ops {
        let bytes = op.row_bytes();
        let size = op.bytes.len();
        let keccak = op.opcode == KECCAK256;
        for (i, &byte) in bytes.iter().enumerate() {
            let mut set = |column: usize, value: u64| columns[column][r] = Goldilocks::new(value);
            set(col::LIVE, 1);
            set(col::FIRST, (i == 0) as u64);
            set(col::CTX, op.ctx as u64);
            set(col::CTR, (op.ctr + i as u32) as u64);
            set(col::DEST, op.dest as u64);
            set(col::SRC, op.src);
            set(col::SIZE, size as u64);
            set(col::OPCODE, op.opcode as u64);
            set(col::INDEX, i as u64);
            set(col::BYTE, byte as u64);
            set(col::IS_MCOPY, (op.opcode == MCOPY) as u64);
            set(col::IS_KECCAK, keccak as u64);
            set(col::IS_DATA, (keccak && i < size) as u64);
            set(col::PAD_START, (keccak && i == size) as u64);
            set(col::SPAN, bytes.len() as u64);
            set(col::SRC_CTX, op.src_ctx as u64);
            set(col::IS_RETURN, op.is_return() as u64);
            r += 1;
        }
    }
    columns
}

/// Code ids are spaced this far apart in CODECOPY's source index: offsets stay below it
/// (an offset is below 2³², [`FAR_SOURCE`] included, and a copy is shorter than 2²¹ bytes).
pub const CODE_SOURCE_STRIDE: u64 = 1 << 33;

/// CODECOPY's source index of byte `offset` of code `code_id`: one index per (code, offset)
/// while offsets stay below [`CODE_SOURCE_STRIDE`] and ids below 2³⁰ (no wrap modulo p).
pub fn code_source(code_id: u64, offset: u64) -> u64 {
    code_id * CODE_SOURCE_STRIDE + offset
}

/// The source offset the CPU names for a CALLDATACOPY or CODECOPY whose offset is 2³² or more
/// (its row proves that). Calldata and code are shorter than 2³⁰ bytes (the statement's
/// parsing refuses longer), so every byte from here on (a copy is shorter than 2²¹ bytes) is
/// past their end and reads as 0, which is what the EVM copies from such an offset. A
/// callee's CALLDATACOPY is an MCOPY from its calldata's copy in its memory, from
/// `CALLDATA_BASE + FAR_SOURCE` here (from an offset of 2²² or more: its row shows that, and
/// so does a callee's CALLDATALOAD's loading from there): that copy is shorter than 2²¹
/// bytes and the frame's own writes stay below 2²¹, so nothing ever writes there (below
/// 2³²), and it reads zeros too.
pub const FAR_SOURCE: u64 = 1 << 30;

/// The source byte the EVM copies from `data` at `index`: 0 past the end.
pub fn source_byte(data: &[u8], index: u64) -> u8 {
    usize::try_from(index)
        .ok()
        .and_then(|i| data.get(i))
        .copied()
        .unwrap_or(0)
}

/// What the verifier provides for the copied bytes `(opcode, code position, index, count)`:
/// `(opcode, index, byte)` with the claimed count, the byte taken from `source(opcode,
/// code position)`, and CODECOPY's index keyed by its code ([`code_source`]).
pub fn public_messages<'a>(
    reads: &'a [(u8, u32, u64, u64)],
    source: impl Fn(u8, u32) -> &'a [u8] + 'a,
) -> impl Iterator<Item = PublicMessage> + 'a {
    reads.iter().map(move |&(opcode, code, index, count)| {
        let byte = source_byte(source(opcode, code), index);
        let key = match opcode as u64 {
            CODECOPY => code_source(crate::bytecode::id_of_position(code), index),
            _ => index,
        };
        PublicMessage {
            multiplicity: Goldilocks::new(count),
            ..PublicMessage::provide(
                COPY_SOURCE,
                &[
                    Goldilocks::new(opcode as u64),
                    Goldilocks::new(key),
                    Goldilocks::new(byte as u64),
                ],
            )
        }
    })
}

#[cfg(test)]
mod tests;
