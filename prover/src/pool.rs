//! A process-wide pool of large field-element buffers.
//!
//! Touching fresh memory costs one page fault per page: for the 1 GiB main LDE of 64 columns
//! × 2^18 rows (blowup 8) that measured 0.8 s here, as long as the transforms. Proving one
//! block after another reuses the same sizes, so buffers freed by one proof are kept (up to
//! [`MAX_POOLED_BYTES`]) and handed to the next. Contents of a reused buffer are arbitrary:
//! callers overwrite every element.

use std::sync::Mutex;
use zkevm_field::Goldilocks;

/// Most memory the pool keeps.
pub const MAX_POOLED_BYTES: usize = 4 << 30;
/// Buffers smaller than this are not worth pooling.
const MIN_POOLED_LEN: usize = 1 << 18;

static POOL: Mutex<Vec<Vec<Goldilocks>>> = Mutex::new(Vec::new());

/// A buffer of exactly `len` elements with arbitrary contents.
pub fn take(len: usize) -> Vec<Goldilocks> {
    if len >= MIN_POOLED_LEN {
        if let Ok(mut pool) = POOL.lock() {
            if let Some(i) = pool.iter().position(|b| b.len() == len) {
                return pool.swap_remove(i);
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
        let held: usize = pool.iter().map(|b| b.len() * 8).sum();
        if held + buffer.len() * 8 <= MAX_POOLED_BYTES {
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
