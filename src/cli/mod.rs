//! One module per `zkevm` subcommand.

pub mod bench;
pub mod demo;
pub mod run;
pub mod test;
pub mod trace;
