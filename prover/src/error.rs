use thiserror::Error;
use zkevm_air::AirError;

/// Everything that can go wrong proving or verifying a block.
#[derive(Debug, Error)]
pub enum BlockError {
    #[error(transparent)]
    Air(#[from] AirError),
    #[error(
        "profile {0} commits with another hash (the wrap profile's proofs are made and checked \
         with Poseidon over BN254 through zkevm-recursion; the others with Blake3)"
    )]
    Hasher(&'static str),
    #[error("a block needs at least one component and at most {max}, got {got}")]
    ComponentCount { max: usize, got: usize },
    #[error("{component}: trace of {rows} rows is too long (at most 2^{max_log})")]
    TooLong {
        component: &'static str,
        rows: usize,
        max_log: u32,
    },
    #[error("{component}: proving failed: {message}")]
    Prove {
        component: &'static str,
        message: String,
    },
    #[error("the block transcript failed to draw its challenges: {0}")]
    Transcript(String),
    #[error("malformed block proof: {0}")]
    Malformed(String),
    #[error("unsupported block proof version {0}")]
    Version(u16),
    #[error("unknown proof profile id {0}")]
    UnknownProfile(u8),
    #[error("profile `{0}` is not accepted by this verifier")]
    ProfileNotAccepted(&'static str),
    #[error("component {index} ({component}): malformed proof: {reason}")]
    MalformedComponent {
        index: usize,
        component: &'static str,
        reason: String,
    },
    #[error("component {index} ({component}): proof rejected: {reason}")]
    Rejected {
        index: usize,
        component: &'static str,
        reason: String,
    },
    #[error("the bus does not balance: the claimed sums and public messages add up to {0}, not 0")]
    Unbalanced(String),
    #[error("the proof is for a different statement")]
    StatementMismatch,
}
