//! Coset low-degree extension of trace columns.
//!
//! A column holds `n` evaluations of a polynomial `p` (degree < n) over `⟨ω_n⟩`. Its LDE with
//! blowup `b` and offset `g` is `p(g·ω_{nb}^j)` for `j < nb`, in natural order — exactly what
//! winterfell's `evaluate_poly_with_offset` produces and its verifier expects.
//!
//! When the blowup is a multiple of the packed width (blowup 8 on every backend here), the
//! [`super::rows`] method runs instead: one transform per column with the `b` cosets as SIMD
//! lanes. The per-coset method below serves the other blowups.
//!
//! Per-coset method, per column (columns run in parallel, each inside one core's cache):
//! 1. DIF with inverse twiddles: evaluations → `n·coefficients`, bit-reversed. No permutation.
//! 2. Split the large domain into `b` cosets of `⟨ω_n⟩`: index `j = i·b + k` lies in coset
//!    `s_k = g·ω_{nb}^k`, at `s_k·ω_n^i`. For each `k`, scale the coefficients by
//!    `s_k^e / n` (one table per coset, indexed in bit-reversed order like the coefficients)
//!    and run DIT with forward twiddles: bit-reversed in, natural out, giving `p(s_k·ω_n^i)`.
//! 3. Interleave the `b` coset results into natural order.
//!
//! No bit-reversal pass is ever made, and every transform is of size `n`, not `nb`.
//!
//! A caller that already holds the coefficients (natural order) uses
//! [`coset_lde_from_coefficients_into`]: step 1 becomes a bit-reversal copy, and the scales
//! drop the `1/n` that step 1's unnormalized inverse transform needs. A prover committing to
//! rows uses [`coset_lde_rows_from_coefficients_into`]: the same extension, row-major.

use super::bitrev::reverse_bits;
use super::{bit_reverse_permute, dif, dit, layers, rows, twiddles_for, TwiddleTables};
use crate::{Columns, Goldilocks};
use core::mem::MaybeUninit;
use rayon::prelude::*;

/// What the input columns hold.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Input {
    /// `n` evaluations over `⟨ω_n⟩`, natural order.
    Evaluations,
    /// `n` coefficients, natural order.
    Coefficients,
}

impl Input {
    /// The factor every scale carries: `1/n` undoes the unnormalized inverse transform that
    /// turns evaluations into coefficients; coefficients need none.
    fn normalizer(self, n: usize) -> Goldilocks {
        match self {
            Input::Evaluations => Goldilocks::new(n as u64).inverse(),
            Input::Coefficients => Goldilocks::ONE,
        }
    }

    /// Replaces `buffer` with the column's coefficients in bit-reversed order, times `n` for
    /// evaluation input (the scales divide it out).
    fn bit_reversed_coefficients(
        self,
        column: &[Goldilocks],
        tables: &TwiddleTables,
        buffer: &mut Vec<Goldilocks>,
    ) {
        buffer.clear();
        buffer.extend_from_slice(column);
        match self {
            Input::Evaluations => dif(buffer, tables, true),
            Input::Coefficients => bit_reverse_permute(buffer),
        }
    }
}

/// Scaling factors `s_k^{rev(i)}·c` for every coset `k`, laid out `[k][i]`, with `c = 1/n` for
/// evaluation input (undoing the unnormalized inverse transform) and `c = 1` for coefficients.
struct CosetScales {
    n: usize,
    factors: Vec<Goldilocks>,
}

impl CosetScales {
    fn new(n: usize, blowup: usize, offset: Goldilocks, input: Input) -> Self {
        let log_n = n.trailing_zeros();
        let omega_big = Goldilocks::root_of_unity((n * blowup).trailing_zeros());
        let normalizer = input.normalizer(n);
        let mut factors = vec![Goldilocks::ZERO; n * blowup];
        factors.par_chunks_mut(n).enumerate().for_each(|(k, row)| {
            let shift = offset * omega_big.exp_u64(k as u64);
            // powers[e] = shift^e · normalizer in natural order, then stored at rev(e).
            let mut power = normalizer;
            for e in 0..n {
                row[reverse_bits(e, log_n)] = power;
                power *= shift;
            }
        });
        Self { n, factors }
    }

    fn coset(&self, k: usize) -> &[Goldilocks] {
        &self.factors[k * self.n..(k + 1) * self.n]
    }
}

/// Working memory of one thread: the coefficients and the `b` coset evaluations.
struct Scratch {
    coefficients: Vec<Goldilocks>,
    cosets: Vec<Goldilocks>,
}

/// Output rows interleaved per pass; `TRANSPOSE_ROWS · b` outputs (4 KiB for b = 8) stay in L1
/// while the `b` coset streams are read sequentially.
const TRANSPOSE_ROWS: usize = 64;

/// LDE of one column into `out` (length `column.len() · blowup`), natural order.
fn extend_column(
    column: &[Goldilocks],
    input: Input,
    blowup: usize,
    scales: &CosetScales,
    scratch: &mut Scratch,
    out: &mut [Goldilocks],
) {
    let n = column.len();
    let tables = twiddles_for(n);
    input.bit_reversed_coefficients(column, &tables, &mut scratch.coefficients);

    scratch.cosets.resize(n * blowup, Goldilocks::ZERO);
    for (k, coset) in scratch.cosets.chunks_exact_mut(n).enumerate() {
        coset.copy_from_slice(&scratch.coefficients);
        layers::mul_assign(coset, scales.coset(k));
        dit(coset, &tables, false);
    }
    // out[i·b + k] = coset_k[i], written a cache-sized block of rows at a time.
    for (block, rows) in out.chunks_mut(TRANSPOSE_ROWS * blowup).enumerate() {
        let first = block * TRANSPOSE_ROWS;
        for (k, coset) in scratch.cosets.chunks_exact(n).enumerate() {
            let source = &coset[first..first + rows.len() / blowup];
            for (i, &value) in source.iter().enumerate() {
                rows[i * blowup + k] = value;
            }
        }
    }
}

fn check_params(n: usize, blowup: usize) {
    assert!(
        n.is_power_of_two(),
        "column length {n} is not a power of two"
    );
    assert!(
        blowup.is_power_of_two(),
        "blowup {blowup} is not a power of two"
    );
    assert!(
        (n * blowup).trailing_zeros() <= Goldilocks::TWO_ADICITY,
        "LDE domain of {n}·{blowup} exceeds 2^32"
    );
}

/// LDE of a single column; see the module docs.
///
/// # Panics
/// If `column.len()` or `blowup` is not a power of two, or the domain exceeds 2^32.
pub fn coset_lde_column(
    column: &[Goldilocks],
    blowup: usize,
    offset: Goldilocks,
) -> Vec<Goldilocks> {
    let mut out = crate::alloc::zeroed_vec(column.len() * blowup);
    coset_lde_into(&[column], blowup, offset, std::slice::from_mut(&mut out));
    out
}

/// LDE of many columns of equal length, in parallel; returns the extended columns one after
/// another in a single allocation.
///
/// One allocation rather than one per column: a large single buffer is backed by huge pages
/// end to end, while separate multi-MiB buffers each lose a huge page or two at their unaligned
/// ends to 4 KiB faults (64 columns × 2^19 rows: 24 ms of first-touch faults as one buffer, 70 ms
/// as 64, measured on the reference machine).
///
/// # Panics
/// As [`coset_lde_column`], or if the columns differ in length.
pub fn coset_lde(columns: &[Vec<Goldilocks>], blowup: usize, offset: Goldilocks) -> Columns {
    let n = columns.first().map_or(0, Vec::len);
    let mut outputs = Columns::zeroed(columns.len(), n * blowup);
    let inputs: Vec<&[Goldilocks]> = columns.iter().map(Vec::as_slice).collect();
    let mut slices: Vec<&mut [Goldilocks]> = outputs.columns_mut().collect();
    extend_all(&inputs, Input::Evaluations, blowup, offset, &mut slices);
    outputs
}

/// LDE of `columns` (evaluations over `⟨ω_n⟩`) into caller-provided buffers
/// (`outputs[c].len() == n · blowup`).
pub fn coset_lde_into(
    columns: &[&[Goldilocks]],
    blowup: usize,
    offset: Goldilocks,
    outputs: &mut [Vec<Goldilocks>],
) {
    extend_all(columns, Input::Evaluations, blowup, offset, outputs);
}

/// [`coset_lde_into`] for columns that hold the polynomials' coefficients (natural order)
/// instead of their evaluations: the same outputs, without the inverse transform.
pub fn coset_lde_from_coefficients_into(
    coefficients: &[&[Goldilocks]],
    blowup: usize,
    offset: Goldilocks,
    outputs: &mut [Vec<Goldilocks>],
) {
    extend_all(coefficients, Input::Coefficients, blowup, offset, outputs);
}

/// The LDE of coefficient columns (natural order, equal lengths) by `blowup` over the coset
/// `offset·⟨ω⟩`, written row-major into `out`, rows `stride` apart: `out[r·stride + c]` is
/// column `c`'s extension at row `r`, for `c < w = coefficients.len() ≤ stride`, and the
/// cells `w … stride` of each row are zeros. Every cell of `out` is written and none is read,
/// so `out` may be uninitialized (no caller need clear a buffer of a gigabyte first, and the
/// padding goes out with the last group's cells, whole lines at a time). The columns go
/// through in groups of `scratch.len()`, each scratch buffer (`n·blowup` long, contents
/// arbitrary) holding one column of the group, so the extension is never held column-major in
/// full. With the [`rows`] method the scratch holds the transform between its two passes, and
/// a group's last pass writes its cells straight into the rows ([`rows::finish_into_rows`]);
/// other blowups extend the group column-major into the scratch and copy it into the rows.
///
/// # Panics
/// As [`coset_lde_column`]; if the columns differ in length, `scratch` is empty or holds a
/// buffer of the wrong length, `stride < w`, or `out` is not `n·blowup·stride` long.
pub fn coset_lde_rows_from_coefficients_into(
    coefficients: &[&[Goldilocks]],
    blowup: usize,
    offset: Goldilocks,
    scratch: &mut [Vec<Goldilocks>],
    out: &mut [MaybeUninit<Goldilocks>],
    stride: usize,
) {
    let width = coefficients.len();
    assert!(
        stride >= width,
        "rows of {width} columns do not fit a stride of {stride}"
    );
    let Some(first) = coefficients.first() else {
        assert!(out.is_empty(), "output buffer for no columns is not empty");
        return;
    };
    let n = first.len();
    check_params(n, blowup);
    assert!(
        coefficients.iter().all(|c| c.len() == n),
        "columns differ in length"
    );
    assert!(!scratch.is_empty(), "no scratch buffer to extend into");
    assert!(
        scratch.iter().all(|s| s.len() == n * blowup),
        "a scratch buffer is not n·blowup = {} long",
        n * blowup
    );
    assert_eq!(
        (n * blowup).checked_mul(stride),
        Some(out.len()),
        "output buffer is not n·blowup·stride long"
    );
    let group = scratch.len();
    let by_rows = rows::supports(blowup);
    let tables = twiddles_for(n);
    let scales = by_rows.then(|| rows::Scales::new(n, blowup, offset, Goldilocks::ONE));
    for (g, columns) in coefficients.chunks(group).enumerate() {
        let extended = &mut scratch[..columns.len()];
        let first_column = g * group;
        // The last group writes the rows' padding as well.
        let zeros_after = match first_column + columns.len() == width {
            true => stride - width,
            false => 0,
        };
        let Some(scales) = &scales else {
            extend_all(columns, Input::Coefficients, blowup, offset, extended);
            copy_into_rows(extended, out, stride, first_column, zeros_after);
            continue;
        };
        columns
            .par_iter()
            .zip(extended.par_iter_mut())
            .for_each_init(
                || Vec::with_capacity(n),
                |bit_reversed, (column, out)| {
                    Input::Coefficients.bit_reversed_coefficients(column, &tables, bit_reversed);
                    rows::transform_blocks(bit_reversed, scales, &tables, out);
                },
            );
        let target = rows::RowMajorTarget {
            rows: out,
            stride,
            first_column,
            zeros_after,
        };
        rows::finish_into_rows(extended, scales, &tables, target);
    }
}

/// Rows one task of [`copy_into_rows`] fills.
const COPY_ROWS: usize = 4096;

/// Copies extended columns into columns `first_column …` of the row-major `out` (rows
/// `stride` apart), and zeros into the `zeros_after` cells after them.
fn copy_into_rows(
    columns: &[Vec<Goldilocks>],
    out: &mut [MaybeUninit<Goldilocks>],
    stride: usize,
    first_column: usize,
    zeros_after: usize,
) {
    let group = first_column..first_column + columns.len();
    let zeros = group.end..group.end + zeros_after;
    out.par_chunks_mut(COPY_ROWS * stride)
        .enumerate()
        .for_each(|(block, rows)| {
            let r0 = block * COPY_ROWS;
            for (r, row) in rows.chunks_exact_mut(stride).enumerate() {
                for (cell, column) in row[group.clone()].iter_mut().zip(columns) {
                    cell.write(column[r0 + r]);
                }
                for cell in &mut row[zeros.clone()] {
                    cell.write(Goldilocks::ZERO);
                }
            }
        });
}

fn extend_all<Out: AsMut<[Goldilocks]> + Send>(
    columns: &[&[Goldilocks]],
    input: Input,
    blowup: usize,
    offset: Goldilocks,
    outputs: &mut [Out],
) {
    assert_eq!(columns.len(), outputs.len(), "one output buffer per column");
    let Some(first) = columns.first() else { return };
    let n = first.len();
    check_params(n, blowup);
    for (column, out) in columns.iter().zip(outputs.iter_mut()) {
        assert_eq!(column.len(), n, "columns differ in length");
        assert_eq!(
            out.as_mut().len(),
            n * blowup,
            "output buffer has the wrong length"
        );
    }
    if rows::supports(blowup) {
        return extend_all_by_rows(columns, input, blowup, offset, outputs);
    }
    let scales = CosetScales::new(n, blowup, offset, input);
    // Built once here, not by the first columns in parallel.
    twiddles_for(n);
    columns
        .par_iter()
        .zip(outputs.par_iter_mut())
        .for_each_init(
            || Scratch {
                coefficients: Vec::with_capacity(n),
                cosets: Vec::with_capacity(n * blowup),
            },
            |scratch, (column, out)| {
                extend_column(column, input, blowup, &scales, scratch, out.as_mut())
            },
        );
}

/// The [`rows`] method: blowup as the lane dimension, one transform per column.
fn extend_all_by_rows<Out: AsMut<[Goldilocks]> + Send>(
    columns: &[&[Goldilocks]],
    input: Input,
    blowup: usize,
    offset: Goldilocks,
    outputs: &mut [Out],
) {
    let n = columns[0].len();
    let tables = twiddles_for(n);
    let scales = rows::Scales::new(n, blowup, offset, input.normalizer(n));
    columns
        .par_iter()
        .zip(outputs.par_iter_mut())
        .for_each_init(
            || {
                (
                    Vec::with_capacity(n),
                    vec![Goldilocks::ZERO; scales.scratch_len()],
                )
            },
            |(coefficients, scratch), (column, out)| {
                input.bit_reversed_coefficients(column, &tables, coefficients);
                rows::extend_column(coefficients, &scales, &tables, scratch, out.as_mut());
            },
        );
}
