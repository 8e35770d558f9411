//! The `elt-codegen` command: generate Rust from a contract, inspect it, compare two versions, or
//! write sample documents.

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use clap::{Parser, Subcommand};
use elt_codegen::{Builder, Error, FileSet, Location, output};

#[derive(Parser)]
#[command(
    name = "elt-codegen",
    version,
    about = "Typed Rust from a WSDL/XSD contract (a zip, a folder or a file)"
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Generate Rust: a module tree, or with --crate a complete crate that builds as is.
    Generate {
        /// The contract: a .zip, a folder, or a .wsdl/.xsd file.
        input: PathBuf,
        /// Output folder.
        #[arg(long)]
        out: PathBuf,
        /// Types only, no SOAP client stubs (the code then needs only `elt-xml`).
        #[arg(long)]
        types_only: bool,
        /// Write a complete crate with this package name (Cargo.toml, src/lib.rs, src/generated/).
        #[arg(long = "crate", value_name = "NAME")]
        crate_name: Option<String>,
        /// Folder holding the `elt-xml` and `elt-soap` crates (a checkout of this project): the
        /// crate then gets path dependencies on them instead of versioned ones from the registry.
        #[arg(long, value_name = "DIR")]
        runtime_path: Option<PathBuf>,
    },
    /// Describe the contract: services, ports, endpoints, operations, elements and Rust types.
    Inspect {
        /// The contract: a .zip, a folder, or a .wsdl/.xsd file.
        input: PathBuf,
        /// Print JSON instead of text.
        #[arg(long)]
        json: bool,
    },
    /// Compare two versions of a contract: what changed, whether it breaks what is sent or what
    /// is parsed, and which generated Rust items change. Exit status: 0, or 1 when --fail-on
    /// triggers, or 2 on errors.
    Diff {
        /// The old contract: a .zip, a folder, or a .wsdl/.xsd file.
        old: PathBuf,
        /// The new contract.
        new: PathBuf,
        /// Output: markdown (for a pull-request description), json, or summary (one line).
        #[arg(long, value_name = "FORMAT", default_value = "markdown")]
        format: elt_codegen::diff::Format,
        /// Exit with status 1 on: breaking (any breaking change), any (any change), never.
        #[arg(long, value_name = "WHEN", default_value = "never")]
        fail_on: elt_codegen::diff::FailOn,
    },
    /// Write sample documents the schemas accept: for every global element (or the one named)
    /// a minimal one (required content only) and a full set (every optional element and
    /// attribute, each choice branch), and a request envelope per SOAP operation.
    Sample {
        /// The contract: a .zip, a folder, or a .wsdl/.xsd file.
        input: PathBuf,
        /// Only this global element: `{namespace}local` or a local name.
        #[arg(long, value_name = "QNAME")]
        element: Option<String>,
        /// Required content only.
        #[arg(long, conflicts_with = "full")]
        minimal: bool,
        /// Only the full set (every optional element, attribute and choice branch).
        #[arg(long)]
        full: bool,
        /// Output folder (files under `elements/` and `operations/`); without it the
        /// documents are printed, each after a `==> FILE <==` line.
        #[arg(long)]
        out: Option<PathBuf>,
    },
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    let (input, result) = match cli.command {
        Command::Generate {
            input,
            out,
            types_only,
            crate_name,
            runtime_path,
        } => {
            let r = generate(
                &input,
                &out,
                types_only,
                crate_name.as_deref(),
                runtime_path.as_deref(),
            );
            (input, r)
        }
        Command::Inspect { input, json } => {
            let r = inspect(&input, json);
            (input, r)
        }
        Command::Sample {
            input,
            element,
            minimal,
            full,
            out,
        } => {
            let mode = match (minimal, full) {
                (true, _) => elt_codegen::sample::Mode::Minimal,
                (_, true) => elt_codegen::sample::Mode::Full,
                _ => elt_codegen::sample::Mode::Both,
            };
            let r = sample(&input, element, mode, out.as_deref());
            (input, r)
        }
        Command::Diff {
            old,
            new,
            format,
            fail_on,
        } => return diff(&old, &new, format, fail_on),
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprint!("{}", render_error(&e, &input));
            ExitCode::FAILURE
        }
    }
}

fn generate(
    input: &Path,
    out: &Path,
    types_only: bool,
    crate_name: Option<&str>,
    runtime_path: Option<&Path>,
) -> Result<(), Error> {
    let builder = Builder::new().input(input).client(!types_only);
    let files = builder.generate()?;
    match crate_name {
        None => {
            let written = output::write_files(out, &files, true)?;
            println!(
                "{} files in {} ({} written)",
                files.len(),
                out.display(),
                written.len()
            );
        }
        Some(name) => {
            let runtime = match runtime_path {
                Some(dir) => output::RuntimeSource::Path(dir.to_owned()),
                None => output::RuntimeSource::Registry,
            };
            output::write_crate(out, name, &files, !types_only, &runtime)?;
            println!(
                "crate {name} in {} ({} generated files)",
                out.display(),
                files.len()
            );
        }
    }
    Ok(())
}

fn sample(
    input: &Path,
    element: Option<String>,
    mode: elt_codegen::sample::Mode,
    out: Option<&Path>,
) -> Result<(), Error> {
    let set = FileSet::read(input)?;
    let options = elt_codegen::sample::Options {
        element,
        mode,
        no_envelopes: false,
    };
    let samples = elt_codegen::sample::samples(&set, &options)?;
    for s in &samples.samples {
        match out {
            Some(dir) => {
                let path = dir.join(&s.file_name);
                let io = |source| Error::Io {
                    path: path.clone(),
                    source,
                };
                if let Some(parent) = path.parent() {
                    std::fs::create_dir_all(parent).map_err(io)?;
                }
                std::fs::write(&path, &s.xml).map_err(io)?;
            }
            None => print!("==> {} <==\n{}", s.file_name, s.xml),
        }
    }
    for (what, why) in &samples.skipped {
        eprintln!("note: {what}: no sample: {why}");
    }
    if let Some(dir) = out {
        println!(
            "{} sample documents in {} ({} without a sample)",
            samples.samples.len(),
            dir.display(),
            samples.skipped.len()
        );
    }
    Ok(())
}

fn inspect(input: &Path, json: bool) -> Result<(), Error> {
    let set = FileSet::read(input)?;
    let report = elt_codegen::inspect::inspect(&set)?;
    if json {
        println!(
            "{}",
            serde_json::to_string_pretty(&report).expect("the report serializes")
        );
    } else {
        print!("{report}");
    }
    Ok(())
}

/// Compares two contracts and prints the report; the exit status follows `fail_on`, or is 2 on
/// an error (reported for the side that failed).
fn diff(
    old: &Path,
    new: &Path,
    format: elt_codegen::diff::Format,
    fail_on: elt_codegen::diff::FailOn,
) -> ExitCode {
    let model = |path: &Path| {
        FileSet::read(path).and_then(|set| elt_codegen::diff::model_of(&set).map(|m| (set, m)))
    };
    let (old_set, old_model) = match model(old) {
        Ok(m) => m,
        Err(e) => {
            eprint!("{}", render_error(&e, old));
            return ExitCode::from(2);
        }
    };
    let (new_set, new_model) = match model(new) {
        Ok(m) => m,
        Err(e) => {
            eprint!("{}", render_error(&e, new));
            return ExitCode::from(2);
        }
    };
    let report = elt_codegen::diff::DiffReport::from_models(
        &old_set.origin,
        &new_set.origin,
        &old_model,
        &new_model,
    );
    print!("{}", report.render(format));
    if fail_on.triggered(&report) {
        eprintln!("{}", report.summary_line());
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    }
}

/// The error with its place, the offending source line and a one-line hint.
fn render_error(e: &Error, input: &Path) -> String {
    let mut out = format!("error: {e}\n");
    let location: Option<&Location> = match e {
        Error::Syntax { location, .. }
        | Error::Unresolved { location, .. }
        | Error::Unsupported { location, .. } => Some(location),
        _ => None,
    };
    if let Some(loc) = location {
        out.push_str(&format!("  --> {loc}\n"));
        if let (Some((line, col)), Ok(set)) = (loc.position, FileSet::read(input))
            && let Ok(text) = set.text(&loc.file)
            && let Some(src) = text.lines().nth(line.saturating_sub(1) as usize)
        {
            let n = line.to_string();
            let pad = " ".repeat(n.len());
            out.push_str(&format!(
                "{pad} |\n{n} | {src}\n{pad} | {}^\n",
                " ".repeat(col.saturating_sub(1) as usize)
            ));
        }
    }
    let hint = match e {
        Error::Io { .. } => "check that the path exists and is readable",
        Error::Input { .. } => {
            "give a .zip, a folder, or one .wsdl/.xsd file; entries must stay inside the input"
        }
        Error::Syntax { .. } => {
            "fix the XML at that place: files must be well-formed UTF-8 WSDL 1.1 or XSD"
        }
        Error::Unresolved { .. } => {
            "every import, include and reference must resolve to a file or declaration inside the input"
        }
        Error::Unsupported { .. } => {
            "this construct is not supported yet (see the README's list); the input is refused rather than half-generated"
        }
        Error::Schema { .. } => {
            "the schemas do not link up: check that the named type or namespace is declared and imported"
        }
        Error::EnginePanic { .. } => {
            "the XSD engine crashed on this input; please report it with the input attached"
        }
        Error::Render { .. } => "this is a generator bug; please report it with the input attached",
    };
    out.push_str(&format!("hint: {hint}\n"));
    out
}
