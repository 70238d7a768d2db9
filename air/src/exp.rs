//! The Exp component: EXP as square-and-multiply, one block of 256 rows per operation.
//!
//! The CPU's `Exp` family pops `a` and the exponent `e`, pushes `c = aᵉ mod 2²⁵⁶` and charges
//! 50 gas per significant byte of `e`; it provides `(EXP + 2⁸·bytes, a₀…a₇, e₀…e₇, c₀…c₇)` on
//! bus [`ALU`] (32-bit limbs), the byte count folded into the opcode field so the message
//! carries it. This table consumes that message at the last row of the operation's block.
//!
//! Row `t` of a block handles bit `255 − t` of `e` (most significant first), with the
//! accumulator `acc = a^(e >> (256 − t))` before it: `sq = acc²` and `out = sq·a` when the bit
//! is set, `sq` otherwise; the next row's `acc` is `out`, the block's first `acc` is 1 and its
//! last `out` is `c`. The products are not proven here: each is provided as a MUL message on
//! the same bus, which the MulDiv component consumes like the CPU's own. Before the first set
//! bit `acc` is 1, so `sq = acc` needs no message.
//!
//! How each part is pinned:
//! - **the row's place**: three one-hots (bit of the byte, byte of the 32-bit limb, limb of
//!   the word, the last counting down) start at row 0 as boundary values and rotate by
//!   transitions, so every block is the same 256-row pattern (the trace holds at least two
//!   blocks: the used ones and one of padding); `limb_end`, `end` (the block's
//!   last row) and `start` (the row after an end, and row 0) are cells pinned to them;
//! - **the bits**: `prefix` collects the bits of the current limb, `prefix′ = 2·prefix + bit`,
//!   reset after each limb's last row, where `2·prefix + bit` must equal the limb
//!   `Σ [limb j]·eⱼ`: 32 booleans are exactly the limb's binary digits;
//! - **the gas**: `prior` is 1 after the first set bit; `bytes` counts the rows closing a byte
//!   where `prior ∨ bit`, the bytes from the first significant one down: `⌈bits(e)/8⌉`;
//! - `a`, `e` and `live` are constant within a block, the multiplicities are gated by `live`.

use crate::algebra::Algebra;
use crate::alu::{AluOp, ALU};
use crate::bus::{BusValues, Direction, Interaction};
use crate::component::{column_names, BoundaryValue, Component, Window};
use crate::registry::ComponentId;
use crate::rw::LIMBS;
use crate::storage::word_of;
use zkevm_evm_spec::witness::Word;
use zkevm_field::Goldilocks;

/// EXP's and MUL's opcodes.
pub const EXP: u8 = 0x0a;
const MUL: u8 = 0x02;
/// Gas per significant byte of the exponent.
pub const GAS_PER_BYTE: u64 = 50;

/// Rows per operation: one per bit of the exponent.
const BLOCK: usize = 256;
const BITS_PER_BYTE: usize = 8;
const BYTES_PER_LIMB: usize = 4;

/// Column indices.
pub mod col {
    use super::{BITS_PER_BYTE, BYTES_PER_LIMB, LIMBS};
    pub const LIVE: usize = 0;
    /// One-hot: which bit of its byte the row handles (0: the byte's top bit).
    pub const BIT_AT: usize = 1;
    /// One-hot: which byte of its limb (0: the limb's top byte).
    pub const BYTE_AT: usize = BIT_AT + BITS_PER_BYTE;
    /// One-hot: which 32-bit limb of `e` (its index: 7 first).
    pub const LIMB_AT: usize = BYTE_AT + BYTES_PER_LIMB;
    /// The row closes a limb; the row closes the block; the row opens a block.
    pub const LIMB_END: usize = LIMB_AT + LIMBS;
    pub const END: usize = LIMB_END + 1;
    pub const START: usize = END + 1;
    /// The exponent's bit; the limb's bits before it; a set bit came before; significant
    /// bytes so far.
    pub const BIT: usize = START + 1;
    pub const PREFIX: usize = BIT + 1;
    pub const PRIOR: usize = PREFIX + 1;
    pub const BYTES: usize = PRIOR + 1;
    /// Words, 32-bit limbs.
    pub const A: usize = BYTES + 1;
    pub const E: usize = A + LIMBS;
    pub const ACC: usize = E + LIMBS;
    pub const SQ: usize = ACC + LIMBS;
    pub const OUT: usize = SQ + LIMBS;
    pub const WIDTH: usize = OUT + LIMBS;
}

const NAMES: [&str; col::WIDTH] = column_names(
    "",
    &[
        (col::LIVE, 1, "live"),
        (col::BIT_AT, BITS_PER_BYTE, "bit_at"),
        (col::BYTE_AT, BYTES_PER_LIMB, "byte_at"),
        (col::LIMB_AT, LIMBS, "limb_at"),
        (col::LIMB_END, 1, "limb_end"),
        (col::END, 1, "end"),
        (col::START, 1, "start"),
        (col::BIT, 1, "bit"),
        (col::PREFIX, 1, "prefix"),
        (col::PRIOR, 1, "prior"),
        (col::BYTES, 1, "bytes"),
        (col::A, LIMBS, "a"),
        (col::E, LIMBS, "e"),
        (col::ACC, LIMBS, "acc"),
        (col::SQ, LIMBS, "sq"),
        (col::OUT, LIMBS, "out"),
    ],
);

/// EXP over 256-bit words.
#[derive(Debug, Default, Clone, Copy)]
pub struct Exp;

fn word<V: Copy>(r: &[V], start: usize) -> &[V] {
    &r[start..start + LIMBS]
}

/// `x ∨ y` for booleans.
fn or<V: Algebra>(x: V, y: V) -> V {
    x + y - x * y
}

impl Component for Exp {
    const ID: ComponentId = ComponentId::Exp;
    const NAME: &'static str = "exp";
    const COLUMNS: &'static [&'static str] = &NAMES;

    fn transition_degrees(&self) -> Vec<usize> {
        let mut d = vec![1; BITS_PER_BYTE]; // the bit one-hot rotates
        d.extend([2; BYTES_PER_LIMB + LIMBS]); // the byte and limb one-hots rotate at their ends
        d.extend([1, 2, 3, 3]); // start, prefix, prior, bytes
        d.extend([2; 3 * LIMBS + 1]); // acc, a, e, live
        d
    }

    fn eval_transition<V: Algebra>(&self, w: &Window<'_, V>, out: &mut [V]) {
        let (c, n) = (w.current, w.next);
        let one = V::one();
        let mut out = out.iter_mut();
        let mut emit = |v: V| *out.next().expect("declared constraint") = v;
        for i in 0..BITS_PER_BYTE {
            emit(n[col::BIT_AT + (i + 1) % BITS_PER_BYTE] - c[col::BIT_AT + i]);
        }
        // A one-hot moves one place when `turn` is 1 and stays otherwise.
        let mut rotate = |start: usize, len: usize, turn: V, step: usize| {
            for i in 0..len {
                let to = (i + step) % len;
                emit(n[start + to] - turn * c[start + i] - (one - turn) * c[start + to]);
            }
        };
        rotate(
            col::BYTE_AT,
            BYTES_PER_LIMB,
            c[col::BIT_AT + BITS_PER_BYTE - 1],
            1,
        );
        rotate(col::LIMB_AT, LIMBS, c[col::LIMB_END], LIMBS - 1);
        let (end, bit) = (c[col::END], c[col::BIT]);
        emit(n[col::START] - end);
        let shifted = c[col::PREFIX] * V::from_u64(2) + bit;
        emit(n[col::PREFIX] - (one - c[col::LIMB_END]) * shifted);
        emit(n[col::PRIOR] - (one - end) * or(c[col::PRIOR], bit));
        let significant = or(n[col::PRIOR], n[col::BIT]);
        let closes_byte = n[col::BIT_AT + BITS_PER_BYTE - 1];
        emit(n[col::BYTES] - (one - end) * c[col::BYTES] - closes_byte * significant);
        for j in 0..LIMBS {
            emit((one - end) * (n[col::ACC + j] - c[col::OUT + j]));
        }
        for start in [col::A, col::E] {
            for j in 0..LIMBS {
                emit((one - end) * (n[start + j] - c[start + j]));
            }
        }
        emit((one - end) * (n[col::LIVE] - c[col::LIVE]));
    }

    fn row_degrees(&self) -> Vec<usize> {
        let mut d = vec![2, 2, 2, 2, 3]; // live, bit, limb_end, end, the limb's bits
        d.extend([2; 3 * LIMBS]); // acc at the start, sq before the first bit, out
        d
    }

    fn eval_row<V: Algebra>(&self, r: &[V], out: &mut [V]) {
        let one = V::one();
        let mut out = out.iter_mut();
        let mut emit = |v: V| *out.next().expect("declared constraint") = v;
        let (bit, prior, start) = (r[col::BIT], r[col::PRIOR], r[col::START]);
        emit(r[col::LIVE].booleanity());
        emit(bit.booleanity());
        let last_bit = r[col::BIT_AT + BITS_PER_BYTE - 1];
        let last_byte = r[col::BYTE_AT + BYTES_PER_LIMB - 1];
        emit(r[col::LIMB_END] - last_bit * last_byte);
        emit(r[col::END] - r[col::LIMB_END] * r[col::LIMB_AT]);
        let limb = (0..LIMBS).fold(V::zero(), |s, j| s + r[col::LIMB_AT + j] * r[col::E + j]);
        let bits = r[col::PREFIX] * V::from_u64(2) + bit;
        emit(r[col::LIMB_END] * (bits - limb));
        for j in 0..LIMBS {
            let unit = if j == 0 { one } else { V::zero() };
            emit(start * (r[col::ACC + j] - unit));
        }
        for j in 0..LIMBS {
            emit((one - prior) * (r[col::SQ + j] - r[col::ACC + j]));
        }
        for j in 0..LIMBS {
            emit((one - bit) * (r[col::OUT + j] - r[col::SQ + j]));
        }
    }

    fn boundary(&self) -> Vec<BoundaryValue> {
        let mut pinned = Vec::new();
        for (start, len, hot) in [
            (col::BIT_AT, BITS_PER_BYTE, 0),
            (col::BYTE_AT, BYTES_PER_LIMB, 0),
            (col::LIMB_AT, LIMBS, LIMBS - 1),
        ] {
            for i in 0..len {
                pinned.push(BoundaryValue::first(start + i, (i == hot) as u64));
            }
        }
        pinned.push(BoundaryValue::first(col::START, 1));
        for column in [col::PREFIX, col::PRIOR, col::BYTES] {
            pinned.push(BoundaryValue::first(column, 0));
        }
        pinned
    }

    fn interactions(&self) -> Vec<Interaction> {
        let gated = |direction| Interaction {
            multiplicity_degree: 2,
            ..Interaction::linear(ALU, direction, crate::alu::FIELDS)
        };
        vec![
            gated(Direction::Consume),
            gated(Direction::Provide),
            gated(Direction::Provide),
        ]
    }

    fn eval_interactions<V: Algebra>(&self, r: &[V], out: &mut [BusValues<V>]) {
        let live = r[col::LIVE];
        let k = V::from_u64;
        let opcode = k(EXP as u64) + r[col::BYTES] * k(1 << 8);
        let (a, e) = (word(r, col::A), word(r, col::E));
        let (acc, sq, result) = (word(r, col::ACC), word(r, col::SQ), word(r, col::OUT));
        out[0].set_parts(live * r[col::END], &[&[opcode], a, e, result]);
        let mul = [k(MUL as u64)];
        out[1].set_parts(live * r[col::PRIOR], &[&mul, acc, acc, sq]);
        out[2].set_parts(live * r[col::BIT], &[&mul, sq, a, result]);
    }
}

/// One EXP the CPU executed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ExpOp {
    pub a: [u32; LIMBS],
    pub e: [u32; LIMBS],
}

impl ExpOp {
    /// `aᵉ mod 2²⁵⁶`.
    pub fn result(&self) -> [u32; LIMBS] {
        crate::rw::limbs(&word_of(&self.a).wrapping_pow(word_of(&self.e)))
    }

    /// The exponent's significant bytes (50 gas each).
    pub fn bytes(&self) -> u64 {
        (word_of(&self.e).bit_len() as u64).div_ceil(8)
    }

    /// The CPU's message for it, the byte count in the opcode field.
    pub fn fields(&self) -> Vec<Goldilocks> {
        let head = AluOp {
            opcode: EXP,
            a: self.a,
            b: self.e,
        };
        let mut fields = head.message_fields(&self.result());
        fields[0] += Goldilocks::new(self.bytes() << 8);
        fields
    }
}

/// A laid-out table and the multiplications it hands to the MulDiv component.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ExpTrace {
    pub columns: Vec<Vec<Goldilocks>>,
    pub multiplications: Vec<AluOp>,
}

/// The table of `ops`, padding blocks after (at least one: the trace length is the next
/// power of two above the used rows).
pub fn trace(ops: &[ExpOp]) -> ExpTrace {
    let rows = (BLOCK * ops.len() + 1).next_power_of_two();
    let mut columns = vec![vec![Goldilocks::ZERO; rows]; col::WIDTH];
    let mut multiplications = Vec::new();
    let padding = ExpOp {
        a: [0; LIMBS],
        e: [0; LIMBS],
    };
    let mul = |x: Word, y: Word| AluOp {
        opcode: MUL,
        a: crate::rw::limbs(&x),
        b: crate::rw::limbs(&y),
    };
    for block in 0..rows / BLOCK {
        let live = block < ops.len();
        let op = ops.get(block).unwrap_or(&padding);
        let (a, e) = (word_of(&op.a), word_of(&op.e));
        let (mut acc, mut prior, mut prefix, mut bytes) = (Word::from(1), false, 0u64, 0u64);
        for t in 0..BLOCK {
            let row = block * BLOCK + t;
            let bit = e.bit(BLOCK - 1 - t);
            let sq = if prior { acc.wrapping_mul(acc) } else { acc };
            let result = if bit { sq.wrapping_mul(a) } else { sq };
            if live && prior {
                multiplications.push(mul(acc, acc));
            }
            if live && bit {
                multiplications.push(mul(sq, a));
            }
            let (bit_at, byte_at) = (t % BITS_PER_BYTE, t / BITS_PER_BYTE % BYTES_PER_LIMB);
            let limb = LIMBS - 1 - t / (BITS_PER_BYTE * BYTES_PER_LIMB);
            let limb_end = bit_at == BITS_PER_BYTE - 1 && byte_at == BYTES_PER_LIMB - 1;
            if bit_at == BITS_PER_BYTE - 1 && (prior || bit) {
                bytes += 1;
            }
            let mut set = |column: usize, value: u64| columns[column][row] = Goldilocks::new(value);
            set(col::LIVE, live as u64);
            set(col::BIT_AT + bit_at, 1);
            set(col::BYTE_AT + byte_at, 1);
            set(col::LIMB_AT + limb, 1);
            set(col::LIMB_END, limb_end as u64);
            set(col::END, (t == BLOCK - 1) as u64);
            set(col::START, (t == 0) as u64);
            set(col::BIT, bit as u64);
            set(col::PREFIX, prefix);
            set(col::PRIOR, prior as u64);
            set(col::BYTES, bytes);
            for (start, value) in [
                (col::A, &a),
                (col::E, &e),
                (col::ACC, &acc),
                (col::SQ, &sq),
                (col::OUT, &result),
            ] {
                for (j, &l) in crate::rw::limbs(value).iter().enumerate() {
                    set(start + j, l as u64);
                }
            }
            prefix = if limb_end { 0 } else { 2 * prefix + bit as u64 };
            prior |= bit;
            acc = result;
        }
    }
    ExpTrace {
        columns,
        multiplications,
    }
}

#[cfg(test)]
mod tests;
