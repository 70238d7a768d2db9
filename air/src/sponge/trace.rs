//! The sponge trace: each hash's segments as the module docs lay them out, the permutation
//! inputs they absorb into, and the byte pairs their lookups take from the AND table.

use super::{col, Sponge, DIGEST_BYTES, RATE, RATE_LANES};
use crate::component::{padded_len, Component, ComponentTrace};
use crate::keccak::{LANES, ROWS_PER_PASS};
use crate::registry::ComponentId;
use zkevm_field::Goldilocks;

/// One hash: its id on the bus (a KECCAK256 step's RW counter, or a code's
/// [`crate::bytecode::CODE_HASH_TAG`]-based counter) and the bytes it hashes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Hash {
    pub ctr: u64,
    pub data: Vec<u8>,
}

/// A sponge trace with what the rest of the block needs from it.
#[derive(Debug, Clone)]
pub struct SpongeTrace {
    pub columns: Vec<Vec<Goldilocks>>,
    /// Every permutation's input, numbered as the Keccak component numbers them.
    pub inputs: Vec<[u64; LANES]>,
    /// Each hash's digest.
    pub digests: Vec<[u8; DIGEST_BYTES]>,
    /// The `(a, b)` of every AND lookup, for [`crate::and_table::trace`].
    pub and_pairs: Vec<(u8, u8)>,
}

/// The padded length of a `size`-byte message: one more block than `size` fills, so the
/// padding always starts inside the last block.
pub fn padded_size(size: usize) -> usize {
    (size / RATE + 1) * RATE
}

/// `data` padded to [`padded_size`] (Keccak's pad10*1 with the `0x01` domain byte).
pub fn padded(data: &[u8]) -> Vec<u8> {
    let len = padded_size(data.len());
    let mut bytes = data.to_vec();
    bytes.resize(len, 0);
    bytes[data.len()] |= 0x01;
    bytes[len - 1] |= 0x80;
    bytes
}

/// XORs one block into the rate lanes (little-endian bytes).
fn absorb(state: &mut [u64; LANES], block: &[u8]) {
    for (lane, bytes) in state.iter_mut().zip(block.chunks_exact(8)) {
        *lane ^= u64::from_le_bytes(bytes.try_into().expect("8 bytes"));
    }
}

/// The bytes of lanes 0–3: the digest.
fn squeeze(state: &[u64; LANES]) -> [u8; DIGEST_BYTES] {
    let mut out = [0u8; DIGEST_BYTES];
    for (bytes, lane) in out.chunks_exact_mut(8).zip(state) {
        bytes.copy_from_slice(&lane.to_le_bytes());
    }
    out
}

/// Keccak-256 of `data`, as the EVM's KECCAK256 computes it.
pub fn digest(data: &[u8]) -> [u8; DIGEST_BYTES] {
    let mut state = [0u64; LANES];
    for block in padded(data).chunks_exact(RATE) {
        absorb(&mut state, block);
        keccak::f1600(&mut state);
    }
    squeeze(&state)
}

/// The AND, Sponge and Keccak tables (in that order; the Keccak table in shards of at most
/// `shard_rows` rows, [`crate::keccak::shards`]) that compute `hashes`, and the number of
/// permutations (the statement's round-table count). The AND table also holds `more_pairs`,
/// the lookups of the other components sharing it (the Bitwise component's).
pub fn hashing_tables(
    hashes: &[Hash],
    more_pairs: impl IntoIterator<Item = (u8, u8)>,
    shard_rows: usize,
) -> (Vec<ComponentTrace>, usize) {
    let sponge = trace(hashes);
    let shards = crate::keccak::shards(&sponge.inputs, shard_rows);
    let pairs = (more_pairs.into_iter())
        .chain(sponge.and_pairs.iter().copied())
        .chain(shards.iter().flat_map(|s| s.and_pairs.iter().copied()));
    let count = sponge.inputs.len();
    let mut traces = vec![
        ComponentTrace {
            id: ComponentId::AndTable,
            columns: crate::and_table::trace(pairs),
        },
        ComponentTrace {
            id: ComponentId::Sponge,
            columns: sponge.columns,
        },
    ];
    traces.extend(shards.into_iter().map(|s| ComponentTrace {
        id: ComponentId::Keccak,
        columns: s.columns,
    }));
    (traces, count)
}

/// The table of `hashes`, in order, padding rows after.
pub fn trace(hashes: &[Hash]) -> SpongeTrace {
    // Each block's segment and the squeeze.
    let segments: usize = hashes
        .iter()
        .map(|h| padded_size(h.data.len()) / RATE + 1)
        .sum();
    let rows = padded_len(segments * ROWS_PER_PASS);
    let mut columns = vec![vec![Goldilocks::ZERO; rows]; Sponge::COLUMNS.len()];
    let mut inputs = Vec::new();
    let mut digests = Vec::with_capacity(hashes.len());
    let mut and_pairs = Vec::new();
    let mut r = 0;
    for hash in hashes {
        let bytes = padded(&hash.data);
        let blocks = bytes.len() / RATE;
        let first_row = r;
        let mut state = [0u64; LANES];
        for block in 0..=blocks {
            let absorbing = block < blocks;
            for q in 0..ROWS_PER_PASS {
                let mut set = |column: usize, value: u64| {
                    columns[column][r] = Goldilocks::new(value);
                };
                set(col::LIVE, 1);
                set(col::START, u64::from(block == 0 && q == 0));
                set(col::FRESH, u64::from(block == 0));
                set(col::ABSORB, u64::from(absorbing));
                set(col::SEL + q, 1);
                set(col::CTR, hash.ctr);
                set(col::BLOCK, block as u64);
                set(col::PERMUTATION, inputs.len() as u64);
                let state_byte = |l: usize| (state[l] >> (8 * q)) as u8;
                for l in 0..LANES {
                    set(col::STATE + l, u64::from(state_byte(l)));
                }
                if absorbing {
                    for l in 0..RATE_LANES {
                        let byte = bytes[RATE * block + 8 * l + q];
                        set(col::MESSAGE + l, u64::from(byte));
                        set(col::AND + l, u64::from(state_byte(l) & byte));
                        and_pairs.push((state_byte(l), byte));
                    }
                }
                r += 1;
            }
            if absorbing {
                absorb(&mut state, &bytes[RATE * block..RATE * (block + 1)]);
                inputs.push(state);
                keccak::f1600(&mut state);
            }
        }
        // The digest columns, constant over the hash, once the permutations have given it.
        let digest = squeeze(&state);
        for (i, &byte) in digest.iter().enumerate() {
            columns[col::DIGEST + i][first_row..r].fill(Goldilocks::new(u64::from(byte)));
        }
        digests.push(digest);
    }
    SpongeTrace {
        columns,
        inputs,
        digests,
        and_pairs,
    }
}
