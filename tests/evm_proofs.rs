//! EVM executions proven end to end (CPU, Bytecode, RW and Range16 joined by the bus): the
//! built-in program proves and verifies in the default profile; a proof re-labelled with a
//! different statement (gas, code, step counts) is rejected; corrupt bytes are errors; an
//! unsupported program is reported, naming the opcode.

use zkevm::evm::{check, check_state, prove, prove_case, prove_within, verify, EvmError};
use zkevm::programs::{
    calldata_word, fib_loop_program, straight_line_program, trace_program, trace_program_with,
};
use zkevm_air::evm::Statement;
use zkevm_evm_spec::fixture::fixtures_dir;
use zkevm_evm_spec::fixture::load_file;
use zkevm_evm_spec::runner::{collect_files, run_files_with, trace_case, Status};
use zkevm_prover::{BlockProof, Profile};

const FAST: &[Profile] = &[Profile::FastTest];

#[test]
fn the_builtin_program_proves_and_verifies_at_default_security() {
    let witness = trace_program(&straight_line_program(40)).unwrap();
    let proven = prove(&witness, Profile::Default).unwrap();
    assert_eq!(proven.statement.steps() as usize, witness.steps.len());
    assert_eq!(proven.statement.steps(), 40 * 15 + 2);
    let verified = verify(&proven.proof, &[Profile::Default]).unwrap();
    assert_eq!(verified.statement, proven.statement);
    assert_eq!(
        verified.components,
        ["cpu", "bytecode", "rw", "and8", "sponge", "keccak", "range16"]
    );
    assert!(Profile::Default.conjectured_security_bits() >= 100);
    // The frame's gas: what revm charged the callee.
    let frame = &witness.frames[0];
    assert_eq!(verified.statement.gas, frame.gas_limit);
    assert_eq!(verified.statement.gas_left, frame.gas_left);
}

/// A change to a statement.
type Edit = Box<dyn Fn(&mut Statement)>;

/// The proof with its statement replaced (the component proofs untouched).
fn relabel(bytes: &[u8], edit: impl Fn(&mut Statement)) -> Vec<u8> {
    let mut proof = BlockProof::from_bytes(bytes).unwrap();
    let mut statement = Statement::from_bytes(&proof.statement).unwrap();
    edit(&mut statement);
    proof.statement = statement.to_bytes();
    proof.to_bytes()
}

#[test]
fn a_different_statement_is_rejected() {
    let witness = trace_program(&straight_line_program(3)).unwrap();
    let proven = prove(&witness, Profile::FastTest).unwrap();
    verify(&proven.proof, FAST).unwrap();
    let edits: [(&str, Edit); 6] = [
        ("gas left", Box::new(|s| s.gas_left -= 1)),
        ("gas", Box::new(|s| s.gas += 1)),
        ("code hash", Box::new(|s| s.codes[0].hash[5] ^= 1)),
        ("code length", Box::new(|s| s.codes[0].len -= 1)),
        ("step count", Box::new(|s| s.opcode_counts[0].1 += 1)),
        ("frame", Box::new(|s| s.ctx = 1)),
    ];
    for (what, edit) in edits {
        let result = verify(&relabel(&proven.proof, edit), FAST);
        // The transaction's frame id is 0 by rule: another one is refused before proving.
        assert!(
            matches!(result, Err(EvmError::Verify(_)))
                || (what == "frame" && matches!(result, Err(EvmError::Statement(_)))),
            "{what}: {result:?}"
        );
    }
}

#[test]
fn corrupt_proof_bytes_are_errors() {
    let witness = trace_program(&straight_line_program(2)).unwrap();
    let proof = prove(&witness, Profile::FastTest).unwrap().proof;
    for cut in [0, 3, 10, proof.len() / 2, proof.len() - 1] {
        assert!(verify(&proof[..cut], FAST).is_err(), "truncated at {cut}");
    }
    let mut flipped = proof.clone();
    let at = flipped.len() - 100;
    flipped[at] ^= 0x40;
    assert!(verify(&flipped, FAST).is_err());
    // A statement that is not one.
    let mut garbage = BlockProof::from_bytes(&proof).unwrap();
    garbage.statement = vec![0xff; 7];
    assert!(matches!(
        verify(&garbage.to_bytes(), FAST),
        Err(EvmError::Statement(_))
    ));
}

#[test]
fn a_block_with_a_second_rw_table_is_rejected() {
    // Two RW tables could split an address's accesses (each table accepts a first write),
    // letting a read skip the latest write. Even an empty second table balances the bus; the
    // verifier rejects the block's shape.
    let witness = trace_program(&straight_line_program(2)).unwrap();
    let block = zkevm_air::evm::build(&witness).unwrap();
    let mut traces = block.traces.clone();
    traces.push(zkevm_air::ComponentTrace {
        id: zkevm_air::ComponentId::ReadWrite,
        columns: zkevm_air::rw::trace(&[]).unwrap().columns,
    });
    let proof = zkevm_prover::prove_block_with_public(
        &block.statement.to_bytes(),
        &block.statement.public_messages(),
        traces,
        Profile::FastTest,
    )
    .unwrap();
    match verify(&proof.to_bytes(), FAST) {
        Err(EvmError::Statement(e)) => assert!(e.to_string().contains("rw"), "{e}"),
        other => panic!("{other:?}"),
    }
    assert!(zkevm_air::evm::check_components(&[zkevm_air::ComponentId::Limbs]).is_err());
}

#[test]
fn keccak_shards_prove_and_a_shard_off_its_offset_is_rejected() {
    use zkevm_air::{keccak, ComponentId};
    use zkevm_field::{FieldElement, Goldilocks, Quadratic};
    use zkevm_prover::BlockError;
    // KECCAK256 of 300 bytes (three permutations) and the code's own hash (one): four shards of
    // 256 rows, one permutation each.
    let code = [0x61, 0x01, 0x2c, 0x60, 0x00, 0x20, 0x50, 0x00];
    let witness = trace_program(&code).unwrap();
    assert!(zkevm_air::evm::build_with_keccak_shards(&witness, 200).is_err());
    let block = zkevm_air::evm::build_with_keccak_shards(&witness, 256).unwrap();
    let is_shard = |t: &&zkevm_air::ComponentTrace| t.id == ComponentId::Keccak;
    assert_eq!(block.traces.iter().filter(is_shard).count(), 4);
    let prove = |traces| {
        zkevm_prover::prove_block_with_public(
            &block.statement.to_bytes(),
            &block.statement.public_messages(),
            traces,
            Profile::FastTest,
        )
        .map(|p| p.to_bytes())
    };
    let verified = verify(&prove(block.traces.clone()).unwrap(), FAST).unwrap();
    let keccaks = verified.components.iter().filter(|&&n| n == "keccak");
    assert_eq!(keccaks.count(), 4);
    // The recursion circuit holds one trace per component, all at offset 0: a wrapped block
    // has one Keccak table.
    let ids: Vec<ComponentId> = block.traces.iter().map(|t| t.id).collect();
    zkevm_air::evm::check_components(&ids).unwrap();
    let refused = zkevm_air::evm::check_wrapped_components(&ids).unwrap_err();
    assert!(refused.to_string().contains("4"), "{refused}");
    let single = zkevm_air::evm::build(&witness).unwrap();
    let ids: Vec<ComponentId> = single.traces.iter().map(|t| t.id).collect();
    zkevm_air::evm::check_wrapped_components(&ids).unwrap();
    // The first shard padded to 512 rows, still holding one permutation: the second shard's
    // offset becomes 50 while its pass counter starts at 25 (and each later shard's 25 more
    // than its counter). Every permutation keeps its number, so the bus balances: only the
    // later shards' boundary values reject the block, the second's reported first.
    let mut padded = block.traces.clone();
    let shard = |n: usize| {
        let mut shards = (0..padded.len()).filter(|&i| padded[i].id == ComponentId::Keccak);
        shards.nth(n).unwrap()
    };
    let (first, second) = (shard(0), shard(1));
    for (column, values) in padded[first].columns.iter_mut().enumerate() {
        let padding = if column == keccak::col::STEP {
            values[255]
        } else {
            Goldilocks::ZERO
        };
        values.resize(512, padding);
    }
    let (gamma, beta) = (
        Quadratic::new(Goldilocks::new(3), Goldilocks::new(5)),
        Quadratic::ONE,
    );
    let public = block.statement.public_messages();
    let imbalance = zkevm_air::bus::block_imbalance(&padded, &public, gamma, beta).unwrap();
    assert_eq!(imbalance, Quadratic::ZERO);
    match verify(&prove(padded).unwrap(), FAST) {
        Err(EvmError::Verify(BlockError::Rejected {
            index, component, ..
        })) => {
            assert_eq!((index, component), (second, "keccak"));
        }
        other => panic!("{other:?}"),
    }
}

#[test]
fn fib_loop_proves_its_output() {
    // The workload's own code, assembled in the crate; F(50) mod 2^256 returned.
    if let Ok(dir) = fixtures_dir() {
        let hex = std::fs::read_to_string(dir.join("bench/handwritten/fib_loop.hex")).unwrap();
        let expected: Vec<u8> = (0..hex.trim().len() / 2)
            .map(|i| u8::from_str_radix(&hex.trim()[2 * i..2 * i + 2], 16).unwrap())
            .collect();
        assert_eq!(fib_loop_program(), expected);
    }
    let witness = trace_program_with(&fib_loop_program(), &calldata_word(50)).unwrap();
    let proven = prove(&witness, Profile::FastTest).unwrap();
    let verified = verify(&proven.proof, FAST).unwrap();
    let f50 = 12_586_269_025u64;
    assert_eq!(verified.statement.output, calldata_word(f50));
    assert!(!verified.statement.reverted);
}

#[test]
fn keccak256_proves_the_digest_it_returns() {
    // CALLDATACOPY(0, 0, size) KECCAK256(0, size) MSTORE(0, digest) RETURN(0, 32): the digest
    // of 300 calldata bytes (three blocks), computed by the Sponge and Keccak components.
    let code = [
        0x36, 0x5f, 0x5f, 0x37, 0x36, 0x5f, 0x20, 0x5f, 0x52, 0x60, 0x20, 0x5f, 0xf3,
    ];
    let calldata: Vec<u8> = (0..300u32).map(|i| (i * 7 + 3) as u8).collect();
    let witness = trace_program_with(&code, &calldata).unwrap();
    let proven = prove(&witness, Profile::FastTest).unwrap();
    let verified = verify(&proven.proof, FAST).unwrap();
    let digest = alloy_primitives::keccak256(&calldata);
    assert_eq!(verified.statement.output, digest.as_slice());
    // Three for the data, one for the code's hash.
    assert_eq!(verified.statement.keccak_permutations, 4);
    for name in ["copy", "sponge", "keccak", "and8"] {
        assert!(verified.components.contains(&name), "{name}");
    }
    // The statement claiming another number of permutations: the round table no longer
    // balances.
    let relabelled = relabel(&proven.proof, |s| s.keccak_permutations = 3);
    assert!(verify(&relabelled, FAST).is_err());
}

#[test]
fn a_returndatacopy_past_the_return_data_proves_its_halt() {
    // RETURNDATACOPY(0, 0, 1) with no return data (EIP-211): the frame halts, all gas spent.
    let witness = trace_program(&[0x60, 0x01, 0x5f, 0x5f, 0x3e, 0x00]).unwrap();
    let proven = prove(&witness, Profile::FastTest).unwrap();
    let verified = verify(&proven.proof, FAST).unwrap();
    let halt = verified.statement.halt.unwrap();
    assert_eq!(halt.opcode, 0x3e);
    assert_eq!(halt.kind, zkevm_air::cpu::HaltKind::ReturnDataOutOfBounds);
    assert_eq!(verified.statement.gas_left, 0);
    // The statement claiming the frame ran on to its STOP instead.
    let relabelled = relabel(&proven.proof, |s| s.halt = None);
    assert!(verify(&relabelled, FAST).is_err());
}

#[test]
fn a_returndatacopy_from_far_past_the_return_data_proves_its_halt() {
    // RETURNDATACOPY(0, 2²⁵⁶ − 1, 0): an offset no row limb holds; the far halt's row shows it
    // at 2²² or more, past any return data.
    let witness = trace_program(&[0x5f, 0x5f, 0x19, 0x5f, 0x3e, 0x00]).unwrap();
    let proven = prove(&witness, Profile::FastTest).unwrap();
    let verified = verify(&proven.proof, FAST).unwrap();
    let halt = verified.statement.halt.unwrap();
    assert_eq!(halt.opcode, 0x3e);
    assert_eq!(
        halt.kind,
        zkevm_air::cpu::HaltKind::FarMemory { operand: 1 }
    );
    assert_eq!(verified.statement.gas_left, 0);
    // Claimed to halt on the destination instead (which is 0, not far), or not at all.
    let on_destination = relabel(&proven.proof, |s| {
        s.halt = Some(zkevm_air::cpu::Halt {
            opcode: 0x3e,
            kind: zkevm_air::cpu::HaltKind::FarMemory { operand: 0 },
        })
    });
    assert!(verify(&on_destination, FAST).is_err());
    let relabelled = relabel(&proven.proof, |s| s.halt = None);
    assert!(verify(&relabelled, FAST).is_err());
}

#[test]
fn unsupported_programs_are_reported() {
    // A STATICCALL of the ECRECOVER precompile.
    let mut ecrecover = [0u8; 20];
    ecrecover[19] = 1;
    let mut code = zkevm::programs::call_into(0xfa, &ecrecover);
    code.push(0x00);
    let witness = trace_program(&code).unwrap();
    let what = "a call to the ECRECOVER (0x1) precompile";
    match prove(&witness, Profile::FastTest) {
        Err(EvmError::Unsupported(why)) => assert!(why.contains(what), "{why}"),
        other => panic!("{other:?}"),
    }
    match check(&witness) {
        Err(EvmError::Unsupported(why)) => assert!(why.contains(what), "{why}"),
        other => panic!("{other:?}"),
    }
}

#[test]
fn a_proof_beyond_the_memory_budget_is_refused_with_its_estimate() {
    let witness = trace_program(&straight_line_program(2)).unwrap();
    let mib = 1 << 20;
    match prove_within(&witness, Profile::FastTest, Some(mib)) {
        Err(e @ EvmError::TooLarge { needed, budget }) => {
            assert!(needed > budget && budget == mib, "{needed} {budget}");
            assert!(e.to_string().contains("ZKEVM_MEMORY_BUDGET_GIB"), "{e}");
        }
        other => panic!("{other:?}"),
    }
    // The estimate is what the budget is checked against: enough of it proves.
    let proven = prove_within(&witness, Profile::FastTest, Some(1 << 40)).unwrap();
    let blowup = Profile::FastTest.options().blowup_factor();
    let needed = zkevm::memory_budget::estimated_peak(&proven.tables, blowup);
    assert!(needed > mib && needed < 1 << 40, "{needed}");
}

#[test]
fn checking_the_tables_without_proving_names_every_table() {
    let witness = trace_program_with(&fib_loop_program(), &calldata_word(20)).unwrap();
    let tables = check(&witness).unwrap();
    let names: Vec<&str> = tables.iter().map(|t| t.name).collect();
    assert_eq!(
        names,
        [
            "cpu",
            "bytecode",
            "rw",
            "memory",
            "arithmetic",
            "output",
            "and8",
            "sponge",
            "keccak",
            "range16"
        ]
    );
    assert!(tables
        .iter()
        .all(|t| t.rows.is_power_of_two() && t.aux_columns > 0));
}

/// The sampled run: the first `SAMPLE_CASES_PER_FILE` cases of every fixture file but
/// `SAMPLE_LEFT_OUT`, passing over `SAMPLE_LEFT_OUT_CASE`; how many cases it judges and how
/// many of them prove.
const SAMPLE_CASES_PER_FILE: usize = 4;
const SAMPLE_LEFT_OUT: &str = "test_run_until_out_of_gas";
const SAMPLE_LEFT_OUT_CASE: &str = "sha3_0xFFFFF_0s";
const SAMPLE_CASES: usize = 707;
const SAMPLE_PROVED: usize = 704;

#[test]
fn state_tests_prove_or_are_unsupported_never_fail() {
    // Proving all 1,595 cases takes 8 min 47 s in a release build here (every block hashes
    // its code), more in the test profile: more than CI can spend on one test. By default this proves a fixed sample (so a failure
    // reproduces) that touches every file: its first few cases (most files' later cases vary
    // one parameter of the first ones), leaving out EIP-1153's three 484k-step TSTORE loops
    // (66 s) and the hash of a 1 MiB buffer (7,711 Keccak permutations in two shards: 18 GiB
    // and minutes; `keccak_shards_prove_and_a_shard_off_its_offset_is_rejected` proves shards
    // small). `ZKEVM_STATE_TESTS=all` proves every case, as `zkevm test --prove --profile
    // fast-test` does.
    let all = match std::env::var("ZKEVM_STATE_TESTS").as_deref() {
        Ok("all") => true,
        Ok("sample") | Err(_) => false,
        Ok(other) => panic!("ZKEVM_STATE_TESTS={other}: expected `all` or `sample`"),
    };
    let files = collect_files(&[fixtures_dir().unwrap().join("eest")]).unwrap();
    let files = files
        .into_iter()
        .filter(|f| all || !f.to_string_lossy().contains(SAMPLE_LEFT_OUT));
    let per_file = if all {
        usize::MAX
    } else {
        SAMPLE_CASES_PER_FILE
    };
    let files: Vec<_> = files.collect();
    let prove_file = |file: &std::path::PathBuf| {
        let mut judged = 0;
        let summary = run_files_with(
            std::slice::from_ref(file),
            None,
            |case, post| {
                if !all && case.id.contains(SAMPLE_LEFT_OUT_CASE) {
                    return (Status::Skipped, Some("left out of the sample".into()));
                }
                judged += 1;
                match judged > per_file {
                    true => (Status::Skipped, Some("outside the sample".into())),
                    false => prove_case(case, post, Profile::FastTest),
                }
            },
            |_| {},
        );
        summary.cases
    };
    // The sample's files are proven by two workers: most of its cases are small traces whose
    // proofs leave a core idle (tracing and table building are sequential), and CI's time is
    // tight. Plain threads, not rayon tasks: a rayon worker waiting inside a proof would steal
    // further files, and more proofs at once could exhaust memory. The full run proves one
    // case at a time: it holds the 18 GiB hash.
    let workers = if all { 1 } else { 2 };
    let next = std::sync::atomic::AtomicUsize::new(0);
    let mut per_file_cases: Vec<(usize, Vec<_>)> = std::thread::scope(|scope| {
        let handles: Vec<_> = (0..workers)
            .map(|_| {
                scope.spawn(|| {
                    let mut done = Vec::new();
                    loop {
                        let i = next.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
                        let Some(file) = files.get(i) else {
                            return done;
                        };
                        done.push((i, prove_file(file)));
                    }
                })
            })
            .collect();
        handles
            .into_iter()
            .flat_map(|h| h.join().expect("a worker panicked"))
            .collect()
    });
    per_file_cases.sort_by_key(|(i, _)| *i);
    let cases: Vec<_> = per_file_cases.into_iter().flat_map(|(_, c)| c).collect();
    let count = |status| cases.iter().filter(|c| c.status == status).count();
    let (judged, proved) = (cases.len() - count(Status::Skipped), count(Status::Proved));
    eprintln!("{judged} cases judged, {proved} proved");
    let failures: Vec<String> = cases
        .iter()
        .filter(|c| c.status == Status::Failed)
        .map(|c| format!("{}: {}", c.id, c.reason.as_deref().unwrap_or("")))
        .collect();
    assert!(failures.is_empty(), "{}", failures.join("\n"));
    // Raise these floors as the prover covers more opcodes.
    let (expected_cases, expected_proved) = if all {
        (1_595, 1_592)
    } else {
        (SAMPLE_CASES, SAMPLE_PROVED)
    };
    assert!(judged >= expected_cases, "{judged} cases");
    assert!(proved >= expected_proved, "{proved} proved");
    assert!(cases
        .iter()
        .filter(|c| c.status == Status::Unsupported)
        .all(|c| c.reason.as_deref().is_some_and(|r| !r.is_empty())));
}

#[test]
fn storage_claims_are_checked_against_the_fixture() {
    // The first state test whose proof touches storage.
    let files = collect_files(&[fixtures_dir().unwrap().join("eest")]).unwrap();
    let (case, post, proven) = files
        .iter()
        .flat_map(|f| load_file(f).unwrap().cases)
        .filter_map(|(_, case)| case.ok())
        .find_map(|case| {
            let post = case.post.first()?.clone();
            let witness = trace_case(&case, &post).ok()?;
            let proven = prove(&witness, Profile::FastTest).ok()?;
            (!proven.statement.storage.is_empty()).then_some((case, post, proven))
        })
        .expect("a provable case with storage");
    let verified = verify(&proven.proof, FAST).unwrap();
    check_state(&verified.statement, &case, &post).unwrap();
    // A different final value: the proof no longer verifies, and the claim contradicts the
    // fixture's post-state.
    let mut wrong = verified.statement.clone();
    wrong.storage[0].post[0] ^= 1;
    assert!(check_state(&wrong, &case, &post).is_err());
    let relabelled = relabel(&proven.proof, |s| s.storage[0].post[0] ^= 1);
    assert!(matches!(
        verify(&relabelled, FAST),
        Err(EvmError::Verify(_))
    ));
    // A slot dropped from the statement.
    let relabelled = relabel(&proven.proof, |s| s.storage.clear());
    assert!(verify(&relabelled, FAST).is_err());
    // A frame started with other gas than the transaction gives it (a prover could start it
    // short and prove an out-of-gas halt instead of what ran).
    let mut short = verified.statement.clone();
    short.gas -= 1;
    assert!(check_state(&short, &case, &post)
        .unwrap_err()
        .contains("intrinsic"));
}

/// EIP-1344's state test of transaction type `tx_type` (a call whose recipient stores CHAINID,
/// paying its coinbase a tip; type 0 is the file's first case) and its expectation: the case
/// the tests below prove or edit.
fn chainid_case(
    tx_type: u8,
) -> (
    zkevm_evm_spec::fixture::StateTest,
    zkevm_evm_spec::fixture::PostEntry,
) {
    let file = fixtures_dir()
        .unwrap()
        .join("eest/state_tests/istanbul/eip1344_chainid/test_chainid.json");
    let variant = format!("typed_transaction_{tx_type}-");
    let (_, case) = (load_file(&file).unwrap().cases.into_iter())
        .find(|(id, _)| id.contains(&variant))
        .unwrap();
    let case = case.unwrap();
    let post = case.post.first().unwrap().clone();
    (case, post)
}

#[test]
fn the_whole_post_state_is_checked_account_by_account() {
    use alloy_primitives::{Address, U256};
    use zkevm_evm_spec::fixture::{AccountState, WorldState};
    // A call paying its coinbase a tip: sender, recipient (code and a slot) and coinbase.
    let (case, post) = chainid_case(0);
    let witness = trace_case(&case, &post).unwrap();
    let proven = prove(&witness, Profile::FastTest).unwrap();
    let statement = verify(&proven.proof, FAST).unwrap().statement;
    check_state(&statement, &case, &post).unwrap();
    let tx = zkevm_evm_spec::exec::state_test_tx(&case, &post).unwrap();
    let (sender, coinbase) = (tx.caller, case.env.coinbase);
    let to = *tx.kind.to().unwrap();
    assert!(!case.pre.contains_key(&coinbase) && post.state[&coinbase].balance > U256::ZERO);
    type StateEdit = (&'static str, Box<dyn Fn(&mut WorldState)>, &'static str);
    let edit = |address: Address, change: fn(&mut AccountState)| -> Box<dyn Fn(&mut WorldState)> {
        Box::new(move |s| change(s.get_mut(&address).unwrap()))
    };
    let edits: Vec<StateEdit> = vec![
        (
            "the coinbase paid a wei more than its tip",
            edit(coinbase, |a| a.balance += U256::from(1)),
            "balance",
        ),
        (
            "the sender charged a wei less",
            edit(sender, |a| a.balance += U256::from(1)),
            "sender paid",
        ),
        (
            "the sender's nonce not bumped",
            edit(sender, |a| a.nonce -= 1),
            "nonce",
        ),
        (
            "the recipient a wei richer",
            edit(to, |a| a.balance += U256::from(1)),
            "balance",
        ),
        (
            "the recipient's code changed",
            edit(to, |a| a.code = vec![0x00].into()),
            "code",
        ),
        (
            "a slot no write touched",
            edit(sender, |a| {
                a.storage.insert(U256::from(1), U256::from(1));
            }),
            "storage",
        ),
        (
            "an account the transaction never touched",
            Box::new(|s| {
                let account = AccountState {
                    balance: U256::from(1),
                    ..Default::default()
                };
                s.insert(Address::from([0x77; 20]), account);
            }),
            "balance",
        ),
        (
            "the sender gone",
            Box::new(move |s| {
                s.remove(&sender);
            }),
            "does not hold",
        ),
    ];
    for (what, edit, expected) in edits {
        let mut other = post.clone();
        edit(&mut other.state);
        let why = check_state(&statement, &case, &other).unwrap_err();
        assert!(why.contains(expected), "{what}: {why}");
    }
    // An empty account the transaction never touches stays (EIP-161 deletes only touched
    // ones), and none comes into being.
    let idle = Address::from([0x79; 20]);
    let mut with_idle = case.clone();
    with_idle.pre.insert(idle, AccountState::default());
    let mut listed = post.clone();
    listed.state.insert(idle, AccountState::default());
    check_state(&statement, &with_idle, &listed).unwrap();
    let why = check_state(&statement, &with_idle, &post).unwrap_err();
    assert!(why.contains("does not touch"), "{why}");
    let why = check_state(&statement, &case, &listed).unwrap_err();
    assert!(why.contains("EIP-161"), "{why}");
    // A transaction the EVM rejects (revm's own validity checks): another nonce, a sender
    // short of its most cost, a sender with code (EIP-3607), a gas limit above the block's,
    // a base fee above what the transaction pays, a gas limit above EIP-7825's cap.
    let mut renumbered = case.clone();
    renumbered.tx.nonce += 1;
    let mut poorer = case.clone();
    poorer.pre.get_mut(&sender).unwrap().balance = U256::from(1000);
    let mut with_code = case.clone();
    with_code.pre.get_mut(&sender).unwrap().code = vec![0x00].into();
    let mut small_block = case.clone();
    small_block.env.gas_limit = 21_000;
    let mut dearer = case.clone();
    dearer.env.base_fee = 1 << 40;
    let mut beyond_cap = case.clone();
    beyond_cap
        .tx
        .gas_limit
        .iter_mut()
        .for_each(|g| *g = (1 << 24) + 1);
    beyond_cap.env.gas_limit = 1 << 30;
    // Each with the name the Ethereum tests give its refusal.
    let invalid = [
        (renumbered, "nonce", "NONCE_MISMATCH_TOO_HIGH"),
        (poorer, "funds", "INSUFFICIENT_ACCOUNT_FUNDS"),
        (with_code, "code", "SENDER_NOT_EOA"),
        (small_block, "gas limit", "GAS_ALLOWANCE_EXCEEDED"),
        (dearer, "basefee", "INSUFFICIENT_MAX_FEE_PER_GAS"),
        (beyond_cap, "cap", "GAS_LIMIT_EXCEEDS_MAXIMUM"),
    ];
    for (case, what, exception) in invalid {
        let why = check_state(&statement, &case, &post).unwrap_err();
        assert!(
            why.contains("EVM rejects") && why.contains(what),
            "{what}: {why}"
        );
        // revm's execution refuses it too.
        let tx = zkevm_evm_spec::exec::state_test_tx(&case, &post).unwrap();
        let mut db = zkevm_evm_spec::state::MemDb::new(case.pre.clone());
        let chain = zkevm_evm_spec::runner::chain_config(&case);
        let outcome = zkevm_evm_spec::exec::execute_traced(&mut db, &case.env, &chain, tx);
        let Ok((zkevm_evm_spec::exec::Outcome::Invalid(rejection), _)) = outcome else {
            panic!("{what}: {outcome:?}")
        };
        let expected = format!("TransactionException.{exception}");
        assert!(rejection.is_expected(&expected), "{what}: {rejection}");
    }
    // Nor does a proof stand for a case the fixture expects rejected.
    let mut rejected = post.clone();
    rejected.expect_exception = Some("TransactionException.NONCE_MISMATCH_TOO_HIGH".into());
    let why = check_state(&statement, &case, &rejected).unwrap_err();
    assert!(why.contains("expects the transaction rejected"), "{why}");
}

#[test]
fn only_the_authorities_of_an_eip7702_transaction_escape_the_exact_nonce_and_code_check() {
    use alloy_primitives::{Address, U256};
    // EIP-1344's type-4 case: two authorizations, each signer delegating itself.
    let (case, post) = chainid_case(4);
    let tx = zkevm_evm_spec::exec::state_test_tx(&case, &post).unwrap();
    let authorities = zkevm_evm_spec::exec::authorities(&tx);
    assert_eq!(authorities.len(), 2);
    let signer = authorities[0];
    assert!(post.state[&signer].code.starts_with(&[0xef, 0x01, 0x00]));
    let witness = trace_case(&case, &post).unwrap();
    let proven = prove(&witness, Profile::FastTest).unwrap();
    let statement = verify(&proven.proof, FAST).unwrap().statement;
    check_state(&statement, &case, &post).unwrap();
    // The signer's nonce and code are the authorization's, which the proof does not carry:
    // only bounded. Another delegation passes; a second nonce bump or other code does not.
    let mut other = post.clone();
    let mut designator = vec![0xef, 0x01, 0x00];
    designator.extend([0x42; 20]);
    other.state.get_mut(&signer).unwrap().code = designator.into();
    check_state(&statement, &case, &other).unwrap();
    // Any other account's are checked, and so is the signer's balance.
    let to = *tx.kind.to().unwrap();
    type AccountEdit = (
        Address,
        fn(&mut zkevm_evm_spec::fixture::AccountState),
        &'static str,
    );
    let edits: [AccountEdit; 5] = [
        (signer, |a| a.nonce += 1, "authorizations give"),
        (
            signer,
            |a| a.code = vec![0x60, 0x00].into(),
            "authorizations give",
        ),
        (to, |a| a.code = vec![0x00].into(), "code"),
        (to, |a| a.nonce += 1, "nonce"),
        (signer, |a| a.balance += U256::from(1), "balance"),
    ];
    for (address, edit, what) in edits {
        let mut other = post.clone();
        edit(other.state.entry(address).or_default());
        let why = check_state(&statement, &case, &other).unwrap_err();
        assert!(why.contains(what), "{what}: {why}");
    }
}

#[test]
fn a_recipient_delegated_in_the_pre_state_runs_its_delegates_code_proven() {
    use alloy_primitives::{Address, U256};
    // The recipient holds an EIP-7702 designator naming `delegate`, whose code stores what it
    // sees: CALLER, ADDRESS (the recipient's), CODESIZE (its own code's), the recipient's
    // EXTCODESIZE (23, the designator's), the delegate's BALANCE (warm: revm loads the
    // delegate before the frame starts) and the gas left after it.
    let delegate = [0xde; 20];
    let mut code = vec![
        0x33, 0x60, 1, 0x55, // SSTORE(1, CALLER)
        0x30, 0x60, 2, 0x55, // SSTORE(2, ADDRESS)
        0x38, 0x60, 3, 0x55, // SSTORE(3, CODESIZE)
        0x30, 0x3b, 0x60, 4, 0x55, // SSTORE(4, EXTCODESIZE(ADDRESS))
        0x73,
    ];
    code.extend_from_slice(&delegate);
    code.extend([0x31, 0x60, 5, 0x55, 0x5a, 0x60, 6, 0x55, 0x00]); // BALANCE, GAS
    let mut designator = vec![0xef, 0x01, 0x00];
    designator.extend_from_slice(&delegate);
    let (case, post, witness) =
        calling_case_with(designator.clone(), &[(delegate, code.clone())], |case| {
            let account = case.pre.get_mut(&Address::from(delegate)).unwrap();
            account.balance = U256::from(7);
            case.tx.gas_limit.iter_mut().for_each(|g| *g = 1_000_000);
        });
    let to = case.tx.to.unwrap();
    let stored = &post.state[&to].storage;
    assert_eq!(stored[&U256::from(2)], U256::from_be_slice(to.as_slice()));
    assert_eq!(stored[&U256::from(3)], U256::from(code.len()));
    assert_eq!(stored[&U256::from(4)], U256::from(23));
    assert_eq!(stored[&U256::from(5)], U256::from(7));
    assert_eq!(post.state[&to].code[..], designator[..]);
    let statement = proven_case_statement(&case, &post, &witness);
    // The delegate's access is proven warm; claimed cold, the state check refutes it.
    let delegate_limbs = zkevm_air::storage::address_limbs(&delegate);
    let at = (statement.accounts.iter())
        .position(|a| a.address == delegate_limbs)
        .unwrap();
    assert!(statement.accounts[at].prewarm);
    let cold = |s: &mut Statement| s.accounts[at].prewarm = false;
    assert_state_check_refutes(&statement, &case, &post, &[(&cold, "warmth")]);
    // Other code at the delegate, a designator naming another account, or a statement
    // claiming the designator itself ran: not the code the transaction runs.
    let mut other_code = case.clone();
    let delegate_account = other_code.pre.get_mut(&Address::from(delegate)).unwrap();
    delegate_account.code = [&code[..], &[0x00]].concat().into();
    let mut elsewhere = case.clone();
    let mut other = designator.clone();
    other[22] ^= 1;
    elsewhere.pre.get_mut(&to).unwrap().code = other.into();
    for wrong in [&other_code, &elsewhere] {
        let why = check_state(&statement, wrong, &post).unwrap_err();
        assert!(why.contains("code the transaction runs"), "{why}");
    }
    let ran_designator = |s: &mut Statement| {
        s.codes[s.code_position as usize] = zkevm_air::bytecode::CodeHash::of(&designator)
    };
    let ran = [(
        &ran_designator as &dyn Fn(&mut Statement),
        "code the transaction runs",
    )];
    assert_state_check_refutes(&statement, &case, &post, &ran);
    // A delegate that calls another contract (a wallet's batch, say): the callee sees the
    // recipient as its caller. Proven too.
    let (callee, delegate) = ([0x57; 20], [0xdf; 20]);
    let mut calls = vec![0x5f, 0x5f, 0x5f, 0x5f, 0x5f, 0x73]; // CALL(gas, callee, 0, 0, 0, 0, 0)
    calls.extend_from_slice(&callee);
    calls.extend([0x5a, 0xf1, 0x60, 1, 0x55, 0x00]); // SSTORE(1, success)
    let stores_caller = vec![0x33, 0x60, 1, 0x55, 0x00]; // SSTORE(1, CALLER)
    let mut designates = vec![0xef, 0x01, 0x00];
    designates.extend_from_slice(&delegate);
    let (batch, batch_post, _) = calling_case_with(
        designates,
        &[(delegate, calls), (callee, stores_caller)],
        |case| case.tx.gas_limit.iter_mut().for_each(|g| *g = 1_000_000),
    );
    let stored = &batch_post.state[&Address::from(callee)].storage;
    assert_eq!(stored[&U256::from(1)], U256::from_be_slice(to.as_slice()));
    assert_eq!(
        prove_case(&batch, &batch_post, Profile::FastTest),
        (Status::Proved, None)
    );
    // The usual EIP-7702 batch: a sender delegated in the pre-state sending to itself (its
    // delegate's code runs on the sender's account). Proven too.
    let (mut own, own_post) = chainid_case(0);
    let sender = own.tx.sender;
    own.tx.to = Some(sender);
    own.tx.gas_limit.iter_mut().for_each(|g| *g = 1_000_000);
    own.pre.get_mut(&sender).unwrap().code = designator.clone().into();
    let delegate_account = zkevm_evm_spec::fixture::AccountState {
        code: code.clone().into(),
        balance: U256::from(7),
        ..Default::default()
    };
    own.pre.insert(Address::from([0xde; 20]), delegate_account);
    let (own, own_post, _) = rerun(own, own_post);
    let stored = &own_post.state[&sender].storage;
    assert_eq!(
        stored[&U256::from(1)],
        U256::from_be_slice(sender.as_slice())
    );
    assert_eq!(
        prove_case(&own, &own_post, Profile::FastTest),
        (Status::Proved, None)
    );
    // Delegated to a precompile, the recipient runs the precompile account's own code (none),
    // not its logic: proven.
    let (to_precompile, precompile_post) = delegated_chainid_case(Address::with_last_byte(4));
    assert_eq!(
        prove_case(&to_precompile, &precompile_post, Profile::FastTest),
        (Status::Proved, None)
    );
    // Delegated to itself (revm runs no code it records for a designator): unsupported.
    let (to_itself, itself_post) = delegated_chainid_case(to);
    let (status, why) = prove_case(&to_itself, &itself_post, Profile::FastTest);
    assert_eq!(status, Status::Unsupported);
    assert!(why.unwrap().contains("to a delegated account"));
    // A delegate DELEGATECALLing a library: the library's frame runs on the delegated
    // recipient, storing in its storage. Proven too.
    let library = [0x5a; 20];
    let mut delegates = vec![0x5f, 0x5f, 0x5f, 0x5f, 0x73]; // DELEGATECALL(gas, library, 0, 0, 0, 0)
    delegates.extend_from_slice(&library);
    delegates.extend([0x5a, 0xf4, 0x00]);
    let (proxied, proxied_post, _) = calling_case_with(
        designator.clone(),
        &[
            ([0xde; 20], delegates),
            (library, vec![0x60, 1, 0x60, 1, 0x55, 0x00]),
        ],
        |case| case.tx.gas_limit.iter_mut().for_each(|g| *g = 1_000_000),
    );
    assert_eq!(
        proxied_post.state[&to].storage[&U256::from(1)],
        U256::from(1)
    );
    assert_eq!(
        prove_case(&proxied, &proxied_post, Profile::FastTest),
        (Status::Proved, None)
    );
    // Delegated to an account without code, the recipient runs nothing: proven too.
    let (empty, post) = delegated_chainid_case(Address::from([0x42; 20]));
    assert_eq!(
        prove_case(&empty, &post, Profile::FastTest),
        (Status::Proved, None)
    );
    // A transaction whose own authorizations might change the delegation first: unsupported.
    let (mut authorizing, post) = chainid_case(4);
    let recipient = authorizing.tx.to.unwrap();
    authorizing.pre.get_mut(&recipient).unwrap().code = designator.into();
    authorizing.pre.insert(
        Address::from(delegate),
        zkevm_evm_spec::fixture::AccountState {
            code: code.into(),
            ..Default::default()
        },
    );
    let (authorizing, post, _) = rerun(authorizing, post);
    let (status, why) = prove_case(&authorizing, &post, Profile::FastTest);
    assert_eq!(status, Status::Unsupported);
    assert!(why.unwrap().contains("authorizations"));
}

#[test]
fn calls_into_accounts_delegated_in_the_pre_state_run_their_delegates_code_proven() {
    use alloy_primitives::{Address, U256};
    // `x` holds an EIP-7702 designator naming `d`, whose code stores ADDRESS (x's) and
    // CODESIZE (its own code's) in the storage it runs on. The recipient CALLs `x` twice
    // (target and delegate cold, then warm) and DELEGATECALLs it (d's code on the recipient's
    // storage); the flags stored.
    let (x, d) = ([0x5b; 20], [0x5c; 20]);
    let stores = vec![0x30, 0x60, 2, 0x55, 0x38, 0x60, 3, 0x55, 0x00];
    let call = |opcode: u8, slot: u8| {
        let zeros = if opcode == 0xf1 { 5 } else { 4 };
        let mut code = vec![0x5f; zeros];
        code.push(0x73);
        code.extend_from_slice(&x);
        code.extend([0x5a, opcode, 0x60, slot, 0x55]);
        code
    };
    let mut code = [call(0xf1, 1), call(0xf1, 4), call(0xf4, 5)].concat();
    code.push(0x00);
    let mut designator = vec![0xef, 0x01, 0x00];
    designator.extend_from_slice(&d);
    let contracts = [(x, designator.clone()), (d, stores.clone())];
    let (case, post, witness) = calling_case_with(code.clone(), &contracts, |case| {
        case.tx.gas_limit.iter_mut().for_each(|g| *g = 1_000_000);
    });
    let to = case.tx.to.unwrap();
    let at_x = &post.state[&Address::from(x)].storage;
    assert_eq!(at_x[&U256::from(2)], U256::from_be_slice(&x));
    assert_eq!(at_x[&U256::from(3)], U256::from(stores.len()));
    let own = &post.state[&to].storage;
    assert_eq!(own[&U256::from(2)], U256::from_be_slice(to.as_slice()));
    for slot in [1, 4, 5] {
        assert_eq!(own[&U256::from(slot)], U256::from(1), "flag {slot}");
    }
    let statement = proven_case_statement(&case, &post, &witness);
    assert_eq!(statement.delegations, [(x, d)]);
    // Another delegate, or none (the designator claimed as code of its own): refuted.
    let another = |s: &mut Statement| s.delegations[0].1[19] ^= 1;
    let none = |s: &mut Statement| s.delegations.clear();
    assert_state_check_refutes(
        &statement,
        &case,
        &post,
        &[
            (&another, "does not delegate to"),
            (&none, "no code of its own"),
        ],
    );
    // Other code at the delegate, or a designator naming another account: not what runs.
    let mut other_code = case.clone();
    let delegate = other_code.pre.get_mut(&Address::from(d)).unwrap();
    delegate.code = [&stores[..], &[0x00]].concat().into();
    let why = check_state(&statement, &other_code, &post).unwrap_err();
    assert!(why.contains("not its pre-state code"), "{why}");
    let mut elsewhere = case.clone();
    let mut other = designator.clone();
    other[22] ^= 1;
    elsewhere.pre.get_mut(&Address::from(x)).unwrap().code = other.into();
    let why = check_state(&statement, &elsewhere, &post).unwrap_err();
    assert!(why.contains("does not delegate to"), "{why}");
    // Delegated to an account without code, `x` runs nothing (its delegate's load paid):
    // proven.
    let with_x = |x_code: Vec<u8>| {
        calling_case_with(code.clone(), &[(x, x_code)], |case| {
            case.tx.gas_limit.iter_mut().for_each(|g| *g = 1_000_000);
        })
    };
    let (empty, empty_post, _) = with_x([&designator[..22], &[0x42]].concat());
    assert_eq!(
        prove_case(&empty, &empty_post, Profile::FastTest),
        (Status::Proved, None)
    );
    // Code starting as a designator but not one (revm runs it as code: a halt on 0xef):
    // unsupported, not failed.
    let (malformed, malformed_post, _) = with_x(designator[..20].to_vec());
    let (status, why) = prove_case(&malformed, &malformed_post, Profile::FastTest);
    assert_eq!(status, Status::Unsupported, "{why:?}");
    assert!(why.unwrap().contains("but is none"));
    // A CALLCODE short of its value (a claim from the recipient to itself, which does not
    // name the code's account) while an account is delegated: unsupported.
    let mut short = vec![0x5f, 0x5f, 0x5f, 0x5f, 0x7f];
    short.extend([0xff; 32]);
    short.push(0x73);
    short.extend_from_slice(&d);
    short.extend([0x5a, 0xf2, 0x00]);
    let (short, short_post, _) = calling_case_with(short, &contracts, |case| {
        case.tx.gas_limit.iter_mut().for_each(|g| *g = 1_000_000);
    });
    let (status, why) = prove_case(&short, &short_post, Profile::FastTest);
    assert_eq!(status, Status::Unsupported, "{why:?}");
    assert!(why.unwrap().contains("to itself"));
    // With EIP-7702 authorizations, a CALL halting on its memory (no frame opens, its row
    // accesses the target, an account read the state check does not prove after them yet):
    // unsupported, not failed.
    let mut halts = vec![0x5f, 0x5f, 0x62, 0x10, 0x00, 0x00, 0x5f, 0x5f, 0x73];
    halts.extend_from_slice(&x);
    halts.extend([0x5a, 0xf1, 0x00]);
    let (mut authorized, authorized_post) = chainid_case(4);
    let recipient = authorized.tx.to.unwrap();
    authorized.pre.get_mut(&recipient).unwrap().code = halts.into();
    authorized
        .tx
        .gas_limit
        .iter_mut()
        .for_each(|g| *g = 1_000_000);
    let (authorized, authorized_post, witness) = rerun(authorized, authorized_post);
    assert!(witness
        .steps
        .iter()
        .any(|s| s.opcode == 0xf1 && s.error.is_some()));
    let (status, why) = prove_case(&authorized, &authorized_post, Profile::FastTest);
    assert_eq!(status, Status::Unsupported, "{why:?}");
    assert!(why
        .unwrap()
        .contains("a call after EIP-7702 authorizations"));
    // Delegated to a delegated account (revm runs no code it records): unsupported.
    let chained = [(x, designator.clone()), (d, designator.clone())];
    let (chain, chain_post, _) = calling_case_with(code, &chained, |case| {
        case.tx.gas_limit.iter_mut().for_each(|g| *g = 1_000_000);
    });
    let (status, why) = prove_case(&chain, &chain_post, Profile::FastTest);
    assert_eq!(status, Status::Unsupported, "{why:?}");
    assert!(why.unwrap().contains("to a delegated account"));
}

/// The statement of `witness`'s proof, verified and checked against `case` and `post`, which
/// `prove_case` proves too.
fn proven_case_statement(
    case: &zkevm_evm_spec::fixture::StateTest,
    post: &zkevm_evm_spec::fixture::PostEntry,
    witness: &zkevm_evm_spec::witness::Witness,
) -> Statement {
    assert_eq!(
        prove_case(case, post, Profile::FastTest),
        (Status::Proved, None)
    );
    let proven = prove(witness, Profile::FastTest).unwrap();
    let statement = verify(&proven.proof, FAST).unwrap().statement;
    check_state(&statement, case, post).unwrap();
    statement
}

/// The chainid case (type 0) with its recipient delegated to `delegate` (EIP-7702) in the
/// pre-state, and the post-state revm gives for it.
fn delegated_chainid_case(
    delegate: alloy_primitives::Address,
) -> (
    zkevm_evm_spec::fixture::StateTest,
    zkevm_evm_spec::fixture::PostEntry,
) {
    let (mut case, post) = chainid_case(0);
    let mut designator = vec![0xef, 0x01, 0x00];
    designator.extend(delegate);
    let to = case.tx.to.unwrap();
    case.pre.get_mut(&to).unwrap().code = designator.into();
    let (case, post, _) = rerun(case, post);
    (case, post)
}

/// `case` with the post-state, logs and state root revm gives for it (after an edit of its
/// pre-state), and its witness.
fn rerun(
    case: zkevm_evm_spec::fixture::StateTest,
    mut post: zkevm_evm_spec::fixture::PostEntry,
) -> (
    zkevm_evm_spec::fixture::StateTest,
    zkevm_evm_spec::fixture::PostEntry,
    zkevm_evm_spec::witness::Witness,
) {
    let tx = zkevm_evm_spec::exec::state_test_tx(&case, &post).unwrap();
    let mut db = zkevm_evm_spec::state::MemDb::new(case.pre.clone());
    let chain = zkevm_evm_spec::runner::chain_config(&case);
    let (outcome, witness) =
        zkevm_evm_spec::exec::execute_traced(&mut db, &case.env, &chain, tx).unwrap();
    let zkevm_evm_spec::exec::Outcome::Executed { logs, .. } = outcome else {
        panic!("an invalid transaction: {outcome:?}");
    };
    post.state = db.accounts().clone();
    post.logs_hash = zkevm_evm_spec::state::logs_hash(&logs);
    post.state_root = db.state_root();
    (case, post, witness)
}

#[test]
fn logs_are_checked_against_the_fixture() {
    // A proving state test whose recipient's code is replaced by a logging program; the
    // expectation is what revm gives for it.
    let (case, mut post) = chainid_case(0);
    let tx = zkevm_evm_spec::exec::state_test_tx(&case, &post).unwrap();
    let alloy_primitives::TxKind::Call(to) = tx.kind else {
        panic!("a call")
    };
    // MSTORE(0, word); LOG2(3, 40, topics 0x77, 0xbeef); then STOP, or REVERT(0, 0).
    let mut code = vec![0x7f];
    code.extend((0..32u8).map(|i| i ^ 0xc3));
    code.extend([
        0x5f, 0x52, 0x61, 0xbe, 0xef, 0x60, 0x77, 0x60, 40, 0x60, 3, 0xa2,
    ]);
    let mut reverting = code.clone();
    code.push(0x00);
    reverting.extend([0x5f, 0x5f, 0xfd]);
    for (code, succeeds) in [(code, true), (reverting, false)] {
        let mut case = case.clone();
        case.pre.get_mut(&to).unwrap().code = code.into();
        let mut db = zkevm_evm_spec::state::MemDb::new(case.pre.clone());
        let chain = zkevm_evm_spec::runner::chain_config(&case);
        let (outcome, witness) =
            zkevm_evm_spec::exec::execute_traced(&mut db, &case.env, &chain, tx.clone()).unwrap();
        let zkevm_evm_spec::exec::Outcome::Executed { logs, success, .. } = outcome else {
            panic!("executed")
        };
        assert_eq!(success, succeeds);
        assert_eq!(logs.len(), succeeds as usize);
        post.logs_hash = zkevm_evm_spec::state::logs_hash(&logs);
        // The post-state of this program, not the fixture's (the fee, the coinbase's tip).
        post.state = db.accounts().clone();
        let proven = prove(&witness, Profile::FastTest).unwrap();
        let verified = verify(&proven.proof, FAST).unwrap();
        assert_eq!(verified.statement.logs.len(), 1);
        assert!(verified.components.contains(&"log"));
        check_state(&verified.statement, &case, &post).unwrap();
        // Another expectation: none when the frame succeeded, one when it failed.
        let mut other = post.clone();
        other.logs_hash = match succeeds {
            true => zkevm_evm_spec::state::logs_hash(&[]),
            false => zkevm_evm_spec::state::logs_hash(&[alloy_primitives::Log::new_unchecked(
                to,
                Vec::new(),
                Vec::new().into(),
            )]),
        };
        assert!(check_state(&verified.statement, &case, &other)
            .unwrap_err()
            .contains("logs"));
        // A changed data byte in the statement: the proof no longer verifies.
        let relabelled = relabel(&proven.proof, |s| s.logs[0].data[0] ^= 1);
        assert!(matches!(
            verify(&relabelled, FAST),
            Err(EvmError::Verify(_))
        ));
    }
}

#[test]
fn account_reads_and_warmth_are_checked_against_the_fixture() {
    // A proving state test whose transaction runs account reads instead: BALANCE of the
    // sender, the frame's account and the coinbase (all warm), EXTCODEHASH and EXTCODESIZE of
    // the frame's account, EXTCODEHASH of a cold account that does not exist (0), then
    // SELFBALANCE. Run as the recipient's code without value, with value, and as a creation's init code with value
    // (whose account has nonce 1, no code yet and the value as its balance).
    let (case, post) = chainid_case(0);
    let code = vec![
        0x33, 0x31, 0x50, 0x30, 0x31, 0x50, 0x30, 0x3f, 0x50, 0x30, 0x3b, 0x50, 0x61, 0xde, 0xad,
        0x3f, 0x50, 0x41, 0x31, 0x50, 0x47, 0x50, 0x00,
    ];
    for (value, creation) in [(0u64, false), (7, false), (7, true)] {
        let mut case = case.clone();
        let mut post = post.clone();
        case.tx.value[post.value_index] = alloy_primitives::U256::from(value);
        if creation {
            case.tx.to = None;
            case.tx.data[post.data_index] = code.clone().into();
        } else {
            let to = case.tx.to.unwrap();
            case.pre.get_mut(&to).unwrap().code = code.clone().into();
        }
        let tx = zkevm_evm_spec::exec::state_test_tx(&case, &post).unwrap();
        let mut db = zkevm_evm_spec::state::MemDb::new(case.pre.clone());
        let chain = zkevm_evm_spec::runner::chain_config(&case);
        let (_, witness) =
            zkevm_evm_spec::exec::execute_traced(&mut db, &case.env, &chain, tx.clone()).unwrap();
        post.logs_hash = zkevm_evm_spec::state::logs_hash(&[]);
        post.state = db.accounts().clone();
        let proven = prove(&witness, Profile::FastTest).unwrap();
        let verified = verify(&proven.proof, FAST).unwrap();
        assert!(verified.components.contains(&"account"));
        let statement = &verified.statement;
        assert_eq!(statement.account_reads.len(), 7);
        assert_eq!(statement.accounts.len(), 4);
        assert_eq!(statement.accounts.iter().filter(|a| !a.prewarm).count(), 1);
        check_state(statement, &case, &post).unwrap();
        // Each value, and each account's warmth, claimed otherwise.
        for i in 0..statement.account_reads.len() {
            let mut wrong = statement.clone();
            wrong.account_reads[i].2 ^= alloy_primitives::U256::from(1);
            let why = check_state(&wrong, &case, &post).unwrap_err();
            assert!(why.contains("value"), "{why}");
        }
        for i in 0..statement.accounts.len() {
            let mut wrong = statement.clone();
            wrong.accounts[i].prewarm ^= true;
            let why = check_state(&wrong, &case, &post).unwrap_err();
            assert!(why.contains("warmth"), "{why}");
        }
        // A changed value in the proof's statement: it no longer verifies.
        let relabelled = relabel(&proven.proof, |s| {
            s.account_reads[0].2 ^= alloy_primitives::U256::from(1)
        });
        assert!(matches!(
            verify(&relabelled, FAST),
            Err(EvmError::Verify(_))
        ));
    }
}

#[test]
fn refunds_are_proven_and_the_fee_checked_against_the_fixture() {
    // Clears slots with non-zero originals: refunds capped at a fifth of the gas.
    let file = fixtures_dir()
        .unwrap()
        .join("eest/state_tests/static/state_tests/stRefundTest/refundMax.json");
    let (_, case) = load_file(&file).unwrap().cases.into_iter().next().unwrap();
    let case = case.unwrap();
    let post = case.post.first().unwrap().clone();
    let witness = zkevm_evm_spec::runner::trace_case(&case, &post).unwrap();
    let proven = prove(&witness, Profile::FastTest).unwrap();
    let verified = verify(&proven.proof, FAST).unwrap();
    assert!(verified.statement.refund > 0);
    check_state(&verified.statement, &case, &post).unwrap();
    // A refund the proof does not carry: the bus rejects it, and the fee it implies is not
    // what the sender paid.
    let mut lower = verified.statement.clone();
    lower.refund = 0;
    assert!(check_state(&lower, &case, &post)
        .unwrap_err()
        .contains("sender paid"));
    let relabelled = relabel(&proven.proof, |s| s.refund -= 1);
    assert!(matches!(
        verify(&relabelled, FAST),
        Err(EvmError::Verify(_))
    ));
    // The same field element, another integer (the cap would hide it): refused when parsed.
    let aliased = relabel(&proven.proof, |s| s.refund += 0xffff_ffff_0000_0001);
    assert!(verify(&aliased, FAST).is_err());
    // A refund claimed by a frame without storage steps, which no table would bind.
    let plain = prove(
        &trace_program(&straight_line_program(2)).unwrap(),
        Profile::FastTest,
    )
    .unwrap();
    assert!(verify(&relabel(&plain.proof, |s| s.refund = 1), FAST).is_err());
}

/// A proving state test (EIP-1344's first case) whose recipient runs `code` instead, with
/// `contracts` deployed for it to call: the case, its post-state as revm leaves it (storage
/// and logs), and the witness.
fn calling_case(
    code: Vec<u8>,
    contracts: &[([u8; 20], Vec<u8>)],
) -> (
    zkevm_evm_spec::fixture::StateTest,
    zkevm_evm_spec::fixture::PostEntry,
    zkevm_evm_spec::witness::Witness,
) {
    calling_case_with(code, contracts, |_| {})
}

/// [`calling_case`], with the pre-state edited before execution.
fn calling_case_with(
    code: Vec<u8>,
    contracts: &[([u8; 20], Vec<u8>)],
    edit: impl FnOnce(&mut zkevm_evm_spec::fixture::StateTest),
) -> (
    zkevm_evm_spec::fixture::StateTest,
    zkevm_evm_spec::fixture::PostEntry,
    zkevm_evm_spec::witness::Witness,
) {
    let (mut case, post) = chainid_case(0);
    let to = case.tx.to.unwrap();
    case.pre.get_mut(&to).unwrap().code = code.into();
    for (address, code) in contracts {
        let account = zkevm_evm_spec::fixture::AccountState {
            code: code.clone().into(),
            ..Default::default()
        };
        case.pre.insert((*address).into(), account);
    }
    edit(&mut case);
    rerun(case, post)
}

/// [`calling_case`] with the recipient holding `wei` and the transaction 1,000,000 gas.
fn funded_calling_case(
    code: Vec<u8>,
    contracts: &[([u8; 20], Vec<u8>)],
    wei: u64,
) -> (
    zkevm_evm_spec::fixture::StateTest,
    zkevm_evm_spec::fixture::PostEntry,
    zkevm_evm_spec::witness::Witness,
) {
    calling_case_with(code, contracts, |case| {
        let recipient = case.tx.to.unwrap();
        case.pre.get_mut(&recipient).unwrap().balance = alloy_primitives::U256::from(wei);
        case.tx.gas_limit.iter_mut().for_each(|g| *g = 1_000_000);
    })
}

#[test]
fn callees_logs_are_checked_against_the_fixture() {
    // The recipient CALLs and DELEGATECALLs a contract that logs, and CALLs one that logs
    // and reverts: revm keeps the first two logs, under the callee's and the recipient's
    // address.
    let (logs, reverts) = ([0x61; 20], [0x62; 20]);
    let logging = |then: u8| {
        vec![
            0x60, 0xab, 0x5f, 0x53, 0x60, 0x11, 0x60, 0x01, 0x5f, 0xa1, 0x5f, 0x5f, then,
        ]
    };
    let mut code = zkevm::programs::call_into(0xf1, &logs);
    code.push(0x50);
    code.extend(zkevm::programs::call_into(0xf4, &logs));
    code.push(0x50);
    code.extend(zkevm::programs::call_into(0xf1, &reverts));
    code.extend([0x50, 0x00]);
    let (case, post, witness) =
        calling_case(code, &[(logs, logging(0x00)), (reverts, logging(0xfd))]);
    assert_ne!(post.logs_hash, zkevm_evm_spec::state::logs_hash(&[]));
    let proven = prove(&witness, Profile::FastTest).unwrap();
    let verified = verify(&proven.proof, FAST).unwrap();
    let statement = &verified.statement;
    assert_eq!(statement.logs.len(), 3);
    check_state(statement, &case, &post).unwrap();
    // Another emitter, or the reverted log claimed kept: the hash differs; and the proof
    // relabelled so does not verify.
    let edits: [&dyn Fn(&mut Statement); 2] = [&|s| s.logs[0].address = s.address, &|s| {
        s.logs[2].reverted = false
    }];
    for edit in edits {
        let mut wrong = statement.clone();
        edit(&mut wrong);
        let why = check_state(&wrong, &case, &post).unwrap_err();
        assert!(why.contains("logs"), "{why}");
        assert!(verify(&relabel(&proven.proof, edit), FAST).is_err());
    }
}

#[test]
fn an_undone_selfdestruct_burning_a_created_accounts_balance_restores_it() {
    use alloy_primitives::{Address, U256};
    // The recipient (100 wei) CREATEs A with 3 wei, deploying `SELFDESTRUCT(ADDRESS)`. It
    // CALLs M with A's address; M CALLs A, whose SELFDESTRUCT to itself burns its 3 wei
    // (EIP-6780: A was created by the transaction), reads BALANCE(A) (0) and REVERTs, which
    // undoes the burn. The recipient reads BALANCE(A) (3 again) and stores it, then CALLs A
    // itself: that SELFDESTRUCT is kept, so A is deleted at the end with its 3 wei.
    let m = [0x6e; 20];
    let mut code = creates_then_calls_with_its_address([0x30, 0xff], &m, 0);
    code.push(0x50);
    code.extend([0x60, 0x01, 0x54, 0x31, 0x60, 0x02, 0x55]);
    code.extend([
        0x5f, 0x5f, 0x5f, 0x5f, 0x5f, 0x60, 0x01, 0x54, 0x5a, 0xf1, 0x00,
    ]);
    let mut calls_and_reverts = vec![0x5f, 0x5f, 0x5f, 0x5f, 0x5f, 0x5f, 0x35, 0x5a, 0xf1, 0x50];
    calls_and_reverts.extend([0x5f, 0x35, 0x31, 0x50, 0x5f, 0x5f, 0xfd]);
    let (case, post, witness) = funded_calling_case(code, &[(m, calls_and_reverts)], 100);
    let proven = prove(&witness, Profile::FastTest).unwrap();
    let statement = verify(&proven.proof, FAST).unwrap().statement;
    let a = statement.creations[0].address;
    use zkevm_air::call::TransferKind::{Create, Sweep};
    let moved: Vec<_> = (statement.transfers.iter())
        .map(|t| {
            (
                t.value.to::<u64>(),
                t.kind,
                t.kept,
                t.from == a && t.to == a,
            )
        })
        .collect();
    assert_eq!(
        moved,
        [
            (3, Create, true, false),
            (3, Sweep, false, true),
            (3, Sweep, true, true)
        ]
    );
    let reads: Vec<(u8, u64)> = (statement.account_reads.iter())
        .map(|r| (r.0, r.2.to::<u64>()))
        .collect();
    assert_eq!(reads, [(0x31, 0), (0x31, 3)]);
    assert!(!post.state.contains_key(&Address::from(a)));
    let recipient = witness.frames[0].address;
    assert_eq!(
        post.state[&recipient].storage.get(&U256::from(2)),
        Some(&U256::from(3))
    );
    check_state(&statement, &case, &post).unwrap();
    // The kept SELFDESTRUCT claimed undone too: A would survive, which the fixture refutes.
    let edits: [StatementEdit; 1] = [(
        &|s| {
            s.transfers[2].kept = false;
            s.transfers[2].end = s.transfers[2].ctr + 1;
        },
        "post-state's",
    )];
    assert_state_check_refutes(&statement, &case, &post, &edits);
}

#[test]
fn a_static_frames_call_moving_value_halts_against_the_fixture() {
    use alloy_primitives::{Address, U256};
    // The recipient (100 wei) STATICCALLs M, which CALLs T with 1 wei: a static frame moves
    // no value (EIP-214), so M halts (its gas all spent) and the flag stored is 0; the 1 wei
    // the claim names never moves.
    let (m, t) = ([0x61; 20], [0x62; 20]);
    let mut code = zkevm::programs::call_into(0xfa, &m);
    code.extend([0x60, 0x01, 0x55, 0x00]);
    let mut moves_value = vec![0x5f, 0x5f, 0x5f, 0x5f, 0x60, 0x01, 0x73];
    moves_value.extend_from_slice(&t);
    moves_value.extend([0x5a, 0xf1, 0x00]);
    let contracts = [(m, moves_value), (t, vec![0x00])];
    let (case, post, witness) = funded_calling_case(code, &contracts, 100);
    let proven = prove(&witness, Profile::FastTest).unwrap();
    let statement = verify(&proven.proof, FAST).unwrap().statement;
    let halts: Vec<_> = statement
        .sub_halts
        .iter()
        .map(|h| (h.opcode, h.kind))
        .collect();
    assert_eq!(halts, [(0xf1, zkevm_air::cpu::HaltKind::StaticCallValue)]);
    let claims: Vec<_> = (statement.transfers.iter())
        .map(|x| (x.from, x.to, x.value.to::<u64>(), x.kind))
        .collect();
    assert_eq!(claims, [(m, t, 1, zkevm_air::call::TransferKind::Halted)]);
    check_state(&statement, &case, &post).unwrap();
    assert_eq!(
        post.state.get(&Address::from(t)).map(|a| a.balance),
        Some(U256::ZERO)
    );
    // The claim relabelled as a call that moved the wei: the proof refutes it.
    let moved = relabel(&proven.proof, |s| {
        s.transfers[0].kind = zkevm_air::call::TransferKind::Call;
    });
    assert!(verify(&moved, FAST).is_err());
}

#[test]
fn calls_are_proven_and_their_targets_code_and_storage_checked_against_the_fixture() {
    // A proving state test whose recipient instead CALLs a contract that stores a slot, and
    // STATICCALLs one that reads it; the flags are stored by the recipient.
    let (stores, reads) = ([0x51; 20], [0x52; 20]);
    let mut code = zkevm::programs::call_into(0xf1, &stores);
    code.extend([0x60, 0x01, 0x55]);
    code.extend(zkevm::programs::call_into(0xfa, &reads));
    code.extend([0x60, 0x02, 0x55, 0x00]);
    let contracts = [
        (stores, vec![0x60, 0x2a, 0x60, 0x07, 0x55, 0x00]),
        (reads, vec![0x60, 0x07, 0x54, 0x50, 0x00]),
    ];
    let (case, post, witness) = calling_case(code, &contracts);
    assert_eq!(witness.frames.len(), 3);
    let proven = prove(&witness, Profile::FastTest).unwrap();
    let verified = verify(&proven.proof, FAST).unwrap();
    assert!(verified.components.contains(&"call"));
    let statement = &verified.statement;
    assert_eq!(statement.call_codes.len(), 2);
    check_state(statement, &case, &post).unwrap();
    // A target running another code, a call of another address, a callee's write the
    // post-state does not have, its slot's value before claimed otherwise.
    let mut wrong = statement.clone();
    wrong.call_codes[0].1 = wrong.call_codes[1].1;
    let why = check_state(&wrong, &case, &post).unwrap_err();
    assert!(why.contains("code"), "{why}");
    let mut wrong = statement.clone();
    wrong.call_codes[0].0[0] ^= 1;
    assert!(check_state(&wrong, &case, &post).is_err());
    // A precompile's address runs the precompile, whatever code the pre-state gives it.
    let mut wrong = statement.clone();
    wrong.call_codes[0].0 = [0; 20];
    wrong.call_codes[0].0[19] = 4;
    let why = check_state(&wrong, &case, &post).unwrap_err();
    assert!(why.contains("precompile"), "{why}");
    // A target with code claimed to have none (the proof would run nothing for it), and one
    // without code claimed to run some.
    let mut wrong = statement.clone();
    wrong.call_codes[0].1 = zkevm_air::evm::NO_CODE;
    let why = check_state(&wrong, &case, &post).unwrap_err();
    assert!(why.contains("has code"), "{why}");
    let mut wrong = statement.clone();
    wrong.call_codes[0].0 = [0x53; 20];
    let why = check_state(&wrong, &case, &post).unwrap_err();
    assert!(why.contains("no code"), "{why}");
    let mut other_post = post.clone();
    (other_post
        .state
        .get_mut(&alloy_primitives::Address::from(stores))
        .unwrap()
        .storage)
        .insert(
            alloy_primitives::U256::from(7),
            alloy_primitives::U256::from(43),
        );
    let why = check_state(statement, &case, &other_post).unwrap_err();
    assert!(why.contains("post-state"), "{why}");
    let mut wrong = statement.clone();
    let callee_slot = (wrong.storage.iter_mut())
        .find(|s| s.key.0 == zkevm_air::storage::address_limbs(&stores))
        .unwrap();
    callee_slot.pre[0] ^= 1;
    let why = check_state(&wrong, &case, &post).unwrap_err();
    assert!(why.contains("before"), "{why}");
    // The proof's statement with another target code: it no longer verifies.
    let relabelled = relabel(&proven.proof, |s| {
        let first = s.call_codes[0].1;
        s.call_codes[0].1 = s.call_codes[1].1;
        s.call_codes[1].1 = first;
    });
    assert!(matches!(
        verify(&relabelled, FAST),
        Err(EvmError::Verify(_))
    ));
}

/// A change to a verified statement, and what the state check's refusal must name.
type StatementEdit<'a> = (&'a dyn Fn(&mut Statement), &'a str);

/// Each edit of `statement` is refused by the state check against the fixture, naming what.
fn assert_state_check_refutes(
    statement: &Statement,
    case: &zkevm_evm_spec::fixture::StateTest,
    post: &zkevm_evm_spec::fixture::PostEntry,
    edits: &[StatementEdit],
) {
    for (edit, what) in edits {
        let mut wrong = statement.clone();
        edit(&mut wrong);
        let why = check_state(&wrong, case, post).unwrap_err();
        assert!(why.contains(what), "{what}: {why}");
    }
}

#[test]
fn value_moved_by_calls_is_replayed_against_the_fixtures_balances() {
    use alloy_primitives::{Address, U256};
    // The recipient (100 wei) CALLs a contract that stores with 3 wei, an empty account with
    // 1 (bringing it into being), and the transaction's sender with 2; the flags stored (with
    // a million gas).
    let (stores, nobody) = ([0x51; 20], [0x5e; 20]);
    let (_, _, probe) = calling_case(vec![0x00], &[]);
    let sender: [u8; 20] = probe.frames[0].caller.into_array();
    let recipient = probe.frames[0].address;
    let call_with_value = |target: &[u8; 20], value: u8| {
        let mut code = vec![0x5f; 4];
        code.extend([0x60, value, 0x73]);
        code.extend_from_slice(target);
        code.extend([0x5a, 0xf1]);
        code
    };
    let mut code = Vec::new();
    for (slot, (target, value)) in [(stores, 3), (nobody, 1), (sender, 2)].iter().enumerate() {
        code.extend(call_with_value(target, *value));
        code.extend([0x60, slot as u8 + 1, 0x55]);
    }
    code.push(0x00);
    let contracts = [(stores, vec![0x60, 0x2a, 0x60, 0x07, 0x55, 0x00])];
    let (case, post, witness) = funded_calling_case(code, &contracts, 100);
    let proven = prove(&witness, Profile::FastTest).unwrap();
    let statement = verify(&proven.proof, FAST).unwrap().statement;
    let moved: Vec<(bool, bool)> = (statement.transfers.iter())
        .map(|t| (t.fresh, t.kept))
        .collect();
    assert_eq!(moved, [(false, true), (true, true), (false, true)]);
    check_state(&statement, &case, &post).unwrap();
    // The fixture's own balances: the sender got its 2 wei back.
    let balance = |state: &zkevm_evm_spec::fixture::WorldState, a: [u8; 20]| {
        state
            .get(&Address::from(a))
            .map_or(U256::ZERO, |a| a.balance)
    };
    assert_eq!(balance(&post.state, nobody), U256::from(1));
    // Claims the proof would carry but the fixture refutes: the stored-to contract empty,
    // the empty account not, more value than the recipient holds; and the 2 wei to the
    // sender claimed failed (the recipient would keep them). (The honest check above counts
    // them in the sender's balance.)
    let edits: [StatementEdit; 4] = [
        (&|s| s.transfers[0].fresh = true, "empty"),
        (&|s| s.transfers[1].fresh = false, "empty"),
        (&|s| s.transfers[0].value = U256::from(1000), "more value"),
        (&|s| s.transfers[2].kept = false, "post-state's"),
    ];
    assert_state_check_refutes(&statement, &case, &post, &edits);
    // A post-state in which the stored-to contract did not get its 3 wei.
    let mut other_post = post.clone();
    let account = other_post.state.get_mut(&Address::from(stores)).unwrap();
    account.balance = U256::ZERO;
    let why = check_state(&statement, &case, &other_post).unwrap_err();
    assert!(why.contains("post-state's"), "{why}");
    // A recipient too poor for the first call (the proof claims it could pay).
    let mut poorer = case.clone();
    poorer.pre.get_mut(&recipient).unwrap().balance = U256::from(2);
    let why = check_state(&statement, &poorer, &post).unwrap_err();
    assert!(why.contains("more value"), "{why}");
    // A BALANCE of an account moving value is served as the transfers leave it at its
    // counter: 0 before the call, its 3 wei after the last transfer's end.
    let operand = U256::from_be_slice(&stores);
    let after = statement.transfers.iter().map(|t| t.end).max().unwrap() as u64 + 1;
    for (ctr, value, holds) in [(1, 0, true), (after, 3, true), (after, 0, false)] {
        let mut read = statement.clone();
        read.account_reads
            .push((0x31, operand, U256::from(value), ctr));
        let checked = check_state(&read, &case, &post);
        assert_eq!(checked.is_ok(), holds, "{ctr} {value}: {checked:?}");
    }
}

#[test]
fn calls_short_of_their_value_or_halting_on_a_new_account_are_checked_against_the_fixture() {
    use alloy_primitives::U256;
    // The recipient (5 wei) CALLs a contract with 9 wei: short, no frame opens; so does its
    // CALLCODE of it with 9 (claimed from the recipient to itself). Then it CALLs another
    // with 20,000 gas, which CALLs an empty account with 1 wei and halts on the new
    // account's 25,000.
    let (stores, third, nobody) = ([0x5d; 20], [0x5e; 20], [0x5c; 20]);
    let (_, _, probe) = calling_case(vec![0x00], &[]);
    let recipient = probe.frames[0].address;
    let call_with = |opcode: u8, to: &[u8; 20], value: u8, gas: Option<u16>| {
        let mut code = vec![0x5f, 0x5f, 0x5f, 0x5f, 0x60, value, 0x73];
        code.extend_from_slice(to);
        match gas {
            Some(g) => code.extend([0x61, (g >> 8) as u8, g as u8]),
            None => code.push(0x5a),
        }
        code.extend([opcode, 0x50]);
        code
    };
    let call = |to: &[u8; 20], value: u8, gas: Option<u16>| call_with(0xf1, to, value, gas);
    let mut code = call(&stores, 9, None);
    code.extend(call_with(0xf2, &stores, 9, None));
    code.extend(call(&third, 0, Some(20_000)));
    code.push(0x00);
    let mut to_nobody = call(&nobody, 1, None);
    to_nobody.push(0x00);
    let stored = vec![0x60, 1, 0x60, 1, 0x55, 0x00];
    let contracts = [(stores, stored), (third, to_nobody)];
    let (case, post, witness) = funded_calling_case(code, &contracts, 5);
    let proven = prove(&witness, Profile::FastTest).unwrap();
    let statement = verify(&proven.proof, FAST).unwrap().statement;
    use zkevm_air::call::TransferKind::{Halted, Short};
    let claims: Vec<(zkevm_air::call::TransferKind, u64, bool)> = (statement.transfers.iter())
        .map(|t| (t.kind, t.value.to::<u64>(), t.fresh))
        .collect();
    assert_eq!(
        claims,
        [(Short, 9, false), (Short, 9, false), (Halted, 1, true)]
    );
    assert_eq!(statement.transfers[1].from, statement.transfers[1].to);
    check_state(&statement, &case, &post).unwrap();
    // Claims the fixture refutes: a value the balance covers called short, the halting
    // call's 25,000 claimed for a target that has code. (Its 25,000 left out is accepted:
    // the halt would then be shown on less than its true cost.)
    let edits: [StatementEdit; 2] = [
        (
            &|s| s.transfers[0].value = U256::from(5),
            "short of its value",
        ),
        (&|s| s.transfers[2].to = [0x5d; 20], "empty"),
    ];
    assert_state_check_refutes(&statement, &case, &post, &edits);
    let mut unclaimed = statement.clone();
    unclaimed.transfers[2].fresh = false;
    check_state(&unclaimed, &case, &post).unwrap();
    // A recipient rich enough for the value: the short call is refuted.
    let mut richer = case.clone();
    richer.pre.get_mut(&recipient).unwrap().balance = U256::from(9);
    let why = check_state(&statement, &richer, &post).unwrap_err();
    assert!(why.contains("short of its value"), "{why}");
    // A pre-state with an account delegated by EIP-7702: the short CALLCODE's claim does not
    // name its target, which might be that account (whose delegate's access the proof leaves
    // out), so it is refused.
    let mut delegating = case.clone();
    let mut designator = vec![0xef, 0x01, 0x00];
    designator.extend_from_slice(&third);
    let account = zkevm_evm_spec::fixture::AccountState {
        code: designator.into(),
        ..Default::default()
    };
    delegating.pre.insert([0x5b; 20].into(), account);
    let why = check_state(&statement, &delegating, &post).unwrap_err();
    assert!(why.contains("delegated"), "{why}");
}

/// [`funded_calling_case`] with 100 wei, proven and verified: the case, its post-state, the
/// proof, its statement, and the statement's account reads as (opcode, value).
fn proven_balance_reads(
    code: Vec<u8>,
    contracts: &[([u8; 20], Vec<u8>)],
) -> (
    zkevm_evm_spec::fixture::StateTest,
    zkevm_evm_spec::fixture::PostEntry,
    Vec<u8>,
    Statement,
    Vec<(u8, u64)>,
) {
    let (case, post, witness) = funded_calling_case(code, contracts, 100);
    let proven = prove(&witness, Profile::FastTest).unwrap();
    let statement = verify(&proven.proof, FAST).unwrap().statement;
    let reads = (statement.account_reads.iter())
        .map(|(op, _, value, _)| (*op, value.to::<u64>()))
        .collect();
    (case, post, proven.proof, statement, reads)
}

/// `CALL(gas, to, value, 0, 0, 0, 0)`, its flag popped.
fn call_moving(to: &[u8; 20], value: u8) -> Vec<u8> {
    let mut code = vec![0x5f, 0x5f, 0x5f, 0x5f, 0x60, value, 0x73];
    code.extend_from_slice(to);
    code.extend([0x5a, 0xf1, 0x50]);
    code
}

#[test]
fn balances_read_during_the_transaction_are_served_at_their_counter() {
    use alloy_primitives::U256;
    // The recipient (100 wei) reads SELFBALANCE, CALLs a contract with 7 wei (which reads
    // its own: 7), reads SELFBALANCE (93) and the contract's BALANCE (7), CALLs another with
    // 4 (which reads 4, then halts: the 4 comes back) and reads SELFBALANCE (93) again.
    let (keeps, fails) = ([0x5d; 20], [0x5e; 20]);
    let mut code = vec![0x47, 0x50];
    code.extend(call_moving(&keeps, 7));
    code.extend([0x47, 0x50, 0x73]);
    code.extend_from_slice(&keeps);
    code.extend([0x31, 0x50]);
    code.extend(call_moving(&fails, 4));
    code.extend([0x47, 0x50, 0x00]);
    let contracts = [
        (keeps, vec![0x47, 0x50, 0x00]),
        (fails, vec![0x47, 0x50, 0xfe]),
    ];
    let (case, post, _, statement, reads) = proven_balance_reads(code, &contracts);
    assert_eq!(
        reads,
        [
            (0x47, 100),
            (0x47, 7),
            (0x47, 93),
            (0x31, 7),
            (0x47, 4),
            (0x47, 93)
        ]
    );
    check_state(&statement, &case, &post).unwrap();
    // Every value claimed otherwise is refuted, and so is the failed call's 4 undone before
    // its callee's read (its end at the read) or kept.
    for i in 0..reads.len() {
        let mut wrong = statement.clone();
        wrong.account_reads[i].2 ^= U256::from(1);
        let why = check_state(&wrong, &case, &post).unwrap_err();
        assert!(why.contains("value"), "{i}: {why}");
    }
    let read_in_callee = statement.account_reads[4].3 as u32;
    let edits: [StatementEdit; 2] = [
        (&|s| s.transfers[1].end = read_in_callee, "value"),
        (&|s| s.transfers[1].kept = true, "value"),
    ];
    assert_state_check_refutes(&statement, &case, &post, &edits);
}

#[test]
fn value_moved_under_a_failing_frame_is_undone_at_its_end() {
    // The recipient (100 wei) CALLs a contract with 7 wei, which CALLs another with 3 (that
    // one reads its SELFBALANCE, 3, and stops), reads its own (4) and halts: both transfers
    // are undone at its end. The recipient then reads SELFBALANCE (100) and the second
    // contract's BALANCE (0).
    let (fails, keeps) = ([0x5e; 20], [0x5d; 20]);
    let mut code = call_moving(&fails, 7);
    code.extend([0x47, 0x50, 0x73]);
    code.extend_from_slice(&keeps);
    code.extend([0x31, 0x50, 0x00]);
    let mut failing = call_moving(&keeps, 3);
    failing.extend([0x47, 0x50, 0xfe]);
    let contracts = [(fails, failing), (keeps, vec![0x47, 0x50, 0x00])];
    let (case, post, proof, statement, reads) = proven_balance_reads(code, &contracts);
    assert_eq!(reads, [(0x47, 3), (0x47, 4), (0x47, 100), (0x31, 0)]);
    // Both undone where the failing contract's call ends.
    let moved: Vec<(u64, bool, u32)> = (statement.transfers.iter())
        .map(|t| (t.value.to::<u64>(), t.kept, t.end))
        .collect();
    let end = statement.transfers[0].end;
    assert_eq!(moved, [(7, false, end), (3, false, end)]);
    check_state(&statement, &case, &post).unwrap();
    // The inner transfer claimed kept (the failing contract would end 3 wei short and the
    // other keep them), or undone before the reads inside the failing frame: refuted.
    let mut kept = statement.clone();
    kept.transfers[1].kept = true;
    assert!(check_state(&kept, &case, &post).is_err());
    let read_in_failing = statement.account_reads[1].3 as u32;
    let edits: [StatementEdit; 1] = [(&|s| s.transfers[1].end = read_in_failing, "value")];
    assert_state_check_refutes(&statement, &case, &post, &edits);
    // And the proof binds both: relabelled, it no longer verifies.
    for edit in [
        |s: &mut Statement| s.transfers[1].kept = true,
        |s: &mut Statement| s.transfers[1].end -= 1,
    ] {
        assert!(verify(&relabel(&proof, edit), FAST).is_err());
    }
}

#[test]
fn creates_under_a_failing_frame_are_undone_at_its_end() {
    use alloy_primitives::Address;
    // A factory CREATEs an account with 3 wei from init code that deploys `PUSH1 0` (at 85:
    // `MSTORE(0, 0x6000) RETURN(30, 2)`), reads its EXTCODESIZE (2) and BALANCE (3), and
    // halts if it has calldata. The recipient (100 wei) CALLs it with 7 wei and a byte of
    // calldata: the factory's end undoes the transfers, the account and the nonce bump, so
    // the recipient reads EXTCODESIZE 0 and BALANCE 0 there. It CALLs it again with 7 wei
    // and no calldata: the factory creates at the same address (the same nonce), and keeps
    // it; the recipient reads EXTCODESIZE 2.
    let factory = [0x5f; 20];
    let created = Address::from(factory).create(0);
    let mut factory_code = vec![
        0x6a, 0x61, 0x60, 0x00, 0x60, 0x00, 0x52, 0x60, 0x02, 0x60, 0x1e, 0xf3,
    ];
    factory_code.extend([0x60, 0x40, 0x52, 0x60, 0x0b, 0x60, 0x55, 0x60, 0x03, 0xf0]);
    factory_code.extend([0x80, 0x3b, 0x50, 0x31, 0x50]);
    let jumpdest = factory_code.len() as u8 + 5;
    factory_code.extend([0x36, 0x60, jumpdest, 0x57, 0x00, 0x5b, 0xfe]);
    let reads_created = |opcode: u8| {
        let mut code = vec![0x73];
        code.extend_from_slice(created.as_slice());
        code.extend([opcode, 0x50]);
        code
    };
    let calls_factory = |args: u8| {
        let mut code = vec![0x5f, 0x5f, 0x60, args, 0x5f, 0x60, 0x07, 0x73];
        code.extend_from_slice(&factory);
        // (200,000 gas: the failing call spends all it gets.)
        code.extend([0x62, 0x03, 0x0d, 0x40, 0xf1, 0x50]);
        code
    };
    let mut code = calls_factory(1);
    code.extend(reads_created(0x3b));
    code.extend(reads_created(0x31));
    code.extend(calls_factory(0));
    code.extend(reads_created(0x3b));
    code.push(0x00);
    let (case, post, proof, statement, reads) =
        proven_balance_reads(code, &[(factory, factory_code)]);
    assert_eq!(
        reads,
        [
            (0x3b, 2),
            (0x31, 3),
            (0x3b, 0),
            (0x31, 0),
            (0x3b, 2),
            (0x31, 3),
            (0x3b, 2)
        ]
    );
    let first_call_end = statement.transfers[0].end;
    let undone: Vec<(Address, bool, Option<u32>)> = (statement.creations.iter())
        .map(|c| (Address::from(c.address), c.success, c.undone_at))
        .collect();
    assert_eq!(
        undone,
        [(created, true, Some(first_call_end)), (created, true, None)]
    );
    assert_eq!(post.state[&created].code.to_vec(), [0x60, 0x00]);
    check_state(&statement, &case, &post).unwrap();
    // The first creation claimed kept (the factory's nonce would then derive another address
    // for the second), or undone before the reads inside the factory's frame: refuted.
    let read_in_factory = statement.account_reads[0].3 as u32;
    // A call into the address listed: the verifier serves none (the code there holds only
    // until the factory's end, which the lookup does not bound).
    let edits: [StatementEdit; 3] = [
        (&|s| s.creations[0].undone_at = None, "derives"),
        (
            &|s| s.creations[0].undone_at = Some(read_in_factory),
            "fixture's",
        ),
        (
            &|s| (s.call_codes).push((s.creations[0].address, 2, 1)),
            "under a failing frame",
        ),
    ];
    assert_state_check_refutes(&statement, &case, &post, &edits);
    // And the proof binds the claim: relabelled, it no longer verifies.
    for edit in [
        |s: &mut Statement| s.creations[0].undone_at = None,
        |s: &mut Statement| s.creations[0].undone_at = Some(s.creations[0].end),
        |s: &mut Statement| s.creations[1].undone_at = Some(s.creations[1].end + 1),
        // (The first call's end, a real failing frame's, under which the second is not.)
        |s: &mut Statement| s.creations[1].undone_at = s.creations[0].undone_at,
    ] {
        assert!(verify(&relabel(&proof, edit), FAST).is_err());
    }
}

#[test]
fn creates_colliding_with_an_account_are_checked_against_the_fixture() {
    use alloy_primitives::{Address, U256};
    // An account with code sits where the recipient's first CREATE lands: the CREATE (1 wei)
    // collides (result 0, all its forwarded gas spent, the nonce bumped), and the next one
    // creates at the address of the following nonce.
    let code = vec![
        0x5f, 0x5f, 0x60, 0x01, 0xf0, 0x60, 0x01, 0x55, 0x5f, 0x5f, 0x5f, 0xf0, 0x60, 0x02, 0x55,
        0x00,
    ];
    let occupant = std::cell::Cell::new(Address::ZERO);
    let (case, post, witness) = calling_case_with(code, &[], |case| {
        let recipient = case.tx.to.unwrap();
        let account = case.pre.get_mut(&recipient).unwrap();
        account.balance = U256::from(100);
        occupant.set(recipient.create(account.nonce));
        let taken = zkevm_evm_spec::fixture::AccountState {
            code: vec![0x00].into(),
            ..Default::default()
        };
        case.pre.insert(occupant.get(), taken);
        case.tx.gas_limit.iter_mut().for_each(|g| *g = 16_000_000);
    });
    let proof = prove(&witness, Profile::FastTest).unwrap().proof;
    let statement = verify(&proof, FAST).unwrap().statement;
    let outcomes: Vec<(Address, bool, bool)> = (statement.creations.iter())
        .map(|c| (Address::from(c.address), c.success, c.collided.is_some()))
        .collect();
    let recipient = case.tx.to.unwrap();
    let next = recipient.create(case.pre[&recipient].nonce + 1);
    assert_eq!(
        outcomes,
        [(occupant.get(), false, true), (next, true, false)]
    );
    assert_eq!(post.state[&occupant.get()].code.to_vec(), [0x00]);
    check_state(&statement, &case, &post).unwrap();
    // Against a fixture where the address is free the collision is refuted; claimed as a
    // creation that ran, the state check finds the account there.
    let mut free = case.clone();
    free.pre.remove(&occupant.get());
    let why = check_state(&statement, &free, &post).unwrap_err();
    assert!(why.contains("which is free"), "{why}");
    let mut ran = statement.clone();
    ran.creations[0].collided = None;
    let why = check_state(&ran, &case, &post).unwrap_err();
    assert!(why.contains("collides"), "{why}");
    // The proof binds the claim: relabelled as a creation that ran, it no longer verifies.
    let relabelled = relabel(&proof, |s| s.creations[0].collided = None);
    assert!(verify(&relabelled, FAST).is_err());
}

#[test]
fn creates_halting_on_their_costs_prove_and_pass_the_state_check() {
    use zkevm_air::call::TransferKind;
    // A contract called with 40,000 gas CREATEs with 1 wei (which it does not hold) from a
    // 49,152-byte window: it can pay the 32,000 but not the memory and init code words, and
    // halts before the EVM checks the balance.
    let creator = [0x5c; 20];
    let mut code = vec![0x5f, 0x5f, 0x5f, 0x5f, 0x5f, 0x73];
    code.extend_from_slice(&creator);
    code.extend([0x62, 0x00, 0x9c, 0x40, 0xf1, 0x60, 0x01, 0x55, 0x00]);
    let creates_big = vec![0x61, 0xc0, 0x00, 0x5f, 0x60, 0x01, 0xf0, 0x00];
    let (case, post, witness) = funded_calling_case(code, &[(creator, creates_big)], 100);
    let proof = prove(&witness, Profile::FastTest).unwrap().proof;
    let statement = verify(&proof, FAST).unwrap().statement;
    let claims: Vec<(TransferKind, u64)> = (statement.transfers.iter())
        .map(|t| (t.kind, t.value.to::<u64>()))
        .collect();
    assert_eq!(claims, [(TransferKind::HaltedCreate, 1)]);
    assert!(statement.creations.is_empty());
    check_state(&statement, &case, &post).unwrap();
    let ran = relabel(&proof, |s| s.transfers[0].kind = TransferKind::Create);
    assert!(verify(&ran, FAST).is_err());
}

#[test]
fn creates_short_of_their_value_are_checked_against_the_balance() {
    use alloy_primitives::{Address, U256};
    use zkevm_air::call::TransferKind;
    // The recipient (100 wei) CREATEs with 200 wei (short: no frame, no nonce bump, result
    // 0) and then with 1 wei, which creates at the address of the nonce the first left.
    let mut code = vec![0x5f, 0x5f, 0x60, 0xc8, 0xf0, 0x60, 0x01, 0x55];
    code.extend([0x5f, 0x5f, 0x60, 0x01, 0xf0, 0x60, 0x02, 0x55, 0x00]);
    let (case, post, witness) = funded_calling_case(code, &[], 100);
    let proven = prove(&witness, Profile::FastTest).unwrap();
    let proof = proven.proof;
    let statement = verify(&proof, FAST).unwrap().statement;
    let kinds: Vec<(TransferKind, u64)> = (statement.transfers.iter())
        .map(|t| (t.kind, t.value.to::<u64>()))
        .collect();
    assert_eq!(
        kinds,
        [(TransferKind::ShortCreate, 200), (TransferKind::Create, 1)]
    );
    assert_eq!(statement.creations.len(), 1);
    let created = Address::from(statement.creations[0].address);
    assert_eq!(post.state[&created].balance, U256::from(1));
    check_state(&statement, &case, &post).unwrap();
    // With 200 wei or more the create is not short: refuted against such a fixture.
    let mut rich = case.clone();
    let recipient = rich.tx.to.unwrap();
    rich.pre.get_mut(&recipient).unwrap().balance = U256::from(300);
    let why = check_state(&statement, &rich, &post).unwrap_err();
    assert!(why.contains("short of its value"), "{why}");
    // The proof binds the kind: relabelled as a create that ran, it no longer verifies.
    let ran = relabel(&proof, |s| s.transfers[0].kind = TransferKind::Create);
    assert!(verify(&ran, FAST).is_err());
}

#[test]
fn creations_are_proven_and_their_addresses_derived_against_the_fixture() {
    use alloy_primitives::{Address, U256};
    // The recipient (100 wei) holds two init codes in memory: at 26, `SSTORE(1, 42) STOP`
    // (6 bytes); at 59, `REVERT(0, 0)` (5 bytes). It CREATEs the first, CREATE2s it with
    // 3 wei and salt 7, CREATEs the second (which fails), and stores the results. Then, from
    // init code at 85 that deploys `PUSH1 0` (`MSTORE(0, 0x6000) RETURN(30, 2)`), it CREATEs
    // an account, stores its EXTCODESIZE (2), calls it and stores its address.
    let create = |value: u8, offset: u8, size: u8, salt: Option<u8>| {
        let mut code = salt.map_or(vec![], |salt| vec![0x60, salt]);
        code.extend([0x60, size, 0x60, offset, 0x60, value]);
        code.push(if salt.is_some() { 0xf5 } else { 0xf0 });
        code
    };
    let mut code = vec![0x65, 0x60, 0x2a, 0x60, 0x01, 0x55, 0x00, 0x60, 0x00, 0x52];
    code.extend([0x64, 0x60, 0x00, 0x60, 0x00, 0xfd, 0x60, 0x20, 0x52]);
    for (k, step) in [
        create(0, 26, 6, None),
        create(3, 26, 6, Some(7)),
        create(0, 59, 5, None),
    ]
    .into_iter()
    .enumerate()
    {
        code.extend(step);
        code.extend([0x60, k as u8 + 1, 0x55]);
    }
    code.extend([
        0x6a, 0x61, 0x60, 0x00, 0x60, 0x00, 0x52, 0x60, 0x02, 0x60, 0x1e, 0xf3,
    ]);
    code.extend([0x60, 0x40, 0x52]);
    code.extend(create(0, 85, 11, None));
    code.extend([0x80, 0x3b, 0x60, 0x05, 0x55]);
    code.extend([0x5f, 0x5f, 0x5f, 0x5f, 0x5f, 0x85, 0x5a, 0xf1, 0x50]);
    code.extend([0x60, 0x04, 0x55, 0x00]);
    let (case, post, witness) = funded_calling_case(code, &[], 100);
    let proven = prove(&witness, Profile::FastTest).unwrap();
    let statement = verify(&proven.proof, FAST).unwrap().statement;
    assert_eq!(statement.creations.len(), 4);
    assert_eq!(statement.creations[3].code, [0x60, 0x00]);
    let deployed = Address::from(statement.creations[3].address);
    assert_eq!(post.state[&deployed].code.to_vec(), [0x60, 0x00]);
    // The created accounts: the first two hold slot 1 = 42, the second 3 wei.
    let first = Address::from(statement.creations[0].address);
    let second = Address::from(statement.creations[1].address);
    assert_eq!(post.state[&first].storage[&U256::from(1)], U256::from(42));
    assert_eq!(post.state[&second].balance, U256::from(3));
    check_state(&statement, &case, &post).unwrap();
    // Claims the fixture refutes: an address its creator does not derive (another, or
    // CREATE2's with another salt), a nonce skipped.
    // The deployed code as the EVM refuses it (EIP-3541's 0xef first byte), or other than
    // the post-state's (which the EXTCODESIZE read of it already contradicts).
    let edits: [StatementEdit; 7] = [
        (&|s| s.creations[0].address = [0x5d; 20], "derives"),
        (&|s| s.creations[1].salt = U256::from(8), "derives"),
        (&|s| s.creations[1].create2 = false, "derives"),
        (
            &|s| s.creations[2].address = s.creations[0].address,
            "derives",
        ),
        (&|s| s.creations[3].code[0] = 0xef, "EIP-3541"),
        (&|s| s.creations[3].code.push(0x00), "fixture's"),
        (
            &|s| {
                let deployed = s.creations[3].address;
                let call = s.call_codes.iter_mut().find(|c| c.0 == deployed).unwrap();
                call.1 = 0;
            },
            "code deployed there",
        ),
    ];
    assert_state_check_refutes(&statement, &case, &post, &edits);
    // Code RETURNed by the init code that REVERTed: the proof hashed none there.
    let returned = relabel(&proven.proof, |s| s.creations[2].code = vec![0x00]);
    assert!(verify(&returned, FAST).is_err());
    // An account already at the first address (a nonce): the creation would collide.
    let mut taken = case.clone();
    let account = zkevm_evm_spec::fixture::AccountState {
        nonce: 1,
        ..Default::default()
    };
    taken.pre.insert(first, account);
    let why = check_state(&statement, &taken, &post).unwrap_err();
    assert!(why.contains("collides"), "{why}");
}

#[test]
fn selfdestructs_are_replayed_against_the_fixtures_balances() {
    use alloy_primitives::{Address, U256};
    // The recipient (100 wei) CALLs a contract with 7 wei, which SELFDESTRUCTs to an empty
    // account (bringing it into being with the 7), then SELFDESTRUCTs to that contract,
    // sending the 93 left (EIP-6780: both accounts stay, with their code).
    let (destructs, nobody) = ([0x5d; 20], [0x5e; 20]);
    let mut code = vec![0x5f; 4];
    code.extend([0x60, 7, 0x73]);
    code.extend_from_slice(&destructs);
    code.extend([0x5a, 0xf1, 0x50, 0x73]);
    code.extend_from_slice(&destructs);
    code.push(0xff);
    let mut sweeps = vec![0x73];
    sweeps.extend_from_slice(&nobody);
    sweeps.push(0xff);
    let (case, post, witness) = funded_calling_case(code, &[(destructs, sweeps)], 100);
    let proven = prove(&witness, Profile::FastTest).unwrap();
    let statement = verify(&proven.proof, FAST).unwrap().statement;
    let moved: Vec<(u64, bool, bool)> = (statement.transfers.iter())
        .map(|t| {
            let sweep = t.kind == zkevm_air::call::TransferKind::Sweep;
            (t.value.to::<u64>(), t.fresh, sweep)
        })
        .collect();
    assert_eq!(
        moved,
        [(7, false, false), (7, true, true), (93, false, true)]
    );
    check_state(&statement, &case, &post).unwrap();
    let balance = |a: [u8; 20]| post.state.get(&Address::from(a)).map(|a| a.balance);
    assert_eq!(balance(nobody), Some(U256::from(7)));
    assert_eq!(balance(destructs), Some(U256::from(93)));
    // Claims the proof would carry but the fixture refutes: less than the whole balance
    // swept, the empty account claimed not empty, the contract claimed empty.
    let edits: [StatementEdit; 3] = [
        (&|s| s.transfers[2].value = U256::from(90), "whole balance"),
        (&|s| s.transfers[1].fresh = false, "empty"),
        (&|s| s.transfers[2].fresh = true, "empty"),
    ];
    assert_state_check_refutes(&statement, &case, &post, &edits);
    // A post-state in which the empty account got nothing.
    let mut other_post = post.clone();
    other_post.state.remove(&Address::from(nobody));
    let why = check_state(&statement, &case, &other_post).unwrap_err();
    assert!(why.contains("post-state's"), "{why}");
}

#[test]
fn selfdestructs_of_created_accounts_destroy_them_against_the_fixture() {
    use alloy_primitives::{Address, U256};
    // The recipient (100 wei) CREATEs A with 5 wei from init code `SSTORE(1, 42)
    // SELFDESTRUCT(ADDRESS)` (EIP-6780: the 5 wei are burned, A is deleted) and stores A's
    // BALANCE (0) and address. It CREATEs B with 3 wei from init code deploying
    // `SELFDESTRUCT(CALLER)`, then CALLs B with 4 wei and again with 2: B still runs its code
    // after its first SELFDESTRUCT, sending 7 and then 2 back. B is deleted at the end.
    let (_, _, probe) = calling_case(vec![0x00], &[]);
    let recipient = probe.frames[0].address;
    let mut code = vec![
        0x66, 0x60, 0x2a, 0x60, 0x01, 0x55, 0x30, 0xff, 0x60, 0x00, 0x52,
    ];
    code.extend([
        0x6a, 0x61, 0x33, 0xff, 0x60, 0x00, 0x52, 0x60, 0x02, 0x60, 0x1e, 0xf3,
    ]);
    code.extend([0x60, 0x20, 0x52]);
    code.extend([0x60, 0x07, 0x60, 0x19, 0x60, 0x05, 0xf0]);
    code.extend([0x80, 0x31, 0x60, 0x03, 0x55, 0x60, 0x01, 0x55]);
    code.extend([
        0x60, 0x0b, 0x60, 0x35, 0x60, 0x03, 0xf0, 0x80, 0x60, 0x02, 0x55,
    ]);
    for value in [4, 2] {
        code.extend([0x5f, 0x5f, 0x5f, 0x5f, 0x60, value, 0x85, 0x5a, 0xf1, 0x50]);
    }
    code.extend([0x31, 0x60, 0x04, 0x55, 0x00]);
    let (case, post, witness) = funded_calling_case(code, &[], 100);
    let proven = prove(&witness, Profile::FastTest).unwrap();
    let statement = verify(&proven.proof, FAST).unwrap().statement;
    let (a, b) = (
        statement.creations[0].address,
        statement.creations[1].address,
    );
    let moved: Vec<_> = (statement.transfers.iter())
        .map(|t| (t.value.to::<u64>(), t.kind, t.from == t.to))
        .collect();
    use zkevm_air::call::TransferKind::{Call, Create, Sweep};
    assert_eq!(
        moved,
        [
            (5, Create, false),
            (5, Sweep, true),
            (3, Create, false),
            (4, Call, false),
            (7, Sweep, false),
            (2, Call, false),
            (2, Sweep, false)
        ]
    );
    assert_eq!(statement.account_reads.len(), 2);
    assert!(statement.account_reads.iter().all(|r| r.2.is_zero()));
    for destroyed in [a, b] {
        assert!(!post.state.contains_key(&Address::from(destroyed)));
    }
    assert_eq!(post.state[&recipient].balance, U256::from(95));
    check_state(&statement, &case, &post).unwrap();
    // A's BALANCE read as if its SELFDESTRUCT to itself kept the 5 wei.
    let edits: [StatementEdit; 1] = [(&|s| s.account_reads[0].2 = U256::from(5), "fixture's")];
    assert_state_check_refutes(&statement, &case, &post, &edits);
    // Post-states keeping what EIP-6780 deletes: A's storage or nonce, B's code, B's last 2 wei.
    // (Listed at all, each is refused: EIP-6780 deletes both accounts.)
    let survivor = |nonce: u64, code: Vec<u8>, balance: u64, slot: Option<(u64, u64)>| {
        let storage = slot.map(|(k, v)| (U256::from(k), U256::from(v)));
        zkevm_evm_spec::fixture::AccountState {
            nonce,
            balance: U256::from(balance),
            code: code.into(),
            storage: storage.into_iter().collect(),
        }
    };
    for (address, account, what) in [
        (a, survivor(0, vec![], 0, Some((1, 42))), "SELFDESTRUCT"),
        (a, survivor(1, vec![], 0, None), "SELFDESTRUCT"),
        (b, survivor(0, vec![0x33, 0xff], 0, None), "SELFDESTRUCT"),
        (b, survivor(0, vec![], 2, None), "SELFDESTRUCT"),
    ] {
        let mut other_post = post.clone();
        other_post.state.insert(Address::from(address), account);
        let why = check_state(&statement, &case, &other_post).unwrap_err();
        assert!(why.contains(what), "{what}: {why}");
    }
}

/// The recipient's code that CREATEs A with 3 wei from init code deploying `deployed`,
/// stores A's address in slot 1 and at memory 0, and CALLs `m` with `value` wei and A's
/// address as calldata, leaving the flag on the stack.
fn creates_then_calls_with_its_address(deployed: [u8; 2], m: &[u8; 20], value: u8) -> Vec<u8> {
    let (first, second) = (deployed[0], deployed[1]);
    let mut code = vec![
        0x6a, 0x61, first, second, 0x60, 0x00, 0x52, 0x60, 0x02, 0x60, 0x1e,
    ];
    code.extend([
        0xf3, 0x60, 0x00, 0x52, 0x60, 0x0b, 0x60, 0x15, 0x60, 0x03, 0xf0,
    ]);
    code.extend([0x80, 0x60, 0x01, 0x55, 0x5f, 0x52]);
    code.extend([0x5f, 0x5f, 0x60, 0x20, 0x5f, 0x60, value, 0x73]);
    code.extend_from_slice(m);
    code.extend([0x5a, 0xf1]);
    code
}

#[test]
fn selfdestructs_under_a_failing_frame_are_undone_against_the_fixture() {
    use alloy_primitives::{Address, U256};
    // The recipient (100 wei) CREATEs A with 3 wei, deploying `SELFDESTRUCT(CALLER)`, and
    // stores A's address. It CALLs M with 4 wei and A's address as calldata; M CALLs A with
    // 2, whose SELFDESTRUCT sweeps A's 5 wei to M (EIP-6780: A, created by the transaction,
    // would be deleted at its end), reads BALANCE(A) (0) and SELFBALANCE (4 − 2 + 5 = 7,
    // values the verifier's replay serves) and REVERTs: its end undoes both calls' transfers
    // and the sweep, so A survives with its code and 3 wei, which the recipient reads with
    // BALANCE and stores.
    let m = [0x6d; 20];
    let mut code = creates_then_calls_with_its_address([0x33, 0xff], &m, 4);
    code.extend([0x60, 0x02, 0x55]);
    code.extend([0x60, 0x01, 0x54, 0x31, 0x60, 0x03, 0x55, 0x00]);
    let mut calls_and_reverts = vec![
        0x5f, 0x5f, 0x5f, 0x5f, 0x60, 0x02, 0x5f, 0x35, 0x5a, 0xf1, 0x50,
    ];
    calls_and_reverts.extend([0x5f, 0x35, 0x31, 0x50, 0x47, 0x50, 0x5f, 0x5f, 0xfd]);
    let (case, post, witness) = funded_calling_case(code, &[(m, calls_and_reverts)], 100);
    let proven = prove(&witness, Profile::FastTest).unwrap();
    let statement = verify(&proven.proof, FAST).unwrap().statement;
    let a = statement.creations[0].address;
    use zkevm_air::call::TransferKind::{Call, Create, Sweep};
    let moved: Vec<_> = (statement.transfers.iter())
        .map(|t| (t.value.to::<u64>(), t.kind, t.kept))
        .collect();
    assert_eq!(
        moved,
        [
            (3, Create, true),
            (4, Call, false),
            (2, Call, false),
            (5, Sweep, false)
        ]
    );
    // M's end undoes the sweep, as it does M's own transfer; the reads between see it.
    assert_eq!(statement.transfers[3].end, statement.transfers[1].end);
    let reads: Vec<(u8, u64)> = (statement.account_reads.iter())
        .map(|r| (r.0, r.2.to::<u64>()))
        .collect();
    assert_eq!(reads, [(0x31, 0), (0x47, 7), (0x31, 3)]);
    assert_eq!(
        (statement.transfers[3].from, statement.transfers[3].to),
        (a, m)
    );
    let survivor = &post.state[&Address::from(a)];
    assert_eq!(
        (survivor.balance, survivor.code.to_vec()),
        (U256::from(3), vec![0x33, 0xff])
    );
    check_state(&statement, &case, &post).unwrap();
    // The sweep claimed kept: after execution A would still send the 5 wei it held only while
    // the failing frame's transfers lasted; the replay refutes it.
    let edits: [StatementEdit; 1] = [(&|s| s.transfers[3].kept = true, "overdraws")];
    assert_state_check_refutes(&statement, &case, &post, &edits);
    // And the proof refutes a statement claiming it kept, or undone at another end.
    for edit in [
        (&|s: &mut Statement| s.transfers[3].kept = true) as &dyn Fn(&mut Statement),
        &|s| s.transfers[3].end += 1,
    ] {
        assert!(verify(&relabel(&proven.proof, edit), FAST).is_err());
    }
}

#[test]
fn creation_transactions_deposit_their_code_against_the_fixture() {
    use alloy_primitives::{Address, U256};
    // Creation transactions: (init code, gas limit, value, whether the deposit fails, whether
    // the frame reverts). The init code RETURNs `PUSH1 0` (2 bytes, 400 gas: deployed); a
    // byte 0xef after an SSTORE and a LOG, moving 5 wei (refused by EIP-3541: all undone); 1,000
    // zero bytes (200,000 gas, more than the frame has); 24,577 zero bytes with gas for them
    // (refused by EIP-170); REVERTs one byte (nothing deposited, its gas left kept); or
    // DELEGATECALLs `SELFDESTRUCT(CALLER)` and then RETURNs `PUSH1 0` (charged, deployed, and
    // deleted with the account at the end, EIP-6780).
    let push1_0 = [0x61, 0x60, 0x00, 0x5f, 0x52, 0x60, 0x02, 0x60, 0x1e, 0xf3];
    let mut refused = vec![0x60, 0x01, 0x60, 0x01, 0x55, 0x5f, 0x5f, 0xa0];
    refused.extend([0x60, 0xef, 0x5f, 0x53, 0x60, 0x01, 0x5f, 0xf3]);
    let destroyer = [0x5d; 20];
    let mut destroys = zkevm::programs::call_into(0xf4, &destroyer);
    destroys.push(0x50);
    destroys.extend(push1_0);
    let cases: [(Vec<u8>, u64, u64, bool, bool); 6] = [
        (push1_0.to_vec(), 100_000, 0, false, false),
        (refused, 100_000, 5, true, false),
        (vec![0x61, 0x03, 0xe8, 0x5f, 0xf3], 100_000, 0, true, false),
        (
            vec![0x61, 0x60, 0x01, 0x5f, 0xf3],
            6_000_000,
            0,
            true,
            false,
        ),
        (vec![0x60, 0x01, 0x5f, 0xfd], 100_000, 0, false, true),
        (destroys, 200_000, 0, false, false),
    ];
    for (init, gas, value, deposit_fails, reverts) in cases {
        let contracts = [(destroyer, vec![0x33, 0xff])];
        let (case, post, witness) = calling_case_with(vec![0x00], &contracts, |case| {
            case.tx.to = None;
            case.tx.data = vec![init.clone().into()];
            case.tx.gas_limit = vec![gas];
            case.tx.value = vec![U256::from(value)];
        });
        let created = Address::from(witness.frames[0].address.into_array());
        let code = (post.state.get(&created)).map_or(vec![], |a| a.code.to_vec());
        let deploys = !deposit_fails && !reverts && post.state.contains_key(&created);
        assert_eq!(!code.is_empty(), deploys, "{init:x?}");
        let proven = prove(&witness, Profile::FastTest).unwrap();
        let statement = verify(&proven.proof, FAST).unwrap().statement;
        assert_eq!(statement.failed(), reverts);
        assert!(!statement.output.is_empty());
        check_state(&statement, &case, &post).unwrap();
        // The fee with one more gas left (a failed deposit spends it all, whatever it was);
        // the code deployed where it is not, or not where it is.
        if !deposit_fails {
            let edits: [StatementEdit; 1] = [(&|s| s.gas_left += 1, "the sender paid")];
            assert_state_check_refutes(&statement, &case, &post, &edits);
        }
        let mut other_post = post.clone();
        let account = other_post.state.entry(created).or_default();
        account.code = match deploys {
            true => vec![].into(),
            false => statement.output.clone().into(),
        };
        let why = check_state(&statement, &case, &other_post).unwrap_err();
        // (A SELFDESTRUCTed account must not be listed at all.)
        let refuted = why.contains("code other than") || why.contains("SELFDESTRUCT");
        assert!(refuted, "{init:x?}: {why}");
        // Against a fixture where an account (a nonce) already holds the address, the EVM
        // would collide before running anything: refuted.
        let mut taken = case.clone();
        let occupant = zkevm_evm_spec::fixture::AccountState {
            nonce: 1,
            ..Default::default()
        };
        taken.pre.insert(created, occupant);
        let why = check_state(&statement, &taken, &post).unwrap_err();
        assert!(why.contains("which an account holds"), "{init:x?}: {why}");
    }
}

#[test]
fn calls_nest_as_deep_as_the_gas_bound_allows_and_prove() {
    // The deepest frame still has the gas to stop; one frame deeper it would run out.
    let depth = zkevm::programs::MAX_NESTED_DEPTH;
    let witness = zkevm::programs::nested_calls(depth).trace().unwrap();
    assert_eq!(witness.frames.len(), depth as usize + 1);
    let deeper = zkevm::programs::nested_calls(depth + 1).trace().unwrap();
    assert_ne!(
        deeper.frames.len(),
        depth as usize + 2,
        "depth + 1 is reachable"
    );
    let proven = prove(&witness, Profile::FastTest).unwrap();
    let verified = verify(&proven.proof, FAST).unwrap();
    assert!(verified.statement.halt.is_none() && !verified.statement.reverted);
    let calls: u64 = verified.statement.call_codes.iter().map(|c| c.2).sum();
    assert_eq!(calls, depth as u64);
}

#[test]
fn the_call_loop_proves_its_calls() {
    let witness = zkevm::programs::call_loop(40).trace().unwrap();
    assert_eq!(witness.frames.len(), 41);
    let proven = prove(&witness, Profile::FastTest).unwrap();
    let verified = verify(&proven.proof, FAST).unwrap();
    assert_eq!(verified.statement.call_codes.len(), 1);
    assert_eq!(verified.statement.call_codes[0].2, 40);
    // 19 steps per call in the loop, 7 in the callee; 10 more: reading n, the last test,
    // the end.
    assert_eq!(verified.statement.steps(), 40 * 26 + 10);
}

#[test]
fn init_code_calls_are_proven() {
    // A creation transaction whose init code CALLs a contract that stores a slot and
    // DELEGATECALLs it (storing in the account being created), then stops (deploying nothing).
    let stores = [0x51; 20];
    let mut init = zkevm::programs::call_into(0xf1, &stores);
    init.push(0x50);
    init.extend(zkevm::programs::call_into(0xf4, &stores));
    init.extend([0x50, 0x00]);
    let mut setup = zkevm_evm_spec::exec::call_setup(&[], &init);
    setup.tx.kind = alloy_primitives::TxKind::Create;
    let account = zkevm_evm_spec::fixture::AccountState {
        code: vec![0x60, 0x2a, 0x60, 0x07, 0x55, 0x00].into(),
        ..Default::default()
    };
    setup.db.insert(stores.into(), account);
    let (_, witness) =
        zkevm_evm_spec::exec::execute_traced(&mut setup.db, &setup.block, &setup.chain, setup.tx)
            .unwrap();
    assert_eq!(witness.frames.len(), 3);
    let proven = prove(&witness, Profile::FastTest).unwrap();
    let statement = verify(&proven.proof, FAST).unwrap().statement;
    let created = witness.frames[0].address.into_array();
    assert_eq!(statement.address, created);
    let owners: Vec<[u8; 20]> = (statement.storage.iter())
        .map(|slot| zkevm_air::storage::address_bytes(&slot.key.0))
        .collect();
    assert_eq!(owners.len(), 2);
    assert!(owners.contains(&created) && owners.contains(&stores));
}

#[test]
fn cold_accesses_short_of_their_cost_are_proven_against_the_fixture() {
    use alloy_primitives::U256;
    // The recipient calls, with 1,000 gas each, a contract whose SLOAD of its slot 1 (0x55 in
    // the pre-state) is cold and one whose BALANCE of a funded account is: both halt on their
    // cost, and revm loads neither. The recipient stores both flags, then reads the balance
    // itself: cold again, since the failed frame's end undid the warm-up.
    let (sloader, balancer, rich) = ([0x54; 20], [0x55; 20], [0x56; 20]);
    let short_call = |target: &[u8; 20]| {
        let mut code = vec![0x5f; 5];
        code.push(0x73);
        code.extend_from_slice(target);
        code.extend([0x61, 0x03, 0xe8, 0xf1]);
        code
    };
    let mut code = short_call(&sloader);
    code.extend([0x60, 0x01, 0x55]);
    code.extend(short_call(&balancer));
    code.extend([0x60, 0x02, 0x55, 0x73]);
    code.extend_from_slice(&rich);
    code.extend([0x31, 0x60, 0x03, 0x55, 0x00]);
    let mut balance_of_rich = vec![0x73];
    balance_of_rich.extend_from_slice(&rich);
    balance_of_rich.extend([0x31, 0x00]);
    let contracts = [
        (sloader, vec![0x60, 0x01, 0x54, 0x00]),
        (balancer, balance_of_rich),
    ];
    let (case, post, witness) = calling_case_with(code, &contracts, |case| {
        let address = alloy_primitives::Address::from(sloader);
        let slots = &mut case.pre.get_mut(&address).unwrap().storage;
        slots.insert(U256::from(1), U256::from(0x55));
        let funded = zkevm_evm_spec::fixture::AccountState {
            balance: U256::from(1234),
            ..Default::default()
        };
        case.pre.insert(rich.into(), funded);
        case.tx.gas_limit.iter_mut().for_each(|g| *g = 1_000_000);
    });
    let halts: Vec<(u8, Option<&str>)> = (witness.steps.iter())
        .filter(|s| s.error.is_some())
        .map(|s| (s.opcode, s.error.as_deref()))
        .collect();
    assert_eq!(halts, [(0x54, Some("OutOfGas")), (0x31, Some("OutOfGas"))]);
    let proven = prove(&witness, Profile::FastTest).unwrap();
    let verified = verify(&proven.proof, FAST).unwrap();
    let statement = &verified.statement;
    check_state(statement, &case, &post).unwrap();
    let kinds: Vec<_> = statement.sub_halts.iter().map(|h| h.kind).collect();
    assert_eq!(kinds, [zkevm_air::cpu::HaltKind::DynamicCost; 2]);
    // Only the recipient's BALANCE asks for a value: 1,234 wei.
    let values: Vec<U256> = statement.account_reads.iter().map(|r| r.2).collect();
    assert_eq!(values, [U256::from(1234)]);
    // The halting SLOAD's slot claimed to hold another value, or warm before the transaction;
    // the account claimed warm.
    let sloader_limbs = zkevm_air::storage::address_limbs(&sloader);
    let other_value = |s: &mut Statement| {
        let slot = (s.storage.iter_mut())
            .find(|slot| slot.key.0 == sloader_limbs)
            .unwrap();
        slot.pre[0] ^= 1;
        slot.post[0] ^= 1;
    };
    let warm_slot = |s: &mut Statement| {
        let slot = (s.storage.iter_mut())
            .find(|slot| slot.key.0 == sloader_limbs)
            .unwrap();
        slot.prewarm = true;
    };
    let rich_limbs = zkevm_air::storage::address_limbs(&rich);
    let warm_account = |s: &mut Statement| {
        let account = s
            .accounts
            .iter_mut()
            .find(|a| a.address == rich_limbs)
            .unwrap();
        account.prewarm = true;
    };
    assert_state_check_refutes(
        statement,
        &case,
        &post,
        &[
            (&other_value, "before"),
            (&warm_slot, "warm"),
            (&warm_account, "warmth"),
        ],
    );
    // The proof's statement with the slot's value changed: it no longer verifies.
    let relabelled = relabel(&proven.proof, other_value);
    assert!(matches!(
        verify(&relabelled, FAST),
        Err(EvmError::Verify(_))
    ));
}

#[test]
fn callees_far_calldata_loads_and_copies_are_proven_against_the_fixture() {
    // The recipient calls a contract with 8 bytes of arguments; it stores its CALLDATALOAD
    // at 0 (the bytes) and at 2³¹ − 16, and a word of ones over which it copied 9 bytes of
    // calldata from 2³¹ − 4 (both far past its calldata: zeros, read from where nothing
    // writes; their copy's address would otherwise pass 2³²).
    let target = [0x57; 20];
    let mut code = vec![0x67, 1, 2, 3, 4, 5, 6, 7, 8, 0x5f, 0x52]; // MSTORE(0, 0x0102…08)
    code.extend([0x5f, 0x5f, 0x60, 8, 0x60, 24, 0x5f, 0x73]); // CALL(gas, target, 0, 24, 8, 0, 0)
    code.extend_from_slice(&target);
    code.extend([0x5a, 0xf1, 0x50, 0x00]);
    let callee = vec![
        0x5f, 0x35, 0x60, 1, 0x55, // SSTORE(1, CALLDATALOAD(0))
        0x63, 0x7f, 0xff, 0xff, 0xf0, 0x35, 0x60, 2,
        0x55, // SSTORE(2, CALLDATALOAD(2³¹ − 16))
        0x5f, 0x19, 0x60, 0x80, 0x52, // MSTORE(128, NOT(0))
        0x60, 9, 0x63, 0x7f, 0xff, 0xff, 0xfc, 0x60, 0x80,
        0x37, // CALLDATACOPY(128, 2³¹ − 4, 9)
        0x60, 0x80, 0x51, 0x60, 3, 0x55, 0x00, // SSTORE(3, MLOAD(128))
    ];
    let (case, post, witness) = calling_case_with(code, &[(target, callee)], |case| {
        case.tx.gas_limit.iter_mut().for_each(|g| *g = 1_000_000);
    });
    let stored = &post.state[&alloy_primitives::Address::from(target)].storage;
    let nine_zero_bytes = alloy_primitives::U256::MAX >> 72;
    assert_eq!(stored.len(), 2, "slot 2 stays zero: {stored:?}");
    assert_eq!(stored[&alloy_primitives::U256::from(3)], nine_zero_bytes);
    let proven = prove(&witness, Profile::FastTest).unwrap();
    let verified = verify(&proven.proof, FAST).unwrap();
    check_state(&verified.statement, &case, &post).unwrap();
    // The far load or copy claimed to have read something: the state check refutes it.
    let target_limbs = zkevm_air::storage::address_limbs(&target);
    for slot in [2, 3] {
        let read_something = |s: &mut Statement| {
            let stored = (s.storage.iter_mut())
                .find(|entry| entry.key.0 == target_limbs && entry.key.1[0] == slot)
                .unwrap();
            stored.post[7] ^= 1;
        };
        assert_state_check_refutes(
            &verified.statement,
            &case,
            &post,
            &[(&read_something, "post-state")],
        );
    }
}

#[test]
fn selfdestructs_short_of_their_cost_are_proven_against_the_fixture() {
    // The recipient calls a contract that SELFDESTRUCTs to an empty account: with 6,000 gas
    // (short of the cold access) and with 20,000 gas and 1 wei (short of the new account's
    // 25,000). Both halt; the recipient stores the flags and the beneficiary's balance (0: the
    // sweep is undone).
    let (destructor, beneficiary) = ([0x58; 20], [0x59; 20]);
    let mut destruct = vec![0x73];
    destruct.extend_from_slice(&beneficiary);
    destruct.push(0xff);
    let call = |value: u8, gas: [u8; 2]| {
        let mut code = vec![0x5f, 0x5f, 0x5f, 0x5f, 0x60, value, 0x73];
        code.extend_from_slice(&destructor);
        code.extend([0x61, gas[0], gas[1], 0xf1]);
        code
    };
    let mut code = call(0, [0x17, 0x70]);
    code.extend([0x60, 0x01, 0x55]);
    code.extend(call(1, [0x4e, 0x20]));
    code.extend([0x60, 0x02, 0x55, 0x73]);
    code.extend_from_slice(&beneficiary);
    code.extend([0x31, 0x60, 0x03, 0x55, 0x00]);
    let (case, post, witness) = funded_calling_case(code, &[(destructor, destruct)], 10);
    let halts: Vec<(u8, Option<&str>)> = (witness.steps.iter())
        .filter(|s| s.error.is_some())
        .map(|s| (s.opcode, s.error.as_deref()))
        .collect();
    assert_eq!(halts, [(0xff, Some("OutOfGas")); 2]);
    let proven = prove(&witness, Profile::FastTest).unwrap();
    let verified = verify(&proven.proof, FAST).unwrap();
    let statement = &verified.statement;
    check_state(statement, &case, &post).unwrap();
    let halted = zkevm_air::call::TransferKind::HaltedSweep;
    let sweeps: Vec<(bool, bool)> = (statement.transfers.iter())
        .filter(|t| t.kind == halted)
        .map(|t| (t.value.is_zero(), t.fresh))
        .collect();
    assert_eq!(sweeps, [(true, false), (false, true)]);
    // The first claimed to bring the empty beneficiary into being (it sends nothing), the
    // second to send other than its account's balance: the state check refutes each.
    let first = statement
        .transfers
        .iter()
        .position(|t| t.kind == halted)
        .unwrap();
    let fresh_for_nothing = |s: &mut Statement| s.transfers[first].fresh = true;
    let other_value = |s: &mut Statement| {
        let last = s.transfers.len() - 1;
        s.transfers[last].value += alloy_primitives::U256::from(1);
    };
    assert_state_check_refutes(
        statement,
        &case,
        &post,
        &[
            (&fresh_for_nothing, "empty"),
            (&other_value, "whole balance"),
        ],
    );
}

#[test]
fn extcodecopy_copies_an_accounts_own_code_against_the_fixture() {
    // The recipient copies the ECRECOVER precompile's code (its account holds none: zeros),
    // a delegated account's (its 23-byte EIP-7702 designator, not the code it designates),
    // that target's, and SHA256's account's (it exists, with a balance, and no code), then
    // returns the 128 bytes: every one is proven and checked.
    let (delegated, target) = ([0x57; 20], [0x58; 20]);
    let mut ecrecover = [0u8; 20];
    ecrecover[19] = 1;
    let mut sha256 = [0u8; 20];
    sha256[19] = 2;
    let mut designator = vec![0xef, 0x01, 0x00];
    designator.extend_from_slice(&target);
    let target_code = vec![0x60, 0x2a, 0x5f, 0x55, 0x00];
    let mut code = Vec::new();
    for (address, dest) in [
        (ecrecover, 0u8),
        (delegated, 32),
        (target, 64),
        (sha256, 96),
    ] {
        // EXTCODECOPY(address, dest, 0, 32)
        code.extend([0x60, 0x20, 0x5f, 0x60, dest, 0x73]);
        code.extend_from_slice(&address);
        code.push(0x3c);
    }
    code.extend([0x60, 0x80, 0x5f, 0xf3]); // RETURN(0, 128)
    let contracts = [
        (delegated, designator.clone()),
        (target, target_code.clone()),
    ];
    let (case, post, witness) = calling_case_with(code, &contracts, |case| {
        let funded = zkevm_evm_spec::fixture::AccountState {
            balance: alloy_primitives::U256::from(1),
            ..Default::default()
        };
        case.pre.insert(sha256.into(), funded);
    });
    let proven = prove(&witness, Profile::FastTest).unwrap();
    let verified = verify(&proven.proof, FAST).unwrap();
    let statement = &verified.statement;
    check_state(statement, &case, &post).unwrap();
    let mut expected = vec![0u8; 128];
    expected[32..55].copy_from_slice(&designator);
    expected[64..69].copy_from_slice(&target_code);
    assert_eq!(statement.output, expected);
    assert!(statement.call_codes.is_empty());
    let copied: Vec<[u8; 20]> = statement.ext_codes.iter().map(|e| e.0).collect();
    assert_eq!(copied, [ecrecover, sha256, delegated, target]);
    // The delegated account claimed to hold its target's code, or none; the precompile's
    // account claimed to hold code; a code copied from an address claimed for another.
    let position = |s: &Statement, a: [u8; 20]| s.ext_codes.iter().position(|e| e.0 == a);
    let (p, d, t) = (
        position(statement, ecrecover).unwrap(),
        position(statement, delegated).unwrap(),
        position(statement, target).unwrap(),
    );
    let designates = move |s: &mut Statement| s.ext_codes[d].1 = s.ext_codes[t].1;
    let empty = move |s: &mut Statement| s.ext_codes[d].1 = zkevm_air::evm::NO_CODE;
    let precompile_code = move |s: &mut Statement| s.ext_codes[p].1 = s.ext_codes[t].1;
    let elsewhere = move |s: &mut Statement| s.ext_codes[t].0 = [0x59; 20];
    assert_state_check_refutes(
        statement,
        &case,
        &post,
        &[
            (&designates, "EXTCODECOPY"),
            (&empty, "EXTCODECOPY"),
            (&precompile_code, "EXTCODECOPY"),
            (&elsewhere, "EXTCODECOPY"),
        ],
    );
    // (That such claims unbalance the proof's bus is the AIR tests':
    // `extcodecopy_of_a_precompile_or_a_delegated_account_copies_its_own_code`.)
}

#[test]
fn a_plain_value_transfer_runs_one_stop_proven() {
    use alloy_primitives::U256;
    // The chainid case's recipient without code, sent 5 wei: the transaction only moves its
    // value.
    let (mut case, post) = chainid_case(0);
    let recipient = case.tx.to.unwrap();
    case.pre.get_mut(&recipient).unwrap().code = Default::default();
    case.tx.value.iter_mut().for_each(|v| *v = U256::from(5));
    let (case, post, witness) = rerun(case, post);
    let before = case.pre[&recipient].balance;
    assert_eq!(post.state[&recipient].balance, before + U256::from(5));
    // revm runs no step there; the witness holds the STOP the EVM runs on empty code.
    assert_eq!(witness.steps.len(), 1);
    let stop = &witness.steps[0];
    assert_eq!((stop.opcode, stop.pc, stop.gas_cost), (0x00, 0, 0));
    assert_eq!(stop.gas, witness.frames[0].gas_limit);
    let statement = proven_case_statement(&case, &post, &witness);
    // A recipient with code: the proof is not its execution.
    let mut with_code = case.clone();
    with_code.pre.get_mut(&recipient).unwrap().code = vec![0x00].into();
    let why = check_state(&statement, &with_code, &post).unwrap_err();
    assert!(why.contains("code the transaction runs"), "{why}");
    // A post-state where the value did not arrive, or arrived twice: refuted.
    for balance in [before, before + U256::from(10)] {
        let mut wrong = post.clone();
        wrong.state.get_mut(&recipient).unwrap().balance = balance;
        let why = check_state(&statement, &case, &wrong).unwrap_err();
        assert!(why.contains("balance"), "{why}");
    }
    // Sent to a precompile (IDENTITY), the transaction runs its logic, not empty code: not
    // proven yet, and this proof of a STOP is refused for it.
    let identity = alloy_primitives::Address::with_last_byte(4);
    let mut to_identity = case.clone();
    to_identity.tx.to = Some(identity);
    let (to_identity, identity_post, _) = rerun(to_identity, post.clone());
    let (status, why) = prove_case(&to_identity, &identity_post, Profile::FastTest);
    assert_eq!(status, Status::Unsupported);
    assert!(why.unwrap().contains("precompile"));
    let why = check_state(&statement, &to_identity, &identity_post).unwrap_err();
    assert!(why.contains("precompile"), "{why}");
}

#[test]
fn a_call_halting_on_its_targets_delegate_is_unsupported_not_failed() {
    // The recipient gives `m` exactly the gas for its CALL into `x`, delegated (EIP-7702) to
    // a cold `d`, to pay the CALL's 100 and `x`'s cold 2,500, with 50 to spare: revm loads
    // `x`, then halts short of `d`'s 100 + 2,500. A Call row leaves the delegate's cost out,
    // so it could not show that halt: the trace builder finds the costs it knows do not
    // explain it, and the case is reported unsupported, not failed.
    let (m, x, d) = ([0x5c; 20], [0x5d; 20], [0x5e; 20]);
    let calls_with = |target: &[u8; 20], gas: u16, value: u8| {
        let mut code = vec![0x5f, 0x5f, 0x5f, 0x5f, 0x60, value, 0x73];
        code.extend_from_slice(target);
        code.push(0x61);
        code.extend(gas.to_be_bytes());
        code.extend([0xf1, 0x00]);
        code
    };
    let calls = |target: &[u8; 20], gas: u16| calls_with(target, gas, 0);
    let mut designator = vec![0xef, 0x01, 0x00];
    designator.extend_from_slice(&d);
    let contracts = |inner_gas: u16| {
        [
            (m, calls(&x, inner_gas)),
            (x, designator.clone()),
            (d, vec![0x00]),
        ]
    };
    let case_with = |m_gas: u16| {
        calling_case_with(calls(&m, m_gas), &contracts(60_000), |case| {
            case.tx.gas_limit.iter_mut().for_each(|g| *g = 1_000_000);
        })
    };
    // The gas `m` spends before its CALL step, from a run with plenty.
    let (_, _, probe) = case_with(60_000);
    let inner_call = |w: &zkevm_evm_spec::witness::Witness| {
        (w.steps.iter())
            .find(|s| s.frame == 1 && s.opcode == 0xf1)
            .cloned()
            .unwrap()
    };
    let spent = 60_000 - inner_call(&probe).gas;
    let (case, post, witness) = case_with((spent + 100 + 2_500 + 50) as u16);
    let halted = inner_call(&witness);
    assert!(halted.error.is_some(), "{halted:?}");
    let (status, why) = prove_case(&case, &post, Profile::FastTest);
    assert_eq!(status, Status::Unsupported, "{why:?}");
    assert!(why.unwrap().contains("a delegation's"));
    // Short of `x`'s own cold access, the CALL halts whatever its delegate costs: its row
    // claims no delegation, and the halt is proven.
    let (case, post, witness) = case_with((spent + 100 + 2_499) as u16);
    assert!(inner_call(&witness).error.is_some());
    assert_eq!(
        prove_case(&case, &post, Profile::FastTest),
        (Status::Proved, None)
    );
    // With gas to spare, the call runs `d`'s code: proven.
    let (case, post, _) = case_with(60_000);
    assert_eq!(
        prove_case(&case, &post, Profile::FastTest),
        (Status::Proved, None)
    );
    // Moving 1 wei, with gas for all but the delegate's: the costs a Call row knows fall
    // short of only a new account's 25,000, which would claim `x` empty; reported
    // unsupported, not failed.
    let with_value = |m_gas: u16| {
        let contracts = [
            (m, calls_with(&x, 60_000, 1)),
            (x, designator.clone()),
            (d, vec![0x00]),
        ];
        calling_case_with(calls(&m, m_gas), &contracts, |case| {
            case.tx.gas_limit.iter_mut().for_each(|g| *g = 1_000_000);
            let account = case
                .pre
                .get_mut(&alloy_primitives::Address::from(m))
                .unwrap();
            account.balance = alloy_primitives::U256::from(1);
        })
    };
    let (_, _, probe) = with_value(60_000);
    let spent = 60_000 - inner_call(&probe).gas;
    let (case, post, witness) = with_value((spent + 100 + 9_000 + 2_500 + 50) as u16);
    assert!(inner_call(&witness).error.is_some());
    let (status, why) = prove_case(&case, &post, Profile::FastTest);
    assert_eq!(status, Status::Unsupported, "{why:?}");
    assert!(why.unwrap().contains("halting"));
}
