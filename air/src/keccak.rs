//! The Keccak-f\[1600\] permutation, byte-sliced: 8 rows per round, every byte operation a
//! lookup in the [`crate::and_table::AndTable`].
//!
//! # Layout
//! The state is 25 lanes of 64 bits, lane `(x, y)` at index `x + 5y`, each split into 8 bytes.
//! A permutation is 25 *passes* of 8 rows; row `q` of a pass holds byte `q` of every lane, so a
//! row needs only 194 columns and every constraint stays inside the two-row window:
//!
//! - pass `k` starts from `b`, the χ input of round `k − 1` (for pass 0 a witness whose χ image is
//!   the permutation's input: χ is a bijection on each 5-bit row, so the witness is unique);
//! - it applies χ and ι (round constant `RC[k − 1]`, none in pass 0), giving `out`, the state
//!   after round `k − 1` (pass 0: the input; pass 24: the output);
//! - then θ, ρ and π of round `k`, and sends the result (the next pass's `b`) over the bus.
//!
//! Every byte operation uses `x XOR y = x + y − 2·(x AND y)` with the AND looked up in the AND
//! table, which holds only true byte triples; so every looked-up operand is a byte and every
//! XOR below is an exact byte. Per row:
//! - **χ**: `n1 = (255 − b[x+1,y]) AND b[x+2,y]`, `n2 = b[x,y] AND n1`, `out = b + n1 − 2·n2`;
//! - **ι** on lane 0: `n3 = out AND rc`, `out += rc − 2·n3`;
//! - **θ**: the column parities `C[x] = ⊕_y out[x,y]` by a chain of four XORs (`m` holds the
//!   chain's ANDs); `l[x] = C[x] AND 127` splits off its top bit `(C[x] − l[x])/128`; byte `q`
//!   of `rot₁(C[x+1])` is `R = 2·l[x+1] + g[x+1]`, where `g` is the top bit of byte `q − 1`
//!   of `C[x+1]`, carried from the row above; `e = C[x−1] AND R`, `D[x] = C[x−1] + R − 2·e`;
//!   `h = out AND D[x]`, `A′ = out + D[x] − 2·h`;
//! - **ρ, π**: lane `(x, y)` rotates by `r = 8f + s` and moves to `(y, 2x + 3y)`. Its byte
//!   `(q + f) mod 8` in the next pass is `2ˢ·lo + c`, where `lo = A′ AND (2⁸⁻ˢ − 1)` and `c` is
//!   the top `s` bits of byte `q − 1` of `A′`, carried from the row above. The 3 lanes with
//!   `s = 0` move whole bytes.
//!
//! Carries reach row `q` from row `q − 1` by transition constraints; row 0 takes row 7's carries
//! of the same pass over the [`WRAP`] bus. Bytes move to the next pass over [`TRANSFER`], one
//! message per row and rotation class `f` (the lanes of one `f` land in the same row), tagged
//! with the receiving pass's `step` (a global pass counter, so tags never repeat).
//!
//! Control: one-hot row selectors `sel₀…sel₇` shift down each row (pinned at the first row),
//! `live` drops only after the last pass, `step` counts passes, `k` counts passes within a
//! permutation. Every live row looks up `(k, q, rc, first, last)` among the 200 round messages
//! the verifier provides ([`round_messages`]), which fixes `rc` and the pass flags and keeps
//! `k ≤ 24`; after a `last` pass `k` restarts at 0. Permutation `j` (`j = (step − k)/25`)
//! consumes its input bytes and provides its output bytes on [`KECCAK_IO`]: one message per row
//! of its first and last pass, `(j, 0 | 1, q, 25 bytes)`.
//!
//! # Cost
//! 194 main columns × 8 rows = 1,552 cells per round; 148 interactions per row (128 AND lookups,
//! one round lookup, 16 transfers, 2 wraps, one input/output), grouped four to a helper at
//! degree 5 so that blowup 4 proves it: 37 helpers and 2 running sums, 39 extension columns.
//! Per permutation: 200 rows, 38,800 main cells and 15,600 auxiliary base cells, 54,400 in all
//! (Plonky3's one-round-per-row layout: 2,633 columns × 24 rows = 63,192). The AND table is
//! shared with the Bitwise component and grows to at most 65,536 distinct pairs; χ's lookups
//! are near-random pairs, so a few dozen permutations fill it: 65,536 rows × 23 cells ≈ 1.5M
//! cells (about 28 permutations' worth) per block. In a block of permutations alone, once the
//! Keccak trace is at least as long as the AND table (164 permutations or more), the two are
//! one component, [`KeccakAnd`]: 211 columns, one set of commitments and queries instead of
//! two, which took the 327-permutation proof from 246,344 to 165,313 bytes.
//!
//! # Shards
//! An EVM block may split its permutations into several Keccak traces ([`shards`], at most
//! [`SHARD_ROWS`] rows each): one trace of 2²¹ rows for 7,711 permutations (`sha3_0xFFFFF_0s`)
//! pads 36 % of its rows and extends to 17 GiB at blowup 4, while shards of 2²⁰ and 2¹⁹ rows pad
//! 2 % and are proven one at a time. The pass counter `step` tags TRANSFER and WRAP and numbers
//! the permutations on KECCAK_IO, so two traces counting from the same value could trade their
//! states mid-permutation and still balance the bus. Each trace's first `step` is therefore
//! pinned to its shard offset, which prover and verifier compute from the block's list of
//! components ([`crate::shard_offsets`]): the passes the earlier shards can hold
//! ([`Component::shard_span`]: 25 per whole 200 rows). A shard holding fewer permutations than
//! its span leaves permutation numbers unserved, and the sponge's messages for them unbalanced.
//!
//! The first row is a live one (a boundary value): a block without permutations leaves the
//! component out.
//!
//! Padding rows (`live = 0`) have zero selectors and flags, so every multiplicity is zero; their
//! bytes matter only through the carry constraints, which all-zero rows satisfy.

mod joined;
mod trace;

#[cfg(test)]
mod tests;

pub use joined::{join, KeccakAnd};
pub use trace::{shards, trace, trace_from, KeccakTrace, SHARD_ROWS};

use crate::algebra::Algebra;
use crate::bitwise::BYTE_AND;
use crate::bus::{BusId, BusValues, Direction, Interaction, PublicMessage};
use crate::component::{BoundaryValue, Component, Window};
use crate::registry::ComponentId;
use zkevm_field::Goldilocks;

/// Bytes moved from one pass to the next: `(step, f, q, bytes of class f)`.
pub const TRANSFER: BusId = 39;
/// Row 7's carries handed to row 0 of the same pass: `(step, g₀…g₄, c…)`.
pub const WRAP: BusId = 40;
/// The round table: `(k, q, rc byte, first, last)`, provided by the verifier.
pub const ROUND: BusId = 41;
/// Permutation inputs (consumed) and outputs (provided): `(j, is_output, q, 25 bytes)`.
pub const KECCAK_IO: BusId = 42;

/// Lanes of the state.
pub const LANES: usize = 25;
/// Passes per permutation: χ/ι of round `k − 1` and θ/ρ/π of round `k`, for `k = 0 … 24`.
pub const PASSES: usize = 25;
/// Rows per pass.
pub const ROWS_PER_PASS: usize = 8;
/// Rows per permutation.
pub const ROWS_PER_PERMUTATION: usize = PASSES * ROWS_PER_PASS;

/// ρ's rotation of lane `x + 5y`.
pub const ROTATION: [u32; LANES] = [
    0, 1, 62, 28, 27, 36, 44, 6, 55, 20, 3, 10, 43, 25, 39, 41, 45, 15, 21, 8, 18, 2, 61, 56, 14,
];

/// ι's round constants.
pub const ROUND_CONSTANTS: [u64; 24] = [
    0x0000_0000_0000_0001,
    0x0000_0000_0000_8082,
    0x8000_0000_0000_808a,
    0x8000_0000_8000_8000,
    0x0000_0000_0000_808b,
    0x0000_0000_8000_0001,
    0x8000_0000_8000_8081,
    0x8000_0000_0000_8009,
    0x0000_0000_0000_008a,
    0x0000_0000_0000_0088,
    0x0000_0000_8000_8009,
    0x0000_0000_8000_000a,
    0x0000_0000_8000_808b,
    0x8000_0000_0000_008b,
    0x8000_0000_0000_8089,
    0x8000_0000_0000_8003,
    0x8000_0000_0000_8002,
    0x8000_0000_0000_0080,
    0x0000_0000_0000_800a,
    0x8000_0000_8000_000a,
    0x8000_0000_8000_8081,
    0x8000_0000_0000_8080,
    0x0000_0000_8000_0001,
    0x8000_0000_8000_8008,
];

/// Where π sends lane `x + 5y`: lane `y + 5·((2x + 3y) mod 5)`.
pub const fn destination(lane: usize) -> usize {
    let (x, y) = (lane % 5, lane / 5);
    y + 5 * ((2 * x + 3 * y) % 5)
}

/// The lanes whose rotation is not a whole number of bytes, in lane order: they have a `lo`
/// and a carry column each.
pub const ROTATED: [usize; 22] = rotated_lanes();

const fn rotated_lanes() -> [usize; 22] {
    let mut out = [0; 22];
    let (mut lane, mut n) = (0, 0);
    while lane < LANES {
        if !ROTATION[lane].is_multiple_of(8) {
            out[n] = lane;
            n += 1;
        }
        lane += 1;
    }
    assert!(n == 22);
    out
}

/// Byte `q` of the round constant pass `k` applies (pass 0 applies none).
pub fn round_byte(k: usize, q: usize) -> u8 {
    if k == 0 {
        0
    } else {
        (ROUND_CONSTANTS[k - 1] >> (8 * q)) as u8
    }
}

/// Column indices.
pub mod col {
    /// χ input byte of lane `i` at `B + i`.
    pub const B: usize = 0;
    /// `(255 − b[x+1,y]) AND b[x+2,y]` of lane `i`.
    pub const N1: usize = 25;
    /// `b[x,y] AND n1` of lane `i`.
    pub const N2: usize = 50;
    /// This row's byte of the round constant.
    pub const RC: usize = 75;
    /// `χ(b)[0] AND rc`.
    pub const N3: usize = 76;
    /// θ's chain: the AND of step `y` (1…4) of column `x` at `THETA + 4x + y − 1`.
    pub const THETA: usize = 77;
    /// `C[x] AND 127`.
    pub const LOW7: usize = 97;
    /// `C[x−1] AND rot₁(C[x+1])`.
    pub const E: usize = 102;
    /// `out[x,y] AND D[x]` of lane `i`.
    pub const H: usize = 107;
    /// `A′ AND (2⁸⁻ˢ − 1)` of the `j`-th rotated lane ([`super::ROTATED`]).
    pub const LO: usize = 132;
    /// The top `s` bits of the previous row's `A′` byte of the `j`-th rotated lane.
    pub const CARRY: usize = 154;
    /// The top bit of the previous row's `C[x]` byte.
    pub const TOP: usize = 176;
    /// Row selectors: `SEL + q` is 1 on row `q` of a live pass.
    pub const SEL: usize = 181;
    pub const LIVE: usize = 189;
    /// Global pass counter.
    pub const STEP: usize = 190;
    /// Pass within the permutation (`k`), 0 … 24.
    pub const PASS: usize = 191;
    pub const FIRST: usize = 192;
    pub const LAST: usize = 193;
    pub const WIDTH: usize = 194;
}

/// The Keccak-f\[1600\] permutation (module docs).
#[derive(Debug, Default, Clone, Copy)]
pub struct Keccak;

fn c<V: Algebra>(value: u64) -> V {
    V::from_u64(value)
}

/// The byte values a row's constraints and messages are written in, all linear in the row.
struct Row<V> {
    /// `out[i]`: the state after χ and ι.
    out: [V; LANES],
    /// `C[x]`.
    parity: [V; 5],
    /// `D[x]`.
    d: [V; 5],
    /// `A′[i]`: after θ.
    theta: [V; LANES],
}

impl<V: Algebra> Row<V> {
    fn of(r: &[V]) -> Self {
        let b = |i: usize| r[col::B + i];
        let mut out = [V::zero(); LANES];
        for (i, o) in out.iter_mut().enumerate() {
            *o = b(i) + r[col::N1 + i] - r[col::N2 + i] * c(2);
        }
        out[0] = out[0] + r[col::RC] - r[col::N3] * c(2);
        let parity = core::array::from_fn(|x| {
            (1..5).fold(out[x], |t, y| {
                t + out[x + 5 * y] - r[col::THETA + 4 * x + y - 1] * c(2)
            })
        });
        let d = core::array::from_fn(|x| {
            let rot = Self::rotated_parity_byte(r, (x + 1) % 5);
            parity[(x + 4) % 5] + rot - r[col::E + x] * c(2)
        });
        let theta = core::array::from_fn(|i| out[i] + d[i % 5] - r[col::H + i] * c(2));
        Row {
            out,
            parity,
            d,
            theta,
        }
    }

    /// This row's byte of `rot₁(C[x])`: the low 7 bits shifted up, the carried top bit below.
    fn rotated_parity_byte(r: &[V], x: usize) -> V {
        r[col::LOW7 + x] * c(2) + r[col::TOP + x]
    }

    /// The top bit of `C[x]`.
    fn top_bit(&self, r: &[V], x: usize) -> V {
        (self.parity[x] - r[col::LOW7 + x]) * V::constant(inverse_power_of_two(7))
    }

    /// The top `s` bits of `A′` of the `j`-th rotated lane.
    fn high_bits(&self, r: &[V], j: usize) -> V {
        let lane = ROTATED[j];
        let s = ROTATION[lane] % 8;
        (self.theta[lane] - r[col::LO + j]) * V::constant(inverse_power_of_two(8 - s))
    }

    /// The next pass's byte of lane `destination(lane)` that this row makes (module docs).
    fn moved_byte(&self, r: &[V], lane: usize) -> V {
        match rotated_index(lane) {
            None => self.theta[lane],
            Some(j) => r[col::LO + j] * c(1 << (ROTATION[lane] % 8)) + r[col::CARRY + j],
        }
    }
}

/// `2⁻ⁿ` for `n ≤ 32`: `p − (p − 1)/2ⁿ`, since `2ⁿ` divides `p − 1 = 2³²(2³² − 1)`. Computed
/// without an inversion because constraints are evaluated at every row of the LDE.
const fn inverse_power_of_two(n: u32) -> Goldilocks {
    Goldilocks::new(zkevm_field::P - ((zkevm_field::P - 1) >> n))
}

/// `1/25`, which turns `step − k = 25j` into the permutation index `j`.
const INVERSE_OF_PASSES: Goldilocks = Goldilocks::new(0xc28f_5c28_3333_3334);

/// The row number `q` as a linear form of the selectors, shifted by `shift` (mod 8).
fn row_number<V: Algebra>(r: &[V], shift: usize) -> V {
    (0..ROWS_PER_PASS).fold(V::zero(), |sum, t| {
        sum + r[col::SEL + t] * c(((t + shift) % ROWS_PER_PASS) as u64)
    })
}

/// The lanes of rotation class `f` (`⌊r/8⌋ = f`), in lane order: their bytes land in the same
/// row of the next pass, so they travel in one message.
pub fn class(f: usize) -> &'static [usize] {
    let (lanes, len) = &CLASSES[f];
    &lanes[..*len]
}

/// Each class's lanes (padded with zeros) and their number.
const CLASSES: [([usize; 5], usize); ROWS_PER_PASS] = rotation_classes();

const fn rotation_classes() -> [([usize; 5], usize); ROWS_PER_PASS] {
    let mut classes = [([0; 5], 0); ROWS_PER_PASS];
    let mut lane = 0;
    while lane < LANES {
        let f = ROTATION[lane] as usize / 8;
        let n = classes[f].1;
        classes[f].0[n] = lane;
        classes[f].1 = n + 1;
        lane += 1;
    }
    classes
}

/// The position of `lane` in [`ROTATED`], if its rotation is not whole bytes (a table: it is
/// read at every row of the LDE).
fn rotated_index(lane: usize) -> Option<usize> {
    ROTATED_INDEX[lane]
}

static ROTATED_INDEX: [Option<usize>; LANES] = rotated_indices();

const fn rotated_indices() -> [Option<usize>; LANES] {
    let mut out = [None; LANES];
    let mut j = 0;
    while j < ROTATED.len() {
        out[ROTATED[j]] = Some(j);
        j += 1;
    }
    out
}

/// AND lookups per row (the first interactions of [`Component::eval_interactions`]): χ's 50,
/// ι's one, θ's 20 + 5 + 5 + 25, ρ's 22.
const AND_LOOKUPS: usize = 2 * LANES + 1 + 20 + 5 + 5 + LANES + 22;

impl Component for Keccak {
    const ID: ComponentId = ComponentId::Keccak;
    const NAME: &'static str = "keccak";
    const COLUMNS: &'static [&'static str] = &crate::component::column_names::<{ col::WIDTH }>(
        "",
        &[
            (col::B, 25, "b"),
            (col::N1, 25, "n1"),
            (col::N2, 25, "n2"),
            (col::RC, 1, "rc"),
            (col::N3, 1, "n3"),
            (col::THETA, 20, "theta_and"),
            (col::LOW7, 5, "low7"),
            (col::E, 5, "e"),
            (col::H, 25, "h"),
            (col::LO, 22, "lo"),
            (col::CARRY, 22, "carry"),
            (col::TOP, 5, "top"),
            (col::SEL, 8, "sel"),
            (col::LIVE, 1, "live"),
            (col::STEP, 1, "step"),
            (col::PASS, 1, "pass"),
            (col::FIRST, 1, "first"),
            (col::LAST, 1, "last"),
        ],
    );
    /// Degree 5 (blowup 4) fits four lookups per helper: 194 main and 39 auxiliary columns.
    const GROUPING_DEGREE: usize = 5;

    fn transition_degrees(&self) -> Vec<usize> {
        let mut degrees = vec![1; ROWS_PER_PASS - 1];
        degrees.extend([2, 2, 2, 2, 1, 2, 3, 3]);
        degrees.extend([2; 5 + 22]);
        degrees
    }

    fn eval_transition<V: Algebra>(&self, w: &Window<'_, V>, out: &mut [V]) {
        let (r, n) = (w.current, w.next);
        let sel = |row: &[V], t: usize| row[col::SEL + t];
        let (live, live_next) = (r[col::LIVE], n[col::LIVE]);
        let (pass, pass_next) = (r[col::PASS], n[col::PASS]);
        let (last, end) = (r[col::LAST], sel(r, ROWS_PER_PASS - 1));
        let mut o = 0;
        let mut emit = |value: V| {
            out[o] = value;
            o += 1;
        };
        for t in 0..ROWS_PER_PASS - 1 {
            emit(sel(n, t + 1) - sel(r, t));
        }
        emit(sel(n, 0) - end * live_next);
        emit((V::one() - live) * live_next);
        emit((live - live_next) * (V::one() - end));
        emit((live - live_next) * (V::one() - last));
        emit(n[col::STEP] - r[col::STEP] - end);
        emit((V::one() - end) * (pass_next - pass));
        emit(end * (V::one() - last) * (pass_next - pass - V::one()));
        emit(end * last * pass_next);
        // Carries into the next row of the same pass (row 7's go over WRAP instead).
        let row = Row::of(r);
        for x in 0..5 {
            emit((V::one() - end) * (n[col::TOP + x] - row.top_bit(r, x)));
        }
        for j in 0..ROTATED.len() {
            emit((V::one() - end) * (n[col::CARRY + j] - row.high_bits(r, j)));
        }
    }

    fn row_degrees(&self) -> Vec<usize> {
        vec![2; 3]
    }

    fn eval_row<V: Algebra>(&self, r: &[V], out: &mut [V]) {
        let live = r[col::LIVE];
        out[0] = live.booleanity();
        out[1] = r[col::FIRST] * (V::one() - live);
        out[2] = r[col::LAST] * (V::one() - live);
    }

    fn boundary(&self) -> Vec<BoundaryValue> {
        let mut values: Vec<BoundaryValue> = (0..ROWS_PER_PASS)
            .map(|t| BoundaryValue::first(col::SEL + t, u64::from(t == 0)))
            .collect();
        values.extend([
            BoundaryValue::first(col::LIVE, 1),
            BoundaryValue::first_at_shard_offset(col::STEP),
            BoundaryValue::first(col::PASS, 0),
            BoundaryValue::last(col::LIVE, 0),
        ]);
        values
    }

    /// The passes a trace of `rows` rows can hold: whole permutations, since a live stretch
    /// ends with a `last` pass, and at most ⌊rows/200⌋ of them, since the last row is padding
    /// (and 200 divides no power of two). A shard's passes are counted from its offset, so the shards' steps (the
    /// TRANSFER and WRAP tags) and permutation numbers (`(step − k)/25` on KECCAK_IO) never
    /// meet; a shard holding fewer permutations than its span leaves numbers no one provides,
    /// and the sponge's consumption of them does not balance.
    fn shard_span(&self, rows: usize) -> u64 {
        ((rows / ROWS_PER_PERMUTATION) * PASSES) as u64
    }

    fn interactions(&self) -> Vec<Interaction> {
        // Every AND lookup and the round lookup count `live` times.
        let and = Interaction::linear(BYTE_AND, Direction::Consume, 3);
        let mut shapes = vec![and.sharing_multiplicity(); AND_LOOKUPS];
        shapes[0] = and;
        shapes.push(Interaction::linear(ROUND, Direction::Consume, 5).sharing_multiplicity());
        for f in 0..ROWS_PER_PASS {
            let n = 3 + class(f).len();
            shapes.push(Interaction::linear(TRANSFER, Direction::Provide, n));
            shapes.push(Interaction::linear(TRANSFER, Direction::Consume, n));
        }
        let wrap = 1 + 5 + ROTATED.len();
        shapes.push(Interaction::linear(WRAP, Direction::Provide, wrap));
        shapes.push(Interaction::linear(WRAP, Direction::Consume, wrap));
        shapes.push(Interaction::linear(
            KECCAK_IO,
            Direction::Consume,
            3 + LANES,
        ));
        shapes
    }

    fn eval_interactions<V: Algebra>(&self, r: &[V], out: &mut [BusValues<V>]) {
        let live = r[col::LIVE];
        let row = Row::of(r);
        let mut o = 0;
        let mut emit = |multiplicity: V, parts: &[&[V]]| {
            out[o].set_parts(multiplicity, parts);
            o += 1;
        };
        let mut and = |a: V, b: V, n: V| emit(live, &[&[a, b, n]]);
        let b = |i: usize| r[col::B + i];
        for y in 0..5 {
            for x in 0..5 {
                let i = x + 5 * y;
                let (next, after) = ((x + 1) % 5 + 5 * y, (x + 2) % 5 + 5 * y);
                and(c::<V>(255) - b(next), b(after), r[col::N1 + i]);
                and(b(i), r[col::N1 + i], r[col::N2 + i]);
            }
        }
        let chi0 = row.out[0] - r[col::RC] + r[col::N3] * c(2);
        and(chi0, r[col::RC], r[col::N3]);
        for x in 0..5 {
            let mut t = row.out[x];
            for y in 1..5 {
                let m = r[col::THETA + 4 * x + y - 1];
                and(t, row.out[x + 5 * y], m);
                t = t + row.out[x + 5 * y] - m * c(2);
            }
        }
        for x in 0..5 {
            and(row.parity[x], c(127), r[col::LOW7 + x]);
        }
        for x in 0..5 {
            let rot = Row::rotated_parity_byte(r, (x + 1) % 5);
            and(row.parity[(x + 4) % 5], rot, r[col::E + x]);
        }
        for i in 0..LANES {
            and(row.out[i], row.d[i % 5], r[col::H + i]);
        }
        for (j, &lane) in ROTATED.iter().enumerate() {
            let mask = (1u64 << (8 - ROTATION[lane] % 8)) - 1;
            and(row.theta[lane], c(mask), r[col::LO + j]);
        }
        let q = row_number(r, 0);
        let (first, last) = (r[col::FIRST], r[col::LAST]);
        emit(live, &[&[r[col::PASS], q, r[col::RC], first, last]]);
        let step = r[col::STEP];
        let mut fields = [V::zero(); 3 + 5];
        for f in 0..ROWS_PER_PASS {
            let lanes = class(f);
            let tag_f = c::<V>(f as u64);
            fields[0] = step + V::one();
            fields[1] = tag_f;
            fields[2] = row_number(r, f);
            for (k, &lane) in lanes.iter().enumerate() {
                fields[3 + k] = row.moved_byte(r, lane);
            }
            emit(live - last, &[&fields[..3 + lanes.len()]]);
            fields[0] = step;
            fields[2] = q;
            for (k, &lane) in lanes.iter().enumerate() {
                fields[3 + k] = b(destination(lane));
            }
            emit(live - first, &[&fields[..3 + lanes.len()]]);
        }
        let mut wrap = [V::zero(); 1 + 5 + 22];
        wrap[0] = step;
        for x in 0..5 {
            wrap[1 + x] = row.top_bit(r, x);
        }
        for j in 0..ROTATED.len() {
            wrap[6 + j] = row.high_bits(r, j);
        }
        emit(r[col::SEL + ROWS_PER_PASS - 1], &[&wrap]);
        wrap[1..6].copy_from_slice(&r[col::TOP..col::TOP + 5]);
        wrap[6..].copy_from_slice(&r[col::CARRY..col::CARRY + ROTATED.len()]);
        emit(r[col::SEL], &[&wrap]);
        let permutation = (step - r[col::PASS]) * V::constant(INVERSE_OF_PASSES);
        emit(first - last, &[&[permutation, last, q], &row.out]);
    }
}

/// A block of Keccak-f permutations alone (the Keccak trace and its AND table), with the
/// outputs the trace computes; its public messages are [`public_messages`]. The two tables are
/// one [`KeccakAnd`] component when the AND table is no longer than the Keccak trace (it then
/// costs no padding rows and saves a STARK), two components otherwise.
///
/// # Panics
/// If `inputs` is empty: the component's first row is a live one.
pub fn permutation_block(
    inputs: &[[u64; LANES]],
) -> (Vec<crate::ComponentTrace>, Vec<[u64; LANES]>) {
    assert!(!inputs.is_empty(), "a Keccak block needs a permutation");
    let keccak = trace(inputs);
    let and = crate::and_table::trace(keccak.and_pairs);
    let traces = if and[0].len() <= keccak.columns[0].len() {
        vec![crate::ComponentTrace {
            id: ComponentId::KeccakAnd,
            columns: join(keccak.columns, and),
        }]
    } else {
        vec![
            crate::ComponentTrace {
                id: ComponentId::Keccak,
                columns: keccak.columns,
            },
            crate::ComponentTrace {
                id: ComponentId::AndTable,
                columns: and,
            },
        ]
    };
    (traces, keccak.outputs)
}

/// Checks that a verified block of permutations alone holds what [`permutation_block`] builds:
/// one [`KeccakAnd`], or one [`Keccak`] and one AND table. The bus alone does not pin this: the
/// TRANSFER and WRAP tags (the pass counter) are unique only within one Keccak trace, so two
/// Keccak traces would share them.
pub fn check_permutation_components(ids: &[ComponentId]) -> Result<(), String> {
    let mut sorted = ids.to_vec();
    sorted.sort_unstable();
    let alone = [ComponentId::KeccakAnd];
    let apart = [ComponentId::AndTable, ComponentId::Keccak];
    if sorted == alone || sorted == apart {
        return Ok(());
    }
    let names: Vec<&str> = ids.iter().map(|id| id.name()).collect();
    Err(format!(
        "a block of Keccak permutations has one keccak+and8 table, or one keccak and one \
         and8 table; this one has [{}]",
        names.join(", ")
    ))
}

/// What the verifier puts on the bus for permutations of `inputs` claimed to give `outputs`:
/// the round table and each permutation's input and output.
///
/// # Panics
/// If `inputs` and `outputs` differ in length (an output without its input would go unchecked).
pub fn public_messages(inputs: &[[u64; LANES]], outputs: &[[u64; LANES]]) -> Vec<PublicMessage> {
    assert_eq!(inputs.len(), outputs.len(), "one output per input");
    let mut messages = round_messages(inputs.len());
    for (j, (input, output)) in inputs.iter().zip(outputs).enumerate() {
        messages.extend(io_messages(j, input, output));
    }
    messages
}

/// The round table the verifier provides, each entry once per permutation (`count`).
pub fn round_messages(count: usize) -> Vec<PublicMessage> {
    let g = |v: u64| Goldilocks::new(v);
    let mut messages = Vec::with_capacity(ROWS_PER_PERMUTATION);
    for k in 0..PASSES {
        for q in 0..ROWS_PER_PASS {
            messages.push(PublicMessage {
                bus: ROUND,
                direction: Direction::Provide,
                multiplicity: g(count as u64),
                fields: vec![
                    g(k as u64),
                    g(q as u64),
                    g(u64::from(round_byte(k, q))),
                    g(u64::from(k == 0)),
                    g(u64::from(k == PASSES - 1)),
                ],
            });
        }
    }
    messages
}

/// The messages that hand permutation `j` its input and take its output: the input provided,
/// the output consumed (as a sponge would).
pub fn io_messages(j: usize, input: &[u64; LANES], output: &[u64; LANES]) -> Vec<PublicMessage> {
    let mut messages = Vec::with_capacity(2 * ROWS_PER_PASS);
    for (is_output, state, direction) in [
        (0, input, Direction::Provide),
        (1, output, Direction::Consume),
    ] {
        for q in 0..ROWS_PER_PASS {
            let mut fields = vec![
                Goldilocks::new(j as u64),
                Goldilocks::new(is_output),
                Goldilocks::new(q as u64),
            ];
            fields.extend(
                state
                    .iter()
                    .map(|lane| Goldilocks::new(lane >> (8 * q) & 0xff)),
            );
            messages.push(PublicMessage {
                bus: KECCAK_IO,
                direction,
                multiplicity: Goldilocks::ONE,
                fields,
            });
        }
    }
    messages
}
