//! The Keccak-256 sponge: KECCAK256's padded message absorbed into Keccak-f permutations, and
//! the digest squeezed out.
//!
//! A hash of `size` bytes has `nb = ⌊size/136⌋ + 1` blocks of 136 bytes (the rate). The Copy
//! component reads the bytes from memory and pads them (`0x01` at `size`, `0x80` on the last
//! byte, `0x81` when both fall together), providing `(ctr, index, byte)` on [`SPONGE_BYTES`]
//! for every padded index: `ctr` names the KECCAK256 step (its RW counter), which consumes
//! `(ctr, digest limbs)` from [`HASH`]. The Bytecode component provides every code's padded
//! bytes the same way, under `ctr = CODE_HASH_TAG + code_id`
//! ([`crate::bytecode::CODE_HASH_TAG`]), and the verifier consumes the code hashes.
//!
//! # Layout
//! A hash is `nb + 1` *segments* of 8 rows, lined up with the Keccak component's passes: row
//! `q` of a segment holds byte `q` of every lane. Segment `s < nb` absorbs block `s`:
//! - `state` is byte `q` of the state before the block: zero in the hash's first segment
//!   (`fresh`), otherwise the output of permutation `j − 1`, consumed from
//!   [`crate::keccak::KECCAK_IO`] as `(j − 1, 1, q, state)`;
//! - `message[l]` is byte `8l + q` of the block (lanes 0–16 are the rate), consumed from the
//!   Copy or Bytecode component as `(ctr, 136·block + 8l + q, message[l])`;
//! - `and[l] = state[l] AND message[l]` is looked up in the AND table (which makes both bytes),
//!   so `state[l] + message[l] − 2·and[l]` is their XOR;
//! - the XORed rate and the untouched capacity lanes 17–24 are provided as permutation `j`'s
//!   input, `(j, 0, q, …)`.
//!
//! Segment `nb` squeezes: it consumes the last permutation's output as its `state`, whose lanes
//! 0–3 are the digest (`digest[8l + q] = state[l]` on row `q`); the 32 digest bytes stay
//! constant over the hash, and its first row provides them on [`HASH`] as the eight 32-bit
//! limbs of the big-endian word, as the CPU writes words.
//!
//! Control: `live`, a prefix; `start` on a hash's first row; one-hot `sel₀…sel₇` giving `q`,
//! shifted down each row; `absorb` on absorbing segments (a hash starts absorbing, never
//! absorbs after it squeezes, and squeezes exactly one segment before the next hash or the
//! padding); `fresh` on the hash's first segment; `block` counts segments within the hash;
//! `j` counts absorbing segments over the whole table, so the permutations are numbered as the
//! Keccak component numbers them, and each permutation's output is consumed exactly once (by
//! the next segment of its hash).
//!
//! # Cost
//! 106 main columns and 37 interactions per row (17 AND lookups, 17 message bytes, the
//! permutation's input and output, the digest) in 15 auxiliary extension columns: 8 rows per
//! block, plus 8 for the squeeze, 1,088 cells each. A 32-byte hash costs 2,176 Sponge cells,
//! 136 Copy rows (the padded block) and one permutation (54,400 Keccak cells): the permutation
//! dominates.

mod trace;

#[cfg(test)]
mod tests;

pub use trace::{digest, hashing_tables, padded, padded_size, trace, Hash, SpongeTrace};

use crate::algebra::Algebra;
use crate::bitwise::BYTE_AND;
use crate::bus::{BusId, BusValues, Direction, Interaction};
use crate::component::{BoundaryValue, Component, Window};
use crate::cpu::LIMBS;
use crate::keccak::{KECCAK_IO, LANES, ROWS_PER_PASS};
use crate::registry::ComponentId;

/// Padded message bytes, provided by the Copy component (KECCAK256) and the Bytecode
/// component (code hashes): `(ctr, index, byte)`.
pub const SPONGE_BYTES: BusId = 43;
/// Digests, provided by the sponge: `(ctr, limb₀…limb₇)`, limb 0 the least significant.
pub const HASH: BusId = 44;

/// Bytes per block (the rate of Keccak-256).
pub const RATE: usize = 136;
/// Lanes a block covers.
pub const RATE_LANES: usize = RATE / 8;
/// Bytes of a digest.
pub const DIGEST_BYTES: usize = 32;

/// Column indices.
pub mod col {
    use super::{DIGEST_BYTES, LANES, RATE_LANES, ROWS_PER_PASS};
    pub const LIVE: usize = 0;
    pub const START: usize = 1;
    pub const FRESH: usize = 2;
    pub const ABSORB: usize = 3;
    /// `sel_q`: the row's position in its segment.
    pub const SEL: usize = 4;
    pub const CTR: usize = SEL + ROWS_PER_PASS;
    pub const BLOCK: usize = CTR + 1;
    /// The permutation this segment absorbs into (`j`).
    pub const PERMUTATION: usize = BLOCK + 1;
    pub const STATE: usize = PERMUTATION + 1;
    pub const MESSAGE: usize = STATE + LANES;
    pub const AND: usize = MESSAGE + RATE_LANES;
    pub const DIGEST: usize = AND + RATE_LANES;
    pub const WIDTH: usize = DIGEST + DIGEST_BYTES;
}

/// The Keccak-256 sponge of KECCAK256 and of code hashes.
#[derive(Debug, Default, Clone, Copy)]
pub struct Sponge;

fn c<V: Algebra>(value: u64) -> V {
    V::from_u64(value)
}

/// `q`, the row's position in its segment (0 on padding rows).
fn row_number<V: Algebra>(r: &[V]) -> V {
    (0..ROWS_PER_PASS).fold(V::zero(), |sum, q| sum + r[col::SEL + q] * c(q as u64))
}

impl Component for Sponge {
    const ID: ComponentId = ComponentId::Sponge;
    const NAME: &'static str = "sponge";
    const COLUMNS: &'static [&'static str] = &crate::component::column_names::<{ col::WIDTH }>(
        "",
        &[
            (col::LIVE, 1, "live"),
            (col::START, 1, "start"),
            (col::FRESH, 1, "fresh"),
            (col::ABSORB, 1, "absorb"),
            (col::SEL, ROWS_PER_PASS, "sel"),
            (col::CTR, 1, "ctr"),
            (col::BLOCK, 1, "block"),
            (col::PERMUTATION, 1, "permutation"),
            (col::STATE, LANES, "state"),
            (col::MESSAGE, RATE_LANES, "message"),
            (col::AND, RATE_LANES, "and"),
            (col::DIGEST, DIGEST_BYTES, "digest"),
        ],
    );

    fn transition_degrees(&self) -> Vec<usize> {
        let mut degrees = vec![2; 1 + ROWS_PER_PASS];
        degrees.extend([3, 3, 3, 3, 4, 3, 4, 4, 4, 3]);
        degrees.extend([3; DIGEST_BYTES]);
        degrees
    }

    fn eval_transition<V: Algebra>(&self, w: &Window<'_, V>, out: &mut [V]) {
        let (r, n) = (w.current, w.next);
        let one = V::one();
        let (live, live_next) = (r[col::LIVE], n[col::LIVE]);
        let end = r[col::SEL + ROWS_PER_PASS - 1];
        let absorb = r[col::ABSORB];
        // The next row continues this hash.
        let same_hash = live_next * (one - n[col::START]);
        let mut o = 0;
        let mut emit = |value: V| {
            out[o] = value;
            o += 1;
        };
        emit((one - live) * live_next);
        for q in 0..ROWS_PER_PASS - 1 {
            emit(live_next * (n[col::SEL + q + 1] - r[col::SEL + q]));
        }
        emit(live_next * (n[col::SEL] - end));
        // Segments are whole, and a hash starts only at a segment's first row.
        emit(live * (one - end) * (one - live_next));
        emit(live_next * (one - end) * n[col::START]);
        emit(live_next * (n[col::PERMUTATION] - r[col::PERMUTATION] - end * absorb));
        emit(same_hash * (n[col::BLOCK] - r[col::BLOCK] - end));
        emit(same_hash * (n[col::FRESH] - r[col::FRESH] * (one - end)));
        emit(live_next * (one - end) * (n[col::ABSORB] - absorb));
        // Absorbing, then one squeezing segment, then the next hash (or padding).
        emit(same_hash * n[col::ABSORB] * (one - absorb));
        emit(end * (live - absorb) * same_hash);
        emit(end * absorb * (one - same_hash));
        emit(same_hash * (n[col::CTR] - r[col::CTR]));
        for i in 0..DIGEST_BYTES {
            emit(same_hash * (n[col::DIGEST + i] - r[col::DIGEST + i]));
        }
    }

    fn row_degrees(&self) -> Vec<usize> {
        let mut degrees = vec![2; 4 + ROWS_PER_PASS];
        degrees.extend([1, 2, 2, 2, 2, 2]);
        degrees.extend([2; LANES]);
        degrees.extend([3; DIGEST_BYTES / ROWS_PER_PASS]);
        degrees
    }

    fn eval_row<V: Algebra>(&self, r: &[V], out: &mut [V]) {
        let one = V::one();
        let live = r[col::LIVE];
        let (start, fresh, absorb) = (r[col::START], r[col::FRESH], r[col::ABSORB]);
        let mut o = 0;
        let mut emit = |value: V| {
            out[o] = value;
            o += 1;
        };
        for column in [col::LIVE, col::START, col::FRESH, col::ABSORB] {
            emit(r[column].booleanity());
        }
        for q in 0..ROWS_PER_PASS {
            emit(r[col::SEL + q].booleanity());
        }
        let selected = (0..ROWS_PER_PASS).fold(V::zero(), |sum, q| sum + r[col::SEL + q]);
        emit(selected - live);
        emit(start * (one - r[col::SEL]));
        emit(start * (one - fresh));
        emit(fresh * (one - absorb));
        emit(start * r[col::BLOCK]);
        emit(absorb * (one - live));
        // The first block meets the zero state.
        for l in 0..LANES {
            emit(fresh * r[col::STATE + l]);
        }
        // The squeeze: lanes 0–3 of the final state are the digest, byte `q` on row `q`.
        let squeeze = live - absorb;
        for l in 0..DIGEST_BYTES / ROWS_PER_PASS {
            let digest_byte = (0..ROWS_PER_PASS).fold(V::zero(), |sum, q| {
                sum + r[col::SEL + q] * r[col::DIGEST + ROWS_PER_PASS * l + q]
            });
            emit(squeeze * (r[col::STATE + l] - digest_byte));
        }
    }

    fn boundary(&self) -> Vec<BoundaryValue> {
        vec![
            BoundaryValue::first(col::START, 1),
            BoundaryValue::first(col::PERMUTATION, 0),
            BoundaryValue::last(col::LIVE, 0),
        ]
    }

    fn interactions(&self) -> Vec<Interaction> {
        let mut shapes = vec![Interaction::linear(BYTE_AND, Direction::Consume, 3); RATE_LANES];
        shapes.extend([Interaction::linear(SPONGE_BYTES, Direction::Consume, 3); RATE_LANES]);
        shapes.push(Interaction::linear(
            KECCAK_IO,
            Direction::Provide,
            3 + LANES,
        ));
        shapes.push(Interaction::linear(
            KECCAK_IO,
            Direction::Consume,
            3 + LANES,
        ));
        shapes.push(Interaction::linear(HASH, Direction::Provide, 1 + LIMBS));
        shapes
    }

    fn eval_interactions<V: Algebra>(&self, r: &[V], out: &mut [BusValues<V>]) {
        let (live, absorb) = (r[col::LIVE], r[col::ABSORB]);
        let state = &r[col::STATE..col::STATE + LANES];
        let message = &r[col::MESSAGE..col::MESSAGE + RATE_LANES];
        let and = &r[col::AND..col::AND + RATE_LANES];
        let q = row_number(r);
        for l in 0..RATE_LANES {
            out[l].set(absorb, &[state[l], message[l], and[l]]);
        }
        let first_index = r[col::BLOCK] * c(RATE as u64) + q;
        for l in 0..RATE_LANES {
            let index = first_index + c(8 * l as u64);
            out[RATE_LANES + l].set(absorb, &[r[col::CTR], index, message[l]]);
        }
        let j = r[col::PERMUTATION];
        let mut fields = [V::zero(); 3 + LANES];
        fields[0] = j;
        fields[2] = q;
        for l in 0..LANES {
            fields[3 + l] = match l < RATE_LANES {
                true => state[l] + message[l] - and[l] * c(2),
                false => state[l],
            };
        }
        out[2 * RATE_LANES].set(absorb, &fields);
        fields[0] = j - V::one();
        fields[1] = V::one();
        fields[3..].copy_from_slice(state);
        out[2 * RATE_LANES + 1].set(live - r[col::FRESH], &fields);
        // The digest as the CPU's word: limb i holds bytes 28 − 4i … 31 − 4i, big-endian.
        let mut digest = [V::zero(); 1 + LIMBS];
        digest[0] = r[col::CTR];
        for (i, limb) in digest[1..].iter_mut().enumerate() {
            *limb = (0..4).fold(V::zero(), |sum, t| {
                sum * c(256) + r[col::DIGEST + DIGEST_BYTES - 4 - 4 * i + t]
            });
        }
        out[2 * RATE_LANES + 2].set(r[col::START], &digest);
    }
}
