//! The value tree every stage shares: YAML nodes resolved to typed scalars, each with an origin.

use crate::source::Origin;

/// One node of a resource: a value and where it came from (the base line, or the patch or
/// kustomization field that last set it).
#[derive(Clone, Debug)]
pub struct Node {
    pub value: Value,
    pub origin: Option<Origin>,
    /// Non-zero when kustomize would hold this value as one YAML node inserted at several
    /// places of the resource (see `model::share`); 0 otherwise.
    pub share: u32,
}

/// A mapping keeps its keys in source order; output sorts them as kustomize does.
pub type Mapping = Vec<(String, Node)>;

/// Scalars are resolved with YAML 1.2 core rules (as kustomize's yaml.v3 does) when read.
#[derive(Clone, Debug)]
pub enum Value {
    Null,
    Bool(bool),
    Int(i64),
    UInt(u64),
    Float(f64),
    Str(String),
    Seq(Vec<Node>),
    Map(Mapping),
}

impl Node {
    pub fn new(value: Value, origin: Option<Origin>) -> Self {
        Node {
            value,
            origin,
            share: 0,
        }
    }

    pub fn str(s: impl Into<String>, origin: Option<Origin>) -> Self {
        Node::new(Value::Str(s.into()), origin)
    }

    pub fn map(origin: Option<Origin>) -> Self {
        Node::new(Value::Map(Vec::new()), origin)
    }

    pub fn as_map(&self) -> Option<&Mapping> {
        match &self.value {
            Value::Map(m) => Some(m),
            _ => None,
        }
    }

    pub fn as_map_mut(&mut self) -> Option<&mut Mapping> {
        match &mut self.value {
            Value::Map(m) => Some(m),
            _ => None,
        }
    }

    pub fn as_seq(&self) -> Option<&Vec<Node>> {
        match &self.value {
            Value::Seq(s) => Some(s),
            _ => None,
        }
    }

    pub fn as_seq_mut(&mut self) -> Option<&mut Vec<Node>> {
        match &mut self.value {
            Value::Seq(s) => Some(s),
            _ => None,
        }
    }

    pub fn as_str(&self) -> Option<&str> {
        match &self.value {
            Value::Str(s) => Some(s),
            _ => None,
        }
    }

    pub fn is_null(&self) -> bool {
        matches!(self.value, Value::Null)
    }

    /// The value of `key` in a mapping.
    pub fn get(&self, key: &str) -> Option<&Node> {
        self.as_map()?
            .iter()
            .find(|(k, _)| k == key)
            .map(|(_, v)| v)
    }

    pub fn get_mut(&mut self, key: &str) -> Option<&mut Node> {
        self.as_map_mut()?
            .iter_mut()
            .find(|(k, _)| k == key)
            .map(|(_, v)| v)
    }

    /// Follows a path of mapping keys.
    pub fn get_path(&self, path: &[&str]) -> Option<&Node> {
        path.iter().try_fold(self, |n, k| n.get(k))
    }

    /// The scalars of the sequence at `path` (as text); empty where there is none.
    pub fn scalars_at(&self, path: &[&str]) -> Vec<String> {
        self.get_path(path)
            .and_then(Node::as_seq)
            .map(|s| s.iter().filter_map(Node::scalar_text).collect())
            .unwrap_or_default()
    }

    pub fn get_str(&self, key: &str) -> Option<&str> {
        self.get(key).and_then(Node::as_str)
    }

    /// Sets `key` in a mapping, replacing an existing value in place (keeping key order).
    /// Does nothing on a non-mapping.
    pub fn set(&mut self, key: &str, value: Node) {
        if let Some(m) = self.as_map_mut() {
            match m.iter_mut().find(|(k, _)| k == key) {
                Some((_, v)) => *v = value,
                None => m.push((key.to_string(), value)),
            }
        }
    }

    pub fn remove(&mut self, key: &str) -> Option<Node> {
        let m = self.as_map_mut()?;
        let i = m.iter().position(|(k, _)| k == key)?;
        Some(m.remove(i).1)
    }

    /// The mapping under `key`, created (empty) when missing or null.
    pub fn entry_map(&mut self, key: &str, origin: Option<Origin>) -> Option<&mut Node> {
        let m = self.as_map_mut()?;
        let i = match m.iter().position(|(k, _)| k == key) {
            Some(i) => {
                if m[i].1.is_null() {
                    m[i].1 = Node::map(origin);
                }
                i
            }
            None => {
                m.push((key.to_string(), Node::map(origin)));
                m.len() - 1
            }
        };
        Some(&mut m[i].1)
    }

    /// A scalar's text as kustomize's Go structs would read it into a string field.
    /// What the node holds, in words for messages: "a mapping", "a string", "null".
    pub fn shape(&self) -> &'static str {
        match self.value {
            Value::Null => "null",
            Value::Bool(_) => "a boolean",
            Value::Int(_) | Value::UInt(_) | Value::Float(_) => "a number",
            Value::Str(_) => "a string",
            Value::Seq(_) => "a list",
            Value::Map(_) => "a mapping",
        }
    }

    pub fn scalar_text(&self) -> Option<String> {
        match &self.value {
            Value::Str(s) => Some(s.clone()),
            Value::Bool(b) => Some(b.to_string()),
            Value::Int(i) => Some(i.to_string()),
            Value::UInt(u) => Some(u.to_string()),
            Value::Float(f) => Some(crate::emit::goyaml::format_go_float(*f)),
            Value::Null => Some(String::new()),
            Value::Seq(_) | Value::Map(_) => None,
        }
    }

    /// Visits every node depth-first (pre-order).
    pub fn walk_mut(&mut self, f: &mut impl FnMut(&mut Node)) {
        f(self);
        match &mut self.value {
            Value::Seq(items) => items.iter_mut().for_each(|n| n.walk_mut(f)),
            Value::Map(m) => m.iter_mut().for_each(|(_, n)| n.walk_mut(f)),
            _ => {}
        }
    }

    /// Structural equality, ignoring origins and key order.
    pub fn same_value(&self, other: &Node) -> bool {
        match (&self.value, &other.value) {
            (Value::Null, Value::Null) => true,
            (Value::Bool(a), Value::Bool(b)) => a == b,
            (Value::Int(a), Value::Int(b)) => a == b,
            (Value::UInt(a), Value::UInt(b)) => a == b,
            (Value::Float(a), Value::Float(b)) => a == b,
            (Value::Str(a), Value::Str(b)) => a == b,
            (Value::Seq(a), Value::Seq(b)) => {
                a.len() == b.len() && a.iter().zip(b).all(|(x, y)| x.same_value(y))
            }
            (Value::Map(a), Value::Map(b)) => {
                a.len() == b.len()
                    && a.iter()
                        .all(|(k, v)| b.iter().any(|(k2, v2)| k == k2 && v.same_value(v2)))
            }
            _ => false,
        }
    }
}
