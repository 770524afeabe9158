//! A rendered frame (ratatui's `Buffer`) as an SVG picture of a dark
//! terminal: a monospace grid, text placed by runs of same-styled cells,
//! colours and bold/dim/italic/underline/reverse kept, wide (CJK) characters
//! two cells wide. The output depends on the buffer alone, so the same frame
//! always gives the same bytes.

use crate::cells::width;
use ratatui::buffer::Buffer;
use ratatui::layout::Position;
use ratatui::style::{Color, Modifier};
use std::fmt::Write as _;

/// One cell in pixels; 9 is a monospace font's advance at 15 px.
const CELL_W: u32 = 9;
const CELL_H: u32 = 18;
const FONT_SIZE: u32 = 15;
/// From the top of a cell to the baseline of its text.
const BASELINE: u32 = 14;
const FONTS: &str =
    "'Sarasa Mono SC', 'Noto Sans Mono CJK SC', 'Source Han Mono SC', 'WenQuanYi Zen Hei Mono', 'DejaVu Sans Mono', monospace";

const DEFAULT_FG: &str = "#cccccc";
const DEFAULT_BG: &str = "#1e1e1e";

/// The 16 named colours of a dark terminal (VS Code's terminal palette).
const ANSI: [&str; 16] = [
    "#000000", "#cd3131", "#0dbc79", "#e5e510", "#2472c8", "#bc3fbc", "#11a8cd", "#e5e5e5", // normal
    "#666666", "#f14c4c", "#23d18b", "#f5f543", "#3b8eea", "#d670d6", "#29b8db", "#ffffff", // bright
];

fn hex(c: Color) -> Option<String> {
    let named = |i: usize| Some(ANSI[i].to_string());
    match c {
        Color::Reset => None,
        Color::Black => named(0),
        Color::Red => named(1),
        Color::Green => named(2),
        Color::Yellow => named(3),
        Color::Blue => named(4),
        Color::Magenta => named(5),
        Color::Cyan => named(6),
        Color::Gray => named(7),
        Color::DarkGray => named(8),
        Color::LightRed => named(9),
        Color::LightGreen => named(10),
        Color::LightYellow => named(11),
        Color::LightBlue => named(12),
        Color::LightMagenta => named(13),
        Color::LightCyan => named(14),
        Color::White => named(15),
        Color::Rgb(r, g, b) => Some(format!("#{r:02x}{g:02x}{b:02x}")),
        Color::Indexed(i) => Some(indexed(i)),
    }
}

/// xterm's 256 colours: the 16 named ones, a 6×6×6 cube, 24 greys.
fn indexed(i: u8) -> String {
    match i {
        0..=15 => ANSI[i as usize].to_string(),
        16..=231 => {
            let level = |v: u8| if v == 0 { 0 } else { 55 + 40 * v };
            let n = i - 16;
            format!("#{:02x}{:02x}{:02x}", level(n / 36), level(n / 6 % 6), level(n % 6))
        }
        232..=255 => {
            let g = 8 + 10 * (i - 232);
            format!("#{g:02x}{g:02x}{g:02x}")
        }
    }
}

/// What a cell looks like once reverse video is resolved.
#[derive(Clone, PartialEq, Eq)]
struct Look {
    fg: String,
    /// None: the terminal's background.
    bg: Option<String>,
    bold: bool,
    dim: bool,
    italic: bool,
    underline: bool,
}

fn look(fg: Color, bg: Color, m: Modifier) -> Look {
    let (mut f, mut b) = (hex(fg), hex(bg));
    if m.contains(Modifier::REVERSED) {
        let (nf, nb) = (b.unwrap_or_else(|| DEFAULT_BG.into()), f.unwrap_or_else(|| DEFAULT_FG.into()));
        f = Some(nf);
        b = Some(nb);
    }
    Look {
        fg: f.unwrap_or_else(|| DEFAULT_FG.into()),
        bg: b,
        bold: m.contains(Modifier::BOLD),
        dim: m.contains(Modifier::DIM),
        italic: m.contains(Modifier::ITALIC),
        underline: m.contains(Modifier::UNDERLINED),
    }
}

/// Characters XML cannot hold become spaces; markup characters are escaped.
fn escape(s: &str, out: &mut String) {
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&apos;"),
            c if (c as u32) < 0x20 || c == '\u{7f}' || c == '\u{fffe}' || c == '\u{ffff}' => out.push(' '),
            c => out.push(c),
        }
    }
}

/// A run of cells on one row sharing a look: its first column, width in
/// cells, and its characters with their widths.
struct Run {
    x: u16,
    cells: u16,
    look: Look,
    chars: Vec<(String, u16)>,
}

fn runs(buf: &Buffer, y: u16, cursor: Option<Position>) -> Vec<Run> {
    let area = buf.area;
    let mut out: Vec<Run> = Vec::new();
    let mut x = area.x;
    while x < area.x + area.width {
        let cell = &buf[(x, y)];
        let sym = cell.symbol();
        // A wide character covers the cell after it, which ratatui leaves blank.
        let w = (width(sym) as u16).clamp(1, 2).min(area.x + area.width - x);
        let mut m = cell.modifier;
        if cursor == Some(Position { x, y }) {
            m.toggle(Modifier::REVERSED);
        }
        let l = look(cell.fg, cell.bg, m);
        let sym = if width(sym) == 0 { " " } else { sym };
        match out.last_mut() {
            Some(r) if r.look == l => {
                r.cells += w;
                r.chars.push((sym.to_string(), w));
            }
            _ => out.push(Run { x, cells: w, look: l, chars: vec![(sym.to_string(), w)] }),
        }
        x += w;
    }
    out
}

/// The frame as an SVG document. `cursor` is drawn as a reversed cell.
pub fn to_svg(buf: &Buffer, cursor: Option<Position>) -> String {
    let area = buf.area;
    let (w, h) = (area.width as u32 * CELL_W, area.height as u32 * CELL_H);
    let mut out = String::with_capacity(64 * 1024);
    let _ = writeln!(
        out,
        "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"{w}\" height=\"{h}\" viewBox=\"0 0 {w} {h}\" font-family=\"{FONTS}\" font-size=\"{FONT_SIZE}\" xml:space=\"preserve\">"
    );
    let _ = writeln!(out, "<rect width=\"{w}\" height=\"{h}\" fill=\"{DEFAULT_BG}\"/>");
    for y in area.y..area.y + area.height {
        let row = runs(buf, y, cursor);
        let top = (y - area.y) as u32 * CELL_H;
        for r in row.iter().filter(|r| r.look.bg.is_some()) {
            let _ = writeln!(
                out,
                "<rect x=\"{}\" y=\"{top}\" width=\"{}\" height=\"{CELL_H}\" fill=\"{}\"/>",
                (r.x - area.x) as u32 * CELL_W,
                r.cells as u32 * CELL_W,
                r.look.bg.as_deref().unwrap_or(DEFAULT_BG)
            );
        }
        for r in &row {
            if !r.look.underline && r.chars.iter().all(|(s, _)| s.trim().is_empty()) {
                continue;
            }
            text_run(&mut out, r, (r.x - area.x) as u32, top + BASELINE);
        }
    }
    out.push_str("</svg>\n");
    out
}

/// How a cell's character is placed.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Kind {
    /// Nothing to draw (a blank cell; its background is a rect).
    Blank,
    /// ASCII: a monospace font advances these by exactly one cell.
    Narrow,
    /// Two cells: a CJK font advances these by 1 em, spaced out to two cells.
    Wide,
    /// Anything else (symbols whose width fonts disagree on, combining
    /// marks): placed on its own.
    Alone,
}

fn kind(sym: &str, w: u16, underline: bool) -> Kind {
    let mut cs = sym.chars();
    match (cs.next(), cs.next()) {
        (Some(' '), None) if !underline => Kind::Blank,
        (Some(c), None) if c.is_ascii() => Kind::Narrow,
        (Some(_), None) if w == 2 => Kind::Wide,
        _ => Kind::Alone,
    }
}

/// The `<text>` elements of a run: one per stretch of ASCII or of wide
/// characters, each starting on its cell; blanks between them are skipped.
/// Only plain `x`, `letter-spacing` and the font's own advance are used, as
/// every SVG renderer places text that way (per-character `x` lists and
/// `textLength` are ignored by some).
fn text_run(out: &mut String, r: &Run, col: u32, baseline: u32) {
    let mut x = col;
    // (first cell, kind, text) of the stretch being gathered.
    let mut stretch: Option<(u32, Kind, String)> = None;
    for (sym, w) in &r.chars {
        let k = kind(sym, *w, r.look.underline);
        let joins = matches!(&stretch, Some((_, sk, _)) if *sk == k && k != Kind::Alone);
        if !joins {
            if let Some((at, sk, text)) = stretch.take() {
                text_element(out, &r.look, at, baseline, sk, &text);
            }
            if k != Kind::Blank {
                stretch = Some((x, k, String::new()));
            }
        }
        if let Some((_, _, text)) = stretch.as_mut() {
            text.push_str(sym);
        }
        x += *w as u32;
    }
    if let Some((at, sk, text)) = stretch {
        text_element(out, &r.look, at, baseline, sk, &text);
    }
}

fn text_element(out: &mut String, l: &Look, col: u32, baseline: u32, k: Kind, text: &str) {
    let _ = write!(out, "<text x=\"{}\" y=\"{baseline}\" fill=\"{}\"", col * CELL_W, l.fg);
    if k == Kind::Wide {
        let _ = write!(out, " letter-spacing=\"{}\"", 2 * CELL_W - FONT_SIZE);
    }
    if l.bold {
        out.push_str(" font-weight=\"bold\"");
    }
    if l.italic {
        out.push_str(" font-style=\"italic\"");
    }
    if l.dim {
        out.push_str(" fill-opacity=\"0.6\"");
    }
    if l.underline {
        out.push_str(" text-decoration=\"underline\"");
    }
    out.push('>');
    escape(text, out);
    out.push_str("</text>\n");
}

#[cfg(test)]
mod tests {
    use super::*;
    use ratatui::layout::Rect;
    use ratatui::style::Style;

    #[test]
    fn cube_and_greys_follow_xterm() {
        assert_eq!(indexed(16), "#000000");
        assert_eq!(indexed(25), "#005faf");
        assert_eq!(indexed(231), "#ffffff");
        assert_eq!(indexed(232), "#080808");
        assert_eq!(indexed(255), "#eeeeee");
    }

    #[test]
    fn reverse_swaps_including_the_defaults() {
        let l = look(Color::Reset, Color::Reset, Modifier::REVERSED);
        assert_eq!((l.fg.as_str(), l.bg.as_deref()), (DEFAULT_BG, Some(DEFAULT_FG)));
        let l = look(Color::Red, Color::Reset, Modifier::empty());
        assert_eq!((l.fg.as_str(), l.bg), ("#cd3131", None));
    }

    #[test]
    fn tiny_frame_escaped_and_placed_on_the_grid() {
        let mut buf = Buffer::empty(Rect::new(0, 0, 8, 2));
        buf.set_string(0, 0, "a<&客b…", Style::default().fg(Color::Red).add_modifier(Modifier::BOLD));
        buf.set_string(0, 1, "ok", Style::default().add_modifier(Modifier::REVERSED));
        let svg = to_svg(&buf, None);
        assert!(svg.starts_with("<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"72\" height=\"36\""), "{svg}");
        assert!(svg.contains("Noto Sans Mono CJK SC"));
        // "a<&" from cell 0, 客 from cell 3 spaced to two cells, b from cell 5.
        assert!(svg.contains("<text x=\"0\" y=\"14\" fill=\"#cd3131\" font-weight=\"bold\">a&lt;&amp;</text>"), "{svg}");
        assert!(svg.contains("<text x=\"27\" y=\"14\" fill=\"#cd3131\" letter-spacing=\"3\" font-weight=\"bold\">客</text>"), "{svg}");
        assert!(svg.contains("<text x=\"45\" y=\"14\" fill=\"#cd3131\" font-weight=\"bold\">b</text>"), "{svg}");
        // A symbol fonts draw at different widths stands on its own cell.
        assert!(svg.contains("<text x=\"54\" y=\"14\" fill=\"#cd3131\" font-weight=\"bold\">…</text>"), "{svg}");
        // Reverse video: a background rect in the text colour, text in the background's.
        assert!(svg.contains("<rect x=\"0\" y=\"18\" width=\"18\" height=\"18\" fill=\"#cccccc\"/>"), "{svg}");
        assert!(svg.contains("<text x=\"0\" y=\"32\" fill=\"#1e1e1e\">ok</text>"), "{svg}");
        assert_eq!(svg.matches("<text").count(), 5, "blank cells draw nothing: {svg}");
        assert_eq!(to_svg(&buf, None), svg, "the same frame gives the same bytes");
    }

    #[test]
    fn the_caret_is_a_reversed_cell() {
        let mut buf = Buffer::empty(Rect::new(0, 0, 4, 1));
        buf.set_string(0, 0, "ab", Style::default());
        let svg = to_svg(&buf, Some(Position { x: 1, y: 0 }));
        assert!(svg.contains("<rect x=\"9\" y=\"0\" width=\"9\" height=\"18\" fill=\"#cccccc\"/>"), "{svg}");
    }

    #[test]
    fn runs_split_on_style_and_wide_characters_take_two_cells() {
        let mut buf = Buffer::empty(Rect::new(0, 0, 10, 1));
        buf.set_string(0, 0, "ab", Style::default().fg(Color::Red));
        buf.set_string(2, 0, "客户", Style::default());
        let r = runs(&buf, 0, None);
        assert_eq!(r.len(), 2);
        assert_eq!((r[0].x, r[0].cells), (0, 2));
        // 客户 and the four blank cells after it: 2 + 2 + 4.
        assert_eq!((r[1].x, r[1].cells), (2, 8));
        assert_eq!(r[1].chars.iter().map(|c| c.0.as_str()).collect::<String>(), "客户    ");
    }
}
