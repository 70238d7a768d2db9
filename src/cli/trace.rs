//! `zkevm trace <fixture> [--case ID] [--out FILE] [--binary]`: records the witness of one
//! state-test case.

use anyhow::Context;
use clap::Args;
use std::path::{Path, PathBuf};
use zkevm_evm_spec::fixture::load_file;
use zkevm_evm_spec::runner::trace_case;
use zkevm_evm_spec::witness::Witness;

#[derive(Debug, Args)]
pub struct TraceArgs {
    /// A state-test fixture file.
    pub fixture: PathBuf,
    /// Test id (or a unique substring of it); `ID#i` selects the i-th expectation. Default: the
    /// first case.
    #[arg(long)]
    pub case: Option<String>,
    /// Write the witness here instead of stdout.
    #[arg(long)]
    pub out: Option<PathBuf>,
    /// Write the compact binary (postcard) form instead of JSON.
    #[arg(long)]
    pub binary: bool,
}

/// The witness of one case of a fixture file: `case` is a test id, a unique substring of one,
/// or `ID#i` for its i-th expectation; `None` takes the first case. Returns the case id too.
pub fn case_witness(fixture: &Path, case: Option<&str>) -> anyhow::Result<(String, Witness)> {
    let file = load_file(fixture)?;
    let (want, index) = match case.map(|c| c.rsplit_once('#')) {
        Some(Some((id, i))) if i.parse::<usize>().is_ok() => {
            (Some(id.to_string()), i.parse().unwrap_or(0))
        }
        _ => (case.map(str::to_string), 0),
    };
    let candidates: Vec<_> = file
        .cases
        .iter()
        .filter(|(id, _)| {
            want.as_ref()
                .is_none_or(|w| id == w || id.contains(w.as_str()))
        })
        .collect();
    let (id, case) = match (candidates.as_slice(), &want) {
        ([], _) => anyhow::bail!(
            "{}: no case matches `{}`",
            fixture.display(),
            want.as_deref().unwrap_or("")
        ),
        ([one], _) => *one,
        (many, Some(w)) => match many.iter().find(|(id, _)| id == w) {
            Some(exact) => *exact,
            None => anyhow::bail!(
                "{}: {} cases match {w:?}; give the full id",
                fixture.display(),
                many.len()
            ),
        },
        ([first, ..], None) => *first,
    };
    let case = case.as_ref().map_err(|e| anyhow::anyhow!("{e}"))?;
    let post = case
        .post
        .get(index)
        .with_context(|| format!("{id}: no expectation #{index} (has {})", case.post.len()))?;
    let witness = trace_case(case, post).map_err(|e| anyhow::anyhow!("{id}: {e}"))?;
    Ok((id.clone(), witness))
}

pub fn run(args: &TraceArgs) -> anyhow::Result<()> {
    let (id, witness) = case_witness(&args.fixture, args.case.as_deref())?;
    let bytes = if args.binary {
        witness.to_bytes()?
    } else {
        witness.to_json()?.into_bytes()
    };
    match &args.out {
        Some(path) => {
            super::output::write_atomic(path, &bytes)?;
            eprintln!(
                "{id}: {} steps, {} rw, {} frames, {} alu, {} bitwise, {} keccak, {} copies; gas used {}; {} bytes written to {}",
                witness.steps.len(),
                witness.rw.len(),
                witness.frames.len(),
                witness.alu.len(),
                witness.bitwise.len(),
                witness.keccak.len(),
                witness.copies.len(),
                witness.result.gas_used,
                bytes.len(),
                path.display()
            );
        }
        None => {
            use std::io::Write;
            std::io::stdout().write_all(&bytes)?;
            if !args.binary {
                println!();
            }
        }
    }
    Ok(())
}
