//! A yes/no question over the screen. It carries the action to run if the
//! answer is yes, so the dangerous step travels with the question.

use super::centered;
use crate::ui::text::width;
use crate::ui::theme::Theme;
use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::text::Line;
use ratatui::widgets::{Block, Borders, Paragraph, Widget, Wrap};

pub struct Confirm<A> {
    pub question: String,
    pub answers: String,
    pub on_yes: A,
}

impl<A> Confirm<A> {
    pub fn render(&self, buf: &mut Buffer, area: Rect, theme: &Theme) {
        let w = (width(&self.question).max(width(&self.answers)) as u16 + 6).clamp(30, area.width.saturating_sub(4).max(10));
        // A long question wraps: the box grows so the answers stay in it.
        // (Counted as broken anywhere; words wrap a little later, so one spare line.)
        let lines = crate::ui::text::wrap_cells(&self.question, w.saturating_sub(2).max(1) as usize).len().max(1) as u16;
        let r = centered(area, w, if lines > 1 { lines + 5 } else { 6 });
        super::clear_for_overlay(r, buf);
        let block = Block::default().borders(Borders::ALL).border_style(theme.alert());
        let text = vec![Line::from(self.question.clone()), Line::from(""), Line::styled(self.answers.clone(), theme.key())];
        Paragraph::new(text).block(block).wrap(Wrap { trim: false }).render(r, buf);
    }
}
