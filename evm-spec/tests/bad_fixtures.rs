//! Malformed fixtures give errors naming the file, the test id and the field, and the run goes on
//! with the other cases.

use std::path::PathBuf;
use zkevm_evm_spec::fixture::{fixtures_dir, parse_file};
use zkevm_evm_spec::runner::{run_files, Status};

/// A real, passing case to mix with broken ones.
fn good_case() -> (String, serde_json::Value) {
    let path = fixtures_dir()
        .unwrap_or_else(|e| panic!("{e}"))
        .join("eest/state_tests/static/state_tests/stSStoreTest/sstore_0toX.json");
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    let map: serde_json::Map<String, serde_json::Value> =
        serde_json::from_str(&text).unwrap_or_else(|e| panic!("{e}"));
    map.into_iter()
        .next()
        .unwrap_or_else(|| panic!("empty fixture"))
}

fn scratch_dir(name: &str) -> PathBuf {
    let dir =
        std::env::temp_dir().join(format!("zkevm-bad-fixtures-{}-{name}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap_or_else(|e| panic!("{e}"));
    dir
}

#[test]
fn broken_cases_are_reported_and_the_run_continues() {
    let (good_id, good) = good_case();
    let mut missing = good.clone();
    missing["transaction"]
        .as_object_mut()
        .map(|t| t.remove("sender"));
    let mut bad_hex = good.clone();
    bad_hex["transaction"]["gasLimit"][0] = serde_json::json!("0xzz");
    let mut unknown_fork = good.clone();
    let post = unknown_fork["post"]["Osaka"].clone();
    unknown_fork["post"] = serde_json::json!({ "Osaka": post, "Atlantis": [] });
    let mut bad_index = good.clone();
    bad_index["post"]["Osaka"][0]["indexes"]["data"] = serde_json::json!(7);
    let file = serde_json::json!({
        "missing": missing,
        "badhex": bad_hex,
        "fork": unknown_fork,
        "index": bad_index,
        good_id.clone(): good,
    });
    let dir = scratch_dir("mixed");
    let path = dir.join("mixed.json");
    std::fs::write(&path, file.to_string()).unwrap_or_else(|e| panic!("{e}"));
    let malformed = dir.join("malformed.json");
    std::fs::write(&malformed, "{\"x\": {").unwrap_or_else(|e| panic!("{e}"));

    let summary = run_files(&[malformed.clone(), path.clone()], None, |_| {});
    let reason = |id: &str| {
        summary
            .cases
            .iter()
            .find(|c| c.id == id)
            .and_then(|c| c.reason.clone())
            .unwrap_or_default()
    };
    assert_eq!(summary.total, 6);
    assert_eq!(summary.passed, 1, "{:?}", summary.cases);
    assert_eq!(summary.failed, 5);
    let file_name = path.display().to_string();
    for (id, field) in [
        ("missing", "transaction.sender: missing field"),
        ("badhex", "transaction.gasLimit[0]: bad hex quantity"),
        ("fork", "unknown fork `Atlantis`"),
        ("index", "indexes.data: index 7 out of range"),
    ] {
        let r = reason(id);
        assert!(
            r.contains(&file_name) && r.contains(id) && r.contains(field),
            "{id}: {r}"
        );
    }
    assert!(
        reason("<file>").contains("malformed JSON"),
        "{}",
        reason("<file>")
    );
    assert!(summary
        .cases
        .iter()
        .any(|c| c.id == good_id && c.status == Status::Passed));
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn parse_file_rejects_non_object_roots() {
    let e = parse_file(std::path::Path::new("x.json"), b"[1, 2]").err();
    assert!(e.is_some_and(|e| e.to_string().contains("x.json")));
}
