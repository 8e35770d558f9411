//! Typed Rust for the ELT contract of Försäkringskassan: the `SkickaTidredovisning` service
//! messages and the `Tidredovisning` time report document.
//!
//! Everything under [`generated`] is written by `cargo xtask regen` from the contract zip in
//! `wsdl/elt/` and must not be edited by hand; this file only gives the modules names a user
//! can find.
//!
//! ```
//! use elt_types::service;
//!
//! let xml = r#"<SkickaTidredovisningResponse xmlns="urn:shs:emottagning:SkickaTidredovisning:1"><tx-id>14e81789-715d-497b-b63c-eada732800eb</tx-id></SkickaTidredovisningResponse>"#;
//! let response = service::SKICKA_TIDREDOVISNING_RESPONSE.from_xml(xml).unwrap();
//! assert_eq!(response.tx_id, "14e81789-715d-497b-b63c-eada732800eb");
//! ```

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
