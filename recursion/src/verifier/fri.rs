//! One query in the circuit, from the opened rows to the remainder: the DEEP composition at the
//! query's point, then FRI's layers.
//!
//! FRI with folding factor `N`: a layer over a domain of `m` points stores, at row `i`, the
//! values at the coset `{xᵢ·rʲ}` with `xᵢ = offset·ωᵢⁱ` (`ωᵢ` the layer's generator, `r` a
//! primitive `N`-th root of unity), so a position's low bits pick the row (and steer its Merkle
//! path) and its top `log₂ N` bits pick the value within it. Folding interpolates the coset's
//! `N` values and evaluates at the layer's `α`: with `dₖ = (1/N)·Σⱼ vⱼ·r^(−jk)` (constant
//! weights) the folded value is `Σₖ dₖ·(α/xᵢ)ᵏ`, one inversion and `N − 2` products.

use super::ood::OodVars;
use super::witness::{lde_generator, Opened, Shape};
use super::{flatten, Alloc};
use crate::circuit::{hash_elements_var, path_root_var};
use crate::goldilocks::{combine, GoldilocksVar, LazyQuadratic, QuadraticVar};
use ark_bn254::Fr;
use ark_r1cs_std::fields::fp::FpVar;
use ark_r1cs_std::prelude::*;
use ark_relations::gr1cs::SynthesisError;
use zkevm_field::{FieldElement, Goldilocks, Quadratic, StarkField};

/// What the DEEP composition needs besides a query's rows: `z`, `z·g`, the out-of-domain
/// values of every column (main, auxiliary, composition) at both, and the DEEP coefficients.
pub struct DeepPoint {
    z: QuadraticVar,
    zg: QuadraticVar,
    current: Vec<QuadraticVar>,
    next: Vec<QuadraticVar>,
    coefficients: Vec<QuadraticVar>,
}

impl DeepPoint {
    pub fn new(
        shape: &Shape,
        z: &QuadraticVar,
        ood: &OodVars,
        coefficients: &[QuadraticVar],
    ) -> Result<Self, SynthesisError> {
        let g = Goldilocks::get_root_of_unity(shape.trace_length.ilog2());
        Ok(DeepPoint {
            z: z.clone(),
            zg: z.mul_base(&GoldilocksVar::constant(g))?,
            current: [&ood.trace_current[..], &ood.quotient_current[..]].concat(),
            next: [&ood.trace_next[..], &ood.quotient_next[..]].concat(),
            coefficients: coefficients.to_vec(),
        })
    }

    /// The DEEP composition at the LDE point of the position `bits`, from the rows opened
    /// there (main, auxiliary, composition): `(Σᵢ cᵢ·(Tᵢ(x) − Tᵢ(z))) / (x − z) + (Σᵢ cᵢ·(Tᵢ(x) − Tᵢ(z·g))) / (x − z·g)`.
    pub fn at(
        &self,
        shape: &Shape,
        bits: &[Boolean<Fr>],
        trace_row: &[GoldilocksVar],
        aux_row: &[QuadraticVar],
        quotient_row: &[QuadraticVar],
    ) -> Result<QuadraticVar, SynthesisError> {
        let x = QuadraticVar::from_base(domain_point(shape, lde_generator(shape), bits)?);
        let values: Vec<QuadraticVar> = (trace_row.iter())
            .map(|v| QuadraticVar::from_base(v.clone()))
            .chain(aux_row.iter().cloned())
            .chain(quotient_row.iter().cloned())
            .collect();
        let lazy = LazyQuadratic::from_reduced;
        let differences = |at: &[QuadraticVar]| -> Result<Vec<LazyQuadratic>, SynthesisError> {
            (values.iter().zip(at))
                .map(|(v, o)| lazy(v).difference(&lazy(o)))
                .collect()
        };
        let at_z = combine(&differences(&self.current)?, &self.coefficients)?;
        let at_zg = combine(&differences(&self.next)?, &self.coefficients)?;
        let (a, b) = (x.sub(&self.z)?, x.sub(&self.zg)?);
        let numerator = at_z.mul(&b)?.add(&at_zg.mul(&a)?)?;
        numerator.div(&a.mul(&b)?)
    }
}

/// `offset·generatorᵉ` for the exponent with bits `bits`.
fn domain_point(
    shape: &Shape,
    generator: Goldilocks,
    bits: &[Boolean<Fr>],
) -> Result<GoldilocksVar, SynthesisError> {
    GoldilocksVar::pow_bits(generator, bits)?.mul(&GoldilocksVar::constant(shape.domain_offset))
}

/// `values[index]` for the index with bits `bits` (least significant first).
fn select(values: &[QuadraticVar], bits: &[Boolean<Fr>]) -> Result<QuadraticVar, SynthesisError> {
    let mut level = values.to_vec();
    for bit in bits {
        level = level
            .chunks(2)
            .map(|pair| match pair {
                [even, odd] => QuadraticVar::select(bit, odd, even),
                _ => Err(SynthesisError::Unsatisfiable),
            })
            .collect::<Result<_, _>>()?;
    }
    match level.as_slice() {
        [one] => Ok(one.clone()),
        _ => Err(SynthesisError::Unsatisfiable),
    }
}

/// The coset's interpolant (through `x·rʲ ↦ values[j]`) at `alpha`.
fn fold(
    values: &[QuadraticVar],
    x: &GoldilocksVar,
    alpha: &QuadraticVar,
) -> Result<QuadraticVar, SynthesisError> {
    let n = values.len();
    let r_inv = Goldilocks::get_root_of_unity(n.ilog2()).inv();
    let n_inv = Goldilocks::new(n as u64).inv();
    let lazy: Vec<LazyQuadratic> = values.iter().map(LazyQuadratic::from_reduced).collect();
    let mut coefficients = Vec::with_capacity(n);
    for k in 0..n {
        let mut sum: Option<LazyQuadratic> = None;
        for (j, v) in lazy.iter().enumerate() {
            let term = v.scaled(n_inv * r_inv.exp((j * k) as u64))?;
            sum = Some(match sum {
                None => term,
                Some(s) => s.sum(&term)?,
            });
        }
        coefficients.push(sum.ok_or(SynthesisError::Unsatisfiable)?);
    }
    let beta = alpha.mul_base(&x.inverse()?)?;
    let mut powers = vec![QuadraticVar::constant(Goldilocks::ONE)];
    for _ in 1..n {
        let last = powers.last().ok_or(SynthesisError::Unsatisfiable)?;
        powers.push(last.mul(&beta)?);
    }
    combine(&coefficients, &powers)
}

/// The FRI part of drawn query `k` (position bits `bits`, DEEP value `value`): every layer's
/// coset holds `value` at the position and opens against its root, folds into the next
/// layer's value, and the last value is the remainder polynomial at its point.
#[allow(clippy::too_many_arguments)]
pub(super) fn check_query(
    shape: &Shape,
    alloc: &Alloc,
    k: usize,
    bits: &[Boolean<Fr>],
    mut value: QuadraticVar,
    roots: &[FpVar<Fr>],
    alphas: &[QuadraticVar],
    remainder: &[QuadraticVar],
) -> Result<(), SynthesisError> {
    let log_folding = shape.folding.ilog2() as usize;
    let mut position = bits.to_vec();
    let mut generator = lde_generator(shape);
    for layer in 0..shape.fri_layers {
        let rows_bits = position
            .len()
            .checked_sub(log_folding)
            .ok_or(SynthesisError::Unsatisfiable)?;
        let (row, within) = position.split_at(rows_bits);
        fn opened(w: &super::ProofWitness, k: usize, layer: usize) -> Option<&Opened<Quadratic>> {
            w.queries.get(k).and_then(|q| q.layers.get(layer))
        }
        let coset = alloc.extension(shape.folding, |w| {
            opened(w, k, layer).map_or(&[][..], |o| &o.values)
        })?;
        select(&coset, within)?.enforce_equal(&value)?;
        let path = alloc.scalars(rows_bits, |w| {
            opened(w, k, layer).map_or(&[][..], |o| &o.path)
        })?;
        path_root_var(&hash_elements_var(&flatten(&coset))?, &path, row)?
            .enforce_equal(&roots[layer])?;
        let x = domain_point(shape, generator, row)?;
        value = fold(&coset, &x, &alphas[layer])?;
        generator = generator.exp(shape.folding as u64);
        position = row.to_vec();
    }
    let x = domain_point(shape, generator, &position)?;
    let mut at_x = QuadraticVar::constant(Goldilocks::ZERO);
    for coefficient in remainder {
        at_x = at_x.mul_base(&x)?.add(coefficient)?;
    }
    at_x.enforce_equal(&value)
}

#[cfg(test)]
mod tests {
    use super::*;
    use ark_relations::gr1cs::ConstraintSystem;
    use winter_math::polynom;

    /// Folding agrees with interpolating the coset and evaluating at α (winterfell's way), for
    /// free values (nothing hashes them here), and a changed value changes the result.
    #[test]
    fn folding_is_interpolation_at_alpha() {
        let g = |x: u64| Goldilocks::new(x);
        for n in [2usize, 4, 8, 16] {
            let cs = ConstraintSystem::<Fr>::new_ref();
            let values: Vec<Quadratic> = (0..n as u64)
                .map(|i| Quadratic::new(g(i * i + 7), g(3 * i + 1)))
                .collect();
            let (x, alpha) = (g(0x1234_5678_9abc), Quadratic::new(g(99), g(0xfeed)));
            let r = Goldilocks::get_root_of_unity(n.ilog2());
            let xs: Vec<Quadratic> = (0..n as u64).map(|j| (x * r.exp(j)).into()).collect();
            let expected = polynom::eval(&polynom::interpolate(&xs, &values, false), alpha);
            let vars: Vec<QuadraticVar> = (values.iter())
                .map(|v| QuadraticVar::witness_of(cs.clone(), Some(*v)).unwrap())
                .collect();
            let x_var = GoldilocksVar::new_witness(cs.clone(), Some(x)).unwrap();
            let alpha_var = QuadraticVar::witness_of(cs.clone(), Some(alpha)).unwrap();
            let folded = fold(&vars, &x_var, &alpha_var).unwrap();
            assert_eq!(folded.element().unwrap(), expected, "n = {n}");
            assert!(cs.is_satisfied().unwrap());
            let mut changed = vars.clone();
            changed[n - 1] = QuadraticVar::witness_of(cs.clone(), Some(values[0])).unwrap();
            let other = fold(&changed, &x_var, &alpha_var).unwrap();
            assert_ne!(other.element().unwrap(), expected);
        }
    }
}
