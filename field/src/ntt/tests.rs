//! Transforms against a naive DFT (small sizes) and against winter-math's FFT, which is what
//! winterfell's verifier uses (all sizes, including the recursive path above `IN_CACHE`).

use super::*;
use rand::{rngs::StdRng, Rng, SeedableRng};
use winter_math::fft as winter_fft;

fn random_column(n: usize, seed: u64) -> Vec<Goldilocks> {
    let mut rng = StdRng::seed_from_u64(seed);
    (0..n)
        .map(|_| Goldilocks::new(rng.random::<u64>()))
        .collect()
}

fn naive_dft(coefficients: &[Goldilocks], offset: Goldilocks, domain: usize) -> Vec<Goldilocks> {
    let omega = Goldilocks::root_of_unity(domain.trailing_zeros());
    (0..domain)
        .map(|j| {
            let x = offset * omega.exp_u64(j as u64);
            coefficients
                .iter()
                .rev()
                .fold(Goldilocks::ZERO, |acc, &c| acc * x + c)
        })
        .collect()
}

#[test]
fn ntt_matches_naive_dft_on_small_sizes() {
    for log_n in 0..=9 {
        let n = 1 << log_n;
        let coefficients = random_column(n, log_n as u64);
        let mut values = coefficients.clone();
        ntt(&mut values);
        assert_eq!(
            values,
            naive_dft(&coefficients, Goldilocks::ONE, n),
            "n = {n}"
        );
        intt(&mut values);
        assert_eq!(values, coefficients, "round trip, n = {n}");
    }
}

#[test]
fn ntt_matches_winter_math_including_recursive_sizes() {
    for log_n in [4, 10, 15, 16, 17, 18] {
        let n = 1usize << log_n;
        let coefficients = random_column(n, 100 + log_n as u64);
        let mut ours = coefficients.clone();
        ntt(&mut ours);
        let mut theirs = coefficients.clone();
        winter_fft::evaluate_poly(&mut theirs, &winter_fft::get_twiddles::<Goldilocks>(n));
        assert_eq!(ours, theirs, "forward, n = {n}");
        intt(&mut ours);
        assert_eq!(ours, coefficients, "inverse, n = {n}");
    }
}

#[test]
fn lde_matches_naive_evaluation_on_small_sizes() {
    let offset = Goldilocks::MULTIPLICATIVE_GENERATOR;
    for log_n in 0..=6 {
        for blowup in [1usize, 2, 4, 8, 16] {
            let n = 1 << log_n;
            let coefficients = random_column(n, 7 * log_n as u64 + blowup as u64);
            let evaluations = naive_dft(&coefficients, Goldilocks::ONE, n);
            let lde = coset_lde_column(&evaluations, blowup, offset);
            let expected = naive_dft(&coefficients, offset, n * blowup);
            assert_eq!(lde, expected, "n = {n}, b = {blowup}");
            let mut from_coefficients = vec![Goldilocks::ZERO; n * blowup];
            coset_lde_from_coefficients_into(
                &[&coefficients],
                blowup,
                offset,
                std::slice::from_mut(&mut from_coefficients),
            );
            assert_eq!(
                from_coefficients, expected,
                "coefficients, n = {n}, b = {blowup}"
            );
        }
    }
}

#[test]
fn lde_matches_winter_math_on_random_polynomials() {
    let offset = Goldilocks::MULTIPLICATIVE_GENERATOR;
    for (log_n, blowup) in [
        (5, 8),
        (12, 2),
        (13, 4),
        (14, 8),
        (16, 8),
        (17, 2),
        (13, 16),
    ] {
        let n = 1usize << log_n;
        let columns: Vec<Vec<Goldilocks>> =
            (0..3).map(|c| random_column(n, 1000 * c + log_n)).collect();
        let ours = coset_lde(&columns, blowup, offset);
        for (column, lde) in columns.iter().zip(ours.iter()) {
            let mut coefficients = column.clone();
            winter_fft::interpolate_poly(
                &mut coefficients,
                &winter_fft::get_inv_twiddles::<Goldilocks>(n),
            );
            let expected = winter_fft::evaluate_poly_with_offset(
                &coefficients,
                &winter_fft::get_twiddles::<Goldilocks>(n),
                offset,
                blowup,
            );
            assert_eq!(lde, &expected[..], "n = {n}, blowup = {blowup}");
            let mut from_coefficients = vec![Goldilocks::ZERO; n * blowup];
            coset_lde_from_coefficients_into(
                &[&coefficients],
                blowup,
                offset,
                std::slice::from_mut(&mut from_coefficients),
            );
            assert_eq!(
                from_coefficients, expected,
                "coefficients, n = {n}, b = {blowup}"
            );
        }
    }
}

#[test]
fn row_major_lde_matches_the_column_lde_in_every_cell() {
    let offset = Goldilocks::MULTIPLICATIVE_GENERATOR;
    // Per-coset and by-rows blowups; one block, two (a radix-2 cross layer), four (radix-4)
    // and eight (both); groups that do and do not divide the width.
    for (log_n, blowup, width, group) in [
        (3, 8, 3, 2),
        (10, 2, 5, 2),
        (12, 8, 7, 3),
        (13, 8, 5, 5),
        (14, 8, 4, 3),
        (15, 8, 3, 2),
        (13, 16, 3, 1),
        (13, 4, 9, 4),
        // Per-coset on every backend; fewer rows than a slab; 16 blocks (the prover's 2^16);
        // rows of 4 and 8 registers on AVX-512; more scratch buffers than columns.
        (10, 1, 3, 2),
        (2, 8, 3, 2),
        (16, 8, 3, 2),
        (10, 32, 3, 2),
        (8, 64, 2, 1),
        (10, 8, 2, 5),
        // Groups of whole registers, transposed into rows (and a remainder of 3 columns);
        // rows of two registers on AVX-512.
        (12, 8, 19, 16),
        (11, 8, 40, 32),
        (10, 16, 9, 8),
        (9, 32, 8, 8),
        (8, 64, 9, 8),
    ] {
        let n = 1usize << log_n;
        let columns: Vec<Vec<Goldilocks>> = (0..width)
            .map(|c| random_column(n, 77 * c as u64 + log_n))
            .collect();
        let inputs: Vec<&[Goldilocks]> = columns.iter().map(Vec::as_slice).collect();
        let mut expected = vec![vec![Goldilocks::ZERO; n * blowup]; width];
        coset_lde_from_coefficients_into(&inputs, blowup, offset, &mut expected);
        // Packed rows, and rows of whole cache lines from a cache line (the prover's layout,
        // where every full register of a group is streamed) with padding, which is zeroed.
        for stride in [
            width,
            width.next_multiple_of(8),
            width.next_multiple_of(8) + 8,
        ] {
            // Scratch starts with garbage, as a reused buffer would; so do the rows.
            let mut scratch = vec![vec![Goldilocks::new(5); n * blowup]; group];
            let three = core::mem::MaybeUninit::new(Goldilocks::new(3));
            let mut buffer = vec![three; n * blowup * stride + 7];
            let start = buffer.as_ptr().align_offset(crate::alloc::CACHE_LINE_BYTES);
            coset_lde_rows_from_coefficients_into(
                &inputs,
                blowup,
                offset,
                &mut scratch,
                &mut buffer[start..start + n * blowup * stride],
                stride,
            );
            // SAFETY: every element was initialized (by `vec!`, and again by the LDE).
            let buffer = unsafe { buffer.assume_init_ref() };
            let rows = &buffer[start..start + n * blowup * stride];
            for (r, row) in rows.chunks_exact(stride).enumerate() {
                for (c, &cell) in row[..width].iter().enumerate() {
                    assert_eq!(
                        cell, expected[c][r],
                        "n = {n}, b = {blowup}, group {group}, stride {stride}: row {r}, column {c}"
                    );
                }
                assert!(
                    row[width..].iter().all(|&cell| cell == Goldilocks::ZERO),
                    "n = {n}, b = {blowup}, stride {stride}: padding of row {r} not zeroed"
                );
            }
            let end = start + n * blowup * stride;
            assert!(
                (buffer[..start].iter().chain(&buffer[end..]))
                    .all(|&cell| cell == Goldilocks::new(3)),
                "n = {n}, b = {blowup}, stride {stride}: a cell outside the rows overwritten"
            );
        }
    }
}

#[test]
fn batch_transforms_match_single_ones() {
    let mut columns: Vec<Vec<Goldilocks>> = (0..5).map(|c| random_column(1 << 11, c)).collect();
    let originals = columns.clone();
    ntt_batch(&mut columns);
    for (column, original) in columns.iter().zip(&originals) {
        let mut single = original.clone();
        ntt(&mut single);
        assert_eq!(column, &single);
    }
    intt_batch(&mut columns);
    assert_eq!(columns, originals);
}
