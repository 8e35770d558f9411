//! A mock of Försäkringskassan's ELT service (`SkickaTidredovisning`) over mutual TLS, for the
//! project's own tests and for vendors' integration tests.
//!
//! The mock listens on an address of your choice (loopback in tests), requires a client
//! certificate issued by its own test CA, and answers SOAP 1.1 and SOAP 1.2 requests the way the
//! contract describes:
//! - a valid request gets a `SkickaTidredovisningResponse` with a fresh UUID `tx-id`;
//! - a request that does not follow the schema, or whose `tidredovisning` is not a valid
//!   `Tidredovisning` document, gets an `XmlValidationError` fault;
//! - a request with an empty `signature` or `ocspResponse`, or (by default,
//!   [`SignatureCheck::Strict`]) whose signature documents do not carry the report's payload
//!   (`"{id},{digest}"` in BankID's `usrNonVisibleData`), gets a `SignatureValidationError`
//!   fault; [`SignatureCheck::Lenient`] accepts placeholder bytes for transport tests;
//! - a wrong SOAPAction gets a Client fault without declared detail;
//! - a client calling faster than the configured rate gets a Server (Receiver) fault.
//!
//! Every request is recorded with its arrival [`Instant`](std::time::Instant), so tests can check
//! what arrived and when ([`MockServer::received`]).
//!
//! ```no_run
//! # async fn demo() -> Result<(), elt_mock::MockError> {
//! use std::path::Path;
//!
//! let certs = elt_mock::write_certs(Path::new("target/elt-mock-certs"))?;
//! let server = elt_mock::start(elt_mock::MockConfig::new(
//!     "127.0.0.1:0".parse().unwrap(),
//!     certs.dir.clone(),
//! ))
//! .await?;
//! println!("send requests to {}", server.url());
//! // ... run the client under test with certs.client_cert / certs.client_key ...
//! for r in server.received() {
//!     println!("{:?} from {:?}: {:?}", r.arrived, r.client_subject, r.outcome);
//! }
//! server.shutdown().await;
//! # Ok(())
//! # }
//! ```

mod certs;
mod error;
mod fault;
mod misbehave;
mod rate;
mod server;
mod service;
mod signature;
mod tls;

pub use certs::{CLIENT_COMMON_NAME, CertPaths, P12_PASSWORD, write_certs};
pub use error::MockError;
pub use misbehave::{DeclaredFault, Misbehaviour, Selection};
pub use server::{MockConfig, MockServer, start};
pub use service::{MAX_BODY_BYTES, Outcome, Received, SERVICE_PATH, SOAP_ACTION, Submission};
pub use signature::SignatureCheck;

/// How signature documents carry the reports' entries, re-exported from `elt-report`: set
/// [`MockConfig::payload_format`] to the format the vendor signs with.
pub use elt_report::PayloadFormat;

/// The SOAP version of a request and its answer, re-exported from `elt-soap`.
pub use elt_soap::SoapVersion;
