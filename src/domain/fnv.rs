//! FNV-1a: a fast hasher for maps keyed by short strings nephos made or read from its own
//! inventory and sandbox (ids, names, refs), never by keys an attacker could choose. SipHash over
//! 100k such keys showed up in profiles (the first Costs view, the sandbox's listings).

/// Builds [`FnvHasher`]s: `HashMap<K, V, Fnv>`.
#[derive(Debug, Default, Clone, Copy)]
pub struct Fnv;

pub struct FnvHasher(u64);

impl std::hash::BuildHasher for Fnv {
    type Hasher = FnvHasher;
    fn build_hasher(&self) -> FnvHasher {
        FnvHasher(0xcbf2_9ce4_8422_2325)
    }
}

impl std::hash::Hasher for FnvHasher {
    fn finish(&self) -> u64 {
        self.0
    }
    fn write(&mut self, bytes: &[u8]) {
        for b in bytes {
            self.0 ^= u64::from(*b);
            self.0 = self.0.wrapping_mul(0x0100_0000_01b3);
        }
    }
}

#[cfg(test)]
mod tests {
    use std::hash::{BuildHasher, Hasher};

    use super::*;

    #[test]
    fn known_values_and_equal_keys_hash_alike() {
        // The FNV-1a 64-bit reference values for "" and "a".
        assert_eq!(Fnv.build_hasher().finish(), 0xcbf2_9ce4_8422_2325);
        let mut h = Fnv.build_hasher();
        h.write(b"a");
        assert_eq!(h.finish(), 0xaf63_dc4c_8601_ec8c);
        let (s, c) = ("i-0abc", crate::domain::Str::from("i-0abc"));
        assert_eq!(Fnv.hash_one(s), Fnv.hash_one(&c));
        assert_ne!(Fnv.hash_one("ab"), Fnv.hash_one("ba"));
    }
}
