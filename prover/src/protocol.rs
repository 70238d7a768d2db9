//! The prove loop of one component proof: winterfell's protocol step by step, run by us so
//! that the out-of-domain frame and the DEEP composition polynomial are ours ([`crate::deep`]).
//! The commitments, the constraint evaluation and FRI are the prover's and winterfell's parts
//! as before, and the proof is the one winterfell's verifier checks.
//!
//! Steps, each in a span named as winterfell's: commit to the main trace; draw the
//! auxiliary challenges, build and commit to the auxiliary segment; evaluate the constraints;
//! commit to the composition polynomial; out-of-domain frame and DEEP polynomial; its LDE; FRI
//! layers; proof of work and query positions; openings.

use crate::channel::ProofChannel;
use crate::deep::{evaluate_over_lde, Polynomials};
use tracing::info_span;
use winter_fri::FriProver;
use winter_math::ToElements;
use winter_prover::ConstraintCommitment;
use winterfell::{
    Air, ConstraintEvaluator, Proof, Prover, ProverError, StarkDomain, Trace, TraceLde,
};
use zkevm_field::{FieldElement, Goldilocks};

/// Proves `trace` with `prover`'s parts over the extension `E`.
pub fn prove<P, E>(prover: &P, trace: P::Trace) -> Result<Proof, ProverError>
where
    P: Prover<BaseField = Goldilocks>,
    E: FieldElement<BaseField = Goldilocks>,
{
    let public_inputs = prover.get_pub_inputs(&trace);
    let public_elements = public_inputs.to_elements();
    let air = P::Air::new(
        trace.info().clone(),
        public_inputs,
        prover.options().clone(),
    );
    let mut channel =
        ProofChannel::<P::Air, E, P::HashFn, P::RandomCoin>::new(&air, public_elements);
    let domain = info_span!("build_domain").in_scope(|| StarkDomain::new(&air));

    let (mut trace_lde, mut trace_polys) =
        info_span!("commit_to_main_trace_segment").in_scope(|| {
            let (lde, polys) = prover.new_trace_lde::<E>(
                trace.info(),
                trace.main_segment(),
                &domain,
                prover.options().partition_options(),
            );
            channel.commit(lde.get_main_trace_commitment());
            (lde, polys)
        });

    let aux_rand_elements = if air.trace_info().is_multi_segment() {
        let challenges = air
            .get_aux_rand_elements(channel.coin())
            .expect("the coin yields the auxiliary segment's challenges");
        let aux_trace = prover.build_aux_trace(&trace, &challenges);
        let _span = info_span!("commit_to_aux_trace_segment").entered();
        let (polys, root) = trace_lde.set_aux_trace(&aux_trace, &domain);
        channel.commit(root);
        trace_polys.add_aux_segment(polys);
        Some(challenges)
    } else {
        None
    };
    drop(trace);

    let composition_coefficients = channel.constraint_composition_coefficients();
    let composition_trace = prover
        .new_evaluator(&air, aux_rand_elements, composition_coefficients)
        .evaluate(&trace_lde, &domain);
    assert_eq!(
        composition_trace.num_rows(),
        air.ce_domain_size(),
        "the evaluator covers the constraint domain"
    );

    let (constraint_commitment, composition_poly) = info_span!("commit_to_constraint_evaluations")
        .in_scope(|| {
            let (commitment, poly) = prover.build_constraint_commitment::<E>(
                composition_trace,
                air.context().num_constraint_composition_columns(),
                &domain,
                prover.options().partition_options(),
            );
            channel.commit(commitment.commitment());
            (commitment, poly)
        });

    let deep = info_span!("build_deep_composition_poly").in_scope(|| {
        let polynomials = Polynomials::new(&trace_polys, &composition_poly);
        let z = channel.out_of_domain_point();
        let (trace_frame, quotient_frame) =
            info_span!("out_of_domain_frame").in_scope(|| polynomials.out_of_domain_frame(z));
        channel.send_out_of_domain_frame(&trace_frame, &quotient_frame);
        let coefficients = channel.deep_coefficients();
        polynomials.deep_composition(z, &coefficients, (&trace_frame, &quotient_frame))
    });
    drop((trace_polys, composition_poly));

    let deep_evaluations = info_span!("evaluate_deep_composition_poly")
        .in_scope(|| evaluate_over_lde(&deep, domain.trace_to_lde_blowup(), domain.offset()));
    drop(deep);

    let fri_options = air.options().to_fri_options();
    let mut fri = FriProver::<E, _, P::HashFn, P::VC>::new(fri_options);
    info_span!("compute_fri_layers").in_scope(|| fri.build_layers(&mut channel, deep_evaluations));

    let positions = info_span!("determine_query_positions").in_scope(|| {
        channel.grind();
        channel.query_positions()
    });

    let _span = info_span!("build_proof_object").entered();
    let fri_proof = fri.build_proof(&positions);
    let trace_queries = trace_lde.query(&positions);
    let constraint_queries = constraint_commitment.query(&positions);
    Ok(channel.into_proof(
        trace_queries,
        constraint_queries,
        fri_proof,
        positions.len(),
    ))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::composition::ZkConstraintCommitment;
    use crate::evaluator::ZkConstraintEvaluator;
    use crate::lde::ZkTraceLde;
    use crate::merkle::MerkleVc;
    use crate::prover::{MainTrace, ZkProver};
    use crate::{Coin, Hash, Profile};
    use winter_crypto::DefaultRandomCoin;
    use winter_utils::Serializable;
    use winterfell::matrix::ColMatrix;
    use winterfell::{
        AcceptableOptions, AuxRandElements, CompositionPoly, CompositionPolyTrace,
        ConstraintCompositionCoefficients, PartitionOptions, ProofOptions, TraceInfo,
        TracePolyTable,
    };
    use zkevm_air::air::trace_info;
    use zkevm_air::bus::{build_aux_columns, claim_of};
    use zkevm_air::examples::example_block;
    use zkevm_air::lane_eval::LaneAir;
    use zkevm_air::{with_component, ComponentAir, ComponentInputs};
    use zkevm_field::Quadratic;

    /// Our prover's parts run by winterfell's own prove loop (its provided `generate_proof`).
    struct WinterfellLoop<A: LaneAir + 'static>(ZkProver<A, Hash>);

    impl<A> Prover for WinterfellLoop<A>
    where
        A: LaneAir + 'static,
        A::PublicInputs: Clone + Send,
    {
        type BaseField = Goldilocks;
        type Air = A;
        type Trace = MainTrace;
        type HashFn = Hash;
        type VC = MerkleVc<Hash>;
        type RandomCoin = DefaultRandomCoin<Hash>;
        type TraceLde<E: FieldElement<BaseField = Goldilocks>> = ZkTraceLde<E, Hash>;
        type ConstraintCommitment<E: FieldElement<BaseField = Goldilocks>> =
            ZkConstraintCommitment<E, Hash>;
        type ConstraintEvaluator<'a, E: FieldElement<BaseField = Goldilocks>> =
            ZkConstraintEvaluator<'a, A, E>;

        fn get_pub_inputs(&self, trace: &MainTrace) -> A::PublicInputs {
            self.0.get_pub_inputs(trace)
        }

        fn options(&self) -> &ProofOptions {
            self.0.options()
        }

        fn new_trace_lde<E: FieldElement<BaseField = Goldilocks>>(
            &self,
            trace_info: &TraceInfo,
            main_trace: &ColMatrix<Goldilocks>,
            domain: &StarkDomain<Goldilocks>,
            partition_options: PartitionOptions,
        ) -> (Self::TraceLde<E>, TracePolyTable<E>) {
            self.0
                .new_trace_lde(trace_info, main_trace, domain, partition_options)
        }

        fn build_aux_trace<E: FieldElement<BaseField = Goldilocks>>(
            &self,
            main_trace: &MainTrace,
            aux_rand_elements: &AuxRandElements<E>,
        ) -> ColMatrix<E> {
            self.0.build_aux_trace(main_trace, aux_rand_elements)
        }

        fn build_constraint_commitment<E: FieldElement<BaseField = Goldilocks>>(
            &self,
            composition_poly_trace: CompositionPolyTrace<E>,
            num_constraint_composition_columns: usize,
            domain: &StarkDomain<Goldilocks>,
            partition_options: PartitionOptions,
        ) -> (Self::ConstraintCommitment<E>, CompositionPoly<E>) {
            self.0.build_constraint_commitment(
                composition_poly_trace,
                num_constraint_composition_columns,
                domain,
                partition_options,
            )
        }

        fn new_evaluator<'a, E: FieldElement<BaseField = Goldilocks>>(
            &self,
            air: &'a A,
            aux_rand_elements: Option<AuxRandElements<E>>,
            composition_coefficients: ConstraintCompositionCoefficients<E>,
        ) -> Self::ConstraintEvaluator<'a, E> {
            self.0
                .new_evaluator(air, aux_rand_elements, composition_coefficients)
        }
    }

    /// Every component of the example block, proven by our loop and by winterfell's with the
    /// same parts: the transcripts agree up to the proof of work (every commitment, FRI's
    /// included, and the out-of-domain frame, byte for byte), and both proofs verify.
    #[test]
    fn our_loop_sends_what_winterfells_sends() {
        let words: Vec<u32> = (0..40u32).map(|i| i.wrapping_mul(0x9e37_79b9)).collect();
        let options = Profile::FastTest.options();
        let (gamma, beta) = (
            Quadratic::new(Goldilocks::new(11), Goldilocks::new(13)),
            Quadratic::new(Goldilocks::new(17), Goldilocks::new(19)),
        );
        for trace in example_block(&words) {
            with_component!(trace.id, C => {
                let component = C::default();
                let aux = build_aux_columns(&component, &trace.columns, gamma, beta)
                    .expect("aux columns");
                let inputs = ComponentInputs { gamma, beta, claim: claim_of(&aux), offset: 0 };
                let info = trace_info(&component, trace.len());
                let prover = || {
                    ZkProver::<ComponentAir<C>, Hash>::new(options.clone(), inputs)
                        .with_aux(aux.clone())
                };
                let ours = prover()
                    .prove_trace(MainTrace::new(info.clone(), trace.columns.clone()))
                    .expect("our loop proves");
                let theirs = WinterfellLoop(prover())
                    .prove(MainTrace::new(info, trace.columns.clone()))
                    .expect("winterfell's loop proves");
                assert_eq!(ours.context.to_bytes(), theirs.context.to_bytes());
                assert_eq!(ours.commitments.to_bytes(), theirs.commitments.to_bytes());
                assert_eq!(ours.ood_frame.to_bytes(), theirs.ood_frame.to_bytes());
                // With no grinding bits ours is 1, and so is winterfell's whenever its racing
                // search (`find_any`) returns the first thread's: then the queries, the openings
                // and the FRI proof must agree too.
                if ours.pow_nonce == theirs.pow_nonce {
                    assert!(ours.to_bytes() == theirs.to_bytes(), "the same proof");
                }
                let acceptable = AcceptableOptions::OptionSet(vec![options.clone()]);
                for proof in [ours, theirs] {
                    winterfell::verify::<ComponentAir<C>, Hash, Coin, MerkleVc<Hash>>(
                        proof, inputs, &acceptable,
                    )
                    .expect("verifies");
                }
            });
        }
    }
}
