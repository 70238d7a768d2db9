//! The RW component: every stack, memory and call-context access, sorted so that each read can
//! be checked against the write before it.
//!
//! The CPU (and later the copy component) sends one message per access in execution order,
//! `(ctr, kind, ctx, addr, write, v₀ … v₇)` on bus [`RW`], with `ctr` the global access
//! counter. This table consumes the same messages, its rows sorted by `(kind, ctx, addr, ctr)`.
//! Bus balance makes the rows exactly the accesses (as a multiset); the constraints below make
//! every read return the latest earlier write of its address, or 0 for never-written memory.
//!
//! Layout: one-hot `is_stack`, `is_memory`, `is_call_context` (`kind = 1, 2, 3`; padding rows
//! have none, and `live` is their sum), `ctx` (frame id), `addr` (stack slot, memory word, or
//! call-context field), `ctr`, `write`, the value as eight 32-bit limbs (little-endian),
//! and three change flags describing how this row's key differs from the previous row's:
//! `first_kind`, `first_ctx`, `first_addr`, with `same = 1 − Σflags` (at most one is set).
//!
//! On every live row after the first (transition into it):
//! 1. a flag fixes which key part changes: `first_ctx → Δkind = 0`, `first_addr → Δkind = Δctx
//!    = 0`, `same → Δkind = Δctx = Δaddr = 0`;
//! 2. the changing part grows: `δ = first_kind·(Δkind − 1) + first_ctx·(Δctx − 1) +
//!    first_addr·(Δaddr − 1) + same·(Δctr − 1) = δ_lo + 2¹⁶·δ_hi`, with `δ_lo`, `δ_hi`
//!    range-checked (bus [`crate::range::RANGE16`]): so `δ ∈ [0, 2³²)`;
//! 3. a read of the same address repeats the value: `same·(1 − write)·(v′ᵢ − vᵢ) = 0`.
//!
//! On every row: the first access of an address (`same = 0`, forced on row 0 by a boundary)
//! is a write for stack and call context, and a read of 0 for memory. Row 0's `δ` is pinned
//! to 0.
//!
//! Why sorting by increments is enough: all key parts are below 2³² and every row advances the
//! key by less than 2³² in its changing part, so the key can only come back to an earlier value
//! after about `p/2³² ≈ 2³²` rows; traces are far shorter (≤ 2³⁰ rows, enforced by the prover's
//! trace-length limit). Hence each address is one run of consecutive rows, in counter order.

use crate::algebra::Algebra;
use crate::bus::{BusId, BusValues, Direction, Interaction, PublicMessage};
use crate::component::{padded_len, BoundaryValue, Component, Window};
use crate::registry::ComponentId;
use std::fmt;
use zkevm_evm_spec::witness::{RwTarget, Witness, Word};
use zkevm_field::Goldilocks;

/// Bus of stack, memory and call-context accesses:
/// `(ctr, kind, ctx, addr, write, v₀ … v₇)`.
pub const RW: BusId = 18;

/// Column indices.
pub mod col {
    pub const IS_STACK: usize = 0;
    pub const IS_MEMORY: usize = 1;
    pub const IS_CALL_CONTEXT: usize = 2;
    pub const CTX: usize = 3;
    pub const ADDR: usize = 4;
    pub const CTR: usize = 5;
    pub const WRITE: usize = 6;
    /// `v₀`; limb `i` is at `VALUE + i`.
    pub const VALUE: usize = 7;
    pub const FIRST_KIND: usize = 15;
    pub const FIRST_CTX: usize = 16;
    pub const FIRST_ADDR: usize = 17;
    pub const DELTA_LO: usize = 18;
    pub const DELTA_HI: usize = 19;
}

/// Limbs of a value.
pub const LIMBS: usize = 8;

/// What an access touches.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Kind {
    Stack = 1,
    Memory = 2,
    CallContext = 3,
}

/// One access, as the table and the bus see it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Access {
    pub ctr: u32,
    pub kind: Kind,
    pub ctx: u32,
    pub addr: u32,
    pub write: bool,
    /// 32-bit limbs, least significant first.
    pub value: [u32; LIMBS],
}

impl Access {
    /// The message's fields, in bus order.
    pub fn fields(&self) -> [Goldilocks; 5 + LIMBS] {
        let mut fields = [Goldilocks::ZERO; 5 + LIMBS];
        fields[0] = Goldilocks::new(self.ctr as u64);
        fields[1] = Goldilocks::new(self.kind as u64);
        fields[2] = Goldilocks::new(self.ctx as u64);
        fields[3] = Goldilocks::new(self.addr as u64);
        fields[4] = Goldilocks::new(self.write as u64);
        for (f, &limb) in fields[5..].iter_mut().zip(&self.value) {
            *f = Goldilocks::new(limb as u64);
        }
        fields
    }

    /// A memory byte access: value `(byte, 0, …, 0)`.
    pub fn memory_byte(ctr: u32, ctx: u32, addr: u32, write: bool, byte: u8) -> Self {
        let mut value = [0; LIMBS];
        value[0] = byte as u32;
        Self {
            ctr,
            kind: Kind::Memory,
            ctx,
            addr,
            write,
            value,
        }
    }

    fn key(&self) -> (Kind, u32, u32, u32) {
        (self.kind, self.ctx, self.addr, self.ctr)
    }
}

/// Stack, memory and call-context reads and writes, sorted.
#[derive(Debug, Default, Clone, Copy)]
pub struct ReadWrite;

/// `(kind, live)` of a row: `kind = 1·is_stack + 2·is_memory + 3·is_call_context`.
fn kind_and_live<V: Algebra>(r: &[V]) -> (V, V) {
    let (s, m, c) = (r[col::IS_STACK], r[col::IS_MEMORY], r[col::IS_CALL_CONTEXT]);
    (s + m * V::from_u64(2) + c * V::from_u64(3), s + m + c)
}

fn same_address<V: Algebra>(r: &[V]) -> V {
    V::one() - r[col::FIRST_KIND] - r[col::FIRST_CTX] - r[col::FIRST_ADDR]
}

impl Component for ReadWrite {
    const ID: ComponentId = ComponentId::ReadWrite;
    const NAME: &'static str = "rw";
    const COLUMNS: &'static [&'static str] = &[
        "is_stack",
        "is_memory",
        "is_call_context",
        "ctx",
        "addr",
        "ctr",
        "write",
        "v0",
        "v1",
        "v2",
        "v3",
        "v4",
        "v5",
        "v6",
        "v7",
        "first_kind",
        "first_ctx",
        "first_addr",
        "delta_lo",
        "delta_hi",
    ];

    fn transition_degrees(&self) -> Vec<usize> {
        let mut degrees = vec![2, 3, 3, 3, 3, 3, 3, 3];
        degrees.extend([4; LIMBS]);
        degrees
    }

    fn eval_transition<V: Algebra>(&self, w: &Window<'_, V>, out: &mut [V]) {
        let (c, n) = (w.current, w.next);
        let one = V::one();
        let (kind, live) = kind_and_live(c);
        let (kind_next, live_next) = kind_and_live(n);
        // Live rows form a prefix.
        out[0] = (one - live) * live_next;
        let (fk, fc, fa) = (n[col::FIRST_KIND], n[col::FIRST_CTX], n[col::FIRST_ADDR]);
        let same = same_address(n);
        let d_kind = kind_next - kind;
        let d_ctx = n[col::CTX] - c[col::CTX];
        let d_addr = n[col::ADDR] - c[col::ADDR];
        let d_ctr = n[col::CTR] - c[col::CTR];
        out[1] = live_next * fc * d_kind;
        out[2] = live_next * fa * d_kind;
        out[3] = live_next * fa * d_ctx;
        out[4] = live_next * same * d_kind;
        out[5] = live_next * same * d_ctx;
        out[6] = live_next * same * d_addr;
        let delta =
            fk * (d_kind - one) + fc * (d_ctx - one) + fa * (d_addr - one) + same * (d_ctr - one);
        out[7] = live_next * (delta - n[col::DELTA_LO] - n[col::DELTA_HI] * V::from_u64(1 << 16));
        let repeats = live_next * same * (one - n[col::WRITE]);
        for i in 0..LIMBS {
            out[8 + i] = repeats * (n[col::VALUE + i] - c[col::VALUE + i]);
        }
    }

    fn row_degrees(&self) -> Vec<usize> {
        let mut degrees = vec![2; 9];
        degrees.extend([4; LIMBS]);
        degrees.push(3);
        degrees
    }

    fn eval_row<V: Algebra>(&self, r: &[V], out: &mut [V]) {
        let one = V::one();
        let (_, live) = kind_and_live(r);
        out[0] = r[col::IS_STACK].booleanity();
        out[1] = r[col::IS_MEMORY].booleanity();
        out[2] = r[col::IS_CALL_CONTEXT].booleanity();
        out[3] = live.booleanity();
        out[4] = r[col::WRITE].booleanity();
        out[5] = r[col::FIRST_KIND].booleanity();
        out[6] = r[col::FIRST_CTX].booleanity();
        out[7] = r[col::FIRST_ADDR].booleanity();
        let same = same_address(r);
        out[8] = same.booleanity();
        // A first access: memory reads see 0; stack and call context must be written first.
        let first_read = (one - same) * (one - r[col::WRITE]);
        for i in 0..LIMBS {
            out[9 + i] = first_read * r[col::IS_MEMORY] * r[col::VALUE + i];
        }
        out[9 + LIMBS] = first_read * (r[col::IS_STACK] + r[col::IS_CALL_CONTEXT]);
    }

    fn boundary(&self) -> Vec<BoundaryValue> {
        // Row 0 has no predecessor: it starts a kind, and its δ (looked up but constrained by
        // no transition) is pinned to 0 so that no cell of a live row is free.
        vec![
            BoundaryValue::first(col::FIRST_KIND, 1),
            BoundaryValue::first(col::DELTA_LO, 0),
            BoundaryValue::first(col::DELTA_HI, 0),
        ]
    }

    fn interactions(&self) -> Vec<Interaction> {
        let range = crate::range::lookup();
        vec![
            Interaction::linear(RW, Direction::Consume, 5 + LIMBS),
            range,
            range,
        ]
    }

    fn eval_interactions<V: Algebra>(&self, r: &[V], out: &mut [BusValues<V>]) {
        let (kind, live) = kind_and_live(r);
        let mut fields = [V::zero(); 5 + LIMBS];
        fields[0] = r[col::CTR];
        fields[1] = kind;
        fields[2] = r[col::CTX];
        fields[3] = r[col::ADDR];
        fields[4] = r[col::WRITE];
        fields[5..].copy_from_slice(&r[col::VALUE..col::VALUE + LIMBS]);
        out[0].set(live, &fields);
        out[1].set(live, &[r[col::DELTA_LO]]);
        out[2].set(live, &[r[col::DELTA_HI]]);
    }
}

/// Why a list of accesses cannot be laid out as a table.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum RwError {
    /// Two accesses share a counter.
    DuplicateCounter(u32),
    /// A witness entry's address or counter does not fit 32 bits.
    TooLarge { ctr: usize, what: &'static str },
}

impl fmt::Display for RwError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            RwError::DuplicateCounter(c) => write!(f, "two accesses have counter {c}"),
            RwError::TooLarge { ctr, what } => {
                write!(f, "access {ctr}: {what} does not fit in 32 bits")
            }
        }
    }
}

impl std::error::Error for RwError {}

/// A laid-out table: the columns and the 16-bit values its rows look up in the range table.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RwTrace {
    pub columns: Vec<Vec<Goldilocks>>,
    pub range_lookups: Vec<u16>,
}

/// Sorts `accesses` by `(kind, ctx, addr, ctr)` and fills the table, padding rows after.
pub fn trace(accesses: &[Access]) -> Result<RwTrace, RwError> {
    let mut sorted = accesses.to_vec();
    sorted.sort_by_key(Access::key);
    if let Some(pair) = sorted.windows(2).find(|p| p[0].key() == p[1].key()) {
        return Err(RwError::DuplicateCounter(pair[0].ctr));
    }
    let rows = padded_len(sorted.len());
    let mut columns = vec![vec![Goldilocks::ZERO; rows]; ReadWrite::COLUMNS.len()];
    // Row 0 starts a kind even when the table is empty (a padding row may carry the flag).
    columns[col::FIRST_KIND][0] = Goldilocks::ONE;
    let mut range_lookups = Vec::with_capacity(2 * sorted.len());
    let mut previous: Option<&Access> = None;
    for (r, a) in sorted.iter().enumerate() {
        let mut set = |column: usize, value: u64| columns[column][r] = Goldilocks::new(value);
        let kind_column = match a.kind {
            Kind::Stack => col::IS_STACK,
            Kind::Memory => col::IS_MEMORY,
            Kind::CallContext => col::IS_CALL_CONTEXT,
        };
        set(kind_column, 1);
        set(col::CTX, a.ctx as u64);
        set(col::ADDR, a.addr as u64);
        set(col::CTR, a.ctr as u64);
        set(col::WRITE, a.write as u64);
        for (i, &limb) in a.value.iter().enumerate() {
            set(col::VALUE + i, limb as u64);
        }
        // The flag and increment of the first key part that differs from the previous row.
        let (flag, delta) = match previous {
            None => (Some(col::FIRST_KIND), 0),
            Some(p) if p.kind != a.kind => {
                (Some(col::FIRST_KIND), a.kind as u64 - p.kind as u64 - 1)
            }
            Some(p) if p.ctx != a.ctx => (Some(col::FIRST_CTX), (a.ctx - p.ctx - 1) as u64),
            Some(p) if p.addr != a.addr => (Some(col::FIRST_ADDR), (a.addr - p.addr - 1) as u64),
            Some(p) => (None, (a.ctr - p.ctr - 1) as u64),
        };
        if let Some(flag) = flag {
            set(flag, 1);
        }
        let (lo, hi) = (delta as u16, (delta >> 16) as u16);
        set(col::DELTA_LO, lo as u64);
        set(col::DELTA_HI, hi as u64);
        range_lookups.extend([lo, hi]);
        previous = Some(a);
    }
    Ok(RwTrace {
        columns,
        range_lookups,
    })
}

/// The stack, memory and call-context accesses of a witness (counter = position in the log),
/// and how many other entries (storage, accounts, logs, …: a later table's) were left out.
pub fn accesses(witness: &Witness) -> Result<(Vec<Access>, usize), RwError> {
    let mut out = Vec::new();
    let mut others = 0;
    for (ctr, entry) in witness.rw.iter().enumerate() {
        let fits =
            |value: u64, what| u32::try_from(value).map_err(|_| RwError::TooLarge { ctr, what });
        let (kind, ctx, addr) = match entry.target {
            RwTarget::Stack { frame, slot } => (Kind::Stack, frame, slot as u32),
            RwTarget::Memory { frame, word } => (Kind::Memory, frame, fits(word, "memory word")?),
            RwTarget::CallContext { frame, field } => (Kind::CallContext, frame, field as u32),
            _ => {
                others += 1;
                continue;
            }
        };
        let value = limbs(&entry.value);
        out.push(Access {
            ctr: fits(ctr as u64, "counter")?,
            kind,
            ctx,
            addr,
            write: entry.write,
            value,
        });
    }
    Ok((out, others))
}

/// A word's eight 32-bit limbs, least significant first.
pub fn limbs(word: &Word) -> [u32; LIMBS] {
    let words = word.as_limbs();
    let mut out = [0u32; LIMBS];
    for (i, limb) in out.iter_mut().enumerate() {
        *limb = (words[i / 2] >> (32 * (i % 2))) as u32;
    }
    out
}

/// The accesses as the messages their senders put on the bus, one each; a test stand-in for
/// the CPU until it exists (and what a statement could carry to check a table against).
pub fn access_messages(accesses: &[Access]) -> Vec<PublicMessage> {
    accesses
        .iter()
        .map(|a| PublicMessage::provide(RW, &a.fields()))
        .collect()
}

#[cfg(test)]
mod tests;
