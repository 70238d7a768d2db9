//! A process-wide pool of large field-element buffers.
//!
//! Touching fresh memory costs one page fault per page: for the 1 GiB main LDE of 64 columns
//! × 2^18 rows (blowup 8) that measured 0.8 s here, as long as the transforms. Proving one
//! block after another reuses the same sizes, and the components of one block reuse each
//! other's buffers, so buffers freed by one proof are kept (up to [`MAX_POOLED_BYTES`]) and
//! handed to the next request they can hold: the smallest buffer whose capacity is at least
//! the request, if it is at most [`MAX_SLACK`] times larger (a huge buffer is kept for a huge
//! request), cut or lengthened (`Vec::resize`, within its capacity) to the request ([`take`]),
//! or emptied for a caller that writes every element itself ([`take_empty`]; a fresh one is
//! then not cleared either). Fresh buffers get [`HEADROOM`] elements of spare capacity, so a
//! request a few elements longer than an earlier one (a [`crate::lde::RowMajor`] aligning its
//! rows to a cache line asks for up to 7 more than its cells) still finds that one's buffer.
//! Capacity is what counts against the limit. Contents of a reused buffer are arbitrary: callers overwrite every
//! element they read.

use std::sync::Mutex;
use zkevm_field::Goldilocks;

/// Most memory the pool keeps.
pub const MAX_POOLED_BYTES: usize = 4 << 30;
/// Buffers smaller than this are not worth pooling.
const MIN_POOLED_LEN: usize = 1 << 18;
/// A pooled buffer serves requests down to `1/MAX_SLACK` of its capacity.
const MAX_SLACK: usize = 4;
/// Spare capacity of a fresh pooled buffer, in elements.
const HEADROOM: usize = 8;

/// Buffers kept for reuse. One process-wide instance serves the prover ([`take`],
/// [`take_empty`], [`give`], [`clear`]); tests make their own, which no concurrent proof can
/// take from.
struct Pool(Mutex<Vec<Vec<Goldilocks>>>);

static POOL: Pool = Pool::new();

impl Pool {
    const fn new() -> Self {
        Self(Mutex::new(Vec::new()))
    }

    fn take(&self, len: usize) -> Vec<Goldilocks> {
        if len < MIN_POOLED_LEN {
            return zkevm_field::alloc::zeroed_vec(len);
        }
        if let Some(mut buffer) = self.pooled(len) {
            buffer.resize(len, Goldilocks::ZERO);
            return buffer;
        }
        let mut buffer = zkevm_field::alloc::zeroed_vec(len + HEADROOM);
        buffer.truncate(len);
        buffer
    }

    fn take_empty(&self, len: usize) -> Vec<Goldilocks> {
        match self.pooled(len) {
            Some(mut buffer) => {
                buffer.clear();
                buffer
            }
            None if len < MIN_POOLED_LEN => Vec::with_capacity(len),
            None => zkevm_field::alloc::reserved_vec(len + HEADROOM),
        }
    }

    /// The smallest pooled buffer that can hold `len` elements within the slack, taken out
    /// of the pool.
    fn pooled(&self, len: usize) -> Option<Vec<Goldilocks>> {
        if len < MIN_POOLED_LEN {
            return None;
        }
        let mut pool = self.0.lock().ok()?;
        let fits = |b: &Vec<Goldilocks>| {
            b.capacity() >= len && b.capacity() <= len.saturating_mul(MAX_SLACK)
        };
        let best = (pool.iter().enumerate())
            .filter(|(_, b)| fits(b))
            .min_by_key(|(_, b)| b.capacity())
            .map(|(i, _)| i)?;
        Some(pool.swap_remove(best))
    }

    fn give(&self, buffer: Vec<Goldilocks>) {
        if buffer.len() < MIN_POOLED_LEN {
            return;
        }
        if let Ok(mut pool) = self.0.lock() {
            let held: usize = pool.iter().map(|b| b.capacity() * 8).sum();
            if held + buffer.capacity() * 8 <= MAX_POOLED_BYTES {
                pool.push(buffer);
            }
        }
    }

    fn clear(&self) {
        if let Ok(mut pool) = self.0.lock() {
            pool.clear();
        }
    }
}

/// A buffer of exactly `len` elements with arbitrary contents.
pub fn take(len: usize) -> Vec<Goldilocks> {
    POOL.take(len)
}

/// An empty buffer with room for at least `len` elements, for a caller that writes every
/// element before setting the length (`spare_capacity_mut`, then `set_len`): a fresh one is
/// not cleared first ([`zkevm_field::alloc::reserved_vec`]).
pub fn take_empty(len: usize) -> Vec<Goldilocks> {
    POOL.take_empty(len)
}

/// Returns a buffer for reuse (or frees it when the pool is full).
pub fn give(buffer: Vec<Goldilocks>) {
    POOL.give(buffer)
}

/// Frees every pooled buffer.
pub fn clear() {
    POOL.clear()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_pooled_buffer_serves_shorter_requests_within_the_slack() {
        let pool = Pool::new();
        let len = MIN_POOLED_LEN * 8;
        let buffer = pool.take(len);
        let ptr = buffer.as_ptr();
        pool.give(buffer);
        // More than MAX_SLACK times shorter: a fresh buffer, the pooled one stays.
        let small = pool.take(len / (MAX_SLACK + 1));
        assert_ne!(small.as_ptr(), ptr);
        // Within the slack: the pooled buffer, exactly as long as asked.
        let shorter = pool.take(len - 3);
        assert_eq!((shorter.as_ptr(), shorter.len()), (ptr, len - 3));
        pool.give(shorter);
        // Longer again, within its headroom: still the pooled buffer.
        let longer = pool.take(len + HEADROOM);
        assert_eq!((longer.as_ptr(), longer.len()), (ptr, len + HEADROOM));
        pool.give(longer);
        // Beyond its capacity: a fresh buffer.
        let beyond = pool.take(len + HEADROOM + 1);
        assert_ne!(beyond.as_ptr(), ptr);
        assert_eq!(beyond.len(), len + HEADROOM + 1);
    }

    #[test]
    fn an_empty_take_gets_room_and_no_length() {
        let pool = Pool::new();
        let len = MIN_POOLED_LEN * 2;
        // Fresh: room for the request, nothing in it.
        let fresh = pool.take_empty(len);
        assert!(fresh.is_empty() && fresh.capacity() >= len);
        let ptr = fresh.as_ptr();
        // A pooled buffer holds its old contents; an empty take gets it back emptied.
        let mut full = fresh;
        full.resize(len, Goldilocks::ONE);
        pool.give(full);
        let again = pool.take_empty(len - 5);
        assert_eq!((again.as_ptr(), again.len()), (ptr, 0));
        assert!(again.capacity() >= len);
        // Small requests are not pooled, but still get their room.
        let small = pool.take_empty(10);
        assert!(small.is_empty() && small.capacity() >= 10);
    }
}
