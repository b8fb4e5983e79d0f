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

/// The fields that compare as numbers: `vcpus>=4`, `cost>0.5`, `age>30d`, `size>100`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum NumField {
    Vcpus,
    /// GiB.
    Memory,
    /// A disk's GiB.
    Size,
    /// Dollars an hour at list price (the `$/h` column).
    Cost,
    /// Since launch; written with a unit (`30d`, `12h`, `90m`, `2w`, `45s`; a bare number is days).
    Age,
    /// A load balancer's targets.
    Targets,
}

impl NumField {
    pub const ALL: [(&'static str, NumField); 6] = [
        ("vcpus", NumField::Vcpus),
        ("memory", NumField::Memory),
        ("size", NumField::Size),
        ("cost", NumField::Cost),
        ("age", NumField::Age),
        ("targets", NumField::Targets),
    ];

    pub fn from_name(s: &str) -> Option<NumField> {
        NumField::ALL
            .iter()
            .find(|(n, _)| n.eq_ignore_ascii_case(s))
            .map(|(_, f)| *f)
    }
}

/// What the filter reads from a row (every kind's, from its table: `crate::kinds`).
pub trait Filterable {
    fn field(&self, f: Field) -> Option<&str>;
    fn tag_pairs(&self) -> impl Iterator<Item = (&str, &str)>;
    fn is_spot(&self) -> bool {
        false
    }
    /// More text free text looks in, after the name, id and tag values: type (or kind), zone
    /// (or DNS name), and two addresses (looked at only for text that could be part of one).
    fn more_text(&self) -> [Option<&str>; 4] {
        [None; 4]
    }
    /// A number field (not cost or age, which need prices and a clock).
    fn number(&self, _f: NumField) -> Option<f64> {
        None
    }
    fn launched(&self) -> Option<chrono::DateTime<chrono::Utc>> {
        None
    }
    fn hourly_usd(&self, _cat: &crate::prices::Catalog) -> Option<f64> {
        None
    }
    /// `network:` terms: whether the row is, or sits in, a network whose name or id `matches`
    /// (`book` says where rows that are not networks sit).
    fn in_network(
        &self,
        _book: &crate::domain::network::NetBook,
        _matches: &dyn Fn(&str) -> bool,
    ) -> bool {
        false
    }
}
