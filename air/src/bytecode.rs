//! The Bytecode component: every byte of every executed code, with PUSH data marked.
//!
//! One row per byte of each code's padded Keccak message (below), codes one after another,
//! each from index 0: the code, then zeros (the EVM executes past the end of a code as STOP,
//! and a PUSH reads zeros there), then padding rows.
//! The CPU fetches `(code_id, index, byte, is_code)` from here: an opcode fetch or a jump
//! destination asks for `is_code = 1`, so a JUMPDEST byte inside PUSH data cannot serve as one.
//!
//! # Binding to code hashes
//! The statement carries each code's Keccak-256 hash and length ([`CodeHash`]), not its bytes.
//! A code of `len` bytes occupies `span = padded_size(len)` rows (indices `0 … span − 1`: the
//! code, then zeros, so the STOP the EVM executes past the end is there), exactly the padded
//! message the [`crate::sponge`] absorbs: every live row provides
//! `(CODE_HASH_TAG + code_id, index, byte + pad_start + 0x80·last)` on
//! [`crate::sponge::SPONGE_BYTES`], Keccak's padding added where it falls. The verifier
//! consumes the hash (`(CODE_HASH_TAG + code_id, limbs)` on [`crate::sponge::HASH`]) and
//! provides `(code_id, len, 0)` and `(code_id, span − 1, 1)` on [`CODE_BOUNDS`] ([`public_messages`]),
//! which the row where the data ends (`pad_start`) and the code's last row (`last`) consume.
//! So every code in the table is a statement's code, hashing to the statement's hash, each
//! index once: the sponge consumes each padded index once per hash, and a second run of a code
//! would need bounds and a hash the verifier gives once. Sponge counters of codes are
//! [`CODE_HASH_TAG`] + `code_id` (from 2⁴⁰ + 1), beyond any RW counter a KECCAK256 step can
//! have (see the CPU's boundary values).
//!
//! Columns and what pins each:
//! - order: `first` starts a code (`index = 0`); on every other live row `code_id` repeats and
//!   `index` grows by one. `last = live·(1 − live′·(1 − first′))` marks a code's last row (the
//!   table's own last row is padding, a boundary value).
//! - `is_data`: 1 on the code's own bytes, then 0; it only falls (`pad_start`, boolean, is
//!   `1 − is_data` on a first row and `is_data − is_data′` down the code), is 0 on the last
//!   row, and zero bytes follow it (`(1 − is_data)·byte = 0`).
//! - `bit₀ … bit₇`: booleans summing to `byte` (so `byte < 256`); `is_push = (1 − bit₇)·bit₆·bit₅`
//!   marks `0x60 ≤ byte ≤ 0x7f` (PUSH1 … PUSH32) and `push_n = is_push·(byte − 0x5f)`.
//! - `push_left`: push-data bytes still to come, this one included (0 on opcodes); 0 on a
//!   code's first row, then `push_left' = is_code ? push_n : push_left − 1`.
//!   `is_code = [push_left = 0]` through `is_code·push_left = 0` and
//!   `1 − is_code = push_left·push_left_inv`.
//! - `multiplicity`: how often the CPU fetches the row; zero on padding rows.
//! - PUSH values: a data byte with `push_left = L` is byte `L − 1` (from the least significant)
//!   of the pushed word, i.e. byte `k` of 32-bit limb `j` with `L − 1 = 4j + k`. One-hot
//!   `limb₀ … limb₇` and `lane₀ … lane₃` (all zero on opcode rows, one each on data rows) pin
//!   `j` and `k`; the accumulators `acc₀ … acc₇` are zero on opcode rows and on each data row add
//!   `byte·256ᵏ` to limb `j`. At the last data byte (`L = 1`, i.e. `limb₀·lane₀ = 1`) they hold
//!   the whole value, provided on [`PUSH_VALUE`] as `(code_id, index, acc₀ … acc₇)` with
//!   multiplicity `push_uses` (zero on every other row, and padding rows are opcode rows, so
//!   no padding row can assemble a value of its own). The CPU asks for it with
//!   `index = pc + n`. A PUSH whose data runs past the code's end reads the zeros after it,
//!   as the EVM does; one running past the code's span provides no value.
//! - `bad_jumps`: how often a taken jump halts here (bus [`BAD_JUMP`], `(code_id, index)`),
//!   only on live rows that are no JUMPDEST: `w = 1 − is_code + is_code·(byte − 0x5b)` (1 on
//!   PUSH data, `byte − 0x5b` on an opcode) times `jumpdest_inv` is 1. A destination past the
//!   span has no row: the code's last row (index `span − 1`, `last`) provides
//!   `(PAST_SPAN_TAG + code_id, span)` on the same bus, `past_jumps` times (zero on every
//!   other row), and the CPU's row shows the destination is no less; from 2²² on the CPU's
//!   far halt row proves them too (every code is shorter).
//! - `code_reads`: how often the Copy component's CODECOPY reads the byte (bus
//!   [`crate::copy::COPY_SOURCE`], `(0x39, code_source(code_id, index), byte)`, the index
//!   keyed by the code, [`crate::copy::code_source`]), only on data rows: the verifier
//!   provides the zeros past the end itself, per code.

use crate::algebra::Algebra;
use crate::bus::{BusId, BusValues, Direction, Interaction, PublicMessage};
use crate::component::{BoundaryValue, Component, Window};
use crate::copy::{CODECOPY, CODE_SOURCE_STRIDE, COPY_SOURCE};
use crate::error::AirError;
use crate::registry::ComponentId;
use crate::sponge::{self, HASH, SPONGE_BYTES};
use serde::{Deserialize, Serialize};
use zkevm_evm_spec::witness::Word;
use zkevm_field::Goldilocks;

/// Bus of the statement's code bounds: `(code_id, len, 0)` where a code's data ends and
/// `(code_id, span − 1, 1)` at its last padded byte.
pub const CODE_BOUNDS: BusId = 16;
/// Sponge counters of code hashes are `CODE_HASH_TAG + code_id`.
pub const CODE_HASH_TAG: u64 = 1 << 40;
/// Bus of byte fetches by the CPU: `(code_id, index, byte, is_code)`.
pub const BYTECODE: BusId = 17;
/// Bus of PUSH1 … PUSH32 values: `(code_id, index of the last data byte, v₀ … v₇)`, 32-bit
/// limbs, least significant first.
pub const PUSH_VALUE: BusId = 19;
/// Bus of jump destinations that are no JUMPDEST, `(code_id, index)`: provided by the row
/// there (PUSH data, or another byte), consumed by a CPU row halting on an invalid jump.
pub const BAD_JUMP: BusId = 50;
/// Added to the code id of a [`BAD_JUMP`] message for a jump past the code's span: `(tag +
/// code_id, span)`, which the code's last row provides (codes ids stay far below it).
pub const PAST_SPAN_TAG: u64 = 1 << 40;

/// Column indices.
pub mod col {
    pub const CODE_ID: usize = 0;
    pub const INDEX: usize = 1;
    pub const BYTE: usize = 2;
    pub const IS_CODE: usize = 3;
    pub const PUSH_LEFT: usize = 4;
    pub const PUSH_LEFT_INV: usize = 5;
    pub const IS_PUSH: usize = 6;
    pub const PUSH_N: usize = 7;
    pub const FIRST: usize = 8;
    pub const LIVE: usize = 9;
    pub const MULTIPLICITY: usize = 10;
    /// `bit₀`; `bitᵢ` is at `BIT + i`.
    pub const BIT: usize = 11;
    /// `limb₀`: the data byte belongs to limb `j` of the pushed word when `limbⱼ = 1`.
    pub const LIMB: usize = 19;
    /// `lane₀`: the data byte is byte `k` of its limb when `laneₖ = 1`.
    pub const LANE: usize = 27;
    /// `acc₀`: the pushed word's limbs accumulated so far.
    pub const ACC: usize = 31;
    /// How often the CPU pushes the value completed at this row.
    pub const PUSH_USES: usize = 39;
    pub const IS_DATA: usize = 40;
    pub const PAD_START: usize = 41;
    pub const LAST: usize = 42;
    pub const CODE_READS: usize = 43;
    /// How often a taken jump halts on this row, which is no JUMPDEST (`jumpdest_inv` proves
    /// it).
    pub const BAD_JUMPS: usize = 44;
    pub const JUMPDEST_INV: usize = 45;
    /// How often a taken jump halts past the code's span (only on its last row): the row
    /// provides `(PAST_SPAN_TAG + code_id, span)` on [`BAD_JUMP`](super::BAD_JUMP).
    pub const PAST_JUMPS: usize = 46;
}

/// Limbs of a pushed word.
const LIMBS: usize = 8;
/// Bytes per limb.
const LANES: usize = 4;

/// The first opcode byte of PUSH1 … PUSH32, less one: `push_n = byte − PUSH0`.
const PUSH0: u64 = 0x5f;

/// Code bytes, push analysis and fetch multiplicities.
#[derive(Debug, Default, Clone, Copy)]
pub struct Bytecode;

impl Component for Bytecode {
    const ID: ComponentId = ComponentId::Bytecode;
    const NAME: &'static str = "bytecode";
    const COLUMNS: &'static [&'static str] = &[
        "code_id",
        "index",
        "byte",
        "is_code",
        "push_left",
        "push_left_inv",
        "is_push",
        "push_n",
        "first",
        "live",
        "multiplicity",
        "bit0",
        "bit1",
        "bit2",
        "bit3",
        "bit4",
        "bit5",
        "bit6",
        "bit7",
        "limb0",
        "limb1",
        "limb2",
        "limb3",
        "limb4",
        "limb5",
        "limb6",
        "limb7",
        "lane0",
        "lane1",
        "lane2",
        "lane3",
        "acc0",
        "acc1",
        "acc2",
        "acc3",
        "acc4",
        "acc5",
        "acc6",
        "acc7",
        "push_uses",
        "is_data",
        "pad_start",
        "last",
        "code_reads",
        "bad_jumps",
        "jumpdest_inv",
        "past_jumps",
    ];

    fn transition_degrees(&self) -> Vec<usize> {
        let mut degrees = vec![2, 3, 3, 4];
        degrees.extend([4; LIMBS]);
        degrees.extend([3, 3]);
        degrees
    }

    fn eval_transition<V: Algebra>(&self, w: &Window<'_, V>, out: &mut [V]) {
        let (c, n) = (w.current, w.next);
        let one = V::one();
        // Live rows form a prefix.
        out[0] = (one - c[col::LIVE]) * n[col::LIVE];
        // A live next row that starts no code continues this one.
        let continues = n[col::LIVE] * (one - n[col::FIRST]);
        out[1] = continues * (n[col::CODE_ID] - c[col::CODE_ID]);
        out[2] = continues * (n[col::INDEX] - c[col::INDEX] - one);
        let is_code = c[col::IS_CODE];
        let expected_left = is_code * c[col::PUSH_N] + (one - is_code) * (c[col::PUSH_LEFT] - one);
        out[3] = continues * (n[col::PUSH_LEFT] - expected_left);
        // A data row adds its byte to its limb; rows after the last data byte are opcode rows.
        let data_next = one - n[col::IS_CODE];
        let scaled_byte = n[col::BYTE] * byte_scale(n);
        for j in 0..LIMBS {
            let added = n[col::LIMB + j] * scaled_byte;
            out[4 + j] = data_next * (n[col::ACC + j] - c[col::ACC + j] - added);
        }
        let at = 4 + LIMBS;
        out[at] = c[col::LAST] - c[col::LIVE] * (one - continues);
        let fall = c[col::IS_DATA] - n[col::IS_DATA];
        out[at + 1] = continues * (n[col::PAD_START] - fall);
    }

    fn row_degrees(&self) -> Vec<usize> {
        let mut degrees = vec![2; 7];
        degrees.extend([2; 8]);
        degrees.extend([1, 3, 2, 2]);
        degrees.extend([2; LIMBS + LANES]);
        degrees.extend([1, 1, 2]);
        degrees.extend([2; LIMBS]);
        degrees.extend([3, 2, 2]);
        degrees.extend([2; 9]);
        degrees.extend([4, 2, 2]); // invalid jump targets
        degrees
    }

    fn eval_row<V: Algebra>(&self, r: &[V], out: &mut [V]) {
        let one = V::one();
        let (live, first) = (r[col::LIVE], r[col::FIRST]);
        out[0] = live.booleanity();
        out[1] = first.booleanity();
        out[2] = first * (one - live);
        out[3] = first * r[col::INDEX];
        out[4] = first * r[col::PUSH_LEFT];
        out[5] = r[col::IS_CODE] * r[col::PUSH_LEFT];
        out[6] = one - r[col::IS_CODE] - r[col::PUSH_LEFT] * r[col::PUSH_LEFT_INV];
        let mut byte = V::zero();
        for i in 0..8 {
            let bit = r[col::BIT + i];
            out[7 + i] = bit.booleanity();
            byte = byte + bit * V::from_u64(1 << i);
        }
        out[15] = r[col::BYTE] - byte;
        let (b5, b6, b7) = (r[col::BIT + 5], r[col::BIT + 6], r[col::BIT + 7]);
        out[16] = r[col::IS_PUSH] - (one - b7) * b6 * b5;
        out[17] = r[col::PUSH_N] - r[col::IS_PUSH] * (r[col::BYTE] - V::from_u64(PUSH0));
        out[18] = (one - live) * r[col::MULTIPLICITY];
        // Position of a data byte in the pushed word: L − 1 = 4j + k, one-hot j and k.
        let data = one - r[col::IS_CODE];
        let (mut limbs, mut limb_index) = (V::zero(), V::zero());
        for j in 0..LIMBS {
            let flag = r[col::LIMB + j];
            out[19 + j] = flag.booleanity();
            limbs = limbs + flag;
            limb_index = limb_index + flag * V::from_u64(j as u64);
        }
        let (mut lanes, mut lane_index) = (V::zero(), V::zero());
        for k in 0..LANES {
            let flag = r[col::LANE + k];
            out[19 + LIMBS + k] = flag.booleanity();
            lanes = lanes + flag;
            lane_index = lane_index + flag * V::from_u64(k as u64);
        }
        let at = 19 + LIMBS + LANES;
        out[at] = limbs - data;
        out[at + 1] = lanes - data;
        let position = limb_index * V::from_u64(LANES as u64) + lane_index;
        out[at + 2] = data * (r[col::PUSH_LEFT] - one - position);
        for j in 0..LIMBS {
            out[at + 3 + j] = r[col::IS_CODE] * r[col::ACC + j];
        }
        out[at + 3 + LIMBS] = r[col::PUSH_USES] * (one - last_data_byte(r));
        // Padding rows are opcode rows that provide nothing: no free row can complete a value.
        out[at + 4 + LIMBS] = (one - live) * r[col::PUSH_USES];
        out[at + 5 + LIMBS] = (one - live) * (one - r[col::IS_CODE]);
        // The padding of the hashed message (module docs).
        let (is_data, pad_start) = (r[col::IS_DATA], r[col::PAD_START]);
        let at = at + 6 + LIMBS;
        out[at] = is_data.booleanity();
        out[at + 1] = pad_start.booleanity();
        out[at + 2] = first * (pad_start - one + is_data);
        out[at + 3] = (one - is_data) * r[col::BYTE];
        out[at + 4] = r[col::LAST] * is_data;
        // Padding rows hold no code: no bounds to consume, no data to serve CODECOPY from.
        out[at + 5] = (one - live) * pad_start;
        out[at + 6] = (one - live) * r[col::LAST];
        out[at + 7] = (one - live) * is_data;
        out[at + 8] = (one - is_data) * r[col::CODE_READS];
        // A bad jump's target is no JUMPDEST: `w = 1 − is_code + is_code·(byte − 0x5b)` is 1 on
        // PUSH data and `byte − 0x5b` on an opcode, and has an inverse.
        let is_code = r[col::IS_CODE];
        let jumpdest = V::from_u64(crate::cpu::JUMPDEST);
        let not_jumpdest = one - is_code + is_code * (r[col::BYTE] - jumpdest);
        out[at + 9] = r[col::BAD_JUMPS] * (not_jumpdest * r[col::JUMPDEST_INV] - one);
        out[at + 10] = (one - live) * r[col::BAD_JUMPS];
        // Only a code's last row (index `span − 1`) serves jumps past its span.
        out[at + 11] = (one - r[col::LAST]) * r[col::PAST_JUMPS];
    }

    fn boundary(&self) -> Vec<BoundaryValue> {
        vec![
            BoundaryValue::first(col::FIRST, 1),
            BoundaryValue::last(col::LIVE, 0),
        ]
    }

    fn interactions(&self) -> Vec<Interaction> {
        vec![
            Interaction::linear(SPONGE_BYTES, Direction::Provide, 3),
            Interaction::linear(CODE_BOUNDS, Direction::Consume, 3),
            Interaction::linear(CODE_BOUNDS, Direction::Consume, 3),
            Interaction::linear(COPY_SOURCE, Direction::Provide, 3),
            Interaction::linear(BYTECODE, Direction::Provide, 4),
            Interaction::linear(PUSH_VALUE, Direction::Provide, 2 + LIMBS),
            Interaction::linear(BAD_JUMP, Direction::Provide, 2),
            Interaction::linear(BAD_JUMP, Direction::Provide, 2),
        ]
    }

    fn eval_interactions<V: Algebra>(&self, r: &[V], out: &mut [BusValues<V>]) {
        let key = [r[col::CODE_ID], r[col::INDEX], r[col::BYTE]];
        let (pad_start, last) = (r[col::PAD_START], r[col::LAST]);
        let hashed = key[2] + pad_start + last * V::from_u64(0x80);
        let tag = key[0] + V::from_u64(CODE_HASH_TAG);
        let mut o = 0;
        let mut emit = |multiplicity: V, fields: &[V]| {
            out[o].set(multiplicity, fields);
            o += 1;
        };
        emit(r[col::LIVE], &[tag, key[1], hashed]);
        emit(pad_start, &[key[0], key[1], V::zero()]);
        emit(last, &[key[0], key[1], V::one()]);
        let codecopy = V::from_u64(CODECOPY);
        let source = key[0] * V::from_u64(CODE_SOURCE_STRIDE) + key[1];
        emit(r[col::CODE_READS], &[codecopy, source, key[2]]);
        emit(
            r[col::MULTIPLICITY],
            &[key[0], key[1], key[2], r[col::IS_CODE]],
        );
        let mut value = [V::zero(); 2 + LIMBS];
        value[0] = key[0];
        value[1] = key[1];
        value[2..].copy_from_slice(&r[col::ACC..col::ACC + LIMBS]);
        emit(r[col::PUSH_USES], &value);
        emit(r[col::BAD_JUMPS], &[key[0], key[1]]);
        let past_key = key[0] + V::from_u64(PAST_SPAN_TAG);
        emit(r[col::PAST_JUMPS], &[past_key, key[1] + V::one()]);
    }
}

/// `256ᵏ` for the one-hot lane `k` of a data row (0 on opcode rows).
fn byte_scale<V: Algebra>(r: &[V]) -> V {
    (0..LANES).fold(V::zero(), |sum, k| {
        sum + r[col::LANE + k] * V::from_u64(1 << (8 * k))
    })
}

/// 1 on the last data byte of a PUSH (`push_left = 1`: limb 0, lane 0), 0 elsewhere.
fn last_data_byte<V: Algebra>(r: &[V]) -> V {
    r[col::LIMB] * r[col::LANE]
}

/// How the CPU uses one code byte.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct Uses {
    /// Fetches of the byte itself: as an opcode, or as a jump destination.
    pub fetches: u64,
    /// For a PUSH1 … PUSH32 opcode byte: how often its value is pushed.
    pub push_values: u64,
    /// Reads of the byte by CODECOPY (only bytes of the code itself, not the zeros past it).
    pub code_reads: u64,
    /// Jumps that halt here, the byte being no JUMPDEST.
    pub bad_jumps: u64,
    /// On the code's last padded byte: jumps that halt past the code's span.
    pub past_jumps: u64,
}

/// What the statement holds about a code: its Keccak-256 hash (big-endian, as the account's
/// code hash) and its length.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct CodeHash {
    pub hash: [u8; 32],
    pub len: u64,
}

impl CodeHash {
    /// The hash and length of `code`.
    pub fn of(code: &[u8]) -> Self {
        Self {
            hash: sponge::digest(code),
            len: code.len() as u64,
        }
    }

    /// Rows the code occupies: its padded message (at least one byte past its end, where the
    /// EVM reads a STOP). `len` is below 2³² in a parsed statement, so this cannot overflow.
    pub fn span(&self) -> u64 {
        sponge::padded_size(self.len as usize) as u64
    }
}

/// The id a code gets on the bus: its position in the statement's code list, plus one (so no
/// code shares id 0 with the padding rows).
pub fn code_id(position: usize) -> u64 {
    position as u64 + 1
}

/// The code position of a [`code_id`].
pub fn position_of(id: u64) -> u32 {
    (id - 1) as u32
}

/// The code position standing for an account without code (a call target's, EXTCODECOPY's
/// address's): code id 0 on the bus, no Bytecode rows.
pub const NO_CODE: u32 = u32::MAX;

/// The bus id of a code position, [`NO_CODE`]'s 0 included.
pub fn id_of_position(position: u32) -> u64 {
    match position {
        NO_CODE => 0,
        p => code_id(p as usize),
    }
}

/// A code as the table holds it: its bytes, then zeros up to its span (the EVM reads STOP
/// past the end).
pub(crate) fn executed(code: &[u8]) -> Vec<u8> {
    let mut bytes = code.to_vec();
    bytes.resize(sponge::padded_size(code.len()), 0);
    bytes
}

/// What the verifier puts on the bus for `codes` (ids by position, see [`code_id`]): each
/// code's bounds on [`CODE_BOUNDS`], and the consumption of its hash from the sponge.
pub fn public_messages(codes: &[CodeHash]) -> Vec<PublicMessage> {
    let mut messages = Vec::with_capacity(3 * codes.len());
    for (position, code) in codes.iter().enumerate() {
        let id = code_id(position);
        let g = Goldilocks::new;
        messages.push(PublicMessage::provide(
            CODE_BOUNDS,
            &[g(id), g(code.len), g(0)],
        ));
        let last = code.span() - 1;
        messages.push(PublicMessage::provide(CODE_BOUNDS, &[g(id), g(last), g(1)]));
        let mut fields = vec![g(CODE_HASH_TAG + id)];
        let hash = Word::from_be_bytes(code.hash);
        fields.extend(crate::rw::limbs(&hash).map(|l| g(l as u64)));
        messages.push(PublicMessage {
            direction: Direction::Consume,
            ..PublicMessage::provide(HASH, &fields)
        });
    }
    messages
}

/// The sponge's view of `codes`: each code's padded message under its counter.
pub fn hashes(codes: &[&[u8]]) -> Vec<sponge::Hash> {
    (codes.iter().enumerate())
        .map(|(position, code)| sponge::Hash {
            ctr: CODE_HASH_TAG + code_id(position),
            data: code.to_vec(),
        })
        .collect()
}

/// Whether each byte of `code` is an opcode (`true`) or PUSH data, as the EVM decides it.
pub fn opcode_positions(code: &[u8]) -> Vec<bool> {
    push_analysis(code).map(|(is_code, _)| is_code).collect()
}

/// For each byte: whether it is an opcode, and its `push_left` (push-data bytes still to come,
/// this one included; 0 on opcodes).
fn push_analysis(code: &[u8]) -> impl Iterator<Item = (bool, u64)> + '_ {
    code.iter().scan(0u64, |pending, &byte| {
        let push_left = *pending;
        let is_code = push_left == 0;
        *pending = if is_code {
            push_size(byte)
        } else {
            push_left - 1
        };
        Some((is_code, push_left))
    })
}

fn push_size(byte: u8) -> u64 {
    if (0x60..=0x7f).contains(&byte) {
        byte as u64 - PUSH0
    } else {
        0
    }
}

/// The trace of `codes` (ids by position, see [`code_id`]), each followed by zeros up to its
/// span; `uses(position, index)` gives how the CPU uses that byte. Padding rows follow the
/// bytes (at least one). An error when there is no code at all (a block without code has no
/// Bytecode component).
pub fn trace(
    codes: &[&[u8]],
    uses: impl Fn(usize, usize) -> Uses,
) -> Result<Vec<Vec<Goldilocks>>, AirError> {
    if codes.is_empty() {
        return Err(AirError::Input(
            "a Bytecode table needs at least one code".into(),
        ));
    }
    let used: usize = codes.iter().map(|c| sponge::padded_size(c.len())).sum();
    let rows = crate::component::padded_len(used);
    let mut columns = vec![vec![Goldilocks::ZERO; rows]; Bytecode::COLUMNS.len()];
    let mut r = 0;
    for (position, code) in codes.iter().enumerate() {
        let len = code.len();
        let code = &executed(code);
        let span = code.len();
        // The PUSH whose data is being read: its pushes and the value so far.
        let mut pushes = 0;
        let mut acc = [0u64; LIMBS];
        for (index, (&byte, (is_code, push_left))) in
            code.iter().zip(push_analysis(code)).enumerate()
        {
            let used = uses(position, index);
            if is_code {
                pushes = used.push_values;
                acc = [0; LIMBS];
            } else {
                let at = push_left as usize - 1;
                let (j, k) = (at / LANES, at % LANES);
                acc[j] += (byte as u64) << (8 * k);
                columns[col::LIMB + j][r] = Goldilocks::ONE;
                columns[col::LANE + k][r] = Goldilocks::ONE;
                for (i, &limb) in acc.iter().enumerate() {
                    columns[col::ACC + i][r] = Goldilocks::new(limb);
                }
                if push_left == 1 {
                    columns[col::PUSH_USES][r] = Goldilocks::new(pushes);
                }
            }
            let push_n = push_size(byte);
            let mut set = |column: usize, value: u64| columns[column][r] = Goldilocks::new(value);
            set(col::CODE_ID, code_id(position));
            set(col::INDEX, index as u64);
            set(col::BYTE, byte as u64);
            set(col::IS_CODE, is_code as u64);
            set(col::PUSH_LEFT, push_left);
            set(col::IS_PUSH, (push_n > 0) as u64);
            set(col::PUSH_N, push_n);
            set(col::FIRST, (index == 0) as u64);
            set(col::LIVE, 1);
            set(col::MULTIPLICITY, used.fetches);
            set(col::IS_DATA, (index < len) as u64);
            set(col::PAD_START, (index == len) as u64);
            set(col::LAST, (index + 1 == span) as u64);
            if index < len {
                set(col::CODE_READS, used.code_reads);
            }
            set(col::BAD_JUMPS, used.bad_jumps);
            if index + 1 == span {
                set(col::PAST_JUMPS, used.past_jumps);
            } else if used.past_jumps > 0 {
                return Err(AirError::Input(format!(
                    "jumps past the span counted at {index} of code {position}, not its last byte"
                )));
            }
            let not_jumpdest = match is_code {
                true => Goldilocks::new(byte as u64) - Goldilocks::new(crate::cpu::JUMPDEST),
                false => Goldilocks::ONE,
            };
            if used.bad_jumps > 0 && not_jumpdest == Goldilocks::ZERO {
                return Err(AirError::Input(format!(
                    "a jump halting on the JUMPDEST at {index} of code {position}"
                )));
            }
            if not_jumpdest != Goldilocks::ZERO {
                set(col::JUMPDEST_INV, not_jumpdest.inverse().as_u64());
            }
            for i in 0..8 {
                set(col::BIT + i, (byte as u64 >> i) & 1);
            }
            columns[col::PUSH_LEFT_INV][r] = Goldilocks::new(push_left).inverse();
            r += 1;
        }
    }
    // Padding: no push data pending, so is_code = 1 satisfies `1 − is_code = push_left·inv`.
    columns[col::IS_CODE][r..].fill(Goldilocks::ONE);
    Ok(columns)
}

#[cfg(test)]
mod tests;
