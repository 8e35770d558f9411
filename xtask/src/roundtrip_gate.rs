//! The round-trip half of the gate of `cargo xtask corpus`: every element sample is read by the
//! case's generated code, written back, and sent through `serde_json` and written again, on a
//! thread with the 2 MiB stack a tokio worker has; the independent side (Python, through
//! `tests/c14n_compare.py`) then compares each original with its rewrite as canonical XML
//! (C14N 2.0, prefixes rewritten, whitespace-only text between elements left out).
//!
//! The reading and writing run in a small binary written into each case's crate
//! (`src/bin/roundtrip.rs`, built with the case), which dispatches on the global element a
//! sample was made for to that element's `RootElement` constant. A document that overflows the
//! stack ends that process (Rust aborts on stack overflow); the harness records the document in
//! flight as crashed and goes on with the rest in a new process.

use std::collections::BTreeMap;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::Instant;

use crate::sample_gate::ElementFailure;

/// One element sample to read back.
#[derive(Debug, Clone)]
pub struct Document {
    /// `{namespace}local` of the global element it was made for.
    pub element: String,
    /// The sample file.
    pub path: PathBuf,
    /// Its name inside the case's sample folder (for the report).
    pub name: String,
}

impl Document {
    /// Whether this is a request envelope (`element` is then `operation NAME`).
    pub fn is_envelope(&self) -> bool {
        self.element.starts_with("operation ")
    }
}

/// What the round trip found for one case.
#[derive(Debug, Clone, Default)]
pub struct RoundtripReport {
    /// Documents tried.
    pub documents: usize,
    /// Documents read, written back equal as canonical XML, and unchanged through `serde_json`.
    pub round_tripped: usize,
    /// Wall-clock time of reading, writing and comparing, in milliseconds.
    pub ms: u64,
    /// The documents that did not round-trip, with the stage and the first difference or error.
    pub failures: Vec<ElementFailure>,
}

/// The stack a tokio worker thread has: reading and writing must fit in it.
pub const STACK: usize = 2 << 20;

/// The harness binary's name for a case package.
pub fn binary_name(package: &str) -> String {
    format!("{package}-roundtrip")
}

/// The source of the harness binary for the crate `package`, over `roots`
/// (`{namespace}local` → `RootElement` constant path under the crate's `generated` module).
/// With `envelopes` (the crate has client stubs, so it depends on `elt-soap`), it also reads
/// request envelopes: each header block and the body element by its own constant, written back
/// by `elt_soap`'s envelope writer.
pub fn harness_source(package: &str, roots: &BTreeMap<String, String>, envelopes: bool) -> String {
    let mut arms = String::new();
    for (key, path) in roots {
        arms.push_str(&format!(
            "        {key:?} => trip(&::{package}::generated::{path}, xml),\n"
        ));
    }
    let envelope = if envelopes {
        envelope_source(package, roots)
    } else {
        "fn envelope(_xml: &str) -> Result<String, (&'static str, String)> {\n    \
         Err((\"read\", \"the crate has no client stubs, so no envelope writer\".into()))\n}\n"
            .to_owned()
    };
    format!(
        r#"//! Written by `cargo xtask corpus` (the round-trip gate); rewritten on every run.
//! Reads lines `ELEMENT<TAB>IN<TAB>OUT` on standard input; for each, reads IN as the global
//! element ELEMENT with the generated code, writes it back to OUT, checks that the value is
//! unchanged through `serde_json`, and prints one JSON line with the verdict. An ELEMENT of
//! `operation NAME` is a request envelope: its parts are read and the envelope written again.

use std::io::{{BufRead, Write}};

fn trip<T>(root: &::elt_xml::RootElement<T>, xml: &str) -> Result<String, (&'static str, String)>
where
    T: ::elt_xml::XmlContent + ::serde::Serialize + ::serde::de::DeserializeOwned,
{{
    let value = root.from_xml(xml).map_err(|e| ("read", e.to_string()))?;
    let written = root.to_xml(&value).map_err(|e| ("write", e.to_string()))?;
    let json = ::serde_json::to_string(&value).map_err(|e| ("serde_json", e.to_string()))?;
    let back: T = ::serde_json::from_str(&json)
        .map_err(|e| ("serde_json", format!("reading back {{json}}: {{e}}")))?;
    let again = root
        .to_xml(&back)
        .map_err(|e| ("serde_json", format!("writing the value read back: {{e}}")))?;
    if again != written {{
        return Err((
            "serde_json",
            format!("the value changed through serde_json: {{written}} became {{again}}"),
        ));
    }}
    Ok(written)
}}

fn dispatch(element: &str, xml: &str) -> Result<String, (&'static str, String)> {{
    if element.starts_with("operation ") {{
        return envelope(xml);
    }}
    match element {{
{arms}        _ => Err(("read", format!("no RootElement constant for {{element}}"))),
    }}
}}

{envelope}
fn main() {{
    let stdout = std::io::stdout();
    for line in std::io::stdin().lock().lines() {{
        let line = line.expect("standard input is readable");
        let mut parts = line.splitn(3, '\t');
        let (Some(element), Some(input), Some(output)) = (parts.next(), parts.next(), parts.next())
        else {{
            continue;
        }};
        let verdict = match std::fs::read_to_string(input) {{
            Err(e) => Err(("read", format!("{{input}}: {{e}}"))),
            Ok(xml) => {{
                let element = element.to_owned();
                std::thread::Builder::new()
                    .stack_size({STACK})
                    .spawn(move || dispatch(&element, &xml))
                    .expect("a thread starts")
                    .join()
                    .unwrap_or_else(|p| {{
                        let m = p
                            .downcast_ref::<&str>()
                            .map(|s| s.to_string())
                            .or_else(|| p.downcast_ref::<String>().cloned())
                            .unwrap_or_default();
                        Err(("panic", m))
                    }})
            }}
        }};
        let json = match verdict {{
            Ok(written) => match std::fs::write(output, written) {{
                Ok(()) => ::serde_json::json!({{"input": input, "ok": true}}),
                Err(e) => ::serde_json::json!({{"input": input, "ok": false, "stage": "write", "error": format!("{{output}}: {{e}}")}}),
            }},
            Err((stage, error)) => {{
                ::serde_json::json!({{"input": input, "ok": false, "stage": stage, "error": error}})
            }}
        }};
        let mut out = stdout.lock();
        let _ = writeln!(out, "{{json}}");
        let _ = out.flush();
    }}
}}
"#
    )
}

/// The harness's envelope reader: the envelope parsed by `elt_soap`, each header block and the
/// body element read by the constant of its element, and the envelope written again by
/// `elt_soap::envelope::write_request` with those values.
fn envelope_source(package: &str, roots: &BTreeMap<String, String>) -> String {
    let mut headers = String::new();
    let mut bodies = String::new();
    for (key, path) in roots {
        headers.push_str(&format!(
            "        {key:?} => header(&::{package}::generated::{path}, node),\n"
        ));
        bodies.push_str(&format!(
            "        {key:?} => body(&::{package}::generated::{path}, node, version, headers),\n"
        ));
    }
    format!(
        r#"/// A header block read from a request, written back as it was read.
struct ReadHeader<T> {{
    element: ::elt_xml::RootElement<T>,
    value: T,
}}

impl<T: ::elt_xml::XmlContent + Sync> ::elt_soap::HeaderBlock for ReadHeader<T> {{
    fn write_header(&self, w: &mut ::elt_xml::Writer) -> Result<(), ::elt_xml::XmlError> {{
        self.element.write(w, &self.value)
    }}
}}

type Verdict<T> = Result<T, (&'static str, String)>;

fn key(node: ::elt_xml::Node<'_, '_>) -> String {{
    match node.tag_name().namespace() {{
        Some(ns) if !ns.is_empty() => format!("{{{{{{ns}}}}}}{{}}", node.tag_name().name()),
        _ => node.tag_name().name().to_owned(),
    }}
}}

fn header<T: ::elt_xml::XmlContent + Sync + 'static>(
    element: &::elt_xml::RootElement<T>,
    node: ::elt_xml::Node<'_, '_>,
) -> Verdict<Box<dyn ::elt_soap::HeaderBlock>> {{
    let value = element.read(node).map_err(|e| ("read", e.to_string()))?;
    Ok(Box::new(ReadHeader {{ element: *element, value }}))
}}

fn body<T: ::elt_xml::XmlContent>(
    element: &::elt_xml::RootElement<T>,
    node: ::elt_xml::Node<'_, '_>,
    version: ::elt_soap::SoapVersion,
    headers: &[&dyn ::elt_soap::HeaderBlock],
) -> Verdict<String> {{
    let value = element.read(node).map_err(|e| ("read", e.to_string()))?;
    ::elt_soap::envelope::write_request(version, element, &value, headers)
        .map_err(|e| ("write", e.to_string()))
}}

fn read_header(node: ::elt_xml::Node<'_, '_>) -> Verdict<Box<dyn ::elt_soap::HeaderBlock>> {{
    match key(node).as_str() {{
{headers}        other => Err(("read", format!("no RootElement constant for the header {{other}}"))),
    }}
}}

fn write_body(
    node: ::elt_xml::Node<'_, '_>,
    version: ::elt_soap::SoapVersion,
    headers: &[&dyn ::elt_soap::HeaderBlock],
) -> Verdict<String> {{
    match key(node).as_str() {{
{bodies}        other => Err(("read", format!("no RootElement constant for the body element {{other}}"))),
    }}
}}

fn envelope(xml: &str) -> Verdict<String> {{
    let doc = ::elt_xml::parse_document(xml, ::elt_xml::ParseLimits::default())
        .map_err(|e| ("read", e.to_string()))?;
    let parsed = ::elt_soap::envelope::parse_envelope(&doc).map_err(|e| ("read", e.to_string()))?;
    let ::elt_soap::envelope::Body::Payload(payload) = parsed.body else {{
        return Err(("read", "the body holds a fault, not a request".into()));
    }};
    let headers = parsed
        .headers
        .iter()
        .map(|&node| read_header(node))
        .collect::<Verdict<Vec<_>>>()?;
    let headers: Vec<&dyn ::elt_soap::HeaderBlock> = headers.iter().map(|h| h.as_ref()).collect();
    write_body(payload, parsed.version, &headers)
}}
"#
    )
}

/// Runs the harness `binary` over `docs` (rewrites under `out`), then compares each original
/// with its rewrite as canonical XML.
pub fn run(binary: &Path, docs: &[Document], out: &Path) -> Result<RoundtripReport, String> {
    let started = Instant::now();
    let mut report = RoundtripReport {
        documents: docs.len(),
        ..RoundtripReport::default()
    };
    if out.exists() {
        std::fs::remove_dir_all(out).map_err(|e| format!("{}: {e}", out.display()))?;
    }
    let rewrites: Vec<PathBuf> = docs.iter().map(|d| out.join(&d.name)).collect();
    for r in &rewrites {
        if let Some(parent) = r.parent() {
            std::fs::create_dir_all(parent).map_err(|e| format!("{}: {e}", parent.display()))?;
        }
    }
    let mut written = Vec::new();
    let mut next = 0;
    while next < docs.len() {
        let (verdicts, status) = run_harness(binary, &docs[next..], &rewrites[next..])?;
        for v in &verdicts {
            let doc = &docs[next];
            if v["ok"].as_bool() == Some(true) {
                written.push(next);
            } else {
                report.failures.push(failure(
                    doc,
                    stage(v["stage"].as_str()),
                    v["error"].as_str().unwrap_or("no reason given").to_owned(),
                ));
            }
            next += 1;
        }
        if next < docs.len() && (verdicts.is_empty() || !status.success()) {
            // The process ended inside this document: a stack overflow aborts, other crashes
            // end it with a signal too.
            report.failures.push(failure(
                &docs[next],
                "crash",
                format!(
                    "the reading and writing process ended ({status}) on this document; a \
                     stack overflow on the {} KiB thread ends it so",
                    STACK >> 10
                ),
            ));
            next += 1;
        }
    }
    if !written.is_empty() {
        let pairs: Vec<(PathBuf, PathBuf)> = written
            .iter()
            .map(|&i| (docs[i].path.clone(), rewrites[i].clone()))
            .collect();
        let verdicts = compare(&pairs)?;
        for (&i, v) in written.iter().zip(&verdicts) {
            if v["ok"].as_bool() == Some(true) {
                report.round_tripped += 1;
            } else {
                report.failures.push(failure(
                    &docs[i],
                    "compare",
                    v["difference"]
                        .as_str()
                        .unwrap_or("no difference given")
                        .to_owned(),
                ));
            }
        }
    }
    report.ms = u64::try_from(started.elapsed().as_millis()).unwrap_or(u64::MAX);
    Ok(report)
}

fn stage(s: Option<&str>) -> &'static str {
    match s {
        Some("read") => "read",
        Some("write") => "write",
        Some("serde_json") => "serde_json",
        Some("panic") => "panic",
        _ => "roundtrip",
    }
}

fn failure(doc: &Document, stage: &'static str, error: String) -> ElementFailure {
    ElementFailure {
        element: doc.element.clone(),
        file: Some(doc.name.clone()),
        stage,
        error,
    }
}

/// One harness process over `docs`: the verdicts it printed, in order, and how it ended.
fn run_harness(
    binary: &Path,
    docs: &[Document],
    rewrites: &[PathBuf],
) -> Result<(Vec<serde_json::Value>, std::process::ExitStatus), String> {
    let mut child = Command::new(binary)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .map_err(|e| format!("{}: {e}", binary.display()))?;
    let mut input = String::new();
    for (d, r) in docs.iter().zip(rewrites) {
        input.push_str(&format!(
            "{}\t{}\t{}\n",
            d.element,
            d.path.display(),
            r.display()
        ));
    }
    let mut stdin = child.stdin.take().expect("piped");
    // Written from another thread: the child answers as it reads, and both pipes are bounded.
    let feeder = std::thread::spawn(move || {
        let _ = stdin.write_all(input.as_bytes());
    });
    let output = child
        .wait_with_output()
        .map_err(|e| format!("{}: {e}", binary.display()))?;
    let _ = feeder.join();
    Ok((
        crate::sample_gate::json_lines(&output.stdout),
        output.status,
    ))
}

/// The canonical-XML comparison of each pair, by the independent side.
fn compare(pairs: &[(PathBuf, PathBuf)]) -> Result<Vec<serde_json::Value>, String> {
    let args: Vec<std::ffi::OsString> = pairs
        .iter()
        .flat_map(|(a, b)| [a.as_os_str().to_owned(), b.as_os_str().to_owned()])
        .collect();
    crate::sample_gate::python_verdicts(
        "tests/c14n_compare.py",
        &args,
        pairs.len(),
        "the canonical-XML comparison",
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A stand-in for the harness: a shell script reading the same lines.
    fn script(dir: &Path, name: &str, body: &str) -> PathBuf {
        use std::os::unix::fs::PermissionsExt;
        let path = dir.join(name);
        std::fs::write(&path, format!("#!/bin/sh\n{body}\n")).unwrap();
        std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o755)).unwrap();
        path
    }

    fn docs(dir: &Path) -> Vec<Document> {
        ["a", "b", "c"]
            .iter()
            .map(|n| {
                let path = dir.join(format!("in/{n}.xml"));
                std::fs::create_dir_all(path.parent().unwrap()).unwrap();
                std::fs::write(
                    &path,
                    // A non-ASCII name: the comparison must not go through ASCII output.
                    format!("<p:{n} xmlns:p=\"urn:x\">\n  <p:värde>one</p:värde>\n</p:{n}>"),
                )
                .unwrap();
                Document {
                    element: format!("{{urn:x}}{n}"),
                    path,
                    name: format!("{n}.xml"),
                }
            })
            .collect()
    }

    fn temp(name: &str) -> PathBuf {
        let dir =
            std::env::temp_dir().join(format!("elt-roundtrip-gate-{}-{name}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).unwrap();
        dir
    }

    /// Another prefix and other indentation are the same document; another text is not, and
    /// the report names the element, the file and where the canonical forms part.
    #[test]
    fn rewrites_are_compared_as_canonical_xml() {
        let dir = temp("compare");
        let docs = docs(&dir);
        let harness = script(
            &dir,
            "harness",
            r#"while IFS="$(printf '\t')" read -r element input output; do
  case "$input" in
    *b.xml) sed 's/one/two/' "$input" > "$output" ;;
    *) sed 's/p:/q:/g; s/xmlns:p/xmlns:q/; s/^  //' "$input" > "$output" ;;
  esac
  echo "{\"input\": \"$input\", \"ok\": true}"
done"#,
        );
        let report = run(&harness, &docs, &dir.join("out")).unwrap();
        assert_eq!((report.documents, report.round_tripped), (3, 2));
        assert_eq!(report.failures.len(), 1);
        let f = &report.failures[0];
        assert_eq!((f.element.as_str(), f.stage), ("{urn:x}b", "compare"));
        assert_eq!(f.file.as_deref(), Some("b.xml"));
        assert!(
            f.error.contains("one") && f.error.contains("two"),
            "{}",
            f.error
        );
        std::fs::remove_dir_all(&dir).unwrap();
    }

    /// A document that ends the process (as a stack overflow does) is reported as a crash,
    /// and the documents after it still get their round trip in a new process; a verdict the
    /// harness gives is reported with its stage.
    #[test]
    fn a_crash_is_reported_and_the_rest_go_on() {
        let dir = temp("crash");
        let docs = docs(&dir);
        let harness = script(
            &dir,
            "harness",
            r#"while IFS="$(printf '\t')" read -r element input output; do
  case "$input" in
    *a.xml) echo "{\"input\": \"$input\", \"ok\": false, \"stage\": \"read\", \"error\": \"no such element\"}" ;;
    *b.xml) kill -SEGV $$ ;;
    *) cp "$input" "$output"; echo "{\"input\": \"$input\", \"ok\": true}" ;;
  esac
done"#,
        );
        let report = run(&harness, &docs, &dir.join("out")).unwrap();
        assert_eq!((report.documents, report.round_tripped), (3, 1));
        let stages: Vec<(&str, &str)> = report
            .failures
            .iter()
            .map(|f| (f.element.as_str(), f.stage))
            .collect();
        assert_eq!(stages, [("{urn:x}a", "read"), ("{urn:x}b", "crash")]);
        assert!(
            report.failures[1].error.contains("signal"),
            "{}",
            report.failures[1].error
        );
        std::fs::remove_dir_all(&dir).unwrap();
    }
}
