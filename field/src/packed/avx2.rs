//! AVX2 backend: four lanes in one `__m256i`.
//!
//! AVX2 has no unsigned 64-bit compare. Flipping the sign bit of both operands (`x ⊕ 2^63`)
//! turns an unsigned comparison into the signed `vpcmpgtq`; conditional corrections are then
//! an AND of the compare mask with the correction constant.

use super::PackedField;
use crate::goldilocks::{EPSILON, P};
use crate::Goldilocks;
use core::arch::x86_64::*;

const WIDTH: usize = 4;
const SIGN_BIT: u64 = 1 << 63;

/// Four Goldilocks elements in one AVX2 register; every lane canonical.
#[derive(Copy, Clone)]
#[repr(transparent)]
pub struct PackedAvx2(__m256i);

#[inline(always)]
fn splat(x: u64) -> __m256i {
    unsafe { _mm256_set1_epi64x(x as i64) }
}

/// `x ⊕ 2^63`: maps unsigned order onto signed order, so `vpcmpgtq` compares unsigned values.
#[inline(always)]
fn shift(x: __m256i) -> __m256i {
    unsafe { _mm256_xor_si256(x, splat(SIGN_BIT)) }
}

/// The high 32 bits of each lane copied into the low half (`vmovshdup`, a shuffle-port op
/// that leaves the multiply ports free; `vpmuludq` ignores the upper half anyway).
#[inline(always)]
fn high_halves(x: __m256i) -> __m256i {
    unsafe { _mm256_castps_si256(_mm256_movehdup_ps(_mm256_castsi256_ps(x))) }
}

/// Canonical `a + b` for canonical inputs: subtract p exactly when `a ≥ p − b`, decided by
/// one signed compare of sign-shifted values (`(p − b) ⊕ 2^63 = (p ⊕ 2^63) − b`).
#[inline(always)]
fn add(a: __m256i, b: __m256i) -> __m256i {
    unsafe {
        let sum = _mm256_add_epi64(a, b);
        let gap_s = _mm256_sub_epi64(splat(P ^ SIGN_BIT), b);
        let no_wrap = _mm256_cmpgt_epi64(gap_s, shift(a));
        _mm256_sub_epi64(sum, _mm256_andnot_si256(no_wrap, splat(P)))
    }
}

/// Canonical `a − b` for canonical inputs: add p back on a borrow.
#[inline(always)]
fn sub(a: __m256i, b: __m256i) -> __m256i {
    unsafe {
        let diff = _mm256_sub_epi64(a, b);
        let borrowed = _mm256_cmpgt_epi64(shift(b), shift(a));
        _mm256_add_epi64(diff, _mm256_and_si256(borrowed, splat(P)))
    }
}

#[inline(always)]
fn neg(a: __m256i) -> __m256i {
    unsafe {
        let zero = _mm256_cmpeq_epi64(a, _mm256_setzero_si256());
        _mm256_andnot_si256(zero, _mm256_sub_epi64(splat(P), a))
    }
}

/// The full 128-bit products as (hi, lo), from four 32×32-bit partial products.
#[inline(always)]
fn mul_wide(a: __m256i, b: __m256i) -> (__m256i, __m256i) {
    unsafe {
        let a_hi = high_halves(a);
        let b_hi = high_halves(b);
        let ll = _mm256_mul_epu32(a, b);
        let lh = _mm256_mul_epu32(a, b_hi);
        let hl = _mm256_mul_epu32(a_hi, b);
        let hh = _mm256_mul_epu32(a_hi, b_hi);
        // mid = lh + (ll >> 32) and mid2 = hl + low32(mid) cannot overflow 64 bits.
        let mid = _mm256_add_epi64(lh, _mm256_srli_epi64::<32>(ll));
        let mid2 = _mm256_add_epi64(hl, _mm256_and_si256(mid, splat(EPSILON)));
        let lo = _mm256_blend_epi32::<0b1010_1010>(ll, _mm256_slli_epi64::<32>(mid2));
        let hi = _mm256_add_epi64(
            _mm256_add_epi64(hh, _mm256_srli_epi64::<32>(mid)),
            _mm256_srli_epi64::<32>(mid2),
        );
        (hi, lo)
    }
}

#[inline(always)]
fn mul(a: __m256i, b: __m256i) -> __m256i {
    let (hi, lo) = mul_wide(a, b);
    reduce(hi, lo)
}

/// `low32(x) · EPSILON` with one `vpmuludq`: inline assembly, because LLVM otherwise
/// strength-reduces the multiplication by the constant into a shift, a mask and a subtract
/// (packed mul with `-C target-cpu=x86-64-v3` on the AVX-512 reference machine: 0.726 → 0.698
/// ns per element, against Plonky3's 0.645).
#[inline(always)]
fn mul_epsilon(x: __m256i) -> __m256i {
    let product;
    // SAFETY: vpmuludq on ymm registers needs only avx2, enabled for this module; the
    // instruction reads no memory, touches no stack and leaves the flags alone.
    unsafe {
        core::arch::asm!(
            "vpmuludq {product}, {x}, {epsilon}",
            product = lateout(ymm_reg) product,
            x = in(ymm_reg) x,
            epsilon = in(ymm_reg) splat(EPSILON),
            options(pure, nomem, nostack, preserves_flags),
        );
    }
    product
}

/// Reduces `hi·2^64 + lo` to canonical form, working on sign-shifted values throughout.
#[inline(always)]
fn reduce(hi: __m256i, lo: __m256i) -> __m256i {
    unsafe {
        let lo_s = shift(lo);
        let hi_hi = _mm256_srli_epi64::<32>(hi);
        // lo − hi_hi (hi_hi < 2^32). A borrow shows in the high 32-bit halves alone, so a
        // 32-bit compare suffices; its mask shifted right by 32 is EPSILON, the correction.
        let t0_s = _mm256_sub_epi64(lo_s, hi_hi);
        let borrowed = _mm256_cmpgt_epi32(t0_s, lo_s);
        let t0_s = _mm256_sub_epi64(t0_s, _mm256_srli_epi64::<32>(borrowed));
        // + low32(hi)·(2^32 − 1) ≤ 2^64 − 2^33 + 1: again a carry shows in the high halves.
        let t1 = mul_epsilon(hi);
        let sum_s = _mm256_add_epi64(t0_s, t1);
        let carried = _mm256_cmpgt_epi32(t0_s, sum_s);
        let sum_s = _mm256_add_epi64(sum_s, _mm256_srli_epi64::<32>(carried));
        // Canonical: subtract p (add EPSILON) when sum ≥ p.
        let below_p = _mm256_cmpgt_epi64(splat(P ^ SIGN_BIT), sum_s);
        shift(_mm256_add_epi64(
            sum_s,
            _mm256_andnot_si256(below_p, splat(EPSILON)),
        ))
    }
}

impl PackedAvx2 {
    /// Writes the lanes to `at`, aligned or not.
    ///
    /// # Safety
    /// `WIDTH` elements must be writable from `at`.
    #[inline(always)]
    unsafe fn write_to(self, at: *mut Goldilocks) {
        // SAFETY: the caller's; storeu needs no alignment, and canonical lanes keep
        // Goldilocks' invariant.
        unsafe { _mm256_storeu_si256(at.cast(), self.0) }
    }

    #[inline(always)]
    fn to_array(self) -> [Goldilocks; WIDTH] {
        // SAFETY: same size; lanes are canonical by the type's invariant.
        unsafe { core::mem::transmute::<__m256i, [Goldilocks; WIDTH]>(self.0) }
    }
}

impl_packed_ops!(PackedAvx2);

impl PackedField for PackedAvx2 {
    const WIDTH: usize = WIDTH;

    #[inline(always)]
    fn broadcast(value: Goldilocks) -> Self {
        Self(splat(value.as_u64()))
    }

    #[inline(always)]
    fn load(src: &[Goldilocks]) -> Self {
        assert!(src.len() >= WIDTH);
        // SAFETY: WIDTH elements readable; unaligned load.
        Self(unsafe { _mm256_loadu_si256(src.as_ptr().cast()) })
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
        if !(at as usize).is_multiple_of(32) {
            // SAFETY: WIDTH elements writable (asserted).
            return unsafe { self.write_to(at) };
        }
        // SAFETY: WIDTH elements (32 bytes) writable from a 32-byte boundary, as the
        // non-temporal store requires; lanes are canonical; the caller fences (trait contract).
        unsafe { _mm256_stream_si256(at.cast(), self.0) }
    }

    #[inline(always)]
    fn mul_2exp48(self) -> Self {
        // x · 2^48 = (x >> 16)·2^64 + (x << 48) mod 2^64: the wide product from two shifts.
        // SAFETY: the target feature is enabled for this module.
        let (hi, lo) = unsafe {
            (
                _mm256_srli_epi64::<16>(self.0),
                _mm256_slli_epi64::<48>(self.0),
            )
        };
        Self(reduce(hi, lo))
    }

    #[inline(always)]
    fn interleave(self, other: Self, block: usize) -> (Self, Self) {
        let (a, b) = (self.0, other.0);
        unsafe {
            match block {
                1 => (
                    Self(_mm256_unpacklo_epi64(a, b)),
                    Self(_mm256_unpackhi_epi64(a, b)),
                ),
                2 => (
                    Self(_mm256_permute2x128_si256::<0x20>(a, b)),
                    Self(_mm256_permute2x128_si256::<0x31>(a, b)),
                ),
                _ => panic!("interleave block {block} is not 1 or 2"),
            }
        }
    }
}
