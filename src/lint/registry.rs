//! The rule registry: rule metadata and docs are data (`rules.yaml`, embedded), and each
//! rule's check function is bound to its id here, in `CHECKS`. A test keeps the two in step.

use std::sync::OnceLock;

use super::checks::{availability, container, cross, meta, network, rbac, security, style};
use super::workload::Object;
use super::CheckFn;
use crate::diag::{Diag, Severity};
use crate::rules_doc::{self, DocSource};

/// The embedded rule data.
pub const RULES_YAML: &str = include_str!("rules.yaml");

/// Check functions by rule id.
pub const CHECKS: &[(&str, CheckFn)] = &[
    ("KIT-IMG001", container::image_tag),
    ("KIT-IMG002", container::image_pull_policy),
    ("KIT-RES001", container::cpu_request),
    ("KIT-RES002", container::memory_request),
    ("KIT-RES003", container::cpu_limit),
    ("KIT-RES004", container::memory_limit),
    ("KIT-RES005", container::ephemeral_storage),
    ("KIT-RES006", container::requests_equal_limits),
    ("KIT-RES007", container::ephemeral_storage_equal),
    ("KIT-PRB001", container::readiness_probe),
    ("KIT-PRB002", container::liveness_probe),
    ("KIT-PRB003", cross::service_pod_readiness),
    ("KIT-PRB004", container::identical_probes),
    ("KIT-PRB005", container::liveness_probe_port),
    ("KIT-PRB006", container::readiness_probe_port),
    ("KIT-PRB007", container::startup_probe_port),
    ("KIT-REL001", container::duplicate_env),
    ("KIT-REL002", container::container_ports),
    ("KIT-SEC001", security::privileged),
    ("KIT-SEC002", security::privilege_escalation),
    ("KIT-SEC003", security::run_as_root),
    ("KIT-SEC004", security::low_user_group_id),
    ("KIT-SEC005", security::read_only_root_fs),
    ("KIT-SEC006", security::net_raw_not_dropped),
    ("KIT-SEC007", security::drop_all_missing),
    ("KIT-SEC008", security::dangerous_capabilities),
    ("KIT-SEC009", security::host_network),
    ("KIT-SEC010", security::host_pid),
    ("KIT-SEC011", security::host_ipc),
    ("KIT-SEC012", security::sensitive_host_path),
    ("KIT-SEC013", security::docker_socket),
    ("KIT-SEC014", security::writable_host_path),
    ("KIT-SEC015", security::host_port),
    ("KIT-SEC016", security::seccomp_profile),
    ("KIT-SEC017", security::unsafe_proc_mount),
    ("KIT-SEC018", security::unsafe_sysctls),
    ("KIT-SEC019", security::default_service_account),
    ("KIT-SEC020", security::deprecated_service_account_field),
    ("KIT-SEC021", security::secret_in_env),
    ("KIT-SEC022", security::secret_from_env),
    ("KIT-SEC023", security::ssh_port),
    ("KIT-SEC024", security::privileged_port),
    ("KIT-SEC025", security::scc_privileged_container),
    ("KIT-SEC026", security::default_namespace),
    ("KIT-RBAC001", rbac::wildcard),
    ("KIT-RBAC002", rbac::cluster_admin_binding),
    ("KIT-RBAC003", rbac::create_pods),
    ("KIT-RBAC004", rbac::secrets_access),
    ("KIT-NET001", cross::service_selects_no_pods),
    ("KIT-NET002", cross::network_policy_selects_no_pods),
    ("KIT-NET003", cross::pod_without_network_policy),
    ("KIT-NET004", meta::service_node_port),
    ("KIT-NET005", cross::ingress_missing_service),
    ("KIT-NET006", cross::hpa_missing_target),
    ("KIT-REF001", cross::missing_config_map),
    ("KIT-REF002", cross::missing_secret),
    ("KIT-REF003", cross::missing_pvc),
    ("KIT-REF004", cross::missing_service_account),
    ("KIT-AVL001", cross::pdb_missing),
    ("KIT-AVL002", meta::pdb_without_policy),
    ("KIT-AVL003", meta::cronjob_deadline),
    ("KIT-AVL004", cross::anti_affinity),
    ("KIT-AVL005", meta::cronjob_restart_policy),
    ("KIT-AVL006", cross::hpa_static_replicas),
    ("KIT-AVL020", cross::pdb_max_unavailable_zero),
    ("KIT-AVL021", cross::pdb_min_available_too_high),
    ("KIT-REL003", meta::selector_mismatch),
    ("KIT-REL004", meta::job_ttl),
    ("KIT-NET007", cross::statefulset_service_name),
    ("KIT-NET008", network::network_policy_peer_selects_no_pods),
    ("KIT-NET009", network::service_monitor_selects_no_services),
    ("KIT-NET010", network::invalid_port_name),
    ("KIT-STY001", style::unsorted_keys),
    ("KIT-API001", meta::deprecated_api),
    ("KIT-API004", meta::deprecated_api_version),
    ("KIT-AVL009", availability::replicas_below_three),
    ("KIT-AVL010", availability::deployment_replicas_below_two),
    ("KIT-AVL011", availability::hpa_min_replicas_below_three),
    ("KIT-AVL012", availability::hpa_min_replicas_below_two),
    ("KIT-AVL013", availability::update_strategy_not_rolling),
    ("KIT-AVL014", availability::deployment_strategy_not_rolling),
    ("KIT-AVL015", availability::topology_spread_invalid),
    ("KIT-AVL016", availability::pdb_eviction_policy_unset),
    ("KIT-AVL017", availability::priority_class_unknown),
    ("KIT-AVL018", availability::restart_policy_never),
    ("KIT-AVL019", availability::node_affinity_missing),
    ("KIT-REL006", availability::dns_config_ndots_missing),
    ("KIT-META001", meta::label_value_invalid),
    ("KIT-META002", meta::owner_label_missing),
    ("KIT-META003", meta::email_annotation_missing),
];

/// One rule: identity, defaults, docs and its check.
pub struct Rule {
    /// Stable identifier, e.g. `KIT-IMG001`.
    pub id: String,
    /// Stable kebab-case name, e.g. `image-tag-latest`; accepted wherever an id is.
    pub name: String,
    pub severity: Severity,
    /// reliability, security, efficiency, networking, ...
    pub category: String,
    /// Runs without `--enable` or a policy.
    pub enabled: bool,
    /// Object kinds the rule looks at: `workload` (anything with a pod template), `*`, or
    /// kinds.
    pub applies_to: Vec<String>,
    /// One line: what the rule finds.
    pub summary: String,
    pub why: String,
    pub fix: String,
    pub bad: String,
    pub good: String,
    /// kube-score check ids that find the same problem.
    pub kube_score: Vec<String>,
    /// kube-linter check names that find the same problem.
    pub kube_linter: Vec<String>,
    pub check: CheckFn,
}

impl std::fmt::Debug for Rule {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "Rule({} {})", self.id, self.name)
    }
}

crate::rules_doc::impl_rule_doc!(Rule);

impl Rule {
    pub fn applies_to(&self, obj: &Object) -> bool {
        self.applies_to.iter().any(|k| match k.as_str() {
            "*" => true,
            "workload" => obj.is_workload(),
            kind => kind == obj.kind,
        })
    }

    /// Whether `key` names this rule (its id or its name, case-insensitively for ids).
    pub fn is_named(&self, key: &str) -> bool {
        self.id.eq_ignore_ascii_case(key) || self.name == key
    }
}

pub struct Registry {
    pub rules: Vec<Rule>,
}

impl Registry {
    /// A rule by id or name.
    pub fn find(&self, key: &str) -> Option<&Rule> {
        let key = key.trim();
        self.rules.iter().find(|r| r.is_named(key))
    }
}

/// The registry, parsed once. The data is embedded and tested, so a failure here is a bug
/// in kit; it is reported as an empty registry plus the error from `registry_error`.
pub fn registry() -> &'static Registry {
    &load().0
}

/// The error from parsing the embedded rules, if any.
pub fn registry_error() -> Option<&'static Diag> {
    load().1.as_ref()
}

fn load() -> &'static (Registry, Option<Diag>) {
    static CELL: OnceLock<(Registry, Option<Diag>)> = OnceLock::new();
    CELL.get_or_init(|| match parse(RULES_YAML) {
        Ok(r) => (r, None),
        Err(d) => (Registry { rules: Vec::new() }, Some(d)),
    })
}

/// Parses rule data (the embedded `rules.yaml`, or another text in tests).
pub fn parse(text: &str) -> Result<Registry, Diag> {
    let source = DocSource {
        path: "src/lint/rules.yaml",
        code: "kit::lint::registry",
        noun: "rule",
    };
    let rules = source.parse_list(text, |item, doc| {
        let check = CHECKS
            .iter()
            .find(|(cid, _)| *cid == doc.id)
            .map(|(_, f)| *f)
            .ok_or_else(|| {
                source.error(format!("rule {} has no check function in CHECKS", doc.id))
            })?;
        Ok(Rule {
            id: doc.id,
            name: doc.name,
            severity: doc.severity,
            category: doc.category,
            enabled: rules_doc::text(item, "enabled") == "true",
            applies_to: item.scalars_at(&["applies-to"]),
            summary: doc.summary,
            why: doc.why,
            fix: doc.fix,
            bad: doc.bad,
            good: doc.good,
            kube_score: item.scalars_at(&["peers", "kube-score"]),
            kube_linter: item.scalars_at(&["peers", "kube-linter"]),
            check,
        })
    })?;
    Ok(Registry { rules })
}
