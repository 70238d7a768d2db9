//! Recording the witness: execution is unchanged, the encodings round-trip, and the step counts
//! and gas of the benchmark workloads match the figures revm measured.

use zkevm_evm_spec::fixture::{fixtures_dir, load_file};
use zkevm_evm_spec::runner::{collect_files, trace_case};
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
    // Each workload is recorded into the buffers of the previous one's witness.
    let mut buffers = Witness::default();
    for name in [
        "keccak_loop",
        "analysis",
        "sstore_loop",
        "fib_loop",
        "analysis",
    ] {
        let w = workload::find(all.clone(), name).unwrap_or_else(|e| panic!("{e}"));
        let (_, fresh) = w.trace().unwrap_or_else(|e| panic!("{e}"));
        let (_, reused) = w.trace_reusing(buffers).unwrap_or_else(|e| panic!("{e}"));
        assert!(reused == fresh, "{name}: witnesses differ");
        buffers = reused;
    }
}
