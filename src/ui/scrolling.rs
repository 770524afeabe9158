//! A backend that lets the terminal move rows itself.
//!
//! ratatui sends every cell that differs from the last frame; when a list
//! scrolls by a line, that is every cell of every visible row (about 9 KB
//! for a table at 120×40), which an operator on a slow SSH link feels on
//! each keystroke. Like curses, this backend keeps a copy of what the
//! terminal shows; when the next frame is that copy with a block of rows
//! moved up or down, it asks the terminal to scroll just that block (set the
//! scrolling region, scroll, reset the region) and sends only the cells that
//! still differ: the new row and the moved highlight.
//!
//! ratatui hands a backend only the changed cells, and not those under the
//! right half of a wide (CJK) character, so the frame cannot be rebuilt from
//! them; the event loop leaves a copy of each whole frame in a `FrameCopy`
//! the backend shares.

use ratatui::backend::{Backend, ClearType, WindowSize};
use ratatui::buffer::{Buffer, Cell};
use ratatui::layout::{Position, Rect, Size};
use std::cell::RefCell;
use std::io::{self, Write};
use std::rc::Rc;

/// At most this many rows moved in one frame are looked for.
const MAX_SHIFT: u16 = 3;
/// A block shorter than this is cheaper to redraw than to scroll.
const MIN_ROWS: u16 = 4;

pub struct Scrolling<B> {
    inner: B,
    /// What the terminal shows, when known.
    shadow: Option<Buffer>,
    enabled: bool,
    frame: FrameCopy,
}

/// The whole frame being drawn, left by the event loop for the backend.
#[derive(Clone, Default)]
pub struct FrameCopy(Rc<RefCell<Option<Buffer>>>);

impl FrameCopy {
    pub fn keep(&self, frame: &Buffer) {
        *self.0.borrow_mut() = Some(frame.clone());
    }
}

/// A block of rows to scroll: `top..=bottom` (0-based) by `by` rows, up
/// when positive.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Shift {
    top: u16,
    bottom: u16,
    by: i16,
}

impl<B: Backend + Write> Scrolling<B> {
    /// `enabled` false passes every frame through unchanged (a terminal
    /// that may not know scrolling regions).
    pub fn new(inner: B, enabled: bool) -> Scrolling<B> {
        let shadow = inner.size().ok().map(|s| Buffer::empty(Rect::new(0, 0, s.width, s.height)));
        Scrolling { inner, shadow, enabled, frame: FrameCopy::default() }
    }

    /// Where the event loop leaves each whole frame (`FrameCopy::keep` in
    /// the draw closure); without it every frame is passed through.
    pub fn frame_copy(&self) -> FrameCopy {
        self.frame.clone()
    }

    /// Whether the terminal in `TERM` is one to ask for scrolling regions
    /// (every VT100 descendant is; a dumb terminal is not).
    pub fn supported(term: Option<&str>) -> bool {
        term.is_some_and(|t| !t.is_empty() && t != "dumb")
    }

    fn reset_shadow(&mut self) {
        self.shadow = self.inner.size().ok().map(|s| Buffer::empty(Rect::new(0, 0, s.width, s.height)));
    }

    fn emit(&mut self, shift: Shift) -> io::Result<()> {
        // Plain attributes first: the rows a scroll opens take the current
        // background colour.
        let by = shift.by.unsigned_abs();
        let verb = if shift.by > 0 { 'S' } else { 'T' };
        write!(self.inner, "\x1b[0m\x1b[{};{}r\x1b[{by}{verb}\x1b[r", shift.top + 1, shift.bottom + 1)
    }
}

fn row(buf: &Buffer, y: u16) -> &[Cell] {
    let w = buf.area.width as usize;
    &buf.content[y as usize * w..(y as usize + 1) * w]
}

/// The longest block of rows of `next` that are rows of `shown` moved by
/// up to `MAX_SHIFT`, if it is worth scrolling.
fn find_shift(shown: &Buffer, next: &Buffer) -> Option<Shift> {
    let h = next.area.height;
    let mut best: Option<(u16, Shift)> = None;
    for k in 1..=MAX_SHIFT.min(h.saturating_sub(1)) {
        for up in [true, false] {
            // Rows y of `next` equal to row y + k (up) or y - k (down) of `shown`.
            let (mut run_start, mut y) = (None, 0u16);
            while y <= h {
                let moved = y < h
                    && if up {
                        y + k < h && row(next, y) == row(shown, y + k) && row(next, y) != row(shown, y)
                    } else {
                        y >= k && row(next, y) == row(shown, y - k) && row(next, y) != row(shown, y)
                    };
                match (moved, run_start) {
                    (true, None) => run_start = Some(y),
                    (false, Some(a)) => {
                        let len = y - a;
                        let shift = if up {
                            Shift { top: a, bottom: y - 1 + k, by: k as i16 }
                        } else {
                            Shift { top: a - k, bottom: y - 1, by: -(k as i16) }
                        };
                        if len >= MIN_ROWS && best.is_none_or(|(l, _)| len > l) {
                            best = Some((len, shift));
                        }
                        run_start = None;
                    }
                    _ => {}
                }
                y += 1;
            }
        }
    }
    best.map(|(_, s)| s)
}

/// `shown` after the terminal carries out `shift`.
fn shifted(shown: &Buffer, shift: Shift) -> Buffer {
    let mut out = shown.clone();
    let w = shown.area.width as usize;
    let k = shift.by.unsigned_abs();
    for y in shift.top..=shift.bottom {
        let from =
            if shift.by > 0 { y.checked_add(k).filter(|f| *f <= shift.bottom) } else { y.checked_sub(k).filter(|f| *f >= shift.top) };
        let dest = y as usize * w..(y as usize + 1) * w;
        match from {
            Some(f) => out.content[dest].clone_from_slice(row(shown, f)),
            None => out.content[dest].iter_mut().for_each(|c| *c = Cell::default()),
        }
    }
    out
}

impl<B: Backend + Write> Backend for Scrolling<B> {
    fn draw<'a, I>(&mut self, content: I) -> io::Result<()>
    where
        I: Iterator<Item = (u16, u16, &'a Cell)>,
    {
        let next = self.frame.0.borrow_mut().take();
        let shown = self.shadow.take();
        match (shown, next) {
            (Some(shown), Some(next)) if self.enabled && shown.area == next.area => {
                // The terminal shows `shown`; make it show `next`.
                drop(content);
                let base = match find_shift(&shown, &next) {
                    Some(shift) => {
                        self.emit(shift)?;
                        shifted(&shown, shift)
                    }
                    None => shown,
                };
                self.inner.draw(base.diff(&next).into_iter())?;
                self.shadow = Some(next);
            }
            (_, next) => {
                // ratatui's own difference keeps the terminal in step with
                // its last frame, which is then what the terminal shows.
                self.inner.draw(content)?;
                self.shadow = next;
            }
        }
        Ok(())
    }

    fn append_lines(&mut self, n: u16) -> io::Result<()> {
        self.shadow = None;
        self.inner.append_lines(n)
    }
    fn hide_cursor(&mut self) -> io::Result<()> {
        self.inner.hide_cursor()
    }
    fn show_cursor(&mut self) -> io::Result<()> {
        self.inner.show_cursor()
    }
    fn get_cursor_position(&mut self) -> io::Result<Position> {
        self.inner.get_cursor_position()
    }
    fn set_cursor_position<P: Into<Position>>(&mut self, position: P) -> io::Result<()> {
        self.inner.set_cursor_position(position)
    }
    fn clear(&mut self) -> io::Result<()> {
        self.inner.clear()?;
        self.reset_shadow();
        Ok(())
    }
    fn clear_region(&mut self, clear_type: ClearType) -> io::Result<()> {
        self.inner.clear_region(clear_type)?;
        match clear_type {
            ClearType::All => self.reset_shadow(),
            _ => self.shadow = None,
        }
        Ok(())
    }
    fn size(&self) -> io::Result<Size> {
        self.inner.size()
    }
    fn window_size(&mut self) -> io::Result<WindowSize> {
        self.inner.window_size()
    }
    fn flush(&mut self) -> io::Result<()> {
        Backend::flush(&mut self.inner)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use ratatui::backend::CrosstermBackend;
    use ratatui::style::{Color, Style};
    use ratatui::widgets::{List, ListState};
    use ratatui::{Terminal, TerminalOptions, Viewport};

    /// A writer the test can read back.
    #[derive(Clone, Default)]
    struct Tape(std::rc::Rc<std::cell::RefCell<Vec<u8>>>);
    impl Write for Tape {
        fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
            self.0.borrow_mut().extend_from_slice(buf);
            Ok(buf.len())
        }
        fn flush(&mut self) -> io::Result<()> {
            Ok(())
        }
    }

    const W: u16 = 60;
    const H: u16 = 20;

    fn terminal(tape: &Tape, enabled: bool) -> Terminal<Scrolling<CrosstermBackend<Tape>>> {
        let backend = Scrolling {
            inner: CrosstermBackend::new(tape.clone()),
            shadow: Some(Buffer::empty(Rect::new(0, 0, W, H))),
            enabled,
            frame: FrameCopy::default(),
        };
        Terminal::with_options(backend, TerminalOptions { viewport: Viewport::Fixed(Rect::new(0, 0, W, H)) }).unwrap()
    }

    /// A list of 200 lines with a title line above and a footer below, the
    /// selection at `selected`: what every tab's table is.
    fn frame(term: &mut Terminal<Scrolling<CrosstermBackend<Tape>>>, state: &mut ListState, selected: usize) {
        state.select(Some(selected));
        let copy = term.backend().frame_copy();
        term.draw(|f| {
            // Rows as unlike each other as a client list's.
            let text =
                |i: usize| "上海华贸中心苏州恒达物业南京路".chars().cycle().skip(i * 5 % 15).take(4 + i * 7 % 11).collect::<String>();
            let items: Vec<String> = (0..200).map(|i| format!("{i:03} {} {}", text(i), text(i * 3))).collect();
            f.buffer_mut().set_string(0, 0, "客户", Style::default().fg(Color::Yellow));
            let list = List::new(items).highlight_style(Style::default().bg(Color::Blue));
            f.render_stateful_widget(list, Rect::new(0, 1, W, H - 2), state);
            f.buffer_mut().set_string(0, H - 1, format!("footer {selected}"), Style::default());
            copy.keep(f.buffer_mut());
        })
        .unwrap();
    }

    /// Plays the bytes in a terminal emulator: what the operator would see,
    /// each cell's text and colours (a blank never written is a space).
    fn screen(bytes: &[u8]) -> String {
        let mut p = vt100::Parser::new(H, W, 0);
        p.process(bytes);
        let s = p.screen();
        let mut out = String::new();
        for r in 0..H {
            for c in 0..W {
                let cell = s.cell(r, c).unwrap();
                let text = if cell.has_contents() { cell.contents() } else { " ".into() };
                out.push_str(&format!("{text}{:?}{:?};", cell.fgcolor(), cell.bgcolor()));
            }
            out.push('\n');
        }
        out
    }

    #[test]
    fn a_line_scroll_sends_the_new_row_not_the_whole_list_and_shows_the_same() {
        let (fast, plain) = (Tape::default(), Tape::default());
        let (mut a, mut b) = (terminal(&fast, true), terminal(&plain, false));
        let (mut sa, mut sb) = (ListState::default(), ListState::default());
        let mut costs = (0, 0);
        for selected in (0..60).chain((0..50).rev()) {
            let before = (fast.0.borrow().len(), plain.0.borrow().len());
            frame(&mut a, &mut sa, selected);
            frame(&mut b, &mut sb, selected);
            if selected > 20 {
                costs.0 += fast.0.borrow().len() - before.0;
                costs.1 += plain.0.borrow().len() - before.1;
            }
            let (got, want) = (screen(&fast.0.borrow()), screen(&plain.0.borrow()));
            for (r, (g, w)) in got.lines().zip(want.lines()).enumerate() {
                assert_eq!(g, w, "row {r} after selecting {selected}");
            }
        }
        assert!(costs.0 * 3 < costs.1, "scrolling regions send far less: {costs:?}");
    }

    #[test]
    fn unrelated_frames_pass_through_and_a_clear_starts_over() {
        let tape = Tape::default();
        let mut t = terminal(&tape, true);
        let copy = t.backend().frame_copy();
        let put = |t: &mut Terminal<_>, x: u16, y: u16, s: &str| {
            t.draw(|f| {
                f.buffer_mut().set_string(x, y, s, Style::default());
                copy.keep(f.buffer_mut());
            })
            .unwrap();
        };
        put(&mut t, 0, 0, "一");
        put(&mut t, 3, 5, "二");
        assert!(!String::from_utf8_lossy(&tape.0.borrow()).contains("\x1b[r"), "nothing moved: no scroll asked");
        t.clear().unwrap();
        put(&mut t, 0, 0, "三");
        assert!(screen(&tape.0.borrow()).starts_with("三"), "the frame after a clear is drawn whole");
    }

    #[test]
    fn only_a_real_terminal_gets_scrolling_regions() {
        assert!(Scrolling::<CrosstermBackend<Tape>>::supported(Some("xterm-256color")));
        assert!(Scrolling::<CrosstermBackend<Tape>>::supported(Some("screen")));
        assert!(!Scrolling::<CrosstermBackend<Tape>>::supported(Some("dumb")));
        assert!(!Scrolling::<CrosstermBackend<Tape>>::supported(None));
    }
}
