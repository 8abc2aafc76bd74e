//! Differential test of the Go-template engine: `kit template` must print byte for byte what
//! `helm template` (Helm v3.17.2) prints, and must fail exactly when helm fails.
//!
//! Each case is a small random chart: a `values.yaml` of awkward values (floats that Go
//! prints in exponent form, integers that are float64 once helm has read them, strings that
//! look like numbers, booleans or null, empty strings, nested maps and lists), a
//! `templates/_helpers.tpl` of a few `define`d partials, and one template whose body is a
//! random mix of the constructs and functions of `../shared/corpus/helm/FUNCTIONS.tsv`:
//! pipelines, if / else if / else, range over lists, maps and integers (with `else`, `break`,
//! `continue`), with, define / include / template, variables (declare and assign), printf
//! with its verbs (and wrong ones), quote, default, toYaml, nindent, trimSuffix, trunc, dict
//! and list functions, math, comparisons, tpl… The body is included through `indent` into a
//! `|2` block scalar, so that whatever it prints is a valid YAML document and helm's own
//! YAML check passes. The generator knows the types of the values it refers to, so that
//! most templates render (the summary says how many helm rendered); a few fail on purpose
//! (`required`, `fail`, comparisons of mismatched kinds), and then kit must fail too.
//!
//! Environment:
//! - `KIT_HELM3`: the reference helm v3.17.2 (`scripts/install-helm v3` prints its path;
//!   `scripts/test` exports it). Without it the test says loudly that it is skipped, and
//!   fails under `CI=true`.
//! - `KIT_TPL_CASES`: number of cases (default 300).
//! - `KIT_TPL_SEED`: run seed, decimal or 0x-hex (default fixed). Case `i` uses a seed
//!   derived from the run seed and `i` only, so it reproduces alone.
//! - `KIT_TPL_ONLY`: comma-separated case indices to run, e.g. `KIT_TPL_ONLY=17,42`.
//! - `KIT_TPL_KEEP=1`: keep every case's folder, not only the disagreeing ones (to tune the
//!   generator: helm's stderr says why it refused a chart).
//! - `KIT_TPL_KIT_CMD`: the command run instead of `kit` (split on whitespace; `template rel
//!   chart` is appended), e.g. `"$KIT_HELM3"` to check the harness (must agree 100%).
//!
//! Agreement floor: the test fails when the share of cases where kit agrees with helm (same
//! stdout when both succeed, or both fail) is below the percentage in
//! `tests/template-differential-floor.txt`: raise it as the engine improves. Every case where
//! they disagree is written to `target/tmp/template-differential/<seed>-<index>/` (the chart,
//! a `CASE` file saying how to reproduce it, both tools' stdout and stderr); the first ones
//! are printed in full.

#![allow(clippy::print_stdout, clippy::print_stderr, clippy::unwrap_used)]

mod common;

use std::fmt::Write as _;
use std::io::Write as _;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use common::rng::{self, Rng};
use rayon::prelude::*;

const DEFAULT_CASES: usize = 300;
const DEFAULT_SEED: u64 = 0x6b69_7474_706c_3031; // "kittpl01"
const SHOWN_FAILURES: usize = 5;
const TIMEOUT: Duration = Duration::from_secs(60);
const FLOOR_FILE: &str = "tests/template-differential-floor.txt";

// ---------------------------------------------------------------------------------------
// Values

/// A value of the generated values.yaml, as helm reads it (every number is a float64).
#[derive(Clone, Debug)]
enum V {
    Null,
    Bool(bool),
    /// A number, with the text it is written with in values.yaml.
    Num(&'static str),
    Str(&'static str),
    List(Vec<V>),
    Map(Vec<(String, V)>),
}

/// The kind the generator needs an expression of.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Ty {
    Str,
    /// A float64 (every number from values.yaml) or an int literal: what sprig's math takes.
    Num,
    /// A Go int: a literal or `int X` (what `trunc`, `indent`, `substr`… declare).
    Int,
    Bool,
    List,
    Map,
    Any,
}

impl V {
    fn ty(&self) -> Ty {
        match self {
            V::Null => Ty::Any,
            V::Bool(_) => Ty::Bool,
            V::Num(_) => Ty::Num,
            V::Str(_) => Ty::Str,
            V::List(_) => Ty::List,
            V::Map(_) => Ty::Map,
        }
    }
}

const NUMS: &[&str] = &[
    "0",
    "1",
    "3",
    "-7",
    "42",
    "1.5",
    "0.1",
    "-0.5",
    "2.0",
    "8388608",
    "12345678901",
    "1e-7",
    "3.14159",
    "1000000",
    "1e21",
    "100",
    "0.25",
];
const STRS: &[&str] = &[
    "hello",
    "hello world",
    "a-b_c",
    "123",
    "0042",
    "1e3",
    "0x1F",
    "1.50",
    "true",
    "false",
    "yes",
    "on",
    "y",
    "null",
    "~",
    "",
    "trailing ",
    "  leading",
    "x: y",
    "#hash",
    "multi\nline",
    "ünïcödé",
    "a,b,c",
    "CamelCase",
    "snake_case_word",
    "with \"quotes\"",
    "back\\slash",
    "nginx:1.25",
    "https://example.com/x?y=1",
    "-",
    "abc-",
];

fn gen_scalar(r: &mut Rng) -> V {
    match r.below(10) {
        0 => V::Null,
        1 => V::Bool(r.chance(50)),
        2..=4 => V::Num(r.pick(NUMS)),
        _ => V::Str(r.pick(STRS)),
    }
}

fn gen_value(r: &mut Rng, depth: usize) -> V {
    if depth >= 2 || r.chance(55) {
        return gen_scalar(r);
    }
    if r.chance(45) {
        let n = r.below(5);
        V::List((0..n).map(|_| gen_value(r, depth + 1)).collect())
    } else {
        let n = r.below(5);
        V::Map(
            (0..n)
                .map(|i| {
                    (
                        format!("{}{i}", r.pick(&["k", "key", "x", "name"])),
                        gen_value(r, depth + 1),
                    )
                })
                .collect(),
        )
    }
}

/// YAML text of a value at `indent` (block style; strings as JSON strings, which YAML reads
/// as double-quoted scalars).
fn yaml(v: &V, indent: usize, out: &mut String) {
    let pad = " ".repeat(indent);
    match v {
        V::List(items) if !items.is_empty() => {
            for item in items {
                out.push('\n');
                let _ = write!(out, "{pad}-");
                match item {
                    V::List(l) if !l.is_empty() => yaml(item, indent + 2, out),
                    V::Map(m) if !m.is_empty() => yaml(item, indent + 2, out),
                    _ => {
                        out.push(' ');
                        yaml(item, indent + 2, out);
                    }
                }
            }
        }
        V::Map(entries) if !entries.is_empty() => {
            for (k, item) in entries {
                out.push('\n');
                let _ = write!(out, "{pad}{k}:");
                match item {
                    V::List(l) if !l.is_empty() => yaml(item, indent + 2, out),
                    V::Map(m) if !m.is_empty() => yaml(item, indent + 2, out),
                    _ => {
                        out.push(' ');
                        yaml(item, indent + 2, out);
                    }
                }
            }
        }
        V::List(_) => out.push_str("[]"),
        V::Map(_) => out.push_str("{}"),
        V::Null => out.push_str("null"),
        V::Bool(b) => out.push_str(if *b { "true" } else { "false" }),
        V::Num(n) => out.push_str(n),
        V::Str(s) => out.push_str(&serde_json::to_string(s).unwrap()),
    }
}

// ---------------------------------------------------------------------------------------
// Templates

/// A template string literal (Go's double-quoted syntax; JSON's escapes are a subset).
fn lit(s: &str) -> String {
    serde_json::to_string(s).unwrap()
}

struct Gen<'a> {
    r: &'a mut Rng,
    /// Paths under `.Values` with the type of the value there.
    paths: Vec<(String, Ty)>,
    partials: Vec<String>,
    vars: usize,
}

impl Gen<'_> {
    fn path_of(&mut self, ty: Ty) -> Option<String> {
        let fits: Vec<&String> = self
            .paths
            .iter()
            .filter(|(_, t)| ty == Ty::Any || *t == ty)
            .map(|(p, _)| p)
            .collect();
        if fits.is_empty() {
            None
        } else {
            Some(fits[self.r.below(fits.len())].clone())
        }
    }

    fn int_lit(&mut self) -> String {
        self.r
            .pick_owned(&["0", "1", "2", "3", "5", "-1", "-3", "10", "63"])
            .to_string()
    }

    /// An operand (something that needs no parentheses) of type `ty`.
    fn terminal(&mut self, ty: Ty) -> String {
        if ty != Ty::Int && self.r.chance(65) {
            if let Some(p) = self.path_of(ty) {
                return p;
            }
        }
        match ty {
            Ty::Str => match self.r.below(6) {
                0 => ".Release.Name".into(),
                1 => ".Chart.Name".into(),
                2 => ".Release.Namespace".into(),
                3 => format!("`{}`", self.r.pick(&["raw str", "a\\b", "{x}", ""])),
                _ => lit(self.r.pick(STRS)),
            },
            Ty::Num => self
                .r
                .pick_owned(&["1", "2", "-4", "1.5", "0.25", "7", "1e3"])
                .into(),
            Ty::Int => self.int_lit(),
            Ty::Bool => self.r.pick_owned(&["true", "false"]).into(),
            Ty::List => match self.r.below(3) {
                0 => "(list 1 \"a\" 2.5 true)".into(),
                1 => "(list \"b\" \"a\" \"c\" \"a\")".into(),
                _ => "(list)".into(),
            },
            Ty::Map => match self.r.below(3) {
                0 => ".Values".into(),
                1 => "(dict \"a\" 1 \"b\" \"two\" \"c\" (list 3 4))".into(),
                _ => "(dict)".into(),
            },
            Ty::Any => {
                let t = self
                    .r
                    .pick_owned(&[Ty::Str, Ty::Num, Ty::Bool, Ty::List, Ty::Map]);
                self.terminal(t)
            }
        }
    }

    /// An expression of type `ty`: an operand, or a function call / pipeline (parenthesised
    /// when `operand`).
    fn expr(&mut self, ty: Ty, depth: usize, operand: bool) -> String {
        if depth >= 3 || self.r.chance(35) {
            return self.terminal(ty);
        }
        let e = self.call(ty, depth);
        if operand {
            format!("({e})")
        } else {
            e
        }
    }

    /// A call of a function that returns `ty`, as `f a b` or as the pipeline `b | f a`.
    fn call(&mut self, ty: Ty, depth: usize) -> String {
        let d = depth + 1;
        // (function, leading arguments, the last argument's type)
        let (f, mut args, last): (&str, Vec<String>, Ty) = match ty {
            Ty::Str | Ty::Any => match self.r.below(34) {
                0 => ("quote", vec![], Ty::Any),
                1 => ("squote", vec![], Ty::Any),
                2 => ("upper", vec![], Ty::Str),
                3 => ("lower", vec![], Ty::Str),
                4 => ("title", vec![], Ty::Str),
                5 => ("trim", vec![], Ty::Str),
                6 => (
                    "trimSuffix",
                    vec![lit(self.r.pick(&["-", "c", "world", ""]))],
                    Ty::Str,
                ),
                7 => (
                    "trimPrefix",
                    vec![lit(self.r.pick(&["a", "hel", "-"]))],
                    Ty::Str,
                ),
                8 => ("trunc", vec![self.int_lit()], Ty::Str),
                9 => (
                    "replace",
                    vec![
                        lit(self.r.pick(&["a", "-", " "])),
                        lit(self.r.pick(&["_", "", "AA"])),
                    ],
                    Ty::Str,
                ),
                10 => ("default", vec![self.expr(Ty::Str, d, true)], Ty::Str),
                11 => ("toString", vec![], Ty::Any),
                12 => ("toYaml", vec![], Ty::Any),
                13 => ("toJson", vec![], Ty::Any),
                14 => (
                    "nindent",
                    vec![self.r.pick_owned(&["0", "2", "4"]).into()],
                    Ty::Str,
                ),
                15 => (
                    "indent",
                    vec![self.r.pick_owned(&["0", "1", "3"]).into()],
                    Ty::Str,
                ),
                16 => ("b64enc", vec![], Ty::Str),
                17 => ("sha256sum", vec![], Ty::Str),
                18 => (
                    "repeat",
                    vec![self.r.pick_owned(&["0", "2", "3"]).into()],
                    Ty::Str,
                ),
                19 => (
                    "substr",
                    vec![
                        self.r.pick_owned(&["0", "1"]).into(),
                        self.r.pick_owned(&["3", "-1", "100"]).into(),
                    ],
                    Ty::Str,
                ),
                20 => ("join", vec![lit(self.r.pick(&[",", " ", ""]))], Ty::List),
                21 => ("print", vec![self.expr(Ty::Any, d, true)], Ty::Any),
                22 => ("cat", vec![self.expr(Ty::Any, d, true)], Ty::Any),
                23 => (
                    "trimAll",
                    vec![lit(self.r.pick(&["-", "ab", " "]))],
                    Ty::Str,
                ),
                24 => ("nospace", vec![], Ty::Str),
                25 => ("snakecase", vec![], Ty::Str),
                26 => ("kebabcase", vec![], Ty::Str),
                27 => (
                    "abbrev",
                    vec![self.r.pick_owned(&["4", "5", "10"]).into()],
                    Ty::Str,
                ),
                28 => (
                    "regexReplaceAll",
                    vec![
                        lit(self.r.pick(&["[aeiou]", "^h", "(\\w+)"])),
                        lit(self.r.pick(&["_", "${1}!", ""])),
                    ],
                    Ty::Str,
                ),
                29 => (
                    "regexFind",
                    vec![lit(self.r.pick(&["[0-9]+", "[a-z]+", "x"]))],
                    Ty::Str,
                ),
                30 => ("typeOf", vec![], Ty::Any),
                31 => ("kindOf", vec![], Ty::Any),
                32 => ("ternary", vec![lit("yes"), lit("no")], Ty::Bool),
                _ => (
                    "printf",
                    vec![lit(self.r.pick(&[
                        "%v", "%s", "%d", "%q", "%5.2f", "%x", "%t", "%T", "[%-6v]", "%05d", "%g",
                        "%e",
                    ]))],
                    Ty::Any,
                ),
            },
            Ty::Num => match self.r.below(12) {
                0 => ("add", vec![self.expr(Ty::Num, d, true)], Ty::Num),
                1 => ("sub", vec![self.expr(Ty::Num, d, true)], Ty::Num),
                2 => ("mul", vec![self.expr(Ty::Num, d, true)], Ty::Num),
                3 => ("add1", vec![], Ty::Num),
                4 => ("max", vec![self.expr(Ty::Num, d, true)], Ty::Num),
                5 => ("min", vec![self.expr(Ty::Num, d, true)], Ty::Num),
                6 => ("addf", vec![self.expr(Ty::Num, d, true)], Ty::Num),
                7 => ("mulf", vec![self.expr(Ty::Num, d, true)], Ty::Num),
                8 => ("float64", vec![], Ty::Any),
                9 => ("len", vec![], Ty::List),
                10 => ("floor", vec![], Ty::Num),
                _ => ("int64", vec![], Ty::Any),
            },
            Ty::Int => ("int", vec![], Ty::Num),
            Ty::Bool => match self.r.below(14) {
                0 => ("not", vec![], Ty::Any),
                1 => ("empty", vec![], Ty::Any),
                2 => ("eq", vec![self.expr(Ty::Str, d, true)], Ty::Str),
                3 => ("ne", vec![], Ty::Num),
                4 => ("lt", vec![], Ty::Num),
                5 => (
                    "contains",
                    vec![lit(self.r.pick(&["a", "l", "-", ""]))],
                    Ty::Str,
                ),
                6 => (
                    "hasPrefix",
                    vec![lit(self.r.pick(&["h", "1", ""]))],
                    Ty::Str,
                ),
                7 => (
                    "hasKey",
                    vec![lit(self.r.pick(&["k0", "key1", "a", "x2"]))],
                    Ty::Map,
                ),
                8 => (
                    "kindIs",
                    vec![lit(self.r.pick(&[
                        "string", "map", "slice", "float64", "int", "bool", "invalid",
                    ]))],
                    Ty::Any,
                ),
                9 => ("and", vec![self.expr(Ty::Bool, d, true)], Ty::Bool),
                10 => ("or", vec![self.expr(Ty::Bool, d, true)], Ty::Bool),
                11 => (
                    "regexMatch",
                    vec![lit(self.r.pick(&["^[a-z]+$", "[0-9]", "."]))],
                    Ty::Str,
                ),
                12 => ("has", vec![self.expr(Ty::Any, d, true)], Ty::List),
                _ => ("ne", vec![], Ty::Num),
            },
            Ty::List => match self.r.below(12) {
                0 => (
                    "list",
                    vec![self.expr(Ty::Any, d, true), self.expr(Ty::Any, d, true)],
                    Ty::Any,
                ),
                1 => ("append", vec![self.expr(Ty::List, d, true)], Ty::Any),
                2 => ("reverse", vec![], Ty::List),
                3 => ("uniq", vec![], Ty::List),
                4 => ("sortAlpha", vec![], Ty::List),
                5 => (
                    "splitList",
                    vec![lit(self.r.pick(&[",", " ", "-"]))],
                    Ty::Str,
                ),
                6 => ("until", vec![], Ty::Int),
                7 => ("concat", vec![self.expr(Ty::List, d, true)], Ty::List),
                8 => ("without", vec![self.expr(Ty::List, d, true)], Ty::Any),
                9 => ("compact", vec![], Ty::List),
                10 => ("rest", vec![], Ty::List),
                _ => ("keys", vec![], Ty::Map),
            },
            Ty::Map => match self.r.below(8) {
                0 => (
                    "dict",
                    vec![lit("a"), self.expr(Ty::Any, d, true), lit("b")],
                    Ty::Any,
                ),
                1 => ("pick", vec![lit("k0")], Ty::Map),
                2 => ("omit", vec![lit("k1")], Ty::Map),
                3 => ("deepCopy", vec![], Ty::Map),
                4 => ("merge", vec![self.expr(Ty::Map, d, true)], Ty::Map),
                5 => ("mergeOverwrite", vec![self.expr(Ty::Map, d, true)], Ty::Map),
                6 => ("fromYaml", vec![], Ty::Str),
                _ => ("set", vec![lit("z")], Ty::Any),
            },
        };
        // Functions whose argument order differs from "last argument is the piped one".
        match f {
            "set" => {
                // set MAP KEY VALUE: the map first.
                let m = self.expr(Ty::Map, d, true);
                let v = self.expr(Ty::Any, d, true);
                return format!("set (deepCopy {m}) {} {v}", args[0]);
            }
            "merge" | "mergeOverwrite" => {
                let m = self.expr(Ty::Map, d, true);
                return format!("{f} (deepCopy {m}) {}", args[0]);
            }
            "fromYaml" => {
                let v = self.expr(Ty::Any, d, true);
                return format!("fromYaml (toYaml {v})");
            }
            "keys" => {
                let m = self.expr(Ty::Map, d, true);
                return format!("keys {m} | sortAlpha");
            }
            "hasKey" | "pick" | "omit" => {
                // the map first
                let m = self.expr(Ty::Map, d, true);
                return format!("{f} {m} {}", args[0]);
            }
            "ne" | "lt" => {
                // Go's comparisons refuse an int against a float64: compare float64s.
                let a = self.expr(Ty::Num, d, true);
                let b = self.expr(Ty::Num, d, true);
                return format!("{f} (float64 {a}) (float64 {b})");
            }
            "has" => {
                let l = self.expr(Ty::List, d, true);
                return format!("has {} {l}", args[0]);
            }
            _ => {}
        }
        let piped = self.r.chance(50);
        let last_arg = self.expr(last, d, !piped);
        if piped {
            let head = if last_arg.contains(' ') && !last_arg.starts_with('(') {
                format!("({last_arg})")
            } else {
                last_arg
            };
            let rest = if args.is_empty() {
                f.to_string()
            } else {
                format!("{f} {}", args.join(" "))
            };
            format!("{head} | {rest}")
        } else {
            args.push(last_arg);
            format!("{f} {}", args.join(" "))
        }
    }

    fn open(&mut self) -> &'static str {
        if self.r.chance(30) {
            "{{- "
        } else {
            "{{ "
        }
    }

    fn close(&mut self) -> &'static str {
        if self.r.chance(20) {
            " -}}"
        } else {
            " }}"
        }
    }

    /// One statement of the body (usually ending with a newline).
    fn stmt(&mut self, depth: usize) -> String {
        let (o, c) = (self.open(), self.close());
        let inner = |g: &mut Gen, depth: usize| -> String {
            let n = g.r.range(1, 2);
            (0..n).map(|_| g.stmt(depth + 1)).collect()
        };
        let choice = if depth >= 2 {
            self.r.below(4)
        } else {
            self.r.below(16)
        };
        match choice {
            0 | 1 => {
                let ty = self.r.pick_owned(&[
                    Ty::Str,
                    Ty::Num,
                    Ty::Bool,
                    Ty::List,
                    Ty::Map,
                    Ty::Any,
                    Ty::Str,
                ]);
                let e = self.expr(ty, 0, false);
                format!("v: {o}{e}{c}\n")
            }
            2 => {
                let e = self.expr(Ty::Str, 0, false);
                format!("s: {o}{e}{c}\n")
            }
            3 => {
                // printf with several verbs and arguments (some of the wrong kind).
                let verbs = [
                    "%s", "%d", "%v", "%q", "%.2f", "%5s", "%-4d|", "%x", "%t", "%%", "%+v",
                    "%08.3f", "%U",
                ];
                let n = self.r.range(1, 3);
                let mut fmt = String::new();
                let mut args = Vec::new();
                for _ in 0..n {
                    let v = self.r.pick(&verbs);
                    fmt.push_str(v);
                    fmt.push(' ');
                    if v != "%%" {
                        let ty = self
                            .r
                            .pick_owned(&[Ty::Str, Ty::Num, Ty::Int, Ty::Bool, Ty::Any]);
                        args.push(self.expr(ty, 1, true));
                    }
                }
                format!(
                    "p: {o}printf {} {}{c}\n",
                    lit(fmt.trim_end()),
                    args.join(" ")
                )
            }
            4 => {
                let ty = self.r.pick_owned(&[Ty::Bool, Ty::Any]);
                let cond = self.expr(ty, 0, false);
                let a = inner(self, depth);
                let mut s = format!("{o}if {cond}{c}\n{a}");
                if self.r.chance(40) {
                    let cond2 = self.expr(Ty::Bool, 0, false);
                    let b = inner(self, depth);
                    let _ = write!(s, "{{{{- else if {cond2} }}}}\n{b}");
                }
                if self.r.chance(60) {
                    let b = inner(self, depth);
                    let _ = write!(s, "{{{{ else }}}}\n{b}");
                }
                s.push_str("{{- end }}\n");
                s
            }
            5 => {
                let l = self.expr(Ty::List, 0, false);
                let v = self.next_var();
                let brk = if self.r.chance(20) {
                    format!(
                        "{{{{ if eq $i 1 }}}}{{{{ {} }}}}{{{{ end }}}}",
                        self.r.pick(&["break", "continue"])
                    )
                } else {
                    String::new()
                };
                let body = self.r.pick(&[
                    "{{ $i }}={{ $V }};",
                    "- {{ $V | toString | quote }}\n",
                    "{{ $V }}{{ if kindIs \"string\" $V }}({{ len $V }}){{ end }} ",
                ]);
                let mut s = format!("{o}range $i, {v} := {l}{c}{brk}{}", body.replace("$V", &v));
                if self.r.chance(30) {
                    s.push_str("{{ else }}none");
                }
                s.push_str("{{ end }}\n");
                s
            }
            6 => {
                let m = self.expr(Ty::Map, 0, false);
                let v = self.next_var();
                let body = self.r.pick(&[
                    "{{ $k }}: {{ $V }}\n",
                    "{{ $k }}={{ $V | toJson }},",
                    "{{ $k | upper }} {{ typeOf $V }};",
                ]);
                format!(
                    "{o}range $k, {v} := {m}{c}{}{{{{ end }}}}\n",
                    body.replace("$V", &v)
                )
            }
            7 => {
                // Go 1.23's text/template (Helm v3.17.2's) cannot range over an integer: an
                // error helm makes, rarely; `until` is what charts use.
                let n = self.r.pick(&["0", "3", "5"]);
                let over = if self.r.chance(15) {
                    n.to_string()
                } else {
                    format!("until {n}")
                };
                format!("r: {o}range $n := {over}{c}{{{{ $n }}}},{{{{ end }}}}\n")
            }
            8 => {
                let l = self.expr(Ty::List, 0, false);
                format!("{o}range {l}{c}[{{{{ . }}}}]{{{{ else }}}}empty{{{{ end }}}}\n")
            }
            9 => {
                let e = self.expr(Ty::Any, 0, false);
                let body = self.r.pick(&[
                    "{{ . }}",
                    "{{ . | toYaml | nindent 2 }}",
                    "{{ $.Release.Name }}-{{ . }}",
                ]);
                let els = if self.r.chance(50) {
                    "{{ else }}nothing"
                } else {
                    ""
                };
                format!("w: {o}with {e}{c}{body}{els}{{{{ end }}}}\n")
            }
            10 => {
                let v = self.next_var();
                let a = self.expr(Ty::Any, 0, false);
                let mut s = format!("{o}{v} := {a}{c}");
                if self.r.chance(50) {
                    let b = self.expr(Ty::Any, 0, false);
                    let _ = write!(s, "{{{{ {v} = {b} }}}}");
                }
                let _ = writeln!(s, "x: {{{{ {v} }}}}");
                s
            }
            11 if !self.partials.is_empty() => {
                let p = self.r.pick_owned(&self.partials);
                match self.r.below(3) {
                    0 => format!("i: {o}include {} . | nindent 2{c}\n", lit(&p)),
                    1 => format!("{o}template {} .{c}\n", lit(&p)),
                    _ => format!("i: {o}include {} . | trim | quote{c}\n", lit(&p)),
                }
            }
            12 => {
                let p = self
                    .path_of(Ty::Str)
                    .unwrap_or_else(|| ".Release.Name".into());
                let tpl = self.r.pick(&[
                    "{{ .Release.Name }}-x",
                    "{{ PATH | quote }}",
                    "{{ .Values | keys | sortAlpha | join \",\" }}",
                    "plain",
                    "{{ 1 }}.{{ 2.5 }}",
                ]);
                let tpl = tpl.replace("PATH", &p);
                format!("t: {o}tpl {} .{c}\n", lit(&tpl))
            }
            13 => {
                // Deliberate failures, rarely: both must fail.
                match self.r.below(6) {
                    0 => format!("{o}required \"need it\" .Values.missing{c}\n"),
                    1 => format!("{o}if false{c}{{{{ fail \"never\" }}}}{{{{ end }}}}{{{{ required \"ok\" .Release.Name }}}}\n"),
                    // dig wants a map[string]interface{}: .Values (chartutil.Values) is refused,
                    // rarely on purpose; the same map through fromYaml is accepted.
                    2 if self.r.chance(20) => format!("d: {o}dig \"k0\" \"k1\" \"dflt\" .Values{c}\n"),
                    2 => {
                        let key = self.r.pick(&["a", "b", "zz"]);
                        format!("d: {o}dig \"map\" {} \"dflt\" (.Values | toYaml | fromYaml){c}\n", lit(key))
                    }
                    3 => format!("c: {o}coalesce .Values.missing \"\" {}{c}\n", self.expr(Ty::Any, 1, true)),
                    4 => format!("g: {o}get (dict \"a\" 1) \"a\"{c} {{{{ get .Values \"nope\" | quote }}}}\n"),
                    _ => {
                        // A comment must touch its delimiters (or their trim markers).
                        let comment = self.r.pick(&["{{/* a comment */}}", "{{- /* a comment */ -}}", "{{- /* a\ncomment */}}"]);
                        format!("{comment}\nidx: {{{{ index .Values \"k0\" | toString }}}}\n")
                    }
                }
            }
            14 => {
                let ty = self.r.pick_owned(&[Ty::Num, Ty::Bool, Ty::List, Ty::Map]);
                let e = self.expr(ty, 0, false);
                format!("y: {o}{e} | toYaml | nindent 2{c}\n")
            }
            _ => {
                let e = self.expr(Ty::Num, 0, false);
                format!("n: {o}{e}{c}\n")
            }
        }
    }

    fn next_var(&mut self) -> String {
        self.vars += 1;
        format!("$v{}", self.vars)
    }
}

fn collect_paths(v: &V, path: &str, out: &mut Vec<(String, Ty)>) {
    if let V::Map(entries) = v {
        for (k, item) in entries {
            let p = format!("{path}.{k}");
            out.push((p.clone(), item.ty()));
            collect_paths(item, &p, out);
        }
    }
}

struct Chart {
    values: String,
    helpers: String,
    template: String,
}

fn gen_chart(seed: u64) -> Chart {
    let mut r = Rng::new(seed);
    let n = r.range(3, 9);
    let mut top: Vec<(String, V)> = (0..n)
        .map(|i| (format!("k{i}"), gen_value(&mut r, 0)))
        .collect();
    // Always some of each kind, so that typed paths exist.
    top.push(("str".into(), V::Str(r.pick(STRS))));
    top.push(("num".into(), V::Num(r.pick(NUMS))));
    top.push((
        "list".into(),
        V::List((0..r.range(1, 4)).map(|_| gen_scalar(&mut r)).collect()),
    ));
    top.push((
        "map".into(),
        V::Map(vec![
            ("a".into(), gen_scalar(&mut r)),
            ("b".into(), gen_value(&mut r, 1)),
        ]),
    ));
    let root = V::Map(top);
    let mut values = String::new();
    yaml(&root, 0, &mut values);
    let values = values.trim_start_matches('\n').to_string() + "\n";
    let mut paths = Vec::new();
    collect_paths(&root, ".Values", &mut paths);

    let mut g = Gen {
        r: &mut r,
        paths,
        partials: Vec::new(),
        vars: 0,
    };
    let mut helpers = String::new();
    for i in 0..g.r.range(0, 2) {
        let name = format!("t.p{i}");
        let body: String = (0..g.r.range(1, 2)).map(|_| g.stmt(1)).collect();
        let _ = write!(
            helpers,
            "{{{{- define {} }}}}\n{body}{{{{- end }}}}\n",
            lit(&name)
        );
        g.partials.push(name);
    }
    let body: String = (0..g.r.range(2, 6)).map(|_| g.stmt(0)).collect();
    let template = format!(
        "{{{{- define \"t.body\" }}}}\n{body}{{{{- end }}}}\nout: |2\n{{{{ include \"t.body\" . | indent 2 }}}}\n"
    );
    Chart {
        values,
        helpers,
        template,
    }
}

fn write_chart(dir: &Path, chart: &Chart) {
    let _ = std::fs::remove_dir_all(dir);
    common::write(
        dir,
        "chart/Chart.yaml",
        "apiVersion: v2\nname: t\nversion: 0.1.0\nappVersion: \"1.0\"\n",
    );
    common::write(dir, "chart/values.yaml", &chart.values);
    common::write(dir, "chart/templates/_helpers.tpl", &chart.helpers);
    common::write(dir, "chart/templates/t.yaml", &chart.template);
}

// ---------------------------------------------------------------------------------------
// Running both

struct Run {
    ok: bool,
    status: String,
    stdout: String,
    stderr: String,
}

fn run(cmd: &mut Command, dir: &Path, tag: &str) -> Run {
    let out_path = dir.join(format!("{tag}.stdout"));
    let err_path = dir.join(format!("{tag}.stderr"));
    let child = cmd
        .current_dir(dir)
        .stdin(Stdio::null())
        .stdout(std::fs::File::create(&out_path).unwrap())
        .stderr(std::fs::File::create(&err_path).unwrap())
        .spawn();
    let mut child = match child {
        Ok(c) => c,
        Err(e) => {
            return Run {
                ok: false,
                status: format!("cannot run: {e}"),
                stdout: String::new(),
                stderr: String::new(),
            }
        }
    };
    let start = Instant::now();
    let status = loop {
        if let Some(s) = child.try_wait().unwrap() {
            break format!("{s}");
        }
        if start.elapsed() > TIMEOUT {
            let _ = child.kill();
            let _ = child.wait();
            break "timed out".to_string();
        }
        std::thread::sleep(Duration::from_millis(5));
    };
    let read =
        |p: &Path| String::from_utf8_lossy(&std::fs::read(p).unwrap_or_default()).into_owned();
    Run {
        ok: status == "exit status: 0",
        status,
        stdout: read(&out_path),
        stderr: read(&err_path),
    }
}

fn helm_command(helm: &str, dir: &Path) -> Command {
    let home = dir.join(".home");
    let mut cmd = Command::new(helm);
    for (k, _) in std::env::vars_os() {
        if k.to_string_lossy().starts_with("HELM_") {
            cmd.env_remove(k);
        }
    }
    cmd.env("HOME", &home)
        .env("XDG_CONFIG_HOME", home.join(".config"))
        .env("XDG_CACHE_HOME", home.join(".cache"))
        .env("XDG_DATA_HOME", home.join(".local/share"))
        .env("KUBECONFIG", "/dev/null");
    cmd
}

struct Outcome {
    index: usize,
    seed: u64,
    agree: bool,
    helm_ok: bool,
    dir: PathBuf,
    report: String,
}

fn show(title: &str, r: &Run) -> String {
    let lines: Vec<&str> = r.stdout.lines().take(60).collect();
    let errs: Vec<&str> = r.stderr.lines().take(10).collect();
    format!(
        "== {title}: {}\n-- stdout:\n{}\n-- stderr:\n{}\n",
        r.status,
        lines.join("\n"),
        errs.join("\n")
    )
}

fn run_case(
    helm: &str,
    kit_cmd: &[String],
    kit_args: &[&str],
    run_seed: u64,
    index: usize,
    root: &Path,
) -> Outcome {
    let seed = rng::mix(run_seed, index as u64);
    let chart = gen_chart(seed);
    let dir = root.join(format!("{run_seed:#x}-{index}"));
    write_chart(&dir, &chart);
    let mut h = helm_command(helm, &dir);
    let h = run(h.args(["template", "rel", "chart"]), &dir, "helm");
    // Another command (a helm, to check the harness) runs in helm's clean environment.
    let mut kit = helm_command(&kit_cmd[0], &dir);
    kit.args(&kit_cmd[1..])
        .args(["template", "rel", "chart"])
        .args(kit_args)
        .env("NO_COLOR", "1");
    let k = run(&mut kit, &dir, "kit");
    let agree = if h.ok {
        k.ok && h.stdout == k.stdout
    } else {
        !k.ok
    };
    let report = format!(
        "case {index} (KIT_TPL_SEED={run_seed:#x} KIT_TPL_ONLY={index}; chart in {}):\n\
         -- values.yaml:\n{}-- templates/_helpers.tpl:\n{}-- templates/t.yaml:\n{}{}{}",
        dir.display(),
        chart.values,
        chart.helpers,
        chart.template,
        show("helm", &h),
        show("kit", &k)
    );
    if agree && common::env_var("KIT_TPL_KEEP").is_none() {
        let _ = std::fs::remove_dir_all(&dir);
    } else {
        let _ = std::fs::write(dir.join("CASE"), &report);
    }
    Outcome {
        index,
        seed,
        agree,
        helm_ok: h.ok,
        dir,
        report,
    }
}

#[test]
fn kit_template_matches_helm_template() {
    differential(&Reference {
        env: "KIT_HELM3",
        version: "v3.17.2",
        install: "v3",
        kit_args: &[],
        default_cases: DEFAULT_CASES,
    });
}

/// The same generator against Helm v4.1.4 and `kit template --helm-version 4` (fewer cases:
/// the engine is the same, what differs is what v4 hands the templates).
#[test]
fn kit_template_as_helm_v4_matches_helm_v4_template() {
    differential(&Reference {
        env: "KIT_HELM4",
        version: "v4.1.4",
        install: "v4",
        kit_args: &["--helm-version", "4"],
        default_cases: DEFAULT_CASES / 3,
    });
}

/// Which helm kit is compared with, and how kit is told to be it.
struct Reference {
    /// The variable naming the helm binary.
    env: &'static str,
    version: &'static str,
    /// `scripts/install-helm`'s argument for it.
    install: &'static str,
    kit_args: &'static [&'static str],
    default_cases: usize,
}

fn differential(reference: &Reference) {
    let Reference {
        env,
        version,
        install,
        ..
    } = reference;
    let Some(helm) = common::env_var(env) else {
        common::skip_or_fail(
            "template_differential",
            &format!("helm is missing: {env} is not set (run scripts/test, or scripts/install-helm {install} and export {env}=<the path it prints>)"),
        );
        return;
    };
    let printed = Command::new(&helm)
        .args(["version", "--template", "{{.Version}}"])
        .output()
        .map(|o| String::from_utf8_lossy(&o.stdout).into_owned())
        .unwrap_or_else(|e| panic!("template_differential: cannot run {env}={helm}: {e}"));
    assert_eq!(
        printed.trim(),
        *version,
        "template_differential: {env}={helm} is not Helm {version}"
    );
    let run_seed = common::env_var("KIT_TPL_SEED").map_or(DEFAULT_SEED, |s| common::parse_u64(&s));
    let count = common::env_var("KIT_TPL_CASES")
        .map_or(reference.default_cases, |s| common::parse_u64(&s) as usize);
    let cases: Vec<usize> = match common::env_var("KIT_TPL_ONLY") {
        Some(list) => list
            .split(',')
            .map(|i| common::parse_u64(i) as usize)
            .collect(),
        None => (0..count).collect(),
    };
    let kit_cmd: Vec<String> = match common::env_var("KIT_TPL_KIT_CMD") {
        Some(c) => c.split_whitespace().map(String::from).collect(),
        None => vec![env!("CARGO_BIN_EXE_kit").to_string()],
    };
    let root = Path::new(env!("CARGO_TARGET_TMPDIR"))
        .join("template-differential")
        .join(version);
    std::fs::create_dir_all(&root).unwrap();
    let started = Instant::now();
    let outcomes: Vec<Outcome> = cases
        .par_iter()
        .map(|&i| run_case(&helm, &kit_cmd, reference.kit_args, run_seed, i, &root))
        .collect();
    let total = outcomes.len();
    let agree = outcomes.iter().filter(|o| o.agree).count();
    let helm_ok = outcomes.iter().filter(|o| o.helm_ok).count();
    let failures: Vec<&Outcome> = outcomes.iter().filter(|o| !o.agree).collect();
    for o in failures.iter().take(SHOWN_FAILURES) {
        println!(
            "---- disagreement: case {} (case seed {:#x})\n{}",
            o.index, o.seed, o.report
        );
    }
    if !failures.is_empty() {
        let listed: Vec<String> = failures.iter().map(|o| o.index.to_string()).collect();
        println!(
            "disagreeing cases (charts under {}): {}",
            failures[0].dir.parent().unwrap_or(Path::new("")).display(),
            listed.join(",")
        );
    }
    let percent = if total == 0 {
        100.0
    } else {
        100.0 * agree as f64 / total as f64
    };
    let summary = format!(
        "template differential (seed {run_seed:#x}): kit agrees with helm {version} on {agree}/{total} cases ({percent:.1}%); \
         helm rendered {helm_ok}/{total} without error; {:.1}s",
        started.elapsed().as_secs_f64()
    );
    println!("{summary}");
    // Straight to stderr (not captured by the test harness): the numbers show on every run.
    let _ = writeln!(std::io::stderr(), "{summary}");
    let floor_text =
        std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join(FLOOR_FILE))
            .unwrap_or_default();
    let floor: f64 = floor_text
        .lines()
        .map(str::trim)
        .find(|l| !l.is_empty() && !l.starts_with('#'))
        .map(|l| {
            l.trim_end_matches('%')
                .parse()
                .unwrap_or_else(|e| panic!("{FLOOR_FILE}: {l:?}: {e}"))
        })
        .unwrap_or(0.0);
    assert!(
        percent >= floor,
        "template differential: agreement {percent:.1}% is below the floor {floor}% ({FLOOR_FILE})"
    );
}
