//! Keccak and the execution environment: 0x20, 0x30–0x3f.

use super::{Components as C, DynamicGas as D, MemAccess as M, OpInfo};

const CC: C = C::CALL_CONTEXT;
const TX: C = C::TX_BLOCK;
const ACC: C = C::ACCOUNT;
const MEM: C = C::MEMORY;

/// Keccak and environment opcodes.
pub(super) const OPS: &[OpInfo] = &[
    // 30 + 6 per word hashed + memory expansion.
    OpInfo::new(0x20, "KECCAK256", 30, 2, 1)
        .comp(MEM.with(C::KECCAK))
        .dynamic(D::MemoryPerWord(M::range(0, 1), 6)),
    OpInfo::new(0x30, "ADDRESS", 2, 0, 1).comp(CC),
    OpInfo::new(0x31, "BALANCE", 100, 1, 1)
        .comp(ACC)
        .dynamic(D::AccountAccess),
    OpInfo::new(0x32, "ORIGIN", 2, 0, 1).comp(TX),
    OpInfo::new(0x33, "CALLER", 2, 0, 1).comp(CC),
    OpInfo::new(0x34, "CALLVALUE", 2, 0, 1).comp(CC),
    OpInfo::new(0x35, "CALLDATALOAD", 3, 1, 1).comp(CC.with(C::COPY)),
    OpInfo::new(0x36, "CALLDATASIZE", 2, 0, 1).comp(CC),
    OpInfo::new(0x37, "CALLDATACOPY", 3, 3, 0)
        .comp(CC.with(MEM).with(C::COPY))
        .dynamic(D::MemoryPerWord(M::range(0, 2), 3)),
    OpInfo::new(0x38, "CODESIZE", 2, 0, 1).comp(CC.with(C::BYTECODE)),
    OpInfo::new(0x39, "CODECOPY", 3, 3, 0)
        .comp(CC.with(MEM).with(C::COPY).with(C::BYTECODE))
        .dynamic(D::MemoryPerWord(M::range(0, 2), 3)),
    OpInfo::new(0x3a, "GASPRICE", 2, 0, 1).comp(TX),
    OpInfo::new(0x3b, "EXTCODESIZE", 100, 1, 1)
        .comp(ACC.with(C::BYTECODE))
        .dynamic(D::AccountAccess),
    OpInfo::new(0x3c, "EXTCODECOPY", 100, 4, 0)
        .comp(ACC.with(MEM).with(C::COPY).with(C::BYTECODE))
        .dynamic(D::ExtCodeCopy),
    OpInfo::new(0x3d, "RETURNDATASIZE", 2, 0, 1).comp(CC),
    OpInfo::new(0x3e, "RETURNDATACOPY", 3, 3, 0)
        .comp(CC.with(MEM).with(C::COPY))
        .dynamic(D::MemoryPerWord(M::range(0, 2), 3)),
    OpInfo::new(0x3f, "EXTCODEHASH", 100, 1, 1)
        .comp(ACC)
        .dynamic(D::AccountAccess),
];
