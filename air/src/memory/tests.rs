use super::*;
use crate::bus::PublicMessage;
use crate::component::ComponentTrace;
use crate::range;
use crate::rw;
use crate::test_support::{block_imbalance, block_rejected, check_block};
use zkevm_field::{FieldElement, Quadratic};

/// Memory bytes as the EVM sees them, to compute what loads return.
#[derive(Default)]
struct Model(std::collections::HashMap<u32, u8>);

impl Model {
    /// The operation after applying it: a load returns the word at `offset`.
    fn apply(&mut self, mut op: MemoryOp) -> MemoryOp {
        let be: Vec<u8> = (0..32)
            .map(|i| (op.value[7 - i / 4] >> (24 - 8 * (i % 4))) as u8)
            .collect();
        match (op.write, op.wide) {
            (true, true) => {
                for (i, b) in be.iter().enumerate() {
                    self.0.insert(op.offset + i as u32, *b);
                }
            }
            (true, false) => {
                self.0.insert(op.offset, op.value[0] as u8);
            }
            (false, _) => {
                let bytes: Vec<u8> = (0..32)
                    .map(|i| *self.0.get(&(op.offset + i)).unwrap_or(&0))
                    .collect();
                for (l, limb) in op.value.iter_mut().enumerate() {
                    let at = 28 - 4 * l;
                    *limb = u32::from_be_bytes(bytes[at..at + 4].try_into().unwrap());
                }
            }
        }
        op
    }
}

fn op(ctr: u32, offset: u32, write: bool, wide: bool, value: [u32; LIMBS]) -> MemoryOp {
    MemoryOp {
        ctr,
        ctx: 1,
        offset,
        write,
        wide,
        value,
    }
}

/// An unaligned MSTORE, an MLOAD over written and never-written bytes, an MSTORE8 into the
/// stored word, an MLOAD reading it back, and an MSTORE8 at offset 0.
fn ops() -> Vec<MemoryOp> {
    let word = [
        0x0403_0201,
        0x0807_0605,
        0xdead_beef,
        0xffff_ffff,
        0,
        0x8000_0000,
        7,
        0x1122_3344,
    ];
    let mut model = Model::default();
    [
        op(0, 3, true, true, word),
        op(32, 0, false, true, [0; LIMBS]),
        op(64, 10, true, false, [0x1234_56ab, 9, 9, 9, 9, 9, 9, 9]),
        op(65, 7, false, true, [0; LIMBS]),
        op(97, 0, true, false, [0xffff_ff01, 0, 0, 0, 0, 0, 0, 0]),
    ]
    .into_iter()
    .map(|o| model.apply(o))
    .collect()
}

/// The memory table, the RW table of its accesses and the range table, with the operations
/// standing in for the CPU as public messages.
fn standalone(ops: &[MemoryOp]) -> (Vec<ComponentTrace>, Vec<PublicMessage>) {
    let memory = trace(ops);
    let table = rw::trace(&memory.accesses).unwrap();
    let range = range::trace_with_bytes(table.range_lookups, memory.bytes);
    let traces = vec![
        ComponentTrace {
            id: ComponentId::Memory,
            columns: memory.columns,
        },
        ComponentTrace {
            id: ComponentId::ReadWrite,
            columns: table.columns,
        },
        ComponentTrace {
            id: ComponentId::Range16,
            columns: range,
        },
    ];
    let messages = ops
        .iter()
        .map(|o| PublicMessage::provide(MEMORY, &o.fields()))
        .collect();
    (traces, messages)
}

#[test]
fn unaligned_words_and_single_bytes_are_byte_accesses() {
    let ops = ops();
    // Bytes 0..3 were never written; the MSTORE8 replaced byte 10 with 0xab.
    assert_eq!(ops[1].value[7], 0x0000_0011);
    assert_eq!(ops[3].value[7] & 0xff, 0xab);
    let (traces, messages) = standalone(&ops);
    check_block(&traces).unwrap();
    assert_eq!(block_imbalance(&traces, &messages), Quadratic::ZERO);
    assert_eq!(trace(&ops).accesses.len(), 32 * 3 + 2);
}

#[test]
fn every_tampered_memory_cell_or_message_is_caught() {
    let ops = ops();
    let (honest, messages) = standalone(&ops);
    let live = ops.iter().map(MemoryOp::rows).sum::<usize>();
    for column in 0..Memory::COLUMNS.len() {
        for row in 0..=live {
            // The padding row after the operations: only its flags are checked.
            let flags = [col::LIVE, col::FIRST, col::WIDE];
            if row == live && !flags.contains(&column) {
                continue;
            }
            let mut traces = honest.clone();
            let cell = &mut traces[0].columns[column][row];
            *cell += Goldilocks::ONE;
            assert!(
                block_rejected(&traces, &messages),
                "{} at row {row} accepted",
                Memory::COLUMNS[column]
            );
        }
    }
    // Each message field the CPU could get wrong: the loaded word, the offset, the kind.
    for (i, _) in ops.iter().enumerate() {
        for field in 0..5 + LIMBS {
            let mut messages = messages.clone();
            messages[i].fields[field] += Goldilocks::ONE;
            assert!(block_rejected(&honest, &messages), "op {i} field {field}");
        }
    }
}

#[test]
fn a_load_must_return_what_was_stored() {
    let mut ops = ops();
    // The MLOAD claims a different word, consistently laid out: memory disagrees.
    ops[3].value[7] ^= 0x0100;
    let (traces, messages) = standalone(&ops);
    check_block(&traces[..1]).unwrap();
    assert!(block_rejected(&traces, &messages));
}

#[test]
fn a_table_of_live_rows_cannot_cut_its_last_operation_short() {
    // An MLOAD alone, laid out honestly, then cut to its first 8 rows (two limbs): every row
    // live, the operation unfinished, six limbs of the loaded word never compared.
    let load = op(0, 0, false, true, [0; LIMBS]);
    let honest = trace(&[load]).columns;
    let cut: Vec<Vec<Goldilocks>> = honest.iter().map(|c| c[..8].to_vec()).collect();
    assert!(crate::check::check_constraints(&Memory, &cut).is_err());
}
