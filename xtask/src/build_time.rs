//! `cargo xtask build-time [--pairs N]`: what generating in a `build.rs` costs a vendor's clean
//! build, against depending on the checked-in `elt-types`.
//!
//! Three crates are written under `target/build-time/`, outside the workspace (so they build
//! with cargo's default dev profile, as a vendor's crate would). Two have the same code:
//! - `checked`: depends on `elt-types`;
//! - `buildrs`: build-depends on `elt-codegen` (`default-features = false`) and generates the
//!   ELT code from `wsdl/elt/` into `OUT_DIR`, then `include!`s it.
//!
//! The third, `generator`, is an empty crate whose only (build) dependency is `elt-codegen`
//! (`default-features = false`): what the generator alone costs a build script, the figure to
//! compare with other generators' build-script crates (prost-build, progenitor).
//!
//! Each is built from scratch (`target` removed) `N` times, the routes interleaved so that a
//! change in the machine's load falls on both. Reported: wall time, and CPU time of cargo and
//! the compilers it ran where `/proc` gives it; the medians and their ratio.

use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Instant;

use crate::{contract_zip, workspace_root};

/// The library code both crates compile: the downstream example's request builder, which
/// reaches the generated types as `crate::elt`.
const REQUEST_SOURCE: &str = "examples/downstream/src/request.rs";

/// `src/lib.rs` of a route's crate: `elt_module` makes the generated code `crate::elt`, then the
/// shared request builder is compiled from the workspace.
fn lib_rs(doc: &str, elt_module: &str, root: &Path) -> String {
    format!(
        "//! {doc}\n\n{elt_module}\n\n#[path = {:?}]\nmod request;\npub use request::request_for;\n",
        root.join(REQUEST_SOURCE).display().to_string()
    )
}

/// One of the two ways of getting the generated code.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Route {
    Checked,
    BuildRs,
    Generator,
}

impl Route {
    fn name(self) -> &'static str {
        match self {
            Route::Checked => "checked",
            Route::BuildRs => "buildrs",
            Route::Generator => "generator",
        }
    }
}

/// The files of a route's crate, as `(relative path, contents)`.
fn crate_files(route: Route, root: &Path, zip: &Path) -> Vec<(&'static str, String)> {
    let path = |member: &str| format!("{:?}", root.join(member).display().to_string());
    let common = format!(
        "elt-xml = {{ path = {} }}\nelt-soap = {{ path = {} }}\nserde = {{ version = \"1\", features = [\"derive\"] }}\n",
        path("elt-xml"),
        path("elt-soap")
    );
    let manifest = |name: &str, extra: &str| {
        format!(
            "[package]\nname = \"{name}\"\nversion = \"0.1.0\"\nedition = \"2024\"\npublish = false\n\n\
             # Outside the elt workspace: built with cargo's default profiles, as a vendor's crate.\n\
             [workspace]\n\n[dependencies]\n{common}{extra}"
        )
    };
    let codegen = format!(
        "\n[build-dependencies]\nelt-codegen = {{ path = {}, default-features = false }}\n",
        path("elt-codegen")
    );
    match route {
        Route::Generator => vec![
            (
                "Cargo.toml",
                format!(
                    "[package]\nname = \"elt-build-time-generator\"\nversion = \"0.1.0\"\nedition = \"2024\"\npublish = false\n\n\
                     # Outside the elt workspace: built with cargo's default profiles, as a vendor's crate.\n\
                     [workspace]\n{codegen}"
                ),
            ),
            (
                "build.rs",
                "fn main() {\n    let _ = elt_codegen::Builder::new();\n}\n".to_owned(),
            ),
            ("src/lib.rs", "//! Empty.\n".to_owned()),
        ],
        Route::Checked => vec![
            (
                "Cargo.toml",
                manifest(
                    "elt-build-time-checked",
                    &format!("elt-types = {{ path = {} }}\n", path("elt-types")),
                ),
            ),
            (
                "src/lib.rs",
                lib_rs(
                    "The checked-in route.",
                    "pub use elt_types::generated as elt;",
                    root,
                ),
            ),
        ],
        Route::BuildRs => vec![
            ("Cargo.toml", manifest("elt-build-time-buildrs", &codegen)),
            (
                "build.rs",
                format!(
                    "fn main() {{\n    elt_codegen::Builder::new()\n        .input({:?})\n        \
                     .layout(elt_codegen::Layout::SingleFile(\"elt.rs\".into()))\n        \
                     .write()\n        .expect(\"generating the ELT code\");\n}}\n",
                    zip.display().to_string()
                ),
            ),
            (
                "src/lib.rs",
                lib_rs(
                    "The build.rs route.",
                    "#[allow(missing_docs, clippy::all)]\npub mod elt {\n    \
                     include!(concat!(env!(\"OUT_DIR\"), \"/elt.rs\"));\n}",
                    root,
                ),
            ),
        ],
    }
}

/// Writes a route's crate under `dir`, with the workspace's `Cargo.lock` so that both routes
/// resolve the same dependency versions as the workspace does.
fn write_crate(route: Route, dir: &Path, root: &Path, zip: &Path) -> Result<(), String> {
    let io = |p: &Path, e: std::io::Error| format!("{}: {e}", p.display());
    for (rel, contents) in crate_files(route, root, zip) {
        let p = dir.join(rel);
        if let Some(parent) = p.parent() {
            std::fs::create_dir_all(parent).map_err(|e| io(parent, e))?;
        }
        std::fs::write(&p, contents).map_err(|e| io(&p, e))?;
    }
    let lock = dir.join("Cargo.lock");
    std::fs::copy(root.join("Cargo.lock"), &lock).map_err(|e| io(&lock, e))?;
    Ok(())
}

/// CPU seconds (user + system) used by this process's waited-for children, from
/// `/proc/self/stat`; `None` where there is no `/proc`. Clock ticks are taken as 100 per
/// second, the value Linux reports to user space on every common architecture.
fn children_cpu_seconds() -> Option<f64> {
    let stat = std::fs::read_to_string("/proc/self/stat").ok()?;
    // Fields after the command name (which is in parentheses and may hold spaces).
    let rest = &stat[stat.rfind(')')? + 2..];
    let fields: Vec<&str> = rest.split_whitespace().collect();
    // cutime and cstime are fields 16 and 17 of the whole line, 14 and 15 after the name.
    let cutime: f64 = fields.get(13)?.parse().ok()?;
    let cstime: f64 = fields.get(14)?.parse().ok()?;
    Some((cutime + cstime) / 100.0)
}

/// One clean build: wall seconds and, where known, CPU seconds.
fn clean_build(dir: &Path) -> Result<(f64, Option<f64>), String> {
    let target = dir.join("target");
    if target.exists() {
        std::fs::remove_dir_all(&target).map_err(|e| format!("{}: {e}", target.display()))?;
    }
    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".into());
    let cpu_before = children_cpu_seconds();
    let start = Instant::now();
    let status = Command::new(cargo)
        .args(["build", "--quiet"])
        .current_dir(dir)
        // The workspace's settings (target dir, profile overrides) must not leak in.
        .env_remove("CARGO_TARGET_DIR")
        .env_remove("RUSTFLAGS")
        .status()
        .map_err(|e| format!("running cargo build in {}: {e}", dir.display()))?;
    let wall = start.elapsed().as_secs_f64();
    if !status.success() {
        return Err(format!("cargo build failed in {}", dir.display()));
    }
    let cpu = cpu_before
        .zip(children_cpu_seconds())
        .map(|(before, after)| after - before);
    Ok((wall, cpu))
}

/// The median of a non-empty list.
fn median(mut values: Vec<f64>) -> f64 {
    values.sort_by(f64::total_cmp);
    let n = values.len();
    if n % 2 == 1 {
        values[n / 2]
    } else {
        (values[n / 2 - 1] + values[n / 2]) / 2.0
    }
}

/// `cargo xtask build-time [--pairs N]`.
pub fn main(args: &[String]) -> Result<(), String> {
    let pairs = match args {
        [] => 3,
        [flag, n] if flag == "--pairs" => n
            .parse::<usize>()
            .ok()
            .filter(|n| *n > 0)
            .ok_or_else(|| format!("--pairs takes a positive number, not {n:?}"))?,
        _ => return Err("usage: cargo xtask build-time [--pairs N]".into()),
    };
    let root = workspace_root();
    let zip = contract_zip()?;
    let base: PathBuf = root.join("target/build-time");
    let routes = [Route::Checked, Route::BuildRs, Route::Generator];
    for route in routes {
        write_crate(route, &base.join(route.name()), &root, &zip)?;
    }
    println!(
        "clean `cargo build` (dev profile) of each crate, {pairs} interleaved round(s), in {}",
        base.display()
    );
    let mut results: Vec<(Route, f64, Option<f64>)> = Vec::new();
    for pair in 1..=pairs {
        for route in routes {
            let (wall, cpu) = clean_build(&base.join(route.name()))?;
            let cpu_text = cpu.map_or("n/a".into(), |c| format!("{c:.1} s"));
            println!(
                "round {pair} {:<9} wall {wall:.1} s, CPU {cpu_text}",
                route.name()
            );
            results.push((route, wall, cpu));
        }
    }
    let summary = |route: Route| {
        let of_route = results.iter().filter(|r| r.0 == route);
        let wall = median(of_route.clone().map(|r| r.1).collect());
        let cpu: Option<Vec<f64>> = of_route.map(|r| r.2).collect();
        (wall, cpu.map(median))
    };
    let (checked_wall, checked_cpu) = summary(Route::Checked);
    let (buildrs_wall, buildrs_cpu) = summary(Route::BuildRs);
    let (generator_wall, generator_cpu) = summary(Route::Generator);
    println!(
        "median wall: checked-in {checked_wall:.1} s, build.rs {buildrs_wall:.1} s: build.rs route {:+.0}%",
        (buildrs_wall / checked_wall - 1.0) * 100.0
    );
    if let (Some(c), Some(b)) = (checked_cpu, buildrs_cpu) {
        println!(
            "median CPU: checked-in {c:.1} s, build.rs {b:.1} s: build.rs route {:+.0}%",
            (b / c - 1.0) * 100.0
        );
    }
    println!(
        "generator alone (an empty crate build-depending on elt-codegen): median wall {generator_wall:.1} s, CPU {}",
        generator_cpu.map_or("n/a".into(), |c| format!("{c:.1} s"))
    );
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Both routes compile the same library code; only where `elt` comes from differs.
    #[test]
    fn both_routes_share_the_library_body_and_point_into_the_workspace() {
        let root = workspace_root();
        let zip = root.join("wsdl/elt/ELT.zip");
        let shared = format!(
            "#[path = {:?}]\nmod request;\npub use request::request_for;\n",
            root.join(REQUEST_SOURCE).display().to_string()
        );
        assert!(root.join(REQUEST_SOURCE).is_file());
        for route in [Route::Checked, Route::BuildRs] {
            let files = crate_files(route, &root, &zip);
            let lib = &files.iter().find(|f| f.0 == "src/lib.rs").unwrap().1;
            assert!(lib.ends_with(&shared), "{route:?}: {lib}");
            let manifest = &files.iter().find(|f| f.0 == "Cargo.toml").unwrap().1;
            for member in ["elt-xml", "elt-soap"] {
                assert!(
                    manifest.contains(&format!("{:?}", root.join(member).display().to_string())),
                    "{route:?}: {manifest}"
                );
                assert!(root.join(member).join("Cargo.toml").is_file());
            }
            assert_eq!(
                manifest.contains("elt-codegen"),
                route == Route::BuildRs,
                "{manifest}"
            );
            assert_eq!(
                manifest.contains("elt-types"),
                route == Route::Checked,
                "{manifest}"
            );
        }
    }

    /// The generator-only crate depends on nothing but `elt-codegen`, without its features.
    #[test]
    fn generator_route_has_only_the_generator() {
        let root = workspace_root();
        let files = crate_files(Route::Generator, &root, &root.join("wsdl/elt/ELT.zip"));
        let manifest = &files.iter().find(|f| f.0 == "Cargo.toml").unwrap().1;
        assert!(manifest.contains("default-features = false"), "{manifest}");
        for other in ["elt-xml", "elt-soap", "elt-types", "serde"] {
            assert!(!manifest.contains(other), "{other} in {manifest}");
        }
        assert!(files.iter().any(|f| f.0 == "build.rs"));
    }

    #[test]
    fn median_of_odd_and_even_lists() {
        assert_eq!(median(vec![3.0, 1.0, 2.0]), 2.0);
        assert_eq!(median(vec![4.0, 1.0, 2.0, 3.0]), 2.5);
    }
}
