//! Typed Rust for the ELT contract of Försäkringskassan: the `SkickaTidredovisning` service
//! messages and the `Tidredovisning` time report document.
//!
//! Everything under [`generated`] is written by `elt-codegen` from the contract zip (in this
//! project, `cargo xtask regen` from `wsdl/elt/`) and must not be edited by hand; this file only
//! gives the modules names a user can find.
//!
//! Reading the service's answer:
//!
//! ```
//! use elt_types::service;
//!
//! let xml = r#"<SkickaTidredovisningResponse xmlns="urn:shs:emottagning:SkickaTidredovisning:1"><tx-id>14e81789-715d-497b-b63c-eada732800eb</tx-id></SkickaTidredovisningResponse>"#;
//! let response = service::SKICKA_TIDREDOVISNING_RESPONSE.from_xml(xml).unwrap();
//! assert_eq!(response.tx_id, "14e81789-715d-497b-b63c-eada732800eb");
//! ```
//!
//! Building and sending a signed report over mutual TLS, at one call per second:
//!
//! ```no_run
//! use elt_types::client::{SkickaTidredovisningFault, SkickaTidredovisningResponderPortClient};
//! use elt_types::service::{SignatureType, SkickaTidredovisningType};
//! use elt_types::elt_xml::{Date, XmlValue};
//! use elt_types::{elt_soap, xmlmime};
//!
//! # async fn send() -> Result<(), Box<dyn std::error::Error>> {
//! // The exact bytes that were signed: never parse and write a signed report again.
//! let report = std::fs::read("tidredovisning.xml")?;
//! // From BankID's completionData: the signature document and the OCSP response, as bytes.
//! let signed = Date::from_xml_text("2026-11-30")?; // the signing day in Europe/Stockholm
//! // Each generated struct has `new` taking its required fields (optional ones start empty).
//! let bytes = |b: Vec<u8>| xmlmime::Base64Binary::new(b.into());
//! let signature = |signature: Vec<u8>, ocsp: Vec<u8>| {
//!     SignatureType::new(bytes(signature), bytes(ocsp), signed)
//! };
//! let request = SkickaTidredovisningType::new(
//!     bytes(report),
//!     signature(std::fs::read("assistant.sig")?, std::fs::read("assistant.ocsp")?),
//!     signature(std::fs::read("provider.sig")?, std::fs::read("provider.ocsp")?),
//! );
//!
//! let soap = elt_soap::Client::builder(SkickaTidredovisningResponderPortClient::DEFAULT_ENDPOINT)
//!     .identity_pkcs12(std::fs::read("vendor.p12")?, "password from the vault")
//!     .build()?; // one call per second, shared by clones
//! let client = SkickaTidredovisningResponderPortClient::new(soap);
//! match client.skicka_tidredovisning(&request).await {
//!     Ok(response) => println!("tx-id: {}", response.tx_id),
//!     Err(elt_soap::Error::Fault { detail: SkickaTidredovisningFault::XmlValidationError(e), .. }) => {
//!         eprintln!("the report does not follow the schema: {}", e.message)
//!     }
//!     Err(other) => eprintln!("{other}"),
//! }
//! # Ok(())
//! # }
//! ```
//!
//! `elt-report` checks a report beyond the schema, counts its hours and builds the BankID
//! payload; `elt-submit` sends a month of reports through a durable journal.

// Generated code is formatted by the generator (prettyplease), not by rustfmt.
#[rustfmt::skip]
#[allow(missing_docs, clippy::all)]
pub mod generated;

/// The service messages: request `SkickaTidredovisning`, its response, signatures and fault
/// details (namespace `urn:shs:emottagning:SkickaTidredovisning:1`).
pub use generated::skicka_tidredovisning_1 as service;
/// The client stub: `SkickaTidredovisningResponderPortClient` with one async method,
/// `skicka_tidredovisning`, the operation descriptor and the typed faults
/// (`SkickaTidredovisningFault`).
pub use generated::skicka_tidredovisning_interaction as client;
/// The time report document `Tidredovisning` and every type under it.
pub use generated::tidredovisning_1 as tidredovisning;
/// `xmime:base64Binary`: bytes with an optional content type.
pub use generated::xmlmime;

/// The SOAP runtime the client stub uses (endpoint, TLS identity, timeouts, rate limit).
pub use elt_soap;
/// The XML runtime the generated code uses, re-exported so users need one dependency.
pub use elt_xml;
