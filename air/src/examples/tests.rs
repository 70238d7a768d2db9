use super::*;
use crate::component::Component;
use crate::test_support::claim;
use crate::with_component;
use zkevm_field::{FieldElement, Quadratic};

fn claims(traces: &[ComponentTrace]) -> Vec<Quadratic> {
    traces
        .iter()
        .map(|t| with_component!(t.id, C => claim(&C::default(), &t.columns)))
        .collect()
}

fn sum(values: &[Quadratic]) -> Quadratic {
    values.iter().fold(Quadratic::ZERO, |a, &b| a + b)
}

#[test]
fn honest_block_balances() {
    let traces = example_block(&[1, 0x1234_5678, 0xffff_ffff, 65_536]);
    let claims = claims(&traces);
    assert!(claims.iter().all(|c| *c != Quadratic::ZERO));
    assert_eq!(sum(&claims), Quadratic::ZERO);
}

#[test]
fn unbalanced_block_does_not() {
    let mut traces = example_block(&[5, 6, 7]);
    // The accumulator drops a word.
    traces[2].columns[1][2] = Goldilocks::ZERO;
    assert_ne!(sum(&claims(&traces)), Quadratic::ZERO);
}

#[test]
fn shapes_are_consistent() {
    for id in crate::ComponentId::ALL {
        with_component!(id, C => {
            let c = C::default();
            assert_eq!(C::ID, id);
            assert!(c.width() <= 254);
            assert!(!crate::air::main_degrees(&c).is_empty());
            assert!(!c.boundary().is_empty());
        });
    }
}
