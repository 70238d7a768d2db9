use super::*;
use crate::bus::PublicMessage;
use crate::keccak;
use crate::test_support::{
    assert_changed_message_fields_rejected, block_imbalance, check_block, rejection,
};
use sha3::Digest;
use zkevm_evm_spec::witness::Word;
use zkevm_field::{FieldElement, Goldilocks, Quadratic};

/// Deterministic pseudo-random bytes (xorshift).
fn bytes(seed: u64, len: usize) -> Vec<u8> {
    let mut s = seed | 1;
    (0..len)
        .map(|_| {
            s ^= s << 13;
            s ^= s >> 7;
            s ^= s << 17;
            s as u8
        })
        .collect()
}

fn reference(data: &[u8]) -> [u8; DIGEST_BYTES] {
    sha3::Keccak256::digest(data).into()
}

fn hashes(lengths: &[usize]) -> Vec<Hash> {
    (lengths.iter().enumerate())
        .map(|(i, &len)| Hash {
            ctr: 1000 * (i as u64 + 1),
            data: bytes(i as u64 + 5, len),
        })
        .collect()
}

fn g(value: u64) -> Goldilocks {
    Goldilocks::new(value)
}

/// What the Copy component and the CPU put on the bus for `hashes`: every padded byte
/// provided, every digest (the reference's) consumed.
fn copy_and_cpu_messages(hashes: &[Hash]) -> Vec<PublicMessage> {
    let mut messages = Vec::new();
    for hash in hashes {
        let ctr = g(hash.ctr);
        for (i, &byte) in padded(&hash.data).iter().enumerate() {
            let fields = [ctr, g(i as u64), g(u64::from(byte))];
            messages.push(PublicMessage::provide(SPONGE_BYTES, &fields));
        }
        let word = Word::from_be_bytes(reference(&hash.data));
        let limbs = crate::rw::limbs(&word);
        let mut fields = vec![ctr];
        fields.extend(limbs.map(|l| g(u64::from(l))));
        messages.push(PublicMessage {
            direction: Direction::Consume,
            ..PublicMessage::provide(HASH, &fields)
        });
    }
    messages
}

/// What the Keccak component puts on the bus: each input consumed, its output provided.
fn keccak_messages(inputs: &[[u64; LANES]]) -> Vec<PublicMessage> {
    let mut messages = Vec::new();
    for (j, input) in inputs.iter().enumerate() {
        let mut output = *input;
        ::keccak::f1600(&mut output);
        for mut message in keccak::io_messages(j, input, &output) {
            message.direction = match message.direction {
                Direction::Provide => Direction::Consume,
                Direction::Consume => Direction::Provide,
            };
            messages.push(message);
        }
    }
    messages
}

#[test]
fn digests_match_sha3_keccak256() {
    // The empty input's digest, as every Ethereum client knows it.
    assert_eq!(
        Word::from_be_bytes(digest(&[])),
        "0xc5d2460186f7233c927e7db2dcc703c0e500b653ca82273b7bfad8045d85a470"
            .parse::<Word>()
            .unwrap()
    );
    let mut lengths = vec![0, 1, 31, 32, 135, 136, 137, 271, 272, 273, 1000];
    lengths.extend(bytes(99, 12).iter().map(|&b| 3 * b as usize));
    for (i, &len) in lengths.iter().enumerate() {
        let data = bytes(i as u64, len);
        assert_eq!(digest(&data), reference(&data), "{len} bytes");
    }
}

#[test]
fn the_padding_starts_in_the_last_block() {
    for len in [0, 1, 134, 135, 136, 137, 271, 272] {
        let padded = padded(&vec![0xaa; len]);
        assert_eq!(padded.len(), (len / RATE + 1) * RATE);
        let tail = &padded[len..];
        match tail.len() {
            1 => assert_eq!(tail, [0x81]),
            n => {
                assert_eq!(tail[0], 0x01);
                assert!(tail[1..n - 1].iter().all(|&b| b == 0));
                assert_eq!(tail[n - 1], 0x80);
            }
        }
    }
}

#[test]
fn hashes_absorb_into_the_keccak_component_and_the_block_balances() {
    // The padding's edge cases, three blocks, and two pseudo-random lengths.
    let mut lengths = vec![0, 135, 136, 137, 300];
    lengths.extend(bytes(17, 2).iter().map(|&b| 2 * b as usize));
    let hashes = hashes(&lengths);
    let sponge = trace(&hashes);
    for (hash, digest) in hashes.iter().zip(&sponge.digests) {
        assert_eq!(*digest, reference(&hash.data));
    }
    let blocks: usize = lengths.iter().map(|len| len / RATE + 1).sum();
    assert_eq!(sponge.inputs.len(), blocks);
    let mut messages = copy_and_cpu_messages(&hashes);
    let against_keccak = [messages.clone(), keccak_messages(&sponge.inputs)].concat();
    assert_eq!(rejection(&Sponge, &sponge.columns, &against_keccak), None);
    // With the Keccak component and the AND table they share.
    let (traces, permutations) = hashing_tables(&hashes, [], crate::keccak::SHARD_ROWS);
    assert_eq!(permutations, sponge.inputs.len());
    messages.extend(keccak::round_messages(permutations));
    check_block(&traces).unwrap();
    assert_eq!(block_imbalance(&traces, &messages), Quadratic::ZERO);
    // A padded byte, a digest limb, a counter or an index the Copy component or the CPU
    // gets wrong.
    assert_changed_message_fields_rejected(&traces, &messages);
}

#[test]
fn every_tampered_sponge_cell_is_caught_whatever_the_and_table() {
    // A one-block hash, then a two-block one: a fresh segment, a segment boundary inside a
    // hash, two squeezes and a hash boundary.
    let hashes = hashes(&[0, 200]);
    let sponge = trace(&hashes);
    let messages = [
        copy_and_cpu_messages(&hashes),
        keccak_messages(&sponge.inputs),
    ]
    .concat();
    let live = 5 * ROWS_PER_PASS;
    let squeezes = [ROWS_PER_PASS..2 * ROWS_PER_PASS, 4 * ROWS_PER_PASS..live];
    let mut tampered = sponge.columns.clone();
    for row in 0..live {
        for column in 0..col::WIDTH {
            // A squeezing row's message and AND cells are never looked at.
            let unused = (col::MESSAGE..col::DIGEST).contains(&column)
                && squeezes.iter().any(|s| s.contains(&row));
            if unused {
                continue;
            }
            for delta in [Goldilocks::ONE, -Goldilocks::ONE] {
                tampered[column][row] += delta;
                assert!(
                    rejection(&Sponge, &tampered, &messages).is_some(),
                    "{} ({column}) at row {row} ({delta:?}) accepted",
                    Sponge::COLUMNS[column]
                );
                tampered[column][row] -= delta;
            }
        }
    }
    // The first padding row's flags and selectors, which carry every multiplicity.
    let flags = [col::LIVE, col::START, col::FRESH, col::ABSORB];
    for column in flags.into_iter().chain(col::SEL..col::SEL + ROWS_PER_PASS) {
        tampered[column][live] += Goldilocks::ONE;
        let why = rejection(&Sponge, &tampered, &messages);
        assert!(why.is_some(), "{}", Sponge::COLUMNS[column]);
        tampered[column][live] -= Goldilocks::ONE;
    }
}

#[test]
fn a_hash_that_skips_its_squeeze_or_its_padding_block_is_caught() {
    let hashes = hashes(&[136]);
    let sponge = trace(&hashes);
    let messages = [
        copy_and_cpu_messages(&hashes),
        keccak_messages(&sponge.inputs),
    ]
    .concat();
    // Squeezing after the first block (the digest of the unpadded 136 bytes is another).
    let mut early = sponge.columns.clone();
    early[col::ABSORB][ROWS_PER_PASS..2 * ROWS_PER_PASS].fill(Goldilocks::ZERO);
    assert!(rejection(&Sponge, &early, &messages).is_some());
    // Absorbing a third block instead of squeezing.
    let mut late = sponge.columns.clone();
    late[col::ABSORB][2 * ROWS_PER_PASS..3 * ROWS_PER_PASS].fill(Goldilocks::ONE);
    assert!(rejection(&Sponge, &late, &messages).is_some());
}

/// MSTOREs two words, then hashes nothing, 137 bytes from offset 3 (past the written memory,
/// which grows to 5 words) and the first 40 bytes; stores the digests in slots 0, 1, 2.
pub(crate) fn keccak_program() -> Vec<u8> {
    let mut code = vec![0x7f];
    code.extend(bytes(21, 32));
    code.extend([0x5f, 0x52, 0x7f]); // PUSH0 MSTORE PUSH32
    code.extend(bytes(22, 32));
    code.extend([0x60, 0x20, 0x52]); // PUSH1 32 MSTORE
    for (size, offset, slot) in [(0u8, 0u8, 0u8), (137, 3, 1), (40, 0, 2)] {
        code.extend([0x60, size, 0x60, offset, 0x20, 0x60, slot, 0x55]);
    }
    code.push(0x00);
    code
}

#[test]
fn keccak256_steps_push_the_digests_of_memory() {
    let (block, messages) = crate::test_support::honest_block(&keccak_program());
    let mut memory = [bytes(21, 32), bytes(22, 32)].concat();
    memory.resize(140, 0);
    let expected = [
        reference(&[]),
        reference(&memory[3..140]),
        reference(&memory[..40]),
    ];
    for (slot, digest) in block.statement.storage.iter().zip(expected) {
        let word = crate::storage::word_of(&slot.post);
        assert_eq!(word, Word::from_be_bytes(digest));
    }
    // One block each for 0 and 40 bytes, two for 137, and one for the code's hash.
    let code_blocks = keccak_program().len() as u64 / RATE as u64 + 1;
    assert_eq!(code_blocks, 1);
    assert_eq!(block.statement.keccak_permutations, 4 + code_blocks);
    // The round table for another number of permutations.
    let mut statement = block.statement.clone();
    statement.keccak_permutations -= 1;
    assert_ne!(
        block_imbalance(&block.traces, &statement.public_messages()),
        Quadratic::ZERO
    );
    let bench = crate::test_support::TamperBench::new(&block.traces, &messages);
    let position = |id| block.traces.iter().position(|t| t.id == id).unwrap();
    // Every cell of the Copy component's rows for the three hashes (all of them padding or
    // data), and of the first padding row after them.
    let copy = position(ComponentId::Copy);
    let copy_rows = RATE + 2 * RATE + RATE;
    for row in 0..=copy_rows {
        for column in 0..crate::copy::Copy::COLUMNS.len() {
            let padding_cell = row == copy_rows
                && ![crate::copy::col::LIVE, crate::copy::col::FIRST].contains(&column);
            if padding_cell {
                continue;
            }
            let mut columns = block.traces[copy].columns.clone();
            columns[column][row] += Goldilocks::ONE;
            assert!(
                bench.rejects(copy, &columns),
                "copy {} at row {row} accepted",
                crate::copy::Copy::COLUMNS[column]
            );
        }
    }
    // The final 0x80 of the empty message moved up its padding.
    let mut moved = block.traces[copy].columns.clone();
    moved[crate::copy::col::BYTE][RATE - 1] = Goldilocks::ZERO;
    moved[crate::copy::col::BYTE][100] = Goldilocks::new(0x80);
    assert!(bench.rejects(copy, &moved));
    // Every cell of the CPU's KECCAK256 rows.
    let cpu = position(ComponentId::Cpu);
    let opcodes = &block.traces[cpu].columns[crate::cpu::col::OPCODE];
    let rows: Vec<usize> = (0..block.statement.steps() as usize)
        .filter(|&r| opcodes[r] == Goldilocks::new(0x20))
        .collect();
    assert_eq!(rows.len(), 3);
    for &row in &rows {
        for column in 0..crate::cpu::Cpu::COLUMNS.len() {
            for delta in [Goldilocks::ONE, -Goldilocks::ONE] {
                let mut columns = block.traces[cpu].columns.clone();
                columns[column][row] += delta;
                assert!(
                    bench.rejects(cpu, &columns),
                    "cpu {} at row {row} ({delta:?}) accepted",
                    crate::cpu::Cpu::COLUMNS[column]
                );
            }
        }
    }
}
