//! End to end: a STARK proof (Fibonacci AIR, wrap profile) → the verifier circuit → a 256-byte
//! Groth16 proof → the Solidity verifier on revm, with the statement hash as the only public
//! input. Tampering with the proof or the statement reverts; corrupt wrapped-proof files are
//! refused with errors.

use ark_bn254::Fr;
use zkevm::verifier_contract::{call, compile, verify_calldata};
use zkevm_air::examples::fibonacci::{fib_trace, FibAir, FibInputs};
use zkevm_field::Goldilocks;
use zkevm_prover::standalone::prove_air_with;
use zkevm_recursion::groth16::solidity_verifier;
use zkevm_recursion::wrap::{
    keys, verify_wrapped, wrap, StarkFile, WrapFailure, Wrapped, WrappedAir,
};
use zkevm_recursion::{wrap_options, PoseidonBn254};

#[test]
fn a_stark_proof_wraps_into_groth16_that_the_solidity_verifier_accepts() {
    let key_dir = std::env::temp_dir().join(format!("zkevm-wrap-test-{}", std::process::id()));
    let trace = fib_trace(64);
    let inputs = FibInputs::of(&trace);
    let proof = prove_air_with::<FibAir, PoseidonBn254>(trace, inputs, wrap_options()).unwrap();
    let (wrapped, report) =
        wrap::<FibAir>(WrappedAir::Fibonacci, &proof, inputs, &key_dir).unwrap();
    println!(
        "wrapped: {} constraints, setup {:.1} s, witness {:.1} s, Groth16 prove {:.1} s",
        report.constraints,
        report.setup_seconds.unwrap_or(0.0),
        report.witness_seconds,
        report.prove_seconds
    );
    assert!(report.setup_seconds.is_some());
    assert_eq!(wrapped.inputs, vec![inputs.result]);

    // The file round-trips and verifies natively; the keys now come from the cache.
    let bytes = wrapped.to_bytes();
    let parsed = Wrapped::from_bytes(&bytes).unwrap();
    assert_eq!(parsed, wrapped);
    assert_eq!(verify_wrapped(&parsed, &key_dir).unwrap(), report.statement);
    let shape = WrappedAir::Fibonacci.shape(6).unwrap();
    let cached = keys(&shape, &key_dir).unwrap();
    assert!(cached.setup_seconds.is_none());
    assert_eq!(cached.constraints, report.constraints);

    // Another statement with the same proof: rejected natively.
    let mut other = wrapped.clone();
    other.inputs[0] += Goldilocks::new(1);
    assert!(matches!(
        verify_wrapped(&other, &key_dir),
        Err(WrapFailure::Invalid)
    ));
    // Truncations and flipped bytes: errors, never panics, never accepted.
    for cut in [0, 3, 5, 8, 12, bytes.len() - 1] {
        assert!(Wrapped::from_bytes(&bytes[..cut]).is_err(), "cut at {cut}");
    }
    for at in (0..bytes.len()).step_by(7) {
        let mut corrupt = bytes.clone();
        corrupt[at] ^= 0x20;
        let accepted = Wrapped::from_bytes(&corrupt)
            .map(|w| verify_wrapped(&w, &key_dir).is_ok())
            .unwrap_or(false);
        assert!(!accepted, "byte {at} flipped, still accepted");
    }

    // Every trace-length byte (after magic, version and AIR id): refused or rejected without
    // a panic or a key setup.
    let log_at = 4 + 2 + 2;
    for log in (0..=255u8).filter(|&l| l != 6) {
        let mut other = bytes.clone();
        other[log_at] = log;
        let accepted = Wrapped::from_bytes(&other)
            .map(|w| verify_wrapped(&w, &key_dir).is_ok())
            .unwrap_or(false);
        assert!(!accepted, "trace length 2^{log} accepted");
    }
    assert_eq!(
        std::fs::read_dir(&key_dir).unwrap().count(),
        2,
        "a verifier made keys"
    );
    // The STARK proof file: truncations and flipped bytes give errors, never panics.
    let stark = StarkFile::fibonacci(16).unwrap().to_bytes();
    assert!(StarkFile::from_bytes(&stark).is_ok());
    for cut in (0..stark.len()).step_by(97) {
        assert!(StarkFile::from_bytes(&stark[..cut]).is_err());
    }
    for at in (0..stark.len()).step_by(13) {
        let mut corrupt = stark.clone();
        corrupt[at] ^= 0x5a;
        let _ = StarkFile::from_bytes(&corrupt);
    }

    // On chain: the generated contract accepts the proof for the statement hash.
    let source = solidity_verifier(&cached.pk.vk).unwrap();
    let contract = on_chain(&source, &wrapped.proof, report.statement);
    let mut bad = wrapped.proof;
    bad[100] ^= 1;
    let tampered = call(
        &contract.runtime,
        &verify_calldata(&bad, &[report.statement]),
    )
    .unwrap();
    assert!(!tampered.success);
    let _ = std::fs::remove_dir_all(&key_dir);
}

/// A whole block (one component here, to keep the Groth16 setup short; the block circuit's
/// tests take two) as one circuit and one Groth16 proof: the wrapped-block file round-trips and verifies against the statement its verifier
/// derives the public messages from; another statement or other messages are rejected; the
/// Solidity verifier accepts it on revm.
#[test]
fn a_block_wraps_into_one_groth16_proof_that_the_solidity_verifier_accepts() {
    use zkevm_recursion::aggregate::{
        verify_wrapped_block, wrap_block, BlockCircuit, BlockShape, WrappedBlock,
    };
    use zkevm_recursion::wrap::verifying_key;
    let key_dir = std::env::temp_dir().join(format!("zkevm-block-test-{}", std::process::id()));
    let statement = b"a block of one component".to_vec();
    let (bytes, public) =
        zkevm_recursion::block::example_block(&statement, &[3, 0x0001_0002], 0).unwrap();
    let circuit = BlockCircuit::for_block(&bytes, &public).unwrap();
    let (wrapped, report) = wrap_block(circuit.clone(), &statement, &public, &key_dir).unwrap();
    println!(
        "block: {} constraints, setup {:.1} s, Groth16 prove {:.1} s",
        report.constraints,
        report.setup_seconds.unwrap_or(0.0),
        report.prove_seconds
    );
    let file = wrapped.to_bytes();
    assert_eq!(WrappedBlock::from_bytes(&file).unwrap(), wrapped);
    assert_eq!(
        verify_wrapped_block(&wrapped, &public, &key_dir).unwrap(),
        report.statement
    );

    // The witness must be about the statement it is wrapped with.
    assert!(wrap_block(circuit, b"another statement", &public, &key_dir).is_err());
    // Another statement of the same length, or another public message: rejected.
    let mut other = wrapped.clone();
    other.statement[0] ^= 1;
    assert!(matches!(
        verify_wrapped_block(&other, &public, &key_dir),
        Err(WrapFailure::Invalid)
    ));
    let mut messages = public.clone();
    messages[0].fields[0] += Goldilocks::new(1);
    assert!(matches!(
        verify_wrapped_block(&wrapped, &messages, &key_dir),
        Err(WrapFailure::Invalid)
    ));
    // A statement of another length is another shape, whose keys were never made.
    let mut longer = wrapped.clone();
    longer.statement.push(0);
    assert!(matches!(
        verify_wrapped_block(&longer, &public, &key_dir),
        Err(WrapFailure::Keys { .. })
    ));
    // Truncations and flipped bytes: errors, never panics, never accepted.
    for cut in (0..file.len()).step_by(5) {
        assert!(
            WrappedBlock::from_bytes(&file[..cut]).is_err(),
            "cut at {cut}"
        );
    }
    for at in (0..file.len()).step_by(3) {
        let mut corrupt = file.clone();
        corrupt[at] ^= 0x10;
        let accepted = WrappedBlock::from_bytes(&corrupt)
            .map(|w| verify_wrapped_block(&w, &public, &key_dir).is_ok())
            .unwrap_or(false);
        assert!(!accepted, "byte {at} flipped, still accepted");
    }

    let shape = BlockShape::of(&statement, &public, &wrapped.components).unwrap();
    let source = solidity_verifier(&verifying_key(&shape, &key_dir).unwrap()).unwrap();
    on_chain(&source, &wrapped.proof, report.statement);
    let _ = std::fs::remove_dir_all(&key_dir);
}

/// The Solidity verifier `source`, compiled: it accepts `proof` for `statement` within 215,000
/// gas on revm and rejects it for another statement.
fn on_chain(source: &str, proof: &[u8; 256], statement: Fr) -> zkevm::verifier_contract::Compiled {
    let contract = compile(source, "Verifier").unwrap();
    let honest = call(&contract.runtime, &verify_calldata(proof, &[statement])).unwrap();
    assert!(honest.success, "{honest:?}");
    println!("on revm: {} gas", honest.gas_used);
    assert!(honest.gas_used <= 215_000);
    let wrong = call(
        &contract.runtime,
        &verify_calldata(proof, &[statement + Fr::from(1u64)]),
    )
    .unwrap();
    assert!(!wrong.success);
    contract
}
