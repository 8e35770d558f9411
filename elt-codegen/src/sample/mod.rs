//! Sample documents from a contract: for every global element, a document the schemas accept
//! with required content only (minimal) and a small set that together uses every optional
//! element, attribute and choice branch (full); for every SOAP operation, a request envelope.
//!
//! Values satisfy the facets (a string generated from each `xs:pattern`, ranges, lengths,
//! digits, enumerations, the built-in types' lexical forms), `xs:any` gets a foreign element,
//! abstract types a concrete derived type named by `xsi:type`, substitution group heads a
//! member, and recursion is bounded. An `xs:keyref` of a global element is pointed at a key
//! the same document holds (`identity`); `xs:key`/`xs:unique` values are not made distinct,
//! and identity constraints of local element declarations are not read. The output is
//! deterministic: the same contract gives the
//! same documents, byte for byte.
//!
//! ```no_run
//! use elt_codegen::FileSet;
//! use elt_codegen::sample::{Mode, Options, samples};
//!
//! let set = FileSet::read("wsdl/elt/ELT.zip".as_ref())?;
//! let out = samples(&set, &Options { mode: Mode::Minimal, ..Options::default() })?;
//! for s in &out.samples {
//!     println!("{}:\n{}", s.file_name, s.xml);
//! }
//! for (element, why) in &out.skipped {
//!     eprintln!("{element}: no sample ({why})");
//! }
//! # Ok::<(), elt_codegen::Error>(())
//! ```

mod doc;
mod envelope;
pub mod facts;
pub mod identity;
pub mod pattern;
pub mod value;
pub mod xml;

use std::collections::BTreeMap;

use crate::diff::model::{Contract, QKey, local_of};
use crate::error::{Error, Result};
use crate::input::FileSet;

pub use doc::FOREIGN_NS;
pub use facts::SchemaFacts;

/// Which documents to write.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum Mode {
    /// Required content only: one document per element.
    Minimal,
    /// Every optional element and attribute, one document per choice branch.
    Full,
    /// Both.
    #[default]
    Both,
}

/// What to sample.
#[derive(Debug, Clone, Default)]
pub struct Options {
    /// Only this global element: `{namespace}local`, or a local name (every element of that
    /// name).
    pub element: Option<String>,
    /// Minimal, full or both.
    pub mode: Mode,
    /// No SOAP request envelopes.
    pub no_envelopes: bool,
}

/// What a sample document shows.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    /// Required content only.
    Minimal,
    /// Optional content, variant `n` of the choices.
    Full(usize),
    /// A SOAP request envelope.
    Envelope,
}

/// One sample document.
#[derive(Debug, Clone, PartialEq)]
pub struct Sample {
    /// The global element (`{namespace}local`), or the operation for an envelope.
    pub element: String,
    /// What it shows.
    pub kind: Kind,
    /// A file name for it, unique in the set (`elements/Name.minimal.xml`, ...).
    pub file_name: String,
    /// The document.
    pub xml: String,
}

/// The samples of a contract and the elements that have none.
#[derive(Debug, Clone, Default)]
pub struct SampleSet {
    /// The documents, by element in key order.
    pub samples: Vec<Sample>,
    /// Elements (or operations) without a sample, and why.
    pub skipped: Vec<(String, String)>,
}

/// The most documents a full set has for one element (the widest choice beyond it is covered
/// only in part, and said so in `skipped`).
pub const MAX_FULL: usize = 64;

/// Samples the contract in `set`.
///
/// # Errors
/// When the contract cannot be read or modelled, or `options.element` names no global element.
pub fn samples(set: &FileSet, options: &Options) -> Result<SampleSet> {
    let contract = crate::diff::model_of(set)?;
    let (_, docs) = crate::xsd::collect(set)?;
    let facts = SchemaFacts::read(docs.values());
    if let Some(wanted) = &options.element
        && select(&contract, wanted).is_empty()
    {
        return Err(Error::Input {
            input: set.origin.clone(),
            message: format!(
                "--element {wanted}: no global element of that name (expected `{{namespace}}local` or a local name)"
            ),
        });
    }
    Ok(from_contract(&contract, &facts, options))
}

/// The global elements `wanted` names.
fn select<'c>(contract: &'c Contract, wanted: &str) -> Vec<&'c QKey> {
    contract
        .elements
        .keys()
        .filter(|k| k.to_string() == wanted || (!wanted.starts_with('{') && k.local() == wanted))
        .collect()
}

/// Samples a contract model.
pub fn from_contract(contract: &Contract, facts: &SchemaFacts, options: &Options) -> SampleSet {
    let generator = doc::Generator::new(contract, facts);
    let keys: Vec<&QKey> = match &options.element {
        Some(w) => select(contract, w),
        None => contract.elements.keys().collect(),
    };
    let names = file_stems(contract);
    let mut out = SampleSet::default();
    for key in keys {
        if let Some(why) = generator.skip_reason(key) {
            out.skipped.push((key.to_string(), why));
            continue;
        }
        let stem = &names[key];
        let mut minimal_error = None;
        if options.mode != Mode::Full {
            match generator.element(key, false, 0) {
                Ok((mut el, _)) => {
                    identity::satisfy(&mut el, &facts.identity);
                    out.samples.push(Sample {
                        element: key.to_string(),
                        kind: Kind::Minimal,
                        file_name: format!("elements/{stem}.minimal.xml"),
                        xml: xml::write(&el, &[]),
                    });
                }
                // The full set may still have documents: optional content can be what makes
                // one valid (the ID an IDREF needs), so a failure here ends only this one.
                Err(e) => {
                    out.skipped.push((key.to_string(), e.clone()));
                    minimal_error = Some(e);
                }
            }
        }
        if options.mode != Mode::Minimal {
            let mut variant = 0;
            let mut width = 1;
            while variant < width.min(MAX_FULL) {
                match generator.element(key, true, variant) {
                    Ok((mut el, w)) => {
                        width = width.max(w);
                        identity::satisfy(&mut el, &facts.identity);
                        out.samples.push(Sample {
                            element: key.to_string(),
                            kind: Kind::Full(variant),
                            file_name: format!("elements/{stem}.full.{variant}.xml"),
                            xml: xml::write(&el, &[]),
                        });
                    }
                    Err(e) => {
                        // The reason the minimal document already gave is not repeated.
                        if variant > 0 || minimal_error.as_ref() != Some(&e) {
                            out.skipped
                                .push((key.to_string(), format!("full sample {variant}: {e}")));
                        }
                        break;
                    }
                }
                variant += 1;
            }
            if width > MAX_FULL {
                out.skipped.push((
                    key.to_string(),
                    format!("a choice of {width} branches: the first {MAX_FULL} are sampled"),
                ));
            }
        }
    }
    if !options.no_envelopes && options.element.is_none() {
        envelope::envelopes(contract, &generator, &mut out);
    }
    // A document identical to an earlier one of the same element adds nothing.
    let mut seen = BTreeMap::new();
    out.samples.retain(|s| {
        seen.insert((s.element.clone(), s.xml.clone()), ())
            .is_none()
    });
    out
}

/// A file stem per global element: its local name, with the namespace's position appended
/// where two namespaces declare the same local name.
fn file_stems(contract: &Contract) -> BTreeMap<QKey, String> {
    let mut count: BTreeMap<&str, usize> = BTreeMap::new();
    for k in contract.elements.keys() {
        *count.entry(local_of(k)).or_default() += 1;
    }
    let mut seen: BTreeMap<&str, usize> = BTreeMap::new();
    contract
        .elements
        .keys()
        .map(|k| {
            let local = local_of(k);
            let stem = if count[local] > 1 {
                let n = seen.entry(local).or_default();
                *n += 1;
                format!("{}-{n}", sanitize(local))
            } else {
                sanitize(local)
            };
            (k.clone(), stem)
        })
        .collect()
}

fn sanitize(s: &str) -> String {
    s.chars()
        .map(|c| {
            if c.is_alphanumeric() || c == '-' || c == '_' || c == '.' {
                c
            } else {
                '_'
            }
        })
        .collect()
}
