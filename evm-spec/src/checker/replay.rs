//! Step-by-step replay: each step's pc, gas, stack, memory and outputs re-derived from the
//! opcode table and the witness; child frames checked against the steps that open them.

use super::{alu, fail, gas, CheckError};
use crate::opcodes::{
    self, covered_words, info, memory_ranges, overlay, words, Components, DynamicGas, OpInfo,
};
use crate::witness::*;
use alloy_primitives::{keccak256, Address, B256, U256};
use std::collections::HashMap;

/// Per-frame replay state.
#[derive(Clone, Default)]
struct FrameState {
    started: bool,
    ended: bool,
    pc: u64,
    gas: u64,
    sp: usize,
    mem_words: u64,
    refund: Option<i64>,
    return_data: Vec<u8>,
}

pub(super) struct Replay<'a> {
    w: &'a Witness,
    codes: HashMap<B256, &'a [u8]>,
    jumpdests: HashMap<B256, Vec<bool>>,
    children: HashMap<u32, u32>,
    alu: HashMap<u32, &'a AluOp>,
    keccak: HashMap<u32, &'a KeccakOp>,
    frames: Vec<FrameState>,
}

/// Bytes of `(off, len)` assembled from memory words (missing words read as zero).
fn bytes_from_words(words_map: &HashMap<u64, U256>, off: u64, len: u64) -> Vec<u8> {
    (off..off + len)
        .map(|a| {
            let word = words_map.get(&(a / 32)).copied().unwrap_or_default();
            word.byte(31 - (a % 32) as usize)
        })
        .collect()
}

/// `len` bytes of `src` from `off`, zero-padded past its end.
fn padded_slice(src: &[u8], off: U256, len: u64) -> Vec<u8> {
    let mut out = vec![0u8; len as usize];
    if let Ok(off) = usize::try_from(off) {
        if off < src.len() {
            let n = (src.len() - off).min(len as usize);
            out[..n].copy_from_slice(&src[off..off + n]);
        }
    }
    out
}

/// A word as u64, saturating (values that large have already failed a range check).
fn u64_of(x: U256) -> u64 {
    x.saturating_to()
}

fn word_of_address(a: Address) -> U256 {
    U256::from_be_slice(a.as_slice())
}

fn jumpdest_map(code: &[u8]) -> Vec<bool> {
    let mut map = vec![false; code.len()];
    let mut i = 0;
    while i < code.len() {
        let op = code[i];
        if op == 0x5b {
            map[i] = true;
        }
        i += 1 + if (0x60..=0x7f).contains(&op) {
            (op - 0x5f) as usize
        } else {
            0
        };
    }
    map
}

/// The step's RW entries split by kind.
#[derive(Default)]
struct StepRw {
    stack_reads: Vec<(usize, U256)>,
    stack_writes: Vec<(usize, U256)>,
    mem_reads: Vec<(u64, U256)>,
    mem_writes: Vec<(u64, U256)>,
    others: Vec<(bool, RwTarget, U256)>,
}

impl StepRw {
    fn read_of(&self, pred: impl Fn(&RwTarget) -> bool) -> Option<U256> {
        self.others
            .iter()
            .find(|(w, t, _)| !w && pred(t))
            .map(|(_, _, v)| *v)
    }
}

impl<'a> Replay<'a> {
    pub(super) fn new(w: &'a Witness) -> Result<Self, CheckError> {
        let codes: HashMap<B256, &[u8]> = w
            .bytecodes
            .iter()
            .map(|c| (c.hash, c.code.as_ref()))
            .collect();
        for c in &w.bytecodes {
            if keccak256(&c.code) != c.hash {
                return fail(
                    None,
                    None,
                    format!("bytecode {} does not hash to its id", c.hash),
                );
            }
        }
        let mut children = HashMap::new();
        for (id, f) in w.frames.iter().enumerate() {
            if let Some(s) = f.call_step {
                if children.insert(s, id as u32).is_some() {
                    return fail(Some(s as usize), None, "two frames opened by one step");
                }
            }
        }
        Ok(Replay {
            w,
            codes,
            jumpdests: HashMap::new(),
            children,
            alu: w
                .alu
                .iter()
                .chain(&w.bitwise)
                .map(|a| (a.step, a))
                .collect(),
            keccak: w.keccak.iter().map(|k| (k.step, k)).collect(),
            frames: vec![FrameState::default(); w.frames.len()],
        })
    }

    pub(super) fn run(mut self) -> Result<(), CheckError> {
        for i in 0..self.w.steps.len() {
            self.step(i)?;
        }
        for (id, f) in self.w.frames.iter().enumerate() {
            let st = &self.frames[id];
            if st.started && !st.ended {
                return fail(None, None, format!("frame {id} has steps but never ends"));
            }
            if !st.started
                && f.code_hash != B256::ZERO
                && self.codes.get(&f.code_hash).is_some_and(|c| !c.is_empty())
            {
                // A frame with code that executed nothing must have failed before running.
                if f.success && f.gas_left != f.gas_limit {
                    return fail(None, None, format!("frame {id} ran no steps but used gas"));
                }
            }
        }
        Ok(())
    }

    fn split(&self, s: &Step, i: usize) -> Result<StepRw, CheckError> {
        let mut out = StepRw::default();
        let start = s.rw_start as usize;
        let Some(rws) = self.w.rw.get(start..start + s.rw_len as usize) else {
            return fail(Some(i), None, "RW range out of bounds");
        };
        for rw in rws {
            match rw.target {
                RwTarget::Stack { frame, slot } if frame == s.frame => {
                    if rw.write {
                        out.stack_writes.push((slot as usize, rw.value));
                    } else {
                        out.stack_reads.push((slot as usize, rw.value));
                    }
                }
                RwTarget::Memory { frame, word } if frame == s.frame => {
                    if rw.write {
                        out.mem_writes.push((word, rw.value));
                    } else {
                        out.mem_reads.push((word, rw.value));
                    }
                }
                RwTarget::Stack { .. } | RwTarget::Memory { .. } => {
                    return fail(Some(i), None, "stack/memory access of another frame");
                }
                t => out.others.push((rw.write, t, rw.value)),
            }
        }
        Ok(out)
    }

    fn code(&self, hash: &B256) -> &'a [u8] {
        self.codes.get(hash).copied().unwrap_or(&[])
    }

    fn step(&mut self, i: usize) -> Result<(), CheckError> {
        let w = self.w;
        let s = &w.steps[i];
        let err = |msg: String| fail(Some(i), None, msg);
        let fid = s.frame as usize;
        let Some(frame) = w.frames.get(fid) else {
            return err(format!("unknown frame {}", s.frame));
        };
        let name = info(s.opcode).map_or("INVALID", |o| o.name);
        let err_at = |msg: String| fail(Some(i), None, format!("{name} at pc {}: {msg}", s.pc));
        // Frame progression.
        {
            let st = &mut self.frames[fid];
            if st.ended {
                return err_at("step after its frame ended".into());
            }
            if !st.started {
                st.started = true;
                st.pc = 0;
                st.gas = frame.gas_limit;
                st.sp = 0;
                st.mem_words = 0;
                st.refund = Some(s.refund);
            }
            let registers = [
                ("pc", s.pc as u64, st.pc),
                ("gas", s.gas, st.gas),
                ("stack size", s.stack_size as u64, st.sp as u64),
                ("memory words", s.memory_words, st.mem_words),
            ];
            for (what, got, want) in registers {
                if got != want {
                    return err_at(format!(
                        "{what} {got} but the previous step leads to {want}"
                    ));
                }
            }
            if let Some(r) = st.refund {
                if r != s.refund {
                    return err_at(format!("refund counter {} but expected {r}", s.refund));
                }
            }
        }
        let code = self.code(&frame.code_hash);
        // A creation runs its input as code and has empty calldata.
        let calldata: &[u8] = if matches!(frame.kind, FrameKind::Create | FrameKind::Create2) {
            &[]
        } else {
            &frame.input
        };
        if code.get(s.pc as usize).copied().unwrap_or(0) != s.opcode {
            return err_at(format!(
                "opcode {:#04x} is not the code byte at pc {}",
                s.opcode, s.pc
            ));
        }
        let op = match (info(s.opcode), &s.error) {
            (_, Some(error)) => {
                // Exceptional halt: no effects; the frame fails and returns no gas. An SSTORE
                // short of its dynamic cost, or an SLOAD of its cold access's, keeps the reads
                // that cost comes from, and the shortfall is checked.
                let paid_static = opcodes::pays_static_cost(s.opcode, s.gas);
                if matches!(s.opcode, 0x54 | 0x55 | 0xff) && error == "OutOfGas" && paid_static {
                    let rws = self.split(s, i)?;
                    let checked = match s.opcode {
                        0x54 => check_sload_shortfall(s, frame, &rws),
                        0x55 => check_sstore_shortfall(s, frame, &rws),
                        _ => check_selfdestruct_shortfall(s, frame, &rws),
                    };
                    if let Err(why) = checked {
                        return err_at(why);
                    }
                } else if s.rw_len != 0 {
                    return err_at("a halting step has RW entries".into());
                }
                return self.end_frame(i, fid, false, 0, None);
            }
            (None, None) => return err_at("invalid opcode executed without halting".into()),
            (Some(op), None) => op,
        };
        let rws = self.split(s, i)?;
        let sp = s.stack_size as usize;
        if sp < op.stack_in as usize {
            return err_at("stack underflow without halting".into());
        }
        let slots = opcodes::stack_slots(op, sp);
        let (reads, writes) = (slots.reads().to_vec(), slots.writes().to_vec());
        let read_slots: Vec<usize> = rws.stack_reads.iter().map(|r| r.0).collect();
        let write_slots: Vec<usize> = rws.stack_writes.iter().map(|r| r.0).collect();
        if read_slots != reads || write_slots != writes {
            return err_at(format!("stack accesses {read_slots:?}/{write_slots:?} but the opcode reads {reads:?} and writes {writes:?}"));
        }
        let inputs: Vec<U256> = match op.code {
            0x80..=0x9f => rws.stack_reads.iter().map(|r| r.1).collect(),
            _ => rws.stack_reads.iter().map(|r| r.1).collect(),
        };
        let arg = |k: usize| inputs.get(k).copied().unwrap_or_default();
        let out = |k: usize| rws.stack_writes.get(k).map(|w| w.1);
        // Memory ranges and expansion.
        let ranges = if op.components.contains(Components::MEMORY) {
            match memory_ranges(op.code, &inputs) {
                Some(r) => Some(r),
                None => return err_at("memory range beyond 2^64 without halting".into()),
            }
        } else {
            None
        };
        let new_mem = ranges
            .as_ref()
            .map_or(s.memory_words, |r| s.memory_words.max(words(r.end())));
        // 2^27 words = 4 GiB: far beyond what any gas limit pays for; keeps the checker's own
        // memory bounded on adversarial witnesses.
        if new_mem > 1 << 27 || gas::memory_expansion(s.memory_words, new_mem) > s.gas {
            return err_at("memory expansion costs more than the gas left, without halting".into());
        }
        let mem_read_map: HashMap<u64, U256> = rws.mem_reads.iter().copied().collect();
        if let Some(r) = &ranges {
            let mut expect_reads: Vec<u64> = Vec::new();
            if let Some(rg) = &r.reads {
                expect_reads.extend(word_range(*rg));
            }
            if let Some(rg) = &r.writes {
                expect_reads.extend(word_range(*rg).filter(|wd| !fully_covers(*rg, *wd)));
            }
            expect_reads.sort_unstable();
            expect_reads.dedup();
            let got: Vec<u64> = rws.mem_reads.iter().map(|m| m.0).collect();
            if got != expect_reads {
                return err_at(format!(
                    "memory reads {got:?} but expected words {expect_reads:?}"
                ));
            }
            let expect_writes: Vec<u64> = r.writes.iter().flat_map(|rg| word_range(*rg)).collect();
            let got: Vec<u64> = rws.mem_writes.iter().map(|m| m.0).collect();
            if got != expect_writes {
                return err_at(format!(
                    "memory writes {got:?} but expected words {expect_writes:?}"
                ));
            }
        } else if !rws.mem_reads.is_empty() || !rws.mem_writes.is_empty() {
            return err_at("memory access by an opcode that touches no memory".into());
        }
        // Data written to memory, if any.
        let written: Option<(u64, Vec<u8>)> = match op.code {
            0x52 => Some((u64_of(arg(0)), arg(1).to_be_bytes::<32>().to_vec())),
            0x53 => Some((u64_of(arg(0)), vec![arg(1).byte(0)])),
            0x37 | 0x39 | 0x3e | 0x3c | 0x5e => {
                let (dst, src_off, len) = if op.code == 0x3c {
                    (arg(1), arg(2), arg(3))
                } else {
                    (arg(0), arg(1), arg(2))
                };
                if len.is_zero() {
                    None
                } else {
                    let len: u64 = u64_of(len);
                    let data = match op.code {
                        0x37 => padded_slice(calldata, src_off, len),
                        0x39 => padded_slice(code, src_off, len),
                        0x3e => {
                            let rd = &self.frames[fid].return_data;
                            let end = src_off.saturating_add(U256::from(len));
                            if end > U256::from(rd.len()) {
                                return err_at(
                                    "RETURNDATACOPY out of bounds without halting".into(),
                                );
                            }
                            padded_slice(rd, src_off, len)
                        }
                        0x3c => {
                            let ev = w.copies.iter().find(|c| c.step == i as u32);
                            let Some(CopyEvent {
                                src: CopyEndpoint::Code(h),
                                ..
                            }) = ev
                            else {
                                return err_at("EXTCODECOPY without its copy event".into());
                            };
                            let ext = self.code(h);
                            padded_slice(ext, src_off, len)
                        }
                        _ => bytes_from_words(&mem_read_map, u64_of(src_off), len),
                    };
                    Some((u64_of(dst), data))
                }
            }
            _ => None,
        };
        if let Some((off, data)) = &written {
            for (wd, v) in &rws.mem_writes {
                let old = mem_read_map.get(wd).copied().unwrap_or_default();
                let expect = overlay(*wd, old, *off, data);
                if *v != expect {
                    return err_at(format!(
                        "memory word {wd} written as {v:#x}, expected {expect:#x}"
                    ));
                }
            }
            if let Some(ev) = w
                .copies
                .iter()
                .find(|c| c.step == i as u32 && c.dst == CopyEndpoint::Memory(s.frame))
            {
                if ev.data.as_ref() != data.as_slice() || ev.dst_offset != *off {
                    return err_at("copy event does not match the copied bytes".into());
                }
            }
        }
        // Stack outputs.
        let ctx = &w.context;
        let expected_out: Option<U256> = match op.code {
            c if op.components.contains(Components::ARITHMETIC) || op.components.contains(Components::BITWISE) || matches!(c, 0x14 | 0x15 | 0x19) => {
                let r = alu::eval(c, arg(0), arg(1), arg(2));
                if op.components.contains(Components::ARITHMETIC) || op.components.contains(Components::BITWISE) {
                    let Some(a) = self.alu.get(&(i as u32)) else {
                        return err_at("arithmetic/bitwise step without its operation record".into());
                    };
                    if a.opcode != c || a.a != arg(0) || a.b != arg(1) || (op.stack_in == 3 && a.c != arg(2)) || Some(a.result) != out(0) {
                        return err_at("operation record differs from the step's stack".into());
                    }
                }
                r
            }
            0x5f..=0x7f => {
                let n = (op.code - 0x5f) as usize;
                let start = s.pc as usize + 1;
                let mut buf = [0u8; 32];
                for k in 0..n {
                    buf[32 - n + k] = code.get(start + k).copied().unwrap_or(0);
                }
                Some(U256::from_be_bytes(buf))
            }
            0x80..=0x8f => Some(arg(0)),
            0x90..=0x9f => {
                if out(0) != Some(arg(0)) || out(1) != Some(arg(1)) {
                    return err_at("SWAP does not exchange the two words".into());
                }
                None
            }
            0x58 => Some(U256::from(s.pc)),
            0x59 => Some(U256::from(s.memory_words * 32)),
            0x5a => Some(U256::from(s.gas.saturating_sub(op.static_gas as u64))),
            0x30 => Some(word_of_address(frame.address)),
            0x33 => Some(word_of_address(frame.caller)),
            0x34 => Some(frame.value),
            0x36 => Some(U256::from(calldata.len())),
            0x38 => Some(U256::from(code.len())),
            0x3d => Some(U256::from(self.frames[fid].return_data.len())),
            0x35 => Some(U256::from_be_slice(&padded_slice(calldata, arg(0), 32))),
            0x32 => Some(word_of_address(ctx.origin)),
            0x3a => Some(U256::from(ctx.gas_price)),
            0x41 => Some(word_of_address(ctx.coinbase)),
            0x42 => Some(ctx.timestamp),
            0x43 => Some(ctx.number),
            0x44 => Some(U256::from_be_bytes(ctx.prevrandao.0)),
            0x45 => Some(U256::from(ctx.block_gas_limit)),
            0x46 => Some(U256::from(ctx.chain_id)),
            0x48 => Some(U256::from(ctx.base_fee)),
            0x4a => Some(U256::from(ctx.blob_base_fee)),
            0x49 => Some(
                usize::try_from(arg(0))
                    .ok()
                    .and_then(|k| ctx.blob_hashes.get(k))
                    .map_or(U256::ZERO, |h| U256::from_be_bytes(h.0)),
            ),
            0x51 => Some(U256::from_be_slice(&bytes_from_words(&mem_read_map, u64_of(arg(0)), 32))),
            0x54 => rws.read_of(|t| matches!(t, RwTarget::Storage { address, key } if *address == frame.address && *key == arg(0))).or(Some(U256::MAX)),
            0x5c => rws.read_of(|t| matches!(t, RwTarget::Transient { address, key } if *address == frame.address && *key == arg(0))).or(Some(U256::MAX)),
            0x31 | 0x47 => {
                let a = if op.code == 0x31 { Address::from_word(B256::from(arg(0))) } else { frame.address };
                rws.read_of(|t| matches!(t, RwTarget::Account { address, field: AccountField::Balance } if *address == a))
            }
            0x20 => {
                let len: u64 = u64_of(arg(1));
                let input = if len == 0 { Vec::new() } else { bytes_from_words(&mem_read_map, u64_of(arg(0)), len) };
                let digest = keccak256(&input);
                let Some(k) = self.keccak.get(&(i as u32)) else {
                    return err_at("KECCAK256 without its keccak record".into());
                };
                if k.input.as_ref() != input.as_slice() || k.output != digest {
                    return err_at("keccak record does not match the hashed memory".into());
                }
                Some(U256::from_be_bytes(digest.0))
            }
            _ => None,
        };
        if let Some(v) = expected_out {
            if out(0) != Some(v) {
                return err_at(format!(
                    "stack output {:?} but the opcode yields {v:#x}",
                    out(0)
                ));
            }
        }
        // Logs: address, topics and data length written as the opcode says, data copied from
        // the memory range.
        if (0xa0..=0xa4).contains(&op.code) {
            let topics = (op.code - 0xa0) as usize;
            let fields: Vec<(LogField, U256)> = rws
                .others
                .iter()
                .filter_map(|(wr, t, v)| match t {
                    RwTarget::Log { field, .. } if *wr => Some((*field, *v)),
                    _ => None,
                })
                .collect();
            let mut expect = vec![(LogField::Address, word_of_address(frame.address))];
            expect.extend((0..topics).map(|k| (LogField::Topic(k as u8), arg(2 + k))));
            expect.push((LogField::DataLength, arg(1)));
            if fields != expect {
                return err_at("log fields differ from the address, topics and length".into());
            }
            let len = u64_of(arg(1));
            let data = if len == 0 {
                Vec::new()
            } else {
                bytes_from_words(&mem_read_map, u64_of(arg(0)), len)
            };
            let ev = w
                .copies
                .iter()
                .find(|c| c.step == i as u32 && matches!(c.dst, CopyEndpoint::Log(_)));
            if ev.is_none_or(|c| c.data.as_ref() != data.as_slice()) {
                return err_at("log data differs from the memory it is taken from".into());
            }
        }
        // Gas.
        let cold = |t: &dyn Fn(&RwTarget) -> bool| rws.read_of(t).is_some_and(|v| v.is_zero());
        let mem_gas = gas::memory_expansion(s.memory_words, new_mem);
        let size_words = |pos: usize| words(arg(pos).saturating_to::<u64>());
        let mut refund_delta = 0i64;
        let mut forwarded: Option<u32> = None;
        let base = op.static_gas as u64 + mem_gas;
        let expected_cost: Vec<u64> = match op.dynamic {
            DynamicGas::None | DynamicGas::Memory(_) => vec![base],
            DynamicGas::MemoryPerWord(m, k) => {
                vec![base + k * size_words(m.size.unwrap_or(1) as usize)]
            }
            DynamicGas::Exp => vec![base + gas::exp(arg(1))],
            DynamicGas::Log => {
                vec![base + 375 * (op.stack_in as u64 - 2) + 8 * arg(1).saturating_to::<u64>()]
            }
            DynamicGas::AccountAccess | DynamicGas::ExtCodeCopy => {
                let a = Address::from_word(B256::from(arg(0)));
                let c = cold(
                    &|t| matches!(t, RwTarget::AccessList { address, key: None } if *address == a),
                );
                let copy = if op.dynamic == DynamicGas::ExtCodeCopy {
                    3 * size_words(3)
                } else {
                    0
                };
                vec![base + copy + if c { gas::COLD_ACCOUNT_EXTRA } else { 0 }]
            }
            DynamicGas::Sload => {
                let key = arg(0);
                let c = cold(
                    &|t| matches!(t, RwTarget::AccessList { address, key: Some(k) } if *address == frame.address && *k == key),
                );
                vec![
                    base + if c {
                        gas::COLD_SLOAD - gas::WARM_READ
                    } else {
                        0
                    },
                ]
            }
            DynamicGas::Sstore => {
                if frame.is_static {
                    return err_at("SSTORE in a static context without halting".into());
                }
                let key = arg(0);
                let c = cold(
                    &|t| matches!(t, RwTarget::AccessList { address, key: Some(k) } if *address == frame.address && *k == key),
                );
                let original = rws.read_of(|t| matches!(t, RwTarget::StorageOriginal { address, key: k } if *address == frame.address && *k == key));
                let current = rws.read_of(|t| matches!(t, RwTarget::Storage { address, key: k } if *address == frame.address && *k == key));
                let (Some(original), Some(current)) = (original, current) else {
                    return err_at("SSTORE without its original and current value reads".into());
                };
                if s.gas <= gas::CALL_STIPEND {
                    return err_at("SSTORE with at most 2300 gas left without halting".into());
                }
                let (cost, refund) = gas::sstore(original, current, arg(1), c);
                refund_delta = refund;
                // The write itself must store the new value.
                let wrote = rws.others.iter().any(|(wr, t, v)| {
                    *wr && *t
                        == RwTarget::Storage {
                            address: frame.address,
                            key,
                        }
                        && *v == arg(1)
                });
                if current != arg(1) && !wrote {
                    return err_at("SSTORE does not write the new value".into());
                }
                vec![base + cost]
            }
            DynamicGas::SelfDestruct => {
                let a = Address::from_word(B256::from(arg(0)));
                let c = cold(
                    &|t| matches!(t, RwTarget::AccessList { address, key: None } if *address == a),
                );
                let b = base
                    + if c {
                        gas::COLD_ACCOUNT_EXTRA + gas::WARM_READ
                    } else {
                        0
                    };
                vec![b, b + gas::NEW_ACCOUNT]
            }
            DynamicGas::Call => {
                let Some(&child) = self.children.get(&(i as u32)) else {
                    return err_at("call step without a child frame".into());
                };
                forwarded = Some(child);
                let cf = &w.frames[child as usize];
                let target = Address::from_word(B256::from(arg(1)));
                let c = cold(
                    &|t| matches!(t, RwTarget::AccessList { address, key: None } if *address == target),
                );
                let has_value = matches!(op.code, 0xf1 | 0xf2) && !arg(2).is_zero();
                if op.code == 0xf1 && has_value && frame.is_static {
                    return err_at("CALL with value in a static context without halting".into());
                }
                let stipend = if has_value { gas::CALL_STIPEND } else { 0 };
                let fixed = base
                    + if c { gas::COLD_ACCOUNT_EXTRA } else { 0 }
                    + if has_value { gas::CALL_VALUE } else { 0 };
                let Some(given) = cf.gas_limit.checked_sub(stipend) else {
                    return err_at("child gas below the stipend".into());
                };
                let mut options = Vec::new();
                for extra in [0, gas::NEW_ACCOUNT] {
                    for delegation in [0, gas::WARM_READ, gas::WARM_READ + gas::COLD_ACCOUNT_EXTRA]
                    {
                        let charged = fixed + extra + delegation;
                        if let Some(left) = s.gas.checked_sub(charged) {
                            let limit = gas::all_but_one_64th(left)
                                .min(u64::try_from(arg(0)).unwrap_or(u64::MAX));
                            if limit == given {
                                options.push(charged + given);
                            }
                        }
                    }
                }
                self.check_child(i, op, &inputs, &mem_read_map, child)?;
                if options.is_empty() {
                    return err_at(format!(
                        "child gas {} is not what the call forwards",
                        cf.gas_limit
                    ));
                }
                options
            }
            DynamicGas::Create => {
                let Some(&child) = self.children.get(&(i as u32)) else {
                    return err_at("create step without a child frame".into());
                };
                forwarded = Some(child);
                let cf = &w.frames[child as usize];
                let init_words = size_words(2);
                let hashing = if op.code == 0xf5 { 6 * init_words } else { 0 };
                let charged = base + 2 * init_words + hashing;
                let Some(left) = s.gas.checked_sub(charged) else {
                    return err_at("CREATE cost exceeds the gas left without halting".into());
                };
                if cf.gas_limit != gas::all_but_one_64th(left) {
                    return err_at(format!(
                        "child gas {} is not all but one 64th of {left}",
                        cf.gas_limit
                    ));
                }
                self.check_child(i, op, &inputs, &mem_read_map, child)?;
                vec![charged + cf.gas_limit]
            }
        };
        if !expected_cost.contains(&s.gas_cost) {
            return err_at(format!(
                "gas cost {} but the opcode costs {:?}",
                s.gas_cost, expected_cost
            ));
        }
        let Some(gas_after) = s.gas.checked_sub(s.gas_cost) else {
            return err_at("gas cost exceeds the gas left without halting".into());
        };
        // Control flow.
        let next_pc = match op.code {
            0x56 | 0x57 => {
                let jump = op.code == 0x56 || !arg(1).is_zero();
                if jump {
                    let dest = usize::try_from(arg(0)).unwrap_or(usize::MAX);
                    let map = self
                        .jumpdests
                        .entry(frame.code_hash)
                        .or_insert_with(|| jumpdest_map(code));
                    if !map.get(dest).copied().unwrap_or(false) {
                        return err_at(format!("jump to {dest}, not a JUMPDEST"));
                    }
                    dest as u64
                } else {
                    s.pc as u64 + 1
                }
            }
            _ => s.pc as u64 + 1 + op.immediate as u64,
        };
        let st = &mut self.frames[fid];
        st.pc = next_pc;
        st.gas = gas_after;
        st.sp = sp - op.stack_in as usize + op.stack_out as usize;
        st.mem_words = new_mem;
        st.refund = st.refund.map(|r| r + refund_delta);
        if let Some(child) = forwarded {
            let cf = &w.frames[child as usize];
            st.gas += cf.gas_left;
            // The child's refunds merge into ours on success; not derived here.
            st.refund = None;
            st.return_data =
                if matches!(cf.kind, FrameKind::Create | FrameKind::Create2) && cf.success {
                    Vec::new()
                } else {
                    cf.output.to_vec()
                };
        }
        if op.terminates {
            let output = match op.code {
                0xf3 | 0xfd => {
                    let len: u64 = u64_of(arg(1));
                    Some(if len == 0 {
                        Vec::new()
                    } else {
                        bytes_from_words(&mem_read_map, u64_of(arg(0)), len)
                    })
                }
                _ => Some(Vec::new()),
            };
            return self.end_frame(i, fid, op.code != 0xfd, gas_after, output);
        }
        Ok(())
    }

    /// Checks a child frame against the parent's CALL/CREATE step, and its return to the parent.
    fn check_child(
        &self,
        i: usize,
        op: &OpInfo,
        inputs: &[U256],
        mem: &HashMap<u64, U256>,
        child: u32,
    ) -> Result<(), CheckError> {
        let w = self.w;
        let s = &w.steps[i];
        let parent = &w.frames[s.frame as usize];
        let cf = &w.frames[child as usize];
        let err = |msg: String| {
            fail(
                Some(i),
                None,
                format!("{} at pc {}: child frame {child}: {msg}", op.name, s.pc),
            )
        };
        let arg = |k: usize| inputs.get(k).copied().unwrap_or_default();
        if cf.parent != Some(s.frame) || cf.depth != parent.depth + 1 {
            return err("wrong parent or depth".into());
        }
        let (args_pos, kind) = match op.code {
            0xf1 => (3, FrameKind::Call),
            0xf2 => (3, FrameKind::CallCode),
            0xf4 => (2, FrameKind::DelegateCall),
            0xfa => (2, FrameKind::StaticCall),
            0xf0 => (1, FrameKind::Create),
            _ => (1, FrameKind::Create2),
        };
        if cf.kind != kind {
            return err(format!("kind {:?}, expected {kind:?}", cf.kind));
        }
        let len: u64 = u64_of(arg(args_pos + 1));
        let input = if len == 0 {
            Vec::new()
        } else {
            bytes_from_words(mem, u64_of(arg(args_pos)), len)
        };
        if cf.input.as_ref() != input.as_slice() {
            return err("input differs from the memory it is taken from".into());
        }
        let target = Address::from_word(B256::from(arg(1)));
        let (caller, address, value, is_static) = match kind {
            FrameKind::Call => (parent.address, target, arg(2), parent.is_static),
            FrameKind::CallCode => (parent.address, parent.address, arg(2), parent.is_static),
            FrameKind::DelegateCall => (
                parent.caller,
                parent.address,
                parent.value,
                parent.is_static,
            ),
            FrameKind::StaticCall => (parent.address, target, U256::ZERO, true),
            FrameKind::Create | FrameKind::Create2 => (parent.address, cf.address, arg(0), false),
        };
        if cf.caller != caller
            || cf.address != address
            || cf.value != value
            || cf.is_static != is_static
        {
            return err("caller, address, value or static flag do not follow from the call".into());
        }
        // Return: result pushed on the parent's stack, return data copied into its memory.
        let start = cf.return_rw.start as usize;
        let ret =
            w.rw.get(start..start + cf.return_rw.len as usize)
                .unwrap_or(&[]);
        let slot = s.stack_size as usize - op.stack_in as usize;
        let result = if matches!(kind, FrameKind::Create | FrameKind::Create2) {
            if cf.success {
                word_of_address(cf.address)
            } else {
                U256::ZERO
            }
        } else {
            U256::from(cf.success as u8)
        };
        let pushed = ret
            .iter()
            .find(|r| matches!(r.target, RwTarget::Stack { .. }));
        match pushed {
            Some(Rw {
                write: true,
                target: RwTarget::Stack { frame, slot: sl },
                value,
            }) if *frame == s.frame && *sl as usize == slot && *value == result => {}
            _ => {
                return err(format!(
                    "result {result:#x} is not pushed to slot {slot} of the parent"
                ))
            }
        }
        if !matches!(kind, FrameKind::Create | FrameKind::Create2) {
            let (off, ret_len) = (arg(args_pos + 2), arg(args_pos + 3));
            let n = (ret_len.saturating_to::<u64>()).min(cf.output.len() as u64);
            let old: HashMap<u64, U256> = ret
                .iter()
                .filter(|r| !r.write)
                .filter_map(|r| match r.target {
                    RwTarget::Memory { word, .. } => Some((word, r.value)),
                    _ => None,
                })
                .collect();
            let writes: Vec<(u64, U256)> = ret
                .iter()
                .filter(|r| r.write)
                .filter_map(|r| match r.target {
                    RwTarget::Memory { frame, word } if frame == s.frame => Some((word, r.value)),
                    _ => None,
                })
                .collect();
            let expect_words: Vec<u64> = if n == 0 {
                Vec::new()
            } else {
                word_range((u64_of(off), n)).collect()
            };
            if writes.iter().map(|x| x.0).collect::<Vec<_>>() != expect_words {
                return err("return data is not written to the return memory range".into());
            }
            let data = &cf.output[..n as usize];
            for (wd, v) in writes {
                if v != overlay(
                    wd,
                    old.get(&wd).copied().unwrap_or_default(),
                    u64_of(off),
                    data,
                ) {
                    return err(format!("return data word {wd} written wrongly"));
                }
            }
        }
        Ok(())
    }

    fn end_frame(
        &mut self,
        i: usize,
        fid: usize,
        success: bool,
        gas_left: u64,
        output: Option<Vec<u8>>,
    ) -> Result<(), CheckError> {
        let f = &self.w.frames[fid];
        self.frames[fid].ended = true;
        let err = |msg: String| fail(Some(i), None, format!("frame {fid} end: {msg}"));
        let is_create = matches!(f.kind, FrameKind::Create | FrameKind::Create2);
        if output.is_none() {
            // Exceptional halt.
            if f.success || f.gas_left != 0 {
                return err("an exceptional halt must fail and consume all gas".into());
            }
            return Ok(());
        }
        if is_create && success {
            // Code deposit (200 per byte) and code checks are charged after the last step.
            if f.gas_left > gas_left {
                return err("create returned more gas than its last step left".into());
            }
        } else {
            if f.success != success {
                return err(format!(
                    "frame reports success {} but its last step implies {success}",
                    f.success
                ));
            }
            if f.gas_left != gas_left {
                return err(format!(
                    "frame returns {} gas but its last step leaves {gas_left}",
                    f.gas_left
                ));
            }
        }
        if let Some(out) = output {
            if (f.success || !is_create) && f.output.as_ref() != out.as_slice() {
                return err("frame output differs from the memory it returns".into());
            }
        }
        Ok(())
    }
}

/// Word indices of a byte range.
fn word_range(r: (u64, u64)) -> impl Iterator<Item = u64> {
    covered_words(r).map(|(w, _)| w)
}

/// Whether a byte range covers a whole word.
fn fully_covers(r: (u64, u64), word: u64) -> bool {
    covered_words(r).any(|(w, full)| w == word && full)
}

/// The reads an SLOAD (0x54), SSTORE (0x55) or SELFDESTRUCT (0xff) halting on its cost
/// records: exactly its stack operands (no writes), then, all reads, the slot's access-list
/// entry and, for SSTORE, its original value, then its current value; for SELFDESTRUCT the
/// frame account's balance (what it would send). Returns the operands.
fn shortfall_operands(
    s: &Step,
    frame: &Frame,
    rws: &StepRw,
    opcode: u8,
) -> Result<Vec<U256>, String> {
    let name = match opcode {
        0x54 => "SLOAD",
        0x55 => "SSTORE",
        _ => "SELFDESTRUCT",
    };
    let Some(info) = info(opcode) else {
        return Err(format!("{name} missing from the opcode table"));
    };
    let slots = opcodes::stack_slots(info, s.stack_size as usize);
    let read_slots: Vec<usize> = rws.stack_reads.iter().map(|r| r.0).collect();
    // (The slots an opcode reads are fewer than it needs when the stack is short: such a
    // step halts on the stack, not on its cost.)
    if s.stack_size < info.stack_in as u16
        || read_slots != slots.reads()
        || !rws.stack_writes.is_empty()
    {
        return Err(format!(
            "a halting {name}'s stack accesses are not its operands"
        ));
    }
    let operands: Vec<U256> = rws.stack_reads.iter().map(|r| r.1).collect();
    let (address, key) = (frame.address, operands[0]);
    let expected = match opcode {
        0x54 => vec![
            RwTarget::AccessList {
                address,
                key: Some(key),
            },
            RwTarget::Storage { address, key },
        ],
        0x55 => vec![
            RwTarget::AccessList {
                address,
                key: Some(key),
            },
            RwTarget::StorageOriginal { address, key },
            RwTarget::Storage { address, key },
        ],
        _ => vec![
            RwTarget::AccessList {
                address: Address::from_word(B256::from(key)),
                key: None,
            },
            RwTarget::Account {
                address,
                field: AccountField::Balance,
            },
        ],
    };
    let targets: Vec<RwTarget> = rws.others.iter().map(|(_, t, _)| *t).collect();
    if targets != expected
        || rws.others.iter().any(|(w, ..)| *w)
        || !rws.mem_reads.is_empty()
        || !rws.mem_writes.is_empty()
    {
        return Err(match opcode {
            0xff => "a halting SELFDESTRUCT reads other than its beneficiary's warmth and its \
                     account's balance"
                .into(),
            _ => format!(
                "a halting {name} reads other than its slot's warmth{} and current value",
                if opcode == 0x55 { ", original" } else { "" }
            ),
        });
    }
    Ok(operands)
}

/// A SELFDESTRUCT that halted out of gas with its reads recorded ([`shortfall_operands`]),
/// outside a static frame (which halts it before any cost): the gas left is below the most it
/// can cost, its static cost, a cold beneficiary's access and, sending a balance to another
/// account, a new account's. (Whether the beneficiary is empty is the beneficiary's state,
/// which the verifier's replay checks; its warmth the proof's Account component.)
fn check_selfdestruct_shortfall(s: &Step, frame: &Frame, rws: &StepRw) -> Result<(), String> {
    let beneficiary = shortfall_operands(s, frame, rws, 0xff)?[0];
    if frame.is_static {
        return Err("SELFDESTRUCT in a static context halting out of gas".into());
    }
    let (warm, balance) = (rws.others[0].2, rws.others[1].2);
    let cold = match warm.is_zero() {
        true => gas::COLD_ACCOUNT_EXTRA + gas::WARM_READ,
        false => 0,
    };
    let elsewhere = Address::from_word(B256::from(beneficiary)) != frame.address;
    let new_account = match !balance.is_zero() && elsewhere {
        true => gas::NEW_ACCOUNT,
        false => 0,
    };
    let most = SELFDESTRUCT_STATIC + cold + new_account;
    if most <= s.gas {
        return Err(format!(
            "halts out of gas with {} gas left for a cost of at most {most}",
            s.gas
        ));
    }
    Ok(())
}

/// SELFDESTRUCT's static cost (EIP-150).
const SELFDESTRUCT_STATIC: u64 = 5000;

/// An SLOAD that halted out of gas with its reads recorded ([`shortfall_operands`]): its
/// static cost and the cold access's (EIP-2929) above the gas left.
fn check_sload_shortfall(s: &Step, frame: &Frame, rws: &StepRw) -> Result<(), String> {
    shortfall_operands(s, frame, rws, 0x54)?;
    let cost = match rws.others[0].2.is_zero() {
        true => gas::COLD_SLOAD,
        false => gas::WARM_READ,
    };
    if cost <= s.gas {
        return Err(format!(
            "halts out of gas with {} gas left for a cost of {cost}",
            s.gas
        ));
    }
    Ok(())
}

/// An SSTORE that halted out of gas with its reads recorded ([`shortfall_operands`]): a cost
/// (EIP-2200/2929) above the gas left, which is above the call stipend (at or below it the
/// step fails before reading anything).
fn check_sstore_shortfall(s: &Step, frame: &Frame, rws: &StepRw) -> Result<(), String> {
    if frame.is_static {
        return Err("SSTORE in a static context halting out of gas".into());
    }
    let new = shortfall_operands(s, frame, rws, 0x55)?[1];
    let value = |k: usize| rws.others[k].2;
    let (cost, _) = gas::sstore(value(1), value(2), new, value(0).is_zero());
    if s.gas <= gas::CALL_STIPEND {
        return Err("an SSTORE halting on its cost with at most 2300 gas left".into());
    }
    if cost <= s.gas {
        return Err(format!(
            "halts out of gas with {} gas left for a cost of {cost}",
            s.gas
        ));
    }
    Ok(())
}
