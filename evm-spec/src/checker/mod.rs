//! The replay checker: re-derives every step's effect from the witness alone.
//!
//! [`check_witness`] accepts a witness only if
//! 1. **RW ownership**: the RW entries are tiled, in counter order, by the pre-execution prefix,
//!    the steps and the frames' open/revert/return ranges;
//! 2. **RW consistency**: every read returns the latest earlier write of its target, or the
//!    initial value (zero for memory, transient storage, warm flags and the refund counter; the
//!    first access for storage and account fields, with a slot's tx-start value equal to its
//!    `StorageOriginal`); stack slots and call-context fields must be written before being read;
//! 3. **steps**: each step's pc, gas, stack pointer and memory size follow from the previous step
//!    of its frame (or the frame's start); its stack and memory accesses are exactly those the
//!    opcode table prescribes; its outputs equal the opcode's semantics applied to its inputs
//!    (arithmetic, PUSH/DUP/SWAP, memory loads and stores, copies, KECCAK256, SLOAD/TLOAD, LOG
//!    fields and data, context reads); its gas cost equals static + dynamic gas (memory expansion, warm/cold access, SSTORE
//!    rules, copy and hashing words, EXP bytes, forwarded call/create gas); jumps land on
//!    JUMPDESTs outside push data;
//! 4. **frames**: each child frame's inputs (caller, address, value, calldata, static flag) follow
//!    from its parent's CALL/CREATE step; the result and return data are written back to the
//!    parent's stack and memory; a frame's remaining gas and output follow from its last step.
//!
//! Deliberately not derived (documented gaps, each a place where the AIRs need their own
//! argument): the reason of an exceptional halt (a step marked with an error is accepted as
//! halting, but its frame must then fail and return no gas; only an SLOAD's, SSTORE's or
//! SELFDESTRUCT's shortfall on its dynamic cost is checked, from the reads it records, the
//! last's against the most it could cost, not knowing whether its beneficiary is empty); the amounts of account changes
//! made by the journal (value transfers, nonce bumps, gas purchase and refund: their reads stay
//! consistent, their values are not recomputed); BLOCKHASH, EXTCODESIZE and EXTCODEHASH
//! values; the new-account surcharge of CALL and SELFDESTRUCT and the EIP-7702 delegation
//! access (each accepted among its possible values); precompile results and gas; code deposit
//! on CREATE; refund-counter changes across calls.

mod alu;
mod consistency;
mod final_state;
mod gas;
mod ownership;
mod replay;

pub use alu::eval as eval_pure;
pub use final_state::{final_state, FinalState};

use crate::witness::*;
use std::fmt;

/// Why a witness was rejected, naming the step (or RW entry) at fault.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CheckError {
    /// The offending step, if the error is attributable to one.
    pub step: Option<usize>,
    /// The offending RW entry, if any.
    pub rw: Option<usize>,
    /// What is wrong.
    pub msg: String,
}

impl fmt::Display for CheckError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match (self.step, self.rw) {
            (Some(s), Some(r)) => write!(f, "step {s} (rw {r}): {}", self.msg),
            (Some(s), None) => write!(f, "step {s}: {}", self.msg),
            (None, Some(r)) => write!(f, "rw {r}: {}", self.msg),
            (None, None) => write!(f, "{}", self.msg),
        }
    }
}

impl std::error::Error for CheckError {}

/// What a successful check covered.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct CheckSummary {
    /// Steps checked.
    pub steps: usize,
    /// RW entries checked.
    pub rw: usize,
    /// Frames checked.
    pub frames: usize,
}

pub(crate) fn fail<T>(
    step: Option<usize>,
    rw: Option<usize>,
    msg: impl Into<String>,
) -> Result<T, CheckError> {
    Err(CheckError {
        step,
        rw,
        msg: msg.into(),
    })
}

/// Checks a witness (see the module documentation for what is checked).
pub fn check_witness(w: &Witness) -> Result<CheckSummary, CheckError> {
    if w.version != WITNESS_VERSION {
        return fail(
            None,
            None,
            format!("unsupported witness version {}", w.version),
        );
    }
    let owner = ownership::check_ownership(w)?;
    // Steps first, so that a value tampered with is reported at the step that produced it
    // rather than at a later read of it.
    replay::Replay::new(w)?.run()?;
    consistency::check_rw_consistency(w, &owner)?;
    Ok(CheckSummary {
        steps: w.steps.len(),
        rw: w.rw.len(),
        frames: w.frames.len(),
    })
}

#[cfg(test)]
mod tests;
