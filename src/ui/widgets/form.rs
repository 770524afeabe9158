//! A form built from a list of field descriptions. Text fields are
//! tui-textarea editors drawn by `field`; choice fields are picked from their
//! list with ←/→, never typed. A refused field shows its reason under it and
//! nothing typed is lost.

use super::field::{draw_multi, draw_single, FieldView};
use crate::domain::limits::{self, Limit};
use crate::ui::keymap::{self, Action, Context};
use crate::ui::text::{fit, truncate, width};
use crate::ui::theme::Theme;
use crossterm::event::{KeyCode, KeyEvent};
use ratatui::layout::{Position, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Clear, Paragraph, Widget};
use ratatui::Frame;
use tui_textarea::{CursorMove, TextArea};

mod snapshot;
pub use snapshot::{FieldState, FormSnapshot};

#[derive(Debug, Clone)]
pub enum FieldKind {
    /// One line, at most `max` characters.
    Text { max: usize },
    /// Several lines, `rows` high on screen.
    Multiline { max: usize, rows: u16 },
    /// One of these labels.
    Choice { options: Vec<String> },
    /// Type to narrow a long list (e.g. clients), ↑/↓ to move, Enter to pick.
    Lookup { options: Vec<(u64, String)> },
}

#[derive(Debug, Clone)]
pub struct FieldSpec {
    pub id: &'static str,
    pub label: String,
    pub kind: FieldKind,
    pub hint: Option<String>,
}

impl FieldSpec {
    /// `max` comes from the one table of limits the stored record is checked against.
    pub fn text(id: &'static str, label: &str, max: Limit) -> Self {
        FieldSpec { id, label: label.into(), kind: FieldKind::Text { max: max.chars() }, hint: None }
    }
    pub fn multiline(id: &'static str, label: &str, max: Limit, rows: u16) -> Self {
        FieldSpec { id, label: label.into(), kind: FieldKind::Multiline { max: max.chars(), rows }, hint: None }
    }
    pub fn choice(id: &'static str, label: &str, options: Vec<String>) -> Self {
        FieldSpec { id, label: label.into(), kind: FieldKind::Choice { options }, hint: None }
    }
    pub fn lookup(id: &'static str, label: &str, options: Vec<(u64, String)>) -> Self {
        FieldSpec { id, label: label.into(), kind: FieldKind::Lookup { options }, hint: None }
    }
    pub fn hint(mut self, hint: &str) -> Self {
        self.hint = Some(hint.into());
        self
    }
    fn rows(&self) -> u16 {
        match self.kind {
            FieldKind::Multiline { rows, .. } => rows,
            _ => 1,
        }
    }
    fn max(&self) -> usize {
        match self.kind {
            FieldKind::Text { max } | FieldKind::Multiline { max, .. } => max,
            FieldKind::Lookup { .. } => limits::FILTER.chars(),
            FieldKind::Choice { .. } => 0,
        }
    }
}

#[derive(Clone)]
enum Input {
    Text(Box<TextArea<'static>>),
    Choice(usize),
}

/// What a key did to the form.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FormEvent {
    Consumed,
    Save,
    Cancel,
    Help,
    Quit,
    /// A lookup field's entry was picked: (field id, picked id).
    Picked(&'static str, u64),
    /// After a conflict: take the other operator's version.
    TakeTheirs,
    /// After a conflict: keep my changes on top of theirs.
    KeepMine,
}

pub struct Form {
    pub title: String,
    specs: Vec<FieldSpec>,
    inputs: Vec<Input>,
    focus: usize,
    errors: Vec<Option<String>>,
    initial: Vec<String>,
    /// A note shown at the top (e.g. "changed by someone else").
    pub notice: Option<String>,
    /// Per field: the entry picked in a lookup field.
    picked: Vec<Option<u64>>,
    /// The highlighted match in the focused lookup field.
    highlight: usize,
    /// The focused lookup field's list is showing (after typing or ↓), so
    /// it never hides an error line until asked for.
    lookup_open: bool,
    /// Esc on changed input asks first (off for small filter forms).
    pub confirm_discard: bool,
}

/// At most this many matches show under a lookup field.
const LOOKUP_ROWS: usize = 6;

/// Characters in the field as stored: a line break counts as one, as the
/// length check of the record counts it.
fn text_len(ta: &TextArea) -> usize {
    ta.lines().iter().map(|l| l.chars().count()).sum::<usize>() + ta.lines().len().saturating_sub(1)
}

fn new_textarea(text: &str) -> TextArea<'static> {
    let lines: Vec<String> = text.split('\n').map(String::from).collect();
    let mut ta = TextArea::new(lines);
    ta.move_cursor(CursorMove::Bottom);
    ta.move_cursor(CursorMove::End);
    ta
}

impl Form {
    pub fn new(title: String, specs: Vec<FieldSpec>) -> Form {
        let inputs = specs
            .iter()
            .map(|s| match s.kind {
                FieldKind::Choice { .. } => Input::Choice(0),
                _ => Input::Text(Box::new(new_textarea(""))),
            })
            .collect();
        let errors = vec![None; specs.len()];
        let picked = vec![None; specs.len()];
        let mut f = Form {
            title,
            specs,
            inputs,
            focus: 0,
            errors,
            initial: vec![],
            notice: None,
            picked,
            highlight: 0,
            lookup_open: false,
            confirm_discard: true,
        };
        f.mark_clean();
        f
    }

    fn index(&self, id: &str) -> Option<usize> {
        self.specs.iter().position(|s| s.id == id)
    }

    pub fn set_text(&mut self, id: &str, text: &str) {
        if let Some(i) = self.index(id) {
            if let Input::Text(_) = self.inputs[i] {
                self.inputs[i] = Input::Text(Box::new(new_textarea(text)));
            }
        }
    }

    pub fn set_choice(&mut self, id: &str, index: usize) {
        if let Some(i) = self.index(id) {
            self.inputs[i] = Input::Choice(index);
        }
    }

    pub fn text(&self, id: &str) -> String {
        match self.index(id).map(|i| &self.inputs[i]) {
            Some(Input::Text(ta)) => ta.lines().join("\n"),
            Some(Input::Choice(c)) => c.to_string(),
            None => String::new(),
        }
    }

    /// The entry picked in a lookup field.
    pub fn picked(&self, id: &str) -> Option<u64> {
        self.index(id).and_then(|i| self.picked[i])
    }

    pub fn set_picked(&mut self, id: &str, value: u64) {
        let Some(i) = self.index(id) else { return };
        if let FieldKind::Lookup { options } = &self.specs[i].kind {
            if let Some((_, label)) = options.iter().find(|o| o.0 == value) {
                let label = label.clone();
                self.inputs[i] = Input::Text(Box::new(new_textarea(&label)));
                self.picked[i] = Some(value);
            }
        }
    }

    /// Matches of the focused lookup field's text (all when it is empty or picked).
    fn matches(&self, i: usize) -> Vec<(u64, String)> {
        let FieldKind::Lookup { options } = &self.specs[i].kind else { return vec![] };
        if self.picked[i].is_some() {
            return vec![];
        }
        let needle = self.text(self.specs[i].id).trim().to_lowercase();
        options.iter().filter(|(_, l)| needle.is_empty() || l.to_lowercase().contains(&needle)).take(200).cloned().collect()
    }

    pub fn choice(&self, id: &str) -> usize {
        match self.index(id).map(|i| &self.inputs[i]) {
            Some(Input::Choice(c)) => *c,
            _ => 0,
        }
    }

    fn values(&self) -> Vec<String> {
        self.inputs
            .iter()
            .map(|i| match i {
                Input::Text(ta) => ta.lines().join("\n"),
                Input::Choice(c) => c.to_string(),
            })
            .collect()
    }

    /// Labels of the fields whose values differ from `other`'s baseline
    /// (what someone else changed, when `self` is their version).
    pub fn labels_differing_from_baseline_of(&self, other: &Form) -> Vec<String> {
        let mine = self.values();
        self.specs.iter().enumerate().filter(|(i, _)| other.initial.get(*i) != mine.get(*i)).map(|(_, s)| s.label.clone()).collect()
    }

    /// This form's edits (fields changed since its baseline) laid over
    /// `theirs`, which becomes the new baseline: "mine on top of theirs".
    pub fn rebased_onto(&self, mut theirs: Form) -> Form {
        let mine = self.values();
        for (i, input) in self.inputs.iter().enumerate() {
            if mine.get(i) != self.initial.get(i) && i < theirs.inputs.len() {
                theirs.inputs[i] = input.clone();
            }
        }
        theirs.focus = self.focus;
        theirs
    }

    /// The current values become the baseline for "unsaved changes".
    pub fn mark_clean(&mut self) {
        self.initial = self.values();
    }

    pub fn is_dirty(&self) -> bool {
        self.values() != self.initial
    }

    /// Each text field's id and limit, in form order.
    pub fn text_limits(&self) -> Vec<(&'static str, usize)> {
        self.specs
            .iter()
            .filter_map(|s| match s.kind {
                FieldKind::Text { max } | FieldKind::Multiline { max, .. } => Some((s.id, max)),
                FieldKind::Choice { .. } | FieldKind::Lookup { .. } => None,
            })
            .collect()
    }

    pub fn focused_id(&self) -> &'static str {
        self.specs[self.focus].id
    }

    pub fn focus_on(&mut self, id: &str) {
        if let Some(i) = self.index(id) {
            self.focus = i;
        }
    }

    /// Mark fields with their reasons and move to the first one.
    pub fn set_errors(&mut self, errors: Vec<(String, String)>) {
        self.errors = vec![None; self.specs.len()];
        let mut first = None;
        for (id, msg) in errors {
            if let Some(i) = self.index(&id) {
                if self.errors[i].is_none() {
                    self.errors[i] = Some(msg);
                }
                first = Some(first.map_or(i, |f: usize| f.min(i)));
            }
        }
        if let Some(i) = first {
            self.focus = i;
        }
    }

    pub fn error_count(&self) -> usize {
        self.errors.iter().filter(|e| e.is_some()).count()
    }

    pub fn error_of(&self, id: &str) -> Option<&str> {
        self.index(id).and_then(|i| self.errors[i].as_deref())
    }

    pub fn handle_key(&mut self, key: KeyEvent) -> FormEvent {
        match keymap::lookup(Context::Form, &key) {
            Some(Action::Save) => return FormEvent::Save,
            Some(Action::Back) => return FormEvent::Cancel,
            Some(Action::Help) => return FormEvent::Help,
            Some(Action::Quit) => return FormEvent::Quit,
            Some(Action::TakeTheirs) => return FormEvent::TakeTheirs,
            Some(Action::KeepMine) => return FormEvent::KeepMine,
            Some(Action::PrevField) => {
                self.lookup_open = false;
                self.focus = (self.focus + self.specs.len() - 1) % self.specs.len();
                return FormEvent::Consumed;
            }
            Some(Action::NextField) if key.code == KeyCode::Tab => {
                self.lookup_open = false;
                self.focus = (self.focus + 1) % self.specs.len();
                return FormEvent::Consumed;
            }
            _ => {}
        }
        let i = self.focus;
        let before = self.values()[i].clone();
        let event = self.edit_key(i, key);
        // An edited field loses its old complaint; the next save re-checks it.
        if self.values()[i] != before {
            self.errors[i] = None;
        }
        event
    }

    fn edit_key(&mut self, i: usize, key: KeyEvent) -> FormEvent {
        if matches!(self.specs[i].kind, FieldKind::Lookup { .. }) {
            if let Some(e) = self.lookup_key(i, key) {
                return e;
            }
        }
        let spec = &self.specs[i];
        let max = spec.max();
        let multiline = matches!(spec.kind, FieldKind::Multiline { .. });
        match &mut self.inputs[i] {
            Input::Choice(c) => {
                let n = match &spec.kind {
                    FieldKind::Choice { options } => options.len().max(1),
                    _ => 1,
                };
                match key.code {
                    KeyCode::Left | KeyCode::Char('h') => *c = (*c + n - 1) % n,
                    KeyCode::Right | KeyCode::Char('l') | KeyCode::Char(' ') => *c = (*c + 1) % n,
                    KeyCode::Down | KeyCode::Enter => self.focus = (i + 1) % self.specs.len(),
                    KeyCode::Up => self.focus = (i + self.specs.len() - 1) % self.specs.len(),
                    _ => {}
                }
            }
            Input::Text(ta) => match key.code {
                KeyCode::Enter if !multiline => self.focus = (i + 1) % self.specs.len(),
                KeyCode::Down if !multiline => self.focus = (i + 1) % self.specs.len(),
                KeyCode::Up if !multiline => self.focus = (i + self.specs.len() - 1) % self.specs.len(),
                // A control character is never text (a terminal sends none as a key, but a stray one must not be kept).
                KeyCode::Char(c) if crate::domain::text::is_control(c) => {}
                _ => {
                    // Every key, the editor's own included (Ctrl-Y pastes what
                    // Ctrl-K cut, Ctrl-M breaks the line), keeps the limit and
                    // keeps a one-line field on one line; one that would not is undone.
                    let before = (ta.lines().to_vec(), ta.cursor(), text_len(ta));
                    ta.input(key);
                    let after = text_len(ta);
                    if (after > max && after > before.2) || (!multiline && ta.lines().len() > 1) {
                        let mut back = TextArea::new(before.0);
                        back.move_cursor(CursorMove::Jump(before.1 .0 as u16, before.1 .1 as u16));
                        **ta = back;
                    }
                }
            },
        }
        FormEvent::Consumed
    }

    /// ↑/↓ move among matches, Enter picks; typing narrows (handled as text).
    fn lookup_key(&mut self, i: usize, key: KeyEvent) -> Option<FormEvent> {
        let matches = self.matches(i);
        match key.code {
            KeyCode::Down if !matches.is_empty() && !self.lookup_open => self.lookup_open = true,
            KeyCode::Down if !matches.is_empty() => self.highlight = (self.highlight + 1).min(matches.len() - 1),
            KeyCode::Up if !matches.is_empty() => self.highlight = self.highlight.saturating_sub(1),
            KeyCode::Enter if !matches.is_empty() && self.lookup_open => {
                self.lookup_open = false;
                let (id, _) = matches[self.highlight.min(matches.len() - 1)].clone();
                self.set_picked(self.specs[i].id, id);
                self.focus = (i + 1) % self.specs.len();
                return Some(FormEvent::Picked(self.specs[i].id, id));
            }
            KeyCode::Char(_) | KeyCode::Backspace | KeyCode::Delete => {
                // Any edit undoes the pick; the text narrows the list again.
                self.picked[i] = None;
                self.highlight = 0;
                self.lookup_open = true;
                return None;
            }
            _ => return None,
        }
        Some(FormEvent::Consumed)
    }

    /// Insert pasted text at the caret of the focused text field, cut to its
    /// length limit; single-line fields get newlines as spaces.
    pub fn paste(&mut self, text: &str) {
        let i = self.focus;
        self.lookup_open = matches!(self.specs[i].kind, FieldKind::Lookup { .. });
        let max = self.specs[i].max();
        let multiline = matches!(self.specs[i].kind, FieldKind::Multiline { .. });
        self.picked[i] = None;
        if let Input::Text(ta) = &mut self.inputs[i] {
            // Terminals send pasted line breaks as \r, \r\n or \n.
            let clean: String = text
                .replace("\r\n", "\n")
                .replace('\r', "\n")
                .chars()
                .map(|c| match c {
                    '\n' if multiline => '\n',
                    '\n' | '\t' => ' ',
                    c => c,
                })
                .filter(|&c| c == '\n' || !crate::domain::text::is_control(c))
                .collect();
            let room = max.saturating_sub(text_len(ta));
            let cut: String = clean.chars().take(room).collect();
            for (n, line) in cut.split('\n').enumerate() {
                if n > 0 {
                    ta.insert_newline();
                }
                ta.insert_str(line);
            }
        }
    }

    /// "12/200" for the focused text field, and whether it is full.
    fn counter(&self) -> Option<(String, bool)> {
        let i = self.focus;
        let max = match self.specs.get(i)?.kind {
            FieldKind::Text { max } | FieldKind::Multiline { max, .. } => max,
            FieldKind::Choice { .. } | FieldKind::Lookup { .. } => return None,
        };
        let Input::Text(ta) = &self.inputs[i] else { return None };
        let len = text_len(ta);
        Some((format!("{len}/{max}"), len >= max))
    }

    fn label_width(&self) -> u16 {
        self.specs.iter().map(|s| width(&s.label)).max().unwrap_or(8).min(20) as u16 + 2
    }

    /// Height of each field on screen: its rows plus a line for its error.
    /// Height of each field on screen: its rows plus the lines of its error
    /// (wrapped to `vw` cells, at most three) or of its hint when focused.
    fn heights(&self, vw: u16) -> Vec<u16> {
        self.specs
            .iter()
            .zip(&self.errors)
            .map(|(s, e)| {
                let below = match e {
                    Some(e) => Self::error_lines(e, vw).len() as u16,
                    None => u16::from(s.hint.is_some() && self.focus_is(s.id)),
                };
                s.rows() + below
            })
            .collect()
    }

    /// An error wraps rather than lose the part that says what to do.
    fn error_lines(e: &str, vw: u16) -> Vec<String> {
        let mut lines = crate::ui::text::wrap_cells(&format!("↳ {e}"), (vw as usize).max(10));
        lines.truncate(3);
        lines
    }

    fn focus_is(&self, id: &str) -> bool {
        self.specs[self.focus].id == id
    }

    pub fn render(&self, f: &mut Frame, area: Rect, theme: &Theme, footer: &str) {
        let caret = self.render_buf(f.buffer_mut(), area, theme, footer);
        if let Some(p) = caret {
            f.set_cursor_position(p);
        }
    }

    /// Draw into a buffer; returns where the terminal cursor belongs.
    pub fn render_buf(&self, buf: &mut ratatui::buffer::Buffer, area: Rect, theme: &Theme, footer: &str) -> Option<Position> {
        Clear.render(area, buf);
        let block = Block::default().borders(Borders::ALL).title(Span::styled(format!(" {} ", self.title), theme.title()));
        let inner = block.inner(area);
        block.render(area, buf);
        if inner.height < 3 || inner.width < 10 {
            return None;
        }
        let mut top_y = inner.y;
        if let Some(n) = &self.notice {
            buf.set_string(inner.x, top_y, truncate(n, inner.width as usize), theme.alert());
            top_y += 1;
        }
        let body_h = inner.y + inner.height - 1 - top_y; // last line: footer
        let lw = self.label_width().min(inner.width / 3);
        let vx = inner.x + lw;
        let vw = inner.width.saturating_sub(lw + 1);
        let heights = self.heights(vw);
        // Scroll so the focused field is fully visible.
        let focus_top: u16 = heights[..self.focus].iter().sum();
        let focus_bottom = focus_top + heights[self.focus];
        let scroll = focus_bottom.saturating_sub(body_h).min(focus_top);
        let mut caret = None;
        let mut focus_y = None;
        let mut y: i32 = top_y as i32 - scroll as i32;
        let bottom = (top_y + body_h) as i32;
        for (i, spec) in self.specs.iter().enumerate() {
            let h = heights[i] as i32;
            let focused = i == self.focus;
            let rows = spec.rows() as i32;
            if y >= top_y as i32 && y + rows <= bottom {
                let yy = y as u16;
                if focused {
                    focus_y = Some(yy);
                }
                let label_style = if self.errors[i].is_some() {
                    theme.alert()
                } else if focused {
                    theme.focus()
                } else {
                    Default::default()
                };
                // Where typing goes shows even on a refused field.
                let marker = if focused {
                    "›"
                } else if self.errors[i].is_some() {
                    "✗"
                } else {
                    " "
                };
                buf.set_string(inner.x, yy, format!("{marker}{}", fit(&spec.label, lw as usize - 1)), label_style);
                let value_area = Rect { x: vx, y: yy, width: vw, height: spec.rows() };
                match (&self.inputs[i], &spec.kind) {
                    (Input::Choice(c), FieldKind::Choice { options })
                        if options.iter().map(|o| width(o) + 2).sum::<usize>() > vw as usize =>
                    {
                        // Too many to show side by side: the chosen one, with
                        // arrows saying there are more.
                        let label = options.get(*c).cloned().unwrap_or_default();
                        let style = if focused { theme.selected() } else { theme.focus() };
                        let spans = vec![
                            Span::styled("◀ ", theme.dim()),
                            Span::styled(format!("[{label}]"), style),
                            Span::styled(format!(" ▶  {}/{}", c + 1, options.len()), theme.dim()),
                        ];
                        Paragraph::new(Line::from(spans)).render(value_area, buf);
                    }
                    (Input::Choice(c), FieldKind::Choice { options }) => {
                        let mut spans = Vec::new();
                        for (k, o) in options.iter().enumerate() {
                            let style = if k == *c {
                                if focused {
                                    theme.selected()
                                } else {
                                    theme.focus()
                                }
                            } else {
                                theme.dim()
                            };
                            let text = if k == *c { format!("[{o}]") } else { format!(" {o} ") };
                            spans.push(Span::styled(text, style));
                        }
                        Paragraph::new(Line::from(spans)).render(value_area, buf);
                    }
                    (Input::Text(ta), kind) => {
                        let view =
                            FieldView { lines: ta.lines(), cursor: ta.cursor(), selection: ta.selection_range(), style: theme.input() };
                        let p = if matches!(kind, FieldKind::Multiline { .. }) {
                            draw_multi(buf, value_area, &view, focused)
                        } else {
                            draw_single(buf, value_area, &view, focused)
                        };
                        if focused {
                            caret = p;
                        }
                    }
                    _ => {}
                }
                if h > rows {
                    let (lines, style) = match &self.errors[i] {
                        Some(e) => (Self::error_lines(e, vw), theme.error()),
                        None => (vec![spec.hint.clone().unwrap_or_default()], theme.dim()),
                    };
                    for (k, text) in lines.iter().enumerate() {
                        let line_y = yy + rows as u16 + k as u16;
                        if line_y < bottom as u16 {
                            buf.set_string(vx, line_y, truncate(text, vw as usize), style);
                        }
                    }
                }
            }
            y += h;
        }
        // The focused lookup field's matches drop down under it.
        if let (Some(fy), FieldKind::Lookup { .. }, true) = (focus_y, &self.specs[self.focus].kind, self.lookup_open) {
            let matches = self.matches(self.focus);
            if !matches.is_empty() {
                let rows = matches.len().min(LOOKUP_ROWS);
                let top = self.highlight.saturating_sub(rows - 1);
                let r = Rect { x: vx, y: fy + 1, width: vw.min(50), height: rows as u16 + 2 };
                let r = r.intersection(area);
                super::clear_for_overlay(r, buf);
                let block = Block::default().borders(Borders::ALL).border_style(theme.focus());
                let inner_r = block.inner(r);
                block.render(r, buf);
                for (k, (_, label)) in matches.iter().enumerate().skip(top).take(inner_r.height as usize) {
                    let style = if k == self.highlight { theme.selected() } else { Default::default() };
                    let line_y = inner_r.y + (k - top) as u16;
                    buf.set_string(inner_r.x, line_y, fit(&crate::ui::text::safe(label), inner_r.width as usize), style);
                }
            }
        }
        // Fields above or below the window are announced on the border.
        let total: u16 = heights.iter().sum();
        let right = area.x + area.width.saturating_sub(4);
        if scroll > 0 {
            buf.set_string(right, area.y, "▲", theme.focus());
        }
        if total > scroll + body_h {
            buf.set_string(right, area.y + area.height - 1, "▼", theme.focus());
        }
        let fy = inner.y + inner.height - 1;
        // The focused text field's length and limit, at the footer's right end.
        let counter = self.counter().filter(|(c, _)| width(c) + 1 < inner.width as usize);
        let room = inner.width as usize - counter.as_ref().map_or(0, |(c, _)| width(c) + 1);
        buf.set_string(inner.x, fy, truncate(footer, room), theme.dim());
        if let Some((c, full)) = counter {
            let style = if full { theme.alert() } else { theme.dim() };
            buf.set_string(inner.x + inner.width - width(&c) as u16, fy, &c, style);
        }
        caret
    }
}
