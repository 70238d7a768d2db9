//! Every integration test of this crate, built as one binary (see `autotests` in Cargo.toml).

mod bench_prover;
mod bytecode_proofs;
mod evm_proofs;
mod evm_wrap;
mod fixture_tables;
mod rw_proofs;
mod verifier_contract;
mod winterfell_field;
mod wrap_end_to_end;
