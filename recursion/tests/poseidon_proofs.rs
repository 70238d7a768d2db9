//! STARK proofs committed with Poseidon over BN254 (the wrap options): they verify with the
//! same hasher, and a wrong statement, a wrong hasher or a corrupted byte is rejected.

use winterfell::Proof;
use zkevm_air::examples::fibonacci::{fib_trace, FibAir, FibInputs};
use zkevm_prover::standalone::{prove_air_with, verify_air_with};
use zkevm_prover::Hash;
use zkevm_recursion::{wrap_options, wrap_security_bits, PoseidonBn254};

#[test]
fn poseidon_committed_proofs_verify_and_tampering_is_rejected() {
    let rows = 64;
    let trace = fib_trace(rows);
    let inputs = FibInputs::of(&trace);
    let options = wrap_options();
    let proof = prove_air_with::<FibAir, PoseidonBn254>(trace, inputs, options.clone()).unwrap();
    let bits = proof.conjectured_security::<PoseidonBn254>().bits();
    assert_eq!(bits, wrap_security_bits());
    assert!(bits >= 100, "{bits}");
    verify_air_with::<FibAir, PoseidonBn254>(proof.clone(), inputs, options.clone()).unwrap();
    // Another result, or the Blake3 verifier: rejected.
    let wrong = FibInputs {
        result: inputs.result + zkevm_field::Goldilocks::new(1),
    };
    assert!(
        verify_air_with::<FibAir, PoseidonBn254>(proof.clone(), wrong, options.clone()).is_err()
    );
    assert!(verify_air_with::<FibAir, Hash>(proof.clone(), inputs, options.clone()).is_err());
    // Corrupted bytes across the proof: refused when parsed, or rejected when verified.
    let bytes = proof.to_bytes();
    let step = (bytes.len() / 97).max(1);
    for at in (0..bytes.len()).step_by(step) {
        let mut corrupt = bytes.clone();
        corrupt[at] ^= 0x5a;
        let accepted = Proof::from_bytes(&corrupt).is_ok_and(|p| {
            verify_air_with::<FibAir, PoseidonBn254>(p, inputs, options.clone()).is_ok()
        });
        assert!(
            !accepted,
            "byte {at} of {} flipped, still accepted",
            bytes.len()
        );
    }
}
