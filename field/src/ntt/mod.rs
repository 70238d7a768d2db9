//! Number-theoretic transforms over Goldilocks: forward and inverse NTT, batches of columns,
//! and the coset low-degree extension (LDE) the prover commits to.
//!
//! Conventions match winterfell's `fft` module so the verifier agrees with our prover:
//! - the forward transform of coefficients `c` gives `p(ωⁱ) = Σ c_k·ω^{ik}` in natural order,
//!   with `ω = Goldilocks::root_of_unity(log₂ n)`;
//! - the LDE of a column of evaluations over `⟨ω_n⟩` with blowup `b` and offset `g` gives
//!   `p(g·ω_{nb}^j)` for `j = 0 … nb − 1`, in natural order (winterfell uses `g = 7`).
//!
//! Transforms are in place. A transform that fits in L2 runs layer by layer; larger ones recurse
//! depth first (one full layer, then each half on its own rayon task), so every sub-transform
//! below the cache size is finished while it is still cached.

mod bitrev;
mod layers;
mod lde;
mod twiddles;

pub use bitrev::bit_reverse_permute;
pub use lde::{coset_lde, coset_lde_column, coset_lde_into};
pub use twiddles::{twiddles_for, TwiddleTables};

use crate::Goldilocks;
use layers::W;
use rayon::prelude::*;

/// Transforms at or below this many elements (256 KiB) run layer by layer in cache.
const IN_CACHE: usize = 1 << 15;
/// Butterflies per rayon task in a layer that spans the whole array.
const PARALLEL_CHUNK: usize = 1 << 12;

/// Forward NTT: coefficients in natural order become evaluations in natural order.
///
/// # Panics
/// If the length is not a power of two or exceeds 2^32.
pub fn ntt(values: &mut [Goldilocks]) {
    check_size(values.len());
    forward_to_bit_reversed(values);
    bit_reverse_permute(values);
}

/// Inverse NTT: evaluations in natural order become coefficients in natural order.
///
/// # Panics
/// If the length is not a power of two or exceeds 2^32.
pub fn intt(values: &mut [Goldilocks]) {
    check_size(values.len());
    let tables = twiddles_for(values.len());
    dif(values, &tables, true);
    bit_reverse_permute(values);
    let n_inv = Goldilocks::new(values.len() as u64).inverse();
    values
        .par_chunks_mut(PARALLEL_CHUNK)
        .for_each(|chunk| layers::scale(chunk, n_inv));
}

/// Forward NTT that leaves the evaluations in bit-reversed order (no permutation pass).
pub fn forward_to_bit_reversed(values: &mut [Goldilocks]) {
    check_size(values.len());
    let tables = twiddles_for(values.len());
    dif(values, &tables, false);
}

/// Forward NTT of many independent columns, one rayon task per column.
pub fn ntt_batch(columns: &mut [Vec<Goldilocks>]) {
    columns.par_iter_mut().for_each(|column| ntt(column));
}

/// Inverse NTT of many independent columns.
pub fn intt_batch(columns: &mut [Vec<Goldilocks>]) {
    columns.par_iter_mut().for_each(|column| intt(column));
}

fn check_size(n: usize) {
    assert!(n.is_power_of_two(), "NTT length {n} is not a power of two");
    assert!(
        n.trailing_zeros() <= Goldilocks::TWO_ADICITY,
        "NTT length {n} exceeds 2^32"
    );
}

/// DIF over the whole slice: natural order in, bit-reversed order out.
pub(crate) fn dif(data: &mut [Goldilocks], tables: &TwiddleTables, inverse: bool) {
    let n = data.len();
    if n <= IN_CACHE {
        let mut half = n / 2;
        while half >= 1 {
            layers::dif_layer(data, half, tables.layer(half, inverse));
            half /= 2;
        }
        return;
    }
    let half = n / 2;
    let (lo, hi) = data.split_at_mut(half);
    lo.par_chunks_mut(PARALLEL_CHUNK)
        .zip(hi.par_chunks_mut(PARALLEL_CHUNK))
        .zip(tables.layer(half, inverse).par_chunks(PARALLEL_CHUNK))
        .for_each(|((l, h), t)| layers::dif_pairs(l, h, t));
    rayon::join(|| dif(lo, tables, inverse), || dif(hi, tables, inverse));
}

/// DIT over the whole slice: bit-reversed order in, natural order out.
pub(crate) fn dit(data: &mut [Goldilocks], tables: &TwiddleTables, inverse: bool) {
    let n = data.len();
    if n <= IN_CACHE {
        let mut half = 1;
        while half < n {
            layers::dit_layer(data, half, tables.layer(half, inverse));
            half *= 2;
        }
        return;
    }
    let half = n / 2;
    let (lo, hi) = data.split_at_mut(half);
    rayon::join(|| dit(lo, tables, inverse), || dit(hi, tables, inverse));
    lo.par_chunks_mut(PARALLEL_CHUNK)
        .zip(hi.par_chunks_mut(PARALLEL_CHUNK))
        .zip(tables.layer(half, inverse).par_chunks(PARALLEL_CHUNK))
        .for_each(|((l, h), t)| layers::dit_pairs(l, h, t));
}

// Large layers hand out chunks of whole registers.
const _: () = assert!(PARALLEL_CHUNK.is_multiple_of(W) && IN_CACHE >= 2 * W);

#[cfg(test)]
mod tests;
