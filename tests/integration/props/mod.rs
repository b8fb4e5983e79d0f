//! The property harness (docs/testing.md): generated input for the filter, the config loader,
//! ref and id resolution and every CLI printer. Each property has a fixed case count and the
//! whole run a fixed seed, so `cargo test` is reproducible; `PROPTEST_CASES=N` runs N cases of
//! each property instead and `PROPTEST_RNG_SEED=S` another seed.

mod config;
mod filter;
mod printers;
mod resolve;

use proptest::prelude::*;
use proptest::test_runner::{Config, RngAlgorithm, RngSeed};

/// The seed of the default run.
const SEED: u64 = 0x6e65_7068_6f73_0014;

/// `cases` cases (or `PROPTEST_CASES`), the fixed seed (or `PROPTEST_RNG_SEED`), no files.
pub fn config(cases: u32) -> Config {
    let env = |k: &str| {
        std::env::var(k)
            .ok()
            .and_then(|v| v.trim().parse::<u64>().ok())
    };
    Config {
        cases: env("PROPTEST_CASES").map_or(cases, |n| n as u32),
        rng_algorithm: RngAlgorithm::ChaCha,
        rng_seed: RngSeed::Fixed(env("PROPTEST_RNG_SEED").unwrap_or(SEED)),
        failure_persistence: None,
        max_shrink_iters: 2_000,
        ..Config::default()
    }
}

/// A string of up to `max` characters drawn from `alphabet`.
pub fn text_of(alphabet: &'static [char], max: usize) -> impl Strategy<Value = String> {
    prop::collection::vec(prop::sample::select(alphabet), 0..=max)
        .prop_map(|v| v.into_iter().collect())
}

/// Characters that have broken things: controls, escapes, quotes, separators, non-ASCII
/// letters whose case folds differently, a BOM, bidi overrides.
pub const HOSTILE: &[char] = &[
    'a', 'b', 'Z', '0', '-', '.', '/', ':', '=', ',', ';', '"', '\'', '\\', ' ', '*', '?', '!',
    '[', ']', '\u{1b}', '\u{7}', '\u{0}', '\n', '\r', '\t', '\u{7f}', '\u{9b}', '\u{85}',
    '\u{202e}', '\u{2066}', '\u{feff}', 'é', 'É', 'ß', 'İ', 'K', '東', '😀',
];
