//! The state-test runner: executes every case of EEST fixture files and checks the post state
//! account by account, the logs hash and the state root.

use crate::error::Error;
use crate::exec::{execute, execute_traced, state_test_tx, ChainConfig, NoInspector, Outcome};
use crate::fixture::{load_file, AccountState, PostEntry, StateTest, WorldState, FORK};
use crate::state::{logs_hash, MemDb};
use crate::witness::Witness;
use alloy_primitives::Address;
use serde::Serialize;
use std::path::{Path, PathBuf};

/// Outcome of one case.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Status {
    /// All checks passed.
    Passed,
    /// A check failed or the case could not be loaded; `reason` says which.
    Failed,
    /// Not executed; `reason` says why.
    Skipped,
    /// Passed, and its execution was proven and the proof verified (`zkevm test --prove`).
    Proved,
    /// Passed, but its execution uses something the prover does not cover yet; `reason` names
    /// it (`zkevm test --prove`).
    Unsupported,
}

/// Report of one case.
#[derive(Clone, Debug, Serialize)]
pub struct CaseReport {
    /// Test id; `#i` is appended when a test has several expectations for the fork.
    pub id: String,
    /// The fixture file.
    pub file: String,
    /// Passed, failed or skipped.
    pub status: Status,
    /// Why it failed or was skipped.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub reason: Option<String>,
}

/// Report of a run over many files.
#[derive(Clone, Debug, Default, Serialize)]
pub struct Summary {
    /// Number of cases.
    pub total: usize,
    /// Cases that passed.
    pub passed: usize,
    /// Cases that failed (including malformed ones).
    pub failed: usize,
    /// Cases skipped.
    pub skipped: usize,
    /// Cases proven and verified (only when proving).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub proved: Option<usize>,
    /// Cases passed but not provable yet (only when proving).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub unsupported: Option<usize>,
    /// One report per case.
    pub cases: Vec<CaseReport>,
}

impl Summary {
    /// The unsupported cases grouped by reason, most frequent first (ties by reason). Reasons
    /// differing only in counts ("2 call frames …", "3 call frames …") are one group: their
    /// whole-number words are dropped.
    pub fn unsupported_by_reason(&self) -> Vec<(String, usize)> {
        let mut groups: std::collections::BTreeMap<String, usize> = Default::default();
        for case in self
            .cases
            .iter()
            .filter(|c| c.status == Status::Unsupported)
        {
            let reason = case.reason.as_deref().unwrap_or("");
            let words: Vec<&str> = (reason.split_whitespace())
                .filter(|w| !w.chars().all(|c| c.is_ascii_digit()))
                .collect();
            *groups.entry(words.join(" ")).or_default() += 1;
        }
        let mut counts: Vec<(String, usize)> = groups.into_iter().collect();
        counts.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
        counts
    }

    fn push(&mut self, report: CaseReport) {
        self.total += 1;
        match report.status {
            Status::Passed => self.passed += 1,
            Status::Failed => self.failed += 1,
            Status::Skipped => self.skipped += 1,
            Status::Proved => *self.proved.get_or_insert(0) += 1,
            Status::Unsupported => *self.unsupported.get_or_insert(0) += 1,
        }
        self.cases.push(report);
    }
}

/// All `*.json` files under `paths` (files are taken as given, directories are walked
/// recursively), sorted for a deterministic order. Missing paths are an error.
pub fn collect_files(paths: &[PathBuf]) -> Result<Vec<PathBuf>, Error> {
    let mut out = Vec::new();
    for p in paths {
        if p.is_dir() {
            walk(p, &mut out)?;
        } else if p.is_file() {
            out.push(p.clone());
        } else {
            return Err(Error::Io {
                path: p.clone(),
                error: std::io::Error::new(
                    std::io::ErrorKind::NotFound,
                    "no such file or directory",
                ),
            });
        }
    }
    out.sort();
    out.dedup();
    Ok(out)
}

fn walk(dir: &Path, out: &mut Vec<PathBuf>) -> Result<(), Error> {
    let io = |error| Error::Io {
        path: dir.to_path_buf(),
        error,
    };
    for entry in std::fs::read_dir(dir).map_err(io)? {
        let path = entry.map_err(io)?.path();
        if path.is_dir() {
            walk(&path, out)?;
        } else if path.extension().is_some_and(|e| e == "json") {
            out.push(path);
        }
    }
    Ok(())
}

/// Runs every case of `files` whose id or file path contains `filter`.
/// `on_case` is called after each case (for progress output).
pub fn run_files(
    files: &[PathBuf],
    filter: Option<&str>,
    on_case: impl FnMut(&CaseReport),
) -> Summary {
    run_files_with(files, filter, verdict_of, on_case)
}

/// Status and reason of [`run_case`].
pub fn verdict_of(case: &StateTest, post: &PostEntry) -> (Status, Option<String>) {
    match run_case(case, post) {
        Ok(()) => (Status::Passed, None),
        Err(reason) => (Status::Failed, Some(reason)),
    }
}

/// [`run_files`] with the verdict of each expectation given by `judge` (for instance: execute,
/// check, then prove).
pub fn run_files_with(
    files: &[PathBuf],
    filter: Option<&str>,
    mut judge: impl FnMut(&StateTest, &PostEntry) -> (Status, Option<String>),
    mut on_case: impl FnMut(&CaseReport),
) -> Summary {
    let mut summary = Summary::default();
    for file in files {
        let file_name = file.display().to_string();
        let file_matches = filter.is_some_and(|f| file_name.contains(f));
        let wanted =
            |id: &str| filter.is_none() || file_matches || filter.is_some_and(|f| id.contains(f));
        let mut emit = |report: CaseReport| {
            on_case(&report);
            summary.push(report);
        };
        let loaded = match load_file(file) {
            Ok(l) => l,
            Err(e) => {
                emit(CaseReport {
                    id: String::from("<file>"),
                    file: file_name.clone(),
                    status: Status::Failed,
                    reason: Some(e.to_string()),
                });
                continue;
            }
        };
        for (id, case) in loaded.cases {
            if !wanted(&id) {
                continue;
            }
            let case = match case {
                Ok(c) => c,
                Err(e) => {
                    emit(CaseReport {
                        id,
                        file: file_name.clone(),
                        status: Status::Failed,
                        reason: Some(e.to_string()),
                    });
                    continue;
                }
            };
            if case.post.is_empty() {
                emit(CaseReport {
                    id,
                    file: file_name.clone(),
                    status: Status::Skipped,
                    reason: Some(format!(
                        "no {FORK} expectations (forks present: {})",
                        case.other_forks.join(", ")
                    )),
                });
                continue;
            }
            let many = case.post.len() > 1;
            for (i, post) in case.post.iter().enumerate() {
                let case_id = if many {
                    format!("{id}#{i}")
                } else {
                    id.clone()
                };
                let (status, reason) = judge(&case, post);
                emit(CaseReport {
                    id: case_id,
                    file: file_name.clone(),
                    status,
                    reason,
                });
            }
        }
    }
    summary
}

/// The chain configuration of a state test (Osaka's transaction gas cap applies).
pub fn chain_config(case: &StateTest) -> ChainConfig {
    ChainConfig {
        chain_id: case.chain_id,
        blob_params: case.blob_params,
        tx_gas_limit_cap: None,
    }
}

/// Executes one expectation of a case and checks it; `Err` carries the first failure's reason.
pub fn run_case(case: &StateTest, post: &PostEntry) -> Result<(), String> {
    let tx = state_test_tx(case, post).map_err(|e| e.to_string())?;
    let mut db = MemDb::new(case.pre.clone());
    let outcome = execute::<NoInspector>(&mut db, &case.env, &chain_config(case), tx, None)
        .map_err(|e| e.to_string())?;
    check_outcome(&db, &outcome, post)
}

/// Like [`run_case`], executing with the witness recorder; returns the witness. Recording must
/// not change execution, so the same checks apply.
pub fn trace_case(case: &StateTest, post: &PostEntry) -> Result<Witness, String> {
    let tx = state_test_tx(case, post).map_err(|e| e.to_string())?;
    let mut db = MemDb::new(case.pre.clone());
    let (outcome, witness) =
        execute_traced(&mut db, &case.env, &chain_config(case), tx).map_err(|e| e.to_string())?;
    check_outcome(&db, &outcome, post)?;
    Ok(witness)
}

/// Checks an executed case against its expectation.
pub fn check_outcome(db: &MemDb, outcome: &Outcome, post: &PostEntry) -> Result<(), String> {
    let logs = match (outcome, &post.expect_exception) {
        (Outcome::Invalid(e), None) => {
            return Err(format!(
                "transaction rejected as invalid ({e}) but no exception was expected"
            ))
        }
        (Outcome::Executed { .. }, Some(exc)) => {
            return Err(format!(
                "expected exception {exc} but the transaction was valid"
            ))
        }
        // Refused, as expected, but for the reason the fixture names: a refusal for another
        // reason is a different outcome.
        (Outcome::Invalid(rejection), Some(expected)) if !rejection.is_expected(expected) => {
            return Err(format!(
                "transaction rejected as invalid ({rejection}) but the fixture expects {expected}"
            ))
        }
        (Outcome::Invalid(_), Some(_)) => Vec::new(),
        (Outcome::Executed { logs, .. }, None) => logs.clone(),
    };
    compare_state(db.accounts(), &post.state)?;
    let got_logs = logs_hash(&logs);
    if got_logs != post.logs_hash {
        return Err(format!(
            "logs hash mismatch: got {got_logs}, expected {} ({} logs)",
            post.logs_hash,
            logs.len()
        ));
    }
    let root = db.state_root();
    if root != post.state_root {
        return Err(format!(
            "state root mismatch: got {root}, expected {}",
            post.state_root
        ));
    }
    Ok(())
}

/// Compares two world states account by account; the error lists up to 5 differences.
pub fn compare_state(got: &WorldState, expected: &WorldState) -> Result<(), String> {
    let mut diffs = Vec::new();
    for (address, exp) in expected {
        match got.get(address) {
            None => diffs.push(format!("account {address} missing")),
            Some(acc) => diff_account(*address, acc, exp, &mut diffs),
        }
    }
    for address in got.keys().filter(|a| !expected.contains_key(*a)) {
        diffs.push(format!("unexpected account {address}"));
    }
    if diffs.is_empty() {
        return Ok(());
    }
    let n = diffs.len();
    diffs.truncate(5);
    let more = if n > 5 {
        format!(" (+{} more)", n - 5)
    } else {
        String::new()
    };
    Err(format!("post state mismatch: {}{more}", diffs.join("; ")))
}

fn diff_account(address: Address, got: &AccountState, exp: &AccountState, diffs: &mut Vec<String>) {
    if got.nonce != exp.nonce {
        diffs.push(format!(
            "{address} nonce: got {}, expected {}",
            got.nonce, exp.nonce
        ));
    }
    if got.balance != exp.balance {
        diffs.push(format!(
            "{address} balance: got {}, expected {}",
            got.balance, exp.balance
        ));
    }
    if got.code != exp.code {
        diffs.push(format!(
            "{address} code: got {} bytes, expected {} bytes",
            got.code.len(),
            exp.code.len()
        ));
    }
    for (slot, v) in &exp.storage {
        let g = got.storage.get(slot).copied().unwrap_or_default();
        if g != *v {
            diffs.push(format!(
                "{address} storage[{slot:#x}]: got {g:#x}, expected {v:#x}"
            ));
        }
    }
    for (slot, g) in got
        .storage
        .iter()
        .filter(|(s, _)| !exp.storage.contains_key(s))
    {
        diffs.push(format!(
            "{address} storage[{slot:#x}]: got {g:#x}, expected 0"
        ));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn report(status: Status, reason: Option<&str>) -> CaseReport {
        CaseReport {
            id: "case".into(),
            file: "file.json".into(),
            status,
            reason: reason.map(str::to_string),
        }
    }

    #[test]
    fn unsupported_reasons_group_across_counts_and_leave_other_statuses_out() {
        let mut summary = Summary::default();
        for (status, reason) in [
            (
                Status::Unsupported,
                Some("2 call frames (first sub-frame: CALL)"),
            ),
            (
                Status::Unsupported,
                Some("3 call frames (first sub-frame: CALL)"),
            ),
            (Status::Unsupported, Some("EXTCODECOPY")),
            (Status::Unsupported, Some("memory beyond 2^16 words")),
            (Status::Failed, Some("EXTCODECOPY")),
            (Status::Proved, None),
        ] {
            summary.push(report(status, reason));
        }
        assert_eq!(
            summary.unsupported_by_reason(),
            [
                ("call frames (first sub-frame: CALL)".to_string(), 2),
                ("EXTCODECOPY".to_string(), 1),
                ("memory beyond 2^16 words".to_string(), 1),
            ]
        );
    }
}
