//! The upstream test cases ported as data (tests/upstream/, see its README.md): the libsinsp
//! filter parser tests (parser.jsonl) and the Falco rule loader tests (loader.yaml). Every
//! case names the upstream file, line and test it comes from; a failing case is reported with
//! that origin. Cases marked `na` need something Saker does not have and are only counted.

use std::collections::BTreeMap;
use std::path::Path;

use saker_rules::ast::{Expr, ExprKind, Operand, Rhs, TransformArg};
use saker_rules::{
    AppendField, AppendOutput, Diagnostic, EngineVersion, LoadOptions, Severity, Source, SourceFile,
};
use serde_json::{Value as J, json};
use yaml_rust2::{Yaml, YamlLoader};

fn data(name: &str) -> String {
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/upstream")
        .join(name);
    std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

/// Runs every case; fails listing each failing case with its origin.
fn run_all(cases: Vec<J>, run: fn(&J) -> Result<(), String>) {
    let mut failures = Vec::new();
    let (mut passed, mut not_applicable) = (0, 0);
    for case in &cases {
        if case.get("na").is_some() {
            not_applicable += 1;
            continue;
        }
        match run(case) {
            Ok(()) => passed += 1,
            Err(why) => failures.push(format!("{}: {why}", case["from"].as_str().unwrap())),
        }
    }
    println!(
        "{passed} passed, {} failed, {not_applicable} not applicable",
        failures.len()
    );
    assert!(
        failures.is_empty(),
        "{} upstream cases fail:\n{}",
        failures.len(),
        failures.join("\n")
    );
}

#[test]
fn upstream_parser_cases() {
    let cases = data("parser.jsonl")
        .lines()
        .map(|l| serde_json::from_str(l).expect("case is JSON"))
        .collect();
    run_all(cases, parser_case);
}

#[test]
fn upstream_loader_cases() {
    let docs = YamlLoader::load_from_str(&data("loader.yaml")).expect("cases are YAML");
    let cases = docs[0]
        .as_vec()
        .expect("a list of cases")
        .iter()
        .map(to_json)
        .collect();
    run_all(cases, loader_case);
}

fn to_json(y: &Yaml) -> J {
    match y {
        Yaml::String(s) => J::String(s.clone()),
        Yaml::Integer(i) => json!(i),
        Yaml::Boolean(b) => J::Bool(*b),
        Yaml::Array(items) => J::Array(items.iter().map(to_json).collect()),
        Yaml::Hash(map) => J::Object(
            map.iter()
                .map(|(k, v)| (k.as_str().expect("string keys").to_string(), to_json(v)))
                .collect(),
        ),
        Yaml::Null => J::Null,
        other => panic!("unexpected YAML value {other:?}"),
    }
}

fn text<'c>(case: &'c J, key: &str) -> &'c str {
    case[key]
        .as_str()
        .unwrap_or_else(|| panic!("case lacks {key}"))
}

fn expect_eq<T: PartialEq + std::fmt::Debug>(got: &T, want: &T) -> Result<(), String> {
    if got == want {
        Ok(())
    } else {
        Err(format!("got {got:?}, want {want:?}"))
    }
}

fn parsed(input: &str) -> Result<Expr, String> {
    saker_rules::parse(input).map_err(|e| format!("{input:?} does not parse: {e}"))
}

fn parser_case(case: &J) -> Result<(), String> {
    let input = text(case, "input");
    match text(case, "kind") {
        "parse" => parse_case(case, input),
        "ast" => expect_eq(&ast_json(&parsed(input)?), &case["expected"]),
        "as_string" => expect_eq(
            &saker_rules::print(&parsed(input)?).as_str(),
            &text(case, "expected"),
        ),
        // libsinsp's as_string output parses back to the same tree (and, for
        // `roundtrip`, prints the same again).
        kind @ ("roundtrip" | "bidirectional") => {
            let first = parsed(input)?;
            let printed = saker_rules::print(&first);
            let again = parsed(&printed)?;
            if kind == "roundtrip" {
                expect_eq(&saker_rules::print(&again), &printed)?;
            }
            expect_eq(&ast_json(&again), &ast_json(&first))
        }
        "positions" => {
            let got = positions(&parsed(input)?, input);
            let want = text(case, "expected");
            if case["match"] == "exact" {
                expect_eq(&got.as_str(), &want)
            } else if got.contains(want) {
                Ok(())
            } else {
                Err(format!("{got:?} lacks {want:?}"))
            }
        }
        "escape" => expect_eq(
            &saker_rules::escape_str(input).as_str(),
            &text(case, "expected"),
        ),
        "unescape_escape" => {
            let back = saker_rules::unescape_str(&saker_rules::escape_str(input))?;
            expect_eq(&back.as_str(), &text(case, "expected"))
        }
        other => Err(format!("unknown kind {other}")),
    }
}

/// `test_accept` also tries the input with spaces around it, and with every space turned
/// into a newline, then into a tab.
fn parse_case(case: &J, input: &str) -> Result<(), String> {
    let mut inputs = vec![input.to_string()];
    if case["variants"] == true {
        let spaced = format!(" {input} ");
        let newlines = spaced.replace(' ', "\n");
        let tabs = newlines.replace('\n', "\t");
        inputs.extend([spaced, newlines, tabs]);
    }
    for input in inputs {
        match (text(case, "expect"), saker_rules::parse(&input)) {
            ("accept", Err(e)) => return Err(format!("{input:?} rejected: {e}")),
            ("reject", Ok(expr)) => {
                return Err(format!(
                    "{input:?} accepted as {}",
                    saker_rules::print(&expr)
                ));
            }
            ("reject", Err(e)) => {
                if let Some(message) = case["message"].as_str() {
                    expect_eq(&e.message.as_str(), &message)?;
                }
            }
            _ => {}
        }
    }
    Ok(())
}

/// The tree in the JSON form the case files use (see README.md).
fn ast_json(expr: &Expr) -> J {
    let all = |children: &[Expr]| children.iter().map(ast_json).collect::<Vec<_>>();
    match &expr.kind {
        ExprKind::And(children) => json!(["and", all(children)]),
        ExprKind::Or(children) => json!(["or", all(children)]),
        ExprKind::Not(inner) => json!(["not", ast_json(inner)]),
        ExprKind::Macro(name) => json!(["id", name]),
        ExprKind::Check(check) => {
            let mut op = if check.double_eq {
                "==".to_string()
            } else {
                check.op.as_str().to_string()
            };
            if let Some(modifier) = check.modifier {
                op = format!("{op} {}", modifier.as_str());
            }
            let lhs = operand_json(&check.lhs);
            match &check.rhs {
                Rhs::None => json!(["unary", lhs, op]),
                Rhs::Value(v) => json!(["binary", lhs, op, ["value", v.text]]),
                Rhs::ListName(name, _) => json!(["binary", lhs, op, ["value", name]]),
                Rhs::List(values, _) => {
                    let values: Vec<&str> = values.iter().map(|v| v.text.as_str()).collect();
                    json!(["binary", lhs, op, ["list", values]])
                }
                Rhs::Operand(o) => json!(["binary", lhs, op, operand_json(o)]),
            }
        }
    }
}

fn operand_json(operand: &Operand) -> J {
    match operand {
        Operand::Field(f) => json!(["field", f.name, f.arg]),
        Operand::Transform(t) => {
            let args: Vec<J> = t.args.iter().map(argument_json).collect();
            json!(["transformer", t.transformer.as_str(), args, t.arg])
        }
    }
}

fn argument_json(arg: &TransformArg) -> J {
    match arg {
        TransformArg::Operand(o) => operand_json(o),
        TransformArg::Value(v) => json!(["value", v.text]),
        TransformArg::List(items, _) => {
            json!(["tlist", items.iter().map(argument_json).collect::<Vec<_>>()])
        }
    }
}

/// libsinsp's `pos_visitor` output: each node's kind, then its offset, line and column.
fn positions(expr: &Expr, input: &str) -> String {
    let mut out = String::new();
    let mut node = |out: &mut String, kind: &str, offset: u32| {
        let before = &input.as_bytes()[..offset as usize];
        let line = 1 + before.iter().filter(|&&b| b == b'\n').count();
        let line_start = before
            .iter()
            .rposition(|&b| b == b'\n')
            .map_or(0, |p| p + 1);
        let col = offset as usize - line_start + 1;
        out.push_str(&format!("{kind}{offset} {line} {col}"));
    };
    expr_positions(expr, &mut out, &mut node);
    out
}

type Node<'a> = dyn FnMut(&mut String, &str, u32) + 'a;

fn expr_positions(expr: &Expr, out: &mut String, node: &mut Node<'_>) {
    match &expr.kind {
        ExprKind::And(children) | ExprKind::Or(children) => {
            let kind = if matches!(expr.kind, ExprKind::And(_)) {
                "and"
            } else {
                "or"
            };
            node(out, kind, expr.span.start);
            for child in children {
                expr_positions(child, out, node);
            }
        }
        ExprKind::Not(inner) => {
            node(out, "not", expr.span.start);
            expr_positions(inner, out, node);
        }
        ExprKind::Macro(_) => node(out, "identifier", expr.span.start),
        ExprKind::Check(check) => {
            let kind = if matches!(check.rhs, Rhs::None) {
                "unary"
            } else {
                "binary"
            };
            node(out, kind, expr.span.start);
            operand_positions(&check.lhs, out, node);
            match &check.rhs {
                Rhs::None => {}
                Rhs::Value(v) => node(out, "value", v.span.start),
                Rhs::ListName(_, span) => node(out, "value", span.start),
                Rhs::List(_, span) => node(out, "list", span.start),
                Rhs::Operand(o) => operand_positions(o, out, node),
            }
        }
    }
}

fn operand_positions(operand: &Operand, out: &mut String, node: &mut Node<'_>) {
    match operand {
        Operand::Field(f) => node(out, "field", f.span.start),
        Operand::Transform(t) => {
            node(out, "transformer", t.span.start);
            for arg in &t.args {
                match arg {
                    TransformArg::Operand(o) => operand_positions(o, out, node),
                    TransformArg::Value(v) => node(out, "value", v.span.start),
                    TransformArg::List(_, span) => node(out, "transformer_list", span.start),
                }
            }
        }
    }
}

fn loader_case(case: &J) -> Result<(), String> {
    match text(case, "kind") {
        "loader" => rules_file_case(case),
        "plugin_requirements" => plugin_case(case),
        "warns" => {
            let condition = text(case, "condition");
            let source = if condition.contains("ka.") || condition.contains("jevt.") {
                Source::K8sAudit
            } else {
                Source::Syscall
            };
            let warns = !saker_rules::condition_warnings(condition, source).is_empty();
            expect_eq(&warns, &case["expect"].as_bool().unwrap())
        }
        other => Err(format!("unknown kind {other}")),
    }
}

fn version(text: &str) -> EngineVersion {
    let mut parts = text.split('.').map(|p| p.parse().expect("numeric version"));
    let mut next = || parts.next().unwrap_or(0);
    EngineVersion {
        major: next(),
        minor: next(),
        patch: next(),
    }
}

/// Falco's `check_plugin_requirements` with exactly these plugins loaded.
fn plugin_case(case: &J) -> Result<(), String> {
    let plugins = case["plugins"].as_array().unwrap();
    let options = LoadOptions {
        plugins: plugins
            .iter()
            .map(|p| {
                let (name, v) = (p[0].as_str().unwrap(), p[1].as_str().unwrap());
                (name.to_string(), version(v))
            })
            .collect(),
        ..LoadOptions::default()
    };
    let rules = text(case, "rules");
    let (_, diagnostics) = saker_rules::load_with(&[SourceFile::new("test", rules)], &options);
    let satisfied = !diagnostics.iter().any(Diagnostic::is_error);
    expect_eq(&satisfied, &case["expect"].as_bool().unwrap())
        .map_err(|e| format!("{e}\n{}", render(&diagnostics)))
}

fn render(diagnostics: &[Diagnostic]) -> String {
    diagnostics.iter().map(Diagnostic::render).collect()
}

fn strings(value: &J) -> Vec<String> {
    value
        .as_array()
        .into_iter()
        .flatten()
        .map(|s| s.as_str().expect("a string").to_string())
        .collect()
}

/// falco.yaml's `append_output` entries of the case (the test's `extra_output` and
/// `extra_fields`).
fn append_output(case: &J) -> Vec<AppendOutput> {
    let entry = |extra: &J, format, fields| AppendOutput {
        source: extra["source"].as_str().map(String::from),
        tags: strings(&extra["tags"]),
        rule: extra["rule"].as_str().map(String::from),
        format,
        fields,
    };
    let mut out = Vec::new();
    for extra in case["extra_output"].as_array().into_iter().flatten() {
        out.push(entry(
            extra,
            Some(text(extra, "format").to_string()),
            Vec::new(),
        ));
    }
    for extra in case["extra_fields"].as_array().into_iter().flatten() {
        let field = AppendField {
            name: text(extra, "name").to_string(),
            format: text(extra, "format").to_string(),
            raw: false,
        };
        out.push(entry(extra, None, vec![field]));
    }
    out
}

/// A Falco rule loader test: load the rules, then check what the test asserts. Falco keeps
/// its schema warnings apart from the other warnings; so do these checks.
fn rules_file_case(case: &J) -> Result<(), String> {
    let options = LoadOptions {
        append_output: append_output(case),
        ..LoadOptions::default()
    };
    let rules = text(case, "rules");
    let (ruleset, diagnostics) =
        saker_rules::load_with(&[SourceFile::new("rules.yaml", rules)], &options);
    let is_schema = |d: &&Diagnostic| d.code == "SCHEMA_VALIDATION";
    let errors: Vec<&Diagnostic> = diagnostics.iter().filter(|d| d.is_error()).collect();
    let warnings: Vec<&Diagnostic> = diagnostics
        .iter()
        .filter(|d| d.severity == Severity::Warning && !is_schema(d))
        .collect();
    let successful = errors.is_empty();
    for check in case["asserts"].as_array().unwrap() {
        let what = text(check, "what");
        let expect = &check["expect"];
        let rule = || {
            let name = text(check, "rule");
            ruleset.rule(name).ok_or(format!("no rule '{name}'"))
        };
        let first_list = || ruleset.lists.first().ok_or("no list");
        let result = match what {
            "load" => expect_eq(&successful, &expect.as_bool().unwrap()),
            "schema" => {
                let status = if diagnostics.iter().any(|d| is_schema(&d)) {
                    "validation_failed"
                } else {
                    "validation_ok"
                };
                expect_eq(&status, &expect.as_str().unwrap())
            }
            "warning" | "error" => {
                let found = if what == "warning" {
                    &warnings
                } else {
                    &errors
                };
                let needle = text(check, "contains");
                let present = found.iter().any(|d| d.message.contains(needle));
                expect_eq(&present, &expect.as_bool().unwrap())
                    .map_err(|e| format!("{what} containing {needle:?}: {e}"))
            }
            "has_warnings" => expect_eq(&!warnings.is_empty(), &expect.as_bool().unwrap()),
            "num_rules" => {
                let enabled = ruleset.rules.iter().filter(|r| r.enabled).count();
                let n = if successful { enabled as u64 } else { 0 };
                expect_eq(&n, &expect.as_u64().unwrap())
            }
            "compiled_condition" => rule()
                .and_then(|r| expect_eq(&r.condition_compiled.as_str(), &expect.as_str().unwrap())),
            "compiled_output" => rule()
                .and_then(|r| expect_eq(&r.output_compiled.as_str(), &expect.as_str().unwrap())),
            "compiled_output_lacks" => rule().and_then(|r| {
                let lacks = !r.output_compiled.contains(expect.as_str().unwrap());
                expect_eq(&lacks, &true).map_err(|e| format!("{e}: {}", r.output_compiled))
            }),
            "extra_fields" => rule().and_then(|r| {
                let got: BTreeMap<&str, &str> = r
                    .extra_fields
                    .iter()
                    .map(|f| (f.name.as_str(), f.format.as_str()))
                    .collect();
                let want: BTreeMap<&str, &str> = expect
                    .as_object()
                    .unwrap()
                    .iter()
                    .map(|(k, v)| (k.as_str(), v.as_str().unwrap()))
                    .collect();
                expect_eq(&got, &want)
            }),
            // Falco's describe output, `info` of a rule.
            "describe_info" => rule().and_then(|r| {
                let got = match text(check, "key") {
                    "condition" => json!(r.condition),
                    "output" => json!(r.output),
                    "description" => json!(r.desc),
                    "priority" => json!(r.priority.falco_name()),
                    "capture" => json!(r.capture),
                    "capture_duration" => json!(r.capture_duration),
                    key => return Err(format!("unknown describe key {key}")),
                };
                expect_eq(&got, expect)
            }),
            "describe_count" => {
                let n = match text(check, "key") {
                    "rules" => ruleset.rules.len(),
                    "macros" => ruleset.macros.len(),
                    _ => ruleset.lists.len(),
                };
                expect_eq(&(n as u64), &expect.as_u64().unwrap())
            }
            "list_details_size" => first_list().map_err(String::from).and_then(|list| {
                let n = match text(check, "key") {
                    "lists" => list.refs.len(),
                    _ => list.expanded.len(),
                };
                expect_eq(&(n as u64), &expect.as_u64().unwrap())
            }),
            "list_item_compiled" => first_list().map_err(String::from).and_then(|list| {
                let index = check["index"].as_u64().unwrap() as usize;
                expect_eq(
                    &list.expanded.get(index).map(String::as_str),
                    &expect.as_str(),
                )
            }),
            "first_error_snippet_contains" => match errors.first() {
                None => Err("no error".to_string()),
                Some(e) if e.source_line.contains(expect.as_str().unwrap()) => Ok(()),
                Some(e) => Err(format!("snippet {:?} lacks {expect}", e.source_line)),
            },
            "warning_snippet" => {
                let with = check["with"].as_str();
                let code = check["code"].as_str();
                let found = warnings.iter().find(|d| {
                    with.is_none_or(|w| d.source_line.contains(w))
                        && code.is_none_or(|c| d.code == c)
                });
                match found {
                    None => Err("no such warning".to_string()),
                    Some(d) => {
                        let line = &d.source_line;
                        let ok = strings(&check["contains"])
                            .iter()
                            .all(|s| line.contains(s.as_str()))
                            && strings(&check["not_contains"])
                                .iter()
                                .all(|s| !line.contains(s.as_str()));
                        expect_eq(&ok, &true).map_err(|e| format!("{e}: snippet {line:?}"))
                    }
                }
            }
            other => Err(format!("unknown assert {other}")),
        };
        result.map_err(|e| format!("{what}: {e}\n{}", render(&diagnostics)))?;
    }
    Ok(())
}
