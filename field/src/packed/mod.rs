//! Packed Goldilocks: several elements per SIMD register behind one API.
//!
//! [`PackedGoldilocks`] is the widest backend the build's target features allow, chosen at
//! compile time: AVX-512 (8 lanes) > AVX2 (4) > NEON (2) > portable (4 scalar lanes). Callers
//! never name a backend; they write against [`PackedField`]. Every backend that the target can
//! compile is also exported under its own name so tests can compare each with the scalar field.
//!
//! Invariant shared by all backends: every lane is canonical (`< p`), exactly like
//! [`Goldilocks`], so loads and stores are plain memory copies.

use crate::Goldilocks;
use core::fmt::Debug;
use core::ops::{Add, AddAssign, Mul, MulAssign, Neg, Sub, SubAssign};

/// The most lanes a backend has (AVX-512's 8).
const MAX_WIDTH: usize = 8;

/// Operator traits, equality and `Debug` for a SIMD packed type `$ty(register)`, in terms of
/// the backend module's free functions `add`, `sub`, `mul`, `neg` on registers and the type's
/// `to_array`. Keeps the three SIMD backends down to their arithmetic.
#[allow(unused_macros)]
macro_rules! impl_packed_ops {
    ($ty:ident) => {
        impl core::ops::Add for $ty {
            type Output = Self;
            #[inline(always)]
            fn add(self, rhs: Self) -> Self {
                Self(add(self.0, rhs.0))
            }
        }
        impl core::ops::Sub for $ty {
            type Output = Self;
            #[inline(always)]
            fn sub(self, rhs: Self) -> Self {
                Self(sub(self.0, rhs.0))
            }
        }
        impl core::ops::Mul for $ty {
            type Output = Self;
            #[inline(always)]
            fn mul(self, rhs: Self) -> Self {
                Self(mul(self.0, rhs.0))
            }
        }
        impl core::ops::Neg for $ty {
            type Output = Self;
            #[inline(always)]
            fn neg(self) -> Self {
                Self(neg(self.0))
            }
        }
        impl core::ops::AddAssign for $ty {
            #[inline(always)]
            fn add_assign(&mut self, rhs: Self) {
                *self = *self + rhs;
            }
        }
        impl core::ops::SubAssign for $ty {
            #[inline(always)]
            fn sub_assign(&mut self, rhs: Self) {
                *self = *self - rhs;
            }
        }
        impl core::ops::MulAssign for $ty {
            #[inline(always)]
            fn mul_assign(&mut self, rhs: Self) {
                *self = *self * rhs;
            }
        }
        impl PartialEq for $ty {
            fn eq(&self, other: &Self) -> bool {
                self.to_array() == other.to_array()
            }
        }
        impl core::fmt::Debug for $ty {
            fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
                f.debug_tuple(stringify!($ty))
                    .field(&self.to_array())
                    .finish()
            }
        }
    };
}

mod portable;
pub use portable::PackedPortable;

#[cfg(all(target_arch = "x86_64", target_feature = "avx2"))]
mod avx2;
#[cfg(all(target_arch = "x86_64", target_feature = "avx2"))]
pub use avx2::PackedAvx2;

#[cfg(all(target_arch = "x86_64", target_feature = "avx512f"))]
mod avx512;
#[cfg(all(target_arch = "x86_64", target_feature = "avx512f"))]
pub use avx512::PackedAvx512;

#[cfg(all(target_arch = "aarch64", target_feature = "neon"))]
mod neon;
#[cfg(all(target_arch = "aarch64", target_feature = "neon"))]
pub use neon::PackedNeon;

/// The fastest packed type for this build.
#[cfg(all(target_arch = "x86_64", target_feature = "avx512f"))]
pub type PackedGoldilocks = PackedAvx512;
#[cfg(all(
    target_arch = "x86_64",
    target_feature = "avx2",
    not(target_feature = "avx512f")
))]
pub type PackedGoldilocks = PackedAvx2;
#[cfg(all(target_arch = "aarch64", target_feature = "neon"))]
pub type PackedGoldilocks = PackedNeon;
#[cfg(not(any(
    all(target_arch = "x86_64", target_feature = "avx2"),
    all(target_arch = "aarch64", target_feature = "neon")
)))]
pub type PackedGoldilocks = PackedPortable;

/// The name of the backend behind [`PackedGoldilocks`], for reports.
pub const BACKEND: &str = if cfg!(all(target_arch = "x86_64", target_feature = "avx512f")) {
    "avx512"
} else if cfg!(all(target_arch = "x86_64", target_feature = "avx2")) {
    "avx2"
} else if cfg!(all(target_arch = "aarch64", target_feature = "neon")) {
    "neon"
} else {
    "portable"
};

/// `WIDTH` Goldilocks elements operated on lane-wise.
pub trait PackedField:
    Copy
    + Send
    + Sync
    + Debug
    + PartialEq
    + Add<Output = Self>
    + Sub<Output = Self>
    + Mul<Output = Self>
    + Neg<Output = Self>
    + AddAssign
    + SubAssign
    + MulAssign
{
    /// Lanes per value; a power of two.
    const WIDTH: usize;

    /// Every lane set to `value`.
    fn broadcast(value: Goldilocks) -> Self;

    /// Reads the first `WIDTH` elements of `src` (no alignment needed).
    ///
    /// # Panics
    /// If `src.len() < WIDTH`.
    fn load(src: &[Goldilocks]) -> Self;

    /// Writes the lanes to the first `WIDTH` elements of `dst`.
    ///
    /// # Panics
    /// If `dst.len() < WIDTH`.
    fn store(self, dst: &mut [Goldilocks]);

    /// [`store`](Self::store) for output nobody reads soon, into memory that may not be
    /// initialized yet: where the backend has non-temporal stores and `dst` starts on a
    /// register-sized boundary, the lanes go to memory without first reading the
    /// destination's cache line into the cache (a plain store's read-for-ownership) or
    /// displacing cached data. Elsewhere a plain store. Either way `dst[..WIDTH]` is
    /// initialized afterwards.
    ///
    /// # Safety
    /// Non-temporal stores are weakly ordered: this thread must call [`streaming_fence`]
    /// after its streaming stores and before any other thread accesses the elements written.
    ///
    /// # Panics
    /// If `dst.len() < WIDTH`.
    #[inline(always)]
    unsafe fn store_streaming(self, dst: &mut [core::mem::MaybeUninit<Goldilocks>]) {
        const { assert!(Self::WIDTH <= MAX_WIDTH) };
        let mut lanes = [Goldilocks::ZERO; MAX_WIDTH];
        self.store(&mut lanes);
        dst[..Self::WIDTH].write_copy_of_slice(&lanes[..Self::WIDTH]);
    }

    /// Exchanges blocks of `block` lanes (a power of two below `WIDTH`) between two values:
    /// with `self = [a₀ a₁ …]` and `other = [b₀ b₁ …]` in blocks, returns
    /// `([a₀ b₀ a₂ b₂ …], [a₁ b₁ a₃ b₃ …])`. Applying it twice restores the inputs. It lets
    /// butterflies whose partners sit `block` lanes apart run lane-wise (the NTT's last layers).
    fn interleave(self, other: Self, block: usize) -> (Self, Self);

    #[inline(always)]
    fn square(self) -> Self {
        self * self
    }

    /// `self · 2^48`. Since (2^48)² = 2^96 ≡ −1, ±2^48 are the 4th roots of unity, which
    /// radix-4 butterflies multiply by; backends do it with shifts instead of a full product.
    #[inline(always)]
    fn mul_2exp48(self) -> Self {
        self * Self::broadcast(Goldilocks::new(1 << 48))
    }

    #[inline(always)]
    fn double(self) -> Self {
        self + self
    }

    /// The lanes as an array-backed vector (for tests and tails).
    fn to_vec(self) -> Vec<Goldilocks> {
        let mut out = vec![Goldilocks::ZERO; Self::WIDTH];
        self.store(&mut out);
        out
    }
}

/// Orders this thread's earlier [`PackedField::store_streaming`] writes before its later
/// writes (non-temporal stores are weakly ordered on x86): the call that must come between a
/// thread's streaming stores and any other thread's access to what they wrote.
#[inline]
pub fn streaming_fence() {
    // SAFETY: `sfence` only orders stores; SSE is part of x86_64.
    #[cfg(target_arch = "x86_64")]
    unsafe {
        core::arch::x86_64::_mm_sfence()
    }
}

/// Block interleave on plain arrays; the reference every backend's `interleave` matches.
#[inline(always)]
pub(crate) fn interleave_array<const W: usize>(
    a: [Goldilocks; W],
    b: [Goldilocks; W],
    block: usize,
) -> ([Goldilocks; W], [Goldilocks; W]) {
    debug_assert!(
        block.is_power_of_two() && block < W,
        "block {block} for width {W}"
    );
    let pick = |lane: usize, second_half: bool| {
        let base = lane / (2 * block) * 2 * block;
        let within = lane % (2 * block);
        let offset = if second_half { block } else { 0 };
        if within < block {
            a[base + offset + within]
        } else {
            b[base + offset + within - block]
        }
    };
    (
        core::array::from_fn(|i| pick(i, false)),
        core::array::from_fn(|i| pick(i, true)),
    )
}

#[cfg(test)]
mod tests;
