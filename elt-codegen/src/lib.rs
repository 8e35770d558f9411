//! `elt-codegen`: turns a published WSDL/XSD contract (a zip, a folder or a file) into typed Rust.
//!
//! The pipeline, one module per step, each using only the steps before it (the test
//! `tests/layers.rs` holds the crate to this order):
//! - `xml`: parsing one document under limits, source positions, qualified names;
//! - [`input`]: read the zip/folder/file into a [`FileSet`], safely;
//! - [`wsdl`]: WSDL 1.1 model (services, bindings, operations) with `roxmltree`;
//! - [`xsd`]: link and load every schema with `xsd-parser`, and fix up the engine's input and
//!   output (`xsd::engine`), with what the schema texts say that its model loses
//!   (`xsd::patterns`, `xsd::wildcards`);
//! - [`model`]: the contract loaded, read and named ([`model::Model`]): what each complex
//!   type, model group and simple type holds (attributes, particles, facets, each element and
//!   attribute with the XML name it is written under), where each component is declared, and
//!   the Rust name of every module, type, group, field, variant and client stub, given in one
//!   pass; the renderer, `inspect` and `diff` all read it;
//! - `render`: types as Rust items, one module per XML namespace, and client stubs;
//! - [`output`]: format, add the header, and write only what changed;
//! - on top of the whole pipeline: [`Builder`], `inspect` (feature `inspect`): a description of
//!   the contract for people and tools; `diff` (feature `diff`): a semantic diff of two contract
//!   versions: what breaks, for whom, in which Rust items; `sample` (feature `diff`): sample
//!   documents and SOAP request envelopes from the contract model.
//!
//! [`Builder`] drives it from a `build.rs` or a tool, in the manner of `prost-build`:
//!
//! ```no_run
//! // build.rs of a crate with `elt-xml`, `elt-soap` and `serde` (feature `derive`) as
//! // dependencies, and `elt-codegen = { version = "0.1", default-features = false }` as a
//! // build dependency. Its src/lib.rs: `include!(concat!(env!("OUT_DIR"), "/elt.rs"));`
//! fn main() -> Result<(), elt_codegen::Error> {
//!     elt_codegen::Builder::new()
//!         .input("contract/ELT.zip") // a zip, a folder or a .wsdl/.xsd file
//!         .layout(elt_codegen::Layout::SingleFile("elt.rs".into()))
//!         .emit_rerun_if_changed(true) // rebuild when a file it read changes
//!         .write()?; // into OUT_DIR, touching only files whose bytes changed
//!     Ok(())
//! }
//! ```
//!
//! The features: `cli` (default) builds the `elt-codegen` command with `inspect` and `diff`;
//! a build script wants `default-features = false`, which compiles only the generator.

pub mod builder;
mod customize;
#[cfg(feature = "diff")]
pub mod diff;
pub mod error;
pub mod input;
#[cfg(feature = "inspect")]
pub mod inspect;
pub mod model;
mod names;
pub mod output;
mod render;
#[cfg(feature = "diff")]
pub mod sample;
pub mod wsdl;
mod xml;
pub mod xsd;

pub use builder::{Builder, Layout};
pub use error::{Error, Location, Result};
pub use input::{FileSet, InputLimits};
pub use output::GeneratedFile;
