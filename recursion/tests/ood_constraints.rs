//! The verifier circuit evaluates components' constraints from the same definitions the
//! prover uses: recorded symbolically, they give the direct evaluation's values natively and
//! in the circuit, at a random out-of-domain-like point of the quadratic extension.

use ark_bn254::Fr;
use ark_relations::gr1cs::ConstraintSystem;
use zkevm_air::component::{Component, Window};
use zkevm_field::{FieldElement, Quadratic};
use zkevm_recursion::goldilocks::{combine, InCircuit, LazyInCircuit, LazyQuadratic, QuadraticVar};
use zkevm_recursion::symbolic::{record, sample_points, Expressions, Native};

/// Transition constraints, then row constraints on the current and the next row, over the
/// two rows' cells (current first).
fn constraints<C: Component, V: zkevm_air::algebra::Algebra>(component: &C, cells: &[V]) -> Vec<V> {
    let width = C::COLUMNS.len();
    let (current, next) = cells.split_at(width);
    let mut t = vec![V::zero(); component.transition_degrees().len()];
    component.eval_transition(&Window { current, next }, &mut t);
    let rows = component.row_degrees().len();
    let (mut on_current, mut on_next) = (vec![V::zero(); rows], vec![V::zero(); rows]);
    component.eval_row(current, &mut on_current);
    component.eval_row(next, &mut on_next);
    t.into_iter().chain(on_current).chain(on_next).collect()
}

fn recorded<C: Component>(component: &C) -> Expressions {
    record(2 * C::COLUMNS.len(), |cells, out| {
        out.extend(constraints(component, cells))
    })
}

/// Pseudo-random extension elements (a fixed seed: the test is deterministic).
fn point(n: usize) -> Vec<Quadratic> {
    sample_points(n, 0x9e37_79b9_7f4a_7c15)
}

fn check<C: Component>(component: &C) {
    let expressions = recorded(component);
    let cells = point(2 * C::COLUMNS.len());
    let direct = constraints(component, &cells);
    let native: Vec<Quadratic> = expressions.evaluate(&cells, &mut Native).unwrap();
    assert_eq!(native, direct, "{}", C::NAME);
    let cs = ConstraintSystem::<Fr>::new_ref();
    let vars: Vec<QuadraticVar> = cells
        .iter()
        .map(|c| QuadraticVar::new_witness(cs.clone(), Some(c.to_base_elements())).unwrap())
        .collect();
    let before = cs.num_constraints();
    let in_circuit = expressions.evaluate(&vars, &mut InCircuit).unwrap();
    for (v, d) in in_circuit.iter().zip(&direct) {
        assert_eq!(v.value().unwrap(), d.to_base_elements(), "{}", C::NAME);
    }
    assert!(cs.is_satisfied().unwrap());
    let eager = cs.num_constraints() - before;
    // Lazily: reductions only where products would outgrow the field, and at the outputs.
    let before = cs.num_constraints();
    let inputs: Vec<LazyQuadratic> = vars.iter().map(LazyQuadratic::from_reduced).collect();
    let lazy = expressions.evaluate(&inputs, &mut LazyInCircuit).unwrap();
    for (v, d) in lazy.iter().zip(&direct) {
        assert_eq!(
            v.reduced().unwrap().value().unwrap(),
            d.to_base_elements(),
            "{}",
            C::NAME
        );
    }
    assert!(cs.is_satisfied().unwrap());
    let lazy = cs.num_constraints() - before;
    // Folded with composition coefficients (as the verifier uses them), reduced once.
    let alphas = point(direct.len());
    let alpha_vars: Vec<QuadraticVar> = alphas
        .iter()
        .map(|a| QuadraticVar::new_witness(cs.clone(), Some(a.to_base_elements())).unwrap())
        .collect();
    let inputs: Vec<LazyQuadratic> = vars.iter().map(LazyQuadratic::from_reduced).collect();
    let before = cs.num_constraints();
    let values = expressions.evaluate(&inputs, &mut LazyInCircuit).unwrap();
    let folded = combine(&values, &alpha_vars).unwrap();
    let expected = direct
        .iter()
        .zip(&alphas)
        .fold(Quadratic::ZERO, |sum, (c, a)| sum + *c * *a);
    assert_eq!(folded.value().unwrap(), expected.to_base_elements());
    assert!(cs.is_satisfied().unwrap());
    let folded = cs.num_constraints() - before;
    let counts = expressions.counts();
    println!(
        "{}: {} constraints ({} multiplications, {} additions): {eager} R1CS constraints reducing \
         every step, {lazy} lazily, {folded} folded with composition coefficients",
        C::NAME,
        expressions.outputs(),
        counts.multiplications,
        counts.linear,
    );
    assert!(folded < lazy && lazy < eager);
}

/// Records `component`'s constraints, checks them natively and prints their size.
fn size<C: Component>(component: &C) {
    let expressions = recorded(component);
    let cells = point(2 * C::COLUMNS.len());
    let native: Vec<Quadratic> = expressions.evaluate(&cells, &mut Native).unwrap();
    assert_eq!(native, constraints(component, &cells), "{}", C::NAME);
    let counts = expressions.counts();
    println!(
        "{}: {} constraints ({} multiplications, {} additions)",
        C::NAME,
        expressions.outputs(),
        counts.multiplications,
        counts.linear
    );
}

#[test]
fn recorded_constraints_evaluate_as_the_prover_evaluates_them_natively_and_in_circuit() {
    check(&zkevm_air::examples::Limbs);
    check(&zkevm_air::storage::Storage);
    // Every EVM component, recorded (and checked natively) only: its size before any circuit.
    use zkevm_air::*;
    size(&cpu::Cpu);
    size(&rw::ReadWrite);
    size(&memory::Memory);
    size(&bytecode::Bytecode);
    size(&range::RangeTable);
    size(&arithmetic::Arithmetic);
    size(&bitwise::Bitwise);
    size(&and_table::AndTable);
    size(&muldiv::MulDiv);
    size(&modular::Modular);
    size(&signextend::SignExtend);
    size(&exp::Exp);
    size(&copy::Copy);
    size(&log::Log);
    size(&output::Output);
}
