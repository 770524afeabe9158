//! The `?` overlay: every binding of the current pane, from the keymap.

use super::centered;
use crate::i18n::{fill, Lang, T};
use crate::ui::keymap::{bindings, keys_label, Context};
use crate::ui::text::{fit, width};
use crate::ui::theme::Theme;
use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Paragraph, Widget};

pub fn render(buf: &mut Buffer, area: Rect, theme: &Theme, lang: Lang, ctx: Context) {
    let rows: Vec<(String, &str)> = bindings(ctx).iter().map(|b| (keys_label(b), b.desc.get(lang))).collect();
    let kw = rows.iter().map(|r| width(&r.0)).max().unwrap_or(4).min(30);
    let dw = rows.iter().map(|r| width(r.1)).max().unwrap_or(4);
    let w = (kw + dw + 6) as u16;
    let r = centered(area, w.max(30), rows.len() as u16 + 4);
    super::clear_for_overlay(r, buf);
    let title = fill(T::HelpTitle.get(lang), &[ctx.title().get(lang)]);
    let block = Block::default().borders(Borders::ALL).title(Span::styled(format!(" {title} "), theme.title()));
    let mut lines: Vec<Line> = rows
        .iter()
        .map(|(k, d)| Line::from(vec![Span::styled(fit(k, kw), theme.key()), Span::raw("  "), Span::raw(d.to_string())]))
        .collect();
    lines.push(Line::styled(T::HelpClose.get(lang), theme.dim()));
    Paragraph::new(lines).block(block).render(r, buf);
}
