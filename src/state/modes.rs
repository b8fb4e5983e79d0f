//! What the console is doing besides showing a table: filtering, the palette, a confirmation,
//! a detail view, help, a form.

use crate::command::Command;
use crate::config::ScopeSel;
use crate::domain::{Described, ResourceRef};
use crate::inventory::SortField;
use crate::ops::Request;

use super::Form;

/// (One mode at a time: the size difference between variants does not matter.)
#[allow(clippy::large_enum_variant)]
#[derive(Debug, Clone, PartialEq)]
pub enum Mode {
    Normal,
    /// Typing a filter; it applies as you type. Esc clears it, Enter keeps it.
    Filter,
    Palette(Palette),
    Confirm(Confirm),
    Detail(Detail),
    Help {
        scroll: usize,
        /// The detail view help was opened from: Esc goes back to it.
        back: Option<Box<Detail>>,
    },
    Form(Form),
    /// The operations view: this session's actions and the journal's recent ones.
    Operations {
        scroll: usize,
    },
    /// Text to read whole (`:view-save`'s TOML): a titled box that scrolls.
    Text {
        title: String,
        lines: Vec<String>,
        scroll: usize,
    },
}

/// One line of the palette.
#[derive(Debug, Clone, PartialEq)]
pub enum PaletteItem {
    Command(Command),
    /// A ready-made filter for this pane.
    Preset {
        label: &'static str,
        filter: &'static str,
    },
    Sort {
        field: SortField,
        desc: bool,
    },
    /// A saved view from the config (an index into `State::views`).
    View {
        name: String,
        summary: String,
    },
    /// In the scope picker: keep to this (None: all).
    Scope {
        scope: Option<ScopeSel>,
        detail: String,
    },
}

impl PaletteItem {
    pub fn label(&self) -> String {
        match self {
            PaletteItem::Command(c) => c.name().to_string(),
            PaletteItem::Preset { label, .. } => format!("filter: {label}"),
            PaletteItem::Sort { field, desc } => format!(
                "sort by {}{}",
                field.name(),
                if *desc { " (descending)" } else { "" }
            ),
            PaletteItem::View { name, .. } => format!("view: {name}"),
            PaletteItem::Scope { scope: None, .. } => "all (no scope)".to_string(),
            PaletteItem::Scope {
                scope: Some(sc), ..
            } => format!("{}: {}", sc.kind.word(), sc.value),
        }
    }

    pub fn desc(&self) -> String {
        match self {
            PaletteItem::Command(c) => c.desc().to_string(),
            PaletteItem::Preset { filter, .. } => filter.to_string(),
            PaletteItem::Sort { .. } => "Sort the rows".to_string(),
            PaletteItem::View { summary, .. } => summary.clone(),
            PaletteItem::Scope { detail, .. } => detail.clone(),
        }
    }
}

/// A choice in a palette prompt (an instance to attach to, say).
#[derive(Debug, Clone, PartialEq)]
pub struct PickItem {
    pub label: String,
    pub detail: String,
    /// What choosing it acts with (None: a line to read, such as a failed create).
    pub target: Option<ResourceRef>,
}

#[derive(Debug, Clone, PartialEq)]
pub enum PaletteStage {
    /// Choosing what to do.
    Commands { items: Vec<PaletteItem> },
    /// Choosing what to do it with.
    Pick {
        cmd: Command,
        prompt: String,
        items: Vec<PickItem>,
    },
    /// Typing an argument (tags).
    Text { cmd: Command, prompt: String },
}

#[derive(Debug, Clone, PartialEq)]
pub struct Palette {
    pub input: String,
    pub stage: PaletteStage,
    /// Indices into the stage's items that match the input, best first.
    pub matches: Vec<usize>,
    pub selected: usize,
    /// Why the last Enter did nothing.
    pub error: Option<String>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Confirm {
    pub title: String,
    /// The batch in brief: per cloud and account how many, what was left out and why.
    pub summary: Vec<String>,
    /// What will happen, one line per resource (the dialog shows as many as fit).
    pub plan: Vec<String>,
    pub requests: Vec<Request>,
    pub dangerous: bool,
    /// Names still to be typed (protected resources), first first; or the batch's count.
    pub to_type: Vec<String>,
    /// `to_type` is the count of a large or cross-account destructive batch.
    pub count: bool,
    pub input: String,
    pub error: Option<String>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Detail {
    pub target: ResourceRef,
    pub loaded: Option<Described>,
    pub error: Option<crate::providers::ProviderError>,
    pub scroll: usize,
    /// The search text, and whether it is being typed.
    pub search: String,
    pub searching: bool,
    /// The line of the current search match.
    pub hit: Option<usize>,
    /// The last search found nothing.
    pub not_found: bool,
    /// The last `n` / `N` went round the end.
    pub wrapped: bool,
    /// The link chosen with Tab (an index into `detail_links`): Enter opens it.
    pub link: Option<usize>,
    /// Where the view was when `/` was pressed: a search that finds nothing goes back there.
    pub search_origin: usize,
}

impl Detail {
    pub fn new(target: ResourceRef) -> Self {
        Detail {
            target,
            loaded: None,
            error: None,
            scroll: 0,
            search: String::new(),
            searching: false,
            hit: None,
            not_found: false,
            wrapped: false,
            link: None,
            search_origin: 0,
        }
    }
}
