//! saker-rules: the front end of the Falco rule language.
//!
//! Rules files (YAML) → items with positions → conditions parsed ([`parse`]) → checked against
//! the typed field registry ([`fields`]) → a [`RuleSet`] whose rules carry a checked [`Filter`]
//! (macros, lists and exceptions inlined), plus every [`Diagnostic`] found.
//!
//! Architecture invariant: this crate does no I/O except in [`files`], a thin layer that reads
//! files and directories into [`SourceFile`]s; everything else takes text.
//!
//! # API for the engine (stable; additions only)
//!
//! - [`load`]`(&[SourceFile]) -> (RuleSet, Vec<Diagnostic>)`: files in order, later ones override.
//!   [`files::read_paths`] expands directories (alphabetical, `.yml`/`.yaml`).
//! - [`RuleSet`] `{ rules: Vec<Rule>, macros, lists, required_engine_version, .. }`: rules in load
//!   order (disabled ones kept with `enabled: false`; rules with errors dropped).
//!   [`Rule`] `{ name, desc, condition, output, output_format: Vec<OutputSegment>, priority:
//!   Priority, source: Source, enabled, tags, exceptions, warn_evttypes, skip_if_unknown_filter,
//!   filter: Filter, location }`.
//! - [`Filter`] = `And(Vec) | Or(Vec) | Not(Box) | Check(Box<FieldCheck>) | Const(bool)`;
//!   [`FieldCheck`] `{ lhs: FieldOperand, op: CmpOp, modifier: Option<Modifier>, rhs: CheckRhs }`;
//!   [`FieldOperand`] `{ field: FieldId, arg: Option<FieldArg /* Index(u64) | Key(String) */>,
//!   transformers: Vec<Transformer> /* outermost first */ }`;
//!   [`CheckRhs`] = `None | Value(Value) | List(Vec<Value>) | Field(FieldOperand)`;
//!   [`Value`] = `Str | Int(i64) | Uint(u64) | Double | Bool | Ip | Net{addr,prefix} | Bytes`,
//!   already parsed for the field's type (`in` lists too; list names expanded). For `regex`
//!   the value is `Str(pattern)`, already checked to compile (full match: anchor it).
//!   `Filter` implements `Display` (condition text with macros expanded) and
//!   `Filter::event_types() -> Option<BTreeSet<String>>` (`None`: not restricted to event
//!   types; used for Falco's "no evt.type restriction" warning).
//! - [`fields`]: [`FieldId`]`(u16)` indexes [`fields::all`]; `id.info()` gives [`FieldInfo`]
//!   `{ name, ty: FieldType, list, description, takes_arg: ArgKind, arg_required, dotted_arg,
//!   sources: Sources }`; [`fields::lookup`]`(name)`, [`fields::resolve`]`("evt.arg.flags")`.
//!   [`FieldType`] = `String | Int{signed,bits} | Double | Bool | Ip | IpNet | Port | AbsPath
//!   | Bytes | AbsTime | RelTime`.
//! - [`Source`] = `Syscall | K8sAudit`; [`Priority`] = `Emergency .. Debug` (`falco_name()` gives
//!   Falco's `Informational` spelling).
//! - [`parse`]`(&str) -> Result<ast::Expr, ParseError>` and [`print`] for the raw syntax tree;
//!   [`check_condition`] checks a standalone condition (no macros) into a `Filter`.
//! - [`parse_output`]`(&str) -> Result<Vec<OutputSegment>, String>` for `%field` formats.
//!
//! # Example
//!
//! ```
//! use saker_rules::{load, SourceFile};
//!
//! let yaml = r#"
//! - list: shells
//!   items: [bash, sh]
//! - macro: spawned_process
//!   condition: evt.type in (execve, execveat)
//! - rule: Shell spawned
//!   desc: a shell was started
//!   condition: spawned_process and proc.name in (shells)
//!   output: "shell %proc.name (parent %proc.pname)"
//!   priority: info
//! "#;
//! let (ruleset, diagnostics) = load(&[SourceFile::new("example.yaml", yaml)]);
//! assert!(diagnostics.iter().all(|d| !d.is_error()), "{diagnostics:?}");
//! let rule = ruleset.rule("Shell spawned").unwrap();
//! assert_eq!(
//!     rule.filter.to_string(),
//!     "evt.type in (execve, execveat) and proc.name in (bash, sh)"
//! );
//! ```

pub mod ast;
mod check;
pub mod diagnostic;
pub mod fields;
pub mod files;
pub mod filter;
mod lists;
mod load;
mod messages;
mod output;
mod parse;
pub mod print;
mod resolve;
pub mod ruleset;
mod schema;
pub mod source;
mod yaml;

pub use ast::{CmpOp, Modifier, Transformer};
pub use check::{
    EventTypes, check_condition, check_condition_for, condition_warnings, full_match_regex,
};
pub use diagnostic::{Diagnostic, Severity};
pub use fields::{ArgKind, FieldId, FieldInfo, FieldType};
pub use files::{RulesError, SourceFile};
pub use filter::{Base, CheckRhs, FieldArg, FieldCheck, FieldOperand, Filter, Operand, Value};
pub use load::{
    AppendField, AppendOutput, ENGINE_VERSION, LoadOptions, MAX_RULES_FILE_BYTES, load, load_with,
};
pub use output::parse_output;
pub use parse::{ParseError, parse, parse_operand_prefix};
pub use print::{escape_str, print, unescape_str};
pub use ruleset::{
    EngineVersion, Exception, ExceptionValue, ExtraField, List, Macro, OutputField, OutputSegment,
    PluginRequirement, Rule, RuleSet,
};
pub use source::{Location, Priority, Source, Sources};

/// Builds the YAML trees of a file and returns their node count; only for the load benchmark's
/// baseline (examples/rules_load.rs).
#[doc(hidden)]
pub fn yaml_nodes_for_bench(text: &str) -> usize {
    yaml::parse_documents(text).map_or(0, |docs| docs.len())
}
