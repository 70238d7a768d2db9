//! [`Recorder`]: a revm [`Inspector`] that records the [`Witness`] of a transaction, as a
//! [`Tape`] (most steps as fixed-size heads, the rest in full; see the `tape` module) that
//! [`Tape::expand`] turns into the witness.
//!
//! Execution and observation stay separate: the recorder never changes what revm does; it reads
//! the interpreter before and after each instruction and the journal revm keeps of every state
//! change.
//!
//! How each part of the witness is obtained:
//! - Stack and memory accesses follow from the opcode table ([`opcodes::stack_slots`],
//!   [`opcodes::memory_ranges`]): values read are captured before the instruction, values
//!   written after it.
//! - State accesses (accounts, storage, transient storage, warm flags) are read from revm's
//!   journal: every entry appended during an instruction becomes a write whose previous value
//!   comes from the entry; when revm reverts a frame (truncating the journal), the recorder
//!   appends writes restoring the previous values, so that in the RW log every read still
//!   returns the latest write.
//! - Frames are opened in `frame_start` and closed in `frame_end`, where the result of the call
//!   is written to the parent's stack and memory.

use crate::exec::EvmContext;
use crate::opcodes::{self, covered_words, memory_ranges, overlay, Components, MemRanges};

mod bufs;
mod journal;
mod tape;

pub use tape::Tape;
use tape::{fast_ops, misaligned_extra, FastOp, Head, Sync};

use crate::witness::*;
use alloy_primitives::map::HashSet;
use alloy_primitives::{keccak256, Address, Bytes, Log, B256, U256};
use journal::Mirrored;
use revm::context::JournalEntry;
use revm::handler::FrameResult;
use revm::inspector::{Inspector, JournalExt};
use revm::interpreter::interpreter_types::{
    InputsTr, Jumps, LegacyBytecode, LoopControl, MemoryTr, RuntimeFlag,
};
use revm::interpreter::{CallScheme, FrameInput, InstructionResult, Interpreter};
use revm::Database;

/// Memory words beyond the current size are never snapshotted past this many bytes: a step
/// touching more cannot be paid for and fails before writing.
const MAX_SNAPSHOT_BYTES: u64 = 1 << 26;

/// Per-instruction data captured in `step` and completed in `step_end`.
struct Pending {
    /// Index of the step (its head).
    step: usize,
    /// Index of its detailed record in `Tape::detail.steps`.
    detail: usize,
    /// Values of the stack slots the step reads (top first; see [`opcodes::stack_slots`]).
    inputs: [U256; 7],
    n_inputs: u8,
    mem: Option<MemRanges>,
    /// Memory words read or partially overwritten, with their value before the instruction.
    old_words: Vec<(u64, U256)>,
    /// Old words of a CALL's return range (needed when the child returns).
    ret_words: Vec<(u64, U256)>,
    /// Scratch list of the words to snapshot.
    words: Vec<u64>,
    logs: Vec<Log>,
    address: Address,
}

/// A CALL's return-data range `(offset, len)` and the old values of the words it covers.
type ReturnArea = ((u64, u64), Vec<(u64, U256)>);

/// A fast step between its `step` hook and the next one.
#[derive(Clone, Copy, Debug)]
struct FastPending {
    /// RW entries it expands to.
    entries: u32,
    /// Whether its produced word goes on the tape.
    records_value: bool,
}

/// A frame being executed.
struct OpenFrame {
    id: u32,
    /// Step of the parent that opened this frame.
    call_step: Option<u32>,
    /// Return range and its old words, for CALL-family frames.
    ret: Option<ReturnArea>,
    /// Parent stack slot receiving the result.
    result_slot: u16,
    open_done: bool,
}

/// Records the witness of one transaction. Create with [`Recorder::new`], pass to
/// [`crate::exec::execute`], then take [`Recorder::finish`].
pub struct Recorder {
    /// The detailed part of the tape (see [`Tape`]); its `rw` holds the detailed entries only.
    w: Witness,
    heads: Vec<Head>,
    values: Vec<U256>,
    /// RW entries the fast steps so far expand to.
    fast_rw: u32,
    fast: &'static [FastOp; 256],
    /// Record every step the detailed way.
    detailed: bool,
    /// `started && !detailed`: fast steps may be recorded.
    fast_enabled: bool,
    /// Refund counter of the last detailed step; a step seeing another one is recorded
    /// detailed (fast steps inherit it on expansion).
    last_refund: i64,
    /// The fast step under way, if any.
    fast_pending: Option<FastPending>,
    /// Whether the memory size is the one the last recorded head carries (no memory-growing
    /// step and no frame event since).
    memory_known: bool,
    /// The memory size the last recorded head carries, in words.
    memory_words: u32,
    /// Id of the innermost open frame (0 before the first).
    frame_id: u32,
    /// Whether the last [`Sync`] recorded still holds (no detailed entry and no frame change
    /// since).
    synced: bool,
    syncs: Vec<Sync>,
    /// Scratch list of a detailed step's state reads (kept to reuse its allocation).
    state_reads: Vec<(RwTarget, U256)>,
    frames: Vec<OpenFrame>,
    pending: Option<Box<Pending>>,
    /// The buffers of the last completed step, reused by the next one.
    spare: Option<Box<Pending>>,
    mirror: Vec<Mirrored>,
    /// Last value written to each state target (what a restoring write reverts from).
    codes: HashSet<B256>,
    log_count: u32,
    started: bool,
}

impl Recorder {
    /// A recorder for a transaction with this context (block, tx fields).
    pub fn new(context: TxContext) -> Self {
        Recorder {
            w: Witness {
                version: WITNESS_VERSION,
                context,
                ..Default::default()
            },
            heads: Vec::new(),
            values: Vec::new(),
            fast_rw: 0,
            fast: fast_ops(),
            detailed: false,
            fast_enabled: false,
            last_refund: 0,
            fast_pending: None,
            memory_known: false,
            memory_words: 0,
            frame_id: 0,
            synced: false,
            syncs: Vec::new(),
            state_reads: Vec::new(),
            frames: Vec::new(),
            pending: None,
            spare: None,
            mirror: Vec::new(),
            codes: HashSet::default(),
            log_count: 0,
            started: false,
        }
    }

    /// A recorder that records every step the detailed way, as the expansion of a [`Tape`]
    /// must reproduce it (the reference the fast path is tested against).
    pub fn detailed(context: TxContext) -> Self {
        Recorder {
            detailed: true,
            ..Recorder::new(context)
        }
    }

    /// A recorder writing into the vectors of `buffers`, a tape no longer needed: its contents
    /// are discarded but its allocations are kept, so that recording transaction after
    /// transaction does not map (and have the kernel zero) fresh memory each time.
    pub fn reusing(context: TxContext, mut buffers: Tape) -> Self {
        buffers.clear();
        let Tape {
            heads,
            values,
            syncs,
            detail: mut w,
            ..
        } = buffers;
        w.version = WITNESS_VERSION;
        w.context = context;
        Recorder {
            w,
            heads,
            values,
            syncs,
            ..Recorder::new(TxContext::default())
        }
    }

    /// The recorded tape (the caller fills its result).
    pub fn finish_tape(self) -> Tape {
        Tape {
            heads: self.heads,
            values: self.values,
            syncs: self.syncs,
            detail: self.w,
            fast_rw: self.fast_rw,
        }
    }

    /// The recorded witness, expanded from the tape (the caller fills [`Witness::result`]).
    pub fn finish(self) -> crate::error::Result<Witness> {
        self.finish_tape().expand()
    }

    fn push(&mut self, write: bool, target: RwTarget, value: U256) {
        self.synced = false;
        bufs::push(
            &mut self.w.rw,
            Rw {
                write,
                target,
                value,
            },
        );
    }

    /// Records where the next head stands (see [`Sync`]). Until a detailed entry is recorded
    /// or the frame changes, later heads stand there too.
    fn sync(&mut self) {
        let at = Sync {
            detail_at: self.w.rw.len() as u32,
            frame: self.frame_id,
        };
        bufs::push(&mut self.syncs, at);
        self.synced = true;
    }

    /// The global counter of the next RW entry: fast entries so far plus detailed ones.
    fn rw_len(&self) -> u32 {
        u32::try_from(self.w.rw.len())
            .unwrap_or(u32::MAX)
            .saturating_add(self.fast_rw)
    }

    /// Records a fast step's head (see [`Tape`]); `step_end` completes it.
    #[inline(always)]
    fn begin_fast(
        &mut self,
        interp: &Interpreter,
        op: FastOp,
        opcode: u8,
        memory_words: Option<u32>,
    ) {
        let stack_size = interp.stack.len();
        let misaligned = matches!(opcode, 0x51 | 0x52)
            && stack_size > 0
            && interp.stack.data()[stack_size - 1].as_limbs()[0] & 31 != 0;
        let mut entries = op.rw as u32;
        if misaligned {
            entries += misaligned_extra(opcode);
        }
        if let Some(words) = memory_words {
            self.memory_words = words;
        }
        let mut flags = if memory_words.is_some() {
            Head::MEMORY_SIZE
        } else {
            0
        };
        if !self.synced {
            self.sync();
            flags |= Head::SYNC;
        }
        bufs::reserve(&mut self.heads, 1);
        self.heads.push(Head {
            gas: interp.gas.remaining(),
            pc: interp.bytecode.pc() as u32,
            cost: 0,
            memory_words: memory_words.unwrap_or(0),
            stack_size: stack_size as u16,
            opcode,
            flags,
        });
        // MLOAD, MSTORE and MSTORE8 may grow the memory: the next step reads its size.
        self.memory_known = !matches!(opcode, 0x51..=0x53);
        self.fast_pending = Some(FastPending {
            entries,
            records_value: op.records_value,
        });
    }

    /// Completes the fast step under way once it has run: its cost, its produced word (the
    /// stack's top now, `None` when its frame has ended: only STOP ends a frame among fast
    /// opcodes, and it produces nothing), its count of RW entries. (A step that failed is
    /// completed by [`Recorder::fast_step_failed`] instead.)
    #[inline(always)]
    fn complete_fast(&mut self, gas_left: u64, top: Option<&U256>, pending: FastPending) {
        let Some(head) = self.heads.last_mut() else {
            return;
        };
        let cost = head.gas.saturating_sub(gas_left);
        match u32::try_from(cost) {
            Ok(c) => head.cost = c,
            Err(_) => {
                head.flags |= Head::BIG_COST;
                bufs::push(&mut self.values, U256::from(cost));
            }
        }
        self.fast_rw = self.fast_rw.saturating_add(pending.entries);
        if pending.records_value {
            // Room first, then the word: read after the (cold) growth, it is copied straight
            // from the stack instead of being kept across the call.
            bufs::reserve(&mut self.values, 1);
            self.values.push(top.copied().unwrap_or_default());
        }
    }

    /// Completes a fast step that ended its frame (see [`Recorder::complete_fast`]).
    #[cold]
    #[inline(never)]
    fn complete_fast_at_frame_end(&mut self, result: &FrameResult) {
        let Some(pending) = self.fast_pending.take() else {
            return;
        };
        let (r, gas) = match result {
            FrameResult::Call(o) => (o.result.result, o.result.gas.remaining()),
            FrameResult::Create(o) => (o.result.result, o.result.gas.remaining()),
        };
        if r.is_ok_or_revert() {
            self.complete_fast(gas, None, pending);
        } else {
            self.fast_step_failed(gas, format!("{r:?}"));
        }
    }

    /// A fast step that halted exceptionally becomes a detailed step with no entries.
    #[cold]
    #[inline(never)]
    fn fast_step_failed(&mut self, gas_left: u64, error: String) {
        let rw_start = self.rw_len();
        let Some(head) = self.heads.last_mut() else {
            return;
        };
        head.flags |= Head::DETAILED;
        let step = Step {
            frame: self.frame_id,
            pc: head.pc,
            opcode: head.opcode,
            gas: head.gas,
            gas_cost: head.gas.saturating_sub(gas_left),
            stack_size: head.stack_size,
            memory_words: self.memory_words as u64,
            refund: self.last_refund,
            rw_start,
            rw_len: 0,
            error: Some(error),
        };
        bufs::push(&mut self.w.steps, step);
    }

    fn current_frame(&self) -> u32 {
        self.frame_id
    }

    /// Writes the pre-warmed addresses and slots (EIP-2929/2930/3651) before anything else.
    fn start(&mut self, ctx: &EvmContext<'_>) {
        if self.started {
            return;
        }
        self.started = true;
        self.fast_enabled = !self.detailed;
        let warm = &ctx.journaled_state.inner.warm_addresses;
        let mut pre: Vec<(Address, Option<U256>)> = Vec::new();
        pre.push((self.w.context.origin, None));
        if let Some(to) = self.w.context.to {
            pre.push((to, None));
        }
        pre.extend(warm.coinbase().map(|c| (c, None)));
        let mut precompiles: Vec<Address> = warm.precompiles().iter().copied().collect();
        precompiles.sort();
        pre.extend(precompiles.into_iter().map(|a| (a, None)));
        let mut list: Vec<_> = warm.access_list().iter().collect();
        list.sort_by_key(|(a, _)| **a);
        for (address, keys) in list {
            pre.push((*address, None));
            let mut keys: Vec<U256> = keys.iter().copied().collect();
            keys.sort();
            pre.extend(keys.into_iter().map(|k| (*address, Some(k))));
        }
        let mut seen: HashSet<_> = HashSet::default();
        pre.retain(|p| seen.insert(*p));
        for (address, key) in &pre {
            self.push(
                true,
                RwTarget::AccessList {
                    address: *address,
                    key: *key,
                },
                U256::from(1),
            );
        }
        self.w.context.prewarmed = pre
            .into_iter()
            .map(|(address, key)| Prewarmed { address, key })
            .collect();
    }

    fn record_code(&mut self, hash: B256, code: &[u8]) {
        if self.codes.insert(hash) {
            self.w.bytecodes.push(Code {
                hash,
                code: Bytes::copy_from_slice(code),
            });
        }
    }

    /// Memory word `w` (zero beyond the current size).
    fn word(memory: &impl MemoryTr, w: u64) -> U256 {
        let size = memory.size() as u64;
        let start = w.saturating_mul(32);
        if start.saturating_add(32) <= size {
            let bytes = memory.slice(start as usize..start as usize + 32);
            U256::from_be_slice(&bytes)
        } else if start < size {
            let bytes = memory.slice(start as usize..size as usize);
            let mut buf = [0u8; 32];
            buf[..bytes.len()].copy_from_slice(&bytes);
            U256::from_be_bytes(buf)
        } else {
            U256::ZERO
        }
    }

    fn read_memory(memory: &impl MemoryTr, offset: u64, len: u64) -> Bytes {
        let size = memory.size() as u64;
        let mut out = vec![0u8; len as usize];
        if offset < size {
            let end = (offset + len).min(size);
            out[..(end - offset) as usize]
                .copy_from_slice(&memory.slice(offset as usize..end as usize));
        }
        Bytes::from(out)
    }
}

fn copy_event(
    step: u32,
    src: CopyEndpoint,
    src_offset: U256,
    dst: CopyEndpoint,
    dst_offset: u64,
    data: Bytes,
) -> CopyEvent {
    CopyEvent {
        step,
        src,
        src_offset: u64::try_from(src_offset).unwrap_or(u64::MAX),
        dst,
        dst_offset,
        data,
    }
}

impl<'a> Inspector<EvmContext<'a>> for Recorder {
    // The hooks run around every instruction: their fast path is small enough to inline into
    // revm's loop; everything else lives in `#[inline(never)]` functions.
    #[inline(always)]
    fn step(&mut self, interp: &mut Interpreter, ctx: &mut EvmContext<'a>) {
        // The previous step, if fast, ran in this frame (a step that ends its frame is
        // completed in `frame_end`).
        if let Some(pending) = self.fast_pending.take() {
            self.complete_fast(interp.gas.remaining(), interp.stack.data().last(), pending);
        }
        if interp.bytecode.is_end() {
            return;
        }
        let opcode = interp.bytecode.opcode();
        let op = self.fast[opcode as usize];
        if op.fast && self.fast_enabled && interp.gas.refunded() == self.last_refund {
            // The memory size is read (a call into revm) only when the last step or event
            // may have changed it; the expansion carries it forward otherwise.
            let memory_words = if self.memory_known {
                Some(None)
            } else {
                u32::try_from((interp.memory.size() as u64).div_ceil(32))
                    .ok()
                    .map(Some)
            };
            if let Some(memory_words) = memory_words {
                self.begin_fast(interp, op, opcode, memory_words);
                return;
            }
        }
        self.step_detailed(interp, ctx);
    }

    #[inline(always)]
    fn step_end(&mut self, interp: &mut Interpreter, ctx: &mut EvmContext<'a>) {
        // A fast step is completed by the next hook, which sees its effects.
        if self.fast_pending.is_none() {
            self.step_end_detailed(interp, ctx);
        }
    }
    fn log_full(&mut self, _interp: &mut Interpreter, _ctx: &mut EvmContext<'a>, log: Log) {
        if let Some(p) = &mut self.pending {
            p.logs.push(log);
        }
    }

    fn initialize_interp(&mut self, interp: &mut Interpreter, ctx: &mut EvmContext<'a>) {
        self.start(ctx);
        let hash = interp
            .bytecode
            .hash()
            .unwrap_or_else(|| keccak256(interp.bytecode.bytecode_slice()));
        let code = interp.bytecode.bytecode_slice().to_vec();
        // The analysed bytecode is padded; the code proper is `bytecode_len` bytes.
        let len = interp.bytecode.bytecode_len().min(code.len());
        self.record_code(hash, &code[..len]);
        if let Some(f) = self.frames.last() {
            let id = f.id;
            let cc = |field| RwTarget::CallContext { frame: id, field };
            self.push(true, cc(CallField::CodeSize), U256::from(len));
            if matches!(
                self.w.frames[id as usize].kind,
                FrameKind::Create | FrameKind::Create2
            ) {
                // The created address is known once the frame is set up.
                let address = interp.input.target_address();
                self.w.frames[id as usize].address = address;
                self.push(
                    true,
                    cc(CallField::Address),
                    U256::from_be_slice(address.as_slice()),
                );
            }
        }
        self.close_open(ctx);
        if let Some(f) = self.frames.last() {
            let id = f.id as usize;
            self.w.frames[id].code_hash = hash;
            let is_static = interp.runtime_flag.is_static();
            self.w.frames[id].is_static = is_static;
        }
    }

    fn frame_start(
        &mut self,
        ctx: &mut EvmContext<'a>,
        input: &mut FrameInput,
    ) -> Option<FrameResult> {
        self.start(ctx);
        // Anything revm journaled since the last hook (pre-execution for the first frame).
        self.sync_journal(ctx);
        let id = self.w.frames.len() as u32;
        let parent = self.frames.last().map(|f| f.id);
        let call_step = self.frames.last().and_then(|f| f.call_step);
        let depth = self.frames.len() as u16;
        let mut frame = Frame {
            parent,
            call_step,
            depth,
            ..Default::default()
        };
        match input {
            FrameInput::Call(c) => {
                frame.kind = match c.scheme {
                    CallScheme::Call => FrameKind::Call,
                    CallScheme::CallCode => FrameKind::CallCode,
                    CallScheme::DelegateCall => FrameKind::DelegateCall,
                    CallScheme::StaticCall => FrameKind::StaticCall,
                };
                frame.caller = c.caller;
                frame.address = c.target_address;
                frame.code_address = c.bytecode_address;
                frame.value = c.value.get();
                frame.input = c.input.bytes(ctx);
                frame.is_static = c.is_static;
                frame.gas_limit = c.gas_limit;
                frame.code_hash = c.known_bytecode.0;
                // (revm has loaded the account with the call: its code says whether a
                // delegation designates another account's code to run.)
                frame.delegate = (ctx.journaled_state.inner.state.get(&c.bytecode_address))
                    .and_then(|account| account.info.code.as_ref())
                    .and_then(|code| code.eip7702_address());
            }
            FrameInput::Create(c) => {
                frame.kind = match c.scheme() {
                    revm::context_interface::CreateScheme::Create2 { .. } => FrameKind::Create2,
                    _ => FrameKind::Create,
                };
                frame.caller = c.caller();
                frame.value = c.value();
                frame.input = c.init_code().clone();
                frame.gas_limit = c.gas_limit();
                frame.code_hash = keccak256(c.init_code());
            }
            FrameInput::Empty => {}
        }
        let open_start = self.rw_len();
        let cc = |field| RwTarget::CallContext { frame: id, field };
        let is_create = matches!(frame.kind, FrameKind::Create | FrameKind::Create2);
        // A creation's address is written once known (`initialize_interp`); its calldata is
        // empty (its input is init code).
        let mut fields = vec![(
            CallField::Caller,
            U256::from_be_slice(frame.caller.as_slice()),
        )];
        if !is_create {
            fields.push((
                CallField::Address,
                U256::from_be_slice(frame.address.as_slice()),
            ));
        }
        let calldata_len = if is_create { 0 } else { frame.input.len() };
        fields.extend([
            (CallField::Value, frame.value),
            (CallField::CalldataLength, U256::from(calldata_len)),
            (CallField::ReturnDataLength, U256::ZERO),
            (CallField::IsStatic, U256::from(frame.is_static as u8)),
            (CallField::Depth, U256::from(depth)),
        ]);
        for (f, v) in fields {
            self.push(true, cc(f), v);
        }
        if let Some(p) = parent {
            let step = call_step.unwrap_or_default();
            self.w.copies.push(copy_event(
                step,
                CopyEndpoint::Memory(p),
                U256::ZERO,
                CopyEndpoint::CallInput(id),
                0,
                frame.input.clone(),
            ));
        }
        frame.open_rw = RwRange {
            start: open_start,
            len: 0,
        };
        self.w.frames.push(frame);
        self.frames.push(OpenFrame {
            id,
            call_step: None,
            ret: None,
            result_slot: 0,
            open_done: false,
        });
        self.frame_id = id;
        self.memory_known = false;
        self.synced = false;
        None
    }

    fn frame_end(
        &mut self,
        ctx: &mut EvmContext<'a>,
        input: &FrameInput,
        result: &mut FrameResult,
    ) {
        self.complete_fast_at_frame_end(result);
        self.close_open(ctx);
        let Some(open) = self.frames.pop() else {
            return;
        };
        self.frame_id = self.frames.last().map_or(0, |f| f.id);
        self.memory_known = false;
        self.synced = false;
        let id = open.id as usize;
        // Reverts (journal truncation); state changes made on return (code deposit) belong
        // to the return range.
        let start = self.rw_len();
        let revert_from = self.restore_reverted(ctx);
        let (res, address) = match result {
            FrameResult::Call(o) => (&o.result, None),
            FrameResult::Create(o) => (&o.result, Some(o.address)),
        };
        let ok = res.result.is_ok();
        let revert_len = self.rw_len() - start;
        let frame = &mut self.w.frames[id];
        frame.revert_from = revert_from.unwrap_or(frame.open_rw.start);
        frame.revert_rw = RwRange {
            start,
            len: revert_len,
        };
        frame.success = ok;
        frame.gas_left = if res.result.is_ok_or_revert() {
            res.gas.remaining()
        } else {
            0
        };
        frame.output = res.output.clone();
        frame.status = format!("{:?}", res.result);
        if let Some(Some(a)) = address {
            frame.address = a;
        }
        // A create that collides ends without an address; it is the one the creator derived
        // (from its nonce before the bump the collision keeps, or from the salt).
        if let (FrameInput::Create(c), InstructionResult::CreateCollision) = (input, res.result) {
            let caller = ctx.journaled_state.inner.state.get(&c.caller());
            let nonce = caller.map_or(0, |a| a.info.nonce.saturating_sub(1));
            frame.address = c.created_address(nonce);
        }
        // Return to the parent: state changes made on return, the result on its stack,
        // return data into its memory.
        let ret_start = self.rw_len();
        self.record_new(ctx);
        let Some(parent) = self.frames.last() else {
            let len = self.rw_len() - ret_start;
            self.w.frames[id].return_rw = RwRange {
                start: ret_start,
                len,
            };
            return;
        };
        let pid = parent.id;
        let slot = parent.result_slot;
        let ret = parent.ret.clone();
        let output = res.output.clone();
        let value = match address {
            None => U256::from(ok as u8),
            Some(a) => a
                .filter(|_| ok)
                .map_or(U256::ZERO, |a| U256::from_be_slice(a.as_slice())),
        };
        self.push(true, RwTarget::Stack { frame: pid, slot }, value);
        let rd_len = if address.is_some() && ok {
            0
        } else {
            output.len()
        };
        self.push(
            true,
            RwTarget::CallContext {
                frame: pid,
                field: CallField::ReturnDataLength,
            },
            U256::from(rd_len),
        );
        if let Some(((off, len), old)) = ret {
            let n = (len as usize).min(output.len());
            if n > 0 {
                let data = &output[..n];
                let end = off + n as u64;
                for (word, old_v) in old {
                    if word * 32 >= end {
                        break;
                    }
                    let full = off <= word * 32 && word * 32 + 32 <= end;
                    if !full {
                        self.push(false, RwTarget::Memory { frame: pid, word }, old_v);
                    }
                    self.push(
                        true,
                        RwTarget::Memory { frame: pid, word },
                        overlay(word, old_v, off, data),
                    );
                }
                let step = self.w.frames[id].call_step.unwrap_or_default();
                self.w.copies.push(copy_event(
                    step,
                    CopyEndpoint::Output(id as u32),
                    U256::ZERO,
                    CopyEndpoint::Memory(pid),
                    off,
                    Bytes::copy_from_slice(data),
                ));
            }
        }
        self.w.frames[id].return_rw = RwRange {
            start: ret_start,
            len: self.rw_len() - ret_start,
        };
    }
}

impl Recorder {
    /// Ends the opening phase of the innermost frame: the journal entries of entering it
    /// (value transfer, nonce bump, …) belong to its `open_rw`.
    fn close_open(&mut self, ctx: &EvmContext<'_>) {
        let Some(f) = self.frames.last_mut() else {
            return;
        };
        if f.open_done {
            return;
        }
        f.open_done = true;
        let id = f.id as usize;
        self.sync_journal(ctx);
        let start = self.w.frames[id].open_rw.start;
        self.w.frames[id].open_rw.len = self.rw_len() - start;
    }
}

impl Recorder {
    /// Captures a detailed step before it executes (see [`Pending`]).
    #[inline(never)]
    fn step_detailed(&mut self, interp: &mut Interpreter, ctx: &mut EvmContext<'_>) {
        self.start(ctx);
        self.memory_known = false;
        // This head's place; the next head takes its own after what this step records.
        self.sync();
        self.synced = false;
        let opcode = interp.bytecode.opcode();
        self.last_refund = interp.gas.refunded();
        let sp = interp.stack.len();
        let info = opcodes::info(opcode);
        let data = interp.stack.data();
        let mut p = self.spare.take().unwrap_or_else(|| {
            Box::new(Pending {
                step: 0,
                detail: 0,
                inputs: [U256::ZERO; 7],
                n_inputs: 0,
                mem: None,
                old_words: Vec::new(),
                ret_words: Vec::new(),
                words: Vec::new(),
                logs: Vec::new(),
                address: Address::ZERO,
            })
        });
        p.old_words.clear();
        p.ret_words.clear();
        p.words.clear();
        p.logs.clear();
        let mut n_inputs = 0u8;
        if let Some(i) = info {
            for (k, slot) in opcodes::stack_slots(i, sp).reads().iter().enumerate() {
                p.inputs[k] = data[*slot];
                n_inputs += 1;
            }
        }
        p.n_inputs = n_inputs;
        p.mem = if info.is_some_and(|i| i.components.contains(Components::MEMORY)) {
            memory_ranges(opcode, &p.inputs[..n_inputs as usize])
        } else {
            None
        };
        let Pending {
            mem,
            words,
            old_words,
            ret_words,
            ..
        } = &mut *p;
        if let Some(m) = mem {
            if m.end() <= interp.memory.size() as u64 + MAX_SNAPSHOT_BYTES {
                if let Some(r) = &m.reads {
                    words.extend(covered_words(*r).map(|(w, _)| w));
                }
                if let Some(r) = &m.writes {
                    words.extend(covered_words(*r).filter(|(_, full)| !full).map(|(w, _)| w));
                }
                words.sort_unstable();
                words.dedup();
                old_words.extend(words.iter().map(|&w| (w, Self::word(&interp.memory, w))));
                if let Some(r) = m.deferred_write {
                    let (first, last) = (r.0 / 32, (r.0 + r.1 - 1) / 32);
                    ret_words.extend((first..=last).map(|w| (w, Self::word(&interp.memory, w))));
                }
            }
        }
        let step = self.heads.len();
        let detail = self.w.steps.len();
        let frame = self.current_frame();
        bufs::push(
            &mut self.heads,
            Head {
                flags: Head::DETAILED | Head::SYNC,
                ..Head::default()
            },
        );
        bufs::push(
            &mut self.w.steps,
            Step {
                frame,
                pc: interp.bytecode.pc() as u32,
                opcode,
                gas: interp.gas.remaining(),
                gas_cost: 0,
                stack_size: sp as u16,
                memory_words: (interp.memory.size() as u64).div_ceil(32),
                refund: interp.gas.refunded(),
                rw_start: 0,
                rw_len: 0,
                error: None,
            },
        );
        p.step = step;
        p.detail = detail;
        p.address = interp.input.target_address();
        self.pending = Some(p);
    }

    #[inline(never)]
    fn step_end_detailed(&mut self, interp: &mut Interpreter, ctx: &mut EvmContext<'_>) {
        let Some(p) = self.pending.take() else {
            return;
        };
        self.complete_step(&p, interp, ctx);
        self.spare = Some(p);
    }
}

/// The balance a SELFDESTRUCT of `address` to `target` sends, as it was before the step, as
/// the read of `address`'s balance: sent elsewhere, the step's journal entry (`last`) records
/// it, as it does for an account created in the transaction destroying itself (EIP-6780:
/// burning it); an older account sending to itself keeps it, and a step that loaded nothing
/// (a cold beneficiary it could not pay for) moved nothing: then `last` is no entry of the
/// step's, and the balance is the account's present one.
fn swept_read(
    ctx: &EvmContext<'_>,
    address: Address,
    target: Address,
    last: Option<&JournalEntry>,
) -> (RwTarget, U256) {
    let swept = match last {
        Some(JournalEntry::BalanceTransfer { from, balance, .. })
            if target != address && *from == address =>
        {
            *balance
        }
        Some(JournalEntry::AccountDestroyed {
            address: destroyed,
            target: to,
            had_balance,
            ..
        }) if *destroyed == address && *to == target => *had_balance,
        _ => (ctx.journaled_state.inner.state.get(&address))
            .map_or(U256::ZERO, |account| account.info.balance),
    };
    let balance = RwTarget::Account {
        address,
        field: AccountField::Balance,
    };
    (balance, swept)
}

/// What an SLOAD of `address`'s `key` reads, in order: the slot's access-list entry (1 if
/// `warm`) and its `value`.
fn sload_reads(address: Address, key: U256, warm: bool, value: U256) -> [(RwTarget, U256); 2] {
    let access = RwTarget::AccessList {
        address,
        key: Some(key),
    };
    [
        (access, U256::from(warm as u8)),
        (RwTarget::Storage { address, key }, value),
    ]
}

/// What an SSTORE of `address`'s `key` reads, in order: the slot's access-list entry (1 if
/// `warm`), its original value (from revm's state, which keeps it across the write) and its
/// value `before` the write.
fn sstore_reads(
    ctx: &EvmContext<'_>,
    address: Address,
    key: U256,
    warm: bool,
    before: U256,
) -> [(RwTarget, U256); 3] {
    let original = (ctx.journaled_state.inner.state.get(&address))
        .and_then(|a| a.storage.get(&key))
        .map_or(U256::ZERO, |s| s.original_value);
    let access = RwTarget::AccessList {
        address,
        key: Some(key),
    };
    [
        (access, U256::from(warm as u8)),
        (RwTarget::StorageOriginal { address, key }, original),
        (RwTarget::Storage { address, key }, before),
    ]
}

impl Recorder {
    /// The value an SSTORE (captured in `p`) found in its slot: the `had_value` of the journal
    /// entry it appended (entries past the mirrored part are the step's own), or the new value
    /// when the write changed nothing.
    fn sstore_before(&self, p: &Pending, ctx: &EvmContext<'_>) -> U256 {
        let (key, new_value) = (p.inputs[0], p.inputs[1]);
        self.unmirrored(ctx)
            .iter()
            .find_map(|e| match e {
                JournalEntry::StorageChanged {
                    key: k,
                    had_value,
                    address,
                } if *k == key && *address == p.address => Some(*had_value),
                _ => None,
            })
            .unwrap_or(new_value)
    }

    /// The journal entries appended since the last sync: the current step's.
    fn unmirrored<'j>(&self, ctx: &'j EvmContext<'_>) -> &'j [JournalEntry] {
        let journal = ctx.journaled_state.journal();
        &journal[self.mirror.len().min(journal.len())..]
    }

    /// An SSTORE that ran out of gas on its dynamic cost: the reads that cost was computed
    /// from (its two operands, the slot's warmth, original and current value), so that the
    /// shortfall can be proven. Its writes are not recorded: the frame fails, and revm's revert
    /// drops the journal entries the step appended before they are ever mirrored.
    fn record_sstore_shortfall(&mut self, p: &Pending, sp_before: usize, ctx: &EvmContext<'_>) {
        self.push_operand_reads(0x55, p, sp_before);
        let (address, key) = (p.address, p.inputs[0]);
        let warmed_now = self.unmirrored(ctx).iter().any(|e| {
            matches!(e, JournalEntry::StorageWarmed { key: k, address: a } if *k == key && *a == address)
        });
        let before = self.sstore_before(p, ctx);
        for (target, value) in sstore_reads(ctx, address, key, !warmed_now, before) {
            self.push(false, target, value);
        }
    }

    /// An SLOAD that ran out of gas on its cold-access cost: its key, the slot's warmth (cold:
    /// with less gas than that cost revm skips the load, so the slot was not warm) and its
    /// value, so that the shortfall can be proven. revm did not load the slot for this step,
    /// so its value is found here without touching the journal, as revm's load would: the
    /// journal's present value if an earlier step loaded it (a failing frame's end restores
    /// that, with the warmth), 0 in an account the transaction created, else the database's
    /// (`MemDb` keys storage by address; revm's `storage_by_account_id` is the same there).
    fn record_sload_shortfall(&mut self, p: &Pending, sp_before: usize, ctx: &mut EvmContext<'_>) {
        self.push_operand_reads(0x54, p, sp_before);
        let (address, key) = (p.address, p.inputs[0]);
        let account = ctx.journaled_state.inner.state.get(&address);
        let value = match account.map(|a| (a.is_created(), a.storage.get(&key))) {
            Some((_, Some(slot))) => slot.present_value,
            Some((true, None)) => U256::ZERO,
            _ => {
                (ctx.journaled_state.database.storage(address, key)).unwrap_or_else(|e| match e {})
            }
        };
        for (target, value) in sload_reads(address, key, false, value) {
            self.push(false, target, value);
        }
    }

    /// A SELFDESTRUCT that ran out of gas on its dynamic cost (its beneficiary's cold access,
    /// or a new account's 25,000): its operand and the balance it would have sent, so that
    /// the shortfall can be proven. revm skips loading a cold beneficiary it cannot pay for,
    /// and when it does load one it has already moved the balance (the frame's revert undoes
    /// that): the step's own journal entries, not yet mirrored, tell which (revm appends the
    /// sweep's entry last). The beneficiary was cold if this step warmed it, or if it loaded
    /// nothing: revm skips only a cold load, and a load of another account always journals
    /// the sweep (its own account is warm, running).
    fn record_selfdestruct_shortfall(
        &mut self,
        p: &Pending,
        sp_before: usize,
        ctx: &EvmContext<'_>,
    ) {
        self.push_operand_reads(0xff, p, sp_before);
        let target = Address::from_word(B256::from(p.inputs[0]));
        let own = self.unmirrored(ctx);
        let warmed_now = (own.iter())
            .any(|e| matches!(e, JournalEntry::AccountWarmed { address } if *address == target));
        let warm = target == p.address || (!own.is_empty() && !warmed_now);
        let access = RwTarget::AccessList {
            address: target,
            key: None,
        };
        let (balance, value) = swept_read(ctx, p.address, target, own.last());
        self.push(false, access, U256::from(warm as u8));
        self.push(false, balance, value);
    }

    /// Reads of the operands (captured in `p`) of a step of `opcode` halting on its cost, with
    /// `sp_before` words on the stack: the reads its cost is computed from begin there.
    fn push_operand_reads(&mut self, opcode: u8, p: &Pending, sp_before: usize) {
        let Some(info) = opcodes::info(opcode) else {
            return;
        };
        let slots = opcodes::stack_slots(info, sp_before);
        let frame = self.current_frame();
        self.push_stack_reads(frame, slots.reads(), &p.inputs[..p.n_inputs as usize]);
    }

    /// Reads of the stack `slots` holding `values` (in the order [`opcodes::stack_slots`]
    /// lists them).
    fn push_stack_reads(&mut self, frame: u32, slots: &[usize], values: &[U256]) {
        for (slot, value) in slots.iter().zip(values) {
            let slot = *slot as u16;
            self.push(false, RwTarget::Stack { frame, slot }, *value);
        }
    }

    /// Records the effects of the instruction `p` was captured for (see [`Pending`]).
    fn complete_step(&mut self, p: &Pending, interp: &mut Interpreter, ctx: &mut EvmContext<'_>) {
        let frame = self.current_frame();
        let step_u32 = p.step as u32;
        let rw_start = self.rw_len();
        let result = interp.bytecode.instruction_result();
        let failed = result.is_some_and(|r| !r.is_ok_or_revert());
        let (opcode, sp_before, gas_before) = {
            let s = &self.w.steps[p.detail];
            (s.opcode, s.stack_size as usize, s.gas)
        };
        self.w.steps[p.detail].gas_cost = gas_before.saturating_sub(interp.gas.remaining());
        let info = opcodes::info(opcode);
        if failed || info.is_none() {
            // Exceptional halt: the step has no effects (the frame's revert follows).
            self.w.steps[p.detail].error =
                Some(result.map_or("InvalidOpcode".into(), |r| format!("{r:?}")));
            self.w.steps[p.detail].rw_start = rw_start;
            // (Short of its static cost, a step reads nothing.)
            let short = result == Some(InstructionResult::OutOfGas)
                && opcodes::pays_static_cost(opcode, gas_before);
            match opcode {
                0x54 if short => self.record_sload_shortfall(p, sp_before, ctx),
                0x55 if short => self.record_sstore_shortfall(p, sp_before, ctx),
                0xff if short => self.record_selfdestruct_shortfall(p, sp_before, ctx),
                _ => {}
            }
            self.w.steps[p.detail].rw_len = self.rw_len() - rw_start;
            return;
        }
        let Some(info) = info else { return };
        let slots = opcodes::stack_slots(info, sp_before);
        let (reads, writes) = (slots.reads(), slots.writes());
        let inputs = &p.inputs[..p.n_inputs as usize];
        // 1. Stack reads.
        self.push_stack_reads(frame, reads, inputs);
        // 2. Memory reads (words read, and words partially overwritten).
        for (word, value) in &p.old_words {
            self.push(false, RwTarget::Memory { frame, word: *word }, *value);
        }
        // 3. State: explicit reads, then the journal's writes. SSTORE's value before the write
        // is the `had_value` of the journal entry it appended, or the new value if unchanged.
        let sstore_before = if opcode == 0x55 {
            self.sstore_before(p, ctx)
        } else {
            U256::ZERO
        };
        let warmed = self.sync_journal(ctx);
        let address = p.address;
        let arg = |i: usize| inputs.get(i).copied().unwrap_or_default();
        let stack_top = interp.stack.data().last().copied().unwrap_or_default();
        let was_warm = |t: RwTarget| U256::from(!warmed.contains(&t) as u8);
        let mut state_reads = std::mem::take(&mut self.state_reads);
        state_reads.clear();
        let acct = |a: U256| Address::from_word(B256::from(a));
        match opcode {
            0x54 | 0x55 => {
                // SLOAD / SSTORE
                let key = arg(0);
                let al = RwTarget::AccessList {
                    address,
                    key: Some(key),
                };
                if opcode == 0x54 {
                    let warm = !warmed.contains(&al);
                    state_reads.extend(sload_reads(address, key, warm, stack_top));
                } else {
                    let warm = !warmed.contains(&al);
                    state_reads.extend(sstore_reads(ctx, address, key, warm, sstore_before));
                }
            }
            0x5c => state_reads.push((
                RwTarget::Transient {
                    address,
                    key: arg(0),
                },
                stack_top,
            )),
            0x31 | 0x3b | 0x3c | 0x3f => {
                let a = acct(arg(0));
                let al = RwTarget::AccessList {
                    address: a,
                    key: None,
                };
                state_reads.push((al, was_warm(al)));
                let field = if opcode == 0x31 {
                    AccountField::Balance
                } else {
                    AccountField::CodeHash
                };
                let value = ctx
                    .journaled_state
                    .inner
                    .state
                    .get(&a)
                    .map_or(U256::ZERO, |acc| match field {
                        AccountField::Balance => acc.info.balance,
                        _ => U256::from_be_bytes(acc.info.code_hash.0),
                    });
                state_reads.push((RwTarget::Account { address: a, field }, value));
            }
            0x47 => state_reads.push((
                RwTarget::Account {
                    address,
                    field: AccountField::Balance,
                },
                stack_top,
            )),
            0xf1 | 0xf2 | 0xf4 | 0xfa | 0xff => {
                // The callee (or SELFDESTRUCT's beneficiary) is accessed.
                let a = acct(arg(if opcode == 0xff { 0 } else { 1 }));
                let al = RwTarget::AccessList {
                    address: a,
                    key: None,
                };
                state_reads.push((al, was_warm(al)));
                if opcode == 0xff {
                    // (The step's journal entry is the journal's last: a SELFDESTRUCT sending
                    // elsewhere always appends one.)
                    let last = ctx.journaled_state.journal().last();
                    state_reads.push(swept_read(ctx, address, a, last));
                }
            }
            _ => {}
        }
        // Reads come before the journal's writes in counter order: move the writes just
        // appended behind the reads.
        if !state_reads.is_empty() {
            // (An index into the detailed entries: global counter less the fast entries.)
            let at = (rw_start - self.fast_rw) as usize + reads.len() + p.old_words.len();
            bufs::reserve(&mut self.w.rw, state_reads.len());
            self.w.rw.splice(
                at..at,
                state_reads.drain(..).map(|(target, value)| Rw {
                    write: false,
                    target,
                    value,
                }),
            );
        }
        self.state_reads = state_reads;
        // Call-context reads.
        let cc = |field| RwTarget::CallContext { frame, field };
        match opcode {
            0x30 => self.push(false, cc(CallField::Address), stack_top),
            0x33 => self.push(false, cc(CallField::Caller), stack_top),
            0x34 => self.push(false, cc(CallField::Value), stack_top),
            0x36 => self.push(false, cc(CallField::CalldataLength), stack_top),
            0x38 => self.push(false, cc(CallField::CodeSize), stack_top),
            0x3d => self.push(false, cc(CallField::ReturnDataLength), stack_top),
            _ => {}
        }
        // 4. Stack writes.
        let data = interp.stack.data();
        for slot in writes {
            let value = data.get(*slot).copied().unwrap_or_default();
            self.push(
                true,
                RwTarget::Stack {
                    frame,
                    slot: *slot as u16,
                },
                value,
            );
        }
        // 5. Memory writes.
        if let Some(m) = &p.mem {
            if let Some(r) = &m.writes {
                for (word, _) in covered_words(*r) {
                    let value = Self::word(&interp.memory, word);
                    self.push(true, RwTarget::Memory { frame, word }, value);
                }
            }
        }
        // 6. Logs.
        for log in &p.logs {
            let id = self.log_count;
            self.log_count += 1;
            let lf = |field| RwTarget::Log { log: id, field };
            self.push(
                true,
                lf(LogField::Address),
                U256::from_be_slice(log.address.as_slice()),
            );
            for (i, t) in log.topics().iter().enumerate() {
                self.push(true, lf(LogField::Topic(i as u8)), U256::from_be_bytes(t.0));
            }
            self.push(
                true,
                lf(LogField::DataLength),
                U256::from(log.data.data.len()),
            );
            self.w.copies.push(copy_event(
                step_u32,
                CopyEndpoint::Memory(frame),
                arg(0),
                CopyEndpoint::Log(id),
                0,
                log.data.data.clone(),
            ));
        }
        // Arithmetic, bitwise, keccak and copy events.
        let comps = info.components;
        if comps.contains(Components::ARITHMETIC) || comps.contains(Components::BITWISE) {
            let op = AluOp {
                step: step_u32,
                opcode,
                a: arg(0),
                b: arg(1),
                c: arg(2),
                result: stack_top,
            };
            if comps.contains(Components::BITWISE) {
                bufs::push(&mut self.w.bitwise, op);
            } else {
                bufs::push(&mut self.w.alu, op);
            }
        }

        match opcode {
            0x20 => {
                if let Some((off, len)) = p.mem.as_ref().and_then(|m| m.reads) {
                    let input = Self::read_memory(&interp.memory, off, len);
                    self.w.keccak.push(KeccakOp {
                        step: step_u32,
                        input,
                        output: B256::from(stack_top),
                    });
                } else {
                    self.w.keccak.push(KeccakOp {
                        step: step_u32,
                        input: Bytes::new(),
                        output: B256::from(stack_top),
                    });
                }
            }
            0x37 | 0x39 | 0x3e | 0x3c | 0x5e => {
                let (src, src_off) = match opcode {
                    0x37 => (CopyEndpoint::Calldata(frame), arg(1)),
                    0x39 => {
                        let code_hash = interp
                            .bytecode
                            .hash()
                            .unwrap_or_else(|| keccak256(interp.bytecode.bytecode_slice()));
                        (CopyEndpoint::Code(code_hash), arg(1))
                    }
                    0x3e => (CopyEndpoint::ReturnData(frame), arg(1)),
                    0x3c => {
                        let a = acct(arg(0));
                        let h = ctx
                            .journaled_state
                            .inner
                            .state
                            .get(&a)
                            .map_or(B256::ZERO, |acc| acc.info.code_hash);
                        if let Some(code) = ctx
                            .journaled_state
                            .inner
                            .state
                            .get(&a)
                            .and_then(|acc| acc.info.code.as_ref())
                        {
                            let bytes = code.original_bytes();
                            self.record_code(h, &bytes);
                        }
                        (CopyEndpoint::Code(h), arg(2))
                    }
                    _ => (CopyEndpoint::Memory(frame), arg(1)),
                };
                if let Some((off, len)) = p.mem.as_ref().and_then(|m| m.writes) {
                    let data = Self::read_memory(&interp.memory, off, len);
                    self.w.copies.push(copy_event(
                        step_u32,
                        src,
                        src_off,
                        CopyEndpoint::Memory(frame),
                        off,
                        data,
                    ));
                }
            }
            0xf3 | 0xfd => {
                if let Some((off, len)) = p.mem.as_ref().and_then(|m| m.reads) {
                    let data = Self::read_memory(&interp.memory, off, len);
                    self.w.copies.push(copy_event(
                        step_u32,
                        CopyEndpoint::Memory(frame),
                        U256::from(off),
                        CopyEndpoint::Output(frame),
                        0,
                        data,
                    ));
                }
            }
            _ => {}
        }
        // Remember the return range of a call for when the child returns.
        if comps.contains(Components::FRAME) {
            if let Some(f) = self.frames.last_mut() {
                f.ret = p
                    .mem
                    .as_ref()
                    .and_then(|m| m.deferred_write)
                    .map(|r| (r, p.ret_words.clone()));
                f.result_slot = (sp_before - info.stack_in as usize) as u16;
                f.call_step = Some(step_u32);
            }
        }
        let rw_len = self.rw_len() - rw_start;
        let s = &mut self.w.steps[p.detail];
        s.rw_start = rw_start;
        s.rw_len = rw_len;
    }
}
