//! The mock's signature check: by default ([`SignatureCheck::Strict`]) each signature document
//! must carry the report's payload, as the agency requires; [`SignatureCheck::Lenient`] keeps
//! only the non-empty check, for tests of the transport that send placeholder bytes.
//!
//! The mock cannot verify BankID's cryptography (the signature value, the certificate chain,
//! the OCSP response); it checks what a vendor's own code gets wrong: that the signature
//! document is BankID's XML-DSig `Signature` whose `bankIdSignedData/usrNonVisibleData`
//! carries this report's entry (the digest being the SHA-256 of the report's Canonical XML 1.0)
//! in the [`PayloadFormat`] the mock is configured with: by default `"{id},{digest}"`, joined
//! with `;`, as `elt_report` writes it; a vendor who changed the format configures the mock
//! with the same one ([`MockConfig::payload_format`](crate::MockConfig::payload_format)).

use elt_report::{PayloadFormat, SignedReport};
use elt_types::service::{SignatureType, SkickaTidredovisningType};

/// How strictly the mock checks the two signatures of a request.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash)]
pub enum SignatureCheck {
    /// `signature` and `ocspResponse` non-empty, and each signature document carries the
    /// report's payload in `usrNonVisibleData`; otherwise `SignatureValidationError`.
    #[default]
    Strict,
    /// `signature` and `ocspResponse` non-empty only (placeholder bytes pass): for tests of
    /// the transport, not of signing.
    Lenient,
}

/// Checks both signatures of `request`; the message says which one and what is wrong.
pub(crate) fn check(
    mode: SignatureCheck,
    format: &PayloadFormat,
    request: &SkickaTidredovisningType,
) -> Result<(), String> {
    let signatures = [
        ("assistent-signatur", &request.assistent_signatur),
        ("anordnare-signatur", &request.anordnare_signatur),
    ];
    for (name, signature) in signatures {
        non_empty(name, signature)?;
    }
    if mode == SignatureCheck::Lenient {
        return Ok(());
    }
    // The digest is computed once for both signatures.
    let report = SignedReport::from_bytes(request.tidredovisning.value.to_vec())
        .map_err(|e| format!("the report cannot be read for the signature check: {e}"))?;
    for (name, signature) in signatures {
        report
            .verify_signature_document(name, &signature.signature.value, format)
            .map_err(|e| e.to_string())?;
    }
    Ok(())
}

fn non_empty(name: &str, signature: &SignatureType) -> Result<(), String> {
    if signature.signature.value.is_empty() {
        return Err(format!("{name}/signature is empty"));
    }
    if signature.ocsp_response.value.is_empty() {
        return Err(format!("{name}/ocspResponse is empty"));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use elt_report::testing;
    use elt_types::xmlmime::Base64Binary;

    fn signature(document: Vec<u8>) -> SignatureType {
        let b = |v: Vec<u8>| Base64Binary {
            content_type: None,
            value: v.into(),
        };
        SignatureType {
            signature: b(document),
            ocsp_response: b(b"ocsp".to_vec()),
            datum_for_signatur: elt_xml::Date::new(
                elt_xml::chrono::NaiveDate::from_ymd_opt(2016, 10, 3).unwrap(),
            ),
            any: Vec::new(),
        }
    }

    fn example() -> Vec<u8> {
        std::fs::read(concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/../wsdl/elt/examples/tidredovisning-1.xml"
        ))
        .unwrap()
    }

    fn request(
        bytes: &[u8],
        assistant: SignatureType,
        provider: SignatureType,
    ) -> SkickaTidredovisningType {
        SkickaTidredovisningType {
            tidredovisning: Base64Binary {
                content_type: None,
                value: bytes.to_vec().into(),
            },
            assistent_signatur: assistant,
            anordnare_signatur: provider,
            any: Vec::new(),
        }
    }

    #[test]
    fn strict_wants_the_payload_and_lenient_does_not() {
        let bytes = example();
        let report = SignedReport::from_bytes(bytes.clone()).unwrap();
        let entry = format!("{},{}", report.id(), report.digest());
        let good = signature(testing::signature_document("text", &entry));
        let other = signature(testing::signature_document(
            "text",
            &format!("{},{}", report.id(), "0".repeat(64)),
        ));
        let placeholder = signature(b"placeholder".to_vec());
        let strict = SignatureCheck::Strict;
        let lenient = SignatureCheck::Lenient;
        assert_eq!(
            check(
                strict,
                &PayloadFormat::default(),
                &request(&bytes, good.clone(), good.clone())
            ),
            Ok(())
        );
        let e = check(
            strict,
            &PayloadFormat::default(),
            &request(&bytes, other.clone(), good.clone()),
        )
        .unwrap_err();
        assert!(
            e.starts_with("assistent-signatur signature does not cover this report")
                && e.contains(report.digest()),
            "{e}"
        );
        let e = check(
            strict,
            &PayloadFormat::default(),
            &request(&bytes, good.clone(), placeholder.clone()),
        )
        .unwrap_err();
        assert!(
            e.starts_with("anordnare-signatur signature: ") && e.contains("not XML"),
            "{e}"
        );
        for s in [&good, &other, &placeholder] {
            assert_eq!(
                check(
                    lenient,
                    &PayloadFormat::default(),
                    &request(&bytes, s.clone(), s.clone())
                ),
                Ok(())
            );
        }
        let mut empty = good.clone();
        empty.ocsp_response.value = Vec::new().into();
        for mode in [strict, lenient] {
            let e = check(
                mode,
                &PayloadFormat::default(),
                &request(&bytes, good.clone(), empty.clone()),
            )
            .unwrap_err();
            assert_eq!(e, "anordnare-signatur/ocspResponse is empty");
        }
    }
}
