//! Mutual TLS against a loopback server that requires a client certificate from its own test
//! CA, as the agency's endpoint does: PKCS#12 and PEM identities work, and TLS failures end in
//! `TransportError::Tls`; one in the handshake, before the request, is retried per the policy.

mod common;

use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Duration;

use common::*;
use elt_soap::{Client, ClientBuilder, Error, RetryPolicy, TransportError};
use rcgen::{
    BasicConstraints, CertificateParams, DnType, ExtendedKeyUsagePurpose, IsCa, Issuer, KeyPair,
    KeyUsagePurpose,
};
use rustls::pki_types::{CertificateDer, PrivateKeyDer, PrivatePkcs8KeyDer};
use tokio::net::TcpListener;
use tokio::task::JoinHandle;

const P12_PASSWORD: &str = "test-password";

/// A test CA with a server certificate for 127.0.0.1 and a client certificate.
struct Pki {
    ca_pem: String,
    server_cert: CertificateDer<'static>,
    server_key: Vec<u8>,
    client_cert_pem: String,
    client_key_pem: String,
    client_p12: Vec<u8>,
}

fn pki() -> Pki {
    let ca_key = KeyPair::generate().expect("key");
    let mut ca = CertificateParams::new(Vec::<String>::new()).expect("params");
    ca.is_ca = IsCa::Ca(BasicConstraints::Unconstrained);
    ca.distinguished_name
        .push(DnType::CommonName, "elt-soap test CA");
    ca.key_usages = vec![KeyUsagePurpose::KeyCertSign, KeyUsagePurpose::CrlSign];
    let ca_cert = ca.self_signed(&ca_key).expect("CA");
    let issuer = Issuer::from_params(&ca, &ca_key);

    let server_key = KeyPair::generate().expect("key");
    let mut server = CertificateParams::new(vec!["127.0.0.1".to_owned()]).expect("params");
    server.extended_key_usages = vec![ExtendedKeyUsagePurpose::ServerAuth];
    let server_cert = server.signed_by(&server_key, &issuer).expect("server cert");

    let client_key = KeyPair::generate().expect("key");
    let mut client = CertificateParams::new(Vec::<String>::new()).expect("params");
    client
        .distinguished_name
        .push(DnType::CommonName, "Testleverantören AB");
    client.extended_key_usages = vec![ExtendedKeyUsagePurpose::ClientAuth];
    let client_cert = client.signed_by(&client_key, &issuer).expect("client cert");

    // A PKCS#12 file like the ones Expisoft issues: key, leaf and CA.
    let chain = p12_keystore::PrivateKeyChain::new(
        b"client".as_slice(),
        p12_keystore::PrivateKey::from_der(&client_key.serialize_der()).expect("key"),
        [
            p12_keystore::Certificate::from_der(client_cert.der()).expect("cert"),
            p12_keystore::Certificate::from_der(ca_cert.der()).expect("cert"),
        ],
    );
    let mut store = p12_keystore::KeyStore::new();
    store.add_entry(
        "client",
        p12_keystore::KeyStoreEntry::PrivateKeyChain(chain),
    );
    let client_p12 = store.writer(P12_PASSWORD).write().expect("p12");

    Pki {
        ca_pem: ca_cert.pem(),
        server_cert: server_cert.der().clone(),
        server_key: server_key.serialize_der(),
        client_cert_pem: client_cert.pem(),
        client_key_pem: client_key.serialize_pem(),
        client_p12,
    }
}

/// An HTTPS server on loopback that requires a client certificate issued by the test CA and
/// answers every request with the example response.
struct TlsServer {
    url: String,
    connections: Arc<AtomicUsize>,
    handshakes: Arc<AtomicUsize>,
    task: JoinHandle<()>,
}

impl Drop for TlsServer {
    fn drop(&mut self) {
        self.task.abort();
    }
}

async fn tls_server(pki: &Pki) -> TlsServer {
    let provider = Arc::new(rustls::crypto::ring::default_provider());
    let mut roots = rustls::RootCertStore::empty();
    let ca_der =
        rustls::pki_types::pem::PemObject::from_pem_slice(pki.ca_pem.as_bytes()).expect("CA PEM");
    roots.add(ca_der).expect("CA");
    let verifier = rustls::server::WebPkiClientVerifier::builder_with_provider(
        Arc::new(roots),
        provider.clone(),
    )
    .build()
    .expect("verifier");
    let config = rustls::ServerConfig::builder_with_provider(provider)
        .with_safe_default_protocol_versions()
        .expect("versions")
        .with_client_cert_verifier(verifier)
        .with_single_cert(
            vec![pki.server_cert.clone()],
            PrivateKeyDer::Pkcs8(PrivatePkcs8KeyDer::from(pki.server_key.clone())),
        )
        .expect("server config");
    let acceptor = tokio_rustls::TlsAcceptor::from(Arc::new(config));
    let listener = TcpListener::bind("127.0.0.1:0").await.expect("bind");
    let addr = listener.local_addr().expect("addr");
    let connections = Arc::new(AtomicUsize::new(0));
    let handshakes = Arc::new(AtomicUsize::new(0));
    let (conns, shakes) = (connections.clone(), handshakes.clone());
    let reply = Reply::Raw(http(
        200,
        "text/xml; charset=utf-8",
        &ok_response_11(),
        false,
    ));
    let task = tokio::spawn(async move {
        while let Ok((tcp, _)) = listener.accept().await {
            conns.fetch_add(1, Ordering::SeqCst);
            let (acceptor, shakes, reply) = (acceptor.clone(), shakes.clone(), reply.clone());
            tokio::spawn(async move {
                if let Ok(tls) = acceptor.accept(tcp).await {
                    shakes.fetch_add(1, Ordering::SeqCst);
                    serve_connection(tls, reply, Default::default()).await;
                }
            });
        }
    });
    TlsServer {
        url: format!("https://{addr}/shs2/FK.ASE.Tidredovisning.ext"),
        connections,
        handshakes,
        task,
    }
}

fn builder(url: &str) -> ClientBuilder {
    Client::builder(url)
        .rate_limit(None)
        .trust_built_in_roots(false)
        .request_timeout(Duration::from_secs(20))
}

#[tokio::test]
async fn mutual_tls_with_a_pkcs12_identity() {
    let pki = pki();
    let server = tls_server(&pki).await;
    let client = builder(&server.url)
        .add_root_ca_pem(pki.ca_pem.as_bytes().to_vec())
        .identity_pkcs12(pki.client_p12.clone(), P12_PASSWORD)
        .build()
        .expect("client");
    let response = client.call(&SKICKA_11, &request()).await.expect("response");
    assert_eq!(response.tx_id, TX_ID);
    assert_eq!(server.handshakes.load(Ordering::SeqCst), 1);
}

#[tokio::test]
async fn mutual_tls_with_a_pem_identity() {
    let pki = pki();
    let server = tls_server(&pki).await;
    let client = builder(&server.url)
        .add_root_ca_pem(pki.ca_pem.as_bytes().to_vec())
        .identity_pem(
            pki.client_cert_pem.as_bytes().to_vec(),
            pki.client_key_pem.as_bytes().to_vec(),
        )
        .build()
        .expect("client");
    let response = client.call(&SKICKA_11, &request()).await.expect("response");
    assert_eq!(response.tx_id, TX_ID);
}

#[tokio::test]
async fn an_untrusted_server_certificate_fails_the_handshake_and_is_retried_per_the_policy() {
    let pki = pki();
    let server = tls_server(&pki).await;
    // Built-in roots only (off here), so the test CA is unknown.
    let client = builder(&server.url)
        .identity_pkcs12(pki.client_p12.clone(), P12_PASSWORD)
        .retry(RetryPolicy::attempts(3))
        .build()
        .expect("client");
    let result = client.call(&SKICKA_11, &request()).await;
    match &result {
        Err(
            e @ Error::Transport(TransportError::Tls {
                attempts: 3,
                handshake: true,
                ..
            }),
        ) => {
            assert!(e.request_not_sent(), "{e}");
            assert!(e.to_string().contains("(3 attempt(s))"), "{e}");
        }
        other => panic!("expected a TLS handshake error after 3 attempts, got {other:?}"),
    }
    // Each attempt connected anew, and none got past the handshake.
    assert_eq!(server.connections.load(Ordering::SeqCst), 3);
    assert_eq!(server.handshakes.load(Ordering::SeqCst), 0);
}

#[tokio::test]
async fn without_a_retry_policy_a_handshake_failure_is_tried_once() {
    let pki = pki();
    let server = tls_server(&pki).await;
    let client = builder(&server.url)
        .identity_pkcs12(pki.client_p12.clone(), P12_PASSWORD)
        .build()
        .expect("client");
    let result = client.call(&SKICKA_11, &request()).await;
    match &result {
        Err(Error::Transport(TransportError::Tls {
            attempts: 1,
            handshake: true,
            ..
        })) => {}
        other => panic!("expected one TLS handshake error, got {other:?}"),
    }
    assert_eq!(server.connections.load(Ordering::SeqCst), 1);
}

#[tokio::test]
async fn a_missing_client_certificate_is_a_tls_error_after_the_handshake_and_not_retried() {
    let pki = pki();
    let server = tls_server(&pki).await;
    let client = builder(&server.url)
        .add_root_ca_pem(pki.ca_pem.as_bytes().to_vec())
        .retry(RetryPolicy::attempts(3))
        .build()
        .expect("client");
    let result = client.call(&SKICKA_11, &request()).await;
    match &result {
        // In TLS 1.3 the server refuses the missing certificate after the client has finished
        // its side of the handshake and may have written the request: that proves nothing,
        // so it is not retried.
        Err(Error::Transport(
            e @ TransportError::Tls {
                attempts: 1,
                handshake: false,
                ..
            },
        )) => assert!(!e.request_not_sent()),
        other => panic!("expected a TLS error after the handshake, got {other:?}"),
    }
    assert_eq!(server.connections.load(Ordering::SeqCst), 1);
    assert_eq!(server.handshakes.load(Ordering::SeqCst), 0);
}
