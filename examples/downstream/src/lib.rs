//! A downstream crate that generates the ELT code in its `build.rs` from its own copy of the
//! contract zip, and uses it.

/// The whole contract, generated at build time.
#[allow(missing_docs, clippy::all)]
pub mod elt {
    include!(concat!(env!("OUT_DIR"), "/elt.rs"));
}

/// The contract with `xmlmime` taken from `elt-types` (an extern namespace).
#[allow(missing_docs, clippy::all)]
pub mod elt_reusing_xmlmime {
    include!(concat!(env!("OUT_DIR"), "/elt_reusing_xmlmime.rs"));
}

// The request builder is its own file so that `cargo xtask build-time` compiles the very same
// code in its two measured crates.
mod request;
pub use request::request_for;
