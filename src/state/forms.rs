//! Create forms: fields with completion from the account's offerings, checked before anything
//! is sent.

use crate::domain::{LbKind, LbScheme, Tags};
use crate::ops::Request;
use crate::providers::{DiskSpec, InstanceSpec, LbSpec};

use super::AccountView;
use crate::prices::findings::Shapes;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FormKind {
    Instance,
    Disk,
    LoadBalancer,
}

#[derive(Debug, Clone, PartialEq)]
pub struct FormField {
    pub label: &'static str,
    pub value: String,
    pub required: bool,
    /// What Tab cycles through (filtered by what is typed).
    pub choices: Vec<String>,
    /// The choices are suggestions (known types from the price catalog), not the only values the
    /// account takes: anything else is passed on and the provider judges it.
    pub open: bool,
    pub hint: &'static str,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Form {
    pub kind: FormKind,
    pub fields: Vec<FormField>,
    pub focus: usize,
    pub error: Option<String>,
}

fn field(label: &'static str, required: bool, hint: &'static str) -> FormField {
    FormField {
        label,
        value: String::new(),
        required,
        choices: Vec::new(),
        open: false,
        hint,
    }
}

impl Form {
    pub fn new(
        kind: FormKind,
        accounts: &[AccountView],
        known: &Shapes,
        preset_account: Option<&str>,
    ) -> Form {
        let mut fields = match kind {
            FormKind::Instance => vec![
                field("account", true, "Tab completes"),
                field("region", true, ""),
                field("zone", false, "default: the region's first"),
                field("type", true, "machine type"),
                field("name", true, ""),
                field("disk GiB", false, "boot disk size"),
                field("spot", false, "yes / no"),
                field("tags", false, "k=v k2=v2"),
            ],
            FormKind::Disk => vec![
                field("account", true, "Tab completes"),
                field("region", true, ""),
                field("zone", true, ""),
                field("name", true, ""),
                field("size GiB", true, ""),
                field("type", false, "default: the provider's standard"),
                field("tags", false, "k=v k2=v2"),
            ],
            FormKind::LoadBalancer => vec![
                field("account", true, "Tab completes"),
                field("region", true, ""),
                field("name", true, "letters, digits, hyphens"),
                field("kind", true, "application / network"),
                field("scheme", true, "internet-facing / internal"),
            ],
        };
        fields[0].value = preset_account.unwrap_or_default().to_string();
        if let Some(f) = fields.iter_mut().find(|f| f.label == "spot") {
            f.value = "no".into();
            f.choices = vec!["no".into(), "yes".into()];
        }
        if let Some(f) = fields.iter_mut().find(|f| f.label == "scheme") {
            f.value = "internet-facing".into();
            f.choices = vec!["internet-facing".into(), "internal".into()];
        }
        let mut form = Form {
            kind,
            fields,
            focus: 0,
            error: None,
        };
        form.update_choices(accounts, known);
        form
    }

    pub fn value(&self, label: &str) -> &str {
        self.fields
            .iter()
            .find(|f| f.label == label)
            .map_or("", |f| f.value.trim())
    }

    /// Recompute what each field may hold from what the earlier fields say.
    /// Instance types come from the account when it lists them (the sandbox does); otherwise
    /// the price catalog's types for its provider are offered as suggestions.
    pub fn update_choices(&mut self, accounts: &[AccountView], known: &Shapes) {
        let writable: Vec<&AccountView> = accounts
            .iter()
            .filter(|a| crate::ops::policy::writable(&a.info).is_ok())
            .collect();
        let account = writable
            .iter()
            .find(|a| a.info.name == self.value("account"))
            .copied();
        let region = self.value("region").to_string();
        let regions: Vec<String> = account
            .map(|a| {
                if a.offerings.regions.is_empty() {
                    a.info.regions.clone()
                } else {
                    a.offerings.regions.iter().map(|(r, _)| r.clone()).collect()
                }
            })
            .unwrap_or_default();
        let zones: Vec<String> = account
            .and_then(|a| a.offerings.regions.iter().find(|(r, _)| *r == region))
            .map(|(_, z)| z.clone())
            .unwrap_or_default();
        let (types, types_open): (Vec<String>, bool) = match account {
            Some(a) if !a.offerings.machine_types.is_empty() => (
                a.offerings
                    .machine_types
                    .iter()
                    .map(|m| m.name.clone())
                    .collect(),
                false,
            ),
            Some(a) => {
                let mut names: Vec<String> = known
                    .get(&a.info.provider)
                    .map(|m| m.keys().cloned().collect())
                    .unwrap_or_default();
                names.sort();
                (names, true)
            }
            None => (Vec::new(), false),
        };
        let disk_types: Vec<String> = account
            .map(|a| a.offerings.disk_types.clone())
            .unwrap_or_default();
        let lb_kinds: Vec<String> = account
            .map(|a| {
                a.caps
                    .lb_kinds
                    .iter()
                    .map(|k| k.as_str().to_string())
                    .collect()
            })
            .unwrap_or_default();
        let kind = self.kind;
        for f in &mut self.fields {
            f.open = f.label == "type" && kind == FormKind::Instance && types_open;
            f.choices = match (f.label, kind) {
                ("account", _) => writable.iter().map(|a| a.info.name.to_string()).collect(),
                ("region", _) => regions.clone(),
                ("zone", _) => zones.clone(),
                ("type", FormKind::Instance) => types.clone(),
                ("type", FormKind::Disk) => disk_types.clone(),
                ("kind", _) => lb_kinds.clone(),
                _ => continue,
            };
        }
    }

    /// Check every field and build the request, or say what is wrong.
    pub fn request(&self, accounts: &[AccountView]) -> Result<Request, String> {
        for f in &self.fields {
            if f.required && f.value.trim().is_empty() {
                return Err(format!("{} is required", f.label));
            }
        }
        let account = accounts
            .iter()
            .find(|a| a.info.name == self.value("account"))
            .ok_or_else(|| format!("no account '{}'", self.value("account")))?;
        crate::ops::policy::writable(&account.info).map_err(|e| format!("refused: {e}"))?;
        let check = |label: &str| -> Result<(), String> {
            let f = self
                .fields
                .iter()
                .find(|f| f.label == label)
                .expect("field exists");
            let v = f.value.trim();
            if !v.is_empty()
                && !f.open
                && !f.choices.is_empty()
                && !f.choices.iter().any(|c| c == v)
            {
                return Err(format!(
                    "{label} '{v}' is not one of {}",
                    f.choices.join(", ")
                ));
            }
            Ok(())
        };
        let tags = parse_tags(self.value("tags"))?;
        let region = self.value("region").to_string();
        let name = self.value("name").to_string();
        let acct = account.info.name.to_string();
        let req = match self.kind {
            FormKind::Instance => {
                for l in ["region", "zone", "type", "spot"] {
                    check(l)?;
                }
                let disk_gib = match self.value("disk GiB") {
                    "" => None,
                    v => Some(
                        v.parse::<u64>()
                            .map_err(|_| format!("disk GiB '{v}' is not a whole number"))?,
                    ),
                };
                let zone = self.value("zone");
                Request::CreateInstance {
                    account: acct,
                    spec: InstanceSpec {
                        region,
                        zone: (!zone.is_empty()).then(|| zone.to_string()),
                        instance_type: self.value("type").to_string(),
                        name,
                        image: None,
                        disk_gib,
                        spot: self.value("spot") == "yes",
                        tags,
                        options: Default::default(),
                    },
                }
            }
            FormKind::Disk => {
                for l in ["region", "zone", "type"] {
                    check(l)?;
                }
                let v = self.value("size GiB");
                let size_gib = v
                    .parse::<u64>()
                    .map_err(|_| format!("size GiB '{v}' is not a whole number"))?;
                let t = self.value("type");
                Request::CreateDisk {
                    account: acct,
                    spec: DiskSpec {
                        region,
                        zone: self.value("zone").to_string(),
                        name,
                        size_gib,
                        disk_type: (!t.is_empty()).then(|| t.to_string()),
                        tags,
                    },
                }
            }
            FormKind::LoadBalancer => {
                for l in ["region", "kind", "scheme"] {
                    check(l)?;
                }
                Request::CreateLoadBalancer {
                    account: acct,
                    spec: LbSpec {
                        region,
                        name,
                        kind: if self.value("kind") == "network" {
                            LbKind::Network
                        } else {
                            LbKind::Application
                        },
                        scheme: if self.value("scheme") == "internal" {
                            LbScheme::Internal
                        } else {
                            LbScheme::InternetFacing
                        },
                        tags,
                    },
                }
            }
        };
        // The policy the CLI applies (spot capacity, load balancer kinds), in its words.
        crate::ops::policy::check(&account.info, &account.caps, &req)
            .map_err(|e| format!("refused: {e}"))?;
        Ok(req)
    }
}

/// `k=v k2=v2` into tags.
pub fn parse_tags(s: &str) -> Result<Tags, String> {
    let mut t = Tags::new();
    for part in s.split_whitespace() {
        match part.split_once('=') {
            Some((k, v)) if !k.is_empty() => t.insert(k, v),
            _ => return Err(format!("tag '{part}' is not key=value")),
        }
    }
    Ok(t)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::ProviderKind;
    use crate::state::fixture;

    fn set(form: &mut Form, label: &str, value: &str) {
        form.fields
            .iter_mut()
            .find(|f| f.label == label)
            .expect("field")
            .value = value.into();
    }

    #[test]
    fn an_account_that_lists_no_types_gets_the_catalogs_as_open_suggestions() {
        let mut accounts = fixture::accounts();
        let aws = accounts
            .iter_mut()
            .find(|a| a.info.provider == ProviderKind::Aws)
            .unwrap();
        aws.offerings.machine_types.clear();
        let name = aws.info.name.to_string();
        let catalog = crate::prices::Catalog::shared();
        let known = crate::prices::findings::shapes(&catalog, &[]);

        let mut form = Form::new(FormKind::Instance, &accounts, &known, Some(&name));
        let types = form.fields.iter().find(|f| f.label == "type").unwrap();
        assert!(types.open);
        assert!(
            types.choices.iter().any(|t| t == "m7g.large"),
            "catalog types offered"
        );
        set(&mut form, "region", "us-east-1");
        set(&mut form, "name", "new-1");
        set(&mut form, "type", "m99z.future");
        form.update_choices(&accounts, &known);
        assert!(
            form.request(&accounts).is_ok(),
            "a type the catalog does not know is left to the provider to judge"
        );

        // An account that lists its types keeps them strict.
        let gcp = accounts
            .iter()
            .find(|a| a.info.provider == ProviderKind::Gcp)
            .unwrap();
        let mut form = Form::new(FormKind::Instance, &accounts, &known, Some(&gcp.info.name));
        assert!(!form.fields.iter().find(|f| f.label == "type").unwrap().open);
        set(&mut form, "region", "europe-west1");
        set(&mut form, "type", "m99z.future");
        set(&mut form, "name", "new-2");
        form.update_choices(&accounts, &known);
        let err = form.request(&accounts).unwrap_err();
        assert!(err.contains("type 'm99z.future'"), "{err}");
    }
}
