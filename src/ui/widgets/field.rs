//! Drawing a tui-textarea's text by display width.
//!
//! tui-textarea 0.7 scrolls its own view by characters, so with double-width
//! text its caret leaves the box. guardroom keeps the TextArea as the editing
//! model (keys, cursor, selection, undo) and draws the text itself: a single
//! line scrolls horizontally by cells, multi-line text wraps by cells. The
//! returned caret position is where the terminal cursor goes, so a Chinese
//! input method opens its candidate window at the caret.

use crate::ui::text::{char_width, wrap_ranges};
use ratatui::buffer::Buffer;
use ratatui::layout::{Position, Rect};
use ratatui::style::{Modifier, Style};

pub struct FieldView<'a> {
    pub lines: &'a [String],
    /// (row, column) in chars, as tui-textarea reports it.
    pub cursor: (usize, usize),
    /// Selected char range ((row, col), (row, col)), start before end.
    pub selection: Option<((usize, usize), (usize, usize))>,
    pub style: Style,
}

fn selected(sel: Option<((usize, usize), (usize, usize))>, row: usize, col: usize) -> bool {
    match sel {
        Some((s, e)) => (row, col) >= s && (row, col) < e,
        None => false,
    }
}

/// Draw `chars` from `at` up to column `max_x`; `(row, first_col)` locates them in the text (for the selection).
fn put_chars(buf: &mut Buffer, at: Position, max_x: u16, chars: &[char], (row, first_col): (usize, usize), view: &FieldView) {
    let (mut x, y) = (at.x, at.y);
    for (i, &c) in chars.iter().enumerate() {
        let w = char_width(c) as u16;
        if w == 0 {
            continue;
        }
        if x + w > max_x {
            break;
        }
        let mut style = view.style;
        if selected(view.selection, row, first_col + i) {
            style = style.add_modifier(Modifier::REVERSED);
        }
        let safe = if crate::domain::text::is_control(c) { ' ' } else { c };
        buf.set_string(x, y, safe.to_string(), style);
        x += w;
    }
}

/// One line scrolled so the caret stays inside `area`. Returns the caret.
pub fn draw_single(buf: &mut Buffer, area: Rect, view: &FieldView, focused: bool) -> Option<Position> {
    buf.set_style(area, view.style);
    if area.width == 0 || area.height == 0 {
        return None;
    }
    let chars: Vec<char> = view.lines.first().map(|l| l.chars().collect()).unwrap_or_default();
    let cur = view.cursor.1.min(chars.len());
    let avail = area.width as usize - 1; // keep a cell for the caret at the end
    let width_to = |from: usize, to: usize| chars[from..to].iter().map(|&c| char_width(c)).sum::<usize>();
    let mut start = 0;
    if focused {
        while start < cur && width_to(start, cur) > avail {
            start += 1;
        }
    }
    put_chars(buf, Position { x: area.x, y: area.y }, area.x + area.width, &chars[start..], (0, start), view);
    focused.then(|| Position { x: area.x + width_to(start, cur) as u16, y: area.y })
}

/// Lines wrapped by width; the view scrolls so the caret row is visible.
pub fn draw_multi(buf: &mut Buffer, area: Rect, view: &FieldView, focused: bool) -> Option<Position> {
    buf.set_style(area, view.style);
    if area.width < 3 || area.height == 0 {
        return None;
    }
    // The last column is kept for the ↑/↓ marks of hidden lines.
    let w = area.width as usize - 1;
    // Visual rows: (logical row, char range).
    let mut rows: Vec<(usize, usize, usize)> = Vec::new();
    let mut caret: (usize, usize) = (0, 0);
    for (r, line) in view.lines.iter().enumerate() {
        let chars: Vec<char> = line.chars().collect();
        let pieces = wrap_ranges(&chars, w);
        for (pi, &(s, e)) in pieces.iter().enumerate() {
            let last = pi + 1 == pieces.len();
            if r == view.cursor.0 && view.cursor.1 >= s && (view.cursor.1 < e || last) {
                let cx: usize = chars[s..view.cursor.1.min(chars.len())].iter().map(|&c| char_width(c)).sum();
                caret = if cx >= w { (rows.len() + 1, 0) } else { (rows.len(), cx) };
            }
            rows.push((r, s, e));
        }
    }
    let height = area.height as usize;
    let top = if focused && caret.0 >= height { caret.0 + 1 - height } else { 0 };
    for (i, &(r, s, e)) in rows.iter().skip(top).take(height).enumerate() {
        let chars: Vec<char> = view.lines[r].chars().collect();
        put_chars(buf, Position { x: area.x, y: area.y + i as u16 }, area.x + area.width - 1, &chars[s..e], (r, s), view);
    }
    let mark_x = area.x + area.width - 1;
    if top > 0 {
        buf.set_string(mark_x, area.y, "↑", view.style);
    }
    if rows.len() > top + height {
        buf.set_string(mark_x, area.y + area.height - 1, "↓", view.style);
    }
    (focused && caret.0 >= top && caret.0 - top < height)
        .then(|| Position { x: area.x + caret.1 as u16, y: area.y + (caret.0 - top) as u16 })
}
