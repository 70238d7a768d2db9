use super::*;
use crate::bus::aux_width;
use crate::component::ComponentTrace;
use crate::test_support::{
    assert_changed_message_fields_rejected, block_imbalance, block_rejected, bus_rejection,
    check_block, Rejection,
};
use zkevm_field::{FieldElement, Quadratic};

/// Keccak-f\[1600\] as the `keccak` crate computes it.
fn reference(input: &[u64; LANES]) -> [u64; LANES] {
    let mut state = *input;
    keccak::f1600(&mut state);
    state
}

/// Deterministic pseudo-random states (xorshift).
fn states(seed: u64, count: usize) -> Vec<[u64; LANES]> {
    let mut s = seed;
    let mut next = move || {
        s ^= s << 13;
        s ^= s >> 7;
        s ^= s << 17;
        s
    };
    (0..count)
        .map(|_| core::array::from_fn(|_| next()))
        .collect()
}

/// The block of `inputs` with the verifier's messages for the reference outputs, and the
/// outputs the trace computes.
fn block(inputs: &[[u64; LANES]]) -> (Vec<ComponentTrace>, Vec<PublicMessage>, Vec<[u64; LANES]>) {
    let (traces, outputs) = permutation_block(inputs);
    let expected: Vec<_> = inputs.iter().map(reference).collect();
    (traces, public_messages(inputs, &expected), outputs)
}

#[test]
fn the_layout_fits_winterfell_and_every_rotation_class_has_lanes() {
    assert_eq!(Keccak::COLUMNS.len(), col::WIDTH);
    assert_eq!(AND_LOOKUPS, 128);
    assert_eq!(Keccak.interactions().len(), 148);
    // 37 helpers of four lookups (degree 5) and two running sums.
    assert_eq!(aux_width(&Keccak), 39);
    assert!(Keccak.width() + aux_width(&Keccak) <= 255);
    let mut lanes: Vec<usize> = (0..ROWS_PER_PASS).flat_map(|f| class(f).to_vec()).collect();
    assert!((0..ROWS_PER_PASS).all(|f| !class(f).is_empty()));
    lanes.sort_unstable();
    assert_eq!(lanes, (0..LANES).collect::<Vec<_>>());
    // π is a permutation of the lanes.
    let mut moved: Vec<usize> = (0..LANES).map(destination).collect();
    moved.sort_unstable();
    assert_eq!(moved, (0..LANES).collect::<Vec<_>>());
}

#[test]
fn a_permutation_block_has_its_tables_once() {
    use ComponentId::{AndTable, Keccak as K, KeccakAnd};
    for good in [&[KeccakAnd][..], &[K, AndTable], &[AndTable, K]] {
        assert_eq!(check_permutation_components(good), Ok(()));
    }
    for bad in [
        &[][..],
        &[K],
        &[K, K, AndTable],
        &[KeccakAnd, K, AndTable],
        &[KeccakAnd, KeccakAnd],
        &[KeccakAnd, AndTable],
    ] {
        assert!(check_permutation_components(bad).is_err(), "{bad:?}");
    }
    let (traces, _) = permutation_block(&states(5, 1));
    let ids: Vec<ComponentId> = traces.iter().map(|t| t.id).collect();
    assert_eq!(check_permutation_components(&ids), Ok(()));
}

#[test]
fn the_constant_inverses_invert() {
    assert_eq!(
        INVERSE_OF_PASSES * Goldilocks::new(PASSES as u64),
        Goldilocks::ONE
    );
    for n in 1..=8 {
        assert_eq!(
            inverse_power_of_two(n) * Goldilocks::new(1 << n),
            Goldilocks::ONE
        );
    }
}

#[test]
fn permutations_match_the_reference_and_the_block_balances() {
    let mut inputs = vec![[0u64; LANES], [u64::MAX; LANES]];
    inputs.extend(states(0x9e37_79b9_7f4a_7c15, 3));
    let (traces, messages, outputs) = block(&inputs);
    for (input, output) in inputs.iter().zip(&outputs) {
        assert_eq!(*output, reference(input));
    }
    // Keccak-f of the zero state, from the Keccak team's known-answer file.
    assert_eq!(outputs[0][0], 0xf1258f7940e1dde7);
    assert_eq!(outputs[0][24], 0xeaf1ff7b5ceca249);
    check_block(&traces).unwrap();
    assert_eq!(block_imbalance(&traces, &messages), Quadratic::ZERO);
}

#[test]
fn a_wrong_output_or_a_missing_permutation_is_rejected() {
    let inputs = states(7, 2);
    let (traces, messages, _) = block(&inputs);
    // Another output: the verifier's messages no longer match the trace.
    let mut wrong = inputs.clone();
    wrong[1][3] ^= 1 << 40;
    let claimed = [reference(&inputs[0]), reference(&wrong[1])];
    assert!(block_rejected(&traces, &public_messages(&inputs, &claimed)));
    // The round table for another number of permutations.
    let mut fewer = messages.clone();
    fewer.splice(0..ROWS_PER_PERMUTATION, round_messages(1));
    assert!(block_rejected(&traces, &fewer));
    // Every field of every message.
    assert_changed_message_fields_rejected(&traces, &messages);
}

fn rejection(columns: &[Vec<Goldilocks>], messages: &[PublicMessage]) -> Option<Rejection> {
    crate::test_support::rejection(&Keccak, columns, messages)
}

#[test]
fn every_tampered_cell_is_caught_whatever_the_and_table() {
    let inputs = states(3, 2);
    let (traces, messages, _) = block(&inputs);
    assert_eq!(rejection(&traces[0].columns, &messages), None);
    let mut tampered = traces[0].columns.clone();
    // Every cell of the first two passes and the last of the first permutation, and the first
    // of the second, changed by ±1 (the passes between repeat the second one's constraints and
    // messages).
    let passes = [0, 1, PASSES - 1, PASSES];
    let rows = passes
        .iter()
        .flat_map(|k| k * ROWS_PER_PASS..(k + 1) * ROWS_PER_PASS);
    for row in rows {
        for column in 0..col::WIDTH {
            for delta in [Goldilocks::ONE, -Goldilocks::ONE] {
                tampered[column][row] += delta;
                assert!(
                    rejection(&tampered, &messages).is_some(),
                    "{} ({column}) at row {row} (+{delta:?}) accepted",
                    Keccak::COLUMNS[column]
                );
                tampered[column][row] -= delta;
            }
        }
    }
    // The first padding row: its flags and selectors carry every multiplicity.
    let padding = inputs.len() * ROWS_PER_PERMUTATION;
    let flags = (col::SEL..col::SEL + ROWS_PER_PASS).chain([col::LIVE, col::FIRST, col::LAST]);
    for column in flags {
        tampered[column][padding] += Goldilocks::ONE;
        let why = rejection(&tampered, &messages);
        assert!(why.is_some(), "{}", Keccak::COLUMNS[column]);
        tampered[column][padding] -= Goldilocks::ONE;
    }
    // The honest AND table agrees: the block as a whole balances.
    assert!(!block_rejected(&traces, &messages));
}

#[test]
fn an_operand_that_is_not_a_byte_is_caught() {
    // Move 256 between two χ input bytes of one lane in pass 0, whose χ inputs are witnesses:
    // the lane's value is unchanged, but the first cell is no byte, so no AND table has it
    // (the carry constraints catch the changed parity too).
    let inputs = states(11, 1);
    let (traces, messages, _) = block(&inputs);
    let mut tampered = traces[0].columns.clone();
    tampered[col::B + 7][3] += Goldilocks::new(256);
    tampered[col::B + 7][4] -= Goldilocks::ONE;
    assert_eq!(
        bus_rejection(&Keccak, &tampered, &messages),
        Some(Rejection::NotAByteTriple)
    );
    assert!(rejection(&tampered, &messages).is_some());
}

/// The AND table and the Keccak shards of `inputs` (at most `max_rows` rows each), in the order
/// an EVM block lists them.
fn sharded_block(inputs: &[[u64; LANES]], max_rows: usize) -> Vec<ComponentTrace> {
    block_of_shards(shards(inputs, max_rows))
}

/// The AND table of `shards`' lookups, then the shards.
fn block_of_shards(shards: Vec<KeccakTrace>) -> Vec<ComponentTrace> {
    let pairs = shards.iter().flat_map(|s| s.and_pairs.iter().copied());
    let mut traces = vec![ComponentTrace {
        id: ComponentId::AndTable,
        columns: crate::and_table::trace(pairs),
    }];
    traces.extend(shards.into_iter().map(|s| ComponentTrace {
        id: ComponentId::Keccak,
        columns: s.columns,
    }));
    traces
}

#[test]
fn shards_hold_their_span_and_balance_as_one_table() {
    let inputs = states(13, 5);
    let expected: Vec<_> = inputs.iter().map(reference).collect();
    let messages = public_messages(&inputs, &expected);
    // 512-row shards hold two permutations each: 2 + 2 + 1, the last in 256 rows.
    let split = shards(&inputs, 512);
    let rows: Vec<usize> = split.iter().map(|s| s.columns[0].len()).collect();
    assert_eq!(rows, [512, 512, 256]);
    let outputs: Vec<_> = split.iter().flat_map(|s| s.outputs.clone()).collect();
    assert_eq!(outputs, expected);
    assert_eq!(Keccak.shard_span(512), 2 * PASSES as u64);
    assert_eq!(Keccak.shard_span(1 << 20), 5_242 * PASSES as u64);
    let traces = sharded_block(&inputs, 512);
    let shapes = traces.iter().map(|t| (t.id, t.len()));
    assert_eq!(crate::shard_offsets(shapes), [0, 0, 50, 100]);
    assert!(!block_rejected(&traces, &messages));
    // One shard of 1,024 rows holds all five: the same permutations, the same messages.
    assert_eq!(shards(&inputs, 1024).len(), 1);
    assert!(!block_rejected(&sharded_block(&inputs, 1024), &messages));
}

/// True when the block's first violation is the pass counter's boundary value.
fn step_boundary_violated(traces: &[ComponentTrace]) -> bool {
    use crate::check::{CheckError, ConstraintKind};
    matches!(check_block(traces), Err(CheckError::Violated(v))
        if v.kind == ConstraintKind::Boundary && v.index == col::STEP && v.row == 0)
}

#[test]
fn a_shard_away_from_its_offset_is_rejected() {
    let inputs = states(17, 5);
    let expected: Vec<_> = inputs.iter().map(reference).collect();
    let messages = public_messages(&inputs, &expected);
    let honest = sharded_block(&inputs, 512);
    // The middle shard counted from 0, as a lone table would be: its steps (the TRANSFER and
    // WRAP tags) would be the first shard's, so the two could trade states mid-permutation.
    // Its pass counter must start at its offset (50).
    let mut restarted = honest.clone();
    restarted[2].columns = trace(&inputs[2..4]).columns;
    assert!(step_boundary_violated(&restarted));
    // Listed in another order, each shard's offset is another's.
    let mut swapped = honest.clone();
    swapped.swap(1, 3);
    assert!(step_boundary_violated(&swapped));
    // A first shard of 512 rows holding one permutation, one fewer than its span: the second
    // shard, at offset 50, numbers its permutations from 2, and permutation 1's input and
    // output are never exchanged.
    let mut first = trace_from(&inputs[..1], 0);
    for (column, values) in first.columns.iter_mut().enumerate() {
        let padding = if column == col::STEP {
            values[255]
        } else {
            Goldilocks::ZERO
        };
        values.resize(512, padding);
    }
    let mut gapped = block_of_shards(vec![first, trace_from(&inputs[1..], 2)]);
    check_block(&gapped).unwrap();
    assert_ne!(block_imbalance(&gapped, &messages), Quadratic::ZERO);
    // Numbered as the verifier expects instead (1 for the second shard's first permutation),
    // its steps begin inside the first shard's span, short of its offset. The bus balances:
    // only the boundary value stands between this block and acceptance.
    gapped[2].columns = trace_from(&inputs[1..], 1).columns;
    assert_eq!(block_imbalance(&gapped, &messages), Quadratic::ZERO);
    assert!(step_boundary_violated(&gapped));
    assert!(!block_rejected(&honest, &messages));
}
