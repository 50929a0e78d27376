//! The interface the engine pulls field values through, and event-type ids for rule indexing.

use saker_rules::Source;

use crate::field::FieldRef;
use crate::value::Value;

/// Dense id of an event type (`openat`, `execve`) within one compiled engine; see
/// [`crate::Engine::event_type_id`]. Types that no rule names share [`EventTypeId::OTHER`].
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct EventTypeId(pub u16);

impl EventTypeId {
    /// Every type that no loaded rule names explicitly: such events meet only the rules that
    /// have no `evt.type` restriction.
    pub const OTHER: EventTypeId = EventTypeId(0);
}

/// One event, as the engine sees it. Implemented by the field-level JSONL event
/// ([`crate::JsonlEvent`]), and by the live state-backed syscall event and the Kubernetes audit
/// event of later issues.
///
/// Extraction is lazy: the engine calls [`Event::value`] only for the fields that the rules it
/// evaluates actually reach (conditions short-circuit), and for output fields of the rule that
/// matched. Implementations should not compute anything up front.
pub trait Event {
    /// The source this event belongs to; only that source's rules are evaluated.
    fn source(&self) -> Source;

    /// The event type, resolved through [`crate::Engine::event_type_id`] (do that once per
    /// syscall number, not per event).
    fn event_type(&self) -> EventTypeId;

    /// Event time, nanoseconds since the Unix epoch.
    fn time_ns(&self) -> u64;

    /// The value of `field` on this event, or `None` when the field has no value (then every
    /// comparison on it is false, `!=` included).
    ///
    /// The value should have the registry type of the field (`FieldInfo::ty`): strings for
    /// string and path fields, `Int`/`UInt` for numbers, `Ip` for addresses, a `List` for list
    /// fields. Numbers given as strings still compare numerically. The domain-name fields
    /// (`fd.sip.name`...) are the exception: their value is the socket end's address (`Ip`),
    /// which the engine compares with the rules' names and prints as a name; a `Str` that is
    /// not an address is taken as the name itself.
    fn value(&self, field: &FieldRef) -> Option<Value<'_>>;

    /// Fast path for string checks: the value as a borrowed `&str` when the event has it
    /// stored as one. `None` means "ask [`Event::value`]" (the field may be missing, a list,
    /// or computed), so implementing this is optional; it saves the engine from moving a
    /// whole [`Value`] around for the most common comparisons.
    #[inline]
    fn str_value(&self, field: &FieldRef) -> Option<&str> {
        let _ = field;
        None
    }

    /// Fast path for numeric and boolean checks, like [`Event::str_value`]: `None` means
    /// "ask [`Event::value`]".
    #[inline]
    fn int_value(&self, field: &FieldRef) -> Option<i64> {
        let _ = field;
        None
    }
}
