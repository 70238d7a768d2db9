//! The Storage component: every SLOAD, SSTORE, TLOAD and TSTORE, sorted by (transient,
//! address, slot, counter), with the EIP-2929 warm/cold state and the EIP-2200/3529 SSTORE gas
//! of each persistent access.
//!
//! The CPU provides one message per storage step on bus [`STORAGE`]:
//! `(ctr, transient, address₀…₄, key₀…₇, write, value₀…₇, cost, frame, reverted)` —
//! `transient` 1 for TLOAD/TSTORE (EIP-1153), the address as five 32-bit limbs most
//! significant first, key and value as eight 32-bit limbs least significant first, `value`
//! the word read (SLOAD, TLOAD) or written (SSTORE, TSTORE), `cost` the step's dynamic gas,
//! `reverted` whether a failing frame's end undoes the access and `frame` that frame's id
//! (the step's frame's `reverts` and `revert_frame` registers; `(0, 0)` if none). This table
//! consumes the same messages, one row each, adds its own restore rows (below), and proves
//! what they claim:
//!
//! - rows are sorted by the 14-limb key `(transient, address, slot)` (compared most
//!   significant limb first) and then by counter: `first` marks the first access of a key; the
//!   one-hot `diff₀…₁₃` names the first limb where the key differs from the previous row's, all
//!   more significant limbs are equal, and `δ = diff-limb′ − diff-limb − 1` (or `ctr′ − ctr − 1`
//!   for the same key) is below 2³² by two 16-bit range checks. Key limbs are below 2³² (a
//!   boolean, the public address, a stack-word slot), so each key is one run of rows in counter
//!   order;
//! - values: `before` is the slot's value before the access, `after` after it (`after = before`
//!   for SLOAD; the message's value is `after`). On the first access `before = original`, and
//!   `(address, slot, original, warm)` is consumed from the statement's pre-state (bus
//!   [`STORAGE_PRE`]); on later accesses `before = after` of the previous row, `original`
//!   repeats and `warm = 1` (or, after a restore row, the warmth it saved). On the last access `(address, slot, after)` is consumed from the
//!   statement's post-state (bus [`STORAGE_POST`]). So every read returns the latest write,
//!   and the statement's post-state is what the writes left;
//! - transient slots (`transient = 1`) start at zero in every transaction and are discarded at
//!   its end: their `original` is pinned to 0 (so the first access's `before` is 0), they send
//!   no pre- or post-state message, and their dynamic cost is 0 (TLOAD and TSTORE cost their
//!   static 100 gas). Persistent and transient slots never share a key: the flag leads it.
//!   Starting at 0 holds per transaction: rows are sorted by (transient, address, slot,
//!   counter), so all frames' accesses of a slot form one run in execution order and a
//!   callee's first access sees what its caller left;
//! - rollback: the CPU's message carries its frame's `reverts` register (`reverted`: a
//!   failing frame's end undoes the access) and `revert_frame` (`frame`: the innermost
//!   failing frame's id). At each failing frame's end the table adds a *restore* row for
//!   each slot touched under it (by it or any frame it runs, failing or not): a write of its
//!   own (it sends no STORAGE message) that puts back the slot's value and warmth as they
//!   were when that frame started (`saved`, `saved_warm`), taken from the row whose
//!   interval holds the frame's first counter, so that everything after sees the slot as
//!   the frame found it. The run rule and the saved state are [`crate::rollback`]'s, shared
//!   with the Account component: a write or warm-up that survives a revert, at any depth of
//!   failing frames, breaks a constraint or the bus. A restore row for a slot the frame did
//!   not touch changes nothing;
//! - gas: `cost = 2000·cold` for SLOAD (on top of its static 100) and, for SSTORE,
//!   `2100·cold + (after = before ? 100 : original = before ? (original = 0 ? 20000 : 2900) :
//!   100)`, with `cold = 1 − warm`; the three equalities are flags proven by inverses.
//!
//! - refunds (EIP-3529): `refund` is each row's change of the refund counter (nonzero only on
//!   a persistent SSTORE that changes its slot outside a failing frame's reach, `changes`,
//!   whose refunds die with it), from the flags above and
//!   `[after = 0]`, `[before = 0]`, `[original = after]`; `refunds_before` accumulates them
//!   down the table (from 0), and the last live row (`end = live·(1 − live′)`) consumes the
//!   total `(refund)` from the statement on bus [`STORAGE_REFUND`]. The counter is a sum, so
//!   the table's key order gives the same total as execution order.
//!
//! An SSTORE that cannot pay its cost (the CPU's `halt_near`) still sends its message: its
//! row is an ordinary write, whose cost the CPU shows to exceed its gas. The frame then fails:
//! a callee's write is rolled back like its others; for the transaction's own frame the
//! verifier commits the pre-state and drops the refund, and the write never lands. So does
//! an SLOAD that cannot pay its cold access: an ordinary read, whose warm-up the failed
//! frame's end undoes.

use crate::algebra::Algebra;
use crate::bus::{BusId, BusValues, Direction, Interaction, PublicMessage};
use crate::component::{BoundaryValue, Component, Window};
use crate::registry::ComponentId;
use crate::rollback::{self, Rollback, RollbackCells};
use crate::sorted::{order_cells, Order};
use std::collections::BTreeMap;
use std::fmt;
use zkevm_field::Goldilocks;

/// Bus of storage accesses: `(ctr, transient, address₀…₄, key₀…₇, write, value₀…₇, cost,
/// frame, reverted)`.
pub const STORAGE: BusId = 23;
/// Bus of the statement's pre-state: `(address₀…₄, key₀…₇, value₀…₇, warm)`.
pub const STORAGE_PRE: BusId = 24;
/// Bus of the slots' states before each row, `(transient, address₀…₄, key₀…₇, ctr, prev_ctr,
/// before₀…₇, warm)`, which restore rows take ([`crate::rollback`]).
pub const STORAGE_SAVE: BusId = 53;
/// Bus of the statement's post-state: `(address₀…₄, key₀…₇, value₀…₇)`.
pub const STORAGE_POST: BusId = 25;
/// Bus of the frame's refund counter at its end, `(refund)`, provided by the verifier from the
/// statement whenever the frame touches storage.
pub const STORAGE_REFUND: BusId = 38;

/// Limbs of an address.
pub const ADDRESS_LIMBS: usize = 5;
/// Limbs of a word.
const LIMBS: usize = 8;
/// Limbs of the sort key (transient flag, address, then slot).
const KEY_LIMBS: usize = 1 + ADDRESS_LIMBS + LIMBS;

/// EIP-2929 and EIP-2200/3529 constants.
const COLD_SLOAD_EXTRA: u64 = 2000;
const COLD_SSTORE_EXTRA: u64 = 2100;
const WARM_ACCESS: u64 = 100;
const SSTORE_SET: u64 = 20000;
const SSTORE_RESET: u64 = 2900;
/// EIP-3529 refunds: clearing a slot, and restoring its original value (set or reset cost less
/// a warm access).
const SSTORE_CLEARS: u64 = 4800;
const RESTORE_SET: u64 = SSTORE_SET - WARM_ACCESS;
const RESTORE_RESET: u64 = SSTORE_RESET - WARM_ACCESS;

/// Column indices.
pub mod col {
    pub const LIVE: usize = 0;
    pub const WRITE: usize = 1;
    pub const CTR: usize = 2;
    /// Address limbs, most significant first.
    pub const ADDRESS: usize = 3;
    /// Slot limbs, least significant first.
    pub const KEY: usize = 8;
    pub const BEFORE: usize = 16;
    pub const AFTER: usize = 24;
    pub const ORIGINAL: usize = 32;
    pub const WARM: usize = 40;
    pub const FIRST: usize = 41;
    pub const LAST: usize = 42;
    /// One-hot: the first sort-key limb that differs from the previous row's.
    pub const DIFF: usize = 43;
    pub const DELTA_LO: usize = DIFF + super::KEY_LIMBS;
    pub const DELTA_HI: usize = DELTA_LO + 1;
    /// `[after = before]`, `[original = before]`, `[original = 0]`.
    pub const EQ_AFTER_BEFORE: usize = DELTA_HI + 1;
    pub const EQ_ORIGINAL_BEFORE: usize = EQ_AFTER_BEFORE + 1;
    pub const ORIGINAL_ZERO: usize = EQ_ORIGINAL_BEFORE + 1;
    /// Inverses proving the three flags (8 each).
    pub const INV_AFTER_BEFORE: usize = ORIGINAL_ZERO + 1;
    pub const INV_ORIGINAL_BEFORE: usize = INV_AFTER_BEFORE + super::LIMBS;
    pub const INV_ORIGINAL: usize = INV_ORIGINAL_BEFORE + super::LIMBS;
    pub const COST: usize = INV_ORIGINAL + super::LIMBS;
    /// A TLOAD/TSTORE slot (EIP-1153): the most significant sort-key limb.
    pub const TRANSIENT: usize = COST + 1;
    /// `[after = 0]`, `[before = 0]` through one inverse of the limb sum each (limbs are below
    /// 2³², so the sum is zero only for the zero word), `[original = after]` through eight.
    pub const AFTER_ZERO: usize = TRANSIENT + 1;
    pub const INV_AFTER: usize = AFTER_ZERO + 1;
    pub const BEFORE_ZERO: usize = INV_AFTER + 1;
    pub const INV_BEFORE: usize = BEFORE_ZERO + 1;
    pub const EQ_ORIGINAL_AFTER: usize = INV_BEFORE + 1;
    pub const INV_ORIGINAL_AFTER: usize = EQ_ORIGINAL_AFTER + 1;
    /// A persistent SSTORE that changes the slot: `write·(1 − transient)·(1 − [after = before])`.
    pub const CHANGES: usize = INV_ORIGINAL_AFTER + super::LIMBS;
    /// The row's refund-counter change (EIP-3529), a field element (it may be −4800).
    pub const REFUND: usize = CHANGES + 1;
    /// The refunds of the rows before this one.
    pub const REFUNDS_BEFORE: usize = REFUND + 1;
    /// The last live row, which sends the total.
    pub const END: usize = REFUNDS_BEFORE + 1;
    /// The rollback cells ([`crate::rollback::RollbackCells`]).
    pub const ROLLBACK: usize = END + 1;
    /// A failing frame's end undoes the access (the CPU's `reverts` register); `frame` is that
    /// frame's id (its `revert_frame`). On a restore row: those of the failing frame around
    /// the one it restores for (from the [`crate::rollback::ROLLBACK`] message).
    pub const REVERTED: usize = ROLLBACK + RollbackCells::REVERTED;
    pub const FRAME: usize = ROLLBACK + RollbackCells::FRAME;
    /// A restore row: not a step's access but the write at a failed callee's end that puts
    /// the slot back as the callee found it.
    pub const RESTORE: usize = ROLLBACK + RollbackCells::RESTORE;
    /// On a restore row: the slot's value and warmth when the failing frame started, which
    /// it puts back.
    pub const SAVED: usize = ROLLBACK + RollbackCells::WIDTH;
    pub const SAVED_WARM: usize = SAVED + super::LIMBS;
    use crate::rollback::RollbackCells;
}

/// Rows sorted by [`key_limb`], then counter.
const ORDER: Order = Order {
    live: col::LIVE,
    first: col::FIRST,
    ctr: col::CTR,
    diff: col::DIFF,
    delta_lo: col::DELTA_LO,
    delta_hi: col::DELTA_HI,
    limbs: KEY_LIMBS,
};

/// Storage accesses in key order.
#[derive(Debug, Default, Clone, Copy)]
pub struct Storage;

/// Sort-key limb `j` (0 = most significant): the transient flag, address limbs, then slot
/// limbs from the top.
fn key_limb<V: Algebra>(r: &[V], j: usize) -> V {
    match j {
        0 => r[col::TRANSIENT],
        _ if j <= ADDRESS_LIMBS => r[col::ADDRESS + j - 1],
        _ => r[col::KEY + LIMBS - 1 - (j - 1 - ADDRESS_LIMBS)],
    }
}

/// Constraints making `flag = [x = 0]` for the vector `x` with inverses at `inv`: emits
/// `flag·xᵢ` (8) and `1 − flag − Σ xᵢ·invᵢ` (1).
fn zero_test<V: Algebra>(flag: V, x: &[V; LIMBS], r: &[V], inv: usize, emit: &mut impl FnMut(V)) {
    let mut sum = V::zero();
    for (i, &xi) in x.iter().enumerate() {
        emit(flag * xi);
        sum = sum + xi * r[inv + i];
    }
    emit(V::one() - flag - sum);
}

fn limbs_at<V: Algebra>(r: &[V], start: usize) -> [V; LIMBS] {
    let mut out = [V::zero(); LIMBS];
    out.copy_from_slice(&r[start..start + LIMBS]);
    out
}

/// The SSTORE/SLOAD dynamic cost the flags imply.
fn cost_of<V: Algebra>(r: &[V]) -> V {
    let one = V::one();
    let k = V::from_u64;
    let (write, cold) = (r[col::WRITE], one - r[col::WARM]);
    let (eq_ab, eq_ob, zero_o) = (
        r[col::EQ_AFTER_BEFORE],
        r[col::EQ_ORIGINAL_BEFORE],
        r[col::ORIGINAL_ZERO],
    );
    let first_change = zero_o * k(SSTORE_SET) + (one - zero_o) * k(SSTORE_RESET);
    let changed = eq_ob * first_change + (one - eq_ob) * k(WARM_ACCESS);
    let sstore = cold * k(COLD_SSTORE_EXTRA) + eq_ab * k(WARM_ACCESS) + (one - eq_ab) * changed;
    write * sstore + (one - write) * cold * k(COLD_SLOAD_EXTRA)
}

/// The EIP-3529 refund-counter change of a row, given `changes` (a persistent SSTORE that
/// changes its slot): a clean slot cleared gains 4800; a dirty one loses the 4800 it gained
/// when cleared before (`before = 0`) or gains it when cleared now (`after = 0`), if its
/// original was not zero, and gains back the set or reset cost less a warm access when it
/// returns to its original value.
fn refund_of<V: Algebra>(r: &[V]) -> V {
    let one = V::one();
    let k = V::from_u64;
    let (eq_ob, zero_o) = (r[col::EQ_ORIGINAL_BEFORE], r[col::ORIGINAL_ZERO]);
    let nonzero_o = one - zero_o;
    let (after_zero, before_zero) = (r[col::AFTER_ZERO], r[col::BEFORE_ZERO]);
    let clean = eq_ob * nonzero_o * after_zero * k(SSTORE_CLEARS);
    let restored =
        r[col::EQ_ORIGINAL_AFTER] * (zero_o * k(RESTORE_SET) + nonzero_o * k(RESTORE_RESET));
    let dirty = nonzero_o * (after_zero - before_zero) * k(SSTORE_CLEARS) + restored;
    r[col::CHANGES] * (clean + (one - eq_ob) * dirty)
}

impl Component for Storage {
    const ID: ComponentId = ComponentId::Storage;
    const NAME: &'static str = "storage";
    const COLUMNS: &'static [&'static str] = &COLUMN_NAMES;

    fn transition_degrees(&self) -> Vec<usize> {
        let mut degrees = ORDER.degrees();
        degrees.push(3); // the last row of a key
        degrees.extend([3; 2 * LIMBS]); // values carried
        degrees.push(4); // warmth carried (or restored)
        degrees.extend([1, 2]); // refunds accumulate; the end row
        degrees.extend(RollbackCells::transition_degrees());
        degrees
    }

    fn eval_transition<V: Algebra>(&self, w: &Window<'_, V>, out: &mut [V]) {
        let (c, n) = (w.current, w.next);
        let one = V::one();
        let live_next = n[col::LIVE];
        let same = ORDER.continues(n);
        let mut at = 0;
        let mut o = |value: V| {
            out[at] = value;
            at += 1;
        };
        ORDER.constraints(c, n, key_limb, &mut o);
        o(c[col::LAST] - c[col::LIVE] * (one - same));
        for i in 0..LIMBS {
            o(same * (n[col::BEFORE + i] - c[col::AFTER + i]));
            o(same * (n[col::ORIGINAL + i] - c[col::ORIGINAL + i]));
        }
        // After an access a slot is warm; after a restore, as warm as the callee found it.
        let warm_after = one + c[col::RESTORE] * (c[col::SAVED_WARM] - one);
        o(same * (n[col::WARM] - warm_after));
        o(n[col::REFUNDS_BEFORE] - c[col::REFUNDS_BEFORE] - c[col::REFUND]);
        o(c[col::END] - c[col::LIVE] * (one - live_next));
        CELLS.eval_transition(c, n, col::CTR, same, &mut o);
    }

    fn row_degrees(&self) -> Vec<usize> {
        let mut degrees = vec![2; 9 + KEY_LIMBS];
        degrees.extend([2, 2, 2, 2]); // first, last, write and transient are live
        degrees.extend([2; LIMBS + 2]); // transient: original 0, warm, no dynamic cost
        degrees.extend([2; LIMBS]); // reads keep the value
        degrees.extend([2; LIMBS]); // first: before = original
        degrees.extend([2; 3 * (LIMBS + 1)]); // zero tests
        degrees.push(5); // cost
        degrees.extend([2, 2, 2, 2, 2, 2]); // after = 0, before = 0
        degrees.extend([2; LIMBS + 1]); // original = after
        degrees.extend([4, 4, 2]); // refund
        degrees.extend(RollbackCells::row_degrees());
        degrees.extend([2; LIMBS + 1]); // a restore writes the saved value
        degrees
    }

    fn eval_row<V: Algebra>(&self, r: &[V], out: &mut [V]) {
        let one = V::one();
        let live = r[col::LIVE];
        let mut at = 0;
        let mut o = |value: V| {
            out[at] = value;
            at += 1;
        };
        for c in [
            col::LIVE,
            col::WRITE,
            col::WARM,
            col::FIRST,
            col::LAST,
            col::EQ_AFTER_BEFORE,
            col::EQ_ORIGINAL_BEFORE,
            col::ORIGINAL_ZERO,
            col::TRANSIENT,
        ] {
            o(r[c].booleanity());
        }
        for j in 0..KEY_LIMBS {
            o(r[col::DIFF + j].booleanity());
        }
        let transient = r[col::TRANSIENT];
        o(r[col::FIRST] * (one - live));
        o(r[col::LAST] * (one - live));
        o(r[col::WRITE] * (one - live));
        o(transient * (one - live));
        for i in 0..LIMBS {
            o(transient * r[col::ORIGINAL + i]);
        }
        o(transient * (one - r[col::WARM]));
        o(transient * r[col::COST]);
        for i in 0..LIMBS {
            o((one - r[col::WRITE]) * (r[col::AFTER + i] - r[col::BEFORE + i]));
        }
        for i in 0..LIMBS {
            o(r[col::FIRST] * (r[col::BEFORE + i] - r[col::ORIGINAL + i]));
        }
        let (before, after, original) = (
            limbs_at(r, col::BEFORE),
            limbs_at(r, col::AFTER),
            limbs_at(r, col::ORIGINAL),
        );
        let minus = |a: [V; LIMBS], b: [V; LIMBS]| {
            let mut d = a;
            for (x, y) in d.iter_mut().zip(b) {
                *x = *x - y;
            }
            d
        };
        zero_test(
            r[col::EQ_AFTER_BEFORE],
            &minus(after, before),
            r,
            col::INV_AFTER_BEFORE,
            &mut o,
        );
        zero_test(
            r[col::EQ_ORIGINAL_BEFORE],
            &minus(original, before),
            r,
            col::INV_ORIGINAL_BEFORE,
            &mut o,
        );
        zero_test(
            r[col::ORIGINAL_ZERO],
            &original,
            r,
            col::INV_ORIGINAL,
            &mut o,
        );
        // `live − transient` is 1 exactly on persistent rows (transient rows are live).
        o((live - transient) * (r[col::COST] - cost_of(r)));
        let sum = |w: [V; LIMBS]| w.iter().fold(V::zero(), |s, &x| s + x);
        for (flag, inv, word) in [
            (col::AFTER_ZERO, col::INV_AFTER, after),
            (col::BEFORE_ZERO, col::INV_BEFORE, before),
        ] {
            let total = sum(word);
            o(r[flag].booleanity());
            o(r[flag] * total);
            o(one - r[flag] - total * r[inv]);
        }
        zero_test(
            r[col::EQ_ORIGINAL_AFTER],
            &minus(original, after),
            r,
            col::INV_ORIGINAL_AFTER,
            &mut o,
        );
        // Refunds under a failing frame die with it.
        let (reverted, restore) = (r[col::REVERTED], r[col::RESTORE]);
        // (A restore row is a write, `write − restore` a step's.)
        let step_write = r[col::WRITE] - restore;
        let changes =
            step_write * (one - transient) * (one - r[col::EQ_AFTER_BEFORE]) * (one - reverted);
        o(r[col::CHANGES] - changes);
        o(r[col::REFUND] - refund_of(r));
        o((one - live) * r[col::END]);
        CELLS.eval_row(r, live, r[col::FIRST], &mut o);
        o(restore * (one - r[col::WRITE]));
        for i in 0..LIMBS {
            o(restore * (r[col::AFTER + i] - r[col::SAVED + i]));
        }
    }

    fn boundary(&self) -> Vec<BoundaryValue> {
        vec![
            BoundaryValue::first(col::FIRST, 1),
            BoundaryValue::first(col::DELTA_LO, 0),
            BoundaryValue::first(col::DELTA_HI, 0),
            BoundaryValue::first(col::REFUNDS_BEFORE, 0),
            BoundaryValue::last(col::LIVE, 0),
        ]
    }

    fn interactions(&self) -> Vec<Interaction> {
        let range = crate::range::lookup();
        // The statement's slots are persistent ones: `first` and `last` of a persistent row.
        let statement = |bus, num_fields| Interaction {
            multiplicity_degree: 2,
            ..Interaction::linear(bus, Direction::Consume, num_fields)
        };
        let slot_key = KEY_LIMBS - 1;
        vec![
            Interaction::linear(STORAGE, Direction::Consume, 5 + KEY_LIMBS + LIMBS),
            statement(STORAGE_PRE, slot_key + LIMBS + 1),
            statement(STORAGE_POST, slot_key + LIMBS),
            range,
            range,
            Interaction::linear(STORAGE_REFUND, Direction::Consume, 1),
        ]
        .into_iter()
        .chain(RollbackCells::interactions(
            STORAGE_SAVE,
            KEY_LIMBS,
            LIMBS + 1,
        ))
        .collect()
    }

    fn eval_interactions<V: Algebra>(&self, r: &[V], out: &mut [BusValues<V>]) {
        let slot_key = &r[col::ADDRESS..col::ADDRESS + ADDRESS_LIMBS + LIMBS];
        let after = &r[col::AFTER..col::AFTER + LIMBS];
        let original = &r[col::ORIGINAL..col::ORIGINAL + LIMBS];
        let transient = r[col::TRANSIENT];
        // Restore rows are the table's own; every other live row is a step's access.
        out[0].set_parts(
            r[col::LIVE] - r[col::RESTORE],
            &[
                &[r[col::CTR], transient],
                slot_key,
                &[r[col::WRITE]],
                after,
                &[r[col::COST], r[col::FRAME], r[col::REVERTED]],
            ],
        );
        let persistent = V::one() - transient;
        out[1].set_parts(
            r[col::FIRST] * persistent,
            &[slot_key, original, &[r[col::WARM]]],
        );
        out[2].set_parts(r[col::LAST] * persistent, &[slot_key, after]);
        out[3].set(r[col::LIVE], &[r[col::DELTA_LO]]);
        out[4].set(r[col::LIVE], &[r[col::DELTA_HI]]);
        out[5].set(r[col::END], &[r[col::REFUNDS_BEFORE] + r[col::REFUND]]);
        let mut state = [r[col::WARM]; LIMBS + 1];
        state[..LIMBS].copy_from_slice(&r[col::BEFORE..col::BEFORE + LIMBS]);
        let mut key = [transient; KEY_LIMBS];
        key[1..].copy_from_slice(slot_key);
        CELLS.eval_interactions(
            r,
            r[col::CTR],
            &key,
            &state,
            &r[col::SAVED..=col::SAVED_WARM],
            &mut out[6..],
        );
    }
}

/// The rollback cells.
const CELLS: RollbackCells = RollbackCells {
    base: col::ROLLBACK,
};

const COLUMN_NAMES: [&str; col::SAVED_WARM + 1] = rollback::names_around(&HEAD_NAMES, &SAVED_NAMES);

const SAVED_NAMES: [&str; LIMBS + 1] = [
    "saved0",
    "saved1",
    "saved2",
    "saved3",
    "saved4",
    "saved5",
    "saved6",
    "saved7",
    "saved_warm",
];

const HEAD_NAMES: [&str; col::ROLLBACK] = [
    "live",
    "write",
    "ctr",
    "addr0",
    "addr1",
    "addr2",
    "addr3",
    "addr4",
    "key0",
    "key1",
    "key2",
    "key3",
    "key4",
    "key5",
    "key6",
    "key7",
    "before0",
    "before1",
    "before2",
    "before3",
    "before4",
    "before5",
    "before6",
    "before7",
    "after0",
    "after1",
    "after2",
    "after3",
    "after4",
    "after5",
    "after6",
    "after7",
    "original0",
    "original1",
    "original2",
    "original3",
    "original4",
    "original5",
    "original6",
    "original7",
    "warm",
    "first",
    "last",
    "diff0",
    "diff1",
    "diff2",
    "diff3",
    "diff4",
    "diff5",
    "diff6",
    "diff7",
    "diff8",
    "diff9",
    "diff10",
    "diff11",
    "diff12",
    "diff13",
    "delta_lo",
    "delta_hi",
    "eq_after_before",
    "eq_original_before",
    "original_zero",
    "inv_ab0",
    "inv_ab1",
    "inv_ab2",
    "inv_ab3",
    "inv_ab4",
    "inv_ab5",
    "inv_ab6",
    "inv_ab7",
    "inv_ob0",
    "inv_ob1",
    "inv_ob2",
    "inv_ob3",
    "inv_ob4",
    "inv_ob5",
    "inv_ob6",
    "inv_ob7",
    "inv_o0",
    "inv_o1",
    "inv_o2",
    "inv_o3",
    "inv_o4",
    "inv_o5",
    "inv_o6",
    "inv_o7",
    "cost",
    "transient",
    "after_zero",
    "inv_after",
    "before_zero",
    "inv_before",
    "eq_original_after",
    "inv_oa0",
    "inv_oa1",
    "inv_oa2",
    "inv_oa3",
    "inv_oa4",
    "inv_oa5",
    "inv_oa6",
    "inv_oa7",
    "changes",
    "refund",
    "refunds_before",
    "end",
];

/// A storage key: address limbs (most significant first) and slot limbs (least first).
pub type Key = ([u32; ADDRESS_LIMBS], [u32; LIMBS]);

/// One SLOAD, SSTORE, TLOAD or TSTORE as the CPU sees it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct StorageOp {
    pub ctr: u32,
    /// TLOAD or TSTORE: a transient slot (EIP-1153).
    pub transient: bool,
    pub key: Key,
    pub write: bool,
    /// The slot's value before the step (what SLOAD reads).
    pub before: [u32; LIMBS],
    /// The value written (SSTORE) or read (SLOAD).
    pub value: [u32; LIMBS],
    /// Warm before the step (EIP-2929).
    pub warm: bool,
    /// The step's dynamic gas.
    pub cost: u64,
    /// The failing frame whose end rolls the access back (the step's frame's `reverts` and
    /// `revert_frame` registers), if any.
    pub rollback: Rollback,
}

impl StorageOp {
    /// The message the CPU provides for this step.
    pub fn fields(&self) -> Vec<Goldilocks> {
        let g = |v: u32| Goldilocks::new(v as u64);
        let mut f = vec![
            Goldilocks::new(self.ctr as u64),
            Goldilocks::new(self.transient as u64),
        ];
        f.extend(self.key.0.iter().chain(&self.key.1).map(|&v| g(v)));
        f.push(Goldilocks::new(self.write as u64));
        f.extend(self.value.iter().map(|&v| g(v)));
        f.push(Goldilocks::new(self.cost));
        f.extend(self.rollback.fields());
        f
    }
}

/// What the verifier provides for a frame's refund counter: `(refund)` once, when the frame
/// touches storage (its Storage table sends the total then).
pub fn refund_message(refund: u64) -> PublicMessage {
    PublicMessage::provide(STORAGE_REFUND, &[Goldilocks::new(refund)])
}

/// A touched slot's values at the start and end, and whether it started warm.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct SlotState {
    pub key: Key,
    pub pre: [u32; LIMBS],
    pub post: [u32; LIMBS],
    pub prewarm: bool,
}

impl SlotState {
    /// The pre- and post-state messages the statement provides for this slot.
    pub fn messages(&self) -> [PublicMessage; 2] {
        let g = |v: &u32| Goldilocks::new(*v as u64);
        let key: Vec<Goldilocks> = self.key.0.iter().chain(&self.key.1).map(g).collect();
        let mut pre = key.clone();
        pre.extend(self.pre.iter().map(g));
        pre.push(Goldilocks::new(self.prewarm as u64));
        let mut post = key;
        post.extend(self.post.iter().map(g));
        [
            PublicMessage::provide(STORAGE_PRE, &pre),
            PublicMessage::provide(STORAGE_POST, &post),
        ]
    }
}

/// Why storage accesses do not form a valid table.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StorageError(pub String);

impl fmt::Display for StorageError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "storage: {}", self.0)
    }
}

impl std::error::Error for StorageError {}

/// A laid-out table, its range lookups, and the persistent slots it touches (in key order).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StorageTrace {
    pub columns: Vec<Vec<Goldilocks>>,
    pub range_lookups: Vec<u16>,
    /// The refund counter the frame's SSTOREs leave (EIP-3529, before any cap).
    pub refund: u64,
    pub slots: Vec<SlotState>,
    /// The rows each failing callee (its frame id) rolls back or restores: the
    /// multiplicities its Call row provides on [`rollback::ROLLBACK`].
    pub rollbacks: BTreeMap<u32, u32>,
}

fn sort_key(op: &StorageOp) -> [u32; KEY_LIMBS] {
    let mut k = [0u32; KEY_LIMBS];
    k[0] = op.transient as u32;
    k[1..=ADDRESS_LIMBS].copy_from_slice(&op.key.0);
    for j in 0..LIMBS {
        k[1 + ADDRESS_LIMBS + j] = op.key.1[LIMBS - 1 - j];
    }
    k
}

/// The dynamic gas of an access (EIP-2929 and EIP-2200/3529), which its row proves.
pub(crate) fn dynamic_cost(op: &StorageOp, original: &[u32; LIMBS]) -> u64 {
    if op.transient {
        return 0;
    }
    let cold = !op.warm as u64;
    if !op.write {
        return cold * COLD_SLOAD_EXTRA;
    }
    let base = if op.value == op.before {
        WARM_ACCESS
    } else if *original == op.before {
        if original.iter().all(|&l| l == 0) {
            SSTORE_SET
        } else {
            SSTORE_RESET
        }
    } else {
        WARM_ACCESS
    };
    cold * COLD_SSTORE_EXTRA + base
}

/// The EIP-3529 refund-counter change of a persistent SSTORE changing its slot from `before`
/// to `after` (see [`refund_of`]).
fn refund_change(original: &[u32; LIMBS], before: &[u32; LIMBS], after: &[u32; LIMBS]) -> i64 {
    let zero = [0; LIMBS];
    let clears = SSTORE_CLEARS as i64;
    if original == before {
        return if *original != zero && *after == zero {
            clears
        } else {
            0
        };
    }
    let mut change = 0;
    if *original != zero {
        if *before == zero {
            change -= clears;
        } else if *after == zero {
            change += clears;
        }
    }
    if original == after {
        change += match *original == zero {
            true => RESTORE_SET as i64,
            false => RESTORE_RESET as i64,
        };
    }
    change
}

/// A signed integer as a field element.
pub(crate) fn signed(value: i64) -> Goldilocks {
    match value < 0 {
        true => -Goldilocks::new(value.unsigned_abs()),
        false => Goldilocks::new(value as u64),
    }
}

/// Sorts the steps' accesses, adds a restore row at each failing callee's end (`failing`: its
/// end and the failing frame around it, by frame id) for each slot touched under it, and
/// fills the table.
/// Checks what the constraints will: each access's `before` is the previous one's value (the
/// first's is the original, 0 for a transient slot), later accesses are warm (or, after a
/// restore, as warm as before the callee), each cost follows the gas rules, and a failing
/// callee's accesses of a slot are followed by its restore (the run rule of
/// [`crate::rollback`]).
pub fn trace(
    ops: &[StorageOp],
    failing: &rollback::FailingFrames,
) -> Result<StorageTrace, StorageError> {
    let layout = rollback::lay_out(
        ops,
        failing,
        CELLS,
        COLUMN_NAMES.len(),
        |op| (sort_key(op), op.ctr, op.rollback),
        |op, end, outer| StorageOp {
            ctr: end,
            write: true,
            rollback: outer,
            ..*op
        },
    )
    .map_err(|e| StorageError(e.to_string()))?;
    let rollback::Layout {
        rows: sorted,
        mut columns,
        mut range_lookups,
        rollbacks,
        saves_from,
    } = layout;
    columns[col::FIRST][0] = Goldilocks::ONE;
    // Padding rows hold zero words: equal to each other, so the equality flags are set.
    for c in [
        col::EQ_AFTER_BEFORE,
        col::EQ_ORIGINAL_BEFORE,
        col::ORIGINAL_ZERO,
        col::AFTER_ZERO,
        col::BEFORE_ZERO,
        col::EQ_ORIGINAL_AFTER,
    ] {
        columns[c].fill(Goldilocks::ONE);
    }
    let mut refunds: i64 = 0;
    let mut slots: BTreeMap<[u32; KEY_LIMBS], SlotState> = BTreeMap::new();
    // Each row's slot state before it (what a restore row taking it puts back), and the
    // warmth the next access of the slot must find.
    let mut befores: Vec<([u32; LIMBS], bool)> = Vec::with_capacity(sorted.len());
    let mut warm_next = true;
    for (r, &(mut op, restores)) in sorted.iter().enumerate() {
        let key = sort_key(&op);
        let previous = r.checked_sub(1).map(|p| sorted[p]);
        let continues = previous.is_some_and(|(p, _)| sort_key(&p) == key);
        let restore = restores.is_some();
        let mut saved = None;
        if let Some(s) = saves_from[r] {
            // Puts back the slot as the failing frame found it.
            let no_run = || StorageError(format!("a restore at {} ends no run", op.ctr));
            let slot = slots.get(&key).filter(|_| continues).ok_or_else(no_run)?;
            op.before = slot.post;
            op.warm = warm_next;
            let found = befores.get(s).copied().unwrap_or((op.before, op.warm));
            op.value = found.0;
            op.cost = dynamic_cost(&op, &slot.pre);
            saved = Some(found);
        }
        befores.push((op.before, op.warm));
        let op = &op;
        let after = if op.write { op.value } else { op.before };
        if !op.write && op.value != op.before {
            return Err(StorageError(format!(
                "SLOAD at {} reads a value other than the slot's",
                op.ctr
            )));
        }
        if op.transient && !continues && op.before != [0; LIMBS] {
            return Err(StorageError(format!(
                "the first access at {} of a transient slot finds a value other than 0",
                op.ctr
            )));
        }
        if op.transient && !op.warm {
            return Err(StorageError(format!(
                "transient access at {} is cold",
                op.ctr
            )));
        }
        let slot = slots.entry(key).or_insert(SlotState {
            key: op.key,
            pre: op.before,
            post: op.before,
            prewarm: op.warm,
        });
        if continues && (op.before != slot.post || op.warm != warm_next) {
            return Err(StorageError(format!(
                "access at {} does not continue the slot's history",
                op.ctr
            )));
        }
        let original = slot.pre;
        let cost = dynamic_cost(op, &original);
        if cost != op.cost {
            return Err(StorageError(format!(
                "access at {} costs {} extra gas, the rules say {cost}",
                op.ctr, op.cost
            )));
        }
        slot.post = after;
        warm_next = saved.is_none_or(|(_, warm)| warm);
        let mut set = |c: usize, v: u64| columns[c][r] = Goldilocks::new(v);
        set(col::LIVE, 1);
        set(col::WRITE, op.write as u64);
        set(col::CTR, op.ctr as u64);
        for (j, &l) in op.key.0.iter().enumerate() {
            set(col::ADDRESS + j, l as u64);
        }
        for i in 0..LIMBS {
            set(col::KEY + i, op.key.1[i] as u64);
            set(col::BEFORE + i, op.before[i] as u64);
            set(col::AFTER + i, after[i] as u64);
            set(col::ORIGINAL + i, original[i] as u64);
        }
        set(col::WARM, op.warm as u64);
        set(col::TRANSIENT, op.transient as u64);
        if let Some((value, warm)) = saved {
            for (i, &limb) in value.iter().enumerate() {
                set(col::SAVED + i, limb as u64);
            }
            set(col::SAVED_WARM, warm as u64);
        }
        set(col::FIRST, !continues as u64);
        let is_last = sorted.get(r + 1).is_none_or(|(n, _)| sort_key(n) != key);
        set(col::LAST, is_last as u64);
        let previous_key = previous.map(|(p, _)| (sort_key(&p), p.ctr));
        let previous_key = previous_key.as_ref().map(|(k, ctr)| (&k[..], *ctr));
        let (diff, delta) = order_cells(previous_key, &key, op.ctr);
        if let Some(j) = diff {
            set(col::DIFF + j, 1);
        }
        set(col::DELTA_LO, delta & 0xffff);
        set(col::DELTA_HI, delta >> 16);
        range_lookups.extend([delta as u16, (delta >> 16) as u16]);
        let flag = |a: &[u32; LIMBS], b: &[u32; LIMBS]| a == b;
        set(col::EQ_AFTER_BEFORE, flag(&after, &op.before) as u64);
        set(col::EQ_ORIGINAL_BEFORE, flag(&original, &op.before) as u64);
        set(col::ORIGINAL_ZERO, flag(&original, &[0; LIMBS]) as u64);
        set(col::COST, cost);
        let zero = [0; LIMBS];
        set(col::AFTER_ZERO, flag(&after, &zero) as u64);
        set(col::BEFORE_ZERO, flag(&op.before, &zero) as u64);
        set(col::EQ_ORIGINAL_AFTER, flag(&original, &after) as u64);
        let changes =
            op.write && !restore && !op.transient && after != op.before && !op.rollback.reverted();
        set(col::CHANGES, changes as u64);
        let refund = match changes {
            true => refund_change(&original, &op.before, &after),
            false => 0,
        };
        columns[col::REFUND][r] = signed(refund);
        columns[col::REFUNDS_BEFORE][r] = signed(refunds);
        refunds += refund;
        for (inv, word) in [(col::INV_AFTER, after), (col::INV_BEFORE, op.before)] {
            let total: u64 = word.iter().map(|&l| l as u64).sum();
            if total != 0 {
                columns[inv][r] = Goldilocks::new(total).inverse();
            }
        }
        // One inverse at the first non-zero limb of each non-zero difference.
        let pairs = [
            (col::INV_AFTER_BEFORE, after, op.before),
            (col::INV_ORIGINAL_BEFORE, original, op.before),
            (col::INV_ORIGINAL, original, [0; LIMBS]),
            (col::INV_ORIGINAL_AFTER, original, after),
        ];
        for (inv, a, b) in pairs {
            if let Some(i) = (0..LIMBS).find(|&i| a[i] != b[i]) {
                let d = Goldilocks::new(a[i] as u64) - Goldilocks::new(b[i] as u64);
                columns[inv + i][r] = d.inverse();
            }
        }
    }
    // Padding rows carry the total on; the last live row sends it.
    columns[col::REFUNDS_BEFORE][sorted.len()..].fill(signed(refunds));
    columns[col::END][sorted.len() - 1] = Goldilocks::ONE;
    let refund = u64::try_from(refunds)
        .map_err(|_| StorageError(format!("a negative refund counter ({refunds})")))?;
    // Transient slots start at 0 and end with the transaction: the statement holds neither.
    Ok(StorageTrace {
        columns,
        range_lookups,
        refund,
        slots: (slots.into_iter())
            .filter(|(key, _)| key[0] == 0)
            .map(|(_, slot)| slot)
            .collect(),
        rollbacks,
    })
}

/// The word of eight 32-bit limbs, least significant first (inverse of [`crate::rw::limbs`]).
pub fn word_of(limbs: &[u32; LIMBS]) -> zkevm_evm_spec::witness::Word {
    let mut words = [0u64; 4];
    for (i, &limb) in limbs.iter().enumerate() {
        words[i / 2] |= (limb as u64) << (32 * (i % 2));
    }
    zkevm_evm_spec::witness::Word::from_limbs(words)
}

/// An address as five 32-bit limbs, most significant first.
pub fn address_limbs(address: &[u8; 20]) -> [u32; ADDRESS_LIMBS] {
    let mut out = [0u32; ADDRESS_LIMBS];
    for (j, limb) in out.iter_mut().enumerate() {
        *limb = u32::from_be_bytes(address[4 * j..4 * j + 4].try_into().expect("4 bytes"));
    }
    out
}

/// The address a word names: its low 160 bits (as BALANCE, CALL and the other account
/// operations read their operand).
pub fn address_of_word(word: &zkevm_evm_spec::witness::Word) -> [u8; 20] {
    let bytes = word.to_be_bytes::<32>();
    bytes[12..].try_into().expect("20 bytes")
}

/// The address of five 32-bit limbs, most significant first (inverse of [`address_limbs`]).
pub fn address_bytes(limbs: &[u32; ADDRESS_LIMBS]) -> [u8; 20] {
    let mut bytes = [0u8; 20];
    for (chunk, limb) in bytes.chunks_mut(4).zip(limbs) {
        chunk.copy_from_slice(&limb.to_be_bytes());
    }
    bytes
}

#[cfg(test)]
mod tests;
