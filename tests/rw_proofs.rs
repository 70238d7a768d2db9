//! The RW component proven end to end with the range table: the stack, memory and call-context
//! accesses of a bench workload (sent by the statement, standing in for the CPU) prove and
//! verify; a verifier expecting other accesses rejects; a table whose read lies about its value
//! (consistently with what was sent) does not verify.

use zkevm_air::range;
use zkevm_air::rw::{self, Access};
use zkevm_air::{ComponentId, ComponentTrace};
use zkevm_prover::{prove_block_with_public, verify_block_for, BlockError, Profile};

const STATEMENT: &[u8] = b"rw accesses of sstore_loop";
const FAST: &[Profile] = &[Profile::FastTest];

fn workload_accesses() -> Vec<Access> {
    let path = zkevm_evm_spec::workload::default_path().expect("fixtures directory");
    let workloads = zkevm_evm_spec::workload::load(&path).expect("bench workloads load");
    let workload = zkevm_evm_spec::workload::find(workloads, "sstore_loop").expect("workload");
    let (_, witness) = workload.trace().expect("execution");
    rw::accesses(&witness).expect("accesses fit the table").0
}

fn block(accesses: &[Access]) -> Vec<ComponentTrace> {
    let table = rw::trace(accesses).expect("table");
    vec![
        ComponentTrace {
            id: ComponentId::ReadWrite,
            columns: table.columns,
        },
        ComponentTrace {
            id: ComponentId::Range16,
            columns: range::trace_of(table.range_lookups),
        },
    ]
}

fn prove(accesses: &[Access], sent: &[Access]) -> Vec<u8> {
    let public = rw::access_messages(sent);
    prove_block_with_public(STATEMENT, &public, block(accesses), Profile::FastTest)
        .expect("proving")
        .to_bytes()
}

#[test]
fn workload_accesses_prove_and_verify() {
    let accesses = workload_accesses();
    let bytes = prove(&accesses, &accesses);
    let verified = verify_block_for(&bytes, STATEMENT, &rw::access_messages(&accesses), FAST)
        .expect("honest RW proof verifies");
    assert_eq!(
        verified.components,
        vec![ComponentId::ReadWrite, ComponentId::Range16]
    );
    // The verifier expects one access fewer, or one value different.
    let fewer = &accesses[1..];
    let mut changed = accesses.clone();
    changed[100].value[0] ^= 1;
    for other in [fewer, changed.as_slice()] {
        let result = verify_block_for(&bytes, STATEMENT, &rw::access_messages(other), FAST);
        assert!(
            matches!(result, Err(BlockError::Unbalanced(_))),
            "{result:?}"
        );
    }
}

#[test]
fn a_lying_read_does_not_verify() {
    let mut accesses = workload_accesses();
    // The first read that follows a write of the same address returns a different value, in
    // the table and in what was sent alike: the bus balances, the read constraint does not.
    let index = (1..accesses.len())
        .find(|&i| {
            !accesses[i].write
                && accesses[..i].iter().any(|a| {
                    a.kind == accesses[i].kind
                        && a.ctx == accesses[i].ctx
                        && a.addr == accesses[i].addr
                })
        })
        .expect("a read of a written address");
    accesses[index].value[3] ^= 0x10;
    let bytes = prove(&accesses, &accesses);
    let result = verify_block_for(&bytes, STATEMENT, &rw::access_messages(&accesses), FAST);
    assert!(
        matches!(result, Err(BlockError::Rejected { .. })),
        "{result:?}"
    );
}
