//! One circuit for a whole block: a wrap-profile block of the example components (with public
//! messages in both directions) satisfies it, and tampering with a claim, a public message, a
//! component's root or the statement leaves it unsatisfied.

use zkevm_field::Goldilocks;
use zkevm_prover::{verify_block, BlockError, BlockProof, Profile};
use zkevm_recursion::aggregate::{block_statement, BlockCircuit};
use zkevm_recursion::block::example_block;

const STATEMENT: &[u8] = b"three words, two of them summed";

fn honest() -> (Vec<u8>, Vec<zkevm_air::PublicMessage>, BlockCircuit) {
    let (bytes, public) = example_block(STATEMENT, &[7, 0x1234_5678, 0xffff_0001], 2).unwrap();
    let circuit = BlockCircuit::for_block(&bytes, &public).unwrap();
    (bytes, public, circuit)
}

fn satisfied(circuit: &BlockCircuit) -> bool {
    circuit.check().unwrap().1
}

#[test]
fn an_honest_block_satisfies_its_circuit_and_each_tampered_part_breaks_it() {
    let (bytes, public, circuit) = honest();
    let (counts, ok) = circuit.check().unwrap();
    assert!(ok, "the honest block does not satisfy its circuit");
    assert_eq!(counts.len(), 3);
    println!("block circuit: {counts:?} constraints (block checks, limbs, accumulator)");
    let block = BlockProof::from_bytes(&bytes).unwrap();
    let components: Vec<_> = (block.components.iter())
        .map(|c| (c.id, c.log_trace_len))
        .collect();
    let statement = block_statement(STATEMENT, &public, &components);
    assert_eq!(circuit.statement(), Some(statement));

    let witness = circuit.witness.clone().unwrap();
    let tampered = |f: &dyn Fn(&mut zkevm_recursion::aggregate::BlockWitness)| {
        let mut w = witness.clone();
        f(&mut w);
        BlockCircuit {
            shape: circuit.shape.clone(),
            witness: Some(w),
        }
    };
    let plus_one = |x: &mut Goldilocks| *x += Goldilocks::new(1);

    // A claim moved: the bus no longer balances (and the component's transcript moves).
    let claim = tampered(&|w| plus_one(&mut w.proofs[1].inputs[4]));
    assert!(!satisfied(&claim), "a changed claim was accepted");

    // A public message's field changed under the honest statement: the seed no longer hashes
    // to the public input.
    let message = circuit.shape.messages[0].fields[0];
    let field = tampered(&|w| plus_one(&mut w.seed[message]));
    assert!(!field.check_against(statement).unwrap().1);
    // ... and under its own statement hash: the bus no longer balances.
    assert!(!satisfied(&field), "a changed public message was accepted");
    // A multiplicity too, of the consumed word (the last message).
    let last = circuit.shape.messages.last().unwrap().multiplicity;
    let multiplicity = tampered(&|w| plus_one(&mut w.seed[last]));
    assert!(
        !satisfied(&multiplicity),
        "a changed multiplicity was accepted"
    );

    // Another statement byte: the seed moves, so γ, β move and no component proof verifies.
    let statement_cell = circuit.shape.seed.iter().position(Option::is_none).unwrap();
    let moved = tampered(&|w| plus_one(&mut w.seed[statement_cell]));
    assert!(!satisfied(&moved), "another statement was accepted");

    // A component's main-trace root: the block coin and its Merkle paths see it.
    let root = tampered(&|w| w.proofs[0].trace_root += ark_bn254::Fr::from(1u64));
    assert!(!satisfied(&root), "a changed trace root was accepted");

    // The honest witness under another public input.
    assert!(
        !circuit
            .check_against(statement + ark_bn254::Fr::from(1u64))
            .unwrap()
            .1
    );
}

#[test]
fn blake3_entry_points_refuse_wrap_profile_blocks() {
    let (bytes, _, _) = honest();
    let refused = verify_block(&bytes, &[Profile::Wrap]);
    assert!(matches!(refused, Err(BlockError::Hasher(_))), "{refused:?}");
    let traces = zkevm_air::examples::example_block(&[1, 2]);
    let refused = zkevm_prover::prove_block(b"s", traces, Profile::Wrap);
    assert!(matches!(refused, Err(BlockError::Hasher(_))), "{refused:?}");
}
