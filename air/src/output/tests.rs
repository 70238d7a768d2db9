use super::*;
use crate::cpu::tests::return_programs;
use crate::test_support::{block, block_imbalance, block_rejected, honest_block};
use zkevm_field::{FieldElement, Quadratic};

fn output_index(block: &crate::evm::EvmBlock) -> usize {
    block
        .traces
        .iter()
        .position(|t| t.id == ComponentId::Output)
        .expect("an output table")
}

#[test]
fn the_statement_output_is_exactly_the_returned_memory() {
    for code in return_programs() {
        let (honest, _) = honest_block(&code);
        // A byte changed, one more byte, one fewer.
        let mut changed = honest.statement.clone();
        let mut longer = honest.statement.clone();
        longer.output.push(0);
        let mut shorter = honest.statement.clone();
        let mut wrong = vec![longer];
        if !changed.output.is_empty() {
            changed.output[0] ^= 1;
            shorter.output.pop();
            wrong.extend([changed, shorter]);
        }
        for statement in wrong {
            let messages = statement.public_messages();
            assert_ne!(block_imbalance(&honest.traces, &messages), Quadratic::ZERO);
        }
    }
}

#[test]
fn every_tampered_output_cell_is_caught() {
    for code in return_programs() {
        let honest = block(&code);
        let public = honest.statement.public_messages();
        let t = output_index(&honest);
        let live = honest.statement.output.len() + 1;
        for column in 0..Output::COLUMNS.len() {
            for row in 0..=live {
                // The padding row: only `live` and `header` are checked.
                if row == live && column != col::LIVE && column != col::HEADER {
                    continue;
                }
                let mut traces = honest.traces.clone();
                traces[t].columns[column][row] += Goldilocks::ONE;
                assert!(
                    block_rejected(&traces, &public),
                    "{} at row {row} accepted",
                    Output::COLUMNS[column]
                );
            }
        }
    }
}
