use super::*;
use crate::evm::calldata_word;
use crate::evm::{build, EvmBlock};
use crate::storage;
use crate::test_support::{
    block, block_imbalance, block_rejected, check_block, honest_block, honest_block_of, run,
    run_with, TamperBench,
};
use crate::ComponentTrace;
use zkevm_evm_spec::witness::Word;
use zkevm_field::{FieldElement, Quadratic};

/// Stack shuffling: PUSH1…PUSH32, PUSH0, DUP1/DUP16, SWAP1/SWAP16, POP, PC, GAS.
fn stack_program() -> Vec<u8> {
    let mut code = Vec::new();
    for n in 1..=16u8 {
        code.push(0x5f + n);
        code.extend((0..n).map(|i| 0xa0 ^ (n * 7 + i)));
    }
    code.push(0x7f); // PUSH32
    code.extend((0..32u8).map(|i| 0xff - i));
    code.extend([
        0x5f, 0x8f, 0x80, 0x9f, 0x90, 0x50, 0x58, 0x5a, 0x50, 0x50, 0x00,
    ]);
    code
}

/// Jumps: JUMP forward, JUMPI not taken (0), JUMPI taken (condition 2^255), a JUMPDEST byte
/// inside PUSH data (index 47) skipped over.
fn jump_program() -> Vec<u8> {
    vec![
        0x60, 0x04, 0x56, // PUSH1 4 JUMP
        0xfe, // INVALID, jumped over
        0x5b, // 4: JUMPDEST
        0x5f, 0x60, 0x0f, 0x57, // PUSH0 PUSH1 15 JUMPI: not taken
        0x7f, 0x80, // PUSH32 0x80 00…00 (condition 2^255) …
    ]
    .into_iter()
    .chain(std::iter::repeat_n(0x00, 31))
    .chain([
        0x61, 0x00, 0x31, 0x57, // PUSH2 49 JUMPI: taken
        0x60, 0x5b, // PUSH1 0x5b: data, not a destination
        0x00, // STOP (not reached)
        0x5b, // 49: JUMPDEST
        0x58, 0x50, 0x00, // PC POP STOP
    ])
    .collect()
}

/// Storage: a cold SSTORE setting a slot, a warm SLOAD of it, a warm SSTORE changing it again,
/// a cold SSTORE writing the zero a slot already holds, a cold SLOAD of an untouched slot.
pub(crate) fn storage_program() -> Vec<u8> {
    vec![
        0x60, 5, 0x60, 1, 0x55, // SSTORE(1, 5)
        0x60, 1, 0x54, 0x50, // SLOAD(1) POP
        0x60, 7, 0x60, 1, 0x55, // SSTORE(1, 7)
        0x5f, 0x60, 2, 0x55, // SSTORE(2, 0)
        0x60, 9, 0x54, 0x00, // SLOAD(9) STOP
    ]
}

/// Transient storage (EIP-1153): TSTORE(1, 5), TLOAD(1) and TLOAD(2) (never written: 0)
/// stored to slots 1 and 2, TSTORE(1, 9), TLOAD(1) stored to slot 3, TSTORE(2, 0), a TLOAD
/// of slot 1 with the SLOAD of the same key (transient and persistent slots are apart).
pub(crate) fn transient_program() -> Vec<u8> {
    vec![
        0x60, 5, 0x60, 1, 0x5d, // TSTORE(1, 5)
        0x60, 1, 0x5c, 0x60, 1, 0x55, // SSTORE(1, TLOAD(1))
        0x60, 2, 0x5c, 0x60, 2, 0x55, // SSTORE(2, TLOAD(2))
        0x60, 9, 0x60, 1, 0x5d, // TSTORE(1, 9)
        0x60, 1, 0x5c, 0x60, 3, 0x55, // SSTORE(3, TLOAD(1))
        0x5f, 0x60, 2, 0x5d, // TSTORE(2, 0)
        0x60, 1, 0x5c, 0x60, 1, 0x54, 0x01, 0x60, 4, 0x55, // SSTORE(4, TLOAD(1) + SLOAD(1))
        0x00,
    ]
}

/// Memory: an unaligned MSTORE growing memory to 2 words, MLOAD of bytes partly never
/// written, MSIZE, an MSTORE8 into the stored word, MLOAD across it, an MLOAD far out growing
/// memory to 33 words, an MLOAD needing no growth, MSIZE; the loaded words and sizes stored.
pub(crate) fn memory_program() -> Vec<u8> {
    let mut code = vec![0x7f];
    code.extend((0..32u8).map(|i| i.wrapping_mul(37) ^ 0x5a));
    code.extend([0x60, 3, 0x52]); // MSTORE(3, word)
    code.extend([0x5f, 0x51, 0x60, 1, 0x55]); // SSTORE(1, MLOAD(0))
    code.extend([0x59, 0x60, 2, 0x55]); // SSTORE(2, MSIZE)
    code.extend([0x60, 0xab, 0x60, 10, 0x53]); // MSTORE8(10, 0xab)
    code.extend([0x60, 7, 0x51, 0x60, 3, 0x55]); // SSTORE(3, MLOAD(7))
    code.extend([0x61, 0x04, 0x00, 0x51, 0x50]); // MLOAD(1024) POP
    code.extend([0x5f, 0x51, 0x50]); // MLOAD(0) POP
    code.extend([0x59, 0x60, 4, 0x55, 0x00]); // SSTORE(4, MSIZE) STOP
    code
}

/// Arithmetic: ADD wrapping past 2²⁵⁶, SUB borrowing below 0, LT and GT both ways; bitwise:
/// AND, OR, XOR of 0xf0f0 and 0x0ff0 and of 2²⁵⁶ − 1 with a 32-byte pattern; SLT and SGT
/// of −1 and 1 both ways; NOT of the pattern; the results stored.
pub(crate) fn alu_program() -> Vec<u8> {
    let mut code = vec![0x7f];
    code.extend([0xff; 32]); // 2²⁵⁶ − 1
    code.extend([0x60, 2, 0x01, 0x60, 1, 0x55]); // SSTORE(1, 2 + MAX) = 1
    code.extend([0x60, 5, 0x60, 3, 0x03, 0x60, 2, 0x55]); // SSTORE(2, 3 − 5)
    code.extend([0x60, 5, 0x60, 3, 0x10, 0x60, 3, 0x55]); // SSTORE(3, 3 < 5)
    code.extend([0x60, 5, 0x60, 3, 0x11, 0x60, 4, 0x55]); // SSTORE(4, 3 > 5)
    code.extend([0x60, 3, 0x60, 5, 0x11, 0x60, 5, 0x55]); // SSTORE(5, 5 > 3)
    for (slot, opcode) in [(6, 0x16), (7, 0x17), (8, 0x18)] {
        // SSTORE(slot, 0xf0f0 op 0x0ff0)
        code.extend([0x61, 0xf0, 0xf0, 0x61, 0x0f, 0xf0, opcode, 0x60, slot, 0x55]);
    }
    for (slot, opcode) in [(9, 0x16), (10, 0x17), (11, 0x18)] {
        // SSTORE(slot, pattern op (2²⁵⁶ − 1))
        code.push(0x7f);
        code.extend([0xff; 32]);
        code.push(0x7f);
        code.extend((0..32u8).map(|i| i.wrapping_mul(73) ^ 0x96));
        code.extend([opcode, 0x60, slot, 0x55]);
    }
    let signed = [
        (12, 0x12, true),
        (13, 0x12, false),
        (14, 0x13, true),
        (16, 0x13, false),
    ];
    for (slot, opcode, top_is_minus_one) in signed {
        // SSTORE(slot, op(top, below)) with {top, below} = {−1, 1}
        let minus_one = std::iter::once(0x7f).chain([0xff; 32]);
        let one = [0x60, 1];
        match top_is_minus_one {
            true => code.extend(one.into_iter().chain(minus_one)),
            false => code.extend(minus_one.chain(one)),
        }
        code.extend([opcode, 0x60, slot, 0x55]);
    }
    code.push(0x7f);
    code.extend((0..32u8).map(|i| i.wrapping_mul(73) ^ 0x96));
    code.extend([0x19, 0x60, 15, 0x55, 0x00]); // SSTORE(15, NOT pattern)
    code
}

#[test]
fn arithmetic_results_are_proven() {
    let (block, public) = honest_block(&alu_program());
    let posts: Vec<Word> = (block.statement.storage.iter())
        .map(|s| storage::word_of(&s.post))
        .collect();
    let two_below = Word::MAX - Word::from(1);
    let expected = [1, 0, 1, 0, 1].map(Word::from);
    assert_eq!(posts[0], expected[0]);
    assert_eq!(posts[1], two_below);
    assert_eq!(posts[2..5], expected[2..]);
    let bytes: [u8; 32] = std::array::from_fn(|i| (i as u8).wrapping_mul(73) ^ 0x96);
    let pattern = Word::from_be_bytes(bytes);
    let bitwise = [0x00f0, 0xfff0, 0xff00].map(Word::from);
    assert_eq!(posts[5..8], bitwise);
    assert_eq!(posts[8..11], [pattern, Word::MAX, !pattern]);
    // SLT(−1, 1) = 1, SLT(1, −1) = 0 (no post value: the slot stays zero), SGT(−1, 1) = 0.
    assert_eq!(posts[11..14], [Word::from(1), Word::ZERO, Word::ZERO]);
    assert_eq!(posts[14], !pattern);
    // SGT(1, −1) = 1, stored in slot 16.
    assert_eq!(posts[15], Word::from(1));
    let ids: Vec<_> = block.traces.iter().map(|t| t.id).collect();
    assert!(
        ids.contains(&crate::ComponentId::Bitwise) && ids.contains(&crate::ComponentId::AndTable)
    );
    // The pushed result differs from the one the Arithmetic or Bitwise table proves, in its
    // lowest or highest limb.
    changed_third_words_are_rejected(
        &block,
        &public,
        &[0x01, 0x03, 0x10, 0x11, 0x12, 0x13, 0x16, 0x17, 0x18, 0x19],
    );
}

/// RETURN of 40 bytes at offset 3 (growing memory from 1 to 2 words), REVERT of one byte,
/// an empty RETURN pointing far past the memory (no expansion).
pub(crate) fn return_programs() -> Vec<Vec<u8>> {
    let mut word = vec![0x7f];
    word.extend((0..32u8).map(|i| i ^ 0xc3));
    let mut returns = word.clone();
    returns.extend([0x5f, 0x52, 0x60, 40, 0x60, 3, 0xf3]); // MSTORE(0, w) RETURN(3, 40)
    let reverts = vec![0x60, 5, 0x5f, 0x53, 0x60, 1, 0x5f, 0xfd]; // MSTORE8(0, 5) REVERT(0, 1)
    let empty = vec![0x5f, 0x61, 0x03, 0xe8, 0xf3]; // RETURN(1000, 0)
    vec![returns, reverts, empty]
}

#[test]
fn returns_and_reverts_end_the_frame_with_their_output_and_gas() {
    let [returns, reverts, empty] = return_programs().try_into().unwrap();
    let block_of = |code: &[u8]| {
        let (b, _) = honest_block(code);
        b
    };
    let r = block_of(&returns);
    let mut expected: Vec<u8> = (3..32u8).map(|i| i ^ 0xc3).collect();
    expected.extend([0; 11]);
    assert_eq!(r.statement.output, expected);
    assert!(!r.statement.reverted);
    // PUSH32 3, PUSH0 2, MSTORE 3 + 3, PUSH1 ×2 6, RETURN 0 + 3 (the second word).
    assert_eq!(r.statement.gas_used(), 3 + 2 + 6 + 6 + 3);
    let v = block_of(&reverts);
    assert_eq!(v.statement.output, [5]);
    assert!(v.statement.reverted);
    assert!(v.statement.gas_left > 0);
    let e = block_of(&empty);
    assert!(e.statement.output.is_empty());
    assert_eq!(e.statement.gas_used(), 2 + 3);
    // A revert claimed as a success, or a success as a revert.
    for b in [&r, &v] {
        let mut statement = b.statement.clone();
        statement.reverted = !statement.reverted;
        assert_ne!(
            block_imbalance(&b.traces, &statement.public_messages()),
            Quadratic::ZERO
        );
    }
}

/// Copies: CALLDATACOPY of 40 bytes from calldata offset 30 to memory 5 (past the end of a
/// 40-byte calldata: zeros), CODECOPY of the first 7 code bytes to memory 0, an empty
/// CALLDATACOPY far out (no expansion); MLOAD(5) stored.
pub(crate) fn copy_program() -> Vec<u8> {
    vec![
        0x60, 40, 0x60, 30, 0x60, 5, 0x37, // CALLDATACOPY(5, 30, 40)
        0x60, 7, 0x5f, 0x5f, 0x39, // CODECOPY(0, 0, 7)
        0x5f, 0x5f, 0x61, 0x10, 0x00, 0x37, // CALLDATACOPY(4096, 0, 0)
        0x60, 5, 0x51, 0x60, 1, 0x55, 0x00, // SSTORE(1, MLOAD(5)) STOP
    ]
}

#[test]
fn memory_operations_prove_their_words_sizes_and_gas() {
    let (block, _) = honest_block(&memory_program());
    let word = |i: usize| storage::word_of(&block.statement.storage[i].post);
    let stored: Vec<u8> = (0..32u8).map(|i| i.wrapping_mul(37) ^ 0x5a).collect();
    let mut expected = [0u8; 32];
    expected[3..].copy_from_slice(&stored[..29]);
    assert_eq!(word(0), Word::from_be_bytes(expected));
    assert_eq!(word(1), Word::from(64));
    assert_eq!(word(2).to_be_bytes::<32>()[3], 0xab);
    assert_eq!(word(3), Word::from(33 * 32));
    // Memory gas: 2 words (6), then 33 words (3·31 + ⌊33²/512⌋ = 95), on top of 3 per op.
    let cpu = cpu_columns(&block);
    let dynamic: u64 = (0..block.statement.steps() as usize)
        .filter(|&r| cpu[col::SEL + Family::Sstore as usize - 1][r] == Goldilocks::ZERO)
        .map(|r| cpu[col::DYN_GAS][r].as_u64())
        .sum();
    assert_eq!(dynamic, 6 + 95);
}
/// Context and calldata: every context opcode, CALLDATALOAD inside, across and past the end
/// of the calldata (and at a 2^255 offset), EQ of equal and different words, ISZERO of zero
/// and non-zero; the results stored.
fn context_program() -> Vec<u8> {
    let mut code = vec![0x5f, 0x35, 0x60, 0x1e, 0x35, 0x60, 0x40, 0x35]; // CALLDATALOAD 0, 30, 64
    code.extend([0x7f, 0x80]); // PUSH32 2^255 CALLDATALOAD
    code.extend([0; 31]);
    code.push(0x35);
    code.extend([
        0x36, 0x33, 0x30, 0x34, 0x42, 0x43, 0x46, 0x3a, 0x32, 0x41, 0x38, 0x48, 0x44, 0x45, 0x4a,
    ]);
    code.extend([0x80, 0x14, 0x60, 1, 0x55]); // DUP1 EQ → SSTORE(1, 1)
    code.extend([0x14, 0x60, 2, 0x55]); // EQ of different words → SSTORE(2, 0)
    code.extend([0x15, 0x60, 3, 0x55]); // ISZERO(non-zero) → SSTORE(3, 0)
    code.extend([0x5f, 0x15, 0x60, 4, 0x55, 0x00]); // ISZERO(0) → SSTORE(4, 1), STOP
    code
}

fn context_calldata() -> Vec<u8> {
    (0..40u8).map(|i| i.wrapping_mul(29) | 1).collect()
}

/// Account accesses: BALANCE and EXTCODESIZE of a cold address (then warm), BALANCE of the
/// recipient and the sender, EXTCODEHASH of a precompile, EXTCODEHASH of a word whose high
/// bytes are set (its low 160 bits a cold address), then BALANCE of that address (warm).
pub(crate) fn account_program() -> Vec<u8> {
    let push20 = |byte: u8| {
        let mut code = vec![0x73];
        code.extend([byte; 20]);
        code
    };
    let mut code = push20(0xaa);
    code.extend([0x31, 0x50]);
    code.extend(push20(0xaa));
    code.extend([0x3b, 0x50, 0x30, 0x31, 0x50, 0x33, 0x31, 0x50]);
    code.extend([0x60, 0x01, 0x3f, 0x50, 0x7f]);
    code.extend([0x12; 12]);
    code.extend([0xbb; 20]);
    code.extend([0x3f, 0x50]);
    code.extend(push20(0xbb));
    code.extend([0x31, 0x00]);
    code
}

#[test]
fn context_calldata_and_comparisons_are_bound() {
    let witness = run_with(&context_program(), &context_calldata());
    let block = build(&witness).expect("supported");
    check_block(&block.traces).unwrap();
    let public = block.statement.public_messages();
    assert_eq!(block_imbalance(&block.traces, &public), Quadratic::ZERO);
    assert_eq!(block.statement.context.len(), 15);
    assert_eq!(block.statement.calldata_reads.len(), 4);
    let posts: Vec<u32> = block.statement.storage.iter().map(|s| s.post[0]).collect();
    assert_eq!(posts, [1, 0, 0, 1]);
    // A context value or a calldata byte the statement gets wrong.
    let mut statement = block.statement.clone();
    statement.context[3].1 += Word::from(1);
    assert_ne!(
        block_imbalance(&block.traces, &statement.public_messages()),
        Quadratic::ZERO
    );
    let mut statement = block.statement.clone();
    statement.calldata[31] ^= 1;
    assert_ne!(
        block_imbalance(&block.traces, &statement.public_messages()),
        Quadratic::ZERO
    );
    // Words past the end read zero.
    let data = context_calldata();
    assert_eq!(calldata_word(&data, &Word::from(64)), Word::ZERO);
    assert_eq!(calldata_word(&data, &(Word::from(1) << 255)), Word::ZERO);
}

#[test]
fn every_tampered_comparison_or_context_cell_is_caught() {
    let witness = run_with(&context_program(), &context_calldata());
    let honest = build(&witness).unwrap();
    let public = honest.statement.public_messages();
    let steps = honest.statement.steps() as usize;
    let columns = &honest.traces[0].columns;
    for column in 0..Cpu::COLUMNS.len() {
        #[allow(clippy::needless_range_loop)] // rows index several columns
        for row in 0..steps {
            // An inverse multiplying a zero difference is a reviewed don't-care.
            if (col::C..col::C + LIMBS).contains(&column) {
                let i = column - col::C;
                if columns[col::A + i][row] == columns[col::B + i][row] {
                    continue;
                }
            }
            let mut tampered = honest.traces.clone();
            tampered[0].columns[column][row] += Goldilocks::ONE;
            assert!(
                block_rejected(&tampered, &public),
                "{} at row {row} accepted",
                Cpu::COLUMNS[column]
            );
        }
    }
}

#[test]
fn honest_programs_satisfy_every_component_and_balance() {
    // The last program ends by running off its code: the STOP after the end.
    let programs = [
        stack_program(),
        jump_program(),
        storage_program(),
        transient_program(),
        memory_program(),
        alu_program(),
        account_program(),
        vec![0x00],
        vec![0x5f, 0x50],
    ];
    for code in programs {
        honest_block(&code);
    }
    let jumps = block(&jump_program());
    assert_eq!(jumps.statement.steps(), 13);
    assert_eq!(
        jumps.statement.gas_used(),
        3 + 8 + 1 + 2 + 3 + 10 + 3 + 3 + 10 + 1 + 2 + 2
    );
}

#[test]
fn the_statement_binds_gas_code_and_counts() {
    let block = block(&jump_program());
    let honest = block.statement.clone();
    let mut wrong = Vec::new();
    let mut s = honest.clone();
    s.gas_left += 1;
    wrong.push(s);
    let mut s = honest.clone();
    s.gas += 1;
    wrong.push(s);
    let mut s = honest.clone();
    s.ctr_end += 1;
    wrong.push(s);
    let mut s = honest.clone();
    s.codes[0].hash[1] ^= 1;
    wrong.push(s);
    let mut s = honest.clone();
    s.codes[0].len += 1;
    wrong.push(s);
    let mut s = honest.clone();
    s.opcode_counts[0].1 += 1;
    wrong.push(s);
    let mut s = honest.clone();
    s.ctx += 1;
    wrong.push(s);
    let mut s = honest.clone();
    s.address[19] ^= 1;
    wrong.push(s);
    for s in wrong {
        assert_ne!(
            block_imbalance(&block.traces, &s.public_messages()),
            Quadratic::ZERO,
            "{s:?}"
        );
    }
}

fn cpu_columns(block: &EvmBlock) -> &Vec<Vec<Goldilocks>> {
    &block.traces[0].columns
}

/// The CPU rows that execute `opcode`, in order.
pub(crate) fn rows_of(block: &EvmBlock, opcode: u8) -> Vec<usize> {
    (0..block.statement.steps() as usize)
        .filter(|&r| cpu_columns(block)[col::OPCODE][r] == Goldilocks::new(opcode as u64))
        .collect()
}

/// The third word `C` (an ALU result, or ADDMOD's / MULMOD's modulus) on the first row of each
/// opcode, changed in its lowest or highest limb: the table that proves it no longer agrees.
fn changed_third_words_are_rejected(block: &EvmBlock, public: &[PublicMessage], opcodes: &[u8]) {
    for &opcode in opcodes {
        let row = rows_of(block, opcode)[0];
        for limb in [0, LIMBS - 1] {
            let mut forged = block.traces.clone();
            forged[0].columns[col::C + limb][row] += Goldilocks::ONE;
            assert!(block_rejected(&forged, public), "opcode {opcode:#x}");
        }
    }
}

#[test]
fn every_tampered_cpu_cell_is_caught() {
    for code in [
        jump_program(),
        stack_program(),
        storage_program(),
        transient_program(),
        memory_program(),
        alu_program(),
        mcopy_program(),
        empty_far_operations_program(),
        modular_program().0,
        exp_signextend_program(&small_exp_signextend_cases()).0,
        account_program(),
    ]
    .into_iter()
    .chain(return_programs())
    .chain(crate::log::tests::log_programs())
    {
        let honest = block(&code);
        let public = honest.statement.public_messages();
        assert_every_cpu_cell_is_caught(&honest, &public);
    }
}

/// Every column of every step row of `honest`'s CPU table (its first table), changed by +1
/// and −1, is rejected; the first padding row's cells are don't-cares except `live` and
/// `first`. (The inverse of a false JUMPI condition is pinned to zero, of a true one to 1/ΣB:
/// both caught.)
pub(crate) fn assert_every_cpu_cell_is_caught(honest: &EvmBlock, public: &[PublicMessage]) {
    let steps = honest.statement.steps() as usize;
    assert_eq!(honest.traces[0].id, crate::ComponentId::Cpu);
    let bench = TamperBench::new(&honest.traces, public);
    let mut tampered = honest.traces[0].columns.clone();
    for column in 0..Cpu::COLUMNS.len() {
        for row in 0..=steps {
            if row == steps && column != col::LIVE && column != col::FIRST {
                continue;
            }
            for delta in [Goldilocks::ONE, -Goldilocks::ONE] {
                tampered[column][row] += delta;
                assert!(
                    bench.rejects(0, &tampered),
                    "{} at row {row} (+{delta:?}) accepted",
                    Cpu::COLUMNS[column]
                );
                tampered[column][row] -= delta;
            }
        }
    }
    assert!(!bench.rejects(0, &tampered));
}

#[test]
fn a_jump_into_push_data_is_rejected() {
    // PUSH1 4 JUMP INVALID JUMPDEST STOP runs PUSH1, JUMP, JUMPDEST, STOP. Claim instead that
    // the code is PUSH1 4 JUMP PUSH1 0x5b STOP: the same bytes at every executed pc, but the
    // destination is now PUSH data. Every table satisfies its constraints; the jump's fetch of
    // (4, 0x5b, is_code = 1) finds no provider.
    let mut witness = run(&[0x60, 0x04, 0x56, 0xfe, 0x5b, 0x00]);
    let mut code = witness.bytecodes[0].code.to_vec();
    code[3] = 0x60;
    witness.bytecodes[0].code = code.into();
    let forged = build(&witness).expect("the CPU trace does not look at unexecuted bytes");
    check_block(&forged.traces).unwrap();
    let public = forged.statement.public_messages();
    assert_ne!(block_imbalance(&forged.traces, &public), Quadratic::ZERO);
}

#[test]
fn stack_overflow_and_lying_conditions_are_rejected() {
    // A JUMPI whose condition is non-zero claimed not taken (pc moves on sequentially).
    let honest = block(&jump_program());
    let public = honest.statement.public_messages();
    let jumpi = rows_of(&honest, 0x57)[1];
    let mut forged = honest.traces.clone();
    let cpu = &mut forged[0].columns;
    cpu[col::TAKEN][jumpi] = Goldilocks::ZERO;
    cpu[col::COND_INV][jumpi] = Goldilocks::ZERO;
    assert!(block_rejected(&forged, &public));
}

#[test]
fn stack_halts_end_the_frame_failed_and_cannot_be_faked() {
    // The 1025th PUSH0 overflows; a POP on an empty stack underflows; SWAP16 with 16 words.
    let mut overflow = vec![0x5f; 1025];
    overflow.push(0x00);
    let mut swap = vec![0x5f; 16];
    swap.push(0x9f);
    for code in [overflow, vec![0x50], swap] {
        assert_halt_is_proven_and_unforgeable(&run(&code), crate::cpu::HaltKind::Stack);
    }
    // A failed frame's writes are proven like any other (the verifier rolls them back):
    // SSTORE(1, 5), then a POP of an empty stack.
    let halted = block(&[0x60, 5, 0x60, 1, 0x55, 0x50, 0x50]);
    assert!(halted.statement.halt.is_some());
    assert_eq!(halted.statement.storage.len(), 1);
    assert_eq!(halted.statement.storage[0].post[0], 5);
    check_block(&halted.traces).unwrap();
    let public = halted.statement.public_messages();
    assert_eq!(block_imbalance(&halted.traces, &public), Quadratic::ZERO);
    // The halt claimed as a REVERT, its row listed as a failed callee's: the stop message
    // names the halting opcode, so the frame's end does not match.
    let mut relabelled = halted.statement.clone();
    let halt = relabelled.halt.take().unwrap();
    relabelled.reverted = true;
    relabelled.sub_halts.push(halt);
    assert!(crate::evm::Statement::from_bytes(&relabelled.to_bytes()).is_ok());
    assert_ne!(
        block_imbalance(&halted.traces, &relabelled.public_messages()),
        Quadratic::ZERO
    );
    // Absurd step counts are errors, not panics.
    let halted = block(&[0x50]);
    let mut statement = halted.statement.clone();
    statement.opcode_counts = vec![(0x60, u64::MAX), (0x50, 2)];
    assert!(crate::evm::Statement::from_bytes(&statement.to_bytes()).is_err());
    // A halt claimed where the stack was fine: the table's condition fails its range check.
    let honest = block(&[0x5f, 0x50, 0x50]);
    let row = honest.statement.steps() as usize - 1;
    let mut forged = honest.traces.clone();
    forged[0].columns[col::SP][row] = Goldilocks::ONE;
    assert!(block_rejected(&forged, &honest.statement.public_messages()));
}

/// Two TSTOREs with gas for one and a half; a JUMPDEST-PUSH0-JUMP loop stopping at a JUMP
/// with 4 gas of its 8; a PUSH1 with 2 of its 3 gas as the first step.
fn out_of_gas_programs() -> [(Vec<u8>, u64); 3] {
    let tstores = vec![0x60, 1, 0x5f, 0x5d, 0x60, 2, 0x5f, 0x5d, 0x00];
    [
        (tstores, 3 + 2 + 100 + 3 + 2 + 50),
        (vec![0x5b, 0x5f, 0x56], 3 * 11 + 1 + 2 + 4),
        (vec![0x60, 1, 0x00], 2),
    ]
}

#[test]
fn out_of_gas_halts_end_the_frame_failed_and_cannot_be_faked() {
    for (code, gas) in out_of_gas_programs() {
        let witness = crate::test_support::run_with_gas(&code, &[], Some(gas));
        let halting = witness.steps.last().unwrap();
        assert!(halting.error.as_deref().unwrap().contains("OutOfGas"));
        assert_halt_is_proven_and_unforgeable(&witness, crate::cpu::HaltKind::OutOfGas);
        // The same halt claimed as a stack halt: the table row differs, the bus is off.
        let honest = build(&witness).unwrap();
        let mut statement = honest.statement.clone();
        statement.halt.as_mut().unwrap().kind = crate::cpu::HaltKind::Stack;
        assert_ne!(
            block_imbalance(&honest.traces, &statement.public_messages()),
            Quadratic::ZERO
        );
    }
    // An out-of-gas halt claimed where the gas sufficed: the PUSH1 halting with 2 gas,
    // claimed with the 3 it costs (the frame's start gas and the row's register).
    let witness = crate::test_support::run_with_gas(&[0x60, 1, 0x00], &[], Some(2));
    let honest = build(&witness).unwrap();
    let mut forged = honest.traces.clone();
    forged[0].columns[col::GAS][0] = Goldilocks::new(3);
    forged[0].columns[col::CHECK_LO][0] = Goldilocks::new(3);
    let mut statement = honest.statement.clone();
    statement.gas = 3;
    assert!(check_block(&forged).is_ok());
    assert_ne!(
        block_imbalance(&forged, &statement.public_messages()),
        Quadratic::ZERO
    );
    assert_eq!(
        block_imbalance(&honest.traces, &honest.statement.public_messages()),
        Quadratic::ZERO
    );
}

/// Steps that cannot pay for memory far out, with the depth of the operand that places it:
/// MLOAD at 2²⁸ − 1 (one limb), MSTORE8 at 2²⁵⁵ (a high limb), RETURN of 2³⁰ bytes (the
/// size), LOG2 at 2²⁴, MCOPY from 2⁶⁴ (the source), CALLDATACOPY of 2²⁵⁶ − 1 bytes.
fn far_memory_programs() -> Vec<(Vec<u8>, u8)> {
    let mut mstore8 = vec![0x60, 1, 0x7f, 0x80];
    mstore8.extend([0; 31]);
    mstore8.push(0x53);
    let mut mcopy = vec![0x60, 1, 0x68, 1];
    mcopy.extend([0; 8]);
    mcopy.extend([0x5f, 0x5e]);
    let mut calldatacopy = vec![0x7f];
    calldatacopy.extend([0xff; 32]);
    calldatacopy.extend([0x5f, 0x5f, 0x37]);
    vec![
        (vec![0x63, 0x0f, 0xff, 0xff, 0xff, 0x51], 0),
        (mstore8, 0),
        (vec![0x63, 0x40, 0, 0, 0, 0x5f, 0xf3], 1),
        (vec![0x60, 7, 0x60, 8, 0x60, 1, 0x63, 1, 0, 0, 0, 0xa2], 0),
        (mcopy, 1),
        (calldatacopy, 2),
        // KECCAK256 from 2²⁴, and of 2²⁴ bytes.
        (vec![0x60, 1, 0x63, 1, 0, 0, 0, 0x20], 0),
        (vec![0x63, 1, 0, 0, 0, 0x5f, 0x20], 1),
    ]
}

#[test]
fn far_memory_halts_end_the_frame_failed_and_cannot_be_faked() {
    for (code, operand) in far_memory_programs() {
        let witness = run(&code);
        let halting = witness.steps.last().unwrap();
        // (revm charges KECCAK256's word gas before its memory: plain OutOfGas.)
        let error = halting.error.as_deref().unwrap();
        assert!(
            error.contains("OOG") || error == "OutOfGas",
            "{code:x?}: {error}"
        );
        let kind = crate::cpu::HaltKind::FarMemory { operand };
        assert_halt_is_proven_and_unforgeable(&witness, kind);
        assert_no_other_operand_is_far(&witness, operand);
    }
    // An offset just below 2²² (the expansion would cost about 3.4·10⁷ gas, but a frame with
    // more could pay it) is not proven far (it is proven capped, short of its first 2¹⁶ − 1
    // words), nor is a far offset with a zero size: that RETURN succeeds.
    let near = run(&[0x63, 0x00, 0x3f, 0xff, 0xff, 0x51]);
    assert!(near.steps.last().unwrap().error.is_some());
    let (capped, _) = honest_block_of(&near);
    let kind = capped.statement.halt.map(|h| h.kind);
    assert_eq!(kind, Some(crate::cpu::HaltKind::DynamicCost));
    let empty = run(&[0x5f, 0x63, 0x40, 0, 0, 0, 0xf3]);
    assert!(empty.steps.last().unwrap().error.is_none());
    honest_block_of(&empty);
    // The far MLOAD's operand register claiming 2²² − 1 instead of 2²⁸ − 1 no longer matches
    // the stack it read.
    let (honest, public) = honest_block_of(&run(&far_memory_programs()[0].0));
    let last = honest.statement.steps() as usize - 1;
    let mut forged = honest.traces.clone();
    forged[0].columns[col::A][last] = Goldilocks::new(crate::cpu::FAR_OFFSET - 1);
    assert!(block_rejected(&forged, &public));
}

#[test]
fn jumps_far_past_the_code_halt_and_cannot_be_faked() {
    // JUMP to 2²², JUMP to 2²⁵⁵, JUMPI to 2⁶⁴ with a condition of 1.
    let mut to_high = vec![0x7f, 0x80];
    to_high.extend([0; 31]);
    to_high.push(0x56);
    let programs = [
        vec![0x63, 0x00, 0x40, 0x00, 0x00, 0x56],
        to_high,
        vec![0x60, 1, 0x68, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0x57],
    ];
    for code in programs {
        let witness = run(&code);
        let error = witness.steps.last().unwrap().error.as_deref();
        assert_eq!(error, Some("InvalidJump"), "{code:x?}");
        assert_halt_is_proven_and_unforgeable(&witness, crate::cpu::HaltKind::FarJump);
        // The halt claimed as a far memory operand's: the verifier has no such row.
        let (honest, _) = honest_block_of(&witness);
        let mut statement = honest.statement.clone();
        statement.halt.as_mut().unwrap().kind = crate::cpu::HaltKind::FarMemory { operand: 0 };
        assert!(statement.halt.unwrap().message().is_none());
        // A code of 2²² bytes could hold the destination: a statement listing one is refused.
        let mut statement = honest.statement.clone();
        statement.codes[0].len = crate::cpu::FAR_OFFSET;
        assert!(crate::evm::Statement::from_bytes(&statement.to_bytes()).is_err());
    }
    // A JUMPI to 2⁶⁴ whose condition is zero does not jump; a JUMP to 2²² − 1 (past the
    // code, but not that far) halts past the code's span
    // (`jumps_past_the_codes_span_halt_and_cannot_be_faked`).
    honest_block_of(&run(&[0x5f, 0x68, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0x57, 0x00]));
    let (near, _) = honest_block_of(&run(&[0x63, 0x00, 0x3f, 0xff, 0xff, 0x56]));
    let halting = near.statement.steps() as usize - 1;
    assert_eq!(
        near.traces[0].columns[col::RESULT][halting],
        Goldilocks::ONE
    );
}

/// Steps (memory-expanding, and EXP) that cannot pay their own cost, with the frame gas that leaves
/// them short: MCOPY of 40 bytes to 64 (21 gas, 20 left), MLOAD at 4096 (419, 100), an
/// empty-memory RETURN of 64 bytes (6, 5), LOG2 of 10 bytes (1,208, 1,000), CALLDATACOPY of
/// 100 bytes (27, 20), MSTORE8 at 1000 (99, 50), REVERT of 1 byte at 31 (3, 2), KECCAK256 and
/// EXP (below).
fn own_cost_halt_programs() -> Vec<(Vec<u8>, u64)> {
    vec![
        (vec![0x60, 40, 0x5f, 0x60, 64, 0x5e], 8 + 20),
        (vec![0x61, 0x10, 0x00, 0x51], 3 + 100),
        (vec![0x60, 64, 0x5f, 0xf3], 5 + 5),
        (vec![0x60, 1, 0x60, 2, 0x60, 10, 0x5f, 0xa2], 11 + 1000),
        (vec![0x60, 100, 0x5f, 0x5f, 0x37], 7 + 20),
        (vec![0x60, 1, 0x61, 0x03, 0xe8, 0x53], 6 + 50),
        (vec![0x60, 1, 0x60, 31, 0xfd], 6 + 2),
        // KECCAK256 of 64 bytes: 30 + 2·6 + 2 words of memory.
        (vec![0x60, 64, 0x5f, 0x20], 5 + 40),
        // 3 ** 256: EXP's 10 + 50 per exponent byte (two), with 60 left.
        (vec![0x61, 0x01, 0x00, 0x60, 0x03, 0x0a], 6 + 60),
    ]
}

#[test]
fn halts_on_a_steps_own_cost_end_the_frame_failed_and_cannot_be_faked() {
    for (code, gas) in own_cost_halt_programs() {
        let witness = crate::test_support::run_with_gas(&code, &[], Some(gas));
        let halting = witness.steps.last().unwrap();
        let error = halting.error.as_deref().unwrap();
        assert!(
            error.contains("OOG") || error == "OutOfGas",
            "{code:x?}: {error}"
        );
        assert!(halting.gas >= 3 || halting.opcode == 0xf3 || halting.opcode == 0xfd);
        assert_halt_is_proven_and_unforgeable(&witness, crate::cpu::HaltKind::DynamicCost);
        // Another opcode named, or the halt claimed as a REVERT with no gas left.
        let honest = build(&witness).unwrap();
        let mut renamed = honest.statement.clone();
        renamed.halt.as_mut().unwrap().opcode ^= 1;
        let mut reverted = honest.statement.clone();
        reverted.halt = None;
        reverted.reverted = true;
        for statement in [renamed, reverted] {
            assert_ne!(
                block_imbalance(&honest.traces, &statement.public_messages()),
                Quadratic::ZERO
            );
        }
    }
    // The same steps with the gas they need run on: flagging their row as a halt is rejected
    // (they can pay), as is flagging a step that expands no memory.
    for (code, gas) in own_cost_halt_programs() {
        let mut code = code.clone();
        code.push(0x00);
        let honest = assert_a_step_that_can_pay_cannot_claim_a_halt(&code, gas + 2000);
        // The first step, a PUSH, flagged: it expands no memory.
        let mut forged = honest.traces.clone();
        forged[0].columns[col::HALT_NEAR][0] = Goldilocks::ONE;
        assert!(check_block(&forged).is_err());
    }
}

#[test]
fn steps_reaching_past_2_16_words_halt_capped_and_cannot_be_faked() {
    // KECCAK256 of 0x2fffff bytes, MLOAD at 0x300000, CALLDATACOPY of 0x2fffff bytes: each
    // reaches past 2¹⁶ words (but not 2²² bytes, a far halt's) with 100,000 gas, short of
    // growing memory to 2¹⁶ − 1 words (8.6 million gas).
    let programs: [&[u8]; 3] = [
        &[0x62, 0x2f, 0xff, 0xff, 0x5f, 0x20],
        &[0x62, 0x30, 0x00, 0x00, 0x51],
        &[0x62, 0x2f, 0xff, 0xff, 0x5f, 0x5f, 0x37],
    ];
    for code in programs {
        let witness = crate::test_support::run_with_gas(code, &[], Some(100_000));
        let error = witness.steps.last().unwrap().error.clone().unwrap();
        assert!(
            error.contains("OOG") || error == "OutOfGas",
            "{code:x?}: {error}"
        );
        assert_halt_is_proven_and_unforgeable(&witness, crate::cpu::HaltKind::DynamicCost);
        let honest = build(&witness).unwrap();
        let last = honest.statement.steps() as usize - 1;
        let cpu = &honest.traces[0].columns;
        assert_eq!(cpu[col::RESULT][last], Goldilocks::ONE, "capped");
        assert_eq!(cpu[col::WORDS][last], Goldilocks::new(MEMORY_CAP_WORDS));
        // Not capped (its remainder then checked against the words), or capped at fewer
        // words (a lower cost): rejected.
        let mut forged = honest.traces.clone();
        forged[0].columns[col::RESULT][last] = Goldilocks::ZERO;
        forged[0].columns[col::FAR_HI][last] = Goldilocks::ZERO;
        assert!(
            check_block(&forged).is_err()
                || block_rejected(&forged, &honest.statement.public_messages())
        );
        let mut forged = honest.traces.clone();
        forged[0].columns[col::WORDS][last] -= Goldilocks::ONE;
        assert!(check_block(&forged).is_err());
    }
    // With 9 million gas, KECCAK256 could pay the capped cost (not its true 19 million):
    // unsupported, not a failure.
    let witness = crate::test_support::run_with_gas(programs[0], &[], Some(9_000_000));
    let error = build(&witness).map(|_| ()).unwrap_err();
    assert!(error.is_unsupported(), "{error}");
    assert!(error.to_string().contains("2^16 words"), "{error}");
}

/// `code` (ending in the step under test and a STOP) run with `gas`, enough for the step:
/// its row flagged as halting on its own cost, with the statement claiming that halt, is
/// rejected. Returns the honest block.
///
/// (Such a forgery also leaves the STOP after the row, which the frame's end already
/// rejects; so the shortfall the row would have to show is checked on its own too: with its
/// proven cost and gas, `static_gas + dyn_gas − gas − 1` is negative, 2³² or more as a field
/// element, which no two 16-bit halves make.)
fn assert_a_step_that_can_pay_cannot_claim_a_halt(code: &[u8], gas: u64) -> crate::evm::EvmBlock {
    let witness = crate::test_support::run_with_gas(code, &[], Some(gas));
    let (honest, _) = honest_block_of(&witness);
    // (The step's last row: before the STOP, or, for a SELFDESTRUCT, the frame's last.)
    let opcode = code[code.len() - 2];
    let last = *rows_of(&honest, opcode).last().unwrap();
    let cpu = &honest.traces[0].columns;
    let short = cpu[col::STATIC_GAS][last] + cpu[col::DYN_GAS][last]
        - cpu[col::GAS][last]
        - Goldilocks::ONE;
    assert!(
        short.as_u64() >= 1 << 32,
        "{code:x?}: a shortfall of {short:?}"
    );
    let mut forged = honest.traces.clone();
    forged[0].columns[col::HALT_NEAR][last] = Goldilocks::ONE;
    let mut statement = honest.statement.clone();
    statement.halt = Some(crate::cpu::Halt {
        opcode,
        kind: crate::cpu::HaltKind::DynamicCost,
    });
    statement.gas_left = 0;
    statement.output.clear();
    statement.logs.clear();
    // (A SELFDESTRUCT's sweep claimed halted, as its forged row's message says.)
    for sweep in &mut statement.transfers {
        sweep.kind = crate::call::TransferKind::HaltedSweep;
    }
    assert!(block_rejected(&forged, &statement.public_messages()));
    honest
}

/// `code`, ending in a storage or account access, run with `gas`, too little for the
/// access's cost: the frame's halt on it is proven and cannot be faked; claiming the slot or
/// account warm (a cost it could pay) or the frame reverted is rejected; and with `extra`
/// more gas the step pays, and its row flagged as a halt is rejected. Returns the honest
/// block.
fn assert_access_short_of_its_cost_is_proven(code: &[u8], gas: u64, extra: u64) -> EvmBlock {
    let witness = crate::test_support::run_with_gas(code, &[], Some(gas));
    let halting = witness.steps.last().unwrap();
    assert_eq!(halting.error.as_deref(), Some("OutOfGas"), "{code:x?}");
    zkevm_evm_spec::checker::check_witness(&witness).unwrap();
    assert_halt_is_proven_and_unforgeable(&witness, crate::cpu::HaltKind::DynamicCost);
    let honest = build(&witness).unwrap();
    let mut warm = honest.statement.clone();
    warm.storage.iter_mut().for_each(|slot| slot.prewarm = true);
    (warm.accounts.iter_mut()).for_each(|account| account.prewarm = true);
    assert_ne!(warm, honest.statement, "{code:x?}: nothing to warm");
    let mut reverted = honest.statement.clone();
    reverted.halt = None;
    reverted.reverted = true;
    for statement in [warm, reverted] {
        assert_ne!(
            block_imbalance(&honest.traces, &statement.public_messages()),
            Quadratic::ZERO
        );
    }
    let mut code = code.to_vec();
    code.push(0x00);
    assert_a_step_that_can_pay_cannot_claim_a_halt(&code, gas + extra);
    honest
}

/// SSTOREs that cannot pay their cost, with the frame gas that leaves them short (above the
/// 2,300-gas stipend): 1 into a cold empty slot (22,100 gas, 5,000 left), and into a slot an
/// SLOAD warmed (20,000 gas, 10,000 left).
fn sstore_short_programs() -> Vec<(Vec<u8>, u64)> {
    vec![
        (vec![0x60, 1, 0x60, 1, 0x55], 6 + 5_000),
        (
            vec![0x60, 1, 0x54, 0x50, 0x60, 1, 0x60, 1, 0x55],
            3 + 2_100 + 2 + 6 + 10_000,
        ),
    ]
}

#[test]
fn a_selfdestruct_short_of_its_cold_access_ends_the_frame_failed_and_cannot_be_faked() {
    // SELFDESTRUCT to a cold account with 6,000 gas after the PUSH20 (revm skips the load);
    // with 30,000 more it pays (the new account's 25,000 too: its account holds a balance to
    // send), and its row flagged as a halt is rejected.
    let mut code = vec![0x73];
    code.extend([0x77; 20]);
    code.push(0xff);
    let honest = assert_access_short_of_its_cost_is_proven(&code, 3 + 6_000, 30_000);
    let sweeps: Vec<_> = (honest.statement.transfers.iter())
        .map(|t| (t.kind, t.fresh, t.value.is_zero()))
        .collect();
    assert_eq!(
        sweeps,
        [(crate::call::TransferKind::HaltedSweep, false, false)]
    );
}

#[test]
fn sstore_short_of_its_cost_ends_the_frame_failed_and_cannot_be_faked() {
    for (code, gas) in sstore_short_programs() {
        assert_access_short_of_its_cost_is_proven(&code, gas, 20_000);
    }
    // At or below the 2,300-gas stipend SSTORE fails before reading its slot (EIP-2200's
    // sentry): a gas halt against its table row's bound of 2,301, whatever the slot holds.
    for left in [0, 2_000, 2_300] {
        let witness =
            crate::test_support::run_with_gas(&[0x60, 1, 0x60, 1, 0x55], &[], Some(6 + left));
        let error = witness.steps.last().unwrap().error.as_deref();
        assert_eq!(error, Some("ReentrancySentryOOG"));
        assert_halt_is_proven_and_unforgeable(&witness, crate::cpu::HaltKind::OutOfGas);
        let halt = crate::cpu::Halt {
            opcode: 0x55,
            kind: crate::cpu::HaltKind::OutOfGas,
        };
        assert_eq!(halt.table_row().map(|row| row.2), Some(2_301));
    }
    // With 2,301 gas left the sentry lets it through (and it halts on its cost instead).
    let witness =
        crate::test_support::run_with_gas(&[0x60, 1, 0x60, 1, 0x55], &[], Some(6 + 2_301));
    let error = witness.steps.last().unwrap().error.as_deref();
    assert_eq!(error, Some("OutOfGas"));
    let (block, _) = honest_block_of(&witness);
    let kind = block.statement.halt.map(|h| h.kind);
    assert_eq!(kind, Some(crate::cpu::HaltKind::DynamicCost));
}

/// Another operand of the far halt `witness` ends with claimed far: the table row names other
/// depths, whose reads or checks fail (or the verifier has no row for it at all).
fn assert_no_other_operand_is_far(witness: &zkevm_evm_spec::witness::Witness, operand: u8) {
    let honest = build(witness).unwrap();
    for other in (0..4).filter(|&o| o != operand) {
        let mut statement = honest.statement.clone();
        statement.halt.as_mut().unwrap().kind = crate::cpu::HaltKind::FarMemory { operand: other };
        assert_ne!(
            block_imbalance(&honest.traces, &statement.public_messages()),
            Quadratic::ZERO,
            "operand {other} claimed far"
        );
    }
}

/// The cells of row `r` of the block's CPU trace.
pub(crate) fn row_of(block: &EvmBlock, r: usize) -> Vec<Goldilocks> {
    cpu_columns(block).iter().map(|c| c[r]).collect()
}

/// The values a CPU row looks up in the 16-bit range table.
pub(crate) fn range16_lookups(row: &[Goldilocks]) -> Vec<Goldilocks> {
    let shapes = Cpu.interactions();
    let mut values = vec![crate::bus::BusValues::new(Goldilocks::ZERO, &[]); shapes.len()];
    Cpu.eval_interactions(row, &mut values);
    (shapes.iter().zip(&values))
        .filter(|(shape, v)| {
            shape.bus == crate::range::RANGE16 && v.multiplicity != Goldilocks::ZERO
        })
        .map(|(_, v)| v.fields[0])
        .collect()
}

/// A row whose operand `A` is one small limb, flagged far by its low limb (a far halt's or a
/// far CALLDATALOAD's): whatever `far_hi` it shows, `A₀ − 2²² − 2¹⁶·far_hi` or `far_hi` is
/// no 16-bit value, so its range lookups fail.
pub(crate) fn assert_no_far_hi_shows_a_small_operand_far(mut row: Vec<Goldilocks>) {
    for far_hi in [0, 1, 0x3f, 0x40, 0xffff, (1 << 16) - (1 << 6)] {
        row[col::FAR_HI] = Goldilocks::new(far_hi);
        let lookups = range16_lookups(&row);
        assert!(
            lookups.iter().any(|v| v.as_u64() >= 1 << 16),
            "far_hi {far_hi:#x}: {lookups:?}"
        );
    }
}

/// Whether a CPU row satisfies every row constraint.
pub(crate) fn row_holds(row: &[Goldilocks]) -> bool {
    let mut out = vec![Goldilocks::ZERO; Cpu.row_degrees().len()];
    Cpu.eval_row(row, &mut out);
    out.iter().all(|v| *v == Goldilocks::ZERO)
}

#[test]
fn returndatacopy_past_the_return_data_halts_and_cannot_be_faked() {
    // With no return data (EIP-211): RETURNDATACOPY(0, 0, 1), one byte past it;
    // RETURNDATACOPY(0, 1, 0), no bytes from past it; RETURNDATACOPY(2²¹, 0, 1), whose reach
    // would also be past memory's limit (its row is capped) but halts on the bounds first.
    let far_dest = [0x60, 0x01, 0x5f, 0x62, 0x20, 0, 0, 0x3e, 0x00];
    for code in [
        &[0x60, 0x01, 0x5f, 0x5f, 0x3e, 0x00][..],
        &[0x5f, 0x60, 0x01, 0x5f, 0x3e, 0x00],
        &far_dest,
    ] {
        let witness = run(code);
        let error = witness.steps.last().unwrap().error.as_deref();
        assert_eq!(error, Some("OutOfOffset"));
        let kind = crate::cpu::HaltKind::ReturnDataOutOfBounds;
        assert_halt_is_proven_and_unforgeable(&witness, kind);
        // The halt shown as a shortfall instead: the step had the gas.
        let (honest, public) = honest_block_of(&witness);
        let last = honest.statement.steps() as usize - 1;
        let mut tampered = honest.traces.clone();
        tampered[0].columns[col::OVERFLOW][last] = Goldilocks::ZERO;
        assert!(block_rejected(&tampered, &public));
    }
    // Operands at 2²² or more, beyond what the row holds in one limb, or a margin of 2³² or
    // more: the far halt's row shows the first such operand (the offset or the size itself,
    // or the destination with a non-zero size). RETURNDATACOPY(0, 2³², 0), (0, 0, 2³²),
    // (0, 2³² − 1, 2³² − 1) and (2⁴⁰, 0, 1) out of bounds; (0, 2²⁵⁶ − 1, 2²⁵⁶ − 1) and
    // (0, 0, 2⁶⁴), sizes revm refuses as machine words first (InvalidOperandOOG: a halt all
    // the same, and its offset or size is out of bounds too).
    let push5 = |high: u8| [0x64, high, 0, 0, 0, 0];
    let all_ones = [0x5f, 0x19];
    let far_cases: [(Vec<u8>, u8, &str); 6] = [
        ([&[0x5f][..], &push5(1), &[0x5f]].concat(), 1, "OutOfOffset"),
        ([&push5(1)[..], &[0x5f, 0x5f]].concat(), 2, "OutOfOffset"),
        (
            [
                &[0x63, 0xff, 0xff, 0xff, 0xff][..],
                &[0x63, 0xff, 0xff, 0xff, 0xff, 0x5f],
            ]
            .concat(),
            1,
            "OutOfOffset",
        ),
        (
            vec![0x60, 1, 0x5f, 0x65, 1, 0, 0, 0, 0, 0],
            0,
            "OutOfOffset",
        ),
        (
            [&all_ones[..], &all_ones, &[0x5f]].concat(),
            1,
            "InvalidOperandOOG",
        ),
        (
            [&[0x68, 1, 0, 0, 0, 0, 0, 0, 0, 0][..], &[0x5f, 0x5f]].concat(),
            2,
            "InvalidOperandOOG",
        ),
    ];
    for (mut code, operand, error) in far_cases {
        code.extend([0x3e, 0x00]);
        let witness = run(&code);
        let halted = witness.steps.last().unwrap();
        assert_eq!(
            (halted.opcode, halted.error.as_deref()),
            (0x3e, Some(error))
        );
        let kind = crate::cpu::HaltKind::FarMemory { operand };
        assert_halt_is_proven_and_unforgeable(&witness, kind);
        assert_no_other_operand_is_far(&witness, operand);
    }
    // RETURNDATACOPY(0, 2³², 0)'s far row with its offset made 1 (one limb, no high limb
    // claimed): whatever `far_hi` it shows, `A₀ − 2²² − 2¹⁶·far_hi` or `far_hi` is no 16-bit
    // value, so a small offset cannot pass for a far one.
    let (far, _) = honest_block_of(&run(&[0x5f, 0x64, 1, 0, 0, 0, 0, 0x5f, 0x3e, 0x00]));
    let last = far.statement.steps() as usize - 1;
    let mut row = row_of(&far, last);
    row[col::A..col::A + crate::cpu::LIMBS].fill(Goldilocks::ZERO);
    row[col::A] = Goldilocks::ONE;
    row[col::FAR_HIGH_LIMBS] = Goldilocks::ZERO;
    row[col::C] = Goldilocks::ZERO;
    assert!(row_holds(&row));
    assert_no_far_hi_shows_a_small_operand_far(row);
    // RETURNDATACOPY(2²², 0, 0) copies nothing and succeeds: no halt to prove.
    let (empty, _) = honest_block_of(&run(&[0x5f, 0x5f, 0x62, 0x40, 0, 0, 0x3e, 0x00]));
    assert_eq!(empty.statement.halt, None);
    assert_eq!(rows_of(&empty, 0x3e).len(), 1);
    // A copy ending exactly at the return data's end, claimed past it: RETURNDATACOPY(0, 0, 1)'s
    // halting row with its size made 0. Its margin `offset + size − rd_size − 1` is −1, which
    // no 16-bit range lookup takes.
    let (honest, _) = honest_block_of(&run(&[0x60, 0x01, 0x5f, 0x5f, 0x3e, 0x00]));
    let last = honest.statement.steps() as usize - 1;
    let mut row = row_of(&honest, last);
    row[col::C] = Goldilocks::ZERO;
    let margins = range16_lookups(&row);
    assert!(
        margins.contains(&(Goldilocks::ZERO - Goldilocks::ONE)),
        "{margins:?}"
    );
    // RETURNDATACOPY(0, 0, 0) is in bounds: it executes, and the next step halts.
    let (block, _) = honest_block_of(&run(&[0x5f, 0x5f, 0x5f, 0x3e, 0xfe]));
    assert_eq!(block.statement.halt.map(|h| h.opcode), Some(0xfe));
}

#[test]
fn invalid_opcodes_end_the_frame_failed_and_cannot_be_faked() {
    // INVALID first, INVALID after a PUSH, two undefined opcodes.
    for code in [
        vec![0xfe],
        vec![0x60, 1, 0xfe],
        vec![0x0c],
        vec![0x5f, 0x21],
    ] {
        assert_halt_is_proven_and_unforgeable(&run(&code), crate::cpu::HaltKind::Invalid);
    }
    // A defined opcode claimed invalid: the STOP of PUSH1 1 STOP, its row turned into an
    // invalid halt. The verifier has no table row for it, so the bus cannot balance.
    let honest = block(&[0x60, 1, 0x00]);
    let mut forged = honest.traces.clone();
    let cpu = &mut forged[0].columns;
    cpu[Family::Stop.selector()][1] = Goldilocks::ZERO;
    cpu[Family::HaltInvalid.selector()][1] = Goldilocks::ONE;
    let halt = crate::cpu::Halt {
        opcode: 0x00,
        kind: crate::cpu::HaltKind::Invalid,
    };
    assert!(halt.message().is_none());
    let mut statement = honest.statement.clone();
    statement.halt = Some(halt);
    statement.opcode_counts.retain(|(op, _)| *op != 0x00);
    statement.gas_left = 0;
    assert!(block_rejected(&forged, &statement.public_messages()));
    // Such a statement does not even parse: a halt without its table row, or with gas left
    // or output, could stand in for the frame's real end.
    assert!(crate::evm::Statement::from_bytes(&statement.to_bytes()).is_err());
    // Nor does one listing such a halt for a callee.
    let mut statement = honest.statement.clone();
    statement.sub_halts.push(halt);
    assert!(crate::evm::Statement::from_bytes(&statement.to_bytes()).is_err());
    let halted = block(&[0xfe]);
    assert!(crate::evm::Statement::from_bytes(&halted.statement.to_bytes()).is_ok());
    let mut with_gas = halted.statement.clone();
    with_gas.gas_left = 1;
    let mut with_output = halted.statement.clone();
    with_output.output = vec![1];
    for statement in [with_gas, with_output] {
        assert!(crate::evm::Statement::from_bytes(&statement.to_bytes()).is_err());
    }
}

/// The witness's frame ends with a `kind` halt: the block proves it, and claiming success or
/// gas left, or changing any cell of the halting row, is rejected.
fn assert_halt_is_proven_and_unforgeable(
    witness: &zkevm_evm_spec::witness::Witness,
    kind: crate::cpu::HaltKind,
) {
    let (honest, public) = honest_block_of(witness);
    assert_eq!(honest.statement.gas_left, 0);
    assert_eq!(honest.statement.halt.map(|h| h.kind), Some(kind));
    // Claiming success, or gas left, is rejected.
    let mut statement = honest.statement.clone();
    statement.halt = None;
    assert_ne!(
        block_imbalance(&honest.traces, &statement.public_messages()),
        Quadratic::ZERO
    );
    let mut statement = honest.statement.clone();
    statement.gas_left = 1;
    assert_ne!(
        block_imbalance(&honest.traces, &statement.public_messages()),
        Quadratic::ZERO
    );
    // Every cell of the halting row, changed.
    let last = honest.statement.steps() as usize - 1;
    for column in 0..Cpu::COLUMNS.len() {
        // A frame whose only step halts sends no access: its counter base is free.
        if last == 0 && column == col::CTR {
            continue;
        }
        let mut tampered = honest.traces.clone();
        tampered[0].columns[column][last] += Goldilocks::ONE;
        assert!(
            block_rejected(&tampered, &public),
            "{} of the halt accepted",
            Cpu::COLUMNS[column]
        );
    }
}

/// BLOBHASH(0), BLOBHASH(1) and BLOBHASH(2), stored in slots 1–3, in a blob transaction
/// carrying two hashes.
fn blob_hash_witness() -> (zkevm_evm_spec::witness::Witness, [Word; 2]) {
    let hashes = [0x11u8, 0x22].map(|b| {
        let mut h = [b; 32];
        h[0] = 0x01; // the KZG version byte
        h
    });
    let mut code = Vec::new();
    for i in 0..3u8 {
        code.extend([0x60, i, 0x49, 0x60, i + 1, 0x55]);
    }
    code.push(0x00);
    let mut setup = zkevm_evm_spec::exec::call_setup(&code, &[]);
    setup.tx.tx_type = 3;
    setup.tx.blob_hashes = hashes.iter().map(|&h| h.into()).collect();
    setup.tx.max_fee_per_blob_gas = 1_000_000_000;
    let (_, witness) =
        zkevm_evm_spec::exec::execute_traced(&mut setup.db, &setup.block, &setup.chain, setup.tx)
            .expect("execution");
    (witness, hashes.map(Word::from_be_bytes))
}

#[test]
fn blob_hashes_are_the_statements_and_cannot_be_faked() {
    let (witness, hashes) = blob_hash_witness();
    let (honest, public) = honest_block_of(&witness);
    assert_eq!(honest.statement.blob_hashes, hashes);
    let stored: Vec<Word> = (1..=3)
        .map(|slot| {
            let s = (honest.statement.storage.iter())
                .find(|s| storage::word_of(&s.key.1) == Word::from(slot))
                .unwrap();
            storage::word_of(&s.post)
        })
        .collect();
    assert_eq!(stored, [hashes[0], hashes[1], Word::ZERO]);
    // Other hashes, one fewer, or the index read past the end claimed as a hash.
    let mut other = honest.statement.clone();
    other.blob_hashes[1] = Word::from(5);
    let mut fewer = honest.statement.clone();
    fewer.blob_hashes.pop();
    let mut longer = honest.statement.clone();
    longer.blob_hashes.push(Word::from(7));
    for statement in [other, fewer, longer] {
        assert_ne!(
            block_imbalance(&honest.traces, &statement.public_messages()),
            Quadratic::ZERO
        );
    }
    // The BLOBHASH rows' cells, changed.
    let rows: Vec<usize> = rows_of(&honest, 0x49);
    crate::test_support::assert_changed_cells_rejected(
        &honest.traces,
        &public,
        0,
        Cpu::COLUMNS,
        &rows,
    );
}

#[test]
fn unsupported_programs_name_what_is_missing() {
    // A PUSH32 at index 120 reads up to index 152, past the 136 rows of the code's padding
    // (a PUSH reading only the padding's zeros proves).
    let mut past_padding = vec![0x5b; 120];
    past_padding.push(0x7f);
    let mut high_address = vec![0x5f, 0x5f, 0x5f, 0x74, 0x01];
    high_address.extend([0; 20]);
    high_address.extend([0x3c, 0x00]);
    let cases: [(&[u8], &str); 2] = [
        // EXTCODECOPY(2¹⁶⁰, 0, 0, 0).
        (
            &high_address,
            "EXTCODECOPY of an address word with bits above its 160",
        ),
        (&past_padding, "past the end of the code's padding"),
    ];
    for (code, what) in cases {
        let error = build(&run(code)).unwrap_err();
        assert!(error.is_unsupported(), "{error}");
        assert!(error.to_string().contains(what), "{error}");
    }
    // EXTCODECOPY(ECRECOVER, 0, 0, 0) proves: the precompile's account holds no code.
    let (block, _) = honest_block_of(&run(&[0x5f, 0x5f, 0x5f, 0x60, 0x01, 0x3c, 0x00]));
    let mut ecrecover = [0u8; 20];
    ecrecover[19] = 1;
    let entries = [(ecrecover, crate::evm::NO_CODE, 1)];
    assert_eq!(block.statement.ext_codes, entries);
}

/// MUL wrapping past 2²⁵⁶, DIV, MOD, their division by zero, SHL, SHR, SAR of a negative
/// word, shifts by 256 or more, SDIV and SMOD of a negative word, BYTE, CLZ; each result
/// stored in its own slot.
fn muldiv_program() -> (Vec<u8>, Vec<Word>) {
    let big = Word::from_be_bytes(std::array::from_fn::<u8, 32, _>(|i| {
        (i as u8).wrapping_mul(29) ^ 0xc3
    }));
    let small = Word::from(0x0123_4567_89abu64);
    let cases: [(u8, Word, Word); 14] = [
        (0x02, big, big),                       // MUL
        (0x04, big, small),                     // DIV
        (0x06, big, small),                     // MOD
        (0x04, big, Word::ZERO),                // DIV by zero
        (0x06, big, Word::ZERO),                // MOD by zero
        (0x1b, Word::from(77), big),            // SHL(77, big)
        (0x1c, Word::from(100), big),           // SHR(100, big)
        (0x1d, Word::from(100), big),           // SAR(100, big): big is negative
        (0x1d, Word::from(256), big),           // SAR by 256: −1
        (0x1c, Word::from(1) << 70, Word::MAX), // SHR by 2⁷⁰: 0
        (0x05, big, Word::MAX - Word::from(8)), // SDIV(big, −9), big negative
        (0x07, big, small),                     // SMOD(big, small): negative
        (0x1a, Word::from(3), big),             // BYTE(3, big)
        (0x1a, Word::from(32), big),            // BYTE(32, big): 0
    ];
    let mut code = Vec::new();
    let mut expected = Vec::new();
    for (slot, (opcode, top, below)) in cases.into_iter().enumerate() {
        // PUSH32 below, PUSH32 top, op, PUSH1 slot + 1, SSTORE
        for word in [below, top] {
            code.push(0x7f);
            code.extend(word.to_be_bytes::<32>());
        }
        code.extend([opcode, 0x60, slot as u8 + 1, 0x55]);
        let op = crate::alu::AluOp {
            opcode,
            a: crate::rw::limbs(&top),
            b: crate::rw::limbs(&below),
        };
        expected.push(storage::word_of(&op.result().unwrap()));
    }
    // CLZ (unary) of a 179-bit word and of 0: 77 and 256.
    for (slot, word) in [(15u8, big >> 77), (16, Word::ZERO)] {
        code.push(0x7f);
        code.extend(word.to_be_bytes::<32>());
        code.extend([0x1e, 0x60, slot, 0x55]);
        expected.push(Word::from(word.leading_zeros()));
    }
    code.push(0x00);
    (code, expected)
}

/// The block of a program that stores result `i` in slot `i + 1`: its constraints hold, it
/// balances with its public messages, and each slot ends holding `expected[i]` (a slot whose
/// result is zero keeps no post value).
fn block_storing(code: &[u8], expected: &[Word]) -> (EvmBlock, Vec<PublicMessage>) {
    let (block, public) = honest_block(code);
    for (slot, value) in expected.iter().enumerate() {
        let stored = (block.statement.storage.iter())
            .find(|s| storage::word_of(&s.key.1) == Word::from(slot + 1))
            .map_or(Word::ZERO, |s| storage::word_of(&s.post));
        assert_eq!(stored, *value, "slot {}", slot + 1);
    }
    (block, public)
}

#[test]
fn muldiv_results_are_proven() {
    let (code, expected) = muldiv_program();
    let (block, public) = block_storing(&code, &expected);
    assert_eq!(expected[8], Word::MAX);
    assert_eq!(expected[3], Word::ZERO);
    let ids: Vec<_> = block.traces.iter().map(|t| t.id).collect();
    assert!(ids.contains(&crate::ComponentId::MulDiv));
    assert_eq!(expected[14..], [Word::from(77), Word::from(256)]);
    // BYTE(3, ·) of the program's word, and BYTE(32, ·) = 0.
    assert_eq!(expected[13], Word::ZERO);
    assert!(expected[12] < Word::from(256));
    changed_third_words_are_rejected(
        &block,
        &public,
        &[0x02, 0x04, 0x05, 0x06, 0x07, 0x1a, 0x1b, 0x1c, 0x1d, 0x1e],
    );
}

/// MCOPY forwards and backwards over overlapping ranges, from a source above the destination
/// that grows memory to its end, of zero bytes at far offsets, and across unwritten memory;
/// MSIZE and the memory words stored after each.
/// Empty MCOPY, CALLDATACOPY and CODECOPY between offsets far beyond memory (2²⁵⁵ − 1 and
/// 2²⁰⁸ + 5), then an empty RETURN from 2⁶⁴: none touches memory, so none costs expansion.
fn empty_far_operations_program() -> Vec<u8> {
    let mut far_dest = vec![0x7f, 0x7f];
    far_dest.extend([0xff; 31]);
    let mut far_src = vec![0x7a, 0x01]; // PUSH27 2²⁰⁸ + 5
    far_src.extend([0u8; 25]);
    far_src.push(5);
    let mut code = Vec::new();
    for opcode in [0x5e, 0x37, 0x39] {
        code.push(0x5f); // size 0
        code.extend(&far_src);
        code.extend(&far_dest);
        code.push(opcode);
    }
    code.extend([0x5f, 0x68, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0xf3]); // RETURN(2⁶⁴, 0)
    code
}

#[test]
fn empty_copies_and_returns_may_point_anywhere_and_others_may_not() {
    let (honest, _) = honest_block(&empty_far_operations_program());
    assert!(honest.statement.output.is_empty());
    let rows = |opcode| rows_of(&honest, opcode)[0];
    let cpu = &honest.traces[0].columns;
    assert_eq!(cpu[col::MSIZE][rows(0xf3)], Goldilocks::ZERO);
    assert_ne!(cpu[col::A + 7][rows(0x5e)], Goldilocks::ZERO);
    assert_ne!(cpu[col::B + 6][rows(0x37)], Goldilocks::ZERO);
    // A non-empty copy's source offset, and RETURN's size, must fit one limb: a size of 2³²
    // would pass for 0 otherwise (a RETURN that runs out of gas proven as an empty one).
    let (copying, _) = honest_block(&[0x60, 1, 0x5f, 0x5f, 0x37, 0x00]); // CALLDATACOPY(0, 0, 1)
    let mut far_source = copying.traces.clone();
    far_source[0].columns[col::B + 1][3] = Goldilocks::ONE;
    assert!(check_block(&far_source).is_err());
    let (returning, _) = honest_block(&[0x5f, 0x5f, 0xf3]); // RETURN(0, 0)
    let mut huge_size = returning.traces.clone();
    huge_size[0].columns[col::B + 1][2] = Goldilocks::ONE;
    assert!(check_block(&huge_size).is_err());
    // A non-empty copy to a far destination.
    let mut far_dest = copying.traces.clone();
    far_dest[0].columns[col::A + 1][3] = Goldilocks::ONE;
    assert!(check_block(&far_dest).is_err());
}

/// Memory words 0 and 1 set to all ones, then CALLDATACOPY and CODECOPY of 5 bytes from offset
/// 2⁴⁰ + 1 (high limbs set, low limb 1, so a copy that ignored the high limbs would copy real
/// bytes) over their first bytes, each word then stored.
fn far_source_copy_program() -> Vec<u8> {
    let far = [0x65, 0x01, 0, 0, 0, 0, 0x01]; // PUSH6 2⁴⁰ + 1
    let mut code = vec![0x5f, 0x19, 0x5f, 0x52, 0x5f, 0x19, 0x60, 32, 0x52];
    code.extend([0x60, 5]);
    code.extend(far);
    code.extend([0x5f, 0x37]); // CALLDATACOPY(0, 2⁴⁰ + 1, 5)
    code.extend([0x60, 5]);
    code.extend(far);
    code.extend([0x60, 32, 0x39]); // CODECOPY(32, 2⁴⁰ + 1, 5)
    code.extend([0x5f, 0x51, 0x60, 1, 0x55]); // SSTORE(1, MLOAD(0))
    code.extend([0x60, 32, 0x51, 0x60, 2, 0x55, 0x00]); // SSTORE(2, MLOAD(32)) STOP
    code
}

#[test]
fn copies_from_beyond_2_32_copy_zeros_and_cannot_be_faked() {
    let calldata: Vec<u8> = (1..=40u8).collect();
    let (block, public) = honest_block_of(&run_with(&far_source_copy_program(), &calldata));
    let posts: Vec<Word> = (block.statement.storage.iter())
        .map(|s| storage::word_of(&s.post))
        .collect();
    let five_zero_bytes = (Word::from(1) << 216) - Word::from(1);
    assert_eq!(posts, [five_zero_bytes; 2], "both copies wrote five zeros");
    let cpu = cpu_columns(&block);
    for opcode in [0x37, 0x39] {
        let row = rows_of(&block, opcode)[0];
        assert_eq!(cpu[col::SRC_FAR][row], Goldilocks::ONE);
        // Each cell of the far-source proof, and the high limb that justifies it.
        for column in [col::SRC_FAR, col::SRC_FAR_INV, col::COPY_SRC, col::B + 5] {
            let mut forged = block.traces.clone();
            forged[0].columns[column][row] += Goldilocks::ONE;
            assert!(
                block_rejected(&forged, &public),
                "column {column}, opcode {opcode:#x}"
            );
        }
        // Dropping the flag (and its inverse): the high limbs must then be zero.
        let mut forged = block.traces.clone();
        forged[0].columns[col::SRC_FAR][row] = Goldilocks::ZERO;
        forged[0].columns[col::SRC_FAR_INV][row] = Goldilocks::ZERO;
        forged[0].columns[col::COPY_SRC][row] = Goldilocks::ONE;
        assert!(
            block_rejected(&forged, &public),
            "opcode {opcode:#x} unflagged"
        );
    }
    // The flag on a copy from a small offset: its high limbs are zero, nothing inverts them.
    let (near, near_public) =
        honest_block_of(&run_with(&[0x60, 1, 0x5f, 0x5f, 0x37, 0x00], &calldata));
    let row = rows_of(&near, 0x37)[0];
    let mut forged = near.traces.clone();
    forged[0].columns[col::SRC_FAR][row] = Goldilocks::ONE;
    forged[0].columns[col::COPY_SRC][row] = Goldilocks::new(crate::copy::FAR_SOURCE);
    assert!(block_rejected(&forged, &near_public));
}

#[test]
fn an_extcodecopy_of_a_precompile_halting_on_its_cost_pays_it_warm() {
    // EXTCODECOPY(ECRECOVER, 0, 0, 2²⁰) with 100,000 gas: the copy and the expansion cost
    // more. The precompile is warm from the transaction's start (EIP-2929), so the row
    // prices its access at 100, not 2,600 (the step records no access of its own).
    let code = [
        0x63, 0x00, 0x10, 0x00, 0x00, 0x5f, 0x5f, 0x60, 0x01, 0x3c, 0x00,
    ];
    let witness = crate::test_support::run_with_gas(&code, &[], Some(100_000));
    let halted = witness.steps.last().unwrap();
    assert_eq!(
        (halted.opcode, halted.error.as_deref()),
        (0x3c, Some("MemoryOOG"))
    );
    assert_halt_is_proven_and_unforgeable(&witness, crate::cpu::HaltKind::DynamicCost);
    let (block, _) = honest_block_of(&witness);
    let row = rows_of(&block, 0x3c)[0];
    assert_eq!(
        cpu_columns(&block)[col::OVERFLOW][row],
        Goldilocks::ZERO,
        "priced warm"
    );
}

#[test]
fn only_a_callees_calldatacopy_shows_a_far_source_by_its_low_limb() {
    // The transaction's CALLDATACOPY(0, 2²², 1) and CODECOPY(0, 2²², 1), and a cold
    // EXTCODECOPY(ECRECOVER, 0, 22, 1), each row made a far source shown by its low limb
    // (`B₀ − 2²²` in the margin; for EXTCODECOPY its cold flag would enter that margin too, so
    // a small `B₀` could pass): the row constraints refuse `src_far_low` there.
    let from_2_22 = [0x62, 0x40, 0, 0];
    let mut cases: Vec<(Vec<u8>, u8)> = Vec::new();
    for opcode in [0x37, 0x39] {
        let code = [&[0x60, 1][..], &from_2_22, &[0x5f, opcode, 0x00]].concat();
        cases.push((code, opcode));
    }
    cases.push((vec![0x60, 1, 0x60, 22, 0x5f, 0x60, 1, 0x3c, 0x00], 0x3c));
    for (code, opcode) in cases {
        let (block, _) = honest_block_of(&run(&code));
        let r = rows_of(&block, opcode)[0];
        let mut row = row_of(&block, r);
        assert!(row_holds(&row), "opcode {opcode:#x}");
        row[col::SRC_FAR] = Goldilocks::ONE;
        row[col::SRC_FAR_LOW] = Goldilocks::ONE;
        row[col::SRC_FAR_INV] = Goldilocks::ZERO;
        row[col::COPY_SRC] = Goldilocks::new(crate::copy::FAR_SOURCE);
        row[col::MARGIN_HI] = Goldilocks::ZERO;
        assert!(
            !row_holds(&row),
            "opcode {opcode:#x} flagged far by its low limb"
        );
    }
}

fn mcopy_program() -> Vec<u8> {
    let mut code = vec![0x7f];
    code.extend((0..32u8).map(|i| i.wrapping_mul(41) ^ 0x3c));
    code.extend([0x5f, 0x52]); // MSTORE(0, pattern)
    let mcopy = |dest: u8, src: u8, size: u8| [0x60, size, 0x60, src, 0x60, dest, 0x5e];
    code.extend(mcopy(5, 0, 20)); // forwards, overlapping
    code.extend(mcopy(1, 9, 17)); // backwards, overlapping
    code.extend(mcopy(2, 90, 7)); // from unwritten memory above: grows to 97 bytes
    code.extend([0x60, 0, 0x63, 0xff, 0xff, 0xff, 0xf0, 0x60, 0xff, 0x5e]); // empty, far away
    for (slot, offset) in [(1u8, 0u8), (2, 32), (3, 65)] {
        code.extend([0x60, offset, 0x51, 0x60, slot, 0x55]); // SSTORE(slot, MLOAD(offset))
    }
    code.extend([0x59, 0x60, 4, 0x55, 0x00]); // SSTORE(4, MSIZE) STOP
    code
}

#[test]
fn mcopy_moves_memory_as_memmove_and_grows_it() {
    let (block, public) = honest_block(&mcopy_program());
    // The expected memory, by plain slice moves.
    let mut memory = [0u8; 160];
    for (i, byte) in memory[..32].iter_mut().enumerate() {
        *byte = (i as u8).wrapping_mul(41) ^ 0x3c;
    }
    memory.copy_within(0..20, 5);
    memory.copy_within(9..26, 1);
    memory.copy_within(90..97, 2);
    let word = |at: usize| Word::from_be_slice(&memory[at..at + 32]);
    let post = |slot: u64| {
        (block.statement.storage.iter())
            .find(|s| storage::word_of(&s.key.1) == Word::from(slot))
            .map_or(Word::ZERO, |s| storage::word_of(&s.post))
    };
    assert_eq!(post(1), word(0));
    assert_eq!(post(2), word(32));
    assert_eq!(post(3), word(65));
    // MCOPY(2, 90, 7) reaches byte 97: 4 words; MLOAD(65) then reaches 97 too.
    assert_eq!(post(4), Word::from(128));
    // Claiming the destination as the larger offset of MCOPY(2, 90, 7) under-charges the
    // memory growth: the margin it implies is negative and leaves 16 bits.
    let rows = rows_of(&block, 0x5e);
    assert_eq!(rows.len(), 4);
    let third = rows[2];
    assert_eq!(cpu_columns(&block)[col::SRC_HIGHER][third], Goldilocks::ONE);
    let mut forged = block.traces.clone();
    forged[0].columns[col::SRC_HIGHER][third] = Goldilocks::ZERO;
    assert!(block_rejected(&forged, &public));
    // Every cell of the Copy table's MCOPY rows (and of its first padding row's flags).
    let copy = block
        .traces
        .iter()
        .position(|t| t.id == crate::ComponentId::Copy)
        .unwrap();
    let copy_columns = &block.traces[copy].columns;
    let live = (copy_columns[crate::copy::col::LIVE].iter())
        .filter(|v| **v == Goldilocks::ONE)
        .count();
    assert_eq!(live, 20 + 17 + 7);
    for (column, name) in crate::copy::Copy::COLUMNS.iter().enumerate() {
        for row in 0..=live {
            let flag = [crate::copy::col::LIVE, crate::copy::col::FIRST].contains(&column);
            if row == live && !flag {
                continue;
            }
            let mut forged = block.traces.clone();
            forged[copy].columns[column][row] += Goldilocks::ONE;
            assert!(block_rejected(&forged, &public), "{name} at row {row}");
        }
    }
}

/// ADDMOD overflowing 2²⁵⁶, MULMOD of two large words, both modulo 0; each result stored in
/// its own slot, and the expected results.
fn modular_program() -> (Vec<u8>, Vec<Word>) {
    let big = Word::from_be_bytes(std::array::from_fn::<u8, 32, _>(|i| {
        (i as u8).wrapping_mul(53) ^ 0x7e
    }));
    let n = Word::from(0xfedc_ba98_7654_3211u64) << 64 | Word::from(5);
    // (opcode, a, b, n): ADDMOD overflowing 2²⁵⁶, MULMOD of two large words, both mod 0.
    let cases = [
        (0x08, Word::MAX, big, n),
        (0x09, big, Word::MAX - Word::from(3), n),
        (0x08, big, big, Word::ZERO),
        (0x09, big, big, Word::ZERO),
    ];
    let mut code = Vec::new();
    let mut expected = Vec::new();
    for (slot, (opcode, a, b, n)) in cases.into_iter().enumerate() {
        // PUSH32 n, PUSH32 b, PUSH32 a, op, PUSH1 slot + 1, SSTORE
        for word in [n, b, a] {
            code.push(0x7f);
            code.extend(word.to_be_bytes::<32>());
        }
        code.extend([opcode, 0x60, slot as u8 + 1, 0x55]);
        expected.push(match opcode {
            0x08 => a.add_mod(b, n),
            _ => a.mul_mod(b, n),
        });
    }
    code.push(0x00);
    (code, expected)
}

#[test]
fn modular_results_are_written_by_their_table() {
    let (code, expected) = modular_program();
    let (block, public) = block_storing(&code, &expected);
    assert!(!expected[0].is_zero() && !expected[1].is_zero());
    // The third operand the CPU sends, changed, no longer matches the table's row.
    changed_third_words_are_rejected(&block, &public, &[0x09]);
    let modular = (block.traces.iter())
        .position(|t| t.id == crate::ComponentId::Modular)
        .unwrap();
    let mut forged = block.traces.clone();
    forged[modular].columns[crate::modular::col::R][1] += Goldilocks::ONE;
    assert!(block_rejected(&forged, &public));
}

/// EXP and SIGNEXTEND cases `(opcode, top, below)`: a few, cheap enough for the every-cell
/// tamper test.
fn small_exp_signextend_cases() -> Vec<(u8, Word, Word)> {
    vec![
        (0x0a, Word::from(3), Word::from(5)),           // 3⁵
        (0x0a, Word::from(7), Word::ZERO),              // 7⁰ = 1, no gas per byte
        (0x0b, Word::ZERO, Word::from(0x1234_5680u64)), // sign of 0x80: negative
        (0x0b, Word::from(40), Word::from(0xff)),       // index ≥ 31: unchanged
    ]
}

/// Each case run and its result stored in its own slot; the expected results.
fn exp_signextend_program(cases: &[(u8, Word, Word)]) -> (Vec<u8>, Vec<Word>) {
    let mut code = Vec::new();
    let mut expected = Vec::new();
    for (slot, &(opcode, top, below)) in cases.iter().enumerate() {
        for word in [below, top] {
            code.push(0x7f);
            code.extend(word.to_be_bytes::<32>());
        }
        code.extend([opcode, 0x60, slot as u8 + 1, 0x55]);
        expected.push(match opcode {
            0x0a => top.pow(below),
            _ if top >= Word::from(31) => below,
            _ => {
                let bit = 8 * top.to::<usize>() + 7;
                let low = (Word::from(1) << (bit + 1)) - Word::from(1);
                if below.bit(bit) {
                    below | !low
                } else {
                    below & low
                }
            }
        });
    }
    code.push(0x00);
    (code, expected)
}

#[test]
fn exp_and_signextend_results_and_gas_are_proven() {
    let big = Word::from_be_bytes(std::array::from_fn::<u8, 32, _>(|i| {
        (i as u8).wrapping_mul(71) ^ 0x39
    }));
    let mut cases = small_exp_signextend_cases();
    cases.extend([
        (0x0a, big, Word::from(0x1_0001)),      // three exponent bytes
        (0x0a, Word::from(2), Word::from(256)), // 2²⁵⁶ wraps to 0
        (0x0a, big, Word::MAX),                 // 32 bytes, 1,600 gas
        (0x0b, Word::from(30), big),
        (0x0b, Word::from(13), big),
        (0x0b, Word::from(13), !big),
    ]);
    let (code, expected) = exp_signextend_program(&cases);
    let (block, public) = block_storing(&code, &expected);
    assert_eq!(expected[5], Word::ZERO);
    let ids: Vec<_> = block.traces.iter().map(|t| t.id).collect();
    for id in [crate::ComponentId::Exp, crate::ComponentId::SignExtend] {
        assert!(ids.contains(&id), "{id:?}");
    }
    // EXP by MAX charges 32 × 50 dynamic gas.
    let max_row = rows_of(&block, 0x0a)[4];
    assert_eq!(
        block.traces[0].columns[col::DYN_GAS][max_row],
        Goldilocks::new(1600)
    );
    assert_eq!(
        block.traces[0].columns[col::GAS_UNITS][max_row],
        Goldilocks::new(32)
    );
    changed_third_words_are_rejected(&block, &public, &[0x0a, 0x0b]);
}

/// Every table of [`two_segments`]' chimera satisfies its constraints. Not [`check_block`]: the
/// chimera holds both blocks' Keccak tables, each counting its passes from 0 as in the block it
/// came from (their tags balance only because both blocks' sponges number their permutations
/// from 0 too), so each is checked at shard offset 0.
fn two_segments_hold(traces: &[ComponentTrace]) -> bool {
    traces.iter().all(|t| {
        crate::with_component!(t.id, C => crate::check::check_constraints(&C::default(), &t.columns))
            .is_ok()
    })
}

/// The CPU table of two blocks' frames, one segment after the other, then padding; every
/// other table of both blocks, and both statements' messages.
fn two_segments(first: &EvmBlock, second: &EvmBlock) -> Vec<ComponentTrace> {
    let live = |b: &EvmBlock| b.statement.steps() as usize;
    let rows = crate::component::padded_len(live(first) + live(second));
    let columns = (cpu_columns(first).iter().zip(cpu_columns(second)))
        .map(|(a, b)| {
            let mut column = a[..live(first)].to_vec();
            column.extend_from_slice(&b[..live(second)]);
            column.resize(rows, Goldilocks::ZERO);
            column
        })
        .collect();
    let mut traces = vec![ComponentTrace {
        id: crate::ComponentId::Cpu,
        columns,
    }];
    traces.extend(first.traces[1..].iter().cloned());
    traces.extend(second.traces[1..].iter().cloned());
    traces
}

#[test]
fn a_cpu_table_holds_one_segment_per_frame_each_bound_to_its_start_and_stop() {
    // Two frames in one table: an SSTORE program and one ending in a halt on its own cost.
    let (storing, storing_public) = honest_block(&storage_program());
    let (code, gas) = own_cost_halt_programs().remove(0);
    let (halting, halting_public) =
        honest_block_of(&crate::test_support::run_with_gas(&code, &[], Some(gas)));
    let traces = two_segments(&storing, &halting);
    let public: Vec<PublicMessage> = (storing_public.iter().chain(&halting_public))
        .cloned()
        .collect();
    assert!(two_segments_hold(&traces));
    assert_eq!(block_imbalance(&traces, &public), Quadratic::ZERO);
    let boundary = storing.statement.steps() as usize;

    // The second segment must start: without `first`, its registers would have to follow
    // the first segment's STOP.
    let mut columns = traces[0].columns.clone();
    columns[col::FIRST][boundary] = Goldilocks::ZERO;
    let mut forged = traces.clone();
    forged[0].columns = columns;
    assert!(!two_segments_hold(&forged) || block_imbalance(&forged, &public) != Quadratic::ZERO);

    // Each segment consumes its own start and stop: without the second frame's (or with
    // its counters moved), the bus does not balance.
    let without: Vec<PublicMessage> = storing_public
        .iter()
        .chain(&halting_public)
        .filter(|m| m.bus != FRAME || storing_public.contains(m))
        .cloned()
        .collect();
    assert_ne!(block_imbalance(&traces, &without), Quadratic::ZERO);
    let mut later = halting.statement.clone();
    later.ctr_end += 1;
    let moved: Vec<PublicMessage> = (storing_public.iter().cloned())
        .chain(later.public_messages())
        .collect();
    assert_ne!(block_imbalance(&traces, &moved), Quadratic::ZERO);
    let s = &halting.statement;
    let start = |ctr| {
        let id = crate::bytecode::code_id(s.code_position as usize);
        start_message(s.ctx, id, s.gas, ctr, &storage::address_limbs(&s.address))
    };
    assert!(halting_public.contains(&start(0)));
    let moved: Vec<PublicMessage> = (storing_public.iter().chain(&halting_public))
        .map(|m| if *m == start(0) { start(1) } else { m.clone() })
        .collect();
    assert_ne!(block_imbalance(&traces, &moved), Quadratic::ZERO);
}

/// Taken jumps onto bytes that are no JUMPDEST: a STOP, PUSH data holding 0x5b, the zeros past
/// the code's end (within its padded span), and a JUMPI taken onto a STOP.
fn invalid_jump_programs() -> [Vec<u8>; 4] {
    [
        vec![0x60, 4, 0x56, 0x00, 0x00],
        vec![0x60, 4, 0x56, 0x60, 0x5b, 0x00],
        vec![0x60, 9, 0x56, 0x00],
        vec![0x60, 1, 0x60, 6, 0x57, 0x00, 0x00],
    ]
}

#[test]
fn invalid_jumps_end_the_frame_failed_and_cannot_be_faked() {
    for code in invalid_jump_programs() {
        let witness = run(&code);
        let halting = witness.steps.last().unwrap();
        assert_eq!(halting.error.as_deref(), Some("InvalidJump"));
        assert_halt_is_proven_and_unforgeable(&witness, crate::cpu::HaltKind::InvalidJump);
        let (honest, public) = honest_block_of(&witness);
        assert_every_cpu_cell_is_caught(&honest, &public);
        // The Bytecode row serving the bad target: its count and inverse, changed.
        let t = (honest.traces.iter())
            .position(|t| t.id == ComponentId::Bytecode)
            .unwrap();
        let bytecode = &honest.traces[t].columns;
        let target = (0..bytecode[0].len())
            .find(|&r| bytecode[crate::bytecode::col::BAD_JUMPS][r] != Goldilocks::ZERO)
            .unwrap();
        let bench = TamperBench::new(&honest.traces, &public);
        for column in [
            crate::bytecode::col::BAD_JUMPS,
            crate::bytecode::col::JUMPDEST_INV,
        ] {
            let mut forged = bytecode.clone();
            forged[column][target] += Goldilocks::ONE;
            assert!(bench.rejects(t, &forged), "column {column}");
        }
        // The halt named for another opcode: no statement carries it.
        let mut statement = honest.statement.clone();
        statement.halt.as_mut().unwrap().opcode = 0x01;
        assert!(crate::evm::Statement::from_bytes(&statement.to_bytes()).is_err());
    }
}

#[test]
fn a_jumpdest_or_an_untaken_jumpi_cannot_claim_an_invalid_jump() {
    // A JUMPDEST row asked to serve a bad jump: `w·inv = 1` has no solution where w = 0.
    let honest = block(&[0x60, 3, 0x56, 0x5b, 0x00]);
    let t = (honest.traces.iter())
        .position(|t| t.id == ComponentId::Bytecode)
        .unwrap();
    let mut forged = honest.traces[t].columns.clone();
    for inverse in [0u64, 1, 2, 0x5b] {
        forged[crate::bytecode::col::BAD_JUMPS][3] = Goldilocks::ONE;
        forged[crate::bytecode::col::JUMPDEST_INV][3] = Goldilocks::new(inverse);
        let holds = crate::check::check_constraints(&crate::bytecode::Bytecode, &forged);
        assert!(holds.is_err(), "inverse {inverse}");
    }
    // A JUMPI whose condition is 0 (not taken) flagged as halting on its destination.
    let honest = block(&[0x5f, 0x60, 6, 0x57, 0x00]);
    let mut forged = honest.traces.clone();
    forged[0].columns[col::HALT_NEAR][2] = Goldilocks::ONE;
    assert!(crate::check::check_constraints(&Cpu, &forged[0].columns).is_err());
}

#[test]
fn jumps_past_the_codes_span_halt_and_cannot_be_faked() {
    // JUMP to 0x1000 and a taken JUMPI to 137: past the 136 bytes of the code's span, below
    // 2²² (from 2²² on: a far halt, `jumps_far_past_the_code_halt_and_cannot_be_faked`).
    for code in [
        vec![0x61, 0x10, 0x00, 0x56],
        vec![0x60, 0x01, 0x60, 0x89, 0x57],
    ] {
        let witness = run(&code);
        assert_eq!(
            witness.steps.last().unwrap().error.as_deref(),
            Some("InvalidJump")
        );
        assert_halt_is_proven_and_unforgeable(&witness, crate::cpu::HaltKind::InvalidJump);
        let (honest, public) = honest_block_of(&witness);
        assert_every_cpu_cell_is_caught(&honest, &public);
        let halting = honest.statement.steps() as usize - 1;
        let cpu = &honest.traces[0].columns;
        assert_eq!(cpu[col::RESULT][halting], Goldilocks::ONE);
        let dest = u64::from(cpu[col::A][halting]);
        assert_eq!(cpu[col::C][halting], Goldilocks::new(dest - 136));
        // The code's last row serves it; its count changed, or moved to another row.
        let t = (honest.traces.iter())
            .position(|t| t.id == ComponentId::Bytecode)
            .unwrap();
        let bytecode = &honest.traces[t].columns;
        let past = crate::bytecode::col::PAST_JUMPS;
        let last = (0..bytecode[0].len())
            .find(|&r| bytecode[past][r] != Goldilocks::ZERO)
            .unwrap();
        assert_eq!(last, 135);
        let bench = TamperBench::new(&honest.traces, &public);
        for (row, delta) in [(last, 1u64), (last - 1, 1)] {
            let mut forged = bytecode.clone();
            forged[past][row] += Goldilocks::new(delta);
            assert!(bench.rejects(t, &forged), "row {row}");
        }
        // Another span claimed, shorter or longer (for a longer one past the destination,
        // `dest − span` is negative: no 16-bit halves make it), with the halves that go with
        // it: the last row provides neither.
        for span in [137u64, 3, dest + 1] {
            let mut forged = honest.traces.clone();
            let beyond = Goldilocks::new(dest) - Goldilocks::new(span);
            forged[0].columns[col::C][halting] = beyond;
            forged[0].columns[col::SHORT_HI][halting] =
                Goldilocks::new((u64::from(beyond) >> 16) & 0xffff);
            assert!(block_rejected(&forged, &public), "span {span}");
        }
    }
    // A jump into the span claimed past it: the destination's own Bytecode row is owed.
    let (honest, public) = honest_block(&[0x60, 0x04, 0x56, 0x00, 0x60]);
    let mut forged = honest.traces.clone();
    let halting = honest.statement.steps() as usize - 1;
    forged[0].columns[col::RESULT][halting] = Goldilocks::ONE;
    forged[0].columns[col::C][halting] = Goldilocks::new(4) - Goldilocks::new(136);
    assert!(block_rejected(&forged, &public));
}

/// `PUSH2 size, PUSH9 offset (its high byte first), PUSH1 dest, PUSH20 address` (or
/// `ADDRESS` for `None`), `EXTCODECOPY`.
fn extcodecopy(address: Option<&[u8; 20]>, dest: u8, offset: u128, size: u16) -> Vec<u8> {
    let mut code = vec![0x61];
    code.extend(size.to_be_bytes());
    code.push(0x68);
    code.extend(&offset.to_be_bytes()[7..]);
    code.extend([0x60, dest]);
    match address {
        Some(address) => {
            code.push(0x73);
            code.extend_from_slice(address);
        }
        None => code.push(0x30),
    }
    code.push(EXTCODECOPY);
    code
}

#[test]
fn extcodecopy_copies_an_accounts_code_and_cannot_be_faked() {
    // The transaction's frame copies OTHER's 11-byte code from byte 1 (cold: 2,600 + 3 gas a
    // word and the expansion; 40 bytes, past the end zeros), OTHER's again from 0 (warm), an
    // account without code, its own code from byte 2 and OTHER's from 2⁶⁴ (zeros), then
    // returns the 200 bytes of memory, which bind every copied byte to the statement.
    const OTHER: [u8; 20] = [0x78; 20];
    const NOBODY: [u8; 20] = [0x55; 20];
    let other_code = vec![
        0x60, 0x2a, 0x60, 0x00, 0x55, 0x61, 0xbe, 0xef, 0x50, 0x50, 0x00,
    ];
    let mut code = extcodecopy(Some(&OTHER), 0, 1, 40);
    code.extend(extcodecopy(Some(&OTHER), 64, 0, 5));
    code.extend(extcodecopy(Some(&NOBODY), 100, 0, 3));
    code.extend(extcodecopy(None, 128, 2, 4));
    code.extend(extcodecopy(Some(&OTHER), 160, 1 << 64, 2));
    code.extend([0x60, 0xc8, 0x5f, 0xf3]); // RETURN(0, 200)
    let witness = crate::test_support::run_calling(&code, &[(OTHER, other_code.clone())]);
    let (block, public) = honest_block_of(&witness);
    let s = &block.statement;
    let mut expected = vec![0u8; 200];
    expected[..10].copy_from_slice(&other_code[1..]);
    expected[64..69].copy_from_slice(&other_code[..5]);
    expected[128..132].copy_from_slice(&code[2..6]);
    assert_eq!(s.output, expected);
    // The codes looked up: the frame's own once, NOBODY's none once, OTHER's three times.
    let looked_up: Vec<([u8; 20], u64)> = (s.ext_codes.iter())
        .map(|(address, _, count)| (*address, *count))
        .collect();
    assert_eq!(looked_up, [(s.address, 1), (NOBODY, 1), (OTHER, 3)]);
    assert_eq!(s.ext_codes[1].1, crate::evm::NO_CODE);
    assert_every_cpu_cell_is_caught(&block, &public);
    // Another code claimed for OTHER, none for it, or OTHER's claimed for NOBODY: the copies'
    // bytes (and zeros) no longer match their sources.
    let bench = TamperBench::new(&block.traces, &public);
    let other = (s.ext_codes.iter())
        .position(|(a, _, _)| *a == OTHER)
        .unwrap();
    let nobody = (s.ext_codes.iter())
        .position(|(a, _, _)| *a == NOBODY)
        .unwrap();
    let own = s.ext_codes[0].1;
    type Forgery = Box<dyn Fn(&mut crate::evm::Statement)>;
    let forgeries: [Forgery; 3] = [
        Box::new(move |s| s.ext_codes[other].1 = own),
        Box::new(move |s| s.ext_codes[other].1 = crate::evm::NO_CODE),
        Box::new(move |s| s.ext_codes[nobody].1 = s.ext_codes[other].1),
    ];
    for (k, forge) in forgeries.iter().enumerate() {
        let mut statement = s.clone();
        forge(&mut statement);
        assert!(bench.rejects_messages(&statement.public_messages()), "{k}");
    }
    // OTHER's code claimed as a call target's instead (the verifier's check of those
    // refuses a precompile's address and a designator): no EXTCODECOPY row takes it.
    let mut statement = s.clone();
    let entry = statement.ext_codes.remove(other);
    statement.call_codes.push(entry);
    assert!(bench.rejects_messages(&statement.public_messages()));
    assert!(s.call_codes.is_empty());
    // A statement listing an address twice or out of order, or a code outside its list,
    // does not parse.
    let mut twice = s.clone();
    twice.ext_codes[1].0 = twice.ext_codes[0].0;
    let mut swapped = s.clone();
    swapped.ext_codes.swap(0, 1);
    let mut outside = s.clone();
    outside.ext_codes[other].1 = s.codes.len() as u32;
    for statement in [twice, swapped, outside] {
        assert!(crate::evm::Statement::from_bytes(&statement.to_bytes()).is_err());
    }
    // The zeros past OTHER's end claimed for the frame's own code instead.
    let mut statement = s.clone();
    let read = (statement.copy_reads.iter_mut())
        .find(|(opcode, code, _, _)| *opcode == 0x39 && *code == s.ext_codes[other].1)
        .unwrap();
    read.1 = own;
    assert!(bench.rejects_messages(&statement.public_messages()));
}

#[test]
fn extcodecopy_halting_on_its_cost_counts_its_access() {
    // A callee with 3,000 gas copies 2,048 bytes of a cold account's code: 2,600 + 192 + the
    // expansion (64 words: 200) is more than it has; it halts, and the caller goes on. Another
    // copies one byte to 2²⁴: out of gas on the memory that far (a far-memory halt, its
    // destination at depth 1).
    const OTHER: [u8; 20] = [0x78; 20];
    const COPIER: [u8; 20] = [0x79; 20];
    const FAR: [u8; 20] = [0x7a; 20];
    let mut copier = extcodecopy(Some(&OTHER), 0, 0, 2048);
    copier.push(0x00);
    let mut far = vec![0x60, 0x01, 0x5f, 0x63, 0x01, 0x00, 0x00, 0x00, 0x73];
    far.extend_from_slice(&OTHER);
    far.extend([EXTCODECOPY, 0x00]);
    let mut code = crate::call::tests::call(crate::call::CALL, &COPIER, Some(3_000));
    code.extend([0x60, 0x01, 0x55]);
    code.extend(crate::call::tests::call(
        crate::call::CALL,
        &FAR,
        Some(30_000),
    ));
    code.extend([0x60, 0x02, 0x55, 0x00]);
    let witness = crate::test_support::run_calling(
        &code,
        &[
            (OTHER, vec![0x60, 0x01, 0x00]),
            (COPIER, copier),
            (FAR, far),
        ],
    );
    let (block, public) = honest_block_of(&witness);
    let kinds: Vec<HaltKind> = block.statement.sub_halts.iter().map(|h| h.kind).collect();
    assert_eq!(
        kinds,
        [HaltKind::DynamicCost, HaltKind::FarMemory { operand: 1 }]
    );
    assert_every_cpu_cell_is_caught(&block, &public);
}

/// Cold accesses that cannot pay their cost, with the gas that leaves them short: SLOAD of
/// slot 1 (2,100 gas), and BALANCE, EXTCODESIZE and EXTCODEHASH of the empty account 0x77
/// (2,600), with their static cost (100) just paid, with 1,000, and with one gas too few.
fn cold_access_short_programs() -> Vec<(Vec<u8>, u64)> {
    let mut programs = Vec::new();
    for (code, cost) in [
        (vec![0x60, 1, 0x54], 2_100),
        (vec![0x60, 0x77, 0x31], 2_600),
        (vec![0x60, 0x77, 0x3b], 2_600),
        (vec![0x60, 0x77, 0x3f], 2_600),
    ] {
        for left in [100, 1_000, cost - 1] {
            programs.push((code.clone(), 3 + left));
        }
    }
    programs
}

#[test]
fn cold_accesses_short_of_their_cost_end_the_frame_failed_and_cannot_be_faked() {
    for (code, gas) in cold_access_short_programs() {
        let honest = assert_access_short_of_its_cost_is_proven(&code, gas, 2_600);
        // A halting account access asks the verifier for no value.
        if code[2] != 0x54 {
            assert!(honest.statement.account_reads.is_empty());
            assert_eq!(honest.statement.accounts.len(), 1);
        }
    }
    // Warm (an earlier access paid for it), 100 gas pays: SLOAD(1) twice, BALANCE(0x77) twice.
    for code in [
        [0x60, 1, 0x54, 0x60, 1, 0x54, 0x00],
        [0x60, 0x77, 0x31, 0x60, 0x77, 0x31, 0x00],
    ] {
        let cold = match code[2] {
            0x54 => 2_100,
            _ => 2_600,
        };
        assert_a_step_that_can_pay_cannot_claim_a_halt(&code, 3 + cold + 3 + 100);
    }
}

#[test]
fn a_callee_halting_on_a_cold_access_leaves_it_cold() {
    // The caller calls a callee with 1,000 gas, where its SLOAD(1) halts on its cold cost,
    // then again with all its gas, where the SLOAD pays the cold cost: the failed frame's end
    // undid the warm-up. Likewise another callee's BALANCE(0x77) halts, and the caller's own
    // BALANCE(0x77) after it pays the cold cost; called again, that callee's is warm.
    const SLOADER: [u8; 20] = [0x61; 20];
    const BALANCER: [u8; 20] = [0x62; 20];
    let sloader = vec![0x60, 1, 0x54, 0x60, 2, 0x55, 0x00];
    let balancer = vec![0x60, 0x77, 0x31, 0x60, 2, 0x55, 0x00];
    let mut code = Vec::new();
    code.extend(crate::call::tests::call(
        crate::call::CALL,
        &SLOADER,
        Some(1_000),
    ));
    code.extend(crate::call::tests::call(crate::call::CALL, &SLOADER, None));
    code.extend(crate::call::tests::call(
        crate::call::CALL,
        &BALANCER,
        Some(1_000),
    ));
    code.extend([0x60, 0x77, 0x31]);
    code.extend(crate::call::tests::call(crate::call::CALL, &BALANCER, None));
    code.push(0x00);
    let witness =
        crate::test_support::run_calling(&code, &[(SLOADER, sloader), (BALANCER, balancer)]);
    zkevm_evm_spec::checker::check_witness(&witness).unwrap();
    let costs: Vec<u64> = (witness.steps.iter())
        .filter(|s| matches!(s.opcode, 0x54 | 0x31) && s.error.is_none())
        .map(|s| s.gas_cost)
        .collect();
    assert_eq!(costs, [2_100, 2_600, 100]);
    let (block, public) = honest_block_of(&witness);
    let kinds: Vec<HaltKind> = block.statement.sub_halts.iter().map(|h| h.kind).collect();
    assert_eq!(kinds, [HaltKind::DynamicCost, HaltKind::DynamicCost]);
    assert_every_cpu_cell_is_caught(&block, &public);
}

#[test]
fn a_halting_sload_carries_its_slots_value() {
    // SLOAD(1) short of its cold cost, in an account whose slot 1 holds 0x55: revm never loads
    // it, and the witness's value (the database's) is the statement's pre-state for the slot.
    let code = [0x60, 1, 0x54];
    let mut setup = zkevm_evm_spec::exec::call_setup(&code, &[]);
    let to = zkevm_evm_spec::exec::SETUP_CALLEE;
    let mut account = setup.db.accounts()[&to].clone();
    account.storage.insert(Word::from(1), Word::from(0x55));
    setup.db.insert(to, account);
    setup.tx.gas_limit = 21_000 + 3 + 1_000;
    let (_, witness) =
        zkevm_evm_spec::exec::execute_traced(&mut setup.db, &setup.block, &setup.chain, setup.tx)
            .unwrap();
    zkevm_evm_spec::checker::check_witness(&witness).unwrap();
    let (honest, public) = honest_block_of(&witness);
    let [slot] = &honest.statement.storage[..] else {
        panic!("{:?}", honest.statement.storage)
    };
    assert_eq!(
        (slot.pre[0], slot.post[0], slot.prewarm),
        (0x55, 0x55, false)
    );
    // The slot claimed to hold another value: the halting row's is the one read.
    let mut statement = honest.statement.clone();
    statement.storage[0].pre[0] = 0x56;
    statement.storage[0].post[0] = 0x56;
    assert_ne!(
        block_imbalance(&honest.traces, &statement.public_messages()),
        Quadratic::ZERO
    );
    let last = honest.statement.steps() as usize - 1;
    let mut tampered = honest.traces.clone();
    tampered[0].columns[col::B][last] += Goldilocks::ONE;
    assert!(block_rejected(&tampered, &public));
}

#[test]
fn extcodecopy_of_a_precompile_or_a_delegated_account_copies_its_own_code() {
    // The frame copies ECRECOVER's account (no code: zeros), DELEGATED's 23-byte EIP-7702
    // designator (not the code it designates) and that TARGET's code, then returns the 96
    // bytes, which bind every copied byte to the statement.
    const DELEGATED: [u8; 20] = [0x57; 20];
    const TARGET: [u8; 20] = [0x58; 20];
    let mut ecrecover = [0u8; 20];
    ecrecover[19] = 1;
    let mut designator = vec![0xef, 0x01, 0x00];
    designator.extend_from_slice(&TARGET);
    let target_code = vec![0x60, 0x2a, 0x5f, 0x55, 0x00];
    let mut code = extcodecopy(Some(&ecrecover), 0, 0, 32);
    code.extend(extcodecopy(Some(&DELEGATED), 32, 0, 32));
    code.extend(extcodecopy(Some(&TARGET), 64, 0, 32));
    code.extend([0x60, 0x60, 0x5f, 0xf3]); // RETURN(0, 96)
    let witness = crate::test_support::run_calling(
        &code,
        &[
            (DELEGATED, designator.clone()),
            (TARGET, target_code.clone()),
        ],
    );
    let (block, public) = honest_block_of(&witness);
    let s = &block.statement;
    let mut expected = vec![0u8; 96];
    expected[32..55].copy_from_slice(&designator);
    expected[64..69].copy_from_slice(&target_code);
    assert_eq!(s.output, expected);
    let position = |address: [u8; 20]| (s.ext_codes.iter()).position(|e| e.0 == address);
    let (p, d, t) = (
        position(ecrecover).unwrap(),
        position(DELEGATED).unwrap(),
        position(TARGET).unwrap(),
    );
    assert_eq!(s.ext_codes[p].1, crate::evm::NO_CODE);
    // DELEGATED claimed to hold its target's code, or none; the precompile's account
    // claimed to hold either code: the copies' bytes no longer match their sources.
    let bench = TamperBench::new(&block.traces, &public);
    let (designated, own) = (s.ext_codes[t].1, s.ext_codes[d].1);
    for (entry, position) in [
        (d, designated),
        (d, crate::evm::NO_CODE),
        (p, designated),
        (p, own),
    ] {
        let mut statement = s.clone();
        statement.ext_codes[entry].1 = position;
        assert!(
            bench.rejects_messages(&statement.public_messages()),
            "{entry} {position}"
        );
    }
}
