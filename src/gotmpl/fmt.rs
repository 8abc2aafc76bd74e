//! Go's `fmt` for template values: `%v` printing (`fmt.Sprint`), `Sprintf` with Go's verbs,
//! flags, widths and error forms (`%!d(string=x)`, `%!s(MISSING)`, `%!(EXTRA ...)`).

use super::value::Value;

/// `fmt.Sprint(v)`: how Go prints one value with `%v`.
pub fn sprint_one(v: &Value) -> String {
    let mut out = String::new();
    write_v(v, &mut out, true);
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
                write_v(x, out, false);
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
                write_v(x, out, false);
            }
            out.push(']');
        }
        Value::Object(o) => out.push_str(&o.display()),
    }
}

/// `strconv.FormatFloat(f, 'g', -1, 64)`, which `%v` uses for a float64: the shortest
/// representation, in exponent form when the exponent is below -4 or at least 6
/// (`1e+06`, `8.388608e+06`, `1e-05`).
pub fn format_float_g(f: f64) -> String {
    crate::emit::goyaml::format_go_float(f)
        .replace(".nan", "NaN")
        .replace(".inf", "Inf")
}
