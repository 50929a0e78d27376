//! Debian's headless Chromium driven through WebDriver (chromium-driver), for the browser
//! tests and bench/console.sh.
#![allow(dead_code)]

use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use fantoccini::{Client, ClientBuilder, Locator};
use serde_json::{Value, json};

const CHROMEDRIVER: &str = "/usr/bin/chromedriver";
const CHROMIUM: &str = "/usr/bin/chromium";

/// A chromedriver process and one browser session on it; both end on drop.
pub struct Browser {
    pub client: Client,
    driver: Child,
    _profile: tempfile::TempDir,
}

/// Why there is no browser here (the test then prints SKIPPED and passes).
pub fn missing() -> Option<String> {
    for tool in [CHROMEDRIVER, CHROMIUM] {
        if !Path::new(tool).exists() {
            return Some(format!(
                "{tool} is missing (apt-get install chromium chromium-driver)"
            ));
        }
    }
    None
}

impl Browser {
    /// Starts chromedriver on a free port and a headless Chromium with a fresh profile.
    /// `insecure_certs`: accept the test's self-signed certificate.
    pub async fn start(insecure_certs: bool) -> Browser {
        let profile = tempfile::tempdir().unwrap();
        let (driver, port) = start_driver();
        let mut capabilities = serde_json::Map::new();
        capabilities.insert("browserName".into(), json!("chrome"));
        capabilities.insert("acceptInsecureCerts".into(), json!(insecure_certs));
        capabilities.insert(
            "goog:chromeOptions".into(),
            json!({
                "binary": CHROMIUM,
                // Headless Chromium as root on this kind of machine (see the machine notes).
                "args": [
                    "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic",
                    "--no-first-run", "--disable-background-networking",
                    "--disable-component-update", "--disable-sync",
                    "--disable-dev-shm-usage", "--window-size=1400,1000",
                    format!("--user-data-dir={}", profile.path().display()),
                ],
            }),
        );
        let connector = hyper_util::client::legacy::connect::HttpConnector::new();
        let client = ClientBuilder::new(connector)
            .capabilities(capabilities)
            .connect(&format!("http://127.0.0.1:{port}"))
            .await
            .unwrap_or_else(|e| panic!("no WebDriver session on chromedriver: {e}"));
        Browser {
            client,
            driver,
            _profile: profile,
        }
    }

    pub async fn goto(&self, url: &str) {
        self.client.goto(url).await.unwrap();
    }

    /// Runs `script` (a function body; `return` gives its value).
    pub async fn js(&self, script: &str) -> Value {
        self.client
            .execute(script, vec![])
            .await
            .unwrap_or_else(|e| panic!("script failed: {e}\n{script}"))
    }

    /// Waits until `script` returns true (generous deadline: the machine may be loaded).
    pub async fn wait_for(&self, what: &str, script: &str) {
        let deadline = Instant::now() + Duration::from_secs(60);
        loop {
            if self.js(script).await == Value::Bool(true) {
                return;
            }
            if Instant::now() > deadline {
                let state = self
                    .js("return JSON.stringify({status: document.getElementById('status').textContent, url: location.href, info: (document.getElementById('alerts-info')||{}).textContent})")
                    .await;
                panic!("timed out waiting for {what} (page: {state})");
            }
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
    }

    /// Waits until the page's event stream is open.
    pub async fn wait_connected(&self) {
        self.wait_for(
            "the stream",
            "return window.sakerConsole.connected === true",
        )
        .await;
    }

    /// Waits until the alert list has `n` rows.
    pub async fn wait_rows(&self, n: usize, what: &str) {
        let script = format!("return document.querySelectorAll('#alerts tbody tr').length === {n}");
        self.wait_for(what, &script).await;
    }

    pub async fn click(&self, css: &str) {
        self.client
            .find(Locator::Css(css))
            .await
            .unwrap_or_else(|e| panic!("no element {css}: {e}"))
            .click()
            .await
            .unwrap_or_else(|e| panic!("click on {css}: {e}"));
    }

    pub async fn select(&self, css: &str, value: &str) {
        self.client
            .find(Locator::Css(css))
            .await
            .unwrap()
            .select_by_value(value)
            .await
            .unwrap();
    }

    pub async fn type_into(&self, css: &str, text: &str) {
        let field = self.client.find(Locator::Css(css)).await.unwrap();
        field.clear().await.unwrap();
        field.send_keys(text).await.unwrap();
    }

    /// The page's query string as key/value pairs.
    pub async fn url_params(&self) -> Vec<(String, String)> {
        let url = self.client.current_url().await.unwrap();
        url.query_pairs()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect()
    }

    /// True when a JavaScript dialog (alert/confirm/prompt) is open.
    pub async fn dialog_open(&self) -> bool {
        self.client.get_alert_text().await.is_ok()
    }

    /// Takes a screenshot, checks it is a real picture (not empty, not one flat colour) and
    /// saves it as target/console-screenshots/<name>.png for people to look at.
    pub async fn screenshot(&self, name: &str) -> PathBuf {
        let png = self.client.screenshot().await.unwrap();
        check_picture(&png, name);
        let dir = screenshot_dir();
        std::fs::create_dir_all(&dir).unwrap();
        let path = dir.join(format!("{name}.png"));
        std::fs::write(&path, &png).unwrap();
        eprintln!("screenshot: {}", path.display());
        path
    }

    pub async fn close(mut self) {
        let _ = self.client.clone().close().await;
        let _ = self.driver.kill();
        let _ = self.driver.wait();
    }
}

impl Drop for Browser {
    fn drop(&mut self) {
        let _ = self.driver.kill();
        let _ = self.driver.wait();
    }
}

fn start_driver() -> (Child, u16) {
    // chromedriver takes a port, not a socket: find a free one, then retry if it was taken
    // in between.
    for _ in 0..5 {
        let port = std::net::TcpListener::bind("127.0.0.1:0")
            .unwrap()
            .local_addr()
            .unwrap()
            .port();
        let mut driver = Command::new(CHROMEDRIVER)
            .arg(format!("--port={port}"))
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .unwrap_or_else(|e| panic!("{CHROMEDRIVER}: {e}"));
        let deadline = Instant::now() + Duration::from_secs(30);
        while Instant::now() < deadline {
            if let Ok(Some(_)) = driver.try_wait() {
                break;
            }
            if std::net::TcpStream::connect(("127.0.0.1", port)).is_ok() {
                return (driver, port);
            }
            std::thread::sleep(Duration::from_millis(50));
        }
        let _ = driver.kill();
        let _ = driver.wait();
    }
    panic!("chromedriver did not start");
}

pub fn screenshot_dir() -> PathBuf {
    let target = std::env::var_os("CARGO_TARGET_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| Path::new(env!("CARGO_MANIFEST_DIR")).join("../../target"));
    target.join("console-screenshots")
}

/// A screenshot must decode as a PNG of the window's size with more than one colour.
fn check_picture(png_bytes: &[u8], name: &str) {
    let decoder = png::Decoder::new(std::io::Cursor::new(png_bytes));
    let mut reader = decoder
        .read_info()
        .unwrap_or_else(|e| panic!("{name}: not a PNG: {e}"));
    let mut pixels = vec![0; reader.output_buffer_size().unwrap()];
    let info = reader.next_frame(&mut pixels).unwrap();
    assert!(
        info.width >= 800 && info.height >= 600,
        "{name}: {}x{}",
        info.width,
        info.height
    );
    let pixels = &pixels[..info.buffer_size()];
    let stride = info.color_type.samples();
    let first = &pixels[..stride];
    let different = pixels.chunks(stride).filter(|p| p != &first).count();
    let total = pixels.len() / stride;
    assert!(
        different * 20 > total,
        "{name}: the screenshot is nearly one colour ({different} of {total} pixels differ)"
    );
}
