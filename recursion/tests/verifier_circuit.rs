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
