//! Look-ups across the render for cross-resource rules, built once per lint run so that a
//! rule asking "which pods does this selector select" costs a few hash look-ups rather than
//! a scan of every object (a render of 10,000 objects would otherwise take quadratic time).

use std::collections::HashMap;

use super::workload::{selector_matches, string_map, Object};
use crate::model::Node;

/// Objects by kind and namespace, workloads by namespace and by pod label, Services by
/// selector label.
pub struct Index<'a> {
    by_kind: HashMap<(&'a str, &'a str), Vec<usize>>,
    workloads: HashMap<&'a str, Vec<usize>>,
    /// Pod template labels of each object (empty for non-workloads).
    pod_labels: Vec<Vec<(&'a str, String)>>,
    /// (namespace, label key, value) → workloads whose pod template carries that label.
    by_pod_label: HashMap<(&'a str, &'a str, String), Vec<usize>>,
    /// (namespace, key, value) → Services whose selector requires that label.
    services_by_selector_label: HashMap<(&'a str, &'a str, String), Vec<usize>>,
}

const NO_OBJECTS: &[usize] = &[];

impl<'a> Index<'a> {
    pub fn new(objects: &[Object<'a>]) -> Self {
        let mut index = Index {
            by_kind: HashMap::new(),
            workloads: HashMap::new(),
            pod_labels: Vec::with_capacity(objects.len()),
            by_pod_label: HashMap::new(),
            services_by_selector_label: HashMap::new(),
        };
        for (i, o) in objects.iter().enumerate() {
            index
                .by_kind
                .entry((o.kind, o.namespace))
                .or_default()
                .push(i);
            let labels = if o.is_workload() {
                index.workloads.entry(o.namespace).or_default().push(i);
                o.pod_labels()
            } else {
                Vec::new()
            };
            for (k, v) in &labels {
                index
                    .by_pod_label
                    .entry((o.namespace, *k, v.clone()))
                    .or_default()
                    .push(i);
            }
            index.pod_labels.push(labels);
            if o.kind == "Service" {
                if let Some(selector) = o.get(&["spec", "selector"]) {
                    for (k, v) in string_map(selector) {
                        index
                            .services_by_selector_label
                            .entry((o.namespace, k, v))
                            .or_default()
                            .push(i);
                    }
                }
            }
        }
        index
    }

    /// Indices of the objects of `kind` in `namespace`, in render order.
    pub fn of_kind<'s>(&'s self, kind: &'s str, namespace: &'s str) -> &'s [usize] {
        // The keys borrow from the render ('a); looking up with shorter-lived strings is
        // fine through the map's covariance.
        let map: &HashMap<(&'s str, &'s str), Vec<usize>> = &self.by_kind;
        map.get(&(kind, namespace))
            .map_or(NO_OBJECTS, Vec::as_slice)
    }

    /// Indices of the workloads in `namespace`, in render order.
    pub fn workloads<'s>(&'s self, namespace: &'s str) -> &'s [usize] {
        let map: &HashMap<&'s str, Vec<usize>> = &self.workloads;
        map.get(namespace).map_or(NO_OBJECTS, Vec::as_slice)
    }

    pub fn pod_labels(&self, i: usize) -> &[(&'a str, String)] {
        self.pod_labels.get(i).map_or(&[], Vec::as_slice)
    }

    /// Workloads in `namespace` whose pod labels `selector` selects (a Service's plain map
    /// or a label selector with matchLabels/matchExpressions), in render order. Starts from
    /// the rarest required label when the selector has any.
    pub fn workloads_selected<'s>(&'s self, namespace: &'s str, selector: &'s Node) -> Vec<usize> {
        let by_label: &HashMap<(&'s str, &'s str, String), Vec<usize>> = &self.by_pod_label;
        let required = match selector.get("matchLabels") {
            Some(m) => string_map(m),
            None if selector.get("matchExpressions").is_some() => Vec::new(),
            None => string_map(selector),
        };
        let candidates = required
            .iter()
            .map(|(k, v)| {
                by_label
                    .get(&(namespace, *k, v.clone()))
                    .map_or(NO_OBJECTS, Vec::as_slice)
            })
            .min_by_key(|c| c.len())
            .unwrap_or_else(|| self.workloads(namespace));
        candidates
            .iter()
            .copied()
            .filter(|&i| selector_matches(selector, self.pod_labels(i)))
            .collect()
    }

    /// Services in `namespace` whose selector could select pods labelled `labels` (every
    /// Service requiring one of these labels), in render order; callers check the match.
    pub fn services_requiring_any<'s>(
        &'s self,
        namespace: &'s str,
        labels: &[(&'s str, String)],
    ) -> Vec<usize> {
        let map: &HashMap<(&'s str, &'s str, String), Vec<usize>> =
            &self.services_by_selector_label;
        let mut out: Vec<usize> = labels
            .iter()
            .filter_map(|(k, v)| map.get(&(namespace, *k, v.clone())))
            .flatten()
            .copied()
            .collect();
        out.sort_unstable();
        out.dedup();
        out
    }
}
