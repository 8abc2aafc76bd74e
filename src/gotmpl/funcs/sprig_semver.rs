//! Sprig's `semver` and `semverCompare`, on a port of Masterminds/semver v3.3.0: versions by
//! its loose regular expression (`v1.2` is 1.2.0, metadata and the original text kept),
//! constraints by its regular expressions and check functions (`^`, `~`, `x` wildcards,
//! hyphen ranges, `,`/space for and, `||` for or; a prerelease version only satisfies a
//! comparison whose own version has a prerelease, so `>=1.19-0` admits `1.30.0-gke.1`).

use std::cmp::Ordering;
use std::rc::Rc;
use std::sync::OnceLock;

// Version strings are short, and compiling these five patterns with the regex crate took
// about 2.8 ms of a render (its DFAs pay off only on long haystacks); regex-lite compiles
// them in about 0.2 ms. They are ASCII, and `translate` makes `\s` Go's ASCII class.
use regex_lite::Regex;

use super::cast::str_arg;
use super::{Func, Ty};
use crate::gotmpl::{FuncError, Object, Value};

pub const FUNCS: &[Func] = &[
    Func {
        name: "semver",
        params: &[Ty::Str],
        variadic: None,
        doc: "Parses a semantic version: an object with Major, Minor, Patch, Prerelease, Metadata, Original.",
        imp: |_, a| {
            let v = Version::parse(str_arg(&a, 0)).map_err(FuncError::new)?;
            Ok(Value::Object(Rc::new(v)))
        },
    },
    Func {
        name: "semverCompare",
        params: &[Ty::Str, Ty::Str],
        variadic: None,
        doc: "`semverCompare CONSTRAINT VERSION`: whether VERSION satisfies CONSTRAINT.",
        imp: |_, a| {
            let (c, v) = parsed(str_arg(&a, 0), str_arg(&a, 1)).map_err(FuncError::new)?;
            Ok(Value::Bool(c.check(&v)))
        },
    },
];

/// Parsed constraints and versions by their text, per thread. Charts compare the same few
/// (`>=1.21-0` against `.Capabilities.KubeVersion.Version`) hundreds of times a render, and
/// each parse runs several regular expressions (7.5 µs a call; kube-prometheus-stack makes
/// 229). Errors are not kept; a full cache is emptied, so it stays small.
#[derive(Default)]
struct Parsed {
    constraints: std::collections::HashMap<String, Rc<Constraints>>,
    versions: std::collections::HashMap<String, Rc<Version>>,
}

const PARSED_MAX: usize = 1024;

thread_local! {
    static PARSED: std::cell::RefCell<Parsed> = std::cell::RefCell::default();
}

/// `semverCompare`'s arguments parsed, from the cache when they were seen before.
fn parsed(constraint: &str, version: &str) -> Result<(Rc<Constraints>, Rc<Version>), String> {
    PARSED.with_borrow_mut(|p| {
        if p.constraints.len() + p.versions.len() > PARSED_MAX {
            *p = Parsed::default();
        }
        let c = match p.constraints.get(constraint) {
            Some(c) => c.clone(),
            None => {
                let c = Rc::new(Constraints::parse(constraint)?);
                p.constraints.insert(constraint.to_string(), c.clone());
                c
            }
        };
        let v = match p.versions.get(version) {
            Some(v) => v.clone(),
            None => {
                let v = Rc::new(Version::parse(version)?);
                p.versions.insert(version.to_string(), v.clone());
                v
            }
        };
        Ok((c, v))
    })
}

const SEMVER_RE: &str = r"v?([0-9]+)(\.[0-9]+)?(\.[0-9]+)?(-([0-9A-Za-z\-]+(\.[0-9A-Za-z\-]+)*))?(\+([0-9A-Za-z\-]+(\.[0-9A-Za-z\-]+)*))?";
const CV_RE: &str = r"v?([0-9|x|X|\*]+)(\.[0-9|x|X|\*]+)?(\.[0-9|x|X|\*]+)?(-([0-9A-Za-z\-]+(\.[0-9A-Za-z\-]+)*))?(\+([0-9A-Za-z\-]+(\.[0-9A-Za-z\-]+)*))?";
const OPS: &str = r"=||!=|>|<|>=|=>|<=|=<|~|~>|\^";

struct Res {
    version: Regex,
    constraint: Regex,
    range: Regex,
    find: Regex,
    valid: Regex,
}

/// Masterminds/semver's patterns, in [`Res`]'s field order.
fn patterns() -> [String; 5] {
    [
        format!("^{SEMVER_RE}$"),
        format!(r"^\s*({OPS})\s*({CV_RE})\s*$"),
        format!(r"\s*({CV_RE})\s+-\s+({CV_RE})\s*"),
        format!(r"({OPS})\s*({CV_RE})"),
        format!(r"^(\s*({OPS})\s*({CV_RE})\s*)((?:\s+|,\s*)({OPS})\s*({CV_RE})\s*)*$"),
    ]
}

fn res() -> Option<&'static Res> {
    static RES: OnceLock<Option<Res>> = OnceLock::new();
    RES.get_or_init(|| {
        let [version, constraint, range, find, valid] =
            patterns().map(|p| Regex::new(&super::sprig_regex::translate(&p)).ok());
        Some(Res {
            version: version?,
            constraint: constraint?,
            range: range?,
            find: find?,
            valid: valid?,
        })
    })
    .as_ref()
}

/// A version (`*semver.Version`).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Version {
    pub major: u64,
    pub minor: u64,
    pub patch: u64,
    pub pre: String,
    pub metadata: String,
    pub original: String,
}

const NUM: &str = "0123456789";
const ALLOWED: &str = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ-0123456789";

fn contains_only(s: &str, set: &str) -> bool {
    s.chars().all(|c| set.contains(c))
}

impl Version {
    /// `semver.NewVersion`.
    pub fn parse(s: &str) -> Result<Version, String> {
        let re = res().ok_or("semver: internal regular expression")?;
        let caps = re.version.captures(s).ok_or("Invalid Semantic Version")?;
        let g = |i: usize| caps.get(i).map_or("", |m| m.as_str());
        let seg = |t: &str| -> Result<u64, String> {
            t.trim_start_matches('.').parse::<u64>().map_err(|_| {
                format!(
                    "Error parsing version segment: strconv.ParseUint: parsing {}: value out of range",
                    super::sprig_strings::go_quote(t.trim_start_matches('.'))
                )
            })
        };
        let v = Version {
            major: seg(g(1))?,
            minor: if g(2).is_empty() { 0 } else { seg(g(2))? },
            patch: if g(3).is_empty() { 0 } else { seg(g(3))? },
            pre: g(5).to_string(),
            metadata: g(8).to_string(),
            original: s.to_string(),
        };
        for p in v.pre.split('.').filter(|_| !v.pre.is_empty()) {
            if contains_only(p, NUM) {
                if p.len() > 1 && p.starts_with('0') {
                    return Err("Version segment starts with 0".into());
                }
            } else if !contains_only(p, ALLOWED) {
                return Err("Invalid Prerelease string".into());
            }
        }
        if !v.metadata.is_empty() && !v.metadata.split('.').all(|p| contains_only(p, ALLOWED)) {
            return Err("Invalid Metadata string".into());
        }
        Ok(v)
    }

    /// `Version.String()`.
    pub fn to_go_string(&self) -> String {
        let mut s = format!("{}.{}.{}", self.major, self.minor, self.patch);
        if !self.pre.is_empty() {
            s.push('-');
            s.push_str(&self.pre);
        }
        if !self.metadata.is_empty() {
            s.push('+');
            s.push_str(&self.metadata);
        }
        s
    }

    /// `Version.Compare` (metadata ignored).
    pub fn compare(&self, o: &Version) -> Ordering {
        (self.major, self.minor, self.patch)
            .cmp(&(o.major, o.minor, o.patch))
            .then_with(|| match (self.pre.is_empty(), o.pre.is_empty()) {
                (true, true) => Ordering::Equal,
                (true, false) => Ordering::Greater,
                (false, true) => Ordering::Less,
                (false, false) => compare_prerelease(&self.pre, &o.pre),
            })
    }
}

fn compare_prerelease(v: &str, o: &str) -> Ordering {
    let s: Vec<&str> = v.split('.').collect();
    let t: Vec<&str> = o.split('.').collect();
    for i in 0..s.len().max(t.len()) {
        let d = compare_pre_part(
            s.get(i).copied().unwrap_or(""),
            t.get(i).copied().unwrap_or(""),
        );
        if d != Ordering::Equal {
            return d;
        }
    }
    Ordering::Equal
}

fn compare_pre_part(s: &str, o: &str) -> Ordering {
    if s == o {
        return Ordering::Equal;
    }
    if s.is_empty() {
        return Ordering::Less;
    }
    if o.is_empty() {
        return Ordering::Greater;
    }
    match (s.parse::<u64>(), o.parse::<u64>()) {
        (Err(_), Err(_)) => {
            if s > o {
                Ordering::Greater
            } else {
                Ordering::Less
            }
        }
        (_, Err(_)) => Ordering::Less,
        (Err(_), _) => Ordering::Greater,
        (Ok(a), Ok(b)) => {
            if a > b {
                Ordering::Greater
            } else {
                Ordering::Less
            }
        }
    }
}

impl Object for Version {
    fn type_name(&self) -> &str {
        "*semver.Version"
    }

    fn field(&self, _name: &str) -> Option<Value> {
        None
    }

    fn call(&self, name: &str, args: &[Value]) -> Option<Result<Value, FuncError>> {
        let other = || match args.first() {
            Some(Value::Object(o)) => o
                .to_data()
                .as_str()
                .and_then(|s| Version::parse(s).ok())
                .ok_or_else(|| FuncError::new("wrong type for value; expected *semver.Version")),
            _ => Err(FuncError::new(
                "wrong type for value; expected *semver.Version",
            )),
        };
        let obj = |v: Version| Value::Object(Rc::new(v));
        let vprefix = if self.original.starts_with('v') {
            "v"
        } else {
            ""
        };
        let with_original = |mut v: Version| {
            v.original = format!("{vprefix}{}", v.to_go_string());
            obj(v)
        };
        Some(Ok(match name {
            "Major" => Value::Int64(self.major as i64),
            "Minor" => Value::Int64(self.minor as i64),
            "Patch" => Value::Int64(self.patch as i64),
            "Prerelease" => Value::from(self.pre.clone()),
            "Metadata" => Value::from(self.metadata.clone()),
            "Original" => Value::from(self.original.clone()),
            "String" => Value::from(self.to_go_string()),
            "IncPatch" => {
                let mut v = self.clone();
                if v.pre.is_empty() {
                    v.patch += 1;
                }
                v.pre.clear();
                v.metadata.clear();
                with_original(v)
            }
            "IncMinor" => with_original(Version {
                minor: self.minor + 1,
                patch: 0,
                pre: String::new(),
                metadata: String::new(),
                ..self.clone()
            }),
            "IncMajor" => with_original(Version {
                major: self.major + 1,
                minor: 0,
                patch: 0,
                pre: String::new(),
                metadata: String::new(),
                ..self.clone()
            }),
            "Compare" => match other() {
                Ok(o) => Value::Int(self.compare(&o) as i64),
                Err(e) => return Some(Err(e)),
            },
            "LessThan" | "LessThanEqual" | "GreaterThan" | "GreaterThanEqual" | "Equal" => {
                let o = match other() {
                    Ok(o) => o,
                    Err(e) => return Some(Err(e)),
                };
                let c = self.compare(&o);
                Value::Bool(match name {
                    "LessThan" => c == Ordering::Less,
                    "LessThanEqual" => c != Ordering::Greater,
                    "GreaterThan" => c == Ordering::Greater,
                    "GreaterThanEqual" => c != Ordering::Less,
                    _ => c == Ordering::Equal,
                })
            }
            _ => return None,
        }))
    }

    fn display(&self) -> String {
        self.to_go_string()
    }

    fn to_data(&self) -> Value {
        Value::from(self.to_go_string())
    }
}

/// One comparison of a constraint.
#[derive(Clone, Debug)]
struct Constraint {
    con: Version,
    op: String,
    dirty: bool,
    minor_dirty: bool,
    patch_dirty: bool,
}

/// `semver.Constraints`: alternatives (`||`) of conjunctions.
#[derive(Clone, Debug)]
pub struct Constraints {
    any_of: Vec<Vec<Constraint>>,
}

fn is_x(s: &str) -> bool {
    matches!(s, "x" | "*" | "X")
}

impl Constraints {
    /// `semver.NewConstraint`.
    pub fn parse(c: &str) -> Result<Constraints, String> {
        let re = res().ok_or("semver: internal regular expression")?;
        let c = rewrite_range(re, c);
        let mut any_of = Vec::new();
        for alt in c.split("||") {
            if !re.valid.is_match(alt) {
                return Err(format!("improper constraint: {alt}"));
            }
            let mut found: Vec<&str> = re.find.find_iter(alt).map(|m| m.as_str()).collect();
            if found.is_empty() {
                found.push(alt);
            }
            let mut all = Vec::new();
            for s in found {
                all.push(parse_constraint(re, s)?);
            }
            any_of.push(all);
        }
        Ok(Constraints { any_of })
    }

    /// `Constraints.Check`.
    pub fn check(&self, v: &Version) -> bool {
        self.any_of
            .iter()
            .any(|all| all.iter().all(|c| check(c, v)))
    }
}

fn rewrite_range(re: &Res, s: &str) -> String {
    let mut out = s.to_string();
    for caps in re.range.captures_iter(s) {
        let (whole, lo, hi) = (
            caps.get(0).map_or("", |m| m.as_str()),
            caps.get(1).map_or("", |m| m.as_str()),
            caps.get(11).map_or("", |m| m.as_str()),
        );
        out = out.replacen(whole, &format!(">= {lo}, <= {hi} "), 1);
    }
    out
}

fn parse_constraint(re: &Res, c: &str) -> Result<Constraint, String> {
    if c.is_empty() {
        return Ok(Constraint {
            con: Version::parse("0.0.0")?,
            op: String::new(),
            dirty: true,
            minor_dirty: false,
            patch_dirty: false,
        });
    }
    let caps = re
        .constraint
        .captures(c)
        .ok_or_else(|| format!("improper constraint: {c}"))?;
    let g = |i: usize| caps.get(i).map_or("", |m| m.as_str());
    let (m3, m4, m5, m6) = (g(3), g(4), g(5), g(6));
    let (mut dirty, mut minor_dirty, mut patch_dirty) = (false, false, false);
    let ver = if is_x(m3) || m3.is_empty() {
        dirty = true;
        format!("0.0.0{m6}")
    } else if is_x(m4.trim_start_matches('.')) || m4.is_empty() {
        dirty = true;
        minor_dirty = true;
        format!("{m3}.0.0{m6}")
    } else if is_x(m5.trim_start_matches('.')) || m5.is_empty() {
        dirty = true;
        patch_dirty = true;
        format!("{m3}{m4}.0{m6}")
    } else {
        g(2).to_string()
    };
    let con = Version::parse(&ver).map_err(|_| "constraint Parser Error".to_string())?;
    Ok(Constraint {
        con,
        op: g(1).to_string(),
        dirty,
        minor_dirty,
        patch_dirty,
    })
}

fn check(c: &Constraint, v: &Version) -> bool {
    let pre_blocked = !v.pre.is_empty() && c.con.pre.is_empty();
    let con = &c.con;
    match c.op.as_str() {
        "" | "=" => {
            if pre_blocked {
                return false;
            }
            if c.dirty {
                return tilde(c, v);
            }
            v.compare(con) == Ordering::Equal
        }
        "!=" => {
            if c.dirty {
                if pre_blocked {
                    return false;
                }
                if con.major != v.major {
                    return true;
                }
                if con.minor != v.minor && !c.minor_dirty {
                    return true;
                } else if c.minor_dirty {
                    return false;
                } else if con.patch != v.patch && !c.patch_dirty {
                    return true;
                } else if c.patch_dirty {
                    if !v.pre.is_empty() || !con.pre.is_empty() {
                        return compare_prerelease(&v.pre, &con.pre) != Ordering::Equal;
                    }
                    return false;
                }
            }
            v.compare(con) != Ordering::Equal
        }
        ">" => {
            if pre_blocked {
                return false;
            }
            if !c.dirty {
                return v.compare(con) == Ordering::Greater;
            }
            if v.major > con.major {
                true
            } else if v.major < con.major || c.minor_dirty {
                false
            } else if c.patch_dirty {
                v.minor > con.minor
            } else {
                v.compare(con) == Ordering::Greater
            }
        }
        "<" => !pre_blocked && v.compare(con) == Ordering::Less,
        ">=" | "=>" => !pre_blocked && v.compare(con) != Ordering::Less,
        "<=" | "=<" => {
            if pre_blocked {
                return false;
            }
            if !c.dirty {
                return v.compare(con) != Ordering::Greater;
            }
            !(v.major > con.major || v.major == con.major && v.minor > con.minor && !c.minor_dirty)
        }
        "~" | "~>" => !pre_blocked && tilde(c, v),
        "^" => {
            if pre_blocked || v.compare(con) == Ordering::Less {
                return false;
            }
            if con.major > 0 || c.minor_dirty {
                return v.major == con.major;
            }
            if con.major == 0 && v.major > 0 {
                return false;
            }
            if con.minor > 0 || c.patch_dirty {
                return v.minor == con.minor;
            }
            if con.minor == 0 && v.minor > 0 {
                return false;
            }
            con.patch == v.patch
        }
        _ => false,
    }
}

fn tilde(c: &Constraint, v: &Version) -> bool {
    let con = &c.con;
    if !v.pre.is_empty() && con.pre.is_empty() {
        return false;
    }
    if v.compare(con) == Ordering::Less {
        return false;
    }
    if con.major == 0 && con.minor == 0 && con.patch == 0 && !c.minor_dirty && !c.patch_dirty {
        return true;
    }
    if v.major != con.major {
        return false;
    }
    v.minor == con.minor || c.minor_dirty
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::super::testenv::{call, s, show};
    use super::*;

    fn cmp(c: &str, v: &str) -> bool {
        Constraints::parse(c)
            .unwrap()
            .check(&Version::parse(v).unwrap())
    }

    proptest::proptest! {
        #![proptest_config(proptest::prelude::ProptestConfig::with_cases(2048))]
        /// regex-lite (used here for its fast compile) finds what the regex crate finds.
        #[test]
        fn regex_lite_agrees_with_regex(s in "[ 0-9vxX*.,|<>=!~^+a-z\\-\t]{0,24}") {
            for p in patterns() {
                let lite = Regex::new(&super::super::sprig_regex::translate(&p)).unwrap();
                let full = regex::Regex::new(&super::super::sprig_regex::translate(&p)).unwrap();
                let lite_groups = lite.captures(&s).map(|c| {
                    (0..c.len()).map(|i| c.get(i).map(|m| m.range())).collect::<Vec<_>>()
                });
                let full_groups = full.captures(&s).map(|c| {
                    (0..c.len()).map(|i| c.get(i).map(|m| m.range())).collect::<Vec<_>>()
                });
                proptest::prop_assert_eq!(lite_groups, full_groups, "{}", p);
                let lite_found: Vec<_> = lite.find_iter(&s).map(|m| m.range()).collect();
                let full_found: Vec<_> = full.find_iter(&s).map(|m| m.range()).collect();
                proptest::prop_assert_eq!(lite_found, full_found, "{}", p);
            }
        }
    }

    #[test]
    fn masterminds_constraint_cases() {
        // A selection of Masterminds/semver v3.3.0's constraints_test.go TestConstraintsCheck.
        let cases = [
            ("*", "1.2.3", true),
            ("~0.0.0", "1.2.3", true),
            ("0.x.x", "1.2.3", false),
            ("0.0.x", "1.2.3", false),
            ("0.0.0", "1.2.3", false),
            ("*", "1.2.3-foo", false),
            ("= 2.0", "1.2.3", false),
            ("= 2.0", "2.0.0", true),
            ("4.1", "4.1.0", true),
            ("4.1.x", "4.1.3", true),
            ("1.x", "1.4", true),
            ("!=4.1", "4.1.0", false),
            ("!=4.1-alpha", "4.1.0", true),
            ("!=4.1", "5.1.0", true),
            ("!=4.x", "5.1.0", true),
            ("!=4.x", "4.1.0", false),
            ("!=4.1.x", "4.2.0", true),
            ("!=4.2.x", "4.2.3", false),
            (">1.1", "4.1.0", true),
            (">1.1", "1.1.0", false),
            ("<1.1", "0.1.0", true),
            ("<1.1", "1.1.0", false),
            ("<1.1", "1.1.1", false),
            ("<1.x", "1.1.1", false),
            ("<1.x", "0.1.1", true),
            ("<1.x", "2.0.0", false),
            ("<1.1.x", "1.2.1", false),
            ("<1.1.x", "1.1.500", false),
            ("<1.1.x", "1.0.500", true),
            ("<1.2.x", "1.1.1", true),
            (">=1.1", "4.1.0", true),
            (">=1.1", "4.1.0-beta", false),
            (">=1.1", "1.1.0", true),
            (">=1.1", "0.0.9", false),
            ("<=1.1", "0.1.0", true),
            ("<=1.1", "0.1.0-alpha", false),
            ("<=1.1-a", "0.1.0-alpha", true),
            ("<=1.1", "1.1.0", true),
            ("<=1.x", "1.1.0", true),
            ("<=2.x", "3.0.0", false),
            ("<=1.1", "1.1.1", true),
            ("<=1.1.x", "1.2.500", false),
            ("<=4.5", "3.4.0", true),
            ("<=4.5", "3.7.0", true),
            ("<=4.5", "4.6.3", false),
            (">1.1, <2", "1.1.1", false),
            (">1.1, <2", "1.2.1", true),
            (">1.1, <3", "4.3.2", false),
            (">=1.1, <2, !=1.2.3", "1.2.3", false),
            (">=1.1, <2, !=1.2.3 || > 3", "4.1.2", true),
            (">=1.1, <2, !=1.2.3 || > 3", "3.1.2", false),
            (">=1.1, <2, !=1.2.3 || >= 3", "3.0.0", true),
            (">=1.1, <2, !=1.2.3 || > 3", "1.2.3", false),
            ("> 1.1, < 2", "1.1.1", false),
            (">1.1 <2", "1.2.1", true),
            ("1.1 - 2", "1.1.1", true),
            ("1.5.0 - 4.5", "3.7.0", true),
            ("1.1 - 3", "4.3.2", false),
            ("^1.1", "1.1.1", true),
            ("^1.1", "4.3.2", false),
            ("^1.x", "1.1.1", true),
            ("^2.x", "1.1.1", false),
            ("^1.x", "2.1.1", false),
            ("^1.x", "1.1.1-beta1", false),
            ("^1.1.2-alpha", "1.2.1-beta1", true),
            ("^1.2.x-alpha", "1.1.1-beta1", false),
            ("^0.0.1", "0.0.1", true),
            ("^0.0.1", "0.3.1", false),
            ("^0.1.0", "0.1.2", true),
            ("^0.1.0", "0.2.1", false),
            ("^0.x", "0.2.1", true),
            ("^0.x.x", "0.0.1", true),
            ("~*", "2.1.1", true),
            ("~1", "2.1.1", false),
            ("~1", "1.3.5", true),
            ("~1", "1.3.5-beta", false),
            ("~1.x", "2.1.1", false),
            ("~1.x", "1.3.5", true),
            ("~1.x", "1.3.5-beta", false),
            ("~1.3.6-alpha", "1.3.5-beta", false),
            ("~1.3.5-alpha", "1.3.5-beta", true),
            ("~1.3.6-alpha", "1.3.5", false),
            ("~1.x-alpha", "1.3.5-beta", true),
            ("~1.2.3", "1.2.5", true),
            ("~1.2.3", "1.2.2", false),
            ("~1.2.3", "1.3.2", false),
            ("~1.1", "1.2.3", false),
            ("~1.3", "2.4.5", false),
        ];
        for (c, v, want) in cases {
            assert_eq!(cmp(c, v), want, "{c} {v}");
        }
    }

    #[test]
    fn parsed_arguments_are_kept_but_errors_are_not_and_the_cache_stays_small() {
        let (c, v) = parsed(">=1.21-0", "v1.32.0").unwrap();
        assert!(c.check(&v));
        let (again, _) = parsed(">=1.21-0", "v1.32.0").unwrap();
        assert!(Rc::ptr_eq(&c, &again));
        for _ in 0..2 {
            assert_eq!(
                parsed(">=1.21-0", "not a version").unwrap_err(),
                "Invalid Semantic Version"
            );
        }
        for i in 0..3 * PARSED_MAX {
            parsed(&format!(">={i}"), "1.0.0").unwrap();
        }
        PARSED.with_borrow(|p| assert!(p.constraints.len() + p.versions.len() <= PARSED_MAX + 2));
    }

    #[test]
    fn helm_kube_version_checks() {
        assert!(cmp(">=1.19-0", "v1.30.2"));
        assert!(cmp(">=1.19-0", "v1.30.0-gke.1"));
        assert!(!cmp(">=1.19", "v1.30.0-gke.1"));
        assert!(cmp(">= 1.22.0-0", "1.32.0"));
        assert!(cmp("<1.25.0-0", "v1.24.9+k3s1"));
        assert!(cmp(">=1.16.0-0 <1.25.0-0", "1.20.0"));
        assert!(!cmp("^1.2", "1.2.0-rc.1"));
    }

    #[test]
    fn sprig_semver_functions() {
        // Sprig's semver_test.go.
        assert_eq!(show("semverCompare", vec![s("1.2.3"), s("1.2.3")]), "true");
        assert_eq!(show("semverCompare", vec![s("^1.2.0"), s("1.2.3")]), "true");
        assert_eq!(
            show("semverCompare", vec![s("^1.2.0"), s("2.2.3")]),
            "false"
        );
        assert_eq!(
            show("semver", vec![s("1.2.3-beta.1+c0ff33")]),
            "1.2.3-beta.1+c0ff33"
        );
        let v = call("semver", vec![s("v1.2.3-beta.1+c0ff33")]).unwrap();
        let Value::Object(o) = v else {
            panic!("not an object")
        };
        let m = |n: &str| crate::gotmpl::fmt::sprint_one(&o.call(n, &[]).unwrap().unwrap());
        assert_eq!(m("Major"), "1");
        assert_eq!(m("Minor"), "2");
        assert_eq!(m("Patch"), "3");
        assert_eq!(m("Prerelease"), "beta.1");
        assert_eq!(m("Metadata"), "c0ff33");
        assert_eq!(m("Original"), "v1.2.3-beta.1+c0ff33");
        assert_eq!(o.type_name(), "*semver.Version");
        assert_eq!(
            show("semver", vec![s("1.x")]),
            "error: Invalid Semantic Version"
        );
        assert_eq!(
            show("semverCompare", vec![s("1.2.3"), s("a.b")]),
            "error: Invalid Semantic Version"
        );
        assert_eq!(
            show("semverCompare", vec![s("!!1"), s("1.2.3")]),
            "error: improper constraint: !!1"
        );
        assert_eq!(
            show("semver", vec![s("1.2.3-01")]),
            "error: Version segment starts with 0"
        );
        let big = call("semver", vec![s("1.2.3")]).unwrap();
        let Value::Object(o2) = big else {
            panic!("not an object")
        };
        let lt = o2.call(
            "LessThan",
            &[Value::Object(Rc::new(Version::parse("1.3.0").unwrap()))],
        );
        assert!(matches!(lt, Some(Ok(Value::Bool(true)))));
    }
}
