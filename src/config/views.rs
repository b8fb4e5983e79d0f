//! Saved views (`[[views]]`): a pane with its filter, sort and scope, chosen from the palette;
//! and the console's scope (`:ctx`): one account, provider or region that every pane keeps to.

use std::fmt;

use crate::domain::ResourceKind;

/// What a scope limits the panes to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum ScopeKind {
    Account,
    Provider,
    Region,
}

impl ScopeKind {
    pub fn word(self) -> &'static str {
        match self {
            ScopeKind::Account => "account",
            ScopeKind::Provider => "provider",
            ScopeKind::Region => "region",
        }
    }
}

/// One account, provider or region: `account:NAME`, `provider:aws`, `region:us-east-1`.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct ScopeSel {
    pub kind: ScopeKind,
    pub value: String,
}

impl ScopeSel {
    /// `KIND:VALUE` where KIND is account, provider or region.
    pub fn parse(s: &str) -> Result<ScopeSel, String> {
        let (k, v) = s.split_once(':').ok_or_else(|| {
            format!("scope '{s}' is not account:NAME, provider:NAME or region:NAME")
        })?;
        let kind = match k.trim().to_ascii_lowercase().as_str() {
            "account" => ScopeKind::Account,
            "provider" => ScopeKind::Provider,
            "region" => ScopeKind::Region,
            other => {
                return Err(format!(
                    "scope kind '{other}' is not account, provider or region"
                ))
            }
        };
        let value = v.trim();
        if value.is_empty()
            || !value
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || "-_.".contains(c))
        {
            return Err(format!(
                "scope value '{value}' is not a name (letters, digits, - _ .)"
            ));
        }
        Ok(ScopeSel {
            kind,
            value: value.to_string(),
        })
    }

    /// The filter term that keeps to the scope (a whole-value match, not a substring).
    pub fn term(&self) -> String {
        format!("{}:{}", self.kind.word(), self.value)
    }
}

impl fmt::Display for ScopeSel {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}:{}", self.kind.word(), self.value)
    }
}

/// The panes a view may name, with the words the config accepts.
pub const VIEW_PANES: [(&str, Option<ResourceKind>); 6] = [
    ("instances", Some(ResourceKind::Instance)),
    ("disks", Some(ResourceKind::Disk)),
    ("load-balancers", Some(ResourceKind::LoadBalancer)),
    ("lbs", Some(ResourceKind::LoadBalancer)),
    ("costs", None),
    ("networks", Some(ResourceKind::Network)),
];

/// The config word for a pane of `kind` (None: Costs).
pub fn pane_word(kind: Option<ResourceKind>) -> &'static str {
    VIEW_PANES
        .iter()
        .find(|(_, k)| *k == kind)
        .map_or("instances", |(w, _)| *w)
}

/// A saved view, checked.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct View {
    pub name: String,
    /// The pane (None: Costs).
    pub pane: Option<ResourceKind>,
    pub filter: String,
    /// As written (`cost:desc`); None keeps the pane's sort.
    pub sort: Option<String>,
    /// None clears the scope.
    pub scope: Option<ScopeSel>,
}

impl View {
    /// The TOML that saves a view like this, one key per line (what `:view-save` shows).
    pub fn toml(&self) -> String {
        let q = |s: &str| toml::Value::String(s.to_string()).to_string();
        let mut out = format!(
            "[[views]]\nname = {}\npane = {}\nfilter = {}",
            q(&self.name),
            q(pane_word(self.pane)),
            q(&self.filter)
        );
        if let Some(sort) = &self.sort {
            out.push_str(&format!("\nsort = {}", q(sort)));
        }
        if let Some(scope) = &self.scope {
            out.push_str(&format!("\nscope = {}", q(&scope.to_string())));
        }
        out
    }
}
