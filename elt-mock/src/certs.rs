//! A fresh test PKI: a CA, a server certificate for loopback and a client certificate.
//!
//! Nothing here is secret or long-lived: every call makes new keys. The files are the ones a
//! vendor's test setup needs: PEM for most TLS stacks and a PKCS#12 bundle (`client.p12`) for
//! those (Java, .NET, Python's `requests-pkcs12`) that want one.

use std::path::{Path, PathBuf};
use std::time::{SystemTime, UNIX_EPOCH};

use p12_keystore::{Certificate, KeyStore, KeyStoreEntry, PrivateKey, PrivateKeyChain};
use rcgen::{
    BasicConstraints, CertificateParams, DnType, ExtendedKeyUsagePurpose, IsCa, Issuer, KeyPair,
    KeyUsagePurpose, date_time_ymd,
};

use crate::error::MockError;

/// The password of `client.p12`.
pub const P12_PASSWORD: &str = "elt-mock";

/// The common name (CN) in the subject of the client certificate `write_certs` makes.
pub const CLIENT_COMMON_NAME: &str = "elt-mock test vendor";

const CA_COMMON_NAME: &str = "elt-mock test CA";
const SERVER_COMMON_NAME: &str = "localhost";
const ORGANIZATION: &str = "elt-mock (test certificates, not for production)";
const SERVER_NAMES: [&str; 3] = ["localhost", "127.0.0.1", "::1"];

/// The files of a test PKI in one directory.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CertPaths {
    /// The directory holding the files.
    pub dir: PathBuf,
    /// `ca.pem`: the CA certificate; the server trusts client certificates it issued, and
    /// clients trust the server certificate through it.
    pub ca_cert: PathBuf,
    /// `server.pem`: the server certificate (SANs `localhost`, `127.0.0.1`, `::1`).
    pub server_cert: PathBuf,
    /// `server.key`: the server's private key (PKCS#8 PEM).
    pub server_key: PathBuf,
    /// `client.pem`: the client certificate (CN [`CLIENT_COMMON_NAME`]).
    pub client_cert: PathBuf,
    /// `client.key`: the client's private key (PKCS#8 PEM).
    pub client_key: PathBuf,
    /// `client.p12`: the client key, certificate and CA certificate in PKCS#12 (PBES2 with
    /// AES-256-CBC, HMAC-SHA-256 MAC), password [`P12_PASSWORD`].
    pub client_p12: PathBuf,
}

impl CertPaths {
    /// The file names `write_certs` uses, in `dir` (nothing is read or written).
    pub fn in_dir(dir: &Path) -> Self {
        Self {
            dir: dir.to_path_buf(),
            ca_cert: dir.join("ca.pem"),
            server_cert: dir.join("server.pem"),
            server_key: dir.join("server.key"),
            client_cert: dir.join("client.pem"),
            client_key: dir.join("client.key"),
            client_p12: dir.join("client.p12"),
        }
    }
}

/// Writes a fresh test CA, server certificate and client certificate into `dir` (created if
/// missing; existing files are replaced): `ca.pem`, `server.pem`, `server.key`, `client.pem`,
/// `client.key` and `client.p12`.
pub fn write_certs(dir: &Path) -> Result<CertPaths, MockError> {
    let paths = CertPaths::in_dir(dir);

    let mut ca_params = CertificateParams::new(Vec::<String>::new())?;
    ca_params
        .distinguished_name
        .push(DnType::CommonName, CA_COMMON_NAME);
    ca_params
        .distinguished_name
        .push(DnType::OrganizationName, ORGANIZATION);
    ca_params.is_ca = IsCa::Ca(BasicConstraints::Constrained(0));
    ca_params.key_usages = vec![
        KeyUsagePurpose::KeyCertSign,
        KeyUsagePurpose::CrlSign,
        KeyUsagePurpose::DigitalSignature,
    ];
    set_validity(&mut ca_params);
    let ca_key = KeyPair::generate()?;
    let ca_cert = ca_params.self_signed(&ca_key)?;
    let ca = Issuer::new(ca_params, ca_key);

    let server_names: Vec<String> = SERVER_NAMES.iter().map(|s| s.to_string()).collect();
    let mut server_params = CertificateParams::new(server_names)?;
    server_params
        .distinguished_name
        .push(DnType::CommonName, SERVER_COMMON_NAME);
    server_params
        .distinguished_name
        .push(DnType::OrganizationName, ORGANIZATION);
    server_params.extended_key_usages = vec![ExtendedKeyUsagePurpose::ServerAuth];
    server_params.key_usages = vec![KeyUsagePurpose::DigitalSignature];
    server_params.use_authority_key_identifier_extension = true;
    set_validity(&mut server_params);
    let server_key = KeyPair::generate()?;
    let server_cert = server_params.signed_by(&server_key, &ca)?;

    let mut client_params = CertificateParams::new(Vec::<String>::new())?;
    client_params
        .distinguished_name
        .push(DnType::CommonName, CLIENT_COMMON_NAME);
    client_params
        .distinguished_name
        .push(DnType::OrganizationName, ORGANIZATION);
    client_params.extended_key_usages = vec![ExtendedKeyUsagePurpose::ClientAuth];
    client_params.key_usages = vec![KeyUsagePurpose::DigitalSignature];
    client_params.use_authority_key_identifier_extension = true;
    set_validity(&mut client_params);
    let client_key = KeyPair::generate()?;
    let client_cert = client_params.signed_by(&client_key, &ca)?;

    let p12 = pkcs12(
        client_key.serialized_der(),
        client_cert.der(),
        ca_cert.der(),
    )?;

    std::fs::create_dir_all(dir)
        .map_err(|e| MockError::io(format!("creating {}", dir.display()), e))?;
    write_file(&paths.ca_cert, ca_cert.pem().as_bytes(), false)?;
    write_file(&paths.server_cert, server_cert.pem().as_bytes(), false)?;
    write_file(
        &paths.server_key,
        server_key.serialize_pem().as_bytes(),
        true,
    )?;
    write_file(&paths.client_cert, client_cert.pem().as_bytes(), false)?;
    write_file(
        &paths.client_key,
        client_key.serialize_pem().as_bytes(),
        true,
    )?;
    write_file(&paths.client_p12, &p12, true)?;
    Ok(paths)
}

/// The client key with its certificate chain as PKCS#12, with the crate's modern defaults:
/// PBES2 (PBKDF2-HMAC-SHA-256, AES-256-CBC) and an HMAC-SHA-256 MAC.
fn pkcs12(key_der: &[u8], cert_der: &[u8], ca_der: &[u8]) -> Result<Vec<u8>, MockError> {
    let p12_err = |e: p12_keystore::error::Error| MockError::Pkcs12(e.to_string());
    let key = PrivateKey::from_der(key_der).map_err(p12_err)?;
    let cert = Certificate::from_der(cert_der).map_err(p12_err)?;
    let ca = Certificate::from_der(ca_der).map_err(p12_err)?;
    let chain = PrivateKeyChain::new(CLIENT_COMMON_NAME, key, [cert, ca]);
    let mut store = KeyStore::new();
    store.add_entry(CLIENT_COMMON_NAME, KeyStoreEntry::PrivateKeyChain(chain));
    store
        .writer(P12_PASSWORD)
        .encryption_algorithm(p12_keystore::EncryptionAlgorithm::PbeWithHmacSha256AndAes256)
        .mac_algorithm(p12_keystore::MacAlgorithm::HmacSha256)
        .write()
        .map_err(p12_err)
}

/// Valid from 1 January of last year to 1 January ten years ahead: valid now, and never so far
/// ahead that a strict client refuses it.
fn set_validity(params: &mut CertificateParams) {
    let secs = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map(|d| d.as_secs())
        .unwrap_or(0);
    // Average Gregorian year: exact enough for a window that starts and ends on 1 January.
    let year = 1970 + i32::try_from(secs / 31_556_952).unwrap_or(0);
    params.not_before = date_time_ymd(year - 1, 1, 1);
    params.not_after = date_time_ymd(year + 10, 1, 1);
}

fn write_file(path: &Path, contents: &[u8], private: bool) -> Result<(), MockError> {
    let err = |e| MockError::io(format!("writing {}", path.display()), e);
    std::fs::write(path, contents).map_err(err)?;
    #[cfg(unix)]
    if private {
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(path, std::fs::Permissions::from_mode(0o600)).map_err(err)?;
    }
    #[cfg(not(unix))]
    let _ = private;
    Ok(())
}
