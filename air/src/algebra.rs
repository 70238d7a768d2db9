//! The constraint algebra: what a constraint may do with trace values.
//!
//! Constraints are generic over [`Algebra`] so that one definition serves winterfell's
//! constraint evaluation (base field and extension elements) and, later, the recursion
//! circuit's variables. Only ring operations and constants are available: no division, no
//! branching on values.

use core::ops::{Add, Mul, Neg, Sub};
use winter_math::{ExtensionOf, FieldElement};
use zkevm_field::Goldilocks;

/// A commutative ring containing the Goldilocks constants.
pub trait Algebra:
    Copy + Add<Output = Self> + Sub<Output = Self> + Mul<Output = Self> + Neg<Output = Self>
{
    /// The embedding of a base-field constant.
    fn constant(value: Goldilocks) -> Self;

    /// The constant `value` given as a small integer.
    fn from_u64(value: u64) -> Self {
        Self::constant(Goldilocks::new(value))
    }

    fn zero() -> Self {
        Self::from_u64(0)
    }

    fn one() -> Self {
        Self::from_u64(1)
    }

    /// `self · (self − 1)`: zero exactly when `self` is 0 or 1.
    fn booleanity(self) -> Self {
        self * (self - Self::one())
    }
}

impl<E: FieldElement<BaseField = Goldilocks>> Algebra for E {
    fn constant(value: Goldilocks) -> Self {
        E::from(value)
    }
}

/// An [`Algebra`] containing another, `F`: the LogUp constraints keep a main row's values in
/// their own algebra (the base field while proving) and mix them into extension values.
pub trait Extends<F>: Algebra {
    /// The embedding of `F`.
    fn lift(value: F) -> Self;

    /// `self · value`, possibly cheaper than lifting first.
    fn mul_base(self, value: F) -> Self {
        self * Self::lift(value)
    }
}

impl<F, E> Extends<F> for E
where
    F: FieldElement<BaseField = Goldilocks>,
    E: FieldElement<BaseField = Goldilocks> + ExtensionOf<F>,
{
    fn lift(value: F) -> Self {
        E::from(value)
    }

    fn mul_base(self, value: F) -> Self {
        ExtensionOf::mul_base(self, value)
    }
}
