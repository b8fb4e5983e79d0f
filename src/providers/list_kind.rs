//! What the pollers and the CLI's fetch call to read one kind in one list scope: `list` for
//! instances, disks and load balancers; `list_networks`, made into rows, for networks, which
//! are listed in the scopes instances are listed in.

use super::{CloudProvider, ProviderError, Resources, Result};
use crate::domain::network::network_rows;
use crate::domain::ResourceKind;

/// Where `kind` is listed.
pub async fn scopes(p: &dyn CloudProvider, kind: ResourceKind) -> Result<Vec<super::ListScope>> {
    let asked = match kind {
        ResourceKind::Network => ResourceKind::Instance,
        k => k,
    };
    p.list_scopes(asked).await
}

/// Every row of `kind` in `scope`.
pub async fn list(
    p: &dyn CloudProvider,
    scope: &super::ListScope,
    kind: ResourceKind,
) -> Result<Resources> {
    match kind {
        ResourceKind::Network => Ok(Resources::Networks(network_rows(
            p.list_networks(scope).await?,
        ))),
        k => p.list(scope, k).await,
    }
}

/// What a provider's `list`, `describe` or tag change answers for networks: they are read
/// through `list_networks` ([`list`] here), a network is its listed row, and network changes
/// go through `apply_network`.
pub fn networks_elsewhere() -> ProviderError {
    ProviderError::unsupported(
        "networks are read with list_networks and changed with apply_network, not through this call",
    )
}
