//! Project tasks, run as `cargo xtask <task>`:
//! - `regen`: regenerate `elt-types/src/generated/` from the contract zip in `wsdl/elt/`;
//! - `check`: fail, naming the files, when the checked-in generated code is stale;
//! - `test`: set up the independent validators (a Python venv under `target/`) and run every test;
//! - `diff [OLD NEW] [--format markdown|json|summary] [--fail-on breaking|any|never]`: what changed
//!   between two contracts, for whom it breaks, and which Rust items change. Without OLD and NEW it
//!   compares the contract zip committed at `HEAD` with the one in the working tree;
//! - `corpus DIR [--case NAME] [--json]`: generate and compile every case folder of real-world
//!   contracts under `DIR` and report per case (see `corpus.rs`);
//! - `build-time [--pairs N]`: a clean build of a crate that generates the ELT code in its
//!   `build.rs`, against the same crate depending on `elt-types` (see `build_time.rs`);
//! - `semver OLD NEW`: the semver impact `elt-codegen diff` states for `elt-types`, checked by
//!   `cargo-semver-checks` on the crates generated from both contracts (see `semver.rs`);
//! - `package`: package every published crate in dependency order and check what each ships
//!   (see `package.rs`).

use std::path::{Path, PathBuf};
use std::process::{Command, ExitCode};

use elt_codegen::output::{self, GeneratedFile};

mod build_time;
mod corpus;
mod package;
mod roundtrip_gate;
mod sample_gate;
mod semver;

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let result = match args.first().map(String::as_str) {
        Some("regen") => regen(),
        Some("check") => check(),
        Some("test") => test(&args[1..]),
        Some("corpus") => return corpus::main(&args[1..]),
        Some("diff") => return diff(&args[1..]),
        Some("build-time") => build_time::main(&args[1..]),
        Some("semver") => return semver::main(&args[1..]),
        Some("package") => package::main(&args[1..]),
        _ => {
            eprintln!(
                "usage: cargo xtask <regen|check|test [cargo test args]|diff [OLD NEW] [--format FORMAT] [--fail-on WHEN]|corpus DIR [--case NAME] [--json] [--sample-cap N | --no-samples]|build-time [--pairs N]|semver OLD NEW|package [--no-verify]>"
            );
            return ExitCode::from(2);
        }
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("xtask: {e}");
            ExitCode::FAILURE
        }
    }
}

/// The workspace root (the parent of this crate).
pub fn workspace_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .expect("xtask lives inside the workspace")
        .to_owned()
}

fn generated_dir() -> PathBuf {
    workspace_root().join("elt-types/src/generated")
}

/// The contract zip: the single `.zip` in `wsdl/elt/`.
fn contract_zip() -> Result<PathBuf, String> {
    let dir = workspace_root().join("wsdl/elt");
    let mut zips: Vec<PathBuf> = std::fs::read_dir(&dir)
        .map_err(|e| format!("{}: {e}", dir.display()))?
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|x| x.eq_ignore_ascii_case("zip")))
        .collect();
    zips.sort();
    match zips.len() {
        1 => Ok(zips.remove(0)),
        0 => Err(format!("no .zip in {}", dir.display())),
        _ => Err(format!(
            "more than one .zip in {}: keep exactly one",
            dir.display()
        )),
    }
}

fn generate() -> Result<Vec<GeneratedFile>, String> {
    let zip = contract_zip()?;
    elt_codegen::Builder::new()
        .input(&zip)
        .generate()
        .map_err(|e| e.to_string())
}

fn regen() -> Result<(), String> {
    let files = generate()?;
    let written = output::write_files(&generated_dir(), &files, true).map_err(|e| e.to_string())?;
    if written.is_empty() {
        println!("elt-types is up to date ({} files)", files.len());
    } else {
        for w in &written {
            println!("wrote elt-types/src/generated/{w}");
        }
    }
    Ok(())
}

fn check() -> Result<(), String> {
    let files = generate()?;
    let stale = output::stale_files(&generated_dir(), &files);
    if stale.is_empty() {
        println!("elt-types is up to date ({} files)", files.len());
        Ok(())
    } else {
        Err(format!(
            "stale generated files in elt-types/src/generated: {}; run `cargo xtask regen`",
            stale.join(", ")
        ))
    }
}

/// Creates `target/pyvenv` with the independent validator and SOAP stack, unless present.
fn python_venv() -> Result<PathBuf, String> {
    let venv = workspace_root().join("target/pyvenv");
    let python = venv.join("bin/python");
    let requirements = workspace_root().join("tests/requirements.txt");
    let stamp = venv.join(".requirements");
    let wanted = std::fs::read_to_string(&requirements)
        .map_err(|e| format!("{}: {e}", requirements.display()))?;
    if python.exists() && std::fs::read_to_string(&stamp).ok().as_deref() == Some(wanted.as_str()) {
        return Ok(python);
    }
    let run = |cmd: &mut Command| -> Result<(), String> {
        let status = cmd.status().map_err(|e| format!("{cmd:?}: {e}"))?;
        if status.success() {
            Ok(())
        } else {
            Err(format!("{cmd:?} failed: {status}"))
        }
    };
    println!("xtask: setting up the validator venv in target/pyvenv");
    run(Command::new("python3").args(["-m", "venv"]).arg(&venv)).map_err(|e| {
        format!("{e}\nthe tests need Python 3 with venv (Debian: apt-get install python3-venv)")
    })?;
    run(Command::new(&python)
        .args(["-m", "pip", "install", "--quiet", "-r"])
        .arg(&requirements))?;
    std::fs::write(&stamp, wanted).map_err(|e| e.to_string())?;
    Ok(python)
}

fn test(extra: &[String]) -> Result<(), String> {
    let python = python_venv()?;
    check()?;
    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".into());
    let status = Command::new(cargo)
        .current_dir(workspace_root())
        .args(["test", "--workspace"])
        .args(extra)
        .env("ELT_PYTHON", &python)
        // Every check that reads ../shared/corpus fails when it is missing (never skips), and
        // the feature tests cannot be told to leave the corpus out.
        .env("ELT_REQUIRE_CORPUS", "1")
        .status()
        .map_err(|e| e.to_string())?;
    if status.success() {
        Ok(())
    } else {
        Err(format!("cargo test failed: {status}"))
    }
}

/// `diff [OLD NEW] [--format F] [--fail-on W]`: exit 0, 1 when `--fail-on` triggers, 2 on errors.
fn diff(args: &[String]) -> ExitCode {
    use elt_codegen::diff::{self, DiffReport, FailOn, Format};
    let mut paths = Vec::new();
    let mut format = Format::Markdown;
    let mut fail_on = FailOn::Never;
    let mut it = args.iter();
    while let Some(a) = it.next() {
        let (flag, inline) = match a.split_once('=') {
            Some((f, v)) if f.starts_with("--") => (f, Some(v.to_owned())),
            _ => (a.as_str(), None),
        };
        let mut value = |name: &str| {
            inline
                .clone()
                .or_else(|| it.next().cloned())
                .ok_or(format!("{name} needs a value"))
        };
        let parsed = match flag {
            "--format" => value("--format").and_then(|v| v.parse().map(|f| format = f)),
            "--fail-on" => value("--fail-on").and_then(|v| v.parse().map(|f| fail_on = f)),
            f if f.starts_with("--") => Err(format!("unknown option {f}")),
            _ => {
                paths.push(PathBuf::from(a));
                Ok(())
            }
        };
        if let Err(e) = parsed {
            eprintln!(
                "xtask diff: {e}\nusage: cargo xtask diff [OLD NEW] [--format markdown|json|summary] [--fail-on breaking|any|never]"
            );
            return ExitCode::from(2);
        }
    }
    let sets = match paths.as_slice() {
        [] => head_and_working_tree(),
        [old, new] => read_set(old).and_then(|o| read_set(new).map(|n| (o, n))),
        _ => Err("give both OLD and NEW, or neither (HEAD against the working tree)".into()),
    };
    let report = sets.and_then(|(old, new)| {
        let model = |set: &elt_codegen::FileSet| {
            diff::model_of(set).map_err(|e| format!("{}: {e}", set.origin))
        };
        Ok(DiffReport::from_models(
            &old.origin,
            &new.origin,
            &model(&old)?,
            &model(&new)?,
        ))
    });
    match report {
        Ok(report) => {
            print!("{}", report.render(format));
            if fail_on.triggered(&report) {
                eprintln!("{}", report.summary_line());
                ExitCode::from(1)
            } else {
                ExitCode::SUCCESS
            }
        }
        Err(e) => {
            eprintln!("xtask diff: {e}");
            ExitCode::from(2)
        }
    }
}

fn read_set(path: &Path) -> Result<elt_codegen::FileSet, String> {
    elt_codegen::FileSet::read(path).map_err(|e| e.to_string())
}

/// The contract zip as committed at `HEAD` (read with `git show`) and as in the working tree.
fn head_and_working_tree() -> Result<(elt_codegen::FileSet, elt_codegen::FileSet), String> {
    let root = workspace_root();
    let git = |args: &[&str]| -> Result<Vec<u8>, String> {
        let out = Command::new("git")
            .current_dir(&root)
            .args(args)
            .output()
            .map_err(|e| format!("git {}: {e}", args.join(" ")))?;
        if out.status.success() {
            Ok(out.stdout)
        } else {
            Err(format!(
                "git {} failed: {}",
                args.join(" "),
                String::from_utf8_lossy(&out.stderr).trim()
            ))
        }
    };
    let listing = git(&["ls-tree", "--name-only", "HEAD", "wsdl/elt/"])?;
    let zips: Vec<String> = String::from_utf8_lossy(&listing)
        .lines()
        .filter(|l| l.to_ascii_lowercase().ends_with(".zip"))
        .map(str::to_owned)
        .collect();
    let [committed] = zips.as_slice() else {
        return Err(format!(
            "expected one .zip in wsdl/elt/ at HEAD, found {}",
            zips.len()
        ));
    };
    let bytes = git(&["show", &format!("HEAD:{committed}")])?;
    let old = elt_codegen::FileSet::from_zip_bytes(
        &format!("HEAD:{committed}"),
        &bytes,
        elt_codegen::InputLimits::default(),
    )
    .map_err(|e| e.to_string())?;
    let zip = contract_zip()?;
    let mut new = read_set(&zip)?;
    new.origin = zip
        .strip_prefix(&root)
        .unwrap_or(&zip)
        .display()
        .to_string();
    Ok((old, new))
}
