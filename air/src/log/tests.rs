use super::*;
use crate::evm::EvmBlock;
use crate::test_support::{
    assert_changed_cells_rejected, block_imbalance, block_rejected, honest_block,
};
use zkevm_field::{FieldElement, Quadratic};

/// The word `(i ^ 0xc3)` for bytes `i = 0 … 31`, stored at memory 0.
fn stored_word() -> Vec<u8> {
    let mut code = vec![0x7f];
    code.extend((0..32u8).map(|i| i ^ 0xc3));
    code.extend([0x5f, 0x52]); // MSTORE(0, word)
    code
}

/// Logs of every topic count: LOG0 of nothing; LOG2(offset 3, size 40) with topics 0x77 and
/// 0xbeef (reaching past the stored word: memory grows); LOG4 of 5 bytes from 30 with a
/// 32-byte first topic; LOG1 of nothing at an offset far beyond memory; then STOP. And LOG3
/// of 2 bytes followed by a REVERT, whose logs the transaction drops.
pub(crate) fn log_programs() -> Vec<Vec<u8>> {
    let mut logs = stored_word();
    logs.extend([0x5f, 0x5f, 0xa0]); // LOG0(0, 0)
    logs.extend([0x61, 0xbe, 0xef, 0x60, 0x77, 0x60, 40, 0x60, 3, 0xa2]);
    logs.extend([0x60, 0x44, 0x60, 0x33, 0x60, 0x22, 0x7f]);
    logs.extend((0..32u8).map(|i| 0xff - i));
    logs.extend([0x60, 5, 0x60, 30, 0xa4]);
    logs.extend([0x60, 9, 0x5f, 0x7f]);
    logs.extend([0xff; 32]);
    logs.extend([0xa1, 0x00]);
    let mut reverts = stored_word();
    reverts.extend([0x60, 3, 0x60, 2, 0x60, 1, 0x60, 2, 0x60, 7, 0xa3]);
    reverts.extend([0x5f, 0x5f, 0xfd]);
    vec![logs, reverts]
}

fn log_index(block: &EvmBlock) -> usize {
    (block.traces.iter())
        .position(|t| t.id == ComponentId::Log)
        .expect("a log table")
}

#[test]
fn logs_are_the_stack_topics_and_memory_bytes_with_their_gas() {
    let [logs, reverts] = log_programs().try_into().unwrap();
    let (block, _) = honest_block(&logs);
    let word: Vec<u8> = (0..32u8).map(|i| i ^ 0xc3).collect();
    let entries = &block.statement.logs;
    assert_eq!(entries.len(), 4);
    assert!(entries[0].topics.is_empty() && entries[0].data.is_empty());
    assert_eq!(entries[1].topics, [Word::from(0x77), Word::from(0xbeef)]);
    let mut data = word[3..].to_vec();
    data.extend([0; 11]);
    assert_eq!(entries[1].data, data);
    let first_topic = Word::from_be_bytes::<32>(std::array::from_fn(|i| 0xff - i as u8));
    assert_eq!(
        entries[2].topics,
        [
            first_topic,
            Word::from(0x22),
            Word::from(0x33),
            Word::from(0x44)
        ]
    );
    assert_eq!(entries[2].data, [word[30], word[31], 0, 0, 0]);
    assert_eq!(entries[3].topics, [Word::from(9)]);
    assert!(entries[3].data.is_empty());
    // PUSH32 3, PUSH0 2, MSTORE 3 + 3; LOG0 2·2 + 375; LOG2 3·4 + 375·3 + 8·40 + 3 (a second
    // word); LOG4 3·6 + 375·5 + 8·5; LOG1 3 + 2 + 3 + 375·2.
    let expected = 3 + 2 + 6 + 4 + 375 + 12 + 1125 + 320 + 3 + 18 + 1875 + 40 + 8 + 750;
    assert_eq!(block.statement.gas_used(), expected);
    let (reverted, _) = honest_block(&reverts);
    assert!(reverted.statement.reverted);
    assert_eq!(reverted.statement.logs.len(), 1);
    assert_eq!(reverted.statement.logs[0].data, [word[7], word[8]]);
}

#[test]
fn the_statement_logs_are_exactly_the_emitted_ones() {
    for code in log_programs() {
        let (honest, _) = honest_block(&code);
        let logs = &honest.statement.logs;
        let mut wrong: Vec<Vec<LogEntry>> = Vec::new();
        for i in 0..logs.len() {
            let mut changed = |edit: &dyn Fn(&mut LogEntry)| {
                let mut forged = logs.clone();
                edit(&mut forged[i]);
                wrong.push(forged);
            };
            changed(&|l| l.ctr += 1);
            changed(&|l| l.address[19] ^= 1);
            changed(&|l| l.address[0] ^= 0x80);
            changed(&|l| l.reverted ^= true);
            changed(&|l| l.topics.push(Word::ZERO));
            changed(&|l| l.data.push(0));
            if !logs[i].topics.is_empty() {
                changed(&|l| l.topics[0] ^= Word::from(1));
                changed(&|l| l.topics[0] ^= Word::from(1) << 255);
                changed(&|l| {
                    l.topics.pop();
                });
            }
            if logs[i].topics.len() > 1 {
                changed(&|l| l.topics.reverse());
            }
            if !logs[i].data.is_empty() {
                changed(&|l| l.data[0] ^= 1);
                changed(&|l| {
                    l.data.pop();
                });
            }
            let mut dropped = logs.clone();
            dropped.remove(i);
            wrong.push(dropped);
            let mut repeated = logs.clone();
            repeated.push(logs[i].clone());
            wrong.push(repeated);
        }
        for forged in wrong {
            let mut statement = honest.statement.clone();
            statement.logs = forged;
            let messages = statement.public_messages();
            assert_ne!(
                block_imbalance(&honest.traces, &messages),
                Quadratic::ZERO,
                "{:?}",
                statement.logs
            );
        }
    }
}

#[test]
fn every_tampered_log_cell_is_caught() {
    for code in log_programs() {
        let (honest, public) = honest_block(&code);
        let t = log_index(&honest);
        let live = (honest.statement.logs.iter())
            .map(|l| 1 + l.topics.len() + l.data.len())
            .sum::<usize>();
        let rows: Vec<usize> = (0..live).collect();
        assert_changed_cells_rejected(&honest.traces, &public, t, Log::COLUMNS, &rows);
        // The first padding row: only its flags are checked.
        for column in [col::LIVE, col::HEADER, col::TOPIC, col::BYTE] {
            let mut traces = honest.traces.clone();
            traces[t].columns[column][live] += Goldilocks::ONE;
            assert!(block_rejected(&traces, &public), "{}", Log::COLUMNS[column]);
        }
    }
}

#[test]
fn a_log_table_without_its_rows_or_with_another_order_is_rejected() {
    let (honest, public) = honest_block(&log_programs()[0]);
    let t = log_index(&honest);
    // No log table at all: the CPU's LOG messages go unconsumed.
    let mut without = honest.traces.clone();
    without.remove(t);
    assert!(block_rejected(&without, &public));
    // The LOG2's two topic rows swapped (rows 2 and 3: after LOG0's header and LOG2's).
    let mut swapped = honest.traces.clone();
    for column in col::VALUE..col::VALUE + LIMBS {
        swapped[t].columns[column].swap(2, 3);
    }
    assert!(block_rejected(&swapped, &public));
}
