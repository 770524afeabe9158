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
/// escape sequence if drawn, and for the bidirectional formatting marks
/// (embeddings, overrides, isolates, LRM/RLM/ALM), which make a terminal that
/// honours them show stored text in another order than it was typed
/// ("Trojan Source"): nobody here writes right-to-left.
pub fn is_control(c: char) -> bool {
    let u = c as u32;
    u < 0x20 || (0x7f..=0x9f).contains(&u) || is_bidi_format(c)
}

fn is_bidi_format(c: char) -> bool {
    matches!(c, '\u{200e}' | '\u{200f}' | '\u{061c}' | '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}')
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
    fn strips_bidi_overrides_and_isolates() {
        // "Pay 100" displayed reversed by an RLO, and an isolate pair.
        assert_eq!(clean("\u{202e}付款100\u{202c} \u{2067}甲\u{2069}\u{200f}", false), "付款100 甲");
        assert!(!is_control('\u{200d}'), "the zero-width joiner builds emoji and is drawn as nothing");
    }

    #[test]
    fn keeps_newlines_only_in_multiline() {
        assert_eq!(clean("一\n二\r\n", true), "一\n二");
        assert_eq!(clean("一\n二", false), "一二");
    }
}
