//! The Bitwise component: 256-bit AND, OR, XOR and NOT, one row per operation, byte by byte.
//!
//! A row holds the operands' 32 bytes `Aₖ`, `Bₖ` (little-endian: limb `i` is
//! `Σⱼ 256ʲ·A₄ᵢ₊ⱼ`) and the bytes `Nₖ = Aₖ AND Bₖ`. Each triple `(Aₖ, Bₖ, Nₖ)` is looked up
//! in the [`crate::and_table::AndTable`] (bus [`BYTE_AND`]), which holds only triples of
//! bytes with `N = A AND B`; that lookup also makes every `Aₖ`, `Bₖ` a byte. The result bytes
//! then follow linearly from `a + b = (a XOR b) + 2·(a AND b)`:
//! - AND: `Cₖ = Nₖ`;
//! - OR: `Cₖ = Aₖ + Bₖ − Nₖ`;
//! - XOR: `Cₖ = Aₖ + Bₖ − 2·Nₖ`;
//! - NOT: `Cₖ = 255 − Aₖ`. The CPU sends `b = 0` for NOT, so the message pins every `Bₖ` to 0
//!   (and the lookup `Nₖ` to 0): the row's cells are all determined.
//!
//! Constraints: `live` and the selectors are boolean and the selectors sum to `live`. The row
//! consumes `(opcode, a, b, c)` from the CPU on bus [`ALU`] with `opcode = Σ code·selector`
//! and the limbs assembled from the bytes; the CPU's operand limbs are below 2³², so the bytes
//! are their unique split and the row proves the operation the CPU executed.
//!
//! Padding rows (`live = 0`) have no selector and consume nothing; their bytes are don't-cares.

use crate::algebra::Algebra;
use crate::alu::{AluOp, ALU};
use crate::bus::{BusId, BusValues, Direction, Interaction};
use crate::component::{padded_len, BoundaryValue, Component, Window};
use crate::cpu::LIMBS;
use crate::registry::ComponentId;
use zkevm_field::Goldilocks;

/// Bus of byte AND triples, provided by the [`crate::and_table::AndTable`]: `(a, b, a AND b)`.
pub const BYTE_AND: BusId = 34;

/// Bytes of a word.
pub const BYTES: usize = 4 * LIMBS;

/// The operations, in selector-column order, with their opcodes.
pub const OPERATIONS: [(Operation, u8); 4] = [
    (Operation::And, 0x16),
    (Operation::Or, 0x17),
    (Operation::Xor, 0x18),
    (Operation::Not, 0x19),
];

/// An operation the table proves.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Operation {
    And,
    Or,
    Xor,
    Not,
}

impl Operation {
    /// The operation of an opcode, if the table proves it.
    pub fn of(opcode: u8) -> Option<Operation> {
        crate::alu::operation_of(&OPERATIONS, opcode)
    }

    fn index(self) -> usize {
        self as usize
    }

    /// The operation on one pair of bytes.
    fn apply(self, a: u32, b: u32) -> u32 {
        match self {
            Operation::And => a & b,
            Operation::Or => a | b,
            Operation::Xor => a ^ b,
            Operation::Not => !a,
        }
    }
}

/// Column indices.
pub mod col {
    use super::BYTES;
    pub const LIVE: usize = 0;
    /// Selector of the first operation; [`super::Operation`] `o` at `SEL + o as usize`.
    pub const SEL: usize = 1;
    /// `A₀`; byte `k` at `A + k`.
    pub const A: usize = 5;
    pub const B: usize = A + BYTES;
    /// `N₀ = A₀ AND B₀`.
    pub const N: usize = B + BYTES;
    pub const WIDTH: usize = N + BYTES;
}

/// AND, OR, XOR, NOT over 256-bit words.
#[derive(Debug, Default, Clone, Copy)]
pub struct Bitwise;

/// Result byte `k` of the row's operation (module docs).
fn result_byte<V: Algebra>(r: &[V], k: usize) -> V {
    let (a, b, n) = (r[col::A + k], r[col::B + k], r[col::N + k]);
    let sel = |op: Operation| r[col::SEL + op.index()];
    let (and, or, xor) = (sel(Operation::And), sel(Operation::Or), sel(Operation::Xor));
    let not = sel(Operation::Not);
    (or + xor) * (a + b) + (and - or - xor * V::from_u64(2)) * n + not * (V::from_u64(255) - a)
}

/// Limb `i` of the word whose bytes `byte(k)` gives.
fn limb<V: Algebra>(byte: impl Fn(usize) -> V, i: usize) -> V {
    (0..4)
        .rev()
        .fold(V::zero(), |sum, j| sum * V::from_u64(256) + byte(4 * i + j))
}

impl Component for Bitwise {
    const ID: ComponentId = ComponentId::Bitwise;
    const NAME: &'static str = "bitwise";
    const COLUMNS: &'static [&'static str] = &[
        "live", "is_and", "is_or", "is_xor", "is_not", "a0", "a1", "a2", "a3", "a4", "a5", "a6",
        "a7", "a8", "a9", "a10", "a11", "a12", "a13", "a14", "a15", "a16", "a17", "a18", "a19",
        "a20", "a21", "a22", "a23", "a24", "a25", "a26", "a27", "a28", "a29", "a30", "a31", "b0",
        "b1", "b2", "b3", "b4", "b5", "b6", "b7", "b8", "b9", "b10", "b11", "b12", "b13", "b14",
        "b15", "b16", "b17", "b18", "b19", "b20", "b21", "b22", "b23", "b24", "b25", "b26", "b27",
        "b28", "b29", "b30", "b31", "n0", "n1", "n2", "n3", "n4", "n5", "n6", "n7", "n8", "n9",
        "n10", "n11", "n12", "n13", "n14", "n15", "n16", "n17", "n18", "n19", "n20", "n21", "n22",
        "n23", "n24", "n25", "n26", "n27", "n28", "n29", "n30", "n31",
    ];

    fn transition_degrees(&self) -> Vec<usize> {
        Vec::new()
    }

    fn eval_transition<V: Algebra>(&self, _w: &Window<'_, V>, _out: &mut [V]) {}

    fn row_degrees(&self) -> Vec<usize> {
        let mut degrees = vec![2; 1 + OPERATIONS.len()];
        degrees.push(1);
        degrees
    }

    fn eval_row<V: Algebra>(&self, r: &[V], out: &mut [V]) {
        let live = r[col::LIVE];
        out[0] = live.booleanity();
        let mut selected = V::zero();
        for (op, _) in OPERATIONS {
            let s = r[col::SEL + op.index()];
            out[1 + op.index()] = s.booleanity();
            selected = selected + s;
        }
        out[1 + OPERATIONS.len()] = selected - live;
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
        interactions.extend([Interaction::linear(BYTE_AND, Direction::Consume, 3); BYTES]);
        interactions
    }

    fn eval_interactions<V: Algebra>(&self, r: &[V], out: &mut [BusValues<V>]) {
        let live = r[col::LIVE];
        let mut fields = [V::zero(); crate::alu::FIELDS];
        fields[0] = OPERATIONS.iter().fold(V::zero(), |sum, &(op, code)| {
            sum + r[col::SEL + op.index()] * V::from_u64(code as u64)
        });
        for i in 0..LIMBS {
            fields[1 + i] = limb(|k| r[col::A + k], i);
            fields[1 + LIMBS + i] = limb(|k| r[col::B + k], i);
            fields[1 + 2 * LIMBS + i] = limb(|k| result_byte(r, k), i);
        }
        out[0].set(live, &fields);
        for k in 0..BYTES {
            out[1 + k].set(live, &[r[col::A + k], r[col::B + k], r[col::N + k]]);
        }
    }
}

/// The result of `op` on `alu`'s operands, as the EVM defines it.
pub fn result(op: Operation, alu: &AluOp) -> [u32; LIMBS] {
    let mut c = [0u32; LIMBS];
    for (i, limb) in c.iter_mut().enumerate() {
        *limb = op.apply(alu.a[i], alu.b[i]);
    }
    c
}

/// Byte `k` (little-endian) of a word given as limbs.
fn byte(word: &[u32; LIMBS], k: usize) -> u8 {
    (word[k / 4] >> (8 * (k % 4))) as u8
}

/// A laid-out table and the byte pairs it looks up in the AND table.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BitwiseTrace {
    pub columns: Vec<Vec<Goldilocks>>,
    /// One `(a, b)` per byte of every operation.
    pub and_lookups: Vec<(u8, u8)>,
}

/// The table of `ops` (each of an opcode [`Operation::of`] knows), padding rows after.
pub fn trace(ops: &[AluOp]) -> BitwiseTrace {
    let rows = padded_len(ops.len());
    let mut columns = vec![vec![Goldilocks::ZERO; rows]; col::WIDTH];
    let mut and_lookups = Vec::with_capacity(BYTES * ops.len());
    for (r, alu) in ops.iter().enumerate() {
        let Some(op) = Operation::of(alu.opcode) else {
            continue;
        };
        let mut set = |column: usize, value: u8| columns[column][r] = Goldilocks::new(value as u64);
        set(col::LIVE, 1);
        set(col::SEL + op.index(), 1);
        for k in 0..BYTES {
            let (a, b) = (byte(&alu.a, k), byte(&alu.b, k));
            set(col::A + k, a);
            set(col::B + k, b);
            set(col::N + k, a & b);
            and_lookups.push((a, b));
        }
    }
    BitwiseTrace {
        columns,
        and_lookups,
    }
}

#[cfg(test)]
mod tests;
