//! A test double of [`Env`] for the functions' unit tests: a byte budget, no templates, a
//! fixed random sequence.

#![allow(clippy::unwrap_used)]

use super::{lookup, Env};
use crate::gotmpl::{FuncError, Value};

pub struct TestEnv {
    /// Bytes left of the output budget.
    pub budget: usize,
    pub seed: u64,
}

impl Default for TestEnv {
    fn default() -> Self {
        TestEnv {
            budget: 1 << 20,
            seed: 1,
        }
    }
}

impl Env for TestEnv {
    fn charge(&mut self, bytes: usize) -> Result<(), FuncError> {
        if bytes > self.budget {
            return Err(FuncError::budget(format!(
                "output budget exceeded ({bytes} bytes asked)"
            )));
        }
        self.budget -= bytes;
        Ok(())
    }

    fn include(&mut self, name: &str, _data: Value) -> Result<String, FuncError> {
        Err(FuncError::new(format!("no template {name:?}")))
    }

    fn tpl(&mut self, _text: &str, _data: Value) -> Result<String, FuncError> {
        Err(FuncError::new("tpl is not available in unit tests"))
    }

    fn random_u64(&mut self) -> u64 {
        self.seed = self.seed.wrapping_mul(6364136223846793005).wrapping_add(1);
        self.seed
    }
}

/// Calls the registered function `name` with `args` (as the executor would, after its
/// argument checks).
pub fn call(name: &str, args: Vec<Value>) -> Result<Value, FuncError> {
    let f = lookup(name).unwrap_or_else(|| panic!("no function {name}"));
    (f.imp)(&mut TestEnv::default(), args)
}

/// `fmt.Sprint` of the result of `name`, or the error's text.
pub fn show(name: &str, args: Vec<Value>) -> String {
    match call(name, args) {
        Ok(v) => crate::gotmpl::fmt::sprint_one(&v),
        Err(e) => format!("error: {}", e.message),
    }
}

pub fn s(x: &str) -> Value {
    Value::str(x)
}

pub fn i(x: i64) -> Value {
    Value::Int(x)
}

pub fn f(x: f64) -> Value {
    Value::Float(x)
}

pub fn list(items: Vec<Value>) -> Value {
    Value::from(items)
}

/// A map from pairs.
pub fn map(pairs: Vec<(&str, Value)>) -> Value {
    Value::from(
        pairs
            .into_iter()
            .map(|(k, v)| (k.to_string(), v))
            .collect::<std::collections::BTreeMap<_, _>>(),
    )
}
