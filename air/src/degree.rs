//! Upper bounds on constraint degrees, computed from the constraint definitions themselves.
//!
//! Winterfell builds the composition polynomial from the *declared* degree of each constraint;
//! a constraint whose real degree is higher makes honest proofs fail verification (the
//! out-of-domain check), and only winterfell's debug build would say why. [`Degree`] is an
//! [`Algebra`] whose values are degree bounds (columns 1, constants 0, sums the maximum,
//! products the sum), so evaluating a component's constraints over it gives a bound for each;
//! [`check_degrees`] compares them with the declarations.

use crate::algebra::Algebra;
use crate::bus::BusValues;
use crate::component::{Component, Window};
use core::ops::{Add, Mul, Neg, Sub};
use zkevm_field::Goldilocks;

/// A degree bound, as an algebra value.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Degree(pub usize);

impl Add for Degree {
    type Output = Self;
    #[allow(clippy::suspicious_arithmetic_impl)] // the degree of a sum is the larger one
    fn add(self, other: Self) -> Self {
        Degree(self.0.max(other.0))
    }
}

impl Sub for Degree {
    type Output = Self;
    #[allow(clippy::suspicious_arithmetic_impl)] // the degree of a difference is the larger one
    fn sub(self, other: Self) -> Self {
        Degree(self.0.max(other.0))
    }
}

impl Mul for Degree {
    type Output = Self;
    #[allow(clippy::suspicious_arithmetic_impl)] // degrees of a product add
    fn mul(self, other: Self) -> Self {
        Degree(self.0 + other.0)
    }
}

impl Neg for Degree {
    type Output = Self;
    fn neg(self) -> Self {
        self
    }
}

impl Algebra for Degree {
    fn constant(_: Goldilocks) -> Self {
        Degree(0)
    }
}

/// Every constraint and interaction of `C` whose bound exceeds its declared degree.
pub fn check_degrees<C: Component>(component: &C) -> Result<(), String> {
    let columns = vec![Degree(1); component.width()];
    let mut problems = Vec::new();
    let declared = component.transition_degrees();
    let mut out = vec![Degree(0); declared.len()];
    let window = Window {
        current: &columns,
        next: &columns,
    };
    component.eval_transition(&window, &mut out);
    let mut compare = |kind: &str, bounds: &[Degree], declared: &[usize]| {
        for (i, (bound, &d)) in bounds.iter().zip(declared).enumerate() {
            if bound.0 > d {
                problems.push(format!(
                    "{kind} {i}: degree up to {}, declared {d}",
                    bound.0
                ));
            }
        }
    };
    compare("transition", &out, &declared);
    let declared = component.row_degrees();
    let mut out = vec![Degree(0); declared.len()];
    component.eval_row(&columns, &mut out);
    compare("row", &out, &declared);
    let shapes = component.interactions();
    let mut values = vec![BusValues::new(Degree(0), &[]); shapes.len()];
    component.eval_interactions(&columns, &mut values);
    for (i, (shape, value)) in shapes.iter().zip(&values).enumerate() {
        let field = value.fields[..shape.num_fields]
            .iter()
            .map(|f| f.0)
            .max()
            .unwrap_or(0);
        if value.multiplicity.0 > shape.multiplicity_degree || field > shape.field_degree {
            problems.push(format!(
                "interaction {i}: multiplicity degree {} (declared {}), fields {field} \
                 (declared {})",
                value.multiplicity.0, shape.multiplicity_degree, shape.field_degree
            ));
        }
    }
    match problems.is_empty() {
        true => Ok(()),
        false => Err(format!("{}: {}", C::NAME, problems.join("; "))),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::registry::ComponentId;

    #[test]
    fn no_constraint_or_interaction_exceeds_its_declared_degree() {
        let problems: Vec<String> = ComponentId::ALL
            .iter()
            .filter_map(|&id| crate::with_component!(id, C => check_degrees(&C::default()).err()))
            .collect();
        assert!(problems.is_empty(), "{}", problems.join("\n"));
    }
}
