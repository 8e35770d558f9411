//! `producedAt` of a DER OCSP response (RFC 6960), for the signing date.
//!
//! BankID's `/collect` returns the OCSP response that its servers fetched right after the user
//! signed; its `producedAt` is the best record of when the signing happened that travels with
//! the signature. Only the path to `producedAt` is read (with `der-parser`):
//!
//! ```text
//! OCSPResponse ::= SEQUENCE { responseStatus ENUMERATED, responseBytes [0] EXPLICIT SEQUENCE {
//!     responseType OID (id-pkix-ocsp-basic), response OCTET STRING } }
//! BasicOCSPResponse ::= SEQUENCE { tbsResponseData ResponseData, ... }
//! ResponseData ::= SEQUENCE { version [0] EXPLICIT ... OPTIONAL, responderID [1] | [2],
//!     producedAt GeneralizedTime, ... }
//! ```
//!
//! The signature of the OCSP response is not verified here: that is the agency's job, and a
//! forged date would be refused there with the signature.

use der_parser::ber::{BerObject, BerObjectContent, Class};
use der_parser::der::parse_der;
use jiff::Timestamp;

/// `id-pkix-ocsp-basic`.
const OCSP_BASIC: &str = "1.3.6.1.5.5.7.48.1.1";

fn der<'a>(bytes: &'a [u8], what: &str) -> Result<BerObject<'a>, String> {
    let (rest, obj) = parse_der(bytes).map_err(|e| format!("{what} is not DER: {e}"))?;
    if !rest.is_empty() {
        return Err(format!("{} bytes after {what}", rest.len()));
    }
    Ok(obj)
}

fn sequence<'a, 'b>(obj: &'b BerObject<'a>, what: &str) -> Result<&'b Vec<BerObject<'a>>, String> {
    obj.as_sequence()
        .map_err(|_| format!("{what} is not a SEQUENCE"))
}

/// The `producedAt` time of the DER OCSP response `bytes`.
pub fn produced_at(bytes: &[u8]) -> Result<Timestamp, String> {
    let top = der(bytes, "the OCSP response")?;
    let top = sequence(&top, "OCSPResponse")?;
    let status = top
        .first()
        .and_then(|s| match s.content {
            BerObjectContent::Enum(v) => Some(v),
            _ => None,
        })
        .ok_or("OCSPResponse has no responseStatus")?;
    if status != 0 {
        return Err(format!(
            "responseStatus is {status}, not 0 (successful): the response carries no time"
        ));
    }
    let tagged = top
        .get(1)
        .filter(|o| o.header.class() == Class::ContextSpecific && o.header.tag().0 == 0)
        .ok_or("OCSPResponse has no responseBytes [0]")?;
    let inner_bytes = tagged
        .as_slice()
        .map_err(|_| "responseBytes [0] is not explicit".to_owned())?;
    let inner = der(inner_bytes, "responseBytes")?;
    let inner = sequence(&inner, "ResponseBytes")?;
    let oid = inner
        .first()
        .and_then(|o| o.as_oid().ok())
        .ok_or("ResponseBytes has no responseType")?;
    if oid.to_id_string() != OCSP_BASIC {
        return Err(format!(
            "responseType is {}, not id-pkix-ocsp-basic ({OCSP_BASIC})",
            oid.to_id_string()
        ));
    }
    let basic_bytes = inner
        .get(1)
        .and_then(|o| match o.content {
            BerObjectContent::OctetString(s) => Some(s),
            _ => None,
        })
        .ok_or("ResponseBytes has no response OCTET STRING")?;
    let basic = der(basic_bytes, "BasicOCSPResponse")?;
    let basic = sequence(&basic, "BasicOCSPResponse")?;
    let tbs = basic.first().ok_or("BasicOCSPResponse is empty")?;
    let tbs = sequence(tbs, "ResponseData")?;
    let time = tbs
        .iter()
        .find_map(|o| match &o.content {
            BerObjectContent::GeneralizedTime(t) => Some(t),
            _ => None,
        })
        .ok_or("ResponseData has no producedAt")?;
    use der_parser::asn1_rs::ASN1TimeZone;
    let offset_seconds = match time.tz {
        ASN1TimeZone::Z => 0,
        ASN1TimeZone::Offset(h, m) => i32::from(h) * 3600 + i32::from(m) * 60,
        // RFC 6960 (via RFC 5280) requires UTC ("Z"); a local time says nothing exact.
        ASN1TimeZone::Undefined => {
            return Err("producedAt has no time zone (RFC 5280 requires Z)".to_owned());
        }
    };
    let dt = jiff::civil::DateTime::new(
        i16::try_from(time.year).map_err(|_| "producedAt year out of range".to_owned())?,
        time.month as i8,
        time.day as i8,
        time.hour as i8,
        time.minute as i8,
        time.second as i8,
        0,
    )
    .map_err(|e| format!("producedAt is not a valid time: {e}"))?;
    let offset = jiff::tz::Offset::from_seconds(offset_seconds)
        .map_err(|e| format!("producedAt offset: {e}"))?;
    offset
        .to_timestamp(dt)
        .map_err(|e| format!("producedAt out of range: {e}"))
}
