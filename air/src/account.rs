//! The Account component: every access of another account (BALANCE, EXTCODESIZE,
//! EXTCODEHASH, SELFDESTRUCT's beneficiary, a call's target and, for a target delegated by
//! EIP-7702, its delegate), sorted by (address, counter), with its EIP-2929 warm/cold cost.
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
//! - rollback, as in [`crate::storage`] and by the shared rules of [`crate::rollback`]: at
//!   each failing frame's end a *restore* row for each address accessed under it (by it or
//!   any frame it runs) puts back the warmth the address had when the frame started
//!   (`saved_warm`), so the next access finds it that warm again: a warm-up that survives a
//!   revert, at any depth of failing frames, breaks a constraint or the bus;
//! - `cost = 2500·(1 − warm)`: a cold access pays 2,600 gas, a warm one 100, of which the
//!   opcode table's static cost is 100 (SELFDESTRUCT pays no warm 100: its row scales its
//!   2,600 to this 2,500).
//!
//! The values the steps push (a balance, a code size, a code hash) do not pass through here:
//! the verifier computes each from the state it knows (bus [`crate::cpu::VERIFIER_WORD`]) at the
//! step's counter, replaying the statement's transfers up to it (a failed callee's until its
//! end). A step that cannot pay its cold access still sends it here, and pushes no value.
//!
//! Invariant this relies on: every step that warms an address sends its access here, and
//! nothing but a failing frame's end un-warms one. The steps that warm one are BALANCE, EXTCODESIZE, EXTCODEHASH,
//! EXTCODECOPY and SELFDESTRUCT (the CPU's rows; SELFDESTRUCT pays 2,600 for a cold
//! beneficiary, and sends its cost scaled to this table's 2,500), the four calls and the two
//! creates (the Call component's rows; a create's warms the account it creates and pays
//! nothing for it; a call into a delegated account warms its delegate too, a second access
//! at the same counter, of another address). A failing callee's warmings are undone at its end (restore rows), and a failed
//! transaction's warm set dies with it. A family that touches an address must send on
//! [`ACCOUNT`] too, with its frame's `reverts` register.

use crate::algebra::Algebra;
use crate::bus::{BusId, BusValues, Direction, Interaction, PublicMessage};
use crate::component::{BoundaryValue, Component, Window};
use crate::registry::ComponentId;
use crate::rollback::{self, Rollback, RollbackCells};
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

/// Bus of the addresses' warmth before each row, `(address₀…₄, ctr, prev_ctr, warm)`, which
/// restore rows take ([`crate::rollback`]).
pub const ACCOUNT_SAVE: BusId = 54;

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
    /// The rollback cells ([`crate::rollback::RollbackCells`]).
    pub const ROLLBACK: usize = COST + 1;
    /// A failing frame's end undoes the access; `frame` is that frame's id.
    pub const REVERTED: usize = ROLLBACK + RollbackCells::REVERTED;
    pub const FRAME: usize = ROLLBACK + RollbackCells::FRAME;
    /// A restore row: not an access but the un-warming at a failing frame's end.
    pub const RESTORE: usize = ROLLBACK + RollbackCells::RESTORE;
    /// On a restore row: the warmth the failing frame found, which it puts back.
    pub const SAVED_WARM: usize = ROLLBACK + RollbackCells::WIDTH;
    use crate::rollback::RollbackCells;
}

/// The rollback cells.
const CELLS: RollbackCells = RollbackCells {
    base: col::ROLLBACK,
};

const COLUMN_NAMES: [&str; col::SAVED_WARM + 1] =
    rollback::names_around(&HEAD_NAMES, &["saved_warm"]);

const HEAD_NAMES: [&str; col::ROLLBACK] = [
    "live", "ctr", "addr0", "addr1", "addr2", "addr3", "addr4", "first", "warm", "diff0", "diff1",
    "diff2", "diff3", "diff4", "delta_lo", "delta_hi", "cost",
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
        degrees.extend(RollbackCells::transition_degrees());
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
        let same = ORDER.continues(n);
        o(same * (n[col::WARM] - warm_after));
        CELLS.eval_transition(c, n, col::CTR, same, &mut o);
    }

    fn row_degrees(&self) -> Vec<usize> {
        let mut degrees = vec![2; 3 + ADDRESS_LIMBS];
        degrees.extend([2, 2]);
        degrees.push(2); // a restore row costs nothing
        degrees.extend(RollbackCells::row_degrees());
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
        let restore = r[col::RESTORE];
        let cold = one - r[col::WARM];
        o((live - restore) * (r[col::COST] - cold * V::from_u64(COLD_ACCOUNT_EXTRA)));
        o(restore * r[col::COST]);
        CELLS.eval_row(r, live, r[col::FIRST], &mut o);
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
        ]
        .into_iter()
        .chain(RollbackCells::interactions(ACCOUNT_SAVE, ADDRESS_LIMBS, 1))
        .collect()
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
        CELLS.eval_interactions(
            r,
            r[col::CTR],
            address,
            &[r[col::WARM]],
            &[r[col::SAVED_WARM]],
            &mut out[4..],
        );
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

/// A laid-out table, its range lookups, the accounts it touches (in address order), and the
/// rows each failing frame rolls back or restores (its Call row provides its end to each on
/// [`crate::rollback::ROLLBACK`]).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AccountTrace {
    pub columns: Vec<Vec<Goldilocks>>,
    pub range_lookups: Vec<u16>,
    pub accounts: Vec<AccountState>,
    /// The rows each failing frame rolls back or restores (see [`crate::storage::StorageTrace::rollbacks`]).
    pub rollbacks: BTreeMap<u32, u32>,
}

/// Sorts the accesses, adds a restore row at each failing frame's end (`failing`: its end and
/// the failing frame around it, by frame id) for each address accessed under it, and fills
/// the table. Checks what the constraints will: an address stays warm once accessed (after a
/// restore, as warm as the failing frame found it), and each cost follows from the warmth.
pub fn trace(
    ops: &[AccountOp],
    failing: &rollback::FailingFrames,
) -> Result<AccountTrace, AccountError> {
    let layout = rollback::lay_out(
        ops,
        failing,
        CELLS,
        COLUMN_NAMES.len(),
        |op| (op.address, op.ctr, op.rollback),
        |op, end, outer| AccountOp {
            ctr: end,
            cost: 0,
            rollback: outer,
            ..*op
        },
    )
    .map_err(|e| AccountError(e.to_string()))?;
    let rollback::Layout {
        rows: sorted,
        mut columns,
        mut range_lookups,
        rollbacks,
        saves_from,
    } = layout;
    let mut accounts: BTreeMap<Address, AccountState> = BTreeMap::new();
    // Each row's warmth before it (what a restore row taking it puts back), and the warmth
    // the next access of the current address must find.
    let mut befores: Vec<bool> = Vec::with_capacity(sorted.len());
    let mut warm_next = true;
    for (r, &(mut op, restores)) in sorted.iter().enumerate() {
        let previous = r.checked_sub(1).map(|p| &sorted[p]);
        let continues = previous.is_some_and(|(p, _)| p.address == op.address);
        if restores.is_some() {
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
        if restores.is_none() && op.cost != access_cost(op.warm) {
            return Err(AccountError(format!(
                "the access at {} costs {} extra gas, the rules say {}",
                op.ctr,
                op.cost,
                access_cost(op.warm)
            )));
        }
        befores.push(op.warm);
        // After a restore, the address is as warm as the failing frame found it.
        let saved = saves_from[r].map(|s| befores[s]);
        warm_next = saved.unwrap_or(true);
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
        set(col::SAVED_WARM, saved.unwrap_or(false) as u64);
    }
    Ok(AccountTrace {
        columns,
        range_lookups,
        accounts: accounts.into_values().collect(),
        rollbacks,
    })
}

#[cfg(test)]
pub(crate) mod tests;
