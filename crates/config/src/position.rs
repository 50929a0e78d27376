//! Where a key path's value is written in the configuration text: `response.actions[1].do[0]`
//! -> line and column, from yaml-rust2's marked events (block and flow style alike).

use yaml_rust2::parser::{Event, Parser};

/// One step of a key path.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Segment {
    Key(String),
    Index(usize),
}

/// Splits `a.b[2].c` into its steps; `None` for a malformed path.
pub fn parse_key_path(path: &str) -> Option<Vec<Segment>> {
    let mut out = Vec::new();
    for part in path.split('.') {
        let (name, mut rest) = match part.find('[') {
            Some(i) => (&part[..i], &part[i..]),
            None => (part, ""),
        };
        if name.is_empty() {
            return None;
        }
        out.push(Segment::Key(name.to_string()));
        while let Some(tail) = rest.strip_prefix('[') {
            let end = tail.find(']')?;
            out.push(Segment::Index(tail[..end].parse().ok()?));
            rest = &tail[end + 1..];
        }
        if !rest.is_empty() {
            return None;
        }
    }
    Some(out)
}

enum Frame {
    /// A mapping: the key just read (its value comes next), if any.
    Map(Option<String>),
    /// A sequence: the index of the next item.
    Seq(usize),
}

/// The 1-based line and column of the value at `path` in `text` (the first document), or of
/// the deepest part of the path that is written out. `None` when not even the first step is.
pub fn position_of(text: &str, path: &[Segment]) -> Option<(usize, usize)> {
    let mut parser = Parser::new_from_str(text);
    let mut stack: Vec<Frame> = Vec::new();
    let mut best: Option<(usize, (usize, usize))> = None;
    // A block collection's own marker can sit on its first key's colon: it is placed where
    // the next node (its first key or item) starts instead.
    let mut collection_pending = false;
    while let Ok((event, mark)) = parser.next_token() {
        let position = (mark.line(), mark.col() + 1);
        if collection_pending {
            collection_pending = false;
            if let Some((n, _)) = best {
                if !matches!(event, Event::MappingEnd | Event::SequenceEnd) {
                    best = Some((n, position));
                }
                if n == path.len() {
                    return best.map(|(_, p)| p);
                }
            }
        }
        // A node starts (scalar, mapping or sequence) unless this scalar is a mapping key.
        let starts_value = matches!(
            event,
            Event::Scalar(..)
                | Event::MappingStart(..)
                | Event::SequenceStart(..)
                | Event::Alias(_)
        ) && !matches!(stack.last(), Some(Frame::Map(None)));
        if starts_value {
            let node_path = node_path(&stack);
            let matched = node_path
                .iter()
                .zip(path)
                .take_while(|(a, b)| a == b)
                .count();
            if matched == node_path.len() && best.is_none_or(|(n, _)| matched > n) {
                best = Some((matched, position));
                if matches!(event, Event::MappingStart(..) | Event::SequenceStart(..)) {
                    collection_pending = true;
                } else if matched == path.len() {
                    return Some(position);
                }
            }
        }
        match event {
            Event::StreamEnd | Event::DocumentEnd => break,
            Event::Scalar(text, ..) => {
                if let Some(Frame::Map(key @ None)) = stack.last_mut() {
                    *key = Some(text);
                    continue;
                }
                finish_value(&mut stack);
            }
            Event::Alias(_) => finish_value(&mut stack),
            Event::MappingStart(..) => stack.push(Frame::Map(None)),
            Event::SequenceStart(..) => stack.push(Frame::Seq(0)),
            Event::MappingEnd | Event::SequenceEnd => {
                stack.pop();
                finish_value(&mut stack);
            }
            _ => {}
        }
    }
    best.filter(|(n, _)| *n > 0).map(|(_, position)| position)
}

/// The path of the node that starts next, given the open mappings and sequences.
fn node_path(stack: &[Frame]) -> Vec<Segment> {
    stack
        .iter()
        .filter_map(|frame| match frame {
            Frame::Map(Some(key)) => Some(Segment::Key(key.clone())),
            Frame::Map(None) => None,
            Frame::Seq(index) => Some(Segment::Index(*index)),
        })
        .collect()
}

/// A value was read: its mapping waits for the next key, its sequence for the next item.
fn finish_value(stack: &mut [Frame]) {
    match stack.last_mut() {
        Some(Frame::Map(key)) => *key = None,
        Some(Frame::Seq(index)) => *index += 1,
        None => {}
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(text: &str, path: &str) -> Option<(usize, usize)> {
        position_of(text, &parse_key_path(path).unwrap())
    }

    #[test]
    fn block_and_flow_values_are_found_by_key_and_index() {
        let text = "\
priority: debug
response:
  dry_run: false
  actions:
    - match: {rule: \"Launch X\"}
      do: kill_process
    - match:
        tags: [container, shell]
        priority: \">=Notice\"
      do: [kill_process, program: \"logger -t x\"]
";
        assert_eq!(at(text, "priority"), Some((1, 11)));
        assert_eq!(at(text, "response.dry_run"), Some((3, 12)));
        assert_eq!(at(text, "response.actions[0].match.rule"), Some((5, 21)));
        assert_eq!(at(text, "response.actions[0].do"), Some((6, 11)));
        assert_eq!(at(text, "response.actions[1].match.tags[1]"), Some((8, 27)));
        assert_eq!(
            at(text, "response.actions[1].match.priority"),
            Some((9, 19))
        );
        assert_eq!(at(text, "response.actions[1].do[1]"), Some((10, 26)));
        assert_eq!(
            at(text, "response.actions[1].do[1].program"),
            Some((10, 35))
        );
        // Not written: the deepest part that is.
        assert_eq!(at(text, "response.actions[1].match.source"), Some((8, 9)));
        assert_eq!(at(text, "webserver.enabled"), None);
    }

    #[test]
    fn key_paths_parse() {
        assert_eq!(
            parse_key_path("a.b[2][3].c"),
            Some(vec![
                Segment::Key("a".into()),
                Segment::Key("b".into()),
                Segment::Index(2),
                Segment::Index(3),
                Segment::Key("c".into()),
            ])
        );
        for bad in ["", "a..b", "a[x]", "a[1", "a[1]b"] {
            assert_eq!(parse_key_path(bad), None, "{bad}");
        }
    }
}
