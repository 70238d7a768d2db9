//! Helpers shared by the components' unit tests: fixed challenges, a trace's bus claim, and
//! a whole block's constraints and balance.

use crate::bus::{build_aux_columns, claim_of, public_sum};
use crate::component::{Component, ComponentTrace};
use crate::PublicMessage;

pub use crate::check::check_block;
use zkevm_field::{FieldElement, Goldilocks, Quadratic};

/// Fixed γ, β (tests do not need them drawn from a transcript).
pub fn challenges() -> (Quadratic, Quadratic) {
    (
        Quadratic::new(Goldilocks::new(123_456_789), Goldilocks::new(42)),
        Quadratic::new(Goldilocks::new(987_654_321), Goldilocks::new(7)),
    )
}

/// The claimed sum of `columns` as a trace of `component` under [`challenges`].
pub fn claim<C: Component>(component: &C, columns: &[Vec<Goldilocks>]) -> Quadratic {
    let (gamma, beta) = challenges();
    claim_of(&build_aux_columns(component, columns, gamma, beta).expect("aux columns"))
}

/// What `messages` add to the bus under [`challenges`].
pub fn public(messages: &[PublicMessage]) -> Quadratic {
    let (gamma, beta) = challenges();
    public_sum(messages, gamma, beta).expect("public messages")
}

/// The block's bus balance under [`challenges`] (zero when balanced): all claims plus the
/// public messages.
pub fn block_imbalance(traces: &[ComponentTrace], messages: &[PublicMessage]) -> Quadratic {
    let (gamma, beta) = challenges();
    crate::bus::block_imbalance(traces, messages, gamma, beta).expect("aux columns")
}

/// True when the block breaks a constraint or does not balance.
pub fn block_rejected(traces: &[ComponentTrace], messages: &[PublicMessage]) -> bool {
    check_block(traces).is_err() || block_imbalance(traces, messages) != Quadratic::ZERO
}

/// An honest block whose components are tampered with one at a time: each component's claim
/// is computed once, so a tamper costs one component's constraint check and auxiliary trace
/// instead of the whole block's (the 65,536-row Range16 table would otherwise dominate).
pub struct TamperBench<'a> {
    traces: &'a [ComponentTrace],
    claims: Vec<Quadratic>,
    public: Quadratic,
}

impl<'a> TamperBench<'a> {
    /// Panics unless the honest block satisfies every constraint and balances: a tamper test
    /// on a block that is already rejected would prove nothing.
    pub fn new(traces: &'a [ComponentTrace], messages: &[PublicMessage]) -> Self {
        assert!(
            !block_rejected(traces, messages),
            "the honest block is rejected"
        );
        let claims = traces
            .iter()
            .map(|t| crate::with_component!(t.id, C => claim(&C::default(), &t.columns)))
            .collect();
        Self {
            traces,
            claims,
            public: public(messages),
        }
    }

    /// True when the honest traces with `messages` instead of the honest public messages do
    /// not balance (the traces' constraints do not depend on the messages).
    pub fn rejects_messages(&self, messages: &[PublicMessage]) -> bool {
        let claims = self.claims.iter().fold(Quadratic::ZERO, |sum, &c| sum + c);
        claims + public(messages) != Quadratic::ZERO
    }

    /// Asserts that changing any field of each message `which` names (indices into the honest
    /// `messages`) by 1 makes the block rejected.
    pub fn assert_fields_rejected(
        &self,
        messages: &[PublicMessage],
        which: impl IntoIterator<Item = usize>,
    ) {
        let mut wrong = messages.to_vec();
        for i in which {
            for field in 0..messages[i].fields.len() {
                wrong[i].fields[field] += Goldilocks::ONE;
                assert!(self.rejects_messages(&wrong), "message {i} field {field}");
                wrong[i].fields[field] -= Goldilocks::ONE;
            }
        }
    }

    /// True when the block with component `index`'s columns replaced by `columns` breaks a
    /// constraint or does not balance.
    pub fn rejects(&self, index: usize, columns: &[Vec<Goldilocks>]) -> bool {
        let id = self.traces[index].id;
        if crate::with_component!(id, C => crate::check::check_constraints(&C::default(), columns))
            .is_err()
        {
            return true;
        }
        let (gamma, beta) = challenges();
        let aux =
            crate::with_component!(id, C => build_aux_columns(&C::default(), columns, gamma, beta))
                .expect("aux columns");
        let others = (self.claims.iter().enumerate())
            .filter(|&(i, _)| i != index)
            .fold(Quadratic::ZERO, |sum, (_, &c)| sum + c);
        self.public + others + claim_of(&aux) != Quadratic::ZERO
    }
}

/// Runs `code` as the callee of a simple transaction and returns its witness.
pub fn run(code: &[u8]) -> zkevm_evm_spec::witness::Witness {
    run_with(code, &[])
}

/// Runs `code` with `calldata` as the callee of a simple transaction.
pub fn run_with(code: &[u8], calldata: &[u8]) -> zkevm_evm_spec::witness::Witness {
    run_with_gas(code, calldata, None)
}

/// Runs `code` with `calldata` as the callee of a simple transaction whose frame starts with
/// `frame_gas` (the transaction's gas limit less its intrinsic cost), or the default limit.
pub fn run_with_gas(
    code: &[u8],
    calldata: &[u8],
    frame_gas: Option<u64>,
) -> zkevm_evm_spec::witness::Witness {
    let mut setup = zkevm_evm_spec::exec::call_setup(code, calldata);
    if let Some(gas) = frame_gas {
        let intrinsic = 21_000
            + (calldata.iter())
                .map(|&b| if b == 0 { 4 } else { 16 })
                .sum::<u64>();
        setup.tx.gas_limit = intrinsic + gas;
    }
    let (_, witness) =
        zkevm_evm_spec::exec::execute_traced(&mut setup.db, &setup.block, &setup.chain, setup.tx)
            .expect("execution");
    witness
}

/// Runs `code` as the callee of a simple transaction, with `others` deployed at their
/// addresses (for it to call).
pub fn run_calling(
    code: &[u8],
    others: &[([u8; 20], Vec<u8>)],
) -> zkevm_evm_spec::witness::Witness {
    let mut setup = zkevm_evm_spec::exec::call_setup(code, &[]);
    for (address, other) in others {
        setup.db.insert(
            (*address).into(),
            zkevm_evm_spec::fixture::AccountState {
                code: other.clone().into(),
                ..Default::default()
            },
        );
    }
    let (_, witness) =
        zkevm_evm_spec::exec::execute_traced(&mut setup.db, &setup.block, &setup.chain, setup.tx)
            .expect("execution");
    witness
}

/// The block of a supported program.
pub fn block(code: &[u8]) -> crate::evm::EvmBlock {
    crate::evm::build(&run(code)).expect("a supported program")
}

/// The block of a witness, checked: its constraints hold and, with its statement's public
/// messages (returned alongside), its bus balances.
pub fn honest_block_of(
    witness: &zkevm_evm_spec::witness::Witness,
) -> (crate::evm::EvmBlock, Vec<PublicMessage>) {
    let block = crate::evm::build(witness).expect("a supported witness");
    check_block(&block.traces).unwrap();
    let public = block.statement.public_messages();
    if block_imbalance(&block.traces, &public) != Quadratic::ZERO {
        let unbalanced = unbalanced_messages(&block.traces, &public);
        panic!("the block does not balance: (bus, fields, net) {unbalanced:?}");
    }
    (block, public)
}

/// [`honest_block_of`] the program's witness.
pub fn honest_block(code: &[u8]) -> (crate::evm::EvmBlock, Vec<PublicMessage>) {
    honest_block_of(&run(code))
}

/// Words of `lengths[i]` pseudo-random low bytes each (xorshift from `seed`, so failures
/// reproduce): operands for the ALU tables' tests.
pub fn random_words(seed: u64, lengths: &[usize]) -> Vec<zkevm_evm_spec::witness::Word> {
    let mut state = seed;
    (lengths.iter())
        .map(|&len| {
            let mut bytes = [0u8; 32];
            for b in bytes[32 - len..].iter_mut() {
                state ^= state << 13;
                state ^= state >> 7;
                state ^= state << 17;
                *b = state as u8;
            }
            zkevm_evm_spec::witness::Word::from_be_bytes(bytes)
        })
        .collect()
}

/// A table tested alone, with the range table its 16-bit lookups need.
pub fn with_range_table(
    id: crate::ComponentId,
    columns: Vec<Vec<Goldilocks>>,
    range_lookups: Vec<u16>,
) -> Vec<ComponentTrace> {
    vec![
        ComponentTrace { id, columns },
        ComponentTrace {
            id: crate::ComponentId::Range16,
            columns: crate::range::trace_of(range_lookups),
        },
    ]
}

/// Asserts that changing any cell of `rows` of trace `t` by +1 or −1 makes the block rejected
/// (`names` are the trace's column names, for the failure message).
pub fn assert_changed_cells_rejected(
    honest: &[ComponentTrace],
    messages: &[PublicMessage],
    t: usize,
    names: &[&str],
    rows: &[usize],
) {
    for (column, name) in names.iter().enumerate() {
        for &row in rows {
            for delta in [Goldilocks::ONE, -Goldilocks::ONE] {
                let mut traces = honest.to_vec();
                traces[t].columns[column][row] += delta;
                assert!(
                    block_rejected(&traces, messages),
                    "{name} ({column}) at row {row} changed by {delta:?} accepted"
                );
            }
        }
    }
}

/// Asserts that changing any field of any of `messages` by 1 makes the block rejected.
pub fn assert_changed_message_fields_rejected(
    honest: &[ComponentTrace],
    messages: &[PublicMessage],
) {
    TamperBench::new(honest, messages).assert_fields_rejected(messages, 0..messages.len());
}

/// Why a component's trace is rejected in *every* block: whatever AND table the prover builds
/// (the table provides any true byte triple, any number of times), the trace must satisfy its
/// constraints, look up only true byte triples, and balance its other messages against
/// `messages` (the rest of the block, honest).
#[derive(Debug, PartialEq, Eq)]
pub enum Rejection {
    Constraint,
    NotAByteTriple,
    Unbalanced,
}

/// The [`Rejection`] of `columns` as a trace of `component`, if any.
pub fn rejection<C: Component>(
    component: &C,
    columns: &[Vec<Goldilocks>],
    messages: &[PublicMessage],
) -> Option<Rejection> {
    if crate::check::check_constraints(component, columns).is_err() {
        return Some(Rejection::Constraint);
    }
    bus_rejection(component, columns, messages)
}

/// The bus part of [`rejection`]: lookups outside every AND table, or an imbalance.
pub fn bus_rejection<C: Component>(
    component: &C,
    columns: &[Vec<Goldilocks>],
    messages: &[PublicMessage],
) -> Option<Rejection> {
    let shapes = component.interactions();
    let mut sent = Vec::new();
    let mut values = vec![crate::bus::BusValues::new(Goldilocks::ZERO, &[]); shapes.len()];
    for row in 0..columns[0].len() {
        let cells: Vec<Goldilocks> = columns.iter().map(|c| c[row]).collect();
        component.eval_interactions(&cells, &mut values);
        for (shape, v) in shapes.iter().zip(&values) {
            if v.multiplicity == Goldilocks::ZERO {
                continue;
            }
            let fields = &v.fields[..shape.num_fields];
            if shape.bus == crate::bitwise::BYTE_AND {
                let byte = |f: Goldilocks| u8::try_from(f.as_u64()).ok();
                let (Some(a), Some(b)) = (byte(fields[0]), byte(fields[1])) else {
                    return Some(Rejection::NotAByteTriple);
                };
                if fields[2] != Goldilocks::new(u64::from(a & b)) {
                    return Some(Rejection::NotAByteTriple);
                }
                continue;
            }
            sent.push(PublicMessage {
                bus: shape.bus,
                direction: shape.direction,
                multiplicity: v.multiplicity,
                fields: fields.to_vec(),
            });
        }
    }
    let (gamma, beta) = challenges();
    let own = crate::bus::public_sum(&sent, gamma, beta).ok()?;
    let theirs = crate::bus::public_sum(messages, gamma, beta).ok()?;
    (own + theirs != Quadratic::ZERO).then_some(Rejection::Unbalanced)
}

/// `len` pseudo-random field elements (an LCG from `seed`): rows as the LDE has them, far
/// from any honest trace.
pub fn pseudo_random(len: usize, seed: u64) -> Vec<Goldilocks> {
    let mut s = seed;
    (0..len)
        .map(|_| {
            s = s
                .wrapping_mul(6_364_136_223_846_793_005)
                .wrapping_add(1_442_695_040_888_963_407);
            Goldilocks::new(s >> 3)
        })
        .collect()
}

/// The messages of a block that do not balance: `(bus, fields, provided − consumed)` for every
/// message whose multiplicities (the components' rows' and the statement's) do not cancel.
/// For finding which bus an unbalanced block breaks; empty when it balances.
pub fn unbalanced_messages(
    traces: &[ComponentTrace],
    messages: &[PublicMessage],
) -> Vec<(crate::bus::BusId, Vec<u64>, i64)> {
    use crate::bus::{BusValues, Direction};
    use std::collections::BTreeMap;
    let mut net: BTreeMap<(crate::bus::BusId, Vec<u64>), Goldilocks> = BTreeMap::new();
    let mut add = |bus, direction: Direction, multiplicity: Goldilocks, fields: &[Goldilocks]| {
        let mut fields: Vec<u64> = fields.iter().map(|f| f.as_u64()).collect();
        while fields.last() == Some(&0) {
            fields.pop();
        }
        let signed = match direction {
            Direction::Provide => multiplicity,
            Direction::Consume => -multiplicity,
        };
        *net.entry((bus, fields)).or_insert(Goldilocks::ZERO) += signed;
    };
    for m in messages {
        add(m.bus, m.direction, m.multiplicity, &m.fields);
    }
    for t in traces {
        crate::with_component!(t.id, C => {
            let component = C::default();
            let shapes = component.interactions();
            let rows = t.columns.first().map_or(0, |c| c.len());
            for row in 0..rows {
                let r: Vec<Goldilocks> = t.columns.iter().map(|c| c[row]).collect();
                let mut out = vec![BusValues::new(Goldilocks::ZERO, &[]); shapes.len()];
                component.eval_interactions(&r, &mut out);
                for (shape, values) in shapes.iter().zip(&out) {
                    if values.multiplicity != Goldilocks::ZERO {
                        add(shape.bus, shape.direction, values.multiplicity, &values.fields);
                    }
                }
            }
        });
    }
    net.into_iter()
        .filter(|(_, m)| *m != Goldilocks::ZERO)
        .map(|((bus, fields), m)| {
            let (up, down) = (m.as_u64(), (-m).as_u64());
            let signed = if down < up { -(down as i64) } else { up as i64 };
            (bus, fields, signed)
        })
        .collect()
}
