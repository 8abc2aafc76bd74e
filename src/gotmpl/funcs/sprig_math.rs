//! Sprig's arithmetic (`numeric.go` and the closures of `functions.go`): integer functions
//! convert every operand with cast's `ToInt64` and compute in int64 (wrapping, as Go);
//! the `...f` functions go through shopspring/decimal (the operands' shortest decimal forms,
//! exact sums and products, quotients rounded to 16 places) and back to float64.

use num_bigint::BigInt;

use super::cast::{any_arg, int_arg, to_float64, to_int64};
use super::{Env, Func, Ty};
use crate::gotmpl::{FuncError, Value};

type R = Result<Value, FuncError>;

use Ty::{Any, Float, Int};

pub const FUNCS: &[Func] = &[
    f!("add1", [Any], None, "Adds 1 (as int64).", |_, a| Ok(
        Value::Int64(to_int64(&any_arg(&a, 0)).wrapping_add(1))
    )),
    f!(
        "add",
        [],
        Some(Any),
        "The sum of the arguments (as int64).",
        |_, a| {
            Ok(Value::Int64(
                a.iter().fold(0i64, |s, v| s.wrapping_add(to_int64(v))),
            ))
        }
    ),
    f!(
        "sub",
        [Any, Any],
        None,
        "`sub A B`: A minus B (as int64).",
        |_, a| {
            Ok(Value::Int64(
                to_int64(&any_arg(&a, 0)).wrapping_sub(to_int64(&any_arg(&a, 1))),
            ))
        }
    ),
    f!(
        "div",
        [Any, Any],
        None,
        "`div A B`: A divided by B, truncated (as int64).",
        |_, a| {
            let (x, y) = (to_int64(&any_arg(&a, 0)), to_int64(&any_arg(&a, 1)));
            if y == 0 {
                return Err(FuncError::new("runtime error: integer divide by zero"));
            }
            Ok(Value::Int64(x.wrapping_div(y)))
        }
    ),
    f!(
        "mod",
        [Any, Any],
        None,
        "`mod A B`: the remainder of A divided by B (as int64).",
        |_, a| {
            let (x, y) = (to_int64(&any_arg(&a, 0)), to_int64(&any_arg(&a, 1)));
            if y == 0 {
                return Err(FuncError::new("runtime error: integer divide by zero"));
            }
            Ok(Value::Int64(x.wrapping_rem(y)))
        }
    ),
    f!(
        "mul",
        [Any],
        Some(Any),
        "The product of the arguments (as int64).",
        |_, a| {
            Ok(Value::Int64(
                a.iter().skip(1).fold(to_int64(&any_arg(&a, 0)), |s, v| {
                    s.wrapping_mul(to_int64(v))
                }),
            ))
        }
    ),
    f!(
        "max",
        [Any],
        Some(Any),
        "The largest argument (as int64).",
        |_, a| Ok(Value::Int64(ints(&a).max().unwrap_or(0)))
    ),
    f!("biggest", [Any], Some(Any), "Same as `max`.", |_, a| Ok(
        Value::Int64(ints(&a).max().unwrap_or(0))
    )),
    f!(
        "min",
        [Any],
        Some(Any),
        "The smallest argument (as int64).",
        |_, a| Ok(Value::Int64(ints(&a).min().unwrap_or(0)))
    ),
    f!(
        "maxf",
        [Any],
        Some(Any),
        "The largest argument (as float64).",
        |_, a| {
            Ok(Value::Float(
                a.iter()
                    .skip(1)
                    .fold(to_float64(&any_arg(&a, 0)), |m, v| go_max(m, to_float64(v))),
            ))
        }
    ),
    f!(
        "minf",
        [Any],
        Some(Any),
        "The smallest argument (as float64).",
        |_, a| {
            Ok(Value::Float(
                a.iter()
                    .skip(1)
                    .fold(to_float64(&any_arg(&a, 0)), |m, v| go_min(m, to_float64(v))),
            ))
        }
    ),
    f!(
        "floor",
        [Any],
        None,
        "The greatest integer value not above the argument (as float64).",
        |_, a| { Ok(Value::Float(to_float64(&any_arg(&a, 0)).floor())) }
    ),
    f!(
        "ceil",
        [Any],
        None,
        "The least integer value not below the argument (as float64).",
        |_, a| { Ok(Value::Float(to_float64(&any_arg(&a, 0)).ceil())) }
    ),
    f!(
        "round",
        [Any, Int],
        Some(Float),
        "`round X PLACES [ROUND_ON]`: rounds to PLACES decimals.",
        round
    ),
    f!(
        "add1f",
        [Any],
        None,
        "Adds 1 (as float64, through decimals).",
        |_, a| { decimal_op(&any_arg(&a, 0), &[Value::Int(1)], Op::Add) }
    ),
    f!(
        "addf",
        [],
        Some(Any),
        "The sum of the arguments (as float64, through decimals).",
        |_, a| { decimal_op(&Value::Float(0.0), &a, Op::Add) }
    ),
    f!(
        "subf",
        [Any],
        Some(Any),
        "The first argument minus the others (as float64).",
        |_, a| { decimal_op(&any_arg(&a, 0), a.get(1..).unwrap_or(&[]), Op::Sub) }
    ),
    f!(
        "mulf",
        [Any],
        Some(Any),
        "The product of the arguments (as float64).",
        |_, a| { decimal_op(&any_arg(&a, 0), a.get(1..).unwrap_or(&[]), Op::Mul) }
    ),
    f!(
        "divf",
        [Any],
        Some(Any),
        "The first argument divided by the others (as float64).",
        |_, a| { decimal_op(&any_arg(&a, 0), a.get(1..).unwrap_or(&[]), Op::Div) }
    ),
    f!(
        "randInt",
        [Int, Int],
        None,
        "`randInt MIN MAX`: a random int from MIN up to (not including) MAX.",
        rand_int
    ),
];

fn ints(a: &[Value]) -> impl Iterator<Item = i64> + '_ {
    a.iter().map(to_int64)
}

/// Go's `math.Max`.
pub fn go_max(x: f64, y: f64) -> f64 {
    if x == f64::INFINITY || y == f64::INFINITY {
        f64::INFINITY
    } else if x.is_nan() || y.is_nan() {
        f64::NAN
    } else if x == 0.0 && x == y {
        if x.is_sign_negative() {
            y
        } else {
            x
        }
    } else if x > y {
        x
    } else {
        y
    }
}

/// Go's `math.Min`.
pub fn go_min(x: f64, y: f64) -> f64 {
    if x == f64::NEG_INFINITY || y == f64::NEG_INFINITY {
        f64::NEG_INFINITY
    } else if x.is_nan() || y.is_nan() {
        f64::NAN
    } else if x == 0.0 && x == y {
        if x.is_sign_negative() {
            x
        } else {
            y
        }
    } else if x < y {
        x
    } else {
        y
    }
}

fn frexp(x: f64) -> (f64, i32) {
    if x == 0.0 || x.is_nan() || x.is_infinite() {
        return (x, 0);
    }
    let (mut x, mut e) = (x, 0);
    if x.abs() < f64::MIN_POSITIVE {
        x *= (1u64 << 52) as f64;
        e = -52;
    }
    let bits = x.to_bits();
    e += ((bits >> 52) & 0x7ff) as i32 - 1022;
    let frac = f64::from_bits((bits & !(0x7ff << 52)) | (1022 << 52));
    (frac, e)
}

fn ldexp(frac: f64, exp: i32) -> f64 {
    // Scale in steps that stay in range; the last multiplication rounds once, as Go's does
    // for normal results.
    let mut x = frac;
    let mut e = exp;
    while e > 1000 {
        x *= 2f64.powi(1000);
        e -= 1000;
    }
    while e < -1000 {
        x *= 2f64.powi(-1000);
        e += 1000;
    }
    x * 2f64.powi(e)
}

/// Go's `math.Pow(x, y)` for an integral `y` (repeated squaring on the mantissa).
pub fn go_pow_int(x: f64, y: i64) -> f64 {
    if y == 0 || x == 1.0 {
        return 1.0;
    }
    if y == 1 {
        return x;
    }
    if x.is_nan() {
        return f64::NAN;
    }
    if x == 0.0 || x.is_infinite() {
        return x.powf(y as f64);
    }
    let (mut a1, mut ae) = (1.0f64, 0i64);
    let (mut x1, xe0) = frexp(x);
    let mut xe = i64::from(xe0);
    let mut i = y.unsigned_abs();
    while i != 0 {
        if !(-(1 << 12)..=(1 << 12)).contains(&xe) {
            ae += xe;
            break;
        }
        if i & 1 == 1 {
            a1 *= x1;
            ae += xe;
        }
        x1 *= x1;
        xe <<= 1;
        if x1 < 0.5 {
            x1 += x1;
            xe -= 1;
        }
        i >>= 1;
    }
    if y < 0 {
        a1 = 1.0 / a1;
        ae = -ae;
    }
    ldexp(a1, ae.clamp(-100_000, 100_000) as i32)
}

fn round(_: &mut dyn Env, a: Vec<Value>) -> R {
    let round_on = match a.get(2) {
        Some(Value::Float(f)) => *f,
        _ => 0.5,
    };
    let val = to_float64(&any_arg(&a, 0));
    let pow = go_pow_int(10.0, int_arg(&a, 1));
    let digit = pow * val;
    let frac = digit - digit.trunc();
    let r = if frac >= round_on {
        digit.ceil()
    } else {
        digit.floor()
    };
    Ok(Value::Float(r / pow))
}

fn rand_int(e: &mut dyn Env, a: Vec<Value>) -> R {
    let (min, max) = (int_arg(&a, 0), int_arg(&a, 1));
    let n = max.wrapping_sub(min);
    if n <= 0 {
        return Err(FuncError::new("invalid argument to Intn"));
    }
    let r = super::sprig_strings::rand_below(e, n as u64) as i64;
    Ok(Value::Int(r.wrapping_add(min)))
}

// ---------------------------------------------------------------------------------------
// shopspring/decimal, as far as Sprig uses it.

/// `mantissa × 10^exp`.
#[derive(Clone, Debug)]
struct Decimal {
    m: BigInt,
    exp: i64,
}

#[derive(Clone, Copy)]
enum Op {
    Add,
    Sub,
    Mul,
    Div,
}

/// The precision of `Decimal.Div`.
const DIVISION_PRECISION: i64 = 16;

impl Decimal {
    /// `decimal.NewFromFloat`: the shortest decimal that reads back as `f`.
    fn from_float(f: f64) -> Result<Decimal, FuncError> {
        if f.is_nan() || f.is_infinite() {
            let shown = if f.is_nan() {
                "NaN"
            } else if f > 0.0 {
                "+Inf"
            } else {
                "-Inf"
            };
            return Err(FuncError::new(format!(
                "Cannot create a Decimal from {shown}"
            )));
        }
        let text = format!("{f:e}");
        let (mant, exp) = text.split_once('e').unwrap_or((&text, "0"));
        let exp: i64 = exp.parse().unwrap_or(0);
        let (int, frac) = mant.split_once('.').unwrap_or((mant, ""));
        let digits = format!("{int}{frac}");
        let m: BigInt = digits.parse().unwrap_or_default();
        Ok(Decimal {
            m,
            exp: exp - frac.len() as i64,
        })
    }

    fn pow10(n: i64) -> BigInt {
        BigInt::from(10u8).pow(n.max(0) as u32)
    }

    fn align(&self, o: &Decimal) -> (BigInt, BigInt, i64) {
        let exp = self.exp.min(o.exp);
        (
            &self.m * Self::pow10(self.exp - exp),
            &o.m * Self::pow10(o.exp - exp),
            exp,
        )
    }

    fn apply(&self, op: Op, o: &Decimal) -> Result<Decimal, FuncError> {
        Ok(match op {
            Op::Add => {
                let (a, b, exp) = self.align(o);
                Decimal { m: a + b, exp }
            }
            Op::Sub => {
                let (a, b, exp) = self.align(o);
                Decimal { m: a - b, exp }
            }
            Op::Mul => Decimal {
                m: &self.m * &o.m,
                exp: self.exp + o.exp,
            },
            Op::Div => {
                if o.m == BigInt::from(0) {
                    return Err(FuncError::new("decimal division by zero"));
                }
                // round(self / o × 10^16) half away from zero, × 10^-16.
                let k = self.exp - o.exp + DIVISION_PRECISION;
                let (num, den) = if k >= 0 {
                    (&self.m * Self::pow10(k), o.m.clone())
                } else {
                    (self.m.clone(), &o.m * Self::pow10(-k))
                };
                let neg = (num < BigInt::from(0)) != (den < BigInt::from(0));
                let (n, d) = (num.magnitude().clone(), den.magnitude().clone());
                let q = (n * 2u8 + &d) / (d * 2u8);
                let q = BigInt::from(q);
                Decimal {
                    m: if neg { -q } else { q },
                    exp: -DIVISION_PRECISION,
                }
            }
        })
    }

    /// The nearest float64.
    fn to_f64(&self) -> f64 {
        if self.exp > 400 && self.m != BigInt::from(0) {
            return if self.m.sign() == num_bigint::Sign::Minus {
                f64::NEG_INFINITY
            } else {
                f64::INFINITY
            };
        }
        format!("{}e{}", self.m, self.exp).parse().unwrap_or(0.0)
    }
}

fn decimal_op(first: &Value, rest: &[Value], op: Op) -> R {
    let mut acc = Decimal::from_float(to_float64(first))?;
    for v in rest {
        let d = Decimal::from_float(to_float64(v))?;
        acc = acc.apply(op, &d)?;
    }
    Ok(Value::Float(acc.to_f64()))
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::super::testenv::{call, i, s, show};
    use super::*;

    fn fl(x: f64) -> Value {
        Value::Float(x)
    }

    #[test]
    fn integer_arithmetic() {
        // Sprig's numeric_test.go and functions' docs.
        assert_eq!(show("add1", vec![i(1)]), "2");
        assert_eq!(show("add", vec![i(1), i(2), i(3)]), "6");
        assert_eq!(show("add", vec![s("1"), fl(2.7), Value::Bool(true)]), "4");
        assert_eq!(show("sub", vec![i(3), i(2)]), "1");
        assert_eq!(show("div", vec![i(6), i(4)]), "1");
        assert_eq!(show("mod", vec![i(7), i(4)]), "3");
        assert_eq!(show("mul", vec![i(1), i(2), i(3)]), "6");
        assert_eq!(show("max", vec![i(1), i(2), i(3)]), "3");
        assert_eq!(show("biggest", vec![i(1), i(2), i(3)]), "3");
        assert_eq!(show("min", vec![i(1), i(2), i(3)]), "1");
        assert_eq!(show("min", vec![i(7)]), "7");
        assert_eq!(
            show("div", vec![i(1), i(0)]),
            "error: runtime error: integer divide by zero"
        );
        assert_eq!(
            show("mod", vec![i(1), s("0")]),
            "error: runtime error: integer divide by zero"
        );
        assert!(matches!(call("add", vec![i(1)]).unwrap(), Value::Int64(1)));
    }

    #[test]
    fn float_arithmetic() {
        assert_eq!(show("maxf", vec![i(1), fl(2.5), i(3)]), "3");
        assert_eq!(show("minf", vec![fl(1.5), i(2), i(3)]), "1.5");
        assert_eq!(show("floor", vec![s("1.5")]), "1");
        assert_eq!(show("ceil", vec![fl(1.1)]), "2");
        assert_eq!(show("round", vec![fl(123.555555), i(3)]), "123.556");
        assert_eq!(show("round", vec![fl(123.55555), i(3), fl(0.4)]), "123.556");
        assert_eq!(show("round", vec![fl(-1.5), i(0)]), "-2");
        // shopspring/decimal makes these exact where float64 would not be.
        assert_eq!(show("addf", vec![fl(0.1), fl(0.2)]), "0.3");
        assert_eq!(show("add1f", vec![fl(1.1)]), "2.1");
        assert_eq!(show("subf", vec![fl(1.5), i(2), i(3)]), "-3.5");
        assert_eq!(show("mulf", vec![fl(1.5), i(2), i(2)]), "6");
        assert_eq!(show("divf", vec![i(10), i(3)]), "3.3333333333333335");
        assert_eq!(show("divf", vec![i(2), i(3)]), "0.6666666666666667");
        // Sprig's numeric_test.go.
        assert_eq!(show("addf", vec![fl(1.5), fl(2.2), i(3)]), "6.7");
        assert_eq!(show("divf", vec![i(5), i(4), i(2)]), "0.625");
        assert_eq!(
            show("mulf", vec![s("2.4"), i(10), s("4"), fl(1.2)]),
            "115.2"
        );
        assert_eq!(show("subf", vec![fl(4.5), i(1), i(3)]), "0.5");
        assert_eq!(show("ceil", vec![s("123.01")]), "124");
        assert_eq!(show("floor", vec![fl(123.9999)]), "123");
        assert_eq!(
            show("divf", vec![i(1), i(0)]),
            "error: decimal division by zero"
        );
        assert_eq!(show("addf", vec![]), "0");
        assert!(
            matches!(call("mulf", vec![fl(1e300), fl(1e300)]).unwrap(), Value::Float(f) if f == f64::INFINITY)
        );
    }

    #[test]
    fn rand_int_in_range() {
        for _ in 0..20 {
            let v = call("randInt", vec![i(5), i(8)]).unwrap().as_int().unwrap();
            assert!((5..8).contains(&v));
        }
        assert_eq!(
            show("randInt", vec![i(3), i(3)]),
            "error: invalid argument to Intn"
        );
    }

    #[test]
    fn go_pow_matches_exact_powers() {
        for p in 0..=22 {
            assert_eq!(
                go_pow_int(10.0, p),
                format!("1e{p}").parse::<f64>().unwrap()
            );
        }
    }
}
