//! Structural validation of winterfell proof bytes before winterfell parses them.
//!
//! winterfell 0.13's deserializers trust length fields: `Vec<T>::read_from` reserves the
//! capacity it reads, so a corrupt length aborts the process on allocation failure, and
//! `ProofOptions::read_from` asserts on invalid values. This walk reads the proof layout
//! (`Proof::write_into`) with bounds checks only, and requires
//! - the context (trace shape, field, options, constraint count) to be byte-for-byte the one
//!   the verifier expects for this component, trace length and profile;
//! - `1 ≤ unique queries ≤ queries`, the exact commitment count, the exact FRI layer count;
//! - every length-prefixed vector to fit in the bytes that remain, and no trailing bytes.
//!
//! What remains for winterfell to parse is then bounded by the input size (our Merkle
//! openings check their own counts; see `merkle`).

use crate::format::Reader;
use crate::BlockError;

/// Maps a read error to a message naming the part being read.
fn e(what: &'static str) -> impl Fn(BlockError) -> String {
    move |err| format!("{what}: {err}")
}

/// What the verifier expects of one component proof.
pub struct ExpectedShape<'a> {
    pub context: &'a [u8],
    pub trace_segments: usize,
    pub num_queries: usize,
    pub fri_layers: usize,
    pub digest_bytes: usize,
}

/// Checks `bytes` against `shape`; the error says what is wrong.
pub fn check_proof_layout(bytes: &[u8], shape: &ExpectedShape<'_>) -> Result<(), String> {
    let context = shape.context;
    if bytes.len() < context.len() || &bytes[..context.len()] != context {
        return Err(
            "proof context differs from the expected component, trace length or options".into(),
        );
    }
    let mut r = Reader {
        bytes,
        pos: context.len(),
    };

    let unique = r.u8().map_err(e("query count"))? as usize;
    if unique == 0 || unique > shape.num_queries {
        return Err(format!(
            "{unique} unique queries, expected 1 … {}",
            shape.num_queries
        ));
    }

    let commitments = r.u16().map_err(e("commitments"))? as usize;
    let expected = shape.digest_bytes * (shape.trace_segments + 1 + shape.fri_layers + 1);
    if commitments != expected {
        return Err(format!(
            "{commitments} commitment bytes, expected {expected}"
        ));
    }
    r.take(commitments).map_err(e("commitments"))?;

    for segment in 0..shape.trace_segments {
        queries(&mut r).map_err(|m| format!("trace segment {segment} queries: {m}"))?;
    }
    queries(&mut r).map_err(|m| format!("constraint queries: {m}"))?;

    for part in ["OOD trace states", "OOD quotient states"] {
        let len = r.u16().map_err(e(part))? as usize;
        r.take(len).map_err(e(part))?;
    }

    let layers = r.u8().map_err(e("FRI layers"))? as usize;
    if layers != shape.fri_layers {
        return Err(format!(
            "{layers} FRI layers, expected {}",
            shape.fri_layers
        ));
    }
    for layer in 0..layers {
        let values = r.u32().map_err(e("FRI layer"))? as usize;
        if values == 0 {
            return Err(format!("FRI layer {layer} has no values"));
        }
        r.take(values).map_err(e("FRI layer values"))?;
        let paths = r.u32().map_err(e("FRI layer"))? as usize;
        r.take(paths).map_err(e("FRI layer paths"))?;
    }
    let remainder = r.u16().map_err(e("FRI remainder"))? as usize;
    r.take(remainder).map_err(e("FRI remainder"))?;
    r.u8().map_err(e("FRI partitions"))?;
    r.u64().map_err(e("proof-of-work nonce"))?;
    if r.remaining() != 0 {
        return Err("trailing bytes after the proof".into());
    }
    Ok(())
}

/// One `Queries`: two length-prefixed byte vectors (values, opening proof).
fn queries(r: &mut Reader<'_>) -> Result<(), String> {
    for part in ["values", "opening"] {
        let len = vint(r).map_err(|e| format!("{part}: {e}"))?;
        let len = usize::try_from(len).map_err(|_| format!("{part}: length overflows"))?;
        r.take(len).map_err(|e| format!("{part}: {e}"))?;
    }
    Ok(())
}

/// winter-utils' variable-length integer: the first byte's trailing zeros give the length
/// (`tz + 1` bytes, value shifted left by that much), or 9 bytes (a zero byte, then a u64).
fn vint(r: &mut Reader<'_>) -> Result<u64, BlockError> {
    let first = r.u8()?;
    if first == 0 {
        return r.u64();
    }
    let len = first.trailing_zeros() as usize + 1;
    let mut bytes = [0u8; 8];
    bytes[0] = first;
    bytes[1..len].copy_from_slice(r.take(len - 1)?);
    Ok(u64::from_le_bytes(bytes) >> len)
}
