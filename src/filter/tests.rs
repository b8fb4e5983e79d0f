use super::*;
use crate::domain::{Instance, InstanceState, ProviderKind, ResourceKind, ResourceRef, Tags};

fn vm(
    provider: ProviderKind,
    name: &str,
    state: InstanceState,
    ty: &str,
    tags: &[(&str, &str)],
) -> Instance {
    Instance {
        uid: None,
        r#ref: ResourceRef::new(
            provider,
            "acct",
            "us-east-1",
            ResourceKind::Instance,
            &format!("i-{name}"),
        ),
        sandbox: true,
        zone: Some("us-east-1a".into()),
        name: name.into(),
        state,
        provider_state: state.as_str().into(),
        instance_type: ty.into(),
        vcpus: Some(2),
        memory_gib: Some(8.0),
        private_ip: None,
        public_ip: None,
        spot: name.contains("spot"),
        launched_at: None,
        tags: tags.iter().copied().collect::<Tags>(),
    }
}

fn matches(filter: &str, r: &Instance) -> bool {
    Filter::parse(filter)
        .unwrap_or_else(|e| panic!("{e}"))
        .matches(r)
}

#[test]
fn free_text_matches_name_id_and_tag_values_as_substrings() {
    let a = vm(
        ProviderKind::Aws,
        "web-prod-1",
        InstanceState::Running,
        "m5.large",
        &[("team", "Payments")],
    );
    assert!(matches("prod", &a));
    assert!(matches("PROD", &a));
    assert!(matches("i-web", &a));
    assert!(matches("payments", &a));
    assert!(!matches("team", &a), "tag keys are not free text");
    assert!(!matches("staging", &a));
    assert!(matches("", &a));
}

#[test]
fn fields_match_whole_values_and_globs() {
    let a = vm(
        ProviderKind::Gcp,
        "db-1",
        InstanceState::Stopped,
        "n2-highmem-4",
        &[],
    );
    assert!(matches("provider:gcp", &a));
    assert!(!matches("provider:aws", &a));
    assert!(matches("type:n2-*", &a));
    assert!(!matches("type:n2", &a), "field values match whole");
    assert!(matches("state:stopped", &a));
    assert!(matches("zone:us-east-1?", &a));
    assert!(matches("name:DB-1", &a));
    assert!(matches("region:us-east-1 account:acct", &a));
}

#[test]
fn terms_and_together_and_bang_negates() {
    let a = vm(
        ProviderKind::Aws,
        "web-spot-2",
        InstanceState::Running,
        "t3.small",
        &[("env", "dev")],
    );
    assert!(matches("web spot:true tag:env=dev", &a));
    assert!(!matches("web spot:false", &a));
    assert!(matches("!state:stopped", &a));
    assert!(!matches("!web", &a));
    assert!(matches("tag:env", &a));
    assert!(matches("!tag:owner", &a));
    assert!(matches("tag:env=d*", &a));
    assert!(!matches("tag:env=prod", &a));
}

#[test]
fn quotes_keep_spaces_and_colons() {
    let a = vm(
        ProviderKind::Aws,
        "my web: box",
        InstanceState::Running,
        "t3.small",
        &[("note", "a b")],
    );
    assert!(matches("\"web: box\"", &a));
    assert!(matches("name:\"my web: box\"", &a));
    assert!(matches("tag:note=\"a b\"", &a));
}

#[test]
fn bad_syntax_points_at_the_term() {
    let e = Filter::parse("web colour:red").unwrap_err();
    assert_eq!((e.start, e.end), (4, 14));
    assert!(e.message.contains("unknown field 'colour'"), "{e}");
    assert!(e.to_string().contains("column 5"), "{e}");
    assert_eq!(e.caret(), "web colour:red\n    ^^^^^^^^^^");

    let e = Filter::parse("state:runing").unwrap_err();
    assert!(e.message.contains("did you mean 'running'"), "{e}");
    let e = Filter::parse("name:\"open").unwrap_err();
    assert!(e.message.contains("never closed"), "{e}");
    assert_eq!(e.start, 5);
    assert!(Filter::parse("state:")
        .unwrap_err()
        .message
        .contains("needs a value"));
    assert!(Filter::parse("web !")
        .unwrap_err()
        .message
        .contains("'!' needs"));
    assert!(Filter::parse("spot:maybe")
        .unwrap_err()
        .message
        .contains("true or false"));
    assert!(Filter::parse("provider:oracle")
        .unwrap_err()
        .message
        .contains("providers are"));
    assert!(Filter::parse("tag:=x").is_err());
}

#[test]
fn states_of_every_kind_are_accepted() {
    assert!(Filter::parse("state:in-use").is_ok());
    assert!(Filter::parse("state:active").is_ok());
    assert!(Filter::parse("state:stop*").is_ok());
}

#[test]
fn free_text_globs_match_anywhere() {
    let a = vm(
        ProviderKind::Aws,
        "api-staging-7",
        InstanceState::Running,
        "t3.small",
        &[],
    );
    assert!(matches("stag*7", &a));
    assert!(matches("api*ing", &a));
    assert!(!matches("prod*7", &a));
}

#[test]
fn typing_more_narrows_and_erasing_does_not() {
    let f = |s: &str| Filter::parse(s).unwrap();
    assert!(f("pro").narrows(&f("pr")));
    assert!(f("prod state:running").narrows(&f("prod")));
    assert!(f("web").narrows(&f("")));
    assert!(!f("pr").narrows(&f("pro")));
    assert!(
        !f("!prod").narrows(&f("!pro")),
        "a longer negated term matches more"
    );
    assert!(
        !f("name:web").narrows(&f("name:we")),
        "field values match whole"
    );
    assert!(!f("pr*").narrows(&f("pr")));
}

#[test]
fn question_mark_is_one_character_and_case_folds_beyond_ascii() {
    let a = vm(
        ProviderKind::Aws,
        "café",
        InstanceState::Running,
        "t3.small",
        &[("city", "ZÜRICH")],
    );
    assert!(matches("name:caf?", &a), "? is one character, not one byte");
    assert!(!matches("name:caf??", &a));
    assert!(matches("name:CAFÉ", &a));
    assert!(matches("CAFÉ", &a));
    assert!(matches("züri", &a));
    assert!(matches("tag:city=zü*", &a));
    assert!(matches("C?FÉ", &a));
    assert!(!matches("cafe", &a));
}

#[test]
fn runs_of_stars_collapse_and_repeated_terms_count_once() {
    let f = Filter::parse(&format!("web{}01", "*".repeat(300))).unwrap();
    assert_eq!(
        f.terms,
        Filter::parse("web*01").unwrap().terms,
        "300 stars are one star"
    );
    let f = Filter::parse(&"*".repeat(300)).unwrap();
    assert_eq!(f.terms, Filter::parse("*").unwrap().terms);
    let f = Filter::parse(&"a ".repeat(51_200)).unwrap();
    assert_eq!(f.terms.len(), 1, "one term, however often it is written");
    let f = Filter::parse("a b a !a b").unwrap();
    assert_eq!(f.terms.len(), 3);
    let a = vm(
        ProviderKind::Aws,
        "web-7-01",
        InstanceState::Running,
        "t3.small",
        &[],
    );
    assert!(matches(&format!("web{}01", "*".repeat(300)), &a));
    assert!(matches(&"*".repeat(300), &a));
    assert!(matches(
        &"a ".repeat(4),
        &vm(ProviderKind::Aws, "a", InstanceState::Running, "x", &[])
    ));
}

#[test]
fn an_empty_quoted_term_is_named_as_such() {
    for input in ["\"\"", "web \"\""] {
        let e = Filter::parse(input).unwrap_err();
        assert!(e.message.contains("empty"), "{input}: {e}");
        assert!(!e.message.contains('!'), "{input}: {e}");
    }
    assert!(Filter::parse("!\"\"")
        .unwrap_err()
        .message
        .contains("empty"));
    assert!(Filter::parse("web !")
        .unwrap_err()
        .message
        .contains("'!' needs"));
}

// Issue 15, habit 1: filter power.

fn priced(name: &str, ty: &str, vcpus: u32, mem: f64) -> Instance {
    let mut i = vm(ProviderKind::Aws, name, InstanceState::Running, ty, &[]);
    i.vcpus = Some(vcpus);
    i.memory_gib = Some(mem);
    i.private_ip = Some("10.1.2.3".into());
    i.public_ip = Some("54.12.0.9".into());
    i
}

#[test]
fn free_text_also_matches_ips_machine_types_and_zones() {
    let a = priced("web-1", "m5.xlarge", 4, 16.0);
    assert!(matches("10.1.2", &a), "private ip");
    assert!(matches("54.12.0.9", &a), "public ip");
    assert!(matches("xlarge", &a), "machine type");
    assert!(matches("us-east-1a", &a), "zone");
    assert!(!matches("10.9", &a));
}

#[test]
fn a_bar_or_comma_gives_alternatives_within_a_field() {
    let run = vm(
        ProviderKind::Aws,
        "a",
        InstanceState::Running,
        "t3.micro",
        &[("env", "dev")],
    );
    let stop = vm(
        ProviderKind::Gcp,
        "b",
        InstanceState::Stopped,
        "e2-small",
        &[("env", "prod")],
    );
    let term = vm(
        ProviderKind::Aws,
        "c",
        InstanceState::Terminated,
        "t3.micro",
        &[],
    );
    for f in [
        "state:running|stopped",
        "state:running,stopped",
        "state=running|stopped",
    ] {
        assert!(matches(f, &run), "{f}");
        assert!(matches(f, &stop), "{f}");
        assert!(!matches(f, &term), "{f}");
    }
    assert!(matches("provider:gcp|azure", &stop));
    assert!(!matches("provider:gcp|azure", &run));
    assert!(matches("tag:env=dev|prod", &run));
    assert!(matches("tag:env=dev|prod", &stop));
    assert!(!matches("tag:env=dev|prod", &term));
    assert!(matches("!state:running|stopped", &term));
    assert!(matches("type:t3.*|e2-*", &stop));
    // Quoted, a bar is text.
    assert!(!matches("name:\"a|b\"", &run));
    assert!(
        Filter::parse("state:running|runing").is_err(),
        "each alternative is checked"
    );
}

#[test]
fn numbers_compare() {
    let small = priced("small", "t3.micro", 2, 1.0);
    let big = priced("big", "m5.xlarge", 4, 16.0);
    assert!(matches("vcpus>=4", &big));
    assert!(!matches("vcpus>=4", &small));
    assert!(matches("vcpus<4", &small));
    assert!(matches("vcpus:4", &big));
    assert!(matches("vcpus=4", &big));
    assert!(matches("vcpus!=4", &small));
    assert!(matches("memory>8", &big));
    assert!(matches("memory<=1", &small));
    assert!(matches("!vcpus>2", &small));
    // cost is dollars an hour, from the bundled catalog (m5.xlarge in us-east-1 is $0.192).
    assert!(matches("cost>0.1", &big));
    assert!(!matches("cost>0.1", &small));
    assert!(matches("cost<0.1", &small));
}

#[test]
fn age_compares_durations() {
    let mut old = priced("old", "t3.micro", 2, 1.0);
    old.launched_at = Some(chrono::Utc::now() - chrono::Duration::days(40));
    let mut young = priced("young", "t3.micro", 2, 1.0);
    young.launched_at = Some(chrono::Utc::now() - chrono::Duration::hours(3));
    assert!(matches("age>30d", &old));
    assert!(!matches("age>30d", &young));
    assert!(matches("age<1d", &young));
    assert!(matches("age>2h", &young));
    assert!(matches("age<6w", &old));
    let unknown = priced("unknown", "t3.micro", 2, 1.0);
    assert!(
        !matches("age>1d", &unknown),
        "no launch time: no age to compare"
    );
    assert!(!matches("age<1d", &unknown));
}

#[test]
fn disk_size_and_lb_targets_compare() {
    let (_, disks, lbs) = crate::providers::sandbox::sample(60, 1);
    let f = Filter::parse("size>100").unwrap();
    assert!(disks.iter().any(|d| f.matches(d)));
    assert!(disks.iter().all(|d| f.matches(d) == (d.size_gib > 100)));
    let f = Filter::parse("targets>=1").unwrap();
    assert!(lbs.iter().all(|l| f.matches(l) != l.targets.is_empty()));
}

#[test]
fn a_bad_comparison_is_an_error_with_its_span() {
    let e = Filter::parse("state:running vcpus=>4").unwrap_err();
    assert!(e.message.contains("unknown operator '=>'"), "{e}");
    assert_eq!(&e.input[e.start..e.end], "=>", "the span is the operator");
    let e = Filter::parse("vcpus>four").unwrap_err();
    assert!(e.message.contains("not a number"), "{e}");
    let e = Filter::parse("name>4").unwrap_err();
    assert!(e.message.contains("name is not a number"), "{e}");
    let e = Filter::parse("colour>4").unwrap_err();
    assert!(e.message.contains("unknown field 'colour'"), "{e}");
    assert_eq!(&e.input[e.start..e.end], "colour>4");
    let e = Filter::parse("age>30y").unwrap_err();
    assert!(e.message.contains("30y"), "{e}");
    // Text with `=` that names no field stays free text.
    assert!(Filter::parse("a=b").is_ok());
}
