//! EEST state-test fixtures: the typed form of one test case and its loading from JSON.
//!
//! A fixture file is `{ "<test id>": case, … }`. Loading never panics: a malformed file gives one
//! [`Error`] for the file, a malformed case gives one [`Error::Fixture`] naming the file, the test
//! id and the JSON path of the bad field, and the other cases of the file are still returned.

use crate::error::{Error, Result};
use crate::hexjson::{
    as_array, as_obj, join, parse_address, parse_address_key, parse_b256, parse_bytes, parse_u128,
    parse_u256, parse_u256_key, parse_u64, Obj,
};
use alloy_primitives::{Address, Bytes, B256, U256};
use serde_json::{Map, Value};
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

/// The fork whose expectations this crate checks.
pub const FORK: &str = "Osaka";

/// Fork names that may appear in `post` but are not executed (only [`FORK`] is); any other
/// name is reported as an unknown fork.
const KNOWN_OTHER_FORKS: &[&str] = &[
    "Frontier",
    "Homestead",
    "EIP150",
    "EIP158",
    "Byzantium",
    "Constantinople",
    "ConstantinopleFix",
    "Petersburg",
    "Istanbul",
    "MuirGlacier",
    "Berlin",
    "London",
    "ArrowGlacier",
    "GrayGlacier",
    "Paris",
    "Merge",
    "Shanghai",
    "Cancun",
    "Prague",
    "Amsterdam",
    "BPO1",
    "BPO2",
    "BPO3",
    "BPO4",
    "BPO5",
];

/// One account of a pre- or post-state.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct AccountState {
    /// Nonce.
    pub nonce: u64,
    /// Balance in wei.
    pub balance: U256,
    /// Code (empty for EOAs; `0xef0100‖address` for EIP-7702 delegations).
    pub code: Bytes,
    /// Non-zero storage slots (zero values are dropped when loading: they are absent from the trie).
    pub storage: BTreeMap<U256, U256>,
}

/// A world state: accounts by address.
pub type WorldState = BTreeMap<Address, AccountState>;

/// Block environment of a state test.
#[derive(Clone, Debug)]
pub struct BlockEnv {
    /// `currentCoinbase`.
    pub coinbase: Address,
    /// `currentGasLimit`.
    pub gas_limit: u64,
    /// `currentNumber`.
    pub number: U256,
    /// `currentTimestamp`.
    pub timestamp: U256,
    /// `currentRandom` (PREVRANDAO since the Merge).
    pub random: Option<B256>,
    /// `currentDifficulty`.
    pub difficulty: U256,
    /// `currentBaseFee`.
    pub base_fee: u64,
    /// `currentExcessBlobGas`.
    pub excess_blob_gas: Option<u64>,
}

/// One EIP-2930 access-list entry.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct AccessEntry {
    /// Pre-warmed address.
    pub address: Address,
    /// Pre-warmed storage keys of that address.
    pub storage_keys: Vec<B256>,
}

/// One signed EIP-7702 authorization tuple.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Authorization {
    /// Chain id the authorization is valid on (0 = any).
    pub chain_id: U256,
    /// Delegation target.
    pub address: Address,
    /// Authority nonce.
    pub nonce: u64,
    /// Signature parity.
    pub y_parity: u8,
    /// Signature r.
    pub r: U256,
    /// Signature s.
    pub s: U256,
}

/// The transaction template of a state test: `data`, `gasLimit`, `value` are indexed by the
/// post entry's `indexes`.
#[derive(Clone, Debug)]
pub struct TxTemplate {
    /// Sender nonce.
    pub nonce: u64,
    /// Recipient; `None` for contract creation (`to: ""`).
    pub to: Option<Address>,
    /// Sender (already recovered from `secretKey`).
    pub sender: Address,
    /// Calldata variants.
    pub data: Vec<Bytes>,
    /// Gas-limit variants.
    pub gas_limit: Vec<u64>,
    /// Value variants.
    pub value: Vec<U256>,
    /// Legacy / EIP-2930 gas price.
    pub gas_price: Option<u128>,
    /// EIP-1559 max fee per gas.
    pub max_fee_per_gas: Option<u128>,
    /// EIP-1559 max priority fee per gas.
    pub max_priority_fee_per_gas: Option<u128>,
    /// Access-list variants, indexed like `data`; `None` when the field is absent (legacy tx).
    pub access_lists: Option<Vec<Vec<AccessEntry>>>,
    /// EIP-4844 max fee per blob gas.
    pub max_fee_per_blob_gas: Option<u128>,
    /// EIP-4844 blob versioned hashes.
    pub blob_versioned_hashes: Option<Vec<B256>>,
    /// EIP-7702 authorization list.
    pub authorization_list: Option<Vec<Authorization>>,
}

/// One expected outcome (`post.Osaka[i]`).
#[derive(Clone, Debug)]
pub struct PostEntry {
    /// Index of `data` in the template.
    pub data_index: usize,
    /// Index of `gasLimit`.
    pub gas_index: usize,
    /// Index of `value`.
    pub value_index: usize,
    /// Expected post-state root.
    pub state_root: B256,
    /// Expected keccak256 of the RLP list of logs.
    pub logs_hash: B256,
    /// Expected post state.
    pub state: WorldState,
    /// The expected exception when the transaction is invalid (state stays as `pre`).
    pub expect_exception: Option<String>,
}

/// Blob parameters of the executed fork (`config.blobSchedule.Osaka`).
#[derive(Clone, Copy, Debug)]
pub struct BlobParams {
    /// Target blobs per block.
    pub target: u64,
    /// Max blobs per block.
    pub max: u64,
    /// Base-fee update fraction.
    pub update_fraction: u64,
}

/// One state test (one key of a fixture file).
#[derive(Clone, Debug)]
pub struct StateTest {
    /// The test id (the key in the file).
    pub id: String,
    /// Block environment.
    pub env: BlockEnv,
    /// Pre-state.
    pub pre: WorldState,
    /// Transaction template.
    pub tx: TxTemplate,
    /// Expectations for [`FORK`]; empty when the case has none (it is then skipped).
    pub post: Vec<PostEntry>,
    /// Other forks present in `post` (not executed).
    pub other_forks: Vec<String>,
    /// `config.chainid` (default 1).
    pub chain_id: u64,
    /// `config.blobSchedule.Osaka` if present.
    pub blob_params: Option<BlobParams>,
}

/// The result of loading one file: its cases, each parsed or with its error.
pub struct FixtureFile {
    /// The file.
    pub path: PathBuf,
    /// `(test id, parsed case or error)` in file order.
    pub cases: Vec<(String, Result<StateTest>)>,
}

/// Loads a fixture file. `Err` only when the file cannot be read or is not a JSON object;
/// per-case errors are inside [`FixtureFile::cases`].
pub fn load_file(path: &Path) -> Result<FixtureFile> {
    let text = std::fs::read(path).map_err(|error| Error::Io {
        path: path.to_path_buf(),
        error,
    })?;
    parse_file(path, &text)
}

/// Parses the contents of a fixture file (see [`load_file`]).
pub fn parse_file(path: &Path, text: &[u8]) -> Result<FixtureFile> {
    let root: Map<String, Value> = serde_json::from_slice(text).map_err(|e| Error::Json {
        path: path.to_path_buf(),
        msg: e.to_string(),
    })?;
    let cases = root
        .iter()
        .map(|(id, v)| {
            let parsed = parse_case(id, v).map_err(|e| e.in_case(path, id));
            (id.clone(), parsed)
        })
        .collect();
    Ok(FixtureFile {
        path: path.to_path_buf(),
        cases,
    })
}

/// Parses one test case.
pub fn parse_case(id: &str, v: &Value) -> Result<StateTest> {
    let case = as_obj(v, "")?;
    let env = parse_env(case.obj("env", "env")?)?;
    let pre = parse_world(case.obj("pre", "pre")?)?;
    let tx = parse_tx(case.obj("transaction", "transaction")?)?;
    let post_obj = case.obj("post", "post")?;
    let mut post = Vec::new();
    let mut other_forks = Vec::new();
    for (fork, entries) in post_obj.map {
        if fork == FORK {
            let path = format!("post.{FORK}");
            for (i, entry) in as_array(entries, &path)?.iter().enumerate() {
                let p = format!("{path}[{i}]");
                post.push(parse_post(as_obj(entry, &p)?)?);
            }
        } else if KNOWN_OTHER_FORKS.contains(&fork.as_str()) || is_transition_fork(fork) {
            other_forks.push(fork.clone());
        } else {
            return Err(Error::Field {
                field: join("post", fork),
                msg: format!("unknown fork `{fork}`"),
            });
        }
    }
    let (chain_id, blob_params) = match case.opt("config") {
        Some(c) => parse_config(as_obj(c, "config")?)?,
        None => (1, None),
    };
    let case = StateTest {
        id: id.to_string(),
        env,
        pre,
        tx,
        post,
        other_forks,
        chain_id,
        blob_params,
    };
    check_indexes(&case)?;
    Ok(case)
}

/// Transition forks are named `<Fork>To<Fork>At…`.
fn is_transition_fork(name: &str) -> bool {
    name.contains("To") && name.contains("At")
}

/// Every post entry's indexes must point into the template's arrays.
fn check_indexes(case: &StateTest) -> Result<()> {
    for (i, p) in case.post.iter().enumerate() {
        let bad = |what: &str, idx: usize, len: usize| Error::Field {
            field: format!("post.{FORK}[{i}].indexes.{what}"),
            msg: format!("index {idx} out of range (transaction has {len})"),
        };
        if p.data_index >= case.tx.data.len() {
            return Err(bad("data", p.data_index, case.tx.data.len()));
        }
        if p.gas_index >= case.tx.gas_limit.len() {
            return Err(bad("gas", p.gas_index, case.tx.gas_limit.len()));
        }
        if p.value_index >= case.tx.value.len() {
            return Err(bad("value", p.value_index, case.tx.value.len()));
        }
        if let Some(lists) = &case.tx.access_lists {
            if p.data_index >= lists.len() {
                return Err(bad("data (accessLists)", p.data_index, lists.len()));
            }
        }
    }
    Ok(())
}

fn parse_env(o: Obj<'_>) -> Result<BlockEnv> {
    Ok(BlockEnv {
        coinbase: o.address("currentCoinbase")?,
        gas_limit: o.u64("currentGasLimit")?,
        number: o.u256("currentNumber")?,
        timestamp: o.u256("currentTimestamp")?,
        random: o
            .opt("currentRandom")
            .map(|v| parse_b256(v, "env.currentRandom"))
            .transpose()?,
        difficulty: match o.opt("currentDifficulty") {
            Some(v) => parse_u256(v, "env.currentDifficulty")?,
            None => U256::ZERO,
        },
        base_fee: match o.opt("currentBaseFee") {
            Some(v) => parse_u64(v, "env.currentBaseFee")?,
            None => 0,
        },
        excess_blob_gas: o
            .opt("currentExcessBlobGas")
            .map(|v| parse_u64(v, "env.currentExcessBlobGas"))
            .transpose()?,
    })
}

/// Parses `{ "0xaddr": { nonce, balance, code, storage } }`.
pub fn parse_world(o: Obj<'_>) -> Result<WorldState> {
    let mut world = WorldState::new();
    for (key, v) in o.map {
        let path = join(o.path, key);
        let address = parse_address_key(key, &path)?;
        let acc = as_obj(v, &path)?;
        let storage_path = join(&path, "storage");
        let mut storage = BTreeMap::new();
        for (k, val) in acc.obj("storage", &storage_path)?.map {
            let slot_path = join(&storage_path, k);
            let slot = parse_u256_key(k, &slot_path)?;
            let value = parse_u256(val, &slot_path)?;
            if !value.is_zero() {
                storage.insert(slot, value);
            }
        }
        world.insert(
            address,
            AccountState {
                nonce: acc.u64("nonce")?,
                balance: acc.u256("balance")?,
                code: acc.bytes("code")?,
                storage,
            },
        );
    }
    Ok(world)
}

/// Parses an array field with an element parser, naming each element's path.
fn parse_list<T>(o: Obj<'_>, key: &str, f: impl Fn(&Value, &str) -> Result<T>) -> Result<Vec<T>> {
    let path = join(o.path, key);
    as_array(o.get(key)?, &path)?
        .iter()
        .enumerate()
        .map(|(i, v)| f(v, &format!("{path}[{i}]")))
        .collect()
}

fn opt_u128(o: Obj<'_>, key: &str) -> Result<Option<u128>> {
    o.opt(key)
        .map(|v| parse_u128(v, &join(o.path, key)))
        .transpose()
}

fn parse_tx(o: Obj<'_>) -> Result<TxTemplate> {
    let to = match o.get("to")? {
        Value::String(s) if s.is_empty() => None,
        v => Some(parse_address(v, "transaction.to")?),
    };
    let access_lists = match o.opt("accessLists") {
        None => None,
        Some(_) => Some(parse_list(o, "accessLists", parse_access_list)?),
    };
    let blob_versioned_hashes = match o.opt("blobVersionedHashes") {
        None => None,
        Some(_) => Some(parse_list(o, "blobVersionedHashes", parse_b256)?),
    };
    let authorization_list = match o.opt("authorizationList") {
        None => None,
        Some(_) => Some(parse_list(o, "authorizationList", parse_authorization)?),
    };
    Ok(TxTemplate {
        nonce: o.u64("nonce")?,
        to,
        sender: o.address("sender")?,
        data: parse_list(o, "data", parse_bytes)?,
        gas_limit: parse_list(o, "gasLimit", parse_u64)?,
        value: parse_list(o, "value", parse_u256)?,
        gas_price: opt_u128(o, "gasPrice")?,
        max_fee_per_gas: opt_u128(o, "maxFeePerGas")?,
        max_priority_fee_per_gas: opt_u128(o, "maxPriorityFeePerGas")?,
        access_lists,
        max_fee_per_blob_gas: opt_u128(o, "maxFeePerBlobGas")?,
        blob_versioned_hashes,
        authorization_list,
    })
}

/// An access list; `null` stands for an empty list.
fn parse_access_list(v: &Value, path: &str) -> Result<Vec<AccessEntry>> {
    if v.is_null() {
        return Ok(Vec::new());
    }
    as_array(v, path)?
        .iter()
        .enumerate()
        .map(|(i, e)| {
            let p = format!("{path}[{i}]");
            let o = as_obj(e, &p)?;
            Ok(AccessEntry {
                address: o.address("address")?,
                storage_keys: parse_list(o, "storageKeys", parse_b256)?,
            })
        })
        .collect()
}

fn parse_authorization(v: &Value, path: &str) -> Result<Authorization> {
    let o = as_obj(v, path)?;
    // `yParity` is canonical; older fillers only give `v`.
    let parity_key = if o.opt("yParity").is_some() {
        "yParity"
    } else {
        "v"
    };
    let y_parity = o.u64(parity_key)?;
    Ok(Authorization {
        chain_id: o.u256("chainId")?,
        address: o.address("address")?,
        nonce: o.u64("nonce")?,
        // Parities other than 0/1 make the authorization invalid (skipped by the EVM), they are
        // not a fixture error; saturate into u8 so that such a value stays invalid.
        y_parity: u8::try_from(y_parity).unwrap_or(u8::MAX),
        r: o.u256("r")?,
        s: o.u256("s")?,
    })
}

fn parse_post(o: Obj<'_>) -> Result<PostEntry> {
    let idx_path = join(o.path, "indexes");
    let idx = o.obj("indexes", &idx_path)?;
    let to_usize = |key: &str| -> Result<usize> {
        let v = idx.get(key)?;
        v.as_u64()
            .and_then(|x| usize::try_from(x).ok())
            .ok_or_else(|| Error::Field {
                field: join(&idx_path, key),
                msg: "expected a non-negative integer".into(),
            })
    };
    let state_path = join(o.path, "state");
    Ok(PostEntry {
        data_index: to_usize("data")?,
        gas_index: to_usize("gas")?,
        value_index: to_usize("value")?,
        state_root: o.b256("hash")?,
        logs_hash: o.b256("logs")?,
        state: parse_world(o.obj("state", &state_path)?)?,
        expect_exception: o
            .opt("expectException")
            .and_then(|v| v.as_str())
            .map(str::to_string),
    })
}

fn parse_config(o: Obj<'_>) -> Result<(u64, Option<BlobParams>)> {
    let chain_id = match o.opt("chainid") {
        Some(v) => parse_u64(v, "config.chainid")?,
        None => 1,
    };
    let blob = match o.opt("blobSchedule").and_then(|s| s.get(FORK)) {
        Some(v) => {
            let path = format!("config.blobSchedule.{FORK}");
            let b = as_obj(v, &path)?;
            Some(BlobParams {
                target: b.u64("target")?,
                max: b.u64("max")?,
                update_fraction: b.u64("baseFeeUpdateFraction")?,
            })
        }
        None => None,
    };
    Ok((chain_id, blob))
}

/// The fixtures directory: `$ZKEVM_FIXTURES` if set, else `../shared/fixtures` relative to the
/// current directory if it exists, else `../shared/fixtures` beside this workspace's root.
/// Returns [`Error::FixturesMissing`] when the chosen directory does not exist, so that tests
/// needing fixtures fail loudly instead of silently passing.
pub fn fixtures_dir() -> Result<PathBuf> {
    let dir = match std::env::var_os("ZKEVM_FIXTURES") {
        Some(d) => PathBuf::from(d),
        None => {
            let cwd_relative = PathBuf::from("../shared/fixtures");
            if cwd_relative.is_dir() {
                cwd_relative
            } else {
                Path::new(env!("CARGO_MANIFEST_DIR")).join("../../shared/fixtures")
            }
        }
    };
    if dir.is_dir() {
        Ok(dir)
    } else {
        Err(Error::FixturesMissing(dir))
    }
}
