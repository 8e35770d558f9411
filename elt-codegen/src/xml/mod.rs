//! XML plumbing shared by every later step: parsing one document under limits, source
//! positions, qualified names, element lookups and escaping. It knows nothing of files, WSDL or
//! schemas beyond the namespace names below.

mod escape;
mod names;
mod parse;
mod positions;

pub(crate) use escape::escape;
pub use names::QName;
pub(crate) use names::{child, children, resolve_qname};
pub use parse::{MAX_ENTITY_EXPANSION, MAX_XML_BYTES, MAX_XML_DEPTH};
pub(crate) use parse::{parse_xml, reparse};
pub(crate) use positions::Positions;

/// Namespace of WSDL 1.1.
pub const WSDL_NS: &str = "http://schemas.xmlsoap.org/wsdl/";
/// Namespace of the WSDL 1.1 SOAP 1.1 binding.
pub const SOAP11_BINDING_NS: &str = "http://schemas.xmlsoap.org/wsdl/soap/";
/// Namespace of the WSDL 1.1 SOAP 1.2 binding.
pub const SOAP12_BINDING_NS: &str = "http://schemas.xmlsoap.org/wsdl/soap12/";
/// Namespace of XML Schema.
pub const XS_NS: &str = "http://www.w3.org/2001/XMLSchema";
/// The namespace of the reserved `xml` prefix, bound without a declaration.
pub(crate) const XML_NS: &str = "http://www.w3.org/XML/1998/namespace";
