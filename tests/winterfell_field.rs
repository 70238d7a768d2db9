//! winterfell proves and verifies over our Goldilocks field, under every extension, and its
//! verifier refuses proofs that carry non-canonical field elements or are otherwise corrupt.

use winterfell::FieldExtension;
use zkevm::demo::{self, DemoError, FibInputs};
use zkevm_field::Goldilocks;

const ROWS: usize = 1 << 10;

#[test]
fn proves_and_verifies_under_every_extension() {
    for (extension, min_bits) in [
        (FieldExtension::None, 40),
        (FieldExtension::Quadratic, demo::MIN_SECURITY_BITS),
        (FieldExtension::Cubic, demo::MIN_SECURITY_BITS),
    ] {
        let proven = demo::prove(ROWS, extension).expect("honest trace proves");
        let bits = demo::security_bits(&proven.proof);
        assert!(bits >= min_bits, "{extension:?}: only {bits} bits");
        let bytes = proven.proof.to_bytes();
        demo::verify_bytes(&bytes, proven.inputs, min_bits).expect("honest proof verifies");

        // A wrong public result must be rejected.
        let wrong = FibInputs {
            result: proven.inputs.result + Goldilocks::ONE,
        };
        assert!(
            demo::verify_bytes(&bytes, wrong, min_bits).is_err(),
            "{extension:?}"
        );
    }
}

#[test]
fn default_profile_reaches_100_bits() {
    let proven = demo::prove(ROWS, FieldExtension::Quadratic).unwrap();
    assert!(demo::security_bits(&proven.proof) >= 100);
}

/// A trace value in the proof replaced by an integer ≥ p (which no canonical element can be)
/// must be rejected by the decoder with an error that names the non-canonical value.
#[test]
fn proof_with_non_canonical_element_is_rejected() {
    use winter_utils::{ByteWriter, Serializable};
    let proven = demo::prove(ROWS, FieldExtension::Quadratic).unwrap();
    let bytes = proven.proof.to_bytes();

    // Locate the main-trace query values: `Queries` serializes its value bytes first, as a
    // length-prefixed byte vector of num_queries × width × 8 bytes.
    let queries = proven.proof.trace_queries[0].to_bytes();
    let offset = bytes
        .windows(queries.len())
        .position(|w| w == queries.as_slice())
        .expect("trace queries appear in the proof");
    let value_bytes = proven.proof.num_unique_queries as usize * 2 * 8;
    let mut prefix = Vec::new();
    prefix.write_usize(value_bytes);
    let values_start = offset + prefix.len();

    for element in [0, 1, 5] {
        for bad in [zkevm_field::P, zkevm_field::P + 1, u64::MAX] {
            let mut tampered = bytes.clone();
            let at = values_start + 8 * element;
            tampered[at..at + 8].copy_from_slice(&bad.to_le_bytes());
            let err = demo::verify_bytes(&tampered, proven.inputs, demo::MIN_SECURITY_BITS)
                .expect_err("a non-canonical trace value must not verify");
            assert!(
                err.to_string()
                    .contains("greater than or equal to the field modulus"),
                "element {element}, value {bad}: unexpected error {err}"
            );
        }
    }
}

/// Truncated or empty proof bytes are errors, not panics.
#[test]
fn truncated_proofs_are_rejected() {
    let proven = demo::prove(ROWS, FieldExtension::Quadratic).unwrap();
    let bytes = proven.proof.to_bytes();
    for len in [0, 1, 8, bytes.len() / 2, bytes.len() - 1] {
        let result = demo::verify_bytes(&bytes[..len], proven.inputs, demo::MIN_SECURITY_BITS);
        assert!(
            matches!(
                result,
                Err(DemoError::Decode(_)) | Err(DemoError::Verify(_))
            ),
            "len {len}"
        );
    }
}
