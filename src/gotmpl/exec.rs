//! The executor: walks a template's tree with a dot, variables and budgets, as Go's
//! `text/template/exec.go` does.
//!
//! Go distinguishes a nil *interface* value (what a missing map key yields: reading a field of
//! it is an error, "nil pointer evaluating interface {}.x") from *no value at all* (what a
//! pipeline that produced nil leaves in a variable, or the dot of a template called with nil:
//! reading a field of it quietly gives nothing). Here the first is `Some(Value::Nil)` and the
//! second `None`.
//!
//! Budgets end a runaway template with a clear error instead of a hang or an abort: steps
//! (every node and command), output bytes (templates and function results), and nesting depth
//! (`template`, `include`, `tpl`).

use std::collections::HashMap;
use std::rc::Rc;

use super::funcs::{self, Env, Ty};
use super::parse::{self, Arg, Branch, Command, Focus, List, Node, Pipe, Source, Tree};
use super::value::{ListKind, Value};
use super::{FuncError, FuncErrorKind};

/// Limits of one render.
#[derive(Clone, Copy, Debug)]
pub struct Limits {
    /// Nodes and commands executed, in all (a loop of 10^10 steps ends here).
    pub max_steps: u64,
    /// Bytes of output and of function results, in all.
    pub max_output_bytes: usize,
    /// Nesting of `template`, `include` and `tpl`.
    pub max_depth: usize,
    /// Nesting of one named template inside itself (Helm's own limit for `include`).
    pub max_recursion_per_name: usize,
}

impl Default for Limits {
    fn default() -> Self {
        Limits {
            max_steps: 200_000_000,
            max_output_bytes: 512 * 1024 * 1024,
            max_depth: 2_000,
            max_recursion_per_name: 1_000,
        }
    }
}

/// A map by template name: looked up at every `include`, so hashed with foldhash rather
/// than SipHash.
type ByName<V> = HashMap<String, V, foldhash::fast::FixedState>;

/// The named templates of a render (Go's template set).
#[derive(Default)]
pub struct Set {
    trees: ByName<Rc<Tree>>,
}

impl Set {
    /// Adds parsed trees; a later definition replaces an earlier one unless it is empty (as
    /// Go's `AddParseTree`).
    pub fn add(&mut self, trees: Vec<Tree>) {
        for t in trees {
            add_tree(&mut self.trees, t);
        }
    }

    pub fn get(&self, name: &str) -> Option<&Rc<Tree>> {
        self.trees.get(name)
    }

    pub fn contains(&self, name: &str) -> bool {
        self.trees.contains_key(name)
    }
}

fn add_tree(map: &mut ByName<Rc<Tree>>, t: Tree) {
    if parse::is_empty_tree(&t) && map.contains_key(&t.name) {
        return;
    }
    map.insert(t.name.clone(), Rc::new(t));
}

/// Whether `name` is a function templates may call.
pub fn is_func(name: &str) -> bool {
    matches!(
        name,
        "and" | "or" | "include" | "tpl" | "required" | "fail" | "lookup"
    ) || funcs::lookup(name).is_some()
}

/// One frame of an error's chain: where a template was executing.
#[derive(Clone, Debug, PartialEq)]
pub struct Frame {
    pub source: Rc<Source>,
    pub pos: usize,
    /// The template being executed (a file name or a `define` name).
    pub template: String,
    /// The node being evaluated, as Go prints it (`include "x" .`).
    pub context: String,
}

impl Frame {
    /// `name:line:col` as Go's `ErrorContext` prints it.
    pub fn location(&self) -> String {
        let (line, col) = self.source.line_col(self.pos);
        format!("{}:{}:{}", self.source.name, line, col)
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ErrorKind {
    /// A template error: Go prints it as `template: loc: executing "t" at <ctx>: message`.
    Exec,
    /// `fail`/`required`: the user's message.
    Fail,
    /// A limit ran out.
    Budget,
}

/// A frame while its template executes: the node it is at, described only for an error.
#[derive(Clone)]
struct LiveFrame {
    tree: Rc<Tree>,
    pos: usize,
    focus: Focus,
}

impl LiveFrame {
    fn frame(&self) -> Frame {
        Frame {
            source: self.tree.source.clone(),
            pos: self.pos,
            template: self.tree.name.clone(),
            context: self.tree.describe(self.pos, self.focus),
        }
    }
}

/// An execution error: the message and where, innermost frame last.
#[derive(Clone, Debug, PartialEq)]
pub struct ExecError {
    pub kind: ErrorKind,
    pub message: String,
    /// Outermost first: the template Helm rendered, then each `include`/`template`/`tpl`.
    pub frames: Vec<Frame>,
    /// The function whose call failed, if any.
    pub function: Option<String>,
}

impl ExecError {
    /// The message as Helm prints it (after its `cleanupExecError`).
    pub fn helm_message(&self) -> String {
        let outer = self.frames.first();
        match self.kind {
            ErrorKind::Fail => format!(
                "execution error at ({}): {}",
                outer.map(Frame::location).unwrap_or_default(),
                self.message
            ),
            _ => self.go_message(0),
        }
    }

    /// Go's nested form from frame `i` inwards.
    fn go_message(&self, i: usize) -> String {
        let Some(f) = self.frames.get(i) else {
            return self.message.clone();
        };
        let inner = if i + 1 < self.frames.len() {
            let call = if f.context.starts_with("tpl ") {
                "tpl"
            } else {
                "include"
            };
            format!("error calling {call}: {}", self.go_message(i + 1))
        } else {
            match &self.function {
                Some(name) => format!("error calling {name}: {}", self.message),
                None => self.message.clone(),
            }
        };
        format!(
            "template: {}: executing {:?} at <{}>: {}",
            f.location(),
            f.template,
            f.context,
            inner
        )
    }

    /// The innermost frame: where the failing action is.
    pub fn innermost(&self) -> Option<&Frame> {
        self.frames.last()
    }
}

/// Options of an execution.
#[derive(Clone, Copy, Debug, Default)]
pub struct Options {
    /// `missingkey=error` (Helm's `--strict`).
    pub strict: bool,
    /// `helm lint`: `required` and `fail` warn instead of failing.
    pub lint: bool,
    /// Plain Go templates (`--name-template`): the output keeps the `<no value>` Go prints,
    /// which Helm removes from a chart's templates only.
    pub keep_no_value: bool,
    /// `range` over an integer counts from 0 (Go 1.24's templates, Helm v4's); Go 1.23's
    /// (Helm v3.17's) refuse it.
    pub range_over_int: bool,
    pub limits: Limits,
}

/// Executes templates of a set; one per render (it holds the budgets).
pub struct Exec<'a> {
    set: &'a Set,
    /// Templates defined by `tpl` texts, innermost last (Helm parses `tpl` into a clone).
    overlays: Vec<ByName<Rc<Tree>>>,
    opts: Options,
    steps: u64,
    output: usize,
    depth: usize,
    per_name: ByName<usize>,
    /// Parsed `tpl` texts, by text.
    tpl_cache: HashMap<String, Rc<Vec<Rc<Tree>>>>,
    rng: u64,
    pub warnings: Vec<String>,
    /// The frames of the templates being executed (outermost first), for error chains.
    stack: Vec<LiveFrame>,
    /// Where the top-level template's output came from, when asked for.
    spans: Option<Vec<Span>>,
    /// Whether writes go to the output Helm cleans of `<no value>` (the rendered template's,
    /// not an `include`'s, whose text Helm leaves as it is).
    cleaning: bool,
}

/// A piece of a template's output and the template text that produced it: the same bytes
/// (`raw`: text written as it is) or an action (`{{ ... }}`) that printed them.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Span {
    pub output: std::ops::Range<usize>,
    pub source: std::ops::Range<usize>,
    pub raw: bool,
}

/// Per-template state: the variables in scope.
struct State {
    vars: Vec<(String, Option<Value>)>,
}

/// Control flow out of a list.
enum Flow {
    Normal,
    Break,
    Continue,
}

type R<T> = Result<T, ExecError>;

impl<'a> Exec<'a> {
    pub fn new(set: &'a Set, opts: Options) -> Self {
        Exec {
            set,
            overlays: Vec::new(),
            opts,
            steps: 0,
            output: 0,
            depth: 0,
            per_name: ByName::default(),
            tpl_cache: HashMap::new(),
            rng: 0x9e37_79b9_7f4a_7c15
                ^ std::time::SystemTime::now()
                    .duration_since(std::time::UNIX_EPOCH)
                    .map(|d| d.as_nanos() as u64)
                    .unwrap_or(0),
            warnings: Vec::new(),
            stack: Vec::new(),
            spans: None,
            cleaning: !opts.keep_no_value,
        }
    }

    /// Executes the named template and also returns where each piece of its output came from
    /// (in the template's own text; output of `include`d or `template`d templates is
    /// attributed to the action that called them).
    pub fn execute_with_spans(
        &mut self,
        name: &str,
        data: Option<Value>,
    ) -> R<(String, Vec<Span>)> {
        self.spans = Some(Vec::new());
        let r = self.execute(name, data);
        let spans = self.spans.take().unwrap_or_default();
        r.map(|out| (out, spans))
    }

    fn record(
        &mut self,
        out_start: usize,
        out_end: usize,
        src_start: usize,
        src_end: usize,
        raw: bool,
    ) {
        if self.depth != 1 || out_end == out_start {
            return;
        }
        if let Some(spans) = &mut self.spans {
            spans.push(Span {
                output: out_start..out_end,
                source: src_start..src_end,
                raw,
            });
        }
    }

    fn lookup_tree(&self, name: &str) -> Option<Rc<Tree>> {
        for o in self.overlays.iter().rev() {
            if let Some(t) = o.get(name) {
                return Some(t.clone());
            }
        }
        self.set.get(name).cloned()
    }

    /// Executes the named template with `data` as dot and returns its output.
    pub fn execute(&mut self, name: &str, data: Option<Value>) -> R<String> {
        let Some(tree) = self.lookup_tree(name) else {
            return Err(self.error_here(
                ErrorKind::Exec,
                format!("no template {name:?} associated with template \"gotpl\""),
                None,
            ));
        };
        let mut out = String::new();
        self.run_tree(tree, data, &mut out)?;
        Ok(out)
    }

    fn run_tree(&mut self, tree: Rc<Tree>, data: Option<Value>, out: &mut String) -> R<()> {
        if self.depth >= self.opts.limits.max_depth {
            return Err(self.error_here(
                ErrorKind::Budget,
                format!(
                    "templates nested more than {} deep (a template that includes itself without end?)",
                    self.opts.limits.max_depth
                ),
                None,
            ));
        }
        self.depth += 1;
        self.stack.push(LiveFrame {
            tree: tree.clone(),
            pos: 0,
            focus: Focus::None,
        });
        let mut st = State {
            vars: vec![("$".to_string(), data.clone())],
        };
        let r = self.walk_list(&mut st, &data, &tree.root, out);
        self.stack.pop();
        self.depth -= 1;
        r.map(|_| ())
    }

    fn at(&mut self, pos: usize, focus: Focus) {
        if let Some(f) = self.stack.last_mut() {
            f.pos = pos;
            f.focus = focus;
        }
    }

    /// An error at the current node, with the chain of frames.
    fn error_here(&self, kind: ErrorKind, message: String, function: Option<String>) -> ExecError {
        ExecError {
            kind,
            message,
            frames: self.stack.iter().map(LiveFrame::frame).collect(),
            function,
        }
    }

    fn err<T>(&self, message: impl Into<String>) -> R<T> {
        Err(self.error_here(ErrorKind::Exec, message.into(), None))
    }

    fn step(&mut self) -> R<()> {
        self.steps += 1;
        if self.steps > self.opts.limits.max_steps {
            return Err(self.error_here(
                ErrorKind::Budget,
                format!(
                    "the templates ran more than {} steps (a loop that never ends, or one far too large?)",
                    self.opts.limits.max_steps
                ),
                None,
            ));
        }
        Ok(())
    }

    /// Appends to a template's output. Helm removes every `<no value>` (what Go prints for a
    /// missing value) from a rendered template's text; doing it as it is written keeps output
    /// offsets true.
    fn write(&mut self, out: &mut String, s: &str) -> R<()> {
        let cleaned;
        let s = if self.cleaning && s.contains("<no value>") {
            cleaned = s.replace("<no value>", "");
            cleaned.as_str()
        } else {
            s
        };
        self.output += s.len();
        if self.output > self.opts.limits.max_output_bytes {
            return Err(self.error_here(
                ErrorKind::Budget,
                format!(
                    "the templates wrote more than {} bytes",
                    self.opts.limits.max_output_bytes
                ),
                None,
            ));
        }
        out.push_str(s);
        Ok(())
    }

    fn walk_list(
        &mut self,
        st: &mut State,
        dot: &Option<Value>,
        list: &List,
        out: &mut String,
    ) -> R<Flow> {
        for node in list {
            match self.walk(st, dot, node, out)? {
                Flow::Normal => {}
                other => return Ok(other),
            }
        }
        Ok(Flow::Normal)
    }

    fn walk(
        &mut self,
        st: &mut State,
        dot: &Option<Value>,
        node: &Node,
        out: &mut String,
    ) -> R<Flow> {
        self.step()?;
        match node {
            Node::Text { pos, len } => {
                // The node belongs to the tree of the innermost frame.
                let Some(tree) = self.stack.last().map(|f| f.tree.clone()) else {
                    return Ok(Flow::Normal);
                };
                let start = out.len();
                self.write(out, tree.text(*pos, *len))?;
                self.record(start, out.len(), *pos, *pos + *len, true);
            }
            Node::Action(pipe) => {
                let v = self.eval_pipeline(st, dot, pipe)?;
                if pipe.decl.is_empty() {
                    let start = out.len();
                    self.print_value(&v, out)?;
                    self.record(start, out.len(), pipe.pos, pipe.end, false);
                }
            }
            Node::If(b) => return self.walk_if_with(st, dot, b, false, out),
            Node::With(b) => return self.walk_if_with(st, dot, b, true, out),
            Node::Range(b) => return self.walk_range(st, dot, b, out),
            Node::Template { pos, name, pipe } => {
                self.at(*pos, Focus::Template);
                let data = match pipe {
                    Some(p) => self.eval_pipeline(st, dot, p)?,
                    None => None,
                };
                let Some(tree) = self.lookup_tree(name) else {
                    return self.err(format!("template {name:?} not defined"));
                };
                let start = out.len();
                self.run_tree(tree, data, out)?;
                let end = pipe.as_ref().map_or(*pos + name.len(), |p| p.end);
                self.record(start, out.len(), *pos, end, false);
            }
            Node::Break(_) => return Ok(Flow::Break),
            Node::Continue(_) => return Ok(Flow::Continue),
        }
        Ok(Flow::Normal)
    }

    fn print_value(&mut self, v: &Option<Value>, out: &mut String) -> R<()> {
        let text = match v {
            None | Some(Value::Nil) => "<no value>".to_string(),
            // Printed directly, a field is addressable: its pointer's String() applies.
            Some(Value::Object(o)) => o.display(),
            Some(v) => super::fmt::sprint_one(v),
        };
        self.write(out, &text)
    }

    fn walk_if_with(
        &mut self,
        st: &mut State,
        dot: &Option<Value>,
        b: &Branch,
        with: bool,
        out: &mut String,
    ) -> R<Flow> {
        let mark = st.vars.len();
        let v = self.eval_pipeline(st, dot, &b.pipe)?;
        let truth = v.as_ref().is_some_and(Value::truthy);
        let r = if truth {
            if with {
                self.walk_list(st, &v, &b.list, out)
            } else {
                self.walk_list(st, dot, &b.list, out)
            }
        } else if let Some(els) = &b.else_list {
            self.walk_list(st, dot, els, out)
        } else {
            Ok(Flow::Normal)
        };
        st.vars.truncate(mark);
        r
    }

    fn walk_range(
        &mut self,
        st: &mut State,
        dot: &Option<Value>,
        b: &Branch,
        out: &mut String,
    ) -> R<Flow> {
        let mark = st.vars.len();
        self.at(b.pos, Focus::Range);
        let v = self.eval_pipeline(st, dot, &b.pipe)?;
        // A map- or slice-typed object (`.Files.Glob`'s result, `.Capabilities.APIVersions`)
        // ranges as the collection it is.
        let v = match v {
            Some(Value::Object(o)) => Some(o.as_collection().unwrap_or(Value::Object(o))),
            other => other,
        };
        if let (Some(Value::Int(n) | Value::Int64(n)), true) = (&v, self.opts.range_over_int) {
            let r = self.range_over_int(st, dot, b, v.as_ref(), *n, out);
            st.vars.truncate(mark);
            return r;
        }
        // The pipeline's own declarations are the loop variables; drop their values.
        let items: Vec<(Value, Value)> = match &v {
            None | Some(Value::Nil) => Vec::new(),
            Some(Value::List(l, _)) => l
                .iter()
                .enumerate()
                .map(|(i, x)| (Value::Int(i as i64), x.clone()))
                .collect(),
            Some(Value::Map(m, _)) => m
                .borrow()
                .iter()
                .map(|(k, x)| (Value::from(k.as_str()), x.clone()))
                .collect(),
            Some(Value::Bytes(bs)) => bs
                .iter()
                .enumerate()
                .map(|(i, x)| (Value::Int(i as i64), Value::Int(i64::from(*x))))
                .collect(),
            Some(other) => {
                return self.err(format!(
                    "range can't iterate over {}",
                    super::fmt::sprint_one(other)
                ));
            }
        };
        if items.is_empty() {
            let r = match &b.else_list {
                Some(els) => self.walk_list(st, dot, els, out),
                None => Ok(Flow::Normal),
            };
            st.vars.truncate(mark);
            return r.map(|_| Flow::Normal);
        }
        for (k, x) in items {
            self.step()?;
            match b.pipe.decl.len() {
                0 => {}
                1 => set_var(st, &b.pipe.decl[0], Some(x.clone())),
                _ => {
                    set_var(st, &b.pipe.decl[0], Some(k));
                    set_var(st, &b.pipe.decl[1], Some(x.clone()));
                }
            }
            let inner_mark = st.vars.len();
            let f = self.walk_list(st, &Some(x), &b.list, out)?;
            st.vars.truncate(inner_mark);
            if matches!(f, Flow::Break) {
                break;
            }
        }
        st.vars.truncate(mark);
        Ok(Flow::Normal)
    }

    /// Go 1.24's `range` over an integer: `0 .. n-1`, of the integer's own type, with at most
    /// one variable; `else` when `n` is not positive. Counted without a list, so a huge `n`
    /// ends at the step budget rather than in memory.
    fn range_over_int(
        &mut self,
        st: &mut State,
        dot: &Option<Value>,
        b: &Branch,
        v: Option<&Value>,
        n: i64,
        out: &mut String,
    ) -> R<Flow> {
        if b.pipe.decl.len() > 1 {
            let shown = v.map(super::fmt::sprint_one).unwrap_or_default();
            return self.err(format!(
                "can't use {shown} to iterate over more than one variable"
            ));
        }
        if n <= 0 {
            return match &b.else_list {
                Some(els) => self.walk_list(st, dot, els, out).map(|_| Flow::Normal),
                None => Ok(Flow::Normal),
            };
        }
        for i in 0..n {
            self.step()?;
            let x = match v {
                Some(Value::Int64(_)) => Value::Int64(i),
                _ => Value::Int(i),
            };
            if let Some(var) = b.pipe.decl.first() {
                set_var(st, var, Some(x.clone()));
            }
            let inner_mark = st.vars.len();
            let f = self.walk_list(st, &Some(x), &b.list, out)?;
            st.vars.truncate(inner_mark);
            if matches!(f, Flow::Break) {
                break;
            }
        }
        Ok(Flow::Normal)
    }

    /// Evaluates a pipeline; declares or assigns its variables.
    fn eval_pipeline(
        &mut self,
        st: &mut State,
        dot: &Option<Value>,
        pipe: &Pipe,
    ) -> R<Option<Value>> {
        let mut value: Option<Option<Value>> = None; // None: no previous command
        for cmd in &pipe.cmds {
            let v = self.eval_command(st, dot, cmd, value.take())?;
            // A nil interface becomes no value at all between commands (Go's "lovely!").
            value = Some(match v {
                Some(Value::Nil) => None,
                other => other,
            });
        }
        let value = value.unwrap_or(None);
        for name in &pipe.decl {
            if pipe.is_assign {
                if let Some(slot) = st.vars.iter_mut().rev().find(|(n, _)| n == name) {
                    slot.1 = value.clone();
                } else {
                    return self.err(format!("undefined variable: {name}"));
                }
            } else {
                st.vars.push((name.clone(), value.clone()));
            }
        }
        Ok(value)
    }

    /// Evaluates one command; `last` is the previous command's result, passed as the final
    /// argument (`Some(None)` when that result was nil).
    fn eval_command(
        &mut self,
        st: &mut State,
        dot: &Option<Value>,
        cmd: &Command,
        last: Option<Option<Value>>,
    ) -> R<Option<Value>> {
        self.step()?;
        let Some(first) = cmd.args.first() else {
            return self.err("empty command");
        };
        let args = &cmd.args[1..];
        match first {
            Arg::Field { pos, idents } => {
                self.at(*pos, Focus::Arg);
                let receiver = dot.clone();
                self.eval_field_chain(st, dot, receiver, idents, args, last)
            }
            Arg::Chain { node, fields, pos } => {
                let r = self.eval_arg_value(st, dot, node)?;
                self.at(*pos, Focus::Arg);
                self.eval_field_chain(st, dot, r, fields, args, last)
            }
            Arg::Variable { pos, name, idents } => {
                self.at(*pos, Focus::Arg);
                let v = lookup_var(st, name);
                let Some(v) = v else {
                    return self.err(format!("undefined variable: {name}"));
                };
                if idents.is_empty() {
                    self.not_a_function(first, args, &last)?;
                    return Ok(v);
                }
                self.eval_field_chain(st, dot, v, idents, args, last)
            }
            Arg::Ident { pos, name } => {
                self.at(cmd.pos.min(*pos), Focus::Command);
                self.eval_function(st, dot, name, cmd, args, last)
            }
            Arg::Pipe(p) => {
                self.not_a_function(first, args, &last)?;
                self.eval_pipeline(st, dot, p)
            }
            Arg::Nil(pos) => {
                self.at(*pos, Focus::Arg);
                self.err("nil is not a command")
            }
            Arg::Dot(_) => {
                self.not_a_function(first, args, &last)?;
                Ok(dot.clone())
            }
            Arg::Bool(..) | Arg::Number(..) | Arg::Str { .. } => {
                // Go's evalCommand: an error (an integer that overflows int) is at the word.
                self.at(first.pos(), Focus::Arg);
                self.not_a_function(first, args, &last)?;
                Ok(Some(self.constant(first)?))
            }
        }
    }

    fn not_a_function(&self, arg: &Arg, args: &[Arg], last: &Option<Option<Value>>) -> R<()> {
        if !args.is_empty() || last.is_some() {
            return self.err(format!("can't give argument to non-function {arg}"));
        }
        Ok(())
    }

    /// A constant as a value of its own (`{{ 3 }}`, `{{ "x" }}`, dot).
    fn constant(&self, arg: &Arg) -> R<Value> {
        Ok(match arg {
            Arg::Bool(_, b) => Value::Bool(*b),
            Arg::Str { value, .. } => Value::Str(value.clone()),
            Arg::Number(_, n) => self.ideal_constant(n)?,
            Arg::Dot(_) => Value::Nil,
            _ => Value::Nil,
        })
    }

    /// Go's `idealConstant`: an integer constant is an `int`, one with `.`/`e`/`p` a float64.
    fn ideal_constant(&self, n: &parse::Number) -> R<Value> {
        let looks_float = !n.is_char
            && !n.text.to_ascii_lowercase().starts_with("0x")
            && n.text.contains(['.', 'e', 'E', 'p', 'P']);
        if looks_float {
            if let Some(f) = n.float {
                return Ok(Value::Float(f));
            }
        }
        if let Some(i) = n.int {
            return Ok(Value::Int(i));
        }
        if n.uint.is_some() {
            return self.err(format!("{} overflows int", n.text));
        }
        match n.float {
            Some(f) => Ok(Value::Float(f)),
            None => self.err(format!("illegal number syntax: {}", n.text)),
        }
    }

    /// Evaluates an argument as a value for an `interface{}` parameter.
    fn eval_arg_value(
        &mut self,
        st: &mut State,
        dot: &Option<Value>,
        arg: &Arg,
    ) -> R<Option<Value>> {
        match arg {
            Arg::Dot(_) => Ok(dot.clone()),
            Arg::Nil(_) => Ok(Some(Value::Nil)),
            Arg::Bool(..) | Arg::Str { .. } | Arg::Number(..) => {
                self.at(arg.pos(), Focus::Arg);
                Ok(Some(self.constant(arg)?))
            }
            Arg::Field { pos, idents } => {
                self.at(*pos, Focus::Arg);
                self.eval_field_chain(st, dot, dot.clone(), idents, &[], None)
            }
            Arg::Variable { pos, name, idents } => {
                self.at(*pos, Focus::Arg);
                let Some(v) = lookup_var(st, name) else {
                    return self.err(format!("undefined variable: {name}"));
                };
                if idents.is_empty() {
                    return Ok(v);
                }
                self.eval_field_chain(st, dot, v, idents, &[], None)
            }
            Arg::Pipe(p) => self.eval_pipeline(st, dot, p),
            Arg::Ident { pos, name } => {
                self.at(*pos, Focus::Name);
                let cmd = Command {
                    pos: *pos,
                    args: Vec::new(),
                };
                self.eval_function(st, dot, name, &cmd, &[], None)
            }
            Arg::Chain { node, fields, pos } => {
                let r = self.eval_arg_value(st, dot, node)?;
                self.at(*pos, Focus::Arg);
                self.eval_field_chain(st, dot, r, fields, &[], None)
            }
        }
    }

    /// `.A.B.C` on `receiver`; the last field gets the arguments (a method call).
    fn eval_field_chain(
        &mut self,
        st: &mut State,
        dot: &Option<Value>,
        receiver: Option<Value>,
        idents: &[String],
        args: &[Arg],
        last: Option<Option<Value>>,
    ) -> R<Option<Value>> {
        let mut r = receiver;
        let n = idents.len();
        for (i, name) in idents.iter().enumerate() {
            let is_last = i + 1 == n;
            if is_last {
                return self.eval_field(st, dot, r, name, args, last);
            }
            r = self.eval_field(st, dot, r, name, &[], None)?;
        }
        Ok(r)
    }

    fn eval_field(
        &mut self,
        st: &mut State,
        dot: &Option<Value>,
        receiver: Option<Value>,
        name: &str,
        args: &[Arg],
        last: Option<Option<Value>>,
    ) -> R<Option<Value>> {
        let has_args = !args.is_empty() || last.is_some();
        let Some(recv) = receiver else {
            if self.opts.strict {
                return self.err(format!("nil data; no entry for key {name:?}"));
            }
            return Ok(None);
        };
        match &recv {
            Value::Nil => self.err(format!("nil pointer evaluating interface {{}}.{name}")),
            Value::Map(m, _) => {
                if has_args {
                    return self.err(format!("{name} is not a method but has arguments"));
                }
                let found = m.borrow().get(name).cloned();
                match found {
                    Some(v) => Ok(Some(v)),
                    None if self.opts.strict => {
                        self.err(format!("map has no entry for key {name:?}"))
                    }
                    None => Ok(Some(Value::Nil)),
                }
            }
            Value::Object(o) => {
                if let Some(v) = o.field(name) {
                    if has_args {
                        return self.err(format!(
                            "{name} has arguments but cannot be invoked as function"
                        ));
                    }
                    return Ok(Some(v));
                }
                let mut vals = Vec::new();
                for a in args {
                    let v = self.eval_arg_value(st, dot, a)?;
                    vals.push(v.unwrap_or(Value::Nil));
                }
                if let Some(l) = last {
                    vals.push(l.unwrap_or(Value::Nil));
                }
                match o.call(name, &vals) {
                    Some(Ok(v)) => Ok(Some(v)),
                    Some(Err(e)) => {
                        Err(self.error_here(ErrorKind::Exec, e.message, Some(name.to_string())))
                    }
                    None => self.err(format!(
                        "can't evaluate field {name} in type {}",
                        o.type_name()
                    )),
                }
            }
            // Go names the static type: a value read from a map or list is an `interface {}`.
            _ => self.err(format!(
                "can't evaluate field {name} in type interface {{}}"
            )),
        }
    }

    /// Calls a function of the map (or Go's short-circuit `and`/`or`, or Helm's own).
    fn eval_function(
        &mut self,
        st: &mut State,
        dot: &Option<Value>,
        name: &str,
        cmd: &Command,
        args: &[Arg],
        last: Option<Option<Value>>,
    ) -> R<Option<Value>> {
        let here = Focus::Command;
        let pos = cmd.pos;
        match name {
            "and" | "or" => {
                let is_or = name == "or";
                if args.is_empty() && last.is_none() {
                    return self.err(format!(
                        "wrong number of args for {name}: want at least 1 got 0"
                    ));
                }
                let mut v = None;
                for a in args {
                    v = self.eval_arg_value(st, dot, a)?;
                    let t = v.as_ref().is_some_and(Value::truthy);
                    if t == is_or {
                        return Ok(v);
                    }
                }
                if let Some(l) = last {
                    v = l;
                }
                return Ok(Some(v.unwrap_or(Value::Nil)));
            }
            "include" | "tpl" | "required" | "fail" | "lookup" => {
                let vals = self.eval_args_any(st, dot, args, last)?;
                self.at(pos, here);
                return self.helm_function(name, vals).map(Some);
            }
            _ => {}
        }
        let Some(f) = funcs::lookup(name) else {
            return self.err(format!("function {name:?} not defined"));
        };
        let given = args.len() + usize::from(last.is_some());
        let fixed = f.params.len();
        if f.variadic.is_some() {
            if given < fixed {
                return self.err(format!(
                    "wrong number of args for {name}: want at least {fixed} got {given}"
                ));
            }
        } else if given != fixed {
            return self.err(format!(
                "wrong number of args for {name}: want {fixed} got {given}"
            ));
        }
        let mut vals = Vec::with_capacity(given);
        for (i, a) in args.iter().enumerate() {
            let ty = param_type(f, i);
            let v = self.eval_arg_typed(st, dot, a, ty)?;
            vals.push(v);
        }
        if let Some(l) = last {
            let ty = param_type(f, given - 1);
            self.at(pos, here);
            vals.push(self.check_type(l, ty)?);
        }
        self.at(pos, here);
        match (f.imp)(self, vals) {
            Ok(v) => Ok(Some(v)),
            Err(e) => Err(self.func_error(name, e)),
        }
    }

    fn eval_args_any(
        &mut self,
        st: &mut State,
        dot: &Option<Value>,
        args: &[Arg],
        last: Option<Option<Value>>,
    ) -> R<Vec<Value>> {
        let mut vals = Vec::new();
        for a in args {
            vals.push(self.eval_arg_value(st, dot, a)?.unwrap_or(Value::Nil));
        }
        if let Some(l) = last {
            vals.push(l.unwrap_or(Value::Nil));
        }
        Ok(vals)
    }

    /// A function's error, with where it happened.
    fn func_error(&self, name: &str, e: FuncError) -> ExecError {
        match e.kind {
            FuncErrorKind::Fail => self.error_here(ErrorKind::Fail, e.message, None),
            FuncErrorKind::Budget => {
                self.error_here(ErrorKind::Budget, e.message, Some(name.to_string()))
            }
            FuncErrorKind::Nested => match e.inner {
                Some(inner) => {
                    let mut inner = *inner;
                    // The inner error's frames start below ours.
                    let mut frames: Vec<Frame> = self.stack.iter().map(LiveFrame::frame).collect();
                    frames.append(&mut inner.frames);
                    inner.frames = frames;
                    inner
                }
                None => self.error_here(ErrorKind::Exec, e.message, Some(name.to_string())),
            },
            FuncErrorKind::Call => {
                self.error_here(ErrorKind::Exec, e.message, Some(name.to_string()))
            }
        }
    }

    /// Evaluates an argument for a parameter of type `ty`, as Go's `evalArg` does.
    fn eval_arg_typed(
        &mut self,
        st: &mut State,
        dot: &Option<Value>,
        arg: &Arg,
        ty: Ty,
    ) -> R<Value> {
        // Go's evalArg: a constant of the wrong type is reported at the constant.
        if matches!(
            arg,
            Arg::Number(..) | Arg::Str { .. } | Arg::Bool(..) | Arg::Nil(_)
        ) {
            self.at(arg.pos(), Focus::Arg);
        }
        match (arg, ty) {
            (Arg::Number(_, n), _) => {
                return match ty {
                    Ty::Any => self.ideal_constant(n),
                    Ty::Int if n.int.is_some() => Ok(Value::Int(n.int.unwrap_or(0))),
                    Ty::Int64 if n.int.is_some() => Ok(Value::Int64(n.int.unwrap_or(0))),
                    Ty::Float if n.float.is_some() => Ok(Value::Float(n.float.unwrap_or(0.0))),
                    Ty::Int | Ty::Int64 => self.err(format!("expected integer; found {}", n.text)),
                    Ty::Float => self.err(format!("expected float; found {}", n.text)),
                    _ => self.err(format!("expected {}; found {}", ty_word(ty), n.text)),
                };
            }
            (Arg::Str { value, quoted, .. }, _) => {
                return match ty {
                    Ty::Any | Ty::Str => Ok(Value::Str(value.clone())),
                    _ => self.err(format!("expected {}; found {}", ty_word(ty), quoted)),
                };
            }
            (Arg::Bool(_, b), _) => {
                return match ty {
                    Ty::Any | Ty::Bool => Ok(Value::Bool(*b)),
                    _ => self.err(format!("expected {}; found {}", ty_word(ty), b)),
                };
            }
            (Arg::Nil(_), _) => {
                return match ty {
                    Ty::Any => Ok(Value::Nil),
                    Ty::List => Ok(Value::list_of(Vec::new(), ListKind::Any)),
                    Ty::Map => Ok(Value::Nil),
                    _ => self.err(format!("cannot assign nil to {}", ty.go_name())),
                };
            }
            _ => {}
        }
        let v = self.eval_arg_value(st, dot, arg)?;
        self.check_type(v, ty)
    }

    /// Go's `validateType`: is the value assignable to the parameter?
    fn check_type(&self, v: Option<Value>, ty: Ty) -> R<Value> {
        let Some(v) = v else {
            // No value at all: nil of a type that can be nil, else an error.
            return match ty {
                Ty::Any | Ty::Map => Ok(Value::Nil),
                Ty::List => Ok(Value::list_of(Vec::new(), ListKind::Any)),
                _ => self.err(format!("invalid value; expected {}", ty.go_name())),
            };
        };
        let ok = matches!(
            (&v, ty),
            (_, Ty::Any)
                | (Value::Str(_), Ty::Str)
                | (Value::Int(_), Ty::Int)
                | (Value::Int64(_), Ty::Int64)
                | (Value::Float(_), Ty::Float)
                | (Value::Bool(_), Ty::Bool)
                | (Value::List(..), Ty::List)
                | (Value::Map(..), Ty::Map)
        );
        if ok {
            return Ok(v);
        }
        let got = match &v {
            Value::Nil => "interface {}".to_string(),
            other => other.type_name(),
        };
        self.err(format!(
            "wrong type for value; expected {}; got {got}",
            ty.go_name()
        ))
    }

    /// Helm's own functions that reach the template set or the render's mode.
    fn helm_function(&mut self, name: &str, args: Vec<Value>) -> R<Value> {
        let want = |n: usize| -> R<()> {
            if args.len() != n {
                return self.err(format!(
                    "wrong number of args for {name}: want {n} got {}",
                    args.len()
                ));
            }
            Ok(())
        };
        match name {
            "include" => {
                want(2)?;
                let tname = self.string_arg(name, &args[0])?;
                let data = match &args[1] {
                    Value::Nil => None,
                    v => Some(v.clone()),
                };
                // The name is copied only the first time it is included.
                let count = match self.per_name.get_mut(&tname) {
                    Some(c) => {
                        *c += 1;
                        *c
                    }
                    None => {
                        self.per_name.insert(tname.clone(), 1);
                        1
                    }
                };
                if count > self.opts.limits.max_recursion_per_name {
                    if let Some(c) = self.per_name.get_mut(&tname) {
                        *c -= 1;
                    }
                    return Err(self.error_here(
                        ErrorKind::Budget,
                        format!("rendering template has a nested reference name: {tname}: unable to execute template (it includes itself more than {} times)", self.opts.limits.max_recursion_per_name),
                        Some("include".into()),
                    ));
                }
                let r = self.include_tree(&tname, data);
                if let Some(c) = self.per_name.get_mut(&tname) {
                    *c -= 1;
                }
                let s = r?;
                Ok(Value::from(s))
            }
            "tpl" => {
                want(2)?;
                let text = self.string_arg(name, &args[0])?;
                let data = match &args[1] {
                    Value::Nil => None,
                    v => Some(v.clone()),
                };
                self.run_tpl(&text, data).map(Value::from)
            }
            "required" => {
                want(2)?;
                let msg = self.string_arg(name, &args[0])?;
                let missing = match &args[1] {
                    Value::Nil => true,
                    Value::Str(s) => s.is_empty(),
                    _ => false,
                };
                if missing {
                    if self.opts.lint {
                        self.warnings.push(format!("Missing required value: {msg}"));
                        return Ok(Value::str(""));
                    }
                    return Err(self.error_here(ErrorKind::Fail, msg, None));
                }
                Ok(args[1].clone())
            }
            "fail" => {
                want(1)?;
                let msg = self.string_arg(name, &args[0])?;
                if self.opts.lint {
                    self.warnings.push(format!("Fail: {msg}"));
                    return Ok(Value::str(""));
                }
                Err(self.error_here(ErrorKind::Fail, msg, None))
            }
            "lookup" => {
                want(4)?;
                // `helm template` has no cluster: lookup returns an empty map.
                Ok(Value::new_map())
            }
            _ => self.err(format!("function {name:?} not defined")),
        }
    }

    fn string_arg(&self, func: &str, v: &Value) -> R<String> {
        match v {
            Value::Str(s) => Ok(s.to_string()),
            Value::Nil => self.err("invalid value; expected string").map_err(|mut e| {
                e.function = Some(func.to_string());
                e
            }),
            other => self.err(format!(
                "wrong type for value; expected string; got {}",
                other.type_name()
            )),
        }
    }

    fn include_tree(&mut self, name: &str, data: Option<Value>) -> R<String> {
        let Some(tree) = self.lookup_tree(name) else {
            return Err(self.error_here(
                ErrorKind::Exec,
                format!("template: no template {name:?} associated with template \"gotpl\""),
                Some("include".into()),
            ));
        };
        let mut out = String::new();
        let cleaning = std::mem::replace(&mut self.cleaning, false);
        let r = self.run_tree(tree, data, &mut out);
        self.cleaning = cleaning;
        r?;
        Ok(out)
    }

    /// Helm's `tpl`: parses `text` (its defines visible only inside), executes it with `data`.
    fn run_tpl(&mut self, text: &str, data: Option<Value>) -> R<String> {
        let trees = match self.tpl_cache.get(text) {
            Some(t) => t.clone(),
            None => {
                let source = Rc::new(Source {
                    name: "gotpl".to_string(),
                    text: text.into(),
                });
                let parsed = parse::parse(source, &is_func).map_err(|e| {
                    let (line, _) = Source {
                        name: String::new(),
                        text: text.into(),
                    }
                    .line_col(e.pos);
                    self.error_here(
                        ErrorKind::Exec,
                        format!(
                            "cannot parse template {text:?}: template: gotpl:{line}: {}",
                            e.message
                        ),
                        Some("tpl".into()),
                    )
                })?;
                let trees: Rc<Vec<Rc<Tree>>> = Rc::new(parsed.into_iter().map(Rc::new).collect());
                if self.tpl_cache.len() < 10_000 {
                    self.tpl_cache.insert(text.to_string(), trees.clone());
                }
                trees
            }
        };
        let mut overlay = ByName::default();
        for t in trees.iter().skip(1) {
            if parse::is_empty_tree(t)
                && (overlay.contains_key(&t.name) || self.lookup_tree(&t.name).is_some())
            {
                continue;
            }
            overlay.insert(t.name.clone(), t.clone());
        }
        let Some(main) = trees.first().cloned() else {
            return Ok(String::new());
        };
        self.overlays.push(overlay);
        let mut out = String::new();
        let cleaning = std::mem::replace(&mut self.cleaning, false);
        let r = self.run_tree(main, data, &mut out);
        self.cleaning = cleaning;
        self.overlays.pop();
        r?;
        Ok(out.replace("<no value>", ""))
    }

    fn next_random(&mut self) -> u64 {
        // xorshift64*: not for secrets (Sprig's random strings are not either).
        let mut x = self.rng;
        x ^= x >> 12;
        x ^= x << 25;
        x ^= x >> 27;
        self.rng = x;
        x.wrapping_mul(0x2545_f491_4f6c_dd1d)
    }
}

impl Env for Exec<'_> {
    fn charge(&mut self, bytes: usize) -> Result<(), FuncError> {
        self.output = self.output.saturating_add(bytes);
        if self.output > self.opts.limits.max_output_bytes {
            return Err(FuncError::budget(format!(
                "the templates made more than {} bytes of text",
                self.opts.limits.max_output_bytes
            )));
        }
        Ok(())
    }

    fn include(&mut self, name: &str, data: Value) -> Result<String, FuncError> {
        self.helm_function("include", vec![Value::from(name), data])
            .map(|v| v.as_str().unwrap_or_default().to_string())
            .map_err(FuncError::nested)
    }

    fn tpl(&mut self, text: &str, data: Value) -> Result<String, FuncError> {
        self.helm_function("tpl", vec![Value::from(text), data])
            .map(|v| v.as_str().unwrap_or_default().to_string())
            .map_err(FuncError::nested)
    }

    fn lint_mode(&self) -> bool {
        self.opts.lint
    }

    fn warn(&mut self, message: String) {
        self.warnings.push(message);
    }

    fn random_u64(&mut self) -> u64 {
        self.next_random()
    }
}

fn param_type(f: &funcs::Func, i: usize) -> Ty {
    f.params.get(i).copied().or(f.variadic).unwrap_or(Ty::Any)
}

fn ty_word(ty: Ty) -> &'static str {
    match ty {
        Ty::Str => "string",
        Ty::Bool => "bool",
        Ty::Int | Ty::Int64 => "integer",
        Ty::Float => "float",
        _ => ty.go_name(),
    }
}

fn lookup_var(st: &State, name: &str) -> Option<Option<Value>> {
    st.vars
        .iter()
        .rev()
        .find(|(n, _)| n == name)
        .map(|(_, v)| v.clone())
}

/// Sets a loop variable declared by the range pipeline (they sit just below `mark`'s
/// successors: the pipeline pushed them).
fn set_var(st: &mut State, name: &str, v: Option<Value>) {
    if let Some(slot) = st.vars.iter_mut().rev().find(|(n, _)| n == name) {
        slot.1 = v;
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::BTreeMap;

    /// Runs on a thread with the render's large stack (deep includes recurse).
    fn on_big_stack<T: Send + 'static>(f: impl FnOnce() -> T + Send + 'static) -> T {
        std::thread::Builder::new()
            .stack_size(256 * 1024 * 1024)
            .spawn(f)
            .map(|h| h.join())
            .ok()
            .and_then(Result::ok)
            .unwrap_or_else(|| panic!("test thread failed"))
    }

    fn run_with(text: &str, data: Value, strict: bool) -> Result<String, String> {
        run_opts(
            text,
            data,
            Options {
                strict,
                ..Options::default()
            },
        )
    }

    fn run_opts(text: &str, data: Value, opts: Options) -> Result<String, String> {
        let mut set = Set::default();
        let source = Rc::new(Source {
            name: "t".into(),
            text: text.into(),
        });
        let trees = parse::parse(source, &is_func).map_err(|e| e.message)?;
        set.add(trees);
        let mut ex = Exec::new(&set, opts);
        ex.execute("t", Some(data)).map_err(|e| e.helm_message())
    }

    fn run(text: &str, data: Value) -> String {
        run_with(text, data, false).unwrap_or_else(|e| format!("ERROR: {e}"))
    }

    fn values() -> Value {
        let mut inner = BTreeMap::new();
        inner.insert("name".to_string(), Value::from("web"));
        inner.insert("port".to_string(), Value::Float(8080.0));
        inner.insert("big".to_string(), Value::Float(1_000_000.0));
        inner.insert(
            "list".to_string(),
            Value::from(vec![Value::from("a"), Value::from("b")]),
        );
        inner.insert("empty".to_string(), Value::from(""));
        inner.insert("on".to_string(), Value::Bool(true));
        let mut top = BTreeMap::new();
        top.insert("Values".to_string(), Value::from(inner));
        Value::from(top)
    }

    #[test]
    fn fields_and_go_number_printing() {
        assert_eq!(
            run(
                "{{ .Values.name }}:{{ .Values.port }}:{{ .Values.big }}",
                values()
            ),
            "web:8080:1e+06"
        );
    }

    #[test]
    fn missing_keys_print_no_value_and_nil_fields_fail() {
        // Go prints `<no value>`; Helm removes it.
        assert_eq!(run("[{{ .Values.nope }}]", values()), "[]");
        assert_eq!(
            run("{{ .Values.nope.deeper }}", values()),
            "ERROR: template: t:1:3: executing \"t\" at <.Values.nope.deeper>: nil pointer evaluating interface {}.deeper"
        );
        // A variable holding nothing reads as nothing.
        assert_eq!(
            run("{{ $x := .Values.nope }}[{{ $x.deeper }}]", values()),
            "[]"
        );
    }

    #[test]
    fn strict_mode_refuses_missing_keys() {
        let e = run_with("{{ .Values.nope }}", values(), true)
            .err()
            .unwrap_or_default();
        assert!(e.contains("map has no entry for key \"nope\""), "{e}");
    }

    #[test]
    fn control_structures() {
        assert_eq!(
            run(
                "{{ if .Values.empty }}a{{ else if .Values.on }}b{{ else }}c{{ end }}",
                values()
            ),
            "b"
        );
        assert_eq!(
            run(
                "{{ range $i, $v := .Values.list }}{{ $i }}={{ $v }};{{ end }}",
                values()
            ),
            "0=a;1=b;"
        );
        assert_eq!(
            run("{{ range $k, $v := .Values }}{{ $k }},{{ end }}", values()),
            "big,empty,list,name,on,port,"
        );
        // Go 1.23's templates (Helm v3.17's) cannot range over an integer; Go 1.24's (Helm
        // v4's) count from 0, with one variable at most, `else` when there is nothing.
        assert!(
            run("{{ range 3 }}{{ . }}{{ end }}", values()).contains("range can't iterate over 3")
        );
        let go124 = |text: &str| {
            let opts = Options {
                range_over_int: true,
                ..Options::default()
            };
            run_opts(text, values(), opts).unwrap_or_else(|e| format!("ERROR: {e}"))
        };
        assert_eq!(go124("{{ range 3 }}{{ . }}{{ end }}"), "012");
        assert_eq!(go124("{{ range $n := 0 }}x{{ else }}none{{ end }}"), "none");
        assert_eq!(
            go124("{{ range $n := int64 2 }}{{ printf \"%T\" $n }}{{ break }}{{ end }}"),
            "int64"
        );
        assert!(go124("{{ range $i, $v := 3 }}{{ end }}")
            .contains("can't use 3 to iterate over more than one variable"));
        // Values are float64: not integers, even for Go 1.24.
        assert!(
            go124("{{ range .Values.port }}{{ end }}").contains("range can't iterate over 8080")
        );
        assert_eq!(
            run("{{ range .Values.list }}{{ if eq . \"b\" }}{{ break }}{{ end }}{{ . }}{{ end }}", values())
                .replace("ERROR", "E"),
            run("{{ range .Values.list }}{{ if not (ne . \"b\") }}{{ break }}{{ end }}{{ . }}{{ end }}", values())
                .replace("ERROR", "E")
        );
        assert_eq!(
            run("{{ with .Values.name }}<{{ . }}>{{ end }}", values()),
            "<web>"
        );
        assert_eq!(
            run("{{ with .Values.nope }}x{{ else }}none{{ end }}", values()),
            "none"
        );
        assert_eq!(
            run(
                "{{ range .Values.nope }}x{{ else }}empty{{ end }}",
                values()
            ),
            "empty"
        );
    }

    #[test]
    fn variables_scope_and_assign() {
        assert_eq!(
            run(
                "{{ $x := 1 }}{{ if true }}{{ $x = 2 }}{{ $y := 3 }}{{ end }}{{ $x }}",
                values()
            ),
            "2"
        );
    }

    #[test]
    fn and_or_short_circuit() {
        // `.Values.nope.x` would fail if evaluated.
        assert_eq!(run("{{ and .Values.empty .Values.nope.x }}", values()), "");
        assert_eq!(run("{{ or .Values.name .Values.nope.x }}", values()), "web");
        assert_eq!(run("{{ or .Values.empty 0 }}", values()), "0");
    }

    #[test]
    fn define_template_include_tpl() {
        let t = r#"{{ define "x" }}[{{ .name }}]{{ end }}{{ template "x" .Values }}{{ include "x" .Values }}{{ tpl "{{ .Values.name }}!" . }}"#;
        assert_eq!(run(t, values()), "[web][web]web!");
        // tpl's defines are visible to its own includes, not outside.
        let t = r#"{{ tpl "{{ define \"y\" }}Y{{ end }}{{ include \"y\" . }}" . }}"#;
        assert_eq!(run(t, values()), "Y");
    }

    #[test]
    fn fail_and_required_messages() {
        let e = run_with(r#"{{ required "need it" .Values.nope }}"#, values(), false)
            .err()
            .unwrap_or_default();
        assert_eq!(e, "execution error at (t:1:3): need it");
        let e = run_with(
            r#"{{ define "inner" }}
{{ fail "stop" }}{{ end }}x{{ include "inner" . }}"#,
            values(),
            false,
        )
        .err()
        .unwrap_or_default();
        assert_eq!(e, "execution error at (t:2:30): stop");
    }

    #[test]
    fn whitespace_trimming() {
        assert_eq!(run("a\n  {{- \"b\" -}}  \nc", values()), "abc");
        assert_eq!(run("a {{/* comment */}} b", values()), "a  b");
    }

    #[test]
    fn budgets_end_runaway_templates() {
        let t = r#"{{ define "r" }}{{ include "r" . }}{{ end }}{{ include "r" . }}"#;
        let e = on_big_stack(move || run_with(t, Value::Nil, false).err().unwrap_or_default());
        assert!(e.contains("nested") || e.contains("deep"), "{e}");
        let mut set = Set::default();
        let source = Rc::new(Source {
            name: "t".into(),
            text: "{{ range until 100000 }}{{ range until 100000 }}x{{ end }}{{ end }}".into(),
        });
        set.add(parse::parse(source, &is_func).unwrap_or_default());
        let mut ex = Exec::new(
            &set,
            Options {
                limits: Limits {
                    max_steps: 1_000_000,
                    ..Limits::default()
                },
                ..Options::default()
            },
        );
        let e = ex.execute("t", None).err();
        assert_eq!(e.map(|e| e.kind), Some(ErrorKind::Budget));
    }
}
