//! One module per `zkevm` subcommand.

pub mod bench;
mod bench_exec;
mod bench_keccak;
mod bench_prover;
pub mod demo;
mod output;
pub mod prove;
pub mod run;
pub mod test;
pub mod trace;
pub mod verify;
pub mod wrap;
