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
//! - the registers: the frame starts at `pc = 0`, `sp = 0` with the gas the statement gives
//!   (bus [`FRAME`], consumed on the first row), then `pc′ = pc + 1 + n·sel_push` or the jump
//!   target, `gas′ = gas − static_gas`, `sp′ = sp + pushed − popped`, `ctr′ = ctr + accesses`;
//!   the last live row is a STOP, whose gas after the step the statement gives (bus [`FRAME`]),
//!   or a stack halt: the step's opcode decodes (from the statement's halt row of the table)
//!   to `HaltStack` with `n` = words it needs and `static_gas` = the largest sp it allows, and
//!   `n − 1 − sp` (underflow) or `sp − largest − 1` (overflow) is range-checked; the frame then
//!   ends failed with no gas left, and the step touches nothing;
//! - jumps: a taken JUMP/JUMPI fetches `(code_id, dest, 0x5b, is_code = 1)`, so it lands on a
//!   real JUMPDEST; JUMPI is taken iff its condition is non-zero (`taken = [ΣBᵢ ≠ 0]` through an
//!   inverse: the limbs are below 2³², so the sum cannot wrap);
//! - storage: SLOAD and SSTORE provide `(ctr, address, key = A, write, value = B, dyn_gas)`
//!   on bus [`crate::storage::STORAGE`]; the Storage component proves the value read, the
//!   warm/cold state and the dynamic gas (`gas′ = gas − static_gas − dyn_gas`, and `dyn_gas = 0`
//!   on every other step). The frame's `address` is pinned by the start message and constant.
//!   SSTORE also proves `gas − 2301 ≥ 0` (two 16-bit range checks): it fails at or below the
//!   call stipend (EIP-2200);
//! - stack overflow: `1024 − sp′` is range-checked (16 bits). Underflow needs no check: a read
//!   below the bottom would be the first access of its slot, which the RW component requires
//!   to be a write.
//!
//! Invariant the argument relies on: every stack write's limbs are below 2³², proven by its
//! writer (bytes for PUSH, copies for DUP/SWAP, registers below 2³² for PC and GAS: the pc is a
//! code index, gas only decreases from the statement's start value, which is below 2³²).
//!
//! Gas needs no per-step range check: every cost is a non-negative table constant or a storage
//! cost below 2¹⁵ (a sum of flag-selected constants), so gas only decreases and the frame's
//! end bounds all of them: a STOP sends its gas to the statement, a halt range-checks its gas
//! register (it sends none). Dynamic costs computed from stack words (memory expansion) will
//! need one.
//!
//! Padding rows (`live = 0`) send nothing; their other cells are don't-cares.

use crate::algebra::Algebra;
use crate::bus::{BusId, BusValues, Direction, Interaction, PublicMessage};
use crate::bytecode::{BYTECODE, PUSH_VALUE};
use crate::component::{BoundaryRow, BoundaryValue, Component, Window};
use crate::registry::ComponentId;
use crate::rw::{Kind, RW};
use crate::storage::{ADDRESS_LIMBS, STORAGE};
use zkevm_field::Goldilocks;

/// Bus of the opcode table: `(opcode, family, n, static_gas)`, provided by the verifier.
pub const OPCODES: BusId = 20;
/// Bus of frame boundaries, provided by the verifier: `(0, ctx, code_id, pc, gas, sp, address)`
/// where a frame starts and `(1, ctx, code_id, gas left, success)` where it stops.
pub const FRAME: BusId = 21;

/// Bus of frame and block constants (ADDRESS, CALLER, TIMESTAMP, …): `(opcode, v₀…v₇)`,
/// provided by the verifier from the statement.
pub const CONTEXT: BusId = 26;
/// Bus of calldata words: `(offset₀…₇, word₀…₇)`, provided by the verifier from the
/// statement's calldata.
pub const CALLDATA: BusId = 27;

/// Maximum stack depth.
pub const STACK_LIMIT: u64 = 1024;
/// The JUMPDEST opcode, the only valid jump target.
const JUMPDEST: u64 = 0x5b;

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
    /// A step that ends the frame with a stack underflow or overflow instead of executing.
    HaltStack,
}

impl Family {
    /// Every family, in selector-column order.
    pub const ALL: [Family; 18] = [
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
        Family::HaltStack,
    ];

    /// The family of an opcode and its `n` (bytes pushed, or DUP/SWAP depth), if supported.
    pub fn of(opcode: u8) -> Option<(Family, u64)> {
        Some(match opcode {
            0x00 => (Family::Stop, 0),
            0x50 => (Family::Pop, 0),
            0x30 | 0x32 | 0x33 | 0x34 | 0x36 | 0x38 | 0x3a => (Family::Context, 0),
            0x41..=0x46 | 0x48 | 0x4a => (Family::Context, 0),
            0x35 => (Family::CallDataLoad, 0),
            0x14 => (Family::Eq, 0),
            0x15 => (Family::IsZero, 0),
            0x54 => (Family::Sload, 0),
            0x55 => (Family::Sstore, 0),
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
    pub const ADDRESS: usize = 47;
    /// Gas charged on top of the static cost (SLOAD, SSTORE).
    pub const DYN_GAS: usize = 52;
    /// SSTORE's `gas − 2301 = lo + 2¹⁶·hi` (EIP-2200: SSTORE needs more than the stipend).
    pub const STIPEND_LO: usize = 53;
    pub const STIPEND_HI: usize = 54;
    /// EQ / ISZERO: the result bit, written as the word `(result, 0, …, 0)`.
    pub const RESULT: usize = 55;
    /// EQ / ISZERO: inverses proving `result = [A = B]` (`B = 0` for ISZERO).
    pub const INV: usize = 56;
    /// A stack halt is an overflow (1) or an underflow (0).
    pub const OVERFLOW: usize = 64;
}

/// SSTORE fails unless more gas than the call stipend is left (EIP-2200).
const SSTORE_SENTRY: u64 = 2301;

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
    sload: V,
    sstore: V,
    context: V,
    calldataload: V,
    eq: V,
    iszero: V,
    halt: V,
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
            sload: s(Family::Sload),
            sstore: s(Family::Sstore),
            context: s(Family::Context),
            calldataload: s(Family::CallDataLoad),
            eq: s(Family::Eq),
            iszero: s(Family::IsZero),
            halt: s(Family::HaltStack),
        }
    }

    /// Steps that write a new top word from elsewhere than the stack.
    fn writes_register(&self) -> V {
        self.push0 + self.push + self.pc + self.gas + self.context
    }

    /// `sp′ − sp`.
    fn stack_change(&self) -> V {
        let two = V::from_u64(2);
        self.writes_register() + self.dup
            - self.pop
            - self.jump
            - self.eq
            - (self.jumpi + self.sstore) * two
    }

    /// Steps that compare words: EQ, ISZERO.
    fn compares(&self) -> V {
        self.eq + self.iszero
    }

    /// Steps that read a second word into `B` (SLOAD writes its result there).
    fn uses_b(&self) -> V {
        self.swap + self.jumpi + self.sload + self.sstore + self.calldataload + self.eq
    }

    /// Steps that replace the top word by a word looked up from it (`B` written where `A` was).
    fn replaces_top(&self) -> V {
        self.sload + self.calldataload + self.iszero
    }

    /// Steps that touch storage.
    fn storage(&self) -> V {
        self.sload + self.sstore
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
            + self.calldataload
            + self.compares();
        [
            first,
            self.dup + self.uses_b() + self.iszero,
            self.swap + self.eq,
            self.swap,
        ]
    }
}

/// The jump is taken: JUMP, or JUMPI with a non-zero condition.
fn jumps<V: Algebra>(r: &[V]) -> V {
    r[col::SEL + Family::Jump as usize - 1] + r[col::TAKEN]
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
        "is_halt_stack",
        "address0",
        "address1",
        "address2",
        "address3",
        "address4",
        "dyn_gas",
        "stipend_lo",
        "stipend_hi",
        "result",
        "inv0",
        "inv1",
        "inv2",
        "inv3",
        "inv4",
        "inv5",
        "inv6",
        "inv7",
        "overflow",
    ];

    fn transition_degrees(&self) -> Vec<usize> {
        let mut degrees = vec![2, 1, 2, 2, 4, 2, 2, 2, 2, 3];
        degrees.extend([2; ADDRESS_LIMBS]);
        degrees
    }

    fn eval_transition<V: Algebra>(&self, w: &Window<'_, V>, out: &mut [V]) {
        let (c, n) = (w.current, w.next);
        let one = V::one();
        let s = Selectors::of(c);
        let live_next = n[col::LIVE];
        // Live rows form a prefix; only row 0 is first.
        out[0] = (one - c[col::LIVE]) * live_next;
        out[1] = n[col::FIRST];
        // The frame and its code stay; the registers advance as the step says.
        out[2] = live_next * (n[col::CTX] - c[col::CTX]);
        out[3] = live_next * (n[col::CODE_ID] - c[col::CODE_ID]);
        let taken = jumps(c);
        let sequential = c[col::PC] + one + s.push * c[col::N];
        let next_pc = (one - taken) * sequential + taken * c[col::A];
        out[4] = live_next * (n[col::PC] - next_pc);
        out[5] = live_next * (n[col::GAS] - c[col::GAS] + c[col::STATIC_GAS] + c[col::DYN_GAS]);
        out[6] = live_next * (n[col::SP] - c[col::SP] - s.stack_change());
        let accesses = s.slots().into_iter().fold(V::zero(), |sum, e| sum + e);
        out[7] = live_next * (n[col::CTR] - c[col::CTR] - accesses);
        // STOP or a halt ends the frame, and the frame ends with one of them.
        let ends = s.stop + s.halt;
        out[8] = ends * live_next;
        out[9] = c[col::LIVE] * (one - live_next) * (one - ends);
        for j in 0..ADDRESS_LIMBS {
            out[10 + j] = live_next * (n[col::ADDRESS + j] - c[col::ADDRESS + j]);
        }
    }

    fn row_degrees(&self) -> Vec<usize> {
        let mut degrees = vec![2; 3 + Family::ALL.len()];
        degrees.extend([1, 2, 2, 3, 3, 2]);
        degrees.extend([2; LIMBS - 1]); // jump targets fit one limb
        degrees.extend([2, 2, 2]); // PC, GAS, PUSH0 values
        degrees.extend([2; LIMBS - 1]); // register values fit one limb
        degrees.extend([2; LIMBS]); // A unused
        degrees.extend([2; LIMBS]); // B unused
        degrees.extend([2, 2, 2, 2]); // dynamic gas, stipend
        degrees.extend([2, 2]); // result bit, zero elsewhere
        degrees.extend([3; LIMBS]); // result = 1 only for equal words
        degrees.push(3); // result = 0 only for different words
        degrees.extend([2; LIMBS]); // inverses zero elsewhere
        degrees.extend([2, 2]); // overflow bit, only on halts
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
        put((one - r[col::TAKEN]) * r[col::COND_INV]);
        let taken = jumps(r);
        for i in 1..LIMBS {
            put(taken * r[col::A + i]);
        }
        put(s.pc * (r[col::A] - r[col::PC]));
        put(s.gas * (r[col::A] - r[col::GAS] + r[col::STATIC_GAS]));
        put(s.push0 * r[col::A]);
        let register = s.pc + s.gas + s.push0;
        for i in 1..LIMBS {
            put(register * r[col::A + i]);
        }
        let [uses_a, ..] = s.slots();
        let uses_b = s.uses_b();
        for i in 0..LIMBS {
            put((one - uses_a) * r[col::A + i]);
        }
        for i in 0..LIMBS {
            put((one - uses_b) * r[col::B + i]);
        }
        put((one - s.storage()) * r[col::DYN_GAS]);
        // SSTORE: gas − 2301 = lo + 2¹⁶·hi; a halt: gas = lo + 2¹⁶·hi (halts send no gas, so
        // this bounds the gas register of a failed frame, and every earlier row's).
        let (lo, hi) = (r[col::STIPEND_LO], r[col::STIPEND_HI]);
        let gas_checked = s.sstore + s.halt;
        let floor = s.sstore * V::from_u64(SSTORE_SENTRY);
        put(gas_checked * (r[col::GAS] - floor - lo - hi * V::from_u64(1 << 16)));
        put((one - gas_checked) * lo);
        put((one - gas_checked) * hi);
        let result = r[col::RESULT];
        let compares = s.compares();
        put(result.booleanity());
        put((one - compares) * result);
        let mut dot = V::zero();
        for i in 0..LIMBS {
            let difference = r[col::A + i] - r[col::B + i];
            put(compares * result * difference);
            dot = dot + difference * r[col::INV + i];
        }
        put(compares * (one - result - dot));
        for i in 0..LIMBS {
            put((one - compares) * r[col::INV + i]);
        }
        put(r[col::OVERFLOW].booleanity());
        put((one - s.halt) * r[col::OVERFLOW]);
    }

    fn boundary(&self) -> Vec<BoundaryValue> {
        vec![
            BoundaryValue {
                column: col::FIRST,
                row: BoundaryRow::First,
                value: Goldilocks::ONE,
            },
            BoundaryValue {
                column: col::LIVE,
                row: BoundaryRow::Last,
                value: Goldilocks::ZERO,
            },
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
            Interaction::linear(BYTECODE, Direction::Consume, 4),
            Interaction::linear(FRAME, Direction::Consume, 6 + ADDRESS_LIMBS),
            Interaction {
                field_degree: 2,
                ..Interaction::linear(FRAME, Direction::Consume, 5)
            },
            Interaction {
                field_degree: 3,
                ..crate::range::lookup()
            },
            rw(2),
            rw(2),
            rw(2),
            rw(1),
            Interaction::linear(STORAGE, Direction::Provide, 3 + ADDRESS_LIMBS + 2 * LIMBS),
            crate::range::lookup(),
            crate::range::lookup(),
            Interaction::linear(CONTEXT, Direction::Consume, 1 + LIMBS),
            Interaction::linear(CALLDATA, Direction::Consume, 2 * LIMBS),
        ]
    }

    fn eval_interactions<V: Algebra>(&self, r: &[V], out: &mut [BusValues<V>]) {
        let one = V::one();
        let s = Selectors::of(r);
        let live = r[col::LIVE];
        let (ctx, code_id, pc, sp) = (r[col::CTX], r[col::CODE_ID], r[col::PC], r[col::SP]);
        let a = &r[col::A..col::A + LIMBS];
        let b = &r[col::B..col::B + LIMBS];
        out[0] = BusValues::new(live, &[code_id, pc, r[col::OPCODE], one]);
        let family = Family::ALL.iter().fold(V::zero(), |sum, &f| {
            sum + r[f.selector()] * V::from_u64(f as u64)
        });
        out[1] = BusValues::new(
            live,
            &[r[col::OPCODE], family, r[col::N], r[col::STATIC_GAS]],
        );
        let mut value = [V::zero(); 2 + LIMBS];
        value[0] = code_id;
        value[1] = pc + r[col::N];
        value[2..].copy_from_slice(a);
        out[2] = BusValues::new(s.push, &value);
        out[3] = BusValues::new(jumps(r), &[code_id, a[0], V::from_u64(JUMPDEST), one]);
        let address = &r[col::ADDRESS..col::ADDRESS + ADDRESS_LIMBS];
        let registers = [V::zero(), ctx, code_id, pc, r[col::GAS], sp];
        out[4] = BusValues::concat(r[col::FIRST], &[&registers, address]);
        // The frame's end: a STOP keeps its gas and succeeds, a halt consumes all gas.
        let gas_after = r[col::GAS] - r[col::STATIC_GAS];
        out[5] = BusValues::new(
            s.stop + s.halt,
            &[one, ctx, code_id, s.stop * gas_after, s.stop],
        );
        // Executed steps: sp′ ≤ 1024. A stack halt (the opcode table gives `n` = words needed,
        // `static_gas` = the largest sp the step allows): sp < n, or sp > the largest.
        let headroom = V::from_u64(STACK_LIMIT) - sp - s.stack_change();
        let overflow = r[col::OVERFLOW];
        let beyond =
            (one - overflow) * (r[col::N] - one - sp) + overflow * (sp - r[col::STATIC_GAS] - one);
        out[6] = BusValues::new(live, &[(one - s.halt) * headroom + s.halt * beyond]);

        // Stack accesses, in the order of the witness: reads top first, then writes.
        let [e0, e1, e2, e3] = s.slots();
        let slot1_users = s.dup + s.uses_b() + s.iszero;
        let deep = sp - one - r[col::N]; // SWAPn's other word
        let slot_fields = [
            (
                sp - s.pop
                    - s.swap
                    - s.jump
                    - s.jumpi
                    - s.storage()
                    - s.calldataload
                    - s.compares()
                    - s.dup * r[col::N],
                s.writes_register(),
            ),
            (
                slot1_users * sp
                    - s.swap * (one + r[col::N])
                    - (s.jumpi + s.sstore + s.eq) * V::from_u64(2)
                    - s.replaces_top(),
                s.dup + s.replaces_top(),
            ),
            (s.swap * deep + s.eq * (sp - V::from_u64(2)), one),
            (sp - one, one),
        ];
        let uses_b = s.uses_b();
        // The comparison result as a word: (result, 0, …, 0).
        let mut result = [V::zero(); LIMBS];
        result[0] = r[col::RESULT];
        let mut slot1_value = [V::zero(); LIMBS];
        let mut slot2_value = [V::zero(); LIMBS];
        for i in 0..LIMBS {
            slot1_value[i] = s.dup * a[i] + uses_b * b[i] + s.iszero * result[i];
            slot2_value[i] = s.swap * a[i] + s.eq * result[i];
        }
        let values: [&[V]; 4] = [a, &slot1_value, &slot2_value, b];
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
            out[7 + k] = BusValues::new(enabled, &fields);
        }
        // Storage: (ctr, address, key A, write, value B, dynamic gas).
        out[11] = BusValues::concat(
            s.storage(),
            &[
                &[r[col::CTR]],
                address,
                a,
                &[s.sstore],
                b,
                &[r[col::DYN_GAS]],
            ],
        );
        out[12] = BusValues::new(s.sstore + s.halt, &[r[col::STIPEND_LO]]);
        out[13] = BusValues::new(s.sstore + s.halt, &[r[col::STIPEND_HI]]);
        out[14] = BusValues::concat(s.context, &[&[r[col::OPCODE]], a]);
        out[15] = BusValues::concat(s.calldataload, &[a, b]);
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

/// Where a frame starts: `(0, ctx, code_id, pc = 0, gas, sp = 0, address₀…₄)`.
pub fn start_message(
    ctx: u32,
    code_id: u64,
    gas: u64,
    address: &[u32; ADDRESS_LIMBS],
) -> PublicMessage {
    let mut fields = vec![
        Goldilocks::ZERO,
        Goldilocks::new(ctx as u64),
        Goldilocks::new(code_id),
        Goldilocks::ZERO,
        Goldilocks::new(gas),
        Goldilocks::ZERO,
    ];
    fields.extend(address.iter().map(|&l| Goldilocks::new(l as u64)));
    PublicMessage::provide(FRAME, &fields)
}

/// Where a frame stops: `(1, ctx, code_id, gas left, success)`.
pub fn stop_message(ctx: u32, code_id: u64, gas_left: u64, success: bool) -> PublicMessage {
    PublicMessage::provide(
        FRAME,
        &[
            Goldilocks::ONE,
            Goldilocks::new(ctx as u64),
            Goldilocks::new(code_id),
            Goldilocks::new(gas_left),
            Goldilocks::new(success as u64),
        ],
    )
}

/// The opcode-table row of a step of `opcode` that halts on its stack:
/// `(opcode, HaltStack, words needed, largest sp allowed)`.
pub fn stack_halt_message(opcode: u8) -> Option<PublicMessage> {
    let info = zkevm_evm_spec::opcodes::info(opcode)?;
    let (needed, produced) = (info.stack_in as u64, info.stack_out as u64);
    Some(PublicMessage::provide(
        OPCODES,
        &[
            Goldilocks::new(opcode as u64),
            Goldilocks::new(Family::HaltStack as u64),
            Goldilocks::new(needed),
            Goldilocks::new(STACK_LIMIT + needed - produced),
        ],
    ))
}

mod trace;
pub use trace::{trace, CpuError, CpuTrace};

#[cfg(test)]
pub(crate) mod tests;
