//! The service around the event loop: output channels, the metrics registry, the web server
//! (health, versions, metrics, the Kubernetes audit webhook, the web console), SIGHUP reload
//! and SIGUSR1 reopen, and the orderly shutdown of SIGTERM.

use std::path::PathBuf;
use std::sync::Arc;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use saker_config::{Config, LoadedConfig};
use saker_console::{Console, RuleCatalog};
use saker_engine::Engine;
use saker_k8saudit::AuditPipeline;
use saker_output::{OutputQueue, ShutdownReport};
use saker_response::{Plan, Responder, ResponderOptions};
use saker_server::{Metrics, Server, ServerContext};

use super::pipeline::AlertRoute;
use super::responses::{self, ResponseMetrics};
use super::rules::{self, LoadedRules, RulesFailure, Sources};
use super::snapshots::Snapshots;
use crate::exit::Failure;

/// What the run was started with, kept to redo the loading on SIGHUP.
#[derive(Clone, Debug)]
pub struct Inputs {
    pub config_path: Option<PathBuf>,
    pub overrides: Vec<String>,
    /// `-r` paths; empty means the config's `rules_files`.
    pub rule_paths: Vec<PathBuf>,
    pub sources: Sources,
}

impl Inputs {
    pub fn load_config(&self) -> Result<LoadedConfig, saker_config::ConfigError> {
        saker_config::load(self.config_path.as_deref(), &self.overrides)
    }

    /// The engine, the rules as the web console lists them, and as loaded.
    pub fn build_engine(&self, config: &Config) -> Result<LoadedRules, RulesFailure> {
        if self.rule_paths.is_empty() {
            rules::build_engine(&config.rules_files, config, true, self.sources)
        } else {
            rules::build_engine(&self.rule_paths, config, false, self.sources)
        }
    }
}

pub struct Service {
    inputs: Inputs,
    pub config: Config,
    pub hostname: String,
    pub metrics: Arc<Metrics>,
    pub route: Arc<AlertRoute>,
    outputs: Option<OutputQueue>,
    server: Option<Server>,
    audit: Option<Arc<AuditPipeline>>,
    engine: Arc<Engine>,
    with_webserver: bool,
    snapshots: Option<Snapshots>,
    console: Option<Console>,
    /// Acts on alerts (`response:`); `None` on a replay.
    responder: Option<Arc<Responder>>,
    /// `watch_config_files`: on while the config says so.
    watcher: Option<super::watch::ConfigWatcher>,
    /// The open filter for rules reloaded since the capture last took it.
    open_filter: Option<saker_source::live::OpenFilterPlan>,
}

fn now_ns() -> u64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| d.as_nanos() as u64)
}

impl Service {
    /// Opens the output channels, starts the responder when there is a `plan` and, when
    /// `with_webserver` and the config enable it, the web server (with the k8s audit webhook
    /// when that source is on, and the console).
    pub fn start(
        inputs: Inputs,
        config: Config,
        (engine, rules): (Engine, RuleCatalog),
        plan: Option<Plan>,
        with_webserver: bool,
    ) -> anyhow::Result<Service> {
        let outputs = config
            .build_outputs()
            .map_err(|e| Failure::new(2, format!("saker: {e}")))?;
        let metrics = Arc::new(Metrics::new(
            env!("CARGO_PKG_VERSION"),
            saker_bpf::possible_cpus(),
        ));
        metrics.set_output_stats(outputs.stats());
        for (destination, counter) in super::logging::DROPPED_LINES {
            metrics.count_log_lines_dropped(destination, counter);
        }
        metrics.set_rules_loaded(engine.rule_count() as u64);
        metrics.set_reload_timestamp_ns(now_ns());
        let console = start_console(&config, with_webserver, &metrics)?;
        if let Some(console) = &console {
            console.set_rules(rules);
        }
        let route = Arc::new(AlertRoute::new(
            outputs.sender(),
            Arc::clone(&metrics),
            console.as_ref().map(Console::feed),
        ));
        let responder = plan.map(|plan| start_responder(plan, &config, &route, &metrics));
        route.set_responder(responder.clone());
        let engine = Arc::new(engine);
        let audit = inputs.sources.k8s_audit.then(|| {
            let route = Arc::clone(&route);
            Arc::new(AuditPipeline::new(Arc::clone(&engine), move |alert| {
                route.respond_without_target(&alert);
                route.submit(alert);
            }))
        });
        let mut service = Service {
            hostname: config.resolve_hostname(),
            inputs,
            config,
            metrics,
            route,
            outputs: Some(outputs),
            server: None,
            audit,
            engine,
            with_webserver,
            snapshots: None,
            console,
            responder,
            watcher: None,
            open_filter: None,
        };
        service.server = service
            .start_server(&service.config)
            .map_err(|e| Failure::new(2, format!("saker: {e}")))?;
        service.snapshots = service
            .start_snapshots(&service.config)
            .map_err(|e| Failure::new(2, format!("saker: {e}")))?;
        Ok(service)
    }

    pub fn engine(&self) -> Arc<Engine> {
        Arc::clone(&self.engine)
    }

    /// The responder, when responses are on (a live run).
    pub fn responder(&self) -> Option<&Arc<Responder>> {
        self.responder.as_ref()
    }

    fn start_server(&self, config: &Config) -> anyhow::Result<Option<Server>> {
        if !self.with_webserver {
            return Ok(None);
        }
        let Some(options) = config.webserver.build()? else {
            return Ok(None);
        };
        let mut context = ServerContext::new(Arc::clone(&self.metrics));
        context.versions = serde_json::json!({
            "saker_version": env!("CARGO_PKG_VERSION"),
            "engine_version": env!("CARGO_PKG_VERSION"),
        });
        context.k8s_audit = self.audit.as_ref().map(AuditPipeline::handler);
        context.mount = self
            .console
            .as_ref()
            .map(|console| console.routes(config.webserver.ui_token.clone()));
        // The error names the web server already.
        let server = Server::start(options, context)?;
        Ok(Some(server))
    }

    /// Metrics snapshots (`metrics.enabled`), for the service only (not one-shot runs).
    fn start_snapshots(&self, config: &Config) -> anyhow::Result<Option<Snapshots>> {
        if !self.with_webserver {
            return Ok(None);
        }
        let engine_name = match (self.inputs.sources.syscall, config.engine.kind) {
            (false, _) => "none",
            (true, saker_config::EngineKind::Ptrace) => "ptrace",
            (true, saker_config::EngineKind::Replay) => "replay",
            (true, saker_config::EngineKind::Ebpf) => "ebpf",
        };
        Snapshots::start(
            config,
            engine_name,
            Arc::clone(&self.metrics),
            Arc::clone(&self.route),
        )
    }

    /// The audit webhook's counters, when the `k8s_audit` source is on.
    pub fn audit_stats(&self) -> Option<saker_k8saudit::PipelineStats> {
        self.audit.as_ref().map(|audit| audit.stats())
    }

    /// SIGUSR1: every file channel reopens its file, every program channel restarts.
    pub fn reopen(&self) {
        // Logged once requested, so an alert raised after this line reaches the new file.
        if let Some(outputs) = &self.outputs {
            outputs.reopen();
        }
        tracing::info!("SIGUSR1 received, reopening outputs");
    }

    /// Queues one of Saker's own alerts (source `internal`).
    pub fn internal_alert(&self, alert: saker_event::Alert) {
        self.route.submit(alert);
    }

    /// SIGHUP: reloads the config and the rules. On success returns the new engine (the
    /// caller hands it to its event loop); on failure everything in force stays, the reason
    /// is logged and raised as the internal hot-restart alert.
    pub fn reload(&mut self, cause: &str) -> Option<Arc<Engine>> {
        tracing::info!("{cause}, reloading configuration and rules");
        let result = self.try_reload();
        self.update_watch();
        match result {
            Ok(engine) => {
                tracing::info!("Reload complete: {} rules loaded", engine.rule_count());
                Some(engine)
            }
            Err(reason) => {
                tracing::error!(
                    "Reload failed, the previous configuration and rules stay in force: {reason}"
                );
                let alert = saker_output::internal::hot_restart_failure_alert(
                    &reason,
                    &self.hostname,
                    now_ns(),
                );
                self.internal_alert(alert);
                None
            }
        }
    }

    fn try_reload(&mut self) -> Result<Arc<Engine>, String> {
        let loaded = self.inputs.load_config().map_err(|e| e.to_string())?;
        for warning in &loaded.warnings {
            tracing::warn!("{warning}");
        }
        let LoadedRules {
            engine,
            catalog: rules,
            ruleset,
        } = self.inputs.build_engine(&loaded.config).map_err(|f| {
            f.message
                .trim_end()
                .trim_end_matches("saker run: the rules have errors")
                .trim_end()
                .to_string()
        })?;
        // Checked before anything changes: a bad `response:` keeps everything as it was.
        let plan = match &self.responder {
            Some(_) => Some(responses::build_plan(&loaded, &ruleset).map_err(|f| f.message)?),
            None => None,
        };
        let open_filter = super::rules::open_filter(&ruleset, &loaded.config);
        drop(ruleset);
        let config = loaded.config;
        let engine = Arc::new(engine);
        // Rebuild the channels only when their settings changed: a file reopened or a
        // program restarted for nothing could lose or repeat alerts.
        if outputs_changed(&self.config, &config) {
            let outputs = config.build_outputs().map_err(|e| e.to_string())?;
            self.metrics.set_output_stats(outputs.stats());
            let old_sender = self.route.replace(Some(outputs.sender()));
            drop(old_sender);
            if let Some(old) = self.outputs.replace(outputs) {
                // The old channels finish what they hold in the background.
                std::thread::spawn(move || old.shutdown(Duration::from_secs(5)));
            }
            tracing::info!("Output channels rebuilt from the new configuration");
        }
        self.engine = Arc::clone(&engine);
        if let Some(audit) = &self.audit {
            audit.replace_engine(Arc::clone(&engine));
        }
        if self.config.webserver != config.webserver {
            if let Some(server) = self.server.take() {
                server.stop();
            }
            self.server = match self.start_server(&config) {
                Ok(server) => server,
                Err(e) => {
                    // Health checks should keep answering: back to the settings in force.
                    tracing::error!("{e}; the web server keeps its previous settings");
                    self.start_server(&self.config).unwrap_or_else(|e| {
                        tracing::error!("{e}; the web server stays stopped");
                        None
                    })
                }
            };
        }
        if self.config.metrics != config.metrics {
            if let Some(old) = self.snapshots.take() {
                old.stop();
            }
            self.snapshots = self.start_snapshots(&config).unwrap_or_else(|e| {
                tracing::error!("{e}; metrics snapshots stay off");
                None
            });
        }
        if let Some(console) = &self.console {
            console.set_rules(rules);
            if self.config.console != config.console {
                tracing::warn!("console.* changes take effect at the next start");
            }
        }
        if let (Some(responder), Some(plan)) = (&self.responder, plan) {
            responder.replace_plan(plan);
        }
        self.open_filter = Some(open_filter);
        self.hostname = config.resolve_hostname();
        self.config = config;
        self.metrics.set_rules_loaded(engine.rule_count() as u64);
        self.metrics.set_reload_timestamp_ns(now_ns());
        Ok(engine)
    }

    /// SIGTERM/SIGINT or the end of the run: stops the web server (no new audit events),
    /// then drains the queue and flushes every channel.
    pub fn finish(mut self) -> Option<ShutdownReport> {
        if let Some(server) = self.server.take() {
            server.stop();
        }
        if let Some(snapshots) = self.snapshots.take() {
            snapshots.stop();
        }
        self.audit = None;
        // Before the outputs close: the last records still go out.
        self.route.set_responder(None);
        if let Some(responder) = self.responder.take() {
            responder.stop();
        }
        drop(self.route.replace(None));
        let report = self
            .outputs
            .take()
            .map(|outputs| outputs.shutdown(Duration::from_secs(5)));
        if report.as_ref().is_some_and(|r| !r.drained) {
            tracing::warn!("some output channels were still busy at exit");
        }
        // Last: it writes down every alert it was given.
        if let Some(console) = self.console.take() {
            console.stop();
        }
        report
    }
}

/// The responder: records go the way every alert goes; its counters are in /metrics.
fn start_responder(
    plan: Plan,
    config: &Config,
    route: &Arc<AlertRoute>,
    metrics: &Arc<Metrics>,
) -> Arc<Responder> {
    // Weak: the route holds the responder, which must not keep the route alive.
    let records = Arc::downgrade(route);
    let responder = Responder::start(
        plan,
        ResponderOptions {
            hostname: config.resolve_hostname(),
            emit: Arc::new(move |alert| {
                if let Some(route) = records.upgrade() {
                    route.submit(alert);
                }
            }),
            runtimes: config.build_container_engines(),
        },
    );
    metrics.add_exposition(Arc::new(ResponseMetrics(responder.stats())));
    Arc::new(responder)
}

/// The web console, when the web server will serve it.
fn start_console(
    config: &Config,
    with_webserver: bool,
    metrics: &Arc<Metrics>,
) -> anyhow::Result<Option<Console>> {
    if !with_webserver || !config.webserver.enabled {
        return Ok(None);
    }
    let Some(options) = config
        .console
        .build()
        .map_err(|e| Failure::new(2, format!("saker: {e}")))?
    else {
        return Ok(None);
    };
    let console = Console::start(options, Arc::clone(metrics))
        .map_err(|e| Failure::new(2, format!("saker: {e}")))?;
    Ok(Some(console))
}

fn outputs_changed(old: &Config, new: &Config) -> bool {
    old.encoder_options() != new.encoder_options()
        || old.queue_options() != new.queue_options()
        || old.stdout_output != new.stdout_output
        || old.syslog_output != new.syslog_output
        || old.file_output != new.file_output
        || old.program_output != new.program_output
        || old.http_output != new.http_output
        || old.nats_output != new.nats_output
        || old.redis_output != new.redis_output
}

impl Service {
    /// The open filter of the rules reloaded since the last call, if any.
    pub fn take_open_filter(&mut self) -> Option<saker_source::live::OpenFilterPlan> {
        self.open_filter.take()
    }

    /// Acts on SIGUSR1 and SIGHUP received since the last call; returns the new engine after
    /// a successful reload.
    pub fn handle_signals(&mut self) -> Option<Arc<Engine>> {
        if super::signals::take_reopen() {
            self.reopen();
        }
        if super::signals::take_reload() {
            return self.reload("SIGHUP received");
        }
        if super::watch::take_change() {
            return self.reload("Configuration or rules files changed on disk");
        }
        None
    }

    /// The files `watch_config_files` watches: the configuration file and the rules files
    /// and directories in force.
    fn watched_paths(&self) -> Vec<PathBuf> {
        let mut paths: Vec<PathBuf> = self
            .inputs
            .config_path
            .clone()
            .or_else(|| {
                Some(PathBuf::from(saker_config::DEFAULT_CONFIG_PATH)).filter(|p| p.exists())
            })
            .into_iter()
            .collect();
        let rules = if self.inputs.rule_paths.is_empty() {
            &self.config.rules_files
        } else {
            &self.inputs.rule_paths
        };
        paths.extend(
            rules
                .iter()
                .filter(|p| p.as_os_str() != saker_config::EMBEDDED_RULES)
                .cloned(),
        );
        paths
    }

    /// Starts, retargets or stops the watch as `watch_config_files` and the paths now say.
    pub fn update_watch(&mut self) {
        if !self.with_webserver || !self.config.watch_config_files {
            self.watcher = None;
            return;
        }
        let paths = self.watched_paths();
        match &mut self.watcher {
            Some(watcher) => watcher.watch(paths),
            None => match super::watch::ConfigWatcher::start(paths) {
                Ok(watcher) => self.watcher = Some(watcher),
                Err(e) => tracing::warn!(
                    "watch_config_files: cannot watch the files ({e}); SIGHUP still reloads"
                ),
            },
        }
    }
}
