//! The Arithmetic component: 256-bit ADD, SUB, LT, GT, SLT and SGT, one row per operation.
//!
//! The CPU provides `(opcode, a₀…a₇, b₀…b₇, c₀…c₇)` on bus [`ALU`] for each step computing
//! `c = op(a, b)` (32-bit limbs, least significant first); this table consumes the messages of
//! its opcodes and proves the relation.
//!
//! Every operation is one chain of eight limb additions or subtractions with carries:
//! `Xᵢ + σ·(Yᵢ + kᵢ₋₁) = Zᵢ + σ·2³²·kᵢ` (`k₋₁ = 0`), with `σ = +1` for ADD and `−1` otherwise:
//! - ADD: `X = a`, `Y = b`, `Z = c = a + b mod 2²⁵⁶`;
//! - SUB: `X = a`, `Y = b`, `Z = c = a − b mod 2²⁵⁶`;
//! - LT: `X = a`, `Y = b`, `Z = a − b mod 2²⁵⁶`, and `c = k₇` (the final borrow: `a < b`);
//! - GT: `X = b`, `Y = a`, `Z = b − a mod 2²⁵⁶`, and `c = k₇` (`b < a`);
//! - SLT, SGT: as LT, GT with the sign bit of both top limbs flipped (`x <ₛ y` iff
//!   `x ⊕ 2²⁵⁵ <ᵤ y ⊕ 2²⁵⁵`): `X₇ = x₇ + 2³¹ − 2³²·sx` where `sx` is `x₇`'s top bit, and the
//!   same for `Y₇` with `sy`.
//!
//! The signs are pinned by range checks: `X₇ = xl + 2¹⁶·xh` and `Y₇ = yl + 2¹⁶·yh` with all
//! four halves looked up in the 16-bit table (on every live row: unsigned rows hold operand
//! limbs below 2³² there anyway; padding rows hold zeros). With `x₇ < 2³²`, `X₇ = x₇ + 2³¹ − 2³²·sx` lies in `[0, 2³²)` only
//! for `sx` = the top bit of `x₇`. `sx`, `sy` are boolean and zero outside SLT/SGT.
//!
//! Layout: `live`, one selector per operation (boolean, summing to `live`), `X`, `Y` (the
//! operands, below 2³² per limb by the CPU's stack invariant), `Z` as sixteen 16-bit halves
//! `zlᵢ + 2¹⁶·zhᵢ`, each range-checked ([`crate::range::RANGE16`]), and the carries `k`
//! (boolean). With the operands below 2³² and `Z`'s limbs below 2³², each limb equation has
//! exactly one solution `(Zᵢ, kᵢ)`, so `c` is the true result, and its limbs are below 2³² (the
//! stack invariant holds for the word the CPU pushes).
//!
//! The opcode in the message is `Σ opcode·selector`, so a row proves the operation the CPU
//! executed. Padding rows (`live = 0`) have no selector and send nothing.

use crate::algebra::Algebra;
use crate::alu::{AluOp, ALU};
use crate::bus::{BusValues, Direction, Interaction};
use crate::component::{padded_len, BoundaryValue, Component, Window};
use crate::registry::ComponentId;
use crate::rw::LIMBS;
use zkevm_field::Goldilocks;

/// The operations, in selector-column order, with their opcodes.
pub const OPERATIONS: [(Operation, u8); 6] = [
    (Operation::Add, 0x01),
    (Operation::Sub, 0x03),
    (Operation::Lt, 0x10),
    (Operation::Gt, 0x11),
    (Operation::Slt, 0x12),
    (Operation::Sgt, 0x13),
];

/// An operation the table proves.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Operation {
    Add,
    Sub,
    Lt,
    Gt,
    Slt,
    Sgt,
}

impl Operation {
    /// The operation of an opcode, if the table proves it.
    pub fn of(opcode: u8) -> Option<Operation> {
        crate::alu::operation_of(&OPERATIONS, opcode)
    }

    fn index(self) -> usize {
        self as usize
    }

    /// The operands enter the chain swapped (`X = b`, `Y = a`).
    fn swaps(self) -> bool {
        matches!(self, Operation::Gt | Operation::Sgt)
    }

    /// The top limbs enter the chain with their sign bits flipped.
    fn signed(self) -> bool {
        matches!(self, Operation::Slt | Operation::Sgt)
    }
}

/// Column indices.
pub mod col {
    pub const LIVE: usize = 0;
    /// Selector of the first operation; [`super::Operation`] `o` at `SEL + o as usize`.
    pub const SEL: usize = 1;
    /// `X₀`; limb `i` at `X + i`.
    pub const X: usize = 7;
    pub const Y: usize = 15;
    /// `Z`'s low halves `zlᵢ`, then its high halves `zhᵢ`.
    pub const ZL: usize = 23;
    pub const ZH: usize = 31;
    /// Carries (or borrows) `kᵢ` out of limb `i`.
    pub const K: usize = 39;
    /// Sign bits of the chain's operands (SLT, SGT; zero otherwise).
    pub const SX: usize = 47;
    pub const SY: usize = 48;
    /// 16-bit halves of `X₇` and `Y₇`.
    pub const XL: usize = 49;
    pub const XH: usize = 50;
    pub const YL: usize = 51;
    pub const YH: usize = 52;
}

/// ADD, SUB, LT, GT, SLT, SGT over 256-bit words.
#[derive(Debug, Default, Clone, Copy)]
pub struct Arithmetic;

fn z<V: Algebra>(r: &[V], i: usize) -> V {
    r[col::ZL + i] + r[col::ZH + i] * V::from_u64(1 << 16)
}

fn selector<V: Algebra>(r: &[V], op: Operation) -> V {
    r[col::SEL + op.index()]
}

/// SLT or SGT.
fn signed<V: Algebra>(r: &[V]) -> V {
    selector(r, Operation::Slt) + selector(r, Operation::Sgt)
}

impl Component for Arithmetic {
    const ID: ComponentId = ComponentId::Arithmetic;
    const NAME: &'static str = "arithmetic";
    const COLUMNS: &'static [&'static str] = &[
        "live", "is_add", "is_sub", "is_lt", "is_gt", "is_slt", "is_sgt", "x0", "x1", "x2", "x3",
        "x4", "x5", "x6", "x7", "y0", "y1", "y2", "y3", "y4", "y5", "y6", "y7", "zl0", "zl1",
        "zl2", "zl3", "zl4", "zl5", "zl6", "zl7", "zh0", "zh1", "zh2", "zh3", "zh4", "zh5", "zh6",
        "zh7", "k0", "k1", "k2", "k3", "k4", "k5", "k6", "k7", "sx", "sy", "xl", "xh", "yl", "yh",
    ];

    fn transition_degrees(&self) -> Vec<usize> {
        Vec::new()
    }

    fn eval_transition<V: Algebra>(&self, _w: &Window<'_, V>, _out: &mut [V]) {}

    fn row_degrees(&self) -> Vec<usize> {
        let mut degrees = vec![2; 1 + OPERATIONS.len()];
        degrees.push(1);
        degrees.extend([2; LIMBS]); // carries boolean
        degrees.extend([2; LIMBS]); // limb equations
        degrees.extend([2; 4]); // signs boolean, zero unless signed
        degrees.extend([1; 2]); // top limbs' halves
        degrees
    }

    fn eval_row<V: Algebra>(&self, r: &[V], out: &mut [V]) {
        let live = r[col::LIVE];
        out[0] = live.booleanity();
        let mut selected = V::zero();
        for (op, _) in OPERATIONS {
            let s = selector(r, op);
            out[1 + op.index()] = s.booleanity();
            selected = selected + s;
        }
        let at = 1 + OPERATIONS.len();
        out[at] = selected - live;
        let sign = selector(r, Operation::Add) * V::from_u64(2) - live;
        let base = V::from_u64(1 << 32);
        for i in 0..LIMBS {
            let k = r[col::K + i];
            out[at + 1 + i] = k.booleanity();
            let carry_in = if i == 0 { V::zero() } else { r[col::K + i - 1] };
            out[at + 1 + LIMBS + i] =
                r[col::X + i] + sign * (r[col::Y + i] + carry_in) - z(r, i) - sign * base * k;
        }
        let at = at + 1 + 2 * LIMBS;
        let unsigned = V::one() - signed(r);
        for (j, s) in [col::SX, col::SY].into_iter().enumerate() {
            out[at + 2 * j] = r[s].booleanity();
            out[at + 2 * j + 1] = unsigned * r[s];
        }
        let half = V::from_u64(1 << 16);
        out[at + 4] = r[col::X + LIMBS - 1] - r[col::XL] - r[col::XH] * half;
        out[at + 5] = r[col::Y + LIMBS - 1] - r[col::YL] - r[col::YH] * half;
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
        interactions.extend([crate::range::lookup(); 2 * LIMBS + 4]);
        interactions
    }

    fn eval_interactions<V: Algebra>(&self, r: &[V], out: &mut [BusValues<V>]) {
        let live = r[col::LIVE];
        let swapped = selector(r, Operation::Gt) + selector(r, Operation::Sgt);
        let compares = selector(r, Operation::Lt) + swapped + selector(r, Operation::Slt);
        let word_result = live - compares;
        let signed = signed(r);
        // The chain's top limbs with their sign bits restored: x₇ = X₇ − 2³¹ + 2³²·sx on
        // SLT/SGT rows (`sx` is zero on the others, so it needs no selector: degree 1).
        let restore = |limb: usize, sign: usize| {
            r[limb] + r[sign] * V::from_u64(1 << 32) - signed * V::from_u64(1 << 31)
        };
        let top = LIMBS - 1;
        let (x_top, y_top) = (
            restore(col::X + top, col::SX),
            restore(col::Y + top, col::SY),
        );
        let mut fields = [V::zero(); crate::alu::FIELDS];
        fields[0] = OPERATIONS.iter().fold(V::zero(), |sum, &(op, code)| {
            sum + selector(r, op) * V::from_u64(code as u64)
        });
        for i in 0..LIMBS {
            let (x, y) = match i == top {
                true => (x_top, y_top),
                false => (r[col::X + i], r[col::Y + i]),
            };
            // GT's and SGT's operands are swapped into X, Y.
            fields[1 + i] = x + swapped * (y - x);
            fields[1 + LIMBS + i] = y + swapped * (x - y);
            fields[1 + 2 * LIMBS + i] = word_result * z(r, i);
        }
        fields[1 + 2 * LIMBS] = fields[1 + 2 * LIMBS] + compares * r[col::K + LIMBS - 1];
        out[0].set(live, &fields);
        for i in 0..LIMBS {
            out[1 + i].set(live, &[r[col::ZL + i]]);
            out[1 + LIMBS + i].set(live, &[r[col::ZH + i]]);
        }
        for (k, half) in [col::XL, col::XH, col::YL, col::YH].into_iter().enumerate() {
            out[1 + 2 * LIMBS + k].set(live, &[r[half]]);
        }
    }
}

/// The result of `op` on `alu`'s operands, as the EVM defines it.
pub fn result(op: Operation, alu: &AluOp) -> [u32; LIMBS] {
    let chain = Chain::of(op, alu);
    match op {
        Operation::Add | Operation::Sub => chain.z,
        Operation::Lt | Operation::Gt | Operation::Slt | Operation::Sgt => {
            let mut bit = [0; LIMBS];
            bit[0] = chain.carries[LIMBS - 1] as u32;
            bit
        }
    }
}

/// `X`, `Y`, `Z` and the carries of one row.
struct Chain {
    x: [u32; LIMBS],
    y: [u32; LIMBS],
    z: [u32; LIMBS],
    carries: [bool; LIMBS],
}

impl Chain {
    /// The limb chain of `op` on `alu`'s operands (module docs).
    fn of(op: Operation, alu: &AluOp) -> Chain {
        let (mut x, mut y) = match op.swaps() {
            true => (alu.b, alu.a),
            false => (alu.a, alu.b),
        };
        if op.signed() {
            x[LIMBS - 1] ^= 1 << 31;
            y[LIMBS - 1] ^= 1 << 31;
        }
        let mut z = [0u32; LIMBS];
        let mut carries = [false; LIMBS];
        let mut carry = false;
        for i in 0..LIMBS {
            let (value, out) = match op {
                Operation::Add => {
                    let sum = x[i] as u64 + y[i] as u64 + carry as u64;
                    (sum as u32, sum >> 32 != 0)
                }
                _ => {
                    let subtrahend = y[i] as u64 + carry as u64;
                    let borrow = (x[i] as u64) < subtrahend;
                    (
                        (x[i] as u64 + ((borrow as u64) << 32) - subtrahend) as u32,
                        borrow,
                    )
                }
            };
            z[i] = value;
            carries[i] = out;
            carry = out;
        }
        Chain { x, y, z, carries }
    }
}

/// A laid-out table and the 16-bit values it looks up.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ArithmeticTrace {
    pub columns: Vec<Vec<Goldilocks>>,
    pub range_lookups: Vec<u16>,
}

/// The table of `ops` (each of an opcode [`Operation::of`] knows), padding rows after.
pub fn trace(ops: &[AluOp]) -> ArithmeticTrace {
    let rows = padded_len(ops.len());
    let mut columns = vec![vec![Goldilocks::ZERO; rows]; Arithmetic::COLUMNS.len()];
    let mut range_lookups = Vec::with_capacity((2 * LIMBS + 4) * ops.len());
    for (r, alu) in ops.iter().enumerate() {
        let Some(op) = Operation::of(alu.opcode) else {
            continue;
        };
        let Chain { x, y, z, carries } = Chain::of(op, alu);
        let mut set = |column: usize, value: u64| columns[column][r] = Goldilocks::new(value);
        set(col::LIVE, 1);
        set(col::SEL + op.index(), 1);
        let top = LIMBS - 1;
        if op.signed() {
            // The chain holds the flipped top limbs: their original top bits are the signs.
            set(col::SX, (!x[top] >> 31) as u64 & 1);
            set(col::SY, (!y[top] >> 31) as u64 & 1);
        }
        set(col::XL, (x[top] & 0xffff) as u64);
        set(col::XH, (x[top] >> 16) as u64);
        set(col::YL, (y[top] & 0xffff) as u64);
        set(col::YH, (y[top] >> 16) as u64);
        range_lookups.extend(
            [x[top], y[top]]
                .iter()
                .flat_map(|&l| [l as u16, (l >> 16) as u16]),
        );
        for i in 0..LIMBS {
            set(col::X + i, x[i] as u64);
            set(col::Y + i, y[i] as u64);
            set(col::ZL + i, (z[i] & 0xffff) as u64);
            set(col::ZH + i, (z[i] >> 16) as u64);
            set(col::K + i, carries[i] as u64);
        }
        range_lookups.extend(z.iter().map(|&l| l as u16));
        range_lookups.extend(z.iter().map(|&l| (l >> 16) as u16));
    }
    ArithmeticTrace {
        columns,
        range_lookups,
    }
}

#[cfg(test)]
mod tests;
