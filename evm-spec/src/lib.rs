//! `zkevm-evm-spec`: executes EVM transactions (Osaka) with revm, records the witness the AIRs
//! prove, and runs the Ethereum execution-spec state tests.
//!
//! - [`fixture`], [`runner`]: EEST state tests, loaded and checked.
//! - [`exec`], [`state`]: executing one transaction on an in-memory state; state root, logs hash.

pub mod checker;
pub mod error;
pub mod exec;
pub mod fixture;
mod hexjson;
pub mod inspector;
pub mod opcodes;
pub mod runner;
pub mod state;
pub mod witness;
pub mod workload;

pub use error::{Error, Result};
