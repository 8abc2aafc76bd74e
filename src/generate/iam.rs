//! kustomize's builtin `IAMPolicyGenerator`: a Kubernetes ServiceAccount bound to a cloud
//! service account. Only GKE (workload identity) exists, as in kustomize v5.
//!
//! kustomize writes the values into a YAML template and parses the text, so kit does the
//! same: a value that is not a plain YAML word changes the document exactly as it does there.

use crate::diag::{Diag, Result};
use crate::model::{Node, Resource};
use crate::source::Origin;
use crate::transform::Setting;

/// The configuration of one `IAMPolicyGenerator`.
#[derive(Clone, Debug)]
pub struct IamPolicyArgs {
    pub cloud: Setting,
    /// `kubernetesService.name` and `.namespace`.
    pub service_name: String,
    pub service_namespace: String,
    /// `serviceAccount.name` and `.projectId`.
    pub account_name: String,
    pub project_id: String,
    pub origin: Option<Origin>,
}

/// Generates the ServiceAccount. `parse` reads the filled-in template text into documents
/// (the caller registers it as a source, so positions in the result point into it).
pub fn generate(
    args: &IamPolicyArgs,
    parse: &dyn Fn(String) -> Result<Vec<Node>>,
) -> Result<Resource> {
    if args.cloud.value != "gke" {
        return Err(Diag::error(
            "kit::generate::iam-cloud",
            format!("cloud provider {} not supported yet", args.cloud.value),
        )
        .at(args.cloud.origin.or(args.origin))
        .help("IAMPolicyGenerator supports `cloud: gke` only"));
    }
    let mut text = format!(
        "\napiVersion: v1\nkind: ServiceAccount\nmetadata:\n  annotations:\n    iam.gke.io/gcp-service-account: {}@{}.iam.gserviceaccount.com\n  name: {}\n",
        args.account_name, args.project_id, args.service_name
    );
    if !args.service_namespace.is_empty() {
        text.push_str(&format!("\n  namespace: {}", args.service_namespace));
    }
    let docs = parse(text).map_err(|d| d.at(args.origin))?;
    match docs.as_slice() {
        [doc] if doc.as_map().is_some() => Ok(Resource::new(doc.clone())),
        _ => Err(Diag::error(
            "kit::generate::iam-template",
            "the IAMPolicyGenerator values do not make one ServiceAccount object",
        )
        .at(args.origin)
        .help(
            "use plain names (letters, digits, `-`, `.`) in kubernetesService and serviceAccount",
        )),
    }
}
