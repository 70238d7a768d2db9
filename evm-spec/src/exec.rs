//! Executing one transaction with revm under Osaka rules, with or without an inspector.
//!
//! This module is the only place that builds revm's environment types; everything above it works
//! with the crate's own fixture types.

use crate::error::{Error, Result};
use crate::fixture::{BlobParams, BlockEnv, PostEntry, StateTest};
use crate::inspector::Tape;
use crate::rejection::Rejection;
use crate::state::MemDb;
use alloy_primitives::{Bytes, Log, TxKind, U256};
use revm::context::{BlockEnv as RevmBlock, CfgEnv, TxEnv};
use revm::context_interface::either::Either;
use revm::context_interface::result::{EVMError, ExecutionResult};
use revm::context_interface::transaction::{
    AccessList, AccessListItem, Authorization, SignedAuthorization,
};
use revm::handler::MainnetContext;
use revm::inspector::Inspector;
use revm::primitives::hardfork::SpecId;
use revm::{ExecuteEvm, InspectEvm, MainBuilder};

/// The revm context type our inspectors observe.
pub type EvmContext<'a> = MainnetContext<&'a mut MemDb>;

/// EIP-7594: at most 6 blobs per transaction from Osaka on.
const OSAKA_MAX_BLOBS_PER_TX: u64 = 6;

/// Chain-level configuration of an execution.
#[derive(Clone, Copy, Debug)]
pub struct ChainConfig {
    /// Chain id.
    pub chain_id: u64,
    /// Blob schedule of the fork, if given.
    pub blob_params: Option<BlobParams>,
    /// Override of the EIP-7825 transaction gas cap (`None` = Osaka's 2^24). Benchmark workloads
    /// disable it, as the figures in `workloads.json` were measured without it.
    pub tx_gas_limit_cap: Option<u64>,
}

/// How a transaction ended.
#[derive(Clone, Debug)]
pub enum Outcome {
    /// The transaction was valid and executed (successfully, reverted or halted).
    Executed {
        /// Whether execution succeeded.
        success: bool,
        /// Gas used by the transaction (after refunds).
        gas_used: u64,
        /// Return data (or revert data).
        output: Bytes,
        /// Logs emitted (empty unless `success`).
        logs: Vec<Log>,
        /// Human-readable status (`Stop`, `Revert`, `OutOfGas(..)`, …).
        status: String,
    },
    /// The transaction was rejected by validation; the state is unchanged.
    Invalid(Rejection),
}

fn revm_block(env: &BlockEnv, blob: Option<BlobParams>) -> RevmBlock {
    let mut block = RevmBlock {
        number: env.number,
        beneficiary: env.coinbase,
        timestamp: env.timestamp,
        gas_limit: env.gas_limit,
        basefee: env.base_fee,
        difficulty: env.difficulty,
        prevrandao: env.random,
        ..Default::default()
    };
    if let Some(excess) = env.excess_blob_gas {
        let fraction = blob
            .map(|b| b.update_fraction)
            .unwrap_or(revm::primitives::eip4844::BLOB_BASE_FEE_UPDATE_FRACTION_PRAGUE);
        block.set_blob_excess_gas_and_price(excess, fraction);
    }
    block
}

fn revm_cfg(chain: &ChainConfig) -> CfgEnv {
    let mut cfg = CfgEnv::new_with_spec(SpecId::OSAKA);
    cfg.chain_id = chain.chain_id;
    cfg.tx_gas_limit_cap = chain.tx_gas_limit_cap;
    let block_max = chain.blob_params.map(|b| b.max).unwrap_or(u64::MAX);
    cfg.max_blobs_per_tx = Some(block_max.min(OSAKA_MAX_BLOBS_PER_TX));
    if let Some(b) = chain.blob_params {
        cfg.blob_base_fee_update_fraction = Some(b.update_fraction);
    }
    cfg
}

/// An Osaka precompile's address (warm in every transaction, EIP-2929): revm's own set,
/// 0x01–0x11 and P256VERIFY (EIP-7951) at 0x100.
pub fn is_precompile(address: &alloy_primitives::Address) -> bool {
    revm::precompile::Precompiles::osaka().contains(address)
}

/// revm's context for executing a transaction in `block` on `chain` over `db` (Osaka rules):
/// the one execution and [`validity`] share, so that both check a transaction alike.
fn osaka_context<'a>(db: &'a mut MemDb, block: &BlockEnv, chain: &ChainConfig) -> EvmContext<'a> {
    EvmContext::new(db, SpecId::OSAKA)
        .with_block(revm_block(block, chain.blob_params))
        .with_cfg(revm_cfg(chain))
}

/// Runs revm's own validity checks of `tx` on the pre-state `pre`, without executing it: the
/// block header's prevrandao and excess blob gas, the fees against the base fee, the blobs'
/// count, versions and fee, a non-empty authorization list, the chain id, the gas limit
/// against the block's, EIP-7825's cap, the intrinsic gas and the EIP-7623 floor, the init
/// code's size, and the sender's nonce, code (EIP-3607) and balance; and one revm leaves to
/// the transaction's encoding: a blob or EIP-7702 transaction has a recipient. The reason
/// the EVM rejects the transaction, if it does. (revm deducts the fee and bumps the nonce in
/// its own journal over a copy of `pre`, which is dropped.)
pub fn validity(
    pre: &crate::fixture::WorldState,
    block: &BlockEnv,
    chain: &ChainConfig,
    tx: TxEnv,
) -> std::result::Result<(), String> {
    use revm::handler::{EthFrame, Handler, MainnetHandler};
    if matches!(tx.tx_type, 3 | 4) && tx.kind.is_create() {
        return Err("a blob or EIP-7702 transaction without a recipient".into());
    }
    let mut db = MemDb::new(pre.clone());
    let mut evm = osaka_context(&mut db, block, chain)
        .with_tx(tx)
        .build_mainnet();
    let handler = MainnetHandler::<_, EVMError<std::convert::Infallible>, EthFrame>::default();
    handler
        .validate(&mut evm)
        .map(|_| ())
        .map_err(|e| e.to_string())
}

/// The gas the transaction's first frame starts with: its gas limit less the intrinsic gas
/// (Osaka: base cost, calldata, access list, creation, authorizations). `None` if the limit
/// does not cover the intrinsic gas (the transaction is invalid and runs no frame).
pub fn frame_gas(tx: &TxEnv) -> Option<u64> {
    let initial = revm::context_interface::cfg::gas::calculate_initial_tx_gas_for_tx(
        tx,
        revm::primitives::hardfork::SpecId::OSAKA,
        None,
    );
    tx.gas_limit
        .checked_sub(initial.initial_regular_gas + initial.initial_state_gas)
}

/// The accounts a transaction's EIP-7702 authorizations may change (nonce and code): each
/// authorization's signer, recovered as revm recovers it. One revm would skip as invalid
/// (another chain, a stale nonce) is listed all the same, so the list holds every account
/// they change and perhaps more.
pub fn authorities(tx: &TxEnv) -> Vec<alloy_primitives::Address> {
    use revm::context_interface::transaction::AuthorizationTr;
    (tx.authorization_list.iter())
        .filter_map(|a| a.authority())
        .collect()
}

/// The gas a transaction is charged when its frame leaves `gas_left` and a refund counter of
/// `refund`: its limit less what is left, less the refund capped at a fifth of that (EIP-3529),
/// and at least its calldata floor (EIP-7623). A failed frame's refunds are dropped by the
/// caller (pass 0).
pub fn tx_gas_used(tx: &TxEnv, gas_left: u64, refund: u64) -> u64 {
    let initial = revm::context_interface::cfg::gas::calculate_initial_tx_gas_for_tx(
        tx,
        revm::primitives::hardfork::SpecId::OSAKA,
        None,
    );
    let spent = tx.gas_limit.saturating_sub(gas_left);
    (spent - refund.min(spent / 5)).max(initial.floor_gas)
}

/// Builds the revm transaction of one post entry of a state test. The transaction type follows
/// from which fields are present, as in the fixture's `txbytes`.
pub fn state_test_tx(case: &StateTest, post: &PostEntry) -> Result<TxEnv> {
    let t = &case.tx;
    let field = |name: &str, idx: usize| Error::Field {
        field: format!("transaction.{name}[{idx}]"),
        msg: "index out of range".into(),
    };
    let data = t
        .data
        .get(post.data_index)
        .ok_or_else(|| field("data", post.data_index))?;
    let gas_limit = *t
        .gas_limit
        .get(post.gas_index)
        .ok_or_else(|| field("gasLimit", post.gas_index))?;
    let value = *t
        .value
        .get(post.value_index)
        .ok_or_else(|| field("value", post.value_index))?;
    let mut tx = TxEnv {
        tx_type: 0,
        caller: t.sender,
        gas_limit,
        kind: t.to.map_or(TxKind::Create, TxKind::Call),
        value,
        data: data.clone(),
        nonce: t.nonce,
        chain_id: Some(case.chain_id),
        ..Default::default()
    };
    match (t.gas_price, t.max_fee_per_gas) {
        (_, Some(max_fee)) => {
            tx.tx_type = 2;
            tx.gas_price = max_fee;
            tx.gas_priority_fee = Some(t.max_priority_fee_per_gas.unwrap_or(0));
        }
        (Some(price), None) => tx.gas_price = price,
        (None, None) => {
            return Err(Error::Field {
                field: "transaction.gasPrice".into(),
                msg: "missing field (neither gasPrice nor maxFeePerGas given)".into(),
            })
        }
    }
    if let Some(lists) = &t.access_lists {
        if tx.tx_type == 0 {
            tx.tx_type = 1;
        }
        let list = lists.get(post.data_index).cloned().unwrap_or_default();
        tx.access_list = AccessList(
            list.into_iter()
                .map(|e| AccessListItem {
                    address: e.address,
                    storage_keys: e.storage_keys,
                })
                .collect(),
        );
    }
    if t.blob_versioned_hashes.is_some() || t.max_fee_per_blob_gas.is_some() {
        tx.tx_type = 3;
        tx.blob_hashes = t.blob_versioned_hashes.clone().unwrap_or_default();
        tx.max_fee_per_blob_gas = t.max_fee_per_blob_gas.unwrap_or(0);
    }
    if let Some(auths) = &t.authorization_list {
        tx.tx_type = 4;
        tx.authorization_list = auths
            .iter()
            .map(|a| {
                Either::Left(SignedAuthorization::new_unchecked(
                    Authorization {
                        chain_id: a.chain_id,
                        address: a.address,
                        nonce: a.nonce,
                    },
                    a.y_parity,
                    a.r,
                    a.s,
                ))
            })
            .collect();
    }
    Ok(tx)
}

/// Executes `tx` on `db` and commits its effects (nothing is committed for an invalid tx).
/// `inspector` observes every step when given.
pub fn execute<I>(
    db: &mut MemDb,
    block: &BlockEnv,
    chain: &ChainConfig,
    tx: TxEnv,
    inspector: Option<&mut I>,
) -> Result<Outcome>
where
    I: for<'a> Inspector<EvmContext<'a>>,
{
    Ok(execute_owning(db, block, chain, tx, inspector)?.0)
}

/// [`execute`] with an inspector revm owns for the run and hands back. Owned, the recorder's
/// hooks are one forwarding call from revm's instruction loop instead of two (through
/// `&mut &mut Recorder`), which matters at a few nanoseconds per step.
pub(crate) fn execute_owning<I>(
    db: &mut MemDb,
    block: &BlockEnv,
    chain: &ChainConfig,
    tx: TxEnv,
    inspector: Option<I>,
) -> Result<(Outcome, Option<I>)>
where
    I: for<'a> Inspector<EvmContext<'a>>,
{
    let ctx = osaka_context(db, block, chain);
    let (result, inspector) = match inspector {
        Some(insp) => {
            let mut evm = ctx.build_mainnet_with_inspector(insp);
            let result = evm.inspect_tx(tx);
            (result, Some(evm.inspector))
        }
        None => (ctx.build_mainnet().transact(tx), None),
    };
    let result = match result {
        Ok(r) => r,
        Err(EVMError::Transaction(e)) => {
            return Ok((Outcome::Invalid(Rejection::of_transaction(&e)), inspector))
        }
        Err(EVMError::Header(e)) => {
            return Ok((
                Outcome::Invalid(Rejection::unnamed(format!("header: {e}"))),
                inspector,
            ))
        }
        Err(e) => return Err(Error::Execution(e.to_string())),
    };
    db.commit(result.state);
    let outcome = match result.result {
        ExecutionResult::Success {
            reason,
            gas,
            logs,
            output,
            ..
        } => Outcome::Executed {
            success: true,
            gas_used: gas.tx_gas_used(),
            output: output.into_data(),
            logs,
            status: format!("{reason:?}"),
        },
        ExecutionResult::Revert { gas, output, .. } => Outcome::Executed {
            success: false,
            gas_used: gas.tx_gas_used(),
            output,
            logs: Vec::new(),
            status: "Revert".into(),
        },
        ExecutionResult::Halt { reason, gas, .. } => Outcome::Executed {
            success: false,
            gas_used: gas.tx_gas_used(),
            output: Bytes::new(),
            logs: Vec::new(),
            status: format!("{reason:?}"),
        },
    };
    Ok((outcome, inspector))
}

/// The inspector type to name in [`execute`] calls that pass no inspector.
pub type NoInspector = revm::inspector::NoOpInspector;

/// The witness context (block and transaction fields) of an execution.
pub fn tx_context(block: &BlockEnv, chain: &ChainConfig, tx: &TxEnv) -> crate::witness::TxContext {
    let rb = revm_block(block, chain.blob_params);
    let gas_price = match tx.gas_priority_fee {
        Some(prio) => tx
            .gas_price
            .min(u128::from(block.base_fee).saturating_add(prio)),
        None => tx.gas_price,
    };
    crate::witness::TxContext {
        chain_id: chain.chain_id,
        coinbase: block.coinbase,
        number: block.number,
        timestamp: block.timestamp,
        block_gas_limit: block.gas_limit,
        base_fee: block.base_fee,
        prevrandao: block.random.unwrap_or_default(),
        blob_base_fee: rb.blob_excess_gas_and_price.map_or(0, |b| b.blob_gasprice),
        origin: tx.caller,
        gas_price,
        gas_limit: tx.gas_limit,
        to: match tx.kind {
            TxKind::Call(a) => Some(a),
            TxKind::Create => None,
        },
        value: tx.value,
        data: tx.data.clone(),
        blob_hashes: tx.blob_hashes.clone(),
        prewarmed: Vec::new(),
    }
}

/// Executes `tx` while recording its witness; the witness's `result` is filled in.
pub fn execute_traced(
    db: &mut MemDb,
    block: &BlockEnv,
    chain: &ChainConfig,
    tx: TxEnv,
) -> Result<(Outcome, crate::witness::Witness)> {
    let (outcome, tape) = execute_recorded(db, block, chain, tx, Tape::default())?;
    Ok((outcome, tape.expand()?))
}

/// Executes `tx` while recording its witness as a [`Tape`] (the compact form written during
/// execution; [`Tape::expand`] gives the [`crate::witness::Witness`]), into the allocations
/// of `buffers`, a tape no longer needed (see [`crate::inspector::Recorder::reusing`]). The
/// tape's result is filled in.
pub fn execute_recorded(
    db: &mut MemDb,
    block: &BlockEnv,
    chain: &ChainConfig,
    tx: TxEnv,
    buffers: Tape,
) -> Result<(Outcome, Tape)> {
    let recorder = crate::inspector::Recorder::reusing(tx_context(block, chain, &tx), buffers);
    let (outcome, recorder) = execute_owning(db, block, chain, tx, Some(recorder))?;
    let recorder = recorder.ok_or_else(|| Error::Execution("revm kept the recorder".into()))?;
    let mut tape = recorder.finish_tape();
    *tape.result_mut() = match &outcome {
        Outcome::Executed {
            success,
            gas_used,
            output,
            status,
            ..
        } => crate::witness::TxResult {
            success: *success,
            gas_used: *gas_used,
            output: output.clone(),
            status: status.clone(),
        },
        Outcome::Invalid(e) => crate::witness::TxResult {
            status: format!("Invalid: {e}"),
            ..Default::default()
        },
    };
    Ok((outcome, tape))
}

/// The caller of [`call_setup`] (funded with 2^60 wei).
pub const SETUP_CALLER: alloy_primitives::Address =
    alloy_primitives::address!("1000000000000000000000000000000000000001");
/// The contract of [`call_setup`].
pub const SETUP_CALLEE: alloy_primitives::Address =
    alloy_primitives::address!("2000000000000000000000000000000000000002");

/// A ready-to-run call: a funded EOA sends 5 wei and `calldata` to a contract holding `code`.
/// The smallest setting in which to execute and record a piece of bytecode.
pub struct CallSetup {
    /// State: the caller and the contract.
    pub db: MemDb,
    /// Block 7 at timestamp 1000, base fee 7.
    pub block: BlockEnv,
    /// Chain 1, Osaka gas cap.
    pub chain: ChainConfig,
    /// Gas limit 2,000,000 at 10 wei per gas.
    pub tx: TxEnv,
}

/// See [`CallSetup`].
pub fn call_setup(code: &[u8], calldata: &[u8]) -> CallSetup {
    use crate::fixture::{AccountState, WorldState};
    let mut pre = WorldState::new();
    pre.insert(
        SETUP_CALLER,
        AccountState {
            balance: U256::from(1u64 << 60),
            ..Default::default()
        },
    );
    pre.insert(
        SETUP_CALLEE,
        AccountState {
            code: Bytes::copy_from_slice(code),
            ..Default::default()
        },
    );
    CallSetup {
        db: MemDb::new(pre),
        block: BlockEnv {
            coinbase: alloy_primitives::address!("3000000000000000000000000000000000000003"),
            gas_limit: 30_000_000,
            number: U256::from(7),
            timestamp: U256::from(1000),
            random: Some(alloy_primitives::B256::repeat_byte(0x42)),
            difficulty: U256::ZERO,
            base_fee: 7,
            excess_blob_gas: Some(0),
        },
        chain: ChainConfig {
            chain_id: 1,
            blob_params: None,
            tx_gas_limit_cap: None,
        },
        tx: TxEnv {
            caller: SETUP_CALLER,
            gas_limit: 2_000_000,
            gas_price: 10,
            kind: TxKind::Call(SETUP_CALLEE),
            value: U256::from(5),
            data: Bytes::copy_from_slice(calldata),
            chain_id: Some(1),
            ..Default::default()
        },
    }
}
