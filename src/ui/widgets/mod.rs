//! Reusable widgets: every tab is built from these.

pub mod dialog;
pub mod field;
pub mod form;
pub mod help;
pub mod picker;
pub mod record_list;
pub mod table;

use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::widgets::{Clear, Widget};

/// Clear `area` for an overlay. A double-width character just left of it
/// would reach into its first column and hide the border there, so such a
/// character is blanked too.
pub fn clear_for_overlay(area: Rect, buf: &mut Buffer) {
    Clear.render(area, buf);
    if area.x == 0 {
        return;
    }
    for y in area.y..area.y + area.height {
        if let Some(cell) = buf.cell_mut((area.x - 1, y)) {
            if unicode_width::UnicodeWidthStr::width(cell.symbol()) > 1 {
                cell.set_symbol(" ");
            }
        }
    }
}

/// A rectangle of at most `w`×`h` centred in `area`.
pub fn centered(area: Rect, w: u16, h: u16) -> Rect {
    let w = w.min(area.width);
    let h = h.min(area.height);
    Rect { x: area.x + (area.width - w) / 2, y: area.y + (area.height - h) / 2, width: w, height: h }
}

/// Screen rows each line takes when wrapped to `width` cells (at least one).
pub fn wrapped_rows(lines: &[ratatui::text::Line], width: u16) -> Vec<usize> {
    let w = width.max(1) as usize;
    lines.iter().map(|l| l.width().div_ceil(w).max(1)).collect()
}

/// A scroll position (in screen rows) clamped so the last row can still be
/// reached and no further; also returns the largest useful position.
pub fn clamp_scroll(scroll: usize, rows: &[usize], height: u16) -> (usize, usize) {
    let total: usize = rows.iter().sum();
    let max = total.saturating_sub(height as usize);
    (scroll.min(max), max)
}
