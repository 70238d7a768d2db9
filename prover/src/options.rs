//! Named proof-option profiles and their conjectured security.

use crate::error::BlockError;
use crate::Hash;
use winter_crypto::Hasher;
use winterfell::{BatchingMethod, FieldExtension, ProofOptions};

/// Grinding counts towards conjectured security only above this many query bits (winterfell's
/// rule).
const GRINDING_FLOOR: u32 = 80;
/// Bits of the Goldilocks modulus.
const MODULUS_BITS: u32 = 64;

/// A named set of proof options.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Profile {
    /// Blowup 8, 32 queries, 16 bits of grinding, quadratic extension, FRI folding 8:
    /// 111 bits conjectured.
    Default,
    /// Blowup 4, 20 queries, no grinding: about 39 bits. For tests and quick runs only.
    FastTest,
    /// Proofs meant to be verified inside a BN254 circuit (zkevm-recursion): committed with
    /// Poseidon over BN254 instead of Blake3; blowup 64 buys security per query, so the circuit
    /// opens few Merkle paths: 15 queries, 16 bits of grinding, FRI folding 8 down to degree 7,
    /// 105 bits conjectured.
    Wrap,
}

impl Profile {
    /// Every profile.
    pub const ALL: [Profile; 3] = [Profile::Default, Profile::FastTest, Profile::Wrap];

    /// Wire identifier.
    pub fn id(self) -> u8 {
        match self {
            Profile::Default => 1,
            Profile::FastTest => 2,
            Profile::Wrap => 3,
        }
    }

    /// Parses a wire identifier.
    pub fn from_id(id: u8) -> Result<Self, BlockError> {
        Self::ALL
            .into_iter()
            .find(|p| p.id() == id)
            .ok_or(BlockError::UnknownProfile(id))
    }

    /// Name used on the command line.
    pub fn name(self) -> &'static str {
        match self {
            Profile::Default => "default",
            Profile::FastTest => "fast-test",
            Profile::Wrap => "wrap",
        }
    }

    /// Parses a name.
    pub fn from_name(name: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|p| p.name() == name)
    }

    /// The winterfell options.
    pub fn options(self) -> ProofOptions {
        let (queries, blowup, grinding, folding, remainder) = match self {
            Profile::Default => (32, 8, 16, 8, 31),
            Profile::FastTest => (20, 4, 0, 4, 7),
            Profile::Wrap => (15, 64, 16, 8, 7),
        };
        ProofOptions::new(
            queries,
            blowup,
            grinding,
            FieldExtension::Quadratic,
            folding,
            remainder,
            BatchingMethod::Linear,
            BatchingMethod::Linear,
        )
    }

    /// Whether the profile's commitments are Blake3's (otherwise Poseidon over BN254, which
    /// only zkevm-recursion names).
    pub fn commits_with_blake3(self) -> bool {
        self != Profile::Wrap
    }

    /// Conjectured security in bits (winterfell's formula, eprint 2021/582 eq. 19):
    /// `min(min(field bits, query bits) − 1, hash collision bits)`, where query bits are
    /// `queries · log₂ blowup` plus grinding once that reaches 80.
    pub fn conjectured_security_bits(self) -> u32 {
        conjectured_security_bits(&self.options())
    }

    /// One line for humans: name, parameters and security.
    pub fn describe(self) -> String {
        let o = self.options();
        format!(
            "{}: blowup {}, {} queries, grinding {} bits, {:?} extension, FRI folding {} → {} conjectured bits",
            self.name(),
            o.blowup_factor(),
            o.num_queries(),
            o.grinding_factor(),
            o.field_extension(),
            o.to_fri_options().folding_factor(),
            self.conjectured_security_bits()
        )
    }
}

/// Conjectured security of arbitrary options with our field and hash.
pub fn conjectured_security_bits(options: &ProofOptions) -> u32 {
    conjectured_security_bits_with::<Hash>(options)
}

/// Conjectured security of arbitrary options with our field and the hasher `H`.
pub fn conjectured_security_bits_with<H: Hasher>(options: &ProofOptions) -> u32 {
    let field = MODULUS_BITS * options.field_extension().degree();
    let mut queries = options.blowup_factor().ilog2() * options.num_queries() as u32;
    if queries >= GRINDING_FLOOR {
        queries += options.grinding_factor();
    }
    (field.min(queries) - 1).min(H::COLLISION_RESISTANCE)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn default_profile_reaches_100_bits() {
        let bits = Profile::Default.conjectured_security_bits();
        assert!(bits >= 100, "{bits}");
        assert!(Profile::Default.describe().contains("111 conjectured bits"));
    }

    #[test]
    fn ids_and_names_round_trip() {
        for p in Profile::ALL {
            assert_eq!(Profile::from_id(p.id()).unwrap(), p);
            assert_eq!(Profile::from_name(p.name()), Some(p));
        }
        assert!(Profile::from_id(0).is_err());
    }
}
