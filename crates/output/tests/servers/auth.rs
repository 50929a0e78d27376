//! Brokers that authenticate: TLS certificates made with openssl, a nats-server requiring
//! client certificates, and one in operator mode with a user's `.creds` file.

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

use crate::servers::{Server, which};

/// A CA and, signed by it, a certificate for a server on 127.0.0.1 and one for a client, made
/// with the openssl tool in `dir`: ca.pem, server.pem/.key, client.pem/.key. `None` (after a
/// loud SKIPPED) when openssl is missing.
pub fn make_pki(dir: &Path) -> Option<()> {
    let script = r#"set -e
openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes -days 2 -subj /CN=saker-test-ca -keyout ca.key -out ca.pem
for who in server client; do
  openssl req -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes -subj /CN=$who -keyout $who.key -out $who.csr
done
printf 'subjectAltName=IP:127.0.0.1,DNS:localhost\nextendedKeyUsage=serverAuth\n' > server.ext
printf 'extendedKeyUsage=clientAuth\n' > client.ext
for who in server client; do
  openssl x509 -req -in $who.csr -CA ca.pem -CAkey ca.key -CAcreateserial -days 2 -extfile $who.ext -out $who.pem
done
"#;
    let status = Command::new("sh")
        .args(["-c", script])
        .current_dir(dir)
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .status();
    match status {
        Ok(s) if s.success() => Some(()),
        other => {
            eprintln!("SKIPPED: TLS test needs the openssl tool ({other:?})");
            None
        }
    }
}

/// `nats-server` requiring TLS with the certificates of [`make_pki`] in `pki`, and a client
/// certificate signed by its CA.
pub fn nats_server_mutual_tls(pki: &Path) -> Option<Server> {
    let Some(binary) = which("nats-server") else {
        eprintln!("SKIPPED: nats-server not installed (apt-get install nats-server)");
        return None;
    };
    let pki = pki.to_path_buf();
    Some(Server::start(binary, move |_, port| {
        let file = |name: &str| pki.join(name).display().to_string();
        vec![
            "-a".into(),
            "127.0.0.1".into(),
            "-p".into(),
            port.to_string(),
            "--tlsverify".into(),
            "--tlscert".into(),
            file("server.pem"),
            "--tlskey".into(),
            file("server.key"),
            "--tlscacert".into(),
            file("ca.pem"),
        ]
    }))
}

/// A JWT as NATS signs them (`alg: ed25519-nkey`): `claims` with `iss` = `issuer`'s key.
fn nats_jwt(issuer: &nkeys::KeyPair, subject: &str, nats: serde_json::Value) -> String {
    use base64::Engine as _;
    let encode = |bytes: &[u8]| base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(bytes);
    let header = encode(br#"{"typ":"JWT","alg":"ed25519-nkey"}"#);
    let claims = serde_json::json!({
        "jti": format!("saker-test-{subject}"),
        "iat": 1_700_000_000u64,
        "iss": issuer.public_key(),
        "name": "saker-test",
        "sub": subject,
        "nats": nats,
    });
    let claims = encode(claims.to_string().as_bytes());
    let signature = issuer
        .sign(format!("{header}.{claims}").as_bytes())
        .unwrap();
    format!("{header}.{claims}.{}", encode(&signature))
}

/// `nats-server` in operator mode (decentralized JWT auth, as NGS and most production
/// setups), with one account; returns it and a user's `.creds` file written in `dir`.
pub fn nats_server_with_credentials(dir: &Path) -> Option<(Server, PathBuf)> {
    let Some(binary) = which("nats-server") else {
        eprintln!("SKIPPED: nats-server not installed (apt-get install nats-server)");
        return None;
    };
    let operator = nkeys::KeyPair::new_operator();
    let account = nkeys::KeyPair::new_account();
    let user = nkeys::KeyPair::new_user();
    let unlimited = serde_json::json!({
        "subs": -1, "conn": -1, "leaf": -1, "imports": -1, "exports": -1,
        "data": -1, "payload": -1, "wildcards": true
    });
    let operator_jwt = nats_jwt(
        &operator,
        &operator.public_key(),
        serde_json::json!({"type": "operator", "version": 2}),
    );
    let account_jwt = nats_jwt(
        &operator,
        &account.public_key(),
        serde_json::json!({"type": "account", "version": 2, "limits": unlimited}),
    );
    let user_jwt = nats_jwt(
        &account,
        &user.public_key(),
        serde_json::json!({"type": "user", "version": 2, "pub": {}, "sub": {},
                           "subs": -1, "data": -1, "payload": -1}),
    );
    let creds = dir.join("saker.creds");
    std::fs::write(
        &creds,
        format!(
            "-----BEGIN NATS USER JWT-----\n{user_jwt}\n------END NATS USER JWT------\n\n\
             -----BEGIN USER NKEY SEED-----\n{}\n------END USER NKEY SEED------\n",
            user.seed().unwrap()
        ),
    )
    .unwrap();
    let config = dir.join("nats.conf");
    let account_key = account.public_key();
    Some((
        Server::start(binary, move |_, port| {
            std::fs::write(
                &config,
                format!(
                    "listen: 127.0.0.1:{port}\noperator: {operator_jwt}\nresolver: MEMORY\n\
                     resolver_preload: {{\n  {account_key}: {account_jwt}\n}}\n"
                ),
            )
            .unwrap();
            vec!["-c".into(), config.display().to_string()]
        }),
        creds,
    ))
}
