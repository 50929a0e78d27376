//! The values fields take on an event, and the network types rule constants compare against.

use std::borrow::Cow;
use std::fmt;
use std::net::IpAddr;
use std::str::FromStr;

/// The value one field has on one event. Borrowed where the event can lend it (the field-level
/// JSONL event, the live thread table), owned where it is computed.
///
/// A field with no value on an event is `None` at the [`crate::Event`] interface, never a
/// special `Value`: Falco's "comparisons on a missing field are false" follows from that.
#[derive(Debug, Clone, PartialEq)]
pub enum Value<'a> {
    Str(Cow<'a, str>),
    Int(i64),
    UInt(u64),
    Bool(bool),
    Ip(IpAddr),
    Bytes(Cow<'a, [u8]>),
    /// A multi-valued field (`ka.req.pod.containers.image`, `proc.aname` without an index...).
    /// Elements are owned: lists come from computed fields (k8s audit arrays, ancestry).
    List(Cow<'a, [Value<'static>]>),
}

impl<'a> Value<'a> {
    pub fn str(s: &'a str) -> Self {
        Value::Str(Cow::Borrowed(s))
    }

    /// The string form when the value is a string (or bytes that are valid UTF-8).
    pub fn as_str(&self) -> Option<&str> {
        match self {
            Value::Str(s) => Some(s),
            Value::Bytes(b) => std::str::from_utf8(b).ok(),
            _ => None,
        }
    }

    /// The value as a signed 128-bit number when it is numeric (so that u64 and i64 compare
    /// without overflow).
    pub fn as_number(&self) -> Option<i128> {
        match self {
            Value::Int(i) => Some(i128::from(*i)),
            Value::UInt(u) => Some(i128::from(*u)),
            Value::Bool(b) => Some(i128::from(*b)),
            Value::Str(s) => parse_number(s),
            _ => None,
        }
    }

    pub fn into_owned(self) -> Value<'static> {
        match self {
            Value::Str(s) => Value::Str(Cow::Owned(s.into_owned())),
            Value::Int(i) => Value::Int(i),
            Value::UInt(u) => Value::UInt(u),
            Value::Bool(b) => Value::Bool(b),
            Value::Ip(ip) => Value::Ip(ip),
            Value::Bytes(b) => Value::Bytes(Cow::Owned(b.into_owned())),
            Value::List(items) => Value::List(Cow::Owned(items.into_owned())),
        }
    }

    /// The value as Falco's `output_fields` encodes it: numbers as numbers, booleans as
    /// booleans, lists as arrays, everything else as a string.
    pub fn to_json(&self) -> serde_json::Value {
        match self {
            Value::Int(i) => serde_json::Value::from(*i),
            Value::UInt(u) => serde_json::Value::from(*u),
            Value::Bool(b) => serde_json::Value::Bool(*b),
            Value::List(items) => {
                serde_json::Value::Array(items.iter().map(Value::to_json).collect())
            }
            other => serde_json::Value::String(other.to_string()),
        }
    }
}

impl fmt::Display for Value<'_> {
    /// The text form used in formatted outputs (`%proc.name`).
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Value::Str(s) => f.write_str(s),
            Value::Int(i) => write!(f, "{i}"),
            Value::UInt(u) => write!(f, "{u}"),
            Value::Bool(b) => f.write_str(if *b { "true" } else { "false" }),
            Value::Ip(ip) => write!(f, "{ip}"),
            Value::Bytes(b) => f.write_str(&String::from_utf8_lossy(b)),
            Value::List(items) => {
                // Falco prints list values as `(a,b,c)`.
                f.write_str("(")?;
                for (i, item) in items.iter().enumerate() {
                    if i > 0 {
                        f.write_str(",")?;
                    }
                    write!(f, "{item}")?;
                }
                f.write_str(")")
            }
        }
    }
}

/// Parses decimal (optionally signed) and `0x` hexadecimal integers, as libsinsp accepts them
/// in rule constants.
pub fn parse_number(text: &str) -> Option<i128> {
    let text = text.trim();
    let (negative, digits) = match text.strip_prefix('-') {
        Some(rest) => (true, rest),
        None => (false, text.strip_prefix('+').unwrap_or(text)),
    };
    let magnitude = if let Some(hex) = digits
        .strip_prefix("0x")
        .or_else(|| digits.strip_prefix("0X"))
    {
        i128::from_str_radix(hex, 16).ok()?
    } else {
        if digits.is_empty() || !digits.bytes().all(|b| b.is_ascii_digit()) {
            return None;
        }
        digits.parse::<i128>().ok()?
    };
    Some(if negative { -magnitude } else { magnitude })
}

/// An IP network (`10.0.0.0/8`, `fd00::/8`); a bare address is a /32 or /128 network.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct IpNet {
    addr: IpAddr,
    prefix: u8,
}

impl IpNet {
    pub fn contains(&self, ip: &IpAddr) -> bool {
        match (self.addr, ip) {
            (IpAddr::V4(net), IpAddr::V4(ip)) => {
                let mask = u32::MAX
                    .checked_shl(32 - u32::from(self.prefix))
                    .unwrap_or(0);
                u32::from(net) & mask == u32::from(*ip) & mask
            }
            (IpAddr::V6(net), IpAddr::V6(ip)) => {
                let mask = u128::MAX
                    .checked_shl(128 - u32::from(self.prefix))
                    .unwrap_or(0);
                u128::from(net) & mask == u128::from(*ip) & mask
            }
            // An IPv4-mapped IPv6 address belongs to the IPv4 network.
            (IpAddr::V4(_), IpAddr::V6(v6)) => v6
                .to_ipv4_mapped()
                .is_some_and(|v4| self.contains(&IpAddr::V4(v4))),
            (IpAddr::V6(_), IpAddr::V4(_)) => false,
        }
    }
}

impl FromStr for IpNet {
    type Err = String;

    fn from_str(s: &str) -> Result<Self, String> {
        let (addr_text, prefix_text) = match s.split_once('/') {
            Some((addr, prefix)) => (addr, Some(prefix)),
            None => (s, None),
        };
        let addr: IpAddr = addr_text
            .parse()
            .map_err(|_| format!("'{s}' is not an IP address or network"))?;
        let max = if addr.is_ipv4() { 32 } else { 128 };
        let prefix = match prefix_text {
            Some(p) => p
                .parse::<u8>()
                .ok()
                .filter(|p| *p <= max)
                .ok_or_else(|| format!("'{s}' has an invalid prefix length"))?,
            None => max,
        };
        Ok(IpNet { addr, prefix })
    }
}

impl fmt::Display for IpNet {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}/{}", self.addr, self.prefix)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers() {
        for (text, expect) in [
            ("0", Some(0)),
            ("-1", Some(-1)),
            ("0x10", Some(16)),
            ("18446744073709551615", Some(u64::MAX as i128)),
            ("12a", None),
            ("", None),
            ("-", None),
        ] {
            assert_eq!(parse_number(text), expect, "{text}");
        }
    }

    #[test]
    fn networks() {
        let cases = [
            ("10.0.0.0/8", "10.1.2.3", true),
            ("10.0.0.0/8", "11.1.2.3", false),
            ("10.96.0.1", "10.96.0.1", true),
            ("10.96.0.1", "10.96.0.2", false),
            ("0.0.0.0/0", "1.2.3.4", true),
            ("fd00::/8", "fd12::1", true),
            ("fd00::/8", "fe12::1", false),
            ("192.168.0.0/16", "::ffff:192.168.4.5", true),
        ];
        for (net, ip, expect) in cases {
            let net: IpNet = net.parse().unwrap();
            assert_eq!(net.contains(&ip.parse().unwrap()), expect, "{net} {ip}");
        }
        assert!("10.0.0.0/33".parse::<IpNet>().is_err());
        assert!("host".parse::<IpNet>().is_err());
    }

    #[test]
    fn display_and_json() {
        let list = Value::List(Cow::Owned(vec![Value::str("a"), Value::Int(2)]));
        assert_eq!(list.to_string(), "(a,2)");
        assert_eq!(list.to_json(), serde_json::json!(["a", 2]));
        assert_eq!(Value::UInt(34816).to_json(), serde_json::json!(34816));
        assert_eq!(
            Value::Ip("1.2.3.4".parse().unwrap()).to_json(),
            serde_json::json!("1.2.3.4")
        );
    }
}
