//! A list read whole and narrowed in memory (staff, posts and the like):
//! its rows, the filter being typed, the selection, and the row to select
//! once the list is read again after a save. Each tab says how a row is
//! read from the service and which rows a filter keeps.

use super::table::Nav;
use crate::i18n::Lang;
use crate::ui::keymap::Action;
use crate::ui::messages::service_error;
use crate::ui::pane::{edit_filter, FilterEdit, TabRequest};
use crossterm::event::KeyEvent;

pub struct RecordList<T> {
    pub all: Vec<T>,
    /// Indexes into `all` that pass the filter, in order.
    pub shown: Vec<usize>,
    pub nav: Nav,
    /// Read the rows again before the next frame.
    pub stale: bool,
    pub filter: String,
    pub filtering: bool,
    /// Why the rows could not be read (shown instead of them).
    pub refused: Option<String>,
    /// Rows that fit on screen (set while drawing).
    pub height: usize,
    /// The record just saved: selected once the list is read again.
    pub select: Option<u64>,
    /// A pile opened from the Overview: only these records, under this
    /// name, until Esc clears the filters.
    pub only: Option<Only>,
    id_of: Option<fn(&T) -> u64>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Only {
    pub label: String,
    pub ids: std::collections::BTreeSet<u64>,
}

impl<T> Default for RecordList<T> {
    fn default() -> Self {
        RecordList {
            all: vec![],
            shown: vec![],
            nav: Nav::default(),
            stale: true,
            filter: String::new(),
            filtering: false,
            refused: None,
            height: 10,
            select: None,
            only: None,
            id_of: None,
        }
    }
}

impl<T> RecordList<T> {
    pub fn needs_reload(&self) -> bool {
        self.stale || (self.all.is_empty() && self.refused.is_none())
    }

    /// Take what was read (or why not), narrow it, and select the record
    /// asked for.
    pub fn loaded(&mut self, read: crate::service::Result<Vec<T>>, lang: Lang, id_of: fn(&T) -> u64, keep: impl Fn(&T, &str) -> bool) {
        self.stale = false;
        self.id_of = Some(id_of);
        match read {
            Ok(rows) => {
                self.all = rows;
                self.refused = None;
                self.refilter(keep);
                if let Some(id) = self.select.take() {
                    if let Some(i) = self.shown.iter().position(|&i| id_of(&self.all[i]) == id) {
                        self.nav.selected = i;
                    }
                }
            }
            Err(e) => self.refused = Some(service_error(&e, lang)),
        }
    }

    /// Narrow to the rows `keep` accepts, given the lower-cased filter text.
    pub fn refilter(&mut self, keep: impl Fn(&T, &str) -> bool) {
        let needle = self.filter.trim().to_lowercase();
        let in_pile = |r: &T| match (&self.only, self.id_of) {
            (Some(only), Some(id_of)) => only.ids.contains(&id_of(r)),
            _ => true,
        };
        self.shown = self.all.iter().enumerate().filter(|(_, r)| in_pile(r) && keep(r, &needle)).map(|(i, _)| i).collect();
        self.nav.set_len(self.shown.len());
    }

    pub fn selected(&self) -> Option<&T> {
        self.shown.get(self.nav.selected).and_then(|&i| self.all.get(i))
    }

    /// The rows on screen, from the top of the view.
    pub fn visible(&mut self, height: usize) -> impl Iterator<Item = &T> {
        self.height = height;
        self.nav.scroll_into_view(height);
        let all = &self.all;
        self.shown.iter().skip(self.nav.top).take(height).filter_map(move |&i| all.get(i))
    }

    /// The moves every list has; `false` when `action` is not one.
    pub fn move_by(&mut self, action: Action) -> bool {
        let page = self.height.max(1);
        match action {
            Action::Up => self.nav.up(1),
            Action::Down => self.nav.down(1),
            Action::PageUp => self.nav.up(page),
            Action::PageDown => self.nav.down(page),
            Action::Home => self.nav.home(),
            Action::End => self.nav.end(),
            Action::Filter => self.filtering = true,
            _ => return false,
        }
        true
    }

    /// A key while the filter is typed.
    pub fn filter_key(&mut self, key: KeyEvent, action: Option<Action>, keep: impl Fn(&T, &str) -> bool) -> TabRequest {
        match edit_filter(&mut self.filter, key, action) {
            FilterEdit::Keep | FilterEdit::Clear => self.filtering = false,
            FilterEdit::Quit => return TabRequest::Quit,
            FilterEdit::Changed | FilterEdit::Nothing => {}
        }
        self.refilter(keep);
        TabRequest::None
    }

    /// Pasted text goes into the filter; the list narrows on the next frame.
    pub fn paste(&mut self, text: &str) {
        crate::ui::pane::append_text(&mut self.filter, text, crate::domain::limits::FILTER.chars());
        self.stale = true;
    }

    /// The filter as the header shows it, when there is one.
    pub fn filter_note(&self) -> Option<String> {
        let pile = self.only.as_ref().map(|o| format!(" · {}", o.label)).unwrap_or_default();
        let typed = if self.filtering || !self.filter.is_empty() { format!(" · /{}", self.filter) } else { String::new() };
        Some(pile + &typed).filter(|s| !s.is_empty())
    }

    /// Every record again, unfiltered, read afresh.
    pub fn show_all(&mut self) {
        self.only = None;
        self.filter.clear();
        self.filtering = false;
        self.stale = true;
    }

    /// Show only `ids` (a pile from the Overview), read afresh.
    pub fn show_only(&mut self, label: String, ids: std::collections::BTreeSet<u64>) {
        self.only = Some(Only { label, ids });
        self.filter.clear();
        self.filtering = false;
        self.nav = Nav::default();
        self.stale = true;
    }
}
