//! saker-engine: evaluates Falco-compatible rules on events and produces alerts.
//!
//! The rules crate loads and checks rules files into a [`saker_rules::RuleSet`]; this crate
//! compiles every enabled rule's condition once ([`Engine::new`]), indexes the rules by the
//! event types their conditions can match, and evaluates events given through the [`Event`]
//! trait: the field-level JSONL event ([`JsonlEvent`]) today, the live syscall and
//! Kubernetes audit events later. A match becomes a [`saker_event::Alert`] with the rule's
//! output formatted (`%field`, `<NA>` for missing values) and typed `output_fields`.
//!
//! Saker's own default ruleset is embedded: [`default_rules`] gives its YAML and
//! [`load_default_rules`] loads it.
//!
//! Architecture invariant: evaluating an event does no string lookups, no parsing and no
//! allocation except for transformers and the alerts of matching rules.
//!
//! # How a condition is evaluated
//!
//! Compiling turns each check into a leaf with its constants prepared (sets hashed, globs and
//! regexes compiled, numbers and networks parsed); identical checks across rules (a macro
//! such as `open_write` expanded into 30 rules) become one leaf. The `and`/`or`/`not` tree
//! over the leaves is then flattened into a branch program: a contiguous array of tests,
//! each naming the next test for either outcome, so evaluation is a loop over the tests
//! actually reached, without recursion or connective nodes. Each rule gets one such program
//! per event type it can match, with its `evt.type` tests decided at compile time (rules
//! whose type tests come out the same share one). Leaves that several rules use keep their
//! result for the current event (a per-thread memo reset by bumping a stamp), so a shared
//! macro is tested once per event. bench/engine.sh measures all of it on the Falco corpus.
//!
//! # Feeding events (live syscalls, Kubernetes audit)
//!
//! Implement [`Event`] on the event type: [`Event::source`], [`Event::event_type`] (map each
//! syscall to an [`EventTypeId`] once with [`Engine::event_type_id`]; types no rule names map
//! to [`EventTypeId::OTHER`]), [`Event::time_ns`] and [`Event::value`], which the engine calls
//! lazily, only for the fields the rules it evaluates reach. [`Engine::fields`] lists every
//! field any loaded rule or output uses, by [`Slot`], so an implementation can precompute per
//! slot how to extract it. Overriding [`Event::str_value`] / [`Event::int_value`] for stored
//! strings and numbers saves a [`Value`] round trip on the hottest checks.
//!
//! [`Engine::event_type_needs`] gives the event types a source's rules need (the kernel-side
//! filter) and the rules that have no type restriction. An [`Engine`] is `Send + Sync`;
//! [`Engine::evaluate`] keeps its per-event scratch space in a thread-local, so several
//! threads can evaluate with one engine.
//!
//! ```
//! use saker_engine::{Engine, EngineOptions, JsonlEvent};
//! use saker_rules::{load, SourceFile};
//!
//! let yaml = r#"
//! - rule: Write below etc
//!   desc: a file below /etc was opened for writing
//!   condition: evt.type = openat and evt.is_open_write = true and fd.name startswith /etc/
//!   output: "File below /etc opened for writing (file=%fd.name command=%proc.cmdline)"
//!   priority: ERROR
//! "#;
//! let (ruleset, diagnostics) = load(&[SourceFile::new("rules.yaml", yaml)]);
//! assert!(diagnostics.iter().all(|d| !d.is_error()));
//! let engine = Engine::new(&ruleset, EngineOptions::default()).unwrap();
//!
//! let line = r#"{"evt.type":"openat","evt.time":1,"evt.is_open_write":true,"fd.name":"/etc/passwd"}"#;
//! let event = JsonlEvent::parse(line, &engine).unwrap();
//! let alerts = engine.process(&event);
//! assert_eq!(alerts.len(), 1);
//! assert_eq!(alerts[0].output, "File below /etc opened for writing (file=/etc/passwd command=<NA>)");
//! ```

mod compile;
mod default_rules;
mod domain_names;
mod engine;
mod event;
mod field;
mod glob;
mod jsonl;
mod program;
pub mod reference;

mod time_format;
mod transform;
mod value;

pub use compile::CompileError;
pub use default_rules::{DEFAULT_RULES_FILE_NAME, default_rules, load_default_rules};
pub use domain_names::{DomainNames, NameResolution, NameStatus, Resolve, SystemResolver};
pub use engine::{Engine, EngineError, EngineOptions, EventTypeNeeds, RuleId, RuleMatching};
pub use event::{Event, EventTypeId};
pub use field::{FieldArg, FieldNameError, FieldRef, FieldTable, Slot, resolve_field};
pub use glob::{Glob, PathPrefix};
pub use jsonl::{EventParseError, JsonlEvent};
pub use time_format::{clock_time, iso8601};
pub use value::{IpNet, Value, parse_number};
