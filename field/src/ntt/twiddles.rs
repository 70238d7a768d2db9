//! Tables of roots of unity shared by every transform.
//!
//! Layout: `table[h + j] = ω_{2h}^j` for every power of two `h` and `0 ≤ j < h`, where
//! `ω_{2h} = Goldilocks::root_of_unity(log₂ 2h)`. A radix-2 layer whose butterflies pair
//! elements `h` apart reads exactly `table[h..2h]`, whatever the transform size, so one table
//! grown to the largest size serves all sizes. Entry 0 is unused.

use crate::Goldilocks;
use rayon::prelude::*;
use std::sync::{Arc, OnceLock, RwLock};

/// Forward (`ω`) and inverse (`ω⁻¹`) tables covering layers up to `h = len / 2`, and the
/// cubes radix-4 steps need: `cubes[h + j] = ω_{4h}^{3j}` (likewise inverted).
#[derive(Debug)]
pub struct TwiddleTables {
    pub forward: Vec<Goldilocks>,
    pub inverse: Vec<Goldilocks>,
    pub forward_cubes: Vec<Goldilocks>,
    pub inverse_cubes: Vec<Goldilocks>,
}

impl TwiddleTables {
    fn build(size: usize) -> Self {
        Self {
            forward: build_table(size, false, 1),
            inverse: build_table(size, true, 1),
            forward_cubes: build_table(size / 2, false, 3),
            inverse_cubes: build_table(size / 2, true, 3),
        }
    }

    /// Twiddles of the layer whose butterflies are `half` apart: `ω_{2·half}^j`, `j < half`.
    #[inline(always)]
    pub fn layer(&self, half: usize, inverse: bool) -> &[Goldilocks] {
        let table = if inverse {
            &self.inverse
        } else {
            &self.forward
        };
        &table[half..2 * half]
    }

    /// Twiddles of a radix-4 step over blocks of `4h`: `[u, u², u³]` with `u = ω_{4h}^j`, `j < h`.
    #[inline(always)]
    pub fn radix4(&self, h: usize, inverse: bool) -> [&[Goldilocks]; 3] {
        let cubes = if inverse {
            &self.inverse_cubes
        } else {
            &self.forward_cubes
        };
        [
            &self.layer(2 * h, inverse)[..h],
            self.layer(h, inverse),
            &cubes[h..2 * h],
        ]
    }
}

/// `table[h + j] = r_h^j` for `j < h`, where `r_h = ω_{2h}` (`power == 1`) or, for the radix-4
/// cube table, `r_h = ω_{4h}^3` (`power == 3`); inverted roots when `inverse`.
fn build_table(size: usize, inverse: bool, power: u64) -> Vec<Goldilocks> {
    let size = size.max(2);
    let mut table = vec![Goldilocks::ZERO; size];
    let mut half = 1;
    while half < size {
        let width = if power == 1 { 2 * half } else { 4 * half };
        let mut root = Goldilocks::root_of_unity(width.trailing_zeros()).exp_u64(power);
        if inverse {
            root = root.inverse();
        }
        let layer = &mut table[half..2 * half];
        // Fill in chunks, each starting from root^start, so the work parallelizes.
        const CHUNK: usize = 1 << 12;
        layer
            .par_chunks_mut(CHUNK)
            .enumerate()
            .for_each(|(c, chunk)| {
                let mut value = root.exp_u64((c * CHUNK) as u64);
                for slot in chunk {
                    *slot = value;
                    value *= root;
                }
            });
        half *= 2;
    }
    table
}

fn cache() -> &'static RwLock<Option<Arc<TwiddleTables>>> {
    static CACHE: OnceLock<RwLock<Option<Arc<TwiddleTables>>>> = OnceLock::new();
    CACHE.get_or_init(|| RwLock::new(None))
}

/// Tables good for transforms of size up to at least `size` (a power of two), built once and
/// grown on demand.
pub fn twiddles_for(size: usize) -> Arc<TwiddleTables> {
    assert!(
        size.is_power_of_two(),
        "transform size {size} is not a power of two"
    );
    if let Some(tables) = cache().read().expect("twiddle cache poisoned").as_ref() {
        if tables.forward.len() >= size {
            return tables.clone();
        }
    }
    // Built before taking the lock: the build runs on the rayon pool, and a caller holding
    // the lock while it waits for pool workers that are themselves blocked on the lock (a
    // transform inside a parallel loop asks for its tables) would never wake. Two threads
    // may then both build; the longer table wins.
    let built = Arc::new(TwiddleTables::build(size.max(2)));
    let mut guard = cache().write().expect("twiddle cache poisoned");
    match guard.as_ref() {
        Some(tables) if tables.forward.len() >= built.forward.len() => tables.clone(),
        _ => {
            *guard = Some(built.clone());
            built
        }
    }
}
