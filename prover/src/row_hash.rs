//! Hashing many trace rows at once: Blake3 of each row's bytes, eight rows per AVX2 pass.
//!
//! A row of `w ≤ 128` Goldilocks elements is at most one Blake3 chunk (1 KiB), so its hash is
//! a chain of compressions of its 64-byte blocks (chunk counter 0, `CHUNK_START` on the first
//! block, `CHUNK_END | ROOT` on the last). Eight independent rows are compressed side by side,
//! one row per 32-bit lane. The result is bit-for-bit `blake3::hash(row bytes)`, which is what
//! winterfell's `Blake3_256::hash_elements` computes for a canonical field (tested below), so
//! the verifier's leaf hashes agree. Other hashers, widths and targets take the scalar path.

#[cfg(any(target_arch = "x86_64", test))]
use crate::Hash;
use rayon::prelude::*;
use winter_crypto::ElementHasher;
use winter_utils::Deserializable;
use zkevm_field::Goldilocks;

/// Elements copied and hashed per rayon task (32 KiB: stays in L1/L2).
const BLOCK_ELEMENTS: usize = 4096;

/// Copies column-major `columns` (equal lengths) into one row-major buffer (from the
/// [`crate::pool`]) and hashes every row, block by block while the rows are in cache.
pub fn transpose_and_hash<H>(columns: &[Vec<Goldilocks>]) -> (Vec<Goldilocks>, Vec<H::Digest>)
where
    H: ElementHasher<BaseField = Goldilocks> + 'static,
    H::Digest: Send,
{
    let width = columns.len();
    let rows = columns.first().map_or(0, Vec::len);
    let block_rows = (BLOCK_ELEMENTS / width.max(1)).max(8);
    let mut data = crate::pool::take(rows * width);
    let mut digests = vec![H::Digest::default(); rows];
    data.par_chunks_mut(block_rows * width)
        .zip(digests.par_chunks_mut(block_rows))
        .enumerate()
        .for_each(|(block, (chunk, out))| {
            let r0 = block * block_rows;
            let count = chunk.len() / width;
            for (c, column) in columns.iter().enumerate() {
                for (r, &value) in column[r0..r0 + count].iter().enumerate() {
                    chunk[r * width + c] = value;
                }
            }
            hash_rows::<H>(chunk, width, out);
        });
    (data, digests)
}

/// Hashes `data` (row-major, `width` elements per row) into `out`, one digest per row.
pub fn hash_rows<H>(data: &[Goldilocks], width: usize, out: &mut [H::Digest])
where
    H: ElementHasher<BaseField = Goldilocks> + 'static,
{
    let rows = out.len();
    debug_assert_eq!(data.len(), rows * width);
    #[allow(unused_mut)]
    let mut done = 0;
    #[cfg(target_arch = "x86_64")]
    if core::any::TypeId::of::<H>() == core::any::TypeId::of::<Hash>()
        && (1..=128).contains(&width)
        && avx2::available()
    {
        let mut digests = [[0u8; 32]; 8];
        while done + 8 <= rows {
            avx2::hash8(&data[done * width..(done + 8) * width], width, &mut digests);
            for (slot, bytes) in out[done..done + 8].iter_mut().zip(&digests) {
                if let Ok(d) = H::Digest::read_from_bytes(bytes) {
                    *slot = d;
                }
            }
            done += 8;
        }
    }
    for (r, slot) in out.iter_mut().enumerate().skip(done) {
        *slot = H::hash_elements(&data[r * width..(r + 1) * width]);
    }
}

#[cfg(target_arch = "x86_64")]
mod avx2 {
    use core::arch::x86_64::*;
    use zkevm_field::Goldilocks;

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
    const CHUNK_START: u32 = 1;
    const CHUNK_END: u32 = 2;
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

    pub fn available() -> bool {
        std::is_x86_feature_detected!("avx2")
    }

    /// Blake3 of eight rows of `width` elements (`8·width ≤ 1024` bytes each).
    pub fn hash8(rows: &[Goldilocks], width: usize, out: &mut [[u8; 32]; 8]) {
        assert!(rows.len() == 8 * width && (1..=128).contains(&width));
        // SAFETY: AVX2 was detected by `available`, which every caller checks first; all
        // memory accesses below are to local arrays and to `rows` within bounds.
        unsafe { hash8_avx2(rows, width, out) }
    }

    #[target_feature(enable = "avx2")]
    unsafe fn rot16(x: __m256i) -> __m256i {
        let m = _mm256_setr_epi8(
            2, 3, 0, 1, 6, 7, 4, 5, 10, 11, 8, 9, 14, 15, 12, 13, 2, 3, 0, 1, 6, 7, 4, 5, 10, 11,
            8, 9, 14, 15, 12, 13,
        );
        _mm256_shuffle_epi8(x, m)
    }

    #[target_feature(enable = "avx2")]
    unsafe fn rot8(x: __m256i) -> __m256i {
        let m = _mm256_setr_epi8(
            1, 2, 3, 0, 5, 6, 7, 4, 9, 10, 11, 8, 13, 14, 15, 12, 1, 2, 3, 0, 5, 6, 7, 4, 9, 10,
            11, 8, 13, 14, 15, 12,
        );
        _mm256_shuffle_epi8(x, m)
    }

    #[target_feature(enable = "avx2")]
    unsafe fn rot12(x: __m256i) -> __m256i {
        _mm256_or_si256(_mm256_srli_epi32(x, 12), _mm256_slli_epi32(x, 20))
    }

    #[target_feature(enable = "avx2")]
    unsafe fn rot7(x: __m256i) -> __m256i {
        _mm256_or_si256(_mm256_srli_epi32(x, 7), _mm256_slli_epi32(x, 25))
    }

    /// Transposes eight vectors of eight 32-bit words: `out[w]` lane `i` = `rows[i]` lane `w`.
    #[target_feature(enable = "avx2")]
    unsafe fn transpose8(rows: &[__m256i; 8], out: &mut [__m256i]) {
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
        for k in 0..4 {
            out[k] = _mm256_permute2x128_si256(u[k], u[k + 4], 0x20);
            out[k + 4] = _mm256_permute2x128_si256(u[k], u[k + 4], 0x31);
        }
    }

    #[inline(always)]
    #[allow(clippy::too_many_arguments)]
    unsafe fn g(
        v: &mut [__m256i; 16],
        a: usize,
        b: usize,
        c: usize,
        d: usize,
        x: __m256i,
        y: __m256i,
    ) {
        v[a] = _mm256_add_epi32(_mm256_add_epi32(v[a], v[b]), x);
        v[d] = rot16(_mm256_xor_si256(v[d], v[a]));
        v[c] = _mm256_add_epi32(v[c], v[d]);
        v[b] = rot12(_mm256_xor_si256(v[b], v[c]));
        v[a] = _mm256_add_epi32(_mm256_add_epi32(v[a], v[b]), y);
        v[d] = rot8(_mm256_xor_si256(v[d], v[a]));
        v[c] = _mm256_add_epi32(v[c], v[d]);
        v[b] = rot7(_mm256_xor_si256(v[b], v[c]));
    }

    #[target_feature(enable = "avx2")]
    unsafe fn hash8_avx2(rows: &[Goldilocks], width: usize, out: &mut [[u8; 32]; 8]) {
        let bytes_per_row = 8 * width;
        let blocks = bytes_per_row.div_ceil(64);
        let mut cv = [_mm256_setzero_si256(); 8];
        for (i, word) in cv.iter_mut().enumerate() {
            *word = _mm256_set1_epi32(IV[i] as i32);
        }
        for block in 0..blocks {
            let start = block * 64;
            let len = (bytes_per_row - start).min(64);
            let mut m = [_mm256_setzero_si256(); 16];
            if len == 64 {
                // Full block: load 64 bytes of each row and transpose 8×8 words twice.
                let mut lo = [_mm256_setzero_si256(); 8];
                let mut hi = [_mm256_setzero_si256(); 8];
                for lane in 0..8 {
                    let p = rows[lane * width + start / 8..].as_ptr().cast::<__m256i>();
                    lo[lane] = _mm256_loadu_si256(p);
                    hi[lane] = _mm256_loadu_si256(p.add(1));
                }
                let (a, b) = m.split_at_mut(8);
                transpose8(&lo, a);
                transpose8(&hi, b);
            } else {
                // Last, partial block: zero-padded words, gathered lane by lane.
                let mut lanes = [[0u32; 8]; 16];
                for (lane, row) in rows.chunks_exact(width).enumerate() {
                    for (k, element) in row[start / 8..].iter().enumerate() {
                        let v = element.as_u64();
                        lanes[2 * k][lane] = v as u32;
                        lanes[2 * k + 1][lane] = (v >> 32) as u32;
                    }
                }
                for (w, words) in lanes.iter().enumerate() {
                    m[w] = _mm256_loadu_si256(words.as_ptr().cast());
                }
            }
            let mut flags = 0;
            if block == 0 {
                flags |= CHUNK_START;
            }
            if block + 1 == blocks {
                flags |= CHUNK_END | ROOT;
            }
            let mut v = [
                cv[0],
                cv[1],
                cv[2],
                cv[3],
                cv[4],
                cv[5],
                cv[6],
                cv[7],
                _mm256_set1_epi32(IV[0] as i32),
                _mm256_set1_epi32(IV[1] as i32),
                _mm256_set1_epi32(IV[2] as i32),
                _mm256_set1_epi32(IV[3] as i32),
                _mm256_setzero_si256(),
                _mm256_setzero_si256(),
                _mm256_set1_epi32(len as i32),
                _mm256_set1_epi32(flags as i32),
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
            for i in 0..8 {
                cv[i] = _mm256_xor_si256(v[i], v[i + 8]);
            }
        }
        let mut words = [[0u32; 8]; 8];
        for (i, word) in cv.iter().enumerate() {
            _mm256_storeu_si256(words[i].as_mut_ptr().cast(), *word);
        }
        for (lane, digest) in out.iter_mut().enumerate() {
            for i in 0..8 {
                digest[4 * i..4 * i + 4].copy_from_slice(&words[i][lane].to_le_bytes());
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use winter_crypto::Hasher;

    #[test]
    fn batched_hashes_equal_blake3_of_each_row() {
        for width in [1, 2, 7, 8, 9, 16, 33, 64, 100, 128, 129] {
            let rows = 21;
            let data: Vec<Goldilocks> = (0..rows * width)
                .map(|i| Goldilocks::new((i as u64).wrapping_mul(0x9e37_79b9_7f4a_7c15)))
                .collect();
            let mut out = vec![<Hash as Hasher>::Digest::default(); rows];
            hash_rows::<Hash>(&data, width, &mut out);
            for (r, digest) in out.iter().enumerate() {
                let row = &data[r * width..(r + 1) * width];
                assert_eq!(*digest, Hash::hash_elements(row), "width {width}, row {r}");
            }
        }
    }
}
