//! Radix-2 butterfly layers over packed Goldilocks.
//!
//! A layer with `half = h` splits the data into blocks of `2h` and pairs element `j` of a block
//! with element `j + h`, using twiddle `t_j = ω_{2h}^j`:
//! - DIF (Gentleman–Sande): `(u, v) ↦ (u + v, (u − v)·t_j)`; layers run `h = n/2 … 1`, taking
//!   natural order to bit-reversed order.
//! - DIT (Cooley–Tukey): `(u, v) ↦ (u + v·t_j, u − v·t_j)`; layers run `h = 1 … n/2`, taking
//!   bit-reversed order to natural order.
//!
//! When `h ≥ WIDTH` butterflies are lane-wise on consecutive `j`. When `h < WIDTH` the partners
//! share a register pair; `interleave` regroups two registers so partners face each other
//! lane-wise, the butterfly runs, and a second `interleave` restores the order.

use crate::packed::{PackedField, PackedGoldilocks};
use crate::Goldilocks;

type F = PackedGoldilocks;
/// Lanes of the packed type the layers run on.
pub const W: usize = <F as PackedField>::WIDTH;

#[inline(always)]
fn dif_butterfly(u: F, v: F, t: F) -> (F, F) {
    (u + v, (u - v) * t)
}

#[inline(always)]
fn dit_butterfly(u: F, v: F, t: F) -> (F, F) {
    let vt = v * t;
    (u + vt, u - vt)
}

#[inline(always)]
fn untwiddled_butterfly(u: F, v: F) -> (F, F) {
    (u + v, u - v)
}

/// The twiddle register for layers with `half < W`: lane `l` holds `t[l mod half]`.
#[inline(always)]
fn small_layer_twiddles(twiddles: &[Goldilocks], half: usize) -> F {
    let mut lanes = [Goldilocks::ZERO; W];
    for (l, lane) in lanes.iter_mut().enumerate() {
        *lane = twiddles[l % half];
    }
    F::load(&lanes)
}

/// DIF butterflies between `lo[j]` and `hi[j]` with twiddle `twiddles[j]`; lengths are equal
/// multiples of `W`. This is one block of a layer, or a slice of one (for parallel layers).
#[inline]
pub fn dif_pairs(lo: &mut [Goldilocks], hi: &mut [Goldilocks], twiddles: &[Goldilocks]) {
    debug_assert!(lo.len() == hi.len() && lo.len() == twiddles.len() && lo.len().is_multiple_of(W));
    for ((l, h), t) in lo
        .chunks_exact_mut(W)
        .zip(hi.chunks_exact_mut(W))
        .zip(twiddles.chunks_exact(W))
    {
        let (a, b) = dif_butterfly(F::load(l), F::load(h), F::load(t));
        a.store(l);
        b.store(h);
    }
}

/// DIT butterflies between `lo[j]` and `hi[j]`; see [`dif_pairs`].
#[inline]
pub fn dit_pairs(lo: &mut [Goldilocks], hi: &mut [Goldilocks], twiddles: &[Goldilocks]) {
    debug_assert!(lo.len() == hi.len() && lo.len() == twiddles.len() && lo.len().is_multiple_of(W));
    for ((l, h), t) in lo
        .chunks_exact_mut(W)
        .zip(hi.chunks_exact_mut(W))
        .zip(twiddles.chunks_exact(W))
    {
        let (a, b) = dit_butterfly(F::load(l), F::load(h), F::load(t));
        a.store(l);
        b.store(h);
    }
}

/// A radix-4 kernel over one block's four quarters with twiddles `[u, u², u³]`.
pub type Radix4Kernel = fn([&mut [Goldilocks]; 4], [&[Goldilocks]; 3], Omega4);

/// Multiplication by the 4th root of unity a radix-4 step uses: `ω₄ = ±2^48`.
#[derive(Copy, Clone, Debug)]
pub struct Omega4 {
    /// True when the root in use is −2^48 rather than 2^48.
    negative: bool,
}

impl Omega4 {
    /// `ω₄` of the forward transform, or its inverse `ω₄⁻¹ = −ω₄`.
    pub fn new(inverse: bool) -> Self {
        let forward = Goldilocks::root_of_unity(2);
        let two_48 = Goldilocks::new(1 << 48);
        debug_assert!(forward == two_48 || forward == -two_48);
        Self {
            negative: (forward == two_48) == inverse,
        }
    }
}

/// One radix-4 DIF step (two layers, halves `2h` then `h`) on every block of `4h` elements,
/// `h ≥ W`. With `x_m = a[j + m·h]`, `u = ω_{4h}^j`:
/// `a[j] = (x₀+x₂) + (x₁+x₃)`, `a[j+h] = ((x₀+x₂) − (x₁+x₃))·u²`,
/// `a[j+2h] = (d₀ + d₁)·u`, `a[j+3h] = (d₀ − d₁)·u³` with `d₀ = x₀−x₂`, `d₁ = (x₁−x₃)·ω₄`.
/// Three general products per four elements instead of four.
pub fn dif_radix4(data: &mut [Goldilocks], h: usize, twiddles: [&[Goldilocks]; 3], w4: Omega4) {
    debug_assert!(h >= W && data.len().is_multiple_of(4 * h));
    for block in data.chunks_exact_mut(4 * h) {
        let (q01, q23) = block.split_at_mut(2 * h);
        let (q0, q1) = q01.split_at_mut(h);
        let (q2, q3) = q23.split_at_mut(h);
        dif_radix4_quarters([q0, q1, q2, q3], twiddles, w4);
    }
}

/// The radix-4 DIF butterflies of one block, given as its four quarters (or equal slices of
/// them, with the matching twiddle slices, when a block is split across threads).
#[inline]
pub fn dif_radix4_quarters(
    quarters: [&mut [Goldilocks]; 4],
    twiddles: [&[Goldilocks]; 3],
    w4: Omega4,
) {
    let [q0, q1, q2, q3] = quarters;
    let [u1, u2, u3] = twiddles;
    for j in (0..q0.len()).step_by(W) {
        let (x0, x1, x2, x3) = (
            F::load(&q0[j..]),
            F::load(&q1[j..]),
            F::load(&q2[j..]),
            F::load(&q3[j..]),
        );
        let (s0, d0) = (x0 + x2, x0 - x2);
        let s1 = x1 + x3;
        let d1 = (x1 - x3).mul_2exp48();
        // With ω₄ = −2^48, d₁ changes sign: swap the roles of d₀ ± d₁.
        let (plus, minus) = if w4.negative {
            (d0 - d1, d0 + d1)
        } else {
            (d0 + d1, d0 - d1)
        };
        (s0 + s1).store(&mut q0[j..]);
        ((s0 - s1) * F::load(&u2[j..])).store(&mut q1[j..]);
        (plus * F::load(&u1[j..])).store(&mut q2[j..]);
        (minus * F::load(&u3[j..])).store(&mut q3[j..]);
    }
}

/// One radix-4 DIT step (two layers, halves `h` then `2h`) on every block of `4h` elements,
/// `h ≥ W`: with `x₁' = x₁·u²`, `x₂' = x₂·u`, `x₃' = x₃·u³`, `s = x₂' + x₃'`,
/// `d = (x₂' − x₃')·ω₄`: `a[j] = x₀+x₁'+s`, `a[j+2h] = x₀+x₁'−s`, `a[j+h] = x₀−x₁'+d`,
/// `a[j+3h] = x₀−x₁'−d`.
pub fn dit_radix4(data: &mut [Goldilocks], h: usize, twiddles: [&[Goldilocks]; 3], w4: Omega4) {
    debug_assert!(h >= W && data.len().is_multiple_of(4 * h));
    for block in data.chunks_exact_mut(4 * h) {
        let (q01, q23) = block.split_at_mut(2 * h);
        let (q0, q1) = q01.split_at_mut(h);
        let (q2, q3) = q23.split_at_mut(h);
        dit_radix4_quarters([q0, q1, q2, q3], twiddles, w4);
    }
}

/// The radix-4 DIT butterflies of one block, given as its four quarters; see
/// [`dif_radix4_quarters`].
#[inline]
pub fn dit_radix4_quarters(
    quarters: [&mut [Goldilocks]; 4],
    twiddles: [&[Goldilocks]; 3],
    w4: Omega4,
) {
    let [q0, q1, q2, q3] = quarters;
    let [u1, u2, u3] = twiddles;
    for j in (0..q0.len()).step_by(W) {
        let x0 = F::load(&q0[j..]);
        let x1 = F::load(&q1[j..]) * F::load(&u2[j..]);
        let x2 = F::load(&q2[j..]) * F::load(&u1[j..]);
        let x3 = F::load(&q3[j..]) * F::load(&u3[j..]);
        let (a0, a1) = (x0 + x1, x0 - x1);
        let s = x2 + x3;
        let d = (x2 - x3).mul_2exp48();
        let (plus, minus) = if w4.negative {
            (a1 - d, a1 + d)
        } else {
            (a1 + d, a1 - d)
        };
        (a0 + s).store(&mut q0[j..]);
        (a0 - s).store(&mut q2[j..]);
        plus.store(&mut q1[j..]);
        minus.store(&mut q3[j..]);
    }
}

/// One DIF layer over all blocks of `data` (`data.len()` a multiple of `2·half`).
#[inline]
pub fn dif_layer(data: &mut [Goldilocks], half: usize, twiddles: &[Goldilocks]) {
    debug_assert_eq!(twiddles.len(), half);
    debug_assert_eq!(data.len() % (2 * half), 0);
    if data.len() < 2 * W {
        return scalar_layer(data, half, twiddles, true);
    }
    if half >= W {
        for block in data.chunks_exact_mut(2 * half) {
            let (lo, hi) = block.split_at_mut(half);
            dif_pairs(lo, hi, twiddles);
        }
    } else if half == 1 {
        // ω_2^0 = 1: no multiplication.
        for pair in data.chunks_exact_mut(2 * W) {
            let (x, y) = (F::load(pair), F::load(&pair[W..]));
            let (u, v) = x.interleave(y, 1);
            let (a, b) = untwiddled_butterfly(u, v);
            let (x, y) = a.interleave(b, 1);
            x.store(pair);
            y.store(&mut pair[W..]);
        }
    } else {
        let t = small_layer_twiddles(twiddles, half);
        for pair in data.chunks_exact_mut(2 * W) {
            let (x, y) = (F::load(pair), F::load(&pair[W..]));
            let (u, v) = x.interleave(y, half);
            let (a, b) = dif_butterfly(u, v, t);
            let (x, y) = a.interleave(b, half);
            x.store(pair);
            y.store(&mut pair[W..]);
        }
    }
}

/// One DIT layer over all blocks of `data`.
#[inline]
pub fn dit_layer(data: &mut [Goldilocks], half: usize, twiddles: &[Goldilocks]) {
    debug_assert_eq!(twiddles.len(), half);
    debug_assert_eq!(data.len() % (2 * half), 0);
    if data.len() < 2 * W {
        return scalar_layer(data, half, twiddles, false);
    }
    if half >= W {
        for block in data.chunks_exact_mut(2 * half) {
            let (lo, hi) = block.split_at_mut(half);
            dit_pairs(lo, hi, twiddles);
        }
    } else if half == 1 {
        for pair in data.chunks_exact_mut(2 * W) {
            let (x, y) = (F::load(pair), F::load(&pair[W..]));
            let (u, v) = x.interleave(y, 1);
            let (a, b) = untwiddled_butterfly(u, v);
            let (x, y) = a.interleave(b, 1);
            x.store(pair);
            y.store(&mut pair[W..]);
        }
    } else {
        let t = small_layer_twiddles(twiddles, half);
        for pair in data.chunks_exact_mut(2 * W) {
            let (x, y) = (F::load(pair), F::load(&pair[W..]));
            let (u, v) = x.interleave(y, half);
            let (a, b) = dit_butterfly(u, v, t);
            let (x, y) = a.interleave(b, half);
            x.store(pair);
            y.store(&mut pair[W..]);
        }
    }
}

/// Both layer kinds element by element, for transforms smaller than two registers.
fn scalar_layer(data: &mut [Goldilocks], half: usize, twiddles: &[Goldilocks], dif: bool) {
    for block in data.chunks_exact_mut(2 * half) {
        let (lo, hi) = block.split_at_mut(half);
        for j in 0..half {
            let (u, v) = (lo[j], hi[j]);
            if dif {
                lo[j] = u + v;
                hi[j] = (u - v) * twiddles[j];
            } else {
                let vt = v * twiddles[j];
                lo[j] = u + vt;
                hi[j] = u - vt;
            }
        }
    }
}

/// Multiplies `data` element-wise by `factors`.
#[inline]
pub fn mul_assign(data: &mut [Goldilocks], factors: &[Goldilocks]) {
    debug_assert_eq!(data.len(), factors.len());
    let split = data.len() - data.len() % W;
    let (body, tail) = data.split_at_mut(split);
    for (chunk, f) in body.chunks_exact_mut(W).zip(factors.chunks_exact(W)) {
        (F::load(chunk) * F::load(f)).store(chunk);
    }
    for (x, &f) in tail.iter_mut().zip(&factors[split..]) {
        *x *= f;
    }
}

/// Multiplies `data` by one constant.
#[inline]
pub fn scale(data: &mut [Goldilocks], factor: Goldilocks) {
    let split = data.len() - data.len() % W;
    let (body, tail) = data.split_at_mut(split);
    let f = F::broadcast(factor);
    for chunk in body.chunks_exact_mut(W) {
        (F::load(chunk) * f).store(chunk);
    }
    for x in tail {
        *x *= factor;
    }
}
