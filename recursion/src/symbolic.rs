//! Constraint definitions recorded as expressions, so the verifier circuit evaluates the very
//! constraints the prover evaluates (no second copy of any AIR).
//!
//! [`Symbolic`] implements the air crate's [`Algebra`] with `Copy` handles into a
//! thread-local arena: running a component's `eval_transition` / `eval_row` on symbolic
//! inputs once records every ring operation as a node of an expression DAG ([`record`]). The
//! DAG then evaluates on any [`Evaluator`]: natively (to check it against the direct
//! evaluation) or on circuit variables.

use std::cell::RefCell;
use std::ops::{Add, Mul, Neg, Sub};
use zkevm_air::algebra::{Algebra, Extends};
use zkevm_field::Goldilocks;

/// A node of the expression DAG.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Node {
    Input(u32),
    Constant(Goldilocks),
    Add(u32, u32),
    Sub(u32, u32),
    Mul(u32, u32),
    Neg(u32),
}

thread_local! {
    static ARENA: RefCell<Vec<Node>> = const { RefCell::new(Vec::new()) };
}

/// A value during recording: the index of its node.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Symbolic(u32);

fn push(node: Node) -> Symbolic {
    ARENA.with(|arena| {
        let mut arena = arena.borrow_mut();
        arena.push(node);
        Symbolic(arena.len() as u32 - 1)
    })
}

impl Add for Symbolic {
    type Output = Symbolic;
    fn add(self, other: Symbolic) -> Symbolic {
        push(Node::Add(self.0, other.0))
    }
}

impl Sub for Symbolic {
    type Output = Symbolic;
    fn sub(self, other: Symbolic) -> Symbolic {
        push(Node::Sub(self.0, other.0))
    }
}

impl Mul for Symbolic {
    type Output = Symbolic;
    fn mul(self, other: Symbolic) -> Symbolic {
        push(Node::Mul(self.0, other.0))
    }
}

impl Neg for Symbolic {
    type Output = Symbolic;
    fn neg(self) -> Symbolic {
        push(Node::Neg(self.0))
    }
}

impl Algebra for Symbolic {
    fn constant(value: Goldilocks) -> Symbolic {
        push(Node::Constant(value))
    }
}

/// One recording holds base and extension values alike (the evaluation decides the field).
impl Extends<Symbolic> for Symbolic {
    fn lift(value: Symbolic) -> Symbolic {
        value
    }
}

/// A recorded set of expressions over `inputs` input values.
#[derive(Debug, Clone)]
pub struct Expressions {
    nodes: Vec<Node>,
    outputs: Vec<u32>,
    inputs: usize,
}

/// Records what `f` computes from `inputs` symbolic inputs (it pushes its results). Nodes no
/// output depends on are dropped.
pub fn record(inputs: usize, f: impl FnOnce(&[Symbolic], &mut Vec<Symbolic>)) -> Expressions {
    ARENA.with(|arena| arena.borrow_mut().clear());
    let leaves: Vec<Symbolic> = (0..inputs as u32).map(|i| push(Node::Input(i))).collect();
    let mut outputs = Vec::new();
    f(&leaves, &mut outputs);
    let nodes = ARENA.with(|arena| std::mem::take(&mut *arena.borrow_mut()));
    Expressions {
        nodes,
        outputs: outputs.iter().map(|s| s.0).collect(),
        inputs,
    }
    .pruned()
}

/// How to compute on some representation `T` of field values.
pub trait Evaluator<T> {
    type Error;
    fn constant(&mut self, value: Goldilocks) -> Result<T, Self::Error>;
    fn add(&mut self, a: &T, b: &T) -> Result<T, Self::Error>;
    fn sub(&mut self, a: &T, b: &T) -> Result<T, Self::Error>;
    fn mul(&mut self, a: &T, b: &T) -> Result<T, Self::Error>;
    fn neg(&mut self, a: &T) -> Result<T, Self::Error>;
}

/// Operation counts of a DAG.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Counts {
    pub multiplications: usize,
    pub linear: usize,
    pub constants: usize,
}

impl Expressions {
    /// The expressions' values on `inputs`.
    pub fn evaluate<T: Clone, V: Evaluator<T>>(
        &self,
        inputs: &[T],
        evaluator: &mut V,
    ) -> Result<Vec<T>, V::Error> {
        assert_eq!(inputs.len(), self.inputs, "input count");
        let mut values: Vec<T> = Vec::with_capacity(self.nodes.len());
        for node in &self.nodes {
            let at = |i: &u32| &values[*i as usize];
            let value = match node {
                Node::Input(i) => inputs[*i as usize].clone(),
                Node::Constant(c) => evaluator.constant(*c)?,
                Node::Add(a, b) => evaluator.add(at(a), at(b))?,
                Node::Sub(a, b) => evaluator.sub(at(a), at(b))?,
                Node::Mul(a, b) => evaluator.mul(at(a), at(b))?,
                Node::Neg(a) => evaluator.neg(at(a))?,
            };
            values.push(value);
        }
        Ok(self
            .outputs
            .iter()
            .map(|o| values[*o as usize].clone())
            .collect())
    }

    /// How many operations of each kind the DAG holds.
    pub fn counts(&self) -> Counts {
        let mut counts = Counts::default();
        for node in &self.nodes {
            match node {
                Node::Mul(..) => counts.multiplications += 1,
                Node::Add(..) | Node::Sub(..) | Node::Neg(_) => counts.linear += 1,
                Node::Constant(_) => counts.constants += 1,
                Node::Input(_) => {}
            }
        }
        counts
    }

    /// Number of output expressions.
    pub fn outputs(&self) -> usize {
        self.outputs.len()
    }

    /// Drops nodes no output reaches (inputs stay: their positions are the input order).
    fn pruned(self) -> Self {
        let mut live = vec![false; self.nodes.len()];
        for &o in &self.outputs {
            live[o as usize] = true;
        }
        for i in (0..self.nodes.len()).rev() {
            if !live[i] {
                continue;
            }
            // Operands precede their node (a handle from another recording would not).
            match self.nodes[i] {
                Node::Add(a, b) | Node::Sub(a, b) | Node::Mul(a, b) => {
                    debug_assert!((a as usize) < i && (b as usize) < i);
                    live[a as usize] = true;
                    live[b as usize] = true;
                }
                Node::Neg(a) => live[a as usize] = true,
                Node::Input(_) | Node::Constant(_) => {}
            }
        }
        let mut index = vec![0u32; self.nodes.len()];
        let mut nodes = Vec::new();
        for (i, node) in self.nodes.iter().enumerate() {
            if !live[i] && !matches!(node, Node::Input(_)) {
                continue;
            }
            let map = |j: u32| index[j as usize];
            let renumbered = match *node {
                Node::Add(a, b) => Node::Add(map(a), map(b)),
                Node::Sub(a, b) => Node::Sub(map(a), map(b)),
                Node::Mul(a, b) => Node::Mul(map(a), map(b)),
                Node::Neg(a) => Node::Neg(map(a)),
                other => other,
            };
            index[i] = nodes.len() as u32;
            nodes.push(renumbered);
        }
        let outputs = self.outputs.iter().map(|&o| index[o as usize]).collect();
        Expressions {
            nodes,
            outputs,
            inputs: self.inputs,
        }
    }
}

/// Evaluation in a field (the quadratic extension, say): the reference the circuit must match.
pub struct Native;

impl<E: zkevm_field::FieldElement<BaseField = Goldilocks>> Evaluator<E> for Native {
    type Error = std::convert::Infallible;
    fn constant(&mut self, value: Goldilocks) -> Result<E, Self::Error> {
        Ok(E::from(value))
    }
    fn add(&mut self, a: &E, b: &E) -> Result<E, Self::Error> {
        Ok(*a + *b)
    }
    fn sub(&mut self, a: &E, b: &E) -> Result<E, Self::Error> {
        Ok(*a - *b)
    }
    fn mul(&mut self, a: &E, b: &E) -> Result<E, Self::Error> {
        Ok(*a * *b)
    }
    fn neg(&mut self, a: &E) -> Result<E, Self::Error> {
        Ok(-*a)
    }
}

/// Deterministic pseudo-random extension elements (xorshift from `seed`): points at which a
/// recording is compared with a direct evaluation.
pub fn sample_points(n: usize, seed: u64) -> Vec<zkevm_field::Quadratic> {
    let mut state = seed | 1;
    let mut next = || {
        state ^= state << 13;
        state ^= state >> 7;
        state ^= state << 17;
        Goldilocks::new(state)
    };
    (0..n)
        .map(|_| zkevm_field::Quadratic::new(next(), next()))
        .collect()
}
