//! How much memory a proof will need, checked before proving: a proof that cannot fit is
//! refused with the figure, instead of the process being killed halfway.
//!
//! The prover keeps every table's low-degree extension (main columns in the base field,
//! auxiliary columns in the quadratic extension, over the blown-up domain) until the queries
//! are answered, plus their Merkle trees and the constraint composition: the estimate is the
//! extensions' bytes times [`PEAK_PER_EXTENDED_BYTE`], measured on the call-heavy benchmark
//! (`zkevm prove --calls 10000 --json`: 5.91 GiB peak over 3.87 GiB of extensions).

use crate::evm::TableSize;

/// Peak resident bytes per byte of the extended traces (Merkle trees, composition, pools).
/// (Measured 1.53: 5.91 GiB peak over 3.87 GiB of extensions at blowup 8.)
pub const PEAK_PER_EXTENDED_BYTE: f64 = 1.6;

/// Environment variable overriding the budget, in GiB.
pub const BUDGET_VARIABLE: &str = "ZKEVM_MEMORY_BUDGET_GIB";

/// The bytes of every table's extension at `blowup`: 8 per main cell, 16 per auxiliary cell.
pub fn extended_bytes(tables: &[TableSize], blowup: usize) -> u64 {
    (tables.iter())
        .map(|t| (t.rows * blowup) as u64 * (8 * t.columns + 16 * t.aux_columns) as u64)
        .sum()
}

/// The peak memory a proof of `tables` is expected to take.
pub fn estimated_peak(tables: &[TableSize], blowup: usize) -> u64 {
    (extended_bytes(tables, blowup) as f64 * PEAK_PER_EXTENDED_BYTE) as u64
}

/// The memory a proof may take: [`BUDGET_VARIABLE`] if set, else what the system reports
/// available (`MemAvailable` in `/proc/meminfo`) plus this process's own resident memory
/// (the CLI keeps freed memory for reuse, [`crate::allocator`], so after one proof most of
/// its resident size is free for the next); `None` when neither is known (no check).
pub fn budget() -> Option<u64> {
    if let Some(gib) = std::env::var(BUDGET_VARIABLE)
        .ok()
        .and_then(|v| v.trim().parse::<f64>().ok())
    {
        return Some((gib * (1u64 << 30) as f64) as u64);
    }
    let available = kib_field("/proc/meminfo", "MemAvailable:")?;
    let resident = kib_field("/proc/self/status", "VmRSS:").unwrap_or(0);
    Some((available + resident) * 1024)
}

/// A `name: value kB` line's value.
fn kib_field(path: &str, name: &str) -> Option<u64> {
    let text = std::fs::read_to_string(path).ok()?;
    let line = text.lines().find(|l| l.starts_with(name))?;
    line.split_whitespace().nth(1)?.parse().ok()
}

/// GiB, for messages.
pub fn gib(bytes: u64) -> f64 {
    bytes as f64 / (1u64 << 30) as f64
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_estimate_counts_main_and_auxiliary_cells_over_the_blown_up_domain() {
        let tables = [
            TableSize {
                name: "cpu",
                rows: 1 << 10,
                columns: 100,
                aux_columns: 10,
            },
            TableSize {
                name: "rw",
                rows: 1 << 12,
                columns: 20,
                aux_columns: 4,
            },
        ];
        let expected = (1 << 13) * (800 + 160) + (1 << 15) * (160 + 64);
        assert_eq!(extended_bytes(&tables, 8), expected);
        assert_eq!(
            estimated_peak(&tables, 8),
            (expected as f64 * PEAK_PER_EXTENDED_BYTE) as u64
        );
    }
}
