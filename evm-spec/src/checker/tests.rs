//! Unit tests of the checker on hand-built programs; the fixture-wide acceptance and mutation
//! tests are in `tests/checker.rs`.

use super::*;
use crate::exec::{call_setup, execute_traced};
use alloy_primitives::U256;

/// Runs `code` as the callee of a transaction and returns its witness.
pub(crate) fn trace_code(code: &[u8], calldata: &[u8]) -> Witness {
    let mut c = call_setup(code, calldata);
    match execute_traced(&mut c.db, &c.block, &c.chain, c.tx) {
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

/// An in-place change to a witness.
type Edit = Box<dyn Fn(&mut Witness)>;

#[test]
fn adversarial_witnesses_are_rejected_without_panicking() {
    // MSTORE at a huge offset, KECCAK over a huge range, a CALL: the shapes that size buffers.
    let code = [
        0x60, 1, 0x60, 0, 0x52, // MSTORE(0, 1)
        0x60, 32, 0x60, 0, 0x20, // KECCAK256(0, 32)
        0x60, 0, 0x60, 0, 0x60, 0, 0x60, 0, 0x60, 0, 0x30, 0x5a,
        0xf1, // CALL(gas, self, 0…)
        0x00,
    ];
    let honest = trace_code(&code, &[]);
    assert!(
        check_witness(&honest).is_ok(),
        "{:?}",
        check_witness(&honest)
    );
    let edits: Vec<Edit> = vec![
        Box::new(|w| w.frames[0].gas_limit = u64::MAX),
        Box::new(|w| {
            w.frames[0].gas_limit = u64::MAX;
            for s in &mut w.steps {
                s.gas = u64::MAX;
            }
        }),
        Box::new(|w| {
            for rw in &mut w.rw {
                rw.value = U256::MAX;
            }
        }),
        Box::new(|w| {
            for s in &mut w.steps {
                s.stack_size = u16::MAX;
                s.memory_words = u64::MAX;
            }
        }),
        Box::new(|w| {
            for s in &mut w.steps {
                s.rw_start = u32::MAX;
                s.rw_len = u32::MAX;
            }
        }),
        Box::new(|w| {
            for f in &mut w.frames {
                f.revert_rw = RwRange {
                    start: u32::MAX,
                    len: 7,
                };
                f.call_step = Some(u32::MAX);
            }
        }),
        Box::new(|w| w.steps.truncate(3)),
        Box::new(|w| w.rw.truncate(5)),
        Box::new(|w| w.frames.clear()),
        Box::new(|w| w.bytecodes.clear()),
    ];
    for (i, edit) in edits.iter().enumerate() {
        let mut bad = honest.clone();
        edit(&mut bad);
        assert!(check_witness(&bad).is_err(), "edit {i} accepted");
        assert!(final_state(&bad).is_err());
    }
}

/// Each edit of the witness `w` is rejected by the checker at step `step`.
fn assert_each_edit_rejected_at(w: &Witness, edits: &[Edit], step: usize) {
    for (i, edit) in edits.iter().enumerate() {
        let mut bad = w.clone();
        edit(&mut bad);
        let e = check_witness(&bad).err();
        assert!(
            e.as_ref().is_some_and(|e| e.step == Some(step)),
            "edit {i}: {e:?}"
        );
    }
}

/// A storage read made a read of slot 2 of the same account.
fn read_slot_2_instead(rw: &mut Rw) {
    if let RwTarget::Storage { address, .. } = rw.target {
        rw.target = RwTarget::Storage {
            address,
            key: U256::from(2),
        };
    }
}

#[test]
fn an_sload_short_of_its_cold_cost_is_checked_from_its_reads() {
    // SLOAD(1) of a cold slot (2,100 gas) with 1,000 left; revm skips the load, and the
    // recorder reads the slot's value itself.
    let code = [0x60, 1, 0x54];
    let mut c = call_setup(&code, &[]);
    c.tx.gas_limit = 21_000 + 3 + 1_000;
    let w = match execute_traced(&mut c.db, &c.block, &c.chain, c.tx) {
        Ok((_, w)) => w,
        Err(e) => panic!("{e}"),
    };
    let sload = &w.steps[1];
    assert_eq!(sload.error.as_deref(), Some("OutOfGas"));
    // The key's stack read, the slot's warmth and value.
    assert_eq!(sload.rw_len, 3);
    assert!(check_witness(&w).is_ok(), "{:?}", check_witness(&w));
    let at = sload.rw_start as usize;
    let edits: Vec<Edit> = vec![
        // Enough gas for the cost.
        Box::new(|w| {
            w.frames[0].gas_limit += 3_000;
            w.steps.iter_mut().for_each(|s| s.gas += 3_000);
        }),
        // Not even the static cost paid (50 gas, the frame given 950 less): such a step reads
        // nothing.
        Box::new(|w| {
            w.frames[0].gas_limit -= 950;
            w.steps.iter_mut().for_each(|s| s.gas -= 950);
            w.steps[1].gas_cost -= 950;
        }),
        // The slot read as warm: a 100-gas read it could pay.
        Box::new(move |w| w.rw[at + 1].value = U256::from(1)),
        // Another slot's value.
        Box::new(move |w| read_slot_2_instead(&mut w.rw[at + 2])),
        // A write recorded too.
        Box::new(move |w| w.rw[at + 2].write = true),
    ];
    assert_each_edit_rejected_at(&w, &edits, 1);
    assert_empty_stack_claimed_out_of_gas_is_an_error(0x54);
    assert_short_of_static_cost_records_nothing(&code, 21_000 + 3 + 50);
}

/// `opcode` run on an empty stack (a stack halt) and claimed to run out of gas on its cost:
/// it has no operands to read, and the checker rejects it, without a panic.
fn assert_empty_stack_claimed_out_of_gas_is_an_error(opcode: u8) {
    let mut c = call_setup(&[opcode], &[]);
    c.tx.gas_limit = 21_000 + 6_000;
    let (_, mut w) = execute_traced(&mut c.db, &c.block, &c.chain, c.tx).unwrap();
    assert_eq!(w.steps[0].error.as_deref(), Some("StackUnderflow"));
    w.steps[0].error = Some("OutOfGas".into());
    let e = check_witness(&w).unwrap_err();
    assert!(e.msg.contains("stack accesses"), "{e:?}");
}

/// `code`'s second step run with `gas_limit`, short of its static cost: it records no reads,
/// and the witness checks.
fn assert_short_of_static_cost_records_nothing(code: &[u8], gas_limit: u64) {
    let mut c = call_setup(code, &[]);
    c.tx.gas_limit = gas_limit;
    let (_, w) = execute_traced(&mut c.db, &c.block, &c.chain, c.tx).unwrap();
    assert_eq!(w.steps[1].error.as_deref(), Some("OutOfGas"));
    assert_eq!(w.steps[1].rw_len, 0);
    assert!(check_witness(&w).is_ok());
}

#[test]
fn a_selfdestruct_short_of_its_cost_is_checked_from_its_reads() {
    // SELFDESTRUCT to a cold account with 6,000 gas left after the PUSH20: its static cost
    // paid, not the cold access's 2,600 (revm skips the load).
    let mut code = vec![0x73];
    code.extend([0x77; 20]);
    code.push(0xff);
    let mut c = call_setup(&code, &[]);
    c.tx.gas_limit = 21_000 + 3 + 6_000;
    let (_, w) = execute_traced(&mut c.db, &c.block, &c.chain, c.tx).unwrap();
    let destruct = &w.steps[1];
    assert_eq!(destruct.error.as_deref(), Some("OutOfGas"));
    // The beneficiary's stack read and warmth (cold), and the account's balance.
    assert_eq!(destruct.rw_len, 3);
    assert_eq!(w.rw[destruct.rw_start as usize + 1].value, U256::ZERO);
    assert!(check_witness(&w).is_ok(), "{:?}", check_witness(&w));
    let at = destruct.rw_start as usize;
    let edits: Vec<Edit> = vec![
        // Gas for every cost it could have (a cold new account's).
        Box::new(|w| {
            w.frames[0].gas_limit += 30_000;
            w.steps.iter_mut().for_each(|s| s.gas += 30_000);
        }),
        // The beneficiary read as warm: with no balance to send, 5,000 it could pay.
        Box::new(move |w| w.rw[at + 1].value = U256::from(1)),
        // Another account's balance.
        Box::new(move |w| match &mut w.rw[at + 2].target {
            RwTarget::Account { address, .. } => address.0[0] ^= 1,
            other => panic!("{other:?}"),
        }),
        // A write recorded instead.
        Box::new(move |w| w.rw[at + 2].write = true),
    ];
    assert_each_edit_rejected_at(&w, &edits, 1);
    assert_empty_stack_claimed_out_of_gas_is_an_error(0xff);
    assert_short_of_static_cost_records_nothing(&code, 21_000 + 3 + 4_999);
}

#[test]
fn an_sstore_short_of_its_cost_is_checked_from_its_reads() {
    // SSTORE(1, 1) into a cold empty slot (22,100 gas) with 5,000 left.
    let code = [0x60, 1, 0x60, 1, 0x55];
    let mut c = call_setup(&code, &[]);
    c.tx.gas_limit = 21_000 + 6 + 5_000;
    let w = match execute_traced(&mut c.db, &c.block, &c.chain, c.tx) {
        Ok((_, w)) => w,
        Err(e) => panic!("{e}"),
    };
    let sstore = &w.steps[2];
    assert_eq!(sstore.error.as_deref(), Some("OutOfGas"));
    // Two stack reads, the slot's warmth, original and current value.
    assert_eq!(sstore.rw_len, 5);
    assert!(check_witness(&w).is_ok(), "{:?}", check_witness(&w));
    let at = sstore.rw_start as usize;
    let edits: Vec<Edit> = vec![
        // Enough gas for the cost (the frame given 30,000 more).
        Box::new(|w| {
            w.frames[0].gas_limit += 30_000;
            w.steps.iter_mut().for_each(|s| s.gas += 30_000);
        }),
        // The slot read as warm and holding the new value: a 100-gas write it could pay.
        Box::new(move |w| {
            w.rw[at + 2].value = U256::from(1);
            w.rw[at + 4].value = U256::from(1);
        }),
        // The current value's read taken as another slot's.
        Box::new(move |w| read_slot_2_instead(&mut w.rw[at + 4])),
        // A write recorded too.
        Box::new(move |w| w.rw[at + 4].write = true),
    ];
    assert_each_edit_rejected_at(&w, &edits, 2);
}
