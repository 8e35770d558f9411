//! The generator's error type: every error names the file and, where known, line and column.

use std::path::PathBuf;

/// A place in an input file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Location {
    /// Path of the file inside the input (zip entry name or path relative to the folder).
    pub file: String,
    /// 1-based line and column, where known.
    pub position: Option<(u32, u32)>,
}

impl std::fmt::Display for Location {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self.position {
            Some((l, c)) => write!(f, "{}:{l}:{c}", self.file),
            None => write!(f, "{}", self.file),
        }
    }
}

/// Everything that can go wrong while reading a contract and generating code.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// The input could not be read from disk.
    #[error("{path}: {source}")]
    Io {
        /// The path that failed.
        path: PathBuf,
        /// The underlying error.
        source: std::io::Error,
    },
    /// The input is not a usable zip, folder or file, or breaks a safety limit.
    #[error("{input}: {message}")]
    Input {
        /// The zip, folder or file given.
        input: String,
        /// What is wrong, and what was expected.
        message: String,
    },
    /// A file is not well-formed XML, or not the WSDL/XSD expected.
    #[error("{location}: {message}")]
    Syntax {
        /// Where.
        location: Location,
        /// What was expected.
        message: String,
    },
    /// A reference (import, include, message, binding, type) cannot be resolved.
    #[error("{location}: {message}")]
    Unresolved {
        /// Where the reference is.
        location: Location,
        /// What could not be found.
        message: String,
    },
    /// A construct the generator does not support; it is refused rather than dropped.
    #[error("{location}: unsupported: {message}")]
    Unsupported {
        /// Where the construct is.
        location: Location,
        /// Which construct, and why.
        message: String,
    },
    /// The XSD engine (`xsd-parser`) refused the schemas.
    #[error("schema error: {message}")]
    Schema {
        /// The engine's message, with the schema location where it gives one.
        message: String,
    },
    /// The engine panicked on these schemas; caught and reported.
    #[error("the XSD engine panicked on this input: {message}")]
    EnginePanic {
        /// The panic message.
        message: String,
    },
    /// The generated code did not parse as Rust (a generator bug).
    #[error("generated code for {module} does not parse: {message}")]
    Render {
        /// Module being rendered.
        module: String,
        /// The parser's message.
        message: String,
    },
}

/// Result alias for the generator.
pub type Result<T, E = Error> = std::result::Result<T, E>;

impl Error {
    /// An XML syntax error from `roxmltree` in `file`, at `position` (line and column).
    pub(crate) fn xml(file: &str, position: (u32, u32), e: &roxmltree::Error) -> Self {
        Error::Syntax {
            location: Location {
                file: file.to_owned(),
                position: Some(position),
            },
            message: format!("not well-formed XML: {e}"),
        }
    }
}
