//! Unit tests of the checker on hand-built programs; the fixture-wide acceptance and mutation
//! tests are in `tests/checker.rs`.

use super::*;
use crate::exec::{execute_traced, ChainConfig};
use crate::fixture::{AccountState, BlockEnv, WorldState};
use crate::state::MemDb;
use alloy_primitives::{address, Bytes, TxKind};
use revm::context::TxEnv;

/// Runs `code` as the callee of a transaction and returns its witness.
pub(crate) fn trace_code(code: &[u8], calldata: &[u8]) -> Witness {
    let caller = address!("1000000000000000000000000000000000000001");
    let callee = address!("2000000000000000000000000000000000000002");
    let mut pre = WorldState::new();
    pre.insert(
        caller,
        AccountState {
            balance: U256::from(1u64 << 60),
            ..Default::default()
        },
    );
    pre.insert(
        callee,
        AccountState {
            code: Bytes::copy_from_slice(code),
            ..Default::default()
        },
    );
    let mut db = MemDb::new(pre);
    let block = BlockEnv {
        coinbase: Address::ZERO,
        gas_limit: 30_000_000,
        number: U256::from(1),
        timestamp: U256::from(1),
        random: Some(B256::ZERO),
        difficulty: U256::ZERO,
        base_fee: 0,
        excess_blob_gas: Some(0),
    };
    let chain = ChainConfig {
        chain_id: 1,
        blob_params: None,
        tx_gas_limit_cap: None,
    };
    let tx = TxEnv {
        caller,
        gas_limit: 1_000_000,
        kind: TxKind::Call(callee),
        data: Bytes::copy_from_slice(calldata),
        chain_id: Some(1),
        ..Default::default()
    };
    match execute_traced(&mut db, &block, &chain, tx) {
        Ok((_, w)) => w,
        Err(e) => panic!("{e}"),
    }
}

#[test]
fn accepts_a_simple_program_and_rejects_a_wrong_sum() {
    // PUSH1 2 PUSH1 3 ADD PUSH1 0 MSTORE PUSH1 32 PUSH1 0 RETURN
    let code = [
        0x60, 2, 0x60, 3, 0x01, 0x60, 0, 0x52, 0x60, 32, 0x60, 0, 0xf3,
    ];
    let w = trace_code(&code, &[]);
    assert_eq!(w.steps.len(), 8);
    assert_eq!(check_witness(&w).map(|s| s.steps), Ok(8));
    // Tamper with the ADD result (the stack write of step 2) and its operation record.
    let mut bad = w.clone();
    let r = (bad.steps[2].rw_start + bad.steps[2].rw_len - 1) as usize;
    bad.rw[r].value = U256::from(6);
    let e = check_witness(&bad).err();
    assert!(e.as_ref().is_some_and(|e| e.step == Some(2)), "{e:?}");
}
