use super::*;
use crate::and_table::{self, AndTable};
use crate::bus::PublicMessage;
use crate::component::ComponentTrace;
use crate::rw::limbs;
use crate::storage::word_of;
use crate::test_support::{
    assert_changed_message_fields_rejected, block_imbalance, block_rejected, check_block,
    random_words,
};
use zkevm_evm_spec::witness::Word;
use zkevm_field::{FieldElement, Quadratic};

fn edge_words() -> Vec<Word> {
    let mut words = vec![
        Word::ZERO,
        Word::from(1),
        Word::MAX,
        Word::from(1) << 255,
        Word::from(u32::MAX),
    ];
    words.extend(random_words(0x2545_f491_4f6c_dd1d, &[32; 4]));
    words
}

fn evm(opcode: u8, a: Word, b: Word) -> Word {
    match opcode {
        0x16 => a & b,
        0x17 => a | b,
        0x18 => a ^ b,
        _ => !a,
    }
}

/// The operation as the CPU hands it over: NOT has no second operand (`b = 0`).
fn op(opcode: u8, a: &Word, b: &Word) -> AluOp {
    let b = if opcode == 0x19 { &Word::ZERO } else { b };
    AluOp {
        opcode,
        a: limbs(a),
        b: limbs(b),
    }
}

/// The Bitwise and AND tables of `ops`, and the CPU's messages claiming `results`.
fn standalone(
    ops: &[AluOp],
    results: &[[u32; LIMBS]],
) -> (Vec<ComponentTrace>, Vec<PublicMessage>) {
    let table = trace(ops);
    let traces = vec![
        ComponentTrace {
            id: ComponentId::Bitwise,
            columns: table.columns,
        },
        ComponentTrace {
            id: ComponentId::AndTable,
            columns: and_table::trace(table.and_lookups),
        },
    ];
    (traces, crate::alu::messages(ops, results))
}

#[test]
fn results_match_the_evm_and_prove() {
    let words = edge_words();
    let mut ops = Vec::new();
    for (_, opcode) in OPERATIONS {
        for a in &words {
            for b in &words {
                ops.push(op(opcode, a, b));
            }
        }
    }
    let results: Vec<[u32; LIMBS]> = ops.iter().map(|o| o.result().unwrap()).collect();
    for (op, c) in ops.iter().zip(&results) {
        let expected = evm(op.opcode, word_of(&op.a), word_of(&op.b));
        assert_eq!(word_of(c), expected, "{op:?}");
    }
    let (traces, messages) = standalone(&ops, &results);
    check_block(&traces).unwrap();
    assert_eq!(block_imbalance(&traces, &messages), Quadratic::ZERO);
}

/// A word whose 32 bytes all differ from each other and from the other sample word's.
fn pattern(step: u8, mask: u8) -> Word {
    let bytes: [u8; 32] = std::array::from_fn(|i| (i as u8).wrapping_mul(step) ^ mask);
    Word::from_be_bytes(bytes)
}

/// One operation of each kind on operands whose bytes differ in every position.
fn sample() -> (Vec<AluOp>, Vec<[u32; LIMBS]>) {
    let (a, b) = (pattern(29, 0xa5), pattern(53, 0x3c));
    let ops: Vec<AluOp> = OPERATIONS
        .iter()
        .map(|&(_, opcode)| op(opcode, &a, &b))
        .collect();
    let results = ops.iter().map(|o| o.result().unwrap()).collect();
    (ops, results)
}

#[test]
fn every_tampered_cell_and_message_field_is_caught() {
    let (ops, results) = sample();
    let (honest, messages) = standalone(&ops, &results);
    assert!(!block_rejected(&honest, &messages));
    for (t, names) in [(0, Bitwise::COLUMNS), (1, AndTable::COLUMNS)] {
        let rows = honest[t].columns[0].len();
        for (column, name) in names.iter().enumerate() {
            for row in 0..rows {
                // Padding rows of the Bitwise table: only the flags matter. Padding rows of the
                // AND table hold the zero triple with multiplicity 0; there only a bit pushed
                // out of {0, 1} (+1 stays a valid bit) or a multiplicity is caught.
                let skip = match t {
                    0 => row >= ops.len() && column >= col::SEL + OPERATIONS.len(),
                    _ => {
                        let padding = honest[1].columns[and_table::col::MULTIPLICITY][row]
                            == Goldilocks::ZERO;
                        padding && column != and_table::col::MULTIPLICITY
                    }
                };
                if skip {
                    continue;
                }
                for delta in [Goldilocks::ONE, -Goldilocks::ONE] {
                    let mut traces = honest.clone();
                    traces[t].columns[column][row] += delta;
                    assert!(
                        block_rejected(&traces, &messages),
                        "{name} at row {row} accepted"
                    );
                }
            }
        }
    }
    assert_changed_message_fields_rejected(&honest, &messages);
}

#[test]
fn a_wrong_result_cannot_be_backed_by_a_forged_triple_or_an_oversized_byte() {
    let (ops, results) = sample();
    let (honest, messages) = standalone(&ops, &results);
    // A used AND row claiming another byte keeps its value only with a bit outside {0, 1}.
    let mut traces = honest.clone();
    let and = &mut traces[1].columns;
    let row = (0..and[0].len())
        .find(|&r| {
            and[and_table::col::MULTIPLICITY][r] != Goldilocks::ZERO
                && and[and_table::col::X + 1][r] == Goldilocks::ONE
        })
        .unwrap();
    and[and_table::col::X][row] = Goldilocks::new(2);
    and[and_table::col::X + 1][row] = Goldilocks::ZERO;
    assert!(check_block(&traces).is_err());
    // A byte of 256 or more with its neighbour lowered keeps the limb: the lookup refuses it.
    let mut traces = honest.clone();
    let t = &mut traces[0].columns;
    t[col::A + 1][0] += Goldilocks::new(256);
    t[col::A + 2][0] -= Goldilocks::ONE;
    check_block(&traces).unwrap();
    assert!(block_rejected(&traces, &messages));
    // The CPU claiming OR where the row proves AND (same operands and result) does not balance.
    let mut wrong = messages.clone();
    let relabelled = AluOp {
        opcode: 0x17,
        ..ops[0]
    };
    wrong[0] = PublicMessage::provide(ALU, &relabelled.message_fields(&results[0]));
    assert!(block_rejected(&honest, &wrong));
}
