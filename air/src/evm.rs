//! One EVM execution as a block of components, and the statement a verifier holds about it.
//!
//! [`build`] turns a witness into the traces of the CPU, Bytecode, RW, Storage, Account, Memory,
//! Arithmetic, Bitwise, AND, MulDiv, Modular, SignExtend, Exp, Output, Copy, Log, Sponge,
//! Keccak and Range16 components (the optional ones when the frame uses them) and the
//! [`Statement`];
//! [`Statement::public_messages`] is everything the verifier itself puts on the bus: the code
//! hashes and lengths, the opcode table (with the step counts the statement claims), where the frame starts
//! and stops, the storage pre- and post-state, the accessed accounts' warmth and the values
//! read from them, context values, calldata words, the output
//! bytes, the logs and the Keccak round table (once per permutation the statement claims).
//!
//! What the statement pins today: the executed code (by its Keccak-256 hash and length: the
//! Bytecode component's bytes go through the sponge), the frame's gas at its first step and the
//! gas left after its final STOP, RETURN or REVERT (or its halt), every storage slot the frame
//! touches (before and after), the accounts it reads (warmth before execution, balances, code
//! sizes and hashes), the output it returns, the logs it emits, and (through the bus)
//! every step in between, with the frames it calls: CALL, CALLCODE, DELEGATECALL and
//! STATICCALL, nested, passing memory and moving value, CREATE and CREATE2 (the statement
//! lists each creation, whose address the verifier derives, and the code its init code
//! RETURNs, deployed or refused), and SELFDESTRUCT (the transfers listed for the state check
//! to replay; EIP-6780: the account stays, unless the transaction created it), whose callees
//! succeed, or fail (REVERT, a halt or a failed deposit), their storage and transient-storage
//! accesses and account warm-ups rolled back with those of the frames under them (the
//! [`crate::call::Call`] component, and the Storage and Account components' restore rows;
//! the statement gives each target's code, or none, and apart from them each EXTCODECOPY
//! address's own code, `ext_codes`). It does not yet pin the transaction
//! envelope (fee payment, nonce, refunds) or account state beyond those reads and
//! transfers: calls past the depth limit, calls into code a create under a failing frame
//! deployed and the other cases
//! named by reason are reported as unsupported by
//! [`build`].

use crate::account::{self, AccountError, AccountState};
use crate::alu::{self, Table};
use crate::bus::PublicMessage;
use crate::bytecode::{self, code_id, CodeHash};
use crate::call::{self, CallOp};
use crate::component::ComponentTrace;
use crate::copy;
use crate::cpu::{self, CpuError};
use crate::log::{self, LogEntry};
use crate::memory;
use crate::output;
use crate::range;
use crate::registry::ComponentId;
use crate::rw;
use crate::storage::{self, address_limbs, SlotState, StorageError};
use crate::{arithmetic, bitwise, exp, keccak, modular, muldiv, signextend, sponge};
use serde::{Deserialize, Serialize};
use std::fmt;
use zkevm_evm_spec::witness::{FrameKind, Witness, Word};
use zkevm_field::Goldilocks;

/// Format version of [`Statement::to_bytes`].
pub const STATEMENT_VERSION: u16 = 25;

/// SELFBALANCE, whose account read keys its frame's account.
pub const SELFBALANCE: u8 = 0x47;

/// What is proven about one frame's execution.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Statement {
    pub version: u16,
    /// The hash and length of every code of the witness, id [`code_id`]`(position)` on the
    /// bus: the transaction's own frame runs `codes[code_position]`, always the first; call
    /// targets run the codes
    /// `call_codes` gives them (or none: [`NO_CODE`]), and EXTCODECOPY copies those
    /// `ext_codes` gives.
    pub codes: Vec<CodeHash>,
    pub code_position: u32,
    /// The transaction's frame id: 0 (callees' are their calls' counters plus one).
    pub ctx: u32,
    /// The frame's storage address.
    pub address: [u8; 20],
    /// Gas at the first step.
    pub gas: u64,
    /// Gas left after the final STOP, RETURN or REVERT (0 after a halt).
    pub gas_left: u64,
    /// The RW counter after the frame's last step (its first step's is 0): a hint the stop
    /// message carries, which a caller would number its next access by; nothing follows the
    /// transaction's own frame, so any value the CPU agrees with serves.
    pub ctr_end: u64,
    /// The step that ended the frame exceptionally (a stack underflow or overflow, out of gas
    /// on its static cost or on memory far out, or an invalid opcode); the frame then failed (its effects reverted) and consumed all its
    /// gas.
    pub halt: Option<cpu::Halt>,
    /// Steps per opcode, for the opcode table's multiplicities (only soundness-neutral hints:
    /// wrong counts leave the bus unbalanced).
    pub opcode_counts: Vec<(u8, u64)>,
    /// Every storage slot the frame touches: its value before and after its steps, and
    /// whether the transaction's access list made it warm. The verifier checks these against
    /// the state it knows (`pre` and `prewarm` against the pre-state and the transaction,
    /// `post` against the post-state). A failed frame (halted or reverted) still claims what
    /// its steps wrote, and the verifier rolls it back: the state it commits is `pre`.
    pub storage: Vec<SlotState>,
    /// The value of every context opcode the transaction's own frame executes (ADDRESS,
    /// CALLER, CALLVALUE, CALLDATASIZE, CODESIZE, ORIGIN, GASPRICE and the block fields;
    /// SELFBALANCE is an account read) and of the transaction-wide ones callees execute, checked by the verifier
    /// against the transaction and block it knows. (A callee's ADDRESS, CALLER, CALLVALUE,
    /// CALLDATASIZE and CODESIZE are its Call row's, not here; but CALLER and CALLVALUE are here when a
    /// DELEGATECALL from the transaction's frame forwards them to its callee, which reads the
    /// transaction's frame's.)
    pub context: Vec<(u8, Word)>,
    /// How often callees ran each context opcode, `(opcode, count)`, at most its opcode count:
    /// transaction-wide ones ([`cpu::is_transaction_wide`], each with a value in `context`),
    /// whose callee uses the verifier serves under the callee key ([`cpu::CALLEE_CONTEXT`]),
    /// and [`call::FRAME_CONTEXT_OPCODES`], whose callee uses the callees' Call rows serve;
    /// the verifier serves the rest under the opcode (the transaction's own frame's uses, and
    /// its DELEGATECALL rows' forwarded CALLER and CALLVALUE uses).
    pub callee_context: Vec<(u8, u64)>,
    /// The frame's calldata, and the offsets CALLDATALOAD read with their counts: the verifier
    /// computes each loaded word itself.
    pub calldata: Vec<u8>,
    pub calldata_reads: Vec<(Word, u64)>,
    /// The transaction's blob hashes (EIP-4844), and the indices BLOBHASH read with their
    /// counts: the verifier computes each hash (0 past the end) itself.
    pub blob_hashes: Vec<Word>,
    pub blob_hash_reads: Vec<(Word, u64)>,
    /// The bytes the transaction's frame's final RETURN or REVERT handed back (empty after
    /// STOP or a halt).
    pub output: Vec<u8>,
    /// The frame ended with REVERT: it failed, kept its gas left, and its writes are undone.
    pub reverted: bool,
    /// Every source byte CALLDATACOPY (0x37, from `calldata`) copied and every byte CODECOPY
    /// (0x39; EXTCODECOPY's too) copied from past the end of its code, `(opcode, code
    /// position, index, count)` (code position 0 for calldata, [`NO_CODE`] for an
    /// EXTCODECOPY of an account without code): the verifier computes each byte (the codes'
    /// own bytes come from the Bytecode component).
    pub copy_reads: Vec<(u8, u32, u64, u64)>,
    /// Every log the frames' LOG steps emitted, in execution order (their RW counters
    /// increase), each with its emitting account and whether a failing frame's end undoes it
    /// (a failed callee's, or one it called). Failed frames still claim their logs, and the
    /// verifier drops them: those flagged, or all if the transaction's frame failed.
    pub logs: Vec<LogEntry>,
    /// The refund counter the frame's SSTOREs leave (EIP-3529, before the transaction caps
    /// it at a fifth of its gas; a failed frame's is dropped by the verifier).
    pub refund: u64,
    /// Keccak-f permutations the frame's KECCAK256 steps run (a hint: the verifier provides
    /// the round table this many times, and a wrong count leaves the bus unbalanced).
    pub keccak_permutations: u64,
    /// Every account BALANCE, EXTCODESIZE or EXTCODEHASH accessed, and whether the
    /// transaction made it warm before execution; the verifier checks the warmth against the
    /// transaction (sender, recipient or created account, coinbase, precompiles, access list).
    pub accounts: Vec<AccountState>,
    /// What those steps and every SELFBALANCE read, `(opcode, key, value, ctr)`, one entry per
    /// step, in execution order: the verifier checks each value against the state it knows
    /// for the address `key mod 2¹⁶⁰` (the operand; SELFBALANCE's frame's account) at the
    /// step's counter `ctr` (the statement's transfers replayed up to it).
    pub account_reads: Vec<(u8, Word, Word, u64)>,
    /// The code each call target runs, `(address, code position, lookups)`: the verifier
    /// checks that the pre-state gives the address that code, or, for position [`NO_CODE`],
    /// none (for a target [`Statement::delegations`] names, its delegate's pre-state code); for an address a creation deployed code at, that code, which the address holds
    /// from the creation's end (the CODE_OF message's `since`), or none, which it holds
    /// before (`before`).
    pub call_codes: Vec<([u8; 20], u32, u64)>,
    /// The call targets delegated by EIP-7702, `(target, delegate)`, in order of target: the
    /// code `call_codes` gives such a target is its delegate's, which the verifier checks,
    /// and that its pre-state code is a designator naming the delegate.
    pub delegations: Vec<([u8; 20], [u8; 20])>,
    /// The code each EXTCODECOPY address holds, `(address, code position, lookups)`, one
    /// entry per address, in order: the verifier checks that the pre-state gives the address
    /// that code (its own, even where a call runs something else: a precompile's account's,
    /// an EIP-7702 designator), or, for position [`NO_CODE`], none. (An address a creation
    /// deploys code at is not proven yet.)
    pub ext_codes: Vec<([u8; 20], u32, u64)>,
    /// Every call moving value and every SELFDESTRUCT, in execution order: the verifier's
    /// state check replays them against the state it knows (each caller's balance covers its
    /// value, a SELFDESTRUCT's is the whole balance, a short call's does not cover it, `fresh`
    /// is the target's emptiness; see [`call::TransferKind`]), and serves the account reads
    /// from the balances they leave (a transfer not kept only until its `end`: its failed
    /// callee's, or that of the failing frame it ran under).
    pub transfers: Vec<call::Transfer>,
    /// Every CREATE and CREATE2, in execution order: the verifier derives each address
    /// ([`call::Creation`]) and replays the nonces and new accounts they make.
    pub creations: Vec<call::Creation>,
    /// How each failed callee halted (its storage writes and account warm-ups, and its
    /// callees', are rolled back by the Storage and Account components; its logs dropped).
    pub sub_halts: Vec<cpu::Halt>,
}

fn hex_address(address: &[u8; 20]) -> String {
    address.iter().map(|b| format!("{b:02x}")).collect()
}

pub use crate::bytecode::NO_CODE;

/// The statement's `delegations`: each delegated call target's delegate.
fn delegations(calls: &[CallOp]) -> Vec<([u8; 20], [u8; 20])> {
    let delegated = (calls.iter().filter(|op| op.looks_up_code())).filter_map(|op| {
        let (delegate, _) = op.delegate?;
        let target = storage::address_of_word(&op.target);
        Some((target, storage::address_bytes(&delegate)))
    });
    let unique: std::collections::BTreeMap<_, _> = delegated.collect();
    unique.into_iter().collect()
}

/// The statement's `call_codes`: each call target's code and how often it is looked up.
fn call_codes(calls: &[CallOp]) -> Vec<([u8; 20], u32, u64)> {
    let mut codes = std::collections::BTreeMap::new();
    for op in calls.iter().filter(|op| op.looks_up_code()) {
        let position = match op.code_id {
            0 => NO_CODE,
            id => bytecode::position_of(id),
        };
        *codes
            .entry((storage::address_of_word(&op.target), position))
            .or_insert(0) += 1;
    }
    codes
        .into_iter()
        .map(|((address, position), count)| (address, position, count))
        .collect()
}

/// The 32 bytes of `data` from `offset`, zero past the end, as a word.
pub fn calldata_word(data: &[u8], offset: &Word) -> Word {
    let mut bytes = [0u8; 32];
    if let Ok(start) = usize::try_from(*offset) {
        for (i, b) in bytes.iter_mut().enumerate() {
            *b = start
                .checked_add(i)
                .and_then(|at| data.get(at))
                .copied()
                .unwrap_or(0);
        }
    }
    Word::from_be_bytes(bytes)
}

fn word_fields(word: &Word) -> impl Iterator<Item = Goldilocks> {
    rw::limbs(word)
        .into_iter()
        .map(|l| Goldilocks::new(l as u64))
}

/// Why bytes are not a statement.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StatementError(pub String);

impl fmt::Display for StatementError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "malformed statement: {}", self.0)
    }
}

impl std::error::Error for StatementError {}

impl Statement {
    /// Canonical bytes (postcard), as carried in block proofs.
    pub fn to_bytes(&self) -> Vec<u8> {
        postcard::to_allocvec(self).expect("a statement always serializes")
    }

    /// Parses [`Statement::to_bytes`]; an error for other versions, trailing bytes, a code
    /// position outside the code list, or gas figures the CPU cannot bound.
    pub fn from_bytes(bytes: &[u8]) -> Result<Self, StatementError> {
        let (statement, rest): (Statement, _) =
            postcard::take_from_bytes(bytes).map_err(|e| StatementError(e.to_string()))?;
        if !rest.is_empty() {
            return Err(StatementError(format!("{} trailing bytes", rest.len())));
        }
        if statement.version != STATEMENT_VERSION {
            return Err(StatementError(format!(
                "version {}, this build reads {STATEMENT_VERSION}",
                statement.version
            )));
        }
        // The transaction's own code is the first (id 1, which its frame's start names).
        if statement.code_position != 0 || statement.codes.is_empty() {
            return Err(StatementError(
                "the transaction's code is not the statement's first".into(),
            ));
        }
        // One entry per target: one code each, which the verifier checks against the
        // pre-state; or, for an address a creation deploys code at, that code from the
        // creation's end and none before it (NO_CODE sorts last).
        let ordered = |(a, p): (&[u8; 20], u32), (b, q): (&[u8; 20], u32)| {
            a < b || (a == b && p < q && q == NO_CODE && statement.deployment_at(a).is_some())
        };
        if !(statement.call_codes.windows(2)).all(|w| ordered((&w[0].0, w[0].1), (&w[1].0, w[1].1)))
        {
            return Err(StatementError(
                "call targets listed twice (other than a deployed address's code and its no code before) or out of order".into(),
            ));
        }
        // (A code position outside the list would serve nothing.)
        let outside = |codes: &[([u8; 20], u32, u64)]| {
            (codes.iter())
                .find(|(_, p, _)| *p != NO_CODE && *p as usize >= statement.codes.len())
                .map(|(address, position, _)| (hex_address(address), *position))
        };
        if let Some((address, position)) = outside(&statement.call_codes) {
            return Err(StatementError(format!(
                "call target {address} runs code {position}, outside the code list"
            )));
        }
        // One code per EXTCODECOPY address: its pre-state code, which the verifier checks.
        if !(statement.ext_codes.windows(2)).all(|w| w[0].0 < w[1].0) {
            return Err(StatementError(
                "EXTCODECOPY addresses listed twice or out of order".into(),
            ));
        }
        if let Some((address, position)) = outside(&statement.ext_codes) {
            return Err(StatementError(format!(
                "EXTCODECOPY of {address} copies code {position}, outside the code list"
            )));
        }
        if let Some((address, _, _)) =
            (statement.ext_codes.iter()).find(|(a, _, _)| statement.deployment_at(a).is_some())
        {
            return Err(StatementError(format!(
                "EXTCODECOPY of {}: code a creation deployed (not proven yet)",
                hex_address(address)
            )));
        }
        // Each transfer is one step's (counters distinct), in execution order; a call's moves
        // value (a SELFDESTRUCT's sweeps a balance, which may be zero).
        if !(statement.transfers.windows(2)).all(|w| w[0].ctr < w[1].ctr) {
            return Err(StatementError("transfers out of execution order".into()));
        }
        let sweeps = [
            crate::call::TransferKind::Sweep,
            crate::call::TransferKind::HaltedSweep,
        ];
        if (statement.transfers.iter()).any(|t| t.value.is_zero() && !sweeps.contains(&t.kind)) {
            return Err(StatementError("a call's transfer of no value".into()));
        }
        if !(statement.creations.windows(2)).all(|w| w[0].ctr < w[1].ctr) {
            return Err(StatementError("creations out of execution order".into()));
        }
        // A successful creation deploys what its init code RETURNed, which the EVM would
        // not refuse; a failed one's is no more than memory holds (the proof read it there).
        let most = crate::cpu::MEMORY_WORDS_LIMIT as usize * 32;
        if let Some(c) = (statement.creations.iter()).find(|c| c.code.len() > most) {
            return Err(StatementError(format!(
                "the creation at counter {} returns more code than memory holds",
                c.ctr
            )));
        }
        if let Some((c, why)) = (statement.creations.iter())
            .filter(|c| c.success)
            .find_map(|c| c.refused_code().map(|why| (c, why)))
        {
            return Err(StatementError(format!(
                "the creation at counter {} deploys {why}",
                c.ctr
            )));
        }
        if let Some(c) =
            (statement.creations.iter()).find(|c| c.code_position as usize >= statement.codes.len())
        {
            return Err(StatementError(format!(
                "a creation runs code {}, outside the code list",
                c.code_position
            )));
        }
        // A failing frame's end comes after every create under it; no call may look up code
        // a create under one deployed ([`Statement::undone_deployment_at`]).
        if let Some(c) =
            (statement.creations.iter()).find(|c| c.undone_at.is_some_and(|at| at <= c.end))
        {
            return Err(StatementError(format!(
                "the creation at counter {} is undone before its end",
                c.ctr
            )));
        }
        // One delegate per delegated target, a call target: code deployed there would have
        // collided with the designator.
        if !(statement.delegations.windows(2)).all(|w| w[0].0 < w[1].0) {
            return Err(StatementError(
                "delegated call targets listed twice or out of order".into(),
            ));
        }
        if let Some((target, _)) = (statement.delegations.iter()).find(|(t, _)| {
            statement.deployment_at(t).is_some()
                || !(statement.call_codes.iter()).any(|(a, _, _)| a == t)
        }) {
            return Err(StatementError(format!(
                "delegated target {} is no call target's, or a creation's",
                hex_address(target)
            )));
        }
        if let Some((address, _, _)) =
            (statement.call_codes.iter()).find(|(a, _, _)| statement.undone_deployment_at(a))
        {
            return Err(StatementError(format!(
                "call target {}: code a create under a failing frame deployed (not proven yet)",
                hex_address(address)
            )));
        }
        // Callees' frame ids are their calls' counters plus one: the transaction's own frame
        // must be 0 to be distinct from them.
        if statement.ctx != 0 {
            return Err(StatementError(format!(
                "the transaction's frame has id {}, not 0",
                statement.ctx
            )));
        }
        let code_len = statement.code().len;
        // CODESIZE is the hashed code's length, not a value of the prover's choosing.
        let codesize = Word::from(code_len);
        if (statement.context.iter()).any(|(op, size)| *op == 0x38 && *size != codesize) {
            return Err(StatementError(
                "a CODESIZE value other than the code's length".into(),
            ));
        }
        for &(op, count) in &statement.callee_context {
            let valued = statement.context.iter().any(|(o, _)| *o == op);
            let served = match cpu::is_transaction_wide(op) {
                true => valued,
                false => call::FRAME_CONTEXT_OPCODES.contains(&op),
            };
            if !served || count > statement.count_of(op) {
                return Err(StatementError(format!(
                    "callees' uses of context opcode 0x{op:02x} ({count}) cannot be served"
                )));
            }
        }
        if !(statement.callee_context.windows(2)).all(|w| w[0].0 < w[1].0) {
            return Err(StatementError("callees' context uses out of order".into()));
        }
        let longest_code = statement.codes.iter().map(|c| c.len).max().unwrap_or(0);
        // A copy from 2³² or beyond reads `FAR_SOURCE` onwards, which must be past the end.
        if (statement.calldata.len() as u64).max(longest_code) >= copy::FAR_SOURCE {
            return Err(StatementError(
                "calldata or code of 2³⁰ bytes or more".into(),
            ));
        }
        // A jump to 2²² or beyond is proven to halt (`HaltKind::FarJump`): no code reaches.
        if statement.codes.iter().any(|c| c.len >= cpu::FAR_OFFSET) {
            return Err(StatementError("a code of 2²² bytes or more".into()));
        }
        // Without its table row a halt would add nothing to the bus, and the frame's real end (a
        // REVERT, say) would pass for it. A halt on the step's own cost has none: its row
        // proves the shortfall itself, through its opcode's usual decoding, and names its
        // opcode in the frame's stop message.
        for halt in statement.halt.iter().chain(&statement.sub_halts) {
            let family = cpu::Family::of(halt.opcode).map(|(f, _)| f);
            let own_cost = match halt.kind {
                cpu::HaltKind::DynamicCost => family.is_some_and(|f| f.may_halt_on_own_cost()),
                cpu::HaltKind::InvalidJump => {
                    matches!(family, Some(cpu::Family::Jump | cpu::Family::JumpI))
                }
                cpu::HaltKind::ReturnDataOutOfBounds => family == Some(cpu::Family::ReturnDataCopy),
                cpu::HaltKind::StaticCallValue => halt.opcode == crate::call::CALL,
                _ => false,
            };
            if halt.message().is_none() && !own_cost {
                return Err(StatementError(format!(
                    "opcode 0x{:02x} cannot halt as {:?}",
                    halt.opcode, halt.kind
                )));
            }
        }
        if statement.halt.is_some() {
            if statement.reverted {
                return Err(StatementError("a frame cannot both halt and revert".into()));
            }
            if statement.gas_left != 0 || !statement.output.is_empty() {
                return Err(StatementError(
                    "a halted frame has no gas left and no output".into(),
                ));
            }
        }
        // Counts and the refund enter the bus as field elements: below 2³² they cannot alias
        // (a claim of n + p would otherwise read as n).
        let counts = (statement.opcode_counts.iter().map(|(_, c)| c))
            .chain(statement.copy_reads.iter().map(|(_, _, _, c)| c))
            .chain(statement.calldata_reads.iter().map(|(_, c)| c))
            .chain(statement.blob_hash_reads.iter().map(|(_, c)| c))
            .chain(statement.account_reads.iter().map(|(_, _, _, ctr)| ctr))
            .chain(statement.call_codes.iter().map(|(_, _, c)| c))
            .chain(statement.ext_codes.iter().map(|(_, _, c)| c))
            .chain([&statement.keccak_permutations]);
        if counts.chain([&statement.refund]).any(|&c| c >= 1 << 32) {
            return Err(StatementError("a count or the refund beyond 2³²".into()));
        }
        // The refund is bound by the Storage table's message, sent only with storage steps.
        if statement.refund != 0 && !statement.has_storage_steps() {
            return Err(StatementError("a refund without storage steps".into()));
        }
        let mut steps = 0u64;
        for (_, count) in &statement.opcode_counts {
            steps = steps
                .checked_add(*count)
                .ok_or_else(|| StatementError("step counts overflow".into()))?;
        }
        for &(opcode, code, index, count) in &statement.copy_reads {
            // Indices below the stride keep each code's keys apart ([`copy::code_source`]).
            let len = match opcode {
                0x37 if code == 0 => 0,
                // (EXTCODECOPY of an account without code reads only zeros.)
                0x39 if code == NO_CODE => 0,
                0x39 => (statement.codes.get(code as usize)).map_or(u64::MAX, |c| c.len),
                _ => u64::MAX,
            };
            if len == u64::MAX || index >= copy::CODE_SOURCE_STRIDE {
                return Err(StatementError(format!(
                    "a copy read ({opcode:#x}, code {code}, {index}) of no copy source"
                )));
            }
            if opcode as u64 == copy::CODECOPY && index < len {
                return Err(StatementError(format!(
                    "a CODECOPY read of byte {index} of code {code} (the Bytecode component \
                     provides those)"
                )));
            }
            steps = steps
                .checked_add(count)
                .ok_or_else(|| StatementError("copy read counts overflow".into()))?;
        }
        let account_family = |op: u8| {
            matches!(
                cpu::Family::of(op),
                Some((cpu::Family::Account | cpu::Family::SelfBalance, _))
            )
        };
        if let Some((op, ..)) =
            (statement.account_reads.iter()).find(|(op, ..)| !account_family(*op))
        {
            return Err(StatementError(format!(
                "an account read of opcode 0x{op:02x}"
            )));
        }
        // (Each account read is one step's.)
        let account_reads = statement.account_reads.iter().map(|_| &1);
        for count in (statement.calldata_reads.iter().map(|(_, c)| c))
            .chain(statement.blob_hash_reads.iter().map(|(_, c)| c))
            .chain(account_reads)
        {
            steps = steps.checked_add(*count).ok_or_else(|| {
                StatementError("calldata, blob hash or account read counts overflow".into())
            })?;
        }
        if !statement.logs.windows(2).all(|w| w[0].ctr < w[1].ctr) {
            return Err(StatementError(
                "logs out of execution order (counters not increasing)".into(),
            ));
        }
        if let Some(log) = statement.logs.iter().find(|l| l.topics.len() > 4) {
            return Err(StatementError(format!(
                "a log with {} topics",
                log.topics.len()
            )));
        }
        for log in &statement.logs {
            // Each byte is a Log table row; the prover's traces are far below 2³² rows.
            steps = steps
                .checked_add(1 + log.data.len() as u64)
                .filter(|&s| s < 1 << 32)
                .ok_or_else(|| StatementError("log data beyond 2³² bytes".into()))?;
        }
        // The CPU's gas argument (no per-step range check) needs registers below 2³².
        if statement.gas >= 1 << 32 || statement.gas_left > statement.gas {
            return Err(StatementError(format!(
                "gas {} → {} is not a decreasing pair below 2³²",
                statement.gas, statement.gas_left
            )));
        }
        Ok(statement)
    }

    /// The transaction's frame failed (halted or reverted): the verifier rolls back its
    /// effects, its callees' too.
    pub fn failed(&self) -> bool {
        self.halt.is_some() || self.reverted
    }

    /// The first creation that deployed code at `address`, if one did. Only a creation a
    /// failing frame's end undid can have a second one after it (a second one at a kept
    /// creation's address collides), and calls into such an address are refused when parsing.
    pub fn deployment_at(&self, address: &[u8; 20]) -> Option<&call::Creation> {
        (self.creations.iter()).find(|c| c.deploys() && c.address == *address)
    }

    /// The delegate whose code a call into `target` runs, if an EIP-7702 delegation at the
    /// target designates one ([`Statement::delegations`]).
    pub fn delegate_of(&self, target: &[u8; 20]) -> Option<[u8; 20]> {
        let at = (self.delegations).binary_search_by(|(t, _)| t.cmp(target));
        at.ok().map(|i| self.delegations[i].1)
    }

    /// Whether a create under a failing frame deployed code at `address`: the code holds only
    /// until that frame's end, which a call's code lookup does not bound, so no call may look
    /// it up (not proven yet).
    pub fn undone_deployment_at(&self, address: &[u8; 20]) -> bool {
        (self.creations.iter())
            .any(|c| c.deploys() && c.undone_at.is_some() && c.address == *address)
    }

    /// The executed code's hash and length.
    pub fn code(&self) -> &CodeHash {
        &self.codes[self.code_position as usize]
    }

    /// The statement claims SLOAD, SSTORE, TLOAD or TSTORE steps (so a Storage table).
    fn has_storage_steps(&self) -> bool {
        [0x54, 0x55, 0x5c, 0x5d]
            .iter()
            .any(|&op| self.count_of(op) > 0)
    }

    /// Steps of `opcode` the statement claims that decode through its usual table row (all but
    /// a halt with a row of its own).
    pub fn count_of(&self, opcode: u8) -> u64 {
        self.opcode_counts
            .iter()
            .filter(|(o, _)| *o == opcode)
            .fold(0, |sum, (_, c)| sum.saturating_add(*c))
    }

    /// The bus messages the verifier derives from the statement.
    pub fn public_messages(&self) -> Vec<PublicMessage> {
        let mut messages = bytecode::public_messages(&self.codes);
        messages.extend(cpu::opcode_messages(|op| self.count_of(op)));
        let id = code_id(self.code_position as usize);
        let address = address_limbs(&self.address);
        messages.push(cpu::start_message(self.ctx, id, self.gas, 0, &address));
        let success = !self.failed();
        let halt_opcode = self.halt.map(|h| h.opcode);
        messages.push(cpu::stop_message(
            self.ctx,
            id,
            self.gas_left,
            success,
            halt_opcode,
            self.ctr_end,
        ));
        messages.extend(self.halt.and_then(|h| h.message()));
        messages.extend(self.sub_halts.iter().filter_map(|h| h.message()));
        messages.extend(self.storage.iter().flat_map(SlotState::messages));
        messages.extend(self.accounts.iter().map(AccountState::message));
        // (A position outside the list is refused when parsing; none serves here.)
        let id_and_len = |position: u32| {
            let len = (self.codes.get(position as usize)).map_or(0, |c| c.len);
            (crate::bytecode::id_of_position(position), len)
        };
        for (address, position, count) in &self.call_codes {
            let (id, len) = id_and_len(*position);
            // (Code a create deployed there is the target's from the create's end, and none
            // is before it; a failed create deployed nothing, whatever its init code returned.)
            let time =
                (self.deployment_at(address)).map_or((0, false), |c| (c.end, *position == NO_CODE));
            let limbs = address_limbs(address);
            let delegate = self.delegate_of(address).map(|d| address_limbs(&d));
            messages.push(call::code_message(
                &limbs,
                id,
                len,
                time,
                delegate.as_ref(),
                *count,
            ));
        }
        for (address, position, count) in &self.ext_codes {
            let (id, len) = id_and_len(*position);
            let limbs = address_limbs(address);
            messages.push(call::ext_code_message(&limbs, id, len, *count));
        }
        messages.extend(self.transfers.iter().map(call::Transfer::message));
        // (A position outside the list is refused when parsing.)
        for creation in &self.creations {
            if let Some(init_code) = self.codes.get(creation.code_position as usize) {
                messages.push(creation.message(init_code));
            }
            messages.extend(creation.deployment());
        }
        // A frame with storage steps has a Storage table, which sends its refund total.
        if self.has_storage_steps() {
            messages.push(storage::refund_message(self.refund));
        }
        messages.extend(output::public_messages(&self.output));
        messages.extend(log::public_messages(&self.logs));
        if self.keccak_permutations > 0 {
            messages.extend(keccak::round_messages(self.keccak_permutations as usize));
        }
        // CODECOPY reads here are past their code's end (checked when parsing): zeros.
        let calldata = self.calldata.as_slice();
        messages.extend(copy::public_messages(&self.copy_reads, move |opcode, _| {
            if opcode == 0x37 {
                calldata
            } else {
                &[]
            }
        }));
        for (op, value) in &self.context {
            // (`from_bytes` checks both; a statement built otherwise serves no more.)
            let callees = (self.callee_context.iter())
                .find(|(o, _)| o == op)
                .map_or(0, |(_, count)| (*count).min(self.count_of(*op)));
            let root = self.count_of(*op).saturating_sub(callees);
            // A frame-specific opcode's callee uses are their Call rows' to serve.
            let served_to_callees = match cpu::is_transaction_wide(*op) {
                true => callees,
                false => 0,
            };
            for (key, uses) in [
                (*op as u64, root),
                (*op as u64 + cpu::CALLEE_CONTEXT, served_to_callees),
            ] {
                let mut fields = vec![Goldilocks::new(key)];
                fields.extend(word_fields(value));
                messages.push(PublicMessage {
                    multiplicity: Goldilocks::new(uses),
                    ..PublicMessage::provide(cpu::CONTEXT, &fields)
                });
            }
        }
        let hash_at = |index: &Word| {
            let at = usize::try_from(*index).ok();
            at.and_then(|i| self.blob_hashes.get(i))
                .copied()
                .unwrap_or_default()
        };
        // Each keyed by the opcode that reads it; an account's fields also by the counter of
        // the step that reads them (SELFBALANCE's words swapped: see `cpu::VERIFIER_WORD`).
        let loads = (self.calldata_reads.iter())
            .map(|(offset, uses)| {
                (
                    0x35,
                    *offset,
                    calldata_word(&self.calldata, offset),
                    0,
                    *uses,
                )
            })
            .chain(
                (self.blob_hash_reads.iter())
                    .map(|(index, uses)| (0x49, *index, hash_at(index), 0, *uses)),
            )
            .chain(
                (self.account_reads.iter()).map(|&(op, key, value, ctr)| match op {
                    SELFBALANCE => (op, value, key, ctr, 1),
                    _ => (op, key, value, ctr, 1),
                }),
            );
        for (opcode, first, second, ctr, uses) in loads {
            let mut fields = vec![Goldilocks::new(opcode as u64)];
            fields.extend(word_fields(&first));
            fields.extend(word_fields(&second));
            fields.push(Goldilocks::new(ctr));
            messages.push(PublicMessage {
                multiplicity: Goldilocks::new(uses),
                ..PublicMessage::provide(cpu::VERIFIER_WORD, &fields)
            });
        }
        messages
    }

    /// Gas the frame used.
    pub fn gas_used(&self) -> u64 {
        self.gas.saturating_sub(self.gas_left)
    }

    /// Steps the statement claims (the halting step included).
    pub fn steps(&self) -> u64 {
        // A halt on the step's own cost is counted with its opcode.
        let own_rows = (self.halt.iter().chain(&self.sub_halts))
            .filter(|h| h.message().is_some())
            .count();
        self.opcode_counts
            .iter()
            .fold(own_rows as u64, |sum, (_, c)| sum.saturating_add(*c))
    }
}

/// Checks that a block's components are an EVM block's: exactly one CPU, Bytecode, RW,
/// Range, AND and Sponge table, one Keccak table or more (its shards: the code is hashed), at
/// most one Storage, Account, Memory, Arithmetic, Bitwise, MulDiv, Modular, SignExtend, Exp,
/// Output, Copy and Log table, nothing else.
///
/// The bus alone does not pin this. The read-after-write arguments of RW (and Storage) hold
/// within one sorted table: two RW tables could each accept a first access of an address as
/// a write (or a fresh read of 0), so splitting an address's accesses between them would let
/// a read skip the latest write and still balance the bus. Keccak shards are the exception:
/// each tags its bus messages from its own shard offset ([`crate::shard_offsets`]), so no two
/// share a tag.
pub fn check_components(ids: &[ComponentId]) -> Result<(), StatementError> {
    const REQUIRED: [ComponentId; 6] = [
        ComponentId::Cpu,
        ComponentId::Bytecode,
        ComponentId::ReadWrite,
        ComponentId::Range16,
        ComponentId::AndTable,
        ComponentId::Sponge,
    ];
    const OPTIONAL: [ComponentId; 13] = [
        ComponentId::Storage,
        ComponentId::Account,
        ComponentId::Call,
        ComponentId::Memory,
        ComponentId::Arithmetic,
        ComponentId::Bitwise,
        ComponentId::MulDiv,
        ComponentId::Modular,
        ComponentId::SignExtend,
        ComponentId::Exp,
        ComponentId::Output,
        ComponentId::Copy,
        ComponentId::Log,
    ];
    let count = |id: ComponentId| ids.iter().filter(|&&i| i == id).count();
    for id in REQUIRED {
        if count(id) != 1 {
            return Err(StatementError(format!(
                "an EVM block has exactly one {} table, this one has {}",
                id.name(),
                count(id)
            )));
        }
    }
    if count(ComponentId::Keccak) == 0 {
        return Err(StatementError(
            "an EVM block has a keccak table (the code is hashed), this one has none".into(),
        ));
    }
    for id in OPTIONAL {
        if count(id) > 1 {
            return Err(StatementError(format!(
                "an EVM block has at most one {} table, this one has {}",
                id.name(),
                count(id)
            )));
        }
    }
    if let Some(other) = ids.iter().find(|&&id| {
        !REQUIRED.contains(&id) && !OPTIONAL.contains(&id) && id != ComponentId::Keccak
    }) {
        return Err(StatementError(format!(
            "an EVM block has no {} table",
            other.name()
        )));
    }
    Ok(())
}

/// [`check_components`] for a block wrapped into one circuit, which also holds exactly one
/// Keccak table: the circuit verifies every trace at shard offset 0
/// ([`crate::ComponentInputs`]' elements carry no offset), where two Keccak shards would share
/// their bus tags.
pub fn check_wrapped_components(ids: &[ComponentId]) -> Result<(), StatementError> {
    check_components(ids)?;
    let shards = ids.iter().filter(|&&id| id == ComponentId::Keccak).count();
    if shards != 1 {
        return Err(StatementError(format!(
            "a wrapped block has one keccak table, this one has {shards} (its Keccak shards \
             cannot be wrapped yet)"
        )));
    }
    Ok(())
}

/// A witness as a block: its statement and the traces of its components.
#[derive(Debug, Clone)]
pub struct EvmBlock {
    pub statement: Statement,
    pub traces: Vec<ComponentTrace>,
}

/// Why a witness is not (yet) a block.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum BuildError {
    Cpu(CpuError),
    Rw(rw::RwError),
    Storage(StorageError),
    Account(AccountError),
    Table(String),
}

impl fmt::Display for BuildError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            BuildError::Cpu(e) => write!(f, "{e}"),
            BuildError::Rw(e) => write!(f, "rw table: {e}"),
            BuildError::Storage(e) => write!(f, "{e}"),
            BuildError::Account(e) => write!(f, "{e}"),
            BuildError::Table(e) => write!(f, "{e}"),
        }
    }
}

impl std::error::Error for BuildError {}

impl BuildError {
    /// True when the execution is valid but uses something not proven yet.
    pub fn is_unsupported(&self) -> bool {
        matches!(self, BuildError::Cpu(CpuError::Unsupported(_)))
    }
}

/// The block of a witness: CPU, Bytecode, RW (the steps' stack and memory accesses), Storage
/// (when the frame touches storage), Memory (when it touches memory) and Range16.
pub fn build(witness: &Witness) -> Result<EvmBlock, BuildError> {
    build_with_keccak_shards(witness, crate::keccak::SHARD_ROWS)
}

/// [`build`] with Keccak shards of at most `keccak_shard_rows` rows (a power of two of at least
/// 256; [`crate::keccak::shards`]): tests shard small blocks this way.
pub fn build_with_keccak_shards(
    witness: &Witness,
    keccak_shard_rows: usize,
) -> Result<EvmBlock, BuildError> {
    if !keccak_shard_rows.is_power_of_two() || keccak_shard_rows < 256 {
        return Err(BuildError::Table(format!(
            "Keccak shards of {keccak_shard_rows} rows: a shard is a power of two of at least \
             256 rows (one permutation)"
        )));
    }
    let mut cpu = cpu::trace(witness).map_err(BuildError::Cpu)?;
    let codes: Vec<&[u8]> = (cpu::code_order(witness).into_iter())
        .map(|i| witness.bytecodes[i].code.as_ref())
        .collect();
    // CODECOPY reads of a code's own bytes are the Bytecode component's; the rest (past its
    // end) and CALLDATACOPY's are the statement's.
    let codecopy = copy::CODECOPY as u8;
    let bytecode = bytecode::trace(&codes, |position, index| {
        let uses = cpu.uses.get(&(position, index)).copied();
        let reads = (cpu.copy_reads).get(&(codecopy, position as u32, index as u64));
        bytecode::Uses {
            code_reads: reads.copied().unwrap_or(0),
            ..uses.unwrap_or_default()
        }
    })
    .map_err(|e| BuildError::Table(e.to_string()))?;
    let memory = (!cpu.memory.is_empty()).then(|| memory::trace(&cpu.memory));
    let mut accesses = cpu.stack.clone();
    accesses.extend(memory.iter().flat_map(|m| m.accesses.iter().copied()));
    accesses.extend(cpu.output.iter().flat_map(|o| o.accesses()));
    accesses.extend(cpu.copies.iter().flat_map(|c| c.accesses()));
    accesses.extend(cpu.logs.iter().flat_map(|l| l.accesses()));
    accesses.extend(cpu.calls.iter().flat_map(|c| c.accesses()));
    // Failing callees' ends, where the Storage and Account components roll back the slots
    // and the warm-ups under them.
    let failing = call::failing_frames(&cpu.calls);
    let storage = match cpu.storage.is_empty() {
        true => None,
        false => Some(storage::trace(&cpu.storage, &failing).map_err(BuildError::Storage)?),
    };
    let accounts = match cpu.accounts.is_empty() {
        true => None,
        false => Some(account::trace(&cpu.accounts, &failing).map_err(BuildError::Account)?),
    };
    // Each failing callee's Call row provides its end to every row of both tables it rolls
    // back or restores, to every call moving value and every create under it, and to every
    // SELFDESTRUCT under it (a CPU row).
    let mut undone_calls: std::collections::BTreeMap<u32, u32> = Default::default();
    let undone_frames = (cpu.calls.iter())
        .filter(|op| op.undo.is_some())
        .map(|op| op.caller_rollback.0.unwrap_or_default())
        .chain(cpu.sweep_frames.iter().copied());
    for frame in undone_frames {
        *undone_calls.entry(frame).or_default() += 1;
    }
    for op in &mut cpu.calls {
        let callee = op.callee_ctx();
        let slots = storage.as_ref().and_then(|s| s.rollbacks.get(&callee));
        let addresses = accounts.as_ref().and_then(|a| a.rollbacks.get(&callee));
        op.rollbacks = slots.copied().unwrap_or(0)
            + addresses.copied().unwrap_or(0)
            + undone_calls.get(&callee).copied().unwrap_or(0);
    }
    let calls = match cpu.calls.is_empty() {
        true => None,
        false => Some(call::trace(&cpu.calls).ok_or_else(|| {
            BuildError::Cpu(CpuError::Unsupported(
                "a call forwarding more gas than it has, or a callee keeping more".into(),
            ))
        })?),
    };
    // The codes' hashes, then the KECCAK256 steps'.
    let mut hashes = bytecode::hashes(&codes);
    hashes.extend(
        (cpu.copies.iter())
            .filter(|op| op.opcode == copy::KECCAK256)
            .map(|op| sponge::Hash {
                ctr: u64::from(op.ctr),
                data: op.bytes.clone(),
            }),
    );
    let rw_table = rw::trace(&accesses).map_err(BuildError::Rw)?;
    let arithmetic_ops = alu::proven_by(&cpu.alu, |t| matches!(t, Table::Arithmetic(_)));
    let arithmetic = (!arithmetic_ops.is_empty()).then(|| arithmetic::trace(&arithmetic_ops));
    let bitwise_ops = alu::proven_by(&cpu.alu, |t| matches!(t, Table::Bitwise(_)));
    let bitwise = (!bitwise_ops.is_empty()).then(|| bitwise::trace(&bitwise_ops));
    // One AND table serves Bitwise, Sponge and Keccak.
    let bitwise_pairs = bitwise.iter().flat_map(|b| b.and_lookups.iter().copied());
    let (hashing, permutations) = sponge::hashing_tables(&hashes, bitwise_pairs, keccak_shard_rows);
    let exp = (!cpu.exp.is_empty()).then(|| exp::trace(&cpu.exp));
    let mut muldiv_ops = alu::proven_by(&cpu.alu, |t| matches!(t, Table::MulDiv(_)));
    muldiv_ops.extend(exp.iter().flat_map(|e| e.multiplications.iter().copied()));
    let muldiv = (!muldiv_ops.is_empty()).then(|| muldiv::trace(&muldiv_ops));
    let modular = (!cpu.modular.is_empty()).then(|| modular::trace(&cpu.modular));
    let signextend_ops = alu::proven_by(&cpu.alu, |t| matches!(t, Table::SignExtend));
    let signextend = (!signextend_ops.is_empty()).then(|| signextend::trace(&signextend_ops));
    let lookups = (rw_table.range_lookups.iter())
        .chain(&cpu.range_lookups)
        .chain(storage.iter().flat_map(|s| &s.range_lookups))
        .chain(accounts.iter().flat_map(|a| &a.range_lookups))
        .chain(calls.iter().flat_map(|c| &c.range_lookups))
        .chain(arithmetic.iter().flat_map(|a| &a.range_lookups))
        .chain(muldiv.iter().flat_map(|m| &m.range_lookups))
        .chain(modular.iter().flat_map(|m| &m.range_lookups))
        .chain(signextend.iter().flat_map(|s| &s.range_lookups))
        .copied()
        .chain(copy::range_lookups(&cpu.copies));
    let bytes = (memory.iter().flat_map(|m| m.bytes.iter().copied())).chain(
        signextend
            .iter()
            .flat_map(|s| s.byte_lookups.iter().copied()),
    );
    let range = range::trace_with_bytes(lookups, bytes);
    let statement = Statement {
        version: STATEMENT_VERSION,
        codes: codes.iter().map(|c| CodeHash::of(c)).collect(),
        code_position: cpu.code_position as u32,
        ctx: cpu.ctx,
        address: cpu.address,
        gas: cpu.gas,
        gas_left: cpu.gas_left,
        ctr_end: cpu.ctr_end,
        halt: cpu.halt,
        opcode_counts: (0..=255u8)
            .filter(|&op| cpu.opcode_counts[op as usize] > 0)
            .map(|op| (op, cpu.opcode_counts[op as usize]))
            .collect(),
        storage: storage.as_ref().map_or(Vec::new(), |s| s.slots.clone()),
        context: cpu.context.into_iter().collect(),
        callee_context: cpu.callee_context.into_iter().collect(),
        // Init code runs with empty calldata (the frame's input is the code itself).
        calldata: match witness.frames[0].kind {
            FrameKind::Create | FrameKind::Create2 => Vec::new(),
            _ => witness.frames[0].input.to_vec(),
        },
        calldata_reads: cpu.calldata_reads.into_iter().collect(),
        blob_hashes: (witness.context.blob_hashes.iter())
            .map(|h| Word::from_be_bytes(h.0))
            .collect(),
        blob_hash_reads: cpu.blob_hash_reads.into_iter().collect(),
        output: cpu.output.as_ref().map_or(Vec::new(), |o| o.bytes.clone()),
        reverted: cpu.reverted,
        copy_reads: (cpu.copy_reads.iter())
            .map(|(&(opcode, code, index), &count)| (opcode, code, index, count))
            .filter(|&(opcode, code, index, _)| {
                opcode != codecopy || code == NO_CODE || index >= codes[code as usize].len() as u64
            })
            .collect(),
        logs: cpu.logs.iter().map(|l| l.entry()).collect(),
        refund: storage.as_ref().map_or(0, |s| s.refund),
        keccak_permutations: permutations as u64,
        accounts: accounts.as_ref().map_or(Vec::new(), |a| a.accounts.clone()),
        account_reads: cpu.account_reads.clone(),
        call_codes: call_codes(&cpu.calls),
        delegations: delegations(&cpu.calls),
        ext_codes: (cpu.ext_codes.iter())
            .map(|(&(address, position), &count)| (address, position, count))
            .collect(),
        transfers: cpu.transfers,
        creations: cpu.calls.iter().filter_map(CallOp::creation).collect(),
        sub_halts: cpu.sub_halts.clone(),
    };
    let trace = |id, columns| ComponentTrace { id, columns };
    let mut traces = vec![
        trace(ComponentId::Cpu, cpu.columns),
        trace(ComponentId::Bytecode, bytecode),
        trace(ComponentId::ReadWrite, rw_table.columns),
    ];
    if let Some(s) = storage {
        traces.push(trace(ComponentId::Storage, s.columns));
    }
    if let Some(a) = accounts {
        traces.push(trace(ComponentId::Account, a.columns));
    }
    if let Some(c) = calls {
        traces.push(trace(ComponentId::Call, c.columns));
    }
    if let Some(m) = memory {
        traces.push(trace(ComponentId::Memory, m.columns));
    }
    if let Some(a) = arithmetic {
        traces.push(trace(ComponentId::Arithmetic, a.columns));
    }
    if let Some(b) = bitwise {
        traces.push(trace(ComponentId::Bitwise, b.columns));
    }
    if let Some(m) = muldiv {
        traces.push(trace(ComponentId::MulDiv, m.columns));
    }
    if let Some(m) = modular {
        traces.push(trace(ComponentId::Modular, m.columns));
    }
    if let Some(s) = signextend {
        traces.push(trace(ComponentId::SignExtend, s.columns));
    }
    if let Some(e) = exp {
        traces.push(trace(ComponentId::Exp, e.columns));
    }
    if let Some(o) = &cpu.output {
        traces.push(trace(ComponentId::Output, output::trace(o)));
    }
    if !cpu.copies.is_empty() {
        traces.push(trace(ComponentId::Copy, copy::trace(&cpu.copies)));
    }
    if !cpu.logs.is_empty() {
        traces.push(trace(ComponentId::Log, log::trace(&cpu.logs)));
    }
    // The tables that hash the code (and KECCAK256's data).
    traces.extend(hashing);
    traces.push(trace(ComponentId::Range16, range));
    Ok(EvmBlock { statement, traces })
}
