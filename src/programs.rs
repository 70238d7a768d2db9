//! The built-in programs `zkevm prove` and `zkevm bench prove` run without a fixture, each the
//! callee of a simple transaction (`zkevm_evm_spec::exec::call_setup`), with the contracts it
//! calls deployed beside it:
//! - [`fib_loop_program`]: the `fib_loop` bench workload (stack and arithmetic);
//! - [`straight_line_program`]: basic blocks of pushes, dups, swaps and jumps;
//! - [`call_loop`]: `n` calls into a small contract (the call-heavy workload);
//! - [`nested_calls`]: a contract calling itself `depth` frames deep, up to the EVM's limit.

use crate::evm::EvmError;
use zkevm_evm_spec::exec::{call_setup, execute, execute_traced, CallSetup, NoInspector, Outcome};
use zkevm_evm_spec::fixture::AccountState;
use zkevm_evm_spec::witness::Witness;

/// A transaction's gas limit high enough for 1,024 nested frames (the 63/64 rule leaves
/// about 10⁻⁷ of it at the deepest) yet below 2³², the largest gas the Call component's range
/// checks accept.
pub const DEEP_GAS_LIMIT: u64 = 4_000_000_000;

/// The deepest [`nested_calls`] reaches within [`DEEP_GAS_LIMIT`]: one frame deeper runs out of
/// gas (`calls_nest_as_deep_as_the_gas_bound_allows_and_prove` checks both).
pub const MAX_NESTED_DEPTH: u16 = 768;

/// The address [`call_loop`]'s callee and [`nested_calls`]' recursing contract live at.
pub const CALLEE: [u8; 20] = [0xca; 20];

/// Code run as the callee of a simple transaction, with `calldata`, the contracts it calls
/// and, if given, the transaction's gas limit (EIP-7825's cap lifted for it).
#[derive(Clone, Debug)]
pub struct Program {
    pub code: Vec<u8>,
    pub calldata: Vec<u8>,
    pub contracts: Vec<([u8; 20], Vec<u8>)>,
    pub gas_limit: Option<u64>,
}

impl Program {
    /// `code` with `calldata`, calling nothing, with the default gas limit.
    pub fn new(code: Vec<u8>, calldata: Vec<u8>) -> Self {
        Self {
            code,
            calldata,
            contracts: Vec::new(),
            gas_limit: None,
        }
    }

    fn setup(&self) -> CallSetup {
        let mut setup = call_setup(&self.code, &self.calldata);
        for (address, code) in &self.contracts {
            let account = AccountState {
                code: code.clone().into(),
                ..Default::default()
            };
            setup.db.insert((*address).into(), account);
        }
        if let Some(limit) = self.gas_limit {
            setup.tx.gas_limit = limit;
            setup.block.gas_limit = setup.block.gas_limit.max(limit);
            setup.chain.tx_gas_limit_cap = Some(u64::MAX);
        }
        setup
    }

    /// Runs the transaction and records its witness.
    pub fn trace(&self) -> Result<Witness, EvmError> {
        let mut setup = self.setup();
        let (_, witness) = execute_traced(&mut setup.db, &setup.block, &setup.chain, setup.tx)
            .map_err(|e| EvmError::Witness(e.to_string()))?;
        Ok(witness)
    }

    /// Runs the transaction on plain revm (no recording): the peer `zkevm bench prove`
    /// compares with.
    pub fn execute(&self) -> Result<Outcome, EvmError> {
        let mut setup = self.setup();
        execute::<NoInspector>(&mut setup.db, &setup.block, &setup.chain, setup.tx, None)
            .map_err(|e| EvmError::Witness(e.to_string()))
    }
}

/// `blocks` basic blocks, each entered by a JUMP to its JUMPDEST, pushing words of every
/// width, duplicating, swapping and popping them, and skipping a JUMPI; then STOP. 15 steps
/// per block.
pub fn straight_line_program(blocks: usize) -> Vec<u8> {
    let mut code = Vec::new();
    for b in 0..blocks {
        let width = (b % 32) as u8 + 1;
        code.push(0x5b); // JUMPDEST
        code.push(0x5f + width); // PUSH<width>
        code.extend((0..width).map(|i| (b as u8).wrapping_mul(31) ^ i));
        code.extend([0x58, 0x5a, 0x81, 0x91, 0x50]); // PC GAS DUP2 SWAP2 POP
        code.extend([0x5f, 0x60, 0x00, 0x57]); // PUSH0 PUSH1 0 JUMPI: not taken
        code.extend([0x50, 0x50, 0x50]); // POP the three words left
                                         // PUSH2 <next block> JUMP
        let next = code.len() + 4;
        code.extend([0x61, (next >> 8) as u8, next as u8, 0x56]);
    }
    code.extend([0x5b, 0x00]);
    code
}

/// The `fib_loop` bench workload's code, assembled here (the bytes of
/// `bench/handwritten/fib_loop.hex`): F(n) mod 2²⁵⁶ for n = calldata word 0, returned as one
/// word. `PUSH1 0 CALLDATALOAD PUSH1 0 PUSH1 1 | 7: JUMPDEST DUP3 ISZERO PUSH2 27 JUMPI DUP1
/// SWAP2 ADD SWAP2 PUSH1 1 SWAP1 SUB SWAP2 PUSH2 7 JUMP | 27: JUMPDEST POP PUSH1 0 MSTORE
/// PUSH1 32 PUSH1 0 RETURN`: 15 steps per iteration.
pub fn fib_loop_program() -> Vec<u8> {
    let mut code = vec![0x60, 0x00, 0x35, 0x60, 0x00, 0x60, 0x01];
    code.extend([0x5b, 0x82, 0x15, 0x61, 0x00, 27, 0x57]);
    code.extend([0x80, 0x91, 0x01, 0x91, 0x60, 0x01, 0x90, 0x03, 0x91]);
    code.extend([0x61, 0x00, 0x07, 0x56]);
    code.extend([0x5b, 0x50, 0x60, 0x00, 0x52, 0x60, 0x20, 0x60, 0x00, 0xf3]);
    code
}

/// `n` as one 32-byte calldata word.
pub fn calldata_word(n: u64) -> Vec<u8> {
    alloy_primitives::U256::from(n).to_be_bytes::<32>().to_vec()
}

/// `PUSH0 ×k PUSH20 target GAS opcode`: a call of `opcode` (CALL, CALLCODE, DELEGATECALL or
/// STATICCALL) into `target` with all the gas EIP-150 allows, moving no value and passing no
/// memory; it leaves the success flag on the stack.
pub fn call_into(opcode: u8, target: &[u8; 20]) -> Vec<u8> {
    let zeros = if matches!(opcode, 0xf1 | 0xf2) { 5 } else { 4 };
    let mut code = vec![0x5f; zeros];
    code.push(0x73);
    code.extend_from_slice(target);
    code.extend([0x5a, opcode]);
    code
}

/// The call-heavy workload: the transaction's frame makes `n` calls (n = calldata word 0)
/// into [`CALLEE`], which counts them in its transient slot 0 and stops. Loop: `JUMPDEST
/// DUP1 ISZERO PUSH1 end JUMPI <CALL> POP PUSH1 1 SWAP1 SUB PUSH1 loop JUMP`, 19 steps per
/// call on the caller's side; the callee's `PUSH0 TLOAD PUSH1 1 ADD PUSH0 TSTORE STOP`, 7.
pub fn call_loop(n: u64) -> Program {
    let mut code = vec![0x5f, 0x35]; // PUSH0 CALLDATALOAD: n
    let top = code.len();
    let body = call_into(0xf1, &CALLEE);
    let end = top + 6 + body.len() + 8;
    code.extend([0x5b, 0x80, 0x15, 0x60, end as u8, 0x57]);
    code.extend(body);
    code.extend([0x50, 0x60, 0x01, 0x90, 0x03, 0x60, top as u8, 0x56]);
    code.extend([0x5b, 0x50, 0x00]); // end: JUMPDEST POP STOP
    debug_assert_eq!(code[end], 0x5b);
    let counter = vec![
        0x5f, 0x5c, // PUSH0 TLOAD
        0x60, 0x01, 0x01, // PUSH1 1 ADD
        0x5f, 0x5d, // PUSH0 TSTORE
        0x00, // STOP
    ];
    Program {
        code,
        calldata: calldata_word(n),
        contracts: vec![(CALLEE, counter)],
        gas_limit: Some(DEEP_GAS_LIMIT),
    }
}

/// Calls nested `depth` frames deep: the transaction's frame calls [`CALLEE`], which counts
/// its depth in its transient slot 0 and calls itself until the count reaches `depth` (a
/// constant in its code: transient storage is per account, so the caller cannot pass it).
/// `PUSH0 TLOAD PUSH1 1 ADD DUP1 PUSH0 TSTORE PUSH2 depth GT ISZERO PUSH1 end JUMPI <CALL>
/// POP end: JUMPDEST STOP`. The EVM's limit of 1,024 frames is out of reach: the 63/64 rule
/// leaves each frame at most 63/64 of its caller's gas, so with the ~350 gas a frame spends
/// before calling, depth 1,024 needs about 10¹¹ gas; Osaka caps a transaction at 2²⁴ (a few
/// hundred frames) and this prover's gas bound (2³², [`DEEP_GAS_LIMIT`]) allows
/// [`MAX_NESTED_DEPTH`].
pub fn nested_calls(depth: u16) -> Program {
    let mut recurse = vec![0x5f, 0x5c, 0x60, 0x01, 0x01, 0x80, 0x5f, 0x5d];
    recurse.push(0x61);
    recurse.extend(depth.to_be_bytes());
    let body = call_into(0xf1, &CALLEE);
    let end = recurse.len() + 5 + body.len() + 1;
    recurse.extend([0x11, 0x15, 0x60, end as u8, 0x57]);
    recurse.extend(body);
    recurse.extend([0x50, 0x5b, 0x00]);
    debug_assert_eq!(recurse[end], 0x5b);
    let mut code = call_into(0xf1, &CALLEE);
    code.extend([0x50, 0x00]);
    Program {
        code,
        calldata: Vec::new(),
        contracts: vec![(CALLEE, recurse)],
        gas_limit: Some(DEEP_GAS_LIMIT),
    }
}

/// Runs `code` as the callee of a simple transaction and records its witness.
pub fn trace_program(code: &[u8]) -> Result<Witness, EvmError> {
    trace_program_with(code, &[])
}

/// Runs `code` with `calldata` as the callee of a simple transaction and records its witness.
pub fn trace_program_with(code: &[u8], calldata: &[u8]) -> Result<Witness, EvmError> {
    Program::new(code.to_vec(), calldata.to_vec()).trace()
}
