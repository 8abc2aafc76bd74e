//! Differential test of the kustomization fields kustomize keeps as build-wide state: the
//! `openapi:` schema choice and `buildMetadata` (origin and transformer annotations,
//! managedByLabel). kit and `kubectl kustomize` (kustomize v5.8.1) render the same trees;
//! the outputs must be identical bytes, or both tools must fail.
//!
//! Hand-written trees run first (which layer's schema wins, custom definitions over and
//! under the built-in ones, annotations through overlays, components and generator
//! behaviors). Then seeded random trees: a root with one or two bases and maybe a
//! component, each layer with a random `openapi:` (none, one of four schema files, the
//! built-in version, now and then an invalid one), random resources (built-in and custom
//! kinds, some outside kustomize's precomputed scope table), strategic-merge patches by
//! `target:`, name/label/annotation/image/replica transformers, JSON patches, generators
//! with `behavior`, and `buildMetadata` at the root or in a base.
//!
//! Environment:
//!
//! - `KIT_KUBECTL`: the reference kubectl (`scripts/install-test-tools` prints its path). When
//!   unset, the test is skipped with a message.
//! - `KIT_SKIP_DIFFERENTIAL=1`: skip.
//! - `KIT_META_CASES`: number of generated cases (default 150).
//! - `KIT_META_SEED`: run seed, decimal or 0x-hex; case `i` depends only on it and `i`.
//! - `KIT_META_ONLY`: comma-separated case names to run (`h0`.. hand-written, `g0`.. generated).
//! - `KIT_META_KEEP=1`: keep every case directory, not only failing ones.
//! - `KIT_META_THREADS`: worker threads (default 2).

#![allow(clippy::print_stdout, clippy::print_stderr, clippy::unwrap_used)]

mod common;

use std::fs;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Mutex;
use std::thread;
use std::time::{Instant, SystemTime, UNIX_EPOCH};

use common::{env_var, parse_u64, rng};

const DEFAULT_CASES: usize = 150;
const DEFAULT_SEED: u64 = 0x6b69_746d_6574_6101;
const KUSTOMIZE_VERSION: &str = "v5.8.1";
const SHOWN_FAILURES: usize = 5;

/// A tree of files and the directories to build (one `kit build` run; kubectl once per
/// root, its outputs joined as kit joins them), relative to the case directory.
struct Case {
    name: String,
    files: Vec<(String, String)>,
    roots: Vec<String>,
}

struct Outcome {
    name: String,
    dir: PathBuf,
    kubectl: Result<String, String>,
    kit: Result<String, String>,
}

impl Outcome {
    fn passed(&self) -> bool {
        match (&self.kubectl, &self.kit) {
            (Ok(a), Ok(b)) => a == b,
            (Err(_), Err(_)) => true,
            _ => false,
        }
    }
}

#[test]
fn openapi_and_build_metadata_match_kubectl_kustomize() {
    if env_var("KIT_SKIP_DIFFERENTIAL").as_deref() == Some("1") {
        eprintln!("meta_differential: skipped (KIT_SKIP_DIFFERENTIAL=1)");
        return;
    }
    let Some(kubectl) = env_var("KIT_KUBECTL") else {
        eprintln!(
            "meta_differential: SKIPPED: KIT_KUBECTL is not set. This test compares kit's \
             `openapi:` and `buildMetadata` handling with `kubectl kustomize` (kustomize \
             {KUSTOMIZE_VERSION}); run `scripts/test`, or `scripts/install-test-tools` and \
             export KIT_KUBECTL=<the path it prints>."
        );
        return;
    };
    let version = Command::new(&kubectl)
        .args(["version", "--client"])
        .output()
        .unwrap_or_else(|e| panic!("cannot run KIT_KUBECTL={kubectl}: {e}"));
    assert!(
        String::from_utf8_lossy(&version.stdout)
            .contains(&format!("Kustomize Version: {KUSTOMIZE_VERSION}")),
        "KIT_KUBECTL={kubectl} does not embed kustomize {KUSTOMIZE_VERSION}"
    );
    let seed = env_var("KIT_META_SEED").map_or(DEFAULT_SEED, |s| parse_u64(&s));
    let count = env_var("KIT_META_CASES").map_or(DEFAULT_CASES, |s| parse_u64(&s) as usize);
    let only: Option<Vec<String>> =
        env_var("KIT_META_ONLY").map(|s| s.split(',').map(|x| x.trim().to_string()).collect());
    let keep_all = env_var("KIT_META_KEEP").as_deref() == Some("1");
    let threads = env_var("KIT_META_THREADS").map_or(2, |s| parse_u64(&s).max(1) as usize);

    let mut cases = handwritten();
    for i in 0..count {
        let mut rng = rng::Rng::new(rng::mix(seed, i as u64));
        cases.push(gen::case(&format!("g{i}"), &mut rng));
    }
    if let Some(only) = &only {
        cases.retain(|c| only.contains(&c.name));
    }
    let run_dir = std::env::temp_dir().join(format!(
        "kit-meta-differential-{}-{}",
        std::process::id(),
        SystemTime::now()
            .duration_since(UNIX_EPOCH)
            .map(|d| d.as_nanos())
            .unwrap_or(0)
    ));
    fs::create_dir_all(&run_dir).unwrap();
    let started = Instant::now();
    let next = AtomicUsize::new(0);
    let outcomes = Mutex::new(Vec::new());
    thread::scope(|scope| {
        for _ in 0..threads {
            scope.spawn(|| loop {
                let k = next.fetch_add(1, Ordering::Relaxed);
                let Some(case) = cases.get(k) else {
                    break;
                };
                let outcome = run_case(&kubectl, &run_dir, case);
                if outcome.passed() && !keep_all {
                    let _ = fs::remove_dir_all(&outcome.dir);
                }
                outcomes.lock().unwrap().push(outcome);
            });
        }
    });
    let outcomes = outcomes.into_inner().unwrap();
    let failed: Vec<&Outcome> = outcomes.iter().filter(|o| !o.passed()).collect();
    let rejected = outcomes.iter().filter(|o| o.kubectl.is_err()).count();
    for o in failed.iter().take(SHOWN_FAILURES) {
        eprintln!("{}", report(o));
    }
    if failed.len() > SHOWN_FAILURES {
        let rest: Vec<&str> = failed[SHOWN_FAILURES..]
            .iter()
            .map(|o| o.name.as_str())
            .collect();
        eprintln!("meta_differential: also failed: {}", rest.join(","));
    }
    if !keep_all && failed.is_empty() {
        let _ = fs::remove_dir(&run_dir);
    }
    eprintln!(
        "meta_differential: {} passed, {} failed of {} cases (kubectl rejected {}; \
         KIT_META_SEED={seed:#x}; {:.1}s; failing cases kept under {})",
        outcomes.len() - failed.len(),
        failed.len(),
        outcomes.len(),
        rejected,
        started.elapsed().as_secs_f64(),
        run_dir.display()
    );
    assert!(
        failed.is_empty(),
        "meta_differential: {} of {} cases differ from kubectl kustomize",
        failed.len(),
        outcomes.len()
    );
    assert!(
        outcomes.len() < 20 || rejected * 4 < outcomes.len(),
        "kubectl rejected {rejected} of {} cases: the generator needs fixing",
        outcomes.len()
    );
}

fn report(o: &Outcome) -> String {
    let mut r = format!(
        "\n=== meta_differential: case {} FAILED (reproduce: KIT_META_ONLY={}; files in {})\n",
        o.name,
        o.name,
        o.dir.display()
    );
    match (&o.kubectl, &o.kit) {
        (Ok(a), Ok(b)) => {
            r += &similar::TextDiff::from_lines(a.as_str(), b.as_str())
                .unified_diff()
                .context_radius(3)
                .header("kubectl kustomize", "kit")
                .to_string();
        }
        (a, b) => {
            let summary = |r: &Result<String, String>| match r {
                Ok(out) => format!("ok ({} bytes)", out.len()),
                Err(e) => format!("error: {}", e.trim()),
            };
            r += &format!("kubectl: {}\nkit: {}\n", summary(a), summary(b));
        }
    }
    r
}

fn run_case(kubectl: &str, run_dir: &Path, case: &Case) -> Outcome {
    let dir = run_dir.join(&case.name);
    for (path, text) in &case.files {
        let p = dir.join(path);
        fs::create_dir_all(p.parent().unwrap()).unwrap();
        fs::write(p, text).unwrap();
    }
    let run = |cmd: &mut Command| {
        let out = cmd.current_dir(&dir).output().unwrap();
        if out.status.success() {
            Ok(String::from_utf8_lossy(&out.stdout).into_owned())
        } else {
            Err(String::from_utf8_lossy(&out.stderr).into_owned())
        }
    };
    let mut kubectl_result = Ok(String::new());
    for root in &case.roots {
        let one = run(Command::new(kubectl).args(["kustomize", root]));
        kubectl_result = match (kubectl_result, one) {
            (Ok(mut all), Ok(text)) => {
                if !all.is_empty() && !text.is_empty() {
                    all += "---\n";
                }
                Ok(all + &text)
            }
            (Err(e), _) | (_, Err(e)) => Err(e),
        };
    }
    let kit_result = run(Command::new(env!("CARGO_BIN_EXE_kit"))
        .arg("build")
        .args(&case.roots));
    let show = |r: &Result<String, String>| match r {
        Ok(s) => s.clone(),
        Err(e) => format!("ERROR: {e}\n"),
    };
    fs::write(dir.join("kubectl.out"), show(&kubectl_result)).unwrap();
    fs::write(dir.join("kit.out"), show(&kit_result)).unwrap();
    Outcome {
        name: case.name.clone(),
        dir,
        kubectl: kubectl_result,
        kit: kit_result,
    }
}

// --- content -------------------------------------------------------------------------------

/// A schema for `example.com/v1alpha1 MyCRD`, its pod template merging containers by
/// `merge_key`; `with_pod_template: false` leaves `PodTemplateSpec` to the built-in schema.
fn schema_json(merge_key: &str, with_pod_template: bool) -> String {
    let pod_template = if with_pod_template {
        format!(
            r##",
    "io.k8s.api.core.v1.PodTemplateSpec": {{
      "type": "object",
      "properties": {{"spec": {{"$ref": "#/definitions/io.k8s.api.core.v1.PodSpec"}}}}
    }},
    "io.k8s.api.core.v1.PodSpec": {{
      "type": "object",
      "properties": {{
        "containers": {{
          "type": "array",
          "items": {{"$ref": "#/definitions/io.k8s.api.core.v1.Container"}},
          "x-kubernetes-patch-merge-key": "{merge_key}",
          "x-kubernetes-patch-strategy": "merge"
        }}
      }}
    }},
    "io.k8s.api.core.v1.Container": {{
      "type": "object",
      "properties": {{"name": {{"type": "string"}}, "image": {{"type": "string"}}}}
    }}"##
        )
    } else {
        String::new()
    };
    format!(
        r##"{{
  "definitions": {{
    "v1alpha1.MyCRD": {{
      "type": "object",
      "properties": {{
        "spec": {{
          "type": "object",
          "properties": {{
            "template": {{"$ref": "#/definitions/io.k8s.api.core.v1.PodTemplateSpec"}},
            "hosts": {{
              "type": "array",
              "items": {{"type": "object", "properties": {{"host": {{"type": "string"}}}}}},
              "x-kubernetes-patch-merge-key": "host",
              "x-kubernetes-patch-strategy": "merge"
            }}
          }}
        }}
      }},
      "x-kubernetes-group-version-kind": [
        {{"group": "example.com", "kind": "MyCRD", "version": "v1alpha1"}}
      ]
    }}{pod_template}
  }}
}}
"##
    )
}

const SCHEMA_YAML: &str = r##"definitions:
  v1alpha1.MyCRD:
    type: object
    properties:
      spec:
        type: object
        properties:
          template:
            $ref: '#/definitions/io.k8s.api.core.v1.PodTemplateSpec'
          hosts:
            type: array
            items:
              type: object
            x-kubernetes-patch-merge-key: host
            x-kubernetes-patch-strategy: merge
    x-kubernetes-group-version-kind:
    - group: example.com
      kind: MyCRD
      version: v1alpha1
"##;

fn deployment(api_version: &str, name: &str) -> String {
    format!(
        "apiVersion: {api_version}\nkind: Deployment\nmetadata:\n  name: {name}\nspec:\n  replicas: 1\n  template:\n    spec:\n      containers:\n      - name: a\n        image: a\n      - name: b\n        image: nginx\n"
    )
}

fn my_crd(name: &str) -> String {
    format!(
        "apiVersion: example.com/v1alpha1\nkind: MyCRD\nmetadata:\n  name: {name}\nspec:\n  hosts:\n  - host: x\n    port: 1\n  - host: y\n  template:\n    spec:\n      containers:\n      - name: a\n        image: a\n      - name: b\n        image: nginx\n"
    )
}

fn config_map(name: &str) -> String {
    format!("apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: {name}\ndata:\n  k: v\n")
}

/// A strategic-merge patch of every resource of `kind`, adding a container (and a host).
fn smp_patch(api_version: &str, kind: &str) -> String {
    format!(
        "- target:\n    kind: {kind}\n  patch: |-\n    apiVersion: {api_version}\n    kind: {kind}\n    metadata:\n      name: any\n    spec:\n      hosts:\n      - host: y\n        port: 2\n      template:\n        spec:\n          containers:\n          - name: c\n            image: nginx\n"
    )
}

fn handwritten() -> Vec<Case> {
    let f = |p: &str, t: &str| (p.to_string(), t.to_string());
    let k = |p: &str, t: &str| (format!("{p}/kustomization.yaml"), t.to_string());
    let patch_all = format!(
        "patches:\n{}{}",
        smp_patch("apps/v1", "Deployment"),
        smp_patch("example.com/v1alpha1", "MyCRD")
    );
    let cases = vec![
        // The root's custom schema alone: built-in kinds lose their merge keys.
        vec![
            f("app/s.json", &schema_json("name", true)),
            f("app/d.yaml", &deployment("apps/v1", "web")),
            f("app/c.yaml", &my_crd("crd")),
            k("app", &format!("resources:\n- d.yaml\n- c.yaml\nopenapi:\n  path: s.json\n{patch_all}")),
        ],
        // A base's schema, chosen before anything was read: alone.
        vec![
            f("base/s.json", &schema_json("image", true)),
            f("base/c.yaml", &my_crd("crd")),
            k("base", "resources:\n- c.yaml\nopenapi:\n  path: s.json\n"),
            f("app/d.yaml", &deployment("apps/v1", "web")),
            k("app", &format!("resources:\n- ../base\n- d.yaml\n{patch_all}")),
        ],
        // An unscoped kind read first: the built-in schema goes over the custom one.
        vec![
            f("base/s.json", &schema_json("image", true)),
            k("base", "resources:\n- c.yaml\nopenapi:\n  path: s.json\n"),
            f("base/c.yaml", &my_crd("crd")),
            f("app/d.yaml", &deployment("v1", "web")),
            f("app/d2.yaml", &deployment("apps/v1", "web2")),
            k("app", &format!("resources:\n- d.yaml\n- d2.yaml\n- ../base\n{patch_all}")),
        ],
        // A strategic merge first: the custom definitions go over the built-in ones.
        vec![
            f("one/d.yaml", &deployment("apps/v1", "one")),
            k("one", &format!("resources:\n- d.yaml\npatches:\n{}", smp_patch("apps/v1", "Deployment"))),
            f("two/s.json", &schema_json("image", true)),
            f("two/c.yaml", &my_crd("crd")),
            k("two", "resources:\n- c.yaml\nopenapi:\n  path: s.json\n"),
            f("app/d.yaml", &deployment("apps/v1", "web")),
            k("app", &format!("resources:\n- ../one\n- ../two\n- d.yaml\n{patch_all}")),
        ],
        // The overlay's version wins over the base's schema.
        vec![
            f("base/s.yaml", SCHEMA_YAML),
            f("base/c.yaml", &my_crd("crd")),
            k("base", "resources:\n- c.yaml\nopenapi:\n  path: s.yaml\n"),
            k("app", &format!("resources:\n- ../base\nopenapi:\n  version: v1.21.2\n{patch_all}")),
        ],
        // A component's schema that leaves PodTemplateSpec to the built-in one.
        vec![
            f("base/c.yaml", &my_crd("crd")),
            k("base", "resources:\n- c.yaml\n"),
            f("comp/s.json", &schema_json("name", false)),
            k("comp", &format!("apiVersion: kustomize.config.k8s.io/v1alpha1\nkind: Component\nopenapi:\n  path: s.json\npatches:\n{}", smp_patch("example.com/v1alpha1", "MyCRD"))),
            k("app", "resources:\n- ../base\ncomponents:\n- ../comp\n"),
        ],
        // Annotations through a base, a component and generator behaviors.
        vec![
            f("base/d.yaml", &deployment("apps/v1", "web")),
            k("base", "resources:\n- ./d.yaml\nnamePrefix: b-\ncommonLabels:\n  team: a\nconfigMapGenerator:\n- name: gen\n  literals: [a=b]\n- name: gen2\n  literals: [a=b]\n"),
            f("comp/c.yaml", &config_map("extra")),
            k("comp", "apiVersion: kustomize.config.k8s.io/v1alpha1\nkind: Component\nresources:\n- c.yaml\ncommonAnnotations:\n  from: comp\nconfigMapGenerator:\n- name: gen\n  behavior: merge\n  literals: [c=d]\n"),
            k("app", "resources:\n- ../base\ncomponents:\n- ../comp\nconfigMapGenerator:\n- name: gen2\n  behavior: replace\n  literals: [x=y]\nimages:\n- name: nginx\n  newTag: \"2\"\nbuildMetadata: [originAnnotations, transformerAnnotations, managedByLabel]\n"),
        ],
        // A base's buildMetadata does not count.
        vec![
            f("base/d.yaml", &deployment("apps/v1", "web")),
            k("base", "resources:\n- d.yaml\nbuildMetadata: [originAnnotations, managedByLabel]\n"),
            k("app", "resources:\n- ../base\nnamePrefix: p-\n"),
        ],
        // Annotations a resource was written with are removed from the output.
        vec![
            f("app/c.yaml", "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: c\n  annotations:\n    config.kubernetes.io/origin: mine\n    alpha.config.kubernetes.io/transformations: x\n    internal.config.kubernetes.io/previousNames: a\n    config.kubernetes.io/index: '0'\n    keep: me\n"),
            k("app", "resources:\n- c.yaml\n"),
        ],
        // The annotation map is rewritten while tracking: shared values part.
        vec![
            f("base/d.yaml", &deployment("apps/v1", "web")),
            k("base", "resources:\n- d.yaml\ncommonAnnotations:\n  shared: one\n"),
            k("app", "resources:\n- ../base\nbuildMetadata: [managedByLabel]\npatches:\n- patch: |-\n    apiVersion: apps/v1\n    kind: Deployment\n    metadata:\n      name: web\n    spec:\n      template:\n        metadata:\n          annotations:\n            shared: two\n"),
        ],
    ];
    let paths = r#"{
  "definitions": {},
  "paths": {
    "/apis/example.com/v1/widgets": {"get": {"x-kubernetes-group-version-kind": {"group": "example.com", "version": "v1", "kind": "Widget"}}},
    "/apis/example.com/v1/namespaces/{namespace}/gadgets": {"get": {"x-kubernetes-group-version-kind": {"group": "example.com", "version": "v1", "kind": "Gadget"}}},
    "/apis/example.com/v1/gadgets": {"get": {"x-kubernetes-group-version-kind": {"group": "example.com", "version": "v1", "kind": "Gadget"}}},
    "/api/v1/deployments": {"get": {"x-kubernetes-group-version-kind": {"version": "v1", "kind": "Deployment"}}}
  }
}"#;
    let widget = |name: &str, kind: &str| {
        format!("apiVersion: example.com/v1\nkind: {kind}\nmetadata:\n  name: {name}\n")
    };
    let mut cases = cases;
    // A custom schema's paths tell scopes: a cluster-scoped kind gets no namespace, from
    // the moment the schema is chosen.
    cases.push(vec![
        f("one/w.yaml", &widget("w1", "Widget")),
        k("one", "resources:\n- w.yaml\nnamespace: ns1\n"),
        f("two/s.json", paths),
        f("two/w.yaml", &widget("w2", "Widget")),
        f("two/g.yaml", &widget("g2", "Gadget")),
        f("two/d.yaml", &deployment("v1", "d2")),
        k(
            "two",
            "resources:\n- w.yaml\n- g.yaml\n- d.yaml\nnamespace: ns2\nopenapi:\n  path: s.json\n",
        ),
        f("app/w.yaml", &widget("w3", "Widget")),
        k(
            "app",
            "resources:\n- ../one\n- ../two\n- w.yaml\nnamespace: ns3\n",
        ),
    ]);
    let mut cases: Vec<Case> = cases
        .into_iter()
        .enumerate()
        .map(|(i, files)| Case {
            name: format!("h{i}"),
            files,
            roots: vec!["app".to_string()],
        })
        .collect();
    // Several roots in one run share bases: kit caches a base per schema and origin path.
    cases.push(Case {
        name: format!("h{}", cases.len()),
        files: vec![
            f("base/d.yaml", &deployment("v1", "web")),
            k("base", &format!("resources:\n- d.yaml\npatches:\n{}", smp_patch("v1", "Deployment"))),
            f("app/s.json", &schema_json("image", true)),
            k("app", "resources:\n- ../base\nopenapi:\n  path: s.json\nbuildMetadata: [originAnnotations]\n"),
            k("app2", "resources:\n- ../base\n"),
            k("deep/app3", "resources:\n- ../../base\nbuildMetadata: [originAnnotations]\n"),
            k("app4", "resources:\n- ../base\nbuildMetadata: [transformerAnnotations]\nopenapi:\n  version: v1.21.2\n"),
        ],
        roots: ["app", "app2", "deep/app3", "app4", "app"].map(String::from).to_vec(),
    });
    cases
}

mod gen {
    use super::rng::Rng;
    use super::*;

    struct Layer {
        dir: &'static str,
        component: bool,
    }

    /// A random tree: `app` over `base` (and maybe `base2`), maybe a component `comp`.
    pub fn case(name: &str, rng: &mut Rng) -> Case {
        let mut files = Vec::new();
        let mut layers = vec![Layer {
            dir: "base",
            component: false,
        }];
        if rng.chance(40) {
            layers.push(Layer {
                dir: "base2",
                component: false,
            });
        }
        if rng.chance(40) {
            layers.push(Layer {
                dir: "comp",
                component: true,
            });
        }
        layers.push(Layer {
            dir: "app",
            component: false,
        });
        let two_roots = rng.chance(30);
        if two_roots {
            layers.push(Layer {
                dir: "app2",
                component: false,
            });
        }
        let mut generated_in_base = false;
        // Whether `base-0` is a Deployment (replicas may name it then).
        let mut base0_scales = false;
        for layer in &layers {
            let mut k = String::new();
            if layer.component {
                k += "apiVersion: kustomize.config.k8s.io/v1alpha1\nkind: Component\n";
            }
            let mut resources: Vec<String> = Vec::new();
            let root = layer.dir.starts_with("app");
            let pool = rng.below(4) + usize::from(!root);
            for i in 0..pool {
                let file = format!("r{i}.yaml");
                let rname = format!("{}-{i}", layer.dir);
                let kind = rng.below(5);
                if rname == "base-0" {
                    base0_scales = kind < 2;
                }
                let text = match kind {
                    0 => deployment("apps/v1", &rname),
                    1 => deployment("v1", &rname),
                    2 => my_crd(&rname),
                    3 => config_map(&rname),
                    _ => format!(
                        "apiVersion: example.com/v1\nkind: Widget\nmetadata:\n  name: {rname}\n"
                    ),
                };
                files.push((format!("{}/{file}", layer.dir), text));
                resources.push(file);
            }
            if root {
                resources.push("../base".to_string());
                if layers.iter().any(|l| l.dir == "base2") {
                    resources.push("../base2/".to_string());
                }
                rng.shuffle(&mut resources);
                if layers.iter().any(|l| l.component) {
                    k += "components:\n- ../comp\n";
                }
            }
            if !resources.is_empty() {
                k += "resources:\n";
                for r in &resources {
                    k += &format!("- {r}\n");
                }
            }
            // openapi
            let roll = rng.below(100);
            let schema_file = match rng.below(4) {
                0 => ("s.json", schema_json("name", true)),
                1 => ("s.json", schema_json("image", true)),
                2 => ("s.json", schema_json("name", false)),
                _ => ("s.yaml", SCHEMA_YAML.to_string()),
            };
            if roll < 30 {
                files.push((format!("{}/{}", layer.dir, schema_file.0), schema_file.1));
                k += &format!("openapi:\n  path: {}\n", schema_file.0);
            } else if roll < 40 {
                k += "openapi:\n  version: v1.21.2\n";
            } else if roll < 41 {
                k += "openapi:\n  version: v1.99.0\n";
            }
            // patches
            let mut patches = String::new();
            for (av, kind) in [
                ("apps/v1", "Deployment"),
                ("v1", "Deployment"),
                ("example.com/v1alpha1", "MyCRD"),
            ] {
                if rng.chance(35) {
                    patches += &smp_patch(av, kind);
                }
            }
            if rng.chance(20) {
                patches += "- target:\n    kind: ConfigMap\n  patch: |-\n    - op: add\n      path: /data/added\n      value: x\n";
            }
            if !patches.is_empty() {
                k += &format!("patches:\n{patches}");
            }
            if rng.chance(25) {
                k += &format!("namePrefix: {}-\n", layer.dir);
            }
            if rng.chance(15) {
                k += &format!("nameSuffix: -{}\n", layer.dir);
            }
            if rng.chance(20) {
                k += "namespace: ns1\n";
            }
            if rng.chance(20) {
                k += &format!("commonLabels:\n  {}: l\n", layer.dir);
            }
            if rng.chance(20) {
                k += &format!("labels:\n- pairs:\n    l-{}: v\n", layer.dir);
            }
            if rng.chance(20) {
                k += &format!("commonAnnotations:\n  a-{}: v\n", layer.dir);
            }
            if rng.chance(15) {
                k += "images:\n- name: nginx\n  newTag: \"2\"\n";
            }
            // kustomize refuses a replica count for a name it cannot find.
            if base0_scales && layer.dir != "base2" && rng.chance(15) {
                k += "replicas:\n- name: base-0\n  count: 3\n";
            }
            if rng.chance(10) {
                k += "patchesJson6902:\n- target:\n    kind: MyCRD\n    name: base-0\n  patch: |-\n    - op: add\n      path: /metadata/labels\n      value: {j: k}\n";
            }
            // generators
            if rng.chance(35) {
                if layer.dir == "base" {
                    generated_in_base = true;
                    k += "configMapGenerator:\n- name: gen\n  literals: [a=b]\nsecretGenerator:\n- name: sec\n  literals: [s=t]\n";
                } else if generated_in_base && layer.dir != "base2" {
                    let behavior = rng.pick_owned(&["merge", "replace"]);
                    k += &format!("configMapGenerator:\n- name: gen\n  behavior: {behavior}\n  literals: [c=d]\n");
                } else {
                    k += &format!(
                        "configMapGenerator:\n- name: gen-{}\n  literals: [a=b]\n",
                        layer.dir
                    );
                }
            }
            // buildMetadata
            let at_root = root && rng.chance(60);
            if at_root || rng.chance(10) {
                let mut options = vec![
                    "originAnnotations",
                    "transformerAnnotations",
                    "managedByLabel",
                ];
                rng.shuffle(&mut options);
                let n = rng.below(3) + 1;
                k += &format!("buildMetadata: [{}]\n", options[..n].join(", "));
            }
            if k.is_empty() {
                k += "namePrefix: x-\n";
            }
            files.push((format!("{}/kustomization.yaml", layer.dir), k));
        }
        let mut roots = vec!["app".to_string()];
        if two_roots {
            roots.push("app2".to_string());
        }
        Case {
            name: name.to_string(),
            files,
            roots,
        }
    }
}
