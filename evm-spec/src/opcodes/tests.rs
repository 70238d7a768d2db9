//! The table is checked against revm's own opcode metadata and Osaka gas table, and validity is
//! checked by executing every opcode byte.

use super::*;
use revm::bytecode::opcode::OpCode;
use revm::interpreter::instructions::gas_table_spec;
use revm::primitives::hardfork::SpecId;

#[test]
fn stack_io_and_names_match_revm() {
    for op in table().iter() {
        let r = OpCode::new(op.code).unwrap_or_else(|| panic!("{} unknown to revm", op.name));
        assert_eq!((op.stack_in, op.stack_out), r.input_output(), "{}", op.name);
        let revm_name = r.as_str();
        // revm still calls 0x44 DIFFICULTY; it is PREVRANDAO since the Merge.
        if op.code != 0x44 {
            assert_eq!(op.name, revm_name);
        }
        assert_eq!(op.terminates, r.info().is_terminating(), "{}", op.name);
        assert_eq!(op.immediate, r.info().immediate_size(), "{}", op.name);
    }
}

#[test]
fn static_gas_matches_revm_osaka() {
    let gas = gas_table_spec(SpecId::OSAKA);
    for op in table().iter() {
        // revm charges CREATE/CREATE2's 32,000 in the instruction body; we list it as static
        // because every execution pays it.
        let expected = match op.code {
            0xf0 | 0xf5 => 32000,
            c => gas[c as usize],
        };
        assert_eq!(op.static_gas, expected, "{}", op.name);
    }
}

#[test]
fn table_has_the_osaka_opcode_count() {
    // 0x00–0x0b (12), 0x10–0x1e (15), 0x20, 0x30–0x3f (16), 0x40–0x4a (11), 0x50–0x5e (15),
    // PUSH0–32 (33), DUP (16), SWAP (16), LOG (5), 0xf0–0xf5 (6), 0xfa, 0xfd, 0xfe, 0xff.
    assert_eq!(
        table().iter().count(),
        12 + 15 + 1 + 16 + 11 + 15 + 33 + 16 + 16 + 5 + 6 + 4
    );
    for op in table().iter() {
        assert_eq!(info(op.code).map(|o| o.name), Some(op.name));
    }
}

#[test]
fn components_are_consistent_with_the_gas_rules() {
    for op in table().iter() {
        let touches_memory = !matches!(
            op.dynamic,
            DynamicGas::None
                | DynamicGas::Exp
                | DynamicGas::AccountAccess
                | DynamicGas::Sload
                | DynamicGas::Sstore
                | DynamicGas::SelfDestruct
        );
        assert_eq!(
            touches_memory,
            op.components.contains(Components::MEMORY),
            "{}",
            op.name
        );
    }
}
