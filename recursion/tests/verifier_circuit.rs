//! The whole STARK verifier as a circuit, on real Poseidon-committed proofs of the Fibonacci
//! AIR: honest proofs satisfy it, and a proof tampered in any part leaves it unsatisfied.

use ark_bn254::Fr;
use ark_relations::gr1cs::{ConstraintSynthesizer, ConstraintSystem};
use zkevm_air::examples::fibonacci::{fib_trace, FibAir, FibInputs};
use zkevm_field::{FieldElement, Goldilocks, Quadratic};
use zkevm_prover::standalone::prove_air_with;
use zkevm_recursion::block::prove_component;
use zkevm_recursion::verifier::{verify_in_circuit, ProofWitness, VerifierCircuit, WrapError};
use zkevm_recursion::{wrap_options, PoseidonBn254};

fn circuit(rows: usize) -> VerifierCircuit {
    let trace = fib_trace(rows);
    let inputs = FibInputs::of(&trace);
    let proof = prove_air_with::<FibAir, PoseidonBn254>(trace, inputs, wrap_options()).unwrap();
    VerifierCircuit::for_proof::<FibAir>(&proof, inputs).unwrap()
}

/// Whether the circuit with `witness` is satisfied, and its size.
fn satisfied(circuit: &VerifierCircuit, witness: ProofWitness) -> (bool, usize) {
    let cs = ConstraintSystem::<Fr>::new_ref();
    let c = VerifierCircuit {
        shape: circuit.shape.clone(),
        witness: Some(witness),
    };
    c.generate_constraints(cs.clone()).unwrap();
    let ok = cs.is_satisfied().unwrap();
    if !ok {
        println!(
            "  first unsatisfied: {:?}",
            cs.which_is_unsatisfied().unwrap()
        );
    }
    (ok, cs.num_constraints())
}

fn one() -> Goldilocks {
    Goldilocks::new(1)
}

fn q1() -> Quadratic {
    Quadratic::new(Goldilocks::new(0), Goldilocks::new(1))
}

#[test]
fn honest_proofs_satisfy_the_verifier_circuit_and_each_tampered_part_breaks_it() {
    let c = circuit(64);
    let shape = &c.shape;
    assert_eq!(shape.fri_layers, 1);
    let honest = c.witness.clone().unwrap();
    let (ok, constraints) = satisfied(&c, honest.clone());
    assert!(ok, "the honest proof does not satisfy the circuit");
    println!(
        "Fibonacci, 64 rows, {} queries, {} FRI layer(s): {constraints} constraints",
        shape.draw.num_queries, shape.fri_layers
    );

    let mut tampered: Vec<(&str, ProofWitness)> = Vec::new();
    let mut add = |what, f: &dyn Fn(&mut ProofWitness)| {
        let mut w = honest.clone();
        f(&mut w);
        tampered.push((what, w));
    };
    add("trace value", &|w| w.queries[3].trace.values[1] += one());
    add("trace sibling", &|w| {
        w.queries[0].trace.path[4] += Fr::from(1u64)
    });
    add("composition value", &|w| {
        w.queries[2].quotients.values[0] += q1()
    });
    add("OOD trace value", &|w| w.ood.trace_current[0] += q1());
    add("OOD next trace value", &|w| {
        w.ood.trace_next[1] += one().into()
    });
    add("OOD composition value", &|w| {
        w.ood.quotient_current[0] += q1()
    });
    add("OOD next composition value", &|w| {
        w.ood.quotient_next[0] += q1()
    });
    add("FRI layer value", &|w| {
        w.queries[5].layers[0].values[2] += q1()
    });
    add("FRI sibling", &|w| {
        w.queries[1].layers[0].path[0] += Fr::from(1u64)
    });
    add("FRI root", &|w| w.fri_roots[0] += Fr::from(1u64));
    add("remainder", &|w| w.remainder[1] += q1());
    add("nonce", &|w| w.nonce ^= 1);
    add("statement", &|w| w.inputs[0] += one());
    add("trace root", &|w| w.trace_root += Fr::from(1u64));
    add("composition root", &|w| w.constraint_root += Fr::from(1u64));
    let remainder_root = honest.fri_roots.len() - 1;
    add("remainder commitment", &|w| {
        w.fri_roots[remainder_root] += Fr::from(1u64)
    });
    for (what, w) in tampered {
        assert!(
            !satisfied(&c, w).0,
            "a tampered {what} satisfied the circuit"
        );
    }
    // The honest witness under another public input: the inputs are bound to it.
    let cs = ConstraintSystem::<Fr>::new_ref();
    let other = c.statement().unwrap() + Fr::from(1u64);
    verify_in_circuit(cs.clone(), shape, Some(&honest), Some(other)).unwrap();
    assert!(
        !cs.is_satisfied().unwrap(),
        "another public input satisfied the circuit"
    );
}

#[test]
fn proofs_with_several_fri_layers_satisfy_the_circuit() {
    let c = circuit(512);
    assert_eq!(c.shape.fri_layers, 2);
    let honest = c.witness.clone().unwrap();
    let (ok, constraints) = satisfied(&c, honest.clone());
    assert!(ok);
    println!("Fibonacci, 512 rows, 2 FRI layers: {constraints} constraints");
    let mut second = honest;
    second.queries[4].layers[1].values[5] += q1();
    assert!(
        !satisfied(&c, second).0,
        "a tampered second-layer value was accepted"
    );
}

#[test]
fn proofs_the_native_verifier_rejects_are_not_wrapped() {
    let trace = fib_trace(64);
    let inputs = FibInputs::of(&trace);
    let proof = prove_air_with::<FibAir, PoseidonBn254>(trace, inputs, wrap_options()).unwrap();
    let wrong = FibInputs {
        result: inputs.result + one(),
    };
    assert!(matches!(
        VerifierCircuit::for_proof::<FibAir>(&proof, wrong),
        Err(WrapError::Rejected(_))
    ));
    // A proof of a two-column trace read as a four-column component: refused, no panic.
    let inputs = zkevm_air::ComponentInputs {
        gamma: q1(),
        beta: q1(),
        claim: q1(),
        offset: 0,
    };
    let other = VerifierCircuit::for_proof::<zkevm_air::ComponentAir<zkevm_air::examples::Limbs>>(
        &proof, inputs,
    );
    assert!(matches!(other, Err(WrapError::Malformed(_))), "{other:?}");
}

/// A proof of a component with a LogUp auxiliary segment (the bus), committed with Poseidon,
/// with the public inputs `[γ, β, claim]`.
fn component_circuit<C: zkevm_air::Component>(columns: Vec<Vec<Goldilocks>>) -> VerifierCircuit {
    let (gamma, beta) = (
        Quadratic::new(Goldilocks::new(0x1234_5678), Goldilocks::new(99)),
        Quadratic::new(Goldilocks::new(0xdead_beef), Goldilocks::new(7)),
    );
    let (proof, inputs) = prove_component::<C>(columns, gamma, beta).unwrap();
    VerifierCircuit::for_proof::<zkevm_air::ComponentAir<C>>(&proof, inputs).unwrap()
}

#[test]
fn component_proofs_with_a_bus_segment_satisfy_the_circuit_and_a_tampered_bus_breaks_it() {
    use zkevm_air::examples::{limbs_trace, Limbs};
    let words: Vec<u32> = (0..40)
        .map(|i| 0x0101_0101u32.wrapping_mul(i * 7 + 3))
        .collect();
    let c = component_circuit::<Limbs>(limbs_trace(&words));
    assert!(c.shape.aux_width > 0);
    let honest = c.witness.clone().unwrap();
    let (ok, constraints) = satisfied(&c, honest.clone());
    assert!(
        ok,
        "the honest component proof does not satisfy the circuit"
    );
    println!(
        "limbs component ({} rows, {} main + {} auxiliary columns): {constraints} constraints",
        c.shape.trace_length, c.shape.width, c.shape.aux_width
    );
    let mut tampered: Vec<(&str, ProofWitness)> = Vec::new();
    let mut add = |what, f: &dyn Fn(&mut ProofWitness)| {
        let mut w = honest.clone();
        f(&mut w);
        tampered.push((what, w));
    };
    // The statement is [γ, β, claim], two elements each.
    add("claimed bus sum", &|w| w.inputs[4] += one());
    add("challenge γ", &|w| w.inputs[0] += one());
    add("auxiliary value", &|w| w.queries[1].aux.values[0] += q1());
    add("auxiliary sibling", &|w| {
        w.queries[2].aux.path[3] += Fr::from(1u64)
    });
    add("auxiliary root", &|w| w.aux_root += Fr::from(1u64));
    let last = honest.ood.trace_current.len() - 1;
    add("OOD auxiliary value", &|w| {
        w.ood.trace_current[last] += q1()
    });
    for (what, w) in tampered {
        assert!(
            !satisfied(&c, w).0,
            "a tampered {what} satisfied the circuit"
        );
    }
}

/// The out-of-domain check alone, at a free point `z` with free coefficients and frame (no
/// transcript binds them here): it holds exactly when the composition value is what
/// winterfell's own constraint evaluation gives, so a change to any frame value, input or
/// coefficient breaks it.
#[test]
fn the_out_of_domain_check_agrees_with_winterfells_constraint_evaluation() {
    use winterfell::{Air, EvaluationFrame, TraceInfo};
    use zkevm_recursion::goldilocks::{GoldilocksVar, QuadraticVar};
    use zkevm_recursion::verifier::ood::{check, OodVars};
    use zkevm_recursion::wrap::WrappedAir;
    let shape = WrappedAir::Fibonacci.shape(6).unwrap();
    let inputs = FibInputs {
        result: Goldilocks::new(0x1234_5678_9abc),
    };
    let air = FibAir::new(TraceInfo::new(2, 64), inputs, wrap_options());
    let p = zkevm_recursion::symbolic::sample_points(10, 0x9e37_79b9_7f4a_7c15);
    let (z, current, next) = (p[0], vec![p[1], p[2]], vec![p[3], p[4]]);
    let coefficients = p[5..10].to_vec();
    // winterfell's evaluation at z: transitions over their divisor, assertions over theirs.
    let frame = EvaluationFrame::from_rows(current.clone(), next.clone());
    let mut evaluations = [Quadratic::ZERO; 2];
    air.evaluate_transition(&frame, &[], &mut evaluations);
    let mut expected = air
        .get_transition_constraints(&coefficients[..2])
        .combine_evaluations::<Quadratic>(&evaluations, &[], z);
    for group in air
        .get_boundary_constraints(None, &coefficients[2..])
        .main_constraints()
    {
        expected += group.evaluate_at(frame.current(), z);
    }
    let satisfied = |current: &[Quadratic], result: Goldilocks, h: Quadratic| {
        let cs = ConstraintSystem::<Fr>::new_ref();
        let vars = |v: &[Quadratic]| -> Vec<QuadraticVar> {
            (v.iter())
                .map(|x| QuadraticVar::witness_of(cs.clone(), Some(*x)).unwrap())
                .collect()
        };
        let ood = OodVars {
            trace_current: vars(current),
            trace_next: vars(&next),
            // H(z) = Σ (zⁿ)ʲ·Hⱼ(z): the first column carries it all.
            quotient_current: vars(&[vec![h], vec![Quadratic::ZERO; shape.quotients - 1]].concat()),
            quotient_next: vars(&vec![Quadratic::ZERO; shape.quotients]),
        };
        let input = GoldilocksVar::new_witness(cs.clone(), Some(result)).unwrap();
        check(&shape, &vars(&[z])[0], &ood, &[input], &vars(&coefficients)).unwrap();
        cs.is_satisfied().unwrap()
    };
    assert!(satisfied(&current, inputs.result, expected));
    assert!(!satisfied(&current, inputs.result, expected + q1()));
    assert!(!satisfied(
        &[current[0], current[1] + q1()],
        inputs.result,
        expected
    ));
    assert!(!satisfied(&current, inputs.result + one(), expected));
}
