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

/// Which radix-2 butterfly a layer applies.
#[derive(Copy, Clone, Debug, PartialEq, Eq)]
pub enum Direction {
    /// Gentleman–Sande: `(u, v) ↦ (u + v, (u − v)·t)`.
    Dif,
    /// Cooley–Tukey: `(u, v) ↦ (u + v·t, u − v·t)`.
    Dit,
}

impl Direction {
    #[inline(always)]
    fn butterfly(self, u: F, v: F, t: F) -> (F, F) {
        match self {
            Direction::Dif => (u + v, (u - v) * t),
            Direction::Dit => {
                let vt = v * t;
                (u + vt, u - vt)
            }
        }
    }
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

/// Butterflies between `lo[j]` and `hi[j]` with twiddle `twiddles[j]`; lengths are equal
/// multiples of `W`. This is one block of a layer.
#[inline(always)]
fn pairs(
    lo: &mut [Goldilocks],
    hi: &mut [Goldilocks],
    twiddles: &[Goldilocks],
    direction: Direction,
) {
    debug_assert!(lo.len() == hi.len() && lo.len() == twiddles.len() && lo.len().is_multiple_of(W));
    for ((l, h), t) in lo
        .chunks_exact_mut(W)
        .zip(hi.chunks_exact_mut(W))
        .zip(twiddles.chunks_exact(W))
    {
        let (a, b) = direction.butterfly(F::load(l), F::load(h), F::load(t));
        a.store(l);
        b.store(h);
    }
}

/// One radix-2 layer over all blocks of `data` (`data.len()` a multiple of `2·half`).
#[inline]
pub fn radix2_layer(
    data: &mut [Goldilocks],
    half: usize,
    twiddles: &[Goldilocks],
    direction: Direction,
) {
    debug_assert_eq!(twiddles.len(), half);
    debug_assert!(data.len().is_multiple_of(2 * half));
    if data.len() < 2 * W {
        return scalar_layer(data, half, twiddles, direction);
    }
    if half >= W {
        for block in data.chunks_exact_mut(2 * half) {
            let (lo, hi) = block.split_at_mut(half);
            pairs(lo, hi, twiddles, direction);
        }
        return;
    }
    // Partners sit `half` lanes apart inside a register pair. For half = 1 the twiddle is
    // ω₂⁰ = 1 and both directions reduce to (u + v, u − v).
    let t = small_layer_twiddles(twiddles, half);
    for pair in data.chunks_exact_mut(2 * W) {
        let (x, y) = (F::load(pair), F::load(&pair[W..]));
        let (u, v) = x.interleave(y, half);
        let (a, b) = if half == 1 {
            (u + v, u - v)
        } else {
            direction.butterfly(u, v, t)
        };
        let (x, y) = a.interleave(b, half);
        x.store(pair);
        y.store(&mut pair[W..]);
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
    /// The forward transform's `ω₄ = root_of_unity(2)` is `+2^48` (a test checks it); a
    /// compile-time value lets kernels that always run forward fold the sign away.
    pub const FORWARD: Self = Self { negative: false };

    /// `ω₄` of the forward transform, or its inverse `ω₄⁻¹ = −ω₄`.
    pub const fn new(inverse: bool) -> Self {
        Self {
            negative: Self::FORWARD.negative != inverse,
        }
    }

    /// `(a + ω₄·x, a − ω₄·x)` given `x·2^48`, for packed values or rows of them.
    #[inline(always)]
    pub fn plus_minus<T>(self, a: T, x_2exp48: T) -> (T, T)
    where
        T: Copy + core::ops::Add<Output = T> + core::ops::Sub<Output = T>,
    {
        if self.negative {
            (a - x_2exp48, a + x_2exp48)
        } else {
            (a + x_2exp48, a - x_2exp48)
        }
    }
}

/// Splits a block of `4h` elements into its four quarters.
#[inline(always)]
pub fn quarters(block: &mut [Goldilocks]) -> [&mut [Goldilocks]; 4] {
    let h = block.len() / 4;
    let (q01, q23) = block.split_at_mut(2 * h);
    let (q0, q1) = q01.split_at_mut(h);
    let (q2, q3) = q23.split_at_mut(h);
    [q0, q1, q2, q3]
}

/// Applies a radix-4 kernel to every block of `4h` elements, `h ≥ W`.
#[inline]
pub fn radix4_step(
    data: &mut [Goldilocks],
    h: usize,
    twiddles: [&[Goldilocks]; 3],
    w4: Omega4,
    kernel: Radix4Kernel,
) {
    debug_assert!(h >= W && data.len().is_multiple_of(4 * h));
    for block in data.chunks_exact_mut(4 * h) {
        kernel(quarters(block), twiddles, w4);
    }
}

/// Radix-4 DIF (two layers, halves `2h` then `h`) on one block's quarters (or equal slices of
/// them with the matching twiddle slices). With `x_m = a[j + m·h]`, `u = ω_{4h}^j`:
/// `a[j] = (x₀+x₂) + (x₁+x₃)`, `a[j+h] = ((x₀+x₂) − (x₁+x₃))·u²`,
/// `a[j+2h] = (d₀ + d₁)·u`, `a[j+3h] = (d₀ − d₁)·u³` with `d₀ = x₀−x₂`, `d₁ = (x₁−x₃)·ω₄`.
/// Three general products per four elements instead of four.
#[inline]
pub fn dif_radix4(quarters: [&mut [Goldilocks]; 4], twiddles: [&[Goldilocks]; 3], w4: Omega4) {
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
        let (plus, minus) = w4.plus_minus(d0, (x1 - x3).mul_2exp48());
        (s0 + s1).store(&mut q0[j..]);
        ((s0 - s1) * F::load(&u2[j..])).store(&mut q1[j..]);
        (plus * F::load(&u1[j..])).store(&mut q2[j..]);
        (minus * F::load(&u3[j..])).store(&mut q3[j..]);
    }
}

/// Radix-4 DIT (two layers, halves `h` then `2h`) on one block's quarters: with
/// `x₁' = x₁·u²`, `x₂' = x₂·u`, `x₃' = x₃·u³`, `s = x₂' + x₃'`, `d = (x₂' − x₃')·ω₄`:
/// `a[j] = x₀+x₁'+s`, `a[j+2h] = x₀+x₁'−s`, `a[j+h] = x₀−x₁'+d`, `a[j+3h] = x₀−x₁'−d`.
#[inline]
pub fn dit_radix4(quarters: [&mut [Goldilocks]; 4], twiddles: [&[Goldilocks]; 3], w4: Omega4) {
    let [q0, q1, q2, q3] = quarters;
    let [u1, u2, u3] = twiddles;
    for j in (0..q0.len()).step_by(W) {
        let x0 = F::load(&q0[j..]);
        let x1 = F::load(&q1[j..]) * F::load(&u2[j..]);
        let x2 = F::load(&q2[j..]) * F::load(&u1[j..]);
        let x3 = F::load(&q3[j..]) * F::load(&u3[j..]);
        let (a0, a1) = (x0 + x1, x0 - x1);
        let s = x2 + x3;
        let (plus, minus) = w4.plus_minus(a1, (x2 - x3).mul_2exp48());
        (a0 + s).store(&mut q0[j..]);
        (a0 - s).store(&mut q2[j..]);
        plus.store(&mut q1[j..]);
        minus.store(&mut q3[j..]);
    }
}

/// Both layer kinds element by element, for transforms smaller than two registers.
fn scalar_layer(
    data: &mut [Goldilocks],
    half: usize,
    twiddles: &[Goldilocks],
    direction: Direction,
) {
    for block in data.chunks_exact_mut(2 * half) {
        let (lo, hi) = block.split_at_mut(half);
        for j in 0..half {
            let (u, v) = (lo[j], hi[j]);
            if direction == Direction::Dif {
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

#[cfg(test)]
mod tests {
    use super::Omega4;
    use crate::Goldilocks;

    #[test]
    fn forward_omega4_is_the_fourth_root_of_unity() {
        let two_48 = Goldilocks::new(1 << 48);
        let expected = if Omega4::FORWARD.negative {
            -two_48
        } else {
            two_48
        };
        assert_eq!(Goldilocks::root_of_unity(2), expected);
        assert!(Omega4::new(true).negative != Omega4::FORWARD.negative);
    }
}
