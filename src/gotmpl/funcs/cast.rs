//! spf13/cast v1.7.0's conversions as Sprig calls them (`int`, `int64`, `float64`, and every
//! arithmetic function): strings are parsed (`"0x1F"`, `"1.0"` → 1), bools are 0/1, nil is 0,
//! floats are truncated, and anything cast cannot convert is 0 (Sprig drops cast's errors).
//! Also Go's `strconv` number parsing, and small helpers the Sprig families share.

use crate::gotmpl::{FuncError, Value};

/// Why `strconv` refused a number.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum NumError {
    Syntax,
    /// Out of range: Go still returns the clamped value.
    Range(i64),
}

/// `strconv.ParseInt(s, base, 64)` for base 0 (Go literal prefixes `0x`, `0o`, `0b`, `0`,
/// underscores between digits) or an explicit base from 2 to 36.
pub fn parse_int(s: &str, base: u32) -> Result<i64, NumError> {
    let (neg, body) = match s.as_bytes().first() {
        Some(b'+') => (false, &s[1..]),
        Some(b'-') => (true, &s[1..]),
        _ => (false, s),
    };
    let mag = parse_uint(body, base)?;
    let limit = if neg { 1u128 << 63 } else { (1u128 << 63) - 1 };
    match mag {
        Some(m) if u128::from(m) <= limit => {
            if neg {
                Ok((m as i128).wrapping_neg() as i64)
            } else {
                Ok(m as i64)
            }
        }
        _ => Err(NumError::Range(if neg { i64::MIN } else { i64::MAX })),
    }
}

/// The magnitude (`None` when it passes u64), or a syntax error (Go's `ParseUint`).
fn parse_uint(s: &str, base: u32) -> Result<Option<u64>, NumError> {
    if s.is_empty() {
        return Err(NumError::Syntax);
    }
    let base0 = base == 0;
    let b = s.as_bytes();
    let (base, digits) = if base0 {
        if b[0] == b'0' {
            match (b.len() >= 3, b.get(1).map(u8::to_ascii_lowercase)) {
                (true, Some(b'b')) => (2, &s[2..]),
                (true, Some(b'o')) => (8, &s[2..]),
                (true, Some(b'x')) => (16, &s[2..]),
                _ => (8, &s[1..]),
            }
        } else {
            (10, s)
        }
    } else {
        (base, s)
    };
    let mut value: Option<u64> = Some(0);
    let mut underscores = false;
    for c in digits.bytes() {
        if c == b'_' && base0 {
            underscores = true;
            continue;
        }
        let d = (c as char).to_digit(36).ok_or(NumError::Syntax)?;
        if d >= base {
            return Err(NumError::Syntax);
        }
        value = value
            .and_then(|v| v.checked_mul(u64::from(base)))
            .and_then(|v| v.checked_add(u64::from(d)));
    }
    if underscores && !underscore_ok(s) {
        return Err(NumError::Syntax);
    }
    Ok(value)
}

/// Go's `underscoreOK`: underscores only between digits, or after a base prefix.
fn underscore_ok(s: &str) -> bool {
    let b = s.as_bytes();
    let mut saw = b'^';
    let mut i = 0;
    if b.len() >= 2 && b[0] == b'0' && matches!(b[1].to_ascii_lowercase(), b'b' | b'o' | b'x') {
        i = 2;
        saw = b'0';
    }
    while i < b.len() {
        let c = b[i];
        if c.is_ascii_alphanumeric() {
            saw = b'0';
        } else if c == b'_' {
            if saw != b'0' {
                return false;
            }
            saw = b'_';
        } else {
            if saw == b'_' {
                return false;
            }
            saw = b'!';
        }
        i += 1;
    }
    saw != b'_'
}

/// `strconv.ParseFloat(s, 64)` (decimal forms, `inf`, `infinity`, `nan`; out-of-range values
/// are ±Inf with an error, as Go).
pub fn parse_float(s: &str) -> Result<f64, NumError> {
    let cleaned: String;
    let t = if s.contains('_') {
        if !underscore_ok(s.trim_start_matches(['+', '-'])) {
            return Err(NumError::Syntax);
        }
        cleaned = s.replace('_', "");
        cleaned.as_str()
    } else {
        s
    };
    // Rust accepts the same decimal syntax (and inf/infinity/nan) but not hex floats.
    let ok_chars = t
        .bytes()
        .all(|c| c.is_ascii_digit() || matches!(c, b'+' | b'-' | b'.' | b'e' | b'E'))
        || matches!(
            t.trim_start_matches(['+', '-'])
                .to_ascii_lowercase()
                .as_str(),
            "inf" | "infinity" | "nan"
        );
    if !ok_chars {
        return Err(NumError::Syntax);
    }
    match t.parse::<f64>() {
        Ok(f) if f.is_infinite() && !t.to_ascii_lowercase().contains("inf") => {
            Err(NumError::Range(0))
        }
        Ok(f) => Ok(f),
        Err(_) => Err(NumError::Syntax),
    }
}

/// Go's `int64(f)` on amd64: truncation, and the "integer indefinite" value for NaN and
/// out-of-range floats.
pub fn float_to_int(f: f64) -> i64 {
    const TWO_63: f64 = 9_223_372_036_854_775_808.0;
    if f.is_nan() || !(-TWO_63..TWO_63).contains(&f) {
        i64::MIN
    } else {
        f as i64
    }
}

/// cast's `trimZeroDecimal`: `"1.0"` → `"1"`, `"1.50"` stays.
fn trim_zero_decimal(s: &str) -> &str {
    let b = s.as_bytes();
    let mut found_zero = false;
    for i in (1..=b.len()).rev() {
        match b[i - 1] {
            b'.' => {
                if found_zero {
                    return &s[..i - 1];
                }
            }
            b'0' => found_zero = true,
            _ => return s,
        }
    }
    s
}

/// `cast.ToInt64E`, or the error cast reports.
pub fn to_int64_e(v: &Value) -> Result<i64, String> {
    match v {
        Value::Nil => Ok(0),
        Value::Bool(b) => Ok(i64::from(*b)),
        Value::Int(i) | Value::Int64(i) => Ok(*i),
        Value::Float(f) => Ok(float_to_int(*f)),
        Value::Str(s) => parse_int(trim_zero_decimal(s), 0)
            .map_err(|_| format!("unable to cast {:?} of type string to int64", &**s)),
        other => Err(format!(
            "unable to cast {} of type {} to int64",
            crate::gotmpl::fmt::sprint_one(other),
            other.type_name()
        )),
    }
}

/// `cast.ToInt64`: errors are 0.
pub fn to_int64(v: &Value) -> i64 {
    to_int64_e(v).unwrap_or(0)
}

/// `cast.ToInt` (Go's int is 64 bits here, so the same as `to_int64`).
pub fn to_int(v: &Value) -> i64 {
    to_int64(v)
}

/// `cast.ToFloat64`: errors are 0.
pub fn to_float64(v: &Value) -> f64 {
    match v {
        Value::Nil => 0.0,
        Value::Bool(b) => f64::from(u8::from(*b)),
        Value::Int(i) | Value::Int64(i) => *i as f64,
        Value::Float(f) => *f,
        Value::Str(s) => parse_float(s).unwrap_or(0.0),
        _ => 0.0,
    }
}

/// The string of a `string` parameter.
pub fn str_arg(args: &[Value], i: usize) -> &str {
    args.get(i).and_then(Value::as_str).unwrap_or("")
}

/// The integer of an `int` parameter.
pub fn int_arg(args: &[Value], i: usize) -> i64 {
    args.get(i).and_then(Value::as_int).unwrap_or(0)
}

/// An argument of any type (nil when missing).
pub fn any_arg(args: &[Value], i: usize) -> Value {
    args.get(i).cloned().unwrap_or(Value::Nil)
}

/// Go's `s[a:b]` on bytes, with Go's panic messages; the bytes become a string as Go would
/// print them (a cut inside a UTF-8 sequence is replaced by U+FFFD).
pub fn byte_slice(s: &str, a: Option<i64>, b: Option<i64>) -> Result<String, FuncError> {
    // Go's bytes: a cut inside a character leaves bytes that are not UTF-8, which a Go string
    // keeps (as kit's stand-ins), and a byte kit carries as a stand-in counts once.
    let bytes = crate::gotmpl::value::go_string_bytes(s);
    let len = bytes.len() as i64;
    let hi = b.unwrap_or(len);
    let lo = a.unwrap_or(0);
    if hi < 0 || hi > len {
        let msg = match a {
            Some(_) if b.is_none() => format!("slice bounds out of range [{lo}:{len}]"),
            _ if hi > len => format!("slice bounds out of range [:{hi}] with length {len}"),
            _ => format!("slice bounds out of range [:{hi}]"),
        };
        return Err(FuncError::new(format!("runtime error: {msg}")));
    }
    if lo < 0 || lo > hi {
        return Err(FuncError::new(format!(
            "runtime error: slice bounds out of range [{lo}:{hi}]"
        )));
    }
    Ok(crate::gotmpl::value::go_string_from_bytes(&bytes[lo as usize..hi as usize]).into_owned())
}

/// A Go panic inside a function, as text/template reports it.
pub fn panic(msg: impl std::fmt::Display) -> FuncError {
    FuncError::new(msg.to_string())
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    #[test]
    fn cast_to_int64_follows_spf13_cast() {
        let cases: Vec<(Value, i64)> = vec![
            (Value::str("42"), 42),
            (Value::str("1.0"), 1),
            (Value::str("1.5"), 0),
            (Value::str("0x1F"), 31),
            (Value::str("0o17"), 15),
            (Value::str("017"), 15),
            (Value::str("0b101"), 5),
            (Value::str("1_000"), 1000),
            (Value::str("_1"), 0),
            (Value::str("-12"), -12),
            (Value::str("abc"), 0),
            (Value::str(""), 0),
            (Value::str("99999999999999999999"), 0),
            (Value::Bool(true), 1),
            (Value::Nil, 0),
            (Value::Float(3.9), 3),
            (Value::Float(-3.9), -3),
            (Value::Float(f64::NAN), i64::MIN),
            (Value::Int64(7), 7),
        ];
        for (v, want) in cases {
            assert_eq!(to_int64(&v), want, "{v:?}");
        }
    }

    #[test]
    fn cast_to_float64() {
        assert_eq!(to_float64(&Value::str("1.5")), 1.5);
        assert_eq!(to_float64(&Value::str("1e3")), 1000.0);
        assert_eq!(to_float64(&Value::str("x")), 0.0);
        assert_eq!(to_float64(&Value::str("0x10")), 0.0);
        assert_eq!(to_float64(&Value::Int(2)), 2.0);
        assert_eq!(to_float64(&Value::Bool(true)), 1.0);
        assert!(to_float64(&Value::str("-Inf")).is_infinite());
    }

    #[test]
    fn strconv_parse_int() {
        assert_eq!(parse_int("9223372036854775807", 10), Ok(i64::MAX));
        assert_eq!(parse_int("-9223372036854775808", 10), Ok(i64::MIN));
        assert_eq!(
            parse_int("9223372036854775808", 10),
            Err(NumError::Range(i64::MAX))
        );
        assert_eq!(parse_int("0", 0), Ok(0));
        assert_eq!(parse_int("0x", 0), Err(NumError::Syntax));
        assert_eq!(parse_int("777", 8), Ok(511));
        assert_eq!(parse_int("0o777", 8), Err(NumError::Syntax));
        assert_eq!(parse_int("1_0", 10), Err(NumError::Syntax));
    }

    #[test]
    fn byte_slices_panic_like_go() {
        assert_eq!(byte_slice("abc", Some(1), None).unwrap(), "bc");
        assert_eq!(
            byte_slice("abc", None, Some(5)).unwrap_err().message,
            "runtime error: slice bounds out of range [:5] with length 3"
        );
        assert_eq!(
            byte_slice("abc", Some(5), None).unwrap_err().message,
            "runtime error: slice bounds out of range [5:3]"
        );
        assert_eq!(
            byte_slice("abc", Some(2), Some(1)).unwrap_err().message,
            "runtime error: slice bounds out of range [2:1]"
        );
    }
}
