//! Refs and ids: any text is a ref or a clear error, refs print and parse back, and resolving
//! never panics and only ever answers with a row the query names.

use proptest::prelude::*;

use nephos::domain::{Instance, ProviderKind, ResourceKind, ResourceRef};
use nephos::inventory::resolve::{resolve, ResolveError};

use super::{config, text_of, HOSTILE};

const ID: &[char] = &['a', 'B', '0', '-', '/', ':', 'é', '.', 'i'];
const PART: &[char] = &['a', 'b', '1', '-'];

fn provider() -> impl Strategy<Value = ProviderKind> {
    prop::sample::select(&[ProviderKind::Aws, ProviderKind::Gcp, ProviderKind::Azure][..])
}

fn nonempty(alphabet: &'static [char], max: usize) -> impl Strategy<Value = String> {
    text_of(alphabet, max).prop_filter("not empty", |s| !s.is_empty())
}

fn a_ref() -> impl Strategy<Value = ResourceRef> {
    (
        provider(),
        nonempty(PART, 4),
        nonempty(PART, 4),
        nonempty(ID, 8),
    )
        .prop_map(|(p, a, r, id)| ResourceRef::new(p, &a, &r, ResourceKind::Instance, id.trim()))
        .prop_filter("an id", |r| !r.id.is_empty())
}

fn rows() -> impl Strategy<Value = Vec<Instance>> {
    prop::collection::vec((a_ref(), text_of(ID, 5)), 1..8).prop_map(|v| {
        let (mut template, _, _) = nephos::providers::sandbox::sample(1, 7);
        let base = template.remove(0);
        v.into_iter()
            .map(|(r, name)| Instance {
                r#ref: r,
                name: name.as_str().into(),
                ..base.clone()
            })
            .collect()
    })
}

proptest! {
    #![proptest_config(config(600))]

    #[test]
    fn refs_print_and_parse_back(r in a_ref()) {
        let text = r.to_string();
        prop_assert_eq!(text.parse::<ResourceRef>().ok(), Some(r));
    }

    #[test]
    fn any_text_is_a_ref_or_an_error(s in text_of(HOSTILE, 40)) {
        if let Err(e) = s.parse::<ResourceRef>() {
            let _ = e.to_string();
        }
    }

    #[test]
    fn resolving_answers_only_with_what_the_query_names(
        rows in rows(),
        pick in any::<prop::sample::Index>(),
        noise in text_of(HOSTILE, 12),
    ) {
        let target = &rows[pick.index(rows.len())];
        let same_ref = rows.iter().filter(|r| r.r#ref == target.r#ref).count();
        // Its ref names it (unless two rows share one, which is ambiguous and says so).
        match resolve(rows.iter(), &target.r#ref.to_string(), "instance") {
            Ok(found) => prop_assert_eq!(&found.r#ref, &target.r#ref),
            Err(ResolveError::Ambiguous { candidates, .. }) => {
                prop_assert!(same_ref > 1 || candidates.len() > 1)
            }
            Err(e) => prop_assert!(false, "its own ref is not found: {}", e),
        }
        for q in [target.r#ref.id.to_string(), target.name.to_string(), noise.clone()] {
            match resolve(rows.iter(), &q, "instance") {
                Ok(found) => {
                    let q = q.trim();
                    let names = found.r#ref.to_string() == q
                        || found.r#ref.id.eq_ignore_ascii_case(q)
                        || q.ends_with(&format!("/{}", found.r#ref.id))
                        || found.name == q;
                    prop_assert!(names, "'{}' resolved to {:?}", q, found.r#ref);
                }
                Err(e) => {
                    let _ = e.to_string();
                }
            }
        }
    }
}
