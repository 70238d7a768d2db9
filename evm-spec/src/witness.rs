//! The witness of one transaction: everything the AIRs need to prove its execution, as plain
//! serde data independent of revm's types (JSON for inspection, postcard for storage).
//!
//! Layout, with the consuming AIR table in brackets:
//! - [`Witness::steps`] [CPU]: one row per executed opcode.
//! - [`Witness::rw`] [RW, storage RW]: every read and write, in execution order. **The index of an
//!   entry in this vector is its global counter (timestamp)**: the RW table sorts by
//!   (target kind, address, counter) and checks that every read returns the latest earlier write
//!   (or the initial value: zero for stack/memory/transient/access list, the pre-state for
//!   storage and accounts).
//! - [`Witness::frames`] [CPU, call context]: one entry per call/create frame, including
//!   precompile calls and calls to code-less accounts (frames without steps).
//! - [`Witness::bytecodes`] [Bytecode]: every executed code, by hash.
//! - [`Witness::alu`], [`Witness::bitwise`] [Arithmetic, Bitwise]: one entry per operation with
//!   its 256-bit operands and result.
//! - [`Witness::keccak`] [Keccak]: every KECCAK256 input and digest.
//! - [`Witness::copies`] [Copy]: every byte-range copy with its bytes.
//!
//! Ownership of RW entries: step `i` owns `rw[steps[i].rw_start .. steps[i].rw_start +
//! steps[i].rw_len]`; the completion of a call (result pushed, return data written to memory)
//! is owned by the child frame, `frames[f].return_rw`; the opening of a frame (call-context
//! writes, value transfer) by `frames[f].open_rw`; reverts append restoring writes owned by the
//! reverted frame (`frames[f].revert_rw`). Every entry has exactly one owner, and owners appear
//! in counter order.

use alloy_primitives::{Address, Bytes, B256, U256};
use serde::{Deserialize, Serialize};

/// Version of the witness format; bumped on any incompatible change.
pub const WITNESS_VERSION: u32 = 1;

/// A 256-bit EVM word.
pub type Word = U256;

/// The witness of one transaction.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Witness {
    /// [`WITNESS_VERSION`].
    pub version: u32,
    /// Block and transaction context.
    pub context: TxContext,
    /// Outcome of the transaction.
    pub result: TxResult,
    /// Executed codes.
    pub bytecodes: Vec<Code>,
    /// Call/create frames; index = frame id; frame 0 is the transaction's top-level frame.
    pub frames: Vec<Frame>,
    /// Executed opcodes in order.
    pub steps: Vec<Step>,
    /// Reads and writes; index = global counter.
    pub rw: Vec<Rw>,
    /// 256-bit arithmetic and comparison operations.
    pub alu: Vec<AluOp>,
    /// Bitwise operations (AND, OR, XOR, BYTE, CLZ).
    pub bitwise: Vec<AluOp>,
    /// KECCAK256 inputs and digests.
    pub keccak: Vec<KeccakOp>,
    /// Copies between byte ranges.
    pub copies: Vec<CopyEvent>,
}

/// Block and transaction fields the EVM can read.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct TxContext {
    /// Chain id.
    pub chain_id: u64,
    /// Block beneficiary.
    pub coinbase: Address,
    /// Block number.
    pub number: Word,
    /// Block timestamp.
    pub timestamp: Word,
    /// Block gas limit.
    pub block_gas_limit: u64,
    /// Base fee per gas.
    pub base_fee: u64,
    /// PREVRANDAO.
    pub prevrandao: B256,
    /// Blob base fee (0 when the block has no blob gas fields).
    pub blob_base_fee: u128,
    /// Transaction origin.
    pub origin: Address,
    /// Effective gas price.
    pub gas_price: u128,
    /// Transaction gas limit.
    pub gas_limit: u64,
    /// Recipient (`None` for a creation).
    pub to: Option<Address>,
    /// Value sent.
    pub value: Word,
    /// Calldata (init code for a creation).
    pub data: Bytes,
    /// Blob versioned hashes.
    pub blob_hashes: Vec<B256>,
    /// Addresses and slots warm before execution (sender, recipient, coinbase, precompiles,
    /// access list); the first RW entries write them as warm.
    pub prewarmed: Vec<(Address, Option<Word>)>,
}

/// Outcome of the transaction.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct TxResult {
    /// Whether the top-level frame succeeded.
    pub success: bool,
    /// Gas used by the transaction (after refunds, including intrinsic gas).
    pub gas_used: u64,
    /// Returned (or revert) data.
    pub output: Bytes,
    /// Status name (`Stop`, `Return`, `Revert`, `OutOfGas(…)`, or `Invalid: …`).
    pub status: String,
}

/// One executed code.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Code {
    /// keccak256 of the code.
    pub hash: B256,
    /// The code.
    pub code: Bytes,
}

/// How a frame was entered.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub enum FrameKind {
    /// CALL (or the transaction's message call).
    #[default]
    Call,
    /// CALLCODE.
    CallCode,
    /// DELEGATECALL.
    DelegateCall,
    /// STATICCALL.
    StaticCall,
    /// CREATE (or a creation transaction).
    Create,
    /// CREATE2.
    Create2,
}

/// One call/create frame.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Frame {
    /// Parent frame (`None` for the top-level frame).
    pub parent: Option<u32>,
    /// Index of the parent's CALL/CREATE step (`None` for the top-level frame).
    pub call_step: Option<u32>,
    /// Call depth (0 for the top-level frame).
    pub depth: u16,
    /// How it was entered.
    pub kind: FrameKind,
    /// msg.sender.
    pub caller: Address,
    /// Address whose storage and balance the frame uses (the created address for creations,
    /// known only at the end when creation fails early; zero then).
    pub address: Address,
    /// Address whose code runs.
    pub code_address: Address,
    /// Hash of the code run (index into [`Witness::bytecodes`] by hash); zero when none runs.
    pub code_hash: B256,
    /// msg.value (apparent value for DELEGATECALL).
    pub value: Word,
    /// Calldata, or init code for creations.
    pub input: Bytes,
    /// Static context.
    pub is_static: bool,
    /// Gas available to the frame (including a value-call stipend).
    pub gas_limit: u64,
    /// Whether the frame succeeded.
    pub success: bool,
    /// Gas left at the end and returned to the parent (0 on exceptional halt).
    pub gas_left: u64,
    /// Return or revert data.
    pub output: Bytes,
    /// Status name.
    pub status: String,
    /// RW entries of opening the frame.
    pub open_rw: RwRange,
    /// RW entries restoring state when the frame reverted (empty otherwise).
    pub revert_rw: RwRange,
    /// RW entries of returning to the parent (result push, return-data copy).
    pub return_rw: RwRange,
}

/// A contiguous range of [`Witness::rw`].
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct RwRange {
    /// First index.
    pub start: u32,
    /// Number of entries.
    pub len: u32,
}

/// One executed opcode: the CPU row.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Step {
    /// Frame id.
    pub frame: u32,
    /// Program counter.
    pub pc: u32,
    /// The opcode byte.
    pub opcode: u8,
    /// Gas left before the step.
    pub gas: u64,
    /// Gas charged by the step: static + dynamic, and for CALL/CREATE also the gas given to
    /// the child (whatever the child returns is credited at the parent's next step).
    pub gas_cost: u64,
    /// Stack depth before the step.
    pub stack_size: u16,
    /// Memory size in 32-byte words before the step.
    pub memory_words: u64,
    /// Refund counter before the step.
    pub refund: i64,
    /// First RW entry of the step.
    pub rw_start: u32,
    /// Number of RW entries of the step.
    pub rw_len: u32,
    /// `None` if the step completed; otherwise the exceptional halt (the frame ends).
    pub error: Option<String>,
}

/// One read or write. Its index in [`Witness::rw`] is its counter.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Rw {
    /// Write (true) or read (false).
    pub write: bool,
    /// What is accessed.
    pub target: RwTarget,
    /// The value read or written.
    pub value: Word,
}

/// Account fields.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub enum AccountField {
    /// Nonce.
    Nonce,
    /// Balance.
    Balance,
    /// Code hash (zero for a non-existent account, keccak("") for an empty one).
    CodeHash,
}

/// Call-context fields of a frame.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub enum CallField {
    /// msg.sender.
    Caller,
    /// Storage/balance address.
    Address,
    /// msg.value.
    Value,
    /// Calldata length.
    CalldataLength,
    /// Code size.
    CodeSize,
    /// Length of the last call's return data.
    ReturnDataLength,
    /// 1 in a static context.
    IsStatic,
    /// Call depth.
    Depth,
}

/// Fields of a log.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub enum LogField {
    /// Emitting address.
    Address,
    /// Topic `i`.
    Topic(u8),
    /// Data length (the data itself is a copy event).
    DataLength,
}

/// What a read or write accesses.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub enum RwTarget {
    /// Stack slot `slot` (0 = bottom) of a frame.
    Stack {
        /// Frame id.
        frame: u32,
        /// Position from the bottom.
        slot: u16,
    },
    /// Memory word `word` (bytes `32·word .. 32·word+32`) of a frame.
    Memory {
        /// Frame id.
        frame: u32,
        /// Word index.
        word: u64,
    },
    /// Persistent storage slot.
    Storage {
        /// Account.
        address: Address,
        /// Slot key.
        key: Word,
    },
    /// Value of a storage slot at the start of the transaction (read-only; SSTORE gas).
    StorageOriginal {
        /// Account.
        address: Address,
        /// Slot key.
        key: Word,
    },
    /// Transient storage slot (EIP-1153).
    Transient {
        /// Account.
        address: Address,
        /// Slot key.
        key: Word,
    },
    /// An account field.
    Account {
        /// Account.
        address: Address,
        /// Field.
        field: AccountField,
    },
    /// Warm flag (EIP-2929) of an address (`key: None`) or slot; value 0 = cold, 1 = warm.
    AccessList {
        /// Account.
        address: Address,
        /// Slot, or `None` for the address itself.
        key: Option<Word>,
    },
    /// A call-context field of a frame.
    CallContext {
        /// Frame id.
        frame: u32,
        /// Field.
        field: CallField,
    },
    /// A field of the `log`-th log of the transaction.
    Log {
        /// Log index in the transaction.
        log: u32,
        /// Field.
        field: LogField,
    },
    /// The refund counter.
    Refund,
}

/// A 256-bit operation: `result = op(a, b, c)` (unused operands are zero).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct AluOp {
    /// Step that performed it.
    pub step: u32,
    /// Opcode.
    pub opcode: u8,
    /// First operand (top of stack).
    pub a: Word,
    /// Second operand.
    pub b: Word,
    /// Third operand (ADDMOD/MULMOD modulus).
    pub c: Word,
    /// Result.
    pub result: Word,
}

/// A KECCAK256 evaluation.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct KeccakOp {
    /// Step that performed it (CREATE2 hashes its init code too).
    pub step: u32,
    /// Input bytes.
    pub input: Bytes,
    /// Digest.
    pub output: B256,
}

/// Where copied bytes come from or go to.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum CopyEndpoint {
    /// Memory of a frame.
    Memory(u32),
    /// Calldata of a frame.
    Calldata(u32),
    /// A code, by hash.
    Code(B256),
    /// Return data held by a frame (of its last call).
    ReturnData(u32),
    /// Data of the `n`-th log.
    Log(u32),
    /// Input of KECCAK256 at a step.
    Keccak(u32),
    /// Call input of a child frame.
    CallInput(u32),
    /// Output of a frame (RETURN/REVERT data).
    Output(u32),
}

/// A copy of `data.len()` bytes from `src` at `src_offset` to `dst` at `dst_offset`.
/// Source bytes past the end of the source read as zero.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct CopyEvent {
    /// Step that performed it.
    pub step: u32,
    /// Source.
    pub src: CopyEndpoint,
    /// Source offset.
    pub src_offset: u64,
    /// Destination.
    pub dst: CopyEndpoint,
    /// Destination offset.
    pub dst_offset: u64,
    /// The bytes copied.
    pub data: Bytes,
}

impl Witness {
    /// The RW entries owned by step `i`.
    pub fn step_rw(&self, i: usize) -> &[Rw] {
        self.steps
            .get(i)
            .and_then(|s| {
                let start = s.rw_start as usize;
                self.rw.get(start..start + s.rw_len as usize)
            })
            .unwrap_or(&[])
    }

    /// JSON encoding.
    pub fn to_json(&self) -> crate::Result<String> {
        serde_json::to_string(self).map_err(|e| crate::Error::Encoding(e.to_string()))
    }

    /// Decodes JSON.
    pub fn from_json(s: &str) -> crate::Result<Self> {
        serde_json::from_str(s).map_err(|e| crate::Error::Encoding(e.to_string()))
    }

    /// Compact binary encoding (postcard).
    pub fn to_bytes(&self) -> crate::Result<Vec<u8>> {
        postcard::to_stdvec(self).map_err(|e| crate::Error::Encoding(e.to_string()))
    }

    /// Decodes the compact binary encoding; malformed bytes give an error, never a panic.
    pub fn from_bytes(b: &[u8]) -> crate::Result<Self> {
        postcard::from_bytes(b).map_err(|e| crate::Error::Encoding(e.to_string()))
    }
}
