//! The compiled ruleset: per-source rule lists indexed by event type, first- or all-match
//! evaluation, and alert formatting.

use std::borrow::Cow;
use std::cell::RefCell;
use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::sync::Arc;

use saker_event::{Alert, Priority};
use saker_rules::Source;
use saker_rules::ast::CmpOp;
use saker_rules::fields::{self, FieldId};
use saker_rules::filter::{CheckRhs, FieldCheck, Filter};
use saker_rules::ruleset::{OutputSegment, RuleSet};

use crate::compile::{self, CompileContext, CompileError, Operand};
use crate::domain_names::{self, DomainNames, NameResolution, Refresher};
use crate::event::{Event, EventTypeId};
use crate::field::FieldTable;
use crate::program::{Memo, Program};
use crate::time_format;
use crate::value::Value;

/// Falco's `rule_matching`: stop at the first matching rule (default) or report every match.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum RuleMatching {
    #[default]
    First,
    All,
}

/// How to build an [`Engine`].
#[derive(Clone, Debug)]
pub struct EngineOptions {
    pub rule_matching: RuleMatching,
    /// Rules less severe than this are not loaded (Falco's `priority:`).
    pub min_priority: Priority,
    /// Goes into every alert (Falco's `hostname`).
    pub hostname: String,
    /// How the domain names of `fd.*ip.name` comparisons are resolved. `None` (the default,
    /// so that tests and tools never ask a name server unless told to): not at all, and
    /// those comparisons match no address. `saker run` uses [`NameResolution::system`].
    pub name_resolution: Option<NameResolution>,
}

impl Default for EngineOptions {
    fn default() -> Self {
        EngineOptions {
            rule_matching: RuleMatching::First,
            min_priority: Priority::Debug,
            hostname: String::new(),
            name_resolution: None,
        }
    }
}

/// A rule that could not be compiled.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum EngineError {
    #[error("rule '{rule}': {source}")]
    Compile {
        rule: String,
        #[source]
        source: CompileError,
    },
}

/// Index of a rule within an [`Engine`], in load order.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct RuleId(pub u32);

#[derive(Debug)]
struct CompiledRule {
    name: String,
    priority: Priority,
    source: Source,
    tags: Vec<String>,
    output: Vec<OutputPart>,
    extra_fields: Vec<ExtraField>,
    /// Event types this rule's condition can be true for.
    types: TypeSet,
}

#[derive(Debug)]
enum OutputPart {
    Text(String),
    Field {
        operand: Operand,
        key: String,
        /// `%20fd.name`: padded or cut to this many bytes (0: as is).
        width: u32,
    },
}

/// An `append_output` extra field: its name in `output_fields` and its format.
#[derive(Debug)]
struct ExtraField {
    name: String,
    parts: Vec<OutputPart>,
    /// A bare field: the value keeps its JSON type.
    raw: bool,
}

/// A rule handed an event type, with its program for that type.
#[derive(Clone, Copy, Debug)]
struct Candidate {
    rule: RuleId,
    entry: u32,
}

/// Rules per event type for one source.
#[derive(Debug, Default)]
struct SourceIndex {
    /// Indexed by `EventTypeId.0`; each list in load order.
    by_type: Vec<Box<[Candidate]>>,
    rule_count: usize,
}

/// The event types a source's loaded rules need, for kernel-side filtering.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct EventTypeNeeds {
    /// Every event type some rule names and can match.
    pub types: BTreeSet<String>,
    /// Rules that can match event types they do not name (no `evt.type` restriction, or a
    /// negative one like `evt.type != open`): they only see whatever else is captured.
    pub unrestricted_rules: Vec<String>,
}

/// A compiled ruleset, ready to evaluate events of every source.
#[derive(Debug)]
pub struct Engine {
    options: EngineOptions,
    table: FieldTable,
    type_ids: HashMap<String, EventTypeId>,
    type_names: Vec<String>,
    rules: Vec<CompiledRule>,
    /// Indexed by source (`Source::ALL` order).
    indexes: Vec<SourceIndex>,
    program: Program,
    evt_time: Option<FieldId>,
    /// The names `fd.*ip.name` checks compare with, shared with the resolving threads.
    names: Arc<DomainNames>,
    /// Stops the names' refresh thread when the engine goes.
    _refresher: Option<Refresher>,
}

thread_local! {
    /// Results of shared checks for the event being evaluated; one per evaluating thread.
    static MEMO: RefCell<Memo> = RefCell::new(Memo::default());
}

fn source_index(source: Source) -> usize {
    Source::ALL.iter().position(|s| *s == source).unwrap_or(0)
}

impl Engine {
    /// Compiles the enabled rules of `ruleset` at or above the minimum priority.
    pub fn new(ruleset: &RuleSet, options: EngineOptions) -> Result<Engine, EngineError> {
        let evt_type = fields::lookup("evt.type");
        let mut engine = Engine {
            table: FieldTable::default(),
            type_ids: HashMap::new(),
            type_names: vec!["<other>".to_string()],
            rules: Vec::new(),
            indexes: Source::ALL.iter().map(|_| SourceIndex::default()).collect(),
            program: Program::default(),
            evt_time: fields::lookup("evt.time"),
            names: Arc::default(),
            _refresher: None,
            options,
        };
        let selected: Vec<_> = ruleset
            .rules
            .iter()
            .filter(|rule| rule.enabled)
            .filter(|rule| to_event_priority(rule.priority).at_least(engine.options.min_priority))
            .collect();
        // Intern every event type name first: the type sets of all rules share one universe.
        for rule in &selected {
            collect_type_names(&rule.filter, evt_type, &mut |name| {
                if !engine.type_ids.contains_key(name) {
                    let id = EventTypeId(engine.type_names.len() as u16);
                    engine.type_ids.insert(name.to_string(), id);
                    engine.type_names.push(name.to_string());
                }
            });
        }
        let universe = engine.type_names.len();
        for index in &mut engine.indexes {
            index.by_type.resize_with(universe, Default::default);
        }
        let mut by_type: Vec<Vec<Vec<Candidate>>> = (0..engine.indexes.len())
            .map(|_| vec![Vec::new(); universe])
            .collect();
        let mut names = DomainNames::default();
        let mut cx = CompileContext {
            table: &mut engine.table,
            type_ids: &engine.type_ids,
            type_count: universe,
            evt_type,
            program: &mut engine.program,
            leaf_by_check: HashMap::new(),
            names: &mut names,
        };
        let mut compiled = Vec::new();
        let mut nodes = Vec::new();
        for rule in selected {
            let node =
                compile::compile(&rule.filter, &mut cx).map_err(|source| EngineError::Compile {
                    rule: rule.name.clone(),
                    source,
                })?;
            nodes.push(node);
            let output = output_parts(&rule.output_format, cx.table);
            let extra_fields = rule
                .extra_fields
                .iter()
                .map(|f| ExtraField {
                    name: f.name.clone(),
                    parts: output_parts(&f.segments, cx.table),
                    raw: f.raw,
                })
                .collect();
            let types = type_analysis(&rule.filter, evt_type, cx.type_ids, universe).0;
            let mut tags = rule.tags.clone();
            tags.sort();
            tags.dedup();
            compiled.push(CompiledRule {
                name: rule.name.clone(),
                priority: to_event_priority(rule.priority),
                source: rule.source,
                tags,
                output,
                extra_fields,
                types,
            });
        }
        // Every check is compiled and counted: share the ones used more than once, then emit
        // the programs.
        engine.program.assign_memo_slots();
        for (i, (rule, node)) in compiled.iter().zip(&nodes).enumerate() {
            // One program per event type, shared by the types whose `evt.type` tests come
            // out the same (a rule without such tests has one program for all).
            let id = RuleId(i as u32);
            let type_tests = event_type_leaves(node, &engine.program);
            let mut emitted: Vec<(Vec<Option<bool>>, u32)> = Vec::new();
            let index = source_index(rule.source);
            for type_id in rule.types.iter() {
                let entry = if type_id == EventTypeId::OTHER.0 as usize {
                    engine.program.emit_program(node, None)
                } else {
                    let ty = EventTypeId(type_id as u16);
                    let outcomes: Vec<Option<bool>> = type_tests
                        .iter()
                        .map(|leaf| leaf_type_outcome(&engine.program, *leaf, ty))
                        .collect();
                    match emitted.iter().find(|(o, _)| *o == outcomes) {
                        Some((_, entry)) => *entry,
                        None => {
                            let entry = engine.program.emit_program(node, Some(ty));
                            emitted.push((outcomes, entry));
                            entry
                        }
                    }
                };
                by_type[index][type_id].push(Candidate { rule: id, entry });
            }
        }
        engine.rules = compiled;
        for (index, lists) in engine.indexes.iter_mut().zip(by_type) {
            index.by_type = lists.into_iter().map(Vec::into_boxed_slice).collect();
        }
        for rule in &engine.rules {
            engine.indexes[source_index(rule.source)].rule_count += 1;
        }
        engine.names = Arc::new(names);
        engine._refresher = engine.resolve_names();
        Ok(engine)
    }

    /// Resolves the rules' domain names (waiting a bounded time) and starts their refreshes.
    fn resolve_names(&self) -> Option<Refresher> {
        if self.names.is_empty() {
            return None;
        }
        match &self.options.name_resolution {
            Some(resolution) => domain_names::start(&self.names, resolution),
            None => {
                let names: Vec<String> = self.names.status().into_iter().map(|s| s.name).collect();
                tracing::warn!(names = ?names,
                    "domain names are not resolved (name resolution is off): fd.*ip.name comparisons with them match no address");
                None
            }
        }
    }

    /// The domain names the rules compare `fd.*ip.name` with, and their addresses.
    pub fn domain_names(&self) -> &DomainNames {
        &self.names
    }

    /// The id events of type `name` must report from [`Event::event_type`].
    pub fn event_type_id(&self, name: &str) -> EventTypeId {
        self.type_ids
            .get(name)
            .copied()
            .unwrap_or(EventTypeId::OTHER)
    }

    /// Every field the rules use, by slot (the field-level JSONL event parses against this).
    pub fn fields(&self) -> &FieldTable {
        &self.table
    }

    pub fn options(&self) -> &EngineOptions {
        &self.options
    }

    /// Number of compiled rules (all sources).
    pub fn rule_count(&self) -> usize {
        self.rules.len()
    }

    pub fn rule_name(&self, id: RuleId) -> &str {
        &self.rules[id.0 as usize].name
    }

    /// Number of rules of `event`'s source that the index hands it to (before evaluation).
    pub fn candidate_count<E: Event + ?Sized>(&self, event: &E) -> usize {
        self.candidates(event).len()
    }

    /// Number of rules of `source` that the index hands an event of type `id` to: 0 when no
    /// rule can match such an event, which then needs no evaluation (nor a view to evaluate).
    pub fn type_candidate_count(&self, source: Source, id: EventTypeId) -> usize {
        self.candidates_of(source, id).len()
    }

    /// Number of compiled rules of one source.
    pub fn source_rule_count(&self, source: Source) -> usize {
        self.indexes[source_index(source)].rule_count
    }

    #[inline]
    fn candidates<E: Event + ?Sized>(&self, event: &E) -> &[Candidate] {
        self.candidates_of(event.source(), event.event_type())
    }

    #[inline]
    fn candidates_of(&self, source: Source, id: EventTypeId) -> &[Candidate] {
        let index = &self.indexes[source_index(source)];
        let slot = id.0 as usize;
        index
            .by_type
            .get(slot)
            .or_else(|| index.by_type.first())
            .map_or(&[], |rules| rules)
    }

    /// Calls `on_match` for each matching rule in load order; stops after the first one under
    /// [`RuleMatching::First`]. Returns the number of matches.
    pub fn evaluate<E: Event + ?Sized>(
        &self,
        event: &E,
        mut on_match: impl FnMut(RuleId),
    ) -> usize {
        let candidates = self.candidates(event);
        if candidates.is_empty() {
            return 0;
        }
        MEMO.with(|memo| {
            // A callback that evaluates another event on this thread would find the memo
            // borrowed: give it a fresh one rather than failing.
            let mut fresh = Memo::default();
            let mut borrowed = memo.try_borrow_mut();
            let memo = match borrowed.as_deref_mut() {
                Ok(memo) => memo,
                Err(_) => &mut fresh,
            };
            memo.start_event(self.program.memo_slots());
            let mut matches = 0;
            for candidate in candidates {
                if self.program.run(candidate.entry, event, memo) {
                    matches += 1;
                    on_match(candidate.rule);
                    if self.options.rule_matching == RuleMatching::First {
                        break;
                    }
                }
            }
            matches
        })
    }

    /// Evaluates `event` and formats an alert for each match.
    pub fn process<E: Event + ?Sized>(&self, event: &E) -> Vec<Alert> {
        let mut alerts = Vec::new();
        self.evaluate(event, |id| alerts.push(self.alert(id, event)));
        alerts
    }

    /// Formats the alert of rule `id` for `event`: `%field` replaced by its value (`<NA>`
    /// when missing), the typed values collected in `output_fields`. The time field of the
    /// alert prefix (`evt.time`) is added by the encoder (saker-output), as Falco does.
    pub fn alert<E: Event + ?Sized>(&self, id: RuleId, event: &E) -> Alert {
        let rule = &self.rules[id.0 as usize];
        let mut output_fields = BTreeMap::new();
        let output = self.format(&rule.output, event, Some(&mut output_fields));
        for extra in &rule.extra_fields {
            let value = match (extra.raw, extra.parts.as_slice()) {
                (true, [OutputPart::Field { operand, .. }]) => self
                    .output_value(operand, event)
                    .map_or(serde_json::Value::Null, |v| v.to_json()),
                _ => serde_json::Value::String(self.format(&extra.parts, event, None)),
            };
            output_fields.insert(extra.name.clone(), value);
        }
        Alert {
            time_ns: event.time_ns(),
            rule: rule.name.clone(),
            priority: rule.priority,
            source: rule.source.as_str().to_string(),
            output: output.trim_end().to_string(),
            output_fields,
            tags: rule.tags.clone(),
            hostname: self.options.hostname.clone(),
        }
    }

    /// An output format's text (`<NA>` for missing values); the values go to `fields`.
    fn format<E: Event + ?Sized>(
        &self,
        parts: &[OutputPart],
        event: &E,
        mut fields: Option<&mut BTreeMap<String, serde_json::Value>>,
    ) -> String {
        let mut output = String::new();
        for part in parts {
            match part {
                OutputPart::Text(text) => output.push_str(text),
                OutputPart::Field {
                    operand,
                    key,
                    width,
                } => {
                    let value = self.output_value(operand, event);
                    let text = match &value {
                        Some(v)
                            if operand.plain_field().map(|f| f.id) == self.evt_time
                                && self.evt_time.is_some() =>
                        {
                            let ns = v.as_number().unwrap_or(0).max(0) as u64;
                            time_format::clock_time(ns)
                        }
                        Some(v) => v.to_string(),
                        None => "<NA>".to_string(),
                    };
                    output.push_str(&fit(text, *width));
                    if let Some(fields) = fields.as_deref_mut() {
                        fields.insert(
                            key.clone(),
                            value.map_or(serde_json::Value::Null, |v| v.to_json()),
                        );
                    }
                }
            }
        }
        output
    }

    /// An output field's value. `fd.*ip.name` prints a name that the rules compare with and
    /// that resolves to the address, none otherwise (libsinsp's `name_of`), or the name an
    /// event carries itself.
    fn output_value<'e, E: Event + ?Sized>(
        &self,
        operand: &Operand,
        event: &'e E,
    ) -> Option<Value<'e>> {
        let value = operand.fetch(event)?;
        if !operand.plain_field().is_some_and(|f| f.info().domain_name) {
            return Some(value);
        }
        match compile::value_as_ip(&value) {
            Some(ip) => self
                .names
                .name_of(ip)
                .map(|name| Value::Str(Cow::Owned(name.to_string()))),
            None => Some(value),
        }
    }

    /// The event types the enabled rules of `source` need (Falco's adaptive syscall set,
    /// without the state-tracking syscalls the live engine adds).
    pub fn event_type_needs(&self, source: Source) -> EventTypeNeeds {
        let mut needs = EventTypeNeeds::default();
        for rule in self.rules.iter().filter(|r| r.source == source) {
            for type_id in rule.types.iter() {
                if type_id == EventTypeId::OTHER.0 as usize {
                    needs.unrestricted_rules.push(rule.name.clone());
                } else {
                    needs.types.insert(self.type_names[type_id].clone());
                }
            }
        }
        needs
    }
}

fn output_parts(segments: &[OutputSegment], table: &mut FieldTable) -> Vec<OutputPart> {
    segments
        .iter()
        .map(|segment| match segment {
            OutputSegment::Text(text) => OutputPart::Text(text.clone()),
            OutputSegment::Field(field) => OutputPart::Field {
                operand: compile::operand(&field.operand, table),
                key: field.key.clone(),
                width: field.width,
            },
        })
        .collect()
}

/// libsinsp's `%20field`: the text padded with spaces or cut to `width` bytes (on a
/// character boundary).
fn fit(mut text: String, width: u32) -> String {
    let width = width as usize;
    if width == 0 {
        return text;
    }
    if text.len() > width {
        let mut end = width;
        while !text.is_char_boundary(end) {
            end -= 1;
        }
        text.truncate(end);
    }
    while text.len() < width {
        text.push(' ');
    }
    text
}

/// The leaves of `node` that test `evt.type`.
fn event_type_leaves(node: &compile::Node, program: &Program) -> Vec<u32> {
    fn walk(node: &compile::Node, program: &Program, out: &mut Vec<u32>) {
        match node {
            compile::Node::And(children) | compile::Node::Or(children) => {
                children.iter().for_each(|c| walk(c, program, out))
            }
            compile::Node::Not(inner) => walk(inner, program, out),
            compile::Node::Const(_) => {}
            compile::Node::Leaf(leaf) => {
                if leaf_type_outcome(program, *leaf, EventTypeId(1)).is_some() {
                    out.push(*leaf);
                }
            }
        }
    }
    let mut out = Vec::new();
    walk(node, program, &mut out);
    out
}

fn leaf_type_outcome(program: &Program, leaf: u32, id: EventTypeId) -> Option<bool> {
    match program.leaf(leaf)? {
        crate::program::Leaf::Check(check) => check.event_type_outcome(id),
        crate::program::Leaf::Exclusions(_) => None,
    }
}

fn to_event_priority(p: saker_rules::Priority) -> Priority {
    use saker_rules::Priority as P;
    match p {
        P::Emergency => Priority::Emergency,
        P::Alert => Priority::Alert,
        P::Critical => Priority::Critical,
        P::Error => Priority::Error,
        P::Warning => Priority::Warning,
        P::Notice => Priority::Notice,
        P::Informational => Priority::Informational,
        P::Debug => Priority::Debug,
    }
}

/// A set of event-type ids over the engine's universe (named types plus OTHER).
#[derive(Clone, Debug, PartialEq, Eq)]
struct TypeSet {
    words: Vec<u64>,
    universe: usize,
}

impl TypeSet {
    fn empty(universe: usize) -> TypeSet {
        TypeSet {
            words: vec![0; universe.div_ceil(64)],
            universe,
        }
    }

    fn full(universe: usize) -> TypeSet {
        let mut set = TypeSet::empty(universe);
        for i in 0..universe {
            set.insert(i);
        }
        set
    }

    fn insert(&mut self, i: usize) {
        self.words[i / 64] |= 1 << (i % 64);
    }

    fn union(mut self, other: &TypeSet) -> TypeSet {
        self.words
            .iter_mut()
            .zip(&other.words)
            .for_each(|(a, b)| *a |= b);
        self
    }

    fn intersect(mut self, other: &TypeSet) -> TypeSet {
        self.words
            .iter_mut()
            .zip(&other.words)
            .for_each(|(a, b)| *a &= b);
        self
    }

    fn complement(&self) -> TypeSet {
        let mut set = TypeSet::empty(self.universe);
        for i in 0..self.universe {
            if self.words[i / 64] & (1 << (i % 64)) == 0 {
                set.insert(i);
            }
        }
        set
    }

    fn iter(&self) -> impl Iterator<Item = usize> + '_ {
        (0..self.universe).filter(|i| self.words[i / 64] & (1 << (i % 64)) != 0)
    }
}

/// `evt.type = x`, `evt.type in (...)`, `evt.type != x` without transformers: the names it
/// compares with and whether it is negated.
fn type_check(check: &FieldCheck, evt_type: Option<FieldId>) -> Option<(Vec<String>, bool)> {
    let (field, arg) = check.lhs.plain_field()?;
    if Some(field) != evt_type || arg.is_some() || check.modifier.is_some() {
        return None;
    }
    let names = match &check.rhs {
        CheckRhs::Value(v) => vec![compile::str_constant(v)],
        CheckRhs::List(values) => values.iter().map(compile::str_constant).collect(),
        _ => return None,
    };
    match check.op {
        CmpOp::Eq | CmpOp::In | CmpOp::Intersects => Some((names, false)),
        CmpOp::Ne => Some((names, true)),
        _ => None,
    }
}

fn collect_type_names(filter: &Filter, evt_type: Option<FieldId>, add: &mut impl FnMut(&str)) {
    filter.for_each_check(&mut |check| {
        if let Some((names, _)) = type_check(check, evt_type) {
            names.iter().for_each(|n| add(n));
        }
    });
}

/// The event types for which `filter` can be true, and those for which it can be false.
/// Tracking both makes `not` exact: `not (evt.type = open and x)` can be true for `open`.
fn type_analysis(
    filter: &Filter,
    evt_type: Option<FieldId>,
    ids: &HashMap<String, EventTypeId>,
    universe: usize,
) -> (TypeSet, TypeSet) {
    match filter {
        Filter::Const(true) => (TypeSet::full(universe), TypeSet::empty(universe)),
        Filter::Const(false) => (TypeSet::empty(universe), TypeSet::full(universe)),
        Filter::Not(inner) => {
            let (can_true, can_false) = type_analysis(inner, evt_type, ids, universe);
            (can_false, can_true)
        }
        Filter::And(children) => children.iter().fold(
            (TypeSet::full(universe), TypeSet::empty(universe)),
            |(t, f), child| {
                let (ct, cf) = type_analysis(child, evt_type, ids, universe);
                (t.intersect(&ct), f.union(&cf))
            },
        ),
        Filter::Or(children) => children.iter().fold(
            (TypeSet::empty(universe), TypeSet::full(universe)),
            |(t, f), child| {
                let (ct, cf) = type_analysis(child, evt_type, ids, universe);
                (t.union(&ct), f.intersect(&cf))
            },
        ),
        Filter::Check(check) => match type_check(check, evt_type) {
            Some((names, negated)) => {
                let mut named = TypeSet::empty(universe);
                for name in &names {
                    if let Some(id) = ids.get(name) {
                        named.insert(id.0 as usize);
                    }
                }
                // OTHER stands for unnamed types and for a missing evt.type. An unnamed type
                // makes `!=` true, a missing one makes both `=` and `!=` false: so `!=` can
                // be false for OTHER too.
                let complement = named.complement();
                if negated {
                    let mut can_false = named;
                    can_false.insert(EventTypeId::OTHER.0 as usize);
                    (complement, can_false)
                } else {
                    (named, complement)
                }
            }
            None => (TypeSet::full(universe), TypeSet::full(universe)),
        },
    }
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;
    use crate::jsonl::JsonlEvent;
    use saker_rules::{Location, Rule, check_condition, parse_output};

    /// A ruleset of `(name, condition)` rules, each with an output naming proc.name.
    pub(crate) fn ruleset(rules: &[(&str, &str)]) -> RuleSet {
        let rules = rules
            .iter()
            .map(|(name, condition)| {
                let filter =
                    check_condition(condition).unwrap_or_else(|e| panic!("{condition}: {e}"));
                let output = "proc=%proc.name file=%fd.name tty=%proc.tty";
                Rule {
                    name: name.to_string(),
                    desc: String::new(),
                    condition: condition.to_string(),
                    output: output.to_string(),
                    output_format: parse_output(output).unwrap(),
                    output_compiled: String::new(),
                    extra_fields: Vec::new(),
                    condition_compiled: String::new(),
                    capture: false,
                    capture_duration: 0,
                    priority: saker_rules::Priority::Warning,
                    source: Source::Syscall,
                    enabled: true,
                    tags: vec!["b".into(), "a".into()],
                    exceptions: Vec::new(),
                    warn_evttypes: true,
                    skip_if_unknown_filter: false,
                    filter,
                    location: Location {
                        file: "test.yaml".into(),
                        line: 1,
                        col: 1,
                    },
                }
            })
            .collect();
        RuleSet {
            rules,
            ..RuleSet::default()
        }
    }

    fn engine(rules: &[(&str, &str)], matching: RuleMatching) -> Engine {
        let options = EngineOptions {
            rule_matching: matching,
            ..EngineOptions::default()
        };
        Engine::new(&ruleset(rules), options).unwrap()
    }

    /// Checks one condition against events: `(event json, expected match)`.
    fn check(condition: &str, cases: &[(&str, bool)]) {
        let engine = engine(&[("r", condition)], RuleMatching::First);
        for (json, expect) in cases {
            let event = JsonlEvent::parse(json, &engine).unwrap();
            let matched = engine.evaluate(&event, |_| {}) == 1;
            assert_eq!(matched, *expect, "{condition}  on  {json}");
        }
    }

    #[test]
    fn missing_values_make_comparisons_false() {
        check(
            "proc.name = bash",
            &[(r#"{"proc.name":"bash"}"#, true), (r#"{}"#, false)],
        );
        check(
            "proc.name != bash",
            &[
                (r#"{"proc.name":"zsh"}"#, true),
                (r#"{"proc.name":"bash"}"#, false),
                (r#"{}"#, false),
                (r#"{"proc.name":null}"#, false),
            ],
        );
        check(
            "not proc.name = bash",
            &[(r#"{}"#, true), (r#"{"proc.name":"bash"}"#, false)],
        );
        check(
            "proc.name exists",
            &[(r#"{"proc.name":""}"#, true), (r#"{}"#, false)],
        );
    }

    #[test]
    fn string_operators() {
        let ev = r#"{"proc.cmdline":"curl -sS http://Example.com/x.sh"}"#;
        for (condition, expect) in [
            ("proc.cmdline contains Example", true),
            ("proc.cmdline contains example", false),
            ("proc.cmdline icontains EXAMPLE", true),
            ("proc.cmdline startswith curl", true),
            ("proc.cmdline endswith .sh", true),
            ("proc.cmdline glob 'curl *x.sh'", true),
            ("proc.cmdline iglob 'CURL *'", true),
            ("proc.cmdline glob 'curl'", false),
            ("proc.cmdline regex 'curl .*'", true),
            ("proc.cmdline regex 'curl'", false),
            ("proc.cmdline > 5", true),
            ("proc.cmdline < 5", false),
            ("proc.cmdline != oneof (curl, x)", false),
            ("proc.cmdline != allof (curl, x)", true),
            ("proc.cmdline contains anyof (wget, curl)", true),
            ("proc.cmdline contains allof (wget, curl)", false),
            ("proc.cmdline contains allof (http, curl)", true),
            ("proc.cmdline contains oneof (http, curl)", false),
            ("proc.cmdline contains oneof (ftp, curl)", true),
        ] {
            check(condition, &[(ev, expect)]);
        }
    }

    #[test]
    fn lists_and_paths() {
        check(
            "proc.name in (bash, sh, zsh, ksh, csh, tcsh, fish, dash)",
            &[
                (r#"{"proc.name":"dash"}"#, true),
                (r#"{"proc.name":"vim"}"#, false),
            ],
        );
        check(
            "fd.name pmatch (/etc, /usr/lib)",
            &[
                (r#"{"fd.name":"/etc/passwd"}"#, true),
                (r#"{"fd.name":"/etcetera"}"#, false),
            ],
        );
        // A list field: `in` holds when every value is in the set, `intersects` when any is.
        check(
            "fd.types in (file, ipv4)",
            &[
                (r#"{"fd.types":["file","ipv4"]}"#, true),
                (r#"{"fd.types":["file","unix"]}"#, false),
                (r#"{"fd.types":[]}"#, false),
            ],
        );
        check(
            "fd.types intersects (unix, ipv4)",
            &[
                (r#"{"fd.types":["file","unix"]}"#, true),
                (r#"{"fd.types":["file"]}"#, false),
            ],
        );
        // Ancestors without an index: true when any ancestor matches, whatever the operator.
        check(
            "proc.aname in (sshd, bash)",
            &[
                (r#"{"proc.aname":["sshd","systemd"]}"#, true),
                (r#"{"proc.aname":["cron"]}"#, false),
                (r#"{"proc.aname":[]}"#, false),
            ],
        );
        check(
            "proc.aname != sshd",
            &[
                (r#"{"proc.aname":["sshd","systemd"]}"#, true),
                (r#"{"proc.aname":["sshd"]}"#, false),
            ],
        );
        check(
            "proc.aname = sshd",
            &[
                (r#"{"proc.aname":["bash","sshd"]}"#, true),
                (r#"{"proc.aname[2]":"sshd"}"#, false),
            ],
        );
        check(
            "proc.aname[2] = sshd",
            &[(r#"{"proc.aname[2]":"sshd"}"#, true)],
        );
    }

    #[test]
    fn numbers_and_addresses() {
        check(
            "fd.sport in (22, 80) and proc.tty != 0",
            &[
                (r#"{"fd.sport":80,"proc.tty":34816}"#, true),
                (r#"{"fd.sport":"22","proc.tty":1}"#, true),
                (r#"{"fd.sport":81,"proc.tty":1}"#, false),
                (r#"{"fd.sport":80,"proc.tty":0}"#, false),
            ],
        );
        check(
            "user.loginuid < 0",
            &[
                (r#"{"user.loginuid":-1}"#, true),
                (r#"{"user.loginuid":1000}"#, false),
            ],
        );
        check(
            "fd.sip = 10.96.0.1",
            &[
                (r#"{"fd.sip":"10.96.0.1"}"#, true),
                (r#"{"fd.sip":"10.96.0.2"}"#, false),
            ],
        );
        check(
            "fd.net = 10.0.0.0/8",
            &[
                (r#"{"fd.net":"10.1.2.3"}"#, true),
                (r#"{"fd.net":"192.168.1.1"}"#, false),
            ],
        );
        check(
            "evt.is_open_write = true",
            &[
                (r#"{"evt.is_open_write":true}"#, true),
                (r#"{"evt.is_open_write":false}"#, false),
            ],
        );
    }

    #[test]
    fn transformers_and_field_comparisons() {
        check(
            "tolower(proc.name) = bash",
            &[(r#"{"proc.name":"BASH"}"#, true)],
        );
        check(
            "basename(proc.exepath) = vim",
            &[(r#"{"proc.exepath":"/usr/bin/vim"}"#, true)],
        );
        check(
            "len(proc.name) > 3",
            &[
                (r#"{"proc.name":"bash"}"#, true),
                (r#"{"proc.name":"sh"}"#, false),
            ],
        );
        check(
            "proc.name = val(proc.pname)",
            &[
                (r#"{"proc.name":"sh","proc.pname":"sh"}"#, true),
                (r#"{"proc.name":"sh","proc.pname":"bash"}"#, false),
                (r#"{"proc.name":"sh"}"#, false),
            ],
        );
    }

    #[test]
    fn index_by_event_type_and_matching_mode() {
        let rules = [
            (
                "open rule",
                "evt.type in (open, openat) and fd.name startswith /etc",
            ),
            ("exec rule", "evt.type = execve and proc.name = bash"),
            ("not open", "evt.type != openat and proc.name = bash"),
            ("any type", "proc.name = bash"),
            ("negated and", "not (evt.type = execve and proc.name = zsh)"),
        ];
        let first = engine(&rules, RuleMatching::First);
        let all = engine(&rules, RuleMatching::All);
        let names = |engine: &Engine, json: &str| -> Vec<String> {
            let event = JsonlEvent::parse(json, engine).unwrap();
            let mut out = Vec::new();
            engine.evaluate(&event, |id| out.push(engine.rule_name(id).to_string()));
            out
        };
        let openat = r#"{"evt.type":"openat","fd.name":"/etc/x","proc.name":"bash"}"#;
        assert_eq!(names(&first, openat), ["open rule"]);
        assert_eq!(
            names(&all, openat),
            ["open rule", "any type", "negated and"]
        );
        let execve = r#"{"evt.type":"execve","proc.name":"bash"}"#;
        assert_eq!(
            names(&all, execve),
            ["exec rule", "not open", "any type", "negated and"]
        );
        let other = r#"{"evt.type":"read","proc.name":"bash"}"#;
        assert_eq!(names(&all, other), ["not open", "any type", "negated and"]);

        let event = JsonlEvent::parse(openat, &all).unwrap();
        // "exec rule" and "not open" are never handed an openat event.
        assert_eq!(all.candidate_count(&event), 3);

        let needs = all.event_type_needs(Source::Syscall);
        assert_eq!(
            needs.types.into_iter().collect::<Vec<_>>(),
            ["execve", "open", "openat"]
        );
        assert_eq!(
            needs.unrestricted_rules,
            ["not open", "any type", "negated and"]
        );
    }

    #[test]
    fn alerts_format_fields_and_missing_values() {
        let engine = engine(&[("r", "proc.name = vim")], RuleMatching::First);
        let event = JsonlEvent::parse(
            r#"{"evt.time":1704067200000000001,"proc.name":"vim","proc.tty":34816}"#,
            &engine,
        )
        .unwrap();
        let alerts = engine.process(&event);
        assert_eq!(alerts.len(), 1);
        let alert = &alerts[0];
        assert_eq!(alert.output, "proc=vim file=<NA> tty=34816");
        assert_eq!(alert.tags, ["a", "b"]);
        assert_eq!(alert.priority, Priority::Warning);
        assert_eq!(
            serde_json::to_string(&alert.output_fields).unwrap(),
            r#"{"fd.name":null,"proc.name":"vim","proc.tty":34816}"#
        );
    }

    #[test]
    fn exclusion_chains_are_dispatched_by_value() {
        let condition = "evt.type = openat and not (proc.name = a and fd.name = x) \
            and not (proc.name in (b, c) and fd.name = y) and not proc.name = d \
            and not (proc.pname = e and fd.name = z)";
        let engine = engine(&[("r", condition)], RuleMatching::First);
        let compiled = format!("{:?}", engine.program.leaves());
        assert_eq!(compiled.matches("Exclusions(").count(), 1, "{compiled}");
        check(
            condition,
            &[
                (
                    r#"{"evt.type":"openat","proc.name":"a","fd.name":"x"}"#,
                    false,
                ),
                (
                    r#"{"evt.type":"openat","proc.name":"a","fd.name":"y"}"#,
                    true,
                ),
                (
                    r#"{"evt.type":"openat","proc.name":"c","fd.name":"y"}"#,
                    false,
                ),
                (r#"{"evt.type":"openat","proc.name":"d"}"#, false),
                (r#"{"evt.type":"openat","proc.name":"q"}"#, true),
                (
                    r#"{"evt.type":"openat","proc.pname":"e","fd.name":"z"}"#,
                    false,
                ),
                (
                    r#"{"evt.type":"openat","proc.name":["a","d"],"fd.name":"q"}"#,
                    false,
                ),
                (r#"{"evt.type":"openat"}"#, true),
            ],
        );
    }

    #[test]
    fn engine_is_shareable_between_threads() {
        fn assert_send_sync<T: Send + Sync>() {}
        assert_send_sync::<Engine>();
    }

    #[test]
    fn minimum_priority_drops_less_severe_rules() {
        let options = EngineOptions {
            min_priority: Priority::Error,
            ..EngineOptions::default()
        };
        let engine = Engine::new(&ruleset(&[("r", "proc.name = vim")]), options).unwrap();
        assert_eq!(engine.rule_count(), 0);
    }

    #[test]
    fn bad_event_values_are_reported() {
        let engine = engine(&[("r", "proc.tty = 1")], RuleMatching::First);
        for (json, message) in [
            (
                r#"{"proc.tty":"x"}"#,
                "field 'proc.tty': expected an integer",
            ),
            (r#"{"proc.nope":1}"#, "unknown field 'proc.nope'"),
            (r#"[1]"#, "must be a JSON object"),
            (r#"{"fd.sip":"nope"}"#, "expected an IP address"),
            (r#"{"evt.source":"x"}"#, "unknown event source"),
        ] {
            let err = JsonlEvent::parse(json, &engine).unwrap_err().to_string();
            assert!(err.contains(message), "{json}: {err}");
        }
    }
}
