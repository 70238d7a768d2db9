//! `zkevm wrap [PROOF]`, `zkevm export-verifier` and `zkevm bench wrap`: a STARK proof
//! compressed into a 256-byte Groth16 proof over BN254, and the Solidity contract verifying it.

use super::output::{spinner, write_atomic};
use anyhow::Context;
use clap::Args;
use serde::Serialize;
use std::path::PathBuf;
use std::time::Instant;
use zkevm::profiling::profile_run;
use zkevm::verifier_contract::{call, compile, verify_calldata};
use zkevm_prover::standalone::verify_air_with;
use zkevm_recursion::aggregate::{
    block_statement, wrap_block, BlockCircuit, BlockShape, WrappedBlock,
};
use zkevm_recursion::groth16::{solidity_verifier, PROOF_BYTES};
use zkevm_recursion::wrap::{
    default_key_dir, keys, verifying_key, StarkFile, WrapReport, Wrapped, WrappedAir,
};
use zkevm_recursion::{wrap_options, PoseidonBn254};

/// Where Groth16 keys are cached.
#[derive(Debug, Args)]
pub struct KeyDir {
    /// Directory of cached Groth16 keys (default: $ZKEVM_KEYS, else ~/.cache/zkevm/keys).
    #[arg(long = "keys")]
    pub dir: Option<PathBuf>,
}

impl KeyDir {
    pub fn path(&self) -> PathBuf {
        self.dir.clone().unwrap_or_else(default_key_dir)
    }
}

#[derive(Debug, Args)]
pub struct WrapArgs {
    /// A STARK proof file written by `zkevm wrap --stark-out`, or a block proof from `zkevm
    /// prove --profile wrap` (the whole block becomes one circuit and one Groth16 proof).
    /// Default: prove the built-in Fibonacci AIR in the wrap profile first.
    pub proof: Option<PathBuf>,
    /// For a block proof: build its circuit and check the witness, without a Groth16 proof.
    #[arg(long)]
    pub check: bool,
    /// For a block proof: also verify the wrapped proof with its generated Solidity verifier
    /// on revm and report the gas.
    #[arg(long)]
    pub solidity: bool,
    /// For a block proof too large for one circuit: one circuit per component proof (the
    /// block transcript and the bus balance are then checked natively).
    #[arg(long)]
    pub per_component: bool,
    /// With --per-component: also make a Groth16 proof per component (keys cached per shape;
    /// without it, each component's circuit is only built and checked).
    #[arg(long, requires = "per_component")]
    pub groth16: bool,
    /// Rows of the built-in Fibonacci trace (a power of two, at least 8).
    #[arg(long, default_value_t = 64)]
    pub rows: usize,
    /// Write the wrapped proof here (with --per-component --groth16: `OUT.<component>`).
    #[arg(long)]
    pub out: Option<PathBuf>,
    /// Also write the STARK proof being wrapped here.
    #[arg(long)]
    pub stark_out: Option<PathBuf>,
    #[command(flatten)]
    pub keys: KeyDir,
    /// Print one JSON object.
    #[arg(long)]
    pub json: bool,
}

#[derive(Debug, Args)]
pub struct ExportArgs {
    /// Rows of the Fibonacci proofs the contract's circuit verifies.
    #[arg(long, default_value_t = 64)]
    pub rows: usize,
    /// Instead: the verifier of the circuit this wrapped proof (`zkevm wrap --out`, a block or a
    /// single proof) was made with, from its cached verifying key (never a new setup); also
    /// prints the proof's public input.
    #[arg(long = "for", value_name = "WRAPPED", conflicts_with = "rows")]
    pub for_proof: Option<PathBuf>,
    /// Where to write the contract.
    #[arg(long, default_value = "Verifier.sol")]
    pub out: PathBuf,
    #[command(flatten)]
    pub keys: KeyDir,
}

#[derive(Debug, Args)]
pub struct BenchWrapArgs {
    /// Rows of the Fibonacci traces whose proofs are wrapped.
    #[arg(long, value_delimiter = ',', default_values_t = [64usize])]
    pub rows: Vec<usize>,
    #[command(flatten)]
    pub keys: KeyDir,
    /// Print one JSON object per size.
    #[arg(long)]
    pub json: bool,
}

/// What one wrap measured.
#[derive(Debug, Serialize)]
struct WrapRun {
    air: &'static str,
    rows: usize,
    stark_security_bits: u32,
    stark_proof_bytes: usize,
    constraints: usize,
    setup_s: Option<f64>,
    witness_s: f64,
    groth16_prove_s: f64,
    peak_memory_bytes: Option<u64>,
    proof_bytes: usize,
    statement: String,
    key: String,
    out: Option<String>,
}

impl WrapRun {
    fn of(
        stark: &StarkFile,
        report: &WrapReport,
        peak: Option<u64>,
        out: Option<&std::path::Path>,
    ) -> Self {
        WrapRun {
            air: stark.air.name(),
            rows: stark.proof.trace_info().length(),
            stark_security_bits: stark.proof.conjectured_security::<PoseidonBn254>().bits(),
            stark_proof_bytes: stark.proof.to_bytes().len(),
            constraints: report.constraints,
            setup_s: report.setup_seconds,
            witness_s: report.witness_seconds,
            groth16_prove_s: report.prove_seconds,
            peak_memory_bytes: peak,
            proof_bytes: PROOF_BYTES,
            statement: hex(&report.statement),
            key: report.key_path.display().to_string(),
            out: out.map(|p| p.display().to_string()),
        }
    }
}

fn checked_rows(rows: usize) -> anyhow::Result<u8> {
    anyhow::ensure!(
        rows >= 8 && rows.is_power_of_two() && rows <= 1 << 24,
        "--rows must be a power of two from 8 to 2^24, got {rows}"
    );
    Ok(rows.ilog2() as u8)
}

/// Reads or proves the STARK proof, wraps it, reports.
fn wrap_one(
    stark: &StarkFile,
    key_dir: &std::path::Path,
    json: bool,
) -> anyhow::Result<(Wrapped, WrapReport, Option<u64>)> {
    let bar = spinner(json)?;
    bar.set_message(format!(
        "wrapping a {}-row {} proof (Groth16 setup on first use, then proving)",
        stark.proof.trace_info().length(),
        stark.air.name()
    ));
    let (result, profile) = profile_run(|| stark.wrap(key_dir));
    bar.finish_and_clear();
    let (wrapped, report) = result?;
    Ok((wrapped, report, profile.peak_memory))
}

fn hex(x: &ark_bn254::Fr) -> String {
    format!(
        "0x{}",
        super::output::hex(&zkevm_recursion::groth16::input_bytes(x))
    )
}

pub fn run(args: &WrapArgs) -> anyhow::Result<()> {
    let stark = match &args.proof {
        Some(path) => {
            let bytes =
                std::fs::read(path).with_context(|| format!("reading {}", path.display()))?;
            if bytes.starts_with(&zkevm_prover::format::MAGIC) {
                return run_block(args, path, &bytes);
            }
            StarkFile::from_bytes(&bytes).with_context(|| format!("reading {}", path.display()))?
        }
        None => {
            checked_rows(args.rows)?;
            let bar = spinner(args.json)?;
            bar.set_message(format!(
                "proving the built-in Fibonacci AIR ({} rows, wrap profile)",
                args.rows
            ));
            let stark = StarkFile::fibonacci(args.rows)?;
            bar.finish_and_clear();
            stark
        }
    };
    if let Some(path) = &args.stark_out {
        write_atomic(path, &stark.to_bytes())?;
    }
    let dir = args.keys.path();
    let (wrapped, report, peak) = wrap_one(&stark, &dir, args.json)?;
    if let Some(out) = &args.out {
        write_atomic(out, &wrapped.to_bytes())?;
    }
    let run = WrapRun::of(&stark, &report, peak, args.out.as_deref());
    if args.json {
        println!("{}", serde_json::to_string(&run)?);
        return Ok(());
    }
    println!(
        "wrapped a {}-row {} STARK proof ({} bytes, {} bits conjectured) into a {}-byte \
         Groth16 proof over BN254",
        run.rows, run.air, run.stark_proof_bytes, run.stark_security_bits, run.proof_bytes
    );
    println!("  circuit        {} constraints", run.constraints);
    match run.setup_s {
        Some(s) => println!("  setup          {s:.1} s (keys written to {})", run.key),
        None => println!("  setup          cached ({})", run.key),
    }
    println!(
        "  witness        {:.2} s (includes native verification)",
        run.witness_s
    );
    println!("  Groth16 prove  {:.1} s", run.groth16_prove_s);
    if let Some(peak) = run.peak_memory_bytes {
        println!("  peak memory    {:.0} MiB", peak as f64 / (1 << 20) as f64);
    }
    println!("  statement      {} (the only public input)", run.statement);
    println!("  security       STARK {} bits conjectured; Groth16 over BN254 ≈ 100 bits; keys from a local setup (not for deployment)", run.stark_security_bits);
    if let Some(out) = &run.out {
        println!("  written        {out}");
    }
    Ok(())
}

pub fn export(args: &ExportArgs) -> anyhow::Result<()> {
    if let Some(path) = &args.for_proof {
        return export_for(args, path);
    }
    let log_rows = checked_rows(args.rows)?;
    let shape = WrappedAir::Fibonacci.shape(log_rows)?;
    let bar = spinner(false)?;
    bar.set_message("making or loading the circuit's Groth16 keys");
    let keys = keys(&shape, &args.keys.path())?;
    bar.finish_and_clear();
    let source = solidity_verifier(&keys.pk.vk)?;
    write_atomic(&args.out, source.as_bytes())?;
    println!(
        "{}: the verifier of wrapped {}-row Fibonacci proofs ({} constraints; keys {})",
        args.out.display(),
        args.rows,
        keys.constraints,
        keys.path.display()
    );
    println!("  call verifyProof(uint256[8] proof, uint256[1] input) with the wrapped proof's 256 bytes and its statement hash");
    Ok(())
}

/// `zkevm export-verifier --for WRAPPED`.
fn export_for(args: &ExportArgs, path: &std::path::Path) -> anyhow::Result<()> {
    let bytes = std::fs::read(path).with_context(|| format!("reading {}", path.display()))?;
    let reading = || format!("reading {}", path.display());
    let dir = args.keys.path();
    let (vk, statement, what) = if WrappedBlock::is_wrapped_block(&bytes) {
        let wrapped = WrappedBlock::from_bytes(&bytes).with_context(reading)?;
        let statement = zkevm_air::evm::Statement::from_bytes(&wrapped.statement)
            .with_context(|| format!("{}: the statement", path.display()))?;
        let ids: Vec<_> = wrapped.components.iter().map(|&(id, _)| id).collect();
        zkevm_air::evm::check_wrapped_components(&ids)
            .with_context(|| format!("{}: not a wrappable EVM block", path.display()))?;
        let public = statement.public_messages();
        let shape = BlockShape::of(&wrapped.statement, &public, &wrapped.components)?;
        let hash = block_statement(&wrapped.statement, &public, &wrapped.components);
        let what = format!(
            "wrapped blocks of this shape ({} components, {}-byte statements)",
            wrapped.components.len(),
            wrapped.statement.len()
        );
        (verifying_key(&shape, &dir)?, hash, what)
    } else {
        let wrapped = Wrapped::from_bytes(&bytes).with_context(reading)?;
        let shape = wrapped.air.shape(wrapped.log_trace_len)?;
        anyhow::ensure!(
            wrapped.inputs.len() == shape.num_inputs,
            "{}: a statement of another length than its AIR's",
            path.display()
        );
        let what = format!(
            "wrapped {}-row {} proofs",
            1u64 << wrapped.log_trace_len,
            wrapped.air.name()
        );
        (
            verifying_key(&shape, &dir)?,
            shape.statement(&wrapped.inputs),
            what,
        )
    };
    write_atomic(&args.out, solidity_verifier(&vk)?.as_bytes())?;
    println!("{}: the verifier of {what}", args.out.display());
    println!(
        "  call verifyProof(uint256[8] proof, uint256[1] input) with {}'s 256 proof bytes and \
         input {}",
        path.display(),
        hex(&statement)
    );
    Ok(())
}

/// `zkevm verify` on a wrapped proof.
pub fn verify(
    path: &std::path::Path,
    bytes: &[u8],
    keys: &KeyDir,
    json: bool,
) -> anyhow::Result<()> {
    let wrapped =
        Wrapped::from_bytes(bytes).with_context(|| format!("reading {}", path.display()))?;
    let started = Instant::now();
    let statement = zkevm_recursion::wrap::verify_wrapped(&wrapped, &keys.path())
        .with_context(|| format!("{}: rejected", path.display()))?;
    let ms = started.elapsed().as_secs_f64() * 1e3;
    if json {
        let report = serde_json::json!({
            "verified": true,
            "kind": "wrapped",
            "air": wrapped.air.name(),
            "rows": 1u64 << wrapped.log_trace_len,
            "statement": hex(&statement),
            "inputs": wrapped.inputs.iter().map(|i| i.to_string()).collect::<Vec<_>>(),
            "verify_ms": ms,
        });
        println!("{report}");
    } else {
        println!("{}: verified (wrapped Groth16 proof)", path.display());
        println!(
            "  AIR            {} ({} rows)",
            wrapped.air.name(),
            1u64 << wrapped.log_trace_len
        );
        println!("  statement      {}", hex(&statement));
        println!("  verify time    {ms:.1} ms (keys loaded included)");
    }
    Ok(())
}

/// What `zkevm bench wrap` reports per size.
#[derive(Debug, Serialize)]
struct BenchWrap {
    #[serde(flatten)]
    run: WrapRun,
    /// The STARK proof verified natively (the peer of the on-chain check).
    stark_verify_ms: f64,
    /// Gas of `verifyProof` on revm (whole transaction).
    verify_gas: u64,
    /// STARK proof bytes per wrapped proof byte.
    size_ratio: f64,
    constraints_target: usize,
}

pub fn bench(args: &BenchWrapArgs) -> anyhow::Result<()> {
    let dir = args.keys.path();
    for &rows in &args.rows {
        checked_rows(rows)?;
        let stark = StarkFile::fibonacci(rows)?;
        let started = Instant::now();
        let inputs = zkevm_air::examples::fibonacci::FibInputs {
            result: stark.inputs[0],
        };
        verify_air_with::<zkevm_air::examples::fibonacci::FibAir, PoseidonBn254>(
            stark.proof.clone(),
            inputs,
            wrap_options(),
        )
        .map_err(anyhow::Error::msg)?;
        let stark_verify_ms = started.elapsed().as_secs_f64() * 1e3;
        let (wrapped, report, peak) = wrap_one(&stark, &dir, args.json)?;
        let shape = stark.air.shape(wrapped.log_trace_len)?;
        let source = solidity_verifier(&verifying_key(&shape, &dir)?)?;
        let verify_gas = solidity_gas(&source, &wrapped.proof, report.statement)?;
        let stark_bytes = stark.proof.to_bytes().len();
        let result = BenchWrap {
            run: WrapRun::of(&stark, &report, peak, None),
            stark_verify_ms,
            verify_gas,
            size_ratio: stark_bytes as f64 / PROOF_BYTES as f64,
            constraints_target: 1_500_000,
        };
        if args.json {
            println!("{}", serde_json::to_string(&result)?);
        } else {
            println!(
                "{rows:>8} rows: {} constraints (target ≤ {}), Groth16 prove {:.1} s{}, peak {}, \
                 {} B proof ({:.0}× smaller than the {} B STARK), verifyProof {} gas \
                 (native STARK verify {:.1} ms)",
                result.run.constraints,
                result.constraints_target,
                result.run.groth16_prove_s,
                result
                    .run
                    .setup_s
                    .map(|s| format!(" (setup {s:.1} s)"))
                    .unwrap_or_default(),
                peak.map(|p| format!("{:.0} MiB", p as f64 / (1 << 20) as f64))
                    .unwrap_or_else(|| "n/a".into()),
                PROOF_BYTES,
                result.size_ratio,
                stark_bytes,
                result.verify_gas,
                stark_verify_ms
            );
        }
    }
    Ok(())
}

/// One part of a wrapped block's circuit, as reported.
#[derive(Debug, Serialize)]
struct PartRun {
    part: &'static str,
    rows: Option<usize>,
    constraints: usize,
    /// Per-component mode only: whether its own circuit is satisfied, its Groth16 run.
    #[serde(skip_serializing_if = "Option::is_none")]
    satisfied: Option<bool>,
    #[serde(skip_serializing_if = "Option::is_none")]
    groth16_prove_s: Option<f64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    setup_s: Option<f64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    out: Option<String>,
}

/// What wrapping a whole block into one circuit measured.
#[derive(Debug, Serialize)]
struct BlockRun {
    kind: &'static str,
    components: Vec<PartRun>,
    total_constraints: usize,
    stark_proof_bytes: usize,
    stark_security_bits: u32,
    witness_s: f64,
    check_s: f64,
    setup_s: Option<f64>,
    groth16_prove_s: Option<f64>,
    peak_memory_bytes: Option<u64>,
    proof_bytes: Option<usize>,
    statement: Option<String>,
    key: Option<String>,
    out: Option<String>,
    /// Gas of `verifyProof` on revm (`--solidity`).
    verify_gas: Option<u64>,
}

/// `zkevm wrap <block proof>`: the whole block in one circuit and one Groth16 proof (or, with
/// `--per-component`, one circuit per component).
fn run_block(args: &WrapArgs, path: &std::path::Path, bytes: &[u8]) -> anyhow::Result<()> {
    let block = zkevm_prover::BlockProof::from_bytes(bytes)
        .with_context(|| format!("reading {}", path.display()))?;
    let statement = zkevm_air::evm::Statement::from_bytes(&block.statement)
        .with_context(|| format!("{}: the statement", path.display()))?;
    let public = statement.public_messages();
    let ids: Vec<_> = block.components.iter().map(|c| c.id).collect();
    zkevm_air::evm::check_wrapped_components(&ids)
        .with_context(|| format!("{}: not a wrappable EVM block", path.display()))?;
    if args.per_component {
        return run_per_component(args, path, bytes, &public);
    }
    let bar = spinner(args.json)?;
    bar.set_message("verifying the block natively and reading its component proofs");
    let started = Instant::now();
    let circuit = BlockCircuit::for_block(bytes, &public)
        .with_context(|| format!("{}: not wrapped", path.display()))?;
    let witness_s = started.elapsed().as_secs_f64();
    bar.set_message("building the block circuit and checking its witness");
    let started = Instant::now();
    let (counts, satisfied) = circuit.check()?;
    let check_s = started.elapsed().as_secs_f64();
    anyhow::ensure!(
        satisfied,
        "the block circuit is not satisfied by a proof the native verifier accepts"
    );
    let total: usize = counts.iter().sum();
    let mut parts = vec![PartRun::new("block checks", None, counts[0])];
    for (part, &constraints) in circuit.shape.parts.iter().zip(&counts[1..]) {
        parts.push(PartRun::new(
            part.id.name(),
            Some(1 << part.log_trace_len),
            constraints,
        ));
    }
    let mut run = BlockRun {
        kind: "block",
        components: parts,
        total_constraints: total,
        stark_proof_bytes: bytes.len(),
        stark_security_bits: block.profile.conjectured_security_bits(),
        witness_s,
        check_s,
        setup_s: None,
        groth16_prove_s: None,
        peak_memory_bytes: None,
        proof_bytes: None,
        statement: None,
        key: None,
        out: None,
        verify_gas: None,
    };
    if !args.check {
        anyhow::ensure!(
            total <= ONE_CIRCUIT_LIMIT,
            "the block's circuit has {total} constraints, more than one Groth16 circuit holds in \
             this machine's memory (about {ONE_CIRCUIT_LIMIT}); wrap it with --per-component"
        );
        bar.set_message(format!(
            "Groth16 over {total} constraints (key setup on first use: minutes)"
        ));
        let dir = args.keys.path();
        let (result, profile) =
            profile_run(|| wrap_block(circuit, &block.statement, &public, &dir));
        let (wrapped, report) = result?;
        if let Some(out) = &args.out {
            write_atomic(out, &wrapped.to_bytes())?;
            run.out = Some(out.display().to_string());
        }
        if args.solidity {
            bar.set_message("compiling the verifier contract and calling it on revm");
            let shape = BlockShape::of(&block.statement, &public, &wrapped.components)?;
            let source = solidity_verifier(&verifying_key(&shape, &dir)?)?;
            run.verify_gas = Some(solidity_gas(&source, &wrapped.proof, report.statement)?);
        }
        run.setup_s = report.setup_seconds;
        run.groth16_prove_s = Some(report.prove_seconds);
        run.peak_memory_bytes = profile.peak_memory;
        run.proof_bytes = Some(PROOF_BYTES);
        run.statement = Some(hex(&report.statement));
        run.key = Some(report.key_path.display().to_string());
    }
    bar.finish_and_clear();
    if args.json {
        println!("{}", serde_json::to_string(&run)?);
        return Ok(());
    }
    println!(
        "{}: {} component proofs ({} bytes, {} bits conjectured) in one circuit: the block \
         transcript, the bus balance and every component's verifier",
        path.display(),
        run.components.len() - 1,
        run.stark_proof_bytes,
        run.stark_security_bits
    );
    println!("  part           rows       constraints");
    for p in &run.components {
        println!(
            "  {:<14} {:<10} {}",
            p.part,
            p.rows.map(|r| r.to_string()).unwrap_or_default(),
            p.constraints
        );
    }
    println!("  total                     {total}");
    println!(
        "  witness        {witness_s:.1} s (includes native verification), check {check_s:.1} s"
    );
    if run.groth16_prove_s.is_none() {
        println!("  (--check: no Groth16 proof)");
        return Ok(());
    }
    match run.setup_s {
        Some(s) => println!(
            "  setup          {s:.1} s (keys in {})",
            run.key.as_deref().unwrap_or_default()
        ),
        None => println!(
            "  setup          cached ({})",
            run.key.as_deref().unwrap_or_default()
        ),
    }
    println!(
        "  Groth16 prove  {:.1} s",
        run.groth16_prove_s.unwrap_or_default()
    );
    if let Some(peak) = run.peak_memory_bytes {
        println!("  peak memory    {:.0} MiB", peak as f64 / (1 << 20) as f64);
    }
    println!(
        "  proof          {PROOF_BYTES} bytes, statement {} (the only public input)",
        run.statement.as_deref().unwrap_or_default()
    );
    if let Some(gas) = run.verify_gas {
        println!("  on revm        verifyProof accepted, {gas} gas (whole transaction)");
    }
    if let Some(out) = &run.out {
        println!("  written        {out}");
    }
    Ok(())
}

impl PartRun {
    fn new(part: &'static str, rows: Option<usize>, constraints: usize) -> Self {
        PartRun {
            part,
            rows,
            constraints,
            satisfied: None,
            groth16_prove_s: None,
            setup_s: None,
            out: None,
        }
    }
}

/// Compiles the Solidity verifier `source`, calls it on revm with `proof` and `statement`, and
/// returns the transaction's gas (an error if the contract rejects the proof).
fn solidity_gas(
    source: &str,
    proof: &[u8; PROOF_BYTES],
    statement: ark_bn254::Fr,
) -> anyhow::Result<u64> {
    let contract = compile(source, "Verifier")?;
    let outcome = call(&contract.runtime, &verify_calldata(proof, &[statement]))?;
    anyhow::ensure!(outcome.success, "the contract rejected the wrapped proof");
    Ok(outcome.gas_used)
}

/// `zkevm wrap <block proof> --per-component`: every component proof through its own circuit
/// (checked, counted), and with `--groth16` one Groth16 proof each; the block transcript and
/// the balance stay with the native verifier.
fn run_per_component(
    args: &WrapArgs,
    path: &std::path::Path,
    bytes: &[u8],
    public: &[zkevm_air::PublicMessage],
) -> anyhow::Result<()> {
    let bar = spinner(args.json)?;
    bar.set_message("verifying the block natively and reading its component proofs");
    let circuits = zkevm_recursion::block::component_circuits(bytes, public)
        .with_context(|| format!("{}: not wrapped", path.display()))?;
    let dir = args.keys.path();
    let mut runs = Vec::new();
    for c in &circuits {
        bar.set_message(format!(
            "{}: building and checking its circuit",
            c.id.name()
        ));
        let (constraints, satisfied) = zkevm_recursion::block::check_circuit(&c.circuit)?;
        anyhow::ensure!(
            satisfied,
            "{}: the circuit is not satisfied by a proof the native verifier accepts",
            c.id.name()
        );
        let mut run = PartRun::new(c.id.name(), Some(c.rows), constraints);
        run.satisfied = Some(satisfied);
        if args.groth16 {
            bar.set_message(format!("{}: Groth16 (setup on first use)", c.id.name()));
            let stark = StarkFile {
                air: c.air(),
                inputs: (c.circuit.witness.as_ref())
                    .map(|w| w.inputs.clone())
                    .unwrap_or_default(),
                proof: c.proof.clone(),
            };
            let (wrapped, report) = stark.wrap(&dir)?;
            run.groth16_prove_s = Some(report.prove_seconds);
            run.setup_s = report.setup_seconds;
            if let Some(out) = &args.out {
                let file = PathBuf::from(format!("{}.{}", out.display(), c.id.name()));
                write_atomic(&file, &wrapped.to_bytes())?;
                run.out = Some(file.display().to_string());
            }
        }
        runs.push(run);
    }
    bar.finish_and_clear();
    let total: usize = runs.iter().map(|r| r.constraints).sum();
    if args.json {
        let report = serde_json::json!({
            "kind": "per-component",
            "components": runs,
            "total_constraints": total,
            "not_in_circuit": NOT_IN_CIRCUIT,
        });
        println!("{report}");
        return Ok(());
    }
    println!(
        "{}: {} component proofs, each checked by its own verifier circuit",
        path.display(),
        runs.len()
    );
    println!("  component      rows       constraints  Groth16 prove");
    for r in &runs {
        println!(
            "  {:<14} {:<10} {:<12} {}",
            r.part,
            r.rows.unwrap_or_default(),
            r.constraints,
            r.groth16_prove_s
                .map(|s| format!(
                    "{s:.1} s{}",
                    r.setup_s
                        .map(|t| format!(" (setup {t:.1} s)"))
                        .unwrap_or_default()
                ))
                .unwrap_or_else(|| "(--groth16)".into())
        );
    }
    println!("  total          {total} constraints");
    println!("  not in circuit {NOT_IN_CIRCUIT}");
    Ok(())
}

/// What one Groth16 circuit holds in this machine's memory (24 GiB), roughly.
const ONE_CIRCUIT_LIMIT: usize = 8_000_000;

const NOT_IN_CIRCUIT: &str = "the block's LogUp challenges (the block transcript over every \
     component root) and the balance of the claims: checked natively (without \
     --per-component, one circuit holds them)";
