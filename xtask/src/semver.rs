//! `cargo xtask semver OLD NEW`: the semver impact of a contract change on the generated crate,
//! stated by `elt-codegen diff` and checked by a second tool, `cargo-semver-checks`.
//!
//! Both contracts are generated as a crate named `elt-types` (types and client stubs, as
//! `cargo xtask regen` writes them) under `target/semver/`, with path dependencies on this
//! workspace's runtime crates; `cargo-semver-checks` then compares the new crate's public API
//! with the old one's. The two tools measure different things, so they are compared on what
//! both can see:
//! - breaking: the diff says `major` exactly when `cargo-semver-checks` finds a major-level
//!   violation;
//! - otherwise both agree that the change is not breaking. The diff also names additions
//!   (`minor`) and documentation or value checks (`patch`); `cargo-semver-checks` does not
//!   require a version bump for additions, so it reports "no semver update required" there.
//!
//! One difference is known and explained rather than counted as disagreement:
//! `cargo-semver-checks` (0.51) has no lint for an existing field or enum variant whose type
//! changes (`pub x: bool` becoming `pub x: True`), which the diff reports as breaking (Rust
//! effect `type changed`, e.g. under the rule `sender.changed-type`). When every breaking
//! change the diff finds is of that kind and the tool finds none, the run says so, names the
//! items, and passes.
//!
//! Exit status: 0 when they agree (or differ only as explained), 1 when they disagree, 2 on
//! errors (including a missing `cargo-semver-checks`: `cargo install --locked
//! cargo-semver-checks`).

use std::path::{Path, PathBuf};
use std::process::{Command, ExitCode};

use elt_codegen::diff::{DiffReport, RustChange, RustEffect, Semver};
use elt_codegen::output::{self, RuntimeSource};

use crate::workspace_root;

/// What `cargo-semver-checks` concluded.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Verdict {
    /// No semver update required.
    None,
    /// A minor-level lint fired.
    Minor,
    /// A major-level lint fired.
    Major,
}

pub fn main(args: &[String]) -> ExitCode {
    let [old, new] = args else {
        eprintln!(
            "usage: cargo xtask semver OLD NEW (contracts: zips, folders or .wsdl/.xsd files)"
        );
        return ExitCode::from(2);
    };
    match run(Path::new(old), Path::new(new)) {
        Ok(true) => ExitCode::SUCCESS,
        Ok(false) => ExitCode::from(1),
        Err(e) => {
            eprintln!("xtask semver: {e}");
            ExitCode::from(2)
        }
    }
}

/// Compares the two tools on one pair of contracts; `Ok(false)` when they disagree.
fn run(old: &Path, new: &Path) -> Result<bool, String> {
    let read = |p: &Path| elt_codegen::FileSet::read(p).map_err(|e| e.to_string());
    let (old_set, new_set) = (read(old)?, read(new)?);
    let model = |s: &elt_codegen::FileSet| {
        elt_codegen::diff::model_of(s).map_err(|e| format!("{}: {e}", s.origin))
    };
    let report = DiffReport::from_models(
        &old_set.origin,
        &new_set.origin,
        &model(&old_set)?,
        &model(&new_set)?,
    );
    let base = workspace_root().join("target/semver");
    let old_crate = write_crate(old, &base.join("old"))?;
    let new_crate = write_crate(new, &base.join("new"))?;
    let (verdict, output) = semver_checks(&old_crate, &new_crate, &base.join("target"))?;
    let stated = report.semver;
    println!("{}", report.summary_line());
    println!(
        "elt-codegen diff: semver impact on elt-types: {}",
        stated.label()
    );
    println!("cargo-semver-checks: {verdict:?}");
    let breaking: Vec<&RustEffect> = report
        .changes
        .iter()
        .filter(|c| c.semver == Semver::Major)
        .flat_map(|c| &c.rust)
        .collect();
    let agree = match (stated == Semver::Major, verdict == Verdict::Major) {
        (true, true) => {
            println!("agree: both find a breaking change");
            true
        }
        (false, false) => {
            println!("agree: neither finds a breaking change");
            true
        }
        (true, false) if invisible_to_semver_checks(&breaking) => {
            println!(
                "differ as explained: every breaking change is a changed type of an existing \
                 item, which cargo-semver-checks does not compare:"
            );
            for effect in breaking {
                println!("  {}", effect.describe());
            }
            true
        }
        _ => {
            println!("DISAGREE; cargo-semver-checks said:\n{output}");
            false
        }
    };
    Ok(agree)
}

/// Whether the breaking effects are all changed types of items that stay, the one kind of
/// breaking change `cargo-semver-checks` has no lint for (see the module documentation).
fn invisible_to_semver_checks(breaking: &[&RustEffect]) -> bool {
    !breaking.is_empty() && breaking.iter().all(|e| e.change == RustChange::TypeChanged)
}

/// Generates `contract` as a crate named `elt-types` in `dir`.
fn write_crate(contract: &Path, dir: &Path) -> Result<PathBuf, String> {
    let files = elt_codegen::Builder::new()
        .input(contract)
        .generate()
        .map_err(|e| e.to_string())?;
    let _ = std::fs::remove_dir_all(dir);
    output::write_crate(
        dir,
        "elt-types",
        &files,
        true,
        &RuntimeSource::Path(workspace_root()),
    )
    .map_err(|e| e.to_string())?;
    Ok(dir.to_owned())
}

/// Runs `cargo semver-checks` on the pair; the verdict and what it printed.
fn semver_checks(old: &Path, new: &Path, target: &Path) -> Result<(Verdict, String), String> {
    let out = Command::new("cargo-semver-checks")
        .args(["semver-checks", "check-release", "--manifest-path"])
        .arg(new.join("Cargo.toml"))
        .arg("--baseline-root")
        .arg(old)
        // One build cache for both crates and every pair: the runtime crates compile once.
        .env("CARGO_TARGET_DIR", target)
        .output()
        .map_err(|e| {
            format!(
                "cargo-semver-checks: {e} (install it with `cargo install --locked cargo-semver-checks`)"
            )
        })?;
    let text = format!(
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    parse_verdict(&text)
        .map(|v| (v, text.clone()))
        .ok_or_else(|| {
            format!(
                "cargo-semver-checks gave no verdict ({}):\n{text}",
                out.status
            )
        })
}

/// The verdict in `cargo-semver-checks`' summary line.
fn parse_verdict(text: &str) -> Option<Verdict> {
    let summary = text
        .lines()
        .rev()
        .find(|l| l.trim_start().starts_with("Summary"))?;
    if summary.contains("new major version") {
        Some(Verdict::Major)
    } else if summary.contains("new minor version") {
        Some(Verdict::Minor)
    } else if summary.contains("no semver update required") {
        Some(Verdict::None)
    } else {
        None
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn verdicts_are_read_from_the_summary_line() {
        let major = "     Checked [   0.1s] 250 checks: 249 pass, 1 fail, 0 warn, 0 skip\n\n--- failure struct_missing: pub struct removed or renamed ---\n\n     Summary semver requires new major version: 1 major and 0 minor checks failed\n";
        assert_eq!(parse_verdict(major), Some(Verdict::Major));
        let none = "     Summary no semver update required\n";
        assert_eq!(parse_verdict(none), Some(Verdict::None));
        let minor =
            "     Summary semver requires new minor version: 0 major and 1 minor checks failed\n";
        assert_eq!(parse_verdict(minor), Some(Verdict::Minor));
        assert_eq!(parse_verdict("error: failed to build rustdoc"), None);
    }

    #[test]
    fn only_changed_types_are_explained() {
        use elt_codegen::diff::ItemKind;
        let effect = |change| RustEffect {
            item: ItemKind::Field,
            path: "m::T::f".into(),
            change,
            from: None,
        };
        let changed = effect(RustChange::TypeChanged);
        let removed = effect(RustChange::Removed);
        assert!(invisible_to_semver_checks(&[&changed]));
        assert!(!invisible_to_semver_checks(&[&changed, &removed]));
        assert!(!invisible_to_semver_checks(&[]));
    }
}
