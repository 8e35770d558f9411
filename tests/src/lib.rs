//! Helpers shared by the workspace-level tests.

use std::path::{Path, PathBuf};
use std::process::Command;

/// Code generated at build time from the agency's contract files (both WSDLs), when
/// `../shared/corpus` is present.
#[cfg(fk_corpus)]
#[allow(missing_docs, dead_code, clippy::all)]
pub mod fk_shs_emottagning {
    include!(concat!(env!("OUT_DIR"), "/fk_shs_emottagning.rs"));
}

pub mod comparable;

/// The workspace root.
pub fn workspace_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .unwrap()
        .to_owned()
}

/// Whether the real-world corpus must be there: `ELT_REQUIRE_CORPUS=1`, which `cargo xtask
/// test` (and so CI) sets. A check that needs the corpus then fails instead of skipping.
pub fn corpus_required() -> bool {
    std::env::var("ELT_REQUIRE_CORPUS").is_ok_and(|v| v == "1")
}

/// `../shared/corpus/<case>` beside the workspace, or `None` (with a note) when absent.
///
/// # Panics
/// When the case is absent and [`corpus_required`]: under `cargo xtask test` a missing corpus
/// is a failure, never a skipped check.
pub fn shared_corpus(case: &str) -> Option<PathBuf> {
    let p = workspace_root().join("../shared/corpus").join(case);
    if p.is_dir() {
        Some(p)
    } else if corpus_required() {
        panic!(
            "{} is absent, and ELT_REQUIRE_CORPUS=1 requires it (the real-world corpus lives in \
             ../shared beside the workspace)",
            p.display()
        );
    } else {
        eprintln!("note: {} is absent; this check is skipped", p.display());
        None
    }
}

/// The Python of the validator venv (set up by `cargo xtask test`).
///
/// # Panics
/// When no venv exists: the independent validator is required, never silently skipped.
pub fn python() -> PathBuf {
    if let Some(p) = std::env::var_os("ELT_PYTHON") {
        return PathBuf::from(p);
    }
    let p = workspace_root().join("target/pyvenv/bin/python");
    assert!(
        p.exists(),
        "the independent validator is not set up: run `cargo xtask test` (creates target/pyvenv)"
    );
    p
}

/// Validates `xml` against the schema file `xsd` with Python `xmlschema`; `Err` carries the
/// validator's message.
pub fn validate_with_xmlschema(xsd: &Path, xml: &str) -> Result<(), String> {
    validate_all_with_xmlschema(xsd, &[("doc".to_owned(), xml.to_owned())])
}

/// Validates every `(label, xml)` against `xsd` in one run of the validator; `Err` carries the
/// validator's message for the first invalid document.
///
/// # Panics
/// When the validator cannot say (the schema does not load, the validator fails otherwise,
/// no venv): only a document the schema rejects is an `Err`, so a broken validator never
/// passes for a rejection.
pub fn validate_all_with_xmlschema(xsd: &Path, docs: &[(String, String)]) -> Result<(), String> {
    let n = COUNTER.fetch_add(1, std::sync::atomic::Ordering::SeqCst);
    let dir = std::env::temp_dir().join(format!("elt-validate-{}-{n}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let mut files = Vec::new();
    for (i, (label, xml)) in docs.iter().enumerate() {
        let file = dir.join(format!("{i}-{}", label.replace(['/', ' '], "_")));
        std::fs::write(&file, xml).unwrap();
        files.push(file);
    }
    let out = Command::new(python())
        .arg(workspace_root().join("tests/validate.py"))
        .arg(xsd)
        .args(&files)
        .output()
        .expect("running the validator");
    let _ = std::fs::remove_dir_all(&dir);
    let text = format!(
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    match out.status.code() {
        Some(0) => Ok(()),
        Some(1) => Err(text),
        _ => panic!(
            "the validator could not validate against {} ({}): {text}",
            xsd.display(),
            out.status
        ),
    }
}

/// The verdict of `tests/validate_set.py` on each document against a whole contract folder
/// (its schema files loaded together, as the generator reads them): `None` when valid, else the
/// validator's first error.
///
/// # Panics
/// When the validator cannot judge (no venv, no schema loads, a failure of its own).
pub fn validate_set_verdicts(contract: &Path, docs: &[&str]) -> Vec<Option<String>> {
    let n = COUNTER.fetch_add(1, std::sync::atomic::Ordering::SeqCst);
    let dir = std::env::temp_dir().join(format!("elt-validate-set-{}-{n}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let files: Vec<PathBuf> = docs
        .iter()
        .enumerate()
        .map(|(i, xml)| {
            let file = dir.join(format!("{i}.xml"));
            std::fs::write(&file, xml).unwrap();
            file
        })
        .collect();
    let out = Command::new(python())
        .args(["-W", "ignore"])
        .arg(workspace_root().join("tests/validate_set.py"))
        .arg(contract)
        .args(&files)
        .output()
        .expect("running the validator");
    let _ = std::fs::remove_dir_all(&dir);
    assert!(
        out.status.success(),
        "the validator could not judge against {}: {}",
        contract.display(),
        String::from_utf8_lossy(&out.stderr)
    );
    let verdicts: Vec<Option<String>> = String::from_utf8_lossy(&out.stdout)
        .lines()
        .map(|l| {
            let v: serde_json::Value = serde_json::from_str(l).expect("one JSON verdict a line");
            v["error"].as_str().map(str::to_owned)
        })
        .collect();
    assert_eq!(verdicts.len(), docs.len(), "one verdict per document");
    verdicts
}

static COUNTER: std::sync::atomic::AtomicUsize = std::sync::atomic::AtomicUsize::new(0);
