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
mod rows;
mod twiddles;

pub use bitrev::bit_reverse_permute;
pub use lde::{
    coset_lde, coset_lde_column, coset_lde_from_coefficients_into, coset_lde_into,
    coset_lde_rows_from_coefficients_into,
};
pub use twiddles::{twiddles_for, TwiddleTables};

use crate::Goldilocks;
use layers::{Direction, W};
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
        let w4 = layers::Omega4::new(inverse);
        let mut half = n / 2;
        // Pairs of layers as radix-4 steps while the smaller half still fills registers.
        while half >= 2 * W {
            let h = half / 2;
            layers::radix4_step(data, h, tables.radix4(h, inverse), w4, layers::dif_radix4);
            half /= 4;
        }
        while half >= 1 {
            layers::radix2_layer(data, half, tables.layer(half, inverse), Direction::Dif);
            half /= 2;
        }
        return;
    }
    // One radix-4 step over the whole slice (halves n/2 and n/4), split across threads, then
    // each quarter on its own task.
    let h = n / 4;
    let w4 = layers::Omega4::new(inverse);
    let [u1, u2, u3] = tables.radix4(h, inverse);
    let [q0, q1, q2, q3] = layers::quarters(data);
    radix4_in_parallel([q0, q1, q2, q3], [u1, u2, u3], w4, layers::dif_radix4);
    rayon::join(
        || rayon::join(|| dif(q0, tables, inverse), || dif(q1, tables, inverse)),
        || rayon::join(|| dif(q2, tables, inverse), || dif(q3, tables, inverse)),
    );
}

/// DIT over the whole slice: bit-reversed order in, natural order out.
pub(crate) fn dit(data: &mut [Goldilocks], tables: &TwiddleTables, inverse: bool) {
    let n = data.len();
    if n <= IN_CACHE {
        // Mirror of `dif`: the radix-2 layers it ends with come first, then radix-4 steps.
        let w4 = layers::Omega4::new(inverse);
        let mut radix4_steps = 0;
        let mut half = n / 2;
        while half >= 2 * W {
            radix4_steps += 1;
            half /= 4;
        }
        let mut h = 1;
        while h <= half && h < n {
            layers::radix2_layer(data, h, tables.layer(h, inverse), Direction::Dit);
            h *= 2;
        }
        for _ in 0..radix4_steps {
            layers::radix4_step(data, h, tables.radix4(h, inverse), w4, layers::dit_radix4);
            h *= 4;
        }
        return;
    }
    // Mirror of `dif`: each quarter on its own task, then one radix-4 step over the whole.
    let h = n / 4;
    let w4 = layers::Omega4::new(inverse);
    let [u1, u2, u3] = tables.radix4(h, inverse);
    let [q0, q1, q2, q3] = layers::quarters(data);
    rayon::join(
        || rayon::join(|| dit(q0, tables, inverse), || dit(q1, tables, inverse)),
        || rayon::join(|| dit(q2, tables, inverse), || dit(q3, tables, inverse)),
    );
    radix4_in_parallel([q0, q1, q2, q3], [u1, u2, u3], w4, layers::dit_radix4);
}

/// Runs a radix-4 kernel over one block given as four quarters, the quarters cut into
/// `PARALLEL_CHUNK`-sized pieces that rayon spreads across threads.
fn radix4_in_parallel(
    quarters: [&mut [Goldilocks]; 4],
    twiddles: [&[Goldilocks]; 3],
    w4: layers::Omega4,
    kernel: layers::Radix4Kernel,
) {
    let [q0, q1, q2, q3] = quarters;
    let [u1, u2, u3] = twiddles;
    q0.par_chunks_mut(PARALLEL_CHUNK)
        .zip(q1.par_chunks_mut(PARALLEL_CHUNK))
        .zip(q2.par_chunks_mut(PARALLEL_CHUNK))
        .zip(q3.par_chunks_mut(PARALLEL_CHUNK))
        .zip(
            u1.par_chunks(PARALLEL_CHUNK)
                .zip(u2.par_chunks(PARALLEL_CHUNK))
                .zip(u3.par_chunks(PARALLEL_CHUNK)),
        )
        .for_each(|((((a, b), c), d), ((t1, t2), t3))| kernel([a, b, c, d], [t1, t2, t3], w4));
}

// Large layers hand out chunks of whole registers.
const _: () = assert!(PARALLEL_CHUNK.is_multiple_of(W) && IN_CACHE >= 2 * W);

#[cfg(test)]
mod tests;
