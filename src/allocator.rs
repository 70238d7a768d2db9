//! Keeping freed memory in the process, so that large buffers are recycled instead of
//! faulted in afresh.
//!
//! A proof allocates and frees buffers of tens to hundreds of MiB (trace columns, LDEs,
//! composition and FRI layers) over and over. glibc serves every allocation above 128 KiB with
//! a fresh `mmap` and returns it with `munmap` on free, so each new buffer is zero-filled page
//! by page by the kernel: `perf` on `zkevm prove --n 3000` put 65 % of all samples in
//! `clear_page_erms`, and the run spent twice as long in the kernel as in our code. With
//! `mmap` disabled for allocations and heap trimming off, freed buffers go back to malloc's
//! free lists and the next buffer reuses them already mapped (`zkevm prove --n 3000`: prove
//! 6.9 s → 2.5 s, peak memory 1.89 → 1.95 GiB).
//!
//! Threads other than the main one allocate from their own arenas, and glibc serves a large
//! allocation there from a fresh mapping whatever `M_MMAP_MAX` says (a thread arena's heap is
//! at most 64 MiB): every LDE buffer a rayon worker allocated was unmapped on free and faulted
//! in again. One arena for all threads keeps those buffers too: the built-in `cargo run
//! --release` proof takes 0.64–0.69M page faults instead of 1.17M (`/usr/bin/time`, three runs
//! each), at the same peak memory (7.6 GiB). Its kernel time stays noisy either way (4–30 s
//! per run, with how readily the kernel finds huge pages), so the fault count is the figure
//! to trust. Small allocations of the two threads then share one lock, which cost nothing
//! measurable here (user time unchanged); on many cores that is worth measuring again.
//!
//! The cost: memory freed by the process is kept until it exits (its peak resident size is
//! what it keeps). The CLI calls [`keep_freed_memory`] first thing; a library embedding the
//! prover decides for its own process.

/// Tells glibc's malloc to serve large allocations from its heap and never return freed heap
/// memory to the system. Returns whether the settings took effect (false on other C
/// libraries and operating systems, where it does nothing).
pub fn keep_freed_memory() -> bool {
    #[cfg(all(target_os = "linux", target_env = "gnu"))]
    {
        // SAFETY: `mallopt` only changes malloc's tuning parameters; it is called before any
        // thread of ours starts, and glibc serializes it with allocation anyway.
        unsafe {
            // No allocation is served by mmap (so none is unmapped on free), and the heap is
            // trimmed only above 2 GiB of free top. Not −1 ("never"): glibc's trimming
            // arithmetic overflows on it and then trims always (measured: as slow as the
            // defaults).
            let no_mmap = libc::mallopt(libc::M_MMAP_MAX, 0) == 1;
            let no_trim = libc::mallopt(libc::M_TRIM_THRESHOLD, i32::MAX) == 1;
            // Every thread allocates from the main heap, where the two settings above hold.
            let one_arena = libc::mallopt(libc::M_ARENA_MAX, 1) == 1;
            no_mmap && no_trim && one_arena
        }
    }
    #[cfg(not(all(target_os = "linux", target_env = "gnu")))]
    {
        false
    }
}
