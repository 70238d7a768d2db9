//! winterfell's field traits for [`Goldilocks`], so that winterfell proves over our field.
//!
//! Invariants winterfell relies on (notes/winterfell.md):
//! - `size_of::<Goldilocks>() == 8`, u64-aligned: extension types and matrices reinterpret
//!   slices of it.
//! - `IS_CANONICAL = true`: the in-memory u64 is the canonical value, so rows hash as raw bytes.
//! - Every decoding path (`Deserializable`, `TryFrom<&[u8]>`, `Randomizable`) rejects values
//!   `≥ p`; the random coin relies on that rejection for uniform sampling, and the verifier on it
//!   to refuse non-canonical proofs.

use crate::goldilocks::{FieldError, Goldilocks, P};
use core::{mem, slice};
use winter_math::{FieldElement, StarkField};
use winter_utils::{
    AsBytes, ByteReader, ByteWriter, Deserializable, DeserializationError, Randomizable,
    Serializable,
};

const ELEMENT_BYTES: usize = mem::size_of::<u64>();
const _: () = assert!(mem::size_of::<Goldilocks>() == 8);
const _: () = assert!(mem::align_of::<Goldilocks>() == mem::align_of::<u64>());

impl FieldElement for Goldilocks {
    type PositiveInteger = u64;
    type BaseField = Self;

    const EXTENSION_DEGREE: usize = 1;
    const ELEMENT_BYTES: usize = ELEMENT_BYTES;
    const IS_CANONICAL: bool = true;
    const ZERO: Self = Goldilocks::ZERO;
    const ONE: Self = Goldilocks::ONE;

    #[inline(always)]
    fn double(self) -> Self {
        Goldilocks::double(self)
    }

    #[inline(always)]
    fn square(self) -> Self {
        Goldilocks::square(self)
    }

    #[inline]
    fn exp(self, power: u64) -> Self {
        self.exp_u64(power)
    }

    #[inline]
    fn exp_vartime(self, power: u64) -> Self {
        self.exp_u64(power)
    }

    #[inline]
    fn inv(self) -> Self {
        self.inverse()
    }

    fn conjugate(&self) -> Self {
        *self
    }

    fn base_element(&self, i: usize) -> Self {
        assert_eq!(i, 0, "a base field element has only element 0");
        *self
    }

    fn slice_as_base_elements(elements: &[Self]) -> &[Self] {
        elements
    }

    fn slice_from_base_elements(elements: &[Self]) -> &[Self] {
        elements
    }

    fn elements_as_bytes(elements: &[Self]) -> &[u8] {
        // SAFETY: Goldilocks is a transparent u64; any u64 bit pattern is a valid byte sequence.
        unsafe { slice::from_raw_parts(elements.as_ptr().cast::<u8>(), mem::size_of_val(elements)) }
    }

    unsafe fn bytes_as_elements(bytes: &[u8]) -> Result<&[Self], DeserializationError> {
        if !bytes.len().is_multiple_of(ELEMENT_BYTES) {
            return Err(DeserializationError::InvalidValue(format!(
                "{} bytes do not divide into whole field elements",
                bytes.len()
            )));
        }
        if !(bytes.as_ptr() as usize).is_multiple_of(mem::align_of::<u64>()) {
            return Err(DeserializationError::InvalidValue(
                "byte slice is not aligned for field elements".into(),
            ));
        }
        // SAFETY: length and alignment checked above. The caller is responsible (this fn is
        // unsafe) for the values being canonical, as winterfell documents.
        Ok(unsafe {
            slice::from_raw_parts(bytes.as_ptr().cast::<Self>(), bytes.len() / ELEMENT_BYTES)
        })
    }
}

impl StarkField for Goldilocks {
    const MODULUS: u64 = P;
    const MODULUS_BITS: u32 = 64;
    const GENERATOR: Self = Goldilocks::MULTIPLICATIVE_GENERATOR;
    const TWO_ADICITY: u32 = Goldilocks::TWO_ADICITY;
    const TWO_ADIC_ROOT_OF_UNITY: Self = Goldilocks::TWO_ADIC_ROOT_OF_UNITY;

    fn get_modulus_le_bytes() -> Vec<u8> {
        P.to_le_bytes().to_vec()
    }

    #[inline(always)]
    fn as_int(&self) -> u64 {
        self.as_u64()
    }
}

impl From<FieldError> for DeserializationError {
    fn from(err: FieldError) -> Self {
        DeserializationError::InvalidValue(err.to_string())
    }
}

impl TryFrom<u64> for Goldilocks {
    type Error = String;
    fn try_from(value: u64) -> Result<Self, String> {
        Goldilocks::from_canonical(value).ok_or_else(|| FieldError::NonCanonical(value).to_string())
    }
}

impl TryFrom<u128> for Goldilocks {
    type Error = String;
    fn try_from(value: u128) -> Result<Self, String> {
        let small = u64::try_from(value).map_err(|_| format!("{value} does not fit in 64 bits"))?;
        Self::try_from(small)
    }
}

impl TryFrom<&'_ [u8]> for Goldilocks {
    type Error = DeserializationError;
    fn try_from(bytes: &[u8]) -> Result<Self, DeserializationError> {
        Ok(Goldilocks::from_le_slice(bytes)?)
    }
}

impl AsBytes for Goldilocks {
    fn as_bytes(&self) -> &[u8] {
        Self::elements_as_bytes(slice::from_ref(self))
    }
}

impl Randomizable for Goldilocks {
    const VALUE_SIZE: usize = ELEMENT_BYTES;

    fn from_random_bytes(bytes: &[u8]) -> Option<Self> {
        Goldilocks::from_le_slice(bytes).ok()
    }
}

impl Serializable for Goldilocks {
    fn write_into<W: ByteWriter>(&self, target: &mut W) {
        target.write_bytes(&self.to_le_bytes());
    }

    fn get_size_hint(&self) -> usize {
        ELEMENT_BYTES
    }
}

impl Deserializable for Goldilocks {
    fn read_from<R: ByteReader>(source: &mut R) -> Result<Self, DeserializationError> {
        let value = source.read_u64()?;
        Ok(Goldilocks::from_canonical(value).ok_or(FieldError::NonCanonical(value))?)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use winter_utils::SliceReader;

    #[test]
    fn deserialization_rejects_non_canonical_values() {
        for bad in [P, P + 1, u64::MAX] {
            let bytes = bad.to_le_bytes();
            assert!(Goldilocks::read_from(&mut SliceReader::new(&bytes)).is_err());
            assert!(Goldilocks::try_from(&bytes[..]).is_err());
            assert!(Goldilocks::from_random_bytes(&bytes).is_none());
        }
        let good = (P - 1).to_le_bytes();
        assert_eq!(
            Goldilocks::read_from(&mut SliceReader::new(&good))
                .unwrap()
                .as_int(),
            P - 1
        );
    }

    #[test]
    fn root_of_unity_agrees_with_winterfell_derivation() {
        for log_n in 1..=32 {
            assert_eq!(
                <Goldilocks as StarkField>::get_root_of_unity(log_n),
                Goldilocks::root_of_unity(log_n)
            );
        }
    }
}
