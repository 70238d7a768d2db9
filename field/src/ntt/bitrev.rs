//! In-place bit-reversal permutation, cache-blocked.
//!
//! Write an index of `log n` bits as `(a, m, c)`: `a` the top `K` bits, `c` the bottom `K`,
//! `m` the middle. Reversal maps `(a, m, c)` to `(rev c, rev m, rev a)`. For a fixed `m` the
//! `2^K × 2^K` elements `(·, m, ·)` form a tile whose rows are contiguous runs of `2^K`
//! elements; tile `m` trades places with tile `rev m`, transposed. Each tile is read and
//! written whole, so every cache line is touched once instead of once per element.

use crate::Goldilocks;
use rayon::prelude::*;

/// Tile side is 2^K elements: rows of 256 bytes (four cache lines) give the prefetcher runs to
/// follow, and two 8 KiB tiles stay in L1.
const K: u32 = 5;
const TILE: usize = 1 << K;

/// `x`'s low `bits` bits in reverse order (0 when `bits` is 0).
#[inline(always)]
pub(crate) fn reverse_bits(x: usize, bits: u32) -> usize {
    if bits == 0 {
        0
    } else {
        x.reverse_bits() >> (usize::BITS - bits)
    }
}

/// A raw pointer that may cross threads, for parallel tasks that write disjoint parts of one
/// buffer (here: tiles of different tasks never overlap).
#[derive(Copy, Clone)]
pub(super) struct SharedPtr(pub(super) *mut Goldilocks);
unsafe impl Send for SharedPtr {}
unsafe impl Sync for SharedPtr {}

/// Permutes `values` so that element `i` moves to `reverse_bits(i)`.
///
/// # Panics
/// If the length is not a power of two.
pub fn bit_reverse_permute(values: &mut [Goldilocks]) {
    let n = values.len();
    assert!(n.is_power_of_two(), "length {n} is not a power of two");
    let log_n = n.trailing_zeros();
    if log_n < 2 * K + 1 {
        for i in 0..n {
            let j = reverse_bits(i, log_n);
            if i < j {
                values.swap(i, j);
            }
        }
        return;
    }
    let mid_bits = log_n - 2 * K;
    let a_shift = log_n - K;
    let base = SharedPtr(values.as_mut_ptr());
    (0..1usize << mid_bits)
        .into_par_iter()
        .with_min_len(64)
        .for_each(move |m| {
            let rm = reverse_bits(m, mid_bits);
            if rm < m {
                return;
            }
            let ptr = base;
            // SAFETY: tile m covers indices (a, m, c) and tile rm covers (a, rm, c); the task for m
            // (the smaller of the pair) is the only one touching either tile, and all indices are
            // < n by construction.
            unsafe {
                let index = |a: usize, mid: usize, c: usize| (a << a_shift) | (mid << K) | c;
                let mut tile_m = [[Goldilocks::ZERO; TILE]; TILE];
                let mut tile_rm = [[Goldilocks::ZERO; TILE]; TILE];
                for a in 0..TILE {
                    for c in 0..TILE {
                        tile_m[a][c] = *ptr.0.add(index(a, m, c));
                        tile_rm[a][c] = *ptr.0.add(index(a, rm, c));
                    }
                }
                for c in 0..TILE {
                    let rc = reverse_bits(c, K);
                    for a in 0..TILE {
                        let ra = reverse_bits(a, K);
                        *ptr.0.add(index(rc, rm, ra)) = tile_m[a][c];
                        *ptr.0.add(index(rc, m, ra)) = tile_rm[a][c];
                    }
                }
            }
        });
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn matches_naive_permutation() {
        for log_n in 0..=14u32 {
            let n = 1usize << log_n;
            let mut values: Vec<Goldilocks> = (0..n as u64).map(Goldilocks::new).collect();
            bit_reverse_permute(&mut values);
            for (i, v) in values.iter().enumerate() {
                assert_eq!(
                    v.as_u64() as usize,
                    reverse_bits(i, log_n),
                    "n = {n}, i = {i}"
                );
            }
        }
    }
}
