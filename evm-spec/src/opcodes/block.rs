//! Block information: 0x40–0x4a, read from the tx/block context table.

use super::{Components as C, OpInfo};

const TX: C = C::TX_BLOCK;

/// Block-information opcodes.
pub(super) const OPS: &[OpInfo] = &[
    OpInfo::new(0x40, "BLOCKHASH", 20, 1, 1).comp(TX),
    OpInfo::new(0x41, "COINBASE", 2, 0, 1).comp(TX),
    OpInfo::new(0x42, "TIMESTAMP", 2, 0, 1).comp(TX),
    OpInfo::new(0x43, "NUMBER", 2, 0, 1).comp(TX),
    OpInfo::new(0x44, "PREVRANDAO", 2, 0, 1).comp(TX),
    OpInfo::new(0x45, "GASLIMIT", 2, 0, 1).comp(TX),
    OpInfo::new(0x46, "CHAINID", 2, 0, 1).comp(TX),
    OpInfo::new(0x47, "SELFBALANCE", 5, 0, 1).comp(C::ACCOUNT.with(C::CALL_CONTEXT)),
    OpInfo::new(0x48, "BASEFEE", 2, 0, 1).comp(TX),
    OpInfo::new(0x49, "BLOBHASH", 3, 1, 1).comp(TX),
    OpInfo::new(0x4a, "BLOBBASEFEE", 2, 0, 1).comp(TX),
];
