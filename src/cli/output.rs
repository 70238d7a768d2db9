//! Writing output files atomically (see [`zkevm_prover::files`]), with the path in the error.

use anyhow::Context;
use std::path::Path;

/// [`zkevm_prover::files::write_atomically`], naming `path` on failure.
pub fn write_atomic(path: &Path, bytes: &[u8]) -> anyhow::Result<()> {
    zkevm_prover::files::write_atomically(path, bytes)
        .with_context(|| format!("writing {}", path.display()))
}

/// A spinner with a message and the elapsed time, hidden under `--json` (stdout stays one
/// JSON document).
pub fn spinner(hidden: bool) -> anyhow::Result<indicatif::ProgressBar> {
    let bar = if hidden {
        indicatif::ProgressBar::hidden()
    } else {
        indicatif::ProgressBar::new_spinner()
    };
    bar.set_style(indicatif::ProgressStyle::with_template(
        "{spinner} {msg} [{elapsed}]",
    )?);
    bar.enable_steady_tick(std::time::Duration::from_millis(120));
    Ok(bar)
}

/// Lowercase hexadecimal of `bytes`, without a prefix.
pub fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}
