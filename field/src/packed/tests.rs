//! Every compiled backend against the scalar field, lane by lane.

use super::*;
use crate::goldilocks::tests::edge_u64;
use proptest::prelude::*;

/// Checks one backend on `2·WIDTH` inputs (edge-heavy, so carries and borrows are hit).
fn check_backend<F: PackedField>(a: &[u64], b: &[u64]) -> Result<(), TestCaseError> {
    let xs: Vec<Goldilocks> = a.iter().map(|&v| Goldilocks::new(v)).collect();
    let ys: Vec<Goldilocks> = b.iter().map(|&v| Goldilocks::new(v)).collect();
    for (x, y) in xs.chunks_exact(F::WIDTH).zip(ys.chunks_exact(F::WIDTH)) {
        let (px, py) = (F::load(x), F::load(y));
        let lanes = |f: &dyn Fn(Goldilocks, Goldilocks) -> Goldilocks| -> Vec<Goldilocks> {
            x.iter().zip(y).map(|(&u, &v)| f(u, v)).collect()
        };
        prop_assert_eq!((px + py).to_vec(), lanes(&|u, v| u + v));
        prop_assert_eq!((px - py).to_vec(), lanes(&|u, v| u - v));
        prop_assert_eq!((px * py).to_vec(), lanes(&|u, v| u * v));
        prop_assert_eq!((-px).to_vec(), lanes(&|u, _| -u));
        prop_assert_eq!(px.square().to_vec(), lanes(&|u, _| u * u));
        prop_assert_eq!(px.double().to_vec(), lanes(&|u, _| u + u));
        prop_assert_eq!(
            px.mul_2exp48().to_vec(),
            lanes(&|u, _| u * Goldilocks::new(1 << 48))
        );
        prop_assert_eq!(F::broadcast(x[0]).to_vec(), vec![x[0]; F::WIDTH]);
        // At every offset of a cache line and beyond: streamed where aligned, stored elsewhere,
        // the same cells written either way and no others.
        let nine = core::mem::MaybeUninit::new(Goldilocks::new(9));
        let mut buffer = vec![nine; 3 * 8 + F::WIDTH];
        let line = buffer.as_ptr().align_offset(crate::alloc::CACHE_LINE_BYTES);
        for at in line..line + 16 {
            buffer.fill(nine);
            // SAFETY: fenced at once, on this thread, before the buffer is read.
            unsafe { px.store_streaming(&mut buffer[at..]) };
            streaming_fence();
            // SAFETY: every element was initialized, by `fill` or by the store.
            let buffer = unsafe { buffer.assume_init_ref() };
            let mut expected = vec![Goldilocks::new(9); buffer.len()];
            expected[at..at + F::WIDTH].copy_from_slice(x);
            prop_assert_eq!(buffer, &expected[..], "offset {}", at - line);
        }
        let mut block = 1;
        while block < F::WIDTH {
            let (ix, iy) = px.interleave(py, block);
            let (ex, ey) = reference_interleave(x, y, block);
            prop_assert_eq!(ix.to_vec(), ex);
            prop_assert_eq!(iy.to_vec(), ey);
            let (back_x, back_y) = ix.interleave(iy, block);
            prop_assert_eq!((back_x, back_y), (px, py));
            block *= 2;
        }
    }
    Ok(())
}

fn reference_interleave(
    a: &[Goldilocks],
    b: &[Goldilocks],
    block: usize,
) -> (Vec<Goldilocks>, Vec<Goldilocks>) {
    let (mut x, mut y) = (vec![], vec![]);
    for pair in (0..a.len()).step_by(2 * block) {
        x.extend_from_slice(&a[pair..pair + block]);
        x.extend_from_slice(&b[pair..pair + block]);
        y.extend_from_slice(&a[pair + block..pair + 2 * block]);
        y.extend_from_slice(&b[pair + block..pair + 2 * block]);
    }
    (x, y)
}

fn inputs() -> impl Strategy<Value = (Vec<u64>, Vec<u64>)> {
    (
        proptest::collection::vec(edge_u64(), 16),
        proptest::collection::vec(edge_u64(), 16),
    )
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(2000))]

    #[test]
    fn portable_matches_scalar((a, b) in inputs()) {
        check_backend::<PackedPortable>(&a, &b)?;
    }

    #[test]
    fn selected_backend_matches_scalar((a, b) in inputs()) {
        check_backend::<PackedGoldilocks>(&a, &b)?;
    }
}

#[cfg(all(target_arch = "x86_64", target_feature = "avx2"))]
proptest! {
    #![proptest_config(ProptestConfig::with_cases(2000))]
    #[test]
    fn avx2_matches_scalar((a, b) in inputs()) {
        check_backend::<PackedAvx2>(&a, &b)?;
    }
}

#[cfg(all(target_arch = "x86_64", target_feature = "avx512f"))]
proptest! {
    #![proptest_config(ProptestConfig::with_cases(2000))]
    #[test]
    fn avx512_matches_scalar((a, b) in inputs()) {
        check_backend::<PackedAvx512>(&a, &b)?;
    }
}

#[cfg(all(target_arch = "aarch64", target_feature = "neon"))]
proptest! {
    #![proptest_config(ProptestConfig::with_cases(2000))]
    #[test]
    fn neon_matches_scalar((a, b) in inputs()) {
        check_backend::<PackedNeon>(&a, &b)?;
    }
}

#[test]
fn extreme_lanes_multiply_correctly() {
    // (p−1)² and products whose high word is all ones stress every correction in `reduce`.
    let extremes = [
        P - 1,
        P - 2,
        EPSILON,
        EPSILON + 1,
        1 << 32,
        (1 << 63) + 5,
        0,
        1,
    ];
    let a: Vec<u64> = extremes.iter().cycle().take(16).copied().collect();
    let b: Vec<u64> = extremes.iter().rev().cycle().take(16).copied().collect();
    check_backend::<PackedGoldilocks>(&a, &b).unwrap();
    check_backend::<PackedGoldilocks>(&a, &a).unwrap();
}

use crate::goldilocks::{EPSILON, P};
