//! Differential tests for `replacements` and JSON 6902 `patches`: seeded random
//! kustomizations are rendered by `kubectl kustomize` (kustomize v5.8.1) and by kit's library
//! (`kit::load`, `kit::transform::replacements`, `kit::patch::json6902`, the legacy sort and
//! `kit::emit::yaml_stream`); outputs must be byte-identical, and both must fail together.
//!
//! Environment:
//!
//! - `KIT_KUBECTL`: the reference kubectl. Unset: the tests print why and pass (skipped).
//! - `KIT_REPL_CASES`: cases per test (default 300).
//! - `KIT_REPL_SEED`: run seed (decimal or 0x-hex). Case `i` depends only on it and `i`.
//! - `KIT_REPL_ONLY`: comma-separated case indices.
//! - `KIT_REPL_KEEP=1`: keep every case directory (failing ones are always kept).
//! - `KIT_REPL_MAX_FAIL`: fail the test only above this many differing cases (default 0).
//!
//! Known gap kept out of the generated input: kit's `Node` keeps no source text for numbers,
//! so a float written `1.0` or a created value `007` (which kustomize copies as text) cannot
//! come back as written; the generator avoids such texts.
//!
//! Run: `KIT_KUBECTL=/path/to/kubectl cargo test --test replacements_differential -- --nocapture`

#![allow(clippy::print_stdout, clippy::print_stderr, clippy::unwrap_used)]

mod common;

use common::{env_var, parse_u64};
use std::fs;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Mutex;

use kit::load::Loader;
use kit::model::{Node, Resource};
use kit::source::Origin;

const DEFAULT_CASES: usize = 300;
/// Generated variants per case index (see `run`).
const ATTEMPTS: usize = 4;
const DEFAULT_SEED: u64 = 0x7265_706c_6469_6666; // "repldiff"

struct Config {
    kubectl: String,
    cases: Vec<usize>,
    seed: u64,
    keep: bool,
    max_fail: usize,
}

fn config() -> Option<Config> {
    let Some(kubectl) = env_var("KIT_KUBECTL") else {
        println!(
            "replacements_differential: skipped: KIT_KUBECTL is not set (point it at kubectl with kustomize v5.8.1)"
        );
        return None;
    };
    let n = env_var("KIT_REPL_CASES").map_or(DEFAULT_CASES, |v| parse_u64(&v) as usize);
    let cases = match env_var("KIT_REPL_ONLY") {
        Some(list) => list.split(',').map(|i| parse_u64(i) as usize).collect(),
        None => (0..n).collect(),
    };
    Some(Config {
        kubectl,
        cases,
        seed: env_var("KIT_REPL_SEED").map_or(DEFAULT_SEED, |v| parse_u64(&v)),
        keep: env_var("KIT_REPL_KEEP").as_deref() == Some("1"),
        max_fail: env_var("KIT_REPL_MAX_FAIL").map_or(0, |v| parse_u64(&v) as usize),
    })
}

// ---------------------------------------------------------------------------------------------
// Random numbers: splitmix64, seeded per case.

struct Rng(u64);

impl Rng {
    fn new(seed: u64) -> Self {
        Rng(seed)
    }
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9e37_79b9_7f4a_7c15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        z ^ (z >> 31)
    }
    fn below(&mut self, n: usize) -> usize {
        (self.next() % n.max(1) as u64) as usize
    }
    fn chance(&mut self, percent: u32) -> bool {
        (self.next() % 100) < u64::from(percent)
    }
    fn pick<'a>(&mut self, items: &[&'a str]) -> &'a str {
        items[self.below(items.len())]
    }
}

fn mix(seed: u64, i: u64) -> u64 {
    let mut r = Rng::new(seed ^ i.wrapping_mul(0x2545_f491_4f6c_dd1d));
    r.next()
}

// ---------------------------------------------------------------------------------------------
// A small YAML writer: flow style, strings double-quoted, raw scalars as written.

#[derive(Clone, Debug)]
enum V {
    S(String),
    Raw(String),
    L(Vec<V>),
    M(Vec<(String, V)>),
}

fn s(x: impl Into<String>) -> V {
    V::S(x.into())
}
fn raw(x: impl ToString) -> V {
    V::Raw(x.to_string())
}
fn m(pairs: Vec<(&str, V)>) -> V {
    V::M(pairs.into_iter().map(|(k, v)| (k.to_string(), v)).collect())
}

fn flow(v: &V) -> String {
    match v {
        V::S(x) => serde_json::to_string(x).unwrap(),
        V::Raw(x) => x.clone(),
        V::L(items) => format!(
            "[{}]",
            items.iter().map(flow).collect::<Vec<_>>().join(", ")
        ),
        V::M(pairs) => format!(
            "{{{}}}",
            pairs
                .iter()
                .map(|(k, v)| format!("{}: {}", serde_json::to_string(k).unwrap(), flow(v)))
                .collect::<Vec<_>>()
                .join(", ")
        ),
    }
}

/// Block style at the top level (one key per line), flow below.
fn block(v: &V) -> String {
    match v {
        V::M(pairs) => pairs
            .iter()
            .map(|(k, v)| format!("{}: {}\n", serde_json::to_string(k).unwrap(), flow(v)))
            .collect(),
        V::L(items) => items.iter().map(|i| format!("- {}\n", flow(i))).collect(),
        other => format!("{}\n", flow(other)),
    }
}

// ---------------------------------------------------------------------------------------------
// Resources.

const NAMES: &[&str] = &["web", "api", "db", "cache", "web-canary"];
const NAMESPACES: &[&str] = &["", "", "prod", "default", "team-a"];

fn labels(rng: &mut Rng) -> V {
    let mut l = vec![("app".to_string(), s(rng.pick(&["web", "api", "db"])))];
    if rng.chance(50) {
        l.push(("tier".into(), s(rng.pick(&["front", "back"]))));
    }
    if rng.chance(20) {
        l.push(("example.com/team".into(), s(rng.pick(&["a", "b"]))));
    }
    V::M(l)
}

fn metadata(rng: &mut Rng, name: &str) -> V {
    let mut md = vec![("name".to_string(), s(name))];
    let ns = rng.pick(NAMESPACES);
    if !ns.is_empty() {
        md.push(("namespace".into(), s(ns)));
    }
    if rng.chance(70) {
        md.push(("labels".into(), labels(rng)));
    }
    if rng.chance(50) {
        let mut a = vec![(
            "note".to_string(),
            s(rng.pick(&["x", "a.b.c", "host:8080", "1"])),
        )];
        if rng.chance(40) {
            a.push((
                "example.com/owner".into(),
                s(rng.pick(&["team-a", "team-b"])),
            ));
        }
        md.push(("annotations".into(), V::M(a)));
    }
    V::M(md)
}

fn scalar_value(rng: &mut Rng) -> V {
    match rng.below(12) {
        0 => s("3"),
        1 => raw(rng.pick(&["42", "0", "7", "1000000", "2.5", "1.5"])),
        2 => raw(rng.pick(&["true", "false"])),
        3 => s("a.b.c"),
        4 => s("registry.example.com:5000/app:1.2"),
        5 => s("host-1:8080"),
        6 => s(""),
        7 => s("yes"),
        8 => raw("null"),
        9 => s(r#"{"k": "v", "n": 1}"#),
        10 => s("x-y-z"),
        _ => s(rng.pick(&["alpha", "beta", "gamma"])),
    }
}

fn configmap(rng: &mut Rng, name: &str) -> V {
    let mut data = Vec::new();
    for key in ["a", "b", "c", "url", "cfg"] {
        if key.len() == 1 || rng.chance(60) {
            data.push((key.to_string(), scalar_value(rng)));
        }
    }
    m(vec![
        ("apiVersion", s("v1")),
        ("kind", s("ConfigMap")),
        ("metadata", metadata(rng, name)),
        ("data", V::M(data)),
    ])
}

fn container(rng: &mut Rng, name: &str) -> V {
    let mut c = vec![
        ("name", s(name)),
        (
            "image",
            s(rng.pick(&["nginx:1.25", "busybox", "registry.example.com:5000/app:1.2"])),
        ),
    ];
    if rng.chance(85) {
        let env: Vec<V> = (0..rng.below(3) + 1)
            .map(|i| {
                m(vec![
                    ("name", s(["HOST", "PORT", "MODE"][i])),
                    ("value", scalar_value(rng)),
                ])
            })
            .collect();
        c.push(("env", V::L(env)));
    }
    if rng.chance(40) {
        c.push(("args", V::L(vec![s("--port"), s("8080"), s("-v")])));
    }
    m(c)
}

fn deployment(rng: &mut Rng, name: &str) -> V {
    let mut containers = vec![container(rng, "app")];
    if rng.chance(50) {
        containers.push(container(rng, "sidecar"));
    }
    let mut spec = vec![
        ("replicas", raw(rng.below(5))),
        (
            "template",
            m(vec![
                ("metadata", m(vec![("labels", labels(rng))])),
                ("spec", m(vec![("containers", V::L(containers))])),
            ]),
        ),
    ];
    if rng.chance(30) {
        spec.push(("paused", raw("false")));
    }
    m(vec![
        ("apiVersion", s("apps/v1")),
        ("kind", s("Deployment")),
        ("metadata", metadata(rng, name)),
        ("spec", m(spec)),
    ])
}

fn service(rng: &mut Rng, name: &str) -> V {
    m(vec![
        ("apiVersion", s("v1")),
        ("kind", s("Service")),
        ("metadata", metadata(rng, name)),
        (
            "spec",
            m(vec![
                ("selector", labels(rng)),
                (
                    "ports",
                    V::L(vec![m(vec![("name", s("http")), ("port", raw(80))])]),
                ),
            ]),
        ),
    ])
}

fn widget(rng: &mut Rng, name: &str) -> V {
    m(vec![
        ("apiVersion", s("example.com/v1alpha1")),
        ("kind", s("Widget")),
        ("metadata", metadata(rng, name)),
        (
            "spec",
            m(vec![
                ("size", raw(rng.pick(&["1", "2.5", "1000000"]))),
                ("tags", V::L(vec![s("a"), s("b")])),
                (
                    "nested",
                    m(vec![("key/with/slash", s("v")), ("tilde~key", s("t"))]),
                ),
            ]),
        ),
    ])
}

/// A generated resource's id.
#[derive(Clone, Debug)]
struct Id {
    kind: &'static str,
    name: &'static str,
    namespace: String,
}

/// Resources with distinct ids.
fn resources(rng: &mut Rng) -> (Vec<V>, Vec<Id>) {
    let mut out = Vec::new();
    let mut ids: Vec<Id> = Vec::new();
    for _ in 0..rng.below(4) + 2 {
        let kind = rng.pick(&[
            "ConfigMap",
            "Deployment",
            "Service",
            "Widget",
            "ConfigMap",
            "Deployment",
        ]);
        let name = rng.pick(NAMES);
        if ids.iter().any(|id| id.kind == kind && id.name == name) {
            continue;
        }
        let v = match kind {
            "ConfigMap" => configmap(rng, name),
            "Deployment" => deployment(rng, name),
            "Service" => service(rng, name),
            _ => widget(rng, name),
        };
        let namespace = match &v {
            V::M(p) => p
                .iter()
                .find(|(k, _)| k == "metadata")
                .and_then(|(_, md)| match md {
                    V::M(mp) => mp
                        .iter()
                        .find(|(k, _)| k == "namespace")
                        .map(|(_, n)| match n {
                            V::S(x) => x.clone(),
                            _ => String::new(),
                        }),
                    _ => None,
                })
                .unwrap_or_default(),
            _ => String::new(),
        };
        ids.push(Id {
            kind,
            name,
            namespace,
        });
        out.push(v);
    }
    (out, ids)
}

// ---------------------------------------------------------------------------------------------
// Replacements.

fn source_paths(kind: &str) -> &'static [&'static str] {
    match kind {
        "ConfigMap" => &[
            "metadata.name",
            "data.a",
            "data.b",
            "data.url",
            "data.c",
            "metadata.labels.app",
            "data.missing",
            "metadata.annotations.note",
            "metadata.namespace",
        ],
        "Deployment" => &[
            "metadata.name",
            "spec.replicas",
            "spec.template.spec.containers.0.image",
            "spec.template.spec.containers.[name=app].image",
            "spec.template.spec.containers.[name=app].env.[name=HOST].value",
            "spec.template.spec.containers.-.name",
            "spec.template.metadata.labels",
            ".metadata.name",
            "spec.template.spec.containers.[name=app].args.[=-v]",
        ],
        "Service" => &[
            "metadata.name",
            "spec.ports.0.port",
            "spec.selector",
            "spec.selector.app",
            "metadata.labels",
        ],
        _ => &[
            "metadata.name",
            "spec.size",
            "spec.tags",
            "spec.nested.[key/with/slash]",
            "spec.tags.1",
            "spec.nested",
        ],
    }
}

fn target_paths(kind: &str) -> &'static [&'static str] {
    match kind {
        "ConfigMap" => &[
            "data.a",
            "data.b",
            "data.c",
            "data.new",
            "data.cfg.k",
            "metadata.annotations.note",
            "metadata.annotations.[example.com/copied]",
            "metadata.labels.app",
            "metadata.name",
        ],
        "Deployment" => &[
            "spec.replicas",
            "spec.paused",
            "spec.template.spec.containers.[name=app].image",
            "spec.template.spec.containers.[name=ap].image",
            "spec.template.spec.containers.*.image",
            "spec.template.spec.containers.1.name",
            "spec.template.spec.containers.[name=app].env.[name=HOST].value",
            "spec.template.spec.containers.[name=app].env.[name=NEW].value",
            "spec.template.spec.containers.[name=app].args.[=-v]",
            "spec.template.metadata.labels",
            "spec.template.metadata.labels.app",
            "spec.new.deep.field",
            "metadata.annotations.note",
        ],
        "Service" => &[
            "spec.selector.app",
            "spec.ports.0.port",
            "spec.selector",
            "spec.ports.1.port",
            "metadata.labels.app",
        ],
        _ => &[
            "spec.size",
            "spec.tags.0",
            "spec.tags",
            "spec.nested.[tilde~key]",
            "spec.new",
            "metadata.annotations.note",
        ],
    }
}

/// A selector for one of the resources (by kind and name, sometimes namespace or labels), or
/// now and then a looser or regex one.
fn selector_for(rng: &mut Rng, ids: &[Id], for_target: bool) -> (V, &'static str) {
    let id = ids[rng.below(ids.len())].clone();
    let mut sel: Vec<(&str, V)> = Vec::new();
    if rng.chance(92) {
        sel.push(("kind", s(id.kind)));
    } else if for_target {
        sel.push(("kind", s(rng.pick(&["Config.*", "Deployment|Service"]))));
    }
    if rng.chance(if for_target { 80 } else { 92 }) {
        let name = if for_target && rng.chance(20) {
            rng.pick(&["web.*", "api|db", "w.b"])
        } else {
            id.name
        };
        sel.push(("name", s(name)));
    }
    if rng.chance(15) {
        let ns = if id.namespace.is_empty() || rng.chance(30) {
            rng.pick(&["default", "prod"]).to_string()
        } else {
            id.namespace.clone()
        };
        sel.push(("namespace", s(ns)));
    }
    if rng.chance(8) {
        sel.push(("version", s(rng.pick(&["v1", "v1alpha1"]))));
    }
    if for_target && rng.chance(15) {
        sel.push((
            "labelSelector",
            s(rng.pick(&[
                "app=web",
                "tier in (front)",
                "!tier",
                "app!=db,tier",
                "example.com/team",
            ])),
        ));
    }
    if for_target && rng.chance(8) {
        sel.push((
            "annotationSelector",
            s(rng.pick(&["note", "example.com/owner=team-a", "note notin (x)"])),
        ));
    }
    (m(sel), id.kind)
}

fn options(rng: &mut Rng, target: bool) -> Option<V> {
    if !rng.chance(if target { 45 } else { 15 }) {
        return None;
    }
    let mut o: Vec<(&str, V)> = Vec::new();
    if rng.chance(50) {
        o.push(("delimiter", s(rng.pick(&[".", ":", "-", "/"]))));
        if rng.chance(80) {
            o.push(("index", raw(rng.pick(&["0", "1", "0", "-1", "5"]))));
        }
    }
    if target && rng.chance(70) {
        o.push(("create", raw("true")));
    }
    Some(m(o))
}

fn replacement(rng: &mut Rng, ids: &[Id]) -> V {
    let mut r: Vec<(&str, V)> = Vec::new();
    if rng.chance(15) {
        r.push(("sourceValue", scalar_value_string(rng)));
    } else {
        let (sel, kind) = selector_for(rng, ids, false);
        let mut src = match sel {
            V::M(p) => p,
            _ => Vec::new(),
        };
        if rng.chance(85) {
            src.push(("fieldPath".into(), s(rng.pick(source_paths(kind)))));
        }
        if let Some(o) = options(rng, false) {
            src.push(("options".into(), o));
        }
        r.push(("source", V::M(src)));
    }
    let mut targets = Vec::new();
    for _ in 0..rng.below(2) + 1 {
        let (sel, kind) = selector_for(rng, ids, true);
        let mut t: Vec<(&str, V)> = vec![("select", sel)];
        if rng.chance(20) {
            t.push(("reject", V::L(vec![selector_for(rng, ids, true).0])));
        }
        if rng.chance(92) {
            let paths: Vec<V> = (0..rng.below(2) + 1)
                .map(|_| s(rng.pick(target_paths(kind))))
                .collect();
            t.push(("fieldPaths", V::L(paths)));
        }
        if let Some(o) = options(rng, true) {
            t.push(("options", o));
        }
        targets.push(m(t));
    }
    r.push(("targets", V::L(targets)));
    m(r)
}

fn scalar_value_string(rng: &mut Rng) -> V {
    s(rng.pick(&["3", "v2", "a.b.c", "host:1", "true", "", "07x"]))
}

// ---------------------------------------------------------------------------------------------
// JSON patches.

fn patch_paths(kind: &str) -> &'static [&'static str] {
    match kind {
        "ConfigMap" => &[
            "/data/a",
            "/data/new",
            "/data",
            "/data/b",
            "/metadata/labels/app",
            "/metadata/labels/new",
            "/metadata/annotations/note",
            "/metadata/annotations/example.com~1owner",
            "/metadata/name",
            "/missing/deep",
        ],
        "Deployment" => &[
            "/spec/replicas",
            "/spec/template/spec/containers/0/image",
            "/spec/template/spec/containers/1",
            "/spec/template/spec/containers/-",
            "/spec/template/spec/containers/-1/name",
            "/spec/template/spec/containers/0/env/0/value",
            "/spec/template/spec/containers/0/args/-",
            "/spec/template/spec/containers/0/args/0",
            "/spec/template/metadata/labels/new",
            "/metadata/labels",
            "/metadata/annotations",
            "/spec/paused",
        ],
        "Service" => &[
            "/spec/ports/0/port",
            "/spec/ports/1",
            "/spec/ports/-",
            "/spec/selector/app",
            "/spec/selector",
            "/metadata/name",
            "/metadata/labels/tier",
        ],
        _ => &[
            "/spec/tags/0",
            "/spec/tags/2",
            "/spec/tags/-",
            "/spec/nested/key~1with~1slash",
            "/spec/nested/tilde~0key",
            "/spec/size",
            "/spec/new",
            "/spec/nested",
        ],
    }
}

fn patch_value(rng: &mut Rng) -> V {
    match rng.below(9) {
        0 => s(rng.pick(&["x", "3", "a.b"])),
        1 => raw(rng.pick(&["5", "0", "1000000", "2.5", "1.0", "12345678"])),
        2 => raw(rng.pick(&["true", "yes", "on", "no"])),
        3 => raw("null"),
        4 => m(vec![("name", s("added")), ("image", s("busybox"))]),
        5 => V::L(vec![s("a"), raw(1)]),
        6 => m(vec![("k", s("v"))]),
        7 => s(""),
        _ => s(rng.pick(&["nginx:latest", "team-c"])),
    }
}

fn patch_text(rng: &mut Rng, kind: &str) -> String {
    let paths = patch_paths(kind);
    let mut ops = Vec::new();
    for _ in 0..rng.below(3) + 1 {
        let op = rng.pick(&[
            "add", "add", "replace", "replace", "remove", "move", "copy", "test",
        ]);
        let mut o: Vec<(&str, V)> = vec![("op", s(op)), ("path", s(rng.pick(paths)))];
        match op {
            "add" | "replace" | "test" => o.push(("value", patch_value(rng))),
            "move" | "copy" => o.push(("from", s(rng.pick(paths)))),
            _ => {}
        }
        ops.push(o);
    }
    if rng.chance(30) {
        // JSON text.
        let items: Vec<String> = ops
            .into_iter()
            .map(|o| {
                let pairs: Vec<String> = o
                    .into_iter()
                    .map(|(k, v)| format!("\"{k}\": {}", json_flow(&v)))
                    .collect();
                format!("{{{}}}", pairs.join(", "))
            })
            .collect();
        return format!("[{}]", items.join(", "));
    }
    let mut text = String::new();
    for o in ops {
        for (i, (k, v)) in o.into_iter().enumerate() {
            text += if i == 0 { "- " } else { "  " };
            text += &format!("{k}: {}\n", flow(&v));
        }
    }
    text
}

/// JSON (raw YAML-only scalars such as `yes` become strings).
fn json_flow(v: &V) -> String {
    match v {
        V::Raw(x) if matches!(x.as_str(), "yes" | "on" | "no") => format!("\"{x}\""),
        V::L(items) => format!(
            "[{}]",
            items.iter().map(json_flow).collect::<Vec<_>>().join(", ")
        ),
        V::M(pairs) => format!(
            "{{{}}}",
            pairs
                .iter()
                .map(|(k, v)| format!("{}: {}", serde_json::to_string(k).unwrap(), json_flow(v)))
                .collect::<Vec<_>>()
                .join(", ")
        ),
        other => flow(other),
    }
}

// ---------------------------------------------------------------------------------------------
// Cases.

struct Case {
    files: Vec<(String, String)>,
}

fn resources_file(rng: &mut Rng) -> (String, Vec<Id>) {
    let (docs, ids) = resources(rng);
    (
        docs.iter().map(block).collect::<Vec<_>>().join("---\n"),
        ids,
    )
}

fn replacement_case(rng: &mut Rng) -> Case {
    let (text, ids) = resources_file(rng);
    let mut files = vec![("resources.yaml".to_string(), text)];
    let mut entries = Vec::new();
    for i in 0..rng.below(3) + 1 {
        if rng.chance(15) {
            let name = format!("repl-{i}.yaml");
            let text = if rng.chance(50) {
                block(&V::L(vec![replacement(rng, &ids), replacement(rng, &ids)]))
            } else {
                block(&replacement(rng, &ids))
            };
            files.push((name.clone(), text));
            entries.push(m(vec![("path", s(name))]));
        } else {
            entries.push(replacement(rng, &ids));
        }
    }
    let k = m(vec![
        ("resources", V::L(vec![s("resources.yaml")])),
        ("replacements", V::L(entries)),
    ]);
    files.push(("kustomization.yaml".into(), block(&k)));
    Case { files }
}

fn patch_case(rng: &mut Rng) -> Case {
    let (text, ids) = resources_file(rng);
    let mut files = vec![("resources.yaml".to_string(), text)];
    let mut entries = Vec::new();
    for i in 0..rng.below(3) + 1 {
        let (target, kind) = selector_for(rng, &ids, true);
        let text = patch_text(rng, kind);
        if rng.chance(30) {
            let name = format!("patch-{i}.yaml");
            files.push((name.clone(), text));
            entries.push(m(vec![("path", s(name)), ("target", target)]));
        } else {
            entries.push(m(vec![("patch", s(text)), ("target", target)]));
        }
    }
    let k = m(vec![
        ("resources", V::L(vec![s("resources.yaml")])),
        ("patches", V::L(entries)),
    ]);
    files.push(("kustomization.yaml".into(), block(&k)));
    Case { files }
}

// ---------------------------------------------------------------------------------------------
// kit's side: the library calls the integrator will make from `kit build`.

fn kit_render(dir: &Path) -> Result<String, String> {
    let loader = Loader::new();
    let sources = loader.sources.clone();
    let one_line = |d: kit::diag::Diag| d.one_line(&sources);
    let k = loader
        .load_kustomization(&dir.join("kustomization.yaml"))
        .map_err(one_line)?;
    let k = k.docs.first().cloned().unwrap_or_else(|| Node::map(None));
    let loaded = loader.load(&dir.join("resources.yaml")).map_err(one_line)?;
    let mut resources: Vec<Resource> =
        kit::load::resources_from_docs(&loaded.docs).map_err(one_line)?;
    if let Some(patches) = k.get("patches").and_then(Node::as_seq) {
        for p in patches {
            let text = match (p.get_str("patch"), p.get_str("path")) {
                (Some(t), _) => t.trim().to_string(),
                (None, Some(path)) => {
                    fs::read_to_string(dir.join(path)).map_err(|e| e.to_string())?
                }
                _ => return Err("must specify one of patch and path".into()),
            };
            let patch =
                kit::patch::json6902::parse_text(&text, "patch", &sources).map_err(one_line)?;
            let target = kit::transform::select::Selector::from_node(
                p.get("target").unwrap_or(&Node::map(None)),
            )
            .and_then(|s| s.compile())
            .map_err(one_line)?;
            for r in resources.iter_mut() {
                if target.selects_patch_target(r) {
                    r.store_previous_id();
                    kit::patch::json6902::apply_to_resource(r, &patch).map_err(one_line)?;
                }
            }
        }
    }
    if let Some(node) = k.get("replacements") {
        let mut load = |path: &str, _origin: Option<Origin>| {
            loader.load(&dir.join(path)).map(|l| l.docs.clone())
        };
        let repl = kit::transform::replacements::parse(node, &mut load).map_err(one_line)?;
        kit::transform::replacements::apply(&mut resources, &repl).map_err(one_line)?;
    }
    let first: Vec<String> = kit::transform::sort::DEFAULT_ORDER_FIRST
        .iter()
        .map(|s| s.to_string())
        .collect();
    let last: Vec<String> = kit::transform::sort::DEFAULT_ORDER_LAST
        .iter()
        .map(|s| s.to_string())
        .collect();
    kit::transform::sort::legacy(&mut resources, &first, &last);
    kit::transform::labels::stringify_annotations(&mut resources, &loader.sources);
    Ok(kit::emit::yaml_stream(&resources))
}

fn kubectl_render(kubectl: &str, dir: &Path) -> Result<String, String> {
    let out = Command::new(kubectl)
        .arg("kustomize")
        .arg(dir)
        .output()
        .map_err(|e| e.to_string())?;
    if out.status.success() {
        Ok(String::from_utf8_lossy(&out.stdout).into_owned())
    } else {
        Err(String::from_utf8_lossy(&out.stderr).into_owned())
    }
}

fn run(name: &str, make: fn(&mut Rng) -> Case) {
    let Some(cfg) = config() else { return };
    let run_dir = std::env::temp_dir().join(format!("kit-{name}-{}", std::process::id()));
    fs::create_dir_all(&run_dir).unwrap();
    let next = AtomicUsize::new(0);
    let skipped = AtomicUsize::new(0);
    let results: Mutex<Vec<CaseResult>> = Mutex::new(Vec::new());
    std::thread::scope(|scope| {
        for _ in 0..2 {
            scope.spawn(|| loop {
                let k = next.fetch_add(1, Ordering::Relaxed);
                let Some(&index) = cfg.cases.get(k) else {
                    break;
                };
                // Up to ATTEMPTS variants per case: the first that kubectl accepts ends it (the
                // rejected ones still check that kit rejects them too).
                for attempt in 0..ATTEMPTS {
                    let case = make(&mut Rng::new(mix(cfg.seed, (index * ATTEMPTS + attempt) as u64)));
                    let dir: PathBuf = run_dir.join(format!("case-{index:04}-{attempt}"));
                    fs::create_dir_all(&dir).unwrap();
                    for (file, text) in &case.files {
                        fs::write(dir.join(file), text).unwrap();
                    }
                    let expected = kubectl_render(&cfg.kubectl, &dir);
                    let actual = kit_render(&dir);
                    // Out of scope here: kubectl failing in a later stage this test does not run
                    // (name references) or crashing.
                    let out_of_scope = matches!(&expected, Err(e) if e.contains("updating name reference") || e.starts_with("panic:"))
                        && actual.is_ok();
                    let pass = out_of_scope
                        || match (&expected, &actual) {
                            (Ok(a), Ok(b)) => a == b,
                            (Err(_), Err(_)) => true,
                            _ => false,
                        };
                    if out_of_scope {
                        skipped.fetch_add(1, Ordering::Relaxed);
                    }
                    let report = (!pass).then(|| {
                        let show = |r: &Result<String, String>| match r {
                            Ok(o) => o.clone(),
                            Err(e) => format!("ERROR: {e}"),
                        };
                        fs::write(dir.join("kubectl.out"), show(&expected)).unwrap();
                        fs::write(dir.join("kit.out"), show(&actual)).unwrap();
                        let diff = similar::TextDiff::from_lines(&show(&expected), &show(&actual))
                            .unified_diff()
                            .header("kubectl", "kit")
                            .to_string();
                        format!(
                            "case {index} attempt {attempt} ({}):\n{}",
                            dir.display(),
                            diff.lines().take(40).collect::<Vec<_>>().join("\n")
                        )
                    });
                    if let (Err(e), true) = (&expected, env_var("KIT_REPL_VERBOSE").is_some()) {
                        eprintln!("REJECTED {index}: {}", e.lines().next().unwrap_or(""));
                    }
                    if pass && !cfg.keep {
                        let _ = fs::remove_dir_all(&dir);
                    }
                    results
                        .lock()
                        .unwrap()
                        .push((index, pass, expected.is_err(), report));
                    if expected.is_ok() {
                        break;
                    }
                }
            });
        }
    });
    let mut results = results.into_inner().unwrap();
    results.sort_by_key(|r| r.0);
    let failed: Vec<_> = results.iter().filter(|r| !r.1).collect();
    for r in failed.iter().take(5) {
        if let Some(rep) = &r.3 {
            eprintln!("{rep}\n");
        }
    }
    let rejected = results.iter().filter(|r| r.2).count();
    println!(
        "{name}: {} of {} comparisons identical ({} of them kubectl errors in stages not run here, counted as passing) ({} failed: {:?}); kubectl rejected {} as invalid (kit must reject them too); seed {:#x}; failing trees under {}",
        results.len() - failed.len(),
        results.len(),
        skipped.load(Ordering::Relaxed),
        failed.len(),
        failed.iter().map(|r| r.0).take(40).collect::<Vec<_>>(),
        rejected,
        cfg.seed,
        run_dir.display()
    );
    if failed.is_empty() && !cfg.keep {
        let _ = fs::remove_dir_all(&run_dir);
    }
    assert!(
        failed.len() <= cfg.max_fail,
        "{name}: {} cases differ from kubectl kustomize",
        failed.len()
    );
}

#[test]
fn replacements_match_kubectl() {
    run("replacements", replacement_case);
}

#[test]
fn json6902_patches_match_kubectl() {
    run("json6902", patch_case);
}

/// One case: its index, whether the outputs matched, whether kubectl failed, the report.
type CaseResult = (usize, bool, bool, Option<String>);
