use super::*;
use crate::bus::PublicMessage;
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
        Word::from(255),
        Word::from(256),
        Word::from(257),
        Word::MAX,
        Word::from(1) << 255,
        (Word::from(1) << 255) - Word::from(1),
        Word::from(u32::MAX),
        Word::from(1u128 << 64),
        Word::MAX - Word::from(1),
    ];
    words.extend(random_words(0x2545_f491_4f6c_dd1d, &[4, 9, 17, 32, 32]));
    words
}

/// The EVM's definition of each operation, written independently of the table (a shift's
/// amount is popped first: `a`).
fn evm(opcode: u8, a: Word, b: Word) -> Word {
    let shift = |b: Word| (b < Word::from(256)).then(|| b.to::<usize>());
    match opcode {
        0x02 => a.wrapping_mul(b),
        0x04 => a.checked_div(b).unwrap_or(Word::ZERO),
        0x06 => a.checked_rem(b).unwrap_or(Word::ZERO),
        0x1e => Word::from(a.leading_zeros()),
        0x1a => match a < Word::from(32) {
            true => Word::from(b.to_be_bytes::<32>()[a.to::<usize>()]),
            false => Word::ZERO,
        },
        0x05 | 0x07 => {
            // Truncated division of two's-complement integers; SMOD takes a's sign.
            let (na, nb) = (a.bit(255), b.bit(255));
            let abs = |w: Word, negative: bool| if negative { Word::ZERO - w } else { w };
            if b.is_zero() {
                return Word::ZERO;
            }
            let (q, r) = (abs(a, na) / abs(b, nb), abs(a, na) % abs(b, nb));
            match opcode {
                0x05 => abs(q, na != nb),
                _ => abs(r, na),
            }
        }
        0x1b => shift(a).map_or(Word::ZERO, |s| b << s),
        0x1c => shift(a).map_or(Word::ZERO, |s| b >> s),
        _ => {
            let negative = b.bit(255);
            match shift(a) {
                Some(s) if negative => !((!b) >> s),
                Some(s) => b >> s,
                None if negative => Word::MAX,
                None => Word::ZERO,
            }
        }
    }
}

fn op(opcode: u8, a: &Word, b: &Word) -> AluOp {
    AluOp {
        opcode,
        a: limbs(a),
        b: limbs(b),
    }
}

/// Every operation on every pair of edge-case and random operands, plus shift amounts around
/// every limb boundary.
fn ops() -> Vec<AluOp> {
    let words = edge_words();
    let mut ops = Vec::new();
    for (_, opcode) in OPERATIONS {
        for a in &words {
            // CLZ is unary: the CPU sends b = 0.
            for b in words.iter().filter(|b| opcode != 0x1e || b.is_zero()) {
                ops.push(op(opcode, a, b));
            }
        }
    }
    for index in [0u64, 1, 2, 15, 16, 30, 31, 32, 33, 255, 256, 1 << 40] {
        for value in [Word::MAX, words[words.len() - 1]] {
            ops.push(op(0x1a, &Word::from(index), &value));
        }
    }
    for bit in [0, 1, 15, 16, 31, 32, 100, 254, 255] {
        ops.push(op(0x1e, &(Word::from(1) << bit), &Word::ZERO));
        ops.push(op(
            0x1e,
            &((Word::from(1) << bit) | Word::from(1)),
            &Word::ZERO,
        ));
    }
    let amounts = [
        0u64,
        1,
        15,
        16,
        17,
        31,
        32,
        100,
        128,
        240,
        254,
        255,
        256,
        1 << 40,
    ];
    for opcode in [0x1b, 0x1c, 0x1d] {
        for a in [Word::MAX, Word::from(1) << 255, Word::from(0x1234_5678u64)] {
            for &s in &amounts {
                ops.push(op(opcode, &Word::from(s), &a));
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
    let traces = with_range_table(ComponentId::MulDiv, table.columns, table.range_lookups);
    (traces, crate::alu::messages(ops, results))
}

#[test]
fn results_match_the_evm_and_prove() {
    let ops = ops();
    let results: Vec<[u32; LIMBS]> = ops.iter().map(|o| o.result().unwrap()).collect();
    for (op, c) in ops.iter().zip(&results) {
        let expected = evm(op.opcode, word(&op.a), word(&op.b));
        assert_eq!(word(c), expected, "{op:?}");
    }
    let (traces, messages) = standalone(&ops, &results);
    check_block(&traces).unwrap();
    assert_eq!(block_imbalance(&traces, &messages), Quadratic::ZERO);
}

/// One operation of each kind on operands that exercise every limb, and the special cases:
/// division by zero, a shift by 256 or more, a negative SAR, CLZ of 0, SDIV of −2²⁵⁵ by −1,
/// signed operations with a zero magnitude or divisor.
fn sample() -> Vec<AluOp> {
    let a = Word::MAX - Word::from(5) - (Word::from(3) << 130);
    let b = Word::from(7) << 200 | Word::from(9) << 40 | Word::from(11);
    let mut ops: Vec<AluOp> = [0x02, 0x04, 0x06, 0x05, 0x07]
        .iter()
        .map(|&opcode| op(opcode, &a, &b))
        .collect();
    ops.extend([
        op(0x1b, &Word::from(37), &a),
        op(0x1c, &Word::from(77), &a),
        op(0x1d, &Word::from(133), &a),
        op(0x04, &a, &Word::ZERO),
        op(0x06, &a, &Word::ZERO),
        op(0x1c, &(Word::from(1) << 70), &a),
        op(0x1d, &Word::from(300), &a),
        op(0x1e, &(a >> 77), &Word::ZERO),
        op(0x1e, &Word::ZERO, &Word::ZERO),
        op(0x1a, &Word::from(9), &a),
        op(0x1a, &Word::from(40), &a),
        op(0x05, &(Word::from(1) << 255), &Word::MAX),
        op(0x07, &(Word::MAX - Word::from(6)), &Word::from(3)),
        op(0x05, &Word::from(5), &(Word::ZERO - Word::from(7))),
        op(0x07, &(Word::ZERO - Word::from(100)), &Word::ZERO),
    ]);
    ops
}

#[test]
fn every_tampered_cell_and_message_field_is_caught() {
    let ops = sample();
    let results: Vec<[u32; LIMBS]> = ops.iter().map(|o| o.result().unwrap()).collect();
    let (honest, messages) = standalone(&ops, &results);
    assert!(!block_rejected(&honest, &messages));
    // Row r holds ops[r] (`sample` lists which operation that is).
    let rows: Vec<usize> = (0..ops.len()).collect();
    assert_changed_cells_rejected(&honest, &messages, 0, MulDiv::COLUMNS, &rows);
    // The padding row: anything that would send a message or a lookup is caught.
    let padding = ops.len();
    for column in [col::LIVE, col::SEL, col::SEL + 3] {
        let mut traces = honest.clone();
        traces[0].columns[column][padding] += Goldilocks::ONE;
        assert!(block_rejected(&traces, &messages), "padding {column}");
    }
    // Each field of each message: opcode, operands, result.
    assert_changed_message_fields_rejected(&honest, &messages);
}

/// Re-splits a 16-bit limb with its neighbour so the word's value is unchanged but the limb
/// leaves 16 bits: the constraints still hold, only the range table can object.
#[test]
fn a_limb_out_of_range_is_caught_by_the_range_check_alone() {
    let ops = sample();
    let results: Vec<[u32; LIMBS]> = ops.iter().map(|o| o.result().unwrap()).collect();
    let (honest, messages) = standalone(&ops, &results);
    // MUL (row 0): move 1 from L₃ into L₂ as 2¹⁶; the message's c₁ = L₂ + 2¹⁶·L₃ is unchanged
    // and so is every column sum's weighted total, but carries shift: recompute them.
    let mut traces = honest.clone();
    let t = &mut traces[0].columns;
    assert_ne!(t[col::L + 3][0], Goldilocks::ZERO);
    t[col::L + 3][0] -= Goldilocks::ONE;
    t[col::L + 2][0] += Goldilocks::new(1 << 16);
    // Position 2 now has 2¹⁶ more subtracted: the pair (2, 3) sum is unchanged, no carry moves.
    check_block(&traces[..1]).unwrap();
    assert!(block_rejected(&traces, &messages));
}

#[test]
fn a_wrong_quotient_with_a_remainder_at_least_the_divisor_is_caught() {
    // DIV: quotient − 1 and remainder + divisor satisfy P·Q + R = L; only R < Q fails.
    let (a, b) = (Word::from(1000), Word::from(7));
    let honest_op = op(0x04, &a, &b);
    let (mut traces, _) = standalone(&[honest_op], &[honest_op.result().unwrap()]);
    let t = &mut traces[0].columns;
    assert_eq!(t[col::P][0], Goldilocks::new(142));
    t[col::P][0] = Goldilocks::new(141);
    t[col::R][0] = Goldilocks::new(6 + 7);
    t[col::C][0] = Goldilocks::new(141);
    // The one-hot stays on limb 0, whose difference is now 7 − 13 − 1 < 0: no 32-bit split.
    let forged = limbs(&Word::from(141));
    let messages = vec![PublicMessage::provide(
        ALU,
        &honest_op.message_fields(&forged),
    )];
    assert!(block_rejected(&traces, &messages));
}

#[test]
fn division_by_zero_cannot_claim_a_quotient() {
    let a = Word::from(12345);
    let honest_op = op(0x04, &a, &Word::ZERO);
    let (mut traces, _) = standalone(&[honest_op], &[[0; LIMBS]]);
    let t = &mut traces[0].columns;
    // 5·0 + a = a still holds; the quotient-is-zero constraint does not.
    t[col::P][0] = Goldilocks::new(5);
    t[col::C][0] = Goldilocks::new(5);
    let mut forged = [0; LIMBS];
    forged[0] = 5;
    let messages = vec![PublicMessage::provide(
        ALU,
        &honest_op.message_fields(&forged),
    )];
    assert!(block_rejected(&traces, &messages));
}

#[test]
fn a_large_shift_cannot_pass_for_a_small_one() {
    // SHR by 2⁴⁰ + 3 is 0; claiming big = 0 (a shift by 3) needs the inverse to vanish, which
    // the non-zero high part of b forbids.
    let a = Word::from(0xff00u64);
    let honest_op = op(0x1c, &(Word::from(1u64 << 40) + Word::from(3)), &a);
    assert_eq!(honest_op.result().unwrap(), [0; LIMBS]);
    let (honest, _) = standalone(&[honest_op], &[[0; LIMBS]]);
    let mut traces = honest.clone();
    let t = &mut traces[0].columns;
    t[col::BIG][0] = Goldilocks::ZERO;
    t[col::PJB][0] = Goldilocks::new(8);
    t[col::Q][0] = Goldilocks::new(8);
    assert!(check_block(&traces[..1]).is_err());
}

#[test]
fn clz_cannot_claim_another_count() {
    // CLZ(0x100) = 247: the row holds s = 8, quotient 1. Claiming s = 7 (count 248) needs a
    // quotient of 2 (not a bit); claiming count 256 needs s = 0 with quotient 0, which leaves
    // a remainder of 0x100 ≥ 2⁰.
    let honest_op = op(0x1e, &Word::from(0x100), &Word::ZERO);
    assert_eq!(honest_op.result().unwrap()[0], 247);
    let (honest, _) = standalone(&[honest_op], &[honest_op.result().unwrap()]);
    for claimed in [248u32, 256, 246] {
        let mut forged = [0; LIMBS];
        forged[0] = claimed;
        let messages = vec![PublicMessage::provide(
            ALU,
            &honest_op.message_fields(&forged),
        )];
        assert!(block_rejected(&honest, &messages), "count {claimed}");
    }
}

/// Found in review: a negated result whose carries stop early. SMOD(−1, 0) is 0, the negation
/// of a zero magnitude; with every carry cleared, limb 0 would read 2³² and the rest 2³² − 1.
#[test]
fn a_negated_result_cannot_drop_its_carries() {
    let honest_op = op(0x07, &Word::MAX, &Word::ZERO);
    assert_eq!(honest_op.result().unwrap(), [0; LIMBS]);
    let (mut traces, _) = standalone(&[honest_op], &[[0; LIMBS]]);
    let t = &mut traces[0].columns;
    assert_eq!(t[col::SC][0], Goldilocks::ONE);
    let mut forged = [0u64; LIMBS];
    for k in 0..LIMBS {
        t[col::NC + k][0] = Goldilocks::ZERO;
        forged[k] = if k == 0 { 1 << 32 } else { u32::MAX as u64 };
        t[col::C + k][0] = Goldilocks::new(forged[k]);
    }
    let mut fields = honest_op.message_fields(&[0; LIMBS]);
    for k in 0..LIMBS {
        fields[1 + 2 * LIMBS + k] = Goldilocks::new(forged[k]);
    }
    let messages = vec![PublicMessage::provide(ALU, &fields)];
    assert!(block_rejected(&traces, &messages));
}

/// Found in review: BYTE's split of the quotient's low limb with a fractional high part.
#[test]
fn byte_cannot_split_its_limb_with_a_fraction() {
    let honest_op = op(0x1a, &Word::from(31), &Word::from(0x1234));
    assert_eq!(honest_op.result().unwrap()[0], 0x34);
    let (mut traces, _) = standalone(&[honest_op], &[honest_op.result().unwrap()]);
    let t = &mut traces[0].columns;
    t[col::BYTE][0] = Goldilocks::ZERO;
    t[col::BYTE_HI][0] = Goldilocks::new(0x1234) * Goldilocks::new(256).inverse();
    t[col::C][0] = Goldilocks::ZERO;
    // The constraints hold; only the lookup of the fractional high part fails.
    check_block(&traces[..1]).unwrap();
    let messages = vec![PublicMessage::provide(
        ALU,
        &honest_op.message_fields(&[0; LIMBS]),
    )];
    assert!(block_rejected(&traces, &messages));
}

#[test]
fn the_constant_inverse_of_8_is_one() {
    assert_eq!(
        Goldilocks::new(INVERSE_OF_8) * Goldilocks::new(8),
        Goldilocks::ONE
    );
}
