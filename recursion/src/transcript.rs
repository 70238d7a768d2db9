//! The Fiat–Shamir transcript that picks a proof's query positions, natively and in-circuit.
//!
//! winterfell's coin over [`PoseidonBn254`] keeps a seed digest: it starts as the hash of the
//! proof context and the public inputs, every reseed `d` makes it `merge(seed, d)` (the main
//! trace root, the auxiliary root if any, the composition root, the hash of the out-of-domain
//! evaluations, then each FRI layer root), and draws in between never touch it. The query
//! positions depend on nothing else: with the prover's nonce, `g = merge_with_int(seed, nonce)`
//! must end in `grinding` zero bits, and position `k` (1-based) is the low `log₂ n` bits of
//! `merge_with_int(g, k)` (the first eight bytes of its little-endian digest, masked). The
//! verifier then sorts and deduplicates them; a circuit may instead check every drawn position.

use crate::circuit::hash2_var;
use crate::goldilocks::{enforce_range, GoldilocksVar, QuadraticVar};
use crate::hasher::{merge_with_int_tag, Bn254Digest};
use crate::poseidon::sponge_values;
use crate::PoseidonBn254;
use ark_bn254::Fr;
use ark_r1cs_std::fields::fp::FpVar;
use ark_r1cs_std::prelude::*;
use ark_relations::gr1cs::SynthesisError;
use winter_crypto::{Digest, ElementHasher, Hasher};
use winterfell::math::ToElements;
use winterfell::{Air, Proof};
use zkevm_field::{Goldilocks, Quadratic, StarkField};

/// What a proof's query positions are drawn from.
#[derive(Debug, Clone)]
pub struct Transcript {
    /// The initial seed's preimage: the proof context (its first `context_len` elements), then
    /// the public inputs.
    pub seed_elements: Vec<Goldilocks>,
    pub context_len: usize,
    /// Every reseed, in order.
    pub reseeds: Vec<Bn254Digest>,
    pub nonce: u64,
    pub draw: QueryDraw,
}

/// How query positions are drawn: how many, from a domain of how many bits, after how many
/// bits of proof of work.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct QueryDraw {
    pub num_queries: usize,
    /// log₂ of the LDE domain size.
    pub log_domain: u32,
    pub grinding: u32,
}

/// Reads the transcript of `proof` (made for `A` with `inputs`, extension degree 2).
pub fn transcript_of<A>(proof: &Proof, inputs: A::PublicInputs) -> Result<Transcript, String>
where
    A: Air<BaseField = Goldilocks>,
    A::PublicInputs: Clone,
{
    let options = proof.options().clone();
    if options.field_extension() != winterfell::FieldExtension::Quadratic {
        return Err("only proofs over the quadratic extension are read".into());
    }
    if proof.context.field_modulus_bytes() != Goldilocks::get_modulus_le_bytes() {
        return Err("a proof over another field".into());
    }
    // Sizes winterfell would assert on (or overflow) when building the AIR.
    let lde_domain = (proof.trace_info().length())
        .checked_mul(options.blowup_factor())
        .filter(|&n| n.is_power_of_two() && n <= 1 << 32)
        .ok_or("an LDE domain beyond 2³² rows")?;
    if options.num_queries() >= lde_domain {
        return Err("more queries than LDE rows".into());
    }
    // Building the AIR and parsing the frames assert on malformed proofs: refuse, not panic.
    let parsed = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
        parse_parts::<A>(proof, inputs.clone(), &options, lde_domain)
    }))
    .map_err(|_| "a malformed proof (its shape does not fit the AIR)".to_string())?;
    let reseeds = parsed?;
    let mut seed_elements = proof.context.to_elements();
    let context_len = seed_elements.len();
    seed_elements.extend(inputs.to_elements());
    Ok(Transcript {
        seed_elements,
        context_len,
        reseeds,
        nonce: proof.pow_nonce,
        draw: QueryDraw {
            num_queries: options.num_queries(),
            log_domain: lde_domain.ilog2(),
            grinding: options.grinding_factor(),
        },
    })
}

/// The reseeds of `proof`, in order.
fn parse_parts<A>(
    proof: &Proof,
    inputs: A::PublicInputs,
    options: &winterfell::ProofOptions,
    lde_domain: usize,
) -> Result<Vec<Bn254Digest>, String>
where
    A: Air<BaseField = Goldilocks>,
{
    let air = A::new(proof.trace_info().clone(), inputs, options.clone());
    let fri_layers = options.to_fri_options().num_fri_layers(lde_domain);
    let segments = air.trace_info().num_segments();
    let (trace_roots, constraint_root, fri_roots) = (proof.commitments.clone())
        .parse::<PoseidonBn254>(segments, fri_layers)
        .map_err(|e| e.to_string())?;
    let (trace_frame, quotient_frame) = (proof.ood_frame.clone())
        .parse::<Quadratic>(
            air.trace_info().main_trace_width(),
            air.trace_info().aux_segment_width(),
            air.context().num_constraint_composition_columns(),
        )
        .map_err(|e| e.to_string())?;
    // Current rows (trace, then quotients), then next rows, as the verifier hashes them.
    let mut ood = trace_frame.current_row().to_vec();
    ood.extend_from_slice(quotient_frame.current_row());
    ood.extend_from_slice(trace_frame.next_row());
    ood.extend_from_slice(quotient_frame.next_row());
    let mut reseeds = trace_roots;
    reseeds.push(constraint_root);
    reseeds.push(PoseidonBn254::hash_elements(&ood));
    reseeds.extend(fri_roots);
    Ok(reseeds)
}

impl Transcript {
    /// The seed after every reseed.
    fn final_seed(&self) -> Bn254Digest {
        let start = PoseidonBn254::hash_elements(&self.seed_elements);
        self.reseeds
            .iter()
            .fold(start, |seed, d| PoseidonBn254::merge(&[seed, *d]))
    }

    /// The drawn positions, in draw order (duplicates kept), or `None` if the nonce's proof of
    /// work falls short.
    pub fn positions(&self) -> Option<Vec<usize>> {
        let g = PoseidonBn254::merge_with_int(self.final_seed(), self.nonce);
        let low =
            |d: Bn254Digest| u64::from_le_bytes(d.as_bytes()[..8].try_into().unwrap_or([0; 8]));
        if low(g).trailing_zeros() < self.draw.grinding {
            return None;
        }
        let mask = 1u64.checked_shl(self.draw.log_domain)? - 1;
        Some(
            (1..=self.draw.num_queries as u64)
                .map(|k| (low(PoseidonBn254::merge_with_int(g, k)) & mask) as usize)
                .collect(),
        )
    }
}

/// `merge_with_int` on circuit variables (`value` must already be below 2⁶⁴).
pub fn merge_with_int_var(
    seed: &FpVar<Fr>,
    value: &FpVar<Fr>,
) -> Result<FpVar<Fr>, SynthesisError> {
    sponge_values(
        FpVar::constant(merge_with_int_tag()),
        FpVar::zero(),
        [seed.clone(), value.clone()],
    )
}

/// In the circuit: from the initial seed digest, the reseeds and the nonce (proven below 2⁶⁴
/// here), the grinding check and the bits (least significant first) of every drawn
/// position.
pub fn positions_var(
    seed: &FpVar<Fr>,
    reseeds: &[FpVar<Fr>],
    nonce: &FpVar<Fr>,
    draw: QueryDraw,
) -> Result<Vec<Vec<Boolean<Fr>>>, SynthesisError> {
    // Positions and the proof of work read the digest's low 64 bits.
    if draw.grinding > 64 || draw.log_domain > 63 {
        return Err(SynthesisError::Unsatisfiable);
    }
    enforce_range(nonce, 64)?;
    let mut s = seed.clone();
    for d in reseeds {
        s = hash2_var(&s, d)?;
    }
    let g = merge_with_int_var(&s, nonce)?;
    // The canonical bits of the digest (to_bits_le proves them below the modulus, so they are
    // the digest's own).
    if draw.grinding > 0 {
        let g_bits = g.to_bits_le()?;
        for bit in &g_bits[..draw.grinding as usize] {
            bit.enforce_equal(&Boolean::FALSE)?;
        }
    }
    (1..=draw.num_queries as u64)
        .map(|k| {
            let v = merge_with_int_var(&g, &FpVar::constant(Fr::from(k)))?;
            let bits = v.to_bits_le()?;
            Ok(bits[..draw.log_domain as usize].to_vec())
        })
        .collect()
}

/// winterfell's random coin in the circuit: a seed digest and a draw counter.
pub struct CoinVar {
    pub seed: FpVar<Fr>,
    counter: u64,
}

impl CoinVar {
    /// The coin seeded with the digest of the proof context and the public inputs.
    pub fn new(seed: FpVar<Fr>) -> Self {
        CoinVar { seed, counter: 0 }
    }

    /// `seed ← merge(seed, digest)`, restarting the draws.
    pub fn reseed(&mut self, digest: &FpVar<Fr>) -> Result<(), SynthesisError> {
        self.seed = hash2_var(&self.seed, digest)?;
        self.counter = 0;
        Ok(())
    }

    /// The next extension element: the first 16 bytes of `merge_with_int(seed, counter)` as
    /// two little-endian words, each proven canonical. The native coin would draw again when a
    /// word is not below p (probability ≈ 2⁻³¹); the circuit has no such retry, so such a
    /// proof (never a false one) is refused.
    pub fn draw(&mut self) -> Result<QuadraticVar, SynthesisError> {
        self.counter += 1;
        let digest = merge_with_int_var(&self.seed, &FpVar::constant(Fr::from(self.counter)))?;
        let bits = digest.to_bits_le()?;
        Ok(QuadraticVar([
            GoldilocksVar::from_bits_le(&bits[..64])?,
            GoldilocksVar::from_bits_le(&bits[64..128])?,
        ]))
    }
}
