//! The SignExtend component: SIGNEXTEND, one row per operation.
//!
//! The CPU provides `(SIGNEXTEND, a₀…a₇, b₀…b₇, c₀…c₇)` on bus [`ALU`] (32-bit limbs, least
//! significant first): `a` is the index `k` of the byte whose top bit is the sign, counted from
//! the least significant byte, `b` the value, `c` the result. For `k ≥ 31` the result is `b`;
//! otherwise bytes `0…k` of `b` are kept and every higher bit is the sign bit `8k + 7` of `b`.
//!
//! How each part is pinned:
//! - **the index**: a one-hot `p₀…p₃₀` marks `k` and `big` marks `k ≥ 31`, summing to `live`.
//!   With `small = Σp`, `small·a₀ = Σ k·pₖ` and `small·aⱼ = 0` for `j ≥ 1`, so a small row has
//!   exactly the index it marks. A big row proves `32·(a₁ + … + a₇) + a₀ − 31 ≥ 0` as
//!   `d₀ + 2¹⁶·d₁ + 2³²·d₂` (16-bit `d₀`, `d₁`, a byte `d₂`): when the high limbs are all zero
//!   this is `a₀ ≥ 31`, otherwise it holds anyway, and an index of 30 or less makes it negative,
//!   which has no such split;
//! - **the sign byte**: the limb holding byte `k` is `m = Σ [j = k/4]·bⱼ`, split into bytes
//!   `y₀…y₃` (looked up); byte `k mod 4` of them is `128·sign + low7` with `2·low7` looked up as
//!   a byte (the equation makes `low7` an integer in `[−128, 255]`, the lookup one below 128);
//! - **the result**: limbs below `m`'s stay `bⱼ`, limbs above it are `sign·(2³² − 1)`, and `m`'s
//!   limb is `mid`, its bytes up to `k mod 4` followed by sign bytes. A big row keeps every limb
//!   (its one-hot is empty, so `m = 0`, the bytes and the sign are 0).
//!
//! Operand limbs are below 2³² by the CPU's stack invariant; the result's limbs are built from
//! them, bytes and the sign, so they are too.

use crate::algebra::Algebra;
use crate::alu::{AluOp, ALU};
use crate::bus::{BusValues, Interaction};
use crate::component::{column_names, padded_len, BoundaryValue, Component, Window};
use crate::registry::ComponentId;
use crate::rw::LIMBS;
use zkevm_field::Goldilocks;

/// SIGNEXTEND's opcode.
pub const SIGNEXTEND: u8 = 0x0b;

/// Byte indices the one-hot marks: 0…30 (byte 31's sign extension changes nothing).
const POSITIONS: usize = 31;
/// Bytes per 32-bit limb.
const LIMB_BYTES: usize = 4;

/// Column indices.
pub mod col {
    use super::{LIMBS, LIMB_BYTES, POSITIONS};
    pub const LIVE: usize = 0;
    /// One-hot of the byte index `k < 31`.
    pub const P: usize = 1;
    /// `k ≥ 31`: the value is unchanged.
    pub const BIG: usize = P + POSITIONS;
    /// The operands and the result, 32-bit limbs.
    pub const A: usize = BIG + 1;
    pub const B: usize = A + LIMBS;
    pub const C: usize = B + LIMBS;
    /// A big row's `32·(a₁ + … + a₇) + a₀ − 31` as `d₀ + 2¹⁶·d₁ + 2³²·d₂`.
    pub const D: usize = C + LIMBS;
    /// The bytes of the limb holding byte `k`.
    pub const Y: usize = D + 3;
    /// The sign bit and the low seven bits of byte `k`.
    pub const SIGN: usize = Y + LIMB_BYTES;
    pub const LOW7: usize = SIGN + 1;
    /// The result's limb at byte `k`'s limb.
    pub const MID: usize = LOW7 + 1;
    pub const WIDTH: usize = MID + 1;
}

const NAMES: [&str; col::WIDTH] = column_names(
    "p",
    &[
        (col::LIVE, 1, "live"),
        (col::BIG, 1, "big"),
        (col::A, LIMBS, "a"),
        (col::B, LIMBS, "b"),
        (col::C, LIMBS, "c"),
        (col::D, 3, "d"),
        (col::Y, LIMB_BYTES, "y"),
        (col::SIGN, 1, "sign"),
        (col::LOW7, 1, "low7"),
        (col::MID, 1, "mid"),
    ],
);

/// SIGNEXTEND over 256-bit words.
#[derive(Debug, Default, Clone, Copy)]
pub struct SignExtend;

/// Sums of one-hot cells by the byte positions `k` that `include(k)` selects.
fn marked<V: Algebra>(r: &[V], include: impl Fn(usize) -> bool) -> V {
    (0..POSITIONS)
        .filter(|&k| include(k))
        .fold(V::zero(), |s, k| s + r[col::P + k])
}

impl Component for SignExtend {
    const ID: ComponentId = ComponentId::SignExtend;
    const NAME: &'static str = "signextend";
    const COLUMNS: &'static [&'static str] = &NAMES;

    fn transition_degrees(&self) -> Vec<usize> {
        Vec::new()
    }

    fn eval_transition<V: Algebra>(&self, _w: &Window<'_, V>, _out: &mut [V]) {}

    fn row_degrees(&self) -> Vec<usize> {
        let mut d = vec![2; 2 + POSITIONS]; // live, big, the one-hot boolean
        d.push(1); // one-hot and big sum to live
        d.extend([2; LIMBS]); // the index
        d.push(2); // a big index
        d.extend([2, 2, 2]); // the bytes, the sign byte, the sign boolean
        d.push(2); // mid
        d.extend([2; LIMBS]); // the result
        d
    }

    fn eval_row<V: Algebra>(&self, r: &[V], out: &mut [V]) {
        let mut out = out.iter_mut();
        let mut emit = |v: V| *out.next().expect("declared constraint") = v;
        let k = V::from_u64;
        let (live, big) = (r[col::LIVE], r[col::BIG]);
        emit(live.booleanity());
        emit(big.booleanity());
        for i in 0..POSITIONS {
            emit(r[col::P + i].booleanity());
        }
        let small = marked(r, |_| true);
        emit(small + big - live);
        let a = &r[col::A..col::A + LIMBS];
        let index = (0..POSITIONS).fold(V::zero(), |s, i| s + r[col::P + i] * k(i as u64));
        emit(small * a[0] - index);
        for &limb in &a[1..] {
            emit(small * limb);
        }
        let high = a[1..].iter().fold(V::zero(), |s, &x| s + x);
        let d = r[col::D] + r[col::D + 1] * k(1 << 16) + r[col::D + 2] * k(1 << 32);
        emit(big * (high * k(32) + a[0] - k(POSITIONS as u64)) - d);

        let b = &r[col::B..col::B + LIMBS];
        // The limb holding byte k, and which byte of it k is.
        let at_limb: [V; LIMBS] = core::array::from_fn(|j| marked(r, |i| i / LIMB_BYTES == j));
        let at_byte: [V; LIMB_BYTES] = core::array::from_fn(|q| marked(r, |i| i % LIMB_BYTES == q));
        let m = (0..LIMBS).fold(V::zero(), |s, j| s + at_limb[j] * b[j]);
        let y = &r[col::Y..col::Y + LIMB_BYTES];
        let bytes = (0..LIMB_BYTES).fold(V::zero(), |s, q| s + y[q] * k(1 << (8 * q)));
        emit(m - bytes);
        let sign = r[col::SIGN];
        let sign_byte = (0..LIMB_BYTES).fold(V::zero(), |s, q| s + at_byte[q] * y[q]);
        emit(sign_byte - sign * k(128) - r[col::LOW7]);
        emit(sign.booleanity());
        // mid: bytes 0…q kept, the bytes above q filled with the sign.
        let mut mid = V::zero();
        for (q, &byte) in y.iter().enumerate() {
            let kept = marked(r, |i| i % LIMB_BYTES >= q);
            let filled = k((1 << 32) - (1 << (8 * q + 8)));
            mid = mid + kept * byte * k(1 << (8 * q)) + at_byte[q] * sign * filled;
        }
        emit(r[col::MID] - mid);
        let c = &r[col::C..col::C + LIMBS];
        for j in 0..LIMBS {
            let below = marked(r, |i| i / LIMB_BYTES > j);
            let above = marked(r, |i| i / LIMB_BYTES < j);
            let expected =
                (big + below) * b[j] + above * sign * k(u32::MAX as u64) + at_limb[j] * r[col::MID];
            emit(c[j] - expected);
        }
    }

    fn boundary(&self) -> Vec<BoundaryValue> {
        // Winterfell needs an assertion; the last row is always padding.
        vec![BoundaryValue::last(col::LIVE, 0)]
    }

    fn interactions(&self) -> Vec<Interaction> {
        let mut interactions = vec![Interaction::linear(
            ALU,
            crate::bus::Direction::Consume,
            crate::alu::FIELDS,
        )];
        interactions.extend([crate::range::lookup(); 2]);
        interactions.extend([crate::range::byte_lookup(); 2 + LIMB_BYTES]);
        interactions
    }

    fn eval_interactions<V: Algebra>(&self, r: &[V], out: &mut [BusValues<V>]) {
        let live = r[col::LIVE];
        let opcode = [live * V::from_u64(SIGNEXTEND as u64)];
        let words = [
            &r[col::A..col::A + LIMBS],
            &r[col::B..col::B + LIMBS],
            &r[col::C..col::C + LIMBS],
        ];
        out[0].set_parts(live, &[&opcode, words[0], words[1], words[2]]);
        out[1].set(live, &[r[col::D]]);
        out[2].set(live, &[r[col::D + 1]]);
        out[3].set(live, &[r[col::D + 2]]);
        out[4].set(live, &[r[col::LOW7] * V::from_u64(2)]);
        for q in 0..LIMB_BYTES {
            out[5 + q].set(live, &[r[col::Y + q]]);
        }
    }
}

/// SIGNEXTEND's result: byte `a` of `b` and the bytes below it, the rest filled with its top
/// bit; `b` itself for `a ≥ 31`.
pub fn result(op: &AluOp) -> [u32; LIMBS] {
    let Some(k) = byte_index(&op.a) else {
        return op.b;
    };
    let (limb, shift) = (k / LIMB_BYTES, 8 * (k % LIMB_BYTES));
    let sign = (op.b[limb] >> (shift + 7)) & 1 == 1;
    let fill = if sign { u32::MAX } else { 0 };
    let mut c = op.b;
    let kept = (2u64 << (shift + 7)) - 1; // bits 0…shift+7
    c[limb] = (op.b[limb] & kept as u32) | (fill & !(kept as u32));
    for limb in &mut c[limb + 1..] {
        *limb = fill;
    }
    c
}

/// The byte index `a`, when below 31.
fn byte_index(a: &[u32; LIMBS]) -> Option<usize> {
    (a[1..].iter().all(|&l| l == 0) && a[0] < POSITIONS as u32).then_some(a[0] as usize)
}

/// A laid-out table, the 16-bit values and the bytes it looks up.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SignExtendTrace {
    pub columns: Vec<Vec<Goldilocks>>,
    pub range_lookups: Vec<u16>,
    pub byte_lookups: Vec<u8>,
}

/// The table of `ops` (all SIGNEXTEND), padding rows after.
pub fn trace(ops: &[AluOp]) -> SignExtendTrace {
    let rows = padded_len(ops.len());
    let mut columns = vec![vec![Goldilocks::ZERO; rows]; col::WIDTH];
    let mut range_lookups = Vec::with_capacity(2 * ops.len());
    let mut byte_lookups = Vec::with_capacity((2 + LIMB_BYTES) * ops.len());
    for (row, op) in ops.iter().enumerate() {
        debug_assert_eq!(op.opcode, SIGNEXTEND);
        let c = result(op);
        let mut set = |column: usize, value: u64| columns[column][row] = Goldilocks::new(value);
        set(col::LIVE, 1);
        for (start, word) in [(col::A, &op.a), (col::B, &op.b), (col::C, &c)] {
            for (j, &limb) in word.iter().enumerate() {
                set(start + j, limb as u64);
            }
        }
        let (mut d, mut y, mut low7) = (0u64, [0u8; LIMB_BYTES], 0u8);
        match byte_index(&op.a) {
            None => {
                set(col::BIG, 1);
                let high: u64 = op.a[1..].iter().map(|&l| l as u64).sum();
                d = 32 * high + op.a[0] as u64 - POSITIONS as u64;
            }
            Some(k) => {
                set(col::P + k, 1);
                let (limb, q) = (k / LIMB_BYTES, k % LIMB_BYTES);
                y = op.b[limb].to_le_bytes();
                set(col::SIGN, (y[q] >> 7) as u64);
                low7 = y[q] & 0x7f;
                set(col::MID, c[limb] as u64);
            }
        }
        set(col::D, d & 0xffff);
        set(col::D + 1, (d >> 16) & 0xffff);
        set(col::D + 2, d >> 32);
        for (q, &byte) in y.iter().enumerate() {
            set(col::Y + q, byte as u64);
        }
        set(col::LOW7, low7 as u64);
        range_lookups.extend([d as u16, (d >> 16) as u16]);
        byte_lookups.extend([(d >> 32) as u8, 2 * low7]);
        byte_lookups.extend(y);
    }
    SignExtendTrace {
        columns,
        range_lookups,
        byte_lookups,
    }
}

#[cfg(test)]
mod tests;
