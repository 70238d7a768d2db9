//! Field, NTT and LDE workloads: ours against winter-math's `f64` and Plonky3's
//! `p3-goldilocks` / `Radix2DFTSmallBatch`, on the same random inputs.

use super::Case;
use p3_dft::{Radix2DFTSmallBatch, TwoAdicSubgroupDft};
use p3_field::extension::BinomialExtensionField;
use p3_field::{Field, PackedValue, PrimeCharacteristicRing};
use p3_matrix::dense::RowMajorMatrix;
use rand::{rngs::StdRng, Rng, SeedableRng};
use std::hint::black_box;
use winter_math::fields::f64::BaseElement as WinterF64;
use winter_math::fields::QuadExtension;
use winter_math::{fft as winter_fft, StarkField};
use zkevm_field::{ntt, Goldilocks, PackedField, PackedGoldilocks, Quadratic, P};

type P3 = p3_goldilocks::Goldilocks;
type P3Packed = <P3 as Field>::Packing;
type P3Quad = BinomialExtensionField<P3, 2>;

/// Which workloads to build.
#[derive(Debug, Clone, Copy)]
pub struct FieldSuite {
    /// Include NTT 2^22 (largest, slowest).
    pub large: bool,
}

fn random_u64s(n: usize, seed: u64) -> Vec<u64> {
    let mut rng = StdRng::seed_from_u64(seed);
    (0..n).map(|_| rng.random_range(0..P)).collect()
}

fn ours(values: &[u64]) -> Vec<Goldilocks> {
    values.iter().map(|&v| Goldilocks::new(v)).collect()
}

fn p3(values: &[u64]) -> Vec<P3> {
    values.iter().map(|&v| P3::new(v)).collect()
}

fn winter(values: &[u64]) -> Vec<WinterF64> {
    values.iter().map(|&v| WinterF64::new(v)).collect()
}

/// Element-wise products repeated over a cache-resident array: multiplication throughput.
const MUL_LEN: usize = 1 << 12;
const MUL_REPS: usize = 64;

fn scalar_mul_case() -> Case {
    let (a, b) = (random_u64s(MUL_LEN, 1), random_u64s(MUL_LEN, 2));
    let (mut oa, ob) = (ours(&a), ours(&b));
    let (mut pa, pb) = (p3(&a), p3(&b));
    let (mut wa, wb) = (winter(&a), winter(&b));
    Case {
        name: "scalar_mul".into(),
        elements: (MUL_LEN * MUL_REPS) as u64,
        ours: Box::new(move || {
            for _ in 0..MUL_REPS {
                for (x, y) in oa.iter_mut().zip(&ob) {
                    *x *= *y;
                }
                black_box(&mut oa);
            }
        }),
        peers: vec![
            (
                "p3-goldilocks",
                Box::new(move || {
                    for _ in 0..MUL_REPS {
                        for (x, y) in pa.iter_mut().zip(&pb) {
                            *x *= *y;
                        }
                        black_box(&mut pa);
                    }
                }),
            ),
            (
                "winter-math f64",
                Box::new(move || {
                    for _ in 0..MUL_REPS {
                        for (x, y) in wa.iter_mut().zip(&wb) {
                            *x *= *y;
                        }
                        black_box(&mut wa);
                    }
                }),
            ),
        ],
    }
}

fn packed_mul_case() -> Case {
    let (a, b) = (random_u64s(MUL_LEN, 3), random_u64s(MUL_LEN, 4));
    let (mut oa, ob) = (ours(&a), ours(&b));
    let (mut pa, pb) = (p3(&a), p3(&b));
    let width = PackedGoldilocks::WIDTH;
    Case {
        name: format!(
            "packed_mul ({} lanes ours, {} lanes p3)",
            width,
            P3Packed::WIDTH
        ),
        elements: (MUL_LEN * MUL_REPS) as u64,
        ours: Box::new(move || {
            for _ in 0..MUL_REPS {
                for (x, y) in oa.chunks_exact_mut(width).zip(ob.chunks_exact(width)) {
                    (PackedGoldilocks::load(x) * PackedGoldilocks::load(y)).store(x);
                }
                black_box(&mut oa);
            }
        }),
        peers: vec![(
            "p3-goldilocks",
            Box::new(move || {
                let xs = P3Packed::pack_slice_mut(&mut pa);
                let ys = P3Packed::pack_slice(&pb);
                for _ in 0..MUL_REPS {
                    for (x, y) in xs.iter_mut().zip(ys) {
                        *x *= *y;
                    }
                    black_box(&mut *xs);
                }
            }),
        )],
    }
}

fn quadratic_mul_case() -> Case {
    let (a, b) = (random_u64s(2 * MUL_LEN, 5), random_u64s(2 * MUL_LEN, 6));
    let pairs =
        |v: &[u64]| -> Vec<(u64, u64)> { v.chunks_exact(2).map(|c| (c[0], c[1])).collect() };
    let (a, b) = (pairs(&a), pairs(&b));
    let mut oa: Vec<Quadratic> = a
        .iter()
        .map(|&(x, y)| Quadratic::new(Goldilocks::new(x), Goldilocks::new(y)))
        .collect();
    let ob: Vec<Quadratic> = b
        .iter()
        .map(|&(x, y)| Quadratic::new(Goldilocks::new(x), Goldilocks::new(y)))
        .collect();
    let mut pa: Vec<P3Quad> = a
        .iter()
        .map(|&(x, y)| P3Quad::new([P3::new(x), P3::new(y)]))
        .collect();
    let pb: Vec<P3Quad> = b
        .iter()
        .map(|&(x, y)| P3Quad::new([P3::new(x), P3::new(y)]))
        .collect();
    let mut wa: Vec<QuadExtension<WinterF64>> = a
        .iter()
        .map(|&(x, y)| QuadExtension::new(WinterF64::new(x), WinterF64::new(y)))
        .collect();
    let wb: Vec<QuadExtension<WinterF64>> = b
        .iter()
        .map(|&(x, y)| QuadExtension::new(WinterF64::new(x), WinterF64::new(y)))
        .collect();
    let reps = MUL_REPS / 4;
    Case {
        name: "quadratic_ext_mul".into(),
        elements: (MUL_LEN * reps) as u64,
        ours: Box::new(move || {
            for _ in 0..reps {
                for (x, y) in oa.iter_mut().zip(&ob) {
                    *x *= *y;
                }
                black_box(&mut oa);
            }
        }),
        peers: vec![
            (
                "p3-goldilocks",
                Box::new(move || {
                    for _ in 0..reps {
                        for (x, y) in pa.iter_mut().zip(&pb) {
                            *x *= *y;
                        }
                        black_box(&mut pa);
                    }
                }),
            ),
            (
                "winter-math f64",
                Box::new(move || {
                    for _ in 0..reps {
                        for (x, y) in wa.iter_mut().zip(&wb) {
                            *x *= *y;
                        }
                        black_box(&mut wa);
                    }
                }),
            ),
        ],
    }
}

/// Horner evaluation of a base-field polynomial at an extension point, `acc ← acc·x + cᵢ`:
/// what winterfell does for every trace column at the out-of-domain point, where each step
/// waits for the previous product, so the product's latency (not its throughput) sets the
/// pace. Per-element figures are per step.
fn quadratic_horner_case() -> Case {
    let len = MUL_LEN * 16;
    let coefficients = random_u64s(len, 8);
    let point = random_u64s(2, 9);
    let ours_c: Vec<Goldilocks> = coefficients.iter().map(|&c| Goldilocks::new(c)).collect();
    let ours_x = Quadratic::new(Goldilocks::new(point[0]), Goldilocks::new(point[1]));
    let p3_c: Vec<P3> = coefficients.iter().map(|&c| P3::new(c)).collect();
    let p3_x = P3Quad::new([P3::new(point[0]), P3::new(point[1])]);
    let winter_c: Vec<WinterF64> = coefficients.iter().map(|&c| WinterF64::new(c)).collect();
    let winter_x = QuadExtension::new(WinterF64::new(point[0]), WinterF64::new(point[1]));
    Case {
        name: "quadratic_ext_horner".into(),
        elements: len as u64,
        ours: Box::new(move || {
            black_box(winter_math::polynom::eval(black_box(&ours_c), ours_x));
        }),
        peers: vec![
            (
                "p3-goldilocks",
                Box::new(move || {
                    let acc = (black_box(&p3_c).iter().rev())
                        .fold(P3Quad::ZERO, |acc, &c| acc * p3_x + P3Quad::from(c));
                    let _ = black_box(acc);
                }),
            ),
            (
                "winter-math f64",
                Box::new(move || {
                    black_box(winter_math::polynom::eval(black_box(&winter_c), winter_x));
                }),
            ),
        ],
    }
}

/// Forward NTT of one column, natural order in and out, input copied into a fresh buffer by
/// every implementation (p3 consumes its input, so everyone pays the same copy).
fn ntt_case(log_n: u32) -> Case {
    let n = 1usize << log_n;
    let input = random_u64s(n, 7 + log_n as u64);
    let o = ours(&input);
    let p = p3(&input);
    let w = winter(&input);
    let dft = Radix2DFTSmallBatch::<P3>::new(n);
    let winter_twiddles = winter_fft::get_twiddles::<WinterF64>(n);
    ntt::twiddles_for(n);
    Case {
        name: format!("ntt_2^{log_n}"),
        elements: 1,
        ours: Box::new(move || {
            let mut v = o.clone();
            ntt::ntt(&mut v);
            black_box(v);
        }),
        peers: vec![
            (
                "p3 Radix2DFTSmallBatch",
                Box::new(move || {
                    let out = dft.dft_batch(RowMajorMatrix::new_col(p.clone()));
                    black_box(out);
                }),
            ),
            (
                "winter-math f64",
                Box::new(move || {
                    let mut v = w.clone();
                    winter_fft::evaluate_poly(&mut v, &winter_twiddles);
                    black_box(v);
                }),
            ),
        ],
    }
}

/// Random columns of `n` values for the LDE cases (seeds from `seed`): as integers, as our
/// columns, and row-major for Plonky3, which takes a matrix.
fn lde_inputs(
    columns: usize,
    n: usize,
    seed: u64,
) -> (Vec<Vec<u64>>, Vec<Vec<Goldilocks>>, Vec<P3>) {
    let data: Vec<Vec<u64>> = (0..columns)
        .map(|c| random_u64s(n, seed + c as u64))
        .collect();
    let ours_columns = data.iter().map(|c| ours(c)).collect();
    let mut row_major = vec![P3::ZERO; n * columns];
    for (c, column) in data.iter().enumerate() {
        for (r, &v) in column.iter().enumerate() {
            row_major[r * columns + c] = P3::new(v);
        }
    }
    (data, ours_columns, row_major)
}

/// LDE of `columns × 2^log_n` with blowup 8 over the coset of the generator, natural order.
fn lde_case(columns: usize, log_n: u32, blowup: usize) -> Case {
    let n = 1usize << log_n;
    let (data, ours_columns, row_major) = lde_inputs(columns, n, 100);
    let winter_columns: Vec<Vec<WinterF64>> = data.iter().map(|c| winter(c)).collect();
    let dft = Radix2DFTSmallBatch::<P3>::new(n * blowup);
    let winter_inv = winter_fft::get_inv_twiddles::<WinterF64>(n);
    let winter_tw = winter_fft::get_twiddles::<WinterF64>(n);
    let added_bits = blowup.trailing_zeros() as usize;
    ntt::twiddles_for(n);
    Case {
        name: format!("lde_{columns}x2^{log_n}_blowup{blowup}"),
        elements: 1,
        ours: Box::new(move || {
            let out = ntt::coset_lde(&ours_columns, blowup, Goldilocks::MULTIPLICATIVE_GENERATOR);
            black_box(out);
        }),
        peers: vec![
            (
                "p3 Radix2DFTSmallBatch",
                Box::new(move || {
                    let mat = RowMajorMatrix::new(row_major.clone(), columns);
                    let out = dft.coset_lde_batch(mat, added_bits, P3::GENERATOR);
                    black_box(out);
                }),
            ),
            (
                "winter-math f64",
                Box::new(move || {
                    use rayon::prelude::*;
                    let out: Vec<Vec<WinterF64>> = winter_columns
                        .par_iter()
                        .map(|column| {
                            let mut coefficients = column.clone();
                            winter_fft::interpolate_poly(&mut coefficients, &winter_inv);
                            winter_fft::evaluate_poly_with_offset(
                                &coefficients,
                                &winter_tw,
                                WinterF64::GENERATOR,
                                blowup,
                            )
                        })
                        .collect();
                    black_box(out);
                }),
            ),
        ],
    }
}

/// Row-major LDE of `columns × 2^log_n` (what a prover commits to, rows hashed as leaves) from
/// evaluations: ours interpolates each column and extends them straight into rows;
/// Plonky3's `coset_lde_batch` takes and returns row-major matrices. Both allocate their
/// output on every call; our column scratch is allocated once, as the prover's buffer pool
/// keeps it from one LDE to the next.
fn lde_rows_case(columns: usize, log_n: u32, blowup: usize) -> Case {
    let n = 1usize << log_n;
    let (_, ours_columns, row_major) = lde_inputs(columns, n, 200);
    let dft = Radix2DFTSmallBatch::<P3>::new(n * blowup);
    let added_bits = blowup.trailing_zeros() as usize;
    ntt::twiddles_for(n);
    let mut scratch = vec![zkevm_field::alloc::zeroed_vec(n * blowup); LDE_ROWS_GROUP];
    Case {
        name: format!("lde_rows_{columns}x2^{log_n}_blowup{blowup}"),
        elements: 1,
        ours: Box::new(move || {
            use rayon::prelude::*;
            let coefficients: Vec<Vec<Goldilocks>> = ours_columns
                .par_iter()
                .map(|column| {
                    let mut c = column.clone();
                    ntt::intt(&mut c);
                    c
                })
                .collect();
            let inputs: Vec<&[Goldilocks]> = coefficients.iter().map(Vec::as_slice).collect();
            // Rows on cache lines, as the prover lays out its LDEs (`columns` is a whole
            // number of lines), in memory not cleared first (as the peer's).
            let mut buffer = zkevm_field::alloc::reserved_vec(n * blowup * columns + 7);
            let spare = buffer.spare_capacity_mut();
            let start = spare.as_ptr().align_offset(64);
            let out = &mut spare[start..start + n * blowup * columns];
            ntt::coset_lde_rows_from_coefficients_into(
                &inputs,
                blowup,
                Goldilocks::MULTIPLICATIVE_GENERATOR,
                &mut scratch,
                out,
                columns,
            );
            black_box(buffer);
        }),
        peers: vec![(
            "p3 Radix2DFTSmallBatch",
            Box::new(move || {
                let mat = RowMajorMatrix::new(row_major.clone(), columns);
                let out = dft.coset_lde_batch(mat, added_bits, P3::GENERATOR);
                black_box(out);
            }),
        )],
    }
}

/// Columns [`lde_rows_case`] extends at once (the prover's group at 2^19 LDE rows).
const LDE_ROWS_GROUP: usize = 32;

/// All field workloads of the issue, in report order.
pub fn cases(suite: FieldSuite) -> Vec<Case> {
    let mut cases = vec![
        scalar_mul_case(),
        packed_mul_case(),
        quadratic_mul_case(),
        quadratic_horner_case(),
        ntt_case(16),
        ntt_case(20),
    ];
    if suite.large {
        cases.push(ntt_case(22));
    }
    cases.push(lde_case(64, 16, 8));
    cases.push(lde_rows_case(64, 16, 8));
    cases
}
