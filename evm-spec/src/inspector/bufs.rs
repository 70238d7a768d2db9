//! Growth of the witness's large vectors (steps, RW log, ALU rows): capacity doubles, and every
//! buffer of at least 64 MiB is advised as transparent-huge-page backed (THP is commonly in
//! `madvise` mode), so that filling it takes one page fault per 2 MiB instead of one per 4 KiB.
//! Contents and semantics are those of a plain `Vec`.

/// Buffers of at least this size are always mapped on their own by the allocator (glibc's
/// largest dynamic mmap threshold), so advising their whole mapping touches nothing else.
const MMAPPED_BYTES: usize = 64 << 20;

/// First capacity of a grown vector.
const MIN_CAPACITY: usize = 1024;

/// `v.push(x)`, growing through [`grow`] when full.
#[inline(always)]
pub(super) fn push<T>(v: &mut Vec<T>, x: T) {
    if v.len() == v.capacity() {
        grow(v, 1);
    }
    v.push(x);
}

/// Makes room for `additional` more elements (doubling, with huge-page advice).
#[inline(always)]
pub(super) fn reserve<T>(v: &mut Vec<T>, additional: usize) {
    if v.capacity() - v.len() < additional {
        grow(v, additional);
    }
}

#[cold]
#[inline(never)]
fn grow<T>(v: &mut Vec<T>, additional: usize) {
    let need = v.len().saturating_add(additional);
    let cap = v.capacity().saturating_mul(2).max(need).max(MIN_CAPACITY);
    v.reserve_exact(cap - v.len());
    let bytes = v.capacity().saturating_mul(std::mem::size_of::<T>());
    if bytes >= MMAPPED_BYTES {
        advise_huge_pages(v.as_mut_ptr().cast::<u8>(), bytes);
    }
}

#[cfg(target_os = "linux")]
fn advise_huge_pages(ptr: *mut u8, bytes: usize) {
    // The whole mapping is advised, from the page holding the allocator's chunk header to the
    // end of the last page: advising only part of it would split the mapping, and the
    // allocator could then no longer grow it in place (`mremap`) but would copy it instead.
    // The kernel backs its 2 MiB-aligned parts with huge pages.
    let page = 4096usize;
    let start = (ptr as usize) / page * page;
    let end = (ptr as usize).saturating_add(bytes).div_ceil(page) * page;
    if end > start {
        // SAFETY: MADV_HUGEPAGE only changes how the kernel backs these pages (all of them
        // belong to the allocation's own mapping), never their contents. Failure (THP
        // disabled) is harmless.
        unsafe {
            libc::madvise(start as *mut libc::c_void, end - start, libc::MADV_HUGEPAGE);
        }
    }
}

#[cfg(not(target_os = "linux"))]
fn advise_huge_pages(_ptr: *mut u8, _bytes: usize) {}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn grown_vectors_behave_like_vecs() {
        let mut v: Vec<[u64; 4]> = Vec::new();
        for i in 0..200_000u64 {
            push(&mut v, [i, i + 1, i + 2, i + 3]);
        }
        reserve(&mut v, 1_000_000);
        assert!(v.capacity() >= 1_200_000);
        assert_eq!(v.len(), 200_000);
        assert!(v
            .iter()
            .enumerate()
            .all(|(i, x)| x[0] == i as u64 && x[3] == i as u64 + 3));
    }
}
