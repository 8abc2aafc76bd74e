//! `kit template --debug` against `helm template --debug` (v3.17.2, `KIT_HELM3`) on small
//! charts whose render fails: a template that renders invalid YAML (Helm then prints every
//! rendered template, in a Go map's random order, and the hooks it had sorted out before the
//! failure), `--show-only`, `--skip-tests` and `--no-hooks` on that output, a template that
//! fails to execute, and a chart that renders. stdout is compared as a multiset of `# Source:`
//! blocks where Helm's order is random, byte for byte elsewhere; both fail with a non-zero
//! exit code. Without `KIT_HELM3` each test says loudly that it is skipped (a failure under
//! `CI=true`).

#![allow(clippy::print_stderr, clippy::unwrap_used)]

mod common;

use std::path::{Path, PathBuf};
use std::process::Command;

use common::helm3 as helm;
use common::{scratch, write};

/// A chart whose `templates/broken.yaml` renders invalid YAML, with a hook template sorted
/// before it (`a-hooks.yaml`: a pre-install hook and a test hook), one after it, a partial
/// and NOTES.txt (neither is printed), and an empty template.
fn broken_chart(name: &str) -> PathBuf {
    let dir = scratch(name);
    write(
        &dir,
        "web/Chart.yaml",
        "apiVersion: v2\nname: web\nversion: 0.1.0\n",
    );
    write(&dir, "web/values.yaml", "name: shop\n");
    write(
        &dir,
        "web/templates/a-hooks.yaml",
        "apiVersion: batch/v1\nkind: Job\nmetadata:\n  name: {{ .Values.name }}-migrate\n  annotations:\n    helm.sh/hook: pre-install\n---\napiVersion: v1\nkind: Pod\nmetadata:\n  name: {{ .Values.name }}-test\n  annotations:\n    helm.sh/hook: test\n",
    );
    write(
        &dir,
        "web/templates/broken.yaml",
        "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: {{ .Values.name }}-a\n---\napiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: {{ .Values.name }}-b\ndata:\n  list: [1, {{ .Values.name }}\n",
    );
    write(
        &dir,
        "web/templates/cm.yaml",
        "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: {{ include \"web.name\" . }}\n",
    );
    write(
        &dir,
        "web/templates/empty.yaml",
        "{{- if false }}x{{ end }}\n",
    );
    write(
        &dir,
        "web/templates/_helpers.tpl",
        "{{- define \"web.name\" }}{{ .Values.name }}-cm{{ end }}\n",
    );
    write(
        &dir,
        "web/templates/NOTES.txt",
        "Installed {{ .Release.Name }}.\n",
    );
    dir
}

fn run(program: &str, dir: &Path, args: &[&str]) -> (i32, String, String) {
    let mut cmd = if program == "kit" {
        common::kit()
    } else {
        Command::new(program)
    };
    cmd.arg("template")
        .args(args)
        .current_dir(dir)
        .env("NO_COLOR", "1")
        .env("HELM_CONFIG_HOME", dir.join("helm-config"))
        .env("HELM_CACHE_HOME", dir.join("helm-cache"))
        .env("HELM_DATA_HOME", dir.join("helm-data"));
    common::output(&mut cmd)
}

/// The `---\n# Source: ...` blocks of an output, each trimmed, sorted.
fn blocks(text: &str) -> Vec<String> {
    let mut out: Vec<String> = text
        .split("---\n# Source: ")
        .map(str::trim)
        .filter(|b| !b.is_empty())
        .map(str::to_string)
        .collect();
    out.sort();
    out
}

/// Runs both with `args`; both must fail, with the same `# Source:` blocks on stdout.
/// Returns kit's (stdout, stderr).
fn both_fail_alike(helm: &str, dir: &Path, args: &[&str]) -> (String, String) {
    let (hc, hout, herr) = run(helm, dir, args);
    let (kc, kout, kerr) = run("kit", dir, args);
    assert_ne!(hc, 0, "helm {args:?} should fail:\n{hout}\n{herr}");
    assert_ne!(kc, 0, "kit {args:?} should fail:\n{kout}");
    assert_eq!(kc, 2, "kit's exit code for an input error: {kerr}");
    assert_eq!(
        blocks(&kout),
        blocks(&hout),
        "{args:?}: kit's stdout (left) is not helm's (right)\nkit:\n{kout}\nhelm:\n{hout}\nkit's stderr:\n{kerr}"
    );
    // Helm ends its output with one newline (the manifest is trimmed, then printed).
    assert_eq!(
        kout.ends_with('\n'),
        hout.ends_with('\n'),
        "{kout:?} / {hout:?}"
    );
    (kout, kerr)
}

fn squash(s: &str) -> String {
    s.chars()
        .filter(|c| !c.is_whitespace() && *c != '│')
        .collect()
}

#[test]
fn invalid_yaml_without_debug_says_to_use_it() {
    let Some(helm) = helm("invalid_yaml_without_debug_says_to_use_it") else {
        return;
    };
    let dir = broken_chart("no-debug");
    let (kout, kerr) = both_fail_alike(&helm, &dir, &["web"]);
    let (_, hout, herr) = run(&helm, &dir, &["web"]);
    assert_eq!(kout, hout, "nothing on stdout without --debug");
    assert!(kout.is_empty());
    for words in [
        "YAML parse error on web/templates/broken.yaml",
        "Use --debug flag to render out invalid YAML",
    ] {
        assert!(squash(&herr).contains(&squash(words)), "helm: {herr}");
        assert!(squash(&kerr).contains(&squash(words)), "kit: {kerr}");
    }
    // kit's own error still names the template line that rendered the invalid YAML.
    assert!(kerr.contains("web/templates/broken.yaml:11:"), "{kerr}");
}

#[test]
fn invalid_yaml_with_debug_prints_every_rendered_template() {
    let Some(helm) = helm("invalid_yaml_with_debug_prints_every_rendered_template") else {
        return;
    };
    let dir = broken_chart("debug");
    let (kout, kerr) = both_fail_alike(&helm, &dir, &["web", "--debug"]);
    // The rendered templates, the hooks of a-hooks.yaml a second time (Helm's hook list),
    // no partial, no NOTES.txt, no empty template.
    assert!(
        kout.contains("name: shop-b\ndata:\n  list: [1, shop\n"),
        "{kout}"
    );
    assert_eq!(
        kout.matches("# Source: web/templates/a-hooks.yaml").count(),
        3
    );
    assert!(!kout.contains("NOTES") && !kout.contains("_helpers") && !kout.contains("empty.yaml"));
    // kit's order is stable: the rendered templates by name, then the hooks.
    let sources: Vec<&str> = kout
        .lines()
        .filter_map(|l| l.strip_prefix("# Source: "))
        .collect();
    assert_eq!(
        sources,
        [
            "web/templates/a-hooks.yaml",
            "web/templates/broken.yaml",
            "web/templates/cm.yaml",
            "web/templates/a-hooks.yaml",
            "web/templates/a-hooks.yaml",
        ]
    );
    assert!(
        squash(&kerr).contains(&squash("YAML parse error on web/templates/broken.yaml")),
        "{kerr}"
    );
    assert!(
        !squash(&kerr).contains(&squash("Use --debug flag")),
        "{kerr}"
    );

    both_fail_alike(&helm, &dir, &["web", "--debug", "--skip-tests"]);
    both_fail_alike(&helm, &dir, &["web", "--debug", "--no-hooks"]);
    let (shown, _) = both_fail_alike(&helm, &dir, &["web", "--debug", "-s", "templates/cm.yaml"]);
    assert!(shown.contains("name: shop-cm"), "{shown}");
}

#[test]
fn other_render_failures_with_debug_print_what_helm_prints() {
    let Some(helm) = helm("other_render_failures_with_debug_print_what_helm_prints") else {
        return;
    };
    let dir = broken_chart("exec-error");
    write(
        &dir,
        "web/templates/broken.yaml",
        "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: {{ fail \"no name\" }}\n",
    );
    for args in [&["web", "--debug"][..], &["web"][..]] {
        let (hc, hout, _) = run(&helm, &dir, args);
        let (kc, kout, kerr) = run("kit", &dir, args);
        assert_ne!(hc, 0);
        assert_eq!(kc, 2, "{kerr}");
        assert_eq!(kout, hout, "{args:?}: stdout");
        assert!(kerr.contains("no name"), "{kerr}");
    }
}

#[test]
fn debug_changes_nothing_when_the_render_succeeds() {
    let Some(helm) = helm("debug_changes_nothing_when_the_render_succeeds") else {
        return;
    };
    let dir = broken_chart("ok");
    write(&dir, "web/templates/broken.yaml", "");
    let (hc, hout, _) = run(&helm, &dir, &["web", "--debug"]);
    let (kc, kout, kerr) = run("kit", &dir, &["web", "--debug"]);
    assert_eq!((hc, kc), (0, 0), "{kerr}");
    assert_eq!(kout, hout);
}
