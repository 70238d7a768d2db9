//! Proving EVM executions end to end: a witness becomes a block of component proofs bound to
//! a [`Statement`], and a proof's bytes verify against the statement they carry.
//!
//! What is proven today is the transaction's frame and the frames it calls, as the README's
//! "Proving EVM executions" lists (see `zkevm_air::cpu` and `zkevm_air::call`); [`prove`]
//! reports anything else as unsupported, naming it.

use alloy_primitives::Address;
use std::time::{Duration, Instant};
use thiserror::Error;
use zkevm_air::bytecode::CodeHash;
use zkevm_air::call::{TransferKind, DEPOSIT_GAS_PER_BYTE};
use zkevm_air::cpu::CpuError;
use zkevm_air::evm::{
    build, check_components, check_wrapped_components, BuildError, EvmBlock, Statement,
    StatementError,
};
use zkevm_air::Component;
use zkevm_evm_spec::runner::Status;
use zkevm_evm_spec::witness::{FrameKind, Witness};
use zkevm_prover::{
    prove_block_hashed, prove_block_with_public, verify_block_for, verify_block_hashed, BlockError,
    BlockProof, Profile,
};
use zkevm_recursion::PoseidonBn254;

/// Why an execution was not proven or a proof not accepted.
#[derive(Debug, Error)]
pub enum EvmError {
    #[error("unsupported: {0}")]
    Unsupported(String),
    #[error(
        "the proof would need about {:.1} GiB of memory, more than the {:.1} GiB available \
         (set {} to change the budget)",
        crate::memory_budget::gib(*needed),
        crate::memory_budget::gib(*budget),
        crate::memory_budget::BUDGET_VARIABLE
    )]
    TooLarge { needed: u64, budget: u64 },
    #[error("the witness is inconsistent: {0}")]
    Witness(String),
    #[error("proving failed: {0}")]
    Prove(BlockError),
    #[error("the tables do not hold: {0}")]
    Check(String),
    #[error("proof rejected: {0}")]
    Verify(BlockError),
    #[error(transparent)]
    Statement(#[from] StatementError),
    #[error(transparent)]
    Wrapped(#[from] zkevm_recursion::wrap::WrapFailure),
}

/// Size of one component's table.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct TableSize {
    pub name: &'static str,
    pub rows: usize,
    /// Main-trace columns (base field).
    pub columns: usize,
    /// Auxiliary columns (quadratic extension: LogUp helpers and running sums).
    pub aux_columns: usize,
}

/// A proven execution.
#[derive(Debug, Clone)]
pub struct Proven {
    pub statement: Statement,
    /// The block proof's bytes.
    pub proof: Vec<u8>,
    pub profile: Profile,
    pub tables: Vec<TableSize>,
    /// Witness to traces.
    pub trace_time: Duration,
    /// Traces to proof.
    pub prove_time: Duration,
}

/// A verified proof.
#[derive(Debug, Clone)]
pub struct Verified {
    pub statement: Statement,
    pub profile: Profile,
    pub components: Vec<&'static str>,
}

/// Builds a witness's tables and checks them without proving: every component's constraints
/// on every row (an error names the component, the constraint and the first row that breaks
/// it) and the balance of the bus with the statement's public messages. A debugging aid for
/// trace builders (the release prover does not evaluate constraints on the trace, so a builder
/// bug otherwise surfaces only as a proof rejected out of domain); the balance uses fixed
/// challenges, so it is evidence, not a proof.
pub fn check(witness: &Witness) -> Result<Vec<TableSize>, EvmError> {
    use zkevm_field::{FieldElement, Goldilocks, Quadratic};
    let block = checked_block(witness)?;
    zkevm_air::check_block(&block.traces).map_err(|e| EvmError::Check(e.to_string()))?;
    let gamma = Quadratic::new(Goldilocks::new(0x5eed_0001), Goldilocks::new(0x5eed_0002));
    let beta = Quadratic::new(Goldilocks::new(0x5eed_0003), Goldilocks::new(0x5eed_0004));
    let public = block.statement.public_messages();
    let balance = zkevm_air::bus::block_imbalance(&block.traces, &public, gamma, beta)
        .map_err(|e| EvmError::Check(e.to_string()))?;
    if balance != Quadratic::ZERO {
        return Err(EvmError::Check(
            "every constraint holds, but the bus does not balance: some message is sent and \
             not received (or received with another multiplicity)"
                .into(),
        ));
    }
    Ok(table_sizes(&block.traces))
}

/// The block of a witness that passes the evm-spec replay checker: a witness that contradicts
/// the EVM's rules is refused before any table is built.
fn checked_block(witness: &Witness) -> Result<EvmBlock, EvmError> {
    zkevm_evm_spec::checker::check_witness(witness)
        .map_err(|e| EvmError::Witness(e.to_string()))?;
    build(witness).map_err(|e| match e {
        BuildError::Cpu(CpuError::Unsupported(what)) => EvmError::Unsupported(what),
        e => EvmError::Witness(e.to_string()),
    })
}

/// Rows and columns of each table.
fn table_sizes(traces: &[zkevm_air::ComponentTrace]) -> Vec<TableSize> {
    traces
        .iter()
        .map(|t| TableSize {
            name: t.id.name(),
            rows: t.len(),
            columns: zkevm_air::with_component!(t.id, C => C::default().width()),
            aux_columns: zkevm_air::with_component!(t.id, C => {
                zkevm_air::bus::aux_width(&C::default())
            }),
        })
        .collect()
}

/// Proves a witness. The witness must pass the evm-spec replay checker first: a witness that
/// contradicts the EVM's rules is refused before any table is built; so is one whose proof
/// would need more memory than the system has available ([`crate::memory_budget`]).
pub fn prove(witness: &Witness, profile: Profile) -> Result<Proven, EvmError> {
    prove_within(witness, profile, crate::memory_budget::budget())
}

/// [`prove`] with a memory budget in bytes (`None`: no check).
pub fn prove_within(
    witness: &Witness,
    profile: Profile,
    budget: Option<u64>,
) -> Result<Proven, EvmError> {
    let start = Instant::now();
    let block = checked_block(witness)?;
    let tables = table_sizes(&block.traces);
    let needed = crate::memory_budget::estimated_peak(&tables, profile.options().blowup_factor());
    if let Some(budget) = budget.filter(|&b| needed > b) {
        return Err(EvmError::TooLarge { needed, budget });
    }
    let trace_time = start.elapsed();
    let start = Instant::now();
    let statement_bytes = block.statement.to_bytes();
    let public = block.statement.public_messages();
    // The wrap profile commits with Poseidon over BN254, so its proofs can be verified in a
    // circuit; the others with Blake3.
    let proof = if profile.commits_with_blake3() {
        prove_block_with_public(&statement_bytes, &public, block.traces, profile)
    } else {
        prove_block_hashed::<PoseidonBn254>(&statement_bytes, &public, block.traces, profile)
    }
    .map_err(EvmError::Prove)?;
    Ok(Proven {
        statement: block.statement,
        proof: proof.to_bytes(),
        profile,
        tables,
        trace_time,
        prove_time: start.elapsed(),
    })
}

/// Verifies proof bytes against the statement they carry, accepting the given profiles.
pub fn verify(bytes: &[u8], accepted: &[Profile]) -> Result<Verified, EvmError> {
    let proof = BlockProof::from_bytes(bytes).map_err(EvmError::Verify)?;
    let statement = Statement::from_bytes(&proof.statement)?;
    let ids: Vec<_> = proof.components.iter().map(|c| c.id).collect();
    check_components(&ids)?;
    let public = statement.public_messages();
    let verified = if proof.profile.commits_with_blake3() {
        verify_block_for(bytes, &proof.statement, &public, accepted)
    } else {
        verify_block_hashed::<PoseidonBn254>(bytes, &proof.statement, &public, accepted)
    }
    .map_err(EvmError::Verify)?;
    Ok(Verified {
        statement,
        profile: verified.profile,
        components: verified.components.iter().map(|id| id.name()).collect(),
    })
}

/// Verifies a wrapped block (one Groth16 proof from `zkevm wrap`) against the statement it
/// carries, with the cached verifying key of its circuit's shape in `key_dir`. Its components
/// must be a block's legal set, as for [`verify`]: the circuit proves whatever block it was
/// built for, and an EVM block with, say, two RW tables is not sound.
pub fn verify_wrapped(bytes: &[u8], key_dir: &std::path::Path) -> Result<Verified, EvmError> {
    use zkevm_recursion::aggregate::{verify_wrapped_block, WrappedBlock};
    let wrapped = WrappedBlock::from_bytes(bytes)?;
    let statement = Statement::from_bytes(&wrapped.statement)?;
    let ids: Vec<_> = wrapped.components.iter().map(|&(id, _)| id).collect();
    check_wrapped_components(&ids)?;
    verify_wrapped_block(&wrapped, &statement.public_messages(), key_dir)?;
    Ok(Verified {
        statement,
        profile: Profile::Wrap,
        components: ids.iter().map(|id| id.name()).collect(),
    })
}

/// The verdict of `zkevm test --prove` on one state-test expectation: execute and check it as
/// `zkevm test` does, then prove its witness and verify the proof. `Unsupported` names what
/// the prover does not cover yet; `Passed` is an invalid transaction, whose expected
/// rejection is checked, with no execution to prove.
pub fn prove_case(
    case: &zkevm_evm_spec::fixture::StateTest,
    post: &zkevm_evm_spec::fixture::PostEntry,
    profile: Profile,
) -> (Status, Option<String>) {
    if let Some(why) = unproven_delegation(case, post) {
        return (Status::Unsupported, Some(why.into()));
    }
    let to = zkevm_evm_spec::exec::state_test_tx(case, post).map(|tx| tx.kind.into_to());
    if let Ok(Some(to)) = to {
        if zkevm_evm_spec::exec::is_precompile(&to) {
            let why = format!("a transaction sent to the precompile {to} (not proven yet)");
            return (Status::Unsupported, Some(why));
        }
    }
    let witness = match zkevm_evm_spec::runner::trace_case(case, post) {
        Ok(w) => w,
        Err(reason) => return (Status::Failed, Some(reason)),
    };
    // An invalid transaction executes nothing: its rejection, as the fixture expects, is
    // checked (by `trace_case`), and there is no execution to prove.
    if let Some(exception) = &post.expect_exception {
        let why = format!("an invalid transaction ({exception}, as expected): nothing to prove");
        return (Status::Passed, Some(why));
    }
    let authorized = zkevm_evm_spec::exec::state_test_tx(case, post)
        .is_ok_and(|tx| !tx.authorization_list.is_empty());
    if witness.frames.len() > 1 && authorized {
        let why = "a call in a transaction with EIP-7702 authorizations";
        return (Status::Unsupported, Some(why.into()));
    }
    if let Some(why) = unproven_delegated_call(case, &witness) {
        return (Status::Unsupported, Some(why.into()));
    }
    // (Every step that accesses an account: a call halting on its costs opens no frame, but
    // its row accesses the target all the same.)
    let reads_accounts = || {
        (witness.steps.iter()).any(|s| {
            matches!(
                s.opcode,
                0x31 | 0x3b | 0x3c | 0x3f | 0xff | 0xf1 | 0xf2 | 0xf4 | 0xfa
            )
        })
    };
    if authorized && reads_accounts() {
        let why = "BALANCE, EXTCODESIZE, EXTCODECOPY, EXTCODEHASH, SELFDESTRUCT or a call after \
                   EIP-7702 authorizations";
        return (Status::Unsupported, Some(why.into()));
    }
    let proven = match prove(&witness, profile) {
        Ok(p) => p,
        Err(EvmError::Unsupported(what)) => return (Status::Unsupported, Some(what)),
        // Too large for this machine: not proven here, and not wrong.
        Err(e @ EvmError::TooLarge { .. }) => return (Status::Unsupported, Some(e.to_string())),
        Err(e) => return (Status::Failed, Some(e.to_string())),
    };
    let verified = match verify(&proven.proof, &[profile]) {
        Ok(v) => v,
        Err(e) => return (Status::Failed, Some(e.to_string())),
    };
    // A CALL moving value into a delegated account that halts on its delegate's cost: its row
    // (which shows no delegation on a halt) explains the halt by a new account's 25,000,
    // claiming the target empty, which the state check refutes. (The witness records no
    // operands of a halting call to find this before proving.)
    let halted_fresh_into_delegated = |t: &zkevm_air::call::Transfer| {
        t.kind == TransferKind::Halted && t.fresh && is_delegated(&case.pre, &Address::from(t.to))
    };
    if (verified.statement.transfers.iter()).any(halted_fresh_into_delegated) {
        let why = "a CALL moving value into an account delegated by EIP-7702, halting on its \
                   delegate's cost";
        return (Status::Unsupported, Some(why.into()));
    }
    match check_state(&verified.statement, case, post) {
        Ok(()) => (Status::Proved, None),
        Err(reason) => (Status::Failed, Some(format!("verified, but {reason}"))),
    }
}

/// EIP-7702's delegation designator: the code of a delegated account starts with it.
const DELEGATION_PREFIX: [u8; 3] = [0xef, 0x01, 0x00];

/// Whether `address` holds a delegation designator in `state` (EIP-7702).
fn is_delegated(
    state: &zkevm_evm_spec::fixture::WorldState,
    address: &alloy_primitives::Address,
) -> bool {
    (state.get(address)).is_some_and(|a| a.code.starts_with(&DELEGATION_PREFIX))
}

/// Whether any account of `state` holds a delegation designator (EIP-7702).
fn any_delegated(state: &zkevm_evm_spec::fixture::WorldState) -> bool {
    state.keys().any(|a| is_delegated(state, a))
}

/// The account a delegated account's code designates (EIP-7702): the 20 bytes after the
/// prefix, if `code` is a whole designator.
fn delegate_of(code: &[u8]) -> Option<alloy_primitives::Address> {
    (code.len() == 23 && code.starts_with(&DELEGATION_PREFIX))
        .then(|| alloy_primitives::Address::from_slice(&code[DELEGATION_PREFIX.len()..]))
}

/// The account whose code a call transaction's recipient runs in its place: the delegate its
/// pre-state designator names (EIP-7702), or none.
fn recipient_delegate(
    case: &zkevm_evm_spec::fixture::StateTest,
    to: Option<alloy_primitives::Address>,
) -> Option<alloy_primitives::Address> {
    to.and_then(|to| case.pre.get(&to))
        .and_then(|account| delegate_of(&account.code))
}

/// Why the code a state test's transaction runs may not be known from the pre-state
/// (EIP-7702): the transaction's own authorizations may delegate its recipient, or change its
/// delegation, before it runs (its post-state code is then a designator). Not proven yet;
/// `check_state` refuses it, since a proof of the designator bytes (a halt on the undefined
/// 0xef) or of the pre-state code would otherwise pass for what ran. (A recipient delegated in
/// the pre-state, by a whole designator, runs its delegate's pre-state code: proven.)
fn unproven_delegation(
    case: &zkevm_evm_spec::fixture::StateTest,
    post: &zkevm_evm_spec::fixture::PostEntry,
) -> Option<&'static str> {
    let tx = zkevm_evm_spec::exec::state_test_tx(case, post).ok()?;
    let alloy_primitives::TxKind::Call(to) = tx.kind else {
        return None;
    };
    if !(is_delegated(&case.pre, &to) || is_delegated(&post.state, &to)) {
        return None;
    }
    if !tx.authorization_list.is_empty() {
        return Some(
            "a recipient delegated by EIP-7702 in a transaction with authorizations (they may \
             change what it runs)",
        );
    }
    // (revm runs a delegate's own designator, or a malformed one, as no code it records.)
    match recipient_delegate(case, Some(to)) {
        Some(delegate) if !is_delegated(&case.pre, &delegate) => None,
        Some(_) => Some("a recipient delegated by EIP-7702 to a delegated account"),
        None => Some("a recipient whose code starts as an EIP-7702 designator but is none"),
    }
}

/// Why a call touching an account delegated by EIP-7702 (in the pre-state: a transaction with
/// authorizations making calls is refused before) is not proven yet: its delegate is itself
/// delegated (revm runs the designator, which it records as no code), or is an account the
/// transaction creates (the code it runs then is not the pre-state's); a call into code that
/// starts as a designator but is none (revm runs it as code); a call short of
/// its value from an account to itself while any account is delegated (the claim does not
/// name the code's account, so the verifier cannot tell whether it skipped a delegate's
/// cost). `check_state` refuses each.
fn unproven_delegated_call(
    case: &zkevm_evm_spec::fixture::StateTest,
    witness: &Witness,
) -> Option<&'static str> {
    let created = |a: &alloy_primitives::Address| {
        (witness.frames.iter())
            .any(|f| matches!(f.kind, FrameKind::Create | FrameKind::Create2) && f.address == *a)
    };
    let calls = (witness.frames.iter().skip(1))
        .filter(|f| !matches!(f.kind, FrameKind::Create | FrameKind::Create2));
    let malformed = |f: &zkevm_evm_spec::witness::Frame| {
        f.delegate.is_none() && is_delegated(&case.pre, &f.code_address)
    };
    if calls.clone().any(malformed) {
        return Some("a call into code that starts as an EIP-7702 designator but is none");
    }
    if any_delegated(&case.pre)
        && (calls.clone()).any(|f| f.status == "OutOfFunds" && f.caller == f.address)
    {
        return Some(
            "a call short of its value from an account to itself while an account is delegated \
             by EIP-7702",
        );
    }
    let delegates = calls.filter_map(|f| f.delegate);
    for delegate in delegates {
        if is_delegated(&case.pre, &delegate) {
            return Some("a call into an account delegated by EIP-7702 to a delegated account");
        }
        if created(&delegate) {
            return Some(
                "a call into an account delegated by EIP-7702 to an account the transaction \
                 creates",
            );
        }
    }
    None
}

/// Blob gas per blob (EIP-4844).
const BLOB_GAS_PER_BLOB: u64 = 1 << 17;

/// The transaction's blob fee (EIP-4844): its blob gas at the block's blob base fee.
fn blob_fee(env: &zkevm_evm_spec::witness::TxContext) -> alloy_primitives::U256 {
    alloy_primitives::U256::from(blob_gas(env.blob_hashes.len()))
        * alloy_primitives::U256::from(env.blob_base_fee)
}

/// The blob gas of a transaction carrying `blobs` blobs (EIP-4844).
fn blob_gas(blobs: usize) -> u64 {
    (blobs as u64) * BLOB_GAS_PER_BLOB
}

/// The access list of the transaction a state-test expectation runs, if it has one.
fn access_list<'a>(
    case: &'a zkevm_evm_spec::fixture::StateTest,
    post: &zkevm_evm_spec::fixture::PostEntry,
) -> Option<&'a Vec<zkevm_evm_spec::fixture::AccessEntry>> {
    (case.tx.access_lists.as_ref()).and_then(|lists| lists.get(post.data_index))
}

/// An account as the transaction's frame sees it when it starts: the pre-state once the
/// envelope has bought the gas (`gas_limit · price` and the blob gas), bumped the sender's
/// nonce and moved the value, with a created account's nonce 1 and no code yet. (Also the
/// replay's account at any counter, and a failed transaction's final one before the unspent
/// gas goes back.)
struct AccountDuringExecution {
    balance: alloy_primitives::U256,
    nonce: u64,
    code: alloy_primitives::Bytes,
}

impl AccountDuringExecution {
    /// Empty as EIP-161 defines it: no nonce, no balance, no code.
    fn is_empty(&self) -> bool {
        self.nonce == 0 && self.balance.is_zero() && self.code.is_empty()
    }
}

fn account_during_execution(
    address: &alloy_primitives::Address,
    case: &zkevm_evm_spec::fixture::StateTest,
    env: &zkevm_evm_spec::witness::TxContext,
    created: Option<alloy_primitives::Address>,
) -> Result<AccountDuringExecution, String> {
    let mut account = account_once_gas_bought(address, case, env)?;
    if *address == env.origin {
        account.balance = (account.balance.checked_sub(env.value))
            .ok_or_else(|| format!("the sender {address} cannot pay for the gas and value"))?;
    }
    if Some(*address) == env.to || Some(*address) == created {
        account.balance = (account.balance.checked_add(env.value))
            .ok_or_else(|| format!("the balance of {address} overflows"))?;
    }
    if Some(*address) == created {
        account.nonce = 1;
        account.code = Default::default();
    }
    Ok(account)
}

/// An account as the pre-state holds it once the envelope has bought the gas (`gas_limit ·
/// price` and the blob gas) and bumped the sender's nonce: what a failed transaction leaves,
/// before the unspent gas goes back.
fn account_once_gas_bought(
    address: &alloy_primitives::Address,
    case: &zkevm_evm_spec::fixture::StateTest,
    env: &zkevm_evm_spec::witness::TxContext,
) -> Result<AccountDuringExecution, String> {
    use alloy_primitives::U256;
    let pre = case.pre.get(address);
    let mut account = AccountDuringExecution {
        balance: pre.map_or(U256::ZERO, |a| a.balance),
        nonce: pre.map_or(0, |a| a.nonce),
        code: pre.map(|a| a.code.clone()).unwrap_or_default(),
    };
    if *address == env.origin {
        let bought = U256::from(env.gas_limit) * U256::from(env.gas_price) + blob_fee(env);
        account.balance = (account.balance.checked_sub(bought))
            .ok_or_else(|| format!("the sender {address} cannot pay for the gas"))?;
        account.nonce = account.nonce.saturating_add(1);
    }
    Ok(account)
}

/// Accounts as the statement's transfers and creations leave them during execution: each
/// moving transfer (a call's, a create's or a SELFDESTRUCT's sweep) applies from its counter
/// on, for good if kept, else until its `end` (its failed callee's end, or that of the
/// failing frame around it, undoes it); each
/// creation bumps its creator's nonce and gives the new account nonce 1 (and, from its end,
/// the code it deployed): the bump for good unless the end of a failing frame around the
/// create undoes it, the account for good if the create succeeded (init code and deposit)
/// and no such frame undoes it, else until its end or that frame's (a collided creation
/// makes no account: only the bump). A read at counter `c` sees the effects of earlier counters still in
/// effect. EIP-6780: a SELFDESTRUCT of an account the transaction created, to itself, burns
/// the balance, and the account is deleted after execution (unless a failing frame's end
/// undoes the SELFDESTRUCT: a sweep not kept).
struct Replay<'a> {
    case: &'a zkevm_evm_spec::fixture::StateTest,
    env: &'a zkevm_evm_spec::witness::TxContext,
    created: Option<alloy_primitives::Address>,
    transfers: &'a [zkevm_air::call::Transfer],
    creations: &'a [zkevm_air::call::Creation],
}

impl Replay<'_> {
    /// `address` just before counter `ctr` (`u64::MAX`: after execution, the kept transfers
    /// alone).
    fn account_at(
        &self,
        address: &alloy_primitives::Address,
        ctr: u64,
    ) -> Result<AccountDuringExecution, String> {
        // (After execution, an account a SELFDESTRUCT destroyed is gone: EIP-6780.)
        if ctr == u64::MAX && self.destroyed(address) {
            return Ok(AccountDuringExecution {
                balance: Default::default(),
                nonce: 0,
                code: Default::default(),
            });
        }
        let mut account = account_during_execution(address, self.case, self.env, self.created)?;
        let in_effect = |t: &&zkevm_air::call::Transfer| {
            t.kind.moves() && (t.ctr as u64) < ctr && (t.kept || ctr < t.end as u64)
        };
        for c in self.creations.iter().filter(|c| (c.ctr as u64) < ctr) {
            if Address::from(c.creator) == *address && c.nonce_bumped_at(ctr) {
                account.nonce = account.nonce.saturating_add(1);
            }
            let exists = Address::from(c.address) == *address && c.account_exists_at(ctr);
            if exists {
                account.nonce = 1;
            }
            // (Its code is deposited at its end.)
            if exists && c.success && ctr > c.end as u64 {
                account.code = c.code.clone().into();
            }
        }
        for t in self.transfers.iter().filter(in_effect) {
            if Address::from(t.from) == *address {
                account.balance = (account.balance.checked_sub(t.value)).ok_or_else(|| {
                    format!("the transfer at counter {} overdraws {address}", t.ctr)
                })?;
            }
            if Address::from(t.to) == *address && !self.burns(t) {
                account.balance = (account.balance.checked_add(t.value))
                    .ok_or_else(|| format!("the balance of {address} overflows"))?;
            }
        }
        Ok(account)
    }

    /// Whether the transaction created `address` before counter `ctr`: it is the creation
    /// transaction's account, or a create that succeeded (its init code and its deposit) made
    /// it, and no failing frame's end has undone it by then.
    fn created_before(&self, address: &alloy_primitives::Address, ctr: u64) -> bool {
        Some(*address) == self.created
            || (self.creations.iter()).any(|c| {
                c.success && c.account_exists_at(ctr) && Address::from(c.address) == *address
            })
    }

    /// Whether `transfer` is the SELFDESTRUCT of an account the transaction created, to
    /// itself: EIP-6780 burns the balance instead of keeping it.
    fn burns(&self, transfer: &zkevm_air::call::Transfer) -> bool {
        let from = Address::from(transfer.from);
        transfer.kind == TransferKind::Sweep
            && transfer.from == transfer.to
            && self.created_before(&from, transfer.ctr as u64)
    }

    /// Whether a SELFDESTRUCT of `address` ran after the transaction created it: EIP-6780
    /// deletes the account (balance, nonce, code and storage) at the transaction's end, with
    /// whatever it received after the SELFDESTRUCT. (Not one a failing frame's end undid:
    /// a sweep not kept.)
    fn destroyed(&self, address: &alloy_primitives::Address) -> bool {
        (self.transfers.iter()).any(|t| {
            t.kind == TransferKind::Sweep
                && t.kept
                && Address::from(t.from) == *address
                && self.created_before(address, t.ctr as u64)
        })
    }
}

/// Replays the statement's transfers (calls moving value, SELFDESTRUCTs' sweeps) in execution
/// order on the balances during execution ([`Replay`]): each caller's balance covers its
/// value (a sweep's is the whole balance; a short call's or create's does not cover it; a halting call's
/// is not checked, as the EVM checks none before the gas), each `fresh` is whether the target
/// was empty (EIP-161) just then (for a sweep: and the value not zero), and a kept transfer
/// moves the value for good (a halting or short call's moves nothing). (Where the parties'
/// balances end is [`check_post_state`]'s.)
fn check_transfers(statement: &Statement, replay: &Replay) -> Result<(), String> {
    let case = replay.case;
    for transfer in &statement.transfers {
        let (from, to) = (Address::from(transfer.from), Address::from(transfer.to));
        // (A create short of its value or halting on its costs names no account it sends to.)
        let no_target = matches!(
            transfer.kind,
            TransferKind::ShortCreate | TransferKind::HaltedCreate
        );
        if no_target && to != Address::ZERO {
            return Err(format!(
                "the create at counter {} names an account it computed no address for",
                transfer.ctr
            ));
        }
        let ctr = transfer.ctr as u64;
        let (sender, target) = (replay.account_at(&from, ctr)?, replay.account_at(&to, ctr)?);
        let sweep = matches!(
            transfer.kind,
            TransferKind::Sweep | TransferKind::HaltedSweep
        );
        // A SELFDESTRUCT pays for a new account only when it sends something.
        let step = match sweep {
            true => "SELFDESTRUCT",
            false => "call",
        };
        let pays_new = target.is_empty() && !(sweep && transfer.value.is_zero());
        // A halting call's or SELFDESTRUCT's `fresh` only adds to the costs it shows it cannot
        // pay: it may leave out the new account's (the step may fall short of less). A create
        // pays nothing for the account it brings into being.
        let halted = matches!(
            transfer.kind,
            TransferKind::Halted | TransferKind::HaltedSweep
        );
        let checked = transfer.fresh || !halted;
        let pays_new = pays_new && !matches!(transfer.kind, TransferKind::Create) && !no_target;
        if checked && transfer.fresh != pays_new {
            return Err(format!(
                "the {step} at counter {} claims {to} {}empty",
                transfer.ctr,
                if transfer.fresh { "" } else { "not " }
            ));
        }
        let covered = sender.balance >= transfer.value;
        match transfer.kind {
            TransferKind::Call | TransferKind::Sweep | TransferKind::Create if !covered => {
                return Err(format!(
                    "the {step} at counter {} moves more value than {from} holds",
                    transfer.ctr
                ))
            }
            TransferKind::Short | TransferKind::ShortCreate if covered => {
                return Err(format!(
                    "the {} at counter {} claims {from}'s balance short of its value",
                    if no_target { "create" } else { "call" },
                    transfer.ctr
                ))
            }
            // (A short CALL's target is `to`: one delegated by EIP-7702 costs its delegate's
            // access too, which the proof leaves out. A short CALLCODE's claim names the
            // caller twice, not its target: any delegated account might be that.)
            TransferKind::Short if is_delegated(&case.pre, &to) => {
                return Err(format!(
                    "the call at counter {} short of its value targets {to}, delegated by \
                     EIP-7702",
                    transfer.ctr
                ))
            }
            TransferKind::Short if from == to && any_delegated(&case.pre) => {
                return Err(format!(
                    "the call at counter {} short of its value, from {from} to itself, where \
                     an account is delegated by EIP-7702",
                    transfer.ctr
                ))
            }
            _ => {}
        }
        if sweep && sender.balance != transfer.value {
            return Err(format!(
                "the SELFDESTRUCT at counter {} does not send {from}'s whole balance",
                transfer.ctr
            ));
        }
    }
    Ok(())
}

/// Whether an account holds an address, so that a create there collides: it has code, a
/// nonce or storage (EIP-7610).
fn holds_account(nonce: u64, code: &[u8], has_storage: bool) -> bool {
    nonce != 0 || !code.is_empty() || has_storage
}

/// Checks the statement's creations in execution order: each address is the one its creator
/// derives then (CREATE: from its nonce, as the creations before replay it; CREATE2: from the
/// salt and the init code's hash, which the statement's codes give, or a collided creation
/// itself), and was free (no code, no nonce and no storage), unless the creation claims it
/// collided there, which the address then must not be.
fn check_creations(statement: &Statement, replay: &Replay) -> Result<(), String> {
    for c in &statement.creations {
        let creator = Address::from(c.creator);
        let nonce = replay.account_at(&creator, c.ctr as u64)?.nonce;
        let expected = match c.create2 {
            true => {
                let listed = statement.codes.get(c.code_position as usize);
                let init_code = (c.collided.as_ref().or(listed))
                    .ok_or("a creation's init code outside the code list")?;
                creator.create2(c.salt.to_be_bytes::<32>(), init_code.hash)
            }
            false => creator.create(nonce),
        };
        // (At the nonce limit the EVM creates nothing: EIP-2681.)
        if nonce == u64::MAX {
            return Err(format!(
                "the creation at counter {} by {creator}, whose nonce is at its limit",
                c.ctr
            ));
        }
        let address = Address::from(c.address);
        if address != expected {
            return Err(format!(
                "the creation at counter {} claims {address}; its creator derives {expected}",
                c.ctr
            ));
        }
        if let Some(why) = c.refused_code().filter(|_| c.success) {
            return Err(format!("the creation at counter {} deploys {why}", c.ctr));
        }
        let there = replay.account_at(&address, c.ctr as u64)?;
        let storage = (replay.case.pre.get(&address)).is_some_and(|a| !a.storage.is_empty());
        let taken = holds_account(there.nonce, &there.code, storage);
        if taken != c.collided.is_some() {
            return Err(match taken {
                true => format!(
                    "the creation at counter {} collides with the account at {address}",
                    c.ctr
                ),
                false => format!(
                    "the creation at counter {} claims a collision at {address}, which is free",
                    c.ctr
                ),
            });
        }
    }
    Ok(())
}

/// Checks the statement's account accesses: each account's warmth before execution is the
/// transaction's (sender, recipient or created account, coinbase, precompiles, access list),
/// and each BALANCE, EXTCODESIZE, EXTCODEHASH and SELFBALANCE value is the account's at the
/// step's counter ([`Replay`]).
fn check_accounts(
    statement: &Statement,
    replay: &Replay,
    post: &zkevm_evm_spec::fixture::PostEntry,
    authorized: bool,
) -> Result<(), String> {
    use alloy_primitives::U256;
    let (case, env, created) = (replay.case, replay.env, replay.created);
    if statement.accounts.is_empty() && statement.account_reads.is_empty() {
        return Ok(());
    }
    // Authorizations (EIP-7702) change codes, nonces and warmth before execution (not
    // balances: SELFBALANCE stays as the replay gives it).
    let beyond_balance =
        (statement.account_reads.iter()).any(|r| r.0 != zkevm_air::evm::SELFBALANCE);
    if authorized && (beyond_balance || !statement.accounts.is_empty()) {
        return Err("account reads after EIP-7702 authorizations are not proven yet".into());
    }
    let listed = access_list(case, post);
    // (revm loads a delegated recipient's delegate before the frame starts, at no cost: it
    // is warm from then on.)
    let delegate = recipient_delegate(case, env.to);
    let warm = |a: &Address| {
        *a == env.origin
            || Some(*a) == env.to
            || Some(*a) == delegate
            || Some(*a) == created
            || *a == env.coinbase
            || zkevm_evm_spec::exec::is_precompile(a)
            || listed.is_some_and(|list| list.iter().any(|e| e.address == *a))
    };
    for account in &statement.accounts {
        let address = Address::from(zkevm_air::storage::address_bytes(&account.address));
        if account.prewarm != warm(&address) {
            return Err(format!(
                "account {address}: warmth disagrees with the transaction"
            ));
        }
    }
    for (opcode, key, value, ctr) in &statement.account_reads {
        let address = Address::from(zkevm_air::storage::address_of_word(key));
        let account = replay.account_at(&address, *ctr)?;
        let expected = match opcode {
            0x31 | 0x47 => account.balance,
            0x3b => U256::from(account.code.len()),
            0x3f if account.is_empty() => U256::ZERO,
            0x3f => U256::from_be_bytes(alloy_primitives::keccak256(&account.code).0),
            _ => return Err(format!("an account read of opcode 0x{opcode:02x}")),
        };
        if *value != expected {
            return Err(format!(
                "opcode 0x{opcode:02x} of {address}: the statement's value is not the fixture's"
            ));
        }
    }
    Ok(())
}

/// How the transaction settles around its frame, for [`check_post_state`].
struct Settlement<'a> {
    /// Its frame failed (or a creation's deposit did): the frame's effects are all undone.
    failed: bool,
    /// The gas the sender pays for (`exec::tx_gas_used`: after the capped refund, at least the
    /// EIP-7623 floor).
    gas_used: u64,
    /// The refund counted in `gas_used` (for the error message).
    refund: u64,
    /// The code a creation transaction deposits at its account.
    deposit: Option<&'a [u8]>,
    /// EIP-7702 authorizations refund gas of their own, which the proof does not carry.
    authorized: bool,
    /// The accounts the transaction's EIP-7702 authorizations may change before execution
    /// (nonce and code; `exec::authorities`), once per authorization each signed.
    authorities: Vec<Address>,
    /// Accounts the statement names beyond its transfers, creations and storage: call
    /// targets and accessed accounts.
    named: std::collections::BTreeSet<Address>,
}

/// Empty as EIP-161 defines it: no nonce, no balance, no code (storage aside).
fn is_empty(account: &zkevm_evm_spec::fixture::AccountState) -> bool {
    account.nonce == 0 && account.balance.is_zero() && account.code.is_empty()
}

/// Checks every account of the pre- and post-state, and every one the statement names,
/// against what the proven execution leaves: the replay's balance, nonce and code after
/// execution ([`Replay`]: the kept transfers and creations, and the envelope: gas bought,
/// sender's nonce bumped, value moved), or the pre-state with only the gas bought and the
/// nonce bumped if the transaction failed; then the unspent gas back to the sender at the
/// transaction's price, the tip (`gas_used · (price − base fee)`) to the coinbase, the
/// deposit at a creation transaction's account, and each frame account's storage as the
/// proven writes leave it (`storage`; any other account's is its pre-state's).
///
/// Which accounts exist: one the post-state leaves out must end empty (EIP-161 deletes a
/// touched empty account, storage and all), and must not be an empty pre-state account the
/// transaction cannot have touched (untouched, it stays). The post-state must not hold a
/// SELFDESTRUCTed new account (EIP-6780), an empty account the pre-state lacks (none comes
/// into being: a created one has nonce 1, one a call touches is deleted), nor an empty account
/// the transaction surely touched (the coinbase, by the fee payment; if it succeeded, its
/// recipient and every kept transfer's target). Which accounts the transaction touches is
/// over-approximated by every one the statement names, so an empty account it only read
/// may be dropped unnoticed.
///
/// With EIP-7702 authorizations, the authorities' nonces and codes are only bounded (they
/// change before execution, which the proof does not carry): a nonce at most one more per
/// authorization signed, a code its own, none or a delegation designator. The sender's and
/// the coinbase's balances are not compared (the authorizations refund gas of their own).
fn check_post_state(
    replay: &Replay,
    post: &zkevm_evm_spec::fixture::WorldState,
    storage: &std::collections::BTreeMap<
        Address,
        std::collections::BTreeMap<alloy_primitives::U256, alloy_primitives::U256>,
    >,
    settlement: &Settlement,
) -> Result<(), String> {
    use alloy_primitives::U256;
    let (case, env) = (replay.case, replay.env);
    // Every account the transaction may touch (and EIP-161 then delete, if it ends empty):
    // more than it does touch (an account a BALANCE only reads is not touched), never fewer.
    let mut touchable = settlement.named.clone();
    touchable.extend([env.origin, env.coinbase]);
    touchable.extend(env.to.into_iter().chain(replay.created));
    touchable.extend(storage.keys().copied());
    for t in replay.transfers {
        touchable.extend([Address::from(t.from), Address::from(t.to)]);
    }
    for c in replay.creations {
        touchable.extend([Address::from(c.creator), Address::from(c.address)]);
    }
    // Accounts the transaction surely touches, so EIP-161 deletes them if they end empty: the
    // coinbase (the fee payment), and if the transaction succeeded its recipient (its value
    // moves, zero or not) and every kept transfer's target.
    let mut certainly_touched = std::collections::BTreeSet::from([env.coinbase]);
    if !settlement.failed {
        certainly_touched.extend(env.to);
        let kept = replay.transfers.iter().filter(|t| t.kept && t.kind.moves());
        certainly_touched.extend(kept.map(|t| Address::from(t.to)));
    }
    let mut addresses: std::collections::BTreeSet<Address> =
        case.pre.keys().chain(post.keys()).copied().collect();
    addresses.extend(touchable.iter().copied());
    let Settlement {
        failed,
        gas_used,
        refund,
        deposit,
        authorized,
        ..
    } = *settlement;
    let unspent = (env.gas_limit.checked_sub(gas_used))
        .ok_or_else(|| format!("the transaction uses {gas_used} gas, above its limit"))?;
    let price = U256::from(env.gas_price);
    let tip_per_gas = U256::from(env.gas_price.saturating_sub(u128::from(env.base_fee)));
    // The sender first: a fee other than the proven gas's is reported as the sender's, not as
    // the coinbase's tip that the same gas gives.
    addresses.remove(&env.origin);
    for address in std::iter::once(&env.origin).chain(&addresses) {
        let mut expected = match failed {
            true => account_once_gas_bought(address, case, env)?,
            false => replay.account_at(address, u64::MAX)?,
        };
        let destroyed = !failed && replay.destroyed(address);
        // (revm's `incr_balance` leaves a balance that would overflow as it was.)
        let credit = |balance: U256, amount: U256| balance.checked_add(amount).unwrap_or(balance);
        if *address == env.origin {
            expected.balance = credit(expected.balance, U256::from(unspent) * price);
        }
        // (A SELFDESTRUCTed new account is deleted at the end, the tip paid to it with it.)
        if *address == env.coinbase && !destroyed {
            expected.balance = credit(expected.balance, U256::from(gas_used) * tip_per_gas);
        }
        if Some(*address) == replay.created && !failed && !destroyed {
            expected.code = deposit.map(|code| code.to_vec().into()).unwrap_or_default();
        }
        let pre = case.pre.get(address);
        let Some(actual) = post.get(address) else {
            // An empty account the transaction does not touch stays (EIP-161 deletes only
            // touched ones).
            let untouched_empty = pre.is_some_and(is_empty) && !touchable.contains(address);
            if untouched_empty {
                return Err(format!(
                    "the post-state drops {address}, an empty account the transaction does \
                     not touch"
                ));
            }
            if expected.is_empty() {
                continue;
            }
            return Err(format!(
                "the proven execution leaves an account at {address} (nonce {}, balance {}, \
                 {} code bytes), which the post-state's does not hold",
                expected.nonce,
                expected.balance,
                expected.code.len()
            ));
        };
        // What EIP-161 and EIP-6780 delete: a SELFDESTRUCTed new account, the coinbase the fee
        // payment touched if it ends empty; and no transaction brings an empty account into
        // being (a created one has nonce 1; one a call touches is deleted).
        if destroyed {
            return Err(format!(
                "the post-state holds {address}, which a SELFDESTRUCT of the transaction deletes"
            ));
        }
        if is_empty(actual)
            && (pre.is_none() || (certainly_touched.contains(address) && expected.is_empty()))
        {
            return Err(format!(
                "the post-state holds an empty account at {address}, which EIP-161 deletes"
            ));
        }
        let settles_fee = *address == env.origin || *address == env.coinbase;
        if actual.balance != expected.balance && !(authorized && settles_fee) {
            return Err(match *address == env.origin {
                true => format!(
                    "the sender paid other than the proven gas ({gas_used}, refund {refund}) \
                     and transfers give: it ends with {}, not the post-state's {}",
                    expected.balance, actual.balance
                ),
                false => format!(
                    "the proven execution leaves {address} a balance of {}, not the \
                     post-state's {}",
                    expected.balance, actual.balance
                ),
            });
        }
        // An authority's nonce grows by at most one per authorization it signed, and its code
        // is its own or a delegation designator (none, for one delegating to the zero address).
        let signed = (settlement.authorities.iter())
            .filter(|a| *a == address)
            .count() as u64;
        let authority = signed > 0;
        if authority
            && (actual.nonce < expected.nonce
                || actual.nonce - expected.nonce > signed
                || !(actual.code == expected.code
                    || actual.code.is_empty()
                    || delegate_of(&actual.code).is_some()))
        {
            return Err(format!(
                "the post-state's nonce or code of {address} is not one its authorizations give"
            ));
        }
        if !authority && actual.nonce != expected.nonce {
            return Err(format!(
                "the proven execution leaves {address} nonce {}, not the post-state's {}",
                expected.nonce, actual.nonce
            ));
        }
        if !authority && actual.code != expected.code {
            return Err(format!(
                "the proven execution leaves {address} code other than the post-state's"
            ));
        }
        let pre_storage = || pre.map(|a| a.storage.clone());
        let expected_storage = match destroyed {
            true => Default::default(),
            false => (storage.get(address).cloned().or_else(pre_storage)).unwrap_or_default(),
        };
        if actual.storage != expected_storage {
            return Err(format!(
                "the proven storage writes do not give {address}'s post-state"
            ));
        }
    }
    Ok(())
}

/// Checks a verified statement's claims against a state test: the EVM accepts the
/// transaction (revm's validity checks on the pre-state, [`zkevm_evm_spec::exec::validity`],
/// and the fixture expects it to run), the executed code is the called account's, the frame's entry gas the transaction's limit less its intrinsic gas,
/// the context values and calldata are the transaction's and block's, every slot's value
/// before is the pre-state's and its warmth the access list's, the logs (none, if the frame
/// failed) hash to the fixture's, each account read is the account as the replay gives it
/// ([`check_accounts`]), each creation's address is its creator's and was free (taken, for
/// one claimed collided; [`check_creations`]), the calls' transfers replay on the balances
/// during execution ([`check_transfers`]), a creation transaction deposits the code its frame
/// RETURNed (the statement's output) unless the EVM refuses that code or the gas left cannot
/// pay 200 a byte for it, which fails the transaction with all its gas spent, and the whole
/// post-state, account by account, is what the proven execution and the transaction's
/// envelope leave ([`check_post_state`]: balances, nonces, codes and storage, the fee and the
/// coinbase's tip included).
pub fn check_state(
    statement: &Statement,
    case: &zkevm_evm_spec::fixture::StateTest,
    post: &zkevm_evm_spec::fixture::PostEntry,
) -> Result<(), String> {
    use alloy_primitives::Address;
    use zkevm_air::storage::word_of;
    use zkevm_evm_spec::witness::Word;
    let address = Address::from(statement.address);
    let slot_in = |state: &zkevm_evm_spec::fixture::WorldState, owner: &Address, key: &Word| {
        state
            .get(owner)
            .and_then(|a| a.storage.get(key))
            .copied()
            .unwrap_or_default()
    };
    let list = access_list(case, post);
    let listed = |owner: &Address, key: &Word| {
        list.is_some_and(|list| {
            list.iter().any(|e| {
                e.address == *owner
                    && e.storage_keys
                        .iter()
                        .any(|k| Word::from_be_bytes(k.0) == *key)
            })
        })
    };
    if let Some(why) = unproven_delegation(case, post) {
        return Err(format!("{why} is not proven yet"));
    }
    let tx = zkevm_evm_spec::exec::state_test_tx(case, post).map_err(|e| e.to_string())?;
    let chain = zkevm_evm_spec::runner::chain_config(case);
    // A transaction the EVM rejects runs nothing, so no proof of a frame is its: not one the
    // fixture expects rejected (the runner leaves those out), nor one revm's own validity
    // checks refuse on the pre-state ([`zkevm_evm_spec::exec::validity`]).
    if let Some(exception) = &post.expect_exception {
        return Err(format!(
            "the fixture expects the transaction rejected ({exception})"
        ));
    }
    zkevm_evm_spec::exec::validity(&case.pre, &case.env, &chain, tx.clone())
        .map_err(|why| format!("the EVM rejects the transaction: {why}"))?;
    // The sender's most cost, exactly (`gas_limit` at the highest fee, the value, the blob gas
    // at the highest blob fee): revm's check saturates the blob fee in 128 bits.
    let most = alloy_primitives::U256::from(tx.gas_limit)
        * alloy_primitives::U256::from(tx.gas_price)
        + alloy_primitives::U256::from(blob_gas(tx.blob_hashes.len()))
            * alloy_primitives::U256::from(tx.max_fee_per_blob_gas);
    let balance_before =
        (case.pre.get(&tx.caller)).map_or(alloy_primitives::U256::ZERO, |a| a.balance);
    if most
        .checked_add(tx.value)
        .is_none_or(|most| balance_before < most)
    {
        return Err("the sender cannot afford the transaction's most cost".into());
    }
    // The frame's entry gas is the transaction's: otherwise a prover could start the frame
    // short of gas and prove it halting out of gas where it ran to its end.
    if zkevm_evm_spec::exec::frame_gas(&tx) != Some(statement.gas) {
        return Err("the frame's gas is not the transaction's limit less its intrinsic gas".into());
    }
    let env = zkevm_evm_spec::exec::tx_context(&case.env, &chain, &tx);
    // A call runs the recipient's code on the transaction's data (a recipient delegated by
    // EIP-7702 its delegate's pre-state code, as revm loads it; `unproven_delegation` has
    // refused a delegate that is itself delegated);
    // a creation runs the data as init code, with empty calldata, at the address derived
    // from the sender and its nonce.
    let (expected_address, code, calldata) = match env.to {
        // (revm runs a precompile's logic for a transaction sent to it: no code of ours.)
        Some(to) if zkevm_evm_spec::exec::is_precompile(&to) => {
            return Err(format!("the transaction is sent to the precompile {to}"));
        }
        Some(to) => {
            let runs = recipient_delegate(case, Some(to)).unwrap_or(to);
            let code = case
                .pre
                .get(&runs)
                .map(|a| a.code.to_vec())
                .unwrap_or_default();
            (to, code, env.data.to_vec())
        }
        None => (
            env.origin.create(case.tx.nonce),
            env.data.to_vec(),
            Vec::new(),
        ),
    };
    let created = env.to.is_none().then_some(expected_address);
    // (A creation transaction whose address is taken collides before any code runs: revm
    // reports no execution then, so a proof of one is not this transaction's.)
    if let Some(account) = created.and_then(|a| case.pre.get(&a)) {
        if holds_account(account.nonce, &account.code, !account.storage.is_empty()) {
            return Err(format!(
                "the transaction creates at {expected_address}, which an account holds"
            ));
        }
    }
    // A creation transaction deposits the code its frame RETURNed (the statement's output,
    // which the Output component binds), as revm's `return_create` does: code the EVM refuses
    // (EIP-170's size, EIP-3541's 0xef) or gas left short of 200 a byte fails the
    // transaction, all its gas spent; otherwise the deposit's gas comes off the gas left.
    let deposit = (created.is_some() && !statement.failed() && !statement.output.is_empty())
        .then_some(&statement.output[..]);
    let deposit_gas = deposit.map_or(0, |code| code.len() as u64 * DEPOSIT_GAS_PER_BYTE);
    let deposit_fails = deposit.is_some_and(|code| {
        zkevm_air::call::refused_code(code).is_some() || statement.gas_left < deposit_gas
    });
    let failed = statement.failed() || deposit_fails;
    let gas_left = match deposit_fails {
        true => 0,
        false => statement.gas_left - deposit_gas,
    };
    if address != expected_address {
        return Err("the statement's account is not the transaction's recipient".into());
    }
    if *statement.code() != CodeHash::of(&code) {
        return Err("the proven code hash is not the code the transaction runs".into());
    }
    if statement.calldata != calldata {
        return Err("the statement's calldata is not the transaction's".into());
    }
    let blob_hashes: Vec<Word> = (env.blob_hashes.iter())
        .map(|h| Word::from_be_bytes(h.0))
        .collect();
    if statement.blob_hashes != blob_hashes {
        return Err("the statement's blob hashes are not the transaction's".into());
    }
    let word_of_address = |a: &alloy_primitives::Address| Word::from_be_slice(a.as_slice());
    for (op, value) in &statement.context {
        let expected = match op {
            0x30 => word_of_address(&address),
            0x32 | 0x33 => word_of_address(&env.origin),
            0x34 => env.value,
            0x36 => Word::from(calldata.len()),
            0x38 => Word::from(code.len()),
            0x3a => Word::from(env.gas_price),
            0x41 => word_of_address(&env.coinbase),
            0x42 => env.timestamp,
            0x43 => env.number,
            0x44 => Word::from_be_bytes(env.prevrandao.0),
            0x45 => Word::from(env.block_gas_limit),
            0x46 => Word::from(env.chain_id),
            0x48 => Word::from(env.base_fee),
            0x4a => Word::from(env.blob_base_fee),
            _ => {
                return Err(format!(
                    "the statement claims a value for opcode 0x{op:02x}"
                ))
            }
        };
        if *value != expected {
            return Err(format!(
                "opcode 0x{op:02x}: the statement's value is not the fixture's"
            ));
        }
    }
    let authorized = !tx.authorization_list.is_empty();
    let replay = Replay {
        case,
        env: &env,
        created,
        transfers: &statement.transfers,
        creations: &statement.creations,
    };
    // Authorizations (EIP-7702) change codes and nonces before execution (a short call to
    // itself may have run into a delegated target: see `check_transfers`).
    let short_to_itself =
        |t: &zkevm_air::call::Transfer| t.kind == TransferKind::Short && t.from == t.to;
    if authorized && statement.transfers.iter().any(short_to_itself) {
        return Err("a short call to itself in a transaction with EIP-7702 authorizations".into());
    }
    if authorized && !statement.creations.is_empty() {
        return Err("creations in a transaction with EIP-7702 authorizations".into());
    }
    check_creations(statement, &replay)?;
    check_accounts(statement, &replay, post, authorized)?;
    check_transfers(statement, &replay)?;
    // Each call target runs, and each EXTCODECOPY address holds, its pre-state code (an
    // authorization could change it first), or the code a creation deployed there (a call
    // target's).
    if authorized && !(statement.call_codes.is_empty() && statement.ext_codes.is_empty()) {
        return Err("calls or EXTCODECOPY in a transaction with EIP-7702 authorizations".into());
    }
    // EXTCODECOPY copies the account's own code: a precompile's account's (not the logic a
    // call runs), an EIP-7702 designator (not the code it designates). (An address a
    // creation deployed code at is refused when parsing.)
    let code_of = |address: &Address| {
        (case.pre.get(address))
            .map(|a| a.code.clone())
            .unwrap_or_default()
    };
    for (address, position, _) in &statement.ext_codes {
        let address = Address::from(*address);
        let code = code_of(&address);
        // (A position outside the code list is refused when parsing; here too, for
        // statements that were not parsed.)
        let proven = match *position {
            zkevm_air::evm::NO_CODE => None,
            p => Some(statement.codes.get(p as usize)),
        };
        match (code.is_empty(), proven) {
            (true, None) => {}
            (false, Some(Some(hash))) if *hash == CodeHash::of(&code) => {}
            _ => {
                return Err(format!(
                    "EXTCODECOPY of {address}: the proven code is not its pre-state code"
                ))
            }
        }
    }
    for (target, position, _) in &statement.call_codes {
        let deployed = statement.deployment_at(target);
        let target = Address::from(*target);
        // Code a creation deployed: the target's from the creation's end (the bus message
        // says so, and the call shows it comes after). Before it the address held no code
        // (the creation found it free: `check_creations`), which the message says with
        // `before`, and the call shows it comes before.
        if let Some(creation) = deployed {
            if statement.undone_deployment_at(&target.into_array()) {
                return Err(format!(
                    "call target {target}: code a create under a failing frame deployed (not proven yet)"
                ));
            }
            if *position == zkevm_air::evm::NO_CODE {
                continue;
            }
            let runs = (statement.codes.get(*position as usize)).copied();
            if runs != Some(CodeHash::of(&creation.code)) {
                return Err(format!(
                    "call target {target}: the proven code is not the code deployed there"
                ));
            }
            continue;
        }
        // A precompile runs its own logic, whatever code its account holds.
        if zkevm_evm_spec::exec::is_precompile(&target) {
            return Err(format!("call target {target} is a precompile"));
        }
        let own_code = code_of(&target);
        // A target delegated by EIP-7702 runs its delegate's pre-state code: the designator
        // must name that delegate, which must not be delegated itself (revm runs no code it
        // records then) nor created by the transaction (its code would not be the
        // pre-state's).
        let code = match statement.delegate_of(&target.into_array()) {
            Some(delegate) => {
                let delegate = Address::from(delegate);
                if delegate_of(&own_code) != Some(delegate) {
                    return Err(format!(
                        "call target {target}: the proof runs {delegate}'s code, which its \
                         pre-state code does not delegate to"
                    ));
                }
                if is_delegated(&case.pre, &delegate) {
                    return Err(format!(
                        "call target {target} delegates to {delegate}, itself delegated (not \
                         proven yet)"
                    ));
                }
                if (statement.creations.iter()).any(|c| Address::from(c.address) == delegate) {
                    return Err(format!(
                        "call target {target} delegates to {delegate}, which the transaction \
                         creates (not proven yet)"
                    ));
                }
                code_of(&delegate)
            }
            None => own_code,
        };
        if *position == zkevm_air::evm::NO_CODE {
            if !code.is_empty() {
                return Err(format!(
                    "call target {target} has code; the proof runs none"
                ));
            }
            continue;
        }
        if code.is_empty() || code.starts_with(&DELEGATION_PREFIX) {
            return Err(format!(
                "call target {target} has no code of its own to run"
            ));
        }
        if statement.codes[*position as usize] != CodeHash::of(&code) {
            return Err(format!(
                "call target {target}: the proven code is not its pre-state code"
            ));
        }
    }
    // The frames' storage: the transaction's account's, the call targets' and the created
    // accounts'.
    let mut expected_post = std::collections::BTreeMap::new();
    let created_accounts = statement.creations.iter().map(|c| Address::from(c.address));
    for owner in std::iter::once(address)
        .chain((statement.call_codes.iter()).map(|(target, _, _)| Address::from(*target)))
        .chain(created_accounts)
    {
        let storage = (case.pre.get(&owner)).map(|a| a.storage.clone());
        expected_post.insert(owner, storage.unwrap_or_default());
    }
    for slot in &statement.storage {
        let key = word_of(&slot.key.1);
        let (pre, after) = (word_of(&slot.pre), word_of(&slot.post));
        let owner = Address::from(zkevm_air::storage::address_bytes(&slot.key.0));
        let Some(storage) = expected_post.get_mut(&owner) else {
            return Err(format!(
                "slot {key:#x} is not of a frame's account ({owner})"
            ));
        };
        if pre != slot_in(&case.pre, &owner, &key) {
            return Err(format!(
                "slot {key:#x} of {owner}: the statement's value before is not the pre-state's"
            ));
        }
        if slot.prewarm != listed(&owner, &key) {
            return Err(format!(
                "slot {key:#x} of {owner}: warmth disagrees with the access list"
            ));
        }
        // A failed transaction's frame drops every write, its callees' too.
        let committed = if failed { pre } else { after };
        if committed.is_zero() {
            storage.remove(&key);
        } else {
            storage.insert(key, committed);
        }
    }
    // An account a SELFDESTRUCT destroyed loses its storage with it.
    for (owner, storage) in expected_post.iter_mut() {
        if !failed && replay.destroyed(owner) {
            storage.clear();
        }
    }
    let refund = if failed { 0 } else { statement.refund };
    let settlement = Settlement {
        failed,
        gas_used: zkevm_evm_spec::exec::tx_gas_used(&tx, gas_left, refund),
        refund,
        deposit,
        authorized,
        authorities: zkevm_evm_spec::exec::authorities(&tx),
        named: (statement
            .call_codes
            .iter()
            .map(|(target, _, _)| Address::from(*target)))
        .chain(
            (statement.accounts.iter())
                .map(|a| Address::from(zkevm_air::storage::address_bytes(&a.address))),
        )
        .collect(),
    };
    check_post_state(&replay, &post.state, &expected_post, &settlement)?;
    // A failed frame's logs are dropped with its other effects (a failed callee's alone, the
    // transaction's with all).
    let logs: Vec<alloy_primitives::Log> = match failed {
        true => Vec::new(),
        false => (statement.logs.iter())
            .filter(|log| !log.reverted)
            .map(|log| {
                let topics = log.topics.iter().map(|t| t.to_be_bytes().into()).collect();
                let emitter = Address::from(log.address);
                alloy_primitives::Log::new_unchecked(emitter, topics, log.data.clone().into())
            })
            .collect(),
    };
    if zkevm_evm_spec::state::logs_hash(&logs) != post.logs_hash {
        return Err("the proven logs do not hash to the fixture's".into());
    }
    Ok(())
}
