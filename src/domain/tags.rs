use serde::ser::SerializeMap;
use serde::{Deserialize, Deserializer, Serialize, Serializer};

use super::Str;

/// Tags (AWS), labels (GCP) or tags (Azure): key/value pairs kept sorted by key. A sorted vector
/// is smaller and faster to scan than a map for the handful of tags a resource carries.
#[derive(Debug, Clone, Default, PartialEq, Eq, Hash)]
pub struct Tags(Vec<(Str, Str)>);

impl Tags {
    pub fn new() -> Self {
        Tags(Vec::new())
    }

    pub fn get(&self, key: &str) -> Option<&str> {
        self.0
            .binary_search_by(|(k, _)| k.as_str().cmp(key))
            .ok()
            .map(|i| self.0[i].1.as_str())
    }

    pub fn insert(&mut self, key: &str, value: &str) {
        match self.0.binary_search_by(|(k, _)| k.as_str().cmp(key)) {
            Ok(i) => self.0[i].1 = value.into(),
            Err(i) => self.0.insert(i, (key.into(), value.into())),
        }
    }

    pub fn remove(&mut self, key: &str) -> Option<Str> {
        self.0
            .binary_search_by(|(k, _)| k.as_str().cmp(key))
            .ok()
            .map(|i| self.0.remove(i).1)
    }

    pub fn iter(&self) -> impl Iterator<Item = (&str, &str)> {
        self.0.iter().map(|(k, v)| (k.as_str(), v.as_str()))
    }

    pub fn len(&self) -> usize {
        self.0.len()
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// `k=v,k2=v2`, the form the CSV and table outputs use.
    pub fn joined(&self) -> String {
        let mut out = String::new();
        for (i, (k, v)) in self.iter().enumerate() {
            if i > 0 {
                out.push(',');
            }
            out.push_str(k);
            out.push('=');
            out.push_str(v);
        }
        out
    }
}

impl<K: AsRef<str>, V: AsRef<str>> FromIterator<(K, V)> for Tags {
    fn from_iter<I: IntoIterator<Item = (K, V)>>(iter: I) -> Self {
        let mut t = Tags::new();
        for (k, v) in iter {
            t.insert(k.as_ref(), v.as_ref());
        }
        t
    }
}

impl Serialize for Tags {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let mut m = s.serialize_map(Some(self.0.len()))?;
        for (k, v) in &self.0 {
            m.serialize_entry(k.as_str(), v.as_str())?;
        }
        m.end()
    }
}

impl<'de> Deserialize<'de> for Tags {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let m = std::collections::BTreeMap::<String, String>::deserialize(d)?;
        Ok(m.into_iter().collect())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tags_stay_sorted_and_serialize_as_an_object() {
        let mut t: Tags = [("team", "web"), ("env", "prod")].into_iter().collect();
        t.insert("app", "shop");
        t.insert("env", "staging");
        assert_eq!(t.joined(), "app=shop,env=staging,team=web");
        assert_eq!(t.get("env"), Some("staging"));
        assert_eq!(t.remove("team").as_deref(), Some("web"));
        assert_eq!(
            serde_json::to_string(&t).unwrap(),
            r#"{"app":"shop","env":"staging"}"#
        );
    }
}
