//! Sprig's date functions (`date.go`): a Go `time.Time` is a [`Time`] object (seconds,
//! nanoseconds and a zone offset), printed as Go's `Time.String()` and formatted with Go's
//! reference-time layouts (`"2006-01-02T15:04:05Z07:00"`).
//!
//! Zones are Go's: `Local` follows `TZ` and /etc/localtime, `dateInZone` loads a zone by
//! name from the machine's zone database, and what cannot be loaded is UTC, as in Helm
//! (see [`super::go_zones`]). A time keeps its zone, so `dateModify` across a daylight
//! saving change prints the new offset, as Go does.

use std::rc::Rc;
use std::sync::OnceLock;
use std::time::{Instant, SystemTime, UNIX_EPOCH};

use super::cast::{any_arg, parse_int, str_arg};
use super::go_zones::{self, Location};
use super::{Func, Ty};
use crate::gotmpl::{FuncError, Object, Value};

type R = Result<Value, FuncError>;

use Ty::{Any, Str};

pub const FUNCS: &[Func] = &[
    f!("now", [], "The current time.", |_, _| Ok(Value::Object(Rc::new(Time::now())))),
    f!("date", [Str, Any], "`date LAYOUT T`: formats a time (or Unix seconds) with a Go layout.", |_, a| {
        date_in_zone(str_arg(&a, 0), &any_arg(&a, 1), "Local")
    }),
    f!("dateInZone", [Str, Any, Str], "`dateInZone LAYOUT T ZONE`: formats a time in a zone.", |_, a| {
        date_in_zone(str_arg(&a, 0), &any_arg(&a, 1), str_arg(&a, 2))
    }),
    f!("date_in_zone", [Str, Any, Str], "Same as `dateInZone`.", |_, a| {
        date_in_zone(str_arg(&a, 0), &any_arg(&a, 1), str_arg(&a, 2))
    }),
    f!("htmlDate", [Any], "Formats a time as `2006-01-02`.", |_, a| date_in_zone("2006-01-02", &any_arg(&a, 0), "Local")),
    f!("htmlDateInZone", [Any, Str], "Formats a time as `2006-01-02` in a zone.", |_, a| {
        date_in_zone("2006-01-02", &any_arg(&a, 0), str_arg(&a, 1))
    }),
    f!("dateModify", [Str, Any], "`dateModify DURATION T`: T moved by a Go duration (`-1.5h`); T unchanged when invalid.", |_, a| {
        date_modify(&a, false)
    }),
    f!("date_modify", [Str, Any], "Same as `dateModify`.", |_, a| date_modify(&a, false)),
    f!("mustDateModify", [Str, Any], "Like `dateModify`, but an invalid duration is an error.", |_, a| date_modify(&a, true)),
    f!("must_date_modify", [Str, Any], "Same as `mustDateModify`.", |_, a| date_modify(&a, true)),
    f!("ago", [Any], "The time since T (a time or Unix seconds), rounded to seconds.", |_, a| {
        let t = time_or_now(&any_arg(&a, 0));
        let d = Time::now().sub(&t);
        Ok(Value::from(format_duration(round_duration(d, 1_000_000_000))))
    }),
    f!("duration", [Any], "Seconds (an int64 or a string) as a Go duration (`1h1m5s`).", |_, a| {
        let n = match any_arg(&a, 0) {
            Value::Str(s) => parse_int(&s, 10).unwrap_or(0),
            Value::Int64(n) => n,
            _ => 0,
        };
        Ok(Value::from(format_duration(n.wrapping_mul(1_000_000_000))))
    }),
    f!("durationRound", [Any], "A duration (a Go duration string, int64 nanoseconds or a time since) rounded to its largest unit (`2h`, `3mo`).", |_, a| {
        let d: i64 = match any_arg(&a, 0) {
            Value::Str(s) => parse_duration(&s).unwrap_or(0),
            Value::Int64(n) => n,
            Value::Object(o) if o.type_name() == "time.Time" => {
                o.to_data().as_str().and_then(Time::parse_rfc3339).map_or(0, |t| Time::now().sub(&t))
            }
            _ => 0,
        };
        Ok(Value::from(duration_round(d)))
    }),
    f!("toDate", [Str, Str], "`toDate LAYOUT S`: parses a time with a Go layout (the zero time when invalid).", |_, a| {
        let local = go_zones::local();
        Ok(Value::Object(Rc::new(parse_layout_in(str_arg(&a, 0), str_arg(&a, 1), &local).unwrap_or_default())))
    }),
    f!("mustToDate", [Str, Str], "Like `toDate`, but an invalid time is an error.", |_, a| {
        let local = go_zones::local();
        Ok(Value::Object(Rc::new(parse_layout_in(str_arg(&a, 0), str_arg(&a, 1), &local).map_err(FuncError::new)?)))
    }),
    f!("unixEpoch", [Any], "The Unix seconds of a time.", |_, a| {
        let t = expect_time(&any_arg(&a, 0))?;
        Ok(Value::from(t.secs.to_string()))
    }),
];

/// A Go `time.Time`: an instant and the zone it is shown in.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Time {
    /// Seconds since the Unix epoch.
    pub secs: i64,
    /// Nanoseconds within the second.
    pub nanos: u32,
    /// Zone offset east of UTC, in seconds.
    pub offset: i32,
    /// Zone abbreviation (`UTC`).
    pub zone: String,
    /// Go's monotonic reading (`m=+0.000012345`), for `now`.
    pub mono: Option<i128>,
    /// The zone whose rules give `offset` and `zone` (`None`: they are fixed, as for UTC
    /// or a parsed `+02:00`).
    pub loc: Location,
}

impl Default for Time {
    /// Go's zero time, January 1 of year 1, UTC.
    fn default() -> Self {
        Time {
            secs: -62_135_596_800,
            nanos: 0,
            offset: 0,
            zone: "UTC".into(),
            mono: None,
            loc: None,
        }
    }
}

fn process_start() -> Instant {
    static START: OnceLock<Instant> = OnceLock::new();
    *START.get_or_init(Instant::now)
}

impl Time {
    pub fn now() -> Time {
        let start = process_start();
        let d = SystemTime::now()
            .duration_since(UNIX_EPOCH)
            .unwrap_or_default();
        Time {
            secs: d.as_secs() as i64,
            nanos: d.subsec_nanos(),
            mono: Some(start.elapsed().as_nanos() as i128 + 1),
            ..Time::default()
        }
        .in_loc(&go_zones::local())
    }

    /// Go's `time.Unix(secs, 0)`, in `Local`.
    pub fn from_unix(secs: i64) -> Time {
        Time {
            secs,
            ..Time::default()
        }
        .in_loc(&go_zones::local())
    }

    /// Go's `t.In(loc)`: the same instant, shown in `loc`.
    pub fn in_loc(&self, loc: &Location) -> Time {
        let (offset, zone) = go_zones::offset_at(loc, self.secs);
        Time {
            offset,
            zone,
            loc: loc.clone(),
            ..self.clone()
        }
    }

    /// `t.Sub(u)` in nanoseconds (saturating as Go's).
    pub fn sub(&self, o: &Time) -> i64 {
        let d = (i128::from(self.secs) - i128::from(o.secs)) * 1_000_000_000
            + i128::from(self.nanos)
            - i128::from(o.nanos);
        d.clamp(i128::from(i64::MIN), i128::from(i64::MAX)) as i64
    }

    /// `t.Add(d)`.
    pub fn add(&self, d: i64) -> Time {
        let total = i128::from(self.nanos) + i128::from(d % 1_000_000_000);
        let mut secs = self.secs.saturating_add(d / 1_000_000_000);
        let mut nanos = total;
        if nanos < 0 {
            nanos += 1_000_000_000;
            secs -= 1;
        } else if nanos >= 1_000_000_000 {
            nanos -= 1_000_000_000;
            secs += 1;
        }
        let moved = Time {
            secs,
            nanos: nanos as u32,
            mono: self.mono.map(|m| m + i128::from(d)),
            ..self.clone()
        };
        match &self.loc {
            Some(_) => moved.in_loc(&self.loc),
            None => moved,
        }
    }

    /// The wall clock: (year, month 1-12, day, hour, minute, second, weekday 0=Sunday,
    /// day of year 1-366).
    fn civil(&self) -> (i64, u32, u32, u32, u32, u32, u32, u32) {
        let local = self.secs + i64::from(self.offset);
        let days = local.div_euclid(86_400);
        let rem = local.rem_euclid(86_400);
        let (y, m, d) = civil_from_days(days);
        let weekday = (days + 4).rem_euclid(7) as u32;
        let yday = (days - days_from_civil(y, 1, 1) + 1) as u32;
        (
            y,
            m,
            d,
            (rem / 3600) as u32,
            (rem / 60 % 60) as u32,
            (rem % 60) as u32,
            weekday,
            yday,
        )
    }

    /// Go's `Time.Format(layout)`.
    pub fn format(&self, layout: &str) -> String {
        format_layout(self, layout)
    }

    fn parse_rfc3339(s: &str) -> Option<Time> {
        parse_layout("2006-01-02T15:04:05.999999999Z07:00", s).ok()
    }
}

/// Howard Hinnant's `civil_from_days`.
fn civil_from_days(z: i64) -> (i64, u32, u32) {
    let z = z + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let y = yoe + era * 400;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = (doy - (153 * mp + 2) / 5 + 1) as u32;
    let m = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
    (if m <= 2 { y + 1 } else { y }, m, d)
}

fn days_from_civil(y: i64, m: u32, d: u32) -> i64 {
    let y = if m <= 2 { y - 1 } else { y };
    let era = y.div_euclid(400);
    let yoe = y.rem_euclid(400);
    let m = i64::from(m);
    let doy = (153 * (if m > 2 { m - 3 } else { m + 9 }) + 2) / 5 + i64::from(d) - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

const MONTHS: [&str; 12] = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
];
const DAYS: [&str; 7] = [
    "Sunday",
    "Monday",
    "Tuesday",
    "Wednesday",
    "Thursday",
    "Friday",
    "Saturday",
];

impl Object for Time {
    fn type_name(&self) -> &str {
        "time.Time"
    }

    fn field(&self, _name: &str) -> Option<Value> {
        None
    }

    fn call(&self, name: &str, args: &[Value]) -> Option<Result<Value, FuncError>> {
        let (y, m, d, hh, mm, ss, wd, yd) = self.civil();
        let obj = |t: Time| Value::Object(Rc::new(t));
        Some(Ok(match name {
            "Unix" => Value::Int64(self.secs),
            "UnixMilli" => {
                Value::Int64(self.secs.saturating_mul(1000) + i64::from(self.nanos / 1_000_000))
            }
            "UnixNano" => Value::Int64(
                self.secs
                    .wrapping_mul(1_000_000_000)
                    .wrapping_add(i64::from(self.nanos)),
            ),
            "Year" => Value::Int(y),
            "Month" => Value::from(MONTHS[(m as usize).saturating_sub(1) % 12]),
            "Day" => Value::Int(i64::from(d)),
            "Hour" => Value::Int(i64::from(hh)),
            "Minute" => Value::Int(i64::from(mm)),
            "Second" => Value::Int(i64::from(ss)),
            "Nanosecond" => Value::Int(i64::from(self.nanos)),
            "YearDay" => Value::Int(i64::from(yd)),
            "Weekday" => Value::from(DAYS[wd as usize % 7]),
            "IsZero" => Value::Bool(self.secs == Time::default().secs && self.nanos == 0),
            "String" => Value::from(self.display()),
            "Format" => match args.first() {
                Some(Value::Str(l)) => Value::from(self.format(l)),
                _ => {
                    return Some(Err(FuncError::new(
                        "wrong number of args for Format: want 1",
                    )))
                }
            },
            "UTC" => obj(Time {
                mono: None,
                ..self.in_loc(&None)
            }),
            "Local" => obj(Time {
                mono: None,
                ..self.in_loc(&go_zones::local())
            }),
            "Add" => match args.first().and_then(Value::as_int) {
                Some(n) => obj(self.add(n)),
                None => {
                    return Some(Err(FuncError::new(
                        "wrong type for value; expected time.Duration",
                    )))
                }
            },
            _ => return None,
        }))
    }

    /// Go's `Time.String()`.
    fn display(&self) -> String {
        let mut s = self.format("2006-01-02 15:04:05.999999999 -0700 MST");
        if let Some(m) = self.mono {
            let sign = if m < 0 { '-' } else { '+' };
            let m = m.unsigned_abs();
            s.push_str(&format!(
                " m={sign}{}.{:09}",
                m / 1_000_000_000,
                m % 1_000_000_000
            ));
        }
        s
    }

    /// `encoding/json` writes a time as RFC 3339 with nanoseconds.
    fn to_data(&self) -> Value {
        Value::from(self.format("2006-01-02T15:04:05.999999999Z07:00"))
    }

    fn as_any(&self) -> Option<&dyn std::any::Any> {
        Some(self)
    }
}

fn expect_time(v: &Value) -> Result<Time, FuncError> {
    if let Value::Object(o) = v {
        if let Some(t) = o.as_any().and_then(|a| a.downcast_ref::<Time>()) {
            return Ok(t.clone());
        }
        if o.type_name() == "time.Time" {
            if let Some(t) = o.to_data().as_str().and_then(Time::parse_rfc3339) {
                return Ok(t);
            }
        }
    }
    Err(FuncError::new(format!(
        "wrong type for value; expected time.Time; got {}",
        v.type_name()
    )))
}

/// A `time.Time` argument, Unix seconds, or now.
fn time_or_now(v: &Value) -> Time {
    match v {
        Value::Int(n) | Value::Int64(n) => Time::from_unix(*n),
        Value::Object(_) => expect_time(v).unwrap_or_else(|_| Time::now()),
        _ => Time::now(),
    }
}

/// Sprig's `dateInZone`: a zone Go cannot load is UTC.
fn date_in_zone(layout: &str, date: &Value, zone: &str) -> R {
    let loc = go_zones::load_location(zone).unwrap_or_default();
    Ok(Value::from(time_or_now(date).in_loc(&loc).format(layout)))
}

fn date_modify(a: &[Value], must: bool) -> R {
    let t = expect_time(&any_arg(a, 1))?;
    match parse_duration(str_arg(a, 0)) {
        Ok(d) => Ok(Value::Object(Rc::new(t.add(d)))),
        Err(e) if must => Err(FuncError::new(e)),
        Err(_) => Ok(Value::Object(Rc::new(t))),
    }
}

// ---------------------------------------------------------------------------------------
// Durations.

/// Go's `Duration.String()`.
pub fn format_duration(d: i64) -> String {
    if d == 0 {
        return "0s".into();
    }
    let neg = d < 0;
    let u = d.unsigned_abs();
    let mut out = String::new();
    if u < 1_000_000_000 {
        // Sub-second: ns, µs or ms with a fraction.
        let (unit, scale) = if u < 1_000 {
            ("ns", 1u64)
        } else if u < 1_000_000 {
            ("µs", 1_000)
        } else {
            ("ms", 1_000_000)
        };
        out.push_str(&frac_str(u, scale));
        out.push_str(unit);
    } else {
        let secs_total = u / 1_000_000_000;
        let h = secs_total / 3600;
        let m = secs_total / 60 % 60;
        let s_part = u % 60_000_000_000;
        if h > 0 {
            out.push_str(&format!("{h}h"));
        }
        if h > 0 || m > 0 {
            out.push_str(&format!("{m}m"));
        }
        out.push_str(&frac_str(s_part, 1_000_000_000));
        out.push('s');
    }
    if neg {
        format!("-{out}")
    } else {
        out
    }
}

/// `v / scale` with the fraction's trailing zeros dropped (`1.5`, `2`).
fn frac_str(v: u64, scale: u64) -> String {
    let int = v / scale;
    let frac = v % scale;
    if frac == 0 || scale == 1 {
        return int.to_string();
    }
    let width = scale.trailing_zeros_dec();
    let f = format!("{frac:0width$}");
    format!("{int}.{}", f.trim_end_matches('0'))
}

trait DecDigits {
    fn trailing_zeros_dec(self) -> usize;
}

impl DecDigits for u64 {
    fn trailing_zeros_dec(self) -> usize {
        let mut n = self;
        let mut k = 0;
        while n >= 10 && n.is_multiple_of(10) {
            n /= 10;
            k += 1;
        }
        k
    }
}

/// Go's `Duration.Round(m)`.
fn round_duration(d: i64, m: i64) -> i64 {
    let r = d % m;
    if d < 0 {
        let r = -r;
        if r + r < m {
            d + r
        } else {
            d.checked_sub(m - r).unwrap_or(i64::MIN)
        }
    } else if r + r < m {
        d - r
    } else {
        d.checked_add(m - r).unwrap_or(i64::MAX)
    }
}

/// Sprig's `durationRound`.
fn duration_round(d: i64) -> String {
    let u = d.unsigned_abs();
    const SECOND: u64 = 1_000_000_000;
    let units: [(u64, &str); 6] = [
        (SECOND * 3600 * 24 * 365, "y"),
        (SECOND * 3600 * 24 * 30, "mo"),
        (SECOND * 3600 * 24, "d"),
        (SECOND * 3600, "h"),
        (SECOND * 60, "m"),
        (SECOND, "s"),
    ];
    for (size, name) in units {
        if u > size {
            return format!("{}{name}", u / size);
        }
    }
    "0s".into()
}

/// Go's `time.ParseDuration`, in nanoseconds.
pub fn parse_duration(s: &str) -> Result<i64, String> {
    let orig = s;
    let err = || {
        format!(
            "time: invalid duration {}",
            super::sprig_strings::go_quote(orig)
        )
    };
    let mut s = s;
    let mut neg = false;
    if let Some(c) = s.chars().next() {
        if c == '-' || c == '+' {
            neg = c == '-';
            s = &s[1..];
        }
    }
    if s == "0" {
        return Ok(0);
    }
    if s.is_empty() {
        return Err(err());
    }
    let mut total: u64 = 0;
    while !s.is_empty() {
        let b = s.as_bytes();
        if !(b[0] == b'.' || b[0].is_ascii_digit()) {
            return Err(err());
        }
        let int_len = b.iter().take_while(|c| c.is_ascii_digit()).count();
        let int_part = &s[..int_len];
        let mut v: u64 = 0;
        for c in int_part.bytes() {
            v = v
                .checked_mul(10)
                .and_then(|x| x.checked_add(u64::from(c - b'0')))
                .filter(|&x| x <= 1 << 63)
                .ok_or_else(err)?;
        }
        s = &s[int_len..];
        let mut frac: u64 = 0;
        let mut scale: f64 = 1.0;
        let mut pre = int_len > 0;
        let mut post = false;
        if let Some(rest) = s.strip_prefix('.') {
            s = rest;
            let n = s.bytes().take_while(|c| c.is_ascii_digit()).count();
            let mut overflow = false;
            for c in s[..n].bytes() {
                if overflow {
                    continue;
                }
                if frac > (1u64 << 63) / 10 {
                    overflow = true;
                    continue;
                }
                frac = frac * 10 + u64::from(c - b'0');
                scale *= 10.0;
            }
            post = n > 0;
            s = &s[n..];
        }
        pre = pre || post;
        if !pre {
            return Err(err());
        }
        let unit_len = s
            .bytes()
            .take_while(|&c| c != b'.' && !c.is_ascii_digit())
            .count();
        if unit_len == 0 {
            return Err(format!(
                "time: missing unit in duration {}",
                super::sprig_strings::go_quote(orig)
            ));
        }
        let unit = &s[..unit_len];
        let unit_ns: u64 = match unit {
            "ns" => 1,
            "us" | "µs" | "μs" => 1_000,
            "ms" => 1_000_000,
            "s" => 1_000_000_000,
            "m" => 60_000_000_000,
            "h" => 3_600_000_000_000,
            _ => {
                return Err(format!(
                    "time: unknown unit {} in duration {}",
                    super::sprig_strings::go_quote(unit),
                    super::sprig_strings::go_quote(orig)
                ))
            }
        };
        s = &s[unit_len..];
        if v > (1u64 << 63) / unit_ns {
            return Err(err());
        }
        v *= unit_ns;
        if frac > 0 {
            v += (frac as f64 * (unit_ns as f64 / scale)) as u64;
            if v > 1 << 63 {
                return Err(err());
            }
        }
        total = total
            .checked_add(v)
            .filter(|&t| t <= 1 << 63)
            .ok_or_else(err)?;
    }
    if neg {
        Ok((total as i128).wrapping_neg() as i64)
    } else if total > i64::MAX as u64 {
        Err(err())
    } else {
        Ok(total as i64)
    }
}

// ---------------------------------------------------------------------------------------
// Go layouts.

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Chunk {
    LongMonth,
    Month,
    NumMonth,
    ZeroMonth,
    LongWeekDay,
    WeekDay,
    Day,
    UnderDay,
    ZeroDay,
    UnderYearDay,
    ZeroYearDay,
    Hour,
    Hour12,
    ZeroHour12,
    Minute,
    ZeroMinute,
    Second,
    ZeroSecond,
    LongYear,
    Year,
    PM,
    Pm,
    TzName,
    Iso8601Tz,
    Iso8601SecondsTz,
    Iso8601ShortTz,
    Iso8601ColonTz,
    Iso8601ColonSecondsTz,
    NumTz,
    NumSecondsTz,
    NumShortTz,
    NumColonTz,
    NumColonSecondsTz,
    /// Fractional seconds: `.000` (fixed digits) or `.999` (trailing zeros dropped), with
    /// the separator and the digit count.
    Frac(char, bool, usize),
}

/// Go's `nextStdChunk`: the text before the next layout element, the element, the rest.
fn next_chunk(layout: &str) -> (&str, Option<Chunk>, &str) {
    let b = layout.as_bytes();
    let starts = |i: usize, p: &str| layout[i..].starts_with(p);
    let mut i = 0;
    while i < b.len() {
        let c = b[i];
        let found: Option<(Chunk, usize)> = match c {
            b'J' => {
                if starts(i, "January") {
                    Some((Chunk::LongMonth, 7))
                } else if starts(i, "Jan") {
                    Some((Chunk::Month, 3))
                } else {
                    None
                }
            }
            b'M' => {
                if starts(i, "Monday") {
                    Some((Chunk::LongWeekDay, 6))
                } else if starts(i, "Mon") {
                    Some((Chunk::WeekDay, 3))
                } else if starts(i, "MST") {
                    Some((Chunk::TzName, 3))
                } else {
                    None
                }
            }
            b'0' => match b.get(i + 1) {
                Some(d @ b'1'..=b'6') => Some((
                    match d {
                        b'1' => Chunk::ZeroMonth,
                        b'2' => Chunk::ZeroDay,
                        b'3' => Chunk::ZeroHour12,
                        b'4' => Chunk::ZeroMinute,
                        b'5' => Chunk::ZeroSecond,
                        _ => Chunk::Year,
                    },
                    2,
                )),
                Some(b'0') if b.get(i + 2) == Some(&b'2') => Some((Chunk::ZeroYearDay, 3)),
                _ => None,
            },
            b'1' => {
                if b.get(i + 1) == Some(&b'5') {
                    Some((Chunk::Hour, 2))
                } else {
                    Some((Chunk::NumMonth, 1))
                }
            }
            b'2' => {
                if starts(i, "2006") {
                    Some((Chunk::LongYear, 4))
                } else {
                    Some((Chunk::Day, 1))
                }
            }
            b'_' => {
                if b.get(i + 1) == Some(&b'2') {
                    if starts(i + 1, "2006") {
                        // `_2006` is a literal underscore then the year.
                        Some((Chunk::LongYear, 5)).map(|_| (Chunk::LongYear, 0))
                    } else {
                        Some((Chunk::UnderDay, 2))
                    }
                } else if starts(i, "__2") {
                    Some((Chunk::UnderYearDay, 3))
                } else {
                    None
                }
            }
            b'3' => Some((Chunk::Hour12, 1)),
            b'4' => Some((Chunk::Minute, 1)),
            b'5' => Some((Chunk::Second, 1)),
            b'P' if b.get(i + 1) == Some(&b'M') => Some((Chunk::PM, 2)),
            b'p' if b.get(i + 1) == Some(&b'm') => Some((Chunk::Pm, 2)),
            b'-' => {
                if starts(i, "-07:00:00") {
                    Some((Chunk::NumColonSecondsTz, 9))
                } else if starts(i, "-0700") {
                    if starts(i, "-070000") {
                        Some((Chunk::NumSecondsTz, 7))
                    } else {
                        Some((Chunk::NumTz, 5))
                    }
                } else if starts(i, "-07:00") {
                    Some((Chunk::NumColonTz, 6))
                } else if starts(i, "-07") {
                    Some((Chunk::NumShortTz, 3))
                } else {
                    None
                }
            }
            b'Z' => {
                if starts(i, "Z07:00:00") {
                    Some((Chunk::Iso8601ColonSecondsTz, 9))
                } else if starts(i, "Z070000") {
                    Some((Chunk::Iso8601SecondsTz, 7))
                } else if starts(i, "Z0700") {
                    Some((Chunk::Iso8601Tz, 5))
                } else if starts(i, "Z07:00") {
                    Some((Chunk::Iso8601ColonTz, 6))
                } else if starts(i, "Z07") {
                    Some((Chunk::Iso8601ShortTz, 3))
                } else {
                    None
                }
            }
            b'.' | b',' => {
                if let Some(&d @ (b'0' | b'9')) = b.get(i + 1) {
                    let n = b[i + 1..].iter().take_while(|&&x| x == d).count();
                    let next = b.get(i + 1 + n);
                    if !next.is_some_and(u8::is_ascii_digit) {
                        Some((Chunk::Frac(char::from(c), d == b'9', n), 1 + n))
                    } else {
                        None
                    }
                } else {
                    None
                }
            }
            _ => None,
        };
        match found {
            Some((_, 0)) => {
                i += 1;
            }
            Some((chunk, len)) => return (&layout[..i], Some(chunk), &layout[i + len..]),
            None => i += 1,
        }
    }
    (layout, None, "")
}

fn format_layout(t: &Time, layout: &str) -> String {
    let (year, month, day, hour, min, sec, wd, yd) = t.civil();
    let mut out = String::new();
    let mut rest = layout;
    loop {
        let (prefix, chunk, suffix) = next_chunk(rest);
        out.push_str(prefix);
        let Some(chunk) = chunk else { break };
        rest = suffix;
        let off = t.offset;
        let tz = |out: &mut String, z: bool, colon: bool, secs: bool, short: bool| {
            if z && off == 0 {
                out.push('Z');
                return;
            }
            let mut zone = off / 60;
            let mut abs = off;
            if zone < 0 {
                out.push('-');
                zone = -zone;
                abs = -abs;
            } else {
                out.push('+');
            }
            out.push_str(&format!("{:02}", zone / 60));
            if !short {
                if colon {
                    out.push(':');
                }
                out.push_str(&format!("{:02}", zone % 60));
            }
            if secs {
                if colon {
                    out.push(':');
                }
                out.push_str(&format!("{:02}", abs % 60));
            }
        };
        match chunk {
            Chunk::Year => out.push_str(&format!("{:02}", year.rem_euclid(100))),
            Chunk::LongYear => {
                if year < 0 {
                    out.push_str(&format!("-{:04}", -year));
                } else {
                    out.push_str(&format!("{year:04}"));
                }
            }
            Chunk::Month => out.push_str(&MONTHS[(month - 1) as usize][..3]),
            Chunk::LongMonth => out.push_str(MONTHS[(month - 1) as usize]),
            Chunk::NumMonth => out.push_str(&month.to_string()),
            Chunk::ZeroMonth => out.push_str(&format!("{month:02}")),
            Chunk::WeekDay => out.push_str(&DAYS[wd as usize][..3]),
            Chunk::LongWeekDay => out.push_str(DAYS[wd as usize]),
            Chunk::Day => out.push_str(&day.to_string()),
            Chunk::UnderDay => out.push_str(&format!("{day:>2}")),
            Chunk::ZeroDay => out.push_str(&format!("{day:02}")),
            Chunk::UnderYearDay => out.push_str(&format!("{yd:>3}")),
            Chunk::ZeroYearDay => out.push_str(&format!("{yd:03}")),
            Chunk::Hour => out.push_str(&format!("{hour:02}")),
            Chunk::Hour12 => {
                out.push_str(&(if hour % 12 == 0 { 12 } else { hour % 12 }).to_string())
            }
            Chunk::ZeroHour12 => out.push_str(&format!(
                "{:02}",
                if hour % 12 == 0 { 12 } else { hour % 12 }
            )),
            Chunk::Minute => out.push_str(&min.to_string()),
            Chunk::ZeroMinute => out.push_str(&format!("{min:02}")),
            Chunk::Second => out.push_str(&sec.to_string()),
            Chunk::ZeroSecond => out.push_str(&format!("{sec:02}")),
            Chunk::PM => out.push_str(if hour >= 12 { "PM" } else { "AM" }),
            Chunk::Pm => out.push_str(if hour >= 12 { "pm" } else { "am" }),
            Chunk::TzName => {
                if !t.zone.is_empty() {
                    out.push_str(&t.zone);
                } else {
                    tz(&mut out, false, false, false, false);
                }
            }
            Chunk::Iso8601Tz => tz(&mut out, true, false, false, false),
            Chunk::Iso8601SecondsTz => tz(&mut out, true, false, true, false),
            Chunk::Iso8601ShortTz => tz(&mut out, true, false, false, true),
            Chunk::Iso8601ColonTz => tz(&mut out, true, true, false, false),
            Chunk::Iso8601ColonSecondsTz => tz(&mut out, true, true, true, false),
            Chunk::NumTz => tz(&mut out, false, false, false, false),
            Chunk::NumSecondsTz => tz(&mut out, false, false, true, false),
            Chunk::NumShortTz => tz(&mut out, false, false, false, true),
            Chunk::NumColonTz => tz(&mut out, false, true, false, false),
            Chunk::NumColonSecondsTz => tz(&mut out, false, true, true, false),
            Chunk::Frac(sep, trim, n) => {
                let digits = format!("{:09}", t.nanos);
                let digits = &digits[..n.min(9)];
                if trim {
                    let d = digits.trim_end_matches('0');
                    if !d.is_empty() {
                        out.push(sep);
                        out.push_str(d);
                    }
                } else {
                    out.push(sep);
                    out.push_str(digits);
                }
            }
        }
    }
    out
}

/// Go's `time.Parse(layout, value)`, with Go's messages: a time without a zone is UTC, a
/// zone abbreviation or offset is looked up in `Local`.
pub fn parse_layout(layout: &str, value: &str) -> Result<Time, String> {
    parse(layout, value, &None, &go_zones::local())
}

/// Go's `time.ParseInLocation(layout, value, loc)` (Sprig's `toDate` parses in `Local`).
pub fn parse_layout_in(layout: &str, value: &str, loc: &Location) -> Result<Time, String> {
    parse(layout, value, loc, loc)
}

/// Go's `parse(layout, value, defaultLocation, local)`.
fn parse(layout: &str, value: &str, default: &Location, local: &Location) -> Result<Time, String> {
    let q = super::sprig_strings::go_quote;
    let (alayout, avalue) = (layout, value);
    let fail = |elem: &str, v: &str, msg: &str| {
        if msg.is_empty() {
            format!(
                "parsing time {} as {}: cannot parse {} as {}",
                q(avalue),
                q(alayout),
                q(v),
                q(elem)
            )
        } else {
            format!("parsing time {}{msg}", q(avalue))
        }
    };
    let (mut year, mut month, mut day, mut hour, mut min, mut sec, mut nanos) =
        (1i64, 1u32, 1u32, 0u32, 0u32, 0u32, 0u32);
    let mut yday: Option<u32> = None;
    let mut pm_set: Option<bool> = None;
    let mut offset: Option<i32> = None;
    let mut zone_name = String::new();
    // `Z` in an ISO 8601 zone, or `UTC` for `MST`: the time is in UTC.
    let mut is_utc = false;
    let (mut layout, mut value) = (layout, value);
    fn num(v: &str, min_len: usize, max_len: usize) -> Option<(u32, &str)> {
        let n = v
            .bytes()
            .take(max_len)
            .take_while(u8::is_ascii_digit)
            .count();
        if n < min_len {
            return None;
        }
        Some((v[..n].parse().ok()?, &v[n..]))
    }
    loop {
        let (prefix, chunk, suffix) = next_chunk(layout);
        let std_str = &layout[prefix.len()..layout.len() - suffix.len()];
        // The literal text must match.
        let vtrim = value;
        if !vtrim.starts_with(prefix) {
            return Err(fail(prefix, value, ""));
        }
        value = &vtrim[prefix.len()..];
        let Some(chunk) = chunk else {
            if !value.is_empty() {
                return Err(fail("", "", &format!(": extra text: {}", q(value))));
            }
            break;
        };
        layout = suffix;
        let hold = value;
        let bad = |_: ()| fail(std_str, hold, "");
        let range_err = |what: &str| fail(std_str, hold, &format!(": {what} out of range"));
        match chunk {
            Chunk::Year => {
                let (v, r) = num(value, 2, 2).ok_or_else(|| bad(()))?;
                year = i64::from(v) + if v >= 69 { 1900 } else { 2000 };
                value = r;
            }
            Chunk::LongYear => {
                if value.len() < 4 || !value[..4].bytes().all(|c| c.is_ascii_digit()) {
                    return Err(bad(()));
                }
                year = value[..4].parse().map_err(|_| bad(()))?;
                value = &value[4..];
            }
            Chunk::Month | Chunk::LongMonth => {
                let long = chunk == Chunk::LongMonth;
                let found = MONTHS.iter().enumerate().find(|(_, m)| {
                    let name = if long { m } else { &m[..3] };
                    value.len() >= name.len() && value[..name.len()].eq_ignore_ascii_case(name)
                });
                let (i, m) = found.ok_or_else(|| bad(()))?;
                month = i as u32 + 1;
                value = &value[if long { m.len() } else { 3 }..];
            }
            Chunk::NumMonth | Chunk::ZeroMonth => {
                let (v, r) = num(value, if chunk == Chunk::ZeroMonth { 2 } else { 1 }, 2)
                    .ok_or_else(|| bad(()))?;
                if !(1..=12).contains(&v) {
                    return Err(range_err("month"));
                }
                month = v;
                value = r;
            }
            Chunk::WeekDay | Chunk::LongWeekDay => {
                let long = chunk == Chunk::LongWeekDay;
                let found = DAYS.iter().find(|d| {
                    let name = if long { d } else { &d[..3] };
                    value.len() >= name.len() && value[..name.len()].eq_ignore_ascii_case(name)
                });
                let d = found.ok_or_else(|| bad(()))?;
                value = &value[if long { d.len() } else { 3 }..];
            }
            Chunk::Day | Chunk::UnderDay | Chunk::ZeroDay => {
                if chunk == Chunk::UnderDay && value.starts_with(' ') {
                    value = &value[1..];
                }
                let (v, r) = num(value, if chunk == Chunk::ZeroDay { 2 } else { 1 }, 2)
                    .ok_or_else(|| bad(()))?;
                day = v;
                value = r;
            }
            Chunk::UnderYearDay | Chunk::ZeroYearDay => {
                let mut v = value;
                if chunk == Chunk::UnderYearDay {
                    v = v.trim_start_matches(' ');
                }
                let (d, r) = num(v, 3.min(v.len()).max(1), 3).ok_or_else(|| bad(()))?;
                yday = Some(d);
                value = r;
            }
            Chunk::Hour => {
                let (v, r) = num(value, 2, 2).ok_or_else(|| bad(()))?;
                if v > 23 {
                    return Err(range_err("hour"));
                }
                hour = v;
                value = r;
            }
            Chunk::Hour12 | Chunk::ZeroHour12 => {
                let (v, r) = num(value, if chunk == Chunk::ZeroHour12 { 2 } else { 1 }, 2)
                    .ok_or_else(|| bad(()))?;
                if v > 12 {
                    return Err(range_err("hour"));
                }
                hour = v;
                value = r;
            }
            Chunk::Minute | Chunk::ZeroMinute => {
                let (v, r) = num(value, if chunk == Chunk::ZeroMinute { 2 } else { 1 }, 2)
                    .ok_or_else(|| bad(()))?;
                if v > 59 {
                    return Err(range_err("minute"));
                }
                min = v;
                value = r;
            }
            Chunk::Second | Chunk::ZeroSecond => {
                let (v, r) = num(value, if chunk == Chunk::ZeroSecond { 2 } else { 1 }, 2)
                    .ok_or_else(|| bad(()))?;
                if v > 59 {
                    return Err(range_err("second"));
                }
                sec = v;
                value = r;
                // A fractional second in the value after a seconds element is accepted.
                if (value.starts_with('.') || value.starts_with(','))
                    && value[1..].starts_with(|c: char| c.is_ascii_digit())
                    && !matches!(next_chunk(layout).1, Some(Chunk::Frac(..)))
                {
                    let n = value[1..].bytes().take_while(u8::is_ascii_digit).count();
                    nanos = frac_nanos(&value[1..1 + n]);
                    value = &value[1 + n..];
                }
            }
            Chunk::PM | Chunk::Pm => {
                if value.len() < 2 {
                    return Err(bad(()));
                }
                match &value[..2] {
                    "PM" | "pm" if (chunk == Chunk::PM) == (&value[..2] == "PM") => {
                        pm_set = Some(true)
                    }
                    "AM" | "am" if (chunk == Chunk::PM) == (&value[..2] == "AM") => {
                        pm_set = Some(false)
                    }
                    _ => return Err(bad(())),
                }
                value = &value[2..];
            }
            Chunk::Frac(_, trim, n) => {
                if !(value.starts_with('.') || value.starts_with(',')) {
                    if trim {
                        continue;
                    }
                    return Err(bad(()));
                }
                let digits = value[1..].bytes().take_while(u8::is_ascii_digit).count();
                if !trim && digits != n {
                    return Err(bad(()));
                }
                nanos = frac_nanos(&value[1..1 + digits]);
                value = &value[1 + digits..];
            }
            Chunk::TzName => {
                let n = value.bytes().take_while(u8::is_ascii_uppercase).count();
                if n < 3 {
                    return Err(bad(()));
                }
                if value.starts_with("UTC") {
                    is_utc = true;
                    value = &value[3..];
                    continue;
                }
                zone_name = value[..n].to_string();
                value = &value[n..];
            }
            _ => {
                // Numeric zones, with `Z` for UTC in the ISO 8601 forms.
                let iso = matches!(
                    chunk,
                    Chunk::Iso8601Tz
                        | Chunk::Iso8601SecondsTz
                        | Chunk::Iso8601ShortTz
                        | Chunk::Iso8601ColonTz
                        | Chunk::Iso8601ColonSecondsTz
                );
                if iso && value.starts_with('Z') {
                    value = &value[1..];
                    is_utc = true;
                    continue;
                }
                let colon = matches!(
                    chunk,
                    Chunk::Iso8601ColonTz
                        | Chunk::Iso8601ColonSecondsTz
                        | Chunk::NumColonTz
                        | Chunk::NumColonSecondsTz
                );
                let secs = matches!(
                    chunk,
                    Chunk::Iso8601SecondsTz
                        | Chunk::Iso8601ColonSecondsTz
                        | Chunk::NumSecondsTz
                        | Chunk::NumColonSecondsTz
                );
                let short = matches!(chunk, Chunk::Iso8601ShortTz | Chunk::NumShortTz);
                let sign = match value.as_bytes().first() {
                    Some(b'+') => 1,
                    Some(b'-') => -1,
                    _ => return Err(bad(())),
                };
                let mut v = &value[1..];
                let two = |v: &str| -> Option<(i32, usize)> {
                    (v.len() >= 2 && v.as_bytes()[..2].iter().all(u8::is_ascii_digit))
                        .then(|| (v[..2].parse().unwrap_or(0), 2))
                };
                let (h, n) = two(v).ok_or_else(|| bad(()))?;
                v = &v[n..];
                let mut m = 0;
                let mut s = 0;
                if !short {
                    if colon {
                        v = v.strip_prefix(':').ok_or_else(|| bad(()))?;
                    }
                    let (x, n) = two(v).ok_or_else(|| bad(()))?;
                    m = x;
                    v = &v[n..];
                }
                if secs {
                    if colon {
                        v = v.strip_prefix(':').ok_or_else(|| bad(()))?;
                    }
                    let (x, n) = two(v).ok_or_else(|| bad(()))?;
                    s = x;
                    v = &v[n..];
                }
                offset = Some(sign * (h * 3600 + m * 60 + s));
                value = v;
            }
        }
    }
    if let Some(pm) = pm_set {
        if pm && hour < 12 {
            hour += 12;
        } else if !pm && hour == 12 {
            hour = 0;
        }
    }
    if let Some(yd) = yday {
        let leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
        if yd < 1 || yd > if leap { 366 } else { 365 } {
            return Err(format!(
                "parsing time {}: day-of-year out of range",
                q(avalue)
            ));
        }
        let d = days_from_civil(year, 1, 1) + i64::from(yd) - 1;
        let (_, m, dd) = civil_from_days(d);
        month = m;
        day = dd;
    }
    let dim = match month {
        2 => {
            if (year % 4 == 0 && year % 100 != 0) || year % 400 == 0 {
                29
            } else {
                28
            }
        }
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    };
    if day < 1 || day > dim {
        return Err(format!("parsing time {}: day out of range", q(avalue)));
    }
    let days = days_from_civil(year, month, day);
    let wall = days * 86_400 + i64::from(hour) * 3600 + i64::from(min) * 60 + i64::from(sec);
    let in_loc = |loc: &Location| {
        Time {
            secs: go_zones::unix_of_wall_clock(loc, wall),
            nanos,
            ..Time::default()
        }
        .in_loc(loc)
    };
    // A time in a zone of its own (`FixedZone`): offset and name as parsed.
    let fixed = |offset: i32, zone: String| Time {
        secs: wall - i64::from(offset),
        nanos,
        offset,
        zone,
        ..Time::default()
    };
    if is_utc {
        return Ok(in_loc(&None));
    }
    if let Some(offset) = offset {
        // `Local` when its offset then is the one parsed (and its name, if one was).
        let secs = wall - i64::from(offset);
        let (local_offset, local_name) = go_zones::offset_at(local, secs);
        if local_offset == offset && (zone_name.is_empty() || local_name == zone_name) {
            return Ok(Time {
                secs,
                nanos,
                ..Time::default()
            }
            .in_loc(local));
        }
        return Ok(fixed(offset, zone_name));
    }
    if !zone_name.is_empty() {
        if let Some(offset) = go_zones::offset_of_abbreviation(local, &zone_name, wall) {
            return Ok(Time {
                secs: wall - i64::from(offset),
                nanos,
                ..Time::default()
            }
            .in_loc(local));
        }
        // An unknown abbreviation: offset zero, or the hours of `GMT+3`.
        let offset = zone_name
            .strip_prefix("GMT")
            .and_then(|h| h.parse::<i32>().ok())
            .map_or(0, |h| h * 3600);
        return Ok(fixed(offset, zone_name));
    }
    Ok(in_loc(default))
}

fn frac_nanos(digits: &str) -> u32 {
    let mut d: String = digits.chars().take(9).collect();
    while d.len() < 9 {
        d.push('0');
    }
    d.parse().unwrap_or(0)
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::super::testenv::{call, i, s, show};
    use super::*;

    fn t(secs: i64) -> Value {
        Value::Object(Rc::new(Time::from_unix(secs)))
    }

    #[test]
    fn sprig_date_tests() {
        go_zones::set_local_for_tests(None);
        // Sprig's date_test.go uses 1136239445 (2006-01-02 22:04:05 UTC).
        let tm = t(1_136_239_445);
        assert_eq!(
            show("date", vec![s("2006-01-02 15:04:05"), tm.clone()]),
            "2006-01-02 22:04:05"
        );
        assert_eq!(show("htmlDate", vec![tm.clone()]), "2006-01-02");
        assert_eq!(
            show("htmlDateInZone", vec![tm.clone(), s("UTC")]),
            "2006-01-02"
        );
        assert_eq!(
            show(
                "dateInZone",
                vec![s("02 Jan 06 15:04 -0700"), tm.clone(), s("UTC")]
            ),
            "02 Jan 06 22:04 +0000"
        );
        assert_eq!(
            show(
                "date",
                vec![s("Mon Jan _2 3:04PM .000 MST"), Value::Int64(1_136_239_445)]
            ),
            "Mon Jan  2 10:04PM .000 UTC"
        );
        assert_eq!(show("unixEpoch", vec![tm.clone()]), "1136239445");
        assert_eq!(
            show("dateModify", vec![s("-1.5h"), tm.clone()]),
            "2006-01-02 20:34:05 +0000 UTC"
        );
        assert_eq!(
            show("dateModify", vec![s("nope"), tm.clone()]),
            "2006-01-02 22:04:05 +0000 UTC"
        );
        assert_eq!(
            show("mustDateModify", vec![s("nope"), tm.clone()]),
            "error: time: invalid duration \"nope\""
        );
        assert_eq!(
            show("toDate", vec![s("2006-01-02"), s("2017-12-31")]),
            "2017-12-31 00:00:00 +0000 UTC"
        );
        assert_eq!(
            show("toDate", vec![s("2006-01-02"), s("x")]),
            "0001-01-01 00:00:00 +0000 UTC"
        );
        assert_eq!(
            show("mustToDate", vec![s("2006-01-02"), s("x")]),
            "error: parsing time \"x\" as \"2006-01-02\": cannot parse \"x\" as \"2006\""
        );
        assert_eq!(
            show(
                "toDate",
                vec![
                    s("2006-01-02T15:04:05Z07:00"),
                    s("2020-05-06T07:08:09+02:00")
                ]
            ),
            "2020-05-06 07:08:09 +0200 +0200"
        );
        assert_eq!(
            show("unixEpoch", vec![s("x")]),
            "error: wrong type for value; expected time.Time; got string"
        );
    }

    #[test]
    fn durations() {
        assert_eq!(show("duration", vec![s("95")]), "1m35s");
        assert_eq!(show("duration", vec![Value::Int64(3661)]), "1h1m1s");
        assert_eq!(show("duration", vec![i(5)]), "0s");
        assert_eq!(show("durationRound", vec![s("2h5s")]), "2h");
        assert_eq!(
            show("durationRound", vec![Value::Int64(2_600_000_000_000_000)]),
            "1mo"
        );
        assert_eq!(show("durationRound", vec![s("-400h")]), "16d");
        assert_eq!(format_duration(1_500_000), "1.5ms");
        assert_eq!(format_duration(-90_000_000_000), "-1m30s");
        assert_eq!(format_duration(1_000_000_001), "1.000000001s");
        assert_eq!(parse_duration("1h15m30.918273645s"), Ok(4_530_918_273_645));
        assert_eq!(parse_duration("-1.5h"), Ok(-5_400_000_000_000));
        assert_eq!(
            parse_duration("1"),
            Err("time: missing unit in duration \"1\"".into())
        );
        assert_eq!(
            parse_duration("3x"),
            Err("time: unknown unit \"x\" in duration \"3x\"".into())
        );
    }

    #[test]
    fn now_prints_like_go() {
        go_zones::set_local_for_tests(None);
        let v = call("now", vec![]).unwrap();
        let shown = crate::gotmpl::fmt::sprint_one(&v);
        assert!(shown.contains(" +0000 UTC m=+"), "{shown}");
        assert_eq!(v.type_name(), "time.Time");
        assert!(show("ago", vec![v]).ends_with('s'));
    }

    #[test]
    fn layouts() {
        let tm = Time {
            secs: 1_136_239_445,
            nanos: 123_456_000,
            offset: -7 * 3600,
            zone: "MST".into(),
            mono: None,
            loc: None,
        };
        assert_eq!(
            tm.format("2006-01-02T15:04:05.999999999Z07:00"),
            "2006-01-02T15:04:05.123456-07:00"
        );
        assert_eq!(
            tm.format("Monday, January 2, 2006 03:04:05.000 pm MST"),
            "Monday, January 2, 2006 03:04:05.123 pm MST"
        );
        assert_eq!(tm.format("002 __2 06"), "002   2 06");
        assert_eq!(tm.format(time_rfc1123()), "Mon, 02 Jan 2006 15:04:05 MST");
    }

    fn time_rfc1123() -> &'static str {
        "Mon, 02 Jan 2006 15:04:05 MST"
    }
}
