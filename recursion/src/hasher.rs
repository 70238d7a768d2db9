//! [`PoseidonBn254`]: winterfell's [`Hasher`] and [`ElementHasher`] over Goldilocks, on the
//! Poseidon permutation of BN254 ([`crate::poseidon`]). Digests are BN254 scalars, so a
//! circuit over BN254 checks a Merkle path with one permutation per level.
//!
//! Every hash is a sponge over the width-3 state: the first element (the capacity) starts at a
//! domain tag, the other two (the rate) absorb two scalars per permutation, and the digest is
//! the first element after the last permutation (as circomlib outputs it). Tags keep the uses
//! apart and bind the input length: 0 for [`Hasher::merge`] (exactly circomlib's
//! `Poseidon(2)`, the Merkle-node hash), and `kind·2⁶⁴ + length` for the rest, `kind` 1 for
//! field elements, 2 for bytes, 3 for lists of digests, 4 for a digest and an integer.
//! Goldilocks elements are packed three per scalar (`e₀ + 2⁶⁴·e₁ + 2¹²⁸·e₂ < 2¹⁹² < p`), bytes
//! 31 per scalar (little-endian); a short last pack is zero-padded, which the length in the
//! tag disambiguates.

use crate::poseidon::{canonical, hash2, sponge_values};
use ark_bn254::Fr;
use ark_ff::{BigInteger, PrimeField, Zero};
use winter_crypto::{Digest, ElementHasher, Hasher};
use winter_math::{FieldElement, StarkField};
use winter_utils::{ByteReader, ByteWriter, Deserializable, DeserializationError, Serializable};
use zkevm_field::Goldilocks;

/// A BN254 scalar as its canonical little-endian bytes (deserialization rejects any other).
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct Bn254Digest([u8; 32]);

impl Bn254Digest {
    pub fn from_element(x: Fr) -> Self {
        let mut bytes = [0u8; 32];
        bytes.copy_from_slice(&x.into_bigint().to_bytes_le());
        Bn254Digest(bytes)
    }

    /// The scalar (the bytes are canonical by construction).
    pub fn element(&self) -> Fr {
        Fr::from_le_bytes_mod_order(&self.0)
    }
}

impl Digest for Bn254Digest {
    fn as_bytes(&self) -> [u8; 32] {
        self.0
    }
}

impl Serializable for Bn254Digest {
    fn write_into<W: ByteWriter>(&self, target: &mut W) {
        target.write_bytes(&self.0);
    }
}

impl Deserializable for Bn254Digest {
    fn read_from<R: ByteReader>(source: &mut R) -> Result<Self, DeserializationError> {
        let bytes: [u8; 32] = source.read_array()?;
        canonical(&bytes)
            .map(|_| Bn254Digest(bytes))
            .ok_or_else(|| {
                DeserializationError::InvalidValue("a BN254 digest at or above the modulus".into())
            })
    }
}

/// Poseidon over BN254 as a winterfell hasher of Goldilocks traces.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PoseidonBn254;

/// Tag kinds (see the module docs).
pub(crate) const ELEMENTS: u64 = 1;
const BYTES: u64 = 2;
const DIGESTS: u64 = 3;
const WITH_INT: u64 = 4;

/// The capacity's starting value: `kind·2⁶⁴ + length`.
pub(crate) fn tag(kind: u64, length: usize) -> Fr {
    Fr::from(((kind as u128) << 64) | length as u128)
}

/// The sponge over `scalars` with capacity `tag` ([`crate::poseidon::sponge_values`]).
fn sponge(tag: Fr, scalars: impl IntoIterator<Item = Fr>) -> Bn254Digest {
    match sponge_values(tag, Fr::zero(), scalars) {
        Ok(digest) => Bn254Digest::from_element(digest),
        Err(never) => match never {},
    }
}

/// The capacity tag of [`Hasher::merge_with_int`].
pub(crate) fn merge_with_int_tag() -> Fr {
    tag(WITH_INT, 1)
}

/// Little-endian packing of `chunk` (at most 31 bytes) into a scalar.
fn pack_bytes(chunk: &[u8]) -> Fr {
    Fr::from_le_bytes_mod_order(chunk)
}

/// `e₀ + 2⁶⁴·e₁ + 2¹²⁸·e₂` for up to three canonical Goldilocks elements.
fn pack_elements(chunk: &[Goldilocks]) -> Fr {
    let mut bytes = [0u8; 24];
    for (slot, e) in bytes.chunks_exact_mut(8).zip(chunk) {
        slot.copy_from_slice(&e.as_int().to_le_bytes());
    }
    Fr::from_le_bytes_mod_order(&bytes)
}

impl Hasher for PoseidonBn254 {
    type Digest = Bn254Digest;

    /// Birthday bound of a 254-bit digest.
    const COLLISION_RESISTANCE: u32 = 127;

    fn hash(bytes: &[u8]) -> Bn254Digest {
        sponge(tag(BYTES, bytes.len()), bytes.chunks(31).map(pack_bytes))
    }

    fn merge(values: &[Bn254Digest; 2]) -> Bn254Digest {
        Bn254Digest::from_element(hash2(values[0].element(), values[1].element()))
    }

    fn merge_many(values: &[Bn254Digest]) -> Bn254Digest {
        sponge(
            tag(DIGESTS, values.len()),
            values.iter().map(Bn254Digest::element),
        )
    }

    fn merge_with_int(seed: Bn254Digest, value: u64) -> Bn254Digest {
        sponge(merge_with_int_tag(), [seed.element(), Fr::from(value)])
    }
}

impl ElementHasher for PoseidonBn254 {
    type BaseField = Goldilocks;

    fn hash_elements<E: FieldElement<BaseField = Goldilocks>>(elements: &[E]) -> Bn254Digest {
        let base = E::slice_as_base_elements(elements);
        sponge(tag(ELEMENTS, base.len()), base.chunks(3).map(pack_elements))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::poseidon::permute;
    use ark_ff::Field;

    fn g(x: u64) -> Goldilocks {
        Goldilocks::new(x)
    }

    #[test]
    fn merge_is_circomlibs_poseidon_2() {
        let (a, b) = (Fr::from(1u64), Fr::from(2u64));
        let d = [Bn254Digest::from_element(a), Bn254Digest::from_element(b)];
        assert_eq!(PoseidonBn254::merge(&d).element(), hash2(a, b));
    }

    #[test]
    fn element_hashes_pack_three_per_scalar_and_bind_the_length() {
        let elements = [g(1), g(2), g(3), g(4)];
        // By hand: tag, then (1 + 2⁶⁴·2 + 2¹²⁸·3, 4) absorbed in one permutation.
        let mut state = [
            tag(ELEMENTS, 4),
            Fr::from(1u64)
                + Fr::from(2u128 << 64)
                + Fr::from(3u128) * Fr::from(1u128 << 64).square(),
            Fr::from(4u64),
        ];
        permute(&mut state);
        assert_eq!(PoseidonBn254::hash_elements(&elements).element(), state[0]);
        // A trailing zero is not the same input.
        let padded = [g(1), g(2), g(3), g(4), g(0)];
        assert_ne!(
            PoseidonBn254::hash_elements(&padded),
            PoseidonBn254::hash_elements(&elements)
        );
        // Seven elements take two permutations; each element matters.
        let seven: Vec<Goldilocks> = (0..7).map(g).collect();
        let base = PoseidonBn254::hash_elements(&seven);
        for i in 0..7 {
            let mut changed = seven.clone();
            changed[i] = g(100);
            assert_ne!(PoseidonBn254::hash_elements(&changed), base, "element {i}");
        }
        assert_ne!(
            PoseidonBn254::hash_elements::<Goldilocks>(&[]),
            PoseidonBn254::hash(&[])
        );
    }

    #[test]
    fn domains_are_separated() {
        let d = PoseidonBn254::hash(b"seed");
        let two = [d, d];
        let outputs = [
            PoseidonBn254::merge(&two),
            PoseidonBn254::merge_many(&two),
            PoseidonBn254::merge_with_int(d, d.element().into_bigint().0[0]),
        ];
        assert_ne!(outputs[0], outputs[1]);
        assert_ne!(outputs[0], outputs[2]);
        assert_ne!(outputs[1], outputs[2]);
    }

    #[test]
    fn digests_round_trip_and_non_canonical_bytes_are_refused() {
        let d = PoseidonBn254::hash(b"abc");
        let bytes = d.to_bytes();
        assert_eq!(Bn254Digest::read_from_bytes(&bytes).unwrap(), d);
        assert!(Bn254Digest::read_from_bytes(&[0xff; 32]).is_err());
        assert!(Bn254Digest::read_from_bytes(&bytes[..31]).is_err());
    }
}
