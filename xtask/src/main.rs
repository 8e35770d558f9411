//! Project tasks, run as `cargo xtask <task>`:
//! - `regen`: regenerate `elt-types/src/generated/` from the contract zip in `wsdl/elt/`;
//! - `check`: fail, naming the files, when the checked-in generated code is stale;
//! - `test`: set up the independent validators (a Python venv under `target/`) and run every test.

use std::path::{Path, PathBuf};
use std::process::{Command, ExitCode};

use elt_codegen::output::{self, GeneratedFile};

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let result = match args.first().map(String::as_str) {
        Some("regen") => regen(),
        Some("check") => check(),
        Some("test") => test(&args[1..]),
        _ => {
            eprintln!("usage: cargo xtask <regen|check|test [cargo test args]>");
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
        .status()
        .map_err(|e| e.to_string())?;
    if status.success() {
        Ok(())
    } else {
        Err(format!("cargo test failed: {status}"))
    }
}
