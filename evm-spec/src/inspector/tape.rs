//! The [`Tape`]: the witness as the recorder writes it during execution, and its expansion into
//! the per-row [`Witness`] the AIRs and the checker read.
//!
//! Why two forms: revm executes a step in 2–8 ns, while a [`Witness`] spends ~330 bytes per
//! step (a [`Step`] and two or three [`Rw`] records of 256-bit values with their targets).
//! Writing that during execution costs 10–20× the execution itself. Most steps, though, are
//! *fast steps* (stack, ALU, bitwise, jumps, block and context fields, MLOAD/MSTORE/MSTORE8):
//! everything they read or write is either a stack or memory word written earlier, a byte of
//! the executing code (PUSH data), or the one word the step itself produced. For those the
//! recorder writes a fixed 32-byte [`Head`] and, when the step produces a value that is not a
//! copy of another (not PUSH/DUP/SWAP), that value; nothing else.
//!
//! Every other step (state access, copies, logs, KECCAK256, calls and returns, halts) and every
//! frame event is recorded the detailed way, straight into [`Tape::detail`], a [`Witness`]
//! holding only those steps and RW entries. The counters it records are already global: the
//! recorder counts the RW entries each fast step will expand to (a function of the opcode and,
//! for MLOAD/MSTORE, whether the offset is word-aligned), so a detailed entry's counter is that
//! count plus its position among the detailed entries.
//!
//! Expansion ([`Tape::expand`]) walks the heads in order, interleaving the detailed entries
//! recorded before each head, and rebuilds each fast step's RW entries by replaying the stack
//! and memory of every frame from the writes seen so far: a read returns the last write, which
//! is exactly the invariant the RW table proves. Nothing of the EVM's semantics is re-executed:
//! every value a fast step produces is on the tape, and the expansion only moves words.
//!
//! Invariant: expanding the tape gives exactly the witness the detailed recorder alone gives
//! (`Recorder::detailed`); `tests/witness.rs` checks it on every fixture and workload.

use super::bufs;
use crate::opcodes::{self, covered_words, memory_ranges, overlay, Components};
use crate::witness::{AluOp, CallField, Rw, RwTarget, Step, Witness};
use alloy_primitives::map::HashMap;
use alloy_primitives::{B256, U256};

/// One executed step as recorded on the tape.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
#[repr(C)]
pub(super) struct Head {
    /// Gas left before the step.
    pub(super) gas: u64,
    /// Program counter.
    pub(super) pc: u32,
    /// Gas charged by a fast step (see [`Head::BIG_COST`]).
    pub(super) cost: u32,
    /// Memory size in words before the step, if [`Head::MEMORY_SIZE`] (otherwise the size
    /// the previous step left: no step since could change it).
    pub(super) memory_words: u32,
    /// Stack depth before the step.
    pub(super) stack_size: u16,
    /// The opcode byte.
    pub(super) opcode: u8,
    /// [`Head::DETAILED`], [`Head::BIG_COST`], [`Head::MEMORY_SIZE`], [`Head::SYNC`].
    pub(super) flags: u8,
}

impl Head {
    /// The step is the next one of [`Tape::detail`]'s steps.
    pub(super) const DETAILED: u8 = 1;
    /// The fast step's cost did not fit in [`Head::cost`]: it is the next tape value.
    pub(super) const BIG_COST: u8 = 2;
    /// [`Head::memory_words`] holds the memory size (the recorder reads it only after a step
    /// or event that may have changed it: a memory-growing step, a detailed step, a frame
    /// event).
    pub(super) const MEMORY_SIZE: u8 = 4;
    /// The step is the next of [`Tape::syncs`]: detailed entries were recorded or the frame
    /// changed since the previous head (otherwise both carry over from it).
    pub(super) const SYNC: u8 = 8;
}

/// Where a head stands among the detailed records, kept apart from the heads because it
/// changes only at detailed steps and frame events.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub(super) struct Sync {
    /// Number of detailed RW entries recorded before the step.
    pub(super) detail_at: u32,
    /// Frame id.
    pub(super) frame: u32,
}

/// What the recorder knows of an opcode's fast form.
#[derive(Clone, Copy, Debug, Default)]
pub(super) struct FastOp {
    /// Whether steps of this opcode may be recorded as fast steps.
    pub(super) fast: bool,
    /// RW entries a successful step expands to (for MLOAD/MSTORE with a word-aligned offset).
    pub(super) rw: u8,
    /// Whether the step's produced stack word goes on the tape.
    pub(super) records_value: bool,
}

/// Opcodes whose detailed recording does more than stack, memory and call-context accesses
/// (state reads, journal writes, copies, hashes, logs, frame results): never fast.
const ALWAYS_DETAILED: [u8; 20] = [
    0x20, 0x31, 0x37, 0x39, 0x3b, 0x3c, 0x3e, 0x3f, 0x47, 0x54, 0x55, 0x5c, 0x5e, 0xf1, 0xf2, 0xf3,
    0xf4, 0xfa, 0xfd, 0xff,
];

/// Call-context field a fast opcode reads (the value read is the word it pushes).
fn call_context_read(opcode: u8) -> Option<CallField> {
    Some(match opcode {
        0x30 => CallField::Address,
        0x33 => CallField::Caller,
        0x34 => CallField::Value,
        0x36 => CallField::CalldataLength,
        0x38 => CallField::CodeSize,
        0x3d => CallField::ReturnDataLength,
        _ => return None,
    })
}

/// PUSH0–PUSH32, DUP1–16, SWAP1–16: what they write is a copy of code bytes or stack words.
const fn moves_words(opcode: u8) -> bool {
    matches!(opcode, 0x5f..=0x9f)
}

/// The fast form of every opcode.
pub(super) fn fast_ops() -> &'static [FastOp; 256] {
    static TABLE: std::sync::OnceLock<[FastOp; 256]> = std::sync::OnceLock::new();
    TABLE.get_or_init(|| {
        let detailed_components = [
            Components::STORAGE,
            Components::TRANSIENT,
            Components::ACCOUNT,
            Components::KECCAK,
            Components::COPY,
            Components::LOG,
            Components::FRAME,
        ];
        let mut table = [FastOp::default(); 256];
        for info in opcodes::table().iter() {
            let code = info.code;
            let memory_ok =
                !info.components.contains(Components::MEMORY) || matches!(code, 0x51..=0x53);
            let fast = memory_ok
                && !ALWAYS_DETAILED.contains(&code)
                && !detailed_components
                    .iter()
                    .any(|c| info.components.contains(*c));
            if !fast {
                continue;
            }
            // A deep enough stack: the slot counts of a step that does not underflow.
            let slots = opcodes::stack_slots(info, 1024);
            let memory = match code {
                0x51 | 0x52 => 1, // one aligned word read (MLOAD) or written (MSTORE)
                0x53 => 2,        // MSTORE8: the word is read, then written
                _ => 0,
            };
            let context = call_context_read(code).is_some() as usize;
            table[code as usize] = FastOp {
                fast: true,
                rw: (slots.reads().len() + slots.writes().len() + memory + context) as u8,
                records_value: !slots.writes().is_empty() && !moves_words(code),
            };
        }
        table
    })
}

/// Extra RW entries of a fast MLOAD/MSTORE whose offset is not word-aligned: it touches two
/// words, and MSTORE first reads both (each is only partly overwritten).
pub(super) const fn misaligned_extra(opcode: u8) -> u32 {
    match opcode {
        0x51 => 1,
        0x52 => 3,
        _ => 0,
    }
}

/// The witness as recorded during execution. [`Tape::expand`] turns it into a [`Witness`].
#[derive(Clone, Debug, Default)]
pub struct Tape {
    /// Every executed step, in order.
    pub(super) heads: Vec<Head>,
    /// Values fast steps produced, in step order.
    pub(super) values: Vec<U256>,
    /// One per head flagged [`Head::SYNC`], in order.
    pub(super) syncs: Vec<Sync>,
    /// The detailed part: the detailed steps (in order), their RW entries and those of the
    /// transaction prefix and frame events (in counter order, with global counters), frames,
    /// codes, copies, hashes, and the ALU operations of detailed steps.
    pub(super) detail: Witness,
    /// RW entries the fast steps recorded so far expand to.
    pub(super) fast_rw: u32,
}

impl Tape {
    /// Executed steps.
    pub fn steps(&self) -> usize {
        self.heads.len()
    }

    /// Steps recorded the detailed way.
    pub fn detailed_steps(&self) -> usize {
        self.detail.steps.len()
    }

    /// RW entries of the expanded witness.
    pub fn rw_entries(&self) -> usize {
        self.fast_rw as usize + self.detail.rw.len()
    }

    /// Approximate heap bytes held: heads, values and the detailed part.
    pub fn heap_bytes(&self) -> usize {
        self.heads.capacity() * size_of::<Head>()
            + self.values.capacity() * size_of::<U256>()
            + self.syncs.capacity() * size_of::<Sync>()
            + crate::bench::witness_heap_bytes(&self.detail)
    }

    /// The recorded transaction's result (filled in by the executor).
    pub fn result_mut(&mut self) -> &mut crate::witness::TxResult {
        &mut self.detail.result
    }

    /// Empties the tape, keeping its allocations.
    pub(super) fn clear(&mut self) {
        self.heads.clear();
        self.values.clear();
        self.syncs.clear();
        self.fast_rw = 0;
        let w = &mut self.detail;
        w.result = Default::default();
        w.bytecodes.clear();
        w.frames.clear();
        w.steps.clear();
        w.rw.clear();
        w.alu.clear();
        w.bitwise.clear();
        w.keccak.clear();
        w.copies.clear();
    }

    /// The witness: every step and RW entry, the fast steps rebuilt from the tape. Fails only
    /// on a recorder bug: the recorder's count of fast entries, which every recorded counter
    /// assumed, differs from the entries rebuilt, or the sync records do not match the heads.
    pub fn expand(self) -> crate::error::Result<Witness> {
        let Tape {
            heads,
            values,
            syncs,
            mut detail,
            fast_rw,
        } = self;
        let detail_rw = std::mem::take(&mut detail.rw);
        let total_rw = fast_rw as usize + detail_rw.len();
        let detail_steps = std::mem::take(&mut detail.steps);
        let detail_alu = std::mem::take(&mut detail.alu);
        let detail_bitwise = std::mem::take(&mut detail.bitwise);
        let code_index: HashMap<B256, usize> = detail
            .bytecodes
            .iter()
            .enumerate()
            .map(|(i, c)| (c.hash, i))
            .collect();
        let mut x = Expansion {
            w: &detail,
            code_index,
            values: values.iter(),
            frames: Vec::new(),
            rw: Vec::new(),
            alu: MergedOps::new(detail_alu),
            bitwise: MergedOps::new(detail_bitwise),
            refund: 0,
            memory_words: 0,
        };
        bufs::reserve(&mut x.rw, total_rw);
        let mut steps = Vec::new();
        bufs::reserve(&mut steps, heads.len());
        let mut detailed = detail_steps.into_iter();
        let mut detail_entries = detail_rw.into_iter();
        let mut emitted = 0u32;
        let mut syncs = syncs.iter();
        let mut at = Sync::default();
        for (index, head) in heads.iter().enumerate() {
            if head.flags & Head::SYNC != 0 {
                at = *syncs
                    .next()
                    .ok_or_else(|| tape_error(format!("step {index} has no sync record")))?;
                if at.detail_at < emitted {
                    return Err(tape_error(format!("step {index} syncs backwards")));
                }
            }
            for rw in detail_entries
                .by_ref()
                .take((at.detail_at - emitted) as usize)
            {
                x.apply(&rw);
                x.rw.push(rw);
            }
            emitted = at.detail_at;
            if head.flags & Head::DETAILED != 0 {
                let step = detailed.next().unwrap_or_default();
                x.refund = step.refund;
                steps.push(step);
            } else {
                steps.push(x.fast_step(index as u32, at.frame, head));
            }
        }
        for rw in detail_entries {
            x.apply(&rw);
            x.rw.push(rw);
        }
        if x.rw.len() != total_rw {
            return Err(tape_error(format!(
                "{} RW entries rebuilt, the recorder counted {total_rw}",
                x.rw.len()
            )));
        }
        if syncs.next().is_some() {
            return Err(tape_error("sync records left over".into()));
        }
        let Expansion {
            rw, alu, bitwise, ..
        } = x;
        detail.rw = rw;
        detail.steps = steps;
        detail.alu = alu.finish();
        detail.bitwise = bitwise.finish();
        detail.run_empty_transaction_frame();
        Ok(detail)
    }
}

/// ALU or bitwise operations of detailed steps (already in step order), merged with those the
/// expansion rebuilds, in step order.
struct MergedOps {
    out: Vec<AluOp>,
    detailed: std::iter::Peekable<std::vec::IntoIter<AluOp>>,
}

impl MergedOps {
    fn new(detailed: Vec<AluOp>) -> Self {
        MergedOps {
            out: Vec::new(),
            detailed: detailed.into_iter().peekable(),
        }
    }

    fn push(&mut self, op: AluOp) {
        while let Some(d) = self.detailed.next_if(|d| d.step < op.step) {
            bufs::push(&mut self.out, d);
        }
        bufs::push(&mut self.out, op);
    }

    fn finish(mut self) -> Vec<AluOp> {
        self.out.extend(self.detailed);
        self.out
    }
}

/// A frame's stack and memory as the RW writes so far left them.
#[derive(Default)]
struct FrameState {
    stack: Vec<U256>,
    memory: Vec<U256>,
}

impl FrameState {
    fn stack(&self, slot: usize) -> U256 {
        self.stack.get(slot).copied().unwrap_or_default()
    }

    fn set_stack(&mut self, slot: usize, value: U256) {
        if slot >= self.stack.len() {
            self.stack.resize(slot + 1, U256::ZERO);
        }
        self.stack[slot] = value;
    }

    fn memory(&self, word: u64) -> U256 {
        usize::try_from(word)
            .ok()
            .and_then(|w| self.memory.get(w))
            .copied()
            .unwrap_or_default()
    }

    fn set_memory(&mut self, word: u64, value: U256) {
        // Written words lie within memory the frame paid for, so the index is small.
        let w = word as usize;
        if w >= self.memory.len() {
            self.memory.resize(w + 1, U256::ZERO);
        }
        self.memory[w] = value;
    }
}

/// The state of one expansion.
struct Expansion<'a, 'v> {
    /// The detailed witness (frames and codes are read from it).
    w: &'a Witness,
    code_index: HashMap<B256, usize>,
    values: std::slice::Iter<'v, U256>,
    frames: Vec<FrameState>,
    rw: Vec<Rw>,
    alu: MergedOps,
    bitwise: MergedOps,
    /// Refund counter of the last detailed step (fast steps never change it).
    refund: i64,
    /// Memory size before the step being expanded.
    memory_words: u64,
}

impl Expansion<'_, '_> {
    fn frame(&mut self, id: u32) -> &mut FrameState {
        let id = id as usize;
        if id >= self.frames.len() {
            self.frames.resize_with(id + 1, FrameState::default);
        }
        &mut self.frames[id]
    }

    /// Keeps the replayed stacks and memories up to date with a detailed entry.
    fn apply(&mut self, rw: &Rw) {
        if !rw.write {
            return;
        }
        match rw.target {
            RwTarget::Stack { frame, slot } => self.frame(frame).set_stack(slot as usize, rw.value),
            RwTarget::Memory { frame, word } => self.frame(frame).set_memory(word, rw.value),
            _ => {}
        }
    }

    fn next_value(&mut self) -> U256 {
        self.values.next().copied().unwrap_or_default()
    }

    /// The value PUSHn at `pc` of `frame`'s code pushes (code past its end reads as zero).
    fn push_data(&self, frame: u32, pc: u32, n: usize) -> U256 {
        let code = self
            .w
            .frames
            .get(frame as usize)
            .and_then(|f| self.code_index.get(&f.code_hash))
            .map_or(&[][..], |&i| &self.w.bytecodes[i].code[..]);
        let mut buf = [0u8; 32];
        let start = pc as usize + 1;
        for (k, b) in buf[32 - n..].iter_mut().enumerate() {
            *b = code.get(start + k).copied().unwrap_or(0);
        }
        U256::from_be_bytes(buf)
    }

    /// Rebuilds a fast step: the same entries, in the same order, as the detailed recorder.
    fn fast_step(&mut self, index: u32, frame: u32, head: &Head) -> Step {
        let opcode = head.opcode;
        let rw_start = self.rw.len() as u32;
        if head.flags & Head::MEMORY_SIZE != 0 {
            self.memory_words = head.memory_words as u64;
        }
        let gas_cost = if head.flags & Head::BIG_COST != 0 {
            self.next_value().saturating_to::<u64>()
        } else {
            head.cost as u64
        };
        let info = opcodes::info(opcode).copied();
        let slots = info.map(|i| opcodes::stack_slots(&i, head.stack_size as usize));
        let (reads, writes) = slots
            .as_ref()
            .map_or((&[][..], &[][..]), |s| (s.reads(), s.writes()));
        // 1. Stack reads.
        let mut inputs = [U256::ZERO; 7];
        for (k, &slot) in reads.iter().enumerate() {
            let value = self.frame(frame).stack(slot);
            inputs[k] = value;
            self.rw.push(read(
                RwTarget::Stack {
                    frame,
                    slot: slot as u16,
                },
                value,
            ));
        }
        // 2. Memory: the words read, and those a write covers only partly, before the step.
        let mem = if matches!(opcode, 0x51..=0x53) {
            memory_ranges(opcode, &inputs[..reads.len()])
        } else {
            None
        };
        let mut old_words: [(u64, U256); 2] = [(0, U256::ZERO); 2];
        let mut n_old = 0;
        if let Some(m) = &mem {
            let read_words = m.reads.into_iter().flat_map(covered_words).map(|(w, _)| w);
            let partial = m
                .writes
                .into_iter()
                .flat_map(covered_words)
                .filter(|(_, full)| !full)
                .map(|(w, _)| w);
            // At most two words, ascending and distinct (one range per step).
            for word in read_words.chain(partial) {
                let value = self.frame(frame).memory(word);
                old_words[n_old] = (word, value);
                n_old += 1;
                self.rw.push(read(RwTarget::Memory { frame, word }, value));
            }
        }
        // 3. The produced word, and the call-context field it was read from.
        let produced = if fast_ops()[opcode as usize].records_value {
            self.next_value()
        } else {
            U256::ZERO
        };
        if let Some(field) = call_context_read(opcode) {
            self.rw
                .push(read(RwTarget::CallContext { frame, field }, produced));
        }
        // 4. Stack writes.
        for (k, &slot) in writes.iter().enumerate() {
            let value = match opcode {
                0x5f..=0x7f => self.push_data(frame, head.pc, (opcode - 0x5f) as usize),
                0x80..=0x8f => inputs[0],
                // SWAP writes the old top low and the old deep word on top.
                0x90..=0x9f => inputs[k],
                _ => produced,
            };
            self.frame(frame).set_stack(slot, value);
            self.rw.push(write(
                RwTarget::Stack {
                    frame,
                    slot: slot as u16,
                },
                value,
            ));
        }
        // 5. Memory writes.
        if let Some((offset, len)) = mem.as_ref().and_then(|m| m.writes) {
            let bytes = inputs[1].to_be_bytes::<32>();
            let data = &bytes[32 - len as usize..];
            for (word, _) in covered_words((offset, len)) {
                let old = old_words[..n_old]
                    .iter()
                    .find(|(w, _)| *w == word)
                    .map_or(U256::ZERO, |(_, v)| *v);
                let value = overlay(word, old, offset, data);
                self.frame(frame).set_memory(word, value);
                self.rw.push(write(RwTarget::Memory { frame, word }, value));
            }
        }
        // 6. ALU and bitwise operations.
        if let Some(info) = info {
            let comps = info.components;
            if comps.contains(Components::ARITHMETIC) || comps.contains(Components::BITWISE) {
                let op = AluOp {
                    step: index,
                    opcode,
                    a: inputs[0],
                    b: inputs[1],
                    c: inputs[2],
                    result: produced,
                };
                if comps.contains(Components::BITWISE) {
                    self.bitwise.push(op);
                } else {
                    self.alu.push(op);
                }
            }
        }
        Step {
            frame,
            pc: head.pc,
            opcode,
            gas: head.gas,
            gas_cost,
            stack_size: head.stack_size,
            memory_words: self.memory_words,
            refund: self.refund,
            rw_start,
            rw_len: self.rw.len() as u32 - rw_start,
            error: None,
        }
    }
}

fn tape_error(msg: String) -> crate::error::Error {
    crate::error::Error::Tape(msg)
}

fn read(target: RwTarget, value: U256) -> Rw {
    Rw {
        write: false,
        target,
        value,
    }
}

fn write(target: RwTarget, value: U256) -> Rw {
    Rw {
        write: true,
        target,
        value,
    }
}
