//! Stack, memory, storage and flow: 0x50–0x5e, and PUSH0–PUSH32, DUP1–16, SWAP1–16.

use super::{Components as C, DynamicGas as D, MemAccess as M, OpInfo};

const MEM: C = C::MEMORY;

/// Stack, memory, storage and flow opcodes.
pub(super) const OPS: &[OpInfo] = &[
    OpInfo::new(0x50, "POP", 2, 1, 0),
    OpInfo::new(0x51, "MLOAD", 3, 1, 1)
        .comp(MEM)
        .dynamic(D::Memory(M::fixed(0, 32))),
    OpInfo::new(0x52, "MSTORE", 3, 2, 0)
        .comp(MEM)
        .dynamic(D::Memory(M::fixed(0, 32))),
    OpInfo::new(0x53, "MSTORE8", 3, 2, 0)
        .comp(MEM)
        .dynamic(D::Memory(M::fixed(0, 1))),
    OpInfo::new(0x54, "SLOAD", 100, 1, 1)
        .comp(C::STORAGE.with(C::ACCOUNT).with(C::CALL_CONTEXT))
        .dynamic(D::Sload),
    OpInfo::new(0x55, "SSTORE", 0, 2, 0)
        .comp(C::STORAGE.with(C::ACCOUNT).with(C::CALL_CONTEXT))
        .dynamic(D::Sstore)
        .state_writing(),
    OpInfo::new(0x56, "JUMP", 8, 1, 0).comp(C::BYTECODE),
    OpInfo::new(0x57, "JUMPI", 10, 2, 0).comp(C::BYTECODE),
    OpInfo::new(0x58, "PC", 2, 0, 1),
    OpInfo::new(0x59, "MSIZE", 2, 0, 1),
    OpInfo::new(0x5a, "GAS", 2, 0, 1),
    OpInfo::new(0x5b, "JUMPDEST", 1, 0, 0),
    OpInfo::new(0x5c, "TLOAD", 100, 1, 1).comp(C::TRANSIENT.with(C::CALL_CONTEXT)),
    OpInfo::new(0x5d, "TSTORE", 100, 2, 0)
        .comp(C::TRANSIENT.with(C::CALL_CONTEXT))
        .state_writing(),
    // 3 + 3 per word copied + memory expansion over both ranges.
    OpInfo::new(0x5e, "MCOPY", 3, 3, 0)
        .comp(MEM.with(C::COPY))
        .dynamic(D::MemoryPerWord(M::range(0, 2), 3)),
];

const PUSH_NAMES: [&str; 33] = [
    "PUSH0", "PUSH1", "PUSH2", "PUSH3", "PUSH4", "PUSH5", "PUSH6", "PUSH7", "PUSH8", "PUSH9",
    "PUSH10", "PUSH11", "PUSH12", "PUSH13", "PUSH14", "PUSH15", "PUSH16", "PUSH17", "PUSH18",
    "PUSH19", "PUSH20", "PUSH21", "PUSH22", "PUSH23", "PUSH24", "PUSH25", "PUSH26", "PUSH27",
    "PUSH28", "PUSH29", "PUSH30", "PUSH31", "PUSH32",
];
const DUP_NAMES: [&str; 16] = [
    "DUP1", "DUP2", "DUP3", "DUP4", "DUP5", "DUP6", "DUP7", "DUP8", "DUP9", "DUP10", "DUP11",
    "DUP12", "DUP13", "DUP14", "DUP15", "DUP16",
];
const SWAP_NAMES: [&str; 16] = [
    "SWAP1", "SWAP2", "SWAP3", "SWAP4", "SWAP5", "SWAP6", "SWAP7", "SWAP8", "SWAP9", "SWAP10",
    "SWAP11", "SWAP12", "SWAP13", "SWAP14", "SWAP15", "SWAP16",
];

/// PUSH0 (2 gas) and PUSH1–32, DUP1–16, SWAP1–16 (3 gas each).
pub(super) fn push_dup_swap() -> impl Iterator<Item = OpInfo> {
    let push = (0u8..=32).map(|n| {
        let gas = if n == 0 { 2 } else { 3 };
        let op = OpInfo::new(0x5f + n, PUSH_NAMES[n as usize], gas, 0, 1).immediate(n);
        if n == 0 {
            op
        } else {
            op.comp(C::BYTECODE)
        }
    });
    let dup = (1u8..=16).map(|n| OpInfo::new(0x7f + n, DUP_NAMES[n as usize - 1], 3, n, n + 1));
    let swap =
        (1u8..=16).map(|n| OpInfo::new(0x8f + n, SWAP_NAMES[n as usize - 1], 3, n + 1, n + 1));
    push.chain(dup).chain(swap)
}
