//! `program: CMD`: a shell command given the alert as one line of JSON on stdin, with a time
//! limit; and `webhook: URL`: the alert POSTed as Falco JSON (what Falco Talon and
//! falcosidekick take).

use std::io::{Read, Write};
use std::os::unix::process::CommandExt;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

/// Most bytes of a program's stderr kept for the record.
const STDERR_KEPT: usize = 512;

/// Runs `command` through `/bin/sh -c` with `input` on stdin; `Ok` with a note when it
/// exited 0, `Err` with why not (status, stderr, timeout). The program runs in its own
/// process group, all of which is killed at the timeout.
pub fn run_program(command: &str, input: &[u8], timeout: Duration) -> Result<String, String> {
    let mut child = Command::new("/bin/sh")
        .arg("-c")
        .arg(command)
        .stdin(Stdio::piped())
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .process_group(0)
        .spawn()
        .map_err(|e| format!("cannot start /bin/sh: {e}"))?;
    let started = Instant::now();
    let pid = child.id();
    // The writer and the stderr reader run beside the wait, so a program that reads
    // nothing or writes a lot cannot stall Saker past the timeout.
    let mut stdin = child.stdin.take();
    let input = input.to_vec();
    let writer = std::thread::spawn(move || {
        if let Some(stdin) = stdin.as_mut() {
            let _ = stdin.write_all(&input);
        }
    });
    let mut stderr = child.stderr.take();
    let reader = std::thread::spawn(move || {
        let mut kept = Vec::new();
        if let Some(stderr) = stderr.as_mut() {
            let mut buf = [0u8; 4096];
            while let Ok(n) = stderr.read(&mut buf) {
                if n == 0 {
                    break;
                }
                let room = STDERR_KEPT.saturating_sub(kept.len());
                kept.extend_from_slice(&buf[..n.min(room)]);
            }
        }
        kept
    });
    let status = loop {
        match child.try_wait() {
            Ok(Some(status)) => break Some(status),
            Ok(None) if started.elapsed() >= timeout => break None,
            Ok(None) => std::thread::sleep(Duration::from_millis(5)),
            Err(e) => return Err(format!("waiting for the program: {e}")),
        }
    };
    let Some(status) = status else {
        // SAFETY: kill(2) on the process group we created; no memory is involved.
        unsafe { libc::kill(-(pid as i32), libc::SIGKILL) };
        let _ = child.wait();
        let _ = writer.join();
        return Err(format!(
            "still running after {} ms: killed",
            timeout.as_millis()
        ));
    };
    let _ = writer.join();
    let stderr = reader.join().unwrap_or_default();
    let stderr = String::from_utf8_lossy(&stderr);
    let stderr = saker_event::escape::escape(stderr.trim());
    if status.success() {
        Ok(format!(
            "exited 0 after {} ms",
            started.elapsed().as_millis()
        ))
    } else if stderr.is_empty() {
        Err(format!("{status}"))
    } else {
        Err(format!("{status}: {stderr}"))
    }
}

/// POSTs `body` (the alert as Falco JSON) to `url`; `Ok` on a 2xx answer.
pub fn post_webhook(url: &str, body: &[u8], timeout: Duration) -> Result<String, String> {
    let agent: ureq::Agent = ureq::Agent::config_builder()
        .timeout_global(Some(timeout))
        .http_status_as_error(false)
        .user_agent(concat!("saker/", env!("CARGO_PKG_VERSION")))
        .build()
        .into();
    let reply = agent
        .post(url)
        .header("Content-Type", "application/json")
        .send(body)
        .map_err(|e| format!("POST {}: {e}", saker_event::escape::escape(url)))?;
    let status = reply.status();
    if status.is_success() {
        Ok(format!("HTTP {}", status.as_u16()))
    } else {
        Err(format!("HTTP {}", status.as_u16()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::net::TcpListener;

    #[test]
    fn a_program_reads_the_alert_and_its_failures_are_told() {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("got");
        let ok = run_program(
            &format!("cat > '{}'", out.display()),
            b"{\"rule\":\"x\"}\n",
            Duration::from_secs(10),
        );
        assert!(ok.is_ok(), "{ok:?}");
        assert_eq!(std::fs::read_to_string(&out).unwrap(), "{\"rule\":\"x\"}\n");
        assert_eq!(
            run_program("echo broken >&2; exit 3", b"{}", Duration::from_secs(10)),
            Err("exit status: 3: broken".to_string())
        );
        let slow = run_program("sleep 30", b"{}", Duration::from_millis(200));
        assert_eq!(slow, Err("still running after 200 ms: killed".to_string()));
    }

    #[test]
    fn a_webhook_gets_the_body_and_its_status_counts() {
        let listener = TcpListener::bind("127.0.0.1:0").unwrap();
        let port = listener.local_addr().unwrap().port();
        let server = std::thread::spawn(move || {
            let mut bodies = Vec::new();
            for status in ["200 OK", "503 Service Unavailable"] {
                let (mut stream, _) = listener.accept().unwrap();
                let mut request = Vec::new();
                let mut buf = [0u8; 4096];
                // Headers, then Content-Length bytes of body.
                loop {
                    let n = stream.read(&mut buf).unwrap();
                    request.extend_from_slice(&buf[..n]);
                    let text = String::from_utf8_lossy(&request).to_string();
                    if let Some(end) = text.find("\r\n\r\n") {
                        let len: usize = text
                            .lines()
                            .find_map(|l| {
                                l.to_ascii_lowercase()
                                    .strip_prefix("content-length:")
                                    .map(|v| v.trim().parse().unwrap())
                            })
                            .unwrap_or(0);
                        if request.len() >= end + 4 + len {
                            bodies.push(text[end + 4..].to_string());
                            break;
                        }
                    }
                }
                write!(
                    stream,
                    "HTTP/1.1 {status}\r\ncontent-length: 0\r\nconnection: close\r\n\r\n"
                )
                .unwrap();
            }
            bodies
        });
        let url = format!("http://127.0.0.1:{port}/talon");
        assert_eq!(
            post_webhook(&url, b"{\"rule\":\"x\"}", Duration::from_secs(10)),
            Ok("HTTP 200".to_string())
        );
        assert_eq!(
            post_webhook(&url, b"{}", Duration::from_secs(10)),
            Err("HTTP 503".to_string())
        );
        assert_eq!(server.join().unwrap(), ["{\"rule\":\"x\"}", "{}"]);
    }
}
