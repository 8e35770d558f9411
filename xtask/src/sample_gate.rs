//! The sample gate of `cargo xtask corpus`: samples every global element of a generated case
//! (`elt_codegen::sample`), and has two independent validators judge every document against the
//! case's own schema files: Python `xmlschema` (`tests/validate_set.py`) and libxml2 through
//! lxml (`tests/validate_set_libxml2.py`, which joins the set under one wrapper schema), one
//! process each per case. A document is valid when both accept it; where libxml2 cannot compile
//! the set, the report says so and `xmlschema`'s verdict stands alone. The element samples go on
//! to the round trip (`roundtrip_gate`).

use std::panic::{AssertUnwindSafe, catch_unwind};
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Instant;

use elt_codegen::FileSet;
use elt_codegen::sample::{self, Options};
use serde::Serialize;

/// One element (or operation) that failed the gate, with the first difference or error.
#[derive(Debug, Clone, Serialize)]
pub struct ElementFailure {
    /// `{namespace}local`, or `operation NAME`.
    pub element: String,
    /// The sample file, when there is one.
    pub file: Option<String>,
    /// `sample` (no sample could be made), `validation` (`xmlschema` rejects it), `libxml2`
    /// (`xmlschema` accepts it and libxml2 rejects it), or a
    /// stage of the round trip: `read`, `write`, `serde_json`, `panic`, `crash` (the process
    /// ended, a stack overflow), `compare` (the rewrite differs as canonical XML).
    pub stage: &'static str,
    /// The sampler's reason or the validator's first error.
    pub error: String,
}

/// What the gate found for one case.
#[derive(Debug, Clone, Default, Serialize)]
pub struct SampleReport {
    /// Global elements sampled (after the cap).
    pub elements: usize,
    /// Sample documents written (elements and envelopes).
    pub samples: usize,
    /// Documents both validators accept (`xmlschema` alone where libxml2 cannot load the set).
    pub valid: usize,
    /// Whether libxml2 compiled the set and judged the documents too; when it did not, why.
    pub libxml2: Libxml2,
    /// Wall-clock time of sampling, in milliseconds.
    pub sample_ms: u64,
    /// Wall-clock time of validation, in milliseconds.
    pub validate_ms: u64,
    /// Elements and documents that failed, with the reason.
    pub failures: Vec<ElementFailure>,
    /// The element samples and request envelopes, for the round trip.
    #[serde(skip)]
    pub documents: Vec<crate::roundtrip_gate::Document>,
    /// `{namespace}local` of each sampled global element → its `RootElement` constant path in
    /// the generated code.
    #[serde(skip)]
    pub roots: std::collections::BTreeMap<String, String>,
}

/// Whether the second validator, libxml2, judged a case's samples.
#[derive(Debug, Clone, Default, Serialize)]
#[serde(tag = "status", rename_all = "snake_case")]
pub enum Libxml2 {
    /// No sample was validated.
    #[default]
    NotRun,
    /// It compiled the set and judged every document.
    Judged,
    /// It could not compile the set (its first error).
    NotLoaded {
        /// libxml2's first error.
        error: String,
    },
}

/// The Python of the validator venv: `ELT_PYTHON`, else `target/pyvenv` (made by
/// `cargo xtask test`).
pub fn python() -> Result<PathBuf, String> {
    if let Some(p) = std::env::var_os("ELT_PYTHON") {
        return Ok(PathBuf::from(p));
    }
    let p = crate::workspace_root().join("target/pyvenv/bin/python");
    if p.exists() {
        Ok(p)
    } else {
        Err(
            "the validator is not set up: run `cargo xtask test` once (it creates target/pyvenv), \
             or pass --no-samples"
                .into(),
        )
    }
}

/// Runs one of the independent side's scripts under `tests/` with the validator venv's Python
/// and reads its verdicts, one JSON object per line of its output; `what` names the run in
/// errors. It must exit 0 and give exactly `expected` verdicts.
pub fn python_verdicts(
    script: &str,
    args: &[std::ffi::OsString],
    expected: usize,
    what: &str,
) -> Result<Vec<serde_json::Value>, String> {
    let verdicts = python_lines(script, args, what)?;
    if verdicts.len() != expected {
        return Err(format!(
            "{what} gave {} verdicts for {expected} documents",
            verdicts.len()
        ));
    }
    Ok(verdicts)
}

/// Runs one of the scripts under `tests/` with the validator venv's Python; it must exit 0.
/// Its JSON output lines.
fn python_lines(
    script: &str,
    args: &[std::ffi::OsString],
    what: &str,
) -> Result<Vec<serde_json::Value>, String> {
    let output = Command::new(python()?)
        .arg(crate::workspace_root().join(script))
        .args(args)
        .output()
        .map_err(|e| format!("running {what}: {e}"))?;
    if !output.status.success() {
        return Err(format!(
            "{what} failed ({}): {}",
            output.status,
            String::from_utf8_lossy(&output.stderr).trim()
        ));
    }
    Ok(json_lines(&output.stdout))
}

/// libxml2's verdicts on `args` (the contract folder, then the documents): `Ok` with one verdict
/// per document, or `Err` with libxml2's reason when it cannot compile the set.
fn libxml2_verdicts(
    args: &[std::ffi::OsString],
    documents: usize,
    dir: &Path,
) -> Result<Result<Vec<serde_json::Value>, String>, String> {
    let what = format!("libxml2, on the samples of {}", dir.display());
    let mut lines = python_lines("tests/validate_set_libxml2.py", args, &what)?;
    if lines.is_empty() {
        return Err(format!("{what} said nothing about loading the set"));
    }
    let head = lines.remove(0);
    if head["loaded"].as_bool() == Some(true) {
        if lines.len() != documents {
            return Err(format!(
                "{what} gave {} verdicts for {documents} documents",
                lines.len()
            ));
        }
        Ok(Ok(lines))
    } else {
        Ok(Err(head["error"]
            .as_str()
            .unwrap_or("no reason given")
            .to_owned()))
    }
}

/// The JSON objects of a process's output, one per line (other lines are ignored).
pub fn json_lines(stdout: &[u8]) -> Vec<serde_json::Value> {
    String::from_utf8_lossy(stdout)
        .lines()
        .filter_map(|l| serde_json::from_str(l).ok())
        .collect()
}

/// Samples the case in `dir` into `out` (at most `cap` global elements, in key order) and
/// validates the documents.
pub fn run(dir: &Path, out: &Path, cap: Option<usize>) -> Result<SampleReport, String> {
    let started = Instant::now();
    let set = FileSet::read(dir).map_err(|e| e.to_string())?;
    let sampled = catch_unwind(AssertUnwindSafe(|| -> Result<_, String> {
        let contract = elt_codegen::diff::model_of(&set).map_err(|e| e.to_string())?;
        let (_, docs) = elt_codegen::xsd::collect(&set).map_err(|e| e.to_string())?;
        let facts = sample::SchemaFacts::read(docs.values());
        let keys: Vec<elt_codegen::diff::QKey> = contract
            .elements
            .keys()
            .take(cap.unwrap_or(usize::MAX))
            .cloned()
            .collect();
        let mut all = sample::SampleSet::default();
        if cap.is_none_or(|c| c >= contract.elements.len()) {
            all = sample::from_contract(&contract, &facts, &Options::default());
        } else {
            for k in &keys {
                let one = sample::from_contract(
                    &contract,
                    &facts,
                    &Options {
                        element: Some(k.to_string()),
                        ..Options::default()
                    },
                );
                all.samples.extend(one.samples);
                all.skipped.extend(one.skipped);
            }
        }
        let roots = keys
            .iter()
            .filter_map(|k| Some((k.to_string(), contract.elements[k].rust_const.clone()?)))
            .collect();
        Ok((keys.len(), all, roots))
    }))
    .map_err(|_| "the sampler panicked".to_owned())??;
    let (elements, set_out, roots) = sampled;
    let mut report = SampleReport {
        elements,
        roots,
        samples: set_out.samples.len(),
        sample_ms: u64::try_from(started.elapsed().as_millis()).unwrap_or(u64::MAX),
        ..SampleReport::default()
    };
    for (element, why) in set_out.skipped {
        report.failures.push(ElementFailure {
            element,
            file: None,
            stage: "sample",
            error: why,
        });
    }
    if out.exists() {
        std::fs::remove_dir_all(out).map_err(|e| format!("{}: {e}", out.display()))?;
    }
    let mut files = Vec::new();
    for s in &set_out.samples {
        let path = out.join(&s.file_name);
        if let Some(parent) = path.parent() {
            std::fs::create_dir_all(parent).map_err(|e| format!("{}: {e}", parent.display()))?;
        }
        std::fs::write(&path, &s.xml).map_err(|e| format!("{}: {e}", path.display()))?;
        report.documents.push(crate::roundtrip_gate::Document {
            element: s.element.clone(),
            path: path.clone(),
            name: s.file_name.clone(),
        });
        files.push((path, s.element.clone(), s.file_name.clone()));
    }
    if files.is_empty() {
        return Ok(report);
    }
    let started = Instant::now();
    let mut args = vec![dir.as_os_str().to_owned()];
    args.extend(files.iter().map(|(p, _, _)| p.as_os_str().to_owned()));
    let verdicts = python_verdicts(
        "tests/validate_set.py",
        &args,
        files.len(),
        &format!("the validator, on the samples of {}", dir.display()),
    )?;
    let second = libxml2_verdicts(&args, files.len(), dir)?;
    report.validate_ms = u64::try_from(started.elapsed().as_millis()).unwrap_or(u64::MAX);
    report.libxml2 = match &second {
        Ok(_) => Libxml2::Judged,
        Err(error) => Libxml2::NotLoaded {
            error: error.clone(),
        },
    };
    for (n, ((_, element, name), v)) in files.iter().zip(&verdicts).enumerate() {
        let libxml2 = second.as_ref().ok().map(|all| &all[n]);
        if v["ok"].as_bool() == Some(true) {
            match libxml2 {
                Some(l) if l["ok"].as_bool() != Some(true) => {
                    report.failures.push(ElementFailure {
                        element: element.clone(),
                        file: Some(name.clone()),
                        stage: "libxml2",
                        error: l["error"].as_str().unwrap_or("no reason given").to_owned(),
                    })
                }
                _ => report.valid += 1,
            }
        } else {
            report.failures.push(ElementFailure {
                element: element.clone(),
                file: Some(name.clone()),
                stage: "validation",
                error: v["error"].as_str().unwrap_or("no reason given").to_owned(),
            });
        }
    }
    Ok(report)
}
