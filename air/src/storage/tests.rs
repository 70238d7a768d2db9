use super::*;
use crate::cpu::tests::{storage_program, transient_program};
use crate::evm::EvmBlock;
use crate::test_support::{
    block, block_imbalance, block_rejected, check_block, honest_block, run_calling, TamperBench,
};
use crate::ComponentTrace;
use zkevm_field::{FieldElement, Quadratic};

fn storage_index(traces: &[ComponentTrace]) -> usize {
    traces
        .iter()
        .position(|t| t.id == ComponentId::Storage)
        .expect("a storage table")
}

#[test]
fn the_gas_rules_hold_for_every_case_of_the_program() {
    // SSTORE(1,5) cold set, SLOAD(1) warm, SSTORE(1,7) warm dirty, SSTORE(2,0) cold no-op,
    // SLOAD(9) cold: sorted by slot, then counter.
    let honest = block(&storage_program());
    let table = &honest.traces[storage_index(&honest.traces)].columns;
    let costs: Vec<u64> = (0..5).map(|r| table[col::COST][r].as_u64()).collect();
    assert_eq!(costs, [2100 + 20000, 0, 100, 2100 + 100, 2000]);
    let slots: Vec<u32> = honest
        .statement
        .storage
        .iter()
        .map(|s| s.key.1[0])
        .collect();
    assert_eq!(slots, [1, 2, 9]);
    assert_eq!(honest.statement.storage[0].post[0], 7);
    check_block(&honest.traces).unwrap();
}

#[test]
fn transient_slots_start_at_zero_cost_nothing_and_stay_out_of_the_statement() {
    let (honest, _) = honest_block(&transient_program());
    let stored: Vec<(u32, u32)> = (honest.statement.storage.iter())
        .map(|s| (s.key.1[0], s.post[0]))
        .collect();
    // Slot 4: TLOAD(1) = 9 plus SLOAD(1) = 5, the persistent slot of the same key.
    assert_eq!(stored, [(1, 5), (2, 0), (3, 9), (4, 14)]);
    let table = &honest.traces[storage_index(&honest.traces)].columns;
    let transient_rows: Vec<usize> = (0..table[col::LIVE].len())
        .filter(|&r| table[col::TRANSIENT][r] == Goldilocks::ONE)
        .collect();
    assert_eq!(transient_rows.len(), 7);
    for r in transient_rows {
        assert_eq!(table[col::COST][r], Goldilocks::ZERO);
    }
}

#[test]
fn a_transient_slot_claimed_nonzero_at_first_or_persistent_is_rejected() {
    let honest = block(&transient_program());
    let public = honest.statement.public_messages();
    let t = storage_index(&honest.traces);
    let table = &honest.traces[t].columns;
    // The first access of transient slot 2 is TLOAD(2): it must read 0, not 7, even with
    // its original claimed 7 as well (a persistent slot's first read returns its original).
    let first_of_2 = (0..table[col::LIVE].len())
        .find(|&r| table[col::TRANSIENT][r] == Goldilocks::ONE && table[col::KEY][r].as_u64() == 2)
        .unwrap();
    let mut forged = honest.traces.clone();
    for c in [col::BEFORE, col::AFTER, col::ORIGINAL] {
        forged[t].columns[c][first_of_2] = Goldilocks::new(7);
    }
    assert!(block_rejected(&forged, &public));
    // A transient row turned persistent (to pay no dynamic gas, or to dodge the zero start).
    let mut flipped = honest.traces.clone();
    flipped[t].columns[col::TRANSIENT][first_of_2] = Goldilocks::ZERO;
    assert!(block_rejected(&flipped, &public));
}

#[test]
fn every_tampered_storage_cell_is_caught() {
    for code in [storage_program(), transient_program()] {
        every_tampered_cell_is_caught(&code);
    }
}

fn every_tampered_cell_is_caught(code: &[u8]) {
    every_tampered_cell_of_the_block_is_caught(&block(code));
}

#[allow(clippy::needless_range_loop)] // a row index into several columns
fn every_tampered_cell_of_the_block_is_caught(honest: &EvmBlock) {
    let public = honest.statement.public_messages();
    let bench = TamperBench::new(&honest.traces, &public);
    let t = storage_index(&honest.traces);
    let live = honest.traces[t].columns[col::LIVE]
        .iter()
        .filter(|v| **v == Goldilocks::ONE)
        .count();
    let columns = &honest.traces[t].columns;
    // Reviewed don't-cares: an inverse whose limb difference is zero (it multiplies zero),
    // row 0's diff flags (no row precedes it), the saved state off restore rows (only they
    // read it) and the rollback cells nothing reads ([`crate::rollback::is_free`]). Padding rows: only their flags are checked.
    let difference = |inv: usize, r: usize, i: usize| {
        let (a, b) = match inv {
            col::INV_AFTER_BEFORE => (col::AFTER, Some(col::BEFORE)),
            col::INV_ORIGINAL_BEFORE => (col::ORIGINAL, Some(col::BEFORE)),
            col::INV_ORIGINAL_AFTER => (col::ORIGINAL, Some(col::AFTER)),
            _ => (col::ORIGINAL, None),
        };
        columns[a + i][r] - b.map_or(Goldilocks::ZERO, |b| columns[b + i][r])
    };
    for column in 0..Storage::COLUMNS.len() {
        for row in 0..=live {
            let flags = [col::LIVE, col::FIRST, col::LAST, col::WRITE];
            if row == live && !flags.contains(&column) {
                continue;
            }
            if row == 0 && (col::DIFF..col::DIFF + KEY_LIMBS).contains(&column) {
                continue;
            }
            let saved = (col::SAVED..=col::SAVED_WARM).contains(&column);
            if saved && columns[col::RESTORE][row] == Goldilocks::ZERO {
                continue;
            }
            if crate::rollback::is_free(super::CELLS, columns, row, column) {
                continue;
            }
            let inverse = [
                col::INV_AFTER_BEFORE,
                col::INV_ORIGINAL_BEFORE,
                col::INV_ORIGINAL,
                col::INV_ORIGINAL_AFTER,
            ]
            .into_iter()
            .find(|&inv| (inv..inv + LIMBS).contains(&column));
            if let Some(inv) = inverse {
                if difference(inv, row, column - inv) == Goldilocks::ZERO {
                    continue;
                }
            }
            // The inverse of a word's limb sum is free where the word is zero.
            let word_sum = |start: usize| -> Goldilocks {
                (0..LIMBS).fold(Goldilocks::ZERO, |s, i| s + columns[start + i][row])
            };
            if (column == col::INV_AFTER && word_sum(col::AFTER) == Goldilocks::ZERO)
                || (column == col::INV_BEFORE && word_sum(col::BEFORE) == Goldilocks::ZERO)
            {
                continue;
            }
            for delta in [Goldilocks::ONE, -Goldilocks::ONE] {
                let mut tampered = columns.clone();
                tampered[column][row] += delta;
                assert!(
                    bench.rejects(t, &tampered),
                    "{} at row {row} accepted",
                    Storage::COLUMNS[column]
                );
            }
        }
    }
}

#[test]
fn a_wrong_pre_or_post_state_is_rejected() {
    let honest = block(&storage_program());
    assert_eq!(
        block_imbalance(&honest.traces, &honest.statement.public_messages()),
        Quadratic::ZERO
    );
    let edits: [fn(&mut SlotState); 4] = [
        |s| s.post[0] += 1,
        |s| s.pre[3] = 1,
        |s| s.prewarm = !s.prewarm,
        |s| s.key.1[0] += 100,
    ];
    for edit in edits {
        let mut statement = honest.statement.clone();
        edit(&mut statement.storage[1]);
        assert_ne!(
            block_imbalance(&honest.traces, &statement.public_messages()),
            Quadratic::ZERO
        );
    }
    // A slot left out of the statement, or one extra.
    let mut fewer = honest.statement.clone();
    fewer.storage.pop();
    let mut more = honest.statement.clone();
    more.storage.push(more.storage[0]);
    for statement in [fewer, more] {
        assert_ne!(
            block_imbalance(&honest.traces, &statement.public_messages()),
            Quadratic::ZERO
        );
    }
}

#[test]
fn histories_the_rules_forbid_are_refused_by_the_builder() {
    let op = StorageOp {
        ctr: 0,
        transient: false,
        key: ([0, 0, 0, 0, 1], [3, 0, 0, 0, 0, 0, 0, 0]),
        write: true,
        before: [0; LIMBS],
        value: [5, 0, 0, 0, 0, 0, 0, 0],
        warm: false,
        cost: 2100 + 20000,
        rollback: Rollback::default(),
    };
    let trace = |ops: &[StorageOp]| super::trace(ops, &BTreeMap::new());
    assert!(trace(&[op]).is_ok());
    // Wrong gas, a read returning something else, a second access that forgets the first.
    let cheap = StorageOp { cost: 100, ..op };
    let lying = StorageOp {
        write: false,
        value: [1; LIMBS],
        cost: 2000,
        ..op
    };
    let forgetful = StorageOp {
        ctr: 1,
        write: false,
        value: [0; LIMBS],
        warm: true,
        cost: 0,
        ..op
    };
    assert!(trace(&[cheap]).is_err());
    assert!(trace(&[lying]).is_err());
    assert!(trace(&[op, forgetful]).is_err());
    // Transient: warm, free, and starting at 0; anything else is refused.
    let tstore = StorageOp {
        transient: true,
        warm: true,
        cost: 0,
        ..op
    };
    assert!(trace(&[tstore]).is_ok());
    let charged = StorageOp {
        cost: 100,
        ..tstore
    };
    let cold = StorageOp {
        warm: false,
        ..tstore
    };
    let preset = StorageOp {
        before: [1; LIMBS],
        ..tstore
    };
    for wrong in [charged, cold, preset] {
        assert!(trace(&[wrong]).is_err());
    }
    // The same key persistent and transient: two slots, each with its own history.
    let persistent_read = StorageOp {
        ctr: 1,
        write: false,
        value: [0; LIMBS],
        cost: 2000,
        ..op
    };
    let both = trace(&[tstore, persistent_read]).unwrap();
    assert_eq!(both.slots.len(), 1);
}

#[test]
fn refunds_follow_eip_3529_and_the_statement_carries_their_total() {
    // Slot 1: 0 → 5 → 0 (restored to its zero original: +19,900); slot 2: 0 → 3 → 4 (no
    // refund); slot 3: 0 → 0 (no change); every table row's change matches the rules.
    let code = [
        0x60, 5, 0x60, 1, 0x55, 0x5f, 0x60, 1, 0x55, // SSTORE(1,5) SSTORE(1,0)
        0x60, 3, 0x60, 2, 0x55, 0x60, 4, 0x60, 2, 0x55, // SSTORE(2,3) SSTORE(2,4)
        0x5f, 0x60, 3, 0x55, 0x00, // SSTORE(3,0) STOP
    ];
    let (honest, public) = honest_block(&code);
    assert_eq!(honest.statement.refund, 19_900);
    // The rule function against hand-computed cases (original, before, after, change).
    let w = |v: u32| [v, 0, 0, 0, 0, 0, 0, 0];
    for (original, before, after, change) in [
        (5, 5, 0, 4800),         // clean, cleared
        (5, 5, 6, 0),            // clean, changed
        (5, 0, 6, -4800),        // dirty, un-cleared
        (5, 0, 5, -4800 + 2800), // dirty, un-cleared back to the original
        (5, 6, 0, 4800),         // dirty, cleared
        (5, 6, 5, 2800),         // dirty, restored
        (0, 6, 0, 19_900),       // dirty, restored to zero
        (0, 6, 7, 0),            // dirty, changed
    ] {
        assert_eq!(refund_change(&w(original), &w(before), &w(after)), change);
    }
    // Another total claimed: the table's end message is not the verifier's.
    for refund in [0, 19_899, 19_901, 24_700] {
        let mut statement = honest.statement.clone();
        statement.refund = refund;
        assert_ne!(
            block_imbalance(&honest.traces, &statement.public_messages()),
            Quadratic::ZERO
        );
    }
    assert!(!block_rejected(&honest.traces, &public));
    every_tampered_cell_is_caught(&code);
}

/// Where the failing callees' code lives (run by DELEGATECALL, on the caller's storage).
const FAILING: [u8; 20] = [0x66; 20];
const REVERTING: [u8; 20] = [0x67; 20];

/// `PUSH1 value, PUSH1 slot, opcode` (SSTORE or TSTORE).
fn store(opcode: u8, slot: u8, value: u8) -> [u8; 5] {
    [0x60, value, 0x60, slot, opcode]
}

/// `PUSH1 slot, opcode (SLOAD or TLOAD), PUSH1 to, SSTORE`: keeps what the caller finds.
fn keep(opcode: u8, slot: u8, to: u8) -> [u8; 6] {
    [0x60, slot, opcode, 0x60, to, 0x55]
}

/// The transaction's frame sets slots 1 and 3 and transient slot 4, DELEGATECALLs code that
/// reads slot 2, overwrites 1, 3 (twice) and 4, then halts on INVALID, and keeps (in slots
/// 16…20) the flag and what it finds in 1, 3, 2 and transient 4; then DELEGATECALLs code
/// that overwrites 1 and transient 4 and REVERTs, and keeps the flag and slot 1 (21, 22).
fn rollback_block() -> EvmBlock {
    const SSTORE: u8 = 0x55;
    const SLOAD: u8 = 0x54;
    const TSTORE: u8 = 0x5d;
    const TLOAD: u8 = 0x5c;
    let mut code = Vec::new();
    code.extend(store(SSTORE, 1, 5));
    code.extend(store(SSTORE, 3, 2));
    code.extend(store(TSTORE, 4, 3));
    code.extend(crate::call::tests::call(
        DELEGATECALL,
        &FAILING,
        Some(100_000),
    ));
    code.extend([0x60, 16, SSTORE]);
    code.extend(keep(SLOAD, 1, 17));
    code.extend(keep(SLOAD, 3, 18));
    code.extend(keep(SLOAD, 2, 19));
    code.extend(keep(TLOAD, 4, 20));
    code.extend(crate::call::tests::call(
        DELEGATECALL,
        &REVERTING,
        Some(100_000),
    ));
    code.extend([0x60, 21, SSTORE]);
    code.extend(keep(SLOAD, 1, 22));
    code.push(0x00);
    let mut failing = vec![0x60, 2, SLOAD, 0x50];
    failing.extend(store(SSTORE, 1, 7));
    failing.extend(store(SSTORE, 3, 9));
    failing.extend(store(TSTORE, 4, 8));
    failing.extend(store(SSTORE, 3, 10));
    failing.push(0xfe);
    let mut reverting = store(SSTORE, 1, 8).to_vec();
    reverting.extend(store(TSTORE, 4, 6));
    reverting.extend([0x5f, 0x5f, 0xfd]);
    let witness = run_calling(&code, &[(FAILING, failing), (REVERTING, reverting)]);
    let (block, _) = crate::test_support::honest_block_of(&witness);
    block
}

use crate::call::DELEGATECALL;

#[test]
fn a_failed_callees_storage_writes_and_warm_ups_are_rolled_back() {
    let block = rollback_block();
    let post: BTreeMap<u32, u32> = (block.statement.storage.iter())
        .map(|slot| (slot.key.1[0], slot.post[0]))
        .collect();
    // Both calls fail; the caller finds its own values (5, 2, transient 3) and slot 2 unset.
    let expected = [
        (1, 5),
        (2, 0),
        (3, 2),
        (16, 0),
        (17, 5),
        (18, 2),
        (19, 0),
        (20, 3),
    ];
    for (slot, value) in expected.into_iter().chain([(21, 0), (22, 5)]) {
        assert_eq!(post.get(&slot), Some(&value), "slot {slot}: {post:?}");
    }
    let t = storage_index(&block.traces);
    let table = &block.traces[t].columns;
    let rows = 0..table[col::LIVE].len();
    let restores: Vec<usize> = (rows.clone())
        .filter(|&r| table[col::RESTORE][r] == Goldilocks::ONE)
        .collect();
    // INVALID's callee touched slots 1, 2, 3 and transient 4; REVERT's slot 1 and transient 4.
    assert_eq!(restores.len(), 6);
    let calls = &block.traces[crate::call::tests::index_of(&block.traces, ComponentId::Call)];
    let counts: Vec<u64> = (0..2)
        .map(|r| calls.columns[crate::call::col::ROLLBACKS][r].as_u64())
        .collect();
    // Each end is taken by its restore rows and by the callee's accesses: INVALID's five,
    // REVERT's two.
    assert_eq!(counts, [4 + 5, 2 + 2]);
    // Slot 2 was cold before the failing callee warmed it: the caller's SLOAD finds it cold
    // again (2,000 gas more); slot 3 it had warmed itself.
    let read_after = |slot: u64| {
        let r = (rows.clone()).find(|&r| {
            table[col::KEY][r].as_u64() == slot
                && table[col::TRANSIENT][r] == Goldilocks::ZERO
                && r > 0
                && table[col::RESTORE][r - 1] == Goldilocks::ONE
        });
        r.map(|r| (table[col::WARM][r].as_u64(), table[col::COST][r].as_u64()))
    };
    assert_eq!(read_after(2), Some((0, 2000)));
    assert_eq!(read_after(3), Some((1, 0)));
    every_tampered_cell_of_the_block_is_caught(&block);
}

#[test]
fn a_callee_write_surviving_its_revert_is_rejected() {
    let block = rollback_block();
    let public = block.statement.public_messages();
    let t = storage_index(&block.traces);
    let table = &block.traces[t].columns;
    let restores: Vec<usize> = (0..table[col::LIVE].len())
        .filter(|&r| table[col::RESTORE][r] == Goldilocks::ONE)
        .collect();
    let mut kept_writes = 0;
    for &r in &restores {
        // The restore writes the callee's value instead (where the callee changed it).
        let mut kept = block.traces.clone();
        let columns = &mut kept[t].columns;
        let mut changed = false;
        for i in 0..LIMBS {
            changed |= columns[col::AFTER + i][r] != columns[col::BEFORE + i][r];
            columns[col::AFTER + i][r] = columns[col::BEFORE + i][r];
        }
        assert!(
            !changed || block_rejected(&kept, &public),
            "restore row {r} kept the write"
        );
        kept_writes += changed as usize;
        // The restore row dropped (the table shifted up, the next row's order cells
        // recomputed): the callee's run has no end, a constraint breaks.
        let mut dropped = block.traces.clone();
        for column in dropped[t].columns.iter_mut() {
            let padding = column[column.len() - 1];
            column.remove(r);
            column.push(padding);
        }
        let next = &mut dropped[t].columns;
        if next[col::FIRST][r] == Goldilocks::ZERO && next[col::LIVE][r] == Goldilocks::ONE {
            let delta = next[col::CTR][r].as_u64() - next[col::CTR][r - 1].as_u64() - 1;
            next[col::DELTA_LO][r] = Goldilocks::new(delta & 0xffff);
            next[col::DELTA_HI][r] = Goldilocks::new(delta >> 16);
        }
        assert!(check_block(&dropped).is_err(), "restore row {r} dropped");
    }
    // Slots 1 (twice), 3 and transient 4 (twice) were changed; slot 2 only read.
    assert_eq!(kept_writes, 5);
    // The callee's accesses claimed not to fail: the CPU's messages say they do.
    let mut unflagged = block.traces.clone();
    let flags = unflagged[t].columns[col::REVERTED].iter_mut();
    for (flag, restore) in flags.zip(&table[col::RESTORE]) {
        if *restore == Goldilocks::ZERO {
            *flag = Goldilocks::ZERO;
        }
    }
    assert!(block_rejected(&unflagged, &public));
}

#[test]
fn a_failed_callees_refunds_are_dropped_and_its_warm_ups_paid_again() {
    // The caller sets slot 1 (0 → 5); a DELEGATECALLed callee clears it (back to its zero
    // original, which would refund 19,900) and reads slot 2 (warming it), then halts; the
    // caller then sets slot 2, cold again.
    let mut code = store(0x55, 1, 5).to_vec();
    code.extend(crate::call::tests::call(
        DELEGATECALL,
        &FAILING,
        Some(100_000),
    ));
    code.push(0x50);
    code.extend(store(0x55, 2, 1));
    code.push(0x00);
    let failing = vec![0x5f, 0x60, 1, 0x55, 0x60, 2, 0x54, 0x50, 0xfe];
    let witness = run_calling(&code, &[(FAILING, failing)]);
    let (block, _) = crate::test_support::honest_block_of(&witness);
    assert_eq!(block.statement.refund, 0);
    let t = storage_index(&block.traces);
    let table = &block.traces[t].columns;
    // The callee's clearing row computes its refund change but does not count it.
    let clearing = (0..table[col::LIVE].len()).find(|&r| {
        table[col::REVERTED][r] == Goldilocks::ONE
            && table[col::RESTORE][r] == Goldilocks::ZERO
            && table[col::WRITE][r] == Goldilocks::ONE
    });
    let clearing = clearing.expect("the callee's SSTORE");
    assert_eq!(table[col::CHANGES][clearing], Goldilocks::ZERO);
    assert_eq!(table[col::REFUND][clearing], Goldilocks::ZERO);
    let write_of_2 = (0..table[col::LIVE].len()).find(|&r| {
        table[col::KEY][r] == Goldilocks::new(2)
            && table[col::WRITE][r] == Goldilocks::ONE
            && table[col::REVERTED][r] == Goldilocks::ZERO
            && table[col::RESTORE][r] == Goldilocks::ZERO
    });
    let write_of_2 = write_of_2.expect("the caller's SSTORE");
    assert_eq!(table[col::WARM][write_of_2], Goldilocks::ZERO);
    assert_eq!(table[col::COST][write_of_2].as_u64(), 2100 + 20000);
    every_tampered_cell_of_the_block_is_caught(&block);
}

#[test]
fn a_failing_grandchild_is_rolled_back_inside_its_succeeding_parent() {
    // The transaction CALLs MIDDLE, which sets its slot 1 to 5, DELEGATECALLs code that
    // overwrites it with 9 and REVERTs, then copies slot 1 into slot 2: both hold 5.
    const MIDDLE: [u8; 20] = [0x68; 20];
    let mut middle = store(0x55, 1, 5).to_vec();
    middle.extend(crate::call::tests::call(
        DELEGATECALL,
        &REVERTING,
        Some(50_000),
    ));
    middle.push(0x50);
    middle.extend(keep(0x54, 1, 2));
    middle.push(0x00);
    let reverting = [store(0x55, 1, 9).as_slice(), &[0x5f, 0x5f, 0xfd]].concat();
    let mut code = crate::call::tests::call(crate::call::CALL, &MIDDLE, None);
    code.push(0x00);
    let witness = run_calling(&code, &[(MIDDLE, middle), (REVERTING, reverting)]);
    let (block, _) = crate::test_support::honest_block_of(&witness);
    let owner = crate::storage::address_limbs(&MIDDLE);
    let post: Vec<(u32, u32)> = (block.statement.storage.iter())
        .filter(|slot| slot.key.0 == owner)
        .map(|slot| (slot.key.1[0], slot.post[0]))
        .collect();
    assert_eq!(post, [(1, 5), (2, 5)]);
    every_tampered_cell_of_the_block_is_caught(&block);
}

/// The transaction's frame sets slot 1 to 4 and DELEGATECALLs OUTER, which sets slot 1 to 5
/// and transient slot 4 to 6, DELEGATECALLs INNER twice (each reads slot 2, warms WARMED
/// with BALANCE, sets slot 1 to 9, transient 4 to 7 and slot 3 to 11, then halts on INVALID)
/// and in between keeps what it finds in slot 1 and transient 4 (in slots 3 and 5), then
/// REVERTs. The transaction's frame keeps the flag and what it finds in slots 1, 3, 2 and
/// transient 4 (slots 16…20) and WARMED's balance (21).
fn nested_rollback_block() -> EvmBlock {
    const OUTER: [u8; 20] = [0x6a; 20];
    const INNER: [u8; 20] = [0x6b; 20];
    let balance_of_warmed = || {
        let mut code = vec![0x73];
        code.extend_from_slice(&NESTED_WARMED);
        code.push(0x31);
        code
    };
    let mut code = store(0x55, 1, 4).to_vec();
    code.extend(crate::call::tests::call(
        DELEGATECALL,
        &OUTER,
        Some(300_000),
    ));
    code.extend([0x60, 16, 0x55]);
    code.extend(keep(0x54, 1, 17));
    code.extend(keep(0x54, 3, 18));
    code.extend(keep(0x54, 2, 19));
    code.extend(keep(0x5c, 4, 20));
    code.extend(balance_of_warmed());
    code.extend([0x60, 21, 0x55, 0x00]);
    let mut outer = store(0x55, 1, 5).to_vec();
    outer.extend(store(0x5d, 4, 6));
    outer.extend(crate::call::tests::call(DELEGATECALL, &INNER, Some(40_000)));
    outer.push(0x50);
    outer.extend(keep(0x54, 1, 3));
    outer.extend(keep(0x5c, 4, 5));
    outer.extend(crate::call::tests::call(DELEGATECALL, &INNER, Some(40_000)));
    outer.extend([0x50, 0x5f, 0x5f, 0xfd]);
    let mut inner = vec![0x60, 2, 0x54, 0x50];
    inner.extend(balance_of_warmed());
    inner.push(0x50);
    inner.extend(store(0x55, 1, 9));
    inner.extend(store(0x5d, 4, 7));
    inner.extend(store(0x55, 3, 11));
    inner.push(0xfe);
    let witness = run_calling(&code, &[(OUTER, outer), (INNER, inner)]);
    let (block, _) = crate::test_support::honest_block_of(&witness);
    block
}

const NESTED_WARMED: [u8; 20] = [0x6c; 20];

#[test]
fn failing_frames_inside_a_failing_frame_are_rolled_back_at_each_end() {
    let block = nested_rollback_block();
    let post: BTreeMap<u32, u32> = (block.statement.storage.iter())
        .map(|slot| (slot.key.1[0], slot.post[0]))
        .collect();
    // OUTER's writes (and INNER's under it) are all undone: the transaction's frame finds
    // slot 1 at 4, slots 2 and 3 unset, transient 4 at 0.
    let expected = [
        (1, 4),
        (2, 0),
        (3, 0),
        (5, 0),
        (16, 0),
        (17, 4),
        (18, 0),
        (19, 0),
    ];
    for (slot, value) in expected {
        assert_eq!(post.get(&slot), Some(&value), "slot {slot}: {post:?}");
    }
    let t = storage_index(&block.traces);
    let table = &block.traces[t].columns;
    let rows = 0..table[col::LIVE].len();
    let one = Goldilocks::ONE;
    // Slot 1's run: the transaction's write, OUTER's, INNER's (restored to OUTER's 5 at its
    // end, under OUTER), OUTER's read, the second INNER's write and restore, OUTER's
    // restore (back to 4, under nothing), the transaction's read.
    let slot_1: Vec<(u64, u64, u64, u64)> = (rows.clone())
        .filter(|&r| {
            table[col::LIVE][r] == one
                && table[col::TRANSIENT][r] == Goldilocks::ZERO
                && table[col::KEY][r] == one
        })
        .map(|r| {
            let v = |c: usize| table[c][r].as_u64();
            (
                v(col::AFTER),
                v(col::REVERTED),
                v(col::RESTORE),
                v(col::WARM),
            )
        })
        .collect();
    assert_eq!(
        slot_1,
        [
            (4, 0, 0, 0),
            (5, 1, 0, 1),
            (9, 1, 0, 1),
            (5, 1, 1, 1),
            (5, 1, 0, 1),
            (9, 1, 0, 1),
            (5, 1, 1, 1),
            (4, 0, 1, 1),
            (4, 0, 0, 1),
        ]
    );
    // Slot 2, cold before INNER read it, is cold again for the transaction's frame.
    let slot_2_last = (rows.clone())
        .rev()
        .filter(|&r| table[col::LIVE][r] == one && table[col::KEY][r] == Goldilocks::new(2))
        .find(|&r| table[col::TRANSIENT][r] == Goldilocks::ZERO)
        .expect("slot 2's rows");
    assert_eq!(table[col::WARM][slot_2_last], Goldilocks::ZERO);
    assert_eq!(table[col::COST][slot_2_last].as_u64(), 2000);
    // WARMED, cold before each INNER's BALANCE, is cold again after both ends.
    let a = crate::call::tests::index_of(&block.traces, ComponentId::Account);
    let accounts = &block.traces[a].columns;
    let warmed = address_limbs(&NESTED_WARMED);
    let seen: Vec<(u64, u64, u64)> = (0..accounts[0].len())
        .filter(|&r| {
            use crate::account::col as ac;
            accounts[ac::LIVE][r] == one
                && (0..5).all(|j| accounts[ac::ADDRESS + j][r] == Goldilocks::new(warmed[j] as u64))
        })
        .map(|r| {
            use crate::account::col as ac;
            let v = |c: usize| accounts[c][r].as_u64();
            (v(ac::WARM), v(ac::REVERTED), v(ac::RESTORE))
        })
        .collect();
    // Each INNER's cold access and its restore (under OUTER), OUTER's restore, the
    // transaction's cold access.
    assert_eq!(
        seen,
        [
            (0, 1, 0),
            (1, 1, 1),
            (0, 1, 0),
            (1, 1, 1),
            (0, 0, 1),
            (0, 0, 0)
        ]
    );
    every_tampered_cell_of_the_block_is_caught(&block);
    // A padding row providing a state: its key, counters and state are free, so it could
    // hand a restore row any state (a write surviving its revert); only live rows provide.
    let live = (rows.clone())
        .filter(|&r| table[col::LIVE][r] == one)
        .count();
    let mut forged = block.traces.clone();
    forged[t].columns[super::CELLS.at(RollbackCells::SAVES)][live] = one;
    assert!(check_block(&forged).is_err());
}

#[test]
fn a_nested_restore_putting_back_the_inner_frames_state_is_rejected() {
    // OUTER's restore of slot 1 claims the state INNER found (5, warm) instead of the one
    // OUTER found (4): it takes the SAVE of INNER's write, whose interval does not hold
    // OUTER's first counter (the bounds' range checks fail; so does the transaction's read,
    // which the CPU says found 4).
    let block = nested_rollback_block();
    let public = block.statement.public_messages();
    let t = storage_index(&block.traces);
    let table = &block.traces[t].columns;
    let one = Goldilocks::ONE;
    let slot_1: Vec<usize> = (0..table[col::LIVE].len())
        .filter(|&r| {
            table[col::LIVE][r] == one
                && table[col::TRANSIENT][r] == Goldilocks::ZERO
                && table[col::KEY][r] == one
        })
        .collect();
    let (inner_write, outer_restore) = (slot_1[2], slot_1[7]);
    let cells = super::CELLS;
    let mut forged = block.traces.clone();
    let columns = &mut forged[t].columns;
    for (c, from) in [
        (RollbackCells::SAVE_CTR, col::CTR),
        (RollbackCells::SAVE_PREV, cells.at(RollbackCells::PREV_CTR)),
    ] {
        columns[cells.at(c)][outer_restore] = columns[from][inner_write];
    }
    // The bounds' limbs made to fit the linear constraints: `restored − save_prev − 1` is
    // negative now, no pair of 16-bit limbs.
    let restored = columns[cells.at(RollbackCells::RESTORED)][outer_restore];
    let below = restored - columns[cells.at(RollbackCells::SAVE_PREV)][outer_restore] - one;
    let above = columns[cells.at(RollbackCells::SAVE_CTR)][outer_restore] - restored;
    for (lo, value) in [
        (RollbackCells::BELOW_LO, below),
        (RollbackCells::ABOVE_LO, above),
    ] {
        columns[cells.at(lo)][outer_restore] = value;
        columns[cells.at(lo + 1)][outer_restore] = Goldilocks::ZERO;
    }
    let save_row = slot_1[1];
    columns[cells.at(RollbackCells::SAVES)][save_row] -= one;
    columns[cells.at(RollbackCells::SAVES)][inner_write] += one;
    for i in 0..LIMBS {
        let found = columns[col::BEFORE + i][inner_write];
        columns[col::SAVED + i][outer_restore] = found;
        columns[col::AFTER + i][outer_restore] = found;
        columns[col::BEFORE + i][slot_1[8]] = found;
        columns[col::AFTER + i][slot_1[8]] = found;
    }
    assert!(block_rejected(&forged, &public));
}

#[test]
fn a_callees_sstore_at_the_stipend_is_a_proven_sentry_halt() {
    // A callee given 2,000 gas: its SSTORE finds no more than the stipend left.
    let mut code = crate::call::tests::call(crate::call::CALL, &FAILING, Some(2_000));
    code.extend([0x60, 1, 0x55, 0x00]); // SSTORE(1, flag)
    let witness = run_calling(&code, &[(FAILING, vec![0x60, 1, 0x60, 1, 0x55, 0x00])]);
    let (block, _) = crate::test_support::honest_block_of(&witness);
    let halts: Vec<(u8, crate::cpu::HaltKind)> = (block.statement.sub_halts.iter())
        .map(|h| (h.opcode, h.kind))
        .collect();
    assert_eq!(halts, [(0x55, crate::cpu::HaltKind::OutOfGas)]);
    // The callee's SSTORE never ran: the only slot is the caller's, holding the failure flag.
    let slots: Vec<([u32; 5], u32)> = (block.statement.storage.iter())
        .map(|slot| (slot.key.0, slot.post[0]))
        .collect();
    let caller = crate::storage::address_limbs(&block.statement.address);
    assert_eq!(slots, [(caller, 0)]);
}
