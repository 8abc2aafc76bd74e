//! kit validate's checks: the registry matches the code, every check's bad example fires
//! (snapshotted with file:line:col) and its good example is clean, error paths beyond the
//! examples (snapshotted), the embedded schema store is fresh and complete.

// Tests report what they compared on the console.
#![allow(clippy::print_stdout, clippy::print_stderr)]

mod common;

use std::collections::HashSet;
use std::io::Read;
use std::path::Path;

use kit::load::{self, Loader};
use kit::validate::{registry, Check, CrdSet, Options, Validator};

/// Validates `text` (as a file named `name`) against Kubernetes `version`, CRDs taken from
/// the text itself; one line per finding: `file:line:col: message [name] (object) ID severity`.
fn validate(name: &str, text: &str, version: &str, strict: bool) -> Vec<String> {
    let loader = if strict {
        Loader::recording()
    } else {
        Loader::lenient()
    };
    let owned = match loader.load_text_owned(Path::new(name), text.to_string()) {
        Ok(o) => o,
        Err(d) => return vec![format!("load error: {}", d.one_line(&loader.sources))],
    };
    let resources = load::resources_from_owned_docs(owned.docs)
        .unwrap_or_else(|d| panic!("{name}: {}", d.one_line(&loader.sources)));
    let mut crds = CrdSet::default();
    resources.iter().for_each(|r| crds.add(r));
    let k = kit::schema::kubernetes(version).expect("shipped version");
    let options = Options {
        strict,
        ignore_missing_schemas: false,
    };
    let (mut findings, _) = Validator::new(k, &crds, &options, &loader.sources)
        .validate_input(&resources, &owned.repeated_keys);
    kit::report::sort_and_dedup(&mut findings, &loader.sources);
    common::finding_lines(&findings, &loader.sources)
}

#[test]
fn registry_matches_the_checks_in_code() {
    assert!(
        registry::registry_error().is_none(),
        "{:?}",
        registry::registry_error()
    );
    let reg = registry::registry();
    let ids: Vec<&str> = reg.checks.iter().map(|c| c.id.as_str()).collect();
    let code: Vec<&str> = Check::ALL.iter().map(|c| c.id()).collect();
    assert_eq!(
        ids, code,
        "checks.yaml and Check::ALL must list the same ids in the same order"
    );
    let names: HashSet<&str> = reg.checks.iter().map(|c| c.name.as_str()).collect();
    assert_eq!(names.len(), reg.checks.len(), "duplicate check names");
    // `kit explain` looks in both registries: ids and names must not collide.
    for r in &kit::lint::registry().rules {
        assert!(
            reg.find(&r.id).is_none(),
            "{} is both a lint rule and a check",
            r.id
        );
        assert!(
            reg.find(&r.name).is_none(),
            "{} is both a lint rule and a check",
            r.name
        );
    }
    for c in &reg.checks {
        for (field, text) in [
            ("name", &c.name),
            ("summary", &c.summary),
            ("why", &c.why),
            ("fix", &c.fix),
            ("bad", &c.bad),
            ("good", &c.good),
            ("category", &c.category),
        ] {
            assert!(!text.trim().is_empty(), "{}: `{field}` is empty", c.id);
        }
    }
}

#[test]
fn bad_examples_fire_and_good_examples_are_clean() {
    let mut failures = Vec::new();
    for c in &registry::registry().checks {
        let bad = validate(&format!("{}.bad.yaml", c.name), &c.bad, "1.37", true);
        let good = validate(&format!("{}.good.yaml", c.name), &c.good, "1.37", true);
        if !bad.iter().any(|l| l.contains(&format!(" {} ", c.id))) {
            failures.push(format!("{}: the bad example does not fire: {bad:?}", c.id));
        }
        if !good.is_empty() {
            failures.push(format!("{}: the good example has findings: {good:?}", c.id));
        }
        insta::with_settings!({
            snapshot_path => "snapshots/validate",
            prepend_module_to_snapshot => false,
            omit_expression => true,
        }, {
            insta::assert_snapshot!(c.id.clone(), bad.join("\n"));
        });
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

/// Error paths beyond the registry's examples: (snapshot name, Kubernetes version, strict,
/// manifest).
const CASES: &[(&str, &str, bool, &str)] = &[
    (
        "int-or-string",
        "1.33",
        true,
        "apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: web}\nspec:\n  selector: {matchLabels: {app: web}}\n  strategy:\n    rollingUpdate: {maxSurge: [1], maxUnavailable: 3000000000}\n  template:\n    metadata: {labels: {app: web}}\n    spec:\n      containers: [{name: web, image: nginx}]\n",
    ),
    (
        "quantity-type",
        "1.33",
        true,
        "apiVersion: v1\nkind: Pod\nmetadata: {name: web}\nspec:\n  containers:\n  - name: web\n    image: nginx\n    resources:\n      requests: {cpu: true, memory: -1Gi}\n",
    ),
    (
        "unknown-field-no-strict",
        "1.33",
        false,
        "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: web}\ndata: {a: b}\nbogus: 1\nbogus: 2\n",
    ),
    (
        "duplicate-key-strict",
        "1.33",
        true,
        "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: web}\ndata: {a: b}\ndata: {c: d}\n",
    ),
    (
        "null-and-nan",
        "1.33",
        true,
        "apiVersion: v1\nkind: Pod\nmetadata: {name: web}\nspec:\n  containers:\n  - name: null\n    image: nginx\n  priority: .nan\n",
    ),
    (
        "custom-resource-without-crd",
        "1.33",
        true,
        "apiVersion: example.com/v1\nkind: Widget\nmetadata: {name: w, labels: {\"a b\": c}}\nspec: {}\n",
    ),
    (
        "custom-resource-with-crd",
        "1.33",
        true,
        "apiVersion: apiextensions.k8s.io/v1\nkind: CustomResourceDefinition\nmetadata: {name: widgets.example.com}\nspec:\n  group: example.com\n  names: {kind: Widget, plural: widgets}\n  scope: Namespaced\n  versions:\n  - name: v1\n    served: true\n    storage: true\n    schema:\n      openAPIV3Schema:\n        type: object\n        required: [spec]\n        properties:\n          spec:\n            type: object\n            required: [size]\n            properties:\n              size: {type: string, pattern: '^[0-9]+Gi$', maxLength: 5}\n              port: {x-kubernetes-int-or-string: true}\n              ports:\n                type: array\n                x-kubernetes-list-type: map\n                x-kubernetes-list-map-keys: [name]\n                items: {type: object, properties: {name: {type: string}, port: {type: integer, format: int32}}}\n              config: {type: object, x-kubernetes-preserve-unknown-fields: true}\n              when: {type: string, format: date-time}\n  - name: v2\n    served: false\n    storage: false\n    schema: {openAPIV3Schema: {type: object}}\n---\napiVersion: example.com/v1\nkind: Widget\nmetadata: {name: w, namespace: Team_A}\nspec:\n  size: 10G\n  port: [80]\n  ports: [{name: a, port: 1}, {name: a, port: 99999999999}]\n  config: {anything: [1, 2]}\n  when: yesterday\n  colour: blue\n---\napiVersion: example.com/v2\nkind: Widget\nmetadata: {name: w2}\n---\napiVersion: example.com/v3\nkind: Widget\nmetadata: {name: w3}\n",
    ),
    (
        "removed-in-target",
        "1.31",
        true,
        "apiVersion: flowcontrol.apiserver.k8s.io/v1beta3\nkind: FlowSchema\nmetadata: {name: f}\nspec:\n  priorityLevelConfiguration: {name: global-default}\n---\napiVersion: flowcontrol.apiserver.k8s.io/v1beta3\nkind: FlowSchema\nmetadata: {name: g}\nspec:\n  priorityLevelConfiguration: {name: global-default}\n",
    ),
    (
        "not-served-yet",
        "1.30",
        true,
        "apiVersion: resource.k8s.io/v1\nkind: DeviceClass\nmetadata: {name: gpu}\nspec: {}\n---\napiVersion: apps/v1\nkind: Deploymnet\nmetadata: {name: web}\n",
    ),
    (
        "field-combinations",
        "1.33",
        true,
        "apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: a}\nspec:\n  selector: {matchLabels: {app: a}}\n  strategy:\n    type: Recreate\n    rollingUpdate: {maxSurge: 1}\n  template:\n    metadata: {labels: {app: a}}\n    spec:\n      restartPolicy: Never\n      containers: [{name: a, image: nginx}]\n---\napiVersion: apps/v1\nkind: Deployment\nmetadata: {name: b}\nspec:\n  selector: {matchLabels: {app: b}}\n  strategy:\n    rollingUpdate: {maxSurge: 0, maxUnavailable: 0%}\n  template:\n    metadata: {labels: {app: b}}\n    spec:\n      initContainers:\n      - {name: init, image: busybox, readinessProbe: {exec: {command: [\"true\"]}}}\n      - {name: sidecar, image: envoy, restartPolicy: Always, readinessProbe: {exec: {command: [\"true\"]}}}\n      containers: [{name: b, image: nginx}]\n---\napiVersion: apps/v1\nkind: StatefulSet\nmetadata: {name: c}\nspec:\n  serviceName: c\n  selector: {matchLabels: {app: c}}\n  updateStrategy: {type: OnDelete, rollingUpdate: {partition: 1}}\n  template:\n    metadata: {labels: {app: c}}\n    spec:\n      containers: [{name: c, image: nginx}]\n---\napiVersion: batch/v1\nkind: CronJob\nmetadata: {name: d}\nspec:\n  schedule: '@daily'\n  jobTemplate:\n    spec:\n      template:\n        spec:\n          restartPolicy: Always\n          containers: [{name: d, image: busybox}]\n---\napiVersion: policy/v1\nkind: PodDisruptionBudget\nmetadata: {name: e}\nspec:\n  minAvailable: 1\n  maxUnavailable: 1\n  selector: {matchLabels: {app: a}}\n---\napiVersion: autoscaling/v2\nkind: HorizontalPodAutoscaler\nmetadata: {name: f}\nspec:\n  scaleTargetRef: {apiVersion: apps/v1, kind: Deployment, name: a}\n  minReplicas: 5\n  maxReplicas: 3\n---\napiVersion: v1\nkind: Service\nmetadata: {name: g}\nspec:\n  type: NodePort\n  clusterIP: None\n  ports: [{port: 80}]\n---\napiVersion: v1\nkind: Service\nmetadata: {name: h}\nspec:\n  ports: [{port: 80, nodePort: 30080}]\n---\napiVersion: v1\nkind: Service\nmetadata: {name: i}\nspec:\n  type: ExternalName\n  clusterIP: 10.0.0.1\n  ipFamilyPolicy: SingleStack\n---\napiVersion: v1\nkind: Service\nmetadata: {name: j}\nspec:\n  selector: {app: a}\n---\napiVersion: networking.k8s.io/v1\nkind: Ingress\nmetadata: {name: k}\nspec:\n  ingressClassName: nginx\n---\napiVersion: v1\nkind: Service\nmetadata: {name: headless}\nspec:\n  clusterIP: None\n  selector: {app: a}\n",
    ),
    (
        "service-and-probes",
        "1.33",
        true,
        "apiVersion: v1\nkind: Service\nmetadata: {name: web}\nspec:\n  ports:\n  - {port: 0, targetPort: Http_Port}\n  - {name: http, port: 80, targetPort: 8080}\n---\napiVersion: v1\nkind: Pod\nmetadata: {name: web, annotations: {Example.com/x: y}}\nspec:\n  containers:\n  - name: web\n    image: nginx\n    readinessProbe: {initialDelaySeconds: 3}\n    lifecycle:\n      preStop: {sleep: {seconds: 1}}\n    env: [{name: 1BAD, value: x}]\n",
    ),
];

#[test]
fn error_paths() {
    for (name, version, strict, text) in CASES {
        let lines = validate(&format!("{name}.yaml"), text, version, *strict);
        insta::with_settings!({
            snapshot_path => "snapshots/validate",
            prepend_module_to_snapshot => false,
            omit_expression => true,
        }, {
            insta::assert_snapshot!(format!("case-{name}"), lines.join("\n"));
        });
    }
}

/// CRD validation rules (`x-kubernetes-validations`): one fixture per feature and error path
/// in `tests/fixtures/validate-cel/`, each snapshotted as `cel-<fixture>`.
#[test]
fn crd_validation_rules() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/validate-cel");
    let mut names: Vec<_> = std::fs::read_dir(&dir)
        .expect("fixtures")
        .filter_map(|e| e.ok())
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .filter(|n| n.ends_with(".yaml"))
        .collect();
    names.sort();
    assert!(names.len() >= 7, "{names:?}");
    for name in names {
        let text = std::fs::read_to_string(dir.join(&name)).expect("fixture");
        let lines = validate(&name, &text, "1.37", true);
        if name == "passes.yaml" {
            assert!(lines.is_empty(), "{lines:?}");
        }
        let stem = name.trim_end_matches(".yaml");
        insta::with_settings!({
            snapshot_path => "snapshots/validate",
            prepend_module_to_snapshot => false,
            omit_expression => true,
        }, {
            insta::assert_snapshot!(format!("cel-{stem}"), lines.join("\n"));
        });
    }
}

#[test]
fn every_shipped_version_compiles_and_serves_the_core_kinds() {
    let versions = kit::schema::versions();
    assert_eq!(
        versions,
        ["1.30", "1.31", "1.32", "1.33", "1.34", "1.35", "1.36", "1.37"]
    );
    assert_eq!(kit::schema::newest(), "1.37");
    for v in versions {
        let k = kit::schema::kubernetes(v).expect("compiles");
        for (av, kind) in [
            ("v1", "Pod"),
            ("v1", "Service"),
            ("apps/v1", "Deployment"),
            ("batch/v1", "CronJob"),
            ("networking.k8s.io/v1", "Ingress"),
            ("apiextensions.k8s.io/v1", "CustomResourceDefinition"),
        ] {
            assert!(k.resource(av, kind).is_some(), "{v}: no {av} {kind}");
        }
    }
    assert!(kit::schema::kubernetes("v1.33.4").is_some());
    assert!(kit::schema::kubernetes("1.29").is_none());
}

#[test]
fn api_table_parses() {
    let rows = kit::schema::apis::parse(kit::schema::apis::APIS_YAML).expect("apis.yaml");
    assert_eq!(rows.len(), kit::schema::apis::table().len());
    for r in &rows {
        if let Some(d) = r.deprecated_in {
            assert!(
                d <= r.removed_in,
                "{}: deprecated after removal",
                r.api_version
            );
        }
    }
}

/// The committed store is what `cargo xtask schemas` makes of ../shared/openapi. The
/// build never needs ../shared; where it is absent (a clean clone) this only says so.
#[test]
fn schema_store_is_fresh() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let openapi = root.join("../shared/openapi");
    if !openapi.is_dir() {
        println!(
            "schema_store_is_fresh: {} is absent; the committed schemas/kubernetes.txt is not compared",
            openapi.display()
        );
        return;
    }
    let inputs = kit::schema::store::read_openapi_dir(&openapi, &|path| {
        let file = std::fs::File::open(path).map_err(|e| e.to_string())?;
        let mut text = String::new();
        flate2::read::GzDecoder::new(file)
            .read_to_string(&mut text)
            .map_err(|e| e.to_string())?;
        Ok(text)
    })
    .expect("read ../shared/openapi");
    let fresh = kit::schema::store::build(&inputs).expect("build the store");
    assert!(
        fresh == kit::schema::STORE,
        "schemas/kubernetes.txt is stale: run `cargo xtask schemas`"
    );
}
