use crate::domain::{Disk, Instance, LoadBalancer};

/// The fields a `field:value` term can name.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Field {
    Provider,
    Account,
    Region,
    Zone,
    State,
    /// The provider's own state word (`TERMINATED`, `PowerState/deallocated`).
    ProviderState,
    Type,
    Name,
    Id,
}

impl Field {
    pub const ALL: [(&'static str, Field); 9] = [
        ("provider", Field::Provider),
        ("account", Field::Account),
        ("region", Field::Region),
        ("zone", Field::Zone),
        ("state", Field::State),
        ("pstate", Field::ProviderState),
        ("type", Field::Type),
        ("name", Field::Name),
        ("id", Field::Id),
    ];

    pub fn from_name(s: &str) -> Option<Field> {
        Field::ALL
            .iter()
            .find(|(n, _)| n.eq_ignore_ascii_case(s))
            .map(|(_, f)| *f)
    }
}

/// What the filter reads from a row.
pub trait Filterable {
    fn field(&self, f: Field) -> Option<&str>;
    fn tag_pairs(&self) -> impl Iterator<Item = (&str, &str)>;
    fn is_spot(&self) -> bool {
        false
    }
}

impl Filterable for Instance {
    fn field(&self, f: Field) -> Option<&str> {
        Some(match f {
            Field::Provider => self.r#ref.provider.as_str(),
            Field::Account => &self.r#ref.account,
            Field::Region => &self.r#ref.region,
            Field::Zone => self.zone.as_deref()?,
            Field::State => self.state.as_str(),
            Field::ProviderState => &self.provider_state,
            Field::Type => &self.instance_type,
            Field::Name => &self.name,
            Field::Id => self.id(),
        })
    }
    fn tag_pairs(&self) -> impl Iterator<Item = (&str, &str)> {
        self.tags.iter()
    }
    fn is_spot(&self) -> bool {
        self.spot
    }
}

impl Filterable for Disk {
    fn field(&self, f: Field) -> Option<&str> {
        Some(match f {
            Field::Provider => self.r#ref.provider.as_str(),
            Field::Account => &self.r#ref.account,
            Field::Region => &self.r#ref.region,
            Field::Zone => self.zone.as_deref()?,
            Field::State => self.state.as_str(),
            Field::ProviderState => &self.provider_state,
            Field::Type => &self.disk_type,
            Field::Name => &self.name,
            Field::Id => self.id(),
        })
    }
    fn tag_pairs(&self) -> impl Iterator<Item = (&str, &str)> {
        self.tags.iter()
    }
}

impl Filterable for LoadBalancer {
    fn field(&self, f: Field) -> Option<&str> {
        Some(match f {
            Field::Provider => self.r#ref.provider.as_str(),
            Field::Account => &self.r#ref.account,
            Field::Region => &self.r#ref.region,
            Field::Zone => return None,
            Field::State => self.state.as_str(),
            Field::ProviderState => &self.provider_state,
            Field::Type => self.kind.as_str(),
            Field::Name => &self.name,
            Field::Id => self.id(),
        })
    }
    fn tag_pairs(&self) -> impl Iterator<Item = (&str, &str)> {
        self.tags.iter()
    }
}
