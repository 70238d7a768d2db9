//! Every integration test of this crate, built as one binary (see `autotests` in Cargo.toml).

mod bad_fixtures;
mod checker;
mod differential;
mod state_tests;
mod witness;
