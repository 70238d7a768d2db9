//! A process-wide pool of large field-element buffers.
//!
//! Touching fresh memory costs one page fault per page: for the 1 GiB main LDE of 64 columns
//! × 2^18 rows (blowup 8) that measured 0.8 s here, as long as the transforms. Proving one
//! block after another reuses the same sizes, and the components of one block reuse each
//! other's buffers, so buffers freed by one proof are kept (up to [`MAX_POOLED_BYTES`]) and
//! handed to the next request they can hold: the smallest buffer at least as long, if it is at
//! most [`MAX_SLACK`] times longer (a huge buffer is kept for a huge request), truncated to the
//! request. A buffer only ever shrinks (no unsafe lengthening), and its capacity is what counts
//! against the limit. Contents of a reused buffer are arbitrary: callers overwrite every
//! element.

use std::sync::Mutex;
use zkevm_field::Goldilocks;

/// Most memory the pool keeps.
pub const MAX_POOLED_BYTES: usize = 4 << 30;
/// Buffers smaller than this are not worth pooling.
const MIN_POOLED_LEN: usize = 1 << 18;
/// A pooled buffer serves requests down to `1/MAX_SLACK` of its length.
const MAX_SLACK: usize = 4;

static POOL: Mutex<Vec<Vec<Goldilocks>>> = Mutex::new(Vec::new());

/// A buffer of exactly `len` elements with arbitrary contents.
pub fn take(len: usize) -> Vec<Goldilocks> {
    if len >= MIN_POOLED_LEN {
        if let Ok(mut pool) = POOL.lock() {
            let best = (pool.iter().enumerate())
                .filter(|(_, b)| b.len() >= len && b.len() <= len.saturating_mul(MAX_SLACK))
                .min_by_key(|(_, b)| b.len())
                .map(|(i, _)| i);
            if let Some(i) = best {
                let mut buffer = pool.swap_remove(i);
                buffer.truncate(len);
                return buffer;
            }
        }
    }
    zkevm_field::alloc::zeroed_vec(len)
}

/// Returns a buffer for reuse (or frees it when the pool is full).
pub fn give(buffer: Vec<Goldilocks>) {
    if buffer.len() < MIN_POOLED_LEN {
        return;
    }
    if let Ok(mut pool) = POOL.lock() {
        let held: usize = pool.iter().map(|b| b.capacity() * 8).sum();
        if held + buffer.capacity() * 8 <= MAX_POOLED_BYTES {
            pool.push(buffer);
        }
    }
}

/// Frees every pooled buffer.
pub fn clear() {
    if let Ok(mut pool) = POOL.lock() {
        pool.clear();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_pooled_buffer_serves_shorter_requests_within_the_slack() {
        clear();
        let len = MIN_POOLED_LEN * 8;
        let buffer = take(len);
        let ptr = buffer.as_ptr();
        give(buffer);
        // More than MAX_SLACK times shorter: a fresh buffer, the pooled one stays.
        let small = take(len / (MAX_SLACK + 1));
        assert_ne!(small.as_ptr(), ptr);
        // Within the slack: the pooled buffer, exactly as long as asked.
        let shorter = take(len - 3);
        assert_eq!((shorter.as_ptr(), shorter.len()), (ptr, len - 3));
        give(shorter);
        // A buffer only shrinks: a longer request than it holds gets a fresh buffer.
        let longer = take(len);
        assert_ne!(longer.as_ptr(), ptr);
        assert_eq!(longer.len(), len);
        clear();
    }
}
