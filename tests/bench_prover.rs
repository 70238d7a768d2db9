//! `zkevm bench prover`'s two provers (ours over our field, stock winterfell over its own) on
//! a small trace: both proofs verify.

#[test]
fn both_provers_agree_on_a_small_trace() {
    let (ours, peer) = zkevm::bench::prover::check(8, 64).unwrap();
    assert!(ours > 0 && peer > 0);
}
