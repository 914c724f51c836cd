//! Text from outside (a provider's error description, a user code, a label) made safe to
//! show: no control characters (a terminal escape sequence could rewrite the screen), no
//! bidirectional overrides (they can make text read differently than it is), and bounded.

/// Whether `c` changes the direction text is shown in (overrides, embeddings, isolates and
/// the invisible direction marks).
pub fn is_bidi_control(c: char) -> bool {
    matches!(
        c,
        '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}' | '\u{200E}' | '\u{200F}' | '\u{061C}'
    )
}

/// `text` with control characters (escape sequences included) and bidirectional controls
/// removed; line breaks and tabs become spaces when `one_line`, and stay otherwise.
pub fn printable(text: &str, one_line: bool) -> String {
    let mut out = String::with_capacity(text.len());
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        if c == '\u{1b}' {
            // An ANSI sequence: ESC [ params final, or ESC and one more character.
            if chars.peek() == Some(&'[') {
                chars.next();
                for next in chars.by_ref() {
                    if ('@'..='~').contains(&next) {
                        break;
                    }
                }
            } else {
                chars.next();
            }
            continue;
        }
        match c {
            '\n' | '\t' | '\r' if one_line => out.push(' '),
            '\n' | '\t' => out.push(c),
            c if c.is_control() || is_bidi_control(c) => {}
            c => out.push(c),
        }
    }
    out
}

/// `text` cut to at most `max` characters, with an ellipsis when it was longer.
pub fn shorten(text: &str, max: usize) -> String {
    if text.chars().count() <= max {
        return text.to_owned();
    }
    let mut cut: String = text.chars().take(max.saturating_sub(1)).collect();
    cut.push('\u{2026}');
    cut
}

/// Provider text for a message: printable, one line, at most 200 characters.
pub fn from_provider(text: &str) -> String {
    shorten(printable(text, true).trim(), 200)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escape_sequences_controls_and_overrides_are_removed() {
        assert_eq!(
            printable(
                "ok\u{1b}[2J\u{1b}]0;title\u{7}done\u{202E}txt.exe\u{0}",
                true
            ),
            "ok0;titledonetxt.exe"
        );
        assert_eq!(printable("a\nb\tc", true), "a b c");
        assert_eq!(printable("a\nb", false), "a\nb");
    }

    #[test]
    fn long_text_is_cut_with_an_ellipsis() {
        assert_eq!(shorten("abcdef", 4), "abc\u{2026}");
        assert_eq!(shorten("abc", 4), "abc");
        assert_eq!(from_provider(&"x".repeat(500)).chars().count(), 200);
    }
}
