//! The SOAP response reader on arbitrary bytes, as the client reads a response: UTF-8, the
//! capped parse, the envelope (1.1 or 1.2), then the payload as `SkickaTidredovisningResponse`
//! or the fault with its declared details. An error or a value, never a panic.
#![no_main]

use elt_soap::FaultDetail;
use elt_soap::elt_xml::{ParseLimits, parse_document};
use elt_soap::envelope::{Body, parse_envelope};
use elt_types::client::SkickaTidredovisningFault;
use elt_types::service::SKICKA_TIDREDOVISNING_RESPONSE;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let Ok(doc) = parse_document(text, ParseLimits::default()) else {
        return;
    };
    let Ok(envelope) = parse_envelope(&doc) else {
        return;
    };
    match envelope.body {
        Body::Payload(node) => {
            if SKICKA_TIDREDOVISNING_RESPONSE.matches(node) {
                let _ = SKICKA_TIDREDOVISNING_RESPONSE.read(node);
            }
        }
        Body::Fault(fault) => {
            for entry in fault.detail_entries {
                let _ = SkickaTidredovisningFault::read_detail(entry);
            }
            let _ = fault.code.len() + fault.reason.len();
        }
    }
});
