//! Event time stamps as Falco prints them, in UTC (Saker does not consult the local time zone,
//! so the same events give the same alerts on every machine).

use saker_event::calendar::civil_from_days;

/// `22:03:04.399197302`: the prefix of a text alert (Falco's `%evt.time`).
pub fn clock_time(time_ns: u64) -> String {
    let (_, _, _, hour, minute, second, nanos) = split(time_ns);
    format!("{hour:02}:{minute:02}:{second:02}.{nanos:09}")
}

/// `2024-01-01T00:00:00.000000001Z`: the `time` of a Falco JSON alert (`%evt.time.iso8601`).
pub fn iso8601(time_ns: u64) -> String {
    let (year, month, day, hour, minute, second, nanos) = split(time_ns);
    format!("{year:04}-{month:02}-{day:02}T{hour:02}:{minute:02}:{second:02}.{nanos:09}Z")
}

fn split(time_ns: u64) -> (i64, u32, u32, u64, u64, u64, u64) {
    let secs = time_ns / 1_000_000_000;
    let nanos = time_ns % 1_000_000_000;
    let days = (secs / 86_400) as i64;
    let in_day = secs % 86_400;
    let (year, month, day) = civil_from_days(days);
    (
        year,
        month,
        day,
        in_day / 3600,
        in_day % 3600 / 60,
        in_day % 60,
        nanos,
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formats() {
        let cases = [
            (0, "1970-01-01T00:00:00.000000000Z", "00:00:00.000000000"),
            (
                1_704_067_200_000_000_001,
                "2024-01-01T00:00:00.000000001Z",
                "00:00:00.000000001",
            ),
            (
                1_685_022_245_478_445_995,
                "2023-05-25T13:44:05.478445995Z",
                "13:44:05.478445995",
            ),
            (
                951_782_400_000_000_000,
                "2000-02-29T00:00:00.000000000Z",
                "00:00:00.000000000",
            ),
        ];
        for (ns, iso, clock) in cases {
            assert_eq!(iso8601(ns), iso);
            assert_eq!(clock_time(ns), clock);
        }
    }
}
