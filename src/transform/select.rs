//! Choosing resources: kustomize's `Selector` (group, version, kind, name, namespace, label
//! and annotation selectors), as `patches[].target`, `replacements[].targets[].select` and
//! `reject` use it.
//!
//! Two matching rules exist in kustomize and both live here:
//!
//! - [`CompiledSelector::selects_patch_target`] is `resmap.Select` (patch targets): group,
//!   version, kind, name and namespace are regular expressions anchored at both ends
//!   (`^(?:...)$`); name and namespace match the resource's original *or* current value, the
//!   namespace compared as kustomize's effective namespace (`default` for none); the kind is the
//!   current one.
//! - [`CompiledSelector::matches_id`] is `TargetSelectorRegex.Selects` (replacement targets):
//!   the same anchored expressions tried against each of the resource's ids (current, then
//!   previous), with the raw namespace.
//!
//! Label and annotation selectors use the Kubernetes syntax: `a=b`, `a==b`, `a!=b`,
//! `a in (x,y)`, `a notin (x)`, `a` (exists), `!a` (does not exist), `a>1`, `a<1`, joined by
//! commas. An empty selector matches everything.
//!
//! ```
//! use kit::transform::select::LabelSelector;
//! let s = LabelSelector::parse("app=web, tier in (front,back), !legacy").unwrap();
//! let labels = vec![("app".to_string(), "web".to_string()), ("tier".to_string(), "front".to_string())];
//! assert!(s.matches(&labels));
//! ```

use regex::Regex;

use crate::diag::{Diag, Result};
use crate::model::{Gvk, Node, ResId, Resource, Value};
use crate::source::Origin;

/// A selector as written in a kustomization (kustomize's `types.Selector`).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Selector {
    pub group: String,
    pub version: String,
    pub kind: String,
    pub name: String,
    pub namespace: String,
    pub label_selector: String,
    pub annotation_selector: String,
    /// Where the selector was written.
    pub origin: Option<Origin>,
}

impl Selector {
    /// Reads `{group, version, kind, name, namespace, labelSelector, annotationSelector}`.
    /// Unknown fields are ignored; values that are not scalars are an error.
    pub fn from_node(node: &Node) -> Result<Self> {
        let Value::Map(_) = &node.value else {
            return Err(Diag::error(
                "kit::kustomization::selector",
                "a selector must be a mapping (group, version, kind, name, namespace, labelSelector, annotationSelector)",
            )
            .at(node.origin));
        };
        let text = |k: &str| -> Result<String> {
            match node.get(k) {
                None => Ok(String::new()),
                // kustomize decodes selectors into Go strings: a number or a bool is
                // refused there, not read as its text.
                Some(v) => match &v.value {
                    Value::Null => Ok(String::new()),
                    Value::Str(s) => Ok(s.clone()),
                    _ => Err(Diag::error(
                        "kit::kustomization::selector",
                        format!("selector field `{k}` must be a string"),
                    )
                    .at(v.origin)
                    .help("quote the value if it is meant as text")),
                },
            }
        };
        Ok(Selector {
            group: text("group")?,
            version: text("version")?,
            kind: text("kind")?,
            name: text("name")?,
            namespace: text("namespace")?,
            label_selector: text("labelSelector")?,
            annotation_selector: text("annotationSelector")?,
            origin: node.origin,
        })
    }

    /// Whether the id part (group, version, kind, name, namespace) is all empty.
    pub fn id_is_empty(&self) -> bool {
        self.group.is_empty()
            && self.version.is_empty()
            && self.kind.is_empty()
            && self.name.is_empty()
            && self.namespace.is_empty()
    }

    /// The id part as kustomize prints a `ResId` (`Kind.version.group/name.namespace`).
    pub fn id_string(&self) -> String {
        let or = |s: &str, d: &str| {
            if s.is_empty() {
                d.to_string()
            } else {
                s.to_string()
            }
        };
        let gvk = Gvk {
            group: self.group.clone(),
            version: self.version.clone(),
            kind: self.kind.clone(),
        };
        format!(
            "{}/{}.{}",
            gvk.kustomize_string(),
            or(&self.name, "[noName]"),
            or(&self.namespace, "[noNs]")
        )
    }

    /// kustomize's `Selector.String()`: `<id>:a=<annotations>:l=<labels>`.
    pub fn describe(&self) -> String {
        format!(
            "{}:a={}:l={}",
            self.id_string(),
            self.annotation_selector,
            self.label_selector
        )
    }

    /// Compiles the regular expressions and the label and annotation selectors.
    pub fn compile(&self) -> Result<CompiledSelector> {
        let re =
            |field: &str, pattern: &str| -> Result<Option<Regex>> {
                if pattern.is_empty() {
                    return Ok(None);
                }
                Regex::new(&format!("^(?:{pattern})$"))
                    .map(Some)
                    .map_err(|e| {
                        Diag::error(
                    "kit::kustomization::selector-regex",
                    format!("selector {field} `{pattern}` is not a valid regular expression: {e}"),
                )
                .at(self.origin)
                    })
            };
        let labels = LabelSelector::parse(&self.label_selector).map_err(|m| {
            Diag::error("kit::kustomization::label-selector", m)
                .at(self.origin)
                .help("use the Kubernetes label selector syntax, e.g. `app=web,tier in (a,b),!legacy`")
        })?;
        let annotations = LabelSelector::parse(&self.annotation_selector).map_err(|m| {
            Diag::error("kit::kustomization::annotation-selector", m)
                .at(self.origin)
                .help("use the Kubernetes label selector syntax, e.g. `owner=team-a`")
        })?;
        Ok(CompiledSelector {
            group: re("group", &self.group)?,
            version: re("version", &self.version)?,
            kind: re("kind", &self.kind)?,
            name: re("name", &self.name)?,
            namespace: re("namespace", &self.namespace)?,
            labels,
            annotations,
            selector: self.clone(),
        })
    }
}

/// A [`Selector`] ready to match: anchored regular expressions and parsed label selectors.
#[derive(Clone, Debug)]
pub struct CompiledSelector {
    pub selector: Selector,
    group: Option<Regex>,
    version: Option<Regex>,
    kind: Option<Regex>,
    name: Option<Regex>,
    namespace: Option<Regex>,
    labels: LabelSelector,
    annotations: LabelSelector,
}

fn re_matches(re: &Option<Regex>, s: &str) -> bool {
    re.as_ref().is_none_or(|r| r.is_match(s))
}

impl CompiledSelector {
    pub fn matches_gvk(&self, gvk: &Gvk) -> bool {
        re_matches(&self.group, &gvk.group)
            && re_matches(&self.version, &gvk.version)
            && re_matches(&self.kind, &gvk.kind)
    }

    pub fn matches_name(&self, name: &str) -> bool {
        re_matches(&self.name, name)
    }

    pub fn matches_namespace(&self, namespace: &str) -> bool {
        re_matches(&self.namespace, namespace)
    }

    /// Group, version, kind, name and namespace (raw) against one id.
    pub fn matches_id(&self, id: &ResId) -> bool {
        self.matches_gvk(&id.gvk)
            && self.matches_name(&id.name)
            && self.matches_namespace(&id.namespace)
    }

    /// The label and annotation selectors.
    pub fn matches_labels_and_annotations(&self, r: &Resource) -> bool {
        self.labels.matches(&string_map(r.meta_map("labels")))
            && self
                .annotations
                .matches(&string_map(r.meta_map("annotations")))
    }

    /// Whether the selector has a label or an annotation selector.
    pub fn has_label_or_annotation_selector(&self) -> bool {
        !self.selector.label_selector.is_empty() || !self.selector.annotation_selector.is_empty()
    }

    /// kustomize's `resmap.Select`, as `patches[].target` chooses resources.
    pub fn selects_patch_target(&self, r: &Resource) -> bool {
        let cur = r.id();
        let org = r.org_id();
        if !self.matches_namespace(org.effective_namespace())
            && !self.matches_namespace(cur.effective_namespace())
        {
            return false;
        }
        if !self.matches_name(&org.name) && !self.matches_name(&cur.name) {
            return false;
        }
        self.matches_gvk(&cur.gvk) && self.matches_labels_and_annotations(r)
    }
}

/// A resource's current id followed by its previous ids (kustomize's `MakeResIds`).
pub fn all_ids(r: &Resource) -> Vec<ResId> {
    let mut ids = vec![r.id()];
    // kustomize rebuilds previous ids with the current group and version.
    let gvk = r.gvk();
    for p in r.previous.iter().rev() {
        ids.push(ResId {
            gvk: Gvk {
                group: gvk.group.clone(),
                version: gvk.version.clone(),
                kind: p.gvk.kind.clone(),
            },
            namespace: p.namespace.clone(),
            name: p.name.clone(),
        });
    }
    ids
}

/// `metadata.labels` (or annotations) as string pairs.
pub fn string_map(node: Option<&Node>) -> Vec<(String, String)> {
    node.and_then(Node::as_map)
        .map(|m| {
            m.iter()
                .map(|(k, v)| (k.clone(), v.scalar_text().unwrap_or_default()))
                .collect()
        })
        .unwrap_or_default()
}

/// One requirement of a label selector.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Requirement {
    /// `key=v`, `key==v`, `key in (v1,v2)`.
    In(String, Vec<String>),
    /// `key!=v`, `key notin (v1,v2)`: also true when the key is missing.
    NotIn(String, Vec<String>),
    Exists(String),
    DoesNotExist(String),
    GreaterThan(String, i64),
    LessThan(String, i64),
}

/// A parsed Kubernetes label selector (the requirements are ANDed).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct LabelSelector {
    pub requirements: Vec<Requirement>,
}

#[derive(Clone, Debug, PartialEq, Eq)]
enum Tok {
    Ident(String),
    Bang,
    Eq,
    DoubleEq,
    NotEq,
    In,
    NotIn,
    Gt,
    Lt,
    Open,
    Close,
    Comma,
    End,
}

impl Tok {
    fn text(&self) -> String {
        match self {
            Tok::Ident(s) => s.clone(),
            Tok::Bang => "!".into(),
            Tok::Eq => "=".into(),
            Tok::DoubleEq => "==".into(),
            Tok::NotEq => "!=".into(),
            Tok::In => "in".into(),
            Tok::NotIn => "notin".into(),
            Tok::Gt => ">".into(),
            Tok::Lt => "<".into(),
            Tok::Open => "(".into(),
            Tok::Close => ")".into(),
            Tok::Comma => ",".into(),
            Tok::End => String::new(),
        }
    }

    /// In a value position `in` and `notin` are plain identifiers.
    fn as_value(&self) -> Tok {
        match self {
            Tok::In | Tok::NotIn => Tok::Ident(self.text()),
            t => t.clone(),
        }
    }
}

fn is_special(c: char) -> bool {
    matches!(c, '=' | '!' | '(' | ')' | ',' | '>' | '<')
}

fn symbol(s: &str) -> Option<Tok> {
    Some(match s {
        ")" => Tok::Close,
        "," => Tok::Comma,
        "!" => Tok::Bang,
        "==" => Tok::DoubleEq,
        "=" => Tok::Eq,
        ">" => Tok::Gt,
        "<" => Tok::Lt,
        "!=" => Tok::NotEq,
        "(" => Tok::Open,
        _ => return None,
    })
}

fn lex(s: &str) -> std::result::Result<Vec<Tok>, String> {
    let chars: Vec<char> = s.chars().collect();
    let mut i = 0;
    let mut out = Vec::new();
    loop {
        while i < chars.len() && matches!(chars[i], ' ' | '\t' | '\r' | '\n') {
            i += 1;
        }
        let Some(&c) = chars.get(i) else {
            out.push(Tok::End);
            return Ok(out);
        };
        if is_special(c) {
            // Longest run of special characters that is still a known symbol.
            let mut buf = String::new();
            let mut last: Option<(Tok, usize)> = None;
            let mut j = i;
            while j < chars.len() && is_special(chars[j]) {
                buf.push(chars[j]);
                j += 1;
                if let Some(t) = symbol(&buf) {
                    last = Some((t, j));
                } else if last.is_some() {
                    break;
                }
            }
            match last {
                Some((t, end)) => {
                    out.push(t);
                    i = end;
                }
                None => return Err(format!("error expected: keyword found '{buf}'")),
            }
        } else {
            let start = i;
            while i < chars.len()
                && !is_special(chars[i])
                && !matches!(chars[i], ' ' | '\t' | '\r' | '\n')
            {
                i += 1;
            }
            let word: String = chars[start..i].iter().collect();
            out.push(match word.as_str() {
                "in" => Tok::In,
                "notin" => Tok::NotIn,
                _ => Tok::Ident(word),
            });
        }
    }
}

impl LabelSelector {
    /// Parses a selector; the error text follows Kubernetes' messages.
    pub fn parse(text: &str) -> std::result::Result<Self, String> {
        let toks = lex(text)?;
        let mut p = 0;
        let mut reqs = Vec::new();
        let at = |p: usize| toks.get(p).cloned().unwrap_or(Tok::End);
        loop {
            match at(p).as_value() {
                Tok::Ident(_) | Tok::Bang => {
                    let (r, next) = parse_requirement(&toks, p)
                        .map_err(|e| format!("unable to parse requirement: {e}"))?;
                    reqs.push(r);
                    p = next;
                    let t = at(p).as_value();
                    p += 1;
                    match t {
                        Tok::End => break,
                        Tok::Comma => {
                            let t2 = at(p).as_value();
                            if !matches!(t2, Tok::Ident(_) | Tok::Bang) {
                                return Err(format!(
                                    "found '{}', expected: identifier after ','",
                                    t2.text()
                                ));
                            }
                        }
                        other => {
                            return Err(format!(
                                "found '{}', expected: ',' or 'end of string'",
                                other.text()
                            ))
                        }
                    }
                }
                Tok::End => break,
                other => {
                    return Err(format!(
                        "found '{}', expected: !, identifier, or 'end of string'",
                        other.text()
                    ))
                }
            }
        }
        Ok(LabelSelector { requirements: reqs })
    }

    pub fn is_empty(&self) -> bool {
        self.requirements.is_empty()
    }

    pub fn matches(&self, labels: &[(String, String)]) -> bool {
        let get = |k: &str| labels.iter().find(|(l, _)| l == k).map(|(_, v)| v.as_str());
        self.requirements.iter().all(|r| match r {
            Requirement::In(k, vs) => get(k).is_some_and(|v| vs.iter().any(|x| x == v)),
            Requirement::NotIn(k, vs) => get(k).is_none_or(|v| !vs.iter().any(|x| x == v)),
            Requirement::Exists(k) => get(k).is_some(),
            Requirement::DoesNotExist(k) => get(k).is_none(),
            Requirement::GreaterThan(k, n) => get(k)
                .and_then(|v| v.parse::<i64>().ok())
                .is_some_and(|v| v > *n),
            Requirement::LessThan(k, n) => get(k)
                .and_then(|v| v.parse::<i64>().ok())
                .is_some_and(|v| v < *n),
        })
    }
}

/// One requirement starting at `p`; returns it and the position after it.
fn parse_requirement(
    toks: &[Tok],
    mut p: usize,
) -> std::result::Result<(Requirement, usize), String> {
    let at = |p: usize| toks.get(p).cloned().unwrap_or(Tok::End);
    let mut negated = false;
    let mut t = at(p).as_value();
    p += 1;
    if t == Tok::Bang {
        negated = true;
        t = at(p).as_value();
        p += 1;
    }
    let Tok::Ident(key) = t else {
        return Err(format!("found '{}', expected: identifier", t.text()));
    };
    validate_key(&key)?;
    if matches!(at(p).as_value(), Tok::End | Tok::Comma) {
        return Ok((
            if negated {
                Requirement::DoesNotExist(key)
            } else {
                Requirement::Exists(key)
            },
            p,
        ));
    }
    if negated {
        // `!key` takes no operator; whatever follows is the caller's to reject.
        return Ok((Requirement::DoesNotExist(key), p));
    }
    let op = at(p);
    p += 1;
    match op {
        Tok::In | Tok::NotIn => {
            let t = at(p).as_value();
            p += 1;
            if t != Tok::Open {
                return Err(format!("found '{}' expected: '('", t.text()));
            }
            let mut values: Vec<String> = Vec::new();
            let insert = |v: String, values: &mut Vec<String>| {
                if !values.contains(&v) {
                    values.push(v);
                }
            };
            match at(p).as_value() {
                Tok::Close => {
                    p += 1;
                    insert(String::new(), &mut values);
                }
                Tok::Ident(_) | Tok::Comma => {
                    loop {
                        let t = at(p).as_value();
                        p += 1;
                        match t {
                            Tok::Ident(v) => {
                                insert(v, &mut values);
                                match at(p).as_value() {
                                    Tok::Comma => continue,
                                    Tok::Close => break,
                                    other => {
                                        return Err(format!(
                                            "found '{}', expected: ',' or ')'",
                                            other.text()
                                        ))
                                    }
                                }
                            }
                            Tok::Comma => {
                                if values.is_empty() {
                                    insert(String::new(), &mut values);
                                }
                                match at(p).as_value() {
                                    Tok::Close => {
                                        insert(String::new(), &mut values);
                                        break;
                                    }
                                    Tok::Comma => {
                                        p += 1;
                                        insert(String::new(), &mut values);
                                    }
                                    _ => {}
                                }
                            }
                            other => {
                                return Err(format!(
                                    "found '{}', expected: ',', or identifier",
                                    other.text()
                                ))
                            }
                        }
                    }
                    let t = at(p).as_value();
                    p += 1;
                    if t != Tok::Close {
                        return Err(format!("found '{}', expected: ')'", t.text()));
                    }
                }
                other => {
                    return Err(format!(
                        "found '{}', expected: ',', ')' or identifier",
                        other.text()
                    ))
                }
            }
            for v in &values {
                validate_value(&key, v)?;
            }
            values.sort();
            Ok((
                if op == Tok::In {
                    Requirement::In(key, values)
                } else {
                    Requirement::NotIn(key, values)
                },
                p,
            ))
        }
        Tok::Eq | Tok::DoubleEq | Tok::NotEq | Tok::Gt | Tok::Lt => {
            let value = match at(p).as_value() {
                Tok::End | Tok::Comma => String::new(),
                Tok::Ident(v) => {
                    p += 1;
                    v
                }
                other => return Err(format!("found '{}', expected: identifier", other.text())),
            };
            match op {
                Tok::Gt | Tok::Lt => {
                    let n: i64 = value.parse().map_err(|_| {
                        "for 'Gt', 'Lt' operators, the value must be an integer".to_string()
                    })?;
                    validate_value(&key, &value)?;
                    Ok((
                        if op == Tok::Gt {
                            Requirement::GreaterThan(key, n)
                        } else {
                            Requirement::LessThan(key, n)
                        },
                        p,
                    ))
                }
                Tok::NotEq => {
                    validate_value(&key, &value)?;
                    Ok((Requirement::NotIn(key, vec![value]), p))
                }
                _ => {
                    validate_value(&key, &value)?;
                    Ok((Requirement::In(key, vec![value]), p))
                }
            }
        }
        other => Err(format!(
            "found '{}', expected: '=', '!=', '==', 'in', notin'",
            other.text()
        )),
    }
}

fn is_name_part(s: &str, max: usize) -> bool {
    let b = s.as_bytes();
    !b.is_empty()
        && b.len() <= max
        && b[0].is_ascii_alphanumeric()
        && b[b.len() - 1].is_ascii_alphanumeric()
        && b.iter()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, b'-' | b'_' | b'.'))
}

fn is_dns_subdomain(s: &str) -> bool {
    s.len() <= 253
        && s.split('.').all(|part| {
            let b = part.as_bytes();
            !b.is_empty()
                && b[0].is_ascii_lowercase() | b[0].is_ascii_digit()
                && (b[b.len() - 1].is_ascii_lowercase() || b[b.len() - 1].is_ascii_digit())
                && b.iter()
                    .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || *c == b'-')
        })
}

/// Kubernetes' `IsQualifiedName`: `[prefix/]name`.
fn validate_key(key: &str) -> std::result::Result<(), String> {
    let ok = match key.split_once('/') {
        Some((prefix, name)) => {
            !prefix.is_empty()
                && is_dns_subdomain(prefix)
                && is_name_part(name, 63)
                && !name.contains('/')
        }
        None => is_name_part(key, 63),
    };
    if ok {
        Ok(())
    } else {
        Err(format!(
            "invalid label key \"{key}\": name part must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character"
        ))
    }
}

fn validate_value(key: &str, value: &str) -> std::result::Result<(), String> {
    if value.is_empty() || is_name_part(value, 63) {
        Ok(())
    } else {
        Err(format!(
            "invalid label value: \"{value}\": at key: \"{key}\": a valid label must be an empty string or consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character"
        ))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn labels(pairs: &[(&str, &str)]) -> Vec<(String, String)> {
        pairs
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect()
    }

    #[test]
    fn parses_every_operator() {
        let s = LabelSelector::parse("a=1,b==2,c!=3,d in (x, y),e notin (z),f,!g,h>4,i<5")
            .unwrap_or_default();
        assert_eq!(s.requirements.len(), 9);
        let l = labels(&[
            ("a", "1"),
            ("b", "2"),
            ("d", "y"),
            ("f", ""),
            ("h", "5"),
            ("i", "4"),
        ]);
        assert!(s.matches(&l));
        let l2 = labels(&[
            ("a", "1"),
            ("b", "2"),
            ("d", "y"),
            ("f", ""),
            ("g", "x"),
            ("h", "5"),
            ("i", "4"),
        ]);
        assert!(!s.matches(&l2));
    }

    #[test]
    fn empty_matches_all() {
        let s = LabelSelector::parse("  ").unwrap_or_default();
        assert!(s.is_empty());
        assert!(s.matches(&[]));
    }

    #[test]
    fn rejects_bad_syntax() {
        for bad in [
            "a=b=c",
            "=a",
            "a in b",
            "a in (b",
            "a,",
            "!a=b",
            "a>x",
            "bad key=1",
            "a=b c",
        ] {
            assert!(LabelSelector::parse(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn in_keywords_are_values() {
        let s = LabelSelector::parse("a in (in,notin)").unwrap_or_default();
        assert!(s.matches(&labels(&[("a", "notin")])));
    }

    #[test]
    fn anchored_regexes() {
        let sel = Selector {
            name: "web|api".into(),
            kind: "Deploy.*".into(),
            ..Selector::default()
        };
        let c = sel.compile().ok();
        let id = |kind: &str, name: &str| ResId {
            gvk: Gvk::from_api_version("apps/v1", kind),
            namespace: String::new(),
            name: name.into(),
        };
        let c = c.as_ref();
        assert!(c.is_some_and(|c| c.matches_id(&id("Deployment", "web"))));
        assert!(c.is_some_and(|c| !c.matches_id(&id("Deployment", "web2"))));
        assert!(c.is_some_and(|c| !c.matches_id(&id("StatefulSet", "api"))));
    }
}
