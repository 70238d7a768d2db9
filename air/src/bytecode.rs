//! The Bytecode component: every byte of every executed code, with PUSH data marked.
//!
//! One row per code byte, codes one after another, each from index 0 and followed by one STOP
//! byte at index `len` (the EVM executes past the end of a code as STOP), then padding rows.
//! The CPU fetches `(code_id, index, byte, is_code)` from here: an opcode fetch or a jump
//! destination asks for `is_code = 1`, so a JUMPDEST byte inside PUSH data cannot serve as one.
//!
//! Columns and what pins each:
//! - `code_id`, `index`, `byte`: consumed from the statement (bus [`BYTECODE_PUBLIC`], provided
//!   by the verifier as [`public_messages`]), so the rows hold exactly the statement's bytes,
//!   each once; `live` multiplies the consumption, so padding rows hold nothing.
//! - order: `first` starts a code (`index = 0`); on every other live row `code_id` repeats and
//!   `index` grows by one. With each `(code_id, index)` present once, a code is one run in
//!   index order, and a row past a code's end would need a byte the statement lacks.
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
//!   `index = pc + n`. A PUSH whose data runs past the code's end provides no value.
//!
//! Until the Keccak component binds code ids to code hashes, the statement carries the code
//! itself; [`public_messages`] is what the verifier derives from it.

use crate::algebra::Algebra;
use crate::bus::{BusId, BusValues, Direction, Interaction, PublicMessage};
use crate::component::{BoundaryValue, Component, Window};
use crate::error::AirError;
use crate::registry::ComponentId;
use zkevm_field::Goldilocks;

/// Bus of the statement's code bytes: `(code_id, index, byte)`.
pub const BYTECODE_PUBLIC: BusId = 16;
/// Bus of byte fetches by the CPU: `(code_id, index, byte, is_code)`.
pub const BYTECODE: BusId = 17;
/// Bus of PUSH1 … PUSH32 values: `(code_id, index of the last data byte, v₀ … v₇)`, 32-bit
/// limbs, least significant first.
pub const PUSH_VALUE: BusId = 19;

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
    ];

    fn transition_degrees(&self) -> Vec<usize> {
        let mut degrees = vec![2, 3, 3, 4];
        degrees.extend([4; LIMBS]);
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
    }

    fn row_degrees(&self) -> Vec<usize> {
        let mut degrees = vec![2; 7];
        degrees.extend([2; 8]);
        degrees.extend([1, 3, 2, 2]);
        degrees.extend([2; LIMBS + LANES]);
        degrees.extend([1, 1, 2]);
        degrees.extend([2; LIMBS]);
        degrees.extend([3, 2, 2]);
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
    }

    fn boundary(&self) -> Vec<BoundaryValue> {
        vec![BoundaryValue::first(col::FIRST, 1)]
    }

    fn interactions(&self) -> Vec<Interaction> {
        vec![
            Interaction::linear(BYTECODE_PUBLIC, Direction::Consume, 3),
            Interaction::linear(BYTECODE, Direction::Provide, 4),
            Interaction::linear(PUSH_VALUE, Direction::Provide, 2 + LIMBS),
        ]
    }

    fn eval_interactions<V: Algebra>(&self, r: &[V], out: &mut [BusValues<V>]) {
        let key = [r[col::CODE_ID], r[col::INDEX], r[col::BYTE]];
        out[0] = BusValues::new(r[col::LIVE], &key);
        out[1] = BusValues::new(
            r[col::MULTIPLICITY],
            &[key[0], key[1], key[2], r[col::IS_CODE]],
        );
        let mut value = [V::zero(); 2 + LIMBS];
        value[0] = key[0];
        value[1] = key[1];
        value[2..].copy_from_slice(&r[col::ACC..col::ACC + LIMBS]);
        out[2] = BusValues::new(r[col::PUSH_USES], &value);
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
}

/// The id a code gets on the bus: its position in the statement's code list, plus one (so no
/// code shares id 0 with the padding rows).
pub fn code_id(position: usize) -> u64 {
    position as u64 + 1
}

/// The STOP the EVM executes at the end of every code.
const STOP: u8 = 0x00;

/// A code as the EVM executes it: its bytes, then the STOP at index `len`.
pub(crate) fn executed(code: &[u8]) -> Vec<u8> {
    let mut bytes = Vec::with_capacity(code.len() + 1);
    bytes.extend_from_slice(code);
    bytes.push(STOP);
    bytes
}

/// What the statement puts on [`BYTECODE_PUBLIC`]: every byte of every code once, and the STOP
/// after its end.
pub fn public_messages(codes: &[&[u8]]) -> Vec<PublicMessage> {
    let mut messages = Vec::with_capacity(codes.iter().map(|c| c.len() + 1).sum());
    for (position, code) in codes.iter().enumerate() {
        let id = Goldilocks::new(code_id(position));
        for (index, &byte) in executed(code).iter().enumerate() {
            messages.push(PublicMessage::provide(
                BYTECODE_PUBLIC,
                &[
                    id,
                    Goldilocks::new(index as u64),
                    Goldilocks::new(byte as u64),
                ],
            ));
        }
    }
    messages
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

/// The trace of `codes` (ids by position, see [`code_id`]), each followed by its STOP;
/// `uses(position, index)` gives how the CPU uses that byte. Padding rows follow the bytes. An
/// error when there is no code at all (a block without code has no Bytecode component).
pub fn trace(
    codes: &[&[u8]],
    uses: impl Fn(usize, usize) -> Uses,
) -> Result<Vec<Vec<Goldilocks>>, AirError> {
    if codes.is_empty() {
        return Err(AirError::Input(
            "a Bytecode table needs at least one code".into(),
        ));
    }
    let used: usize = codes.iter().map(|c| c.len() + 1).sum();
    let rows = crate::component::padded_len(used);
    let mut columns = vec![vec![Goldilocks::ZERO; rows]; Bytecode::COLUMNS.len()];
    let mut r = 0;
    for (position, code) in codes.iter().enumerate() {
        let code = &executed(code);
        // The PUSH whose data is being read: its pushes and the value so far.
        let mut pushes = 0;
        let mut acc = [0u64; LIMBS];
        for (index, (&byte, (is_code, push_left))) in
            code.iter().zip(push_analysis(code)).enumerate()
        {
            if is_code {
                pushes = uses(position, index).push_values;
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
            set(col::MULTIPLICITY, uses(position, index).fetches);
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
