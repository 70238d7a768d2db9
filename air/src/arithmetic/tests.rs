use super::*;
use crate::bus::PublicMessage;
use crate::component::ComponentTrace;
use crate::rw::limbs;
use crate::storage::word_of;
use crate::test_support::{
    assert_changed_message_fields_rejected, block_imbalance, block_rejected, check_block,
    random_words, with_range_table,
};
use zkevm_evm_spec::witness::Word;
use zkevm_field::{FieldElement, Quadratic};

fn edge_words() -> Vec<Word> {
    let mut words = vec![
        Word::ZERO,
        Word::from(1),
        Word::MAX,
        Word::from(1) << 255,
        (Word::from(1) << 255) - Word::from(1),
        Word::from(u32::MAX),
        Word::from(1u128 << 64),
    ];
    words.extend(random_words(0x9e37_79b9_7f4a_7c15, &[32; 6]));
    words
}

fn evm(opcode: u8, a: Word, b: Word) -> Word {
    match opcode {
        0x01 => a.wrapping_add(b),
        0x03 => a.wrapping_sub(b),
        0x10 => Word::from((a < b) as u8),
        0x11 => Word::from((a > b) as u8),
        0x12 => Word::from(signed_less(a, b) as u8),
        _ => Word::from(signed_less(b, a) as u8),
    }
}

/// `a < b` as two's-complement integers: a negative word is below every non-negative one.
fn signed_less(a: Word, b: Word) -> bool {
    match (a.bit(255), b.bit(255)) {
        (true, false) => true,
        (false, true) => false,
        _ => a < b,
    }
}

/// Every operation on every pair of edge-case and random operands.
fn ops() -> Vec<AluOp> {
    let words = edge_words();
    let mut ops = Vec::new();
    for (_, opcode) in OPERATIONS {
        for a in &words {
            for b in &words {
                ops.push(AluOp {
                    opcode,
                    a: limbs(a),
                    b: limbs(b),
                });
            }
        }
    }
    ops
}

fn standalone(
    ops: &[AluOp],
    results: &[[u32; LIMBS]],
) -> (Vec<ComponentTrace>, Vec<PublicMessage>) {
    let table = trace(ops);
    let traces = with_range_table(ComponentId::Arithmetic, table.columns, table.range_lookups);
    (traces, crate::alu::messages(ops, results))
}

#[test]
fn results_match_the_evm_and_prove() {
    let ops = ops();
    let results: Vec<[u32; LIMBS]> = ops.iter().map(|o| o.result().unwrap()).collect();
    for (op, c) in ops.iter().zip(&results) {
        let expected = evm(op.opcode, word_of(&op.a), word_of(&op.b));
        assert_eq!(word_of(c), expected, "{op:?}");
    }
    let (traces, messages) = standalone(&ops, &results);
    check_block(&traces).unwrap();
    assert_eq!(block_imbalance(&traces, &messages), Quadratic::ZERO);
}

#[test]
fn every_tampered_cell_and_wrong_result_is_caught() {
    // One operation of each kind, on operands with carries in every limb.
    let (a, b) = (
        Word::MAX - Word::from(5),
        Word::from(7) << 200 | Word::from(9),
    );
    let ops: Vec<AluOp> = OPERATIONS
        .iter()
        .map(|&(_, opcode)| AluOp {
            opcode,
            a: limbs(&a),
            b: limbs(&b),
        })
        .collect();
    let results: Vec<[u32; LIMBS]> = ops.iter().map(|o| o.result().unwrap()).collect();
    let (honest, messages) = standalone(&ops, &results);
    assert!(!block_rejected(&honest, &messages));
    for column in 0..Arithmetic::COLUMNS.len() {
        for row in 0..=ops.len() {
            // The padding row after the operations: its cells multiply `live = 0`, except the
            // flags.
            if row == ops.len() && column >= col::SEL + OPERATIONS.len() {
                continue;
            }
            for delta in [Goldilocks::ONE, -Goldilocks::ONE] {
                let mut traces = honest.clone();
                traces[0].columns[column][row] += delta;
                assert!(
                    block_rejected(&traces, &messages),
                    "{} at row {row} accepted",
                    Arithmetic::COLUMNS[column]
                );
            }
        }
    }
    // Each field of each message: operands, opcode, result.
    assert_changed_message_fields_rejected(&honest, &messages);
    // A limb split out of range (the same limb, zl ≥ 2¹⁶), and a carry traded for a limb of
    // 2³² or more: the equations hold, the range checks do not.
    let mut traces = honest.clone();
    traces[0].columns[col::ZL][0] += Goldilocks::new(1 << 16);
    traces[0].columns[col::ZH][0] -= Goldilocks::ONE;
    check_block(&traces[..1]).unwrap();
    assert!(block_rejected(&traces, &messages));
    let add = 0;
    let mut traces = honest.clone();
    let t = &mut traces[0].columns;
    assert_eq!(t[col::K][add], Goldilocks::ONE);
    t[col::K][add] = Goldilocks::ZERO;
    t[col::ZH][add] += Goldilocks::new(1 << 16);
    t[col::X + 1][add] += Goldilocks::ONE; // keeps limb 1's equation with carry-in 0
    assert!(block_rejected(&traces, &messages));
}

#[test]
fn a_forged_sign_bit_is_caught_by_the_range_check_alone() {
    // SLT(a, b) with a negative and b positive is 1. Claim a non-negative instead (sx = 0)
    // and keep the message's operand: X₇ grows by 2³², re-split with xh ≥ 2¹⁶, and the top
    // borrow disappears, so the row proves SLT = 0.
    let (a, b) = (
        Word::MAX - Word::from(5),
        Word::from(7) << 200 | Word::from(9),
    );
    let op = AluOp {
        opcode: 0x12,
        a: limbs(&a),
        b: limbs(&b),
    };
    let honest_result = op.result().unwrap();
    assert_eq!(honest_result[0], 1);
    let (mut traces, _) = standalone(&[op], &[honest_result]);
    let t = &mut traces[0].columns;
    let top = LIMBS - 1;
    assert_eq!(t[col::SX][0], Goldilocks::ONE);
    assert_eq!(t[col::K + top][0], Goldilocks::ONE);
    t[col::SX][0] = Goldilocks::ZERO;
    t[col::X + top][0] += Goldilocks::new(1 << 32);
    t[col::XH][0] += Goldilocks::new(1 << 16);
    t[col::K + top][0] = Goldilocks::ZERO;
    // Every constraint holds and the message is the CPU's with result 0: only the lookup of
    // xh (now ≥ 2¹⁶) is missing from the range table.
    check_block(&traces[..1]).unwrap();
    let forged = [0; LIMBS];
    let messages = vec![PublicMessage::provide(ALU, &op.message_fields(&forged))];
    assert!(block_rejected(&traces, &messages));
}
