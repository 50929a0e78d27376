//! The domain names that rules compare `fd.cip.name`, `fd.sip.name`, `fd.lip.name` and
//! `fd.rip.name` with, and the addresses they resolve to.
//!
//! libsinsp (userspace/libsinsp/dns_manager.cpp, libs 0.25) resolves a name with
//! `getaddrinfo` the first time a comparison needs it, on the event path, and a background
//! thread refreshes it: every 10 s at first, the period doubling up to 320 s while the answer
//! stays the same and back to 10 s when it changes. A comparison holds when the fd's address
//! is among the name's addresses; printing the field gives a name whose addresses hold it.
//!
//! Here the names are known when the rules compile, so they are resolved then: by a few
//! threads, [`Engine::new`](crate::Engine::new) waiting at most
//! [`NameResolution::load_wait`] for them, so that evaluating an event never waits for a
//! resolver. An answer that comes later is taken when it arrives. One thread per engine then
//! refreshes on libsinsp's schedule, and ends when the engine is dropped. The engines built
//! with one [`NameResolution`] (`saker run`'s, before and after a reload) share their latest
//! answers: a reload starts from them and waits only for names it did not have.
//!
//! A name without addresses (it does not resolve, or has not answered yet) matches no
//! address; each such name is logged once, and [`DomainNames::status`] counts its failures.
//! A failed refresh keeps the addresses of the last answer (libsinsp empties them until the
//! next refresh).

use std::collections::HashMap;
use std::fmt;
use std::io;
use std::net::{IpAddr, ToSocketAddrs};
use std::sync::atomic::{AtomicBool, AtomicU64, AtomicUsize, Ordering};
use std::sync::mpsc::{self, RecvTimeoutError};
use std::sync::{Arc, Mutex, OnceLock, PoisonError, RwLock};
use std::time::{Duration, Instant};

/// Resolves a domain name to its addresses.
pub trait Resolve: Send + Sync {
    /// Every address of `name` (IPv4 and IPv6), or why there is none.
    fn resolve(&self, name: &str) -> io::Result<Vec<IpAddr>>;
}

/// The host's resolver: `getaddrinfo` (through std's `ToSocketAddrs`), as libsinsp asks it,
/// so `/etc/hosts`, the search domains and the name servers of the host apply.
#[derive(Clone, Copy, Debug, Default)]
pub struct SystemResolver;

impl Resolve for SystemResolver {
    fn resolve(&self, name: &str) -> io::Result<Vec<IpAddr>> {
        Ok((name, 0).to_socket_addrs()?.map(|a| a.ip()).collect())
    }
}

/// How an engine resolves the names of its rules; see the [module docs](self).
#[derive(Clone)]
pub struct NameResolution {
    pub resolver: Arc<dyn Resolve>,
    /// How long compiling waits for the first answers.
    pub load_wait: Duration,
    /// The first refresh period of a name (libsinsp: 10 s).
    pub base_refresh: Duration,
    /// The longest refresh period, reached by doubling while answers do not change
    /// (libsinsp: 320 s).
    pub max_refresh: Duration,
    /// The latest answer for each name, shared by clones of this resolution.
    answers: Arc<Answers>,
}

impl NameResolution {
    /// The host's resolver with libsinsp's refresh periods; compiling waits at most 2 s.
    /// Every call shares one set of answers, as the host has one resolver.
    pub fn system() -> NameResolution {
        static SYSTEM: OnceLock<NameResolution> = OnceLock::new();
        SYSTEM
            .get_or_init(|| NameResolution::with_resolver(Arc::new(SystemResolver)))
            .clone()
    }

    /// Another resolver (a fixed table in tests) with the same periods as [`Self::system`],
    /// and answers of its own.
    pub fn with_resolver(resolver: Arc<dyn Resolve>) -> NameResolution {
        NameResolution {
            resolver,
            load_wait: Duration::from_secs(2),
            base_refresh: Duration::from_secs(10),
            max_refresh: Duration::from_secs(320),
            answers: Arc::default(),
        }
    }
}

/// The latest addresses of each name that was answered (empty: it did not resolve).
#[derive(Debug, Default)]
struct Answers(Mutex<HashMap<Box<str>, Box<[IpAddr]>>>);

impl Answers {
    /// Keeps what `name` holds now, after an answer.
    fn record(&self, name: &DomainName) {
        let mut answers = self.0.lock().unwrap_or_else(PoisonError::into_inner);
        answers.insert(name.name.clone(), name.addresses().into_boxed_slice());
    }

    /// Gives `name` the latest answer an engine had for it; false when there was none.
    fn seed(&self, name: &DomainName) -> bool {
        let answers = self.0.lock().unwrap_or_else(PoisonError::into_inner);
        let Some(addresses) = answers.get(&name.name) else {
            return false;
        };
        *name
            .addresses
            .write()
            .unwrap_or_else(PoisonError::into_inner) = addresses.clone();
        name.answered.store(true, Ordering::Release);
        true
    }
}

impl fmt::Debug for NameResolution {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("NameResolution")
            .field("load_wait", &self.load_wait)
            .field("base_refresh", &self.base_refresh)
            .field("max_refresh", &self.max_refresh)
            .field("answers", &self.answers)
            .finish_non_exhaustive()
    }
}

/// One name and its latest addresses.
#[derive(Debug)]
pub(crate) struct DomainName {
    name: Box<str>,
    /// Sorted, without duplicates. Read on the event path; written by the resolving threads.
    addresses: RwLock<Box<[IpAddr]>>,
    answered: AtomicBool,
    failures: AtomicU64,
    last_error: Mutex<Option<String>>,
    /// The failure was logged (once per name and engine).
    warned: AtomicBool,
}

impl DomainName {
    fn new(name: &str) -> DomainName {
        DomainName {
            name: name.into(),
            addresses: RwLock::new(Box::new([])),
            answered: AtomicBool::new(false),
            failures: AtomicU64::new(0),
            last_error: Mutex::new(None),
            warned: AtomicBool::new(false),
        }
    }

    pub(crate) fn name(&self) -> &str {
        &self.name
    }

    /// Whether `ip` is one of the name's addresses.
    #[inline]
    pub(crate) fn has(&self, ip: IpAddr) -> bool {
        let addresses = self
            .addresses
            .read()
            .unwrap_or_else(PoisonError::into_inner);
        addresses.binary_search(&ip).is_ok()
    }

    fn addresses(&self) -> Vec<IpAddr> {
        let addresses = self
            .addresses
            .read()
            .unwrap_or_else(PoisonError::into_inner);
        addresses.to_vec()
    }

    /// Takes an answer; returns whether the addresses changed. A failure keeps the last
    /// addresses: a resolver that stops answering for a while does not blind the rules.
    fn store(&self, answer: io::Result<Vec<IpAddr>>) -> bool {
        self.answered.store(true, Ordering::Release);
        let mut fresh = match answer {
            Ok(addresses) if !addresses.is_empty() => addresses,
            Ok(_) => return self.fail("no addresses".to_string()),
            Err(e) => return self.fail(e.to_string()),
        };
        fresh.sort_unstable();
        fresh.dedup();
        *self
            .last_error
            .lock()
            .unwrap_or_else(PoisonError::into_inner) = None;
        if self.warned.swap(false, Ordering::AcqRel) {
            tracing::info!(name = %self.name, addresses = ?fresh, "domain name resolves again");
        }
        let mut addresses = self
            .addresses
            .write()
            .unwrap_or_else(PoisonError::into_inner);
        if **addresses == *fresh {
            return false;
        }
        *addresses = fresh.into_boxed_slice();
        true
    }

    fn fail(&self, error: String) -> bool {
        self.failures.fetch_add(1, Ordering::Relaxed);
        *self
            .last_error
            .lock()
            .unwrap_or_else(PoisonError::into_inner) = Some(error);
        false
    }

    /// The latest error, the first time the name has one since it last resolved (the
    /// caller logs it): each failure is logged once.
    fn unwarned_error(&self) -> Option<String> {
        let error = self
            .last_error
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .clone()?;
        (!self.warned.swap(true, Ordering::AcqRel)).then_some(error)
    }

    /// Logs the name's failure the first time it has one.
    fn warn_once_if_failed(&self) {
        let Some(error) = self.unwarned_error() else {
            return;
        };
        let addresses = self.addresses();
        if addresses.is_empty() {
            tracing::warn!(name = %self.name, error = %error,
                "domain name does not resolve: fd.*ip.name comparisons with it match no address");
        } else {
            tracing::warn!(name = %self.name, error = %error, addresses = ?addresses,
                "domain name does not resolve now: its last addresses are kept");
        }
    }
}

/// What is known of one name, for logs, metrics and tests.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct NameStatus {
    pub name: String,
    /// Sorted; empty when the name never resolved.
    pub addresses: Vec<IpAddr>,
    /// Whether the resolver answered at least once (with addresses or an error).
    pub answered: bool,
    /// Answers that were errors or empty.
    pub failures: u64,
    /// The error of the latest answer, when it was one.
    pub last_error: Option<String>,
}

/// Every domain name the rules of one engine compare `fd.*ip.name` with, in the order the
/// rules name them.
#[derive(Debug, Default)]
pub struct DomainNames {
    names: Vec<Arc<DomainName>>,
}

impl DomainNames {
    /// The entry of `name`, added the first time.
    pub(crate) fn intern(&mut self, name: &str) -> Arc<DomainName> {
        if let Some(known) = self.names.iter().find(|n| *n.name == *name) {
            return known.clone();
        }
        let entry = Arc::new(DomainName::new(name));
        self.names.push(entry.clone());
        entry
    }

    pub fn is_empty(&self) -> bool {
        self.names.is_empty()
    }

    /// Whether `ip` is among the addresses of `name` (false for a name no rule uses).
    pub fn resolves_to(&self, name: &str, ip: IpAddr) -> bool {
        self.names.iter().any(|n| *n.name == *name && n.has(ip))
    }

    /// The first name, in rule order, that resolves to `ip`: what `%fd.sip.name` prints.
    /// libsinsp takes the first its hash table holds, so with two names for one address it
    /// may print either.
    pub fn name_of(&self, ip: IpAddr) -> Option<&str> {
        self.names.iter().find(|n| n.has(ip)).map(|n| n.name())
    }

    /// Every name with what is known of it.
    pub fn status(&self) -> Vec<NameStatus> {
        self.names
            .iter()
            .map(|n| NameStatus {
                name: n.name.to_string(),
                addresses: n.addresses(),
                answered: n.answered.load(Ordering::Acquire),
                failures: n.failures.load(Ordering::Relaxed),
                last_error: n
                    .last_error
                    .lock()
                    .unwrap_or_else(PoisonError::into_inner)
                    .clone(),
            })
            .collect()
    }
}

/// Keeps an engine's refresh thread running; dropping it stops the thread at its next wake-up
/// (at once when it is waiting, after the answer when it is asking the resolver).
#[derive(Debug)]
pub(crate) struct Refresher {
    _stop: mpsc::Sender<()>,
}

/// Threads that resolve the names at load, at most.
const LOAD_THREADS: usize = 4;

/// Resolves the names no earlier engine of `resolution` had answers for, waiting at most
/// `resolution.load_wait`, logs the names without addresses, and starts the refresh thread.
/// `None` when no thread could be started (then logged). The engine calls it only when its
/// rules name any domain.
pub(crate) fn start(names: &Arc<DomainNames>, resolution: &NameResolution) -> Option<Refresher> {
    let unknown: Vec<Arc<DomainName>> = names
        .names
        .iter()
        .filter(|name| !resolution.answers.seed(name))
        .cloned()
        .collect();
    resolve_at_load(unknown.into(), resolution);
    let (stop, stopped) = mpsc::channel();
    let (names, resolution) = (names.clone(), resolution.clone());
    let spawned = std::thread::Builder::new()
        .name("saker-dns-refresh".into())
        .spawn(move || refresh_loop(&names, &resolution, &stopped));
    match spawned {
        Ok(_) => Some(Refresher { _stop: stop }),
        Err(e) => {
            tracing::warn!(error = %e, "domain names will not be refreshed: cannot start the thread");
            None
        }
    }
}

fn resolve_at_load(names: Arc<[Arc<DomainName>]>, resolution: &NameResolution) {
    if names.is_empty() {
        return;
    }
    let deadline = Instant::now() + resolution.load_wait;
    let next = Arc::new(AtomicUsize::new(0));
    let (done, answered) = mpsc::channel::<()>();
    for _ in 0..LOAD_THREADS.min(names.len()) {
        let (names, next, done) = (names.clone(), next.clone(), done.clone());
        let resolution = resolution.clone();
        let spawned = std::thread::Builder::new()
            .name("saker-dns-load".into())
            .spawn(move || load_worker(&names, &resolution, &next, &done));
        if let Err(e) = spawned {
            tracing::warn!(error = %e, "cannot start a thread to resolve domain names");
        }
    }
    drop(done);
    let mut count = 0;
    while count < names.len() {
        let left = deadline.saturating_duration_since(Instant::now());
        match answered.recv_timeout(left) {
            Ok(()) => count += 1,
            Err(RecvTimeoutError::Timeout | RecvTimeoutError::Disconnected) => break,
        }
    }
    // One line for all the names of the rules that do not resolve here (the default rules'
    // Kubernetes names on a host outside a cluster), each name with its error.
    let failed: Vec<String> = names
        .iter()
        .filter_map(|n| Some(format!("{}: {}", n.name, n.unwarned_error()?)))
        .collect();
    if !failed.is_empty() {
        tracing::warn!(names = ?failed,
            "domain names do not resolve: fd.*ip.name comparisons with them match no address");
    }
    let pending: Vec<&str> = names
        .iter()
        .filter(|n| !n.answered.load(Ordering::Acquire))
        .map(|n| n.name())
        .collect();
    if !pending.is_empty() {
        tracing::warn!(names = ?pending, wait = ?resolution.load_wait,
            "domain names not resolved yet: they match no address until their answer arrives");
    }
}

/// Takes names off the shared counter until none is left. Reports each answer to the
/// loading thread; once that one stopped waiting, logs failures itself.
fn load_worker(
    names: &[Arc<DomainName>],
    resolution: &NameResolution,
    next: &AtomicUsize,
    done: &mpsc::Sender<()>,
) {
    loop {
        let Some(name) = names.get(next.fetch_add(1, Ordering::Relaxed)) else {
            return;
        };
        name.store(resolution.resolver.resolve(name.name()));
        resolution.answers.record(name);
        if done.send(()).is_err() {
            name.warn_once_if_failed();
        }
    }
}

/// libsinsp's `sinsp_dns_resolver::refresh`: wakes every base period and asks again for the
/// names that are due; a name's period doubles (up to the maximum) while its answer stays
/// the same and is back to the base period when it changes.
fn refresh_loop(names: &DomainNames, resolution: &NameResolution, stop: &mpsc::Receiver<()>) {
    let base = resolution.base_refresh;
    let mut schedule: Vec<(Duration, Instant)> = names
        .names
        .iter()
        .map(|_| (base, Instant::now() + base))
        .collect();
    while let Err(RecvTimeoutError::Timeout) = stop.recv_timeout(base) {
        for (name, (period, due)) in names.names.iter().zip(&mut schedule) {
            if Instant::now() < *due {
                continue;
            }
            let changed = name.store(resolution.resolver.resolve(name.name()));
            resolution.answers.record(name);
            name.warn_once_if_failed();
            *period = next_period(*period, changed, resolution);
            *due = Instant::now() + *period;
        }
    }
}

fn next_period(period: Duration, changed: bool, resolution: &NameResolution) -> Duration {
    if changed {
        resolution.base_refresh
    } else {
        (period * 2).min(resolution.max_refresh)
    }
}

#[cfg(test)]
mod tests {
    use std::collections::HashMap;
    use std::sync::Condvar;

    use saker_rules::{SourceFile, load};

    use super::*;
    use crate::{Engine, EngineOptions, JsonlEvent, RuleMatching};

    /// Answers from a table; names it lacks do not resolve. No name server is asked.
    struct Table(HashMap<&'static str, Vec<IpAddr>>);

    impl Table {
        fn new(entries: &[(&'static str, &[&str])]) -> Arc<Table> {
            let parse = |list: &[&str]| list.iter().map(|a| a.parse().unwrap()).collect();
            Arc::new(Table(entries.iter().map(|(n, a)| (*n, parse(a))).collect()))
        }
    }

    impl Resolve for Table {
        fn resolve(&self, name: &str) -> io::Result<Vec<IpAddr>> {
            self.0
                .get(name)
                .cloned()
                .ok_or_else(|| io::Error::new(io::ErrorKind::NotFound, "no such name"))
        }
    }

    /// One rule per `(name, condition)`, with an output that prints the four name fields.
    fn engine_with(rules: &[(&str, &str)], resolution: Option<NameResolution>) -> Engine {
        let mut yaml = String::new();
        for (name, condition) in rules {
            yaml.push_str(&format!(
                "- rule: {name}\n  desc: d\n  condition: {condition}\n  output: \"sip=%fd.sip.name cip=%fd.cip.name\"\n  priority: INFO\n"
            ));
        }
        let (ruleset, diagnostics) = load(&[SourceFile::new("names.yaml", yaml)]);
        assert!(diagnostics.iter().all(|d| !d.is_error()), "{diagnostics:?}");
        let options = EngineOptions {
            rule_matching: RuleMatching::All,
            name_resolution: resolution,
            ..EngineOptions::default()
        };
        Engine::new(&ruleset, options).unwrap()
    }

    /// The rules that fire on a field-level event, with their outputs.
    fn fired(engine: &Engine, json: &str) -> Vec<(String, String)> {
        let event = JsonlEvent::parse(json, engine).unwrap();
        let alerts = engine.process(&event);
        alerts.into_iter().map(|a| (a.rule, a.output)).collect()
    }

    fn rules_fired(engine: &Engine, json: &str) -> Vec<String> {
        fired(engine, json)
            .into_iter()
            .map(|(rule, _)| rule)
            .collect()
    }

    /// `localhost` comes from /etc/hosts, through the host's resolver (getaddrinfo): no name
    /// server is asked.
    #[test]
    fn localhost_resolves_through_the_host_resolver() {
        let addresses = SystemResolver.resolve("localhost").unwrap();
        assert!(
            addresses.contains(&"127.0.0.1".parse().unwrap()),
            "{addresses:?}"
        );
        let engine = engine_with(
            &[
                ("eq", "fd.sip.name = localhost"),
                ("ne", "fd.sip.name != localhost"),
                // A numeric host is its own address: no name server either.
                ("in", "fd.sip.name in (10.9.9.9, localhost)"),
            ],
            Some(NameResolution::system()),
        );
        assert_eq!(
            fired(&engine, r#"{"fd.sip.name":"127.0.0.1"}"#),
            [
                ("eq".to_string(), "sip=localhost cip=<NA>".to_string()),
                ("in".to_string(), "sip=localhost cip=<NA>".to_string()),
            ]
        );
        assert_eq!(
            fired(&engine, r#"{"fd.sip.name":"10.1.2.3"}"#),
            [("ne".to_string(), "sip=<NA> cip=<NA>".to_string())]
        );
        // No address: every comparison is false, `!=` included.
        assert!(rules_fired(&engine, "{}").is_empty());
    }

    /// Port of libs' userspace/libsinsp/test/dns_manager.ut.cpp
    /// (`simple_dns_manager_invocation`): a name that does not resolve ("bogus") matches no
    /// address (libs' `uint32_t addr = 111111`, 7.178.1.0 on a little-endian machine).
    #[test]
    fn a_name_that_does_not_resolve_matches_no_address() {
        let engine = engine_with(
            &[("bogus", "fd.sip.name = bogus")],
            Some(NameResolution::with_resolver(Table::new(&[]))),
        );
        assert!(rules_fired(&engine, r#"{"fd.sip.name":"7.178.1.0"}"#).is_empty());
        let status = engine.domain_names().status();
        assert_eq!(status.len(), 1);
        assert_eq!(status[0].name, "bogus");
        assert!(status[0].answered && status[0].addresses.is_empty());
        assert_eq!(status[0].failures, 1);
        assert_eq!(status[0].last_error.as_deref(), Some("no such name"));
    }

    /// libsinsp's comparisons (`compare_domain`): `=` and `in` hold when the address is one
    /// of a name's, `!=` when it is none of the name's; the field prints the first name, in
    /// rule order, that holds the address.
    #[test]
    fn addresses_match_the_names_that_resolve_to_them() {
        let names = Table::new(&[
            ("api.test", &["10.96.0.1", "fd00::1"]),
            ("db.test", &["10.96.0.2", "10.96.0.1"]),
        ]);
        let engine = engine_with(
            &[
                ("api", "fd.sip.name = api.test"),
                ("not api", "fd.sip.name != api.test"),
                ("db or other", "fd.sip.name in (db.test, other.test)"),
                ("client api", "fd.cip.name = api.test"),
                ("has name", "fd.rip.name exists"),
            ],
            Some(NameResolution::with_resolver(names)),
        );
        let cases: [(&str, &[&str]); 6] = [
            (r#"{"fd.sip.name":"10.96.0.1"}"#, &["api", "db or other"]),
            (r#"{"fd.sip.name":"fd00::1"}"#, &["api"]),
            (
                r#"{"fd.sip.name":"10.96.0.2"}"#,
                &["not api", "db or other"],
            ),
            (r#"{"fd.sip.name":"10.0.0.9"}"#, &["not api"]),
            (r#"{"fd.cip.name":"fd00::1"}"#, &["client api"]),
            (r#"{"fd.rip.name":"10.0.0.9"}"#, &["has name"]),
        ];
        for (json, want) in cases {
            assert_eq!(rules_fired(&engine, json), want, "{json}");
        }
        // 10.96.0.1 belongs to both names: the first the rules name is printed.
        let alerts = fired(
            &engine,
            r#"{"fd.sip.name":"10.96.0.1","fd.cip.name":"10.96.0.2"}"#,
        );
        assert_eq!(alerts[0].1, "sip=api.test cip=db.test");
    }

    /// An event may carry the name itself (the field-level events of `saker rules test`):
    /// then the name is compared, as libsinsp compares the name it extracted.
    #[test]
    fn an_event_that_carries_a_name_compares_the_name() {
        let engine = engine_with(
            &[
                ("api", "fd.sip.name = api.test"),
                ("not api", "fd.sip.name != api.test"),
            ],
            None,
        );
        assert_eq!(
            rules_fired(&engine, r#"{"fd.sip.name":"api.test"}"#),
            ["api"]
        );
        assert_eq!(
            fired(&engine, r#"{"fd.sip.name":"db.test"}"#),
            [("not api".to_string(), "sip=db.test cip=<NA>".to_string())]
        );
    }

    /// A resolver that does not answer until released: the engine is built after the load
    /// wait, matches nothing meanwhile, and takes the answer when it comes.
    #[test]
    fn a_hung_resolver_costs_the_load_wait_and_its_late_answer_is_taken() {
        struct Hung {
            released: Mutex<bool>,
            wake: Condvar,
        }
        impl Resolve for Hung {
            fn resolve(&self, _: &str) -> io::Result<Vec<IpAddr>> {
                let released = self.released.lock().unwrap();
                let (_released, _) = self
                    .wake
                    .wait_timeout_while(released, Duration::from_secs(60), |r| !*r)
                    .unwrap();
                Ok(vec!["10.96.0.1".parse().unwrap()])
            }
        }
        let hung = Arc::new(Hung {
            released: Mutex::new(false),
            wake: Condvar::new(),
        });
        let resolution = NameResolution {
            load_wait: Duration::from_millis(200),
            ..NameResolution::with_resolver(hung.clone())
        };
        let started = Instant::now();
        let engine = engine_with(&[("api", "fd.sip.name = api.test")], Some(resolution));
        let took = started.elapsed();
        assert!(took >= Duration::from_millis(200), "{took:?}");
        assert!(took < Duration::from_secs(10), "{took:?}");
        let event = r#"{"fd.sip.name":"10.96.0.1"}"#;
        assert!(rules_fired(&engine, event).is_empty());
        assert!(!engine.domain_names().status()[0].answered);

        *hung.released.lock().unwrap() = true;
        hung.wake.notify_all();
        let deadline = Instant::now() + Duration::from_secs(30);
        while rules_fired(&engine, event).is_empty() {
            assert!(Instant::now() < deadline, "the late answer was not taken");
            std::thread::sleep(Duration::from_millis(10));
        }
    }

    /// Refreshes take new answers (libsinsp's `refresh`), and a failed refresh keeps the
    /// last addresses.
    #[test]
    fn refreshes_take_new_answers_and_keep_the_last_on_failure() {
        /// Answers 10.0.0.1, then fails once, then answers 10.0.0.2 from then on.
        struct Moving(AtomicUsize);
        impl Resolve for Moving {
            fn resolve(&self, _: &str) -> io::Result<Vec<IpAddr>> {
                match self.0.fetch_add(1, Ordering::SeqCst) {
                    0 => Ok(vec!["10.0.0.1".parse().unwrap()]),
                    1 => Err(io::Error::new(io::ErrorKind::TimedOut, "timed out")),
                    _ => Ok(vec!["10.0.0.2".parse().unwrap()]),
                }
            }
        }
        let moving = Arc::new(Moving(AtomicUsize::new(0)));
        let resolution = NameResolution {
            base_refresh: Duration::from_millis(20),
            max_refresh: Duration::from_millis(40),
            ..NameResolution::with_resolver(moving.clone())
        };
        let engine = engine_with(&[("api", "fd.sip.name = api.test")], Some(resolution));
        let at = |ip: &str| {
            let json = format!(r#"{{"fd.sip.name":"{ip}"}}"#);
            !rules_fired(&engine, &json).is_empty()
        };
        let deadline = Instant::now() + Duration::from_secs(30);
        // Until the third answer, the first address holds (the failure keeps it).
        while !at("10.0.0.2") {
            assert!(at("10.0.0.1") || moving.0.load(Ordering::SeqCst) > 2);
            assert!(Instant::now() < deadline, "no refresh");
            std::thread::sleep(Duration::from_millis(5));
        }
        assert!(!at("10.0.0.1"));
        assert_eq!(engine.domain_names().status()[0].failures, 1);
    }

    /// A reload's engine starts from the answers of the engine before it (same resolution):
    /// it asks again only for names that one did not have, so it waits for no known name.
    #[test]
    fn a_second_engine_starts_from_the_answers_of_the_first() {
        struct Counting(AtomicUsize);
        impl Resolve for Counting {
            fn resolve(&self, name: &str) -> io::Result<Vec<IpAddr>> {
                self.0.fetch_add(1, Ordering::SeqCst);
                match name {
                    "api.test" => Ok(vec!["10.96.0.1".parse().unwrap()]),
                    _ => Err(io::Error::new(io::ErrorKind::NotFound, "no such name")),
                }
            }
        }
        let counting = Arc::new(Counting(AtomicUsize::new(0)));
        let resolution = NameResolution::with_resolver(counting.clone());
        let rules = [
            ("api", "fd.sip.name = api.test"),
            ("gone", "fd.sip.name = gone.test"),
        ];
        let first = engine_with(&rules, Some(resolution.clone()));
        assert_eq!(counting.0.load(Ordering::SeqCst), 2);
        drop(first);
        let second = engine_with(&rules, Some(resolution.clone()));
        assert_eq!(counting.0.load(Ordering::SeqCst), 2);
        let event = r#"{"fd.sip.name":"10.96.0.1"}"#;
        assert_eq!(rules_fired(&second, event), ["api"]);
        // A name the first engine did not have is asked for.
        let third = engine_with(&[("db", "fd.sip.name = db.test")], Some(resolution));
        assert_eq!(counting.0.load(Ordering::SeqCst), 3);
        assert!(rules_fired(&third, event).is_empty());
    }

    #[test]
    fn refresh_periods_double_while_answers_stay_the_same() {
        let resolution = NameResolution::system();
        let mut period = resolution.base_refresh;
        let mut periods = Vec::new();
        for _ in 0..7 {
            period = next_period(period, false, &resolution);
            periods.push(period.as_secs());
        }
        assert_eq!(periods, [20, 40, 80, 160, 320, 320, 320]);
        assert_eq!(next_period(period, true, &resolution).as_secs(), 10);
    }

    /// A name that does not resolve is logged once, however often the refreshes fail.
    #[test]
    fn a_failing_name_is_logged_once() {
        #[derive(Clone, Default)]
        struct Lines(Arc<Mutex<Vec<u8>>>);
        impl io::Write for Lines {
            fn write(&mut self, bytes: &[u8]) -> io::Result<usize> {
                self.0.lock().unwrap().extend_from_slice(bytes);
                Ok(bytes.len())
            }
            fn flush(&mut self) -> io::Result<()> {
                Ok(())
            }
        }
        let lines = Lines::default();
        let writer = lines.clone();
        let subscriber = tracing_subscriber::fmt()
            .with_writer(move || writer.clone())
            .with_ansi(false)
            .finish();
        // Global: the refresh thread logs too. This is the only test that installs one.
        tracing::subscriber::set_global_default(subscriber).unwrap();
        let resolution = NameResolution {
            base_refresh: Duration::from_millis(10),
            max_refresh: Duration::from_millis(10),
            ..NameResolution::with_resolver(Table::new(&[]))
        };
        let engine = engine_with(&[("r", "fd.sip.name = once.test")], Some(resolution));
        let deadline = Instant::now() + Duration::from_secs(30);
        while engine.domain_names().status()[0].failures < 4 {
            assert!(Instant::now() < deadline, "no refresh");
            std::thread::sleep(Duration::from_millis(5));
        }
        let text = String::from_utf8(lines.0.lock().unwrap().clone()).unwrap();
        let warnings: Vec<&str> = text.lines().filter(|l| l.contains("once.test")).collect();
        assert_eq!(warnings.len(), 1, "{text}");
        assert!(
            warnings[0].contains("WARN")
                && warnings[0].contains("domain names do not resolve")
                && warnings[0].contains("once.test: no such name"),
            "{text}"
        );
    }
}
