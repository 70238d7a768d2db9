//! Every integration test of this crate, built as one binary (see `autotests` in Cargo.toml).

mod block_circuit;
mod ood_constraints;
mod poseidon_proofs;
mod trace_openings;
mod verifier_circuit;
