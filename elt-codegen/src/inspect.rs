//! What a contract holds, for `elt-codegen inspect`: services, ports and endpoints, operations
//! with their SOAP details, the element behind each message and the Rust item it becomes.

use std::collections::BTreeMap;

use serde::Serialize;

use crate::error::Result;
use crate::input::FileSet;
use crate::wsdl::{QName, SoapVersion};

/// The whole report.
#[derive(Debug, Clone, Serialize)]
pub struct Inspection {
    /// The input as named on the command line.
    pub origin: String,
    /// SHA-256 of the input (as in the generated header).
    pub sha256: String,
    /// Files read from the input.
    pub files: Vec<String>,
    /// XML namespaces and the Rust module of each.
    pub namespaces: BTreeMap<String, String>,
    /// Services of every WSDL.
    pub services: Vec<ServiceInfo>,
    /// Every global element: `{namespace}name` → (Rust type, `RootElement` constant).
    pub elements: BTreeMap<String, (String, String)>,
    /// Where each global element is declared: `{namespace}name` → `file:line:col` (the WSDL
    /// for an inline schema).
    pub declared: BTreeMap<String, String>,
}

/// A `wsdl:service`.
#[derive(Debug, Clone, Serialize)]
pub struct ServiceInfo {
    /// WSDL file.
    pub wsdl: String,
    /// Service name.
    pub name: String,
    /// Its ports.
    pub ports: Vec<PortInfo>,
}

/// A `wsdl:port` and its binding.
#[derive(Debug, Clone, Serialize)]
pub struct PortInfo {
    /// Port name.
    pub name: String,
    /// Binding name.
    pub binding: String,
    /// SOAP version, or `None` for HTTP GET/POST bindings (no client is generated for those).
    pub soap_version: Option<SoapVersion>,
    /// `soap:address`.
    pub address: Option<String>,
    /// Operations.
    pub operations: Vec<OperationInfo>,
}

/// An operation as bound.
#[derive(Debug, Clone, Serialize)]
pub struct OperationInfo {
    /// Name.
    pub name: String,
    /// `document` or `rpc`.
    pub style: String,
    /// `soapAction`.
    pub soap_action: Option<String>,
    /// Input message element.
    pub input: Option<MessageInfo>,
    /// Output message element.
    pub output: Option<MessageInfo>,
    /// Declared faults.
    pub faults: Vec<MessageInfo>,
    /// SOAP header elements of the input.
    pub headers: Vec<MessageInfo>,
}

/// A message (or fault) and the element it carries.
#[derive(Debug, Clone, Serialize)]
pub struct MessageInfo {
    /// Message name (fault name for faults).
    pub name: String,
    /// `{namespace}element`, when the part names an element.
    pub element: Option<String>,
    /// The generated Rust type for that element.
    pub rust_type: Option<String>,
}

/// Loads the contract and describes it.
pub fn inspect(set: &FileSet) -> Result<Inspection> {
    let contract = crate::model::Model::load(set)?;
    let summary = contract.names();
    let loaded = &contract.loaded;
    let messages: BTreeMap<QName, &crate::wsdl::Message> = loaded
        .wsdls
        .iter()
        .flat_map(|d| {
            d.messages.iter().map(move |m| {
                (
                    QName {
                        namespace: d.target_namespace.clone(),
                        local: m.name.clone(),
                    },
                    m,
                )
            })
        })
        .collect();
    let message_info = |name: &str, q: &QName| {
        let element = messages
            .get(q)
            .and_then(|m| m.parts.first())
            .and_then(|p| p.element.as_ref())
            .map(|e| e.to_string());
        let rust_type = element
            .as_ref()
            .and_then(|e| summary.elements.get(e))
            .map(|(t, _)| t.clone());
        MessageInfo {
            name: name.to_owned(),
            element,
            rust_type,
        }
    };
    let mut services = Vec::new();
    for d in &loaded.wsdls {
        for s in &d.services {
            let mut ports = Vec::new();
            for p in &s.ports {
                let binding = loaded
                    .wsdls
                    .iter()
                    .flat_map(|w| w.bindings.iter().map(move |b| (w, b)))
                    .find(|(w, b)| {
                        b.name == p.binding.local && w.target_namespace == p.binding.namespace
                    })
                    .map(|(_, b)| b);
                let mut operations = Vec::new();
                if let Some(b) = binding {
                    let pt = loaded
                        .wsdls
                        .iter()
                        .flat_map(|w| w.port_types.iter().map(move |pt| (w, pt)))
                        .find(|(w, pt)| {
                            pt.name == b.port_type.local
                                && w.target_namespace == b.port_type.namespace
                        })
                        .map(|(_, pt)| pt);
                    for bop in &b.operations {
                        let op =
                            pt.and_then(|pt| pt.operations.iter().find(|o| o.name == bop.name));
                        operations.push(OperationInfo {
                            name: bop.name.clone(),
                            style: bop
                                .style
                                .clone()
                                .or_else(|| b.style.clone())
                                .unwrap_or_else(|| "document".into()),
                            soap_action: bop.soap_action.clone(),
                            input: op
                                .and_then(|o| o.input.as_ref())
                                .map(|q| message_info(&q.local, q)),
                            output: op
                                .and_then(|o| o.output.as_ref())
                                .map(|q| message_info(&q.local, q)),
                            faults: op
                                .map(|o| o.faults.iter().map(|(n, q)| message_info(n, q)).collect())
                                .unwrap_or_default(),
                            headers: bop
                                .input_headers
                                .iter()
                                .map(|(q, part)| {
                                    let el = messages
                                        .get(q)
                                        .and_then(|m| m.parts.iter().find(|p| &p.name == part))
                                        .and_then(|p| p.element.as_ref())
                                        .map(|e| e.to_string());
                                    let rust_type = el
                                        .as_ref()
                                        .and_then(|e| summary.elements.get(e))
                                        .map(|(t, _)| t.clone());
                                    MessageInfo {
                                        name: part.clone(),
                                        element: el,
                                        rust_type,
                                    }
                                })
                                .collect(),
                        });
                    }
                }
                ports.push(PortInfo {
                    name: p.name.clone(),
                    binding: p.binding.local.clone(),
                    soap_version: binding.and_then(|b| b.soap),
                    address: p.address.clone(),
                    operations,
                });
            }
            services.push(ServiceInfo {
                wsdl: d.file.clone(),
                name: s.name.clone(),
                ports,
            });
        }
    }
    let declared = contract
        .naming
        .roots
        .keys()
        .filter_map(|el| {
            let key = match contract.naming.uri(el.ns) {
                Some(ns) => format!("{{{ns}}}{}", el.name.as_str()),
                None => el.name.as_str().to_owned(),
            };
            Some((key, contract.declared_at(el)?.to_string()))
        })
        .collect();
    Ok(Inspection {
        origin: set.origin.clone(),
        sha256: set.sha256(),
        files: set.files().map(|(n, _)| n.to_owned()).collect(),
        namespaces: summary.modules.clone(),
        services,
        elements: summary.elements,
        declared,
    })
}

impl std::fmt::Display for Inspection {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        writeln!(f, "contract: {} (sha256 {})", self.origin, self.sha256)?;
        writeln!(f, "files:")?;
        for file in &self.files {
            writeln!(f, "  {file}")?;
        }
        writeln!(f, "namespaces:")?;
        for (ns, m) in &self.namespaces {
            writeln!(f, "  {ns} -> {m}")?;
        }
        let msg = |m: &Option<MessageInfo>| match m {
            Some(m) => format!(
                "{} -> {}",
                m.element.as_deref().unwrap_or("(no element)"),
                m.rust_type.as_deref().unwrap_or("(no type)")
            ),
            None => "(none)".into(),
        };
        for s in &self.services {
            writeln!(f, "service {} ({})", s.name, s.wsdl)?;
            for p in &s.ports {
                let v = match p.soap_version {
                    Some(SoapVersion::Soap11) => "SOAP 1.1",
                    Some(SoapVersion::Soap12) => "SOAP 1.2",
                    None => "not SOAP (no client generated)",
                };
                writeln!(f, "  port {} (binding {}, {v})", p.name, p.binding)?;
                writeln!(
                    f,
                    "    endpoint: {}",
                    p.address.as_deref().unwrap_or("(none)")
                )?;
                for o in &p.operations {
                    writeln!(f, "    operation {} ({})", o.name, o.style)?;
                    writeln!(
                        f,
                        "      soapAction: {}",
                        o.soap_action.as_deref().unwrap_or("(none)")
                    )?;
                    writeln!(f, "      input:  {}", msg(&o.input))?;
                    writeln!(f, "      output: {}", msg(&o.output))?;
                    for h in &o.headers {
                        writeln!(f, "      header: {}", msg(&Some(h.clone())))?;
                    }
                    for fl in &o.faults {
                        writeln!(f, "      fault {}: {}", fl.name, msg(&Some(fl.clone())))?;
                    }
                }
            }
        }
        writeln!(f, "global elements:")?;
        for (e, (t, c)) in &self.elements {
            match self.declared.get(e) {
                Some(at) => writeln!(f, "  {e} -> {t} ({c}), declared at {at}")?,
                None => writeln!(f, "  {e} -> {t} ({c})")?,
            }
        }
        Ok(())
    }
}
