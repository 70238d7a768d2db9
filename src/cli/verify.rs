//! `zkevm verify <proof> [--json]`: verifies a block proof against the statement it carries.

use anyhow::Context;
use clap::Args;
use serde::Serialize;
use std::path::PathBuf;
use std::time::Instant;
use zkevm::evm::{verify, verify_wrapped};
use zkevm_prover::Profile;
use zkevm_recursion::aggregate::WrappedBlock;

#[derive(Debug, Args)]
pub struct VerifyArgs {
    /// A proof written by `zkevm prove --out` or `zkevm wrap --out`.
    pub proof: PathBuf,
    /// For wrapped proofs: where their verifying keys are cached.
    #[command(flatten)]
    pub keys: super::wrap::KeyDir,
    /// Also accept proofs made with this profile (the default profile is always accepted).
    #[arg(long, value_parser = super::prove::parse_profile)]
    pub accept: Vec<Profile>,
    /// Print one JSON object.
    #[arg(long)]
    pub json: bool,
}

#[derive(Serialize)]
struct Report {
    verified: bool,
    profile: &'static str,
    security_bits: u32,
    components: Vec<&'static str>,
    gas: u64,
    steps: u64,
    verify_ms: f64,
    proven: &'static str,
    not_proven: &'static str,
}

pub fn run(args: &VerifyArgs) -> anyhow::Result<()> {
    let bytes =
        std::fs::read(&args.proof).with_context(|| format!("reading {}", args.proof.display()))?;
    if zkevm_recursion::wrap::Wrapped::is_wrapped(&bytes) {
        return super::wrap::verify(&args.proof, &bytes, &args.keys, args.json);
    }
    let rejected = || format!("{}: rejected", args.proof.display());
    let started = Instant::now();
    let (name, profile, components, statement) = if WrappedBlock::is_wrapped_block(&bytes) {
        let verified = verify_wrapped(&bytes, &args.keys.path()).with_context(rejected)?;
        let profile = "wrap, as one Groth16 proof over BN254";
        (
            profile,
            Profile::Wrap,
            verified.components,
            verified.statement,
        )
    } else {
        let mut accepted = vec![Profile::Default];
        accepted.extend(&args.accept);
        let verified = verify(&bytes, &accepted).with_context(rejected)?;
        let profile = verified.profile;
        (
            profile.name(),
            profile,
            verified.components,
            verified.statement,
        )
    };
    let report = Report {
        verified: true,
        profile: name,
        security_bits: profile.conjectured_security_bits(),
        components,
        gas: statement.gas_used(),
        steps: statement.steps(),
        verify_ms: started.elapsed().as_secs_f64() * 1e3,
        proven: "every step of the call frame: opcodes fetched from the code whose Keccak \
                 hash and length the statement carries, stack reads and writes, jumps, \
                 static gas from the frame's entry gas to its gas left",
        not_proven: "the transaction envelope (intrinsic gas, fees, nonce) and any state",
    };
    if args.json {
        println!("{}", serde_json::to_string(&report)?);
    } else {
        println!("{}: verified", args.proof.display());
        println!(
            "  profile        {} ({} bits conjectured)",
            report.profile, report.security_bits
        );
        println!("  components     {}", report.components.join(", "));
        println!(
            "  execution      {} steps, {} gas",
            report.steps, report.gas
        );
        println!("  proven         {}", report.proven);
        println!("  not proven     {}", report.not_proven);
        println!("  verify time    {:.1} ms", report.verify_ms);
    }
    Ok(())
}
