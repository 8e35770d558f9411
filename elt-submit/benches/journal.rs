//! The journal's cost per report (SQLite in WAL mode, `synchronous=FULL`, on this disk) next to
//! the cost of one call against `elt-mock` over mutual TLS on loopback, measured in the same run:
//!
//! - `journal/report`: admit, `sending`, `accepted` for one new report: three durable commits;
//! - `call/mock`: one `SkickaTidredovisning` call, no journal, rate limit off;
//! - `submit/mock`: both, as the submitter does them.
//!
//! `cargo bench -p elt-submit --bench journal`

#![allow(missing_docs)] // criterion_group! generates undocumented items

use std::path::PathBuf;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Duration;

use criterion::{Criterion, criterion_group, criterion_main};
use elt_mock::{Misbehaviour, MockConfig, SignatureCheck};
use elt_submit::testing::{report_id, submission};
use elt_submit::{Finish, Journal, NewReport, Submittable, Submitter};
use elt_types::client::SkickaTidredovisningResponderPortClient;
use elt_types::elt_soap;

fn scratch() -> PathBuf {
    let dir = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join("elt-submit-bench-journal");
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).expect("a scratch directory");
    dir
}

fn bench(c: &mut Criterion) {
    let dir = scratch();
    let counter = AtomicU64::new(0);
    let next_id = || report_id(0xbe4c, counter.fetch_add(1, Ordering::Relaxed));
    let digest = "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08";

    let mut journal = Journal::create(dir.join("journal.sqlite")).expect("a journal");
    c.bench_function("journal/report", |b| {
        b.iter(|| {
            let id = next_id();
            let report = NewReport {
                id: &id,
                digest,
                month: "2026-09",
                person: "191212121212",
                assistant: "201212121212",
            };
            journal.admit(&report).expect("admit");
            let attempt = journal.begin_send(&id).expect("sending");
            journal
                .finish(
                    &id,
                    attempt,
                    Finish::Accepted {
                        tx_id: "14e81789-715d-497b-b63c-eada732800eb",
                        response: b"<SkickaTidredovisningResponse/>",
                    },
                )
                .expect("accepted");
        })
    });
    drop(journal);

    let rt = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .expect("a runtime");
    let certs = elt_mock::write_certs(&dir.join("certs")).expect("certificates");
    let server = rt
        .block_on(elt_mock::start(MockConfig {
            listen: "127.0.0.1:0".parse().expect("an address"),
            certs_dir: certs.dir.clone(),
            rate_per_second: None,
            misbehaviour: Misbehaviour::default(),
            signatures: SignatureCheck::Strict,
            payload_format: Default::default(),
        }))
        .expect("the mock");
    let client = || {
        let _guard = rt.enter();
        let soap = elt_soap::Client::builder(&server.url())
            .add_root_ca_pem(std::fs::read(&certs.ca_cert).expect("ca.pem"))
            .trust_built_in_roots(false)
            .identity_pkcs12(
                std::fs::read(&certs.client_p12).expect("client.p12"),
                elt_mock::P12_PASSWORD,
            )
            .request_timeout(Duration::from_secs(30))
            .rate_limit(None)
            .build()
            .expect("a client");
        SkickaTidredovisningResponderPortClient::new(soap)
    };
    // One request, built once: the call alone is measured.
    let request = submission(&next_id())
        .expect("a report")
        .request()
        .expect("a request");
    let plain = client();
    c.bench_function("call/mock", |b| {
        b.iter(|| {
            rt.block_on(plain.skicka_tidredovisning(&request))
                .expect("accepted")
        })
    });

    let journal = Journal::create(dir.join("submit.sqlite")).expect("a journal");
    let mut submitter = Submitter::new(client(), journal);
    c.bench_function("submit/mock", |b| {
        b.iter_batched(
            || submission(&next_id()).expect("a report"),
            |report| rt.block_on(submitter.submit(&report)).expect("submitted"),
            criterion::BatchSize::SmallInput,
        )
    });
    rt.block_on(server.shutdown());
}

criterion_group! {
    name = benches;
    config = Criterion::default().sample_size(30).measurement_time(Duration::from_secs(5));
    targets = bench
}
criterion_main!(benches);
