//! WSDL 1.1: definitions, messages, port types, bindings (SOAP 1.1 and 1.2) and services, read
//! with `roxmltree`. Schemas inside `<wsdl:types>` are extracted with the namespace declarations
//! in scope on them, so they parse on their own.

use roxmltree::Node;

use crate::error::{Error, Location, Result};

pub use crate::xml::{QName, SOAP11_BINDING_NS, SOAP12_BINDING_NS, WSDL_NS, XS_NS};
use crate::xml::{child, children, resolve_qname};

/// SOAP version of a binding.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
pub enum SoapVersion {
    /// SOAP 1.1
    Soap11,
    /// SOAP 1.2
    Soap12,
}

/// A parsed WSDL 1.1 document.
#[derive(Debug, Clone)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
pub struct Definitions {
    /// Path of the file in the input.
    pub file: String,
    /// `name` attribute.
    pub name: Option<String>,
    /// `targetNamespace`.
    pub target_namespace: Option<String>,
    /// `wsdl:documentation` text.
    pub documentation: Option<String>,
    /// `wsdl:import`s as `(namespace, location)`.
    pub imports: Vec<(Option<String>, Option<String>)>,
    /// Schemas in `wsdl:types`.
    #[cfg_attr(feature = "serde", serde(skip))]
    pub schemas: Vec<InlineSchema>,
    /// Messages.
    pub messages: Vec<Message>,
    /// Port types.
    pub port_types: Vec<PortType>,
    /// Bindings.
    pub bindings: Vec<Binding>,
    /// Services.
    pub services: Vec<Service>,
}

/// A schema inside `<wsdl:types>`.
#[derive(Debug, Clone)]
pub struct InlineSchema {
    /// Position among the WSDL's schemas, from 1.
    pub index: usize,
    /// Line and column of the `xs:schema` element.
    pub position: (u32, u32),
    /// The schema's text with the in-scope namespace declarations added to its root.
    pub text: String,
    /// Its `targetNamespace`.
    pub target_namespace: Option<String>,
    /// True when it only imports or includes other schemas and declares nothing itself.
    pub only_references: bool,
}

/// A `wsdl:message`.
#[derive(Debug, Clone)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
pub struct Message {
    /// Name (in the WSDL's target namespace).
    pub name: String,
    /// Parts.
    pub parts: Vec<Part>,
    /// Line and column, for errors.
    #[cfg_attr(feature = "serde", serde(skip))]
    pub position: (u32, u32),
}

/// A `wsdl:part`.
#[derive(Debug, Clone)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
pub struct Part {
    /// Name.
    pub name: String,
    /// `element` attribute (document style).
    pub element: Option<QName>,
    /// `type` attribute (rpc style).
    pub type_: Option<QName>,
    /// Line and column, for errors.
    #[cfg_attr(feature = "serde", serde(skip))]
    pub position: (u32, u32),
}

/// A `wsdl:portType`.
#[derive(Debug, Clone)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
pub struct PortType {
    /// Name.
    pub name: String,
    /// Operations.
    pub operations: Vec<Operation>,
}

/// An abstract operation.
#[derive(Debug, Clone)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
pub struct Operation {
    /// Name.
    pub name: String,
    /// Documentation.
    pub documentation: Option<String>,
    /// Input message.
    pub input: Option<QName>,
    /// Output message.
    pub output: Option<QName>,
    /// Faults as `(name, message)`.
    pub faults: Vec<(String, QName)>,
}

/// A `wsdl:binding`.
#[derive(Debug, Clone)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
pub struct Binding {
    /// Name.
    pub name: String,
    /// Port type bound.
    pub port_type: QName,
    /// SOAP version, or `None` for a non-SOAP binding (HTTP GET/POST).
    pub soap: Option<SoapVersion>,
    /// Default style (`document` or `rpc`).
    pub style: Option<String>,
    /// Transport URI.
    pub transport: Option<String>,
    /// Bound operations.
    pub operations: Vec<BindingOperation>,
    /// Line and column, for errors.
    #[cfg_attr(feature = "serde", serde(skip))]
    pub position: (u32, u32),
}

/// An operation in a binding.
#[derive(Debug, Clone)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
pub struct BindingOperation {
    /// Name.
    pub name: String,
    /// `soapAction`.
    pub soap_action: Option<String>,
    /// Style override.
    pub style: Option<String>,
    /// `use` of the input body (`literal` or `encoded`).
    pub input_use: Option<String>,
    /// `use` of the output body.
    pub output_use: Option<String>,
    /// `namespace` of the input's `soap:body`: for rpc style, the namespace of the wrapper
    /// element named after the operation.
    pub input_namespace: Option<String>,
    /// `namespace` of the output's `soap:body` (rpc style: of the `…Response` wrapper).
    pub output_namespace: Option<String>,
    /// SOAP headers of the input as `(message, part)`.
    pub input_headers: Vec<(QName, String)>,
    /// Line and column, for errors.
    #[cfg_attr(feature = "serde", serde(skip))]
    pub position: (u32, u32),
}

/// A `wsdl:service`.
#[derive(Debug, Clone)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
pub struct Service {
    /// Name.
    pub name: String,
    /// Documentation.
    pub documentation: Option<String>,
    /// Ports.
    pub ports: Vec<Port>,
}

/// A `wsdl:port`.
#[derive(Debug, Clone)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
pub struct Port {
    /// Name.
    pub name: String,
    /// Binding used.
    pub binding: QName,
    /// `soap:address location`.
    pub address: Option<String>,
    /// Line and column, for errors.
    #[cfg_attr(feature = "serde", serde(skip))]
    pub position: (u32, u32),
}

struct Ctx<'a> {
    file: &'a str,
    positions: crate::xml::Positions<'a>,
}

impl Ctx<'_> {
    /// Line and column of a node's start tag.
    fn pos(&self, node: Node<'_, '_>) -> (u32, u32) {
        self.positions.of(node)
    }

    fn loc(&self, node: Node<'_, '_>) -> Location {
        Location {
            file: self.file.to_owned(),
            position: Some(self.pos(node)),
        }
    }

    fn required<'n>(&self, node: Node<'n, '_>, attr: &str) -> Result<&'n str> {
        node.attribute(attr).ok_or_else(|| Error::Syntax {
            location: self.loc(node),
            message: format!("<{}> needs the attribute `{attr}`", node.tag_name().name()),
        })
    }

    /// Resolves a QName-valued attribute through the namespaces in scope on `node`; an
    /// unprefixed name takes the default namespace.
    fn qname(&self, node: Node<'_, '_>, value: &str) -> Result<QName> {
        resolve_qname(node, value).map_err(|p| Error::Unresolved {
            location: self.loc(node),
            message: format!("prefix `{p}` in `{value}` is not declared"),
        })
    }

    fn qname_attr(&self, node: Node<'_, '_>, attr: &str) -> Result<QName> {
        let v = self.required(node, attr)?;
        self.qname(node, v)
    }
}

fn soap_child<'a, 'i>(node: Node<'a, 'i>, name: &'a str) -> Option<(Node<'a, 'i>, SoapVersion)> {
    child(node, SOAP11_BINDING_NS, name)
        .map(|n| (n, SoapVersion::Soap11))
        .or_else(|| child(node, SOAP12_BINDING_NS, name).map(|n| (n, SoapVersion::Soap12)))
}

/// Documentation text, whitespace-trimmed per line.
pub(crate) fn documentation(node: Node<'_, '_>) -> Option<String> {
    let doc = child(node, WSDL_NS, "documentation")?;
    let text: String = doc
        .descendants()
        .filter(|n| n.is_text())
        .filter_map(|n| n.text())
        .collect();
    let lines: Vec<&str> = text.lines().map(str::trim).collect();
    let joined = lines.join("\n").trim().to_owned();
    (!joined.is_empty()).then_some(joined)
}

/// Whether `text` parses as a WSDL 1.1 document (root `wsdl:definitions`).
pub fn is_wsdl(text: &str) -> bool {
    crate::xml::parse_xml("", text, false)
        .map(|d| {
            let r = d.root_element();
            r.tag_name().namespace() == Some(WSDL_NS) && r.tag_name().name() == "definitions"
        })
        .unwrap_or(false)
}

/// Parses one WSDL file.
pub fn parse(file: &str, text: &str) -> Result<Definitions> {
    // Capped: size, nesting depth; no DTD.
    let doc = crate::xml::parse_xml(file, text, false)?;
    let ctx = Ctx {
        file,
        positions: crate::xml::Positions::new(doc.input_text()),
    };
    let root = doc.root_element();
    if root.tag_name().namespace() != Some(WSDL_NS) || root.tag_name().name() != "definitions" {
        if root.tag_name().namespace() == Some("http://www.w3.org/ns/wsdl") {
            return Err(Error::Unsupported {
                location: ctx.loc(root),
                message: "WSDL 2.0 is not supported; expected a WSDL 1.1 <definitions>".into(),
            });
        }
        return Err(Error::Syntax {
            location: ctx.loc(root),
            message: format!(
                "expected <definitions> in namespace {WSDL_NS}, found <{}>",
                root.tag_name().name()
            ),
        });
    }
    let mut defs = Definitions {
        file: file.to_owned(),
        name: root.attribute("name").map(str::to_owned),
        target_namespace: root.attribute("targetNamespace").map(str::to_owned),
        documentation: documentation(root),
        imports: children(root, WSDL_NS, "import")
            .map(|n| {
                (
                    n.attribute("namespace").map(str::to_owned),
                    n.attribute("location").map(str::to_owned),
                )
            })
            .collect(),
        schemas: Vec::new(),
        messages: Vec::new(),
        port_types: Vec::new(),
        bindings: Vec::new(),
        services: Vec::new(),
    };
    if let Some(types) = child(root, WSDL_NS, "types") {
        for (i, schema) in children(types, XS_NS, "schema").enumerate() {
            defs.schemas.push(extract_schema(&ctx, schema, text, i + 1));
        }
    }
    for m in children(root, WSDL_NS, "message") {
        let mut parts = Vec::new();
        for p in children(m, WSDL_NS, "part") {
            parts.push(Part {
                name: ctx.required(p, "name")?.to_owned(),
                element: p
                    .attribute("element")
                    .map(|v| ctx.qname(p, v))
                    .transpose()?,
                type_: p.attribute("type").map(|v| ctx.qname(p, v)).transpose()?,
                position: ctx.pos(p),
            });
        }
        defs.messages.push(Message {
            name: ctx.required(m, "name")?.to_owned(),
            parts,
            position: ctx.pos(m),
        });
    }
    for pt in children(root, WSDL_NS, "portType") {
        let mut operations = Vec::new();
        for op in children(pt, WSDL_NS, "operation") {
            let msg = |name: &str| -> Result<Option<QName>> {
                child(op, WSDL_NS, name)
                    .map(|n| ctx.qname_attr(n, "message"))
                    .transpose()
            };
            let mut faults = Vec::new();
            for f in children(op, WSDL_NS, "fault") {
                faults.push((
                    ctx.required(f, "name")?.to_owned(),
                    ctx.qname_attr(f, "message")?,
                ));
            }
            operations.push(Operation {
                name: ctx.required(op, "name")?.to_owned(),
                documentation: documentation(op),
                input: msg("input")?,
                output: msg("output")?,
                faults,
            });
        }
        defs.port_types.push(PortType {
            name: ctx.required(pt, "name")?.to_owned(),
            operations,
        });
    }
    for b in children(root, WSDL_NS, "binding") {
        let soap = soap_child(b, "binding");
        let mut operations = Vec::new();
        for op in children(b, WSDL_NS, "operation") {
            let soap_op = soap_child(op, "operation").map(|(n, _)| n);
            let body_attr = |dir: &str, attr: &str| {
                child(op, WSDL_NS, dir)
                    .and_then(|d| soap_child(d, "body"))
                    .and_then(|(n, _)| n.attribute(attr).map(str::to_owned))
            };
            let body_use = |dir: &str| body_attr(dir, "use");
            let mut input_headers = Vec::new();
            if let Some(input) = child(op, WSDL_NS, "input") {
                for h in children(input, SOAP11_BINDING_NS, "header").chain(children(
                    input,
                    SOAP12_BINDING_NS,
                    "header",
                )) {
                    input_headers.push((
                        ctx.qname_attr(h, "message")?,
                        ctx.required(h, "part")?.to_owned(),
                    ));
                }
            }
            operations.push(BindingOperation {
                name: ctx.required(op, "name")?.to_owned(),
                soap_action: soap_op
                    .and_then(|n| n.attribute("soapAction"))
                    .map(str::to_owned),
                style: soap_op
                    .and_then(|n| n.attribute("style"))
                    .map(str::to_owned),
                input_use: body_use("input"),
                output_use: body_use("output"),
                input_namespace: body_attr("input", "namespace"),
                output_namespace: body_attr("output", "namespace"),
                input_headers,
                position: ctx.pos(op),
            });
        }
        defs.bindings.push(Binding {
            name: ctx.required(b, "name")?.to_owned(),
            port_type: ctx.qname_attr(b, "type")?,
            soap: soap.map(|(_, v)| v),
            style: soap
                .and_then(|(n, _)| n.attribute("style"))
                .map(str::to_owned),
            transport: soap
                .and_then(|(n, _)| n.attribute("transport"))
                .map(str::to_owned),
            operations,
            position: ctx.pos(b),
        });
    }
    for s in children(root, WSDL_NS, "service") {
        let mut ports = Vec::new();
        for p in children(s, WSDL_NS, "port") {
            ports.push(Port {
                name: ctx.required(p, "name")?.to_owned(),
                binding: ctx.qname_attr(p, "binding")?,
                address: soap_child(p, "address")
                    .and_then(|(n, _)| n.attribute("location"))
                    .map(str::to_owned),
                position: ctx.pos(p),
            });
        }
        defs.services.push(Service {
            name: ctx.required(s, "name")?.to_owned(),
            documentation: documentation(s),
            ports,
        });
    }
    Ok(defs)
}

/// Copies the schema element's source text and adds every namespace declaration in scope on
/// it that it does not declare itself.
fn extract_schema(ctx: &Ctx<'_>, schema: Node<'_, '_>, text: &str, index: usize) -> InlineSchema {
    let range = schema.range();
    let source = &text[range.clone()];
    let tag_end = 1 + source[1..]
        .find(|c: char| c.is_whitespace() || c == '>' || c == '/')
        .unwrap_or(source.len() - 1);
    let own: Vec<Option<&str>> = own_declared_prefixes(source);
    let mut decls = String::new();
    for ns in schema.namespaces() {
        if own.contains(&ns.name()) {
            continue;
        }
        match ns.name() {
            Some(p) => decls.push_str(&format!(
                " xmlns:{p}=\"{}\"",
                crate::xml::escape(ns.uri(), true)
            )),
            None => decls.push_str(&format!(
                " xmlns=\"{}\"",
                crate::xml::escape(ns.uri(), true)
            )),
        }
    }
    let mut out = String::with_capacity(source.len() + decls.len());
    out.push_str(&source[..tag_end]);
    out.push_str(&decls);
    out.push_str(&source[tag_end..]);
    let only_references = schema.children().filter(|c| c.is_element()).all(|c| {
        c.tag_name().namespace() == Some(XS_NS)
            && matches!(c.tag_name().name(), "import" | "include" | "annotation")
    });
    InlineSchema {
        index,
        position: ctx.pos(schema),
        text: out,
        target_namespace: schema.attribute("targetNamespace").map(str::to_owned),
        only_references,
    }
}

/// Prefixes declared on the start tag of `source` (None for the default namespace).
fn own_declared_prefixes(source: &str) -> Vec<Option<&str>> {
    let end = source.find('>').unwrap_or(source.len());
    let tag = &source[..end];
    let mut out = Vec::new();
    let mut rest = tag;
    while let Some(i) = rest.find("xmlns") {
        let after = &rest[i + 5..];
        if let Some(stripped) = after.strip_prefix(':') {
            let name_end = stripped
                .find(|c: char| c == '=' || c.is_whitespace())
                .unwrap_or(stripped.len());
            out.push(Some(&stripped[..name_end]));
        } else if after.trim_start().starts_with('=') {
            out.push(None);
        }
        rest = after;
    }
    out
}
