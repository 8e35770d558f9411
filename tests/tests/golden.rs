//! What each XSD construct becomes: the Rust generated from every feature fixture
//! (`elt-codegen/tests/fixtures/features/*.xsd`, types only) is checked in under
//! `tests/golden/features/` and compared here, so a change of the generator shows up in review
//! as a diff of the code users get. `UPDATE_GOLDEN=1` rewrites the files and then fails, so a
//! golden file is never compared with itself; run again without it after reviewing the diff.

use std::path::PathBuf;

use elt_codegen::{Builder, Layout};
use elt_tests::workspace_root;

fn fixtures() -> PathBuf {
    workspace_root().join("elt-codegen/tests/fixtures/features")
}

fn golden() -> PathBuf {
    workspace_root().join("tests/golden/features")
}

/// The fixtures: every `.xsd` directly in the folder, and every folder holding a fixture of
/// several files (the refused ones live in `refused/`).
fn fixture_names() -> Vec<String> {
    let mut names: Vec<String> = std::fs::read_dir(fixtures())
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| {
            p.extension().is_some_and(|x| x == "xsd") || (p.is_dir() && !p.ends_with("refused"))
        })
        .map(|p| p.file_stem().unwrap().to_string_lossy().into_owned())
        .collect();
    names.sort();
    names
}

/// What the generator reads for fixture `name`: `NAME.xsd`, or the folder `NAME/` for a
/// fixture whose schemas span several files (`NAME/NAME.xsd` and what it imports).
fn fixture_input(name: &str) -> PathBuf {
    let dir = fixtures().join(name);
    if dir.is_dir() {
        dir
    } else {
        fixtures().join(format!("{name}.xsd"))
    }
}

#[test]
fn each_feature_fixture_generates_its_golden_file() {
    let names = fixture_names();
    assert!(names.len() >= 13, "fixtures found: {names:?}");
    let update = std::env::var_os("UPDATE_GOLDEN").is_some();
    let mut differ = Vec::new();
    for name in &names {
        let files = Builder::new()
            .input(fixture_input(name))
            .layout(Layout::SingleFile(format!("{name}.rs")))
            .client(false)
            .generate()
            .unwrap_or_else(|e| panic!("{name}: {e}"));
        let [file] = files.as_slice() else {
            panic!("{name}: one file expected, got {}", files.len());
        };
        let path = golden().join(format!("{name}.rs"));
        if update {
            std::fs::create_dir_all(golden()).unwrap();
            std::fs::write(&path, &file.contents).unwrap();
        } else if std::fs::read_to_string(&path).ok().as_deref() != Some(file.contents.as_str()) {
            differ.push(path.display().to_string());
        }
    }
    assert!(
        !update,
        "golden files rewritten under {}; review the diff and run again without UPDATE_GOLDEN",
        golden().display()
    );
    assert!(
        differ.is_empty(),
        "generated code differs from (or lacks) its golden file: {differ:?} \
         (UPDATE_GOLDEN=1 cargo test -p elt-tests --test golden rewrites them)"
    );
    // No golden file is left over from a fixture that is gone.
    let mut golden_names: Vec<String> = std::fs::read_dir(golden())
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter_map(|p| Some(p.file_stem()?.to_string_lossy().into_owned()))
        .collect();
    golden_names.sort();
    assert_eq!(golden_names, names, "one golden file per fixture");
}
