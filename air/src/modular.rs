//! The Modular component: ADDMOD and MULMOD, one row per operation.
//!
//! The CPU pops `a`, `b`, `n` and provides `(opcode, ctr, ctx, slot, a₀…a₇, b₀…b₇, n₀…n₇)` on
//! bus [`MODULAR`] (32-bit limbs; `ctr` and `slot` are the RW counter and stack slot of the
//! result). This table consumes the message, proves the result `r` and writes it to the stack
//! itself: it provides the RW write `(ctr, stack, ctx, slot, 1, r)`, so the CPU holds no fourth
//! word.
//!
//! One relation over 512 bits, in sixteen-bit limbs, covers both operations:
//!
//! > `[MULMOD]·a·b + [ADDMOD]·(a + b) = q·n′ + r`, with `r < n′`,
//!
//! where `n′ = n + [n = 0]`: a zero modulus becomes 1, so `r = 0`, the EVM's result, and `q`
//! (32 limbs) holds the whole left side. The left side is below 2⁵¹², so `q` and `r` are
//! unique.
//!
//! How each part is pinned:
//! - **limbs**: every limb of `a`, `b`, `n′`, `q`, `r` is looked up in the 16-bit range table;
//! - **the relation**: column sums taken two positions at a time,
//!   `T₂ₘ + 2¹⁶·T₂ₘ₊₁ + κₘ₋₁ = 2³²·κₘ`, with signed carries (the two sides are subtracted)
//!   stored offset on live rows, `κₘ + 2²² = cl + 2¹⁶·ch` (`cl`, `ch·2⁹` looked up). Every term is below
//!   2⁵⁶ in absolute value, so each equation holds over the integers;
//! - **n = 0**: `nz` with `nz·Σn = 0`, `live − nz = Σn·ninv`, `nz·ninv = 0`, `Σn` the sum of
//!   the message's 32-bit limbs (`n′₀ − nz` and the rest);
//! - **r < n′**: a one-hot `e` marks the highest 32-bit limb where they differ; above it the
//!   limbs are equal, at it `n′ₖ − rₖ − 1 = dl + 2¹⁶·dh ≥ 0`.
//!
//! Operand limbs are below 2³² by the CPU's stack invariant, and the result's limbs, built
//! from range-checked halves, keep it.

use crate::algebra::Algebra;
use crate::bus::{BusId, BusValues, Direction, Interaction};
use crate::component::{column_names, padded_len, BoundaryValue, Component, Window};
use crate::halves::{self, limb32, Below, HALVES};
use crate::registry::ComponentId;
use crate::rw::{Kind, LIMBS, RW};
use zkevm_evm_spec::witness::Word;
use zkevm_field::Goldilocks;

/// Bus of three-operand operations, provided by the CPU:
/// `(opcode, ctr, ctx, slot, a₀…a₇, b₀…b₇, n₀…n₇)`.
pub const MODULAR: BusId = 35;

/// Fields of a [`MODULAR`] message.
pub const FIELDS: usize = 4 + 3 * LIMBS;

/// ADDMOD's and MULMOD's opcodes.
pub const ADDMOD: u8 = 0x08;
pub const MULMOD: u8 = 0x09;

/// 16-bit limbs of the 512-bit quotient.
const WIDE: usize = 2 * HALVES;
/// Pairs of positions of the relation (positions 0…47: `q·n′` reaches 46), and the carries
/// between them (the last pair's carry is zero).
const PAIRS: usize = 24;
const CARRIES: usize = PAIRS - 1;
/// Carries are stored plus this offset, so the range checks see non-negative values.
const CARRY_OFFSET: u64 = 1 << 22;

/// Column indices.
pub mod col {
    use super::{CARRIES, HALVES, LIMBS, WIDE};
    pub const LIVE: usize = 0;
    pub const IS_ADDMOD: usize = 1;
    pub const IS_MULMOD: usize = 2;
    /// The result's RW counter, frame and stack slot.
    pub const CTR: usize = 3;
    pub const CTX: usize = 4;
    pub const SLOT: usize = 5;
    /// 16-bit limbs, least significant first.
    pub const A: usize = 6;
    pub const B: usize = A + HALVES;
    /// `n′ = n + [n = 0]`.
    pub const N: usize = B + HALVES;
    pub const Q: usize = N + HALVES;
    pub const R: usize = Q + WIDE;
    /// `[n = 0]` and the inverse of `Σn` when it is not zero.
    pub const NZ: usize = R + HALVES;
    pub const NINV: usize = NZ + 1;
    /// Offset carries `κₘ + 2²² = cl + 2¹⁶·ch`.
    pub const CL: usize = NINV + 1;
    pub const CH: usize = CL + CARRIES;
    /// One-hot: the highest 32-bit limb where `r < n′` is decided.
    pub const E: usize = CH + CARRIES;
    /// `n′ₖ − rₖ − 1` at that limb, as 16-bit halves.
    pub const DL: usize = E + LIMBS;
    pub const DH: usize = DL + 1;
    pub const WIDTH: usize = DH + 1;
}

/// r < n′: the remainder below the modulus.
const REMAINDER_BELOW: Below = Below {
    x: col::R,
    y: col::N,
    one_hot: col::E,
    diff: col::DL,
};

/// ADDMOD and MULMOD over 256-bit words.
#[derive(Debug, Default, Clone, Copy)]
pub struct Modular;

/// `T_k`: the left side's minus the right side's terms at position `k`.
fn position<V: Algebra>(r: &[V], k: usize) -> V {
    let (add, mul) = (r[col::IS_ADDMOD], r[col::IS_MULMOD]);
    let mut t = V::zero();
    if k < HALVES {
        t = t + add * (r[col::A + k] + r[col::B + k]) - r[col::R + k];
    }
    let mut product = V::zero();
    for i in k.saturating_sub(HALVES - 1)..=k.min(HALVES - 1) {
        product = product + r[col::A + i] * r[col::B + k - i];
    }
    t = t + mul * product;
    for j in k.saturating_sub(WIDE - 1)..=k.min(HALVES - 1) {
        t = t - r[col::Q + k - j] * r[col::N + j];
    }
    t
}

const NAMES: [&str; col::WIDTH] = column_names(
    "limb",
    &[
        (col::LIVE, 1, "live"),
        (col::IS_ADDMOD, 1, "is_addmod"),
        (col::IS_MULMOD, 1, "is_mulmod"),
        (col::CTR, 1, "ctr"),
        (col::CTX, 1, "ctx"),
        (col::SLOT, 1, "slot"),
        (col::A, HALVES, "a"),
        (col::B, HALVES, "b"),
        (col::N, HALVES, "n"),
        (col::Q, WIDE, "q"),
        (col::R, HALVES, "r"),
        (col::CL, CARRIES, "carry_lo"),
        (col::CH, CARRIES, "carry_hi"),
        (col::E, LIMBS, "e"),
        (col::NZ, 1, "n_zero"),
        (col::NINV, 1, "n_inv"),
        (col::DL, 1, "diff_lo"),
        (col::DH, 1, "diff_hi"),
    ],
);

impl Component for Modular {
    const ID: ComponentId = ComponentId::Modular;
    const NAME: &'static str = "modular";
    const COLUMNS: &'static [&'static str] = &NAMES;
    /// 146 interactions grouped four to a helper.
    const GROUPING_DEGREE: usize = 5;

    fn transition_degrees(&self) -> Vec<usize> {
        Vec::new()
    }

    fn eval_transition<V: Algebra>(&self, _w: &Window<'_, V>, _out: &mut [V]) {}

    fn row_degrees(&self) -> Vec<usize> {
        let mut d = vec![2, 2, 2, 1]; // live, selectors boolean, selectors sum to live
        d.extend([3; PAIRS]); // the relation
        d.extend([2; 4]); // n = 0
        d.extend(Below::degrees(1)); // r < n′ on live rows
        d
    }

    fn eval_row<V: Algebra>(&self, r: &[V], out: &mut [V]) {
        let mut out = out.iter_mut();
        let mut emit = |v: V| *out.next().expect("declared constraint") = v;
        let live = r[col::LIVE];
        emit(live.booleanity());
        emit(r[col::IS_ADDMOD].booleanity());
        emit(r[col::IS_MULMOD].booleanity());
        emit(r[col::IS_ADDMOD] + r[col::IS_MULMOD] - live);
        // Padding rows hold zeros: the offset applies to live rows only.
        let carry = |m: usize| {
            r[col::CL + m] + r[col::CH + m] * V::from_u64(1 << 16)
                - live * V::from_u64(CARRY_OFFSET)
        };
        for m in 0..PAIRS {
            let carry_in = if m == 0 { V::zero() } else { carry(m - 1) };
            let carry_out = if m == CARRIES {
                V::zero()
            } else {
                carry(m) * V::from_u64(1 << 32)
            };
            emit(
                position(r, 2 * m) + position(r, 2 * m + 1) * V::from_u64(1 << 16) + carry_in
                    - carry_out,
            );
        }
        let nz = r[col::NZ];
        // The message's own limbs (each below 2³², so the sum cannot wrap): summing the 16-bit
        // halves instead would let n′ = 2¹⁶ pass for a zero modulus.
        let n_sum = (0..LIMBS).fold(V::zero(), |acc, k| acc + limb32(r, col::N, k)) - nz;
        emit(nz.booleanity());
        emit(nz * n_sum);
        emit(live - nz - n_sum * r[col::NINV]);
        emit(nz * r[col::NINV]);
        REMAINDER_BELOW.constraints(r, live, &mut emit);
    }

    fn boundary(&self) -> Vec<BoundaryValue> {
        // Winterfell needs an assertion; the last row is always padding.
        vec![BoundaryValue::last(col::LIVE, 0)]
    }

    fn interactions(&self) -> Vec<Interaction> {
        let mut interactions = vec![
            Interaction::linear(MODULAR, Direction::Consume, FIELDS),
            Interaction::linear(RW, Direction::Provide, 5 + LIMBS),
        ];
        interactions.extend([crate::range::lookup(); RANGE_LOOKUPS]);
        interactions
    }

    fn eval_interactions<V: Algebra>(&self, r: &[V], out: &mut [BusValues<V>]) {
        let live = r[col::LIVE];
        let (ctr, ctx, slot) = (r[col::CTR], r[col::CTX], r[col::SLOT]);
        let mut fields = [V::zero(); FIELDS];
        fields[0] = r[col::IS_ADDMOD] * V::from_u64(ADDMOD as u64)
            + r[col::IS_MULMOD] * V::from_u64(MULMOD as u64);
        fields[1] = ctr;
        fields[2] = ctx;
        fields[3] = slot;
        for k in 0..LIMBS {
            fields[4 + k] = limb32(r, col::A, k);
            fields[4 + LIMBS + k] = limb32(r, col::B, k);
            fields[4 + 2 * LIMBS + k] = limb32(r, col::N, k);
        }
        fields[4 + 2 * LIMBS] = fields[4 + 2 * LIMBS] - r[col::NZ];
        out[0].set(live, &fields);
        let mut result = [V::zero(); LIMBS];
        for (k, limb) in result.iter_mut().enumerate() {
            *limb = limb32(r, col::R, k);
        }
        let stack = V::from_u64(Kind::Stack as u64);
        out[1].set_parts(live, &[&[ctr, stack, ctx, slot, V::one()], &result]);
        let mut at = 2;
        let mut look = |value: V| {
            out[at].set(live, &[value]);
            at += 1;
        };
        for (word, len) in [
            (col::A, HALVES),
            (col::B, HALVES),
            (col::N, HALVES),
            (col::Q, WIDE),
            (col::R, HALVES),
        ] {
            for i in 0..len {
                look(r[word + i]);
            }
        }
        for m in 0..CARRIES {
            look(r[col::CL + m]);
            look(r[col::CH + m] * V::from_u64(1 << 9));
        }
        look(r[col::DL]);
        look(r[col::DH]);
    }
}

/// 16-bit values each live row looks up.
const RANGE_LOOKUPS: usize = 4 * HALVES + WIDE + 2 * CARRIES + 2;

/// One ADDMOD or MULMOD the CPU executed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ModularOp {
    pub opcode: u8,
    /// RW counter and stack slot of the result's write.
    pub ctr: u32,
    pub ctx: u32,
    pub slot: u32,
    pub a: [u32; LIMBS],
    pub b: [u32; LIMBS],
    pub n: [u32; LIMBS],
}

impl ModularOp {
    /// The CPU's message for it.
    pub fn fields(&self) -> Vec<Goldilocks> {
        let mut fields = vec![
            self.opcode as u64,
            self.ctr as u64,
            self.ctx as u64,
            self.slot as u64,
        ];
        for word in [&self.a, &self.b, &self.n] {
            fields.extend(word.iter().map(|&l| l as u64));
        }
        fields.into_iter().map(Goldilocks::new).collect()
    }

    /// `(a + b) mod n` or `(a·b) mod n` over the integers, 0 for `n = 0`; and the quotient.
    fn divide(&self) -> (Wide, Word) {
        let (a, b, n) = (word(&self.a), word(&self.b), word(&self.n));
        let left = match self.opcode {
            ADDMOD => wide_sum(&a, &b),
            _ => halves::product(&halves::of_word(&a), &halves::of_word(&b)),
        };
        let divisor = if n.is_zero() { Word::from(1) } else { n };
        wide_divide(&left, &divisor)
    }

    /// The result the EVM pushes.
    pub fn result(&self) -> [u32; LIMBS] {
        crate::rw::limbs(&self.divide().1)
    }

    /// The stack write of its result.
    pub fn access(&self) -> crate::rw::Access {
        crate::rw::Access {
            ctr: self.ctr,
            kind: Kind::Stack,
            ctx: self.ctx,
            addr: self.slot,
            write: true,
            value: self.result(),
        }
    }
}

fn word(limbs: &[u32; LIMBS]) -> Word {
    crate::storage::word_of(limbs)
}

/// A 512-bit value as thirty-two 16-bit limbs.
type Wide = [u64; WIDE];

fn wide_sum(a: &Word, b: &Word) -> Wide {
    let (x, y) = (halves::of_word(a), halves::of_word(b));
    let mut sums = [0u64; WIDE];
    for i in 0..HALVES {
        sums[i] = x[i] + y[i];
    }
    halves::normalize(sums)
}

/// `left / d` and `left mod d` for a non-zero divisor, by schoolbook long division on bits
/// (the remainder stays below `d < 2²⁵⁶`, so it fits a word after each shift only with one
/// extra bit: the top bit is carried explicitly).
fn wide_divide(left: &Wide, d: &Word) -> (Wide, Word) {
    let mut quotient = [0u64; WIDE];
    let mut remainder = Word::ZERO;
    for bit in (0..16 * WIDE).rev() {
        let overflow = remainder.bit(255);
        remainder <<= 1;
        if (left[bit / 16] >> (bit % 16)) & 1 == 1 {
            remainder |= Word::from(1);
        }
        // The true remainder is 2²⁵⁶·overflow + remainder, below 2·d.
        if overflow || remainder >= *d {
            remainder = remainder.wrapping_sub(*d);
            quotient[bit / 16] |= 1 << (bit % 16);
        }
    }
    (quotient, remainder)
}

/// A laid-out table and the 16-bit values it looks up.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ModularTrace {
    pub columns: Vec<Vec<Goldilocks>>,
    pub range_lookups: Vec<u16>,
}

/// The table of `ops`, padding rows after.
pub fn trace(ops: &[ModularOp]) -> ModularTrace {
    let rows = padded_len(ops.len());
    let mut columns = vec![vec![Goldilocks::ZERO; rows]; col::WIDTH];
    let mut range_lookups = Vec::with_capacity(RANGE_LOOKUPS * ops.len());
    for (index, op) in ops.iter().enumerate() {
        let (quotient, remainder) = op.divide();
        let n = word(&op.n);
        let n_zero = n.is_zero();
        let divisor = if n_zero { Word::from(1) } else { n };
        let (a, b, nh, r) = (
            halves::of_word(&word(&op.a)),
            halves::of_word(&word(&op.b)),
            halves::of_word(&divisor),
            halves::of_word(&remainder),
        );
        let mut set = |column: usize, value: u64| columns[column][index] = Goldilocks::new(value);
        set(col::LIVE, 1);
        set(
            if op.opcode == ADDMOD {
                col::IS_ADDMOD
            } else {
                col::IS_MULMOD
            },
            1,
        );
        set(col::CTR, op.ctr as u64);
        set(col::CTX, op.ctx as u64);
        set(col::SLOT, op.slot as u64);
        for (start, values) in [
            (col::A, &a[..]),
            (col::B, &b[..]),
            (col::N, &nh[..]),
            (col::Q, &quotient[..]),
            (col::R, &r[..]),
        ] {
            for (i, &v) in values.iter().enumerate() {
                set(start + i, v);
                range_lookups.push(v as u16);
            }
        }
        set(col::NZ, n_zero as u64);
        // Carries of the paired positions, from the same terms the constraints use.
        let position = |k: usize| -> i128 {
            let mut t: i128 = 0;
            if k < HALVES {
                if op.opcode == ADDMOD {
                    t += (a[k] + b[k]) as i128;
                }
                t -= r[k] as i128;
            }
            if op.opcode == MULMOD {
                for i in k.saturating_sub(HALVES - 1)..=k.min(HALVES - 1) {
                    t += (a[i] * b[k - i]) as i128;
                }
            }
            for j in k.saturating_sub(WIDE - 1)..=k.min(HALVES - 1) {
                t -= (quotient[k - j] * nh[j]) as i128;
            }
            t
        };
        let mut carry: i128 = 0;
        for m in 0..CARRIES {
            let total = position(2 * m) + (position(2 * m + 1) << 16) + carry;
            debug_assert_eq!(total % (1 << 32), 0, "relation broken");
            carry = total >> 32;
            let stored = (carry + CARRY_OFFSET as i128) as u64;
            set(col::CL + m, stored & 0xffff);
            set(col::CH + m, stored >> 16);
            range_lookups.extend([stored as u16, ((stored >> 16) << 9) as u16]);
        }
        let (k, diff) = Below::witness(&crate::rw::limbs(&remainder), &crate::rw::limbs(&divisor));
        set(col::E + k, 1);
        set(col::DL, diff[0] as u64);
        set(col::DH, diff[1] as u64);
        range_lookups.extend(diff);
        let n_sum: u64 = crate::rw::limbs(&n).iter().map(|&l| l as u64).sum();
        if n_sum != 0 {
            columns[col::NINV][index] = Goldilocks::new(n_sum).inverse();
        }
    }
    ModularTrace {
        columns,
        range_lookups,
    }
}

/// The CPU's messages for `ops`, as public messages: the table tested alone consumes them as
/// it would the CPU's, and the RW writes it provides are consumed as the RW table would.
#[cfg(test)]
pub fn messages(ops: &[ModularOp]) -> Vec<crate::PublicMessage> {
    use crate::PublicMessage;
    let mut messages: Vec<PublicMessage> = ops
        .iter()
        .map(|op| PublicMessage::provide(MODULAR, &op.fields()))
        .collect();
    for op in ops {
        let access = op.access();
        let mut fields = vec![
            access.ctr as u64,
            Kind::Stack as u64,
            access.ctx as u64,
            access.addr as u64,
            1,
        ];
        fields.extend(access.value.iter().map(|&l| l as u64));
        let fields: Vec<Goldilocks> = fields.into_iter().map(Goldilocks::new).collect();
        messages.push(PublicMessage {
            direction: Direction::Consume,
            ..PublicMessage::provide(RW, &fields)
        });
    }
    messages
}

#[cfg(test)]
mod tests;
