//! AVX-512 backend: eight lanes in one `__m512i`.
//!
//! Multiplication builds the 128-bit product from four 32×32 partial products
//! (`vpmuludq`), then reduces with 2^64 ≡ 2^32 − 1 and 2^96 ≡ −1 (see `goldilocks.rs`).
//! Unsigned compares produce masks directly, so every conditional correction is one masked
//! add or subtract.

use super::PackedField;
use crate::goldilocks::{EPSILON, P};
use crate::Goldilocks;
use core::arch::x86_64::*;

const WIDTH: usize = 8;

/// Eight Goldilocks elements in one AVX-512 register; every lane canonical.
#[derive(Copy, Clone)]
#[repr(transparent)]
pub struct PackedAvx512(__m512i);

impl PackedAvx512 {
    /// Writes the lanes to `at`, aligned or not.
    ///
    /// # Safety
    /// `WIDTH` elements must be writable from `at`.
    #[inline(always)]
    unsafe fn write_to(self, at: *mut Goldilocks) {
        // SAFETY: the caller's; storeu needs no alignment, and canonical lanes keep
        // Goldilocks' invariant.
        unsafe { _mm512_storeu_si512(at.cast(), self.0) }
    }

    #[inline(always)]
    fn to_array(self) -> [Goldilocks; WIDTH] {
        // SAFETY: same size; every lane is canonical by the type's invariant.
        unsafe { core::mem::transmute::<__m512i, [Goldilocks; WIDTH]>(self.0) }
    }

    #[inline(always)]
    fn from_array(lanes: [Goldilocks; WIDTH]) -> Self {
        // SAFETY: same size and every bit pattern is a valid __m512i.
        Self(unsafe { core::mem::transmute::<[Goldilocks; WIDTH], __m512i>(lanes) })
    }
}

#[inline(always)]
fn splat(x: u64) -> __m512i {
    // SAFETY: avx512f is enabled for this module at compile time.
    unsafe { _mm512_set1_epi64(x as i64) }
}

#[inline(always)]
fn add(a: __m512i, b: __m512i) -> __m512i {
    // b canonical, so u = b + EPSILON = b − p + 2^64 does not wrap, and a + b ≥ p exactly when
    // a + u carries; then the wrapped sum is a + b − p. Otherwise take EPSILON back off.
    unsafe { add_canonical_bounded(a, _mm512_add_epi64(b, splat(EPSILON))) }
}

/// `(t + u − EPSILON) mod p` in canonical form, for any `t < 2^64` and `EPSILON ≤ u < 2^64` with
/// `t + u − EPSILON < 2p`: the wrapped sum `v = t + u` carried exactly when
/// `t + u − EPSILON ≥ p` and is then already the reduced value; otherwise `v − EPSILON` is.
#[inline(always)]
fn add_canonical_bounded(t: __m512i, u: __m512i) -> __m512i {
    unsafe {
        let v = _mm512_add_epi64(t, u);
        let no_carry = _mm512_cmpge_epu64_mask(v, u);
        _mm512_mask_sub_epi64(v, no_carry, v, splat(EPSILON))
    }
}

#[inline(always)]
fn sub(a: __m512i, b: __m512i) -> __m512i {
    unsafe {
        let diff = _mm512_sub_epi64(a, b);
        let borrowed = _mm512_cmplt_epu64_mask(a, b);
        _mm512_mask_add_epi64(diff, borrowed, diff, splat(P))
    }
}

#[inline(always)]
fn neg(a: __m512i) -> __m512i {
    unsafe {
        let nonzero = _mm512_test_epi64_mask(a, a);
        _mm512_maskz_sub_epi64(nonzero, splat(P), a)
    }
}

/// The full 128-bit products `a·b` as (hi, lo) halves.
#[inline(always)]
fn mul_wide(a: __m512i, b: __m512i) -> (__m512i, __m512i) {
    unsafe {
        let a_hi = _mm512_srli_epi64::<32>(a);
        let b_hi = _mm512_srli_epi64::<32>(b);
        let ll = _mm512_mul_epu32(a, b);
        let lh = _mm512_mul_epu32(a, b_hi);
        let hl = _mm512_mul_epu32(a_hi, b);
        let hh = _mm512_mul_epu32(a_hi, b_hi);
        // mid = lh + (ll >> 32) and mid2 = hl + low32(mid) cannot overflow 64 bits.
        let mid = _mm512_add_epi64(lh, _mm512_srli_epi64::<32>(ll));
        let mid2 = _mm512_add_epi64(hl, _mm512_and_si512(mid, splat(EPSILON)));
        // lo = low32(mid2) · 2^32 + low32(ll): take odd 32-bit halves from mid2 << 32.
        let lo = _mm512_mask_blend_epi32(0xAAAA, ll, _mm512_slli_epi64::<32>(mid2));
        let carries = _mm512_add_epi64(_mm512_srli_epi64::<32>(mid), _mm512_srli_epi64::<32>(mid2));
        let hi = _mm512_add_epi64(hh, carries);
        (hi, lo)
    }
}

/// `low32(x) · EPSILON` with one `vpmuludq`. Written as inline assembly because LLVM otherwise
/// strength-reduces the multiplication by the constant into a shift, a mask and a subtract: three
/// vector operations where one suffices, which costs ~8 % of packed-multiplication throughput
/// (measured on Zen 4, where every 512-bit operation occupies two pipe slots).
#[inline(always)]
fn mul_epsilon(x: __m512i) -> __m512i {
    let product;
    // SAFETY: vpmuludq on zmm registers needs only avx512f, enabled for this module; the
    // instruction reads no memory, touches no stack and leaves the flags alone.
    unsafe {
        core::arch::asm!(
            "vpmuludq {product}, {x}, {epsilon}",
            product = lateout(zmm_reg) product,
            x = in(zmm_reg) x,
            epsilon = in(zmm_reg) splat(EPSILON),
            options(pure, nomem, nostack, preserves_flags),
        );
    }
    product
}

/// Reduces `hi·2^64 + lo` to canonical form.
#[inline(always)]
fn reduce(hi: __m512i, lo: __m512i) -> __m512i {
    unsafe {
        let hi_hi = _mm512_srli_epi64::<32>(hi);
        // t0 = lo − hi_hi; a borrow leaves 2^64 too much, and 2^64 ≡ EPSILON. t0 may exceed p.
        let borrowed = _mm512_cmplt_epu64_mask(lo, hi_hi);
        let t0 = _mm512_sub_epi64(lo, hi_hi);
        let t0 = _mm512_mask_sub_epi64(t0, borrowed, t0, splat(EPSILON));
        // t1 = low32(hi) · EPSILON ≤ 2^64 − 2^33 + 1, so t1 + EPSILON does not wrap, and
        // t0 + t1 < 2p: one bounded add leaves the canonical sum.
        let t1 = mul_epsilon(hi);
        add_canonical_bounded(t0, _mm512_add_epi64(t1, splat(EPSILON)))
    }
}

#[inline(always)]
fn mul(a: __m512i, b: __m512i) -> __m512i {
    let (hi, lo) = mul_wide(a, b);
    reduce(hi, lo)
}

impl_packed_ops!(PackedAvx512);

impl PackedField for PackedAvx512 {
    const WIDTH: usize = WIDTH;

    #[inline(always)]
    fn broadcast(value: Goldilocks) -> Self {
        Self(splat(value.as_u64()))
    }

    #[inline(always)]
    fn load(src: &[Goldilocks]) -> Self {
        assert!(src.len() >= WIDTH);
        // SAFETY: at least WIDTH elements are readable; loadu needs no alignment.
        Self(unsafe { _mm512_loadu_si512(src.as_ptr().cast()) })
    }

    #[inline(always)]
    fn store(self, dst: &mut [Goldilocks]) {
        assert!(dst.len() >= WIDTH);
        // SAFETY: at least WIDTH elements are writable.
        unsafe { self.write_to(dst.as_mut_ptr()) }
    }

    #[inline(always)]
    unsafe fn store_streaming(self, dst: &mut [core::mem::MaybeUninit<Goldilocks>]) {
        assert!(dst.len() >= WIDTH);
        let at = dst.as_mut_ptr().cast::<Goldilocks>();
        if !(at as usize).is_multiple_of(64) {
            // SAFETY: WIDTH elements writable (asserted).
            return unsafe { self.write_to(at) };
        }
        // SAFETY: WIDTH elements (64 bytes) writable from a 64-byte boundary, as the
        // non-temporal store requires; lanes are canonical; the caller fences (trait contract).
        unsafe { _mm512_stream_si512(at.cast(), self.0) }
    }

    #[inline(always)]
    fn mul_2exp48(self) -> Self {
        // x · 2^48 = (x >> 16)·2^64 + (x << 48) mod 2^64: the wide product from two shifts.
        // SAFETY: the target feature is enabled for this module.
        let (hi, lo) = unsafe {
            (
                _mm512_srli_epi64::<16>(self.0),
                _mm512_slli_epi64::<48>(self.0),
            )
        };
        Self(reduce(hi, lo))
    }

    #[inline(always)]
    fn interleave(self, other: Self, block: usize) -> (Self, Self) {
        let (a, b) = (self.0, other.0);
        // SAFETY: avx512f is enabled for this module.
        unsafe {
            match block {
                1 => (
                    Self(_mm512_unpacklo_epi64(a, b)),
                    Self(_mm512_unpackhi_epi64(a, b)),
                ),
                2 => {
                    let first = _mm512_setr_epi64(0, 1, 8, 9, 4, 5, 12, 13);
                    let second = _mm512_setr_epi64(2, 3, 10, 11, 6, 7, 14, 15);
                    (
                        Self(_mm512_permutex2var_epi64(a, first, b)),
                        Self(_mm512_permutex2var_epi64(a, second, b)),
                    )
                }
                4 => (
                    Self(_mm512_shuffle_i64x2::<0b01_00_01_00>(a, b)),
                    Self(_mm512_shuffle_i64x2::<0b11_10_11_10>(a, b)),
                ),
                _ => panic!("interleave block {block} is not 1, 2 or 4"),
            }
        }
    }
}

impl PackedAvx512 {
    /// Lanes as an array (cheap: a register spill).
    #[inline(always)]
    pub fn lanes(self) -> [Goldilocks; WIDTH] {
        self.to_array()
    }

    /// A packed value from eight canonical elements.
    #[inline(always)]
    pub fn from_lanes(lanes: [Goldilocks; WIDTH]) -> Self {
        Self::from_array(lanes)
    }
}
