//! Compute Engine names resources by URL (`…/projects/P/zones/Z/instances/N`); these helpers
//! read the parts nephos needs and build the URLs requests carry.

/// Where full resource URLs start (the API's own links, whatever endpoint is called).
pub const BASE: &str = "https://www.googleapis.com/compute/v1";

/// The last path segment: the name in a resource URL (`…/machineTypes/e2-small` → `e2-small`).
pub fn last(url: &str) -> &str {
    url.rsplit('/').next().unwrap_or(url)
}

/// The segment after `key` (`segment(url, "zones")` → `us-central1-a`).
pub fn segment<'a>(url: &'a str, key: &str) -> Option<&'a str> {
    let mut parts = url.split('/');
    while let Some(p) = parts.next() {
        if p == key {
            return parts.next();
        }
    }
    None
}

/// The region of a zone (`us-central1-a` → `us-central1`).
pub fn zone_region(zone: &str) -> &str {
    zone.rsplit_once('-').map_or(zone, |(r, _)| r)
}

pub fn zonal(project: &str, zone: &str, collection: &str, name: &str) -> String {
    format!("{BASE}/projects/{project}/zones/{zone}/{collection}/{name}")
}

pub fn regional(project: &str, region: &str, collection: &str, name: &str) -> String {
    format!("{BASE}/projects/{project}/regions/{region}/{collection}/{name}")
}

/// An instance named by another resource's URL, as (project, zone, name).
pub fn zonal_parts(url: &str) -> Option<(&str, &str, &str)> {
    Some((
        segment(url, "projects")?,
        segment(url, "zones")?,
        Some(last(url))?,
    ))
}

/// The image an insert boots from: a URL or partial URL as given, `PROJECT/FAMILY` as that
/// family's newest image, a bare name as an image of the account's project; none at all: the
/// newest Debian 12 (the `debian-12` family of `debian-cloud`, which Compute resolves itself).
pub fn image(project: &str, given: Option<&str>) -> String {
    match given.map(str::trim).filter(|s| !s.is_empty()) {
        None => format!("{BASE}/projects/debian-cloud/global/images/family/debian-12"),
        Some(g)
            if g.starts_with("https://")
                || g.starts_with("projects/")
                || g.starts_with("global/") =>
        {
            g.to_string()
        }
        Some(g) => match g.split_once('/') {
            Some((p, family)) => format!("{BASE}/projects/{p}/global/images/family/{family}"),
            None => format!("{BASE}/projects/{project}/global/images/{g}"),
        },
    }
}

/// The (project, family) of an image family's URL (`…/projects/P/global/images/family/F`).
pub fn family(url: &str) -> Option<(&str, &str)> {
    let (head, family) = url.split_once("/global/images/family/")?;
    let project = last(head);
    (!project.is_empty() && !family.is_empty() && !family.contains('/'))
        .then_some((project, family))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn urls_are_read_and_built() {
        let u = "https://www.googleapis.com/compute/v1/projects/p1/zones/europe-west1-b/instances/web-1";
        assert_eq!(last(u), "web-1");
        assert_eq!(segment(u, "zones"), Some("europe-west1-b"));
        assert_eq!(zonal_parts(u), Some(("p1", "europe-west1-b", "web-1")));
        assert_eq!(zone_region("europe-west1-b"), "europe-west1");
        assert_eq!(zonal("p1", "europe-west1-b", "instances", "web-1"), u);
        assert!(image("p", None).ends_with("/debian-cloud/global/images/family/debian-12"));
        assert!(image("p", Some("ubuntu-os-cloud/ubuntu-2404-lts-amd64"))
            .ends_with("projects/ubuntu-os-cloud/global/images/family/ubuntu-2404-lts-amd64"));
        assert!(image("p", Some("golden")).ends_with("projects/p/global/images/golden"));
        assert_eq!(
            image("p", Some("projects/x/global/images/y")),
            "projects/x/global/images/y"
        );
        assert_eq!(
            family(&image("p", None)),
            Some(("debian-cloud", "debian-12"))
        );
        assert_eq!(
            family("projects/x/global/images/family/f"),
            Some(("x", "f"))
        );
        assert_eq!(family("projects/x/global/images/y"), None);
    }
}
