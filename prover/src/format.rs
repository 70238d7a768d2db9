//! The `BlockProof` binary format (all integers little endian):
//!
//! ```text
//! magic      4 bytes  "ZKBP"
//! version    u16      VERSION (3)
//! profile    u8       Profile id
//! statement  u32 length ‖ bytes            (at most 16 MiB)
//! count      u16      number of components (1 … 256)
//! component  × count:
//!   id            u16   registry id
//!   log_len       u8    log₂ of the trace length
//!   claim         2 × u64 (canonical)      the component's bus sum, quadratic extension
//!   proof         u32 length ‖ bytes       winterfell proof
//! ```
//! Nothing may follow the last component. Parsing checks every length against the bytes that
//! remain before allocating.

use crate::error::BlockError;
use crate::options::Profile;
use zkevm_air::ComponentId;
use zkevm_field::{Goldilocks, Quadratic};

/// The four magic bytes.
pub const MAGIC: [u8; 4] = *b"ZKBP";
/// The current format version. 2: component proofs carry one auxiliary helper column per
/// group of interactions (`zkevm_air::bus::helper_groups`) instead of one per interaction, so a
/// version-1 proof's auxiliary segment has another shape. 3: the block transcript is the
/// block hasher's random coin ([`crate::transcript`]), so earlier proofs' challenges differ.
pub const VERSION: u16 = 3;
/// Largest statement accepted.
pub const MAX_STATEMENT: usize = 16 << 20;
/// Most components in one block.
pub const MAX_COMPONENTS: usize = 256;

/// One component's proof within a block.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ComponentProof {
    pub id: ComponentId,
    pub log_trace_len: u8,
    pub claim: Quadratic,
    /// winterfell's serialized proof.
    pub proof: Vec<u8>,
}

/// A proof of a block: the statement and one STARK per component.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BlockProof {
    pub profile: Profile,
    pub statement: Vec<u8>,
    pub components: Vec<ComponentProof>,
}

impl BlockProof {
    /// Serializes in the format of the module docs.
    pub fn to_bytes(&self) -> Vec<u8> {
        let mut out = Vec::new();
        out.extend(MAGIC);
        out.extend(VERSION.to_le_bytes());
        out.push(self.profile.id());
        out.extend((self.statement.len() as u32).to_le_bytes());
        out.extend(&self.statement);
        out.extend((self.components.len() as u16).to_le_bytes());
        for c in &self.components {
            out.extend(c.id.to_u16().to_le_bytes());
            out.push(c.log_trace_len);
            for limb in c.claim.to_base_elements() {
                out.extend(limb.as_u64().to_le_bytes());
            }
            out.extend((c.proof.len() as u32).to_le_bytes());
            out.extend(&c.proof);
        }
        out
    }

    /// Parses bytes; malformed input is an error, never a panic.
    pub fn from_bytes(bytes: &[u8]) -> Result<Self, BlockError> {
        let mut r = Reader { bytes, pos: 0 };
        if r.take(4)? != MAGIC {
            return Err(malformed("bad magic bytes"));
        }
        let version = r.u16()?;
        if version != VERSION {
            return Err(BlockError::Version(version));
        }
        let profile = Profile::from_id(r.u8()?)?;
        let statement_len = r.u32()? as usize;
        if statement_len > MAX_STATEMENT {
            return Err(malformed("statement too long"));
        }
        let statement = r.take(statement_len)?.to_vec();
        let count = r.u16()? as usize;
        if count == 0 || count > MAX_COMPONENTS {
            return Err(BlockError::ComponentCount {
                max: MAX_COMPONENTS,
                got: count,
            });
        }
        let mut components = Vec::with_capacity(count);
        for _ in 0..count {
            let id = ComponentId::from_u16(r.u16()?)?;
            let log_trace_len = r.u8()?;
            let mut limbs = [Goldilocks::ZERO; 2];
            for limb in &mut limbs {
                *limb = Goldilocks::from_canonical(r.u64()?)
                    .ok_or_else(|| malformed("claim is not a canonical field element"))?;
            }
            let len = r.u32()? as usize;
            let proof = r.take(len)?.to_vec();
            components.push(ComponentProof {
                id,
                log_trace_len,
                claim: Quadratic::new(limbs[0], limbs[1]),
                proof,
            });
        }
        if r.pos != bytes.len() {
            return Err(malformed("trailing bytes after the last component"));
        }
        Ok(Self {
            profile,
            statement,
            components,
        })
    }
}

fn malformed(what: &str) -> BlockError {
    BlockError::Malformed(what.to_string())
}

/// A bounds-checked cursor.
pub(crate) struct Reader<'a> {
    pub bytes: &'a [u8],
    pub pos: usize,
}

impl<'a> Reader<'a> {
    pub fn remaining(&self) -> usize {
        self.bytes.len() - self.pos
    }

    pub fn take(&mut self, n: usize) -> Result<&'a [u8], BlockError> {
        if n > self.remaining() {
            return Err(malformed("unexpected end of input"));
        }
        let out = &self.bytes[self.pos..self.pos + n];
        self.pos += n;
        Ok(out)
    }

    fn array<const N: usize>(&mut self) -> Result<[u8; N], BlockError> {
        let mut out = [0u8; N];
        out.copy_from_slice(self.take(N)?);
        Ok(out)
    }

    pub fn u8(&mut self) -> Result<u8, BlockError> {
        Ok(self.take(1)?[0])
    }

    pub fn u16(&mut self) -> Result<u16, BlockError> {
        Ok(u16::from_le_bytes(self.array()?))
    }

    pub fn u32(&mut self) -> Result<u32, BlockError> {
        Ok(u32::from_le_bytes(self.array()?))
    }

    pub fn u64(&mut self) -> Result<u64, BlockError> {
        Ok(u64::from_le_bytes(self.array()?))
    }
}
