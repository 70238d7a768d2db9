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
//!   precompile calls and calls to code-less accounts (frames without steps; the
//!   transaction's own frame of empty code has the one STOP the EVM runs there).
//! - [`Witness::bytecodes`] [Bytecode]: every executed code, by hash.
//! - [`Witness::alu`], [`Witness::bitwise`] [Arithmetic, Bitwise]: one entry per operation with
//!   its 256-bit operands and result.
//! - [`Witness::keccak`] [Keccak]: every KECCAK256 input and digest.
//! - [`Witness::copies`] [Copy]: every byte-range copy with its bytes.
//!
//! Ownership of RW entries, in counter order: the transaction's prefix (the pre-warmed
//! addresses and slots, then pre-execution changes such as the sender's nonce bump and gas
//! purchase) runs up to `frames[0].open_rw.start`; after it, step `i` owns
//! `rw[steps[i].rw_start ..][.. steps[i].rw_len]`, a frame owns its opening (`open_rw`:
//! call-context writes, value transfer), the writes restoring state when it reverted
//! (`revert_rw`, one per target) and its return to the parent (`return_rw`: code deposit, result
//! pushed, return data written to memory). These ranges tile the log with no gap or overlap.

use alloy_primitives::{Address, Bytes, B256, U256};
use serde::{Deserialize, Serialize};

/// Version of the witness format; bumped on any incompatible change. (2: an SLOAD halting on
/// its cold access's cost records its key's read and its slot's warmth and value. 3: a
/// SELFDESTRUCT halting on its dynamic cost records its beneficiary's read and its account's
/// balance. 4: a transaction's own frame of empty code holds the STOP the EVM runs there,
/// [`Witness::run_empty_transaction_frame`]. 5: a call frame names the EIP-7702 delegate
/// whose code it runs, [`Frame::delegate`].)
pub const WITNESS_VERSION: u32 = 5;

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
    #[serde(with = "compact")]
    pub number: Word,
    /// Block timestamp.
    #[serde(with = "compact")]
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
    #[serde(with = "compact")]
    pub value: Word,
    /// Calldata (init code for a creation).
    pub data: Bytes,
    /// Blob versioned hashes.
    pub blob_hashes: Vec<B256>,
    /// Addresses and slots warm before execution (sender, recipient, coinbase, precompiles,
    /// access list); the first RW entries write them as warm.
    pub prewarmed: Vec<Prewarmed>,
}

/// An address, or a storage slot of it, warm before execution.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Prewarmed {
    /// The address.
    pub address: Address,
    /// The slot, or `None` for the address itself.
    #[serde(with = "compact::option")]
    pub key: Option<Word>,
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
    /// The account an EIP-7702 delegation at `code_address` designates, whose code runs in
    /// its place (revm loads it with the call, charging its access); none for an account
    /// that is not delegated, and for creations.
    #[serde(default)]
    pub delegate: Option<Address>,
    /// msg.value (apparent value for DELEGATECALL).
    #[serde(with = "compact")]
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
    /// Counter from which a revert undoes state writes: the frame's journal checkpoint, taken
    /// after the callee is loaded and before the value transfer (inside `open_rw`).
    pub revert_from: u32,
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
    #[serde(with = "compact")]
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
        #[serde(with = "compact")]
        key: Word,
    },
    /// Value of a storage slot at the start of the transaction (read-only; SSTORE gas).
    StorageOriginal {
        /// Account.
        address: Address,
        /// Slot key.
        #[serde(with = "compact")]
        key: Word,
    },
    /// Transient storage slot (EIP-1153).
    Transient {
        /// Account.
        address: Address,
        /// Slot key.
        #[serde(with = "compact")]
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
        #[serde(with = "compact::option")]
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
    #[serde(with = "compact")]
    pub a: Word,
    /// Second operand.
    #[serde(with = "compact")]
    pub b: Word,
    /// Third operand (ADDMOD/MULMOD modulus).
    #[serde(with = "compact")]
    pub c: Word,
    /// Result.
    #[serde(with = "compact")]
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
    /// Gives a transaction's own frame of empty code the one step the EVM runs there.
    ///
    /// revm returns from a call frame whose code is empty without running it: no step, no
    /// code recorded. The EVM's semantics run such code as a STOP at pc 0 (past the end of
    /// any code is STOP), which costs nothing and accesses nothing, so the frame's gas and
    /// effects are the same either way. The transaction's own frame (a plain value transfer,
    /// or a recipient delegated to an account without code) then has that STOP, and the empty
    /// code among the bytecodes, so that its proof has a step and a code to show. (A callee
    /// of empty code keeps no step: its caller's Call row proves it runs none. Nor does a
    /// transaction sent to a precompile, which runs the precompile's logic instead.)
    pub(crate) fn run_empty_transaction_frame(&mut self) {
        let Some(root) = self.frames.first() else {
            return;
        };
        let runs_nothing = self.steps.is_empty()
            && self.frames.len() == 1
            && root.kind == FrameKind::Call
            && root.success
            && root.code_hash == alloy_trie::KECCAK_EMPTY
            && !crate::exec::is_precompile(&root.address);
        if !runs_nothing {
            return;
        }
        self.steps.push(Step {
            frame: 0,
            pc: 0,
            opcode: 0x00,
            gas: root.gas_limit,
            gas_cost: 0,
            stack_size: 0,
            memory_words: 0,
            refund: 0,
            rw_start: root.open_rw.start + root.open_rw.len,
            rw_len: 0,
            error: None,
        });
        if !self
            .bytecodes
            .iter()
            .any(|c| c.hash == alloy_trie::KECCAK_EMPTY)
        {
            self.bytecodes.push(Code {
                hash: alloy_trie::KECCAK_EMPTY,
                code: Bytes::new(),
            });
        }
    }

    /// Whether `address` is warm (EIP-2929) just before RW entry `at`: the value of its
    /// latest access-list entry before that one (the prewarmed addresses are written first,
    /// and a failing frame's revert entries put back what it warmed); cold if it has none.
    /// For a step that records no accesses of its own, such as a call halting on its cost.
    pub fn address_warm_before(&self, at: usize, address: &Address) -> bool {
        let earlier = &self.rw[..at.min(self.rw.len())];
        (earlier.iter().rev())
            .find(|e| {
                matches!(&e.target, RwTarget::AccessList { address: a, key: None } if a == address)
            })
            .is_some_and(|e| !e.value.is_zero())
    }

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

/// Serde for words: `0x…` hex in human-readable formats (JSON), big-endian bytes without leading
/// zeros in binary ones (most stack values are small, so this halves the postcard size).
mod compact {
    use alloy_primitives::U256;
    use serde::{de::Error as _, Deserialize, Deserializer, Serializer};

    fn trimmed(v: &U256) -> Vec<u8> {
        let bytes = v.to_be_bytes::<32>();
        let skip = bytes.iter().take_while(|b| **b == 0).count();
        bytes[skip..].to_vec()
    }

    pub fn serialize<S: Serializer>(v: &U256, s: S) -> Result<S::Ok, S::Error> {
        if s.is_human_readable() {
            serde::Serialize::serialize(v, s)
        } else {
            s.serialize_bytes(&trimmed(v))
        }
    }

    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<U256, D::Error> {
        if d.is_human_readable() {
            U256::deserialize(d)
        } else {
            let bytes: Vec<u8> = serde_bytes_compat::deserialize(d)?;
            if bytes.len() > 32 {
                return Err(D::Error::custom("word longer than 32 bytes"));
            }
            Ok(U256::from_be_slice(&bytes))
        }
    }

    /// The same for `Option<U256>`.
    pub mod option {
        use alloy_primitives::U256;
        use serde::{Deserialize, Deserializer, Serialize, Serializer};

        #[derive(Serialize, Deserialize)]
        struct W(#[serde(with = "super")] U256);

        pub fn serialize<S: Serializer>(v: &Option<U256>, s: S) -> Result<S::Ok, S::Error> {
            v.map(W).serialize(s)
        }

        pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<Option<U256>, D::Error> {
            Ok(Option::<W>::deserialize(d)?.map(|w| w.0))
        }
    }

    /// Reads a byte string that a binary format may hand over borrowed or owned.
    mod serde_bytes_compat {
        use serde::de::{Deserializer, Error, SeqAccess, Visitor};
        use std::fmt;

        struct BytesVisitor;

        impl<'de> Visitor<'de> for BytesVisitor {
            type Value = Vec<u8>;

            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a byte string")
            }

            fn visit_bytes<E: Error>(self, v: &[u8]) -> Result<Vec<u8>, E> {
                Ok(v.to_vec())
            }

            fn visit_byte_buf<E: Error>(self, v: Vec<u8>) -> Result<Vec<u8>, E> {
                Ok(v)
            }

            fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Vec<u8>, A::Error> {
                let mut out = Vec::new();
                while let Some(b) = seq.next_element::<u8>()? {
                    out.push(b);
                }
                Ok(out)
            }
        }

        pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<Vec<u8>, D::Error> {
            d.deserialize_bytes(BytesVisitor)
        }
    }
}
