//! Comparison and bitwise: 0x10–0x1e. Comparisons go to the arithmetic (AddCmp) table,
//! AND/OR/XOR/BYTE to the byte-lookup table, shifts to arithmetic (as MUL/DIV by 2^s); NOT and
//! ISZERO/EQ are evaluated in the CPU row.

use super::{Components as C, OpInfo};

const A: C = C::ARITHMETIC;
const B: C = C::BITWISE;

/// Comparison and bitwise opcodes.
pub(super) const OPS: &[OpInfo] = &[
    OpInfo::new(0x10, "LT", 3, 2, 1).comp(A),
    OpInfo::new(0x11, "GT", 3, 2, 1).comp(A),
    OpInfo::new(0x12, "SLT", 3, 2, 1).comp(A),
    OpInfo::new(0x13, "SGT", 3, 2, 1).comp(A),
    OpInfo::new(0x14, "EQ", 3, 2, 1),
    OpInfo::new(0x15, "ISZERO", 3, 1, 1),
    OpInfo::new(0x16, "AND", 3, 2, 1).comp(B),
    OpInfo::new(0x17, "OR", 3, 2, 1).comp(B),
    OpInfo::new(0x18, "XOR", 3, 2, 1).comp(B),
    OpInfo::new(0x19, "NOT", 3, 1, 1),
    OpInfo::new(0x1a, "BYTE", 3, 2, 1).comp(B),
    OpInfo::new(0x1b, "SHL", 3, 2, 1).comp(A),
    OpInfo::new(0x1c, "SHR", 3, 2, 1).comp(A),
    OpInfo::new(0x1d, "SAR", 3, 2, 1).comp(A),
    // EIP-7939 (Osaka): count leading zeros.
    OpInfo::new(0x1e, "CLZ", 5, 1, 1).comp(B),
];
