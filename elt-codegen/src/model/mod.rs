//! The generator's own model of the contract, between the loaded schemas and the rendered
//! Rust: what every item is called, decided once. The renderer emits from it; `inspect` and
//! `diff` read it without rendering.
//!
//! - [`naming`]: the Rust name of every module, type, model group, facet marker, union enum
//!   and root-element constant, claimed in one pass in the order the items are emitted;
//! - [`clients`]: the names of the client stubs of the SOAP ports, claimed after those;
//! - [`summary`]: those names, with the members and client stubs, as `inspect` and `diff`
//!   report them;
//! - [`builtin`]: the Rust type of each XSD built-in type.

pub(crate) mod builtin;
pub(crate) mod clients;
pub(crate) mod naming;
pub(crate) mod summary;

/// The names the generated code gives to a loaded contract's items (with client stubs when
/// `clients`), worked out without rendering. The XML runtime is `elt_xml`, as `Builder`
/// generates by default.
#[cfg(any(feature = "diff", feature = "inspect"))]
pub fn names_of(loaded: &crate::xsd::Loaded, clients: bool) -> summary::RenderSummary {
    let mut naming = naming::Naming::of(&loaded.types);
    if clients {
        naming.name_clients(&loaded.wsdls);
    }
    summary::summarize(&loaded.types, &naming, "elt_xml")
}
