//! User and group names from /etc/passwd and /etc/group, as `ps` shows them.

use std::collections::HashMap;

/// A uid → name (or gid → name) table.
#[derive(Debug, Clone, Default)]
pub struct NameTable {
    names: HashMap<u32, String>,
}

impl NameTable {
    /// Parses passwd(5) or group(5) text: `name:x:id:...`. Malformed lines are skipped, as
    /// getpwent does.
    pub fn parse(text: &str) -> NameTable {
        let mut names = HashMap::new();
        for line in text.lines() {
            let mut f = line.split(':');
            if let (Some(name), Some(_), Some(id)) = (f.next(), f.next(), f.next())
                && let Ok(id) = id.parse()
            {
                names.entry(id).or_insert_with(|| name.to_string());
            }
        }
        NameTable { names }
    }

    /// /etc/passwd, or an empty table if it cannot be read (ids are then shown as numbers).
    pub fn users() -> NameTable {
        Self::parse(&std::fs::read_to_string("/etc/passwd").unwrap_or_default())
    }

    /// /etc/group, likewise.
    pub fn groups() -> NameTable {
        Self::parse(&std::fs::read_to_string("/etc/group").unwrap_or_default())
    }

    pub fn get(&self, id: u32) -> Option<&str> {
        self.names.get(&id).map(String::as_str)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn passwd() {
        let t = NameTable::parse(
            "root:x:0:0:root:/root:/bin/bash\n#junk\nbad\nnobody:x:65534:65534::/:/bin/false\nroot2:x:0:0::/:\n",
        );
        assert_eq!(t.get(0), Some("root"));
        assert_eq!(t.get(65534), Some("nobody"));
        assert_eq!(t.get(1), None);
    }
}
