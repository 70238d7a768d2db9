//! The block transcript: winterfell's random coin over the block's own hasher (Blake3, or
//! Poseidon over BN254 in the wrap profile, so that a circuit can replay it), seeded with the
//! statement, the profile and the public bus messages, reseeded with every component's
//! main-trace root; the LogUp challenges γ, β are its first two draws.
//!
//! The seed is the hash of these Goldilocks elements ([`seed_elements`]), in order:
//! - the domain tag [`DOMAIN`];
//! - the profile id;
//! - the statement's length in bytes, then its bytes, seven to an element (little endian);
//! - the number of public messages, then per message: bus, direction (0 provide, 1 consume),
//!   multiplicity, number of fields, the fields;
//! - the number of components, then per component: its id and log₂ of its trace length.
//!
//! Then one reseed per component, in block order, with its main-trace root, and the draws
//! `γ`, `β` (each extension element from one digest; the coin's rejection of non-canonical
//! words makes them uniform). Everything a component proof commits to afterwards is bound to
//! them through its public inputs.

use crate::error::BlockError;
use winter_crypto::{DefaultRandomCoin, ElementHasher, RandomCoin};
use winter_utils::Deserializable;
use zkevm_air::bus::Direction;
use zkevm_air::{ComponentId, PublicMessage};
use zkevm_field::{Goldilocks, Quadratic};

/// The domain tag: `zkevm/b` as a little-endian integer (below p), then the transcript
/// version.
pub const DOMAIN: [u64; 2] = [u64::from_le_bytes(*b"zkevm/b\0"), 2];

/// Statement bytes per seed element (seven bytes are below the Goldilocks modulus).
pub const STATEMENT_BYTES_PER_ELEMENT: usize = 7;

/// What a component contributes to the transcript.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ComponentCommitment {
    pub id: ComponentId,
    pub log_trace_len: u8,
    pub main_root: [u8; 32],
}

/// The statement's bytes as seed elements (the last one holds the remainder).
pub fn statement_elements(statement: &[u8]) -> Vec<Goldilocks> {
    statement
        .chunks(STATEMENT_BYTES_PER_ELEMENT)
        .map(|chunk| {
            let mut word = [0u8; 8];
            word[..chunk.len()].copy_from_slice(chunk);
            Goldilocks::new(u64::from_le_bytes(word))
        })
        .collect()
}

/// A public message's seed elements: bus, direction, multiplicity, field count, fields.
fn message_elements(message: &PublicMessage) -> Vec<Goldilocks> {
    let direction = match message.direction {
        Direction::Provide => 0,
        Direction::Consume => 1,
    };
    let mut out = vec![
        Goldilocks::new(message.bus),
        Goldilocks::new(direction),
        message.multiplicity,
        Goldilocks::new(message.fields.len() as u64),
    ];
    out.extend(&message.fields);
    out
}

/// What a seed element is: a constant of the block's shape, or a value its statement fills in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SeedCell {
    /// Fixed by the shape: the tag, the profile, lengths and counts, buses, directions,
    /// component ids and trace lengths.
    Fixed,
    /// Seven bytes of the statement.
    Statement,
    /// Public message `m`'s multiplicity.
    Multiplicity(usize),
    /// Field `j` of public message `m`.
    Field(usize, usize),
}

/// The elements the block coin's seed is the hash of (see the module docs), each with what it
/// is (a circuit replaying the transcript fixes some and reads the others).
pub fn seed_cells(
    statement: &[u8],
    profile_id: u8,
    public: &[PublicMessage],
    components: &[(ComponentId, u8)],
) -> Vec<(Goldilocks, SeedCell)> {
    let fixed = |x: u64| (Goldilocks::new(x), SeedCell::Fixed);
    let mut out: Vec<(Goldilocks, SeedCell)> = DOMAIN.iter().map(|&w| fixed(w)).collect();
    out.push(fixed(profile_id.into()));
    out.push(fixed(statement.len() as u64));
    out.extend(
        statement_elements(statement)
            .into_iter()
            .map(|e| (e, SeedCell::Statement)),
    );
    out.push(fixed(public.len() as u64));
    for (m, message) in public.iter().enumerate() {
        let elements = message_elements(message);
        let kinds = [
            SeedCell::Fixed,
            SeedCell::Fixed,
            SeedCell::Multiplicity(m),
            SeedCell::Fixed,
        ]
        .into_iter()
        .chain((0..message.fields.len()).map(|j| SeedCell::Field(m, j)));
        out.extend(elements.into_iter().zip(kinds));
    }
    out.push(fixed(components.len() as u64));
    for &(id, log_trace_len) in components {
        out.push(fixed(id.to_u16().into()));
        out.push(fixed(log_trace_len.into()));
    }
    out
}

/// The elements the block coin's seed is the hash of.
pub fn seed_elements(
    statement: &[u8],
    profile_id: u8,
    public: &[PublicMessage],
    components: &[(ComponentId, u8)],
) -> Vec<Goldilocks> {
    (seed_cells(statement, profile_id, public, components).into_iter())
        .map(|(e, _)| e)
        .collect()
}

/// The LogUp challenges `(γ, β)` of a block committed with `H`. Errors when a root is not a
/// digest of `H` or the coin fails to draw (winterfell gives up after many non-canonical
/// words, which happens with negligible probability).
pub fn bus_challenges<H: ElementHasher<BaseField = Goldilocks>>(
    statement: &[u8],
    profile_id: u8,
    public: &[PublicMessage],
    components: &[ComponentCommitment],
) -> Result<(Quadratic, Quadratic), BlockError> {
    let ids: Vec<(ComponentId, u8)> = components.iter().map(|c| (c.id, c.log_trace_len)).collect();
    let seed = seed_elements(statement, profile_id, public, &ids);
    let mut coin = DefaultRandomCoin::<H>::new(&seed);
    for (index, c) in components.iter().enumerate() {
        let root = H::Digest::read_from_bytes(&c.main_root).map_err(|e| {
            BlockError::MalformedComponent {
                index,
                component: c.id.name(),
                reason: format!("main-trace root: {e}"),
            }
        })?;
        coin.reseed(root);
    }
    let mut draw = || {
        coin.draw::<Quadratic>()
            .map_err(|e| BlockError::Transcript(e.to_string()))
    };
    let gamma = draw()?;
    let beta = draw()?;
    Ok((gamma, beta))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::Hash;

    #[test]
    fn challenges_depend_on_every_input() {
        let c = ComponentCommitment {
            id: ComponentId::Limbs,
            log_trace_len: 3,
            main_root: [1; 32],
        };
        fn challenges(
            statement: &[u8],
            profile: u8,
            public: &[PublicMessage],
            components: &[ComponentCommitment],
        ) -> (Quadratic, Quadratic) {
            bus_challenges::<Hash>(statement, profile, public, components).unwrap()
        }
        let base = challenges(b"s", 1, &[], &[c]);
        assert_eq!(base, challenges(b"s", 1, &[], &[c]));
        assert_ne!(base.0, base.1);
        assert_ne!(base, challenges(b"t", 1, &[], &[c]));
        assert_ne!(base, challenges(b"s\0", 1, &[], &[c]));
        assert_ne!(base, challenges(b"s", 2, &[], &[c]));
        let mut other = c;
        other.main_root[31] ^= 1;
        assert_ne!(base, challenges(b"s", 1, &[], &[other]));
        let mut longer = c;
        longer.log_trace_len = 4;
        assert_ne!(base, challenges(b"s", 1, &[], &[longer]));
        assert_ne!(base, challenges(b"s", 1, &[], &[c, c]));
        let message = PublicMessage::provide(2, &[Goldilocks::new(5)]);
        let with_public = challenges(b"s", 1, std::slice::from_ref(&message), &[c]);
        assert_ne!(base, with_public);
        let mut changed = message.clone();
        changed.fields[0] = Goldilocks::new(6);
        assert_ne!(with_public, challenges(b"s", 1, &[changed], &[c]));
    }

    #[test]
    fn statement_bytes_pack_seven_to_an_element() {
        let bytes: Vec<u8> = (1..=8).collect();
        let elements = statement_elements(&bytes);
        assert_eq!(elements.len(), 2);
        assert_eq!(elements[0], Goldilocks::new(0x07_06_05_04_03_02_01));
        assert_eq!(elements[1], Goldilocks::new(8));
        assert!(statement_elements(&[]).is_empty());
        // The length element tells "s" from "s\0".
        assert_ne!(
            seed_elements(b"s", 0, &[], &[]),
            seed_elements(b"s\0", 0, &[], &[])
        );
    }
}
