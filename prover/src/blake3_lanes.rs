//! Blake3 of many equal-length messages side by side: one message per 32-bit SIMD lane, eight
//! per AVX2 pass and sixteen per AVX-512 pass.
//!
//! A message of one chunk (1 KiB) or less hashes to a chain of compressions of its 64-byte
//! blocks (chunk counter 0, `CHUNK_START` on the first block, `CHUNK_END | ROOT` on the last,
//! the last block zero-padded with its true length). A longer one (a trace row of more than
//! 128 elements) chains each chunk alike under its own counter, without `ROOT`, and joins
//! the chunks' chaining values in Blake3's tree: the left subtree holds the largest power of
//! two of chunks that leaves the right one non-empty, each join is one `PARENT` compression of
//! the two 32-byte values, the last one also `ROOT`. Messages of one length take the same
//! steps, so their compressions run in lockstep. The prover hashes two kinds this way: trace
//! rows (Merkle leaves) and pairs of child digests (Merkle nodes: 64 bytes, one block). The
//! result is bit-for-bit `blake3::hash`, checked against it in the tests below; lengths and
//! targets without a SIMD path use `blake3::hash` itself.

/// Bytes of a Blake3 chunk.
const CHUNK_LEN: usize = 1024;
/// Most chunks of a message the lanes take (4 KiB: a row of 512 elements, beyond
/// winterfell's 255 columns even of the quadratic extension).
const MAX_CHUNKS: usize = 4;
/// Longest message the lanes take.
pub const MAX_LEN: usize = MAX_CHUNKS * CHUNK_LEN;

/// Blake3 of each of the `out.len()` messages of `len` bytes that start `stride` bytes apart in
/// `bytes` (message `i` is `bytes[i·stride .. i·stride + len]`; the bytes between are skipped).
///
/// # Panics
/// If `len` is 0 or above [`MAX_LEN`], `stride < len`, or `bytes` is not `out.len()` strides.
pub fn hash_many(bytes: &[u8], len: usize, stride: usize, out: &mut [[u8; 32]]) {
    assert!((1..=MAX_LEN).contains(&len), "message length {len}");
    assert!(stride >= len, "messages of {len} bytes {stride} apart");
    assert_eq!(bytes.len(), stride * out.len(), "messages and digests");
    #[cfg(target_arch = "x86_64")]
    let done = x86::hash_many(bytes, len, stride, out);
    #[cfg(not(target_arch = "x86_64"))]
    let done = 0;
    for (i, digest) in out.iter_mut().enumerate().skip(done) {
        *digest = blake3::hash(&bytes[i * stride..][..len]).into();
    }
}

#[cfg(target_arch = "x86_64")]
mod x86 {
    use core::arch::x86_64::*;

    const IV: [u32; 8] = [
        0x6A09_E667,
        0xBB67_AE85,
        0x3C6E_F372,
        0xA54F_F53A,
        0x510E_527F,
        0x9B05_688C,
        0x1F83_D9AB,
        0x5BE0_CD19,
    ];
    use super::{CHUNK_LEN, MAX_CHUNKS};

    const CHUNK_START: u32 = 1;
    const CHUNK_END: u32 = 2;
    const PARENT: u32 = 4;
    const ROOT: u32 = 8;
    /// Message word order of each round.
    const SCHEDULE: [[usize; 16]; 7] = [
        [0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15],
        [2, 6, 3, 10, 7, 0, 4, 13, 1, 11, 12, 5, 9, 14, 15, 8],
        [3, 4, 10, 12, 13, 2, 7, 14, 6, 5, 9, 0, 11, 15, 8, 1],
        [10, 7, 12, 9, 14, 3, 13, 15, 4, 0, 11, 2, 5, 8, 1, 6],
        [12, 13, 9, 11, 15, 10, 14, 8, 7, 2, 5, 3, 0, 1, 6, 4],
        [9, 14, 11, 5, 8, 12, 15, 1, 13, 3, 0, 10, 2, 6, 4, 7],
        [11, 15, 5, 0, 1, 9, 8, 6, 14, 10, 2, 12, 3, 4, 7, 13],
    ];

    /// Hashes as many leading messages as a SIMD path takes (a multiple of its lanes) and
    /// returns how many.
    pub fn hash_many(bytes: &[u8], len: usize, stride: usize, out: &mut [[u8; 32]]) -> usize {
        #[cfg(target_feature = "avx512f")]
        {
            // SAFETY: AVX-512F is enabled at compile time.
            unsafe { hash_groups::<__m512i>(bytes, len, stride, out) }
        }
        #[cfg(not(target_feature = "avx512f"))]
        {
            if std::is_x86_feature_detected!("avx2") {
                // SAFETY: AVX2 was just detected.
                unsafe { hash_groups_avx2(bytes, len, stride, out) }
            } else {
                0
            }
        }
    }

    #[cfg(not(target_feature = "avx512f"))]
    #[target_feature(enable = "avx2")]
    unsafe fn hash_groups_avx2(
        bytes: &[u8],
        len: usize,
        stride: usize,
        out: &mut [[u8; 32]],
    ) -> usize {
        hash_groups::<__m256i>(bytes, len, stride, out)
    }

    /// Eight or sixteen 32-bit lanes and the operations a compression needs.
    trait Lanes: Copy {
        const N: usize;
        unsafe fn splat(x: u32) -> Self;
        unsafe fn add(a: Self, b: Self) -> Self;
        unsafe fn xor(a: Self, b: Self) -> Self;
        unsafe fn rot16(x: Self) -> Self;
        unsafe fn rot12(x: Self) -> Self;
        unsafe fn rot8(x: Self) -> Self;
        unsafe fn rot7(x: Self) -> Self;
        /// The sixteen message words of one full block of `N` messages `stride` bytes apart
        /// from `p`: word `w`, lane `i` = the 32-bit word at `p + i·stride + 4w`.
        unsafe fn load_block(p: *const u8, stride: usize) -> [Self; 16];
        unsafe fn load_words(words: &[u32]) -> Self;
        unsafe fn store_words(x: Self, words: &mut [u32]);
    }

    /// Hashes the messages in groups of `L::N`; returns how many.
    #[inline(always)]
    unsafe fn hash_groups<L: Lanes>(
        bytes: &[u8],
        len: usize,
        stride: usize,
        out: &mut [[u8; 32]],
    ) -> usize {
        let groups = out.len() / L::N;
        for g in 0..groups {
            let first = g * L::N;
            let group = &bytes[first * stride..(first + L::N) * stride];
            hash_group::<L>(group, len, stride, &mut out[first..first + L::N]);
        }
        groups * L::N
    }

    #[inline(always)]
    unsafe fn g<L: Lanes>(v: &mut [L; 16], a: usize, b: usize, c: usize, d: usize, x: L, y: L) {
        v[a] = L::add(L::add(v[a], v[b]), x);
        v[d] = L::rot16(L::xor(v[d], v[a]));
        v[c] = L::add(v[c], v[d]);
        v[b] = L::rot12(L::xor(v[b], v[c]));
        v[a] = L::add(L::add(v[a], v[b]), y);
        v[d] = L::rot8(L::xor(v[d], v[a]));
        v[c] = L::add(v[c], v[d]);
        v[b] = L::rot7(L::xor(v[b], v[c]));
    }

    /// Blake3 of `L::N` messages of `len` bytes, `stride` apart.
    #[inline(always)]
    unsafe fn hash_group<L: Lanes>(group: &[u8], len: usize, stride: usize, out: &mut [[u8; 32]]) {
        debug_assert_eq!(group.len(), L::N * stride);
        let chunks = len.div_ceil(CHUNK_LEN);
        debug_assert!((1..=MAX_CHUNKS).contains(&chunks));
        let mut cvs = [[L::splat(0); 8]; MAX_CHUNKS];
        for (chunk, cv) in cvs.iter_mut().enumerate().take(chunks) {
            *cv = chunk_cv::<L>(group, len, stride, chunk, chunks == 1);
        }
        let root = join::<L>(&cvs[..chunks], true);
        let mut words = [[0u32; 16]; 8];
        for (i, word) in root.iter().enumerate() {
            L::store_words(*word, &mut words[i][..L::N]);
        }
        for (lane, digest) in out.iter_mut().enumerate() {
            for i in 0..8 {
                digest[4 * i..4 * i + 4].copy_from_slice(&words[i][lane].to_le_bytes());
            }
        }
    }

    /// The chaining value of chunk `chunk` of every message (its output when the message is
    /// that one chunk, `root`).
    #[inline(always)]
    unsafe fn chunk_cv<L: Lanes>(
        group: &[u8],
        len: usize,
        stride: usize,
        chunk: usize,
        root: bool,
    ) -> [L; 8] {
        let first = chunk * CHUNK_LEN;
        let end = len.min(first + CHUNK_LEN);
        let blocks = (end - first).div_ceil(64);
        let mut cv: [L; 8] = core::array::from_fn(|i| L::splat(IV[i]));
        for block in 0..blocks {
            let start = first + block * 64;
            let block_len = (end - start).min(64);
            let m = if block_len == 64 {
                L::load_block(group.as_ptr().add(start), stride)
            } else {
                // The message's last, partial block: zero-padded words, gathered message by
                // message.
                let mut lanes = [[0u32; 16]; 16];
                for lane in 0..L::N {
                    let tail = &group[lane * stride + start..lane * stride + end];
                    let mut padded = [0u8; 64];
                    padded[..tail.len()].copy_from_slice(tail);
                    for (w, word) in padded.chunks_exact(4).enumerate() {
                        lanes[w][lane] = u32::from_le_bytes(word.try_into().unwrap_or_default());
                    }
                }
                core::array::from_fn(|w| L::load_words(&lanes[w][..L::N]))
            };
            let mut flags = 0;
            if block == 0 {
                flags |= CHUNK_START;
            }
            if block + 1 == blocks {
                flags |= CHUNK_END;
                if root {
                    flags |= ROOT;
                }
            }
            cv = compress::<L>(&cv, &m, chunk as u32, block_len as u32, flags);
        }
        cv
    }

    /// The subtree over the chaining values `cvs` (one or more chunks): its chaining value,
    /// or with `root` the message's digest.
    #[inline(always)]
    unsafe fn join<L: Lanes>(cvs: &[[L; 8]], root: bool) -> [L; 8] {
        if cvs.len() == 1 {
            return cvs[0];
        }
        // The largest power of two below the count.
        let left_len = 1 << (usize::BITS - 1 - (cvs.len() - 1).leading_zeros());
        let left = join::<L>(&cvs[..left_len], false);
        let right = join::<L>(&cvs[left_len..], false);
        let m: [L; 16] = core::array::from_fn(|w| if w < 8 { left[w] } else { right[w - 8] });
        let iv: [L; 8] = core::array::from_fn(|i| L::splat(IV[i]));
        let flags = PARENT | if root { ROOT } else { 0 };
        compress::<L>(&iv, &m, 0, 64, flags)
    }

    /// One compression of a block `m` into the chaining value `cv`: the first half of the
    /// output (the next chaining value, or a digest under `ROOT`).
    #[inline(always)]
    unsafe fn compress<L: Lanes>(
        cv: &[L; 8],
        m: &[L; 16],
        counter: u32,
        block_len: u32,
        flags: u32,
    ) -> [L; 8] {
        let mut v = [
            cv[0],
            cv[1],
            cv[2],
            cv[3],
            cv[4],
            cv[5],
            cv[6],
            cv[7],
            L::splat(IV[0]),
            L::splat(IV[1]),
            L::splat(IV[2]),
            L::splat(IV[3]),
            L::splat(counter),
            L::splat(0),
            L::splat(block_len),
            L::splat(flags),
        ];
        for s in SCHEDULE.iter() {
            g(&mut v, 0, 4, 8, 12, m[s[0]], m[s[1]]);
            g(&mut v, 1, 5, 9, 13, m[s[2]], m[s[3]]);
            g(&mut v, 2, 6, 10, 14, m[s[4]], m[s[5]]);
            g(&mut v, 3, 7, 11, 15, m[s[6]], m[s[7]]);
            g(&mut v, 0, 5, 10, 15, m[s[8]], m[s[9]]);
            g(&mut v, 1, 6, 11, 12, m[s[10]], m[s[11]]);
            g(&mut v, 2, 7, 8, 13, m[s[12]], m[s[13]]);
            g(&mut v, 3, 4, 9, 14, m[s[14]], m[s[15]]);
        }
        core::array::from_fn(|i| L::xor(v[i], v[i + 8]))
    }

    impl Lanes for __m256i {
        const N: usize = 8;
        #[inline(always)]
        unsafe fn splat(x: u32) -> Self {
            _mm256_set1_epi32(x as i32)
        }
        #[inline(always)]
        unsafe fn add(a: Self, b: Self) -> Self {
            _mm256_add_epi32(a, b)
        }
        #[inline(always)]
        unsafe fn xor(a: Self, b: Self) -> Self {
            _mm256_xor_si256(a, b)
        }
        #[inline(always)]
        unsafe fn rot16(x: Self) -> Self {
            let m = _mm256_setr_epi8(
                2, 3, 0, 1, 6, 7, 4, 5, 10, 11, 8, 9, 14, 15, 12, 13, 2, 3, 0, 1, 6, 7, 4, 5, 10,
                11, 8, 9, 14, 15, 12, 13,
            );
            _mm256_shuffle_epi8(x, m)
        }
        #[inline(always)]
        unsafe fn rot12(x: Self) -> Self {
            _mm256_or_si256(_mm256_srli_epi32(x, 12), _mm256_slli_epi32(x, 20))
        }
        #[inline(always)]
        unsafe fn rot8(x: Self) -> Self {
            let m = _mm256_setr_epi8(
                1, 2, 3, 0, 5, 6, 7, 4, 9, 10, 11, 8, 13, 14, 15, 12, 1, 2, 3, 0, 5, 6, 7, 4, 9,
                10, 11, 8, 13, 14, 15, 12,
            );
            _mm256_shuffle_epi8(x, m)
        }
        #[inline(always)]
        unsafe fn rot7(x: Self) -> Self {
            _mm256_or_si256(_mm256_srli_epi32(x, 7), _mm256_slli_epi32(x, 25))
        }
        #[inline(always)]
        unsafe fn load_block(p: *const u8, stride: usize) -> [Self; 16] {
            let lo: [Self; 8] =
                core::array::from_fn(|i| _mm256_loadu_si256(p.add(i * stride).cast()));
            let hi: [Self; 8] =
                core::array::from_fn(|i| _mm256_loadu_si256(p.add(i * stride + 32).cast()));
            let (a, b) = (transpose8(&lo), transpose8(&hi));
            core::array::from_fn(|w| if w < 8 { a[w] } else { b[w - 8] })
        }
        #[inline(always)]
        unsafe fn load_words(words: &[u32]) -> Self {
            _mm256_loadu_si256(words.as_ptr().cast())
        }
        #[inline(always)]
        unsafe fn store_words(x: Self, words: &mut [u32]) {
            _mm256_storeu_si256(words.as_mut_ptr().cast(), x)
        }
    }

    /// Eight vectors of eight words, transposed: `out[w]` lane `i` = `rows[i]` lane `w`.
    #[inline(always)]
    unsafe fn transpose8(rows: &[__m256i; 8]) -> [__m256i; 8] {
        let t: [__m256i; 8] = [
            _mm256_unpacklo_epi32(rows[0], rows[1]),
            _mm256_unpackhi_epi32(rows[0], rows[1]),
            _mm256_unpacklo_epi32(rows[2], rows[3]),
            _mm256_unpackhi_epi32(rows[2], rows[3]),
            _mm256_unpacklo_epi32(rows[4], rows[5]),
            _mm256_unpackhi_epi32(rows[4], rows[5]),
            _mm256_unpacklo_epi32(rows[6], rows[7]),
            _mm256_unpackhi_epi32(rows[6], rows[7]),
        ];
        // u[k]: words k and k + 4 of lanes 0–3 (u[0..4]) or lanes 4–7 (u[4..8]).
        let u: [__m256i; 8] = [
            _mm256_unpacklo_epi64(t[0], t[2]),
            _mm256_unpackhi_epi64(t[0], t[2]),
            _mm256_unpacklo_epi64(t[1], t[3]),
            _mm256_unpackhi_epi64(t[1], t[3]),
            _mm256_unpacklo_epi64(t[4], t[6]),
            _mm256_unpackhi_epi64(t[4], t[6]),
            _mm256_unpacklo_epi64(t[5], t[7]),
            _mm256_unpackhi_epi64(t[5], t[7]),
        ];
        core::array::from_fn(|w| {
            let k = w % 4;
            match w < 4 {
                true => _mm256_permute2x128_si256(u[k], u[k + 4], 0x20),
                false => _mm256_permute2x128_si256(u[k], u[k + 4], 0x31),
            }
        })
    }

    #[cfg(target_feature = "avx512f")]
    impl Lanes for __m512i {
        const N: usize = 16;
        #[inline(always)]
        unsafe fn splat(x: u32) -> Self {
            _mm512_set1_epi32(x as i32)
        }
        #[inline(always)]
        unsafe fn add(a: Self, b: Self) -> Self {
            _mm512_add_epi32(a, b)
        }
        #[inline(always)]
        unsafe fn xor(a: Self, b: Self) -> Self {
            _mm512_xor_si512(a, b)
        }
        #[inline(always)]
        unsafe fn rot16(x: Self) -> Self {
            _mm512_ror_epi32::<16>(x)
        }
        #[inline(always)]
        unsafe fn rot12(x: Self) -> Self {
            _mm512_ror_epi32::<12>(x)
        }
        #[inline(always)]
        unsafe fn rot8(x: Self) -> Self {
            _mm512_ror_epi32::<8>(x)
        }
        #[inline(always)]
        unsafe fn rot7(x: Self) -> Self {
            _mm512_ror_epi32::<7>(x)
        }
        #[inline(always)]
        unsafe fn load_block(p: *const u8, stride: usize) -> [Self; 16] {
            let rows: [Self; 16] =
                core::array::from_fn(|i| _mm512_loadu_si512(p.add(i * stride).cast()));
            transpose16(&rows)
        }
        #[inline(always)]
        unsafe fn load_words(words: &[u32]) -> Self {
            _mm512_loadu_si512(words.as_ptr().cast())
        }
        #[inline(always)]
        unsafe fn store_words(x: Self, words: &mut [u32]) {
            _mm512_storeu_si512(words.as_mut_ptr().cast(), x)
        }
    }

    /// Sixteen vectors of sixteen words, transposed: `out[w]` lane `i` = `rows[i]` lane `w`.
    ///
    /// Four stages, each interleaving pairs of vectors at a doubling granularity: words
    /// (`unpack*_epi32`), word pairs (`unpack*_epi64`), then 128-bit and 256-bit quarters
    /// (`shuffle_i32x4`).
    #[cfg(target_feature = "avx512f")]
    #[inline(always)]
    unsafe fn transpose16(r: &[__m512i; 16]) -> [__m512i; 16] {
        // Within each 128-bit quarter q of rows 2j and 2j+1: t[2j] holds (r2j[4q], r2j+1[4q],
        // r2j[4q+1], r2j+1[4q+1]), t[2j+1] the same for words 4q+2, 4q+3.
        let t: [__m512i; 16] = core::array::from_fn(|k| {
            let (a, b) = (r[k & !1], r[k | 1]);
            match k % 2 {
                0 => _mm512_unpacklo_epi32(a, b),
                _ => _mm512_unpackhi_epi32(a, b),
            }
        });
        // Rows 4i…4i+3: u[4i + m] holds, in quarter q, word 4q + m of the four rows.
        let u: [__m512i; 16] = core::array::from_fn(|k| {
            let base = k & !3;
            let m = k % 4;
            let (a, b) = (t[base + (m >> 1)], t[base + 2 + (m >> 1)]);
            match m % 2 {
                0 => _mm512_unpacklo_epi64(a, b),
                _ => _mm512_unpackhi_epi64(a, b),
            }
        });
        // Join rows 8h…8h+3 (a) with rows 8h+4…8h+7 (b): v[8h + 4p + m] holds, quarter by
        // quarter, word 8p + m of a, word 8p + 4 + m of a, then the same two of b.
        let v: [__m512i; 16] = core::array::from_fn(|k| {
            let (h, p, m) = (k / 8, k % 8 / 4, k % 4);
            let (a, b) = (u[8 * h + m], u[8 * h + 4 + m]);
            match p {
                0 => _mm512_shuffle_i32x4::<0b01_00_01_00>(a, b),
                _ => _mm512_shuffle_i32x4::<0b11_10_11_10>(a, b),
            }
        });
        // Join rows 0…7 (a) with rows 8…15 (b): word 8p + m is quarters 0 and 2 of each,
        // word 8p + 4 + m quarters 1 and 3.
        let mut out = [_mm512_setzero_si512(); 16];
        for p in 0..2 {
            for m in 0..4 {
                let (a, b) = (v[4 * p + m], v[8 + 4 * p + m]);
                out[8 * p + m] = _mm512_shuffle_i32x4::<0b10_00_10_00>(a, b);
                out[8 * p + 4 + m] = _mm512_shuffle_i32x4::<0b11_01_11_01>(a, b);
            }
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lanes_equal_blake3_for_every_length_and_count() {
        let multi_chunk = [1025, 1088, 1552, 2047, 2048, 2049, 3072, 3100, 4096];
        for len in [1, 7, 8, 32, 63, 64, 65, 128, 160, 511, 512, 1000, 1024]
            .into_iter()
            .chain(multi_chunk)
        {
            // Packed messages, and messages with bytes between them (padded rows).
            for (count, stride) in [0, 1, 8, 15, 16, 17, 33]
                .into_iter()
                .flat_map(|count| [(count, len), (count, len + 40)])
            {
                let bytes: Vec<u8> = (0..stride * count)
                    .map(|i| (i as u64).wrapping_mul(0x9e37_79b9_7f4a_7c15).to_le_bytes()[7])
                    .collect();
                let mut out = vec![[0u8; 32]; count];
                hash_many(&bytes, len, stride, &mut out);
                for (i, digest) in out.iter().enumerate() {
                    let expected = blake3::hash(&bytes[i * stride..][..len]);
                    assert_eq!(
                        digest,
                        expected.as_bytes(),
                        "length {len}, stride {stride}, message {i}"
                    );
                }
            }
        }
    }
}
