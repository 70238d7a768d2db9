//! The Keccak trace: the rows of each permutation as the module docs lay them out, plus the
//! byte pairs its lookups take from the AND table.

use super::{
    col, destination, round_byte, Keccak, AND_LOOKUPS, LANES, PASSES, ROTATED, ROTATION,
    ROWS_PER_PASS, ROWS_PER_PERMUTATION,
};
use crate::component::{padded_len, Component};
use zkevm_field::Goldilocks;

/// A Keccak component trace with what the rest of the block needs from it.
#[derive(Debug, Clone)]
pub struct KeccakTrace {
    pub columns: Vec<Vec<Goldilocks>>,
    /// Keccak-f of each input, as the trace computes it.
    pub outputs: Vec<[u64; LANES]>,
    /// The `(a, b)` of every AND lookup, for [`crate::and_table::trace`].
    pub and_pairs: Vec<(u8, u8)>,
}

/// χ on one 5-bit row of a plane.
fn chi_row(v: u8) -> u8 {
    (0..5).fold(0, |out, x| {
        let bit = |i: usize| v >> (i % 5) & 1;
        out | (bit(x) ^ ((bit(x + 1) ^ 1) & bit(x + 2))) << x
    })
}

/// The χ preimage of `state`: χ permutes each 5-bit row, so the preimage is found row by row.
fn chi_inverse(state: &[u64; LANES]) -> [u64; LANES] {
    let mut inverse = [0u8; 32];
    for v in 0..32u8 {
        inverse[chi_row(v) as usize] = v;
    }
    let mut out = [0u64; LANES];
    for y in 0..5 {
        for z in 0..64 {
            let row = (0..5).fold(0, |r, x| r | ((state[x + 5 * y] >> z & 1) as u8) << x);
            let pre = inverse[row as usize];
            for x in 0..5 {
                out[x + 5 * y] |= u64::from(pre >> x & 1) << z;
            }
        }
    }
    out
}

/// One row's bytes before the carries (everything row `q` computes from its own `b`).
#[derive(Default, Clone, Copy)]
struct Chi {
    n1: [u8; LANES],
    n2: [u8; LANES],
    n3: u8,
    rc: u8,
    out: [u8; LANES],
    theta_and: [u8; 20],
    parity: [u8; 5],
    /// `parity AND 127`.
    low7: [u8; 5],
}

/// The rest of a row: θ's D and A′ and ρ's split.
#[derive(Default, Clone, Copy)]
struct Theta {
    top: [u8; 5],
    e: [u8; 5],
    h: [u8; LANES],
    after: [u8; LANES],
    lo: [u8; 22],
    carry: [u8; 22],
}

fn lane_bytes(lanes: &[u64; LANES]) -> [[u8; ROWS_PER_PASS]; LANES] {
    lanes.map(|v| v.to_le_bytes())
}

/// The longest Keccak shard [`shards`] makes for an EVM block: 2²⁰ rows, 5,242 permutations.
/// Sharding trims the padding of the power-of-two trace and bounds the LDE one component proof
/// holds: `sha3_0xFFFFF_0s`'s 7,711 permutations in one trace of 2²¹ rows needed 33 GiB at
/// blowup 4, in shards of 2²⁰ and 2¹⁹ rows about half.
pub const SHARD_ROWS: usize = 1 << 20;

/// The traces of `inputs` in shards of at most `max_rows` rows (a power of two of at least 256):
/// full shards of `max_rows / 200` permutations each, which is their span, and the rest in the
/// shortest trace that holds it. A block lists them in this order, so each shard's offset
/// ([`crate::shard_offsets`]) is the passes before its first permutation.
pub fn shards(inputs: &[[u64; LANES]], max_rows: usize) -> Vec<KeccakTrace> {
    let per_shard = max_rows / ROWS_PER_PERMUTATION;
    assert!(
        per_shard > 0,
        "a Keccak shard of {max_rows} rows holds no permutation"
    );
    let mut traces: Vec<KeccakTrace> = inputs
        .chunks(per_shard)
        .enumerate()
        .map(|(n, chunk)| trace_from(chunk, n * per_shard))
        .collect();
    if traces.is_empty() {
        traces.push(trace(&[]));
    }
    traces
}

/// The trace of `inputs`, one permutation after another, padded with zero rows.
pub fn trace(inputs: &[[u64; LANES]]) -> KeccakTrace {
    trace_from(inputs, 0)
}

/// [`trace`] for a shard whose first permutation is the block's `first`: its pass counter
/// starts at `25·first`, its shard offset.
pub fn trace_from(inputs: &[[u64; LANES]], first: usize) -> KeccakTrace {
    let rows = padded_len(inputs.len() * ROWS_PER_PERMUTATION);
    let mut columns = vec![vec![Goldilocks::ZERO; rows]; Keccak.width()];
    let mut and_pairs = Vec::with_capacity(inputs.len() * ROWS_PER_PERMUTATION * AND_LOOKUPS);
    let mut outputs = Vec::with_capacity(inputs.len());
    for (j, input) in inputs.iter().enumerate() {
        let mut b = lane_bytes(&chi_inverse(input));
        for k in 0..PASSES {
            let base = j * ROWS_PER_PERMUTATION + k * ROWS_PER_PASS;
            let chi: [Chi; ROWS_PER_PASS] =
                core::array::from_fn(|q| chi_and_theta_parity(k, q, |i| b[i][q], &mut and_pairs));
            let theta: [Theta; ROWS_PER_PASS] =
                core::array::from_fn(|q| theta_and_split(&chi, q, &mut and_pairs));
            let mut next = [[0u8; ROWS_PER_PASS]; LANES];
            for q in 0..ROWS_PER_PASS {
                for lane in 0..LANES {
                    let (f, s) = (ROTATION[lane] as usize / 8, ROTATION[lane] % 8);
                    let byte = match super::rotated_index(lane) {
                        None => theta[q].after[lane],
                        Some(m) => theta[q].lo[m] << s | theta[q].carry[m],
                    };
                    next[destination(lane)][(q + f) % ROWS_PER_PASS] = byte;
                }
                let mut set = |column: usize, value: u64| {
                    columns[column][base + q] = Goldilocks::new(value);
                };
                let (c, t) = (&chi[q], &theta[q]);
                for (i, lane) in b.iter().enumerate() {
                    set(col::B + i, lane[q].into());
                    set(col::N1 + i, c.n1[i].into());
                    set(col::N2 + i, c.n2[i].into());
                    set(col::H + i, t.h[i].into());
                }
                set(col::RC, c.rc.into());
                set(col::N3, c.n3.into());
                for (m, &v) in c.theta_and.iter().enumerate() {
                    set(col::THETA + m, v.into());
                }
                for x in 0..5 {
                    set(col::LOW7 + x, c.low7[x].into());
                    set(col::E + x, t.e[x].into());
                    set(col::TOP + x, t.top[x].into());
                }
                for m in 0..ROTATED.len() {
                    set(col::LO + m, t.lo[m].into());
                    set(col::CARRY + m, t.carry[m].into());
                }
                set(col::SEL + q, 1);
                set(col::LIVE, 1);
                set(col::STEP, ((first + j) * PASSES + k) as u64);
                set(col::PASS, k as u64);
                set(col::FIRST, u64::from(k == 0));
                set(col::LAST, u64::from(k == PASSES - 1));
            }
            if k == PASSES - 1 {
                outputs.push(core::array::from_fn(|lane| {
                    u64::from_le_bytes(core::array::from_fn(|q| chi[q].out[lane]))
                }));
            }
            b = next;
        }
    }
    // The pass counter keeps counting into the padding (`step′ = step + sel₇`).
    let used = inputs.len() * ROWS_PER_PERMUTATION;
    columns[col::STEP][used..].fill(Goldilocks::new(((first + inputs.len()) * PASSES) as u64));
    KeccakTrace {
        columns,
        outputs,
        and_pairs,
    }
}

/// χ and ι of row `q` of pass `k`, and θ's column parities.
fn chi_and_theta_parity(
    k: usize,
    q: usize,
    b: impl Fn(usize) -> u8,
    and_pairs: &mut Vec<(u8, u8)>,
) -> Chi {
    let mut and = |a: u8, c: u8| {
        and_pairs.push((a, c));
        a & c
    };
    let mut row = Chi::default();
    for y in 0..5 {
        for x in 0..5 {
            let i = x + 5 * y;
            row.n1[i] = and(255 - b((x + 1) % 5 + 5 * y), b((x + 2) % 5 + 5 * y));
            row.n2[i] = and(b(i), row.n1[i]);
            row.out[i] = b(i) ^ row.n1[i];
        }
    }
    row.rc = round_byte(k, q);
    row.n3 = and(row.out[0], row.rc);
    row.out[0] ^= row.rc;
    for x in 0..5 {
        let mut t = row.out[x];
        for y in 1..5 {
            row.theta_and[4 * x + y - 1] = and(t, row.out[x + 5 * y]);
            t ^= row.out[x + 5 * y];
        }
        row.parity[x] = t;
    }
    for x in 0..5 {
        row.low7[x] = and(row.parity[x], 127);
    }
    row
}

/// The operands of θ's `D[x] = C[x−1] XOR rot₁(C[x+1])` at row `q` (the rotation's low bit is
/// the top bit of row `q − 1`, row 7's for row 0), and `A′ = out XOR D`.
fn theta_operands(chi: &[Chi; ROWS_PER_PASS], q: usize) -> ([(u8, u8); 5], [u8; LANES]) {
    let (row, above) = (&chi[q], &chi[(q + ROWS_PER_PASS - 1) % ROWS_PER_PASS]);
    let operands: [(u8, u8); 5] = core::array::from_fn(|x| {
        let up = (x + 1) % 5;
        let rotated = (row.parity[up] & 127) << 1 | above.parity[up] >> 7;
        (row.parity[(x + 4) % 5], rotated)
    });
    let after = core::array::from_fn(|i| {
        let (left, rotated) = operands[i % 5];
        row.out[i] ^ left ^ rotated
    });
    (operands, after)
}

/// Row `q`'s θ and ρ cells, recording their lookups.
fn theta_and_split(chi: &[Chi; ROWS_PER_PASS], q: usize, and_pairs: &mut Vec<(u8, u8)>) -> Theta {
    let mut and = |a: u8, c: u8| {
        and_pairs.push((a, c));
        a & c
    };
    let above = (q + ROWS_PER_PASS - 1) % ROWS_PER_PASS;
    let (operands, after) = theta_operands(chi, q);
    let (_, above_after) = theta_operands(chi, above);
    let mut t = Theta {
        after,
        ..Theta::default()
    };
    for (x, &(left, rotated)) in operands.iter().enumerate() {
        t.top[x] = chi[above].parity[x] >> 7;
        t.e[x] = and(left, rotated);
    }
    for i in 0..LANES {
        let (left, rotated) = operands[i % 5];
        t.h[i] = and(chi[q].out[i], left ^ rotated);
    }
    for (m, &lane) in ROTATED.iter().enumerate() {
        let s = ROTATION[lane] % 8;
        t.lo[m] = and(after[lane], ((1u16 << (8 - s)) - 1) as u8);
        t.carry[m] = above_after[lane] >> (8 - s);
    }
    t
}
