//! The Fiat–Shamir channel of one component proof: what the prover sends (commitments, the
//! out-of-domain frame, the proof-of-work nonce) and the challenges it draws, in the order
//! winterfell's verifier replays them. It is our own because winterfell keeps its prover's
//! channel private, and we run the prove loop ourselves ([`crate::protocol`]).
//!
//! The order, which the verifier fixes: the coin is seeded with the proof context and the
//! public inputs; each trace segment's root reseeds it (the auxiliary segment's challenges are
//! drawn between the two); then the constraint composition coefficients are drawn, the
//! composition root reseeds, the out-of-domain point is drawn, the hash of the out-of-domain
//! frame (all values at z, then all at z·g) reseeds, the DEEP coefficients are drawn, each FRI
//! layer's root reseeds before its folding challenge, the FRI remainder's commitment reseeds
//! (winterfell's `FriProver` drives those through [`winter_fri::ProverChannel`]), and the query
//! positions come from the coin after grinding.

use rayon::prelude::*;
use std::marker::PhantomData;
use winter_air::proof::{
    merge_ood_evaluations, Commitments, Context, OodFrame, Queries, QuotientOodFrame, TraceOodFrame,
};
use winter_crypto::{ElementHasher, RandomCoin};
use winter_math::ToElements;
use winterfell::{Air, ConstraintCompositionCoefficients, DeepCompositionCoefficients, Proof};
use zkevm_field::{FieldElement, Goldilocks};

/// The prover's side of the transcript for `A`'s proof over `E`, hashing with `H`, drawing
/// from `R`.
pub struct ProofChannel<'a, A, E, H, R>
where
    A: Air<BaseField = Goldilocks>,
    E: FieldElement<BaseField = Goldilocks>,
    H: ElementHasher<BaseField = Goldilocks>,
    R: RandomCoin<BaseField = Goldilocks, Hasher = H>,
{
    air: &'a A,
    coin: R,
    context: Context,
    commitments: Commitments,
    ood_frame: OodFrame,
    pow_nonce: u64,
    field: PhantomData<E>,
}

impl<'a, A, E, H, R> ProofChannel<'a, A, E, H, R>
where
    A: Air<BaseField = Goldilocks>,
    E: FieldElement<BaseField = Goldilocks>,
    H: ElementHasher<BaseField = Goldilocks>,
    R: RandomCoin<BaseField = Goldilocks, Hasher = H>,
{
    /// The channel of a proof of `air` with these public inputs: the coin starts from the
    /// proof context (trace shape, options, constraint count) followed by the inputs.
    pub fn new(air: &'a A, public_inputs: Vec<Goldilocks>) -> Self {
        let constraints =
            air.context().num_assertions() + air.context().num_transition_constraints();
        let context = Context::new::<Goldilocks>(
            air.trace_info().clone(),
            air.options().clone(),
            constraints,
        );
        let mut seed = context.to_elements();
        seed.extend(public_inputs);
        Self {
            air,
            coin: R::new(&seed),
            context,
            commitments: Commitments::default(),
            ood_frame: OodFrame::default(),
            pow_nonce: 0,
            field: PhantomData,
        }
    }

    /// Sends a commitment (a trace segment's or the composition polynomial's root).
    pub fn commit(&mut self, root: H::Digest) {
        self.commitments.add::<H>(&root);
        self.coin.reseed(root);
    }

    /// The coin, for challenges the AIR draws itself (the auxiliary segment's).
    pub fn coin(&mut self) -> &mut R {
        &mut self.coin
    }

    pub fn constraint_composition_coefficients(&mut self) -> ConstraintCompositionCoefficients<E> {
        self.air
            .get_constraint_composition_coefficients(&mut self.coin)
            .expect("the coin yields the constraint composition coefficients")
    }

    pub fn out_of_domain_point(&mut self) -> E {
        self.coin
            .draw()
            .expect("the coin yields the out-of-domain point")
    }

    /// Sends the out-of-domain frame; the coin is reseeded with its hash.
    pub fn send_out_of_domain_frame(
        &mut self,
        trace: &TraceOodFrame<E>,
        quotient: &QuotientOodFrame<E>,
    ) {
        self.ood_frame.set_trace_states::<E>(trace);
        self.ood_frame.set_quotient_states::<E>(quotient);
        let digest = H::hash_elements(&merge_ood_evaluations(trace, quotient));
        self.coin.reseed(digest);
    }

    pub fn deep_coefficients(&mut self) -> DeepCompositionCoefficients<E> {
        self.air
            .get_deep_composition_coefficients(&mut self.coin)
            .expect("the coin yields the DEEP coefficients")
    }

    /// Finds the proof-of-work nonce ([`smallest_nonce`] for the options' grinding bits).
    pub fn grind(&mut self) {
        self.pow_nonce = smallest_nonce(&self.coin, self.context.options().grinding_factor());
    }

    /// The distinct query positions in the LDE domain, ascending.
    pub fn query_positions(&mut self) -> Vec<usize> {
        let mut positions = self
            .coin
            .draw_integers(
                self.context.options().num_queries(),
                self.context.lde_domain_size(),
                self.pow_nonce,
            )
            .expect("the coin yields the query positions");
        positions.sort_unstable();
        positions.dedup();
        positions
    }

    /// The proof: everything sent, with the openings at the query positions.
    pub fn into_proof(
        self,
        trace_queries: Vec<Queries>,
        constraint_queries: Queries,
        fri_proof: winter_fri::FriProof,
        unique_queries: usize,
    ) -> Proof {
        Proof {
            context: self.context,
            num_unique_queries: u8::try_from(unique_queries)
                .expect("at most 255 queries (checked by the proof options)"),
            commitments: self.commitments,
            trace_queries,
            constraint_queries,
            ood_frame: self.ood_frame,
            fri_proof,
            pow_nonce: self.pow_nonce,
        }
    }
}

/// The smallest nonce ≥ 1 after which `coin`'s seed has `bits` leading zeros. The smallest,
/// not the first any thread finds (winterfell's `find_any`), so a proof does not depend on
/// scheduling; on average both take the same work. The nonces are searched window after
/// window, each split over the threads: `find_first` over the whole range would split it into
/// a few huge pieces, of which only the thread holding the first could ever finish.
///
/// # Panics
/// If no nonce below 2^64 has the zeros (about 2^64 hashes away for any sensible `bits`).
pub fn smallest_nonce<R: RandomCoin>(coin: &R, bits: u32) -> u64 {
    /// Nonces per window: a quarter of the tries 16 bits take on average.
    const WINDOW: u64 = 1 << 14;
    let mut start = 1u64;
    loop {
        let end = start.saturating_add(WINDOW);
        let found = (start..end)
            .into_par_iter()
            .find_first(|&nonce| coin.check_leading_zeros(nonce) >= bits);
        if let Some(nonce) = found {
            return nonce;
        }
        assert!(end < u64::MAX, "no nonce has {bits} leading zeros");
        start = end;
    }
}

impl<A, E, H, R> winter_fri::ProverChannel<E> for ProofChannel<'_, A, E, H, R>
where
    A: Air<BaseField = Goldilocks>,
    E: FieldElement<BaseField = Goldilocks>,
    H: ElementHasher<BaseField = Goldilocks>,
    R: RandomCoin<BaseField = Goldilocks, Hasher = H>,
{
    type Hasher = H;

    fn commit_fri_layer(&mut self, root: H::Digest) {
        self.commit(root);
    }

    fn draw_fri_alpha(&mut self) -> E {
        self.coin
            .draw()
            .expect("the coin yields the FRI folding challenge")
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::Coin;

    /// The parallel search finds what a sequential one finds: the first nonce with the zeros,
    /// in the first window and past it (16 bits take about 2^16 tries, four windows).
    #[test]
    fn the_nonce_is_the_smallest_that_grinds() {
        for seed in 0..3u64 {
            let coin = Coin::new(&[Goldilocks::new(seed), Goldilocks::new(7)]);
            for bits in [0, 4, 12, 16] {
                let sequential = (1u64..)
                    .find(|&nonce| coin.check_leading_zeros(nonce) >= bits)
                    .expect("a nonce");
                assert_eq!(
                    smallest_nonce(&coin, bits),
                    sequential,
                    "seed {seed}, {bits} bits"
                );
            }
        }
    }
}
