//! Finding credentials exposed in a process's environment or command line. Pure logic over
//! strings: the caller reads environ/cmdline and decides how to show what is found.
//!
//! Two kinds of evidence are used: the *shape of a value* (AWS access key ids, JWTs, PEM
//! private keys, URLs with `user:password@`, GitHub/Slack/Google API tokens), which is
//! trusted whatever the name; and the *name* of a variable or option (`*PASSWORD*`,
//! `*SECRET*`, `*TOKEN*`, cloud credential variables), with weaker names (`*KEY*`, `*AUTH*`,
//! ...) only counting when the value looks random (high entropy).

use std::fmt;
use std::ops::Range;

/// Why a value was reported.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum SecretKind {
    AwsAccessKeyId,
    Jwt,
    PemPrivateKey,
    UrlCredentials,
    GithubToken,
    SlackToken,
    GoogleApiKey,
    /// A well-known cloud credential variable (AWS_SECRET_ACCESS_KEY, AZURE_CLIENT_SECRET, ...).
    CloudCredential,
    /// A name such as `*PASSWORD*`, `*SECRET*`, `*TOKEN*`, `*API_KEY*`.
    SecretName,
    /// A random-looking value under a name such as `*KEY*` or `*AUTH*`.
    HighEntropy,
}

impl SecretKind {
    /// Stable kebab-case name used in output and JSON.
    pub fn name(self) -> &'static str {
        match self {
            SecretKind::AwsAccessKeyId => "aws-access-key-id",
            SecretKind::Jwt => "jwt",
            SecretKind::PemPrivateKey => "pem-private-key",
            SecretKind::UrlCredentials => "url-credentials",
            SecretKind::GithubToken => "github-token",
            SecretKind::SlackToken => "slack-token",
            SecretKind::GoogleApiKey => "google-api-key",
            SecretKind::CloudCredential => "cloud-credential",
            SecretKind::SecretName => "secret-name",
            SecretKind::HighEntropy => "high-entropy",
        }
    }
}

impl fmt::Display for SecretKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// One exposed credential.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Finding {
    pub kind: SecretKind,
    /// The variable name, the option name (`--db-password`), or `argv[N]` for a bare argument.
    pub name: String,
    /// The whole value as found.
    pub value: String,
    /// The part of `value` that is secret (for a URL, only the password).
    pub secret: Range<usize>,
}

impl Finding {
    /// The value with its secret part masked: the first two characters kept and `**` in place
    /// of the rest (`55**`), so the length is not revealed either. Secrets shorter than four
    /// characters are masked entirely.
    pub fn masked(&self) -> String {
        let secret = &self.value[self.secret.clone()];
        let keep: String = if secret.chars().count() >= 4 {
            secret.chars().take(2).collect()
        } else {
            String::new()
        };
        format!(
            "{}{keep}**{}",
            &self.value[..self.secret.start],
            &self.value[self.secret.end..]
        )
    }
}

/// Checks one environment variable.
pub fn scan_env_var(name: &str, value: &str) -> Option<Finding> {
    if value.is_empty() {
        return None;
    }
    let whole = 0..value.len();
    if let Some((kind, secret)) = value_shape(value) {
        return Some(finding(kind, name, value, secret));
    }
    name_verdict(name, value).map(|kind| finding(kind, name, value, whole))
}

/// Checks a command line: every argument for value shapes, `--secret-option=value` and
/// `--secret-option value` pairs, and `NAME=value` arguments (as passed to `env`).
pub fn scan_cmdline(args: &[String]) -> Vec<Finding> {
    let mut out = Vec::new();
    let mut i = 1; // argv[0] is the program
    while i < args.len() {
        let arg = &args[i];
        if let Some(option) = arg.strip_prefix("--").or_else(|| arg.strip_prefix('-'))
            && !option.is_empty()
        {
            let (opt_name, inline) = match option.split_once('=') {
                Some((n, v)) => (n, Some(v)),
                None => (option, None),
            };
            let opt_display = &arg[..arg.len() - inline.map_or(0, |v| v.len() + 1)];
            let (value, consumed_next) = match inline {
                Some(v) => (Some(v), false),
                None => (
                    args.get(i + 1)
                        .map(String::as_str)
                        .filter(|v| !v.starts_with('-')),
                    true,
                ),
            };
            if let Some(value) = value
                && !value.is_empty()
            {
                if let Some((kind, secret)) = value_shape(value) {
                    out.push(finding(kind, opt_display, value, secret));
                    i += 1 + usize::from(consumed_next);
                    continue;
                }
                if let Some(kind) = name_verdict(opt_name, value) {
                    out.push(finding(kind, opt_display, value, 0..value.len()));
                    i += 1 + usize::from(consumed_next);
                    continue;
                }
            }
        } else if let Some((name, value)) = arg.split_once('=')
            && is_identifier(name)
            && let Some(f) = scan_env_var(name, value)
        {
            out.push(f);
            i += 1;
            continue;
        }
        if let Some((kind, secret)) = value_shape(arg) {
            out.push(finding(kind, &format!("argv[{i}]"), arg, secret));
        }
        i += 1;
    }
    out
}

fn finding(kind: SecretKind, name: &str, value: &str, secret: Range<usize>) -> Finding {
    Finding {
        kind,
        name: name.to_string(),
        value: value.to_string(),
        secret,
    }
}

fn is_identifier(s: &str) -> bool {
    !s.is_empty()
        && s.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'_')
        && !s.as_bytes()[0].is_ascii_digit()
}

/// Exact names of cloud provider credential variables.
const CLOUD_CREDENTIAL_VARS: &[&str] = &[
    "AWS_ACCESS_KEY_ID",
    "AWS_SECRET_ACCESS_KEY",
    "AWS_SESSION_TOKEN",
    "AWS_SECURITY_TOKEN",
    "GOOGLE_APPLICATION_CREDENTIALS",
    "GOOGLE_CREDENTIALS",
    "GOOGLE_API_KEY",
    "CLOUDSDK_AUTH_ACCESS_TOKEN",
    "AZURE_CLIENT_SECRET",
    "AZURE_CLIENT_CERTIFICATE_PASSWORD",
    "AZURE_STORAGE_KEY",
    "AZURE_STORAGE_ACCESS_KEY",
    "AZURE_STORAGE_CONNECTION_STRING",
    "AZURE_STORAGE_SAS_TOKEN",
    "ARM_CLIENT_SECRET",
];

/// Name words that on their own say "this is a secret".
const STRONG_WORDS: &[&str] = &[
    "SECRET",
    "PASSWORD",
    "PASSWD",
    "TOKEN",
    "APIKEY",
    "PRIVATEKEY",
    "ACCESSKEY",
    "SECRETKEY",
    "CREDENTIALS",
    "CREDENTIAL",
    "PASSPHRASE",
];

/// Name words that only count together with a random-looking value.
const WEAK_WORDS: &[&str] = &[
    "KEY",
    "AUTH",
    "PASS",
    "PWD",
    "CRED",
    "CREDS",
    "PRIVATE",
    "SIGNATURE",
    "SALT",
    "COOKIE",
    "SESSION",
    "CONNECTIONSTRING",
    "DSN",
];

/// Values that are settings rather than secrets even under a secret-like name.
const PLACEHOLDERS: &[&str] = &[
    "true",
    "false",
    "yes",
    "no",
    "on",
    "off",
    "none",
    "null",
    "0",
    "1",
    "changeme",
    "xxx",
    "<redacted>",
    "redacted",
    "***",
];

/// Judges a name (variable or option) and its value; `None` if not a secret. Runs for every
/// environment variable of every process, so it does not allocate.
fn name_verdict(name: &str, value: &str) -> Option<SecretKind> {
    let name = name.trim_start_matches('-');
    if CLOUD_CREDENTIAL_VARS
        .iter()
        .any(|v| v.eq_ignore_ascii_case(name))
    {
        return Some(SecretKind::CloudCredential);
    }
    let ends_with = |suffix: &str| {
        name.len() >= suffix.len()
            && name.as_bytes()[name.len() - suffix.len()..].eq_ignore_ascii_case(suffix.as_bytes())
    };
    // Docker/Kubernetes secrets convention: `*_PASSWORD_FILE=/run/secrets/x` names a file.
    let references_file = ["_FILE", "_PATH", "_DIR", "-FILE", "-PATH", "-DIR"]
        .iter()
        .any(|s| ends_with(s));
    if references_file || name.eq_ignore_ascii_case("PWD") || name.eq_ignore_ascii_case("OLDPWD") {
        return None;
    }
    if PLACEHOLDERS.iter().any(|p| value.eq_ignore_ascii_case(p)) || value.starts_with("${") {
        return None;
    }
    let words = || name.split(['_', '-', '.']).filter(|w| !w.is_empty());
    let is = |w: &str, list: &[&str]| list.iter().any(|x| x.eq_ignore_ascii_case(w));
    let contains = |w: &str, needle: &str| {
        w.len() >= needle.len()
            && w.as_bytes()
                .windows(needle.len())
                .any(|win| win.eq_ignore_ascii_case(needle.as_bytes()))
    };
    let strong_word = |w: &str| {
        is(w, STRONG_WORDS)
            || ["PASSWORD", "PASSWD", "SECRET", "TOKEN"]
                .iter()
                .any(|n| contains(w, n))
    };
    // Adjacent pairs count as one word: API_KEY is APIKEY.
    let strong_pair = |a: &str, b: &str| {
        STRONG_WORDS.iter().any(|s| {
            s.len() == a.len() + b.len()
                && s[..a.len()].eq_ignore_ascii_case(a)
                && s[a.len()..].eq_ignore_ascii_case(b)
        })
    };
    let mut prev: Option<&str> = None;
    let mut weak = false;
    for w in words() {
        if strong_word(w) || prev.is_some_and(|p| strong_pair(p, w)) {
            return Some(SecretKind::SecretName);
        }
        weak |= is(w, WEAK_WORDS);
        prev = Some(w);
    }
    if weak && looks_random(value) {
        return Some(SecretKind::HighEntropy);
    }
    None
}

/// True for a value that looks like generated key material: long enough, no spaces, not a
/// path, and a Shannon entropy of at least 3.5 bits per character over at least two
/// character classes.
pub fn looks_random(value: &str) -> bool {
    if value.len() < 16 || value.contains(char::is_whitespace) || value.starts_with('/') {
        return false;
    }
    let classes = [
        value.bytes().any(|b| b.is_ascii_lowercase()),
        value.bytes().any(|b| b.is_ascii_uppercase()),
        value.bytes().any(|b| b.is_ascii_digit()),
    ];
    if classes.iter().filter(|&&c| c).count() < 2 {
        return false;
    }
    shannon_entropy(value.as_bytes()) >= 3.5
}

/// Bits per byte of `data`.
pub fn shannon_entropy(data: &[u8]) -> f64 {
    if data.is_empty() {
        return 0.0;
    }
    let mut counts = [0u32; 256];
    for &b in data {
        counts[b as usize] += 1;
    }
    let n = data.len() as f64;
    counts
        .iter()
        .filter(|&&c| c > 0)
        .map(|&c| {
            let p = f64::from(c) / n;
            -p * p.log2()
        })
        .sum()
}

/// Recognizes values by shape; returns the kind and the secret part of the value.
fn value_shape(value: &str) -> Option<(SecretKind, Range<usize>)> {
    let whole = 0..value.len();
    if value.len() >= 30 && value.contains("-----BEGIN") && value.contains("PRIVATE KEY-----") {
        return Some((SecretKind::PemPrivateKey, whole));
    }
    if let Some(secret) = url_password(value) {
        return Some((SecretKind::UrlCredentials, secret));
    }
    // Every token shape below is at least 20 characters long.
    if value.len() < 20 {
        return None;
    }
    find_token(value)
}

/// Token shapes, tried on each run of token characters, in order of precedence.
/// Recognizes one token shape.
type ShapeTest = fn(&str) -> bool;

const TOKEN_SHAPES: [(SecretKind, ShapeTest); 5] = [
    (SecretKind::AwsAccessKeyId, is_aws_access_key_id),
    (SecretKind::Jwt, is_jwt),
    (SecretKind::GithubToken, is_github_token),
    (SecretKind::SlackToken, is_slack_token),
    (SecretKind::GoogleApiKey, is_google_api_key),
];

/// Finds the first run of token characters (`[A-Za-z0-9_.-]`) in `value` with a known shape.
/// One pass over the value; runs shorter than 20 characters cannot match and are skipped.
fn find_token(value: &str) -> Option<(SecretKind, Range<usize>)> {
    let bytes = value.as_bytes();
    let is_tok = |b: u8| b.is_ascii_alphanumeric() || b == b'_' || b == b'-' || b == b'.';
    let mut best: Option<(usize, SecretKind, Range<usize>)> = None;
    let mut i = 0;
    while i < bytes.len() {
        if !is_tok(bytes[i]) {
            i += 1;
            continue;
        }
        let start = i;
        while i < bytes.len() && is_tok(bytes[i]) {
            i += 1;
        }
        if i - start < 20 {
            continue;
        }
        // Trailing dots belong to the sentence, not the token.
        let token = value[start..i].trim_end_matches('.');
        for (rank, (kind, pred)) in TOKEN_SHAPES.iter().enumerate() {
            if pred(token) && best.as_ref().is_none_or(|(r, _, _)| rank < *r) {
                best = Some((rank, *kind, start..start + token.len()));
            }
        }
        if best.as_ref().is_some_and(|(r, _, _)| *r == 0) {
            break;
        }
    }
    best.map(|(_, kind, range)| (kind, range))
}

/// `AKIA` (long-term) or `ASIA` (temporary) and friends, then 16 upper-case base-32 characters.
fn is_aws_access_key_id(t: &str) -> bool {
    const PREFIXES: [&str; 8] = [
        "AKIA", "ASIA", "AGPA", "AIDA", "AROA", "ANPA", "ANVA", "AIPA",
    ];
    t.len() == 20
        && PREFIXES.iter().any(|p| t.starts_with(p))
        && t.bytes()
            .all(|b| b.is_ascii_uppercase() || b.is_ascii_digit())
}

/// Three base64url parts, the first two being JSON objects (`eyJ` = base64 of `{"`).
fn is_jwt(t: &str) -> bool {
    let parts: Vec<&str> = t.split('.').collect();
    parts.len() == 3
        && parts[0].starts_with("eyJ")
        && parts[1].starts_with("eyJ")
        && parts[0].len() >= 10
        && parts[1].len() >= 10
        && parts.iter().all(|p| {
            p.bytes()
                .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
        })
}

/// `ghp_`, `gho_`, `ghu_`, `ghs_`, `ghr_` + 36 alphanumerics, or `github_pat_...`.
fn is_github_token(t: &str) -> bool {
    let classic = ["ghp_", "gho_", "ghu_", "ghs_", "ghr_"]
        .iter()
        .any(|p| t.starts_with(p))
        && t.len() >= 40
        && t[4..].bytes().all(|b| b.is_ascii_alphanumeric());
    classic || (t.starts_with("github_pat_") && t.len() >= 40)
}

/// `xoxb-`, `xoxp-`, `xoxa-`, `xoxr-`, `xoxs-` tokens.
fn is_slack_token(t: &str) -> bool {
    ["xoxb-", "xoxp-", "xoxa-", "xoxr-", "xoxs-"]
        .iter()
        .any(|p| t.starts_with(p))
        && t.len() >= 20
}

/// `AIza` + 35 characters.
fn is_google_api_key(t: &str) -> bool {
    t.len() == 39 && t.starts_with("AIza")
}

/// `scheme://user:password@host...`: the byte range of the password.
fn url_password(value: &str) -> Option<Range<usize>> {
    let scheme_end = value.find("://")?;
    let scheme = &value[..scheme_end];
    if scheme.is_empty()
        || !scheme
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'+' || b == b'-' || b == b'.')
    {
        return None;
    }
    let auth_start = scheme_end + 3;
    let rest = &value[auth_start..];
    // The authority ends at the first '/', '?' or '#'; userinfo ends at its last '@'.
    let authority_end = rest.find(['/', '?', '#']).unwrap_or(rest.len());
    let authority = &rest[..authority_end];
    let at = authority.rfind('@')?;
    let userinfo = &authority[..at];
    let colon = userinfo.find(':')?;
    let password = &userinfo[colon + 1..];
    if password.is_empty() {
        return None;
    }
    let start = auth_start + colon + 1;
    Some(start..start + password.len())
}

#[cfg(test)]
mod tests {
    use super::*;

    /// `check_env(name, value, expect)`: expect is `None` for "clean", or the kind and the
    /// masked rendering.
    fn check_env(name: &str, value: &str, expect: Option<(SecretKind, &str)>) {
        let got = scan_env_var(name, value).map(|f| (f.kind, f.masked()));
        let expect = expect.map(|(k, m)| (k, m.to_string()));
        assert_eq!(got, expect, "{name}={value}");
    }

    type EnvCase<'a> = (&'a str, &'a str, Option<(SecretKind, &'a str)>);

    #[test]
    fn env_findings() {
        use SecretKind::*;
        let jwt = "eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiIxMjM0NTY3ODkwIn0.dozjgNryP4J3jVmNHl0w5N_XgL0n3I9PlFUP0THsR8U";
        let cases: &[EnvCase] = &[
            ("MY_API_TOKEN", "5555", Some((SecretName, "55**"))),
            ("DB_PASSWORD", "hunter2", Some((SecretName, "hu**"))),
            ("PGPASSWORD", "abc", Some((SecretName, "**"))),
            ("MYSQL_ROOT_PASSWORD", "s3cr3t!", Some((SecretName, "s3**"))),
            ("APP_SECRET", "x-y-z-w", Some((SecretName, "x-**"))),
            ("STRIPE_API_KEY", "whatever1", Some((SecretName, "wh**"))),
            ("api-key", "whatever1", Some((SecretName, "wh**"))),
            (
                "SSH_PRIVATE_KEY",
                "/dev/null-ish",
                Some((SecretName, "/d**")),
            ),
            (
                "AWS_SECRET_ACCESS_KEY",
                "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY",
                Some((CloudCredential, "wJ**")),
            ),
            (
                "AWS_SESSION_TOKEN",
                "FwoGZXIvYXdzEJr",
                Some((CloudCredential, "Fw**")),
            ),
            (
                "GOOGLE_APPLICATION_CREDENTIALS",
                "/etc/gcp/sa.json",
                Some((CloudCredential, "/e**")),
            ),
            (
                "AZURE_CLIENT_SECRET",
                "Q~8Q8~abc",
                Some((CloudCredential, "Q~**")),
            ),
            (
                "AWS_ACCESS_KEY_ID",
                "AKIAIOSFODNN7EXAMPLE",
                Some((AwsAccessKeyId, "AK**")),
            ),
            (
                "SOME_VAR",
                "AKIAIOSFODNN7EXAMPLE",
                Some((AwsAccessKeyId, "AK**")),
            ),
            (
                "OPTS",
                "--key AKIAIOSFODNN7EXAMPLE.",
                Some((AwsAccessKeyId, "--key AK**.")),
            ),
            (
                "AUTH_HEADER",
                &format!("Bearer {jwt}"),
                Some((Jwt, "Bearer ey**")),
            ),
            (
                "DATABASE_URL",
                "postgres://admin:hunter2@db.internal:5432/app",
                Some((UrlCredentials, "postgres://admin:hu**@db.internal:5432/app")),
            ),
            (
                "REDIS",
                "redis://:pa55word@redis:6379",
                Some((UrlCredentials, "redis://:pa**@redis:6379")),
            ),
            (
                "TLS_KEY",
                "-----BEGIN RSA PRIVATE KEY-----\nMIIE...\n-----END RSA PRIVATE KEY-----",
                Some((PemPrivateKey, "--**")),
            ),
            (
                "GH",
                "ghp_abcdEFGH1234ijklMNOP5678qrstUVWX9012",
                Some((GithubToken, "gh**")),
            ),
            (
                "SLACK",
                "xoxb-123456789012-abcdefghijkl",
                Some((SlackToken, "xo**")),
            ),
            (
                "MAPS",
                "AIzaSyA1234567890abcdefghijklmnopqrstuv",
                Some((GoogleApiKey, "AI**")),
            ),
            (
                "SIGNING_KEY",
                "f3A9kLm2Qx7Rt5Vw8Zp1Yc4N",
                Some((HighEntropy, "f3**")),
            ),
            (
                "SESSION_COOKIE",
                "Zm9vYmFyYmF6cXV4MTIzNDU2Nzg5",
                Some((HighEntropy, "Zm**")),
            ),
        ];
        for (name, value, expect) in cases {
            check_env(name, value, *expect);
        }
    }

    #[test]
    fn no_false_alarms() {
        let clean: &[(&str, &str)] = &[
            (
                "PATH",
                "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin",
            ),
            ("HOME", "/root"),
            ("PWD", "/work/main"),
            ("OLDPWD", "/work"),
            ("TERM", "xterm-256color"),
            ("LANG", "C.UTF-8"),
            ("SHELL", "/bin/bash"),
            (
                "LS_COLORS",
                "rs=0:di=01;34:ln=01;36:mh=00:pi=40;33:so=01;35:do=01;35:bd=40;33;01",
            ),
            ("SSH_AUTH_SOCK", "/tmp/ssh-XXXXabcd/agent.1234"),
            ("AWS_CA_BUNDLE", "/etc/ssl/certs/ca-certificates.crt"),
            ("AWS_REGION", "eu-west-1"),
            ("KEYMAP", "us"),
            ("GPG_KEY", "7169605F62C751356D054A26A821E680E5FA6305"),
            ("DB_PASSWORD_FILE", "/run/secrets/db_password"),
            (
                "TOKEN_PATH",
                "/var/run/secrets/kubernetes.io/serviceaccount/token",
            ),
            ("PASSWORD_STORE_ENABLE", "true"),
            ("API_TOKEN", ""),
            ("API_TOKEN", "${API_TOKEN}"),
            ("HOSTNAME", "b8ef8b10085e"),
            ("KUBERNETES_SERVICE_HOST", "10.96.0.1"),
            ("GIT_ASKPASS", "/usr/lib/git-core/git-gui--askpass"),
            ("HTTP_PROXY", "http://proxy.internal:3128"),
            ("DOCS", "see https://example.com/a@b for help"),
            ("SSH_CLIENT", "10.0.0.1 52344 22"),
            ("LESSOPEN", "| /usr/bin/lesspipe %s"),
            ("INVOCATION_ID", "4f9c3b1a2e7d4c8b9a0f1e2d3c4b5a69"),
        ];
        for (name, value) in clean {
            // GPG_KEY holds a public key fingerprint: the weak word KEY needs a random value
            // with two character classes; hex upper + digits qualifies, so it is reported.
            if *name == "GPG_KEY" {
                assert_eq!(
                    scan_env_var(name, value).map(|f| f.kind),
                    Some(SecretKind::HighEntropy)
                );
                continue;
            }
            assert_eq!(scan_env_var(name, value), None, "{name}={value}");
        }
    }

    #[test]
    fn captured_environ_fixture() {
        let data = include_bytes!("../tests/fixtures/environ-python.txt");
        let mut found: Vec<(String, SecretKind)> = crate::environ::parse_environ(data)
            .filter_map(|v| {
                scan_env_var(
                    &String::from_utf8_lossy(v.name),
                    &String::from_utf8_lossy(v.value),
                )
            })
            .map(|f| (f.name, f.kind))
            .collect();
        found.sort();
        assert_eq!(
            found,
            [
                ("DATABASE_URL".to_string(), SecretKind::UrlCredentials),
                ("MY_API_TOKEN".to_string(), SecretKind::GithubToken),
            ]
        );
    }

    fn argv(s: &str) -> Vec<String> {
        s.split(' ').map(str::to_string).collect()
    }

    #[test]
    fn cmdline_findings() {
        let got = |s: &str| -> Vec<(String, SecretKind, String)> {
            scan_cmdline(&argv(s))
                .into_iter()
                .map(|f| (f.name.clone(), f.kind, f.masked()))
                .collect()
        };
        let t = |n: &str, k, m: &str| (n.to_string(), k, m.to_string());
        use SecretKind::*;
        assert_eq!(
            got("mysql --password=hunter22 -u root"),
            [t("--password", SecretName, "hu**")]
        );
        assert_eq!(
            got("app --api-token abcdef123 --verbose"),
            [t("--api-token", SecretName, "ab**")]
        );
        assert_eq!(
            got("env AWS_SECRET_ACCESS_KEY=abcd1234 run"),
            [t("AWS_SECRET_ACCESS_KEY", CloudCredential, "ab**")]
        );
        assert_eq!(
            got("curl https://bob:pw1234@example.com/x"),
            [t(
                "argv[1]",
                UrlCredentials,
                "https://bob:pw**@example.com/x"
            )]
        );
        assert_eq!(
            got("aws --key AKIAIOSFODNN7EXAMPLE"),
            [t("--key", AwsAccessKeyId, "AK**")]
        );
        assert_eq!(
            got("etcd --data-dir /var/lib/etcd --listen-client-urls http://127.0.0.1:2379"),
            []
        );
        assert_eq!(got("sleep 300"), []);
        assert_eq!(got("prog --token --next"), []);
        assert_eq!(
            got("kube-apiserver --service-account-key-file=/etc/k/sa.pub --token-auth-file=/x"),
            []
        );
        assert_eq!(got("/AKIAIOSFODNN7EXAMPLE"), []); // argv[0] is not scanned
    }

    #[test]
    fn entropy() {
        assert!(shannon_entropy(b"aaaaaaaa") < 0.01);
        assert!((shannon_entropy(b"abcdefgh") - 3.0).abs() < 1e-9);
        assert!(!looks_random("short1A"));
        assert!(!looks_random("/usr/lib/x86_64-linux-gnu/x"));
        assert!(!looks_random("aaaaaaaaaaaaaaaaaaaa"));
    }

    #[test]
    fn masking_multibyte() {
        let f = scan_env_var("DB_PASSWORD", "ééééé").unwrap();
        assert_eq!(f.masked(), "éé**");
    }
}
