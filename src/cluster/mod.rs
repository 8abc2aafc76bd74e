//! Cluster access: the only module that touches the network. A [`Cluster`] is a kube-client
//! `Client` built from the standard kubeconfig (`$KUBECONFIG`, `~/.kube/config` or
//! `--kubeconfig`, with `--context` and `--namespace`; token, client-certificate, basic and
//! exec-plugin auth, `certificate-authority(-data)`, `insecure-skip-tls-verify`), plus the
//! discovery that maps a kind to its resource and scope. Objects are `serde_json::Value`s and
//! go through kube's dynamic API (`DynamicObject`); kit uses no typed resource.
//!
//! `apply` (server-side apply, ordering, ApplySet prune, wait) and `diff` (server dry-run
//! against the live object) build on it; `ready`, `order` and `applyset` are pure.

pub mod apply;
pub mod applyset;
pub mod diff;
pub mod order;
pub mod ready;

use std::collections::{BTreeSet, HashMap};
use std::path::PathBuf;

use kube::api::{Api, DynamicObject};
use kube::config::{KubeConfigOptions, Kubeconfig};
use kube::core::{ApiResource, GroupVersionKind};
use kube::discovery::{Discovery, Scope};
use kube::{Client, Config};
use serde_json::Value;

use crate::diag::Diag;

/// Where the cluster is: the kubeconfig flags.
#[derive(Clone, Debug, Default)]
pub struct ConnectOptions {
    /// A kubeconfig file instead of `$KUBECONFIG` / `~/.kube/config`.
    pub kubeconfig: Option<PathBuf>,
    /// A context of the kubeconfig instead of its current context.
    pub context: Option<String>,
    /// The namespace for namespaced objects that name none (default: the context's).
    pub namespace: Option<String>,
}

/// A kind as the API server serves it.
#[derive(Clone, Debug)]
pub struct Target {
    pub resource: ApiResource,
    pub namespaced: bool,
}

/// A connected cluster: client, default namespace, discovery.
pub struct Cluster {
    pub client: Client,
    /// The namespace of namespaced objects that name none.
    pub namespace: String,
    /// The API server's URL (for messages).
    pub server: String,
    discovery: Option<Discovery>,
    pinned: HashMap<(String, String, String), Target>,
}

/// A current-thread tokio runtime: cluster commands run their requests on it.
pub fn runtime() -> Result<tokio::runtime::Runtime, Diag> {
    tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .map_err(|e| {
            Diag::error(
                "kit::cluster::runtime",
                format!("cannot start the runtime: {e}"),
            )
        })
}

fn config_error(message: String) -> Diag {
    Diag::error("kit::cluster::kubeconfig", message).help(
        "kit reads the kubeconfig from --kubeconfig, else $KUBECONFIG, else ~/.kube/config; \
         --context picks a context",
    )
}

/// Splits `apps/v1` into (`apps`, `v1`) and `v1` into (``, `v1`).
pub fn split_api_version(api_version: &str) -> (&str, &str) {
    api_version.rsplit_once('/').unwrap_or(("", api_version))
}

/// A one-line description of a kube error (the API server's message for API errors).
pub fn error_text(e: &kube::Error) -> String {
    match e {
        kube::Error::Api(s) => {
            let mut t = s.message.clone();
            if t.is_empty() {
                t = s.reason.clone();
            }
            if s.code != 0 {
                t = format!("{t} (HTTP {})", s.code);
            }
            t
        }
        other => {
            // Include the chain of sources: "error trying to connect: tcp connect error: ...".
            let mut t = other.to_string();
            let mut src = std::error::Error::source(other);
            while let Some(s) = src {
                let st = s.to_string();
                if !t.contains(&st) {
                    t.push_str(": ");
                    t.push_str(&st);
                }
                src = s.source();
            }
            t
        }
    }
}

/// The HTTP status of an API error, if it is one.
pub fn error_code(e: &kube::Error) -> Option<u16> {
    match e {
        kube::Error::Api(s) => Some(s.code),
        _ => None,
    }
}

/// The namespace Helm gives a release when the command line names none: `$HELM_NAMESPACE`,
/// else the namespace of the kubeconfig's context (`context`, else `$HELM_KUBECONTEXT`, else
/// the current one; the file `kubeconfig`, else `$KUBECONFIG`'s, else ~/.kube/config), else
/// `default`. A missing or unreadable kubeconfig means `default`, as in Helm.
pub fn helm_namespace(
    flag: Option<&str>,
    kubeconfig: Option<&std::path::Path>,
    context: Option<&str>,
) -> String {
    let env = |name: &str| std::env::var(name).ok().filter(|v| !v.is_empty());
    // An empty -n counts as none; given at all, it hides $HELM_NAMESPACE (Helm's flag
    // overrides the variable it defaults to).
    let named = match flag {
        Some(ns) => Some(ns.to_string()),
        None => env("HELM_NAMESPACE"),
    };
    if let Some(ns) = named.filter(|ns| !ns.is_empty()) {
        return ns;
    }
    let config = match kubeconfig {
        Some(path) => Kubeconfig::read_from(path).ok(),
        None => Kubeconfig::read().ok(),
    };
    let Some(config) = config else {
        return "default".to_string();
    };
    let context = context
        .map(str::to_string)
        .or_else(|| env("HELM_KUBECONTEXT"))
        .or(config.current_context.clone());
    context
        .and_then(|name| config.contexts.iter().find(|c| c.name == name))
        .and_then(|c| c.context.as_ref())
        .and_then(|c| c.namespace.clone())
        .filter(|ns| !ns.is_empty())
        .unwrap_or_else(|| "default".to_string())
}

impl Cluster {
    /// Reads the kubeconfig and builds the client. Nothing is requested from the server yet.
    pub async fn connect(opts: &ConnectOptions) -> Result<Cluster, Diag> {
        let kubeconfig = match &opts.kubeconfig {
            Some(path) => Kubeconfig::read_from(path).map_err(|e| {
                config_error(format!("cannot read kubeconfig {}: {e}", path.display()))
            })?,
            None => Kubeconfig::read().map_err(|e| {
                config_error(format!(
                    "no usable kubeconfig ($KUBECONFIG or ~/.kube/config): {e}"
                ))
            })?,
        };
        if let Some(ctx) = &opts.context {
            if !kubeconfig.contexts.iter().any(|c| &c.name == ctx) {
                let names: Vec<&str> = kubeconfig
                    .contexts
                    .iter()
                    .map(|c| c.name.as_str())
                    .collect();
                return Err(config_error(format!(
                    "the kubeconfig has no context {ctx:?} (it has: {})",
                    names.join(", ")
                )));
            }
        }
        let options = KubeConfigOptions {
            context: opts.context.clone(),
            cluster: None,
            user: None,
        };
        let config = Config::from_custom_kubeconfig(kubeconfig, &options)
            .await
            .map_err(|e| config_error(format!("invalid kubeconfig: {e}")))?;
        let server = config.cluster_url.to_string();
        let namespace = opts
            .namespace
            .clone()
            .unwrap_or_else(|| config.default_namespace.clone());
        let client = Client::try_from(config).map_err(|e| {
            Diag::error(
                "kit::cluster::connect",
                format!("cannot build a client for {server}: {}", error_text(&e)),
            )
        })?;
        Ok(Cluster {
            client,
            namespace,
            server,
            discovery: None,
            pinned: HashMap::new(),
        })
    }

    /// Discovers the API groups `groups` (the core group and apiextensions always): one
    /// request per group version, so a cluster with many CRDs costs only what kit needs.
    pub async fn discover(&mut self, groups: &BTreeSet<String>) -> Result<(), Diag> {
        let mut wanted: Vec<&str> = groups.iter().map(String::as_str).collect();
        wanted.extend(["", "apiextensions.k8s.io"]);
        let discovery = Discovery::new(self.client.clone())
            .filter(&wanted)
            .run()
            .await
            .map_err(|e| self.unreachable(&e))?;
        self.discovery = Some(discovery);
        Ok(())
    }

    fn unreachable(&self, e: &kube::Error) -> Diag {
        Diag::error(
            "kit::cluster::connect",
            format!(
                "cannot talk to the API server {}: {}",
                self.server,
                error_text(e)
            ),
        )
    }

    /// The resource and scope serving `apiVersion`/`kind`. A kind the discovery did not see
    /// is looked up once more (a CRD applied by this run serves it now); a kind the server
    /// does not serve is an error naming it and what the group does serve.
    pub async fn resolve(&mut self, api_version: &str, kind: &str) -> Result<Target, Diag> {
        let (group, version) = split_api_version(api_version);
        let key = (group.to_string(), version.to_string(), kind.to_string());
        if let Some(t) = self.pinned.get(&key) {
            return Ok(t.clone());
        }
        let gvk = GroupVersionKind::gvk(group, version, kind);
        let found = self.discovery.as_ref().and_then(|d| d.resolve_gvk(&gvk));
        let found = match found {
            Some(f) => Some(f),
            None => kube::discovery::pinned_kind(&self.client, &gvk).await.ok(),
        };
        match found {
            Some((resource, caps)) => {
                let t = Target {
                    resource,
                    namespaced: caps.scope == Scope::Namespaced,
                };
                self.pinned.insert(key, t.clone());
                Ok(t)
            }
            None => Err(self.unknown_kind(group, version, kind).await),
        }
    }

    /// The error for a kind the server does not serve.
    async fn unknown_kind(&self, group: &str, version: &str, kind: &str) -> Diag {
        let api_version = if group.is_empty() {
            version.to_string()
        } else {
            format!("{group}/{version}")
        };
        let mut d = Diag::error(
            "kit::cluster::unknown-kind",
            format!(
                "the API server {} does not serve kind {kind} in {api_version}",
                self.server
            ),
        );
        let served = match kube::discovery::group(&self.client, group).await {
            Ok(g) => {
                let versions: Vec<String> = g
                    .versions()
                    .filter(|v| g.versioned_resources(v).iter().any(|(r, _)| r.kind == kind))
                    .map(str::to_string)
                    .collect();
                if versions.is_empty() {
                    let all: Vec<&str> = g.versions().collect();
                    format!(
                        "its group {:?} (versions {}) has no kind {kind}",
                        if group.is_empty() { "core" } else { group },
                        all.join(", ")
                    )
                } else {
                    format!(
                        "the server serves {kind} in {}",
                        versions
                            .iter()
                            .map(|v| if group.is_empty() {
                                v.clone()
                            } else {
                                format!("{group}/{v}")
                            })
                            .collect::<Vec<_>>()
                            .join(", ")
                    )
                }
            }
            Err(_) => format!("the server has no API group {group:?}"),
        };
        d = d.help(format!(
            "{served}; is the CustomResourceDefinition installed, or is the server older than \
             this apiVersion?"
        ));
        d
    }

    /// The resource serving a group-kind at the group's preferred version (for pruning the
    /// kinds an ApplySet parent lists). `None` when the server no longer serves it.
    pub async fn resolve_group_kind(&mut self, group: &str, kind: &str) -> Option<Target> {
        let g = kube::discovery::group(&self.client, group).await.ok()?;
        let (resource, caps) = g.recommended_kind(kind)?;
        Some(Target {
            resource,
            namespaced: caps.scope == Scope::Namespaced,
        })
    }

    /// The dynamic API of a target, in `namespace` for namespaced kinds.
    pub fn api(&self, target: &Target, namespace: Option<&str>) -> Api<DynamicObject> {
        match (target.namespaced, namespace) {
            (true, Some(ns)) => Api::namespaced_with(self.client.clone(), ns, &target.resource),
            (true, None) => Api::all_with(self.client.clone(), &target.resource),
            (false, _) => Api::all_with(self.client.clone(), &target.resource),
        }
    }
}

/// A DynamicObject as a JSON document.
pub fn to_value(obj: &DynamicObject) -> Value {
    serde_json::to_value(obj).unwrap_or(Value::Null)
}

/// A JSON document as a DynamicObject.
pub fn from_value(v: &Value) -> Result<DynamicObject, Diag> {
    serde_json::from_value(v.clone()).map_err(|e| {
        Diag::error(
            "kit::cluster::object",
            format!("not a Kubernetes object: {e}"),
        )
    })
}

/// `kind/name` or `kind/namespace/name`, as the apply and diff lines print an object.
pub fn describe(kind: &str, namespace: Option<&str>, name: &str) -> String {
    match namespace {
        Some(ns) if !ns.is_empty() => format!("{}/{name} (namespace {ns})", kind.to_lowercase()),
        _ => format!("{}/{name}", kind.to_lowercase()),
    }
}

/// The live object without what the server alone writes (what `kit diff` ignores; see
/// [`crate::diff::normalize_live_json`]).
pub fn normalize(obj: &Value) -> Value {
    let mut v = obj.clone();
    crate::diff::live::normalize_live_json(&mut v);
    v
}
