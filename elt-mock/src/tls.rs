//! The server side of mutual TLS: the server certificate, and client certificates required and
//! verified against the test CA.

use std::path::Path;
use std::sync::Arc;

use rustls::RootCertStore;
use rustls::ServerConfig;
use rustls::pki_types::pem::PemObject;
use rustls::pki_types::{CertificateDer, PrivateKeyDer};
use rustls::server::WebPkiClientVerifier;

use crate::certs::CertPaths;
use crate::error::MockError;

/// A rustls server configuration from the files in `paths`: the server presents `server.pem`
/// with `server.key`, and every client must present a certificate issued by `ca.pem`, or the
/// handshake fails. Only HTTP/1.1 is offered over ALPN.
pub(crate) fn server_config(paths: &CertPaths) -> Result<Arc<ServerConfig>, MockError> {
    let provider = Arc::new(rustls::crypto::ring::default_provider());

    let mut roots = RootCertStore::empty();
    for ca in read_certs(&paths.ca_cert)? {
        roots.add(ca).map_err(|e| MockError::Pem {
            path: paths.ca_cert.clone(),
            message: format!("not a usable CA certificate: {e}"),
        })?;
    }
    let verifier = WebPkiClientVerifier::builder_with_provider(Arc::new(roots), provider.clone())
        .build()
        .map_err(|e| MockError::Tls(format!("client certificate verifier: {e}")))?;

    let chain = read_certs(&paths.server_cert)?;
    let key = PrivateKeyDer::from_pem_file(&paths.server_key).map_err(|e| MockError::Pem {
        path: paths.server_key.clone(),
        message: format!("no private key: {e}"),
    })?;

    let mut config = ServerConfig::builder_with_provider(provider)
        .with_safe_default_protocol_versions()
        .map_err(|e| MockError::Tls(e.to_string()))?
        .with_client_cert_verifier(verifier)
        .with_single_cert(chain, key)
        .map_err(|e| MockError::Tls(format!("server certificate and key: {e}")))?;
    config.alpn_protocols = vec![b"http/1.1".to_vec()];
    Ok(Arc::new(config))
}

/// Every certificate in a PEM file; an error if there is none.
fn read_certs(path: &Path) -> Result<Vec<CertificateDer<'static>>, MockError> {
    let pem_err = |message: String| MockError::Pem {
        path: path.to_path_buf(),
        message,
    };
    let certs = CertificateDer::pem_file_iter(path)
        .map_err(|e| pem_err(format!("cannot read: {e}")))?
        .collect::<Result<Vec<_>, _>>()
        .map_err(|e| pem_err(format!("not PEM: {e}")))?;
    if certs.is_empty() {
        return Err(pem_err("no certificate in the file".into()));
    }
    Ok(certs)
}

/// The subject of the client's certificate (e.g. `CN=elt-mock test vendor, O=...`), if it
/// presented one that can be parsed.
pub(crate) fn client_subject(conn: &rustls::ServerConnection) -> Option<String> {
    let leaf = conn.peer_certificates()?.first()?;
    let (_, cert) = x509_parser::parse_x509_certificate(leaf.as_ref()).ok()?;
    Some(cert.subject().to_string())
}
