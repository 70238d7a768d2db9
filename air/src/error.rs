use thiserror::Error;

/// What can be wrong with a component trace or its description.
#[derive(Debug, Error, Clone, PartialEq, Eq)]
pub enum AirError {
    #[error("{component}: trace has {got} columns, the layout has {expected}")]
    Width {
        component: &'static str,
        expected: usize,
        got: usize,
    },
    #[error("{component}: trace length {0} is not a power of two ≥ 8", .len)]
    Length { component: &'static str, len: usize },
    #[error("{component}: trace length must be {expected}, got {got}")]
    FixedLength {
        component: &'static str,
        expected: usize,
        got: usize,
    },
    #[error("{component}: columns differ in length")]
    Ragged { component: &'static str },
    #[error("{component}: a bus message has γ − v = 0 (challenge collision); retry with a new statement")]
    ChallengeCollision { component: &'static str },
    #[error("unknown component id {0}")]
    UnknownComponent(u16),
    #[error("invalid input: {0}")]
    Input(String),
}
