//! The Osaka opcode table: for every opcode its name, static gas, stack inputs and outputs, the
//! dynamic-gas rule that applies on top of the static part, and the components (AIR tables) a
//! step of that opcode involves. It is the spec that the `air` crate follows and that the replay
//! checker ([`crate::checker`]) enforces.
//!
//! Conventions:
//! - `static_gas` is what every execution of the opcode pays. For EIP-2929 access opcodes it is
//!   the warm cost (100); a cold access adds 2,500 (accounts) or 2,000 (slots) as dynamic gas.
//! - `stack_in`/`stack_out` count words popped and pushed. DUPn reads the n-th word and pushes a
//!   copy (in n, out n+1); SWAPn touches n+1 words (in = out = n+1), so that every opcode's
//!   stack pointer moves by `out − in`.
//! - Opcodes absent from the table (including EOF ones, not part of Osaka) are invalid and halt.

mod arithmetic;
mod bitwise;
mod block;
mod environment;
mod log;
mod memory;
mod stack_memory;
mod system;

pub use memory::{covered_words, memory_cost, memory_ranges, overlay, words, MemRanges};

use serde::Serialize;

/// A set of components (AIR tables) touched by an opcode.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, Serialize)]
pub struct Components(pub u16);

impl Components {
    /// Empty set (every step is in the CPU table anyway).
    pub const NONE: Self = Self(0);
    /// Stack accesses in the RW table.
    pub const STACK: Self = Self(1 << 0);
    /// Memory accesses in the RW table.
    pub const MEMORY: Self = Self(1 << 1);
    /// Persistent storage (storage RW table).
    pub const STORAGE: Self = Self(1 << 2);
    /// Transient storage (EIP-1153).
    pub const TRANSIENT: Self = Self(1 << 3);
    /// Account fields: balance, nonce, code hash, warm/cold access list.
    pub const ACCOUNT: Self = Self(1 << 4);
    /// Call-context fields (caller, value, calldata, return data, …).
    pub const CALL_CONTEXT: Self = Self(1 << 5);
    /// The 256-bit arithmetic tables (AddCmp, MulDiv, ModArith, Exp).
    pub const ARITHMETIC: Self = Self(1 << 6);
    /// The bitwise (byte-lookup) table.
    pub const BITWISE: Self = Self(1 << 7);
    /// Keccak-f and sponge.
    pub const KECCAK: Self = Self(1 << 8);
    /// The copy table.
    pub const COPY: Self = Self(1 << 9);
    /// Bytecode table (beyond the opcode fetch every step does): PUSH data, code copies.
    pub const BYTECODE: Self = Self(1 << 10);
    /// Tx/block context table.
    pub const TX_BLOCK: Self = Self(1 << 11);
    /// Logs.
    pub const LOG: Self = Self(1 << 12);
    /// Call/create frames (context switch).
    pub const FRAME: Self = Self(1 << 13);

    /// Union.
    pub const fn with(self, other: Self) -> Self {
        Self(self.0 | other.0)
    }

    /// Whether every component of `other` is in `self`.
    pub const fn contains(self, other: Self) -> bool {
        self.0 & other.0 == other.0
    }

    /// Names of the components in the set.
    pub fn names(self) -> Vec<&'static str> {
        const NAMES: [&str; 14] = [
            "stack",
            "memory",
            "storage",
            "transient",
            "account",
            "call_context",
            "arithmetic",
            "bitwise",
            "keccak",
            "copy",
            "bytecode",
            "tx_block",
            "log",
            "frame",
        ];
        NAMES
            .iter()
            .enumerate()
            .filter(|(i, _)| self.0 & (1 << i) != 0)
            .map(|(_, n)| *n)
            .collect()
    }
}

/// The dynamic part of an opcode's gas (on top of [`OpInfo::static_gas`]).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
pub enum DynamicGas {
    /// Static gas only.
    None,
    /// Memory expansion for an access of (offset, size) given by stack inputs `offset`, `size`
    /// (or a fixed size).
    Memory(MemAccess),
    /// Memory expansion plus `per_word` gas per 32-byte word of the size (KECCAK256, copies).
    MemoryPerWord(MemAccess, u64),
    /// EXP: 50 per byte of the exponent.
    Exp,
    /// LOGn: memory expansion + 375 per topic + 8 per data byte.
    Log,
    /// Account access: +2,500 when the address is cold (BALANCE, EXTCODESIZE, EXTCODEHASH).
    AccountAccess,
    /// EXTCODECOPY: account access + copy cost + memory expansion.
    ExtCodeCopy,
    /// SLOAD: +2,000 when the slot is cold.
    Sload,
    /// SSTORE: EIP-2200/2929/3529 rules.
    Sstore,
    /// CALL family: memory, account access, value transfer, new account, forwarded gas.
    Call,
    /// CREATE/CREATE2: memory, init-code words (and hashing for CREATE2), forwarded gas.
    Create,
    /// SELFDESTRUCT: cold beneficiary, new account funded.
    SelfDestruct,
}

/// A memory range read or written by an opcode, described by stack-input positions
/// (0 = top of stack before the step).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
pub struct MemAccess {
    /// Stack position of the offset.
    pub offset: u8,
    /// Stack position of the size, or `None` for a fixed 32-byte (or 1-byte) access.
    pub size: Option<u8>,
    /// The size when `size` is `None`.
    pub fixed: u8,
}

impl MemAccess {
    /// Range `(stack[offset], stack[size])`.
    pub const fn range(offset: u8, size: u8) -> Self {
        Self {
            offset,
            size: Some(size),
            fixed: 0,
        }
    }

    /// Range `(stack[offset], n)`.
    pub const fn fixed(offset: u8, n: u8) -> Self {
        Self {
            offset,
            size: None,
            fixed: n,
        }
    }
}

/// Everything the table says about one opcode.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
pub struct OpInfo {
    /// The opcode byte.
    pub code: u8,
    /// Mnemonic.
    pub name: &'static str,
    /// Gas every execution pays.
    pub static_gas: u16,
    /// Words read from the stack.
    pub stack_in: u8,
    /// Words written to the stack.
    pub stack_out: u8,
    /// Immediate bytes following the opcode (PUSHn: n).
    pub immediate: u8,
    /// Rule for the dynamic part of the gas.
    pub dynamic: DynamicGas,
    /// Components a step of this opcode involves, besides the CPU and bytecode fetch.
    pub components: Components,
    /// Whether the opcode ends the frame (STOP, RETURN, REVERT, INVALID, SELFDESTRUCT).
    pub terminates: bool,
    /// Whether the opcode is forbidden in a static context (state modification).
    pub writes_state: bool,
}

impl OpInfo {
    /// A plain stack opcode: static gas only, no dynamic part.
    pub(crate) const fn new(
        code: u8,
        name: &'static str,
        gas: u16,
        stack_in: u8,
        stack_out: u8,
    ) -> Self {
        Self {
            code,
            name,
            static_gas: gas,
            stack_in,
            stack_out,
            immediate: 0,
            dynamic: DynamicGas::None,
            components: Components::STACK,
            terminates: false,
            writes_state: false,
        }
    }

    pub(crate) const fn comp(mut self, c: Components) -> Self {
        self.components = self.components.with(c);
        self
    }

    pub(crate) const fn dynamic(mut self, d: DynamicGas) -> Self {
        self.dynamic = d;
        self
    }

    pub(crate) const fn terminating(mut self) -> Self {
        self.terminates = true;
        self
    }

    pub(crate) const fn state_writing(mut self) -> Self {
        self.writes_state = true;
        self
    }

    pub(crate) const fn immediate(mut self, n: u8) -> Self {
        self.immediate = n;
        self
    }

    /// Net stack growth.
    pub const fn stack_delta(&self) -> i32 {
        self.stack_out as i32 - self.stack_in as i32
    }
}

/// Stack slots (0 = bottom) one step reads (top first) and writes (bottom up).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct StackSlots {
    reads: [usize; 7],
    n_reads: u8,
    writes: [usize; 2],
    n_writes: u8,
}

impl StackSlots {
    /// Slots read, top first.
    pub fn reads(&self) -> &[usize] {
        &self.reads[..self.n_reads as usize]
    }

    /// Slots written, bottom up.
    pub fn writes(&self) -> &[usize] {
        &self.writes[..self.n_writes as usize]
    }
}

/// Stack slots an opcode reads and writes, given the stack size `sp` before it.
///
/// The general rule is: read the `stack_in` consumed words, write the `stack_out` produced
/// words. DUPn reads only the duplicated word and writes only the new top; SWAPn reads and
/// writes only the two exchanged words. The result of CALL/CREATE-family opcodes is written
/// when the child frame returns, not by the step. On stack underflow nothing is accessed.
pub fn stack_slots(op: &OpInfo, sp: usize) -> StackSlots {
    let n_in = op.stack_in as usize;
    let mut s = StackSlots::default();
    if sp < n_in {
        return s;
    }
    match op.code {
        0x80..=0x8f => {
            s.reads[0] = sp - n_in;
            s.writes[0] = sp;
            (s.n_reads, s.n_writes) = (1, 1);
        }
        0x90..=0x9f => {
            s.reads[..2].copy_from_slice(&[sp - 1, sp - n_in]);
            s.writes.copy_from_slice(&[sp - n_in, sp - 1]);
            (s.n_reads, s.n_writes) = (2, 2);
        }
        _ => {
            for k in 0..n_in {
                s.reads[k] = sp - 1 - k;
            }
            s.n_reads = n_in as u8;
            if !op.components.contains(Components::FRAME) && op.stack_out == 1 {
                s.writes[0] = sp - n_in;
                s.n_writes = 1;
            }
        }
    }
    s
}

/// The table indexed by opcode byte; `None` for invalid opcodes.
pub struct OpcodeTable([Option<OpInfo>; 256]);

impl OpcodeTable {
    /// The entry of `op`, if valid in Osaka.
    pub fn get(&self, op: u8) -> Option<&OpInfo> {
        self.0[op as usize].as_ref()
    }

    /// All valid opcodes in ascending order.
    pub fn iter(&self) -> impl Iterator<Item = &OpInfo> {
        self.0.iter().flatten()
    }
}

/// The Osaka opcode table.
pub fn table() -> &'static OpcodeTable {
    static TABLE: std::sync::OnceLock<OpcodeTable> = std::sync::OnceLock::new();
    TABLE.get_or_init(|| {
        let mut t = [None; 256];
        let families: [&[OpInfo]; 7] = [
            arithmetic::OPS,
            bitwise::OPS,
            environment::OPS,
            block::OPS,
            stack_memory::OPS,
            log::OPS,
            system::OPS,
        ];
        for op in families.iter().flat_map(|f| f.iter()) {
            t[op.code as usize] = Some(*op);
        }
        for op in stack_memory::push_dup_swap() {
            t[op.code as usize] = Some(op);
        }
        OpcodeTable(t)
    })
}

/// The entry of `op` (shortcut for `table().get(op)`).
pub fn info(op: u8) -> Option<&'static OpInfo> {
    table().get(op)
}

/// Whether a step of `op` starting with `gas` pays its static cost: one that does not halts
/// before it reads anything, and one that does may still halt on its dynamic cost.
pub fn pays_static_cost(op: u8, gas: u64) -> bool {
    info(op).is_some_and(|i| gas >= i.static_gas as u64)
}

#[cfg(test)]
mod tests;
