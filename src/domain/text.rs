//! Text hygiene for anything a user typed: control characters never reach the
//! store or the screen.

/// Remove control characters (C0, DEL, C1) and trim surrounding whitespace.
/// Newlines are kept only when `multiline` is set (notes, opinions).
pub fn clean(input: &str, multiline: bool) -> String {
    let kept: String = input.chars().filter(|&c| (multiline && c == '\n') || !is_control(c)).collect();
    if multiline {
        kept.trim_matches(|c: char| c == ' ' || c == '\n').to_string()
    } else {
        kept.trim().to_string()
    }
}

/// True for C0, DEL and C1 controls, which could move the cursor or start an
/// escape sequence if drawn.
pub fn is_control(c: char) -> bool {
    let u = c as u32;
    u < 0x20 || (0x7f..=0x9f).contains(&u)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn strips_escape_sequences_and_controls() {
        assert_eq!(clean("  安保\u{1b}[31m公司\u{7}\t ", false), "安保[31m公司");
        assert_eq!(clean("a\u{9b}b", false), "ab");
    }

    #[test]
    fn keeps_newlines_only_in_multiline() {
        assert_eq!(clean("一\n二\r\n", true), "一\n二");
        assert_eq!(clean("一\n二", false), "一二");
    }
}
