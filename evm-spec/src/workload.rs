//! Benchmark workloads (`bench/workloads.json`): a call from an EOA into pre-loaded contracts,
//! with the gas, step count and output revm measured when the file was written.

use crate::error::{Error, Result};
use crate::exec::{execute, execute_recorded, ChainConfig, NoInspector, Outcome};
use crate::fixture::{AccountState, BlockEnv, WorldState};
use crate::hexjson::{
    as_array, as_obj, join, parse_address, parse_b256, parse_bytes, parse_u256, Obj,
};
use crate::inspector::Tape;
use crate::state::MemDb;
use crate::witness::Witness;
use alloy_primitives::{address, Address, Bytes, TxKind, B256, U256};
use revm::context::TxEnv;
use std::path::{Path, PathBuf};

/// The caller of every workload (as in `workloads.json`'s description).
pub const CALLER: Address = address!("1000000000000000000000000000000000000001");

/// What revm measured for a workload.
#[derive(Clone, Debug, Default)]
pub struct Measured {
    /// Whether the call succeeded.
    pub success: bool,
    /// Gas used by the transaction, including intrinsic gas.
    pub tx_gas_used: u64,
    /// Executed opcodes.
    pub steps: u64,
    /// Output length, if recorded.
    pub output_len: Option<usize>,
    /// keccak256 of the output, if recorded.
    pub output_keccak: Option<B256>,
    /// The output itself, if recorded.
    pub output: Option<Bytes>,
}

/// One workload.
#[derive(Clone, Debug)]
pub struct Workload {
    /// Name.
    pub name: String,
    /// Pre-state (contracts with their code and storage, plus the funded caller).
    pub pre: WorldState,
    /// Called contract.
    pub to: Address,
    /// Calldata.
    pub calldata: Bytes,
    /// Gas limit.
    pub gas_limit: u64,
    /// Recorded figures.
    pub measured: Measured,
}

/// The default workloads file: `<fixtures>/bench/workloads.json`.
pub fn default_path() -> Result<PathBuf> {
    Ok(crate::fixture::fixtures_dir()?
        .join("bench")
        .join("workloads.json"))
}

/// Loads every workload of a workloads file; code files are resolved relative to it.
pub fn load(path: &Path) -> Result<Vec<Workload>> {
    let text = std::fs::read(path).map_err(|error| Error::Io {
        path: path.to_path_buf(),
        error,
    })?;
    let root: serde_json::Value = serde_json::from_slice(&text).map_err(|e| Error::Json {
        path: path.to_path_buf(),
        msg: e.to_string(),
    })?;
    let dir = path.parent().unwrap_or(Path::new("."));
    let list = root
        .get("workloads")
        .ok_or_else(|| Error::Json {
            path: path.to_path_buf(),
            msg: "missing `workloads` array".into(),
        })
        .and_then(|v| as_array(v, "workloads").map_err(|e| e.in_case(path, "<file>")))?;
    list.iter()
        .enumerate()
        .map(|(i, v)| {
            let name = v
                .get("name")
                .and_then(|n| n.as_str())
                .map_or_else(|| format!("workloads[{i}]"), str::to_string);
            parse_workload(v, dir, &name).map_err(|e| e.in_case(path, &name))
        })
        .collect()
}

fn parse_workload(v: &serde_json::Value, dir: &Path, name: &str) -> Result<Workload> {
    let o = as_obj(v, "")?;
    let mut pre = WorldState::new();
    pre.insert(
        CALLER,
        AccountState {
            balance: U256::from(1u128 << 100),
            ..Default::default()
        },
    );
    for (i, acc) in as_array(o.get("accounts")?, "accounts")?.iter().enumerate() {
        let path = format!("accounts[{i}]");
        let a = as_obj(acc, &path)?;
        let code_file = a
            .get("code_file")?
            .as_str()
            .ok_or_else(|| field(&join(&path, "code_file"), "expected a string"))?;
        let code_path = dir.join(code_file);
        let hex_text = std::fs::read_to_string(&code_path).map_err(|e| {
            field(
                &join(&path, "code_file"),
                &format!("{}: {e}", code_path.display()),
            )
        })?;
        let code = parse_bytes(
            &serde_json::Value::String(format!("0x{}", hex_text.trim().trim_start_matches("0x"))),
            &join(&path, "code_file"),
        )?;
        let mut storage = std::collections::BTreeMap::new();
        if let Some(st) = a.opt("storage") {
            let sp = join(&path, "storage");
            for (k, val) in as_obj(st, &sp)?.map {
                let kp = join(&sp, k);
                let key = parse_u256(&serde_json::Value::String(k.clone()), &kp)?;
                storage.insert(key, parse_u256(val, &kp)?);
            }
        }
        pre.insert(
            a.address("address")?,
            AccountState {
                code,
                storage,
                ..Default::default()
            },
        );
    }
    let m = o.obj("measured", "measured")?;
    let opt_usize = |m: &Obj<'_>, k: &str| m.opt(k).and_then(|v| v.as_u64()).map(|x| x as usize);
    let measured = Measured {
        success: m.get("success")?.as_bool().unwrap_or(false),
        tx_gas_used: num(&m, "tx_gas_used")?,
        steps: num(&m, "steps")?,
        output_len: opt_usize(&m, "output_len"),
        output_keccak: m
            .opt("output_keccak")
            .map(|v| parse_b256(v, "measured.output_keccak"))
            .transpose()?,
        output: m
            .opt("output")
            .map(|v| parse_bytes(v, "measured.output"))
            .transpose()?,
    };
    Ok(Workload {
        name: name.to_string(),
        pre,
        to: parse_address(o.get("to")?, "to")?,
        calldata: o.bytes("calldata")?,
        gas_limit: num(&o, "gas_limit")?,
        measured,
    })
}

fn field(path: &str, msg: &str) -> Error {
    Error::Field {
        field: path.to_string(),
        msg: msg.to_string(),
    }
}

/// A JSON integer field.
fn num(o: &Obj<'_>, key: &str) -> Result<u64> {
    o.get(key)?
        .as_u64()
        .ok_or_else(|| field(&join(o.path, key), "expected a non-negative integer"))
}

/// Finds a workload by name.
pub fn find(workloads: Vec<Workload>, name: &str) -> Result<Workload> {
    let available = workloads
        .iter()
        .map(|w| w.name.clone())
        .collect::<Vec<_>>()
        .join(", ");
    workloads
        .into_iter()
        .find(|w| w.name == name)
        .ok_or(Error::UnknownWorkload {
            name: name.to_string(),
            available,
        })
}

impl Workload {
    /// Block environment: no base fee and no block gas limit, so any gas limit fits.
    pub fn block(&self) -> BlockEnv {
        BlockEnv {
            coinbase: Address::ZERO,
            gas_limit: u64::MAX,
            number: U256::from(1),
            timestamp: U256::from(1),
            random: Some(B256::ZERO),
            difficulty: U256::ZERO,
            base_fee: 0,
            excess_blob_gas: Some(0),
        }
    }

    /// Chain configuration: the EIP-7825 cap is disabled, as when the figures were measured.
    pub fn chain(&self) -> ChainConfig {
        ChainConfig {
            chain_id: 1,
            blob_params: None,
            tx_gas_limit_cap: Some(u64::MAX),
        }
    }

    /// The workload's transaction (gas price 0).
    pub fn tx(&self) -> TxEnv {
        TxEnv {
            caller: CALLER,
            gas_limit: self.gas_limit,
            gas_price: 0,
            kind: TxKind::Call(self.to),
            data: self.calldata.clone(),
            nonce: 0,
            chain_id: Some(1),
            ..Default::default()
        }
    }

    /// Executes without recording.
    pub fn run(&self) -> Result<Outcome> {
        let mut db = MemDb::new(self.pre.clone());
        execute::<NoInspector>(&mut db, &self.block(), &self.chain(), self.tx(), None)
    }

    /// Executes through revm's inspector path with an inspector that records nothing.
    pub fn run_with_noop_inspector(&self) -> Result<Outcome> {
        let mut db = MemDb::new(self.pre.clone());
        // Owned, as the recorder is (see `execute_owning`).
        let noop = NoInspector::default();
        let (outcome, _) = crate::exec::execute_owning(
            &mut db,
            &self.block(),
            &self.chain(),
            self.tx(),
            Some(noop),
        )?;
        Ok(outcome)
    }

    /// Executes while recording the witness.
    pub fn trace(&self) -> Result<(Outcome, Witness)> {
        let (outcome, tape) = self.record(Tape::default())?;
        Ok((outcome, tape.expand()?))
    }

    /// Executes while recording the witness's tape into the allocations of `buffers`, a tape
    /// no longer needed.
    pub fn record(&self, buffers: Tape) -> Result<(Outcome, Tape)> {
        let mut db = MemDb::new(self.pre.clone());
        execute_recorded(&mut db, &self.block(), &self.chain(), self.tx(), buffers)
    }

    /// Checks an outcome against the recorded figures (gas used, success, output).
    pub fn check(&self, outcome: &Outcome) -> std::result::Result<(), String> {
        let Outcome::Executed {
            success,
            gas_used,
            output,
            ..
        } = outcome
        else {
            return Err(format!("{}: transaction rejected: {outcome:?}", self.name));
        };
        let m = &self.measured;
        if *success != m.success || *gas_used != m.tx_gas_used {
            return Err(format!(
                "{}: success {success}, gas {gas_used}; recorded success {}, gas {}",
                self.name, m.success, m.tx_gas_used
            ));
        }
        if m.output_len.is_some_and(|l| l != output.len()) {
            return Err(format!(
                "{}: output length {} differs",
                self.name,
                output.len()
            ));
        }
        if m.output_keccak
            .is_some_and(|h| h != alloy_primitives::keccak256(output))
        {
            return Err(format!("{}: output hash differs", self.name));
        }
        if m.output.as_ref().is_some_and(|o| o != output) {
            return Err(format!("{}: output differs", self.name));
        }
        Ok(())
    }
}
