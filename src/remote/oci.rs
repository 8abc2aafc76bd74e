//! Charts in OCI registries (`oci://host/path/chart`), as `helm pull oci://...` fetches them.

use crate::diag::{Diag, Result};

use super::charts::{ChartRequest, Found};
use super::Remote;

/// The version `req` resolves to in its registry, and the chart layer's blob.
pub(super) fn find(_remote: &Remote, req: &ChartRequest) -> Result<Found> {
    Err(Diag::error(
        "kit::chart::oci",
        format!("{}: OCI registries are not supported yet", req.what),
    ))
}
