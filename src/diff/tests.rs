#![allow(clippy::unwrap_used)]

use std::path::Path;

use super::render::{self, UnifiedOptions};
use super::*;
use crate::model::Resource;

fn res(text: &str) -> Vec<Resource> {
    let loader = crate::load::Loader::new();
    let loaded = loader
        .load_text(Path::new("test.yaml"), text.to_string())
        .unwrap();
    crate::load::resources_from_docs(&loaded.docs).unwrap()
}

fn kinds(changes: &[ObjectChange]) -> Vec<(ChangeKind, String)> {
    changes
        .iter()
        .map(|c| (c.change, c.key().to_string()))
        .collect()
}

const DEPLOY: &str = "apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
  namespace: prod
  labels: {app: web}
spec:
  replicas: 2
  selector: {matchLabels: {app: web}}
  template:
    metadata: {labels: {app: web}}
    spec:
      containers:
      - name: web
        image: nginx:1.25
        ports: [{containerPort: 80}]
";

#[test]
fn identical_lists_are_unchanged() {
    let a = res(DEPLOY);
    let changes = compare(&a, &a);
    assert_eq!(
        kinds(&changes),
        [(ChangeKind::Unchanged, "Deployment prod/web".into())]
    );
    assert!(!has_changes(&changes));
    assert_eq!(render::unified(&changes, &UnifiedOptions::default()), "");
}

#[test]
fn key_order_does_not_matter() {
    let a = res("kind: ConfigMap\napiVersion: v1\nmetadata: {name: a}\ndata: {x: '1', y: '2'}\n");
    let b = res("apiVersion: v1\nkind: ConfigMap\ndata: {y: '2', x: '1'}\nmetadata: {name: a}\n");
    assert_eq!(compare(&a, &b)[0].change, ChangeKind::Unchanged);
}

#[test]
fn a_changed_object_gets_a_unified_diff_with_kubectl_header() {
    let a = res(DEPLOY);
    let b = res(&DEPLOY
        .replace("nginx:1.25", "nginx:1.27")
        .replace("replicas: 2", "replicas: 3"));
    let changes = compare(&a, &b);
    assert_eq!(
        kinds(&changes),
        [(ChangeKind::Changed, "Deployment prod/web".into())]
    );
    let text = render::unified(&changes, &UnifiedOptions::default());
    assert!(text.starts_with(
        "diff -u -N old/apps.v1.Deployment.prod.web new/apps.v1.Deployment.prod.web\n\
         --- old/apps.v1.Deployment.prod.web\n+++ new/apps.v1.Deployment.prod.web\n@@ "
    ));
    assert!(
        text.contains("\n-  replicas: 2\n+  replicas: 3\n"),
        "{text}"
    );
    assert!(
        text.contains("\n-      - image: nginx:1.25\n+      - image: nginx:1.27\n"),
        "{text}"
    );
    assert_eq!(changes[0].line_counts(), (2, 2));
}

#[test]
fn api_version_is_not_identity() {
    let a = res("apiVersion: autoscaling/v2beta2\nkind: HorizontalPodAutoscaler\nmetadata: {name: web}\nspec: {maxReplicas: 3}\n");
    let b = res("apiVersion: autoscaling/v2\nkind: HorizontalPodAutoscaler\nmetadata: {name: web}\nspec: {maxReplicas: 3}\n");
    let changes = compare(&a, &b);
    assert_eq!(
        kinds(&changes),
        [(ChangeKind::Changed, "HorizontalPodAutoscaler web".into())]
    );
    let text = render::unified(&changes, &UnifiedOptions::default());
    assert!(text.starts_with(
        "diff -u -N old/autoscaling.v2beta2.HorizontalPodAutoscaler..web new/autoscaling.v2.HorizontalPodAutoscaler..web\n"
    ), "{text}");
    assert!(text.contains("-apiVersion: autoscaling/v2beta2\n+apiVersion: autoscaling/v2\n"));
}

#[test]
fn group_is_identity() {
    let a = res("apiVersion: a.example.com/v1\nkind: Thing\nmetadata: {name: x}\n");
    let b = res("apiVersion: b.example.com/v1\nkind: Thing\nmetadata: {name: x}\n");
    let k = kinds(&compare(&a, &b));
    // Same content under another group is never a rename: groups are different APIs.
    assert_eq!(
        k,
        [
            (ChangeKind::Removed, "Thing x".into()),
            (ChangeKind::Added, "Thing x".into())
        ]
    );
}

#[test]
fn unset_namespace_pairs_with_default() {
    let a = res("apiVersion: v1\nkind: ConfigMap\nmetadata: {name: a}\ndata: {x: '1'}\n");
    let b = res("apiVersion: v1\nkind: ConfigMap\nmetadata: {name: a, namespace: default}\ndata: {x: '1'}\n");
    assert_eq!(
        kinds(&compare(&a, &b)),
        [(ChangeKind::Changed, "ConfigMap default/a".into())]
    );
}

#[test]
fn added_and_removed_objects_diff_against_nothing() {
    let a = res("apiVersion: v1\nkind: ServiceAccount\nmetadata: {name: old-sa, namespace: prod}\nautomountServiceAccountToken: false\n");
    let b = res("apiVersion: v1\nkind: Service\nmetadata: {name: api, namespace: prod}\nspec:\n  ports: [{port: 80}]\n");
    let changes = compare(&a, &b);
    assert_eq!(
        kinds(&changes),
        [
            (ChangeKind::Added, "Service prod/api".into()),
            (ChangeKind::Removed, "ServiceAccount prod/old-sa".into())
        ]
    );
    let text = render::unified(&changes, &UnifiedOptions::default());
    let expected = "diff -u -N old/v1.Service.prod.api new/v1.Service.prod.api
--- old/v1.Service.prod.api
+++ new/v1.Service.prod.api
@@ -0,0 +1,8 @@
+apiVersion: v1
+kind: Service
+metadata:
+  name: api
+  namespace: prod
+spec:
+  ports:
+  - port: 80
diff -u -N old/v1.ServiceAccount.prod.old-sa new/v1.ServiceAccount.prod.old-sa
--- old/v1.ServiceAccount.prod.old-sa
+++ new/v1.ServiceAccount.prod.old-sa
@@ -1,6 +0,0 @@
-apiVersion: v1
-automountServiceAccountToken: false
-kind: ServiceAccount
-metadata:
-  name: old-sa
-  namespace: prod
";
    assert_eq!(text, expected);
}

#[test]
fn generator_hash_change_is_a_rename_even_when_all_content_changed() {
    let a = res("apiVersion: v1\nkind: ConfigMap\nmetadata: {name: app-config-2c8d5f9g7b, namespace: prod}\ndata: {LOG_LEVEL: info}\n");
    let b = res("apiVersion: v1\nkind: ConfigMap\nmetadata: {name: app-config-7h4k6b2m9t, namespace: prod}\ndata: {LOG_LEVEL: debug}\n");
    let changes = compare(&a, &b);
    assert_eq!(
        kinds(&changes),
        [(
            ChangeKind::Renamed,
            "ConfigMap prod/app-config-7h4k6b2m9t".into()
        )]
    );
    let text = render::unified(&changes, &UnifiedOptions::default());
    assert!(text.starts_with("diff -u -N old/v1.ConfigMap.prod.app-config-2c8d5f9g7b new/v1.ConfigMap.prod.app-config-7h4k6b2m9t\n"));
    assert!(
        text.contains("-  LOG_LEVEL: info\n+  LOG_LEVEL: debug\n"),
        "{text}"
    );
    assert!(text.contains("-  name: app-config-2c8d5f9g7b\n+  name: app-config-7h4k6b2m9t\n"));
    // In another namespace, the generator rule does not apply (and the content is unlike).
    let c = res("apiVersion: v1\nkind: ConfigMap\nmetadata: {name: app-config-7h4k6b2m9t, namespace: dev}\ndata: {LOG_LEVEL: debug}\n");
    assert_eq!(compare(&a, &c).len(), 2);
}

#[test]
fn generator_stem() {
    use matching::generator_stem;
    assert_eq!(generator_stem("app-config-2c8d5f9g7b"), Some("app-config"));
    assert_eq!(generator_stem("app-config-2c8d5f9g7a"), None); // `a` is never in a hash
    assert_eq!(generator_stem("app-config-2c8d5f9g7"), None);
    assert_eq!(generator_stem("-2c8d5f9g7b"), None);
    assert_eq!(generator_stem("web"), None);
}

#[test]
fn renamed_and_moved_objects_with_similar_content_pair() {
    let a = res(DEPLOY);
    // Renamed (a namePrefix) with the image changed.
    let b = res(&DEPLOY
        .replace("name: web\n  namespace", "name: shop-web\n  namespace")
        .replace("1.25", "1.26"));
    let changes = compare(&a, &b);
    assert_eq!(
        kinds(&changes),
        [(ChangeKind::Renamed, "Deployment prod/shop-web".into())]
    );
    let s = changes[0].similarity.unwrap();
    assert!(s > 0.8 && s < 1.0, "{s}");
    // Moved to another namespace, content identical.
    let c = res(&DEPLOY.replace("namespace: prod", "namespace: staging"));
    let changes = compare(&a, &c);
    assert_eq!(
        kinds(&changes),
        [(ChangeKind::Renamed, "Deployment staging/web".into())]
    );
    assert_eq!(changes[0].similarity, Some(1.0));
    assert!(render::summary(&changes)
        .starts_with("renamed  Deployment prod/web -> staging/web (100% alike, +1 -1)\n"));
}

#[test]
fn unrelated_objects_of_one_kind_do_not_pair() {
    let a = res("apiVersion: v1\nkind: ConfigMap\nmetadata: {name: a, labels: {team: x}}\ndata: {one: '1'}\n");
    let b = res("apiVersion: v1\nkind: ConfigMap\nmetadata: {name: b, labels: {team: x}}\ndata: {two: '2'}\n");
    // One shared label line of two value lines each: 0.5, under the threshold.
    assert!((matching::similarity(&a[0], &b[0]) - 0.5).abs() < 1e-9);
    assert_eq!(
        kinds(&compare(&a, &b)),
        [
            (ChangeKind::Removed, "ConfigMap a".into()),
            (ChangeKind::Added, "ConfigMap b".into())
        ]
    );
    // Off, nothing pairs.
    let opts = Options {
        detect_renames: false,
        ..Options::default()
    };
    let d = res(&DEPLOY.replace("namespace: prod", "namespace: staging"));
    assert_eq!(compare_with(&res(DEPLOY), &d, &opts).len(), 2);
}

#[test]
fn best_pairs_win() {
    // Two removed and two added, each added one closest to a different removed one.
    let cm = |name: &str, data: &str| {
        format!(
            "apiVersion: v1\nkind: ConfigMap\nmetadata: {{name: {name}}}\ndata: {{{data}}}\n---\n"
        )
    };
    let a =
        res(&(cm("a", "p: '1', q: '2', r: '3', s: '4'")
            + &cm("b", "w: '1', x: '2', y: '3', z: '4'")));
    let b =
        res(&(cm("b2", "w: '1', x: '2', y: '3', z: '5'")
            + &cm("a2", "p: '1', q: '2', r: '3', s: '5'")));
    let changes = compare(&a, &b);
    let pairs: Vec<(String, String)> = changes
        .iter()
        .map(|c| {
            (
                c.old.as_ref().unwrap().key.name.clone(),
                c.new.as_ref().unwrap().key.name.clone(),
            )
        })
        .collect();
    assert_eq!(
        pairs,
        [
            ("a".to_string(), "a2".to_string()),
            ("b".to_string(), "b2".to_string())
        ]
    );
    assert!(changes.iter().all(|c| c.change == ChangeKind::Renamed));
}

#[test]
fn duplicates_pair_in_order() {
    let one = "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: a}\ndata: {x: '1'}\n";
    let a = res(&format!("{one}---\n{one}"));
    let b = res(one);
    let k = kinds(&compare(&a, &b));
    assert_eq!(k.len(), 2);
    assert!(k.contains(&(ChangeKind::Unchanged, "ConfigMap a".into())));
    assert!(k.contains(&(ChangeKind::Removed, "ConfigMap a".into())));
}

const SECRET_OLD: &str = "apiVersion: v1
kind: Secret
metadata: {name: db, namespace: prod}
data: {password: b2xk, user: YWRtaW4=, gone: eA==}
stringData: {token: abc}
";
const SECRET_NEW: &str = "apiVersion: v1
kind: Secret
metadata: {name: db, namespace: prod}
data: {password: bmV3, user: YWRtaW4=, fresh: eQ==}
stringData: {token: abc}
";

#[test]
fn secret_values_are_masked_like_kubectl() {
    let changes = compare(&res(SECRET_OLD), &res(SECRET_NEW));
    assert_eq!(changes[0].change, ChangeKind::Changed);
    let text = render::unified(&changes, &UnifiedOptions::default());
    for secret in ["b2xk", "bmV3", "YWRtaW4=", "eA==", "eQ==", "abc"] {
        assert!(!text.contains(secret), "{secret} leaked:\n{text}");
    }
    assert_eq!(
        changes[0].old_text(),
        "apiVersion: v1\ndata:\n  gone: '***'\n  password: '*** (before)'\n  user: '***'\nkind: Secret\nmetadata:\n  name: db\n  namespace: prod\nstringData:\n  token: '***'\n"
    );
    assert_eq!(
        changes[0].new_text(),
        "apiVersion: v1\ndata:\n  fresh: '***'\n  password: '*** (after)'\n  user: '***'\nkind: Secret\nmetadata:\n  name: db\n  namespace: prod\nstringData:\n  token: '***'\n"
    );
    // Only a value changed: the change is still seen (and shown masked).
    let c = compare(
        &res(SECRET_OLD),
        &res(&SECRET_OLD.replace("token: abc", "token: abd")),
    );
    assert_eq!(c[0].change, ChangeKind::Changed);
    assert!(render::unified(&c, &UnifiedOptions::default())
        .contains("-  token: '*** (before)'\n+  token: '*** (after)'\n"));
    // Added and removed Secrets are masked too; JSON and Markdown show the same text.
    let added = compare(&[], &res(SECRET_NEW));
    let all = format!(
        "{}{}{}",
        render::unified(&added, &UnifiedOptions::default()),
        render::markdown(&added, "t"),
        render::json(&added)
    );
    assert!(!all.contains("bmV3") && all.contains("'***'"), "{all}");
    // Not masked when asked not to.
    let opts = Options {
        mask_secrets: false,
        ..Options::default()
    };
    assert!(compare_with(&[], &res(SECRET_NEW), &opts)[0]
        .new_text()
        .contains("bmV3"));
}

#[test]
fn secret_generator_rename_is_masked_with_before_and_after() {
    let a = res("apiVersion: v1\nkind: Secret\nmetadata: {name: creds-2c8d5f9g7b}\ntype: Opaque\ndata: {key: b2xk}\n");
    let b = res("apiVersion: v1\nkind: Secret\nmetadata: {name: creds-7h4k6b2m9t}\ntype: Opaque\ndata: {key: bmV3}\n");
    let changes = compare(&a, &b);
    assert_eq!(changes[0].change, ChangeKind::Renamed);
    let text = render::unified(&changes, &UnifiedOptions::default());
    assert!(
        text.contains("-  key: '*** (before)'\n+  key: '*** (after)'\n"),
        "{text}"
    );
}

#[test]
fn a_non_core_secret_kind_is_not_masked() {
    let a = res("apiVersion: example.com/v1\nkind: Secret\nmetadata: {name: s}\ndata: {k: v}\n");
    assert!(compare(&[], &a)[0].new_text().contains("k: v"));
}

#[test]
fn live_normalisation_drops_server_fields() {
    let mut live = serde_json::json!({
        "apiVersion": "v1", "kind": "ConfigMap",
        "metadata": {
            "name": "a", "namespace": "prod", "uid": "123", "resourceVersion": "9",
            "generation": 2, "creationTimestamp": "2026-01-01T00:00:00Z",
            "managedFields": [{"manager": "kubectl"}],
            "annotations": {"kubectl.kubernetes.io/last-applied-configuration": "{}"},
            "labels": {"app": "a"}
        },
        "data": {"x": "1"},
        "status": {"phase": "Active"}
    });
    let mut node = resource_from_json(&live).node;
    normalize_live(&mut node);
    normalize_live_json(&mut live);
    assert_eq!(
        live,
        serde_json::json!({
            "apiVersion": "v1", "kind": "ConfigMap",
            "metadata": {"name": "a", "namespace": "prod", "labels": {"app": "a"}},
            "data": {"x": "1"}
        })
    );
    let rendered = res("apiVersion: v1\nkind: ConfigMap\nmetadata: {name: a, namespace: prod, labels: {app: a}}\ndata: {x: '1'}\n");
    let live = Resource::new(node);
    assert_eq!(compare(&[live], &rendered)[0].change, ChangeKind::Unchanged);
    // Not a mapping: left alone.
    let mut v = serde_json::json!([1]);
    normalize_live_json(&mut v);
    assert_eq!(v, serde_json::json!([1]));
}

#[test]
fn markdown_has_counts_and_collapsible_diffs() {
    let a = res(DEPLOY);
    let b = res(&DEPLOY.replace("replicas: 2", "replicas: 3"));
    let md = render::markdown(&compare(&a, &b), "kit diff");
    assert!(
        md.starts_with("### kit diff\n\n**1 changed**\n\n| Change | Objects |\n"),
        "{md}"
    );
    assert!(md.contains("| Changed | 1 |\n"));
    assert!(md.contains("<details>\n<summary>changed <code>Deployment prod/web</code> (+1 -1)</summary>\n\n```diff\n@@ "), "{md}");
    assert!(md.contains("-  replicas: 2\n+  replicas: 3\n"));
    let none = render::markdown(&compare(&a, &a), "kit diff");
    assert_eq!(none, "### kit diff\n\nNo changes (1 object).\n");
}

#[test]
fn markdown_fences_outlast_backticks_in_values() {
    let a = res("apiVersion: v1\nkind: ConfigMap\nmetadata: {name: a}\ndata:\n  README.md: |\n    ```\n    x\n    ```\n");
    let md = render::markdown(&compare(&[], &a), "t");
    // The content's lines are indented, so a plain fence is safe; a line starting with
    // backticks after the diff sign gets a longer fence.
    assert!(md.contains("```diff\n"));
    assert_eq!(
        render::hunks("```\n", "````\n", 3, false),
        "@@ -1 +1 @@\n-```\n+````\n"
    );
}

#[test]
fn colors_when_asked() {
    let a = res(DEPLOY);
    let b = res(&DEPLOY.replace("replicas: 2", "replicas: 3"));
    let opts = UnifiedOptions {
        color: true,
        ..UnifiedOptions::default()
    };
    let text = render::unified(&compare(&a, &b), &opts);
    assert!(text.contains("\x1b[31m-  replicas: 2\x1b[0m\n\x1b[32m+  replicas: 3\x1b[0m\n"));
    assert!(text.contains("\x1b[36m@@ "));
}

#[test]
fn json_lists_changes() {
    let a = res(SECRET_OLD);
    let b = res(&SECRET_NEW.replace("name: db", "name: db2"));
    let v = render::json(&compare(&a, &b));
    assert_eq!(v["summary"]["renamed"], 1);
    assert_eq!(v["changes"][0]["change"], "renamed");
    assert_eq!(v["changes"][0]["old"]["name"], "db");
    assert_eq!(v["changes"][0]["new"]["name"], "db2");
    assert!(v["changes"][0]["similarity"].as_f64().unwrap() >= RENAME_THRESHOLD);
}

#[test]
fn dice_measure() {
    assert_eq!(matching::dice_of_texts("a: 1\nb: 2\n", "a: 1\nb: 2\n"), 1.0);
    assert_eq!(matching::dice_of_texts("a: 1\nb: 2\n", "a: 1\nb: 3\n"), 0.5);
    // Block openers and apiVersion/kind are not value lines.
    assert_eq!(
        matching::dice_of_texts("spec:\n  a: 1\n", "data:\n  a: 1\n"),
        1.0
    );
    assert_eq!(
        matching::dice_of_texts("kind: A\nx: 1\n", "kind: B\nx: 2\n"),
        0.0
    );
}

#[test]
fn file_names_follow_kubectl() {
    let o = |api: &str, group: &str, kind: &str, ns: &str| Object {
        key: ObjectKey {
            group: group.into(),
            kind: kind.into(),
            namespace: ns.into(),
            name: "n".into(),
        },
        api_version: api.into(),
        text: String::new(),
        index: 0,
    };
    assert_eq!(
        o("apps/v1", "apps", "Deployment", "p").file_name(),
        "apps.v1.Deployment.p.n"
    );
    assert_eq!(
        o("v1", "", "ConfigMap", "p").file_name(),
        "v1.ConfigMap.p.n"
    );
    assert_eq!(
        o(
            "rbac.authorization.k8s.io/v1",
            "rbac.authorization.k8s.io",
            "ClusterRole",
            ""
        )
        .file_name(),
        "rbac.authorization.k8s.io.v1.ClusterRole..n"
    );
}
