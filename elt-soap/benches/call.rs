//! One `SkickaTidredovisning` call against the in-process mock on loopback, beside our own code
//! for the same call, to tell how much of a call's time is ours and how much is TLS and HTTP.
//!
//! - `call/full_pooled`: one call through the generated client
//!   (`SkickaTidredovisningResponderPortClient` over `elt_soap::Client`) on a kept-alive mutual
//!   TLS connection, rate limits off in the client and in the mock. This is the round trip:
//!   our serialization, reqwest/hyper, TLS record encryption both ways, loopback, the mock's
//!   hyper server, the mock's parsing and validation, its response, our response parsing.
//! - `call/full_new_connection`: the same with a fresh TCP connection and mutual TLS handshake
//!   for every call (what a client calling once a second sees when the server does not keep
//!   connections alive that long).
//! - `call/ours_client`: the client's share of our code: `write_request` for the request, then
//!   `parse_document` + `parse_envelope` + reading `SkickaTidredovisningResponse` from the
//!   mock's canned response envelope (what `Client::call` does around the HTTP exchange).
//! - `call/ours_server`: the server's share of our code, as the mock does it: parsing the
//!   request envelope, reading `SkickaTidredovisning`, decoding and reading the `Tidredovisning`
//!   document inside it, and writing the response envelope.
//!
//! The mock runs in the same process, so its work is inside `full_*` too. It is counted on our
//! side where it is our code (`ours_server`: the same `elt-soap` envelope code and `elt-types`
//! readers the mock calls) and on the TLS/HTTP side where it is not (rustls, hyper). The
//! summary printed at the end gives `(ours_client + ours_server) / full_pooled` as the share in
//! our code, and `ours_client / full_pooled` alone. Because other work on the machine moves
//! separate measurements apart, the same split is also measured interleaved (each round: one
//! call, then our code for it) and printed after the group.
//!
//! Run with `cargo bench -p elt-soap --bench call -- --warm-up-time 1 --measurement-time 5`.

#![allow(missing_docs)] // criterion_group! generates undocumented items

use std::path::{Path, PathBuf};
use std::time::{Duration, Instant, SystemTime};

use criterion::{Criterion, criterion_group};
use elt_soap::envelope::{Body, parse_envelope, write_request, write_response};
use elt_soap::{Client, SoapVersion};
use elt_types::client::{SKICKA_TIDREDOVISNING, SkickaTidredovisningResponderPortClient};
use elt_types::elt_xml::{self, ParseLimits, parse_document};
use elt_types::service::{
    SKICKA_TIDREDOVISNING_RESPONSE, SignatureType, SkickaTidredovisningResponseType,
    SkickaTidredovisningType,
};
use elt_types::tidredovisning::TIDREDOVISNING;
use elt_types::xmlmime;

const GROUP: &str = "call";

fn workspace() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .expect("workspace root")
        .to_owned()
}

/// Where criterion writes its results: as criterion itself picks it, made explicit so that the
/// summary can read the medians back.
fn criterion_home() -> PathBuf {
    if let Some(home) = std::env::var_os("CRITERION_HOME") {
        PathBuf::from(home)
    } else if let Some(target) = std::env::var_os("CARGO_TARGET_DIR") {
        PathBuf::from(target).join("criterion")
    } else {
        workspace().join("target/criterion")
    }
}

fn bytes(b: &[u8]) -> xmlmime::Base64Binary {
    xmlmime::Base64Binary {
        content_type: None,
        value: b.to_vec().into(),
    }
}

/// The contract's example time report with placeholder signatures (the mock does not verify
/// BankID signatures).
fn request() -> SkickaTidredovisningType {
    let path = workspace().join("wsdl/elt/examples/tidredovisning-1.xml");
    let report = std::fs::read(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    let date = elt_xml::Date::new(
        elt_xml::chrono::NaiveDate::from_ymd_opt(2016, 10, 3).expect("a valid date"),
    );
    let signature = |who: &str| SignatureType {
        signature: bytes(format!("placeholder signature ({who})").as_bytes()),
        ocsp_response: bytes(format!("placeholder OCSP response ({who})").as_bytes()),
        datum_for_signatur: date,
        any: Vec::new(),
    };
    SkickaTidredovisningType {
        tidredovisning: xmlmime::Base64Binary {
            content_type: Some(xmlmime::ContentType::new("text/xml").expect("valid")),
            value: report.into(),
        },
        assistent_signatur: signature("assistant"),
        anordnare_signatur: signature("provider"),
        any: Vec::new(),
    }
}

/// The client's work around the HTTP exchange: serialize, then read the response.
fn ours_client(request: &SkickaTidredovisningType, response: &str) -> String {
    let op = &SKICKA_TIDREDOVISNING;
    let body = write_request(op.version, &op.input, request, &[]).expect("serializes");
    std::hint::black_box(&body);
    let doc = parse_document(response, ParseLimits::default()).expect("well-formed");
    let envelope = parse_envelope(&doc).expect("an envelope");
    let Body::Payload(node) = envelope.body else {
        panic!("a fault")
    };
    assert!(op.output.matches(node));
    op.output.read(node).expect("a response").tx_id
}

/// The mock's work on a request, with the same `elt-soap` and `elt-types` code it calls.
fn ours_server(request_xml: &str, tx_id: &str) -> String {
    let doc = parse_document(request_xml, ParseLimits::default()).expect("well-formed");
    let envelope = parse_envelope(&doc).expect("an envelope");
    let Body::Payload(node) = envelope.body else {
        panic!("a fault")
    };
    let request = SKICKA_TIDREDOVISNING.input.read(node).expect("a request");
    let report = TIDREDOVISNING
        .from_xml_bytes(&request.tidredovisning.value)
        .expect("a valid report");
    std::hint::black_box(&report);
    assert!(!request.assistent_signatur.signature.value.is_empty());
    let response = SkickaTidredovisningResponseType {
        tx_id: tx_id.to_owned(),
        any: Vec::new(),
    };
    write_response(envelope.version, &SKICKA_TIDREDOVISNING_RESPONSE, &response).expect("writes")
}

fn call(c: &mut Criterion) {
    let rt = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .expect("a tokio runtime");
    let dir = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join("elt-soap-bench-call");
    let certs = elt_mock::write_certs(&dir).expect("test certificates");
    let server = rt
        .block_on(elt_mock::start(elt_mock::MockConfig {
            listen: "127.0.0.1:0".parse().expect("an address"),
            certs_dir: certs.dir.clone(),
            rate_per_second: None,
            misbehaviour: Default::default(),
            // Placeholder signatures: this bench is about the transport.
            signatures: elt_mock::SignatureCheck::Lenient,
            payload_format: Default::default(),
        }))
        .expect("the mock starts");
    let p12 = std::fs::read(&certs.client_p12).expect("client.p12");
    let ca = std::fs::read(&certs.ca_cert).expect("ca.pem");

    let pooled = Client::builder(&server.url())
        .identity_pkcs12(p12.clone(), elt_mock::P12_PASSWORD)
        .add_root_ca_pem(ca.clone())
        .trust_built_in_roots(false)
        .request_timeout(Duration::from_secs(10))
        .rate_limit(None)
        .build()
        .expect("a client");
    let pooled = SkickaTidredovisningResponderPortClient::new(pooled);

    // The same TLS settings, but no idle connection is kept: every call connects anew.
    let identity = elt_soap::pkcs12_to_pem(&p12, elt_mock::P12_PASSWORD).expect("PKCS#12");
    let http = reqwest::Client::builder()
        .use_rustls_tls()
        .tls_built_in_root_certs(false)
        .add_root_certificate(reqwest::Certificate::from_pem(&ca).expect("CA PEM"))
        .identity(reqwest::Identity::from_pem(&identity).expect("identity"))
        .pool_max_idle_per_host(0)
        .connect_timeout(Duration::from_secs(10))
        .build()
        .expect("a reqwest client");
    let fresh = Client::builder(&server.url())
        .with_reqwest_client(http)
        .request_timeout(Duration::from_secs(10))
        .rate_limit(None)
        .build()
        .expect("a client");
    let fresh = SkickaTidredovisningResponderPortClient::new(fresh);

    let request = request();
    // One call each before measuring: proves the setup and opens the pooled connection.
    let tx_id = rt
        .block_on(pooled.skicka_tidredovisning(&request))
        .expect("the mock accepts the report")
        .tx_id;
    rt.block_on(fresh.skicka_tidredovisning(&request))
        .expect("the mock accepts the report");

    let op = &SKICKA_TIDREDOVISNING;
    let request_xml = write_request(op.version, &op.input, &request, &[]).expect("serializes");
    // The response exactly as the mock writes it.
    let response_xml = ours_server(&request_xml, &tx_id);
    assert_eq!(ours_client(&request, &response_xml), tx_id);
    assert_eq!(op.version, SoapVersion::Soap11);

    let mut g = c.benchmark_group(GROUP);
    g.bench_function("full_pooled", |b| {
        b.iter(|| {
            rt.block_on(pooled.skicka_tidredovisning(&request))
                .expect("accepted")
        })
    });
    g.bench_function("full_new_connection", |b| {
        b.iter(|| {
            rt.block_on(fresh.skicka_tidredovisning(&request))
                .expect("accepted")
        })
    });
    g.bench_function("ours_client", |b| {
        b.iter(|| ours_client(&request, &response_xml))
    });
    g.bench_function("ours_server", |b| {
        b.iter(|| ours_server(&request_xml, &tx_id))
    });
    g.finish();

    // The same split measured interleaved: each round times one call and then our code for
    // it, so that load from elsewhere on the machine weighs on both alike.
    let mut full = Vec::with_capacity(INTERLEAVED_ROUNDS);
    let mut client = Vec::with_capacity(INTERLEAVED_ROUNDS);
    let mut server_side = Vec::with_capacity(INTERLEAVED_ROUNDS);
    for _ in 0..INTERLEAVED_ROUNDS {
        let t = Instant::now();
        std::hint::black_box(
            rt.block_on(pooled.skicka_tidredovisning(&request))
                .expect("accepted"),
        );
        full.push(t.elapsed());
        let t = Instant::now();
        std::hint::black_box(ours_client(&request, &response_xml));
        client.push(t.elapsed());
        let t = Instant::now();
        std::hint::black_box(ours_server(&request_xml, &tx_id));
        server_side.push(t.elapsed());
    }
    let (full, client, server_side) = (median(full), median(client), median(server_side));
    println!(
        "interleaved, {INTERLEAVED_ROUNDS} rounds: full call {:.1} µs, our code {:.1} µs client \
         + {:.1} µs server: share in our code {:.1} % (client side alone {:.1} %)",
        full * 1e6,
        client * 1e6,
        server_side * 1e6,
        100.0 * (client + server_side) / full,
        100.0 * client / full
    );
    rt.block_on(server.shutdown());
}

/// Rounds of the interleaved measurement.
const INTERLEAVED_ROUNDS: usize = 2000;

/// The median of `samples`, in seconds.
fn median(mut samples: Vec<Duration>) -> f64 {
    samples.sort();
    samples[samples.len() / 2].as_secs_f64()
}

/// The median of `name` in nanoseconds, if criterion measured it in this run.
fn median_ns(name: &str, since: SystemTime) -> Option<f64> {
    let path = criterion_home()
        .join(GROUP)
        .join(name)
        .join("new/estimates.json");
    let fresh = std::fs::metadata(&path)
        .and_then(|m| m.modified())
        .is_ok_and(|t| t >= since);
    if !fresh {
        return None;
    }
    let text = std::fs::read_to_string(&path).ok()?;
    let json: serde_json::Value = serde_json::from_str(&text).ok()?;
    json["median"]["point_estimate"].as_f64()
}

fn summary(since: SystemTime) {
    let get = |name| median_ns(name, since);
    let (Some(full), Some(client), Some(server)) =
        (get("full_pooled"), get("ours_client"), get("ours_server"))
    else {
        println!("share in our code: not computed (run all four benchmarks of the group)");
        return;
    };
    let us = |ns: f64| ns / 1000.0;
    println!();
    println!("medians:");
    println!("  full call, kept-alive connection  {:>9.1} µs", us(full));
    if let Some(fresh) = get("full_new_connection") {
        println!("  full call, new TLS connection     {:>9.1} µs", us(fresh));
    }
    println!("  our code, client side             {:>9.1} µs", us(client));
    println!("  our code, server side (the mock)  {:>9.1} µs", us(server));
    println!(
        "share in our code (client + server) / full call: {:.1} %",
        100.0 * (client + server) / full
    );
    println!(
        "share in our code, client side only / full call: {:.1} %",
        100.0 * client / full
    );
    println!(
        "the rest, {:.1} %, is TLS, HTTP (reqwest/hyper on both sides), the runtime and loopback",
        100.0 * (1.0 - (client + server) / full)
    );
}

criterion_group! {
    name = benches;
    config = Criterion::default().output_directory(&criterion_home());
    targets = call
}

fn main() {
    let started = SystemTime::now();
    benches();
    Criterion::default().configure_from_args().final_summary();
    summary(started);
}
