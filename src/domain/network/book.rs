//! Which network each instance sits in, looked up by its ref: what a `network:NAME` term reads
//! for rows that are not networks (the filter is given one when it has such a term).

use std::collections::HashMap;
use std::sync::Arc;

use super::NetworkRow;
use crate::domain::{ResourceRef, Str};

/// Each instance's networks, as (name, id).
type ByInstance = HashMap<ResourceRef, Vec<(Str, Str)>>;

/// The name and id of the network (or networks) each instance is in. Any two compare equal: a
/// filter means the same whichever book it reads.
#[derive(Clone, Default)]
pub struct NetBook(Option<Arc<ByInstance>>);

impl NetBook {
    pub fn of<'a>(rows: impl Iterator<Item = &'a NetworkRow>) -> Self {
        let mut map = ByInstance::new();
        for row in rows.filter(|r| !r.no_network) {
            for i in row.instances() {
                map.entry(i.clone())
                    .or_default()
                    .push((row.network.name.clone(), row.r#ref.id.clone()));
            }
        }
        NetBook(Some(Arc::new(map)))
    }

    /// The (name, id) of each network `r` sits in.
    pub fn networks_of(&self, r: &ResourceRef) -> &[(Str, Str)] {
        self.0
            .as_ref()
            .and_then(|m| m.get(r))
            .map_or(&[], |v| v.as_slice())
    }
}

impl std::fmt::Debug for NetBook {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match &self.0 {
            Some(m) => write!(f, "NetBook({} instances)", m.len()),
            None => f.write_str("NetBook(none)"),
        }
    }
}

impl PartialEq for NetBook {
    fn eq(&self, _: &Self) -> bool {
        true
    }
}

impl Eq for NetBook {}
