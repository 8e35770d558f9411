//! The fault details the mock answers with: the two the WSDL declares for `SkickaTidredovisning`.
//!
//! This is the mock's own small enum; the generated client code carries its own equivalent.

use elt_soap::FaultDetail;
use elt_types::service::{
    SIGNATURE_VALIDATION_ERROR, SignatureValidationErrorType, XML_VALIDATION_ERROR,
    XmlValidationErrorType,
};
use elt_xml::{Node, Writer, XmlError};

/// A declared fault detail of `SkickaTidredovisning`.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum MockFault {
    /// `XmlValidationError`: the request or the time report does not follow its schema.
    XmlValidation(XmlValidationErrorType),
    /// `SignatureValidationError`: a signature or OCSP response cannot be accepted.
    SignatureValidation(SignatureValidationErrorType),
}

impl MockFault {
    /// An `XmlValidationError` with `message`.
    pub(crate) fn xml_validation(message: impl Into<String>) -> Self {
        Self::XmlValidation(XmlValidationErrorType {
            message: message.into(),
        })
    }

    /// A `SignatureValidationError` with `message`.
    pub(crate) fn signature_validation(message: impl Into<String>) -> Self {
        Self::SignatureValidation(SignatureValidationErrorType {
            message: message.into(),
        })
    }
}

impl FaultDetail for MockFault {
    /// Reads the detail from `node`, which may be the detail entry itself or the `detail`
    /// (SOAP 1.1) / `Detail` (SOAP 1.2) element around it; `None` for any other element.
    fn read_detail(node: Node) -> Result<Option<Self>, XmlError> {
        let candidates = std::iter::once(node).chain(node.children().filter(|n| n.is_element()));
        for n in candidates {
            if XML_VALIDATION_ERROR.matches(n) {
                return XML_VALIDATION_ERROR
                    .read(n)
                    .map(|v| Some(Self::XmlValidation(v)));
            }
            if SIGNATURE_VALIDATION_ERROR.matches(n) {
                return SIGNATURE_VALIDATION_ERROR
                    .read(n)
                    .map(|v| Some(Self::SignatureValidation(v)));
            }
        }
        Ok(None)
    }

    fn write_detail(&self, w: &mut Writer) -> Result<(), XmlError> {
        match self {
            Self::XmlValidation(v) => XML_VALIDATION_ERROR.write(w, v),
            Self::SignatureValidation(v) => SIGNATURE_VALIDATION_ERROR.write(w, v),
        }
    }
}
