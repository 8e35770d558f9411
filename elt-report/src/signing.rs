//! Signing a time report with BankID and building the `SkickaTidredovisning` request.
//!
//! The flow, with BankID's RP API v6:
//! 1. [`SignedReport::from_bytes`] keeps the exact bytes of the report document; they are what
//!    is signed and what is sent, never a re-serialization. Its [`digest`](SignedReport::digest)
//!    is the lower-case hex SHA-256 of the document's Canonical XML 1.0 (inclusive, without
//!    comments; see [`crate::c14n`]).
//! 2. [`sign_request`] gives the JSON body of `/sign` for the assistant (one report) or the
//!    provider (one or several reports): `userNonVisibleData` is the base64 of the reports'
//!    entries `"{id},{digest}"`, joined with `;` when there are several. This is the format
//!    existing ELT vendor software uses; the agency's technical description (not public) is
//!    the authority, so [`PayloadFormat`] lets a vendor change the entry template and the
//!    separator if it says otherwise. `userVisibleData` is a short Swedish `simpleMarkdownV1`
//!    text (month, person, assistant, hours per kind), within BankID's limits (1–40,000
//!    characters after base64 for `userVisibleData`, at most 200,000 for
//!    `userNonVisibleData`).
//! 3. `/collect` ends with `completionData` ([`CompletionData`]); [`SignedReport::request`]
//!    checks it and builds the request: `signature` and `ocspResponse` base64-decoded to their
//!    bytes (the XML signature document and the DER OCSP response) and `datumForSignatur` the
//!    signing date in Europe/Stockholm, taken from the OCSP response's `producedAt` (or from
//!    [`SigningOptions::signing_date`] when the caller sets it).
//!
//! Before anything is sent, each signature document must carry this report's entry in its
//! `usrNonVisibleData`, and the assistant signature's `user.personalNumber` must be the
//! report's assistant; each mismatch is refused with what differs.

use base64::Engine as _;
use base64::engine::general_purpose::STANDARD as BASE64;
use elt_types::service::{SignatureType, SkickaTidredovisningType};
use elt_types::tidredovisning::{
    AssistentPersonnummerOrSamordningsnummer, TIDREDOVISNING, Tidredovisning,
};
use elt_types::xmlmime;
use serde::{Deserialize, Serialize};

use crate::ReportError;
use crate::c14n;
use crate::hours::{self, Summary};

/// BankID's limit for `userVisibleData`, in characters after base64.
pub const USER_VISIBLE_DATA_MAX: usize = 40_000;
/// BankID's limit for `userNonVisibleData` in `/sign`, in characters after base64.
pub const USER_NON_VISIBLE_DATA_MAX: usize = 200_000;
/// The namespace of BankID's signed data inside the XML signature document.
pub const BANKID_TYPES_NAMESPACE: &str = "http://www.bankid.com/signature/v1.0.0/types";

/// A time report as the exact bytes that were (or will be) signed, with the parsed report and
/// its digest.
#[derive(Debug, Clone)]
pub struct SignedReport {
    bytes: Vec<u8>,
    report: Tidredovisning,
    digest: String,
    assistant: String,
}

impl SignedReport {
    /// Parse the exact bytes of a signed Tidredovisning document. Keeps the bytes untouched.
    pub fn from_bytes(bytes: impl Into<Vec<u8>>) -> Result<Self, ReportError> {
        let bytes = bytes.into();
        let text = std::str::from_utf8(&bytes).map_err(c14n::C14nError::from)?;
        let text = text.strip_prefix('\u{feff}').unwrap_or(text);
        let doc = elt_xml::parse_document(text, elt_xml::ParseLimits::default())
            .map_err(c14n::C14nError::from)?;
        let report = TIDREDOVISNING
            .read(doc.root_element())
            .map_err(ReportError::Report)?;
        let digest = c14n::digest_document(&doc);
        drop(doc);
        let assistant = match &report.assistent.personnummer_or_samordningsnummer {
            AssistentPersonnummerOrSamordningsnummer::Personnummer(p) => p.get().clone(),
            AssistentPersonnummerOrSamordningsnummer::Samordningsnummer(s) => s.get().clone(),
        };
        Ok(Self {
            bytes,
            report,
            digest,
            assistant,
        })
    }

    /// Exactly what was signed and what is sent.
    pub fn bytes(&self) -> &[u8] {
        &self.bytes
    }

    /// The parsed report.
    pub fn report(&self) -> &Tidredovisning {
        &self.report
    }

    /// The report's `id` (UUID text).
    pub fn id(&self) -> &str {
        self.report.id.get()
    }

    /// Lower-case hex SHA-256 of the document's Canonical XML 1.0 (computed once).
    pub fn digest(&self) -> &str {
        &self.digest
    }

    /// `redovisningsmanad`, `YYYY-MM`.
    pub fn month(&self) -> &str {
        self.report.redovisningsmanad.get()
    }

    /// The personnummer of the person with assistance.
    pub fn person(&self) -> &str {
        self.report.person_som_har_assistans.personnummer.get()
    }

    /// The personnummer or samordningsnummer of the assistant.
    pub fn assistant(&self) -> &str {
        &self.assistant
    }

    /// The hours of the report (see [`crate::hours`]).
    pub fn summary(&self) -> Summary {
        hours::summarize(&self.report)
    }

    /// The `SkickaTidredovisning` request: `tidredovisning` = [`bytes`](Self::bytes) (never
    /// re-serialized), the two signatures from BankID v6 `/collect` completionData, after
    /// checking that each signature document's `usrNonVisibleData` carries this report's
    /// payload and that the assistant signature's `user.personalNumber` is the assistant's.
    /// Each mismatch is an error saying what differs.
    pub fn request(
        &self,
        assistant: &CompletionData,
        provider: &CompletionData,
        opts: &SigningOptions,
    ) -> Result<SkickaTidredovisningType, ReportError> {
        if assistant.user.personal_number != self.assistant() {
            return Err(ReportError::SignerMismatch {
                expected: self.assistant().to_owned(),
                found: assistant.user.personal_number.clone(),
            });
        }
        let assistent_signatur = self.signature("assistent", assistant, opts)?;
        let anordnare_signatur = self.signature("anordnare", provider, opts)?;
        Ok(SkickaTidredovisningType {
            tidredovisning: xmlmime::Base64Binary {
                content_type: Some(
                    xmlmime::ContentType::new("text/xml")
                        .map_err(|e| ReportError::Request(e.to_string()))?,
                ),
                value: self.bytes.clone().into(),
            },
            assistent_signatur,
            anordnare_signatur,
            any: Vec::new(),
        })
    }

    /// Checks that `signature_document` (the decoded `completionData.signature`) carries this
    /// report's entry; `role` names it in the error.
    pub fn verify_signature_document(
        &self,
        role: &'static str,
        signature_document: &[u8],
        format: &PayloadFormat,
    ) -> Result<(), ReportError> {
        let signed = SignatureDocument::parse(signature_document)
            .map_err(|message| ReportError::SignatureDocument { role, message })?;
        let expected = format.entry(self);
        let found = signed
            .non_visible_text()
            .map_err(|message| ReportError::SignatureDocument { role, message })?;
        if format.entries(&found).any(|e| e == expected) {
            Ok(())
        } else {
            Err(ReportError::PayloadMismatch {
                role,
                expected,
                found,
                id: self.id().to_owned(),
                digest: self.digest.clone(),
            })
        }
    }

    fn signature(
        &self,
        role: &'static str,
        completion: &CompletionData,
        opts: &SigningOptions,
    ) -> Result<SignatureType, ReportError> {
        let signature = decode(&format!("{role}.signature"), &completion.signature)?;
        self.verify_signature_document(role, &signature, &opts.payload_format)?;
        let ocsp = decode(&format!("{role}.ocspResponse"), &completion.ocsp_response)?;
        let date = match opts.signing_date {
            Some(date) => date,
            None => {
                let at = crate::ocsp::produced_at(&ocsp)
                    .map_err(|message| ReportError::Ocsp { role, message })?;
                let tz = hours::stockholm().ok_or_else(|| ReportError::Ocsp {
                    role,
                    message: "the Europe/Stockholm time zone is missing from this build".into(),
                })?;
                at.to_zoned(tz.clone()).date()
            }
        };
        let date = elt_xml::chrono::NaiveDate::from_ymd_opt(
            i32::from(date.year()),
            date.month() as u32,
            date.day() as u32,
        )
        .ok_or_else(|| ReportError::Request(format!("signing date {date} out of range")))?;
        Ok(SignatureType {
            signature: xmlmime::Base64Binary {
                content_type: None,
                value: signature.into(),
            },
            ocsp_response: xmlmime::Base64Binary {
                content_type: None,
                value: ocsp.into(),
            },
            datum_for_signatur: elt_xml::Date::new(date),
            any: Vec::new(),
        })
    }
}

fn decode(field: &str, text: &str) -> Result<Vec<u8>, ReportError> {
    BASE64
        .decode(text.trim())
        .map_err(|source| ReportError::Base64 {
            field: field.to_owned(),
            source,
        })
}

/// How the reports' entries are written into `userNonVisibleData`.
///
/// The default, `"{id},{digest}"` per report joined with `";"`, is the format existing ELT
/// vendor software uses. The agency's technical description of the signing is the authority;
/// if it says otherwise, set `entry` (with the placeholders `{id}` and `{digest}`) and
/// `separator` accordingly. The same format must be used when checking signatures.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PayloadFormat {
    /// The template of one report's entry, with `{id}` and `{digest}`.
    pub entry: String,
    /// What joins the entries of several reports.
    pub separator: String,
}

impl Default for PayloadFormat {
    fn default() -> Self {
        Self {
            entry: "{id},{digest}".to_owned(),
            separator: ";".to_owned(),
        }
    }
}

impl PayloadFormat {
    /// One report's entry.
    pub fn entry(&self, report: &SignedReport) -> String {
        self.entry
            .replace("{id}", report.id())
            .replace("{digest}", report.digest())
    }

    /// The text of `userNonVisibleData` (before base64) for `reports`.
    pub fn payload(&self, reports: &[&SignedReport]) -> String {
        reports
            .iter()
            .map(|r| self.entry(r))
            .collect::<Vec<_>>()
            .join(&self.separator)
    }

    /// The entries of a payload text.
    pub fn entries<'a>(&'a self, text: &'a str) -> impl Iterator<Item = &'a str> + 'a {
        // An empty separator would split nothing; the whole text is then one entry.
        let sep = if self.separator.is_empty() {
            None
        } else {
            Some(self.separator.as_str())
        };
        let parts: Box<dyn Iterator<Item = &'a str>> = match sep {
            Some(sep) => Box::new(text.split(sep)),
            None => Box::new(std::iter::once(text)),
        };
        parts.map(str::trim)
    }
}

/// Options for signing and for building the request.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct SigningOptions {
    /// The `userNonVisibleData` format.
    pub payload_format: PayloadFormat,
    /// The signing date to use for `datumForSignatur` instead of the OCSP response's
    /// `producedAt` (in Europe/Stockholm); `None` reads it from the OCSP response.
    pub signing_date: Option<jiff::civil::Date>,
}

/// The JSON body of BankID RP API v6 `/sign` (without `endUserIp`'s companions such as
/// `requirement`, which the caller adds as it needs).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct SignRequest {
    /// The user's IP address as the relying party sees it.
    pub end_user_ip: String,
    /// Base64 of the UTF-8 text shown to the user.
    pub user_visible_data: String,
    /// `simpleMarkdownV1`.
    pub user_visible_data_format: String,
    /// Base64 of the reports' entries (see [`PayloadFormat`]).
    pub user_non_visible_data: String,
}

/// The `/sign` body for `reports` (one for the assistant; one or several for the provider).
pub fn sign_request(
    reports: &[&SignedReport],
    end_user_ip: &str,
    format: &PayloadFormat,
) -> Result<SignRequest, ReportError> {
    if reports.is_empty() {
        return Err(ReportError::NoReports);
    }
    let visible = BASE64.encode(visible_text(reports));
    if visible.len() > USER_VISIBLE_DATA_MAX {
        return Err(ReportError::TooLong {
            field: "userVisibleData",
            length: visible.len(),
            limit: USER_VISIBLE_DATA_MAX,
        });
    }
    let non_visible = BASE64.encode(format.payload(reports));
    if non_visible.len() > USER_NON_VISIBLE_DATA_MAX {
        return Err(ReportError::TooLong {
            field: "userNonVisibleData",
            length: non_visible.len(),
            limit: USER_NON_VISIBLE_DATA_MAX,
        });
    }
    Ok(SignRequest {
        end_user_ip: end_user_ip.to_owned(),
        user_visible_data: visible,
        user_visible_data_format: "simpleMarkdownV1".to_owned(),
        user_non_visible_data: non_visible,
    })
}

const MONTHS: [&str; 12] = [
    "januari",
    "februari",
    "mars",
    "april",
    "maj",
    "juni",
    "juli",
    "augusti",
    "september",
    "oktober",
    "november",
    "december",
];

/// Characters with a meaning in simpleMarkdownV1 are left out of names so that a name cannot
/// change the text's layout.
fn plain(text: &str) -> String {
    text.chars()
        .filter(|c| !matches!(c, '*' | '#' | '+' | '_' | '`' | '\\' | '\r' | '\n'))
        .collect()
}

fn month_name(month: &str) -> String {
    match hours::month_start(month) {
        Ok(d) => format!("{} {}", MONTHS[(d.month() - 1) as usize], d.year()),
        Err(_) => month.to_owned(),
    }
}

fn written(pnr: &str) -> String {
    if pnr.len() == 12 {
        format!("{}-{}", &pnr[..8], &pnr[8..])
    } else {
        pnr.to_owned()
    }
}

fn hm(m: hours::Minutes) -> String {
    format!("{} h {:02} min", m.0 / 60, m.0 % 60)
}

/// The Swedish `simpleMarkdownV1` text shown in BankID for `reports`.
pub fn visible_text(reports: &[&SignedReport]) -> String {
    let mut out = String::new();
    if reports.len() > 1 {
        out.push_str(&format!("# Tidredovisningar ({} st)\n\n", reports.len()));
    }
    for (i, r) in reports.iter().enumerate() {
        if i > 0 {
            out.push_str("\n---\n\n");
        }
        let t = r.report();
        let s = r.summary();
        let heading = if reports.len() > 1 { "##" } else { "#" };
        out.push_str(&format!(
            "{heading} Tidredovisning {}\n\n",
            month_name(r.month())
        ));
        out.push_str(&format!(
            "Assistansberättigad: {} {}, {}\n\n",
            plain(&t.person_som_har_assistans.fornamn),
            plain(&t.person_som_har_assistans.efternamn),
            written(r.person())
        ));
        out.push_str(&format!(
            "Assistent: {} {}, {}\n\n",
            plain(&t.assistent.fornamn),
            plain(&t.assistent.efternamn),
            written(r.assistant())
        ));
        out.push_str(&format!("Aktiv tid: {}\n\n", hm(s.total.aktiv_tid)));
        out.push_str(&format!("Väntetid: {}\n\n", hm(s.total.vante_tid)));
        out.push_str(&format!(
            "Beredskapstid: {}\n\n",
            hm(s.total.beredskaps_tid)
        ));
        out.push_str(&format!("Totalt: {}\n", hm(s.total.total)));
    }
    out
}

/// BankID RP API v6 `/collect` `completionData` (the JSON object).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct CompletionData {
    /// The signer.
    pub user: User,
    /// The signer's device, when BankID gives it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub device: Option<Device>,
    /// The date the BankID was issued, when given.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub bank_id_issue_date: Option<String>,
    /// Base64 of the XML signature document.
    pub signature: String,
    /// Base64 of the DER OCSP response.
    pub ocsp_response: String,
}

/// `completionData.user`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct User {
    /// The signer's personnummer, 12 digits.
    pub personal_number: String,
    /// Full name.
    #[serde(default)]
    pub name: String,
    /// Given name.
    #[serde(default)]
    pub given_name: String,
    /// Surname.
    #[serde(default)]
    pub surname: String,
}

/// `completionData.device`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Device {
    /// The IP address BankID saw.
    #[serde(default)]
    pub ip_address: String,
    /// BankID's unique hardware identifier, when given.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub uhi: Option<String>,
}

/// The two signatures of one report, as `NAME.signatures.json` holds them:
/// `{ "assistent": {completionData}, "anordnare": {completionData} }`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Signatures {
    /// The assistant's signature.
    #[serde(rename = "assistent")]
    pub assistant: CompletionData,
    /// The provider's signature.
    #[serde(rename = "anordnare")]
    pub provider: CompletionData,
}

/// Reads `NAME.signatures.json`.
pub fn load_signatures(json: &[u8]) -> Result<Signatures, ReportError> {
    Ok(serde_json::from_slice(json)?)
}

/// What this crate reads from a BankID XML signature document: the `bankIdSignedData` inside
/// the XML-DSig `Signature`'s `Object`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SignatureDocument {
    /// `usrVisibleData` as written (base64).
    pub usr_visible_data: Option<String>,
    /// `usrNonVisibleData` as written (base64).
    pub usr_non_visible_data: Option<String>,
}

impl SignatureDocument {
    /// Reads a signature document; the error says what is missing.
    pub fn parse(bytes: &[u8]) -> Result<Self, String> {
        let text = std::str::from_utf8(bytes)
            .map_err(|e| format!("the signature document is not UTF-8 XML: {e}"))?;
        let text = text.strip_prefix('\u{feff}').unwrap_or(text);
        let doc = elt_xml::parse_document(text, elt_xml::ParseLimits::default())
            .map_err(|e| format!("the signature document is not XML: {e}"))?;
        let root = doc.root_element();
        if root.tag_name().name() != "Signature"
            || root.tag_name().namespace() != Some("http://www.w3.org/2000/09/xmldsig#")
        {
            return Err(format!(
                "the signature document's root is {{{}}}{}, not an XML-DSig Signature",
                root.tag_name().namespace().unwrap_or(""),
                root.tag_name().name()
            ));
        }
        let signed = root
            .descendants()
            .find(|n| n.has_tag_name((BANKID_TYPES_NAMESPACE, "bankIdSignedData")))
            .ok_or_else(|| {
                format!("the signature document has no bankIdSignedData ({BANKID_TYPES_NAMESPACE})")
            })?;
        let child = |name: &str| {
            signed
                .children()
                .find(|n| n.has_tag_name((BANKID_TYPES_NAMESPACE, name)))
                .map(|n| n.text().unwrap_or("").trim().to_owned())
        };
        Ok(Self {
            usr_visible_data: child("usrVisibleData"),
            usr_non_visible_data: child("usrNonVisibleData"),
        })
    }

    /// The decoded `usrNonVisibleData` as text.
    pub fn non_visible_text(&self) -> Result<String, String> {
        let b64 = self
            .usr_non_visible_data
            .as_deref()
            .ok_or("the signature document has no usrNonVisibleData")?;
        let bytes = BASE64
            .decode(b64)
            .map_err(|e| format!("usrNonVisibleData is not base64: {e}"))?;
        String::from_utf8(bytes).map_err(|e| format!("usrNonVisibleData is not UTF-8 text: {e}"))
    }
}
