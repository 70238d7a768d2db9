//! The Groth16 verifier contract on the EVM: its Solidity source (from the verifying key,
//! [`zkevm_recursion::groth16::solidity_verifier`]) compiled offline with solc-js, and run on
//! revm (Osaka) to verify proofs and measure their gas.
//!
//! The compiler is the pinned npm package in `tools/solc` (`npm ci --prefix tools/solc`, which
//! `.ci/run` does; `ZKEVM_SOLC` may name another such directory), driven by its
//! `compile.js` through the machine's Node. The contract runs as the callee of a plain
//! transaction (no value), so the gas reported is the whole transaction's: 21,000 intrinsic
//! gas, the calldata, and the verification.

use alloy_primitives::{keccak256, U256};
use ark_bn254::Fr;
use std::io::Write;
use std::path::PathBuf;
use std::process::{Command, Stdio};
use zkevm_evm_spec::exec::{self, NoInspector, Outcome};
use zkevm_recursion::groth16::{input_bytes, PROOF_BYTES};

/// What can go wrong compiling or running the contract.
#[derive(Debug, thiserror::Error)]
pub enum ContractError {
    #[error("solc-js not found in {0} (run `npm ci --prefix tools/solc`, or set ZKEVM_SOLC)")]
    NoCompiler(PathBuf),
    #[error("running node: {0}")]
    Node(#[from] std::io::Error),
    #[error("solc: {0}")]
    Compile(String),
    #[error("executing the contract: {0}")]
    Execute(String),
}

/// The directory holding `compile.js` and its `node_modules/solc`.
pub fn solc_dir() -> PathBuf {
    std::env::var_os("ZKEVM_SOLC")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from(concat!(env!("CARGO_MANIFEST_DIR"), "/tools/solc")))
}

/// A compiled contract.
#[derive(Debug, Clone)]
pub struct Compiled {
    /// solc's version string.
    pub compiler: String,
    /// The contract's runtime bytecode.
    pub runtime: Vec<u8>,
}

/// Compiles `source` (optimizer on, 200 runs) and returns the runtime code of `contract`.
pub fn compile(source: &str, contract: &str) -> Result<Compiled, ContractError> {
    let dir = solc_dir();
    if !dir.join("node_modules/solc").is_dir() {
        return Err(ContractError::NoCompiler(dir));
    }
    let mut child = Command::new("node")
        .arg(dir.join("compile.js"))
        .current_dir(&dir)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()?;
    if let Some(mut stdin) = child.stdin.take() {
        stdin.write_all(source.as_bytes())?;
    }
    let output = child.wait_with_output()?;
    let json: serde_json::Value = serde_json::from_slice(&output.stdout).map_err(|e| {
        ContractError::Compile(format!(
            "unreadable compiler output ({e}): {}",
            String::from_utf8_lossy(&output.stderr)
        ))
    })?;
    if let Some(errors) = json.get("errors") {
        return Err(ContractError::Compile(errors.to_string()));
    }
    let hex = json["contracts"][contract]
        .as_str()
        .ok_or_else(|| ContractError::Compile(format!("no contract named {contract}")))?;
    let runtime = alloy_primitives::hex::decode(hex)
        .map_err(|e| ContractError::Compile(format!("bytecode: {e}")))?;
    Ok(Compiled {
        compiler: json["version"].as_str().unwrap_or("").to_string(),
        runtime,
    })
}

/// Calldata of `verifyProof(uint256[8] proof, uint256[n] input)`.
pub fn verify_calldata(proof: &[u8; PROOF_BYTES], inputs: &[Fr]) -> Vec<u8> {
    let signature = format!("verifyProof(uint256[8],uint256[{}])", inputs.len());
    let mut data = keccak256(signature.as_bytes())[..4].to_vec();
    data.extend_from_slice(proof);
    for x in inputs {
        data.extend_from_slice(&input_bytes(x));
    }
    data
}

/// One call of a contract.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct CallResult {
    /// It returned (a verifier that returns has accepted the proof).
    pub success: bool,
    /// Gas of the whole transaction.
    pub gas_used: u64,
}

/// Runs `runtime` (as the callee of a transaction sending `calldata`, no value) on revm.
pub fn call(runtime: &[u8], calldata: &[u8]) -> Result<CallResult, ContractError> {
    let mut setup = exec::call_setup(runtime, calldata);
    setup.tx.value = U256::ZERO;
    let outcome =
        exec::execute::<NoInspector>(&mut setup.db, &setup.block, &setup.chain, setup.tx, None)
            .map_err(|e| ContractError::Execute(e.to_string()))?;
    match outcome {
        Outcome::Executed {
            success, gas_used, ..
        } => Ok(CallResult { success, gas_used }),
        Outcome::Invalid(why) => Err(ContractError::Execute(format!(
            "invalid transaction: {why}"
        ))),
    }
}
