//! The Groth16 verifier contract compiled with solc and run on revm: a valid proof passes for
//! about 200k gas; a tampered proof, a wrong public input or an unreduced one reverts.

use alloy_primitives::U256;
use ark_bn254::Fr;
use ark_std::rand::{rngs::StdRng, SeedableRng};
use zkevm::verifier_contract::{call, compile, verify_calldata};
use zkevm_recursion::circuit::MerklePathCircuit;
use zkevm_recursion::groth16::{input_bytes, proof_bytes, prove, setup, solidity_verifier};

#[test]
fn the_solidity_verifier_accepts_a_valid_proof_within_215k_gas_and_reverts_on_tampering() {
    let mut rng = StdRng::seed_from_u64(11);
    let circuit = MerklePathCircuit::sample(16, 0xbeef, &mut rng);
    let root = circuit.root;
    let pk = setup(circuit.clone(), &mut rng).unwrap();
    let proof = proof_bytes(&prove(&pk, circuit, &mut rng).unwrap());
    let contract = compile(&solidity_verifier(&pk.vk).unwrap(), "Verifier").unwrap();
    let honest = call(&contract.runtime, &verify_calldata(&proof, &[root])).unwrap();
    assert!(honest.success, "{honest:?}");
    println!(
        "verifyProof: {} gas (whole transaction, solc {})",
        honest.gas_used, contract.compiler
    );
    assert!(honest.gas_used <= 215_000, "{}", honest.gas_used);
    // Each coordinate of the proof nudged, the root changed, the root plus the modulus.
    for word in 0..8 {
        let mut bad = proof;
        bad[32 * word + 31] ^= 1;
        let result = call(&contract.runtime, &verify_calldata(&bad, &[root])).unwrap();
        assert!(
            !result.success,
            "coordinate {word} tampered, still accepted"
        );
    }
    let wrong_root = call(
        &contract.runtime,
        &verify_calldata(&proof, &[root + Fr::from(1u64)]),
    );
    assert!(!wrong_root.unwrap().success);
    // The root plus the modulus r (r − 1 is the encoding of −1).
    let modulus = U256::from_be_bytes(input_bytes(&-Fr::from(1u64))) + U256::from(1u64);
    let mut unreduced = verify_calldata(&proof, &[root]);
    let input = &mut unreduced[4 + 256..];
    let sum = U256::from_be_slice(input) + modulus;
    input.copy_from_slice(&sum.to_be_bytes::<32>());
    assert!(!call(&contract.runtime, &unreduced).unwrap().success);
}
