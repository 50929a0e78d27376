//! Loading the web server's certificate: refuse to start on anything doubtful.

use std::path::Path;
use std::sync::Arc;

use rustls::ServerConfig;
use rustls_pki_types::pem::PemObject;
use rustls_pki_types::{CertificateDer, PrivateKeyDer};

use crate::{ServerError, TlsFiles};

pub(crate) fn server_config(files: &TlsFiles) -> Result<Arc<ServerConfig>, ServerError> {
    let cert_path = &files.certificate;
    let key_path = files.private_key.as_deref().unwrap_or(cert_path);
    let error = |what: &'static str, path: &Path, reason: String| ServerError::Tls {
        what,
        path: path.to_path_buf(),
        reason,
    };
    let cert_pem =
        std::fs::read(cert_path).map_err(|e| error("certificate", cert_path, e.to_string()))?;
    let certs: Vec<CertificateDer<'static>> = CertificateDer::pem_slice_iter(&cert_pem)
        .collect::<Result<_, _>>()
        .map_err(|e| error("certificate", cert_path, format!("bad PEM: {e}")))?;
    if certs.is_empty() {
        return Err(error(
            "certificate",
            cert_path,
            "no PEM certificate in the file".to_string(),
        ));
    }
    let key_pem =
        std::fs::read(key_path).map_err(|e| error("private key", key_path, e.to_string()))?;
    let key = PrivateKeyDer::from_pem_slice(&key_pem).map_err(|e| {
        error(
            "private key",
            key_path,
            format!("no usable PEM private key: {e}"),
        )
    })?;
    let provider = Arc::new(rustls::crypto::ring::default_provider());
    let mut config = ServerConfig::builder_with_provider(provider)
        .with_safe_default_protocol_versions()
        .map_err(|e| error("certificate", cert_path, e.to_string()))?
        .with_no_client_auth()
        .with_single_cert(certs, key)
        .map_err(|e| {
            error(
                "certificate",
                cert_path,
                format!("rejected with its key: {e}"),
            )
        })?;
    config.alpn_protocols = vec![b"http/1.1".to_vec()];
    Ok(Arc::new(config))
}
