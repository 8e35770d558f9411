//! Client stubs: for every SOAP port of every WSDL, a client type with one async method per
//! operation, the operation descriptors, and an enum of each operation's declared faults.

use std::collections::BTreeMap;

use proc_macro2::TokenStream;
use quote::quote;

use super::doc_text::doc_attrs;
use super::{Renderer, ident};
use crate::error::{Error, Location, Result};
use crate::model::clients::{OperationNames, PortNames};
use crate::names::{self, NameSet};
use crate::wsdl::{Binding, Definitions, Message, PortType, QName, SoapVersion};

/// Everything the WSDLs of the input declare, looked up by qualified name.
struct Index<'w> {
    messages: BTreeMap<QName, (&'w Definitions, &'w Message)>,
    port_types: BTreeMap<QName, &'w PortType>,
    bindings: BTreeMap<QName, (&'w Definitions, &'w Binding)>,
}

fn qname(defs: &Definitions, local: &str) -> QName {
    QName {
        namespace: defs.target_namespace.clone(),
        local: local.to_owned(),
    }
}

impl<'w> Index<'w> {
    fn new(wsdls: &'w [Definitions]) -> Self {
        let mut ix = Index {
            messages: BTreeMap::new(),
            port_types: BTreeMap::new(),
            bindings: BTreeMap::new(),
        };
        for d in wsdls {
            for m in &d.messages {
                ix.messages.insert(qname(d, &m.name), (d, m));
            }
            for p in &d.port_types {
                ix.port_types.insert(qname(d, &p.name), p);
            }
            for b in &d.bindings {
                ix.bindings.insert(qname(d, &b.name), (d, b));
            }
        }
        ix
    }
}

fn at(defs: &Definitions, position: (u32, u32)) -> Location {
    Location {
        file: defs.file.clone(),
        position: Some(position),
    }
}

/// One rpc/literal wrapper element (WS-I Basic Profile 1.1, R2729 and neighbours): named after
/// the operation (`Op`, `OpResponse`) in the `soap:body`'s `namespace`, holding each body part
/// of `message` as an unqualified child element named after the part, of the part's `type=`.
struct RpcWrapper<'a> {
    message: &'a QName,
    element: String,
    namespace: Option<&'a str>,
    /// Parts the binding sends as SOAP headers, not in the wrapper.
    header_parts: &'a [&'a str],
    /// The Rust type's and its `RootElement` constant's names (`OpRequest`, `OP_REQUEST`).
    names: (String, String),
}

/// The names of an rpc operation's request (`which` 0) or response (1) wrapper, as the naming
/// pass gave them to every rpc operation.
fn wrapper_names(op: &OperationNames, which: usize) -> Option<(String, String)> {
    op.wrappers.as_ref().map(|w| w[which].clone())
}

/// An operation the naming pass gave no names: a generator bug, reported at the operation.
fn not_named(bdefs: &Definitions, bop: &crate::wsdl::BindingOperation) -> Error {
    Error::Unresolved {
        location: at(bdefs, bop.position),
        message: format!(
            "operation `{}` has no names for its client stub (a generator bug)",
            bop.name
        ),
    }
}

impl Renderer<'_> {
    /// Renders an rpc/literal wrapper type and its `RootElement` constant; returns the
    /// constant's path, the type, and the items.
    fn rpc_wrapper(
        &mut self,
        module: &str,
        defs: &Definitions,
        bdefs: &Definitions,
        bop: &crate::wsdl::BindingOperation,
        ix: &Index<'_>,
        wrapper: RpcWrapper<'_>,
    ) -> Result<(TokenStream, TokenStream, TokenStream)> {
        let rt = self.rt.clone();
        let (mdefs, msg) = ix
            .messages
            .get(wrapper.message)
            .ok_or_else(|| Error::Unresolved {
                location: at(defs, bop.position),
                message: format!(
                    "message {} is not declared in any WSDL of the input",
                    wrapper.message
                ),
            })?;
        let Some(namespace) = wrapper.namespace else {
            return Err(Error::Unsupported {
                location: at(bdefs, bop.position),
                message: format!(
                    "rpc operation `{}` has a soap:body without `namespace`; the wrapper element \
                     needs one (WS-I Basic Profile R2717)",
                    bop.name
                ),
            });
        };
        let mut fields = Vec::new();
        let mut writes = Vec::new();
        let mut reads = Vec::new();
        let mut field_names = Vec::new();
        // The reader's and writer's own locals are reserved, so a part cannot shadow them.
        let mut taken = NameSet::with_reserved(&["c", "node", "w", "self"]);
        for part in msg
            .parts
            .iter()
            .filter(|p| !wrapper.header_parts.contains(&p.name.as_str()))
        {
            let ty = self.rpc_part_type(module, mdefs, msg, part)?;
            let field = ident(&taken.claim(&names::field_name(&part.name), "_"));
            let pname = &part.name;
            let doc = format!(" The part `{pname}`.");
            fields.push(quote! { #[doc = #doc] pub #field: #ty, });
            writes.push(quote! { w.element(None, #pname, &self.#field)?; });
            reads.push(quote! { let #field = c.required(None, #pname)?; });
            field_names.push(field);
        }
        let (type_name, const_name) = wrapper.names.clone();
        let ty = ident(&type_name);
        let c = ident(&const_name);
        let element = &wrapper.element;
        let doc = format!(
            " The rpc/literal wrapper `{{{namespace}}}{element}` of operation `{}`: message `{}`'s \
             parts as unqualified child elements.",
            bop.name, msg.name
        );
        let const_doc = format!(" The rpc/literal wrapper element `{{{namespace}}}{element}`.");
        let tokens = quote! {
            #[doc = #doc]
            #[derive(Debug, Clone, PartialEq, ::serde::Serialize, ::serde::Deserialize)]
            pub struct #ty { #(#fields)* }

            impl #rt::XmlContent for #ty {
                fn write_content(&self, w: &mut #rt::Writer) -> #rt::XmlResult<()> {
                    #(#writes)*
                    Ok(())
                }
                fn read_content(node: #rt::Node<'_, '_>) -> #rt::XmlResult<Self> {
                    let mut c = #rt::encoding::Children::new(node)?;
                    #(#reads)*
                    c.finish()?;
                    Ok(Self { #(#field_names),* })
                }
            }

            #[doc = #const_doc]
            pub const #c: #rt::RootElement<#ty> = #rt::RootElement::new(Some(#namespace), #element);
        };
        Ok((quote!(#c), quote!(#ty), tokens))
    }

    /// The Rust type of an rpc part's `type=`, as seen from `module`.
    fn rpc_part_type(
        &self,
        module: &str,
        mdefs: &Definitions,
        msg: &Message,
        part: &crate::wsdl::Part,
    ) -> Result<TokenStream> {
        let Some(t) = &part.type_ else {
            return Err(Error::Unsupported {
                location: at(mdefs, part.position),
                message: format!(
                    "part `{}` of message `{}` uses `element=` in an rpc operation; rpc/literal \
                     parts name a type (WS-I Basic Profile R2203)",
                    part.name, msg.name
                ),
            });
        };
        if t.namespace.as_deref() == Some(crate::xml::XS_NS) {
            return super::builtin_type(&self.rt, &t.local).ok_or_else(|| Error::Unsupported {
                location: at(mdefs, part.position),
                message: format!("part `{}` has the built-in type `{}`", part.name, t.local),
            });
        }
        let found = self.names.iter().find(|(id, _)| {
            id.type_ == xsd_parser::IdentType::Type
                && id.name.as_str() == t.local
                && self.uri(id.ns) == t.namespace
        });
        let Some((_, tn)) = found else {
            return Err(Error::Unresolved {
                location: at(mdefs, part.position),
                message: format!(
                    "part `{}` of message `{}`: the type {t} is not declared in any schema of the \
                     input",
                    part.name, msg.name
                ),
            });
        };
        Ok(self.path_from(
            module,
            &Some(tn.module.clone()),
            &super::ident_tokens(&tn.name),
        ))
    }

    /// A type as seen from `module`: bare when it lives there, else through `super::`.
    fn path_from(
        &self,
        module: &str,
        type_module: &Option<String>,
        name: &TokenStream,
    ) -> TokenStream {
        match type_module
            .as_deref()
            .and_then(|m| self.module_prefix_from(module, m))
        {
            Some(prefix) => quote!(#prefix::#name),
            None => name.clone(),
        }
    }

    /// The `RootElement` constant and Rust type of the element a message part names.
    fn part_element(
        &self,
        module: &str,
        defs: &Definitions,
        message: &QName,
        ix: &Index<'_>,
        position: (u32, u32),
        header_parts: &[&str],
    ) -> Result<(TokenStream, TokenStream)> {
        let (mdefs, msg) = ix.messages.get(message).ok_or_else(|| Error::Unresolved {
            location: at(defs, position),
            message: format!("message {message} is not declared in any WSDL of the input"),
        })?;
        // Parts the binding sends as SOAP headers are not in the body (RIV-TA's LogicalAddress).
        let body_parts: Vec<&crate::wsdl::Part> = msg
            .parts
            .iter()
            .filter(|p| !header_parts.contains(&p.name.as_str()))
            .collect();
        let [part] = body_parts.as_slice() else {
            return Err(Error::Unsupported {
                location: at(mdefs, msg.position),
                message: format!(
                    "message `{}` has {} body parts; document/literal messages with one element part in the body are supported",
                    msg.name,
                    body_parts.len()
                ),
            });
        };
        let Some(element) = &part.element else {
            return Err(Error::Unsupported {
                location: at(mdefs, part.position),
                message: format!(
                    "part `{}` of message `{}` uses `type=` (rpc style); only `element=` parts are supported",
                    part.name, msg.name
                ),
            });
        };
        self.element_refs(module, mdefs, element, part.position)
    }

    /// The `RootElement` constant and the Rust type of a part's element; `position` is the
    /// part's, for the error when the element is not declared.
    fn element_refs(
        &self,
        module: &str,
        defs: &Definitions,
        element: &QName,
        position: (u32, u32),
    ) -> Result<(TokenStream, TokenStream)> {
        let info = self
            .elements
            .get(&(element.namespace.clone(), element.local.clone()))
            .ok_or_else(|| Error::Unresolved {
                location: at(defs, position),
                message: format!("element {element} is not declared in any schema of the input"),
            })?;
        let c = ident(&info.const_name);
        let const_path = self.path_from(module, &Some(info.module.clone()), &quote!(#c));
        let ty = self.path_from(module, &info.type_module, &info.type_name);
        Ok((const_path, ty))
    }

    /// Renders the client stubs of every SOAP port.
    pub(super) fn clients(&mut self, wsdls: &[Definitions], soap: &str) -> Result<()> {
        let ix = Index::new(wsdls);
        let soap_rt = ident(soap);
        let soap_rt = quote!(::#soap_rt);
        let rt = self.rt.clone();
        for (w, defs) in wsdls.iter().enumerate() {
            for (s, service) in defs.services.iter().enumerate() {
                for (p, port) in service.ports.iter().enumerate() {
                    let Some((bdefs, binding)) = ix.bindings.get(&port.binding) else {
                        return Err(Error::Unresolved {
                            location: at(defs, port.position),
                            message: format!(
                                "port `{}` uses binding {}, which no WSDL of the input declares",
                                port.name, port.binding
                            ),
                        });
                    };
                    let Some(version) = binding.soap else {
                        continue; // HTTP GET/POST bindings carry no SOAP operations
                    };
                    let port_type =
                        ix.port_types
                            .get(&binding.port_type)
                            .ok_or_else(|| Error::Unresolved {
                                location: at(bdefs, binding.position),
                                message: format!(
                                    "binding `{}` refers to port type {}, which is not declared",
                                    binding.name, binding.port_type
                                ),
                            })?;
                    let names = self.clients.ports.get(&(w, s, p)).cloned().ok_or_else(|| {
                        Error::Unresolved {
                            location: at(defs, port.position),
                            message: format!("port `{}` was not named", port.name),
                        }
                    })?;
                    let module = names.module.clone();
                    self.current_module = module.clone();
                    let tokens = self.port_client(
                        &names, defs, bdefs, service, port, binding, port_type, version, &ix,
                        &soap_rt, &rt,
                    )?;
                    let client_name = names::type_name(&format!("{}Client", port.name));
                    self.items
                        .entry(module)
                        .or_default()
                        .push((super::ItemOrder::Client(client_name), tokens));
                }
            }
        }
        Ok(())
    }

    #[allow(clippy::too_many_arguments)]
    fn port_client(
        &mut self,
        names_of: &PortNames,
        defs: &Definitions,
        bdefs: &Definitions,
        service: &crate::wsdl::Service,
        port: &crate::wsdl::Port,
        binding: &Binding,
        port_type: &PortType,
        version: SoapVersion,
        ix: &Index<'_>,
        soap_rt: &TokenStream,
        rt: &TokenStream,
    ) -> Result<TokenStream> {
        let module = names_of.module.as_str();
        let client = ident(&names_of.client);
        let version_tokens = match version {
            SoapVersion::Soap11 => quote!(#soap_rt::SoapVersion::Soap11),
            SoapVersion::Soap12 => quote!(#soap_rt::SoapVersion::Soap12),
        };
        let mut items = Vec::new();
        let mut methods = Vec::new();
        for (k, bop) in binding.operations.iter().enumerate() {
            let op = port_type
                .operations
                .iter()
                .find(|o| o.name == bop.name)
                .ok_or_else(|| Error::Unresolved {
                    location: at(bdefs, bop.position),
                    message: format!(
                        "binding operation `{}` is not an operation of port type `{}`",
                        bop.name, port_type.name
                    ),
                })?;
            let style = bop
                .style
                .as_deref()
                .or(binding.style.as_deref())
                .unwrap_or("document");
            // SOAP encoding (section 5 of SOAP 1.1) is refused whatever the style: its wire form
            // (`xsi:type` on every value, multi-references, `soapenc:Array`) is not the
            // schema's. The types still generate with `client(false)` (`--types-only`).
            if let Some(u) = [&bop.input_use, &bop.output_use]
                .into_iter()
                .flatten()
                .find(|u| *u != "literal")
            {
                return Err(Error::Unsupported {
                    location: at(bdefs, bop.position),
                    message: format!(
                        "operation `{}` is {style}/{u} (use=\"{u}\", SOAP encoding): no client \
                         stub is generated for it; only literal bodies are supported (its types \
                         generate with client(false), `--types-only`)",
                        bop.name
                    ),
                });
            }
            if style != "document" && style != "rpc" {
                return Err(Error::Unsupported {
                    location: at(bdefs, bop.position),
                    message: format!(
                        "operation `{}` uses style=\"{style}\"; document and rpc styles are \
                         supported",
                        bop.name
                    ),
                });
            }
            let rpc = style == "rpc";
            let (Some(input), Some(output)) = (&op.input, &op.output) else {
                return Err(Error::Unsupported {
                    location: at(bdefs, bop.position),
                    message: format!(
                        "operation `{}` is not request-response (one-way and notification operations are not supported)",
                        op.name
                    ),
                });
            };
            let in_headers: Vec<&str> = bop
                .input_headers
                .iter()
                .filter(|(m, _)| m == input)
                .map(|(_, p)| p.as_str())
                .collect();
            // Document style: the body is the one element part. rpc style: wrappers named after
            // the operation, rendered below (after the names claimed here, in the order the
            // summary replays).
            let document = if rpc {
                None
            } else {
                Some((
                    self.part_element(module, defs, input, ix, bop.position, &in_headers)?,
                    self.part_element(module, defs, output, ix, bop.position, &[])?,
                ))
            };
            let op_names = names_of
                .operations
                .get(&k)
                .ok_or_else(|| not_named(bdefs, bop))?;
            let op_const = ident(&op_names.constant);
            let fault_ty = if op.faults.is_empty() {
                quote!(#soap_rt::NoFaults)
            } else {
                let fault = ident(
                    op_names
                        .fault_enum
                        .as_deref()
                        .ok_or_else(|| not_named(bdefs, bop))?,
                );
                let mut variants = Vec::new();
                let mut reads = Vec::new();
                let mut writes = Vec::new();
                for (n, (fname, fmsg)) in op.faults.iter().enumerate() {
                    let (c, ty) = self.part_element(module, defs, fmsg, ix, bop.position, &[])?;
                    let v = ident(
                        op_names
                            .fault_variants
                            .get(n)
                            .map(|(_, v)| v.as_str())
                            .ok_or_else(|| not_named(bdefs, bop))?,
                    );
                    let vdoc = format!(" The declared fault `{fname}`.");
                    variants.push(quote! { #[doc = #vdoc] #v(#ty), });
                    reads.push(quote! {
                        if #c.matches(node) { return #c.read(node).map(|v| Some(Self::#v(v))); }
                    });
                    writes.push(quote! { Self::#v(v) => #c.write(w, v), });
                }
                let doc = format!(" The faults operation `{}` declares.", op.name);
                items.push(quote! {
                    #[doc = #doc]
                    #[derive(Debug, Clone, PartialEq, ::serde::Serialize, ::serde::Deserialize)]
                    pub enum #fault { #(#variants)* }

                    impl #soap_rt::FaultDetail for #fault {
                        fn read_detail(node: #rt::Node<'_, '_>) -> #rt::XmlResult<Option<Self>> {
                            #(#reads)*
                            Ok(None)
                        }
                        fn write_detail(&self, w: &mut #rt::Writer) -> #rt::XmlResult<()> {
                            match self { #(#writes)* }
                        }
                    }
                });
                quote!(#fault)
            };
            let ((in_const, in_ty), (out_const, out_ty)) = match document {
                Some(parts) => parts,
                None => {
                    let request = RpcWrapper {
                        message: input,
                        element: op.name.clone(),
                        namespace: bop.input_namespace.as_deref(),
                        header_parts: &in_headers,
                        names: wrapper_names(op_names, 0).ok_or_else(|| not_named(bdefs, bop))?,
                    };
                    let response = RpcWrapper {
                        message: output,
                        element: format!("{}Response", op.name),
                        namespace: bop.output_namespace.as_deref(),
                        header_parts: &[],
                        names: wrapper_names(op_names, 1).ok_or_else(|| not_named(bdefs, bop))?,
                    };
                    let mut wrap = |w: RpcWrapper<'_>| {
                        self.rpc_wrapper(module, defs, bdefs, bop, ix, w)
                            .map(|(c, ty, tokens)| {
                                items.push(tokens);
                                (c, ty)
                            })
                    };
                    (wrap(request)?, wrap(response)?)
                }
            };
            let name = &op.name;
            let action = match &bop.soap_action {
                Some(a) if !a.is_empty() => quote!(Some(#a)),
                _ => quote!(None),
            };
            let op_doc = format!(" Operation `{name}` of binding `{}`.", binding.name);
            items.push(quote! {
                #[doc = #op_doc]
                pub const #op_const: #soap_rt::Operation<#in_ty, #out_ty, #fault_ty> =
                    #soap_rt::Operation::new(#name, #action, #version_tokens, #in_const, #out_const);
            });
            let method = ident(&op_names.method);
            let schema_doc: Vec<String> = op.documentation.iter().cloned().collect();
            let doc = doc_attrs(
                &schema_doc,
                &[format!(
                    "Calls `{}`: sends the request, returns the response or the operation's error.",
                    op.name
                )],
            );
            let mut header_params = Vec::new();
            let mut header_values = Vec::new();
            let mut pnames = NameSet::with_reserved(&["request", "self"]);
            for (hmsg, hpart) in &bop.input_headers {
                let (mdefs, m) = ix.messages.get(hmsg).ok_or_else(|| Error::Unresolved {
                    location: at(bdefs, bop.position),
                    message: format!("header message {hmsg} is not declared"),
                })?;
                let part =
                    m.parts
                        .iter()
                        .find(|p| &p.name == hpart)
                        .ok_or_else(|| Error::Unresolved {
                            location: at(bdefs, bop.position),
                            message: format!(
                                "header part `{hpart}` is not a part of message `{}`",
                                m.name
                            ),
                        })?;
                let Some(el) = &part.element else {
                    return Err(Error::Unsupported {
                        location: at(mdefs, part.position),
                        message: format!(
                            "header part `{hpart}` uses `type=`; only `element=` is supported"
                        ),
                    });
                };
                let (c, ty) = self.element_refs(module, mdefs, el, part.position)?;
                let p = ident(&pnames.claim(&names::field_name(&el.local), "_header"));
                header_params.push(quote!(#p: &#ty,));
                header_values.push(quote!(&#soap_rt::Header { element: #c, value: #p }));
            }
            let call = if header_params.is_empty() {
                quote!(self.soap.call(&#op_const, request).await)
            } else {
                quote!(self.soap.call_with_headers(&#op_const, &[#(#header_values),*], request).await)
            };
            methods.push(quote! {
                #doc
                pub async fn #method(&self, #(#header_params)* request: &#in_ty)
                    -> ::core::result::Result<#out_ty, #soap_rt::Error<#fault_ty>> {
                    #call
                }
            });
        }
        let endpoint = match &port.address {
            Some(a) => quote! {
                /// The endpoint the WSDL gives for this port.
                pub const DEFAULT_ENDPOINT: &'static str = #a;
            },
            None => quote!(),
        };
        let schema_doc: Vec<String> = service.documentation.iter().cloned().collect();
        let own = format!(
            "Client for port `{}` of service `{}` (binding `{}`, {}, {}/literal).",
            port.name,
            service.name,
            binding.name,
            match version {
                SoapVersion::Soap11 => "SOAP 1.1",
                SoapVersion::Soap12 => "SOAP 1.2",
            },
            binding.style.as_deref().unwrap_or("document")
        );
        let doc = doc_attrs(&schema_doc, &[own]);
        Ok(quote! {
            #(#items)*

            #doc
            #[derive(Debug, Clone)]
            pub struct #client { soap: #soap_rt::Client }

            impl #client {
                #endpoint
                /// A client for this port over `soap`, which carries the endpoint, TLS and rate limit.
                pub fn new(soap: #soap_rt::Client) -> Self { Self { soap } }
                /// The SOAP client underneath.
                pub fn soap(&self) -> &#soap_rt::Client { &self.soap }
                #(#methods)*
            }
        })
    }
}
