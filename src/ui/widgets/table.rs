//! A virtualised table: the caller keeps only the rows near the viewport and
//! this draws just the visible ones. Columns have a fixed width in cells and
//! a priority; when the terminal is narrow the least important go first.

use crate::ui::text::{fit, width};
use crate::ui::theme::Theme;
use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::style::Style;

#[derive(Debug, Clone)]
pub struct Column {
    pub title: String,
    /// Width in cells; 0 = takes the space left over (at least `min`).
    pub width: u16,
    pub min: u16,
    /// Higher stays longer when space is short.
    pub priority: u8,
}

#[derive(Debug, Clone, Default)]
pub struct Cell {
    pub text: String,
    pub style: Style,
}

impl Cell {
    pub fn new(text: impl Into<String>) -> Cell {
        Cell { text: text.into(), style: Style::default() }
    }
    pub fn styled(text: impl Into<String>, style: Style) -> Cell {
        Cell { text: text.into(), style }
    }
}

/// A choice column is as wide as its longest label in this language.
pub fn widest_label<C: crate::domain::Choice + crate::i18n::Label>(lang: crate::i18n::Lang) -> u16 {
    C::ALL.iter().map(|v| width(v.label(lang))).max().unwrap_or(4) as u16
}

/// Selection and scroll position over `len` rows.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Nav {
    pub selected: usize,
    pub top: usize,
    pub len: usize,
}

impl Nav {
    pub fn set_len(&mut self, len: usize) {
        self.len = len;
        if self.selected >= len {
            self.selected = len.saturating_sub(1);
        }
        if self.top > self.selected {
            self.top = self.selected;
        }
    }
    pub fn up(&mut self, n: usize) {
        self.selected = self.selected.saturating_sub(n);
    }
    pub fn down(&mut self, n: usize) {
        self.selected = (self.selected + n).min(self.len.saturating_sub(1));
    }
    pub fn home(&mut self) {
        self.selected = 0;
    }
    pub fn end(&mut self) {
        self.selected = self.len.saturating_sub(1);
    }
    /// Which rows to fetch (offset, limit) so the `height` rows in view are
    /// loaded: a page either side of them. `None` when the rows held
    /// (`have`: offset, count) cover the view and nothing changed.
    pub fn fetch_window(&mut self, height: usize, have: (usize, usize), stale: bool) -> Option<(usize, usize)> {
        let height = height.max(1);
        self.scroll_into_view(height);
        let end = (self.top + height).min(self.len);
        let covered = self.top >= have.0 && end <= have.0 + have.1;
        (stale || !covered).then(|| (self.top.saturating_sub(height), height * 3))
    }

    /// After fetching: the list now has `len` rows.
    pub fn fetched(&mut self, len: usize, height: usize) {
        self.set_len(len);
        self.scroll_into_view(height);
    }

    /// Scroll just enough that the selection is inside `height` rows.
    pub fn scroll_into_view(&mut self, height: usize) {
        let height = height.max(1);
        if self.selected < self.top {
            self.top = self.selected;
        } else if self.selected >= self.top + height {
            self.top = self.selected + 1 - height;
        }
        let max_top = self.len.saturating_sub(height);
        self.top = self.top.min(max_top);
    }
}

/// Which columns fit in `total` cells, and their widths. Column `keep`
/// (the sorted one) is never dropped.
pub fn layout(columns: &[Column], total: u16, keep: Option<usize>) -> Vec<(usize, u16)> {
    let mut shown: Vec<usize> = (0..columns.len()).collect();
    loop {
        let fixed: u16 = shown.iter().map(|&i| if columns[i].width == 0 { columns[i].min } else { columns[i].width } + 1).sum();
        if fixed <= total || shown.len() <= 1 {
            let spare = total.saturating_sub(fixed);
            let flex = shown.iter().filter(|&&i| columns[i].width == 0).count() as u16;
            return shown
                .iter()
                .map(|&i| {
                    let c = &columns[i];
                    let w = if c.width == 0 { c.min + spare.checked_div(flex).unwrap_or(0) } else { c.width };
                    (i, w)
                })
                .collect();
        }
        // Drop the least important column (the rightmost among equals).
        let (pos, _) =
            shown.iter().enumerate().min_by_key(|(p, &i)| (Some(i) == keep, columns[i].priority, usize::MAX - p)).unwrap_or((0, &0));
        shown.remove(pos);
    }
}

/// What one frame of a table shows.
pub struct TableView<'a> {
    pub columns: &'a [Column],
    /// Sorted column and whether descending.
    pub sort: Option<(usize, bool)>,
    /// Only the visible rows, starting at row `first` of the whole list.
    pub rows: &'a [Vec<Cell>],
    pub first: usize,
    /// Index into the whole list.
    pub selected: Option<usize>,
}

/// Draw the header and the visible rows.
pub fn render(buf: &mut Buffer, area: Rect, theme: &Theme, view: &TableView) {
    let TableView { columns, sort, rows, first, selected } = *view;
    if area.height == 0 || area.width == 0 {
        return;
    }
    let cols = layout(columns, area.width, sort.map(|s| s.0));
    let mut x = area.x;
    for &(i, w) in &cols {
        let mut title = columns[i].title.clone();
        if let Some((s, desc)) = sort {
            if s == i {
                title.push(if desc { '▼' } else { '▲' });
            }
        }
        buf.set_string(x, area.y, fit(&title, w as usize), theme.header());
        x += w + 1;
    }
    for (r, row) in rows.iter().enumerate().take(area.height as usize - 1) {
        let y = area.y + 1 + r as u16;
        let is_sel = selected == Some(first + r);
        let mut x = area.x;
        for &(i, w) in &cols {
            let cell = row.get(i).cloned().unwrap_or_default();
            let text = crate::ui::text::safe(&cell.text);
            let style = if is_sel { cell.style.patch(theme.selected()) } else { cell.style };
            buf.set_string(x, y, fit(&text, w as usize), style);
            if is_sel && x + w < area.x + area.width {
                buf.set_string(x + w, y, " ", theme.selected());
            }
            x += w + 1;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn col(w: u16, p: u8) -> Column {
        Column { title: "x".into(), width: w, min: 10, priority: p }
    }

    #[test]
    fn narrow_terminals_drop_low_priority_columns() {
        let cols = vec![col(8, 9), col(0, 9), col(6, 1), col(12, 5)];
        let all = layout(&cols, 80, None);
        assert_eq!(all.iter().map(|c| c.0).collect::<Vec<_>>(), [0, 1, 2, 3]);
        assert_eq!(all[1].1, 80 - (9 + 11 + 7 + 13) + 10);
        let narrow = layout(&cols, 34, None);
        assert_eq!(narrow.iter().map(|c| c.0).collect::<Vec<_>>(), [0, 1, 3]);
        let sorted_by_dropped = layout(&cols, 34, Some(2));
        assert_eq!(sorted_by_dropped.iter().map(|c| c.0).collect::<Vec<_>>(), [0, 1, 2], "the sorted column stays");
    }

    #[test]
    fn nav_keeps_selection_visible() {
        let mut n = Nav::default();
        n.set_len(100);
        n.down(30);
        n.scroll_into_view(10);
        assert_eq!((n.selected, n.top), (30, 21));
        n.end();
        n.scroll_into_view(10);
        assert_eq!((n.selected, n.top), (99, 90));
        n.set_len(5);
        n.scroll_into_view(10);
        assert_eq!((n.selected, n.top), (4, 0));
    }
}
