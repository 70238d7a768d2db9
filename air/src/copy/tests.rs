use super::*;
use crate::cpu::{self, tests::copy_program, Cpu};
use crate::evm::build;
use crate::test_support::{block_imbalance, block_rejected, check_block, run_with};
use zkevm_evm_spec::witness::Word;
use zkevm_field::{FieldElement, Quadratic};

fn calldata() -> Vec<u8> {
    (0..40u8).map(|i| i.wrapping_mul(13) | 0x80).collect()
}

fn honest() -> crate::evm::EvmBlock {
    build(&run_with(&copy_program(), &calldata())).expect("supported")
}

#[test]
fn copies_write_the_source_bytes_into_memory() {
    let block = honest();
    check_block(&block.traces).unwrap();
    let public = block.statement.public_messages();
    assert_eq!(block_imbalance(&block.traces, &public), Quadratic::ZERO);
    // MLOAD(5) after CALLDATACOPY(5, 30, 40): calldata 30..40, then zeros; then CODECOPY
    // put the first 7 code bytes at 0..7 (bytes 5, 6 overwritten).
    let word = crate::storage::word_of(&block.statement.storage[0].post);
    let code = copy_program();
    let mut expected = [0u8; 32];
    expected[..2].copy_from_slice(&code[5..7]);
    expected[2..10].copy_from_slice(&calldata()[32..40]);
    assert_eq!(word, Word::from_be_bytes(expected));
    // A claimed copy count or a calldata byte the statement gets wrong.
    let mut statement = block.statement.clone();
    statement.copy_reads[0].3 += 1;
    assert_ne!(
        block_imbalance(&block.traces, &statement.public_messages()),
        Quadratic::ZERO
    );
    let mut statement = block.statement.clone();
    statement.calldata[35] ^= 1;
    assert_ne!(
        block_imbalance(&block.traces, &statement.public_messages()),
        Quadratic::ZERO
    );
}

#[test]
fn every_tampered_copy_or_cpu_cell_is_caught() {
    let block = honest();
    let public = block.statement.public_messages();
    let t = block
        .traces
        .iter()
        .position(|t| t.id == ComponentId::Copy)
        .unwrap();
    let live = block.traces[t].columns[col::LIVE]
        .iter()
        .filter(|v| **v == Goldilocks::ONE)
        .count();
    for column in 0..Copy::COLUMNS.len() {
        for row in 0..=live {
            if row == live && column != col::LIVE && column != col::FIRST {
                continue;
            }
            let mut traces = block.traces.clone();
            traces[t].columns[column][row] += Goldilocks::ONE;
            assert!(
                block_rejected(&traces, &public),
                "{} at row {row} accepted",
                Copy::COLUMNS[column]
            );
        }
    }
    // Every cell of the CPU's copy rows.
    let cpu_columns = &block.traces[0].columns;
    let copy_rows: Vec<usize> = (0..block.statement.steps() as usize)
        .filter(|&r| matches!(cpu_columns[cpu::col::OPCODE][r].as_u64(), 0x37 | 0x39))
        .collect();
    assert_eq!(copy_rows.len(), 3);
    for &row in &copy_rows {
        for column in 0..Cpu::COLUMNS.len() {
            for delta in [Goldilocks::ONE, -Goldilocks::ONE] {
                let mut traces = block.traces.clone();
                traces[0].columns[column][row] += delta;
                assert!(
                    block_rejected(&traces, &public),
                    "cpu {} at row {row} accepted",
                    Cpu::COLUMNS[column]
                );
            }
        }
    }
}
