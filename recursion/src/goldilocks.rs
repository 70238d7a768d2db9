//! Goldilocks arithmetic inside a BN254 circuit, for the STARK verifier circuit: every element
//! the circuit takes from a proof or computes is a scalar variable *proven* canonical (below
//! p = 2⁶⁴ − 2³² + 1), not merely below 2⁶⁴, so a proof cannot smuggle in `x + p` for `x`.
//!
//! - canonical: 64 boolean bits summing to the value, and `hi = 2³² − 1 ⇒ lo = 0` for its
//!   32-bit halves (an is-zero gadget on `2³² − 1 − hi`): 68 constraints;
//! - a reduction `v = q·p + r` of a value below `2^b`: `q` below `2^(b − 63)` (its bits and
//!   their sum), `r` canonical, the equality: `b − 63 + 70` constraints, so a product `a·b`
//!   (one more for the product) costs 136 and a sum `a + b` 72;
//! - the quadratic extension GF(p²) = GF(p)[φ]/(φ² − 7) as pairs: a product's coefficients
//!   `a₀b₀ + 7a₁b₁` and `a₀b₁ + a₁b₀` are reduced once each (quotients below 2⁶⁷ and 2⁶⁵).
//!
//! No intermediate wraps around BN254's modulus: eagerly, the largest is `7·p² + p² < 2¹³¹`;
//! lazily ([`LazyQuadratic`]), values are tracked below `2^`[`MAX_BITS`] and reduced before a
//! sum or product would pass it.

use ark_bn254::Fr;
use ark_ff::{BigInteger, PrimeField};
use ark_r1cs_std::fields::fp::FpVar;
use ark_r1cs_std::prelude::*;
use ark_relations::gr1cs::{ConstraintSystemRef, SynthesisError};
use zkevm_field::{FieldElement, Goldilocks, Quadratic, StarkField, NON_RESIDUE, P};

/// The widest integer a scalar expression may stand for: `q·p + r` with `q < 2^(bits − 63)` stays
/// far below BN254's 254-bit modulus, so the equality holds over the integers.
pub const MAX_BITS: usize = 240;

/// A canonical Goldilocks element in a BN254 circuit.
#[derive(Clone, Debug)]
pub struct GoldilocksVar(FpVar<Fr>);

fn fr(x: u128) -> Fr {
    Fr::from(x)
}

/// The low 128 bits of a scalar known to be below 2¹²⁸ (witness values only).
fn low_u128(x: Fr) -> u128 {
    let bytes = x.into_bigint().to_bytes_le();
    u128::from_le_bytes(bytes[..16].try_into().unwrap_or([0; 16]))
}

/// Boolean witnesses for the low `bits` bits of `value`, proven to sum to it.
fn enforce_bits(value: &FpVar<Fr>, bits: usize) -> Result<Vec<Boolean<Fr>>, SynthesisError> {
    // A sum of 254 or more weighted bits could wrap around the scalar modulus.
    if bits >= 254 {
        return Err(SynthesisError::Unsatisfiable);
    }
    let cs = value.cs();
    let known = value.value().ok().map(num_bigint::BigUint::from);
    let mut sum = FpVar::zero();
    let mut out = Vec::with_capacity(bits);
    let mut weight = Fr::from(1u64);
    for i in 0..bits {
        let bit = Boolean::new_witness(cs.clone(), || {
            known
                .as_ref()
                .map(|v| v.bit(i as u64))
                .ok_or(SynthesisError::AssignmentMissing)
        })?;
        sum += FpVar::from(bit.clone()) * weight;
        weight += weight;
        out.push(bit);
    }
    sum.enforce_equal(value)?;
    Ok(out)
}

/// `value < 2^bits`.
pub fn enforce_range(value: &FpVar<Fr>, bits: usize) -> Result<(), SynthesisError> {
    enforce_bits(value, bits).map(|_| ())
}

impl GoldilocksVar {
    /// Wraps `value` after proving it canonical.
    pub fn canonical(value: FpVar<Fr>) -> Result<Self, SynthesisError> {
        let bits = enforce_bits(&value, 64)?;
        Self::from_bits_le(&bits)
    }

    /// The element whose 64 bits (least significant first) are `bits`, proven canonical.
    pub fn from_bits_le(bits: &[Boolean<Fr>]) -> Result<Self, SynthesisError> {
        if bits.len() != 64 {
            return Err(SynthesisError::Unsatisfiable);
        }
        let weighted = |range: std::ops::Range<usize>| {
            range.fold(FpVar::zero(), |sum, i| {
                sum + FpVar::from(bits[i].clone()) * fr(1u128 << (i % 32))
            })
        };
        let (lo, hi) = (weighted(0..32), weighted(32..64));
        // hi = 2³² − 1 forces lo = 0.
        let gap = FpVar::constant(fr(u32::MAX as u128)) - &hi;
        let hi_full = gap.is_zero()?;
        FpVar::from(hi_full).mul_equals(&lo, &FpVar::zero())?;
        Ok(GoldilocksVar(lo + hi * fr(1u128 << 32)))
    }

    /// `if_set` when `bit` is set, else `if_clear` (canonical either way: no range check).
    pub fn pick(bit: &Boolean<Fr>, if_set: Goldilocks, if_clear: Goldilocks) -> Self {
        let (set, clear) = (fr(if_set.as_int() as u128), fr(if_clear.as_int() as u128));
        GoldilocksVar(FpVar::from(bit.clone()) * (set - clear) + FpVar::constant(clear))
    }

    /// `base^e` for the exponent whose bits (least significant first) are `bits`: one product
    /// per bit, of `base^(2^i)` or 1.
    pub fn pow_bits(base: Goldilocks, bits: &[Boolean<Fr>]) -> Result<Self, SynthesisError> {
        let mut power = base;
        let mut result = GoldilocksVar::constant(Goldilocks::ONE);
        for bit in bits {
            result = result.mul(&Self::pick(bit, power, Goldilocks::ONE))?;
            power *= power;
        }
        Ok(result)
    }

    /// The inverse, proven by `self · inverse = 1` (unsatisfiable for zero).
    pub fn inverse(&self) -> Result<Self, SynthesisError> {
        let value = self.0.value().ok().map(|_| self.value()).transpose()?;
        let inverse = Self::new_witness(self.0.cs(), value.map(|v| v.inv()))?;
        self.mul(&inverse)?
            .enforce_equal(&GoldilocksVar::constant(Goldilocks::ONE))?;
        Ok(inverse)
    }

    /// A witness element.
    pub fn new_witness(
        cs: ConstraintSystemRef<Fr>,
        value: Option<Goldilocks>,
    ) -> Result<Self, SynthesisError> {
        Self::allocate(cs, value, AllocationMode::Witness)
    }

    /// A public input of the circuit, proven canonical.
    pub fn new_input(
        cs: ConstraintSystemRef<Fr>,
        value: Option<Goldilocks>,
    ) -> Result<Self, SynthesisError> {
        Self::allocate(cs, value, AllocationMode::Input)
    }

    fn allocate(
        cs: ConstraintSystemRef<Fr>,
        value: Option<Goldilocks>,
        mode: AllocationMode,
    ) -> Result<Self, SynthesisError> {
        let var = FpVar::new_variable(
            cs,
            || {
                value
                    .map(|v| fr(v.as_int() as u128))
                    .ok_or(SynthesisError::AssignmentMissing)
            },
            mode,
        )?;
        Self::canonical(var)
    }

    /// A constant (canonical by construction, no constraints).
    pub fn constant(value: Goldilocks) -> Self {
        GoldilocksVar(FpVar::constant(fr(value.as_int() as u128)))
    }

    /// The scalar variable.
    pub fn variable(&self) -> &FpVar<Fr> {
        &self.0
    }

    /// The assigned value.
    pub fn value(&self) -> Result<Goldilocks, SynthesisError> {
        Ok(Goldilocks::new(low_u128(self.0.value()?) as u64))
    }

    /// `value mod p` for a scalar expression whose integer value is below `2^bits`
    /// (`bits` ≤ [`MAX_BITS`]), as `q·p + r`.
    fn reduce(value: FpVar<Fr>, bits: usize) -> Result<Self, SynthesisError> {
        if let FpVar::Constant(c) = &value {
            let v = num_bigint::BigUint::from(*c) % num_bigint::BigUint::from(P);
            return Ok(GoldilocksVar(FpVar::constant(Fr::from(v))));
        }
        let split = value.value().ok().map(|v| {
            let v = num_bigint::BigUint::from(v);
            let p = num_bigint::BigUint::from(P);
            (Fr::from(&v / &p), Fr::from(&v % &p))
        });
        Self::reduce_as(value, bits, split)
    }

    /// [`Self::reduce`] with the quotient and remainder the prover claims.
    fn reduce_as(
        value: FpVar<Fr>,
        bits: usize,
        claim: Option<(Fr, Fr)>,
    ) -> Result<Self, SynthesisError> {
        if bits > MAX_BITS {
            return Err(SynthesisError::Unsatisfiable);
        }
        let cs = value.cs();
        let missing = SynthesisError::AssignmentMissing;
        let q = FpVar::new_witness(cs.clone(), || claim.map(|c| c.0).ok_or(missing))?;
        let r = FpVar::new_witness(cs, || claim.map(|c| c.1).ok_or(missing))?;
        // q < 2^(bits − 63) suffices: q·p ≤ value < 2^bits and p > 2⁶³.
        enforce_range(&q, bits.saturating_sub(63).max(1))?;
        let r = Self::canonical(r)?;
        (q * fr(P as u128) + &r.0).enforce_equal(&value)?;
        Ok(r)
    }

    pub fn add(&self, other: &Self) -> Result<Self, SynthesisError> {
        Self::reduce(&self.0 + &other.0, 65)
    }

    /// `self − other`, as `self + (p − other)`.
    pub fn sub(&self, other: &Self) -> Result<Self, SynthesisError> {
        Self::reduce(&self.0 + FpVar::constant(fr(P as u128)) - &other.0, 65)
    }

    pub fn mul(&self, other: &Self) -> Result<Self, SynthesisError> {
        Self::reduce(&self.0 * &other.0, 128)
    }

    pub fn enforce_equal(&self, other: &Self) -> Result<(), SynthesisError> {
        self.0.enforce_equal(&other.0)
    }
}

/// An element `a₀ + a₁φ` of the quadratic extension (φ² = 7).
#[derive(Clone, Debug)]
pub struct QuadraticVar(pub [GoldilocksVar; 2]);

impl QuadraticVar {
    pub fn new_witness(
        cs: ConstraintSystemRef<Fr>,
        value: Option<[Goldilocks; 2]>,
    ) -> Result<Self, SynthesisError> {
        Ok(QuadraticVar([
            GoldilocksVar::new_witness(cs.clone(), value.map(|v| v[0]))?,
            GoldilocksVar::new_witness(cs, value.map(|v| v[1]))?,
        ]))
    }

    pub fn value(&self) -> Result<[Goldilocks; 2], SynthesisError> {
        Ok([self.0[0].value()?, self.0[1].value()?])
    }

    /// A witness computed from assigned values (none while the circuit is only being shaped).
    pub fn witness_of(
        cs: ConstraintSystemRef<Fr>,
        value: Option<Quadratic>,
    ) -> Result<Self, SynthesisError> {
        Self::new_witness(cs, value.map(|v| v.to_base_elements()))
    }

    /// The assigned value as an extension element.
    pub fn element(&self) -> Result<Quadratic, SynthesisError> {
        let [a, b] = self.value()?;
        Ok(Quadratic::new(a, b))
    }

    /// A base-field element as an extension element.
    pub fn from_base(value: GoldilocksVar) -> Self {
        QuadraticVar([value, GoldilocksVar::constant(Goldilocks::new(0))])
    }

    /// `if_set` when `bit` is set, else `if_clear`.
    pub fn select(
        bit: &Boolean<Fr>,
        if_set: &Self,
        if_clear: &Self,
    ) -> Result<Self, SynthesisError> {
        let pick = |i: usize| -> Result<GoldilocksVar, SynthesisError> {
            // A choice between two canonical values is canonical.
            Ok(GoldilocksVar(bit.select(&if_set.0[i].0, &if_clear.0[i].0)?))
        };
        Ok(QuadraticVar([pick(0)?, pick(1)?]))
    }

    pub fn enforce_equal(&self, other: &Self) -> Result<(), SynthesisError> {
        self.0[0].enforce_equal(&other.0[0])?;
        self.0[1].enforce_equal(&other.0[1])
    }

    /// `self · other` for a base-field `other`.
    pub fn mul_base(&self, other: &GoldilocksVar) -> Result<Self, SynthesisError> {
        Ok(QuadraticVar([self.0[0].mul(other)?, self.0[1].mul(other)?]))
    }

    /// `self / den`, with `den` proven invertible (`den · inverse = 1`): a zero denominator
    /// leaves the circuit unsatisfied, where the native verifier would divide by zero (both
    /// happen with negligible probability for the values divided here).
    pub fn div(&self, den: &Self) -> Result<Self, SynthesisError> {
        let inverse = den.element().ok().map(|d| d.inv());
        let inverse = Self::witness_of(den.0[0].0.cs().or(self.0[0].0.cs()), inverse)?;
        den.mul(&inverse)?
            .enforce_equal(&QuadraticVar::constant(Goldilocks::ONE))?;
        self.mul(&inverse)
    }

    /// A constant of the base field.
    pub fn constant(value: Goldilocks) -> Self {
        QuadraticVar([
            GoldilocksVar::constant(value),
            GoldilocksVar::constant(Goldilocks::new(0)),
        ])
    }

    pub fn add(&self, other: &Self) -> Result<Self, SynthesisError> {
        Ok(QuadraticVar([
            self.0[0].add(&other.0[0])?,
            self.0[1].add(&other.0[1])?,
        ]))
    }

    pub fn sub(&self, other: &Self) -> Result<Self, SynthesisError> {
        Ok(QuadraticVar([
            self.0[0].sub(&other.0[0])?,
            self.0[1].sub(&other.0[1])?,
        ]))
    }

    pub fn mul(&self, other: &Self) -> Result<Self, SynthesisError> {
        let ([a0, a1], [b0, b1]) = (&self.0, &other.0);
        let (a0, a1, b0, b1) = (&a0.0, &a1.0, &b0.0, &b1.0);
        // c₀ < p² + 7p² < 2¹³¹, c₁ < 2p² < 2¹²⁹.
        let c0 = a0 * b0 + (a1 * b1) * fr(NON_RESIDUE as u128);
        let c1 = a0 * b1 + a1 * b0;
        Ok(QuadraticVar([
            GoldilocksVar::reduce(c0, 131)?,
            GoldilocksVar::reduce(c1, 129)?,
        ]))
    }
}

/// An extension element whose coefficients are scalar expressions congruent to it mod p and
/// below `2^bits`, not yet reduced: sums, differences and products cost no reduction until a
/// product would outgrow [`MAX_BITS`] (then the operands are reduced first) or the value is
/// [`LazyQuadratic::reduced`].
#[derive(Clone, Debug)]
pub struct LazyQuadratic {
    coefficients: [FpVar<Fr>; 2],
    bits: usize,
}

impl LazyQuadratic {
    pub fn from_reduced(value: &QuadraticVar) -> Self {
        LazyQuadratic {
            coefficients: [value.0[0].0.clone(), value.0[1].0.clone()],
            bits: 64,
        }
    }

    /// The canonical element.
    pub fn reduced(&self) -> Result<QuadraticVar, SynthesisError> {
        let [a, b] = &self.coefficients;
        Ok(QuadraticVar([
            GoldilocksVar::reduce(a.clone(), self.bits)?,
            GoldilocksVar::reduce(b.clone(), self.bits)?,
        ]))
    }

    /// `self`, reduced first if `extra` more bits would take it past [`MAX_BITS`].
    fn with_room(&self, extra: usize) -> Result<Self, SynthesisError> {
        if self.bits + extra <= MAX_BITS {
            return Ok(self.clone());
        }
        Ok(LazyQuadratic::from_reduced(&self.reduced()?))
    }

    /// `k·p − self` with `k·p ≥ 2^bits` (so no coefficient goes negative).
    fn negated(&self) -> Result<Self, SynthesisError> {
        use ark_ff::Field;
        let this = self.with_room(1)?;
        let k = Fr::from(2u64).pow([this.bits.saturating_sub(63) as u64]);
        let kp = FpVar::constant(k * fr(P as u128));
        Ok(LazyQuadratic {
            coefficients: this.coefficients.map(|c| &kp - c),
            bits: this.bits + 1,
        })
    }

    /// `self + other`.
    pub fn sum(&self, other: &Self) -> Result<Self, SynthesisError> {
        let (a, b) = (self.with_room(1)?, other.with_room(1)?);
        let [a0, a1] = &a.coefficients;
        let [b0, b1] = &b.coefficients;
        Ok(LazyQuadratic {
            coefficients: [a0 + b0, a1 + b1],
            bits: a.bits.max(b.bits) + 1,
        })
    }

    /// `self − other`.
    pub fn difference(&self, other: &Self) -> Result<Self, SynthesisError> {
        self.sum(&other.negated()?)
    }

    /// `self · c` for a base-field constant (no constraint).
    pub fn scaled(&self, c: Goldilocks) -> Result<Self, SynthesisError> {
        let this = self.with_room(64)?;
        let c = FpVar::constant(fr(c.as_int() as u128));
        Ok(LazyQuadratic {
            coefficients: this.coefficients.clone().map(|x| x * &c),
            bits: this.bits + 64,
        })
    }

    /// `self · other`.
    pub fn product(&self, other: &Self) -> Result<Self, SynthesisError> {
        // c₀ = a₀b₀ + 7a₁b₁ < 8·2^(bits_a + bits_b).
        if self.bits + other.bits + 3 > MAX_BITS {
            let (a, b) = (self.reduced()?, other.reduced()?);
            return LazyQuadratic::from_reduced(&a).product(&LazyQuadratic::from_reduced(&b));
        }
        let [a0, a1] = &self.coefficients;
        let [b0, b1] = &other.coefficients;
        Ok(LazyQuadratic {
            coefficients: [
                a0 * b0 + (a1 * b1) * fr(NON_RESIDUE as u128),
                a0 * b1 + a1 * b0,
            ],
            bits: self.bits + other.bits + 3,
        })
    }
}

/// `Σᵢ coefficientsᵢ·valuesᵢ`, reduced once at the end: how the verifier folds a component's
/// constraint values (at the out-of-domain point) with the composition coefficients before
/// comparing them with the composition polynomial, without reducing each value first.
pub fn combine(
    values: &[LazyQuadratic],
    coefficients: &[QuadraticVar],
) -> Result<QuadraticVar, SynthesisError> {
    let mut sum = LazyQuadratic::from_reduced(&QuadraticVar::constant(Goldilocks::new(0)));
    for (value, coefficient) in values.iter().zip(coefficients) {
        let term = value.product(&LazyQuadratic::from_reduced(coefficient))?;
        sum = sum.sum(&term)?;
    }
    sum.reduced()
}

/// Evaluates recorded constraints on [`LazyQuadratic`] values: reductions only where a
/// product would outgrow the field (the caller reduces the outputs).
pub struct LazyInCircuit;

impl crate::symbolic::Evaluator<LazyQuadratic> for LazyInCircuit {
    type Error = SynthesisError;
    fn constant(&mut self, value: Goldilocks) -> Result<LazyQuadratic, SynthesisError> {
        Ok(LazyQuadratic::from_reduced(&QuadraticVar::constant(value)))
    }
    fn add(
        &mut self,
        a: &LazyQuadratic,
        b: &LazyQuadratic,
    ) -> Result<LazyQuadratic, SynthesisError> {
        a.sum(b)
    }
    fn sub(
        &mut self,
        a: &LazyQuadratic,
        b: &LazyQuadratic,
    ) -> Result<LazyQuadratic, SynthesisError> {
        a.difference(b)
    }
    fn mul(
        &mut self,
        a: &LazyQuadratic,
        b: &LazyQuadratic,
    ) -> Result<LazyQuadratic, SynthesisError> {
        a.product(b)
    }
    fn neg(&mut self, a: &LazyQuadratic) -> Result<LazyQuadratic, SynthesisError> {
        a.negated()
    }
}

/// Evaluates recorded constraints ([`crate::symbolic::Expressions`]) on extension variables,
/// reducing after every operation (the reference for [`LazyInCircuit`]).
pub struct InCircuit;

impl crate::symbolic::Evaluator<QuadraticVar> for InCircuit {
    type Error = SynthesisError;
    fn constant(&mut self, value: Goldilocks) -> Result<QuadraticVar, SynthesisError> {
        Ok(QuadraticVar::constant(value))
    }
    fn add(&mut self, a: &QuadraticVar, b: &QuadraticVar) -> Result<QuadraticVar, SynthesisError> {
        a.add(b)
    }
    fn sub(&mut self, a: &QuadraticVar, b: &QuadraticVar) -> Result<QuadraticVar, SynthesisError> {
        a.sub(b)
    }
    fn mul(&mut self, a: &QuadraticVar, b: &QuadraticVar) -> Result<QuadraticVar, SynthesisError> {
        a.mul(b)
    }
    fn neg(&mut self, a: &QuadraticVar) -> Result<QuadraticVar, SynthesisError> {
        QuadraticVar::constant(Goldilocks::new(0)).sub(a)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use ark_relations::gr1cs::ConstraintSystem;

    fn g(x: u64) -> Goldilocks {
        Goldilocks::new(x)
    }

    /// Values near the edges: 0, 1, p − 1, 2³² − 1, 2³², a mixed one.
    fn edge_values() -> Vec<Goldilocks> {
        [0, 1, P - 1, u32::MAX as u64, 1 << 32, 0x1234_5678_9abc_def0]
            .into_iter()
            .map(g)
            .collect()
    }

    #[test]
    fn arithmetic_matches_the_field_crate_and_is_satisfied() {
        let cs = ConstraintSystem::<Fr>::new_ref();
        for &a in &edge_values() {
            for &b in &edge_values() {
                let (x, y) = (
                    GoldilocksVar::new_witness(cs.clone(), Some(a)).unwrap(),
                    GoldilocksVar::new_witness(cs.clone(), Some(b)).unwrap(),
                );
                assert_eq!(x.add(&y).unwrap().value().unwrap(), a + b);
                assert_eq!(x.sub(&y).unwrap().value().unwrap(), a - b);
                assert_eq!(x.mul(&y).unwrap().value().unwrap(), a * b);
                let qa = [a, b];
                let qb = [b + g(3), a * g(5)];
                let (u, v) = (
                    QuadraticVar::new_witness(cs.clone(), Some(qa)).unwrap(),
                    QuadraticVar::new_witness(cs.clone(), Some(qb)).unwrap(),
                );
                let expected = zkevm_field::quadratic_mul(qa, qb);
                assert_eq!(u.mul(&v).unwrap().value().unwrap(), expected);
            }
        }
        assert!(cs.is_satisfied().unwrap());
    }

    #[test]
    fn costs_are_as_documented() {
        let cs = ConstraintSystem::<Fr>::new_ref();
        let x = GoldilocksVar::new_witness(cs.clone(), Some(g(5))).unwrap();
        assert_eq!(cs.num_constraints(), 68);
        let y = GoldilocksVar::new_witness(cs.clone(), Some(g(7))).unwrap();
        let before = cs.num_constraints();
        x.mul(&y).unwrap();
        assert_eq!(cs.num_constraints() - before, 136);
        let before = cs.num_constraints();
        x.add(&y).unwrap();
        assert_eq!(cs.num_constraints() - before, 72);
    }

    /// A circuit with one witness scalar `raw` claimed canonical, satisfied or not.
    fn canonical_accepts(raw: u128) -> bool {
        let cs = ConstraintSystem::<Fr>::new_ref();
        let var = FpVar::new_witness(cs.clone(), || Ok(fr(raw))).unwrap();
        GoldilocksVar::canonical(var).unwrap();
        cs.is_satisfied().unwrap()
    }

    #[test]
    fn non_canonical_values_are_rejected() {
        assert!(canonical_accepts(P as u128 - 1));
        assert!(canonical_accepts(0));
        for raw in [
            P as u128,
            P as u128 + 5,
            u64::MAX as u128,
            1u128 << 64,
            1u128 << 100,
        ] {
            assert!(!canonical_accepts(raw), "{raw:#x} accepted");
        }
    }

    #[test]
    fn a_product_with_a_forged_quotient_or_remainder_is_rejected() {
        let (a, b) = (P as u128 - 2, 3u128);
        let (q, r) = ((a * b) / P as u128, (a * b) % P as u128);
        // The honest split, then q − 1 with r + p (non-canonical), and r + 1.
        let claims = [
            (q, r, true),
            (q - 1, r + P as u128, false),
            (q, r + 1, false),
        ];
        for (q, r, honest) in claims {
            let cs = ConstraintSystem::<Fr>::new_ref();
            let x = GoldilocksVar::new_witness(cs.clone(), Some(g(a as u64))).unwrap();
            let y = GoldilocksVar::new_witness(cs.clone(), Some(g(b as u64))).unwrap();
            GoldilocksVar::reduce_as(&x.0 * &y.0, 128, Some((fr(q), fr(r)))).unwrap();
            assert_eq!(cs.is_satisfied().unwrap(), honest, "q {q}, r {r}");
        }
    }
}
