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
