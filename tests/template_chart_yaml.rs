//! Chart.yaml as Helm reads it: `kit template` against `helm template` (v3.17.2, `KIT_HELM3`)
//! on charts whose Chart.yaml holds YAML 1.1 scalars (`yes`, `on`, `n`, `0777`) and numbers in
//! string fields (`appVersion: 1.0` is `"1"`, `1e3` is `"1000"`, a key `1.50` is `"1.5"`),
//! with templates printing `.Chart`, its dependencies and maintainers, and `.Capabilities`
//! through `toJson` (Go's field order, `omitempty` or not) and `toYaml` (sorted keys).
//! Byte for byte. Without `KIT_HELM3` the test says loudly that it is skipped (a failure
//! under `CI=true`).

#![allow(clippy::unwrap_used)]

mod common;

use std::path::Path;
use std::process::Command;

use common::{scratch, write};

const TEMPLATE: &str = r#"apiVersion: v1
kind: ConfigMap
metadata:
  name: chart
  labels:
    app.kubernetes.io/version: {{ .Chart.AppVersion | quote }}
data:
  description: {{ .Chart.Description | quote }}
  annotations: {{ .Chart.Annotations | toJson | quote }}
  keywords: {{ .Chart.Keywords | toJson | quote }}
  chartJson: {{ .Chart | toJson | quote }}
  chartYaml: {{ .Chart | toYaml | quote }}
  dependencies: {{ .Chart.Dependencies | toJson | quote }}
  maintainers: {{ .Chart.Maintainers | toJson | quote }}
  capabilities: {{ omit (.Capabilities | toJson | fromJson) "APIVersions" | toJson | quote }}
  kubeVersion: {{ .Capabilities.KubeVersion | toJson | quote }}
  kubeVersionYaml: {{ .Capabilities.KubeVersion | toYaml | quote }}
  helmVersion: {{ .Capabilities.HelmVersion | toJson | quote }}
"#;

/// Chart.yaml variants: each is rendered by both tools.
const CHART_YAMLS: &[&str] = &[
    "apiVersion: v2\nname: c\nversion: 0.1.0\nappVersion: 1.0\n",
    "apiVersion: v2\nname: c\nversion: 0.1.0\nappVersion: 1.10\ndescription: yes\n",
    "apiVersion: v2\nname: c\nversion: 0.1.0\nappVersion: 1e3\nkeywords: [on, off, 1.0, 010]\n",
    "apiVersion: v2\nname: c\nversion: 0.1.0\nappVersion: 2020-01-01\n",
    "apiVersion: v2\nname: c\nversion: 0.1.0\nappVersion: 123456789.5\n",
    "apiVersion: v2\nname: c\nversion: 0.1.0\nappVersion: \"1.0\"\ndeprecated: false\n",
    "apiVersion: v2\nname: c\nversion: 0.1.0\nappVersion: 0x1F\n\
     annotations:\n  x: y\n  n: 1.50\n  o: 0777\n  \"on\": \"on\"\n",
    "apiVersion: v2\nname: c\nversion: 0.1.0\nappVersion: Off\n\
     maintainers:\n  - name: yes\n    email: 1e3\n  - name: Ann\n    url: https://example.com\n",
    "apiVersion: v2\nname: c\nversion: 0.1.0\n\
     dependencies:\n  - name: sub\n    version: 1.0\n    repository: \"\"\n\
     \x20   import-values: [data, {child: a, parent: b}]\n    tags: [on, 1.5]\n\
     \x20 - name: sub\n    alias: other\n    version: \"*\"\n    condition: other.enabled\n\
     \x20 - name: sub\n    alias: off\n    condition: off.enabled\n",
];

fn render(program: &str, dir: &Path) -> (i32, String, String) {
    let mut cmd = if program == "kit" {
        common::kit()
    } else {
        Command::new(program)
    };
    cmd.args(["template", "chart", "--set", "off.enabled=false"])
        .current_dir(dir)
        .env("NO_COLOR", "1")
        .env("KUBECONFIG", dir.join("no-kubeconfig"))
        .env("HELM_CONFIG_HOME", dir.join("helm-config"))
        .env("HELM_CACHE_HOME", dir.join("helm-cache"))
        .env("HELM_DATA_HOME", dir.join("helm-data"));
    common::output(&mut cmd)
}

#[test]
fn chart_yaml_scalars_and_helm_objects_print_as_helm_prints_them() {
    let Some(helm) = common::helm3("chart_yaml_scalars_and_helm_objects_print_as_helm_prints_them")
    else {
        return;
    };
    let mut failures = Vec::new();
    for (i, chart_yaml) in CHART_YAMLS.iter().enumerate() {
        let dir = scratch(&format!("chart-yaml-{i}"));
        write(&dir, "chart/Chart.yaml", chart_yaml);
        write(&dir, "chart/templates/chart.yaml", TEMPLATE);
        write(
            &dir,
            "chart/charts/sub/Chart.yaml",
            "apiVersion: v2\nname: sub\nversion: 1.0.0\n",
        );
        write(
            &dir,
            "chart/charts/sub/values.yaml",
            "exports:\n  data:\n    x: 1\na:\n  y: 2\n",
        );
        let want = render(&helm, &dir);
        let got = render("kit", &dir);
        assert_eq!(want.0, 0, "helm failed on\n{chart_yaml}\n{}", want.2);
        if got.0 != want.0 || got.1 != want.1 {
            let diff: Vec<String> = similar::TextDiff::from_lines(&want.1, &got.1)
                .iter_all_changes()
                .filter(|c| c.tag() != similar::ChangeTag::Equal)
                .map(|c| format!("{}{}", c.tag(), c.value().trim_end()))
                .collect();
            failures.push(format!(
                "Chart.yaml:\n{chart_yaml}kit exit {} ({}):\n{}",
                got.0,
                got.2.trim(),
                diff.join("\n")
            ));
        }
    }
    assert!(
        failures.is_empty(),
        "kit differs from helm template (- helm, + kit):\n\n{}",
        failures.join("\n\n")
    );
}
