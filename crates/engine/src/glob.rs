//! Glob patterns for `glob`/`iglob` and path prefixes for `pmatch`, compiled once per rule.
//!
//! libsinsp's `glob` is `fnmatch(3)` without flags: `*` and `?` also match `/`, `[...]`
//! classes (with `!` or `^` negation and ranges), and a backslash escapes the next character.

#[derive(Debug, Clone, PartialEq)]
enum Token {
    Literal(char),
    AnyChar,
    AnyString,
    Class {
        negated: bool,
        ranges: Vec<(char, char)>,
    },
}

/// A compiled glob pattern.
#[derive(Debug, Clone, PartialEq)]
pub struct Glob {
    tokens: Vec<Token>,
    case_insensitive: bool,
}

impl Glob {
    pub fn new(pattern: &str, case_insensitive: bool) -> Glob {
        let fold = |c: char| {
            if case_insensitive {
                c.to_ascii_lowercase()
            } else {
                c
            }
        };
        let chars: Vec<char> = pattern.chars().collect();
        let mut tokens = Vec::new();
        let mut i = 0;
        while i < chars.len() {
            match chars[i] {
                '*' => {
                    if tokens.last() != Some(&Token::AnyString) {
                        tokens.push(Token::AnyString);
                    }
                }
                '?' => tokens.push(Token::AnyChar),
                '\\' if i + 1 < chars.len() => {
                    i += 1;
                    tokens.push(Token::Literal(fold(chars[i])));
                }
                '[' => match parse_class(&chars[i + 1..], fold) {
                    Some((token, used)) => {
                        tokens.push(token);
                        i += used;
                    }
                    // An unterminated `[` is an ordinary character, as in fnmatch.
                    None => tokens.push(Token::Literal('[')),
                },
                c => tokens.push(Token::Literal(fold(c))),
            }
            i += 1;
        }
        Glob {
            tokens,
            case_insensitive,
        }
    }

    pub fn matches(&self, text: &str) -> bool {
        // ASCII text (paths, command lines: nearly always) is matched in place; anything else
        // is decoded into chars first. Either way one element is one character.
        if text.is_ascii() {
            let bytes = text.as_bytes();
            return if self.case_insensitive {
                match_tokens(&self.tokens, bytes.len(), |i| {
                    char::from(bytes[i].to_ascii_lowercase())
                })
            } else {
                match_tokens(&self.tokens, bytes.len(), |i| char::from(bytes[i]))
            };
        }
        let chars: Vec<char> = if self.case_insensitive {
            text.chars().map(|c| c.to_ascii_lowercase()).collect()
        } else {
            text.chars().collect()
        };
        match_tokens(&self.tokens, chars.len(), |i| chars[i])
    }
}

/// Parses a `[...]` class after the `[`; returns the token and how many chars it used
/// (including the closing `]`).
fn parse_class(chars: &[char], fold: impl Fn(char) -> char) -> Option<(Token, usize)> {
    let mut i = 0;
    let negated = matches!(chars.first(), Some('!') | Some('^'));
    if negated {
        i += 1;
    }
    let mut ranges = Vec::new();
    let mut first = true;
    while i < chars.len() {
        let c = chars[i];
        if c == ']' && !first {
            return Some((Token::Class { negated, ranges }, i + 1));
        }
        first = false;
        if i + 2 < chars.len() && chars[i + 1] == '-' && chars[i + 2] != ']' {
            ranges.push((fold(c), fold(chars[i + 2])));
            i += 3;
        } else {
            ranges.push((fold(c), fold(c)));
            i += 1;
        }
    }
    None
}

/// Iterative wildcard matching with one backtrack point per `*` (linear in practice) over a
/// text of `len` characters, `at(i)` being the i-th.
#[inline]
fn match_tokens(tokens: &[Token], len: usize, at: impl Fn(usize) -> char) -> bool {
    let (mut t, mut s) = (0, 0);
    let mut star: Option<(usize, usize)> = None;
    while s < len {
        let advanced = match tokens.get(t) {
            Some(Token::AnyString) => {
                star = Some((t, s));
                t += 1;
                continue;
            }
            Some(Token::AnyChar) => true,
            Some(Token::Literal(c)) => *c == at(s),
            Some(Token::Class { negated, ranges }) => {
                let c = at(s);
                let inside = ranges.iter().any(|(lo, hi)| (*lo..=*hi).contains(&c));
                inside != *negated
            }
            None => false,
        };
        if advanced {
            t += 1;
            s += 1;
        } else if let Some((star_t, star_s)) = star {
            t = star_t + 1;
            s = star_s + 1;
            star = Some((star_t, star_s + 1));
        } else {
            return false;
        }
    }
    tokens[t..].iter().all(|token| *token == Token::AnyString)
}

/// One `pmatch` prefix: a path split into components, each literal or a glob.
#[derive(Debug, Clone, PartialEq)]
pub struct PathPrefix {
    components: Vec<PathComponent>,
}

#[derive(Debug, Clone, PartialEq)]
enum PathComponent {
    Literal(String),
    Pattern(Glob),
}

impl PathPrefix {
    pub fn new(prefix: &str) -> PathPrefix {
        let components = prefix
            .split('/')
            .filter(|c| !c.is_empty())
            .map(|c| {
                if c.contains(['*', '?', '[']) {
                    PathComponent::Pattern(Glob::new(c, false))
                } else {
                    PathComponent::Literal(c.to_string())
                }
            })
            .collect();
        PathPrefix { components }
    }

    /// True when `path` is the prefix itself or lies below it (component-wise: `/etc` matches
    /// `/etc/passwd` but not `/etcetera`).
    pub fn matches(&self, path: &str) -> bool {
        let mut parts = path.split('/').filter(|c| !c.is_empty());
        self.components.iter().all(|component| match parts.next() {
            Some(part) => component.matches(part),
            None => false,
        })
    }

    /// True when any of `prefixes` matches `path` (`pmatch`). The path is split into
    /// components once for all prefixes, and only as deep as some prefix looks (most fail on
    /// the first component), instead of whole once per prefix: that took `pmatch` from ~220
    /// to ~125 instructions per test on bench/engine.sh.
    pub fn any_matches(prefixes: &[PathPrefix], path: &str) -> bool {
        let mut split = SplitPath {
            path,
            next: 0,
            parts: [""; SplitPath::MAX_PARTS],
            count: 0,
        };
        prefixes.iter().any(|prefix| {
            prefix
                .components
                .iter()
                .enumerate()
                .all(|(depth, component)| match split.part(depth) {
                    Some(part) => component.matches(part),
                    None => false,
                })
                || (prefix.components.len() > SplitPath::MAX_PARTS && prefix.matches(path))
        })
    }
}

/// A path's components, found on demand and kept for the next prefix.
struct SplitPath<'a> {
    path: &'a str,
    /// Where the search for the next component starts.
    next: usize,
    parts: [&'a str; SplitPath::MAX_PARTS],
    count: usize,
}

impl<'a> SplitPath<'a> {
    /// Components kept; prefixes deeper than this (none in Falco's rules) take the slow path.
    const MAX_PARTS: usize = 8;

    /// Component `depth` (empty components skipped, as [`PathPrefix::matches`] does), or
    /// `None` past the end or past [`Self::MAX_PARTS`].
    #[inline]
    fn part(&mut self, depth: usize) -> Option<&'a str> {
        while self.count <= depth && self.count < Self::MAX_PARTS {
            let bytes = self.path.as_bytes();
            let mut start = self.next;
            while bytes.get(start) == Some(&b'/') {
                start += 1;
            }
            if start >= bytes.len() {
                return None;
            }
            let mut end = start;
            while end < bytes.len() && bytes[end] != b'/' {
                end += 1;
            }
            self.parts[self.count] = self.path.get(start..end)?;
            self.count += 1;
            self.next = end;
        }
        self.parts.get(depth).copied()
    }
}

impl PathComponent {
    #[inline]
    fn matches(&self, part: &str) -> bool {
        match self {
            PathComponent::Literal(literal) => literal == part,
            PathComponent::Pattern(glob) => glob.matches(part),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn globs() {
        let cases = [
            ("/proc/*/environ", "/proc/123/environ", false, true),
            ("/proc/*/environ", "/proc/1/task/2/environ", false, true),
            ("/proc/*/environ", "/proc/123/environx", false, false),
            ("*.pem", "key.pem", false, true),
            ("a?c", "abc", false, true),
            ("a?c", "ac", false, false),
            ("[abc]x", "bx", false, true),
            ("[!abc]x", "bx", false, false),
            ("[a-c]x", "cx", false, true),
            ("\\*x", "*x", false, true),
            ("\\*x", "ax", false, false),
            ("*", "", false, true),
            ("/ETC/*", "/etc/passwd", true, true),
            ("/ETC/*", "/etc/passwd", false, false),
            ("a*b*c", "aXXbYYc", false, true),
            ("a*b*c", "aXXbYY", false, false),
            ("[", "[", false, true),
        ];
        for (pattern, text, insensitive, expect) in cases {
            assert_eq!(
                Glob::new(pattern, insensitive).matches(text),
                expect,
                "{pattern} ~ {text}"
            );
        }
    }

    #[test]
    fn path_prefixes() {
        let cases = [
            ("/etc", "/etc/passwd", true),
            ("/etc", "/etc", true),
            ("/etc", "/etcetera", false),
            ("/etc/", "/etc/ssh/sshd_config", true),
            ("/var/*/log", "/var/x/log/a", true),
            ("/var/*/log", "/var/x/lib/a", false),
            ("/", "/anything", true),
            ("/", "", true),
            ("/etc", "", false),
            ("/etc", "etc//passwd", true),
            ("/a/b/c/d/e/f/g/h", "/a/b/c/d/e/f/g/h/i", true),
            ("/a/b/c/d/e/f/g/h/i", "/a/b/c/d/e/f/g/h/i/j", true),
            ("/a/b/c/d/e/f/g/h/i", "/a/b/c/d/e/f/g/h/x/j", false),
            ("/a/b/c/d/e/f/g/h/i", "/a/b/c/d/e/f/g/h", false),
        ];
        for (prefix, path, expect) in cases {
            let prefix = PathPrefix::new(prefix);
            assert_eq!(prefix.matches(path), expect, "{prefix:?} {path}");
            // Splitting once for a whole list gives the same answer, alone or among others.
            let list = [PathPrefix::new("/nowhere"), prefix];
            assert_eq!(
                PathPrefix::any_matches(&list, path),
                expect,
                "{list:?} {path}"
            );
        }
    }
}
