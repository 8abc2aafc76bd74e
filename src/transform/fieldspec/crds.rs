//! The kustomization `crds:` field: OpenAPI definitions (as `openapi-gen` writes them, keyed by
//! Go type name) whose `x-kubernetes-*` property extensions tell kustomize where custom
//! resources hold annotations, label selectors, their own name, or names of other objects.

use super::config::{NameBackRef, TransformerConfig};
use super::FieldSpec;
use crate::diag::{Diag, Result};
use crate::model::{Gvk, Node, Value};

/// Property extensions kustomize reads (names compare case-insensitively, values must be
/// strings for the extension to count).
const X_ANNOTATION: &str = "x-kubernetes-annotation";
const X_LABEL_SELECTOR: &str = "x-kubernetes-label-selector";
const X_IDENTITY: &str = "x-kubernetes-identity";
const X_REF_VERSION: &str = "x-kubernetes-object-ref-api-version";
const X_REF_KIND: &str = "x-kubernetes-object-ref-kind";
const X_REF_NAME_KEY: &str = "x-kubernetes-object-ref-name-key";

/// Builds the transformer configuration a `crds:` file adds (kustomize's
/// `LoadConfigFromCRDs` for one file). `doc` is the file's one document.
pub fn config_from_definitions(doc: &Node) -> Result<TransformerConfig> {
    let Some(definitions) = doc.as_map() else {
        return Err(Diag::error(
            "kit::crds::not-a-mapping",
            "unable to parse open API definition: expected a mapping of type names to definitions",
        )
        .at(doc.origin)
        .help("a `crds:` file holds OpenAPI definitions keyed by type name (`{\"example.com/v1.MyKind\": {\"Schema\": {...}}}`), as openapi-gen writes them"));
    };
    let mut result = TransformerConfig::default();
    for (type_name, definition) in definitions {
        let Some(properties) = properties_of(definition) else {
            continue;
        };
        let looks_like_object = ["kind", "apiVersion", "metadata"]
            .iter()
            .all(|k| properties.iter().any(|(p, _)| p == k));
        if !looks_like_object {
            continue;
        }
        // The kind is the Go type name's last dot-separated part; group and version are
        // left empty, as kustomize does.
        let kind = type_name.rsplit('.').next().unwrap_or(type_name);
        let gvk = Gvk {
            kind: kind.to_string(),
            ..Gvk::default()
        };
        let mut one = TransformerConfig::default();
        let mut visiting = vec![type_name.clone()];
        load_type(&mut one, &gvk, definitions, type_name, &[], &mut visiting)?;
        result.merge(&one).map_err(|d| d.at(definition.origin))?;
    }
    Ok(result)
}

/// A definition's `Schema.properties` (keys match case-insensitively, as Go's JSON decoding).
fn properties_of(definition: &Node) -> Option<&[(String, Node)]> {
    let schema = get_ci(definition, "schema")?;
    schema
        .as_map()?
        .iter()
        .find(|(k, _)| k == "properties")
        .and_then(|(_, v)| v.as_map())
        .map(Vec::as_slice)
}

fn get_ci<'a>(node: &'a Node, key: &str) -> Option<&'a Node> {
    node.as_map()?
        .iter()
        .find(|(k, _)| k.eq_ignore_ascii_case(key))
        .map(|(_, v)| v)
}

/// A string-valued extension of a property, if present.
fn extension<'a>(property: &'a Node, name: &str) -> Option<&'a str> {
    get_ci(property, name).and_then(|v| match &v.value {
        Value::Str(s) => Some(s.as_str()),
        _ => None,
    })
}

fn spec(gvk: &Gvk, path: &[String]) -> FieldSpec {
    FieldSpec {
        group: gvk.group.clone(),
        version: gvk.version.clone(),
        kind: gvk.kind.clone(),
        path: path.to_vec(),
        create: false,
        origin: None,
    }
}

fn load_type(
    config: &mut TransformerConfig,
    gvk: &Gvk,
    definitions: &[(String, Node)],
    type_name: &str,
    path: &[String],
    visiting: &mut Vec<String>,
) -> Result<()> {
    let Some(properties) = definitions
        .iter()
        .find(|(name, _)| name == type_name)
        .and_then(|(_, d)| properties_of(d))
    else {
        return Ok(());
    };
    for (name, property) in properties {
        let mut here = path.to_vec();
        here.push(name.clone());
        if extension(property, X_ANNOTATION).is_some() {
            merge_one(&mut config.common_annotations, spec(gvk, &here), property)?;
        }
        if extension(property, X_LABEL_SELECTOR).is_some() {
            merge_one(&mut config.common_labels, spec(gvk, &here), property)?;
        }
        if extension(property, X_IDENTITY).is_some() {
            merge_one(&mut config.name_prefix, spec(gvk, &here), property)?;
        }
        if let (Some(version), Some(kind)) = (
            extension(property, X_REF_VERSION),
            extension(property, X_REF_KIND),
        ) {
            let name_key = extension(property, X_REF_NAME_KEY).unwrap_or("name");
            let mut referrer = here.clone();
            referrer.push(name_key.to_string());
            let backref = NameBackRef {
                target: Gvk {
                    group: String::new(),
                    version: version.to_string(),
                    kind: kind.to_string(),
                },
                referrers: vec![spec(gvk, &referrer)],
            };
            let more = TransformerConfig {
                name_reference: vec![backref],
                ..TransformerConfig::default()
            };
            config.merge(&more).map_err(|d| d.at(property.origin))?;
        }
        if let Some(reference) = property.get("$ref").and_then(Node::as_str) {
            // kustomize recurses without end on a type that contains itself; kit stops.
            if visiting.iter().any(|v| v == reference) {
                continue;
            }
            visiting.push(reference.to_string());
            load_type(config, gvk, definitions, reference, &here, visiting)?;
            visiting.pop();
        }
    }
    Ok(())
}

fn merge_one(into: &mut Vec<FieldSpec>, spec: FieldSpec, property: &Node) -> Result<()> {
    super::merge_all(into, std::slice::from_ref(&spec)).map_err(|d| d.at(property.origin))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::source::{FileId, SourceFile};

    fn parse(text: &str) -> Node {
        let file = SourceFile::new("crd.json".into(), "crd.json".into(), text);
        let mut docs = crate::load::yaml::parse_documents(&file, FileId(0)).unwrap_or_default();
        docs.pop().unwrap_or_else(|| Node::map(None))
    }

    #[test]
    fn reads_extensions_through_refs() {
        let doc = parse(
            r#"{
  "x.io/v1.MyKind": {"Schema": {"properties": {
    "apiVersion": {}, "kind": {}, "metadata": {},
    "spec": {"$ref": "x.io/v1.MyKindSpec"}}}},
  "x.io/v1.MyKindSpec": {"Schema": {"properties": {
    "secretRef": {"x-kubernetes-object-ref-api-version": "v1", "x-kubernetes-object-ref-kind": "Secret"},
    "selector": {"x-kubernetes-label-selector": ""},
    "notes": {"x-kubernetes-annotation": true},
    "self": {"$ref": "x.io/v1.MyKindSpec"}}}}
}"#,
        );
        let config = config_from_definitions(&doc).unwrap_or_default();
        let secret = config
            .name_reference
            .iter()
            .find(|b| b.target.kind == "Secret")
            .map(|b| b.referrers[0].path_string());
        assert_eq!(secret.as_deref(), Some("spec/secretRef/name"));
        assert_eq!(config.common_labels.len(), 1);
        assert_eq!(config.common_labels[0].kind, "MyKind");
        // A non-string extension value does not count, as in kustomize.
        assert!(config.common_annotations.is_empty());
    }

    #[test]
    fn refuses_a_list() {
        assert!(config_from_definitions(&parse("[1, 2]")).is_err());
    }
}
