//! From the file's shape to a checked [`Config`]: each rule that serde cannot express, with the
//! line of the value at fault.

use std::path::{Path, PathBuf};
use std::time::Duration;

use toml::Spanned;

use super::file::{AccountFile, FileConfig, Regions};
use super::{
    AccountConfig, Config, ConfigError, Guardrails, ProtectedTag, ProviderSettings, Refresh,
    SandboxConfig, UiConfig,
};
use crate::domain::ProviderKind;

const LOG_LEVELS: [&str; 5] = ["error", "warn", "info", "debug", "trace"];
const THEMES: [&str; 3] = ["dark", "light", "mono"];

struct Ctx<'a> {
    path: &'a Path,
    text: &'a str,
    gcloud: &'a super::gcloud::Env<'a>,
}

impl Ctx<'_> {
    fn err<T>(&self, s: &Spanned<T>, msg: impl Into<String>) -> ConfigError {
        ConfigError::at(self.path, self.text, s.span().start, msg)
    }

    /// Where `needle` is written within `s`'s span, or the span's start.
    fn find_in<T>(&self, s: &Spanned<T>, needle: &str) -> usize {
        let span = s.span();
        self.text
            .get(span.clone())
            .and_then(|t| t.find(needle))
            .map_or(span.start, |i| span.start + i)
    }
}

/// Region names of every provider are ids like `us-east-1`, `europe-west1`, `eastus`; a `:`
/// would break refs (`provider:account:region:kind:id`).
fn is_region_name(r: &str) -> bool {
    !r.is_empty()
        && r.len() <= 64
        && r.chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_')
}

/// The longest refresh interval: a day.
const MAX_REFRESH_SECS: u64 = 86_400;

pub fn validate(
    raw: FileConfig,
    path: &Path,
    text: &str,
    gcloud: &super::gcloud::Env,
) -> Result<Config, ConfigError> {
    let cx = Ctx { path, text, gcloud };
    let mut accounts: Vec<AccountConfig> = Vec::new();
    for a in raw.accounts {
        let a = a.into_inner();
        let name_at = a.name.span().start;
        let acc = account(&cx, a)?;
        // Names must be unique (as read, however they are quoted): refs and `--account` use
        // them.
        if accounts.iter().any(|b| b.name == acc.name) {
            return Err(ConfigError::at(
                path,
                text,
                name_at,
                format!("account name '{}' is used twice", acc.name),
            ));
        }
        accounts.push(acc);
    }

    let mut refresh = Refresh::default();
    if let Some(r) = raw.refresh {
        let secs = |v: &Option<Spanned<u64>>, dflt: Duration| -> Result<Duration, ConfigError> {
            match v {
                Some(s) if *s.get_ref() == 0 || *s.get_ref() > MAX_REFRESH_SECS => Err(cx.err(
                    s,
                    format!(
                        "a refresh interval is from 1 to {MAX_REFRESH_SECS} seconds (a day), not {}",
                        s.get_ref()
                    ),
                )),
                Some(s) => Ok(Duration::from_secs(*s.get_ref())),
                None => Ok(dflt),
            }
        };
        refresh.instances = secs(&r.instances, refresh.instances)?;
        refresh.disks = secs(&r.disks, refresh.disks)?;
        refresh.load_balancers = secs(&r.load_balancers, refresh.load_balancers)?;
        refresh.networks = secs(&r.networks, refresh.networks)?;
        if let Some(m) = &r.max_concurrency {
            if *m.get_ref() == 0 || *m.get_ref() > 64 {
                return Err(cx.err(m, "max_concurrency must be between 1 and 64"));
            }
            refresh.max_concurrency = *m.get_ref() as usize;
        }
    }

    let mut guardrails = Guardrails::default();
    if let Some(g) = raw.guardrails {
        guardrails.read_only = g.read_only;
        if let Some(tags) = g.protected_tags {
            guardrails.protected_tags = Vec::new();
            for t in tags {
                let p = ProtectedTag::parse(t.get_ref());
                if p.key.is_empty() {
                    return Err(cx.err(
                        &t,
                        format!(
                            "protected tag '{}' has no key (write key=value or key)",
                            t.get_ref()
                        ),
                    ));
                }
                guardrails.protected_tags.push(p);
            }
        }
    }

    let mut ui = UiConfig::default();
    if let Some(u) = raw.ui {
        if let Some(t) = &u.theme {
            if !THEMES.contains(&t.get_ref().as_str()) {
                return Err(cx.err(
                    t,
                    format!(
                        "unknown theme '{}' (themes: {})",
                        t.get_ref(),
                        THEMES.join(", ")
                    ),
                ));
            }
            ui.theme = Some(t.get_ref().clone());
        }
        ui.mouse = u.mouse;
        ui.colors = u.colors;
    }

    let mut sandbox = SandboxConfig::default();
    if let Some(s) = raw.sandbox {
        let ms = |v: &Spanned<u64>, key: &str, max: u64| -> Result<Duration, ConfigError> {
            match *v.get_ref() {
                n if n <= max => Ok(Duration::from_millis(n)),
                n => Err(cx.err(v, format!("{key} is at most {max} ms, not {n}"))),
            }
        };
        if let Some(v) = &s.transition_ms {
            sandbox.transition = ms(v, "transition_ms", super::MAX_TRANSITION_MS)?;
        }
        if let Some(v) = &s.latency_ms {
            sandbox.latency = ms(v, "latency_ms", super::MAX_LATENCY_MS)?;
        }
        for f in s.faults.unwrap_or_default() {
            let mut parsed =
                crate::providers::sandbox::faults::parse(f.get_ref()).map_err(|e| cx.err(&f, e))?;
            sandbox.faults.append(&mut parsed);
        }
        sandbox.azure_resource_groups = s.azure_resource_groups.unwrap_or_default();
    }

    let log_level = match raw.log_level {
        Some(l) if !LOG_LEVELS.contains(&l.get_ref().as_str()) => {
            return Err(cx.err(
                &l,
                format!(
                    "unknown log_level '{}' (levels: {})",
                    l.get_ref(),
                    LOG_LEVELS.join(", ")
                ),
            ));
        }
        Some(l) => Some(l.into_inner()),
        None => None,
    };

    let mut budget = super::Budget::default();
    if let Some(b) = raw.budget {
        let check = |v: &Spanned<f64>| -> Result<f64, ConfigError> {
            let x = *v.get_ref();
            if x.is_finite() && x > 0.0 {
                Ok(x)
            } else {
                Err(cx.err(
                    v,
                    format!("a budget is a positive number of USD per month, not {x}"),
                ))
            }
        };
        if let Some(m) = &b.monthly {
            budget.monthly = Some(check(m)?);
        }
        for (name, v) in &b.accounts {
            budget.accounts.insert(name.clone(), check(v)?);
        }
    }

    let mut views: Vec<super::View> = Vec::new();
    for v in raw.views {
        let v = view(&cx, v.into_inner())?;
        if views.iter().any(|w| w.name == v.0.name) {
            return Err(cx.err(&v.1, format!("a second view named '{}'", v.0.name)));
        }
        views.push(v.0);
    }

    Ok(Config {
        views,
        budget,
        source: None,
        accounts,
        refresh,
        guardrails,
        ui,
        sandbox,
        keymap: raw.keymap.unwrap_or_default(),
        log_level,
    })
}

fn account(cx: &Ctx<'_>, a: AccountFile) -> Result<AccountConfig, ConfigError> {
    let name = a.name.get_ref().trim().to_string();
    if name.is_empty() || name.contains(':') || name.chars().any(char::is_whitespace) {
        return Err(cx.err(
            &a.name,
            format!(
                "account name '{}' must be non-empty, without spaces or ':'",
                a.name.get_ref()
            ),
        ));
    }
    let provider: ProviderKind = a
        .provider
        .get_ref()
        .parse()
        .map_err(|e: String| cx.err(&a.provider, e))?;

    // Settings that belong to another provider are mistakes worth naming.
    let foreign: [(&str, bool, ProviderKind); 7] = [
        ("profile", a.profile.is_some(), ProviderKind::Aws),
        ("project", a.project.is_some(), ProviderKind::Gcp),
        (
            "credentials_file",
            a.credentials_file.is_some(),
            ProviderKind::Gcp,
        ),
        (
            "subscription",
            a.subscription.is_some(),
            ProviderKind::Azure,
        ),
        ("tenant", a.tenant.is_some(), ProviderKind::Azure),
        (
            "resource_groups",
            a.resource_groups.is_some(),
            ProviderKind::Azure,
        ),
        ("credential", a.credential.is_some(), ProviderKind::Azure),
    ];
    for (key, present, owner) in foreign {
        if present && owner != provider {
            let at = key_offset(cx.text, a.name.span().start, key);
            return Err(ConfigError::at(
                cx.path,
                cx.text,
                at,
                format!("'{key}' is a {owner} setting, but account '{name}' is {provider}"),
            ));
        }
    }

    let regions = match &a.regions {
        None if provider == ProviderKind::Aws => {
            return Err(cx.err(
                &a.provider,
                format!(
                    "account '{name}' needs regions: a list such as [\"us-east-1\"], or \"all\""
                ),
            ));
        }
        None => Vec::new(),
        Some(r) => match r.get_ref() {
            Regions::Word(w) if w == "all" => Vec::new(),
            Regions::Word(w) => {
                return Err(cx.err(r, format!("regions must be a list or \"all\", not \"{w}\"")));
            }
            Regions::List(l) if l.is_empty() => {
                return Err(cx.err(r, "regions is empty: name at least one, or write \"all\""));
            }
            Regions::List(l) => {
                if let Some(bad) = l.iter().find(|r| !is_region_name(r)) {
                    let at = cx.find_in(r, &format!("\"{bad}\""));
                    return Err(ConfigError::at(
                        cx.path,
                        cx.text,
                        at,
                        format!(
                            "region \"{bad}\" is not a region name (letters, digits and '-', such as us-east-1)"
                        ),
                    ));
                }
                l.clone()
            }
        },
    };

    if let Some(u) = &a.endpoint_url {
        if let Err(why) = super::url::check_endpoint(u.get_ref()) {
            return Err(cx.err(u, format!("endpoint_url {why}")));
        }
    }
    let endpoint_url = a.endpoint_url.map(Spanned::into_inner);

    let settings = match provider {
        ProviderKind::Aws => ProviderSettings::Aws {
            profile: a.profile.map(Spanned::into_inner),
            endpoint_url,
        },
        ProviderKind::Gcp => {
            let credentials_file = a.credentials_file.map(|c| PathBuf::from(c.into_inner()));
            // No `project`: where gcloud and Google's libraries would find one.
            let project = match a.project {
                Some(p) => p.into_inner(),
                None => super::gcloud::find_project(credentials_file.as_deref(), cx.gcloud)
                    .map(|f| f.project)
                    .ok_or_else(|| {
                        cx.err(
                            &a.provider,
                            format!(
                                "gcp account '{name}' needs project = \"PROJECT_ID\" (none in $GOOGLE_CLOUD_PROJECT, the credentials file, the ADC file or gcloud's configuration)"
                            ),
                        )
                    })?,
            };
            ProviderSettings::Gcp {
                project,
                credentials_file,
                endpoint_url,
            }
        }
        ProviderKind::Azure => ProviderSettings::Azure {
            subscription: a
                .subscription
                .ok_or_else(|| {
                    cx.err(
                        &a.provider,
                        format!("azure account '{name}' needs subscription = \"SUBSCRIPTION_ID\""),
                    )
                })?
                .into_inner(),
            tenant: a.tenant.map(Spanned::into_inner),
            resource_groups: a
                .resource_groups
                .map(Spanned::into_inner)
                .unwrap_or_default(),
            endpoint_url,
            credential: match &a.credential {
                None => super::AzureCredential::Default,
                Some(c) => super::AzureCredential::parse(c.get_ref()).ok_or_else(|| {
                    let all: Vec<_> = super::AzureCredential::ALL
                        .iter()
                        .map(|c| format!("\"{}\"", c.as_str()))
                        .collect();
                    cx.err(
                        c,
                        format!(
                            "credential \"{}\" is not one of {}",
                            c.get_ref(),
                            all.join(", ")
                        ),
                    )
                })?,
            },
        },
    };
    Ok(AccountConfig {
        name,
        provider,
        read_only: a.read_only,
        regions,
        settings,
    })
}

/// Where `key` is written after `from` (the account's table), for pointing at a stray setting.
/// Lines are counted with their own endings (`\n` or `\r\n`), so offsets stay exact.
/// One `[[views]]` entry: its pane, filter, sort and scope must all be understood (a bad
/// filter is an error here, not a warning later: a view that shows nothing is a mistake).
fn view(
    cx: &Ctx<'_>,
    v: super::file::ViewFile,
) -> Result<(super::View, Spanned<String>), ConfigError> {
    let name = v.name.get_ref().trim().to_string();
    if name.is_empty() {
        return Err(cx.err(&v.name, "a view needs a name"));
    }
    let word = v.pane.get_ref().trim().to_ascii_lowercase();
    let pane = super::VIEW_PANES
        .iter()
        .find(|(w, _)| *w == word)
        .map(|(_, k)| *k)
        .ok_or_else(|| {
            cx.err(
                &v.pane,
                format!(
                    "unknown pane '{}' (panes: instances, disks, load-balancers, costs)",
                    v.pane.get_ref()
                ),
            )
        })?;
    let filter = match &v.filter {
        Some(f) => {
            crate::filter::Filter::parse(f.get_ref())
                .map_err(|e| cx.err(f, format!("filter '{}': {e}", f.get_ref())))?;
            f.get_ref().clone()
        }
        None => String::new(),
    };
    let sort = match &v.sort {
        Some(s) => {
            let keys = crate::inventory::SortKeys::parse(s.get_ref()).map_err(|e| cx.err(s, e))?;
            if keys.0.is_empty() {
                return Err(cx.err(s, "an empty sort (leave `sort` out to keep the pane's)"));
            }
            Some(s.get_ref().clone())
        }
        None => None,
    };
    let scope = match &v.scope {
        Some(s) => {
            let sc = super::ScopeSel::parse(s.get_ref()).map_err(|e| cx.err(s, e))?;
            crate::filter::Filter::parse(&sc.term()).map_err(|e| cx.err(s, e.to_string()))?;
            Some(sc)
        }
        None => None,
    };
    Ok((
        super::View {
            name,
            pane,
            filter,
            sort,
            scope,
        },
        v.name,
    ))
}

fn key_offset(text: &str, from: usize, key: &str) -> usize {
    let from = from.min(text.len());
    let Some(rest) = text.get(from..) else {
        return from;
    };
    let mut at = from;
    for line in rest.split_inclusive('\n') {
        let trimmed = line.trim_start();
        if trimmed.starts_with(key) {
            return at + (line.len() - trimmed.len());
        }
        at += line.len();
    }
    from
}

#[cfg(test)]
mod tests {
    use super::*;

    /// With nothing in the environment or a home to find a GCP project in.
    fn parse(text: &str) -> Result<Config, ConfigError> {
        let none = super::super::gcloud::Env {
            var: &|_| None,
            home: None,
        };
        Config::parse_in(text, Path::new("/etc/nephos.toml"), &none)
    }

    #[test]
    fn a_full_config_reads() {
        let cfg = parse(
            r#"
log_level = "debug"

[[accounts]]
name = "prod"
provider = "aws"
profile = "prod-admin"
regions = ["us-east-1", "eu-west-1"]
read_only = true

[[accounts]]
name = "data"
provider = "gcp"
project = "acme-data"

[[accounts]]
name = "corp"
provider = "azure"
subscription = "0000-1111"
regions = "all"

[refresh]
instances = 20

[guardrails]
protected_tags = ["env=prod", "critical"]

[budget]
monthly = 5000
accounts = { prod = 2000.5 }
"#,
        )
        .unwrap();
        assert_eq!(cfg.accounts.len(), 3);
        assert!(cfg.accounts[0].read_only);
        assert_eq!(cfg.accounts[0].regions, ["us-east-1", "eu-west-1"]);
        assert!(cfg.accounts[2].regions.is_empty());
        assert_eq!(cfg.refresh.instances, Duration::from_secs(20));
        assert_eq!(cfg.refresh.disks, Refresh::default().disks);
        assert_eq!(
            cfg.guardrails.protected_tags[1],
            ProtectedTag {
                key: "critical".into(),
                value: None
            }
        );
        assert_eq!(cfg.log_level.as_deref(), Some("debug"));
        assert_eq!(cfg.budget.monthly, Some(5000.0));
        assert_eq!(cfg.budget.accounts["prod"], 2000.5);
        let e = parse("[budget]\nmonthly = -3\n").unwrap_err();
        assert_eq!(e.line, Some(2), "{e}");
    }

    #[test]
    fn syntax_errors_name_file_line_and_column() {
        let e = parse("[[accounts]]\nname = \"x\"\nprovider = aws\n").unwrap_err();
        assert_eq!(e.source, "/etc/nephos.toml");
        assert_eq!(e.line, Some(3), "{e}");
        assert!(e.to_string().starts_with("/etc/nephos.toml:3:"), "{e}");
    }

    #[test]
    fn a_typo_in_a_key_is_an_error_on_its_line() {
        let e =
            parse("[[accounts]]\nname = \"x\"\nprovider = \"aws\"\nregoins = [\"us-east-1\"]\n")
                .unwrap_err();
        assert_eq!(e.line, Some(4), "{e}");
        assert!(e.message.contains("unknown field `regoins`"), "{e}");
    }

    #[test]
    fn unknown_provider_points_at_the_value() {
        let e = parse("[[accounts]]\nname = \"x\"\nprovider = \"oracle\"\n").unwrap_err();
        assert_eq!(e.line, Some(3));
        assert!(e.message.contains("unknown provider 'oracle'"), "{e}");
    }

    #[test]
    fn a_setting_of_another_provider_is_named() {
        let e = parse("[[accounts]]\nname = \"x\"\nprovider = \"aws\"\nregions = [\"us-east-1\"]\nproject = \"p\"\n").unwrap_err();
        assert_eq!(e.line, Some(5), "{e}");
        assert!(e.message.contains("'project' is a gcp setting"), "{e}");
    }

    #[test]
    fn an_azure_credential_is_one_of_the_known_sources() {
        let cfg = parse("[[accounts]]\nname = \"corp\"\nprovider = \"azure\"\nsubscription = \"s\"\ncredential = \"azure-cli\"\n").unwrap();
        match &cfg.accounts[0].settings {
            super::super::ProviderSettings::Azure { credential, .. } => {
                assert_eq!(*credential, super::super::AzureCredential::AzureCli)
            }
            other => panic!("{other:?}"),
        }
        let e = parse("[[accounts]]\nname = \"corp\"\nprovider = \"azure\"\nsubscription = \"s\"\ncredential = \"password\"\n").unwrap_err();
        assert_eq!(e.line, Some(5), "{e}");
        assert!(e.message.contains("\"managed-identity\""), "{e}");
        let e = parse("[[accounts]]\nname = \"p\"\nprovider = \"aws\"\nregions = [\"us-east-1\"]\ncredential = \"default\"\n").unwrap_err();
        assert!(e.message.contains("'credential' is a azure setting"), "{e}");
    }

    #[test]
    fn missing_required_settings_are_named() {
        let e = parse("[[accounts]]\nname = \"d\"\nprovider = \"gcp\"\n").unwrap_err();
        assert!(e.message.contains("needs project"), "{e}");
        let e = parse("[[accounts]]\nname = \"p\"\nprovider = \"aws\"\n").unwrap_err();
        assert!(e.message.contains("needs regions"), "{e}");
        let e = parse("[[accounts]]\nname = \"p\"\nprovider = \"aws\"\nregions = \"some\"\n")
            .unwrap_err();
        assert_eq!(e.line, Some(4));
    }

    #[test]
    fn duplicate_names_and_bad_values() {
        let e = parse("[[accounts]]\nname = \"a\"\nprovider = \"gcp\"\nproject = \"p\"\n\n[[accounts]]\nname = \"a\"\nprovider = \"gcp\"\nproject = \"q\"\n").unwrap_err();
        assert_eq!(e.line, Some(7), "{e}");
        assert!(e.message.contains("used twice"));
        let e = parse("[refresh]\ninstances = 0\n").unwrap_err();
        assert_eq!(e.line, Some(2));
        let e = parse("[ui]\ntheme = \"neon\"\n").unwrap_err();
        assert!(e.message.contains("unknown theme 'neon'"), "{e}");
        let e = parse("log_level = \"loud\"\n").unwrap_err();
        assert!(e.message.contains("levels: error"), "{e}");
        let e = parse("[[accounts]]\nname = \"a\"\nprovider = \"aws\"\nregions = [\"us-east-1\"]\nendpoint_url = \"localhost:5000\"\n").unwrap_err();
        assert_eq!(e.line, Some(5));
    }

    #[test]
    fn a_duplicate_name_is_reported_where_it_is_written_however_it_is_quoted() {
        for second in ["'prod'", "\" prod\"", "\"pr\\u006fd\""] {
            let text = format!("[[accounts]]\nname = \"prod\"\nprovider = \"gcp\"\nproject = \"p\"\n\n[[accounts]]\nname = {second}\nprovider = \"gcp\"\nproject = \"q\"\n");
            let e = parse(&text).unwrap_err();
            assert_eq!((e.line, e.column), (Some(7), Some(8)), "{second}: {e}");
            assert!(e.message.contains("'prod' is used twice"), "{e}");
        }
    }

    #[test]
    fn crlf_and_non_ascii_lines_point_at_the_right_place() {
        let text = "[[accounts]]\r\nname = \"x\"\r\nprovider = \"aws\" # \u{e9}\r\nregions = [\"us-east-1\"] # \u{e9}\r\nproject = \"p\"\r\n";
        let e = parse(text).unwrap_err();
        assert_eq!((e.line, e.column), (Some(5), Some(1)), "{e}");
        let e = parse(&text.replace(" # \u{e9}", "")).unwrap_err();
        assert_eq!((e.line, e.column), (Some(5), Some(1)), "{e}");
        // A column counts characters, not bytes.
        let e = parse("# \u{e9}\nlog_level = \"\u{e9}\" x\n").unwrap_err();
        assert_eq!((e.line, e.column), (Some(2), Some(17)), "{e}");
    }

    #[test]
    fn a_byte_order_mark_is_allowed() {
        let cfg = parse("\u{feff}[refresh]\ninstances = 20\n").unwrap();
        assert_eq!(cfg.refresh.instances, Duration::from_secs(20));
    }

    #[test]
    fn numbers_too_big_to_use_are_errors_on_their_line() {
        for (text, what) in [
            (
                "[sandbox]\nlatency_ms = 9223372036854775807\n",
                "latency_ms",
            ),
            (
                "[sandbox]\ntransition_ms = 9223372036854775808\n",
                "transition_ms",
            ),
            (
                "[sandbox]\ntransition_ms = 18446744073709551615\n",
                "transition_ms",
            ),
            (
                "[refresh]\ninstances = 9223372036854775807\n",
                "refresh interval",
            ),
            ("[refresh]\ndisks = 1000000000\n", "refresh interval"),
        ] {
            let e = parse(text).unwrap_err();
            assert_eq!(e.line, Some(2), "{text}: {e}");
            assert!(e.message.contains(what), "{text}: {e}");
        }
        let cfg = parse("[sandbox]\nlatency_ms = 0\ntransition_ms = 3600000\n").unwrap();
        assert_eq!(cfg.sandbox.transition, Duration::from_secs(3600));
    }

    #[test]
    fn regions_that_would_break_refs_are_errors() {
        for region in [
            "\"\"",
            "\"us:east:1\"",
            "\" us-east-1\"",
            "\"us-east-1\\n\"",
        ] {
            let text = format!("[[accounts]]\nname = \"a\"\nprovider = \"aws\"\nregions = [\"us-west-2\", {region}]\n");
            let e = parse(&text).unwrap_err();
            assert_eq!(e.line, Some(4), "{region}: {e}");
            assert!(e.message.contains("region"), "{region}: {e}");
        }
    }

    #[test]
    fn endpoint_urls_must_be_urls() {
        for url in [
            "http://exa mple.com",
            "http://",
            "https://:5000",
            "http://localhost:99999",
            "http://localhost:50a0",
            "http://admin:secret@localhost:5000",
            "http://localhost:5000/\\u001b[2J",
            "ftp://localhost:5000",
        ] {
            let text = format!("[[accounts]]\nname = \"a\"\nprovider = \"aws\"\nregions = [\"us-east-1\"]\nendpoint_url = \"{url}\"\n");
            let e = parse(&text).unwrap_err();
            assert_eq!(e.line, Some(5), "{url}: {e}");
            assert!(e.message.contains("endpoint_url"), "{url}: {e}");
            assert!(!e.message.contains("secret"), "no credentials echoed: {e}");
        }
        for url in [
            "http://127.0.0.1:5000",
            "https://ec2.us-east-1.amazonaws.com",
            "http://localhost:4566/",
            "http://[::1]:5000",
        ] {
            let text = format!("[[accounts]]\nname = \"a\"\nprovider = \"aws\"\nregions = [\"us-east-1\"]\nendpoint_url = \"{url}\"\n");
            parse(&text).unwrap_or_else(|e| panic!("{url}: {e}"));
        }
    }

    #[test]
    fn faults_must_name_a_sandbox_account() {
        let e = parse("[sandbox]\nfaults = [\"sandbox-gcp=auth\", \"sandbox-gpc=auth\"]\n")
            .unwrap_err();
        assert_eq!(e.line, Some(2), "{e}");
        assert!(e.message.contains("'sandbox-gpc'"), "{e}");
        let e = parse("[sandbox]\nfaults = [\"sandbox-aws/mars-1=auth\"]\n").unwrap_err();
        assert!(e.message.contains("'mars-1'"), "{e}");
        parse("[sandbox]\nfaults = [\"sandbox-aws/eu-west-1=throttled\"]\n").unwrap();
    }

    #[test]
    fn views_read_with_pane_filter_sort_and_scope() {
        let c = parse(
            "[[views]]\nname = \"prod-web\"\npane = \"instances\"\nfilter = \"tag:env=prod web\"\nsort = \"name:desc\"\nscope = \"account:prod\"\n\n[[views]]\nname = \"idle\"\npane = \"lbs\"\n",
        )
        .unwrap();
        assert_eq!(c.views.len(), 2);
        let v = &c.views[0];
        assert_eq!(v.name, "prod-web");
        assert_eq!(v.pane, Some(crate::domain::ResourceKind::Instance));
        assert_eq!(v.filter, "tag:env=prod web");
        assert_eq!(v.sort.as_deref(), Some("name:desc"));
        assert_eq!(v.scope.as_ref().unwrap().to_string(), "account:prod");
        assert_eq!(
            c.views[1].pane,
            Some(crate::domain::ResourceKind::LoadBalancer)
        );
        assert_eq!((c.views[1].filter.as_str(), &c.views[1].sort), ("", &None));
    }

    #[test]
    fn a_bad_view_is_an_error_on_its_line() {
        let view = |k: &str, v: &str| {
            format!("log_level = \"info\"\n\n[[views]]\nname = \"x\"\npane = \"instances\"\n{k} = \"{v}\"\n")
        };
        for (k, v, says) in [
            ("filter", "state:sleeping", "filter 'state:sleeping'"),
            ("filter", "colour:red", "colour"),
            ("sort", "colour", "cannot sort by 'colour'"),
            ("sort", "name:sideways", "sideways"),
            ("scope", "planet:mars", "planet"),
            ("scope", "prod", "account:NAME"),
            ("scope", "provider:oracle", "unknown provider 'oracle'"),
        ] {
            let e = parse(&view(k, v)).unwrap_err();
            assert_eq!(e.line, Some(6), "{k} = {v}: {e}");
            assert!(e.message.contains(says), "{k} = {v}: {e}");
        }
        let e = parse("[[views]]\nname = \"x\"\npane = \"buckets\"\n").unwrap_err();
        assert_eq!(e.line, Some(3), "{e}");
        assert!(e.message.contains("unknown pane 'buckets'"), "{e}");
        let e = parse("[[views]]\nname = \"x\"\npane = \"disks\"\n[[views]]\nname = \"x\"\npane = \"costs\"\n")
            .unwrap_err();
        assert_eq!(e.line, Some(5), "{e}");
        assert!(e.message.contains("second view named 'x'"), "{e}");
        let e =
            parse("[[views]]\nname = \"x\"\npane = \"disks\"\nsorting = \"name\"\n").unwrap_err();
        assert_eq!(e.line, Some(4), "a typo in a key: {e}");
    }

    #[test]
    fn an_oversized_file_is_refused() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("big.toml");
        std::fs::write(&path, "# padding\n".repeat(200_000)).unwrap();
        let e = Config::load(&path, true).unwrap_err();
        assert!(e.message.contains("larger than 1 MiB"), "{e}");
        std::fs::write(&path, b"[ui]\ntheme = \"dark\"\n# \xff\xfe\n").unwrap();
        let e = Config::load(&path, true).unwrap_err();
        assert_eq!(e.line, Some(3), "{e}");
        assert!(e.message.contains("UTF-8"), "{e}");
    }

    #[test]
    fn an_empty_file_is_an_empty_config() {
        let cfg = parse("").unwrap();
        assert!(cfg.accounts.is_empty());
        assert_eq!(
            cfg.guardrails.protected_tags,
            vec![ProtectedTag::parse("env=prod")]
        );
    }
}

#[cfg(test)]
mod readme {
    use super::*;

    /// The README's example config is a real config.
    #[test]
    fn the_readme_example_parses() {
        let readme = include_str!("../../README.md");
        let start = readme.find("```toml\n").expect("a toml block") + 8;
        let end = start + readme[start..].find("```").expect("its end");
        let cfg = Config::parse(&readme[start..end], Path::new("README.md"))
            .unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(cfg.accounts.len(), 3);
        assert_eq!(cfg.budget.monthly, Some(5000.0));
        assert_eq!(cfg.views.len(), 1);
    }
}
