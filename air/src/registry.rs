//! The registry of components a block may contain.
//!
//! Adding a component: one module, one variant here, one arm in [`crate::with_component!`].

use crate::error::AirError;

/// Identifier of a component type, as written in block proofs.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
#[repr(u16)]
pub enum ComponentId {
    /// [`crate::range::RangeTable`]
    Range16 = 1,
    /// [`crate::examples::Limbs`]
    Limbs = 2,
    /// [`crate::examples::Accumulator`]
    Accumulator = 3,
    /// [`crate::bytecode::Bytecode`]
    Bytecode = 16,
    /// [`crate::rw::ReadWrite`]
    ReadWrite = 17,
    /// [`crate::cpu::Cpu`]
    Cpu = 18,
    /// [`crate::storage::Storage`]
    Storage = 19,
    /// [`crate::memory::Memory`]
    Memory = 20,
    /// [`crate::arithmetic::Arithmetic`]
    Arithmetic = 21,
    /// [`crate::output::Output`]
    Output = 22,
    /// [`crate::copy::Copy`]
    Copy = 23,
    /// [`crate::bitwise::Bitwise`]
    Bitwise = 24,
    /// [`crate::and_table::AndTable`]
    AndTable = 25,
    /// [`crate::muldiv::MulDiv`]
    MulDiv = 26,
    /// [`crate::modular::Modular`]
    Modular = 27,
    /// [`crate::signextend::SignExtend`]
    SignExtend = 28,
    /// [`crate::exp::Exp`]
    Exp = 29,
    /// [`crate::log::Log`]
    Log = 30,
    /// [`crate::keccak::Keccak`]
    Keccak = 31,
    /// [`crate::sponge::Sponge`]
    Sponge = 32,
    /// [`crate::keccak::KeccakAnd`]
    KeccakAnd = 33,
    /// [`crate::account::Account`]
    Account = 34,
    /// [`crate::call::Call`]
    Call = 35,
}

impl ComponentId {
    /// Every registered component.
    pub const ALL: [ComponentId; 23] = [
        ComponentId::Range16,
        ComponentId::Limbs,
        ComponentId::Accumulator,
        ComponentId::Bytecode,
        ComponentId::ReadWrite,
        ComponentId::Cpu,
        ComponentId::Storage,
        ComponentId::Memory,
        ComponentId::Arithmetic,
        ComponentId::Output,
        ComponentId::Copy,
        ComponentId::Bitwise,
        ComponentId::AndTable,
        ComponentId::MulDiv,
        ComponentId::Modular,
        ComponentId::SignExtend,
        ComponentId::Exp,
        ComponentId::Log,
        ComponentId::Keccak,
        ComponentId::Sponge,
        ComponentId::KeccakAnd,
        ComponentId::Account,
        ComponentId::Call,
    ];

    /// The wire value.
    pub fn to_u16(self) -> u16 {
        self as u16
    }

    /// Parses a wire value.
    pub fn from_u16(value: u16) -> Result<Self, AirError> {
        Self::ALL
            .into_iter()
            .find(|id| id.to_u16() == value)
            .ok_or(AirError::UnknownComponent(value))
    }

    /// The component's name.
    pub fn name(self) -> &'static str {
        crate::with_component!(self, C => <C as crate::Component>::NAME)
    }
}

/// Runs `$body` with `$C` bound to the component type registered under `$id`.
///
/// ```
/// use zkevm_air::{with_component, Component, ComponentId};
/// let width = with_component!(ComponentId::Limbs, C => C::default().width());
/// assert_eq!(width, 4);
/// ```
#[macro_export]
macro_rules! with_component {
    ($id:expr, $C:ident => $body:expr) => {
        match $id {
            $crate::ComponentId::Range16 => {
                type $C = $crate::range::RangeTable;
                $body
            }
            $crate::ComponentId::Limbs => {
                type $C = $crate::examples::Limbs;
                $body
            }
            $crate::ComponentId::Accumulator => {
                type $C = $crate::examples::Accumulator;
                $body
            }
            $crate::ComponentId::Bytecode => {
                type $C = $crate::bytecode::Bytecode;
                $body
            }
            $crate::ComponentId::ReadWrite => {
                type $C = $crate::rw::ReadWrite;
                $body
            }
            $crate::ComponentId::Cpu => {
                type $C = $crate::cpu::Cpu;
                $body
            }
            $crate::ComponentId::Storage => {
                type $C = $crate::storage::Storage;
                $body
            }
            $crate::ComponentId::Memory => {
                type $C = $crate::memory::Memory;
                $body
            }
            $crate::ComponentId::Arithmetic => {
                type $C = $crate::arithmetic::Arithmetic;
                $body
            }
            $crate::ComponentId::Output => {
                type $C = $crate::output::Output;
                $body
            }
            $crate::ComponentId::Copy => {
                type $C = $crate::copy::Copy;
                $body
            }
            $crate::ComponentId::Bitwise => {
                type $C = $crate::bitwise::Bitwise;
                $body
            }
            $crate::ComponentId::AndTable => {
                type $C = $crate::and_table::AndTable;
                $body
            }
            $crate::ComponentId::MulDiv => {
                type $C = $crate::muldiv::MulDiv;
                $body
            }
            $crate::ComponentId::Modular => {
                type $C = $crate::modular::Modular;
                $body
            }
            $crate::ComponentId::SignExtend => {
                type $C = $crate::signextend::SignExtend;
                $body
            }
            $crate::ComponentId::Exp => {
                type $C = $crate::exp::Exp;
                $body
            }
            $crate::ComponentId::Log => {
                type $C = $crate::log::Log;
                $body
            }
            $crate::ComponentId::Keccak => {
                type $C = $crate::keccak::Keccak;
                $body
            }
            $crate::ComponentId::Sponge => {
                type $C = $crate::sponge::Sponge;
                $body
            }
            $crate::ComponentId::KeccakAnd => {
                type $C = $crate::keccak::KeccakAnd;
                $body
            }
            $crate::ComponentId::Account => {
                type $C = $crate::account::Account;
                $body
            }
            $crate::ComponentId::Call => {
                type $C = $crate::call::Call;
                $body
            }
        }
    };
}

#[cfg(test)]
mod tests {
    use super::ComponentId;
    use crate::Component;

    /// winterfell refuses (panics on) a trace wider than 255 columns, main and auxiliary
    /// together; every registered component must fit.
    #[test]
    fn every_component_fits_winterfell_width() {
        for id in ComponentId::ALL {
            let (main, aux) = crate::with_component!(id, C => {
                let component = C::default();
                (component.width(), crate::bus::aux_width(&component))
            });
            assert!(main + aux <= 255, "{}: {main} + {aux} columns", id.name());
        }
    }
}
