//! The Goldilocks prime field, p = 2^64 − 2^32 + 1.
//!
//! Invariant: the inner `u64` is always canonical (`< p`). Every constructor and every
//! operation preserves it, which is what lets winterfell hash rows as raw bytes
//! (`IS_CANONICAL = true`) and lets equality be plain integer equality.
//!
//! Reduction rests on two identities: 2^64 ≡ 2^32 − 1 (mod p) and 2^96 ≡ −1 (mod p). A 128-bit
//! product `hi·2^64 + lo`, with `hi = h1·2^32 + h0`, is therefore congruent to
//! `lo − h1 + h0·(2^32 − 1)`, which needs one subtraction, one 32×32 multiply and one addition.

use core::fmt;
use core::iter::{Product, Sum};
use core::ops::{Add, AddAssign, Div, DivAssign, Mul, MulAssign, Neg, Sub, SubAssign};

/// The field modulus p = 2^64 − 2^32 + 1.
pub const P: u64 = 0xFFFF_FFFF_0000_0001;

/// 2^64 mod p = 2^32 − 1; also the mask of the low 32 bits.
pub const EPSILON: u64 = 0xFFFF_FFFF;

/// An element of the Goldilocks field, always held in canonical form (`0 ≤ value < p`).
#[derive(Copy, Clone, Default, PartialEq, Eq, Hash, PartialOrd, Ord)]
#[repr(transparent)]
pub struct Goldilocks(pub(crate) u64);

/// Why bytes or an integer could not be turned into a field element.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum FieldError {
    /// The value is not below the modulus; accepting it would allow two encodings of one element.
    NonCanonical(u64),
    /// The byte slice does not have the length of one element.
    WrongLength { expected: usize, actual: usize },
}

impl fmt::Display for FieldError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            FieldError::NonCanonical(v) => write!(
                f,
                "invalid field element: value {v} is greater than or equal to the field modulus {P}"
            ),
            FieldError::WrongLength { expected, actual } => {
                write!(f, "a field element takes {expected} bytes, got {actual}")
            }
        }
    }
}

impl std::error::Error for FieldError {}

impl Goldilocks {
    pub const ZERO: Self = Self(0);
    pub const ONE: Self = Self(1);
    pub const TWO: Self = Self(2);
    pub const NEG_ONE: Self = Self(P - 1);
    /// A generator of the multiplicative group; also winterfell's coset offset for LDE and FRI.
    pub const MULTIPLICATIVE_GENERATOR: Self = Self(7);
    /// p − 1 = 2^32 · (2^32 − 1): the largest power-of-two subgroup has order 2^32.
    pub const TWO_ADICITY: u32 = 32;
    /// A primitive 2^32-th root of unity: 7^((p − 1) / 2^32). Every NTT in this crate and
    /// winterfell's verifier (through `StarkField::TWO_ADIC_ROOT_OF_UNITY`) derive their roots
    /// from this one value, so prover and verifier agree on every domain.
    pub const TWO_ADIC_ROOT_OF_UNITY: Self = Self(const_exp(7, (P - 1) >> 32));

    /// Reduces any `u64` into the field.
    #[inline(always)]
    pub const fn new(value: u64) -> Self {
        Self(if value >= P { value - P } else { value })
    }

    /// Accepts `value` only if it is already canonical.
    #[inline]
    pub const fn from_canonical(value: u64) -> Option<Self> {
        if value < P {
            Some(Self(value))
        } else {
            None
        }
    }

    /// Builds an element from a value the caller guarantees is `< p`. Checked in debug builds.
    #[inline(always)]
    pub const fn from_canonical_unchecked(value: u64) -> Self {
        debug_assert!(value < P);
        Self(value)
    }

    /// Reduces a 128-bit integer into the field.
    #[inline(always)]
    pub const fn from_u128(value: u128) -> Self {
        reduce128(value)
    }

    /// The canonical integer representative, in `[0, p)`.
    #[inline(always)]
    pub const fn as_u64(self) -> u64 {
        self.0
    }

    #[inline(always)]
    pub fn double(self) -> Self {
        self + self
    }

    #[inline(always)]
    pub fn square(self) -> Self {
        self * self
    }

    /// `self^exponent` by square-and-multiply (variable time in the exponent).
    pub fn exp_u64(self, mut exponent: u64) -> Self {
        let mut base = self;
        let mut acc = Self::ONE;
        while exponent != 0 {
            if exponent & 1 == 1 {
                acc *= base;
            }
            base = base.square();
            exponent >>= 1;
        }
        acc
    }

    /// The multiplicative inverse, or `None` for zero.
    pub fn try_inverse(self) -> Option<Self> {
        if self.0 == 0 {
            None
        } else {
            Some(self.exp_u64(P - 2))
        }
    }

    /// The multiplicative inverse; zero maps to zero (the convention winterfell expects).
    #[inline]
    pub fn inverse(self) -> Self {
        self.try_inverse().unwrap_or(Self::ZERO)
    }

    /// A primitive `2^log_n`-th root of unity, consistent with [`Self::TWO_ADIC_ROOT_OF_UNITY`].
    ///
    /// # Panics
    /// If `log_n > 32`: no such subgroup exists.
    pub fn root_of_unity(log_n: u32) -> Self {
        assert!(
            log_n <= Self::TWO_ADICITY,
            "no 2^{log_n}-th root of unity in Goldilocks"
        );
        Self::TWO_ADIC_ROOT_OF_UNITY.exp_u64(1u64 << (Self::TWO_ADICITY - log_n))
    }

    /// Little-endian canonical encoding.
    #[inline]
    pub const fn to_le_bytes(self) -> [u8; 8] {
        self.0.to_le_bytes()
    }

    /// Decodes 8 little-endian bytes, rejecting values `≥ p` so that every element has exactly
    /// one encoding.
    #[inline]
    pub fn from_le_bytes(bytes: [u8; 8]) -> Result<Self, FieldError> {
        let value = u64::from_le_bytes(bytes);
        Self::from_canonical(value).ok_or(FieldError::NonCanonical(value))
    }

    /// Decodes a slice that must hold exactly one element.
    pub fn from_le_slice(bytes: &[u8]) -> Result<Self, FieldError> {
        let array: [u8; 8] = bytes.try_into().map_err(|_| FieldError::WrongLength {
            expected: 8,
            actual: bytes.len(),
        })?;
        Self::from_le_bytes(array)
    }
}

/// Reduces `x < 2^128` to a canonical element.
#[inline(always)]
pub(crate) const fn reduce128(x: u128) -> Goldilocks {
    Goldilocks::new(reduce128_partial(x))
}

/// `x < 2^128` to a 64-bit value congruent to it mod p (below 2^64, not necessarily below p):
/// callers that feed the result into more arithmetic skip the final conditional subtraction.
#[inline(always)]
pub(crate) const fn reduce128_partial(x: u128) -> u64 {
    let lo = x as u64;
    let hi = (x >> 64) as u64;
    let hi_hi = hi >> 32;
    let hi_lo = hi & EPSILON;

    // lo − hi_hi; on borrow the wrapped value is 2^64 too large, and 2^64 ≡ EPSILON. It is then
    // above 2^64 − 2^32, so subtracting EPSILON cannot borrow again.
    let (t0, borrow) = lo.overflowing_sub(hi_hi);
    let t0 = t0.wrapping_sub(EPSILON & (borrow as u64).wrapping_neg());
    // hi_lo · (2^32 − 1) < 2^64: no overflow.
    let t1 = (hi_lo << 32) - hi_lo;
    let (sum, carry) = t0.overflowing_add(t1);
    // The carried 2^64 ≡ EPSILON; the wrapped sum is then below 2^64 − 2^33, so this cannot
    // carry again.
    sum.wrapping_add(EPSILON & (carry as u64).wrapping_neg())
}

/// `x·y` reduced partially: below 2^64 and congruent to the product mod p.
///
/// On x86-64 with BMI2 (every native build here) this is one `asm!` block: written in Rust,
/// LLVM's straight-line vectorizer packs the independent reductions of an extension product
/// into vector registers, and the moves between general and vector registers then double the
/// latency of a chain of products (Horner evaluation at an extension point spends most of its
/// time there). The asm takes the same steps as [`reduce128_partial`], which other targets
/// run: `lo − hi_hi`, then `+ hi_lo·(2^32 − 1)`, each borrow or carry folded as
/// `∓ (2^32 − 1)`.
#[inline(always)]
pub(crate) fn mul_partial(x: Goldilocks, y: Goldilocks) -> u64 {
    #[cfg(all(target_arch = "x86_64", target_feature = "bmi2"))]
    {
        let lo: u64;
        // SAFETY: register arithmetic only. `mulx` (BMI2, enabled at compile time) leaves the
        // flags alone and writes any two registers, so products interleave freely.
        unsafe {
            core::arch::asm!(
                "mulx {hi}, {lo}, {y}",
                "mov {t}, {hi}",
                "shr {t}, 32",
                "sub {lo}, {t}",
                "sbb {m}, {m}",
                "mov {m:e}, {m:e}",
                "sub {lo}, {m}",
                "mov {t:e}, {hi:e}",
                "shl {hi}, 32",
                "sub {hi}, {t}",
                "add {lo}, {hi}",
                "sbb {m}, {m}",
                "mov {m:e}, {m:e}",
                "add {lo}, {m}",
                in("rdx") x.0,
                y = in(reg) y.0,
                lo = out(reg) lo,
                hi = out(reg) _,
                t = out(reg) _,
                m = out(reg) _,
                options(pure, nomem, nostack),
            );
        }
        lo
    }
    #[cfg(not(all(target_arch = "x86_64", target_feature = "bmi2")))]
    {
        reduce128_partial(x.0 as u128 * y.0 as u128)
    }
}

/// `x₀y₀ + x₁y₁` as a canonical element, with one reduction for the two products: their
/// 129-bit sum `l + 2^64·m + 2^128·c` is congruent to `l + (2^32 − 1)·m_lo − (m_hi + 2^32·c)`
/// (`2^64 ≡ 2^32 − 1`, `2^96 ≡ −1`, `2^128 ≡ −2^32`). One asm block on x86-64 with BMI2, for
/// the reason given at [`mul_partial`].
#[inline(always)]
pub(crate) fn dot2(x0: Goldilocks, y0: Goldilocks, x1: Goldilocks, y1: Goldilocks) -> Goldilocks {
    #[cfg(all(target_arch = "x86_64", target_feature = "bmi2"))]
    {
        let out: u64;
        // SAFETY: register arithmetic only. After `l − H` borrows, `l < H < 2^33`, so the
        // folded value is above 2^64 − 2^33 and subtracting 2^32 − 1 cannot borrow again;
        // after the second sum carries, the wrapped value is below (2^32 − 1)², so adding
        // 2^32 − 1 cannot carry again.
        unsafe {
            core::arch::asm!(
                "mulx {m}, {l}, {y0}",
                "mov rdx, {x1}",
                "mulx {h}, {t}, {y1}",
                "add {l}, {t}",
                "adc {m}, {h}",
                "setc {c:l}",
                "movzx {c:e}, {c:l}",
                "shl {c}, 32",
                "mov {t}, {m}",
                "shr {t}, 32",
                "add {t}, {c}",
                "sub {l}, {t}",
                "sbb {c}, {c}",
                "mov {c:e}, {c:e}",
                "sub {l}, {c}",
                "mov {t:e}, {m:e}",
                "shl {m}, 32",
                "sub {m}, {t}",
                "add {l}, {m}",
                "sbb {c}, {c}",
                "mov {c:e}, {c:e}",
                "add {l}, {c}",
                // l ≥ p exactly when l + (2^32 − 1) carries out of 64 bits.
                "mov {t:e}, 0xffffffff",
                "add {t}, {l}",
                "cmovc {l}, {t}",
                inout("rdx") x0.0 => _,
                y0 = in(reg) y0.0,
                x1 = in(reg) x1.0,
                y1 = in(reg) y1.0,
                l = out(reg) out,
                m = out(reg) _,
                h = out(reg) _,
                t = out(reg) _,
                c = out(reg) _,
                options(pure, nomem, nostack),
            );
        }
        Goldilocks(out)
    }
    #[cfg(not(all(target_arch = "x86_64", target_feature = "bmi2")))]
    {
        let (sum, carry) =
            (x0.0 as u128 * y0.0 as u128).overflowing_add(x1.0 as u128 * y1.0 as u128);
        // A carry is worth 2^128 ≡ p − 2^32.
        reduce128(sum) + Goldilocks(TWO_POW_128_MOD_P & (carry as u64).wrapping_neg())
    }
}

/// 2^128 mod p = p − 2^32.
#[cfg(not(all(target_arch = "x86_64", target_feature = "bmi2")))]
const TWO_POW_128_MOD_P: u64 = P - (1 << 32);

/// Reduces `x < 2^68` (a sum of a few 64-bit values and small multiples of them) to a
/// canonical element: `2^64 ≡ 2^32 − 1`, so `x ≡ lo + hi·(2^32 − 1)`, one carry folded (the
/// wrapped sum is then below 2^36, so adding `2^32 − 1` cannot carry again), and `p`
/// subtracted when the result reaches it. In asm on x86-64, for the reason given at
/// [`mul_partial`].
#[inline(always)]
pub(crate) fn reduce_small(x: u128) -> Goldilocks {
    debug_assert!(x >> 68 == 0);
    #[allow(unused_mut)]
    let (mut lo, hi) = (x as u64, (x >> 64) as u64);
    #[cfg(target_arch = "x86_64")]
    {
        // SAFETY: register arithmetic only.
        unsafe {
            core::arch::asm!(
                "mov {t}, {hi}",
                "shl {t}, 32",
                "sub {t}, {hi}",
                "add {lo}, {t}",
                "sbb {m}, {m}",
                "mov {m:e}, {m:e}",
                "add {lo}, {m}",
                // lo ≥ p exactly when lo + (2^32 − 1) carries out of 64 bits.
                "mov {t:e}, 0xffffffff",
                "add {t}, {lo}",
                "cmovc {lo}, {t}",
                hi = in(reg) hi,
                lo = inout(reg) lo,
                t = out(reg) _,
                m = out(reg) _,
                options(pure, nomem, nostack),
            );
        }
        Goldilocks(lo)
    }
    #[cfg(not(target_arch = "x86_64"))]
    {
        let (sum, carry) = lo.overflowing_add((hi << 32) - hi);
        Goldilocks::new(sum.wrapping_add(EPSILON & (carry as u64).wrapping_neg()))
    }
}

const fn const_exp(base: u64, mut exponent: u64) -> u64 {
    let mut acc: u64 = 1;
    let mut b = base;
    while exponent != 0 {
        if exponent & 1 == 1 {
            acc = reduce128(acc as u128 * b as u128).0;
        }
        b = reduce128(b as u128 * b as u128).0;
        exponent >>= 1;
    }
    acc
}

/// Inverts every element of `values` with one field inversion (Montgomery's trick).
/// Zeros map to zero, as in [`Goldilocks::inverse`].
pub fn batch_inverse(values: &[Goldilocks]) -> Vec<Goldilocks> {
    let mut prefix = Vec::with_capacity(values.len());
    let mut acc = Goldilocks::ONE;
    for &v in values {
        prefix.push(acc);
        if v.0 != 0 {
            acc *= v;
        }
    }
    let mut inv_acc = acc.inverse();
    let mut result = vec![Goldilocks::ZERO; values.len()];
    for i in (0..values.len()).rev() {
        let v = values[i];
        if v.0 != 0 {
            result[i] = prefix[i] * inv_acc;
            inv_acc *= v;
        }
    }
    result
}

impl Add for Goldilocks {
    type Output = Self;
    #[inline(always)]
    fn add(self, rhs: Self) -> Self {
        // a + b < 2p. If the sum carried out of 64 bits or is ≥ p, subtract p; on a carry the
        // wrapping subtraction lands on sum + 2^64 − p, which is the right canonical value.
        let (sum, carry) = self.0.overflowing_add(rhs.0);
        let (reduced, borrow) = sum.overflowing_sub(P);
        Self(if carry || !borrow { reduced } else { sum })
    }
}

impl Sub for Goldilocks {
    type Output = Self;
    #[inline(always)]
    fn sub(self, rhs: Self) -> Self {
        let (diff, borrow) = self.0.overflowing_sub(rhs.0);
        Self(if borrow { diff.wrapping_add(P) } else { diff })
    }
}

impl Neg for Goldilocks {
    type Output = Self;
    #[inline(always)]
    fn neg(self) -> Self {
        Self(if self.0 == 0 { 0 } else { P - self.0 })
    }
}

impl Mul for Goldilocks {
    type Output = Self;
    #[inline(always)]
    fn mul(self, rhs: Self) -> Self {
        reduce128(self.0 as u128 * rhs.0 as u128)
    }
}

impl Div for Goldilocks {
    type Output = Self;
    #[allow(clippy::suspicious_arithmetic_impl)]
    #[inline]
    fn div(self, rhs: Self) -> Self {
        self * rhs.inverse()
    }
}

macro_rules! assign_ops {
    ($($trait:ident $method:ident $op:tt),*) => {$(
        impl $trait for Goldilocks {
            #[inline(always)]
            fn $method(&mut self, rhs: Self) {
                *self = *self $op rhs;
            }
        }
    )*};
}
assign_ops!(AddAssign add_assign +, SubAssign sub_assign -, MulAssign mul_assign *, DivAssign div_assign /);

impl Sum for Goldilocks {
    fn sum<I: Iterator<Item = Self>>(iter: I) -> Self {
        iter.fold(Self::ZERO, |a, b| a + b)
    }
}

impl Product for Goldilocks {
    fn product<I: Iterator<Item = Self>>(iter: I) -> Self {
        iter.fold(Self::ONE, |a, b| a * b)
    }
}

impl fmt::Debug for Goldilocks {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.0)
    }
}

impl fmt::Display for Goldilocks {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.0)
    }
}

impl From<bool> for Goldilocks {
    fn from(value: bool) -> Self {
        Self(value as u64)
    }
}

impl From<u8> for Goldilocks {
    fn from(value: u8) -> Self {
        Self(value as u64)
    }
}

impl From<u16> for Goldilocks {
    fn from(value: u16) -> Self {
        Self(value as u64)
    }
}

impl From<u32> for Goldilocks {
    fn from(value: u32) -> Self {
        Self(value as u64)
    }
}

impl From<Goldilocks> for u64 {
    fn from(value: Goldilocks) -> Self {
        value.0
    }
}

impl From<Goldilocks> for u128 {
    fn from(value: Goldilocks) -> Self {
        value.0 as u128
    }
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;
    use proptest::prelude::*;

    /// Values that stress every carry and borrow path: near 0, near p, near 2^32 and 2^64.
    pub(crate) fn edge_u64() -> impl Strategy<Value = u64> {
        prop_oneof![
            0u64..4,
            (P - 4)..P,
            (EPSILON - 2)..(EPSILON + 3),
            (u64::MAX - 4)..=u64::MAX,
            P..(P + 4),
            any::<u64>(),
        ]
    }

    fn big_mod(x: u128) -> u64 {
        (x % P as u128) as u64
    }

    proptest! {
        #[test]
        fn arithmetic_matches_u128_reference(a in edge_u64(), b in edge_u64()) {
            let (x, y) = (Goldilocks::new(a), Goldilocks::new(b));
            let (ra, rb) = (big_mod(a as u128), big_mod(b as u128));
            prop_assert_eq!(x.as_u64(), ra);
            prop_assert_eq!((x + y).as_u64(), big_mod(ra as u128 + rb as u128));
            prop_assert_eq!((x - y).as_u64(), big_mod(ra as u128 + P as u128 - rb as u128));
            prop_assert_eq!((x * y).as_u64(), big_mod(ra as u128 * rb as u128));
            prop_assert_eq!((-x).as_u64(), big_mod(P as u128 - ra as u128));
            prop_assert!((x * y).as_u64() < P);
        }

        #[test]
        fn reduce128_matches_reference(x in any::<u128>()) {
            prop_assert_eq!(reduce128(x).as_u64(), big_mod(x));
            prop_assert_eq!(big_mod(reduce128_partial(x) as u128), big_mod(x));
        }

        #[test]
        fn short_reduction_matches_reference(lo in edge_u64(), hi in 0u64..16) {
            let x = (hi as u128) << 64 | lo as u128;
            prop_assert_eq!(reduce_small(x).as_u64(), big_mod(x));
        }

        #[test]
        fn two_products_sum_matches_reference(a in edge_u64(), b in edge_u64(), c in edge_u64(), d in edge_u64()) {
            let [x0, y0, x1, y1] = [a, b, c, d].map(Goldilocks::new);
            let expected = (big_mod(x0.0 as u128 * y0.0 as u128) as u128
                + big_mod(x1.0 as u128 * y1.0 as u128) as u128) % P as u128;
            prop_assert_eq!(dot2(x0, y0, x1, y1).as_u64(), expected as u64);
        }

        #[test]
        fn partial_product_matches_reference(a in edge_u64(), b in edge_u64()) {
            let (x, y) = (Goldilocks::new(a), Goldilocks::new(b));
            let expected = big_mod(x.0 as u128 * y.0 as u128);
            prop_assert_eq!(big_mod(mul_partial(x, y) as u128), expected);
        }

        #[test]
        fn inverse_inverts(a in edge_u64()) {
            let x = Goldilocks::new(a);
            if x != Goldilocks::ZERO {
                prop_assert_eq!(x * x.inverse(), Goldilocks::ONE);
                prop_assert_eq!(x / x, Goldilocks::ONE);
            }
        }

        #[test]
        fn byte_roundtrip_and_rejection(v in any::<u64>()) {
            let decoded = Goldilocks::from_le_bytes(v.to_le_bytes());
            if v < P {
                prop_assert_eq!(decoded.unwrap().to_le_bytes(), v.to_le_bytes());
            } else {
                prop_assert_eq!(decoded, Err(FieldError::NonCanonical(v)));
            }
        }
    }

    #[test]
    fn roots_of_unity_have_exact_order() {
        for log_n in 0..=32u32 {
            let w = Goldilocks::root_of_unity(log_n);
            assert_eq!(w.exp_u64(1u64 << log_n), Goldilocks::ONE, "log_n = {log_n}");
            if log_n > 0 {
                assert_eq!(w.exp_u64(1u64 << (log_n - 1)), Goldilocks::NEG_ONE);
            }
        }
    }

    #[test]
    fn generator_is_primitive() {
        // p − 1 = 2^32 · 3 · 5 · 17 · 257 · 65537.
        let g = Goldilocks::MULTIPLICATIVE_GENERATOR;
        for q in [2u64, 3, 5, 17, 257, 65537] {
            assert_ne!(
                g.exp_u64((P - 1) / q),
                Goldilocks::ONE,
                "7 has order dividing (p-1)/{q}"
            );
        }
    }

    #[test]
    fn batch_inverse_matches_single_and_keeps_zeros() {
        let values: Vec<_> = [0u64, 1, 2, P - 1, 12345, 0, EPSILON]
            .iter()
            .map(|&v| Goldilocks::new(v))
            .collect();
        let inverses = batch_inverse(&values);
        for (v, inv) in values.iter().zip(&inverses) {
            assert_eq!(*inv, v.inverse());
        }
        assert!(batch_inverse(&[]).is_empty());
    }

    #[test]
    fn wrong_length_slice_is_rejected() {
        assert_eq!(
            Goldilocks::from_le_slice(&[1, 2, 3]),
            Err(FieldError::WrongLength {
                expected: 8,
                actual: 3
            })
        );
    }
}
