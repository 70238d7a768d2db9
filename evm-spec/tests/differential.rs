//! Differential tests: random bytecode programs executed by revm, then replayed from the recorded
//! witness alone, end in the same stack, memory, storage, logs and gas; and the replay checker
//! accepts every one of their witnesses (`final_state` checks first).

use alloy_primitives::{Address, Bytes, Log, B256, U256};
use proptest::prelude::*;
use revm::inspector::Inspector;
use revm::interpreter::interpreter_types::{InputsTr, MemoryTr};
use revm::interpreter::Interpreter;
use zkevm_evm_spec::checker::final_state;
use zkevm_evm_spec::exec::{
    call_setup, execute, tx_context, CallSetup, EvmContext, Outcome, SETUP_CALLEE as CALLEE,
};
use zkevm_evm_spec::inspector::Recorder;
use zkevm_evm_spec::state::MemDb;

/// revm's own view of the top-level frame after each of its steps.
#[derive(Default)]
struct TopFrame {
    stack: Vec<U256>,
    memory: Vec<u8>,
    gas_left: u64,
}

impl<'a> Inspector<EvmContext<'a>> for TopFrame {
    fn step_end(&mut self, interp: &mut Interpreter, _ctx: &mut EvmContext<'a>) {
        if interp.input.depth() == 0 {
            self.stack = interp.stack.data().to_vec();
            let size = interp.memory.size();
            self.memory = interp.memory.slice(0..size).to_vec();
            self.gas_left = interp.gas.remaining();
        }
    }
}

/// One generated instruction together with the pushes that set up its operands.
#[derive(Clone, Debug)]
enum Op {
    Push(Vec<u8>),
    /// A pure arithmetic/comparison/bitwise opcode on the current stack.
    Pure(u8),
    Dup(u8),
    Swap(u8),
    Pop,
    MStore(u16, U256),
    MStore8(u16, u8),
    MLoad(u16),
    SStore(u8, U256),
    SLoad(u8),
    TStore(u8, U256),
    TLoad(u8),
    Keccak(u16, u8),
    Log(u8, u16, u8),
    CallDataLoad(u8),
    CallDataCopy(u16, u8, u8),
    MCopy(u16, u16, u8),
    /// ADDRESS, CALLER, CALLVALUE, CALLDATASIZE, CODESIZE, GAS, PC, MSIZE, ORIGIN, CHAINID, …
    Env(u8),
}

const PURE: &[u8] = &[
    0x01, 0x02, 0x03, 0x04, 0x05, 0x06, 0x07, 0x08, 0x09, 0x0a, 0x0b, 0x10, 0x11, 0x12, 0x13, 0x14,
    0x15, 0x16, 0x17, 0x18, 0x19, 0x1a, 0x1b, 0x1c, 0x1d, 0x1e,
];
const ENV: &[u8] = &[
    0x30, 0x32, 0x33, 0x34, 0x36, 0x38, 0x3a, 0x3d, 0x41, 0x42, 0x43, 0x45, 0x46, 0x47, 0x48, 0x4a,
    0x58, 0x59, 0x5a,
];

fn word() -> impl Strategy<Value = U256> {
    prop_oneof![
        any::<u64>().prop_map(U256::from),
        any::<[u8; 32]>().prop_map(U256::from_be_bytes),
        (0u32..260).prop_map(U256::from),
        Just(U256::MAX),
        Just(U256::from(1) << 255),
    ]
}

fn op() -> impl Strategy<Value = Op> {
    prop_oneof![
        4 => proptest::collection::vec(any::<u8>(), 1..=32).prop_map(Op::Push),
        6 => proptest::sample::select(PURE).prop_map(Op::Pure),
        2 => (1u8..=16).prop_map(Op::Dup),
        2 => (1u8..=16).prop_map(Op::Swap),
        1 => Just(Op::Pop),
        2 => (0u16..512, word()).prop_map(|(o, v)| Op::MStore(o, v)),
        1 => (0u16..512, any::<u8>()).prop_map(|(o, v)| Op::MStore8(o, v)),
        1 => (0u16..512).prop_map(Op::MLoad),
        2 => (0u8..8, word()).prop_map(|(k, v)| Op::SStore(k, v)),
        1 => (0u8..8).prop_map(Op::SLoad),
        1 => (0u8..8, word()).prop_map(|(k, v)| Op::TStore(k, v)),
        1 => (0u8..8).prop_map(Op::TLoad),
        1 => (0u16..256, any::<u8>()).prop_map(|(o, l)| Op::Keccak(o, l)),
        1 => (0u8..=4, 0u16..256, 0u8..80).prop_map(|(t, o, l)| Op::Log(t, o, l)),
        1 => any::<u8>().prop_map(Op::CallDataLoad),
        1 => (0u16..256, any::<u8>(), 0u8..96).prop_map(|(d, s, l)| Op::CallDataCopy(d, s, l)),
        1 => (0u16..256, 0u16..256, 0u8..96).prop_map(|(d, s, l)| Op::MCopy(d, s, l)),
        2 => proptest::sample::select(ENV).prop_map(Op::Env),
    ]
}

fn push(code: &mut Vec<u8>, v: U256) {
    let bytes = v.to_be_bytes::<32>();
    let skip = bytes.iter().take_while(|b| **b == 0).count().min(31);
    code.push(0x5f + (32 - skip) as u8);
    code.extend_from_slice(&bytes[skip..]);
}

/// `PUSH value, PUSH key, opcode` (MSTORE, MSTORE8, SSTORE, TSTORE).
fn store(code: &mut Vec<u8>, value: U256, key: u64, opcode: u8) {
    push(code, value);
    push(code, U256::from(key));
    code.push(opcode);
}

/// `PUSH arg, opcode` for one-input, one-output loads.
fn load(code: &mut Vec<u8>, depth: &mut usize, arg: u64, opcode: u8) {
    push(code, U256::from(arg));
    code.push(opcode);
    *depth += 1;
}

/// `PUSH len, PUSH src, PUSH dst, opcode` (CALLDATACOPY, MCOPY).
fn copy(code: &mut Vec<u8>, dst: u64, src: u64, len: u64, opcode: u8) {
    push(code, U256::from(len));
    push(code, U256::from(src));
    push(code, U256::from(dst));
    code.push(opcode);
}

/// Assembles ops, keeping the stack between 0 and 1000 and operands in range; ends with STOP.
fn assemble(ops: &[Op]) -> Vec<u8> {
    let mut code = Vec::new();
    let mut depth = 0usize;
    let need = |code: &mut Vec<u8>, depth: &mut usize, n: usize| {
        while *depth < n {
            push(code, U256::from(*depth as u64 * 7 + 3));
            *depth += 1;
        }
    };
    let u = |x: u64| U256::from(x);
    for op in ops {
        if depth > 900 {
            code.push(0x50);
            depth -= 1;
        }
        match op {
            Op::Push(b) => {
                code.push(0x5f + b.len() as u8);
                code.extend_from_slice(b);
                depth += 1;
            }
            Op::Pure(c) => {
                let n_in = match c {
                    0x08 | 0x09 => 3,
                    0x15 | 0x19 | 0x1e => 1,
                    _ => 2,
                };
                need(&mut code, &mut depth, n_in);
                code.push(*c);
                depth = depth - n_in + 1;
            }
            Op::Dup(n) => {
                need(&mut code, &mut depth, *n as usize);
                code.push(0x7f + n);
                depth += 1;
            }
            Op::Swap(n) => {
                need(&mut code, &mut depth, *n as usize + 1);
                code.push(0x8f + n);
            }
            Op::Pop => {
                need(&mut code, &mut depth, 1);
                code.push(0x50);
                depth -= 1;
            }
            Op::MStore(key, v) => store(&mut code, *v, *key as u64, 0x52),
            Op::SStore(key, v) => store(&mut code, *v, *key as u64, 0x55),
            Op::TStore(key, v) => store(&mut code, *v, *key as u64, 0x5d),
            Op::MStore8(o, v) => store(&mut code, u(*v as u64), *o as u64, 0x53),
            Op::MLoad(arg) => load(&mut code, &mut depth, *arg as u64, 0x51),
            Op::CallDataLoad(arg) => load(&mut code, &mut depth, *arg as u64, 0x35),
            Op::SLoad(arg) => load(&mut code, &mut depth, *arg as u64, 0x54),
            Op::TLoad(arg) => load(&mut code, &mut depth, *arg as u64, 0x5c),
            Op::Keccak(o, l) => {
                push(&mut code, u(*l as u64));
                push(&mut code, u(*o as u64));
                code.push(0x20);
                depth += 1;
            }
            Op::Log(t, o, l) => {
                for i in 0..*t {
                    push(&mut code, u(i as u64 * 0x1111 + 1));
                }
                push(&mut code, u(*l as u64));
                push(&mut code, u(*o as u64));
                code.push(0xa0 + t);
            }
            Op::CallDataCopy(d, src, l) => copy(&mut code, *d as u64, *src as u64, *l as u64, 0x37),
            Op::MCopy(d, src, l) => copy(&mut code, *d as u64, *src as u64, *l as u64, 0x5e),
            Op::Env(c) => {
                code.push(*c);
                depth += 1;
            }
        }
    }
    code.push(0x00);
    code
}

struct Run {
    witness: zkevm_evm_spec::witness::Witness,
    top: TopFrame,
    outcome: Outcome,
    db: MemDb,
}

fn run(code: &[u8], calldata: &[u8]) -> Run {
    let CallSetup {
        mut db,
        block,
        chain,
        tx,
    } = call_setup(code, calldata);
    let mut insp = (
        Recorder::new(tx_context(&block, &chain, &tx)),
        TopFrame::default(),
    );
    let outcome =
        execute(&mut db, &block, &chain, tx, Some(&mut insp)).unwrap_or_else(|e| panic!("{e}"));
    let (recorder, top) = insp;
    Run {
        witness: recorder.finish().unwrap_or_else(|e| panic!("{e}")),
        top,
        outcome,
        db,
    }
}

fn logs_of(outcome: &Outcome) -> Vec<Log> {
    match outcome {
        Outcome::Executed { logs, .. } => logs.clone(),
        Outcome::Invalid(e) => panic!("invalid: {e}"),
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 96, ..ProptestConfig::default() })]

    #[test]
    fn witness_replay_matches_revm(ops in proptest::collection::vec(op(), 1..80), calldata in proptest::collection::vec(any::<u8>(), 0..100)) {
        let code = assemble(&ops);
        let r = run(&code, &calldata);
        prop_assert!(matches!(r.outcome, Outcome::Executed { success: true, .. }), "{:?}", r.outcome);
        // Every op assembles to at least one executed instruction, plus the final STOP.
        prop_assert!(r.witness.steps.len() > ops.len());
        let fin = match final_state(&r.witness) {
            Ok(f) => f,
            Err(e) => return Err(TestCaseError::fail(format!("checker rejected: {e}"))),
        };
        prop_assert_eq!(&fin.stack, &r.top.stack);
        prop_assert_eq!(&fin.memory, &r.top.memory);
        prop_assert_eq!(fin.gas_left, r.top.gas_left);
        // Storage: every slot of the callee the witness knows of has the post-state value.
        let post = r.db.accounts().get(&CALLEE).map(|a| a.storage.clone()).unwrap_or_default();
        for ((address, key), v) in &fin.storage {
            prop_assert_eq!(*address, CALLEE);
            prop_assert_eq!(post.get(key).copied().unwrap_or_default(), *v);
        }
        for (key, v) in &post {
            prop_assert_eq!(fin.storage.get(&(CALLEE, *key)), Some(v));
        }
        let logs: Vec<(Address, Vec<B256>, Bytes)> = logs_of(&r.outcome)
            .into_iter()
            .map(|l| (l.address, l.topics().to_vec(), l.data.data.clone()))
            .collect();
        prop_assert_eq!(fin.logs, logs);
    }
}
