use super::*;
use crate::cpu::tests::{storage_program, transient_program};
use crate::test_support::{block, block_imbalance, block_rejected, check_block, honest_block};
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

#[allow(clippy::needless_range_loop)] // a row index into several columns
fn every_tampered_cell_is_caught(code: &[u8]) {
    let honest = block(code);
    let public = honest.statement.public_messages();
    let t = storage_index(&honest.traces);
    let live = honest.traces[t].columns[col::LIVE]
        .iter()
        .filter(|v| **v == Goldilocks::ONE)
        .count();
    let columns = &honest.traces[t].columns;
    // Reviewed don't-cares: an inverse whose limb difference is zero (it multiplies zero), and
    // row 0's diff flags (no row precedes it). Padding rows: only their flags are checked.
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
                let mut tampered = honest.traces.clone();
                tampered[t].columns[column][row] += delta;
                assert!(
                    block_rejected(&tampered, &public),
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
    };
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
