//! The console in a real browser: Debian's headless Chromium through WebDriver. Alerts are
//! raised live through the engine (field-level events) and through POST /k8s-audit, with
//! HTML/JavaScript payloads in their fields; the page must show them as text and run none.
//! Screenshots are checked and kept under target/console-screenshots/.

mod support;

use std::sync::Arc;

use saker_console::{ConsoleOptions, RuleCatalog};
use saker_engine::{Engine, EngineOptions, JsonlEvent};
use saker_event::Priority;
use saker_server::TlsFiles;
use support::browser::{self, Browser};
use support::{Harness, Setup, agent, wait_for};

/// Payloads that run script if a page ever parses alert text as markup. Each sets
/// `window.__xss`; none may.
const FILE_PAYLOAD: &str = "/etc/<img src=x onerror=window.__xss=1>";
const COMMAND_PAYLOAD: &str = "sh -c '<script>window.__xss=2</script>'";
const PROCESS_PAYLOAD: &str = "\"><svg onload=window.__xss=3>";
const CONTAINER_PAYLOAD: &str = "web-<b>1</b><iframe src=javascript:window.__xss=5>";
const K8S_USER_PAYLOAD: &str = "<img src=x onerror=window.__xss=4>";

/// The console's engine: Saker's k8s audit rules and the test rule.
fn engine_and_rules() -> (Arc<Engine>, RuleCatalog) {
    let files = [
        saker_k8saudit::default_k8s_audit_rules_file(),
        saker_rules::SourceFile::new("test_rules.yaml", support::WRITE_BELOW_ETC),
    ];
    let (ruleset, diagnostics) = saker_rules::load(&files);
    assert!(diagnostics.iter().all(|d| !d.is_error()), "{diagnostics:?}");
    let engine = Engine::new(&ruleset, EngineOptions::default()).unwrap();
    (
        Arc::new(engine),
        RuleCatalog::new(&ruleset, Priority::Debug),
    )
}

/// Evaluates one field-level event and raises its alerts the way the daemon does.
fn raise_through_engine(harness: &Harness, engine: &Engine, event: serde_json::Value) -> usize {
    let event = JsonlEvent::from_json(&event, engine).unwrap();
    let alerts = engine.process(&event);
    for alert in &alerts {
        harness.raise(alert);
    }
    alerts.len()
}

fn hostile_open(container_id: &str) -> serde_json::Value {
    serde_json::json!({
        "evt.type": "openat",
        "evt.time": support::now_ns(),
        "evt.is_open_write": true,
        "fd.name": FILE_PAYLOAD,
        "proc.cmdline": COMMAND_PAYLOAD,
        "proc.name": PROCESS_PAYLOAD,
        "container.id": container_id,
        "container.name": CONTAINER_PAYLOAD,
    })
}

fn benign_open(n: u32) -> serde_json::Value {
    serde_json::json!({
        "evt.type": "openat",
        "evt.time": support::now_ns(),
        "evt.is_open_write": true,
        "fd.name": format!("/etc/app-{n}.conf"),
        "proc.cmdline": format!("vi /etc/app-{n}.conf"),
        "proc.name": "vi",
        "container.id": "host",
    })
}

/// A privileged pod created by a user whose name is markup (POST /k8s-audit).
fn post_hostile_pod(base: &str) {
    let fixture = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../k8saudit/tests/fixtures/privileged_pod.json");
    let body = std::fs::read_to_string(fixture).unwrap().replace(
        "\"alice\"",
        &serde_json::to_string(K8S_USER_PAYLOAD).unwrap(),
    );
    let answer = agent()
        .post(&format!("{base}/k8s-audit"))
        .header("Content-Type", "application/json")
        .send(body.as_bytes())
        .unwrap();
    assert_eq!(answer.status().as_u16(), 200);
}

/// Nothing from the alerts ran or became an element.
async fn assert_nothing_executed(browser: &Browser, when: &str) {
    let found = browser
        .js(r##"
            const selectors = ["img", "script", "svg", "iframe", "b", "object", "embed"]
              .flatMap((tag) => ["#alerts", "#detail", "#rules", "#top-rules", "#top-containers"]
                .map((root) => root + " " + tag));
            return {
              xss: window.__xss === undefined ? null : String(window.__xss),
              injected: document.querySelectorAll(selectors.join(",")).length,
            };
        "##)
        .await;
    assert_eq!(
        found["xss"],
        serde_json::Value::Null,
        "{when}: a payload ran"
    );
    assert_eq!(found["injected"], 0, "{when}: alert text became elements");
    assert!(!browser.dialog_open().await, "{when}: a dialog opened");
}

async fn rows(browser: &Browser) -> u64 {
    browser
        .js("return document.querySelectorAll('#alerts tbody tr').length")
        .await
        .as_u64()
        .unwrap()
}

async fn row_texts(browser: &Browser, column: usize) -> Vec<String> {
    let texts = browser
        .js(&format!(
            "return [...document.querySelectorAll('#alerts tbody tr')].map((r) => r.cells[{column}].textContent)"
        ))
        .await;
    serde_json::from_value(texts).unwrap()
}

fn run(test: impl std::future::Future<Output = ()>) {
    if let Some(why) = browser::missing() {
        println!("SKIPPED: {why}");
        return;
    }
    tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap()
        .block_on(test);
}

#[test]
fn live_alerts_filters_details_and_no_payload_runs() {
    run(async {
        let dir = tempfile::tempdir().unwrap();
        let (engine, rules) = engine_and_rules();
        let setup = || Setup {
            options: ConsoleOptions {
                history_size: 1000,
                database: Some(dir.path().join("console.db")),
            },
            rules: Some(rules.clone()),
            audit_engine: Some(Arc::clone(&engine)),
            ..Setup::default()
        };
        let harness = Harness::start(setup());
        harness.metrics.set_ring_buffer_use(8 << 20, 2 << 20);
        // Something in the history before the page opens.
        for n in 0..3 {
            assert_eq!(raise_through_engine(&harness, &engine, benign_open(n)), 1);
        }
        let browser = Browser::start(false).await;
        browser.goto(&format!("{}/", harness.base)).await;
        browser.wait_connected().await;
        browser.wait_rows(3, "the history").await;

        // Live: through the engine and through the k8s audit webhook.
        assert_eq!(
            raise_through_engine(&harness, &engine, hostile_open("abcdef012345")),
            1
        );
        post_hostile_pod(&harness.base);
        assert_eq!(
            raise_through_engine(&harness, &engine, hostile_open("99999999aaaa")),
            1
        );
        browser.wait_rows(6, "the live alerts").await;
        assert!(
            browser
                .js("return window.sakerConsole.liveReceived")
                .await
                .as_u64()
                >= Some(3)
        );
        assert_eq!(
            row_texts(&browser, 2).await[..3],
            [
                "Write below etc",
                "Create Privileged Pod",
                "Write below etc"
            ],
            "newest first"
        );
        assert_eq!(row_texts(&browser, 1).await[0], "Error");
        let shown = browser
            .js("return document.querySelector('#alerts tbody').textContent")
            .await;
        let shown = shown.as_str().unwrap();
        for payload in [
            FILE_PAYLOAD,
            COMMAND_PAYLOAD,
            PROCESS_PAYLOAD,
            CONTAINER_PAYLOAD,
            K8S_USER_PAYLOAD,
        ] {
            assert!(shown.contains(payload), "{payload} is not shown as text");
        }
        assert_nothing_executed(&browser, "live list").await;
        browser.screenshot("alerts-live").await;

        // Filters, kept in the URL.
        browser
            .select("#filters select[name=priority]", "error")
            .await;
        browser.wait_rows(5, "the priority filter").await;
        assert!(
            browser
                .url_params()
                .await
                .contains(&("priority".into(), "error".into()))
        );
        assert!(row_texts(&browser, 1).await.iter().all(|p| p == "Error"));
        browser
            .select("#filters select[name=source]", "k8s_audit")
            .await;
        browser.wait_rows(0, "no k8s alert at Error").await;
        browser.select("#filters select[name=priority]", "").await;
        browser.wait_rows(1, "the source filter").await;
        assert_eq!(row_texts(&browser, 2).await, ["Create Privileged Pod"]);
        browser.click("#clear-filters").await;
        browser
            .type_into("#filters input[name=container]", "9999")
            .await;
        browser.wait_rows(1, "the container filter").await;
        browser.type_into("#filters input[name=q]", "<svg").await;
        browser
            .wait_for(
                "the text filter",
                "return new URLSearchParams(location.search).get('q') === '<svg'",
            )
            .await;
        assert_eq!(rows(&browser).await, 1);
        browser.screenshot("alerts-filtered").await;
        // The URL is the filter: opened afresh it shows the same.
        let shared = browser.client.current_url().await.unwrap().to_string();
        browser.goto(&shared).await;
        browser
            .wait_for("the shared filter", "return document.querySelectorAll('#alerts tbody tr').length === 1 && document.querySelector('input[name=container]').value === '9999'")
            .await;
        assert_nothing_executed(&browser, "filtered list").await;

        // One alert: every output field, the rule's description, tags and condition.
        browser.click("#alerts tbody tr").await;
        browser
            .wait_for("the details", "return !document.getElementById('detail').hidden && document.getElementById('detail').textContent.includes('Condition')")
            .await;
        let detail = browser
            .js("return document.getElementById('detail').textContent")
            .await;
        let detail = detail.as_str().unwrap();
        for expect in [
            "Write below etc",
            "fd.name",
            FILE_PAYLOAD,
            "proc.cmdline",
            COMMAND_PAYLOAD,
            "container.name",
            CONTAINER_PAYLOAD,
            "mitre_persistence",
            "<b>(markup in a description stays text)</b>",
            "evt.type = openat and evt.is_open_write = true and fd.name startswith /etc/",
        ] {
            assert!(detail.contains(expect), "details lack {expect:?}: {detail}");
        }
        assert!(browser.url_params().await.iter().any(|(k, _)| k == "alert"));
        assert_nothing_executed(&browser, "details").await;
        browser.screenshot("alert-details").await;

        // Overview and rules.
        browser.click("nav a[data-view=overview]").await;
        browser
            .wait_for("the overview", "return document.querySelectorAll('#timeline rect').length > 0 && document.querySelectorAll('#top-rules li button').length === 2")
            .await;
        let cards = browser
            .js("return document.getElementById('cards').textContent")
            .await;
        assert!(
            cards.as_str().unwrap().contains("K8s audit events1"),
            "{cards}"
        );
        assert!(
            cards.as_str().unwrap().contains("Ring buffer use25.0 %"),
            "{cards}"
        );
        assert_nothing_executed(&browser, "overview").await;
        browser.screenshot("overview").await;
        browser.click("nav a[data-view=rules]").await;
        browser
            .wait_for(
                "the rules",
                "return document.querySelectorAll('#rules tbody tr').length > 10",
            )
            .await;
        let fired = browser
            .js("return [...document.querySelectorAll('#rules tbody tr')].find((r) => r.cells[0].textContent.startsWith('Write below etc')).cells[5].textContent")
            .await;
        assert_eq!(fired, "5");
        assert_nothing_executed(&browser, "rules").await;
        browser.screenshot("rules").await;

        // Saker restarts (same port, same database): the page reconnects by itself.
        browser.click("nav a[data-view=alerts]").await;
        browser.click("#clear-filters").await;
        browser
            .wait_for("all alerts again", "return document.querySelectorAll('#alerts tbody tr').length === 6 && window.sakerConsole.connected")
            .await;
        let addr = harness.server.local_addr();
        harness.stop();
        browser
            .wait_for(
                "the page to notice",
                "return window.sakerConsole.connected === false",
            )
            .await;
        let harness = Harness::start(Setup {
            listen: Some(addr),
            ..setup()
        });
        browser
            .wait_for(
                "the reconnection",
                "return window.sakerConsole.connected === true",
            )
            .await;
        assert_eq!(raise_through_engine(&harness, &engine, benign_open(99)), 1);
        browser
            .wait_for("an alert after the restart", "return document.querySelectorAll('#alerts tbody tr').length === 7 && document.querySelector('#alerts tbody tr').textContent.includes('app-99')")
            .await;
        assert_nothing_executed(&browser, "after the restart").await;
        browser.screenshot("after-restart").await;
        browser.close().await;
        harness.stop();
    });
}

#[test]
fn a_token_console_over_https_asks_for_its_token() {
    run(async {
        let dir = tempfile::tempdir().unwrap();
        let Some((cert, key)) = support::self_signed(dir.path()) else {
            return;
        };
        let harness = Harness::start(Setup {
            tls: Some(TlsFiles {
                certificate: cert,
                private_key: Some(key),
            }),
            token: Some("console-token".to_string()),
            ..Setup::default()
        });
        let browser = Browser::start(true).await;
        browser.goto(&format!("{}/", harness.base)).await;
        browser
            .wait_for(
                "the token form",
                "return !document.getElementById('token-panel').hidden",
            )
            .await;
        browser.screenshot("token-form").await;
        browser.type_into("#token-input", "wrong").await;
        browser.click("#token-form button").await;
        browser
            .wait_for(
                "the refusal",
                "return document.getElementById('token-error').textContent.includes('refused')",
            )
            .await;
        browser.type_into("#token-input", "console-token").await;
        browser.click("#token-form button").await;
        browser.wait_connected().await;
        harness.raise(&support::alert(
            "Token test",
            Priority::Critical,
            "syscall",
            &[("proc.name", "<script>window.__xss=9</script>")],
        ));
        browser.wait_rows(1, "the alert").await;
        assert_nothing_executed(&browser, "token console").await;
        // A link may carry the token in its fragment, which no server sees.
        let second = Browser::start(true).await;
        second
            .goto(&format!(
                "{}/?priority=critical#token=console-token",
                harness.base
            ))
            .await;
        second
            .wait_for("the list with the token from the link", "return document.querySelectorAll('#alerts tbody tr').length === 1 && location.hash === ''")
            .await;
        second.close().await;
        browser.close().await;
        harness.stop();
    });
}

#[test]
fn the_history_stays_bounded_while_alerts_stream_in() {
    run(async {
        let harness = Harness::start(Setup {
            options: ConsoleOptions {
                history_size: 300,
                database: None,
            },
            ..Setup::default()
        });
        let browser = Browser::start(false).await;
        browser.goto(&format!("{}/", harness.base)).await;
        browser.wait_connected().await;
        // More alerts than the page keeps: it holds the newest 500 rows, no more.
        for i in 0..2000 {
            harness.raise(&support::alert(
                &format!("Burst {i}"),
                Priority::Warning,
                "syscall",
                &[],
            ));
        }
        wait_for("the console to take them", || {
            support::get(&agent(), &format!("{}/api/alerts?limit=1", harness.base)).json()["last_id"]
                == 2000
        });
        browser
            .wait_for("the newest alert on top", "return document.querySelector('#alerts tbody tr') !== null && document.querySelector('#alerts tbody tr').cells[2].textContent === 'Burst 1999'")
            .await;
        let kept = rows(&browser).await;
        assert!(kept <= 500, "the page keeps {kept} rows");
        browser.close().await;
        harness.stop();
    });
}
