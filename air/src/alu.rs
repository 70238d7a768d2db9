//! The ALU bus: binary word operations the CPU hands to the tables that prove them.
//!
//! For each step of the CPU's `Alu` family (pop `a`, pop `b`, push `c`) and each unary NOT or
//! CLZ (pop `a`, push `c`; `b = 0`) the CPU provides `(opcode, a₀…a₇, b₀…b₇, c₀…c₇)` on bus
//! [`ALU`] (32-bit limbs, least significant first). Exactly one table consumes each message,
//! chosen by the opcode ([`Table::of`]): [`crate::arithmetic::Arithmetic`] (ADD, SUB, LT, GT,
//! SLT, SGT), [`crate::bitwise::Bitwise`] (AND, OR, XOR, NOT), [`crate::muldiv::MulDiv`] (MUL,
//! DIV, SDIV, MOD, SMOD, SHL, SHR, SAR, CLZ, BYTE) or [`crate::signextend::SignExtend`]
//! (SIGNEXTEND). EXP's message carries its exponent's byte count in the opcode field
//! (`EXP + 2⁸·bytes`, the count range-checked by the CPU) and goes to [`crate::exp::Exp`],
//! which provides the MUL messages of its products to MulDiv in turn. A table consumes only
//! opcodes it proves, and its constraints tie the result to the operands, so a message whose
//! `c` is not `op(a, b)` is consumed by nobody and the block does not balance.

use crate::bus::BusId;
use crate::cpu::LIMBS;
use crate::{arithmetic, bitwise, muldiv, signextend};
use zkevm_field::Goldilocks;

/// Bus of ALU operations, provided by the CPU: `(opcode, a₀…a₇, b₀…b₇, c₀…c₇)`.
pub const ALU: BusId = 29;

/// Fields of an ALU message.
pub const FIELDS: usize = 1 + 3 * LIMBS;

/// The table that proves an opcode's operation.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Table {
    Arithmetic(arithmetic::Operation),
    Bitwise(bitwise::Operation),
    MulDiv(muldiv::Operation),
    SignExtend,
}

impl Table {
    /// The table of an opcode, if one proves it.
    pub fn of(opcode: u8) -> Option<Table> {
        arithmetic::Operation::of(opcode)
            .map(Table::Arithmetic)
            .or_else(|| bitwise::Operation::of(opcode).map(Table::Bitwise))
            .or_else(|| muldiv::Operation::of(opcode).map(Table::MulDiv))
            .or_else(|| (opcode == signextend::SIGNEXTEND).then_some(Table::SignExtend))
    }
}

/// The operation a table's `(operation, opcode)` list gives an opcode, if any.
pub fn operation_of<O: Copy>(operations: &[(O, u8)], opcode: u8) -> Option<O> {
    (operations.iter())
        .find(|(_, code)| *code == opcode)
        .map(|(op, _)| *op)
}

/// The CPU's messages for `ops` claiming `results`, as public messages: tables tested alone
/// consume them as they would the CPU's.
#[cfg(test)]
pub fn messages(ops: &[AluOp], results: &[[u32; LIMBS]]) -> Vec<crate::PublicMessage> {
    (ops.iter().zip(results))
        .map(|(op, c)| crate::PublicMessage::provide(ALU, &op.message_fields(c)))
        .collect()
}

/// One operation the CPU executed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct AluOp {
    pub opcode: u8,
    pub a: [u32; LIMBS],
    pub b: [u32; LIMBS],
}

impl AluOp {
    /// The operation's result, as the EVM defines it, if a table proves the opcode.
    pub fn result(&self) -> Option<[u32; LIMBS]> {
        Some(match Table::of(self.opcode)? {
            Table::Arithmetic(op) => arithmetic::result(op, self),
            Table::Bitwise(op) => bitwise::result(op, self),
            Table::MulDiv(op) => muldiv::result(op, self),
            Table::SignExtend => signextend::result(self),
        })
    }

    /// The message the CPU provides for this operation with result `c`.
    pub fn message_fields(&self, c: &[u32; LIMBS]) -> Vec<Goldilocks> {
        let mut fields = vec![Goldilocks::new(self.opcode as u64)];
        for word in [&self.a, &self.b, c] {
            fields.extend(word.iter().map(|&l| Goldilocks::new(l as u64)));
        }
        fields
    }
}

/// The operations of `ops` that `table` proves, in order.
pub fn proven_by(ops: &[AluOp], table: fn(Table) -> bool) -> Vec<AluOp> {
    ops.iter()
        .filter(|op| Table::of(op.opcode).is_some_and(table))
        .copied()
        .collect()
}
