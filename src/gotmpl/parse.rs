//! The parser: items → one tree per named template, as Go's `text/template/parse` builds it.
//!
//! A file parses into its own tree plus the trees its `{{define}}`s and `{{block}}`s name.
//! Functions are checked when parsed (Go's "function "x" not defined" is a parse error), and
//! so are variables ("undefined variable"). Every node keeps its byte position in the text.

use std::fmt;
use std::rc::Rc;

use super::lex::{self, Item, Keyword, Tok};

/// A parsed template: its tree and the text it came from (for positions).
#[derive(Debug)]
pub struct Tree {
    pub name: String,
    pub root: List,
    pub source: Rc<Source>,
}

impl Tree {
    /// The text of a [`Node::Text`] of this tree.
    pub fn text(&self, pos: usize, len: usize) -> &str {
        self.source
            .text
            .get(pos..pos.saturating_add(len))
            .unwrap_or_default()
    }
}

/// A template text and its name for messages (`chart/templates/x.yaml`).
#[derive(Debug, PartialEq)]
pub struct Source {
    pub name: String,
    /// Shared with the chart's file (a CRD template is a megabyte of text).
    pub text: crate::source::SharedText,
}

impl Source {
    /// Go's `ErrorContext` location: 1-based line, 0-based byte column.
    pub fn line_col(&self, pos: usize) -> (usize, usize) {
        let pos = pos.min(self.text.len());
        let before = &self.text.as_bytes()[..pos];
        let line = 1 + before.iter().filter(|b| **b == b'\n').count();
        let col = match before.iter().rposition(|b| *b == b'\n') {
            Some(nl) => pos - nl - 1,
            None => pos,
        };
        (line, col)
    }
}

pub type List = Vec<Node>;

// Most nodes are text: the large variants are boxed so that a node takes 48 bytes, not 136.
const _: () = assert!(std::mem::size_of::<Node>() <= 48);

#[derive(Debug)]
pub enum Node {
    /// Text written as it is: its byte range in the template's source (not a copy: a CRD
    /// template is a megabyte of text).
    Text {
        pos: usize,
        len: usize,
    },
    Action(Box<Pipe>),
    If(Box<Branch>),
    Range(Box<Branch>),
    With(Box<Branch>),
    Template {
        pos: usize,
        name: String,
        pipe: Option<Box<Pipe>>,
    },
    Break(usize),
    Continue(usize),
}

#[derive(Debug)]
pub struct Branch {
    pub pos: usize,
    pub pipe: Pipe,
    pub list: List,
    pub else_list: Option<List>,
}

#[derive(Debug)]
pub struct Pipe {
    pub pos: usize,
    /// Where the action's `}}` (or the `)` of a parenthesised pipeline) starts.
    pub end: usize,
    /// Variables declared (`$x :=`) or assigned (`$x =`).
    pub decl: Vec<String>,
    pub is_assign: bool,
    pub cmds: Vec<Command>,
}

#[derive(Debug)]
pub struct Command {
    pub pos: usize,
    pub args: Vec<Arg>,
}

#[derive(Debug)]
pub enum Arg {
    /// `.A.B`
    Field {
        pos: usize,
        idents: Vec<String>,
    },
    /// `$x.A.B`
    Variable {
        pos: usize,
        name: String,
        idents: Vec<String>,
    },
    Dot(usize),
    Nil(usize),
    Bool(usize, bool),
    /// Boxed: a number's readings would double the size of every argument.
    Number(usize, Box<Number>),
    Str {
        pos: usize,
        value: Rc<str>,
        quoted: String,
    },
    /// A function name.
    Ident {
        pos: usize,
        name: String,
    },
    /// `( pipeline )`
    Pipe(Box<Pipe>),
    /// `(x).A.B`
    Chain {
        pos: usize,
        node: Box<Arg>,
        fields: Vec<String>,
    },
}

impl Arg {
    pub fn pos(&self) -> usize {
        match self {
            Arg::Field { pos, .. }
            | Arg::Variable { pos, .. }
            | Arg::Dot(pos)
            | Arg::Nil(pos)
            | Arg::Bool(pos, _)
            | Arg::Number(pos, _)
            | Arg::Str { pos, .. }
            | Arg::Ident { pos, .. }
            | Arg::Chain { pos, .. } => *pos,
            Arg::Pipe(p) => p.pos,
        }
    }
}

/// A number constant, with every reading Go's parser gives it.
#[derive(Debug, Clone)]
pub struct Number {
    pub text: String,
    pub int: Option<i64>,
    pub uint: Option<u64>,
    pub float: Option<f64>,
    /// A character constant (`'a'`): an int that prints as a number.
    pub is_char: bool,
}

impl Number {
    fn parse(text: &str, is_char: bool) -> Result<Number, String> {
        if is_char {
            let inner = &text[1..text.len() - 1];
            let c = if inner.starts_with('\\') {
                let s = lex::unquote(&format!("\"{}\"", inner.replace("\\'", "'")))
                    .map_err(|_| format!("malformed character constant: {text}"))?;
                s.chars().next()
            } else {
                inner.chars().next()
            }
            .ok_or_else(|| format!("malformed character constant: {text}"))?;
            let v = c as i64;
            return Ok(Number {
                text: text.to_string(),
                int: Some(v),
                uint: Some(v as u64),
                float: Some(v as f64),
                is_char: true,
            });
        }
        if text.ends_with('i') {
            return Err(format!("complex numbers are not supported: {text}"));
        }
        let clean: std::borrow::Cow<str> = if text.contains('_') {
            text.replace('_', "").into()
        } else {
            text.into()
        };
        let mut n = Number {
            text: text.to_string(),
            int: None,
            uint: None,
            float: None,
            is_char: false,
        };
        n.uint = parse_uint0(&clean);
        n.int = parse_int0(&clean);
        if n.int == Some(0) {
            n.uint = Some(0);
        }
        if let Some(i) = n.int {
            n.float = Some(i as f64);
        } else if let Some(u) = n.uint {
            n.float = Some(u as f64);
        } else {
            let f =
                parse_go_float(&clean).ok_or_else(|| format!("illegal number syntax: {text:?}"))?;
            if !text.contains(['.', 'e', 'E', 'p', 'P']) {
                return Err(format!("integer overflow: {text:?}"));
            }
            n.float = Some(f);
            if f.fract() == 0.0 && f.abs() < 9.2e18 {
                n.int = Some(f as i64);
            }
            if f.fract() == 0.0 && (0.0..1.8e19).contains(&f) {
                n.uint = Some(f as u64);
            }
        }
        Ok(n)
    }
}

/// `strconv.ParseUint(s, 0, 64)`.
fn parse_uint0(s: &str) -> Option<u64> {
    let s = s.strip_prefix('+').unwrap_or(s);
    let (radix, digits) = match s.as_bytes() {
        [b'0', b'x' | b'X', ..] => (16, &s[2..]),
        [b'0', b'b' | b'B', ..] => (2, &s[2..]),
        [b'0', b'o' | b'O', ..] => (8, &s[2..]),
        [b'0', _, ..] => (8, &s[1..]),
        _ => (10, s),
    };
    if digits.is_empty() || !digits.chars().all(|c| c.is_digit(radix)) {
        return None;
    }
    u64::from_str_radix(digits, radix).ok()
}

/// `strconv.ParseInt(s, 0, 64)`.
fn parse_int0(s: &str) -> Option<i64> {
    match s.strip_prefix('-') {
        Some(rest) => {
            let u = parse_uint0(rest)?;
            if u <= i64::MAX as u64 + 1 {
                Some((u as i128).wrapping_neg() as i64)
            } else {
                None
            }
        }
        None => parse_uint0(s).and_then(|u| i64::try_from(u).ok()),
    }
}

/// `strconv.ParseFloat(s, 64)` for the forms Go's number syntax allows: decimal, and
/// hexadecimal with a binary exponent (`0x1p60`).
pub fn parse_go_float(s: &str) -> Option<f64> {
    let lower = s.to_ascii_lowercase();
    if lower.contains("0x") {
        return parse_hex_float(&lower);
    }
    lower.parse::<f64>().ok()
}

/// Go's hexadecimal floating-point literal: `0x1p60`, `0x1.8p-3` (the `p` exponent is
/// required), as `strconv.ParseFloat` reads it.
fn parse_hex_float(s: &str) -> Option<f64> {
    let (neg, body) = match s.strip_prefix('-') {
        Some(rest) => (true, rest),
        None => (false, s.strip_prefix('+').unwrap_or(s)),
    };
    let body = body.strip_prefix("0x")?;
    let (mantissa, exp) = body.split_once('p')?;
    let exp: i32 = exp.parse().ok()?;
    let (int_part, frac_part) = mantissa.split_once('.').unwrap_or((mantissa, ""));
    let digits: String = format!("{int_part}{frac_part}");
    if digits.is_empty() || digits.len() > 30 || !digits.chars().all(|c| c.is_ascii_hexdigit()) {
        return None;
    }
    let m = u128::from_str_radix(&digits, 16).ok()?;
    let shift = exp.checked_sub(i32::try_from(frac_part.len()).ok()?.checked_mul(4)?)?;
    let v = (m as f64) * 2f64.powi(shift);
    if !v.is_finite() {
        return None;
    }
    Some(if neg { -v } else { v })
}

/// A parse error: where, and Go's message.
#[derive(Debug, Clone, PartialEq)]
pub struct ParseError {
    pub pos: usize,
    pub message: String,
}

/// Parses `source` (named `source.name`): its own tree first, then the trees it defines.
pub fn parse(source: Rc<Source>, is_func: &dyn Fn(&str) -> bool) -> Result<Vec<Tree>, ParseError> {
    let items = lex::lex(&source.text).map_err(|e| ParseError {
        pos: e.pos,
        message: e.message,
    })?;
    let mut p = Parser {
        items,
        at: 0,
        vars: vec!["$".to_string()],
        is_func,
        defined: Vec::new(),
        range_depth: 0,
        source: source.clone(),
    };
    let root = p.parse_top()?;
    let mut trees = vec![Tree {
        name: source.name.clone(),
        root,
        source: source.clone(),
    }];
    trees.append(&mut p.defined);
    Ok(trees)
}

/// A template's trees parsed on one thread for use on another (see [`parse_detached`]).
pub struct DetachedTrees(Vec<Tree>);

// SAFETY: `Rc` is not `Send` because two threads holding clones of one `Rc` would race on its
// count. Every `Rc` in these trees (the source, string constants) is created by
// `parse_detached` and held only by these trees: the parser keeps none (no statics, no
// thread-locals) and its caller gets none until `into_trees`. Moving the trees moves every
// holder of each count together, so no count is ever reachable from two threads.
unsafe impl Send for DetachedTrees {}

impl DetachedTrees {
    pub fn into_trees(self) -> Vec<Tree> {
        self.0
    }
}

/// [`parse`] of `text` named `name`, on any thread: the trees go to the thread that executes
/// them (a chart's templates are parsed in parallel).
pub fn parse_detached(
    name: String,
    text: crate::source::SharedText,
    is_func: fn(&str) -> bool,
) -> Result<DetachedTrees, ParseError> {
    parse(Rc::new(Source { name, text }), &is_func).map(DetachedTrees)
}

/// Whether a tree holds nothing but white space (Go keeps an old definition over an empty
/// new one).
pub fn is_empty_tree(tree: &Tree) -> bool {
    tree.root.iter().all(|n| match n {
        Node::Text { pos, len } => tree.text(*pos, *len).trim().is_empty(),
        _ => false,
    })
}

struct Parser<'a, 's> {
    items: Vec<Item<'s>>,
    at: usize,
    vars: Vec<String>,
    is_func: &'a dyn Fn(&str) -> bool,
    defined: Vec<Tree>,
    range_depth: usize,
    source: Rc<Source>,
}

/// How an item list ended.
enum End {
    /// `{{end}}`
    Closed,
    Else(usize),
    Eof,
}

impl<'s> Parser<'_, 's> {
    fn peek(&self) -> &Item<'s> {
        // The lexer always ends with Eof.
        &self.items[self.at.min(self.items.len() - 1)]
    }

    fn next(&mut self) -> Item<'s> {
        let it = *self.peek();
        if self.at < self.items.len() {
            self.at += 1;
        }
        it
    }

    fn next_non_space(&mut self) -> Item<'s> {
        loop {
            let it = self.next();
            if !matches!(it.tok, Tok::Space) {
                return it;
            }
        }
    }

    fn peek_non_space(&self) -> &Item<'s> {
        let last = self.items.len() - 1;
        let skip = self.items[self.at.min(last)..]
            .iter()
            .position(|it| !matches!(it.tok, Tok::Space))
            .unwrap_or(0);
        &self.items[(self.at + skip).min(last)]
    }

    /// A string constant's value (the lexer checked its syntax).
    fn string(&self, pos: usize, quoted: &str) -> Result<String, ParseError> {
        lex::string_value(quoted).map_err(|message| ParseError { pos, message })
    }

    fn err<T>(&self, pos: usize, message: impl Into<String>) -> Result<T, ParseError> {
        Err(ParseError {
            pos,
            message: message.into(),
        })
    }

    fn unexpected<T>(&self, item: &Item, context: &str) -> Result<T, ParseError> {
        let what = describe(&item.tok);
        self.err(item.pos, format!("unexpected {what} in {context}"))
    }

    fn parse_top(&mut self) -> Result<List, ParseError> {
        let mut list = Vec::new();
        loop {
            let it = *self.peek();
            match &it.tok {
                Tok::Eof => return Ok(list),
                Tok::LeftDelim => {
                    self.next();
                    let kw = *self.peek_non_space();
                    if matches!(kw.tok, Tok::Keyword(Keyword::Define)) {
                        self.next_non_space();
                        self.parse_definition(kw.pos)?;
                        continue;
                    }
                    match self.action()? {
                        Some(node) => list.push(node),
                        None => {
                            // {{end}} or {{else}} at the top level.
                            return self.err(kw.pos, format!("unexpected {}", describe(&kw.tok)));
                        }
                    }
                }
                Tok::Text(t) => {
                    list.push(Node::Text {
                        pos: it.pos,
                        len: t.len(),
                    });
                    self.next();
                }
                _ => return self.unexpected(&it, "input"),
            }
        }
    }

    /// `{{define "name"}} ... {{end}}`: the body becomes a tree of its own.
    fn parse_definition(&mut self, pos: usize) -> Result<(), ParseError> {
        let name_item = self.next_non_space();
        let name = match &name_item.tok {
            Tok::Str(quoted) => self.string(name_item.pos, quoted)?,
            _ => return self.unexpected(&name_item, "define clause"),
        };
        self.expect_right_delim("define clause")?;
        self.define_body(pos, name)
    }

    /// The body of a `define` or `block` up to its `{{end}}`, with variables of its own,
    /// added as the template `name`.
    fn define_body(&mut self, pos: usize, name: String) -> Result<(), ParseError> {
        let saved = std::mem::replace(&mut self.vars, vec!["$".to_string()]);
        let saved_range = std::mem::replace(&mut self.range_depth, 0);
        let (body, end) = self.item_list()?;
        self.vars = saved;
        self.range_depth = saved_range;
        match end {
            End::Closed => {}
            End::Else(p) => return self.err(p, "unexpected {{else}}"),
            End::Eof => return self.err(pos, "unexpected EOF"),
        }
        self.defined.push(Tree {
            name,
            root: body,
            source: self.source.clone(),
        });
        Ok(())
    }

    fn expect_right_delim(&mut self, context: &str) -> Result<(), ParseError> {
        let it = self.next_non_space();
        if !matches!(it.tok, Tok::RightDelim) {
            return self.unexpected(&it, context);
        }
        Ok(())
    }

    /// Items until `{{end}}` or `{{else}}` (consumed) or the end of input.
    fn item_list(&mut self) -> Result<(List, End), ParseError> {
        let mut list = Vec::new();
        loop {
            let it = *self.peek();
            match &it.tok {
                Tok::Eof => return Ok((list, End::Eof)),
                Tok::LeftDelim => {
                    self.next();
                    let kw = *self.peek_non_space();
                    match kw.tok {
                        Tok::Keyword(Keyword::End) => {
                            self.next_non_space();
                            self.expect_right_delim("end")?;
                            return Ok((list, End::Closed));
                        }
                        Tok::Keyword(Keyword::Else) => {
                            self.next_non_space();
                            return Ok((list, End::Else(kw.pos)));
                        }
                        Tok::Keyword(Keyword::Define) => {
                            return self.err(kw.pos, "unexpected <define> in command");
                        }
                        _ => {}
                    }
                    if let Some(node) = self.action()? {
                        list.push(node);
                    }
                }
                Tok::Text(t) => {
                    list.push(Node::Text {
                        pos: it.pos,
                        len: t.len(),
                    });
                    self.next();
                }
                _ => return self.unexpected(&it, "input"),
            }
        }
    }

    /// After `{{`: a control structure or a pipeline. `None` for `{{end}}`/`{{else}}`, which the
    /// caller handles.
    fn action(&mut self) -> Result<Option<Node>, ParseError> {
        let it = *self.peek_non_space();
        match it.tok {
            Tok::Keyword(Keyword::Block) => {
                self.next_non_space();
                self.block(it.pos).map(Some)
            }
            Tok::Keyword(Keyword::Break) | Tok::Keyword(Keyword::Continue) => {
                self.next_non_space();
                let is_break = matches!(it.tok, Tok::Keyword(Keyword::Break));
                let word = if is_break { "break" } else { "continue" };
                if self.range_depth == 0 {
                    return self.err(it.pos, format!("{{{{{word}}}}} outside {{{{range}}}}"));
                }
                self.expect_right_delim(word)?;
                Ok(Some(if is_break {
                    Node::Break(it.pos)
                } else {
                    Node::Continue(it.pos)
                }))
            }
            Tok::Keyword(Keyword::End) | Tok::Keyword(Keyword::Else) => Ok(None),
            Tok::Keyword(Keyword::If) => {
                self.next_non_space();
                Ok(Some(Node::If(self.control(it.pos, "if")?)))
            }
            Tok::Keyword(Keyword::Range) => {
                self.next_non_space();
                Ok(Some(Node::Range(self.control(it.pos, "range")?)))
            }
            Tok::Keyword(Keyword::With) => {
                self.next_non_space();
                Ok(Some(Node::With(self.control(it.pos, "with")?)))
            }
            Tok::Keyword(Keyword::Template) => {
                self.next_non_space();
                self.template_call(it.pos, "template").map(Some)
            }
            _ => {
                let pipe = self.pipeline("command", true)?;
                Ok(Some(Node::Action(Box::new(pipe))))
            }
        }
    }

    /// `{{template "name" pipeline}}`
    fn template_call(&mut self, pos: usize, context: &str) -> Result<Node, ParseError> {
        let name_item = self.next_non_space();
        let name = match &name_item.tok {
            Tok::Str(quoted) => self.string(name_item.pos, quoted)?,
            _ => return self.unexpected(&name_item, &format!("{context} clause")),
        };
        let pipe = if matches!(self.peek_non_space().tok, Tok::RightDelim) {
            self.next_non_space();
            None
        } else {
            Some(Box::new(self.pipeline(context, true)?))
        };
        Ok(Node::Template { pos, name, pipe })
    }

    /// `{{block "name" pipeline}} T {{end}}`: defines "name" as T and executes it.
    fn block(&mut self, pos: usize) -> Result<Node, ParseError> {
        let name_item = self.next_non_space();
        let name = match &name_item.tok {
            Tok::Str(quoted) => self.string(name_item.pos, quoted)?,
            _ => return self.unexpected(&name_item, "block clause"),
        };
        let pipe = if matches!(self.peek_non_space().tok, Tok::RightDelim) {
            self.next_non_space();
            None
        } else {
            Some(Box::new(self.pipeline("block", true)?))
        };
        self.define_body(pos, name.clone())?;
        Ok(Node::Template { pos, name, pipe })
    }

    /// `if`, `range`, `with`: pipeline, list, optional else (or `else if`/`else with`).
    fn control(&mut self, pos: usize, context: &str) -> Result<Box<Branch>, ParseError> {
        let vars_mark = self.vars.len();
        let pipe = self.pipeline(context, true)?;
        if context == "range" {
            self.range_depth += 1;
        }
        let listed = self.item_list();
        if context == "range" {
            self.range_depth -= 1;
        }
        let (list, end) = listed?;
        let else_list = match end {
            End::Closed => None,
            End::Eof => {
                self.vars.truncate(vars_mark);
                return self.err(pos, "unexpected EOF");
            }
            End::Else(else_pos) => {
                let next = *self.peek_non_space();
                let chained = (context == "if" && matches!(next.tok, Tok::Keyword(Keyword::If)))
                    || (context == "with" && matches!(next.tok, Tok::Keyword(Keyword::With)));
                if chained {
                    // `{{else if x}}` is `{{else}}{{if x}}...{{end}}{{end}}` sharing one end.
                    self.next_non_space();
                    let inner = self.control(next.pos, context)?;
                    Some(vec![if context == "if" {
                        Node::If(inner)
                    } else {
                        Node::With(inner)
                    }])
                } else {
                    self.expect_right_delim("else")?;
                    let (els, end) = self.item_list()?;
                    match end {
                        End::Closed => Some(els),
                        End::Else(p) => {
                            let _ = else_pos;
                            return self.err(p, "expected end; found {{else}}");
                        }
                        End::Eof => return self.err(pos, "unexpected EOF"),
                    }
                }
            }
        };
        self.vars.truncate(vars_mark);
        Ok(Box::new(Branch {
            pos,
            pipe,
            list,
            else_list,
        }))
    }

    /// A pipeline: optional declarations, then commands separated by `|`, up to `}}` (or `)`
    /// when `to_delim` is false).
    fn pipeline(&mut self, context: &str, to_delim: bool) -> Result<Pipe, ParseError> {
        let start = *self.peek_non_space();
        let mut decl = Vec::new();
        let mut is_assign = false;
        // Declarations: `$x :=`, `$x =`, `$i, $v :=`.
        let save = self.at;
        let first = self.next_non_space();
        if let Tok::Variable(name) = &first.tok {
            let after = self.next_non_space();
            match after.tok {
                Tok::Declare | Tok::Assign => {
                    is_assign = matches!(after.tok, Tok::Assign);
                    decl.push(name.to_string());
                }
                Tok::Comma if context == "range" => {
                    let second = self.next_non_space();
                    let op = self.next_non_space();
                    match (&second.tok, &op.tok) {
                        (Tok::Variable(n2), Tok::Declare | Tok::Assign) => {
                            is_assign = matches!(op.tok, Tok::Assign);
                            decl.push(name.to_string());
                            decl.push(n2.to_string());
                        }
                        _ => {
                            return self
                                .err(second.pos, format!("too many declarations in {context}"))
                        }
                    }
                }
                _ => self.at = save,
            }
        } else {
            self.at = save;
        }
        if is_assign {
            for v in &decl {
                if !self.vars.contains(v) {
                    return self.err(start.pos, format!("undefined variable {v:?}"));
                }
            }
        } else {
            for v in &decl {
                self.vars.push(v.clone());
            }
        }
        let mut cmds = Vec::new();
        let end;
        loop {
            let it = *self.peek_non_space();
            match it.tok {
                Tok::RightDelim if to_delim => {
                    self.next_non_space();
                    end = it.pos;
                    break;
                }
                Tok::RightParen if !to_delim => {
                    self.next_non_space();
                    end = it.pos;
                    break;
                }
                Tok::RightDelim | Tok::RightParen => return self.unexpected(&it, context),
                Tok::Eof => return self.err(it.pos, "unclosed action"),
                _ => {
                    let cmd = self.command()?;
                    cmds.push(cmd);
                }
            }
        }
        if cmds.is_empty() {
            return self.err(start.pos, format!("missing value for {context}"));
        }
        for (i, c) in cmds.iter().enumerate().skip(1) {
            if let Some(first) = c.args.first() {
                if matches!(
                    first,
                    Arg::Bool(..) | Arg::Dot(_) | Arg::Nil(_) | Arg::Number(..) | Arg::Str { .. }
                ) {
                    let _ = i;
                    return self.err(
                        first.pos(),
                        format!("non executable command in pipeline stage {}", i + 1),
                    );
                }
            }
        }
        Ok(Pipe {
            pos: start.pos,
            end,
            decl,
            is_assign,
            cmds,
        })
    }

    fn command(&mut self) -> Result<Command, ParseError> {
        let pos = self.peek_non_space().pos;
        let mut args = Vec::new();
        loop {
            // Spaces separate operands.
            while matches!(self.peek().tok, Tok::Space) {
                self.next();
            }
            let it = *self.peek();
            match it.tok {
                Tok::RightDelim | Tok::RightParen => break,
                Tok::Pipe => {
                    self.next();
                    if args.is_empty() {
                        return self.err(it.pos, "missing command");
                    }
                    return Ok(Command { pos, args });
                }
                Tok::Eof => return self.err(it.pos, "unclosed action"),
                _ => {}
            }
            let arg = self.operand()?;
            args.push(arg);
            let after = *self.peek();
            match after.tok {
                Tok::Space | Tok::RightDelim | Tok::RightParen | Tok::Pipe => {}
                _ => return self.unexpected(&after, "operand"),
            }
        }
        if args.is_empty() {
            let it = *self.peek();
            return self.err(it.pos, "empty command");
        }
        Ok(Command { pos, args })
    }

    /// A term and any fields chained onto it.
    fn operand(&mut self) -> Result<Arg, ParseError> {
        let term = self.term()?;
        let mut fields = Vec::new();
        while let Tok::Field(f) = &self.peek().tok {
            fields.push(f.to_string());
            self.next();
        }
        if fields.is_empty() {
            return Ok(term);
        }
        Ok(match term {
            Arg::Field { pos, mut idents } => {
                idents.extend(fields);
                Arg::Field { pos, idents }
            }
            Arg::Variable {
                pos,
                name,
                mut idents,
            } => {
                idents.extend(fields);
                Arg::Variable { pos, name, idents }
            }
            Arg::Bool(pos, _)
            | Arg::Str { pos, .. }
            | Arg::Number(pos, _)
            | Arg::Nil(pos)
            | Arg::Dot(pos) => {
                return self.err(pos, "unexpected . after term");
            }
            other => Arg::Chain {
                pos: other.pos(),
                node: Box::new(other),
                fields,
            },
        })
    }

    fn term(&mut self) -> Result<Arg, ParseError> {
        let it = self.next_non_space();
        Ok(match it.tok {
            Tok::Ident(name) => {
                if !(self.is_func)(name) {
                    return self.err(it.pos, format!("function {name:?} not defined"));
                }
                Arg::Ident {
                    pos: it.pos,
                    name: name.to_string(),
                }
            }
            Tok::Dot => Arg::Dot(it.pos),
            Tok::Nil => Arg::Nil(it.pos),
            Tok::Variable(name) => {
                if !self.vars.iter().any(|v| v == name) {
                    return self.err(it.pos, format!("undefined variable {name:?}"));
                }
                Arg::Variable {
                    pos: it.pos,
                    name: name.to_string(),
                    idents: Vec::new(),
                }
            }
            Tok::Field(name) => Arg::Field {
                pos: it.pos,
                idents: vec![name.to_string()],
            },
            Tok::Bool(b) => Arg::Bool(it.pos, b),
            Tok::Number(text) => Arg::Number(
                it.pos,
                Box::new(Number::parse(text, false).map_err(|m| ParseError {
                    pos: it.pos,
                    message: m,
                })?),
            ),
            Tok::Char(text) => Arg::Number(
                it.pos,
                Box::new(Number::parse(text, true).map_err(|m| ParseError {
                    pos: it.pos,
                    message: m,
                })?),
            ),
            Tok::Str(quoted) => Arg::Str {
                pos: it.pos,
                value: Rc::from(self.string(it.pos, quoted)?),
                quoted: quoted.to_string(),
            },
            Tok::LeftParen => {
                let pipe = self.pipeline("parenthesized pipeline", false)?;
                Arg::Pipe(Box::new(pipe))
            }
            _ => return self.unexpected(&it, "operand"),
        })
    }
}

fn describe(tok: &Tok) -> String {
    match tok {
        Tok::Text(_) => "text".into(),
        Tok::LeftDelim => "\"{{\"".into(),
        Tok::RightDelim => "\"}}\"".into(),
        Tok::Field(f) => format!("<.{f}>"),
        Tok::Variable(v) => format!("<{v}>"),
        Tok::Ident(i) => format!("<{i}>"),
        Tok::Keyword(k) => format!("<{}>", format!("{k:?}").to_lowercase()),
        Tok::Dot => "<.>".into(),
        Tok::Number(n) | Tok::Char(n) => format!("<{n}>"),
        Tok::Str(q) => format!("<{q}>"),
        Tok::Bool(b) => format!("<{b}>"),
        Tok::Nil => "<nil>".into(),
        Tok::Pipe => "\"|\"".into(),
        Tok::LeftParen => "\"(\"".into(),
        Tok::RightParen => "\")\"".into(),
        Tok::Declare => "\":=\"".into(),
        Tok::Assign => "\"=\"".into(),
        Tok::Comma => "\",\"".into(),
        Tok::Space => "space".into(),
        Tok::Eof => "EOF".into(),
    }
}

/// Which node an execution frame is at, found again by position when an error needs its
/// text (so that executing never formats nodes it does not report).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Focus {
    /// Nothing yet (the template's start).
    None,
    /// The command at this position (`include "x" .`).
    Command,
    /// The argument at this position (`.Values.x`).
    Arg,
    /// A function named as an argument (`now`): its name.
    Name,
    /// The `{{template "x" .}}` action at this position.
    Template,
    /// The `{{range ...}}` action at this position.
    Range,
}

impl Tree {
    /// Go's text of the node `focus` names at byte `pos`, as its `ErrorContext` prints it.
    pub fn describe(&self, pos: usize, focus: Focus) -> String {
        if focus == Focus::None {
            return String::new();
        }
        describe_list(&self.root, pos, focus).unwrap_or_default()
    }
}

fn describe_list(list: &List, pos: usize, focus: Focus) -> Option<String> {
    list.iter().find_map(|node| match node {
        Node::Template { pos: p, name, .. } if *p == pos && focus == Focus::Template => {
            Some(format!("template {name:?}"))
        }
        Node::Range(b) if b.pos == pos && focus == Focus::Range => {
            Some(format!("range {}", b.pipe))
        }
        Node::Action(p) => describe_pipe(p, pos, focus),
        Node::If(b) | Node::Range(b) | Node::With(b) => describe_pipe(&b.pipe, pos, focus)
            .or_else(|| describe_list(&b.list, pos, focus))
            .or_else(|| {
                b.else_list
                    .as_ref()
                    .and_then(|l| describe_list(l, pos, focus))
            }),
        Node::Template { pipe, .. } => pipe.as_ref().and_then(|p| describe_pipe(p, pos, focus)),
        Node::Text { .. } | Node::Break(_) | Node::Continue(_) => None,
    })
}

fn describe_pipe(pipe: &Pipe, pos: usize, focus: Focus) -> Option<String> {
    pipe.cmds.iter().find_map(|cmd| {
        let start = cmd.args.first().map_or(cmd.pos, |a| cmd.pos.min(a.pos()));
        if focus == Focus::Command && (start == pos || cmd.pos == pos) {
            return Some(cmd.to_string());
        }
        cmd.args.iter().find_map(|a| describe_arg(a, pos, focus))
    })
}

fn describe_arg(arg: &Arg, pos: usize, focus: Focus) -> Option<String> {
    match arg {
        Arg::Ident { pos: p, name } if *p == pos && focus == Focus::Name => Some(name.clone()),
        Arg::Pipe(p) => describe_pipe(p, pos, focus),
        Arg::Chain { node, pos: p, .. } => {
            if *p == pos && focus == Focus::Arg {
                return Some(arg.to_string());
            }
            describe_arg(node, pos, focus)
        }
        _ if arg.pos() == pos && focus == Focus::Arg => Some(arg.to_string()),
        _ => None,
    }
}

// Go's String() of nodes, for error contexts (`at <include "x" .>`).

impl fmt::Display for Arg {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Arg::Field { idents, .. } => {
                for i in idents {
                    write!(f, ".{i}")?;
                }
                Ok(())
            }
            Arg::Variable { name, idents, .. } => {
                write!(f, "{name}")?;
                for i in idents {
                    write!(f, ".{i}")?;
                }
                Ok(())
            }
            Arg::Dot(_) => write!(f, "."),
            Arg::Nil(_) => write!(f, "nil"),
            Arg::Bool(_, b) => write!(f, "{b}"),
            Arg::Number(_, n) => write!(f, "{}", n.text),
            Arg::Str { quoted, .. } => write!(f, "{quoted}"),
            Arg::Ident { name, .. } => write!(f, "{name}"),
            Arg::Pipe(p) => write!(f, "({p})"),
            Arg::Chain { node, fields, .. } => {
                match node.as_ref() {
                    Arg::Pipe(p) => write!(f, "({p})")?,
                    other => write!(f, "{other}")?,
                }
                for i in fields {
                    write!(f, ".{i}")?;
                }
                Ok(())
            }
        }
    }
}

impl fmt::Display for Command {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (i, a) in self.args.iter().enumerate() {
            if i > 0 {
                write!(f, " ")?;
            }
            write!(f, "{a}")?;
        }
        Ok(())
    }
}

impl fmt::Display for Pipe {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if !self.decl.is_empty() {
            write!(f, "{}", self.decl.join(", "))?;
            write!(f, "{}", if self.is_assign { " = " } else { " := " })?;
        }
        for (i, c) in self.cmds.iter().enumerate() {
            if i > 0 {
                write!(f, " | ")?;
            }
            write!(f, "{c}")?;
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse_str(text: &str) -> Result<Vec<Tree>, ParseError> {
        let source = Rc::new(Source {
            name: "t".into(),
            text: text.into(),
        });
        parse(source, &|n| {
            matches!(n, "include" | "quote" | "printf" | "and" | "eq")
        })
    }

    #[test]
    fn defines_become_trees() {
        let trees = parse_str(r#"a{{ define "x" }}b{{ end }}c"#).unwrap_or_default();
        let names: Vec<&str> = trees.iter().map(|t| t.name.as_str()).collect();
        assert_eq!(names, vec!["t", "x"]);
    }

    #[test]
    fn unknown_function_is_a_parse_error() {
        let e = parse_str("{{ nope 1 }}").err().map(|e| e.message);
        assert_eq!(e.as_deref(), Some("function \"nope\" not defined"));
    }

    #[test]
    fn undefined_variable() {
        assert!(parse_str("{{ $x }}").is_err());
        assert!(parse_str("{{ $x := 1 }}{{ $x }}").is_ok());
        assert!(parse_str("{{ if true }}{{ $x := 1 }}{{ end }}{{ $x }}").is_err());
    }

    #[test]
    fn else_if_chains() {
        let trees =
            parse_str("{{ if .A }}a{{ else if .B }}b{{ else }}c{{ end }}").unwrap_or_default();
        assert_eq!(trees.len(), 1);
    }

    #[test]
    fn node_strings_for_errors() {
        let trees =
            parse_str(r#"{{ include "x" . | quote }}{{ (printf "%s" .A).B }}"#).unwrap_or_default();
        let Some(Node::Action(p)) = trees[0].root.first() else {
            panic!("no action");
        };
        assert_eq!(p.to_string(), r#"include "x" . | quote"#);
        let Some(Node::Action(p)) = trees[0].root.get(1) else {
            panic!("no action");
        };
        assert_eq!(p.to_string(), r#"(printf "%s" .A).B"#);
    }
}

#[cfg(test)]
mod hex_float_tests {
    use super::parse_go_float;

    // Values as Go's strconv.ParseFloat gives them.
    #[test]
    fn hex_floats() {
        assert_eq!(parse_go_float("0x1p60"), Some(1_152_921_504_606_846_976.0));
        assert_eq!(parse_go_float("0x1p-2"), Some(0.25));
        assert_eq!(parse_go_float("0x1.8p1"), Some(3.0));
        assert_eq!(parse_go_float("-0x10p0"), Some(-16.0));
        assert_eq!(parse_go_float("0x.8p1"), Some(1.0));
        assert_eq!(parse_go_float("0x1"), None);
        assert_eq!(parse_go_float("0xp1"), None);
        assert_eq!(parse_go_float("0x1p99999"), None);
    }
}
