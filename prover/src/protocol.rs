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
        polynomials.deep_composition(z, &coefficients)
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
