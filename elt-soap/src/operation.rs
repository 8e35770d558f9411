//! What the generator emits per operation: a static [`Operation`], its declared faults
//! ([`FaultDetail`]), and SOAP header blocks ([`HeaderBlock`]).

use std::fmt;
use std::marker::PhantomData;

use elt_xml::{RootElement, Writer, XmlContent, XmlError};

/// The SOAP version of a binding (WSDL `soap:` or `soap12:` binding).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, serde::Serialize)]
pub enum SoapVersion {
    /// SOAP 1.1 (`http://schemas.xmlsoap.org/soap/envelope/`).
    Soap11,
    /// SOAP 1.2 (`http://www.w3.org/2003/05/soap-envelope`).
    Soap12,
}

/// Namespace of SOAP 1.1 envelopes.
pub const SOAP11_NAMESPACE: &str = "http://schemas.xmlsoap.org/soap/envelope/";
/// Namespace of SOAP 1.2 envelopes.
pub const SOAP12_NAMESPACE: &str = "http://www.w3.org/2003/05/soap-envelope";

impl SoapVersion {
    /// The namespace of `Envelope`, `Header`, `Body` and `Fault` in this version.
    pub fn envelope_namespace(self) -> &'static str {
        match self {
            Self::Soap11 => SOAP11_NAMESPACE,
            Self::Soap12 => SOAP12_NAMESPACE,
        }
    }

    /// The version whose envelope namespace is `ns`.
    pub fn from_namespace(ns: &str) -> Option<Self> {
        match ns {
            SOAP11_NAMESPACE => Some(Self::Soap11),
            SOAP12_NAMESPACE => Some(Self::Soap12),
            _ => None,
        }
    }
}

impl fmt::Display for SoapVersion {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Self::Soap11 => "SOAP 1.1",
            Self::Soap12 => "SOAP 1.2",
        })
    }
}

/// Static description of one operation, emitted by the generator as a `const`.
///
/// `Req` and `Resp` are the body element types; `F` is the enum of the operation's declared
/// faults (or [`NoFaults`]).
pub struct Operation<Req, Resp, F> {
    /// The WSDL operation name, e.g. `SkickaTidredovisning` (used in logs and errors).
    pub name: &'static str,
    /// The binding's `soapAction`, if any.
    pub soap_action: Option<&'static str>,
    /// The binding's SOAP version.
    pub version: SoapVersion,
    /// The request body element.
    pub input: RootElement<Req>,
    /// The response body element.
    pub output: RootElement<Resp>,
    // `fn() -> F` keeps the operation `Send + Sync` and covariant whatever `F` is.
    faults: PhantomData<fn() -> F>,
}

impl<Req, Resp, F> Operation<Req, Resp, F> {
    /// Describes an operation (a `const fn`, so generated code can declare it as a `const`).
    pub const fn new(
        name: &'static str,
        soap_action: Option<&'static str>,
        version: SoapVersion,
        input: RootElement<Req>,
        output: RootElement<Resp>,
    ) -> Self {
        Self {
            name,
            soap_action,
            version,
            input,
            output,
            faults: PhantomData,
        }
    }
}

// Written by hand: derives would require `Req: Clone` etc., which generated types need not be.
impl<Req, Resp, F> Clone for Operation<Req, Resp, F> {
    fn clone(&self) -> Self {
        *self
    }
}
impl<Req, Resp, F> Copy for Operation<Req, Resp, F> {}

impl<Req, Resp, F> fmt::Debug for Operation<Req, Resp, F> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Operation")
            .field("name", &self.name)
            .field("soap_action", &self.soap_action)
            .field("version", &self.version)
            .field("input", &self.input)
            .field("output", &self.output)
            .finish()
    }
}

/// The declared faults of one operation; the generator emits an enum implementing this.
pub trait FaultDetail: Sized + fmt::Debug + Send + 'static {
    /// Reads one child element of the fault's detail; `Ok(None)` when it is not a declared fault.
    fn read_detail(node: elt_xml::Node<'_, '_>) -> Result<Option<Self>, XmlError>;
    /// Writes this fault's detail element (servers, such as the mock, use this).
    fn write_detail(&self, w: &mut Writer) -> Result<(), XmlError>;
}

/// The fault type of operations without declared faults.
#[derive(Debug)]
pub enum NoFaults {}

impl FaultDetail for NoFaults {
    fn read_detail(_node: elt_xml::Node<'_, '_>) -> Result<Option<Self>, XmlError> {
        Ok(None)
    }

    fn write_detail(&self, _w: &mut Writer) -> Result<(), XmlError> {
        match *self {}
    }
}

/// A SOAP header block written into `soap:Header` (for bindings with `soap:header` parts).
pub trait HeaderBlock: Sync {
    /// Writes the header block element.
    fn write_header(&self, w: &mut Writer) -> Result<(), XmlError>;
}

/// A header block given as a global element and a value of its type.
pub struct Header<'a, T> {
    /// The header element.
    pub element: RootElement<T>,
    /// Its value.
    pub value: &'a T,
}

impl<T> fmt::Debug for Header<'_, T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Header")
            .field("element", &self.element)
            .finish_non_exhaustive()
    }
}

impl<T: XmlContent + Sync> HeaderBlock for Header<'_, T> {
    fn write_header(&self, w: &mut Writer) -> Result<(), XmlError> {
        self.element.write(w, self.value)
    }
}
