//! How much memory a proof will need, checked before proving: a proof that cannot fit is
//! refused with the figure, instead of the process being killed halfway.
//!
//! While the tables' main extensions fit [`zkevm_prover::main_lde_budget`] (a quarter of the
//! machine's memory), the prover keeps every one (main columns in the base field over the
//! blown-up domain) from the block commitment until its table is proven, and each table's
//! auxiliary extension (quadratic extension) with its Merkle trees and constraint composition
//! while it is proven: the estimate is all the extensions' bytes times
//! [`PEAK_PER_EXTENDED_BYTE`], measured on the call-heavy benchmark (`zkevm prove --calls
//! 10000 --json`: 5.91 GiB peak over 3.87 GiB of extensions). Past that budget the prover
//! rebuilds each main extension when its table is proven, and holds the traces and one
//! table's extensions at a time: the estimate is the traces' bytes, the buffer pool's limit
//! ([`zkevm_prover::pool::MAX_POOLED_BYTES`]: the dropped extensions wait there for reuse) and
//! the largest table's extensions times the same factor. `sha3_0xFFFFF_0s` (Keccak shards of
//! 2²⁰ and 2¹⁹ rows, RW and Copy of 2²¹, fast-test profile): 20.5 GiB estimated, 18.3 GiB
//! measured (`/usr/bin/time -v zkevm prove … --case sha3_0xFFFFF_0s --profile fast-test`).

use crate::evm::TableSize;
use zkevm_prover::lde::row_stride;

/// Peak resident bytes per byte of the extended traces (Merkle trees, composition, pools).
/// (Measured 1.53: 5.91 GiB peak over 3.87 GiB of extensions at blowup 8.)
pub const PEAK_PER_EXTENDED_BYTE: f64 = 1.6;

/// Environment variable overriding the budget, in GiB.
pub const BUDGET_VARIABLE: &str = "ZKEVM_MEMORY_BUDGET_GIB";

/// The bytes of every table's extension at `blowup`: 8 per main cell, 16 per auxiliary cell,
/// rows padded as the prover pads them ([`zkevm_prover::lde::row_stride`]).
pub fn extended_bytes(tables: &[TableSize], blowup: usize) -> u64 {
    (tables.iter())
        .map(|t| {
            (t.rows * blowup) as u64
                * 8
                * (row_stride(t.columns) + row_stride(2 * t.aux_columns)) as u64
        })
        .sum()
}

/// The peak memory a proof of `tables` is expected to take (module docs).
pub fn estimated_peak(tables: &[TableSize], blowup: usize) -> u64 {
    estimated_peak_within(tables, blowup, zkevm_prover::main_lde_budget() as u64)
}

/// [`estimated_peak`] for a prover that keeps main extensions up to `kept` bytes in all.
fn estimated_peak_within(tables: &[TableSize], blowup: usize, kept: u64) -> u64 {
    let peak = |extended: u64| (extended as f64 * PEAK_PER_EXTENDED_BYTE) as u64;
    let main: u64 = (tables.iter())
        .map(|t| (t.rows * blowup * row_stride(t.columns)) as u64 * 8)
        .sum();
    if main <= kept {
        return peak(extended_bytes(tables, blowup));
    }
    let traces: u64 = tables.iter().map(|t| (t.rows * t.columns) as u64 * 8).sum();
    let largest = (tables.iter())
        .map(|t| extended_bytes(core::slice::from_ref(t), blowup))
        .max()
        .unwrap_or(0);
    traces + zkevm_prover::pool::MAX_POOLED_BYTES as u64 + peak(largest)
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
        // The CPU's 100 main columns extend into rows of 104 (whole cache lines); the other
        // widths would pad by more than an eighth and stay.
        let expected = (1 << 13) * (832 + 160) + (1 << 15) * (160 + 64);
        assert_eq!(extended_bytes(&tables, 8), expected);
        // Main extensions of 6.8 MiB + 5.2 MiB: kept under a budget that holds them...
        let main = (1 << 13) * 832 + (1 << 15) * 160;
        let all = (expected as f64 * PEAK_PER_EXTENDED_BYTE) as u64;
        assert_eq!(estimated_peak_within(&tables, 8, main), all);
        // ... rebuilt one at a time otherwise: the traces, the pool and the CPU's extensions.
        let traces = (1 << 10) * 800 + (1 << 12) * 160;
        let cpu = ((1 << 13) * (832 + 160)) as f64 * PEAK_PER_EXTENDED_BYTE;
        let pool = zkevm_prover::pool::MAX_POOLED_BYTES as u64;
        assert_eq!(
            estimated_peak_within(&tables, 8, main - 1),
            traces + pool + cpu as u64
        );
    }
}
