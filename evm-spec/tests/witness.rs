//! Recording the witness: execution is unchanged, the encodings round-trip, and the step counts
//! and gas of the benchmark workloads match the figures revm measured.

use revm::context::TxEnv;
use zkevm_evm_spec::exec::{execute, execute_recorded, state_test_tx, tx_context, ChainConfig};
use zkevm_evm_spec::fixture::{fixtures_dir, load_file, BlockEnv};
use zkevm_evm_spec::inspector::{Recorder, Tape};
use zkevm_evm_spec::runner::{chain_config, collect_files, trace_case};
use zkevm_evm_spec::state::MemDb;
use zkevm_evm_spec::witness::Witness;
use zkevm_evm_spec::workload;

fn eest_files() -> Vec<std::path::PathBuf> {
    let dir = fixtures_dir()
        .unwrap_or_else(|e| panic!("{e}"))
        .join("eest");
    collect_files(&[dir]).unwrap_or_else(|e| panic!("{e}"))
}

#[test]
fn recording_does_not_change_execution_and_witnesses_round_trip() {
    let mut traced = 0;
    let mut failures = Vec::new();
    for file in eest_files() {
        let loaded = load_file(&file).unwrap_or_else(|e| panic!("{e}"));
        for (id, case) in loaded.cases {
            let case = case.unwrap_or_else(|e| panic!("{e}"));
            for post in &case.post {
                match trace_case(&case, post) {
                    Ok(w) => {
                        traced += 1;
                        // Every 50th witness: both encodings decode to the same witness.
                        if traced % 50 == 0 {
                            let json = w.to_json().unwrap_or_else(|e| panic!("{e}"));
                            assert_eq!(Witness::from_json(&json).ok().as_ref(), Some(&w), "{id}");
                            let bin = w.to_bytes().unwrap_or_else(|e| panic!("{e}"));
                            assert_eq!(Witness::from_bytes(&bin).ok().as_ref(), Some(&w), "{id}");
                        }
                    }
                    Err(e) => failures.push(format!("{id}: {e}")),
                }
            }
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
    assert_eq!(traced, 1595);
}

#[test]
fn small_workloads_match_recorded_gas_steps_and_output() {
    let path = workload::default_path().unwrap_or_else(|e| panic!("{e}"));
    let all = workload::load(&path).unwrap_or_else(|e| panic!("{e}"));
    for name in ["analysis", "fib_loop", "keccak_loop", "sstore_loop"] {
        let w = workload::find(all.clone(), name).unwrap_or_else(|e| panic!("{e}"));
        let plain = w.run().unwrap_or_else(|e| panic!("{e}"));
        w.check(&plain).unwrap_or_else(|e| panic!("{e}"));
        let (outcome, witness) = w.trace().unwrap_or_else(|e| panic!("{e}"));
        w.check(&outcome).unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(
            witness.steps.len() as u64,
            w.measured.steps,
            "{name}: steps"
        );
    }
}

#[test]
fn malformed_binary_witness_is_an_error() {
    assert!(Witness::from_bytes(&[0xff, 0xff, 0xff]).is_err());
    assert!(Witness::from_json("{\"version\": 1").is_err());
}

#[test]
fn recording_into_reused_buffers_gives_the_same_witness() {
    let path = workload::default_path().unwrap_or_else(|e| panic!("{e}"));
    let all = workload::load(&path).unwrap_or_else(|e| panic!("{e}"));
    // Each workload is recorded into the buffers of the previous one's tape.
    let mut buffers = Tape::default();
    for name in [
        "keccak_loop",
        "analysis",
        "sstore_loop",
        "fib_loop",
        "analysis",
    ] {
        let w = workload::find(all.clone(), name).unwrap_or_else(|e| panic!("{e}"));
        let (_, fresh) = w.trace().unwrap_or_else(|e| panic!("{e}"));
        let (_, tape) = w.record(buffers).unwrap_or_else(|e| panic!("{e}"));
        let reused = tape.clone().expand().unwrap_or_else(|e| panic!("{e}"));
        assert!(reused == fresh, "{name}: witnesses differ");
        buffers = tape;
    }
}

/// The witness of `tx` recorded with every step detailed (the reference the tape's fast steps
/// must expand to).
fn detailed_witness(pre: &MemDb, block: &BlockEnv, chain: &ChainConfig, tx: TxEnv) -> Witness {
    let mut db = pre.clone();
    let mut recorder = Recorder::detailed(tx_context(block, chain, &tx));
    execute(&mut db, block, chain, tx, Some(&mut recorder)).unwrap_or_else(|e| panic!("{e}"));
    recorder.finish().unwrap_or_else(|e| panic!("{e}"))
}

#[test]
fn expanded_tapes_equal_detailed_recordings_on_every_fixture_and_small_workload() {
    let mut compared = 0;
    let mut fast_steps = 0;
    for file in eest_files() {
        let loaded = load_file(&file).unwrap_or_else(|e| panic!("{e}"));
        for (id, case) in loaded.cases {
            let case = case.unwrap_or_else(|e| panic!("{e}"));
            let chain = chain_config(&case);
            for post in &case.post {
                let tx = state_test_tx(&case, post).unwrap_or_else(|e| panic!("{e}"));
                let pre = MemDb::new(case.pre.clone());
                let mut db = pre.clone();
                let (_, tape) =
                    execute_recorded(&mut db, &case.env, &chain, tx.clone(), Tape::default())
                        .unwrap_or_else(|e| panic!("{e}"));
                fast_steps += tape.steps() - tape.detailed_steps();
                let mut expanded = tape.expand().unwrap_or_else(|e| panic!("{e}"));
                expanded.result = Default::default();
                let reference = detailed_witness(&pre, &case.env, &chain, tx);
                assert!(
                    expanded == reference,
                    "{id}: the expanded tape differs from the detailed witness"
                );
                compared += 1;
            }
        }
    }
    assert_eq!(compared, 1595);
    // The comparison is only meaningful if the fast path was taken.
    assert!(fast_steps > 100_000, "{fast_steps} fast steps");
    let path = workload::default_path().unwrap_or_else(|e| panic!("{e}"));
    let all = workload::load(&path).unwrap_or_else(|e| panic!("{e}"));
    for name in ["analysis", "fib_loop", "keccak_loop", "sstore_loop"] {
        let w = workload::find(all.clone(), name).unwrap_or_else(|e| panic!("{e}"));
        let (_, mut expanded) = w.trace().unwrap_or_else(|e| panic!("{e}"));
        expanded.result = Default::default();
        let reference =
            detailed_witness(&MemDb::new(w.pre.clone()), &w.block(), &w.chain(), w.tx());
        assert!(
            expanded == reference,
            "{name}: the expanded tape differs from the detailed witness"
        );
    }
}
