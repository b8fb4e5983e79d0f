//! Opening a palette stage and ranking its items: what the palette, the pickers and the scope
//! chooser share (so none of them needs the others).

use nucleo_matcher::pattern::{CaseMatching, Normalization, Pattern};
use nucleo_matcher::{Config, Matcher, Utf32Str};

use crate::state::{Mode, Palette, PaletteItem, PaletteStage, State};

pub fn open_stage(s: &mut State, stage: PaletteStage) {
    let mut p = Palette {
        input: String::new(),
        stage,
        matches: Vec::new(),
        selected: 0,
        error: None,
    };
    rematch(&mut p);
    s.mode = Mode::Palette(p);
}

fn labels(stage: &PaletteStage) -> Vec<String> {
    match stage {
        PaletteStage::Commands { items } => items
            .iter()
            .map(|i| match i {
                PaletteItem::Command(c) if !c.aliases().is_empty() => {
                    format!("{} {}", c.name(), c.aliases().join(" "))
                }
                _ => i.label(),
            })
            .collect(),
        PaletteStage::Pick { items, .. } => items
            .iter()
            .map(|i| format!("{} {}", i.label, i.detail))
            .collect(),
        PaletteStage::Text { .. } => Vec::new(),
    }
}

/// Rank the stage's items against the input, best first; all of them, in order, when empty.
pub fn rematch(p: &mut Palette) {
    let labels = labels(&p.stage);
    p.matches = if p.input.trim().is_empty() {
        (0..labels.len()).collect()
    } else {
        let mut matcher = Matcher::new(Config::DEFAULT);
        let pattern = Pattern::parse(&p.input, CaseMatching::Ignore, Normalization::Smart);
        let mut buf = Vec::new();
        let mut scored: Vec<(u32, usize)> = labels
            .iter()
            .enumerate()
            .filter_map(|(i, l)| {
                pattern
                    .score(Utf32Str::new(l, &mut buf), &mut matcher)
                    .map(|sc| (sc, i))
            })
            .collect();
        scored.sort_by(|a, b| b.0.cmp(&a.0).then(a.1.cmp(&b.1)));
        scored.into_iter().map(|(_, i)| i).collect()
    };
    p.selected = 0;
}
