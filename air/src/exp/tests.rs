use super::*;
use crate::bus::PublicMessage;
use crate::component::ComponentTrace;
use crate::rw::limbs;
use crate::test_support::{
    assert_changed_cells_rejected, assert_changed_message_fields_rejected, block_imbalance,
    block_rejected, check_block, random_words,
};
use zkevm_field::{FieldElement, Quadratic};

/// `aᵉ mod 2²⁵⁶` by right-to-left binary exponentiation, independent of the table's order.
fn power(a: Word, e: Word) -> Word {
    let (mut result, mut base) = (Word::from(1), a);
    for i in 0..256 {
        if e.bit(i) {
            result = result.wrapping_mul(base);
        }
        base = base.wrapping_mul(base);
    }
    result
}

fn op(a: &Word, e: &Word) -> ExpOp {
    ExpOp {
        a: limbs(a),
        e: limbs(e),
    }
}

/// The Exp table, the MulDiv table of its products, and the range table they look up; the
/// CPU's messages as public ones.
fn standalone(ops: &[ExpOp]) -> (Vec<ComponentTrace>, Vec<PublicMessage>) {
    let table = trace(ops);
    let muldiv = crate::muldiv::trace(&table.multiplications);
    let traces = vec![
        ComponentTrace {
            id: ComponentId::Exp,
            columns: table.columns,
        },
        ComponentTrace {
            id: ComponentId::MulDiv,
            columns: muldiv.columns,
        },
        ComponentTrace {
            id: ComponentId::Range16,
            columns: crate::range::trace_of(muldiv.range_lookups),
        },
    ];
    let messages = (ops.iter())
        .map(|o| PublicMessage::provide(ALU, &o.fields()))
        .collect();
    (traces, messages)
}

#[test]
fn results_and_gas_match_the_evm_and_prove() {
    let words = random_words(0xd1b5_4a32_d192_ed03, &[1, 2, 9, 32]);
    let mut ops = vec![
        op(&Word::ZERO, &Word::ZERO), // 0⁰ = 1
        op(&Word::ZERO, &Word::from(5)),
        op(&Word::from(2), &Word::from(255)),
        op(&Word::from(2), &Word::from(256)), // overflows to 0
        op(&Word::from(3), &Word::from(0x100)),
        op(&Word::MAX, &Word::MAX),
        op(&words[3], &Word::from(1)),
    ];
    ops.extend(words.iter().map(|e| op(&words[2], e)));
    for o in &ops {
        let (a, e) = (word_of(&o.a), word_of(&o.e));
        assert_eq!(word_of(&o.result()), power(a, e), "{o:?}");
        // 50 gas per byte of the exponent, from its most significant non-zero byte.
        let significant = e
            .to_be_bytes::<32>()
            .iter()
            .skip_while(|&&b| b == 0)
            .count();
        assert_eq!(o.bytes(), significant as u64);
    }
    assert_eq!(word_of(&ops[2].result()), Word::from(1) << 255);
    assert_eq!(ops[3].result(), [0; LIMBS]);
    assert_eq!(ops[4].bytes(), 2);
    let (traces, messages) = standalone(&ops);
    check_block(&traces).unwrap();
    assert_eq!(block_imbalance(&traces, &messages), Quadratic::ZERO);
}

/// Rows worth tampering with in a block: its first, the first set bit's, a byte's and a
/// limb's last, the first of the next limb, and its last.
fn interesting_rows(block: usize, e: &Word) -> Vec<usize> {
    let first_set = BLOCK - e.bit_len();
    let mut rows = vec![0, first_set, first_set + 1, 7, 31, 32, 200, BLOCK - 1];
    rows.retain(|&t| t < BLOCK);
    rows.iter().map(|t| block * BLOCK + t).collect()
}

#[test]
fn every_tampered_cell_and_message_field_is_caught() {
    let a = Word::from(0x1234_5678_9abc_def0u64) << 100 | Word::from(0x77);
    let e = Word::from(0xa5_0f01u64) << 200 | Word::from(0x8003u64);
    let ops = [op(&a, &e), op(&Word::from(3), &Word::from(0x81))];
    let (honest, messages) = standalone(&ops);
    assert!(!block_rejected(&honest, &messages));
    let mut rows = interesting_rows(0, &e);
    rows.extend(interesting_rows(1, &Word::from(0x81)));
    assert_changed_cells_rejected(&honest, &messages, 0, Exp::COLUMNS, &rows);
    // A padding block that turns live would consume a message nobody provides.
    for row in [2 * BLOCK, 3 * BLOCK + 255] {
        let mut traces = honest.clone();
        traces[0].columns[col::LIVE][row] += Goldilocks::ONE;
        assert!(block_rejected(&traces, &messages), "padding row {row}");
    }
    assert_changed_message_fields_rejected(&honest, &messages);
}

/// A product the table claims that MulDiv does not prove: the square of one row replaced,
/// the rest of the block recomputed from it, so every Exp constraint holds.
#[test]
fn a_wrong_product_is_not_consumed() {
    let honest_op = op(&Word::from(3), &Word::from(5));
    let (mut traces, messages) = standalone(&[honest_op]);
    let t = &mut traces[0].columns;
    // Bits of 5 are rows 253 (1), 254 (0), 255 (1); row 254 squares acc = 3 into 9: claim 10.
    let row = 254;
    assert_eq!(t[col::SQ][row], Goldilocks::new(9));
    t[col::SQ][row] = Goldilocks::new(10);
    t[col::OUT][row] = Goldilocks::new(10);
    t[col::ACC][row + 1] = Goldilocks::new(10);
    t[col::SQ][row + 1] = Goldilocks::new(100);
    t[col::OUT][row + 1] = Goldilocks::new(300);
    check_block(&traces[..1]).unwrap();
    let mut claimed = messages;
    claimed[0].fields[1 + 2 * LIMBS] = Goldilocks::new(300);
    assert!(block_rejected(&traces, &claimed));
}

/// A byte count that is not the exponent's: the CPU's message with 50 gas less.
#[test]
fn the_gas_bytes_are_the_exponents() {
    let honest_op = op(&Word::from(7), &Word::from(0x1_0000));
    assert_eq!(honest_op.bytes(), 3);
    let (traces, mut messages) = standalone(&[honest_op]);
    messages[0].fields[0] -= Goldilocks::new(1 << 8);
    assert!(block_rejected(&traces, &messages));
}
