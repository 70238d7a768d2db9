use super::*;
use crate::component::ComponentTrace;
use crate::rw::limbs;
use crate::test_support::{
    assert_changed_cells_rejected, assert_changed_message_fields_rejected, block_imbalance,
    block_rejected, check_block, random_words, with_range_table,
};
use zkevm_field::{FieldElement, Quadratic};

fn edge_words() -> Vec<Word> {
    let mut words = vec![
        Word::ZERO,
        Word::from(1),
        Word::from(2),
        Word::from(7),
        Word::MAX,
        Word::MAX - Word::from(1),
        Word::from(1) << 255,
        Word::from(u32::MAX),
        Word::from(1u128 << 64) - Word::from(1),
    ];
    words.extend(random_words(0x853c_49e6_748f_ea9b, &[3, 12, 31, 32]));
    words
}

fn op(opcode: u8, a: &Word, b: &Word, n: &Word, slot: u32) -> ModularOp {
    ModularOp {
        opcode,
        ctr: 100 + 4 * slot,
        ctx: 1,
        slot,
        a: limbs(a),
        b: limbs(b),
        n: limbs(n),
    }
}

fn standalone(ops: &[ModularOp]) -> Vec<ComponentTrace> {
    let table = trace(ops);
    with_range_table(ComponentId::Modular, table.columns, table.range_lookups)
}

#[test]
fn results_match_the_evm_and_prove() {
    let words = edge_words();
    let mut ops = Vec::new();
    for opcode in [ADDMOD, MULMOD] {
        for a in &words {
            for b in &words {
                for n in [
                    Word::ZERO,
                    Word::from(1),
                    Word::from(7),
                    Word::MAX,
                    words[11],
                ] {
                    ops.push(op(opcode, a, b, &n, ops.len() as u32 % 1000));
                }
            }
        }
    }
    for o in &ops {
        let (a, b, n) = (word(&o.a), word(&o.b), word(&o.n));
        // ruint's modular operations, computed independently (0 for n = 0, as the EVM says).
        let expected = match o.opcode {
            ADDMOD => a.add_mod(b, n),
            _ => a.mul_mod(b, n),
        };
        assert_eq!(word(&o.result()), expected, "{o:?}");
    }
    let traces = standalone(&ops);
    check_block(&traces).unwrap();
    assert_eq!(block_imbalance(&traces, &messages(&ops)), Quadratic::ZERO);
}

fn sample() -> Vec<ModularOp> {
    let a = Word::MAX - Word::from(5) - (Word::from(3) << 130);
    let b = Word::from(7) << 200 | Word::from(9) << 40 | Word::from(11);
    let n = Word::from(0x1234_5678_9abc_def1u64) << 100 | Word::from(3);
    vec![
        op(ADDMOD, &a, &b, &n, 3),
        op(MULMOD, &a, &b, &n, 4),
        op(ADDMOD, &a, &Word::MAX, &Word::ZERO, 5),
        op(MULMOD, &a, &b, &Word::ZERO, 6),
        op(MULMOD, &Word::MAX, &Word::MAX, &Word::from(1), 7),
        op(ADDMOD, &a, &a, &(Word::MAX - Word::from(2)), 8),
    ]
}

#[test]
fn every_tampered_cell_and_message_field_is_caught() {
    let ops = sample();
    let honest = standalone(&ops);
    let messages = messages(&ops);
    assert!(!block_rejected(&honest, &messages));
    let rows: Vec<usize> = (0..ops.len()).collect();
    assert_changed_cells_rejected(&honest, &messages, 0, Modular::COLUMNS, &rows);
    for column in [col::LIVE, col::IS_ADDMOD, col::IS_MULMOD] {
        let mut traces = honest.clone();
        traces[0].columns[column][ops.len()] += Goldilocks::ONE;
        assert!(block_rejected(&traces, &messages), "padding {column}");
    }
    assert_changed_message_fields_rejected(&honest, &messages);
}

#[test]
fn a_remainder_above_the_modulus_is_caught() {
    // ADDMOD(10, 3, 7) = 6: claim quotient 0 and remainder 13; the relation holds, r < n does
    // not (the difference 7 − 13 − 1 has no 32-bit split).
    let honest_op = op(ADDMOD, &Word::from(10), &Word::from(3), &Word::from(7), 1);
    let mut traces = standalone(&[honest_op]);
    let t = &mut traces[0].columns;
    assert_eq!(t[col::Q][0], Goldilocks::ONE);
    t[col::Q][0] = Goldilocks::ZERO;
    t[col::R][0] = Goldilocks::new(13);
    let mut messages = messages(&[honest_op]);
    // The RW write claims 13.
    messages[1].fields[5] = Goldilocks::new(13);
    assert!(block_rejected(&traces, &messages));
}

/// Found in review: a modulus of 65,535 passed off as zero with n′ = 2¹⁶ (whose 16-bit halves
/// minus `nz` sum to 0), reducing modulo 65,536 instead.
#[test]
fn a_nonzero_modulus_cannot_pass_for_zero() {
    let m = Word::from(65_535);
    let honest_op = op(ADDMOD, &m, &Word::ZERO, &m, 1);
    assert_eq!(word(&honest_op.result()), Word::ZERO);
    let mut traces = standalone(&[honest_op]);
    let t = &mut traces[0].columns;
    t[col::NZ][0] = Goldilocks::ONE;
    t[col::N][0] = Goldilocks::ZERO;
    t[col::N + 1][0] = Goldilocks::ONE;
    t[col::Q][0] = Goldilocks::ZERO;
    t[col::R][0] = Goldilocks::new(65_535);
    t[col::NINV][0] = Goldilocks::ZERO;
    for k in 0..LIMBS {
        t[col::E + k][0] = Goldilocks::new((k == 0) as u64);
    }
    t[col::DL][0] = Goldilocks::ZERO;
    t[col::DH][0] = Goldilocks::ZERO;
    let mut messages = messages(&[honest_op]);
    messages[1].fields[5] = Goldilocks::new(65_535);
    assert!(block_rejected(&traces, &messages));
    assert!(check_block(&traces[..1]).is_err());
}
