//! Signed-looking reports for tests and benchmarks against `elt-mock` (and vendors' own tests):
//! the contract's example report under any id, with BankID-shaped signatures from
//! [`elt_report::testing`] that carry the report's payload.
//!
//! **Nothing here is signed.** The agency refuses these; the mock accepts them.

use std::path::{Path, PathBuf};

use elt_report::{PayloadFormat, Signatures, SignedReport};

use crate::signed::{SignedSubmission, signatures_path};

/// The contract's example report (invented people, the Tax Agency's test personnummer). A copy
/// of the workspace's `wsdl/elt/examples/tidredovisning-1.xml` kept inside the crate, so the
/// published package holds it; a workspace test keeps the two equal.
pub const EXAMPLE_REPORT: &[u8] = include_bytes!("example-report.xml");

/// The id of [`EXAMPLE_REPORT`].
pub const EXAMPLE_ID: &str = "3f2c8a1e-5b7d-4c9a-9e21-7d4b6a0c1f58";

/// The personnummer that signs for the provider in these reports (a test personnummer).
pub const PROVIDER_SIGNER: &str = "191212121212";

/// A lower-case UUID (version 4 layout) made from `group` and `n`, so tests name their
/// reports deterministically and apart from other tests'.
pub fn report_id(group: u32, n: u64) -> String {
    format!("{group:08x}-0000-4000-8000-{:012x}", n & 0xffff_ffff_ffff)
}

/// The example report with `id` instead of its own.
pub fn report_bytes(id: &str) -> Vec<u8> {
    let text = String::from_utf8_lossy(EXAMPLE_REPORT);
    text.replacen(EXAMPLE_ID, id, 1).into_bytes()
}

/// The signatures of `report`: the assistant's and the provider's `completionData`, each
/// carrying the report's `{id},{digest}` payload.
pub fn signatures(report: &SignedReport) -> Signatures {
    let at = jiff::Timestamp::from_second(1_790_000_000).unwrap_or(jiff::Timestamp::UNIX_EPOCH);
    let format = PayloadFormat::default();
    Signatures {
        assistant: elt_report::testing::completion_data(report.assistant(), &[report], &format, at),
        provider: elt_report::testing::completion_data(PROVIDER_SIGNER, &[report], &format, at),
    }
}

/// `bytes` (a report document) as a signed submission with [`signatures`].
pub fn submission_of(bytes: Vec<u8>) -> Result<SignedSubmission, elt_report::ReportError> {
    let report = SignedReport::from_bytes(bytes)?;
    let signatures = signatures(&report);
    Ok(SignedSubmission::new(report, signatures))
}

/// The example report under `id`, signed.
pub fn submission(id: &str) -> Result<SignedSubmission, elt_report::ReportError> {
    submission_of(report_bytes(id))
}

/// Writes `NAME.xml` (the exact bytes) and `NAME.signatures.json` into `dir`; returns the
/// `.xml` path.
pub fn write_pair(dir: &Path, name: &str, s: &SignedSubmission) -> std::io::Result<PathBuf> {
    let xml = dir.join(format!("{name}.xml"));
    std::fs::write(&xml, s.report.bytes())?;
    let json = serde_json::to_vec_pretty(&s.signatures).map_err(std::io::Error::other)?;
    std::fs::write(signatures_path(&xml), json)?;
    Ok(xml)
}
