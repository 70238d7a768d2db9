//! LOG0–LOG4: 375 + 375 per topic + 8 per data byte + memory expansion.

use super::{Components as C, DynamicGas, OpInfo};

const L: C = C::LOG.with(C::MEMORY).with(C::COPY).with(C::CALL_CONTEXT);

/// Log opcodes.
pub(super) const OPS: &[OpInfo] = &[
    OpInfo::new(0xa0, "LOG0", 375, 2, 0)
        .comp(L)
        .dynamic(DynamicGas::Log)
        .state_writing(),
    OpInfo::new(0xa1, "LOG1", 375, 3, 0)
        .comp(L)
        .dynamic(DynamicGas::Log)
        .state_writing(),
    OpInfo::new(0xa2, "LOG2", 375, 4, 0)
        .comp(L)
        .dynamic(DynamicGas::Log)
        .state_writing(),
    OpInfo::new(0xa3, "LOG3", 375, 5, 0)
        .comp(L)
        .dynamic(DynamicGas::Log)
        .state_writing(),
    OpInfo::new(0xa4, "LOG4", 375, 6, 0)
        .comp(L)
        .dynamic(DynamicGas::Log)
        .state_writing(),
];
