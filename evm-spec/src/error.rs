//! The crate's error type.
//!
//! Every error caused by input data (fixture files, witnesses, workloads) is reported through
//! [`Error`] and never through a panic, so a runner can report it and move on to the next case.

use std::path::PathBuf;

/// Errors of the EVM specification crate.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// A file could not be read.
    #[error("{path}: {error}")]
    Io {
        /// The file.
        path: PathBuf,
        /// The underlying I/O error.
        error: std::io::Error,
    },
    /// A file is not valid JSON (or not the expected top-level shape).
    #[error("{path}: malformed JSON: {msg}")]
    Json {
        /// The file.
        path: PathBuf,
        /// What the parser reported.
        msg: String,
    },
    /// One test case (or workload) in a file is malformed: missing field, bad hex, unknown fork.
    #[error("{path}: test `{test}`: {msg}")]
    Fixture {
        /// The file.
        path: PathBuf,
        /// The test id (or workload name) inside the file.
        test: String,
        /// What is wrong, naming the field.
        msg: String,
    },
    /// A value inside a fixture is malformed; `field` is its JSON path inside the case.
    /// Converted into [`Error::Fixture`] once the file and test id are known.
    #[error("{field}: {msg}")]
    Field {
        /// JSON path of the field inside the case, e.g. `transaction.gasLimit[0]`.
        field: String,
        /// What is wrong.
        msg: String,
    },
    /// revm reported a failure that is not a transaction validation error (e.g. a database error).
    #[error("execution failed: {0}")]
    Execution(String),
    /// A named workload does not exist.
    #[error("unknown workload `{name}`; available: {available}")]
    UnknownWorkload {
        /// The requested name.
        name: String,
        /// Comma-separated names that exist.
        available: String,
    },
    /// A witness could not be encoded or decoded.
    #[error("witness encoding: {0}")]
    Encoding(String),
    /// A recorded tape that does not expand consistently (a recorder bug, never bad input).
    #[error("witness tape: {0}")]
    Tape(String),
    /// The fixtures directory does not exist.
    #[error("fixtures directory {0} not found (set ZKEVM_FIXTURES or place fixtures at ../shared/fixtures)")]
    FixturesMissing(PathBuf),
}

impl Error {
    /// Attaches a file and test id to a [`Error::Field`] error; other errors are returned as is.
    pub fn in_case(self, path: &std::path::Path, test: &str) -> Error {
        match self {
            Error::Field { field, msg } => Error::Fixture {
                path: path.to_path_buf(),
                test: test.to_string(),
                msg: format!("{field}: {msg}"),
            },
            other => other,
        }
    }
}

/// Result alias of this crate.
pub type Result<T, E = Error> = std::result::Result<T, E>;
