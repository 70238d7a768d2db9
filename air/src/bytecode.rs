//! The Bytecode component: every byte of every executed code, with PUSH data marked.
//!
//! One row per code byte, codes one after another, each from index 0, then padding rows.
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
//!
//! Until the Keccak component binds code ids to code hashes, the statement carries the code
//! itself; [`public_messages`] is what the verifier derives from it.

use crate::algebra::Algebra;
use crate::bus::{BusId, BusValues, Direction, Interaction, PublicMessage};
use crate::component::{BoundaryRow, BoundaryValue, Component, Window};
use crate::error::AirError;
use crate::registry::ComponentId;
use zkevm_field::Goldilocks;

/// Bus of the statement's code bytes: `(code_id, index, byte)`.
pub const BYTECODE_PUBLIC: BusId = 16;
/// Bus of byte fetches by the CPU: `(code_id, index, byte, is_code)`.
pub const BYTECODE: BusId = 17;

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
}

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
    ];

    fn transition_degrees(&self) -> Vec<usize> {
        vec![2, 3, 3, 4]
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
    }

    fn row_degrees(&self) -> Vec<usize> {
        let mut degrees = vec![2; 7];
        degrees.extend([2; 8]);
        degrees.extend([1, 3, 2, 2]);
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
    }

    fn boundary(&self) -> Vec<BoundaryValue> {
        vec![BoundaryValue {
            column: col::FIRST,
            row: BoundaryRow::First,
            value: Goldilocks::ONE,
        }]
    }

    fn interactions(&self) -> Vec<Interaction> {
        vec![
            Interaction::linear(BYTECODE_PUBLIC, Direction::Consume, 3),
            Interaction::linear(BYTECODE, Direction::Provide, 4),
        ]
    }

    fn eval_interactions<V: Algebra>(&self, r: &[V], out: &mut [BusValues<V>]) {
        let key = [r[col::CODE_ID], r[col::INDEX], r[col::BYTE]];
        out[0] = BusValues::new(r[col::LIVE], &key);
        out[1] = BusValues::new(
            r[col::MULTIPLICITY],
            &[key[0], key[1], key[2], r[col::IS_CODE]],
        );
    }
}

/// The id a code gets on the bus: its position in the statement's code list, plus one (so no
/// code shares id 0 with the padding rows).
pub fn code_id(position: usize) -> u64 {
    position as u64 + 1
}

/// What the statement puts on [`BYTECODE_PUBLIC`]: every byte of every code, once.
pub fn public_messages(codes: &[&[u8]]) -> Vec<PublicMessage> {
    let mut messages = Vec::with_capacity(codes.iter().map(|c| c.len()).sum());
    for (position, code) in codes.iter().enumerate() {
        let id = Goldilocks::new(code_id(position));
        for (index, &byte) in code.iter().enumerate() {
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

/// The trace of `codes` (ids by position, see [`code_id`]); `fetches(position, index)` gives
/// how often the CPU reads that byte. Padding rows follow the bytes. An error when there is no
/// byte at all (a block without code has no Bytecode component).
pub fn trace(
    codes: &[&[u8]],
    fetches: impl Fn(usize, usize) -> u64,
) -> Result<Vec<Vec<Goldilocks>>, AirError> {
    let used: usize = codes.iter().map(|c| c.len()).sum();
    if used == 0 {
        return Err(AirError::Input(
            "a Bytecode table needs at least one code byte".into(),
        ));
    }
    let rows = crate::component::padded_len(used);
    let mut columns = vec![vec![Goldilocks::ZERO; rows]; Bytecode::COLUMNS.len()];
    let mut r = 0;
    for (position, code) in codes.iter().enumerate() {
        for (index, (&byte, (is_code, push_left))) in
            code.iter().zip(push_analysis(code)).enumerate()
        {
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
            set(col::MULTIPLICITY, fetches(position, index));
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
