//! Go's `text/template`, as Helm runs it: lexer, parser, executor with budgets, and the
//! function map (Go's builtins, Sprig's, Helm's).
//!
//! Stages: [`lex`] (items with byte positions, trim markers handled at the delimiters) →
//! [`parse`] (a tree per named template; every node keeps its position) → [`exec`] (walks a
//! tree with a dot, variables and budgets; errors name `template:line:col` and the action).
//! Values are Go's ([`value`]); printing follows Go's `fmt` ([`fmt`]).

pub mod exec;
pub mod fmt;
pub mod funcs;
pub mod lex;
pub mod parse;
pub mod value;

pub use value::{Kind, ListKind, MapKind, MapRef, Object, Value};

/// An error raised by a function (or a method of an object).
#[derive(Clone, Debug, PartialEq)]
pub struct FuncError {
    pub message: String,
    pub kind: FuncErrorKind,
    /// For [`FuncErrorKind::Nested`]: the nested template's error, with its frames.
    pub inner: Option<Box<exec::ExecError>>,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum FuncErrorKind {
    /// An ordinary error: Go prints `error calling NAME: message`.
    Call,
    /// Helm's `fail` and `required`: the message is the user's, printed as it is.
    Fail,
    /// A budget ran out (output size, steps, depth): not a template bug, a limit.
    Budget,
    /// An error of a nested template (`include`, `tpl`), already formatted.
    Nested,
}

impl FuncError {
    pub fn new(message: impl Into<String>) -> Self {
        FuncError {
            message: message.into(),
            kind: FuncErrorKind::Call,
            inner: None,
        }
    }

    pub fn fail(message: impl Into<String>) -> Self {
        FuncError {
            message: message.into(),
            kind: FuncErrorKind::Fail,
            inner: None,
        }
    }

    pub fn budget(message: impl Into<String>) -> Self {
        FuncError {
            message: message.into(),
            kind: FuncErrorKind::Budget,
            inner: None,
        }
    }

    /// The error of a nested template (`include`, `tpl`), kept whole.
    pub fn nested(e: exec::ExecError) -> Self {
        FuncError {
            message: e.helm_message(),
            kind: FuncErrorKind::Nested,
            inner: Some(Box::new(e)),
        }
    }
}

impl std::fmt::Display for FuncError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.message)
    }
}
