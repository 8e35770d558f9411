//! Helpers shared by `e2e.rs` and `interop.rs`: the in-process mock on loopback, clients of
//! it, requests built from the contract's fixtures, and child processes with a deadline.

#![allow(dead_code)] // each test crate uses a different part

use std::io::Read;
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};
use std::time::{Duration, Instant};

use elt_mock::{CertPaths, MockConfig, MockServer, SignatureCheck};
use elt_tests::workspace_root;
use elt_types::client::SkickaTidredovisningResponderPortClient;
use elt_types::elt_soap;
use elt_types::elt_xml::{Date, chrono::NaiveDate};
use elt_types::service::{SignatureType, SkickaTidredovisningType};
use elt_types::xmlmime::{Base64Binary, ContentType};

/// Time allowed for connecting (TCP and TLS) to the mock.
pub const CONNECT_TIMEOUT: Duration = Duration::from_secs(5);
/// Time allowed for one whole call to the mock.
pub const CALL_TIMEOUT: Duration = Duration::from_secs(15);

/// A fresh test PKI in a directory of its own under the target directory.
pub fn certs(name: &str) -> CertPaths {
    let dir = PathBuf::from(env!("CARGO_TARGET_TMPDIR"))
        .join("elt-tests")
        .join(name);
    let _ = std::fs::remove_dir_all(&dir);
    elt_mock::write_certs(&dir).expect("writing test certificates")
}

/// A scratch directory of its own under the target directory, emptied.
pub fn scratch(name: &str) -> PathBuf {
    let dir = PathBuf::from(env!("CARGO_TARGET_TMPDIR"))
        .join("elt-tests")
        .join(name);
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).expect("creating a scratch directory");
    dir
}

/// Starts the mock on a free loopback port with `certs`; `rate` calls per second per client,
/// `None` for no limit. Signatures are checked leniently (non-empty only): these tests are
/// about the transport and send placeholder signatures; see [`start_strict_mock`].
pub async fn start_mock(certs: &CertPaths, rate: Option<f64>) -> MockServer {
    start_mock_with(certs, rate, SignatureCheck::Lenient).await
}

/// Starts the mock with its default, strict signature check: each signature document must
/// carry the report's payload.
pub async fn start_strict_mock(certs: &CertPaths, rate: Option<f64>) -> MockServer {
    start_mock_with(certs, rate, SignatureCheck::Strict).await
}

async fn start_mock_with(
    certs: &CertPaths,
    rate: Option<f64>,
    signatures: SignatureCheck,
) -> MockServer {
    elt_mock::start(MockConfig {
        listen: "127.0.0.1:0".parse().unwrap(),
        certs_dir: certs.dir.clone(),
        rate_per_second: rate,
        misbehaviour: Default::default(),
        signatures,
        payload_format: Default::default(),
    })
    .await
    .expect("starting the mock")
}

/// A builder for `url` trusting only `ca` (no built-in roots), with short timeouts and no
/// identity yet.
pub fn builder(url: &str, ca: &Path) -> elt_soap::ClientBuilder {
    elt_soap::Client::builder(url)
        .add_root_ca_pem(std::fs::read(ca).expect("reading ca.pem"))
        .trust_built_in_roots(false)
        .connect_timeout(CONNECT_TIMEOUT)
        .request_timeout(CALL_TIMEOUT)
}

/// The generated client for the mock at `url`, as a vendor configures it: identity
/// `client.p12` (password `elt-mock`), root `ca.pem` only, and the rate limit `rate`.
pub fn client(
    url: &str,
    certs: &CertPaths,
    rate: Option<Duration>,
) -> SkickaTidredovisningResponderPortClient {
    let soap = builder(url, &certs.ca_cert)
        .identity_pkcs12(
            std::fs::read(&certs.client_p12).expect("reading client.p12"),
            elt_mock::P12_PASSWORD,
        )
        .rate_limit(rate)
        .build()
        .expect("building the client");
    SkickaTidredovisningResponderPortClient::new(soap)
}

/// A fixture of `wsdl/elt/examples/`.
pub fn fixture_path(name: &str) -> PathBuf {
    workspace_root().join("wsdl/elt/examples").join(name)
}

/// The exact bytes of a fixture of `wsdl/elt/examples/`.
pub fn fixture(name: &str) -> Vec<u8> {
    let path = fixture_path(name);
    std::fs::read(&path).unwrap_or_else(|e| panic!("reading {}: {e}", path.display()))
}

/// The contract's example time report (invented people, Skatteverket test personnummer).
pub fn example_report() -> Vec<u8> {
    fixture("tidredovisning-1.xml")
}

/// The example report with the personnummer of the person receiving assistance cut to 11
/// digits, which the `Personnummer` pattern refuses.
pub fn invalid_report() -> Vec<u8> {
    let text = String::from_utf8(example_report()).unwrap();
    let bad = text.replacen(
        "<personnummer>191212121212</personnummer>",
        "<personnummer>19121212121</personnummer>",
        1,
    );
    assert_ne!(bad, text, "the example report no longer has 191212121212");
    bad.into_bytes()
}

/// Bytes without a content type.
pub fn bytes(b: &[u8]) -> Base64Binary {
    Base64Binary {
        content_type: None,
        value: b.to_vec().into(),
    }
}

/// A signature with placeholder bytes (the mock does not verify BankID signatures).
pub fn signature(who: &str, day: u32) -> SignatureType {
    SignatureType {
        signature: bytes(format!("placeholder signature of the {who}").as_bytes()),
        ocsp_response: bytes(format!("placeholder OCSP response ({who})").as_bytes()),
        datum_for_signatur: Date::new(NaiveDate::from_ymd_opt(2016, 10, day).unwrap()),
        any: Vec::new(),
    }
}

/// A `SkickaTidredovisning` request carrying exactly `report`, signed (in placeholder) by both.
pub fn request(report: Vec<u8>) -> SkickaTidredovisningType {
    SkickaTidredovisningType {
        tidredovisning: Base64Binary {
            content_type: Some(ContentType::new("text/xml").unwrap()),
            value: report.into(),
        },
        assistent_signatur: signature("assistant", 3),
        anordnare_signatur: signature("provider", 4),
        any: Vec::new(),
    }
}

/// Whether `s` is a UUID in the lower-case hyphenated form (`8-4-4-4-12` hex digits).
pub fn is_lowercase_uuid(s: &str) -> bool {
    s.len() == 36
        && s.char_indices().all(|(i, c)| match i {
            8 | 13 | 18 | 23 => c == '-',
            _ => c.is_ascii_digit() || ('a'..='f').contains(&c),
        })
}

/// Runs `cmd` to its end with stdout and stderr captured; kills it and panics with what it
/// wrote when `timeout` passes first.
pub fn run(cmd: &mut Command, timeout: Duration) -> Output {
    let described = format!("{cmd:?}");
    let mut child = cmd
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap_or_else(|e| panic!("starting {described}: {e}"));
    // Read both pipes while waiting, so that a chatty child cannot block on a full pipe.
    let drain = |pipe: Option<Box<dyn Read + Send>>| {
        std::thread::spawn(move || {
            let mut out = Vec::new();
            if let Some(mut pipe) = pipe {
                let _ = pipe.read_to_end(&mut out);
            }
            out
        })
    };
    let stdout = drain(
        child
            .stdout
            .take()
            .map(|p| Box::new(p) as Box<dyn Read + Send>),
    );
    let stderr = drain(
        child
            .stderr
            .take()
            .map(|p| Box::new(p) as Box<dyn Read + Send>),
    );
    let deadline = Instant::now() + timeout;
    let status = loop {
        match child.try_wait().expect("waiting for the child") {
            Some(status) => break status,
            None if Instant::now() >= deadline => {
                let _ = child.kill();
                let _ = child.wait();
                let out = String::from_utf8_lossy(&stdout.join().unwrap()).into_owned();
                let err = String::from_utf8_lossy(&stderr.join().unwrap()).into_owned();
                panic!(
                    "{described} did not finish within {timeout:?}\nstdout:\n{out}\nstderr:\n{err}"
                );
            }
            None => std::thread::sleep(Duration::from_millis(20)),
        }
    };
    Output {
        status,
        stdout: stdout.join().unwrap(),
        stderr: stderr.join().unwrap(),
    }
}

/// `run` on a blocking thread, so that the in-process mock keeps serving meanwhile.
pub async fn run_beside_the_mock(mut cmd: Command, timeout: Duration) -> Output {
    tokio::task::spawn_blocking(move || run(&mut cmd, timeout))
        .await
        .expect("the child's thread")
}

/// The output of a finished child, for assertion messages.
pub fn describe(out: &Output) -> String {
    format!(
        "{}\nstdout:\n{}\nstderr:\n{}",
        out.status,
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    )
}
