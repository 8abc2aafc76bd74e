//! Semantic versions and constraints as Helm reads them (the Masterminds `semver` v3 rules):
//! a leading `v` and missing minor/patch are allowed (`v1.2` is 1.2.0); constraints are
//! comparisons (`=`, `!=`, `>`, `<`, `>=`, `<=`), tilde (`~1.2`: >=1.2.0 <1.3.0), caret
//! (`^1.2`: >=1.2.0 <2.0.0), wildcards (`1.2.x`, `*`), hyphen ranges (`1.2 - 1.4`), joined by
//! `,` or spaces (and) and `||` (or). A prerelease version only satisfies a comparison whose
//! own version has a prerelease (so `>=1.20.0-0` admits `1.33.0-gke.1`, `>=1.20.0` does not).

use std::cmp::Ordering;

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Version {
    pub major: u64,
    pub minor: u64,
    pub patch: u64,
    pub pre: String,
}

impl Version {
    pub fn parse(s: &str) -> Result<Version, String> {
        let t = s.trim();
        let t = t.strip_prefix('v').unwrap_or(t);
        let t = t.split('+').next().unwrap_or(t);
        let (core, pre) = match t.split_once('-') {
            Some((c, p)) => (c, p.to_string()),
            None => (t, String::new()),
        };
        let mut nums = core.split('.');
        let mut part = |required: bool| -> Result<u64, String> {
            match nums.next() {
                None if !required => Ok(0),
                Some(n) if !n.is_empty() && n.bytes().all(|b| b.is_ascii_digit()) => n
                    .parse()
                    .map_err(|_| format!("invalid semantic version: {s}")),
                _ => Err(format!("invalid semantic version: {s}")),
            }
        };
        let major = part(true)?;
        let minor = part(false)?;
        let patch = part(false)?;
        if nums.next().is_some() {
            return Err(format!("invalid semantic version: {s}"));
        }
        Ok(Version {
            major,
            minor,
            patch,
            pre,
        })
    }

    fn cmp_core(&self, o: &Version) -> Ordering {
        (self.major, self.minor, self.patch).cmp(&(o.major, o.minor, o.patch))
    }
}

impl PartialOrd for Version {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}

impl Ord for Version {
    fn cmp(&self, o: &Self) -> Ordering {
        self.cmp_core(o)
            .then_with(|| match (self.pre.is_empty(), o.pre.is_empty()) {
                (true, true) => Ordering::Equal,
                (true, false) => Ordering::Greater,
                (false, true) => Ordering::Less,
                (false, false) => cmp_pre(&self.pre, &o.pre),
            })
    }
}

fn cmp_pre(a: &str, b: &str) -> Ordering {
    let mut ai = a.split('.');
    let mut bi = b.split('.');
    loop {
        match (ai.next(), bi.next()) {
            (None, None) => return Ordering::Equal,
            (None, Some(_)) => return Ordering::Less,
            (Some(_), None) => return Ordering::Greater,
            (Some(x), Some(y)) => {
                let o = match (x.parse::<u64>(), y.parse::<u64>()) {
                    (Ok(p), Ok(q)) => p.cmp(&q),
                    (Ok(_), Err(_)) => Ordering::Less,
                    (Err(_), Ok(_)) => Ordering::Greater,
                    (Err(_), Err(_)) => x.cmp(y),
                };
                if o != Ordering::Equal {
                    return o;
                }
            }
        }
    }
}

/// A version in a constraint: wildcard parts are `None` (`1.x` has minor and patch open).
#[derive(Clone, Debug)]
struct Partial {
    major: Option<u64>,
    minor: Option<u64>,
    patch: Option<u64>,
    pre: String,
}

impl Partial {
    fn parse(s: &str) -> Result<Partial, String> {
        let t = s.trim();
        let t = t.strip_prefix('v').unwrap_or(t);
        let t = t.split('+').next().unwrap_or(t);
        let (core, pre) = match t.split_once('-') {
            Some((c, p)) => (c, p.to_string()),
            None => (t, String::new()),
        };
        let mut parts = core.split('.');
        let mut next = || -> Result<Option<u64>, String> {
            match parts.next() {
                None => Ok(None),
                Some("x" | "X" | "*") => Ok(None),
                Some(n) if !n.is_empty() && n.bytes().all(|b| b.is_ascii_digit()) => n
                    .parse()
                    .map(Some)
                    .map_err(|_| format!("improper constraint: {s}")),
                _ => Err(format!("improper constraint: {s}")),
            }
        };
        let major = next()?;
        let minor = next()?;
        let patch = next()?;
        if parts.next().is_some() {
            return Err(format!("improper constraint: {s}"));
        }
        Ok(Partial {
            major,
            minor,
            patch,
            pre,
        })
    }

    fn floor(&self) -> Version {
        Version {
            major: self.major.unwrap_or(0),
            minor: self.minor.unwrap_or(0),
            patch: self.patch.unwrap_or(0),
            pre: self.pre.clone(),
        }
    }

    /// The first version above every version the partial covers (`1.2.x` → 1.3.0).
    fn ceiling(&self) -> Option<Version> {
        let v = |major, minor, patch| Version {
            major,
            minor,
            patch,
            pre: String::new(),
        };
        match (self.major, self.minor, self.patch) {
            (None, _, _) => None,
            (Some(m), None, _) => Some(v(m + 1, 0, 0)),
            (Some(m), Some(n), None) => Some(v(m, n + 1, 0)),
            (Some(m), Some(n), Some(p)) => Some(v(m, n, p + 1)),
        }
    }

    fn is_wild(&self) -> bool {
        self.major.is_none() || self.minor.is_none() || self.patch.is_none()
    }
}

#[derive(Clone, Debug)]
enum Op {
    Eq,
    Ne,
    Gt,
    Lt,
    Ge,
    Le,
    Tilde,
    Caret,
}

#[derive(Clone, Debug)]
struct Single {
    op: Op,
    v: Partial,
}

/// A parsed constraint: alternatives (`||`) of conjunctions.
#[derive(Clone, Debug)]
pub struct Constraint {
    any_of: Vec<Vec<Single>>,
}

impl Constraint {
    pub fn parse(s: &str) -> Result<Constraint, String> {
        let mut any_of = Vec::new();
        for alt in s.split("||") {
            let mut all = Vec::new();
            let tokens = tokenize(alt);
            if tokens.is_empty() {
                return Err(format!("improper constraint: {s}"));
            }
            let mut i = 0;
            while i < tokens.len() {
                // Hyphen range: `A - B`.
                if i + 2 < tokens.len() && tokens[i + 1] == "-" {
                    all.push(Single {
                        op: Op::Ge,
                        v: Partial::parse(&tokens[i])?,
                    });
                    let hi = Partial::parse(&tokens[i + 2])?;
                    all.push(if hi.is_wild() {
                        Single { op: Op::Lt, v: hi }
                    } else {
                        Single { op: Op::Le, v: hi }
                    });
                    // `<` of a wildcard partial means below its ceiling.
                    if let Some(last) = all.last_mut() {
                        if let (Op::Lt, Some(c)) = (&last.op, last.v.ceiling()) {
                            last.v = Partial {
                                major: Some(c.major),
                                minor: Some(c.minor),
                                patch: Some(c.patch),
                                pre: String::new(),
                            };
                        }
                    }
                    i += 3;
                    continue;
                }
                all.push(parse_single(&tokens[i])?);
                i += 1;
            }
            any_of.push(all);
        }
        Ok(Constraint { any_of })
    }

    pub fn matches(&self, v: &Version) -> bool {
        self.any_of
            .iter()
            .any(|all| all.iter().all(|c| check(c, v)))
    }
}

/// Splits a conjunction into operator+version tokens, joining an operator written apart
/// from its version (`>= 1.2`).
fn tokenize(s: &str) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for raw in s.split([',', ' ']).filter(|t| !t.is_empty()) {
        if let Some(prev) = out.last_mut() {
            if !prev.is_empty()
                && prev
                    .chars()
                    .all(|c| matches!(c, '=' | '!' | '>' | '<' | '~' | '^'))
            {
                prev.push_str(raw);
                continue;
            }
        }
        out.push(raw.to_string());
    }
    out
}

fn parse_single(tok: &str) -> Result<Single, String> {
    let ops: [(&str, Op); 11] = [
        (">=", Op::Ge),
        ("=>", Op::Ge),
        ("<=", Op::Le),
        ("=<", Op::Le),
        ("!=", Op::Ne),
        ("~>", Op::Tilde),
        ("=", Op::Eq),
        (">", Op::Gt),
        ("<", Op::Lt),
        ("~", Op::Tilde),
        ("^", Op::Caret),
    ];
    for (prefix, op) in ops {
        if let Some(rest) = tok.strip_prefix(prefix) {
            return Ok(Single {
                op,
                v: Partial::parse(rest)?,
            });
        }
    }
    Ok(Single {
        op: Op::Eq,
        v: Partial::parse(tok)?,
    })
}

fn check(c: &Single, v: &Version) -> bool {
    // A prerelease only matches constraints that name a prerelease.
    if !v.pre.is_empty() && c.v.pre.is_empty() {
        return false;
    }
    let floor = c.v.floor();
    let ceiling = c.v.ceiling();
    let below_ceiling = |v: &Version| ceiling.as_ref().is_none_or(|top| v < top);
    match c.op {
        Op::Eq => {
            if c.v.is_wild() {
                v >= &floor && below_ceiling(v)
            } else {
                v == &floor
            }
        }
        Op::Ne => {
            if c.v.is_wild() {
                !(v >= &floor && below_ceiling(v))
            } else {
                v != &floor
            }
        }
        Op::Gt => {
            if c.v.is_wild() {
                ceiling.as_ref().is_some_and(|top| v >= top)
            } else {
                v > &floor
            }
        }
        Op::Lt => v < &floor,
        Op::Ge => v >= &floor,
        Op::Le => {
            if c.v.is_wild() {
                below_ceiling(v)
            } else {
                v <= &floor
            }
        }
        Op::Tilde => {
            let top = match (c.v.major, c.v.minor) {
                (None, _) => None,
                (Some(m), None) => Some((m + 1, 0)),
                (Some(m), Some(n)) => Some((m, n + 1)),
            };
            v >= &floor && top.is_none_or(|(m, n)| (v.major, v.minor) < (m, n))
        }
        Op::Caret => {
            let top = match (c.v.major, c.v.minor, c.v.patch) {
                (None, _, _) => None,
                (Some(m), _, _) if m > 0 => Some(Version::parse(&format!("{}.0.0", m + 1))),
                (Some(0), None, _) => Some(Version::parse("1.0.0")),
                (Some(0), Some(n), _) if n > 0 => Some(Version::parse(&format!("0.{}.0", n + 1))),
                (Some(0), Some(0), None) => Some(Version::parse("0.1.0")),
                (Some(0), Some(0), Some(p)) => Some(Version::parse(&format!("0.0.{}", p + 1))),
                _ => None,
            };
            v >= &floor
                && match top {
                    Some(Ok(t)) => v < &t,
                    _ => true,
                }
        }
    }
}

/// Helm's `IsCompatibleRange`; an empty constraint accepts any version.
pub fn compatible(constraint: &str, version: &str) -> bool {
    if constraint.trim().is_empty() {
        return true;
    }
    match (Constraint::parse(constraint), Version::parse(version)) {
        (Ok(c), Ok(v)) => c.matches(&v),
        _ => false,
    }
}
