//! The Merkle openings of a real Poseidon-committed STARK proof, checked in a BN254 circuit:
//! every queried trace row hashes (in-circuit, as the prover's hasher hashes it) and climbs its
//! authentication path to the trace commitment. A changed cell, sibling or position breaks
//! the circuit.

use ark_bn254::Fr;
use ark_r1cs_std::fields::fp::FpVar;
use ark_r1cs_std::prelude::*;
use ark_relations::gr1cs::{ConstraintSystem, ConstraintSystemRef};
use std::cell::RefCell;
use winter_crypto::{DefaultRandomCoin, VectorCommitment};
use winterfell::{AcceptableOptions, Proof};
use zkevm_air::examples::fibonacci::{fib_trace, FibAir, FibInputs};
use zkevm_field::Goldilocks;
use zkevm_prover::merkle::{paths, MerkleError, MerkleVc, Opening};
use zkevm_prover::standalone::prove_air_with;
use zkevm_recursion::circuit::{hash_elements_var, path_root_var};
use zkevm_recursion::goldilocks::GoldilocksVar;
use zkevm_recursion::{wrap_options, Bn254Digest, PoseidonBn254};

type H = PoseidonBn254;

/// One batch check the verifier made: the commitment, the positions, the leaf digests and the
/// opening.
type Check = (
    Bn254Digest,
    Vec<usize>,
    Vec<Bn254Digest>,
    Opening<Bn254Digest>,
);

thread_local! {
    static CHECKS: RefCell<Vec<Check>> = const { RefCell::new(Vec::new()) };
}

/// Our Merkle commitment, recording what winterfell's verifier asks it to check (the query
/// positions are drawn inside the verifier; this is how a test learns them).
struct Recording(MerkleVc<H>);

impl VectorCommitment<H> for Recording {
    type Options = ();
    type Proof = Opening<Bn254Digest>;
    type MultiProof = Opening<Bn254Digest>;
    type Error = MerkleError;

    fn with_options(items: Vec<Bn254Digest>, _: ()) -> Result<Self, MerkleError> {
        MerkleVc::with_options(items, ()).map(Recording)
    }
    fn commitment(&self) -> Bn254Digest {
        self.0.commitment()
    }
    fn domain_len(&self) -> usize {
        self.0.domain_len()
    }
    fn get_proof_domain_len(proof: &Self::Proof) -> usize {
        MerkleVc::<H>::get_proof_domain_len(proof)
    }
    fn get_multiproof_domain_len(proof: &Self::MultiProof) -> usize {
        MerkleVc::<H>::get_multiproof_domain_len(proof)
    }
    fn open(&self, index: usize) -> Result<(Bn254Digest, Self::Proof), MerkleError> {
        self.0.open(index)
    }
    fn open_many(
        &self,
        indexes: &[usize],
    ) -> Result<(Vec<Bn254Digest>, Self::MultiProof), MerkleError> {
        self.0.open_many(indexes)
    }
    fn verify(
        c: Bn254Digest,
        index: usize,
        item: Bn254Digest,
        proof: &Self::Proof,
    ) -> Result<(), MerkleError> {
        Self::verify_many(c, &[index], &[item], proof)
    }
    fn verify_many(
        c: Bn254Digest,
        indexes: &[usize],
        items: &[Bn254Digest],
        proof: &Self::MultiProof,
    ) -> Result<(), MerkleError> {
        CHECKS.with(|checks| {
            checks
                .borrow_mut()
                .push((c, indexes.to_vec(), items.to_vec(), proof.clone()))
        });
        MerkleVc::<H>::verify_many(c, indexes, items, proof)
    }
}

/// The queried rows, their positions and paths, and the trace root, of a proof of the
/// Fibonacci AIR.
#[derive(Clone)]
struct Openings {
    root: Fr,
    rows: Vec<Vec<Goldilocks>>,
    positions: Vec<usize>,
    paths: Vec<Vec<Fr>>,
    depth: usize,
}

fn openings() -> Openings {
    let rows = 64;
    let trace = fib_trace(rows);
    let inputs = FibInputs {
        result: trace[1][rows - 1],
    };
    let options = wrap_options();
    let proof = prove_air_with::<FibAir, H>(trace, inputs, options.clone()).unwrap();
    CHECKS.with(|c| c.borrow_mut().clear());
    let acceptable = AcceptableOptions::OptionSet(vec![options.clone()]);
    winterfell::verify::<FibAir, H, DefaultRandomCoin<H>, Recording>(
        proof.clone(),
        inputs,
        &acceptable,
    )
    .unwrap();
    // The first check is the main trace's.
    let (root, positions, leaves, opening) = CHECKS.with(|c| c.borrow()[0].clone());
    let proof = Proof::from_bytes(&proof.to_bytes()).unwrap();
    let domain = rows * options.blowup_factor();
    let (_, table) = proof.trace_queries[0]
        .clone()
        .parse::<Goldilocks, H, MerkleVc<H>>(domain, positions.len(), 2)
        .unwrap();
    let rows: Vec<Vec<Goldilocks>> = table.rows().map(|r| r.to_vec()).collect();
    let paths = paths::<H>(&positions, &leaves, &opening)
        .unwrap()
        .into_iter()
        .map(|p| p.iter().map(Bn254Digest::element).collect())
        .collect();
    Openings {
        root: root.element(),
        rows,
        positions,
        paths,
        depth: domain.ilog2() as usize,
    }
}

/// Builds the opening checks into `cs` against the public root.
fn check_openings(cs: ConstraintSystemRef<Fr>, o: &Openings) {
    let root = FpVar::new_input(cs.clone(), || Ok(o.root)).unwrap();
    for ((row, &position), path) in o.rows.iter().zip(&o.positions).zip(&o.paths) {
        let cells: Vec<GoldilocksVar> = row
            .iter()
            .map(|&e| GoldilocksVar::new_witness(cs.clone(), Some(e)).unwrap())
            .collect();
        let leaf = hash_elements_var(&cells).unwrap();
        let siblings: Vec<FpVar<Fr>> = path
            .iter()
            .map(|s| FpVar::new_witness(cs.clone(), || Ok(*s)).unwrap())
            .collect();
        let bits: Vec<Boolean<Fr>> = (0..o.depth)
            .map(|k| Boolean::new_witness(cs.clone(), || Ok((position >> k) & 1 == 1)).unwrap())
            .collect();
        path_root_var(&leaf, &siblings, &bits)
            .unwrap()
            .enforce_equal(&root)
            .unwrap();
    }
}

fn satisfied(o: &Openings) -> (bool, usize) {
    let cs = ConstraintSystem::<Fr>::new_ref();
    check_openings(cs.clone(), o);
    (cs.is_satisfied().unwrap(), cs.num_constraints())
}

#[test]
fn a_proofs_trace_openings_are_checked_in_circuit_and_tampering_breaks_them() {
    let honest = openings();
    assert!(!honest.positions.is_empty());
    assert!(honest.paths.iter().all(|p| p.len() == honest.depth));
    let (ok, constraints) = satisfied(&honest);
    assert!(ok);
    println!(
        "{} trace openings (depth {}): {constraints} constraints, {} per opening",
        honest.positions.len(),
        honest.depth,
        constraints / honest.positions.len()
    );
    let mut cell = honest.clone();
    cell.rows[0][1] += Goldilocks::new(1);
    let mut sibling = honest.clone();
    sibling.paths[1][3] += Fr::from(1u64);
    let mut position = honest.clone();
    position.positions[0] ^= 1 << 2;
    let mut root = honest.clone();
    root.root += Fr::from(1u64);
    for (what, tampered) in [
        ("cell", cell),
        ("sibling", sibling),
        ("position", position),
        ("root", root),
    ] {
        assert!(
            !satisfied(&tampered).0,
            "a tampered {what} satisfied the circuit"
        );
    }
}
