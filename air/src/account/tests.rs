use super::*;
use crate::cpu::tests::account_program;
use crate::test_support::{block, block_imbalance, block_rejected, TamperBench};
use crate::ComponentTrace;
use zkevm_field::{FieldElement, Quadratic};

fn account_index(traces: &[ComponentTrace]) -> usize {
    traces
        .iter()
        .position(|t| t.id == ComponentId::Account)
        .expect("an account table")
}

#[test]
fn cold_accesses_cost_2500_more_and_the_statement_lists_each_account_once() {
    let honest = block(&account_program());
    let table = &honest.traces[account_index(&honest.traces)].columns;
    let live = table[col::LIVE]
        .iter()
        .filter(|v| **v == Goldilocks::ONE)
        .count();
    assert_eq!(live, 7);
    // Sorted by address: 0x01 (a precompile, warm), 0xaa…aa twice (cold, then warm), the
    // sender and the recipient (warm), 0xbb…bb twice (cold through a word with high bytes
    // set, then warm).
    let costs: Vec<u64> = (0..live).map(|r| table[col::COST][r].as_u64()).collect();
    let cold = COLD_ACCOUNT_EXTRA;
    assert_eq!(costs.iter().filter(|&&c| c == cold).count(), 2);
    assert_eq!(costs.len(), 7);
    let accounts = &honest.statement.accounts;
    assert_eq!(accounts.len(), 5);
    let cold_accounts: Vec<Address> = (accounts.iter())
        .filter(|a| !a.prewarm)
        .map(|a| a.address)
        .collect();
    assert_eq!(cold_accounts, [[0xaaaa_aaaa; 5], [0xbbbb_bbbb; 5]]);
    assert_eq!(honest.statement.account_reads.len(), 7);
    assert_eq!(
        block_imbalance(&honest.traces, &honest.statement.public_messages()),
        Quadratic::ZERO
    );
}

#[test]
#[allow(clippy::needless_range_loop)] // a row index into several columns
fn every_tampered_account_cell_is_caught() {
    let honest = block(&account_program());
    let public = honest.statement.public_messages();
    let t = account_index(&honest.traces);
    let bench = TamperBench::new(&honest.traces, &public);
    let mut tampered = honest.traces[t].columns.clone();
    let live = tampered[col::LIVE]
        .iter()
        .filter(|v| **v == Goldilocks::ONE)
        .count();
    for column in 0..Account::COLUMNS.len() {
        for row in 0..=live {
            // The first padding row: only its flags matter. Row 0's diff flags: no row
            // precedes it.
            if row == live && column != col::LIVE && column != col::FIRST {
                continue;
            }
            if row == 0 && (col::DIFF..col::DIFF + ADDRESS_LIMBS).contains(&column) {
                continue;
            }
            if free(&honest.traces[t].columns, row, column) {
                continue;
            }
            for delta in [Goldilocks::ONE, -Goldilocks::ONE] {
                tampered[column][row] += delta;
                assert!(
                    bench.rejects(t, &tampered),
                    "{} at row {row} ({delta:?}) accepted",
                    Account::COLUMNS[column]
                );
                tampered[column][row] -= delta;
            }
        }
    }
    assert!(!bench.rejects(t, &tampered));
}

#[test]
fn a_wrong_account_statement_is_rejected() {
    let honest = block(&account_program());
    let messages = |s: &crate::evm::Statement| s.public_messages();
    let edits: [fn(&mut crate::evm::Statement); 6] = [
        |s| s.accounts[1].prewarm = !s.accounts[1].prewarm,
        |s| s.accounts[0].prewarm = !s.accounts[0].prewarm,
        |s| s.accounts[2].address[4] += 1,
        |s| {
            s.accounts.pop();
        },
        |s| s.accounts.push(s.accounts[0]),
        |s| s.account_reads[0].2 += zkevm_evm_spec::witness::Word::from(1),
    ];
    for edit in edits {
        let mut statement = honest.statement.clone();
        edit(&mut statement);
        assert_ne!(
            block_imbalance(&honest.traces, &messages(&statement)),
            Quadratic::ZERO
        );
    }
    // A read claimed for another operand, or as another opcode's.
    for k in [0, 1] {
        let mut statement = honest.statement.clone();
        match k {
            0 => statement.account_reads[0].1 += zkevm_evm_spec::witness::Word::from(1),
            _ => statement.account_reads[0].0 = 0x3b + 0x31 - statement.account_reads[0].0,
        }
        assert!(block_rejected(&honest.traces, &messages(&statement)));
    }
}

/// The verifier-word bus keys each word by its opcode alone, so an "account read" tagged
/// CALLDATALOAD's or BLOBHASH's opcode would provide a word for such a step: the statement
/// parser refuses every tag but BALANCE's, EXTCODESIZE's and EXTCODEHASH's.
#[test]
fn an_account_read_tagged_with_another_opcode_does_not_parse() {
    use crate::evm::Statement;
    let honest = block(&account_program()).statement;
    assert!(Statement::from_bytes(&honest.to_bytes()).is_ok());
    for opcode in [0x35, 0x49, 0x30, 0x54, 0x00] {
        let mut statement = honest.clone();
        statement.account_reads[0].0 = opcode;
        let error = Statement::from_bytes(&statement.to_bytes()).unwrap_err();
        assert!(error.0.contains("account read"), "{error}");
    }
}

#[test]
fn histories_the_rules_forbid_are_refused_by_the_builder() {
    let op = AccountOp {
        ctr: 3,
        address: [0, 0, 0, 0, 7],
        warm: false,
        cost: COLD_ACCOUNT_EXTRA,
        rollback: Rollback::default(),
    };
    let trace = |ops: &[AccountOp]| super::trace(ops, &BTreeMap::new());
    assert!(trace(&[op]).is_ok());
    let cheap = AccountOp { cost: 0, ..op };
    let again_cold = AccountOp { ctr: 9, ..op };
    assert!(trace(&[cheap]).is_err());
    assert!(trace(&[op, again_cold]).is_err());
    let again_warm = AccountOp {
        ctr: 9,
        warm: true,
        cost: 0,
        ..op
    };
    let table = trace(&[again_warm, op]).unwrap();
    assert_eq!(
        table.accounts,
        [AccountState {
            address: op.address,
            prewarm: false
        }]
    );
    // Under a failing frame (id 2, ending at counter 6): the warm-up is undone there, so a
    // later access finds the address cold again; one whose frame has no end is refused.
    let undone = AccountOp {
        rollback: Rollback(Some(2)),
        ..op
    };
    let failing = crate::rollback::Failing {
        end: 6,
        outer: Rollback(None),
    };
    let ends = BTreeMap::from([(2, failing)]);
    let table = super::trace(&[undone, again_cold], &ends).unwrap();
    // The end is taken by the access and by the restore row.
    assert_eq!(table.rollbacks, BTreeMap::from([(2, 2)]));
    let restore_rows = table.columns[col::RESTORE].iter();
    assert_eq!(restore_rows.filter(|v| **v == Goldilocks::ONE).count(), 1);
    assert!(super::trace(&[undone, again_warm], &ends).is_err());
    assert!(trace(&[undone]).is_err());
}

/// Whether a cell of the account table is free (tests that tamper with every cell skip it):
/// the saved warmth off restore rows, and the rollback cells nothing reads.
pub(crate) fn free(columns: &[Vec<Goldilocks>], row: usize, column: usize) -> bool {
    let saved = column == col::SAVED_WARM && columns[col::RESTORE][row] == Goldilocks::ZERO;
    saved || crate::rollback::is_free(super::CELLS, columns, row, column)
}
