//! Rollback under a failing frame: what the Storage and Account components share.
//!
//! A failing callee's end undoes its effects and those of every frame it runs (a frame under
//! a failing one succeeds: nested failures are not proven yet). Each storage or account
//! access carries [`Rollback`], the failing frame whose end undoes it, from the CPU's
//! `reverts` and `revert_frame` registers; each table follows the accesses of a key under one
//! failing frame (one block of the key's run, since nothing else enters that frame's counter
//! range) by a *restore* row at the frame's end, which consumes `(frame, ctr_end)` on bus
//! [`ROLLBACK`] from the failing frame's Call row and puts the key back as the block found it.

use crate::bus::BusId;
use std::collections::BTreeMap;
use zkevm_field::Goldilocks;

/// Bus of failed callees' ends, `(ctx, ctr_end)`: provided by the callee's Call row once for
/// each slot and each address accessed under it, consumed by the Storage and Account
/// restore rows rolling them back.
pub const ROLLBACK: BusId = 49;

/// Whether a failing frame's end undoes a step's effects: that frame's id, or none (the
/// frame and its callers all succeed, or only the transaction's own frame fails, which the
/// verifier rolls back).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Rollback(pub Option<u32>);

impl Rollback {
    /// `(frame, reverted)` as the bus messages carry them: `(0, 0)` when nothing undoes it.
    pub fn fields(self) -> [Goldilocks; 2] {
        match self.0 {
            Some(frame) => [Goldilocks::new(frame as u64), Goldilocks::ONE],
            None => [Goldilocks::ZERO; 2],
        }
    }

    pub fn reverted(self) -> bool {
        self.0.is_some()
    }
}

/// A table's restore rows: one per key (`key_of`) and failing frame among `ops`, made by
/// `restore(op, end)` from the first such access, `end` the frame's end in `frame_ends`
/// (frame id → the counter after its last step); and how many each frame has (the
/// multiplicity its Call row provides its end with). `Err(i)`: access `i` lies under a
/// failing frame without an end.
pub fn restore_rows<Op, K: Ord>(
    ops: &[Op],
    frame_ends: &BTreeMap<u32, u32>,
    rollback_of: impl Fn(&Op) -> Rollback,
    key_of: impl Fn(&Op) -> K,
    restore: impl Fn(&Op, u32) -> Op,
) -> Result<(Vec<Op>, BTreeMap<u32, u32>), usize> {
    let mut restores: BTreeMap<u32, u32> = BTreeMap::new();
    let mut rows = BTreeMap::new();
    for (i, op) in ops.iter().enumerate() {
        let Some(frame) = rollback_of(op).0 else {
            continue;
        };
        let &end = frame_ends.get(&frame).ok_or(i)?;
        rows.entry((key_of(op), frame)).or_insert_with(|| {
            *restores.entry(frame).or_insert(0) += 1;
            restore(op, end)
        });
    }
    Ok((rows.into_values().collect(), restores))
}

/// A failing frame's run of a key broken off before its restore row.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct BrokenRun;

/// Whether a sorted table's row goes on with a failing frame's run of its key: the previous
/// row (its [`Rollback`] and whether it is a restore row) is an access under a failing frame
/// that no restore has closed yet. [`BrokenRun`] when the run breaks off there instead,
/// before its restore row (the row has another key, `same_key` false, or another rollback):
/// the constraints allow neither, since a restore row puts back what the run's first access
/// found.
pub fn run_goes_on(
    previous: Option<(Rollback, bool)>,
    same_key: bool,
    rollback: Rollback,
) -> Result<bool, BrokenRun> {
    let goes_on = previous.is_some_and(|(p, p_restore)| p.reverted() && !p_restore);
    let broken = goes_on && (!same_key || previous.is_some_and(|(p, _)| p != rollback));
    match broken {
        true => Err(BrokenRun),
        false => Ok(goes_on),
    }
}
