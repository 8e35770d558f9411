//! `cargo xtask package [--no-verify]`: every crate meant for crates.io, packaged as `cargo
//! publish` would, in dependency order, and a check of what each package ships.
//!
//! `cargo package --workspace` packages the publishable members in dependency order and resolves
//! their dependencies on each other through a local registry of the packages just made, so it
//! works before anything is published; with verification (the default) it also builds each
//! package from its `.crate` file, which proves the package is complete. Then each package's
//! file list must hold its manifest, README and both licence files, and nothing from `target/`,
//! from outside the crate (`../shared` fixtures), or editor and VCS leftovers.

use std::process::Command;

use crate::workspace_root;

/// The crates published to crates.io, in dependency order.
pub const PUBLISHED: &[&str] = &[
    "elt-xml",
    "elt-soap",
    "elt-codegen",
    "elt-types",
    "elt-report",
    "elt-mock",
    "elt-submit",
    "elt-cli",
];

pub fn main(args: &[String]) -> Result<(), String> {
    let verify = match args {
        [] => true,
        [flag] if flag == "--no-verify" => false,
        _ => return Err("usage: cargo xtask package [--no-verify]".into()),
    };
    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".into());
    let mut problems = Vec::new();
    for name in PUBLISHED {
        let out = Command::new(&cargo)
            .current_dir(workspace_root())
            .args(["package", "--list", "--allow-dirty", "--quiet", "-p", name])
            .output()
            .map_err(|e| format!("cargo package --list -p {name}: {e}"))?;
        if !out.status.success() {
            return Err(format!(
                "cargo package --list -p {name} failed:\n{}",
                String::from_utf8_lossy(&out.stderr)
            ));
        }
        let list = String::from_utf8_lossy(&out.stdout);
        let files: Vec<&str> = list.lines().collect();
        for problem in list_problems(&files) {
            problems.push(format!("{name}: {problem}"));
        }
        println!("{name}: {} files", files.len());
    }
    if !problems.is_empty() {
        return Err(format!(
            "packages ship what they should not:\n{}",
            problems.join("\n")
        ));
    }
    let mut cmd = Command::new(&cargo);
    cmd.current_dir(workspace_root())
        .args(["package", "--allow-dirty"]);
    for name in PUBLISHED {
        cmd.args(["-p", name]);
    }
    if !verify {
        cmd.arg("--no-verify");
    }
    // Verification builds each package on its own; a target folder of its own keeps those
    // builds from invalidating the workspace's. It starts empty, and earlier extractions of our
    // packages are forgotten: cargo takes local-registry packages as immutable, so a build or
    // an extraction left from an earlier package of the same version would be used instead of
    // the package just made.
    let verify_target = workspace_root().join("target/package-verify");
    if verify {
        if verify_target.exists() {
            std::fs::remove_dir_all(&verify_target)
                .map_err(|e| format!("{}: {e}", verify_target.display()))?;
        }
        forget_extracted_packages()?;
    }
    cmd.env("CARGO_TARGET_DIR", &verify_target);
    let status = cmd.status().map_err(|e| format!("cargo package: {e}"))?;
    if !status.success() {
        return Err(format!("cargo package failed: {status}"));
    }
    println!(
        "packaged {} crates{}",
        PUBLISHED.len(),
        if verify {
            " and built each from its package"
        } else {
            ""
        }
    );
    Ok(())
}

/// Removes the sources cargo extracted from earlier local-registry packages of our crates.
///
/// `cargo package` verifies each crate against the others through a temporary local registry,
/// and cargo extracts those packages under `$CARGO_HOME/registry/src/<registry>/` once, taking
/// a package of a given version as immutable: a later package of the same version (0.1.0 while
/// nothing is published) would be compiled from the first extraction. Only directories named
/// after our crates, in registries other than crates.io's, are removed.
fn forget_extracted_packages() -> Result<(), String> {
    let home = std::env::var_os("CARGO_HOME")
        .map(std::path::PathBuf::from)
        .or_else(|| std::env::var_os("HOME").map(|h| std::path::Path::new(&h).join(".cargo")));
    let Some(src) = home.map(|h| h.join("registry/src")) else {
        return Ok(());
    };
    let Ok(registries) = std::fs::read_dir(&src) else {
        return Ok(());
    };
    for registry in registries.flatten() {
        if registry
            .file_name()
            .to_string_lossy()
            .starts_with("index.crates.io")
        {
            continue;
        }
        let Ok(entries) = std::fs::read_dir(registry.path()) else {
            continue;
        };
        for entry in entries.flatten() {
            let name = entry.file_name().to_string_lossy().into_owned();
            let ours = PUBLISHED
                .iter()
                .any(|c| name.strip_prefix(c).is_some_and(|v| v.starts_with('-')));
            if ours {
                std::fs::remove_dir_all(entry.path())
                    .map_err(|e| format!("{}: {e}", entry.path().display()))?;
            }
        }
    }
    Ok(())
}

/// What is wrong with a package's file list.
fn list_problems(files: &[&str]) -> Vec<String> {
    let mut problems = Vec::new();
    for required in ["Cargo.toml", "README.md", "LICENSE-MIT", "LICENSE-APACHE"] {
        if !files.contains(&required) {
            problems.push(format!("{required} is missing"));
        }
    }
    for f in files {
        let unwanted = f.starts_with("target/")
            || f.contains("/target/")
            || f.starts_with("../")
            || f.contains("shared/corpus")
            || (f.ends_with(".orig") && *f != "Cargo.toml.orig")
            || f.ends_with(".rej")
            || f.ends_with('~')
            || f.contains("/.")
            || (f.starts_with('.') && *f != ".cargo_vcs_info.json");
        if unwanted {
            problems.push(format!("ships {f}"));
        }
    }
    problems
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_complete_list_passes_and_leftovers_are_named() {
        let good = [
            ".cargo_vcs_info.json",
            "Cargo.toml",
            "Cargo.toml.orig",
            "README.md",
            "LICENSE-MIT",
            "LICENSE-APACHE",
            "src/lib.rs",
        ];
        // `Cargo.toml.orig` is cargo's own copy of the manifest, always there.
        assert_eq!(list_problems(&good), Vec::<String>::new());
        let bad = [
            "Cargo.toml",
            "src/lib.rs",
            "target/debug/x",
            "tests/.swp",
            "a.rs.orig",
        ];
        let problems = list_problems(&bad);
        assert!(
            problems.contains(&"README.md is missing".to_owned()),
            "{problems:?}"
        );
        assert!(
            problems.contains(&"ships target/debug/x".to_owned()),
            "{problems:?}"
        );
        assert!(
            problems.contains(&"ships tests/.swp".to_owned()),
            "{problems:?}"
        );
        assert!(
            problems.contains(&"ships a.rs.orig".to_owned()),
            "{problems:?}"
        );
    }
}
