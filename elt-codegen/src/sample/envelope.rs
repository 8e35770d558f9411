//! SOAP request envelopes: for each operation whose input is an element, one envelope per SOAP
//! version its bindings use, with the header elements the binding sends and a minimal body.

use std::collections::BTreeSet;

use super::doc::Generator;
use super::xml::{self, El};
use super::{Kind, Sample, SampleSet, sanitize};
use crate::diff::model::Contract;

const SOAP11: &str = "http://schemas.xmlsoap.org/soap/envelope/";
const SOAP12: &str = "http://www.w3.org/2003/05/soap-envelope";

/// Adds the request envelopes of `contract` to `out`.
pub fn envelopes(contract: &Contract, generator: &Generator<'_>, out: &mut SampleSet) {
    for (key, op) in &contract.operations {
        let Some(input) = &op.input else { continue };
        let Some(input) = input.element() else {
            out.skipped.push((
                format!("operation {key}"),
                "rpc part declared by type: no document element to sample".into(),
            ));
            continue;
        };
        let versions: BTreeSet<&str> = op
            .bound
            .keys()
            .filter_map(|b| contract.bindings.get(b)?.soap.as_deref())
            .collect();
        for version in versions {
            let (ns, tag) = if version == "SOAP 1.2" {
                (SOAP12, "soap12")
            } else {
                (SOAP11, "soap11")
            };
            let result = (|| -> Result<El, String> {
                let mut env = El::new(Some(ns.into()), "Envelope");
                let mut header = El::new(Some(ns.into()), "Header");
                for h in &op.headers {
                    header.children.push(generator.element(h, false, 0)?.0);
                }
                if !header.children.is_empty() {
                    env.children.push(header);
                }
                let mut body = El::new(Some(ns.into()), "Body");
                body.children.push(generator.element(input, false, 0)?.0);
                env.children.push(body);
                Ok(env)
            })();
            match result {
                Ok(env) => out.samples.push(Sample {
                    element: format!("operation {key}"),
                    kind: Kind::Envelope,
                    file_name: format!("operations/{}.{tag}.request.xml", sanitize(key)),
                    xml: xml::write(&env, &[(ns, "soap")]),
                }),
                Err(e) => out.skipped.push((format!("operation {key}"), e)),
            }
        }
    }
}
