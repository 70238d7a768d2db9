//! The Goldilocks field (p = 2^64 − 2^32 + 1) for the zkevm prover: scalar and packed SIMD
//! arithmetic (AVX-512, AVX2, NEON, portable), quadratic and cubic extensions, NTT and coset
//! LDE, and the winterfell trait implementations that let winterfell prove over it.
//!
//! ```
//! use zkevm_field::{Goldilocks, ntt};
//! let mut values: Vec<Goldilocks> = (0..8u64).map(Goldilocks::new).collect();
//! let original = values.clone();
//! ntt::ntt(&mut values);
//! ntt::intt(&mut values);
//! assert_eq!(values, original);
//! ```

pub mod alloc;
mod columns;
mod extension;
mod goldilocks;
pub mod ntt;
pub mod packed;
mod winter;

pub use columns::Columns;
pub use extension::{
    coordinate, cubic_mul, from_coordinates, mul_by_base, quadratic_mul, Cubic, Quadratic,
    NON_RESIDUE,
};
pub use goldilocks::{batch_inverse, FieldError, Goldilocks, EPSILON, P};
pub use packed::{PackedField, PackedGoldilocks};

/// winterfell's field traits, re-exported so dependants need not name winter-math.
pub use winter_math::{ExtensibleField, FieldElement, StarkField};
