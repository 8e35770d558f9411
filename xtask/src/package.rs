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
    // builds from invalidating the workspace's.
    cmd.env(
        "CARGO_TARGET_DIR",
        workspace_root().join("target/package-verify"),
    );
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
