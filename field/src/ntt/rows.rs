//! Coset LDE with the blowup as the SIMD lane dimension.
//!
//! The LDE of `p` (coefficients `c_i`, `i < n`) with blowup `b` and offset `g` is
//! `out[j·b + k] = p(g·ω_{nb}^{jb+k}) = Σ_i c_i·s_k^i·ω_n^{ij}` with `s_k = g·ω_{nb}^k`. So output
//! row `j` (the `b` contiguous values `out[j·b .. j·b + b]`) is the size-`n` NTT, taken over `i`,
//! of the row vectors `R_i = c_i·(s_0^i, …, s_{b−1}^i)`. One transform over rows replaces the `b`
//! coset transforms of [`super::lde`], and:
//! - every butterfly's twiddle is one scalar shared by all `b` lanes (a broadcast, loaded once per
//!   row pair, never a shuffle), so even the smallest layers run at full SIMD width;
//! - the result lands in natural order directly: no interleaving pass;
//! - no `n·b` table of scales: `s_k^i` is the product of a per-block row and a per-offset row
//!   (see [`Scales`]).
//!
//! The rows are transformed by DIT (bit-reversed in, natural out), in two passes over the output:
//! 1. blocks of [`BLOCK_ROWS`] rows (small enough to stay in L2 with their scale table) are filled
//!    with their scaled coefficients and run the first `log₂ BLOCK_ROWS` layers in place;
//! 2. the remaining layers pair rows of different blocks; they run on narrow slabs (a few rows of
//!    every block, copied to a scratch buffer of a core's L1 or L2), so the output is read and
//!    written once more, sequentially per block.
//!
//! A prover wants the extension row-major (its rows are the Merkle leaves). For that,
//! [`finish_into_rows`] runs pass 2 over a group of columns at once and writes each finished
//! slab straight into the rows, the group's cells side by side, instead of back into the
//! columns: the column-major result is never completed, read back and copied.
//!
//! Used when `b` is a multiple of the packed width (`b/W` registers per row); other blowups take
//! the per-coset path.

use super::bitrev::{reverse_bits, SharedPtr};
use super::layers::{Omega4, W};
use super::twiddles::TwiddleTables;
use crate::packed::{PackedField, PackedGoldilocks};
use crate::Goldilocks;
use core::mem::MaybeUninit;
use rayon::prelude::*;

type F = PackedGoldilocks;

/// Rows per block of pass 1: 2^12 rows of `b = 8` are 256 KiB, half of this machine's 512 KiB
/// L2 per core; the rest holds the block's scale rows and coefficients as they stream in.
/// (2^11 and 2^13 measured 5–10% slower for 64 × 2^16 × 8.)
const BLOCK_ROWS: usize = 1 << 12;
/// Rows of each block that one slab of pass 2 holds (`SLAB_ROWS · blocks` rows in scratch:
/// 16 KiB for 32 blocks of `b = 8`, inside L1; 64 KiB for the 128 blocks of 2^19 rows).
const SLAB_ROWS: usize = 8;

/// Whether [`extend_column`] handles this blowup with this build's packed width.
pub fn supports(blowup: usize) -> bool {
    blowup.is_multiple_of(W) && (1..=MAX_REGS).contains(&(blowup / W))
}

/// Largest row, in registers, the kernels are instantiated for.
const MAX_REGS: usize = 8;

/// Calls `kernel::<R>(args…)` with `R = scales.blowup / W`, the registers of one row: the
/// kernels are instantiated for 1, 2, 4 and [`MAX_REGS`].
macro_rules! by_registers {
    ($scales:expr, $kernel:ident($($arg:expr),*)) => {
        match $scales.blowup / W {
            1 => $kernel::<1>($($arg),*),
            2 => $kernel::<2>($($arg),*),
            4 => $kernel::<4>($($arg),*),
            MAX_REGS => $kernel::<MAX_REGS>($($arg),*),
            regs => unreachable!("rows of {regs} registers are not instantiated"),
        }
    };
}

/// The per-lane factors `s_k^i` (times a normalizer) split so that no `n·b` table is needed.
///
/// Row position `p = β·B + q` (block `β`, offset `q`, `B = BLOCK_ROWS`, `n = 2^L`) holds
/// coefficient `i = rev_L(p) = t·2^{L−l} + r` with `t = rev_l(q)`, `r = rev_{L−l}(β)`,
/// `l = log₂ B`. Hence `s_k^i = (s_k^{2^{L−l}})^t · s_k^r`: one row per offset `q`
/// (`in_block`, shared by every block) times one row per block (`per_block`).
///
/// For small transforms the products are tabulated outright ([`Scales::table`]), which saves one
/// of the two multiplications per row while the table still fits in the last-level cache.
pub struct Scales {
    /// The columns' length (coefficients per column).
    n: usize,
    blowup: usize,
    block_rows: usize,
    in_block: Vec<Goldilocks>,
    per_block: Vec<Goldilocks>,
    /// `in_block[q] ⊙ per_block[β]` at row `β·B + q`, when `n·b ≤` [`MAX_TABLE_LEN`].
    table: Option<Vec<Goldilocks>>,
}

/// Largest scale table kept whole: 4 MiB, an eighth of this machine's 32 MiB L3, shared by the
/// threads that extend columns at once. (64 × 2^16 × 8: 245 → 235 ms on one thread.)
const MAX_TABLE_LEN: usize = 1 << 19;

impl Scales {
    /// Factors for columns of `n` coefficients; every factor is multiplied by `normalizer`.
    pub fn new(n: usize, blowup: usize, offset: Goldilocks, normalizer: Goldilocks) -> Self {
        let block_rows = n.min(BLOCK_ROWS);
        let blocks = n / block_rows;
        let (log_block, log_blocks) = (block_rows.trailing_zeros(), blocks.trailing_zeros());
        let omega_big = Goldilocks::root_of_unity((n * blowup).trailing_zeros());
        let shifts: Vec<Goldilocks> = (0..blowup)
            .map(|k| offset * omega_big.exp_u64(k as u64))
            .collect();

        let mut in_block = vec![Goldilocks::ZERO; block_rows * blowup];
        for (k, &s) in shifts.iter().enumerate() {
            let step = s.exp_u64(blocks as u64);
            let mut power = Goldilocks::ONE;
            for t in 0..block_rows {
                in_block[reverse_bits(t, log_block) * blowup + k] = power;
                power *= step;
            }
        }
        let mut per_block = vec![Goldilocks::ZERO; blocks * blowup];
        for beta in 0..blocks {
            let r = reverse_bits(beta, log_blocks) as u64;
            for (k, &s) in shifts.iter().enumerate() {
                per_block[beta * blowup + k] = s.exp_u64(r) * normalizer;
            }
        }
        let table = (n * blowup <= MAX_TABLE_LEN).then(|| {
            let mut table = vec![Goldilocks::ZERO; n * blowup];
            for (beta, block) in table.chunks_exact_mut(block_rows * blowup).enumerate() {
                let shift = &per_block[beta * blowup..(beta + 1) * blowup];
                for (row, factors) in block
                    .chunks_exact_mut(blowup)
                    .zip(in_block.chunks_exact(blowup))
                {
                    for ((value, &factor), &s) in row.iter_mut().zip(factors).zip(shift) {
                        *value = factor * s;
                    }
                }
            }
            table
        });
        Self {
            n,
            blowup,
            block_rows,
            in_block,
            per_block,
            table,
        }
    }

    /// Scratch elements [`extend_column`] needs: one slab of every block.
    pub fn scratch_len(&self) -> usize {
        let blocks = self.per_block.len() / self.blowup;
        blocks * slab_rows(self.block_rows) * self.blowup
    }
}

/// Rows per block in one slab of pass 2.
fn slab_rows(block_rows: usize) -> usize {
    SLAB_ROWS.min(block_rows)
}

/// Writes the LDE of one column into `out` (`n·b` values, natural order), given its
/// coefficients in bit-reversed order (`coefficients[p] = c_{rev(p)}`, times whatever the
/// scales' normalizer divides out) and `scratch` of at least [`Scales::scratch_len`] elements.
pub fn extend_column(
    coefficients: &[Goldilocks],
    scales: &Scales,
    tables: &TwiddleTables,
    scratch: &mut [Goldilocks],
    out: &mut [Goldilocks],
) {
    by_registers!(scales, extend(coefficients, scales, tables, scratch, out))
}

/// A row of `R` registers: the `b = R·W` lanes of one output row.
#[derive(Copy, Clone)]
struct Row<const R: usize>([F; R]);

impl<const R: usize> Row<R> {
    #[inline(always)]
    fn load(src: &[Goldilocks]) -> Self {
        Self(core::array::from_fn(|r| F::load(&src[r * W..])))
    }

    #[inline(always)]
    fn store(self, dst: &mut [Goldilocks]) {
        for (r, reg) in self.0.iter().enumerate() {
            reg.store(&mut dst[r * W..]);
        }
    }

    #[inline(always)]
    fn scale(self, factor: F) -> Self {
        Self(core::array::from_fn(|r| self.0[r] * factor))
    }

    #[inline(always)]
    fn mul(self, other: Self) -> Self {
        Self(core::array::from_fn(|r| self.0[r] * other.0[r]))
    }

    #[inline(always)]
    fn mul_2exp48(self) -> Self {
        Self(core::array::from_fn(|r| self.0[r].mul_2exp48()))
    }
}

impl<const R: usize> core::ops::Add for Row<R> {
    type Output = Self;
    #[inline(always)]
    fn add(self, other: Self) -> Self {
        Self(core::array::from_fn(|r| self.0[r] + other.0[r]))
    }
}

impl<const R: usize> core::ops::Sub for Row<R> {
    type Output = Self;
    #[inline(always)]
    fn sub(self, other: Self) -> Self {
        Self(core::array::from_fn(|r| self.0[r] - other.0[r]))
    }
}

fn extend<const R: usize>(
    coefficients: &[Goldilocks],
    scales: &Scales,
    tables: &TwiddleTables,
    scratch: &mut [Goldilocks],
    out: &mut [Goldilocks],
) {
    fill_blocks::<R>(coefficients, scales, tables, out);
    cross_block_dit::<R>(out, scales.block_rows, tables, scratch);
}

/// Pass 1: every block of `out` (`n·b` values) gets its rows' scaled coefficients and runs its
/// in-block layers.
fn fill_blocks<const R: usize>(
    coefficients: &[Goldilocks],
    scales: &Scales,
    tables: &TwiddleTables,
    out: &mut [Goldilocks],
) {
    let b = R * W;
    debug_assert_eq!(out.len(), coefficients.len() * b);
    let block_rows = scales.block_rows;
    for (beta, block) in out.chunks_exact_mut(block_rows * b).enumerate() {
        let rows = beta * block_rows..(beta + 1) * block_rows;
        let coefficients = &coefficients[rows.clone()];
        if let Some(table) = &scales.table {
            let factors = &table[rows.start * b..rows.end * b];
            for ((&c, row), factor) in coefficients
                .iter()
                .zip(block.chunks_exact_mut(b))
                .zip(factors.chunks_exact(b))
            {
                Row::<R>::load(factor).scale(F::broadcast(c)).store(row);
            }
        } else {
            let shift = Row::<R>::load(&scales.per_block[beta * b..]);
            for ((&c, row), in_block) in coefficients
                .iter()
                .zip(block.chunks_exact_mut(b))
                .zip(scales.in_block.chunks_exact(b))
            {
                let factor = Row::<R>::load(in_block).mul(shift);
                factor.scale(F::broadcast(c)).store(row);
            }
        }
        block_dit::<R>(block, tables);
    }
}

/// DIT layers `h = 1 … rows/2` over one block of rows, as radix-4 steps (after one radix-2
/// layer when the block's log-size is odd).
#[inline(never)]
fn block_dit<const R: usize>(block: &mut [Goldilocks], tables: &TwiddleTables) {
    let b = R * W;
    let rows = block.len() / b;
    let mut h = 1;
    if rows.trailing_zeros() % 2 == 1 {
        for pair in block.chunks_exact_mut(2 * b) {
            radix2_rows::<R>(pair, 1, None, |_| 0);
        }
        h = 2;
    }
    while 4 * h <= rows {
        let twiddles = (h > 1).then(|| tables.radix4(h, false));
        for quad in block.chunks_exact_mut(4 * h * b) {
            radix4_rows::<R>(quad, h, twiddles, |j| j);
        }
        h *= 4;
    }
}

/// Radix-2 DIT butterflies between rows `j` and `j + half` of `pair` (`2·half` rows), with
/// twiddle `twiddles[index(j)]`; `None` means every twiddle is 1.
#[inline(always)]
fn radix2_rows<const R: usize>(
    pair: &mut [Goldilocks],
    half: usize,
    twiddles: Option<&[Goldilocks]>,
    index: impl Fn(usize) -> usize,
) {
    let b = R * W;
    let (lo, hi) = pair.split_at_mut(half * b);
    for j in 0..half {
        let u = Row::<R>::load(&lo[j * b..]);
        let v = Row::<R>::load(&hi[j * b..]);
        let vt = match twiddles {
            Some(t) => v.scale(F::broadcast(t[index(j)])),
            None => v,
        };
        (u + vt).store(&mut lo[j * b..]);
        (u - vt).store(&mut hi[j * b..]);
    }
}

/// Radix-4 DIT (layers `h` then `2h` in rows) over `quad` (`4h` rows): with `x_m` the row at
/// `j + m·h` and twiddles `[u, u², u³]` at `index(j)` (`None`: all 1),
/// `x₁' = x₁·u²`, `x₂' = x₂·u`, `x₃' = x₃·u³`, `s = x₂' + x₃'`, `d = (x₂' − x₃')·ω₄`, and
/// `(x₀+x₁'+s, x₀−x₁'+d, x₀+x₁'−s, x₀−x₁'−d)` go back to rows `j, j+h, j+2h, j+3h`.
#[inline(always)]
fn radix4_rows<const R: usize>(
    quad: &mut [Goldilocks],
    h: usize,
    twiddles: Option<[&[Goldilocks]; 3]>,
    index: impl Fn(usize) -> usize,
) {
    let b = R * W;
    for j in 0..h {
        let at = |m: usize| (j + m * h) * b;
        let x0 = Row::<R>::load(&quad[at(0)..]);
        let (mut x1, mut x2, mut x3) = (
            Row::<R>::load(&quad[at(1)..]),
            Row::<R>::load(&quad[at(2)..]),
            Row::<R>::load(&quad[at(3)..]),
        );
        if let Some([u1, u2, u3]) = twiddles {
            let i = index(j);
            x1 = x1.scale(F::broadcast(u2[i]));
            x2 = x2.scale(F::broadcast(u1[i]));
            x3 = x3.scale(F::broadcast(u3[i]));
        }
        let (a0, a1) = (x0 + x1, x0 - x1);
        let s = x2 + x3;
        let (plus, minus) = Omega4::FORWARD.plus_minus(a1, (x2 - x3).mul_2exp48());
        (a0 + s).store(&mut quad[at(0)..]);
        plus.store(&mut quad[at(1)..]);
        (a0 - s).store(&mut quad[at(2)..]);
        minus.store(&mut quad[at(3)..]);
    }
}

/// DIT layers `h = block_rows … n/2`: butterflies between rows of different blocks, one slab
/// at a time (see [`slab_dit`]), each written back in place.
#[inline(never)]
fn cross_block_dit<const R: usize>(
    out: &mut [Goldilocks],
    block_rows: usize,
    tables: &TwiddleTables,
    scratch: &mut [Goldilocks],
) {
    let b = R * W;
    let blocks = out.len() / b / block_rows;
    if blocks == 1 {
        return;
    }
    let slab = slab_rows(block_rows);
    let scratch = &mut scratch[..blocks * slab * b];
    for first in (0..block_rows).step_by(slab) {
        slab_dit::<R>(out, first, block_rows, tables, scratch);
        for beta in 0..blocks {
            let dst = (beta * block_rows + first) * b;
            out[dst..dst + slab * b]
                .copy_from_slice(&scratch[beta * slab * b..(beta + 1) * slab * b]);
        }
    }
}

/// The cross-block layers of one slab: the `slab` consecutive offsets from `first` of every
/// block of `column` (pass 1's output) are gathered into `scratch` (block-major: row `(β, q)`
/// at `β·slab + q`) and transformed there, leaving output rows `β·block_rows + first + q`. The
/// layer of global half `h = m·block_rows` pairs `(β, q)` with `(β + m, q)`, `slab·m` scratch
/// rows apart, with twiddle index `(β mod m)·block_rows + first + q`.
#[inline(never)]
fn slab_dit<const R: usize>(
    column: &[Goldilocks],
    first: usize,
    block_rows: usize,
    tables: &TwiddleTables,
    scratch: &mut [Goldilocks],
) {
    let b = R * W;
    let blocks = column.len() / b / block_rows;
    let slab = slab_rows(block_rows);
    for beta in 0..blocks {
        let src = (beta * block_rows + first) * b;
        scratch[beta * slab * b..(beta + 1) * slab * b]
            .copy_from_slice(&column[src..src + slab * b]);
    }
    let index =
        |m: usize| move |local: usize| (local / slab) % m * block_rows + first + local % slab;
    let mut m = 1;
    if blocks.trailing_zeros() % 2 == 1 {
        let twiddles = tables.layer(block_rows, false);
        for pair in scratch.chunks_exact_mut(2 * slab * b) {
            radix2_rows::<R>(pair, slab, Some(twiddles), index(1));
        }
        m = 2;
    }
    while m < blocks {
        let twiddles = tables.radix4(m * block_rows, false);
        for quad in scratch.chunks_exact_mut(4 * m * slab * b) {
            radix4_rows::<R>(quad, m * slab, Some(twiddles), index(m));
        }
        m *= 4;
    }
}

/// Pass 1 of [`extend_column`] alone, for [`finish_into_rows`]: `out` (`n·b` values) holds
/// every block's in-block layers done, the cross-block ones not.
pub fn transform_blocks(
    coefficients: &[Goldilocks],
    scales: &Scales,
    tables: &TwiddleTables,
    out: &mut [Goldilocks],
) {
    by_registers!(scales, fill_blocks(coefficients, scales, tables, out))
}

/// Slabs one task of [`finish_into_rows`] takes at least (each task allocates its scratch).
const SLABS_PER_TASK: usize = 8;

/// Where [`finish_into_rows`] writes: columns `first_column …` of a row-major matrix whose
/// rows start `stride` elements apart, and zeros in the `zeros_after` cells after them (a
/// row's padding, written with the last group so that its line goes out whole). The rows may
/// be uninitialized: what is written is initialized afterwards, the rest is left alone.
pub struct RowMajorTarget<'a> {
    pub rows: &'a mut [MaybeUninit<Goldilocks>],
    pub stride: usize,
    pub first_column: usize,
    pub zeros_after: usize,
}

/// Pass 2 for a group of columns (each [`transform_blocks`]'s output), written straight into
/// the rows of `target` instead of back into the columns: a slab of every column is finished
/// in the core's cache (L2 for the prover's groups), and each of its output rows gets the
/// group's cells side by side. The columns are only read, once, and every cell of the group in
/// the target is written once, with the zeros after it (the rest of each row is left alone,
/// and nothing is read from the target: it may be uninitialized); a column-major LDE
/// followed by a copy into rows would write and read the whole extension once more.
///
/// When the rows are whole cache lines apart, the cells go out with streaming stores
/// ([`PackedField::store_streaming`]) wherever a register's worth of them starts on a
/// register boundary: the extension is far larger than the caches, and a plain store would
/// first read every line of it. A prover that starts its rows on cache lines (a stride and
/// group offsets of whole lines) has every full register of cells streamed: 211 columns ×
/// 2^16 rows, blowup 8, in groups of 32, measured 540–575 ms with plain stores and 424 ms
/// streamed, on one 64-byte-aligned buffer of stride 216. Rows that are not line-aligned take
/// plain stores: streaming pays for whole lines, and most of their registers would straddle
/// two.
///
/// Slabs run in parallel; each writes only its own output rows.
///
/// # Panics
/// If the columns are not `n·b` long (`n` the scales'), or the target is not `n·b` rows of
/// `stride` elements holding the group and its `zeros_after` zeros.
pub fn finish_into_rows(
    columns: &[Vec<Goldilocks>],
    scales: &Scales,
    tables: &TwiddleTables,
    target: RowMajorTarget<'_>,
) {
    by_registers!(scales, finish_rows(columns, scales, tables, target))
}

fn finish_rows<const R: usize>(
    columns: &[Vec<Goldilocks>],
    scales: &Scales,
    tables: &TwiddleTables,
    target: RowMajorTarget<'_>,
) {
    let b = R * W;
    let len = scales.n * b;
    let RowMajorTarget {
        rows,
        stride,
        first_column,
        zeros_after,
    } = target;
    let group = columns.len();
    // Cells written per row: the group's, then the zeros.
    let written = group + zeros_after;
    assert!(
        columns.iter().all(|c| c.len() == len),
        "a column is not {len} long"
    );
    assert!(
        first_column + written <= stride,
        "the group overruns the target's rows"
    );
    assert_eq!(
        len.checked_mul(stride),
        Some(rows.len()),
        "the target does not hold the extension's rows"
    );
    let block_rows = scales.block_rows;
    let blocks = len / b / block_rows;
    let slab = slab_rows(block_rows);
    let slab_len = blocks * slab * b;
    let streaming = (stride * core::mem::size_of::<Goldilocks>())
        .is_multiple_of(crate::alloc::CACHE_LINE_BYTES);
    // The slab tasks write disjoint rows through it.
    let base = SharedPtr(rows.as_mut_ptr().cast::<Goldilocks>());
    (0..block_rows / slab)
        .into_par_iter()
        .with_min_len(SLABS_PER_TASK)
        .for_each_init(
            || {
                let slabs = vec![Goldilocks::ZERO; group * slab_len];
                // Rows of `written` cells; `rows_of_tile` fills the first `group` of each, so
                // the zeros after them stay.
                let tile = vec![Goldilocks::ZERO; b * written];
                (slabs, tile)
            },
            |(slabs, tile), s| {
                let first = s * slab;
                for (column, part) in columns.iter().zip(slabs.chunks_exact_mut(slab_len)) {
                    slab_dit::<R>(column, first, block_rows, tables, part);
                }
                let ptr = base;
                for beta in 0..blocks {
                    for q in 0..slab {
                        let j = beta * block_rows + first + q;
                        let at = (beta * slab + q) * b;
                        rows_of_tile::<R>(slabs, slab_len, at, group, tile);
                        for (k, cells) in tile.chunks_exact(written).enumerate() {
                            let row = (j * b + k) * stride + first_column;
                            // SAFETY: `row + written ≤ len·stride = rows.len()` (asserted
                            // above), and output row `j·b + k` belongs to slab `s` alone (`j
                            // mod block_rows` lies in `[first, first + slab)`), so no other
                            // task writes these cells.
                            let out: &mut [MaybeUninit<Goldilocks>] = unsafe {
                                std::slice::from_raw_parts_mut(ptr.0.add(row).cast(), written)
                            };
                            if !streaming {
                                out.write_copy_of_slice(cells);
                                continue;
                            }
                            let whole = written - written % W;
                            for (dst, src) in
                                out[..whole].chunks_exact_mut(W).zip(cells.chunks_exact(W))
                            {
                                // SAFETY: this task fences below, before it returns the rows.
                                unsafe { F::load(src).store_streaming(dst) };
                            }
                            out[whole..].write_copy_of_slice(&cells[whole..]);
                        }
                    }
                }
                // Before the rows are another thread's to read.
                crate::packed::streaming_fence();
            },
        );
}

/// Fills the first `group` cells of each of the `b` rows of `tile` (`tile[k·pitch + c]`, the
/// pitch `tile.len()/b` at least `group`) with row `at` of every column's slab (`b` lanes
/// each; the columns' slabs lie `slab_len` apart in `slabs`). `W` columns at a time, their
/// registers transposed are `W` rows' cells side by side.
#[inline(always)]
fn rows_of_tile<const R: usize>(
    slabs: &[Goldilocks],
    slab_len: usize,
    at: usize,
    group: usize,
    tile: &mut [Goldilocks],
) {
    let b = R * W;
    let pitch = tile.len() / b;
    let lanes = |c: usize, r: usize| &slabs[c * slab_len + at + r * W..];
    for r in 0..R {
        let mut c = 0;
        while c + W <= group {
            let mut square: [F; W] = core::array::from_fn(|i| F::load(lanes(c + i, r)));
            transpose(&mut square);
            for (l, cells) in square.iter().enumerate() {
                cells.store(&mut tile[(r * W + l) * pitch + c..]);
            }
            c += W;
        }
        for c in c..group {
            for (l, &value) in lanes(c, r)[..W].iter().enumerate() {
                tile[(r * W + l) * pitch + c] = value;
            }
        }
    }
}

/// Transposes a square of registers in place: lane `l` of register `i` moves to lane `i` of
/// register `l`. Each round swaps the off-diagonal blocks of every pair of diagonal blocks
/// (an `interleave` of the registers `block` apart, by `block` lanes), halving the blocks.
#[inline(always)]
fn transpose(square: &mut [F; W]) {
    let mut block = W / 2;
    while block >= 1 {
        for base in (0..W).step_by(2 * block) {
            for i in base..base + block {
                let (top, bottom) = square[i].interleave(square[i + block], block);
                square[i] = top;
                square[i + block] = bottom;
            }
        }
        block /= 2;
    }
}
