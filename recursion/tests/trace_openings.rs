//! The Merkle openings of a real Poseidon-committed STARK proof, checked in a BN254 circuit at
//! the positions its Fiat–Shamir transcript draws: the circuit replays the transcript (seed,
//! reseeds, the nonce's proof of work), and at every drawn position the trace row and the
//! composition row hash (as the prover's hasher hashes them) and climb their authentication
//! paths to their commitments. A changed cell, sibling, nonce, later commitment, root or
//! public input breaks the circuit.

use ark_bn254::Fr;
use ark_r1cs_std::fields::fp::FpVar;
use ark_r1cs_std::prelude::*;
use ark_relations::gr1cs::{ConstraintSystem, ConstraintSystemRef};
use std::cell::RefCell;
use winter_crypto::Hasher;
use winter_crypto::{DefaultRandomCoin, VectorCommitment};
use winterfell::Air;
use winterfell::{AcceptableOptions, Proof};
use zkevm_air::examples::fibonacci::{fib_trace, FibAir, FibInputs};
use zkevm_field::{FieldElement, Goldilocks, Quadratic};
use zkevm_prover::merkle::{paths, MerkleError, MerkleVc, Opening};
use zkevm_prover::standalone::prove_air_with;
use zkevm_recursion::circuit::{hash_elements_var, path_root_var};
use zkevm_recursion::goldilocks::GoldilocksVar;
use zkevm_recursion::transcript::{positions_var, transcript_of, Transcript};
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

/// One committed matrix's openings at the distinct positions: each row (as base-field
/// elements) and its authentication path.
#[derive(Clone)]
struct Committed {
    rows: Vec<Vec<Goldilocks>>,
    paths: Vec<Vec<Fr>>,
}

/// What a proof of the Fibonacci AIR opens at its query positions: the trace and the
/// composition-polynomial matrices, with the transcript that drew the positions.
#[derive(Clone)]
struct Openings {
    transcript: Transcript,
    /// The trace root (the circuit's public input).
    root: Fr,
    positions: Vec<usize>,
    depth: usize,
    trace: Committed,
    composition: Committed,
}

/// The rows `table` holds (in extension elements of `E`, flattened to base elements) and the
/// paths of the verifier's check `check` recorded.
fn committed<E: FieldElement<BaseField = Goldilocks>>(
    table: winter_air::proof::Table<E>,
    check: &Check,
) -> Committed {
    let (_, positions, leaves, opening) = check;
    let rows = table
        .rows()
        .map(|r| E::slice_as_base_elements(r).to_vec())
        .collect();
    let paths = paths::<H>(positions, leaves, opening)
        .unwrap()
        .into_iter()
        .map(|p| p.iter().map(Bn254Digest::element).collect())
        .collect();
    Committed { rows, paths }
}

fn openings() -> Openings {
    let rows = 64;
    let trace = fib_trace(rows);
    let inputs = FibInputs::of(&trace);
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
    // The verifier checks the trace openings first, then the composition openings.
    let checks = CHECKS.with(|c| c.borrow().clone());
    let (root, positions) = (checks[0].0, checks[0].1.clone());
    assert_eq!(checks[1].1, positions);
    // The native transcript draws exactly the positions the verifier opened.
    let transcript = transcript_of::<FibAir>(&proof, inputs).unwrap();
    let mut drawn = transcript.positions().unwrap();
    drawn.sort_unstable();
    drawn.dedup();
    assert_eq!(drawn, positions);
    assert_eq!(transcript.reseeds[1], checks[1].0);
    let domain = rows * options.blowup_factor();
    let air = FibAir::new(proof.trace_info().clone(), inputs, options.clone());
    let quotients = air.context().num_constraint_composition_columns();
    let n = positions.len();
    let (_, trace_table) = (proof.trace_queries[0].clone())
        .parse::<Goldilocks, H, MerkleVc<H>>(domain, n, 2)
        .unwrap();
    let (_, composition_table) = (proof.constraint_queries.clone())
        .parse::<Quadratic, H, MerkleVc<H>>(domain, n, quotients)
        .unwrap();
    Openings {
        transcript,
        root: root.element(),
        positions,
        depth: domain.ilog2() as usize,
        trace: committed(trace_table, &checks[0]),
        composition: committed(composition_table, &checks[1]),
    }
}

/// Builds into `cs`: the transcript (seed, reseeds, nonce) drawing the positions and checking
/// the proof of work, and, for every drawn position, its row's hash climbing its path to the
/// public root, the path's direction bits being the position's drawn bits.
fn check_openings(cs: ConstraintSystemRef<Fr>, o: &Openings) {
    let t = &o.transcript;
    let root = FpVar::new_input(cs.clone(), || Ok(o.root)).unwrap();
    // The context is the circuit's own (constants); the public inputs are its public inputs.
    let (context, public) = t.seed_elements.split_at(t.context_len);
    let seed_cells: Vec<GoldilocksVar> = (context.iter().map(|&e| GoldilocksVar::constant(e)))
        .chain(
            public
                .iter()
                .map(|&e| GoldilocksVar::new_input(cs.clone(), Some(e)).unwrap()),
        )
        .collect();
    let seed = hash_elements_var(&seed_cells).unwrap();
    // The main trace root is the first reseed: the public input itself.
    let mut reseeds = vec![root.clone()];
    for d in &t.reseeds[1..] {
        reseeds.push(FpVar::new_witness(cs.clone(), || Ok(d.element())).unwrap());
    }
    let nonce = FpVar::new_witness(cs.clone(), || Ok(Fr::from(t.nonce))).unwrap();
    let drawn = positions_var(&seed, &reseeds, &nonce, t.draw).unwrap();
    // Both matrices open at every drawn position: the trace against the public root, the
    // composition against the root the transcript reseeded with next.
    for (matrix, matrix_root) in [(&o.trace, &root), (&o.composition, &reseeds[1])] {
        for bits in &drawn {
            // The witness row and path of the position these bits name (any, if none).
            let position = bits
                .iter()
                .rev()
                .fold(0usize, |p, b| 2 * p + b.value().unwrap_or(false) as usize);
            let at = o.positions.iter().position(|&p| p == position).unwrap_or(0);
            let cells: Vec<GoldilocksVar> = matrix.rows[at]
                .iter()
                .map(|&e| GoldilocksVar::new_witness(cs.clone(), Some(e)).unwrap())
                .collect();
            let leaf = hash_elements_var(&cells).unwrap();
            let siblings: Vec<FpVar<Fr>> = matrix.paths[at]
                .iter()
                .map(|s| FpVar::new_witness(cs.clone(), || Ok(*s)).unwrap())
                .collect();
            path_root_var(&leaf, &siblings, bits)
                .unwrap()
                .enforce_equal(matrix_root)
                .unwrap();
        }
    }
}

fn satisfied(o: &Openings) -> (bool, usize) {
    let cs = ConstraintSystem::<Fr>::new_ref();
    check_openings(cs.clone(), o);
    (cs.is_satisfied().unwrap(), cs.num_constraints())
}

#[test]
fn a_proofs_trace_and_composition_openings_are_checked_in_circuit_and_tampering_breaks_them() {
    let honest = openings();
    assert!(!honest.positions.is_empty());
    let all_paths = honest.trace.paths.iter().chain(&honest.composition.paths);
    assert!(all_paths.into_iter().all(|p| p.len() == honest.depth));
    let (ok, constraints) = satisfied(&honest);
    assert!(ok);
    println!(
        "{} drawn positions ({} distinct, depth {}), trace and composition openings with the \
         transcript drawing them: {constraints} constraints, {} per position",
        honest.transcript.draw.num_queries,
        honest.positions.len(),
        honest.depth,
        constraints / honest.transcript.draw.num_queries
    );
    let mut cell = honest.clone();
    cell.trace.rows[0][1] += Goldilocks::new(1);
    let mut sibling = honest.clone();
    sibling.trace.paths[1][3] += Fr::from(1u64);
    let mut quotient = honest.clone();
    quotient.composition.rows[2][0] += Goldilocks::new(1);
    let mut quotient_sibling = honest.clone();
    quotient_sibling.composition.paths[0][5] += Fr::from(1u64);
    let mut nonce = honest.clone();
    nonce.transcript.nonce += 1;
    let mut fri_root = honest.clone();
    let last = fri_root.transcript.reseeds.len() - 1;
    fri_root.transcript.reseeds[last] = PoseidonBn254::hash(b"another FRI layer");
    let mut root = honest.clone();
    root.root += Fr::from(1u64);
    let mut statement = honest.clone();
    let last_input = statement.transcript.seed_elements.len() - 1;
    statement.transcript.seed_elements[last_input] += Goldilocks::new(1);
    for (what, tampered) in [
        ("cell", cell),
        ("sibling", sibling),
        ("composition cell", quotient),
        ("composition sibling", quotient_sibling),
        ("nonce", nonce),
        ("FRI root", fri_root),
        ("root", root),
        ("public input", statement),
    ] {
        assert!(
            !satisfied(&tampered).0,
            "a tampered {what} satisfied the circuit"
        );
    }
}

#[test]
fn reading_a_transcript_from_malformed_proofs_gives_errors_not_panics() {
    let rows = 16;
    let trace = fib_trace(rows);
    let inputs = FibInputs::of(&trace);
    let proof = prove_air_with::<FibAir, H>(trace, inputs, wrap_options()).unwrap();
    assert!(transcript_of::<FibAir>(&proof, inputs).is_ok());
    let bytes = proof.to_bytes();
    let step = (bytes.len() / 211).max(1);
    let mut refused = 0;
    for at in (0..bytes.len()).step_by(step) {
        let mut corrupt = bytes.clone();
        corrupt[at] ^= 0x41;
        if let Ok(p) = Proof::from_bytes(&corrupt) {
            refused += transcript_of::<FibAir>(&p, inputs).is_err() as usize;
        }
    }
    println!("{refused} corrupted proofs refused by transcript_of");
}
