//! The out-of-domain frame and the DEEP composition polynomial, built from the trace and
//! composition polynomials' coefficients.
//!
//! winterfell evaluates every polynomial at z and z·g by Horner's rule, a chain of dependent
//! extension multiplications per polynomial whose speed is their latency, and then forms
//! Σ αᵢ·(Tᵢ(x) − Tᵢ(z)) and Σ αᵢ·(Tᵢ(x) − Tᵢ(z·g)) with one pass over every polynomial for each
//! sum. Here:
//! - an evaluation is a dot product of the coefficients with the powers of the point: the
//!   products are independent, so they run on SIMD lanes at the multiplier's throughput;
//! - the two sums differ only in their constant coefficients, and the quotient of a division by
//!   (x − a) does not depend on the constant coefficient (it feeds only the remainder, zero
//!   here by construction), so one sum S(x) = Σ αᵢ·Tᵢ(x) gives both quotients:
//!   DEEP(x) = (S(x) − S(z))/(x − z) + (S(x) − S(z·g))/(x − z·g);
//! - both passes walk the coefficients in blocks of [`BLOCK`] across all polynomials, so every
//!   coefficient is read from memory once per pass while the block's powers and sums stay in
//!   the L1 cache;
//! - the DEEP polynomial is extended over the LDE domain by our NTT, coordinate by coordinate.
//!
//! A polynomial over the extension E of degree D is D polynomials over Goldilocks, its
//! coordinates (`Tᵢ = Σ_d T_{i,d}·φ^d`); every kernel here works on base-field coordinates.
//!
//! The DEEP polynomial is the protocol's, the one winterfell builds: the verifier recomputes it
//! at the queried points from the opened rows and the out-of-domain frame.

use crate::pool;
use rayon::prelude::*;
use winter_air::proof::{QuotientOodFrame, TraceOodFrame};
use winterfell::{CompositionPoly, DeepCompositionCoefficients, TracePolyTable};
use zkevm_field::{
    coordinate, from_coordinates, ntt, FieldElement, Goldilocks, PackedField, PackedGoldilocks,
    StarkField,
};

/// Coefficients per task. At degree 2, the frame's pass holds four power tables and a gathered
/// block (20 KiB), the combination's two sums and a block (12 KiB): L1-sized either way.
const BLOCK: usize = 512;

/// The largest extension degree winterfell offers (cubic).
const MAX_DEGREE: usize = 3;

/// One base-field coordinate of a polynomial's coefficients: `data[offset + k·stride]`.
#[derive(Clone, Copy)]
struct Coordinate<'a> {
    data: &'a [Goldilocks],
    stride: usize,
    offset: usize,
    /// The polynomial it belongs to (trace polynomials first, then composition columns).
    owner: usize,
    /// Which power of φ it multiplies.
    digit: usize,
}

impl<'a> Coordinate<'a> {
    /// Coefficients `start .. start + buf.len()`: borrowed when contiguous, else gathered
    /// into `buf`.
    fn block<'b>(&self, start: usize, buf: &'b mut [Goldilocks]) -> &'b [Goldilocks]
    where
        'a: 'b,
    {
        if self.stride == 1 {
            return &self.data[start..start + buf.len()];
        }
        let first = self.offset + start * self.stride;
        for (slot, value) in buf
            .iter_mut()
            .zip(self.data[first..].iter().step_by(self.stride))
        {
            *slot = *value;
        }
        buf
    }
}

/// Every polynomial of a proof's DEEP step, as base-field coordinates.
pub struct Polynomials<'a> {
    coordinates: Vec<Coordinate<'a>>,
    /// Coefficients per polynomial (the trace length).
    len: usize,
    num_trace_polys: usize,
    num_main_polys: usize,
    num_composition_polys: usize,
}

impl<'a> Polynomials<'a> {
    /// The trace polynomials (main, then auxiliary) and the composition polynomial's columns.
    pub fn new<E: FieldElement<BaseField = Goldilocks>>(
        trace: &'a TracePolyTable<E>,
        composition: &'a CompositionPoly<E>,
    ) -> Self {
        let main: Vec<&[Goldilocks]> = trace.main_trace_polys().collect();
        let aux: Vec<&[E]> = trace.aux_trace_polys().collect();
        let quotient: Vec<&[E]> = composition.data().columns().collect();
        Self::from_columns(trace.poly_size(), &main, &aux, &quotient)
    }

    /// Polynomials of `len` coefficients: `main` and `aux` are the trace's, `quotient` the
    /// composition polynomial's columns.
    ///
    /// # Panics
    /// If a polynomial does not have `len` coefficients.
    fn from_columns<E: FieldElement<BaseField = Goldilocks>>(
        len: usize,
        main: &[&'a [Goldilocks]],
        aux: &[&'a [E]],
        quotient: &[&'a [E]],
    ) -> Self {
        let mut coordinates = Vec::new();
        for (owner, &data) in main.iter().enumerate() {
            assert_eq!(data.len(), len, "polynomials of unequal length");
            coordinates.push(Coordinate {
                data,
                stride: 1,
                offset: 0,
                owner,
                digit: 0,
            });
        }
        for (i, column) in aux.iter().chain(quotient).enumerate() {
            assert_eq!(column.len(), len, "polynomials of unequal length");
            let data = E::slice_as_base_elements(column);
            for digit in 0..E::EXTENSION_DEGREE {
                coordinates.push(Coordinate {
                    data,
                    stride: E::EXTENSION_DEGREE,
                    offset: digit,
                    owner: main.len() + i,
                    digit,
                });
            }
        }
        Self {
            coordinates,
            len,
            num_trace_polys: main.len() + aux.len(),
            num_main_polys: main.len(),
            num_composition_polys: quotient.len(),
        }
    }

    /// The trace polynomials at `z` and `z·g` (g the trace domain's generator), then the
    /// composition columns at the same points: winterfell's out-of-domain frame.
    pub fn out_of_domain_frame<E: FieldElement<BaseField = Goldilocks>>(
        &self,
        z: E,
    ) -> (TraceOodFrame<E>, QuotientOodFrame<E>) {
        let points = [z, self.next_point(z)];
        let d = E::EXTENSION_DEGREE;
        let tables = 2 * d;
        // sums[c·2D + p·D + j]: coordinate c's dot product with coordinate j of point p's powers.
        let sums = (0..self.len.div_ceil(BLOCK))
            .into_par_iter()
            .map(|block| self.dot_block(block * BLOCK, points))
            .reduce(
                || vec![Goldilocks::ZERO; self.coordinates.len() * tables],
                |mut acc, partial| {
                    acc.iter_mut().zip(&partial).for_each(|(a, b)| *a += *b);
                    acc
                },
            );
        let owners = self.num_trace_polys + self.num_composition_polys;
        let mut values = [vec![E::ZERO; owners], vec![E::ZERO; owners]];
        for (c, part) in self.coordinates.iter().enumerate() {
            for (p, at_point) in values.iter_mut().enumerate() {
                let start = c * tables + p * d;
                let dot = E::slice_from_base_elements(&sums[start..start + d])[0];
                at_point[part.owner] += phi_power::<E>(part.digit) * dot;
            }
        }
        let [mut current, mut next] = values;
        let quotient_current = current.split_off(self.num_trace_polys);
        let quotient_next = next.split_off(self.num_trace_polys);
        (
            TraceOodFrame::new(current, next, self.num_main_polys),
            QuotientOodFrame::new(quotient_current, quotient_next),
        )
    }

    /// `z·g`, g the trace domain's generator: the point of the frame's next row.
    fn next_point<E: FieldElement<BaseField = Goldilocks>>(&self, z: E) -> E {
        z * E::from(Goldilocks::get_root_of_unity(self.len.ilog2()))
    }

    /// Every coordinate's dot products with the powers of both points over one block.
    fn dot_block<E: FieldElement<BaseField = Goldilocks>>(
        &self,
        start: usize,
        points: [E; 2],
    ) -> Vec<Goldilocks> {
        let len = BLOCK.min(self.len - start);
        let d = E::EXTENSION_DEGREE;
        // powers[p·D + j][k]: coordinate j of points[p]^(start + k).
        let mut powers = [[Goldilocks::ZERO; BLOCK]; 2 * MAX_DEGREE];
        for (p, point) in points.into_iter().enumerate() {
            let mut power = point.exp((start as u64).into());
            let block_powers: Vec<E> = (0..len)
                .map(|_| {
                    let current = power;
                    power *= point;
                    current
                })
                .collect();
            for (j, table) in powers[p * d..(p + 1) * d].iter_mut().enumerate() {
                table[..len].copy_from_slice(&coordinate(&block_powers, j));
            }
        }
        let mut buf = [Goldilocks::ZERO; BLOCK];
        let mut sums = Vec::with_capacity(self.coordinates.len() * 2 * d);
        for part in &self.coordinates {
            let values = part.block(start, &mut buf[..len]);
            match d {
                1 => sums.extend(dots::<2>(values, &powers[..2])),
                2 => sums.extend(dots::<4>(values, &powers[..4])),
                3 => sums.extend(dots::<6>(values, &powers[..6])),
                _ => unreachable!("extension of degree {d}"),
            }
        }
        sums
    }

    /// The DEEP composition polynomial's coefficients (`len` of them, the last zero: its degree
    /// is `len − 2`), from the coefficients drawn after the out-of-domain frame.
    ///
    /// # Panics
    /// If the frame is not these polynomials' values at `z` and `z·g` (then the divisions would
    /// not be exact and the proof would not verify), read off the two remainders. winterfell
    /// makes no such check: its synthetic division drops the remainders, and its assertion on
    /// the DEEP polynomial's degree holds whatever the frame says.
    pub fn deep_composition<E: FieldElement<BaseField = Goldilocks>>(
        &self,
        z: E,
        coefficients: &DeepCompositionCoefficients<E>,
        frame: (&TraceOodFrame<E>, &QuotientOodFrame<E>),
    ) -> Vec<E> {
        let d = E::EXTENSION_DEGREE;
        let alphas: Vec<E> = coefficients
            .trace
            .iter()
            .chain(&coefficients.constraints)
            .copied()
            .collect();
        assert_eq!(
            alphas.len(),
            self.num_trace_polys + self.num_composition_polys,
            "one DEEP coefficient per polynomial"
        );
        // Coordinate c contributes alpha[owner]·φ^digit times its coefficients.
        let weights: Vec<Goldilocks> = self
            .coordinates
            .iter()
            .flat_map(|c| {
                let weight = alphas[c.owner] * phi_power::<E>(c.digit);
                E::slice_as_base_elements(&[weight]).to_vec()
            })
            .collect();

        // S(x) = Σ αᵢ·Tᵢ(x), in E's layout (coordinates interleaved).
        let mut sum = vec![Goldilocks::ZERO; self.len * d];
        sum.par_chunks_mut(BLOCK * d)
            .enumerate()
            .for_each(|(block, out)| self.combine_block(block * BLOCK, &weights, d, out));
        let sum = E::slice_from_base_elements(&sum);

        // Both quotients from the top down, in one loop: the two chains of dependent products
        // overlap. q_{k−1} = s_k + a·q_k; s₀ would only give the remainder.
        let next_z = self.next_point(z);
        let mut deep = vec![E::ZERO; self.len];
        let (mut at_z, mut at_next_z) = (E::ZERO, E::ZERO);
        for k in (1..self.len).rev() {
            at_z = sum[k] + z * at_z;
            at_next_z = sum[k] + next_z * at_next_z;
            deep[k - 1] = at_z + at_next_z;
        }
        // The remainders, s₀ + a·q₀, are S(z) and S(z·g): the frame's values, so combined.
        let (trace, quotient) = frame;
        let combined = |values: &[E], quotients: &[E]| -> E {
            (values.iter().chain(quotients))
                .zip(&alphas)
                .fold(E::ZERO, |acc, (&v, &alpha)| acc + alpha * v)
        };
        assert!(
            sum[0] + z * at_z == combined(trace.current_row(), quotient.current_row())
                && sum[0] + next_z * at_next_z == combined(trace.next_row(), quotient.next_row()),
            "the out-of-domain frame is not the polynomials' values"
        );
        deep
    }

    /// S's coefficients `start .. start + out.len()/D`, written in E's layout into `out`.
    fn combine_block(
        &self,
        start: usize,
        weights: &[Goldilocks],
        d: usize,
        out: &mut [Goldilocks],
    ) {
        let len = out.len() / d;
        let mut sums = [[Goldilocks::ZERO; BLOCK]; MAX_DEGREE];
        let mut buf = [Goldilocks::ZERO; BLOCK];
        for (c, part) in self.coordinates.iter().enumerate() {
            let values = part.block(start, &mut buf[..len]);
            for (j, sum) in sums.iter_mut().take(d).enumerate() {
                accumulate(&mut sum[..len], weights[c * d + j], values);
            }
        }
        for (k, cell) in out.chunks_exact_mut(d).enumerate() {
            for (j, value) in cell.iter_mut().enumerate() {
                *value = sums[j][k];
            }
        }
    }
}

/// The DEEP polynomial's evaluations over the LDE domain (natural order: `offset` times the
/// powers of the LDE domain's generator), each coordinate extended by our NTT.
pub fn evaluate_over_lde<E: FieldElement<BaseField = Goldilocks>>(
    deep: &[E],
    blowup: usize,
    offset: Goldilocks,
) -> Vec<E> {
    let coordinates: Vec<Vec<Goldilocks>> = (0..E::EXTENSION_DEGREE)
        .map(|j| coordinate(deep, j))
        .collect();
    let inputs: Vec<&[Goldilocks]> = coordinates.iter().map(Vec::as_slice).collect();
    // The transform writes every element of its outputs: pooled buffers need no clearing.
    let mut extended: Vec<Vec<Goldilocks>> = coordinates
        .iter()
        .map(|_| pool::take(deep.len() * blowup))
        .collect();
    ntt::coset_lde_from_coefficients_into(&inputs, blowup, offset, &mut extended);
    let parts: Vec<&[Goldilocks]> = extended.iter().map(Vec::as_slice).collect();
    let evaluations = from_coordinates(&parts);
    extended.into_iter().for_each(pool::give);
    evaluations
}

/// φ^digit in E: the element whose only nonzero coordinate is `digit`, equal to one.
fn phi_power<E: FieldElement<BaseField = Goldilocks>>(digit: usize) -> E {
    let mut unit = [Goldilocks::ZERO; MAX_DEGREE];
    unit[digit] = Goldilocks::ONE;
    E::slice_from_base_elements(&unit[..E::EXTENSION_DEGREE])[0]
}

/// `Σ_k values[k]·tables[m][k]` for each of the `M` tables, on SIMD lanes.
#[inline(always)]
fn dots<const M: usize>(values: &[Goldilocks], tables: &[[Goldilocks; BLOCK]]) -> [Goldilocks; M] {
    let w = PackedGoldilocks::WIDTH;
    let whole = values.len() / w * w;
    let mut acc = [PackedGoldilocks::broadcast(Goldilocks::ZERO); M];
    for k in (0..whole).step_by(w) {
        let v = PackedGoldilocks::load(&values[k..]);
        for (a, table) in acc.iter_mut().zip(tables) {
            *a += v * PackedGoldilocks::load(&table[k..]);
        }
    }
    let mut out = [Goldilocks::ZERO; M];
    for (m, (a, table)) in acc.iter().zip(tables).enumerate() {
        let mut lanes = [Goldilocks::ZERO; 16];
        a.store(&mut lanes[..w]);
        out[m] = lanes[..w].iter().copied().sum::<Goldilocks>()
            + values[whole..]
                .iter()
                .zip(&table[whole..])
                .map(|(v, t)| *v * *t)
                .sum::<Goldilocks>();
    }
    out
}

/// `sum[k] += weight·values[k]`, on SIMD lanes.
#[inline(always)]
fn accumulate(sum: &mut [Goldilocks], weight: Goldilocks, values: &[Goldilocks]) {
    let w = PackedGoldilocks::WIDTH;
    let whole = values.len() / w * w;
    let weight_lanes = PackedGoldilocks::broadcast(weight);
    for k in (0..whole).step_by(w) {
        let s =
            PackedGoldilocks::load(&sum[k..]) + weight_lanes * PackedGoldilocks::load(&values[k..]);
        s.store(&mut sum[k..]);
    }
    for (s, v) in sum[whole..].iter_mut().zip(&values[whole..]) {
        *s += weight * *v;
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use winter_math::{fft, polynom};
    use zkevm_field::{Cubic, Quadratic};

    /// Deterministic pseudo-random field elements.
    fn elements<E: FieldElement<BaseField = Goldilocks>>(count: usize, seed: u64) -> Vec<E> {
        let mut state = seed.wrapping_mul(0x9e37_79b9_7f4a_7c15) | 1;
        let base: Vec<Goldilocks> = (0..count * E::EXTENSION_DEGREE)
            .map(|_| {
                state ^= state << 13;
                state ^= state >> 7;
                state ^= state << 17;
                Goldilocks::new(state)
            })
            .collect();
        E::slice_from_base_elements(&base).to_vec()
    }

    /// Checks the frame, the DEEP polynomial and (for a power-of-two `len`) its LDE against
    /// winterfell's polynomial arithmetic (Horner evaluation, synthetic division, FFT) on
    /// random polynomials.
    fn matches_winterfell<E: FieldElement<BaseField = Goldilocks>>(len: usize) {
        let main: Vec<Vec<Goldilocks>> = (0..5).map(|i| elements(len, i)).collect();
        let aux: Vec<Vec<E>> = (0..3).map(|i| elements(len, 10 + i)).collect();
        let quotient: Vec<Vec<E>> = (0..2).map(|i| elements(len, 20 + i)).collect();
        let main_refs: Vec<&[Goldilocks]> = main.iter().map(Vec::as_slice).collect();
        let aux_refs: Vec<&[E]> = aux.iter().map(Vec::as_slice).collect();
        let quotient_refs: Vec<&[E]> = quotient.iter().map(Vec::as_slice).collect();
        let polys = Polynomials::from_columns(len, &main_refs, &aux_refs, &quotient_refs);

        let z: E = elements(1, 99)[0];
        let gz = z * E::from(Goldilocks::get_root_of_unity(len.ilog2()));
        let (trace, quotient_frame) = polys.out_of_domain_frame(z);
        let trace_at = |x: E| -> Vec<E> {
            let mut values: Vec<E> = main.iter().map(|p| polynom::eval(p, x)).collect();
            values.extend(aux.iter().map(|p| polynom::eval(p, x)));
            values
        };
        assert_eq!(trace.current_row(), trace_at(z).as_slice());
        assert_eq!(trace.next_row(), trace_at(gz).as_slice());
        let quotient_at =
            |x: E| -> Vec<E> { quotient.iter().map(|p| polynom::eval(p, x)).collect() };
        assert_eq!(quotient_frame.current_row(), quotient_at(z).as_slice());
        assert_eq!(quotient_frame.next_row(), quotient_at(gz).as_slice());

        let alphas: Vec<E> = elements(main.len() + aux.len() + quotient.len(), 7);
        let coefficients = DeepCompositionCoefficients {
            trace: alphas[..main.len() + aux.len()].to_vec(),
            constraints: alphas[main.len() + aux.len()..].to_vec(),
        };
        let deep = polys.deep_composition(z, &coefficients, (&trace, &quotient_frame));

        // Σ αᵢ·(Tᵢ − Tᵢ(a))/(x − a) over both points, as winterfell's composer forms it.
        let mut expected = vec![E::ZERO; len];
        let all: Vec<Vec<E>> = main
            .iter()
            .map(|p| p.iter().map(|&c| E::from(c)).collect())
            .chain(aux.iter().cloned())
            .chain(quotient.iter().cloned())
            .collect();
        for point in [z, gz] {
            let mut sum = vec![E::ZERO; len];
            for (poly, &alpha) in all.iter().zip(&alphas) {
                for (s, &c) in sum.iter_mut().zip(poly) {
                    *s += alpha * c;
                }
                sum[0] -= alpha * polynom::eval(poly, point);
            }
            polynom::syn_div_in_place(&mut sum, 1, point);
            for (e, s) in expected.iter_mut().zip(&sum) {
                *e += *s;
            }
        }
        assert_eq!(deep, expected);
        assert_eq!(deep[len - 1], E::ZERO, "degree len − 2");
        if !len.is_power_of_two() {
            return;
        }

        let blowup = 4;
        let offset = Goldilocks::GENERATOR;
        let twiddles = fft::get_twiddles::<Goldilocks>(len);
        let expected_lde = fft::evaluate_poly_with_offset(&deep, &twiddles, offset, blowup);
        assert_eq!(evaluate_over_lde(&deep, blowup, offset), expected_lde);
    }

    #[test]
    fn deep_step_matches_winterfells_arithmetic_in_every_extension() {
        // 8: shorter than a block; 12 and 524: SIMD and block tails (trace lengths are powers
        // of two, so only the frame and the DEEP polynomial); 2048: several blocks.
        for len in [8, 12, 64, 524, 2048] {
            matches_winterfell::<Goldilocks>(len);
            matches_winterfell::<Quadratic>(len);
            matches_winterfell::<Cubic>(len);
        }
    }
}

#[cfg(test)]
mod frame_checks {
    use super::*;
    use zkevm_field::Quadratic;

    #[test]
    #[should_panic(expected = "the out-of-domain frame is not the polynomials' values")]
    fn a_wrong_frame_is_caught_before_the_proof() {
        let len = 64;
        let column: Vec<Goldilocks> = (0..len as u64).map(Goldilocks::new).collect();
        let polys = Polynomials::from_columns::<Quadratic>(len, &[&column], &[], &[]);
        let z = Quadratic::new(Goldilocks::new(3), Goldilocks::new(5));
        let (trace, quotient) = polys.out_of_domain_frame(z);
        let mut current = trace.current_row().to_vec();
        current[0] += Quadratic::ONE;
        let forged = TraceOodFrame::new(current, trace.next_row().to_vec(), 1);
        let coefficients = DeepCompositionCoefficients {
            trace: vec![Quadratic::ONE],
            constraints: vec![],
        };
        polys.deep_composition(z, &coefficients, (&forged, &quotient));
    }
}
