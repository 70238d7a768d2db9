//! RW consistency: every read returns the latest earlier write (or the initial value), and a
//! reverted frame's restoring writes return the state to where the frame found it.

use super::{fail, CheckError};
use crate::witness::{RwTarget, Witness};
use alloy_primitives::{Address, U256};
use std::collections::HashMap;

/// Whether a target is world state (restored when a frame reverts).
fn is_state(t: &RwTarget) -> bool {
    matches!(
        t,
        RwTarget::Storage { .. }
            | RwTarget::Transient { .. }
            | RwTarget::Account { .. }
            | RwTarget::AccessList { .. }
    )
}

pub(super) fn check_rw_consistency(w: &Witness, owner: &[Option<u32>]) -> Result<(), CheckError> {
    let mut last: HashMap<RwTarget, U256> = HashMap::new();
    let mut initial: HashMap<(Address, U256), U256> = HashMap::new();
    // Writes of state targets in counter order, to know a target's value at a frame's start.
    let mut history: HashMap<RwTarget, Vec<(usize, U256)>> = HashMap::new();
    // Frames whose revert range ends at a given counter.
    let mut revert_end: HashMap<usize, usize> = HashMap::new();
    for (id, f) in w.frames.iter().enumerate() {
        if f.revert_rw.len > 0 {
            revert_end.insert((f.revert_rw.start + f.revert_rw.len - 1) as usize, id);
        }
    }
    for (i, rw) in w.rw.iter().enumerate() {
        let step = owner[i].map(|s| s as usize);
        let err = |msg: String| fail(step, Some(i), msg);
        if rw.write {
            if let RwTarget::StorageOriginal { .. } = rw.target {
                return err("StorageOriginal is read-only".into());
            }
            last.insert(rw.target, rw.value);
            if is_state(&rw.target) {
                history.entry(rw.target).or_default().push((i, rw.value));
            }
        } else {
            let expected = match rw.target {
                RwTarget::StorageOriginal { address, key } => {
                    *initial.entry((address, key)).or_insert(rw.value)
                }
                t => match last.get(&t) {
                    Some(v) => *v,
                    None => match t {
                        RwTarget::Storage { address, key } => {
                            *initial.entry((address, key)).or_insert(rw.value)
                        }
                        RwTarget::Stack { .. }
                        | RwTarget::CallContext { .. }
                        | RwTarget::Log { .. } => {
                            return err(format!("read of {t:?} before any write"));
                        }
                        RwTarget::Account { .. } => {
                            last.insert(t, rw.value);
                            history.entry(t).or_default().push((i, rw.value));
                            rw.value
                        }
                        _ => U256::ZERO,
                    },
                },
            };
            if rw.value != expected {
                return err(format!(
                    "read of {:?} returned {:#x}, but the latest write is {:#x}",
                    rw.target, rw.value, expected
                ));
            }
        }
        if let Some(&fid) = revert_end.get(&i) {
            check_revert(w, fid, &history, &initial)?;
        }
    }
    Ok(())
}

/// A reverted frame's restoring writes must return every state target written since the frame
/// opened to its value at that point, and touch nothing else.
fn check_revert(
    w: &Witness,
    fid: usize,
    history: &HashMap<RwTarget, Vec<(usize, U256)>>,
    initial: &HashMap<(Address, U256), U256>,
) -> Result<(), CheckError> {
    let f = &w.frames[fid];
    let (open, revert) = (f.revert_from as usize, f.revert_rw.start as usize);
    // The revert point is the frame's checkpoint: inside its opening, or later if nothing the
    // frame wrote to the state after opening precedes it.
    let open_end = (f.open_rw.start + f.open_rw.len) as usize;
    if open < f.open_rw.start as usize || open > revert {
        return fail(
            None,
            Some(revert),
            format!("frame {fid}: revert point {open} outside the frame"),
        );
    }
    let end = revert + f.revert_rw.len as usize;
    let err = |msg: String| fail(None, Some(revert), format!("frame {fid} revert: {msg}"));
    let value_before = |t: &RwTarget, at: usize| -> Option<U256> {
        let h = history.get(t)?;
        let k = h.partition_point(|(c, _)| *c < at);
        if k > 0 {
            return Some(h[k - 1].1);
        }
        match t {
            RwTarget::Storage { address, key } => initial.get(&(*address, *key)).copied(),
            RwTarget::Transient { .. } | RwTarget::AccessList { .. } => Some(U256::ZERO),
            _ => None,
        }
    };
    // Writes between the opening and a later revert point must have been undone already
    // (a reverted child), or the revert point would skip them.
    if open > open_end {
        let skipped: std::collections::HashSet<RwTarget> = w.rw[open_end..open]
            .iter()
            .filter(|r| r.write && is_state(&r.target))
            .map(|r| r.target)
            .collect();
        for t in &skipped {
            if value_before(t, open) != value_before(t, open_end) {
                return err(format!("revert point {open} skips a state change of {t:?}"));
            }
        }
    }
    let touched: std::collections::HashSet<RwTarget> = w.rw[open..revert]
        .iter()
        .filter(|r| r.write && is_state(&r.target))
        .map(|r| r.target)
        .collect();
    for r in &w.rw[revert..end] {
        if !r.write || !is_state(&r.target) || !touched.contains(&r.target) {
            return err(format!(
                "{:?} is not a state write made by the frame",
                r.target
            ));
        }
    }
    for t in &touched {
        if let (Some(now), Some(then)) = (value_before(t, end), value_before(t, open)) {
            if now != then {
                return err(format!(
                    "{t:?} left at {now:#x}, was {then:#x} when the frame opened"
                ));
            }
        }
    }
    Ok(())
}
