//! The mock's error type.

use std::path::PathBuf;

/// What can go wrong when writing certificates or starting the mock.
#[derive(Debug, thiserror::Error)]
pub enum MockError {
    /// Reading or writing a file, or binding the listening socket.
    #[error("{context}: {source}")]
    Io {
        /// What was being done, with the path or address.
        context: String,
        /// The underlying error.
        #[source]
        source: std::io::Error,
    },
    /// A PEM file that holds no usable certificate or key.
    #[error("{path}: {message}")]
    Pem {
        /// The file.
        path: PathBuf,
        /// What was wrong with it.
        message: String,
    },
    /// Generating a certificate failed.
    #[error("generating a certificate: {0}")]
    CertificateGeneration(#[from] rcgen::Error),
    /// Writing the PKCS#12 file failed.
    #[error("writing the PKCS#12 file: {0}")]
    Pkcs12(String),
    /// The TLS configuration was refused (for example a key that does not match its certificate).
    #[error("TLS configuration: {0}")]
    Tls(String),
    /// A configuration value that cannot be used.
    #[error("invalid configuration: {0}")]
    Config(String),
}

impl MockError {
    /// An I/O error with what was being done.
    pub(crate) fn io(context: impl Into<String>, source: std::io::Error) -> Self {
        Self::Io {
            context: context.into(),
            source,
        }
    }
}
