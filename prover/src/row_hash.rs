//! Hashing many trace rows and Merkle nodes at once, through [`crate::blake3_lanes`].
//!
//! A row of `w ≤ 512` Goldilocks elements is at most four Blake3 chunks (4 KiB) and a node
//! is two 32-byte digests; the lanes hash many of either side by side, bit-for-bit
//! `blake3::hash` of their bytes. That is what winterfell's `Blake3_256::hash_elements` (for a
//! canonical field) and `merge` compute (tested below), so the verifier's hashes agree. Other
//! hashers and wider rows take the scalar path.

use crate::blake3_lanes;
use crate::Hash;
use rayon::prelude::*;
use winter_crypto::{Digest, ElementHasher, Hasher};
use winter_math::FieldElement;
use winter_utils::Deserializable;
use zkevm_field::Goldilocks;

/// Elements hashed per rayon task (32 KiB), rounded up to whole groups of [`LANES_ROWS`] rows.
const BLOCK_ELEMENTS: usize = 4096;
/// Rows the widest SIMD lanes hash at once (AVX-512: 16; a multiple of AVX2's 8).
const LANES_ROWS: usize = 16;

/// The digest of every row of `data` (row-major, rows of `width` elements starting `stride`
/// apart; `data` is whole strides), blocks of rows in parallel.
pub fn hash_all_rows<H>(data: &[Goldilocks], width: usize, stride: usize) -> Vec<H::Digest>
where
    H: ElementHasher<BaseField = Goldilocks> + 'static,
    H::Digest: Send,
{
    let stride = stride.max(1);
    let rows = data.len() / stride;
    // Whole groups of lanes: rows left over from a group take the scalar path.
    let block_rows = (BLOCK_ELEMENTS / stride)
        .next_multiple_of(LANES_ROWS)
        .max(LANES_ROWS);
    let mut digests = vec![H::Digest::default(); rows];
    data.par_chunks(block_rows * stride)
        .zip(digests.par_chunks_mut(block_rows))
        .for_each(|(block, out)| hash_rows::<H>(block, width, stride, out));
    digests
}

/// Hashes `data` (row-major, rows of `width` elements starting `stride` apart; whole strides)
/// into `out`, one digest per row.
pub fn hash_rows<H>(data: &[Goldilocks], width: usize, stride: usize, out: &mut [H::Digest])
where
    H: ElementHasher<BaseField = Goldilocks> + 'static,
{
    let stride = stride.max(1);
    debug_assert_eq!(data.len(), out.len() * stride);
    let row_bytes = 8 * width;
    if !is_blake3::<H>() || !(1..=blake3_lanes::MAX_LEN).contains(&row_bytes) {
        for (row, slot) in data.chunks_exact(stride).zip(out.iter_mut()) {
            *slot = H::hash_elements(&row[..width]);
        }
        return;
    }
    // Canonical elements: their bytes are what `hash_elements` hashes.
    let bytes = Goldilocks::elements_as_bytes(data);
    let mut digests = [[0u8; 32]; BATCH];
    for (rows, slots) in bytes.chunks(BATCH * 8 * stride).zip(out.chunks_mut(BATCH)) {
        let digests = &mut digests[..slots.len()];
        blake3_lanes::hash_many(rows, row_bytes, 8 * stride, digests);
        write_digests::<H>(digests, slots);
    }
}

/// Parents of a Merkle level: `parents[i] = H::merge(children[2i], children[2i + 1])`.
pub fn merge_pairs<H: Hasher + 'static>(children: &[H::Digest], parents: &mut [H::Digest]) {
    debug_assert_eq!(children.len(), 2 * parents.len());
    if !is_blake3::<H>() {
        for (parent, pair) in parents.iter_mut().zip(children.chunks_exact(2)) {
            *parent = H::merge(&[pair[0], pair[1]]);
        }
        return;
    }
    let mut pairs = [0u8; 64 * BATCH];
    let mut digests = [[0u8; 32]; BATCH];
    for (kids, slots) in children.chunks(2 * BATCH).zip(parents.chunks_mut(BATCH)) {
        for (bytes, child) in pairs.chunks_exact_mut(32).zip(kids) {
            bytes.copy_from_slice(&child.as_bytes());
        }
        let digests = &mut digests[..slots.len()];
        blake3_lanes::hash_many(&pairs[..64 * slots.len()], 64, 64, digests);
        write_digests::<H>(digests, slots);
    }
}

/// Messages hashed per call into the SIMD lanes (a multiple of every lane count).
const BATCH: usize = 64;

/// The project's hasher: Blake3 with 32-byte digests, whose leaves and nodes the SIMD lanes
/// reproduce. Other hashers take their own scalar path.
fn is_blake3<H: 'static>() -> bool {
    core::any::TypeId::of::<H>() == core::any::TypeId::of::<Hash>()
}

fn write_digests<H: Hasher>(digests: &[[u8; 32]], out: &mut [H::Digest]) {
    for (slot, bytes) in out.iter_mut().zip(digests) {
        if let Ok(d) = H::Digest::read_from_bytes(bytes) {
            *slot = d;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn batched_hashes_equal_blake3_of_each_row() {
        for width in [
            1usize, 2, 7, 8, 9, 16, 33, 64, 100, 128, 129, 194, 256, 300, 512, 513,
        ] {
            // Packed rows, and rows padded to whole cache lines (the prover's LDE layout).
            for stride in [width, width.next_multiple_of(8) + 8] {
                let rows = 21;
                let data: Vec<Goldilocks> = (0..rows * stride)
                    .map(|i| Goldilocks::new((i as u64).wrapping_mul(0x9e37_79b9_7f4a_7c15)))
                    .collect();
                let mut out = vec![<Hash as Hasher>::Digest::default(); rows];
                hash_rows::<Hash>(&data, width, stride, &mut out);
                for (r, digest) in out.iter().enumerate() {
                    let row = &data[r * stride..][..width];
                    assert_eq!(
                        *digest,
                        Hash::hash_elements(row),
                        "width {width}, stride {stride}, row {r}"
                    );
                }
            }
        }
    }

    #[test]
    fn batched_merges_equal_the_hashers_merge() {
        for parents in [1, 7, 16, 64, 65, 200] {
            let children: Vec<<Hash as Hasher>::Digest> = (0..2 * parents as u64)
                .map(|i| Hash::hash_elements(&[Goldilocks::new(i)]))
                .collect();
            let mut out = vec![<Hash as Hasher>::Digest::default(); parents];
            merge_pairs::<Hash>(&children, &mut out);
            for (i, parent) in out.iter().enumerate() {
                let expected = Hash::merge(&[children[2 * i], children[2 * i + 1]]);
                assert_eq!(*parent, expected, "{parents} parents, parent {i}");
            }
        }
    }
}
