//! The Memory component: each MLOAD, MSTORE and MSTORE8 as byte accesses.
//!
//! Memory is byte-addressed in the RW table (kind [`Kind::Memory`], `addr` = byte address,
//! value `(byte, 0, …, 0)`), so unaligned words and single bytes need no shifting: a word
//! access at `offset` is 32 byte accesses at `offset … offset + 31`. This table turns the
//! CPU's word operations into them.
//!
//! The CPU provides one message per operation on bus [`MEMORY`]:
//! `(ctr, ctx, offset, write, wide, v₀ … v₇)` with `wide = 1` for a 32-byte word (MLOAD,
//! MSTORE) and `0` for MSTORE8, and `v` the word loaded or stored (32-bit limbs, least
//! significant first). An operation occupies consecutive rows, least significant byte first:
//! row `t` holds the byte at `offset + 31 − t` (word) or, for MSTORE8, the bytes of limb `v₀`
//! from the lowest up (4 rows at `offset`; only the first one touches memory).
//!
//! Layout: `live`, `first` (the operation's first row), `ctx`, `ctr` (the RW counter of the
//! row's access, `ctr + t`), `addr`, `write`, `wide`, `byte`, `acc` (the limb being assembled,
//! up to this byte), one-hot `p₀ … p₃` (the byte's position in its limb), `limbs_left` (limbs
//! after this one), and `v₀ … v₇`, which shift down by one limb after each limb so that the
//! limb being assembled is always `v₀`.
//!
//! Constraints:
//! - row: flags boolean; `Σp = live`; `first → p₀, live`; `first → limbs_left = 7·wide`;
//!   `p₀ → acc = byte`; `p₃ → acc = v₀`; padding rows are not wide;
//! - transition into a row that continues an operation (`cont = live′·(1 − first′)`): `ctx`,
//!   `write`, `wide` stay, `addr′ = addr − wide`, `ctr′ = ctr + 1`, `p` rotates, `acc′ =
//!   scale′·byte′ + (1 − p₃)·acc` with `scale = p₀ + 2⁸p₁ + 2¹⁶p₂ + 2²⁴p₃`, `limbs_left′ =
//!   limbs_left − p₃`, and `v` holds (within a limb) or shifts (`v′ᵢ = vᵢ₊₁`, `v′₇ = 0`);
//! - transition out of a live row that no next row continues: it ends its operation (`p₃ = 1`,
//!   `limbs_left = 0`); so a word operation is exactly 32 rows and MSTORE8 exactly 4;
//! - live rows form a prefix, and the last row is padding (so every operation's end is
//!   checked).
//!
//! Bus: every live row looks its byte up in the byte table ([`crate::range::RANGE8`]); the first
//! row consumes the CPU's message (`offset = addr − 31·wide`); each access (every row of a word
//! operation, the first row of MSTORE8) provides `(ctr, memory, ctx, addr, write, byte, 0…)` on
//! [`RW`], where the RW component makes reads return the latest write (or 0).
//!
//! Why the word is exactly the bytes: each byte is below 2⁸, so `acc` at `p₃` is a 32-bit value
//! whose bytes are unique; `v₀` at the `k`-th limb end is the message's `v_k`. For MSTORE8 the
//! byte written is `v₀ mod 2⁸` (the other three bytes of the limb are checked, not written).
//! Memory bytes stay below 2⁸ because every write is range-checked, so loaded limbs are below
//! 2³², the CPU's stack invariant. A step's byte addresses stay below 2²¹ because the CPU
//! bounds every operation's end by its memory size; a callee's CALLDATALOAD reads from
//! [`crate::cpu::CALLDATA_BASE`] = 2³¹ up (below 2³³ by the constraints; the trace builder
//! keeps it below 2³² by loading from `CALLDATA_BASE + copy::FAR_SOURCE` past every
//! calldata), where only its Call row's argument copy writes.

use crate::algebra::Algebra;
use crate::bus::{BusId, BusValues, Direction, Interaction};
use crate::component::{padded_len, BoundaryValue, Component, Window};
use crate::registry::ComponentId;
use crate::rw::{Access, Kind, LIMBS, RW};
use zkevm_field::Goldilocks;

/// Bus of memory operations, provided by the CPU:
/// `(ctr, ctx, offset, write, wide, v₀ … v₇)`.
pub const MEMORY: BusId = 28;

/// Column indices.
pub mod col {
    pub const LIVE: usize = 0;
    pub const FIRST: usize = 1;
    pub const CTX: usize = 2;
    pub const CTR: usize = 3;
    pub const ADDR: usize = 4;
    pub const WRITE: usize = 5;
    pub const WIDE: usize = 6;
    pub const BYTE: usize = 7;
    pub const ACC: usize = 8;
    /// `p₀`; position `k` at `P + k`.
    pub const P: usize = 9;
    pub const LIMBS_LEFT: usize = 13;
    /// `v₀`; limb `i` at `V + i`.
    pub const V: usize = 14;
}

/// Bytes of a word.
pub const WORD_BYTES: u32 = 32;

/// One memory operation of the CPU.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct MemoryOp {
    /// RW counter of the first byte access.
    pub ctr: u32,
    pub ctx: u32,
    pub offset: u32,
    pub write: bool,
    /// A 32-byte word (MLOAD, MSTORE), or MSTORE8's single byte.
    pub wide: bool,
    /// The word loaded or stored (for MSTORE8: the stack word, whose low byte is written).
    pub value: [u32; LIMBS],
}

impl MemoryOp {
    /// Counters the operation uses: one per byte access.
    pub fn accesses(&self) -> u32 {
        if self.wide {
            WORD_BYTES
        } else {
            1
        }
    }

    /// Rows the operation occupies.
    fn rows(&self) -> usize {
        if self.wide {
            WORD_BYTES as usize
        } else {
            4
        }
    }

    /// The byte of row `t`: bytes of the limbs from the least significant up.
    fn byte(&self, t: usize) -> u8 {
        (self.value[t / 4] >> (8 * (t % 4))) as u8
    }

    /// The message the CPU provides for it, as field elements.
    pub fn fields(&self) -> Vec<Goldilocks> {
        let g = |v: u64| Goldilocks::new(v);
        let mut fields = vec![
            g(self.ctr as u64),
            g(self.ctx as u64),
            g(self.offset as u64),
            g(self.write as u64),
            g(self.wide as u64),
        ];
        fields.extend(self.value.iter().map(|&l| g(l as u64)));
        fields
    }
}

/// MLOAD, MSTORE and MSTORE8 as byte accesses.
#[derive(Debug, Default, Clone, Copy)]
pub struct Memory;

/// `p₀ + 2⁸p₁ + 2¹⁶p₂ + 2²⁴p₃`: the weight of the row's byte in its limb.
fn scale<V: Algebra>(r: &[V]) -> V {
    (0..4).fold(V::zero(), |sum, k| {
        sum + r[col::P + k] * V::from_u64(1 << (8 * k))
    })
}

/// The row continues an operation begun above it.
fn continues<V: Algebra>(r: &[V]) -> V {
    r[col::LIVE] * (V::one() - r[col::FIRST])
}

/// The row touches memory: every row of a word operation, the first of MSTORE8.
fn accesses<V: Algebra>(r: &[V]) -> V {
    let (first, wide) = (r[col::FIRST], r[col::WIDE]);
    wide + first - wide * first
}

impl Component for Memory {
    const ID: ComponentId = ComponentId::Memory;
    const NAME: &'static str = "memory";
    const COLUMNS: &'static [&'static str] = &[
        "live",
        "first",
        "ctx",
        "ctr",
        "addr",
        "write",
        "wide",
        "byte",
        "acc",
        "p0",
        "p1",
        "p2",
        "p3",
        "limbs_left",
        "v0",
        "v1",
        "v2",
        "v3",
        "v4",
        "v5",
        "v6",
        "v7",
    ];

    fn transition_degrees(&self) -> Vec<usize> {
        let mut degrees = vec![2, 4, 4];
        degrees.extend([3; 5]); // ctx, write, wide, addr, ctr
        degrees.extend([3; 4]); // p rotates
        degrees.extend([4, 3]); // acc, limbs_left
        degrees.extend([4; LIMBS]); // v shifts
        degrees.extend([4; LIMBS]); // v holds
        degrees
    }

    fn eval_transition<V: Algebra>(&self, w: &Window<'_, V>, out: &mut [V]) {
        let (c, n) = (w.current, w.next);
        let one = V::one();
        let cont = continues(n);
        out[0] = (one - c[col::LIVE]) * n[col::LIVE];
        let ends = c[col::LIVE] * (one - cont);
        out[1] = ends * (one - c[col::P + 3]);
        out[2] = ends * c[col::LIMBS_LEFT];
        out[3] = cont * (n[col::CTX] - c[col::CTX]);
        out[4] = cont * (n[col::WRITE] - c[col::WRITE]);
        out[5] = cont * (n[col::WIDE] - c[col::WIDE]);
        out[6] = cont * (n[col::ADDR] - c[col::ADDR] + c[col::WIDE]);
        out[7] = cont * (n[col::CTR] - c[col::CTR] - one);
        for k in 0..4 {
            out[8 + k] = cont * (n[col::P + (k + 1) % 4] - c[col::P + k]);
        }
        let limb_end = c[col::P + 3];
        out[12] = cont * (n[col::ACC] - scale(n) * n[col::BYTE] - (one - limb_end) * c[col::ACC]);
        out[13] = cont * (n[col::LIMBS_LEFT] - c[col::LIMBS_LEFT] + limb_end);
        let shifts = cont * limb_end;
        for i in 0..LIMBS {
            let incoming = if i + 1 < LIMBS {
                c[col::V + i + 1]
            } else {
                V::zero()
            };
            out[14 + i] = shifts * (n[col::V + i] - incoming);
            out[14 + LIMBS + i] = cont * (one - limb_end) * (n[col::V + i] - c[col::V + i]);
        }
    }

    fn row_degrees(&self) -> Vec<usize> {
        let mut degrees = vec![2; 8]; // booleans
        degrees.extend([1, 2, 2, 2, 2, 2, 2]);
        degrees
    }

    fn eval_row<V: Algebra>(&self, r: &[V], out: &mut [V]) {
        let one = V::one();
        let live = r[col::LIVE];
        out[0] = live.booleanity();
        out[1] = r[col::FIRST].booleanity();
        out[2] = r[col::WRITE].booleanity();
        out[3] = r[col::WIDE].booleanity();
        for k in 0..4 {
            out[4 + k] = r[col::P + k].booleanity();
        }
        let positions = (0..4).fold(V::zero(), |sum, k| sum + r[col::P + k]);
        out[8] = positions - live;
        out[9] = r[col::FIRST] * (one - r[col::P]);
        out[10] = r[col::FIRST] * (one - live);
        out[11] = r[col::FIRST] * (r[col::LIMBS_LEFT] - r[col::WIDE] * V::from_u64(7));
        out[12] = r[col::P] * (r[col::ACC] - r[col::BYTE]);
        out[13] = r[col::P + 3] * (r[col::ACC] - r[col::V]);
        out[14] = (one - live) * r[col::WIDE];
    }

    fn boundary(&self) -> Vec<BoundaryValue> {
        // The first row starts an operation: no row above it could have begun one. The last
        // row is padding, so the last operation's end is checked by a transition (without it,
        // a table of live rows only could cut its last operation short).
        vec![
            BoundaryValue::first(col::FIRST, 1),
            BoundaryValue::last(col::LIVE, 0),
        ]
    }

    fn interactions(&self) -> Vec<Interaction> {
        vec![
            crate::range::byte_lookup(),
            Interaction::linear(MEMORY, Direction::Consume, 5 + LIMBS),
            Interaction {
                multiplicity_degree: 2,
                ..Interaction::linear(RW, Direction::Provide, 5 + LIMBS)
            },
        ]
    }

    fn eval_interactions<V: Algebra>(&self, r: &[V], out: &mut [BusValues<V>]) {
        let wide = r[col::WIDE];
        out[0].set(r[col::LIVE], &[r[col::BYTE]]);
        let offset = r[col::ADDR] - wide * V::from_u64(WORD_BYTES as u64 - 1);
        out[1].set_parts(
            r[col::FIRST],
            &[
                &[r[col::CTR], r[col::CTX], offset, r[col::WRITE], wide],
                &r[col::V..col::V + LIMBS],
            ],
        );
        out[2].set(
            accesses(r),
            &[
                r[col::CTR],
                V::from_u64(Kind::Memory as u64),
                r[col::CTX],
                r[col::ADDR],
                r[col::WRITE],
                r[col::BYTE],
            ],
        );
    }
}

/// A laid-out table, with the byte accesses it provides to the RW table and the bytes it looks
/// up in the byte table.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MemoryTrace {
    pub columns: Vec<Vec<Goldilocks>>,
    pub accesses: Vec<Access>,
    pub bytes: Vec<u8>,
}

/// The table of `ops` (at least one: its first row must start an operation), in order,
/// padding rows after.
pub fn trace(ops: &[MemoryOp]) -> MemoryTrace {
    let used: usize = ops.iter().map(MemoryOp::rows).sum();
    let rows = padded_len(used);
    let mut columns = vec![vec![Goldilocks::ZERO; rows]; Memory::COLUMNS.len()];
    columns[col::FIRST][0] = Goldilocks::ONE;
    let mut accesses = Vec::with_capacity(ops.len() * WORD_BYTES as usize);
    let mut bytes = Vec::with_capacity(used);
    let mut r = 0;
    for op in ops {
        let mut acc = 0u32;
        for t in 0..op.rows() {
            let mut set = |column: usize, value: u64| columns[column][r] = Goldilocks::new(value);
            let (byte, position) = (op.byte(t), t % 4);
            let addr = if op.wide {
                op.offset + (WORD_BYTES - 1) - t as u32
            } else {
                op.offset
            };
            let ctr = op.ctr + t as u32;
            acc = if position == 0 {
                byte as u32
            } else {
                acc | (byte as u32) << (8 * position)
            };
            set(col::LIVE, 1);
            set(col::FIRST, (t == 0) as u64);
            set(col::CTX, op.ctx as u64);
            set(col::CTR, ctr as u64);
            set(col::ADDR, addr as u64);
            set(col::WRITE, op.write as u64);
            set(col::WIDE, op.wide as u64);
            set(col::BYTE, byte as u64);
            set(col::ACC, acc as u64);
            set(col::P + position, 1);
            let limb = t / 4;
            set(col::LIMBS_LEFT, (op.rows() / 4 - 1 - limb) as u64);
            for i in limb..LIMBS {
                set(col::V + i - limb, op.value[i] as u64);
            }
            bytes.push(byte);
            if op.wide || t == 0 {
                accesses.push(Access::memory_byte(ctr, op.ctx, addr, op.write, byte));
            }
            r += 1;
        }
    }
    MemoryTrace {
        columns,
        accesses,
        bytes,
    }
}

#[cfg(test)]
mod tests;
