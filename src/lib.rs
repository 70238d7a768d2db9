//! zkevm: proves Ethereum execution with hand-written AIRs, a STARK prover built on winterfell
//! over our own SIMD Goldilocks field, and (later) a Groth16 wrap for on-chain verification.
//!
//! This facade re-exports the workspace crates and hosts what spans them: the built-in demo
//! workload and the peer-comparison benchmarks behind `zkevm bench`.

pub mod allocator;
pub mod bench;
pub mod demo;
pub mod evm;
pub mod memory_budget;
pub mod profiling;
pub mod programs;
pub mod verifier_contract;

pub use zkevm_field as field;
