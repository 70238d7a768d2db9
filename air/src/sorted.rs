//! Tables whose live rows are sorted by a key of 32-bit limbs, then by counter, so that each
//! key is one run of rows in counter order (the Storage and Account components).
//!
//! A row holds `first` (the first row of its key's run), a one-hot `diff₀…` naming the first
//! key limb (most significant first) where the row's key differs from the previous row's, and
//! `δ = δ_lo + 2¹⁶·δ_hi`, whose two halves the table range-checks (16 bits each):
//! `δ = key′ⱼ − keyⱼ − 1` at the differing limb `j`, or `ctr′ − ctr − 1` within a run. Key
//! limbs are below 2³² and counters far below the field's modulus (the CPU's stay below 2³⁸),
//! so no difference wraps, and `δ < 2³²` means the limb (or the counter) grew while the limbs
//! above `j` are equal: the keys strictly increase from run to run. (An honest table needs
//! accesses of one key fewer than 2³² counters apart, far more than a block holds.)

use crate::algebra::Algebra;

/// Where a sorted table keeps its order cells, and how long its key is.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Order {
    pub live: usize,
    pub first: usize,
    pub ctr: usize,
    /// The first of `limbs` one-hot flags.
    pub diff: usize,
    pub delta_lo: usize,
    pub delta_hi: usize,
    /// Key limbs.
    pub limbs: usize,
}

impl Order {
    /// Degrees of [`Order::constraints`], in its order.
    pub fn degrees(&self) -> Vec<usize> {
        let mut degrees = vec![2, 2];
        degrees.extend(vec![3; 2 * self.limbs]);
        degrees.push(3);
        degrees
    }

    /// The transition constraints, `key(row, j)` giving limb `j` of a row's key (0 the most
    /// significant): live rows form a prefix; `first′` is set exactly when some `diff′` is; a
    /// row that continues a run repeats its key; a new run keeps the limbs above its differing
    /// one; and `δ′` is the gap the order implies.
    pub fn constraints<V: Algebra>(
        &self,
        c: &[V],
        n: &[V],
        key: impl Fn(&[V], usize) -> V,
        emit: &mut impl FnMut(V),
    ) {
        let one = V::one();
        let live_next = n[self.live];
        emit((one - c[self.live]) * live_next);
        let diffs = (0..self.limbs).fold(V::zero(), |s, j| s + n[self.diff + j]);
        emit(live_next * (diffs - n[self.first]));
        let same = self.continues(n);
        for j in 0..self.limbs {
            emit(same * (key(n, j) - key(c, j)));
        }
        let mut at_or_above = V::zero();
        for j in 0..self.limbs {
            at_or_above = at_or_above + n[self.diff + j];
            emit(live_next * (one - at_or_above) * (key(n, j) - key(c, j)));
        }
        let mut grows = V::zero();
        for j in 0..self.limbs {
            grows = grows + n[self.diff + j] * (key(n, j) - key(c, j) - one);
        }
        grows = grows + (one - n[self.first]) * (n[self.ctr] - c[self.ctr] - one);
        let delta = n[self.delta_lo] + n[self.delta_hi] * V::from_u64(1 << 16);
        emit(live_next * (grows - delta));
    }

    /// `live′·(1 − first′)`: the next row continues this row's run (degree 2).
    pub fn continues<V: Algebra>(&self, n: &[V]) -> V {
        n[self.live] * (V::one() - n[self.first])
    }
}

/// The order cells of a row with key `key` and counter `ctr`, after a row with `previous`
/// (its key and counter; `None` for row 0): the differing limb (none within a run) and `δ`.
/// The caller sorted the rows, so keys and counters do not decrease.
pub(crate) fn order_cells(
    previous: Option<(&[u32], u32)>,
    key: &[u32],
    ctr: u32,
) -> (Option<usize>, u64) {
    match previous {
        None => (None, 0),
        Some((before, before_ctr)) if before == key => (None, (ctr - before_ctr - 1) as u64),
        Some((before, _)) => {
            let j = (0..key.len())
                .find(|&j| before[j] != key[j])
                .expect("different keys differ somewhere");
            (Some(j), (key[j] - before[j] - 1) as u64)
        }
    }
}
