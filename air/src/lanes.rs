//! The constraint algebra on [`WIDTH`] points at once: [`Lanes`] holds one base-field value
//! per point in a SIMD register ([`PackedGoldilocks`]), [`QuadraticLanes`] one element of the
//! quadratic extension per point. Every operation acts lane by lane, so a constraint written
//! over [`Algebra`] evaluates to, in lane `i`, exactly what it evaluates to on lane `i`'s
//! values alone; the prover evaluates its constraints this way (see [`crate::lane_eval`]).

use crate::algebra::{Algebra, Extends};
use core::ops::{Add, Mul, Neg, Sub};
use winter_math::FieldElement;
use zkevm_field::{Goldilocks, PackedField, PackedGoldilocks, Quadratic, NON_RESIDUE};

/// Points evaluated at once: the lanes of this build's widest SIMD backend.
pub const WIDTH: usize = <PackedGoldilocks as PackedField>::WIDTH;

/// One base-field value per point.
#[derive(Debug, Clone, Copy, PartialEq)]
#[repr(transparent)]
pub struct Lanes(pub PackedGoldilocks);

impl Lanes {
    /// The values of `WIDTH` points, lane `i` from `values[i]`.
    #[inline(always)]
    pub fn from_array(values: [Goldilocks; WIDTH]) -> Self {
        Self(PackedGoldilocks::load(&values))
    }

    #[inline(always)]
    pub fn to_array(self) -> [Goldilocks; WIDTH] {
        let mut out = [Goldilocks::ZERO; WIDTH];
        self.0.store(&mut out);
        out
    }
}

impl Lanes {
    /// Elements `start .. start + WIDTH` of `column`, the ones past its end repeating its last
    /// (so that a tail shorter than `WIDTH` still fills every lane with a real row).
    #[inline(always)]
    pub fn from_column(column: &[Goldilocks], start: usize) -> Self {
        if start + WIDTH <= column.len() {
            Self(PackedGoldilocks::load(&column[start..]))
        } else {
            let last = column.len() - 1;
            Self::from_array(core::array::from_fn(|i| column[(start + i).min(last)]))
        }
    }
}

impl Add for Lanes {
    type Output = Self;
    #[inline(always)]
    fn add(self, rhs: Self) -> Self {
        Self(self.0 + rhs.0)
    }
}

impl Sub for Lanes {
    type Output = Self;
    #[inline(always)]
    fn sub(self, rhs: Self) -> Self {
        Self(self.0 - rhs.0)
    }
}

impl Mul for Lanes {
    type Output = Self;
    #[inline(always)]
    fn mul(self, rhs: Self) -> Self {
        Self(self.0 * rhs.0)
    }
}

impl Neg for Lanes {
    type Output = Self;
    #[inline(always)]
    fn neg(self) -> Self {
        Self(-self.0)
    }
}

impl Algebra for Lanes {
    #[inline(always)]
    fn constant(value: Goldilocks) -> Self {
        Self(PackedGoldilocks::broadcast(value))
    }
}

/// One element `c₀ + c₁·φ` (φ² = 7, [`zkevm_field::Quadratic`]'s modulus) per point.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct QuadraticLanes {
    pub c0: Lanes,
    pub c1: Lanes,
}

impl QuadraticLanes {
    /// `value` in every lane.
    pub fn broadcast(value: Quadratic) -> Self {
        let [c0, c1] = value.to_base_elements();
        Self {
            c0: Lanes::constant(c0),
            c1: Lanes::constant(c1),
        }
    }

    /// The values of `WIDTH` points, lane `i` from `values[i]`.
    pub fn from_array(values: [Quadratic; WIDTH]) -> Self {
        Self {
            c0: Lanes::from_array(values.map(|v| v.to_base_elements()[0])),
            c1: Lanes::from_array(values.map(|v| v.to_base_elements()[1])),
        }
    }

    pub fn to_array(self) -> [Quadratic; WIDTH] {
        let (c0, c1) = (self.c0.to_array(), self.c1.to_array());
        core::array::from_fn(|i| Quadratic::new(c0[i], c1[i]))
    }
}

/// `7·x` by doublings: cheaper than a product with a broadcast 7.
#[inline(always)]
fn times_non_residue(x: Lanes) -> Lanes {
    const _: () = assert!(NON_RESIDUE == 7);
    let eight = x.0.double().double().double();
    Lanes(eight - x.0)
}

impl Add for QuadraticLanes {
    type Output = Self;
    #[inline(always)]
    fn add(self, rhs: Self) -> Self {
        Self {
            c0: self.c0 + rhs.c0,
            c1: self.c1 + rhs.c1,
        }
    }
}

impl Sub for QuadraticLanes {
    type Output = Self;
    #[inline(always)]
    fn sub(self, rhs: Self) -> Self {
        Self {
            c0: self.c0 - rhs.c0,
            c1: self.c1 - rhs.c1,
        }
    }
}

impl Mul for QuadraticLanes {
    type Output = Self;
    /// Karatsuba: three base products instead of four.
    #[inline(always)]
    fn mul(self, rhs: Self) -> Self {
        let low = self.c0 * rhs.c0;
        let high = self.c1 * rhs.c1;
        let cross = (self.c0 + self.c1) * (rhs.c0 + rhs.c1);
        Self {
            c0: low + times_non_residue(high),
            c1: cross - low - high,
        }
    }
}

impl Neg for QuadraticLanes {
    type Output = Self;
    #[inline(always)]
    fn neg(self) -> Self {
        Self {
            c0: -self.c0,
            c1: -self.c1,
        }
    }
}

impl Algebra for QuadraticLanes {
    #[inline(always)]
    fn constant(value: Goldilocks) -> Self {
        Self::lift(Lanes::constant(value))
    }
}

impl Extends<Lanes> for QuadraticLanes {
    #[inline(always)]
    fn lift(value: Lanes) -> Self {
        Self {
            c0: value,
            c1: Lanes::zero(),
        }
    }

    #[inline(always)]
    fn mul_base(self, value: Lanes) -> Self {
        Self {
            c0: self.c0 * value,
            c1: self.c1 * value,
        }
    }
}

/// The inverses of `values`, lane by lane (one field inversion per lane for the whole slice);
/// `None` when some lane of some value is zero.
pub fn batch_inverse(values: &[QuadraticLanes]) -> Option<Vec<QuadraticLanes>> {
    let mut prefix = Vec::with_capacity(values.len());
    let mut product = QuadraticLanes::one();
    for &value in values {
        prefix.push(product);
        product = product * value;
    }
    let lanes = product.to_array();
    if lanes.contains(&Quadratic::ZERO) {
        return None;
    }
    // `rest` is the inverse of the product of values[..=i] as the loop reaches `i`.
    let mut rest = QuadraticLanes::from_array(lanes.map(|lane| lane.inv()));
    let mut inverses = vec![QuadraticLanes::zero(); values.len()];
    for i in (0..values.len()).rev() {
        inverses[i] = rest * prefix[i];
        rest = rest * values[i];
    }
    Some(inverses)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::test_support::pseudo_random;

    fn quadratic_points(seed: u64) -> [Quadratic; WIDTH] {
        let base = pseudo_random(2 * WIDTH, seed);
        core::array::from_fn(|i| Quadratic::new(base[2 * i], base[2 * i + 1]))
    }

    /// Every operation agrees, lane by lane, with the scalar field and extension.
    #[test]
    fn lanes_compute_what_each_point_computes() {
        let (a, b) = (pseudo_random(WIDTH, 1), pseudo_random(WIDTH, 2));
        let (pa, pb) = (
            Lanes::from_array(a.clone().try_into().unwrap()),
            Lanes::from_array(b.clone().try_into().unwrap()),
        );
        let (x, y) = (quadratic_points(3), quadratic_points(4));
        let (px, py) = (QuadraticLanes::from_array(x), QuadraticLanes::from_array(y));
        for i in 0..WIDTH {
            assert_eq!((pa * pb).to_array()[i], a[i] * b[i]);
            assert_eq!((pa - pb).to_array()[i], a[i] - b[i]);
            assert_eq!((pa + pb).to_array()[i], a[i] + b[i]);
            assert_eq!((-pa).to_array()[i], -a[i]);
            assert_eq!((px * py).to_array()[i], x[i] * y[i]);
            assert_eq!((px + py).to_array()[i], x[i] + y[i]);
            assert_eq!((px - py).to_array()[i], x[i] - y[i]);
            assert_eq!((-px).to_array()[i], -x[i]);
            assert_eq!(px.mul_base(pa).to_array()[i], x[i] * Quadratic::from(a[i]));
            assert_eq!(
                QuadraticLanes::lift(pa).to_array()[i],
                Quadratic::from(a[i])
            );
            assert_eq!(QuadraticLanes::broadcast(y[0]).to_array()[i], y[0]);
        }
    }

    #[test]
    fn batch_inverses_are_inverses_and_zeros_are_refused() {
        let values: Vec<QuadraticLanes> = (0..5)
            .map(|k| QuadraticLanes::from_array(quadratic_points(10 + k)))
            .collect();
        let inverses = batch_inverse(&values).unwrap();
        for (value, inverse) in values.iter().zip(&inverses) {
            assert_eq!((*value * *inverse).to_array(), [Quadratic::ONE; WIDTH]);
        }
        let mut with_zero = values.clone();
        let mut lanes = with_zero[3].to_array();
        lanes[WIDTH - 1] = Quadratic::ZERO;
        with_zero[3] = QuadraticLanes::from_array(lanes);
        assert!(batch_inverse(&with_zero).is_none());
    }

    #[test]
    fn a_column_tail_repeats_the_last_element() {
        let column = pseudo_random(WIDTH + 3, 9);
        assert_eq!(
            Lanes::from_column(&column, 0).to_array()[..],
            column[..WIDTH]
        );
        let tail = Lanes::from_column(&column, WIDTH).to_array();
        for (i, value) in tail.iter().enumerate() {
            assert_eq!(*value, column[(WIDTH + i).min(WIDTH + 2)]);
        }
    }
}
