//! Rollback under failing frames: the cells, constraints and trace rows the Storage and
//! Account components share.
//!
//! A failing callee's end undoes its effects and those of every frame it runs, failing or
//! not. Each storage or account access carries [`Rollback`]: the innermost failing frame
//! whose end undoes it (the CPU's `revert_frame` register, with `reverts`), or none. Both
//! tables sort their rows by (key, counter), so a key's rows are one run in execution order,
//! and add *restore* rows of their own: at a failing frame `F`'s end `E` (the counter after
//! its last step and output copy), a row that puts the key back as it was when `F` started.
//!
//! **Failing frames' ends** ([`ROLLBACK`]). `F`'s Call row provides `(F, E, outer)` — `outer`
//! the failing frame around `F` (its caller's `reverts` and `revert_frame`), or none — as many
//! times as rows take it (`rollbacks`, zero for a callee that succeeds). Every row under a
//! failing frame (`reverted`) takes its frame's `(frame, end, outer)`, which gives it the end
//! `end`; a restore row of `F` takes `(F, ctr, reverted, frame)`: it lies at `F`'s end, and
//! its own tag is `F`'s outer frame, since the restore itself is undone when that one fails.
//! (A Call row moving value or creating under `F` takes it too: the verifier undoes the
//! transfer, and a create's nonce bump and account, at `E`, [`crate::call::col::UNDOES`]; and
//! so does a SELFDESTRUCT's CPU row under `F`, whose sweep `E` undoes.)
//!
//! **The run rule.** A row under a failing frame is followed by a row of the same key whose
//! counter is at most its frame's end (`end − ctr′` is range-checked to `[0, 2³²)`). Counters
//! increase strictly along a key's run. Within `F`'s counter range lie only the accesses of
//! `F` and the frames under it, tagged `F` or a failing frame inside `F` (whose ends are
//! earlier), and the restore rows of those frames, tagged `F` or inside it. No access lies at
//! `E` itself (the call's own row writes its success flag there, to the stack), nor does any
//! other frame end there (a frame's caller writes its flag at its end, so the caller ends
//! later). So a run of rows under `F` can only leave `F`'s range through the row at `E`,
//! `F`'s restore row: every key touched under a failing frame is restored at its end, and at
//! the end of every failing frame around it.
//!
//! **What a restore puts back.** Each row knows the counter of its key's previous row
//! (`prev_ctr`, 0 on a key's first row), so the rows' intervals `(prev_ctr, ctr]` cut the
//! counter line, and the one holding `F`'s first counter (its frame id, the call's counter
//! plus one: the call's own access of its target lies before it and survives) is the key's
//! first row in `F`'s range, or `F`'s restore row itself if `F` did not touch the key. That
//! row's *before* state — the key's state when `F` started — is what the restore writes. Each
//! row provides `(key, ctr, prev_ctr, state before)` on its table's SAVE bus (as many times
//! as restores take it, `saves`), and a restore row of `F` takes one whose interval holds `F`
//! (`F − prev − 1` and `ctr − F` range-checked): exactly that row's, whatever the prover
//! chooses. A restore row the prover adds for a key `F` did not touch changes nothing.

use crate::algebra::Algebra;
use crate::bus::{BusId, BusValues, Direction, Interaction};
use std::collections::BTreeMap;
use zkevm_field::Goldilocks;

/// Bus of failing frames' ends, `(frame, end, outer_reverted, outer_frame)`: provided by the
/// failing callee's Call row, taken by every Storage and Account row under the frame, by
/// the restore rows at its end, by every Call row moving value or creating under it (whose
/// transfer, nonce bump and account that end undoes) and by every SELFDESTRUCT's CPU row
/// under it (whose sweep it undoes).
pub const ROLLBACK: BusId = 49;

/// Whether a failing frame's end undoes a step's effects: the innermost such frame's id, or
/// none (the frame and its callers all succeed, or only the transaction's own frame fails,
/// which the verifier rolls back).
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

/// A failing callee as the tables see it: its end (the counter after its last step and its
/// output's copy, where its restore rows lie) and the failing frame around it, if any.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Failing {
    pub end: u32,
    pub outer: Rollback,
}

/// Failing callees by frame id.
pub type FailingFrames = BTreeMap<u32, Failing>;

/// The rollback cells of a sorted table, `WIDTH` consecutive columns from `base`.
#[derive(Debug, Clone, Copy)]
pub struct RollbackCells {
    pub base: usize,
}

impl RollbackCells {
    /// A failing frame's end undoes the row (for a restore row: its frame's outer one's).
    pub const REVERTED: usize = 0;
    /// That frame's id, its end, and the failing frame around it (from [`ROLLBACK`]).
    pub const FRAME: usize = 1;
    pub const END: usize = 2;
    pub const OUTER_REVERTED: usize = 3;
    pub const OUTER_FRAME: usize = 4;
    /// `end − ctr′` as two 16-bit limbs, on reverted rows.
    pub const GAP_LO: usize = 5;
    pub const GAP_HI: usize = 6;
    /// A restore row, and the failing frame it restores the key for (at that frame's end).
    pub const RESTORE: usize = 7;
    pub const RESTORED: usize = 8;
    /// The counter of the key's previous row (0 on its first), and how many restore rows take
    /// this row's state.
    pub const PREV_CTR: usize = 9;
    pub const SAVES: usize = 10;
    /// On restore rows: the counter and previous counter of the row whose state it takes, and
    /// `restored − save_prev − 1`, `save_ctr − restored` as 16-bit limbs.
    pub const SAVE_CTR: usize = 11;
    pub const SAVE_PREV: usize = 12;
    pub const BELOW_LO: usize = 13;
    pub const BELOW_HI: usize = 14;
    pub const ABOVE_LO: usize = 15;
    pub const ABOVE_HI: usize = 16;
    pub const WIDTH: usize = 17;
    pub const NAMES: [&'static str; Self::WIDTH] = [
        "reverted",
        "frame",
        "frame_end",
        "outer_reverted",
        "outer_frame",
        "gap_lo",
        "gap_hi",
        "restore",
        "restored",
        "prev_ctr",
        "saves",
        "save_ctr",
        "save_prev",
        "below_lo",
        "below_hi",
        "above_lo",
        "above_hi",
    ];
    /// Interactions [`Self::eval_interactions`] fills: two on [`ROLLBACK`], two on the SAVE
    /// bus, six range lookups.
    pub const INTERACTIONS: usize = 10;

    pub const fn at(&self, cell: usize) -> usize {
        self.base + cell
    }

    pub fn transition_degrees() -> [usize; 3] {
        [3, 3, 2]
    }

    /// `same`: the next row continues this row's key (a degree-2 expression).
    pub fn eval_transition<V: Algebra>(
        &self,
        c: &[V],
        n: &[V],
        ctr: usize,
        same: V,
        emit: &mut impl FnMut(V),
    ) {
        let reverted = c[self.at(Self::REVERTED)];
        emit(same * (n[self.at(Self::PREV_CTR)] - c[ctr]));
        emit(reverted * (V::one() - same));
        let gap = c[self.at(Self::GAP_LO)] + c[self.at(Self::GAP_HI)] * V::from_u64(1 << 16);
        emit(reverted * (c[self.at(Self::END)] - n[ctr] - gap));
    }

    pub fn row_degrees() -> [usize; 8] {
        [2; 8]
    }

    pub fn eval_row<V: Algebra>(&self, r: &[V], live: V, first: V, emit: &mut impl FnMut(V)) {
        let one = V::one();
        let (reverted, restore) = (r[self.at(Self::REVERTED)], r[self.at(Self::RESTORE)]);
        let restored = r[self.at(Self::RESTORED)];
        let limbs = |lo: usize, hi: usize| r[self.at(lo)] + r[self.at(hi)] * V::from_u64(1 << 16);
        emit(reverted.booleanity());
        emit(restore.booleanity());
        emit(reverted * (one - live));
        emit(restore * (one - live));
        // Only live rows provide states: a padding row's key, counters and state are free,
        // and its SAVE could hand a restore whatever state it claims.
        emit((one - live) * r[self.at(Self::SAVES)]);
        emit(first * r[self.at(Self::PREV_CTR)]);
        let below = restored - r[self.at(Self::SAVE_PREV)] - one;
        emit(restore * (below - limbs(Self::BELOW_LO, Self::BELOW_HI)));
        let above = r[self.at(Self::SAVE_CTR)] - restored;
        emit(restore * (above - limbs(Self::ABOVE_LO, Self::ABOVE_HI)));
    }

    /// The interactions of a table whose key has `key_fields` fields and whose state
    /// `state_fields`, on its SAVE bus `save`.
    pub fn interactions(save: BusId, key_fields: usize, state_fields: usize) -> Vec<Interaction> {
        let save_fields = key_fields + 2 + state_fields;
        let mut shapes = vec![
            Interaction::linear(ROLLBACK, Direction::Consume, 4),
            Interaction::linear(ROLLBACK, Direction::Consume, 4),
            Interaction::linear(save, Direction::Provide, save_fields),
            Interaction::linear(save, Direction::Consume, save_fields),
        ];
        shapes.extend([crate::range::lookup(); 6]);
        shapes
    }

    /// Fills [`Self::INTERACTIONS`] messages: `key` the row's key, `state` the key's state
    /// before the row, `saved` (on a restore row) the state it puts back.
    pub fn eval_interactions<V: Algebra>(
        &self,
        r: &[V],
        ctr: V,
        key: &[V],
        state: &[V],
        saved: &[V],
        out: &mut [BusValues<V>],
    ) {
        let cell = |c: usize| r[self.at(c)];
        let (reverted, restore) = (cell(Self::REVERTED), cell(Self::RESTORE));
        out[0].set(
            reverted,
            &[
                cell(Self::FRAME),
                cell(Self::END),
                cell(Self::OUTER_REVERTED),
                cell(Self::OUTER_FRAME),
            ],
        );
        out[1].set(
            restore,
            &[cell(Self::RESTORED), ctr, reverted, cell(Self::FRAME)],
        );
        out[2].set_parts(
            cell(Self::SAVES),
            &[key, &[ctr, cell(Self::PREV_CTR)], state],
        );
        out[3].set_parts(
            restore,
            &[key, &[cell(Self::SAVE_CTR), cell(Self::SAVE_PREV)], saved],
        );
        for (k, c) in [Self::GAP_LO, Self::GAP_HI].into_iter().enumerate() {
            out[4 + k].set(reverted, &[cell(c)]);
        }
        let bounds = [
            Self::BELOW_LO,
            Self::BELOW_HI,
            Self::ABOVE_LO,
            Self::ABOVE_HI,
        ];
        for (k, c) in bounds.into_iter().enumerate() {
            out[6 + k].set(restore, &[cell(c)]);
        }
    }
}

/// A sorted table's row as the rollback cells see it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct RowTag<K> {
    key: K,
    ctr: u32,
    rollback: Rollback,
    /// On a restore row: the failing frame it restores the key for.
    restores: Option<u32>,
}

/// The restore rows a table adds: for each access under a failing frame, one per key at the
/// end of that frame and of every failing frame around it (once per key and frame), tagged
/// with the frame's outer one. Made by `restore(op, end, outer)` from the first such access;
/// returned with the frame each restores. `Err(i)`: access `i` lies under a failing frame
/// without an end.
fn restore_rows<Op, K: Ord>(
    ops: &[Op],
    failing: &FailingFrames,
    rollback_of: impl Fn(&Op) -> Rollback,
    key_of: impl Fn(&Op) -> K,
    restore: impl Fn(&Op, u32, Rollback) -> Op,
) -> Result<Vec<(Op, u32)>, usize> {
    let mut rows = BTreeMap::new();
    for (i, op) in ops.iter().enumerate() {
        let mut tag = rollback_of(op);
        while let Some(frame) = tag.0 {
            let f = failing.get(&frame).ok_or(i)?;
            rows.entry((key_of(op), frame))
                .or_insert_with(|| (restore(op, f.end, f.outer), frame));
            tag = f.outer;
        }
    }
    Ok(rows.into_values().collect())
}

/// A sorted table laid out with its restore rows: the rows in (key, counter) order, each an
/// access or a restore row (the failing frame it restores for), the table's columns with the
/// rollback cells filled, their range lookups, how many [`ROLLBACK`] messages each failing
/// frame provides, and for each restore row the row whose state before it the restore puts
/// back.
pub struct Layout<Op> {
    pub rows: Vec<(Op, Option<u32>)>,
    pub columns: Vec<Vec<Goldilocks>>,
    pub range_lookups: Vec<u16>,
    pub rollbacks: BTreeMap<u32, u32>,
    pub saves_from: Vec<Option<usize>>,
}

/// Lays out a sorted table of `width` columns with rollback cells `cells`: the accesses
/// `ops` (`row_of` gives each one's key, counter and rollback) and the restore rows
/// ([`restore_rows`]: `restore(op, end, outer)` makes one from an access), sorted by key,
/// then counter.
pub fn lay_out<Op: Copy, K: Ord + Copy>(
    ops: &[Op],
    failing: &FailingFrames,
    cells: RollbackCells,
    width: usize,
    row_of: impl Fn(&Op) -> (K, u32, Rollback),
    restore: impl Fn(&Op, u32, Rollback) -> Op,
) -> Result<Layout<Op>, RollbackError> {
    let key_of = |op: &Op| row_of(op).0;
    let restores = restore_rows(ops, failing, |op| row_of(op).2, key_of, restore)
        .map_err(|i| RollbackError::NoEnd(row_of(&ops[i]).1))?;
    let mut rows: Vec<(Op, Option<u32>)> = ops.iter().map(|&op| (op, None)).collect();
    rows.extend(restores.into_iter().map(|(op, frame)| (op, Some(frame))));
    rows.sort_by_key(|(op, _)| {
        let (key, ctr, _) = row_of(op);
        (key, ctr)
    });
    let mut columns = vec![vec![Goldilocks::ZERO; crate::component::padded_len(rows.len())]; width];
    let mut range_lookups = Vec::with_capacity(2 * rows.len());
    let tags: Vec<RowTag<K>> = (rows.iter())
        .map(|&(op, restores)| {
            let (key, ctr, rollback) = row_of(&op);
            RowTag {
                key,
                ctr,
                rollback,
                restores,
            }
        })
        .collect();
    let mut rollbacks = BTreeMap::new();
    let saves_from = fill(
        cells,
        &mut columns,
        &tags,
        failing,
        &mut range_lookups,
        &mut rollbacks,
    )?;
    Ok(Layout {
        rows,
        columns,
        range_lookups,
        rollbacks,
        saves_from,
    })
}

/// Why sorted rows break the rollback rules.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum RollbackError {
    /// The row at this counter lies under a failing frame without an end.
    NoEnd(u32),
    /// The row at this counter, under a failing frame, is not followed by a row of its key
    /// before that frame's end.
    NotRolledBack(u32),
}

impl std::fmt::Display for RollbackError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            RollbackError::NoEnd(ctr) => {
                write!(f, "the access at {ctr} in a failing frame without an end")
            }
            RollbackError::NotRolledBack(ctr) => {
                write!(
                    f,
                    "the access at {ctr} under a failing frame is not rolled back"
                )
            }
        }
    }
}

/// The rollback cells of rows sorted by (key, counter), their range lookups, and how many
/// [`ROLLBACK`] messages each failing frame provides. Returns, for each restore row, the row
/// whose state before it the restore puts back (the key's first row at or after the restored
/// frame's first counter, its id).
fn fill<K: PartialEq>(
    cells: RollbackCells,
    columns: &mut [Vec<Goldilocks>],
    rows: &[RowTag<K>],
    failing: &FailingFrames,
    range_lookups: &mut Vec<u16>,
    rollbacks: &mut BTreeMap<u32, u32>,
) -> Result<Vec<Option<usize>>, RollbackError> {
    let mut saves_from = vec![None; rows.len()];
    let at = |c: usize| cells.at(c);
    let limbs = |lo: usize, r: usize, v: u32, lookups: &mut Vec<u16>| {
        lookups.extend([v as u16, (v >> 16) as u16]);
        [(lo, v & 0xffff), (lo + 1, v >> 16)].map(|(c, x)| (c, r, Goldilocks::new(x as u64)))
    };
    let g = |v: u32| Goldilocks::new(v as u64);
    let mut run_start = 0;
    for (r, row) in rows.iter().enumerate() {
        let same_key = r > 0 && rows[r - 1].key == row.key;
        match same_key {
            true => columns[at(RollbackCells::PREV_CTR)][r] = g(rows[r - 1].ctr),
            false => run_start = r,
        }
        if let Some(frame) = row.rollback.0 {
            let f = failing.get(&frame).ok_or(RollbackError::NoEnd(row.ctr))?;
            let next = rows
                .get(r + 1)
                .filter(|n| n.key == row.key && n.ctr <= f.end);
            let next = next.ok_or(RollbackError::NotRolledBack(row.ctr))?;
            let [outer_frame, outer_reverted] = f.outer.fields();
            columns[at(RollbackCells::REVERTED)][r] = Goldilocks::ONE;
            columns[at(RollbackCells::FRAME)][r] = g(frame);
            columns[at(RollbackCells::END)][r] = g(f.end);
            columns[at(RollbackCells::OUTER_REVERTED)][r] = outer_reverted;
            columns[at(RollbackCells::OUTER_FRAME)][r] = outer_frame;
            for (c, r, v) in limbs(RollbackCells::GAP_LO, r, f.end - next.ctr, range_lookups) {
                columns[at(c)][r] = v;
            }
            *rollbacks.entry(frame).or_insert(0) += 1;
        }
        if let Some(frame) = row.restores {
            // The key's rows from its first cut the counters into intervals (previous
            // counter, counter]: the one holding the frame's first counter.
            let s = (run_start..=r)
                .find(|&s| rows[s].ctr >= frame)
                .ok_or(RollbackError::NoEnd(row.ctr))?;
            let save_prev = match s > run_start {
                true => rows[s - 1].ctr,
                false => 0,
            };
            columns[at(RollbackCells::RESTORE)][r] = Goldilocks::ONE;
            columns[at(RollbackCells::RESTORED)][r] = g(frame);
            columns[at(RollbackCells::SAVE_CTR)][r] = g(rows[s].ctr);
            columns[at(RollbackCells::SAVE_PREV)][r] = g(save_prev);
            let below = limbs(
                RollbackCells::BELOW_LO,
                r,
                frame - save_prev - 1,
                range_lookups,
            );
            let above = limbs(
                RollbackCells::ABOVE_LO,
                r,
                rows[s].ctr - frame,
                range_lookups,
            );
            for (c, r, v) in below.into_iter().chain(above) {
                columns[at(c)][r] = v;
            }
            columns[at(RollbackCells::SAVES)][s] += Goldilocks::ONE;
            *rollbacks.entry(frame).or_insert(0) += 1;
            saves_from[r] = Some(s);
        }
    }
    Ok(saves_from)
}

/// Column names of a table whose rollback cells sit between `head` and `tail`.
pub const fn names_around<const N: usize>(
    head: &[&'static str],
    tail: &[&'static str],
) -> [&'static str; N] {
    let mut out = [""; N];
    let mut i = 0;
    while i < N {
        let (h, w) = (head.len(), RollbackCells::WIDTH);
        out[i] = match i {
            _ if i < h => head[i],
            _ if i < h + w => RollbackCells::NAMES[i - h],
            _ => tail[i - h - w],
        };
        i += 1;
    }
    out
}

/// Whether a rollback cell of a live row is free (tests that tamper with every cell skip
/// these): the frame's end, its outer frame and the gap on rows no failing frame undoes,
/// the restore's cells on rows that restore nothing. Nothing reads them there.
#[cfg(test)]
pub(crate) fn is_free(
    cells: RollbackCells,
    columns: &[Vec<Goldilocks>],
    row: usize,
    column: usize,
) -> bool {
    let Some(cell) = column.checked_sub(cells.base) else {
        return false;
    };
    let off = |c: usize| columns[cells.at(c)][row] == Goldilocks::ZERO;
    match cell {
        RollbackCells::END..=RollbackCells::GAP_HI => off(RollbackCells::REVERTED),
        RollbackCells::RESTORED | RollbackCells::SAVE_CTR..=RollbackCells::ABOVE_HI => {
            off(RollbackCells::RESTORE)
        }
        _ => false,
    }
}
