use super::*;
use crate::bus::PublicMessage;
use crate::component::ComponentTrace;
use crate::rw::limbs;
use crate::storage::word_of as word;
use crate::test_support::{
    assert_changed_cells_rejected, assert_changed_message_fields_rejected, block_imbalance,
    block_rejected, check_block, random_words, with_range_table,
};
use zkevm_evm_spec::witness::Word;
use zkevm_field::{FieldElement, Quadratic};

/// The EVM's definition, written on whole words: bits above `8k + 7` copy that bit.
fn evm(k: Word, x: Word) -> Word {
    if k >= Word::from(31) {
        return x;
    }
    let top = 8 * k.to::<usize>() + 7;
    let low_mask = (Word::from(1) << (top + 1)) - Word::from(1);
    match x.bit(top) {
        true => x | !low_mask,
        false => x & low_mask,
    }
}

fn op(k: &Word, x: &Word) -> AluOp {
    AluOp {
        opcode: SIGNEXTEND,
        a: limbs(k),
        b: limbs(x),
    }
}

fn values() -> Vec<Word> {
    let mut words = vec![
        Word::ZERO,
        Word::from(0x7f),
        Word::from(0x80),
        Word::from(0xff),
        Word::from(0x8000_0000u64),
        Word::MAX,
        Word::from(1) << 255,
        (Word::from(1) << 255) - Word::from(1),
    ];
    // Every byte's top bit set, and every byte's top bit clear.
    words.push(Word::from_be_bytes([0x80; 32]));
    words.push(Word::from_be_bytes([0x7f; 32]));
    words.extend(random_words(0x9e37_79b9_7f4a_7c15, &[5, 16, 31, 32, 32]));
    words
}

fn indices() -> Vec<Word> {
    let mut k: Vec<Word> = (0..=33u64).map(Word::from).collect();
    k.extend([
        Word::from(255),
        Word::from(u32::MAX),
        Word::from(1u64 << 32),
        Word::from(1) << 255,
        Word::MAX,
    ]);
    k
}

fn standalone(ops: &[AluOp]) -> (Vec<ComponentTrace>, Vec<PublicMessage>) {
    let table = trace(ops);
    let mut traces = with_range_table(ComponentId::SignExtend, table.columns, table.range_lookups);
    // The byte lookups are counted by the range table too.
    let lookups: Vec<u16> = trace(ops).range_lookups;
    traces[1].columns = crate::range::trace_with_bytes(lookups, table.byte_lookups);
    let results: Vec<[u32; LIMBS]> = ops.iter().map(result).collect();
    (traces, crate::alu::messages(ops, &results))
}

#[test]
fn results_match_the_evm_and_prove() {
    let mut ops = Vec::new();
    for k in indices() {
        for x in values() {
            ops.push(op(&k, &x));
        }
    }
    for o in &ops {
        assert_eq!(word(&result(o)), evm(word(&o.a), word(&o.b)), "{o:?}");
        assert_eq!(o.result(), Some(result(o)));
    }
    let (traces, messages) = standalone(&ops);
    check_block(&traces).unwrap();
    assert_eq!(block_imbalance(&traces, &messages), Quadratic::ZERO);
}

/// Every byte position of each limb, a big index in each form (31, a large low limb, a high
/// limb), signs set and clear.
fn sample() -> Vec<AluOp> {
    let x = Word::from_be_bytes::<32>(std::array::from_fn(|i| (i as u8).wrapping_mul(37) ^ 0x5a));
    let mut ops: Vec<AluOp> = [0u64, 1, 2, 3, 4, 9, 14, 19, 30]
        .iter()
        .map(|&k| op(&Word::from(k), &x))
        .collect();
    ops.push(op(&Word::from(5), &!x));
    ops.push(op(&Word::from(31), &x));
    ops.push(op(&Word::from(0x1_0000), &x));
    ops.push(op(&(Word::from(1) << 200), &x));
    ops
}

#[test]
fn every_tampered_cell_and_message_field_is_caught() {
    let ops = sample();
    let (honest, messages) = standalone(&ops);
    assert!(!block_rejected(&honest, &messages));
    let rows: Vec<usize> = (0..ops.len()).collect();
    assert_changed_cells_rejected(&honest, &messages, 0, SignExtend::COLUMNS, &rows);
    let padding = ops.len();
    for column in [col::LIVE, col::BIG, col::P, col::P + 30] {
        let mut traces = honest.clone();
        traces[0].columns[column][padding] += Goldilocks::ONE;
        assert!(block_rejected(&traces, &messages), "padding {column}");
    }
    assert_changed_message_fields_rejected(&honest, &messages);
}

/// An index of 30 claimed as big (the value unchanged): `30 − 31` has no 40-bit split.
#[test]
fn a_small_index_cannot_pass_for_big() {
    let x = Word::from(0x80) << 240;
    let honest = op(&Word::from(30), &x);
    let forged_result = limbs(&x);
    assert_ne!(result(&honest), forged_result);
    let (mut traces, mut messages) = standalone(&[honest]);
    let t = &mut traces[0].columns;
    t[col::P + 30][0] = Goldilocks::ZERO;
    t[col::BIG][0] = Goldilocks::ONE;
    let d = Goldilocks::ZERO - Goldilocks::ONE; // 30 − 31
    t[col::D][0] = d;
    for i in [1, 2] {
        t[col::D + i][0] = Goldilocks::ZERO;
    }
    for q in 0..LIMB_BYTES {
        t[col::Y + q][0] = Goldilocks::ZERO;
    }
    t[col::SIGN][0] = Goldilocks::ZERO;
    t[col::LOW7][0] = Goldilocks::ZERO;
    t[col::MID][0] = Goldilocks::ZERO;
    for j in 0..LIMBS {
        t[col::C + j][0] = Goldilocks::new(forged_result[j] as u64);
    }
    check_block(&traces[..1]).unwrap();
    messages[0] = crate::alu::messages(&[honest], &[forged_result])[0].clone();
    assert!(block_rejected(&traces, &messages));
}

/// The sign byte split with a seven-bit part of 128 or more (sign 0 where it is 1): the byte
/// lookup of `2·low7` objects.
#[test]
fn the_sign_cannot_hide_in_the_low_bits() {
    let x = Word::from(0xc5);
    let honest = op(&Word::ZERO, &x);
    let (mut traces, mut messages) = standalone(&[honest]);
    let t = &mut traces[0].columns;
    t[col::SIGN][0] = Goldilocks::ZERO;
    t[col::LOW7][0] = Goldilocks::new(0xc5);
    t[col::MID][0] = Goldilocks::new(0xc5);
    t[col::C][0] = Goldilocks::new(0xc5);
    for j in 1..LIMBS {
        t[col::C + j][0] = Goldilocks::ZERO;
    }
    check_block(&traces[..1]).unwrap();
    let claimed = limbs(&x);
    messages[0] = crate::alu::messages(&[honest], &[claimed])[0].clone();
    assert!(block_rejected(&traces, &messages));
}
