//! Every integration test of this crate, built as one binary (see `autotests` in Cargo.toml).

mod block;
mod common;
mod corruption;
mod public;
