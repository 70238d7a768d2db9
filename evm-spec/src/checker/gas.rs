//! Dynamic gas rules (Osaka), computed from values recorded in the witness.

use alloy_primitives::U256;

/// EIP-2929: extra cost of a cold account access.
pub const COLD_ACCOUNT_EXTRA: u64 = 2500;
/// EIP-2929: cost of a cold storage-slot access.
pub const COLD_SLOAD: u64 = 2100;
/// Warm storage read.
pub const WARM_READ: u64 = 100;
/// Cost of a value-transferring call.
pub const CALL_VALUE: u64 = 9000;
/// Stipend given to the callee of a value-transferring call.
pub const CALL_STIPEND: u64 = 2300;
/// Cost of creating a new account by a call with value or SELFDESTRUCT.
pub const NEW_ACCOUNT: u64 = 25000;

/// Gas for expanding memory from `before` to `after` words (0 if it does not grow).
pub fn memory_expansion(before: u64, after: u64) -> u64 {
    if after <= before {
        0
    } else {
        crate::opcodes::memory_cost(after) - crate::opcodes::memory_cost(before)
    }
}

/// EXP: 50 per significant byte of the exponent.
pub fn exp(exponent: U256) -> u64 {
    50 * exponent.byte_len() as u64
}

/// SSTORE cost and refund change (EIP-2200, EIP-2929, EIP-3529) from the slot's value at the
/// start of the transaction (`original`), before the write (`current`) and written (`new`).
pub fn sstore(original: U256, current: U256, new: U256, cold: bool) -> (u64, i64) {
    const SET: u64 = 20000;
    const RESET: u64 = 5000 - COLD_SLOAD;
    const CLEAR_REFUND: i64 = 4800;
    let cold_cost = if cold { COLD_SLOAD } else { 0 };
    if new == current {
        return (cold_cost + WARM_READ, 0);
    }
    if original == current {
        let cost = if original.is_zero() { SET } else { RESET };
        let refund = if !original.is_zero() && new.is_zero() {
            CLEAR_REFUND
        } else {
            0
        };
        return (cold_cost + cost, refund);
    }
    let mut refund = 0;
    if !original.is_zero() {
        if current.is_zero() {
            refund -= CLEAR_REFUND;
        } else if new.is_zero() {
            refund += CLEAR_REFUND;
        }
    }
    if original == new {
        refund += if original.is_zero() {
            (SET - WARM_READ) as i64
        } else {
            (RESET - WARM_READ) as i64
        };
    }
    (cold_cost + WARM_READ, refund)
}

/// All but one 64th (EIP-150): the most gas a call or create can forward.
pub fn all_but_one_64th(gas: u64) -> u64 {
    gas - gas / 64
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sstore_matches_eip_2200_table() {
        let (z, one, two) = (U256::ZERO, U256::from(1), U256::from(2));
        // 0 → 0 → 1: set.
        assert_eq!(sstore(z, z, one, false), (20000, 0));
        // 1 → 1 → 0: reset with clear refund; cold adds 2100.
        assert_eq!(sstore(one, one, z, true), (2100 + 2900, 4800));
        // 1 → 2 → 1: dirty, restores original: refund 2800.
        assert_eq!(sstore(one, two, one, false), (100, 2800));
        // 0 → 1 → 0: dirty, restores zero: refund 19900.
        assert_eq!(sstore(z, one, z, false), (100, 19900));
        // 1 → 0 → 2: un-clears: −4800.
        assert_eq!(sstore(one, z, two, false), (100, -4800));
        assert_eq!(memory_expansion(0, 1), 3);
        assert_eq!(memory_expansion(2, 1), 0);
        assert_eq!(exp(U256::from(256)), 100);
    }
}
