//! The `elt-mock` binary: `certs` and `serve`.

mod common;

use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::mpsc;
use std::time::Duration;

use elt_mock::{CLIENT_COMMON_NAME, CertPaths, P12_PASSWORD};
use elt_soap::SoapVersion;
use p12_keystore::{KeyStore, Pkcs12ImportPolicy};

const BIN: &str = env!("CARGO_BIN_EXE_elt-mock");

fn test_dir(name: &str) -> PathBuf {
    let dir = PathBuf::from(env!("CARGO_TARGET_TMPDIR"))
        .join("elt-mock-cli-tests")
        .join(name);
    let _ = std::fs::remove_dir_all(&dir);
    dir
}

fn run_certs(dir: &Path) -> CertPaths {
    let out = Command::new(BIN).arg("certs").arg(dir).output().unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    CertPaths::in_dir(dir)
}

/// Kills the child when dropped, so a failing test leaves no server behind.
struct KillOnDrop(Child);

impl Drop for KillOnDrop {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

#[test]
fn certs_writes_six_files_and_a_p12_that_opens_with_the_password() {
    let dir = test_dir("certs");
    let paths = run_certs(&dir);
    for name in [
        "ca.pem",
        "server.pem",
        "server.key",
        "client.pem",
        "client.key",
        "client.p12",
    ] {
        let len = std::fs::metadata(dir.join(name)).unwrap().len();
        assert!(len > 0, "{name} is empty");
    }

    let p12 = std::fs::read(&paths.client_p12).unwrap();
    let store = KeyStore::from_pkcs12(&p12, P12_PASSWORD, Pkcs12ImportPolicy::Strict).unwrap();
    let (_, chain) = store
        .private_key_chain()
        .expect("a private key with its chain");
    assert_eq!(chain.certs().len(), 2, "client certificate and CA");
    assert!(chain.certs()[0].subject().contains(CLIENT_COMMON_NAME));
    assert_eq!(chain.certs()[0].issuer(), chain.certs()[1].subject());
    assert!(KeyStore::from_pkcs12(&p12, "wrong", Pkcs12ImportPolicy::Strict).is_err());

    // OpenSSL 3 reads it without -legacy, when it is installed.
    if let Ok(out) = Command::new("openssl")
        .args(["pkcs12", "-nokeys", "-passin"])
        .arg(format!("pass:{P12_PASSWORD}"))
        .arg("-in")
        .arg(&paths.client_p12)
        .output()
    {
        assert!(
            out.status.success(),
            "openssl: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        let text = String::from_utf8_lossy(&out.stdout);
        assert!(text.contains(CLIENT_COMMON_NAME), "{text}");
    }
}

#[tokio::test]
async fn serve_prints_its_address_first_and_answers_there() {
    let dir = test_dir("serve");
    let certs = run_certs(&dir);
    let mut child = KillOnDrop(
        Command::new(BIN)
            .args(["serve", "--listen", "127.0.0.1:0", "--rate", "0", "--certs"])
            .arg(&dir)
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .unwrap(),
    );

    // Read the first line on a thread, so a silent server fails the test instead of hanging it.
    let stdout = child.0.stdout.take().unwrap();
    let (tx, rx) = mpsc::channel();
    std::thread::spawn(move || {
        let mut line = String::new();
        let _ = BufReader::new(stdout).read_line(&mut line);
        let _ = tx.send(line);
    });
    let line = rx
        .recv_timeout(Duration::from_secs(60))
        .expect("no line on stdout within 60 s");
    let line = line.trim_end();
    let port: u16 = line
        .strip_prefix("listening on https://127.0.0.1:")
        .unwrap_or_else(|| panic!("unexpected first line {line:?}"))
        .parse()
        .unwrap();
    assert_ne!(port, 0);

    let url = format!("https://127.0.0.1:{port}/shs2/FK.ASE.Tidredovisning.ext");
    // Signatures are strict by default: placeholders are refused, test signatures that carry
    // the report's payload accepted.
    let response = common::post(
        &common::client(&certs),
        &url,
        SoapVersion::Soap11,
        &common::request(common::example_report()),
    )
    .await
    .unwrap();
    let a = common::answer(response).await;
    assert_eq!(a.status, 500, "{}", a.body);
    assert!(a.body.contains("SignatureValidationError"), "{}", a.body);
    let response = common::post(
        &common::client(&certs),
        &url,
        SoapVersion::Soap11,
        &common::signed_request(common::example_report()),
    )
    .await
    .unwrap();
    assert_eq!(response.status().as_u16(), 200);
    drop(child);
}

#[test]
fn test_signatures_writes_four_files_carrying_the_reports_payload() {
    let dir = test_dir("test-signatures");
    let report = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../wsdl/elt/examples/tidredovisning-1.xml"
    );
    let out = Command::new(BIN)
        .args(["test-signatures", "--report", report, "--out"])
        .arg(&dir)
        .output()
        .unwrap();
    assert!(out.status.success(), "{out:?}");
    let signed = elt_report::SignedReport::from_bytes(std::fs::read(report).unwrap()).unwrap();
    for who in ["assistant", "provider"] {
        let document = std::fs::read(dir.join(format!("{who}-signature.xml"))).unwrap();
        signed
            .verify_signature_document("test", &document, &elt_report::PayloadFormat::default())
            .unwrap();
        let ocsp = std::fs::read(dir.join(format!("{who}-ocsp.der"))).unwrap();
        assert!(elt_report::ocsp::produced_at(&ocsp).is_ok());
    }
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(stdout.contains("not BankID signatures"), "{stdout}");
    assert!(stdout.contains(signed.digest()), "{stdout}");

    let out = Command::new(BIN)
        .args(["test-signatures", "--report", "missing.xml", "--out"])
        .arg(&dir)
        .output()
        .unwrap();
    assert!(!out.status.success());
    assert!(
        String::from_utf8_lossy(&out.stderr).contains("missing.xml"),
        "{out:?}"
    );
}

#[test]
fn serve_refuses_an_unknown_signature_mode() {
    let out = Command::new(BIN)
        .args(["serve", "--certs", ".", "--signatures", "none"])
        .output()
        .unwrap();
    assert!(!out.status.success());
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("strict or lenient"), "{stderr}");
}

#[test]
fn serve_refuses_a_negative_rate() {
    let out = Command::new(BIN)
        .args(["serve", "--certs", ".", "--rate", "-1"])
        .output()
        .unwrap();
    assert!(!out.status.success());
}

#[tokio::test]
async fn serve_checks_signatures_in_the_payload_format_given() {
    let dir = test_dir("serve-payload-format");
    let certs = run_certs(&dir);
    let mut child = KillOnDrop(
        Command::new(BIN)
            .args(["serve", "--listen", "127.0.0.1:0", "--rate", "0"])
            .args([
                "--payload-entry",
                "ELT:{id}:{digest}",
                "--payload-separator",
                "|",
            ])
            .arg("--certs")
            .arg(&dir)
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .unwrap(),
    );
    let stdout = child.0.stdout.take().unwrap();
    let (tx, rx) = mpsc::channel();
    std::thread::spawn(move || {
        let mut line = String::new();
        let _ = BufReader::new(stdout).read_line(&mut line);
        let _ = tx.send(line);
    });
    let line = rx
        .recv_timeout(Duration::from_secs(60))
        .expect("no line on stdout within 60 s");
    let url = format!(
        "{}/shs2/FK.ASE.Tidredovisning.ext",
        line.trim_end()
            .strip_prefix("listening on ")
            .unwrap_or_else(|| panic!("unexpected first line {line:?}"))
            .trim_end_matches("/shs2/FK.ASE.Tidredovisning.ext")
    );
    let format = elt_mock::PayloadFormat {
        entry: "ELT:{id}:{digest}".to_owned(),
        separator: "|".to_owned(),
    };
    let http = common::client(&certs);
    let vendor = common::signed_request_in(common::example_report(), &format);
    let response = common::post(&http, &url, SoapVersion::Soap11, &vendor)
        .await
        .unwrap();
    let a = common::answer(response).await;
    assert_eq!(a.status, 200, "{}", a.body);
    let default = common::signed_request(common::example_report());
    let response = common::post(&http, &url, SoapVersion::Soap11, &default)
        .await
        .unwrap();
    let a = common::answer(response).await;
    assert_eq!(a.status, 500, "{}", a.body);
    assert!(a.body.contains("SignatureValidationError"), "{}", a.body);
    drop(child);
}

#[test]
fn serve_refuses_a_payload_entry_without_its_placeholders() {
    let out = Command::new(BIN)
        .args(["serve", "--certs", ".", "--payload-entry", "{id}"])
        .output()
        .unwrap();
    assert!(!out.status.success());
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("{id} and {digest}"), "{stderr}");
}
