//! Hostile input (issue 20): kustomization fields of the wrong shape, deep and wide base
//! graphs, files that are not regular files, and inputs large enough to expose quadratic
//! work. Each must end in a clear, located error or a correct result, quickly, never in a
//! panic, an abort or a hang.

mod common;

use std::path::Path;

use common::{run, scratch, write};

const DEPLOY: &str = "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: web\nspec:\n  replicas: 1\n  template:\n    spec:\n      containers:\n      - name: c\n        image: nginx\n";

/// Writes a kustomization of `dep.yaml` plus `extra` into a fresh directory and builds it.
fn build_with(name: &str, extra: &str) -> (i32, String, String) {
    let dir = scratch(name);
    write(&dir, "dep.yaml", DEPLOY);
    write(
        &dir,
        "kustomization.yaml",
        &format!("resources:\n- dep.yaml\n{extra}"),
    );
    let out = run(&dir, &["build", "."]);
    let _ = std::fs::remove_dir_all(&dir);
    out
}

/// The message of a human-readable error, its lines (wrapped at 80 columns) joined again.
fn flat(stderr: &str) -> String {
    stderr
        .replace('│', " ")
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
}

/// [`flat`], with paths that the 80-column wrapping broke after a `/` joined again.
fn flat_paths(stderr: &str) -> String {
    flat(stderr).replace("/ ", "/")
}

/// A list-typed kustomization field written as a mapping or a scalar (or an entry of the
/// wrong shape) is refused as kubectl kustomize refuses it, at the value's line and column,
/// rather than silently ignored.
#[test]
fn fields_of_the_wrong_shape_are_located_errors() {
    let cases: &[(&str, &str)] = &[
        ("patchesJson6902:\n  path: p.yaml\n", "kustomization.yaml:4:3: `patchesJson6902` must be a list, found a mapping"),
        ("patches:\n  path: p.yaml\n  target:\n    kind: Deployment\n", "kustomization.yaml:4:3: `patches` must be a list, found a mapping"),
        ("patches: p.yaml\n", "kustomization.yaml:3:10: `patches` must be a list, found a string"),
        ("images:\n  name: nginx\n  newTag: \"2\"\n", "kustomization.yaml:4:3: `images` must be a list, found a mapping"),
        ("images: [nginx]\n", "kustomization.yaml:3:10: `images` must be a mapping, found a string"),
        ("imageTags: 5\n", "kustomization.yaml:3:12: `imageTags` must be a list, found a number"),
        ("labels:\n  pairs:\n    app: web\n", "kustomization.yaml:4:3: `labels` must be a list, found a mapping"),
        ("labels:\n- pairs: {app: web}\n  includeSelectors: \"true\"\n", "kustomization.yaml:5:21: `labels[].includeSelectors` must be true or false, found a string"),
        ("labels:\n- pairs: {app: web}\n  fields: {path: metadata/labels}\n", "kustomization.yaml:5:11: `labels[].fields` must be a list, found a mapping"),
        ("replicas:\n  name: web\n  count: 3\n", "kustomization.yaml:4:3: `replicas` must be a list, found a mapping"),
        ("replicas: true\n", "kustomization.yaml:3:11: `replicas` must be a list, found a bool"),
        ("replicas:\n- name: web\n  count: 3.5\n", "kustomization.yaml:5:10: `replicas[].count` must be an integer"),
        ("replicas:\n- name: web\n  cuont: 3\n", "kustomization.yaml:5:10: unknown field \"cuont\" in `replicas`"),
        ("resources2: x\n", "unknown field \"resources2\""),
        ("components: base\n", "kustomization.yaml:3:13: `components` must be a list, found a string"),
        ("crds: {a: b}\n", "kustomization.yaml:3:7: `crds` must be a list, found a mapping"),
        ("transformers: t.yaml\n", "kustomization.yaml:3:15: `transformers` must be a list, found a string"),
        ("generators: {a: b}\n", "kustomization.yaml:3:13: `generators` must be a list, found a mapping"),
        ("validators: 1\n", "kustomization.yaml:3:13: `validators` must be a list, found a number"),
        ("configurations: c.yaml\n", "kustomization.yaml:3:17: `configurations` must be a list, found a string"),
        ("patchesStrategicMerge: p.yaml\n", "kustomization.yaml:3:24: `patchesStrategicMerge` must be a list, found a string"),
        ("replacements:\n- null\n", "kustomization.yaml:4:3: replacements must specify a source and at least one target"),
        ("helmGlobals: charts\n", "kustomization.yaml:3:14: `helmGlobals` must be a mapping, found a string"),
        ("helmGlobals:\n  configHome: [a]\n", "kustomization.yaml:4:15: expected a string, found an array"),
        ("metadata: [a]\n", "kustomization.yaml:3:11: `metadata` must be a mapping, found a list"),
        ("metadata:\n  generateName: x\n", "kustomization.yaml:4:17: unknown field \"generateName\" in `metadata`"),
        ("metadata:\n  labels: [a]\n", "kustomization.yaml:4:11: `metadata.labels` must be a mapping of strings"),
        ("sortOptions:\n  order: legacy\n  legacySortOptions:\n    orderFirst: Namespace\n", "kustomization.yaml:6:17: `orderFirst` must be a list, found a string"),
        ("sortOptions:\n  order: legacy\n  legacySortOptions: x\n", "kustomization.yaml:5:22: `sortOptions.legacySortOptions` must be a mapping, found a string"),
        ("patches:\n- patch: '[{op: add, path: /metadata/labels, value: {a: b}}]'\n  target: {kind: Deployment}\n", "kustomization.yaml:4:13: patch [patch:"),
        ("patches:\n- patch: '- {op: add, path: /metadata/labels, value: {a: b}}'\n  target: {labelSelector: 5}\n", "kustomization.yaml:5:27: selector field `labelSelector` must be a string"),
        ("patches:\n- path: p.yaml\n  options: true\n", "kustomization.yaml:5:12: `options` must be a mapping, found a bool"),
    ];
    for (i, (extra, expect)) in cases.iter().enumerate() {
        let (code, stdout, stderr) = build_with(&format!("shape-{i}"), extra);
        assert_eq!(
            code, 2,
            "{extra:?}: expected exit 2 (kubectl refuses it), got {code}; stdout:\n{stdout}\nstderr:\n{stderr}"
        );
        assert!(
            flat(&stderr).contains(expect),
            "{extra:?}: expected {expect:?} in:\n{stderr}"
        );
    }
}

/// Shapes kubectl kustomize accepts stay accepted, with kustomize's meaning: null and empty
/// lists, null entries, YAML 1.1 booleans, whole floats as counts, field names in any case.
#[test]
fn shapes_kubectl_accepts_still_build() {
    let cases: &[(&str, &[&str])] = &[
        ("patches: null\nimages: []\nlabels: null\nreplicas: []\nsortOptions: null\n", &["replicas: 1"]),
        ("images: [null]\nlabels: [null]\n", &["image: nginx\n"]),
        ("replicas:\n- name: web\n  count: 3.0\n", &["replicas: 3"]),
        ("replicas:\n- name: web\n  count: 1e1\n", &["replicas: 10"]),
        ("labels:\n- pairs: {team: z}\n  includeSelectors: yes\n", &["matchLabels:\n      team: z"]),
        ("labels:\n- pairs: {team: z}\n  includeSelectors: off\n", &["labels:\n    team: z"]),
        ("images:\n- Name: nginx\n  NEWTAG: \"2\"\n", &["image: nginx:2"]),
        ("metadata:\n  name: app\n  labels: {a: b1}\nhelmGlobals: {chartHome: charts}\n", &["name: web"]),
        ("patches:\n- patch: '[{\"op\": \"add\", \"path\": \"/metadata/labels\", \"value\": {\"a\": \"b\"}}]'\n  target: {kind: Deployment}\n", &["labels:\n    a: b"]),
    ];
    for (i, (extra, expect)) in cases.iter().enumerate() {
        let (code, stdout, stderr) = build_with(&format!("accepted-{i}"), extra);
        assert_eq!(code, 0, "{extra:?}: expected success, stderr:\n{stderr}");
        for e in *expect {
            assert!(
                stdout.contains(e),
                "{extra:?}: expected {e:?} in:\n{stdout}"
            );
        }
        if extra.contains("includeSelectors: off") {
            assert!(
                !stdout.contains("matchLabels"),
                "{extra:?}: selectors changed:\n{stdout}"
            );
        }
    }
}

/// Writes a chain of `n` kustomizations `b0 -> b1 -> ... -> b{n-1}` (the last holds a
/// ConfigMap) under `dir`.
fn write_chain(dir: &Path, n: usize) {
    for i in 0..n {
        let text = if i + 1 == n {
            write(
                dir,
                &format!("b{i}/cm.yaml"),
                "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: c\n",
            );
            "resources:\n- cm.yaml\n".to_string()
        } else {
            format!("resources:\n- ../b{}\n", i + 1)
        };
        write(dir, &format!("b{i}/kustomization.yaml"), &text);
    }
}

/// A chain of bases one level deeper than kit's limit (1,000 kustomizations) is a located
/// error in build, validate and lint; it used to overflow the stack (exit 134) from 300
/// levels in validate and 1,200 in build and lint. A chain at the limit builds.
#[test]
fn a_chain_of_bases_past_the_limit_is_a_located_error() {
    let dir = scratch("chain");
    write_chain(&dir, 1_001);
    for cmd in ["build", "validate", "lint"] {
        let (code, _, stderr) = run(&dir, &[cmd, "b0"]);
        assert_eq!(code, 2, "{cmd}: expected exit 2, stderr:\n{stderr}");
        assert!(
            flat(&stderr).contains(
                "b999/kustomization.yaml:2:3: kustomizations nest more than 1000 levels deep here"
            ),
            "{cmd}: {stderr}"
        );
    }
    // b1 heads a chain of exactly 1,000 kustomizations.
    for cmd in ["build", "validate"] {
        let (code, stdout, stderr) = run(&dir, &[cmd, "b1"]);
        assert_eq!(code, 0, "{cmd} at the limit: stderr:\n{stderr}");
        if cmd == "build" {
            assert!(stdout.contains("name: c"), "{stdout}");
        }
    }
    let _ = std::fs::remove_dir_all(&dir);
}

/// A diamond of bases, each level including the next under 20 name prefixes, multiplies
/// its objects at every level (20^4 = 160,000 here); the build stops at 100,000 objects
/// with a located error instead of running out of memory.
#[test]
fn a_diamond_of_bases_stops_at_the_object_limit() {
    let dir = scratch("diamond");
    let (depth, fan) = (4, 20);
    write(
        &dir,
        &format!("l{depth}/cm.yaml"),
        "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: c\n",
    );
    write(
        &dir,
        &format!("l{depth}/kustomization.yaml"),
        "resources:\n- cm.yaml\n",
    );
    for level in 0..depth {
        let mut k = String::from("resources:\n");
        for j in 0..fan {
            k.push_str(&format!("- ../p{level}x{j}\n"));
            write(
                &dir,
                &format!("p{level}x{j}/kustomization.yaml"),
                &format!("namePrefix: p{j}-\nresources:\n- ../l{}\n", level + 1),
            );
        }
        write(&dir, &format!("l{level}/kustomization.yaml"), &k);
    }
    let (code, _, stderr) = run(&dir, &["build", "l0"]);
    assert_eq!(code, 2, "stderr:\n{stderr}");
    assert!(
        flat(&stderr).contains("l0/kustomization.yaml:")
            && flat(&stderr).contains("the build holds more than 100000 objects"),
        "{stderr}"
    );
    let _ = std::fs::remove_dir_all(&dir);
}

/// What a bounded run of kit gave: exit code, bytes written to stdout, stderr, seconds.
struct Bounded {
    code: i32,
    stdout_bytes: usize,
    stderr: String,
    seconds: f64,
}

/// Runs kit in `dir`, killing it after `limit` seconds (a failure: kit hung or ran too long).
/// Stdout is counted, not kept.
fn run_bounded(dir: &Path, args: &[&str], limit: u64) -> Bounded {
    use std::io::Read;
    let mut child = common::kit()
        .current_dir(dir)
        .env("NO_COLOR", "1")
        .args(args)
        .stdin(std::process::Stdio::null())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .expect("spawn kit");
    let start = std::time::Instant::now();
    let mut stdout = child.stdout.take().expect("stdout");
    let counter = std::thread::spawn(move || {
        let mut buf = vec![0u8; 1 << 16];
        let mut total = 0;
        while let Ok(n) = stdout.read(&mut buf) {
            if n == 0 {
                break;
            }
            total += n;
        }
        total
    });
    let mut stderr_pipe = child.stderr.take().expect("stderr");
    let errors = std::thread::spawn(move || {
        let mut text = String::new();
        let _ = stderr_pipe.read_to_string(&mut text);
        text
    });
    let status = loop {
        if let Some(status) = child.try_wait().expect("wait") {
            break status;
        }
        if start.elapsed() > std::time::Duration::from_secs(limit) {
            let _ = child.kill();
            let _ = child.wait();
            panic!("kit {args:?} ran past {limit} s (killed)");
        }
        std::thread::sleep(std::time::Duration::from_millis(20));
    };
    Bounded {
        code: status.code().unwrap_or(-1),
        stdout_bytes: counter.join().expect("stdout reader"),
        stderr: errors.join().expect("stderr reader"),
        seconds: start.elapsed().as_secs_f64(),
    }
}

/// A named pipe as a resource, a generator file, a kustomization file, a manifest in a plain
/// directory or the root argument is refused by its file type, before it is opened (opening
/// a pipe blocks until a writer comes), with the entry that names it.
#[cfg(unix)]
#[test]
fn named_pipes_are_refused_not_read() {
    let mkfifo = |path: &Path| {
        let ok = std::process::Command::new("mkfifo")
            .arg(path)
            .status()
            .is_ok_and(|s| s.success());
        assert!(ok, "mkfifo {}", path.display());
    };
    let dir = scratch("fifo");
    write(&dir, "res/dep.yaml", DEPLOY);
    mkfifo(&dir.join("res/pipe.yaml"));
    write(
        &dir,
        "res/kustomization.yaml",
        "resources:\n- dep.yaml\n- pipe.yaml\n",
    );
    write(&dir, "gen/dep.yaml", DEPLOY);
    mkfifo(&dir.join("gen/pipe.txt"));
    write(
        &dir,
        "gen/kustomization.yaml",
        "resources:\n- dep.yaml\nconfigMapGenerator:\n- name: x\n  files: [pipe.txt]\n",
    );
    write(&dir, "kust/dep.yaml", DEPLOY);
    mkfifo(&dir.join("kust/kustomization.yaml"));
    write(&dir, "plain/dep.yaml", DEPLOY);
    mkfifo(&dir.join("plain/pipe.yaml"));
    let cases: &[(&[&str], &str)] = &[
        (
            &["build", "res"],
            "res/kustomization.yaml:3:3: pipe.yaml is a named pipe (FIFO), not a regular file",
        ),
        (
            &["build", "gen"],
            "gen/kustomization.yaml:5:11: pipe.txt is a named pipe (FIFO), not a regular file",
        ),
        (
            &["build", "kust"],
            "kust/kustomization.yaml: kustomization.yaml is a named pipe (FIFO)",
        ),
        (
            &["validate", "kust"],
            "kust/kustomization.yaml: kustomization.yaml is a named pipe (FIFO)",
        ),
        (
            &["build", "plain"],
            "plain/pipe.yaml: pipe.yaml is a named pipe (FIFO)",
        ),
        (
            &["lint", "plain"],
            "plain/pipe.yaml: pipe.yaml is a named pipe (FIFO)",
        ),
        (
            &["build", "plain/pipe.yaml"],
            "plain/pipe.yaml: pipe.yaml is a named pipe (FIFO)",
        ),
    ];
    for (args, expect) in cases {
        let out = run_bounded(&dir, args, 20);
        assert_eq!(out.code, 2, "{args:?}: stderr:\n{}", out.stderr);
        assert!(
            flat(&out.stderr).contains(expect),
            "{args:?}: expected {expect:?} in:\n{}",
            out.stderr
        );
    }
    let _ = std::fs::remove_dir_all(&dir);
}

/// A mapping of 100,000 keys loads in linear time (the repeated-key check scanned every key
/// before it: 16 s), and a repeated key at its end is still found, at its line.
#[test]
fn a_mapping_of_100000_keys_loads_quickly() {
    let dir = scratch("many-keys");
    let mut text = String::from("apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: big\ndata:\n");
    for i in 0..100_000 {
        text.push_str(&format!("  k{i}: v\n"));
    }
    write(&dir, "big.yaml", &text);
    text.push_str("  k5: again\n");
    write(&dir, "repeated.yaml", &text);
    let out = run_bounded(&dir, &["build", "big.yaml"], 60);
    assert_eq!(out.code, 0, "{}", out.stderr);
    assert!(out.stdout_bytes > text.len() / 2);
    assert!(out.seconds < 8.0, "100,000 keys took {:.1} s", out.seconds);
    let out = run_bounded(&dir, &["build", "repeated.yaml"], 60);
    assert_eq!(out.code, 2, "{}", out.stderr);
    assert!(
        flat(&out.stderr).contains("repeated.yaml:100006:3: mapping key \"k5\" already defined"),
        "{}",
        out.stderr
    );
    let _ = std::fs::remove_dir_all(&dir);
}

/// Findings on one flow line of 20,000 keys: each prints a snippet cut around its key, and
/// rendering one costs the same however long the line is (it counted the whole line's
/// characters per finding: 28 s for 30,000 findings). Also with a multi-byte character at
/// the start of the line, where byte offsets and columns differ.
#[test]
fn findings_on_a_long_flow_line_stay_small_and_fast() {
    let dir = scratch("flow-line");
    for (name, key) in [("ascii.yaml", "l"), ("utf8.yaml", "é")] {
        let labels: Vec<String> = (0..20_000).map(|i| format!("{key}{i}: '-bad-'")).collect();
        let text = format!(
            "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: flow\n  labels: {{{}}}\n",
            labels.join(", ")
        );
        write(&dir, name, &text);
        let out = run_bounded(&dir, &["validate", name], 120);
        assert_eq!(out.code, 1, "{name}: {}", out.stderr);
        assert!(
            out.stdout_bytes < 20_000 * 3_000,
            "{name}: {} bytes of output for 20,000 findings",
            out.stdout_bytes
        );
        assert!(out.seconds < 10.0, "{name}: {:.1} s", out.seconds);
    }
    let _ = std::fs::remove_dir_all(&dir);
}

/// `kit diff` of two 100,000-line block scalars that share no line: Myers' search is bounded
/// (it ran past 20 s), and the diff printed is still a correct one.
#[test]
fn diff_of_two_long_unlike_texts_is_bounded() {
    let dir = scratch("long-diff");
    for (name, offset) in [("a.yaml", 0), ("b.yaml", 1)] {
        let mut text = String::from(
            "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: blob\ndata:\n  x: |\n",
        );
        for i in 0..100_000 {
            text.push_str(&format!("    line {}\n", i * 2 + offset));
        }
        write(&dir, name, &text);
    }
    let out = run_bounded(&dir, &["diff", "a.yaml", "b.yaml"], 20);
    assert_eq!(out.code, 1, "{}", out.stderr);
    // Every line of each side is removed or added: 2 x 100,000 lines of about 15 bytes.
    assert!(out.stdout_bytes > 2_500_000, "{} bytes", out.stdout_bytes);
    let _ = std::fs::remove_dir_all(&dir);
}

/// A stream of more documents than kit reads in one run (250,000) is refused at the first
/// one past the limit, with its line, rather than read into memory whole (a 200 MB stream of
/// small documents took 7 GB and aborted).
#[test]
fn a_stream_past_the_document_limit_is_refused() {
    let dir = scratch("stream");
    write(&dir, "s.yaml", &"k: v\n---\n".repeat(250_001));
    let out = run_bounded(&dir, &["build", "s.yaml"], 60);
    assert_eq!(out.code, 2, "{}", out.stderr);
    assert!(
        flat(&out.stderr).contains("s.yaml:500001:1: more than 250000 YAML documents"),
        "{}",
        out.stderr
    );
    let _ = std::fs::remove_dir_all(&dir);
}

/// The column in `file:line:col` and the one in the snippet's header agree when the line
/// holds multi-byte characters (the snippet counted bytes) and when lines end in a lone CR
/// (the message counted only LF line breaks).
#[test]
fn columns_agree_with_multibyte_characters_and_cr_line_endings() {
    let dir = scratch("columns");
    write(
        &dir,
        "mb.yaml",
        "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: c\ndata:\n  é€: {x: .nan}\n",
    );
    write(
        &dir,
        "cr.yaml",
        "apiVersion: v1\rkind: ConfigMap\rmetadata:\r  name: c\rdata:\r  x: .nan\r",
    );
    for (name, at) in [("mb.yaml", "mb.yaml:6:11"), ("cr.yaml", "cr.yaml:6:6")] {
        let (code, _, stderr) = run(&dir, &["build", name]);
        assert_eq!(code, 2, "{name}: {stderr}");
        assert!(
            stderr.contains(&format!("{at}: unsupported value: NaN"))
                && stderr.contains(&format!("[{at}]")),
            "{name}: expected {at} in the message and the snippet:\n{stderr}"
        );
    }
    let _ = std::fs::remove_dir_all(&dir);
}

/// Weak messages made precise: a file that is not UTF-8 is named with the line and column of
/// the first bad byte (not a byte offset); an ambiguous name reference points at the
/// referring field; a symbolic link skipped in a plain directory is named in a warning.
#[test]
fn weak_messages_name_the_place() {
    let dir = scratch("weak");
    std::fs::create_dir_all(dir.join("bytes")).expect("mkdir");
    std::fs::write(
        dir.join("bytes/bad.yaml"),
        b"apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: \xc3\xa9t\xff\n",
    )
    .expect("write");
    let (code, _, stderr) = run(&dir, &["build", "bytes/bad.yaml"]);
    assert_eq!(code, 2, "{stderr}");
    assert!(
        flat(&stderr).contains("bytes/bad.yaml:4:11: file is not valid UTF-8: byte 0xff"),
        "{stderr}"
    );

    let cm = "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: cm\n";
    write(&dir, "ref/b1/cm.yaml", cm);
    write(&dir, "ref/b2/cm.yaml", cm);
    write(
        &dir,
        "ref/b1/kustomization.yaml",
        "namePrefix: a-\nresources:\n- cm.yaml\n",
    );
    write(
        &dir,
        "ref/b2/kustomization.yaml",
        "namePrefix: b-\nresources:\n- cm.yaml\n",
    );
    write(
        &dir,
        "ref/root/dep.yaml",
        "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: web\nspec:\n  template:\n    spec:\n      containers:\n      - name: c\n        image: x\n        envFrom:\n        - configMapRef:\n            name: cm\n",
    );
    write(
        &dir,
        "ref/root/kustomization.yaml",
        "namePrefix: p-\nresources:\n- ../b1\n- ../b2\n- dep.yaml\n",
    );
    let (code, _, stderr) = run(&dir, &["build", "ref/root"]);
    assert_eq!(code, 2, "{stderr}");
    let text = flat(&stderr);
    assert!(
        text.contains("ref/root/dep.yaml:13:19:")
            && text.contains("found multiple possible referrals"),
        "{stderr}"
    );

    write(&dir, "plain/a.yaml", cm);
    write(
        &dir,
        "elsewhere/b.yaml",
        "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: b\n",
    );
    #[cfg(unix)]
    {
        std::os::unix::fs::symlink(dir.join("elsewhere/b.yaml"), dir.join("plain/b.yaml"))
            .expect("symlink");
        let (code, stdout, stderr) = run(&dir, &["build", "plain"]);
        assert_eq!(code, 0, "{stderr}");
        assert!(
            stdout.contains("name: cm") && !stdout.contains("name: b\n"),
            "{stdout}"
        );
        assert!(
            flat(&stderr).contains("plain/b.yaml: skipped: a symbolic link"),
            "{stderr}"
        );
    }
    let _ = std::fs::remove_dir_all(&dir);
}

/// A CRD with `rule` on `spec` (whose `items` is a list of strings, `bound` its `maxItems`
/// line or nothing) and a custom resource of it with `count` items.
fn crd_and_resource(rule: &str, bound: &str, count: usize) -> String {
    let items: String = (0..count).map(|i| format!("    - i{i}\n")).collect();
    format!(
        "apiVersion: apiextensions.k8s.io/v1\nkind: CustomResourceDefinition\nmetadata:\n  name: widgets.example.com\nspec:\n  group: example.com\n  names: {{kind: Widget, plural: widgets, singular: widget, listKind: WidgetList}}\n  scope: Namespaced\n  versions:\n  - name: v1\n    served: true\n    storage: true\n    schema:\n      openAPIV3Schema:\n        type: object\n        properties:\n          spec:\n            type: object\n            x-kubernetes-validations:\n            - rule: {rule:?}\n            properties:\n              items:\n                type: array\n{bound}                items: {{type: string, maxLength: 10}}\n---\napiVersion: example.com/v1\nkind: Widget\nmetadata:\n  name: w\n  namespace: default\nspec:\n  items:\n{items}"
    )
}

/// CEL cost (item 9): a CRD rule whose estimated cost is past the API server's budget is
/// refused on the CRD, as the API server refuses it, and not run; a rule within budget on
/// its schema but not on an object's data (more items than `maxItems`) is not run on that
/// object, with a warning. Without the estimates both runs take hours.
#[test]
fn cel_rules_past_the_cost_budget_are_refused_or_skipped() {
    let dir = scratch("cel-cost");
    let nested =
        "self.items.all(a, self.items.all(b, self.items.all(c, a != '' || b != '' || c != '')))";
    write(&dir, "unbounded.yaml", &crd_and_resource(nested, "", 3000));
    let started = std::time::Instant::now();
    let (code, stdout, stderr) = run(&dir, &["validate", "unbounded.yaml"]);
    let text = flat(&format!("{stdout}{stderr}"));
    assert_eq!(code, 1, "{stdout}{stderr}");
    assert!(
        text.contains("unbounded.yaml:20:21:")
            && text.contains("validations[0].rule: Forbidden: estimated rule cost exceeds budget by factor of more than 100x")
            && !text.contains("not evaluated"),
        "{text}"
    );

    write(
        &dir,
        "bounded.yaml",
        &crd_and_resource(nested, "                maxItems: 10\n", 3000),
    );
    let (code, stdout, stderr) = run(&dir, &["validate", "bounded.yaml"]);
    let text = flat(&format!("{stdout}{stderr}"));
    assert_eq!(code, 1, "{text}");
    assert!(!text.contains("estimated rule cost"), "{text}");
    assert!(
        text.contains("was not evaluated: on this object it could cost up to")
            && text.contains("past the API server's budget of 10,000,000"),
        "{text}"
    );

    // Within budget on both: evaluated, and its failure reported.
    let cheap = "self.items.all(a, a != 'i1')";
    write(
        &dir,
        "cheap.yaml",
        &crd_and_resource(cheap, "                maxItems: 10\n", 3),
    );
    let (code, stdout, stderr) = run(&dir, &["validate", "cheap.yaml"]);
    let text = flat(&format!("{stdout}{stderr}"));
    assert_eq!(code, 1, "{text}");
    assert!(
        text.contains("failed rule: self.items.all(a, a != 'i1')")
            && !text.contains("not evaluated"),
        "{text}"
    );
    assert!(
        started.elapsed() < std::time::Duration::from_secs(60),
        "the CEL runs took {:?}",
        started.elapsed()
    );
    let _ = std::fs::remove_dir_all(&dir);
}

/// CEL cost in admission policies (item 9): comparing all pairs of 20,000 env entries is
/// not started; kit warns that the API server would stop it.
#[test]
fn admission_expressions_past_the_cost_budget_are_skipped() {
    let dir = scratch("vap-cost");
    write(
        &dir,
        "policy.yaml",
        "apiVersion: admissionregistration.k8s.io/v1\nkind: ValidatingAdmissionPolicy\nmetadata:\n  name: unique-env\nspec:\n  failurePolicy: Fail\n  matchConstraints:\n    resourceRules:\n    - apiGroups: [apps]\n      apiVersions: [v1]\n      operations: [CREATE, UPDATE]\n      resources: [deployments]\n  validations:\n  - expression: \"object.spec.template.spec.containers.all(c, c.env.all(e, c.env.exists_one(f, f.name == e.name)))\"\n",
    );
    let env: String = (0..20_000)
        .map(|i| format!("        - {{name: E{i}, value: v}}\n"))
        .collect();
    write(
        &dir,
        "deploy.yaml",
        &format!("apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: web\nspec:\n  selector: {{matchLabels: {{app: web}}}}\n  template:\n    metadata: {{labels: {{app: web}}}}\n    spec:\n      containers:\n      - name: c\n        image: nginx:1.27\n        env:\n{env}"),
    );
    let started = std::time::Instant::now();
    let (_, stdout, stderr) = run(
        &dir,
        &["lint", "deploy.yaml", "--admission-policy", "policy.yaml"],
    );
    let text = flat(&format!("{stdout}{stderr}"));
    assert!(
        text.contains("was not evaluated: on this object it could cost up to")
            && text.contains("(past it, the API server stops and applies failurePolicy)"),
        "{text}"
    );
    assert!(
        started.elapsed() < std::time::Duration::from_secs(60),
        "the policy run took {:?}",
        started.elapsed()
    );
    let _ = std::fs::remove_dir_all(&dir);
}

/// Template budgets in Jinja charts (item 7): a huge `indent`, a huge `printf` width, a
/// huge `until`, loops of 10^10 steps and a string doubled in a loop each end in a clear
/// error (exit 2), not a hang or an abort.
#[test]
fn jinja_templates_have_budgets() {
    let dir = scratch("jinja-budgets");
    write(
        &dir,
        "c/Chart.yaml",
        "apiVersion: v2\nname: c\nversion: 0.1.0\nannotations:\n  kit.dev/template-dialect: jinja\n",
    );
    write(&dir, "c/values.yaml", "{}\n");
    let cases: &[(&str, &str)] = &[
        ("{{ indent(2000000000, \"x\") }}", "made more than 512 MiB of text"),
        ("{{ \"x\" | nindent(2000000000) }}", "made more than 512 MiB of text"),
        ("{{ until(10000000000) | length }}", "made more than 512 MiB of text"),
        ("a: \"{{ printf(\"%0999999999d\", 1) }}\"", ""),
        (
            "{% for i in range(100000) %}{% for j in range(100000) %}{% endfor %}{% endfor %}",
            "t.yaml:1:1: the template ran more than 200000000 steps",
        ),
        (
            "{% set ns = namespace(x=\"ab\") %}{% for i in range(60) %}{% set ns.x = ns.x ~ ns.x %}{% endfor %}{{ ns.x | length }}",
            "took more than 256 MiB of memory",
        ),
    ];
    for (template, expect) in cases {
        write(&dir, "c/templates/t.yaml", template);
        let out = common::kit()
            .current_dir(&dir)
            .env("NO_COLOR", "1")
            .env("KIT_MEMORY_GUARD_BYTES", (256u64 << 20).to_string())
            .args(["template", "r", "c"])
            .output()
            .expect("run kit");
        let stdout = String::from_utf8_lossy(&out.stdout);
        let stderr = String::from_utf8_lossy(&out.stderr);
        if expect.is_empty() {
            // Go refuses the width and prints `%!(BADWIDTH)`, as helm does.
            assert_eq!(out.status.code(), Some(0), "{template}: {stderr}");
            assert_eq!(
                stdout.trim_end(),
                "---\n# Source: c/templates/t.yaml\na: \"%!(BADWIDTH)1\"",
                "{template}"
            );
        } else {
            assert_eq!(out.status.code(), Some(2), "{template}: {stdout}{stderr}");
            assert!(flat(&stderr).contains(expect), "{template}: {stderr}");
        }
    }
    let _ = std::fs::remove_dir_all(&dir);
}

/// A packaged subchart, `name/Chart.yaml` plus `name/files/big` of `size` zero bytes.
fn zero_archive(name: &str, size: usize) -> Vec<u8> {
    let mut tar = tar::Builder::new(flate2::write::GzEncoder::new(
        Vec::new(),
        flate2::Compression::fast(),
    ));
    let chart = format!("apiVersion: v2\nname: {name}\nversion: 0.1.0\n");
    for (path, data) in [
        (format!("{name}/Chart.yaml"), chart.into_bytes()),
        (format!("{name}/files/big"), vec![0u8; size]),
    ] {
        let mut header = tar::Header::new_gnu();
        header.set_size(data.len() as u64);
        header.set_mode(0o644);
        header.set_cksum();
        tar.append_data(&mut header, path, data.as_slice())
            .expect("append");
    }
    tar.into_inner().expect("tar").finish().expect("gzip")
}

/// Archive sizes (item 8): each subchart archive is under the per-archive limit, but
/// together they pass the chart's limit, which is refused before more is unpacked.
#[test]
fn a_charts_archives_together_have_a_size_limit() {
    let dir = scratch("chart-archives");
    write(
        &dir,
        "c/Chart.yaml",
        "apiVersion: v2\nname: c\nversion: 0.1.0\n",
    );
    write(
        &dir,
        "c/templates/cm.yaml",
        "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: x\n",
    );
    std::fs::create_dir_all(dir.join("c/charts")).expect("mkdir");
    for name in ["a", "b", "d"] {
        let bytes = zero_archive(name, 200 << 20);
        std::fs::write(dir.join(format!("c/charts/{name}-0.1.0.tgz")), bytes).expect("write");
    }
    let (code, stdout, stderr) = run(&dir, &["template", "r", "c"]);
    assert_eq!(code, 2, "{stdout}{stderr}");
    let text = flat(&stderr);
    assert!(
        text.contains("d-0.1.0.tgz")
            && text.contains("the chart's archives (its subcharts' included) unpack to more than 536870912 bytes together"),
        "{text}"
    );
    // Two of them fit.
    std::fs::remove_file(dir.join("c/charts/d-0.1.0.tgz")).expect("rm");
    let (code, stdout, stderr) = run(&dir, &["template", "r", "c"]);
    assert_eq!(code, 0, "{stderr}");
    assert!(stdout.contains("name: x"), "{stdout}");
    let _ = std::fs::remove_dir_all(&dir);
}

/// values.schema.json fan-out (item 7): nested `anyOf`s that branch 2^30 ways end in a
/// clear error, not days of work and all memory.
#[test]
fn a_values_schema_that_fans_out_is_stopped() {
    let dir = scratch("schema-fan-out");
    write(
        &dir,
        "c/Chart.yaml",
        "apiVersion: v2\nname: c\nversion: 0.1.0\n",
    );
    write(
        &dir,
        "c/templates/cm.yaml",
        "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: x\n",
    );
    let mut definitions = vec!["\"l0\": {\"type\": \"string\"}".to_string()];
    for n in 1..=30 {
        let branch = |key: &str| {
            format!("{{\"properties\": {{\"a\": {{\"$ref\": \"#/definitions/l{}\"}}}}, \"required\": [\"{key}\"]}}", n - 1)
        };
        definitions.push(format!(
            "\"l{n}\": {{\"anyOf\": [{}, {}]}}",
            branch("y"),
            branch("z")
        ));
    }
    write(
        &dir,
        "c/values.schema.json",
        &format!(
            "{{\"definitions\": {{{}}}, \"$ref\": \"#/definitions/l30\"}}",
            definitions.join(", ")
        ),
    );
    let values: String = (0..30).map(|n| format!("{}a:\n", "  ".repeat(n))).collect();
    write(
        &dir,
        "c/values.yaml",
        &format!("{values}{}5\n", "  ".repeat(30)),
    );
    let out = common::kit()
        .current_dir(&dir)
        .env("KIT_MEMORY_GUARD_BYTES", (512u64 << 20).to_string())
        .args(["template", "r", "c"])
        .output()
        .expect("run kit");
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{stderr}");
    assert!(
        stderr.contains("checking the values against c/values.schema.json")
            && (stderr.contains("ran longer than 30 s")
                || stderr.contains("took more than 512 MiB")),
        "{stderr}"
    );
    let _ = std::fs::remove_dir_all(&dir);
}

/// `kubectl kustomize DIR` with the reference kubectl (`KIT_KUBECTL`): (exit code, stdout,
/// stderr); `None`, said loudly (a failure under CI), without it.
fn kubectl_kustomize(test: &str, dir: &Path) -> Option<(i32, String, String)> {
    let Some(kubectl) = common::env_var("KIT_KUBECTL") else {
        common::skip_or_fail(test, "KIT_KUBECTL is not set (the reference kubectl)");
        return None;
    };
    Some(common::output(
        std::process::Command::new(kubectl)
            .arg("kustomize")
            .arg(dir),
    ))
}

/// `kit build ROOT` in `dir` must fail (exit 2) with each of `expect` in its message (paths
/// unwrapped) and a help line; kubectl must refuse it too, saying `kubectl_says`.
fn refused_as_kubectl_refuses(
    test: &str,
    dir: &Path,
    root: &str,
    expect: &[&str],
    kubectl_says: &str,
) {
    let (code, _, stderr) = run(dir, &["build", root]);
    assert_eq!(code, 2, "{root}: {stderr}");
    let text = flat_paths(&stderr);
    for e in expect {
        assert!(text.contains(e), "expected {e:?} in:\n{stderr}");
    }
    assert!(text.contains("help:"), "no help in:\n{stderr}");
    if let Some((code, _, stderr)) = kubectl_kustomize(test, &dir.join(root)) {
        assert_ne!(code, 0, "kubectl accepted it: {stderr}");
        assert!(stderr.contains(kubectl_says), "kubectl: {stderr}");
    }
}

/// An inline patch's error is located in the kustomization, at the line and column of the
/// patch text inside the `patch:` value (a block scalar keeps its lines; a quoted value
/// with escapes is named as a whole), not in a pseudo-file "(inline patch)". kubectl
/// refuses each of these too.
#[test]
fn inline_patch_errors_point_into_the_kustomization() {
    let cases: &[(&str, &str)] = &[
        (
            "patches:\n- patch: |-\n    apiVersion: apps/v1\n    kind: Deployment\n    metadata:\n      name: web\n    spec:\n      replicas: [1\n",
            "kustomization.yaml:10:19: invalid YAML",
        ),
        (
            "patches:\n- patch: |\n    apiVersion: apps/v1\n    kind: Deployment\n    metadata:\n      name: nope\n",
            "kustomization.yaml:8:13: no resource matches strategic merge patch",
        ),
        (
            "patches:\n- target:\n    kind: Deployment\n  patch: |-\n    - op: replace\n      path: /spec/missing/x\n      value: 1\n",
            "kustomization.yaml:7:7: replace operation does not apply",
        ),
        (
            "patches:\n- patch: '[{\"op\": \"add\", \"path\": \"/x\", value: 1}]'\n  target: {kind: Deployment}\n",
            "kustomization.yaml:4:40: patch [patch:",
        ),
        (
            "patches:\n- patch: \"apiVersion: apps/v1\\nkind: Deployment\\nmetadata: [\\n\"\n",
            "kustomization.yaml:4:10: invalid YAML",
        ),
        (
            "patchesStrategicMerge:\n- |-\n  apiVersion: apps/v1\n  kind: Deployment\n  metadata:\n    name: web\n  spec:\n    replicas: [1, 2]\n",
            "kustomization.yaml:10:15: strategic merge: expected a scalar but found a list",
        ),
    ];
    for (i, (extra, expect)) in cases.iter().enumerate() {
        let dir = scratch(&format!("inline-patch-{i}"));
        write(&dir, "dep.yaml", DEPLOY);
        write(
            &dir,
            "kustomization.yaml",
            &format!("resources:\n- dep.yaml\n{extra}"),
        );
        refused_as_kubectl_refuses(
            "inline_patch_errors_point_into_the_kustomization",
            &dir,
            ".",
            &[expect],
            "",
        );
        let _ = std::fs::remove_dir_all(&dir);
    }
}

/// A finding on a value that an inline patch set points at the patch text inside the
/// kustomization, where a person edits it (not at a pseudo-file).
#[test]
fn findings_on_inline_patched_values_point_into_the_kustomization() {
    let dir = scratch("inline-patch-finding");
    write(&dir, "dep.yaml", DEPLOY);
    write(
        &dir,
        "kustomization.yaml",
        "resources:\n- dep.yaml\npatches:\n- patch: |-\n    apiVersion: apps/v1\n    kind: Deployment\n    metadata:\n      name: web\n    spec:\n      template:\n        spec:\n          containers:\n          - name: c\n            image: nginx:latest\n",
    );
    let (_, stdout, stderr) = run(&dir, &["lint", ".", "--output", "concise"]);
    assert!(
        stdout.contains("kustomization.yaml:14:20: error KIT-IMG001:"),
        "{stdout}\n{stderr}"
    );
    let _ = std::fs::remove_dir_all(&dir);
}

/// A field spec whose path cannot be walked (an empty step) is located at the `path:` the
/// user wrote: in a kustomization's `labels[].fields`, in a `configurations:` file, and in a
/// transformer configuration written inline. The message keeps kubectl's words.
#[test]
fn a_bad_field_spec_path_is_located() {
    let labels = "labels:\n- pairs: {app: x}\n  fields:\n  - path: spec/template/[]\n    create: true\n    kind: Deployment\n";
    let configurations = "commonLabels:\n  app: x\nconfigurations:\n- conf.yaml\n";
    let transformer = "transformers:\n- |-\n  apiVersion: builtin\n  kind: LabelTransformer\n  metadata:\n    name: l\n  labels:\n    app: x\n  fieldSpecs:\n  - path: spec/template/metadata/labels/\n    create: true\n";
    let cases: &[(&str, &str)] = &[
        (labels, "kustomization.yaml:6:11: considering field 'spec/template/[]' of object Deployment.v1.apps/web.[noNs]: cannot set or create an empty field name"),
        (configurations, "conf.yaml:2:9: considering field 'spec//labels' of object Deployment.v1.apps/web.[noNs]: cannot set or create an empty field name"),
        (transformer, "kustomization.yaml:12:11: considering field 'spec/template/metadata/labels/'"),
    ];
    for (i, (extra, expect)) in cases.iter().enumerate() {
        let dir = scratch(&format!("field-spec-{i}"));
        write(&dir, "dep.yaml", DEPLOY);
        write(
            &dir,
            "conf.yaml",
            "commonLabels:\n- path: spec//labels\n  create: true\n  kind: Deployment\n",
        );
        write(
            &dir,
            "kustomization.yaml",
            &format!("resources:\n- dep.yaml\n{extra}"),
        );
        refused_as_kubectl_refuses(
            "a_bad_field_spec_path_is_located",
            &dir,
            ".",
            &[expect, "help: the path has an empty step"],
            "cannot set or create an empty field name",
        );
        let _ = std::fs::remove_dir_all(&dir);
    }
}

/// Field spec paths split and walk as kustomize's do: on `/` only (`\/` keeps a slash in a
/// name; brackets do not group), and a `[...]` step is a list selector a mapping refuses.
/// Each path gives kubectl's output, or fails where kubectl fails, with its words.
#[test]
fn field_spec_paths_split_as_kustomize_splits_them() {
    let paths = [
        "spec/a]/b",
        "spec/[a=b/c]/x",
        "spec/[a=b",
        "spec/template/metadata/labels[",
        "spec/x\\/y/z",
        "spec/template[]/x",
        "spec/[a=b]/x",
        "spec/template/[name=x]",
        "spec/[a]/x",
        "/spec/template/metadata/labels",
        "/",
        "//spec/x",
    ];
    for (i, path) in paths.iter().enumerate() {
        let dir = scratch(&format!("field-spec-split-{i}"));
        write(&dir, "dep.yaml", DEPLOY);
        write(
            &dir,
            "kustomization.yaml",
            &format!("resources:\n- dep.yaml\nlabels:\n- pairs: {{app: x}}\n  fields:\n  - path: {path}\n    create: true\n"),
        );
        let (code, stdout, stderr) = run(&dir, &["build", "."]);
        if let Some((expected_code, expected, kubectl_stderr)) =
            kubectl_kustomize("field_spec_paths_split_as_kustomize_splits_them", &dir)
        {
            if expected_code == 0 {
                assert_eq!(code, 0, "{path}: {stderr}");
                assert_eq!(stdout, expected, "{path}");
            } else {
                assert_eq!(code, 2, "{path}: kubectl refused it: {kubectl_stderr}");
                // kubectl's reason, before it prints the node's contents.
                let reason = kubectl_stderr
                    .split(": node contents")
                    .next()
                    .and_then(|l| l.rsplit("]: ").next())
                    .unwrap_or_default()
                    .trim();
                assert!(
                    flat(&stderr).contains(reason),
                    "{path}: {reason:?} not in:\n{stderr}"
                );
                assert!(
                    flat_paths(&stderr).contains("kustomization.yaml:6:11:"),
                    "{stderr}"
                );
            }
        }
        let _ = std::fs::remove_dir_all(&dir);
    }
}

/// A directory with two kustomization files: kubectl's words first ("Found multiple
/// kustomization files under:"), then both files by name, at the entry that refers to the
/// directory when there is one (`resources:`, `components:`), else at the first file.
#[test]
fn multiple_kustomization_files_are_named() {
    let dir = scratch("multiple-kustomizations");
    write(&dir, "base/kustomization.yaml", "resources: []\n");
    write(&dir, "base/kustomization.yml", "resources: []\n");
    write(&dir, "comp/kustomization.yaml", "kind: Component\n");
    write(&dir, "comp/Kustomization", "kind: Component\n");
    write(&dir, "root/kustomization.yaml", "resources:\n- ../base\n");
    write(
        &dir,
        "withcomp/kustomization.yaml",
        "resources: []\ncomponents:\n- ../comp\n",
    );
    let cases = [
        ("root", "root/kustomization.yaml:2:3: Found multiple kustomization files under: base (`kustomization.yaml` and `kustomization.yml`)"),
        ("withcomp", "withcomp/kustomization.yaml:3:3: Found multiple kustomization files under: comp (`kustomization.yaml` and `Kustomization`)"),
        ("base", "base/kustomization.yaml: Found multiple kustomization files under: base (`kustomization.yaml` and `kustomization.yml`)"),
    ];
    for (root, expect) in cases {
        refused_as_kubectl_refuses(
            "multiple_kustomization_files_are_named",
            &dir,
            root,
            &[expect, "help: a directory holds one kustomization file"],
            "Found multiple kustomization files under: ",
        );
    }
    let _ = std::fs::remove_dir_all(&dir);
}

/// A value that calls `tpl` on itself, in a Go-template chart and in a Jinja chart: a short
/// message with the nesting limit, the chain summarised (first and last places, the count
/// of those left out) and the values key with the file and line that set it. (helm v3.17.2
/// itself dies of a Go stack overflow on this chart, printing 23 KB of goroutine dump.)
#[test]
fn tpl_recursion_through_values_is_short_and_names_the_value() {
    let dir = scratch("tpl-recursion");
    write(
        &dir,
        "go/Chart.yaml",
        "apiVersion: v2\nname: go\nversion: 0.1.0\n",
    );
    write(&dir, "go/values.yaml", "a: '{{ tpl .Values.a . }}'\n");
    write(
        &dir,
        "go/templates/cm.yaml",
        "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: x\ndata:\n  a: {{ tpl .Values.a . }}\n",
    );
    write(
        &dir,
        "jinja/Chart.yaml",
        "apiVersion: v2\nname: jinja\nversion: 0.1.0\nannotations:\n  kit.dev/template-dialect: jinja\n",
    );
    write(&dir, "jinja/values.yaml", "b: 1\n");
    write(
        &dir,
        "more.yaml",
        "nested:\n  a: '{{ tpl(values.nested.a) }}'\n",
    );
    write(
        &dir,
        "jinja/templates/cm.yaml",
        "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: x\ndata:\n  a: {{ tpl(values.nested.a) }}\n",
    );
    let cases: [(&[&str], &[&str]); 2] = [
        (
            &["template", "go"],
            &[
                "go/templates/cm.yaml:6:9: templates nested more than 2000 deep: `tpl` renders the text of values key `a` (go/values.yaml:1:4) inside itself",
                "the chain of 2000 templates: go/templates/cm.yaml:6:8 -> gotpl:1:3 -> gotpl:1:3 -> (1995 more) -> gotpl:1:3 -> gotpl:1:3",
            ],
        ),
        (
            &["template", "jinja", "-f", "more.yaml"],
            &[
                "jinja/templates/cm.yaml:6:9: tpl nested deeper than 100 levels: `tpl` renders the text of values key `nested.a` (more.yaml:2:6) inside itself",
                "(96 more)",
            ],
        ),
    ];
    for (args, expect) in cases {
        let (code, _, stderr) = run(&dir, args);
        assert_eq!(code, 2, "{args:?}: {stderr}");
        assert!(
            stderr.len() < 2_000,
            "{args:?}: {} bytes:\n{stderr}",
            stderr.len()
        );
        let text = flat_paths(&stderr);
        for e in expect {
            assert!(text.contains(e), "{args:?}: expected {e:?} in:\n{stderr}");
        }
        assert!(
            text.contains("help: a value rendered with `tpl`")
                || text.contains("is rendered with `tpl` and renders itself again"),
            "{stderr}"
        );
    }
    let _ = std::fs::remove_dir_all(&dir);
}

/// `buildMetadata` values kustomize does not know are ignored, as kubectl ignores them (the
/// output is kubectl's, byte for byte), with a located warning that says so.
#[test]
fn unknown_build_metadata_is_ignored_with_a_warning() {
    let dir = scratch("build-metadata");
    write(&dir, "dep.yaml", DEPLOY);
    write(
        &dir,
        "kustomization.yaml",
        "resources:\n- dep.yaml\nbuildMetadata: [managedByLabel, foo, originAnnotation]\n",
    );
    let (code, stdout, stderr) = run(&dir, &["build", "."]);
    assert_eq!(code, 0, "{stderr}");
    assert!(stdout.contains("app.kubernetes.io/managed-by"), "{stdout}");
    let text = flat_paths(&stderr);
    for expect in [
        "kustomization.yaml:3:33: unknown buildMetadata option \"foo\" is ignored",
        "kustomization.yaml:3:38: unknown buildMetadata option \"originAnnotation\" is ignored",
        "did you mean `originAnnotations`?",
    ] {
        assert!(text.contains(expect), "expected {expect:?} in:\n{stderr}");
    }
    if let Some((code, expected, stderr)) =
        kubectl_kustomize("unknown_build_metadata_is_ignored_with_a_warning", &dir)
    {
        assert_eq!(code, 0, "kubectl: {stderr}");
        assert_eq!(stdout, expected);
    }
    let _ = std::fs::remove_dir_all(&dir);
}
