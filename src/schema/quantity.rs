//! Kubernetes resource quantities, parsed with the API server's grammar
//! (`k8s.io/apimachinery/pkg/api/resource`):
//!
//! ```text
//! quantity     ::= sign? number suffix
//! number       ::= digits | digits '.' digits? | '.' digits
//! suffix       ::= binarySI | decimalSI | ('e' | 'E') sign? digits
//! binarySI     ::= Ki | Mi | Gi | Ti | Pi | Ei
//! decimalSI    ::= n | u | m | '' | k | M | G | T | P | E
//! ```

/// The value of a quantity in base units, or `None` when the text is not a quantity.
pub fn parse(text: &str) -> Option<f64> {
    let b = text.as_bytes();
    let mut i = 0;
    if matches!(b.first(), Some(b'+' | b'-')) {
        i += 1;
    }
    let digits_start = i;
    while i < b.len() && b[i].is_ascii_digit() {
        i += 1;
    }
    let int_digits = i - digits_start;
    let mut frac_digits = 0;
    if i < b.len() && b[i] == b'.' {
        i += 1;
        let f = i;
        while i < b.len() && b[i].is_ascii_digit() {
            i += 1;
        }
        frac_digits = i - f;
    }
    if int_digits + frac_digits == 0 {
        return None;
    }
    let number: f64 = text.get(..i)?.parse().ok()?;
    let suffix = text.get(i..)?;
    let factor = match suffix {
        "" => 1.0,
        "Ki" => 1024f64,
        "Mi" => 1024f64.powi(2),
        "Gi" => 1024f64.powi(3),
        "Ti" => 1024f64.powi(4),
        "Pi" => 1024f64.powi(5),
        "Ei" => 1024f64.powi(6),
        "n" => 1e-9,
        "u" => 1e-6,
        "m" => 1e-3,
        "k" => 1e3,
        "M" => 1e6,
        "G" => 1e9,
        "T" => 1e12,
        "P" => 1e15,
        "E" => 1e18,
        s if s.starts_with(['e', 'E']) => {
            let exp = &s[1..];
            let digits = exp.strip_prefix(['+', '-']).unwrap_or(exp);
            if digits.is_empty() || !digits.bytes().all(|c| c.is_ascii_digit()) {
                return None;
            }
            10f64.powi(exp.parse::<i32>().ok()?)
        }
        _ => return None,
    };
    Some(number * factor)
}

#[cfg(test)]
mod tests {
    use super::parse;

    #[test]
    fn grammar() {
        assert_eq!(parse("500m"), Some(0.5));
        assert_eq!(parse("1Gi"), Some(1_073_741_824.0));
        assert_eq!(parse("2"), Some(2.0));
        assert_eq!(parse("1e3"), Some(1000.0));
        assert_eq!(parse("1.5"), Some(1.5));
        assert_eq!(parse(".5"), Some(0.5));
        assert_eq!(parse("-1"), Some(-1.0));
        for bad in [
            "", "Gi", "1GB", "1 Gi", "one", "1.2.3", "1e", "0x10", "1gi", "NaN", "inf",
        ] {
            assert_eq!(parse(bad), None, "{bad}");
        }
    }
}
