//! Component AIRs of the zkevm and the LogUp bus that joins them.
//!
//! A block is proven as several [`Component`]s, each its own winterfell AIR with its own trace
//! length. Components exchange messages over one LogUp [`bus`]: every component's auxiliary
//! running sum ends at a claimed value, and the block verifier checks that the claims cancel.
//! Constraints are written once over the [`Algebra`] trait and instantiated for winterfell
//! (and later for the recursion circuit).

pub mod account;
pub mod air;
pub mod algebra;
pub mod alu;
pub mod and_table;
pub mod arithmetic;
pub mod bitwise;
pub mod bus;
pub mod bytecode;
pub mod call;
pub mod check;
pub mod component;
pub mod copy;
pub mod cpu;
pub mod degree;
mod error;
pub mod evm;
pub mod examples;
pub mod exp;
pub mod halves;
pub mod keccak;
pub mod lane_eval;
pub mod lanes;
pub mod log;
pub mod memory;
pub mod modular;
pub mod muldiv;
pub mod output;
pub mod range;
pub mod registry;
pub mod rollback;
pub mod rw;
pub mod signextend;
mod sorted;
pub mod sponge;
pub mod storage;
#[cfg(test)]
mod test_support;

pub use air::{ComponentAir, ComponentInputs};
pub use algebra::Algebra;
pub use bus::{BusId, Direction, Interaction, PublicMessage};
pub use check::{check_block, check_constraints, check_shard_constraints, CheckError, Violation};
pub use component::{padded_len, shard_offsets, BoundaryValue, Component, ComponentTrace, Window};
pub use error::AirError;
pub use registry::ComponentId;
