//! RW ownership: the log is tiled, in counter order, by the pre-execution prefix, the steps'
//! ranges and the frames' open/revert/return ranges.

use super::{fail, CheckError};
use crate::witness::Witness;

/// The step owning each RW entry (`None` for pre-execution and frame ranges).
pub(super) fn check_ownership(w: &Witness) -> Result<Vec<Option<u32>>, CheckError> {
    let mut ranges: Vec<(u32, u32, Option<u32>)> = Vec::new();
    for (i, s) in w.steps.iter().enumerate() {
        ranges.push((s.rw_start, s.rw_len, Some(i as u32)));
    }
    for f in &w.frames {
        for r in [f.open_rw, f.revert_rw, f.return_rw] {
            ranges.push((r.start, r.len, None));
        }
    }
    ranges.retain(|r| r.1 > 0);
    ranges.sort_by_key(|r| r.0);
    let pre_end = w
        .frames
        .first()
        .map_or(w.rw.len() as u32, |f| f.open_rw.start);
    let mut pos = pre_end;
    let mut owner = vec![None; w.rw.len()];
    for (start, len, who) in ranges {
        if start != pos {
            return fail(
                who.map(|s| s as usize),
                Some(start as usize),
                format!(
                    "RW ranges are not contiguous: expected an entry range at {pos}, found {start}"
                ),
            );
        }
        let end = start as usize + len as usize;
        if end > w.rw.len() {
            return fail(
                who.map(|s| s as usize),
                Some(start as usize),
                "RW range past the end of the log",
            );
        }
        for o in &mut owner[start as usize..end] {
            *o = who;
        }
        pos = end as u32;
    }
    if pos as usize != w.rw.len() {
        return fail(
            None,
            Some(pos as usize),
            "RW entries owned by no step or frame",
        );
    }
    Ok(owner)
}
