//! NEON backend (aarch64): two lanes in one `uint64x2_t`.
//!
//! Addition, subtraction and negation run in the vector unit with unsigned 64-bit compares.
//! NEON has no 64×64-bit multiply, while aarch64's scalar `mul`/`umulh` pair is fast, so the
//! product is formed per lane in general registers and reduced with the scalar reduction.

use super::{interleave_array, PackedField};
use crate::goldilocks::{reduce128, P};
use crate::Goldilocks;
use core::arch::aarch64::*;
use core::fmt;
use core::ops::{Add, AddAssign, Mul, MulAssign, Neg, Sub, SubAssign};

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

impl Add for PackedNeon {
    type Output = Self;
    #[inline(always)]
    fn add(self, rhs: Self) -> Self {
        unsafe {
            let p = vdupq_n_u64(P);
            let sum = vaddq_u64(self.0, rhs.0);
            let carried = vcltq_u64(sum, self.0);
            let too_big = vcgeq_u64(sum, p);
            let need = vorrq_u64(carried, too_big);
            Self(vsubq_u64(sum, vandq_u64(need, p)))
        }
    }
}

impl Sub for PackedNeon {
    type Output = Self;
    #[inline(always)]
    fn sub(self, rhs: Self) -> Self {
        unsafe {
            let diff = vsubq_u64(self.0, rhs.0);
            let borrowed = vcltq_u64(self.0, rhs.0);
            Self(vaddq_u64(diff, vandq_u64(borrowed, vdupq_n_u64(P))))
        }
    }
}

impl Neg for PackedNeon {
    type Output = Self;
    #[inline(always)]
    fn neg(self) -> Self {
        unsafe {
            let nonzero = vtstq_u64(self.0, self.0);
            Self(vandq_u64(nonzero, vsubq_u64(vdupq_n_u64(P), self.0)))
        }
    }
}

impl Mul for PackedNeon {
    type Output = Self;
    #[inline(always)]
    fn mul(self, rhs: Self) -> Self {
        let (a, b) = (self.to_array(), rhs.to_array());
        Self::from_array(core::array::from_fn(|i| {
            reduce128(a[i].as_u64() as u128 * b[i].as_u64() as u128)
        }))
    }
}

impl AddAssign for PackedNeon {
    #[inline(always)]
    fn add_assign(&mut self, rhs: Self) {
        *self = *self + rhs;
    }
}

impl SubAssign for PackedNeon {
    #[inline(always)]
    fn sub_assign(&mut self, rhs: Self) {
        *self = *self - rhs;
    }
}

impl MulAssign for PackedNeon {
    #[inline(always)]
    fn mul_assign(&mut self, rhs: Self) {
        *self = *self * rhs;
    }
}

impl PartialEq for PackedNeon {
    fn eq(&self, other: &Self) -> bool {
        self.to_array() == other.to_array()
    }
}

impl fmt::Debug for PackedNeon {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_tuple("PackedNeon").field(&self.to_array()).finish()
    }
}

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
