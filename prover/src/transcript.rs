//! The block transcript: Blake3 over the statement, the profile and every component's
//! main-trace root; the LogUp challenges γ, β are squeezed from it.
//!
//! Absorbed, in order, each as `u64 length ‖ bytes` after a domain tag: the statement, the
//! profile id, the number of public messages and each one's canonical bytes, the number of
//! components, then per component its id (u16), log₂ of its trace length and its main-trace
//! root. Challenges are read from Blake3's XOF under a label, 8 bytes
//! at a time, rejecting values ≥ p, so they are uniform in the quadratic extension.

use zkevm_air::{ComponentId, PublicMessage};
use zkevm_field::{Goldilocks, Quadratic};

const DOMAIN: &[u8] = b"zkevm/block-transcript/v1";

/// What a component contributes to the transcript.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ComponentCommitment {
    pub id: ComponentId,
    pub log_trace_len: u8,
    pub main_root: [u8; 32],
}

/// A Fiat–Shamir transcript.
#[derive(Clone)]
pub struct Transcript {
    hasher: blake3::Hasher,
}

impl Default for Transcript {
    fn default() -> Self {
        Self::new()
    }
}

impl Transcript {
    /// An empty transcript under the block domain tag.
    pub fn new() -> Self {
        let mut hasher = blake3::Hasher::new();
        hasher.update(DOMAIN);
        Self { hasher }
    }

    /// Absorbs length-prefixed bytes.
    pub fn absorb(&mut self, bytes: &[u8]) {
        self.hasher.update(&(bytes.len() as u64).to_le_bytes());
        self.hasher.update(bytes);
    }

    /// A uniformly random quadratic-extension element bound to everything absorbed and `label`.
    pub fn challenge(&self, label: &[u8]) -> Quadratic {
        let mut h = self.hasher.clone();
        h.update(b"challenge");
        h.update(label);
        let mut xof = h.finalize_xof();
        let mut draw = || loop {
            let mut word = [0u8; 8];
            xof.fill(&mut word);
            if let Some(x) = Goldilocks::from_canonical(u64::from_le_bytes(word)) {
                return x;
            }
        };
        let a = draw();
        let b = draw();
        Quadratic::new(a, b)
    }
}

/// The LogUp challenges `(γ, β)` of a block.
pub fn bus_challenges(
    statement: &[u8],
    profile_id: u8,
    public: &[PublicMessage],
    components: &[ComponentCommitment],
) -> (Quadratic, Quadratic) {
    let mut t = Transcript::new();
    t.absorb(statement);
    t.absorb(&[profile_id]);
    t.absorb(&(public.len() as u64).to_le_bytes());
    for message in public {
        t.absorb(&message.to_bytes());
    }
    t.absorb(&(components.len() as u64).to_le_bytes());
    for c in components {
        t.absorb(&c.id.to_u16().to_le_bytes());
        t.absorb(&[c.log_trace_len]);
        t.absorb(&c.main_root);
    }
    (t.challenge(b"gamma"), t.challenge(b"beta"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn challenges_depend_on_every_input() {
        let c = ComponentCommitment {
            id: ComponentId::Limbs,
            log_trace_len: 3,
            main_root: [1; 32],
        };
        let base = bus_challenges(b"s", 1, &[], &[c]);
        assert_eq!(base, bus_challenges(b"s", 1, &[], &[c]));
        assert_ne!(base.0, base.1);
        assert_ne!(base, bus_challenges(b"t", 1, &[], &[c]));
        assert_ne!(base, bus_challenges(b"s", 2, &[], &[c]));
        let mut other = c;
        other.main_root[31] ^= 1;
        assert_ne!(base, bus_challenges(b"s", 1, &[], &[other]));
        assert_ne!(base, bus_challenges(b"s", 1, &[], &[c, c]));
        let message = PublicMessage::provide(2, &[Goldilocks::new(5)]);
        let with_public = bus_challenges(b"s", 1, std::slice::from_ref(&message), &[c]);
        assert_ne!(base, with_public);
        let mut changed = message.clone();
        changed.fields[0] = Goldilocks::new(6);
        assert_ne!(with_public, bus_challenges(b"s", 1, &[changed], &[c]));
    }
}
