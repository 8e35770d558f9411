//! HTTP transport: building the reqwest client (rustls, mutual TLS, timeouts), classifying its
//! errors, and reading response bodies under a size cap.

use std::fmt;
use std::time::Duration;

use base64::Engine as _;
use bytes::{Bytes, BytesMut};

use crate::client::Client;
use crate::error::{TransportError, error_chain};
use crate::rate::RateLimiter;
use crate::retry::RetryPolicy;

/// Default time allowed to establish a connection (TCP and TLS).
pub const DEFAULT_CONNECT_TIMEOUT: Duration = Duration::from_secs(10);
/// Default time allowed for a whole call, from sending to the end of the response body.
pub const DEFAULT_REQUEST_TIMEOUT: Duration = Duration::from_secs(60);
/// Default cap on a response body.
pub const DEFAULT_MAX_RESPONSE_BYTES: usize = 16 * 1024 * 1024;
/// Default interval between calls: the agency's rule of about one call per second.
pub const DEFAULT_RATE_LIMIT: Duration = Duration::from_secs(1);

/// Where the client certificate and key come from.
enum IdentitySource {
    Pkcs12 { der: Vec<u8>, password: String },
    Pem { cert_chain: Vec<u8>, key: Vec<u8> },
}

impl fmt::Debug for IdentitySource {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        // Never print key material or the password.
        match self {
            Self::Pkcs12 { der, .. } => write!(f, "Pkcs12({} bytes)", der.len()),
            Self::Pem { cert_chain, .. } => write!(f, "Pem(chain of {} bytes)", cert_chain.len()),
        }
    }
}

/// An error building a [`Client`].
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum BuildError {
    /// The endpoint is not an absolute URL.
    #[error("invalid endpoint URL {url:?}: {message}")]
    InvalidEndpoint {
        /// The URL given.
        url: String,
        /// Why it was refused.
        message: String,
    },
    /// The PKCS#12 file could not be read (wrong password, unsupported encryption, corrupt).
    #[error("could not read the PKCS#12 client identity: {0}")]
    Pkcs12(#[source] p12_keystore::error::Error),
    /// The PKCS#12 file holds no private key together with its certificate.
    #[error("the PKCS#12 file holds no private key with its certificate")]
    Pkcs12NoKey,
    /// The client certificate chain or key could not be used.
    #[error("invalid client identity: {0}")]
    Identity(#[source] reqwest::Error),
    /// An extra root CA is not a PEM certificate.
    #[error("invalid root CA certificate PEM: {0}")]
    RootCertificate(String),
    /// A TLS or connection option was set together with [`ClientBuilder::with_reqwest_client`],
    /// which cannot apply it (the given client is already built).
    #[error("{option} cannot be combined with with_reqwest_client: configure the given client")]
    ConflictingOptions {
        /// The option that cannot apply.
        option: &'static str,
    },
    /// reqwest could not build its client.
    #[error("could not build the HTTP client: {0}")]
    Http(#[source] reqwest::Error),
}

/// Configures a [`Client`]; see [`Client::builder`].
#[derive(Debug)]
pub struct ClientBuilder {
    endpoint: String,
    identity: Option<IdentitySource>,
    root_cas: Vec<Vec<u8>>,
    built_in_roots: Option<bool>,
    connect_timeout: Option<Duration>,
    request_timeout: Duration,
    max_response_bytes: usize,
    rate_limit: Option<Duration>,
    retry: RetryPolicy,
    capture_bodies: bool,
    reqwest_client: Option<reqwest::Client>,
}

impl ClientBuilder {
    pub(crate) fn new(endpoint: &str) -> Self {
        Self {
            endpoint: endpoint.to_owned(),
            identity: None,
            root_cas: Vec::new(),
            built_in_roots: None,
            connect_timeout: None,
            request_timeout: DEFAULT_REQUEST_TIMEOUT,
            max_response_bytes: DEFAULT_MAX_RESPONSE_BYTES,
            rate_limit: Some(DEFAULT_RATE_LIMIT),
            retry: RetryPolicy::none(),
            capture_bodies: false,
            reqwest_client: None,
        }
    }

    /// Client identity from a PKCS#12 file (`.p12`/`.pfx`, as Expisoft issues them): its DER
    /// bytes and password. PBES2 (PBKDF2 with AES) and the legacy RC2/3DES encryptions are
    /// read. It is converted to PEM for rustls when the client is built.
    pub fn identity_pkcs12(mut self, der: impl Into<Vec<u8>>, password: &str) -> Self {
        self.identity = Some(IdentitySource::Pkcs12 {
            der: der.into(),
            password: password.to_owned(),
        });
        self
    }

    /// Client identity from PEM: the certificate chain (leaf first) and the private key
    /// (PKCS#8, PKCS#1 RSA or SEC1 EC).
    pub fn identity_pem(mut self, cert_chain: impl Into<Vec<u8>>, key: impl Into<Vec<u8>>) -> Self {
        self.identity = Some(IdentitySource::Pem {
            cert_chain: cert_chain.into(),
            key: key.into(),
        });
        self
    }

    /// Trusts the CA certificates in `pem` (one or more) for the server's certificate.
    pub fn add_root_ca_pem(mut self, pem: impl Into<Vec<u8>>) -> Self {
        self.root_cas.push(pem.into());
        self
    }

    /// Whether to also trust the built-in (Mozilla) roots; default `true`. Tests that trust
    /// only a mock's CA turn this off.
    pub fn trust_built_in_roots(mut self, trust: bool) -> Self {
        self.built_in_roots = Some(trust);
        self
    }

    /// Time allowed to connect (TCP and TLS handshake); default 10 s.
    pub fn connect_timeout(mut self, timeout: Duration) -> Self {
        self.connect_timeout = Some(timeout);
        self
    }

    /// Time allowed for a whole call, to the end of the response body; default 60 s. It also
    /// applies to a client given with [`Self::with_reqwest_client`].
    pub fn request_timeout(mut self, timeout: Duration) -> Self {
        self.request_timeout = timeout;
        self
    }

    /// Largest response body read, in bytes; default 16 MiB. Larger ones end in
    /// [`Error::ResponseTooLarge`](crate::Error::ResponseTooLarge).
    pub fn max_response_bytes(mut self, limit: usize) -> Self {
        self.max_response_bytes = limit;
        self
    }

    /// Minimum interval between calls, shared by all clones of the client; default one second
    /// (the agency's rule). `None` turns the limit off. Calls go one at a time, each at least
    /// `interval` after the previous one was answered (see [`RateLimiter`] for why).
    pub fn rate_limit(mut self, interval: Option<Duration>) -> Self {
        self.rate_limit = interval.filter(|i| !i.is_zero());
        self
    }

    /// When to retry a call that could not connect; default: never.
    pub fn retry(mut self, policy: RetryPolicy) -> Self {
        self.retry = policy;
        self
    }

    /// Logs raw request and response bodies at DEBUG (target `elt_soap::body`), with
    /// personnummer and base64 payloads redacted; default off.
    pub fn capture_bodies(mut self, capture: bool) -> Self {
        self.capture_bodies = capture;
        self
    }

    /// Uses a reqwest client built by the caller (for proxies, other TLS settings and anything
    /// else this builder does not offer). TLS and connect options of this builder then cannot
    /// apply, and [`Self::build`] refuses them; the request timeout, size cap, rate limit and
    /// retry policy still apply.
    pub fn with_reqwest_client(mut self, client: reqwest::Client) -> Self {
        self.reqwest_client = Some(client);
        self
    }

    /// Builds the client.
    pub fn build(self) -> Result<Client, BuildError> {
        let url = reqwest::Url::parse(&self.endpoint).map_err(|e| BuildError::InvalidEndpoint {
            url: self.endpoint.clone(),
            message: e.to_string(),
        })?;
        if !matches!(url.scheme(), "http" | "https") {
            return Err(BuildError::InvalidEndpoint {
                url: self.endpoint.clone(),
                message: format!("scheme {:?} is not http or https", url.scheme()),
            });
        }
        let http = match self.reqwest_client {
            Some(client) => {
                let conflict = if self.identity.is_some() {
                    Some("a client identity")
                } else if !self.root_cas.is_empty() {
                    Some("an extra root CA")
                } else if self.built_in_roots.is_some() {
                    Some("trust_built_in_roots")
                } else if self.connect_timeout.is_some() {
                    Some("connect_timeout")
                } else {
                    None
                };
                if let Some(option) = conflict {
                    return Err(BuildError::ConflictingOptions { option });
                }
                client
            }
            None => {
                let mut b = reqwest::Client::builder()
                    .use_rustls_tls()
                    .user_agent(concat!("elt-soap/", env!("CARGO_PKG_VERSION")))
                    .connect_timeout(self.connect_timeout.unwrap_or(DEFAULT_CONNECT_TIMEOUT))
                    .tls_built_in_root_certs(self.built_in_roots.unwrap_or(true))
                    // A redirected POST becomes a GET; a SOAP call must never be silently
                    // turned into something else, so a 3xx is reported as it is.
                    .redirect(reqwest::redirect::Policy::none());
                for pem in &self.root_cas {
                    let certs = reqwest::Certificate::from_pem_bundle(pem)
                        .map_err(|e| BuildError::RootCertificate(crate::error::chain(&e)))?;
                    // A file without any certificate would silently trust nothing extra.
                    if certs.is_empty() {
                        return Err(BuildError::RootCertificate(
                            "no CERTIFICATE section found".to_owned(),
                        ));
                    }
                    for cert in certs {
                        b = b.add_root_certificate(cert);
                    }
                }
                if let Some(identity) = &self.identity {
                    b = b.identity(identity_from(identity)?);
                }
                b.build().map_err(BuildError::Http)?
            }
        };
        Ok(Client::from_parts(
            http,
            self.endpoint,
            self.rate_limit.map(RateLimiter::new),
            crate::client::Settings {
                request_timeout: self.request_timeout,
                max_response_bytes: self.max_response_bytes,
                retry: self.retry,
                capture_bodies: self.capture_bodies,
            },
        ))
    }
}

fn identity_from(source: &IdentitySource) -> Result<reqwest::Identity, BuildError> {
    let pem = match source {
        IdentitySource::Pkcs12 { der, password } => pkcs12_to_pem(der, password)?,
        IdentitySource::Pem { cert_chain, key } => {
            // reqwest's rustls backend reads key and chain from one PEM buffer.
            let mut pem = key.clone();
            pem.push(b'\n');
            pem.extend_from_slice(cert_chain);
            pem
        }
    };
    reqwest::Identity::from_pem(&pem).map_err(BuildError::Identity)
}

/// Converts a PKCS#12 file to one PEM buffer: the PKCS#8 private key, then the certificate
/// chain leaf first, as `reqwest::Identity::from_pem` (rustls) reads it.
pub fn pkcs12_to_pem(der: &[u8], password: &str) -> Result<Vec<u8>, BuildError> {
    let store = p12_keystore::KeyStore::from_pkcs12(
        der,
        password,
        p12_keystore::Pkcs12ImportPolicy::Strict,
    )
    .map_err(BuildError::Pkcs12)?;
    let (_alias, chain) = store.private_key_chain().ok_or(BuildError::Pkcs12NoKey)?;
    if chain.certs().is_empty() {
        return Err(BuildError::Pkcs12NoKey);
    }
    let mut pem = String::new();
    push_pem(&mut pem, "PRIVATE KEY", chain.key().as_der());
    for cert in chain.certs() {
        push_pem(&mut pem, "CERTIFICATE", cert.as_der());
    }
    Ok(pem.into_bytes())
}

fn push_pem(out: &mut String, label: &str, der: &[u8]) {
    let b64 = base64::engine::general_purpose::STANDARD.encode(der);
    out.push_str(&format!("-----BEGIN {label}-----\n"));
    // base64 output is ASCII, so 64-byte chunks are whole lines.
    for line in b64.as_bytes().chunks(64) {
        out.push_str(&String::from_utf8_lossy(line));
        out.push('\n');
    }
    out.push_str(&format!("-----END {label}-----\n"));
}

/// Sorts a reqwest error by what it means for the request; `attempts` is how many connects
/// were tried.
pub(crate) fn classify(error: reqwest::Error, attempts: u32) -> TransportError {
    let tls = error_chain(&error).any(|e| e.is::<rustls::Error>());
    if tls {
        TransportError::Tls {
            attempts,
            // An error of the connector arose while connecting (TCP, then the TLS handshake),
            // before the request could be written; any later TLS error may follow it.
            handshake: error.is_connect(),
            source: error,
        }
    } else if error.is_connect() {
        // The error arose inside the connector, before any request byte was written.
        TransportError::Connect {
            attempts,
            source: error,
        }
    } else if error.is_timeout() {
        TransportError::Timeout { source: error }
    } else {
        TransportError::Other { source: error }
    }
}

/// How reading a response body ended, when it did not end well.
pub(crate) enum ReadError {
    /// Past the cap.
    TooLarge,
    /// The request timeout passed while reading.
    Timeout(reqwest::Error),
    /// The body broke off (connection closed early, bad chunked encoding); what came is kept.
    Broken(reqwest::Error, Bytes),
}

/// Reads the body, stopping as soon as it is known to exceed `limit` bytes.
pub(crate) async fn read_capped(
    response: &mut reqwest::Response,
    limit: usize,
) -> Result<Bytes, ReadError> {
    // A declared length over the cap is refused before reading anything.
    if response
        .content_length()
        .is_some_and(|len| len > limit as u64)
    {
        return Err(ReadError::TooLarge);
    }
    let initial = response
        .content_length()
        .map_or(0, |len| (len as usize).min(limit));
    let mut body = BytesMut::with_capacity(initial);
    loop {
        match response.chunk().await {
            Ok(Some(chunk)) => {
                if body.len() + chunk.len() > limit {
                    return Err(ReadError::TooLarge);
                }
                body.extend_from_slice(&chunk);
            }
            Ok(None) => return Ok(body.freeze()),
            Err(e) if e.is_timeout() => return Err(ReadError::Timeout(e)),
            Err(e) => return Err(ReadError::Broken(e, body.freeze())),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn p12(alg: p12_keystore::EncryptionAlgorithm) -> Vec<u8> {
        let key = rcgen::KeyPair::generate().unwrap();
        let cert = rcgen::CertificateParams::new(vec!["vendor.test".to_owned()])
            .unwrap()
            .self_signed(&key)
            .unwrap();
        let chain = p12_keystore::PrivateKeyChain::new(
            b"id".as_slice(),
            p12_keystore::PrivateKey::from_der(&key.serialize_der()).unwrap(),
            [p12_keystore::Certificate::from_der(cert.der()).unwrap()],
        );
        let mut store = p12_keystore::KeyStore::new();
        store.add_entry(
            "vendor",
            p12_keystore::KeyStoreEntry::PrivateKeyChain(chain),
        );
        store
            .writer("hemligt")
            .encryption_algorithm(alg)
            .write()
            .unwrap()
    }

    #[test]
    fn pkcs12_converts_for_every_encryption() {
        for alg in [
            p12_keystore::EncryptionAlgorithm::PbeWithHmacSha256AndAes256,
            p12_keystore::EncryptionAlgorithm::PbeWithShaAnd3KeyTripleDesCbc,
            p12_keystore::EncryptionAlgorithm::PbeWithShaAnd40BitRc4Cbc,
        ] {
            let der = p12(alg);
            let pem = pkcs12_to_pem(&der, "hemligt").unwrap();
            let text = String::from_utf8(pem.clone()).unwrap();
            assert!(text.starts_with("-----BEGIN PRIVATE KEY-----\n"), "{alg:?}");
            assert_eq!(text.matches("-----BEGIN CERTIFICATE-----").count(), 1);
            reqwest::Identity::from_pem(&pem).unwrap();
            Client::builder("https://example.test/")
                .identity_pkcs12(der, "hemligt")
                .build()
                .unwrap();
        }
    }

    #[test]
    fn pkcs12_wrong_password_is_an_error() {
        let der = p12(p12_keystore::EncryptionAlgorithm::PbeWithHmacSha256AndAes256);
        let err = Client::builder("https://example.test/")
            .identity_pkcs12(der, "fel")
            .build()
            .unwrap_err();
        assert!(matches!(err, BuildError::Pkcs12(_)), "{err}");
        assert!(pkcs12_to_pem(b"not a pkcs12 file", "x").is_err());
    }

    #[test]
    fn refuses_bad_endpoints_and_conflicts() {
        let err = Client::builder("not a url").build().unwrap_err();
        assert!(matches!(err, BuildError::InvalidEndpoint { .. }), "{err}");
        let err = Client::builder("ftp://example.test/").build().unwrap_err();
        assert!(matches!(err, BuildError::InvalidEndpoint { .. }), "{err}");
        let err = Client::builder("https://example.test/")
            .with_reqwest_client(reqwest::Client::new())
            .identity_pem(Vec::new(), Vec::new())
            .build()
            .unwrap_err();
        assert!(
            matches!(err, BuildError::ConflictingOptions { .. }),
            "{err}"
        );
        let err = Client::builder("https://example.test/")
            .add_root_ca_pem(b"garbage".to_vec())
            .build()
            .unwrap_err();
        assert!(matches!(err, BuildError::RootCertificate(_)), "{err}");
    }
}
