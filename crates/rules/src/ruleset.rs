//! The loaded ruleset: rules, macros and lists after every file and override was applied.

use crate::ast;
use crate::filter::Filter;
use crate::source::{Location, Priority, Source};

/// Everything the loaded files define, in load order.
#[derive(Clone, Debug, Default)]
pub struct RuleSet {
    /// Rules that compiled, in load order (disabled ones included, with `enabled: false`).
    /// Rules that failed to compile, were skipped (`skip-if-unknown-filter`) or have an unknown
    /// source are not here (a diagnostic says why).
    pub rules: Vec<Rule>,
    pub macros: Vec<Macro>,
    pub lists: Vec<List>,
    /// The highest `required_engine_version` seen, if any.
    pub required_engine_version: Option<EngineVersion>,
    pub required_plugin_versions: Vec<PluginRequirement>,
}

impl RuleSet {
    pub fn rule(&self, name: &str) -> Option<&Rule> {
        self.rules.iter().find(|r| r.name == name)
    }

    pub fn macro_(&self, name: &str) -> Option<&Macro> {
        self.macros.iter().find(|m| m.name == name)
    }

    pub fn list(&self, name: &str) -> Option<&List> {
        self.lists.iter().find(|l| l.name == name)
    }

    /// Enabled rules of one source, in load order.
    pub fn enabled_rules(&self, source: Source) -> impl Iterator<Item = &Rule> {
        self.rules
            .iter()
            .filter(move |r| r.enabled && r.source == source)
    }
}

/// One compiled rule.
#[derive(Clone, Debug)]
pub struct Rule {
    pub name: String,
    pub desc: String,
    /// The condition text after appends/replaces, before exceptions (what the user wrote).
    pub condition: String,
    /// The output format string (`%proc.name` etc.), after appends/replaces.
    pub output: String,
    /// The output Saker formats: [`Rule::output`] with the config's `append_output` formats
    /// added (Falco's `output_compiled`).
    pub output_compiled: String,
    /// [`Rule::output_compiled`] split into literal text and fields, fields resolved.
    pub output_format: Vec<OutputSegment>,
    /// Extra `output_fields` from the config's `append_output` (`extra_fields`): name and
    /// format.
    pub extra_fields: Vec<ExtraField>,
    /// The condition as Falco compiles it, macros and lists substituted and exceptions added,
    /// printed as libsinsp prints it (Falco's `condition_compiled`).
    pub condition_compiled: String,
    /// `capture` and `capture_duration` (milliseconds, 0 when not set).
    pub capture: bool,
    pub capture_duration: u64,
    pub priority: Priority,
    pub source: Source,
    pub enabled: bool,
    pub tags: Vec<String>,
    pub exceptions: Vec<Exception>,
    pub warn_evttypes: bool,
    pub skip_if_unknown_filter: bool,
    /// The checked condition, macros and lists inlined, exceptions appended as
    /// `(cond) and not ((f1 c1 v1 and ...) or ...)`.
    pub filter: Filter,
    /// Where the rule was first defined.
    pub location: Location,
}

/// A piece of a rule's output format.
#[derive(Clone, Debug, PartialEq)]
pub enum OutputSegment {
    Text(String),
    /// `%proc.name`, `%proc.aname[2]`, `%toupper(proc.name)`, `%20fd.name`.
    Field(OutputField),
}

/// One `%` token of an output format.
#[derive(Clone, Debug, PartialEq)]
pub struct OutputField {
    pub operand: crate::filter::Operand,
    /// Its name in the alert's `output_fields`, as written (`proc.aname[2]`).
    pub key: String,
    /// `%20fd.name`: the value padded with spaces or cut to this many bytes (0: as is).
    pub width: u32,
}

/// A field added to every matching rule's `output_fields` (`append_output.extra_fields`).
#[derive(Clone, Debug, PartialEq)]
pub struct ExtraField {
    pub name: String,
    /// The format as configured (`hello %evt.num`), and resolved.
    pub format: String,
    pub segments: Vec<OutputSegment>,
    /// Given as a bare field name: the value keeps its type in the JSON alert.
    pub raw: bool,
}

/// An exception as written (after appends); it is already folded into [`Rule::filter`].
#[derive(Clone, Debug, PartialEq)]
pub struct Exception {
    pub name: String,
    /// One field (scalar form) or several (tuple form).
    pub fields: Vec<String>,
    /// Whether `fields:` was a scalar: then every value is a single value, not a tuple.
    pub single_field: bool,
    pub comps: Vec<String>,
    /// One tuple per entry; in the scalar form, one-element tuples.
    pub values: Vec<Vec<ExceptionValue>>,
}

/// One value of an exception tuple: a scalar, or a list (for `in`/`pmatch`/`intersects`).
#[derive(Clone, Debug, PartialEq)]
pub enum ExceptionValue {
    Scalar(String),
    List(Vec<String>),
}

/// A macro after appends/replaces.
#[derive(Clone, Debug)]
pub struct Macro {
    pub name: String,
    pub condition: String,
    /// The parsed condition (macro references unresolved).
    pub ast: ast::Expr,
    pub location: Location,
    /// Whether an enabled or disabled rule (directly or through another macro) uses it.
    pub used: bool,
}

/// A list after appends/replaces, with list references expanded.
#[derive(Clone, Debug)]
pub struct List {
    pub name: String,
    /// Items as written (strings; YAML numbers as their text).
    pub items: Vec<String>,
    /// Items with referenced lists expanded, in order (Falco's `items_compiled`).
    pub expanded: Vec<String>,
    /// Lists named by the items and expanded into them.
    pub refs: Vec<String>,
    pub location: Location,
    pub used: bool,
}

/// `required_engine_version`: semver `0.57.0` or a legacy integer (`15`, compared as `0.15.0`).
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub struct EngineVersion {
    pub major: u64,
    pub minor: u64,
    pub patch: u64,
}

impl std::fmt::Display for EngineVersion {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}.{}.{}", self.major, self.minor, self.patch)
    }
}

/// One entry of `required_plugin_versions`.
#[derive(Clone, Debug, PartialEq)]
pub struct PluginRequirement {
    pub name: String,
    pub version: String,
    pub alternatives: Vec<(String, String)>,
}
