//! Arithmetic: 0x01–0x0b. Each step sends one operation to the arithmetic tables.

use super::{Components as C, DynamicGas, OpInfo};

const A: C = C::ARITHMETIC;

/// Arithmetic opcodes.
pub(super) const OPS: &[OpInfo] = &[
    OpInfo::new(0x00, "STOP", 0, 0, 0).terminating(),
    OpInfo::new(0x01, "ADD", 3, 2, 1).comp(A),
    OpInfo::new(0x02, "MUL", 5, 2, 1).comp(A),
    OpInfo::new(0x03, "SUB", 3, 2, 1).comp(A),
    OpInfo::new(0x04, "DIV", 5, 2, 1).comp(A),
    OpInfo::new(0x05, "SDIV", 5, 2, 1).comp(A),
    OpInfo::new(0x06, "MOD", 5, 2, 1).comp(A),
    OpInfo::new(0x07, "SMOD", 5, 2, 1).comp(A),
    OpInfo::new(0x08, "ADDMOD", 8, 3, 1).comp(A),
    OpInfo::new(0x09, "MULMOD", 8, 3, 1).comp(A),
    // 10 + 50 per byte of the exponent.
    OpInfo::new(0x0a, "EXP", 10, 2, 1)
        .comp(A)
        .dynamic(DynamicGas::Exp),
    OpInfo::new(0x0b, "SIGNEXTEND", 5, 2, 1).comp(A),
];
