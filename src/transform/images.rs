//! `images`: rewrite container image names, tags and digests.
//!
//! As kustomize does, this runs twice per entry: once over every `containers` and
//! `initContainers` list anywhere in a resource, then over the `images` field specs.

use regex::Regex;

use super::fieldspec::FieldSpec;
use super::Resources;
use crate::diag::{Diag, Result};
use crate::model::{Node, Value};
use crate::source::Origin;

#[derive(Clone, Debug, Default)]
pub struct ImageSpec {
    pub name: String,
    pub new_name: String,
    pub new_tag: String,
    pub digest: String,
    pub tag_suffix: String,
    pub origin: Option<Origin>,
}

pub fn apply(resources: &mut Resources, image: &ImageSpec, specs: &[FieldSpec]) -> Result<()> {
    // kustomize compiles the name into a regular expression as written.
    let pattern = format!(
        "^{}(:[a-zA-Z0-9_.{{}}-]*)?(@[a-zA-Z0-9]+([.+_-][a-zA-Z0-9]+)*:[a-zA-Z0-9_.{{}}-]*)?$",
        image.name
    );
    let Ok(matcher) = Regex::new(&pattern) else {
        return Ok(()); // an invalid pattern matches nothing, as in kustomize
    };
    for res in resources.iter_mut() {
        if res.kind() == "CustomResourceDefinition" {
            continue;
        }
        walk_containers(&mut res.node, &mut |container| {
            if let Some(img) = container.get_mut("image") {
                update(img, image, &matcher)?;
            }
            Ok(())
        })?;
        let gvk = res.gvk();
        for spec in specs.iter().filter(|s| s.matches(&gvk)) {
            spec.apply(&mut res.node, None, image.origin, &mut |n| {
                update(n, image, &matcher)
            })?;
        }
    }
    Ok(())
}

/// Visits every element of every `containers`/`initContainers` list, at any depth.
fn walk_containers(node: &mut Node, f: &mut dyn FnMut(&mut Node) -> Result<()>) -> Result<()> {
    match &mut node.value {
        Value::Map(m) => {
            for (key, value) in m.iter_mut() {
                walk_containers(value, f)?;
                if key == "containers" || key == "initContainers" {
                    if let Value::Seq(items) = &mut value.value {
                        for item in items.iter_mut() {
                            f(item)?;
                        }
                    }
                }
            }
        }
        Value::Seq(items) => {
            for item in items.iter_mut() {
                walk_containers(item, f)?;
            }
        }
        _ => {}
    }
    Ok(())
}

fn update(node: &mut Node, image: &ImageSpec, matcher: &Regex) -> Result<()> {
    let value = match &node.value {
        Value::Map(_) | Value::Seq(_) => {
            return Err(
                Diag::error("kit::transform::image", "an image field must be a string")
                    .at(node.origin),
            )
        }
        _ => node.scalar_text().unwrap_or_default(),
    };
    if !matcher.is_match(&value) {
        return Ok(());
    }
    let (mut name, mut tag, mut digest) = split_image(&value);
    if !image.new_name.is_empty() {
        name = image.new_name.clone();
    }
    if !image.new_tag.is_empty() && !image.digest.is_empty() {
        tag = image.new_tag.clone();
        digest = image.digest.clone();
    } else if !image.new_tag.is_empty() {
        tag = image.new_tag.clone();
        digest.clear();
    } else if !image.digest.is_empty() {
        tag.clear();
        digest = image.digest.clone();
    } else if !image.tag_suffix.is_empty() {
        tag.push_str(&image.tag_suffix);
        digest.clear();
    }
    if !tag.is_empty() {
        name = format!("{name}:{tag}");
    }
    if !digest.is_empty() {
        name = format!("{name}@{digest}");
    }
    *node = Node::str(name, image.origin.or(node.origin));
    Ok(())
}

/// Splits `registry:port/name:tag@digest` into name, tag and digest (kustomize's rules:
/// a `:` before the first `/` belongs to the registry).
pub fn split_image(image: &str) -> (String, String, String) {
    let slash = match image.find('/') {
        Some(i) if i > 0 => i,
        _ => 0,
    };
    let search = &image[slash..];
    let at = search.find('@');
    let colon = search.find(':');
    match (at, colon) {
        (None, None) => (image.to_string(), String::new(), String::new()),
        (Some(a), c) if c.is_none_or(|c| a < c) => {
            let a = a + slash;
            (
                image[..a].to_string(),
                String::new(),
                image[a + 1..].to_string(),
            )
        }
        (Some(a), Some(c)) => {
            let (a, c) = (a + slash, c + slash);
            (
                image[..c].to_string(),
                image[c + 1..a].to_string(),
                image[a + 1..].to_string(),
            )
        }
        (None, Some(c)) => {
            let c = c + slash;
            (
                image[..c].to_string(),
                image[c + 1..].to_string(),
                String::new(),
            )
        }
        (Some(_), None) => (image.to_string(), String::new(), String::new()),
    }
}

#[cfg(test)]
mod tests {
    use super::split_image;

    #[test]
    fn splits_like_kustomize() {
        let s = |i: &str| split_image(i);
        assert_eq!(s("nginx"), ("nginx".into(), "".into(), "".into()));
        assert_eq!(s("nginx:1.2"), ("nginx".into(), "1.2".into(), "".into()));
        assert_eq!(
            s("reg:5000/a/b:1@sha256:ab"),
            ("reg:5000/a/b".into(), "1".into(), "sha256:ab".into())
        );
        assert_eq!(
            s("a/b@sha256:ab"),
            ("a/b".into(), "".into(), "sha256:ab".into())
        );
    }
}
