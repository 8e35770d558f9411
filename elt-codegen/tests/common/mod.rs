//! Helpers shared by the integration tests.

use std::path::PathBuf;

/// The folder of the real-world schema sets (`../shared/corpus`), or `None` when it is absent
/// and not required: under `cargo xtask test` (`ELT_REQUIRE_CORPUS=1`) a missing corpus is a
/// failure, never a skip.
pub fn corpus() -> Option<PathBuf> {
    let corpus = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../shared/corpus");
    if corpus.is_dir() {
        return Some(corpus);
    }
    assert!(
        std::env::var("ELT_REQUIRE_CORPUS").as_deref() != Ok("1"),
        "{} is absent, and ELT_REQUIRE_CORPUS=1 requires it",
        corpus.display()
    );
    eprintln!("../shared/corpus absent: skipped");
    None
}

/// The case folders of the corpus, by name (at least the seven known ones), or `None` as for
/// [`corpus`].
#[allow(dead_code)] // Not every test binary that includes this module lists the cases.
pub fn corpus_cases() -> Option<Vec<PathBuf>> {
    let mut cases: Vec<PathBuf> = std::fs::read_dir(corpus()?)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.is_dir())
        .collect();
    cases.sort();
    assert!(cases.len() >= 7, "{cases:?}");
    Some(cases)
}
