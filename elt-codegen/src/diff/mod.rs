//! Reviewing a new contract version: a semantic diff of two contracts that says what breaks, for
//! whom, and in which generated Rust items.
//!
//! - [`model`]: the meaning of a contract (services, bindings, operations, elements, types,
//!   facets, documentation), with the generator's Rust names attached;
//! - [`direction`]: which types are sent (requests, the documents we sign and send) and which
//!   are received (responses, faults);
//! - [`rules`]: one named rule per kind of change, classified by the direction;
//! - [`compare`]: the comparison;
//! - [`report`]: Markdown, JSON and a one-line summary.
//!
//! ```no_run
//! use elt_codegen::FileSet;
//! let old = FileSet::read("old/ELT.zip".as_ref())?;
//! let new = FileSet::read("new/ELT.zip".as_ref())?;
//! let report = elt_codegen::diff::diff(&old, &new)?;
//! println!("{}", report.summary_line());
//! # Ok::<(), elt_codegen::Error>(())
//! ```

pub mod compare;
pub mod direction;
pub mod model;
mod qkey;
mod rename;
pub mod report;
pub mod rules;

pub use compare::{Change, ItemKind, RustChange, RustEffect, Semver, Subject};
pub use direction::Direction;
pub use model::{BodyRef, Contract, QKey};
pub use report::{DiffReport, FailOn, Format};
pub use rules::{Class, Kind};

use crate::error::Result;
use crate::input::FileSet;

/// Compares two contracts.
pub fn diff(old: &FileSet, new: &FileSet) -> Result<DiffReport> {
    let old_model = model_of(old)?;
    let new_model = model_of(new)?;
    Ok(DiffReport::from_models(
        &old.origin,
        &new.origin,
        &old_model,
        &new_model,
    ))
}

/// The semantic model of a contract, with the Rust names the generator gives its items (types
/// and client stubs, as `Builder` generates by default). The names are read from the
/// generator's naming pass; nothing is rendered, so a contract the renderer would refuse is
/// still modelled and named (`elt-codegen generate` reports the refusal).
pub fn model_of(set: &FileSet) -> Result<Contract> {
    let contract = crate::model::Model::load(set)?;
    Ok(model::build(&contract, &contract.names()))
}
