use super::*;
use crate::cpu::col as cpu_col;
use crate::evm::EvmBlock;
use crate::test_support::{block_imbalance, block_rejected, check_block, run_calling, TamperBench};
use crate::ComponentTrace;
use zkevm_field::{FieldElement, Quadratic};

/// The calls `caller` makes.
const CALLS: usize = 5;

/// The called contracts' addresses.
const TARGET: [u8; 20] = [0x77; 20];
const OTHER: [u8; 20] = [0x78; 20];

/// `PUSH1 0 ×k, PUSH20 address, GAS (or PUSH4 gas), opcode`: a call passing no memory and
/// moving no value.
pub(crate) fn call(opcode: u8, address: &[u8; 20], gas: Option<u32>) -> Vec<u8> {
    let zeros = if matches!(opcode, CALL | CALLCODE) {
        5
    } else {
        4
    };
    let mut code = [0x60, 0x00].repeat(zeros);
    code.push(0x73);
    code.extend_from_slice(address);
    match gas {
        None => code.push(0x5a),
        Some(g) => {
            code.push(0x63);
            code.extend_from_slice(&g.to_be_bytes());
        }
    }
    code.push(opcode);
    code
}

/// A caller that calls TARGET (all gas), STATICCALLs OTHER (some gas), calls TARGET again
/// with a request above 2³², DELEGATECALLs TARGET (which then stores in the caller's
/// storage), CALLCODEs OTHER, stores the flags and stops.
fn caller() -> Vec<u8> {
    let mut code = call(CALL, &TARGET, None);
    code.extend([0x60, 0x01, 0x55]); // SSTORE(1, success)
    code.extend(call(STATICCALL, &OTHER, Some(30_000)));
    code.extend([0x60, 0x02, 0x55]);
    let mut big = call(CALL, &TARGET, Some(0));
    // PUSH4 0 → PUSH9 2⁶⁴: a request of 2³² or more.
    let at = big.len() - 6;
    big.truncate(at);
    big.extend([0x68, 0x01, 0, 0, 0, 0, 0, 0, 0, 0, CALL]);
    code.extend(big);
    code.extend([0x60, 0x03, 0x55]);
    code.extend(call(DELEGATECALL, &TARGET, Some(50_000)));
    code.extend([0x60, 0x04, 0x55]);
    code.extend(call(CALLCODE, &OTHER, None));
    code.extend([0x60, 0x05, 0x55, 0x00]);
    code
}

/// TARGET: stores a slot of its own, loads it, hashes a word of memory, reads its ADDRESS
/// and CALLDATASIZE and stops.
fn target_code() -> Vec<u8> {
    vec![
        0x60, 0x2a, 0x60, 0x07, 0x55, // SSTORE(7, 42)
        0x60, 0x07, 0x54, 0x50, // SLOAD(7), POP
        0x60, 0x05, 0x60, 0x00, 0x52, // MSTORE(0, 5)
        0x60, 0x20, 0x60, 0x00, 0x20, 0x50, // KECCAK256(0, 32), POP
        0x30, 0x50, 0x36, 0x50, // ADDRESS, POP, CALLDATASIZE, POP
        0x00,
    ]
}

/// OTHER (called static, and by CALLCODE): reads only, its context too (ADDRESS, CALLER,
/// CALLVALUE, CALLDATASIZE).
fn other_code() -> Vec<u8> {
    vec![
        0x60, 0x07, 0x54, 0x50, 0x60, 0x00, 0x31, 0x50, // SLOAD(7), BALANCE(0)
        0x30, 0x50, 0x33, 0x50, 0x34, 0x50, 0x36, 0x50, 0x00,
    ]
}

fn calls_block() -> (EvmBlock, Vec<PublicMessage>) {
    let witness = run_calling(&caller(), &[(TARGET, target_code()), (OTHER, other_code())]);
    let block = crate::evm::build(&witness).expect("a supported witness");
    check_block(&block.traces).unwrap();
    let public = block.statement.public_messages();
    assert_eq!(block_imbalance(&block.traces, &public), Quadratic::ZERO);
    (block, public)
}

pub(crate) fn index_of(traces: &[ComponentTrace], id: crate::ComponentId) -> usize {
    traces.iter().position(|t| t.id == id).expect("the table")
}

#[test]
fn calls_into_code_are_proven_with_their_gas_and_callee_frames() {
    let (block, _) = calls_block();
    let s = &block.statement;
    assert_eq!(s.call_codes.len(), 2, "{:?}", s.call_codes);
    let calls = &block.traces[index_of(&block.traces, crate::ComponentId::Call)];
    let live = calls.columns[col::LIVE]
        .iter()
        .filter(|v| **v == Goldilocks::ONE);
    assert_eq!(live.count(), CALLS);
    let cpu = &block.traces[0].columns;
    let firsts = cpu[cpu_col::FIRST]
        .iter()
        .filter(|v| **v == Goldilocks::ONE);
    assert_eq!(firsts.count(), 1 + CALLS, "one segment per frame");
    // The DELEGATECALL's store lands in the caller's storage, the CALL's in TARGET's.
    let owners: Vec<[u32; 5]> = (s.storage.iter())
        .filter(|slot| slot.key.1[0] == 7)
        .map(|slot| slot.key.0)
        .collect();
    let caller = crate::storage::address_limbs(&s.address);
    assert!(owners.contains(&caller), "{owners:?}");
    assert!(owners.contains(&crate::storage::address_limbs(&TARGET)));
}

#[test]
fn every_tampered_call_cell_is_caught() {
    let (block, public) = calls_block();
    let t = index_of(&block.traces, crate::ComponentId::Call);
    let bench = TamperBench::new(&block.traces, &public);
    let mut columns = block.traces[t].columns.clone();
    // The calls and the first padding row (there `live`, the opcode selectors and the
    // multiplicities matter: with `live` set, an empty call would have to balance; the
    // selectors are pinned to live rows; a padding row providing a callee's context value or
    // a restore's end would serve a read or restore no live row vouches for).
    for row in 0..=CALLS {
        for column in 0..COLUMN_NAMES.len() {
            let matters = column <= col::IS_STATICCALL
                || (col::ROLLBACKS..col::ARGS_SIZE).contains(&column)
                || column == col::RETURNED
                || column == col::COPIES;
            if (row == CALLS && !matters) || unserved_inheritance(&columns, row, column) {
                continue;
            }
            for delta in [Goldilocks::ONE, -Goldilocks::ONE] {
                columns[column][row] += delta;
                assert!(
                    bench.rejects(t, &columns),
                    "{} at row {row} (+{delta:?}) accepted",
                    COLUMN_NAMES[column]
                );
                columns[column][row] -= delta;
            }
        }
    }
    assert!(!bench.rejects(t, &columns));
    // A padding row claiming an argument window, consistently (size, flag, inverse): its
    // copy would write any frame's calldata. The row's constraints refuse it.
    for (column, value) in [
        (col::ARGS_SIZE, Goldilocks::new(5)),
        (col::ARGS_NONZERO, Goldilocks::ONE),
        (col::ARGS_INV, Goldilocks::new(5).inverse()),
    ] {
        columns[column][CALLS] = value;
    }
    assert!(crate::check::check_constraints(&Call, &columns).is_err());
}

#[test]
fn every_tampered_cpu_cell_of_calling_frames_is_caught() {
    let (block, public) = calls_block();
    crate::cpu::tests::assert_every_cpu_cell_is_caught(&block, &public);
}

/// The rows of the frame whose segment starts at `first`.
fn segment(columns: &[Vec<Goldilocks>], first: usize) -> std::ops::Range<usize> {
    let live = |r: usize| columns[cpu_col::LIVE][r] == Goldilocks::ONE;
    let end = (first + 1..columns[0].len())
        .find(|&r| !live(r) || columns[cpu_col::FIRST][r] == Goldilocks::ONE)
        .unwrap_or(columns[0].len());
    first..end
}

/// The first rows of the callees' segments (the transaction's own starts at row 0).
fn callee_starts(cpu: &[Vec<Goldilocks>]) -> Vec<usize> {
    (1..cpu[0].len())
        .filter(|&r| cpu[cpu_col::FIRST][r] == Goldilocks::ONE)
        .collect()
}

/// The block with the CPU `column` set to `value` on every row of the segment starting at
/// `first`: a frame register forged for a whole frame.
fn with_segment_register(
    traces: &[ComponentTrace],
    first: usize,
    column: usize,
    value: Goldilocks,
) -> Vec<ComponentTrace> {
    let mut forged = traces.to_vec();
    for r in segment(&traces[0].columns, first) {
        forged[0].columns[column][r] = value;
    }
    forged
}

#[test]
fn a_callee_cannot_take_its_callers_context_nor_drop_its_static_flag() {
    let (block, public) = calls_block();
    let cpu = &block.traces[0].columns;
    let starts = callee_starts(cpu);
    assert_eq!(starts.len(), CALLS);
    // Run in the caller's frame id (reading its stack and memory), or as the transaction's
    // own frame, or (the STATICCALL's callee) not static: the start message disagrees.
    for (column, value) in [
        (cpu_col::CTX, Goldilocks::ZERO),
        (cpu_col::ROOT, Goldilocks::ONE),
        (cpu_col::STATIC, Goldilocks::ZERO),
    ] {
        for &start in &starts {
            if cpu[column][start] == value {
                continue;
            }
            let forged = with_segment_register(&block.traces, start, column, value);
            assert!(
                block_rejected(&forged, &public),
                "column {column} at {start}"
            );
        }
    }
    // Run on another account (the DELEGATECALL's and CALLCODE's callees on the target's
    // rather than the caller's).
    for &start in &starts {
        let address = cpu[cpu_col::ADDRESS + 4][start] + Goldilocks::ONE;
        let forged = with_segment_register(&block.traces, start, cpu_col::ADDRESS + 4, address);
        assert!(block_rejected(&forged, &public), "address at {start}");
    }
}

#[test]
fn a_wrong_call_statement_is_rejected() {
    let (block, public) = calls_block();
    let bench = TamperBench::new(&block.traces, &public);
    let edits: [fn(&mut crate::evm::Statement); 4] = [
        // The other target's code, another address, a call more or fewer.
        |s| s.call_codes[0].1 = s.call_codes[1].1,
        |s| s.call_codes[0].0[19] ^= 1,
        |s| s.call_codes[0].2 += 1,
        |s| s.call_codes[1].2 -= 1,
    ];
    for edit in edits {
        let mut statement = block.statement.clone();
        edit(&mut statement);
        assert!(bench.rejects_messages(&statement.public_messages()));
    }
}

/// `CODECOPY(0, offset, 32) SSTORE(slot, MLOAD(0))`, STOP: 12 bytes, so a copy from `offset`
/// reads `12 − offset` code bytes, then zeros.
fn copies_own_code(offset: u8, slot: u8) -> Vec<u8> {
    vec![
        0x60, 0x20, 0x60, offset, 0x5f, 0x39, 0x5f, 0x51, 0x60, slot, 0x55, 0x00,
    ]
}

#[test]
fn every_frame_copies_the_code_it_runs() {
    // The caller CALLs TARGET and DELEGATECALLs OTHER, each copying 32 bytes of its own code
    // (and the zeros past its end) and storing the word, then copies its own first 8 bytes
    // and stores them too.
    let mut code = call(CALL, &TARGET, None);
    code.push(0x50);
    code.extend(call(DELEGATECALL, &OTHER, None));
    code.push(0x50);
    code.extend([
        0x60, 0x08, 0x5f, 0x5f, 0x39, 0x5f, 0x51, 0x60, 0x03, 0x55, 0x00,
    ]);
    let (target_code, other_code) = (copies_own_code(2, 1), copies_own_code(1, 2));
    let witness = run_calling(
        &code,
        &[(TARGET, target_code.clone()), (OTHER, other_code.clone())],
    );
    let block = crate::evm::build(&witness).expect("a supported witness");
    check_block(&block.traces).unwrap();
    let public = block.statement.public_messages();
    assert_eq!(block_imbalance(&block.traces, &public), Quadratic::ZERO);
    let stored = |owner: &[u8; 20], slot: u32| {
        let owner = crate::storage::address_limbs(owner);
        crate::storage::word_of(&kept_word(&block.statement, owner, slot).expect("the slot"))
    };
    let word_of = |bytes: &[u8]| {
        let mut word = [0u8; 32];
        word[..bytes.len()].copy_from_slice(bytes);
        zkevm_evm_spec::witness::Word::from_be_bytes(word)
    };
    assert_eq!(stored(&TARGET, 1), word_of(&target_code[2..]));
    let caller = block.statement.address;
    assert_eq!(stored(&caller, 2), word_of(&other_code[1..]));
    assert_eq!(stored(&caller, 3), word_of(&code[..8]));
    // The statement lists each callee's zeros past its own code's end, under that code.
    let zeros: Vec<(u32, u64)> = (block.statement.copy_reads.iter())
        .map(|&(_, code, index, _)| (code, index))
        .collect();
    assert_eq!(zeros.len(), 22 + 21, "{zeros:?}");
    assert!(zeros.iter().all(|&(code, index)| code != 0 && index >= 12));
    let bench = TamperBench::new(&block.traces, &public);
    crate::cpu::tests::assert_every_cpu_cell_is_caught(&block, &public);
    // A callee's copy served from another code: its Copy rows keyed by the next code id.
    let t = index_of(&block.traces, crate::ComponentId::Copy);
    let copies = &block.traces[t].columns;
    use crate::copy::col as cc;
    let stride = Goldilocks::new(crate::copy::CODE_SOURCE_STRIDE);
    let operations: Vec<usize> = (0..copies[0].len())
        .filter(|&r| copies[cc::FIRST][r] == Goldilocks::ONE)
        .collect();
    assert_eq!(operations.len(), 3);
    for &first in &operations {
        let size = copies[cc::SIZE][first].as_u64() as usize;
        for delta in [stride, -stride] {
            let mut forged = copies.clone();
            for src in &mut forged[cc::SRC][first..first + size] {
                *src += delta;
            }
            assert!(bench.rejects(t, &forged), "copy at {first} {delta:?}");
        }
    }
    // A code byte read claimed from another code's row at the same index.
    let b = index_of(&block.traces, crate::ComponentId::Bytecode);
    let bytecode = &block.traces[b].columns;
    use crate::bytecode::col as bc;
    let read_rows: Vec<usize> = (0..bytecode[0].len())
        .filter(|&r| bytecode[bc::CODE_READS][r] != Goldilocks::ZERO)
        .collect();
    assert_eq!(read_rows.len(), 8 + 10 + 11);
    for &row in &read_rows {
        let index = bytecode[bc::INDEX][row];
        let elsewhere = (0..bytecode[0].len())
            .find(|&r| {
                bytecode[bc::INDEX][r] == index
                    && bytecode[bc::CODE_ID][r] != bytecode[bc::CODE_ID][row]
                    && bytecode[bc::IS_DATA][r] == Goldilocks::ONE
            })
            .expect("another code's byte");
        let mut forged = bytecode.clone();
        forged[bc::CODE_READS][row] -= Goldilocks::ONE;
        forged[bc::CODE_READS][elsewhere] += Goldilocks::ONE;
        assert!(bench.rejects(b, &forged), "row {row} moved to {elsewhere}");
    }
    // The verifier's zeros claimed for another code (the transaction's, or one past the list),
    // or at an index reaching into the next code's keys: refused or unbalanced.
    for code in [0, 3] {
        let mut statement = block.statement.clone();
        statement.copy_reads[0].1 = code;
        let parsed = crate::evm::Statement::from_bytes(&statement.to_bytes());
        assert!(
            parsed.is_err() || bench.rejects_messages(&statement.public_messages()),
            "zeros claimed for code {code}"
        );
    }
    let mut statement = block.statement.clone();
    statement.copy_reads[0].2 += crate::copy::CODE_SOURCE_STRIDE;
    assert!(crate::evm::Statement::from_bytes(&statement.to_bytes()).is_err());
}

/// `MSTORE8(0, byte) LOG1(0, 1, topic)`, then STOP.
fn logging(byte: u8, topic: u8) -> Vec<u8> {
    vec![
        0x60, byte, 0x5f, 0x53, // MSTORE8(0, byte)
        0x60, topic, 0x60, 0x01, 0x5f, 0xa1, // LOG1(0, 1, topic)
        0x00,
    ]
}

#[test]
fn callees_log_under_the_account_they_run_on() {
    // The transaction's frame CALLs TARGET and DELEGATECALLs it (each logs once), then logs
    // itself: the logs are TARGET's, then the caller's twice.
    let mut code = call(CALL, &TARGET, None);
    code.push(0x50);
    code.extend(call(DELEGATECALL, &TARGET, None));
    code.push(0x50);
    code.extend(logging(0xcd, 0x22));
    let witness = run_calling(&code, &[(TARGET, logging(0xab, 0x11))]);
    let block = crate::evm::build(&witness).expect("a supported witness");
    let public = block.statement.public_messages();
    let bench = TamperBench::new(&block.traces, &public);
    let root = block.statement.address;
    let emitters: Vec<[u8; 20]> = block.statement.logs.iter().map(|l| l.address).collect();
    assert_eq!(emitters, [TARGET, root, root]);
    let data: Vec<&[u8]> = (block.statement.logs.iter()).map(|l| &l.data[..]).collect();
    assert_eq!(data, [&[0xab][..], &[0xab], &[0xcd]]);
    // A statement naming another emitter for any of them does not balance.
    assert_log_forgeries_rejected(&block, &bench, |log, i| {
        log.address = [root, TARGET, TARGET][i]
    });
}

/// Each of `block`'s three one-topic, one-byte logs edited by `edit` in the statement, and
/// every cell of their Log rows (callees' included) changed: each is rejected. Returns the
/// Log table's index.
fn assert_log_forgeries_rejected(
    block: &EvmBlock,
    bench: &TamperBench,
    edit: impl Fn(&mut crate::log::LogEntry, usize),
) -> usize {
    for i in 0..3 {
        let mut statement = block.statement.clone();
        edit(&mut statement.logs[i], i);
        assert!(
            bench.rejects_messages(&statement.public_messages()),
            "log {i}"
        );
    }
    let t = index_of(&block.traces, crate::ComponentId::Log);
    let rows: Vec<usize> = (0..9).collect();
    let public = block.statement.public_messages();
    crate::test_support::assert_changed_cells_rejected(
        &block.traces,
        &public,
        t,
        crate::log::Log::COLUMNS,
        &rows,
    );
    t
}

#[test]
fn a_failing_callees_logs_are_marked_reverted() {
    // TARGET logs and then fails (INVALID), OTHER logs and then REVERTs; the caller logs.
    let mut halts = logging(1, 2);
    *halts.last_mut().unwrap() = 0xfe;
    let mut reverts = logging(3, 4);
    reverts.truncate(reverts.len() - 1);
    reverts.extend([0x5f, 0x5f, 0xfd]);
    let mut code = call(CALL, &TARGET, None);
    code.push(0x50);
    code.extend(call(CALL, &OTHER, None));
    code.push(0x50);
    code.extend(logging(5, 6));
    let witness = run_calling(&code, &[(TARGET, halts), (OTHER, reverts)]);
    let block = crate::evm::build(&witness).expect("a supported witness");
    let public = block.statement.public_messages();
    let bench = TamperBench::new(&block.traces, &public);
    let marks: Vec<bool> = block.statement.logs.iter().map(|l| l.reverted).collect();
    assert_eq!(marks, [true, true, false]);
    let t = assert_log_forgeries_rejected(&block, &bench, |log, _| log.reverted ^= true);
    // A consistent forgery: the reverting callee's whole segment claims it succeeds, its
    // log rows and the statement keep its log. Only its START message (reverts = 1 − success,
    // from the Call row) stands against it.
    let cpu = &block.traces[0].columns;
    let reverting = callee_starts(cpu)[1];
    let mut forged =
        with_segment_register(&block.traces, reverting, cpu_col::REVERTS, Goldilocks::ZERO);
    for r in 3..6 {
        forged[t].columns[crate::log::col::REVERTED][r] = Goldilocks::ZERO;
    }
    let mut statement = block.statement.clone();
    statement.logs[1].reverted = false;
    let forged_public = statement.public_messages();
    check_block(&forged).expect("the forgery keeps every constraint");
    assert_ne!(
        block_imbalance(&forged, &forged_public),
        Quadratic::ZERO,
        "a reverting callee's log kept"
    );
}

/// The word a statement's storage holds after execution in `owner`'s slot `slot` (a one-limb
/// key), if the execution touched it.
fn kept_word(s: &crate::evm::Statement, owner: [u32; 5], slot: u32) -> Option<[u32; 8]> {
    let slot = (s.storage.iter()).find(|s| s.key.0 == owner && s.key.1[0] == slot);
    slot.map(|s| s.post)
}

/// An address's limbs (most significant first) as a stack word's (least significant first).
fn address_word(limbs: [u32; 5]) -> [u32; 8] {
    std::array::from_fn(|i| if i < 5 { limbs[4 - i] } else { 0 })
}

/// Every cell of the Copy rows between frames (argument and return copies) changed by ±1: each
/// is rejected. Returns those rows.
fn assert_copies_between_frames_tamper_rejected(
    block: &EvmBlock,
    bench: &TamperBench,
) -> Vec<usize> {
    let c = index_of(&block.traces, crate::ComponentId::Copy);
    let copy = &block.traces[c].columns;
    let rows: Vec<usize> = (0..copy[0].len())
        .filter(|&r| copy[crate::copy::col::IS_RETURN][r] == Goldilocks::ONE)
        .collect();
    for &row in &rows {
        for column in 0..crate::copy::Copy::COLUMNS.len() {
            for delta in [Goldilocks::ONE, -Goldilocks::ONE] {
                let mut columns = copy.clone();
                columns[column][row] += delta;
                let name = crate::copy::Copy::COLUMNS[column];
                assert!(bench.rejects(c, &columns), "copy {name} at {row}");
            }
        }
    }
    rows
}

/// A DELEGATECALL's inherited CALLER or CALLVALUE cell when its callee reads neither: served
/// zero times, nothing depends on it. (Other rows' inherited cells are pinned to zero.)
fn unserved_inheritance(columns: &[Vec<Goldilocks>], row: usize, column: usize) -> bool {
    let delegates = columns[col::IS_DELEGATECALL][row] == Goldilocks::ONE;
    let unread = |reads: usize| columns[col::CONTEXT_READS + reads][row] == Goldilocks::ZERO;
    let inherited_caller = (col::INHERITED_CALLER..col::INHERITED_VALUE).contains(&column);
    let inherited_value = (col::INHERITED_VALUE..col::INHERITED_VALUE + LIMBS).contains(&column);
    delegates && ((inherited_caller && unread(1)) || (inherited_value && unread(2)))
}

/// Every cell of the first `rows` Call rows changed by ±1: each is rejected (but
/// [`unserved_inheritance`]'s).
fn assert_call_rows_tamper_rejected(block: &EvmBlock, bench: &TamperBench, rows: usize) {
    let t = index_of(&block.traces, crate::ComponentId::Call);
    for row in 0..rows {
        for column in 0..Call::COLUMNS.len() {
            if unserved_inheritance(&block.traces[t].columns, row, column) {
                continue;
            }
            for delta in [Goldilocks::ONE, -Goldilocks::ONE] {
                let mut columns = block.traces[t].columns.clone();
                columns[column][row] += delta;
                let name = Call::COLUMNS[column];
                assert!(bench.rejects(t, &columns), "{name} {row}");
            }
        }
    }
}

/// `PUSH1`s of `operands` (pushed in reverse: the first lands on top below the target),
/// `PUSH20 address`, `GAS`, `opcode`.
fn call_with(opcode: u8, address: &[u8; 20], operands: &[u8]) -> Vec<u8> {
    let mut code: Vec<u8> = operands.iter().rev().flat_map(|&v| [0x60, v]).collect();
    code.push(0x73);
    code.extend_from_slice(address);
    code.extend([0x5a, opcode]);
    code
}

#[test]
fn calls_grow_the_callers_memory_to_their_windows_and_pass_their_size() {
    // CALL with 40 bytes of arguments at 64 and a 32-byte return window at 200 (memory grows
    // to 8 words, the return window reaching further), a STATICCALL whose only window is a
    // return byte at 250 (8 words already hold it), a DELEGATECALL passing 16 bytes at 8
    // (inside memory), one passing 200 bytes at 0 (7 words: the argument window reaches
    // further now, but not past the 8 words): each stores its flag and MSIZE. TARGET
    // stores its CALLDATASIZE; neither callee returns data.
    let mut code = call_with(CALL, &TARGET, &[0, 64, 40, 200, 32]);
    code.extend([0x60, 0x01, 0x55, 0x59, 0x60, 0x02, 0x55]);
    code.extend(call_with(STATICCALL, &OTHER, &[0, 0, 250, 1]));
    code.extend([0x60, 0x03, 0x55, 0x59, 0x60, 0x04, 0x55]);
    code.extend(call_with(DELEGATECALL, &TARGET, &[8, 16, 0, 0]));
    code.extend([0x60, 0x05, 0x55]);
    code.extend(call_with(DELEGATECALL, &TARGET, &[0, 200, 0, 0]));
    code.extend([0x60, 0x06, 0x55, 0x00]);
    let stores_size = vec![0x36, 0x60, 0x09, 0x55, 0x00];
    let witness = run_calling(&code, &[(TARGET, stores_size), (OTHER, vec![0x00])]);
    let block = crate::evm::build(&witness).expect("a supported witness");
    let public = block.statement.public_messages();
    let caller = crate::storage::address_limbs(&block.statement.address);
    let slots: Vec<(bool, u32, u32)> = (block.statement.storage.iter())
        .map(|slot| (slot.key.0 == caller, slot.key.1[0], slot.post[0]))
        .collect();
    for expected in [
        (true, 1, 1),
        (true, 2, 256),
        (true, 3, 1),
        (true, 4, 256),
        (true, 5, 1),
        (true, 6, 1),
        (false, 9, 40),
        (true, 9, 200),
    ] {
        assert!(slots.contains(&expected), "{expected:?} not in {slots:?}");
    }
    let t = index_of(&block.traces, crate::ComponentId::Call);
    let words: Vec<u64> = (0..4)
        .map(|r| block.traces[t].columns[col::WORDS][r].as_u64())
        .collect();
    assert_eq!(words, [8, 8, 1, 7]);
    let bench = TamperBench::new(&block.traces, &public);
    assert_call_rows_tamper_rejected(&block, &bench, 4);
    crate::cpu::tests::assert_every_cpu_cell_is_caught(&block, &public);
    // The callee's CALLDATASIZE claimed empty: the Call row provides the window's size.
    let mut statement = block.statement.clone();
    let slot = (statement.storage.iter_mut())
        .find(|slot| slot.key.0 != caller && slot.key.1[0] == 9)
        .unwrap();
    slot.post[0] = 0;
    assert!(bench.rejects_messages(&statement.public_messages()));
}

#[test]
fn return_data_is_the_last_callees_output() {
    // The caller stores RETURNDATASIZE before any call (0); CALLs TARGET, which returns 40
    // bytes from its memory at 5 (memory byte i holds i + 1), and stores RETURNDATASIZE (40),
    // then copies 36 bytes from offset 3 to 64 and stores both words there, then an empty
    // copy at the data's end; CALLs OTHER, which REVERTs with 7 bytes, and stores their size
    // and the word copied from them; CALLs an account without code and stores
    // RETURNDATASIZE + 1 (its return data is empty).
    const NOBODY: [u8; 20] = [0x55; 20];
    let mut code = vec![0x3d, 0x60, 0x01, 0x55];
    code.extend(call(CALL, &TARGET, None));
    code.push(0x50);
    code.extend([0x3d, 0x60, 0x02, 0x55]);
    code.extend([0x60, 0x24, 0x60, 0x03, 0x60, 0x40, 0x3e]); // RETURNDATACOPY(64, 3, 36)
    code.extend([
        0x60, 0x40, 0x51, 0x60, 0x03, 0x55, 0x60, 0x60, 0x51, 0x60, 0x04, 0x55,
    ]);
    code.extend([0x5f, 0x60, 0x28, 0x5f, 0x3e]); // RETURNDATACOPY(0, 40, 0)
    code.extend(call(CALL, &OTHER, None));
    code.push(0x50);
    code.extend([0x3d, 0x60, 0x05, 0x55]);
    code.extend([0x60, 0x07, 0x5f, 0x60, 0x80, 0x3e]); // RETURNDATACOPY(128, 0, 7)
    code.extend([0x60, 0x80, 0x51, 0x60, 0x06, 0x55]);
    code.extend(call(CALL, &NOBODY, None));
    code.push(0x50);
    code.extend([0x3d, 0x60, 0x01, 0x01, 0x60, 0x07, 0x55, 0x00]);
    // TARGET: MSTORE(0, 0x0102…20), MSTORE(32, 0x2122…40), RETURN(5, 40); its own
    // RETURNDATASIZE (0: it has called nothing) stored first.
    let mut target = vec![0x3d, 0x60, 0x09, 0x55, 0x7f];
    target.extend(1..=32u8);
    target.extend([0x5f, 0x52, 0x7f]);
    target.extend(33..=64u8);
    target.extend([0x60, 0x20, 0x52, 0x60, 0x28, 0x60, 0x05, 0xf3]);
    // OTHER: MSTORE(0, 0xa1…a7), REVERT(25, 7).
    let mut other = vec![0x66];
    other.extend(0xa1..=0xa7u8);
    other.extend([0x5f, 0x52, 0x60, 0x07, 0x60, 0x19, 0xfd]);
    let witness = run_calling(&code, &[(TARGET, target), (OTHER, other)]);
    let (block, public) = crate::test_support::honest_block_of(&witness);
    let s = &block.statement;
    let caller = crate::storage::address_limbs(&s.address);
    let stored = |owner, slot| kept_word(s, owner, slot).map(|w| crate::storage::word_of(&w));
    let word_of = |bytes: &[u8]| {
        let mut word = [0u8; 32];
        word[..bytes.len()].copy_from_slice(bytes);
        Some(Word::from_be_bytes(word))
    };
    let output: Vec<u8> = (6..46).collect();
    assert_eq!(stored(caller, 1), Some(Word::ZERO));
    assert_eq!(stored(caller, 2), Some(Word::from(40)));
    assert_eq!(stored(caller, 3), word_of(&output[3..35]));
    assert_eq!(stored(caller, 4), word_of(&output[35..39]));
    assert_eq!(stored(caller, 5), Some(Word::from(7)));
    let reverted: Vec<u8> = (0xa1..=0xa7).collect();
    assert_eq!(stored(caller, 6), word_of(&reverted));
    assert_eq!(stored(caller, 7), Some(Word::from(1)));
    let target_limbs = crate::storage::address_limbs(&TARGET);
    assert_eq!(stored(target_limbs, 9), Some(Word::ZERO));
    let bench = TamperBench::new(&block.traces, &public);
    crate::cpu::tests::assert_every_cpu_cell_is_caught(&block, &public);
    assert_call_rows_tamper_rejected(&block, &bench, 3);
    // The two RETURNDATACOPYs' rows, every cell.
    let rows = assert_copies_between_frames_tamper_rejected(&block, &bench);
    assert_eq!(rows.len(), 36 + 7);
    // A larger return data claimed consistently after the first call (the call row's `C₂`,
    // the registers of every row up to the next call, RETURNDATASIZE's word): every
    // constraint holds, and the buses reject it (the Call row's output size among them).
    let cpu = &block.traces[0].columns;
    let calls: Vec<usize> = (0..cpu[0].len())
        .filter(|&r| {
            cpu[cpu_col::SEL + crate::cpu::Family::Call as usize - 1][r] == Goldilocks::ONE
        })
        .collect();
    let (first_call, next_call) = (calls[0], calls[1]);
    let mut forged = block.traces.clone();
    forged[0].columns[cpu_col::C + 2][first_call] += Goldilocks::ONE;
    for row in first_call + 1..=next_call {
        forged[0].columns[cpu_col::RD_SIZE][row] += Goldilocks::ONE;
    }
    let sizes =
        (first_call + 1..next_call).filter(|&r| cpu[cpu_col::OPCODE][r] == Goldilocks::new(0x3d));
    for row in sizes {
        forged[0].columns[cpu_col::A][row] += Goldilocks::ONE;
    }
    check_block(&forged).unwrap();
    assert!(block_rejected(&forged, &public));
}

#[test]
fn a_callees_output_is_copied_into_the_return_window() {
    // TARGET returns 40 bytes (0x11… at 0, 0x22… at 32); OTHER reverts with 3 bytes
    // (0xaabbcc). The caller CALLs TARGET into a 32-byte window at 100 (32 bytes copied),
    // STATICCALLs it into a 64-byte window at 200 (40 copied, the rest untouched), CALLs
    // OTHER into a 2-byte window at 0 (2 copied), and a third time TARGET with an empty
    // window; it then stores the windows' words.
    let returns = vec![
        0x7f, 0x11, 0x11, 0x11, 0x11, 0x11, 0x11, 0x11, 0x11, 0x11, 0x11, 0x11, 0x11, 0x11, 0x11,
        0x11, 0x11, 0x11, 0x11, 0x11, 0x11, 0x11, 0x11, 0x11, 0x11, 0x11, 0x11, 0x11, 0x11, 0x11,
        0x11, 0x11, 0x11, // PUSH32 0x11…
        0x5f, 0x52, // MSTORE(0)
        0x7f, 0x22, 0x22, 0x22, 0x22, 0x22, 0x22, 0x22, 0x22, 0x22, 0x22, 0x22, 0x22, 0x22, 0x22,
        0x22, 0x22, 0x22, 0x22, 0x22, 0x22, 0x22, 0x22, 0x22, 0x22, 0x22, 0x22, 0x22, 0x22, 0x22,
        0x22, 0x22, 0x22, // PUSH32 0x22…
        0x60, 0x20, 0x52, // MSTORE(32)
        0x60, 0x28, 0x5f, 0xf3, // RETURN(0, 40)
    ];
    let reverts = vec![
        0x62, 0xaa, 0xbb, 0xcc, 0x5f, 0x52, // MSTORE(0, 0xaabbcc)
        0x60, 0x03, 0x60, 0x1d, 0xfd, // REVERT(29, 3)
    ];
    let mut code = call_with(CALL, &TARGET, &[0, 0, 0, 100, 32]);
    code.push(0x50);
    code.extend(call_with(STATICCALL, &TARGET, &[0, 0, 200, 64]));
    code.push(0x50);
    code.extend(call_with(CALL, &OTHER, &[0, 0, 0, 0, 2]));
    code.push(0x50);
    code.extend(call_with(CALL, &TARGET, &[0, 0, 0, 0, 0]));
    code.push(0x50);
    // SSTORE(k, MLOAD(offset)) for the windows' words.
    for (k, offset) in [(1u8, 100u8), (2, 200), (3, 232), (4, 0)] {
        code.extend([0x60, offset, 0x51, 0x60, k, 0x55]);
    }
    code.push(0x00);
    let witness = run_calling(&code, &[(TARGET, returns), (OTHER, reverts)]);
    let block = crate::evm::build(&witness).expect("a supported witness");
    let public = block.statement.public_messages();
    let caller = crate::storage::address_limbs(&block.statement.address);
    let words: Vec<(u32, [u32; 8])> = (block.statement.storage.iter())
        .filter(|slot| slot.key.0 == caller)
        .map(|slot| (slot.key.1[0], slot.post))
        .collect();
    assert_eq!(
        words,
        [
            (1, [0x1111_1111; 8]),
            (2, [0x1111_1111; 8]),
            (3, [0, 0, 0, 0, 0, 0, 0x2222_2222, 0x2222_2222]),
            (4, [0, 0, 0, 0, 0, 0, 0, 0xaabb_0000]),
        ],
        "{words:x?}"
    );
    let t = index_of(&block.traces, crate::ComponentId::Call);
    let copied: Vec<u64> = (0..4)
        .map(|r| block.traces[t].columns[col::COPIED][r].as_u64())
        .collect();
    assert_eq!(copied, [32, 40, 2, 0]);
    let bench = TamperBench::new(&block.traces, &public);
    assert_call_rows_tamper_rejected(&block, &bench, 4);
    // Every cell of the return copies' rows (32 + 40 + 2 of them, after any other copy).
    let returning = assert_copies_between_frames_tamper_rejected(&block, &bench);
    assert_eq!(returning.len(), 74);
    let c = index_of(&block.traces, crate::ComponentId::Copy);
    let copy = &block.traces[c].columns;
    // A copy claimed from the caller's own memory (an MCOPY) instead of the callee's.
    let mut forged = copy.clone();
    for &row in &returning[..32] {
        forged[crate::copy::col::SRC_CTX][row] = forged[crate::copy::col::CTX][row];
        forged[crate::copy::col::IS_RETURN][row] = Goldilocks::ZERO;
    }
    assert!(bench.rejects(c, &forged));
    // The Output component taking TARGET's output as the transaction's (so its Call row
    // would not have to): a table of that message is refused by the Output table's boundary
    // alone (its header names frame 0), the same table under frame 0 satisfies its rows.
    let calls = &block.traces[t].columns;
    let cell = |column: usize| calls[column][0].as_u64() as u32;
    let mut bytes = vec![0x11; 32];
    bytes.extend([0x22; 8]);
    let taken = crate::output::OutputOp {
        ctr: cell(col::CTR_STOP),
        ctx: cell(col::CTR) + 1,
        offset: cell(col::OUT_OFFSET),
        bytes,
    };
    assert_eq!(cell(col::OUT_SIZE), 40);
    let output = crate::output::trace(&taken);
    assert!(crate::check::check_constraints(&crate::output::Output, &output).is_err());
    let root_output = crate::output::trace(&crate::output::OutputOp { ctx: 0, ..taken });
    crate::check::check_constraints(&crate::output::Output, &root_output).unwrap();
}

#[test]
fn callees_load_their_calldata_from_the_argument_window() {
    // The caller stores 0x0102…08 at memory 24..32 and CALLs TARGET with the window
    // [24, 32); TARGET stores CALLDATALOAD at 0 (the 8 bytes, zero-padded), 4 (the last
    // four) and 100 (past the end: 0) and its memory's first word (untouched by its
    // calldata: 0), then copies 40 bytes of calldata from 2 (six, then zeros) to 64 and
    // stores that word, then sets the word at 128 to all ones, copies 9 bytes of calldata
    // from 2²⁵⁶ − 6 (zeros: `copy::FAR_SOURCE` in its memory) over it and stores it. A
    // DELEGATECALL with no arguments loads 0.
    let mut code = vec![0x67, 1, 2, 3, 4, 5, 6, 7, 8, 0x5f, 0x52]; // MSTORE(0, 0x0102…08)
    code.extend(call_with(CALL, &TARGET, &[0, 24, 8, 0, 0]));
    code.push(0x50);
    code.extend(call_with(DELEGATECALL, &OTHER, &[0, 0, 0, 0]));
    code.extend([0x50, 0x00]);
    let loads = vec![
        0x5f, 0x35, 0x60, 0x01, 0x55, // SSTORE(1, CALLDATALOAD(0))
        0x60, 0x04, 0x35, 0x60, 0x02, 0x55, // SSTORE(2, CALLDATALOAD(4))
        0x60, 0x64, 0x35, 0x60, 0x03, 0x55, // SSTORE(3, CALLDATALOAD(100))
        0x5f, 0x51, 0x60, 0x04, 0x55, // SSTORE(4, MLOAD(0))
        0x60, 0x28, 0x60, 0x02, 0x60, 0x40, 0x37, // CALLDATACOPY(64, 2, 40)
        0x60, 0x40, 0x51, 0x60, 0x06, 0x55, // SSTORE(6, MLOAD(64))
        0x5f, 0x19, 0x60, 0x80, 0x52, // MSTORE(128, NOT(0))
        0x60, 0x09, 0x60, 0x05, 0x19, 0x60, 0x80, 0x37, // CALLDATACOPY(128, NOT(5), 9)
        0x60, 0x80, 0x51, 0x60, 0x07, 0x55, 0x00, // SSTORE(7, MLOAD(128))
    ];
    let loads_empty = vec![0x5f, 0x35, 0x60, 0x05, 0x55, 0x00];
    let witness = run_calling(&code, &[(TARGET, loads), (OTHER, loads_empty)]);
    let block = crate::evm::build(&witness).expect("a supported witness");
    let public = block.statement.public_messages();
    let target = crate::storage::address_limbs(&TARGET);
    let caller = crate::storage::address_limbs(&block.statement.address);
    let slots: Vec<([u32; 5], u32, [u32; 8])> = (block.statement.storage.iter())
        .map(|slot| (slot.key.0, slot.key.1[0], slot.post))
        .collect();
    let word = |high: [u32; 2]| [0, 0, 0, 0, 0, 0, high[1], high[0]];
    for expected in [
        (target, 1, word([0x0102_0304, 0x0506_0708])),
        (target, 2, word([0x0506_0708, 0])),
        (target, 3, [0; 8]),
        (target, 4, [0; 8]),
        (caller, 5, [0; 8]),
        (target, 6, word([0x0304_0506, 0x0708_0000])),
        (target, 7, [!0, !0, !0, !0, !0, 0x00ff_ffff, 0, 0]),
    ] {
        assert!(slots.contains(&expected), "{expected:x?} not in {slots:x?}");
    }
    let bench = TamperBench::new(&block.traces, &public);
    assert_call_rows_tamper_rejected(&block, &bench, 2);
    crate::cpu::tests::assert_every_cpu_cell_is_caught(&block, &public);
    // The argument copy's Copy rows (8 of them), every cell.
    let rows = assert_copies_between_frames_tamper_rejected(&block, &bench);
    assert_eq!(rows.len(), 8);
    // A loaded word claimed otherwise in the statement.
    let mut statement = block.statement.clone();
    let slot = (statement.storage.iter_mut())
        .find(|slot| slot.key.0 == target && slot.key.1[0] == 2)
        .unwrap();
    slot.post[6] = 0x0506_0709;
    assert!(bench.rejects_messages(&statement.public_messages()));
}

#[test]
fn callees_load_and_copy_zeros_far_past_their_calldata() {
    // TARGET, called with 8 bytes of arguments, loads its calldata at 0 (the bytes), at
    // 2²² − 1 (near: its copy in memory, zeros), at 2²² and 2³² − 1 (far: `A₀ − 2²²`
    // range-checked), at 2³¹ − 16 (far, where the copy's address would pass 2³²) and at
    // 2⁴⁰ + 1 (far: a high limb set, low limb 1), storing each. Then it copies 9 bytes of
    // calldata over a word of ones from 2²² − 4 (near), 2²², 2³¹ − 4 and 2³² − 1 (far by
    // their low limb, `src_far_low`) and 2⁴⁰ + 1 (far by a high limb), storing each word.
    let mut code = vec![0x67, 1, 2, 3, 4, 5, 6, 7, 8, 0x5f, 0x52]; // MSTORE(0, 0x0102…08)
    code.extend(call_with(CALL, &TARGET, &[0, 24, 8, 0, 0]));
    code.extend([0x50, 0x00]);
    let offsets: [&[u8]; 6] = [
        &[0x5f],
        &[0x62, 0x3f, 0xff, 0xff],
        &[0x62, 0x40, 0, 0],
        &[0x63, 0xff, 0xff, 0xff, 0xff],
        &[0x63, 0x7f, 0xff, 0xff, 0xf0],
        &[0x65, 1, 0, 0, 0, 0, 1],
    ];
    let mut loads = Vec::new();
    for (slot, offset) in offsets.iter().enumerate() {
        loads.extend(*offset);
        loads.extend([0x35, 0x60, slot as u8 + 1, 0x55]); // SSTORE(slot + 1, CALLDATALOAD)
    }
    let sources: [&[u8]; 5] = [
        &[0x62, 0x3f, 0xff, 0xfc],
        &[0x62, 0x40, 0, 0],
        &[0x63, 0x7f, 0xff, 0xff, 0xfc],
        &[0x63, 0xff, 0xff, 0xff, 0xff],
        &[0x65, 1, 0, 0, 0, 0, 1],
    ];
    for (slot, source) in sources.iter().enumerate() {
        loads.extend([0x5f, 0x19, 0x60, 0x80, 0x52, 0x60, 9]); // MSTORE(128, NOT(0)), size 9
        loads.extend(*source);
        loads.extend([0x60, 0x80, 0x37]); // CALLDATACOPY(128, source, 9)
        loads.extend([0x60, 0x80, 0x51, 0x60, slot as u8 + 7, 0x55]); // SSTORE(MLOAD(128))
    }
    loads.push(0x00);
    let witness = run_calling(&code, &[(TARGET, loads)]);
    let block = crate::evm::build(&witness).expect("a supported witness");
    let public = block.statement.public_messages();
    let target = crate::storage::address_limbs(&TARGET);
    let posts: Vec<(u32, [u32; 8])> = (block.statement.storage.iter())
        .filter(|slot| slot.key.0 == target)
        .map(|slot| (slot.key.1[0], slot.post))
        .collect();
    let first = [0, 0, 0, 0, 0, 0, 0x0506_0708, 0x0102_0304];
    let zeros = (2..=6).map(|slot| (slot, [0; 8]));
    let nine_zero_bytes = (7..=11).map(|slot| (slot, [!0, !0, !0, !0, !0, 0x00ff_ffff, 0, 0]));
    let expected: Vec<_> = [(1, first)]
        .into_iter()
        .chain(zeros)
        .chain(nine_zero_bytes)
        .collect();
    assert_eq!(posts, expected);
    let cpu = &block.traces[0].columns;
    let loads = crate::cpu::tests::rows_of(&block, 0x35);
    let far: Vec<u64> = (loads.iter())
        .map(|&row| cpu[crate::cpu::col::FAR_LOAD][row].as_u64())
        .collect();
    assert_eq!(far, [0, 0, 1, 1, 1, 1]);
    assert_eq!(
        cpu[crate::cpu::col::FAR_HIGH_LIMBS][loads[5]],
        Goldilocks::ONE
    );
    let flags = |column: usize| -> Vec<u64> {
        (crate::cpu::tests::rows_of(&block, 0x37).iter())
            .map(|&row| cpu[column][row].as_u64())
            .collect()
    };
    assert_eq!(flags(crate::cpu::col::SRC_FAR), [0, 1, 1, 1, 1]);
    assert_eq!(flags(crate::cpu::col::SRC_FAR_LOW), [0, 1, 1, 1, 0]);
    // Every cell, the flag and the far operand's proof included.
    crate::cpu::tests::assert_every_cpu_cell_is_caught(&block, &public);
    // The load at 0 flagged far (to load zeros instead of its bytes): its row holds, but
    // whatever `far_hi` it shows, `A₀ − 2²² − 2¹⁶·far_hi` or `far_hi` is no 16-bit value.
    let mut row = crate::cpu::tests::row_of(&block, loads[0]);
    row[crate::cpu::col::FAR_LOAD] = Goldilocks::ONE;
    row[crate::cpu::col::B..crate::cpu::col::B + 8].fill(Goldilocks::ZERO);
    assert!(crate::cpu::tests::row_holds(&row));
    crate::cpu::tests::assert_no_far_hi_shows_a_small_operand_far(row);
}

#[test]
fn returndatacopies_far_past_the_return_data_halt_in_any_frame() {
    // OTHER returns a word. TARGET calls it, then copies from 2²² of its 32 bytes of return
    // data (out of bounds: TARGET halts, a far halt on depth 1); the caller calls TARGET
    // (which fails), OTHER again, then copies 32 bytes of its return data to 2²² (in bounds,
    // short of the expansion: a far halt on depth 0).
    let returns = vec![0x60, 0x2a, 0x5f, 0x52, 0x60, 0x20, 0x5f, 0xf3];
    let mut target = call(CALL, &OTHER, None);
    target.extend([0x50, 0x5f, 0x62, 0x40, 0, 0, 0x5f, 0x3e, 0x00]); // RETURNDATACOPY(0, 2²², 0)
    let mut code = call(CALL, &TARGET, None);
    code.push(0x50);
    code.extend(call(CALL, &OTHER, None));
    code.extend([0x50, 0x60, 0x20, 0x5f, 0x62, 0x40, 0, 0, 0x3e, 0x00]); // (2²², 0, 32)
    let witness = run_calling(&code, &[(TARGET, target), (OTHER, returns)]);
    let errors: Vec<(u8, Option<&str>)> = (witness.steps.iter())
        .filter(|s| s.error.is_some())
        .map(|s| (s.opcode, s.error.as_deref()))
        .collect();
    assert_eq!(
        errors,
        [(0x3e, Some("OutOfOffset")), (0x3e, Some("MemoryOOG"))]
    );
    let (block, public) = crate::test_support::honest_block_of(&witness);
    let far = |operand| crate::cpu::HaltKind::FarMemory { operand };
    let sub_halts: Vec<_> = (block.statement.sub_halts.iter())
        .map(|h| (h.opcode, h.kind))
        .collect();
    assert_eq!(sub_halts, [(0x3e, far(1))]);
    assert_eq!(block.statement.halt.map(|h| h.kind), Some(far(0)));
    crate::cpu::tests::assert_every_cpu_cell_is_caught(&block, &public);
    // Either halt claimed on another operand: the verifier's table row for it reads
    // operands that are not far (or there is none).
    let bench = TamperBench::new(&block.traces, &public);
    let mut statement = block.statement.clone();
    statement.sub_halts[0].kind = far(0);
    assert!(bench.rejects_messages(&statement.public_messages()));
    let mut statement = block.statement.clone();
    statement.halt = Some(crate::cpu::Halt {
        opcode: 0x3e,
        kind: far(1),
    });
    assert!(bench.rejects_messages(&statement.public_messages()));
}

#[test]
fn callees_return_and_revert_with_their_gas_and_flag() {
    // TARGET returns a word, OTHER reverts with two (after growing its memory); the caller
    // stores both flags and returns its own word. The callees' outputs go nowhere; REVERT
    // hands its gas back.
    let returns = vec![0x60, 0x2a, 0x5f, 0x52, 0x60, 0x20, 0x5f, 0xf3];
    let reverts = vec![0x60, 0x07, 0x60, 0x20, 0x52, 0x60, 0x40, 0x5f, 0xfd];
    let mut code = call(CALL, &TARGET, None);
    code.extend([0x60, 0x01, 0x55]); // SSTORE(1, success)
    code.extend(call(STATICCALL, &OTHER, None));
    code.extend([0x60, 0x02, 0x55]);
    code.extend(call(DELEGATECALL, &TARGET, None));
    code.extend([0x60, 0x03, 0x55]);
    code.extend([0x60, 0x99, 0x5f, 0x52, 0x60, 0x20, 0x5f, 0xf3]); // RETURN(0, 32) of 0x99
    let witness = run_calling(&code, &[(TARGET, returns), (OTHER, reverts)]);
    let succeeded: Vec<bool> = witness.frames.iter().map(|f| f.success).collect();
    assert_eq!(succeeded, [true, true, false, true]);
    let block = crate::evm::build(&witness).expect("a supported witness");
    let public = block.statement.public_messages();
    let bench = TamperBench::new(&block.traces, &public);
    let mut word = [0u8; 32];
    word[31] = 0x99;
    assert_eq!(
        block.statement.output, word,
        "the transaction's own output only"
    );
    let flags: Vec<(u32, u32)> = (block.statement.storage.iter())
        .filter(|slot| slot.key.0 == crate::storage::address_limbs(&block.statement.address))
        .map(|slot| (slot.key.1[0], slot.post[0]))
        .collect();
    assert_eq!(flags, [(1, 1), (2, 0), (3, 1)]);
    // The statement claiming a callee's output instead.
    let mut statement = block.statement.clone();
    statement.output[31] = 0x2a;
    assert!(bench.rejects_messages(&statement.public_messages()));
    assert_call_rows_tamper_rejected(&block, &bench, 3);
    // The callees' last rows: RETURN and REVERT, neither sending output on the bus; either
    // claimed the other way (their opcode, selectors and success with it) does not balance.
    let cpu = &block.traces[0].columns;
    let last_of = |first: usize| segment(cpu, first).last().unwrap();
    let starts = callee_starts(cpu);
    for (&first, opcode) in starts.iter().zip([0xf3u64, 0xfd, 0xf3]) {
        assert_eq!(cpu[cpu_col::OPCODE][last_of(first)].as_u64(), opcode);
    }
    // A callee's whole segment claiming to be the transaction's frame (so that its RETURN
    // would bind the output): its START message says otherwise.
    let forged = with_segment_register(&block.traces, starts[0], cpu_col::ROOT, Goldilocks::ONE);
    assert!(
        block_rejected(&forged, &public),
        "a callee's RETURN claimed as the root's"
    );
}

#[test]
fn calls_into_accounts_without_code_run_nothing_and_return_all_their_gas() {
    // CALL and DELEGATECALL into an address no account holds, STATICCALL into TARGET; each
    // flag stored.
    const NOBODY: [u8; 20] = [0x55; 20];
    let mut code = call(CALL, &NOBODY, None);
    code.extend([0x60, 0x01, 0x55]);
    code.extend(call(DELEGATECALL, &NOBODY, Some(40_000)));
    code.extend([0x60, 0x02, 0x55]);
    code.extend(call(STATICCALL, &TARGET, None));
    code.extend([0x60, 0x03, 0x55, 0x00]);
    let witness = run_calling(&code, &[(TARGET, other_code())]);
    let block = crate::evm::build(&witness).expect("a supported witness");
    let public = block.statement.public_messages();
    let bench = TamperBench::new(&block.traces, &public);
    let no_code = crate::evm::NO_CODE;
    assert!(block.statement.call_codes.contains(&(NOBODY, no_code, 2)));
    let flags: Vec<u32> = (block.statement.storage.iter())
        .filter(|slot| slot.key.0 == crate::storage::address_limbs(&block.statement.address))
        .map(|slot| slot.post[0])
        .collect();
    assert_eq!(flags, [1, 1, 1]);
    assert_call_rows_tamper_rejected(&block, &bench, 3);
    // The statement giving NOBODY a code, or TARGET none: the lookups do not balance.
    for (address, position) in [(NOBODY, 0), (TARGET, no_code)] {
        let mut statement = block.statement.clone();
        for entry in &mut statement.call_codes {
            if entry.0 == address {
                entry.1 = position;
            }
        }
        assert!(bench.rejects_messages(&statement.public_messages()));
    }
}

/// EIP-7702's designator: the code of an account delegating to `delegate`.
fn designator(delegate: &[u8; 20]) -> Vec<u8> {
    [&[0xef, 0x01, 0x00][..], delegate].concat()
}

#[test]
fn calls_into_delegated_accounts_run_their_delegates_code_and_pay_for_it() {
    // WALLET delegates to TARGET (its code stores slot 7 and reads ADDRESS), EMPTY_WALLET to
    // an account without code. The caller CALLs WALLET twice (target and delegate cold, then
    // warm), DELEGATECALLs it (TARGET's code on the caller's storage) and STATICCALLs
    // EMPTY_WALLET (nothing runs, its delegate's load paid); each flag stored.
    const WALLET: [u8; 20] = [0x79; 20];
    const EMPTY_WALLET: [u8; 20] = [0x7a; 20];
    const NOBODY: [u8; 20] = [0x55; 20];
    let mut code = call(CALL, &WALLET, None);
    code.extend([0x60, 0x01, 0x55]);
    code.extend(call(CALL, &WALLET, Some(60_000)));
    code.extend([0x60, 0x02, 0x55]);
    code.extend(call(DELEGATECALL, &WALLET, Some(60_000)));
    code.extend([0x60, 0x03, 0x55]);
    code.extend(call(STATICCALL, &EMPTY_WALLET, None));
    code.extend([0x60, 0x04, 0x55, 0x00]);
    let accounts = [
        (WALLET, designator(&TARGET)),
        (EMPTY_WALLET, designator(&NOBODY)),
        (TARGET, target_code()),
    ];
    let witness = run_calling(&code, &accounts);
    let block = crate::evm::build(&witness).expect("a supported witness");
    let public = block.statement.public_messages();
    let bench = TamperBench::new(&block.traces, &public);
    let s = &block.statement;
    assert_eq!(s.delegations, [(WALLET, TARGET), (EMPTY_WALLET, NOBODY)]);
    let target_code_position = s.call_codes.iter().find(|c| c.0 == WALLET).unwrap().1;
    assert_ne!(target_code_position, crate::evm::NO_CODE);
    assert!(s
        .call_codes
        .contains(&(EMPTY_WALLET, crate::evm::NO_CODE, 1)));
    let own = crate::storage::address_limbs(&s.address);
    let flags: Vec<u32> = (s.storage.iter())
        .filter(|slot| slot.key.0 == own && slot.key.1[0] <= 4)
        .map(|slot| slot.post[0])
        .collect();
    assert_eq!(flags, [1, 1, 1, 1]);
    // TARGET's code stored in WALLET's storage (CALL) and the caller's (DELEGATECALL).
    let owners: Vec<[u32; 5]> = (s.storage.iter())
        .filter(|slot| slot.key.1[0] == 7)
        .map(|slot| slot.key.0)
        .collect();
    assert_eq!(owners.len(), 2, "{owners:?}");
    assert!(owners.contains(&crate::storage::address_limbs(&WALLET)));
    assert!(owners.contains(&own));
    // The delegate's access: cold, then warm (TARGET, then NOBODY cold).
    let t = index_of(&block.traces, crate::ComponentId::Call);
    let columns = &block.traces[t].columns;
    let delegate_access: Vec<u64> = (0..4)
        .map(|row| columns[col::DELEGATE_ACCESS][row].as_u64())
        .collect();
    assert_eq!(delegate_access, [2500, 0, 0, 2500]);
    assert!((0..4).all(|row| columns[col::DELEGATED][row] == Goldilocks::ONE));
    assert_call_rows_tamper_rejected(&block, &bench, 4);
    // A padding row claiming a delegation (with its access, which it would provide).
    for column in [col::DELEGATED, col::DELEGATE, col::DELEGATE_ACCESS] {
        let mut forged = columns.clone();
        forged[column][4] = Goldilocks::ONE;
        assert!(bench.rejects(t, &forged), "{}", COLUMN_NAMES[column]);
    }
    // The statement naming no delegation or another delegate: the lookups do not balance.
    // (One naming a target no call looks up does not parse: below.)
    let edits: [fn(&mut crate::evm::Statement); 2] = [
        |s| {
            s.delegations.remove(0);
        },
        |s| s.delegations[0].1[19] ^= 1,
    ];
    for edit in edits {
        let mut statement = block.statement.clone();
        edit(&mut statement);
        assert!(bench.rejects_messages(&statement.public_messages()));
    }
    // A row claiming no delegation, paying nothing for the delegate, and charging the CPU
    // less: the lookup (and the CPU's gas) disagree.
    let mut forged = columns.clone();
    forged[col::DELEGATED][0] = Goldilocks::ZERO;
    forged[col::DELEGATE_ACCESS][0] = Goldilocks::ZERO;
    for j in 0..crate::storage::ADDRESS_LIMBS {
        forged[col::DELEGATE + j][0] = Goldilocks::ZERO;
    }
    assert!(bench.rejects(t, &forged));
}

#[test]
fn a_statement_with_unordered_or_foreign_delegations_does_not_parse() {
    const WALLET: [u8; 20] = [0x79; 20];
    const OTHER_WALLET: [u8; 20] = [0x7a; 20];
    let code = [call(CALL, &WALLET, None), call(CALL, &OTHER_WALLET, None)].concat();
    let accounts = [
        (WALLET, designator(&TARGET)),
        (OTHER_WALLET, designator(&TARGET)),
        (TARGET, target_code()),
    ];
    let block = crate::evm::build(&run_calling(&code, &accounts)).expect("supported");
    let bytes = block.statement.to_bytes();
    assert_eq!(
        crate::evm::Statement::from_bytes(&bytes).unwrap(),
        block.statement
    );
    assert_eq!(block.statement.delegations.len(), 2);
    // Listed twice, out of order, or for an address no call looks up.
    let edits: [fn(&mut crate::evm::Statement); 3] = [
        |s| s.delegations.push(s.delegations[0]),
        |s| s.delegations.swap(0, 1),
        |s| s.delegations.push(([0x7f; 20], TARGET)),
    ];
    for edit in edits {
        let mut statement = block.statement.clone();
        edit(&mut statement);
        assert!(crate::evm::Statement::from_bytes(&statement.to_bytes()).is_err());
    }
}

#[test]
fn callees_read_the_transactions_context_under_their_own_key() {
    // TARGET stores TIMESTAMP and pops COINBASE and ORIGIN; the caller reads TIMESTAMP too.
    let context = vec![0x42, 0x60, 0x01, 0x55, 0x41, 0x50, 0x32, 0x50, 0x00];
    let mut code = vec![0x42, 0x50];
    code.extend(call(CALL, &TARGET, None));
    code.extend([0x50, 0x00]);
    let witness = run_calling(&code, &[(TARGET, context)]);
    let block = crate::evm::build(&witness).expect("a supported witness");
    let public = block.statement.public_messages();
    let bench = TamperBench::new(&block.traces, &public);
    let s = &block.statement;
    assert_eq!(s.callee_context, [(0x32, 1), (0x41, 1), (0x42, 1)]);
    // A statement serving one of the callee's uses under the transaction's key, or one more
    // under the callee's: the bus does not balance.
    for (i, delta) in [(0, -1i64), (2, -1), (2, 1)] {
        let mut statement = s.clone();
        let count = &mut statement.callee_context[i].1;
        *count = count.wrapping_add_signed(delta);
        assert!(
            bench.rejects_messages(&statement.public_messages()),
            "{i} {delta}"
        );
    }
    // The callee's steps claimed as the transaction's (its whole segment): its START says
    // otherwise.
    let first = callee_starts(&block.traces[0].columns)[0];
    let forged = with_segment_register(&block.traces, first, cpu_col::ROOT, Goldilocks::ONE);
    let mut statement = s.clone();
    statement.callee_context.clear();
    assert!(block_rejected(&forged, &statement.public_messages()));
    // Frame-specific values other than the Call rows' are not served to callees: a statement
    // asking for them is refused, and so are uses beyond the opcode's count (ADDRESS: none).
    for bad in [
        vec![(0x30, 1)],
        vec![(0x38, 1)],
        vec![(0x47, 1)],
        vec![(0x42, 3)],
        vec![(0x43, 1)],
    ] {
        let mut statement = s.clone();
        statement.callee_context = bad.clone();
        let bytes = statement.to_bytes();
        assert!(
            crate::evm::Statement::from_bytes(&bytes).is_err(),
            "{bad:?}"
        );
    }
}

/// [`run_calling`] with `balance` wei in the transaction's account.
fn run_funded(
    code: &[u8],
    balance: u64,
    others: &[([u8; 20], Vec<u8>)],
) -> zkevm_evm_spec::witness::Witness {
    run_funded_with_gas(code, balance, others, None)
}

/// [`run_funded`], with the transaction's gas limit `gas` instead of the setup's.
fn run_funded_with_gas(
    code: &[u8],
    balance: u64,
    others: &[([u8; 20], Vec<u8>)],
    gas: Option<u64>,
) -> zkevm_evm_spec::witness::Witness {
    let mut setup = zkevm_evm_spec::exec::call_setup(code, &[]);
    if let Some(gas) = gas {
        setup.tx.gas_limit = gas;
    }
    let own = (zkevm_evm_spec::exec::SETUP_CALLEE, code.to_vec(), balance);
    let others = others.iter().map(|(a, c)| ((*a).into(), c.clone(), 0));
    for (address, code, balance) in std::iter::once(own).chain(others) {
        let account = zkevm_evm_spec::fixture::AccountState {
            code: code.into(),
            balance: Word::from(balance),
            ..Default::default()
        };
        setup.db.insert(address, account);
    }
    let (_, witness) =
        zkevm_evm_spec::exec::execute_traced(&mut setup.db, &setup.block, &setup.chain, setup.tx)
            .expect("execution");
    witness
}

/// The value the transaction's account leaves in its slot `slot` (below 2³²).
fn stored_by_transaction(s: &crate::evm::Statement, slot: u32) -> Word {
    let own = crate::storage::address_limbs(&s.address);
    let slot = (s.storage.iter()).find(|x| x.key.0 == own && x.key.1[0] == slot);
    crate::storage::word_of(&slot.expect("the slot").post)
}

/// `PUSH1 size, PUSH1 offset, PUSH1 value, CREATE`, or with `PUSH1 salt` first, CREATE2.
fn create(value: u8, offset: u8, size: u8, salt: Option<u8>) -> Vec<u8> {
    let mut code = salt.map_or(vec![], |salt| vec![0x60, salt]);
    code.extend([0x60, size, 0x60, offset, 0x60, value]);
    code.push(match salt {
        Some(_) => CREATE2,
        None => CREATE,
    });
    code
}

/// Memory at 85: init code `MSTORE(0, 0x6000) RETURN(30, 2)` (11 bytes), which deploys
/// `PUSH1 0`; then `CREATE(0, 85, 11)`, its address left on the stack.
fn deploys_code() -> Vec<u8> {
    let mut code = vec![
        0x6a, 0x61, 0x60, 0x00, 0x60, 0x00, 0x52, 0x60, 0x02, 0x60, 0x1e, 0xf3,
    ];
    code.extend([0x60, 0x40, 0x52]);
    code.extend(create(0, 85, 11, None));
    code
}

#[test]
fn creates_deposit_the_code_their_init_code_returns() {
    // The create deploys 2 bytes for 400 gas out of its frame's; the caller stores
    // RETURNDATASIZE (0: a successful create's output is its code), calls the code it
    // deployed (which holds it from the create's end on) and stores the address.
    let mut code = deploys_code();
    code.extend([0x3d, 0x60, 0x02, 0x55]);
    code.extend([0x5f, 0x5f, 0x5f, 0x5f, 0x5f, 0x85, 0x5a, 0xf1, 0x50]);
    code.extend([0x60, 0x01, 0x55, 0x00]);
    let witness = run_funded(&code, 0, &[]);
    let (block, public) = crate::test_support::honest_block_of(&witness);
    let s = &block.statement;
    assert_eq!(s.creations.len(), 1);
    assert_eq!(s.creations[0].code, [0x60, 0x00]);
    let deployments = public.iter().filter(|m| m.bus == DEPLOYMENT).count();
    assert_eq!(deployments, 1);
    let stored = |slot: u32| stored_by_transaction(s, slot);
    assert_eq!(stored(1), Word::from_be_slice(&s.creations[0].address));
    assert_eq!(stored(2), Word::ZERO);
    let calls = index_of(&block.traces, crate::ComponentId::Call);
    let since = block.traces[calls].columns[col::SINCE][1];
    assert_eq!(since, Goldilocks::new(s.creations[0].end as u64));
    crate::test_support::assert_changed_cells_rejected(
        &block.traces,
        &public,
        calls,
        Call::COLUMNS,
        &[0, 1],
    );
    // Another code claimed (a byte changed, or one more), or none.
    let bench = TamperBench::new(&block.traces, &public);
    for code in [vec![0x60, 0x01], vec![0x60, 0x00, 0x00], vec![]] {
        let mut statement = s.clone();
        statement.creations[0].code = code.clone();
        assert!(
            bench.rejects_messages(&statement.public_messages()),
            "{code:?}"
        );
    }
    // A statement claiming code the EVM refuses (EIP-3541's 0xef, one byte past EIP-170's
    // size) deployed, or more code returned than memory holds, does not parse.
    let most = crate::cpu::MEMORY_WORDS_LIMIT as usize * 32;
    for (code, success, why) in [
        (vec![0xef, 0x00], true, "0xef"),
        (vec![0x00; 24_577], true, "EIP-170"),
        (vec![0x00; most + 1], false, "more code than memory holds"),
    ] {
        let mut statement = s.clone();
        statement.creations[0].code = code;
        statement.creations[0].success = success;
        let error = crate::evm::Statement::from_bytes(&statement.to_bytes()).unwrap_err();
        assert!(error.to_string().contains(why), "{why}: {error}");
    }
}

#[test]
fn a_statement_copying_deployed_code_or_counting_past_2_32_does_not_parse() {
    // The transaction deploys `PUSH1 0`, then copies 2 bytes of OTHER's code. Its statement
    // with the copy claimed of the deployed address (not proven yet: the row would have to
    // show it comes after the create's end), or the copy counted 2³² times, is refused.
    let mut code = deploys_code();
    code.push(0x50);
    code.extend([0x60, 0x02, 0x5f, 0x5f, 0x73]);
    code.extend_from_slice(&OTHER);
    code.extend([0x3c, 0x00]);
    let witness = run_funded(&code, 0, &[(OTHER, other_code())]);
    let (block, _) = crate::test_support::honest_block_of(&witness);
    let s = &block.statement;
    assert_eq!(s.ext_codes.len(), 1);
    crate::evm::Statement::from_bytes(&s.to_bytes()).unwrap();
    let mut deployed = s.clone();
    deployed.ext_codes[0].0 = s.creations[0].address;
    let mut counted = s.clone();
    counted.ext_codes[0].2 = 1 << 32;
    for (statement, why) in [
        (deployed, "code a creation deployed"),
        (counted, "a count or the refund beyond 2³²"),
    ] {
        let error = crate::evm::Statement::from_bytes(&statement.to_bytes()).unwrap_err();
        assert!(error.to_string().contains(why), "{why}: {error}");
    }
}

#[test]
fn calls_into_an_address_before_its_code_is_deployed_run_none() {
    // The init code CALLs its own address (no code there yet: success, all gas back) and
    // stores the flag in its slot 3, then deploys `PUSH1 0`; the creator calls that code
    // after the create's end and stores the address in slot 1.
    let init = [
        0x5f, 0x5f, 0x5f, 0x5f, 0x5f, 0x30, 0x5a, 0xf1, 0x60, 0x03, 0x55, 0x61, 0x60, 0x00, 0x60,
        0x00, 0x52, 0x60, 0x02, 0x60, 0x1e, 0xf3,
    ];
    let mut code = vec![0x75];
    code.extend(init);
    code.extend([0x60, 0x40, 0x52]);
    code.extend(create(0, 96 - init.len() as u8, init.len() as u8, None));
    code.extend([0x5f, 0x5f, 0x5f, 0x5f, 0x5f, 0x85, 0x5a, 0xf1, 0x50]);
    code.extend([0x60, 0x01, 0x55, 0x00]);
    let witness = run_funded(&code, 0, &[]);
    let (block, public) = crate::test_support::honest_block_of(&witness);
    let s = &block.statement;
    let created = s.creations[0].address;
    assert_eq!(stored_by_transaction(s, 1), Word::from_be_slice(&created));
    let slot3 = (s.storage.iter())
        .find(|x| x.key.0 == crate::storage::address_limbs(&created) && x.key.1[0] == 3);
    assert_eq!(
        crate::storage::word_of(&slot3.expect("slot 3").post),
        Word::ONE
    );
    // Row 1 is the init code's call (no code, before the create's end), row 2 the
    // creator's (the deployed code, from it on).
    let calls = index_of(&block.traces, crate::ComponentId::Call);
    let column = |c: usize, row: usize| block.traces[calls].columns[c][row];
    let end = Goldilocks::new(s.creations[0].end as u64);
    assert_eq!(
        [column(col::SINCE, 1), column(col::BEFORE, 1)],
        [end, Goldilocks::ONE]
    );
    assert_eq!(
        [column(col::NO_CODE, 1), column(col::CODE_ID, 1)],
        [Goldilocks::ONE, Goldilocks::ZERO]
    );
    assert_eq!(
        [column(col::SINCE, 2), column(col::BEFORE, 2)],
        [end, Goldilocks::ZERO]
    );
    assert_ne!(column(col::CODE_ID, 2), Goldilocks::ZERO);
    let bench = TamperBench::new(&block.traces, &public);
    assert_call_rows_tamper_rejected(&block, &bench, 3);
    // The margin each row range-checks (the fourth to last interaction): 16 bits as laid
    // out, and not once a row claims the other side of the create's end (a message the
    // verifier provides for it would pass the bus; the margin still fails).
    let margin = |row: usize, edit: &dyn Fn(&mut Vec<Goldilocks>)| {
        let mut cells: Vec<Goldilocks> = (block.traces[calls].columns.iter())
            .map(|c| c[row])
            .collect();
        edit(&mut cells);
        let mut out = vec![crate::bus::BusValues::zero(); Call.interactions().len()];
        Call.eval_interactions(&cells, &mut out);
        out[out.len() - 4].fields[0].as_u64()
    };
    assert!(margin(1, &|_| ()) < 1 << 16 && margin(2, &|_| ()) < 1 << 16);
    let claims_after = |cells: &mut Vec<Goldilocks>| cells[col::BEFORE] = Goldilocks::ZERO;
    let since_passed = |cells: &mut Vec<Goldilocks>| cells[col::SINCE] = cells[col::CTR];
    let claims_before = |cells: &mut Vec<Goldilocks>| cells[col::BEFORE] = Goldilocks::ONE;
    let since_ahead =
        |cells: &mut Vec<Goldilocks>| cells[col::SINCE] = cells[col::CTR] + Goldilocks::ONE;
    assert!(margin(1, &claims_after) >= 1 << 32);
    assert!(margin(1, &since_passed) >= 1 << 32);
    assert!(margin(2, &claims_before) >= 1 << 32);
    assert!(margin(2, &since_ahead) >= 1 << 32);
    // The statement claiming no code after the deployment too, or the deployed code before
    // it.
    let codes = |statement: &crate::evm::Statement| {
        (statement.call_codes.iter())
            .filter(|(a, _, _)| *a == created)
            .map(|&(_, p, n)| (p, n))
            .collect::<Vec<_>>()
    };
    let honest_codes = codes(s);
    assert_eq!(honest_codes.len(), 2, "{honest_codes:?}");
    for position in [
        crate::evm::NO_CODE,
        honest_codes[0].0.min(honest_codes[1].0),
    ] {
        let mut statement = s.clone();
        statement.call_codes.retain(|(a, _, _)| *a != created);
        statement.call_codes.push((created, position, 2));
        statement.call_codes.sort();
        assert!(
            bench.rejects_messages(&statement.public_messages()),
            "{position}"
        );
    }
    // Two entries for one address parse only where a creation deploys code there.
    assert!(crate::evm::Statement::from_bytes(&s.to_bytes()).is_ok());
    let mut statement = s.clone();
    statement.creations[0].code.clear();
    let error = crate::evm::Statement::from_bytes(&statement.to_bytes()).unwrap_err();
    assert!(error.to_string().contains("listed twice"), "{error}");
}

#[test]
fn creates_whose_deposit_fails_spend_their_gas_and_roll_back() {
    // Memory holds two init codes: at 19, `SSTORE(1, 42) MSTORE8(0, 0xef) RETURN(0, 1)`
    // (13 bytes: EIP-3541 refuses the code); at 59, `RETURN(0, 2400)` (5 bytes). The
    // transaction (16,000,000 gas, near EIP-7825's cap) sets slots 1 to 3 to 7 (so rewriting them later costs
    // 100), CREATEs the first (which spends all but the 64th the caller keeps) and stores
    // ISZERO of the result (1) and RETURNDATASIZE (0). Then it CREATEs the second, whose
    // 480,000 gas of deposit is more than the create forwards, and stores ISZERO of the
    // result (1) with the 64th it kept.
    let mut code = vec![0x60, 0x07, 0x60, 0x01, 0x55, 0x60, 0x07, 0x60, 0x02, 0x55];
    code.extend([0x60, 0x07, 0x60, 0x03, 0x55]);
    code.extend([0x6c, 0x60, 0x2a, 0x60, 0x01, 0x55, 0x60, 0xef, 0x5f, 0x53]);
    code.extend([0x60, 0x01, 0x5f, 0xf3, 0x60, 0x00, 0x52]);
    code.extend([0x64, 0x61, 0x09, 0x60, 0x5f, 0xf3, 0x60, 0x20, 0x52]);
    code.extend(create(0, 19, 13, None));
    code.extend([0x15, 0x60, 0x01, 0x55, 0x3d, 0x60, 0x02, 0x55]);
    code.extend(create(0, 59, 5, None));
    code.extend([0x15, 0x60, 0x03, 0x55, 0x00]);
    let witness = run_funded_with_gas(&code, 0, &[], Some(16_000_000));
    let (block, public) = crate::test_support::honest_block_of(&witness);
    let s = &block.statement;
    let created: Vec<(bool, usize)> = (s.creations.iter())
        .map(|c| (c.success, c.code.len()))
        .collect();
    assert_eq!(created, [(false, 1), (false, 2400)]);
    assert_eq!(s.creations[0].code, [0xef]);
    let stored = |slot: u32| stored_by_transaction(s, slot);
    assert_eq!(
        [stored(1), stored(2), stored(3)],
        [Word::from(1), Word::ZERO, Word::from(1)]
    );
    // The refused create's SSTORE is rolled back.
    let created = crate::storage::address_limbs(&s.creations[0].address);
    let slot = (s.storage.iter())
        .find(|x| x.key.0 == created)
        .expect("its slot");
    assert_eq!(crate::storage::word_of(&slot.post), Word::ZERO);
    // The rows: the refused create, the create short of its deposit's gas.
    let calls = index_of(&block.traces, crate::ComponentId::Call);
    let cell = |c: usize, row: usize| block.traces[calls].columns[c][row];
    let flags: Vec<[Goldilocks; 2]> = (0..2)
        .map(|row| [cell(col::DEPOSIT_FAILS, row), cell(col::REFUSED, row)])
        .collect();
    let (zero, one) = (Goldilocks::ZERO, Goldilocks::ONE);
    assert_eq!(flags, [[one, one], [one, zero]]);
    let bench = TamperBench::new(&block.traces, &public);
    assert_call_rows_tamper_rejected(&block, &bench, 2);
    // Every field of the two DEPLOYMENT claims is bound (the refused flag too), and so is
    // each creation's failure.
    let claims: Vec<usize> = (0..public.len())
        .filter(|&i| public[i].bus == DEPLOYMENT)
        .collect();
    assert_eq!(claims.len(), 2);
    bench.assert_fields_rejected(&public, claims);
    for k in 0..2 {
        let mut statement = s.clone();
        statement.creations[k].success = true;
        assert!(bench.rejects_messages(&statement.public_messages()), "{k}");
    }
}

#[test]
fn init_code_reads_no_calldata() {
    // Init code `SSTORE(1, CALLDATALOAD(0)) CALLDATACOPY(0, 0, 32) SSTORE(2, MLOAD(0))`
    // (15 bytes, at 17): a create's frame has no calldata, whatever its init code is.
    let mut code = vec![
        0x6e, 0x5f, 0x35, 0x60, 0x01, 0x55, 0x60, 0x20, 0x5f, 0x5f, 0x37,
    ];
    code.extend([0x5f, 0x51, 0x60, 0x02, 0x55, 0x5f, 0x52]);
    code.extend(create(0, 17, 15, None));
    code.push(0x00);
    let witness = run_funded(&code, 0, &[]);
    let (block, _) = crate::test_support::honest_block_of(&witness);
    let s = &block.statement;
    let created = crate::storage::address_limbs(&s.creations[0].address);
    for slot in [1, 2] {
        assert_eq!(kept_word(s, created, slot), Some([0; 8]), "slot {slot}");
    }
}

#[test]
fn creates_run_their_init_code_at_the_address_the_claim_gives() {
    // Memory holds two init codes: at 26, `SSTORE(1, 42) STOP` (6 bytes); at 59, `REVERT(0,
    // 0)` (5 bytes). The transaction's account CREATEs the first, CREATE2s it with 3 wei and
    // salt 7, and CREATEs the second (which fails): it stores each result (an address, or 0).
    let mut code = vec![0x65, 0x60, 0x2a, 0x60, 0x01, 0x55, 0x00, 0x60, 0x00, 0x52];
    code.extend([0x64, 0x60, 0x00, 0x60, 0x00, 0xfd, 0x60, 0x20, 0x52]);
    code.extend(create(0, 26, 6, None));
    code.extend([0x60, 0x01, 0x55]);
    code.extend(create(3, 26, 6, Some(7)));
    code.extend([0x60, 0x02, 0x55]);
    code.extend(create(0, 59, 5, None));
    code.extend([0x60, 0x03, 0x55, 0x00]);
    let witness = run_funded(&code, 1000, &[]);
    let (block, public) = crate::test_support::honest_block_of(&witness);
    let s = &block.statement;
    let created: Vec<(bool, bool, u32)> = (s.creations.iter())
        .map(|c| (c.create2, c.success, c.code_position))
        .collect();
    let init = s.creations[0].code_position;
    let failing = s.creations[2].code_position;
    assert_eq!(
        created,
        [
            (false, true, init),
            (true, true, init),
            (false, false, failing)
        ]
    );
    assert_eq!(s.creations[1].salt, Word::from(7));
    // The results: the two addresses the claims give, and 0.
    let stored = |slot: u32| stored_by_transaction(s, slot);
    for (slot, creation) in [(1, 0), (2, 1)] {
        let address = Word::from_be_slice(&s.creations[creation].address);
        assert_eq!(stored(slot), address);
    }
    assert_eq!(stored(3), Word::ZERO);
    // The CREATE2's value goes to the account it creates.
    let claims: Vec<(TransferKind, [u8; 20])> =
        (s.transfers.iter()).map(|t| (t.kind, t.to)).collect();
    assert_eq!(claims, [(TransferKind::Create, s.creations[1].address)]);
    // Every cell of the create rows is bound, and so is every field of the claims.
    let calls = index_of(&block.traces, crate::ComponentId::Call);
    crate::test_support::assert_changed_cells_rejected(
        &block.traces,
        &public,
        calls,
        Call::COLUMNS,
        &[0, 1, 2],
    );
    let bench = TamperBench::new(&block.traces, &public);
    let claims: Vec<usize> = (0..public.len())
        .filter(|&i| public[i].bus == CREATION)
        .collect();
    assert_eq!(claims.len(), 3);
    bench.assert_fields_rejected(&public, claims);
}

#[test]
fn selfbalance_reads_its_frames_account_as_transfers_leave_it() {
    // The transaction's account (1,000 wei, and the transaction's 5) stores its balance,
    // sends TARGET 7 (TARGET stores its own: 7), stores its balance again (998), CALLCODEs
    // TARGET with 5 (TARGET's code on the caller's account: 998, sent to itself), CALLs OTHER
    // with 4 (OTHER reads 4 and halts: the 4 comes back) and stores its balance (998).
    let stores_balance = |slot: u8| [0x47, 0x60, slot, 0x55];
    let mut code = stores_balance(2).to_vec();
    code.extend(call_with(CALL, &TARGET, &[7, 0, 0, 0, 0]));
    code.push(0x50);
    code.extend(stores_balance(3));
    code.extend(call_with(CALLCODE, &TARGET, &[5, 0, 0, 0, 0]));
    code.push(0x50);
    code.extend(call_with(CALL, &OTHER, &[4, 0, 0, 0, 0]));
    code.push(0x50);
    code.extend(stores_balance(4));
    code.push(0x00);
    let target = [stores_balance(1).as_slice(), &[0x00]].concat();
    let other = [0x47, 0x50, 0xfe].to_vec();
    let witness = run_funded(&code, 1000, &[(TARGET, target), (OTHER, other)]);
    let (block, public) = crate::test_support::honest_block_of(&witness);
    let s = &block.statement;
    let caller = s.address;
    let reads: Vec<([u8; 20], u64)> = (s.account_reads.iter())
        .map(|(op, key, value, _)| {
            assert_eq!(*op, crate::evm::SELFBALANCE);
            (crate::storage::address_of_word(key), value.to::<u64>())
        })
        .collect();
    let expected = [
        (caller, 1005),
        (TARGET, 7),
        (caller, 998),
        (caller, 998),
        (OTHER, 4),
        (caller, 998),
    ];
    assert_eq!(reads, expected);
    // Each read lies at its own counter, a callee's inside its call's range; the transfers
    // give the failed call's end, where its 4 is undone.
    let counters: Vec<u64> = s.account_reads.iter().map(|r| r.3).collect();
    assert!(counters.windows(2).all(|w| w[0] < w[1]), "{counters:?}");
    let transfers: Vec<(u32, u32, bool)> = (s.transfers.iter())
        .map(|t| (t.ctr, t.end, t.kept))
        .collect();
    assert_eq!(transfers.len(), 3);
    for (read, transfer) in [(1, 0), (4, 2)] {
        let (ctr, end, _) = transfers[transfer];
        assert!((ctr as u64) < counters[read] && counters[read] < end as u64);
    }
    assert!(!transfers[2].2 && transfers[0].2);
    // A read's value, account or counter off by one leaves the bus unbalanced, and so does a
    // transfer's end.
    let bench = TamperBench::new(&block.traces, &public);
    for i in 0..s.account_reads.len() {
        for field in [1, 2, 3] {
            let mut statement = s.clone();
            let read = &mut statement.account_reads[i];
            match field {
                1 => read.1 += Word::from(1),
                2 => read.2 += Word::from(1),
                _ => read.3 += 1,
            }
            assert!(
                bench.rejects_messages(&statement.public_messages()),
                "read {i} field {field}"
            );
        }
    }
    let mut statement = s.clone();
    statement.transfers[2].end += 1;
    assert!(bench.rejects_messages(&statement.public_messages()));
    // Every cell of a SELFBALANCE row is bound.
    let cpu = &block.traces[0].columns;
    let rows: Vec<usize> = (0..cpu[cpu_col::OPCODE].len())
        .filter(|&r| cpu[cpu_col::LIVE][r] == Goldilocks::ONE)
        .filter(|&r| cpu[cpu_col::OPCODE][r] == Goldilocks::new(0x47))
        .collect();
    assert_eq!(rows.len(), expected.len());
    crate::test_support::assert_changed_cells_rejected(
        &block.traces,
        &public,
        0,
        crate::cpu::Cpu::COLUMNS,
        &rows,
    );
}

#[test]
fn callees_read_their_own_frame_context_from_their_call_row() {
    // TARGET keeps its ADDRESS, CALLER, CALLVALUE, CALLDATASIZE and CODESIZE in slots 1–5;
    // OTHER, DELEGATECALLed, its ADDRESS, CALLDATASIZE and CODESIZE in slots 6–8.
    let keeps = |opcode: u8, slot: u8| [opcode, 0x60, slot, 0x55];
    let mut target = Vec::new();
    for (k, opcode) in FRAME_CONTEXT_OPCODES.into_iter().enumerate() {
        target.extend(keeps(opcode, 1 + k as u8));
    }
    target.push(0x00);
    let mut other = Vec::new();
    for (k, opcode) in [0x30, 0x36, 0x38].into_iter().enumerate() {
        other.extend(keeps(opcode, 6 + k as u8));
    }
    other.push(0x00);
    let length = |code: &[u8]| Some(address_word([0, 0, 0, 0, code.len() as u32]));
    let (target_len, other_len) = (length(&target), length(&other));
    // The transaction's frame runs ADDRESS and CALLER too, served by the verifier.
    let mut code = vec![0x30, 0x50, 0x33, 0x50];
    code.extend(call(CALL, &TARGET, None));
    code.extend(call(DELEGATECALL, &OTHER, None));
    code.push(0x00);
    let witness = run_calling(&code, &[(TARGET, target), (OTHER, other)]);
    let block = crate::evm::build(&witness).expect("a supported witness");
    let public = block.statement.public_messages();
    let bench = TamperBench::new(&block.traces, &public);
    let caller = crate::storage::address_limbs(&block.statement.address);
    let target_limbs = crate::storage::address_limbs(&TARGET);
    let kept = |owner, slot| kept_word(&block.statement, owner, slot);
    let word = address_word;
    assert_eq!(kept(target_limbs, 1), Some(word(target_limbs)));
    assert_eq!(kept(target_limbs, 2), Some(word(caller)));
    assert_eq!(kept(target_limbs, 3), Some([0; 8]));
    assert_eq!(kept(target_limbs, 4), Some([0; 8]));
    assert_eq!(kept(target_limbs, 5), target_len);
    // The DELEGATECALLed code runs on the caller's account: that is its ADDRESS; its
    // CODESIZE is its own code's.
    assert_eq!(kept(caller, 6), Some(word(caller)));
    assert_eq!(kept(caller, 7), Some([0; 8]));
    assert_eq!(kept(caller, 8), other_len);
    let t = index_of(&block.traces, crate::ComponentId::Call);
    let reads = |r: usize| -> Vec<u64> {
        (0..FRAME_CONTEXT_OPCODES.len())
            .map(|k| block.traces[t].columns[col::CONTEXT_READS + k][r].as_u64())
            .collect()
    };
    assert_eq!((reads(0), reads(1)), (vec![1; 5], vec![1, 0, 0, 1, 1]));
    // The statement counts the callees' uses, so the verifier serves only the rest; one more
    // or fewer and the transaction's own uses (ADDRESS, CALLER) do not balance.
    let s = &block.statement;
    let uses = [(0x30, 2), (0x33, 1), (0x34, 1), (0x36, 2), (0x38, 2)];
    assert_eq!(s.callee_context, uses);
    for (i, delta) in [(0, -1i64), (0, 1), (1, -1)] {
        let mut statement = s.clone();
        let count = &mut statement.callee_context[i].1;
        *count = count.wrapping_add_signed(delta);
        assert!(bench.rejects_messages(&statement.public_messages()), "{i}");
    }
    assert_call_rows_tamper_rejected(&block, &bench, 2);
    // One read served under another opcode (ADDRESS's as CALLER's, the same word for the
    // DELEGATECALL): the keys differ.
    for r in [0, 1] {
        let mut columns = block.traces[t].columns.clone();
        columns[col::CONTEXT_READS][r] -= Goldilocks::ONE;
        columns[col::CONTEXT_READS + 1][r] += Goldilocks::ONE;
        assert!(bench.rejects(t, &columns), "row {r}");
    }
    // The callee's ADDRESS step pushing the caller's address (its RW write and the word it
    // consumes both changed): the Call row provides the target's.
    let cpu = &block.traces[0].columns;
    let address_step = (0..cpu[0].len())
        .find(|&r| {
            cpu[cpu_col::OPCODE][r] == Goldilocks::new(0x30)
                && cpu[cpu_col::ROOT][r] == Goldilocks::ZERO
                && cpu[cpu_col::DEPTH][r] == Goldilocks::ONE
        })
        .unwrap();
    let mut forged = cpu.clone();
    for (i, limb) in word(caller).into_iter().enumerate() {
        forged[cpu_col::A + i][address_step] = Goldilocks::new(limb as u64);
    }
    assert!(bench.rejects(0, &forged));
}

#[test]
fn delegatecalls_forward_their_callers_caller_and_value() {
    // OTHER keeps CALLER and CALLVALUE in slots 7 and 8 of the account it runs on. The
    // transaction's frame DELEGATECALLs it (its CALLER: the transaction's sender, served by
    // the verifier through the DELEGATECALL row), then CALLs TARGET, which DELEGATECALLs it
    // twice over (TARGET → OTHER's code via TARGET2's DELEGATECALL: CALLER is the
    // transaction's account, served by the CALL row through both DELEGATECALL rows).
    const TARGET2: [u8; 20] = [0x79; 20];
    let keeps = vec![0x33, 0x60, 0x07, 0x55, 0x34, 0x60, 0x08, 0x55, 0x00];
    let mut code = call(DELEGATECALL, &OTHER, None);
    code.push(0x50);
    code.extend(call(CALL, &TARGET, None));
    code.extend([0x50, 0x00]);
    let mut target = call(DELEGATECALL, &TARGET2, None);
    target.extend([0x50, 0x00]);
    let mut target2 = call(DELEGATECALL, &OTHER, None);
    target2.extend([0x50, 0x00]);
    let witness = run_calling(
        &code,
        &[(TARGET, target), (TARGET2, target2), (OTHER, keeps)],
    );
    let block = crate::evm::build(&witness).expect("a supported witness");
    let public = block.statement.public_messages();
    let s = &block.statement;
    let caller = crate::storage::address_limbs(&s.address);
    let target_limbs = crate::storage::address_limbs(&TARGET);
    let sender = crate::storage::address_limbs(&witness.frames[0].caller.into_array());
    let kept = |owner, slot| kept_word(s, owner, slot);
    let word = address_word;
    assert_eq!(kept(caller, 7), Some(word(sender)));
    let value = crate::rw::limbs(&witness.frames[0].value);
    assert_ne!(value, [0; 8], "the transaction moves value");
    assert_eq!(kept(caller, 8), Some(value));
    assert_eq!(kept(target_limbs, 7), Some(word(caller)));
    assert_eq!(kept(target_limbs, 8).unwrap_or_default(), [0; 8]);
    // The transaction's own CALLER and CALLVALUE uses: the forwarded ones, served by the
    // verifier; the chain's: served by TARGET's CALL row, counted as callees' uses.
    let (caller_use, value_use) = ((0x33u8, 1u64), (0x34u8, 1u64));
    assert_eq!(s.callee_context, [caller_use, value_use]);
    assert!((s.context.iter()).any(|(op, _)| *op == 0x33));
    let t = index_of(&block.traces, crate::ComponentId::Call);
    let reads = |r: usize| -> Vec<u64> {
        (0..4)
            .map(|k| block.traces[t].columns[col::CONTEXT_READS + k][r].as_u64())
            .collect()
    };
    // Rows: the transaction's DELEGATECALL, its CALL, TARGET's and TARGET2's DELEGATECALLs.
    for r in 0..4 {
        assert_eq!(reads(r), [0, 1, 1, 0], "row {r}");
    }
    let bench = TamperBench::new(&block.traces, &public);
    assert_call_rows_tamper_rejected(&block, &bench, 4);
    // The statement claiming the forwarded uses as callees' (the verifier then serves one
    // CALLER fewer) or the chain's as the transaction's.
    for (i, delta) in [(0, 1i64), (0, -1), (1, 1)] {
        let mut statement = s.clone();
        let count = &mut statement.callee_context[i].1;
        *count = count.wrapping_add_signed(delta);
        assert!(
            bench.rejects_messages(&statement.public_messages()),
            "{i} {delta}"
        );
    }
}

#[test]
fn calls_move_value_with_its_costs_stipend_and_callvalue() {
    // The transaction gives its account 5 wei. It CALLs TARGET with 2 (TARGET keeps its
    // CALLVALUE and CALLER, then DELEGATECALLs OTHER, which keeps the CALLVALUE it inherits),
    // CALLCODEs OTHER with 1 (OTHER keeps its CALLVALUE in the caller's storage), CALLs an
    // empty account with 1 (25,000 more for bringing it into being) and CALLs REVERTS with 1
    // (which keeps its CALLVALUE and reverts: the transfer is undone); each flag stored.
    const NOBODY: [u8; 20] = [0x55; 20];
    const REVERTS: [u8; 20] = [0x79; 20];
    let mut code = call_with(CALL, &TARGET, &[2, 0, 0, 0, 0]);
    code.extend([0x60, 0x01, 0x55]);
    code.extend(call_with(CALLCODE, &OTHER, &[1, 0, 0, 0, 0]));
    code.extend([0x60, 0x02, 0x55]);
    code.extend(call_with(CALL, &NOBODY, &[1, 0, 0, 0, 0]));
    code.extend([0x60, 0x03, 0x55]);
    code.extend(call_with(CALL, &REVERTS, &[1, 0, 0, 0, 0]));
    code.extend([0x60, 0x04, 0x55, 0x00]);
    // CALLVALUE → slot 7, CALLER → slot 8 (TARGET); CALLVALUE → slot 9 (OTHER).
    let mut target = vec![0x34, 0x60, 0x07, 0x55, 0x33, 0x60, 0x08, 0x55];
    target.extend(call(DELEGATECALL, &OTHER, None));
    target.extend([0x50, 0x00]);
    let other = vec![0x34, 0x60, 0x09, 0x55, 0x00];
    let reverts = vec![0x34, 0x60, 0x07, 0x55, 0x5f, 0x5f, 0xfd];
    let witness = run_calling(
        &code,
        &[(TARGET, target), (OTHER, other), (REVERTS, reverts)],
    );
    let (block, public) = crate::test_support::honest_block_of(&witness);
    let s = &block.statement;
    let caller = crate::storage::address_limbs(&s.address);
    let target_limbs = crate::storage::address_limbs(&TARGET);
    let value = |v: u32| Some(address_word([0, 0, 0, 0, v]));
    assert_eq!(kept_word(s, target_limbs, 7), value(2));
    assert_eq!(kept_word(s, target_limbs, 8), Some(address_word(caller)));
    assert_eq!(kept_word(s, target_limbs, 9), value(2), "inherited");
    assert_eq!(kept_word(s, caller, 9), value(1), "CALLCODE's");
    let flags: Vec<Option<[u32; 8]>> = (1..=4).map(|slot| kept_word(s, caller, slot)).collect();
    assert_eq!(flags, [value(1), value(1), value(1), value(0)]);
    /// `(from, to, value, fresh, kept)`.
    type Moved = ([u8; 20], [u8; 20], u64, bool, bool);
    let moved: Vec<Moved> = (s.transfers.iter())
        .map(|t| (t.from, t.to, t.value.to::<u64>(), t.fresh, t.kept))
        .collect();
    let me = s.address;
    assert_eq!(
        moved,
        [
            (me, TARGET, 2, false, true),
            (me, me, 1, false, true),
            (me, NOBODY, 1, true, true),
            (me, REVERTS, 1, false, false),
        ]
    );
    let bench = TamperBench::new(&block.traces, &public);
    let t = index_of(&block.traces, crate::ComponentId::Call);
    let rows = (block.traces[t].columns[col::LIVE].iter())
        .filter(|v| **v == Goldilocks::ONE)
        .count();
    assert_eq!(rows, 5);
    assert_call_rows_tamper_rejected(&block, &bench, rows);
    crate::cpu::tests::assert_every_cpu_cell_is_caught(&block, &public);
    assert_transfer_claims_bound(s, &bench, 0..s.transfers.len());
    // The first CALL's row in a static frame, consistently otherwise: refused by the row.
    let mut columns = block.traces[t].columns.clone();
    columns[col::CALLER_STATIC][0] = Goldilocks::ONE;
    assert!(crate::check::check_constraints(&Call, &columns).is_err());
    // A new account paid for by the CALLCODE (whose callee runs on its caller), and a value
    // moved by the DELEGATECALL (consistently: `moves` and the inverse): refused by the rows.
    let honest = &block.traces[t].columns;
    let row_of = |selector: usize| (0..rows).find(|&r| honest[selector][r] == Goldilocks::ONE);
    let mut columns = honest.clone();
    columns[col::FRESH][row_of(col::IS_CALLCODE).unwrap()] = Goldilocks::ONE;
    assert!(crate::check::check_constraints(&Call, &columns).is_err());
    let mut columns = honest.clone();
    let delegating = row_of(col::IS_DELEGATECALL).unwrap();
    for column in [col::VALUE, col::MOVES, col::VALUE_INV] {
        columns[column][delegating] = Goldilocks::ONE;
    }
    assert!(crate::check::check_constraints(&Call, &columns).is_err());
}

/// Each claim of each of the statement's transfers in `indices` changed, and each dropped: the
/// block no longer balances.
fn assert_transfer_claims_bound(
    s: &crate::evm::Statement,
    bench: &TamperBench,
    indices: std::ops::Range<usize>,
) {
    type Forgery = fn(&mut crate::call::Transfer);
    let forgeries: [Forgery; 13] = [
        |t| t.end += 1,
        |t| t.ctr += 1,
        |t| t.from[19] ^= 1,
        |t| t.to[0] ^= 1,
        |t| t.value += Word::from(1u8),
        |t| t.fresh = !t.fresh,
        |t| t.kept = !t.kept,
        |t| t.kind = other_kind(t.kind, 1),
        |t| t.kind = other_kind(t.kind, 2),
        |t| t.kind = other_kind(t.kind, 3),
        |t| t.kind = other_kind(t.kind, 4),
        |t| t.kind = other_kind(t.kind, 5),
        |t| t.kind = other_kind(t.kind, 6),
    ];
    for i in indices {
        assert_transfer_forgeries_rejected(s, bench, i, &forgeries);
        let mut statement = s.clone();
        statement.transfers.remove(i);
        assert!(bench.rejects_messages(&statement.public_messages()), "{i}");
    }
}

/// Each forgery of the statement's transfer `i` unbalances the bus.
fn assert_transfer_forgeries_rejected(
    s: &crate::evm::Statement,
    bench: &TamperBench,
    i: usize,
    forgeries: &[fn(&mut crate::call::Transfer)],
) {
    for (k, forge) in forgeries.iter().enumerate() {
        let mut statement = s.clone();
        forge(&mut statement.transfers[i]);
        assert!(
            bench.rejects_messages(&statement.public_messages()),
            "{i} {k}"
        );
    }
}

/// `PUSH20 beneficiary, SELFDESTRUCT`.
fn selfdestruct_to(beneficiary: &[u8; 20]) -> Vec<u8> {
    let mut code = vec![0x73];
    code.extend_from_slice(beneficiary);
    code.push(0xff);
    code
}

#[test]
fn selfdestructs_sweep_balances_and_cannot_be_faked() {
    // The transaction gives its account 5 wei. It CALLs TARGET with 2, which SELFDESTRUCTs to
    // an empty account (cold: 2,600, and 25,000 for bringing it into being); CALLs OTHER,
    // which SELFDESTRUCTs to itself with nothing to send (EIP-6780: it stays, and so would a
    // balance); then SELFDESTRUCTs to TARGET (warm, holding code: no surcharge) sending the
    // 3 wei left.
    const NOBODY: [u8; 20] = [0x55; 20];
    let mut code = call_with(CALL, &TARGET, &[2, 0, 0, 0, 0]);
    code.extend([0x60, 0x01, 0x55]);
    code.extend(call(CALL, &OTHER, None));
    code.extend([0x60, 0x02, 0x55]);
    code.extend(selfdestruct_to(&TARGET));
    let to_itself = vec![0x30, 0xff];
    let witness = run_calling(
        &code,
        &[(TARGET, selfdestruct_to(&NOBODY)), (OTHER, to_itself)],
    );
    let (block, public) = crate::test_support::honest_block_of(&witness);
    let s = &block.statement;
    let flags: Vec<_> = (1..=2)
        .map(|slot| kept_word(s, crate::storage::address_limbs(&s.address), slot))
        .collect();
    let one = Some(address_word([0, 0, 0, 0, 1]));
    assert_eq!(flags, [one, one]);
    /// `(from, to, value, fresh, kept, sweep)`.
    type Moved = ([u8; 20], [u8; 20], u64, bool, bool, bool);
    let moved: Vec<Moved> = (s.transfers.iter())
        .map(|t| {
            (
                t.from,
                t.to,
                t.value.to::<u64>(),
                t.fresh,
                t.kept,
                is_sweep(t),
            )
        })
        .collect();
    let me = s.address;
    assert_eq!(
        moved,
        [
            (me, TARGET, 2, false, true, false),
            (TARGET, NOBODY, 2, true, true, true),
            (OTHER, OTHER, 0, false, true, true),
            (me, TARGET, 3, false, true, true),
        ]
    );
    // The SELFDESTRUCT rows' dynamic gas (the transaction's frame's rows come first): 0,
    // 2,600 + 25,000, 0 (its own account is warm).
    let cpu = &block.traces[0].columns;
    let destructs: Vec<usize> = (0..cpu[0].len())
        .filter(|&r| cpu[cpu_col::OPCODE][r] == Goldilocks::new(0xff))
        .collect();
    let costs: Vec<u64> = (destructs.iter())
        .map(|&r| u64::from(cpu[cpu_col::DYN_GAS][r]))
        .collect();
    assert_eq!(costs, [0, 27_600, 0]);
    // Only a sweep may move nothing: the statement with OTHER's empty sweep parses, and the
    // same transfer claimed by a call is refused.
    let parse = |s: &crate::evm::Statement| crate::evm::Statement::from_bytes(&s.to_bytes());
    assert!(parse(s).is_ok());
    let mut statement = s.clone();
    statement.transfers[2].kind = crate::call::TransferKind::Call;
    assert!(parse(&statement).is_err());
    crate::cpu::tests::assert_every_cpu_cell_is_caught(&block, &public);
    let bench = TamperBench::new(&block.traces, &public);
    assert_transfer_claims_bound(s, &bench, 1..s.transfers.len());
    // The first SELFDESTRUCT claiming a warm beneficiary's cost (2,600 less), and claiming no
    // new account (25,000 less; the transfer's `fresh` with it): both refused.
    let first = destructs[1];
    let mut forged = block.traces.clone();
    forged[0].columns[cpu_col::DYN_GAS][first] -= Goldilocks::new(2600);
    assert!(block_rejected(&forged, &public));
    let mut forged = block.traces.clone();
    forged[0].columns[cpu_col::DYN_GAS][first] -= Goldilocks::new(25_000);
    forged[0].columns[cpu_col::RESULT][first] = Goldilocks::ZERO;
    let mut statement = s.clone();
    statement.transfers[1].fresh = false;
    assert!(block_rejected(&forged, &statement.public_messages()));
    // The row in a static frame: refused by the row.
    let mut columns = cpu.clone();
    columns[cpu_col::STATIC][first] = Goldilocks::ONE;
    assert!(crate::check::check_constraints(&crate::cpu::Cpu, &columns).is_err());
    // TARGET's whole segment claiming to fail (its own frame the failing one), its sweep
    // claimed undone just after it: TARGET's START says otherwise, and no failing frame's
    // ROLLBACK message gives that end.
    let start = (callee_starts(cpu).into_iter())
        .find(|&r| segment(cpu, r).contains(&first))
        .unwrap();
    let forged = with_segment_register(&block.traces, start, cpu_col::REVERTS, Goldilocks::ONE);
    let frame = cpu[cpu_col::CTX][start];
    let mut forged = with_segment_register(&forged, start, cpu_col::REVERT_FRAME, frame);
    let end = s.transfers[1].ctr + 1;
    forged[0].columns[cpu_col::B][first] = Goldilocks::new(end as u64);
    let mut statement = s.clone();
    (statement.transfers[1].kept, statement.transfers[1].end) = (false, end);
    assert!(block_rejected(&forged, &statement.public_messages()));
}

#[test]
fn a_static_frames_call_moving_value_is_a_proven_halt() {
    // The transaction STATICCALLs OTHER, which CALLs FOURTH with 1 wei (it holds none: the
    // EVM halts before any balance, cost or memory); THIRD, which CALLs TARGET with none
    // (allowed); FIFTH, which CALLs FOURTH with 1 wei and a request of 2⁶⁴; SIXTH (10,000
    // gas, the others 30,000), which CALLs FOURTH with 1 wei and a window it cannot pay for (`avail < 0`). It
    // stores the four flags (0, 1, 0, 0), then reads BALANCE(FOURTH): cold, as no halted
    // CALL warmed it.
    const THIRD: [u8; 20] = [0x79; 20];
    const FOURTH: [u8; 20] = [0x7a; 20];
    const FIFTH: [u8; 20] = [0x7b; 20];
    const SIXTH: [u8; 20] = [0x7c; 20];
    let mut code = vec![];
    for (k, (callee, gas)) in [
        (OTHER, 30_000),
        (THIRD, 30_000),
        (FIFTH, 30_000),
        (SIXTH, 10_000),
    ]
    .into_iter()
    .enumerate()
    {
        code.extend(call(STATICCALL, &callee, Some(gas)));
        code.extend([0x60, k as u8 + 1, 0x55]);
    }
    code.push(0x73);
    code.extend_from_slice(&FOURTH);
    code.extend([0x31, 0x50, 0x00]);
    let mut with_value = call_with(CALL, &FOURTH, &[1, 0, 0, 0, 0]);
    with_value.push(0x00);
    let mut big_request = vec![0x5f, 0x5f, 0x5f, 0x5f, 0x60, 0x01, 0x73];
    big_request.extend_from_slice(&FOURTH);
    big_request.extend([0x68, 0x01, 0, 0, 0, 0, 0, 0, 0, 0, CALL, 0x00]);
    let mut wide_window = vec![
        0x5f, 0x5f, 0x61, 0x80, 0x00, 0x61, 0x80, 0x00, 0x60, 0x01, 0x73,
    ];
    wide_window.extend_from_slice(&FOURTH);
    wide_window.extend([0x5a, CALL, 0x00]);
    let others = [
        (OTHER, with_value),
        (THIRD, [call(CALL, &TARGET, None), vec![0x00]].concat()),
        (FIFTH, big_request),
        (SIXTH, wide_window),
        (TARGET, vec![0x00]),
    ];
    let (block, public) = crate::test_support::honest_block_of(&run_calling(&code, &others));
    let s = &block.statement;
    let kinds: Vec<(u8, crate::cpu::HaltKind)> =
        (s.sub_halts.iter()).map(|h| (h.opcode, h.kind)).collect();
    assert_eq!(kinds, [(CALL, crate::cpu::HaltKind::StaticCallValue); 3]);
    let word = |v: u32| Some(address_word([0, 0, 0, 0, v]));
    let own = crate::storage::address_limbs(&s.address);
    let flags: Vec<_> = (1..=4).map(|slot| kept_word(s, own, slot)).collect();
    assert_eq!(flags, [word(0), word(1), word(0), word(0)]);
    // Their claims: halting calls', moving nothing.
    let claims: Vec<_> = (s.transfers.iter())
        .map(|t| (t.from, t.to, t.value.to::<u64>(), t.kind))
        .collect();
    let halted = crate::call::TransferKind::Halted;
    assert_eq!(
        claims,
        [OTHER, FIFTH, SIXTH].map(|from| (from, FOURTH, 1, halted))
    );
    // Each CPU row charges one gas more than it has after the static cost.
    let cpu = &block.traces[0].columns;
    let rows: Vec<usize> = (0..cpu[0].len())
        .filter(|&r| {
            cpu[cpu_col::OPCODE][r] == Goldilocks::new(CALL as u64)
                && cpu[cpu_col::STATIC][r] == Goldilocks::ONE
                && cpu[cpu_col::HALT_NEAR][r] == Goldilocks::ONE
        })
        .collect();
    assert_eq!(rows.len(), 3);
    for &row in &rows {
        let cell = |c: usize| u64::from(cpu[c][row]);
        assert_eq!(
            cell(cpu_col::STATIC_GAS) + cell(cpu_col::DYN_GAS),
            cell(cpu_col::GAS) + 1
        );
    }
    // BALANCE(FOURTH) pays the cold access.
    let balance = (0..cpu[0].len())
        .find(|&r| cpu[cpu_col::OPCODE][r] == Goldilocks::new(0x31))
        .unwrap();
    assert_eq!(u64::from(cpu[cpu_col::DYN_GAS][balance]), 2500);
    crate::cpu::tests::assert_every_cpu_cell_is_caught(&block, &public);
    let bench = TamperBench::new(&block.traces, &public);
    let t = index_of(&block.traces, crate::ComponentId::Call);
    assert_call_rows_tamper_rejected(&block, &bench, 8);
    assert_transfer_claims_bound(s, &bench, 0..s.transfers.len());
    let honest = &block.traces[t].columns;
    let is_call = |r: usize| honest[col::IS_CALL][r] == Goldilocks::ONE;
    let call_row = (0..8)
        .find(|&r| honest[col::STATIC_HALT][r] == Goldilocks::ONE)
        .expect("the static halt's Call row");
    // The row claiming no static halt (a halting row charging just its costs, `left = fwd`),
    // or THIRD's row claiming one: refused by the rows.
    let mut columns = honest.clone();
    columns[col::STATIC_HALT][call_row] = Goldilocks::ZERO;
    // (`left = fwd + costs − avail − 1` on the honest row.)
    columns[col::LEFT][call_row] = honest[col::LEFT][call_row] - honest[col::COSTS][call_row]
        + honest[col::AVAIL][call_row]
        + Goldilocks::ONE;
    assert!(crate::check::check_constraints(&Call, &columns).is_err());
    let third = (0..8)
        .find(|&r| {
            is_call(r)
                && honest[col::CALLER_STATIC][r] == Goldilocks::ONE
                && honest[col::STATIC_HALT][r] == Goldilocks::ZERO
        })
        .expect("THIRD's Call row");
    let mut columns = honest.clone();
    columns[col::STATIC_HALT][third] = Goldilocks::ONE;
    assert!(crate::check::check_constraints(&Call, &columns).is_err());
    // A static CALL moving value is only ever a halt (no frame proven for it), and the
    // label cannot be claimed by another opcode.
    let halt = crate::cpu::Halt {
        opcode: CALLCODE,
        kind: crate::cpu::HaltKind::StaticCallValue,
    };
    let mut statement = s.clone();
    statement.sub_halts = vec![halt];
    let error = crate::evm::Statement::from_bytes(&statement.to_bytes()).unwrap_err();
    assert!(error.to_string().contains("cannot halt"), "{error}");
}

#[test]
fn selfdestructs_under_a_failing_frame_are_undone_at_its_end() {
    // The transaction (5 wei) CALLs OTHER with 3 and stores the flag. (a) OTHER CALLs TARGET
    // with 2, which SELFDESTRUCTs to NOBODY (empty: 25,000 more), and REVERTs: OTHER's end
    // undoes both transfers and the sweep. (b) OTHER CALLs THIRD with 2, which CALLs TARGET
    // with 1 (the same SELFDESTRUCT) and REVERTs, and OTHER REVERTs too: THIRD's end undoes
    // the sweep, and the SELFDESTRUCT's row names OTHER as the failing frame around THIRD.
    const NOBODY: [u8; 20] = [0x55; 20];
    const THIRD: [u8; 20] = [0x79; 20];
    let reverting = |mut code: Vec<u8>| {
        code.extend([0x50, 0x5f, 0x5f, 0xfd]);
        code
    };
    let mut root = call_with(CALL, &OTHER, &[3, 0, 0, 0, 0]);
    root.extend([0x60, 0x01, 0x55, 0x00]);
    let destructs = (TARGET, selfdestruct_to(&NOBODY));
    let cases = [
        vec![
            (OTHER, reverting(call_with(CALL, &TARGET, &[2, 0, 0, 0, 0]))),
            destructs.clone(),
        ],
        vec![
            (OTHER, reverting(call_with(CALL, &THIRD, &[2, 0, 0, 0, 0]))),
            (THIRD, reverting(call_with(CALL, &TARGET, &[1, 0, 0, 0, 0]))),
            destructs.clone(),
        ],
    ];
    for (k, others) in cases.iter().enumerate() {
        let (block, public) = crate::test_support::honest_block_of(&run_calling(&root, others));
        let s = &block.statement;
        let me = s.address;
        let moved: Vec<_> = (s.transfers.iter())
            .map(|t| (t.from, t.to, t.value.to::<u64>(), t.kept, is_sweep(t)))
            .collect();
        // OTHER's end (its call's: it failed), and the innermost failing frame's end around
        // the SELFDESTRUCT: OTHER's, or THIRD's (the second call's own end).
        let other_end = s.transfers[0].end;
        let (expected, sweep_end) = match k {
            0 => (
                vec![
                    (me, OTHER, 3, false, false),
                    (OTHER, TARGET, 2, false, false),
                    (TARGET, NOBODY, 2, false, true),
                ],
                other_end,
            ),
            _ => (
                vec![
                    (me, OTHER, 3, false, false),
                    (OTHER, THIRD, 2, false, false),
                    (THIRD, TARGET, 1, false, false),
                    (TARGET, NOBODY, 1, false, true),
                ],
                s.transfers[1].end,
            ),
        };
        assert_eq!(moved, expected, "case {k}");
        let sweep = s.transfers.len() - 1;
        assert!(s.transfers[sweep].fresh, "case {k}");
        assert_eq!(s.transfers[sweep].end, sweep_end, "case {k}");
        assert!(sweep_end <= other_end && s.transfers[sweep].ctr < sweep_end);
        // The SELFDESTRUCT's row holds the undo: the end, and the failing frame around the
        // innermost one (none, or OTHER, whose frame id is its call's counter plus one).
        let cpu = &block.traces[0].columns;
        let row = (0..cpu[0].len())
            .find(|&r| cpu[cpu_col::OPCODE][r] == Goldilocks::new(0xff))
            .unwrap();
        let cell = |c: usize| u64::from(cpu[c][row]);
        let outer = match k {
            0 => (0, 0),
            _ => (1, s.transfers[0].ctr as u64 + 1),
        };
        assert_eq!(
            (
                cell(cpu_col::B),
                (cell(cpu_col::B + 1), cell(cpu_col::B + 2))
            ),
            (sweep_end as u64, outer),
            "case {k}"
        );
        crate::cpu::tests::assert_every_cpu_cell_is_caught(&block, &public);
        let bench = TamperBench::new(&block.traces, &public);
        assert_transfer_claims_bound(s, &bench, 0..s.transfers.len());
        let t = index_of(&block.traces, crate::ComponentId::Call);
        let rows = (block.traces[t].columns[col::LIVE].iter())
            .filter(|v| **v == Goldilocks::ONE)
            .count();
        assert_call_rows_tamper_rejected(&block, &bench, rows);
        // The row undoing the sweep at another end, its claim changed to match (which the
        // TRANSFER bus then accepts): no failing frame's ROLLBACK message gives it. In (b)
        // also OTHER's real end, with OTHER's own outer frame (none).
        let mut forgeries = vec![(sweep_end - 1, outer), (sweep_end + 1, outer)];
        if k == 1 {
            forgeries.push((other_end, (0, 0)));
        }
        for (end, (outer_reverts, outer_frame)) in forgeries {
            let mut forged = block.traces.clone();
            let columns = &mut forged[0].columns;
            columns[cpu_col::B][row] = Goldilocks::new(end as u64);
            columns[cpu_col::B + 1][row] = Goldilocks::new(outer_reverts);
            columns[cpu_col::B + 2][row] = Goldilocks::new(outer_frame);
            let mut statement = s.clone();
            statement.transfers[sweep].end = end;
            assert!(
                block_rejected(&forged, &statement.public_messages()),
                "case {k}: undone at {end}"
            );
        }
        // The sweep claimed kept (its end its own counter, as a kept one's): the row's
        // `kept = 1 − reverts` refuses it; and the undo cells of a kept row must be its own
        // counter and zeros.
        let mut statement = s.clone();
        statement.transfers[sweep].kept = true;
        statement.transfers[sweep].end = statement.transfers[sweep].ctr;
        let mut forged = block.traces.clone();
        forged[0].columns[cpu_col::B][row] = Goldilocks::new(statement.transfers[sweep].ctr as u64);
        assert!(
            block_rejected(&forged, &statement.public_messages()),
            "case {k}"
        );
    }
    // (c) A create's init code CALLs TARGET (which sweeps its nothing to NOBODY) and
    // REVERTs: the failing init frame's end, the create's, undoes the sweep. The init code
    // follows the transaction's code, which copies it to memory and CREATEs from there.
    let init = reverting(call(CALL, &TARGET, None));
    let prefix_len = 17;
    let mut code = vec![0x60, init.len() as u8, 0x60, prefix_len, 0x5f, 0x39];
    code.extend(create(0, 0, init.len() as u8, None));
    code.extend([0x60, 0x01, 0x55, 0x00]);
    assert_eq!(code.len(), prefix_len as usize);
    code.extend(&init);
    let (block, public) = crate::test_support::honest_block_of(&run_calling(&code, &[destructs]));
    let s = &block.statement;
    assert!(!s.creations[0].success);
    let moved: Vec<_> = (s.transfers.iter())
        .map(|t| {
            (
                t.from,
                t.to,
                t.value.to::<u64>(),
                t.kept,
                is_sweep(t),
                t.end,
            )
        })
        .collect();
    assert_eq!(
        moved,
        [(TARGET, NOBODY, 0, false, true, s.creations[0].end)]
    );
    crate::cpu::tests::assert_every_cpu_cell_is_caught(&block, &public);
    let bench = TamperBench::new(&block.traces, &public);
    assert_transfer_claims_bound(s, &bench, 0..1);
    assert_call_rows_tamper_rejected(&block, &bench, 2);
}

#[test]
fn a_selfdestruct_to_itself_right_after_a_call_moving_value_sweeps_what_is_left() {
    // The transaction's account (5 wei) CALLs TARGET (which stops) with 2, then SELFDESTRUCTs
    // to itself: it sweeps the 3 left, not the call's 2 (the journal's last entry).
    let mut code = call_with(CALL, &TARGET, &[2, 0, 0, 0, 0]);
    code.extend([0x50, 0x30, 0xff]);
    let witness = run_calling(&code, &[(TARGET, vec![0x00])]);
    let (block, _) = crate::test_support::honest_block_of(&witness);
    let s = &block.statement;
    let moved: Vec<([u8; 20], [u8; 20], u64, bool)> = (s.transfers.iter())
        .map(|t| (t.from, t.to, t.value.to::<u64>(), is_sweep(t)))
        .collect();
    let me = s.address;
    assert_eq!(moved, [(me, TARGET, 2, false), (me, me, 3, true)]);
}

#[test]
fn a_static_callees_selfdestruct_is_a_proven_halt() {
    let mut code = call(STATICCALL, &TARGET, None);
    code.extend([0x60, 0x01, 0x55, 0x00]);
    let witness = run_calling(&code, &[(TARGET, selfdestruct_to(&OTHER))]);
    let (block, public) = crate::test_support::honest_block_of(&witness);
    let kinds: Vec<(u8, crate::cpu::HaltKind)> = (block.statement.sub_halts.iter())
        .map(|h| (h.opcode, h.kind))
        .collect();
    assert_eq!(kinds, [(0xff, crate::cpu::HaltKind::StaticWrite)]);
    assert!(block.statement.transfers.is_empty());
    crate::cpu::tests::assert_every_cpu_cell_is_caught(&block, &public);
}

#[test]
fn selfdestructs_short_of_their_cost_are_proven_halts() {
    // The transaction calls TARGET (whose code SELFDESTRUCTs to OTHER, cold and empty) with
    // 6,000 gas: its static cost paid, not the cold access's 2,600 (revm skips the load); then
    // with 20,000 gas and 1 wei: the access paid, not the new account's 25,000 (revm loads
    // OTHER and sweeps, the frame's revert undoes both). It stores both flags and OTHER's
    // balance, which it reads cold: the failed frames' warm-ups and sweep are undone. Then
    // it calls THIRD, which SELFDESTRUCTs to the IDENTITY precompile's empty account (warm
    // from the start), with 20,000 gas and 1 wei: short of the new account's 25,000 only.
    const THIRD: [u8; 20] = [0x7b; 20];
    let mut identity = [0u8; 20];
    identity[19] = 4;
    let call_with_wei = |target: &[u8; 20]| {
        let mut code = call_with(CALL, target, &[1, 0, 0, 0, 0]);
        code.truncate(code.len() - 2);
        code.extend([0x61, 0x4e, 0x20, 0xf1]); // gas 20,000
        code
    };
    let mut code = call(CALL, &TARGET, Some(6000));
    code.extend([0x60, 0x01, 0x55]);
    code.extend(call_with_wei(&TARGET));
    code.extend([0x60, 0x02, 0x55, 0x73]);
    code.extend_from_slice(&OTHER);
    code.extend([0x31, 0x60, 0x03, 0x55]); // SSTORE(3, BALANCE(OTHER))
    code.extend(call_with_wei(&THIRD));
    code.extend([0x60, 0x04, 0x55, 0x00]);
    let others = [
        (TARGET, selfdestruct_to(&OTHER)),
        (THIRD, selfdestruct_to(&identity)),
    ];
    let witness = run_funded(&code, 5, &others);
    let halts: Vec<(u8, Option<&str>)> = (witness.steps.iter())
        .filter(|s| s.error.is_some())
        .map(|s| (s.opcode, s.error.as_deref()))
        .collect();
    assert_eq!(halts, [(0xff, Some("OutOfGas")); 3]);
    let (block, public) = crate::test_support::honest_block_of(&witness);
    let s = &block.statement;
    let kinds: Vec<_> = s.sub_halts.iter().map(|h| (h.opcode, h.kind)).collect();
    assert_eq!(kinds, [(0xff, crate::cpu::HaltKind::DynamicCost); 3]);
    use crate::call::TransferKind::{Call as Moves, HaltedSweep};
    let claims: Vec<_> = (s.transfers.iter())
        .map(|t| (t.kind, t.to, t.value, t.fresh))
        .collect();
    assert_eq!(
        claims,
        [
            (HaltedSweep, OTHER, Word::ZERO, false),
            (Moves, TARGET, Word::from(1), false),
            (HaltedSweep, OTHER, Word::from(1), true),
            (Moves, THIRD, Word::from(1), false),
            (HaltedSweep, identity, Word::from(1), true),
        ]
    );
    for slot in 1..=4 {
        assert_eq!(stored_by_transaction(s, slot), Word::ZERO, "slot {slot}");
    }
    crate::cpu::tests::assert_every_cpu_cell_is_caught(&block, &public);
    // Either sweep claimed kept as a plain one, or the new account left out of the second
    // (its shortfall is then negative), or its value changed: the bus does not balance.
    let bench = TamperBench::new(&block.traces, &public);
    let forgeries: [fn(&mut crate::call::Transfer); 3] = [
        |t| t.kind = crate::call::TransferKind::Sweep,
        |t| t.fresh = !t.fresh,
        |t| t.value += Word::from(1u8),
    ];
    for i in [0, 2, 4] {
        assert_transfer_forgeries_rejected(s, &bench, i, &forgeries);
    }
    // The second SELFDESTRUCT's row claiming it could not pay the cold access alone (no new
    // account): it had the gas for that, so its shortfall is negative.
    let cpu = &block.traces[0].columns;
    let rows = crate::cpu::tests::rows_of(&block, 0xff);
    assert_eq!(cpu[crate::cpu::col::RESULT][rows[1]], Goldilocks::ONE);
}

#[test]
fn a_created_account_selfdestructing_short_of_its_cost_is_a_proven_halt() {
    // TARGET, called with 53,000 gas and 2 wei, creates with 1 wei from init code
    // `SELFDESTRUCT(OTHER)`: the new account is one the transaction created (revm journals
    // its destruction, not a plain transfer), and its init frame, with about 22,900 gas,
    // pays the cold access but not the new account's 25,000. The init code halts, the create
    // fails and its account is gone.
    let mut init = vec![0x73];
    init.extend_from_slice(&OTHER);
    init.push(0xff);
    let mut target = vec![0x75];
    target.extend(&init);
    target.extend([0x5f, 0x52]); // MSTORE(0, init): its 22 bytes at 10
    target.extend(create(1, 10, 22, None));
    target.push(0x00);
    let mut code = call_with(CALL, &TARGET, &[2, 0, 0, 0, 0]);
    code.truncate(code.len() - 2);
    code.extend([0x62, 0x00, 0xcf, 0x08, 0xf1]); // gas 53,000
    code.extend([0x60, 0x01, 0x55, 0x00]);
    let witness = run_funded(&code, 5, &[(TARGET, target)]);
    let halts: Vec<(u8, Option<&str>)> = (witness.steps.iter())
        .filter(|s| s.error.is_some())
        .map(|s| (s.opcode, s.error.as_deref()))
        .collect();
    assert_eq!(halts, [(0xff, Some("OutOfGas"))]);
    let (block, public) = crate::test_support::honest_block_of(&witness);
    let s = &block.statement;
    assert_eq!(s.creations.len(), 1);
    assert!(!s.creations[0].success);
    let created = s.creations[0].address;
    let sweeps: Vec<_> = (s.transfers.iter())
        .filter(|t| t.kind == crate::call::TransferKind::HaltedSweep)
        .map(|t| (t.from, t.to, t.value, t.fresh))
        .collect();
    assert_eq!(sweeps, [(created, OTHER, Word::from(1), true)]);
    assert_eq!(
        stored_by_transaction(s, 1),
        Word::from(1),
        "TARGET itself succeeds"
    );
    crate::cpu::tests::assert_every_cpu_cell_is_caught(&block, &public);
}

#[test]
fn a_static_callees_state_change_is_a_proven_halt() {
    // STATICCALL into TARGET, which TSTOREs (halting), then into OTHER, which logs, into
    // THIRD, which CREATEs, and into FOURTH, which CREATE2s (each halting); the flags are
    // stored.
    const THIRD: [u8; 20] = [0x79; 20];
    const FOURTH: [u8; 20] = [0x7a; 20];
    let mut code = vec![];
    for (k, callee) in [TARGET, OTHER, THIRD, FOURTH].iter().enumerate() {
        code.extend(call(STATICCALL, callee, Some(30_000)));
        code.extend([0x60, k as u8 + 1, 0x55]);
    }
    code.push(0x00);
    let tstores = vec![0x60, 0x01, 0x5f, 0x5d, 0x00];
    let others = [
        (TARGET, tstores),
        (OTHER, logging(1, 2)),
        (THIRD, create(0, 0, 0, None)),
        (FOURTH, create(0, 0, 0, Some(1))),
    ];
    let witness = run_calling(&code, &others);
    let block = crate::evm::build(&witness).expect("a supported witness");
    let public = block.statement.public_messages();
    let kinds: Vec<(u8, crate::cpu::HaltKind)> = (block.statement.sub_halts.iter())
        .map(|h| (h.opcode, h.kind))
        .collect();
    let static_write = crate::cpu::HaltKind::StaticWrite;
    assert_eq!(
        kinds,
        [0x5d, 0xa1, CREATE, CREATE2].map(|opcode| (opcode, static_write))
    );
    crate::cpu::tests::assert_every_cpu_cell_is_caught(&block, &public);
    // The same halt in a frame that is not static: the CALLed callee's whole segment
    // claims it is not static (its START says it is), or the row alone does.
    let cpu = &block.traces[0].columns;
    let first = callee_starts(cpu)[0];
    let forged = with_segment_register(&block.traces, first, cpu_col::STATIC, Goldilocks::ZERO);
    assert!(block_rejected(&forged, &public));
    let last = segment(cpu, first).last().unwrap();
    assert_eq!(cpu[cpu_col::OPCODE][last], Goldilocks::new(0x5d));
    let mut forged = block.traces.clone();
    forged[0].columns[cpu_col::STATIC][last] = Goldilocks::ZERO;
    assert!(crate::check::check_constraints(&crate::cpu::Cpu, &forged[0].columns).is_err());
    // Only state-changing opcodes have such a row.
    let halt = crate::cpu::Halt {
        opcode: 0x54,
        kind: static_write,
    };
    assert!(halt.message().is_none());
}

#[test]
fn a_failing_frames_callees_are_rolled_back_at_its_end() {
    // TARGET stores 11 in its slot 1, warms WARMED (BALANCE, cold), CALLs OTHER, reads its
    // slot back and REVERTs. OTHER (under TARGET, succeeding) stores TLOAD(4) in its slot 5,
    // 33 in its slot 3, TSTOREs 44 at 4 and reads BALANCE(WARMED) (warm: TARGET warmed it).
    // At TARGET's end all of that is undone: called again from the transaction's frame,
    // OTHER finds its transient slot 0 and WARMED cold again; the frame then reads
    // BALANCE(WARMED) warm (OTHER's second run warmed it) and stores the flags.
    const WARMED: [u8; 20] = [0x66; 20];
    let balance_of = |address: &[u8; 20]| {
        let mut code = vec![0x73];
        code.extend_from_slice(address);
        code.extend([0x31, 0x50]);
        code
    };
    let mut target = vec![0x60, 0x0b, 0x60, 0x01, 0x55];
    target.extend(balance_of(&WARMED));
    target.extend(call(CALL, &OTHER, None));
    target.extend([0x50, 0x60, 0x01, 0x54, 0x50, 0x5f, 0x5f, 0xfd]);
    let mut other = vec![0x60, 0x04, 0x5c, 0x60, 0x05, 0x55]; // SSTORE(5, TLOAD(4))
    other.extend([0x60, 0x21, 0x60, 0x03, 0x55, 0x60, 0x2c, 0x60, 0x04, 0x5d]);
    other.extend(balance_of(&WARMED));
    other.push(0x00);
    let mut code = call(CALL, &TARGET, None);
    code.extend([0x60, 0x01, 0x55]);
    code.extend(call(CALL, &OTHER, None));
    code.extend([0x60, 0x02, 0x55]);
    code.extend(balance_of(&WARMED));
    code.push(0x00);
    let witness = run_calling(&code, &[(TARGET, target), (OTHER, other)]);
    let (block, public) = crate::test_support::honest_block_of(&witness);
    let s = &block.statement;
    let (caller, target_limbs, other_limbs) = (
        crate::storage::address_limbs(&s.address),
        crate::storage::address_limbs(&TARGET),
        crate::storage::address_limbs(&OTHER),
    );
    let word = |v: u32| Some(address_word([0, 0, 0, 0, v]));
    assert_eq!(kept_word(s, caller, 1), word(0), "TARGET failed");
    assert_eq!(kept_word(s, caller, 2), word(1), "OTHER succeeded");
    assert_eq!(
        kept_word(s, target_limbs, 1),
        word(0),
        "TARGET's store undone"
    );
    assert_eq!(
        kept_word(s, other_limbs, 3),
        word(33),
        "the second run's store"
    );
    assert_eq!(kept_word(s, other_limbs, 5), word(0), "its TSTORE undone");
    // WARMED's rows in the Account table: TARGET's cold access and OTHER's warm one, both
    // under TARGET, its restore row, OTHER's second access cold again, the frame's warm.
    let t = index_of(&block.traces, crate::ComponentId::Account);
    let accounts = &block.traces[t].columns;
    use crate::account::col as ac;
    let warmed = crate::storage::address_limbs(&WARMED);
    let rows: Vec<usize> = (0..accounts[0].len())
        .filter(|&r| {
            accounts[ac::LIVE][r] == Goldilocks::ONE
                && (0..5).all(|j| accounts[ac::ADDRESS + j][r] == Goldilocks::new(warmed[j] as u64))
        })
        .collect();
    let seen: Vec<(u64, u64, u64)> = (rows.iter())
        .map(|&r| {
            let v = |c: usize| u64::from(accounts[c][r]);
            (v(ac::COST), v(ac::REVERTED), v(ac::RESTORE))
        })
        .collect();
    assert_eq!(
        seen,
        [(2500, 1, 0), (0, 1, 0), (0, 0, 1), (2500, 0, 0), (0, 0, 0)]
    );
    let bench = TamperBench::new(&block.traces, &public);
    crate::cpu::tests::assert_every_cpu_cell_is_caught(&block, &public);
    assert_call_rows_tamper_rejected(&block, &bench, 3);
    // Every cell of WARMED's account rows (the address's first row has no previous to
    // differ from: its diff flags are free only on row 0).
    for &row in &rows {
        for column in 0..crate::account::Account::COLUMNS.len() {
            if row == 0 && (ac::DIFF..ac::DIFF + 5).contains(&column) {
                continue;
            }
            if crate::account::tests::free(accounts, row, column) {
                continue;
            }
            for delta in [Goldilocks::ONE, -Goldilocks::ONE] {
                let mut columns = accounts.clone();
                columns[column][row] += delta;
                let name = crate::account::Account::COLUMNS[column];
                assert!(bench.rejects(t, &columns), "account {name} at {row}");
            }
        }
    }
    // The restore row dropped (OTHER's second access then finds WARMED warm: cost 0, and
    // the CPU row's cost with it), or the run's accesses claimed outside the rollback.
    let restore = rows[2];
    let mut forged = block.traces.clone();
    let table = &mut forged[t].columns;
    for c in [ac::REVERTED, ac::RESTORE, ac::FRAME, ac::SAVED_WARM] {
        table[c][restore] = Goldilocks::ZERO;
    }
    assert!(block_rejected(&forged, &public));
    let mut forged = block.traces.clone();
    for &row in &rows[..3] {
        for c in [ac::REVERTED, ac::FRAME, ac::SAVED_WARM, ac::RESTORE] {
            forged[t].columns[c][row] = Goldilocks::ZERO;
        }
    }
    assert!(block_rejected(&forged, &public));
}

#[test]
fn calls_halting_on_their_costs_open_no_frame_and_cannot_be_faked() {
    // Three callees halt out of gas on a call's costs: TARGET (2,000 gas) CALLs OTHER cold
    // (100 + 2,500), THIRD (5,000) CALLCODEs OTHER, warm by then, moving 1 wei (100 + 9,000),
    // FOURTH (3,000) DELEGATECALLs with a 32 KiB return window (memory expansion 5,120: it
    // cannot pay even that). Between them the caller reads OTHER's BALANCE: cold again, since
    // TARGET's failure undid its warm-up.
    const THIRD: [u8; 20] = [0x79; 20];
    const FOURTH: [u8; 20] = [0x7a; 20];
    let mut code = call(CALL, &TARGET, Some(2_000));
    code.extend([0x60, 0x01, 0x55]);
    code.push(0x73);
    code.extend_from_slice(&OTHER);
    code.extend([0x31, 0x60, 0x02, 0x55]);
    code.extend(call(CALL, &THIRD, Some(5_000)));
    code.extend([0x60, 0x03, 0x55]);
    code.extend(call(CALL, &FOURTH, Some(3_000)));
    code.extend([0x60, 0x04, 0x55, 0x00]);
    let mut cold_call = call(CALL, &OTHER, None);
    cold_call.push(0x00);
    let mut moving_call = call_with(CALLCODE, &OTHER, &[1, 0, 0, 0, 0]);
    moving_call.push(0x00);
    // DELEGATECALL(gas, OTHER, args 0, 0, return window 0, 0x8000).
    let mut wide_call = vec![0x61, 0x80, 0x00, 0x5f, 0x5f, 0x5f, 0x73];
    wide_call.extend_from_slice(&OTHER);
    wide_call.extend([0x5a, DELEGATECALL, 0x00]);
    let witness = run_calling(
        &code,
        &[
            (TARGET, cold_call),
            (THIRD, moving_call),
            (FOURTH, wide_call),
        ],
    );
    let (block, public) = crate::test_support::honest_block_of(&witness);
    let s = &block.statement;
    let kinds: Vec<crate::cpu::HaltKind> = s.sub_halts.iter().map(|h| h.kind).collect();
    assert_eq!(kinds, [crate::cpu::HaltKind::DynamicCost; 3]);
    let caller = crate::storage::address_limbs(&s.address);
    let flags: Vec<Option<[u32; 8]>> = (1..=4).map(|slot| kept_word(s, caller, slot)).collect();
    let zero = Some([0; 8]);
    assert_eq!(flags, [zero; 4]);
    // THIRD's CALLCODE of 1 wei is claimed (halted: the verifier checks only emptiness,
    // here the caller's own account's, and moves nothing).
    let claims: Vec<(crate::call::TransferKind, bool, bool)> = (s.transfers.iter())
        .map(|t| (t.kind, t.fresh, t.from == t.to && t.from == THIRD))
        .collect();
    assert_eq!(claims, [(crate::call::TransferKind::Halted, false, true)]);
    let t = index_of(&block.traces, crate::ComponentId::Call);
    let calls = &block.traces[t].columns;
    let halting: Vec<u64> = (0..6).map(|r| calls[col::HALTS][r].as_u64()).collect();
    assert_eq!(halting, [0, 1, 0, 1, 0, 1]);
    // OTHER's Account rows: TARGET's cold access and its restore, the caller's BALANCE (cold
    // again), THIRD's and FOURTH's warm accesses, each with its restore.
    let a = index_of(&block.traces, crate::ComponentId::Account);
    let accounts = &block.traces[a].columns;
    let other = crate::storage::address_limbs(&OTHER);
    let of_other = (0..accounts[0].len()).filter(|&r| {
        accounts[crate::account::col::LIVE][r] == Goldilocks::ONE
            && (0..5).all(|j| {
                accounts[crate::account::col::ADDRESS + j][r] == Goldilocks::new(other[j] as u64)
            })
    });
    let rows: Vec<(u64, u64)> = of_other
        .map(|r| {
            (
                accounts[crate::account::col::COST][r].as_u64(),
                accounts[crate::account::col::RESTORE][r].as_u64(),
            )
        })
        .collect();
    assert_eq!(
        rows,
        [(2500, 0), (0, 1), (2500, 0), (0, 0), (0, 1), (0, 0), (0, 1)]
    );
    let bench = TamperBench::new(&block.traces, &public);
    assert_call_rows_tamper_rejected(&block, &bench, 6);
    crate::cpu::tests::assert_every_cpu_cell_is_caught(&block, &public);
    assert_transfer_claims_bound(s, &bench, 0..1);
    // A halting row moving no value claiming a new account's 25,000 (a cost it could then
    // fall short of): refused by the row.
    let mut columns = calls.clone();
    columns[col::FRESH][1] = Goldilocks::ONE;
    assert!(crate::check::check_constraints(&Call, &columns).is_err());
}

#[test]
fn calls_short_of_their_value_or_of_a_new_accounts_cost_are_proven() {
    // The caller (holding 5 wei) CALLs TARGET with 9: the balance is short, no frame opens,
    // the flag is 0 and all the gas forwarded (with the stipend) comes back. So it does for
    // a CALLCODE of TARGET with 9 (its claim is from the caller to itself). Then it CALLs
    // THIRD with 20,000 gas, which CALLs an empty account with 1 wei: it can pay all but
    // the new account's 25,000, and halts on that.
    const THIRD: [u8; 20] = [0x79; 20];
    let mut code = call_with(CALL, &TARGET, &[9, 0, 0, 0, 0]);
    code.extend([0x60, 0x01, 0x55, 0x5a, 0x60, 0x02, 0x55]);
    code.extend(call_with(CALLCODE, &TARGET, &[9, 0, 0, 0, 0]));
    code.extend([0x60, 0x04, 0x55]);
    code.extend(call(CALL, &THIRD, Some(20_000)));
    code.extend([0x60, 0x03, 0x55, 0x00]);
    let mut to_nobody = call_with(CALL, &[0x55; 20], &[1, 0, 0, 0, 0]);
    to_nobody.push(0x00);
    let stores = vec![0x60, 0x01, 0x60, 0x01, 0x55, 0x00];
    let witness = run_calling(&code, &[(TARGET, stores), (THIRD, to_nobody)]);
    let (block, public) = crate::test_support::honest_block_of(&witness);
    let s = &block.statement;
    let caller = crate::storage::address_limbs(&s.address);
    let zero = Some([0; 8]);
    assert_eq!(kept_word(s, caller, 1), zero, "the short call's flag");
    assert_eq!(kept_word(s, caller, 3), zero, "THIRD's halt");
    assert_eq!(kept_word(s, caller, 4), zero, "the short CALLCODE's flag");
    let target = crate::storage::address_limbs(&TARGET);
    assert_eq!(kept_word(s, target, 1), None, "TARGET never ran");
    use crate::call::TransferKind::{Halted, Short};
    let claims: Vec<(crate::call::TransferKind, u64, bool, bool)> = (s.transfers.iter())
        .map(|t| (t.kind, t.value.to::<u64>(), t.fresh, t.from == t.to))
        .collect();
    assert_eq!(
        claims,
        [
            (Short, 9, false, false),
            (Short, 9, false, true),
            (Halted, 1, true, false)
        ]
    );
    let t = index_of(&block.traces, crate::ComponentId::Call);
    let calls = &block.traces[t].columns;
    let flags: Vec<(u64, u64, u64)> = (0..4)
        .map(|r| {
            let v = |c: usize| calls[c][r].as_u64();
            (v(col::SHORT), v(col::HALTS), v(col::SUCCESS))
        })
        .collect();
    assert_eq!(flags, [(1, 0, 0), (1, 0, 0), (0, 0, 0), (0, 1, 1)]);
    // The short call's dynamic gas: its costs (9,000) less the stipend it gets back.
    let cpu = &block.traces[0].columns;
    let first_call = (0..cpu[0].len())
        .find(|&r| cpu[crate::cpu::col::OPCODE][r] == Goldilocks::new(CALL as u64))
        .expect("the CALL row");
    let access = 2_500;
    assert_eq!(
        cpu[crate::cpu::col::DYN_GAS][first_call].as_u64(),
        access + 9_000 - 2_300
    );
    let bench = TamperBench::new(&block.traces, &public);
    assert_call_rows_tamper_rejected(&block, &bench, 4);
    crate::cpu::tests::assert_every_cpu_cell_is_caught(&block, &public);
    assert_transfer_claims_bound(s, &bench, 0..3);
}

#[test]
fn unsupported_calls_name_what_is_missing() {
    let stores = vec![0x60, 0x01, 0x60, 0x01, 0x55, 0x00];
    // A failing callee whose own callee fails too (nested rollbacks), and one whose callee
    // moves value (a transfer to replay, then undo).
    let mut fails_under_failing = call(CALL, &OTHER, None);
    fails_under_failing.extend([0x50, 0xfe]);
    // CALL(gas, TARGET, value 1, 0, 0, 0, 0).
    let mut with_value = call_with(CALL, &TARGET, &[1, 0, 0, 0, 0]);
    with_value.push(0x00);
    // A CALL moving value to an account whose BALANCE the caller then reads.
    let mut reads_balance = with_value.clone();
    reads_balance.pop();
    reads_balance.push(0x73);
    reads_balance.extend_from_slice(&TARGET);
    reads_balance.extend([0x31, 0x00]);
    // CREATE(0, 0, 0).
    // EXTCODECOPY of code the transaction deployed.
    let mut copies_deployed = deploys_code();
    copies_deployed.extend([0x60, 0x02, 0x5f, 0x5f, 0x83, 0x3c, 0x00]);
    // A failing callee whose callee SELFDESTRUCTs (a sweep to undo: proven), and a call to a
    // precompile.
    let mut destructs_under_failing = call(CALL, &OTHER, None);
    destructs_under_failing.extend([0x50, 0xfe]);
    let mut identity = [0u8; 20];
    identity[19] = 4;
    // A failing callee calling the code it created.
    let mut calls_undone = deploys_code();
    calls_undone.extend([0x5f, 0x5f, 0x5f, 0x5f, 0x5f, 0x85, 0x5a, 0xf1, 0x50, 0xfe]);
    type Deployed = Vec<(Vec<u8>, [u8; 20])>;
    let cases: [(Vec<u8>, Deployed, &str); 3] = [
        (
            call(CALL, &TARGET, None),
            vec![(calls_undone, TARGET)],
            "a call into an address where a create under a failing frame deploys code",
        ),
        (
            copies_deployed,
            vec![],
            "EXTCODECOPY of code the transaction deployed",
        ),
        (
            call(CALL, &identity, None),
            vec![],
            "a call to the IDENTITY (0x4) precompile",
        ),
    ];
    for (code, others, what) in cases {
        let others: Vec<([u8; 20], Vec<u8>)> = others.into_iter().map(|(c, a)| (a, c)).collect();
        let Err(error) = crate::evm::build(&run_calling(&code, &others)) else {
            panic!("{what}: built");
        };
        assert!(error.is_unsupported(), "{error}");
        assert!(error.to_string().contains(what), "{what}: {error}");
    }
    // A CALL moving value its caller does not have (it holds 5 wei) into an account
    // delegated by EIP-7702.
    const WALLET: [u8; 20] = [0x79; 20];
    let others = [(WALLET, designator(&TARGET)), (TARGET, target_code())];
    let into_wallet =
        |value: u8| [call_with(CALL, &WALLET, &[value, 0, 0, 0, 0]), vec![0]].concat();
    let Err(error) = crate::evm::build(&run_calling(&into_wallet(9), &others)) else {
        panic!("a short call into a delegated account: built");
    };
    assert!(error.is_unsupported(), "{error}");
    let what = "a CALL short of its value into an account delegated by EIP-7702";
    assert!(error.to_string().contains(what), "{error}");
    // With the value at hand, it proves.
    crate::test_support::honest_block_of(&run_calling(&into_wallet(1), &others));
    // BALANCE of an account a call moved value to proves: the verifier serves it at its
    // counter, after the transfer.
    crate::test_support::honest_block_of(&run_calling(&reads_balance, &[(TARGET, stores)]));
    // A failing frame under a failing one proves (the `crate::rollback` nesting).
    let others = [(TARGET, fails_under_failing), (OTHER, vec![0xfe])];
    crate::test_support::honest_block_of(&run_calling(&call(CALL, &TARGET, None), &others));
    // So does a SELFDESTRUCT under a frame halting exceptionally.
    let others = [
        (TARGET, destructs_under_failing),
        (OTHER, selfdestruct_to(&TARGET)),
    ];
    crate::test_support::honest_block_of(&run_calling(&call(CALL, &TARGET, None), &others));
}

#[test]
fn value_moved_under_a_failing_frame_is_undone_at_its_end() {
    // The transaction CALLs TARGET with 2 wei, and TARGET fails after moving value on: (a) it
    // CALLs OTHER with 1 and halts, (b) the same and REVERTs, (c) it CALLs MIDDLE with 1,
    // which CALLs OTHER with 1 and succeeds, and halts, (d) it CALLs REVERTS with 1, which
    // reverts (undoing that transfer first), and halts, (e) it CALLs INNER with 1, which CALLs
    // OTHER with 1 and reverts (INNER's end, the innermost failing frame's, undoes both), and
    // halts; (f) it CALLCODEs OTHER with 1, (g) CALLs an empty account with 1, (h) CALLs OTHER
    // with 9, more than it holds (a short call: no frame, nothing moved), and halts.
    const MIDDLE: [u8; 20] = [0x4d; 20];
    const REVERTS: [u8; 20] = [0x79; 20];
    const INNER: [u8; 20] = [0x1e; 20];
    const NOBODY: [u8; 20] = [0x55; 20];
    let moves_on = |opcode: u8, to: &[u8; 20], value: u8, end: &[u8]| {
        let mut code = call_with(opcode, to, &[value, 0, 0, 0, 0]);
        code.push(0x50);
        code.extend_from_slice(end);
        code
    };
    let (halt, revert, stop) = (&[0xfe][..], &[0x5f, 0x5f, 0xfd][..], &[0x00][..]);
    type Others = Vec<([u8; 20], Vec<u8>)>;
    // Each case: TARGET's code, the other contracts, and for each transfer whether TARGET's
    // end undoes it (else an earlier one: its own failed callee's, or INNER's).
    let cases: [(Vec<u8>, Others, Vec<bool>); 8] = [
        (moves_on(CALL, &OTHER, 1, halt), vec![], vec![true; 2]),
        (moves_on(CALL, &OTHER, 1, revert), vec![], vec![true; 2]),
        (
            moves_on(CALL, &MIDDLE, 1, halt),
            vec![(MIDDLE, moves_on(CALL, &OTHER, 1, stop))],
            vec![true; 3],
        ),
        (
            moves_on(CALL, &REVERTS, 1, halt),
            vec![(REVERTS, revert.to_vec())],
            vec![true, false],
        ),
        (
            moves_on(CALL, &INNER, 1, halt),
            vec![(INNER, moves_on(CALL, &OTHER, 1, revert))],
            vec![true, false, false],
        ),
        (moves_on(CALLCODE, &OTHER, 1, halt), vec![], vec![true; 2]),
        (moves_on(CALL, &NOBODY, 1, halt), vec![], vec![true; 2]),
        (moves_on(CALL, &OTHER, 9, halt), vec![], vec![true, false]),
    ];
    let mut root = call_with(CALL, &TARGET, &[2, 0, 0, 0, 0]);
    root.extend([0x60, 0x01, 0x55, 0x00]);
    for (k, (target, mut others, at_target_end)) in cases.into_iter().enumerate() {
        others.extend([(TARGET, target), (OTHER, vec![0x00])]);
        let (block, public) = crate::test_support::honest_block_of(&run_calling(&root, &others));
        let s = &block.statement;
        // Nothing moved is kept; each transfer is undone at TARGET's end (the first: its own
        // call's) or, nested, earlier.
        let target_end = s.transfers[0].end;
        assert!(s.transfers.iter().all(|t| !t.kept), "case {k}");
        let ends: Vec<bool> = (s.transfers.iter()).map(|t| t.end == target_end).collect();
        assert_eq!(ends, at_target_end, "case {k}");
        assert!(s
            .transfers
            .iter()
            .all(|t| t.ctr < t.end && t.end <= target_end));
        let bench = TamperBench::new(&block.traces, &public);
        let t = index_of(&block.traces, crate::ComponentId::Call);
        let rows = (block.traces[t].columns[col::LIVE].iter())
            .filter(|v| **v == Goldilocks::ONE)
            .count();
        assert_call_rows_tamper_rejected(&block, &bench, rows);
        assert_transfer_claims_bound(s, &bench, 0..s.transfers.len());
        // A row undoing its transfer at another end, its claim changed to match (which the
        // TRANSFER bus then accepts): the failing frame's message does not.
        let honest = &block.traces[t].columns;
        let undone_later = (0..rows)
            .filter(|&r| honest[col::UNDOES][r] == Goldilocks::ONE)
            .filter(|&r| honest[col::SUCCESS][r] == Goldilocks::ONE);
        for r in undone_later {
            let claim = (s.transfers.iter())
                .position(|x| Goldilocks::new(x.ctr as u64) == honest[col::CTR][r])
                .unwrap();
            let end = s.transfers[claim].end;
            for other_end in [end - 1, end + 1] {
                let mut forged = block.traces.clone();
                forged[t].columns[col::UNDO_END][r] = Goldilocks::new(other_end as u64);
                let mut statement = s.clone();
                statement.transfers[claim].end = other_end;
                assert!(
                    block_rejected(&forged, &statement.public_messages()),
                    "case {k}: row {r} undone at {other_end}"
                );
            }
        }
        // The moving row under TARGET claiming no failing frame (its transfer then kept):
        // refused by the row.
        let undoing = (0..rows).find(|&r| honest[col::UNDOES][r] == Goldilocks::ONE);
        let mut columns = honest.clone();
        columns[col::UNDOES][undoing.unwrap()] = Goldilocks::ZERO;
        assert!(crate::check::check_constraints(&Call, &columns).is_err());
    }
}

#[test]
fn copies_past_a_callees_output_halt() {
    // The caller copies 33 bytes of its callee's 32-byte output (EIP-211): its frame halts.
    let returns_32 = vec![0x60, 0x20, 0x5f, 0xf3];
    let mut reads_past = call(CALL, &TARGET, None);
    reads_past.extend([0x60, 0x21, 0x5f, 0x5f, 0x3e, 0x00]);
    let (block, _) =
        crate::test_support::honest_block_of(&run_calling(&reads_past, &[(TARGET, returns_32)]));
    let out_of_bounds = crate::cpu::HaltKind::ReturnDataOutOfBounds;
    assert_eq!(block.statement.halt.map(|h| h.kind), Some(out_of_bounds));
    // A callee copying a byte of return data it has none of fails; its caller stores the
    // failure (0) and goes on.
    let mut stores_flag = call(CALL, &TARGET, None);
    stores_flag.extend([0x60, 0x07, 0x55, 0x00]);
    let copies_nothing_there = vec![0x60, 0x01, 0x5f, 0x5f, 0x3e, 0x00];
    let witness = run_calling(&stores_flag, &[(TARGET, copies_nothing_there)]);
    let (block, _) = crate::test_support::honest_block_of(&witness);
    let kinds: Vec<_> = (block.statement.sub_halts.iter()).map(|h| h.kind).collect();
    assert_eq!(kinds, [out_of_bounds]);
    assert!(block.statement.halt.is_none());
    assert_eq!(stored_by_transaction(&block.statement, 7), Word::ZERO);
}

#[test]
fn nested_calls_carry_their_depth() {
    // The transaction's frame CALLs TARGET, which DELEGATECALLs OTHER, whose code stores a
    // slot (on TARGET's account) and stops.
    let mut middle = call(DELEGATECALL, &OTHER, None);
    middle.push(0x00);
    let stores = vec![0x60, 0x01, 0x60, 0x09, 0x55, 0x00];
    let witness = run_calling(
        &call(CALL, &TARGET, None),
        &[(TARGET, middle), (OTHER, stores)],
    );
    let block = crate::evm::build(&witness).expect("a supported witness");
    check_block(&block.traces).unwrap();
    let public = block.statement.public_messages();
    assert_eq!(block_imbalance(&block.traces, &public), Quadratic::ZERO);
    let cpu = &block.traces[0].columns;
    let deepest = (0..cpu[0].len()).max_by_key(|&r| cpu[cpu_col::DEPTH][r].as_u64());
    let deepest = deepest.unwrap();
    assert_eq!(cpu[cpu_col::DEPTH][deepest], Goldilocks::new(2));
    // The slot lands on TARGET's account (the DELEGATECALL keeps its caller's).
    let owner = block.statement.storage[0].key.0;
    assert_eq!(owner, crate::storage::address_limbs(&TARGET));
    // A frame at another depth than its caller's plus one: its start message disagrees.
    let first = (0..=deepest)
        .rev()
        .find(|&r| cpu[cpu_col::FIRST][r] == Goldilocks::ONE)
        .unwrap();
    let depth = cpu[cpu_col::DEPTH][first] - Goldilocks::ONE;
    let forged = with_segment_register(&block.traces, first, cpu_col::DEPTH, depth);
    assert!(block_rejected(&forged, &public));
}

#[test]
fn failing_callees_write_a_zero_flag_and_return_no_gas() {
    // TARGET runs out of stack (POP on an empty stack), OTHER into INVALID after some
    // memory work, FAR loads memory at 2²⁴ (out of gas on the expansion, shown through the
    // operand), NEAR with 100 gas loads at 2¹⁴ (out of gas on the cost its row computes); the
    // caller stores the flags (0) and the gas it has left.
    const FAR: [u8; 20] = [0x79; 20];
    const NEAR: [u8; 20] = [0x7a; 20];
    let mut code = call(CALL, &TARGET, Some(40_000));
    code.extend([0x60, 0x01, 0x55]);
    code.extend(call(STATICCALL, &OTHER, Some(30_000)));
    code.extend([0x60, 0x02, 0x55]);
    code.extend(call(DELEGATECALL, &FAR, Some(30_000)));
    code.extend(call(CALLCODE, &NEAR, Some(100)));
    code.extend([
        0x60, 0x03, 0x55, 0x60, 0x04, 0x55, 0x5a, 0x60, 0x05, 0x55, 0x00,
    ]);
    let underflow = vec![0x50];
    let invalid = vec![0x60, 0x05, 0x60, 0x00, 0x52, 0xfe];
    let far = vec![0x63, 0x01, 0x00, 0x00, 0x00, 0x51, 0x00];
    let near = vec![0x61, 0x40, 0x00, 0x51, 0x00];
    let witness = run_calling(
        &code,
        &[
            (TARGET, underflow),
            (OTHER, invalid),
            (FAR, far),
            (NEAR, near),
        ],
    );
    let block = crate::evm::build(&witness).expect("a supported witness");
    check_block(&block.traces).unwrap();
    let public = block.statement.public_messages();
    assert_eq!(block_imbalance(&block.traces, &public), Quadratic::ZERO);
    let kinds: Vec<crate::cpu::HaltKind> =
        (block.statement.sub_halts.iter()).map(|h| h.kind).collect();
    assert_eq!(kinds.len(), 4, "{kinds:?}");
    assert!(
        kinds.contains(&crate::cpu::HaltKind::DynamicCost),
        "{kinds:?}"
    );
    assert!(
        kinds.contains(&crate::cpu::HaltKind::FarMemory { operand: 0 }),
        "{kinds:?}"
    );
    let t = index_of(&block.traces, crate::ComponentId::Call);
    let calls = &block.traces[t].columns;
    assert_eq!(calls[col::SUCCESS][0], Goldilocks::ZERO);
    assert_eq!(calls[col::LEFT][0], Goldilocks::ZERO);
    // Claimed to succeed, or to leave gas: the callee's stop message disagrees. Without its
    // halt row in the statement, the halting step decodes from nothing.
    let bench = TamperBench::new(&block.traces, &public);
    for column in [col::SUCCESS, col::LEFT, col::HALT_OP] {
        let mut forged = calls.clone();
        forged[column][1] += Goldilocks::ONE;
        assert!(bench.rejects(t, &forged), "{}", COLUMN_NAMES[column]);
    }
    let mut statement = block.statement.clone();
    statement.sub_halts.remove(0);
    assert!(bench.rejects_messages(&statement.public_messages()));
    // A failing frame claiming to succeed (its storage accesses then kept): its register is
    // pinned by the start message.
    let first = callee_starts(&block.traces[0].columns)[0];
    let forged = with_segment_register(&block.traces, first, cpu_col::REVERTS, Goldilocks::ZERO);
    assert!(block_rejected(&forged, &public));
}

#[test]
fn calls_nest_hundreds_deep() {
    // TARGET calls itself with all its gas until less than 5,000 is left: EIP-150's 63/64
    // rule, not the 1,024 limit, ends the recursion (a few hundred frames deep).
    let mut code = vec![0x61, 0x13, 0x88, 0x5a, 0x10]; // GAS < 5000
    let end = 5 + 3 + call(CALL, &TARGET, None).len() + 1;
    code.extend([0x60, end as u8, 0x57]); // JUMPI to the end
    code.extend(call(CALL, &TARGET, None));
    code.extend([0x50, 0x5b, 0x00]); // POP, JUMPDEST, STOP
    assert_eq!(code[end], 0x5b);
    let witness = run_calling(&call(CALL, &TARGET, None), &[(TARGET, code)]);
    assert!(
        witness.frames.len() > 300,
        "{} frames",
        witness.frames.len()
    );
    let block = crate::evm::build(&witness).expect("a supported witness");
    check_block(&block.traces).unwrap();
    let public = block.statement.public_messages();
    assert_eq!(block_imbalance(&block.traces, &public), Quadratic::ZERO);
    let cpu = &block.traces[0].columns;
    let deepest = cpu[cpu_col::DEPTH]
        .iter()
        .map(|d| d.as_u64())
        .max()
        .unwrap();
    assert_eq!(deepest as usize, witness.frames.len() - 1);
}

fn is_sweep(t: &crate::call::Transfer) -> bool {
    t.kind == crate::call::TransferKind::Sweep
}

/// Another transfer kind than `kind`: `k` (1 to 3) places further in the list.
fn other_kind(kind: crate::call::TransferKind, k: usize) -> crate::call::TransferKind {
    let kinds = crate::call::TransferKind::ALL;
    let at = kinds.iter().position(|&x| x == kind).expect("a kind");
    kinds[(at + k) % kinds.len()]
}

#[test]
fn creates_under_a_failing_frame_are_undone_at_its_end() {
    // The transaction CALLs TARGET with 2 wei and TARGET creates, then fails: (a) a CREATE
    // deploying `PUSH1 0`, then INVALID; (b) the same moving 1 wei, then REVERT; (c) a CREATE2
    // whose init code `REVERT(0, 0)` fails (its own end undoes the account, TARGET's the
    // nonce bump), then INVALID; (d) a CALL to MIDDLE, which CREATEs and stops (succeeding
    // under TARGET), then INVALID; (e) a CREATE whose init code CREATEs (an empty account)
    // and REVERTs: the init frame's end undoes the inner create, TARGET's the outer one's
    // nonce bump; then INVALID.
    const MIDDLE: [u8; 20] = [0x4d; 20];
    let (halt, revert) = (&[0xfe][..], &[0x5f, 0x5f, 0xfd][..]);
    let then = |mut code: Vec<u8>, end: &[u8]| {
        code.push(0x50);
        code.extend_from_slice(end);
        code
    };
    let mut with_value = deploys_code();
    let value_at = with_value.len() - 2;
    with_value[value_at] = 1;
    // `MSTORE(0, 0x5f5ffd)`, then CREATE2(salt 7, 0, 29, 3).
    let mut reverting = vec![0x62, 0x5f, 0x5f, 0xfd, 0x5f, 0x52];
    reverting.extend(create(0, 29, 3, Some(7)));
    // `MSTORE(0, 0x5f5f5ff05f5ffd)` (init code `CREATE(0, 0, 0) REVERT(0, 0)`), then
    // CREATE(0, 25, 7).
    let mut creates_and_reverts = vec![0x66, 0x5f, 0x5f, 0x5f, 0xf0, 0x5f, 0x5f, 0xfd, 0x5f];
    creates_and_reverts.push(0x52);
    creates_and_reverts.extend(create(0, 25, 7, None));
    type Others = Vec<([u8; 20], Vec<u8>)>;
    // Each case: TARGET's code, the other contracts, and for each create whether it
    // succeeds and whether TARGET's end undoes it (else the failing init frame's, earlier).
    type Undone = Vec<(bool, bool)>;
    let cases: [(Vec<u8>, Others, Undone); 5] = [
        (then(deploys_code(), halt), vec![], vec![(true, true)]),
        (then(with_value, revert), vec![], vec![(true, true)]),
        (then(reverting, halt), vec![], vec![(false, true)]),
        (
            then(call(CALL, &MIDDLE, None), halt),
            vec![(MIDDLE, then(deploys_code(), &[0x00]))],
            vec![(true, true)],
        ),
        (
            then(creates_and_reverts, halt),
            vec![],
            vec![(false, true), (true, false)],
        ),
    ];
    let mut root = call_with(CALL, &TARGET, &[2, 0, 0, 0, 0]);
    root.extend([0x60, 0x01, 0x55, 0x00]);
    for (k, (target, mut others, expected)) in cases.into_iter().enumerate() {
        others.push((TARGET, target));
        let (block, public) = crate::test_support::honest_block_of(&run_calling(&root, &others));
        let s = &block.statement;
        // TARGET's end (its call's, which fails) undoes each create, or an earlier failing
        // frame's; a failed one's own end undoes its account first.
        let target_end = s.transfers[0].end;
        let found: Vec<(bool, bool)> = (s.creations.iter())
            .map(|c| (c.success, c.undone_at == Some(target_end)))
            .collect();
        assert_eq!(found, expected, "case {k}");
        let bench = TamperBench::new(&block.traces, &public);
        let t = index_of(&block.traces, crate::ComponentId::Call);
        let rows = (block.traces[t].columns[col::LIVE].iter())
            .filter(|v| **v == Goldilocks::ONE)
            .count();
        assert_call_rows_tamper_rejected(&block, &bench, rows);
        let honest = &block.traces[t].columns;
        for (i, c) in s.creations.iter().enumerate() {
            let undone_at = c.undone_at.expect("undone");
            assert!(c.ctr < c.end && c.end < undone_at && undone_at <= target_end);
            // The claim kept, undone at another end (TARGET's, for one an earlier frame's end
            // undoes), or its success flipped: rejected.
            let other_frame = (undone_at != target_end).then_some(target_end);
            for forge in [None, Some(undone_at - 1), Some(undone_at + 1), other_frame] {
                let mut statement = s.clone();
                statement.creations[i].undone_at = forge;
                let rejected = bench.rejects_messages(&statement.public_messages());
                assert!(rejected, "case {k}, creation {i}: {forge:?}");
            }
            let mut statement = s.clone();
            statement.creations[i].success = !c.success;
            let rejected = bench.rejects_messages(&statement.public_messages());
            assert!(rejected, "case {k}, creation {i}");
            // The create's row undoing it at another end, its claim changed to match (which
            // the CREATION bus then accepts): the failing frame's ROLLBACK message does not.
            let row = (0..rows)
                .find(|&r| honest[col::CTR][r] == Goldilocks::new(c.ctr as u64))
                .unwrap();
            assert_eq!(honest[col::UNDOES][row], Goldilocks::ONE, "case {k}");
            for other_end in [undone_at - 1, undone_at + 1] {
                let mut forged = block.traces.clone();
                forged[t].columns[col::UNDO_END][row] = Goldilocks::new(other_end as u64);
                let mut statement = s.clone();
                statement.creations[i].undone_at = Some(other_end);
                if let Some(moved) = (statement.transfers.iter_mut()).find(|x| x.ctr == c.ctr) {
                    moved.end = other_end;
                }
                assert!(
                    block_rejected(&forged, &statement.public_messages()),
                    "case {k}, creation {i}: undone at {other_end}"
                );
            }
            // A statement undoing it at or before its own end, or listing a call into code it
            // deployed, does not parse.
            let mut statement = s.clone();
            statement.creations[i].undone_at = Some(c.end);
            let error = crate::evm::Statement::from_bytes(&statement.to_bytes()).unwrap_err();
            assert!(
                error.to_string().contains("undone before its end"),
                "{error}"
            );
            if c.deploys() {
                let mut statement = s.clone();
                statement.call_codes = vec![(c.address, crate::evm::NO_CODE, 1)];
                let error = crate::evm::Statement::from_bytes(&statement.to_bytes()).unwrap_err();
                assert!(
                    error.to_string().contains("under a failing frame"),
                    "{error}"
                );
            }
            // The create's row claiming no failing frame around it (its undo end its own, as
            // a kept row's): refused by the row.
            let mut columns = honest.clone();
            columns[col::UNDOES][row] = Goldilocks::ZERO;
            columns[col::UNDO_END][row] = honest[col::CTR_END][row];
            assert!(crate::check::check_constraints(&Call, &columns).is_err());
        }
    }
}

#[test]
fn creates_short_of_their_value_open_no_frame() {
    // The caller (holding 10 wei: 5 and the transaction's 5) CREATEs with 11 wei and CREATE2s
    // with 11 (empty init code, then a 40-byte window of memory, which it pays for):
    // the balance is short, no frame opens, no nonce is bumped and no address warmed, the
    // result is 0 and all the gas forwarded comes back. Then it CREATEs with 1 wei, which
    // succeeds at the address of its first nonce.
    let mut code = create(11, 0, 0, None);
    code.extend([0x60, 0x01, 0x55, 0x3d, 0x60, 0x02, 0x55]);
    code.extend(create(11, 0, 0, Some(3)));
    code.extend([0x60, 0x03, 0x55]);
    code.extend(create(11, 0, 40, Some(9)));
    code.extend([0x60, 0x05, 0x55]);
    code.extend(create(1, 0, 0, None));
    code.extend([0x60, 0x04, 0x55, 0x00]);
    let witness = run_funded(&code, 5, &[]);
    let (block, public) = crate::test_support::honest_block_of(&witness);
    let s = &block.statement;
    let stored = |slot: u32| stored_by_transaction(s, slot);
    assert_eq!(
        [stored(1), stored(2), stored(3), stored(5)],
        [Word::ZERO; 4]
    );
    assert_eq!(s.creations.len(), 1);
    assert_eq!(stored(4), Word::from_be_slice(&s.creations[0].address));
    use crate::call::TransferKind::{Create, ShortCreate};
    let claims: Vec<(crate::call::TransferKind, u64)> = (s.transfers.iter())
        .map(|t| (t.kind, t.value.to::<u64>()))
        .collect();
    assert_eq!(
        claims,
        [
            (ShortCreate, 11),
            (ShortCreate, 11),
            (ShortCreate, 11),
            (Create, 1)
        ]
    );
    // The short creates' rows charge their init words only (none for an empty window; for
    // 40 bytes 2·2 gas, 6·2 more for CREATE2's hashing, and the memory's 6) and send no
    // access: the one account accessed is the created one.
    let cpu = &block.traces[0].columns;
    let charged: Vec<u64> = (0..cpu[0].len())
        .filter(|&r| {
            let op = cpu[crate::cpu::col::OPCODE][r];
            op == Goldilocks::new(CREATE as u64) || op == Goldilocks::new(CREATE2 as u64)
        })
        .map(|r| cpu[crate::cpu::col::DYN_GAS][r].as_u64())
        .collect();
    assert_eq!(charged.len(), 4);
    assert_eq!(charged[..3], [0, 0, 22]);
    let created = crate::storage::address_limbs(&s.creations[0].address);
    let accessed: Vec<_> = s.accounts.iter().map(|a| a.address).collect();
    assert_eq!(accessed, [created]);
    let bench = TamperBench::new(&block.traces, &public);
    assert_call_rows_tamper_rejected(&block, &bench, 4);
    assert_transfer_claims_bound(s, &bench, 0..4);
    // A creation claimed for a short create has no row to consume it.
    let mut statement = s.clone();
    let mut phantom = statement.creations[0].clone();
    phantom.ctr = s.transfers[0].ctr;
    statement.creations.insert(0, phantom);
    assert!(bench.rejects_messages(&statement.public_messages()));
}

#[test]
fn creates_colliding_with_an_account_open_no_frame() {
    // Accounts hold code at the addresses the caller's CREATE (nonce 0) and CREATE2 (salt 5,
    // init code `STOP`) derive. (a) The CREATE with 1 wei collides (no frame, result 0, all
    // the gas forwarded spent, the nonce bumped, nothing moved); then a CREATE succeeds at
    // the address of nonce 1. (b) The CREATE2 collides. (c) Below.
    let callee = zkevm_evm_spec::exec::SETUP_CALLEE;
    let by_nonce = callee.create(0).into_array();
    let mut salt = [0u8; 32];
    salt[31] = 5;
    let by_salt = callee
        .create2(salt, crate::sponge::digest(&[0x00]))
        .into_array();
    let third = callee.create(1).into_array();
    let mut by_nonce_code = create(1, 0, 0, None);
    by_nonce_code.extend([0x60, 0x01, 0x55, 0x3d, 0x60, 0x02, 0x55]);
    by_nonce_code.extend(create(0, 0, 0, None));
    by_nonce_code.extend([0x60, 0x03, 0x55, 0x00]);
    let mut by_salt_code = create(0, 0, 1, Some(5));
    by_salt_code.extend([0x60, 0x01, 0x55, 0x3d, 0x60, 0x02, 0x55, 0x00]);
    let cases = [
        (
            by_nonce_code,
            vec![(by_nonce, false, true), (third, true, false)],
        ),
        (by_salt_code, vec![(by_salt, false, true)]),
    ];
    let others = [(by_nonce, vec![0x00]), (by_salt, vec![0x00])];
    for (k, (code, expected)) in cases.into_iter().enumerate() {
        let witness = run_funded_with_gas(&code, 5, &others, Some(16_000_000));
        let (block, public) = crate::test_support::honest_block_of(&witness);
        let s = &block.statement;
        let stored = |slot: u32| stored_by_transaction(s, slot);
        assert_eq!([stored(1), stored(2)], [Word::ZERO; 2], "case {k}");
        let outcomes: Vec<([u8; 20], bool, bool)> = (s.creations.iter())
            .map(|c| (c.address, c.success, c.collided.is_some()))
            .collect();
        assert_eq!(outcomes, expected, "case {k}");
        if k == 0 {
            assert_eq!(stored(3), Word::from_be_slice(&third));
        }
        let init = if k == 0 { vec![] } else { vec![0x00] };
        let collided = Some(crate::bytecode::CodeHash::of(&init));
        assert_eq!(s.creations[0].collided, collided, "case {k}");
        // The colliding row spends all it forwards.
        let t = index_of(&block.traces, crate::ComponentId::Call);
        let calls = &block.traces[t].columns;
        let collision = (calls[col::COLLIDES][0], calls[col::LEFT][0]);
        assert_eq!(collision, (Goldilocks::ONE, Goldilocks::ZERO), "case {k}");
        let bench = TamperBench::new(&block.traces, &public);
        assert_call_rows_tamper_rejected(&block, &bench, expected.len());
        assert_transfer_claims_bound(s, &bench, 0..s.transfers.len());
        // The collision claimed not to have happened, or as a success, or one claimed for
        // the create that ran: rejected.
        let mut forgeries: Vec<fn(&mut crate::evm::Statement)> =
            vec![|s| s.creations[0].collided = None, |s| {
                s.creations[0].success = true
            }];
        if k == 0 {
            forgeries.push(|s| s.creations[1].collided = Some(crate::bytecode::CodeHash::of(&[])));
        }
        for (f, forge) in forgeries.iter().enumerate() {
            let mut statement = s.clone();
            forge(&mut statement);
            assert!(
                bench.rejects_messages(&statement.public_messages()),
                "case {k}: {f}"
            );
        }
    }
    // (c) Under a failing frame: TARGET's CREATE collides, then TARGET halts; its end undoes
    // the nonce bump (and the warm-up) the collision left.
    let mut collides_then_halts = create(0, 0, 0, None);
    collides_then_halts.extend([0x50, 0xfe]);
    let mut target = zkevm_evm_spec::exec::SETUP_CALLEE;
    target.0 .0 = TARGET;
    let under_target = target.create(0).into_array();
    let others = [(TARGET, collides_then_halts), (under_target, vec![0x00])];
    let witness = run_funded_with_gas(&call(CALL, &TARGET, None), 5, &others, Some(1_000_000));
    let (block, public) = crate::test_support::honest_block_of(&witness);
    let s = &block.statement;
    let c = &s.creations[0];
    assert_eq!((c.address, c.success), (under_target, false));
    assert!(c.collided.is_some() && c.undone_at.is_some());
    let bench = TamperBench::new(&block.traces, &public);
    assert_call_rows_tamper_rejected(&block, &bench, 2);
    for forge in [None, c.undone_at.map(|u| u + 1)] {
        let mut statement = s.clone();
        statement.creations[0].undone_at = forge;
        let rejected = bench.rejects_messages(&statement.public_messages());
        assert!(rejected, "{forge:?}");
    }
}

#[test]
fn creates_halting_on_their_costs_open_no_frame() {
    // TARGET (40,000 gas) CREATEs with 1 wei from a 49,152-byte window, and OTHER CREATE2s
    // from the same: each can pay the 32,000 but not the memory and init code words after
    // it, so its frame halts there, before the EVM checks a balance, bumps a nonce or
    // computes an address. Then THIRD and FOURTH do the same with their memory already
    // grown to the window (MSTORE at 0xbfe0): with 42,800 gas, THIRD's CREATE can pay the
    // 32,000 but not the 3,072 for the init code words; with 49,300, FOURTH's CREATE2 can
    // pay those too but not the 9,216 for hashing them. The transaction stores the flags (0).
    const THIRD: [u8; 20] = [0x79; 20];
    const FOURTH: [u8; 20] = [0x7a; 20];
    let creates_big = vec![0x61, 0xc0, 0x00, 0x5f, 0x60, 0x01, 0xf0, 0x00];
    let creates2_big = vec![0x60, 0x07, 0x61, 0xc0, 0x00, 0x5f, 0x5f, 0xf5, 0x00];
    let grown = |create: &[u8]| [&[0x5f, 0x61, 0xbf, 0xe0, 0x52][..], create].concat();
    let mut code = vec![];
    let callees = [
        (TARGET, 40_000),
        (OTHER, 40_000),
        (THIRD, 42_800),
        (FOURTH, 49_300),
    ];
    for (k, (callee, gas)) in callees.iter().enumerate() {
        code.extend(call(CALL, callee, Some(*gas)));
        code.extend([0x60, k as u8 + 1, 0x55]);
    }
    code.push(0x00);
    let others = [
        (TARGET, creates_big.clone()),
        (OTHER, creates2_big.clone()),
        (THIRD, grown(&creates_big)),
        (FOURTH, grown(&creates2_big)),
    ];
    let (block, public) = crate::test_support::honest_block_of(&run_calling(&code, &others));
    let s = &block.statement;
    let halts: Vec<(u8, crate::cpu::HaltKind)> =
        (s.sub_halts.iter()).map(|h| (h.opcode, h.kind)).collect();
    let dynamic = crate::cpu::HaltKind::DynamicCost;
    assert_eq!(
        halts,
        [CREATE, CREATE2, CREATE, CREATE2].map(|op| (op, dynamic))
    );
    assert!(s.creations.is_empty());
    let claims: Vec<_> = (s.transfers.iter())
        .map(|t| (t.kind, t.value.to::<u64>()))
        .collect();
    let halted = crate::call::TransferKind::HaltedCreate;
    assert_eq!(claims, [(halted, 1), (halted, 1)]);
    let caller = crate::storage::address_limbs(&s.address);
    for slot in 1..=4 {
        assert_eq!(kept_word(s, caller, slot), Some([0; 8]), "{slot}");
    }
    // THIRD's and FOURTH's rows grow no memory: their own costs decide.
    let cpu = &block.traces[0].columns;
    let creating: Vec<(u64, u64)> = (0..cpu[0].len())
        .filter(|&r| {
            let op = cpu[cpu_col::OPCODE][r];
            op == Goldilocks::new(CREATE as u64) || op == Goldilocks::new(CREATE2 as u64)
        })
        .map(|r| {
            (
                cpu[cpu_col::DYN_GAS][r].as_u64(),
                cpu[cpu_col::GAS][r].as_u64(),
            )
        })
        .collect();
    assert_eq!(creating[2].0, 3_072);
    assert!((32_000..32_000 + 3_072).contains(&creating[2].1));
    assert_eq!(creating[3].0, 12_288);
    assert!((32_000 + 3_072..32_000 + 12_288).contains(&creating[3].1));
    let t = index_of(&block.traces, crate::ComponentId::Call);
    let rows = (block.traces[t].columns[col::LIVE].iter())
        .filter(|v| **v == Goldilocks::ONE)
        .count();
    assert_eq!(rows, 8);
    let bench = TamperBench::new(&block.traces, &public);
    assert_call_rows_tamper_rejected(&block, &bench, rows);
    assert_transfer_claims_bound(s, &bench, 0..2);
    crate::cpu::tests::assert_every_cpu_cell_is_caught(&block, &public);
    // The transaction's own frame halting so (61,000 gas: 21,000 intrinsic, about 40,000
    // left at the CREATE): the statement's halt, no claim, no creation.
    let witness = run_funded_with_gas(&creates_big, 5, &[], Some(61_000));
    let (block, public) = crate::test_support::honest_block_of(&witness);
    let s = &block.statement;
    assert_eq!(s.halt.map(|h| (h.opcode, h.kind)), Some((CREATE, dynamic)));
    assert!(s.creations.is_empty());
    assert_eq!(
        s.transfers.iter().map(|t| t.kind).collect::<Vec<_>>(),
        [halted]
    );
    let bench = TamperBench::new(&block.traces, &public);
    assert_call_rows_tamper_rejected(&block, &bench, 1);
    assert_transfer_claims_bound(s, &bench, 0..1);
}
