//! YAML timestamps. kustomize reads resources with yaml.v3, which resolves a plain scalar
//! such as `2001-12-14` to a time, and prints it back through JSON in RFC 3339 form
//! (`"2001-12-14T00:00:00Z"`). kit does the same conversion when it reads a resource.

/// The RFC 3339 text Go prints for a plain scalar that yaml.v3 reads as a timestamp, or
/// `None` when the scalar is not one.
pub fn to_rfc3339(s: &str) -> Option<String> {
    let b = s.as_bytes();
    // yaml.v3 only tries scalars that start with a four-digit year and a dash.
    if b.len() < 5 || !b[..4].iter().all(u8::is_ascii_digit) || b[4] != b'-' {
        return None;
    }
    let mut p = Cursor { b, i: 5 };
    let year: u32 = s[..4].parse().ok()?;
    let month = p.number(1, 2)?;
    p.expect(b'-')?;
    let day = p.number(1, 2)?;
    if !(1..=12).contains(&month) || day < 1 || day > days_in_month(year, month) {
        return None;
    }
    let date = format!("{year:04}-{month:02}-{day:02}");
    if p.done() {
        return Some(format!("{date}T00:00:00Z"));
    }
    let with_zone = match p.next()? {
        b'T' | b't' => true,
        b' ' => false,
        _ => return None,
    };
    let hour = p.number(1, 2)?;
    p.expect(b':')?;
    let minute = p.number(1, 2)?;
    p.expect(b':')?;
    let second = p.number(1, 2)?;
    if hour > 23 || minute > 59 || second > 59 {
        return None;
    }
    let mut fraction = String::new();
    if p.peek() == Some(b'.') || p.peek() == Some(b',') {
        p.i += 1;
        while let Some(c) = p.peek().filter(u8::is_ascii_digit) {
            fraction.push(c as char);
            p.i += 1;
        }
        if fraction.is_empty() {
            return None;
        }
        // Go keeps nanoseconds and prints them without trailing zeros.
        fraction.truncate(9);
        while fraction.ends_with('0') {
            fraction.pop();
        }
    }
    let zone = if with_zone {
        match p.next()? {
            b'Z' => "Z".to_string(),
            sign @ (b'+' | b'-') => {
                let hh = p.fixed(2)?;
                p.expect(b':')?;
                let mm = p.fixed(2)?;
                if hh == 0 && mm == 0 {
                    "Z".to_string()
                } else {
                    format!("{}{hh:02}:{mm:02}", sign as char)
                }
            }
            _ => return None,
        }
    } else {
        "Z".to_string()
    };
    if !p.done() {
        return None;
    }
    let fraction = if fraction.is_empty() {
        String::new()
    } else {
        format!(".{fraction}")
    };
    Some(format!(
        "{date}T{hour:02}:{minute:02}:{second:02}{fraction}{zone}"
    ))
}

struct Cursor<'a> {
    b: &'a [u8],
    i: usize,
}

impl Cursor<'_> {
    fn peek(&self) -> Option<u8> {
        self.b.get(self.i).copied()
    }

    fn next(&mut self) -> Option<u8> {
        let c = self.peek()?;
        self.i += 1;
        Some(c)
    }

    fn done(&self) -> bool {
        self.i == self.b.len()
    }

    fn expect(&mut self, c: u8) -> Option<()> {
        (self.next()? == c).then_some(())
    }

    /// Between `min` and `max` digits, as Go's non-padded layout fields read them.
    fn number(&mut self, min: usize, max: usize) -> Option<u32> {
        let start = self.i;
        while self.i - start < max && self.peek().is_some_and(|c| c.is_ascii_digit()) {
            self.i += 1;
        }
        if self.i - start < min {
            return None;
        }
        std::str::from_utf8(&self.b[start..self.i])
            .ok()?
            .parse()
            .ok()
    }

    fn fixed(&mut self, n: usize) -> Option<u32> {
        let start = self.i;
        let v = self.number(n, n)?;
        (self.i - start == n).then_some(v)
    }
}

fn days_in_month(year: u32, month: u32) -> u32 {
    match month {
        2 if (year.is_multiple_of(4) && !year.is_multiple_of(100)) || year.is_multiple_of(400) => 29,
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    }
}

#[cfg(test)]
mod tests {
    use super::to_rfc3339;

    #[test]
    fn converts_like_go() {
        assert_eq!(
            to_rfc3339("2001-12-14").as_deref(),
            Some("2001-12-14T00:00:00Z")
        );
        assert_eq!(
            to_rfc3339("2001-12-14 10:01:02").as_deref(),
            Some("2001-12-14T10:01:02Z")
        );
        assert_eq!(
            to_rfc3339("2001-12-14T21:59:43.10-05:00").as_deref(),
            Some("2001-12-14T21:59:43.1-05:00")
        );
        assert_eq!(
            to_rfc3339("2001-2-3t1:2:3Z").as_deref(),
            Some("2001-02-03T01:02:03Z")
        );
        assert_eq!(to_rfc3339("2001-02-30"), None);
        assert_eq!(to_rfc3339("2001-12-14x"), None);
        assert_eq!(to_rfc3339("2001-12-14T10:01:02"), None);
        assert_eq!(to_rfc3339("20011-12-14"), None);
        assert_eq!(to_rfc3339("1.2.3"), None);
    }
}
