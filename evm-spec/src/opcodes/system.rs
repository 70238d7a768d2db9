//! System: calls, creates, returns, SELFDESTRUCT (0xf0–0xff).

use super::{Components as C, DynamicGas as D, MemAccess as M, OpInfo};

const FRAME: C = C::FRAME
    .with(C::CALL_CONTEXT)
    .with(C::ACCOUNT)
    .with(C::MEMORY)
    .with(C::COPY);

/// System opcodes.
pub(super) const OPS: &[OpInfo] = &[
    // 32,000 + 2 per init-code word + memory expansion + forwarded gas.
    OpInfo::new(0xf0, "CREATE", 32000, 3, 1)
        .comp(FRAME.with(C::BYTECODE))
        .dynamic(D::Create)
        .state_writing(),
    OpInfo::new(0xf1, "CALL", 100, 7, 1)
        .comp(FRAME)
        .dynamic(D::Call),
    OpInfo::new(0xf2, "CALLCODE", 100, 7, 1)
        .comp(FRAME)
        .dynamic(D::Call),
    OpInfo::new(0xf3, "RETURN", 0, 2, 0)
        .comp(C::MEMORY.with(C::COPY).with(C::CALL_CONTEXT))
        .dynamic(D::Memory(M::range(0, 1)))
        .terminating(),
    OpInfo::new(0xf4, "DELEGATECALL", 100, 6, 1)
        .comp(FRAME)
        .dynamic(D::Call),
    // CREATE plus 6 per word for hashing the init code.
    OpInfo::new(0xf5, "CREATE2", 32000, 4, 1)
        .comp(FRAME.with(C::BYTECODE).with(C::KECCAK))
        .dynamic(D::Create)
        .state_writing(),
    OpInfo::new(0xfa, "STATICCALL", 100, 6, 1)
        .comp(FRAME)
        .dynamic(D::Call),
    OpInfo::new(0xfd, "REVERT", 0, 2, 0)
        .comp(C::MEMORY.with(C::COPY).with(C::CALL_CONTEXT))
        .dynamic(D::Memory(M::range(0, 1)))
        .terminating(),
    OpInfo::new(0xfe, "INVALID", 0, 0, 0).terminating(),
    OpInfo::new(0xff, "SELFDESTRUCT", 5000, 1, 0)
        .comp(C::ACCOUNT.with(C::CALL_CONTEXT))
        .dynamic(D::SelfDestruct)
        .terminating()
        .state_writing(),
];
