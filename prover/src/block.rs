//! Proving and verifying a block.
//!
//! [`prove_block`]:
//! 1. checks every trace against its component's layout;
//! 2. builds every main-trace LDE and Merkle tree (in parallel) — kept for step 4;
//! 3. derives γ, β from the statement, its public bus messages, the profile and all main-trace
//!    roots, with the block's own hasher ([`crate::transcript`]);
//! 4. builds each component's LogUp columns, reads its claimed sum, and proves it with
//!    winterfell, γ, β and the claim in its public inputs: one component after another, each
//!    on every thread (proving two at once held both working sets: the built-in `fib_loop`
//!    block peaked at 6.0 GiB instead of 5.2 and was no faster, 20.1–21.1 s against
//!    19.0–20.0 s; fresh memory is dear here, see [`crate::lde::extend_rows`]).
//!
//! [`verify_block`] parses the container, checks each component proof's byte layout against
//! what its component, trace length and profile imply, reads the main-trace roots from the
//! proofs, re-derives γ, β, checks that the claims and the public messages' terms sum to zero,
//! and verifies every proof.

use crate::error::BlockError;
use crate::format::{BlockProof, ComponentProof, MAX_COMPONENTS};
use crate::lde::MainCommitment;
use crate::merkle::MerkleVc;
use crate::options::Profile;
use crate::prover::{panic_message, MainTrace, ZkProver};
use crate::transcript::{bus_challenges, ComponentCommitment};
use crate::validate::{check_proof_layout, ExpectedShape};
use crate::Hash;
use rayon::prelude::*;
use std::panic::{catch_unwind, AssertUnwindSafe};
use tracing::info_span;
use winter_air::proof::Context;
use winter_crypto::Digest;
use winter_crypto::{DefaultRandomCoin, ElementHasher};
use winter_utils::Serializable;
use winterfell::{AcceptableOptions, Air, Proof, ProofOptions};
use zkevm_air::air::trace_info;
use zkevm_air::bus::{build_aux_columns, claim_of, public_sum};
use zkevm_air::{
    shard_offsets, with_component, Component, ComponentAir, ComponentId, ComponentInputs,
    ComponentTrace, PublicMessage,
};
use zkevm_field::{FieldElement, Goldilocks, Quadratic};

/// Longest trace accepted: 2^26 rows.
pub const MAX_LOG_TRACE_LEN: u8 = 26;
const DIGEST_BYTES: usize = 32;

/// What a verified block proof proves.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct VerifiedBlock {
    pub statement: Vec<u8>,
    pub profile: Profile,
    pub components: Vec<ComponentId>,
    /// The LogUp challenges `(γ, β)` the block transcript gave (every component proof's
    /// public inputs, with its claim).
    pub challenges: (Quadratic, Quadratic),
}

/// What the block prover commits with: winterfell's Merkle trees and Fiat–Shamir coin, and
/// the main-trace roots the block transcript absorbs (as 32-byte digests).
pub trait BlockHasher:
    ElementHasher<BaseField = Goldilocks, Digest = Self::Bytes32> + Send + Sync + 'static
{
    /// The digest (named again so its bounds are implied wherever the hasher is).
    type Bytes32: Digest + Send + Sync;
}

impl<H> BlockHasher for H
where
    H: ElementHasher<BaseField = Goldilocks> + Send + Sync + 'static,
    H::Digest: Send + Sync,
{
    type Bytes32 = H::Digest;
}

/// Whether `H` is the hasher `profile` commits with (Blake3, or for [`Profile::Wrap`] any
/// other: Poseidon over BN254, which only zkevm-recursion names).
fn check_hasher<H: BlockHasher>(profile: Profile) -> Result<(), BlockError> {
    let blake3 = std::any::TypeId::of::<H>() == std::any::TypeId::of::<Hash>();
    if blake3 == profile.commits_with_blake3() {
        Ok(())
    } else {
        Err(BlockError::Hasher(profile.name()))
    }
}

/// Proves `traces` as one block bound to `statement`, with no public bus messages.
pub fn prove_block(
    statement: &[u8],
    traces: Vec<ComponentTrace>,
    profile: Profile,
) -> Result<BlockProof, BlockError> {
    prove_block_inner::<Hash>(statement, &[], traces, profile, None, main_lde_budget())
}

/// Proves `traces` as one block bound to `statement` and to the public bus messages the
/// verifier will derive from it (see [`zkevm_air::bus`]). The messages are not stored in the
/// proof: [`verify_block_for`] takes them from the verifier.
pub fn prove_block_with_public(
    statement: &[u8],
    public: &[PublicMessage],
    traces: Vec<ComponentTrace>,
    profile: Profile,
) -> Result<BlockProof, BlockError> {
    prove_block_inner::<Hash>(statement, public, traces, profile, None, main_lde_budget())
}

/// [`prove_block_with_public`] committing with `H` (the hasher `profile` calls for).
pub fn prove_block_hashed<H: BlockHasher>(
    statement: &[u8],
    public: &[PublicMessage],
    traces: Vec<ComponentTrace>,
    profile: Profile,
) -> Result<BlockProof, BlockError> {
    prove_block_inner::<H>(statement, public, traces, profile, None, main_lde_budget())
}

/// Like [`prove_block`] but with challenges chosen by the caller instead of drawn from the
/// transcript. Such a proof must be rejected; this exists for soundness tests only.
#[doc(hidden)]
pub fn prove_block_with_challenges(
    statement: &[u8],
    traces: Vec<ComponentTrace>,
    profile: Profile,
    gamma: Quadratic,
    beta: Quadratic,
) -> Result<BlockProof, BlockError> {
    prove_block_inner::<Hash>(
        statement,
        &[],
        traces,
        profile,
        Some((gamma, beta)),
        main_lde_budget(),
    )
}

fn prove_block_inner<H: BlockHasher>(
    statement: &[u8],
    public: &[PublicMessage],
    traces: Vec<ComponentTrace>,
    profile: Profile,
    forced: Option<(Quadratic, Quadratic)>,
    main_lde_budget: usize,
) -> Result<BlockProof, BlockError> {
    let _span = info_span!("prove_block", components = traces.len()).entered();
    check_hasher::<H>(profile)?;
    if traces.is_empty() || traces.len() > MAX_COMPONENTS {
        return Err(BlockError::ComponentCount {
            max: MAX_COMPONENTS,
            got: traces.len(),
        });
    }
    for m in public {
        m.check()?;
    }
    let options = profile.options();
    for t in &traces {
        let rows = with_component!(t.id, C => C::default().check_trace(&t.columns))?;
        if rows > 1 << MAX_LOG_TRACE_LEN {
            return Err(BlockError::TooLong {
                component: t.id.name(),
                rows,
                max_log: MAX_LOG_TRACE_LEN as u32,
            });
        }
    }

    let blowup = options.blowup_factor();
    let keep = main_lde_bytes(&traces, blowup) <= main_lde_budget;
    let commit = |t: &ComponentTrace| {
        let main = MainCommitment::build(&t.columns, blowup);
        (main.root(), keep.then_some(main))
    };
    // Dropped LDEs are built one at a time (each build is parallel inside), so that only one
    // is ever in memory.
    let mains: Vec<(H::Digest, Option<MainCommitment<H>>)> = info_span!("commit_main_traces")
        .in_scope(|| {
            if keep {
                traces.par_iter().map(commit).collect()
            } else {
                traces.iter().map(commit).collect()
            }
        });
    let commitments: Vec<ComponentCommitment> = traces
        .iter()
        .zip(&mains)
        .map(|(t, (root, _))| ComponentCommitment {
            id: t.id,
            log_trace_len: t.len().trailing_zeros() as u8,
            main_root: root.as_bytes(),
        })
        .collect();
    let (gamma, beta) = match forced {
        Some(challenges) => challenges,
        None => bus_challenges::<H>(statement, profile.id(), public, &commitments)?,
    };

    let offsets = shard_offsets(traces.iter().map(|t| (t.id, t.len())));
    let proofs: Result<Vec<ComponentProof>, BlockError> = (traces.into_iter())
        .zip(mains)
        .zip(offsets)
        .map(|((t, (_, main)), offset)| prove_one(t, main, gamma, beta, offset, &options))
        .collect();
    Ok(BlockProof {
        profile,
        statement: statement.to_vec(),
        components: proofs?,
    })
}

/// The bytes of the block's main-trace LDEs (rows padded as [`crate::lde::RowMajor`] pads
/// them).
fn main_lde_bytes(traces: &[ComponentTrace], blowup: usize) -> usize {
    let cells: usize = (traces.iter())
        .map(|t| crate::lde::row_stride(t.columns.len()) * t.len())
        .sum();
    cells.saturating_mul(blowup * core::mem::size_of::<Goldilocks>())
}

/// How large the block's main-trace LDEs may be (their bytes, [`main_lde_bytes`]; their
/// polynomials and trees go with them) and still stay in memory from the block commitment,
/// which needs every component's root before the bus challenges exist, until each component
/// is proven: a quarter of the machine's memory ([`MAIN_LDE_SHARE`]). Past it each LDE is
/// dropped once its root is known and rebuilt (the same deterministic LDE, so the same root
/// the transcript committed to) when its component is proven:
/// one more LDE per component, but one component's LDE in memory at a time, which is what
/// lets a block whose Keccak shards alone extend to 9 GiB prove on a 24 GiB machine.
pub fn main_lde_budget() -> usize {
    physical_memory().unwrap_or(FALLBACK_MEMORY) / MAIN_LDE_SHARE
}

/// The share of memory ([`main_lde_budget`]) the kept main LDEs may take: 1/4, leaving the
/// rest for the component being proven (its LDE, its auxiliary segment's, the constraint
/// evaluations and FRI layers: about 1.6 times its main and auxiliary LDEs).
const MAIN_LDE_SHARE: usize = 4;

/// The memory assumed where `/proc/meminfo` cannot be read.
const FALLBACK_MEMORY: usize = 16 << 30;

/// Total physical memory in bytes, from `/proc/meminfo` (Linux).
fn physical_memory() -> Option<usize> {
    let info = std::fs::read_to_string("/proc/meminfo").ok()?;
    let line = info.lines().find(|l| l.starts_with("MemTotal:"))?;
    let kib: usize = line.split_whitespace().nth(1)?.parse().ok()?;
    kib.checked_mul(1024)
}

fn prove_one<H: BlockHasher>(
    trace: ComponentTrace,
    main: Option<MainCommitment<H>>,
    gamma: Quadratic,
    beta: Quadratic,
    offset: u64,
    options: &ProofOptions,
) -> Result<ComponentProof, BlockError> {
    let id = trace.id;
    with_component!(id, C => {
        let _span = info_span!("prove_component", component = C::NAME, rows = trace.len()).entered();
        let component = C::default();
        let aux = info_span!("build_aux_columns")
            .in_scope(|| build_aux_columns(&component, &trace.columns, gamma, beta))?;
        let claim = claim_of(&aux);
        let rows = trace.len();
        let info = trace_info(&component, rows);
        let inputs = ComponentInputs { gamma, beta, claim, offset };
        let prover = ZkProver::<ComponentAir<C>, H>::new(options.clone(), inputs).with_aux(aux);
        let prover = match main {
            Some(main) => prover.with_main(main),
            None => prover,
        };
        let proof = prover
            .prove_trace(MainTrace::new(info, trace.columns))
            .map_err(|message| BlockError::Prove { component: C::NAME, message })?;
        Ok(ComponentProof {
            id,
            log_trace_len: rows.trailing_zeros() as u8,
            claim,
            proof: proof.to_bytes(),
        })
    })
}

/// Verifies a serialized block proof whose profile is one of `accepted`, with no public bus
/// messages.
pub fn verify_block(bytes: &[u8], accepted: &[Profile]) -> Result<VerifiedBlock, BlockError> {
    verify_block_inner::<Hash>(bytes, &[], accepted)
}

/// [`verify_block`], also requiring the proof to be about `statement`, whose public bus
/// messages (derived from the statement by the caller) are `public`.
pub fn verify_block_for(
    bytes: &[u8],
    statement: &[u8],
    public: &[PublicMessage],
    accepted: &[Profile],
) -> Result<VerifiedBlock, BlockError> {
    verify_block_hashed::<Hash>(bytes, statement, public, accepted)
}

/// [`verify_block_for`] for proofs committed with `H` (the hasher their profile calls for).
pub fn verify_block_hashed<H: BlockHasher>(
    bytes: &[u8],
    statement: &[u8],
    public: &[PublicMessage],
    accepted: &[Profile],
) -> Result<VerifiedBlock, BlockError> {
    let verified = verify_block_inner::<H>(bytes, public, accepted)?;
    if verified.statement != statement {
        return Err(BlockError::StatementMismatch);
    }
    Ok(verified)
}

fn verify_block_inner<H: BlockHasher>(
    bytes: &[u8],
    public: &[PublicMessage],
    accepted: &[Profile],
) -> Result<VerifiedBlock, BlockError> {
    let _span = info_span!("verify_block", bytes = bytes.len()).entered();
    let block = BlockProof::from_bytes(bytes)?;
    if !accepted.contains(&block.profile) {
        return Err(BlockError::ProfileNotAccepted(block.profile.name()));
    }
    check_hasher::<H>(block.profile)?;
    let options = block.profile.options();

    let mut commitments = Vec::with_capacity(block.components.len());
    for (index, c) in block.components.iter().enumerate() {
        let root = with_component!(c.id, C => check_component::<C>(index, c, &options))?;
        commitments.push(ComponentCommitment {
            id: c.id,
            log_trace_len: c.log_trace_len,
            main_root: root,
        });
    }
    let (gamma, beta) =
        bus_challenges::<H>(&block.statement, block.profile.id(), public, &commitments)?;

    let total = block
        .components
        .iter()
        .fold(public_sum(public, gamma, beta)?, |sum, c| sum + c.claim);
    if total != Quadratic::ZERO {
        return Err(BlockError::Unbalanced(format!("{total}")));
    }

    let offsets = shard_offsets(
        block
            .components
            .iter()
            .map(|c| (c.id, 1 << c.log_trace_len)),
    );
    block
        .components
        .par_iter()
        .zip(offsets)
        .enumerate()
        .map(|(index, (c, offset))| {
            let inputs = ComponentInputs {
                gamma,
                beta,
                claim: c.claim,
                offset,
            };
            with_component!(c.id, C => verify_component::<C, H>(index, c, inputs, &options))
        })
        // Every component is checked, and the first rejected one in block order is reported:
        // a parallel short-circuit would name whichever thread failed first, a different
        // component from run to run.
        .collect::<Vec<Result<(), BlockError>>>()
        .into_iter()
        .collect::<Result<Vec<()>, BlockError>>()?;

    Ok(VerifiedBlock {
        statement: block.statement,
        profile: block.profile,
        components: block.components.iter().map(|c| c.id).collect(),
        challenges: (gamma, beta),
    })
}

/// The serialized winterfell context a proof of `C` with `rows` rows must start with.
fn expected_context<C: Component>(rows: usize, options: &ProofOptions) -> Vec<u8> {
    let component = C::default();
    let dummy = ComponentInputs {
        gamma: Quadratic::ZERO,
        beta: Quadratic::ZERO,
        claim: Quadratic::ZERO,
        offset: 0,
    };
    let air = ComponentAir::<C>::new(trace_info(&component, rows), dummy, options.clone());
    let constraints = air.context().num_assertions() + air.context().num_transition_constraints();
    Context::new::<Goldilocks>(air.trace_info().clone(), options.clone(), constraints).to_bytes()
}

/// Checks a component proof's shape and returns its main-trace root.
fn check_component<C: Component>(
    index: usize,
    c: &ComponentProof,
    options: &ProofOptions,
) -> Result<[u8; 32], BlockError> {
    let malformed = |reason: String| BlockError::MalformedComponent {
        index,
        component: C::NAME,
        reason,
    };
    let log = c.log_trace_len;
    if !(3..=MAX_LOG_TRACE_LEN).contains(&log) {
        return Err(malformed(format!("trace length 2^{log} out of range")));
    }
    let rows = 1usize << log;
    if C::FIXED_LENGTH.is_some_and(|fixed| fixed != rows) {
        return Err(malformed(format!(
            "trace length 2^{log} is not this component's"
        )));
    }
    let context = expected_context::<C>(rows, options);
    let segments = if zkevm_air::bus::aux_width(&C::default()) > 0 {
        2
    } else {
        1
    };
    let shape = ExpectedShape {
        context: &context,
        trace_segments: segments,
        num_queries: options.num_queries(),
        fri_layers: options
            .to_fri_options()
            .num_fri_layers(rows * options.blowup_factor()),
        digest_bytes: DIGEST_BYTES,
    };
    check_proof_layout(&c.proof, &shape).map_err(malformed)?;
    // After the context: unique-query count (u8), commitments length (u16), then the main root.
    let start = context.len() + 3;
    let mut root = [0u8; 32];
    root.copy_from_slice(&c.proof[start..start + 32]);
    Ok(root)
}

fn verify_component<C: Component, H: BlockHasher>(
    index: usize,
    c: &ComponentProof,
    inputs: ComponentInputs,
    options: &ProofOptions,
) -> Result<(), BlockError> {
    let rejected = |reason: String| BlockError::Rejected {
        index,
        component: C::NAME,
        reason,
    };
    let outcome = catch_unwind(AssertUnwindSafe(|| -> Result<(), String> {
        let proof = Proof::from_bytes(&c.proof).map_err(|e| format!("parsing: {e}"))?;
        let acceptable = AcceptableOptions::OptionSet(vec![options.clone()]);
        winterfell::verify::<ComponentAir<C>, H, DefaultRandomCoin<H>, MerkleVc<H>>(
            proof,
            inputs,
            &acceptable,
        )
        .map_err(|e| e.to_string())
    }));
    match outcome {
        Ok(result) => result.map_err(rejected),
        Err(payload) => Err(rejected(panic_message(&payload))),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use zkevm_air::examples::example_block;

    #[test]
    fn rebuilding_the_main_ldes_gives_the_same_proof() {
        let words: Vec<u32> = (0..40u32).map(|i| i.wrapping_mul(0x9e37_79b9)).collect();
        let prove = |budget: usize| {
            prove_block_inner::<Hash>(
                b"ldes",
                &[],
                example_block(&words),
                Profile::FastTest,
                None,
                budget,
            )
            .expect("proving")
            .to_bytes()
        };
        // The rebuilt LDE is the one the block transcript committed to, and a proof depends
        // on nothing else (the proof-of-work nonce is the smallest, not the first a thread
        // finds): the same roots and the same bytes.
        let options = Profile::FastTest.options();
        let roots = |bytes: &[u8]| -> Vec<[u8; 32]> {
            let block = BlockProof::from_bytes(bytes).expect("parsing");
            (block.components.iter().enumerate())
                .map(|(i, c)| with_component!(c.id, C => check_component::<C>(i, c, &options)))
                .collect::<Result<_, _>>()
                .expect("shapes")
        };
        let (kept, rebuilt) = (prove(usize::MAX), prove(0));
        assert_eq!(roots(&kept), roots(&rebuilt));
        assert!(kept == rebuilt, "the same block proves to the same bytes");
        for proof in [kept, rebuilt] {
            verify_block(&proof, &[Profile::FastTest]).expect("both verify");
        }
    }
}
