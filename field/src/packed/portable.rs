//! Portable backend: four scalar lanes. Used where no SIMD backend is compiled; the compiler
//! may still vectorize the lane loops.

use super::{interleave_array, PackedField};
use crate::Goldilocks;
use core::ops::{Add, AddAssign, Mul, MulAssign, Neg, Sub, SubAssign};

const WIDTH: usize = 4;

/// Four Goldilocks elements, operated on one lane at a time.
#[derive(Copy, Clone, Debug, Default, PartialEq, Eq)]
#[repr(transparent)]
pub struct PackedPortable(pub [Goldilocks; WIDTH]);

macro_rules! lane_op {
    ($trait:ident $method:ident $assign_trait:ident $assign_method:ident $op:tt) => {
        impl $trait for PackedPortable {
            type Output = Self;
            #[inline(always)]
            fn $method(self, rhs: Self) -> Self {
                Self(core::array::from_fn(|i| self.0[i] $op rhs.0[i]))
            }
        }
        impl $assign_trait for PackedPortable {
            #[inline(always)]
            fn $assign_method(&mut self, rhs: Self) {
                *self = *self $op rhs;
            }
        }
    };
}
lane_op!(Add add AddAssign add_assign +);
lane_op!(Sub sub SubAssign sub_assign -);
lane_op!(Mul mul MulAssign mul_assign *);

impl Neg for PackedPortable {
    type Output = Self;
    #[inline(always)]
    fn neg(self) -> Self {
        Self(self.0.map(|x| -x))
    }
}

impl PackedField for PackedPortable {
    const WIDTH: usize = WIDTH;

    #[inline(always)]
    fn broadcast(value: Goldilocks) -> Self {
        Self([value; WIDTH])
    }

    #[inline(always)]
    fn load(src: &[Goldilocks]) -> Self {
        Self(src[..WIDTH].try_into().expect("slice of WIDTH elements"))
    }

    #[inline(always)]
    fn store(self, dst: &mut [Goldilocks]) {
        dst[..WIDTH].copy_from_slice(&self.0);
    }

    #[inline]
    fn interleave(self, other: Self, block: usize) -> (Self, Self) {
        let (x, y) = interleave_array(self.0, other.0, block);
        (Self(x), Self(y))
    }
}
