//! Helpers shared by the components' unit tests: fixed challenges and a trace's bus claim.

use crate::bus::{build_aux_columns, claim_of, public_sum};
use crate::component::Component;
use crate::PublicMessage;
use zkevm_field::{Goldilocks, Quadratic};

/// Fixed γ, β (tests do not need them drawn from a transcript).
pub fn challenges() -> (Quadratic, Quadratic) {
    (
        Quadratic::new(Goldilocks::new(123_456_789), Goldilocks::new(42)),
        Quadratic::new(Goldilocks::new(987_654_321), Goldilocks::new(7)),
    )
}

/// The claimed sum of `columns` as a trace of `component` under [`challenges`].
pub fn claim<C: Component>(component: &C, columns: &[Vec<Goldilocks>]) -> Quadratic {
    let (gamma, beta) = challenges();
    claim_of(&build_aux_columns(component, columns, gamma, beta).expect("aux columns"))
}

/// What `messages` add to the bus under [`challenges`].
pub fn public(messages: &[PublicMessage]) -> Quadratic {
    let (gamma, beta) = challenges();
    public_sum(messages, gamma, beta).expect("public messages")
}
