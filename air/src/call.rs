//! The Call component: one row per CALL, CALLCODE, DELEGATECALL, STATICCALL, CREATE or
//! CREATE2, joining the caller's step to the callee's frame (a create's: its init code's).
//!
//! The CPU's call row provides `(ctr, ctx, sp, avail, opcode, static, dyn_gas, ctr_end, depth,
//! words, out_offset, out_size, reverts, revert_frame, halts, address₀…₄)` on bus
//! [`CALL_OP`]: its counter, frame and stack
//! size, its gas less the opcode's static cost and the memory expansion's, the opcode, whether
//! its frame is static, the dynamic gas it charges besides the expansion, the counter after
//! the callee, its frame's call depth, the memory words it grows to, the callee's output (the
//! caller's return data registers after the call: both 0 unless it RETURNed or REVERTed; the
//! size 0 after a create whose init code RETURNed, deployed or not), and its account. This row consumes it (one-hot
//! opcode selectors name the opcode) and proves the rest:
//! - the operands: it reads the `n` words below `sp` on the RW bus at counters `ctr …
//!   ctr + n − 1` (`n` = 7 for CALL and CALLCODE, 6 for DELEGATECALL and STATICCALL, as the
//!   opcode table tells the CPU): the gas `g`, the target `t`, for CALL and CALLCODE the value,
//!   the argument offset and size, the return offset and size;
//! - the value (CALL and CALLCODE; zero on the other rows): `moves` when its limbs' sum has
//!   an inverse. Moving value costs 9,000 more, and 25,000 more again for a CALL whose
//!   target is empty (EIP-161: `fresh`), and gives the callee a 2,300 stipend besides the
//!   gas forwarded; a static frame's CALL moving value halts instead (`static_halt`, below).
//!   The row claims the transfer on bus
//!   [`TRANSFER`]: `(ctr, caller, account, value, fresh, kept, kind, end)`, which the
//!   verifier provides from the statement's [`Transfer`]s. The proof binds the claims;
//!   checking them is the state check's (`zkevm::evm::check_state`, as for account reads),
//!   which replays them against the state it knows (the caller's balance covers the value;
//!   `fresh` is the target's emptiness then; a transfer moves the balances, for good if
//!   kept, else until `end`, where a failing frame's effects are undone: the balance reads
//!   between see it). `kept = success·(1 − undoes)` and `end = (1 − success)·ctr_end +
//!   success·undo_end`: a failed callee's end undoes its transfer, and so does the end of a
//!   failing frame around the call (rollback, below). The claim's
//!   [`TransferKind`] is `2·halts + 3·short + 4·creates`: a call, one halting on its costs
//!   (below), or
//!   one whose value the caller's balance does not cover (`short`: the EVM opens no frame,
//!   the call fails, and all the gas forwarded comes back with the stipend; the row writes
//!   flag 0, consumes no code, starts no frame, copies no arguments, hands nothing back, and
//!   `left = fwd + stipend`; the verifier checks the balance short of the value);
//! - the memory windows: each size is a single limb (a window of 2³² bytes or more cannot be
//!   paid for), non-empty iff it has an inverse, and a non-empty window's offset is a single
//!   limb too; `words = ⌈max(args end, return end)/32⌉`, an empty window ending at 0
//!   (`args_further` picks the larger end, exactly: `args_end − ret_end` or `ret_end −
//!   args_end − 1` is range-checked). The CPU row grows the caller's memory to `words`
//!   (its usual growth and quadratic-cost checks) and pays the expansion before the rest:
//!   `avail` is what is left after it;
//! - the account access: `(ctr, t₄…t₀, access, caller_revert_frame, caller_reverts)` on bus
//!   [`crate::account::ACCOUNT`], where the Account component proves the EIP-2929 cost (0
//!   warm, 2,500 cold) and undoes the warm-up at a failing frame's end; the target is `t`'s
//!   low 160 bits;
//! - the gas forwarded (EIP-150): `L = avail − costs` is range-checked to `[0, 2³²)`, the
//!   costs being `access + 9,000·moves + 25,000·fresh` and a delegated target's delegate's
//!   `100 + delegate_access` (below),
//!   `L = 64·q + rem` with `rem < 64` and `q < 2²⁶`, the cap is `L − q`, and `fwd = min(g, cap)`:
//!   `big` marks `g ≥ 2³²` (its high limbs' sum has an inverse), `capped` selects the cap, and
//!   unless `big`, `g₀ − cap` (capped) or `cap − g₀ − 1` (not) is range-checked to `[0, 2³²)`;
//! - the callee: its code is the one the statement gives for the target, `(t₄…t₀, code_id,
//!   code_len, since, before, delegated, delegate₀…₄)` on bus [`CODE_OF`] (the delegate's
//!   code for a target delegated by EIP-7702, below; `since` 0, or for code a create of the
//!   transaction deployed, that create's end, which `ctr − since ≥ 0` shows passed; for no
//!   code at an address a create deploys at later, `before`, and `since − ctr − 1 ≥ 0`); its
//!   frame starts with `(0, ctx′ = ctr + 1, code_id, fwd + stipend, ctr + n + 2·args_size,
//!   root = 0, static′, depth + 1, reverts′, revert_frame′,
//!   account)` on bus [`crate::cpu::FRAME`] (`static′` is 1 for STATICCALL, the caller's flag
//!   otherwise; the account is the target for CALL and STATICCALL, the caller's own for
//!   CALLCODE and DELEGATECALL, whose callee runs the target's code on the caller's storage)
//!   and stops with `(1, ctx′, code_id, left, success, halt opcode, ctr_stop)`: a callee
//!   succeeds with STOP, SELFDESTRUCT or RETURN, or fails with REVERT (keeping its gas, halt
//!   opcode 0) or an exceptional halt (its opcode in the message, its gas all spent);
//! - rollback: a failing callee's effects, and those of every frame under it (failing or
//!   not), are undone at its end. The caller's `reverts` and `revert_frame` registers arrive
//!   in the CPU's message; a call moving value or a create under a failing frame (`undoes =
//!   caller_reverts·(moves·(1 − halts) + creates·(1 − moves))`: a halting call moves none)
//!   takes that frame's `(caller_revert_frame, undo_end, …)` from its Call row on
//!   [`ROLLBACK`], and its transfer is undone at `undo_end` if its callee succeeds (its own
//!   end if not, which comes first), as are a create's nonce bump and account. The callee's `reverts′ = 1 −
//!   success·(1 − caller_reverts)` and `revert_frame′ = success·caller_revert_frame +
//!   (1 − success)·ctx′`: the innermost failing frame, itself or the one above it. Its (and
//!   its callees') storage and account accesses carry that frame (the call's own access of
//!   its target carries the caller's: the warm-up survives the callee), and a failing
//!   callee's row provides `(ctx′, ctr_end, caller_reverts, caller_revert_frame)` on bus
//!   [`ROLLBACK`] to every Storage and Account row it rolls back or restores, every call
//!   moving value or create under it and every SELFDESTRUCT's CPU row under it
//!   (multiplicity `rollbacks`, zero for a callee that succeeds): how
//!   those tables nest the rollbacks is
//!   [`crate::rollback`]'s. Its logs carry the flag for the verifier to drop;
//! - the calldata: the callee's CALLDATASIZE is the argument window's size, and a non-empty
//!   window is provided as `(ctr + n, ctx′, CALLDATA_BASE, args_offset, args_size, ctx)` on
//!   [`crate::copy::RETURN_COPY`]: the Copy component reads the caller's bytes and writes
//!   them into the callee's own memory at [`crate::cpu::CALLDATA_BASE`] (counters `ctr + n …
//!   ctr + n + 2·args_size − 1`; the callee starts after them), where its CALLDATALOAD and
//!   CALLDATACOPY read them, and past them unwritten bytes, zeros, as the EVM pads calldata;
//! - the output: a callee ending with RETURN or REVERT (`returned`) provides `(ctr_stop, ctx′,
//!   offset, size)` on [`OUTPUT_OP`], which this row consumes (nothing else may: the Output
//!   component takes only frame 0's, and `ctx′` names this row's callee); one ending
//!   otherwise hands back nothing (`size = 0`). The first `copied = min(size, ret_size)`
//!   bytes go to the return window: `out_shorter` picks the lesser, exactly (`ret_size −
//!   size` or `size − ret_size − 1` is range-checked), and a non-empty copy is provided as
//!   `(ctr_stop, ctx, ret_offset, offset, copied, ctx′)` on [`crate::copy::RETURN_COPY`]:
//!   the Copy component reads the callee's bytes (counters `ctr_stop …`) and writes them into
//!   the caller's memory (the next `copied`), so `ctr_end = ctr_stop + 2·copied` (plus a
//!   create's `deposit`, below). The output's
//!   offset and size go back to the CPU (the caller's return data registers), where
//!   RETURNDATASIZE pushes the size and RETURNDATACOPY copies from the callee's memory within
//!   it.
//!   (A padding row, and a row without code, hand nothing back: `returned` and `copies` are
//!   zero there.)
//!   `left` is range-checked to `[0, 2³²)`: the callee's gas only decreases from
//!   `fwd + stipend < 2³²` by small steps, so that also shows `left ≤ fwd + stipend`;
//! - the result: the success flag written at `ctr_end` to the slot `sp − n`, and the call's
//!   dynamic gas `costs + fwd − left` (its costs: the access, a delegate's, and moving
//!   value's; a create pays its deposit too, below).
//!
//! A call into an account without code (`no_code`) runs nothing: its target's code id is 0,
//! which the verifier gives on [`CODE_OF`] only for a target whose pre-state code is empty (or,
//! delegated by EIP-7702, whose delegate's is), or for an address a create of the transaction
//! deploys code at, before that create's end (code ids of real codes start at 1). Such a row sends no START or STOP (their multiplicity is
//! `live − halts − short − no_code − collides`) and fixes what a stop would have said: success, all gas back
//! (`left = fwd + stipend`), no halt, `ctr_end = ctr + n`, no output. A row claiming code when the verifier gave 0
//! would start a frame running code 0, whose opcode fetches nothing provides.
//!
//! A call into an account delegated by EIP-7702 (`delegated`: its pre-state code a designator
//! naming a `delegate`) runs the delegate's code on the target's account (a CALLCODE's or
//! DELEGATECALL's on the caller's), as revm loads it. The verifier's [`CODE_OF`] message for
//! the target carries `(1, delegate₀…₄)` and the delegate's code id and length, which it checks
//! against the pre-state (the designator names the delegate, whose own code it is; the
//! delegate neither delegated itself nor created by the transaction); a row claiming no
//! delegation, or another delegate, does not match it. The row sends the delegate's access on
//! [`crate::account::ACCOUNT`] at its counter, under the caller's failing frame as the
//! target's (so a failing caller's end cools it again), and pays [`DELEGATE_WARM_COST`] plus
//! that access's cold surcharge (`delegate_access`) among its costs, before forwarding gas, as
//! revm charges them after the target's. Only a call that goes ahead is delegated
//! (`delegated·(1 − live + halts + short + creates) = 0`, so the flag is always the
//! verifier's): a halting row claims none, so the costs it shows are at most the EVM's and the
//! halt it proves is the EVM's (but for a new account's 25,000, which its transfer claim has
//! the verifier check against the target's emptiness: a delegated target is never empty;
//! one that only the delegate's cost halts is not proven yet);
//! a short call into a delegated account is not proven yet (the EVM charges the delegate
//! before it checks the balance).
//!
//! A call its caller cannot pay for (`halts`, sent by a CPU row flagged `halt_near`: the
//! caller's frame ends out of gas there) runs nothing either, since EIP-150's costs are paid
//! before any frame opens. The row still reads the operands and sends the target's access
//! (the EVM warms the target; the caller's failure undoes it; a static halt's, below, which
//! the EVM never makes, is undone at the caller's end, this very step), but consumes no code, starts
//! no frame, writes no flag and copies no argument window (those multiplicities are
//! `live − halts`, or carry a factor `1 − halts`), and hands nothing back
//! (`returned` zero; `success` set, as for a call into no code, so `rollbacks` is zero and a
//! failing caller may halt so; `ctr_end = ctr + n`, the operand reads). Its
//! dynamic gas on [`CALL_OP`] is exactly its costs (`halts·(left − fwd) = 0`), which the CPU
//! row shows exceed what the step has after its static cost and memory expansion (its usual
//! shortfall check, `static_gas + dyn_gas − gas − 1 ≥ 0`). `L` is negative there, so it, the
//! quotient, the margin, `left` and the depth go unchecked (they feed nothing else). A
//! halting row moving value still claims its transfer, kind `Halted`: the verifier checks
//! `fresh` against the target's emptiness (so a shortfall that only a new account's 25,000
//! explains is proven) and moves nothing, nor checks the balance (the EVM checks none before
//! the gas). One on windows reaching past 2¹⁶ words, or with an offset or size of 2³² or
//! more, is not proven yet (calls have no capped form).
//!
//! A CALL moving value in a static frame halts its caller whatever its costs (EIP-214; the
//! EVM halts before expanding memory or loading the target): `static_halt =
//! caller_static·is_call·moves` forces `halts`, and in place of `left = fwd` the row's
//! dynamic gas `costs + fwd − left` is one more than the step has after its static cost
//! and memory expansion (`avail + 1`), so the CPU's shortfall is 0. Its claim is `Halted`
//! too, with `fresh` unchecked when false.
//!
//! A halting row's `context_reads` would serve a
//! frame that never starts: nothing consumes them, so the bus does not balance unless they
//! are zero.
//!
//! CREATE and CREATE2 have rows here too (`is_create`, `is_create2`; `n` = 3 and 4), a
//! call's row with these differences:
//! - the operands are the value, the init window's offset and size and (CREATE2) the salt,
//!   read into the value's, argument window's and return offset's cells ([`col::SALT`]); no
//!   gas, target or return window (`ret_size = 0`), and the request is pinned to 2³² so the
//!   cap is forwarded (`capped`): all but a 64th;
//! - its costs ([`col::COSTS`]) are EIP-3860's 2 gas per init code word (`init_words =
//!   ⌈size/32⌉`, both range-checked, and `49,152 − size` too) and, for CREATE2, 6 more per
//!   word hashed; no access cost (the row's access warms the new account, free), no value
//!   cost, no stipend;
//! - the init window's bytes are read right after the operands (counters `ctr + n …`) and
//!   hashed: the row provides `(ctr + n, ctx, 0, offset, size, 0x20)` on
//!   [`crate::copy::COPY_OP`], as KECCAK256 does, and consumes the digest from
//!   [`crate::sponge::HASH`] (`init_hash`); its frame starts after those reads;
//! - the claim `(ctr, creator, is_create2 + 2·success + 4·undoes + 8·collides, salt,
//!   init_hash, code_id, size, address, ctr_end, undo_end)` on [`CREATION`]: the verifier provides it from the
//!   statement's [`Creation`]s, with the hash and length of the code it names (so the frame
//!   runs the window's bytes: `code_len = size`) and the address it derives from the
//!   creator's nonce (CREATE) or salt and hash (CREATE2), which it checks was free, and
//!   replays the nonce bump (undone at `undo_end` under a failing frame) and the account
//!   (undone at `ctr_end` if the create failed, else at `undo_end` under a failing frame).
//!   A call into code a create under a failing frame deployed is not proven yet (the
//!   verifier refuses a statement whose targets include its address). The frame runs on that
//!   address (in `target`), not static, with no calldata (its CALLDATASIZE is 0, and its
//!   calldata copy in memory is never written: zeros);
//! - the result is the address (`success·target`), or 0 for a failed init code, whose
//!   effects roll back as a failing callee's do; the value is claimed as a transfer of kind
//!   `Create` (the verifier checks the balance covers it; the new account's emptiness costs
//!   nothing);
//! - the code a create deploys is what its init code RETURNs (`deposit = (success +
//!   deposit_fails)·out_size`, `deploys` when not empty): the row reads it from the init
//!   frame's memory after its last step (counters `ctr_stop …`, so `ctr_end = ctr_stop +
//!   deposit`; a create has no return window) as a KECCAK256 does, consumes its hash from
//!   [`crate::sponge::HASH`] and claims `(ctr, hash, deposit, refused)` on [`DEPLOYMENT`],
//!   which the verifier provides from the bytes the statement gives, with `refused` whether
//!   the EVM refuses them (EIP-170's size, EIP-3541's first byte; it checks the post-state's
//!   code too). The init frame's gas left pays 200 a byte (`left − 200·deposit` is
//!   range-checked, in [`col::DEPOSIT_MARGIN`]; the dynamic gas is `costs + fwd − left +
//!   200·deposit`), and the caller gets no return data (`out_size − deposit` on [`CALL_OP`]);
//! - the deposit fails (`deposit_fails`, on a row that `deploys`) on refused code, or when
//!   the gas left cannot pay for it (`200·deposit − left − 1` range-checked instead). The
//!   init frame's stop says success (`success + deposit_fails` on its STOP message), but the
//!   row's `success` is 0: the result is 0, the frame's effects roll back as a failing
//!   callee's (its `reverts′` and `revert_frame′` follow `success`), the claim says failure,
//!   all the frame's gas is spent (the dynamic gas is `costs + fwd`) and the caller gets no
//!   return data;
//! - a later call into that code finds it on [`CODE_OF`] with `since` the create's end, and
//!   shows its counter past it (`ctr − since` range-checked); a call into the address
//!   before then (the init code calling its own address, say) finds no code there, `before`
//!   that end (`since − ctr − 1` range-checked);
//! - a create whose value the caller's balance does not cover (`short`, as a call's) opens
//!   no frame, fails (result 0) and gets all its gas back; the EVM bumps no nonce and
//!   computes no address, so the row sends no access, hashes nothing and claims no creation
//!   (those multiplicities lose `short·creates`), only its transfer, kind `ShortCreate`
//!   (`3·short + 4·creates`), whose balance the verifier checks short of the value;
//! - a create whose address holds an account already (`collides`: code, a nonce or storage)
//!   opens no frame either: the EVM bumps the creator's nonce and warms the address, then
//!   fails, all the gas forwarded spent (`left = 0`). The row still reads and hashes the init
//!   window (CREATE2's address needs the hash; `ctr_end = ctr + n + size`), sends the access,
//!   and claims the creation with flag `8·collides`, code id 0 and the window's hash; the
//!   verifier derives the address as for any create and checks it taken, not free, and
//!   replays only the nonce bump;
//! - a create its caller cannot pay for (`halts`: the memory, EIP-3860's init code words,
//!   CREATE2's hashing) is a halting row as a call's is, except that the EVM halts before it
//!   computes the address: the row sends no access, hashes nothing and claims no creation
//!   (with a short one's, `(short + halts)·creates` leaves those multiplicities), its target
//!   is zero, and a value is claimed as kind `HaltedCreate` (`2·halts + 4·creates`), which
//!   moves nothing;
//! - not yet: a create past the depth limit (no frame opens; unreachable, as a call's). (One
//!   in a static frame halts there, a CPU static-write halt: no Call row.)
//!
//! Why callee frame ids `ctx′ = ctr + 1` are fresh. Every START message has one provider (the
//! verifier for the transaction's frame, a Call row for a callee), so each segment has one
//! parent. Within a segment counters never decrease, and a call row's next row starts at least
//! `n + 1` further on, after its callee's whole counter range `[ctr + n, ctr_end]`. A cycle of
//! segments each starting inside its parent's range would need a sum of positive counter
//! steps to vanish modulo p; with at most 2³⁰ rows each adding less than 2³³ that cannot
//! happen. So the parent links form a tree whose counter ranges nest, call counters are
//! distinct, every callee's ctx differs from every other's, and from the transaction's own
//! frame's, which the statement fixes to 0. (RW then gives each callee a fresh stack and
//! memory: a slot's first access must be a write, unwritten memory reads 0.)
//!
//! Calls nest: a callee's frame starts at its caller's depth plus one, and `1023 − depth` is
//! range-checked, so no frame runs deeper than the limit (1,024; the transaction's own frame
//! is at 0). A callee reads transaction-wide context values
//! from the verifier (its context steps are keyed apart, [`crate::cpu::CALLEE_CONTEXT`]) and
//! its ADDRESS, CALLER, CALLVALUE, CALLDATASIZE and CODESIZE from this row
//! ([`FRAME_CONTEXT_OPCODES`]), keyed by its frame id so no other frame's row can serve them.

use crate::account::ACCOUNT;
use crate::algebra::Algebra;
use crate::bus::{BusId, BusValues, Direction, Interaction, PublicMessage};
use crate::component::{padded_len, BoundaryValue, Component, Window};
use crate::copy::{self, COPY_OP, RETURN_COPY};
use crate::cpu::{CALLDATA_BASE, CALLEE_CONTEXT, CALLEE_FRAME_CONTEXT, CONTEXT, FRAME, LIMBS};
use crate::output::OUTPUT_OP;
use crate::registry::ComponentId;
use crate::rollback::ROLLBACK;
use crate::rw::{limbs, Access, Kind, RW};
use crate::sponge::HASH;
use crate::storage::{signed, ADDRESS_LIMBS};
use serde::{Deserialize, Serialize};
use zkevm_evm_spec::witness::Word;
use zkevm_field::Goldilocks;

/// Bus of call steps: `(ctr, ctx, sp, avail, opcode, static, dyn_gas, ctr_end, depth,
/// words, out_offset, out_size, reverts, revert_frame, halts, address₀…₄)`, provided by the
/// CPU and consumed here.
pub const CALL_OP: BusId = 47;
/// Fields of a [`CALL_OP`] message before the caller's account.
pub const CALL_FIELDS: usize = 15;
/// Bus of the codes the statement gives for call targets: `(address₀…₄, code_id, length,
/// since, before, delegated, delegate₀…₄)`, provided by the verifier, who checks each against
/// the pre-state (`since` and `before` 0), or, for an address a create of the transaction
/// deploys code at, against that code from the create's end (`since`), and no code (id 0)
/// before it (`before` 1); the length is the hashed code's, 0 for none. A call row shows its
/// counter is past `since`, or, with `before`, short of it. For a target delegated by
/// EIP-7702 (its pre-state code a designator naming the delegate, which the verifier
/// checks) `delegated` is 1 and the code is the delegate's pre-state code; for any other
/// the delegate fields are zero.
pub const CODE_OF: BusId = 48;
/// The fields of a [`CODE_OF`] message.
pub const CODE_OF_FIELDS: usize = 2 * ADDRESS_LIMBS + 5;
/// Bus of the codes the statement gives for EXTCODECOPY's addresses: `(address₀…₄, code_id,
/// length)`, provided by the verifier, who checks each against the pre-state. An account's
/// code is what EXTCODECOPY copies even where a call runs something else (a precompile's
/// logic, the code an EIP-7702 delegation designates), so these are kept apart from
/// [`CODE_OF`]: no call can take one.
pub const EXT_CODE_OF: BusId = 57;
/// The fields of an [`EXT_CODE_OF`] message.
pub const EXT_CODE_OF_FIELDS: usize = ADDRESS_LIMBS + 2;

/// Bus of value transfers: `(ctr, from₀…₄, to₀…₄, value₀…₇, fresh, kept, kind, end)`, one per
/// call or create moving value (consumed by its Call row, kind `Call`, `Halted`, `Short`,
/// `Create`, `ShortCreate` or `HaltedCreate`; `kept` is the callee's success and `end` its Call row's
/// `ctr_end`, or the failing frame's around it) and one per
/// SELFDESTRUCT (consumed by its CPU row, kind `Sweep`; `kept = 1 − reverts`, `end` the
/// failing frame's end the row takes into `B₀`, else its own counter), provided by the verifier from the
/// statement's [`Transfer`]s, which it replays against the state it knows
/// ([`TransferKind::code`] gives the field).
pub const TRANSFER: BusId = 52;
/// Fields of a [`TRANSFER`] message.
pub const TRANSFER_FIELDS: usize = 5 + 2 * ADDRESS_LIMBS + LIMBS;

/// Bus of creations: `(ctr, creator₀…₄, flags, salt₀…₇, init_hash₀…₇, code_id, size,
/// address₀…₄, ctr_end, undo_end)`, one per CREATE or CREATE2 (consumed by its row), provided
/// by the verifier from the statement's [`Creation`]s: it gives the init code's id and hash
/// from the statement's codes (a collided creation's: id 0 and the hash it carries), and
/// derives the address from the creator's nonce (CREATE) or the salt and hash (CREATE2).
/// `flags = is_create2 + 2·success + 4·undoes + 8·collides` ([`Creation::flags`]);
/// `undo_end` is the end of the failing frame the create ran under (`ctr_end` when none).
pub const CREATION: BusId = 55;
/// Fields of a [`CREATION`] message.
pub const CREATION_FIELDS: usize = 6 + 2 * ADDRESS_LIMBS + 2 * LIMBS;
/// Bus of deployed codes: `(ctr, hash₀…₇, size, refused)`, one per create whose init code
/// RETURNs code (consumed by its row), provided by the verifier from the code the
/// statement's [`Creation`] gives (`refused`: whether the EVM refuses it,
/// [`Creation::refused_code`]).
pub const DEPLOYMENT: BusId = 56;
/// Fields of a [`DEPLOYMENT`] message.
pub const DEPLOYMENT_FIELDS: usize = 3 + LIMBS;

/// The opcodes, in the order of their selector columns.
pub const CALL: u8 = 0xf1;
pub const CALLCODE: u8 = 0xf2;
pub const DELEGATECALL: u8 = 0xf4;
pub const STATICCALL: u8 = 0xfa;
pub const OPCODES: [u8; 4] = [CALL, CALLCODE, DELEGATECALL, STATICCALL];
/// The creating opcodes, in the order of their selector columns (after the calls').
pub const CREATE: u8 = 0xf0;
pub const CREATE2: u8 = 0xf5;
pub const CREATE_OPCODES: [u8; 2] = [CREATE, CREATE2];
/// The longest init code a create runs (EIP-3860: 2·24,576 bytes); a longer one halts its
/// caller (not proven yet).
pub const MAX_INIT_CODE_SIZE: u64 = 49_152;
/// What a create pays per word of init code (EIP-3860), and CREATE2 per word hashed for its
/// address besides.
pub const INIT_CODE_WORD_GAS: u64 = 2;
pub const CREATE2_HASH_WORD_GAS: u64 = 6;
/// What a create pays per byte of the code it deploys (its init frame's gas pays it).
pub const DEPOSIT_GAS_PER_BYTE: u64 = 200;
/// The longest code a create may deploy (EIP-170).
pub const MAX_CODE_SIZE: usize = 24_576;

/// Column indices.
pub mod col {
    use super::{ADDRESS_LIMBS, LIMBS};
    pub const LIVE: usize = 0;
    /// One-hot on live rows: the opcode is CALL, CALLCODE (7 operands, one of them the
    /// value), DELEGATECALL or STATICCALL (6).
    pub const IS_CALL: usize = 1;
    pub const IS_CALLCODE: usize = 2;
    pub const IS_DELEGATECALL: usize = 3;
    pub const IS_STATICCALL: usize = 4;
    pub const CTR: usize = 5;
    pub const CTX: usize = 6;
    pub const SP: usize = 7;
    /// The caller's gas less the opcode's static cost and the memory expansion's.
    pub const AVAIL: usize = 8;
    pub const CALLER_STATIC: usize = 9;
    pub const CTR_END: usize = 10;
    /// The caller's account, most significant limb first: CALLCODE's and DELEGATECALL's
    /// callee runs on it.
    pub const CALLER_ADDRESS: usize = 11;
    /// The requested gas, the target, the argument and return offsets: eight limbs each,
    /// least significant first.
    pub const GAS: usize = CALLER_ADDRESS + ADDRESS_LIMBS;
    pub const TARGET: usize = GAS + LIMBS;
    pub const ARGS_OFFSET: usize = TARGET + LIMBS;
    pub const RET_OFFSET: usize = ARGS_OFFSET + LIMBS;
    /// The account access's cost (0 or 2,500).
    pub const ACCESS: usize = RET_OFFSET + LIMBS;
    pub const CODE_ID: usize = ACCESS + 1;
    /// Gas the callee left, with the high half of its range check.
    pub const LEFT: usize = CODE_ID + 1;
    pub const LEFT_HI: usize = LEFT + 1;
    /// High half of `L = avail − access`.
    pub const AFTER_HI: usize = LEFT_HI + 1;
    /// `L = 64·quotient + remainder`, and the quotient's high half.
    pub const QUOTIENT: usize = AFTER_HI + 1;
    pub const QUOTIENT_HI: usize = QUOTIENT + 1;
    pub const REMAINDER: usize = QUOTIENT_HI + 1;
    /// The requested gas is 2³² or more (`big_inv` inverts its high limbs' sum).
    pub const BIG: usize = REMAINDER + 1;
    pub const BIG_INV: usize = BIG + 1;
    /// The cap is forwarded (the request is at least the cap).
    pub const CAPPED: usize = BIG_INV + 1;
    /// High half of the comparison's range-checked margin.
    pub const MARGIN_HI: usize = CAPPED + 1;
    /// The caller's call depth.
    pub const DEPTH: usize = MARGIN_HI + 1;
    /// The callee succeeded (the flag written); a failed one halted, and its stop message
    /// names the halting step's opcode.
    pub const SUCCESS: usize = DEPTH + 1;
    pub const HALT_OP: usize = SUCCESS + 1;
    /// The target has no code: no frame runs.
    pub const NO_CODE: usize = HALT_OP + 1;
    /// The Storage and Account rows a failing callee's end rolls back (its and its callees'
    /// accesses while it is the innermost failing frame, and the restore rows of frames
    /// failing inside it) or restores (its own restore rows), and the calls moving value,
    /// the creates ([`UNDOES`]) and the SELFDESTRUCTs it undoes, which take its end on bus
    /// [`crate::rollback::ROLLBACK`].
    pub const ROLLBACKS: usize = NO_CODE + 1;
    /// How often the callee ran ADDRESS, CALLER, CALLVALUE, CALLDATASIZE and CODESIZE
    /// ([`super::FRAME_CONTEXT_OPCODES`]): the row provides their values.
    pub const CONTEXT_READS: usize = ROLLBACKS + 1;
    /// The argument and return windows' sizes (single limbs: a window of 2³² bytes or more
    /// cannot be paid for), whether each is non-empty, and the sizes' inverses proving it.
    pub const ARGS_SIZE: usize = CONTEXT_READS + super::FRAME_CONTEXT_OPCODES.len();
    pub const RET_SIZE: usize = ARGS_SIZE + 1;
    pub const ARGS_NONZERO: usize = RET_SIZE + 1;
    pub const RET_NONZERO: usize = ARGS_NONZERO + 1;
    pub const ARGS_INV: usize = RET_NONZERO + 1;
    pub const RET_INV: usize = ARGS_INV + 1;
    /// The memory words the windows reach, `⌈max(args end, return end)/32⌉` (an empty
    /// window reaches nothing): the CPU grows the caller's memory to them.
    pub const WORDS: usize = RET_INV + 1;
    /// The argument window ends at or past the return window (exactly: see
    /// [`Windows::margin`]); the high half of the ends' range-checked margin.
    pub const ARGS_FURTHER: usize = WORDS + 1;
    pub const END_MARGIN_HI: usize = ARGS_FURTHER + 1;
    /// The counter after the callee's last step (its stop message's); the return copy's
    /// accesses follow, then the flag at `ctr_end`.
    pub const CTR_STOP: usize = END_MARGIN_HI + 1;
    /// The callee ended with RETURN or REVERT: its output's offset and size.
    pub const RETURNED: usize = CTR_STOP + 1;
    pub const OUT_OFFSET: usize = RETURNED + 1;
    pub const OUT_SIZE: usize = OUT_OFFSET + 1;
    /// The output is no longer than the return window (exactly: the margin's high half is
    /// range-checked with it), and the bytes copied, the lesser size.
    pub const OUT_SHORTER: usize = OUT_SIZE + 1;
    pub const COPY_MARGIN_HI: usize = OUT_SHORTER + 1;
    pub const COPIED: usize = COPY_MARGIN_HI + 1;
    /// Some bytes are copied (`copied·copied_inv = 1`): the row provides the return copy.
    pub const COPIES: usize = COPIED + 1;
    pub const COPIED_INV: usize = COPIES + 1;
    /// The caller is a callee itself (`depth ≠ 0`, `depth_inv` its inverse): its own CALLER
    /// and CALLVALUE are keyed by its frame id.
    pub const CALLER_IS_CALLEE: usize = COPIED_INV + 1;
    pub const DEPTH_INV: usize = CALLER_IS_CALLEE + 1;
    /// A DELEGATECALL's callee inherits its caller's CALLER (five limbs, most significant
    /// first) and CALLVALUE (eight, least significant first): the row takes them from the
    /// caller's context and serves them to the callee (zero on other rows).
    pub const INHERITED_CALLER: usize = DEPTH_INV + 1;
    pub const INHERITED_VALUE: usize = INHERITED_CALLER + ADDRESS_LIMBS;
    /// CALL's and CALLCODE's value operand (eight limbs, least significant first; zero on
    /// the other rows), whether it is not zero (`moves`, proven by `value_inv`, the inverse
    /// of its limbs' sum), and whether the CALL's target is an empty account (EIP-161) that
    /// the value would bring into being (`fresh`, 25,000 gas; the verifier checks it).
    pub const VALUE: usize = INHERITED_VALUE + LIMBS;
    pub const MOVES: usize = VALUE + LIMBS;
    pub const VALUE_INV: usize = MOVES + 1;
    pub const FRESH: usize = VALUE_INV + 1;
    /// The length of the code the callee runs (0 for none), from the statement: its CODESIZE.
    pub const CODE_LEN: usize = FRESH + 1;
    /// The caller's `reverts` and `revert_frame` registers: a failing frame's end undoes its
    /// effects, so the call's too (its access, its callee's).
    pub const CALLER_REVERTS: usize = CODE_LEN + 1;
    pub const CALLER_REVERT_FRAME: usize = CALLER_REVERTS + 1;
    /// The caller halts on this call: it cannot pay the call's costs (see the module docs).
    pub const HALTS: usize = CALLER_REVERT_FRAME + 1;
    /// The caller's balance does not cover the value: the call opens no frame and fails,
    /// all its gas back (a CALL, CALLCODE or create moving value).
    pub const SHORT: usize = HALTS + 1;
    /// The opcode is CREATE (3 operands: value, offset, size) or CREATE2 (4: and the salt);
    /// with the call selectors, one-hot on live rows.
    pub const IS_CREATE: usize = SHORT + 1;
    pub const IS_CREATE2: usize = IS_CREATE + 1;
    /// What the row pays before forwarding gas: a call's access and moving value's costs, a
    /// create's init code words (`Forwarding::costs_of`).
    pub const COSTS: usize = IS_CREATE2 + 1;
    /// A create's init code words, `⌈size/32⌉` (zero on call rows).
    pub const INIT_WORDS: usize = COSTS + 1;
    /// A create's init code hash, from the Sponge (eight limbs of the big-endian word, as
    /// the CPU writes words; zero on call rows).
    pub const INIT_HASH: usize = INIT_WORDS + 1;
    /// The code a create's init code RETURNs, to deploy: its size (`(success +
    /// deposit_fails)·out_size`), whether it is not empty (`deposit_inv` proving it), the high
    /// half of the deposit's gas margin ([`DEPOSIT_MARGIN`]), and its hash, from the Sponge
    /// (zero when none).
    pub const DEPOSIT: usize = INIT_HASH + LIMBS;
    pub const DEPLOYS: usize = DEPOSIT + 1;
    pub const DEPOSIT_INV: usize = DEPLOYS + 1;
    pub const DEPOSIT_MARGIN_HI: usize = DEPOSIT_INV + 1;
    pub const DEPLOYED_HASH: usize = DEPOSIT_MARGIN_HI + 1;
    /// The counter from which the target holds the code the row looks up: 0 for its code
    /// before the transaction, a create's end for code the transaction deployed there
    /// (`ctr − since` is range-checked, with its high half); zero on rows looking up none.
    pub const SINCE: usize = DEPLOYED_HASH + LIMBS;
    pub const SINCE_MARGIN_HI: usize = SINCE + 1;
    /// The target holds no code yet: a create of the transaction deploys code there at
    /// `since`, which the row shows is still ahead (`since − ctr − 1` is range-checked
    /// instead). The verifier's [`CODE_OF`] message gives the flag (1 only with no code, for
    /// an address a create deploys at), so it needs no check of its own here; zero on rows
    /// looking up none.
    pub const BEFORE: usize = SINCE_MARGIN_HI + 1;
    /// A create whose init code RETURNed code the EVM does not deploy (the create fails,
    /// spending all its gas): `refused` if the code breaks EIP-170's size or EIP-3541's first
    /// byte (the verifier says which on [`super::DEPLOYMENT`]), else because the gas left
    /// cannot pay 200 a byte.
    pub const DEPOSIT_FAILS: usize = BEFORE + 1;
    pub const REFUSED: usize = DEPOSIT_FAILS + 1;
    /// The deposit's gas margin, range-checked: `left − 200·deposit` when it is paid,
    /// `200·deposit − left − 1` when the gas falls short (zero otherwise).
    pub const DEPOSIT_MARGIN: usize = REFUSED + 1;
    /// A call moving value or a create under a failing frame (`caller_reverts·(moves·(1 −
    /// halts) + creates·(1 − moves))`): the innermost failing frame's end undoes its transfer
    /// (and a create's nonce bump and account). The row takes that frame's
    /// [`crate::rollback::ROLLBACK`] message, `(caller_revert_frame, undo_end,
    /// undo_outer_reverts, undo_outer_frame)`: its end, and the failing frame around it (which
    /// the row only matches). Elsewhere `undo_end = ctr_end` and the outer pair is zero.
    pub const UNDOES: usize = DEPOSIT_MARGIN + 1;
    pub const UNDO_END: usize = UNDOES + 1;
    pub const UNDO_OUTER_REVERTS: usize = UNDO_END + 1;
    pub const UNDO_OUTER_FRAME: usize = UNDO_OUTER_REVERTS + 1;
    /// A create whose address holds an account already (code, a nonce or storage): no frame
    /// opens, the creator's nonce is bumped, the address warmed, all the gas forwarded spent.
    pub const COLLIDES: usize = UNDO_OUTER_FRAME + 1;
    /// A CALL moving value in a static frame (`caller_static·is_call·moves`): it halts the
    /// caller (EIP-214), whatever its costs; the row claims one gas more than the step has
    /// left for them, so the CPU's shortfall check holds.
    pub const STATIC_HALT: usize = COLLIDES + 1;
    /// The target is delegated by EIP-7702 (only on a call that goes ahead, whose
    /// [`super::CODE_OF`] message says so): its callee runs the delegate's code, and the row
    /// pays for loading the delegate as revm does, [`super::DELEGATE_WARM_COST`] and
    /// [`DELEGATE_ACCESS`]'s cold surcharge.
    pub const DELEGATED: usize = STATIC_HALT + 1;
    /// The delegate's address, most significant limb first (zero when not delegated).
    pub const DELEGATE: usize = DELEGATED + 1;
    /// The delegate's access cost past the warm one: 0 or 2,500, as the Account component
    /// proves from the access the row sends it (zero when not delegated).
    pub const DELEGATE_ACCESS: usize = DELEGATE + ADDRESS_LIMBS;
    /// A create's cells under the calls' names: its init code window is the argument
    /// window, the new account is the target, CREATE2's salt is read into the return
    /// offset's cells (a create has no return window).
    pub const INIT_OFFSET: usize = ARGS_OFFSET;
    pub const INIT_SIZE: usize = ARGS_SIZE;
    pub const CREATED: usize = TARGET;
    pub const SALT: usize = RET_OFFSET;
}

/// The context opcodes whose value in a callee's frame its Call row provides on bus
/// [`CONTEXT`], keyed `opcode + CALLEE_CONTEXT + CALLEE_FRAME_CONTEXT·ctx′`: ADDRESS (the
/// account the callee runs on), CALLER (the caller's account; for DELEGATECALL the caller's
/// own CALLER), CALLVALUE (the value; for DELEGATECALL the caller's own), CALLDATASIZE (the
/// argument window's size) and CODESIZE (the length of the code it runs, the statement's). A DELEGATECALL row consumes what it forwards
/// (`inherited_caller`, `inherited_value`) from its caller's context, as many times as it
/// serves them: under the plain opcode, from the verifier, when the caller is the
/// transaction's frame (`depth = 0`), else under the caller's own key, from the caller's Call
/// row (which counts these uses with its callee's own).
pub const FRAME_CONTEXT_OPCODES: [u8; 5] = [0x30, 0x33, 0x34, 0x36, 0x38];

/// The deepest frame a call may open (EIP-150's call depth limit): a caller at this depth
/// fails its calls without opening a frame.
pub const DEPTH_LIMIT: u64 = 1024;

const COLUMN_NAMES: [&str; col::DELEGATE_ACCESS + 1] = [
    "live",
    "is_call",
    "is_callcode",
    "is_delegatecall",
    "is_staticcall",
    "ctr",
    "ctx",
    "sp",
    "avail",
    "caller_static",
    "ctr_end",
    "caller_address0",
    "caller_address1",
    "caller_address2",
    "caller_address3",
    "caller_address4",
    "gas0",
    "gas1",
    "gas2",
    "gas3",
    "gas4",
    "gas5",
    "gas6",
    "gas7",
    "target0",
    "target1",
    "target2",
    "target3",
    "target4",
    "target5",
    "target6",
    "target7",
    "args_offset0",
    "args_offset1",
    "args_offset2",
    "args_offset3",
    "args_offset4",
    "args_offset5",
    "args_offset6",
    "args_offset7",
    "ret_offset0",
    "ret_offset1",
    "ret_offset2",
    "ret_offset3",
    "ret_offset4",
    "ret_offset5",
    "ret_offset6",
    "ret_offset7",
    "access",
    "code_id",
    "left",
    "left_hi",
    "after_hi",
    "quotient",
    "quotient_hi",
    "remainder",
    "big",
    "big_inv",
    "capped",
    "margin_hi",
    "depth",
    "success",
    "halt_op",
    "no_code",
    "rollbacks",
    "address_reads",
    "caller_reads",
    "value_reads",
    "datasize_reads",
    "codesize_reads",
    "args_size",
    "ret_size",
    "args_nonzero",
    "ret_nonzero",
    "args_inv",
    "ret_inv",
    "words",
    "args_further",
    "end_margin_hi",
    "ctr_stop",
    "returned",
    "out_offset",
    "out_size",
    "out_shorter",
    "copy_margin_hi",
    "copied",
    "copies",
    "copied_inv",
    "caller_is_callee",
    "depth_inv",
    "inherited_caller0",
    "inherited_caller1",
    "inherited_caller2",
    "inherited_caller3",
    "inherited_caller4",
    "inherited_value0",
    "inherited_value1",
    "inherited_value2",
    "inherited_value3",
    "inherited_value4",
    "inherited_value5",
    "inherited_value6",
    "inherited_value7",
    "value0",
    "value1",
    "value2",
    "value3",
    "value4",
    "value5",
    "value6",
    "value7",
    "moves",
    "value_inv",
    "fresh",
    "code_len",
    "caller_reverts",
    "caller_revert_frame",
    "halts",
    "short",
    "is_create",
    "is_create2",
    "costs",
    "init_words",
    "init_hash0",
    "init_hash1",
    "init_hash2",
    "init_hash3",
    "init_hash4",
    "init_hash5",
    "init_hash6",
    "init_hash7",
    "deposit",
    "deploys",
    "deposit_inv",
    "deposit_margin_hi",
    "deployed_hash0",
    "deployed_hash1",
    "deployed_hash2",
    "deployed_hash3",
    "deployed_hash4",
    "deployed_hash5",
    "deployed_hash6",
    "deployed_hash7",
    "since",
    "since_margin_hi",
    "before",
    "deposit_fails",
    "refused",
    "deposit_margin",
    "undoes",
    "undo_end",
    "undo_outer_reverts",
    "undo_outer_frame",
    "collides",
    "static_halt",
    "delegated",
    "delegate0",
    "delegate1",
    "delegate2",
    "delegate3",
    "delegate4",
    "delegate_access",
];

/// EIP-150: a call forwards at most all but one 64th of the gas left after its own costs.
const GAS_SHARE_DIVISOR: u64 = 64;
/// What moving value costs a CALL or CALLCODE, and the stipend its callee gets on top of the
/// gas forwarded (the caller gets back what the callee leaves of both).
pub const VALUE_COST: u64 = 9_000;
pub const CALL_STIPEND: u64 = 2_300;
/// What a CALL moving value into an empty account costs besides (EIP-161).
pub const NEW_ACCOUNT_COST: u64 = 25_000;
/// What loading a delegated target's delegate costs when it is warm (EIP-7702: a warm
/// account read); a cold one costs [`crate::account::COLD_ACCOUNT_EXTRA`] more, which the
/// delegate's access proves.
pub const DELEGATE_WARM_COST: u64 = 100;

/// The terms of a row's gas rule.
struct Forwarding<V> {
    /// `L = avail − costs`.
    after: V,
    fwd: V,
    /// What the comparison range-checks (zero when the request is 2³² or more).
    margin: V,
}

impl<V: Algebra> Forwarding<V> {
    /// The costs the row pays before forwarding, kept in a column so that the terms below
    /// stay of low degree: [`Self::costs_of`].
    fn costs(r: &[V]) -> V {
        r[col::COSTS]
    }

    /// A call's costs are the account access, its delegate's (EIP-7702), and for moving
    /// value its cost and a new account's; a create's are its init code words (EIP-3860), and CREATE2's hashing of
    /// them (its access is free: it warms the new account, and moving value costs it
    /// nothing more).
    fn costs_of(r: &[V]) -> V {
        let calls = V::one() - creates(r);
        let delegate =
            r[col::DELEGATED] * V::from_u64(DELEGATE_WARM_COST) + r[col::DELEGATE_ACCESS];
        calls * (r[col::ACCESS] + r[col::MOVES] * V::from_u64(VALUE_COST) + delegate)
            + r[col::FRESH] * V::from_u64(NEW_ACCOUNT_COST)
            + r[col::INIT_WORDS]
                * (V::from_u64(INIT_CODE_WORD_GAS)
                    + r[col::IS_CREATE2] * V::from_u64(CREATE2_HASH_WORD_GAS))
    }

    /// The stipend a call's callee gets besides the gas forwarded (a create's gets none).
    fn stipend(r: &[V]) -> V {
        (V::one() - creates(r)) * r[col::MOVES] * V::from_u64(CALL_STIPEND)
    }

    fn of(r: &[V]) -> Self {
        let one = V::one();
        let after = r[col::AVAIL] - Self::costs(r);
        let cap = after - r[col::QUOTIENT];
        let (g, capped) = (r[col::GAS], r[col::CAPPED]);
        let fwd = capped * cap + (one - capped) * g;
        let diff = capped * (g - cap) + (one - capped) * (cap - g - one);
        Self {
            after,
            fwd,
            margin: (one - r[col::BIG]) * diff,
        }
    }
}

/// The memory windows of a row: where each ends (0 when empty), and the farther end.
struct Windows<V> {
    args_end: V,
    ret_end: V,
    /// `max(args_end, ret_end)`, as `args_further` picks it.
    end: V,
}

impl<V: Algebra> Windows<V> {
    fn of(r: &[V]) -> Self {
        let one = V::one();
        let args_end = r[col::ARGS_NONZERO] * r[col::ARGS_OFFSET] + r[col::ARGS_SIZE];
        let ret_end = r[col::RET_NONZERO] * r[col::RET_OFFSET] + r[col::RET_SIZE];
        let further = r[col::ARGS_FURTHER];
        Self {
            args_end,
            ret_end,
            end: further * args_end + (one - further) * ret_end,
        }
    }

    /// Range-checked, so `args_further` is exact: `args_end − ret_end` when the argument
    /// window reaches at least as far, `ret_end − args_end − 1` when not.
    fn margin(&self, r: &[V]) -> V {
        let one = V::one();
        let further = r[col::ARGS_FURTHER];
        let difference = self.args_end - self.ret_end;
        further * difference - (one - further) * (difference + one)
    }
}

/// CREATE or CREATE2.
fn creates<V: Algebra>(r: &[V]) -> V {
    r[col::IS_CREATE] + r[col::IS_CREATE2]
}

/// The operands the row reads: 7 for CALL and CALLCODE, 6 for DELEGATECALL and STATICCALL,
/// 3 for CREATE, 4 for CREATE2.
fn operand_count<V: Algebra>(r: &[V]) -> V {
    V::from_u64(6) + r[col::IS_CALL] + r[col::IS_CALLCODE] - creates(r) * V::from_u64(3)
        + r[col::IS_CREATE2]
}

/// The sum of a word's limbs above the first (each below 2³²: no wrap).
fn high_limbs<V: Algebra>(r: &[V], start: usize) -> V {
    (1..LIMBS).fold(V::zero(), |sum, i| sum + r[start + i])
}

/// The requested gas's limbs above the first, summed (each below 2³²: no wrap).
fn high_gas<V: Algebra>(r: &[V]) -> V {
    high_limbs(r, col::GAS)
}

/// The init frame's gas left after paying 200 a byte for the code it RETURNs (zero on
/// rows that deploy none).
fn deposit_paid<V: Algebra>(r: &[V]) -> V {
    r[col::LEFT] - r[col::DEPOSIT] * V::from_u64(DEPOSIT_GAS_PER_BYTE)
}

/// The target address's limbs, most significant first (the word's low five limbs).
fn target<V: Algebra>(r: &[V]) -> [V; ADDRESS_LIMBS] {
    std::array::from_fn(|j| r[col::TARGET + ADDRESS_LIMBS - 1 - j])
}

fn word<V: Algebra>(r: &[V], start: usize) -> &[V] {
    &r[start..start + LIMBS]
}

/// What a create row must be besides a call's (see the module docs), and what a call row
/// leaves zero; [`create_check_degrees`] gives their degrees.
fn create_checks<V: Algebra>(r: &[V]) -> Vec<V> {
    let one = V::one();
    let creates = creates(r);
    let calls = one - creates;
    let fails = r[col::DEPOSIT_FAILS];
    let deposit_paid = deposit_paid(r);
    let flags = [col::IS_CREATE, col::IS_CREATE2].map(|c| r[c].booleanity());
    let rules = [
        r[col::COSTS] - Forwarding::costs_of(r),
        // All but a 64th of the gas goes: a create requests 2³², more than any cap.
        creates * (one - r[col::CAPPED]),
        // No return window, not from a static frame (the caller halts there), and it starts
        // its frame unless it halts on its costs, is short of its value or collides: no
        // codeless row.
        // (Under a failing frame its claim says where that frame's end undoes it: `undoes`.)
        creates * r[col::RET_SIZE],
        creates * r[col::CALLER_STATIC],
        creates * r[col::NO_CODE],
        // Its frame runs the init code, the window's bytes (unless it halts on its costs, is
        // short of its value or collides: no frame).
        (creates * (one - r[col::SHORT] - r[col::HALTS]) - r[col::COLLIDES])
            * (r[col::CODE_LEN] - r[col::INIT_SIZE]),
        // A create whose init code RETURNs deploys it (`deploys` when not empty), or fails
        // there (`deposit_fails`: only then, on a create's row, its init frame's stop then
        // says success, its `success` is 0); code the verifier says the EVM refuses fails.
        r[col::DEPOSIT] - creates * (r[col::SUCCESS] + fails) * r[col::OUT_SIZE],
        r[col::DEPLOYS].booleanity(),
        r[col::DEPOSIT] * r[col::DEPOSIT_INV] - r[col::DEPLOYS],
        (one - r[col::DEPLOYS]) * r[col::DEPOSIT],
        (one - r[col::DEPLOYS]) * r[col::DEPOSIT_INV],
        (one - r[col::DEPLOYS] + r[col::REFUSED]) * r[col::DEPOSIT_MARGIN_HI],
        fails.booleanity(),
        fails * (one - r[col::DEPLOYS]),
        fails * r[col::SUCCESS],
        r[col::REFUSED].booleanity(),
        r[col::REFUSED] * (one - fails),
        // Its margin: the gas left pays 200 a byte, or (failing, not refused) does not.
        r[col::DEPOSIT_MARGIN] - (r[col::DEPLOYS] - fails) * deposit_paid
            + (fails - r[col::REFUSED]) * (deposit_paid + one),
        (one - r[col::DEPLOYS] + r[col::REFUSED]) * r[col::DEPOSIT_MARGIN],
        // The new account is an address: the word it pushes has no higher limbs.
        creates * r[col::CREATED + 5],
        creates * r[col::CREATED + 6],
        creates * r[col::CREATED + 7],
    ];
    let request = (0..LIMBS).map(|i| {
        let limb = if i == 1 { one } else { V::zero() };
        creates * (r[col::GAS + i] - limb)
    });
    let unused = (0..1 + LIMBS).map(|i| calls * r[col::INIT_WORDS + i]);
    let undeployed = (0..LIMBS).map(|i| (one - r[col::DEPLOYS]) * r[col::DEPLOYED_HASH + i]);
    // A CREATE has no salt; a create short of its value or halting on its costs hashes
    // nothing and computes no address (those cells feed nothing there).
    let no_salt = (0..LIMBS).map(|i| r[col::IS_CREATE] * r[col::SALT + i]);
    let frameless_call = r[col::SHORT] + r[col::HALTS];
    let unclaimed = frameless_call * creates;
    let unhashed = (0..LIMBS).map(|i| frameless_call * r[col::INIT_HASH + i]);
    let no_address = (0..ADDRESS_LIMBS).map(|i| unclaimed * r[col::CREATED + i]);
    let no_access = unclaimed * r[col::ACCESS];
    // (Rows looking up code are `live − halts − short − creates + (short + halts)·creates`, a
    // flag; the others have no `since`.)
    let no_lookup = one - r[col::LIVE] + r[col::HALTS] + r[col::SHORT] + creates - unclaimed;
    let no_since = [col::SINCE, col::SINCE_MARGIN_HI, col::BEFORE].map(|c| no_lookup * r[c]);
    (flags.into_iter().chain(rules).chain(request).chain(unused))
        .chain(undeployed)
        .chain(no_since)
        .chain(no_salt)
        .chain(unhashed)
        .chain(no_address)
        .chain([no_access])
        .collect()
}

/// The degrees of [`create_checks`].
fn create_check_degrees() -> Vec<usize> {
    let mut degrees = vec![2, 2, 2, 2, 2, 2, 2, 3, 3, 2, 2, 2, 2, 2];
    degrees.extend([2; 10]);
    degrees.extend([2; LIMBS]);
    degrees.extend([2; 1 + LIMBS]);
    degrees.extend([2; LIMBS]);
    degrees.extend([3, 3, 3]);
    degrees.extend([2; 2 * LIMBS]);
    degrees.extend([3; ADDRESS_LIMBS + 1]);
    degrees
}

/// The calls of a block.
#[derive(Debug, Default, Clone, Copy)]
pub struct Call;

impl Component for Call {
    const ID: ComponentId = ComponentId::Call;
    const NAME: &'static str = "call";
    const COLUMNS: &'static [&'static str] = &COLUMN_NAMES;

    fn transition_degrees(&self) -> Vec<usize> {
        vec![2]
    }

    fn eval_transition<V: Algebra>(&self, w: &Window<'_, V>, out: &mut [V]) {
        // Live rows form a prefix.
        out[0] = (V::one() - w.current[col::LIVE]) * w.next[col::LIVE];
    }

    fn row_degrees(&self) -> Vec<usize> {
        let mut degrees = vec![
            2, 2, 2, 2, 2, 1, 2, 2, 3, 2, 2, 2, 2, 2, 2, 2, 2, 3, 2, 2, 2, 2, 2, 2, 2,
        ];
        degrees.extend([2; FRAME_CONTEXT_OPCODES.len()]); // context reads only on live rows
        degrees.extend([2; 10]); // the windows
        degrees.extend([2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 1, 2]); // the return copy
        degrees.push(2); // the caller's inverse depth only where it is a callee
        degrees.extend([2; ADDRESS_LIMBS + LIMBS]); // inherited values only for DELEGATECALL
        degrees.extend([2; LIMBS]); // a value only for CALL and CALLCODE
        degrees.extend([2, 2, 2, 2, 2, 2, 3]); // moves, fresh, no value from a static frame
        degrees.extend([3, 2, 2, 2]); // under a failing frame value moves until its end
        degrees.extend([2, 2, 2, 2, 3, 2, 3]); // a halting row (a static CALL moving value)
        degrees.extend([2; 6]); // and the cells it leaves unused
        degrees.extend([2; 7]); // a short row
        degrees.push(3); // all its gas back
        degrees.extend([2; 7]); // a colliding create
        degrees.extend([2; 5]); // each opens no frame
        degrees.extend(create_check_degrees());
        degrees.extend([2; 3 + ADDRESS_LIMBS]); // a delegation only where code is looked up
        degrees
    }

    fn eval_row<V: Algebra>(&self, r: &[V], out: &mut [V]) {
        let one = V::one();
        let (live, big, capped) = (r[col::LIVE], r[col::BIG], r[col::CAPPED]);
        let f = Forwarding::of(r);
        out[0] = live.booleanity();
        let mut kinds = V::zero();
        for k in 0..OPCODES.len() {
            out[1 + k] = r[col::IS_CALL + k].booleanity();
            kinds = kinds + r[col::IS_CALL + k];
        }
        out[5] = kinds + creates(r) - live;
        out[6] = big.booleanity();
        // big = [high limbs ≠ 0].
        out[7] = (one - big) * high_gas(r);
        out[8] = big * (one - high_gas(r) * r[col::BIG_INV]);
        out[9] = (one - big) * r[col::BIG_INV];
        out[10] = capped.booleanity();
        // A request of 2³² or more is capped.
        out[11] = big * (one - capped);
        // (A halting row has no `L` to divide: the caller cannot pay the costs.)
        let halts = r[col::HALTS];
        out[12] = (one - halts)
            * (f.after - r[col::QUOTIENT] * V::from_u64(GAS_SHARE_DIVISOR) - r[col::REMAINDER]);
        out[13] = r[col::SUCCESS].booleanity();
        // A call into no code: what its stop would have said.
        let no_code = r[col::NO_CODE];
        let operands = operand_count(r);
        out[14] = no_code.booleanity();
        out[15] = no_code * (one - live);
        out[16] = no_code * r[col::CODE_ID];
        out[17] = no_code * (r[col::LEFT] - f.fwd - Forwarding::stipend(r));
        out[18] = no_code * (one - r[col::SUCCESS]);
        out[19] = no_code * r[col::HALT_OP];
        let copying = r[col::ARGS_SIZE] + r[col::ARGS_SIZE];
        out[20] = no_code * (r[col::CTR_END] - r[col::CTR] - operands - copying);
        // Only a failed callee's slots are rolled back.
        out[21] = r[col::SUCCESS] * r[col::ROLLBACKS];
        // The caller is a callee iff its depth is not zero (the transaction's frame is at 0).
        let (depth, is_callee) = (r[col::DEPTH], r[col::CALLER_IS_CALLEE]);
        out[22] = depth * r[col::DEPTH_INV] - is_callee;
        out[23] = (one - is_callee) * depth;
        // Padding rows provide nothing: every multiplicity above is a live row's.
        out[24] = (one - live) * r[col::ROLLBACKS];
        for k in 0..FRAME_CONTEXT_OPCODES.len() {
            out[25 + k] = (one - live) * r[col::CONTEXT_READS + k];
        }
        // A window is non-empty iff its size has an inverse; a non-empty one's offset is a
        // single limb (a larger one cannot be paid for).
        let mut at = 25 + FRAME_CONTEXT_OPCODES.len();
        for (size, nonzero, inv, offset) in [
            (
                col::ARGS_SIZE,
                col::ARGS_NONZERO,
                col::ARGS_INV,
                col::ARGS_OFFSET,
            ),
            (
                col::RET_SIZE,
                col::RET_NONZERO,
                col::RET_INV,
                col::RET_OFFSET,
            ),
        ] {
            out[at] = r[size] * r[inv] - r[nonzero];
            out[at + 1] = (one - r[nonzero]) * r[size];
            out[at + 2] = (one - r[nonzero]) * r[inv];
            out[at + 3] = r[nonzero] * high_limbs(r, offset);
            at += 4;
        }
        out[at] = r[col::ARGS_FURTHER].booleanity();
        // A padding row copies no arguments (its message would write any frame's calldata).
        at += 1;
        out[at] = (one - live) * r[col::ARGS_NONZERO];
        // The return copy: only from a callee that returned (a live row's, with code), of
        // `min(output, window)` bytes, provided when not empty; its accesses come between
        // the callee's last step and the flag.
        let (returned, shorter) = (r[col::RETURNED], r[col::OUT_SHORTER]);
        let (copied, copies, inv) = (r[col::COPIED], r[col::COPIES], r[col::COPIED_INV]);
        let copy_checks = [
            returned.booleanity(),
            (one - live) * returned,
            no_code * returned,
            (one - returned) * r[col::OUT_SIZE],
            (one - returned) * r[col::OUT_OFFSET],
            shorter.booleanity(),
            copied - shorter * r[col::OUT_SIZE] - (one - shorter) * r[col::RET_SIZE],
            copied * inv - copies,
            (one - copies) * copied,
            (one - copies) * inv,
            // (After the return copy, or the deployed code's hash reads.)
            r[col::CTR_END] - r[col::CTR_STOP] - copied - copied - r[col::DEPOSIT],
            (one - live) * copies,
        ];
        for (k, value) in copy_checks.into_iter().enumerate() {
            out[at + 1 + k] = value;
        }
        at += 1 + 12;
        out[at] = (one - is_callee) * r[col::DEPTH_INV];
        // Only a DELEGATECALL inherits.
        let inherits = r[col::IS_DELEGATECALL];
        for k in 0..ADDRESS_LIMBS + LIMBS {
            out[at + 1 + k] = (one - inherits) * r[col::INHERITED_CALLER + k];
        }
        at += 1 + ADDRESS_LIMBS + LIMBS;
        // Only CALL, CALLCODE and the creates have a value; it moves iff its limbs' sum
        // (below 2³⁵: no wrap) is not zero.
        let has_value = r[col::IS_CALL] + r[col::IS_CALLCODE] + creates(r);
        for k in 0..LIMBS {
            out[at + k] = (one - has_value) * r[col::VALUE + k];
        }
        at += LIMBS;
        let (moves, fresh, short) = (r[col::MOVES], r[col::FRESH], r[col::SHORT]);
        let sum = r[col::VALUE] + high_limbs(r, col::VALUE);
        let value_checks = [
            sum * r[col::VALUE_INV] - moves,
            (one - moves) * sum,
            (one - moves) * r[col::VALUE_INV],
            fresh.booleanity(),
            // Only a CALL moving value creates its target (CALLCODE's is the caller's own).
            fresh * (one - r[col::IS_CALL]),
            fresh * (one - moves),
            // A static frame moves no value: such a CALL halts instead (`static_halt`).
            r[col::STATIC_HALT] - r[col::CALLER_STATIC] * r[col::IS_CALL] * moves,
            // Under a failing frame a call moving value (a halting one moves none) and a
            // create are undone at that frame's end, which the row takes from its Call row (a
            // halting create moving no value takes it too; its claims never use it).
            r[col::UNDOES]
                - r[col::CALLER_REVERTS] * (moves * (one - halts) + creates(r) * (one - moves)),
            (one - r[col::UNDOES]) * (r[col::UNDO_END] - r[col::CTR_END]),
            (one - r[col::UNDOES]) * r[col::UNDO_OUTER_REVERTS],
            (one - r[col::UNDOES]) * r[col::UNDO_OUTER_FRAME],
        ];
        // A halting row opens no frame, writes no flag and hands nothing back; its counter
        // range is the operand reads; it charges only its costs (`left = fwd`, so the dynamic
        // gas is `costs`), a new account's only as its transfer claim says (`Halted`), unless
        // it is a static halt (one gas more than the step has).
        let static_halt = r[col::STATIC_HALT];
        let halting_checks = [
            halts.booleanity(),
            halts * (one - live),
            halts * no_code,
            // (`success` as for a call into no code: nothing fails but the caller, so
            // `success·rollbacks = 0` leaves nothing to roll back.)
            halts * (one - r[col::SUCCESS]),
            (halts - static_halt) * (r[col::LEFT] - f.fwd),
            // A static frame's CALL moving value halts whatever it costs: `left` makes its
            // dynamic gas `costs + fwd − left` one more than the step has after its static
            // cost and memory expansion (`avail`), so the CPU's shortfall check holds.
            static_halt * (one - halts),
            static_halt * (Forwarding::costs(r) + f.fwd - r[col::LEFT] - r[col::AVAIL] - one),
        ];
        // What a halting row leaves unused is zero: the halves and quotient of the checks it
        // skips.
        let unused = [
            col::LEFT_HI,
            col::AFTER_HI,
            col::QUOTIENT,
            col::QUOTIENT_HI,
            col::REMAINDER,
            col::MARGIN_HI,
        ];
        let halting_checks = halting_checks
            .into_iter()
            .chain(unused.map(|c| halts * r[c]));
        // A short row (a balance short of the value) opens no frame and fails: flag 0 (a
        // create's result 0), all the gas forwarded back, nothing handed back or rolled back;
        // only a call or create moving value is short (its transfer claim has the verifier
        // check the balance).
        let short_checks = [
            short.booleanity(),
            short * (one - moves),
            // (A CALL's or CALLCODE's: the verifier refuses a CALL's delegated target, and a
            // CALLCODE's claim, from the caller to itself, where any account is delegated.)
            short * (one - r[col::IS_CALL] - r[col::IS_CALLCODE] - creates(r)),
            short * halts,
            short * no_code,
            short * r[col::SUCCESS],
            short * r[col::ROLLBACKS],
            short * (r[col::LEFT] - f.fwd - Forwarding::stipend(r)),
        ];
        // A create colliding with an account opens no frame either: it fails, and spends all
        // the gas forwarded.
        let collides = r[col::COLLIDES];
        let collision_checks = [
            collides.booleanity(),
            collides * (one - creates(r)),
            collides * short,
            collides * halts,
            collides * r[col::SUCCESS],
            collides * r[col::ROLLBACKS],
            collides * r[col::LEFT],
        ];
        // Each opens no frame (`short·halts`, `collides·short` and `collides·halts` are zero,
        // so the sum is a flag): its counter range is the operand reads (a collision's and the
        // init window's, which it hashes for its address), it hands nothing back, and the
        // target's code and the callee's halt are zero.
        let frameless = halts + short + collides;
        let frameless_checks = [
            frameless * returned,
            frameless * (r[col::CTR_END] - r[col::CTR] - operands) - collides * r[col::INIT_SIZE],
        ]
        .into_iter()
        .chain([col::HALT_OP, col::CODE_ID, col::CODE_LEN].map(|c| frameless * r[c]));
        // Only a call that goes ahead runs a delegate's code: the verifier's CODE_OF message
        // for its target says whether, and which. (A halting row claims no delegation: its
        // costs are then at most what the EVM charges, so the halt it proves is the EVM's. A
        // short one's is not proven yet; the builder says so.) Elsewhere the delegate's cells
        // are zero.
        let delegated = r[col::DELEGATED];
        let not_delegated = one - delegated;
        let delegation_checks = [
            delegated.booleanity(),
            delegated * (one - live + halts + short + creates(r)),
            not_delegated * r[col::DELEGATE_ACCESS],
        ]
        .into_iter()
        .chain((0..ADDRESS_LIMBS).map(|j| not_delegated * r[col::DELEGATE + j]));
        let checks = (value_checks.into_iter())
            .chain(halting_checks)
            .chain(short_checks)
            .chain(collision_checks)
            .chain(frameless_checks)
            .chain(create_checks(r))
            .chain(delegation_checks);
        for (k, value) in checks.enumerate() {
            out[at + k] = value;
        }
    }

    fn boundary(&self) -> Vec<BoundaryValue> {
        vec![BoundaryValue::last(col::LIVE, 0)]
    }

    fn interactions(&self) -> Vec<Interaction> {
        let rw = |multiplicity_degree, field_degree| Interaction {
            multiplicity_degree,
            field_degree,
            ..Interaction::linear(RW, Direction::Provide, 5 + LIMBS)
        };
        let range = |field_degree| Interaction {
            field_degree,
            ..crate::range::lookup()
        };
        let mut shapes = vec![
            Interaction {
                field_degree: 2,
                ..Interaction::linear(CALL_OP, Direction::Consume, CALL_FIELDS + ADDRESS_LIMBS)
            },
            rw(1, 1),
            rw(1, 1),
            rw(1, 1),
            rw(1, 1),
            rw(1, 1),
            rw(1, 1),
            rw(1, 1),
            // (The result: a flag, or a create's address.)
            rw(1, 3),
            Interaction {
                multiplicity_degree: 2,
                ..Interaction::linear(ACCOUNT, Direction::Provide, crate::account::ACCOUNT_FIELDS)
            },
            Interaction {
                multiplicity_degree: 2,
                ..Interaction::linear(CODE_OF, Direction::Consume, CODE_OF_FIELDS)
            },
            Interaction {
                field_degree: 2,
                ..Interaction::linear(FRAME, Direction::Provide, crate::cpu::START_FIELDS)
            },
            Interaction::linear(FRAME, Direction::Provide, 7),
        ];
        shapes.extend([range(1), range(1), range(1), range(1), range(1)]);
        shapes.extend([range(3), range(1), range(1), range(1), range(1)]);
        shapes.push(Interaction::linear(ROLLBACK, Direction::Provide, 4));
        for _ in FRAME_CONTEXT_OPCODES {
            shapes.push(Interaction {
                field_degree: 2,
                ..Interaction::linear(CONTEXT, Direction::Provide, 1 + LIMBS)
            });
        }
        shapes.extend([range(3), range(3), range(1)]);
        shapes.extend([
            Interaction::linear(OUTPUT_OP, Direction::Consume, 4),
            range(2),
            range(1),
            Interaction::linear(RETURN_COPY, Direction::Provide, 6),
            Interaction {
                multiplicity_degree: 3,
                ..Interaction::linear(RETURN_COPY, Direction::Provide, 6)
            },
        ]);
        for _ in 0..2 {
            shapes.push(Interaction {
                multiplicity_degree: 2,
                ..Interaction::linear(CONTEXT, Direction::Consume, 1 + LIMBS)
            });
        }
        shapes.push(Interaction {
            field_degree: 2,
            ..Interaction::linear(TRANSFER, Direction::Consume, TRANSFER_FIELDS)
        });
        // (A create short of its value or halting on its costs hashes nothing and claims no
        // creation, and no create looks up code: these multiplicities lose `(short +
        // halts)·creates`, of degree 2.)
        let quadratic_multiplicity = |interaction| Interaction {
            multiplicity_degree: 2,
            ..interaction
        };
        shapes.extend([
            quadratic_multiplicity(Interaction::linear(COPY_OP, Direction::Provide, 6)),
            quadratic_multiplicity(Interaction::linear(HASH, Direction::Consume, 1 + LIMBS)),
            quadratic_multiplicity(Interaction::linear(
                CREATION,
                Direction::Consume,
                CREATION_FIELDS,
            )),
            range(1),
            range(1),
            range(1),
            Interaction::linear(COPY_OP, Direction::Provide, 6),
            Interaction::linear(HASH, Direction::Consume, 1 + LIMBS),
            Interaction::linear(DEPLOYMENT, Direction::Consume, DEPLOYMENT_FIELDS),
            range(1),
            range(1),
            quadratic_multiplicity(range(2)),
            quadratic_multiplicity(range(1)),
            Interaction::linear(crate::rollback::ROLLBACK, Direction::Consume, 4),
            Interaction::linear(ACCOUNT, Direction::Provide, crate::account::ACCOUNT_FIELDS),
        ]);
        shapes
    }

    fn eval_interactions<V: Algebra>(&self, r: &[V], out: &mut [BusValues<V>]) {
        let one = V::one();
        let live = r[col::LIVE];
        // CALL and CALLCODE have a value operand.
        let is_call = r[col::IS_CALL] + r[col::IS_CALLCODE];
        let (ctr, ctx, sp) = (r[col::CTR], r[col::CTX], r[col::SP]);
        let f = Forwarding::of(r);
        let creates = creates(r);
        let operands = operand_count(r);
        let left = r[col::LEFT];
        let selected = (OPCODES.iter().enumerate()).map(|(k, &op)| (col::IS_CALL + k, op));
        let selected = selected.chain([(col::IS_CREATE, CREATE), (col::IS_CREATE2, CREATE2)]);
        let opcode = selected.fold(V::zero(), |sum, (c, op)| {
            sum + r[c] * V::from_u64(op as u64)
        });
        let caller_address = &r[col::CALLER_ADDRESS..col::CALLER_ADDRESS + ADDRESS_LIMBS];
        out[0].set_parts(
            live,
            &[
                &[
                    ctr,
                    ctx,
                    sp,
                    r[col::AVAIL],
                    opcode,
                    r[col::CALLER_STATIC],
                    // (A deposit comes out of the init frame's gas; a failing one takes it
                    // all.)
                    Forwarding::costs(r) + f.fwd - (one - r[col::DEPOSIT_FAILS]) * deposit_paid(r),
                    r[col::CTR_END],
                    r[col::DEPTH],
                    r[col::WORDS],
                    r[col::OUT_OFFSET],
                    // (A create whose init code RETURNs leaves no return data: its output is
                    // its code, deployed or not.)
                    r[col::OUT_SIZE] - r[col::DEPOSIT],
                    r[col::CALLER_REVERTS],
                    r[col::CALLER_REVERT_FRAME],
                    r[col::HALTS],
                ],
                caller_address,
            ],
        );
        // The operand reads: operand k at counter ctr + k, slot sp − 1 − k; STATICCALL has no
        // value, so the operands after the target come one place earlier. A create reads
        // its value, init window and (CREATE2) salt: no gas, target or return window.
        let stack = V::from_u64(Kind::Stack as u64);
        let read = |k: V, value: &[V], out: &mut BusValues<V>, multiplicity: V| {
            out.set_parts(
                multiplicity,
                &[&[ctr + k, stack, ctx, sp - one - k, V::zero()], value],
            );
        };
        let k = |n: u64| V::from_u64(n);
        let calls = live - creates;
        read(k(0), word(r, col::GAS), &mut out[1], calls);
        read(k(1), word(r, col::TARGET), &mut out[2], calls);
        let value_at = k(2) - creates * k(2);
        read(
            value_at,
            word(r, col::VALUE),
            &mut out[3],
            is_call + creates,
        );
        let window_at = k(2) + is_call - creates;
        read(window_at, word(r, col::ARGS_OFFSET), &mut out[4], live);
        let single = |c: usize| -> [V; LIMBS] {
            std::array::from_fn(|i| if i == 0 { r[c] } else { V::zero() })
        };
        let (args_size, ret_size) = (single(col::ARGS_SIZE), single(col::RET_SIZE));
        read(window_at + one, &args_size, &mut out[5], live);
        let salt_reads = live - r[col::IS_CREATE];
        read(
            window_at + k(2),
            word(r, col::RET_OFFSET),
            &mut out[6],
            salt_reads,
        );
        read(window_at + k(3), &ret_size, &mut out[7], calls);
        let success = r[col::SUCCESS];
        let halts = r[col::HALTS];
        // Calls that go ahead: all but a halting row's.
        let proceeds = live - halts;
        // A call's result is its flag; a create's the new account's address, or 0.
        let result: [V; LIMBS] = std::array::from_fn(|i| {
            let call_flag = if i == 0 { one - creates } else { V::zero() };
            success * (call_flag + creates * r[col::CREATED + i])
        });
        out[8].set_parts(
            proceeds,
            &[&[r[col::CTR_END], stack, ctx, sp - operands, one], &result],
        );
        let address = target(r);
        let (caller_reverts, caller_frame) = (r[col::CALLER_REVERTS], r[col::CALLER_REVERT_FRAME]);
        // A create short of its value or halting on its costs opens no frame and computes no
        // address: it warms none.
        let short = r[col::SHORT];
        let unclaimed = (short + halts) * creates;
        out[9].set_parts(
            live - unclaimed,
            &[
                &[ctr],
                &address,
                &[r[col::ACCESS], caller_frame, caller_reverts],
            ],
        );
        // A short call looks up no code and runs none; a create runs its init code, which
        // its claim names (one short of its value runs nothing).
        let looks_up = proceeds - short - creates + unclaimed;
        let delegate = &r[col::DELEGATE..col::DELEGATE + ADDRESS_LIMBS];
        out[10].set_parts(
            looks_up,
            &[
                &address,
                &[
                    r[col::CODE_ID],
                    r[col::CODE_LEN],
                    r[col::SINCE],
                    r[col::BEFORE],
                    r[col::DELEGATED],
                ],
                delegate,
            ],
        );
        let callee = ctr + one;
        let runs = proceeds - short - r[col::NO_CODE] - r[col::COLLIDES];
        let caller_static = r[col::CALLER_STATIC];
        let callee_static = caller_static + r[col::IS_STATICCALL] * (one - caller_static);
        // CALLCODE and DELEGATECALL run the target's code on the caller's account.
        let keeps_account = r[col::IS_CALLCODE] + r[col::IS_DELEGATECALL];
        let account: [V; ADDRESS_LIMBS] =
            std::array::from_fn(|j| address[j] + keeps_account * (caller_address[j] - address[j]));
        out[11].set_parts(
            runs,
            &[
                &[
                    V::zero(),
                    callee,
                    r[col::CODE_ID],
                    f.fwd + Forwarding::stipend(r),
                    // (After the calldata copy's reads and writes, or the init code's reads.)
                    ctr + operands + (V::from_u64(2) - creates) * r[col::ARGS_SIZE],
                    V::zero(),
                    callee_static,
                    r[col::DEPTH] + one,
                    // The callee's effects are undone if it fails or if its caller's are; the
                    // innermost failing frame's end undoes them first: its own, or its
                    // caller's `revert_frame` (0 where `reverts` is: so from the verifier's
                    // frame on).
                    one - success * (one - caller_reverts),
                    success * caller_frame + (one - success) * callee,
                ],
                &account,
            ],
        );
        out[12].set(
            runs,
            &[
                one,
                callee,
                r[col::CODE_ID],
                left,
                // (A create whose deposit fails ended its init code with success.)
                success + r[col::DEPOSIT_FAILS],
                r[col::HALT_OP],
                r[col::CTR_STOP],
            ],
        );
        let half = V::from_u64(1 << 16);
        let checks = [
            f.after - r[col::AFTER_HI] * half,
            r[col::AFTER_HI],
            // rem < 64 and the quotient below 2²⁶.
            r[col::REMAINDER] * V::from_u64(1 << 10),
            r[col::QUOTIENT] - r[col::QUOTIENT_HI] * half,
            r[col::QUOTIENT_HI] * V::from_u64(1 << 6),
            f.margin - r[col::MARGIN_HI] * half,
            r[col::MARGIN_HI],
            left - r[col::LEFT_HI] * half,
            r[col::LEFT_HI],
            // The caller is below the depth limit, so its callee is at most at it.
            V::from_u64(DEPTH_LIMIT - 1) - r[col::DEPTH],
        ];
        for (slot, value) in out[13..23].iter_mut().zip(checks) {
            slot.set(proceeds, &[value]);
        }
        // `words = ⌈end/32⌉` (the CPU range-checks `words` to 16 bits, so the remainder,
        // times 2¹¹ below 2¹⁶, is below 32), and `end` is the farther window's end (the
        // difference is below 2³²: the nearer end is not past it).
        let windows = Windows::of(r);
        let margin = windows.margin(r);
        let remainder = r[col::WORDS] * V::from_u64(32) - windows.end;
        let window_checks = [
            remainder * V::from_u64(1 << 11),
            margin - r[col::END_MARGIN_HI] * half,
            r[col::END_MARGIN_HI],
        ];
        let first = 24 + FRAME_CONTEXT_OPCODES.len();
        for (slot, value) in out[first..first + 3].iter_mut().zip(window_checks) {
            slot.set(live, &[value]);
        }
        // The callee's output (its RETURN or REVERT's message, keyed by its frame id), and
        // the copy of its first `copied` bytes into the return window, read after its last
        // step (`ctr_stop`); `copied` is the lesser size: `ret_size − out_size` or
        // `out_size − ret_size − 1` is range-checked.
        let (out_offset, out_size) = (r[col::OUT_OFFSET], r[col::OUT_SIZE]);
        let ctr_stop = r[col::CTR_STOP];
        out[first + 3].set(r[col::RETURNED], &[ctr_stop, callee, out_offset, out_size]);
        let shorter = r[col::OUT_SHORTER];
        let copy_margin = shorter * (r[col::RET_SIZE] - out_size)
            + (one - shorter) * (out_size - r[col::RET_SIZE] - one);
        out[first + 4].set(live, &[copy_margin - r[col::COPY_MARGIN_HI] * half]);
        out[first + 5].set(live, &[r[col::COPY_MARGIN_HI]]);
        // The argument window, copied into the callee's memory at `CALLDATA_BASE` right after
        // the operand reads (its calldata: CALLDATALOAD reads it there), by a call that goes
        // ahead (`looks_up`: not a halting, short or create row).
        out[first + 7].set(
            r[col::ARGS_NONZERO] * looks_up,
            &[
                ctr + operands,
                callee,
                V::from_u64(CALLDATA_BASE),
                r[col::ARGS_OFFSET],
                r[col::ARGS_SIZE],
                ctx,
            ],
        );
        out[first + 6].set(
            r[col::COPIES],
            &[
                ctr_stop,
                ctx,
                r[col::RET_OFFSET],
                out_offset,
                r[col::COPIED],
                callee,
            ],
        );
        out[23].set(
            r[col::ROLLBACKS],
            &[callee, r[col::CTR_END], caller_reverts, caller_frame],
        );
        // The callee's ADDRESS, CALLER, CALLVALUE, CALLDATASIZE and CODESIZE.
        let callee_key = V::from_u64(CALLEE_CONTEXT) + callee * V::from_u64(CALLEE_FRAME_CONTEXT);
        let address_word = |address: &[V]| -> [V; LIMBS] {
            std::array::from_fn(|i| match i < ADDRESS_LIMBS {
                true => address[ADDRESS_LIMBS - 1 - i],
                false => V::zero(),
            })
        };
        // CALLER: the caller's account, or for a DELEGATECALL the caller's own CALLER;
        // CALLVALUE: the value (CALL, CALLCODE), or for a DELEGATECALL the caller's own (the
        // value and inherited columns are zero on the other rows).
        let inherits = r[col::IS_DELEGATECALL];
        let inherited_caller = address_word(&r[col::INHERITED_CALLER..col::INHERITED_VALUE]);
        let inherited_value: [V; LIMBS] = std::array::from_fn(|i| r[col::INHERITED_VALUE + i]);
        let own_caller = address_word(caller_address);
        let callers: [V; LIMBS] =
            std::array::from_fn(|i| own_caller[i] * (one - inherits) + inherited_caller[i]);
        let value: [V; LIMBS] = std::array::from_fn(|i| r[col::VALUE + i] + inherited_value[i]);
        let code_len = single(col::CODE_LEN);
        // (A create's frame has no calldata.)
        let calldata_size = args_size.map(|limb| (one - creates) * limb);
        let values = [
            address_word(&account),
            callers,
            value,
            calldata_size,
            code_len,
        ];
        for (k, (&opcode, value)) in FRAME_CONTEXT_OPCODES.iter().zip(values).enumerate() {
            out[24 + k].set_parts(
                r[col::CONTEXT_READS + k],
                &[&[callee_key + V::from_u64(opcode as u64)], &value],
            );
        }
        // A DELEGATECALL takes what it serves its callee from its caller's context: under the
        // plain opcode from the verifier when the caller is the transaction's frame, under the
        // caller's own key from the caller's Call row when it is a callee.
        let caller_key = r[col::CALLER_IS_CALLEE] * V::from_u64(CALLEE_CONTEXT)
            + ctx * V::from_u64(CALLEE_FRAME_CONTEXT);
        for (k, (opcode, value)) in [(0x33u64, inherited_caller), (0x34, inherited_value)]
            .into_iter()
            .enumerate()
        {
            out[first + 8 + k].set_parts(
                inherits * r[col::CONTEXT_READS + 1 + k],
                &[&[caller_key + V::from_u64(opcode)], &value],
            );
        }
        // A value moved: the verifier checks the caller's balance covers it and whether the
        // target was empty, and applies it to its balances if the callee kept it; or, for a
        // halting or short call, only the emptiness (and a short one's balance).
        // (`2·halts + 3·short + 4·creates`: [`TransferKind::code`].)
        let kind = halts * V::from_u64(TransferKind::Halted.code())
            + short * V::from_u64(TransferKind::Short.code())
            + creates * V::from_u64(TransferKind::Create.code());
        out[first + 10].set_parts(
            r[col::MOVES],
            &[
                &[ctr],
                caller_address,
                &account,
                word(r, col::VALUE),
                &[
                    r[col::FRESH],
                    // Kept unless the callee fails, or a failing frame around the call does
                    // (at its end, unless the callee's failure undoes it first).
                    success * (one - r[col::UNDOES]),
                    kind,
                    (one - success) * r[col::CTR_END] + success * r[col::UNDO_END],
                ],
            ],
        );
        // A create hashes its init window (the Copy component reads it after the operands,
        // the Sponge hashes it) and claims its creation: the verifier gives the init code's
        // id and hash from the statement's codes and the address it derives.
        let hashed_at = ctr + operands;
        let window = [ctx, V::zero(), r[col::INIT_OFFSET], r[col::INIT_SIZE]];
        let hashing = V::from_u64(copy::KECCAK256 as u64);
        let claims = creates - unclaimed;
        out[first + 11].set_parts(claims, &[&[hashed_at], &window[..], &[hashing]]);
        let init_hash = word(r, col::INIT_HASH);
        out[first + 12].set_parts(claims, &[&[hashed_at], init_hash]);
        // (Its flags in one field: [`Creation::flags`].)
        let flags = r[col::IS_CREATE2]
            + success * V::from_u64(2)
            + r[col::UNDOES] * V::from_u64(4)
            + r[col::COLLIDES] * V::from_u64(8);
        out[first + 13].set_parts(
            claims,
            &[
                &[ctr],
                caller_address,
                &[flags],
                word(r, col::SALT),
                init_hash,
                &[r[col::CODE_ID], r[col::INIT_SIZE]],
                &address,
                &[r[col::CTR_END], r[col::UNDO_END]],
            ],
        );
        // `init_words = ⌈size/32⌉` (both range-checked: the remainder times 2¹¹ below 2¹⁶),
        // and the size at most EIP-3860's limit.
        let remainder = r[col::INIT_WORDS] * V::from_u64(32) - r[col::INIT_SIZE];
        let init_checks = [
            remainder * V::from_u64(1 << 11),
            r[col::INIT_WORDS],
            V::from_u64(MAX_INIT_CODE_SIZE) - r[col::INIT_SIZE],
        ];
        for (slot, value) in out[first + 14..first + 17].iter_mut().zip(init_checks) {
            slot.set(creates, &[value]);
        }
        // The code to deploy: its bytes, read from the init frame's memory after its last
        // step, hashed; its hash, size and whether the EVM refuses it claimed (the verifier
        // holds the bytes: EIP-170's size, EIP-3541's first byte); its 200 gas a byte paid
        // from the gas left, or shown short, unless refused.
        let deploys = r[col::DEPLOYS];
        let deposit = r[col::DEPOSIT];
        let output = [callee, V::zero(), out_offset, deposit, hashing];
        out[first + 17].set_parts(deploys, &[&[ctr_stop], &output[..]]);
        let deployed_hash = word(r, col::DEPLOYED_HASH);
        out[first + 18].set_parts(deploys, &[&[ctr_stop], deployed_hash]);
        out[first + 19].set_parts(
            deploys,
            &[&[ctr], deployed_hash, &[deposit, r[col::REFUSED]]],
        );
        let margin_hi = r[col::DEPOSIT_MARGIN_HI];
        let gas_checked = deploys - r[col::REFUSED];
        out[first + 20].set(gas_checked, &[r[col::DEPOSIT_MARGIN] - margin_hi * half]);
        out[first + 21].set(gas_checked, &[margin_hi]);
        // The code looked up is the target's by then (`ctr − since ≥ 0`, below 2³²), or, for
        // no code `before` a create deploys some, still (`since − ctr − 1 ≥ 0`).
        let (since_hi, before) = (r[col::SINCE_MARGIN_HI], r[col::BEFORE]);
        let margin = (one - before - before) * (ctr - r[col::SINCE]) - before;
        out[first + 22].set(looks_up, &[margin - since_hi * half]);
        out[first + 23].set(looks_up, &[since_hi]);
        // A value moved under a failing frame: that frame's end, from its Call row.
        out[first + 24].set(
            r[col::UNDOES],
            &[
                r[col::CALLER_REVERT_FRAME],
                r[col::UNDO_END],
                r[col::UNDO_OUTER_REVERTS],
                r[col::UNDO_OUTER_FRAME],
            ],
        );
        // A delegated target's delegate is loaded with it (EIP-7702), warmed under the same
        // failing frame as the target.
        out[first + 25].set_parts(
            r[col::DELEGATED],
            &[
                &[ctr],
                delegate,
                &[r[col::DELEGATE_ACCESS], caller_frame, caller_reverts],
            ],
        );
    }
}

/// Why the EVM would not deploy `code` that init code RETURNed, if it would not: a create
/// (or a creation transaction) fails on code longer than EIP-170 allows or starting with 0xef
/// (EIP-3541).
pub fn refused_code(code: &[u8]) -> Option<&'static str> {
    if code.len() > MAX_CODE_SIZE {
        Some("code longer than EIP-170 allows")
    } else if code.first() == Some(&0xef) {
        Some("code starting with 0xef (EIP-3541)")
    } else {
        None
    }
}

/// What a [`Transfer`] claim is, and so what the verifier checks of it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum TransferKind {
    /// A call moving value: the balance covers it; applied if `kept`.
    Call,
    /// A SELFDESTRUCT's: the value is `from`'s whole balance, zero included (EIP-6780: an
    /// account created before the transaction stays, and a balance it sends itself stays; one
    /// the transaction created burns a balance sent to itself and is deleted at the
    /// transaction's end, unless a failing frame's end undoes the SELFDESTRUCT: then the
    /// sweep, burn included, holds only until that end).
    Sweep,
    /// A call moving value that halts its caller on its costs, or in a static frame (its
    /// target's emptiness, which the 25,000 of `fresh` depends on, is checked when `fresh` is
    /// claimed; nothing moves, and the EVM checks no balance before the gas).
    Halted,
    /// A call whose value the caller's balance does not cover: it opens no frame and fails
    /// (the balance is checked short of the value, the target's emptiness for `fresh`;
    /// nothing moves).
    Short,
    /// A create's value, sent to the account it creates: the balance covers it; applied if
    /// `kept` (the new account's emptiness costs nothing). A create that collides claims it
    /// too, not kept, with `end` its row's `ctr_end`: the replay moves it only across the
    /// row's own init window reads, which read no account (the EVM never moves it).
    Create,
    /// A create whose value the caller's balance does not cover: it opens no frame, bumps
    /// no nonce, warms no address and fails (the balance is checked short of the value;
    /// nothing moves; `to` is no account, the row computed no address).
    ShortCreate,
    /// A create moving value that halts its caller on its costs: nothing is checked (the
    /// EVM checks no balance before the gas) and nothing moves; `to` is no account.
    HaltedCreate,
    /// A SELFDESTRUCT that halts its frame on its cost (its beneficiary's cold access, or a
    /// new account's 25,000): the value is still its account's whole balance, `fresh` is
    /// checked when claimed (the 25,000 then explains the shortfall: the beneficiary was
    /// empty and the balance not zero), and nothing moves (the EVM's revert undoes the
    /// sweep it made).
    HaltedSweep,
}

impl TransferKind {
    /// Every kind.
    pub const ALL: [TransferKind; 8] = [
        TransferKind::Call,
        TransferKind::Sweep,
        TransferKind::Halted,
        TransferKind::Short,
        TransferKind::Create,
        TransferKind::ShortCreate,
        TransferKind::HaltedCreate,
        TransferKind::HaltedSweep,
    ];

    /// Its code in the [`TRANSFER`] message.
    pub fn code(self) -> u64 {
        match self {
            TransferKind::Call => 0,
            TransferKind::Sweep => 1,
            TransferKind::Halted => 2,
            TransferKind::Short => 3,
            TransferKind::Create => 4,
            // (The row's `3·short + 4·creates` and `2·halts + 4·creates`.)
            TransferKind::ShortCreate => 7,
            TransferKind::HaltedCreate => 6,
            // (The SELFDESTRUCT row's `1 + 4·halt_near`.)
            TransferKind::HaltedSweep => 5,
        }
    }

    /// Whether the claim may move value (a sweep, a call or a create, kept or not).
    pub fn moves(self) -> bool {
        matches!(
            self,
            TransferKind::Call | TransferKind::Sweep | TransferKind::Create
        )
    }
}

/// A call moving value or a SELFDESTRUCT (a sweep), as the statement claims it: the verifier
/// replays the statement's transfers in order against the state it knows, checking what its
/// [`TransferKind`] says (the caller's balance covers each value, a sweep's is the whole
/// balance, a short one's does not cover it) and that `fresh` is whether the target was
/// empty (EIP-161) at that point (for a sweep: and the value is not zero), and applies each
/// moving one `kept`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Transfer {
    /// The step's RW counter: transfers are listed in execution order.
    pub ctr: u32,
    /// The caller's account, and the account the callee runs on (the caller's own for
    /// CALLCODE); a SELFDESTRUCT's frame account and its beneficiary.
    pub from: [u8; 20],
    pub to: [u8; 20],
    pub value: Word,
    /// The CALL (or SELFDESTRUCT) paid 25,000 gas for bringing an empty account into being.
    pub fresh: bool,
    /// The transfer survives execution: the callee succeeded, and no failing frame around the
    /// call undoes it ([`col::UNDOES`]); if not, it is rolled back with the other effects at
    /// `end`. (A SELFDESTRUCT's is kept unless a failing frame around it undoes it, the
    /// CPU's `reverts` register: its frame ends in success. Every transfer claimed kept
    /// stays, unless the transaction's own frame fails, which the verifier rolls back. A
    /// halting call's claim, which may lie under a failing frame, moves nothing whatever it
    /// says.)
    pub kept: bool,
    /// What the claim is, and so what the verifier checks.
    pub kind: TransferKind,
    /// The counter at which a transfer not kept is undone: its call's end (the flag's
    /// write, after the callee's last step and its return copy) if the callee failed, else
    /// the end of the innermost failing frame around the call. Reads of the parties'
    /// balances between `ctr` and `end` see it moved. (A kept one's: unused; a kept sweep's
    /// is its own counter.)
    pub end: u32,
}

impl Transfer {
    /// The message the verifier provides for it.
    pub fn message(&self) -> PublicMessage {
        let mut fields = vec![Goldilocks::new(self.ctr as u64)];
        for address in [&self.from, &self.to] {
            let limbs = crate::storage::address_limbs(address);
            fields.extend(limbs.iter().map(|&l| Goldilocks::new(l as u64)));
        }
        fields.extend(
            limbs(&self.value)
                .iter()
                .map(|&l| Goldilocks::new(l as u64)),
        );
        fields.extend([self.fresh, self.kept].map(|b| Goldilocks::new(b as u64)));
        fields.push(Goldilocks::new(self.kind.code()));
        fields.push(Goldilocks::new(self.end as u64));
        PublicMessage::provide(TRANSFER, &fields)
    }
}

/// A CREATE or CREATE2 as the statement claims it: the verifier derives the address from the
/// creator's nonce then (CREATE; the nonces replayed over the statement's creations) or from
/// the salt and the init code's hash (CREATE2), checks the account was free, and serves the
/// claim with the init code's id and hash from the statement's codes.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Creation {
    /// The step's RW counter: creations are listed in execution order.
    pub ctr: u32,
    pub creator: [u8; 20],
    pub create2: bool,
    /// CREATE2's salt (0 for CREATE).
    pub salt: Word,
    /// The init code's position among the statement's codes.
    pub code_position: u32,
    /// The account created.
    pub address: [u8; 20],
    /// The create succeeded (its init code, and the deposit of what it RETURNed): the account
    /// exists from then on (until `undone_at`, if a failing frame undoes it); if not, its end
    /// (the flag's counter) undoes it.
    pub success: bool,
    pub end: u32,
    /// The end of the innermost failing frame the create ran under, if any ([`col::UNDOES`]):
    /// there the creator's nonce bump is undone, and the account (if the create succeeded)
    /// with the code it deployed.
    pub undone_at: Option<u32>,
    /// The create collided with an account at its address (code, a nonce or storage): its
    /// init code (whose hash and length this gives; `code_position` is unused) never ran,
    /// the account stays as it was, and only the creator's nonce is bumped.
    pub collided: Option<crate::bytecode::CodeHash>,
    /// What its init code RETURNed (empty if it reverted or halted): deployed at its end if
    /// it succeeded; if not, the deposit failed, on code the EVM refuses (EIP-170's size,
    /// EIP-3541's first byte) or on gas. The verifier provides its hash for the row to match
    /// with the hash of the init frame's memory, and whether it is refused.
    pub code: Vec<u8>,
}

impl Creation {
    /// The message the verifier provides for it, with its init code's hash and length (a
    /// collided one's own, and code id 0: no frame ran it).
    pub fn message(&self, init_code: &crate::bytecode::CodeHash) -> PublicMessage {
        let (init_code, code_id) = match &self.collided {
            Some(init) => (init, 0),
            None => (
                init_code,
                crate::bytecode::code_id(self.code_position as usize),
            ),
        };
        let g = |v: u64| Goldilocks::new(v);
        let word = |w: &Word| limbs(w).map(|l| g(l as u64));
        let mut fields = vec![g(self.ctr as u64)];
        let creator = crate::storage::address_limbs(&self.creator);
        fields.extend(creator.iter().map(|&l| g(l as u64)));
        fields.push(g(self.flags()));
        fields.extend(word(&self.salt));
        fields.extend(word(&Word::from_be_bytes(init_code.hash)));
        fields.extend([g(code_id), g(init_code.len)]);
        let address = crate::storage::address_limbs(&self.address);
        fields.extend(address.iter().map(|&l| g(l as u64)));
        fields.extend([
            g(self.end as u64),
            g(self.undone_at.unwrap_or(self.end) as u64),
        ]);
        PublicMessage::provide(CREATION, &fields)
    }

    /// Its flags as the [`CREATION`] message carries them: `create2 + 2·success + 4·undone +
    /// 8·collided` (each a bit, so the field is one only these four give).
    pub fn flags(&self) -> u64 {
        self.create2 as u64
            + 2 * self.success as u64
            + 4 * self.undone_at.is_some() as u64
            + 8 * self.collided.is_some() as u64
    }

    /// The account it created stays, with the code it deployed: it succeeded and no failing
    /// frame undid it.
    pub fn kept(&self) -> bool {
        self.success && self.undone_at.is_none()
    }

    /// Whether the account it created exists just before counter `ctr` (for a create that
    /// succeeded: until a failing frame's end undoes it; for one that failed: until its end;
    /// one that collided created none).
    pub fn account_exists_at(&self, ctr: u64) -> bool {
        if self.collided.is_some() {
            return false;
        }
        let until = match (self.success, self.undone_at) {
            (true, None) => None,
            (true, Some(undone)) => Some(undone),
            (false, _) => Some(self.end),
        };
        (self.ctr as u64) < ctr && until.is_none_or(|u| ctr < u as u64)
    }

    /// Whether its creator's nonce bump holds just before counter `ctr` (for good, unless a
    /// failing frame's end undoes it).
    pub fn nonce_bumped_at(&self, ctr: u64) -> bool {
        (self.ctr as u64) < ctr && self.undone_at.is_none_or(|u| ctr < u as u64)
    }

    /// Whether it deployed code: it succeeded, and its init code RETURNed some (a failed
    /// creation's bytes were never deployed, so no call finds them).
    pub fn deploys(&self) -> bool {
        self.success && !self.code.is_empty()
    }

    /// Why the EVM would not deploy the code its init code RETURNed, if it would not
    /// ([`refused_code`]).
    pub fn refused_code(&self) -> Option<&'static str> {
        refused_code(&self.code)
    }

    /// The message the verifier provides for the code its init code RETURNed, if any.
    pub fn deployment(&self) -> Option<PublicMessage> {
        let g = |v: u64| Goldilocks::new(v);
        let hash = Word::from_be_bytes(crate::sponge::digest(&self.code));
        let mut fields = vec![g(self.ctr as u64)];
        fields.extend(limbs(&hash).map(|l| g(l as u64)));
        fields.push(g(self.code.len() as u64));
        fields.push(g(self.refused_code().is_some() as u64));
        (!self.code.is_empty()).then(|| PublicMessage::provide(DEPLOYMENT, &fields))
    }
}

/// The failing callees of `calls` by frame id: where the Storage and Account components roll
/// back what ran under each, and where a value moved under one is undone.
pub fn failing_frames(calls: &[CallOp]) -> crate::rollback::FailingFrames {
    (calls.iter())
        .filter(|op| !op.success)
        .map(|op| (op.callee_ctx(), op.failing()))
        .collect()
}

/// One call as the CPU's trace builder sees it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CallOp {
    pub ctr: u32,
    pub ctx: u32,
    pub sp: u32,
    /// CALL, CALLCODE, DELEGATECALL, STATICCALL, CREATE or CREATE2.
    pub opcode: u8,
    /// The caller's account and call depth.
    pub caller_address: [u32; ADDRESS_LIMBS],
    pub depth: u16,
    /// The caller's gas less the opcode's static cost and its memory expansion's (negative
    /// when a halting call cannot pay even the expansion).
    pub avail: i64,
    pub caller_static: bool,
    /// The caller cannot pay the call's costs: its frame halts out of gas on this step, no
    /// callee runs, no flag is written (the target's code is not looked up: `code_id` 0).
    pub halts: bool,
    /// The caller's balance does not cover the value: no callee runs, the flag is 0 and all
    /// the gas forwarded comes back ([`col::SHORT`]).
    pub short: bool,
    /// A create whose address holds an account already: no frame, all the gas forwarded
    /// spent ([`col::COLLIDES`]).
    pub collides: bool,
    /// The gas, target, argument-offset and return-offset operands. A create's gas is 2³²
    /// (it forwards all it may), its target the new account, its argument window the init
    /// code's and its return offset CREATE2's salt (0 for CREATE).
    pub gas: Word,
    pub target: Word,
    pub args_offset: Word,
    pub ret_offset: Word,
    /// The windows' sizes (a larger one cannot be paid for).
    pub args_size: u32,
    pub ret_size: u32,
    /// The target was warm (EIP-2929).
    pub warm: bool,
    /// The target's code id and length; 0 for an account without code (no frame runs).
    pub code_id: u64,
    pub code_len: u64,
    /// Gas the callee left, the counter after its last step, and the counter of the flag,
    /// after the return copy's accesses.
    pub left: u64,
    pub ctr_stop: u32,
    pub ctr_end: u32,
    /// The callee's RETURN or REVERT: its output's offset (the low limb) and size.
    pub output: Option<(u32, u32)>,
    /// The callee succeeded (a halting row's is set: no callee fails); if not, the opcode of
    /// the step that halted.
    pub success: bool,
    pub halt_op: Option<u8>,
    /// The Storage and Account rows the callee's end rolls back or restores, and the calls
    /// moving value, the creates and the SELFDESTRUCTs it undoes, if it failed
    /// ([`col::ROLLBACKS`]).
    pub rollbacks: u32,
    /// How often the row serves each of [`FRAME_CONTEXT_OPCODES`] under its callee's key: the
    /// callee's own reads, and those a DELEGATECALL below it forwards.
    pub context_reads: [u32; FRAME_CONTEXT_OPCODES.len()],
    /// A DELEGATECALL's: the caller's own CALLER (address limbs, most significant first) and
    /// CALLVALUE, which its callee inherits; zero for the other opcodes.
    pub inherited_caller: [u32; ADDRESS_LIMBS],
    pub inherited_value: Word,
    /// CALL's and CALLCODE's value operand (zero for the others), and whether a CALL moving
    /// it paid for bringing an empty target into being.
    pub value: Word,
    pub fresh: bool,
    /// The failing frame whose end undoes the caller's effects, if any.
    pub caller_rollback: crate::rollback::Rollback,
    /// That frame as its Call row gives it, for a call moving value or a create under it
    /// ([`CallOp::undone_by_failing_frame`]): its end undoes the transfer (and a create).
    pub undo: Option<crate::rollback::Failing>,
    /// A create's init code hash (zero for a call).
    pub init_hash: Word,
    /// The code a create's init code RETURNed, to deploy (empty otherwise).
    pub deployed: Vec<u8>,
    /// A create whose init code RETURNed code that is not deployed: refused by the EVM, or
    /// more than the gas left pays for (`success` is false; its init frame's stop said
    /// success).
    pub deposit_fails: bool,
    /// The counter from which the target holds the code the call runs (a create's end, for
    /// code the transaction deployed; 0 otherwise), or, `before`, until which it holds none
    /// (the end of the create that deploys code there).
    pub since: u32,
    pub before: bool,
    /// The delegate an EIP-7702 delegation at the target designates, whose code the callee
    /// runs (address limbs, most significant first), and whether it was warm; none for a
    /// target that is not delegated, and on a halting or short row ([`col::DELEGATED`]).
    pub delegate: Option<([u32; ADDRESS_LIMBS], bool)>,
}

impl CallOp {
    /// The operand count.
    pub fn operands(&self) -> u32 {
        match self.opcode {
            CREATE => 3,
            CREATE2 => 4,
            _ => 6 + self.has_value() as u32,
        }
    }

    /// CREATE or CREATE2.
    pub fn is_create(&self) -> bool {
        CREATE_OPCODES.contains(&self.opcode)
    }

    /// The row looks up its target's code on [`CODE_OF`] (the constraints' `looks_up`): a
    /// call that goes ahead. A halting or short call runs nothing; a create's code is its
    /// claim's.
    pub fn looks_up_code(&self) -> bool {
        !self.halts && !self.short && !self.is_create()
    }

    /// CALL, CALLCODE and the creates have a value operand.
    pub fn has_value(&self) -> bool {
        matches!(self.opcode, CALL | CALLCODE) || self.is_create()
    }

    /// Whether it is a create that deployed code (as [`Creation::deploys`]).
    pub fn deploys(&self) -> bool {
        self.is_create() && self.success && !self.deployed.is_empty()
    }

    /// The bytes of code the row deploys.
    pub fn deposit(&self) -> u64 {
        self.deployed.len() as u64
    }

    /// A create's init code words (0 for a call).
    pub fn init_words(&self) -> u64 {
        match self.is_create() {
            true => (self.args_size as u64).div_ceil(32),
            false => 0,
        }
    }

    /// The access's cost.
    pub fn access(&self) -> u64 {
        // (A create short of its value or halting on its costs accesses nothing.)
        match self.is_create() && (self.short || self.halts) {
            true => 0,
            false => crate::account::access_cost(self.warm),
        }
    }

    /// The call moves value (CALL and CALLCODE with a value other than zero).
    pub fn moves(&self) -> bool {
        self.has_value() && !self.value.is_zero()
    }

    /// What the call pays before forwarding: the access, and for moving value its cost and a
    /// new account's; a create its init code words (and CREATE2 their hashing).
    pub fn costs(&self) -> u64 {
        if self.is_create() {
            let per_word = match self.opcode {
                CREATE2 => INIT_CODE_WORD_GAS + CREATE2_HASH_WORD_GAS,
                _ => INIT_CODE_WORD_GAS,
            };
            return self.init_words() * per_word;
        }
        self.access()
            + self.delegate_costs()
            + self.moves() as u64 * VALUE_COST
            + self.fresh as u64 * NEW_ACCOUNT_COST
    }

    /// What loading the delegate costs (EIP-7702), warm or cold; 0 without one.
    pub fn delegate_costs(&self) -> u64 {
        self.delegate.map_or(0, |(_, warm)| {
            DELEGATE_WARM_COST + crate::account::access_cost(warm)
        })
    }

    /// The stipend a call's callee gets besides the gas forwarded (none for a create).
    pub fn stipend(&self) -> u64 {
        (self.moves() && !self.is_create()) as u64 * CALL_STIPEND
    }

    /// The gas after the costs, `L`, if the caller can pay for them.
    pub fn after(&self) -> Option<u64> {
        u64::try_from(self.avail - self.costs() as i64)
            .ok()
            .filter(|&l| l < 1 << 32)
    }

    /// The gas forwarded: the request, at most `L − ⌊L/64⌋`.
    pub fn forwarded(&self) -> Option<u64> {
        let after = self.after()?;
        let cap = after - after / GAS_SHARE_DIVISOR;
        Some(u64::try_from(self.gas).map_or(cap, |g| g.min(cap)))
    }

    /// A CALL moving value in a static frame: it halts its caller whatever its costs
    /// ([`col::STATIC_HALT`]).
    pub fn static_halt(&self) -> bool {
        self.opcode == CALL && self.caller_static && self.moves()
    }

    /// The call's dynamic gas on the CPU row: its costs, plus gas forwarded, less gas
    /// returned (a create's less its deposit, which the init frame's gas pays; none if the
    /// deposit fails).
    pub fn dynamic_gas(&self) -> Option<u64> {
        let returned = match self.deposit_fails {
            true => 0,
            false => (self.left).checked_sub(self.deposit() * DEPOSIT_GAS_PER_BYTE)?,
        };
        (self.costs() + self.forwarded()?).checked_sub(returned)
    }

    /// The deposit's gas margin ([`col::DEPOSIT_MARGIN`]): what is left after paying for it,
    /// or by how much more than one the gas falls short (zero when it is refused, or none).
    pub fn deposit_margin(&self) -> Option<u64> {
        let price = self.deposit() * DEPOSIT_GAS_PER_BYTE;
        match (self.deposit_fails, self.refused()) {
            (_, true) => Some(0),
            (false, false) => self.left.checked_sub(price),
            (true, false) => price.checked_sub(self.left)?.checked_sub(1),
        }
    }

    /// Its deposit fails on code the EVM refuses (EIP-170, EIP-3541).
    pub fn refused(&self) -> bool {
        self.deposit_fails && self.creation().is_some_and(|c| c.refused_code().is_some())
    }

    /// The value the callee's CALLVALUE reads: the value moved, or a DELEGATECALL's caller's.
    pub fn callee_value(&self) -> Word {
        match self.opcode {
            DELEGATECALL => self.inherited_value,
            _ => self.value,
        }
    }

    /// The account the callee runs on: the target's for CALL and STATICCALL, the caller's
    /// own for CALLCODE and DELEGATECALL.
    pub fn callee_account(&self) -> [u32; ADDRESS_LIMBS] {
        match self.opcode {
            CALLCODE | DELEGATECALL => self.caller_address,
            _ => self.target_limbs(),
        }
    }

    /// The creation a create claims: none for one short of its value or halting on its
    /// costs (it opens no frame and computes no address). A colliding one runs no init code:
    /// its claim carries the code's hash, and its code position is unused.
    pub fn creation(&self) -> Option<Creation> {
        if !self.is_create() || self.short || self.halts {
            return None;
        }
        let code_position = match self.collides {
            true => 0,
            false => crate::bytecode::position_of(self.code_id),
        };
        Some(Creation {
            ctr: self.ctr,
            creator: crate::storage::address_bytes(&self.caller_address),
            create2: self.opcode == CREATE2,
            salt: self.ret_offset,
            code_position,
            address: crate::storage::address_bytes(&self.target_limbs()),
            success: self.success,
            end: self.ctr_end,
            undone_at: self.undo.map(|u| u.end),
            collided: self.collides.then(|| crate::bytecode::CodeHash {
                hash: self.init_hash.to_be_bytes(),
                len: self.args_size as u64,
            }),
            code: self.deployed.clone(),
        })
    }

    /// The transfer the call claims, if it moves value (or would: a halting or short one).
    pub fn transfer(&self) -> Option<Transfer> {
        let bytes = crate::storage::address_bytes;
        let kind = match (self.halts, self.short) {
            (true, _) if self.is_create() => TransferKind::HaltedCreate,
            (true, _) => TransferKind::Halted,
            (false, true) if self.is_create() => TransferKind::ShortCreate,
            (false, true) => TransferKind::Short,
            _ if self.is_create() => TransferKind::Create,
            (false, false) => TransferKind::Call,
        };
        self.moves().then(|| Transfer {
            ctr: self.ctr,
            from: bytes(&self.caller_address),
            to: bytes(&self.callee_account()),
            value: self.value,
            fresh: self.fresh,
            kept: self.success && self.undo.is_none(),
            kind,
            end: match (self.success, self.undo) {
                (true, Some(frame)) => frame.end,
                _ => self.ctr_end,
            },
        })
    }

    /// A call moving value or a create under a failing frame (a halting call moves none):
    /// the innermost such frame's end undoes its transfer (unless its own callee's failure
    /// does first) and a create's nonce bump and account ([`col::UNDOES`]).
    pub fn undone_by_failing_frame(&self) -> bool {
        // (As the row's `moves·(1 − halts) + creates·(1 − moves)`: a halting create moving no
        // value takes the frame's end too, which its claims never use.)
        let undone = self.moves() && !self.halts || self.is_create() && !self.moves();
        undone && self.caller_rollback.reverted()
    }

    /// Where the windows end (0 for an empty one): `None` when a non-empty window's offset
    /// is 2³² or more (no caller can pay for that memory).
    fn window_ends(&self) -> Option<(u64, u64)> {
        let end = |offset: &Word, size: u32| match size {
            0 => Some(0),
            _ => u32::try_from(*offset).ok().map(|o| o as u64 + size as u64),
        };
        Some((
            end(&self.args_offset, self.args_size)?,
            end(&self.ret_offset, self.ret_size)?,
        ))
    }

    /// The memory words the windows reach: the caller's memory grows to them.
    pub fn words(&self) -> Option<u64> {
        let (args, ret) = self.window_ends()?;
        Some(args.max(ret).div_ceil(32))
    }

    /// The bytes of the callee's output copied into the return window.
    pub fn copied(&self) -> u32 {
        self.output.map_or(0, |(_, size)| size.min(self.ret_size))
    }

    /// The callee's frame id: the call's counter plus one (the transaction's own is 0).
    pub fn callee_ctx(&self) -> u32 {
        self.ctr + 1
    }

    /// The callee as the Storage and Account tables see it if it fails: its end, and the
    /// failing frame around it.
    pub fn failing(&self) -> crate::rollback::Failing {
        crate::rollback::Failing {
            end: self.ctr_end,
            outer: self.caller_rollback,
        }
    }

    /// The RW accesses the row provides: the operand reads, then the success flag or a
    /// create's address (none on a halting row).
    pub fn accesses(&self) -> Vec<Access> {
        let window = [self.args_offset, Word::from(self.args_size)];
        let words: Vec<Word> = match self.opcode {
            CREATE => [&[self.value], &window[..]].concat(),
            CREATE2 => [&[self.value], &window[..], &[self.ret_offset]].concat(),
            _ => {
                let mut words = vec![self.gas, self.target];
                if self.has_value() {
                    words.push(self.value);
                }
                words.extend(window);
                words.extend([self.ret_offset, Word::from(self.ret_size)]);
                words
            }
        };
        let mut accesses: Vec<Access> = (words.iter().enumerate())
            .map(|(k, w)| Access {
                ctr: self.ctr + k as u32,
                kind: Kind::Stack,
                ctx: self.ctx,
                addr: self.sp - 1 - k as u32,
                write: false,
                value: limbs(w),
            })
            .collect();
        if self.halts {
            return accesses;
        }
        accesses.push(Access {
            ctr: self.ctr_end,
            kind: Kind::Stack,
            ctx: self.ctx,
            addr: self.sp - self.operands(),
            write: true,
            value: limbs(&self.result()),
        });
        accesses
    }

    /// What the row writes where its operands were: the success flag, or a create's new
    /// address (0 if it failed).
    pub fn result(&self) -> Word {
        match (self.is_create(), self.success) {
            (true, true) => self.target,
            (true, false) => Word::ZERO,
            (false, success) => Word::from(success as u8),
        }
    }

    /// The target's address limbs, most significant first.
    pub fn target_limbs(&self) -> [u32; ADDRESS_LIMBS] {
        crate::storage::address_limbs(&crate::storage::address_of_word(&self.target))
    }

    /// The access the row sends to the Account component.
    pub fn account_op(&self) -> crate::account::AccountOp {
        crate::account::AccountOp {
            ctr: self.ctr,
            address: self.target_limbs(),
            warm: self.warm,
            cost: self.access(),
            rollback: self.caller_rollback,
        }
    }

    /// The delegate's access the row sends to the Account component, if its target is
    /// delegated: at the row's counter, as the target's.
    pub fn delegate_account_op(&self) -> Option<crate::account::AccountOp> {
        self.delegate
            .map(|(address, warm)| crate::account::AccountOp {
                ctr: self.ctr,
                address,
                warm,
                cost: crate::account::access_cost(warm),
                rollback: self.caller_rollback,
            })
    }
}

/// The message the verifier provides for a call target's code (its id and length, the
/// counter from which the target holds it or, `before`, until which it holds none, and the
/// delegate whose code it is, for a target delegated by EIP-7702), `count` times.
pub fn code_message(
    address: &[u32; ADDRESS_LIMBS],
    code_id: u64,
    code_len: u64,
    (since, before): (u32, bool),
    delegate: Option<&[u32; ADDRESS_LIMBS]>,
    count: u64,
) -> PublicMessage {
    let mut fields = code_fields(address, code_id, code_len);
    fields.extend([since as u64, before as u64, delegate.is_some() as u64].map(Goldilocks::new));
    let delegate = delegate.copied().unwrap_or_default();
    fields.extend(delegate.map(|l| Goldilocks::new(l as u64)));
    PublicMessage {
        multiplicity: Goldilocks::new(count),
        ..PublicMessage::provide(CODE_OF, &fields)
    }
}

/// `(address₀…₄, code_id, code_len)`: the fields [`CODE_OF`] and [`EXT_CODE_OF`] messages
/// start with.
fn code_fields(address: &[u32; ADDRESS_LIMBS], code_id: u64, code_len: u64) -> Vec<Goldilocks> {
    let mut fields: Vec<Goldilocks> = address.iter().map(|&l| Goldilocks::new(l as u64)).collect();
    fields.extend([code_id, code_len].map(Goldilocks::new));
    fields
}

/// The message the verifier provides for an EXTCODECOPY address's code (its id and length),
/// `count` times.
pub fn ext_code_message(
    address: &[u32; ADDRESS_LIMBS],
    code_id: u64,
    code_len: u64,
    count: u64,
) -> PublicMessage {
    PublicMessage {
        multiplicity: Goldilocks::new(count),
        ..PublicMessage::provide(EXT_CODE_OF, &code_fields(address, code_id, code_len))
    }
}

/// A laid-out table and its range lookups.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CallTrace {
    pub columns: Vec<Vec<Goldilocks>>,
    pub range_lookups: Vec<u16>,
}

/// Lays out the calls; `None` when one cannot be proven (a call that goes ahead but whose
/// caller cannot pay for its costs, a callee that left more gas than it was given, or a
/// window's offset of 2³² or more).
pub fn trace(ops: &[CallOp]) -> Option<CallTrace> {
    let rows = padded_len(ops.len());
    let mut columns = vec![vec![Goldilocks::ZERO; rows]; COLUMN_NAMES.len()];
    let mut range_lookups = Vec::with_capacity(15 * ops.len());
    for (r, op) in ops.iter().enumerate() {
        let (args_end, ret_end) = op.window_ends()?;
        let words = op.words()?;
        let g = Goldilocks::new;
        let mut set = |c: usize, v: Goldilocks| columns[c][r] = v;
        set(col::LIVE, g(1));
        let selector = match op.opcode {
            CREATE => col::IS_CREATE,
            CREATE2 => col::IS_CREATE2,
            _ => col::IS_CALL + OPCODES.iter().position(|&o| o == op.opcode)?,
        };
        set(selector, g(1));
        set(col::COSTS, g(op.costs()));
        if let Some((delegate, warm)) = op.delegate {
            // (Only a call that goes ahead names its delegate.)
            if !op.looks_up_code() {
                return None;
            }
            set(col::DELEGATED, g(1));
            for (j, &limb) in delegate.iter().enumerate() {
                set(col::DELEGATE + j, g(limb as u64));
            }
            set(col::DELEGATE_ACCESS, g(crate::account::access_cost(warm)));
        }
        if op.is_create() {
            let words = op.init_words();
            set(col::INIT_WORDS, g(words));
            for (i, &limb) in limbs(&op.init_hash).iter().enumerate() {
                set(col::INIT_HASH + i, g(limb as u64));
            }
            let size = op.args_size as u64;
            let remainder = ((32 * words - size) << 11) as u16;
            let room = MAX_INIT_CODE_SIZE.checked_sub(size)?;
            range_lookups.extend([remainder, words as u16, room as u16]);
        }
        if op.looks_up_code() {
            let margin = match op.before {
                true => op.since.checked_sub(op.ctr + 1)?,
                false => op.ctr.checked_sub(op.since)?,
            };
            set(col::SINCE, g(op.since as u64));
            set(col::BEFORE, g(op.before as u64));
            set(col::SINCE_MARGIN_HI, g((margin >> 16) as u64));
            range_lookups.extend([margin as u16, (margin >> 16) as u16]);
        }
        if !op.deployed.is_empty() {
            let deposit = op.deposit();
            set(col::DEPOSIT, g(deposit));
            set(col::DEPLOYS, g(1));
            set(col::DEPOSIT_INV, g(deposit).inverse());
            let hash = Word::from_be_bytes(crate::sponge::digest(&op.deployed));
            for (i, &limb) in limbs(&hash).iter().enumerate() {
                set(col::DEPLOYED_HASH + i, g(limb as u64));
            }
            set(col::DEPOSIT_FAILS, g(op.deposit_fails as u64));
            set(col::REFUSED, g(op.refused() as u64));
            let margin = op.deposit_margin().filter(|&m| m < 1 << 32)?;
            set(col::DEPOSIT_MARGIN, g(margin));
            if !op.refused() {
                set(col::DEPOSIT_MARGIN_HI, g(margin >> 16));
                range_lookups.extend([margin as u16, (margin >> 16) as u16]);
            }
        }
        for (j, &limb) in op.caller_address.iter().enumerate() {
            set(col::CALLER_ADDRESS + j, g(limb as u64));
        }
        set(col::CTR, g(op.ctr as u64));
        set(col::CTX, g(op.ctx as u64));
        set(col::SP, g(op.sp as u64));
        set(col::AVAIL, signed(op.avail));
        set(col::CALLER_STATIC, g(op.caller_static as u64));
        set(col::CTR_END, g(op.ctr_end as u64));
        set(col::DEPTH, g(op.depth as u64));
        set(col::CALLER_IS_CALLEE, g((op.depth != 0) as u64));
        set(col::DEPTH_INV, g(op.depth as u64).inverse());
        for (j, &limb) in op.inherited_caller.iter().enumerate() {
            set(col::INHERITED_CALLER + j, g(limb as u64));
        }
        for (i, &limb) in limbs(&op.inherited_value).iter().enumerate() {
            set(col::INHERITED_VALUE + i, g(limb as u64));
        }
        let value = limbs(&op.value);
        for (i, &limb) in value.iter().enumerate() {
            set(col::VALUE + i, g(limb as u64));
        }
        set(col::MOVES, g(op.moves() as u64));
        let sum: u64 = value.iter().map(|&l| l as u64).sum();
        set(col::VALUE_INV, g(sum).inverse());
        set(col::FRESH, g(op.fresh as u64));
        set(col::CODE_LEN, g(op.code_len));
        let [frame, reverted] = op.caller_rollback.fields();
        set(col::CALLER_REVERTS, reverted);
        set(col::CALLER_REVERT_FRAME, frame);
        set(col::SUCCESS, g(op.success as u64));
        set(col::HALT_OP, g(op.halt_op.unwrap_or(0) as u64));
        set(
            col::NO_CODE,
            g((op.code_id == 0 && !op.halts && !op.short && !op.collides) as u64),
        );
        set(col::HALTS, g(op.halts as u64));
        set(col::SHORT, g(op.short as u64));
        set(col::COLLIDES, g(op.collides as u64));
        set(col::ROLLBACKS, g(op.rollbacks as u64));
        set(col::UNDOES, g(op.undo.is_some() as u64));
        set(
            col::UNDO_END,
            g(op.undo.map_or(op.ctr_end, |u| u.end) as u64),
        );
        if let Some(undo) = op.undo {
            let [frame, reverted] = undo.outer.fields();
            set(col::UNDO_OUTER_REVERTS, reverted);
            set(col::UNDO_OUTER_FRAME, frame);
        }
        for (k, &reads) in op.context_reads.iter().enumerate() {
            set(col::CONTEXT_READS + k, g(reads as u64));
        }
        for (start, w) in [
            (col::GAS, &op.gas),
            (col::TARGET, &op.target),
            (col::ARGS_OFFSET, &op.args_offset),
            (col::RET_OFFSET, &op.ret_offset),
        ] {
            for (i, &limb) in limbs(w).iter().enumerate() {
                set(start + i, g(limb as u64));
            }
        }
        for (size, nonzero, inv, value) in [
            (
                col::ARGS_SIZE,
                col::ARGS_NONZERO,
                col::ARGS_INV,
                op.args_size,
            ),
            (col::RET_SIZE, col::RET_NONZERO, col::RET_INV, op.ret_size),
        ] {
            set(size, g(value as u64));
            set(nonzero, g((value != 0) as u64));
            set(inv, g(value as u64).inverse());
        }
        let args_further = args_end >= ret_end;
        let end_margin = match args_further {
            true => args_end - ret_end,
            false => ret_end - args_end - 1,
        };
        set(col::WORDS, g(words));
        set(col::ARGS_FURTHER, g(args_further as u64));
        set(col::END_MARGIN_HI, g(end_margin >> 16));
        range_lookups.extend([
            ((32 * words - args_end.max(ret_end)) << 11) as u16,
            end_margin as u16,
            (end_margin >> 16) as u16,
        ]);
        let (out_offset, out_size) = op.output.unwrap_or_default();
        let copied = op.copied();
        let out_shorter = out_size <= op.ret_size;
        let copy_margin = match out_shorter {
            true => op.ret_size - out_size,
            false => out_size - op.ret_size - 1,
        };
        set(col::CTR_STOP, g(op.ctr_stop as u64));
        set(col::RETURNED, g(op.output.is_some() as u64));
        set(col::OUT_OFFSET, g(out_offset as u64));
        set(col::OUT_SIZE, g(out_size as u64));
        set(col::OUT_SHORTER, g(out_shorter as u64));
        set(col::COPY_MARGIN_HI, g((copy_margin >> 16) as u64));
        set(col::COPIED, g(copied as u64));
        set(col::COPIES, g((copied != 0) as u64));
        set(col::COPIED_INV, g(copied as u64).inverse());
        range_lookups.extend([copy_margin as u16, (copy_margin >> 16) as u16]);
        set(col::ACCESS, g(op.access()));
        set(col::CODE_ID, g(op.code_id));
        let high: u64 = limbs(&op.gas)[1..].iter().map(|&l| l as u64).sum();
        let big = high != 0;
        if big {
            set(col::BIG, g(1));
            set(col::BIG_INV, g(high).inverse());
        }
        let g0 = limbs(&op.gas)[0] as u64;
        if op.halts {
            // Nothing to divide or compare: a big request is capped (as on every row), at
            // `L` itself (quotient 0); `left` is what the row would forward, so it charges
            // exactly its costs; a static frame's CALL moving value charges one more than
            // the step has (`avail + 1`) instead.
            set(col::CAPPED, g(big as u64));
            let fwd = match big {
                true => signed(op.avail - op.costs() as i64),
                false => g(g0),
            };
            let left = match op.static_halt() {
                true => fwd + g(op.costs()) - signed(op.avail) - g(1),
                false => fwd,
            };
            set(col::LEFT, left);
            set(col::STATIC_HALT, g(op.static_halt() as u64));
            continue;
        }
        let after = op.after()?;
        let fwd = op.forwarded()?;
        if op.left > fwd + op.stipend() {
            return None;
        }
        let cap = after - after / GAS_SHARE_DIVISOR;
        let headroom = (DEPTH_LIMIT - 1).checked_sub(op.depth as u64)?;
        set(col::LEFT, g(op.left));
        set(col::LEFT_HI, g(op.left >> 16));
        set(col::AFTER_HI, g(after >> 16));
        let quotient = after / GAS_SHARE_DIVISOR;
        set(col::QUOTIENT, g(quotient));
        set(col::QUOTIENT_HI, g(quotient >> 16));
        let remainder = after % GAS_SHARE_DIVISOR;
        set(col::REMAINDER, g(remainder));
        let capped = big || g0 >= cap;
        set(col::CAPPED, g(capped as u64));
        let margin = match (big, capped) {
            (true, _) => 0,
            (false, true) => g0 - cap,
            (false, false) => cap - g0 - 1,
        };
        set(col::MARGIN_HI, g(margin >> 16));
        range_lookups.extend([
            after as u16,
            (after >> 16) as u16,
            (remainder << 10) as u16,
            quotient as u16,
            ((quotient >> 16) << 6) as u16,
            margin as u16,
            (margin >> 16) as u16,
            op.left as u16,
            (op.left >> 16) as u16,
            headroom as u16,
        ]);
    }
    Some(CallTrace {
        columns,
        range_lookups,
    })
}

#[cfg(test)]
pub(crate) mod tests;
