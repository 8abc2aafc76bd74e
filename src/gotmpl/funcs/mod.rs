//! The function map: every function a template may call, in one registry.
//!
//! Each entry names the function, the Go types of its parameters (text/template checks and
//! converts arguments by them, and its errors name them), and its docs. The families live in
//! their own files: Go's builtins ([`builtin`]), Sprig's ([`sprig_strings`], [`sprig_lists`],
//! ...), and Helm's own ([`helm`]).

use std::collections::HashMap;
use std::sync::OnceLock;

use super::value::Value;
use super::FuncError;

/// A registry entry: `f!(NAME, [PARAM TYPES], DOC, IMP)`, or with the type of a final `...`
/// parameter before the docs: `f!(NAME, [TYPES], Some(Ty::Any), DOC, IMP)`.
macro_rules! f {
    ($name:expr, [$($p:expr),*], $var:expr, $doc:expr, $imp:expr) => {
        Func { name: $name, params: &[$($p),*], variadic: $var, doc: $doc, imp: $imp }
    };
    ($name:expr, [$($p:expr),*], $doc:expr, $imp:expr) => {
        Func { name: $name, params: &[$($p),*], variadic: None, doc: $doc, imp: $imp }
    };
}

pub mod builtin;
pub mod cast;
pub mod go_zones;
pub mod helm_data;
pub mod sprig_dates;
pub mod sprig_dicts;
pub mod sprig_lists;
pub mod sprig_math;
pub mod sprig_misc;
pub mod sprig_reflect;
pub mod sprig_regex;
pub mod sprig_semver;
pub mod sprig_strings;
#[cfg(test)]
mod testenv;

/// The Go type of a parameter: what text/template checks an argument against.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Ty {
    /// `interface{}`: anything, nil included.
    Any,
    /// `string`: a string; nil is an error ("invalid value; expected string").
    Str,
    /// `int`: an int (or an integer constant).
    Int,
    /// `int64`
    Int64,
    /// `float64`
    Float,
    /// `bool`
    Bool,
    /// `[]interface{}` (a list; a `[]string` is not assignable in Go, but Sprig's list
    /// functions take `interface{}` and convert, so list parameters accept both).
    List,
    /// `map[string]interface{}` (a dict; nil is an empty map).
    Map,
}

impl Ty {
    /// Go's name of the type, for messages.
    pub fn go_name(self) -> &'static str {
        match self {
            Ty::Any => "interface {}",
            Ty::Str => "string",
            Ty::Int => "int",
            Ty::Int64 => "int64",
            Ty::Float => "float64",
            Ty::Bool => "bool",
            Ty::List => "[]interface {}",
            Ty::Map => "map[string]interface {}",
        }
    }
}

/// What a function may ask of the running template: budgets, and (for Helm's `include` and
/// `tpl`) the template set.
pub trait Env {
    /// Refuses a result of `bytes` bytes when it would pass the output budget.
    fn charge(&mut self, bytes: usize) -> Result<(), FuncError>;
    /// Executes the named template with `data` as dot (Helm's `include`).
    fn include(&mut self, name: &str, data: Value) -> Result<String, FuncError>;
    /// Parses and executes `text` with `data` as dot, seeing the named templates (Helm's `tpl`).
    fn tpl(&mut self, text: &str, data: Value) -> Result<String, FuncError>;
    /// `helm lint`'s mode: `required` and `fail` do not stop the render.
    fn lint_mode(&self) -> bool {
        false
    }
    /// Records a message for the user (e.g. `required` in lint mode).
    fn warn(&mut self, _message: String) {}
    /// Random bytes for Sprig's random and crypto functions.
    fn random_u64(&mut self) -> u64;
}

/// A function's implementation: the arguments arrive checked and converted to the declared
/// parameter types (an `Int` parameter gets a `Value::Int`, a `Str` a `Value::Str`).
pub type Imp = fn(&mut dyn Env, Vec<Value>) -> Result<Value, FuncError>;

/// One function of the map.
pub struct Func {
    pub name: &'static str,
    /// The fixed parameters.
    pub params: &'static [Ty],
    /// The type of a final `...` parameter, if any.
    pub variadic: Option<Ty>,
    /// One line of docs: what it does, as Helm's and Sprig's docs say it.
    pub doc: &'static str,
    pub imp: Imp,
}

/// Functions by name. Every call in a template looks its function up here, so the map uses
/// foldhash: SipHash took 180 instructions a lookup, about 1% of a large chart's render.
pub type Registry = HashMap<&'static str, &'static Func, foldhash::fast::FixedState>;

/// Every function by name.
pub fn registry() -> &'static Registry {
    static REGISTRY: OnceLock<Registry> = OnceLock::new();
    REGISTRY.get_or_init(|| {
        let mut map = Registry::default();
        for family in [
            builtin::FUNCS,
            helm_data::FUNCS,
            sprig_dicts::FUNCS,
            sprig_lists::FUNCS,
            sprig_strings::FUNCS,
            sprig_math::FUNCS,
            sprig_reflect::FUNCS,
            sprig_regex::FUNCS,
            sprig_semver::FUNCS,
            sprig_dates::FUNCS,
            sprig_misc::FUNCS,
        ] {
            for f in family {
                map.insert(f.name, f);
            }
        }
        map
    })
}

/// Looks up a function.
pub fn lookup(name: &str) -> Option<&'static Func> {
    registry().get(name).copied()
}
