//! Words as sixteen 16-bit limbs ("halves" of the CPU's 32-bit limbs), shared by the tables
//! that multiply and divide 256-bit words (MulDiv, Modular): cells, witness values, and the
//! ordering gadget both use.

use crate::algebra::Algebra;
use crate::rw::LIMBS;
use zkevm_evm_spec::witness::Word;

/// 16-bit limbs per word.
pub const HALVES: usize = 2 * LIMBS;

/// A word's 16-bit limbs, least significant first.
pub type Halves = [u64; HALVES];

/// The word's 16-bit limbs.
pub fn of_word(w: &Word) -> Halves {
    of_limbs(&crate::rw::limbs(w))
}

/// 32-bit limbs split in two.
pub fn of_limbs(limbs: &[u32; LIMBS]) -> Halves {
    core::array::from_fn(|i| (limbs[i / 2] >> (16 * (i % 2))) as u64 & 0xffff)
}

/// 16-bit limbs joined in pairs.
pub fn to_limbs(halves: &Halves) -> [u32; LIMBS] {
    core::array::from_fn(|k| (halves[2 * k] | halves[2 * k + 1] << 16) as u32)
}

/// `x·y` as thirty-two 16-bit limbs.
pub fn product(x: &Halves, y: &Halves) -> [u64; 2 * HALVES] {
    let mut sums = [0u64; 2 * HALVES];
    for (i, &xi) in x.iter().enumerate() {
        for (j, &yj) in y.iter().enumerate() {
            sums[i + j] += xi * yj;
        }
    }
    normalize(sums)
}

/// Propagates carries through 16-bit limbs (the value must fit).
pub fn normalize<const N: usize>(mut sums: [u64; N]) -> [u64; N] {
    let mut carry = 0u64;
    for s in sums.iter_mut() {
        let total = *s + carry;
        *s = total & 0xffff;
        carry = total >> 16;
    }
    debug_assert_eq!(carry, 0, "the value fits its limbs");
    sums
}

/// 32-bit limb `k` of the 16-bit-limbed word whose cells start at `word`.
pub fn limb32<V: Algebra>(r: &[V], word: usize, k: usize) -> V {
    r[word + 2 * k] + r[word + 2 * k + 1] * V::from_u64(1 << 16)
}

/// The sum of `len` cells from `from`.
pub fn sum<V: Algebra>(r: &[V], from: usize, len: usize) -> V {
    r[from..from + len].iter().fold(V::zero(), |s, &x| s + x)
}

/// `x < y` for two 16-bit-limbed words of a row, when `gate` is 1: a one-hot over the eight
/// 32-bit limbs (cells `one_hot…+8`) marks the highest limb where they differ; above it the
/// limbs are equal, and at it `yₖ − xₖ − 1 = lo + 2¹⁶·hi` (cells `diff`, `diff + 1`, which the
/// table range-checks as 16-bit values). With `gate` 0 the one-hot is empty and the difference
/// cells are 0.
pub struct Below {
    pub x: usize,
    pub y: usize,
    pub one_hot: usize,
    pub diff: usize,
}

impl Below {
    /// Degrees of [`Below::constraints`], given the gate's.
    pub fn degrees(gate: usize) -> Vec<usize> {
        let mut d = vec![2; LIMBS]; // one-hot boolean
        d.push(gate.max(1)); // sums to the gate
        d.extend([2; LIMBS - 1]); // equal above
        d.push(2); // the difference
        d
    }

    /// Writes the constraints through `emit`.
    pub fn constraints<V: Algebra>(&self, r: &[V], gate: V, emit: &mut impl FnMut(V)) {
        let mut marked = V::zero();
        for k in 0..LIMBS {
            emit(r[self.one_hot + k].booleanity());
            marked = marked + r[self.one_hot + k];
        }
        emit(marked - gate);
        let (mut above, mut difference) = (V::zero(), V::zero());
        for k in 0..LIMBS {
            let gap = limb32(r, self.y, k) - limb32(r, self.x, k);
            if k > 0 {
                emit(above * gap);
            }
            above = above + r[self.one_hot + k];
            difference = difference + r[self.one_hot + k] * (gap - V::one());
        }
        emit(difference - r[self.diff] - r[self.diff + 1] * V::from_u64(1 << 16));
    }

    /// The marked limb and the difference's 16-bit halves, for `x < y`.
    ///
    /// # Panics
    /// If `x ≥ y`.
    pub fn witness(x: &[u32; LIMBS], y: &[u32; LIMBS]) -> (usize, [u16; 2]) {
        let k = (0..LIMBS)
            .rev()
            .find(|&k| x[k] != y[k])
            .filter(|&k| x[k] < y[k])
            .expect("x below y");
        let diff = y[k] - x[k] - 1;
        (k, [diff as u16, (diff >> 16) as u16])
    }
}
