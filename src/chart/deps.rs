//! Dependencies as Helm resolves them before rendering: subcharts matched to `Chart.yaml`'s
//! `dependencies` (by name and version range), renamed by `alias`, dropped when a `condition`
//! or `tags` turn them off, and `import-values` copied from child to parent.

use serde_json::{Map, Value};

use super::semver;
use super::values::{self, Warnings};
use super::{Chart, HelmVersion};
use crate::diag::{Diag, Result};
use crate::source::display_path;

/// Resolves `chart`'s dependency tree in place against the user's values (Helm's
/// `ProcessDependencies`), then names templates after the resulting tree.
pub fn process(
    chart: &mut Chart,
    user: &Map<String, Value>,
    helm: HelmVersion,
    warnings: &mut Warnings,
) -> Result<()> {
    fresh_import_flags(chart);
    let copies = helm.spec().aliases_copy_dependencies;
    enabled(
        chart,
        user,
        "",
        AliasCopy {
            copies,
            is_copy: false,
        },
        warnings,
    )?;
    import_values(chart, warnings)?;
    super::load::assign_paths(chart, None);
    Ok(())
}

/// One `imports_done` and `aliases_applied` flag per loaded chart, unset, so that a chart
/// rendered twice is processed again; the copies aliases make later share their chart's.
fn fresh_import_flags(chart: &mut Chart) {
    chart.meta.imports_done = Default::default();
    chart.meta.aliases_applied = Default::default();
    for d in &mut chart.deps {
        fresh_import_flags(d);
    }
}

/// Helm's `CheckDependencies`, run before rendering: every dependency `Chart.yaml` lists must
/// be in `charts/` (by name; versions are checked when dependencies are processed).
pub fn check_present(chart: &Chart, helm: HelmVersion) -> Result<()> {
    let missing: Vec<&str> = chart
        .meta
        .dependencies
        .iter()
        .filter(|r| !chart.deps.iter().any(|d| d.meta.name == r.name))
        .map(|r| r.name.as_str())
        .collect();
    if missing.is_empty() {
        return Ok(());
    }
    let first = chart
        .meta
        .dependencies
        .iter()
        .find(|r| missing.contains(&r.name.as_str()))
        .and_then(|r| r.origin);
    // Helm's words, which scripts grep for.
    let occurred = helm.spec().missing_dependency_words;
    Err(Diag::error(
        "kit::template::missing-dependency",
        format!(
            "{occurred} while checking for chart dependencies. You may need to run `helm dependency build` to fetch missing dependencies: found in Chart.yaml, but missing in charts/ directory: {}",
            missing.join(", ")
        ),
    )
    .at(first)
    .help(format!(
        "kit does not download charts: run `helm dependency build {}` (or put the charts in {}), then render again",
        display_path(&chart.dir),
        display_path(&chart.dir.join("charts"))
    )))
}

/// How Helm copies the chart a dependency entry names (`getAliasDependency`).
#[derive(Clone, Copy)]
struct AliasCopy {
    /// Helm v4: the copy has its own dependency entries and its own (shallow) copies of its
    /// subcharts; v3's copy shares both with the loaded chart.
    copies: bool,
    /// Whether this chart is such a copy (not the top chart, nor a subchart no entry names).
    is_copy: bool,
}

fn enabled(
    chart: &mut Chart,
    v: &Map<String, Value>,
    path: &str,
    copy: AliasCopy,
    warnings: &mut Warnings,
) -> Result<()> {
    if !chart.meta.lists_dependencies {
        // Helm leaves such a chart's subcharts alone: they keep their parent pointers. Those
        // point at the chart as it was loaded, which is this chart unless an entry of its
        // parent copied it (Helm v3's copies keep the loaded chart's subcharts, so under an
        // alias they are still named after the unaliased chart; Helm v4's copies re-parent
        // their own subcharts, but not the subcharts of those).
        for d in &mut chart.deps {
            d.keeps_loaded_path = copy.is_copy && !copy.copies;
            set_keeps_loaded_path(&mut d.deps, copy.is_copy);
        }
        return Ok(());
    }
    let available = std::mem::take(&mut chart.deps);
    // Helm v3 renames the entries to their aliases as it processes them, in place, and the
    // copies an alias makes of this chart share them: a copy processed after the first finds
    // them renamed.
    let renamed = chart
        .meta
        .aliases_applied
        .swap(true, std::sync::atomic::Ordering::Relaxed)
        && !copy.copies;
    let name_of = |r: &super::Dependency| {
        if renamed {
            r.effective_name().to_string()
        } else {
            r.name.clone()
        }
    };
    // Subcharts no dependency entry claims stay as they are.
    let mut deps: Vec<Chart> = available
        .iter()
        .filter(|c| {
            !chart.meta.dependencies.iter().any(|r| {
                name_of(r) == c.meta.name && semver::compatible(&r.version, &c.meta.version)
            })
        })
        .cloned()
        .collect();
    let unclaimed = deps.len();
    for req in &chart.meta.dependencies {
        let req_name = name_of(req);
        let found = available
            .iter()
            .find(|c| c.meta.name == req_name && semver::compatible(&req.version, &c.meta.version));
        match found {
            Some(c) => {
                let mut found = c.clone();
                if copy.copies {
                    // Its own dependency entries: it imports values and applies aliases for
                    // itself.
                    found.meta.imports_done = Default::default();
                    found.meta.aliases_applied = Default::default();
                }
                if let Some(alias) = &req.alias {
                    found.meta.name = alias.clone();
                    found
                        .meta_value
                        .insert("name".to_string(), Value::String(alias.clone()));
                }
                deps.push(found);
            }
            // Helm checks only that a subchart of that name is there: one whose version is
            // outside the range is rendered as it is, under its own name (it stayed in `deps`
            // above), so kit warns where Helm is silent.
            // An entry renamed by an earlier copy names no subchart: Helm skips it silently.
            None if renamed && req_name != req.name => {}
            None => match available.iter().find(|c| c.meta.name == req.name) {
                Some(c) => warnings.push(format!(
                    "dependency {} requires version {:?} but charts/ has {}: rendering that \
                     chart as it is, as Helm does (`helm dependency update` fetches the \
                     required version)",
                    req.name, req.version, c.meta.version
                )),
                // Helm checks only the chart it renders (`check_present`): a subchart's own
                // missing dependency is left out.
                None if !path.is_empty() => warnings.push(format!(
                    "dependency {} of {} is listed in its Chart.yaml but missing from {}: \
                     rendering without it, as Helm does",
                    req.name,
                    chart.meta.name,
                    display_path(&chart.dir.join("charts"))
                )),
                None => {
                    return Err(Diag::error(
                        "kit::template::missing-dependency",
                        format!(
                            "dependency {} is listed in Chart.yaml but missing from charts/",
                            req.name
                        ),
                    )
                    .at(req.origin)
                    .help(format!(
                        "put the chart in {} (kit does not download charts; `helm dependency build` does)",
                        display_path(&chart.dir.join("charts"))
                    )));
                }
            },
        }
    }
    chart.deps = deps;

    let cvals = values::coalesce(chart, v.clone(), &mut Vec::new())?;
    // Tags, then conditions (a condition that resolves wins over tags).
    let tags = values::table(&cvals, "tags").cloned();
    let mut off: Vec<String> = Vec::new();
    for req in &chart.meta.dependencies {
        let mut on = true;
        if let Some(tags) = &tags {
            let (mut has_true, mut has_false) = (false, false);
            for t in &req.tags {
                match tags.get(t) {
                    Some(Value::Bool(true)) => has_true = true,
                    Some(Value::Bool(false)) => has_false = true,
                    Some(other) => warnings.push(format!(
                        "tag {t:?} of dependency {} is not a boolean ({other})",
                        req.name
                    )),
                    None => {}
                }
            }
            on = has_true || !has_false;
        }
        for cond in req
            .condition
            .trim()
            .split(',')
            .map(str::trim)
            .filter(|c| !c.is_empty())
        {
            match values::path_value(&cvals, &format!("{path}{cond}")) {
                Some(Value::Bool(b)) => {
                    on = *b;
                    break;
                }
                Some(Value::Null) | None => {}
                Some(other) => warnings.push(format!(
                    "condition path {cond:?} of dependency {} returned a non-bool value ({other})",
                    req.name
                )),
            }
        }
        if !on {
            off.push(req.effective_name().to_string());
        }
    }
    let kept: Vec<(Chart, bool)> = std::mem::take(&mut chart.deps)
        .into_iter()
        .enumerate()
        .filter(|(_, d)| !off.contains(&d.meta.name))
        .map(|(i, d)| (d, i >= unclaimed))
        .collect();
    chart
        .meta
        .dependencies
        .retain(|r| !off.iter().any(|o| o == r.effective_name()));
    for (mut d, is_copy) in kept {
        // Helm sets the parent of every subchart it keeps to this chart.
        d.keeps_loaded_path = false;
        let sub = format!("{path}{}.", d.meta.name);
        enabled(
            &mut d,
            &cvals,
            &sub,
            AliasCopy {
                copies: copy.copies,
                is_copy,
            },
            warnings,
        )?;
        chart.deps.push(d);
    }
    Ok(())
}

fn set_keeps_loaded_path(charts: &mut [Chart], keeps: bool) {
    for c in charts {
        c.keeps_loaded_path = keeps;
        set_keeps_loaded_path(&mut c.deps, keeps);
    }
}

/// Helm's `processImportValues`, children first, once per loaded chart (see
/// [`super::Metadata::imports_done`]): a chart with enabled dependencies gets as defaults its
/// values merged with theirs (nulls kept, globals copied down), under what `import-values`
/// copies from them. So a parent's globals are in its subcharts' defaults before the user's
/// values come: a user's `global.x: null` does not remove a subchart's `x`.
fn import_values(chart: &mut Chart, warnings: &mut Warnings) -> Result<()> {
    for d in &mut chart.deps {
        import_values(d, warnings)?;
    }
    let already = chart
        .meta
        .imports_done
        .swap(true, std::sync::atomic::Ordering::Relaxed);
    if already || chart.meta.dependencies.is_empty() {
        return Ok(());
    }
    let cvals = values::merge_with_defaults(chart, Map::new(), warnings)?;
    let mut b = Map::new();
    for r in &chart.meta.dependencies {
        let name = r.effective_name();
        for (child, parent) in r.import_pairs() {
            let Some(vv) = values::table(&cvals, &format!("{name}.{child}")) else {
                warnings.push(format!(
                    "import-values: chart {name} has no table {child:?}"
                ));
                continue;
            };
            let at = path_to_map(&parent, vv.clone());
            values::coalesce_tables_top(&mut b, at, true);
        }
    }
    let mut merged = cvals;
    values::coalesce_tables_top(&mut merged, b, true);
    chart.values = merged;
    Ok(())
}

/// `a.b` and a table → `{a: {b: table}}`; `.` → the table itself.
fn path_to_map(path: &str, data: Map<String, Value>) -> Map<String, Value> {
    if path == "." || path.is_empty() {
        return data;
    }
    let mut cur = data;
    for part in path.split('.').rev() {
        let mut m = Map::new();
        m.insert(part.to_string(), Value::Object(cur));
        cur = m;
    }
    cur
}
