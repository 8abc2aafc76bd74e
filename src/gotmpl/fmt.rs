//! Go's `fmt` for template values: `%v` printing (`fmt.Sprint`), `Sprintf` with Go's verbs,
//! flags, widths and error forms (`%!d(string=x)`, `%!s(MISSING)`, `%!(EXTRA ...)`).

use std::fmt::Write as _;

use super::funcs::sprig_strings::is_print;
use super::value::Value;

/// `fmt.Sprint(v)`: how Go prints one value with `%v`.
pub fn sprint_one(v: &Value) -> String {
    let mut out = String::new();
    write_v(v, &mut out, true);
    out
}

/// `fmt.Sprintf("%+v", v)`: structs with their field names.
pub fn sprint_plus(v: &Value) -> String {
    let mut out = String::new();
    let sp = Spec {
        plus_v: true,
        ..Spec::default()
    };
    print_value(&mut out, v, 'v', &sp, 0);
    out
}

/// `fmt.Sprint(args...)`: operands printed with `%v`, a space between two operands when
/// neither is a string.
pub fn sprint(args: &[Value]) -> String {
    let mut out = String::new();
    for (i, a) in args.iter().enumerate() {
        if i > 0 && !matches!(a, Value::Str(_)) && !matches!(args[i - 1], Value::Str(_)) {
            out.push(' ');
        }
        write_v(a, &mut out, true);
    }
    out
}

/// `fmt.Sprintln(args...)`: operands printed with `%v`, always space-separated, then `\n`.
pub fn sprintln(args: &[Value]) -> String {
    let mut out = String::new();
    for (i, a) in args.iter().enumerate() {
        if i > 0 {
            out.push(' ');
        }
        write_v(a, &mut out, true);
    }
    out.push('\n');
    out
}

/// Writes `v` as `%v` prints it; `top` is false inside a list or map (where a nil prints
/// `<nil>` and a string is bare too).
pub fn write_v(v: &Value, out: &mut String, _top: bool) {
    write_v_at(v, out, 0);
}

/// How deep printing follows nested lists and maps (a map set into itself would never end:
/// Go overflows its stack; kit prints `...` there).
const MAX_PRINT_DEPTH: usize = 1000;

/// Printing stops adding to a text past this size (lists sharing a list many times over can
/// describe more text than memory holds); the caller's output budget refuses it anyway.
pub const MAX_PRINT_BYTES: usize = 1 << 26;

fn write_v_at(v: &Value, out: &mut String, depth: usize) {
    if depth > MAX_PRINT_DEPTH || out.len() > MAX_PRINT_BYTES {
        out.push_str("...");
        return;
    }
    match v {
        Value::Nil => out.push_str("<nil>"),
        Value::Bool(b) => out.push_str(if *b { "true" } else { "false" }),
        Value::Int(i) | Value::Int64(i) => out.push_str(&i.to_string()),
        Value::Float(f) => out.push_str(&format_float_g(*f)),
        Value::Str(s) => out.push_str(s),
        Value::Bytes(b) => {
            out.push('[');
            for (i, x) in b.iter().enumerate() {
                if i > 0 {
                    out.push(' ');
                }
                out.push_str(&x.to_string());
            }
            out.push(']');
        }
        Value::List(l, _) => {
            out.push('[');
            for (i, x) in l.iter().enumerate() {
                if i > 0 {
                    out.push(' ');
                }
                write_v_at(x, out, depth + 1);
            }
            out.push(']');
        }
        Value::Map(m, _) => {
            out.push_str("map[");
            for (i, (k, x)) in m.borrow().iter().enumerate() {
                if i > 0 {
                    out.push(' ');
                }
                out.push_str(k);
                out.push(':');
                write_v_at(x, out, depth + 1);
            }
            out.push(']');
        }
        Value::Object(o) => match o.fields_by_value() {
            Some(fields) => {
                out.push('{');
                for (i, (_, x)) in fields.iter().enumerate() {
                    if i > 0 {
                        out.push(' ');
                    }
                    write_v_at(x, out, depth + 1);
                }
                out.push('}');
            }
            None => out.push_str(&o.display()),
        },
    }
}

/// `strconv.FormatFloat(f, 'g', -1, 64)` as `fmt` prints it (`%v`): the shortest
/// representation, in exponent form when the exponent is below -4 or at least 6 (`1e+06`,
/// `8.388608e+06`, `1e-05`); `NaN`, `+Inf`, `-Inf`.
pub fn format_float_g(f: f64) -> String {
    format_float(f, 'g', -1)
}

/// A finite float64's mantissa (with the implicit bit) and unbiased exponent, as strconv
/// decodes them: `abs = mant * 2^(exp-52)`.
fn mantissa_exponent(abs: f64) -> (u64, i32) {
    let bits = abs.to_bits();
    let mut exp = ((bits >> 52) & 0x7ff) as i32;
    let mut mant = bits & ((1 << 52) - 1);
    if exp == 0 {
        exp += 1;
    } else {
        mant |= 1 << 52;
    }
    (mant, exp - 1023)
}

/// strconv's `%x`: `0x1.8p+01` (`prec` hex digits after the point, -1 for as many as needed).
fn fmt_hex_float(out: &mut String, abs: f64, verb: char, prec: i32) {
    let (mut mant, mut exp) = mantissa_exponent(abs);
    if mant == 0 {
        exp = 0;
    }
    // The leading 1 at bit 60.
    mant <<= 60 - 52;
    while mant != 0 && mant & (1 << 60) == 0 {
        mant <<= 1;
        exp -= 1;
    }
    if (0..15).contains(&prec) {
        let shift = (prec * 4) as u32;
        let extra = (mant << shift) & ((1 << 60) - 1);
        mant >>= 60 - shift;
        if extra | (mant & 1) > 1 << 59 {
            mant += 1;
        }
        mant <<= 60 - shift;
        if mant & (1 << 61) != 0 {
            mant >>= 1;
            exp += 1;
        }
    }
    let digits: &[u8; 16] = if verb == 'X' {
        b"0123456789ABCDEF"
    } else {
        b"0123456789abcdef"
    };
    out.push('0');
    out.push(verb);
    out.push(if (mant >> 60) & 1 == 1 { '1' } else { '0' });
    mant <<= 4;
    let frac_digits = if prec < 0 { None } else { Some(prec) };
    match frac_digits {
        None if mant != 0 => {
            out.push('.');
            while mant != 0 {
                out.push(char::from(digits[((mant >> 60) & 15) as usize]));
                mant <<= 4;
            }
        }
        Some(n) if n > 0 => {
            out.push('.');
            for _ in 0..n {
                out.push(char::from(digits[((mant >> 60) & 15) as usize]));
                mant <<= 4;
            }
        }
        _ => {}
    }
    out.push(if verb == 'X' { 'P' } else { 'p' });
    out.push(if exp < 0 { '-' } else { '+' });
    let _ = write!(out, "{:02}", exp.unsigned_abs());
}

/// Go's `strconv.FormatFloat(f, verb, prec, 64)` for the verbs `e`, `E`, `f`, `g`, `G`, `x`, `X`, `b`
/// (`prec` -1: the shortest representation that reads back as `f`). Digits are rounded on the
/// exact binary value, half to even, as Go rounds.
pub fn format_float(f: f64, verb: char, prec: i32) -> String {
    if f.is_nan() {
        return "NaN".into();
    }
    if f.is_infinite() {
        return if f > 0.0 { "+Inf" } else { "-Inf" }.into();
    }
    let neg = f.is_sign_negative();
    let abs = f.abs();
    let mut out = String::new();
    if neg {
        out.push('-');
    }
    let shortest = prec < 0;
    match verb {
        'x' | 'X' => fmt_hex_float(&mut out, abs, verb, prec),
        'b' => {
            let (mant, exp) = mantissa_exponent(abs);
            let _ = write!(out, "{mant}p{:+}", exp - 52);
        }
        'f' | 'F' => {
            if shortest {
                let d = Digits::shortest(abs);
                let p = (d.nd() as i32 - d.dp).max(0);
                fmt_f(&mut out, &d, p);
            } else {
                let _ = write!(out, "{:.*}", prec as usize, abs);
            }
        }
        'e' | 'E' => {
            let (d, p) = if shortest {
                let d = Digits::shortest(abs);
                let p = d.nd() as i32 - 1;
                (d, p)
            } else {
                (Digits::fixed(abs, prec as usize + 1), prec)
            };
            fmt_e(&mut out, &d, p, verb);
        }
        _ => {
            // 'g' / 'G'
            let (d, mut p) = if shortest {
                let d = Digits::shortest(abs);
                let n = d.nd() as i32;
                (d, n)
            } else {
                let p = prec.max(1);
                (Digits::fixed(abs, p as usize), p)
            };
            let mut eprec = p;
            let nd = d.nd() as i32;
            if eprec > nd && nd >= d.dp {
                eprec = nd;
            }
            if shortest {
                eprec = 6;
            }
            let exp = d.dp - 1;
            let e = if verb == 'G' { 'E' } else { 'e' };
            if exp < -4 || exp >= eprec {
                if p > nd {
                    p = nd;
                }
                fmt_e(&mut out, &d, p - 1, e);
            } else {
                if p > d.dp {
                    p = nd;
                }
                fmt_f(&mut out, &d, (p - d.dp).max(0));
            }
        }
    }
    out
}

/// A non-negative float as decimal digits `0.d1d2d3... × 10^dp`, trailing zeros trimmed (no
/// digits for zero).
struct Digits {
    d: Vec<u8>,
    dp: i32,
}

impl Digits {
    fn nd(&self) -> usize {
        self.d.len()
    }

    fn from_exp_form(s: &str) -> Digits {
        let (mant, exp) = s.split_once('e').unwrap_or((s, "0"));
        let exp: i32 = exp.parse().unwrap_or(0);
        let mut d: Vec<u8> = mant.bytes().filter(u8::is_ascii_digit).collect();
        while d.last() == Some(&b'0') {
            d.pop();
        }
        if d.is_empty() {
            return Digits { d, dp: 0 };
        }
        Digits { d, dp: exp + 1 }
    }

    fn shortest(abs: f64) -> Digits {
        Digits::from_exp_form(&format!("{abs:e}"))
    }

    /// `n` significant digits (n >= 1), correctly rounded.
    fn fixed(abs: f64, n: usize) -> Digits {
        Digits::from_exp_form(&format!("{:.*e}", n.saturating_sub(1), abs))
    }
}

fn fmt_e(out: &mut String, d: &Digits, prec: i32, e: char) {
    out.push(char::from(d.d.first().copied().unwrap_or(b'0')));
    if prec > 0 {
        out.push('.');
        let mut i = 1;
        let m = d.nd().min(prec as usize + 1);
        if i < m {
            out.extend(d.d[i..m].iter().map(|&b| char::from(b)));
            i = m;
        }
        while i <= prec as usize {
            out.push('0');
            i += 1;
        }
    }
    out.push(e);
    let exp = if d.nd() == 0 { 0 } else { d.dp - 1 };
    out.push(if exp < 0 { '-' } else { '+' });
    let _ = write!(out, "{:02}", exp.unsigned_abs());
}

fn fmt_f(out: &mut String, d: &Digits, prec: i32) {
    if d.dp > 0 {
        let m = (d.dp as usize).min(d.nd());
        out.extend(d.d[..m].iter().map(|&b| char::from(b)));
        for _ in m..d.dp as usize {
            out.push('0');
        }
    } else {
        out.push('0');
    }
    if prec > 0 {
        out.push('.');
        for i in 1..=prec {
            let j = d.dp + i - 1;
            let c = if j >= 0 && (j as usize) < d.nd() {
                d.d[j as usize]
            } else {
                b'0'
            };
            out.push(char::from(c));
        }
    }
}

/// Go's `strconv.Quote` (`ascii`: `QuoteToASCII`).
pub fn go_quote(s: &str, ascii: bool) -> String {
    let mut out = String::with_capacity(s.len() + 2);
    out.push('"');
    for c in s.chars() {
        quote_rune_into(c, '"', ascii, &mut out);
    }
    out.push('"');
    out
}

/// Go's `strconv.QuoteRune`.
pub fn go_quote_rune(c: char, ascii: bool) -> String {
    let mut out = String::from("'");
    quote_rune_into(c, '\'', ascii, &mut out);
    out.push('\'');
    out
}

fn quote_rune_into(c: char, quote: char, ascii: bool, out: &mut String) {
    if let Some(b) = crate::gotmpl::value::raw_byte(c) {
        // A byte outside UTF-8 of a Go string: strconv.Quote writes it as \xff.
        let _ = write!(out, "\\x{b:02x}");
        return;
    }
    if c == quote || c == '\\' {
        out.push('\\');
        out.push(c);
        return;
    }
    if ascii {
        if c.is_ascii() && is_print(c) {
            out.push(c);
            return;
        }
    } else if is_print(c) {
        out.push(c);
        return;
    }
    match c {
        '\u{7}' => out.push_str("\\a"),
        '\u{8}' => out.push_str("\\b"),
        '\u{c}' => out.push_str("\\f"),
        '\n' => out.push_str("\\n"),
        '\r' => out.push_str("\\r"),
        '\t' => out.push_str("\\t"),
        '\u{b}' => out.push_str("\\v"),
        c if (c as u32) < 0x20 || c == '\u{7f}' => {
            let _ = write!(out, "\\x{:02x}", c as u32);
        }
        c if (c as u32) < 0x10000 => {
            let _ = write!(out, "\\u{:04x}", c as u32);
        }
        c => {
            let _ = write!(out, "\\U{:08x}", c as u32);
        }
    }
}

/// Go's `fmt` flags of one verb.
#[derive(Clone, Copy, Default)]
struct Spec {
    plus: bool,
    minus: bool,
    sharp: bool,
    space: bool,
    zero: bool,
    plus_v: bool,
    sharp_v: bool,
    wid: Option<usize>,
    prec: Option<usize>,
}

/// Widths and precisions past this are refused, as Go refuses them (`%!(BADWIDTH)`).
pub(crate) const MAX_WIDTH: i64 = 1_000_000;

/// Go's `fmt.Sprintf(format, args...)`: verbs `%v %+v %#v %T %s %q %x %X %d %b %o %O %c %U %e
/// %E %f %F %g %G %t %%`, flags `+ - # 0 space`, width and precision (`*` too), argument
/// indexes (`%[2]d`), and Go's error forms (`%!d(string=x)`, `%!s(MISSING)`,
/// `%!(EXTRA int=3)`, `%!(NOVERB)`, `%!(BADWIDTH)`).
pub fn sprintf(format: &str, args: &[Value]) -> String {
    let mut out = String::new();
    let b = format.as_bytes();
    let end = b.len();
    let mut arg_num = 0usize;
    let mut reordered = false;
    let mut i = 0;
    while i < end {
        let lasti = i;
        while i < end && b[i] != b'%' {
            i += 1;
        }
        if i > lasti {
            out.push_str(&format[lasti..i]);
        }
        if i >= end {
            break;
        }
        i += 1; // the '%'
        let mut sp = Spec::default();
        // Flags.
        while i < end {
            match b[i] {
                b'#' => sp.sharp = true,
                b'0' => sp.zero = !sp.minus,
                b'+' => sp.plus = true,
                b'-' => {
                    sp.minus = true;
                    sp.zero = false;
                }
                b' ' => sp.space = true,
                _ => break,
            }
            i += 1;
        }
        // Argument index, then width.
        let mut good_arg_num = true;
        let mut after_index;
        (arg_num, i, after_index) = arg_number(arg_num, format, i, args.len(), &mut good_arg_num);
        if after_index {
            reordered = true;
        }
        if i < end && b[i] == b'*' {
            i += 1;
            match int_from_arg(args, &mut arg_num) {
                Some(w) if w.abs() <= MAX_WIDTH => {
                    if w < 0 {
                        sp.minus = true;
                        sp.zero = false;
                    }
                    sp.wid = Some(w.unsigned_abs() as usize);
                }
                _ => out.push_str("%!(BADWIDTH)"),
            }
            after_index = false;
        } else {
            let (n, ok, ni) = parse_num(b, i);
            i = ni;
            if ok {
                sp.wid = Some(n);
                if after_index {
                    // "%[3]2d"
                    good_arg_num = false;
                }
            }
        }
        // Precision.
        if i < end && b[i] == b'.' {
            i += 1;
            if after_index {
                good_arg_num = false;
            }
            (arg_num, i, after_index) =
                arg_number(arg_num, format, i, args.len(), &mut good_arg_num);
            if after_index {
                reordered = true;
            }
            if i < end && b[i] == b'*' {
                i += 1;
                match int_from_arg(args, &mut arg_num) {
                    Some(p) if (0..=MAX_WIDTH).contains(&p) => sp.prec = Some(p as usize),
                    Some(p) if p < 0 => sp.prec = None,
                    _ => out.push_str("%!(BADPREC)"),
                }
                after_index = false;
            } else {
                let (n, ok, ni) = parse_num(b, i);
                i = ni;
                sp.prec = Some(if ok { n } else { 0 });
            }
        }
        if !after_index {
            (arg_num, i, after_index) =
                arg_number(arg_num, format, i, args.len(), &mut good_arg_num);
            if after_index {
                reordered = true;
            }
        }
        if i >= end {
            out.push_str("%!(NOVERB)");
            break;
        }
        let verb = format[i..].chars().next().unwrap_or('%');
        i += verb.len_utf8();
        if verb == '%' {
            out.push('%');
            continue;
        }
        if !good_arg_num {
            let _ = write!(out, "%!{verb}(BADINDEX)");
            continue;
        }
        if arg_num >= args.len() {
            let _ = write!(out, "%!{verb}(MISSING)");
            continue;
        }
        if verb == 'v' {
            sp.sharp_v = sp.sharp;
            sp.sharp = false;
            sp.plus_v = sp.plus;
            sp.plus = false;
        }
        print_arg(&mut out, &args[arg_num], verb, &sp);
        arg_num += 1;
    }
    if !reordered && arg_num < args.len() {
        out.push_str("%!(EXTRA ");
        for (k, a) in args[arg_num..].iter().enumerate() {
            if k > 0 {
                out.push_str(", ");
            }
            if a.is_nil() {
                out.push_str("<nil>");
            } else {
                out.push_str(&a.type_name());
                out.push('=');
                print_arg(&mut out, a, 'v', &Spec::default());
            }
        }
        out.push(')');
    }
    out
}

/// Go's `parsenum`: a decimal number at `i` (None past 1e6).
fn parse_num(b: &[u8], mut i: usize) -> (usize, bool, usize) {
    let start = i;
    let mut n: i64 = 0;
    while i < b.len() && b[i].is_ascii_digit() {
        n = n * 10 + i64::from(b[i] - b'0');
        if n > MAX_WIDTH {
            // Go gives up on a crazy long number (the rest is read as the verb).
            return (0, false, i);
        }
        i += 1;
    }
    (n as usize, i > start, i)
}

/// Go's `argNumber`: an explicit `[n]` argument index at `i`.
fn arg_number(
    arg_num: usize,
    format: &str,
    i: usize,
    num_args: usize,
    good: &mut bool,
) -> (usize, usize, bool) {
    let b = format.as_bytes();
    if i >= b.len() || b[i] != b'[' {
        return (arg_num, i, false);
    }
    // Go's parseArgNumber.
    let mut j = i + 1;
    while j < b.len() && b[j] != b']' {
        j += 1;
    }
    if j >= b.len() {
        *good = false;
        return (arg_num, i + 1, false);
    }
    let inner = &format[i + 1..j];
    match inner.parse::<usize>() {
        Ok(n) if inner.bytes().all(|c| c.is_ascii_digit()) && n >= 1 && n - 1 < num_args => {
            (n - 1, j + 1, true)
        }
        _ => {
            *good = false;
            (arg_num, j + 1, true)
        }
    }
}

fn int_from_arg(args: &[Value], arg_num: &mut usize) -> Option<i64> {
    let a = args.get(*arg_num)?;
    *arg_num += 1;
    a.as_int()
}

fn pad(out: &mut String, s: &str, sp: &Spec) {
    let Some(wid) = sp.wid else {
        out.push_str(s);
        return;
    };
    let n = s.chars().count();
    if n >= wid {
        out.push_str(s);
        return;
    }
    let fill = if sp.zero && !sp.minus { '0' } else { ' ' };
    if sp.minus {
        out.push_str(s);
        out.extend(std::iter::repeat_n(' ', wid - n));
    } else {
        out.extend(std::iter::repeat_n(fill, wid - n));
        out.push_str(s);
    }
}

fn write_padding(out: &mut String, n: usize, sp: &Spec) {
    let fill = if sp.zero && !sp.minus { '0' } else { ' ' };
    out.extend(std::iter::repeat_n(fill, n));
}

fn bad_verb(out: &mut String, v: &Value, verb: char, sp: &Spec) {
    let _ = write!(out, "%!{verb}(");
    if v.is_nil() {
        out.push_str("<nil>");
    } else {
        out.push_str(&v.type_name());
        out.push('=');
        print_arg(out, v, 'v', sp);
    }
    out.push(')');
}

/// Go's `printArg` for one operand.
fn print_arg(out: &mut String, v: &Value, verb: char, sp: &Spec) {
    if verb == 'T' {
        fmt_s(out, &v.type_name(), sp);
        return;
    }
    match v {
        Value::Nil => match verb {
            'v' => pad(out, "<nil>", sp),
            _ => bad_verb(out, v, verb, sp),
        },
        _ => print_value(out, v, verb, sp, 0),
    }
}

fn print_value(out: &mut String, v: &Value, verb: char, sp: &Spec, depth: usize) {
    if depth > MAX_PRINT_DEPTH || out.len() > MAX_PRINT_BYTES {
        out.push_str("...");
        return;
    }
    match v {
        Value::Nil => {
            if depth == 0 {
                print_arg(out, v, verb, sp)
            } else if sp.sharp_v {
                out.push_str("interface {}(nil)");
            } else {
                // Go writes a nil inside a list or map without padding.
                out.push_str("<nil>");
            }
        }
        Value::Bool(b) => match verb {
            't' | 'v' => pad(out, if *b { "true" } else { "false" }, sp),
            _ => bad_verb(out, v, verb, sp),
        },
        Value::Int(i) | Value::Int64(i) => fmt_int(out, *i, v, verb, sp),
        Value::Float(f) => fmt_float_verb(out, *f, v, verb, sp),
        Value::Str(s) => fmt_string(out, s, v, verb, sp),
        Value::Bytes(bytes) => match verb {
            'v' | 'd' if !sp.sharp_v => {
                out.push('[');
                for (k, c) in bytes.iter().enumerate() {
                    if k > 0 {
                        out.push(' ');
                    }
                    fmt_integer(out, u64::from(*c), false, false, 10, verb, sp);
                }
                out.push(']');
            }
            's' => fmt_s(out, &crate::gotmpl::value::go_string_from_bytes(bytes), sp),
            'x' => fmt_sbx(out, bytes, false, sp),
            'X' => fmt_sbx(out, bytes, true, sp),
            'q' => fmt_q(out, &crate::gotmpl::value::go_string_from_bytes(bytes), sp),
            _ => {
                out.push('[');
                for (k, c) in bytes.iter().enumerate() {
                    if k > 0 {
                        out.push(' ');
                    }
                    fmt_int(out, i64::from(*c), &Value::Int(i64::from(*c)), verb, sp);
                }
                out.push(']');
            }
        },
        Value::List(items, _) => {
            if sp.sharp_v {
                out.push_str(&v.type_name());
                out.push('{');
                for (k, x) in items.iter().enumerate() {
                    if k > 0 {
                        out.push_str(", ");
                    }
                    print_value(out, x, verb, sp, depth + 1);
                }
                out.push('}');
                return;
            }
            out.push('[');
            for (k, x) in items.iter().enumerate() {
                if k > 0 {
                    out.push(' ');
                }
                print_value(out, x, verb, sp, depth + 1);
            }
            out.push(']');
        }
        Value::Map(m, _) => {
            let m = m.borrow();
            if sp.sharp_v {
                out.push_str(&v.type_name());
                out.push('{');
            } else {
                out.push_str("map[");
            }
            for (k, (key, x)) in m.iter().enumerate() {
                if k > 0 {
                    out.push_str(if sp.sharp_v { ", " } else { " " });
                }
                fmt_string(out, key, &Value::Nil, verb, sp);
                out.push(':');
                print_value(out, x, verb, sp, depth + 1);
            }
            out.push(if sp.sharp_v { '}' } else { ']' });
        }
        Value::Object(o) => match (o.fields_by_value(), verb) {
            (Some(fields), _) if !sp.sharp_v => {
                out.push('{');
                for (i, (name, x)) in fields.iter().enumerate() {
                    if i > 0 {
                        out.push(' ');
                    }
                    if sp.plus_v {
                        out.push_str(name);
                        out.push(':');
                    }
                    print_value(out, x, verb, sp, depth + 1);
                }
                out.push('}');
            }
            (_, 'v') if sp.plus_v => fmt_string(out, &o.display_plus(), v, verb, sp),
            (_, 'v' | 's' | 'x' | 'X' | 'q') => fmt_string(out, &o.display(), v, verb, sp),
            _ => bad_verb(out, &Value::str(&o.display()), verb, sp),
        },
    }
}

fn fmt_int(out: &mut String, i: i64, v: &Value, verb: char, sp: &Spec) {
    let u = i as u64;
    match verb {
        'v' | 'd' => fmt_integer(out, u, true, false, 10, verb, sp),
        'b' => fmt_integer(out, u, true, false, 2, verb, sp),
        'o' | 'O' => fmt_integer(out, u, true, false, 8, verb, sp),
        'x' => fmt_integer(out, u, true, false, 16, verb, sp),
        'X' => fmt_integer(out, u, true, true, 16, verb, sp),
        'c' => {
            let c = u32::try_from(i)
                .ok()
                .and_then(char::from_u32)
                .unwrap_or('\u{FFFD}');
            pad(out, c.encode_utf8(&mut [0; 4]), sp);
        }
        'q' => {
            let c = u32::try_from(i)
                .ok()
                .and_then(char::from_u32)
                .unwrap_or('\u{FFFD}');
            pad(out, &go_quote_rune(c, sp.plus), sp);
        }
        'U' => {
            let mut s = format!("U+{:04X}", u);
            if sp.sharp {
                if let Some(c) = u32::try_from(i).ok().and_then(char::from_u32) {
                    if is_print(c) {
                        let _ = write!(s, " '{c}'");
                    }
                }
            }
            let mut sp2 = *sp;
            sp2.zero = false;
            pad(out, &s, &sp2);
        }
        _ => bad_verb(out, v, verb, sp),
    }
}

/// Go's `fmt.fmtInteger`.
fn fmt_integer(
    out: &mut String,
    u: u64,
    signed: bool,
    upper: bool,
    base: u32,
    verb: char,
    sp: &Spec,
) {
    let negative = signed && (u as i64) < 0;
    let mag = if negative {
        (u as i64).unsigned_abs()
    } else {
        u
    };
    let mut prec = 0usize;
    if let Some(p) = sp.prec {
        prec = p;
        if p == 0 && mag == 0 {
            let mut sp2 = *sp;
            sp2.zero = false;
            write_padding(out, sp.wid.unwrap_or(0), &sp2);
            return;
        }
    } else if sp.zero && !sp.minus {
        if let Some(w) = sp.wid {
            prec = w;
            if negative || sp.plus || sp.space {
                prec = prec.saturating_sub(1);
            }
        }
    }
    let mut digits = match base {
        2 => format!("{mag:b}"),
        8 => format!("{mag:o}"),
        16 if upper => format!("{mag:X}"),
        16 => format!("{mag:x}"),
        _ => mag.to_string(),
    };
    if digits.len() < prec {
        digits = "0".repeat(prec - digits.len()) + &digits;
    }
    let mut prefix = String::new();
    if sp.sharp {
        match base {
            2 => prefix.push_str("0b"),
            8 if !digits.starts_with('0') => prefix.push('0'),
            16 => prefix.push_str(if upper { "0X" } else { "0x" }),
            _ => {}
        }
    }
    if verb == 'O' {
        prefix = "0o".into();
    }
    let sign = if negative {
        "-"
    } else if sp.plus {
        "+"
    } else if sp.space {
        " "
    } else {
        ""
    };
    let s = format!("{sign}{prefix}{digits}");
    let mut sp2 = *sp;
    sp2.zero = false;
    pad(out, &s, &sp2);
}

fn fmt_float_verb(out: &mut String, f: f64, v: &Value, verb: char, sp: &Spec) {
    let (conv, default_prec) = match verb {
        'v' => ('g', -1),
        'g' | 'G' => (verb, -1),
        'b' | 'x' | 'X' => (verb, -1),
        'e' | 'E' | 'f' => (verb, 6),
        'F' => ('f', 6),
        _ => return bad_verb(out, v, verb, sp),
    };
    let prec = sp.prec.map_or(default_prec, |p| p as i32);
    let mut num = format_float(f, conv, prec);
    if sp.sharp_v && verb == 'v' {
        // %#v: Go syntax (a float keeps a decimal point or exponent).
        if !num.contains(['.', 'e', 'I', 'N']) {
            num.push_str(".0");
        }
    }
    if !num.starts_with(['-', '+']) {
        num.insert(0, '+');
    }
    if sp.space && num.starts_with('+') && !sp.plus {
        num.replace_range(0..1, " ");
    }
    if num[1..].starts_with(['I', 'N']) {
        let mut sp2 = *sp;
        sp2.zero = false;
        if num[1..].starts_with('N') && !sp.space && !sp.plus {
            num.remove(0);
        }
        pad(out, &num, &sp2);
        return;
    }
    if sp.sharp && verb != 'b' {
        sharp_float(&mut num, verb, sp.prec);
    }
    if sp.plus || !num.starts_with('+') {
        if sp.zero && !sp.minus {
            if let Some(w) = sp.wid {
                if w > num.len() {
                    out.push_str(&num[..1]);
                    write_padding(out, w - num.len(), sp);
                    out.push_str(&num[1..]);
                    return;
                }
            }
        }
        pad(out, &num, sp);
        return;
    }
    pad(out, &num[1..], sp);
}

/// The `#` flag of a float verb: always a decimal point; `%#g` keeps trailing zeros.
fn sharp_float(num: &mut String, verb: char, prec: Option<usize>) {
    let mut digits: i64 = match verb {
        'v' | 'g' | 'G' | 'x' => prec.map_or(6, |p| p as i64),
        _ => 0,
    };
    let (body, tail) = match num.find(['e', 'E']) {
        Some(p) => (num[..p].to_string(), num[p..].to_string()),
        None => (num.clone(), String::new()),
    };
    let mut saw_nonzero = false;
    let mut body_out = String::new();
    let mut has_point = false;
    for (k, c) in body.chars().enumerate() {
        if k == 0 {
            body_out.push(c);
            continue;
        }
        match c {
            '.' => has_point = true,
            '0'..='9' => {
                if c != '0' {
                    saw_nonzero = true;
                }
                if saw_nonzero {
                    digits -= 1;
                }
            }
            _ => {}
        }
        body_out.push(c);
    }
    if !has_point {
        if body_out.len() == 2 && body_out.ends_with('0') {
            digits -= 1;
        }
        body_out.push('.');
    }
    while digits > 0 {
        body_out.push('0');
        digits -= 1;
    }
    *num = body_out + &tail;
}

fn fmt_string(out: &mut String, s: &str, v: &Value, verb: char, sp: &Spec) {
    match verb {
        'v' if sp.sharp_v => fmt_q(out, s, sp),
        'v' | 's' => fmt_s(out, s, sp),
        'x' => fmt_sbx(out, s.as_bytes(), false, sp),
        'X' => fmt_sbx(out, s.as_bytes(), true, sp),
        'q' => fmt_q(out, s, sp),
        _ => {
            if v.is_nil() {
                bad_verb(out, &Value::str(s), verb, sp)
            } else {
                bad_verb(out, v, verb, sp)
            }
        }
    }
}

fn truncate<'a>(s: &'a str, sp: &Spec) -> &'a str {
    if let Some(p) = sp.prec {
        if let Some((idx, _)) = s.char_indices().nth(p) {
            return &s[..idx];
        }
    }
    s
}

fn fmt_s(out: &mut String, s: &str, sp: &Spec) {
    pad(out, truncate(s, sp), sp);
}

fn fmt_q(out: &mut String, s: &str, sp: &Spec) {
    let s = truncate(s, sp);
    if sp.sharp && !s.contains('`') && s.chars().all(|c| c == '\t' || !c.is_control()) {
        pad(out, &format!("`{s}`"), sp);
        return;
    }
    pad(out, &go_quote(s, sp.plus), sp);
}

/// Go's `fmtSbx`: hex of a string's or byte slice's bytes.
fn fmt_sbx(out: &mut String, b: &[u8], upper: bool, sp: &Spec) {
    let length = sp.prec.map_or(b.len(), |p| p.min(b.len()));
    let mut width = 2 * length;
    if width > 0 {
        if sp.space {
            if sp.sharp {
                width *= 2;
            }
            width += length - 1;
        } else if sp.sharp {
            width += 2;
        }
    } else {
        if let Some(w) = sp.wid {
            write_padding(out, w, sp);
        }
        return;
    }
    let wid = sp.wid.unwrap_or(0);
    if wid > width && !sp.minus {
        write_padding(out, wid - width, sp);
    }
    let x = if upper { "0X" } else { "0x" };
    if sp.sharp {
        out.push_str(x);
    }
    for (i, c) in b[..length].iter().enumerate() {
        if sp.space && i > 0 {
            out.push(' ');
            if sp.sharp {
                out.push_str(x);
            }
        }
        if upper {
            let _ = write!(out, "{c:02X}");
        } else {
            let _ = write!(out, "{c:02x}");
        }
    }
    if wid > width && sp.minus {
        write_padding(out, wid - width, sp);
    }
}
