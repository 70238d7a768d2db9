//! The Account component: every access of another account (BALANCE, EXTCODESIZE,
//! EXTCODEHASH, SELFDESTRUCT's beneficiary, a call's target), sorted by (address, counter),
//! with its EIP-2929 warm/cold cost.
//!
//! The CPU (or the Call component) provides one message per access on bus [`ACCOUNT`]: `(ctr,
//! address₀…₄, cost, frame, reverted)`, the address as five 32-bit limbs most significant
//! first (the low 160 bits of the stack operand), `cost` the access's dynamic gas, `reverted`
//! whether a failing frame's end undoes the access (the CPU's `reverts` register) and `frame`
//! that frame's id (its `revert_frame`). This table consumes the same messages, one row each,
//! adds its own restore rows (below), and proves what they claim:
//!
//! - rows are sorted by address, then counter ([`crate::sorted`]): each address is one run;
//! - the first access of an address consumes `(address₀…₄, warm)` from the statement (bus
//!   [`ACCOUNT_PRE`]): whether the transaction made it warm before execution (its sender,
//!   recipient, the coinbase, the precompiles, its access list), which the verifier checks;
//!   every later access is warm, because the first one warmed it, except right after a
//!   restore row;
//! - rollback, as in [`crate::storage`]: the accesses a failing frame `F` (and its callees,
//!   all of which succeed) makes of an address are one block of the address's run (they lie
//!   within `F`'s counter range, which nothing else enters), each followed by another of the
//!   same frame or by a *restore* row: the table's own row at `F`'s end, consuming `(F, ctr)`
//!   on [`crate::rollback::ROLLBACK`] from `F`'s Call row. The block's first row saves the
//!   warmth it found (`saved_warm`), the later rows carry it, and after the restore row the
//!   next access finds the address that warm again: a warm-up that survives the revert breaks
//!   a constraint;
//! - `cost = 2500·(1 − warm)`: a cold access pays 2,600 gas, a warm one 100, of which the
//!   opcode table's static cost is 100 (SELFDESTRUCT pays no warm 100: its row scales its
//!   2,600 to this 2,500).
//!
//! The values the steps push (a balance, a code size, a code hash) do not pass through here:
//! the verifier computes each from the state it knows (bus [`crate::cpu::VERIFIER_WORD`]), as it
//! was before execution: a balance that transfers change is not served (a read of a transfer's
//! party is refused, [`crate::call::unproven_reads_beside`]); serving it would need a history.
//!
//! Invariant this relies on: every step that warms an address sends its access here, and
//! nothing but a failing frame's end un-warms one. The steps that warm one are BALANCE, EXTCODESIZE, EXTCODEHASH and
//! SELFDESTRUCT (the CPU's rows; SELFDESTRUCT pays 2,600 for a cold beneficiary, and sends
//! its cost scaled to this table's 2,500) and the four calls (the Call component's rows);
//! EXTCODECOPY and CREATE have no row in the verifier's opcode table, so no proof contains
//! them. A failing callee's warmings are undone at its end (restore rows), and a failed
//! transaction's warm set dies with it. A family that touches an address must send on
//! [`ACCOUNT`] too, with its frame's `reverts` register.

use crate::algebra::Algebra;
use crate::bus::{BusId, BusValues, Direction, Interaction, PublicMessage};
use crate::component::{padded_len, BoundaryValue, Component, Window};
use crate::registry::ComponentId;
use crate::rollback::{restore_rows, run_goes_on, BrokenRun, Rollback, ROLLBACK};
use crate::sorted::{order_cells, Order};
use crate::storage::ADDRESS_LIMBS;
use std::collections::BTreeMap;
use std::fmt;
use zkevm_field::Goldilocks;

/// Bus of account accesses: `(ctr, address₀…₄, cost, frame, reverted)`.
pub const ACCOUNT: BusId = 45;
/// Fields of an [`ACCOUNT`] message.
pub const ACCOUNT_FIELDS: usize = 4 + ADDRESS_LIMBS;
/// Bus of the statement's accounts: `(address₀…₄, warm)`, whether each was warm before
/// execution.
pub const ACCOUNT_PRE: BusId = 46;

/// EIP-2929: a cold account access costs this much on top of a warm one.
pub const COLD_ACCOUNT_EXTRA: u64 = 2500;

/// Column indices.
pub mod col {
    pub const LIVE: usize = 0;
    pub const CTR: usize = 1;
    /// Address limbs, most significant first.
    pub const ADDRESS: usize = 2;
    pub const FIRST: usize = ADDRESS + super::ADDRESS_LIMBS;
    pub const WARM: usize = FIRST + 1;
    /// One-hot: the first address limb that differs from the previous row's.
    pub const DIFF: usize = WARM + 1;
    pub const DELTA_LO: usize = DIFF + super::ADDRESS_LIMBS;
    pub const DELTA_HI: usize = DELTA_LO + 1;
    pub const COST: usize = DELTA_HI + 1;
    /// A failing frame's end undoes the access; `frame` is that frame's id.
    pub const REVERTED: usize = COST + 1;
    pub const FRAME: usize = REVERTED + 1;
    /// A restore row: not an access but the un-warming at a failing frame's end.
    pub const RESTORE: usize = FRAME + 1;
    /// On a failing frame's rows: the warmth its first access of the address found.
    pub const SAVED_WARM: usize = RESTORE + 1;
}

const COLUMN_NAMES: [&str; col::SAVED_WARM + 1] = [
    "live",
    "ctr",
    "addr0",
    "addr1",
    "addr2",
    "addr3",
    "addr4",
    "first",
    "warm",
    "diff0",
    "diff1",
    "diff2",
    "diff3",
    "diff4",
    "delta_lo",
    "delta_hi",
    "cost",
    "reverted",
    "frame",
    "restore",
    "saved_warm",
];

/// Rows sorted by address, then counter.
const ORDER: Order = Order {
    live: col::LIVE,
    first: col::FIRST,
    ctr: col::CTR,
    diff: col::DIFF,
    delta_lo: col::DELTA_LO,
    delta_hi: col::DELTA_HI,
    limbs: ADDRESS_LIMBS,
};

fn address_limb<V: Algebra>(r: &[V], j: usize) -> V {
    r[col::ADDRESS + j]
}

/// Account accesses in address order.
#[derive(Debug, Default, Clone, Copy)]
pub struct Account;

impl Component for Account {
    const ID: ComponentId = ComponentId::Account;
    const NAME: &'static str = "account";
    const COLUMNS: &'static [&'static str] = &COLUMN_NAMES;

    fn transition_degrees(&self) -> Vec<usize> {
        let mut degrees = ORDER.degrees();
        degrees.push(4); // later accesses are warm (or as warm as a restore left them)
        degrees.extend([3; 5]); // a failing frame's run goes on to its restore row
        degrees
    }

    fn eval_transition<V: Algebra>(&self, w: &Window<'_, V>, out: &mut [V]) {
        let (c, n) = (w.current, w.next);
        let mut at = 0;
        let mut o = |value: V| {
            out[at] = value;
            at += 1;
        };
        ORDER.constraints(c, n, address_limb, &mut o);
        let one = V::one();
        let warm_after = one + c[col::RESTORE] * (c[col::SAVED_WARM] - one);
        o(ORDER.continues(n) * (n[col::WARM] - warm_after));
        // A failing frame's run of the address continues with the same address and frame
        // until its restore row; the rows after its first carry the warmth it saved, and a
        // row starting a run saves the warmth it finds.
        let goes_on = c[col::REVERTED] * (one - c[col::RESTORE]);
        o(goes_on * (one - n[col::REVERTED]));
        o(goes_on * n[col::FIRST]);
        o(goes_on * (n[col::FRAME] - c[col::FRAME]));
        o(goes_on * (n[col::SAVED_WARM] - c[col::SAVED_WARM]));
        let starts = n[col::REVERTED] - goes_on;
        o(starts * (n[col::SAVED_WARM] - n[col::WARM]));
    }

    fn row_degrees(&self) -> Vec<usize> {
        let mut degrees = vec![2; 3 + ADDRESS_LIMBS];
        degrees.extend([2, 2]);
        degrees.extend([2; 7]); // reverted and restore flags, no cost, saved warmth
        degrees.push(3); // a run starting the table saves its warmth
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
        for c in [col::LIVE, col::FIRST, col::WARM] {
            o(r[c].booleanity());
        }
        for j in 0..ADDRESS_LIMBS {
            o(r[col::DIFF + j].booleanity());
        }
        o(r[col::FIRST] * (one - live));
        let (reverted, restore) = (r[col::REVERTED], r[col::RESTORE]);
        let cold = one - r[col::WARM];
        o((live - restore) * (r[col::COST] - cold * V::from_u64(COLD_ACCOUNT_EXTRA)));
        o(reverted.booleanity());
        o(restore.booleanity());
        o(reverted * (one - live));
        o(restore * (one - reverted));
        o(restore * r[col::COST]);
        o((one - reverted) * r[col::SAVED_WARM]);
        o((one - reverted) * r[col::FRAME]);
        // Row 0 is no transition's next row: a run starting there saves here.
        o(reverted * r[col::FIRST] * (r[col::SAVED_WARM] - r[col::WARM]));
    }

    fn boundary(&self) -> Vec<BoundaryValue> {
        vec![
            BoundaryValue::first(col::FIRST, 1),
            BoundaryValue::first(col::DELTA_LO, 0),
            BoundaryValue::first(col::DELTA_HI, 0),
            BoundaryValue::last(col::LIVE, 0),
        ]
    }

    fn interactions(&self) -> Vec<Interaction> {
        let range = crate::range::lookup();
        vec![
            Interaction::linear(ACCOUNT, Direction::Consume, ACCOUNT_FIELDS),
            Interaction::linear(ACCOUNT_PRE, Direction::Consume, 1 + ADDRESS_LIMBS),
            range,
            range,
            Interaction::linear(ROLLBACK, Direction::Consume, 2),
        ]
    }

    fn eval_interactions<V: Algebra>(&self, r: &[V], out: &mut [BusValues<V>]) {
        let address = &r[col::ADDRESS..col::ADDRESS + ADDRESS_LIMBS];
        let live = r[col::LIVE];
        let (frame, reverted, restore) = (r[col::FRAME], r[col::REVERTED], r[col::RESTORE]);
        // Restore rows are the table's own; every other live row is an access.
        out[0].set_parts(
            live - restore,
            &[&[r[col::CTR]], address, &[r[col::COST], frame, reverted]],
        );
        out[1].set_parts(r[col::FIRST], &[address, &[r[col::WARM]]]);
        out[2].set(live, &[r[col::DELTA_LO]]);
        out[3].set(live, &[r[col::DELTA_HI]]);
        // A restore happens at its frame's end counter.
        out[4].set(restore, &[frame, r[col::CTR]]);
    }
}

/// An address as five 32-bit limbs, most significant first.
pub type Address = [u32; ADDRESS_LIMBS];

/// One account access as the CPU sees it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct AccountOp {
    pub ctr: u32,
    pub address: Address,
    /// Warm before the step (EIP-2929).
    pub warm: bool,
    /// The step's dynamic gas.
    pub cost: u64,
    /// The failing frame whose end undoes the access (0 if none), as the step's frame's
    /// `revert_frame` and `reverts` registers say.
    pub rollback: Rollback,
}

impl AccountOp {
    /// A step's access of the account a stack operand names (its low 160 bits).
    pub fn of_operand(
        ctr: u32,
        operand: &zkevm_evm_spec::witness::Word,
        warm: bool,
        cost: u64,
        rollback: Rollback,
    ) -> Self {
        let address = crate::storage::address_of_word(operand);
        AccountOp {
            ctr,
            address: crate::storage::address_limbs(&address),
            warm,
            cost,
            rollback,
        }
    }

    /// The message the CPU provides for this step.
    pub fn fields(&self) -> Vec<Goldilocks> {
        let mut f = vec![Goldilocks::new(self.ctr as u64)];
        f.extend(self.address.iter().map(|&l| Goldilocks::new(l as u64)));
        f.push(Goldilocks::new(self.cost));
        f.extend(self.rollback.fields());
        f
    }
}

/// The dynamic gas of an access: 2,500 when the address is cold.
pub fn access_cost(warm: bool) -> u64 {
    (!warm as u64) * COLD_ACCOUNT_EXTRA
}

/// An accessed account and whether it was warm before execution.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct AccountState {
    pub address: Address,
    pub prewarm: bool,
}

impl AccountState {
    /// The message the statement provides for this account.
    pub fn message(&self) -> PublicMessage {
        let mut fields: Vec<Goldilocks> = (self.address.iter())
            .map(|&l| Goldilocks::new(l as u64))
            .collect();
        fields.push(Goldilocks::new(self.prewarm as u64));
        PublicMessage::provide(ACCOUNT_PRE, &fields)
    }
}

/// Why account accesses do not form a valid table.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AccountError(pub String);

impl fmt::Display for AccountError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "account accesses: {}", self.0)
    }
}

impl std::error::Error for AccountError {}

/// A laid-out table, its range lookups, the accounts it touches (in address order), and its
/// restore rows by failing frame (each frame's Call row provides them on
/// [`crate::rollback::ROLLBACK`]).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AccountTrace {
    pub columns: Vec<Vec<Goldilocks>>,
    pub range_lookups: Vec<u16>,
    pub accounts: Vec<AccountState>,
    pub restores: BTreeMap<u32, u32>,
}

/// Sorts the accesses, adds a restore row at each failing frame's end (`frame_ends`: frame id
/// → the counter after its last step) for each address its accesses touched, and fills the
/// table. Checks what the constraints will: an address stays warm once accessed (after a
/// restore, as warm as the failing frame found it), and each cost follows from the warmth.
pub fn trace(
    ops: &[AccountOp],
    frame_ends: &BTreeMap<u32, u32>,
) -> Result<AccountTrace, AccountError> {
    let (restore_rows, restores) = restore_rows(
        ops,
        frame_ends,
        |op| op.rollback,
        |op| op.address,
        |op, end| AccountOp {
            ctr: end,
            cost: 0,
            ..*op
        },
    )
    .map_err(|i| {
        AccountError(format!(
            "the access at {} in a failing frame without an end",
            ops[i].ctr
        ))
    })?;
    let mut sorted: Vec<(AccountOp, bool)> = ops.iter().map(|&op| (op, false)).collect();
    sorted.extend(restore_rows.into_iter().map(|op| (op, true)));
    sorted.sort_by_key(|(op, _)| (op.address, op.ctr));
    let rows = padded_len(sorted.len());
    let mut columns = vec![vec![Goldilocks::ZERO; rows]; COLUMN_NAMES.len()];
    let mut range_lookups = Vec::with_capacity(2 * sorted.len());
    let mut accounts: BTreeMap<Address, AccountState> = BTreeMap::new();
    // The warmth the next access of the current address must find, and what the current
    // failing frame's run of it saved.
    let mut warm_next = true;
    let mut saved = false;
    for (r, &(mut op, restore)) in sorted.iter().enumerate() {
        let previous = r.checked_sub(1).map(|p| &sorted[p]);
        let continues = previous.is_some_and(|(p, _)| p.address == op.address);
        if restore {
            op.warm = warm_next;
        }
        if continues && op.warm != warm_next {
            return Err(AccountError(format!(
                "the access at {} finds the address {}, the rules say {}",
                op.ctr,
                if op.warm { "warm" } else { "cold" },
                if warm_next { "warm" } else { "cold" },
            )));
        }
        if !restore && op.cost != access_cost(op.warm) {
            return Err(AccountError(format!(
                "the access at {} costs {} extra gas, the rules say {}",
                op.ctr,
                op.cost,
                access_cost(op.warm)
            )));
        }
        // A failing frame's run goes on from the previous row to its restore row, or starts
        // here.
        let goes_on = run_goes_on(
            previous.map(|(p, pr)| (p.rollback, *pr)),
            continues,
            op.rollback,
        )
        .map_err(|BrokenRun| {
            AccountError(format!(
                "an access under a failing frame before {} is not rolled back",
                op.ctr
            ))
        })?;
        if op.rollback.0.is_some() && !goes_on {
            saved = op.warm;
        }
        warm_next = if restore { saved } else { true };
        accounts.entry(op.address).or_insert(AccountState {
            address: op.address,
            prewarm: op.warm,
        });
        let mut set = |c: usize, v: u64| columns[c][r] = Goldilocks::new(v);
        set(col::LIVE, 1);
        set(col::CTR, op.ctr as u64);
        for (j, &limb) in op.address.iter().enumerate() {
            set(col::ADDRESS + j, limb as u64);
        }
        set(col::FIRST, !continues as u64);
        set(col::WARM, op.warm as u64);
        let previous = previous.map(|(p, _)| (&p.address[..], p.ctr));
        let (diff, delta) = order_cells(previous, &op.address, op.ctr);
        if let Some(j) = diff {
            set(col::DIFF + j, 1);
        }
        set(col::DELTA_LO, delta & 0xffff);
        set(col::DELTA_HI, delta >> 16);
        range_lookups.extend([delta as u16, (delta >> 16) as u16]);
        set(col::COST, op.cost);
        if op.rollback.reverted() {
            set(col::SAVED_WARM, saved as u64);
        }
        set(col::RESTORE, restore as u64);
        let [frame, reverted] = op.rollback.fields();
        columns[col::FRAME][r] = frame;
        columns[col::REVERTED][r] = reverted;
    }
    Ok(AccountTrace {
        columns,
        range_lookups,
        accounts: accounts.into_values().collect(),
        restores,
    })
}

#[cfg(test)]
mod tests;
