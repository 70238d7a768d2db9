//! The whole STARK verifier as a circuit, on real Poseidon-committed proofs of the Fibonacci
//! AIR: honest proofs satisfy it, and a proof tampered in any part leaves it unsatisfied.

use ark_bn254::Fr;
use ark_relations::gr1cs::{ConstraintSynthesizer, ConstraintSystem};
use zkevm_air::examples::fibonacci::{fib_trace, FibAir, FibInputs};
use zkevm_field::{Goldilocks, Quadratic};
use zkevm_prover::standalone::prove_air_with;
use zkevm_recursion::verifier::{ProofWitness, VerifierCircuit, WrapError};
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
    for (what, w) in tampered {
        assert!(
            !satisfied(&c, w).0,
            "a tampered {what} satisfied the circuit"
        );
    }
}

#[test]
fn proofs_with_several_fri_layers_satisfy_the_circuit() {
    let c = circuit(512);
    assert_eq!(c.shape.fri_layers, 2);
    let (ok, constraints) = satisfied(&c, c.witness.clone().unwrap());
    assert!(ok);
    println!("Fibonacci, 512 rows, 2 FRI layers: {constraints} constraints");
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
}

/// A proof of a component with a LogUp auxiliary segment (the bus), committed with Poseidon,
/// with the public inputs `[γ, β, claim]`.
fn component_circuit<C: zkevm_air::Component>(columns: Vec<Vec<Goldilocks>>) -> VerifierCircuit {
    use zkevm_air::air::trace_info;
    use zkevm_air::bus::{build_aux_columns, claim_of};
    use zkevm_air::{ComponentAir, ComponentInputs};
    use zkevm_prover::prover::{MainTrace, ZkProver};
    let component = C::default();
    let (gamma, beta) = (
        Quadratic::new(Goldilocks::new(0x1234_5678), Goldilocks::new(99)),
        Quadratic::new(Goldilocks::new(0xdead_beef), Goldilocks::new(7)),
    );
    let aux = build_aux_columns(&component, &columns, gamma, beta).unwrap();
    let inputs = ComponentInputs {
        gamma,
        beta,
        claim: claim_of(&aux),
    };
    let info = trace_info(&component, columns[0].len());
    let proof = ZkProver::<ComponentAir<C>, PoseidonBn254>::new(wrap_options(), inputs)
        .with_aux(aux)
        .prove_trace(MainTrace::new(info, columns))
        .unwrap();
    VerifierCircuit::for_proof::<ComponentAir<C>>(&proof, inputs).unwrap()
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
