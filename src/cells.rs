//! Width in terminal cells (double-width CJK, zero-width marks), never chars:
//! for the screen and for exported text alike.

use unicode_width::UnicodeWidthChar;

pub fn char_width(c: char) -> usize {
    c.width().unwrap_or(0)
}

pub fn width(s: &str) -> usize {
    s.chars().map(char_width).sum()
}

/// Cut `s` to at most `max` cells, ending in `…` when something was cut.
pub fn truncate(s: &str, max: usize) -> String {
    if width(s) <= max {
        return s.to_string();
    }
    if max == 0 {
        return String::new();
    }
    let mut out = String::new();
    let mut used = 0;
    for c in s.chars() {
        let w = char_width(c);
        if used + w > max - 1 {
            break;
        }
        out.push(c);
        used += w;
    }
    out.push('…');
    out
}

/// Truncate and pad with spaces to exactly `cells` cells.
pub fn fit(s: &str, cells: usize) -> String {
    let mut t = truncate(s, cells);
    let w = width(&t);
    t.extend(std::iter::repeat_n(' ', cells.saturating_sub(w)));
    t
}

/// The end of `s` that fits in `cells` cells (for text typed at its end).
pub fn tail(s: &str, cells: usize) -> String {
    let mut out: Vec<char> = Vec::new();
    let mut used = 0;
    for c in s.chars().rev() {
        let w = char_width(c);
        if used + w > cells {
            break;
        }
        used += w;
        out.push(c);
    }
    out.into_iter().rev().collect()
}

/// Break a line into pieces of at most `cells` cells each (a double-width
/// character never straddles two pieces). Returns char ranges.
pub fn wrap_ranges(chars: &[char], cells: usize) -> Vec<(usize, usize)> {
    let cells = cells.max(2);
    let mut out = Vec::new();
    let (mut start, mut used) = (0, 0);
    for (i, &c) in chars.iter().enumerate() {
        let w = char_width(c);
        if used + w > cells {
            out.push((start, i));
            start = i;
            used = 0;
        }
        used += w;
    }
    out.push((start, chars.len()));
    out
}

/// One line of text as screen lines of at most `cells` cells, broken
/// between characters (Chinese has no spaces to break at).
pub fn wrap_cells(s: &str, cells: usize) -> Vec<String> {
    let chars: Vec<char> = s.chars().collect();
    wrap_ranges(&chars, cells).into_iter().map(|(a, b)| chars[a..b].iter().collect()).collect()
}

/// Break text into lines of at most `cells` cells, between words where
/// there are spaces and between characters where a word is too long (or
/// Chinese). A character wider than `cells` gets a line of its own.
pub fn wrap_words(s: &str, cells: usize) -> Vec<String> {
    let cells = cells.max(1);
    let mut lines: Vec<String> = Vec::new();
    let mut line = String::new();
    for word in s.split(' ').filter(|w| !w.is_empty()) {
        let sep = usize::from(!line.is_empty());
        if width(&line) + sep + width(word) <= cells {
            if sep == 1 {
                line.push(' ');
            }
            line.push_str(word);
            continue;
        }
        if !line.is_empty() {
            lines.push(std::mem::take(&mut line));
        }
        for c in word.chars() {
            if !line.is_empty() && width(&line) + char_width(c) > cells {
                lines.push(std::mem::take(&mut line));
            }
            line.push(c);
        }
    }
    if !line.is_empty() || lines.is_empty() {
        lines.push(line);
    }
    lines
}

/// Text shown on screen from stored data: controls become spaces so nothing
/// stored can move the cursor or start an escape sequence.
pub fn safe(s: &str) -> String {
    s.chars().map(|c| if crate::domain::text::is_control(c) { ' ' } else { c }).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cjk_counts_two_cells() {
        assert_eq!(width("保安A"), 5);
        assert_eq!(truncate("上海华贸中心", 7), "上海华…");
        assert_eq!(fit("上海", 6), "上海  ");
        assert_eq!(fit("上海华贸", 5), "上海…");
        // A wide character never splits: the cut leaves a cell, filled with a space.
        assert_eq!(fit("上海华贸", 4), "上… ");
    }

    #[test]
    fn words_wrap_at_spaces_and_long_words_by_cells() {
        assert_eq!(wrap_words("too small: 60x20", 10), vec!["too small:", "60x20"]);
        assert_eq!(wrap_words("终端太小：需要", 5), vec!["终端", "太小", "：需", "要"]);
        assert_eq!(wrap_words("终端", 1), vec!["终", "端"]);
        assert!(wrap_words("abc def", 3).iter().all(|l| width(l) <= 3));
    }

    #[test]
    fn wrap_never_splits_wide_chars() {
        let chars: Vec<char> = "ab上海c".chars().collect();
        assert_eq!(wrap_ranges(&chars, 3), vec![(0, 2), (2, 3), (3, 5)]);
    }
}
