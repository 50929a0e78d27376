//! Alert encoders: Falco's text line and Falco's JSON object. Encoders never do I/O; the
//! dispatcher encodes each alert once and every channel sends the same bytes.

use std::io::Write;
use std::sync::atomic::{AtomicU64, Ordering};

use saker_event::calendar::civil_from_days;
use saker_event::{Alert, Priority};

/// Which representation the channels receive and the switches Falco offers for it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EncoderOptions {
    /// `json_output`: one Falco JSON object per alert instead of the text line.
    pub json: bool,
    /// `json_include_output_property` (Falco default true).
    pub include_output: bool,
    /// `json_include_tags_property` (Falco default true).
    pub include_tags: bool,
    /// `json_include_message_property` (Falco default false).
    pub include_message: bool,
    /// `json_include_output_fields_property` (Falco default true).
    pub include_output_fields: bool,
    /// `time_format_iso_8601`: prefix the text with the UTC ISO 8601 time instead of the local
    /// `HH:MM:SS.nnnnnnnnn` time.
    pub time_format_iso_8601: bool,
}

impl Default for EncoderOptions {
    fn default() -> Self {
        EncoderOptions {
            json: false,
            include_output: true,
            include_tags: true,
            include_message: false,
            include_output_fields: true,
            time_format_iso_8601: false,
        }
    }
}

/// An alert ready for the channels: its encoded bytes and the few properties transports
/// need (syslog severity and header). The rest of the [`Alert`] is freed by the thread that
/// made it, which keeps allocator traffic off the channel threads.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EncodedAlert {
    pub time_ns: u64,
    pub priority: Priority,
    /// For the syslog header.
    pub hostname: String,
    /// Rule and source, for channels that route on them (NATS subjects, Redis keys).
    pub rule: String,
    pub source: String,
    /// The text line or JSON object, without a trailing newline.
    pub bytes: Vec<u8>,
}

thread_local! {
    static SCRATCH: std::cell::RefCell<Vec<u8>> = std::cell::RefCell::new(Vec::with_capacity(4096));
}

/// Turns an [`Alert`] into the bytes a channel sends (without a trailing newline).
#[derive(Debug)]
pub struct AlertEncoder {
    options: EncoderOptions,
    /// The local-time offset for the last quarter hour seen, packed as
    /// `(bucket << 32) | (offset as u32)`: `localtime_r` is slow enough to matter at 200k
    /// alerts/s, and offsets change on quarter-hour boundaries at the finest.
    local_offset_cache: AtomicU64,
}

impl Clone for AlertEncoder {
    fn clone(&self) -> Self {
        AlertEncoder::new(self.options.clone())
    }
}

impl AlertEncoder {
    pub fn new(options: EncoderOptions) -> Self {
        AlertEncoder {
            options,
            local_offset_cache: AtomicU64::new(u64::MAX),
        }
    }

    pub fn options(&self) -> &EncoderOptions {
        &self.options
    }

    /// The MIME type HTTP channels declare for what this encoder produces (Falco's choice).
    pub fn content_type(&self) -> &'static str {
        if self.options.json {
            "application/json"
        } else {
            "text/plain"
        }
    }

    /// Encodes `alert`, keeping its header fields and freeing the rest here.
    pub fn encode_alert(&self, alert: Alert) -> EncodedAlert {
        // Encode into a per-thread scratch buffer, then copy out at the exact size: queued
        // alerts then hold no slack (a full queue of 100k alerts is what this saves on).
        let bytes = SCRATCH.with(|scratch| {
            let mut scratch = scratch.borrow_mut();
            scratch.clear();
            self.encode(&alert, &mut scratch);
            let bytes = scratch.to_vec();
            if scratch.capacity() > 1 << 20 {
                // One huge alert must not pin a megabyte per thread.
                *scratch = Vec::new();
            }
            bytes
        });
        EncodedAlert {
            time_ns: alert.time_ns,
            priority: alert.priority,
            hostname: alert.hostname,
            rule: alert.rule,
            source: alert.source,
            bytes,
        }
    }

    /// Appends the encoded alert to `buf`.
    pub fn encode(&self, alert: &Alert, buf: &mut Vec<u8>) {
        if self.options.json {
            self.encode_json(alert, buf);
        } else {
            self.write_text_line(alert, buf);
        }
    }

    /// `<time>: <Priority> <output>`, Falco's text alert and the JSON `output` property.
    pub fn write_text_line(&self, alert: &Alert, buf: &mut Vec<u8>) {
        self.write_prefix(alert, buf);
        buf.extend_from_slice(alert.output.as_bytes());
    }

    fn write_prefix(&self, alert: &Alert, buf: &mut Vec<u8>) {
        if self.options.time_format_iso_8601 {
            write_iso8601_utc(alert.time_ns, buf);
        } else {
            self.write_local_clock(alert.time_ns, buf);
        }
        buf.extend_from_slice(b": ");
        buf.extend_from_slice(alert.priority.falco_name().as_bytes());
        buf.push(b' ');
    }

    fn encode_json(&self, alert: &Alert, buf: &mut Vec<u8>) {
        let opts = &self.options;
        // Keys in byte order, as nlohmann::json (std::map) writes them in Falco.
        buf.extend_from_slice(b"{\"hostname\":");
        write_json_str(&alert.hostname, buf);
        if opts.include_message {
            buf.extend_from_slice(b",\"message\":");
            write_json_str(&alert.output, buf);
        }
        if opts.include_output {
            // The prefix is ASCII digits and a priority name: nothing to escape.
            buf.extend_from_slice(b",\"output\":\"");
            self.write_prefix(alert, buf);
            write_json_str_contents(&alert.output, buf);
            buf.push(b'"');
        }
        if opts.include_output_fields {
            buf.extend_from_slice(b",\"output_fields\":{");
            // Falco adds the time field of the prefix, as integer nanoseconds.
            let time_key = if opts.time_format_iso_8601 {
                "evt.time.iso8601"
            } else {
                "evt.time"
            };
            let mut time_written = alert.output_fields.contains_key(time_key);
            let mut first = true;
            for (key, value) in &alert.output_fields {
                if !time_written && key.as_str() > time_key {
                    write_time_field(time_key, alert.time_ns, &mut first, buf);
                    time_written = true;
                }
                if !first {
                    buf.push(b',');
                }
                first = false;
                write_json_str(key, buf);
                buf.push(b':');
                // Serializing a `Value` into a Vec cannot fail.
                let _ = serde_json::to_writer(&mut *buf, value);
            }
            if !time_written {
                write_time_field(time_key, alert.time_ns, &mut first, buf);
            }
            buf.push(b'}');
        }
        buf.extend_from_slice(b",\"priority\":\"");
        buf.extend_from_slice(alert.priority.falco_name().as_bytes());
        buf.extend_from_slice(b"\",\"rule\":");
        write_json_str(&alert.rule, buf);
        buf.extend_from_slice(b",\"source\":");
        write_json_str(&alert.source, buf);
        if opts.include_tags {
            buf.extend_from_slice(b",\"tags\":[");
            // Falco keeps tags in a std::set: sorted, without duplicates.
            let mut tags: Vec<&str> = alert.tags.iter().map(String::as_str).collect();
            tags.sort_unstable();
            tags.dedup();
            for (i, tag) in tags.iter().enumerate() {
                if i > 0 {
                    buf.push(b',');
                }
                write_json_str(tag, buf);
            }
            buf.push(b']');
        }
        buf.extend_from_slice(b",\"time\":\"");
        write_iso8601_utc(alert.time_ns, buf);
        buf.extend_from_slice(b"\"}");
    }

    /// `HH:MM:SS.nnnnnnnnn` in local time, like libsinsp's `evt.time`.
    fn write_local_clock(&self, time_ns: u64, buf: &mut Vec<u8>) {
        let secs = (time_ns / 1_000_000_000) as i64;
        let nanos = time_ns % 1_000_000_000;
        let offset = self.local_offset(secs);
        let day_secs = (secs + offset).rem_euclid(86_400);
        let _ = write!(
            buf,
            "{:02}:{:02}:{:02}.{:09}",
            day_secs / 3600,
            day_secs / 60 % 60,
            day_secs % 60,
            nanos
        );
    }

    fn local_offset(&self, secs: i64) -> i64 {
        let bucket = secs.div_euclid(900) as u32;
        let cached = self.local_offset_cache.load(Ordering::Relaxed);
        if cached != u64::MAX && (cached >> 32) as u32 == bucket {
            return i64::from(cached as u32 as i32);
        }
        let offset = local_utc_offset(secs);
        let packed = (u64::from(bucket) << 32) | u64::from(offset as i32 as u32);
        self.local_offset_cache.store(packed, Ordering::Relaxed);
        offset
    }
}

fn write_time_field(key: &str, time_ns: u64, first: &mut bool, buf: &mut Vec<u8>) {
    if !*first {
        buf.push(b',');
    }
    *first = false;
    write_json_str(key, buf);
    let _ = write!(buf, ":{time_ns}");
}

fn write_json_str(s: &str, buf: &mut Vec<u8>) {
    buf.push(b'"');
    write_json_str_contents(s, buf);
    buf.push(b'"');
}

/// JSON string escaping as serde_json (and nlohmann::json) write it: `"`, `\\` and control
/// characters escaped, everything else (including non-ASCII UTF-8) as is.
fn write_json_str_contents(s: &str, buf: &mut Vec<u8>) {
    let bytes = s.as_bytes();
    let mut start = 0;
    for (i, &b) in bytes.iter().enumerate() {
        if !NEEDS_ESCAPE[usize::from(b)] {
            continue;
        }
        buf.extend_from_slice(&bytes[start..i]);
        match b {
            b'"' => buf.extend_from_slice(b"\\\""),
            b'\\' => buf.extend_from_slice(b"\\\\"),
            b'\n' => buf.extend_from_slice(b"\\n"),
            b'\r' => buf.extend_from_slice(b"\\r"),
            b'\t' => buf.extend_from_slice(b"\\t"),
            0x08 => buf.extend_from_slice(b"\\b"),
            0x0c => buf.extend_from_slice(b"\\f"),
            _ => {
                let _ = write!(buf, "\\u{b:04x}");
            }
        }
        start = i + 1;
    }
    buf.extend_from_slice(&bytes[start..]);
}

/// Bytes JSON strings must escape: control characters, `"` and `\\`.
static NEEDS_ESCAPE: [bool; 256] = {
    let mut table = [false; 256];
    let mut i = 0;
    while i < 0x20 {
        table[i] = true;
        i += 1;
    }
    table[b'"' as usize] = true;
    table[b'\\' as usize] = true;
    table
};

/// Seconds east of UTC for the local time zone at `secs` (0 when libc cannot tell).
fn local_utc_offset(secs: i64) -> i64 {
    let t: libc::time_t = secs as libc::time_t;
    // SAFETY: `tm` is plain data that `localtime_r` fills; both pointers are valid for the call.
    let mut tm: libc::tm = unsafe { std::mem::zeroed() };
    let filled = unsafe { libc::localtime_r(&t, &mut tm) };
    if filled.is_null() { 0 } else { tm.tm_gmtoff }
}

/// `YYYY-MM-DDTHH:MM:SS.nnnnnnnnnZ`: Falco's JSON `time`, always 9 fractional digits.
pub fn write_iso8601_utc(time_ns: u64, buf: &mut Vec<u8>) {
    let secs = (time_ns / 1_000_000_000) as i64;
    let nanos = time_ns % 1_000_000_000;
    let (year, month, day) = civil_from_days(secs.div_euclid(86_400));
    let day_secs = secs.rem_euclid(86_400);
    let _ = write!(
        buf,
        "{year:04}-{month:02}-{day:02}T{:02}:{:02}:{:02}.{nanos:09}Z",
        day_secs / 3600,
        day_secs / 60 % 60,
        day_secs % 60,
    );
}

#[cfg(test)]
mod tests {
    use std::collections::BTreeMap;

    use saker_event::Priority;
    use serde_json::json;

    use super::*;

    fn sample_alert() -> Alert {
        let mut fields = BTreeMap::new();
        fields.insert("proc.name".to_string(), json!("sh"));
        fields.insert("user.uid".to_string(), json!(0));
        fields.insert("user.loginuid".to_string(), json!(-1));
        fields.insert("container.id".to_string(), json!(null));
        fields.insert(
            "ka.req.pod.containers.image".to_string(),
            json!(["nginx", "busybox"]),
        );
        Alert {
            time_ns: 1_685_022_245_478_445_995,
            rule: "Terminal shell in container".to_string(),
            priority: Priority::Informational,
            source: "syscall".to_string(),
            output: "A shell \"quoted\" was spawned\tby sh".to_string(),
            output_fields: fields,
            tags: vec![
                "shell".into(),
                "container".into(),
                "T1059".into(),
                "shell".into(),
            ],
            hostname: "node-1".to_string(),
        }
    }

    fn encode(options: EncoderOptions, alert: &Alert) -> String {
        let mut buf = Vec::new();
        AlertEncoder::new(options).encode(alert, &mut buf);
        String::from_utf8(buf).unwrap()
    }

    #[test]
    fn iso8601_matches_known_instants() {
        let cases = [
            (0u64, "1970-01-01T00:00:00.000000000Z"),
            (1_685_022_245_478_445_995, "2023-05-25T13:44:05.478445995Z"),
            (951_782_400_000_000_001, "2000-02-29T00:00:00.000000001Z"),
            (4_102_444_799_999_999_999, "2099-12-31T23:59:59.999999999Z"),
        ];
        for (ns, expect) in cases {
            let mut buf = Vec::new();
            write_iso8601_utc(ns, &mut buf);
            assert_eq!(String::from_utf8(buf).unwrap(), expect, "{ns}");
        }
    }

    #[test]
    fn json_has_falco_schema_with_sorted_keys() {
        let alert = sample_alert();
        let options = EncoderOptions {
            json: true,
            time_format_iso_8601: true,
            ..EncoderOptions::default()
        };
        let text = encode(options, &alert);
        let expect = concat!(
            r#"{"hostname":"node-1","output":"2023-05-25T13:44:05.478445995Z: Informational A shell \"quoted\" was spawned\tby sh","#,
            r#""output_fields":{"container.id":null,"evt.time.iso8601":1685022245478445995,"ka.req.pod.containers.image":["nginx","busybox"],"proc.name":"sh","user.loginuid":-1,"user.uid":0},"#,
            r#""priority":"Informational","rule":"Terminal shell in container","source":"syscall","#,
            r#""tags":["T1059","container","shell"],"time":"2023-05-25T13:44:05.478445995Z"}"#
        );
        assert_eq!(text, expect);
        // The same bytes serde_json produces for a sorted map: valid JSON, keys in order.
        let value: serde_json::Value = serde_json::from_str(&text).unwrap();
        assert_eq!(serde_json::to_string(&value).unwrap(), text);
    }

    #[test]
    fn json_property_switches() {
        let alert = sample_alert();
        let cases: [(EncoderOptions, &[&str]); 3] = [
            (
                EncoderOptions {
                    json: true,
                    ..EncoderOptions::default()
                },
                &[
                    "hostname",
                    "output",
                    "output_fields",
                    "priority",
                    "rule",
                    "source",
                    "tags",
                    "time",
                ],
            ),
            (
                EncoderOptions {
                    json: true,
                    include_output: false,
                    include_tags: false,
                    include_output_fields: false,
                    ..EncoderOptions::default()
                },
                &["hostname", "priority", "rule", "source", "time"],
            ),
            (
                EncoderOptions {
                    json: true,
                    include_message: true,
                    ..EncoderOptions::default()
                },
                &[
                    "hostname",
                    "message",
                    "output",
                    "output_fields",
                    "priority",
                    "rule",
                    "source",
                    "tags",
                    "time",
                ],
            ),
        ];
        for (options, keys) in cases {
            let value: serde_json::Value =
                serde_json::from_str(&encode(options.clone(), &alert)).unwrap();
            let got: Vec<&str> = value
                .as_object()
                .unwrap()
                .keys()
                .map(String::as_str)
                .collect();
            assert_eq!(got, keys, "{options:?}");
            if options.include_message {
                assert_eq!(value["message"], json!(alert.output));
            }
        }
    }

    #[test]
    fn text_line_uses_local_clock_or_iso() {
        let alert = sample_alert();
        let iso = encode(
            EncoderOptions {
                time_format_iso_8601: true,
                ..EncoderOptions::default()
            },
            &alert,
        );
        assert_eq!(
            iso,
            "2023-05-25T13:44:05.478445995Z: Informational A shell \"quoted\" was spawned\tby sh"
        );
        let local = encode(EncoderOptions::default(), &alert);
        let offset = local_utc_offset(1_685_022_245);
        let secs = (1_685_022_245 + offset).rem_euclid(86_400);
        let expect = format!(
            "{:02}:{:02}:{:02}.478445995: Informational A shell \"quoted\" was spawned\tby sh",
            secs / 3600,
            secs / 60 % 60,
            secs % 60
        );
        assert_eq!(local, expect);
    }

    #[test]
    fn string_escaping_matches_serde_json() {
        let cases = [
            "plain",
            "quote \" backslash \\ slash /",
            "ctl \u{0}\u{1f}\u{7f}\n\r\t\u{8}\u{c}",
            "é ✓ 𝄞",
        ];
        for case in cases {
            let mut buf = Vec::new();
            write_json_str(case, &mut buf);
            assert_eq!(
                String::from_utf8(buf).unwrap(),
                serde_json::to_string(case).unwrap()
            );
        }
    }

    #[test]
    fn json_keeps_engine_supplied_time_field() {
        let mut alert = sample_alert();
        alert.output_fields.insert("evt.time".into(), json!(42));
        let text = encode(
            EncoderOptions {
                json: true,
                ..EncoderOptions::default()
            },
            &alert,
        );
        let value: serde_json::Value = serde_json::from_str(&text).unwrap();
        assert_eq!(value["output_fields"]["evt.time"], json!(42));
        assert_eq!(text.matches("\"evt.time\"").count(), 1);
    }
}
