//! The Poseidon permutation over BN254's scalar field, width 3, with the parameters of
//! circomlib (and of the Ethereum tooling built on it): S-box `x⁵`, 8 full rounds (4 before
//! and 4 after) around 57 partial rounds.
//!
//! The round constants and the MDS matrix are not tables pasted in: they are derived here, as
//! the Poseidon paper's reference script derives them, from a Grain LFSR seeded with the
//! parameters themselves (field type, S-box, field bits, width, rounds). Constants are `n`-bit
//! draws (most significant bit first) rejected when `≥ p`; the MDS matrix is the Cauchy matrix
//! `M[i][j] = 1/(xᵢ + yⱼ)` of the next `2t` draws (reduced mod p, all distinct). Tests check
//! the result against an independent implementation (`light-poseidon`).
//!
//! Each round adds its three constants, applies the S-box (to every element in full rounds, to
//! the first in partial ones) and multiplies by `M`. [`hash2`] is circomlib's `Poseidon(2)`:
//! the permutation of `[0, a, b]`, whose first element is the digest.

use ark_bn254::Fr;
use ark_ff::{BigInteger, Field, PrimeField, Zero};
use std::sync::OnceLock;

/// State width.
pub const WIDTH: usize = 3;
/// Full rounds (half before the partial rounds, half after).
pub const FULL_ROUNDS: usize = 8;
/// Partial rounds.
pub const PARTIAL_ROUNDS: usize = 57;
const ROUNDS: usize = FULL_ROUNDS + PARTIAL_ROUNDS;
/// Bits of the field, as the LFSR seed states them.
const FIELD_BITS: u32 = 254;

/// The derived constants.
pub struct Parameters {
    /// `round_constants[r][i]` is added to element `i` at the start of round `r`.
    pub round_constants: [[Fr; WIDTH]; ROUNDS],
    /// `mds[i][j]`: element `i` after a round is `Σⱼ mds[i][j]·stateⱼ`.
    pub mds: [[Fr; WIDTH]; WIDTH],
}

/// The parameters, derived once.
pub fn parameters() -> &'static Parameters {
    static PARAMETERS: OnceLock<Parameters> = OnceLock::new();
    PARAMETERS.get_or_init(derive_parameters)
}

/// The Grain LFSR of the reference script: an 80-bit register, the new bit the XOR of taps 0,
/// 13, 23, 38, 51 and 62; 160 warm-up steps; then bits come in pairs and the second of a pair
/// is kept only when the first is 1.
struct Grain {
    bits: [bool; 80],
    /// Index of the oldest bit (the register as a ring).
    head: usize,
}

impl Grain {
    fn new() -> Self {
        // Seed: field type (2 bits: 1, a prime field), S-box (4 bits: 0, x^α), field bits (12),
        // width (12), full rounds (10), partial rounds (10), then thirty 1s; most significant
        // bit of each first.
        let fields: [(u64, usize); 6] = [
            (1, 2),
            (0, 4),
            (FIELD_BITS as u64, 12),
            (WIDTH as u64, 12),
            (FULL_ROUNDS as u64, 10),
            (PARTIAL_ROUNDS as u64, 10),
        ];
        let mut bits = [true; 80];
        let mut k = 0;
        for (value, width) in fields {
            for b in (0..width).rev() {
                bits[k] = (value >> b) & 1 == 1;
                k += 1;
            }
        }
        let mut grain = Grain { bits, head: 0 };
        for _ in 0..160 {
            grain.step();
        }
        grain
    }

    /// Shifts the register once; returns the new bit.
    fn step(&mut self) -> bool {
        let at = |i: usize| self.bits[(self.head + i) % 80];
        let new = at(0) ^ at(13) ^ at(23) ^ at(38) ^ at(51) ^ at(62);
        self.bits[self.head] = new;
        self.head = (self.head + 1) % 80;
        new
    }

    fn next_bit(&mut self) -> bool {
        loop {
            let keep = self.step();
            let bit = self.step();
            if keep {
                return bit;
            }
        }
    }

    /// The next `FIELD_BITS` bits as an integer, most significant first, as little-endian
    /// bytes.
    fn next_integer(&mut self) -> [u8; 32] {
        let mut bytes = [0u8; 32];
        for k in (0..FIELD_BITS as usize).rev() {
            if self.next_bit() {
                bytes[k / 8] |= 1 << (k % 8);
            }
        }
        bytes
    }

    /// A draw below the modulus (draws at or above it are rejected).
    fn next_canonical(&mut self) -> Fr {
        loop {
            if let Some(x) = canonical(&self.next_integer()) {
                return x;
            }
        }
    }
}

/// The field element with these little-endian bytes, if they are below the modulus.
pub fn canonical(bytes: &[u8; 32]) -> Option<Fr> {
    let x = Fr::from_le_bytes_mod_order(bytes);
    (x.into_bigint().to_bytes_le().as_slice() == bytes.as_slice()).then_some(x)
}

fn derive_parameters() -> Parameters {
    let mut grain = Grain::new();
    let mut round_constants = [[Fr::zero(); WIDTH]; ROUNDS];
    for round in round_constants.iter_mut() {
        for c in round.iter_mut() {
            *c = grain.next_canonical();
        }
    }
    // Cauchy matrix: 2t distinct draws, reduced mod p, with no xᵢ + yⱼ = 0 (else draw again).
    loop {
        let draws: Vec<Fr> = (0..2 * WIDTH)
            .map(|_| Fr::from_le_bytes_mod_order(&grain.next_integer()))
            .collect();
        let distinct = (0..draws.len()).all(|i| (i + 1..draws.len()).all(|j| draws[i] != draws[j]));
        if !distinct {
            continue;
        }
        let (xs, ys) = draws.split_at(WIDTH);
        let mut mds = [[Fr::zero(); WIDTH]; WIDTH];
        let mut invertible = true;
        for (i, row) in mds.iter_mut().enumerate() {
            for (j, m) in row.iter_mut().enumerate() {
                match (xs[i] + ys[j]).inverse() {
                    Some(inverse) => *m = inverse,
                    None => invertible = false,
                }
            }
        }
        if invertible {
            return Parameters {
                round_constants,
                mds,
            };
        }
    }
}

/// What the permutation needs of the values it runs on: field elements natively ([`permute`]),
/// circuit variables in a circuit ([`crate::circuit::permute_var`]), so both run the one
/// round schedule of [`permute_values`].
pub trait PoseidonValue: Clone {
    type Error;
    fn add_constant(&mut self, constant: &Fr);
    /// `x⁵`.
    fn fifth_power(&self) -> Result<Self, Self::Error>;
    /// `Σⱼ coefficientsⱼ·valuesⱼ`.
    fn combine(coefficients: &[Fr; WIDTH], values: &[Self; WIDTH]) -> Self;
    /// `self += x`.
    fn absorb(&mut self, x: &Self);
}

impl PoseidonValue for Fr {
    type Error = std::convert::Infallible;

    fn add_constant(&mut self, constant: &Fr) {
        *self += constant;
    }

    fn fifth_power(&self) -> Result<Fr, Self::Error> {
        Ok(self.square().square() * self)
    }

    fn combine(coefficients: &[Fr; WIDTH], values: &[Fr; WIDTH]) -> Fr {
        coefficients.iter().zip(values).map(|(m, x)| *m * x).sum()
    }

    fn absorb(&mut self, x: &Fr) {
        *self += x;
    }
}

/// The rounds on any [`PoseidonValue`], in place.
pub fn permute_values<V: PoseidonValue>(state: &mut [V; WIDTH]) -> Result<(), V::Error> {
    let p = parameters();
    let half = FULL_ROUNDS / 2;
    for (r, constants) in p.round_constants.iter().enumerate() {
        for (s, c) in state.iter_mut().zip(constants) {
            s.add_constant(c);
        }
        let full = r < half || r >= half + PARTIAL_ROUNDS;
        let boxed = if full { WIDTH } else { 1 };
        for s in &mut state[..boxed] {
            *s = s.fifth_power()?;
        }
        let before = state.clone();
        for (s, row) in state.iter_mut().zip(&p.mds) {
            *s = V::combine(row, &before);
        }
    }
    Ok(())
}

/// The sponge of [`crate::PoseidonBn254`]: the capacity starts at `tag`, the rate absorbs
/// `scalars` two per permutation (one permutation for none), and the digest is the first
/// element after the last permutation. `zero` is the representation of 0.
pub fn sponge_values<V: PoseidonValue>(
    tag: V,
    zero: V,
    scalars: impl IntoIterator<Item = V>,
) -> Result<V, V::Error> {
    let mut state = [tag, zero.clone(), zero];
    let mut scalars = scalars.into_iter().peekable();
    loop {
        for slot in &mut state[1..WIDTH] {
            if let Some(x) = scalars.next() {
                slot.absorb(&x);
            }
        }
        permute_values(&mut state)?;
        if scalars.peek().is_none() {
            let [digest, _, _] = state;
            return Ok(digest);
        }
    }
}

/// The permutation, in place.
pub fn permute(state: &mut [Fr; WIDTH]) {
    match permute_values(state) {
        Ok(()) => {}
        Err(never) => match never {},
    }
}

/// circomlib's `Poseidon(2)` on any [`PoseidonValue`]: the first element of the permutation
/// of `[zero, a, b]`.
pub fn hash2_values<V: PoseidonValue>(zero: V, a: V, b: V) -> Result<V, V::Error> {
    let mut state = [zero, a, b];
    permute_values(&mut state)?;
    let [digest, _, _] = state;
    Ok(digest)
}

/// circomlib's `Poseidon(2)` ([`hash2_values`] on field elements).
pub fn hash2(a: Fr, b: Fr) -> Fr {
    match hash2_values(Fr::zero(), a, b) {
        Ok(digest) => digest,
        Err(never) => match never {},
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use ark_ff::UniformRand;

    /// The same inputs through `light-poseidon`, an independent implementation.
    fn reference(inputs: &[Fr]) -> Fr {
        use light_poseidon::{Poseidon, PoseidonHasher};
        let mut poseidon = Poseidon::<Fr>::new_circom(inputs.len()).unwrap();
        poseidon.hash(inputs).unwrap()
    }

    #[test]
    fn agrees_with_circomlib_through_light_poseidon() {
        // circomlib's published Poseidon(2)([1, 2]).
        let expected =
            "7853200120776062878684798364095072458815029376092732009249414926327459813530";
        assert_eq!(hash2(Fr::from(1u64), Fr::from(2u64)).to_string(), expected);
        let mut rng = ark_std::test_rng();
        for _ in 0..32 {
            let (a, b) = (Fr::rand(&mut rng), Fr::rand(&mut rng));
            assert_eq!(hash2(a, b), reference(&[a, b]));
        }
        assert_eq!(
            hash2(Fr::zero(), Fr::zero()),
            reference(&[Fr::zero(), Fr::zero()])
        );
    }

    #[test]
    fn canonical_bytes_round_trip_and_reject_the_modulus() {
        let x = Fr::from(12345u64);
        let bytes: [u8; 32] = x.into_bigint().to_bytes_le().try_into().unwrap();
        assert_eq!(canonical(&bytes), Some(x));
        let p: [u8; 32] = Fr::MODULUS.to_bytes_le().try_into().unwrap();
        assert_eq!(canonical(&p), None);
        assert_eq!(canonical(&[0xff; 32]), None);
    }
}
