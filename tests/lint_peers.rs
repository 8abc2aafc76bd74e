//! Agreement with the peers on their own fixtures (`../shared/corpus/lint/`): for each row of
//! kube-linter's and kube-score's EXPECTED.tsv whose check maps to kit rules, run those rules
//! on the fixture and compare "fires" with what the peer's tests expect. Prints N/M per peer
//! and every disagreement; fails only when agreement drops below the recorded floor.
//! Disagreements are explained in docs/lint-peers.md.

// Tests report what they compared on the console.
#![allow(clippy::print_stdout, clippy::print_stderr)]

use std::path::{Path, PathBuf};

use kit::lint::{self, registry, Finding, Selection};
use kit::load::{self, Loader};

/// Agreement floors: raise them when kit improves; a drop fails the test.
const KUBE_LINTER_FLOOR: usize = 257;
const KUBE_SCORE_FLOOR: usize = 190;

fn corpus() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/corpus/lint")
}

/// The corpus path: `../shared/corpus` next to the worktree, or `/work/shared/corpus`.
fn corpus_dir() -> Option<PathBuf> {
    [corpus(), PathBuf::from("/work/shared/corpus/lint")]
        .into_iter()
        .find(|p| p.is_dir())
}

/// (`Kind/name`, origin key) of the objects in file order, and the findings of `rules`.
/// Objects as (`Kind/name`, origin key), in file order.
type Objects = Vec<(String, String)>;

fn run(files: &[PathBuf], rules: &[&str]) -> Result<(Objects, Vec<Finding>), String> {
    let loader = Loader::new();
    let mut resources = Vec::new();
    for f in files {
        let loaded = loader.load(f).map_err(|d| d.one_line(&loader.sources))?;
        resources.extend(
            load::resources_from_docs(&loaded.docs).map_err(|d| d.one_line(&loader.sources))?,
        );
    }
    let findings = lint::lint(
        &resources,
        &Selection::only(rules.iter().copied()),
        kit::schema::newest(),
    );
    Ok((objects_with_origins(&resources), findings))
}

fn objects_with_origins(resources: &[kit::model::Resource]) -> Objects {
    resources
        .iter()
        .map(|r| {
            (
                format!("{}/{}", r.kind(), r.name()),
                r.node
                    .origin
                    .map(|o| format!("{}:{}", o.file.0, o.start))
                    .unwrap_or_default(),
            )
        })
        .collect()
}

fn origin_key(f: &Finding) -> String {
    f.object
        .origin
        .map(|o| format!("{}:{}", o.file.0, o.start))
        .unwrap_or_default()
}

/// Kit rule ids mapped to a peer check.
fn mapped(peer: &str, check: &str) -> Vec<&'static str> {
    registry()
        .rules
        .iter()
        .filter(|r| {
            let list = if peer == "kube-linter" {
                &r.kube_linter
            } else {
                &r.kube_score
            };
            list.iter().any(|c| c == check)
        })
        .map(|r| r.id.as_str())
        .collect()
}

struct Tally {
    rows: usize,
    agree: usize,
    total: usize,
    unmapped: std::collections::BTreeSet<String>,
    skipped: usize,
    disagreements: Vec<String>,
}

impl Tally {
    fn new() -> Self {
        Tally {
            rows: 0,
            agree: 0,
            total: 0,
            unmapped: Default::default(),
            skipped: 0,
            disagreements: Vec::new(),
        }
    }

    fn record(&mut self, ok: bool, what: String) {
        self.total += 1;
        if ok {
            self.agree += 1;
        } else {
            self.disagreements.push(what);
        }
    }

    fn print(&self, peer: &str) {
        println!(
            "{peer}: agreement {}/{} on mapped rows ({} rows in EXPECTED.tsv; {} skipped: config kit does not model or no expectation; unmapped checks: {})",
            self.agree,
            self.total,
            self.rows,
            self.skipped,
            self.unmapped.iter().cloned().collect::<Vec<_>>().join(", ")
        );
        for d in &self.disagreements {
            println!("  {peer} disagreement: {d}");
        }
    }
}

fn kube_linter(dir: &Path) -> Tally {
    let mut t = Tally::new();
    let tsv = std::fs::read_to_string(dir.join("kube-linter/EXPECTED.tsv")).unwrap_or_default();
    for line in tsv
        .lines()
        .filter(|l| !l.starts_with('#') && !l.starts_with("check\t"))
    {
        let cols: Vec<&str> = line.split('\t').collect();
        if cols.len() < 4 {
            continue;
        }
        let (check, file, object, should) = (cols[0], cols[1], cols[2], cols[3]);
        let config = cols.get(5).copied().unwrap_or("");
        t.rows += 1;
        let rules = mapped("kube-linter", check);
        if rules.is_empty() {
            t.unmapped.insert(check.to_string());
            continue;
        }
        if !config.is_empty() || (should != "yes" && should != "no") {
            t.skipped += 1;
            continue;
        }
        let expected = should == "yes";
        let (name, doc) = match object.split_once("#doc") {
            Some((n, d)) => (n.to_string(), d.parse::<usize>().ok()),
            None => (object.to_string(), None),
        };
        // An object without metadata.name is listed as `Kind/None`.
        let name = match name.strip_suffix("/None") {
            Some(kind) => format!("{kind}/"),
            None => name,
        };
        let what = format!(
            "{check} {file} {object}: expected {}",
            if expected { "fire" } else { "no finding" }
        );
        match run(&[dir.join("kube-linter").join(file)], &rules) {
            Err(e) => t.record(false, format!("{what}; kit cannot load: {e}")),
            Ok((objects, findings)) => {
                let key = objects
                    .iter()
                    .enumerate()
                    .find(|(i, (o, _))| *o == name && doc.is_none_or(|d| d == *i))
                    .map(|(_, (_, k))| k.clone());
                let Some(key) = key else {
                    t.record(false, format!("{what}; object not found"));
                    continue;
                };
                let fired: Vec<&Finding> =
                    findings.iter().filter(|f| origin_key(f) == key).collect();
                let detail = fired
                    .first()
                    .map(|f| format!(" ({}: {})", f.rule.name(), f.message))
                    .unwrap_or_default();
                t.record(
                    fired.is_empty() != expected,
                    format!(
                        "{what}, kit {}{detail}",
                        if fired.is_empty() { "silent" } else { "fires" }
                    ),
                );
            }
        }
    }
    t
}

/// kube-score settings kit does not model (thresholds, flags, Kubernetes versions). The
/// replica minimums at kube-score's default, 2, are what kit's rules check.
fn unmodelled_config(config: &str) -> bool {
    let config = config
        .replace("MinReplicasDeployment: 2,", "")
        .replace("MinReplicasHPA: 2,", "");
    [
        "MinReplicas",
        "IgnoreContainer",
        "KubernetesVersion: config",
        "UseIgnoreChecksAnnotation: false",
    ]
    .iter()
    .any(|k| config.contains(k))
}

fn kube_score(dir: &Path) -> Tally {
    let mut t = Tally::new();
    let tsv = std::fs::read_to_string(dir.join("kube-score/EXPECTED.tsv")).unwrap_or_default();
    for line in tsv
        .lines()
        .filter(|l| !l.starts_with('#') && !l.starts_with("check_id\t"))
    {
        let cols: Vec<&str> = line.split('\t').collect();
        if cols.len() < 3 {
            continue;
        }
        let (check, files, grade) = (cols[0], cols[1], cols[2]);
        let config = cols.get(6).copied().unwrap_or("");
        t.rows += 1;
        let rules = mapped("kube-score", check);
        if rules.is_empty() {
            t.unmapped.insert(check.to_string());
            continue;
        }
        let expected = if grade.starts_with("critical")
            || grade.starts_with("warning")
            || grade == "not-skipped"
        {
            true
        } else if grade.starts_with("ok")
            || grade.starts_with("almost-ok")
            || grade == "skipped"
            || grade.starts_with("0(")
        {
            false
        } else {
            t.skipped += 1;
            continue;
        };
        if unmodelled_config(config) {
            t.skipped += 1;
            continue;
        }
        let paths: Vec<PathBuf> = files
            .split('+')
            .map(|f| dir.join("kube-score/testdata").join(f))
            .collect();
        let what = format!("{check} {files}: expected {grade}");
        match run(&paths, &rules) {
            Err(e) => t.record(false, format!("{what}; kit cannot load: {e}")),
            Ok((_, findings)) => {
                let detail = findings
                    .first()
                    .map(|f| {
                        format!(
                            " ({} on {}: {})",
                            f.rule.name(),
                            f.object.describe(),
                            f.message
                        )
                    })
                    .unwrap_or_default();
                t.record(
                    findings.is_empty() != expected,
                    format!(
                        "{what}, kit {}{detail}",
                        if findings.is_empty() {
                            "silent"
                        } else {
                            "fires"
                        }
                    ),
                );
            }
        }
    }
    t
}

#[test]
fn agreement_with_peers_on_their_fixtures() {
    let Some(dir) = corpus_dir() else {
        eprintln!("skipped: ../shared/corpus/lint not found");
        return;
    };
    let kl = kube_linter(&dir);
    let ks = kube_score(&dir);
    kl.print("kube-linter");
    ks.print("kube-score");
    assert!(
        kl.agree >= KUBE_LINTER_FLOOR,
        "kube-linter agreement {} fell below the floor {KUBE_LINTER_FLOOR}",
        kl.agree
    );
    assert!(
        ks.agree >= KUBE_SCORE_FLOOR,
        "kube-score agreement {} fell below the floor {KUBE_SCORE_FLOOR}",
        ks.agree
    );
}
