//! NEON backend (aarch64): two lanes in one `uint64x2_t`.
//!
//! Addition, subtraction and negation run in the vector unit with unsigned 64-bit compares.
//! NEON has no 64×64-bit multiply, while aarch64's scalar `mul`/`umulh` pair is fast, so the
//! product is formed per lane in general registers and reduced with the scalar reduction.

use super::{interleave_array, PackedField};
use crate::goldilocks::{reduce128, P};
use crate::Goldilocks;
use core::arch::aarch64::*;

const WIDTH: usize = 2;

/// Two Goldilocks elements in one NEON register; every lane canonical.
#[derive(Copy, Clone)]
#[repr(transparent)]
pub struct PackedNeon(uint64x2_t);

impl PackedNeon {
    #[inline(always)]
    fn to_array(self) -> [Goldilocks; WIDTH] {
        // SAFETY: same size; lanes are canonical by the type's invariant.
        unsafe { core::mem::transmute::<uint64x2_t, [Goldilocks; WIDTH]>(self.0) }
    }

    #[inline(always)]
    fn from_array(lanes: [Goldilocks; WIDTH]) -> Self {
        // SAFETY: same size; any bit pattern is a valid vector.
        Self(unsafe { core::mem::transmute::<[Goldilocks; WIDTH], uint64x2_t>(lanes) })
    }
}

#[inline(always)]
fn add(a: uint64x2_t, b: uint64x2_t) -> uint64x2_t {
    unsafe {
        let p = vdupq_n_u64(P);
        let sum = vaddq_u64(a, b);
        // Subtract p on a carry (sum < a) or when sum ≥ p.
        let need = vorrq_u64(vcltq_u64(sum, a), vcgeq_u64(sum, p));
        vsubq_u64(sum, vandq_u64(need, p))
    }
}

#[inline(always)]
fn sub(a: uint64x2_t, b: uint64x2_t) -> uint64x2_t {
    unsafe {
        let diff = vsubq_u64(a, b);
        vaddq_u64(diff, vandq_u64(vcltq_u64(a, b), vdupq_n_u64(P)))
    }
}

#[inline(always)]
fn neg(a: uint64x2_t) -> uint64x2_t {
    unsafe { vandq_u64(vtstq_u64(a, a), vsubq_u64(vdupq_n_u64(P), a)) }
}

#[inline(always)]
fn mul(a: uint64x2_t, b: uint64x2_t) -> uint64x2_t {
    let (a, b) = (PackedNeon(a).to_array(), PackedNeon(b).to_array());
    PackedNeon::from_array(core::array::from_fn(|i| {
        reduce128(a[i].as_u64() as u128 * b[i].as_u64() as u128)
    }))
    .0
}

impl_packed_ops!(PackedNeon);

impl PackedField for PackedNeon {
    const WIDTH: usize = WIDTH;

    #[inline(always)]
    fn broadcast(value: Goldilocks) -> Self {
        Self(unsafe { vdupq_n_u64(value.as_u64()) })
    }

    #[inline(always)]
    fn load(src: &[Goldilocks]) -> Self {
        assert!(src.len() >= WIDTH);
        // SAFETY: WIDTH elements readable; vld1q has no alignment requirement beyond u64.
        Self(unsafe { vld1q_u64(src.as_ptr().cast()) })
    }

    #[inline(always)]
    fn store(self, dst: &mut [Goldilocks]) {
        assert!(dst.len() >= WIDTH);
        // SAFETY: WIDTH elements writable; lanes canonical.
        unsafe { vst1q_u64(dst.as_mut_ptr().cast(), self.0) }
    }

    #[inline(always)]
    fn interleave(self, other: Self, block: usize) -> (Self, Self) {
        match block {
            1 => unsafe {
                (
                    Self(vzip1q_u64(self.0, other.0)),
                    Self(vzip2q_u64(self.0, other.0)),
                )
            },
            _ => {
                let (x, y) = interleave_array(self.to_array(), other.to_array(), block);
                (Self::from_array(x), Self::from_array(y))
            }
        }
    }
}
