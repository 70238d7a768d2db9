//! The MulDiv component: 256-bit MUL, DIV, SDIV, MOD, SMOD, SHL, SHR, SAR, CLZ and BYTE, one row
//! per operation.
//!
//! The CPU provides `(opcode, a₀…a₇, b₀…b₇, c₀…c₇)` on bus [`ALU`] (32-bit limbs, least
//! significant first); this table consumes the messages of its opcodes. Every operation is one
//! instance of a single product relation over words of sixteen 16-bit limbs,
//!
//! > `P·Q + R = L + 2²⁵⁶·H`,
//!
//! with the operands and result placed in it as follows (`pow = 2^s` for a shift by `s < 256`,
//! and `0` for a larger shift):
//!
//! | op  | P        | Q     | R          | L        | H       | c                    |
//! |-----|----------|-------|------------|----------|---------|----------------------|
//! | MUL | a        | b     | 0          | c        | free    | L                    |
//! | DIV | quotient | b     | remainder  | a        | 0       | P                    |
//! | MOD | quotient | b     | remainder  | a        | 0       | R, or 0 when b = 0   |
//! | SHL | b        | pow   | 0          | c        | free    | L                    |
//! | SHR | quotient | pow   | remainder  | b        | 0       | P                    |
//! | SAR | quotient | pow   | remainder  | b ⊕ sign | 0       | P ⊕ sign             |
//! | CLZ | 0 or 1   | pow   | remainder  | a        | 0       | 256 − s − P          |
//! | BYTE| quotient | pow   | remainder  | b        | 0       | P mod 2⁸             |
//! | SDIV| quotient | \|b\| | remainder  | \|a\|  | 0       | ±P (sign a ⊕ sign b) |
//! | SMOD| quotient | \|b\| | remainder  | \|a\|  | 0       | ±R (sign a), 0 if b=0|
//!
//! A shift pops its amount `s` first, so `a = s` and `b` is the value shifted. CLZ is unary
//! (`b = 0`); its `s` is a witness, the position of `a`'s highest set bit: the quotient
//! `a / 2^s` is then exactly 1 (`2^s ≤ a < 2^(s+1)`, so `255 − s` leading zeros), or 0 with
//! `s = 0` for `a = 0` (256 zeros). Its rows have `big = 0` and a quotient that is a single
//! bit, and `s = 0` when the quotient is 0.
//!
//! For the division-like rows (DIV, MOD, SHR, SAR) `R < Q` whenever `Q ≠ 0`, which makes the
//! quotient and remainder unique; when `Q = 0` the quotient is forced to 0, so DIV, MOD and the
//! shifts by 256 or more give the EVM's 0 (the relation then reads `0 + R = L`). SAR works on
//! `b ⊕ sign` (every bit flipped when `b` is negative, so its top bit is clear) and flips the
//! quotient back: `SAR(s, b) = ¬(¬b >> s)` for negative `b`.
//!
//! How each part is pinned:
//! - **limbs**: every limb of P, Q, R, L, H is looked up in the 16-bit range table
//!   ([`crate::range::RANGE16`]), so each word is below 2²⁵⁶ and the message's 32-bit limbs are
//!   `x₂ₖ + 2¹⁶·x₂ₖ₊₁` of them;
//! - **the relation**: the column sums `Tₖ = Σ_{i+j=k} PᵢQⱼ + Rₖ − Lₖ − Hₖ₋₁₆` are taken two
//!   positions at a time, `T₂ₘ + 2¹⁶·T₂ₘ₊₁ + κₘ₋₁ = 2³²·κₘ`, with carries `κₘ = cl + 2¹⁶·ch`
//!   range-checked below 2²¹ (`ch·2¹¹` is looked up). Every term is below 2⁵⁴ in absolute
//!   value, far below p, so each equation holds over the integers, and their weighted sum is
//!   the relation itself;
//! - **R = 0** (MUL, SHL) and **H = 0** (division-like) as sums of range-checked limbs;
//! - **Q = 0**: `qz` with `qz·ΣQ = 0`, `live − qz = ΣQ·qinv` and `qz·qinv = 0` (every cell of
//!   a row has one honest value, inverses included);
//! - **R < Q** (division-like, `Q ≠ 0`): a one-hot `e` marks the highest 32-bit limb where the
//!   two differ; above it the limbs are equal, and at it `Qₖ − Rₖ − 1 = dl + 2¹⁶·dh ≥ 0`;
//! - **the shift** (SHL, SHR, SAR): `a₀ = s + 2⁸·t` with `t = tl + 2¹⁶·th` (`tl`, `th·2⁵`
//!   looked up: `t < 2²⁷`, so the split is unique), `s = 16·pos + j` with `pos` one-hot over the 16 limbs and `j`'s four bits,
//!   `big = [t ≠ 0 ∨ a₁…a₇ ≠ 0]` through an inverse, and `Qᵢ = [i = pos]·(1 − big)·2^j`, with
//!   `2^j = (1 + j₀)(1 + 3j₁)(1 + 15j₂)(1 + 255j₃)` built in two degree-2 steps;
//! - **BYTE** (index `a`, value `b`): the byte at big-endian index `i < 32` is the low byte of
//!   `b >> (248 − 8i)`, so the row is SHR by `s = 248 − 8i` with `a₀ = (248 − s)/8 + 32·t`
//!   (multiplied by 8 this is an integer equation, so `s ≡ 248 − 8a₀ mod 256` is unique), and
//!   `P₀ = byte + 2⁸·byte_hi` (`byte·2⁸` and `byte_hi` looked up, so the split is exact). An index of 32 or more makes `big`, so
//!   the quotient and the byte are 0;
//! - **the sign** (SAR): `sign` is boolean, zero elsewhere, and `2·L₁₅` is looked up, so
//!   `b ⊕ sign` has a clear top bit: `sign` is `b`'s top bit;
//! - **signed division** (SDIV, SMOD): `sa`, `sb` are the operands' top bits (`a₇ = al +
//!   2¹⁶·(2¹⁵·sa + ah)` with `al`, `ah` and `2·ah` looked up), the message's `a` is `L` or its
//!   two's-complement negation `¬L + 1` (a carry chain `n` of booleans: as the message must
//!   equal the CPU's word, `L = |a|` exactly), `b` likewise from `Q`, and `c` is the magnitude
//!   (quotient, or remainder when `b ≠ 0`) negated when `sc = sa ⊕ sb` (SDIV) or `sa` (SMOD).
//!   SDIV of −2²⁵⁵ by −1 gives the magnitude 2²⁵⁵ with a positive sign: −2²⁵⁵ again, as the
//!   EVM defines it.
//!
//! The result is eight 32-bit columns `c`, tied per operation to the table above; the message
//! carries `(Σ opcode·selector, a, b, c)` with `a` and `b` rebuilt from the same cells, so the
//! row proves the operation the CPU executed. Operand limbs are below 2³² by the CPU's stack
//! invariant; the high limbs of a shift amount enter only through `big`'s sum.
//! Padding rows (`live = 0`) have no selector and send nothing.

use crate::algebra::Algebra;
use crate::alu::{AluOp, ALU};
use crate::bus::{BusValues, Direction, Interaction};
use crate::component::{padded_len, BoundaryValue, Component, Window};
use crate::halves::{self, limb32, sum, Below, Halves};
use crate::registry::ComponentId;
use crate::rw::LIMBS;
use zkevm_field::Goldilocks;

/// The operations, in selector-column order, with their opcodes.
pub const OPERATIONS: [(Operation, u8); 10] = [
    (Operation::Mul, 0x02),
    (Operation::Div, 0x04),
    (Operation::Mod, 0x06),
    (Operation::Sdiv, 0x05),
    (Operation::Smod, 0x07),
    (Operation::Shl, 0x1b),
    (Operation::Shr, 0x1c),
    (Operation::Sar, 0x1d),
    (Operation::Clz, 0x1e),
    (Operation::Byte, 0x1a),
];

/// An operation the table proves.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Operation {
    Mul,
    Div,
    Mod,
    Sdiv,
    Smod,
    Shl,
    Shr,
    Sar,
    Clz,
    Byte,
}

impl Operation {
    /// The operation of an opcode, if the table proves it.
    pub fn of(opcode: u8) -> Option<Operation> {
        crate::alu::operation_of(&OPERATIONS, opcode)
    }

    fn index(self) -> usize {
        self as usize
    }

    /// `R = 0`, `c = L`: the product's low half is the result.
    fn multiplies(self) -> bool {
        matches!(self, Operation::Mul | Operation::Shl)
    }

    /// Operands and result are two's-complement: the relation runs on magnitudes.
    fn signed(self) -> bool {
        matches!(self, Operation::Sdiv | Operation::Smod)
    }

    /// The first operand is a shift amount.
    fn shifts(self) -> bool {
        matches!(self, Operation::Shl | Operation::Shr | Operation::Sar)
    }

    /// `Q = pow` for an amount held in the shift columns (the shifts' operand, CLZ's witness).
    fn powers(self) -> bool {
        self.shifts() || matches!(self, Operation::Clz | Operation::Byte)
    }
}

pub use crate::halves::HALVES;
/// Carries of the relation: one per pair of positions, the last pair's is zero.
const CARRIES: usize = HALVES - 1;

/// Column indices.
pub mod col {
    use super::{CARRIES, HALVES, LIMBS};
    pub const LIVE: usize = 0;
    /// Selector of the first operation; [`super::Operation`] `o` at `SEL + o as usize`.
    pub const SEL: usize = 1;
    /// The relation's words, sixteen 16-bit limbs each, least significant first.
    pub const P: usize = 11;
    pub const Q: usize = P + HALVES;
    pub const R: usize = Q + HALVES;
    pub const L: usize = R + HALVES;
    pub const H: usize = L + HALVES;
    /// The result, eight 32-bit limbs.
    pub const C: usize = H + HALVES;
    /// Carries `κₘ = cl + 2¹⁶·ch`.
    pub const CL: usize = C + LIMBS;
    pub const CH: usize = CL + CARRIES;
    /// `qz = live·[Q = 0]` and the inverse of `ΣQ` when it is not zero.
    pub const QZ: usize = CH + CARRIES;
    pub const QINV: usize = QZ + 1;
    /// One-hot: the highest 32-bit limb where `R < Q` is decided.
    pub const E: usize = QINV + 1;
    /// `Qₖ − Rₖ − 1` at that limb, as 16-bit halves.
    pub const DL: usize = E + LIMBS;
    pub const DH: usize = DL + 1;
    /// SAR's operand is negative.
    pub const SIGN: usize = DH + 1;
    /// Shift amount: one-hot limb position, the four bits of the offset within the limb.
    pub const POS: usize = SIGN + 1;
    pub const J: usize = POS + HALVES;
    /// `(1 + j₀)(1 + 3j₁)`, `(1 + 15j₂)(1 + 255j₃)`, and `(1 − big)·2^j`.
    pub const P01: usize = J + 4;
    pub const P23: usize = P01 + 1;
    pub const PJB: usize = P23 + 1;
    /// The shift amount's `a₀ >> 8 = tl + 2¹⁶·th`, and its limbs 1…7.
    pub const TL: usize = PJB + 1;
    pub const TH: usize = TL + 1;
    pub const BH: usize = TH + 1;
    /// `big = [a ≥ 256]` and the inverse of the sum that decides it.
    pub const BIG: usize = BH + LIMBS - 1;
    pub const BINV: usize = BIG + 1;
    /// SDIV, SMOD: the signs of `a`, `b` and the result, and `smod_nonzero = is_smod·(1 − qz)`.
    pub const SA: usize = BINV + 1;
    pub const SB: usize = SA + 1;
    pub const SC: usize = SB + 1;
    pub const SMOD_NONZERO: usize = SC + 1;
    /// Carries of the two's-complement negations of `L` (into `a`), `Q` (into `b`) and the
    /// magnitude of the result (into `c`): `nₖ = 1` when limbs `0…k` of the magnitude are 0.
    pub const NA: usize = SMOD_NONZERO + 1;
    pub const NB: usize = NA + LIMBS;
    pub const NC: usize = NB + LIMBS;
    /// `a₇ = al + 2¹⁶·(2¹⁵·sa + ah)` and the same for `b₇` on signed rows.
    pub const AL: usize = NC + LIMBS;
    pub const AH: usize = AL + 1;
    pub const BL: usize = AH + 1;
    pub const BH2: usize = BL + 1;
    /// BYTE: the quotient's low limb as `byte + 2⁸·byte_hi`.
    pub const BYTE: usize = BH2 + 1;
    pub const BYTE_HI: usize = BYTE + 1;
    /// Inverses of the result magnitude's 32-bit limbs where its negation's carry stops
    /// (0 elsewhere): they prove that limb is not zero.
    pub const NC_INV: usize = BYTE_HI + 1;
    pub const WIDTH: usize = NC_INV + LIMBS;
}

/// R < Q: the remainder below the divisor.
const REMAINDER_BELOW: Below = Below {
    x: col::R,
    y: col::Q,
    one_hot: col::E,
    diff: col::DL,
};

/// MUL, DIV, SDIV, MOD, SMOD, SHL, SHR, SAR, CLZ and BYTE over 256-bit words.
#[derive(Debug, Default, Clone, Copy)]
pub struct MulDiv;

fn selector<V: Algebra>(r: &[V], op: Operation) -> V {
    r[col::SEL + op.index()]
}

fn any_of<V: Algebra>(r: &[V], pick: fn(Operation) -> bool) -> V {
    OPERATIONS
        .iter()
        .filter(|(op, _)| pick(*op))
        .fold(V::zero(), |sum, &(op, _)| sum + selector(r, op))
}

/// MUL or SHL.
fn multiplies<V: Algebra>(r: &[V]) -> V {
    any_of(r, Operation::multiplies)
}

/// DIV, MOD, SHR or SAR.
fn divides<V: Algebra>(r: &[V]) -> V {
    any_of(r, |op| !op.multiplies())
}

/// SHL, SHR or SAR.
fn shifts<V: Algebra>(r: &[V]) -> V {
    any_of(r, Operation::shifts)
}

/// SDIV or SMOD.
fn signed<V: Algebra>(r: &[V]) -> V {
    any_of(r, Operation::signed)
}

/// 32-bit limb `k` of `x` or, when `sign` is 1, of its two's-complement negation
/// `¬x + 1`: `xₖ + sign·(2³² − 1 − 2xₖ + nₖ₋₁ − 2³²·nₖ)` with `n₋₁ = 1` and `n` the carries at
/// `carries`.
fn negated_if<V: Algebra>(r: &[V], sign: V, x: V, carries: usize, k: usize) -> V {
    let carry_in = if k == 0 { V::one() } else { r[carries + k - 1] };
    x + sign
        * (V::from_u64(u32::MAX as u64) - x * V::from_u64(2) + carry_in
            - r[carries + k] * V::from_u64(1 << 32))
}

/// SHL, SHR, SAR or CLZ.
fn powers<V: Algebra>(r: &[V]) -> V {
    any_of(r, Operation::powers)
}

/// The amount `s = 16·pos + j` below 256.
fn amount<V: Algebra>(r: &[V]) -> V {
    let mut s = V::zero();
    for i in 0..HALVES {
        s = s + r[col::POS + i] * V::from_u64(16 * i as u64);
    }
    for k in 0..4 {
        s = s + r[col::J + k] * V::from_u64(1 << k);
    }
    s
}

/// `t = tl + 2¹⁶·th`, the amount operand's low limb beyond what `s` takes.
fn amount_rest<V: Algebra>(r: &[V]) -> V {
    r[col::TL] + r[col::TH] * V::from_u64(1 << 16)
}

/// A shift's amount operand, low 32-bit limb, from the row's [`amount`] `s` and
/// [`amount_rest`] `t`: `s + 2⁸·t`.
fn shift_low_limb<V: Algebra>(s: V, t: V) -> V {
    s + t * V::from_u64(1 << 8)
}

/// 8⁻¹ mod p (`8·(p − (p − 1)/8) = 7p + 1`), a constant: the index below is evaluated at
/// every point of the constraint domain.
const INVERSE_OF_8: u64 = 0xdfff_ffff_2000_0001;

/// BYTE's index operand, low 32-bit limb, from `s` and `t`: `(248 − s)/8 + 32·t` (the byte at
/// index `i < 32` is the low byte of `value >> (248 − 8i)`).
fn byte_index_low_limb<V: Algebra>(s: V, t: V) -> V {
    (V::from_u64(248) - s) * V::from_u64(INVERSE_OF_8) + t * V::from_u64(32)
}

/// `x ⊕ sign` for a 32-bit limb `x`: `x + sign·(2³² − 1 − 2x)`.
fn flip<V: Algebra>(r: &[V], x: V) -> V {
    x + r[col::SIGN] * (V::from_u64(u32::MAX as u64) - x * V::from_u64(2))
}

impl Component for MulDiv {
    const ID: ComponentId = ComponentId::MulDiv;
    const NAME: &'static str = "muldiv";
    /// 124 lookups grouped four to a helper (degree 5) instead of two: 205 main columns leave
    /// room for 50 auxiliary ones.
    const GROUPING_DEGREE: usize = 5;
    const COLUMNS: &'static [&'static str] = &[
        "live",
        "is_mul",
        "is_div",
        "is_mod",
        "is_sdiv",
        "is_smod",
        "is_shl",
        "is_shr",
        "is_sar",
        "is_clz",
        "is_byte",
        "p0",
        "p1",
        "p2",
        "p3",
        "p4",
        "p5",
        "p6",
        "p7",
        "p8",
        "p9",
        "p10",
        "p11",
        "p12",
        "p13",
        "p14",
        "p15",
        "q0",
        "q1",
        "q2",
        "q3",
        "q4",
        "q5",
        "q6",
        "q7",
        "q8",
        "q9",
        "q10",
        "q11",
        "q12",
        "q13",
        "q14",
        "q15",
        "r0",
        "r1",
        "r2",
        "r3",
        "r4",
        "r5",
        "r6",
        "r7",
        "r8",
        "r9",
        "r10",
        "r11",
        "r12",
        "r13",
        "r14",
        "r15",
        "l0",
        "l1",
        "l2",
        "l3",
        "l4",
        "l5",
        "l6",
        "l7",
        "l8",
        "l9",
        "l10",
        "l11",
        "l12",
        "l13",
        "l14",
        "l15",
        "h0",
        "h1",
        "h2",
        "h3",
        "h4",
        "h5",
        "h6",
        "h7",
        "h8",
        "h9",
        "h10",
        "h11",
        "h12",
        "h13",
        "h14",
        "h15",
        "c0",
        "c1",
        "c2",
        "c3",
        "c4",
        "c5",
        "c6",
        "c7",
        "carry_lo0",
        "carry_lo1",
        "carry_lo2",
        "carry_lo3",
        "carry_lo4",
        "carry_lo5",
        "carry_lo6",
        "carry_lo7",
        "carry_lo8",
        "carry_lo9",
        "carry_lo10",
        "carry_lo11",
        "carry_lo12",
        "carry_lo13",
        "carry_lo14",
        "carry_hi0",
        "carry_hi1",
        "carry_hi2",
        "carry_hi3",
        "carry_hi4",
        "carry_hi5",
        "carry_hi6",
        "carry_hi7",
        "carry_hi8",
        "carry_hi9",
        "carry_hi10",
        "carry_hi11",
        "carry_hi12",
        "carry_hi13",
        "carry_hi14",
        "q_zero",
        "q_inv",
        "e0",
        "e1",
        "e2",
        "e3",
        "e4",
        "e5",
        "e6",
        "e7",
        "diff_lo",
        "diff_hi",
        "sign",
        "pos0",
        "pos1",
        "pos2",
        "pos3",
        "pos4",
        "pos5",
        "pos6",
        "pos7",
        "pos8",
        "pos9",
        "pos10",
        "pos11",
        "pos12",
        "pos13",
        "pos14",
        "pos15",
        "j0",
        "j1",
        "j2",
        "j3",
        "pow01",
        "pow23",
        "pow",
        "t_lo",
        "t_hi",
        "b1",
        "b2",
        "b3",
        "b4",
        "b5",
        "b6",
        "b7",
        "big",
        "big_inv",
        "sign_a",
        "sign_b",
        "sign_c",
        "smod_nonzero",
        "neg_carry_a0",
        "neg_carry_a1",
        "neg_carry_a2",
        "neg_carry_a3",
        "neg_carry_a4",
        "neg_carry_a5",
        "neg_carry_a6",
        "neg_carry_a7",
        "neg_carry_b0",
        "neg_carry_b1",
        "neg_carry_b2",
        "neg_carry_b3",
        "neg_carry_b4",
        "neg_carry_b5",
        "neg_carry_b6",
        "neg_carry_b7",
        "neg_carry_c0",
        "neg_carry_c1",
        "neg_carry_c2",
        "neg_carry_c3",
        "neg_carry_c4",
        "neg_carry_c5",
        "neg_carry_c6",
        "neg_carry_c7",
        "a_top_lo",
        "a_top_hi",
        "b_top_lo",
        "b_top_hi",
        "byte",
        "byte_hi",
        "neg_stop_inv0",
        "neg_stop_inv1",
        "neg_stop_inv2",
        "neg_stop_inv3",
        "neg_stop_inv4",
        "neg_stop_inv5",
        "neg_stop_inv6",
        "neg_stop_inv7",
    ];

    fn transition_degrees(&self) -> Vec<usize> {
        Vec::new()
    }

    fn eval_transition<V: Algebra>(&self, _w: &Window<'_, V>, _out: &mut [V]) {}

    fn row_degrees(&self) -> Vec<usize> {
        let mut d = vec![2; 1 + OPERATIONS.len()]; // live, selectors boolean
        d.push(1); // selectors sum to live
        d.extend([2; HALVES]); // the relation
        d.extend([2, 2]); // R = 0, H = 0
                          // qz boolean, qz·ΣQ, its inverse (0 when there is none), quotient 0 when Q = 0
        d.extend([2, 2, 2, 2, 3]);
        d.extend(Below::degrees(2)); // R < Q, gated by divides·(1 − qz)
        d.extend([3; LIMBS]); // the result
        d.extend([2; 6]); // signs boolean, zero off SDIV/SMOD
        d.extend([3, 2]); // the result's sign, smod_nonzero
        d.extend([2; 6 * LIMBS]); // negation carries boolean, zero without their sign
        for _ in 0..LIMBS {
            // the result's carry: over a zero limb, after a carry, stops at a non-zero limb
            d.extend([3, 2, 4, 2]);
        }
        d.extend([3, 2, 2, 3, 2, 2]); // the operands' top limbs
        d.extend([2, 2, 3, 3]); // CLZ: no large amount, quotient a bit, amount 0 for x = 0
        d.extend([2, 2, 2]); // BYTE: the quotient's low byte, zero elsewhere
        d.extend([2; HALVES]); // pos boolean
        d.push(1); // pos sums to powers
        d.extend([2; 4]); // j boolean
        d.extend([2, 2, 3]); // pow01, pow23, pow
        d.extend([2, 2, 2, 2]); // big boolean, (1 − big)·sum, its inverse (0 when none)
        d.extend([2; HALVES]); // Q = pos·pow on shifts
        d.extend([2, 2]); // sign boolean, zero off SAR
        d
    }

    fn eval_row<V: Algebra>(&self, r: &[V], out: &mut [V]) {
        let mut out = out.iter_mut();
        let mut emit = |v: V| *out.next().expect("declared constraint") = v;
        let live = r[col::LIVE];
        let one = V::one();
        emit(live.booleanity());
        let mut selected = V::zero();
        for (op, _) in OPERATIONS {
            emit(selector(r, op).booleanity());
            selected = selected + selector(r, op);
        }
        emit(selected - live);

        // P·Q + R = L + 2²⁵⁶·H, two positions per equation.
        let column_sum = |k: usize| {
            let mut t = V::zero();
            for i in k.saturating_sub(HALVES - 1)..=k.min(HALVES - 1) {
                t = t + r[col::P + i] * r[col::Q + k - i];
            }
            match k < HALVES {
                true => t + r[col::R + k] - r[col::L + k],
                false => t - r[col::H + k - HALVES],
            }
        };
        let carry = |m: usize| r[col::CL + m] + r[col::CH + m] * V::from_u64(1 << 16);
        for m in 0..HALVES {
            let carry_in = if m == 0 { V::zero() } else { carry(m - 1) };
            let carry_out = if m == CARRIES {
                V::zero()
            } else {
                carry(m) * V::from_u64(1 << 32)
            };
            emit(
                column_sum(2 * m) + column_sum(2 * m + 1) * V::from_u64(1 << 16) + carry_in
                    - carry_out,
            );
        }
        let (mul, div, power) = (multiplies(r), divides(r), powers(r));
        emit(mul * sum(r, col::R, HALVES));
        emit(div * sum(r, col::H, HALVES));

        let (qz, q_sum) = (r[col::QZ], sum(r, col::Q, HALVES));
        emit(qz.booleanity());
        emit(qz * q_sum);
        emit(live - qz - q_sum * r[col::QINV]);
        emit(qz * r[col::QINV]);
        emit(div * qz * sum(r, col::P, HALVES));

        // R < Q on division rows with Q ≠ 0.
        REMAINDER_BELOW.constraints(r, div * (one - qz), &mut emit);

        // The result.
        let big = r[col::BIG];
        let keeps_quotient =
            selector(r, Operation::Div) + selector(r, Operation::Shr) + selector(r, Operation::Sar);
        let remainder = selector(r, Operation::Mod) * (one - qz);
        // CLZ of a non-zero x is 255 − s for the s with 2^s ≤ x < 2^(s+1): the quotient
        // x / 2^s is 1. For x = 0 the quotient is 0, s is 0 and the count 256.
        let clz = selector(r, Operation::Clz);
        let (p0, amount) = (r[col::P], amount(r));
        for k in 0..LIMBS {
            let quotient = limb32(r, col::P, k);
            let mut expected = mul * limb32(r, col::L, k)
                + keeps_quotient * quotient
                + remainder * limb32(r, col::R, k)
                + flip(r, quotient)
                - quotient;
            if k == 0 {
                expected = expected
                    + clz * (V::from_u64(256) - amount - p0)
                    + selector(r, Operation::Byte) * r[col::BYTE];
            }
            // SDIV: ±quotient; SMOD: ±remainder, or 0 when b = 0.
            let magnitude = selector(r, Operation::Sdiv) * quotient
                + r[col::SMOD_NONZERO] * limb32(r, col::R, k);
            expected = expected + negated_if(r, r[col::SC], magnitude, col::NC, k);
            emit(r[col::C + k] - expected);
        }
        // Signs: boolean, zero off SDIV/SMOD, the result's `sa ⊕ sb` (SDIV) or `sa` (SMOD);
        // each negation's carries boolean and zero when its sign is.
        let (sa, sb, sc) = (r[col::SA], r[col::SB], r[col::SC]);
        let (sdiv, smod, signed) = (
            selector(r, Operation::Sdiv),
            selector(r, Operation::Smod),
            signed(r),
        );
        for sign in [sa, sb, sc] {
            emit(sign.booleanity());
            emit((one - signed) * sign);
        }
        emit(sdiv * (sc - sa - sb + sa * sb * V::from_u64(2)) + smod * (sc - sa));
        emit(r[col::SMOD_NONZERO] - smod * (one - qz));
        for (sign, carries) in [(sa, col::NA), (sb, col::NB), (sc, col::NC)] {
            for k in 0..LIMBS {
                emit(r[carries + k].booleanity());
                emit((one - sign) * r[carries + k]);
            }
        }
        // The result's negation carries are exact (`a`'s and `b`'s are pinned by the CPU's
        // words): a carry continues only from a carry and over a zero limb, and stops only at
        // a non-zero limb (its inverse exists). Otherwise a limb of 2³² or a "negative" limb
        // could stand in the result.
        let sdiv_magnitude = selector(r, Operation::Sdiv);
        for k in 0..LIMBS {
            let x =
                sdiv_magnitude * limb32(r, col::P, k) + r[col::SMOD_NONZERO] * limb32(r, col::R, k);
            let carry_in = if k == 0 { sc } else { r[col::NC + k - 1] };
            let (carry, inverse) = (r[col::NC + k], r[col::NC_INV + k]);
            emit(carry * x);
            emit(carry * (one - carry_in));
            emit((carry_in - carry) * (one - x * inverse));
            emit((one - carry_in + carry) * inverse);
        }
        // The signs are the operands' top bits: a₇ = al + 2¹⁶·(2¹⁵·sa + ah), ah < 2¹⁵.
        let top = LIMBS - 1;
        let a_top = negated_if(r, sa, limb32(r, col::L, top), col::NA, top);
        let b_top = negated_if(r, sb, limb32(r, col::Q, top), col::NB, top);
        for (value, lo, hi, sign) in [
            (a_top, col::AL, col::AH, sa),
            (b_top, col::BL, col::BH2, sb),
        ] {
            emit(
                signed
                    * (value
                        - r[lo]
                        - (sign * V::from_u64(1 << 15) + r[hi]) * V::from_u64(1 << 16)),
            );
            emit((one - signed) * r[lo]);
            emit((one - signed) * r[hi]);
        }
        emit(clz * big);
        emit(clz * (sum(r, col::P, HALVES) - p0));
        emit(clz * p0.booleanity());
        emit(clz * (one - p0) * amount);
        // BYTE: the result is the quotient's low byte.
        let byte = selector(r, Operation::Byte);
        emit(byte * (p0 - r[col::BYTE] - r[col::BYTE_HI] * V::from_u64(1 << 8)));
        emit((one - byte) * r[col::BYTE]);
        emit((one - byte) * r[col::BYTE_HI]);

        // The shift amount and Q = 2^s (or 0).
        for i in 0..HALVES {
            emit(r[col::POS + i].booleanity());
        }
        emit(sum(r, col::POS, HALVES) - power);
        for k in 0..4 {
            emit(r[col::J + k].booleanity());
        }
        let factor = |k: usize| one + r[col::J + k] * V::from_u64((1 << (1 << k)) - 1);
        emit(r[col::P01] - factor(0) * factor(1));
        emit(r[col::P23] - factor(2) * factor(3));
        emit(r[col::PJB] - (one - big) * r[col::P01] * r[col::P23]);
        let big_sum = r[col::TL] + r[col::TH] + sum(r, col::BH, LIMBS - 1);
        emit(big.booleanity());
        emit((one - big) * big_sum);
        emit(big - big_sum * r[col::BINV]);
        emit((one - big) * r[col::BINV]);
        for i in 0..HALVES {
            emit(power * r[col::Q + i] - r[col::POS + i] * r[col::PJB]);
        }

        let sign = r[col::SIGN];
        emit(sign.booleanity());
        emit((one - selector(r, Operation::Sar)) * sign);
    }

    fn boundary(&self) -> Vec<BoundaryValue> {
        // Winterfell needs an assertion; the last row is always padding.
        vec![BoundaryValue::last(col::LIVE, 0)]
    }

    fn interactions(&self) -> Vec<Interaction> {
        let mut interactions = vec![Interaction {
            field_degree: 2,
            ..Interaction::linear(ALU, Direction::Consume, crate::alu::FIELDS)
        }];
        interactions.extend([crate::range::lookup(); RANGE_LOOKUPS - 1]);
        interactions.push(Interaction {
            field_degree: 2,
            ..crate::range::lookup()
        });
        interactions
    }

    fn eval_interactions<V: Algebra>(&self, r: &[V], out: &mut [BusValues<V>]) {
        let live = r[col::LIVE];
        let (shift, clz, signed) = (shifts(r), selector(r, Operation::Clz), signed(r));
        let byte = selector(r, Operation::Byte);
        let mut fields = [V::zero(); crate::alu::FIELDS];
        fields[0] = OPERATIONS.iter().fold(V::zero(), |sum, &(op, code)| {
            sum + selector(r, op) * V::from_u64(code as u64)
        });
        // The EVM pops a shift's amount first: for SHL, SHR, SAR `a` is the amount, `b` the value.
        let (multiplication, division) = (
            selector(r, Operation::Mul),
            selector(r, Operation::Div) + selector(r, Operation::Mod),
        );
        let shifted_right = selector(r, Operation::Shr) + selector(r, Operation::Sar);
        let (s, t) = (amount(r), amount_rest(r));
        for k in 0..LIMBS {
            let (p, q) = (limb32(r, col::P, k), limb32(r, col::Q, k));
            // SAR's dividend is `value ⊕ sign`, so the value is `L ⊕ sign` (`sign` is 0 off SAR).
            let l = limb32(r, col::L, k);
            let value_l = flip(r, l);
            let (amount, index) = match k {
                0 => (shift_low_limb(s, t), byte_index_low_limb(s, t)),
                _ => (r[col::BH + k - 1], r[col::BH + k - 1]),
            };
            // SDIV, SMOD: a = ±L, b = ±Q.
            let a_signed = negated_if(r, r[col::SA], l, col::NA, k) - l + signed * l;
            let b_signed = negated_if(r, r[col::SB], q, col::NB, k) - q + signed * q;
            fields[1 + k] = multiplication * p
                + (division + clz) * l
                + shift * amount
                + byte * index
                + a_signed;
            fields[1 + LIMBS + k] = (multiplication + division) * q
                + b_signed
                + selector(r, Operation::Shl) * p
                + (shifted_right + byte) * l
                + value_l
                - l;
            fields[1 + 2 * LIMBS + k] = r[col::C + k];
        }
        out[0].set(live, &fields);
        let mut at = 1;
        let mut look = |value: V| {
            out[at].set(live, &[value]);
            at += 1;
        };
        for word in [col::P, col::Q, col::R, col::L, col::H] {
            for i in 0..HALVES {
                look(r[word + i]);
            }
        }
        for m in 0..CARRIES {
            look(r[col::CL + m]);
            look(r[col::CH + m] * V::from_u64(1 << 11));
        }
        look(r[col::DL]);
        look(r[col::DH]);
        look(r[col::TL]);
        look(r[col::TH] * V::from_u64(1 << 5));
        look(r[col::BYTE] * V::from_u64(1 << 8));
        look(r[col::BYTE_HI]);
        look(r[col::AL]);
        look(r[col::AH]);
        look(r[col::AH] * V::from_u64(2));
        look(r[col::BL]);
        look(r[col::BH2]);
        look(r[col::BH2] * V::from_u64(2));
        look(selector(r, Operation::Sar) * r[col::L + HALVES - 1] * V::from_u64(2));
    }
}

/// 16-bit values each live row looks up.
const RANGE_LOOKUPS: usize = 5 * HALVES + 2 * CARRIES + 13;

fn word(limbs: &[u32; LIMBS]) -> Word {
    crate::storage::word_of(limbs)
}

use zkevm_evm_spec::witness::Word;

/// The shift amount (the operand `a`) split as the table holds it.
#[derive(Debug, Clone, Copy, Default)]
struct Shift {
    /// `a₀ mod 2⁸`.
    s: u32,
    /// `a₀ >> 8`.
    t: u32,
    /// `a ≥ 256`.
    big: bool,
}

impl Shift {
    fn of(amount: &[u32; LIMBS]) -> Shift {
        Shift {
            s: amount[0] & 0xff,
            t: amount[0] >> 8,
            big: amount[0] >> 8 != 0 || amount[1..].iter().any(|&l| l != 0),
        }
    }

    /// `2^s`, or 0 for a shift by 256 or more.
    fn pow(self) -> Word {
        match self.big {
            true => Word::ZERO,
            false => Word::from(1) << self.s as usize,
        }
    }
}

/// Every value of one operation's row.
struct Row {
    p: Halves,
    q: Halves,
    r: Halves,
    l: Halves,
    h: Halves,
    c: [u32; LIMBS],
    sign: bool,
    shift: Option<Shift>,
    /// SDIV, SMOD: the signs of `a`, `b`, `c` and the magnitude the result negates.
    signs: Option<Signs>,
}

#[derive(Debug, Clone, Copy)]
struct Signs {
    a: bool,
    b: bool,
    c: bool,
    /// |c|: the quotient (SDIV) or remainder (SMOD; 0 when b = 0).
    magnitude: Word,
}

/// The carries of `¬x + 1`, limb by limb: 1 while every limb so far is 0; none without
/// `negate`.
fn negation_carries(x: &Word, negate: bool) -> [u64; LIMBS] {
    let limbs = crate::rw::limbs(x);
    let mut carry = negate;
    core::array::from_fn(|k| {
        carry &= limbs[k] == 0;
        carry as u64
    })
}

impl Row {
    fn of(op: Operation, alu: &AluOp) -> Row {
        // A shift pops its amount first: `a` is the amount and `b` the value shifted.
        let (x, q, shift) = match op {
            _ if op.shifts() => {
                let shift = Shift::of(&alu.a);
                (word(&alu.b), shift.pow(), Some(shift))
            }
            Operation::Byte => {
                // Index i = a₀ + 2³²·(…): the byte is the low byte of value >> (248 − 8i).
                let index = alu.a[0];
                let shift = Shift {
                    s: 248 - 8 * (index & 31),
                    t: index >> 5,
                    big: index >> 5 != 0 || alu.a[1..].iter().any(|&l| l != 0),
                };
                (word(&alu.b), shift.pow(), Some(shift))
            }
            Operation::Clz => {
                let x = word(&alu.a);
                // The highest set bit; 0 when x = 0 (the quotient is then 0, not 1).
                let top = (256 - x.leading_zeros()).saturating_sub(1) as u32;
                let shift = Shift {
                    s: top,
                    t: 0,
                    big: false,
                };
                (x, shift.pow(), Some(shift))
            }
            _ if op.signed() => {
                // The relation divides magnitudes.
                let (a, b) = (word(&alu.a), word(&alu.b));
                let magnitude = |w: Word| if w.bit(255) { w.wrapping_neg() } else { w };
                (magnitude(a), magnitude(b), None)
            }
            _ => (word(&alu.a), word(&alu.b), None),
        };
        // x is the first factor (MUL, SHL) or the dividend (the others).
        let sign = op == Operation::Sar && x.bit(255);
        let dividend = if sign { !x } else { x };
        let mut row = Row {
            p: [0; HALVES],
            q: halves::of_word(&q),
            r: [0; HALVES],
            l: [0; HALVES],
            h: [0; HALVES],
            c: [0; LIMBS],
            sign,
            shift,
            signs: None,
        };
        if op.multiplies() {
            row.p = halves::of_word(&x);
            let product = halves::product(&row.p, &row.q);
            row.l.copy_from_slice(&product[..HALVES]);
            row.h.copy_from_slice(&product[HALVES..]);
            row.c = halves::to_limbs(&row.l);
        } else {
            let (quotient, remainder) = match q.is_zero() {
                true => (Word::ZERO, dividend),
                false => (dividend / q, dividend % q),
            };
            row.p = halves::of_word(&quotient);
            row.r = halves::of_word(&remainder);
            row.l = halves::of_word(&dividend);
            row.c = match op {
                Operation::Mod if q.is_zero() => [0; LIMBS],
                Operation::Mod => halves::to_limbs(&row.r),
                Operation::Sar if sign => crate::rw::limbs(&!quotient),
                Operation::Clz => crate::rw::limbs(&Word::from(x.leading_zeros())),
                Operation::Byte => crate::rw::limbs(&Word::from(row_low_byte(&quotient))),
                _ => halves::to_limbs(&row.p),
            };
            if op.signed() {
                let (a, b) = (word(&alu.a).bit(255), word(&alu.b).bit(255));
                let (c, magnitude) = match op {
                    Operation::Sdiv => (a ^ b, quotient),
                    _ if q.is_zero() => (a, Word::ZERO),
                    _ => (a, remainder),
                };
                let c_word = if c {
                    magnitude.wrapping_neg()
                } else {
                    magnitude
                };
                row.c = crate::rw::limbs(&c_word);
                row.signs = Some(Signs { a, b, c, magnitude });
            }
        }
        row
    }

    /// The carries `κ₀…κ₁₄` of the relation's paired column sums.
    fn carries(&self) -> [u64; CARRIES] {
        let column = |k: usize| -> i128 {
            let mut t: i128 = 0;
            for i in k.saturating_sub(HALVES - 1)..=k.min(HALVES - 1) {
                t += (self.p[i] * self.q[k - i]) as i128;
            }
            match k < HALVES {
                true => t + self.r[k] as i128 - self.l[k] as i128,
                false => t - self.h[k - HALVES] as i128,
            }
        };
        let mut carries = [0u64; CARRIES];
        let mut carry: i128 = 0;
        for (m, out) in carries.iter_mut().enumerate() {
            let total = column(2 * m) + (column(2 * m + 1) << 16) + carry;
            debug_assert!(total >= 0 && total % (1 << 32) == 0, "relation broken");
            carry = total >> 32;
            *out = carry as u64;
        }
        carries
    }
}

/// The low byte of a word.
fn row_low_byte(w: &Word) -> u8 {
    w.to_be_bytes::<32>()[31]
}

/// The result of `op` on `alu`'s operands, as the EVM defines it.
pub fn result(op: Operation, alu: &AluOp) -> [u32; LIMBS] {
    Row::of(op, alu).c
}

/// A laid-out table and the 16-bit values it looks up.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MulDivTrace {
    pub columns: Vec<Vec<Goldilocks>>,
    pub range_lookups: Vec<u16>,
}

/// The table of `ops` (each of an opcode [`Operation::of`] knows), padding rows after.
pub fn trace(ops: &[AluOp]) -> MulDivTrace {
    let rows = padded_len(ops.len());
    let mut columns = vec![vec![Goldilocks::ZERO; rows]; col::WIDTH];
    // 2^j's factors and (1 − big)·2^j are 1 on every row that shifts by nothing.
    for column in [col::P01, col::P23, col::PJB] {
        columns[column].fill(Goldilocks::ONE);
    }
    let mut range_lookups = Vec::with_capacity(RANGE_LOOKUPS * ops.len());
    for (index, alu) in ops.iter().enumerate() {
        let Some(op) = Operation::of(alu.opcode) else {
            continue;
        };
        let row = Row::of(op, alu);
        let carries = row.carries();
        let mut set = |column: usize, value: u64| columns[column][index] = Goldilocks::new(value);
        set(col::LIVE, 1);
        set(col::SEL + op.index(), 1);
        for (word, values) in [
            (col::P, &row.p),
            (col::Q, &row.q),
            (col::R, &row.r),
            (col::L, &row.l),
            (col::H, &row.h),
        ] {
            for (i, &v) in values.iter().enumerate() {
                set(word + i, v);
                range_lookups.push(v as u16);
            }
        }
        for (k, &c) in row.c.iter().enumerate() {
            set(col::C + k, c as u64);
        }
        for (m, &carry) in carries.iter().enumerate() {
            set(col::CL + m, carry & 0xffff);
            set(col::CH + m, carry >> 16);
            range_lookups.extend([carry as u16, ((carry >> 16) << 11) as u16]);
        }
        let q_sum: u64 = row.q.iter().sum();
        set(col::QZ, (q_sum == 0) as u64);
        if q_sum != 0 {
            columns[col::QINV][index] = Goldilocks::new(q_sum).inverse();
        }
        let mut set = |column: usize, value: u64| columns[column][index] = Goldilocks::new(value);
        let (mut dl, mut dh) = (0, 0);
        if !op.multiplies() && q_sum != 0 {
            let (k, [lo, hi]) =
                Below::witness(&halves::to_limbs(&row.r), &halves::to_limbs(&row.q));
            set(col::E + k, 1);
            (dl, dh) = (lo, hi);
        }
        set(col::DL, dl as u64);
        set(col::DH, dh as u64);
        set(col::SIGN, row.sign as u64);
        let shift = row.shift.unwrap_or_default();
        if let Some(s) = row.shift {
            set(col::POS + (s.s >> 4) as usize, 1);
            let j = s.s & 15;
            for k in 0..4 {
                set(col::J + k, (j >> k) as u64 & 1);
            }
            let factor = |k: u32, f: u64| if (j >> k) & 1 == 1 { 1 + f } else { 1 };
            set(col::P01, factor(0, 1) * factor(1, 3));
            set(col::P23, factor(2, 15) * factor(3, 255));
            set(col::PJB, if s.big { 0 } else { 1 << j });
            set(col::TL, (s.t & 0xffff) as u64);
            set(col::TH, (s.t >> 16) as u64);
            if op.shifts() || op == Operation::Byte {
                for k in 1..LIMBS {
                    set(col::BH + k - 1, alu.a[k] as u64);
                }
            }
            set(col::BIG, s.big as u64);
            // The amount's high limbs are the operand's on shifts, none for CLZ.
            let high: u64 = match op.shifts() || op == Operation::Byte {
                true => alu.a[1..].iter().map(|&l| l as u64).sum(),
                false => 0,
            };
            let big_sum = (s.t & 0xffff) as u64 + (s.t >> 16) as u64 + high;
            if big_sum != 0 {
                columns[col::BINV][index] = Goldilocks::new(big_sum).inverse();
            }
        }
        let mut set = |column: usize, value: u64| columns[column][index] = Goldilocks::new(value);
        let (mut top_a, mut top_b) = ((0, 0), (0, 0));
        if let Some(signs) = row.signs {
            set(col::SA, signs.a as u64);
            set(col::SB, signs.b as u64);
            set(col::SC, signs.c as u64);
            set(
                col::SMOD_NONZERO,
                (op == Operation::Smod && q_sum != 0) as u64,
            );
            let magnitudes = [
                (col::NA, word(&halves::to_limbs(&row.l)), signs.a),
                (col::NB, word(&halves::to_limbs(&row.q)), signs.b),
                (col::NC, signs.magnitude, signs.c),
            ];
            for (carries, magnitude, negate) in magnitudes {
                for (k, carry) in negation_carries(&magnitude, negate).into_iter().enumerate() {
                    set(carries + k, carry);
                }
            }
            // Where the result's carry stops (carry in, none out), the limb's inverse.
            let magnitude = crate::rw::limbs(&signs.magnitude);
            let carries = negation_carries(&signs.magnitude, signs.c);
            for k in 0..LIMBS {
                let carry_in = if k == 0 {
                    signs.c as u64
                } else {
                    carries[k - 1]
                };
                if carry_in == 1 && carries[k] == 0 {
                    columns[col::NC_INV + k][index] =
                        Goldilocks::new(magnitude[k] as u64).inverse();
                }
            }
            let mut set =
                |column: usize, value: u64| columns[column][index] = Goldilocks::new(value);
            let split = |limb: u32| ((limb & 0xffff) as u64, (limb >> 16) as u64 & 0x7fff);
            (top_a, top_b) = (split(alu.a[LIMBS - 1]), split(alu.b[LIMBS - 1]));
            set(col::AL, top_a.0);
            set(col::AH, top_a.1);
            set(col::BL, top_b.0);
            set(col::BH2, top_b.1);
        }
        let (byte, byte_hi) = match op {
            Operation::Byte => (row.p[0] & 0xff, row.p[0] >> 8),
            _ => (0, 0),
        };
        columns[col::BYTE][index] = Goldilocks::new(byte);
        columns[col::BYTE_HI][index] = Goldilocks::new(byte_hi);
        range_lookups.extend([
            dl,
            dh,
            (shift.t & 0xffff) as u16,
            ((shift.t >> 16) << 5) as u16,
            (byte << 8) as u16,
            byte_hi as u16,
            top_a.0 as u16,
            top_a.1 as u16,
            (top_a.1 << 1) as u16,
            top_b.0 as u16,
            top_b.1 as u16,
            (top_b.1 << 1) as u16,
            match op {
                Operation::Sar => (row.l[HALVES - 1] << 1) as u16,
                _ => 0,
            },
        ]);
    }
    MulDivTrace {
        columns,
        range_lookups,
    }
}

#[cfg(test)]
mod tests;
