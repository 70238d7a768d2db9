//! The Log component: what LOG0–LOG4 record, read from the stack and memory and bound to the
//! statement's logs.
//!
//! The CPU pops a LOG's offset and size itself and provides `(ctr, ctx, sp, offset, size, n,
//! address₀…₄, reverted)` on bus [`LOG_OP`] (`ctr` its first RW counter, `sp` the stack size
//! before the step, `n` the topic count its opcode decodes to, the address the frame runs on,
//! most significant limb first: a callee's logs are its own account's; `reverted` the frame's
//! `reverts` register: a failing callee's logs are dropped with it). This table spends one
//! header row on it, then one row per topic and one per data byte, numbered `k = 1, 2, …`
//! after the header:
//! - topic `j` is row `k = j + 1`: it reads stack slot `sp − 2 − k` (the word under the
//!   offset and size) at RW counter `ctr + 1 + k`;
//! - data byte `i` is row `k = n + 1 + i`: it reads memory byte `offset + i` at RW counter
//!   `ctr + 1 + k`, so the step's accesses are the CPU's two, then the topics', then the data's.
//!
//! Every live row also consumes a message the verifier provides from the statement on bus
//! [`LOG`], keyed by the LOG step's counter (unique: a LOG step makes two accesses of its own,
//! so the next step's counter is larger): the header `(ctr, 0, n, size, address₀…₄,
//! reverted)`, topic `j`
//! `(ctr, 1, j, topic)`, byte `i` `(ctr, 2, i, byte)`. Why this pins the log exactly:
//! - the CPU's LOG steps and the statement's logs correspond one to one: each header row
//!   consumes one of each, and both have multiplicity one per counter;
//! - all rows of an operation carry its header's counter (constant along it), and only one
//!   header has that counter, so the operation's rows are the only ones consuming that log's
//!   messages. Their `k` are distinct (`k′ = k + 1`), so the topic rows' `k − 1` and the byte
//!   rows' `k − 1 − n` are distinct indices, and balance makes them exactly `0 … n − 1` and
//!   `0 … size − 1`: the topic rows are `k = 1 … n` and the byte rows `k = n + 1 … n + size`.
//!
//! Layout: `live`, `header`, `topic`, `byte` (`live` is their sum), `ctx`, `ctr`, `sp`,
//! `offset`, `size`, `n`, `k`, the value read as eight 32-bit limbs (a byte in limb 0), the
//! address's five limbs and `reverted`.
//! - boundary: row 0 is a header; the last row is padding;
//! - row: the flags are boolean and sum to `live`; a header has `k = 0` and reads nothing
//!   (value zero); only a topic has limbs above the first;
//! - transition into a row continuing an operation (`live′·(1 − header′)`): `ctx`, `ctr`,
//!   `sp`, `offset`, `size`, `n`, the address and `reverted` stay and `k′ = k + 1`; live
//!   rows form a prefix. (`reverted` needs no booleanity here: the CPU's register is boolean
//!   and the verifier's flag a bit.)
//!
//! Values need no range check: stack words and memory bytes are bounded by their writers, and
//! the verifier's are words and bytes.

use crate::algebra::Algebra;
use crate::bus::{BusId, BusValues, Direction, Interaction, PublicMessage};
use crate::component::{padded_len, BoundaryValue, Component, Window};
use crate::registry::ComponentId;
use crate::rw::{self, Access, Kind, LIMBS, RW};
use crate::storage::{address_limbs, ADDRESS_LIMBS};
use serde::{Deserialize, Serialize};
use zkevm_evm_spec::witness::Word;
use zkevm_field::Goldilocks;

/// Bus of LOG steps, provided by the CPU: `(ctr, ctx, sp, offset, size, n, address₀…₄,
/// reverted)`.
pub const LOG_OP: BusId = 36;
/// Fields of a [`LOG_OP`] message.
pub const LOG_OP_FIELDS: usize = 7 + ADDRESS_LIMBS;
/// Bus of the statement's logs, provided by the verifier: `(ctr, part, index, v₀ … v₇)`.
pub const LOG: BusId = 37;

/// Column indices.
pub mod col {
    pub const LIVE: usize = 0;
    pub const HEADER: usize = 1;
    pub const TOPIC: usize = 2;
    pub const BYTE: usize = 3;
    pub const CTX: usize = 4;
    pub const CTR: usize = 5;
    pub const SP: usize = 6;
    pub const OFFSET: usize = 7;
    pub const SIZE: usize = 8;
    pub const N: usize = 9;
    pub const K: usize = 10;
    /// `v₀`; limb `i` at `VALUE + i`.
    pub const VALUE: usize = 11;
    /// The emitting account, most significant limb first.
    pub const ADDRESS: usize = VALUE + super::LIMBS;
    /// The emitting frame fails (its logs are dropped).
    pub const REVERTED: usize = ADDRESS + super::ADDRESS_LIMBS;
}

/// The part of a log a [`LOG`] message describes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Part {
    Header = 0,
    Topic = 1,
    Byte = 2,
}

/// The topics and data of LOG steps.
#[derive(Debug, Default, Clone, Copy)]
pub struct Log;

impl Component for Log {
    const ID: ComponentId = ComponentId::Log;
    const NAME: &'static str = "log";
    const COLUMNS: &'static [&'static str] = &[
        "live", "header", "topic", "byte", "ctx", "ctr", "sp", "offset", "size", "n", "k", "v0",
        "v1", "v2", "v3", "v4", "v5", "v6", "v7", "address0", "address1", "address2", "address3",
        "address4", "reverted",
    ];

    fn transition_degrees(&self) -> Vec<usize> {
        let mut degrees = vec![2, 3, 3, 3, 3, 3, 3, 3];
        degrees.extend([3; ADDRESS_LIMBS + 1]);
        degrees
    }

    fn eval_transition<V: Algebra>(&self, w: &Window<'_, V>, out: &mut [V]) {
        let (c, n) = (w.current, w.next);
        let one = V::one();
        out[0] = (one - c[col::LIVE]) * n[col::LIVE];
        let cont = n[col::LIVE] * (one - n[col::HEADER]);
        let constant = [col::CTX, col::CTR, col::SP, col::OFFSET, col::SIZE, col::N];
        for (k, column) in constant.into_iter().enumerate() {
            out[1 + k] = cont * (n[column] - c[column]);
        }
        out[7] = cont * (n[col::K] - c[col::K] - one);
        for j in 0..=ADDRESS_LIMBS {
            out[8 + j] = cont * (n[col::ADDRESS + j] - c[col::ADDRESS + j]);
        }
    }

    fn row_degrees(&self) -> Vec<usize> {
        let mut degrees = vec![2; 4];
        degrees.extend([1, 2, 2]);
        degrees.extend([2; LIMBS - 1]);
        degrees
    }

    fn eval_row<V: Algebra>(&self, r: &[V], out: &mut [V]) {
        let one = V::one();
        let (header, topic, byte) = (r[col::HEADER], r[col::TOPIC], r[col::BYTE]);
        out[0] = r[col::LIVE].booleanity();
        out[1] = header.booleanity();
        out[2] = topic.booleanity();
        out[3] = byte.booleanity();
        out[4] = r[col::LIVE] - header - topic - byte;
        out[5] = header * r[col::K];
        out[6] = header * r[col::VALUE];
        for i in 1..LIMBS {
            out[6 + i] = (one - topic) * r[col::VALUE + i];
        }
    }

    fn boundary(&self) -> Vec<BoundaryValue> {
        vec![
            BoundaryValue::first(col::HEADER, 1),
            BoundaryValue::last(col::LIVE, 0),
        ]
    }

    fn interactions(&self) -> Vec<Interaction> {
        vec![
            Interaction::linear(LOG_OP, Direction::Consume, LOG_OP_FIELDS),
            Interaction {
                field_degree: 2,
                ..Interaction::linear(LOG, Direction::Consume, 3 + LIMBS)
            },
            Interaction {
                field_degree: 2,
                ..Interaction::linear(RW, Direction::Provide, 5 + LIMBS)
            },
        ]
    }

    fn eval_interactions<V: Algebra>(&self, r: &[V], out: &mut [BusValues<V>]) {
        let one = V::one();
        let (header, topic, byte) = (r[col::HEADER], r[col::TOPIC], r[col::BYTE]);
        let (ctx, ctr, sp, offset) = (r[col::CTX], r[col::CTR], r[col::SP], r[col::OFFSET]);
        let (size, n, k) = (r[col::SIZE], r[col::N], r[col::K]);
        let address = &r[col::ADDRESS..col::ADDRESS + ADDRESS_LIMBS];
        let reverted = r[col::REVERTED];
        out[0].set_parts(
            header,
            &[&[ctr, ctx, sp, offset, size, n], address, &[reverted]],
        );
        let value = &r[col::VALUE..col::VALUE + LIMBS];
        let part = topic * V::from_u64(Part::Topic as u64) + byte * V::from_u64(Part::Byte as u64);
        let index = header * n + topic * (k - one) + byte * (k - one - n);
        let mut fields = [V::zero(); 3 + LIMBS];
        fields[..3].copy_from_slice(&[ctr, part, index]);
        fields[3..].copy_from_slice(value);
        // A header's value limbs are zero: its message carries the size, the address and
        // `reverted` there.
        fields[3] = header * size + value[0];
        for j in 0..ADDRESS_LIMBS {
            fields[4 + j] = header * address[j] + value[1 + j];
        }
        fields[4 + ADDRESS_LIMBS] = header * reverted + value[1 + ADDRESS_LIMBS];
        out[1].set(r[col::LIVE], &fields);
        // Kind: stack (1) for a topic, memory (2) for a byte.
        let kind =
            topic * V::from_u64(Kind::Stack as u64) + byte * V::from_u64(Kind::Memory as u64);
        let addr = topic * (sp - V::from_u64(2) - k) + byte * (offset + k - one - n);
        let mut fields = [V::zero(); 5 + LIMBS];
        fields[..5].copy_from_slice(&[ctr + one + k, kind, ctx, addr, V::zero()]);
        fields[5..].copy_from_slice(value);
        out[2].set(topic + byte, &fields);
    }
}

/// One LOG step: its topics, read from the stack, and data, read from memory.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LogOp {
    /// RW counter of the step's first access (its offset's read).
    pub ctr: u32,
    pub ctx: u32,
    /// Stack size before the step.
    pub sp: u32,
    pub offset: u32,
    /// The account the frame runs on.
    pub address: [u8; 20],
    /// The frame fails.
    pub reverted: bool,
    pub topics: Vec<Word>,
    pub data: Vec<u8>,
}

impl LogOp {
    /// The CPU's message for it.
    pub fn fields(&self) -> [Goldilocks; LOG_OP_FIELDS] {
        let mut fields = [Goldilocks::ZERO; LOG_OP_FIELDS];
        let head = [
            self.ctr as u64,
            self.ctx as u64,
            self.sp as u64,
            self.offset as u64,
            self.data.len() as u64,
            self.topics.len() as u64,
        ];
        let address = address_limbs(&self.address).map(u64::from);
        let tail = address.into_iter().chain([self.reverted as u64]);
        for (field, value) in fields.iter_mut().zip(head.into_iter().chain(tail)) {
            *field = Goldilocks::new(value);
        }
        fields
    }

    /// Its reads after the CPU's two: the topics', then the data's.
    pub fn accesses(&self) -> impl Iterator<Item = Access> + '_ {
        let topics = self.topics.iter().enumerate().map(|(j, topic)| Access {
            ctr: self.ctr + 2 + j as u32,
            kind: Kind::Stack,
            ctx: self.ctx,
            addr: self.sp - 3 - j as u32,
            write: false,
            value: rw::limbs(topic),
        });
        let first_byte = self.ctr + 2 + self.topics.len() as u32;
        let data = self.data.iter().enumerate().map(move |(i, &byte)| {
            let i = i as u32;
            Access::memory_byte(first_byte + i, self.ctx, self.offset + i, false, byte)
        });
        topics.chain(data)
    }

    /// What the statement records of it.
    pub fn entry(&self) -> LogEntry {
        LogEntry {
            ctr: self.ctr,
            address: self.address,
            reverted: self.reverted,
            topics: self.topics.clone(),
            data: self.data.clone(),
        }
    }
}

/// A log as the statement holds it: the LOG step's RW counter (its key on the bus), the
/// emitting account (its frame's), whether that frame fails (the log is then dropped), its
/// topics and data.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct LogEntry {
    pub ctr: u32,
    pub address: [u8; 20],
    pub reverted: bool,
    pub topics: Vec<Word>,
    pub data: Vec<u8>,
}

/// The table of `ops` (at least one), in order, padding rows after.
pub fn trace(ops: &[LogOp]) -> Vec<Vec<Goldilocks>> {
    let used: usize = ops.iter().map(|o| 1 + o.topics.len() + o.data.len()).sum();
    let mut columns = vec![vec![Goldilocks::ZERO; padded_len(used)]; Log::COLUMNS.len()];
    let mut r = 0;
    for op in ops {
        let rows = 1 + op.topics.len() + op.data.len();
        for k in 0..rows {
            let mut set = |column: usize, value: u64| columns[column][r] = Goldilocks::new(value);
            set(col::LIVE, 1);
            set(col::CTX, op.ctx as u64);
            set(col::CTR, op.ctr as u64);
            set(col::SP, op.sp as u64);
            set(col::OFFSET, op.offset as u64);
            set(col::SIZE, op.data.len() as u64);
            set(col::N, op.topics.len() as u64);
            set(col::K, k as u64);
            for (j, limb) in address_limbs(&op.address).into_iter().enumerate() {
                set(col::ADDRESS + j, limb as u64);
            }
            set(col::REVERTED, op.reverted as u64);
            let value = match k.checked_sub(1) {
                None => {
                    set(col::HEADER, 1);
                    [0; LIMBS]
                }
                Some(j) if j < op.topics.len() => {
                    set(col::TOPIC, 1);
                    rw::limbs(&op.topics[j])
                }
                Some(j) => {
                    set(col::BYTE, 1);
                    let mut v = [0; LIMBS];
                    v[0] = op.data[j - op.topics.len()] as u32;
                    v
                }
            };
            for (i, limb) in value.into_iter().enumerate() {
                set(col::VALUE + i, limb as u64);
            }
            r += 1;
        }
    }
    columns
}

/// What the verifier provides for the statement's logs: each one's header, topics and bytes.
pub fn public_messages(logs: &[LogEntry]) -> impl Iterator<Item = PublicMessage> + '_ {
    logs.iter().flat_map(|log| {
        let ctr = log.ctr as u64;
        // Saturated: a longer log could not balance anyway (each byte is a row), and
        // `Statement::from_bytes` refuses one.
        let mut header_value = [0; LIMBS];
        header_value[0] = u32::try_from(log.data.len()).unwrap_or(u32::MAX);
        header_value[1..1 + ADDRESS_LIMBS].copy_from_slice(&address_limbs(&log.address));
        header_value[1 + ADDRESS_LIMBS] = log.reverted as u32;
        let header = (Part::Header, log.topics.len() as u64, header_value);
        let topics = (log.topics.iter().enumerate())
            .map(|(j, topic)| (Part::Topic, j as u64, rw::limbs(topic)));
        let bytes = log.data.iter().enumerate().map(|(i, &byte)| {
            let mut v = [0; LIMBS];
            v[0] = byte as u32;
            (Part::Byte, i as u64, v)
        });
        std::iter::once(header)
            .chain(topics)
            .chain(bytes)
            .map(move |(part, index, value)| {
                let mut fields = vec![
                    Goldilocks::new(ctr),
                    Goldilocks::new(part as u64),
                    Goldilocks::new(index),
                ];
                fields.extend(value.map(|l| Goldilocks::new(l as u64)));
                PublicMessage::provide(LOG, &fields)
            })
    })
}

#[cfg(test)]
pub(crate) mod tests;
