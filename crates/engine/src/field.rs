//! Fields as the engine asks events for them: a registry field, its argument, and a dense slot.
//!
//! Every distinct `field[arg]` that a loaded rule's condition or output names gets one
//! [`Slot`], assigned at compile time. Events that store values by slot (the field-level JSONL
//! event) answer with an index; events computed from live state match on [`FieldRef::id`] and
//! read [`FieldRef::arg`]. Either way no field name is looked up while an event is evaluated.

use std::collections::HashMap;

use saker_rules::fields::{self, ArgKind, FieldId, FieldInfo};

/// Dense index of a `field[arg]` pair within one compiled engine.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Slot(pub u32);

pub use saker_rules::filter::FieldArg;

/// One resolved field reference.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct FieldRef {
    pub id: FieldId,
    pub arg: Option<FieldArg>,
    pub slot: Slot,
}

impl FieldRef {
    pub fn info(&self) -> &'static FieldInfo {
        self.id.info()
    }

    /// The canonical spelling: `proc.aname[2]`, `evt.arg.flags` for dotted-argument fields.
    pub fn canonical_name(&self) -> String {
        canonical_name(self.id, self.arg.as_ref())
    }
}

fn canonical_name(id: FieldId, arg: Option<&FieldArg>) -> String {
    match arg {
        None => id.name().to_string(),
        Some(FieldArg::Key(key)) if id.info().dotted_arg && is_plain_key(key) => {
            format!("{}.{key}", id.name())
        }
        Some(FieldArg::Key(key)) => format!("{}[{key}]", id.name()),
        Some(FieldArg::Index(i)) => format!("{}[{i}]", id.name()),
    }
}

fn is_plain_key(key: &str) -> bool {
    !key.is_empty()
        && key
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'_' || b == b'.')
}

/// Why a field name could not be resolved.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum FieldNameError {
    #[error("unknown field '{0}'")]
    Unknown(String),
    #[error("field '{field}' takes no argument")]
    UnexpectedArg { field: String },
    #[error("field '{field}' needs an argument ({field}[...])")]
    MissingArg { field: String },
    #[error("field '{field}' needs a numeric index, not '{arg}'")]
    BadIndex { field: String, arg: String },
}

/// Resolves a field as written (`proc.aname[2]`, `evt.arg.flags`, `evt.arg[0]`, or a name
/// with a separate bracket argument) to a registry id and a parsed argument.
pub fn resolve_field(
    name: &str,
    bracket_arg: Option<&str>,
) -> Result<(FieldId, Option<FieldArg>), FieldNameError> {
    // `proc.aname[2]` written as one string (JSONL keys, output templates).
    if bracket_arg.is_none()
        && let Some(open) = name.find('[')
        && name.ends_with(']')
    {
        return resolve_field(&name[..open], Some(&name[open + 1..name.len() - 1]));
    }
    let (id, dotted) =
        fields::resolve(name).ok_or_else(|| FieldNameError::Unknown(name.to_string()))?;
    let raw_arg = match (dotted, bracket_arg) {
        (Some(_), Some(_)) => return Err(FieldNameError::Unknown(name.to_string())),
        (Some(d), None) => Some(d),
        (None, b) => b,
    };
    let info = id.info();
    let arg = match (raw_arg, info.takes_arg) {
        (None, _) if info.arg_required => {
            return Err(FieldNameError::MissingArg {
                field: info.name.to_string(),
            });
        }
        (None, _) => None,
        (Some(_), ArgKind::None) => {
            return Err(FieldNameError::UnexpectedArg {
                field: info.name.to_string(),
            });
        }
        (Some(text), ArgKind::Index) => {
            Some(FieldArg::Index(text.trim().parse().map_err(|_| {
                FieldNameError::BadIndex {
                    field: info.name.to_string(),
                    arg: text.to_string(),
                }
            })?))
        }
        (Some(text), ArgKind::IndexOrKey) => Some(match text.trim().parse::<u64>() {
            Ok(index) => FieldArg::Index(index),
            Err(_) => FieldArg::Key(text.to_string()),
        }),
        (Some(text), ArgKind::Key) => Some(FieldArg::Key(text.to_string())),
    };
    Ok((id, arg))
}

/// The slots of one compiled engine.
#[derive(Clone, Debug, Default)]
pub struct FieldTable {
    refs: Vec<FieldRef>,
    index: HashMap<(FieldId, Option<FieldArg>), Slot>,
    /// Every spelling of each interned field (`evt.arg.flags`, `evt.arg[flags]`), so that
    /// event keys resolve with one lookup.
    by_key: HashMap<String, Slot>,
}

impl FieldTable {
    /// The slot of `field[arg]`, allocating one the first time.
    pub fn intern(&mut self, id: FieldId, arg: Option<FieldArg>) -> FieldRef {
        if let Some(slot) = self.index.get(&(id, arg.clone())) {
            return self.refs[slot.0 as usize].clone();
        }
        let slot = Slot(self.refs.len() as u32);
        let field = FieldRef { id, arg, slot };
        self.index.insert((id, field.arg.clone()), slot);
        self.by_key.insert(field.canonical_name(), slot);
        if let Some(FieldArg::Key(key)) = &field.arg {
            self.by_key.insert(format!("{}[{key}]", id.name()), slot);
        }
        self.refs.push(field.clone());
        field
    }

    pub fn get(&self, id: FieldId, arg: Option<&FieldArg>) -> Option<&FieldRef> {
        let slot = self.index.get(&(id, arg.cloned()))?;
        self.refs.get(slot.0 as usize)
    }

    /// The field an event key names, if a rule uses it (exact spelling: `proc.aname[2]`,
    /// `evt.arg.flags` or `evt.arg[flags]`).
    pub fn by_key(&self, key: &str) -> Option<&FieldRef> {
        let slot = self.by_key.get(key)?;
        self.refs.get(slot.0 as usize)
    }

    /// Every field the engine's rules use, by slot.
    pub fn fields(&self) -> &[FieldRef] {
        &self.refs
    }

    pub fn len(&self) -> usize {
        self.refs.len()
    }

    pub fn is_empty(&self) -> bool {
        self.refs.is_empty()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn resolves_written_forms() {
        let cases: [(&str, Option<&str>, &str); 6] = [
            ("proc.name", None, "proc.name"),
            ("proc.aname[2]", None, "proc.aname[2]"),
            ("proc.aname", Some("3"), "proc.aname[3]"),
            ("evt.arg.flags", None, "evt.arg.flags"),
            ("evt.arg[flags]", None, "evt.arg.flags"),
            ("evt.arg[0]", None, "evt.arg[0]"),
        ];
        let mut table = FieldTable::default();
        for (name, arg, canonical) in cases {
            let (id, arg) = resolve_field(name, arg).unwrap();
            assert_eq!(table.intern(id, arg).canonical_name(), canonical);
        }
        // `evt.arg.flags` and `evt.arg[flags]` share a slot.
        assert_eq!(table.len(), 5);
    }

    #[test]
    fn rejects_bad_names() {
        assert!(matches!(
            resolve_field("proc.nope", None),
            Err(FieldNameError::Unknown(_))
        ));
        assert!(matches!(
            resolve_field("proc.name[1]", None),
            Err(FieldNameError::UnexpectedArg { .. })
        ));
        assert!(matches!(
            resolve_field("proc.aname[x]", None),
            Err(FieldNameError::BadIndex { .. })
        ));
    }
}
