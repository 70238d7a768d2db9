//! Quadratic and cubic extensions of Goldilocks.
//!
//! Both use the same non-residue W = 7 (the multiplicative generator): 7 is not a square and
//! not a cube mod p, so x² − 7 and x³ − 7 are irreducible.
//!
//! - Quadratic: a = a₀ + a₁φ with φ² = 7. Frobenius: φ^p = φ·7^((p−1)/2) = −φ.
//! - Cubic: a = a₀ + a₁φ + a₂φ² with φ³ = 7. Frobenius: φ^p = ω·φ with ω = 7^((p−1)/3), a
//!   primitive cube root of unity, so (a₀, a₁, a₂) ↦ (a₀, ω·a₁, ω²·a₂).
//!
//! winterfell's `QuadExtension` and `CubeExtension` call into these through
//! `ExtensibleField`; the aliases [`Quadratic`] and [`Cubic`] name them.

use crate::goldilocks::{dot2, mul_partial, reduce128, reduce_small, Goldilocks, P};
use rayon::prelude::*;
use winter_math::fields::{CubeExtension, QuadExtension};
use winter_math::{ExtensibleField, FieldElement};

/// The non-residue defining both extensions.
pub const NON_RESIDUE: u64 = 7;

/// The quadratic extension GF(p²) = GF(p)[x]/(x² − 7): challenges and aux columns.
pub type Quadratic = QuadExtension<Goldilocks>;
/// The cubic extension GF(p³) = GF(p)[x]/(x³ − 7): for profiles above ~127 bits.
pub type Cubic = CubeExtension<Goldilocks>;

/// ω = 7^((p − 1)/3), a primitive cube root of unity.
const CUBE_ROOT_OF_UNITY: Goldilocks = Goldilocks(cube_root_of_unity());

const fn cube_root_of_unity() -> u64 {
    let mut acc: u64 = 1;
    let mut base = NON_RESIDUE;
    let mut e = (P - 1) / 3;
    while e != 0 {
        if e & 1 == 1 {
            acc = reduce128(acc as u128 * base as u128).as_u64();
        }
        base = reduce128(base as u128 * base as u128).as_u64();
        e >>= 1;
    }
    acc
}

/// `x·y` reduced partially (below 2^64, congruent mod p), widened for a short sum.
#[inline(always)]
fn product(x: Goldilocks, y: Goldilocks) -> u128 {
    mul_partial(x, y) as u128
}

/// (a₀ + a₁φ)(b₀ + b₁φ) with φ² = 7: `c₀ = a₀b₀ + 7·a₁b₁`, `c₁ = a₀b₁ + a₁b₀`.
///
/// `c₀`'s two products are reduced side by side and only partially, then their short sum
/// (below 2^67) takes one short reduction; `c₁`'s two products are summed at full width and
/// reduced once ([`dot2`]). This keeps the latency of one product to a multiplication and at
/// most two reductions, which is what bounds a chain of products such as Horner evaluation at
/// an extension point (winterfell's out-of-domain frame). Measured alternatives: Karatsuba's
/// three products (no faster, an addition before the multiplications) and `c₀` as
/// `dot2(a₀, b₀, a₁, 7b₁)` (slower by a short reduction per product).
#[inline(always)]
pub fn quadratic_mul(a: [Goldilocks; 2], b: [Goldilocks; 2]) -> [Goldilocks; 2] {
    let c0 = reduce_small(product(a[0], b[0]) + NON_RESIDUE as u128 * product(a[1], b[1]));
    let c1 = dot2(a[0], b[1], a[1], b[0]);
    [c0, c1]
}

/// (a₀ + a₁φ + a₂φ²)(b₀ + b₁φ + b₂φ²) with φ³ = 7.
#[inline(always)]
pub fn cubic_mul(a: [Goldilocks; 3], b: [Goldilocks; 3]) -> [Goldilocks; 3] {
    let m = |x: Goldilocks, y: Goldilocks| x * y;
    let w = Goldilocks(NON_RESIDUE);
    let c0 = m(a[0], b[0]) + w * (m(a[1], b[2]) + m(a[2], b[1]));
    let c1 = m(a[0], b[1]) + m(a[1], b[0]) + w * m(a[2], b[2]);
    let c2 = m(a[0], b[2]) + m(a[1], b[1]) + m(a[2], b[0]);
    [c0, c1, c2]
}

/// Coordinate `j` of every element of `column`: an extension column is
/// `E::EXTENSION_DEGREE` base-field columns, and transforms whose twiddles lie in the base
/// field (interpolation, LDE) act on each alone.
///
/// # Panics
/// If `j ≥ E::EXTENSION_DEGREE`.
pub fn coordinate<E: FieldElement<BaseField = Goldilocks>>(
    column: &[E],
    j: usize,
) -> Vec<Goldilocks> {
    assert!(
        j < E::EXTENSION_DEGREE,
        "coordinate {j} of a degree-{} extension",
        E::EXTENSION_DEGREE
    );
    E::slice_as_base_elements(column)
        .iter()
        .skip(j)
        .step_by(E::EXTENSION_DEGREE)
        .copied()
        .collect()
}

/// The elements whose coordinates are `coordinates` (`coordinates[j][k]`: coordinate `j` of
/// element `k`), built in parallel: the inverse of [`coordinate`].
///
/// # Panics
/// If there are not `E::EXTENSION_DEGREE` coordinate columns or they differ in length.
pub fn from_coordinates<E: FieldElement<BaseField = Goldilocks>>(
    coordinates: &[&[Goldilocks]],
) -> Vec<E> {
    let d = E::EXTENSION_DEGREE;
    assert_eq!(coordinates.len(), d, "one column per coordinate");
    let len = coordinates[0].len();
    assert!(
        coordinates.iter().all(|c| c.len() == len),
        "coordinate columns differ in length"
    );
    (0..len)
        .into_par_iter()
        .map(|k| {
            let mut element = [Goldilocks::ZERO; 3];
            for (slot, column) in element.iter_mut().zip(coordinates) {
                *slot = column[k];
            }
            E::slice_from_base_elements(&element[..d])[0]
        })
        .collect()
}

/// `value·factor` for a base-field `factor` in any extension: one base product per coordinate
/// (winterfell's `FieldElement` has no such product for a generic extension; `ExtensionOf`
/// offers it only where the bound is in scope).
#[inline(always)]
pub fn mul_by_base<E: FieldElement<BaseField = Goldilocks>>(value: E, factor: Goldilocks) -> E {
    let mut coordinates = [Goldilocks::ZERO; 3];
    for (out, &c) in coordinates
        .iter_mut()
        .zip(E::slice_as_base_elements(core::slice::from_ref(&value)))
    {
        *out = c * factor;
    }
    E::slice_from_base_elements(&coordinates[..E::EXTENSION_DEGREE])[0]
}

impl ExtensibleField<2> for Goldilocks {
    #[inline(always)]
    fn mul(a: [Self; 2], b: [Self; 2]) -> [Self; 2] {
        quadratic_mul(a, b)
    }

    #[inline(always)]
    fn square(a: [Self; 2]) -> [Self; 2] {
        let c0 = reduce_small(product(a[0], a[0]) + NON_RESIDUE as u128 * product(a[1], a[1]));
        let c1 = (a[0] * a[1]).double();
        [c0, c1]
    }

    #[inline(always)]
    fn mul_base(a: [Self; 2], b: Self) -> [Self; 2] {
        [a[0] * b, a[1] * b]
    }

    #[inline(always)]
    fn frobenius(x: [Self; 2]) -> [Self; 2] {
        [x[0], -x[1]]
    }
}

impl ExtensibleField<3> for Goldilocks {
    #[inline(always)]
    fn mul(a: [Self; 3], b: [Self; 3]) -> [Self; 3] {
        cubic_mul(a, b)
    }

    #[inline(always)]
    fn mul_base(a: [Self; 3], b: Self) -> [Self; 3] {
        [a[0] * b, a[1] * b, a[2] * b]
    }

    #[inline(always)]
    fn frobenius(x: [Self; 3]) -> [Self; 3] {
        let w = CUBE_ROOT_OF_UNITY;
        [x[0], w * x[1], w * w * x[2]]
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::goldilocks::tests::edge_u64;
    use proptest::prelude::*;
    use winter_math::FieldElement;

    fn g(v: u64) -> Goldilocks {
        Goldilocks::new(v)
    }

    /// Schoolbook product modulo xⁿ − 7, the reference for both extensions.
    fn reference_mul<const N: usize>(a: [Goldilocks; N], b: [Goldilocks; N]) -> [Goldilocks; N] {
        let mut out = [Goldilocks::ZERO; N];
        for i in 0..N {
            for j in 0..N {
                let term = a[i] * b[j];
                if i + j < N {
                    out[i + j] += term;
                } else {
                    out[i + j - N] += term * g(NON_RESIDUE);
                }
            }
        }
        out
    }

    #[test]
    fn non_residue_is_not_a_square_or_cube() {
        assert_ne!(g(7).exp_u64((P - 1) / 2), Goldilocks::ONE);
        assert_ne!(g(7).exp_u64((P - 1) / 3), Goldilocks::ONE);
        assert_eq!(CUBE_ROOT_OF_UNITY.exp_u64(3), Goldilocks::ONE);
    }

    proptest! {
        #[test]
        fn quadratic_ops_match_reference(a0 in edge_u64(), a1 in edge_u64(), b0 in edge_u64(), b1 in edge_u64()) {
            let (a, b) = ([g(a0), g(a1)], [g(b0), g(b1)]);
            prop_assert_eq!(quadratic_mul(a, b), reference_mul(a, b));
            prop_assert_eq!(<Goldilocks as ExtensibleField<2>>::square(a), reference_mul(a, a));
            let x = Quadratic::new(a[0], a[1]);
            if x != Quadratic::ZERO {
                prop_assert_eq!(x * x.inv(), Quadratic::ONE);
            }
            // Frobenius is x ↦ x^p.
            prop_assert_eq!(<Goldilocks as ExtensibleField<2>>::frobenius(a), {
                let y = x.exp(P);
                let v = y.to_base_elements();
                [v[0], v[1]]
            });
        }

        #[test]
        fn cubic_ops_match_reference(a in proptest::array::uniform3(edge_u64()), b in proptest::array::uniform3(edge_u64())) {
            let (a, b) = (a.map(g), b.map(g));
            prop_assert_eq!(cubic_mul(a, b), reference_mul(a, b));
            let x = Cubic::new(a[0], a[1], a[2]);
            if x != Cubic::ZERO {
                prop_assert_eq!(x * x.inv(), Cubic::ONE);
            }
            let frob = x.exp(P);
            let v = frob.to_base_elements();
            prop_assert_eq!(<Goldilocks as ExtensibleField<3>>::frobenius(a), [v[0], v[1], v[2]]);
        }
    }

    #[test]
    fn coordinates_split_and_rebuild_every_extension() {
        fn round_trip<E: FieldElement<BaseField = Goldilocks>>() {
            let base: Vec<Goldilocks> = (0..5 * E::EXTENSION_DEGREE as u64).map(g).collect();
            let column = E::slice_from_base_elements(&base).to_vec();
            let parts: Vec<Vec<Goldilocks>> = (0..E::EXTENSION_DEGREE)
                .map(|j| coordinate(&column, j))
                .collect();
            for (j, part) in parts.iter().enumerate() {
                let expected: Vec<Goldilocks> = base
                    .iter()
                    .skip(j)
                    .step_by(E::EXTENSION_DEGREE)
                    .copied()
                    .collect();
                assert_eq!(part, &expected);
            }
            let refs: Vec<&[Goldilocks]> = parts.iter().map(Vec::as_slice).collect();
            assert_eq!(from_coordinates::<E>(&refs), column);
        }
        round_trip::<Goldilocks>();
        round_trip::<Quadratic>();
        round_trip::<Cubic>();
    }

    #[test]
    fn products_by_base_elements_are_extension_products() {
        fn check<E: FieldElement<BaseField = Goldilocks>>() {
            let base: Vec<Goldilocks> = (3..3 + E::EXTENSION_DEGREE as u64).map(g).collect();
            let value = E::slice_from_base_elements(&base)[0];
            for factor in [g(0), g(1), g(P - 1), g(0x1234_5678_9abc)] {
                assert_eq!(mul_by_base(value, factor), value * E::from(factor));
            }
        }
        check::<Goldilocks>();
        check::<Quadratic>();
        check::<Cubic>();
    }
}
