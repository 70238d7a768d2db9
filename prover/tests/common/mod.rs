#![allow(dead_code)]

use zkevm_air::examples::{accumulator_trace, example_block, limbs_trace, range_trace};
use zkevm_air::{ComponentId, ComponentTrace};
use zkevm_prover::{prove_block, BlockProof, Profile};

pub const STATEMENT: &[u8] = b"example block: limbs and sums";

pub fn words() -> Vec<u32> {
    vec![
        0,
        1,
        0xffff_ffff,
        0x1234_5678,
        65_536,
        0xdead_beef,
        7,
        0x0001_0002,
        42,
        0x8000_0000,
    ]
}

pub fn traces(range: &[u32], limbs: &[u32], accumulator: &[u32]) -> Vec<ComponentTrace> {
    vec![
        ComponentTrace {
            id: ComponentId::Range16,
            columns: range_trace(range),
        },
        ComponentTrace {
            id: ComponentId::Limbs,
            columns: limbs_trace(limbs),
        },
        ComponentTrace {
            id: ComponentId::Accumulator,
            columns: accumulator_trace(accumulator),
        },
    ]
}

pub fn honest(profile: Profile) -> BlockProof {
    prove_block(STATEMENT, example_block(&words()), profile).expect("honest block proves")
}
