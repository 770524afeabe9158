//! A type-ahead list over the screen: type to narrow, ↑/↓ to move, Enter to
//! take the highlighted entry, Esc to close. Entries marked `on` are shown
//! first with a tick (Enter on one takes it off).

use super::{centered, clear_for_overlay};
use crate::ui::text::{fit, truncate};
use crate::ui::theme::Theme;
use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use ratatui::buffer::Buffer;
use ratatui::layout::{Position, Rect};
use ratatui::widgets::{Block, Borders, Widget};

/// What the picker's search line takes.
const TEXT_CHARS: usize = 30;

#[derive(Debug, Clone)]
pub struct Entry {
    pub id: u64,
    pub label: String,
    /// A short note on the right (e.g. shifts this week).
    pub note: String,
    /// Already chosen: Enter takes it off.
    pub on: bool,
    /// Shown greyed: a rule stands in the way (Enter still tries, and
    /// hears why not).
    pub blocked: bool,
}

#[derive(Debug, Clone)]
pub struct Picker {
    pub title: String,
    pub entries: Vec<Entry>,
    pub text: String,
    pub highlight: usize,
    /// The line under the list: what the keys do.
    pub hint: String,
    /// Shown when there are no entries at all.
    pub empty: String,
    /// Shown when entries exist but none matches what was typed.
    pub no_match: String,
}

pub enum PickerEvent {
    Nothing,
    Close,
    /// The highlighted entry was taken (id, whether it was `on`).
    Picked(u64, bool),
}

impl Picker {
    pub fn new(title: String, entries: Vec<Entry>, hint: String, empty: String) -> Picker {
        Picker { title, entries, text: String::new(), highlight: 0, hint, empty, no_match: "—".into() }
    }

    pub fn matches(&self) -> Vec<&Entry> {
        let needle = self.text.trim().to_lowercase();
        self.entries.iter().filter(|e| needle.is_empty() || e.label.to_lowercase().contains(&needle)).collect()
    }

    pub fn handle_key(&mut self, key: KeyEvent) -> PickerEvent {
        let n = self.matches().len();
        match key.code {
            KeyCode::Esc => return PickerEvent::Close,
            KeyCode::Char('c') if key.modifiers.contains(KeyModifiers::CONTROL) => return PickerEvent::Close,
            KeyCode::Up => self.highlight = self.highlight.saturating_sub(1),
            KeyCode::Down => self.highlight = (self.highlight + 1).min(n.saturating_sub(1)),
            KeyCode::PageUp => self.highlight = self.highlight.saturating_sub(10),
            KeyCode::PageDown => self.highlight = (self.highlight + 10).min(n.saturating_sub(1)),
            KeyCode::Enter => {
                if let Some(e) = self.matches().get(self.highlight) {
                    return PickerEvent::Picked(e.id, e.on);
                }
            }
            KeyCode::Backspace => {
                self.text.pop();
                self.highlight = 0;
            }
            KeyCode::Char(c) if !key.modifiers.intersects(KeyModifiers::CONTROL | KeyModifiers::ALT) => {
                crate::ui::pane::append_text(&mut self.text, &c.to_string(), TEXT_CHARS);
                self.highlight = 0;
            }
            _ => {}
        }
        PickerEvent::Nothing
    }

    pub fn paste(&mut self, text: &str) {
        crate::ui::pane::append_text(&mut self.text, text, TEXT_CHARS);
        self.highlight = 0;
    }

    /// Draw over `area`; returns where the caret belongs (the typed text).
    pub fn render(&self, buf: &mut Buffer, area: Rect, theme: &Theme) -> Option<Position> {
        let w = area.width.saturating_sub(4).min(60);
        let h = area.height.saturating_sub(2).min(20);
        let r = centered(area, w, h);
        clear_for_overlay(r, buf);
        let block = Block::default().borders(Borders::ALL).border_style(theme.focus()).title(format!(" {} ", self.title));
        let inner = block.inner(r);
        block.render(r, buf);
        if inner.height < 4 || inner.width < 10 {
            return None;
        }
        let iw = inner.width as usize;
        let prompt = format!("› {}", self.text);
        buf.set_string(inner.x, inner.y, truncate(&prompt, iw), theme.input());
        let caret = Position { x: inner.x + (crate::ui::text::width(&prompt) as u16).min(inner.width - 1), y: inner.y };
        let rows = inner.height as usize - 2;
        let matches = self.matches();
        if matches.is_empty() {
            let why = if self.entries.is_empty() { &self.empty } else { &self.no_match };
            for (i, line) in crate::ui::text::wrap_cells(why, iw).iter().take(rows).enumerate() {
                buf.set_string(inner.x, inner.y + 1 + i as u16, line, theme.dim());
            }
        }
        let top = self.highlight.saturating_sub(rows.saturating_sub(1));
        for (k, e) in matches.iter().enumerate().skip(top).take(rows) {
            let y = inner.y + 1 + (k - top) as u16;
            let mark = if e.on { "✓ " } else { "  " };
            let note_w = crate::ui::text::width(&e.note).min(iw / 3);
            let label = fit(&format!("{mark}{}", crate::ui::text::safe(&e.label)), iw.saturating_sub(note_w + 1));
            let style = if k == self.highlight {
                theme.selected()
            } else if e.blocked {
                theme.dim()
            } else if e.on {
                theme.ok()
            } else {
                Default::default()
            };
            buf.set_string(inner.x, y, format!("{label} {}", fit(&e.note, note_w)), style);
        }
        buf.set_string(inner.x, inner.y + inner.height - 1, truncate(&self.hint, iw), theme.dim());
        Some(caret)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn key(c: KeyCode) -> KeyEvent {
        KeyEvent::new(c, KeyModifiers::NONE)
    }

    #[test]
    fn typing_narrows_and_enter_takes_the_highlight() {
        let e = |id, label: &str, on| Entry { id, label: label.into(), note: String::new(), on, blocked: false };
        let mut p = Picker::new(
            "t".into(),
            vec![e(1, "RY-0001 王伟", true), e(2, "RY-0002 李强", false), e(3, "RY-0003 王芳", false)],
            String::new(),
            String::new(),
        );
        p.handle_key(key(KeyCode::Char('王')));
        assert_eq!(p.matches().len(), 2);
        p.handle_key(key(KeyCode::Down));
        assert!(matches!(p.handle_key(key(KeyCode::Enter)), PickerEvent::Picked(3, false)));
        p.handle_key(key(KeyCode::Backspace));
        assert!(matches!(p.handle_key(key(KeyCode::Enter)), PickerEvent::Picked(1, true)), "typing resets the highlight");
        assert!(matches!(p.handle_key(key(KeyCode::Esc)), PickerEvent::Close));
    }
}
