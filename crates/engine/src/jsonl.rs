//! The field-level event: one JSON object whose keys are field names (docs/events-jsonl.md).
//!
//! ```json
//! {"evt.type":"openat","evt.time":1700000000000000001,"proc.name":"vim","proc.aname[2]":"sshd","fd.name":"/etc/passwd"}
//! ```
//!
//! An absent key or `null` means the field has no value. Values are checked against the
//! field's registry type when the line is parsed, and stored by the engine's slots, so
//! evaluating the event is an array index per field.

use std::borrow::Cow;

use saker_rules::Source;
use saker_rules::fields::FieldType;

use crate::engine::Engine;
use crate::event::{Event, EventTypeId};
use crate::field::{FieldRef, resolve_field};
use crate::value::{Value, parse_number};

/// One field-level event, parsed for one [`Engine`].
#[derive(Clone, Debug, PartialEq)]
pub struct JsonlEvent {
    source: Source,
    event_type: EventTypeId,
    time_ns: u64,
    /// Per slot, the index of its value in `values`, or [`NO_VALUE`]: a dense index keeps
    /// lookups O(1) while events stay small (most fields are absent from any one event).
    positions: Box<[u8]>,
    values: Vec<Packed>,
    /// The bytes of every string value, back to back: one allocation per event keeps an
    /// event's data on few cache lines.
    text: String,
    /// List values (rare).
    lists: Vec<Value<'static>>,
}

const NO_VALUE: u8 = u8::MAX;

/// A value as the event reads it: strings as ranges of `text`, addresses and lists (and
/// numbers too large to pack) as indexes into `lists`.
#[derive(Clone, Copy, Debug, PartialEq)]
enum Stored {
    Str { start: u32, len: u32 },
    Bytes { start: u32, len: u32 },
    Int(i64),
    UInt(u64),
    Bool(bool),
    Ip(u32),
    List(u32),
}

/// A [`Stored`] packed into 8 bytes (a 3-bit kind, then the payload) instead of the enum's
/// 16: evaluation streams every event's values through the cache, and halving them took
/// bench/engine.sh from 459 to 379 ns/event on 1M events (the cache-resident figure did
/// not move: the gain is memory traffic). Strings of 2^29 bytes or more and
/// numbers beyond ±2^60 do not pack; they are kept in `lists` like addresses.
#[derive(Clone, Copy, Debug, PartialEq)]
struct Packed(u64);

const KIND_BITS: u32 = 3;
const KIND_MASK: u64 = (1 << KIND_BITS) - 1;
const KIND_STR: u64 = 0;
const KIND_BYTES: u64 = 1;
const KIND_INT: u64 = 2;
const KIND_UINT: u64 = 3;
const KIND_BOOL: u64 = 4;
const KIND_IP: u64 = 5;
const KIND_LIST: u64 = 6;

impl Packed {
    /// `None` when the payload does not fit beside the kind.
    fn pack(stored: Stored) -> Option<Packed> {
        let text = |kind: u64, start: u32, len: u32| {
            (len < 1 << (32 - KIND_BITS))
                .then(|| Packed(u64::from(start) << 32 | u64::from(len) << KIND_BITS | kind))
        };
        match stored {
            Stored::Str { start, len } => text(KIND_STR, start, len),
            Stored::Bytes { start, len } => text(KIND_BYTES, start, len),
            Stored::Int(i) => ((i << KIND_BITS) >> KIND_BITS == i)
                .then_some(Packed(((i << KIND_BITS) as u64) | KIND_INT)),
            Stored::UInt(u) => {
                (u < 1 << (64 - KIND_BITS)).then_some(Packed(u << KIND_BITS | KIND_UINT))
            }
            Stored::Bool(b) => Some(Packed(u64::from(b) << KIND_BITS | KIND_BOOL)),
            Stored::Ip(index) => Some(Packed(u64::from(index) << KIND_BITS | KIND_IP)),
            Stored::List(index) => Some(Packed(u64::from(index) << KIND_BITS | KIND_LIST)),
        }
    }

    #[inline(always)]
    fn unpack(self) -> Stored {
        let raw = self.0;
        let payload = raw >> KIND_BITS;
        let start = (raw >> 32) as u32;
        let len = ((raw & 0xffff_ffff) >> KIND_BITS) as u32;
        match raw & KIND_MASK {
            KIND_STR => Stored::Str { start, len },
            KIND_BYTES => Stored::Bytes { start, len },
            KIND_INT => Stored::Int((raw as i64) >> KIND_BITS),
            KIND_UINT => Stored::UInt(payload),
            KIND_BOOL => Stored::Bool(payload != 0),
            KIND_IP => Stored::Ip(payload as u32),
            _ => Stored::List(payload as u32),
        }
    }
}

/// Why a line is not a valid field-level event.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum EventParseError {
    #[error("invalid JSON: {0}")]
    Json(String),
    #[error("an event must be a JSON object of field names to values")]
    NotAnObject,
    #[error("{0}")]
    Field(#[from] crate::field::FieldNameError),
    #[error("field '{field}': {message}")]
    Value { field: String, message: String },
    #[error("unknown event source '{0}' (expected syscall or k8s_audit)")]
    Source(String),
    #[error("more than {0} of the event's fields are used by the rules")]
    TooManyFields(usize),
}

impl JsonlEvent {
    /// Parses one JSON line.
    pub fn parse(line: &str, engine: &Engine) -> Result<JsonlEvent, EventParseError> {
        let json: serde_json::Value =
            serde_json::from_str(line).map_err(|e| EventParseError::Json(e.to_string()))?;
        JsonlEvent::from_json(&json, engine)
    }

    /// Builds the event from an already parsed JSON object.
    pub fn from_json(
        json: &serde_json::Value,
        engine: &Engine,
    ) -> Result<JsonlEvent, EventParseError> {
        let object = json.as_object().ok_or(EventParseError::NotAnObject)?;
        let table = engine.fields();
        let mut event = JsonlEvent {
            source: Source::Syscall,
            event_type: EventTypeId::OTHER,
            time_ns: 0,
            positions: vec![NO_VALUE; table.len()].into_boxed_slice(),
            values: Vec::new(),
            text: String::new(),
            lists: Vec::new(),
        };
        let mut by_slot = Vec::new();
        for (key, raw) in object {
            // Fields the rules use resolve with one lookup; others are still validated.
            let known = table.by_key(key);
            let id = match known {
                Some(field) => field.id,
                None => resolve_field(key, None)?.0,
            };
            if raw.is_null() {
                continue;
            }
            let info = id.info();
            let value = typed_value(info.ty, raw).map_err(|message| EventParseError::Value {
                field: key.clone(),
                message,
            })?;
            match info.name {
                "evt.type" => {
                    if let Some(name) = value.as_str() {
                        event.event_type = engine.event_type_id(name);
                    }
                }
                "evt.time" => event.time_ns = value.as_number().unwrap_or(0).max(0) as u64,
                "evt.source" => {
                    let name = value.as_str().unwrap_or_default();
                    event.source = Source::from_name(name)
                        .ok_or_else(|| EventParseError::Source(name.to_string()))?;
                }
                _ => {}
            }
            let slot = match known {
                Some(field) => Some(field.slot),
                None => {
                    let (id, arg) = resolve_field(key, None)?;
                    table.get(id, arg.as_ref()).map(|field| field.slot)
                }
            };
            if let Some(slot) = slot {
                if by_slot.len() >= usize::from(NO_VALUE) {
                    return Err(EventParseError::TooManyFields(usize::from(NO_VALUE)));
                }
                by_slot.push((slot, value));
            }
        }
        // Stored in slot order, not key order: slots are numbered as the rules name fields,
        // so the fields most rules test first (`evt.*`, `fd.*`, `container.id`) share the
        // first cache lines of `values` and `text`.
        // A stable sort: of two spellings of one field (`evt.arg.flags`, `evt.arg[flags]`)
        // the later key still wins, as before.
        by_slot.sort_by_key(|(slot, _)| *slot);
        for (slot, value) in by_slot {
            event.positions[slot.0 as usize] = event.values.len() as u8;
            let packed = event.store(value);
            event.values.push(packed);
        }
        event.values.shrink_to_fit();
        event.text.shrink_to_fit();
        Ok(event)
    }

    fn store(&mut self, value: Value<'static>) -> Packed {
        // Appends a whole string to `text`; `None` when offsets would not fit in u32.
        let mut push_text = |text: &str| {
            let start = u32::try_from(self.text.len()).ok()?;
            let len = u32::try_from(text.len()).ok()?;
            start.checked_add(len)?;
            self.text.push_str(text);
            Some((start, len))
        };
        let stored = match &value {
            Value::Str(s) => push_text(s).map(|(start, len)| Stored::Str { start, len }),
            Value::Bytes(b) => std::str::from_utf8(b)
                .ok()
                .and_then(&mut push_text)
                .map(|(start, len)| Stored::Bytes { start, len }),
            Value::Int(i) => Some(Stored::Int(*i)),
            Value::UInt(u) => Some(Stored::UInt(*u)),
            Value::Bool(b) => Some(Stored::Bool(*b)),
            Value::Ip(_) | Value::List(_) => None,
        };
        if let Some(packed) = stored.and_then(Packed::pack) {
            return packed;
        }
        // Addresses, lists, non-UTF-8 bytes, what does not pack: kept as values beside the
        // text.
        let index = self.lists.len() as u32;
        let is_ip = matches!(value, Value::Ip(_));
        self.lists.push(value);
        Packed(u64::from(index) << KIND_BITS | if is_ip { KIND_IP } else { KIND_LIST })
    }
}

/// Converts a JSON value to the field's type; arrays become lists of that type.
fn typed_value(ty: FieldType, raw: &serde_json::Value) -> Result<Value<'static>, String> {
    if let serde_json::Value::Array(items) = raw {
        let list = items
            .iter()
            .filter(|item| !item.is_null())
            .map(|item| typed_scalar(ty, item))
            .collect::<Result<Vec<_>, _>>()?;
        return Ok(Value::List(Cow::Owned(list)));
    }
    typed_scalar(ty, raw)
}

fn typed_scalar(ty: FieldType, raw: &serde_json::Value) -> Result<Value<'static>, String> {
    use serde_json::Value as J;
    let text = || match raw {
        J::String(s) => Some(s.clone()),
        J::Number(n) => Some(n.to_string()),
        J::Bool(b) => Some(b.to_string()),
        _ => None,
    };
    let found = || format!("{raw}");
    match ty {
        FieldType::String | FieldType::AbsPath => text()
            .map(|s| Value::Str(Cow::Owned(s)))
            .ok_or_else(|| format!("expected a string, found {}", found())),
        FieldType::Bytes => text()
            .map(|s| Value::Bytes(Cow::Owned(s.into_bytes())))
            .ok_or_else(|| format!("expected a string, found {}", found())),
        FieldType::Bool => match raw {
            J::Bool(b) => Ok(Value::Bool(*b)),
            J::String(s) if s == "true" => Ok(Value::Bool(true)),
            J::String(s) if s == "false" => Ok(Value::Bool(false)),
            J::Number(n) if n.as_u64() == Some(0) || n.as_u64() == Some(1) => {
                Ok(Value::Bool(n.as_u64() == Some(1)))
            }
            _ => Err(format!("expected true or false, found {}", found())),
        },
        FieldType::Ip | FieldType::IpNet => match raw {
            J::String(s) => s
                .parse()
                .map(Value::Ip)
                .map_err(|_| format!("expected an IP address, found {}", found())),
            _ => Err(format!("expected an IP address, found {}", found())),
        },
        FieldType::Double => match raw {
            J::Number(n) => n
                .as_f64()
                .map(|f| Value::Str(Cow::Owned(f.to_string())))
                .ok_or_else(|| format!("expected a number, found {}", found())),
            _ => Err(format!("expected a number, found {}", found())),
        },
        FieldType::Int { signed, .. } => int_value(raw, signed),
        FieldType::Port | FieldType::AbsTime | FieldType::RelTime => int_value(raw, false),
    }
}

fn int_value(raw: &serde_json::Value, signed: bool) -> Result<Value<'static>, String> {
    let number = match raw {
        serde_json::Value::Number(n) => n
            .as_i64()
            .map(i128::from)
            .or_else(|| n.as_u64().map(i128::from)),
        serde_json::Value::String(s) => parse_number(s),
        _ => None,
    }
    .ok_or_else(|| format!("expected an integer, found {raw}"))?;
    if signed {
        i64::try_from(number)
            .map(Value::Int)
            .map_err(|_| format!("{number} is out of range"))
    } else {
        u64::try_from(number)
            .map(Value::UInt)
            .map_err(|_| format!("expected a non-negative integer, found {number}"))
    }
}

impl Event for JsonlEvent {
    #[inline]
    fn source(&self) -> Source {
        self.source
    }

    #[inline]
    fn event_type(&self) -> EventTypeId {
        self.event_type
    }

    fn time_ns(&self) -> u64 {
        self.time_ns
    }

    #[inline(always)]
    fn str_value(&self, field: &FieldRef) -> Option<&str> {
        let position = *self.positions.get(field.slot.0 as usize)?;
        match self.values.get(usize::from(position))?.unpack() {
            Stored::Str { start, len } => {
                let bytes = self
                    .text
                    .as_bytes()
                    .get(start as usize..start as usize + len as usize)?;
                // SAFETY: `store` pushes whole `&str`s onto `text` and records their exact
                // start and length, so every stored range is valid UTF-8 on char boundaries.
                // Skipping the boundary re-check matters: this is the engine's hottest call.
                Some(unsafe { std::str::from_utf8_unchecked(bytes) })
            }
            _ => None,
        }
    }

    #[inline(always)]
    fn int_value(&self, field: &FieldRef) -> Option<i64> {
        let position = *self.positions.get(field.slot.0 as usize)?;
        match self.values.get(usize::from(position))?.unpack() {
            Stored::Int(i) => Some(i),
            Stored::UInt(u) => i64::try_from(u).ok(),
            Stored::Bool(b) => Some(i64::from(b)),
            _ => None,
        }
    }

    #[inline]
    fn value(&self, field: &FieldRef) -> Option<Value<'_>> {
        let position = *self.positions.get(field.slot.0 as usize)?;
        let stored = self.values.get(usize::from(position))?.unpack();
        // Lend instead of cloning: strings and lists are borrowed from the event.
        let text = |start: u32, len: u32| {
            self.text
                .get(start as usize..(start + len) as usize)
                .unwrap_or_default()
        };
        Some(match stored {
            Stored::Str { start, len } => Value::Str(Cow::Borrowed(text(start, len))),
            Stored::Bytes { start, len } => {
                Value::Bytes(Cow::Borrowed(text(start, len).as_bytes()))
            }
            Stored::Int(i) => Value::Int(i),
            Stored::UInt(u) => Value::UInt(u),
            Stored::Bool(b) => Value::Bool(b),
            Stored::Ip(index) | Stored::List(index) => match self.lists.get(index as usize)? {
                Value::Str(s) => Value::Str(Cow::Borrowed(s)),
                Value::Bytes(b) => Value::Bytes(Cow::Borrowed(b)),
                Value::List(items) => Value::List(Cow::Borrowed(items)),
                Value::Ip(ip) => Value::Ip(*ip),
                other => other.clone(),
            },
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Payloads at the edges of what packs round-trip; the next ones out do not pack.
    #[test]
    fn packed_values_round_trip_or_refuse() {
        let limit = 1i64 << 60;
        let cases = [
            (
                Stored::Str {
                    start: u32::MAX,
                    len: (1 << 29) - 1,
                },
                true,
            ),
            (
                Stored::Str {
                    start: 0,
                    len: 1 << 29,
                },
                false,
            ),
            (Stored::Bytes { start: 7, len: 0 }, true),
            (Stored::Int(limit - 1), true),
            (Stored::Int(-limit), true),
            (Stored::Int(limit), false),
            (Stored::Int(-limit - 1), false),
            (Stored::UInt((1 << 61) - 1), true),
            (Stored::UInt(1 << 61), false),
            (Stored::Bool(true), true),
            (Stored::Bool(false), true),
            (Stored::Ip(u32::MAX), true),
            (Stored::List(3), true),
        ];
        for (stored, packs) in cases {
            match Packed::pack(stored) {
                Some(packed) => {
                    assert!(packs, "{stored:?} should not pack");
                    assert_eq!(packed.unpack(), stored);
                }
                None => assert!(!packs, "{stored:?} should pack"),
            }
        }
    }
}
