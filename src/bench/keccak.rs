//! Keccak-f\[1600\] permutations proven by our Keccak component (with its AND table, through
//! our block prover) and by Plonky3's `p3-keccak-air` with its uni-stark prover (Goldilocks,
//! Blake3 Merkle trees), on the same inputs.

use p3_challenger::{HashChallenger, SerializingChallenger64};
use p3_commit::ExtensionMmcs;
use p3_dft::Radix2DitParallel;
use p3_field::extension::BinomialExtensionField;
use p3_fri::{FriParameters, TwoAdicFriPcs};
use p3_merkle_tree::MerkleTreeMmcs;
use p3_symmetric::{CompressionFunctionFromHasher, SerializingHasher};
use std::time::{Duration, Instant};
use zkevm_air::keccak::{self, LANES, ROWS_PER_PERMUTATION};
use zkevm_air::Component;
use zkevm_prover::Profile;

/// Deterministic pseudo-random states (SplitMix64), the same for every prover.
pub fn inputs(count: usize, seed: u64) -> Vec<[u64; LANES]> {
    let mut s = seed;
    let mut next = move || {
        s = s.wrapping_add(0x9e37_79b9_7f4a_7c15);
        let mut z = s;
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        z ^ (z >> 31)
    };
    (0..count)
        .map(|_| core::array::from_fn(|_| next()))
        .collect()
}

/// One proof's figures.
#[derive(Debug, Clone)]
pub struct Run {
    /// Trace generation and proving (verification excluded).
    pub time: Duration,
    pub proof_bytes: usize,
    /// Committed cells (main, plus auxiliary columns at two base cells each) per permutation,
    /// from the layout, without padding or shared tables.
    pub cells_per_permutation: usize,
    /// Every committed cell of the proof, padding and tables included, per permutation.
    pub trace_cells_per_permutation: usize,
    pub conjectured_security_bits: u32,
}

/// Proves `inputs` with our Keccak component in `profile`, then verifies the proof (untimed).
pub fn prove_ours(inputs: &[[u64; LANES]], profile: Profile) -> Result<Run, String> {
    // Start without the buffers an earlier run left in our pool, as the peer does.
    zkevm_prover::pool::clear();
    let start = Instant::now();
    let (traces, outputs) = keccak::permutation_block(inputs);
    let public = keccak::public_messages(inputs, &outputs);
    let cells: usize = traces
        .iter()
        .map(|t| {
            let aux =
                zkevm_air::with_component!(t.id, C => zkevm_air::bus::aux_width(&C::default()));
            (t.columns.len() + 2 * aux) * t.len()
        })
        .sum();
    let proof = zkevm_prover::prove_block_with_public(b"keccak bench", &public, traces, profile)
        .map_err(|e| e.to_string())?;
    let time = start.elapsed();
    let bytes = proof.to_bytes();
    let verified = zkevm_prover::verify_block_for(&bytes, b"keccak bench", &public, &[profile])
        .map_err(|e| format!("our proof does not verify: {e}"))?;
    keccak::check_permutation_components(&verified.components)?;
    let aux = zkevm_air::bus::aux_width(&keccak::Keccak);
    Ok(Run {
        time,
        proof_bytes: bytes.len(),
        cells_per_permutation: (keccak::Keccak.width() + 2 * aux) * ROWS_PER_PERMUTATION,
        trace_cells_per_permutation: cells / inputs.len().max(1),
        conjectured_security_bits: profile.conjectured_security_bits(),
    })
}

type Val = p3_goldilocks::Goldilocks;
type Challenge = BinomialExtensionField<Val, 2>;
type FieldHash = SerializingHasher<p3_blake3::Blake3>;
type Compress = CompressionFunctionFromHasher<p3_blake3::Blake3, 2, 32>;
type ValMmcs = MerkleTreeMmcs<Val, u8, FieldHash, Compress, 2, 32>;
type ChallengeMmcs = ExtensionMmcs<Val, Challenge, ValMmcs>;
type Pcs = TwoAdicFriPcs<Val, Radix2DitParallel<Val>, ValMmcs, ChallengeMmcs>;
type Challenger = SerializingChallenger64<Val, HashChallenger<u8, p3_blake3::Blake3, 32>>;
type Config = p3_uni_stark::StarkConfig<Pcs, Challenge, Challenger>;

/// Plonky3's FRI settings for a comparison: blowup `2^log_blowup`, folding up to arity 8 and a
/// remainder of 32 coefficients like ours, queries and query grinding as given.
fn plonky3_config(log_blowup: usize, queries: usize, grinding: usize) -> Config {
    let hash = FieldHash::new(p3_blake3::Blake3);
    let compress = Compress::new(p3_blake3::Blake3);
    let val_mmcs = ValMmcs::new(hash, compress, 0);
    let fri = FriParameters {
        log_blowup,
        log_final_poly_len: 5,
        max_log_arity: 3,
        num_queries: queries,
        batch_proof_of_work_bits: 0,
        commit_proof_of_work_bits: 0,
        query_proof_of_work_bits: grinding,
        mmcs: ChallengeMmcs::new(val_mmcs.clone()),
    };
    let pcs = Pcs::new(Radix2DitParallel::default(), val_mmcs, fri);
    Config::new(pcs, Challenger::from_hasher(vec![], p3_blake3::Blake3))
}

/// Conjectured security of FRI with these parameters by the formula our profiles use
/// (winterfell's, with our field and Blake3), so both sides of a comparison are scored alike.
pub fn conjectured_security_bits(log_blowup: usize, queries: usize, grinding: usize) -> u32 {
    let options = winterfell::ProofOptions::new(
        queries,
        1 << log_blowup,
        grinding as u32,
        winterfell::FieldExtension::Quadratic,
        8,
        31,
        winterfell::BatchingMethod::Linear,
        winterfell::BatchingMethod::Linear,
    );
    zkevm_prover::options::conjectured_security_bits(&options)
}

/// The fewest queries that reach `bits` at blowup `2^log_blowup` with `grinding` bits.
pub fn queries_for(bits: u32, log_blowup: usize, grinding: usize) -> usize {
    (1..=255)
        .find(|&q| conjectured_security_bits(log_blowup, q, grinding) >= bits)
        .unwrap_or(255)
}

/// Proves `inputs` with Plonky3's Keccak AIR at blowup `2^log_blowup` with `queries` queries
/// and `grinding` bits, then verifies.
pub fn prove_plonky3(
    inputs: &[[u64; LANES]],
    log_blowup: usize,
    queries: usize,
    grinding: usize,
) -> Result<Run, String> {
    let config = plonky3_config(log_blowup, queries, grinding);
    let air = p3_keccak_air::KeccakAir {};
    let start = Instant::now();
    let trace = p3_keccak_air::generate_trace_rows::<Val>(inputs.to_vec(), log_blowup);
    let rows = trace.values.len() / p3_keccak_air::NUM_KECCAK_COLS;
    let proof = p3_uni_stark::prove(&config, &air, trace, &[]).map_err(|e| format!("{e:?}"))?;
    let time = start.elapsed();
    p3_uni_stark::verify(&config, &air, &proof, &[])
        .map_err(|e| format!("Plonky3's proof does not verify: {e:?}"))?;
    let bytes = postcard::to_allocvec(&proof).map_err(|e| e.to_string())?;
    Ok(Run {
        time,
        proof_bytes: bytes.len(),
        cells_per_permutation: p3_keccak_air::NUM_KECCAK_COLS * p3_keccak_air::NUM_ROUNDS,
        trace_cells_per_permutation: p3_keccak_air::NUM_KECCAK_COLS * rows / inputs.len().max(1),
        conjectured_security_bits: conjectured_security_bits(log_blowup, queries, grinding),
    })
}
