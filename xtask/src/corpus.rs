//! `cargo xtask corpus DIR [--case NAME]... [--json] [--fail-on-refused] [--out DIR] [--timeout SECS]`
//!
//! Runs the generator over every case folder under `DIR` (the layout of `../shared/corpus/`: one
//! folder of WSDL/XSD files per case) and reports, per case, whether it generated, generated
//! its types only because the client stubs were refused (`types_only`, with the client's
//! refusal: an rpc/encoded binding operation, say), was refused with the generator's error, or
//! panicked; whether the generated code compiles, with its number
//! of compile errors; the generated lines; and the generation time.
//!
//! Generation runs in this process, one case at a time, on a worker thread under
//! `catch_unwind` (a panic anywhere in the generator or its dependencies is reported, never a
//! crash of the run) with a time limit. Each generated case becomes a crate under
//! `target/corpus/<case>/`; all of them are members of one generated workspace
//! (`target/corpus/Cargo.toml`) so the runtime crates and their dependencies compile once.
//!
//! Every generated case is sampled (`elt_codegen::sample`: a minimal document and a full set
//! per global element, a request envelope per SOAP operation; `--sample-cap N` samples the
//! first N elements of each case, `--no-samples` none), and the documents are judged by the
//! independent validators (Python `xmlschema`, and libxml2 through lxml over a wrapper schema
//! joining the set; one process each per case, against the case's own files). A document counts
//! as valid when both accept it; a set libxml2 cannot compile is marked "xmlschema only", with
//! libxml2's reason.
//!
//! The crates are built in one `cargo build --keep-going --message-format=json` (debug
//! profile); errors are counted per package from the JSON messages. A sampled case's crate
//! carries a small binary (`src/bin/roundtrip.rs`, see `roundtrip_gate`) that reads every
//! element sample with the generated code, writes it back and sends the value through
//! `serde_json`, on a 2 MiB thread; a request envelope is read with `elt_soap`'s envelope
//! parser, each header block and the body element by its own constant, and written again by
//! `elt_soap`'s envelope writer (in crates with client stubs). The rewrite is then compared
//! with the sample as canonical XML by the independent side (Python). With `--no-samples` the
//! crates are only checked
//! (`cargo check`), which is faster.
//!
//! The report lists every element without a sample, every rejected document with the
//! validator's first error, and every document that did not round-trip with the stage and the
//! first difference.
//!
//! Exit status: 0 when every case generated-and-compiled or was refused, every sample is valid
//! and every element sample and envelope round-tripped; 1 when any case panicked (or ran out of time),
//! failed to compile, had a sample the validator rejects or one that did not round-trip, or,
//! with `--fail-on-refused`, was refused; 2 on bad arguments or when the harness itself could
//! not run.

use std::cell::RefCell;
use std::collections::BTreeMap;
use std::io::{BufRead, BufReader};
use std::panic::{AssertUnwindSafe, catch_unwind};
use std::path::{Path, PathBuf};
use std::process::{Command, ExitCode, Stdio};
use std::sync::mpsc;
use std::time::{Duration, Instant};

use elt_codegen::output::{self, GeneratedFile};
use elt_codegen::{Builder, Error, FileSet, Layout};
use serde::Serialize;

use crate::roundtrip_gate::{self, RoundtripReport};
use crate::sample_gate::{self, SampleReport};

const USAGE: &str = "usage: cargo xtask corpus DIR [--case NAME]... [--json] [--fail-on-refused] \
                     [--out DIR] [--timeout SECS] [--sample-cap N | --no-samples]";

/// Options of one run.
#[derive(Debug)]
struct Options {
    dir: PathBuf,
    cases: Vec<String>,
    json: bool,
    fail_on_refused: bool,
    out: PathBuf,
    timeout: Duration,
    /// Sample at most this many global elements per case (`None`: all).
    sample_cap: Option<usize>,
    /// No sampling.
    no_samples: bool,
}

fn parse_args(args: &[String]) -> Result<Options, String> {
    let mut dir = None;
    let mut cases = Vec::new();
    let mut json = false;
    let mut fail_on_refused = false;
    let mut out = crate::workspace_root().join("target/corpus");
    let mut timeout = Duration::from_secs(300);
    let mut sample_cap = None;
    let mut no_samples = false;
    let mut it = args.iter();
    while let Some(a) = it.next() {
        let mut value = |name: &str| {
            it.next()
                .cloned()
                .ok_or_else(|| format!("{name} needs a value"))
        };
        match a.as_str() {
            "--case" => cases.push(value("--case")?),
            "--json" => json = true,
            "--fail-on-refused" => fail_on_refused = true,
            "--out" => out = PathBuf::from(value("--out")?),
            "--timeout" => {
                let v = value("--timeout")?;
                let secs: u64 = v
                    .parse()
                    .map_err(|_| format!("--timeout {v:?}: expected whole seconds"))?;
                timeout = Duration::from_secs(secs.max(1));
            }
            "--sample-cap" => {
                let v = value("--sample-cap")?;
                sample_cap = Some(
                    v.parse()
                        .map_err(|_| format!("--sample-cap {v:?}: expected a whole number"))?,
                );
            }
            "--no-samples" => no_samples = true,
            "-h" | "--help" => return Err(String::new()),
            s if s.starts_with('-') => return Err(format!("unknown option {s}")),
            s if dir.is_none() => dir = Some(PathBuf::from(s)),
            s => return Err(format!("unexpected argument {s:?}")),
        }
    }
    let dir = dir.ok_or_else(|| "missing DIR".to_owned())?;
    // The output folder is made absolute: the generated workspace is built from inside it.
    let out = if out.is_absolute() {
        out
    } else {
        std::env::current_dir()
            .map_err(|e| e.to_string())?
            .join(out)
    };
    Ok(Options {
        dir,
        cases,
        json,
        fail_on_refused,
        out,
        timeout,
        sample_cap,
        no_samples,
    })
}

/// What generating one case gave.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
enum GenStatus {
    Generated,
    /// The client stubs were refused (the message says where and why, for example an
    /// rpc/encoded binding operation); the types generated without them.
    TypesOnly,
    Refused,
    Panicked,
    TimedOut,
}

/// What checking one generated crate gave.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
enum CompileStatus {
    Compiled,
    Failed,
    /// No artifact and no error of its own (the build stopped before it, or a dependency failed).
    NotBuilt,
}

#[derive(Debug, Clone, Serialize)]
struct CompileReport {
    status: CompileStatus,
    errors: usize,
    warnings: usize,
    /// The first few errors as rustc rendered them.
    first_errors: Vec<String>,
}

#[derive(Debug, Clone, Serialize)]
struct CaseReport {
    case: String,
    /// Entry points found: every `.wsdl`, and every `.xsd` that no other file imports,
    /// includes or redefines.
    entry_points: Vec<String>,
    /// Contract files (`.wsdl`, `.xsd`) in the folder.
    files: usize,
    generation: GenStatus,
    /// The generator's error (refused; for types only, why the client was refused) or the panic
    /// message (panicked).
    message: Option<String>,
    /// Wall-clock time of reading and generating, in milliseconds.
    generation_ms: u64,
    generated_files: usize,
    generated_lines: usize,
    /// Where the crate was written (generated cases only).
    crate_dir: Option<String>,
    compile: Option<CompileReport>,
    /// The sample gate (generated cases, unless `--no-samples`).
    samples: Option<SampleReport>,
    /// Why the sample gate could not run on this case.
    sample_error: Option<String>,
    /// The round trip of the element samples and envelopes (sampled cases that compiled).
    roundtrip: Option<RoundtripSummary>,
    /// Why the round trip could not run on this case.
    roundtrip_error: Option<String>,
}

/// The round trip of one case, as reported (the failures are listed with the samples').
#[derive(Debug, Clone, Serialize)]
struct RoundtripSummary {
    documents: usize,
    round_tripped: usize,
    /// Wall-clock time of reading, writing and comparing, in milliseconds.
    ms: u64,
}

impl CaseReport {
    /// Whether code was generated (with the client, or types only).
    fn generated(&self) -> bool {
        matches!(self.generation, GenStatus::Generated | GenStatus::TypesOnly)
    }
}

#[derive(Debug, Clone, Serialize)]
struct Summary {
    cases: usize,
    /// Generated, with client stubs or types only.
    generated: usize,
    /// Of those, generated as types only because the client stubs were refused.
    types_only: usize,
    compiled: usize,
    refused: usize,
    panicked: usize,
    /// Global elements sampled.
    elements: usize,
    /// Sample documents written.
    samples: usize,
    /// Sample documents the validator accepts.
    valid: usize,
    /// Element samples and request envelopes read back (the envelopes of types-only crates,
    /// which have no envelope writer, are not).
    round_trips: usize,
    /// Of those, read, written back equal as canonical XML and unchanged through `serde_json`.
    round_tripped: usize,
}

impl Summary {
    fn line(&self) -> String {
        format!(
            "corpus: {} cases, {} generated, {} compiled, {} refused, {} panicked; {} elements, \
             {} of {} samples valid, {} of {} round-tripped",
            self.cases,
            self.generated,
            self.compiled,
            self.refused,
            self.panicked,
            self.elements,
            self.valid,
            self.samples,
            self.round_tripped,
            self.round_trips
        )
    }
}

#[derive(Debug, Clone, Serialize)]
struct Report {
    corpus: String,
    out: String,
    /// Wall-clock time of `cargo build` (or `cargo check`, with `--no-samples`) over every
    /// generated crate, in milliseconds.
    compile_ms: u64,
    cases: Vec<CaseReport>,
    summary: Summary,
    summary_line: String,
}

/// Entry point of `cargo xtask corpus`.
pub fn main(args: &[String]) -> ExitCode {
    let opts = match parse_args(args) {
        Ok(o) => o,
        Err(e) => {
            if !e.is_empty() {
                eprintln!("xtask corpus: {e}");
            }
            eprintln!("{USAGE}");
            return ExitCode::from(2);
        }
    };
    match run(&opts) {
        Ok(report) => {
            if opts.json {
                println!(
                    "{}",
                    serde_json::to_string_pretty(&report).expect("the report serializes")
                );
                eprintln!("{}", report.summary_line);
            } else {
                print!("{}", render_text(&report));
                println!("{}", report.summary_line);
            }
            let failed = report.cases.iter().any(|c| {
                matches!(c.generation, GenStatus::Panicked | GenStatus::TimedOut)
                    || (opts.fail_on_refused && c.generation == GenStatus::Refused)
                    || c.compile
                        .as_ref()
                        .is_some_and(|k| k.status != CompileStatus::Compiled)
                    || c.sample_error.is_some()
                    || c.samples.as_ref().is_some_and(|s| s.valid < s.samples)
                    || c.roundtrip_error.is_some()
                    || c.roundtrip
                        .as_ref()
                        .is_some_and(|r| r.round_tripped < r.documents)
            });
            if failed {
                ExitCode::FAILURE
            } else {
                ExitCode::SUCCESS
            }
        }
        Err(e) => {
            eprintln!("xtask corpus: {e}");
            ExitCode::from(2)
        }
    }
}

/// The case folders under `dir`: every sub-folder not starting with `.`, by name.
fn case_dirs(dir: &Path) -> Result<Vec<(String, PathBuf)>, String> {
    let entries = std::fs::read_dir(dir).map_err(|e| format!("{}: {e}", dir.display()))?;
    let mut cases: Vec<(String, PathBuf)> = entries
        .filter_map(Result::ok)
        .filter(|e| e.file_type().is_ok_and(|t| t.is_dir()))
        .map(|e| (e.file_name().to_string_lossy().into_owned(), e.path()))
        .filter(|(name, _)| !name.starts_with('.'))
        .collect();
    cases.sort();
    Ok(cases)
}

fn run(opts: &Options) -> Result<Report, String> {
    let mut cases = case_dirs(&opts.dir)?;
    if !opts.cases.is_empty() {
        for wanted in &opts.cases {
            if !cases.iter().any(|(n, _)| n == wanted) {
                return Err(format!(
                    "no case folder {wanted:?} under {}",
                    opts.dir.display()
                ));
            }
        }
        cases.retain(|(n, _)| opts.cases.contains(n));
    }
    if cases.is_empty() {
        return Err(format!(
            "{} holds no case folder (expected one folder of WSDL/XSD files per case)",
            opts.dir.display()
        ));
    }
    std::fs::create_dir_all(&opts.out).map_err(|e| format!("{}: {e}", opts.out.display()))?;
    install_quiet_panic_hook();

    let mut reports = Vec::new();
    let mut members = Vec::new();
    for (name, path) in &cases {
        if !opts.json {
            eprintln!("corpus: generating {name}");
        }
        let outcome = generate_case(path, opts.timeout);
        let crate_dir = opts.out.join(name);
        let mut report = CaseReport {
            case: name.clone(),
            entry_points: outcome.entry_points,
            files: outcome.files,
            generation: outcome.status,
            message: outcome.message,
            generation_ms: u64::try_from(outcome.elapsed.as_millis()).unwrap_or(u64::MAX),
            generated_files: outcome.generated.len(),
            generated_lines: outcome
                .generated
                .iter()
                .map(|f| f.contents.lines().count())
                .sum(),
            crate_dir: None,
            compile: None,
            samples: None,
            sample_error: None,
            roundtrip: None,
            roundtrip_error: None,
        };
        if crate_dir.exists() {
            std::fs::remove_dir_all(&crate_dir)
                .map_err(|e| format!("{}: {e}", crate_dir.display()))?;
        }
        if report.generated() {
            if !opts.no_samples {
                if !opts.json {
                    eprintln!("corpus: sampling {name}");
                }
                let samples_dir = opts.out.join("samples").join(name);
                match sample_gate::run(path, &samples_dir, opts.sample_cap) {
                    Ok(s) => report.samples = Some(s),
                    Err(e) => report.sample_error = Some(e),
                }
            }
            let with_soap = uses_soap(&outcome.generated);
            if let Some(s) = report.samples.as_mut().filter(|_| !with_soap) {
                // A types-only crate has no envelope writer to read its envelopes back with;
                // they are validated, not round-tripped.
                s.documents.retain(|d| !d.is_envelope());
            }
            let roots = report
                .samples
                .as_ref()
                .filter(|s| !s.documents.is_empty())
                .map(|s| &s.roots);
            write_case_crate(&crate_dir, name, &outcome.generated, roots)?;
            report.crate_dir = Some(crate_dir.display().to_string());
            members.push(name.clone());
        }
        reports.push(report);
    }

    let started = Instant::now();
    if !members.is_empty() {
        let results = build_workspace(&opts.out, &members, opts.json, !opts.no_samples)?;
        for r in &mut reports {
            if r.generated() {
                let key = opts.out.join(&r.case).join("Cargo.toml");
                r.compile = Some(results.get(&key).cloned().unwrap_or(CompileReport {
                    status: CompileStatus::NotBuilt,
                    errors: 0,
                    warnings: 0,
                    first_errors: Vec::new(),
                }));
            }
        }
    }
    let compile_ms = u64::try_from(started.elapsed().as_millis()).unwrap_or(u64::MAX);

    for r in &mut reports {
        let compiled = r
            .compile
            .as_ref()
            .is_some_and(|c| c.status == CompileStatus::Compiled);
        let Some(samples) = r.samples.as_mut().filter(|s| !s.documents.is_empty()) else {
            continue;
        };
        if !compiled {
            r.roundtrip_error = Some("the crate did not compile".into());
            continue;
        }
        if !opts.json {
            eprintln!("corpus: round trip of {}", r.case);
        }
        let binary = opts
            .out
            .join(".cargo-target/debug")
            .join(roundtrip_gate::binary_name(&package_name(&r.case)));
        let out = opts.out.join("roundtrip").join(&r.case);
        match roundtrip_gate::run(&binary, &samples.documents, &out) {
            Ok(RoundtripReport {
                documents,
                round_tripped,
                ms,
                failures,
            }) => {
                samples.failures.extend(failures);
                r.roundtrip = Some(RoundtripSummary {
                    documents,
                    round_tripped,
                    ms,
                });
            }
            Err(e) => r.roundtrip_error = Some(e),
        }
    }

    let count = |f: &dyn Fn(&CaseReport) -> bool| reports.iter().filter(|r| f(r)).count();
    let summary = Summary {
        cases: reports.len(),
        generated: count(&|r| r.generated()),
        types_only: count(&|r| r.generation == GenStatus::TypesOnly),
        compiled: count(&|r| {
            r.compile
                .as_ref()
                .is_some_and(|c| c.status == CompileStatus::Compiled)
        }),
        refused: count(&|r| r.generation == GenStatus::Refused),
        panicked: count(&|r| matches!(r.generation, GenStatus::Panicked | GenStatus::TimedOut)),
        elements: reports
            .iter()
            .filter_map(|r| r.samples.as_ref())
            .map(|s| s.elements)
            .sum(),
        samples: reports
            .iter()
            .filter_map(|r| r.samples.as_ref())
            .map(|s| s.samples)
            .sum(),
        valid: reports
            .iter()
            .filter_map(|r| r.samples.as_ref())
            .map(|s| s.valid)
            .sum(),
        round_trips: reports
            .iter()
            .filter_map(|r| r.roundtrip.as_ref())
            .map(|t| t.documents)
            .sum(),
        round_tripped: reports
            .iter()
            .filter_map(|r| r.roundtrip.as_ref())
            .map(|t| t.round_tripped)
            .sum(),
    };
    Ok(Report {
        corpus: opts.dir.display().to_string(),
        out: opts.out.display().to_string(),
        compile_ms,
        cases: reports,
        summary_line: summary.line(),
        summary,
    })
}

thread_local! {
    /// The last panic on this thread, with its location, as the hook saw it.
    static LAST_PANIC: RefCell<Option<String>> = const { RefCell::new(None) };
}

/// Panics are reported in the table, not printed as they happen; the hook keeps the message and
/// the location for the report.
fn install_quiet_panic_hook() {
    std::panic::set_hook(Box::new(|info| {
        let text = info.to_string();
        LAST_PANIC.with(|p| *p.borrow_mut() = Some(text));
    }));
}

struct Outcome {
    status: GenStatus,
    message: Option<String>,
    entry_points: Vec<String>,
    files: usize,
    generated: Vec<GeneratedFile>,
    elapsed: Duration,
}

/// Reads and generates one case on a worker thread, under `catch_unwind` and a time limit.
fn generate_case(dir: &Path, timeout: Duration) -> Outcome {
    let (tx, rx) = mpsc::channel();
    let dir_owned = dir.to_owned();
    let started = Instant::now();
    let spawned = std::thread::Builder::new()
        .name("corpus-generate".into())
        // The stack a build script's main thread has.
        .stack_size(8 * 1024 * 1024)
        .spawn(move || {
            LAST_PANIC.with(|p| p.borrow_mut().take());
            let mut elapsed = Duration::ZERO;
            let result = catch_unwind(AssertUnwindSafe(|| {
                let (files, entry_points) = match FileSet::read(&dir_owned) {
                    Ok(set) => (set.len(), entry_points(&set)),
                    Err(_) => (0, Vec::new()),
                };
                // Timed: reading the folder and generating, as a build script would.
                let started = Instant::now();
                let generated = Builder::new()
                    .input(&dir_owned)
                    .layout(Layout::ModuleTree)
                    .generate();
                elapsed = started.elapsed();
                // Refused with the client: the client may be what is refused (rpc/encoded, ...).
                // Then the types alone are generated, and the refusal is kept as the reason.
                let generated = match generated {
                    Ok(files) => Ok((files, None)),
                    Err(e @ Error::EnginePanic { .. }) => Err(e),
                    Err(client_error) => {
                        let started = Instant::now();
                        let types = Builder::new()
                            .input(&dir_owned)
                            .layout(Layout::ModuleTree)
                            .client(false)
                            .generate();
                        match types {
                            Ok(files) => {
                                elapsed = started.elapsed();
                                Ok((files, Some(client_error)))
                            }
                            Err(_) => Err(client_error),
                        }
                    }
                };
                (files, entry_points, generated)
            }));
            if result.is_err() {
                elapsed = started.elapsed();
            }
            let last_panic = LAST_PANIC.with(|p| p.borrow_mut().take());
            let _ = tx.send((result, last_panic, elapsed));
        });
    if let Err(e) = spawned {
        return Outcome {
            status: GenStatus::Panicked,
            message: Some(format!("could not start the generator thread: {e}")),
            entry_points: Vec::new(),
            files: 0,
            generated: Vec::new(),
            elapsed: Duration::ZERO,
        };
    }
    match rx.recv_timeout(timeout) {
        Ok((Ok((files, entry_points, Ok((generated, client_error)))), _, elapsed)) => Outcome {
            status: if client_error.is_some() {
                GenStatus::TypesOnly
            } else {
                GenStatus::Generated
            },
            message: client_error.map(|e| format!("client refused: {e}")),
            entry_points,
            files,
            generated,
            elapsed,
        },
        Ok((Ok((files, entry_points, Err(e))), last_panic, elapsed)) => {
            let status = if matches!(e, Error::EnginePanic { .. }) {
                GenStatus::Panicked
            } else {
                GenStatus::Refused
            };
            // The engine's panic is caught inside the generator; the hook saw where it was.
            let message = match (&e, last_panic) {
                (Error::EnginePanic { .. }, Some(p)) => format!("{e} ({})", one_line(&p)),
                _ => e.to_string(),
            };
            Outcome {
                status,
                message: Some(message),
                entry_points,
                files,
                generated: Vec::new(),
                elapsed,
            }
        }
        Ok((Err(payload), last_panic, elapsed)) => {
            let message = last_panic.unwrap_or_else(|| panic_message(payload.as_ref()));
            Outcome {
                status: GenStatus::Panicked,
                message: Some(one_line(&message)),
                entry_points: Vec::new(),
                files: 0,
                generated: Vec::new(),
                elapsed,
            }
        }
        Err(_) => Outcome {
            // The worker thread is left behind; the process ends when the run does.
            status: GenStatus::TimedOut,
            message: Some(format!(
                "generation did not finish within {} s",
                timeout.as_secs()
            )),
            entry_points: Vec::new(),
            files: 0,
            generated: Vec::new(),
            elapsed: started.elapsed(),
        },
    }
}

fn panic_message(payload: &(dyn std::any::Any + Send)) -> String {
    payload
        .downcast_ref::<String>()
        .cloned()
        .or_else(|| payload.downcast_ref::<&str>().map(|s| (*s).to_owned()))
        .unwrap_or_else(|| "a panic without a message".into())
}

fn one_line(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// Every `.wsdl`, and every `.xsd` file that no other file imports, includes or redefines (by
/// `schemaLocation`, from a schema file or a schema inside a WSDL).
fn entry_points(set: &FileSet) -> Vec<String> {
    let is = |p: &str, ext: &str| p.to_ascii_lowercase().ends_with(ext);
    let Ok((_, docs)) = elt_codegen::xsd::collect(set) else {
        // Unreadable: the generator reports why; list the candidates as files.
        return set
            .files()
            .map(|(p, _)| p.to_owned())
            .filter(|p| is(p, ".wsdl"))
            .collect();
    };
    let referenced: std::collections::BTreeSet<&str> = docs
        .values()
        .flat_map(|d| d.references.iter().map(String::as_str))
        .collect();
    set.files()
        .map(|(p, _)| p)
        .filter(|p| is(p, ".wsdl") || (is(p, ".xsd") && !referenced.contains(p)))
        .map(str::to_owned)
        .collect()
}

/// A Cargo package name for the case: `corpus_` and the folder name with anything but ASCII
/// letters, digits and `_` replaced by `_`.
fn package_name(case: &str) -> String {
    let mut name: String = case
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || c == '_' {
                c.to_ascii_lowercase()
            } else {
                '_'
            }
        })
        .collect();
    name.insert_str(0, "corpus_");
    name
}

/// Whether the generated code calls the SOAP runtime (it has client stubs).
fn uses_soap(files: &[GeneratedFile]) -> bool {
    files.iter().any(|f| f.contents.contains("elt_soap"))
}

/// Writes the case's crate: the generated modules, and with `roots` (the sampled global
/// elements' `RootElement` constants) the round-trip binary.
fn write_case_crate(
    dir: &Path,
    case: &str,
    files: &[GeneratedFile],
    roots: Option<&BTreeMap<String, String>>,
) -> Result<(), String> {
    let root = crate::workspace_root();
    let needs_soap = uses_soap(files);
    let mut deps = format!(
        "elt-xml = {{ path = {} }}\nserde = {{ version = \"1\", features = [\"derive\"] }}\n\
         serde_json = \"1\"\n",
        toml_string(&root.join("elt-xml"))
    );
    if needs_soap {
        deps.push_str(&format!(
            "elt-soap = {{ path = {} }}\n",
            toml_string(&root.join("elt-soap"))
        ));
    }
    let package = package_name(case);
    let bin = if roots.is_some() {
        format!(
            "\n[[bin]]\nname = \"{}\"\npath = \"src/bin/roundtrip.rs\"\n",
            roundtrip_gate::binary_name(&package)
        )
    } else {
        String::new()
    };
    let manifest = format!(
        "# Written by `cargo xtask corpus` from the case folder {case:?}; rewritten on every run.\n\
         [package]\nname = \"{package}\"\nversion = \"0.0.0\"\nedition = \"2024\"\npublish = false\n\
         {bin}\n[dependencies]\n{deps}"
    );
    let lib = format!(
        "//! Generated by `cargo xtask corpus` from the case {case:?}.\n\n\
         #[allow(missing_docs, clippy::all)]\npub mod generated;\n"
    );
    let io = |p: &Path, e: std::io::Error| format!("{}: {e}", p.display());
    std::fs::create_dir_all(dir.join("src")).map_err(|e| io(dir, e))?;
    for (path, text) in [
        (dir.join("Cargo.toml"), manifest),
        (dir.join("src/lib.rs"), lib),
    ] {
        std::fs::write(&path, text).map_err(|e| io(&path, e))?;
    }
    output::write_files(&dir.join("src/generated"), files, true).map_err(|e| e.to_string())?;
    if let Some(roots) = roots {
        let bin = dir.join("src/bin");
        std::fs::create_dir_all(&bin).map_err(|e| io(&bin, e))?;
        let path = bin.join("roundtrip.rs");
        std::fs::write(
            &path,
            roundtrip_gate::harness_source(&package, roots, needs_soap),
        )
        .map_err(|e| io(&path, e))?;
    }
    Ok(())
}

fn toml_string(p: &Path) -> String {
    serde_json::to_string(&p.display().to_string()).expect("a string serializes")
}

/// Writes the workspace manifest over `members` and runs one `cargo build` (`build`) or
/// `cargo check` over it; returns the result per member manifest path.
fn build_workspace(
    out: &Path,
    members: &[String],
    quiet: bool,
    build: bool,
) -> Result<BTreeMap<PathBuf, CompileReport>, String> {
    let list: Vec<String> = members
        .iter()
        .map(|m| serde_json::to_string(m).expect("a string serializes"))
        .collect();
    let manifest = format!(
        "# Written by `cargo xtask corpus`; rewritten on every run. One workspace over every\n\
         # generated case, so the runtime crates and their dependencies compile once.\n\
         [workspace]\nresolver = \"3\"\nmembers = [{}]\n",
        list.join(", ")
    );
    let path = out.join("Cargo.toml");
    std::fs::write(&path, manifest).map_err(|e| format!("{}: {e}", path.display()))?;
    // The main workspace's lock file: the same dependency versions, and no resolution needed.
    let lock = crate::workspace_root().join("Cargo.lock");
    if lock.exists() {
        std::fs::copy(&lock, out.join("Cargo.lock")).map_err(|e| format!("Cargo.lock: {e}"))?;
    }
    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".into());
    if !quiet {
        eprintln!(
            "corpus: cargo {} over {} generated crate(s) in {}",
            if build { "build" } else { "check" },
            members.len(),
            out.display()
        );
    }
    let mut child = Command::new(cargo)
        .current_dir(out)
        .args([
            if build { "build" } else { "check" },
            "--workspace",
            "--keep-going",
            "--message-format=json",
            "--target-dir",
        ])
        .arg(out.join(".cargo-target"))
        .env_remove("CARGO_TARGET_DIR")
        .env_remove("RUSTFLAGS")
        .env_remove("CARGO_ENCODED_RUSTFLAGS")
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .map_err(|e| format!("running cargo: {e}"))?;
    // Cargo's progress goes on to our stderr; the tail is kept for the error message.
    let stderr = child.stderr.take().expect("piped");
    let forward = std::thread::spawn(move || {
        let mut tail: Vec<String> = Vec::new();
        for line in BufReader::new(stderr).lines().map_while(Result::ok) {
            if !quiet {
                eprintln!("{line}");
            }
            tail.push(line);
            if tail.len() > 40 {
                tail.remove(0);
            }
        }
        tail
    });
    let stdout = child.stdout.take().expect("piped");
    let mut results: BTreeMap<PathBuf, CompileReport> = BTreeMap::new();
    let mut artifacts: std::collections::BTreeSet<PathBuf> = Default::default();
    let mut foreign_errors = Vec::new();
    let member_manifests: Vec<PathBuf> = members
        .iter()
        .map(|m| out.join(m).join("Cargo.toml"))
        .collect();
    for line in BufReader::new(stdout).lines().map_while(Result::ok) {
        let Ok(msg) = serde_json::from_str::<serde_json::Value>(&line) else {
            continue;
        };
        let manifest = msg["manifest_path"].as_str().map(PathBuf::from);
        match msg["reason"].as_str() {
            Some("compiler-artifact") => {
                if let Some(m) = manifest {
                    artifacts.insert(m);
                }
            }
            Some("compiler-message") => {
                let level = msg["message"]["level"].as_str().unwrap_or("");
                let text = msg["message"]["message"].as_str().unwrap_or("");
                let spans_empty = msg["message"]["spans"]
                    .as_array()
                    .is_none_or(|s| s.is_empty());
                // rustc's closing summaries are not diagnostics of their own.
                if spans_empty && (text.starts_with("aborting due to") || text.ends_with("emitted"))
                {
                    continue;
                }
                let Some(m) = manifest else { continue };
                let is_member = member_manifests.contains(&m);
                match level {
                    "error" | "error: internal compiler error" => {
                        if !is_member {
                            foreign_errors.push(format!("{}: {text}", m.display()));
                            continue;
                        }
                        let r = results.entry(m).or_insert_with(empty_compile);
                        r.errors += 1;
                        if r.first_errors.len() < 3 {
                            let rendered = msg["message"]["rendered"].as_str().unwrap_or(text);
                            r.first_errors.push(rendered.trim_end().to_owned());
                        }
                    }
                    "warning" if is_member => {
                        results.entry(m).or_insert_with(empty_compile).warnings += 1;
                    }
                    _ => {}
                }
            }
            _ => {}
        }
    }
    let status = child
        .wait()
        .map_err(|e| format!("waiting for cargo: {e}"))?;
    let tail = forward.join().unwrap_or_default();
    if !foreign_errors.is_empty() {
        return Err(format!(
            "a dependency of the generated crates failed to compile:\n{}",
            foreign_errors.join("\n")
        ));
    }
    for m in &member_manifests {
        let r = results.entry(m.clone()).or_insert_with(empty_compile);
        r.status = if r.errors > 0 {
            CompileStatus::Failed
        } else if artifacts.contains(m) {
            CompileStatus::Compiled
        } else {
            CompileStatus::NotBuilt
        };
    }
    let nothing_built = results
        .values()
        .all(|r| r.status == CompileStatus::NotBuilt);
    if !status.success() && nothing_built {
        return Err(format!(
            "cargo over {} failed before building any case ({status}):\n{}",
            out.display(),
            tail.join("\n")
        ));
    }
    Ok(results)
}

fn empty_compile() -> CompileReport {
    CompileReport {
        status: CompileStatus::NotBuilt,
        errors: 0,
        warnings: 0,
        first_errors: Vec::new(),
    }
}

/// The report as a Markdown table, then the messages of every case that did not compile.
fn render_text(r: &Report) -> String {
    let mut s = format!("corpus {} -> {}\n\n", r.corpus, r.out);
    s.push_str(
        "| case | entry points | generation | time | lines | compile | elements | valid samples | sample + validate | round-tripped | round trip |\n",
    );
    s.push_str("|---|---:|---|---:|---:|---|---:|---:|---:|---:|---:|\n");
    for c in &r.cases {
        let generation = match c.generation {
            GenStatus::Generated => "generated",
            GenStatus::TypesOnly => "types only, client refused",
            GenStatus::Refused => "refused",
            GenStatus::Panicked => "panicked",
            GenStatus::TimedOut => "timed out",
        };
        let lines = if c.generated() {
            c.generated_lines.to_string()
        } else {
            "-".into()
        };
        let compile = match &c.compile {
            None => "-".to_owned(),
            Some(k) => {
                let word = match k.status {
                    CompileStatus::Compiled => "compiles",
                    CompileStatus::Failed => "fails",
                    CompileStatus::NotBuilt => "not built",
                };
                let mut w = format!("{word}, {} errors", k.errors);
                if k.warnings > 0 {
                    w.push_str(&format!(", {} warnings", k.warnings));
                }
                w
            }
        };
        let (elements, valid, sample_time) = match &c.samples {
            Some(x) => (
                x.elements.to_string(),
                match x.libxml2 {
                    sample_gate::Libxml2::NotLoaded { .. } => {
                        format!("{}/{} (xmlschema only)", x.valid, x.samples)
                    }
                    _ => format!("{}/{}", x.valid, x.samples),
                },
                format!("{} + {} ms", x.sample_ms, x.validate_ms),
            ),
            None => ("-".into(), "-".into(), "-".into()),
        };
        let (tripped, trip_time) = match &c.roundtrip {
            Some(t) => (
                format!("{}/{}", t.round_tripped, t.documents),
                format!("{} ms", t.ms),
            ),
            None => ("-".into(), "-".into()),
        };
        s.push_str(&format!(
            "| {} | {} | {} | {} ms | {} | {} | {} | {} | {} | {} | {} |\n",
            c.case,
            c.entry_points.len(),
            generation,
            c.generation_ms,
            lines,
            compile,
            elements,
            valid,
            sample_time,
            tripped,
            trip_time
        ));
    }
    s.push('\n');
    for c in &r.cases {
        if let Some(m) = &c.message {
            s.push_str(&format!("{}: {}\n", c.case, m));
        }
        if let Some(k) = &c.compile {
            for e in &k.first_errors {
                s.push_str(&format!("{}: compile error:\n{e}\n", c.case));
            }
        }
        if let Some(e) = &c.sample_error {
            s.push_str(&format!("{}: samples: {e}\n", c.case));
        }
        if let Some(sample_gate::Libxml2::NotLoaded { error }) =
            c.samples.as_ref().map(|x| &x.libxml2)
        {
            s.push_str(&format!(
                "{}: libxml2 could not compile the set, xmlschema judged alone: {error}\n",
                c.case
            ));
        }
        if let Some(e) = &c.roundtrip_error {
            s.push_str(&format!("{}: round trip: {e}\n", c.case));
        }
        for f in c.samples.iter().flat_map(|x| &x.failures) {
            s.push_str(&format!(
                "{}: {} {}{}: {}\n",
                c.case,
                f.stage,
                f.element,
                f.file
                    .as_deref()
                    .map(|n| format!(" ({n})"))
                    .unwrap_or_default(),
                f.error
            ));
        }
    }
    if r.compile_ms > 0 {
        s.push_str(&format!("cargo build: {} ms\n", r.compile_ms));
    }
    s
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn package_names_are_valid_and_prefixed() {
        assert_eq!(
            package_name("fk_shs_emottagning"),
            "corpus_fk_shs_emottagning"
        );
        assert_eq!(package_name("isdoc 6.0-2"), "corpus_isdoc_6_0_2");
        assert_eq!(package_name("1st"), "corpus_1st");
    }

    /// A case whose client is refused (rpc/encoded) is generated as types only, with the
    /// client's refusal and its place; a case refused outright stays refused.
    #[test]
    fn types_only_is_told_apart_from_refused() {
        let fixtures = crate::workspace_root().join("elt-codegen/tests/fixtures/features/refused");
        let dir = std::env::temp_dir()
            .join(format!("elt-xtask-corpus-{}", std::process::id()))
            .join("rpc_encoded");
        std::fs::create_dir_all(&dir).unwrap();
        std::fs::copy(
            fixtures.join("client/rpc_encoded.wsdl"),
            dir.join("rpc_encoded.wsdl"),
        )
        .unwrap();
        let outcome = generate_case(&dir, Duration::from_secs(120));
        assert_eq!(outcome.status, GenStatus::TypesOnly);
        let message = outcome.message.unwrap();
        assert!(
            message.starts_with("client refused: rpc_encoded.wsdl:41:5: unsupported: ")
                && message.contains("rpc/encoded"),
            "{message}"
        );
        assert!(!outcome.generated.is_empty());
        assert!(
            outcome
                .generated
                .iter()
                .all(|f| !f.contents.contains("elt_soap")),
            "types only"
        );
        let outcome = generate_case(&fixtures, Duration::from_secs(120));
        assert_eq!(outcome.status, GenStatus::Refused, "{:?}", outcome.message);
        let json = serde_json::to_string(&GenStatus::TypesOnly).unwrap();
        assert_eq!(json, "\"types_only\"");
        std::fs::remove_dir_all(dir.parent().unwrap()).unwrap();
    }

    #[test]
    fn arguments() {
        let a = |v: &[&str]| parse_args(&v.iter().map(|s| s.to_string()).collect::<Vec<_>>());
        let o = a(&[
            "dir",
            "--case",
            "a",
            "--case",
            "b",
            "--json",
            "--timeout",
            "5",
        ])
        .unwrap();
        assert_eq!(o.cases, ["a", "b"]);
        assert!(o.json && !o.fail_on_refused);
        assert_eq!(o.timeout, Duration::from_secs(5));
        assert!(a(&[]).is_err());
        assert!(a(&["dir", "--bogus"]).is_err());
        assert!(a(&["dir", "--case"]).is_err());
    }
}
