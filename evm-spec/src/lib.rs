//! `zkevm-evm-spec`: executes EVM transactions under Osaka rules with revm, records the witness
//! the AIRs prove, and checks execution against the Ethereum execution-spec state tests.
//!
//! - [`fixture`], [`runner`]: EEST state tests: typed loading (errors name file, test id and
//!   field) and the runner checking post state, logs hash and state root.
//! - [`exec`], [`state`]: one transaction on an in-memory state ([`state::MemDb`]); state root
//!   (alloy-trie) and logs hash.
//! - [`witness`]: the witness format (serde; JSON and postcard).
//! - [`inspector`]: [`inspector::Recorder`], the revm inspector that records a witness as a
//!   compact [`inspector::Tape`] during execution; [`inspector::Tape::expand`] gives the
//!   per-row [`witness::Witness`].
//! - [`opcodes`]: the Osaka opcode table (gas, stack effect, components), grouped by family.
//! - [`checker`]: the replay checker, re-deriving every step from a witness alone.
//! - [`workload`], [`bench`]: benchmark workloads and the plain-vs-recording measurement.

pub mod bench;
pub mod checker;
pub mod error;
pub mod exec;
pub mod fixture;
mod hexjson;
pub mod inspector;
pub mod opcodes;
pub mod rejection;
pub mod runner;
pub mod state;
pub mod witness;
pub mod workload;

pub use error::{Error, Result};
