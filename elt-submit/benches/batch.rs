//! A batch through `Submitter::submit_batch` against `elt-mock` over mutual TLS on loopback:
//! throughput and peak memory (VmHWM of this process), to show that memory does not grow with
//! the batch. The mock runs in a child process (this program started again), so its own log of
//! every request does not count.
//!
//! ```sh
//! cargo bench -p elt-submit --bench batch                 # 10,000 reports, rate limit off
//! cargo bench -p elt-submit --bench batch -- limit 60     # 60 reports at the default limit
//! ```
//!
//! Reports are made as they are needed (the example report under a new id, parsed, its digest
//! computed, BankID-shaped signatures built), so the throughput includes that.

use std::io::{BufRead as _, BufReader};
use std::path::PathBuf;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use elt_mock::{Misbehaviour, MockConfig, SignatureCheck};
use elt_submit::testing::{report_id, submission};
use elt_submit::{Journal, Submitter};
use elt_types::client::SkickaTidredovisningResponderPortClient;
use elt_types::elt_soap;

const MOCK_ROLE: &str = "ELT_SUBMIT_BENCH_MOCK";

fn vm_hwm_kib() -> u64 {
    std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|s| {
            s.lines()
                .find_map(|l| l.strip_prefix("VmHWM:"))
                .and_then(|v| v.trim().trim_end_matches("kB").trim().parse().ok())
        })
        .unwrap_or(0)
}

/// The child: serve the mock until stdin closes.
fn serve(certs_dir: PathBuf, rate: Option<f64>) {
    let rt = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(1)
        .enable_all()
        .build()
        .expect("a runtime");
    rt.block_on(async {
        let server = elt_mock::start(MockConfig {
            listen: "127.0.0.1:0".parse().expect("an address"),
            certs_dir,
            rate_per_second: rate,
            misbehaviour: Misbehaviour::default(),
            signatures: SignatureCheck::Strict,
            payload_format: Default::default(),
        })
        .await
        .expect("the mock");
        println!("{}", server.url());
        tokio::task::spawn_blocking(|| {
            let mut sink = String::new();
            while std::io::stdin()
                .read_line(&mut sink)
                .map(|n| n > 0)
                .unwrap_or(false)
            {}
        })
        .await
        .expect("stdin");
        server.shutdown().await;
    });
}

fn main() {
    if let Ok(dir) = std::env::var(MOCK_ROLE) {
        let rate = std::env::var("ELT_SUBMIT_BENCH_RATE")
            .ok()
            .and_then(|r| r.parse().ok());
        serve(PathBuf::from(dir), rate);
        return;
    }
    let args: Vec<String> = std::env::args().collect();
    let limited = args.iter().any(|a| a == "limit");
    let count: u64 = if limited {
        args.iter()
            .skip_while(|a| *a != "limit")
            .nth(1)
            .and_then(|n| n.parse().ok())
            .unwrap_or(60)
    } else {
        10_000
    };

    let dir = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join("elt-submit-bench-batch");
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).expect("a scratch directory");
    let certs = elt_mock::write_certs(&dir.join("certs")).expect("certificates");
    let mut child = Command::new(std::env::current_exe().expect("this program"))
        .env(MOCK_ROLE, &certs.dir)
        // The mock enforces the agency's rate when the client's limit is on.
        .env("ELT_SUBMIT_BENCH_RATE", if limited { "1" } else { "0" })
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .spawn()
        .expect("the mock process");
    let mut url = String::new();
    BufReader::new(child.stdout.take().expect("its stdout"))
        .read_line(&mut url)
        .expect("the mock's URL");
    let url = url.trim().to_owned();

    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("a runtime");
    let soap = {
        let _guard = rt.enter();
        elt_soap::Client::builder(&url)
            .add_root_ca_pem(std::fs::read(&certs.ca_cert).expect("ca.pem"))
            .trust_built_in_roots(false)
            .identity_pkcs12(
                std::fs::read(&certs.client_p12).expect("client.p12"),
                elt_mock::P12_PASSWORD,
            )
            .request_timeout(Duration::from_secs(30))
            .rate_limit(if limited {
                Some(elt_soap::DEFAULT_RATE_LIMIT)
            } else {
                None
            })
            .build()
            .expect("a client")
    };
    let journal = Journal::create(dir.join("journal.sqlite")).expect("a journal");
    let mut submitter = Submitter::new(SkickaTidredovisningResponderPortClient::new(soap), journal);

    let reports = (0..count).map(|n| submission(&report_id(0xba7c, n)));
    let start = Instant::now();
    let mut marks = Vec::new();
    let summary = rt.block_on(submitter.submit_batch(reports, |_, counts| {
        if counts.done == 1
            || counts.done == 1_000
            || counts.done == count
            || counts.done % 2_500 == 0
        {
            marks.push((counts.done, start.elapsed(), vm_hwm_kib()));
        }
    }));
    let elapsed = start.elapsed();
    drop(child.stdin.take());
    let _ = child.wait();

    assert!(summary.stopped.is_none(), "{:?}", summary.stopped);
    assert_eq!(summary.counts.accepted, count, "{:?}", summary.counts);
    println!(
        "{} reports {}: {:.2} s, {:.0} reports/s",
        count,
        if limited {
            "at the default limit (1 call/s)"
        } else {
            "with the rate limit off"
        },
        elapsed.as_secs_f64(),
        count as f64 / elapsed.as_secs_f64()
    );
    for (done, at, hwm) in marks {
        println!(
            "  after {done:>6} reports: {:>8.2} s, peak memory (VmHWM) {:.1} MiB",
            at.as_secs_f64(),
            hwm as f64 / 1024.0
        );
    }
}
