//! Turning revm's journal into RW writes, and restoring writes when revm reverts a frame.

use super::Recorder;
use crate::exec::EvmContext;
use crate::witness::{AccountField, RwTarget};
use alloy_primitives::map::HashMap;
use alloy_primitives::U256;
use revm::context::JournalEntry;
use revm::inspector::JournalExt;

/// The RW writes one journal entry produces (at most two: a balance transfer or a destroyed
/// account moves balance between two accounts), in order.
#[derive(Clone, Copy, Debug)]
pub(super) struct EntryWrites<T>([Option<T>; 2]);

impl<T> Default for EntryWrites<T> {
    fn default() -> Self {
        EntryWrites([None, None])
    }
}

impl<T: Copy> EntryWrites<T> {
    fn one(t: T) -> Self {
        EntryWrites([Some(t), None])
    }

    fn two(a: T, b: T) -> Self {
        EntryWrites([Some(a), Some(b)])
    }

    fn push(&mut self, t: T) {
        if let Some(slot) = self.0.iter_mut().find(|s| s.is_none()) {
            *slot = Some(t);
        }
    }

    fn iter(&self) -> impl DoubleEndedIterator<Item = T> + '_ {
        self.0.iter().flatten().copied()
    }
}

/// One processed journal entry and the RW writes it produced, with the values they overwrote.
pub(super) struct Mirrored {
    pub(super) entry: JournalEntry,
    /// Counter of the first RW entry produced for it.
    pub(super) rw_pos: u32,
    pub(super) undo: EntryWrites<(RwTarget, U256)>,
}

/// The value each target holds after the part of a batch walked so far (walking backwards).
/// Batches are a few entries, except the transaction's first (its access list): a linear scan
/// serves the small ones without hashing.
#[derive(Default)]
struct LatestValues {
    small: Vec<(RwTarget, U256)>,
    large: HashMap<RwTarget, U256>,
}

impl LatestValues {
    const SMALL: usize = 16;

    fn get(&self, t: &RwTarget) -> Option<U256> {
        match self.small.iter().find(|(k, _)| k == t) {
            Some((_, v)) => Some(*v),
            None => self.large.get(t).copied(),
        }
    }

    fn set(&mut self, t: RwTarget, v: U256) {
        if let Some(e) = self.small.iter_mut().find(|(k, _)| *k == t) {
            e.1 = v;
        } else if self.small.len() < Self::SMALL {
            self.small.push((t, v));
        } else {
            self.large.insert(t, v);
        }
    }
}

impl Recorder {
    /// Brings the RW log up to date with revm's journal: restores reverted entries (in reverse
    /// order) and converts new entries into writes. Returns the warm-up entries seen in the new
    /// part, so that an access opcode can tell whether its target was cold.
    pub(super) fn sync_journal(&mut self, ctx: &EvmContext<'_>) -> Vec<RwTarget> {
        self.restore_reverted(ctx);
        self.record_new(ctx)
    }

    /// Appends writes restoring the entries revm reverted (mirrored entries no longer in the
    /// journal), newest first.
    pub(super) fn restore_reverted(&mut self, ctx: &EvmContext<'_>) -> Option<u32> {
        let journal = ctx.journaled_state.journal();
        // Fast path: nothing reverted since the last look.
        if self.mirror.len() <= journal.len()
            && self
                .mirror
                .last()
                .is_none_or(|m| journal.get(self.mirror.len() - 1) == Some(&m.entry))
        {
            return None;
        }
        let mut from = None;
        // Each target is restored once, to its value before the earliest undone write.
        let mut restores: Vec<(RwTarget, U256)> = Vec::new();
        let mut index: HashMap<RwTarget, usize> = HashMap::default();
        while let Some(last) = self.mirror.last() {
            let i = self.mirror.len() - 1;
            if journal.get(i) == Some(&last.entry) {
                break;
            }
            if let Some(m) = self.mirror.pop() {
                from = Some(m.rw_pos);
                for (target, prev) in m.undo.iter().rev() {
                    match index.get(&target) {
                        Some(&k) => restores[k].1 = prev,
                        None => {
                            index.insert(target, restores.len());
                            restores.push((target, prev));
                        }
                    }
                }
            }
        }
        for (target, prev) in restores {
            self.push(true, target, prev);
        }
        from
    }

    /// Converts journal entries not yet mirrored into writes; returns the warm-ups among them.
    pub(super) fn record_new(&mut self, ctx: &EvmContext<'_>) -> Vec<RwTarget> {
        let journal = ctx.journaled_state.journal();
        let new = &journal[self.mirror.len().min(journal.len())..];
        if new.is_empty() {
            return Vec::new();
        }
        let state = &ctx.journaled_state.inner.state;
        let transient = &ctx.journaled_state.inner.transient_storage;
        // Values after the batch, walked backwards to get each entry's new value: the value
        // after entry k is the previous value of the next entry on the same target, or the
        // current state after the last one.
        let current = |t: &RwTarget| -> U256 {
            match *t {
                RwTarget::Account { address, field } => {
                    state.get(&address).map_or(U256::ZERO, |a| match field {
                        AccountField::Nonce => U256::from(a.info.nonce),
                        AccountField::Balance => a.info.balance,
                        AccountField::CodeHash => U256::from_be_bytes(a.info.code_hash.0),
                    })
                }
                RwTarget::Storage { address, key } => state
                    .get(&address)
                    .and_then(|a| a.storage.get(&key))
                    .map_or(U256::ZERO, |s| s.present_value),
                RwTarget::Transient { address, key } => transient
                    .get(&address)
                    .and_then(|m| m.get(&key))
                    .copied()
                    .unwrap_or_default(),
                RwTarget::AccessList { .. } => U256::from(1),
                _ => U256::ZERO,
            }
        };
        // For each new entry: list of (target, prev or delta rule).
        #[derive(Clone, Copy)]
        enum Prev {
            Known(U256),
            Plus(U256),
            Minus(U256),
        }
        let mut per_entry: Vec<EntryWrites<(RwTarget, Prev)>> = Vec::with_capacity(new.len());
        let mut warmed = Vec::new();
        for e in new {
            let bal = |address| RwTarget::Account {
                address,
                field: AccountField::Balance,
            };
            let v: EntryWrites<(RwTarget, Prev)> = match e {
                JournalEntry::AccountWarmed { address } => {
                    let t = RwTarget::AccessList {
                        address: *address,
                        key: None,
                    };
                    warmed.push(t);
                    EntryWrites::one((t, Prev::Known(U256::ZERO)))
                }
                JournalEntry::StorageWarmed { key, address } => {
                    let t = RwTarget::AccessList {
                        address: *address,
                        key: Some(*key),
                    };
                    warmed.push(t);
                    EntryWrites::one((t, Prev::Known(U256::ZERO)))
                }
                JournalEntry::BalanceChange {
                    old_balance,
                    address,
                } => EntryWrites::one((bal(*address), Prev::Known(*old_balance))),
                JournalEntry::BalanceTransfer { balance, from, to } => {
                    if from == to {
                        EntryWrites::default()
                    } else {
                        // prev(from) = new + balance; prev(to) = new − balance.
                        EntryWrites::two(
                            (bal(*from), Prev::Plus(*balance)),
                            (bal(*to), Prev::Minus(*balance)),
                        )
                    }
                }
                JournalEntry::NonceChange {
                    address,
                    previous_nonce,
                } => EntryWrites::one((
                    RwTarget::Account {
                        address: *address,
                        field: AccountField::Nonce,
                    },
                    Prev::Known(U256::from(*previous_nonce)),
                )),
                JournalEntry::NonceBump { address } => EntryWrites::one((
                    RwTarget::Account {
                        address: *address,
                        field: AccountField::Nonce,
                    },
                    Prev::Minus(U256::from(1)),
                )),
                JournalEntry::StorageChanged {
                    key,
                    had_value,
                    address,
                } => EntryWrites::one((
                    RwTarget::Storage {
                        address: *address,
                        key: *key,
                    },
                    Prev::Known(*had_value),
                )),
                JournalEntry::TransientStorageChange {
                    key,
                    had_value,
                    address,
                } => EntryWrites::one((
                    RwTarget::Transient {
                        address: *address,
                        key: *key,
                    },
                    Prev::Known(*had_value),
                )),
                JournalEntry::CodeChange {
                    address,
                    had_code_hash,
                    ..
                } => EntryWrites::one((
                    RwTarget::Account {
                        address: *address,
                        field: AccountField::CodeHash,
                    },
                    Prev::Known(U256::from_be_bytes(had_code_hash.0)),
                )),
                JournalEntry::AccountDestroyed {
                    had_balance,
                    address,
                    target,
                    ..
                } => {
                    let mut v = EntryWrites::one((bal(*address), Prev::Known(*had_balance)));
                    if target != address {
                        v.push((bal(*target), Prev::Minus(*had_balance)));
                    }
                    v
                }
                _ => EntryWrites::default(),
            };
            per_entry.push(v);
        }
        // Backward pass: resolve new and previous values.
        let mut next = LatestValues::default();
        let mut resolved: Vec<EntryWrites<(RwTarget, U256, U256)>> =
            vec![EntryWrites::default(); per_entry.len()];
        for (k, items) in per_entry.iter().enumerate().rev() {
            let mut backwards = EntryWrites::default();
            for (t, p) in items.iter().rev() {
                let new_v = next.get(&t).unwrap_or_else(|| current(&t));
                let prev = match p {
                    Prev::Known(v) => v,
                    Prev::Plus(d) => new_v.wrapping_add(d),
                    Prev::Minus(d) => new_v.wrapping_sub(d),
                };
                next.set(t, prev);
                backwards.push((t, new_v, prev));
            }
            for item in backwards.iter().rev() {
                resolved[k].push(item);
            }
        }
        for (e, items) in new.iter().zip(resolved) {
            let rw_pos = self.rw_len();
            let mut undo = EntryWrites::default();
            for (t, new_v, prev) in items.iter() {
                self.push(true, t, new_v);
                undo.push((t, prev));
            }
            self.mirror.push(Mirrored {
                entry: e.clone(),
                rw_pos,
                undo,
            });
        }
        warmed
    }
}
