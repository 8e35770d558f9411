//! Sends one time report to the ELT service (or the mock) and prints its `tx-id`.
//!
//! ```sh
//! cargo run -p elt-types --example submit -- \
//!     --endpoint https://127.0.0.1:PORT/shs2/FK.ASE.Tidredovisning.ext \
//!     --ca certs/ca.pem --identity certs/client.p12 --password elt-mock \
//!     --report wsdl/elt/examples/tidredovisning-1.xml \
//!     [--assistant-signature FILE --assistant-ocsp FILE --provider-signature FILE --provider-ocsp FILE]
//! ```
//!
//! The report file is sent exactly as its bytes are: a signed document must not be parsed and
//! written again, or the signature no longer matches. The four signature files are the raw
//! bytes a completed BankID sign order returned (signature and OCSP response, for the
//! assistant and for the provider). Without them the example sends clearly marked placeholder
//! bytes: the agency refuses those, and so does the mock unless it runs with
//! `--signatures lenient`. `elt-mock test-signatures --report REPORT.xml --out DIR` writes
//! BankID-shaped test files (not signatures) that carry the report's payload, which the strict
//! mock accepts.
//!
//! Exit status: 0 and `tx-id: UUID` on stdout when the report was accepted; 1 and
//! `fault: VARIANT: MESSAGE` on stderr for a fault the operation declares
//! (`XmlValidationError`, `SignatureValidationError`); 2 and the error for anything else.

use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use clap::Parser;
use elt_types::client::{SkickaTidredovisningFault, SkickaTidredovisningResponderPortClient};
use elt_types::elt_soap;
use elt_types::elt_xml::{self, XmlValue as _};
use elt_types::service::{SignatureType, SkickaTidredovisningType};
use elt_types::xmlmime;

/// Sends one time report to SkickaTidredovisning and prints its tx-id.
#[derive(Debug, Parser)]
#[command(name = "submit")]
struct Args {
    /// The service URL (the WSDL's is
    /// https://shsext.forsakringskassan.se:8020/shs2/FK.ASE.Tidredovisning.ext).
    #[arg(long)]
    endpoint: String,
    /// PEM file of the CA that issued the server's certificate; when given, only it is
    /// trusted. Without it the built-in (Mozilla) roots are.
    #[arg(long, value_name = "CA.pem")]
    ca: Option<PathBuf>,
    /// The client certificate and key as PKCS#12 (.p12/.pfx).
    #[arg(long, value_name = "CLIENT.p12")]
    identity: PathBuf,
    /// The PKCS#12 password.
    #[arg(long, value_name = "PW")]
    password: String,
    /// The time report (a `Tidredovisning` document), sent byte for byte.
    #[arg(long, value_name = "REPORT.xml")]
    report: PathBuf,
    /// The assistant's BankID signature (raw bytes).
    #[arg(long, value_name = "FILE", requires_all = ["assistant_ocsp", "provider_signature", "provider_ocsp"])]
    assistant_signature: Option<PathBuf>,
    /// The OCSP response of the assistant's signing (raw bytes).
    #[arg(long, value_name = "FILE", requires = "assistant_signature")]
    assistant_ocsp: Option<PathBuf>,
    /// The provider's BankID signature (raw bytes).
    #[arg(long, value_name = "FILE", requires = "assistant_signature")]
    provider_signature: Option<PathBuf>,
    /// The OCSP response of the provider's signing (raw bytes).
    #[arg(long, value_name = "FILE", requires = "assistant_signature")]
    provider_ocsp: Option<PathBuf>,
    /// The date of signing (`datumForSignatur`, YYYY-MM-DD) for both signatures; default today
    /// (UTC).
    #[arg(long, value_name = "YYYY-MM-DD")]
    signing_date: Option<String>,
    /// Seconds allowed for the whole call.
    #[arg(long, default_value_t = 60)]
    timeout: u64,
}

/// Marks placeholder signature bytes so that nobody mistakes them for real ones.
const PLACEHOLDER: &str = "PLACEHOLDER, NOT A BANKID SIGNATURE (elt-types submit example)";

fn read(path: &Path) -> Result<Vec<u8>, String> {
    std::fs::read(path).map_err(|e| format!("reading {}: {e}", path.display()))
}

fn bytes(value: Vec<u8>) -> xmlmime::Base64Binary {
    xmlmime::Base64Binary {
        content_type: None,
        value: value.into(),
    }
}

/// Today's date in UTC, from the system clock.
fn today() -> Result<elt_xml::Date, String> {
    let secs = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_err(|e| format!("the system clock is before 1970: {e}"))?
        .as_secs();
    // 719 163 days from 0001-01-01 (day 1 of the common era) to 1970-01-01.
    let days = i32::try_from(secs / 86_400)
        .ok()
        .and_then(|d| d.checked_add(719_163))
        .ok_or("the system clock is out of range")?;
    elt_xml::chrono::NaiveDate::from_num_days_from_ce_opt(days)
        .map(elt_xml::Date::new)
        .ok_or_else(|| "the system clock is out of range".to_owned())
}

fn request(args: &Args) -> Result<SkickaTidredovisningType, String> {
    let report = read(&args.report)?;
    let date = match &args.signing_date {
        Some(text) => elt_xml::Date::from_xml_text(text)
            .map_err(|e| format!("--signing-date {text:?}: {e}"))?,
        None => today()?,
    };
    let signature = |signature: Vec<u8>, ocsp: Vec<u8>| SignatureType {
        signature: bytes(signature),
        ocsp_response: bytes(ocsp),
        datum_for_signatur: date,
        any: Vec::new(),
    };
    let placeholder = |what: &str| format!("{PLACEHOLDER}: {what}").into_bytes();
    let (assistent, anordnare) = match (
        &args.assistant_signature,
        &args.assistant_ocsp,
        &args.provider_signature,
        &args.provider_ocsp,
    ) {
        (Some(a_sig), Some(a_ocsp), Some(p_sig), Some(p_ocsp)) => (
            signature(read(a_sig)?, read(a_ocsp)?),
            signature(read(p_sig)?, read(p_ocsp)?),
        ),
        (None, None, None, None) => {
            eprintln!("note: no signature files given; sending placeholder signatures");
            (
                signature(
                    placeholder("assistant signature"),
                    placeholder("assistant OCSP response"),
                ),
                signature(
                    placeholder("provider signature"),
                    placeholder("provider OCSP response"),
                ),
            )
        }
        _ => {
            return Err("give all four signature files, or none".to_owned());
        }
    };
    Ok(SkickaTidredovisningType {
        tidredovisning: xmlmime::Base64Binary {
            content_type: Some(xmlmime::ContentType::new("text/xml").map_err(|e| e.to_string())?),
            // The file's bytes, untouched.
            value: report.into(),
        },
        assistent_signatur: assistent,
        anordnare_signatur: anordnare,
        any: Vec::new(),
    })
}

fn client(args: &Args) -> Result<SkickaTidredovisningResponderPortClient, String> {
    let mut builder = elt_soap::Client::builder(&args.endpoint)
        .identity_pkcs12(read(&args.identity)?, &args.password)
        .request_timeout(Duration::from_secs(args.timeout));
    if let Some(ca) = &args.ca {
        builder = builder
            .add_root_ca_pem(read(ca)?)
            .trust_built_in_roots(false);
    }
    let soap = builder.build().map_err(|e| e.to_string())?;
    Ok(SkickaTidredovisningResponderPortClient::new(soap))
}

#[tokio::main]
async fn main() -> ExitCode {
    let args = Args::parse();
    let (client, request) = match client(&args).and_then(|c| Ok((c, request(&args)?))) {
        Ok(ready) => ready,
        Err(e) => {
            eprintln!("error: {e}");
            return ExitCode::from(2);
        }
    };
    match client.skicka_tidredovisning(&request).await {
        Ok(response) => {
            println!("tx-id: {}", response.tx_id);
            ExitCode::SUCCESS
        }
        Err(elt_soap::Error::Fault { detail, .. }) => {
            let (variant, message) = match detail {
                SkickaTidredovisningFault::XmlValidationError(e) => {
                    ("XmlValidationError", e.message)
                }
                SkickaTidredovisningFault::SignatureValidationError(e) => {
                    ("SignatureValidationError", e.message)
                }
            };
            eprintln!("fault: {variant}: {message}");
            ExitCode::from(1)
        }
        Err(e) => {
            eprintln!("error: {e}");
            ExitCode::from(2)
        }
    }
}
