//! Memory ranges an opcode reads and writes, derived from its stack inputs.

use alloy_primitives::U256;

/// A byte range `offset .. offset + len` of a frame's memory; `len > 0`.
pub type Range = (u64, u64);

/// The memory touched by one step.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct MemRanges {
    /// Range read by the step (every opcode reads at most one).
    pub reads: Option<Range>,
    /// Range written by the step (every opcode writes at most one).
    pub writes: Option<Range>,
    /// The return-data range of a CALL-family step, written when the child returns.
    pub deferred_write: Option<Range>,
}

impl MemRanges {
    /// One past the highest byte any range touches (0 if none): memory expands to cover it.
    pub fn end(&self) -> u64 {
        self.reads
            .iter()
            .chain(&self.writes)
            .chain(&self.deferred_write)
            .map(|(o, l)| o.saturating_add(*l))
            .max()
            .unwrap_or(0)
    }
}

/// Memory ranges of opcode `code` with stack inputs `inputs` (top first). Zero-length ranges
/// touch nothing (their offset is ignored, as in the EVM). Returns `None` when a non-empty range
/// does not fit in 64 bits: such a step cannot succeed (out of gas).
pub fn memory_ranges(code: u8, inputs: &[U256]) -> Option<MemRanges> {
    let arg = |i: usize| inputs.get(i).copied().unwrap_or_default();
    // A range from stack positions (offset, size).
    let range = |o: usize, l: usize| -> Option<Option<Range>> {
        let len = arg(l);
        if len.is_zero() {
            return Some(None);
        }
        let off = u64::try_from(arg(o)).ok()?;
        let len = u64::try_from(len).ok()?;
        off.checked_add(len)?;
        Some(Some((off, len)))
    };
    let fixed = |o: usize, len: u64| -> Option<Option<Range>> {
        let off = u64::try_from(arg(o)).ok()?;
        off.checked_add(len)?;
        Some(Some((off, len)))
    };
    let mut m = MemRanges::default();
    let (r, w, d) = match code {
        0x51 => (fixed(0, 32)?, None, None),               // MLOAD
        0x52 => (None, fixed(0, 32)?, None),               // MSTORE
        0x53 => (None, fixed(0, 1)?, None),                // MSTORE8
        0x20 => (range(0, 1)?, None, None),                // KECCAK256
        0x37 | 0x39 | 0x3e => (None, range(0, 2)?, None),  // CALLDATACOPY, CODECOPY, RETURNDATACOPY
        0x3c => (None, range(1, 3)?, None),                // EXTCODECOPY
        0x5e => (range(1, 2)?, range(0, 2)?, None),        // MCOPY
        0xa0..=0xa4 => (range(0, 1)?, None, None),         // LOGn
        0xf3 | 0xfd => (range(0, 1)?, None, None),         // RETURN, REVERT
        0xf0 | 0xf5 => (range(1, 2)?, None, None),         // CREATE, CREATE2
        0xf1 | 0xf2 => (range(3, 4)?, None, range(5, 6)?), // CALL, CALLCODE
        0xf4 | 0xfa => (range(2, 3)?, None, range(4, 5)?), // DELEGATECALL, STATICCALL
        _ => (None, None, None),
    };
    m.reads = r;
    m.writes = w;
    m.deferred_write = d;
    Some(m)
}

/// Number of 32-byte words covering `bytes` bytes.
pub const fn words(bytes: u64) -> u64 {
    bytes.div_ceil(32)
}

/// Total memory cost of a memory of `w` words: 3·w + w²/512.
/// Saturates instead of overflowing for absurd sizes (which can never be paid for).
pub const fn memory_cost(w: u64) -> u64 {
    w.saturating_mul(3)
        .saturating_add(w.saturating_mul(w) / 512)
}

/// The words a byte range touches, each with whether the range covers it entirely (a write to
/// a partly covered word must first read it).
pub fn covered_words((off, len): Range) -> impl Iterator<Item = (u64, bool)> {
    let first = off / 32;
    let last = (off + len - 1) / 32;
    (first..=last).map(move |w| (w, off <= w * 32 && w * 32 + 32 <= off + len))
}

/// A memory word after writing `data` at byte `offset` over its old value `old`.
pub fn overlay(word: u64, old: U256, offset: u64, data: &[u8]) -> U256 {
    let mut buf = old.to_be_bytes::<32>();
    for (i, b) in buf.iter_mut().enumerate() {
        let addr = word * 32 + i as u64;
        if addr >= offset && addr < offset + data.len() as u64 {
            *b = data[(addr - offset) as usize];
        }
    }
    U256::from_be_bytes(buf)
}
