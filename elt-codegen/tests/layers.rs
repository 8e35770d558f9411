//! The generator's modules depend on each other one way only, in pipeline order: a module may
//! refer to the modules before it in [`LAYERS`] and never to one after it. A reference that
//! goes back (the XML plumbing reaching into the WSDL model, the schema loader calling the
//! renderer) fails here with the file that makes it.
//!
//! Only the crate's top-level modules are ordered; a folder module's files may use their parent
//! (`super::`), which is how Rust modules are built.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

/// The pipeline, first to last. `error` and the small shared helpers come first; the tools that
/// sit on the whole pipeline (`builder`, `inspect`, `diff`, `sample`) come last.
const LAYERS: &[&str] = &[
    "error",
    "names",
    "customize",
    "xml",
    "input",
    "wsdl",
    "xsd",
    "model",
    "render",
    "output",
    "builder",
    "inspect",
    "diff",
    "sample",
];

fn source_files(dir: &Path, out: &mut Vec<PathBuf>) {
    for entry in std::fs::read_dir(dir).expect("src is readable") {
        let path = entry.expect("a directory entry").path();
        if path.is_dir() {
            source_files(&path, out);
        } else if path.extension().is_some_and(|e| e == "rs") {
            out.push(path);
        }
    }
}

/// The top-level module a source file belongs to (`None` for the crate roots).
fn module_of(src: &Path, file: &Path) -> Option<String> {
    let rel = file.strip_prefix(src).ok()?;
    let first = rel.components().next()?.as_os_str().to_str()?;
    match first {
        "lib.rs" | "main.rs" => None,
        f => Some(f.trim_end_matches(".rs").to_owned()),
    }
}

/// Every top-level module `text` names through `crate::`, including grouped imports
/// (`use crate::{a, b::C}`).
fn referenced_modules(text: &str) -> BTreeSet<String> {
    let mut out = BTreeSet::new();
    let mut rest = text;
    while let Some(at) = rest.find("crate::") {
        // `elt_codegen::crate::` does not occur; skip words that merely end in `crate`.
        let before = rest[..at].chars().last();
        rest = &rest[at + "crate::".len()..];
        if before.is_some_and(|c| c.is_alphanumeric() || c == '_') {
            continue;
        }
        if let Some(group) = rest.strip_prefix('{') {
            let inner = &group[..group.find('}').unwrap_or(group.len())];
            for item in inner.split(',') {
                let name: String = item
                    .trim()
                    .chars()
                    .take_while(|c| c.is_alphanumeric() || *c == '_')
                    .collect();
                if !name.is_empty() {
                    out.insert(name);
                }
            }
        } else {
            let name: String = rest
                .chars()
                .take_while(|c| c.is_alphanumeric() || *c == '_')
                .collect();
            if !name.is_empty() {
                out.insert(name);
            }
        }
    }
    out
}

#[test]
fn modules_depend_on_earlier_pipeline_steps_only() {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut files = Vec::new();
    source_files(&src, &mut files);
    files.sort();
    let rank = |m: &str| LAYERS.iter().position(|l| *l == m);
    let mut seen = BTreeSet::new();
    let mut backward = Vec::new();
    for file in &files {
        let Some(module) = module_of(&src, file) else {
            continue;
        };
        let Some(own) = rank(&module) else {
            panic!(
                "{}: module `{module}` is not placed in LAYERS; add it where it belongs in the pipeline",
                file.display()
            );
        };
        seen.insert(module.clone());
        let text = std::fs::read_to_string(file).expect("a source file");
        for target in referenced_modules(&text) {
            if target == module {
                continue;
            }
            match rank(&target) {
                Some(r) if r < own => {}
                Some(_) => backward.push(format!(
                    "{}: `{module}` refers to `crate::{target}`, a later step",
                    file.display()
                )),
                // Items of the crate root (`crate::Error`, `crate::Result`, re-exports).
                None => {}
            }
        }
    }
    assert!(
        backward.is_empty(),
        "references against the pipeline order:\n{}",
        backward.join("\n")
    );
    // Every layer named exists, so the order above describes the crate as it is.
    let missing: Vec<&&str> = LAYERS.iter().filter(|l| !seen.contains(**l)).collect();
    assert!(
        missing.is_empty(),
        "LAYERS names missing modules: {missing:?}"
    );
}

#[test]
fn references_are_found_in_paths_and_grouped_imports() {
    let found = referenced_modules(
        "use crate::xml::{a, b};\nuse crate::{input::FileSet, wsdl};\nlet x = crate::xsd::load(s);\nmy_crate::render::x",
    );
    let want: BTreeSet<String> = ["xml", "input", "wsdl", "xsd"]
        .iter()
        .map(|s| s.to_string())
        .collect();
    assert_eq!(found, want);
}
