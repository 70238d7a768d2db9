//! The CPU component: one row per executed step of a call frame.
//!
//! A row holds the step's registers (`ctx` frame, `code_id`, `pc`, `opcode`, `gas` and `sp`
//! before the step, `ctr` the RW counter of its first access), the opcode's decoding (`n`,
//! `static_gas` and one selector per [`Family`]), and the stack words it reads or writes:
//! `A` (the top word, or the word pushed) and `B` (the second word read), eight 32-bit limbs
//! each.
//!
//! What pins each cell:
//! - the opcode: fetched as `(code_id, pc, opcode, is_code = 1)` from the Bytecode component
//!   (bus [`crate::bytecode::BYTECODE`]), so it is a real opcode byte of the code, not PUSH data;
//! - the decoding: `(opcode, family, n, static_gas)` consumed from the opcode table on bus
//!   [`OPCODES`], which the verifier itself provides ([`opcode_messages`]: every supported
//!   opcode with the number of steps the statement claims for it). Selectors are boolean and
//!   sum to `live`, so `family = Σ f·sel_f` names exactly one family and the lookup ties it,
//!   `n` and the gas to the opcode;
//! - the stack words: every read and write is provided on the RW bus ([`crate::rw::RW`]) as
//!   `(ctr + k, stack, ctx, slot, write, value)`, `k` its position in the step; the RW component
//!   makes each read return the latest write of its slot. PUSH values come from the Bytecode
//!   component ([`crate::bytecode::PUSH_VALUE`], keyed by the last data byte `pc + n`); PC and
//!   GAS write the register; PUSH0 writes 0. Words that a step does not use are zero;
//! - the registers: the table holds one segment of rows per frame, each frame's steps
//!   contiguous and in execution order, `first` set on a segment's first row (row 0 is one).
//!   A segment starts at `pc = 0`, `sp = 0`, empty memory, with the `ctx`, code, gas, RW
//!   counter and address its start message gives (bus [`FRAME`], consumed on its first row:
//!   the verifier provides the transaction's own frame's). Within a segment (`cont = live′ −
//!   first′`), `pc′ = pc + 1 + n·sel_push` or the jump target, `gas′ = gas − static_gas`,
//!   `sp′ = sp + pushed − popped`, `ctr′ = ctr + accesses`. A segment ends exactly at its
//!   ending step (`ends·cont = 0` and `live·(1 − cont)·(1 − ends) = 0`), which provides the
//!   frame's stop message (bus [`FRAME`]) with its gas left and the counter after it. The
//!   ending step is a STOP or SELFDESTRUCT, whose gas after the step the stop message gives, or a stack halt: the step's opcode decodes (from the statement's halt row of the table)
//!   to `HaltStack` with `n` = words it needs and `static_gas` = the largest sp it allows, and
//!   `n − 1 − sp` (underflow) or `sp − largest − 1` (overflow) is range-checked, or an
//!   out-of-gas halt: the opcode decodes (from the statement's halt row) to `HaltGas` with
//!   `static_gas` its static cost, and `static_gas − gas − 1` is range-checked (16 bits: the
//!   step cannot pay even its static cost; for SSTORE the bound is 2,301, EIP-2200's sentry:
//!   it halts with no more than the call stipend left), or a far-memory halt: the opcode
//!   decodes (from
//!   the statement's halt row) to `HaltFar` with `n` the depth of an operand that places its
//!   memory range (an offset that touches memory, or the size; for RETURNDATACOPY also its
//!   offset into the return data, past which it halts) and `static_gas` the depth of
//!   the range's size (or a jump's: its destination at depth 0, JUMPI's condition as the
//!   size, [`HaltKind::FarJump`]); the row reads both, and shows the operand ≥ 2²², the size
//!   ≠ 0, the memory before the step below 2¹⁶ words and its gas below 2²⁴, less than the
//!   expansion costs; or a halt on the step's own cost: a memory-expanding step, an SLOAD or
//!   SSTORE, a BALANCE, EXTCODESIZE or EXTCODEHASH, an EXP, a call or a SELFDESTRUCT
//!   (its usual decoding, reads and cost; SLOAD's and SSTORE's storage message still goes
//!   out, for the cost the Storage component proves, and the warm-up and write die with the
//!   failed frame (SLOAD writes the slot's value where its result would go, which no step
//!   reads); an account access's message to the Account component too, for its cold cost,
//!   but it asks the verifier for no value and writes zero instead; EXP's ALU
//!   message too, for the exponent's bytes its cost counts, and its result goes to the ended
//!   frame's stack, where no step reads it; a call's CALL_OP message too, flagged, for the
//!   costs its Call row proves while opening no frame, or a static frame's CALL moving
//!   value, whose Call row shows that instead; EXTCODECOPY's account access too, which
//!   binds its cold flag; a SELFDESTRUCT's account access too, and its sweep's claim as
//!   `HaltedSweep`, which moves nothing and whose `fresh` the verifier checks when claimed;
//!   the frame ends failed, not as a SELFDESTRUCT's success) flagged `halt_near`
//!   sends none of its other effects, shows `static_gas +
//!   dyn_gas − gas − 1` and `gas` in [0, 2³²), and names its opcode in the stop message (a
//!   memory-expanding one whose reach passes 2¹⁶ words is `capped`, [`MEMORY_CAP_WORDS`]: it
//!   shows its end passes that many words and that it cannot pay for growing memory to
//!   2¹⁶ − 1 words, counting no words of size; less than its true cost); or
//!   an invalid-opcode halt: only INVALID and the
//!   undefined opcodes have a `HaltInvalid` row with `n = 0`; or a static-write halt: SSTORE,
//!   TSTORE, LOG0–LOG4, SELFDESTRUCT, CREATE and CREATE2 have a `HaltInvalid` row with `n = 1`, which only a static frame
//!   may take (a family of its own would cost the CPU a column); the frame then ends failed
//!   with no gas left,
//!   and the step touches nothing. (Which halt a prover shows does not matter: each is a real
//!   reason to halt, and every halt ends the frame the same way.)
//! - jumps: a taken JUMP/JUMPI fetches `(code_id, dest, 0x5b, is_code = 1)`, so it lands on a
//!   real JUMPDEST; JUMPI is taken iff its condition is non-zero (`taken = [ΣBᵢ ≠ 0]` through an
//!   inverse: the limbs are below 2³², so the sum cannot wrap). A taken jump flagged
//!   `halt_near` halts on its destination instead: it consumes `(code_id, dest)` on
//!   [`BAD_JUMP`], which only a Bytecode row that is no JUMPDEST provides, and ends the frame
//!   failed with no gas left (its shortfall is taken as 0: it has no cost to fall short of);
//!   a destination of 2²² or more is a far halt's (no code is that long); one past the code's
//!   span (`past`, kept in `result`) consumes `(PAST_SPAN_TAG + code_id, dest − C₀)` instead,
//!   which the code's last Bytecode row provides as `(…, span)`, and range-checks `C₀ = dest −
//!   span` (where a cost halt's shortfall is checked);
//! - storage: SLOAD, SSTORE, TLOAD and TSTORE provide `(ctr, transient, address, key = A,
//!   write, value = B, dyn_gas, revert_frame, reverts)` on bus [`crate::storage::STORAGE`]
//!   (the frame's `reverts` and `revert_frame` registers tell the Storage component which
//!   accesses a failing frame's end rolls back; `transient` 1 for the
//!   EIP-1153 pair, whose families share SLOAD's and SSTORE's stack and gas constraints); the
//!   Storage component proves the value read, the warm/cold state and the dynamic gas, 0 for
//!   transient slots (`gas′ = gas − static_gas − dyn_gas`, and `dyn_gas = 0` on every other
//!   step). The frame's `address` is pinned by the start message and constant.
//!   SSTORE also proves `gas − 2301 ≥ 0` (two 16-bit range checks): it fails at or below the
//!   call stipend (EIP-2200);
//! - account accesses: BALANCE, EXTCODESIZE and EXTCODEHASH replace the top word `A` by `B`,
//!   consumed as `(opcode, A, B, ctr)` on bus [`VERIFIER_WORD`] (the verifier computes the
//!   value from the state it knows, for the address `A mod 2¹⁶⁰` at the step's counter; one
//!   halting on its cost consumes none and writes `B = 0`), and
//!   SELFBALANCE pushes `A` from `(0x47, A, account, ctr)`, its frame's account's balance
//!   there (it accesses nothing: its account is warm); the former provide `(ctr, A₄, A₃, A₂, A₁, A₀,
//!   dyn_gas, revert_frame, reverts)` on bus [`crate::account::ACCOUNT`], where the Account
//!   component proves the EIP-2929 cost (2,500 more when the address is cold) and undoes the
//!   warm-up at a failing frame's end;
//! - stack overflow: `1024 − sp′` is range-checked (16 bits). Underflow needs no check: a read
//!   below the bottom would be the first access of its slot, which the RW component requires
//!   to be a write;
//! - memory: MLOAD, MSTORE, MSTORE8 provide `(ctr′, ctx, offset, write, wide, word)` on bus
//!   [`MEMORY`] (the Memory component turns it into byte accesses numbered after the step's
//!   stack accesses); MSIZE pushes `32·msize`. The registers `msize` (words) and
//!   `mq = ⌊msize²/512⌋` start at 0 and change only when a memory operation, RETURN or REVERT
//!   reaches `words = ⌈end/32⌉ > msize` (`end = offset + len`; 0 for an empty RETURN), or a
//!   call's windows reach `words` (its Call row proves them from the windows): then
//!   `msize′ = words`, `mq′ = ⌊words²/512⌋` and the dynamic gas is `3·Δmsize + Δmq`. Range
//!   checks make `words` exact (`(32·words − end)·2¹¹ < 2¹⁶`, `words < 2¹⁶`; a capped halt
//!   instead shows `end − 32·words − 1 = lo + 2¹⁶·far_hi`, both halves 16-bit), the growth
//!   decision honest (`words − msize − 1 ≥ 0` or `msize − words ≥ 0`) and the quadratic cost
//!   exact (`⌊words²/512⌋ = lo + 2¹⁶·hi`, `(words² − 512·that)·2⁷ < 2¹⁶`). Offsets and sizes
//!   are single limbs (larger ones run out of gas; the trace builder reports them
//!   unsupported), so memory stays below 2¹⁶ words (2 MiB). An empty RETURN, REVERT, copy or hash
//!   (`nonzero = 0`) touches no memory, so its offsets may be any words;
//! - arithmetic and bitwise operations: ADD, SUB, LT, GT, SLT, SGT, AND, OR, XOR, MUL, DIV,
//!   SDIV, MOD, SMOD, SHL, SHR, SAR, BYTE, SIGNEXTEND provide `(opcode, A, B, C)` on bus
//!   [`crate::alu::ALU`], where the Arithmetic, Bitwise, MulDiv or SignExtend component proves
//!   `C = op(A, B)`, and push `C`; EXP provides `(EXP + 2⁸·units, A, B, C)` to the Exp
//!   component, `units` its exponent's significant bytes, and pays 50 gas for each; NOT and
//!   CLZ provide `(opcode, A, 0, C)` (B is unused, so zero) and write `C` where `A` was; ADDMOD and MULMOD provide `(opcode, ctr, ctx, slot,
//!   A, B, C)` on bus [`crate::modular::MODULAR`] and the Modular component writes the result;
//! - a callee's calldata is a copy of its caller's argument window in its own memory at
//!   [`CALLDATA_BASE`] (its Call row provides the copy): its CALLDATALOAD (`is_calldataload·
//!   (1 − root)`) sends a word load from `CALLDATA_BASE + A₀` (`A` one limb) on [`MEMORY`]
//!   instead of the verifier's word (32 accesses after its stack's), and its CALLDATACOPY
//!   names itself an MCOPY from `CALLDATA_BASE + src` (reads, then writes: `2·size`
//!   accesses). From [`FAR_OFFSET`] on, past every calldata (an argument window is shorter
//!   than 2²¹ bytes), both read from `CALLDATA_BASE + FAR_SOURCE` instead, which nothing
//!   writes, so that no address passes 2³²: the load's row shows its operand that far as a
//!   far-memory halt does ([`col::FAR_LOAD`]), the copy's as a far source ([`col::SRC_FAR`],
//!   by a high limb or, [`col::SRC_FAR_LOW`], by its low limb's range-checked excess).
//!   CODECOPY, in any frame, names its source offset keyed by the code it runs,
//!   `B₀ + code_id·2³³` ([`copy::code_source`]; its own family, so a callee's is no MCOPY);
//! - EXTCODECOPY pops an address above a copy's three words: the row reads those as a copy
//!   does (`A`, `B`, `C₀`, counters `ctr …`, one slot deeper) and the address as a fourth
//!   word (counter `ctr + 3`, from `C₁…C₅`: its bits above 160 are zero, a word with more
//!   is not proven yet), sends its access to the Account component (`overflow` the cold
//!   flag, 2,500 gas more, part of `dyn_gas`), consumes the code the statement gives that
//!   address on [`crate::call::EXT_CODE_OF`] (`C₆` its id, 0 for none; `C₇` its length;
//!   not on a step halting on its cost, where both are 0: the account's own code, a
//!   precompile's or an EIP-7702 delegation designator too, which no call may take as what it
//!   runs), and copies as CODECOPY does from that code (`B₀ + C₆·2³³`, named a CODECOPY for
//!   the Copy component);
//! - MCOPY is a copy whose source is memory: the Copy component reads each byte before writing
//!   it (`2·size` accesses after the stack's), and memory grows to `max(dest, src) + size`
//!   (`src_higher` picks the larger offset, and the difference it implies is range-checked
//!   non-negative);
//! - RETURN / REVERT end the frame like STOP, keeping their gas left (REVERT fails), and
//!   provide `(ctr′, ctx, offset, size)` on bus [`crate::output::OUTPUT_OP`]: for the
//!   transaction's own frame (ctx 0) the Output component reads those memory bytes and binds
//!   them to the statement's output; a callee's Call row (keyed by the callee's ctx) copies
//!   them into its caller's return window.
//! - LOG0–LOG4 pop their offset and size like RETURN (memory grows the same way) and provide
//!   `(ctr, ctx, sp, offset, size, n, address₀…₄, reverted)` on bus [`crate::log::LOG_OP`],
//!   `n` the topic count the opcode table gives, the address and `reverts` register the
//!   frame's: the Log component reads the `n` topics below them and the data bytes
//!   (counters `ctr + 2 …`, which `ctr′ = ctr + 2 + n + size` skips), binding them to the
//!   statement's logs; `sp′ = sp − 2 − n`, and the dynamic gas adds `375·n + 8·size`.
//! - SELFDESTRUCT (outside a static frame, which halts on it as on SSTORE) pops its
//!   beneficiary `A`, provides `(ctr, A₄…A₀, cost, revert_frame, reverts)` on bus
//!   [`crate::account::ACCOUNT`] and consumes `(ctr, address₀…₄, A₄…A₀, C, fresh, kept = 1 −
//!   reverts, kind = 1, end = B₀)` on bus [`crate::call::TRANSFER`] (a sweep): `C` is the
//!   balance it sends, `fresh` (kept in `result`) a new account's 25,000, and the verifier,
//!   which provides the transfer from the statement, checks `C` is the frame account's whole
//!   balance and `fresh` that the beneficiary was empty and `C` not zero. Under a failing
//!   frame (`reverts`) the sweep is undone at that frame's end, which the row takes into
//!   `B₀` (with the frame around it in `B₁`, `B₂`) from the frame's Call row on
//!   [`crate::rollback::ROLLBACK`]; elsewhere `B₀` is its own counter. Its dynamic gas is
//!   `2,600·cold + 25,000·fresh` (the Account component's 2,500 for a cold access is sent as
//!   `(dyn_gas − 25,000·fresh)·25/26`). It ends the frame as STOP does (EIP-6780: an account
//!   created before the transaction is not deleted; one the transaction created is, at its
//!   end, unless a failing frame's end undoes the SELFDESTRUCT, which the verifier's replay
//!   of the transfers and creations knows).
//! - return data (EIP-211): the registers `rd_ctx`, `rd_offset`, `rd_size` hold where the
//!   last call's output lies (its callee's id and memory range); a segment starts with them
//!   zero, a call row sets the next row's to `(ctr + 1, C₁, C₂)` (its Call row gives the
//!   callee's output offset and size, both 0 unless it ended with RETURN or REVERT), every
//!   other step keeps them. RETURNDATASIZE pushes `rd_size`. RETURNDATACOPY pops `dest`,
//!   `offset`, `size` like a copy (memory growth, 3 gas a word), shows `rd_size − offset −
//!   size ≥ 0` (range-checked halves, `offset` one limb) and provides `(ctr′, ctx, dest, rd_offset + offset, size, rd_ctx)` on bus
//!   [`RETURN_COPY`]: the Copy component reads the callee's bytes and writes them here, as
//!   for a call's return copy. A callee's memory is never written after its last step, so
//!   those reads see its output. One whose range passes the return data halts (EIP-211):
//!   its row, flagged `halt_near` and `overflow`, shows `offset + size − rd_size − 1 ≥ 0`
//!   through the same margin (`offset` and `size` one limb each) and no shortfall (0 in its
//!   place); the prover may show either reason for a RETURNDATACOPY's halt. One whose
//!   offset or size is 2²² or more (past any return data), or whose destination is that far
//!   with a size, is a far halt instead (see [`far_size_operand`]): its row shows that
//!   operand, whatever the others.
//! - KECCAK256 pops its offset and size like RETURN (memory grows the same way), pays 6 gas
//!   per word (`units = ⌈size/32⌉`, checked as for copies), provides `(ctr′, ctx, 0, offset,
//!   size, 0x20)` on bus [`COPY_OP`] (the Copy component reads the `size` bytes, counters
//!   `ctr′ …`, and pads them for the [`crate::sponge::Sponge`]) and consumes `(ctr′, C)` from
//!   bus [`HASH`], pushing the digest `C` the sponge squeezed.
//!
//! Invariant the argument relies on: every stack write's limbs are below 2³² (except the
//! unused result an MLOAD halting on its own cost writes after the frame's last step, which
//! nothing reads), proven by its writer
//! (sums of four bytes for KECCAK256's digest; bytes for PUSH, copies for DUP/SWAP, registers below 2³² for PC, GAS, MSIZE and RETURNDATASIZE (an output's size, below 2²¹): the
//! pc is a code index, gas only decreases from the statement's start value, which is below
//! 2³², memory is below 2²¹ bytes; bytes for MLOAD and a callee's CALLDATALOAD; range-checked limbs or a bit for the
//! Arithmetic component's results, bytes for the Bitwise component's; the verifier's own
//! 32-bit limbs for CALLDATALOAD, BLOBHASH and the account reads).
//!
//! Gas needs no per-step range check: every cost is a non-negative table constant, a storage
//! cost below 2¹⁵ (a sum of flag-selected constants), an account access's 0 or 2,500 (SELFDESTRUCT's
//! 0 or 2,600, plus 0 or 25,000), a memory expansion cost below 2²⁴
//! (non-negative because memory only grows), 3, 6 or 50 gas per unit of a range-checked 16-bit
//! `gas_units` (a copy's words, EXP's exponent bytes) or LOG's `375·n + 8·size` (`n ≤ 4` from
//! the table, `size < 2²¹` whenever it is not zero, since it ends below the range-checked memory
//! size), so gas only decreases and the frame's
//! end bounds all of them: STOP, SELFDESTRUCT, RETURN and REVERT send their gas to the statement (a callee's
//! to its Call row, which range-checks it), a halt range-checks
//! its gas register (it sends none).
//!
//! Padding rows (`live = 0`) send nothing; their other cells are don't-cares.

use crate::account::ACCOUNT;
use crate::algebra::Algebra;
use crate::alu::ALU;
use crate::bus::{BusId, BusValues, Direction, Interaction, PublicMessage};
use crate::bytecode::{BAD_JUMP, BYTECODE, PAST_SPAN_TAG, PUSH_VALUE};
use crate::call::CALL_OP;
use crate::component::{BoundaryValue, Component, Window};
use crate::copy::{self, COPY_OP, RETURN_COPY};
use crate::exp::GAS_PER_BYTE;
use crate::log::LOG_OP;
use crate::memory::MEMORY;
use crate::modular::MODULAR;
use crate::output::OUTPUT_OP;
use crate::registry::ComponentId;
use crate::rw::{Kind, RW};
use crate::sponge::HASH;
use crate::storage::{ADDRESS_LIMBS, STORAGE};
use zkevm_field::Goldilocks;

/// Bus of the opcode table: `(opcode, family, n, static_gas)`, provided by the verifier.
pub const OPCODES: BusId = 20;
/// Bus of frame boundaries, provided by whoever starts the frame (the verifier, for the
/// transaction's own): `(0, ctx, code_id, gas, ctr, root, static, depth, reverts,
/// revert_frame, address)` where a frame starts ([`start_message`])
/// and `(1, ctx, code_id, gas left, success, own-cost halt opcode, ctr_end)` where it stops
/// ([`stop_message`]).
pub const FRAME: BusId = 21;

/// Bus of frame and block constants (ADDRESS, CALLER, TIMESTAMP, …): `(key, v₀…v₇)`, the key
/// the opcode in the transaction's frame and `opcode + CALLEE_CONTEXT` in a callee's, provided
/// by the verifier from the statement; for a callee's ADDRESS, CALLER, CALLVALUE,
/// CALLDATASIZE and CODESIZE `opcode + CALLEE_CONTEXT + CALLEE_FRAME_CONTEXT·ctx`, provided by
/// its Call row (a DELEGATECALL row consumes the CALLER and CALLVALUE it serves under its
/// caller's key).
pub const CONTEXT: BusId = 26;
/// Added to a context opcode's key on [`CONTEXT`] when a callee runs it: the verifier provides
/// those keys only for the [`is_transaction_wide`] opcodes, whose values every frame shares.
pub const CALLEE_CONTEXT: u64 = 256;
/// Times a callee's frame id, added to the key of the frame-specific context opcodes (those
/// whose table row has `n = 1`: ADDRESS, CALLER, CALLVALUE, CALLDATASIZE, CODESIZE) when a
/// callee runs them: the callee's Call row provides those keys, with the values it knows. (The
/// transaction's own frame has id 0, so its keys are the plain opcodes. Frame ids are call
/// counters plus one, below 2³⁸ (see the CPU's boundary note), so keys stay below 2⁴⁸ and
/// never wrap modulo p onto another's.)
pub const CALLEE_FRAME_CONTEXT: u64 = 512;

/// A context opcode whose value is the same in every frame of the transaction: ORIGIN,
/// GASPRICE and the block's fields (not ADDRESS, CALLER, CALLVALUE, CALLDATASIZE, CODESIZE or
/// SELFBALANCE, which are the frame's).
pub fn is_transaction_wide(opcode: u8) -> bool {
    matches!(opcode, 0x32 | 0x3a | 0x41..=0x46 | 0x48 | 0x4a)
}
/// Where a callee's calldata lies in its own memory: its Call row copies the argument window
/// there before the callee starts, and the callee's CALLDATALOAD reads it (past the window,
/// unwritten bytes, which read 0, as the EVM pads calldata). Memory a step can reach stays
/// below 2²¹ bytes, and calldata is no longer, so the two never meet.
pub const CALLDATA_BASE: u64 = 1 << 31;

/// Bus of words the verifier computes from the transaction and the state:
/// `(opcode, key₀…₇, word₀…₇, ctr)`, for CALLDATALOAD (0x35) the word at offset `key` of the
/// statement's calldata, for BLOBHASH (0x49) the blob hash at index `key` (both with `ctr`
/// 0: they do not change), for BALANCE (0x31), EXTCODESIZE (0x3b) and EXTCODEHASH (0x3f)
/// that field of the account `key mod 2¹⁶⁰` at counter `ctr` (the verifier replays the
/// statement's transfers up to it); SELFBALANCE (0x47) swaps the two words, `(0x47, word,
/// account, ctr)`: the balance, then its frame's account.
pub const VERIFIER_WORD: BusId = 27;
/// Fields of a [`VERIFIER_WORD`] message.
pub const VERIFIER_WORD_FIELDS: usize = 2 + 2 * LIMBS;

/// Maximum stack depth.
pub const STACK_LIMIT: u64 = 1024;
/// The JUMPDEST opcode, the only valid jump target.
pub const JUMPDEST: u64 = 0x5b;
/// The designated invalid instruction (EIP-141).
const INVALID: u8 = 0xfe;
/// EIP-211's return data opcodes.
pub const RETURNDATASIZE: u8 = 0x3d;
pub const RETURNDATACOPY: u8 = 0x3e;
pub const EXTCODECOPY: u8 = 0x3c;

/// Limbs of a stack word.
pub const LIMBS: usize = 8;

/// Opcode families, each with its own selector column. The discriminant is the family's id on
/// the [`OPCODES`] bus (0 is reserved: no family).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Family {
    Stop = 1,
    Push0,
    Push,
    Pop,
    Dup,
    Swap,
    Jump,
    JumpI,
    JumpDest,
    Pc,
    Gas,
    Sload,
    Sstore,
    Context,
    CallDataLoad,
    Eq,
    IsZero,
    Mload,
    Mstore,
    Mstore8,
    Msize,
    /// ADD, SUB, LT, GT, SLT, SGT (the Arithmetic component), AND, OR, XOR (the Bitwise
    /// component), MUL, DIV, SDIV, MOD, SMOD, SHL, SHR, SAR, BYTE (the MulDiv component).
    Alu,
    Return,
    Revert,
    /// CALLDATACOPY: proven by the Copy component (a callee's is an MCOPY from its
    /// calldata's copy in its memory).
    Copy,
    /// A step that ends the frame with a stack underflow or overflow instead of executing.
    HaltStack,
    /// NOT and CLZ: replace the top word by its complement (the Bitwise component) or its
    /// count of leading zeros (the MulDiv component).
    Not,
    /// MCOPY: proven by the Copy component, which reads the source bytes from memory.
    Mcopy,
    /// ADDMOD, MULMOD: pop three words; the Modular component proves and writes the result.
    Modular,
    /// EXP: a binary step on the ALU bus (the Exp component) that also charges 50 gas per
    /// significant byte of the exponent, a count the message carries.
    Exp,
    /// TLOAD: SLOAD of a transient slot (EIP-1153), no dynamic gas.
    Tload,
    /// TSTORE: SSTORE of a transient slot, no dynamic gas and no stipend check.
    Tstore,
    /// A step that ends the frame out of gas: it cannot pay its static cost.
    HaltGas,
    /// INVALID (0xfe) or an undefined opcode: the step ends the frame.
    HaltInvalid,
    /// BLOBHASH: like CALLDATALOAD, the top word (an index) replaced by a word the verifier
    /// computes, here from the transaction's blob hashes.
    BlobHash,
    /// LOG0–LOG4 (`n` topics): pop the offset and size like RETURN, and the Log component
    /// reads the topics and the data bytes.
    Log,
    /// A step that ends the frame out of gas on its memory expansion: an operand that places
    /// memory at or beyond 2²² bytes (a cost above 2²⁴ gas), read at depth `n`, with a
    /// non-zero size read at depth `static_gas` (the table row's fields). (Or a RETURNDATACOPY
    /// reaching that far past any return data; or a jump that far past every code.)
    HaltFar,
    /// KECCAK256: pops the offset and size like RETURN, pushes the digest the sponge provides
    /// for the bytes the Copy component reads.
    Keccak,
    /// BALANCE, EXTCODESIZE, EXTCODEHASH: like CALLDATALOAD, the top word (an address)
    /// replaced by a word the verifier computes from the state, and the access's warm/cold
    /// cost proven by the [`crate::account::Account`] component.
    Account,
    /// CALL, CALLCODE, DELEGATECALL, STATICCALL, CREATE, CREATE2 (`n` operands): the
    /// [`crate::call::Call`] component reads the operands, runs the callee's frame (a
    /// create's init code) and writes the success flag (a create's new address, or 0).
    Call,
    /// SELFDESTRUCT: pops the beneficiary, accesses it (its warm/cold cost proven by the
    /// Account component), claims the frame account's whole balance sent to it (a transfer
    /// the verifier replays) and ends the frame like STOP.
    SelfDestruct,
    /// CODECOPY: a copy whose source bytes are the running code's, keyed by its code id
    /// ([`copy::code_source`]): the Bytecode component provides the code's own bytes, the
    /// verifier the zeros past its end.
    CodeCopy,
    /// RETURNDATASIZE: pushes the size of the return data register (the last call's output
    /// in this frame, 0 before any call).
    ReturnDataSize,
    /// RETURNDATACOPY: a copy from the last callee's output in its memory (the return data
    /// registers), bounded by its size (EIP-211); the Copy component reads it as a call's
    /// return copy.
    ReturnDataCopy,
    /// EXTCODECOPY: pops an address above a copy's three words, accesses it (its warm/cold
    /// cost proven by the Account component) and copies from the code the statement gives
    /// it, keyed by that code's id as CODECOPY's source is.
    ExtCodeCopy,
    /// SELFBALANCE: pushes the frame account's balance at this step, a word the verifier
    /// computes (keyed by the account and the step's counter: balances move during the
    /// transaction).
    SelfBalance,
}

impl Family {
    /// Every family, in selector-column order.
    pub const ALL: [Family; 46] = [
        Family::Stop,
        Family::Push0,
        Family::Push,
        Family::Pop,
        Family::Dup,
        Family::Swap,
        Family::Jump,
        Family::JumpI,
        Family::JumpDest,
        Family::Pc,
        Family::Gas,
        Family::Sload,
        Family::Sstore,
        Family::Context,
        Family::CallDataLoad,
        Family::Eq,
        Family::IsZero,
        Family::Mload,
        Family::Mstore,
        Family::Mstore8,
        Family::Msize,
        Family::Alu,
        Family::Return,
        Family::Revert,
        Family::Copy,
        Family::HaltStack,
        Family::Not,
        Family::Mcopy,
        Family::Modular,
        Family::Exp,
        Family::Tload,
        Family::Tstore,
        Family::HaltGas,
        Family::HaltInvalid,
        Family::BlobHash,
        Family::Log,
        Family::HaltFar,
        Family::Keccak,
        Family::Account,
        Family::Call,
        Family::SelfDestruct,
        Family::CodeCopy,
        Family::ReturnDataSize,
        Family::ReturnDataCopy,
        Family::ExtCodeCopy,
        Family::SelfBalance,
    ];

    /// The family of an opcode and its `n` (bytes pushed, or DUP/SWAP depth), if supported.
    pub fn of(opcode: u8) -> Option<(Family, u64)> {
        Some(match opcode {
            0x00 => (Family::Stop, 0),
            0x50 => (Family::Pop, 0),
            // ADDRESS, CALLER, CALLVALUE, CALLDATASIZE and CODESIZE have `n = 1`: a callee's
            // value is its Call row's, keyed by the callee's frame ([`CALLEE_FRAME_CONTEXT`];
            // [`crate::call::FRAME_CONTEXT_OPCODES`]).
            0x30 | 0x33 | 0x34 | 0x36 | 0x38 => (Family::Context, 1),
            0x32 | 0x3a => (Family::Context, 0),
            0x41..=0x46 | 0x48 | 0x4a => (Family::Context, 0),
            0x47 => (Family::SelfBalance, 0),
            0x35 => (Family::CallDataLoad, 0),
            0x49 => (Family::BlobHash, 0),
            // Each sends its access to the Account component: every step that warms an
            // address must (see `crate::account`).
            0x31 | 0x3b | 0x3f => (Family::Account, 0),
            EXTCODECOPY => (Family::ExtCodeCopy, 0),
            // Each sends its access to the Account component too.
            crate::call::CALL | crate::call::CALLCODE => (Family::Call, 7),
            crate::call::DELEGATECALL | crate::call::STATICCALL => (Family::Call, 6),
            // (A create's row warms the account it creates.)
            crate::call::CREATE => (Family::Call, 3),
            crate::call::CREATE2 => (Family::Call, 4),
            SELFDESTRUCT => (Family::SelfDestruct, 0),
            0x14 => (Family::Eq, 0),
            0x15 => (Family::IsZero, 0),
            0x19 | 0x1e => (Family::Not, 0),
            0x51 => (Family::Mload, 0),
            0x52 => (Family::Mstore, 0),
            0x53 => (Family::Mstore8, 0),
            0x59 => (Family::Msize, 0),
            0xf3 => (Family::Return, 0),
            0xfd => (Family::Revert, 0),
            0x37 => (Family::Copy, 0),
            0x39 => (Family::CodeCopy, 0),
            RETURNDATASIZE => (Family::ReturnDataSize, 0),
            RETURNDATACOPY => (Family::ReturnDataCopy, 0),
            0x5e => (Family::Mcopy, 0),
            copy::KECCAK256 => (Family::Keccak, 0),
            0xa0..=0xa4 => (Family::Log, opcode as u64 - 0xa0),
            0x08 | 0x09 => (Family::Modular, 0),
            crate::exp::EXP => (Family::Exp, 0),
            _ if crate::alu::Table::of(opcode).is_some() => (Family::Alu, 0),
            0x54 => (Family::Sload, 0),
            SSTORE => (Family::Sstore, 0),
            0x5c => (Family::Tload, 0),
            0x5d => (Family::Tstore, 0),
            0x56 => (Family::Jump, 0),
            0x57 => (Family::JumpI, 0),
            0x58 => (Family::Pc, 0),
            0x5a => (Family::Gas, 0),
            0x5b => (Family::JumpDest, 0),
            0x5f => (Family::Push0, 0),
            0x60..=0x7f => (Family::Push, opcode as u64 - 0x5f),
            0x80..=0x8f => (Family::Dup, opcode as u64 - 0x7f),
            0x90..=0x9f => (Family::Swap, opcode as u64 - 0x8f),
            _ => return None,
        })
    }

    fn selector(self) -> usize {
        col::SEL + self as usize - 1
    }

    /// A family whose step may halt out of gas on a dynamic cost its own row computes: the
    /// memory-expanding ones, SLOAD and SSTORE, whose costs the Storage component gives,
    /// BALANCE, EXTCODESIZE and EXTCODEHASH, whose cold access the Account component prices,
    /// EXP, whose exponent bytes the Exp component counts, calls, whose costs the Call
    /// component gives, and SELFDESTRUCT, whose cold access the Account component prices and
    /// whose new account's cost the verifier checks.
    pub fn may_halt_on_own_cost(self) -> bool {
        self.expands_memory()
            || matches!(
                self,
                Family::Sload
                    | Family::Sstore
                    | Family::Account
                    | Family::Exp
                    | Family::Call
                    | Family::SelfDestruct
            )
    }

    /// A family whose step may expand memory, with a dynamic cost its row computes.
    fn expands_memory(self) -> bool {
        self.copies_into_memory()
            || matches!(
                self,
                Family::Mload
                    | Family::Mstore
                    | Family::Mstore8
                    | Family::Return
                    | Family::Revert
                    | Family::Log
                    | Family::Keccak
            )
    }

    /// A family whose step copies bytes into memory (`dest`, `src`, `size` on the stack, 3
    /// gas a word): CALLDATACOPY, CODECOPY, MCOPY, RETURNDATACOPY, EXTCODECOPY (an address
    /// above them).
    pub fn copies_into_memory(self) -> bool {
        matches!(
            self,
            Family::Copy
                | Family::CodeCopy
                | Family::Mcopy
                | Family::ReturnDataCopy
                | Family::ExtCodeCopy
        )
    }

    /// A family whose step ends the frame exceptionally instead of executing.
    pub fn is_halt(self) -> bool {
        matches!(
            self,
            Family::HaltStack | Family::HaltGas | Family::HaltInvalid | Family::HaltFar
        )
    }
}

/// Column indices.
pub mod col {
    pub const LIVE: usize = 0;
    pub const FIRST: usize = 1;
    pub const CTX: usize = 2;
    pub const CODE_ID: usize = 3;
    pub const PC: usize = 4;
    pub const OPCODE: usize = 5;
    pub const GAS: usize = 6;
    pub const SP: usize = 7;
    pub const CTR: usize = 8;
    pub const N: usize = 9;
    pub const STATIC_GAS: usize = 10;
    pub const TAKEN: usize = 11;
    pub const COND_INV: usize = 12;
    /// `A₀`; limb `i` at `A + i`.
    pub const A: usize = 13;
    /// `B₀`; limb `i` at `B + i`.
    pub const B: usize = 21;
    /// Selector of the first family; [`super::Family`] `f` at `SEL + f − 1`.
    pub const SEL: usize = 29;
    /// The frame's storage address, five 32-bit limbs, most significant first.
    pub const ADDRESS: usize = SEL + super::Family::ALL.len();
    /// Gas charged on top of the static cost (SLOAD, SSTORE, memory expansion).
    pub const DYN_GAS: usize = ADDRESS + super::ADDRESS_LIMBS;
    /// A 32-bit value the step range-checks as `lo + 2¹⁶·hi`: SSTORE's `gas − 2301`
    /// (EIP-2200: SSTORE needs more than the stipend), a halt's gas, a memory operation's
    /// `⌊words²/512⌋`.
    pub const CHECK_LO: usize = DYN_GAS + 1;
    pub const CHECK_HI: usize = DYN_GAS + 2;
    /// EQ / ISZERO: the result bit, written as the word `(result, 0, …, 0)`; SELFDESTRUCT:
    /// `fresh`, its beneficiary's 25,000 for a new account.
    pub const RESULT: usize = DYN_GAS + 3;
    /// A third word: for EQ / ISZERO the inverses proving `result = [A = B]` (`B = 0` for
    /// ISZERO), for the ALU bus's operations (the `Alu` family and NOT) the result, for copies
    /// the size (EXTCODECOPY's address and code above it: see `ExtCode`), for SELFDESTRUCT the
    /// balance it sends.
    pub const C: usize = RESULT + 1;
    /// A stack halt is an overflow (1) or an underflow (0); EXTCODECOPY's address is cold (1,
    /// 2,500 gas more) or warm (0).
    pub const OVERFLOW: usize = C + super::LIMBS;
    /// Memory size in 32-byte words before the step, and `⌊msize²/512⌋` (its quadratic cost).
    pub const MSIZE: usize = OVERFLOW + 1;
    pub const MQ: usize = MSIZE + 1;
    /// A memory operation: the words its bytes reach, `⌈(offset + len)/32⌉` (a capped halt's:
    /// [`super::MEMORY_CAP_WORDS`], fewer).
    pub const WORDS: usize = MQ + 1;
    /// A memory operation grows memory to `WORDS`.
    pub const GROW: usize = WORDS + 1;
    /// RETURN / REVERT / copies: the size is not zero (`size · COND_INV = 1`).
    pub const NONZERO: usize = GROW + 1;
    /// Copies: the words they copy, `⌈size/32⌉` (3 gas each; none for a capped halt). EXP: its
    /// exponent's significant bytes (50 gas each), which the Exp component proves through the
    /// ALU message.
    pub const GAS_UNITS: usize = NONZERO + 1;
    /// A non-empty MCOPY whose source offset is above its destination: memory grows to
    /// `max(dest, src) + size`.
    pub const SRC_HIGHER: usize = GAS_UNITS + 1;
    /// `is_mcopy · nonzero`.
    pub const MCOPY_NONZERO: usize = SRC_HIGHER + 1;
    /// `|src − dest|` of a non-empty MCOPY as `lo + 2¹⁶·margin_hi` (range-checked halves);
    /// RETURNDATACOPY's margin to (or past) the return data's end; a far source's `B₀ − 2²²`
    /// ([`SRC_FAR_LOW`]).
    pub const MARGIN_HI: usize = MCOPY_NONZERO + 1;
    /// A far-memory halt's operand `A` (or a far CALLDATALOAD's, [`FAR_LOAD`]) has a non-zero
    /// limb above the first (`C₀` inverts their sum); otherwise `A₀ − 2²² = lo + 2¹⁶·far_hi`
    /// (range-checked halves; a capped halt's `far_hi` is the high half of its reach's excess
    /// over `32·MEMORY_CAP_WORDS`).
    pub const FAR_HIGH_LIMBS: usize = MARGIN_HI + 1;
    pub const FAR_HI: usize = FAR_HIGH_LIMBS + 1;
    /// A memory-expanding step, an SSTORE, an EXP or a call that cannot pay its own row's cost
    /// ends the frame instead of executing: `static_gas + dyn_gas − gas − 1` and `gas` are
    /// range-checked as `lo + 2¹⁶·hi`, with these high halves.
    pub const HALT_NEAR: usize = FAR_HI + 1;
    pub const SHORT_HI: usize = HALT_NEAR + 1;
    pub const GAS_HI: usize = SHORT_HI + 1;
    /// A non-empty CALLDATACOPY / CODECOPY / EXTCODECOPY from an offset of 2³² or more: `B`'s
    /// high limbs are not all zero (`src_far_inv` inverts their sum), and the copy names the
    /// source [`crate::copy::FAR_SOURCE`], whose bytes are all past the end of calldata and
    /// code. (A callee's CALLDATACOPY from 2²² or more too, shown by `B₀`: [`SRC_FAR_LOW`].)
    pub const SRC_FAR: usize = GAS_HI + 1;
    pub const SRC_FAR_INV: usize = SRC_FAR + 1;
    /// The copy's source offset as its message gives it: `B₀`, or `FAR_SOURCE` when `src_far`.
    pub const COPY_SRC: usize = SRC_FAR_INV + 1;
    /// Frame registers from the start message: the transaction's own frame (1) or a callee
    /// (0), and a static frame (EIP-214: it writes no state).
    pub const ROOT: usize = COPY_SRC + 1;
    pub const STATIC: usize = ROOT + 1;
    /// The call depth (0 for the transaction's own frame).
    pub const DEPTH: usize = STATIC + 1;
    /// A failing frame's end undoes the frame's effects (a callee whose call reports failure,
    /// or any frame it runs): its storage and account accesses carry the flag and
    /// [`REVERT_FRAME`] (the Storage and Account components roll them back at that frame's
    /// end), and so do its LOGs (the verifier drops them), its calls (a value one moves is
    /// undone at that end: the Call component's `undoes`) and its SELFDESTRUCT (its sweep is
    /// undone at that end, which the row holds in `B₀…B₂`).
    pub const REVERTS: usize = DEPTH + 1;
    /// The bytes a copy, LOG or KECCAK256 moves (its size; twice an MCOPY's, a callee's
    /// CALLDATACOPY's and a RETURNDATACOPY's, which read them first): the accesses the other components number after
    /// the step's, which only an executed step makes (a step halting on its cost moves none,
    /// so a capped halt's size cannot push the counters on).
    pub const MOVED: usize = REVERTS + 1;
    /// The return data registers: the frame whose memory holds the last call's output (the
    /// callee's id, `ctr + 1` of the call row), its offset there and its size (0 before any
    /// call, and after a callee that ended without RETURN or REVERT).
    pub const RD_CTX: usize = MOVED + 1;
    pub const RD_OFFSET: usize = RD_CTX + 1;
    pub const RD_SIZE: usize = RD_OFFSET + 1;
    /// The innermost failing frame whose end undoes this frame's effects, when `reverts`:
    /// the frame itself if it fails, else its caller's; 0 otherwise. Its storage and account
    /// accesses carry it, and the Storage and Account components roll them back at that
    /// frame's end.
    pub const REVERT_FRAME: usize = RD_SIZE + 1;
    /// A callee's CALLDATALOAD from [`super::FAR_OFFSET`] or beyond, past every calldata (an
    /// argument window is shorter than 2²¹ bytes): its operand is shown that far as a
    /// far-memory halt's is (`far_high` and `C₀`, or `far_hi`), and it loads from
    /// `CALLDATA_BASE + FAR_SOURCE`, which nothing writes, instead of `CALLDATA_BASE + A₀`
    /// (which could pass 2³², beyond what RW numbers).
    pub const FAR_LOAD: usize = REVERT_FRAME + 1;
    /// A copy from the far source ([`SRC_FAR`]) whose offset is shown far by its low limb,
    /// `B₀ − 2²² = lo + 2¹⁶·margin_hi` (range-checked halves, in MCOPY's margin), instead of
    /// by a high limb: a callee's CALLDATACOPY from between 2²² and 2³², whose source in its
    /// memory, `CALLDATA_BASE + B₀`, could pass 2³², beyond what RW numbers.
    pub const SRC_FAR_LOW: usize = FAR_LOAD + 1;
}

/// A far-memory halt's operand reaches at least this byte offset (2¹⁷ words). Memory before
/// the step is below 2¹⁶ words (the most the CPU proves), so growing it that far costs at
/// least `3·(2¹⁷ − 2¹⁶) + (2³⁴ − 2³²)/512 > 2²⁴` gas: more than the halting step has, which
/// the row shows is below `2^FAR_GAS_BITS` (an Osaka transaction has at most 2²⁴ gas,
/// EIP-7825, so every step of a valid one qualifies; a step with more, as the benchmark
/// workloads may have without that cap, is reported unsupported). A jump that far lands past
/// every code: a statement's codes are shorter ([`crate::evm::Statement::from_bytes`]). It
/// also lies past every callee's calldata and every return data (a callee's output, shorter
/// than 2²¹ bytes as its memory is): a callee's CALLDATALOAD or CALLDATACOPY from there reads
/// zeros ([`col::FAR_LOAD`], [`col::SRC_FAR_LOW`]), and a RETURNDATACOPY whose offset or
/// size is that large halts out of bounds.
pub const FAR_OFFSET: u64 = 1 << 22;
const FAR_GAS_BITS: u32 = 24;

/// A memory-expanding step whose reach passes 2¹⁶ words and halts on its cost is `capped`
/// (`result` on its row): it shows its end passes `32·MEMORY_CAP_WORDS` bytes and that it
/// cannot pay for growing memory to `MEMORY_CAP_WORDS` words (its words of size left
/// uncounted), less than its true cost. (Memory below 2¹⁶ words, as every executed step
/// keeps it, grows by at most that much.)
pub const MEMORY_CAP_WORDS: u64 = (1 << 16) - 1;

/// KECCAK256's dynamic gas per word hashed (on top of its static 30).
const KECCAK_WORD_GAS: u64 = 6;

/// LOG's dynamic gas per topic and per data byte (on top of its static 375).
const LOG_TOPIC_GAS: u64 = 375;
const LOG_BYTE_GAS: u64 = 8;

/// SSTORE fails unless more gas than the call stipend is left (EIP-2200).
const SSTORE_SENTRY: u64 = 2301;
const SSTORE: u8 = 0x55;
const SELFDESTRUCT: u8 = 0xff;

/// SELFDESTRUCT's cold beneficiary costs 2,600 more (EIP-2929; a warm one nothing), where the
/// Account component proves 2,500 (the cold surcharge of the other accesses, whose warm 100
/// the static cost holds): the row sends its surcharge scaled by 25/26.
const SELFDESTRUCT_COLD: u64 = 2600;

/// A SELFDESTRUCT row keeps its sweep's undo in `B₀…B₂` (it reads no second word): under a
/// failing frame, the `(end, outer_reverts, outer_frame)` it takes on
/// [`crate::rollback::ROLLBACK`]; otherwise its own counter, 0 and 0.
const SWEEP_UNDO_CELLS: usize = 3;

/// The step registers and stack words of a frame's execution.
#[derive(Debug, Default, Clone, Copy)]
pub struct Cpu;

/// Selector values of a row, by family.
struct Selectors<V> {
    stop: V,
    push0: V,
    push: V,
    pop: V,
    dup: V,
    swap: V,
    jump: V,
    jumpi: V,
    pc: V,
    gas: V,
    /// SLOAD or TLOAD.
    sload: V,
    /// SSTORE or TSTORE.
    sstore: V,
    /// TLOAD or TSTORE.
    transient: V,
    /// SSTORE alone: it needs more gas left than the call stipend.
    persistent_store: V,
    /// SLOAD alone: it may halt on its cold access's cost (TLOAD has none).
    persistent_load: V,
    context: V,
    /// CALLDATALOAD, BLOBHASH, BALANCE, EXTCODESIZE or EXTCODEHASH: the top word replaced by
    /// the verifier's word for it (a callee's CALLDATALOAD: by its calldata's, from memory).
    verifier_word: V,
    /// A callee's CALLDATALOAD (`is_calldataload·(1 − root)`): it loads the word from its
    /// calldata's copy in its own memory, at [`CALLDATA_BASE`] and up.
    callee_calldataload: V,
    /// BALANCE, EXTCODESIZE, EXTCODEHASH: an account access with a warm/cold cost.
    account: V,
    eq: V,
    iszero: V,
    mload: V,
    mstore: V,
    mstore8: V,
    msize: V,
    alu: V,
    ret: V,
    revert: V,
    /// CALLDATACOPY, CODECOPY, MCOPY, RETURNDATACOPY and EXTCODECOPY: a copy into memory,
    /// three operands (EXTCODECOPY's below its address).
    copy: V,
    codecopy: V,
    /// EXTCODECOPY (also counted in `copy`).
    extcodecopy: V,
    /// RETURNDATASIZE, RETURNDATACOPY.
    rdsize: V,
    rdcopy: V,
    /// A stack, out-of-gas or invalid-opcode halt.
    halt: V,
    halt_stack: V,
    halt_gas: V,
    halt_far: V,
    halt_invalid: V,
    not: V,
    mcopy: V,
    modular: V,
    /// EXP (also counted in `alu`: it is a binary ALU-bus step).
    exp: V,
    log: V,
    keccak: V,
    /// A memory-expanding step, an SLOAD or SSTORE, an account access, an EXP, a call or a
    /// SELFDESTRUCT that halts on its own cost (a flag, not a family).
    halt_near: V,
    /// `log · n`: the topics a LOG step pops besides its offset and size.
    topics: V,
    /// CALL, CALLCODE, DELEGATECALL, STATICCALL.
    call: V,
    selfdestruct: V,
    /// `call · n`: the operands a call pops (it pushes the success flag).
    call_operands: V,
    /// A callee's CALLDATACOPY (`Copy`'s selector times `1 − root`): an MCOPY from its
    /// calldata's copy in its own memory.
    callee_calldatacopy: V,
    /// SELFBALANCE: pushes the verifier's word for its frame's account at its counter.
    selfbalance: V,
}

impl<V: Algebra> Selectors<V> {
    fn of(r: &[V]) -> Self {
        let s = |f: Family| r[f.selector()];
        Self {
            stop: s(Family::Stop),
            push0: s(Family::Push0),
            push: s(Family::Push),
            pop: s(Family::Pop),
            dup: s(Family::Dup),
            swap: s(Family::Swap),
            jump: s(Family::Jump),
            jumpi: s(Family::JumpI),
            pc: s(Family::Pc),
            gas: s(Family::Gas),
            sload: s(Family::Sload) + s(Family::Tload),
            sstore: s(Family::Sstore) + s(Family::Tstore),
            transient: s(Family::Tload) + s(Family::Tstore),
            persistent_store: s(Family::Sstore),
            persistent_load: s(Family::Sload),
            context: s(Family::Context),
            verifier_word: s(Family::CallDataLoad) + s(Family::BlobHash) + s(Family::Account),
            callee_calldataload: s(Family::CallDataLoad) * (V::one() - r[col::ROOT]),
            account: s(Family::Account),
            eq: s(Family::Eq),
            iszero: s(Family::IsZero),
            mload: s(Family::Mload),
            mstore: s(Family::Mstore),
            mstore8: s(Family::Mstore8),
            msize: s(Family::Msize),
            alu: s(Family::Alu) + s(Family::Exp),
            ret: s(Family::Return),
            revert: s(Family::Revert),
            copy: s(Family::Copy)
                + s(Family::CodeCopy)
                + s(Family::Mcopy)
                + s(Family::ReturnDataCopy)
                + s(Family::ExtCodeCopy),
            codecopy: s(Family::CodeCopy),
            extcodecopy: s(Family::ExtCodeCopy),
            rdsize: s(Family::ReturnDataSize),
            rdcopy: s(Family::ReturnDataCopy),
            halt: s(Family::HaltStack)
                + s(Family::HaltGas)
                + s(Family::HaltInvalid)
                + s(Family::HaltFar),
            halt_stack: s(Family::HaltStack),
            halt_gas: s(Family::HaltGas),
            halt_far: s(Family::HaltFar),
            halt_invalid: s(Family::HaltInvalid),
            not: s(Family::Not),
            mcopy: s(Family::Mcopy),
            modular: s(Family::Modular),
            exp: s(Family::Exp),
            log: s(Family::Log),
            keccak: s(Family::Keccak),
            halt_near: r[col::HALT_NEAR],
            topics: s(Family::Log) * r[col::N],
            call: s(Family::Call),
            selfdestruct: s(Family::SelfDestruct),
            call_operands: s(Family::Call) * r[col::N],
            callee_calldatacopy: s(Family::Copy) * (V::one() - r[col::ROOT]),
            selfbalance: s(Family::SelfBalance),
        }
    }

    /// Steps that write a new top word from elsewhere than the stack.
    fn writes_register(&self) -> V {
        self.push0
            + self.push
            + self.pc
            + self.gas
            + self.context
            + self.msize
            + self.rdsize
            + self.selfbalance
    }

    /// Steps that pop two words (LOG: the first two) and push none: JUMPI, SSTORE, MSTORE,
    /// MSTORE8, RETURN, REVERT, LOG.
    fn takes_two(&self) -> V {
        self.jumpi + self.sstore + self.stores() + self.returns() + self.log
    }

    /// RETURN, REVERT: the frame ends handing back memory bytes.
    fn returns(&self) -> V {
        self.ret + self.revert
    }

    /// Steps that end the frame (a halting RETURN, REVERT or SELFDESTRUCT counted once).
    fn ends(&self) -> V {
        self.stops()
            + self.halt
            + self.returns()
            + self.halt_near * (V::one() - self.returns() - self.selfdestruct)
    }

    /// STOP and SELFDESTRUCT: the frame ends in success, keeping its gas, with no output (when
    /// the step executes: a SELFDESTRUCT halting on its cost fails the frame).
    fn stops(&self) -> V {
        self.stop + self.selfdestruct
    }

    /// `1 − halt_near`: the step executes (its effects happen) unless it halts on its cost.
    fn executes(&self) -> V {
        V::one() - self.halt_near
    }

    /// Steps that may expand memory: the memory operations, RETURN, REVERT, copies, LOG,
    /// KECCAK256.
    fn expands(&self) -> V {
        self.memory() + self.returns() + self.copy + self.log + self.keccak
    }

    /// Steps whose row grows memory to `words` (its range checks and quadratic cost): the
    /// expanding steps, and calls, whose Call row gives the words their windows reach.
    fn resizes(&self) -> V {
        self.expands() + self.call
    }

    /// Steps reading a memory range whose size (`B`) is popped second: RETURN, REVERT, LOG,
    /// KECCAK256.
    fn reads_range(&self) -> V {
        self.returns() + self.log + self.keccak
    }

    /// Steps paying gas per 32-byte word of their size: copies (3), KECCAK256 (6).
    fn per_word(&self) -> V {
        self.copy + self.keccak
    }

    /// Steps with a byte count that may be zero: RETURN, REVERT, LOG, KECCAK256 (`B`), copies
    /// (`C`).
    fn sized(&self) -> V {
        self.reads_range() + self.copy
    }

    /// The byte count of RETURN / REVERT / LOG / KECCAK256 (`B₀`) or a copy (`C₀`) on row `r`;
    /// zero on other rows.
    fn byte_count(&self, r: &[V]) -> V {
        self.reads_range() * r[col::B] + self.copy * r[col::C]
    }

    /// MSTORE, MSTORE8.
    fn stores(&self) -> V {
        self.mstore + self.mstore8
    }

    /// Steps that access memory: MLOAD, MSTORE, MSTORE8.
    fn memory(&self) -> V {
        self.mload + self.stores()
    }

    /// Bytes a memory operation accesses: 32, or 1 for MSTORE8.
    fn memory_len(&self) -> V {
        (self.mload + self.mstore) * V::from_u64(32) + self.mstore8
    }

    /// `sp′ − sp`.
    fn stack_change(&self) -> V {
        let two = V::from_u64(2);
        self.writes_register() + self.dup
            - self.pop
            - self.jump
            - self.binary()
            - self.keccak
            - self.takes_two() * two
            - self.copy * V::from_u64(3)
            - self.extcodecopy
            - self.call_operands
            + self.call
            - self.modular * two
            - self.topics
            - self.selfdestruct
    }

    /// Steps that compare words through inverses: EQ, ISZERO.
    fn compares(&self) -> V {
        self.eq + self.iszero
    }

    /// Steps that pop two words and push one: EQ and the `Alu` family.
    fn binary(&self) -> V {
        self.eq + self.alu
    }

    /// Steps that read a second word into `B` (SLOAD writes its result there).
    fn uses_b(&self) -> V {
        self.swap
            + self.jumpi
            + self.sload
            + self.sstore
            + self.verifier_word
            + self.binary()
            + self.memory()
            + self.reads_range()
            + self.copy
            + self.modular
            + self.halt_far
    }

    /// Steps that replace the top word by a word looked up from it (`B` written where `A` was,
    /// or the result for ISZERO and NOT).
    fn replaces_top(&self) -> V {
        self.sload + self.verifier_word + self.iszero + self.mload + self.not
    }

    /// Steps whose result the ALU bus proves: the `Alu` family (EXP included) and NOT.
    fn alu_bus(&self) -> V {
        self.alu + self.not
    }

    /// Steps that write a result into the second slot without reading `B` there.
    fn writes_slot1(&self) -> V {
        self.iszero + self.not
    }

    /// Steps that touch storage.
    fn storage(&self) -> V {
        self.sload + self.sstore
    }

    /// Steps whose dynamic gas another component proves: storage steps (Storage), account
    /// accesses (Account), calls (Call) and SELFDESTRUCT (Account, and the verifier's replay
    /// for the new account's 25,000).
    fn priced_elsewhere(&self) -> V {
        self.storage() + self.account + self.call + self.selfdestruct
    }

    /// Which of the (at most four) RW slots the step uses: a prefix.
    fn slots(&self) -> [V; 4] {
        let first = self.writes_register()
            + self.pop
            + self.dup
            + self.swap
            + self.jump
            + self.jumpi
            + self.storage()
            + self.verifier_word
            + self.compares()
            + self.alu_bus()
            + self.memory()
            + self.reads_range()
            + self.copy
            + self.modular
            + self.halt_far
            + self.selfdestruct;
        [
            first,
            self.dup + self.uses_b() + self.writes_slot1(),
            self.swap + self.binary() + self.copy + self.modular + self.keccak,
            self.swap + self.extcodecopy,
        ]
    }
}

/// The jump is taken: JUMP, or JUMPI with a non-zero condition.
fn jumps<V: Algebra>(r: &[V]) -> V {
    r[col::SEL + Family::Jump as usize - 1] + r[col::TAKEN]
}

/// A memory operation's `⌊words²/512⌋`, range-checked as `lo + 2¹⁶·hi`.
fn new_quadratic<V: Algebra>(r: &[V]) -> V {
    r[col::CHECK_LO] + r[col::CHECK_HI] * V::from_u64(1 << 16)
}

/// Memory expansion cost: `3·Δwords + Δ⌊words²/512⌋` when a memory operation grows memory.
fn expansion_cost<V: Algebra>(r: &[V]) -> V {
    r[col::GROW]
        * ((r[col::WORDS] - r[col::MSIZE]) * V::from_u64(3) + new_quadratic(r) - r[col::MQ])
}

/// The RW counter after the step on row `r`: its stack accesses, the memory bytes it accesses,
/// and the accesses the Modular, Copy, Log and Call components number after them.
fn counter_after<V: Algebra>(r: &[V], s: &Selectors<V>) -> V {
    let accesses = s.slots().into_iter().fold(V::zero(), |sum, e| sum + e);
    // ADDMOD / MULMOD: the Modular component writes the result, one access more.
    let written = accesses + s.modular;
    // LOG: the Log component reads the topics, then the data bytes (`moved`).
    let topics = s.topics;
    // A callee's CALLDATALOAD reads its 32 bytes from memory.
    let loaded = s.callee_calldataload * V::from_u64(32);
    // A call: its callee's accesses, then the success flag written at the callee's `ctr_end`
    // (`C₀`).
    let called = s.call * (r[col::C] + V::one() - r[col::CTR]);
    let moved = s.executes() * r[col::MOVED];
    r[col::CTR] + written + s.memory_len() + moved + topics + called + loaded
}

/// The bytes the step on row `r` moves if it executes ([`col::MOVED`]): a copy writes its
/// bytes, MCOPY first reads them too, and so do a callee's CALLDATACOPY (from its calldata's
/// copy) and RETURNDATACOPY (from the last callee's memory); the Log component reads a LOG's data bytes, the Copy component KECCAK256's.
fn bytes_moved<V: Algebra>(r: &[V], s: &Selectors<V>) -> V {
    let copied = (s.copy + s.mcopy + s.callee_calldatacopy + s.rdcopy) * r[col::C];
    copied + (s.log + s.keccak) * r[col::B]
}

/// EXTCODECOPY's cells above its size in `C`: the address it pops (`C₁…C₅`, the word's low
/// limbs; a word with higher bits set is not proven yet), and the code the statement gives
/// that address (`C₆` its id, 0 for none; `C₇` its length), consumed on
/// [`crate::call::EXT_CODE_OF`].
struct ExtCode<V> {
    /// The address as a stack word, least significant limb first.
    word: [V; LIMBS],
    /// The address as five limbs, most significant first (the Account and EXT_CODE_OF order).
    address: [V; ADDRESS_LIMBS],
    code_id: V,
    code_len: V,
}

impl<V: Algebra> ExtCode<V> {
    fn of(r: &[V]) -> Self {
        let limb = |i: usize| r[col::C + 1 + i];
        ExtCode {
            word: std::array::from_fn(|i| {
                if i < ADDRESS_LIMBS {
                    limb(i)
                } else {
                    V::zero()
                }
            }),
            address: std::array::from_fn(|j| limb(ADDRESS_LIMBS - 1 - j)),
            code_id: r[col::C + 6],
            code_len: r[col::C + 7],
        }
    }
}

/// EXTCODECOPY's access cost: 2,500 when its address is cold (`overflow` holds the flag there),
/// proven by the Account component; zero on other rows.
fn ext_code_access<V: Algebra>(r: &[V], s: &Selectors<V>) -> V {
    s.extcodecopy * r[col::OVERFLOW] * V::from_u64(crate::account::COLD_ACCOUNT_EXTRA)
}

fn limb_sum<V: Algebra>(r: &[V], start: usize) -> V {
    r[start..start + LIMBS]
        .iter()
        .fold(V::zero(), |sum, &limb| sum + limb)
}

impl Component for Cpu {
    const ID: ComponentId = ComponentId::Cpu;
    const NAME: &'static str = "cpu";
    const COLUMNS: &'static [&'static str] = &[
        "live",
        "first",
        "ctx",
        "code_id",
        "pc",
        "opcode",
        "gas",
        "sp",
        "ctr",
        "n",
        "static_gas",
        "taken",
        "cond_inv",
        "a0",
        "a1",
        "a2",
        "a3",
        "a4",
        "a5",
        "a6",
        "a7",
        "b0",
        "b1",
        "b2",
        "b3",
        "b4",
        "b5",
        "b6",
        "b7",
        "is_stop",
        "is_push0",
        "is_push",
        "is_pop",
        "is_dup",
        "is_swap",
        "is_jump",
        "is_jumpi",
        "is_jumpdest",
        "is_pc",
        "is_gas",
        "is_sload",
        "is_sstore",
        "is_context",
        "is_calldataload",
        "is_eq",
        "is_iszero",
        "is_mload",
        "is_mstore",
        "is_mstore8",
        "is_msize",
        "is_alu",
        "is_return",
        "is_revert",
        "is_copy",
        "is_halt_stack",
        "is_not",
        "is_mcopy",
        "is_modular",
        "is_exp",
        "is_tload",
        "is_tstore",
        "is_halt_gas",
        "is_halt_invalid",
        "is_blobhash",
        "is_log",
        "is_halt_far",
        "is_keccak",
        "is_account",
        "is_call",
        "is_selfdestruct",
        "is_codecopy",
        "is_returndatasize",
        "is_returndatacopy",
        "is_extcodecopy",
        "is_selfbalance",
        "address0",
        "address1",
        "address2",
        "address3",
        "address4",
        "dyn_gas",
        "check_lo",
        "check_hi",
        "result",
        "c0",
        "c1",
        "c2",
        "c3",
        "c4",
        "c5",
        "c6",
        "c7",
        "overflow",
        "msize",
        "mq",
        "words",
        "grow",
        "nonzero",
        "gas_units",
        "src_higher",
        "mcopy_nonzero",
        "margin_hi",
        "far_high_limbs",
        "far_hi",
        "halt_near",
        "short_hi",
        "gas_hi",
        "src_far",
        "src_far_inv",
        "copy_src",
        "root",
        "static",
        "depth",
        "reverts",
        "moved",
        "rd_ctx",
        "rd_offset",
        "rd_size",
        "revert_frame",
        "far_load",
        "src_far_low",
    ];

    fn transition_degrees(&self) -> Vec<usize> {
        let mut degrees = vec![2, 3, 2, 2, 4, 2, 3, 3, 4];
        degrees.extend([2; ADDRESS_LIMBS]);
        degrees.extend([3, 3]); // memory size and its quadratic cost
        degrees.extend([2, 2, 2, 2, 2]); // frame registers
        degrees.extend([3, 3, 3]); // return data registers
        degrees
    }

    fn eval_transition<V: Algebra>(&self, w: &Window<'_, V>, out: &mut [V]) {
        let (c, n) = (w.current, w.next);
        let one = V::one();
        let s = Selectors::of(c);
        // The next row continues this row's frame segment: live and not a segment's first.
        // (`first` implies `live`, so this is boolean.)
        let cont = n[col::LIVE] - n[col::FIRST];
        // Live rows form a prefix.
        out[0] = (one - c[col::LIVE]) * n[col::LIVE];
        // STOP, SELFDESTRUCT, RETURN, REVERT or a halt ends the segment, and a segment ends with one of
        // them: after an ending step comes a new segment or padding, after any other live
        // step the same segment.
        let ends = s.ends();
        out[1] = ends * cont;
        // The frame and its code stay; the registers advance as the step says.
        out[2] = cont * (n[col::CTX] - c[col::CTX]);
        out[3] = cont * (n[col::CODE_ID] - c[col::CODE_ID]);
        let taken = jumps(c);
        let sequential = c[col::PC] + one + s.push * c[col::N];
        let next_pc = (one - taken) * sequential + taken * c[col::A];
        out[4] = cont * (n[col::PC] - next_pc);
        out[5] = cont * (n[col::GAS] - c[col::GAS] + c[col::STATIC_GAS] + c[col::DYN_GAS]);
        out[6] = cont * (n[col::SP] - c[col::SP] - s.stack_change());
        out[7] = cont * (n[col::CTR] - counter_after(c, &s));
        out[8] = c[col::LIVE] * (one - cont) * (one - ends);
        for j in 0..ADDRESS_LIMBS {
            out[9 + j] = cont * (n[col::ADDRESS + j] - c[col::ADDRESS + j]);
        }
        // Memory grows to the words a memory operation reaches, or stays.
        let grow = c[col::GROW];
        let at = 9 + ADDRESS_LIMBS;
        out[at] = cont * (n[col::MSIZE] - c[col::MSIZE] - grow * (c[col::WORDS] - c[col::MSIZE]));
        out[at + 1] = cont * (n[col::MQ] - c[col::MQ] - grow * (new_quadratic(c) - c[col::MQ]));
        out[at + 2] = cont * (n[col::ROOT] - c[col::ROOT]);
        out[at + 3] = cont * (n[col::STATIC] - c[col::STATIC]);
        out[at + 4] = cont * (n[col::DEPTH] - c[col::DEPTH]);
        out[at + 5] = cont * (n[col::REVERTS] - c[col::REVERTS]);
        out[at + 6] = cont * (n[col::REVERT_FRAME] - c[col::REVERT_FRAME]);
        // A call sets the return data registers to its callee's output (its Call row gives
        // the offset and size, in `C₁`, `C₂`); every other step keeps them.
        let returned = [c[col::CTR] + one, c[col::C + 1], c[col::C + 2]];
        for (k, (register, new)) in [col::RD_CTX, col::RD_OFFSET, col::RD_SIZE]
            .into_iter()
            .zip(returned)
            .enumerate()
        {
            out[at + 7 + k] = cont * (n[register] - c[register] - s.call * (new - c[register]));
        }
    }

    fn row_degrees(&self) -> Vec<usize> {
        let mut degrees = vec![2; 3 + Family::ALL.len()];
        degrees.extend([1, 2, 2, 3, 3, 2]);
        degrees.extend([2, 3, 3]); // RETURN / REVERT / copy size not zero
        degrees.extend([3; LIMBS - 1]); // their B fits one limb
        degrees.extend([2; LIMBS - 1]); // a copy's size fits one limb
        degrees.extend([2; LIMBS - 1]); // jump targets fit one limb
        degrees.extend([2, 2, 2]); // PC, GAS, PUSH0 values
        degrees.extend([3; LIMBS - 1]); // register values, memory offsets fit one limb
        degrees.extend([2; LIMBS]); // A unused
        degrees.extend([2; LIMBS]); // B unused
        degrees.extend([3, 2, 2, 2, 2]); // dynamic gas, copy words, checked value
        degrees.extend([2, 3]); // result bit, zero elsewhere
        degrees.extend([3; LIMBS]); // result = 1 only for equal words
        degrees.push(3); // result = 0 only for different words
        degrees.push(3); // C₀ zero elsewhere
        degrees.extend([2; LIMBS - 1]); // the rest of the third word zero elsewhere
        degrees.extend([2, 3]); // overflow bit, only on halts
        degrees.extend([2; 8]); // MSIZE value, memory registers, a frame's start
        degrees.extend([2; 4]); // MCOPY's larger offset
        degrees.extend([2, 2, 3, 3, 3]); // a far-memory halt's operand and size
        degrees.extend([2, 2, 2, 2]); // a halt on the step's own cost
        degrees.extend([3; LIMBS]); // its digest, if a KECCAK256
        degrees.extend([2, 3, 2, 3, 2, 2]); // a copy from 2³² or beyond
        degrees.extend([2, 2, 2, 2, 3, 3, 3, 3]); // frame registers and what frames may not do
        degrees.extend([3, 2]); // a capped halt's words and units
        degrees.push(3); // the bytes moved
        degrees.extend([2, 2, 2, 2]); // return data registers: empty at a frame's start, its size
        degrees.extend([3, 3]); // a halting EXTCODECOPY looks up no code
        degrees.extend([2, 3]); // a callee's CALLDATALOAD far past its calldata
        degrees.extend([2, 2, 2, 3]); // a far source shown by its low limb
        degrees
    }

    fn eval_row<V: Algebra>(&self, r: &[V], out: &mut [V]) {
        let one = V::one();
        let s = Selectors::of(r);
        let live = r[col::LIVE];
        out[0] = live.booleanity();
        out[1] = r[col::FIRST].booleanity();
        out[2] = r[col::TAKEN].booleanity();
        let mut selected = V::zero();
        for (i, f) in Family::ALL.iter().enumerate() {
            let sel = r[f.selector()];
            out[3 + i] = sel.booleanity();
            selected = selected + sel;
        }
        let mut at = 3 + Family::ALL.len();
        let mut put = |value: V| {
            out[at] = value;
            at += 1;
        };
        put(selected - live);
        put(r[col::FIRST] * (one - live));
        put(r[col::TAKEN] * (one - s.jumpi));
        // JUMPI: taken = [ΣB ≠ 0]; the inverse is zero when not taken.
        let cond = limb_sum(r, col::B);
        put(s.jumpi * (one - r[col::TAKEN]) * cond);
        put(s.jumpi * (r[col::TAKEN] - cond * r[col::COND_INV]));
        put((one - r[col::TAKEN] - r[col::NONZERO]) * r[col::COND_INV]);
        // RETURN / REVERT / copies: nonzero = [size ≠ 0] (the size fits one limb, below;
        // zero on other rows, where the size expression is zero).
        let size = s.byte_count(r);
        put((one - s.sized()) * r[col::NONZERO]);
        put(r[col::NONZERO] - size * r[col::COND_INV]);
        put((one - r[col::NONZERO]) * size);
        // RETURN's size always fits one limb (a larger one runs out of gas); a copy's source
        // offset only when it copies something (an empty copy reads nothing, from anywhere).
        let copies_something = s.copy * r[col::NONZERO];
        let src_far = r[col::SRC_FAR];
        // RETURNDATACOPY's offset always fits one limb (beyond it is out of bounds).
        let empty_rdcopy = s.rdcopy * (one - r[col::NONZERO]);
        for i in 1..LIMBS {
            put((s.reads_range() + copies_something + empty_rdcopy - src_far) * r[col::B + i]);
        }
        // (EXTCODECOPY keeps its address, code id and code length above its size: see
        // `ExtCode`.)
        for i in 1..LIMBS {
            put((s.copy - s.extcodecopy) * r[col::C + i]);
        }
        let taken = jumps(r);
        for i in 1..LIMBS {
            put(taken * r[col::A + i]);
        }
        put(s.pc * (r[col::A] - r[col::PC]));
        put(s.gas * (r[col::A] - r[col::GAS] + r[col::STATIC_GAS]));
        put(s.push0 * r[col::A]);
        // One-limb words: registers written, memory offsets (larger ones run out of gas),
        // except the offset of an empty RETURN, REVERT, copy or hash, which touches no memory,
        // and a callee's CALLDATALOAD offset (a load from its calldata's copy), unless it is
        // far past that copy with a high limb set (`far_high`, as a far-memory halt's).
        let register = s.pc
            + s.gas
            + s.push0
            + s.msize
            + s.rdsize
            + s.memory()
            + r[col::NONZERO]
            + s.callee_calldataload;
        for i in 1..LIMBS {
            put((register - r[col::FAR_LOAD] * r[col::FAR_HIGH_LIMBS]) * r[col::A + i]);
        }
        let [uses_a, ..] = s.slots();
        let uses_b = s.uses_b();
        for i in 0..LIMBS {
            put((one - uses_a) * r[col::A + i]);
        }
        for i in 0..LIMBS {
            // (SELFDESTRUCT keeps its sweep's undo in `B₀…B₂`: see the frame registers.)
            let sweep_undo = match i < SWEEP_UNDO_CELLS {
                true => s.selfdestruct,
                false => V::zero(),
            };
            put((one - uses_b - sweep_undo) * r[col::B + i]);
        }
        let units = r[col::GAS_UNITS];
        let word_gas = s.copy * V::from_u64(3) + s.keccak * V::from_u64(KECCAK_WORD_GAS);
        let unit_cost = units * (word_gas + s.exp * V::from_u64(GAS_PER_BYTE))
            + s.topics * V::from_u64(LOG_TOPIC_GAS)
            + s.log * r[col::B] * V::from_u64(LOG_BYTE_GAS)
            + ext_code_access(r, &s);
        put((one - s.priced_elsewhere()) * (r[col::DYN_GAS] - expansion_cost(r) - unit_cost));
        put((one - s.per_word() - s.exp) * units);
        // SSTORE: gas − 2301 = lo + 2¹⁶·hi; a halt: gas = lo + 2¹⁶·hi (halts send no gas, so
        // this bounds the gas register of a failed frame, and every earlier row's); a memory
        // operation: lo + 2¹⁶·hi is its new quadratic cost (checked through the lookups).
        let (lo, hi) = (r[col::CHECK_LO], r[col::CHECK_HI]);
        let gas_checked = s.persistent_store + s.halt;
        let floor = s.persistent_store * V::from_u64(SSTORE_SENTRY);
        put(gas_checked * (r[col::GAS] - floor - lo - hi * V::from_u64(1 << 16)));
        let checks = gas_checked + s.resizes();
        put((one - checks) * lo);
        put((one - checks) * hi);
        let result = r[col::RESULT];
        let compares = s.compares();
        put(result.booleanity());
        // (SELFDESTRUCT keeps its `fresh` flag there: 25,000 for a new account; a
        // memory-expanding step halting on its cost, `capped`: see `MEMORY_CAP_WORDS`; a
        // jump halting past its code's span, `past`.)
        // A jump halting past its code's span, `past`: see the BAD_JUMP message.
        put((one - compares - s.selfdestruct - s.halt_near * (s.expands() + jumps(r))) * result);
        let mut dot = V::zero();
        for i in 0..LIMBS {
            let difference = r[col::A + i] - r[col::B + i];
            put(compares * result * difference);
            dot = dot + difference * r[col::C + i];
        }
        put(compares * (one - result - dot));
        // C: used by comparisons, ALU-bus steps, copies, ADDMOD / MULMOD, SELFDESTRUCT (the
        // balance it sends); a far-memory halt keeps the inverses of its operand's high limbs
        // (C₀) and its size (C₁) there, a far CALLDATALOAD the former.
        let uses_c = compares + s.alu_bus() + s.copy + s.modular + s.keccak + s.selfdestruct;
        let far_high = r[col::FAR_HIGH_LIMBS];
        // A call keeps its callee's `ctr_end` in C₀, and its output's offset and size (the
        // next row's return data registers) in C₁ and C₂; a jump halting past its code's span
        // keeps `dest − span` in C₀.
        let past = result * jumps(r);
        put((one - uses_c - far_high - s.call - past) * r[col::C]);
        put((one - uses_c - s.halt_far - s.call) * r[col::C + 1]);
        put((one - uses_c - s.call) * r[col::C + 2]);
        for i in 3..LIMBS {
            put((one - uses_c) * r[col::C + i]);
        }
        put(r[col::OVERFLOW].booleanity());
        // (EXTCODECOPY keeps its cold flag there; a RETURNDATACOPY halting past its return
        // data, `out_of_bounds`.)
        put((one - s.halt_stack - s.extcodecopy - s.rdcopy * s.halt_near) * r[col::OVERFLOW]);
        put(s.msize * (r[col::A] - r[col::MSIZE] * V::from_u64(32)));
        put(r[col::GROW].booleanity());
        put((one - s.resizes()) * r[col::GROW]);
        put((one - s.resizes()) * r[col::WORDS]);
        // A frame starts at pc 0 with an empty stack and empty memory.
        put(r[col::FIRST] * r[col::PC]);
        put(r[col::FIRST] * r[col::SP]);
        put(r[col::FIRST] * r[col::MSIZE]);
        put(r[col::FIRST] * r[col::MQ]);
        // MCOPY: src_higher is boolean and only set on a non-empty MCOPY.
        let (higher, mcopy_nonzero) = (r[col::SRC_HIGHER], r[col::MCOPY_NONZERO]);
        put(mcopy_nonzero - s.mcopy * r[col::NONZERO]);
        put(higher.booleanity());
        put(higher * (one - mcopy_nonzero));
        put((one - s.mcopy - s.rdcopy - r[col::SRC_FAR_LOW]) * r[col::MARGIN_HI]);
        // A far-memory halt: its operand A is at least 2²² (a high limb, or a range-checked
        // `A₀ − 2²²`), and its size B is not zero. So is a far CALLDATALOAD's operand.
        let far = s.halt_far + r[col::FAR_LOAD];
        let high_limbs = limb_sum(r, col::A) - r[col::A];
        put(far_high.booleanity());
        put((one - far) * far_high);
        put(far_high * (one - high_limbs * r[col::C]));
        put(s.halt_far * (one - limb_sum(r, col::B) * r[col::C + 1]));
        // far_hi only where `A₀ − 2²²` is range-checked (far_high is set only on these halts
        // and far CALLDATALOADs).
        // (A capped halt keeps the high half of its reach's excess there.)
        let capped = result * s.expands();
        put((one - far - capped + far_high) * r[col::FAR_HI]);
        // Halting on its own cost: only a memory-expanding step, SSTORE (whose storage
        // message still goes out: its cost comes back with it, and the frame's failure drops
        // the write) or EXP (whose ALU message proves its exponent's bytes); its halves only
        // there.
        put(s.halt_near.booleanity());
        // (A taken JUMP or JUMPI flagged so halts on its destination, which is no JUMPDEST.)
        // (A call flagged so cannot pay its memory and costs: its Call row opens no frame.)
        // (An SLOAD or account access flagged so cannot pay its cold access: its storage or
        // account message still goes out, for the cost, and the frame's failure undoes the
        // warm-up.)
        // (A SELFDESTRUCT flagged so cannot pay its cold beneficiary or its new account: its
        // account message still goes out, for the access's cost, and its sweep's claim is
        // `HaltedSweep`, which moves nothing.)
        let priced_access = s.persistent_load + s.persistent_store + s.account + s.selfdestruct;
        put(s.halt_near * (one - s.expands() - priced_access - s.exp - jumps(r) - s.call));
        put(s.executes() * r[col::SHORT_HI]);
        put(s.executes() * r[col::GAS_HI]);
        // A KECCAK256 halting on its cost writes a zero word where the digest would go, and
        // an account access one where the verifier's value would (it asks for none): every
        // stack write stays in 32-bit limbs. (The selectors exclude each other, so one
        // constraint per limb serves both.)
        for i in 0..LIMBS {
            put(s.halt_near * (s.keccak * r[col::C + i] + s.account * r[col::B + i]));
        }
        // A copy from 2³² or beyond: only on a non-empty CALLDATACOPY / CODECOPY (an MCOPY
        // that far cannot be paid for), whose offset's high limbs are then not all zero (each
        // below 2³², so their sum cannot wrap) unless `src_far_low` shows `B₀ ≥ 2²²` instead
        // (see the margin's range check); its message names `FAR_SOURCE`, every other row's
        // `copy_src` is `B₀`.
        put(src_far.booleanity());
        put(src_far * (one - copies_something));
        put(src_far * (s.mcopy + s.rdcopy));
        let b_high = limb_sum(r, col::B) - r[col::B];
        put((src_far - r[col::SRC_FAR_LOW]) * (one - b_high * r[col::SRC_FAR_INV]));
        put((one - src_far) * r[col::SRC_FAR_INV]);
        let far_source = V::from_u64(copy::FAR_SOURCE);
        put(r[col::COPY_SRC] - r[col::B] - src_far * (far_source - r[col::B]));
        // Frame registers: a static frame takes no
        // SSTORE, TSTORE, LOG or SELFDESTRUCT (it halts on them instead: their `HaltInvalid`
        // row has `n = 1`, which only a static frame may take; a CALL of its moving value
        // halts, its Call row's `static_halt`). In
        // a frame whose effects a failing frame's end undoes (`reverts`), storage and account
        // accesses and LOGs are marked (the Storage and Account components roll the former
        // back, the verifier drops the latter), the Call component has a value its calls move
        // undone at that frame's end, and so is a SELFDESTRUCT's sweep: its row takes the
        // frame's `(revert_frame, end, outer…)` on ROLLBACK into `B₀…B₂`
        // ([`SWEEP_UNDO_CELLS`]); elsewhere `B₀` is its own counter and `B₁`, `B₂` zero.
        let (root, is_static) = (r[col::ROOT], r[col::STATIC]);
        put(root.booleanity());
        put(is_static.booleanity());
        put(is_static * (s.sstore + s.log + s.selfdestruct));
        let reverts = r[col::REVERTS];
        put(reverts.booleanity());
        let kept_sweep = s.selfdestruct * (one - reverts);
        put(kept_sweep * (r[col::B] - r[col::CTR]));
        put(kept_sweep * r[col::B + 1]);
        put(kept_sweep * r[col::B + 2]);
        put(s.halt_invalid * r[col::N] * (one - is_static));
        // A capped halt shows the cost of reaching `MEMORY_CAP_WORDS` words, and counts no
        // words of its size (copies, KECCAK256): less than the step's true cost.
        put(capped * (r[col::WORDS] - V::from_u64(MEMORY_CAP_WORDS)));
        put(result * r[col::GAS_UNITS]);
        put(r[col::MOVED] - bytes_moved(r, &s));
        // A frame starts with no return data; RETURNDATASIZE pushes its size.
        for register in [col::RD_CTX, col::RD_OFFSET, col::RD_SIZE] {
            put(r[col::FIRST] * r[register]);
        }
        put(s.rdsize * (r[col::A] - r[col::RD_SIZE]));
        // An EXTCODECOPY halting on its cost copies nothing: it looks up no code.
        let ext = ExtCode::of(r);
        put(s.extcodecopy * s.halt_near * ext.code_id);
        put(s.extcodecopy * s.halt_near * ext.code_len);
        // A callee's CALLDATALOAD far past its calldata (its operand shown that far with the
        // far-memory halt's constraints above): only there.
        let far_load = r[col::FAR_LOAD];
        put(far_load.booleanity());
        put(far_load * (one - s.callee_calldataload));
        // A far source shown by its low limb: only on a far callee's CALLDATACOPY (the
        // margin's range check shows `B₀ − 2²²`, the inverse of the high limbs is unused).
        // Not on EXTCODECOPY, whose `overflow` (its cold flag) would enter the margin, nor on
        // the transaction's CALLDATACOPY or CODECOPY, whose sources are not in memory: the
        // verifier serves them wherever they lie.
        let low = r[col::SRC_FAR_LOW];
        put(low.booleanity());
        put(low * (one - r[col::SRC_FAR]));
        put(low * r[col::SRC_FAR_INV]);
        put(low * (one - s.callee_calldatacopy));
    }

    fn boundary(&self) -> Vec<BoundaryValue> {
        // Counters start where the frame's start message says (0 for the transaction's own
        // frame) and grow by each step's accesses plus the bytes it copies, hashes or logs,
        // which gas pays for (3 per copied word, 6 per hashed word, 8 per logged byte, all
        // within gas below 2³²; a step halting on its cost moves none, `col::MOVED`): they
        // stay below 2³⁸, far from the sponge's code-hash
        // counters (`bytecode::CODE_HASH_TAG` = 2⁴⁰).
        vec![
            BoundaryValue::first(col::FIRST, 1),
            BoundaryValue::last(col::LIVE, 0),
        ]
    }

    fn interactions(&self) -> Vec<Interaction> {
        let rw = |field_degree| Interaction {
            field_degree,
            ..Interaction::linear(RW, Direction::Provide, 5 + LIMBS)
        };
        vec![
            Interaction::linear(BYTECODE, Direction::Consume, 4),
            Interaction::linear(OPCODES, Direction::Consume, 4),
            Interaction::linear(PUSH_VALUE, Direction::Consume, 2 + LIMBS),
            Interaction {
                multiplicity_degree: 2,
                ..Interaction::linear(BYTECODE, Direction::Consume, 4)
            },
            Interaction::linear(FRAME, Direction::Consume, START_FIELDS),
            Interaction {
                multiplicity_degree: 2,
                field_degree: 3,
                ..Interaction::linear(FRAME, Direction::Consume, 7)
            },
            Interaction {
                field_degree: 3,
                ..crate::range::lookup()
            },
            rw(2),
            rw(2),
            rw(2),
            // (SWAP's write of `B`, or EXTCODECOPY's read of its address.)
            rw(2),
            Interaction::linear(STORAGE, Direction::Provide, 6 + ADDRESS_LIMBS + 2 * LIMBS),
            crate::range::lookup(),
            crate::range::lookup(),
            Interaction {
                field_degree: 2,
                ..Interaction::linear(CONTEXT, Direction::Consume, 1 + LIMBS)
            },
            Interaction {
                multiplicity_degree: 2,
                field_degree: 2,
                ..Interaction::linear(VERIFIER_WORD, Direction::Consume, VERIFIER_WORD_FIELDS)
            },
            Interaction {
                multiplicity_degree: 2,
                field_degree: 2,
                ..Interaction::linear(MEMORY, Direction::Provide, 5 + LIMBS)
            },
            Interaction {
                field_degree: 3,
                ..crate::range::lookup()
            },
            crate::range::lookup(),
            Interaction {
                field_degree: 2,
                ..crate::range::lookup()
            },
            Interaction {
                field_degree: 2,
                ..crate::range::lookup()
            },
            Interaction::linear(ALU, Direction::Provide, 1 + 3 * LIMBS),
            Interaction {
                multiplicity_degree: 2,
                ..Interaction::linear(OUTPUT_OP, Direction::Provide, 4)
            },
            Interaction {
                multiplicity_degree: 2,
                field_degree: 2,
                ..crate::range::lookup()
            },
            crate::range::lookup(),
            Interaction {
                multiplicity_degree: 3,
                field_degree: 2,
                ..Interaction::linear(COPY_OP, Direction::Provide, 6)
            },
            Interaction {
                field_degree: 2,
                ..crate::range::lookup()
            },
            crate::range::lookup(),
            Interaction::linear(MODULAR, Direction::Provide, crate::modular::FIELDS),
            Interaction {
                multiplicity_degree: 2,
                ..Interaction::linear(LOG_OP, Direction::Provide, crate::log::LOG_OP_FIELDS)
            },
            crate::range::lookup(),
            Interaction {
                multiplicity_degree: 2,
                ..crate::range::lookup()
            },
            crate::range::lookup(),
            crate::range::lookup(),
            // (A halt's shortfall, not a RETURNDATACOPY's halting out of bounds.)
            Interaction {
                multiplicity_degree: 2,
                field_degree: 2,
                ..crate::range::lookup()
            },
            crate::range::lookup(),
            crate::range::lookup(),
            crate::range::lookup(),
            Interaction {
                multiplicity_degree: 2,
                ..Interaction::linear(COPY_OP, Direction::Provide, 6)
            },
            Interaction {
                multiplicity_degree: 2,
                ..Interaction::linear(HASH, Direction::Consume, 1 + LIMBS)
            },
            Interaction {
                field_degree: 2,
                ..Interaction::linear(ACCOUNT, Direction::Provide, crate::account::ACCOUNT_FIELDS)
            },
            Interaction {
                field_degree: 2,
                ..Interaction::linear(
                    CALL_OP,
                    Direction::Provide,
                    crate::call::CALL_FIELDS + ADDRESS_LIMBS,
                )
            },
            Interaction {
                multiplicity_degree: 2,
                ..Interaction::linear(BAD_JUMP, Direction::Consume, 2)
            },
            Interaction::linear(
                crate::call::TRANSFER,
                Direction::Consume,
                crate::call::TRANSFER_FIELDS,
            ),
            Interaction {
                multiplicity_degree: 3,
                ..Interaction::linear(RETURN_COPY, Direction::Provide, 6)
            },
            Interaction {
                multiplicity_degree: 2,
                ..Interaction::linear(
                    crate::call::EXT_CODE_OF,
                    Direction::Consume,
                    crate::call::EXT_CODE_OF_FIELDS,
                )
            },
            Interaction {
                multiplicity_degree: 2,
                ..Interaction::linear(crate::rollback::ROLLBACK, Direction::Consume, 4)
            },
        ]
    }

    fn eval_interactions<V: Algebra>(&self, r: &[V], out: &mut [BusValues<V>]) {
        let one = V::one();
        let s = Selectors::of(r);
        let live = r[col::LIVE];
        let (ctx, code_id, pc, sp) = (r[col::CTX], r[col::CODE_ID], r[col::PC], r[col::SP]);
        let a = &r[col::A..col::A + LIMBS];
        let b = &r[col::B..col::B + LIMBS];
        out[0].set(live, &[code_id, pc, r[col::OPCODE], one]);
        let family = Family::ALL.iter().fold(V::zero(), |sum, &f| {
            sum + r[f.selector()] * V::from_u64(f as u64)
        });
        out[1].set(
            live,
            &[r[col::OPCODE], family, r[col::N], r[col::STATIC_GAS]],
        );
        let mut value = [V::zero(); 2 + LIMBS];
        value[0] = code_id;
        value[1] = pc + r[col::N];
        value[2..].copy_from_slice(a);
        out[2].set(s.push, &value);
        // A taken jump lands on a JUMPDEST, or (flagged `halt_near`) on a byte that is not one,
        // and the frame halts.
        let lands = jumps(r) * (one - s.halt_near);
        out[3].set(lands, &[code_id, a[0], V::from_u64(JUMPDEST), one]);
        let address = &r[col::ADDRESS..col::ADDRESS + ADDRESS_LIMBS];
        let registers = [
            V::zero(),
            ctx,
            code_id,
            r[col::GAS],
            r[col::CTR],
            r[col::ROOT],
            r[col::STATIC],
            r[col::DEPTH],
            r[col::REVERTS],
            r[col::REVERT_FRAME],
        ];
        out[4].set_parts(r[col::FIRST], &[&registers, address]);
        // The frame's end: STOP, SELFDESTRUCT and RETURN keep their gas and succeed, REVERT
        // keeps its gas and fails, a halt consumes all gas.
        let gas_after = r[col::GAS] - r[col::STATIC_GAS] - r[col::DYN_GAS];
        // A step halting on its own cost is a halt too.
        let keeps_gas = (s.stops() + s.returns()) * s.executes();
        let success = (s.stops() + s.ret) * s.executes();
        out[5].set(
            s.ends(),
            &[
                one,
                ctx,
                code_id,
                keeps_gas * gas_after,
                success,
                (s.halt + s.halt_near) * r[col::OPCODE],
                counter_after(r, &s),
            ],
        );
        // Executed steps: sp′ ≤ 1024. A stack halt (the opcode table gives `n` = words needed,
        // `static_gas` = the largest sp the step allows): sp < n, or sp > the largest.
        let headroom = V::from_u64(STACK_LIMIT) - sp - s.stack_change();
        let overflow = r[col::OVERFLOW];
        let beyond =
            (one - overflow) * (r[col::N] - one - sp) + overflow * (sp - r[col::STATIC_GAS] - one);
        // An out-of-gas halt: gas < static_gas (both small: the gas register is range-checked
        // on halts, the static cost is a table constant).
        let short = r[col::STATIC_GAS] - r[col::GAS] - one;
        out[6].set(
            live,
            &[(one - s.halt) * headroom + s.halt_stack * beyond + s.halt_gas * short],
        );

        // Stack accesses, in the order of the witness: reads top first, then writes.
        let [e0, e1, e2, e3] = s.slots();
        let slot1_users = s.dup + s.uses_b() + s.writes_slot1();
        let deep = sp - one - r[col::N]; // SWAPn's other word
        let slot_fields = [
            // A register write pushes at sp; DUPn reads at sp − n; every other user of the
            // first slot reads the top word at sp − 1.
            // (EXTCODECOPY's copy words lie one deeper, below its address.)
            (
                sp - (e0 - s.writes_register() - s.dup)
                    - (s.dup + s.halt_far) * r[col::N]
                    - s.extcodecopy,
                s.writes_register(),
            ),
            (
                slot1_users * sp
                    - s.swap * (one + r[col::N])
                    - (s.takes_two() + s.binary() + s.copy + s.modular + s.keccak) * V::from_u64(2)
                    - s.replaces_top()
                    - s.halt_far * (one + r[col::STATIC_GAS])
                    - s.extcodecopy,
                s.dup + s.replaces_top(),
            ),
            (
                s.swap * deep
                    + (s.binary() + s.keccak) * (sp - V::from_u64(2))
                    + (s.copy + s.modular) * (sp - V::from_u64(3))
                    - s.extcodecopy,
                one - s.copy - s.modular,
            ),
            // SWAP writes `B` at the top; EXTCODECOPY reads its address there.
            (sp - one, s.swap),
        ];
        let uses_b = s.uses_b();
        // The comparison result as a word: (result, 0, …, 0).
        let mut result = [V::zero(); LIMBS];
        result[0] = r[col::RESULT];
        let mut slot1_value = [V::zero(); LIMBS];
        let mut slot2_value = [V::zero(); LIMBS];
        let mut slot3_value = [V::zero(); LIMBS];
        let ext = ExtCode::of(r);
        for i in 0..LIMBS {
            slot1_value[i] =
                s.dup * a[i] + uses_b * b[i] + s.iszero * result[i] + s.not * r[col::C + i];
            // (EXTCODECOPY's size is `C₀` alone.)
            let size_only = if i == 0 { V::zero() } else { s.extcodecopy };
            slot2_value[i] = s.swap * a[i]
                + s.eq * result[i]
                + (s.alu + s.copy + s.modular + s.keccak - size_only) * r[col::C + i];
            slot3_value[i] = s.swap * b[i] + s.extcodecopy * ext.word[i];
        }
        let values: [&[V]; 4] = [a, &slot1_value, &slot2_value, &slot3_value];
        for (k, (((addr, write), value), enabled)) in slot_fields
            .into_iter()
            .zip(values)
            .zip([e0, e1, e2, e3])
            .enumerate()
        {
            let mut fields = [V::zero(); 5 + LIMBS];
            fields[0] = r[col::CTR] + V::from_u64(k as u64);
            fields[1] = V::from_u64(Kind::Stack as u64);
            fields[2] = ctx;
            fields[3] = addr;
            fields[4] = write;
            fields[5..].copy_from_slice(value);
            out[7 + k].set(enabled, &fields);
        }
        // Storage: (ctr, transient, address, key A, write, value B, dynamic gas,
        // revert_frame, reverts): a failing frame's (and its callees') accesses are rolled
        // back at its end.
        out[11].set_parts(
            s.storage(),
            &[
                &[r[col::CTR], s.transient],
                address,
                a,
                &[s.sstore],
                b,
                &[r[col::DYN_GAS], r[col::REVERT_FRAME], r[col::REVERTS]],
            ],
        );
        let memory = s.memory();
        let expands = s.expands();
        let resizes = s.resizes();
        let checks = s.persistent_store + s.halt + resizes;
        out[12].set(checks, &[r[col::CHECK_LO]]);
        out[13].set(checks, &[r[col::CHECK_HI]]);
        // (opcode, value) in the transaction's frame, (opcode + CALLEE_CONTEXT, value) in a
        // callee's, plus `CALLEE_FRAME_CONTEXT·ctx` for a frame-specific opcode (`n = 1`; the
        // transaction's frame has ctx 0).
        let key = r[col::OPCODE]
            + (one - r[col::ROOT]) * V::from_u64(CALLEE_CONTEXT)
            + r[col::N] * ctx * V::from_u64(CALLEE_FRAME_CONTEXT);
        out[14].set_parts(s.context, &[&[key], a]);
        // (opcode, key, word, counter): the opcode names the source (calldata, blob hashes, an
        // account field). An account's fields are read at the step's counter, since balances
        // move during the transaction; SELFBALANCE's message is `(0x47, A, account, ctr)`,
        // the word it pushes and its frame's account (`B` is zero on its row).
        let account_word: [V; LIMBS] = std::array::from_fn(|i| match i < ADDRESS_LIMBS {
            true => s.selfbalance * address[ADDRESS_LIMBS - 1 - i],
            false => V::zero(),
        });
        let key_or_account: [V; LIMBS] = std::array::from_fn(|i| b[i] + account_word[i]);
        // (An account access halting on its cost pushes no value: it asks for none.)
        out[15].set_parts(
            s.verifier_word - s.callee_calldataload + s.selfbalance - s.account * s.halt_near,
            &[
                &[r[col::OPCODE]],
                a,
                &key_or_account,
                &[(s.account + s.selfbalance) * r[col::CTR]],
            ],
        );
        // Memory: the operation, its first access numbered after the step's stack accesses.
        let after_stack = r[col::CTR] + e0 + e1 + e2 + e3;
        // A callee's CALLDATALOAD is a load from its calldata's copy.
        let loads_calldata = s.callee_calldataload;
        let wide = s.mload + s.mstore + loads_calldata;
        // (From `FAR_SOURCE` on when far past the calldata, `col::FAR_LOAD`.)
        let far_load = r[col::FAR_LOAD];
        let offset = a[0]
            + loads_calldata * V::from_u64(CALLDATA_BASE)
            + far_load * (V::from_u64(copy::FAR_SOURCE) - a[0]);
        out[16].set_parts(
            memory * s.executes() + loads_calldata,
            &[&[after_stack, ctx, offset, s.stores(), wide], b],
        );
        // Expansion: `words = ⌈end/32⌉` (the remainder times 2¹¹ is below 2¹⁶, so it is below
        // 32, given that `words < 2¹⁶` makes it a small integer), `end = offset + len`, or 0
        // for an empty RETURN / REVERT (which touches no memory); memory grows to `words`
        // (`words − msize − 1 ≥ 0`) or already holds them (`msize − words ≥ 0`); the
        // quadratic cost is `⌊words²/512⌋` (the remainder times 2⁷ below 2¹⁶).
        let (words, msize, grow) = (r[col::WORDS], r[col::MSIZE], r[col::GROW]);
        // A non-empty MCOPY reaches from the larger of its offsets: `src_higher` adds
        // `src − dest` when that is the source.
        let higher = r[col::SRC_HIGHER];
        let end = (memory + r[col::NONZERO]) * a[0]
            + s.memory_len()
            + s.byte_count(r)
            + higher * (b[0] - a[0]);
        let remainder = words * V::from_u64(32) - end;
        // A capped halt (`result` on an expanding row) shows instead that its reach passes
        // the cap: `end − 32·words − 1 = lo + 2¹⁶·far_hi`, both halves 16-bit.
        let capped = r[col::RESULT];
        let excess = end - words * V::from_u64(32) - one - r[col::FAR_HI] * V::from_u64(1 << 16);
        out[17].set(
            expands,
            &[(one - capped) * remainder * V::from_u64(1 << 11) + capped * excess],
        );
        out[18].set(resizes, &[words]);
        let margin = grow * (words - msize - one) + (one - grow) * (msize - words);
        out[19].set(resizes, &[margin]);
        let quadratic_remainder = words * words - new_quadratic(r) * V::from_u64(512);
        out[20].set(resizes, &[quadratic_remainder * V::from_u64(1 << 7)]);
        let c = &r[col::C..col::C + LIMBS];
        // EXP's byte count rides in the opcode field (zero on the other ALU-bus steps).
        let alu_opcode = r[col::OPCODE] + r[col::GAS_UNITS] * V::from_u64(1 << 8);
        out[21].set_parts(s.alu_bus(), &[&[alu_opcode], a, b, c]);
        // The transaction's own output goes to the Output component (bound to the
        // statement's), a callee's to its Call row (copied into the caller's return window).
        out[22].set(s.returns() * s.executes(), &[after_stack, ctx, a[0], b[0]]);
        // Copies and KECCAK256: `units = ⌈size/32⌉` (remainder times 2¹¹ below 2¹⁶, `units`
        // below 2¹⁶); a non-empty copy goes to the Copy component.
        let units = r[col::GAS_UNITS];
        let word_remainder = units * V::from_u64(32) - s.byte_count(r);
        // (A capped halt counts no words: `units = 0`.)
        out[23].set(
            s.per_word() * (one - r[col::RESULT]),
            &[word_remainder * V::from_u64(1 << 11)],
        );
        // EXP's byte count is range-checked too: unbounded, `OPCODE + 2⁸·units` could reach
        // another table's opcode, and `50·units` could pay for another step's gas.
        out[24].set(s.per_word() + s.exp, &[units]);
        // A callee's CALLDATACOPY is an MCOPY from its calldata's copy (past the window, and
        // from any far source, unwritten bytes: zeros). CODECOPY's source names the running
        // code ([`copy::code_source`]).
        let from_calldata = s.callee_calldatacopy;
        // EXTCODECOPY's names its address's code (`C₆`) and reads as a CODECOPY of it.
        let code_source = (s.codecopy * code_id + s.extcodecopy * ext.code_id)
            * V::from_u64(copy::CODE_SOURCE_STRIDE);
        let mcopy_instead = V::from_u64(copy::MCOPY as u64 - copy::CALLDATACOPY);
        let codecopy_instead = V::from_u64(EXTCODECOPY as u64 - copy::CODECOPY);
        out[25].set(
            (s.copy - s.rdcopy) * r[col::NONZERO] * s.executes(),
            &[
                after_stack,
                ctx,
                a[0],
                r[col::COPY_SRC] + from_calldata * V::from_u64(CALLDATA_BASE) + code_source,
                r[col::C],
                r[col::OPCODE] + from_calldata * mcopy_instead - s.extcodecopy * codecopy_instead,
            ],
        );
        // MCOPY: `src_higher` names the larger offset truly, `(2·src_higher − mcopy_nonzero)·
        // (src − dest) = |src − dest| ≥ 0` (zero on every other row) as two 16-bit halves.
        // RETURNDATACOPY: its range lies in the return data, `rd_size − offset − size ≥ 0`
        // (each term below 2³², so no wrap); or, halting (EIP-211) with `overflow` set (only
        // RETURNDATACOPY's there), past it: `offset + size − rd_size − 1 ≥ 0`.
        let out_of_bounds = r[col::OVERFLOW];
        let margin = (higher * V::from_u64(2) - r[col::MCOPY_NONZERO]) * (b[0] - a[0])
            + (s.rdcopy - out_of_bounds * V::from_u64(2)) * (r[col::RD_SIZE] - b[0] - r[col::C])
            - out_of_bounds;
        // A far source shown by its low limb: `B₀ − 2²² ≥ 0` (`col::SRC_FAR_LOW`).
        let low = r[col::SRC_FAR_LOW];
        let margin = margin + low * (b[0] - V::from_u64(FAR_OFFSET));
        let margin_hi = r[col::MARGIN_HI];
        let bounded = s.mcopy + s.rdcopy + low;
        out[26].set(bounded, &[margin - margin_hi * V::from_u64(1 << 16)]);
        out[27].set(bounded, &[margin_hi]);
        // ADDMOD / MULMOD: (opcode, the result's counter and slot, a, b, n); the Modular
        // component writes the result there.
        let c = &r[col::C..col::C + LIMBS];
        let slot = sp - V::from_u64(3);
        out[28].set_parts(
            s.modular,
            &[&[r[col::OPCODE], after_stack, ctx, slot], a, b, c],
        );
        // LOG: (ctr, ctx, sp, offset, size, n, address, reverted); the Log component reads
        // from `ctr + 2` on.
        out[29].set_parts(
            s.log * s.executes(),
            &[
                &[r[col::CTR], ctx, sp, a[0], b[0], r[col::N]],
                &r[col::ADDRESS..col::ADDRESS + ADDRESS_LIMBS],
                &[r[col::REVERTS]],
            ],
        );
        // A far-memory halt (and a far CALLDATALOAD): `A₀ − 2²² = lo + 2¹⁶·far_hi` unless a
        // high limb is set; the halt's gas below 2²⁴ (`hi·2⁸ < 2¹⁶`), less than the expansion
        // to 2²² bytes would cost.
        let small_operand = s.halt_far + r[col::FAR_LOAD] - r[col::FAR_HIGH_LIMBS];
        let far_hi = r[col::FAR_HI];
        let above = a[0] - V::from_u64(FAR_OFFSET) - far_hi * V::from_u64(1 << 16);
        out[30].set(small_operand, &[above]);
        out[31].set(small_operand + r[col::RESULT] * expands, &[far_hi]);
        let gas_hi = r[col::CHECK_HI] * V::from_u64(1 << (32 - FAR_GAS_BITS));
        out[32].set(s.halt_far, &[gas_hi]);
        // The cost argument's premise, checked here rather than relied on from the steps
        // before: memory is below 2¹⁶ words.
        out[33].set(s.halt_far, &[r[col::MSIZE]]);
        // A step halting on its own cost: `static_gas + dyn_gas − gas − 1` and `gas` are both in
        // [0, 2³²), so the step cannot pay (its cost is below 2³⁶, a capped LOG's included: no
        // wrap). A jump halting on its destination has no cost to fall short of: its shortfall
        // is taken as 0. (A static frame's CALL moving value claims one gas more than it has,
        // shortfall 0: its Call row proves why, `crate::call::col::STATIC_HALT`.)
        let halt_near = s.halt_near;
        let (short_hi, gas_hi) = (r[col::SHORT_HI], r[col::GAS_HI]);
        // A jump halts on its destination, not on a cost: in its place `C₀` is range-checked,
        // `dest − span` for one past the code's span (`dest` one limb, the span below 2³²:
        // no wrap, so `dest ≥ span`), 0 otherwise. A RETURNDATACOPY halting out of bounds
        // (its margin shows it) need not fall short: not checked there.
        let short = (one - jumps(r)) * (r[col::STATIC_GAS] + r[col::DYN_GAS] - r[col::GAS] - one)
            + jumps(r) * r[col::C];
        let two16 = V::from_u64(1 << 16);
        out[34].set(
            halt_near - s.rdcopy * r[col::OVERFLOW],
            &[short - short_hi * two16],
        );
        out[35].set(halt_near, &[short_hi]);
        out[36].set(halt_near, &[r[col::GAS] - gas_hi * two16]);
        out[37].set(halt_near, &[gas_hi]);
        // KECCAK256: the Copy component reads (and pads) the bytes from `ctr′` on, the sponge
        // hashes them and hands back the digest, which the step pushes (`C`).
        let hashes = s.keccak * s.executes();
        out[38].set(
            hashes,
            &[after_stack, ctx, V::zero(), a[0], b[0], r[col::OPCODE]],
        );
        out[39].set_parts(hashes, &[&[after_stack], c]);
        // An account access: (ctr, the operand's low 160 bits as five limbs most significant
        // first, dynamic gas); the Account component proves the warm/cold cost. SELFDESTRUCT's
        // dynamic gas is `2,600·cold + 25,000·fresh`: it sends `(dyn_gas − 25,000·fresh)·25/26`,
        // which the Account component shows is 0 or 2,500.
        let cold_scale = V::constant(
            Goldilocks::new(crate::account::COLD_ACCOUNT_EXTRA)
                * Goldilocks::new(SELFDESTRUCT_COLD).inverse(),
        );
        let new_account = V::from_u64(crate::call::NEW_ACCOUNT_COST) * r[col::RESULT];
        // EXTCODECOPY sends its address (`ExtCode`) and its access cost alone (a halting one
        // too: its shortfall counts the cost).
        let ecc = s.extcodecopy;
        let address_of = |j: usize| a[ADDRESS_LIMBS - 1 - j] * (one - ecc) + ext.address[j] * ecc;
        out[40].set(
            s.account + s.selfdestruct + ecc,
            &[
                r[col::CTR],
                address_of(0),
                address_of(1),
                address_of(2),
                address_of(3),
                address_of(4),
                (r[col::DYN_GAS] - new_account) * (s.account + s.selfdestruct * cold_scale)
                    + ext_code_access(r, &s),
                r[col::REVERT_FRAME],
                r[col::REVERTS],
            ],
        );
        // A call: the Call component reads the operands below `sp` (counters `ctr …`; how
        // many the opcode says, as the table's `n` does for `sp′`), gives the words its
        // memory windows reach (this row grows memory to them and charges the expansion),
        // runs the callee (on this frame's account for CALLCODE and DELEGATECALL) with the
        // gas left after the static and expansion costs, writes the success flag at the
        // callee's `ctr_end` (`C₀`), and gives the rest of the call's dynamic gas (access,
        // gas forwarded less gas returned).
        let expansion = expansion_cost(r);
        out[41].set_parts(
            s.call,
            &[
                &[
                    r[col::CTR],
                    ctx,
                    sp,
                    r[col::GAS] - r[col::STATIC_GAS] - expansion,
                    r[col::OPCODE],
                    r[col::STATIC],
                    r[col::DYN_GAS] - expansion,
                    r[col::C],
                    r[col::DEPTH],
                    r[col::WORDS],
                    r[col::C + 1],
                    r[col::C + 2],
                    r[col::REVERTS],
                    r[col::REVERT_FRAME],
                    s.halt_near,
                ],
                address,
            ],
        );
        // A jump halting on its destination: the Bytecode row there is no JUMPDEST; or, `past`
        // (`result`), the destination lies past the code's span, which its last row provides
        // as `(PAST_SPAN_TAG + code_id, span)`: the row keeps `dest − span` in `C₀` (zero
        // otherwise), range-checked as the shortfall is.
        out[42].set(
            jumps(r) * s.halt_near,
            &[
                code_id + r[col::RESULT] * V::from_u64(PAST_SPAN_TAG),
                a[0] - r[col::C],
            ],
        );
        // SELFDESTRUCT: the frame's account sends its whole balance (`C`) to the beneficiary
        // (`A`'s low 160 bits); `fresh` (RESULT) says the beneficiary was empty and the
        // balance not zero. The verifier provides the claim from the statement and checks it
        // against the state it knows (kind `Sweep`: the value is the whole balance). It is
        // kept unless a failing frame's end undoes it (`reverts`), at that end (`B₀`, taken
        // on ROLLBACK below; its own counter if kept, where it is unused). A SELFDESTRUCT
        // halting on its cost claims kind `HaltedSweep` (`1 + 4·halt_near`): nothing moves,
        // and `fresh` is checked only when claimed (it may leave out a cost the step could
        // not pay anyway).
        out[43].set_parts(
            s.selfdestruct,
            &[
                &[r[col::CTR]],
                address,
                &[a[4], a[3], a[2], a[1], a[0]],
                c,
                &[
                    r[col::RESULT],
                    one - r[col::REVERTS],
                    one + V::from_u64(4) * s.halt_near,
                    b[0],
                ],
            ],
        );
        // RETURNDATACOPY: a copy between frames, as a call's return copy is: from the last
        // callee's memory (its output's offset plus `B₀`) into this frame's at `A₀`.
        out[44].set(
            s.rdcopy * r[col::NONZERO] * s.executes(),
            &[
                after_stack,
                ctx,
                a[0],
                r[col::RD_OFFSET] + b[0],
                r[col::C],
                r[col::RD_CTX],
            ],
        );
        // EXTCODECOPY: the code the statement gives its address (the verifier checks it
        // against the pre-state).
        out[45].set_parts(
            s.extcodecopy * s.executes(),
            &[&ext.address, &[ext.code_id, ext.code_len]],
        );
        // A SELFDESTRUCT under a failing frame: that frame's `(frame, end, outer_reverts,
        // outer_frame)` from its Call row, whose `rollbacks` count this row; the sweep's
        // claim is undone at that end.
        out[46].set(
            s.selfdestruct * r[col::REVERTS],
            &[r[col::REVERT_FRAME], b[0], b[1], b[2]],
        );
    }
}

/// The opcode-table rows the verifier provides: each supported opcode with its family, `n` and
/// static gas, with the multiplicity `count(opcode)` the statement claims.
pub fn opcode_messages(count: impl Fn(u8) -> u64) -> Vec<PublicMessage> {
    (0..=255u8)
        .filter_map(|opcode| {
            let (family, n) = Family::of(opcode)?;
            let gas = zkevm_evm_spec::opcodes::info(opcode)?.static_gas as u64;
            let uses = count(opcode);
            (uses > 0).then(|| PublicMessage {
                multiplicity: Goldilocks::new(uses),
                ..PublicMessage::provide(
                    OPCODES,
                    &[
                        Goldilocks::new(opcode as u64),
                        Goldilocks::new(family as u64),
                        Goldilocks::new(n),
                        Goldilocks::new(gas),
                    ],
                )
            })
        })
        .collect()
}

/// Fields of a frame's start message on [`FRAME`].
pub const START_FIELDS: usize = 10 + ADDRESS_LIMBS;

/// Where the transaction's own frame starts: `(0, ctx, code_id, gas, ctr, root = 1, static =
/// 0, depth = 0, reverts = 0, revert_frame = 0, address₀…₄)` (its own failure is rolled back
/// by the verifier), `ctr` the RW counter of its first step (a frame starts at pc 0 with an
/// empty stack and empty memory).
pub fn start_message(
    ctx: u32,
    code_id: u64,
    gas: u64,
    ctr: u64,
    address: &[u32; ADDRESS_LIMBS],
) -> PublicMessage {
    let mut fields = vec![
        Goldilocks::ZERO,
        Goldilocks::new(ctx as u64),
        Goldilocks::new(code_id),
        Goldilocks::new(gas),
        Goldilocks::new(ctr),
        Goldilocks::ONE,
        Goldilocks::ZERO,
        Goldilocks::ZERO,
        Goldilocks::ZERO,
        Goldilocks::ZERO,
    ];
    fields.extend(address.iter().map(|&l| Goldilocks::new(l as u64)));
    PublicMessage::provide(FRAME, &fields)
}

/// Where a frame stops: `(1, ctx, code_id, gas left, success, opcode, ctr_end)`, `opcode` that
/// of a halting step, of any kind (0 otherwise: no opcode 0 step halts), so that a halt is
/// bound to its step and cannot pass for a REVERT, nor a REVERT for one (the halt rows the
/// statement lists for failed callees could otherwise serve the transaction's own frame);
/// `ctr_end` the RW counter after the frame's last step, where whoever started the frame
/// numbers its next access.
pub fn stop_message(
    ctx: u32,
    code_id: u64,
    gas_left: u64,
    success: bool,
    halt_opcode: Option<u8>,
    ctr_end: u64,
) -> PublicMessage {
    PublicMessage::provide(
        FRAME,
        &[
            Goldilocks::ONE,
            Goldilocks::new(ctx as u64),
            Goldilocks::new(code_id),
            Goldilocks::new(gas_left),
            Goldilocks::new(success as u64),
            Goldilocks::new(halt_opcode.unwrap_or(0) as u64),
            Goldilocks::new(ctr_end),
        ],
    )
}

/// Why a frame ended exceptionally: it failed (its effects are reverted) and consumed all its
/// gas.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub enum HaltKind {
    /// A stack underflow or overflow.
    Stack,
    /// Less gas left than the step's static cost.
    OutOfGas,
    /// INVALID (0xfe) or an undefined opcode.
    Invalid,
    /// Out of gas on the memory expansion to an operand (at stack depth `operand`, 0 the top)
    /// of 2²² or more: an offset with a non-zero size, or a size. For RETURNDATACOPY also out
    /// of bounds (EIP-211): its offset into the return data or its size that large is past
    /// any return data, and a destination that far with a size halts either way.
    FarMemory { operand: u8 },
    /// Out of gas on a dynamic cost the step's own row computes (memory expansion, copy
    /// words, log topics and bytes, SLOAD's and SSTORE's storage cost, EXP's exponent bytes,
    /// a BALANCE's, EXTCODESIZE's, EXTCODEHASH's, EXTCODECOPY's or a call's access and a
    /// call's value cost): the step decodes through
    /// its opcode's usual row, and a
    /// `halt_near` flag ends the frame instead of executing it.
    DynamicCost,
    /// SSTORE, TSTORE, LOG0–LOG4 or SELFDESTRUCT in a static frame
    /// (`StateChangeDuringStaticCall`).
    StaticWrite,
    /// A taken JUMP or JUMPI whose destination (below 2³² and within the code's span) is no
    /// JUMPDEST: the step decodes through its opcode's usual row, and `halt_near` ends the
    /// frame, the destination looked up on [`BAD_JUMP`] instead of landing.
    InvalidJump,
    /// A taken JUMP or JUMPI to [`FAR_OFFSET`] or beyond, past every code: its row is a
    /// far-memory halt's, the destination the far operand (depth 0) and, for JUMPI, the
    /// condition the non-zero size (depth 1; JUMP's destination stands for it).
    FarJump,
    /// A RETURNDATACOPY whose `offset + size` (each below 2³²) lies past the return data
    /// (EIP-211's `OutOfOffset`): the step decodes through its usual row, flagged
    /// `halt_near`, whose `overflow` bit makes its margin show the excess instead of a
    /// shortfall. (Which of the two a RETURNDATACOPY's halt shows is the prover's choice: both
    /// end the frame alike, so the proof binds the halting opcode, not this label.)
    ReturnDataOutOfBounds,
    /// A CALL moving value in a static frame (EIP-214's `CallNotAllowedInsideStatic`): the
    /// step decodes through its usual row, flagged `halt_near`, and its Call row shows the
    /// static flag and the value ([`crate::call::col::STATIC_HALT`]) and charges one gas more
    /// than the step has, so the shortfall check holds. (As for RETURNDATACOPY, the proof
    /// binds the halting opcode, not this label.)
    StaticCallValue,
}

/// The step that ended a frame exceptionally.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Halt {
    pub opcode: u8,
    pub kind: HaltKind,
}

impl Halt {
    /// The opcode-table row of the halting step: `(opcode, HaltStack, words needed, largest sp
    /// allowed)`, `(opcode, HaltGas, 0, static gas)`, `(opcode, HaltFar, operand depth, size
    /// depth)` or `(opcode, HaltInvalid, 0, 0)`; `None` when the opcode cannot halt so (a stack
    /// or gas halt of an undefined opcode, a far-memory halt on an operand that places no
    /// memory, an invalid halt of a defined one other than INVALID).
    pub fn message(&self) -> Option<PublicMessage> {
        let (family, n, bound) = self.table_row()?;
        Some(PublicMessage::provide(
            OPCODES,
            &[
                Goldilocks::new(self.opcode as u64),
                Goldilocks::new(family as u64),
                Goldilocks::new(n),
                Goldilocks::new(bound),
            ],
        ))
    }

    /// The `(family, n, static_gas)` of the halting step's table row (see [`Halt::message`]),
    /// which its CPU row carries.
    pub fn table_row(&self) -> Option<(Family, u64, u64)> {
        let info = zkevm_evm_spec::opcodes::info(self.opcode);
        Some(match (self.kind, info) {
            (HaltKind::Stack, Some(info)) => {
                let (needed, produced) = (info.stack_in as u64, info.stack_out as u64);
                (Family::HaltStack, needed, STACK_LIMIT + needed - produced)
            }
            // EIP-2200's sentry: SSTORE (static cost 0) halts with no more than the call
            // stipend left, before it reads anything.
            (HaltKind::OutOfGas, Some(_)) if self.opcode == SSTORE => {
                (Family::HaltGas, 0, SSTORE_SENTRY)
            }
            (HaltKind::OutOfGas, Some(info)) => (Family::HaltGas, 0, info.static_gas as u64),
            (HaltKind::FarMemory { operand }, Some(_)) if !is_jump(self.opcode) => {
                let size = far_size_operand(self.opcode, operand)?;
                (Family::HaltFar, operand as u64, size)
            }
            (HaltKind::FarJump, Some(_)) if is_jump(self.opcode) => {
                (Family::HaltFar, 0, far_size_operand(self.opcode, 0)?)
            }
            (HaltKind::Invalid, None) => (Family::HaltInvalid, 0, 0),
            (HaltKind::Invalid, Some(_)) if self.opcode == INVALID => (Family::HaltInvalid, 0, 0),
            (HaltKind::StaticWrite, Some(_))
                if matches!(
                    self.opcode,
                    0x55 | 0x5d | 0xa0
                        ..=0xa4 | SELFDESTRUCT | crate::call::CREATE | crate::call::CREATE2
                ) =>
            {
                (Family::HaltInvalid, 1, 0)
            }
            _ => return None,
        })
    }
}

/// JUMP or JUMPI.
fn is_jump(opcode: u8) -> bool {
    matches!(opcode, JUMP | JUMPI)
}

const JUMP: u8 = 0x56;
const JUMPI: u8 = 0x57;

/// The stack depth of the operand a far halt shows is not zero (its "size"), when the
/// operand at `depth` is the far one: the size of the memory range an opcode touches, when
/// the operand places that range (an offset, a source offset in memory, or the size itself;
/// for the fixed-length MLOAD, MSTORE and MSTORE8 the offset stands for the size: it is the
/// operand, and a far one is not zero), or a jump's destination (JUMPI's condition: the jump
/// is taken; JUMP's destination stands for it).
///
/// RETURNDATACOPY's offset into the return data, and its size, stand for themselves: either
/// one at 2²² or more reaches past any return data (a callee's output, shorter than 2²¹
/// bytes: its memory is), so the step halts before it looks at gas or memory: out of bounds
/// (EIP-211), or on a size beyond a machine word (revm's InvalidOperandOOG); and with a far
/// destination and a size the step halts too, out of bounds or short of the expansion. Every
/// exceptional halt has the same effect: the frame fails with no gas left.
fn far_size_operand(opcode: u8, depth: u8) -> Option<u64> {
    match (opcode, depth) {
        (RETURNDATACOPY, 0 | 2) => Some(2),
        (RETURNDATACOPY, 1) => Some(1),
        (0x51..=0x53 | JUMP, 0) => Some(0),
        (JUMPI, 0) => Some(1),
        (0xf3 | 0xfd | 0xa0..=0xa4 | copy::KECCAK256, 0 | 1) => Some(1),
        (0x37 | 0x39, 0 | 2) => Some(2),
        (EXTCODECOPY, 1 | 3) => Some(3),
        (copy::MCOPY, 0..=2) => Some(2),
        _ => None,
    }
}

mod trace;
pub use trace::{code_order, trace, CpuError, CpuTrace, MEMORY_WORDS_LIMIT};

#[cfg(test)]
pub(crate) mod tests;
