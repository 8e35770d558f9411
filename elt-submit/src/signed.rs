//! Signed reports as `elt submit` reads them: `NAME.xml` (the exact signed bytes) beside
//! `NAME.signatures.json` (the two BankID `completionData` objects).

use std::path::{Path, PathBuf};

use elt_report::{ReportError, Signatures, SignedReport, SigningOptions, load_signatures};
use elt_types::service::SkickaTidredovisningType;

use crate::submitter::{BoxError, Submittable};

/// A signed report with its two signatures: what is sent.
#[derive(Debug, Clone)]
pub struct SignedSubmission {
    /// The report, as its exact signed bytes.
    pub report: SignedReport,
    /// The assistant's and the provider's BankID `completionData`.
    pub signatures: Signatures,
    /// The payload format and signing date (defaults: `{id},{digest}`, the OCSP response's
    /// date).
    pub options: SigningOptions,
}

impl SignedSubmission {
    /// A submission of `report` signed with `signatures`, with default options.
    pub fn new(report: SignedReport, signatures: Signatures) -> Self {
        Self {
            report,
            signatures,
            options: SigningOptions::default(),
        }
    }

    /// Reads `NAME.xml` and `NAME.signatures.json` beside it.
    pub fn load(xml: &Path) -> Result<Self, LoadError> {
        let read = |path: &Path| {
            std::fs::read(path).map_err(|source| LoadError::Read {
                path: path.to_path_buf(),
                source,
            })
        };
        let signatures_path = signatures_path(xml);
        let bytes = read(xml)?;
        let report = SignedReport::from_bytes(bytes).map_err(|source| LoadError::Report {
            path: xml.to_path_buf(),
            source: Box::new(source),
        })?;
        let json = read(&signatures_path)?;
        let signatures = load_signatures(&json).map_err(|source| LoadError::Report {
            path: signatures_path.clone(),
            source: Box::new(source),
        })?;
        Ok(Self::new(report, signatures))
    }
}

/// `NAME.signatures.json` for `NAME.xml` (any other name: the name with
/// `.signatures.json` appended).
pub fn signatures_path(xml: &Path) -> PathBuf {
    match xml.extension() {
        Some(ext) if ext.eq_ignore_ascii_case("xml") => xml.with_extension("signatures.json"),
        _ => {
            let mut name = xml.as_os_str().to_owned();
            name.push(".signatures.json");
            PathBuf::from(name)
        }
    }
}

/// A report pair that could not be read.
#[derive(Debug, thiserror::Error)]
pub enum LoadError {
    /// A file could not be read.
    #[error("{}: {source}", .path.display())]
    Read {
        /// The file.
        path: PathBuf,
        /// The error.
        #[source]
        source: std::io::Error,
    },
    /// A file is not a signed report or a signatures file.
    #[error("{}: {source}", .path.display())]
    Report {
        /// The file.
        path: PathBuf,
        /// What is wrong (boxed: a report error is large, and this travels in every batch item).
        #[source]
        source: Box<ReportError>,
    },
}

impl Submittable for SignedSubmission {
    fn id(&self) -> &str {
        self.report.id()
    }

    fn digest(&self) -> &str {
        self.report.digest()
    }

    fn month(&self) -> &str {
        self.report.month()
    }

    fn person(&self) -> &str {
        self.report.person()
    }

    fn assistant(&self) -> &str {
        self.report.assistant()
    }

    /// The request from [`SignedReport::request`], which checks that each signature document
    /// carries this report's payload and that the assistant signed.
    fn request(&self) -> Result<SkickaTidredovisningType, BoxError> {
        Ok(self.report.request(
            &self.signatures.assistant,
            &self.signatures.provider,
            &self.options,
        )?)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_signatures_file_sits_beside_the_report() {
        assert_eq!(
            signatures_path(Path::new("dir/2026-09-a.xml")),
            Path::new("dir/2026-09-a.signatures.json")
        );
        assert_eq!(
            signatures_path(Path::new("dir/report")),
            Path::new("dir/report.signatures.json")
        );
    }
}
