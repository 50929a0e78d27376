//! A YAML tree with positions, built from yaml-rust2's marked events.

use yaml_rust2::parser::{Event, MarkedEventReceiver, Parser};
use yaml_rust2::scanner::{Marker, TScalarStyle};

/// 1-based line and column (in characters) of a node's first character.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub(crate) struct Pos {
    pub line: u32,
    pub col: u32,
}

#[derive(Clone, Debug)]
pub(crate) struct Node {
    pub kind: NodeKind,
    pub pos: Pos,
}

#[derive(Clone, Debug)]
pub(crate) enum NodeKind {
    /// A scalar's text and whether it was plain (unquoted, not a block scalar).
    Scalar {
        text: String,
        plain: bool,
        style: ScalarStyle,
    },
    Seq(Vec<Node>),
    Map(Vec<(Node, Node)>),
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum ScalarStyle {
    Plain,
    Quoted,
    Block,
}

impl Node {
    pub fn as_str(&self) -> Option<&str> {
        match &self.kind {
            NodeKind::Scalar { text, .. } => Some(text),
            _ => None,
        }
    }

    /// A plain `null`, `~` or empty scalar.
    pub fn is_null(&self) -> bool {
        matches!(&self.kind, NodeKind::Scalar { text, plain: true, .. }
            if text.is_empty() || text == "~" || text == "null" || text == "Null" || text == "NULL")
    }

    pub fn type_name(&self) -> &'static str {
        match &self.kind {
            NodeKind::Scalar { .. } if self.is_null() => "null",
            NodeKind::Scalar { .. } => "a scalar",
            NodeKind::Seq(_) => "a sequence",
            NodeKind::Map(_) => "a mapping",
        }
    }

    /// Length in characters to underline in diagnostics.
    pub fn display_len(&self) -> u32 {
        match &self.kind {
            NodeKind::Scalar { text, style, .. } => {
                let first_line = text.lines().next().unwrap_or("").chars().count() as u32;
                match style {
                    ScalarStyle::Quoted => first_line + 2,
                    ScalarStyle::Block => 1,
                    ScalarStyle::Plain => first_line.max(1),
                }
            }
            _ => 1,
        }
    }
}

/// A YAML syntax error.
#[derive(Clone, Debug)]
pub(crate) struct YamlError {
    pub pos: Pos,
    pub message: String,
}

/// Parses every document of `text`; each document's root node is returned.
pub(crate) fn parse_documents(text: &str) -> Result<Vec<Node>, YamlError> {
    // yaml-rust2 (and saphyr) reject a flow sequence of quoted scalars whose closing bracket
    // sits at the key's indentation (`items: [\n    "a",\n  ]`), which libyaml and yaml-cpp
    // accept and Falco's rules use. Indenting a bracket-only line is harmless in flow context,
    // so on that exact error we indent every bracket-only line from there on and parse again
    // (a few rounds at most, in case the first patch was not enough).
    let mut patched: Option<String> = None;
    for _ in 0..8 {
        let current = patched.as_deref().unwrap_or(text);
        match parse_once(current) {
            Err(e) if e.message == "invalid indentation" => {
                let from = e.pos.line.saturating_sub(1) as usize;
                let mut changed = false;
                let lines: Vec<String> = current
                    .split('\n')
                    .enumerate()
                    .map(|(i, line)| {
                        let t = line.trim();
                        if i >= from && matches!(t, "]" | "}" | "]," | "},") {
                            changed = true;
                            format!("{}{line}", " ".repeat(64))
                        } else {
                            line.to_string()
                        }
                    })
                    .collect();
                if !changed {
                    return Err(e);
                }
                patched = Some(lines.join("\n"));
            }
            other => return other,
        }
    }
    parse_once(patched.as_deref().unwrap_or(text))
}

/// Deepest YAML nesting accepted; rules files need 4 or 5 levels. Bounding it keeps the tree
/// (and dropping it) far from the stack limit on hostile input.
const MAX_YAML_DEPTH: usize = 256;

/// Most nodes that aliases (`*name`) may copy into a file's tree. Each alias copies its
/// anchor's whole subtree, so nested aliases grow exponentially (a 700-byte file can ask for
/// billions of nodes); like serde_yaml's "repetition limit exceeded", the file is refused at
/// the alias that goes over.
pub(crate) const MAX_ALIAS_NODES: usize = 1_000_000;

fn parse_once(text: &str) -> Result<Vec<Node>, YamlError> {
    let mut builder = Builder::default();
    let mut parser = Parser::new_from_str(text);
    // Pull events one by one rather than `Parser::load`, which recurses once per nesting level.
    loop {
        let (event, mark) = match parser.next_token() {
            Ok(next) => next,
            Err(e) => {
                return Err(YamlError {
                    pos: marker_pos(e.marker()),
                    message: e.info().to_string(),
                });
            }
        };
        if event == Event::StreamEnd {
            break;
        }
        builder.on_event(event, mark);
        if builder.stack.len() > MAX_YAML_DEPTH {
            return Err(YamlError {
                pos: marker_pos(&mark),
                message: format!("nesting deeper than {MAX_YAML_DEPTH} levels"),
            });
        }
        if builder.error.is_some() {
            break;
        }
    }
    if let Some(message) = builder.error {
        return Err(YamlError {
            pos: builder.error_pos,
            message,
        });
    }
    Ok(builder.docs)
}

fn marker_pos(m: &Marker) -> Pos {
    // yaml-rust2 markers: 1-based lines, 0-based columns.
    Pos {
        line: m.line() as u32,
        col: m.col() as u32 + 1,
    }
}

enum Frame {
    Seq(Node, usize),
    Map(Node, Option<Node>, usize),
}

#[derive(Default)]
struct Builder {
    docs: Vec<Node>,
    stack: Vec<Frame>,
    /// Anchored nodes with their size in nodes.
    anchors: std::collections::HashMap<usize, (Node, usize)>,
    /// Nodes copied by aliases so far.
    alias_nodes: usize,
    error: Option<String>,
    error_pos: Pos,
}

/// Number of nodes in a tree (bounded depth: see `MAX_YAML_DEPTH`).
fn node_count(node: &Node) -> usize {
    match &node.kind {
        NodeKind::Scalar { .. } => 1,
        NodeKind::Seq(items) => 1 + items.iter().map(node_count).sum::<usize>(),
        NodeKind::Map(entries) => {
            1 + entries
                .iter()
                .map(|(k, v)| node_count(k) + node_count(v))
                .sum::<usize>()
        }
    }
}

impl Builder {
    fn fail(&mut self, message: String, pos: Pos) {
        if self.error.is_none() {
            self.error = Some(message);
            self.error_pos = pos;
        }
    }

    fn push_node(&mut self, node: Node, anchor: usize) {
        if anchor > 0 {
            let size = node_count(&node);
            self.anchors.insert(anchor, (node.clone(), size));
        }
        match self.stack.last_mut() {
            None => self.docs.push(node),
            Some(Frame::Seq(seq, _)) => {
                if let NodeKind::Seq(items) = &mut seq.kind {
                    items.push(node);
                }
            }
            Some(Frame::Map(map, key, _)) => match key.take() {
                None => *key = Some(node),
                Some(k) => {
                    if let NodeKind::Map(entries) = &mut map.kind {
                        entries.push((k, node));
                    }
                }
            },
        }
    }
}

impl MarkedEventReceiver for Builder {
    fn on_event(&mut self, ev: Event, mark: Marker) {
        let pos = marker_pos(&mark);
        match ev {
            Event::Scalar(text, style, anchor, _tag) => {
                let style_kind = match style {
                    TScalarStyle::Plain => ScalarStyle::Plain,
                    TScalarStyle::SingleQuoted | TScalarStyle::DoubleQuoted => ScalarStyle::Quoted,
                    _ => ScalarStyle::Block,
                };
                let node = Node {
                    kind: NodeKind::Scalar {
                        text,
                        plain: style_kind == ScalarStyle::Plain,
                        style: style_kind,
                    },
                    pos,
                };
                self.push_node(node, anchor);
            }
            Event::SequenceStart(anchor, _) => self.stack.push(Frame::Seq(
                Node {
                    kind: NodeKind::Seq(Vec::new()),
                    pos,
                },
                anchor,
            )),
            Event::MappingStart(anchor, _) => self.stack.push(Frame::Map(
                Node {
                    kind: NodeKind::Map(Vec::new()),
                    pos,
                },
                None,
                anchor,
            )),
            Event::SequenceEnd | Event::MappingEnd => {
                if let Some(frame) = self.stack.pop() {
                    let (mut node, anchor) = match frame {
                        Frame::Seq(node, anchor) => (node, anchor),
                        Frame::Map(node, _, anchor) => (node, anchor),
                    };
                    // Growth slack is a third of a big file's tree: give it back.
                    match &mut node.kind {
                        NodeKind::Seq(items) => items.shrink_to_fit(),
                        NodeKind::Map(entries) => entries.shrink_to_fit(),
                        NodeKind::Scalar { .. } => {}
                    }
                    self.push_node(node, anchor);
                }
            }
            Event::Alias(id) => match self.anchors.get(&id) {
                Some((_, size)) if self.alias_nodes + size > MAX_ALIAS_NODES => {
                    let message = format!(
                        "repetition limit exceeded: YAML aliases would copy more than {MAX_ALIAS_NODES} nodes"
                    );
                    self.fail(message, pos);
                }
                Some((node, size)) => {
                    self.alias_nodes += size;
                    let mut node = node.clone();
                    node.pos = pos;
                    self.push_node(node, 0);
                }
                None => self.fail("unknown alias".into(), pos),
            },
            Event::Nothing
            | Event::StreamStart
            | Event::StreamEnd
            | Event::DocumentStart
            | Event::DocumentEnd => {}
        }
    }
}

/// The lines of a file, found once: looking a line up is then an index, not a scan (a file
/// with many diagnostics would otherwise be read again for each one).
pub(crate) struct Lines<'a> {
    text: &'a str,
    starts: Vec<usize>,
}

impl<'a> Lines<'a> {
    pub fn new(text: &'a str) -> Lines<'a> {
        let starts = std::iter::once(0)
            .chain(memchr_newlines(text).map(|i| i + 1))
            .collect();
        Lines { text, starts }
    }

    /// Line `n` (1-based), without its newline (and `\r`); empty past the end.
    pub fn line(&self, n: u32) -> &'a str {
        let Some(&start) = self.starts.get(n.saturating_sub(1) as usize) else {
            return "";
        };
        let end = self
            .starts
            .get(n as usize)
            .map_or(self.text.len(), |next| next - 1);
        self.text[start..end].trim_end_matches('\r')
    }
}

fn memchr_newlines(text: &str) -> impl Iterator<Item = usize> + '_ {
    text.bytes()
        .enumerate()
        .filter(|(_, b)| *b == b'\n')
        .map(|(i, _)| i)
}

/// Maps byte offsets inside a scalar's value back to file positions.
///
/// YAML folding and quoting only change whitespace and quote characters, so walking the source
/// from the scalar's start and matching the value's non-blank characters in order finds where
/// each one came from.
pub(crate) fn locate_in_scalar(lines: &Lines<'_>, start: Pos, value: &str, offset: usize) -> Pos {
    let target = value
        .char_indices()
        .take_while(|(i, _)| *i <= offset)
        .filter(|(_, c)| !c.is_whitespace())
        .count();
    if target == 0 {
        return start;
    }
    if start.line as usize > lines.starts.len() {
        return start;
    }
    let first_line = lines.line(start.line);
    // Byte index of the scalar start in its line.
    let start_byte = first_line
        .char_indices()
        .nth(start.col.saturating_sub(1) as usize)
        .map_or(first_line.len(), |(i, _)| i);
    let mut line_idx = start.line.saturating_sub(1) as usize;
    let mut col_in_line = start.col;
    let mut rest = &first_line[start_byte..];
    let mut result = start;
    let mut matched = 0;
    let mut wanted = value
        .char_indices()
        .filter(|(_, c)| !c.is_whitespace())
        .map(|(_, c)| c);
    let mut want = wanted.next();
    // Scan at most a few thousand lines ahead to bound the work on odd inputs.
    let mut budget = 200_000usize;
    while let Some(w) = want {
        let mut advanced = false;
        for c in rest.chars() {
            budget = budget.saturating_sub(1);
            if budget == 0 {
                return result;
            }
            col_in_line += 1;
            let consumed = rest.char_indices().nth(1).map_or(rest.len(), |(i, _)| i);
            rest = &rest[consumed..];
            if c == w {
                matched += 1;
                result = Pos {
                    line: line_idx as u32 + 1,
                    col: col_in_line - 1,
                };
                if matched == target {
                    return result;
                }
                want = wanted.next();
                advanced = true;
                break;
            }
        }
        if !advanced {
            line_idx += 1;
            if line_idx >= lines.starts.len() {
                return result;
            }
            rest = lines.line(line_idx as u32 + 1);
            col_in_line = 1;
        }
    }
    result
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn positions_are_one_based() {
        let docs = parse_documents("- rule: x\n  desc: \"y\"\n").unwrap();
        let NodeKind::Seq(items) = &docs[0].kind else {
            panic!()
        };
        let NodeKind::Map(entries) = &items[0].kind else {
            panic!()
        };
        assert_eq!(entries[0].0.pos, Pos { line: 1, col: 3 });
        assert_eq!(entries[1].1.pos, Pos { line: 2, col: 9 });
    }

    #[test]
    fn locates_offsets_in_folded_scalars() {
        let text = "- macro: m\n  condition: >\n    proc.name = a\n    and fd.nme = b\n";
        let docs = parse_documents(text).unwrap();
        let NodeKind::Seq(items) = &docs[0].kind else {
            panic!()
        };
        let NodeKind::Map(entries) = &items[0].kind else {
            panic!()
        };
        let value = entries[1].1.as_str().unwrap();
        let offset = value.find("fd.nme").unwrap();
        let pos = locate_in_scalar(&Lines::new(text), entries[1].1.pos, value, offset);
        assert_eq!(pos, Pos { line: 4, col: 9 });
    }
}
#[cfg(test)]
mod alias_tests {
    #[test]
    fn nested_aliases_are_refused_at_the_alias() {
        // Ten lists, each ten aliases of the previous: 10^10 nodes if expanded.
        let mut text = String::from("- list: a0\n  items: &a0 [x, x, x, x, x, x, x, x, x, x]\n");
        for k in 1..10 {
            let refs = vec![format!("*a{}", k - 1); 10].join(", ");
            text.push_str(&format!("- list: a{k}\n  items: &a{k} [{refs}]\n"));
        }
        let err = super::parse_documents(&text).unwrap_err();
        assert!(
            err.message.starts_with("repetition limit exceeded"),
            "{}",
            err.message
        );
        assert!(err.pos.line > 1);
    }

    #[test]
    fn a_few_aliases_are_fine() {
        let text = "- list: a\n  items: &x [a, b]\n- list: b\n  items: *x\n";
        assert!(super::parse_documents(text).is_ok());
    }
}

#[cfg(test)]
mod flow_tests {
    #[test]
    fn flow_closing_bracket_at_key_indent() {
        for text in [
            "- list: a\n  items: [\n    \"x\",\n    \"y\"\n  ]\n",
            "- list: a\n  items: [\n    x,\n    y\n  ]\n",
            "- list: a\n  items: [\n    \"x\", \"y\"\n  ]\n",
            "- list: a\n  items: [\n    \"x\",\"y\",\n    \"z\"\n  ]\n",
        ] {
            assert!(super::parse_documents(text).is_ok(), "{text:?}");
        }
    }
}
