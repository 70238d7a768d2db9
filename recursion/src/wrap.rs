//! Wrapping a STARK proof: the verifier circuit's Groth16 keys (made once per [`Shape`] and
//! cached on disk), the Groth16 proof, and the wrapped-proof file.
//!
//! Keys come from a local circuit-specific setup: whoever ran it could forge proofs for its
//! circuit, which is fine for measuring and testing, not for deployment (that needs a
//! multi-party ceremony over the same circuit).
//!
//! Wrapped-proof file (integers little endian):
//!
//! ```text
//! magic      4 bytes  "ZKWR"
//! version    u16      1
//! air        u16      WrappedAir id (0 Fibonacci, 1 + registry id for a component)
//! log_len    u8       log₂ of the trace length
//! inputs     u16 count ‖ count × u64 (canonical)   the statement's elements
//! proof      256 bytes  Groth16 proof, EIP-197 encoding
//! ```
//!
//! The statement hash (the proof's public input) is recomputed from the AIR, the trace
//! length, the wrap options and the inputs, never read.

use crate::groth16::{self, proof_bytes, proof_from_bytes, Groth16Error, PROOF_BYTES};
use crate::verifier::{Shape, VerifierCircuit, WrapError};
use crate::wrappable::WrappableAir;
use crate::{wrap_options, PoseidonBn254};
use ark_bn254::{Bn254, Fr};
use ark_groth16::{ProvingKey, VerifyingKey};
use ark_relations::gr1cs::{ConstraintSynthesizer, ConstraintSystem, SynthesisMode};
use ark_serialize::{CanonicalDeserialize, CanonicalSerialize};
use ark_std::rand::rngs::OsRng;
use std::path::{Path, PathBuf};
use std::time::Instant;
use winter_crypto::{Digest, Hasher};
use winterfell::math::ToElements;
use winterfell::{Air, Proof, TraceInfo};
use zkevm_air::air::trace_info;
use zkevm_air::examples::fibonacci::{fib_trace, FibAir, FibInputs};
use zkevm_air::{with_component, Component, ComponentAir, ComponentId, ComponentInputs};
use zkevm_field::{FieldElement, Goldilocks, Quadratic, StarkField};
use zkevm_prover::files::write_atomically;
use zkevm_prover::standalone::prove_air_with;

/// Bumped whenever the circuit changes for an unchanged shape: cached keys of other versions
/// are never used.
pub const CIRCUIT_VERSION: u16 = 3;

const KEY_MAGIC: [u8; 4] = *b"ZKWK";
const PROOF_MAGIC: [u8; 4] = *b"ZKWR";
const PROOF_VERSION: u16 = 1;
/// Most statement elements a wrapped-proof file may carry.
pub const MAX_INPUTS: usize = 1 << 12;

/// Why wrapping or checking a wrapped proof failed.
#[derive(Debug, thiserror::Error)]
pub enum WrapFailure {
    #[error(transparent)]
    Wrap(#[from] WrapError),
    #[error(transparent)]
    Groth16(#[from] Groth16Error),
    #[error("the circuit is not satisfied: {0}")]
    Unsatisfied(String),
    #[error("key cache {path}: {message}")]
    Keys { path: PathBuf, message: String },
    #[error("malformed wrapped proof: {0}")]
    Format(String),
    #[error("the wrapped proof does not verify")]
    Invalid,
    #[error(transparent)]
    Block(#[from] zkevm_prover::BlockError),
}

/// The AIRs whose wrapped proofs a file can name.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum WrappedAir {
    /// The example Fibonacci AIR (statement: its result).
    Fibonacci,
    /// One component of a block (statement: `[γ, β, claim]`).
    Component(ComponentId),
}

impl WrappedAir {
    /// Wire id: 0 for Fibonacci, 1 + the registry id for a component.
    pub fn id(self) -> u16 {
        match self {
            WrappedAir::Fibonacci => 0,
            WrappedAir::Component(id) => 1 + id.to_u16(),
        }
    }

    pub fn from_id(id: u16) -> Option<Self> {
        match id {
            0 => Some(WrappedAir::Fibonacci),
            _ => ComponentId::from_u16(id - 1)
                .ok()
                .map(WrappedAir::Component),
        }
    }

    pub fn name(self) -> &'static str {
        match self {
            WrappedAir::Fibonacci => "fibonacci",
            WrappedAir::Component(id) => id.name(),
        }
    }

    /// The circuit shape of this AIR's proofs of `2^log_len` rows in the wrap profile.
    pub fn shape(self, log_len: u8) -> Result<Shape, WrapError> {
        // The LDE domain (trace × blowup) must stay below 2³² (winterfell's context asserts
        // it; the field's two-adicity allows no more).
        let max_log = 31 - wrap_options().blowup_factor().ilog2() as u8;
        if !(3..=max_log).contains(&log_len) {
            return Err(WrapError::Unsupported(format!(
                "traces of 2^{log_len} rows (the wrap profile takes 2^3 to 2^{max_log})"
            )));
        }
        let rows = 1usize << log_len;
        match self {
            WrappedAir::Fibonacci => {
                let info = TraceInfo::new(2, rows);
                let inputs = FibInputs {
                    result: Goldilocks::new(0),
                };
                Shape::of(&FibAir::new(info, inputs, wrap_options()), &inputs)
            }
            WrappedAir::Component(id) => with_component!(id, C => {
                let component = C::default();
                if C::FIXED_LENGTH.is_some_and(|fixed| fixed != rows) {
                    return Err(WrapError::Unsupported(format!(
                        "{} has a fixed length, not 2^{log_len}", C::NAME
                    )));
                }
                let inputs = ComponentInputs {
                    gamma: Quadratic::ZERO,
                    beta: Quadratic::ZERO,
                    claim: Quadratic::ZERO,
                    offset: 0,
                };
                let info = trace_info(&component, rows);
                Shape::of(&ComponentAir::<C>::new(info, inputs, wrap_options()), &inputs)
            }),
        }
    }
}

/// Where Groth16 keys are cached: `$ZKEVM_KEYS`, else `$XDG_CACHE_HOME/zkevm/keys`, else
/// `~/.cache/zkevm/keys`, else the temporary directory.
pub fn default_key_dir() -> PathBuf {
    if let Some(dir) = std::env::var_os("ZKEVM_KEYS") {
        return PathBuf::from(dir);
    }
    if let Some(dir) = std::env::var_os("XDG_CACHE_HOME") {
        return PathBuf::from(dir).join("zkevm/keys");
    }
    if let Some(home) = std::env::var_os("HOME") {
        return PathBuf::from(home).join(".cache/zkevm/keys");
    }
    std::env::temp_dir().join("zkevm-keys")
}

/// A circuit whose Groth16 keys are cached: named by its shape (everything its structure
/// depends on, as `Debug` prints it) and made from an instance without a witness.
pub trait CircuitShape: std::fmt::Debug {
    type Circuit: ConstraintSynthesizer<Fr>;

    /// The circuit without a witness (key generation, counting constraints).
    fn blank(&self) -> Self::Circuit;
}

impl CircuitShape for Shape {
    type Circuit = VerifierCircuit;

    fn blank(&self) -> VerifierCircuit {
        VerifierCircuit {
            shape: self.clone(),
            witness: None,
        }
    }
}

/// The identity of a shape's circuit: a digest of the shape and [`CIRCUIT_VERSION`].
pub fn shape_id<S: CircuitShape>(shape: &S) -> String {
    let description = format!("zkevm-wrap circuit v{CIRCUIT_VERSION}: {shape:?}");
    let digest = PoseidonBn254::hash(description.as_bytes());
    digest.as_bytes()[..16]
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

/// The Groth16 keys of one shape's circuit.
pub struct Keys {
    pub pk: ProvingKey<Bn254>,
    /// Constraints of the circuit.
    pub constraints: usize,
    pub path: PathBuf,
    /// Seconds the setup took, if it ran now (`None`: read from the cache).
    pub setup_seconds: Option<f64>,
}

/// The keys of `shape`'s circuit from `dir`, made (and written there atomically) if absent.
pub fn keys<S: CircuitShape>(shape: &S, dir: &Path) -> Result<Keys, WrapFailure> {
    let path = dir.join(format!("{}.key", shape_id(shape)));
    let failure = |message: String| WrapFailure::Keys {
        path: path.clone(),
        message,
    };
    if path.exists() {
        let bytes = std::fs::read(&path).map_err(|e| failure(e.to_string()))?;
        let (constraints, pk) = parse_keys(&bytes).map_err(failure)?;
        return Ok(Keys {
            pk,
            constraints,
            path,
            setup_seconds: None,
        });
    }
    let started = Instant::now();
    let constraints = count_constraints(shape)?;
    let pk = groth16::setup(shape.blank(), &mut OsRng)?;
    let setup_seconds = started.elapsed().as_secs_f64();
    let mut bytes = KEY_MAGIC.to_vec();
    bytes.extend((constraints as u64).to_le_bytes());
    pk.serialize_uncompressed(&mut bytes)
        .map_err(|e| failure(e.to_string()))?;
    let mut vk_bytes = Vec::new();
    pk.vk
        .serialize_uncompressed(&mut vk_bytes)
        .map_err(|e| failure(e.to_string()))?;
    std::fs::create_dir_all(dir).map_err(|e| failure(e.to_string()))?;
    write_atomically(&path.with_extension("vk"), &vk_bytes).map_err(|e| failure(e.to_string()))?;
    write_atomically(&path, &bytes).map_err(|e| failure(e.to_string()))?;
    Ok(Keys {
        pk,
        constraints,
        path,
        setup_seconds: Some(setup_seconds),
    })
}

/// The verifying key of `shape`'s circuit from `dir` (written there with its proving key); never
/// runs a setup: a verifier checks against keys it already trusts.
pub fn verifying_key<S: CircuitShape>(
    shape: &S,
    dir: &Path,
) -> Result<VerifyingKey<Bn254>, WrapFailure> {
    let path = dir.join(format!("{}.vk", shape_id(shape)));
    let bytes = std::fs::read(&path).map_err(|e| WrapFailure::Keys {
        path: path.clone(),
        message: format!(
            "{e}: no verifying key for this circuit (wrap a proof of this shape or run \
             `zkevm export-verifier` first)"
        ),
    })?;
    VerifyingKey::<Bn254>::deserialize_uncompressed(&bytes[..]).map_err(|e| WrapFailure::Keys {
        path,
        message: e.to_string(),
    })
}

fn parse_keys(bytes: &[u8]) -> Result<(usize, ProvingKey<Bn254>), String> {
    if bytes.len() < 12 || bytes[..4] != KEY_MAGIC {
        return Err("not a key file (delete it to make new keys)".into());
    }
    let constraints = u64::from_le_bytes(bytes[4..12].try_into().unwrap_or_default()) as usize;
    // Our own cache: points are not re-checked (a corrupt file fails the proof's verification).
    let pk = ProvingKey::<Bn254>::deserialize_uncompressed_unchecked(&bytes[12..])
        .map_err(|e| format!("{e} (delete it to make new keys)"))?;
    Ok((constraints, pk))
}

/// Constraints of `shape`'s circuit (synthesized without a witness).
pub fn count_constraints<S: CircuitShape>(shape: &S) -> Result<usize, WrapFailure> {
    let cs = ConstraintSystem::<Fr>::new_ref();
    cs.set_mode(SynthesisMode::Setup);
    (shape.blank())
        .generate_constraints(cs.clone())
        .map_err(|e| WrapFailure::Unsatisfied(e.to_string()))?;
    Ok(cs.num_constraints())
}

/// Reads a file format's fields, failing (never panicking) on truncation.
pub(crate) struct Reader<'a> {
    bytes: &'a [u8],
    at: usize,
}

impl<'a> Reader<'a> {
    pub(crate) fn new(bytes: &'a [u8]) -> Self {
        Reader { bytes, at: 0 }
    }

    pub(crate) fn take(&mut self, n: usize) -> Result<&'a [u8], WrapFailure> {
        let end = self.at.checked_add(n).filter(|&e| e <= self.bytes.len());
        let end = end.ok_or_else(|| WrapFailure::Format("truncated".into()))?;
        let part = &self.bytes[self.at..end];
        self.at = end;
        Ok(part)
    }

    pub(crate) fn u8(&mut self) -> Result<u8, WrapFailure> {
        Ok(self.take(1)?[0])
    }

    pub(crate) fn u16(&mut self) -> Result<u16, WrapFailure> {
        let b = self.take(2)?;
        Ok(u16::from_le_bytes([b[0], b[1]]))
    }

    pub(crate) fn u32(&mut self) -> Result<u32, WrapFailure> {
        let b = self.take(4)?;
        Ok(u32::from_le_bytes([b[0], b[1], b[2], b[3]]))
    }

    /// The magic and the version every file of ours starts with.
    pub(crate) fn header(
        &mut self,
        magic: [u8; 4],
        version: u16,
        what: &str,
    ) -> Result<(), WrapFailure> {
        if self.take(4)? != magic {
            return Err(WrapFailure::Format(format!("not {what} (magic)")));
        }
        match self.u16()? {
            v if v == version => Ok(()),
            v => Err(WrapFailure::Format(format!(
                "{what} of version {v}, expected {version}"
            ))),
        }
    }

    fn air(&mut self) -> Result<WrappedAir, WrapFailure> {
        WrappedAir::from_id(self.u16()?).ok_or_else(|| WrapFailure::Format("unknown AIR".into()))
    }

    /// `u16` count, then canonical `u64`s.
    fn inputs(&mut self) -> Result<Vec<Goldilocks>, WrapFailure> {
        let count = self.u16()? as usize;
        if count > MAX_INPUTS {
            return Err(WrapFailure::Format("too many statement elements".into()));
        }
        (0..count)
            .map(|_| {
                let word: [u8; 8] = self.take(8)?.try_into().unwrap_or_default();
                Goldilocks::from_le_bytes(word)
                    .map_err(|_| WrapFailure::Format("a statement element not below p".into()))
            })
            .collect()
    }

    pub(crate) fn end(&self) -> Result<(), WrapFailure> {
        if self.at == self.bytes.len() {
            Ok(())
        } else {
            Err(WrapFailure::Format("bytes after the end".into()))
        }
    }
}

fn write_inputs(out: &mut Vec<u8>, inputs: &[Goldilocks]) {
    out.extend((inputs.len() as u16).to_le_bytes());
    for input in inputs {
        out.extend(input.as_int().to_le_bytes());
    }
}

/// A wrapped proof: which AIR, the trace length, the statement and the Groth16 proof.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Wrapped {
    pub air: WrappedAir,
    pub log_trace_len: u8,
    pub inputs: Vec<Goldilocks>,
    pub proof: [u8; PROOF_BYTES],
}

impl Wrapped {
    /// The file format of the module docs.
    pub fn to_bytes(&self) -> Vec<u8> {
        let mut out = PROOF_MAGIC.to_vec();
        out.extend(PROOF_VERSION.to_le_bytes());
        out.extend(self.air.id().to_le_bytes());
        out.push(self.log_trace_len);
        write_inputs(&mut out, &self.inputs);
        out.extend(self.proof);
        out
    }

    pub fn from_bytes(bytes: &[u8]) -> Result<Self, WrapFailure> {
        let mut r = Reader::new(bytes);
        r.header(PROOF_MAGIC, PROOF_VERSION, "a wrapped proof")?;
        let air = r.air()?;
        let log_trace_len = r.u8()?;
        let inputs = r.inputs()?;
        let proof: [u8; PROOF_BYTES] = r.take(PROOF_BYTES)?.try_into().unwrap_or([0; PROOF_BYTES]);
        r.end()?;
        Ok(Wrapped {
            air,
            log_trace_len,
            inputs,
            proof,
        })
    }

    /// Whether `bytes` start like a wrapped proof.
    pub fn is_wrapped(bytes: &[u8]) -> bool {
        bytes.starts_with(&PROOF_MAGIC)
    }
}

/// A STARK proof of a [`WrappedAir`] in the wrap profile, with its statement: what `zkevm
/// wrap` reads. Format: magic `"ZKSA"`, version `u16` 1, AIR id `u16`, the statement's elements
/// (`u16` count, `u64`s), then winterfell's proof bytes (`u32` length first).
#[derive(Debug, Clone)]
pub struct StarkFile {
    pub air: WrappedAir,
    pub inputs: Vec<Goldilocks>,
    pub proof: Proof,
}

const STARK_MAGIC: [u8; 4] = *b"ZKSA";
const STARK_VERSION: u16 = 1;

impl StarkFile {
    pub fn to_bytes(&self) -> Vec<u8> {
        let mut out = STARK_MAGIC.to_vec();
        out.extend(STARK_VERSION.to_le_bytes());
        out.extend(self.air.id().to_le_bytes());
        write_inputs(&mut out, &self.inputs);
        let proof = self.proof.to_bytes();
        out.extend((proof.len() as u32).to_le_bytes());
        out.extend(proof);
        out
    }

    pub fn from_bytes(bytes: &[u8]) -> Result<Self, WrapFailure> {
        let mut r = Reader::new(bytes);
        r.header(STARK_MAGIC, STARK_VERSION, "a STARK proof file")?;
        let air = r.air()?;
        let inputs = r.inputs()?;
        let len = r.u32()? as usize;
        let bytes = r.take(len)?;
        // winterfell asserts on some malformed option fields while parsing.
        let proof = std::panic::catch_unwind(|| Proof::from_bytes(bytes))
            .map_err(|_| WrapFailure::Format("the STARK proof's options are malformed".into()))?
            .map_err(|e| WrapFailure::Format(format!("the STARK proof: {e}")))?;
        r.end()?;
        Ok(StarkFile { air, inputs, proof })
    }

    /// Whether `bytes` start like a STARK proof file.
    pub fn is_stark(bytes: &[u8]) -> bool {
        bytes.starts_with(&STARK_MAGIC)
    }

    /// Proves the built-in Fibonacci AIR over `rows` rows in the wrap profile.
    pub fn fibonacci(rows: usize) -> Result<Self, WrapFailure> {
        let trace = fib_trace(rows);
        let inputs = FibInputs::of(&trace);
        let proof = prove_air_with::<FibAir, PoseidonBn254>(trace, inputs, wrap_options())
            .map_err(|e| WrapFailure::Wrap(WrapError::Unsupported(e)))?;
        Ok(StarkFile {
            air: WrappedAir::Fibonacci,
            inputs: vec![inputs.result],
            proof,
        })
    }

    /// Wraps this proof with the keys in `key_dir`.
    pub fn wrap(&self, key_dir: &Path) -> Result<(Wrapped, WrapReport), WrapFailure> {
        match self.air {
            WrappedAir::Fibonacci => {
                let [result] = self.inputs[..] else {
                    return Err(WrapFailure::Format(
                        "a Fibonacci statement has one element".into(),
                    ));
                };
                wrap::<FibAir>(self.air, &self.proof, FibInputs { result }, key_dir)
            }
            WrappedAir::Component(id) => {
                let [g0, g1, b0, b1, c0, c1] = self.inputs[..] else {
                    return Err(WrapFailure::Format(
                        "a component's statement has six elements".into(),
                    ));
                };
                let inputs = ComponentInputs {
                    gamma: Quadratic::new(g0, g1),
                    beta: Quadratic::new(b0, b1),
                    claim: Quadratic::new(c0, c1),
                    offset: 0,
                };
                with_component!(id, C => {
                    wrap::<ComponentAir<C>>(self.air, &self.proof, inputs, key_dir)
                })
            }
        }
    }
}

/// What wrapping one proof took.
#[derive(Debug, Clone)]
pub struct WrapReport {
    pub constraints: usize,
    pub key_path: PathBuf,
    pub setup_seconds: Option<f64>,
    /// Reading the proof into the circuit's witness (includes the native verification).
    pub witness_seconds: f64,
    pub prove_seconds: f64,
    /// The statement hash: the Groth16 proof's only public input.
    pub statement: Fr,
}

/// Wraps `proof` (of `air`'s AIR `A`, statement `inputs`) with the keys in `key_dir`.
pub fn wrap<A>(
    air: WrappedAir,
    proof: &Proof,
    inputs: A::PublicInputs,
    key_dir: &Path,
) -> Result<(Wrapped, WrapReport), WrapFailure>
where
    A: WrappableAir,
    A::PublicInputs: Clone,
{
    let started = Instant::now();
    // The proof must be of this AIR's wrap shape before anything is built from it.
    let log_trace_len = proof.trace_info().length().ilog2() as u8;
    let context: Vec<Goldilocks> = proof.context.to_elements();
    if air.shape(log_trace_len)?.context != context {
        return Err(
            WrapError::Malformed("the proof is not of this AIR's wrap shape".into()).into(),
        );
    }
    let circuit = VerifierCircuit::for_proof::<A>(proof, inputs)?;
    let witness_seconds = started.elapsed().as_secs_f64();
    let statement = circuit.statement().ok_or(WrapFailure::Invalid)?;
    let inputs = circuit
        .witness
        .as_ref()
        .map(|w| w.inputs.clone())
        .unwrap_or_default();
    let shape = circuit.shape.clone();
    let (proof, report) = prove_circuit(&shape, circuit, statement, witness_seconds, key_dir)?;
    let wrapped = Wrapped {
        air,
        log_trace_len,
        inputs,
        proof,
    };
    Ok((wrapped, report))
}

/// The Groth16 proof of `circuit` (of `shape`, with public input `statement`) with the keys in
/// `key_dir` (made first if absent), checked against the verifying key.
pub fn prove_circuit<S: CircuitShape>(
    shape: &S,
    circuit: S::Circuit,
    statement: Fr,
    witness_seconds: f64,
    key_dir: &Path,
) -> Result<([u8; PROOF_BYTES], WrapReport), WrapFailure> {
    let keys = keys(shape, key_dir)?;
    let started = Instant::now();
    let groth = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
        groth16::prove(&keys.pk, circuit, &mut OsRng)
    }))
    .map_err(|_| WrapFailure::Keys {
        path: keys.path.clone(),
        message: "the key does not fit the circuit (delete it to make new keys)".into(),
    })??;
    let prove_seconds = started.elapsed().as_secs_f64();
    if !groth16::verify(&keys.pk.vk, &[statement], &groth)? {
        return Err(WrapFailure::Keys {
            path: keys.path,
            message: "the proof made with this key does not verify (delete it)".into(),
        });
    }
    let report = WrapReport {
        constraints: keys.constraints,
        key_path: keys.path,
        setup_seconds: keys.setup_seconds,
        witness_seconds,
        prove_seconds,
        statement,
    };
    Ok((proof_bytes(&groth), report))
}

/// Checks a Groth16 proof against the cached verifying key of `shape` with public input
/// `statement`.
pub fn verify_circuit_proof<S: CircuitShape>(
    shape: &S,
    statement: Fr,
    proof: &[u8; PROOF_BYTES],
    key_dir: &Path,
) -> Result<Fr, WrapFailure> {
    let vk = verifying_key(shape, key_dir)?;
    let proof = proof_from_bytes(proof)?;
    if groth16::verify(&vk, &[statement], &proof)? {
        Ok(statement)
    } else {
        Err(WrapFailure::Invalid)
    }
}

/// Checks a wrapped proof against the cached verifying key of its shape; returns its statement
/// hash.
pub fn verify_wrapped(wrapped: &Wrapped, key_dir: &Path) -> Result<Fr, WrapFailure> {
    let shape = wrapped.air.shape(wrapped.log_trace_len)?;
    if wrapped.inputs.len() != shape.num_inputs {
        return Err(WrapFailure::Format("a statement of another length".into()));
    }
    verify_circuit_proof(
        &shape,
        shape.statement(&wrapped.inputs),
        &wrapped.proof,
        key_dir,
    )
}
