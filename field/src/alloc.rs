//! Large buffers backed by transparent huge pages: zeroed ([`zeroed_vec`]), or only reserved
//! for a caller that writes every element itself ([`reserved_vec`]).
//!
//! An LDE of 64 columns × 2^19 rows is 256 MiB. Touching that much fresh memory in 4 KiB pages
//! costs one page fault per 4 KiB, which measured here at about 200 ms — as long as the
//! transforms themselves. Asking the kernel for 2 MiB pages before the first touch cuts the
//! faults 512-fold. The result is a plain `Vec`, freed as usual.
//!
//! The zeros are written on every thread. The CLI keeps freed memory in malloc's heap
//! (`zkevm::allocator`), and `alloc_zeroed` clears recycled memory with one `memset` on the
//! calling thread: `perf` of `zkevm bench keccak` found that clearing the prover's fresh LDE
//! buffers (885 MB for the main trace) at about 140 ms of each 2.2 s proof, the other core
//! idle. Written in parallel chunks, it also spreads the first-touch page faults of memory the
//! process has never used over the threads. (Memory fresh from the kernel, which a process
//! that returns freed memory gets for every large buffer, is then written twice: once here,
//! once by the caller. The faults, the larger cost, are paid once either way.)

use crate::Goldilocks;
use rayon::prelude::*;
use std::alloc::{alloc, handle_alloc_error, Layout};

/// The line size we align rows to and stream in whole (x86-64's cache line; Apple's aarch64
/// cores have 128-byte lines, where two of ours make one): the row-major LDE streams a row's
/// whole lines when rows are a whole number of them apart
/// ([`crate::ntt::coset_lde_rows_from_coefficients_into`]).
pub const CACHE_LINE_BYTES: usize = 64;

/// Buffers at least this large are advised to use huge pages (smaller ones gain nothing).
const HUGE_PAGE_THRESHOLD_BYTES: usize = 4 << 20;

/// A vector of `len` zeros; large ones are backed by transparent huge pages where the OS
/// allows it (Linux with THP in `madvise` or `always` mode).
pub fn zeroed_vec(len: usize) -> Vec<Goldilocks> {
    let bytes =
        (len.checked_mul(core::mem::size_of::<Goldilocks>())).expect("buffer size overflows");
    if bytes < HUGE_PAGE_THRESHOLD_BYTES {
        return vec![Goldilocks::ZERO; len];
    }
    let layout = Layout::array::<Goldilocks>(len).expect("buffer size overflows");
    // SAFETY: layout has non-zero size (bytes ≥ threshold). `write_zeros` sets every byte
    // before the Vec exists, and all-zero bytes are the valid element 0, so the memory is
    // initialized for `len` elements; Vec frees it with the same layout (Global allocator,
    // Layout::array::<Goldilocks>(capacity)).
    unsafe {
        let ptr = alloc(layout);
        if ptr.is_null() {
            handle_alloc_error(layout);
        }
        advise_huge_pages(ptr, bytes);
        write_zeros(ptr, bytes);
        Vec::from_raw_parts(ptr.cast::<Goldilocks>(), len, len)
    }
}

/// Zeroes `bytes` bytes from `ptr`, spread over the rayon pool in chunks that end on 2 MiB
/// boundaries (a huge page each, so no two threads fault the same one).
///
/// # Safety
/// `ptr` must be valid for writes of `bytes` bytes, and nothing else may access that memory
/// meanwhile.
unsafe fn write_zeros(ptr: *mut u8, bytes: usize) {
    const CHUNK: usize = 2 << 20;
    // (An exposed address, not a pointer, crosses the threads: raw pointers are not `Send`.)
    let start = ptr.expose_provenance();
    let end = start + bytes;
    let first_chunk = start / CHUNK;
    (first_chunk..end.div_ceil(CHUNK))
        .into_par_iter()
        .for_each(|chunk| {
            let from = (chunk * CHUNK).max(start);
            let to = ((chunk + 1) * CHUNK).min(end);
            // SAFETY: the chunks are disjoint and lie within the caller's `bytes` from `ptr`,
            // whose provenance was exposed above.
            unsafe {
                core::ptr::write_bytes(
                    core::ptr::with_exposed_provenance_mut::<u8>(from),
                    0,
                    to - from,
                )
            }
        });
}

/// An empty vector with room for `len` elements, for a caller that writes every element it
/// uses (through `spare_capacity_mut`) before setting the length: no clearing pass, where
/// [`zeroed_vec`] writes every byte once more. Large ones are advised to huge pages as
/// [`zeroed_vec`]'s are. (Clearing the prover's 1.2 GB of LDE rows per Keccak bench proof
/// cost about 40 ms of `memset` that the LDE then overwrote.)
pub fn reserved_vec(len: usize) -> Vec<Goldilocks> {
    let mut vector: Vec<Goldilocks> = Vec::with_capacity(len);
    let bytes = len.saturating_mul(core::mem::size_of::<Goldilocks>());
    if bytes >= HUGE_PAGE_THRESHOLD_BYTES {
        advise_huge_pages(vector.as_mut_ptr().cast(), bytes);
    }
    vector
}

#[cfg(target_os = "linux")]
fn advise_huge_pages(ptr: *mut u8, bytes: usize) {
    // Advice covers whole pages, and a 2 MiB block gets a huge page only if all of it is
    // advised, so the range is widened outward to page boundaries: trimming it inward lost the
    // last huge page of every buffer whose start is not 2 MiB-aligned (half of a 4 MiB column).
    // The widened edges may hold neighbouring allocations; the advice only changes how memory
    // is backed, never its contents, so that is harmless.
    let page = 4096usize;
    let start = ptr as usize / page * page;
    let end = (ptr as usize + bytes).div_ceil(page) * page;
    // SAFETY: the range covers our own allocation plus the partial pages at its edges, all
    // mapped; MADV_HUGEPAGE never changes contents. Failure (THP disabled) is harmless.
    unsafe {
        libc::madvise(start as *mut libc::c_void, end - start, libc::MADV_HUGEPAGE);
    }
}

#[cfg(not(target_os = "linux"))]
fn advise_huge_pages(_ptr: *mut u8, _bytes: usize) {}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn write_zeros_clears_every_byte_and_no_other() {
        // Lengths and offsets that start and end off the 2 MiB chunk boundaries.
        for (offset, len) in [
            (0, 1),
            (3, (5 << 20) + 3),
            (4096, 2 << 20),
            (7, (2 << 20) - 9),
        ] {
            let mut buffer = vec![0xffu8; offset + len + 5];
            // SAFETY: `offset + len` lies within the buffer, borrowed mutably here.
            unsafe { write_zeros(buffer.as_mut_ptr().add(offset), len) };
            assert!(buffer[..offset].iter().all(|&b| b == 0xff));
            assert!(buffer[offset..offset + len].iter().all(|&b| b == 0));
            assert!(buffer[offset + len..].iter().all(|&b| b == 0xff));
        }
    }

    #[test]
    fn zeroed_vectors_are_zero_and_usable() {
        // Keep freed memory in the heap, as the CLI does, so the large buffers below recycle
        // the garbage-filled one instead of getting the kernel's fresh zero pages.
        #[cfg(all(target_os = "linux", target_env = "gnu"))]
        // SAFETY: only changes malloc's tuning.
        unsafe {
            libc::mallopt(libc::M_MMAP_MAX, 0);
        }
        let garbage = vec![Goldilocks::NEG_ONE; (8 << 20) / 8 + 3];
        drop(std::hint::black_box(garbage));
        for len in [0, 1, 1000, (8 << 20) / 8 + 3, (3 << 20) + 5] {
            let mut v = zeroed_vec(len);
            assert_eq!(v.len(), len);
            assert!(v.iter().all(|x| *x == Goldilocks::ZERO));
            if len > 0 {
                v[len - 1] = Goldilocks::ONE;
                v.push(Goldilocks::TWO);
                assert_eq!(v[len], Goldilocks::TWO);
            }
        }
    }
}
