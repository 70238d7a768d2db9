//! The CPU trace of a witness, and what the other components and the statement must hold for
//! it: the bytes it fetches, the PUSH values it takes, the stack and storage accesses it sends,
//! the range checks it asks for.

use super::{
    col, far_size_operand, Cpu, Family, Halt, HaltKind, CALLDATA_BASE, FAR_GAS_BITS, FAR_OFFSET,
    KECCAK_WORD_GAS, LOG_BYTE_GAS, LOG_TOPIC_GAS, SSTORE_SENTRY, STACK_LIMIT,
};
use crate::account::AccountOp;
use crate::alu::AluOp;
use crate::bytecode::{self, code_id, Uses};
use crate::call::CallOp;
use crate::component::{padded_len, Component};
use crate::copy::{self, CopyOp};
use crate::exp::{ExpOp, GAS_PER_BYTE};
use crate::log::LogOp;
use crate::memory::MemoryOp;
use crate::modular::ModularOp;
use crate::output::OutputOp;
use crate::rollback::Rollback;
use crate::rw::{limbs, Access, Kind};
use crate::sponge;
use crate::storage::{address_limbs, StorageOp, ADDRESS_LIMBS};
use std::collections::{BTreeMap, HashMap, HashSet};
use std::fmt;
use zkevm_evm_spec::opcodes::stack_slots;
use zkevm_evm_spec::witness::{AccountField, FrameKind, RwTarget, Witness, Word};
use zkevm_field::Goldilocks;

/// Why a witness has no CPU trace.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum CpuError {
    /// Valid execution that this version of the CPU does not prove yet.
    Unsupported(String),
    /// The witness contradicts itself (it would fail the evm-spec checker).
    Witness { step: usize, reason: String },
}

impl fmt::Display for CpuError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            CpuError::Unsupported(what) => write!(f, "unsupported: {what}"),
            CpuError::Witness { step, reason } => write!(f, "witness step {step}: {reason}"),
        }
    }
}

impl std::error::Error for CpuError {}

/// A frame's CPU table and its demands on the rest of the block.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CpuTrace {
    pub columns: Vec<Vec<Goldilocks>>,
    /// The frame's id, its storage address, and its code's position in `witness.bytecodes`.
    pub ctx: u32,
    pub address: [u8; 20],
    pub code_position: usize,
    /// Gas at the first step, and left after the STOP (0 after a halt).
    pub gas: u64,
    pub gas_left: u64,
    /// The RW counter after the frame's last step (its first step's is 0).
    pub ctr_end: u64,
    /// The step that halted, if the frame failed so.
    pub halt: Option<Halt>,
    /// Steps per opcode byte.
    pub opcode_counts: [u64; 256],
    /// How the steps use each byte of each code, by code position and index.
    pub uses: HashMap<(usize, usize), Uses>,
    /// The calls, in execution order.
    pub calls: Vec<CallOp>,
    /// The transfers of the calls moving value and of the SELFDESTRUCTs, in execution order.
    pub transfers: Vec<crate::call::Transfer>,
    /// The failing frame undoing each SELFDESTRUCT under one, whose Call row provides its
    /// end to the SELFDESTRUCT's row.
    pub sweep_frames: Vec<u32>,
    /// How each failed callee halted.
    pub sub_halts: Vec<Halt>,
    /// The stack accesses the rows send, counters numbered by the CPU (from 0).
    pub stack: Vec<Access>,
    /// The storage accesses the rows send.
    pub storage: Vec<StorageOp>,
    /// The memory operations the rows send.
    pub memory: Vec<MemoryOp>,
    /// The arithmetic operations the rows send.
    pub alu: Vec<AluOp>,
    /// The final RETURN or REVERT, with the frame's output.
    pub output: Option<OutputOp>,
    /// The frame ended with REVERT.
    pub reverted: bool,
    /// The non-empty copies the rows send.
    pub copies: Vec<CopyOp>,
    /// ADDMOD / MULMOD steps, whose results the Modular component writes.
    pub modular: Vec<ModularOp>,
    /// EXP steps, whose results the Exp component proves.
    pub exp: Vec<ExpOp>,
    /// LOG steps, whose topics and data the Log component reads.
    pub logs: Vec<LogOp>,
    /// How many times each source byte `(opcode, code position, index)` was copied (the
    /// code position: CODECOPY's running code, EXTCODECOPY's address's (read as CODECOPY's,
    /// [`bytecode::NO_CODE`] for none); 0 for CALLDATACOPY).
    pub copy_reads: BTreeMap<(u8, u32, u64), u64>,
    /// The addresses EXTCODECOPY copied from, with the code each has (its position, or
    /// [`bytecode::NO_CODE`]) and how often.
    pub ext_codes: BTreeMap<([u8; 20], u32), u64>,
    /// The value each context opcode pushed.
    pub context: BTreeMap<u8, Word>,
    /// How often callees ran each (transaction-wide) context opcode.
    pub callee_context: BTreeMap<u8, u64>,
    /// How often each calldata offset was loaded.
    pub calldata_reads: BTreeMap<Word, u64>,
    /// BLOBHASH indices read, with their counts.
    pub blob_hash_reads: BTreeMap<Word, u64>,
    /// The accesses of BALANCE, EXTCODESIZE and EXTCODEHASH.
    pub accounts: Vec<AccountOp>,
    /// What each of them and each SELFBALANCE read, `(opcode, key, value, ctr)` in execution
    /// order: the key is the operand, SELFBALANCE's its frame's account.
    pub account_reads: Vec<(u8, Word, Word, u64)>,
    /// The 16-bit values the rows look up.
    pub range_lookups: Vec<u16>,
}

fn rows_of(columns: &[Vec<Goldilocks>]) -> usize {
    columns.first().map_or(0, Vec::len)
}

fn unsupported(what: impl Into<String>) -> CpuError {
    CpuError::Unsupported(what.into())
}

fn opcode_name(opcode: u8) -> String {
    match zkevm_evm_spec::opcodes::info(opcode) {
        Some(info) => info.name.to_string(),
        None => format!("invalid opcode 0x{opcode:02x}"),
    }
}

/// A sub-frame as unsupported reports name it (the order in which calls are worth proving):
/// its kind, whether it moves value, whether it calls a precompile and whether it fails.
fn frame_kind(witness: &Witness, frame: usize) -> String {
    let f = &witness.frames[frame];
    let kind = match f.kind {
        FrameKind::Call => "CALL",
        FrameKind::CallCode => "CALLCODE",
        FrameKind::DelegateCall => "DELEGATECALL",
        FrameKind::StaticCall => "STATICCALL",
        FrameKind::Create => "CREATE",
        FrameKind::Create2 => "CREATE2",
    };
    let precompile = !matches!(f.kind, FrameKind::Create | FrameKind::Create2)
        && zkevm_evm_spec::exec::is_precompile(&f.code_address);
    format!(
        "{kind} sub-frame{}{}{}{}",
        if matches!(witness.frames[0].kind, FrameKind::Create) {
            " of init code"
        } else {
            ""
        },
        // A DELEGATECALL frame shows its caller's value; it moves none.
        if f.value.is_zero() || f.kind == FrameKind::DelegateCall {
            ""
        } else {
            " with value"
        },
        if precompile { " to a precompile" } else { "" },
        if f.success { "" } else { ", failing" },
    )
}

/// What the CPU keeps of one frame while another runs: its code, account, context and memory,
/// and its stack's words.
struct FrameRegisters<'w> {
    code_position: usize,
    code: &'w [u8],
    id: Goldilocks,
    address_limbs: [u32; crate::storage::ADDRESS_LIMBS],
    /// The frame id on the bus: 0 for the transaction's own, the call's counter plus one for
    /// a callee.
    ctx: u32,
    root: bool,
    is_static: bool,
    depth: u16,
    /// The failing frame whose end undoes this frame's effects (itself, if it fails; its
    /// caller's, if that one's are undone), if any.
    rollback: Rollback,
    memory_size: MemorySize,
    /// The frame's memory bytes as its steps leave them: MCOPY copies from here.
    memory_bytes: Vec<u8>,
    /// The value each stack slot holds, as the steps leave it.
    stack_words: HashMap<u32, Word>,
    /// The last call's output: the callee's frame id, the output's offset in its memory and
    /// its size (EIP-211's return data; empty before any call).
    return_data: ReturnData,
}

/// A frame's return data registers ([`super::col::RD_CTX`] …): where the last callee's output
/// lies, and the bytes themselves.
#[derive(Debug, Clone, Default)]
struct ReturnData {
    ctx: u32,
    offset: u32,
    bytes: Vec<u8>,
}

impl ReturnData {
    /// What a call leaves its caller before its callee's output is known: the callee's frame
    /// and no bytes (so a call into no code, or a callee ending without RETURN or REVERT,
    /// leaves empty return data).
    fn of_call(op: &CallOp) -> Self {
        ReturnData {
            ctx: op.callee_ctx(),
            ..ReturnData::default()
        }
    }
}

/// EXTCODECOPY's address and the code it copies from (its statement position, or
/// [`bytecode::NO_CODE`] for none).
struct ExtCopy<'a> {
    address: [u8; 20],
    position: u32,
    code: &'a [u8],
    warm: bool,
}

/// The [`ExtCopy`] of an EXTCODECOPY step popping `word`: `warm` and `code_hash` as the witness
/// recorded them (neither for a step halting on its cost, which copies nothing: its warmth is
/// found in the accesses before it, and its code is not looked up).
fn ext_copy<'a>(
    witness: &'a Witness,
    order: &[usize],
    step: &zkevm_evm_spec::witness::Step,
    word: &Word,
    warm: Option<bool>,
    code_hash: Option<Word>,
) -> Result<ExtCopy<'a>, CpuError> {
    if *word >> 160 != Word::ZERO {
        return Err(unsupported(
            "EXTCODECOPY of an address word with bits above its 160",
        ));
    }
    let address = crate::storage::address_of_word(word);
    let warm = warm
        .unwrap_or_else(|| witness.address_warm_before(step.rw_start as usize, &address.into()));
    let no_code = ExtCopy {
        address,
        position: bytecode::NO_CODE,
        code: &[],
        warm,
    };
    let Some(hash) = code_hash else {
        return Ok(no_code);
    };
    // (The account's own code, whatever a call to it runs: a precompile's account holds
    // none, a delegated one its EIP-7702 designator.)
    if hash.to_be_bytes::<32>() == sponge::digest(&[]) {
        return Ok(no_code);
    }
    let position = (order.iter())
        .position(|&i| Word::from_be_bytes(witness.bytecodes[i].hash.0) == hash)
        .ok_or_else(|| unsupported("EXTCODECOPY of a code the witness does not hold"))?;
    let code = &witness.bytecodes[order[position]].code[..];
    Ok(ExtCopy {
        address,
        position: position as u32,
        code,
        warm,
    })
}

/// The witness's codes in the order of the statement: the transaction's own frame's first
/// (only it may serve CODECOPY), then the others as the witness lists them. Positions into
/// `witness.bytecodes`.
pub fn code_order(witness: &Witness) -> Vec<usize> {
    let root = (witness.frames.first())
        .and_then(|f| witness.bytecodes.iter().position(|c| c.hash == f.code_hash));
    root.into_iter()
        .chain((0..witness.bytecodes.len()).filter(|&i| Some(i) != root))
        .collect()
}

impl<'w> FrameRegisters<'w> {
    fn new(
        witness: &'w Witness,
        order: &[usize],
        frame: usize,
        ctx: u32,
        caller_rollback: Rollback,
    ) -> Result<Self, CpuError> {
        let f = &witness.frames[frame];
        let fails = frame != 0 && !f.success;
        // The innermost failing frame: its end undoes the frame's effects first.
        let rollback = match fails {
            true => Rollback(Some(ctx)),
            false => caller_rollback,
        };
        let code_position = (order.iter())
            .position(|&i| witness.bytecodes[i].hash == f.code_hash)
            .ok_or_else(|| CpuError::Witness {
                step: 0,
                reason: format!("frame {frame}'s code is not among the witness's bytecodes"),
            })?;
        Ok(Self {
            code_position,
            code: &witness.bytecodes[order[code_position]].code,
            id: Goldilocks::new(code_id(code_position)),
            address_limbs: address_limbs(&f.address.into_array()),
            ctx,
            root: frame == 0,
            is_static: f.is_static,
            depth: f.depth,
            rollback,
            memory_size: MemorySize::default(),
            memory_bytes: Vec::new(),
            stack_words: HashMap::new(),
            return_data: ReturnData::default(),
        })
    }
}

/// A precompile's name (Osaka's set), or its address.
fn precompile_name(address: &[u8; 20]) -> String {
    let number = u16::from_be_bytes([address[18], address[19]]);
    let name = match number {
        0x01 => "ECRECOVER",
        0x02 => "SHA256",
        0x03 => "RIPEMD160",
        0x04 => "IDENTITY",
        0x05 => "MODEXP",
        0x06 => "BN254 ADD",
        0x07 => "BN254 MUL",
        0x08 => "BN254 PAIRING",
        0x09 => "BLAKE2F",
        0x0a => "KZG POINT EVALUATION",
        0x0b..=0x11 => "BLS12-381",
        0x100 => "P256VERIFY",
        _ => "",
    };
    format!("{name} (0x{number:x})").trim_start().to_string()
}

/// Why a sub-frame is not proven yet, if it is not: this version proves CALL, CALLCODE,
/// DELEGATECALL and STATICCALL (from a message call or from init code), into code or into an
/// account without it, and those whose value the caller's balance does not cover (no step
/// runs); and CREATE and CREATE2 as [`unproven_create`] allows.
fn unsupported_subframe(witness: &Witness, frame: usize, has_steps: bool) -> Option<String> {
    let f = &witness.frames[frame];
    let why = if matches!(f.kind, FrameKind::Create | FrameKind::Create2) {
        return unproven_create(witness, frame, has_steps as usize);
    } else if zkevm_evm_spec::exec::is_precompile(&f.code_address) {
        format!(
            "a call to the {} precompile",
            precompile_name(&f.code_address.into_array())
        )
    } else if !has_steps && f.status == "CallTooDeep" {
        "a call that opens no frame (the depth limit)".into()
    } else if !has_steps && f.status != "OutOfFunds" && f.code_hash.0 != sponge::digest(&[]) {
        "a sub-frame of code that runs no step".into()
    } else {
        return None;
    };
    Some(format!("{why} (not proven yet)"))
}

/// Why a create's frame is not proven yet, if it is not (`rows`: its steps): one that opens
/// no frame or runs no step (an early failure other than a balance short of its value or a
/// collision with an account).
fn unproven_create(witness: &Witness, frame: usize, rows: usize) -> Option<String> {
    let f = &witness.frames[frame];
    if !matches!(f.kind, FrameKind::Create | FrameKind::Create2) {
        return None;
    }
    let why = if rows == 0 && !matches!(f.status.as_str(), "OutOfFunds" | "CreateCollision") {
        "it runs no step"
    } else {
        return None;
    };
    Some(format!(
        "a {}: {why} (not proven yet)",
        frame_kind(witness, frame)
    ))
}

/// A frame's calldata: none for init code (the witness's input is the init code itself).
fn calldata_of(frame: &zkevm_evm_spec::witness::Frame) -> &[u8] {
    match frame.kind {
        FrameKind::Create | FrameKind::Create2 => &[],
        _ => &frame.input,
    }
}

/// The accounts where a create of the transaction deploys code: a call into one finds that
/// code from the create's end on (and none before it), an EXTCODECOPY of it is not proven
/// yet. (Gathered once: calls look each target up.)
fn deployed_by_creates(witness: &Witness) -> HashSet<[u8; 20]> {
    (witness.frames.iter())
        .filter(|f| matches!(f.kind, FrameKind::Create | FrameKind::Create2))
        .filter(|f| f.success && !f.output.is_empty())
        .map(|f| f.address.into_array())
        .collect()
}

/// What [`deployed_by_creates`] leaves unproven.
const DEPLOYED_CODE_USED: &str = "EXTCODECOPY of code the transaction deployed";

/// The CPU trace of a witness: the transaction's own frame, and the frames it calls, of
/// supported opcodes.
pub fn trace(witness: &Witness) -> Result<CpuTrace, CpuError> {
    if witness.frames.is_empty() {
        return Err(unsupported("the transaction runs no code"));
    }
    // A statement's codes are shorter (a jump to 2²² or beyond is proven to land past them).
    if (witness.bytecodes.iter()).any(|c| c.code.len() as u64 >= FAR_OFFSET) {
        return Err(unsupported("a code of 2^22 bytes or more"));
    }
    let steps = &witness.steps;
    // Rows: each frame's steps together, in execution order, frames in order.
    let mut frame_rows = vec![0usize; witness.frames.len()];
    let mut last_step = vec![None; witness.frames.len()];
    for (i, step) in steps.iter().enumerate() {
        let f = step.frame as usize;
        if f >= witness.frames.len() {
            return Err(CpuError::Witness {
                step: i,
                reason: format!("a step of frame {f}, which the witness does not have"),
            });
        }
        frame_rows[f] += 1;
        last_step[f] = Some(i);
    }
    if let Some(why) =
        (1..witness.frames.len()).find_map(|f| unsupported_subframe(witness, f, frame_rows[f] > 0))
    {
        return Err(unsupported(why));
    }
    // The frame each call step opens.
    let deployed = deployed_by_creates(witness);
    let callee_of: HashMap<u32, usize> = (witness.frames.iter().enumerate())
        .filter_map(|(f, frame)| frame.call_step.map(|step| (step, f)))
        .collect();
    let frame = &witness.frames[0];
    let order = code_order(witness);
    let mut cur = FrameRegisters::new(witness, &order, 0, 0, Rollback(None))?;
    let code_position = cur.code_position;
    let address: [u8; 20] = frame.address.into_array();
    let root_last = last_step[0].ok_or_else(|| unsupported("a frame without steps"))?;
    let last = &steps[root_last];
    if root_last + 1 != steps.len() {
        return Err(unsupported(
            "a frame whose last step is not the transaction's last",
        ));
    }
    let mut next_row: Vec<usize> = (frame_rows.iter())
        .scan(0, |start, &n| {
            let first = *start;
            *start += n;
            Some(first)
        })
        .collect();
    let frame_start = next_row.clone();
    let row_of: Vec<usize> = (steps.iter())
        .map(|step| {
            let row = next_row[step.frame as usize];
            next_row[step.frame as usize] += 1;
            row
        })
        .collect();
    // The frames a step suspends (its caller's registers) or has yet to start.
    let mut suspended: HashMap<u32, FrameRegisters> = HashMap::new();
    let mut running: u32 = 0;
    // Calls, by the frame they open.
    let mut calls: Vec<CallOp> = Vec::new();
    let mut call_of_frame: HashMap<u32, (usize, usize)> = HashMap::new();
    let rows = padded_len(steps.len());
    let mut columns = vec![vec![Goldilocks::ZERO; rows]; Cpu::COLUMNS.len()];
    let mut opcode_counts = [0u64; 256];
    let mut uses: HashMap<(usize, usize), Uses> = HashMap::new();
    let mut stack = Vec::new();
    let mut storage = Vec::new();
    let mut transient_slots: HashMap<([u32; 5], Word), Word> = HashMap::new();
    // What the TSTOREs under a failing frame overwrote, undone at its end (the Storage
    // component's restore rows prove the same).
    let mut transient_undo = Vec::new();
    let mut memory = Vec::new();
    let mut alu = Vec::new();
    let mut output = None;
    let mut copy_ops = Vec::new();
    let mut modular_ops = Vec::new();
    let mut exp_ops = Vec::new();
    let mut log_ops = Vec::new();
    let mut copy_reads = BTreeMap::new();
    let mut ext_codes = BTreeMap::new();
    // What the frame's copies read: its calldata and its code.
    let calldata = calldata_of(frame).to_vec();
    let mut reverted = false;
    let mut context = BTreeMap::new();
    let mut callee_context = BTreeMap::new();
    let mut calldata_reads = BTreeMap::new();
    let mut blob_hash_reads = BTreeMap::new();
    let mut accounts = Vec::new();
    let mut sweeps = Vec::new();
    // The SELFDESTRUCTs under failing frames: `(index in sweeps, row, failing frame)`.
    let mut undone_sweeps = Vec::new();
    let mut account_reads = Vec::new();
    let mut range_lookups = Vec::with_capacity(steps.len());
    let mut ctr: u32 = 0;
    let mut halt = None;
    // How each failed callee halted.
    let mut sub_halts: BTreeMap<u32, Halt> = BTreeMap::new();
    for (i, step) in steps.iter().enumerate() {
        let r = row_of[i];
        let bad = |reason: String| CpuError::Witness { step: i, reason };
        if step.frame != running {
            let next = (suspended.remove(&step.frame))
                .ok_or_else(|| bad("a frame running before its call".into()))?;
            suspended.insert(running, std::mem::replace(&mut cur, next));
            running = step.frame;
        }
        let ctx = cur.ctx;
        // The return data registers before the step (a call changes them for the next).
        let return_data = (cur.return_data.ctx, cur.return_data.offset);
        let return_size = cur.return_data.bytes.len() as u64;
        let frame_last = last_step[step.frame as usize] == Some(i);
        // A far-memory halt's operand and size: (stack depth, value) each.
        let mut far: Option<((u32, Word), (u32, Word))> = None;
        // The frame's last step runs out of gas on the dynamic cost its own row computes.
        let mut near = false;
        let mut step_halt = None;
        let opcode = step.opcode;
        let info = zkevm_evm_spec::opcodes::info(opcode);
        let (family, n, static_gas) = match step.error.as_deref() {
            None => {
                let (family, n) =
                    Family::of(opcode).ok_or_else(|| unsupported(opcode_name(opcode)))?;
                (family, n, info.map_or(0, |i| i.static_gas) as u64)
            }
            Some(error) => 'halt: {
                // Every halt ends its frame.
                if !frame_last {
                    return Err(bad("a halt that is not the frame's last step".into()));
                }
                // The operands placing memory (or a jump's destination, or RETURNDATACOPY's
                // range in the return data) at 2²² or more, which a far halt's row shows.
                let far_found = (step.gas < 1 << FAR_GAS_BITS)
                    .then(|| far_operands(opcode, step.stack_size as usize, &cur.stack_words))
                    .flatten();
                // A taken jump to a byte that is no JUMPDEST: the step decodes as itself, and
                // `halt_near` ends the frame with the destination looked up as a bad one.
                if error == "InvalidJump" {
                    let Some((family @ (Family::Jump | Family::JumpI), n)) = Family::of(opcode)
                    else {
                        return Err(bad(format!("{} halting on a jump", opcode_name(opcode))));
                    };
                    // A destination of 2²² or more lies past every code: the far halt's row
                    // shows it (and, for JUMPI, the condition not zero).
                    if let Some(operands) = far_found {
                        far = Some(operands);
                        let this = Halt {
                            opcode,
                            kind: HaltKind::FarJump,
                        };
                        step_halt = Some(this);
                        break 'halt halt_table_row(this).map_err(bad)?;
                    }
                    near = true;
                    step_halt = Some(Halt {
                        opcode,
                        kind: HaltKind::InvalidJump,
                    });
                    break 'halt (family, n, info.map_or(0, |i| i.static_gas as u64));
                }
                // RETURNDATACOPY past the return data (EIP-211): the step decodes through its
                // usual row, and `halt_near` ends the frame with `offset + size > rd_size`
                // shown instead of a shortfall.
                // A static frame's CALL moving value (EIP-214): the step decodes through its
                // usual row, and `halt_near` ends the frame, its Call row showing why.
                if error == "CallNotAllowedInsideStatic" && opcode == crate::call::CALL {
                    near = true;
                    step_halt = Some(Halt {
                        opcode,
                        kind: HaltKind::StaticCallValue,
                    });
                    let (family, n) =
                        Family::of(opcode).ok_or_else(|| bad("CALL undecoded".into()))?;
                    break 'halt (family, n, info.map_or(0, |i| i.static_gas as u64));
                }
                // (Unless an operand lies at 2²² or more: the far halt's row shows that instead,
                // which also serves offsets and sizes the row could not hold in one limb.)
                if error == "OutOfOffset" && opcode == super::RETURNDATACOPY {
                    if let Some(operands) = far_found {
                        far = Some(operands);
                        let this = Halt {
                            opcode,
                            kind: HaltKind::FarMemory {
                                operand: operands.0 .0 as u8,
                            },
                        };
                        step_halt = Some(this);
                        break 'halt halt_table_row(this).map_err(bad)?;
                    }
                    near = true;
                    step_halt = Some(Halt {
                        opcode,
                        kind: HaltKind::ReturnDataOutOfBounds,
                    });
                    let static_cost = info.map_or(0, |i| i.static_gas as u64);
                    break 'halt (Family::ReturnDataCopy, 0, static_cost);
                }
                let mut kind = match error {
                    "StackUnderflow" | "StackOverflow" => HaltKind::Stack,
                    _ if error.contains("OOG") || error == "OutOfGas" => HaltKind::OutOfGas,
                    "InvalidFEOpcode" | "OpcodeNotFound" | "InvalidOpcode" => HaltKind::Invalid,
                    "StateChangeDuringStaticCall" => HaltKind::StaticWrite,
                    _ => {
                        return Err(unsupported(format!(
                            "exceptional halt ({error}) of {}",
                            opcode_name(opcode)
                        )))
                    }
                };
                // Out of gas after the step's static cost is paid: proven when an operand
                // places memory far out, or when the step's row computes its dynamic cost
                // ([`Family::may_halt_on_own_cost`]); other dynamic costs (a delegation's) are
                // not proven yet.
                let static_cost = info.map_or(0, |i| i.static_gas as u64);
                // SSTORE at or below the call stipend: the sentry's halt, before any cost.
                let sentry = error == "ReentrancySentryOOG" && opcode == super::SSTORE;
                if kind == HaltKind::OutOfGas && step.gas >= static_cost && !sentry {
                    // (An SSTORE at or below the stipend fails before reading anything: its
                    // `ReentrancySentryOOG` is not a shortfall on its cost.)
                    let own_cost = Family::of(opcode).filter(|(f, _)| {
                        f.may_halt_on_own_cost() && (*f != Family::Sstore || error == "OutOfGas")
                    });
                    match (far_found, own_cost) {
                        (Some((operand, size)), _) => {
                            kind = HaltKind::FarMemory {
                                operand: operand.0 as u8,
                            };
                            far = Some((operand, size));
                        }
                        (None, Some((family, n))) => {
                            near = true;
                            step_halt = Some(Halt {
                                opcode,
                                kind: HaltKind::DynamicCost,
                            });
                            break 'halt (family, n, static_cost);
                        }
                        (None, None) => {
                            return Err(unsupported(format!(
                                "exceptional halt ({error}) on the dynamic cost of {}",
                                opcode_name(opcode)
                            )))
                        }
                    };
                }
                let this = Halt { opcode, kind };
                step_halt = Some(this);
                halt_table_row(this).map_err(bad)?
            }
        };
        if let Some(h) = step_halt {
            match cur.root {
                true => halt = Some(h),
                false => {
                    sub_halts.insert(step.frame, h);
                }
            }
        }
        let pc = step.pc as usize;
        // The Bytecode table holds the code and zeros up to its padded length (its span): the
        // STOPs the EVM executes past the end, and the zeros a PUSH reads there.
        // A callee's ADDRESS, CALLER, CALLVALUE, CALLDATASIZE and CODESIZE come from its Call
        // row.
        let from_call_row = (crate::call::FRAME_CONTEXT_OPCODES.iter()).position(|&o| o == opcode);
        let from_call_row = from_call_row.filter(|_| family == Family::Context && !cur.root);
        let frame_context = family == Family::Context
            && !super::is_transaction_wide(opcode)
            && from_call_row.is_none();
        if !cur.root && frame_context {
            return Err(unsupported(format!(
                "{} in a sub-frame",
                opcode_name(opcode)
            )));
        }
        let code = cur.code;
        let span = crate::sponge::padded_size(code.len());
        let byte = match pc < span {
            true => Some(code.get(pc).copied().unwrap_or(0)),
            false => None,
        };
        match byte {
            Some(byte) if byte == opcode => {}
            Some(byte) => return Err(bad(format!("opcode 0x{opcode:02x}, code has 0x{byte:02x}"))),
            None => {
                return Err(unsupported(
                    "execution past the end of the code and its padding",
                ))
            }
        }
        if family == Family::Push && pc + n as usize >= span {
            return Err(unsupported(
                "a PUSH whose data runs past the end of the code's padding",
            ));
        }
        let mut dynamic_gas = match family {
            _ if family.is_halt() || near => 0,
            _ => step
                .gas_cost
                .checked_sub(static_gas)
                .ok_or_else(|| bad("charges less than the static gas".into()))?,
        };
        let storage_step = matches!(
            family,
            Family::Sload | Family::Sstore | Family::Tload | Family::Tstore
        );
        let transient = matches!(family, Family::Tload | Family::Tstore);
        let memory_step = matches!(family, Family::Mload | Family::Mstore | Family::Mstore8);
        let returns = matches!(family, Family::Return | Family::Revert);
        let copies = family.copies_into_memory();
        let logs = family == Family::Log;
        let hashes = family == Family::Keccak;
        let account_step = family == Family::Account;
        let expands = memory_step || returns || copies || logs || hashes;
        let calls_here = family == Family::Call;
        let ext_copies = family == Family::ExtCodeCopy;
        // (EIP-6780: the sweep of an account the transaction created also destroys it at the
        // transaction's end; the verifier's replay knows which accounts those are.)
        let destructs = family == Family::SelfDestruct;
        let dynamic = storage_step
            || account_step
            || expands
            || calls_here
            || destructs
            || family == Family::Exp;
        if dynamic_gas != 0 && !dynamic {
            return Err(unsupported(format!(
                "{} charging dynamic gas",
                opcode_name(opcode)
            )));
        }
        // The step's stack words in order, and what it read from storage state.
        let mut words = Vec::new();
        let (mut warm, mut before, mut original) = (None, None, None);
        let mut account_warm = None;
        let mut ext_code_hash = None;
        let mut swept = None;
        let mut operands = Vec::new();
        for entry in witness.step_rw(i) {
            match entry.target {
                // A call's operands (the Call component reads them), its target's warmth, and
                // what opening the callee records (its success flag is written on return).
                RwTarget::Stack { slot, .. } if calls_here && !entry.write => {
                    operands.push((slot, entry.value))
                }
                RwTarget::AccessList { key: None, .. } if calls_here && !entry.write => {
                    account_warm = Some(!entry.value.is_zero())
                }
                _ if calls_here => {}
                RwTarget::Stack { slot, .. } => words.push((slot, entry.write, entry.value)),
                RwTarget::AccessList { key: Some(_), .. } if !entry.write => {
                    warm = Some(!entry.value.is_zero())
                }
                RwTarget::Storage { .. } if !entry.write => before = Some(entry.value),
                RwTarget::Transient { .. } if transient => {}
                // An account access: its warmth before the step, the warming, the value (which
                // the step pushes, and the verifier computes).
                RwTarget::AccessList { key: None, .. } if account_step && !entry.write => {
                    account_warm = Some(!entry.value.is_zero())
                }
                RwTarget::AccessList { key: None, .. } | RwTarget::Account { .. }
                    if account_step => {}
                // EXTCODECOPY: its address's warmth and code (the step copies from it).
                RwTarget::AccessList { key: None, .. } if ext_copies && !entry.write => {
                    account_warm = Some(!entry.value.is_zero())
                }
                RwTarget::Account {
                    field: AccountField::CodeHash,
                    ..
                } if ext_copies && !entry.write => ext_code_hash = Some(entry.value),
                RwTarget::AccessList { key: None, .. } if ext_copies => {}
                // SELFDESTRUCT: its beneficiary's warmth, the balance it sends (read first),
                // and the warming and the balances it writes.
                RwTarget::AccessList { key: None, .. } if destructs && !entry.write => {
                    account_warm = Some(!entry.value.is_zero())
                }
                RwTarget::Account {
                    field: AccountField::Balance,
                    ..
                } if destructs && !entry.write => swept = Some(entry.value),
                RwTarget::AccessList { key: None, .. } | RwTarget::Account { .. }
                    if destructs && entry.write => {}
                RwTarget::AccessList { .. } | RwTarget::Storage { .. } if storage_step => {}
                RwTarget::StorageOriginal { .. } if storage_step && !entry.write => {
                    original = Some(entry.value)
                }
                RwTarget::StorageOriginal { .. } | RwTarget::Refund if storage_step => {}
                RwTarget::CallContext { .. } if family == Family::Context && !entry.write => {}
                RwTarget::CallContext { .. }
                    if family == Family::ReturnDataSize && !entry.write => {}
                // SELFBALANCE: an account read the verifier computes at the step's counter.
                RwTarget::Account {
                    field: AccountField::Balance,
                    ..
                } if opcode == 0x47 && !entry.write => {}
                // Memory words of the witness; the Memory component has its own byte accesses.
                RwTarget::Memory { .. } if expands => {}
                // A log's fields: the Log component takes them from the stack and memory.
                RwTarget::Log { .. } if logs && entry.write => {}
                other => return Err(bad(format!("an unexpected access {other:?}"))),
            }
        }
        if near && calls_here {
            // A call halting on its costs records no reads: its Call row reads the operands
            // the step would.
            let sp = step.stack_size as u32;
            for slot in (0..n as u32).map_while(|k| sp.checked_sub(1 + k)) {
                let value = cur.stack_words.get(&slot).copied();
                let value = value.ok_or_else(|| bad("a read of an empty stack slot".into()))?;
                operands.push((slot as u16, value));
            }
        } else if near && family == Family::Sload {
            // A halting SLOAD's read of its key is recorded (with its slot's warmth and value,
            // which its cost needs); its row writes the value where the result would go, as
            // the Storage message carries it, and the frame ends, so no step reads it.
            let (&[(slot, false, _)], Some(value)) = (&words[..], before) else {
                return Err(bad("a halting SLOAD without its key and slot".into()));
            };
            words.push((slot, true, value));
        } else if near && !matches!(family, Family::Sstore | Family::SelfDestruct) {
            // The witness records no accesses for a step halting on a memory cost; its row
            // reads the operands as the step would (MLOAD also writes, unused, where its
            // result would go). (A halting SSTORE's or SELFDESTRUCT's reads are recorded: its
            // cost needs them, and the latter's claim its balance.)
            let (Some(info), true) = (info, words.is_empty()) else {
                return Err(bad("a halting step with stack accesses".into()));
            };
            let slots = stack_slots(info, step.stack_size as usize);
            for &slot in slots.reads() {
                let value = cur.stack_words.get(&(slot as u32)).copied();
                let value = value.ok_or_else(|| bad("a read of an empty stack slot".into()))?;
                words.push((slot as u16, false, value));
            }
            // EXP's row writes its result (the Exp component proves it, with the exponent's
            // bytes its cost counts); the frame ends, so no step reads it.
            let written = match family {
                Family::Exp if words.len() == 2 => words[0].2.wrapping_pow(words[1].2),
                _ => Word::ZERO,
            };
            words.extend(
                slots
                    .writes()
                    .iter()
                    .map(|&slot| (slot as u16, true, written)),
            );
        }
        // EXTCODECOPY's row reads its copy's words as a copy does (counters `ctr …`), then the
        // address above them.
        if ext_copies && !words.is_empty() {
            words.rotate_left(1);
        }
        // What the spec's opcode table says the step does to the stack (a halt: nothing).
        let (expected, change) = match (family, info) {
            (_, None) => (0, 0),
            (family, _) if family.is_halt() => (0, 0),
            // The Call component reads the operands and writes the result.
            (Family::Call, Some(info)) => (0, info.stack_out as i64 - info.stack_in as i64),
            (_, Some(info)) => {
                let slots = stack_slots(info, step.stack_size as usize);
                let change = info.stack_out as i64 - info.stack_in as i64;
                (slots.reads().len() + slots.writes().len(), change)
            }
        };
        if words.len() != expected {
            return Err(bad(format!(
                "{} stack accesses, {} has {expected}",
                words.len(),
                opcode_name(opcode)
            )));
        }
        // LOG's topics (words past the offset and size) are the Log component's reads.
        let cpu_words = match logs {
            true => &words[..2],
            false => &words[..],
        };
        for &(slot, write, value) in &words {
            if write {
                cur.stack_words.insert(slot as u32, value);
            }
        }
        for (k, &(slot, write, value)) in cpu_words.iter().enumerate() {
            stack.push(Access {
                ctr: ctr + k as u32,
                kind: Kind::Stack,
                ctx,
                addr: slot as u32,
                write,
                value: limbs(&value),
            });
        }
        if let Some(((depth, _), (size_depth, _))) = far {
            // Two reads: the far operand and the size.
            for (k, depth) in [depth, size_depth].into_iter().enumerate() {
                let slot = step.stack_size as u32 - 1 - depth;
                stack.push(Access {
                    ctr: ctr + k as u32,
                    kind: Kind::Stack,
                    ctx,
                    addr: slot,
                    write: false,
                    value: limbs(&cur.stack_words[&slot]),
                });
            }
        }
        // A call's operand reads, numbered from its counter, and the memory its windows reach.
        let mut call_reads = 0;
        let mut call_expansion = None;
        let mut codeless_flag = false;
        'call: {
            if !calls_here {
                break 'call;
            }
            let sp = step.stack_size as u32;
            let in_order = (operands.iter().enumerate())
                .all(|(k, &(slot, _))| sp.checked_sub(1 + k as u32) == Some(slot as u32));
            if operands.len() != n as usize || !in_order {
                return Err(bad(format!(
                    "{} reads {} operands, not the top {n} in order",
                    opcode_name(opcode),
                    operands.len()
                )));
            }
            let word = |k: usize| operands[k].1;
            let creates = crate::call::CREATE_OPCODES.contains(&opcode);
            let has_value = matches!(opcode, crate::call::CALL | crate::call::CALLCODE);
            // (A create's operands: its value, its init window, CREATE2's salt.)
            let after_value = match creates {
                true => 1,
                false => 2 + has_value as usize,
            };
            let size = |k: usize| {
                u32::try_from(word(k))
                    .map_err(|_| unsupported("a call window of 2^32 bytes or more"))
            };
            // A call halting on its costs opens no frame (the witness has none for it).
            let callee =
                match near {
                    true => None,
                    false => Some((callee_of.get(&(i as u32)).copied()).ok_or_else(|| {
                        unsupported("a call that opens no frame (the depth limit)")
                    })?),
                };
            if let Some(why) = callee.and_then(|c| unproven_create(witness, c, frame_rows[c])) {
                return Err(unsupported(why));
            }
            // A call whose value the caller's balance does not cover opens no frame either;
            // the witness has one that runs nothing.
            let short = callee.is_some_and(|c| witness.frames[c].status == "OutOfFunds");
            if short && !matches!(opcode, crate::call::CALL | crate::call::CALLCODE) && !creates {
                return Err(unsupported(format!(
                    "a {} short of its value",
                    opcode_name(opcode)
                )));
            }
            // A call into an account without code runs no frame: no registers, code id 0.
            let registers = match callee.filter(|&callee| frame_rows[callee] != 0 && !short) {
                None => None,
                Some(callee) => Some(FrameRegisters::new(
                    witness,
                    &order,
                    callee,
                    ctr + 1,
                    cur.rollback,
                )?),
            };
            // (A halting call's target warms up as it would, a static halt's only on the row,
            // undone at its caller's end, this step; the witness records no access. A create
            // warms the account it creates.)
            let created = callee
                .filter(|_| creates)
                .map(|c| witness.frames[c].address);
            // (A create halting on its costs computes no address: it has no warmth to take,
            // and accesses nothing.)
            if near && creates {
                account_warm = Some(false);
            } else if near || creates {
                let target = match created {
                    Some(address) => address.into_array(),
                    None => crate::storage::address_of_word(&word(1)),
                };
                let at = step.rw_start as usize;
                account_warm = Some(witness.address_warm_before(at, &target.into()));
            }
            let mut op = CallOp {
                ctr,
                ctx,
                sp,
                opcode,
                caller_address: cur.address_limbs,
                depth: cur.depth,
                avail: 0,
                caller_static: cur.is_static,
                halts: near,
                short,
                collides: callee
                    .is_some_and(|c| creates && witness.frames[c].status == "CreateCollision"),
                gas: match creates {
                    true => Word::from(1u64 << 32),
                    false => word(0),
                },
                // (A create halting on its costs computes no address.)
                target: match created {
                    Some(address) => Word::from_be_slice(address.as_slice()),
                    None if creates => Word::ZERO,
                    None => word(1),
                },
                args_offset: word(after_value),
                ret_offset: match opcode {
                    crate::call::CREATE => Word::ZERO,
                    _ => word(after_value + 2),
                },
                args_size: size(after_value + 1)?,
                ret_size: match creates {
                    true => 0,
                    false => size(after_value + 3)?,
                },
                warm: account_warm
                    .ok_or_else(|| bad("a call without its target's warmth".into()))?,
                code_id: registers.as_ref().map_or(0, |r| code_id(r.code_position)),
                code_len: registers.as_ref().map_or(0, |r| r.code.len() as u64),
                left: callee.map_or(0, |callee| witness.frames[callee].gas_left),
                ctr_stop: 0,
                ctr_end: 0,
                output: None,
                success: true,
                halt_op: None,
                rollbacks: 0,
                context_reads: [0; crate::call::FRAME_CONTEXT_OPCODES.len()],
                inherited_caller: [0; crate::storage::ADDRESS_LIMBS],
                inherited_value: Word::ZERO,
                value: match (creates, has_value) {
                    (true, _) => word(0),
                    (false, true) => word(2),
                    (false, false) => Word::ZERO,
                },
                fresh: false,
                caller_rollback: cur.rollback,
                undo: None,
                deployed: Vec::new(),
                deposit_fails: false,
                since: 0,
                before: false,
                delegate: None,
                init_hash: match (creates && !short, callee) {
                    (true, Some(c)) => {
                        Word::from_be_bytes(sponge::digest(&witness.frames[c].input))
                    }
                    _ => Word::ZERO,
                },
            };
            // A target delegated by EIP-7702 runs its delegate's code, which revm loads with it
            // and charges for (warm or cold) before forwarding gas. (A halting row claims no
            // delegation: the builder below refuses one that only the delegate's costs halt,
            // unless a new account's 25,000 would explain it too, for a CALL moving value:
            // `zkevm::evm::prove_case` reports such a call into a delegated account
            // unsupported, and the state check refutes the target's emptiness its claim says.)
            if let Some(delegate) = callee.and_then(|c| witness.frames[c].delegate) {
                if short {
                    return Err(unsupported(format!(
                        "a {} short of its value into an account delegated by EIP-7702",
                        opcode_name(opcode)
                    )));
                }
                let warm = witness.address_warm_before(step.rw_start as usize, &delegate);
                op.delegate = Some((address_limbs(&delegate.into_array()), warm));
            }
            // Memory grows to the windows first; the rest of the gas pays for the call.
            let words = (op.words())
                .ok_or_else(|| unsupported("a call window at an offset of 2^32 or more"))?;
            if words >= MEMORY_WORDS_LIMIT {
                return Err(unsupported("memory beyond 2^16 words"));
            }
            let expansion = cur.memory_size.expansion_to(words);
            let expansion_cost = expansion.cost;
            op.avail = step.gas as i64 - (static_gas + expansion_cost) as i64;
            call_expansion = Some(expansion);
            let Some(callee) = callee else {
                // Halting: the row shows the step cannot pay for its memory and its costs. A
                // CALL moving value that could pay all but a new account's 25,000 halts on
                // that: its transfer claim has the verifier check the target was empty.
                let affords = |op: &CallOp| static_gas + expansion_cost + op.costs() <= step.gas;
                op.fresh = opcode == crate::call::CALL && op.moves() && affords(&op);
                dynamic_gas = expansion_cost + op.costs();
                // A static frame's CALL moving value halts before its costs (EIP-214): the
                // row charges one gas more than the step has after its static cost (its
                // `fresh`, which no one computed, claimed false: the claim moves nothing).
                if op.static_halt() {
                    op.fresh = false;
                    dynamic_gas = (step.gas.checked_sub(static_gas))
                        .ok_or_else(|| bad("a CALL short of its static gas halting".into()))?
                        + 1;
                } else if affords(&op) {
                    return Err(unsupported(format!(
                        "exceptional halt (OutOfGas) on a cost of {} not proven yet (a \
                         delegation's)",
                        opcode_name(opcode)
                    )));
                }
                // (A create halting on its costs warms nothing: it computes no address.)
                if !creates {
                    accounts.push(op.account_op());
                }
                // The operand reads; the counter after them is the flag's, which no one
                // writes (so the stop message gives the one past it, as for any call).
                op.ctr_stop = ctr + n as u32;
                op.ctr_end = op.ctr_stop;
                columns[col::C][r] = Goldilocks::new(op.ctr_end as u64);
                call_reads = n as u32 + 1;
                calls.push(op);
                break 'call;
            };
            if op.avail < 0 {
                return Err(bad("a call short of its static and memory gas".into()));
            }
            let callee_frame = &witness.frames[callee];
            if callee_frame.input.len() != op.args_size as usize {
                return Err(bad("a callee's calldata of another size".into()));
            }
            // A DELEGATECALL's callee inherits the caller's CALLER and CALLVALUE.
            if opcode == crate::call::DELEGATECALL {
                let caller_frame = &witness.frames[step.frame as usize];
                op.inherited_caller = address_limbs(&caller_frame.caller.into_array());
                op.inherited_value = caller_frame.value;
            }
            // The callee's gas (with any stipend), and the step's charge before the callee
            // returns any: a CALL moving value into an empty account charges 25,000 more
            // (the verifier checks the emptiness).
            let gas_limit = witness.frames[callee].gas_limit;
            let follows_rules = |op: &CallOp| {
                let forwarded = op.forwarded();
                forwarded.map(|f| f + op.stipend()) == Some(gas_limit)
                    && forwarded.map(|f| f + op.costs() + expansion_cost) == Some(dynamic_gas)
            };
            op.fresh = opcode == crate::call::CALL && op.moves() && !follows_rules(&op);
            if !follows_rules(&op) {
                return Err(bad(format!(
                    "a call charging {dynamic_gas} and giving its callee {gas_limit} gas, the \
                     rules give {:?}",
                    op.forwarded()
                )));
            }
            dynamic_gas = expansion_cost
                + (op.dynamic_gas())
                    .ok_or_else(|| bad("a callee returning more gas than it had".into()))?;
            // (A create short of its value computes no address: it warms none.)
            if !(short && creates) {
                accounts.push(op.account_op());
            }
            accounts.extend(op.delegate_account_op());
            if short {
                // No frame: the operand reads, then the flag (0); all the gas forwarded back.
                if witness.frames[callee].gas_left != gas_limit {
                    return Err(bad("a call short of its value keeping gas".into()));
                }
                op.success = false;
                op.ctr_stop = ctr + n as u32;
                op.ctr_end = op.ctr_stop;
                columns[col::C][r] = Goldilocks::new(op.ctr_end as u64);
                cur.return_data = ReturnData::of_call(&op);
                cur.stack_words.insert(sp - n as u32, Word::ZERO);
                call_reads = n as u32;
                codeless_flag = true;
                calls.push(op);
                break 'call;
            }
            // Right after the operand reads, before the callee's first step: a create's init
            // window is read and hashed (even empty), a call's argument window copied into its
            // callee's calldata copy (read, then written).
            if op.args_size != 0 || creates {
                let offset = match op.args_size {
                    0 => 0,
                    _ => u32::try_from(op.args_offset)
                        .map_err(|_| bad("a window at 2^32 or beyond".into()))?,
                };
                let bytes: Vec<u8> = (0..op.args_size as u64)
                    .map(|i| copy::source_byte(&cur.memory_bytes, offset as u64 + i))
                    .collect();
                if bytes[..] != witness.frames[callee].input[..] {
                    return Err(bad("a callee's input differs from its window".into()));
                }
                let (into, dest, opcode) = match creates {
                    true => (ctx, 0, copy::KECCAK256),
                    false => (op.callee_ctx(), CALLDATA_BASE as u32, copy::MCOPY),
                };
                copy_ops.push(CopyOp {
                    ctr: ctr + n as u32,
                    ctx: into,
                    src_ctx: ctx,
                    dest,
                    src: offset as u64,
                    opcode,
                    bytes,
                });
            }
            call_reads = n as u32 + (2 - creates as u32) * op.args_size;
            match registers {
                Some(registers) => {
                    call_of_frame.insert(callee as u32, (calls.len(), i));
                    suspended.insert(callee as u32, registers);
                }
                None if op.collides => {
                    // No frame: the operand and init window reads (hashed for the address),
                    // then the result 0; all the gas forwarded spent.
                    if witness.frames[callee].gas_left != 0 {
                        return Err(bad("a colliding create keeping gas".into()));
                    }
                    op.success = false;
                    op.ctr_stop = ctr + call_reads;
                    op.ctr_end = op.ctr_stop;
                    columns[col::C][r] = Goldilocks::new(op.ctr_end as u64);
                    cur.return_data = ReturnData::of_call(&op);
                    cur.stack_words.insert(sp - n as u32, Word::ZERO);
                    codeless_flag = true;
                }
                None => {
                    let callee_frame = &witness.frames[callee];
                    if !callee_frame.success || callee_frame.gas_left != gas_limit {
                        return Err(bad("a call into no code failing or keeping gas".into()));
                    }
                    // What the callee's stop would have said, and the flag written after the
                    // operands.
                    op.ctr_stop = ctr + call_reads;
                    op.ctr_end = op.ctr_stop;
                    columns[col::C][r] = Goldilocks::new(op.ctr_end as u64);
                    cur.return_data = ReturnData::of_call(&op);
                    cur.stack_words.insert(sp - n as u32, Word::from(1u8));
                    codeless_flag = true;
                }
            }
            calls.push(op);
        }
        let a = match far {
            Some(((_, operand), _)) => operand,
            None => words.first().map(|w| w.2).unwrap_or_default(),
        };
        let c: Word = match family {
            Family::Copy
            | Family::CodeCopy
            | Family::ExtCodeCopy
            | Family::Mcopy
            | Family::ReturnDataCopy
            | Family::Modular
            | Family::Keccak => words[2].2,
            Family::SelfDestruct => {
                swept.ok_or_else(|| bad("SELFDESTRUCT without its balance".into()))?
            }
            _ => Default::default(),
        };
        let b: Word = match family {
            Family::Swap
            | Family::JumpI
            | Family::Sload
            | Family::Sstore
            | Family::Tload
            | Family::Tstore
            | Family::CallDataLoad
            | Family::BlobHash
            | Family::Account
            | Family::Eq
            | Family::Alu
            | Family::Exp
            | Family::Mload
            | Family::Mstore
            | Family::Mstore8
            | Family::Return
            | Family::Revert
            | Family::Log
            | Family::Copy
            | Family::CodeCopy
            | Family::ExtCodeCopy
            | Family::ReturnDataCopy
            | Family::Mcopy
            | Family::Modular
            | Family::Keccak => words[1].2,
            Family::HaltFar => far.map(|(_, (_, size))| size).unwrap_or_default(),
            _ => Default::default(),
        };
        if family == Family::ReturnDataSize && a != Word::from(return_size) {
            return Err(bad("RETURNDATASIZE pushed another size".into()));
        }
        if let Some(k) = from_call_row {
            let call_of = |frame: u32| {
                (call_of_frame.get(&frame).copied())
                    .ok_or_else(|| bad("a callee without its call".into()))
            };
            let (call, _) = call_of(step.frame)?;
            let op = &calls[call];
            let word_of_address =
                |limbs| Word::from_be_slice(&crate::storage::address_bytes(limbs));
            let expected = match opcode {
                0x30 => word_of_address(&cur.address_limbs),
                0x33 if op.opcode == crate::call::DELEGATECALL => {
                    word_of_address(&op.inherited_caller)
                }
                0x33 => word_of_address(&op.caller_address),
                0x34 => op.callee_value(),
                0x36 => Word::from(op.args_size),
                _ => Word::from(op.code_len),
            };
            if a != expected {
                return Err(bad(format!("{} pushed another value", opcode_name(opcode))));
            }
            // The call row serves the value; a DELEGATECALL's CALLER and CALLVALUE come from
            // its caller's context in turn, up the DELEGATECALLs to a row that knows them or
            // to the transaction's frame, whose values the verifier serves.
            let mut frame = step.frame;
            loop {
                let (call, call_step) = call_of(frame)?;
                calls[call].context_reads[k] += 1;
                let forwards = matches!(opcode, 0x33 | 0x34)
                    && calls[call].opcode == crate::call::DELEGATECALL;
                if !forwards {
                    *callee_context.entry(opcode).or_insert(0) += 1;
                    break;
                }
                frame = steps[call_step].frame;
                if frame == 0 {
                    if *context.entry(opcode).or_insert(a) != a {
                        return Err(bad(format!("{} pushed two values", opcode_name(opcode))));
                    }
                    break;
                }
            }
        } else if family == Family::Context {
            if *context.entry(opcode).or_insert(a) != a {
                return Err(bad(format!("{} pushed two values", opcode_name(opcode))));
            }
            if !cur.root {
                *callee_context.entry(opcode).or_insert(0) += 1;
            }
        }
        if family == Family::CallDataLoad && cur.root {
            *calldata_reads.entry(a).or_insert(0) += 1;
        }
        if family == Family::BlobHash {
            *blob_hash_reads.entry(a).or_insert(0) += 1;
        }
        if family == Family::SelfBalance {
            let account = Word::from_be_slice(&crate::storage::address_bytes(&cur.address_limbs));
            account_reads.push((opcode, account, a, ctr as u64));
        }
        if account_step {
            // (A step halting on its access cost records nothing: revm skips a cold load it
            // cannot pay for. Its row pushes no value, so the verifier serves none.)
            let warm = match near {
                true => Some(witness.address_warm_before(
                    step.rw_start as usize,
                    &crate::storage::address_of_word(&a).into(),
                )),
                false => account_warm,
            };
            let warm = warm.ok_or_else(|| bad("an account access without its warmth".into()))?;
            if near {
                dynamic_gas = crate::account::access_cost(warm);
                if static_gas + dynamic_gas <= step.gas {
                    return Err(bad("an out-of-gas halt with gas for its cost".into()));
                }
            } else {
                account_reads.push((opcode, a, b, ctr as u64));
            }
            accounts.push(AccountOp::of_operand(
                ctr,
                &a,
                warm,
                dynamic_gas,
                cur.rollback,
            ));
        }
        if destructs {
            // Its dynamic gas: 2,600 for a cold beneficiary, 25,000 more for an empty one
            // receiving a balance (the verifier checks the emptiness and the balance). One
            // halting on that cost falls short of the cold access alone, claiming no new
            // account (its `HaltedSweep` claim checks `fresh` only when made), or, with the
            // gas for that, of the new account's 25,000; its recorded warmth must be the
            // access list's before the step (revm may skip loading a cold beneficiary).
            let warm = account_warm
                .ok_or_else(|| bad("SELFDESTRUCT without its beneficiary's warmth".into()))?;
            let cold_cost = (!warm as u64) * super::SELFDESTRUCT_COLD;
            if near {
                let before = witness.address_warm_before(
                    step.rw_start as usize,
                    &crate::storage::address_of_word(&a).into(),
                );
                if before != warm {
                    return Err(bad(
                        "a halting SELFDESTRUCT's warmth is not the access list's".into(),
                    ));
                }
                let afford_access = step.gas >= static_gas + cold_cost;
                dynamic_gas = cold_cost + afford_access as u64 * crate::call::NEW_ACCOUNT_COST;
                if static_gas + dynamic_gas <= step.gas || (afford_access && c.is_zero()) {
                    return Err(bad(
                        "an out-of-gas SELFDESTRUCT with gas for its cost".into()
                    ));
                }
            }
            let fresh = match dynamic_gas.checked_sub(cold_cost) {
                Some(0) => false,
                Some(crate::call::NEW_ACCOUNT_COST) if !c.is_zero() => true,
                _ => {
                    return Err(bad(format!(
                        "SELFDESTRUCT charging {dynamic_gas} dynamic gas"
                    )))
                }
            };
            let beneficiary = crate::storage::address_of_word(&a);
            let cost = crate::account::access_cost(warm);
            accounts.push(AccountOp::of_operand(ctr, &a, warm, cost, cur.rollback));
            columns[col::RESULT][r] = Goldilocks::new(fresh as u64);
            // Under a failing frame the sweep is undone at its end, which the failing
            // frames' list gives once every call is known (below); `B₀…B₂` hold the undo.
            if let Some(frame) = cur.rollback.0 {
                undone_sweeps.push((sweeps.len(), r, frame));
            }
            sweeps.push(crate::call::Transfer {
                ctr,
                from: crate::storage::address_bytes(&cur.address_limbs),
                to: beneficiary,
                value: c,
                fresh,
                kept: !cur.rollback.reverted(),
                kind: match near {
                    true => crate::call::TransferKind::HaltedSweep,
                    false => crate::call::TransferKind::Sweep,
                },
                end: ctr,
            });
        }
        if transient {
            // Transient slots start at 0 in each transaction and are always warm; the value
            // before a step is what the frame's earlier steps left.
            let slot = (cur.address_limbs, a);
            let current = transient_slots.get(&slot).copied().unwrap_or_default();
            if family == Family::Tload && current != b {
                return Err(bad("TLOAD reads a value other than the slot's".into()));
            }
            if family == Family::Tstore {
                transient_slots.insert(slot, b);
                if let Some(frame) = cur.rollback.0 {
                    transient_undo.push((frame, slot, current));
                }
            }
            (warm, before) = (Some(true), Some(current));
        }
        if storage_step {
            let (Some(warm), Some(before)) = (warm, before) else {
                return Err(bad("a storage step without its slot's state".into()));
            };
            let mut op = StorageOp {
                ctr,
                transient,
                key: (cur.address_limbs, limbs(&a)),
                write: matches!(family, Family::Sstore | Family::Tstore),
                before: limbs(&before),
                value: limbs(&b),
                warm,
                cost: dynamic_gas,
                rollback: cur.rollback,
            };
            if near {
                // The cost the Storage component computes; the step cannot pay it. (An SLOAD's
                // depends on the warmth alone.)
                let original = match family {
                    Family::Sstore => {
                        original.ok_or_else(|| bad("SSTORE without its original".into()))?
                    }
                    _ => Word::ZERO,
                };
                op.cost = crate::storage::dynamic_cost(&op, &limbs(&original));
                dynamic_gas = op.cost;
                if static_gas + dynamic_gas <= step.gas {
                    return Err(bad("an out-of-gas halt with gas for its cost".into()));
                }
            }
            storage.push(op);
        }
        if step.memory_words != cur.memory_size.words {
            return Err(bad(format!(
                "memory of {} words, the steps before give {}",
                step.memory_words, cur.memory_size.words
            )));
        }
        // EXTCODECOPY: its address (the row sends its access to Account, 2,500 gas more when
        // cold) and the code the statement gives it (none read by a step halting on its cost).
        let ext = match ext_copies {
            false => None,
            true => Some(ext_copy(
                witness,
                &order,
                step,
                &words[3].2,
                account_warm,
                match near {
                    true => None,
                    false => Some(ext_code_hash.ok_or_else(|| {
                        bad("EXTCODECOPY without its address's code hash".into())
                    })?),
                },
            )?),
        };
        let access_cost = ext
            .as_ref()
            .map_or(0, |e| crate::account::access_cost(e.warm));
        if ext.as_ref().is_some_and(|e| deployed.contains(&e.address)) {
            return Err(unsupported(DEPLOYED_CODE_USED));
        }
        if let Some(ext) = &ext {
            accounts.push(AccountOp::of_operand(
                ctr,
                &words[3].2,
                ext.warm,
                access_cost,
                cur.rollback,
            ));
            if !near {
                *ext_codes.entry((ext.address, ext.position)).or_insert(0) += 1;
            }
        }
        let before = cur.memory_size;
        let mut copy_cost = 0;
        // Memory accesses numbered after the step's stack accesses.
        let mut accesses_after_stack = 0;
        // A callee's CALLDATALOAD loads from its calldata's copy in its own memory (its Call
        // row put the argument window there); from `FAR_SOURCE` there, which nothing writes,
        // when its offset is past every calldata.
        let far_load = family == Family::CallDataLoad && !cur.root && a >= Word::from(FAR_OFFSET);
        if family == Family::CallDataLoad && !cur.root {
            let input = calldata_of(&witness.frames[step.frame as usize]);
            let word: Vec<u8> = (0..32)
                .map(|i| copy::source_byte(input, a.saturating_to::<u64>().saturating_add(i)))
                .collect();
            if Word::from_be_slice(&word) != b {
                return Err(bad("CALLDATALOAD pushed another word".into()));
            }
            let offset = match far_load {
                true => copy::FAR_SOURCE as u32,
                false => a.to::<u32>(),
            };
            columns[col::FAR_LOAD][r] = Goldilocks::new(far_load as u64);
            let op = MemoryOp {
                ctr: ctr + expected as u32,
                ctx,
                offset: CALLDATA_BASE as u32 + offset,
                write: false,
                wide: true,
                value: limbs(&b),
            };
            accesses_after_stack = op.accesses();
            memory.push(op);
        }
        let mut capped = false;
        // A RETURNDATACOPY halting with a range past the return data: its row shows that
        // instead of a shortfall (and may well have had the gas).
        let mut out_of_bounds = false;
        let expansion = if expands {
            let too_far = || {
                match (near, family) {
                (true, Family::ReturnDataCopy) => unsupported(
                    "a RETURNDATACOPY halting on a memory range reaching 2^32 or beyond, with 2^24 \
                     gas or more",
                ),
                _ => unsupported("memory beyond 2^16 words"),
            }
            };
            let len = match family {
                Family::Mstore8 => 1,
                Family::Mload | Family::Mstore => 32,
                _ if copies => u32::try_from(c).map_err(|_| too_far())?,
                _ => u32::try_from(b).map_err(|_| too_far())?,
            };
            // The bytes a copy, LOG or KECCAK256 moves if it executes (its counter skips them):
            // its size, twice an MCOPY's or a callee's CALLDATACOPY's (read, then written).
            let moved = match family {
                Family::Mcopy | Family::ReturnDataCopy => 2 * len as u64,
                Family::Copy => (1 + !cur.root as u64) * len as u64,
                Family::CodeCopy | Family::ExtCodeCopy | Family::Log | Family::Keccak => len as u64,
                _ => 0,
            };
            columns[col::MOVED][r] = Goldilocks::new(moved);
            // The moved bytes are the accesses numbered after the stack's (a memory step's
            // word access sets its own below).
            if !near {
                accesses_after_stack = moved as u32;
            }
            // An empty RETURN, REVERT, copy or hash touches no memory: its offsets may be any words
            // (the constraints then look at nothing but their low limbs).
            let empty = len == 0 && !memory_step;
            let offset = match empty {
                true => limbs(&a)[0],
                false => u32::try_from(a).map_err(|_| too_far())?,
            };
            if len != 0 && !memory_step {
                columns[col::NONZERO][r] = Goldilocks::ONE;
                columns[col::COND_INV][r] = Goldilocks::new(len as u64).inverse();
            }
            // An empty RETURN, REVERT or copy touches no memory, wherever it points; MCOPY
            // reaches from the larger of its offsets.
            // A CALLDATACOPY / CODECOPY from 2³² or beyond copies zeros: its row proves the
            // offset's high limbs are not all zero and names the source `FAR_SOURCE` instead.
            // So does a callee's CALLDATACOPY from `FAR_OFFSET` on (its row shows `B₀` that
            // far), whose source in its memory could otherwise pass 2³².
            let callee_calldatacopy = opcode == 0x37 && !cur.root;
            let far_source = !empty
                && matches!(
                    family,
                    Family::Copy | Family::CodeCopy | Family::ExtCodeCopy
                )
                && (u32::try_from(b).is_err()
                    || (callee_calldatacopy && b >= Word::from(FAR_OFFSET)));
            let src = match (copies, empty) {
                // RETURNDATACOPY's offset lies within the return data, even for no bytes (or,
                // halting past it, fits one limb).
                _ if family == Family::ReturnDataCopy => Some(match u32::try_from(b) {
                    Ok(offset) => offset as u64,
                    Err(_) if near => {
                        return Err(unsupported(
                            "a RETURNDATACOPY halting on an offset of 2^32 or more, with 2^24 gas \
                             or more",
                        ))
                    }
                    Err(_) => return Err(bad("RETURNDATACOPY from beyond its return data".into())),
                }),
                (true, true) => Some(limbs(&b)[0] as u64),
                (true, false) if far_source => {
                    let lb = limbs(&b);
                    let high: u64 = lb[1..].iter().map(|&l| l as u64).sum();
                    columns[col::SRC_FAR][r] = Goldilocks::ONE;
                    if high == 0 {
                        let above = lb[0] as u64 - FAR_OFFSET;
                        columns[col::SRC_FAR_LOW][r] = Goldilocks::ONE;
                        columns[col::MARGIN_HI][r] = looked_up_halves(&mut range_lookups, above);
                    } else {
                        columns[col::SRC_FAR_INV][r] = Goldilocks::new(high).inverse();
                    }
                    Some(copy::FAR_SOURCE)
                }
                (true, false) => Some(
                    u32::try_from(b)
                        .map_err(|_| unsupported("an MCOPY from a source offset beyond 2^32"))?
                        as u64,
                ),
                (false, _) => None,
            };
            let reach_from = match (family, src) {
                (Family::Mcopy, Some(src)) if len != 0 => {
                    let src = src as u32;
                    let higher = src > offset;
                    let margin = src.abs_diff(offset);
                    columns[col::SRC_HIGHER][r] = Goldilocks::new(higher as u64);
                    columns[col::MCOPY_NONZERO][r] = Goldilocks::ONE;
                    columns[col::MARGIN_HI][r] =
                        looked_up_halves(&mut range_lookups, margin as u64);
                    offset.max(src)
                }
                (Family::Mcopy, _) => {
                    range_lookups.extend([0, 0]);
                    offset
                }
                (Family::ReturnDataCopy, Some(src)) => {
                    // In bounds, `rd_size − offset − size`; past them (a halt), `offset + size
                    // − rd_size − 1`, flagged `overflow`.
                    let end = src + len as u64;
                    out_of_bounds = end > return_size;
                    let margin = match (out_of_bounds, near) {
                        (false, _) => return_size - end,
                        (true, true) => end - return_size - 1,
                        (true, false) => {
                            return Err(bad("RETURNDATACOPY beyond its return data".into()))
                        }
                    };
                    if margin >= 1 << 32 {
                        return Err(unsupported(
                            "a RETURNDATACOPY halting 2^32 bytes or more past its return data, \
                             with 2^24 gas or more",
                        ));
                    }
                    columns[col::OVERFLOW][r] = Goldilocks::new(out_of_bounds as u64);
                    columns[col::MARGIN_HI][r] = looked_up_halves(&mut range_lookups, margin);
                    offset
                }
                _ => offset,
            };
            let end = if len == 0 {
                0
            } else {
                reach_from as u64 + len as u64
            };
            let reach = end.div_ceil(32);
            // A step halting on its cost with a reach past the limit is capped: its row shows
            // the cost of reaching `MEMORY_CAP_WORDS` words (and how far past them its end
            // lies, `excess`), uncounted words of size.
            capped = near && reach >= MEMORY_WORDS_LIMIT;
            let excess = end.wrapping_sub(32 * super::MEMORY_CAP_WORDS + 1);
            if reach >= MEMORY_WORDS_LIMIT && !(capped && excess < 1 << 32) {
                return Err(too_far());
            }
            let reach = match capped {
                true => super::MEMORY_CAP_WORDS,
                false => reach,
            };
            let first_access = ctr + expected as u32;
            if let Some(src) = src {
                let units = &mut columns[col::GAS_UNITS][r];
                copy_cost = word_cost(len, 3, !capped, units, &mut range_lookups);
                // A callee's CALLDATACOPY is an MCOPY from its calldata's copy in its memory
                // (below `CALLDATA_BASE + FAR_SOURCE + 2²¹`: a source from `FAR_OFFSET` on is
                // `FAR_SOURCE`).
                let source = match (opcode, &ext) {
                    (_, Some(ext)) => ext.code,
                    (0x37, _) if callee_calldatacopy => {
                        calldata_of(&witness.frames[step.frame as usize])
                    }
                    (0x37, _) => &calldata[..],
                    (copy::MCOPY, _) => &cur.memory_bytes[..],
                    (super::RETURNDATACOPY, _) => &cur.return_data.bytes[..],
                    _ => code,
                };
                // EXTCODECOPY reads as a CODECOPY of its address's code.
                let copy_opcode = match ext {
                    Some(_) => copy::CODECOPY as u8,
                    None => opcode,
                };
                // (A step halting on its cost copies nothing: no bytes, no accesses.)
                let copied = if near { 0 } else { len };
                let bytes: Vec<u8> = (0..copied as u64)
                    .map(|i| copy::source_byte(source, src + i))
                    .collect();
                // Calldata and code bytes are the statement's and Bytecode's to provide;
                // memory (MCOPY, a callee's calldata, return data) is read through RW.
                let reads_memory = matches!(opcode, copy::MCOPY | super::RETURNDATACOPY);
                if !reads_memory && !callee_calldatacopy {
                    // Code bytes are keyed by the running code, or EXTCODECOPY's (calldata: by
                    // none, 0).
                    let code = match (family, &ext) {
                        (_, Some(ext)) => ext.position,
                        (Family::CodeCopy, _) => cur.code_position as u32,
                        _ => 0,
                    };
                    for i in 0..copied as u64 {
                        *copy_reads.entry((copy_opcode, code, src + i)).or_insert(0) += 1;
                    }
                }
                if copied != 0 {
                    write_bytes(&mut cur.memory_bytes, offset, &bytes);
                    // A callee's CALLDATACOPY and RETURNDATACOPY are MCOPYs (the latter from
                    // the last callee's memory); CODECOPY's source names its code.
                    let (src_ctx, src) = match (family, &ext) {
                        (_, Some(ext)) => (
                            ctx,
                            copy::code_source(bytecode::id_of_position(ext.position), src),
                        ),
                        (Family::CodeCopy, _) => {
                            (ctx, copy::code_source(code_id(cur.code_position), src))
                        }
                        (Family::ReturnDataCopy, _) => {
                            (cur.return_data.ctx, cur.return_data.offset as u64 + src)
                        }
                        _ => (ctx, src + callee_calldatacopy as u64 * CALLDATA_BASE),
                    };
                    let as_mcopy = callee_calldatacopy || family == Family::ReturnDataCopy;
                    copy_ops.push(CopyOp {
                        ctr: first_access,
                        ctx,
                        src_ctx,
                        dest: offset,
                        src,
                        opcode: if as_mcopy { copy::MCOPY } else { copy_opcode },
                        bytes,
                    });
                }
            } else if memory_step {
                let op = MemoryOp {
                    ctr: first_access,
                    ctx,
                    offset,
                    write: family != Family::Mload,
                    wide: family != Family::Mstore8,
                    value: limbs(&b),
                };
                accesses_after_stack = op.accesses();
                if op.write && !near {
                    let word = b.to_be_bytes::<32>();
                    let written = if op.wide { &word[..] } else { &word[31..] };
                    write_bytes(&mut cur.memory_bytes, offset, written);
                }
                if !near {
                    memory.push(op);
                }
            } else if logs {
                let topics: Vec<Word> = words[2..].iter().map(|w| w.2).collect();
                copy_cost = LOG_TOPIC_GAS * topics.len() as u64 + LOG_BYTE_GAS * len as u64;
                if !near {
                    let data = (0..len as u64)
                        .map(|i| copy::source_byte(&cur.memory_bytes, offset as u64 + i))
                        .collect();
                    log_ops.push(LogOp {
                        ctr,
                        ctx,
                        sp: step.stack_size as u32,
                        offset,
                        address: crate::storage::address_bytes(&cur.address_limbs),
                        reverted: cur.rollback.reverted(),
                        topics,
                        data,
                    });
                }
            } else if hashes {
                let units = &mut columns[col::GAS_UNITS][r];
                copy_cost = word_cost(len, KECCAK_WORD_GAS, !capped, units, &mut range_lookups);
                if !near {
                    let data: Vec<u8> = (0..len as u64)
                        .map(|i| copy::source_byte(&cur.memory_bytes, offset as u64 + i))
                        .collect();
                    if Word::from_be_bytes(sponge::digest(&data)) != c {
                        return Err(bad("KECCAK256 pushed a wrong digest".into()));
                    }
                    copy_ops.push(CopyOp {
                        ctr: first_access,
                        ctx,
                        src_ctx: ctx,
                        dest: 0,
                        src: offset as u64,
                        opcode,
                        bytes: data,
                    });
                }
            } else if !near {
                // (A create's Call row deposits the code its init code RETURNs; a creation
                // transaction's deposit is the verifier's, from the statement's output.)
                if witness.frames[step.frame as usize].output.len() != len as usize {
                    return Err(bad("an output of another size".into()));
                }
                // The transaction's output goes to the statement; a callee's to its Call row,
                // which copies it into the caller's return window (below, at the callee's end).
                if cur.root {
                    output = Some(OutputOp {
                        ctr: first_access,
                        ctx,
                        offset,
                        bytes: frame.output.to_vec(),
                    });
                    reverted = family == Family::Revert;
                }
            }
            let expansion = cur.memory_size.reach(reach);
            if near {
                // The cost the row computes; the step cannot pay it (unless it halts out of
                // bounds).
                dynamic_gas = expansion.cost + copy_cost + access_cost;
                if static_gas + dynamic_gas <= step.gas && !out_of_bounds {
                    return Err(match capped {
                        // (It can pay the capped part of its cost.)
                        true => too_far(),
                        false => bad("an out-of-gas halt with gas for its cost".into()),
                    });
                }
            }
            if expansion.cost + copy_cost + access_cost != dynamic_gas {
                return Err(bad(format!(
                    "charged {dynamic_gas} dynamic gas, the rules give {}",
                    expansion.cost + copy_cost + access_cost
                )));
            }
            match capped {
                true => {
                    columns[col::RESULT][r] = Goldilocks::ONE;
                    columns[col::FAR_HI][r] = looked_up_halves(&mut range_lookups, excess);
                }
                false => range_lookups.push(((32 * expansion.words - end) << 11) as u16),
            }
            range_lookups.extend(expansion.lookups(before));
            Some(expansion)
        } else if let Some(expansion) = call_expansion {
            // The Call row proves `words` from the windows; this row grows memory to them.
            cur.memory_size.apply(&expansion);
            range_lookups.extend(expansion.lookups(before));
            Some(expansion)
        } else {
            None
        };
        let g = Goldilocks::new;
        let mut set = |column: usize, value: Goldilocks| columns[column][r] = value;
        set(col::MSIZE, g(before.words));
        set(col::MQ, g(before.quadratic));
        if let Some(e) = expansion {
            set(col::WORDS, g(e.words));
            set(col::GROW, g(e.grows as u64));
            set(col::CHECK_LO, g(e.quadratic & 0xffff));
            set(col::CHECK_HI, g(e.quadratic >> 16));
        }
        if near && family == Family::Exp {
            // The cost the row computes (50 per exponent byte); the step cannot pay it.
            let exponent = ExpOp {
                a: limbs(&a),
                e: limbs(&b),
            };
            dynamic_gas = GAS_PER_BYTE * exponent.bytes();
            if static_gas + dynamic_gas <= step.gas {
                return Err(bad("an out-of-gas halt with gas for its cost".into()));
            }
        }
        set(col::LIVE, g(1));
        set(
            col::FIRST,
            g((r == frame_start[step.frame as usize]) as u64),
        );
        set(col::CTX, g(ctx as u64));
        set(col::ROOT, g(cur.root as u64));
        set(col::STATIC, g(cur.is_static as u64));
        set(col::DEPTH, g(cur.depth as u64));
        let [revert_frame, reverts] = cur.rollback.fields();
        set(col::REVERTS, reverts);
        set(col::REVERT_FRAME, revert_frame);
        set(col::RD_CTX, g(return_data.0 as u64));
        set(col::RD_OFFSET, g(return_data.1 as u64));
        set(col::RD_SIZE, g(return_size));
        set(col::PC, g(step.pc as u64));
        set(col::OPCODE, g(opcode as u64));
        set(col::GAS, g(step.gas));
        set(col::SP, g(step.stack_size as u64));
        set(col::CTR, g(ctr as u64));
        set(col::N, g(n));
        set(col::STATIC_GAS, g(static_gas));
        set(col::DYN_GAS, g(dynamic_gas));
        set(family.selector(), g(1));
        for (start, word) in [(col::A, a), (col::B, b)] {
            for (i, limb) in limbs(&word).into_iter().enumerate() {
                set(start + i, g(limb as u64));
            }
        }
        // A SELFDESTRUCT reads no second word: `B₀` holds its sweep's end, its own counter
        // unless a failing frame's undoes it (set below, once the frames' ends are known).
        if destructs {
            set(col::B, g(ctr as u64));
        }
        for (j, &limb) in cur.address_limbs.iter().enumerate() {
            set(col::ADDRESS + j, g(limb as u64));
        }
        if family == Family::Sstore || family.is_halt() {
            let floor = if family == Family::Sstore {
                SSTORE_SENTRY
            } else {
                0
            };
            let spare = step
                .gas
                .checked_sub(floor)
                .filter(|g| *g < 1 << 32)
                .ok_or_else(|| bad(format!("gas {} outside [{floor}, 2³²)", step.gas)))?;
            set(col::CHECK_LO, g(spare & 0xffff));
            set(col::CHECK_HI, looked_up_halves(&mut range_lookups, spare));
        }
        if near {
            // gas < static + dynamic: `static + dynamic − gas − 1` and the gas in two 16-bit
            // halves each (a jump halting on its destination falls short of nothing: in its
            // place, how far past the code's span it lands, or 0).
            let short = match family {
                Family::Jump | Family::JumpI => (u32::try_from(a).ok())
                    .map_or(0, |dest| (dest as u64).saturating_sub(span as u64)),
                // (Not checked: its margin shows the range past the return data.)
                _ if out_of_bounds => 0,
                _ => static_gas + dynamic_gas - step.gas - 1,
            };
            let gas = step.gas;
            if short >= 1 << 32 || gas >= 1 << 32 {
                return Err(match capped {
                    // (A LOG of 2²⁹ bytes or more falls that far short.)
                    true => unsupported("memory beyond 2^16 words"),
                    false => bad("gas figures beyond 2³²".into()),
                });
            }
            set(col::HALT_NEAR, g(1));
            set(col::SHORT_HI, g(short >> 16));
            match out_of_bounds {
                true => range_lookups.push((short >> 16) as u16),
                false => range_lookups.extend([short as u16, (short >> 16) as u16]),
            }
            set(col::GAS_HI, looked_up_halves(&mut range_lookups, gas));
        }
        // A far-memory halt's operand, and a far CALLDATALOAD's, is at least `FAR_OFFSET`.
        if family == Family::HaltFar || far_load {
            let la = limbs(&a);
            let high: u64 = la[1..].iter().map(|&l| l as u64).sum();
            if high != 0 {
                set(col::FAR_HIGH_LIMBS, g(1));
                set(col::C, g(high).inverse());
            } else {
                let above = la[0] as u64 - FAR_OFFSET;
                set(col::FAR_HI, looked_up_halves(&mut range_lookups, above));
            }
        }
        if family == Family::HaltFar {
            let lb = limbs(&b);
            let size: u64 = lb.iter().map(|&l| l as u64).sum();
            set(col::C + 1, g(size).inverse());
            range_lookups.push(((step.gas >> 16) << (32 - FAR_GAS_BITS)) as u16);
            range_lookups.push(cur.memory_size.words as u16);
        }
        if matches!(family, Family::Eq | Family::IsZero) {
            // B is zero for ISZERO: both compare A with B.
            let (la, lb) = (limbs(&a), limbs(&b));
            set(col::RESULT, g((la == lb) as u64));
            if let Some(i) = (0..la.len()).find(|&i| la[i] != lb[i]) {
                let d = Goldilocks::new(la[i] as u64) - Goldilocks::new(lb[i] as u64);
                set(col::C + i, d.inverse());
            }
        }
        if family == Family::Modular {
            let op = ModularOp {
                opcode,
                ctr: ctr + 3,
                ctx,
                slot: words[3].0 as u32,
                a: limbs(&a),
                b: limbs(&b),
                n: limbs(&c),
            };
            if op.result() != limbs(&words[3].2) {
                return Err(bad(format!(
                    "{} pushed a wrong result",
                    opcode_name(opcode)
                )));
            }
            modular_ops.push(op);
        }
        if family == Family::Exp {
            let op = ExpOp {
                a: limbs(&a),
                e: limbs(&b),
            };
            let (result, bytes) = (op.result(), op.bytes());
            if result != limbs(&words[2].2) {
                return Err(bad("EXP pushed a wrong result".into()));
            }
            if dynamic_gas != GAS_PER_BYTE * bytes {
                return Err(bad(format!(
                    "EXP charged {dynamic_gas} dynamic gas, its exponent's bytes give {}",
                    GAS_PER_BYTE * bytes
                )));
            }
            set(col::GAS_UNITS, g(bytes));
            range_lookups.push(bytes as u16);
            for (i, &limb) in result.iter().enumerate() {
                set(col::C + i, g(limb as u64));
            }
            exp_ops.push(op);
        }
        if copies || hashes || destructs || family == Family::Modular {
            for (i, &limb) in limbs(&c).iter().enumerate() {
                set(col::C + i, g(limb as u64));
            }
        }
        // EXTCODECOPY's address, its code and the cold flag (see `super::ExtCode`).
        if let Some(ext) = &ext {
            let address = limbs(&words[3].2);
            for (i, &limb) in address.iter().take(ADDRESS_LIMBS).enumerate() {
                set(col::C + 1 + i, g(limb as u64));
            }
            set(col::C + 6, g(bytecode::id_of_position(ext.position)));
            set(col::C + 7, g(ext.code.len() as u64));
            set(col::OVERFLOW, g(!ext.warm as u64));
        }
        if matches!(family, Family::Alu | Family::Not) {
            let op = AluOp {
                opcode,
                a: limbs(&a),
                b: limbs(&b),
            };
            // The result is the step's last access: its one write.
            let c = limbs(&words[words.len() - 1].2);
            if op.result() != Some(c) {
                return Err(bad(format!(
                    "{} pushed a wrong result",
                    opcode_name(opcode)
                )));
            }
            for (i, &limb) in c.iter().enumerate() {
                set(col::C + i, g(limb as u64));
            }
            alu.push(op);
        }
        let taken = family == Family::JumpI && !b.is_zero();
        if taken {
            set(col::TAKEN, g(1));
        }
        set(col::CODE_ID, cur.id);
        if taken {
            let sum: u64 = limbs(&b).iter().map(|&l| l as u64).sum();
            set(col::COND_INV, g(sum).inverse());
        }
        // A halting step decodes from the statement's halt row, not the opcode's usual one.
        if !family.is_halt() {
            opcode_counts[opcode as usize] += 1;
        }
        let position = cur.code_position;
        uses.entry((position, pc)).or_default().fetches += 1;
        if family == Family::Push {
            uses.entry((position, pc)).or_default().push_values += 1;
        }
        if family == Family::Jump || taken {
            let dest = u32::try_from(a).map_err(|_| {
                unsupported("an invalid jump to 2^32 or beyond with 2^24 gas or more")
            })?;
            match (dest as usize) < span {
                true => {
                    let target = uses.entry((position, dest as usize)).or_default();
                    match near {
                        true => target.bad_jumps += 1,
                        false => target.fetches += 1,
                    }
                }
                // Past the span: the code's last row gives the span, and the row shows the
                // destination is no less (`past`, in `result`).
                false if near => {
                    set(col::RESULT, Goldilocks::ONE);
                    set(col::C, g((dest - span as u32) as u64));
                    uses.entry((position, span - 1)).or_default().past_jumps += 1;
                }
                false => return Err(bad("a jump past the code's span that does not halt".into())),
            }
        }
        let sp = step.stack_size as i64;
        let checked = match family {
            Family::HaltStack if sp < n as i64 => n as i64 - 1 - sp,
            Family::HaltStack => {
                set(col::OVERFLOW, Goldilocks::ONE);
                sp - static_gas as i64 - 1
            }
            Family::HaltGas => static_gas as i64 - step.gas as i64 - 1,
            Family::HaltInvalid | Family::HaltFar => 0,
            _ => STACK_LIMIT as i64 - sp - change,
        };
        let checked = u16::try_from(checked)
            .map_err(|_| bad(format!("stack size {sp} does not fit the step")))?;
        range_lookups.push(checked);
        ctr += expected as u32 + accesses_after_stack + call_reads + codeless_flag as u32;
        // A callee's last step: the call writes its success flag at the counter after it,
        // and the caller goes on after that.
        if let Some(&(call, call_step)) = call_of_frame.get(&step.frame) {
            if last_step[step.frame as usize] == Some(i) {
                // The counter the stop message gives, as the row's constraints compute it (a
                // halting step's reads, such as a far-memory halt's, count there too).
                ctr = u32::try_from(counter_after_row(&columns, r))
                    .ok()
                    .filter(|&end| end >= ctr)
                    .ok_or_else(|| bad("a frame ending behind its own counter".into()))?;
                let op = &mut calls[call];
                op.ctr_stop = ctr;
                let callee_halt = sub_halts.get(&step.frame);
                let ends_well = callee_halt.is_none() && step.opcode != 0xfd;
                // A create whose init code ends well fails still if its deposit does (the
                // code is refused, or costs more than the gas left): the EVM takes all its
                // gas, and its effects roll back.
                let callee_frame = &witness.frames[step.frame as usize];
                op.deposit_fails = op.is_create() && ends_well && !callee_frame.success;
                if op.deposit_fails && step.opcode != 0xf3 {
                    return Err(bad("a create failing after its init code stops".into()));
                }
                op.success = ends_well && !op.deposit_fails;
                if op.success != callee_frame.success && !op.deposit_fails {
                    return Err(bad("a callee's success differs from its last step".into()));
                }
                op.halt_op = callee_halt.map(|h| h.opcode);
                // A failing frame's end undoes its writes, latest first (those of failing
                // frames inside it are undone already).
                while let Some(&(_, slot, old)) =
                    (transient_undo.last()).filter(|(frame, ..)| *frame == cur.ctx)
                {
                    transient_slots.insert(slot, old);
                    transient_undo.pop();
                }
                let caller = suspended
                    .get_mut(&steps[call_step].frame)
                    .ok_or_else(|| bad("a call returning to no caller".into()))?;
                // A RETURN or REVERT hands its output back: the bytes that fit the return
                // window are copied into the caller's memory (read, then written), before the
                // flag; all of it is the caller's return data (its Call row gives offset and
                // size in `C₁`, `C₂`).
                caller.return_data = ReturnData::of_call(op);
                if callee_halt.is_none() && matches!(step.opcode, 0xf3 | 0xfd) {
                    let size = u32::try_from(b)
                        .map_err(|_| bad("an output of 2^32 bytes or more".into()))?;
                    let offset = limbs(&a)[0];
                    op.output = Some((offset, size));
                    // The whole output is the caller's return data: what the callee's memory
                    // holds there (the Copy component reads it from there).
                    let output: Vec<u8> = (0..size as u64)
                        .map(|i| copy::source_byte(&cur.memory_bytes, offset as u64 + i))
                        .collect();
                    if witness.frames[step.frame as usize].output != output {
                        return Err(bad("a callee's output differs from its memory".into()));
                    }
                    let bytes = output[..op.copied() as usize].to_vec();
                    let copied = bytes.len() as u32;
                    caller.return_data.offset = offset;
                    let call_row = row_of[call_step];
                    columns[col::C + 1][call_row] = Goldilocks::new(offset as u64);
                    // A create's RETURN output is the code it deploys (or fails to), read
                    // and hashed after its last step; its caller has no return data.
                    let deploys = op.is_create() && (op.success || op.deposit_fails);
                    if deploys && size != 0 {
                        copy_ops.push(CopyOp {
                            ctr,
                            ctx,
                            src_ctx: ctx,
                            dest: 0,
                            src: offset as u64,
                            opcode: copy::KECCAK256,
                            bytes: output.clone(),
                        });
                        ctr += size;
                        // (The witness gives the gas left after the deposit, none if it
                        // failed; the init frame's stop gives it before.)
                        op.left = match op.deposit_fails {
                            false => op.left + size as u64 * crate::call::DEPOSIT_GAS_PER_BYTE,
                            true => (step.gas.checked_sub(step.gas_cost))
                                .ok_or_else(|| bad("a RETURN costing more than its gas".into()))?,
                        };
                        op.deployed = output;
                    } else {
                        columns[col::C + 2][call_row] = Goldilocks::new(size as u64);
                        caller.return_data.bytes = output;
                    }
                    if copied != 0 {
                        let dest = u32::try_from(op.ret_offset)
                            .map_err(|_| bad("a return window at 2^32 or beyond".into()))?;
                        write_bytes(&mut caller.memory_bytes, dest, &bytes);
                        copy_ops.push(CopyOp {
                            ctr,
                            ctx: op.ctx,
                            src_ctx: ctx,
                            dest,
                            src: offset as u64,
                            opcode: copy::MCOPY,
                            bytes,
                        });
                        ctr += 2 * copied;
                    }
                }
                op.ctr_end = ctr;
                columns[col::C][row_of[call_step]] = Goldilocks::new(ctr as u64);
                caller
                    .stack_words
                    .insert(op.sp - op.operands(), op.result());
                ctr += 1;
            }
        }
    }
    if halt.is_none() && !matches!(last.opcode, 0x00 | 0xf3 | 0xfd | 0xff) {
        return Err(unsupported(format!(
            "a frame ending with {}",
            opcode_name(last.opcode)
        )));
    }
    // Code a create of the transaction deploys is its address's from that create's end, and
    // none is before (the address was free): each call into it finds one or the other.
    let deploying: HashMap<_, _> = (calls.iter())
        .filter(|c| c.deploys())
        .map(|c| (c.target_limbs(), c.ctr_end))
        .collect();
    // (Code a create under a failing frame deployed holds only until that frame's end: the
    // verifier serves no call into its address.)
    let undone: HashSet<_> = (calls.iter())
        .filter(|c| c.deploys() && c.undone_by_failing_frame())
        .map(|c| c.target_limbs())
        .collect();
    if calls
        .iter()
        .any(|op| op.looks_up_code() && undone.contains(&op.target_limbs()))
    {
        return Err(unsupported(
            "a call into an address where a create under a failing frame deploys code",
        ));
    }
    for op in (calls.iter_mut()).filter(|op| op.looks_up_code()) {
        if let Some(&end) = deploying.get(&op.target_limbs()) {
            (op.since, op.before) = (end, op.code_id == 0);
        }
    }
    // A value moved and a create under a failing frame are undone at that frame's end (the
    // innermost one's: the caller's `revert_frame`), which its Call row provides.
    let failing = crate::call::failing_frames(&calls);
    // The failing frame `frame` that `what` lies under: one a failed call opened.
    let failing_frame = |frame: u32, what: &str| {
        failing
            .get(&frame)
            .copied()
            .ok_or_else(|| CpuError::Witness {
                step: 0,
                reason: format!("{what} under failing frame {frame}, which no failed call opened"),
            })
    };
    for op in (calls.iter_mut()).filter(|op| op.undone_by_failing_frame()) {
        let frame = op.caller_rollback.0.unwrap_or_default();
        op.undo = Some(failing_frame(frame, "a call")?);
    }
    // And so is a SELFDESTRUCT's sweep, its row taking the end too.
    for &(i, r, frame) in &undone_sweeps {
        let undo = failing_frame(frame, "a SELFDESTRUCT")?;
        sweeps[i].end = undo.end;
        let [outer_frame, outer_reverts] = undo.outer.fields();
        columns[col::B][r] = Goldilocks::new(undo.end as u64);
        columns[col::B + 1][r] = outer_reverts;
        columns[col::B + 2][r] = outer_frame;
    }
    let sweep_frames = undone_sweeps.iter().map(|&(_, _, frame)| frame).collect();
    // The copy message's source offset: B₀ (final: a SELFDESTRUCT's was just set), or the
    // far source the row proved.
    for r in 0..rows_of(&columns) {
        columns[col::COPY_SRC][r] = match columns[col::SRC_FAR][r] == Goldilocks::ONE {
            true => Goldilocks::new(copy::FAR_SOURCE),
            false => columns[col::B][r],
        };
    }
    // Calls' and SELFDESTRUCTs' transfers, in execution (counter) order.
    let mut transfers: Vec<_> = calls.iter().filter_map(CallOp::transfer).collect();
    transfers.extend(sweeps);
    transfers.sort_by_key(|t| t.ctr);
    // The counter the frame's stop message gives.
    let ctr_end = counter_after_row(&columns, row_of[root_last]);
    Ok(CpuTrace {
        columns,
        ctx: last.frame,
        address,
        code_position,
        gas: steps[0].gas,
        ctr_end,
        gas_left: match halt {
            Some(_) => 0,
            None => last.gas - last.gas_cost,
        },
        halt,
        opcode_counts,
        uses,
        calls,
        transfers,
        sweep_frames,
        sub_halts: sub_halts.into_values().collect(),
        stack,
        storage,
        memory,
        alu,
        output,
        reverted,
        copies: copy_ops,
        modular: modular_ops,
        exp: exp_ops,
        logs: log_ops,
        copy_reads,
        ext_codes,
        context,
        callee_context,
        calldata_reads,
        blob_hash_reads,
        accounts,
        account_reads,
        range_lookups,
    })
}

/// The opcode-table row a halt decodes through, or why the witness's halt has none.
fn halt_table_row(halt: Halt) -> Result<(Family, u64, u64), String> {
    (halt.table_row()).ok_or_else(|| {
        format!(
            "opcode 0x{:02x} cannot halt as {:?}",
            halt.opcode, halt.kind
        )
    })
}

/// Looks up the two 16-bit halves of `value` (below 2³²) in the range table, and returns the
/// high half: the cell the row keeps, `value = lo + 2¹⁶·hi` with `lo` its message's.
fn looked_up_halves(range_lookups: &mut Vec<u16>, value: u64) -> Goldilocks {
    range_lookups.extend([value as u16, (value >> 16) as u16]);
    Goldilocks::new(value >> 16)
}

/// The RW counter after row `r`'s step, as its constraints compute it (for a frame's last
/// step, what its stop message gives; a halting step's reads count there too).
fn counter_after_row(columns: &[Vec<Goldilocks>], r: usize) -> u64 {
    let row: Vec<Goldilocks> = columns.iter().map(|c| c[r]).collect();
    super::counter_after(&row, &super::Selectors::of(&row)).as_u64()
}

/// The operand (stack depth and value) of a step whose memory range reaches at least
/// [`FAR_OFFSET`], and the range's non-zero size, if it has one: the step cannot pay for its
/// memory expansion. (For a jump: a destination that far, and JUMPI's non-zero condition;
/// for RETURNDATACOPY also an offset or size that far past any return data.)
#[allow(clippy::type_complexity)]
fn far_operands(
    opcode: u8,
    sp: usize,
    stack: &HashMap<u32, Word>,
) -> Option<((u32, Word), (u32, Word))> {
    let at = |depth: u32| {
        let slot = (sp as u32).checked_sub(depth + 1)?;
        stack.get(&slot).copied().map(|value| (depth, value))
    };
    (0..4).find_map(|depth| {
        let size_depth = far_size_operand(opcode, depth as u8)? as u32;
        let (operand, size) = (at(depth)?, at(size_depth)?);
        (operand.1 >= Word::from(FAR_OFFSET) && !size.1.is_zero()).then_some((operand, size))
    })
}

/// Most memory the CPU proves, in 32-byte words (2 MiB; expanding further costs more than
/// 8.6 million gas).
pub const MEMORY_WORDS_LIMIT: u64 = 1 << 16;

/// A frame's memory size and its quadratic cost `⌊words²/512⌋`.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
struct MemorySize {
    words: u64,
    quadratic: u64,
}

/// What a memory operation does to the memory size.
#[derive(Debug, Clone, Copy)]
struct Expansion {
    /// Words the operation reaches, and their quadratic cost.
    words: u64,
    quadratic: u64,
    grows: bool,
    cost: u64,
}

impl MemorySize {
    /// The expansion memory reaching `words` makes (`self` unchanged).
    fn expansion_to(&self, words: u64) -> Expansion {
        let quadratic = words * words / 512;
        let grows = words > self.words;
        let cost = if grows {
            3 * (words - self.words) + quadratic - self.quadratic
        } else {
            0
        };
        Expansion {
            words,
            quadratic,
            grows,
            cost,
        }
    }

    /// Memory grown by `expansion` (if it grows).
    fn apply(&mut self, expansion: &Expansion) {
        if expansion.grows {
            *self = MemorySize {
                words: expansion.words,
                quadratic: expansion.quadratic,
            };
        }
    }

    /// Memory reaching `words`: the expansion, and `self` updated.
    fn reach(&mut self, words: u64) -> Expansion {
        let expansion = self.expansion_to(words);
        self.apply(&expansion);
        expansion
    }
}

impl Expansion {
    /// The 16-bit values a row growing memory to `words` looks up: the new quadratic cost's
    /// limbs, `words`, the growth margin and the remainder of the quadratic cost, each scaled
    /// as the constraints scale them. (An expanding step also checks the remainder of `words`
    /// from its own range; a call's row leaves that to its Call row.)
    fn lookups(&self, before: MemorySize) -> [u16; 5] {
        let margin = match self.grows {
            true => self.words - before.words - 1,
            false => before.words - self.words,
        };
        let quadratic_remainder = self.words * self.words - 512 * self.quadratic;
        [
            self.quadratic as u16,
            (self.quadratic >> 16) as u16,
            self.words as u16,
            margin as u16,
            (quadratic_remainder << 7) as u16,
        ]
    }
}

/// The cost of `len` bytes at `gas_per_word` per 32-byte word (copies, KECCAK256): sets the
/// row's `units = ⌈len/32⌉` and adds the range checks that make it exact. Uncounted (a capped
/// halt's), `units = 0`, range-checked as such, costs nothing.
fn word_cost(
    len: u32,
    gas_per_word: u64,
    counted: bool,
    units_cell: &mut Goldilocks,
    range_lookups: &mut Vec<u16>,
) -> u64 {
    if !counted {
        range_lookups.push(0);
        return 0;
    }
    let units = u64::from(len).div_ceil(32);
    *units_cell = Goldilocks::new(units);
    range_lookups.extend([((32 * units - u64::from(len)) << 11) as u16, units as u16]);
    gas_per_word * units
}

/// Writes `bytes` into `memory` at `offset`, growing it with zeros as needed.
fn write_bytes(memory: &mut Vec<u8>, offset: u32, bytes: &[u8]) {
    let start = offset as usize;
    let end = start + bytes.len();
    if memory.len() < end {
        memory.resize(end, 0);
    }
    memory[start..end].copy_from_slice(bytes);
}
